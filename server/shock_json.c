/* shock_json.c - tariff and NTB changes sent as JSON, applied to a shock.
 *
 * The entries are rows of cells with the meaning of the rows of a
 * counterfactual file: this file checks their JSON shape and hands them to
 * tw_shock_apply, the library's one rule for cells (docs/data-format.md), so a
 * request and a file with the same rows give the same shock and the same
 * error.  Every error names the entry ("tariffs[2].sector"). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shock_json.h"

tw_status srv_check_keys(const cJSON *obj, const char *const *keys, const char *where,
                         tw_error *err)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, obj)
    {
        int known = 0;
        for (const char *const *k = keys; *k && !known; k++) known = strcmp(it->string, *k) == 0;
        if (!known) {
            char list[400] = "";
            for (const char *const *k = keys; *k; k++)
                snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
                         k == keys ? "" : ", ", *k);
            tw_error_set(err, TW_EINPUT, NULL, 0, 0, "unknown field \"%.64s\" (expected %s)",
                         it->string, list);
            snprintf(err->field, sizeof err->field, "%s", where);
            return TW_EINPUT;
        }
    }
    return TW_OK;
}

static tw_status fail(tw_error *err, const char *list, size_t k, const char *key,
                      const char *fmt, const char *value)
{
    tw_error_set(err, TW_EINPUT, NULL, 0, 0, fmt, value);
    snprintf(err->field, sizeof err->field, "%s[%zu]%s%s", list, k, key ? "." : "",
             key ? key : "");
    return TW_EINPUT;
}

static tw_status fail_list(tw_error *err, const char *list, const char *fmt, const char *value)
{
    tw_error_set(err, TW_EINPUT, NULL, 0, 0, fmt, value);
    snprintf(err->field, sizeof err->field, "%s", list);
    return TW_EINPUT;
}

/* A code of entry k: NULL when missing (the rules of the library say what a
 * missing code means: an error), the string otherwise. */
static tw_status code_of(const cJSON *e, const char *key, const char *list, size_t k,
                         const char **out, tw_error *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(e, key);
    *out = v ? cJSON_GetStringValue(v) : NULL;
    if (v && !*out)
        return fail(err, list, k, key, "%s must be a code or \"*\"",
                    strcmp(key, "sector") ? "country" : "sector");
    return TW_OK;
}

/* Entry k of the array as a row of cells: its JSON shape is checked here, its
 * meaning by tw_shock_apply. */
static tw_status decode_entry(const cJSON *e, int ntb, const char *list, size_t k,
                              char *where, size_t where_size, tw_shock_row *row,
                              tw_error *err)
{
    static const char *const tariff_keys[] = {"importer", "exporter", "sector", "rate", NULL};
    static const char *const ntb_keys[] = {"importer", "exporter", "sector", "factor", NULL};
    const char *num_key = ntb ? "factor" : "rate";
    snprintf(where, where_size, "%s[%zu]", list, k);
    if (!cJSON_IsObject(e))
        return fail(err, list, k, NULL, "must be an object {importer, exporter, sector, %s}",
                    num_key);
    if (srv_check_keys(e, ntb ? ntb_keys : tariff_keys, where, err)) return TW_EINPUT;
    *row = (tw_shock_row){.entry = where};
    if (code_of(e, "importer", list, k, &row->importer, err) ||
        code_of(e, "exporter", list, k, &row->exporter, err) ||
        code_of(e, "sector", list, k, &row->sector, err))
        return TW_EINPUT;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(e, num_key);
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
        return fail(err, list, k, num_key, "%s must be a number", num_key);
    row->value = v->valuedouble;
    return TW_OK;
}

tw_status srv_apply_cells(tw_shock *s, const tw_world *w, const cJSON *arr, int ntb,
                          size_t *cells, tw_error *err)
{
    const char *list = ntb ? "ntb" : "tariffs";
    if (!arr) return TW_OK;
    if (!cJSON_IsArray(arr))
        return fail_list(err, list, "must be an array of {importer, exporter, sector, %s}",
                         ntb ? "factor" : "rate");
    size_t n = (size_t)cJSON_GetArraySize(arr);
    if (n > SRV_MAX_CELLS) {
        char most[32];
        snprintf(most, sizeof most, "%d", SRV_MAX_CELLS);
        return fail_list(err, list, "more than %s entries", most);
    }
    tw_shock_row *rows = calloc(n ? n : 1, sizeof *rows);
    char (*where)[32] = calloc(n ? n : 1, sizeof *where);
    tw_status st = rows && where ? TW_OK
                                 : tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    size_t k = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, arr)
    {
        if (st) break;
        st = decode_entry(e, ntb, list, k, where[k], sizeof where[k], &rows[k], err);
        k++;
    }
    size_t covered = 0;
    if (!st)
        st = tw_shock_apply(s, ntb ? TW_SHOCK_NTB : TW_SHOCK_TARIFF, rows, n, &covered, err);
    if (!st && cells) *cells += covered;
    free(rows);
    free(where);
    return st;
}

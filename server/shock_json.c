/* shock_json.c - tariff and NTB changes sent as JSON, applied to a shock.
 *
 * The entries mean what the rows of a counterfactual file mean (docs/data-format.md,
 * counterfactuals): new tariff levels (not increments) or iceberg factors, "*" for all,
 * applied in order so a later entry overrides an earlier one, a wildcard never
 * covering a domestic cell and "*" in a tariff's sector covering the tradable
 * sectors only.  Every check names the entry ("tariffs[2].sector") and the bad
 * value, and the suggestion for an unknown code comes from the same helper the
 * file reader uses. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/suggest.h"
#include "server_impl.h"

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

/* Index range of a country or sector code: [*lo, *hi), all for "*". */
static tw_status resolve(const tw_world *w, const cJSON *entry, const char *key, int sector,
                         const char *list, size_t k, size_t *lo, size_t *hi, int *wild,
                         tw_error *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(entry, key);
    if (!v && sector) {
        *lo = 0;
        *hi = tw_world_n_sectors(w);
        *wild = 1;
        return TW_OK;
    }
    if (!v || !cJSON_IsString(v) || !v->valuestring[0])
        return fail(err, list, k, key, "%s must be a code or \"*\"",
                    sector ? "sector" : "country");
    const char *code = v->valuestring;
    size_t count = sector ? tw_world_n_sectors(w) : tw_world_n_countries(w);
    *wild = strcmp(code, "*") == 0;
    if (*wild) {
        *lo = 0;
        *hi = count;
        return TW_OK;
    }
    long ix = sector ? tw_world_sector_index(w, code) : tw_world_country_index(w, code);
    if (ix < 0) {
        const char *cands[512];
        size_t nc = count < 512 ? count : 512;
        for (size_t q = 0; q < nc; q++)
            cands[q] = sector ? tw_world_sector_code(w, q) : tw_world_country_code(w, q);
        const char *hint = tw_suggest(code, cands, nc);
        char msg[200];
        snprintf(msg, sizeof msg, "unknown %s \"%.64s\"%s%s%s", sector ? "sector" : "country",
                 code, hint ? " (did you mean \"" : "", hint ? hint : "", hint ? "\"?)" : "");
        return fail(err, list, k, key, "%s", msg);
    }
    *lo = (size_t)ix;
    *hi = (size_t)ix + 1;
    return TW_OK;
}

tw_status srv_apply_cells(tw_shock *s, const tw_world *w, const cJSON *arr, int ntb,
                          size_t *cells, tw_error *err)
{
    const char *list = ntb ? "ntb" : "tariffs", *num_key = ntb ? "factor" : "rate";
    static const char *const tariff_keys[] = {"importer", "exporter", "sector", "rate", NULL};
    static const char *const ntb_keys[] = {"importer", "exporter", "sector", "factor", NULL};
    if (!arr) return TW_OK;
    if (!cJSON_IsArray(arr)) {
        tw_error_set(err, TW_EINPUT, NULL, 0, 0, "must be an array of {importer, exporter, sector, %s}",
                     num_key);
        snprintf(err->field, sizeof err->field, "%s", list);
        return TW_EINPUT;
    }
    if ((size_t)cJSON_GetArraySize(arr) > SRV_MAX_CELLS) {
        tw_error_set(err, TW_EINPUT, NULL, 0, 0, "more than %d entries", SRV_MAX_CELLS);
        snprintf(err->field, sizeof err->field, "%s", list);
        return TW_EINPUT;
    }
    size_t k = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, arr)
    {
        char where[64];
        snprintf(where, sizeof where, "%s[%zu]", list, k);
        if (!cJSON_IsObject(e))
            return fail(err, list, k, NULL, "must be an object {importer, exporter, sector, %s}",
                        num_key);
        if (srv_check_keys(e, ntb ? ntb_keys : tariff_keys, where, err)) return TW_EINPUT;
        size_t n0, n1, i0, i1, j0, j1;
        int wn, wi, wj;
        if (resolve(w, e, "importer", 0, list, k, &n0, &n1, &wn, err) ||
            resolve(w, e, "exporter", 0, list, k, &i0, &i1, &wi, err) ||
            resolve(w, e, "sector", 1, list, k, &j0, &j1, &wj, err))
            return TW_EINPUT;
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(e, num_key);
        if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
            return fail(err, list, k, num_key, "%s must be a number", num_key);
        double x = v->valuedouble;
        if (!ntb && x < 0) return fail(err, list, k, num_key, "%s is negative (expected >= 0)", "rate");
        if (ntb && !(x > 0)) return fail(err, list, k, num_key, "%s must be > 0", "factor");
        if (!ntb && !wj && !tw_world_sector_tradable(w, j0))
            return fail(err, list, k, "sector",
                        "sector \"%.64s\" is not tradable (tariffs do not apply to it; \"*\" "
                        "covers the tradable sectors)",
                        tw_world_sector_code(w, j0));
        if (!wn && !wi && n0 == i0)
            return fail(err, list, k, NULL, "domestic cell %s (expected importer != exporter)",
                        tw_world_country_code(w, n0));
        for (size_t n = n0; n < n1; n++)
            for (size_t i = i0; i < i1; i++) {
                if (i == n) continue; /* a wildcard never covers a domestic cell */
                for (size_t j = j0; j < j1; j++) {
                    if (!ntb && !tw_world_sector_tradable(w, j)) continue;
                    tw_status st = ntb ? tw_shock_scale_ntb(s, n, i, j, x, err)
                                       : tw_shock_set_tariff(s, n, i, j, x, err);
                    if (st) {
                        snprintf(err->field, sizeof err->field, "%s", where);
                        return st;
                    }
                    if (cells) (*cells)++;
                }
            }
        k++;
    }
    return TW_OK;
}

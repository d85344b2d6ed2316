/* diff.c - what changed between two saved runs.
 *
 * Both runs' JSON (options and results) is read back with cJSON; results are
 * compared on the final equilibrium: the run itself for a solve, the last step
 * for a timeline, on the result columns shown with TW_SHOW_DIFF
 * (tradewar/report.h): by country, and by pair and by country and sector where
 * both runs hold those rows.  Differences are B - A in percentage points, so a diff
 * of a run with itself is all zeros. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "tradewar/json.h"
#include "tradewar/report.h"
#include "tradewar/store.h"

/* The final equilibrium of a results object: the run itself for a solve, the
 * last step for a timeline. */
static const cJSON *final_results(const cJSON *results)
{
    const cJSON *steps = cJSON_GetObjectItemCaseSensitive(results, "steps");
    if (!cJSON_IsArray(steps)) return results;
    int n = cJSON_GetArraySize(steps);
    return n == 0 ? NULL : cJSON_GetArrayItem(steps, n - 1);
}

/* One level of the diff: the results array, the keys that name a row and the
 * report level whose TW_SHOW_DIFF columns are compared. */
typedef struct diff_level {
    const char *array;
    const char *keys[2];
    tw_report_level level;
} diff_level;

static const diff_level levels[] = {
    {"countries", {"code", NULL}, TW_LEVEL_COUNTRY},
    {"bilateral", {"importer", "exporter"}, TW_LEVEL_PAIR},
    {"sectors", {"country", "sector"}, TW_LEVEL_SECTOR},
};

static int same_key(const cJSON *a, const cJSON *b, const diff_level *lv)
{
    for (size_t k = 0; k < 2 && lv->keys[k]; k++) {
        const cJSON *x = cJSON_GetObjectItemCaseSensitive(a, lv->keys[k]);
        const cJSON *y = cJSON_GetObjectItemCaseSensitive(b, lv->keys[k]);
        if (!cJSON_IsString(x) || !cJSON_IsString(y) || strcmp(x->valuestring, y->valuestring))
            return 0;
    }
    return 1;
}

/* The row of arr with the keys of row, or NULL.  Rows come in the same order
 * in both runs of one world, so the search starts where the last one ended. */
static const cJSON *find_row(const cJSON *arr, const cJSON *row, const diff_level *lv,
                             const cJSON **hint)
{
    const cJSON *c = *hint;
    while (c && !same_key(c, row, lv)) c = c->next;
    for (const cJSON *d = arr->child; !c && d && d != *hint; d = d->next)
        if (same_key(d, row, lv)) c = d;
    if (c) *hint = c->next;
    return c;
}

static cJSON *parse(const char *txt, const tw_run *r, const char *what, tw_error *err)
{
    cJSON *j = cJSON_Parse(txt ? txt : "{}");
    if (!j)
        tw_error_set(err, TW_EINPUT, NULL, 0, 0, "run %lld: %s are not valid JSON", r->id, what);
    return j;
}

static cJSON *pair_of(const cJSON *a, const cJSON *b)
{
    cJSON *p = cJSON_CreateArray();
    if (!p) return NULL;
    cJSON_AddItemToArray(p, a ? cJSON_Duplicate(a, 1) : cJSON_CreateNull());
    cJSON_AddItemToArray(p, b ? cJSON_Duplicate(b, 1) : cJSON_CreateNull());
    return p;
}

/* Keys of a or b whose values differ. */
static void diff_options(cJSON *out, const cJSON *a, const cJSON *b)
{
    const cJSON *x;
    cJSON_ArrayForEach(x, a)
    {
        const cJSON *y = cJSON_GetObjectItemCaseSensitive(b, x->string);
        if (!y || !cJSON_Compare(x, y, 1)) cJSON_AddItemToObject(out, x->string, pair_of(x, y));
    }
    cJSON_ArrayForEach(x, b)
    {
        if (!cJSON_GetObjectItemCaseSensitive(a, x->string))
            cJSON_AddItemToObject(out, x->string, pair_of(NULL, x));
    }
}

static void add_measure(cJSON *row, const char *key, const cJSON *ca, const cJSON *cb)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(ca, key);
    const cJSON *y = cJSON_GetObjectItemCaseSensitive(cb, key);
    if (!cJSON_IsNumber(x) || !cJSON_IsNumber(y)) return;
    double d = y->valuedouble - x->valuedouble;
    double v[3] = {x->valuedouble, y->valuedouble, d};
    cJSON *arr = cJSON_CreateDoubleArray(v, 3);
    if (arr) cJSON_AddItemToObject(row, key, arr);
}

/* root[lv->array]: a row for every row both runs have, each compared column
 * as [A, B, B - A].  Nothing when either run lacks the level (a timeline has
 * no bilateral or sector rows; a solve saved before they were kept neither).
 * Nonzero when out of memory. */
static int diff_rows(cJSON *root, const diff_level *lv, const cJSON *fa, const cJSON *fb)
{
    const cJSON *ca = cJSON_GetObjectItemCaseSensitive(fa, lv->array);
    const cJSON *cb = cJSON_GetObjectItemCaseSensitive(fb, lv->array);
    if (!cJSON_IsArray(ca) || !cJSON_IsArray(cb)) return 0;
    cJSON *rows = cJSON_AddArrayToObject(root, lv->array);
    if (!rows) return -1;
    const tw_column *measures[TW_REPORT_MAX_COLUMNS];
    size_t nm = tw_report_view(lv->level, TW_SHOW_DIFF, measures, TW_REPORT_MAX_COLUMNS);
    const cJSON *c, *hint = cb->child;
    cJSON_ArrayForEach(c, ca)
    {
        const cJSON *d = find_row(cb, c, lv, &hint);
        if (!d) continue;
        cJSON *row = cJSON_CreateObject();
        if (!row) return -1;
        cJSON_AddItemToArray(rows, row);
        for (size_t k = 0; k < 2 && lv->keys[k]; k++)
            cJSON_AddStringToObject(row, lv->keys[k],
                                    cJSON_GetObjectItemCaseSensitive(c, lv->keys[k])->valuestring);
        for (size_t k = 0; k < nm; k++) add_measure(row, tw_column_name(measures[k]), c, d);
    }
    return 0;
}

char *tw_run_diff_json(const tw_run *a, const tw_run *b, tw_error *err)
{
    cJSON *oa = parse(a->options, a, "options", err), *ob = NULL, *ra = NULL, *rb = NULL;
    cJSON *root = NULL;
    char *txt = NULL;
    if (!oa || !(ob = parse(b->options, b, "options", err)) ||
        !(ra = parse(a->results, a, "results", err)) || !(rb = parse(b->results, b, "results", err)))
        goto done;
    root = cJSON_CreateObject();
    if (!root) goto oom;
    cJSON_AddNumberToObject(root, "a", (double)a->id);
    cJSON_AddNumberToObject(root, "b", (double)b->id);
    cJSON *kinds = cJSON_AddArrayToObject(root, "kind");
    if (kinds) {
        cJSON_AddItemToArray(kinds, cJSON_CreateString(a->kind ? a->kind : ""));
        cJSON_AddItemToArray(kinds, cJSON_CreateString(b->kind ? b->kind : ""));
    }
    int same_world = a->world_hash && b->world_hash && strcmp(a->world_hash, b->world_hash) == 0;
    int same_inputs = a->inputs && b->inputs && strcmp(a->inputs, b->inputs) == 0;
    cJSON_AddBoolToObject(root, "same_world", same_world);
    cJSON_AddBoolToObject(root, "same_inputs", same_inputs);
    cJSON *opts = cJSON_AddObjectToObject(root, "options");
    if (opts) diff_options(opts, oa, ob);
    const cJSON *fa = final_results(ra), *fb = final_results(rb);
    for (size_t q = 0; q < sizeof levels / sizeof levels[0]; q++)
        if (diff_rows(root, &levels[q], fa, fb)) goto oom;
    txt = tw_json_print(root);
    if (txt) goto done;
oom:
    tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
done:
    cJSON_Delete(root);
    cJSON_Delete(oa);
    cJSON_Delete(ob);
    cJSON_Delete(ra);
    cJSON_Delete(rb);
    return txt;
}

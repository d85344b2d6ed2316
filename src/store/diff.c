/* diff.c - what changed between two saved runs.
 *
 * Both runs' JSON (options and results) is read back with cJSON; results are
 * compared on the final equilibrium: the run itself for a solve, the last step
 * for a timeline, on the result columns shown with TW_SHOW_DIFF
 * (tradewar/report.h).  Differences are B - A in percentage points, so a diff
 * of a run with itself is all zeros. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "tradewar/report.h"
#include "tradewar/store.h"

/* The countries array of the final equilibrium in a results object. */
static const cJSON *final_countries(const cJSON *results)
{
    const cJSON *steps = cJSON_GetObjectItemCaseSensitive(results, "steps");
    if (cJSON_IsArray(steps)) {
        int n = cJSON_GetArraySize(steps);
        if (n == 0) return NULL;
        results = cJSON_GetArrayItem(steps, n - 1);
    }
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(results, "countries");
    return cJSON_IsArray(c) ? c : NULL;
}

static const cJSON *find_country(const cJSON *arr, const char *code)
{
    const cJSON *c;
    cJSON_ArrayForEach(c, arr)
    {
        const cJSON *k = cJSON_GetObjectItemCaseSensitive(c, "code");
        if (cJSON_IsString(k) && strcmp(k->valuestring, code) == 0) return c;
    }
    return NULL;
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
    cJSON *rows = cJSON_AddArrayToObject(root, "countries");
    const tw_column *measures[TW_REPORT_MAX_COLUMNS];
    size_t nm = tw_report_view(TW_LEVEL_COUNTRY, TW_SHOW_DIFF, measures, TW_REPORT_MAX_COLUMNS);
    const cJSON *ca = final_countries(ra), *cb = final_countries(rb), *c;
    if (rows && ca && cb) {
        cJSON_ArrayForEach(c, ca)
        {
            const cJSON *code = cJSON_GetObjectItemCaseSensitive(c, "code");
            if (!cJSON_IsString(code)) continue;
            const cJSON *d = find_country(cb, code->valuestring);
            if (!d) continue;
            cJSON *row = cJSON_CreateObject();
            if (!row) goto oom;
            cJSON_AddItemToArray(rows, row);
            cJSON_AddStringToObject(row, "code", code->valuestring);
            for (size_t k = 0; k < nm; k++) add_measure(row, tw_column_name(measures[k]), c, d);
        }
    }
    txt = cJSON_PrintUnformatted(root);
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

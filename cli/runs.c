/* runs.c - the run store from the command line: `solve --save` and
 * `timeline --save` (with --db FILE to pick the store), and `tradewar runs
 * list|show|diff`.
 *
 * A saved run holds everything needed to redo it (the tariff, NTB or scenario
 * files are stored with their text, not only their names) and the report JSON
 * the run printed or would have printed with --json; the tables here are read
 * back from that JSON, so `runs show` shows what was computed then, not a
 * recomputation. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "tradewar/json.h"
#include "tradewar/report.h"
#include "tradewar/store.h"
#include "cli.h"
#include "runs.h"

static tw_store *open_store(const char *db, tw_error *err)
{
    char buf[4096];
    const char *path = db ? db : tw_store_default_path(buf, sizeof buf, err);
    return path ? tw_store_open(path, err) : NULL;
}

/* Open the store, record the solve r of w (tl NULL) or the timeline tl
 * (tw_store_record_*), say where it went. */
static int save(const char *cmd, const char *db, const tw_world *w, const tw_result *r,
                const tw_timeline *tl, const tw_record_opts *o)
{
    tw_error err;
    tw_error_clear(&err);
    tw_store *st = open_store(db, &err);
    long long id;
    int rc = 0;
    if (!st || (tl ? tw_store_record_timeline(st, tl, o, &id, &err)
                   : tw_store_record_result(st, w, r, o, &id, &err)) != TW_OK) {
        cli_error(&err);
        rc = tw_status_exit_code(err.code);
    } else {
        fprintf(stderr, "tradewar: %s: saved run %lld in %s\n", cmd, id, tw_store_path(st));
    }
    tw_store_close(st);
    return rc;
}

int cli_save_solve(const char *db, const tw_world *w, const tw_result *r,
                   const char *const *tariffs, size_t nt, const char *const *ntbs, size_t nn,
                   double tol, long max_iter, double step, double seconds)
{
    tw_record_opts o = {.source = "cli", .tariff_files = tariffs, .n_tariff_files = nt,
                        .ntb_files = ntbs, .n_ntb_files = nn, .tol = tol, .max_iter = max_iter,
                        .step = step, .seconds = seconds};
    return save("solve", db, w, r, NULL, &o);
}

int cli_save_timeline(const char *db, const char *file, const char *const *set, size_t nset,
                      const tw_timeline *tl, double tol, double seconds)
{
    tw_record_opts o = {.source = "cli", .scenario_file = file, .set = set, .n_set = nset,
                        .tol = tol, .seconds = seconds};
    return save("timeline", db, NULL, NULL, tl, &o);
}

/* ---- tradewar runs ---- */

static const char *const usage_runs =
    "usage: tradewar runs list [--limit N] [--db FILE] [--json]\n"
    "       tradewar runs show ID [--db FILE] [--json]\n"
    "       tradewar runs diff ID1 ID2 [--bilateral] [--sectors] [--db FILE] [--json]\n"
    "\n"
    "Saved runs: `solve --save` and `timeline --save` (and the server, for requests\n"
    "with \"save\": true) keep each run's inputs, world hash, options, results,\n"
    "solver statistics and time in an SQLite database.\n"
    "\n"
    "  list      the newest runs first (default 20; --limit 0 = all)\n"
    "  show      one run: what was solved, how, and its results by country\n"
    "  diff      two runs: changed options and inputs, welfare, real wage and\n"
    "            price differences by country (ID2 - ID1, percentage points)\n"
    "  --bilateral, --sectors  with diff: also the differences by pair and by\n"
    "            country and sector (solve runs; --json always has them)\n"
    "  --db FILE the store (default $TRADEWAR_DB, else $XDG_DATA_HOME/tradewar/runs.db,\n"
    "            else ~/.local/share/tradewar/runs.db)\n";

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s && s[1] ? s + 1 : p;
}

static double num(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return v && cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static int runs_list(tw_store *st, long limit, int json)
{
    tw_run *runs;
    size_t n;
    tw_error err;
    if (tw_store_list(st, (size_t)limit, &runs, &n, &err)) {
        cli_error(&err);
        return tw_status_exit_code(err.code);
    }
    if (json) {
        cJSON *arr = cJSON_CreateArray();
        for (size_t k = 0; k < n && arr; k++) {
            cJSON *o = cJSON_CreateObject();
            if (!o) break;
            cJSON_AddItemToArray(arr, o);
            cJSON_AddNumberToObject(o, "id", (double)runs[k].id);
            cJSON_AddStringToObject(o, "created", runs[k].created);
            cJSON_AddStringToObject(o, "kind", runs[k].kind);
            cJSON_AddStringToObject(o, "source", runs[k].source);
            cJSON_AddStringToObject(o, "world", runs[k].world);
            cJSON_AddStringToObject(o, "world_hash", runs[k].world_hash);
            cJSON_AddStringToObject(o, "label", runs[k].label);
            cJSON_AddNumberToObject(o, "iterations", (double)runs[k].iterations);
            cJSON_AddNumberToObject(o, "seconds", runs[k].seconds);
        }
        char *txt = arr ? tw_json_print(arr) : NULL;
        if (txt) printf("%s\n", txt);
        free(txt);
        cJSON_Delete(arr);
    } else if (n == 0) {
        printf("no runs saved in %s\n", tw_store_path(st));
    } else {
        printf("%5s  %-20s  %-8s  %-6s  %-16s  %-8s  %6s  %8s  %s\n", "id", "created", "kind",
               "source", "world", "hash", "iters", "seconds", "label");
        for (size_t k = 0; k < n; k++)
            printf("%5lld  %-20s  %-8s  %-6s  %-16s  %.8s  %6ld  %8.3f  %s\n", runs[k].id,
                   runs[k].created, runs[k].kind, runs[k].source, base_name(runs[k].world),
                   runs[k].world_hash, runs[k].iterations, runs[k].seconds, runs[k].label);
    }
    tw_runs_free(runs, n);
    return 0;
}

/* Countries of the final equilibrium of a results object. */
static const cJSON *final_countries(const cJSON *res, size_t *steps)
{
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(res, "steps");
    *steps = 0;
    if (cJSON_IsArray(st)) {
        *steps = (size_t)cJSON_GetArraySize(st);
        res = *steps ? cJSON_GetArrayItem(st, (int)*steps - 1) : NULL;
    }
    return cJSON_GetObjectItemCaseSensitive(res, "countries");
}

/* The saved results by country: the result columns `runs show` prints. */
static void show_countries(const cJSON *cs)
{
    const tw_column *cols[TW_REPORT_MAX_COLUMNS];
    size_t m = tw_report_view(TW_LEVEL_COUNTRY, TW_SHOW_RUNS, cols, TW_REPORT_MAX_COLUMNS);
    printf("\n%-8s", "country");
    for (size_t q = 0; q < m; q++) printf(" %*s", tw_column_width(cols[q]), tw_column_heading(cols[q]));
    putchar('\n');
    const cJSON *c;
    cJSON_ArrayForEach(c, cs)
    {
        const cJSON *code = cJSON_GetObjectItemCaseSensitive(c, "code");
        printf("%-8s", cJSON_IsString(code) ? code->valuestring : "?");
        for (size_t q = 0; q < m; q++)
            printf(" %*.*f", tw_column_width(cols[q]), tw_column_decimals(cols[q]),
                   num(c, tw_column_name(cols[q])));
        putchar('\n');
    }
}

static int runs_show(tw_store *st, long long id, int json)
{
    tw_error err;
    tw_run *r = tw_store_get(st, id, &err);
    if (!r) {
        cli_error(&err);
        return tw_status_exit_code(err.code);
    }
    if (json) {
        cJSON *o = cJSON_CreateObject();
        if (o) {
            cJSON_AddNumberToObject(o, "id", (double)r->id);
            const char *keys[] = {"created", "version", "kind", "source", "label", "world",
                                  "world_hash"};
            const char *vals[] = {r->created, r->version, r->kind, r->source, r->label, r->world,
                                  r->world_hash};
            for (int k = 0; k < 7; k++) cJSON_AddStringToObject(o, keys[k], vals[k]);
            cJSON_AddBoolToObject(o, "converged", r->converged);
            cJSON_AddNumberToObject(o, "iterations", (double)r->iterations);
            cJSON_AddNumberToObject(o, "evaluations", (double)r->evaluations);
            cJSON_AddItemToObject(o, "residual", isnan(r->residual) ? cJSON_CreateNull()
                                                                    : cJSON_CreateNumber(r->residual));
            cJSON_AddNumberToObject(o, "seconds", r->seconds);
            const char *jk[] = {"inputs", "options", "results"};
            const char *jv[] = {r->inputs, r->options, r->results};
            for (int k = 0; k < 3; k++) {
                cJSON *v = cJSON_Parse(jv[k]);
                cJSON_AddItemToObject(o, jk[k], v ? v : cJSON_CreateString(jv[k]));
            }
        }
        char *txt = o ? tw_json_print(o) : NULL;
        cJSON_Delete(o);
        int ok = txt && printf("%s\n", txt) >= 0;
        free(txt);
        tw_run_free(r);
        return ok ? 0 : 3;
    }
    printf("run %lld: %s from %s, %s, tradewar %s\n", r->id, r->kind, r->source, r->created,
           r->version);
    printf("world:   %s (hash %s)\n", r->world, r->world_hash);
    printf("label:   %s\n", r->label);
    printf("options: %s\n", r->options);
    printf("solver:  %ld iterations, %ld model evaluations, max residual %.1e, %.3f s\n",
           r->iterations, r->evaluations, r->residual, r->seconds);
    cJSON *res = cJSON_Parse(r->results);
    size_t steps = 0;
    const cJSON *cs = res ? final_countries(res, &steps) : NULL;
    if (steps) printf("steps:   %zu (countries after the last one)\n", steps);
    if (cJSON_IsArray(cs)) show_countries(cs);
    cJSON_Delete(res);
    tw_run_free(r);
    return 0;
}

static double at(const cJSON *row, const char *key, int k)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(row, key);
    const cJSON *v = cJSON_IsArray(a) ? cJSON_GetArrayItem(a, k) : NULL;
    return v && cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

/* The B - A column of every compared measure of level lv in diff d, a row per
 * pair or country and sector that both runs hold. */
static void print_level(const cJSON *d, const char *array, tw_report_level lv,
                        const char *const keys[2])
{
    const cJSON *rows = cJSON_GetObjectItem(d, array), *o;
    if (!cJSON_IsArray(rows)) {
        printf("\n%s: not in both runs (a timeline, or a run saved without them)\n", array);
        return;
    }
    const tw_column *cols[TW_REPORT_MAX_COLUMNS];
    size_t m = tw_report_view(lv, TW_SHOW_DIFF, cols, TW_REPORT_MAX_COLUMNS);
    printf("\n%s, B - A (percentage points)\n%-8s %-8s", array, keys[0], keys[1]);
    for (size_t k = 0; k < m; k++) printf(" %*s", tw_column_width(cols[k]), tw_column_heading(cols[k]));
    printf("\n");
    cJSON_ArrayForEach(o, rows)
    {
        printf("%-8s %-8s", cJSON_GetStringValue(cJSON_GetObjectItem(o, keys[0])),
               cJSON_GetStringValue(cJSON_GetObjectItem(o, keys[1])));
        for (size_t k = 0; k < m; k++) {
            double v = at(o, tw_column_name(cols[k]), 2);
            int dec = tw_column_decimals(cols[k]);
            if (fabs(v) < 0.5 * pow(10.0, -dec)) v = 0.0; /* no "-0.000" */
            if (isnan(v)) printf(" %*s", tw_column_width(cols[k]), "-");
            else printf(" %*.*f", tw_column_width(cols[k]), dec, v);
        }
        printf("\n");
    }
}

static int runs_diff(tw_store *st, long long a, long long b, int json, const int levels[2])
{
    tw_error err;
    tw_run *ra = tw_store_get(st, a, &err), *rb = ra ? tw_store_get(st, b, &err) : NULL;
    char *txt = rb ? tw_run_diff_json(ra, rb, &err) : NULL;
    int rc = 0;
    if (!txt) {
        cli_error(&err);
        rc = tw_status_exit_code(err.code);
        goto done;
    }
    if (json) {
        printf("%s\n", txt);
        goto done;
    }
    cJSON *d = cJSON_Parse(txt);
    printf("runs %lld -> %lld: %s vs %s; same world: %s; same inputs: %s\n", a, b, ra->kind,
           rb->kind, cJSON_IsTrue(cJSON_GetObjectItem(d, "same_world")) ? "yes" : "no",
           cJSON_IsTrue(cJSON_GetObjectItem(d, "same_inputs")) ? "yes" : "no");
    printf("labels: \"%s\" -> \"%s\"\n", ra->label, rb->label);
    const cJSON *opts = cJSON_GetObjectItem(d, "options"), *o;
    cJSON_ArrayForEach(o, opts)
    {
        char *x = tw_json_print(cJSON_GetArrayItem(o, 0));
        char *y = tw_json_print(cJSON_GetArrayItem(o, 1));
        printf("option %s: %s -> %s\n", o->string, x ? x : "?", y ? y : "?");
        free(x);
        free(y);
    }
    printf("\n%-8s %10s %10s %10s %12s %12s\n", "country", "welfare% A", "welfare% B",
           "difference", "realwage dif", "prices dif");
    cJSON_ArrayForEach(o, cJSON_GetObjectItem(d, "countries"))
    {
        const cJSON *code = cJSON_GetObjectItem(o, "code");
        printf("%-8s %10.4f %10.4f %10.4f %12.4f %12.4f\n",
               cJSON_IsString(code) ? code->valuestring : "?", at(o, "welfare_pct", 0),
               at(o, "welfare_pct", 1), at(o, "welfare_pct", 2), at(o, "real_wage_pct", 2),
               at(o, "price_index_pct", 2));
    }
    static const char *const pair_keys[2] = {"importer", "exporter"};
    static const char *const sector_keys[2] = {"country", "sector"};
    if (levels[0]) print_level(d, "bilateral", TW_LEVEL_PAIR, pair_keys);
    if (levels[1]) print_level(d, "sectors", TW_LEVEL_SECTOR, sector_keys);
    cJSON_Delete(d);
done:
    free(txt);
    tw_run_free(ra);
    tw_run_free(rb);
    return rc;
}

static int parse_id(const char *v, long long *id)
{
    char *end;
    errno = 0;
    long long x = strtoll(v, &end, 10);
    if (!*v || *end || errno || x < 1) return -1;
    *id = x;
    return 0;
}

/* The action, the run ids and --limit. */
typedef struct runs_args {
    const char *sub, *ids[2];
    size_t nid;
    long limit;
} runs_args;

/* --limit N; a missing value is a bad one. */
static int set_limit(const cli_parser *p, const cli_opt *o, const char *v)
{
    (void)o;
    runs_args *ra = p->ctx;
    char *end;
    errno = 0;
    ra->limit = v ? strtol(v, &end, 10) : -1;
    if (!v || *end || errno || ra->limit < 0)
        return cli_opt_error(p, "--limit \"%s\" is not a whole number >= 0", v ? v : "");
    return 0;
}

static int runs_arg(const cli_parser *p, int k, const char *arg)
{
    (void)k;
    runs_args *ra = p->ctx;
    if (!ra->sub) ra->sub = arg;
    else if (ra->nid < 2) ra->ids[ra->nid++] = arg;
    else return cli_opt_error(p, "unexpected argument \"%s\"", arg);
    return 0;
}

int cmd_runs(int argc, char **argv)
{
    const char *db = NULL;
    runs_args ra = {.limit = 20};
    int json = 0, levels[2] = {0, 0};
    const cli_opt opts[] = {
        CLI_FLAG("--json", &json),
        CLI_FLAG("--bilateral", &levels[0]),
        CLI_FLAG("--sectors", &levels[1]),
        CLI_STRING("--db", &db),
        {.name = "--limit", .kind = CLI_OPT_SETTER, .set = set_limit, .optional = 1},
        CLI_END,
    };
    const cli_parser p = {.cmd = "runs", .usage = usage_runs, .opts = opts,
                          .positional = runs_arg, .ctx = &ra};
    int rc = cli_parse_opts(&p, argc, argv);
    if (rc >= 0) return rc;
    const char *sub = ra.sub;
    size_t nid = ra.nid;
    const char *const *ids = ra.ids;
    long limit = ra.limit;
    if (!sub) return cli_usage_error("runs", "%s", "which: list, show ID or diff ID1 ID2?");
    long long id[2] = {0, 0};
    size_t want = !strcmp(sub, "list") ? 0 : !strcmp(sub, "show") ? 1 : !strcmp(sub, "diff") ? 2 : 9;
    if (want == 9) return cli_usage_error("runs", "unknown action \"%s\" (list, show or diff)", sub);
    if (nid != want) return cli_usage_error("runs", "%s takes the wrong number of run ids", sub);
    for (size_t q = 0; q < nid; q++)
        if (parse_id(ids[q], &id[q])) return cli_usage_error("runs", "\"%s\" is not a run id", ids[q]);
    tw_error err;
    tw_error_clear(&err);
    tw_store *st = open_store(db, &err);
    if (!st) return cli_fail(&err);
    rc = want == 0 ? runs_list(st, limit, json)
             : want == 1 ? runs_show(st, id[0], json)
                         : runs_diff(st, id[0], id[1], json, levels);
    tw_store_close(st);
    return rc;
}

/* api.c - the JSON API: routing and the world, solve and timeline endpoints
 * (docs/server.md).
 *
 * Each request builds its own shock and timeline from a shared, read-only
 * world and frees them before it answers; a solve or timeline takes a solver
 * from the pool (pool.h), which keeps the baseline's Jacobian between requests and is
 * used by one request at a time, so no answer depends on an earlier request.
 * The solve gate bounds how many run at once.  A request cannot
 * raise the solver's iteration limit or pass a path: worlds and scenarios are
 * named from the catalog, scenario text is written to a private temporary
 * file.  The game endpoints live in game_api.c, saved runs in runs_api.c.
 * Results are the library's own JSON text (tw_report_json,
 * tw_report_timeline_json_named, naming the world by its catalog name) with
 * the server's fields joined after its members, never parsed and printed
 * again. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tradewar/json.h"
#include "tradewar/report.h"
#include "tradewar/scenario.h"
#include "tradewar/solve.h"
#include "api.h"
#include "body.h"
#include "catalog.h"
#include "paths.h"
#include "pool.h"
#include "reply.h"
#include "shock_json.h"
#include "state.h"

static void add_num(cJSON *o, const char *k, double v)
{
    cJSON_AddItemToObject(o, k, isfinite(v) ? cJSON_CreateNumber(v) : cJSON_CreateNull());
}

/* member key of o printed as JSON; NULL when absent (or out of memory) */
static char *print_member(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return v ? tw_json_print(v) : NULL;
}

/* The fields the server adds to a report on world sw, world_name and
 * world_hash, into o (more go after them): 0, or -1 when out of memory. */
static int add_world_fields(cJSON *o, const srv_world *sw)
{
    return cJSON_AddStringToObject(o, "world_name", sw->name) && cJSON_AddStringToObject(o, "world_hash", sw->hash)
               ? 0
               : -1;
}

/* The object of the server's fields to join after the members of a report
 * txt (srv_reply_json_joined), world_name and world_hash first; NULL with a
 * 503 reply when txt is NULL or out of memory. */
static cJSON *server_fields(const char *txt, const srv_world *sw, srv_reply *rp)
{
    cJSON *out = txt ? cJSON_CreateObject() : NULL;
    if (out && add_world_fields(out, sw)) {
        cJSON_Delete(out);
        out = NULL;
    }
    if (!out) srv_reply_error(rp, 503, "out of memory");
    return out;
}

/* Save a solve r (tl NULL) or a timeline tl as srv_save_run does and add its
 * "run_id" to out: 0, or -1 with err set. */
static int save_into(srv_server *s, const srv_world *sw, const tw_result *r, const tw_timeline *tl,
                     tw_record_opts *o, cJSON *out, tw_error *err)
{
    long long id = srv_save_run(s, sw, r, tl, o, err);
    if (id < 0) return -1;
    cJSON_AddNumberToObject(out, "run_id", (double)id);
    return 0;
}

/* A solve slot, waited for up to SRV_SLOT_WAIT_S: 0, or -1 with a 503 reply. */
static int enter_gate(srv_server *s, srv_reply *rp)
{
    if (srv_gate_enter(&s->gate, SRV_SLOT_WAIT_S)) return 0;
    srv_reply_error(rp, 503, "server busy: %u solves running; try again", s->cfg.max_solves);
    return -1;
}

/* "set": at most 64 event names into set[]; -1 with a 400 reply. */
static int read_set(const cJSON *req, const char **set, size_t *nset, srv_reply *rp)
{
    const cJSON *sa = cJSON_GetObjectItemCaseSensitive(req, "set"), *e;
    if (sa && !cJSON_IsArray(sa)) return srv_bad_field(rp, "set", "must be an array of event names");
    cJSON_ArrayForEach(e, sa)
    {
        if (!cJSON_IsString(e) || *nset == 64)
            return srv_bad_field(rp, "set", *nset == 64 ? "more than 64 events" : "must hold event names (strings)");
        set[(*nset)++] = e->valuestring;
    }
    return 0;
}

/* A scenario this server will not replay: -1 with a 400 reply. */
static int scenario_refused(const tw_scenario *sc, int from_text, int save, srv_reply *rp)
{
    /* The replay opens the mapping table a scenario names; a request must not
     * make the server open a file of its choice (docs/server.md). */
    if (from_text && tw_scenario_mapping(sc)) {
        srv_reply_error(rp, 400, "scenario: a scenario sent as text cannot name a mapping table "
                                 "(the server opens no file that a request names)");
        return -1;
    }
    if (tw_scenario_n_steps(sc) > SRV_MAX_STEPS) {
        srv_reply_error(rp, 400, "scenario has %zu steps (this server solves at most %d)",
                        tw_scenario_n_steps(sc), SRV_MAX_STEPS);
        return -1;
    }
    if (save && srv_utf8_length(tw_scenario_title(sc)) > SRV_LABEL_MAX) { /* the run's label */
        srv_reply_error(rp, 400,
                        "scenario: title of %zu characters (a saved run's label has at most %d)",
                        srv_utf8_length(tw_scenario_title(sc)), SRV_LABEL_MAX);
        return -1;
    }
    return 0;
}

/* ---- GET endpoints ---- */

/* The world named by the query argument arg (the default when absent), or
 * NULL with the error answered. */
static const srv_world *world_arg(srv_server *s, const srv_request *rq, const char *arg, srv_reply *rp)
{
    tw_error err;
    tw_error_clear(&err);
    const srv_world *sw = srv_catalog_get(&s->cat, srv_arg(rq, arg), &err);
    if (!sw) srv_reply_tw_error(rp, &err);
    return sw;
}

/* A new object {code, name} appended to arr; NULL when out of memory. */
static cJSON *add_named(cJSON *arr, const char *code, const char *name)
{
    cJSON *c = cJSON_CreateObject();
    if (!c) return NULL;
    cJSON_AddItemToArray(arr, c);
    cJSON_AddStringToObject(c, "code", code);
    cJSON_AddStringToObject(c, "name", name);
    return c;
}

static void api_world(srv_server *s, const srv_request *rq, srv_reply *rp)
{
    const srv_world *sw = world_arg(s, rq, "name", rp);
    if (!sw) return;
    const tw_world *w = sw->w;
    size_t N = tw_world_n_countries(w), J = tw_world_n_sectors(w);
    cJSON *o = cJSON_CreateObject();
    if (!o) return;
    cJSON_AddStringToObject(o, "name", sw->name);
    cJSON_AddStringToObject(o, "hash", sw->hash);
    const char *keys[] = {"year", "tariff_year", "units", "source"};
    for (size_t k = 0; k < 4; k++)
        if (tw_world_meta(w, keys[k])) cJSON_AddStringToObject(o, keys[k], tw_world_meta(w, keys[k]));
    cJSON *cs = cJSON_AddArrayToObject(o, "countries");
    for (size_t n = 0; n < N && cs; n++) {
        cJSON *c = add_named(cs, tw_world_country_code(w, n), tw_world_country_name(w, n));
        if (!c) break;
        add_num(c, "value_added", tw_world_value_added(w, n));
        add_num(c, "income", tw_world_income(w, n));
        add_num(c, "exports", tw_world_exports(w, n));
        add_num(c, "imports", tw_world_imports(w, n));
        add_num(c, "deficit", tw_world_deficit(w, n));
        add_num(c, "tariff_revenue", tw_world_tariff_revenue(w, n));
    }
    cJSON *ss = cJSON_AddArrayToObject(o, "sectors");
    for (size_t j = 0; j < J && ss; j++) {
        cJSON *c = add_named(ss, tw_world_sector_code(w, j), tw_world_sector_name(w, j));
        if (!c) break;
        add_num(c, "theta", tw_world_sector_theta(w, j));
        cJSON_AddBoolToObject(c, "tradable", tw_world_sector_tradable(w, j));
    }
    /* the named sets a request's "elasticities" may choose */
    cJSON_AddItemToObject(o, "elasticities", srv_elasticity_sets_json(w));
    /* average_tariff_pct[n][i]: importer n's trade-weighted tariff on i's goods */
    cJSON *avg = cJSON_AddArrayToObject(o, "average_tariff_pct");
    for (size_t n = 0; n < N && avg; n++) {
        cJSON *row = cJSON_CreateArray();
        if (!row) break;
        cJSON_AddItemToArray(avg, row);
        for (size_t i = 0; i < N; i++)
            cJSON_AddItemToArray(row, cJSON_CreateNumber(
                                          n == i ? 0 : 100 * tw_average_tariff(w, tw_world_tariffs(w), n, i)));
    }
    srv_reply_json(rp, 200, o);
}

static void api_pair(srv_server *s, const srv_request *rq, srv_reply *rp)
{
    const srv_world *sw = world_arg(s, rq, "world", rp);
    if (!sw) return;
    const tw_world *w = sw->w;
    const char *imp = srv_arg(rq, "importer"), *exp = srv_arg(rq, "exporter");
    long n = imp ? tw_world_country_index(w, imp) : -1, i = exp ? tw_world_country_index(w, exp) : -1;
    if (n < 0 || i < 0) {
        srv_reply_error(rp, 400, "%s: unknown country \"%s\"", n < 0 ? "importer" : "exporter",
                        n < 0 ? (imp ? imp : "") : (exp ? exp : ""));
        return;
    }
    if (n == i) {
        srv_reply_error(rp, 400, "importer and exporter are both %s (expected two countries)", imp);
        return;
    }
    size_t N = tw_world_n_countries(w), J = tw_world_n_sectors(w);
    const double *tau = tw_world_tariffs(w), *trade = tw_world_trade(w);
    cJSON *o = cJSON_CreateObject();
    if (!o) return;
    cJSON_AddStringToObject(o, "world", sw->name);
    cJSON_AddStringToObject(o, "importer", imp);
    cJSON_AddStringToObject(o, "exporter", exp);
    add_num(o, "average_tariff", tw_average_tariff(w, tau, (size_t)n, (size_t)i));
    cJSON *arr = cJSON_AddArrayToObject(o, "sectors");
    for (size_t j = 0; j < J && arr; j++) {
        cJSON *c = add_named(arr, tw_world_sector_code(w, j), tw_world_sector_name(w, j));
        if (!c) break;
        size_t ix = ((size_t)n * N + (size_t)i) * J + j; /* [importer][exporter][sector] */
        cJSON_AddBoolToObject(c, "tradable", tw_world_sector_tradable(w, j));
        add_num(c, "rate", tau[ix]);
        add_num(c, "trade", trade[ix]);
    }
    srv_reply_json(rp, 200, o);
}

/* ---- POST /api/solve ---- */

/* The body of a solve or timeline request, with only the keys listed; NULL
 * with the error answered. */
static cJSON *request_body(const srv_request *rq, const char *const *keys, srv_reply *rp)
{
    cJSON *req = srv_parse_body(rq, rp);
    tw_error err;
    tw_error_clear(&err);
    if (req && srv_check_keys(req, keys, "request", &err)) {
        srv_reply_tw_error(rp, &err);
        cJSON_Delete(req);
        return NULL;
    }
    return req;
}

/* A request that asks to save on a server without a run store: -1 with a
 * 400 reply. */
static int save_refused(const srv_server *s, int save, srv_reply *rp)
{
    if (!save || s->db) return 0;
    srv_reply_error(rp, 400, "save: this server keeps no run store (started with --no-db)");
    return -1;
}

static void api_solve(srv_server *s, const srv_request *rq, srv_reply *rp)
{
    static const char *const keys[] = {"world", "elasticities", "tariffs", "ntb", "method",
                                       "deficits", "tol", "bilateral", "sectors", "save", "label",
                                       NULL};
    cJSON *req = request_body(rq, keys, rp), *out = NULL;
    if (!req) return;
    tw_error err;
    tw_error_clear(&err);
    tw_shock *shock = NULL;
    srv_pooled *pe = NULL;
    tw_result *r = NULL;
    char *txt = NULL;
    const char *world, *label, *elast;
    int bilateral, sectors, save;
    srv_solve_opts so;
    size_t cells = 0;
    if (srv_opt_string(req, "world", &world, rp) || srv_opt_string(req, "label", &label, rp) ||
        srv_opt_string(req, "elasticities", &elast, rp) ||
        srv_opt_bool(req, "bilateral", 1, &bilateral, rp) || srv_opt_bool(req, "sectors", 0, &sectors, rp) ||
        srv_opt_bool(req, "save", 0, &save, rp) || srv_read_solve_opts(req, TW_TOL_DEFAULT, &so, rp))
        goto done;
    if (label && srv_utf8_length(label) > SRV_LABEL_MAX) {
        srv_reply_error(rp, 400, "label: %zu characters (at most %d)", srv_utf8_length(label),
                        SRV_LABEL_MAX);
        goto done;
    }
    if (save_refused(s, save, rp)) goto done;
    const srv_world *sw = srv_catalog_get(&s->cat, world, &err);
    if (sw) pe = srv_pool_take(&s->pool, sw, elast, &so, &err);
    if (!pe) goto tw_fail;
    sw = pe->sw;
    shock = tw_shock_create(sw->w, &err);
    if (!shock ||
        srv_apply_cells(shock, sw->w, cJSON_GetObjectItemCaseSensitive(req, "tariffs"), 0, &cells, &err) ||
        srv_apply_cells(shock, sw->w, cJSON_GetObjectItemCaseSensitive(req, "ntb"), 1, &cells, &err))
        goto tw_fail;
    if (enter_gate(s, rp)) goto done;
    double t0 = tw_clock_seconds();
    r = tw_solver_run(pe->sv, shock, &err);
    double secs = tw_clock_seconds() - t0;
    srv_gate_leave(&s->gate);
    if (!r) goto tw_fail;
    tw_report_opts ro = {.bilateral = bilateral, .sectors = sectors, .tol = so.tol,
                         .scenario = label ? label : "dashboard", .world = sw->name};
    /* the report as the library writes it, named by the world's name, and
     * the server's fields after its members (srv_reply_json_joined) */
    txt = tw_report_json(sw->w, r, &ro);
    if (!(out = server_fields(txt, sw, rp))) goto done;
    cJSON_AddNumberToObject(out, "cells_changed", (double)cells);
    cJSON_AddNumberToObject(out, "elapsed_ms", 1e3 * secs);
    if (save) {
        char *ta = print_member(req, "tariffs"), *na = print_member(req, "ntb");
        tw_record_opts o = {.label = label ? label : "dashboard", .tariffs_json = ta,
                            .ntb_json = na, .tol = so.tol, .results = txt, .seconds = secs};
        int failed = save_into(s, sw, r, NULL, &o, out, &err);
        free(ta);
        free(na);
        if (failed) goto tw_fail;
    }
    srv_reply_json_joined(rp, 200, txt, out);
    txt = NULL;
    out = NULL;
    goto done;
tw_fail:
    srv_reply_tw_error(rp, &err);
done:
    cJSON_Delete(out);
    free(txt);
    tw_result_free(r);
    tw_shock_free(shock);
    /* a solver that ran out of memory may hold half-built caches: not kept */
    srv_pool_give(&s->pool, pe, err.code != TW_ENOMEM);
    cJSON_Delete(req);
}

/* ---- POST /api/timeline ---- */

/* Write scenario text to a private temporary file; its path in buf. */
static int text_to_file(const char *text, char *buf, size_t size, tw_error *err)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(buf, size, "%s/tradewar-scenario-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    int fd = mkstemp(buf);
    if (fd < 0) {
        tw_error_set(err, TW_EIO, NULL, 0, 0, "cannot write the scenario text to a temporary file");
        return -1;
    }
    size_t len = strlen(text), off = 0;
    while (off < len) {
        ssize_t k = write(fd, text + off, len - off);
        if (k <= 0) break;
        off += (size_t)k;
    }
    close(fd);
    if (off < len) {
        unlink(buf);
        tw_error_set(err, TW_EIO, NULL, 0, 0, "cannot write the scenario text to a temporary file");
        return -1;
    }
    return 0;
}

static void api_timeline(srv_server *s, const srv_request *rq, srv_reply *rp)
{
    static const char *const keys[] = {"world", "elasticities", "scenario", "text", "set",
                                       "method", "deficits", "tol", "save", NULL};
    cJSON *req = request_body(rq, keys, rp), *out = NULL;
    if (!req) return;
    char *path = NULL, *txt = NULL, tmp[512] = "";
    const char *world, *name, *text, *elast, *set[64];
    size_t nset = 0;
    int save;
    srv_solve_opts so;
    tw_scenario *sc = NULL;
    tw_timeline *tl = NULL;
    srv_pooled *pe = NULL;
    tw_error err;
    tw_error_clear(&err);
    if (srv_opt_string(req, "world", &world, rp) || srv_opt_string(req, "scenario", &name, rp) ||
        srv_opt_string(req, "text", &text, rp) || srv_opt_bool(req, "save", 0, &save, rp) ||
        srv_opt_string(req, "elasticities", &elast, rp) ||
        srv_read_solve_opts(req, TW_TOL_DEFAULT, &so, rp))
        goto done;
    if (save_refused(s, save, rp)) goto done;
    if (!name == !text) {
        srv_reply_error(rp, 400, "give either \"scenario\" (a name) or \"text\" (a scenario file's text)");
        goto done;
    }
    if (read_set(req, set, &nset, rp)) goto done;
    if (name) {
        path = srv_catalog_scenario_path(&s->cat, name, &err);
        if (!path) goto tw_fail;
    } else if (text_to_file(text, tmp, sizeof tmp, &err) != 0) {
        goto tw_fail;
    }
    sc = tw_scenario_load(path ? path : tmp, &err);
    if (!sc) goto tw_fail;
    if (scenario_refused(sc, text != NULL, save, rp)) goto done;
    const srv_world *sw = srv_catalog_get(&s->cat, world ? world : tw_scenario_world(sc), &err);
    if (sw) pe = srv_pool_take(&s->pool, sw, elast, &so, &err);
    if (!pe) goto tw_fail;
    sw = pe->sw;
    if (enter_gate(s, rp)) goto done;
    double t0 = tw_clock_seconds();
    /* its first step starts cold (from the baseline), the others from the
     * step before: nothing of an earlier request's solves */
    tl = tw_timeline_run(sc, sw->w, set, nset, pe->sv, &err);
    double secs = tw_clock_seconds() - t0;
    srv_gate_leave(&s->gate);
    if (!tl) goto tw_fail;
    /* as for a solve: the library's text, named by the world's name, and
     * the server's fields joined after its members */
    txt = tw_report_timeline_json_named(tl, sw->name);
    if (!(out = server_fields(txt, sw, rp))) goto done;
    cJSON_AddNumberToObject(out, "elapsed_ms", 1e3 * secs);
    if (save) {
        tw_record_opts o = {.label = tw_scenario_title(sc), .scenario = name,
                            .scenario_text = name ? NULL : text, .set = set, .n_set = nset,
                            .tol = so.tol, .results = txt, .seconds = secs};
        if (save_into(s, sw, NULL, tl, &o, out, &err)) goto tw_fail;
    }
    srv_reply_json_joined(rp, 200, txt, out);
    txt = NULL;
    out = NULL;
    goto done;
tw_fail:
    /* the temporary file's name means nothing to the client */
    if (tmp[0] && strcmp(err.file, tmp) == 0) snprintf(err.file, sizeof err.file, "scenario");
    srv_reply_tw_error(rp, &err);
done:
    if (tmp[0]) unlink(tmp);
    cJSON_Delete(out);
    free(txt);
    free(path);
    tw_timeline_free(tl);
    srv_pool_give(&s->pool, pe, err.code != TW_ENOMEM);
    tw_scenario_free(sc);
    cJSON_Delete(req);
}

/* ---- routing ---- */

static int is(const srv_request *rq, const char *method, const char *path)
{
    return strcmp(rq->path, path) == 0 && strcmp(rq->method, method) == 0;
}

void srv_api(srv_server *s, const srv_request *rq, srv_reply *rp)
{
    static const char *const get_paths[] = {"/api/health", "/api/worlds", "/api/world",
                                            "/api/pair", "/api/scenarios"};
    static const char *const post_paths[] = {"/api/solve", "/api/timeline"};
    static const char *const game[] = {"/api/optimal", "/api/nash", "/api/talks", "/api/escalate"};
    if (is(rq, "GET", "/api/health")) {
        /* requests being served other than health probes (this one
         * included): lets a client see that its other request has arrived
         * (e.g. before it stops the server) */
        pthread_mutex_lock(&s->count_lock);
        unsigned others = s->in_flight - s->health_in_flight;
        pthread_mutex_unlock(&s->count_lock);
        cJSON *o = cJSON_CreateObject();
        if (o) {
            cJSON_AddBoolToObject(o, "ok", 1);
            cJSON_AddStringToObject(o, "version", TW_VERSION);
            cJSON_AddBoolToObject(o, "store", s->db != NULL);
            cJSON_AddNumberToObject(o, "in_flight", (double)others);
        }
        srv_reply_json(rp, 200, o);
    } else if (is(rq, "GET", "/api/worlds")) {
        srv_reply_json(rp, 200, srv_catalog_list(&s->cat));
    } else if (is(rq, "GET", "/api/world")) {
        api_world(s, rq, rp);
    } else if (is(rq, "GET", "/api/pair")) {
        api_pair(s, rq, rp);
    } else if (is(rq, "GET", "/api/scenarios")) {
        srv_reply_json(rp, 200, srv_catalog_scenarios(&s->cat));
    } else if (is(rq, "POST", "/api/solve")) {
        api_solve(s, rq, rp);
    } else if (is(rq, "POST", "/api/timeline")) {
        api_timeline(s, rq, rp);
    } else if (strncmp(rq->path, "/api/runs", 9) == 0 && (rq->path[9] == '\0' || rq->path[9] == '/')) {
        srv_api_runs(s, rq, rp);
    } else if (strncmp(rq->path, "/api/jobs", 9) == 0 && (rq->path[9] == '\0' || rq->path[9] == '/')) {
        srv_api_jobs(s, rq, rp);
    } else {
        for (size_t k = 0; k < sizeof game / sizeof game[0]; k++)
            if (strcmp(rq->path, game[k]) == 0) {
                srv_api_game(s, rq, rp);
                return;
            }
        for (size_t k = 0; k < sizeof get_paths / sizeof get_paths[0]; k++)
            if (strcmp(rq->path, get_paths[k]) == 0) {
                srv_reply_error(rp, 405, "%s takes GET, not %s", rq->path, rq->method);
                return;
            }
        for (size_t k = 0; k < sizeof post_paths / sizeof post_paths[0]; k++)
            if (strcmp(rq->path, post_paths[k]) == 0) {
                srv_reply_error(rp, 405, "%s takes POST, not %s", rq->path, rq->method);
                return;
            }
        srv_reply_error(rp, 404, "no such endpoint: %s", rq->path);
    }
}

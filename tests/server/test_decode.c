/* test_decode.c - the server's request decoding without a socket: the body
 * rules (server/body.c), the solve options of POST /api/solve (method,
 * deficits, tol in [TW_TOL_MIN, TW_TOL_MAX], unknown fields), and the names
 * that stand for the server's paths in answers (server/paths.c), and the
 * solvers the server keeps between solves (server/pool.c), and a report
 * answered with the server's fields joined (server/reply.c).  Each error is
 * asserted by its exact text and status. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tradewar/policy.h"
#include "tradewar/solve.h"
#include "tradewar/world.h"
#include "../../server/api.h"
#include "../../server/body.h"
#include "../../server/catalog.h"
#include "../../server/paths.h"
#include "../../server/state.h"

/* The error text of reply rp (which it frees); asserts the status. */
static void assert_error(srv_reply *rp, unsigned status, const char *msg)
{
    assert_int_equal(rp->status, status);
    cJSON *o = cJSON_Parse(rp->body);
    assert_non_null(o);
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(o, "error");
    assert_true(cJSON_IsString(e));
    assert_string_equal(e->valuestring, msg);
    assert_int_equal((int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(o, "status")),
                     (int)status);
    cJSON_Delete(o);
    free(rp->body);
    rp->body = NULL;
}

static void body_error(const char *body, size_t len, const char *msg)
{
    srv_request rq = {.method = "POST", .path = "/api/solve", .body = body, .len = len};
    srv_reply rp = {0, NULL, NULL, NULL, NULL};
    assert_null(srv_parse_body(&rq, &rp));
    assert_error(&rp, 400, msg);
}

static void test_body_rules_name_the_byte_or_the_field(void **state)
{
    body_error("", 0, "request body is empty (expected a JSON object)");
    body_error("{\"a\":\"\xff\"}", 8, "request body is not valid UTF-8 (byte 7 of 8)");
    body_error("{\"a\":\"x\0\"}", 9, "request body has a NUL character at byte 8 of 9");
    body_error("{\"a\":\"x\\u0000\"}", 14,
               "request body has a NUL character (\\u0000) at byte 8 of 14");
    body_error("{\"a\":1} x", 9, "unexpected text after the JSON value at byte 9 of 9");
    body_error("{\"a\":", 5, "malformed JSON at byte 5 of 5");
    body_error("[1]", 3, "request body must be a JSON object");
    body_error("{\"a\":{\"b\":1,\"b\":2}}", 19, "a: duplicate field \"b\"");
    body_error("{\"a\":1,\"a\":2}", 13, "request: duplicate field \"a\"");
}

static void test_body_rules_take_a_clean_object(void **state)
{
    const char *body = "{\"a\": [1, {\"b\": \"\xc3\xa9\"}]}\n";
    srv_request rq = {.method = "POST", .path = "/api/solve", .body = body, .len = strlen(body)};
    srv_reply rp = {0, NULL, NULL, NULL, NULL};
    cJSON *o = srv_parse_body(&rq, &rp);
    assert_non_null(o);
    assert_null(rp.body);
    cJSON_Delete(o);
    assert_int_equal(srv_utf8_length("a\xc3\xa9z"), 3);
}

/* A server without a daemon: the worlds of folder root, world the default,
 * no run store. */
static srv_server *server_of(const char *root, const char *world)
{
    srv_server *s = calloc(1, sizeof *s);
    assert_non_null(s);
    char msg[256];
    s->cfg.max_solves = 1;
    pthread_mutex_init(&s->gate.lock, NULL);
    pthread_cond_init(&s->gate.cond, NULL);
    s->gate.free = 1;
    srv_pool_init(&s->pool);
    pthread_mutex_init(&s->count_lock, NULL);
    assert_int_equal(srv_catalog_init(&s->cat, root, world, msg, sizeof msg), 0);
    return s;
}

/* The worlds of tests/data/good, tiny3x2 the default. */
static srv_server *server(void)
{
    return server_of(TW_SOURCE_DIR "/tests/data/good", "tiny3x2");
}

static void server_free(srv_server *s)
{
    srv_paths_free(s);
    srv_pool_free(&s->pool);
    srv_catalog_free(&s->cat);
    pthread_mutex_destroy(&s->gate.lock);
    pthread_cond_destroy(&s->gate.cond);
    pthread_mutex_destroy(&s->count_lock);
    free(s);
}

static void solve_error(srv_server *s, const char *body, unsigned status, const char *msg)
{
    srv_request rq = {.method = "POST", .path = "/api/solve", .body = body, .len = strlen(body)};
    srv_reply rp = {0, NULL, NULL, NULL, NULL};
    srv_api(s, &rq, &rp);
    assert_error(&rp, status, msg);
}

static void test_solve_options_are_checked_by_name(void **state)
{
    srv_server *s = server();
    solve_error(s, "{\"tarifs\":[]}", 400,
                "request: unknown field \"tarifs\" (expected world, elasticities, tariffs, ntb, "
                "method, deficits, tol, bilateral, sectors, save, label)");
    solve_error(s, "{\"elasticities\":\"uniform5\"}", 400,
                "elasticities: unknown elasticity set \"uniform5\" (the world names none; give a "
                "file set,sector,theta)");
    solve_error(s, "{\"elasticities\":4}", 400, "elasticities: must be a string");
    solve_error(s, "{\"method\":\"broyden\"}", 400, "method: must be \"newton\" or \"tatonnement\"");
    solve_error(s, "{\"method\":7}", 400, "method: must be a string");
    solve_error(s, "{\"deficits\":\"drop\"}", 400, "deficits: must be \"keep\" or \"purge\"");
    solve_error(s, "{\"tol\":1e-3}", 400, "tol: must be a number in " TW_TOL_RANGE_TEXT);
    solve_error(s, "{\"tol\":1e-15}", 400, "tol: must be a number in " TW_TOL_RANGE_TEXT);
    solve_error(s, "{\"tol\":\"1e-8\"}", 400, "tol: must be a number in " TW_TOL_RANGE_TEXT);
    solve_error(s, "{\"bilateral\":1}", 400, "bilateral: must be true or false");
    solve_error(s, "{\"save\":true}", 400,
                "save: this server keeps no run store (started with --no-db)");
    server_free(s);
}

static void test_solve_takes_the_ends_of_the_tolerance_range(void **state)
{
    srv_server *s = server();
    const char *bodies[] = {"{\"tol\":1e-14}", "{\"tol\":1e-4,\"method\":\"newton\"}"};
    for (size_t k = 0; k < 2; k++) {
        srv_request rq = {.method = "POST", .path = "/api/solve", .body = bodies[k], .len = strlen(bodies[k])};
        srv_reply rp = {0, NULL, NULL, NULL, NULL};
        srv_api(s, &rq, &rp);
        assert_int_equal(rp.status, 200);
        free(rp.body);
    }
    server_free(s);
}

static void test_paths_become_names(void **state)
{
    char buf[64];
    assert_string_equal(srv_path_name("a/b/c.csv/", buf, sizeof buf), "c.csv");
    assert_string_equal(srv_path_name("/", buf, sizeof buf), "/");
    assert_string_equal(srv_path_name("runs.db", buf, sizeof buf), "runs.db");
    srv_server *s = calloc(1, sizeof *s);
    assert_non_null(s);
    s->cat.n = 1;
    snprintf(s->cat.worlds[0].name, sizeof s->cat.worlds[0].name, "tiny");
    s->cat.worlds[0].dir = "/srv/data/tiny";
    s->cat.data_root = "/srv/data";
    s->db = "/home/u/runs.db";
    assert_int_equal(srv_paths_init(s), 0);
    char *out = srv_paths_scrub(s, "/srv/data/tiny/trade.csv, /srv/data/scenarios/x.tw, "
                                   "/home/u/runs.db");
    assert_string_equal(out, "tiny/trade.csv, scenarios/x.tw, runs.db");
    free(out);
    srv_paths_free(s);
    free(s);
}

/* ---- kept solvers (server/pool.h) ---- */

/* POST body to path on s: the 200 answer, parsed (the caller deletes it). */
static cJSON *post_ok(srv_server *s, const char *path, const char *body)
{
    srv_request rq = {.method = "POST", .path = path, .body = body, .len = strlen(body)};
    srv_reply rp = {0, NULL, NULL, NULL, NULL};
    srv_api(s, &rq, &rp);
    assert_int_equal(rp.status, 200);
    cJSON *o = cJSON_Parse(rp.body);
    free(rp.body);
    assert_non_null(o);
    return o;
}

/* POST /api/solve body on s: the reply's welfare_pct per country into w[]
 * (n of them), and its evaluations. */
static size_t solve_welfare(srv_server *s, const char *body, double *w, size_t n)
{
    cJSON *o = post_ok(s, "/api/solve", body);
    const cJSON *cs = cJSON_GetObjectItemCaseSensitive(o, "countries"), *c;
    size_t k = 0;
    cJSON_ArrayForEach(c, cs)
    {
        assert_true(k < n);
        w[k++] = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(c, "welfare_pct"));
    }
    assert_int_equal(k, n);
    size_t ev = (size_t)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(o, "evaluations"));
    cJSON_Delete(o);
    return ev;
}

/* The same solve with the US-China tariffs of data/scenarios/us_china_145_125.csv
 * on a new solver of the library, as `tradewar solve` makes it. */
static void fresh_welfare(const tw_world *w, const char *elast, tw_deficits d, double *out)
{
    tw_error err;
    tw_world *alt = NULL;
    if (elast) assert_int_equal(tw_world_apply_elasticity_set(w, elast, &alt, &err), TW_OK);
    const tw_world *ws = alt ? alt : w;
    tw_shock *sh = tw_shock_create(ws, &err);
    assert_non_null(sh);
    assert_int_equal(tw_shock_load_tariffs(sh, TW_SOURCE_DIR "/data/scenarios/us_china_145_125.csv", &err), TW_OK);
    tw_solver *sv = tw_solver_create(ws, &err);
    assert_non_null(sv);
    tw_solver_set_deficits(sv, d);
    tw_result *r = tw_solver_run(sv, sh, &err);
    assert_non_null(r);
    for (size_t n = 0; n < tw_result_n_countries(r); n++)
        out[n] = 100.0 * (tw_result_welfare_hat(r, n) - 1.0);
    tw_result_free(r);
    tw_solver_free(sv);
    tw_shock_free(sh);
    tw_world_free(alt);
}

/* POST /api/timeline of the scenario "example" (world2011, 21 countries): the
 * welfare_pct of its baseline and four steps into w[5 x 21]. */
static void timeline_welfare(srv_server *s, double *w)
{
    cJSON *o = post_ok(s, "/api/timeline", "{\"scenario\":\"example\"}");
    const cJSON *steps = cJSON_GetObjectItemCaseSensitive(o, "steps"), *st, *c;
    size_t k = 0;
    cJSON_ArrayForEach(st, steps)
    {
        cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(st, "countries"))
        {
            assert_true(k < 5 * 21);
            w[k++] = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(c, "welfare_pct"));
        }
    }
    assert_int_equal(k, 5 * 21);
    cJSON_Delete(o);
}

/* A kept solver gives the answer a new one gives, whatever it solved before:
 * the same solve before and after another one agrees to 1e-12 percentage
 * points, and with the library's own solve on a new solver; the later
 * request reuses the first one's solver (fewer evaluations, one kept). */
static void test_kept_solvers_do_not_remember_requests(void **state)
{
    srv_server *s = server_of(TW_SOURCE_DIR "/data", "world2011");
    static const char *const opts[] = {"", ",\"deficits\":\"purge\",\"elasticities\":\"uniform4\""};
    for (size_t q = 0; q < 2; q++) {
        char a[512], b[512];
        snprintf(a, sizeof a, "{\"tariffs\":[{\"importer\":\"USA\",\"exporter\":\"CHN\",\"sector\":\"*\",\"rate\":1.45},"
                              "{\"importer\":\"CHN\",\"exporter\":\"USA\",\"sector\":\"*\",\"rate\":1.25}]%s}", opts[q]);
        snprintf(b, sizeof b, "{\"tariffs\":[{\"importer\":\"*\",\"exporter\":\"DEU\",\"sector\":\"*\",\"rate\":0.6}]%s}",
                 opts[q]);
        double w1[21], w2[21], w3[21], wf[21];
        size_t ev1 = solve_welfare(s, a, w1, 21);
        solve_welfare(s, b, w2, 21);
        size_t ev3 = solve_welfare(s, a, w3, 21);
        fresh_welfare(srv_catalog_get(&s->cat, "world2011", NULL)->w, q ? "uniform4" : NULL,
                      q ? TW_DEFICITS_PURGE : TW_DEFICITS_KEEP, wf);
        double moved = 0;
        for (size_t n = 0; n < 21; n++) {
            assert_true(fabs(w3[n] - w1[n]) <= 1e-12);
            assert_true(fabs(w3[n] - wf[n]) <= 1e-9 * fmax(1.0, fabs(wf[n])));
            moved = fmax(moved, fabs(w2[n] - w1[n]));
        }
        assert_true(moved > 1e-3); /* the solve in between was another one */
        assert_true(ev3 < ev1);    /* the kept solver had its Jacobian */
        assert_int_equal(s->pool.n, q + 1);
    }
    /* a timeline on the solver those solves used (the same options), a solve,
     * and the timeline again: the same welfare at every step */
    double t1[5 * 21], t2[5 * 21], w[21];
    timeline_welfare(s, t1);
    solve_welfare(s, "{\"tariffs\":[{\"importer\":\"*\",\"exporter\":\"JPN\",\"sector\":\"*\",\"rate\":0.4}]}", w, 21);
    timeline_welfare(s, t2);
    for (size_t k = 0; k < 5 * 21; k++) assert_true(fabs(t2[k] - t1[k]) <= 1e-12);
    assert_int_equal(s->pool.n, 2);
    server_free(s);
}

/* srv_reply_json_joined(text, more) answers what parsing text, adding the
 * members of more and printing it again answers (the second method), for a
 * report's kind of text and for empty objects on either side. */
static void joined_is(const char *text, const char *more_text)
{
    cJSON *o = cJSON_Parse(text), *more = cJSON_Parse(more_text), *m;
    assert_non_null(o);
    assert_non_null(more);
    for (m = more->child; m; m = m->next) cJSON_AddItemReferenceToObject(o, m->string, m);
    char *want = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    srv_reply rp = {0};
    srv_reply_json_joined(&rp, 200, strdup(text), more);
    assert_int_equal(rp.status, 200);
    assert_non_null(rp.body);
    assert_string_equal(rp.body, want);
    free(rp.body);
    free(want);
}

static void test_joined_answer_is_the_parsed_and_printed_one(void **state)
{
    (void)state;
    joined_is("{\"world\":\"w\",\"residual\":6.37933437772938e-13,\"countries\":[{\"code\":\"USA\","
              "\"welfare_pct\":-0.12345678901234566}],\"baseline_gap\":null}",
              "{\"world_name\":\"w\",\"world_hash\":\"de11eaab2db6fe3d\",\"cells_changed\":2}");
    joined_is("{\"a\":1}", "{}");
    joined_is("{}", "{\"b\":[true,\"}\"]}");
    joined_is("{}", "{}");
    srv_reply rp = {0}; /* not an object: out of memory's answer, nothing leaks */
    srv_reply_json_joined(&rp, 200, strdup("[1]"), cJSON_CreateObject());
    assert_int_equal(rp.status, 503);
    assert_null(rp.body);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_body_rules_name_the_byte_or_the_field),
        cmocka_unit_test(test_body_rules_take_a_clean_object),
        cmocka_unit_test(test_solve_options_are_checked_by_name),
        cmocka_unit_test(test_solve_takes_the_ends_of_the_tolerance_range),
        cmocka_unit_test(test_paths_become_names),
        cmocka_unit_test(test_kept_solvers_do_not_remember_requests),
        cmocka_unit_test(test_joined_answer_is_the_parsed_and_printed_one),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

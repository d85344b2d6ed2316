/* test_decode.c - the server's request decoding without a socket: the body
 * rules (server/body.c), the solve options of POST /api/solve (method,
 * deficits, tol in [TW_TOL_MIN, TW_TOL_MAX], unknown fields), and the names
 * that stand for the server's paths in answers (server/paths.c).  Each error
 * is asserted by its exact text and status. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tradewar/solve.h"
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

/* A server without a daemon: the worlds of tests/data/good, no run store. */
static srv_server *server(void)
{
    srv_server *s = calloc(1, sizeof *s);
    assert_non_null(s);
    char msg[256];
    s->cfg.max_solves = 1;
    pthread_mutex_init(&s->gate.lock, NULL);
    pthread_cond_init(&s->gate.cond, NULL);
    s->gate.free = 1;
    pthread_mutex_init(&s->count_lock, NULL);
    assert_int_equal(srv_catalog_init(&s->cat, TW_SOURCE_DIR "/tests/data/good", "tiny3x2", msg, sizeof msg), 0);
    return s;
}

static void server_free(srv_server *s)
{
    srv_paths_free(s);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_body_rules_name_the_byte_or_the_field),
        cmocka_unit_test(test_body_rules_take_a_clean_object),
        cmocka_unit_test(test_solve_options_are_checked_by_name),
        cmocka_unit_test(test_solve_takes_the_ends_of_the_tolerance_range),
        cmocka_unit_test(test_paths_become_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

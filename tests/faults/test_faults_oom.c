/* test_faults_oom.c - out-of-memory behaviour of a whole solve and a whole
 * timeline replay: with an allocator that fails on the Nth call, for every N
 * until the work completes without a failure, each call must either fail
 * with TW_ENOMEM (NULL from the report writers) or succeed with the same
 * answer as without faults, and leave no allocation behind.
 *
 * A solve here is what `tradewar solve --json` does after loading: a shock
 * with a tariff change, a solver, the run and the JSON report, on
 * tests/data/good/tiny3x2, for Newton with deficits kept and purged and for
 * tatonnement.  A replay parses tests/faults/tiny3x2.tw, checks it, replays
 * it with its event set (every kind of step: layers, an NTB, a branch, a
 * mirror rule) and writes its JSON.  The world is loaded before the
 * allocator is armed.
 *
 * The allocator (tests/common/fail_alloc.h) replaces glibc's malloc family in
 * this executable and forwards to __libc_*.  AddressSanitizer
 * owns malloc in sanitizer builds, so there the test is skipped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tradewar/policy.h"
#include "tradewar/report.h"
#include "tradewar/scenario.h"
#include "tradewar/solve.h"
#include "tradewar/world.h"

#include "../common/fail_alloc.h"
#include "../common/fixtures.h"

#define TINY TW_SOURCE_DIR "/tests/data/good/tiny3x2"
#define SCENARIO TW_SOURCE_DIR "/tests/faults/tiny3x2.tw"

/* ---- a whole solve ---------------------------------------------------- */

typedef struct answer {
    tw_status st;
    double welfare[3];
    char json[8192]; /* the report's first bytes */
} answer;

typedef struct solve_case {
    const tw_world *w;
    tw_method method;
    tw_deficits deficits;
    answer ref; /* without faults */
} solve_case;

/* The report writers answer NULL only when out of memory. */
static tw_status report_made(const char *json, tw_error *err)
{
    return json ? TW_OK : tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory for the report");
}

/* Shock (USA on CHN goods to 60 %, an NTB on MEX), solver, run, JSON report. */
static answer solve_once(const tw_world *w, tw_method method, tw_deficits deficits, tw_error *err)
{
    answer a = {TW_OK, {0, 0, 0}, ""};
    tw_solver *sv = NULL;
    tw_result *r = NULL;
    char *json = NULL;
    tw_shock *s = tw_shock_create(w, err);
    a.st = s ? tw_shock_set_tariff(s, 0, 1, 0, 0.6, err) : err->code;
    if (!a.st) a.st = tw_shock_scale_ntb(s, 0, 2, 0, 1.1, err);
    if (!a.st && !(sv = tw_solver_create(w, err))) a.st = err->code;
    if (!a.st) {
        tw_solver_set_method(sv, method);
        tw_solver_set_deficits(sv, deficits);
        if (!(r = tw_solver_run(sv, s, err))) a.st = err->code;
    }
    if (!a.st) {
        for (size_t n = 0; n < 3; n++) a.welfare[n] = tw_result_welfare_hat(r, n);
        tw_report_opts ro = {.bilateral = 1, .sectors = 1, .tol = TW_TOL_DEFAULT, .scenario = "faults"};
        a.st = report_made(json = tw_report_json(w, r, &ro), err);
        if (json) snprintf(a.json, sizeof a.json, "%s", json);
    }
    free(json);
    tw_result_free(r);
    tw_solver_free(sv);
    tw_shock_free(s);
    return a;
}

/* A solve with the same answer as without faults, or its failure. */
static tw_status solve_checked(void *ctx, tw_error *err)
{
    const solve_case *c = ctx;
    answer a = solve_once(c->w, c->method, c->deficits, err);
    if (a.st != TW_OK) return a.st;
    for (size_t n = 0; n < 3; n++)
        if (fabs(a.welfare[n] - c->ref.welfare[n]) > 1e-12)
            fail_msg("call %ld: welfare of country %zu is %.15g, expected %.15g", fail_at, n,
                     a.welfare[n], c->ref.welfare[n]);
    if (strcmp(a.json, c->ref.json) != 0)
        fail_msg("call %ld: the JSON changed:\n%s\n%s", fail_at, a.json, c->ref.json);
    return TW_OK;
}

static void every_failure_in_a_solve(tw_method method, tw_deficits deficits)
{
    oom_test_start();
    tw_error err;
    tw_world *w = fx_load(TINY);
    solve_case c = {w, method, deficits, solve_once(w, method, deficits, &err)};
    assert_int_equal(c.ref.st, TW_OK);
    long n = each_allocation_fails(solve_checked, &c, 0, NULL);
    print_message("%s, deficits %s: %ld allocations, each failed once\n", tw_method_name(method),
                  tw_deficits_name(deficits), n);
    tw_world_free(w);
}

static void test_every_allocation_failure_in_a_newton_solve_is_enomem_without_leaks(void **state)
{
    (void)state;
    every_failure_in_a_solve(TW_METHOD_NEWTON, TW_DEFICITS_KEEP);
}

static void test_every_allocation_failure_in_a_purged_solve_is_enomem_without_leaks(void **state)
{
    (void)state;
    every_failure_in_a_solve(TW_METHOD_NEWTON, TW_DEFICITS_PURGE);
}

static void test_every_allocation_failure_in_a_tatonnement_solve_is_enomem_without_leaks(void **state)
{
    (void)state;
    every_failure_in_a_solve(TW_METHOD_TATONNEMENT, TW_DEFICITS_KEEP);
}

/* ---- a whole timeline replay ------------------------------------------ */

typedef struct replay {
    tw_status st;
    size_t steps;
    double last_welfare;
    size_t json_len;
} replay;

static replay replay_once(const tw_world *w, tw_error *err)
{
    replay a = {TW_OK, 0, 0, 0};
    const char *set[] = {"escalation"};
    tw_timeline *tl = NULL;
    char *json = NULL;
    tw_scenario *sc = tw_scenario_load(SCENARIO, err);
    if (!sc) goto fail;
    if ((a.st = tw_scenario_check(sc, w, err)) != TW_OK) goto done;
    if (!(tl = tw_timeline_run(sc, w, set, 1, NULL, err))) goto fail;
    a.steps = tw_timeline_n_steps(tl);
    a.last_welfare = tw_result_welfare_hat(tw_timeline_result(tl, a.steps - 1), 1);
    if ((a.st = report_made(json = tw_report_timeline_json(tl), err)) == TW_OK)
        a.json_len = strlen(json);
    goto done;
fail:
    a.st = err->code;
done:
    free(json);
    tw_timeline_free(tl);
    tw_scenario_free(sc);
    return a;
}

typedef struct replay_case {
    const tw_world *w;
    replay ref; /* without faults */
} replay_case;

/* A replay with the same steps, welfare and report as without faults, or its failure. */
static tw_status replay_checked(void *ctx, tw_error *err)
{
    const replay_case *c = ctx;
    replay a = replay_once(c->w, err);
    if (a.st == TW_OK &&
        (a.steps != c->ref.steps || fabs(a.last_welfare - c->ref.last_welfare) > 1e-12 ||
         a.json_len != c->ref.json_len))
        fail_msg("call %ld: the replay changed", fail_at);
    return a.st;
}

static void test_every_allocation_failure_in_a_timeline_is_enomem_without_leaks(void **state)
{
    (void)state;
    oom_test_start();
    tw_error err;
    tw_world *w = fx_load(TINY);
    replay_case c = {w, replay_once(w, &err)};
    if (c.ref.st != TW_OK) fail_msg("reference replay: %s", err.msg);
    assert_true(c.ref.steps >= 5); /* baseline, three dated steps, the mirror answer */
    long n = each_allocation_fails(replay_checked, &c, 0, NULL);
    print_message("timeline: %ld allocations, each failed once\n", n);
    tw_world_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_allocation_failure_in_a_newton_solve_is_enomem_without_leaks),
        cmocka_unit_test(test_every_allocation_failure_in_a_purged_solve_is_enomem_without_leaks),
        cmocka_unit_test(test_every_allocation_failure_in_a_tatonnement_solve_is_enomem_without_leaks),
        cmocka_unit_test(test_every_allocation_failure_in_a_timeline_is_enomem_without_leaks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_fuzz_regressions.c - the inputs the fuzzers found, replayed through the
 * fuzz targets' own entry points (fuzz/fuzz_*.c, built here without libFuzzer), and
 * the behaviours they pinned down, asserted with their exact messages.
 *
 * Each file of fuzz/regressions/TARGET/ once broke a property of that target
 * (a crash under ASan/UBSan, a leak, or an abort from fz_check): replaying it
 * must now pass.  make test runs this in the plain and the sanitized build,
 * so the sanitizers see every replay. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tradewar/policy.h"
#include "tradewar/solve.h"
#include "tradewar/world.h"
#include "fuzz.h"
#include "../common/fixtures.h"

#define REGRESSIONS TW_SOURCE_DIR "/fuzz/regressions"

typedef int (*fuzz_fn)(const uint8_t *, size_t);

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

/* Replay every file of fuzz/regressions/target; the number replayed. */
static int replay(const char *target, fuzz_fn fn)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s/%s", REGRESSIONS, target);
    struct dirent **ents;
    int n = scandir(dir, &ents, NULL, by_name);
    if (n < 0) return 0; /* no regressions for this target yet */
    int replayed = 0;
    for (int k = 0; k < n; k++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, ents[k]->d_name);
        free(ents[k]);
        if (path[strlen(path) - 1] == '.') continue;
        FILE *f = fopen(path, "rb");
        assert_non_null(f);
        uint8_t *buf = malloc(1 << 20);
        assert_non_null(buf);
        size_t len = fread(buf, 1, 1 << 20, f);
        fclose(f);
        print_message("%s: %s (%zu bytes)\n", target, path + strlen(dir) + 1, len);
        assert_int_equal(fn(buf, len), 0);
        free(buf);
        replayed++;
    }
    free(ents);
    return replayed;
}

static void test_world_regressions_replay_cleanly(void **state)
{
    (void)state;
    assert_true(replay("fuzz_world", tw_fuzz_world) >= 2);
}

static void test_scenario_regressions_replay_cleanly(void **state)
{
    (void)state;
    replay("fuzz_scenario", tw_fuzz_scenario);
}

static void test_counterfactual_regressions_replay_cleanly(void **state)
{
    (void)state;
    replay("fuzz_counterfactual", tw_fuzz_counterfactual);
}

static void test_json_regressions_replay_cleanly(void **state)
{
    (void)state;
    replay("fuzz_json", tw_fuzz_json);
}

/* ---- what the regressions pinned down -------------------------------------- */

/* fuzz/regressions/fuzz_world/negative_income_under_kept_deficit: B sells 20
 * and buys 3, so with its deficit of -17 kept in levels a large enough fall in
 * its wage leaves it negative income.  Equations 1-5 still have a solution
 * there, which the solver used to return as converged (welfare -168 %). */
static void test_a_surplus_it_cannot_earn_is_no_equilibrium_under_kept_deficits(void **state)
{
    (void)state;
    char dir[256];
    fx_scratch(dir, sizeof dir, "regress");
    fx_write_in(dir, "countries.csv", "code,name\nA,Alpha\nB,Beta\n");
    fx_write_in(dir, "sectors.csv", "code,name,theta\nG,Goods,4\nS,Services,3\n");
    fx_write_in(dir, "trade.csv", "importer,exporter,sector,value\nA,A,G,80\nA,B,G,20\nB,A,G,3\n");
    tw_world *w = fx_load(dir);
    tw_error err;
    tw_shock *s = tw_shock_create(w, &err);
    assert_non_null(s);
    for (size_t n = 0; n < 2; n++)
        for (size_t j = 0; j < 2; j++)
            assert_int_equal(tw_shock_set_tariff(s, n, 1 - n, j, 0.45, &err), TW_OK);
    tw_solver *sv = tw_solver_create(w, &err);
    assert_non_null(sv);
    assert_null(tw_solver_run(sv, s, &err));
    char msg[600];
    tw_error_format(&err, msg, sizeof msg);
    assert_int_equal(err.code, TW_ENOCONV);
    assert_string_equal(msg, "solve: no equilibrium with positive incomes: the income of B "
                             "would be -3.14 (its deficit of -17 is kept in levels)");
    /* without the deficit there is an equilibrium, with positive welfare */
    tw_solver_set_deficits(sv, TW_DEFICITS_PURGE);
    tw_result *r = tw_solver_run(sv, s, &err);
    assert_non_null(r);
    assert_true(tw_result_welfare_hat(r, 1) > 0 && tw_result_income(r, 1, 1) > 0);
    tw_result_free(r);
    tw_solver_free(sv);
    tw_shock_free(s);
    tw_world_free(w);
    fx_remove_tree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_world_regressions_replay_cleanly),
        cmocka_unit_test(test_scenario_regressions_replay_cleanly),
        cmocka_unit_test(test_counterfactual_regressions_replay_cleanly),
        cmocka_unit_test(test_json_regressions_replay_cleanly),
        cmocka_unit_test(test_a_surplus_it_cannot_earn_is_no_equilibrium_under_kept_deficits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

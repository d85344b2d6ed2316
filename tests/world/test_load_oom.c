/* test_load_oom.c - out-of-memory behaviour of tw_world_load and the shock
 * file readers: with an allocator that fails on the Nth call, for every N until
 * the call succeeds, each failure must return TW_ENOMEM (or NULL with it) and
 * leave no allocation behind.
 *
 * The allocator (tests/common/fail_alloc.h) replaces glibc's malloc family in
 * this executable and forwards to __libc_*.  AddressSanitizer owns malloc in
 * sanitizer builds, so there the test is skipped; its leak checker covers
 * the other tests instead. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tradewar/policy.h"
#include "tradewar/world.h"

#include "../common/fail_alloc.h"
#include "../common/fixtures.h"

static tw_status load_once(void *ctx, tw_error *err)
{
    (void)ctx;
    tw_world *w = tw_world_load("tests/data/good/tiny3x2", err);
    if (!w) return err->code;
    size_t N = tw_world_n_countries(w);
    tw_world_free(w);
    if (N != 3) fail_msg("call %ld: a world of %zu countries", fail_at, N);
    return TW_OK;
}

static void test_every_allocation_failure_in_load_is_enomem_without_leaks(void **state)
{
    (void)state;
    oom_test_start();
    long tolerated;
    each_allocation_fails(load_once, NULL, 0, &tolerated);
    assert_true(tolerated < 20);
}

/* A world with baseline layers, and its copy with other elasticities. */
static tw_status load_layers_once(void *ctx, tw_error *err)
{
    (void)ctx;
    tw_world *w = tw_world_load("tests/data/good/tiny3x2layers", err);
    if (!w) return err->code;
    double theta[2] = {4, 3};
    tw_world *c = tw_world_with_theta(w, theta, err);
    size_t n = c ? tw_world_n_baseline_layers(c) : 0;
    tw_world_free(w);
    tw_world_free(c);
    if (!c) return err->code;
    if (n != 3) fail_msg("call %ld: %zu baseline layer rows", fail_at, n);
    return TW_OK;
}

static void test_every_allocation_failure_with_baseline_layers_is_enomem_without_leaks(void **state)
{
    (void)state;
    oom_test_start();
    each_allocation_fails(load_layers_once, NULL, 0, NULL);
}

static tw_status sets_once(void *ctx, tw_error *err)
{
    (void)ctx;
    tw_world *w = tw_world_load("tests/data/good/sets3x2", err), *c = NULL;
    tw_status st = w ? tw_world_apply_elasticity_set(w, "low", &c, err) : err->code;
    double t = st == TW_OK ? tw_world_sector_theta(c, 0) : 0;
    tw_world_free(c);
    tw_world_free(w);
    if (st == TW_OK && t != 1.5) fail_msg("call %ld: theta %g, expected 1.5", fail_at, t);
    return st;
}

static void test_every_allocation_failure_with_elasticity_sets_is_enomem_without_leaks(void **state)
{
    (void)state;
    oom_test_start();
    each_allocation_fails(sets_once, NULL, 0, NULL);
}

static tw_status shock_file_once(void *ctx, tw_error *err)
{
    tw_shock *s = tw_shock_create(ctx, err);
    tw_status st = s ? tw_shock_load_tariffs(s, "tests/data/good/cf/override.csv", err)
                     : err->code;
    double t = st == TW_OK ? tw_shock_tariffs(s)[1 * 2] : 0; /* USA<-CHN GDS */
    tw_shock_free(s);
    if (st == TW_OK && t != 1.45) fail_msg("call %ld: tariff %g, expected 1.45", fail_at, t);
    return st;
}

static void test_every_allocation_failure_in_a_shock_file_is_enomem_without_leaks(void **state)
{
    (void)state;
    oom_test_start();
    tw_world *w = fx_load("tests/data/good/tiny3x2");
    each_allocation_fails(shock_file_once, w, 0, NULL);
    tw_world_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_allocation_failure_in_load_is_enomem_without_leaks),
        cmocka_unit_test(test_every_allocation_failure_with_baseline_layers_is_enomem_without_leaks),
        cmocka_unit_test(test_every_allocation_failure_with_elasticity_sets_is_enomem_without_leaks),
        cmocka_unit_test(test_every_allocation_failure_in_a_shock_file_is_enomem_without_leaks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

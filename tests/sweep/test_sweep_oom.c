/* test_sweep_oom.c - out-of-memory behaviour of sweeps: with an allocator
 * that fails on the Nth call, for every N until the call succeeds, building a
 * world copy with other theta, laying out a sweep and running it must return
 * TW_ENOMEM (or NULL with it) and leave no allocation behind.
 *
 * The allocator (tests/common/fail_alloc.h) replaces glibc's malloc family in
 * this executable and forwards to __libc_*.  AddressSanitizer owns malloc
 * in sanitizer builds, so there the test is skipped.  The run uses one worker
 * thread; the calling thread only waits meanwhile, so the counters are never
 * touched by two threads at once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tradewar/sweep.h"
#include "tradewar/world.h"

#include "../common/fail_alloc.h"
#include "../common/fixtures.h"

#define TINY "tests/data/good/tiny3x2"

static tw_status with_theta_once(void *ctx, tw_error *err)
{
    const double theta[2] = {4.0, 2.0};
    tw_world *c = tw_world_with_theta(ctx, theta, err);
    double t = c ? tw_world_sector_theta(c, 0) : 0;
    tw_world_free(c);
    if (!c) return err->code;
    if (t != 4.0) fail_msg("call %ld: theta %g in the copy, expected 4", fail_at, t);
    return TW_OK;
}

static void test_every_allocation_failure_in_world_with_theta_is_enomem(void **state)
{
    (void)state;
    oom_test_start();
    tw_world *w = fx_load(TINY);
    each_allocation_fails(with_theta_once, w, 0, NULL);
    tw_world_free(w);
}

typedef struct sweep_case {
    const tw_world *w;
    long whole; /* runs that succeeded with a failure injected and vouched for every point */
} sweep_case;

/* Lay out and run a sweep of 2 draws x a 3-point axis on one thread. */
static tw_status sweep_once(void *ctx, tw_error *err)
{
    sweep_case *c = ctx;
    tw_sweep *s = tw_sweep_create(c->w, NULL, NULL, err);
    if (!s) return err->code;
    tw_status st = tw_sweep_set_draws(s, 2, 1, 0.25, err);
    if (!st) st = tw_sweep_add_axis(s, "USA,CHN,*:0:0.2:0.1", err);
    if (!st) st = tw_sweep_run(s, 0, 1, 1, NULL, NULL, err);
    /* Failed points whose residual is finite: a solve that really did not
     * converge.  The solver's own residual check (tw_result_check) answers
     * INFINITY when it cannot allocate, and the solve then reports TW_ENOCONV
     * with that infinite residual; those are an allocation failure inside the
     * solver, not the sweep's to reclassify. */
    size_t failed = 0, unvouched = 0;
    for (size_t v = 0; !st && v < tw_sweep_n_variants(s); v++)
        for (size_t p = 0; p < tw_sweep_n_points(s); p++)
            if (!tw_sweep_converged(s, v, p))
                (*(isfinite(tw_sweep_residual(s, v, p)) ? &failed : &unvouched))++;
    tw_sweep_free(s);
    /* a failed allocation must never pass for a solve that did not converge */
    if (failed != 0) fail_msg("call %ld: %zu solves reported as not converged", fail_at, failed);
    /* e.g. a thread's allocations, which glibc survives */
    if (!st && !unvouched && calls > fail_at) c->whole++;
    return st;
}

static void test_every_allocation_failure_in_a_sweep_is_enomem(void **state)
{
    (void)state;
    oom_test_start();
    sweep_case c = {fx_load(TINY), 0};
    /* glibc keeps a finished thread's stack and TLS for the next one: 2 blocks */
    each_allocation_fails(sweep_once, &c, 2, NULL);
    assert_true(c.whole < 10);
    tw_world_free((tw_world *)c.w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_allocation_failure_in_world_with_theta_is_enomem),
        cmocka_unit_test(test_every_allocation_failure_in_a_sweep_is_enomem),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

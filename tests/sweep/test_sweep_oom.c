/* test_sweep_oom.c - out-of-memory behaviour of sweeps: with an allocator
 * that fails on the Nth call, for every N until the call succeeds, building a
 * world copy with other theta, laying out a sweep and running it must return
 * TW_ENOMEM (or NULL with it) and leave no allocation behind.
 *
 * The allocator replaces glibc's malloc family in this executable and forwards
 * to __libc_* (as tests/world/test_load_oom.c).  AddressSanitizer owns malloc
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

#define TINY "tests/data/good/tiny3x2"

#if TW_OOM_TEST

static void test_every_allocation_failure_in_world_with_theta_is_enomem(void **state)
{
    tw_error err;
    tw_world *w = tw_world_load(TINY, &err);
    assert_non_null(w);
    const double theta[2] = {4.0, 2.0};
    for (long n = 0;; n++) {
        arm(n);
        tw_world *c = tw_world_with_theta(w, theta, &err);
        double t = c ? tw_world_sector_theta(c, 0) : 0;
        tw_world_free(c);
        armed = 0;
        if (c) {
            if (t != 4.0 || live != 0) fail_msg("call %ld: bad copy or %ld leaked", n, live);
            if (calls <= n) break;
            continue;
        }
        if (err.code != TW_ENOMEM) fail_msg("call %ld: status %d (%s)", n, err.code, err.msg);
        if (live != 0) fail_msg("call %ld: %ld blocks leaked", n, live);
    }
    tw_world_free(w);
}

/* Lay out and run a sweep of 2 draws x a 3-point axis on one thread. */
static tw_status sweep_once(const tw_world *w, size_t *failed, size_t *unvouched, tw_error *err)
{
    tw_sweep *s = tw_sweep_create(w, NULL, NULL, err);
    if (!s) return err->code;
    tw_status st = tw_sweep_set_draws(s, 2, 1, 0.25, err);
    if (!st) st = tw_sweep_add_axis(s, "USA,CHN,*:0:0.2:0.1", err);
    if (!st) st = tw_sweep_run(s, 0, 1, 1, NULL, NULL, err);
    /* Failed points whose residual is finite: a solve that really did not
     * converge.  The solver's own residual check (tw_result_check) answers
     * INFINITY when it cannot allocate, and the solve then reports TW_ENOCONV
     * with that infinite residual; those are an allocation failure inside the
     * solver, not the sweep's to reclassify. */
    *failed = *unvouched = 0;
    for (size_t v = 0; !st && v < tw_sweep_n_variants(s); v++)
        for (size_t p = 0; p < tw_sweep_n_points(s); p++)
            if (!tw_sweep_converged(s, v, p))
                (*(isfinite(tw_sweep_residual(s, v, p)) ? failed : unvouched))++;
    tw_sweep_free(s);
    return st;
}

static void test_every_allocation_failure_in_a_sweep_is_enomem(void **state)
{
    tw_error err;
    tw_world *w = tw_world_load(TINY, &err);
    assert_non_null(w);
    size_t failed, unvouched;
    long tolerated = 0;
    for (long n = 0;; n++) {
        arm(n);
        tw_status st = sweep_once(w, &failed, &unvouched, &err);
        armed = 0;
        int injected = calls > n;
        if (st == TW_OK) {
            /* a failed allocation must never pass for a solve that did not converge */
            if (failed != 0) fail_msg("call %ld: %zu solves reported as not converged", n, failed);
            if (live < 0 || live > 2) fail_msg("call %ld: %ld blocks leaked", n, live);
            if (!injected) break;
            if (!unvouched) tolerated++; /* e.g. a thread's allocations glibc survives */
            continue;
        }
        if (st != TW_ENOMEM || err.code != TW_ENOMEM)
            fail_msg("call %ld: status %d (%s)", n, err.code, err.msg);
        /* glibc keeps a finished thread's stack and TLS for the next one */
        if (live < 0 || live > 2) fail_msg("call %ld: %ld blocks leaked", n, live);
    }
    assert_true(tolerated < 10);
    tw_world_free(w);
}
#else
static void test_every_allocation_failure_in_world_with_theta_is_enomem(void **state)
{
    skip();
}

static void test_every_allocation_failure_in_a_sweep_is_enomem(void **state)
{
    skip();
}
#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_allocation_failure_in_world_with_theta_is_enomem),
        cmocka_unit_test(test_every_allocation_failure_in_a_sweep_is_enomem),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

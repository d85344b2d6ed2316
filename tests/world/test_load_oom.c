/* test_load_oom.c - out-of-memory behaviour of tw_world_load and the shock
 * file readers: with an allocator that fails on the Nth call, for every N until
 * the call succeeds, each failure must return TW_ENOMEM (or NULL with it) and
 * leave no allocation behind.
 *
 * The allocator replaces glibc's malloc family in this executable (glibc
 * supports that) and forwards to __libc_*.  AddressSanitizer owns malloc in
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

#if TW_OOM_TEST

static void test_every_allocation_failure_in_load_is_enomem_without_leaks(void **state)
{
    (void)state;
    long tolerated = 0;
    for (long n = 0;; n++) {
        tw_error err;
        arm(n);
        tw_world *w = tw_world_load("tests/data/good/tiny3x2", &err);
        int injected = calls > n;
        /* glibc's stdio survives a failed buffer allocation (it reads unbuffered),
         * so a load may succeed with a failure injected; it must then be whole. */
        size_t N = tw_world_n_countries(w);
        if (w) tw_world_free(w);
        armed = 0;
        if (!injected) {
            assert_non_null(w);
            break;
        }
        if (w) {
            if (N != 3 || live != 0) fail_msg("call %ld: bad world or %ld leaked", n, live);
            tolerated++;
            continue;
        }
        if (err.code != TW_ENOMEM) fail_msg("call %ld: status %d (%s)", n, err.code, err.msg);
        if (live != 0) fail_msg("call %ld: %ld blocks leaked", n, live);
    }
    assert_true(tolerated < 20);
}

static void test_every_allocation_failure_in_a_shock_file_is_enomem_without_leaks(void **state)
{
    (void)state;
    tw_error err;
    tw_world *w = tw_world_load("tests/data/good/tiny3x2", &err);
    assert_non_null(w);
    for (long n = 0;; n++) {
        arm(n);
        tw_shock *s = tw_shock_create(w, &err);
        tw_status st = s ? tw_shock_load_tariffs(s, "tests/data/good/cf/override.csv", &err)
                         : TW_ENOMEM;
        double t = st == TW_OK ? tw_shock_tariffs(s)[1 * 2] : 0; /* USA<-CHN GDS */
        tw_shock_free(s);
        armed = 0;
        int injected = calls > n;
        if (st == TW_OK) {
            if (t != 1.45 || live != 0) fail_msg("call %ld: bad shock or %ld leaked", n, live);
            if (!injected) break;
            continue;
        }
        if (st != TW_ENOMEM || err.code != TW_ENOMEM)
            fail_msg("call %ld: status %d (%s)", n, err.code, err.msg);
        if (live != 0) fail_msg("call %ld: %ld blocks leaked", n, live);
    }
    tw_world_free(w);
}
#else
static void test_every_allocation_failure_in_load_is_enomem_without_leaks(void **state)
{
    (void)state;
    skip();
}

static void test_every_allocation_failure_in_a_shock_file_is_enomem_without_leaks(void **state)
{
    (void)state;
    skip();
}
#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_allocation_failure_in_load_is_enomem_without_leaks),
        cmocka_unit_test(test_every_allocation_failure_in_a_shock_file_is_enomem_without_leaks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

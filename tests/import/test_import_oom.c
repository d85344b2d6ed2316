/* test_import_oom.c - out-of-memory behaviour of the importers and the
 * aggregation: with an allocator that fails on the Nth call, for every N until
 * the call succeeds, each failure must return NULL with TW_ENOMEM and leave no
 * allocation behind (STYLE.md "Tests sit next to behaviours").
 *
 * As in tests/world/test_load_oom.c, the allocator replaces glibc's malloc
 * family in this executable; under AddressSanitizer the test is skipped and the
 * leak checker covers the other tests instead. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tradewar/data.h"
#include "tradewar/world.h"

#define FIX "tests/data/import/"

#include "../common/fail_alloc.h"

#if TW_OOM_TEST

typedef tw_draft *(*make_fn)(const void *ctx, tw_error *err);

static tw_draft *make_icio(const void *ctx, tw_error *err)
{
    return tw_import_icio(ctx, FIX "icio_repairs.csv", err);
}

static tw_draft *make_wiod(const void *ctx, tw_error *err)
{
    return tw_import_wiod(ctx, FIX "wiod_small.csv", err);
}

static tw_draft *make_wiod_long(const void *ctx, tw_error *err)
{
    return tw_import_wiod(ctx, FIX "wiod_small_long.csv", err);
}

static tw_draft *make_bilateral(const void *ctx, tw_error *err)
{
    return tw_import_bilateral(ctx, FIX "trade3.csv", FIX "gdp3.csv", err);
}

static tw_draft *make_aggregate(const void *ctx, tw_error *err)
{
    return tw_aggregate(ctx, NULL, FIX "map_sectors_all.csv", err);
}

/* Fail each allocation in turn until make() succeeds without a failure. */
static void every_failure_is_enomem(make_fn make, const void *ctx, size_t repairs)
{
    long tolerated = 0;
    for (long n = 0;; n++) {
        tw_error err;
        arm(n);
        tw_draft *d = make(ctx, &err);
        size_t got = tw_draft_n_repairs(d);
        tw_draft_free(d);
        armed = 0;
        int injected = calls > n;
        if (!injected) {
            assert_non_null(d);
            assert_true(n > 50); /* the import allocates: every call was tried */
            break;
        }
        if (d) {
            /* stdio survives a failed buffer allocation; the draft must be whole */
            if (got != repairs || live != 0) fail_msg("call %ld: bad draft or %ld leaked", n, live);
            tolerated++;
            continue;
        }
        if (err.code != TW_ENOMEM) fail_msg("call %ld: status %d (%s)", n, err.code, err.msg);
        if (live != 0) fail_msg("call %ld: %ld blocks leaked", n, live);
    }
    assert_true(tolerated < 40);
}

static void test_every_allocation_failure_in_the_icio_importer_is_enomem(void **state)
{
    (void)state;
    tw_importer *im = tw_importer_create(NULL);
    tw_importer_set_sectors(im, FIX "sectors2.csv");
    tw_importer_set_meta(im, "units", "model units");
    every_failure_is_enomem(make_icio, im, 4);
    tw_importer_free(im);
}

static void test_every_allocation_failure_in_the_wiod_importer_is_enomem(void **state)
{
    (void)state;
    tw_importer *im = tw_importer_create(NULL);
    tw_importer_set_theta(im, 4);
    every_failure_is_enomem(make_wiod, im, 0);
    every_failure_is_enomem(make_wiod_long, im, 0);
    tw_importer_free(im);
}

static void test_every_allocation_failure_in_the_bilateral_importer_is_enomem(void **state)
{
    (void)state;
    tw_importer *im = tw_importer_create(NULL);
    tw_importer_set_theta(im, 4);
    tw_importer_set_gdp_columns(im, "iso", "gdp_usd");
    tw_importer_set_gdp_scale(im, 1e-6);
    tw_importer_set_countries(im, FIX "names3.csv");
    every_failure_is_enomem(make_bilateral, im, 1);
    tw_importer_free(im);
}

static void test_every_allocation_failure_in_aggregation_is_enomem(void **state)
{
    (void)state;
    tw_world *w = tw_world_load("tests/data/good/tiny3x2", NULL);
    assert_non_null(w);
    every_failure_is_enomem(make_aggregate, w, 0);
    tw_world_free(w);
}
#else
static void test_every_allocation_failure_in_the_icio_importer_is_enomem(void **state)
{
    (void)state;
    skip();
}

static void test_every_allocation_failure_in_the_wiod_importer_is_enomem(void **state)
{
    (void)state;
    skip();
}

static void test_every_allocation_failure_in_the_bilateral_importer_is_enomem(void **state)
{
    (void)state;
    skip();
}

static void test_every_allocation_failure_in_aggregation_is_enomem(void **state)
{
    (void)state;
    skip();
}
#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_allocation_failure_in_the_icio_importer_is_enomem),
        cmocka_unit_test(test_every_allocation_failure_in_the_wiod_importer_is_enomem),
        cmocka_unit_test(test_every_allocation_failure_in_the_bilateral_importer_is_enomem),
        cmocka_unit_test(test_every_allocation_failure_in_aggregation_is_enomem),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

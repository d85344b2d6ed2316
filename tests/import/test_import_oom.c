/* test_import_oom.c - out-of-memory behaviour of the importers, the
 * aggregation and the split: with an allocator that fails on the Nth call,
 * for every N until the call succeeds, each failure must return NULL with
 * TW_ENOMEM and leave no allocation behind (STYLE.md "Tests sit next to
 * behaviours").
 *
 * The allocator (tests/common/fail_alloc.h) replaces glibc's malloc family in
 * this executable; under AddressSanitizer the test is skipped and the leak
 * checker covers the other tests instead. */
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

/* One import: the draft must be whole, with its known number of repairs. */
typedef struct import_case {
    const void *ctx; /* the importer, or the world to aggregate */
    tw_draft *(*make)(const void *ctx, tw_error *err);
    size_t repairs;
} import_case;

static tw_status import_once(void *ctx, tw_error *err)
{
    const import_case *c = ctx;
    tw_draft *d = c->make(c->ctx, err);
    size_t got = tw_draft_n_repairs(d);
    tw_draft_free(d);
    if (!d) return err->code;
    if (got != c->repairs)
        fail_msg("call %ld: %zu repairs, expected %zu", fail_at, got, c->repairs);
    return TW_OK;
}

static void every_failure_is_enomem(import_case c)
{
    long tolerated;
    assert_true(each_allocation_fails(import_once, &c, 0, &tolerated) > 50); /* every call tried */
    assert_true(tolerated < 40);
}

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

static tw_draft *make_wiod2013(const void *ctx, tw_error *err)
{
    return tw_import_wiod(ctx, FIX "wiod2013_small.csv", err);
}

static tw_draft *make_wiod2013_long(const void *ctx, tw_error *err)
{
    return tw_import_wiod(ctx, FIX "wiod2013_small_long.csv", err);
}

static tw_draft *make_bilateral(const void *ctx, tw_error *err)
{
    return tw_import_bilateral(ctx, FIX "trade3.csv", FIX "gdp3.csv", err);
}

static tw_draft *make_aggregate(const void *ctx, tw_error *err)
{
    return tw_aggregate(ctx, NULL, FIX "map_sectors_all.csv", err);
}

static tw_draft *make_split(const void *ctx, tw_error *err)
{
    const tw_split_spec sp = {.region = "MEX", .code = "NEW", .totals = FIX "split_totals.csv",
                              .map = FIX "split_map.csv", .proxy = "CHN", .gdp = 30,
                              .tariffs = FIX "split_tariffs.csv"};
    return tw_split(ctx, &sp, err);
}

/* An importer for each test, made before the allocator is armed. */
static int new_importer(void **state)
{
    return (*state = tw_importer_create(NULL)) ? 0 : -1;
}

static int free_importer(void **state)
{
    tw_importer_free(*state);
    return 0;
}

static void test_every_allocation_failure_in_the_icio_importer_is_enomem(void **state)
{
    oom_test_start();
    tw_importer_set_sectors(*state, FIX "sectors2.csv");
    tw_importer_set_meta(*state, "units", "model units");
    every_failure_is_enomem((import_case){*state, make_icio, 4});
}

static void test_every_allocation_failure_in_the_wiod_importer_is_enomem(void **state)
{
    oom_test_start();
    tw_importer_set_theta(*state, 4);
    every_failure_is_enomem((import_case){*state, make_wiod, 0});
}

static void test_every_allocation_failure_in_the_wiod_long_and_2013_readers_is_enomem(void **state)
{
    oom_test_start();
    tw_importer_set_theta(*state, 4);
    every_failure_is_enomem((import_case){*state, make_wiod_long, 0});
    every_failure_is_enomem((import_case){*state, make_wiod2013, 0});
    every_failure_is_enomem((import_case){*state, make_wiod2013_long, 0});
}

static void test_every_allocation_failure_in_the_bilateral_importer_is_enomem(void **state)
{
    tw_importer *im = *state;
    oom_test_start();
    tw_importer_set_theta(im, 4);
    tw_importer_set_gdp_columns(im, "iso", "gdp_usd");
    tw_importer_set_gdp_scale(im, 1e-6);
    tw_importer_set_countries(im, FIX "names3.csv");
    every_failure_is_enomem((import_case){im, make_bilateral, 1});
}

static void test_every_allocation_failure_in_aggregation_is_enomem(void **state)
{
    (void)state;
    oom_test_start();
    tw_world *w = tw_world_load("tests/data/good/tiny3x2", NULL);
    assert_non_null(w);
    every_failure_is_enomem((import_case){w, make_aggregate, 0});
    tw_world_free(w);
}

static void test_every_allocation_failure_in_a_split_is_enomem(void **state)
{
    (void)state;
    oom_test_start();
    tw_world *w = tw_world_load("tests/data/good/tiny3x2", NULL);
    assert_non_null(w);
    every_failure_is_enomem((import_case){w, make_split, 0});
    tw_world_free(w);
}

#define importer_test(f) cmocka_unit_test_setup_teardown(f, new_importer, free_importer)

int main(void)
{
    const struct CMUnitTest tests[] = {
        importer_test(test_every_allocation_failure_in_the_icio_importer_is_enomem),
        cmocka_unit_test(test_every_allocation_failure_in_a_split_is_enomem),
        importer_test(test_every_allocation_failure_in_the_wiod_importer_is_enomem),
        importer_test(test_every_allocation_failure_in_the_wiod_long_and_2013_readers_is_enomem),
        importer_test(test_every_allocation_failure_in_the_bilateral_importer_is_enomem),
        cmocka_unit_test(test_every_allocation_failure_in_aggregation_is_enomem),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_import_bilateral.c - the one-sector importer (src/world/import_bilateral.c)
 * and the shipped world data/world2023-goods with its Liberation Day scenarios.
 *
 * Hand-written inputs are in tests/data/import/ (trade3.csv, gdp3.csv: three
 * countries, GDP in USD, trade in USD million).  Tests run from the repository
 * root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tradewar/policy.h"
#include "helpers.h"

#define FIX "tests/data/import/"

static tw_importer *three_country_importer(void)
{
    tw_importer *im = tw_importer_create(NULL);
    assert_non_null(im);
    assert_int_equal(tw_importer_set_theta(im, 4), TW_OK);
    assert_int_equal(tw_importer_set_gdp_columns(im, "iso", "gdp_usd"), TW_OK);
    assert_int_equal(tw_importer_set_gdp_scale(im, 1e-6), TW_OK);
    return im;
}

static void test_domestic_sales_are_gdp_less_exports_clamped_with_a_repair(void **state)
{
    const char *dir = *state;
    tw_importer *im = three_country_importer();
    assert_int_equal(tw_importer_set_countries(im, FIX "names3.csv"), TW_OK);
    assert_int_equal(tw_importer_set_meta(im, "source", "hand-written, for tests"), TW_OK);
    tw_error err;
    tw_draft *d = tw_import_bilateral(im, FIX "trade3.csv", FIX "gdp3.csv", &err);
    assert_non_null(d);
    /* BBB exports 80 with a GDP of 60 */
    assert_int_equal(tw_draft_n_repairs(d), 1);
    assert_string_equal(tw_draft_repair(d, 0), "BBB: GDP 60 is below exports 80: domestic sales "
                        "set to 0 (expected GDP >= exports)");
    tw_world *w = write_and_load(d, dir);
    /* the names table fixes the order: CCC, AAA, BBB */
    assert_string_equal(tw_world_country_code(w, 0), "CCC");
    assert_string_equal(tw_world_country_name(w, 1), "Alpha, Republic of");
    assert_string_equal(tw_world_sector_code(w, 0), "GOODS");
    assert_true(fx_close(tw_world_sector_theta(w, 0), 4, 0));
    const double *t = tw_world_trade(w);
    size_t C = 0, A = 1, B = 2;
    assert_true(fx_close(t[tw_ix_nij(3, 1, A, A, 0)], 100 - 50, 1e-12));
    assert_true(fx_close(t[tw_ix_nij(3, 1, C, C, 0)], 200 - 10, 1e-12));
    assert_true(t[tw_ix_nij(3, 1, B, B, 0)] == 0);
    assert_true(fx_close(t[tw_ix_nij(3, 1, C, B, 0)], 70, 0));
    /* value added is GDP where nothing was clamped, exports where it was */
    assert_true(fx_close(tw_world_value_added(w, A), 100, 1e-12));
    assert_true(fx_close(tw_world_value_added(w, B), 80, 1e-12));
    char readme[128];
    fx_path(readme, sizeof readme, dir, "README.md");
    assert_true(file_has(readme, "- BBB: GDP 60 is below exports 80: domestic sales set to 0"));
    check_zero_shock(w, 1e-12);
    tw_world_free(w);
    tw_importer_free(im);
}

static void expect_error(tw_importer *im, const char *trade, const char *gdp, const char *text)
{
    tw_error err;
    assert_null(tw_import_bilateral(im, trade, gdp, &err));
    fx_expect_error(&err, TW_EINPUT, text);
}

static void test_bad_bilateral_inputs_are_errors_with_file_and_line(void **state)
{
    (void)state;
    tw_importer *im = three_country_importer();
    expect_error(im, FIX "trade3_domestic.csv", FIX "gdp3.csv",
                 FIX "trade3_domestic.csv:3: flow AAA->AAA is domestic (expected importer != "
                 "exporter: domestic sales are GDP - exports)");
    expect_error(im, FIX "trade3.csv", FIX "gdp3_missing.csv",
                 FIX "gdp3_missing.csv: no GDP for country \"BBB\" (expected one row for every "
                 "country)");
    assert_int_equal(tw_importer_set_countries(im, FIX "names3.csv"), TW_OK);
    expect_error(im, FIX "icio_split.csv", FIX "gdp3.csv",
                 FIX "icio_split.csv:1: missing column \"importer\" (expected header "
                 "\"importer,exporter,value\")");
    tw_importer_free(im);
}

static void test_world2023_goods_loads_and_its_zero_shock_changes_nothing(void **state)
{
    (void)state;
    tw_world *w = fx_load_sized("data/world2023-goods", 194, 1);
    assert_string_equal(tw_world_meta(w, "year"), "2023");
    assert_string_equal(tw_world_meta(w, "units"), "USD million");
    assert_true(fx_close(tw_world_sector_theta(w, 0), 4, 0));
    long usa = tw_world_country_index(w, "USA"), chn = tw_world_country_index(w, "CHN");
    assert_true(usa >= 0 && chn >= 0 && tw_world_country_index(w, "VNM") >= 0);
    /* China -> US goods 2023: 440.5 bn (source README) */
    assert_true(fabs(tw_world_trade(w)[tw_ix_nij(194, 1, usa, chn, 0)] - 440477.680657) < 1e-6);
    /* US value added = GDP 2023, 27.84 tn */
    assert_true(fabs(tw_world_value_added(w, usa) - 27843283.3) < 1e-3);
    assert_true(file_has("data/world2023-goods/README.md", "- GMB: GDP 2396.11 is below exports"));
    check_zero_shock(w, 1e-10);
    tw_world_free(w);
}

static void test_liberation_day_files_set_the_april_2025_rates(void **state)
{
    (void)state;
    tw_world *w = fx_load("data/world2023-goods");
    tw_error err;
    size_t N = tw_world_n_countries(w);
    long usa = tw_world_country_index(w, "USA"), chn = tw_world_country_index(w, "CHN");
    long vnm = tw_world_country_index(w, "VNM"), rus = tw_world_country_index(w, "RUS");
    tw_shock *s = tw_shock_create(w, &err);
    assert_int_equal(tw_shock_load_tariffs(s, "data/scenarios/liberation-day-2025.csv", &err), TW_OK);
    const double *t = tw_shock_tariffs(s);
    assert_true(t[tw_ix_nij(N, 1, usa, chn, 0)] == 0.54);
    assert_true(t[tw_ix_nij(N, 1, usa, vnm, 0)] == 0.46);
    assert_true(t[tw_ix_nij(N, 1, usa, rus, 0)] == 0);
    assert_true(t[tw_ix_nij(N, 1, chn, usa, 0)] == 0);
    tw_shock_free(s);
    s = tw_shock_create(w, &err);
    assert_int_equal(tw_shock_load_tariffs(s, "data/scenarios/liberation-day-2025-retaliation.csv",
                                           &err), TW_OK);
    t = tw_shock_tariffs(s);
    for (size_t n = 0; n < N; n++)
        assert_true(t[tw_ix_nij(N, 1, n, usa, 0)] == t[tw_ix_nij(N, 1, usa, n, 0)]);
    assert_true(t[tw_ix_nij(N, 1, chn, usa, 0)] == 0.54);
    /* the reciprocal war solves */
    tw_solver *sv = tw_solver_create(w, &err);
    tw_result *r = tw_solver_run(sv, s, &err);
    assert_non_null(r);
    assert_true(tw_result_welfare_hat(r, usa) < 1);
    tw_result_free(r);
    tw_solver_free(sv);
    tw_shock_free(s);
    tw_world_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        fx_scratch_test(test_domestic_sales_are_gdp_less_exports_clamped_with_a_repair),
        cmocka_unit_test(test_bad_bilateral_inputs_are_errors_with_file_and_line),
        cmocka_unit_test(test_world2023_goods_loads_and_its_zero_shock_changes_nothing),
        cmocka_unit_test(test_liberation_day_files_set_the_april_2025_rates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

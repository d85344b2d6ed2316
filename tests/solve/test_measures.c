/* test_measures.c - the measures beside welfare (src/solve/measures.c) and the
 * optional household files behind the money ones (src/world/households.c):
 * employment adds up, a zero shock moves nothing, the consumer cost and the
 * import price indexes against hand computations, per-household figures,
 * absent values where the world lacks the data, and the loader's errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tradewar/policy.h"
#include "tradewar/report.h"
#include "tradewar/solve.h"
#include "tradewar/world.h"
#include "core/index.h"
#include "world/world_impl.h"
#include "../common/fixtures.h"

#define DATA TW_SOURCE_DIR "/data"
#define TINY TW_SOURCE_DIR "/tests/data/good/tiny3x2"
#define US_CHINA DATA "/scenarios/us_china_145_125.csv"

/* A copy of tiny3x2 in a scratch folder with meta.csv in USD million for
 * 2024; the caller adds the household files it needs. */
static void money_world(char *dir, size_t size)
{
    static const char *const files[] = {"countries.csv", "sectors.csv", "trade.csv",
                                        "tariffs.csv", "io.csv"};
    fx_scratch(dir, size, "measures");
    for (size_t k = 0; k < sizeof files / sizeof files[0]; k++) {
        char src[512], text[4096];
        snprintf(src, sizeof src, "%s/%s", TINY, files[k]);
        FILE *f = fopen(src, "rb");
        assert_non_null(f);
        size_t n = fread(text, 1, sizeof text - 1, f);
        fclose(f);
        text[n] = '\0';
        fx_write_in(dir, files[k], text);
    }
    fx_write_in(dir, "meta.csv", "key,value\nyear,2024\nunits,USD million\nsource,test\n");
}

static const char *const tiny_hh =
    "country,sector,value\nUSA,GDS,300\nUSA,SRV,500\nCHN,GDS,250\nCHN,SRV,200\n"
    "MEX,GDS,90\n";

/* The equilibrium of w under the tariff rows of text (a CSV body). */
static tw_result *solve_rows(tw_world *w, const char *text)
{
    char dir[256], path[300];
    fx_scratch(dir, sizeof dir, "shock");
    snprintf(path, sizeof path, "%s/shock.csv", dir);
    fx_write_file(path, text);
    tw_result *r = fx_solve(w, path, TW_DEFICITS_KEEP, TW_METHOD_NEWTON);
    fx_remove_tree(dir);
    return r;
}

/* ---- world2011 ---------------------------------------------------------- */

/* One load of world2011 and two solves (US 145 % / China 125 %, and a zero
 * shock) for the tests below. */
typedef struct fixture {
    tw_world *w;
    tw_result *war, *zero;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->w = fx_load(DATA "/world2011");
    f->war = fx_solve(f->w, US_CHINA, TW_DEFICITS_KEEP, TW_METHOD_NEWTON);
    f->zero = fx_solve(f->w, NULL, TW_DEFICITS_KEEP, TW_METHOD_NEWTON);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    tw_result_free(f->war);
    tw_result_free(f->zero);
    tw_world_free(f->w);
    free(f);
    return 0;
}

/* L_nj is proportional to gamma_nj Y_nj: the new levels sum to the old. */
static void test_employment_adds_up(void **state)
{
    const fixture *f = *state;
    const tw_result *r = f->war;
    size_t N = tw_result_n_countries(r), J = tw_result_n_sectors(r);
    const double *t0 = tw_result_trade(r, 0);
    for (size_t n = 0; n < N; n++) {
        double before = 0, after = 0;
        for (size_t j = 0; j < J; j++) {
            double y = 0;
            for (size_t m = 0; m < N; m++) y += t0[tw_ix_nij(N, J, m, n, j)];
            double L = f->w->base->va[tw_ix_nj(J, n, j)] * y;
            before += L;
            if (L > 0) after += L * tw_result_employment_hat(r, n, j);
        }
        if (fabs(after - before) > 1e-9 * before)
            fail_msg("%s: employment %.17g vs %.17g", tw_world_country_code(f->w, n), after,
                     before);
    }
}

static void test_zero_shock_changes_nothing(void **state)
{
    const fixture *f = *state;
    const tw_result *r = f->zero;
    size_t N = tw_result_n_countries(r), J = tw_result_n_sectors(r);
    for (size_t n = 0; n < N; n++) {
        double I = tw_result_income(r, n, 0);
        assert_true(fabs(tw_result_real_gdp_hat(r, n) - 1.0) < 1e-9);
        assert_true(fabs(tw_result_ev(r, n)) < 1e-9 * I);
        assert_true(fabs(tw_result_consumer_cost(r, n)) < 1e-9 * I);
        for (size_t j = 0; j < J; j++) {
            assert_true(fabs(tw_result_producer_price_hat(r, n, j) - 1.0) < 1e-9);
            assert_true(fabs(tw_result_import_price_hat(r, n, j, 1) - 1.0) < 1e-9);
            assert_true(fabs(tw_result_import_price_hat(r, n, j, 0) - 1.0) < 1e-9);
            assert_true(fabs(tw_result_employment_hat(r, n, j) - 1.0) < 1e-9);
        }
    }
}

/* sum_j C_nj (P_hat_nj - 1) with C read from the world's file by hand. */
static void test_us_consumer_cost_from_the_file(void **state)
{
    const fixture *f = *state;
    const tw_result *r = f->war;
    size_t J = tw_result_n_sectors(r), us = 0;
    assert_string_equal(tw_world_country_code(f->w, us), "USA");
    FILE *in = fopen(DATA "/world2011/household_consumption.csv", "r");
    assert_non_null(in);
    char line[256];
    double cost = 0, total = 0;
    assert_non_null(fgets(line, sizeof line, in));
    while (fgets(line, sizeof line, in)) {
        char c[16], s[16];
        double v;
        assert_int_equal(sscanf(line, "%15[^,],%15[^,],%lf", c, s, &v), 3);
        if (strcmp(c, "USA") != 0) continue;
        long j = tw_world_sector_index(f->w, s);
        assert_true(j >= 0);
        cost += v * (tw_result_P_hat(r)[tw_ix_nj(J, us, (size_t)j)] - 1.0);
        total += v;
    }
    fclose(in);
    assert_true(total > 1e7); /* US household consumption 2011: USD 10.7 trillion */
    assert_true(tw_result_price_index_hat(r, us) > 1.0);
    assert_true(tw_result_consumer_cost(r, us) > 0);
    assert_true(fx_close(tw_result_consumer_cost(r, us), cost, 1e-12));
    assert_true(fx_close(tw_result_ev(r, us),
                         (tw_result_welfare_hat(r, us) - 1.0) * tw_result_income(r, us, 0),
                         1e-12));
    /* no households.csv in world2011: nothing per household */
    assert_true(isnan(tw_result_ev_per_household(r, us)));
    assert_true(isnan(tw_result_consumer_cost_per_household(r, us)));
}

/* ---- world2023-goods ---------------------------------------------------- */

/* The shipped 2023 world counts US households only: under the Liberation Day
 * tariffs the US figure per household is its EV over 131.43 million, every
 * other country has none, and with no household_consumption.csv there is no
 * consumer cost. */
static void test_world2023_us_ev_per_household(void **state)
{
    (void)state;
    tw_world *w = fx_load(DATA "/world2023-goods");
    tw_result *r = fx_solve(w, DATA "/scenarios/liberation-day-2025.csv", TW_DEFICITS_KEEP,
                            TW_METHOD_NEWTON);
    size_t N = tw_world_n_countries(w);
    size_t us = (size_t)tw_world_country_index(w, "USA");
    double ev = tw_result_ev(r, us), per = tw_result_ev_per_household(r, us);
    assert_true(fabs(ev) > 0);
    assert_true(fabs(per - ev / 131430000.0) <= 1e-12 * fabs(ev / 131430000.0));
    for (size_t n = 0; n < N; n++) {
        assert_true(isnan(tw_result_consumer_cost(r, n)));
        if (n != us) assert_true(isnan(tw_result_ev_per_household(r, n)));
    }
    tw_result_free(r);
    tw_world_free(w);
}

/* ---- money on a test world ---------------------------------------------- */

static void test_per_household(void **state)
{
    (void)state;
    char dir[256];
    money_world(dir, sizeof dir);
    fx_write_in(dir, "household_consumption.csv", tiny_hh);
    fx_write_in(dir, "households.csv",
                "country,households,year,source\nUSA,130,2024,test\nCHN,\"400\",2024,test\n");
    tw_world *w = fx_load(dir);
    tw_result *r = solve_rows(w, "importer,exporter,sector,rate\nUSA,CHN,GDS,0.6\n");
    for (size_t n = 0; n < 2; n++) {
        double h = n == 0 ? 130 : 400;
        assert_true(fabs(tw_result_ev(r, n)) > 0);
        assert_true(fx_close(tw_result_ev_per_household(r, n), tw_result_ev(r, n) / h, 1e-15));
        assert_true(fx_close(tw_result_consumer_cost_per_household(r, n),
                             tw_result_consumer_cost(r, n) / h, 1e-15));
    }
    /* MEX: consumption but no household count */
    assert_true(isfinite(tw_result_consumer_cost(r, 2)));
    assert_true(isnan(tw_result_ev_per_household(r, 2)));
    tw_result_free(r);
    tw_world_free(w);
    fx_remove_tree(dir);
}

/* Model units: no money figure, in the getters and in the writers. */
static void test_no_money_in_model_units(void **state)
{
    (void)state;
    tw_world *w = fx_load(TINY);
    tw_result *r = fx_solve(w, NULL, TW_DEFICITS_KEEP, TW_METHOD_NEWTON);
    assert_true(isnan(tw_result_ev(r, 0)));
    assert_true(isnan(tw_result_consumer_cost(r, 0)));
    assert_true(isfinite(tw_result_real_gdp_hat(r, 0)));
    tw_report_opts o = {0};
    char *json = tw_report_json(w, r, &o);
    assert_non_null(json);
    assert_non_null(strstr(json, "\"ev\":null,\"ev_per_household\":null,\"consumer_cost\":null"));
    free(json);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(tw_report_csv(f, w, r, &o), 0);
    fclose(f);
    /* the CSV leaves the four money fields empty: the line ends in ",,,," */
    char *usa = strstr(buf, "\nUSA,");
    assert_non_null(usa);
    char *end = strchr(usa + 1, '\n');
    assert_non_null(end);
    assert_memory_equal(end - 4, ",,,,", 4);
    free(buf);
    tw_result_free(r);
    tw_world_free(w);
}

/* ---- import prices ------------------------------------------------------ */

/* Raising the tariff factor (1 + tau') / (1 + tau) by the same 1.2 on every
 * foreign source of US goods makes the landed index exactly 1.2 times the one
 * before tariff, and that one is the Eaton-Kortum index of the sources' costs:
 * (sum_i pi_i c_hat_i^-theta / sum_i pi_i)^(-1/theta) over i != USA. */
static void test_import_price_by_hand(void **state)
{
    (void)state;
    tw_world *w = fx_load(TINY);
    /* baseline US tariffs on goods: CHN 0.25, MEX 0 */
    tw_result *r =
        solve_rows(w, "importer,exporter,sector,rate\nUSA,CHN,GDS,0.5\nUSA,MEX,GDS,0.2\n");
    size_t us = 0, chn = 1, mex = 2, gds = 0;
    double landed = tw_result_import_price_hat(r, us, gds, 1);
    double cif = tw_result_import_price_hat(r, us, gds, 0);
    assert_true(landed > 1.15);
    assert_true(fx_close(landed, 1.2 * cif, 1e-13));
    /* pi from trade.csv and tariffs.csv: CHN 60 x 1.25 = 75, MEX 40 */
    const double *c = tw_result_c_hat(r);
    double theta = 5, pc = 75, pm = 40;
    double S = pc * pow(c[tw_ix_nj(2, chn, gds)], -theta) +
               pm * pow(c[tw_ix_nj(2, mex, gds)], -theta);
    assert_true(fx_close(cif, pow(S / (pc + pm), -1.0 / theta), 1e-13));
    assert_true(fx_close(tw_result_producer_price_hat(r, chn, gds), c[tw_ix_nj(2, chn, gds)], 0));
    tw_result_free(r);
    tw_world_free(w);
}

/* ---- the loader --------------------------------------------------------- */

static void expect_load_error(const char *name, const char *text, const char *message)
{
    char dir[256];
    money_world(dir, sizeof dir);
    fx_write_in(dir, name, text);
    tw_error err;
    tw_world *w = tw_world_load(dir, &err);
    assert_null(w);
    fx_expect_error(&err, TW_EINPUT, message);
    fx_remove_tree(dir);
}

static void test_household_files_load(void **state)
{
    (void)state;
    char dir[256];
    money_world(dir, sizeof dir);
    tw_world *w = fx_load(dir);
    assert_null(w->base->hh);
    assert_null(w->base->households);
    assert_int_equal(w->base->money, 1);
    tw_world_free(w);
    fx_write_in(dir, "household_consumption.csv", tiny_hh);
    fx_write_in(dir, "households.csv", "country,households,year,source\nMEX,35.5,2024,test\n");
    w = fx_load(dir);
    assert_non_null(w->base->hh);
    assert_true(w->base->hh[tw_ix_nj(2, 0, 1)] == 500);
    assert_true(w->base->hh[tw_ix_nj(2, 2, 1)] == 0); /* absent row */
    assert_true(isnan(w->base->households[0]));
    assert_true(w->base->households[2] == 35.5);
    tw_world_free(w);
    fx_remove_tree(dir);
}

static void test_household_file_errors(void **state)
{
    (void)state;
    static const char *const hh = "country,sector,value\n";
    static const char *const hs = "country,households,year,source\n";
    static const struct {
        const char *file, *head, *rows, *message;
    } cases[] = {
        {"household_consumption.csv", hh, "USA,GDS,-1\n",
         "household_consumption.csv:2: value \"-1\" for USA GDS is negative (expected >= 0)"},
        {"household_consumption.csv", hh, "USA,GDS,1\nUSA,GDS,2\n",
         "household_consumption.csv:3: duplicate row for USA GDS (first on line 2)"},
        {"household_consumption.csv", hh, "USA,OIL,1\n",
         "household_consumption.csv:2: unknown sector \"OIL\" (not in sectors.csv)"},
        {"household_consumption.csv", "country,sector\n", "USA,GDS\n",
         "household_consumption.csv:1: missing column \"value\" (expected header "
         "\"country,sector,value\")"},
        {"households.csv", hs, "USA,130,2011,x\n",
         "households.csv:2: year \"2011\" for USA is not the world's data year (expected "
         "2024, the year of meta.csv)"},
        {"households.csv", hs, "USA,0,2024,x\n",
         "households.csv:2: households \"0\" for USA is not positive (expected > 0)"},
        {"households.csv", hs, "USA,130,2024,\n", "households.csv:2: source for USA is empty"},
        {"households.csv", hs, "USA,1,2024,x\nUSA,2,2024,x\n",
         "households.csv:3: duplicate row for USA (first on line 2)"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char text[256];
        snprintf(text, sizeof text, "%s%s", cases[k].head, cases[k].rows);
        expect_load_error(cases[k].file, text, cases[k].message);
    }
}

int main(void)
{
    const struct CMUnitTest world2011[] = {
        cmocka_unit_test(test_employment_adds_up),
        cmocka_unit_test(test_zero_shock_changes_nothing),
        cmocka_unit_test(test_us_consumer_cost_from_the_file),
    };
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_world2023_us_ev_per_household),
        cmocka_unit_test(test_per_household),
        cmocka_unit_test(test_no_money_in_model_units),
        cmocka_unit_test(test_import_price_by_hand),
        cmocka_unit_test(test_household_files_load),
        cmocka_unit_test(test_household_file_errors),
    };
    int failed = cmocka_run_group_tests(world2011, setup, teardown);
    return failed + cmocka_run_group_tests(tests, NULL, NULL);
}

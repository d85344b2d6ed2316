/* test_columns.c - the table of result columns (src/report/columns.c): every
 * column's value on a solved world prints as the JSON outputs print it,
 * names are unique, the CSV header and the table heading are the table's
 * columns in order, the outputs that predate the table keep their order, and
 * the percent and clock helpers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tradewar/policy.h"
#include "tradewar/report.h"
#include "tradewar/solve.h"
#include "tradewar/sweep.h"
#include "tradewar/world.h"

#define WORLD "data/world2011"
#define SHOCK "data/scenarios/us_china_30.csv"

typedef struct fixture {
    tw_world *w;
    tw_result *r;
} fixture;

static int solve_us_china_30(void **state)
{
    static fixture f;
    tw_error err;
    f.w = tw_world_load(WORLD, &err);
    tw_shock *s = f.w ? tw_shock_create(f.w, &err) : NULL;
    tw_solver *sv = s ? tw_solver_create(f.w, &err) : NULL;
    if (!sv || tw_shock_load_tariffs(s, SHOCK, &err) != TW_OK) return -1;
    f.r = tw_solver_run(sv, s, &err);
    tw_solver_free(sv);
    tw_shock_free(s);
    *state = &f;
    return f.r ? 0 : -1;
}

static int free_fixture(void **state)
{
    fixture *f = *state;
    tw_result_free(f->r);
    tw_world_free(f->w);
    return 0;
}

static const tw_report_level all_levels[] = {TW_LEVEL_COUNTRY, TW_LEVEL_PAIR, TW_LEVEL_SECTOR,
                                             TW_LEVEL_CELL};

static void test_names_are_unique_within_each_level(void **state)
{
    for (size_t l = 0; l < TW_LEVEL_COUNT; l++) {
        size_t n = tw_report_n_columns(all_levels[l]);
        assert_true(n > 0 && n <= TW_REPORT_MAX_COLUMNS);
        for (size_t a = 0; a < n; a++)
            for (size_t b = a + 1; b < n; b++)
                assert_string_not_equal(tw_column_name(tw_report_column(all_levels[l], a)),
                                        tw_column_name(tw_report_column(all_levels[l], b)));
    }
}

/* Every column is shown somewhere, says what it is, and has a heading where a
 * readable table shows it. */
static void test_every_column_is_described_and_shown(void **state)
{
    const unsigned readable = TW_SHOW_TABLE | TW_SHOW_TABLE_ALL | TW_SHOW_GAME | TW_SHOW_RUNS;
    for (size_t l = 0; l < TW_LEVEL_COUNT; l++)
        for (size_t k = 0; k < tw_report_n_columns(all_levels[l]); k++) {
            const tw_column *c = tw_report_column(all_levels[l], k);
            assert_true(tw_column_shows(c) != 0);
            assert_true(strlen(tw_column_description(c)) > 10);
            assert_int_equal(tw_column_heading(c) != NULL, (tw_column_shows(c) & readable) != 0);
            assert_ptr_equal(tw_report_column_find(all_levels[l], tw_column_name(c)), c);
        }
    assert_null(tw_report_column(TW_LEVEL_COUNTRY, tw_report_n_columns(TW_LEVEL_COUNTRY)));
    assert_null(tw_report_column_find(TW_LEVEL_COUNTRY, "no_such_column"));
    assert_int_equal(tw_report_n_columns(TW_LEVEL_COUNT), 0);
}

/* The getter's value prints as the JSON number did (cJSON prints 15
 * significant digits when they read back within an epsilon, else 17). */
static void assert_same(const cJSON *json, double getter, const char *name)
{
    cJSON *g = cJSON_CreateNumber(getter);
    char *a = cJSON_PrintUnformatted(json), *b = cJSON_PrintUnformatted(g);
    assert_non_null(a);
    assert_non_null(b);
    if (strcmp(a, b) != 0) fail_msg("%s: JSON %s, getter %s", name, a, b);
    free(a);
    free(b);
    cJSON_Delete(g);
}

/* Rows of array arr against the columns of level that output show prints. */
static void check_rows(const cJSON *arr, const tw_result *r, tw_report_level level, unsigned show,
                       size_t *checked)
{
    size_t N = tw_result_n_countries(r), J = tw_result_n_sectors(r), row = 0;
    size_t na = N, nb = level == TW_LEVEL_COUNTRY ? 1 : level == TW_LEVEL_SECTOR ? J : N;
    size_t nc = level == TW_LEVEL_CELL ? J : 1;
    assert_true(cJSON_IsArray(arr));
    for (size_t a = 0; a < na; a++)
        for (size_t b = 0; b < nb; b++)
            for (size_t c = 0; c < nc; c++) {
                if (!tw_report_has_row(level, r, a, b, c)) continue;
                const cJSON *o = cJSON_GetArrayItem(arr, (int)row++);
                assert_non_null(o);
                for (size_t k = 0; k < tw_report_n_columns(level); k++) {
                    const tw_column *col = tw_report_column(level, k);
                    if (!(tw_column_shows(col) & show)) continue;
                    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, tw_column_name(col));
                    double x = tw_column_value(col, r, a, b, c);
                    checked[level] |= 1u << k;
                    if (!isfinite(x)) { /* absent: null, never a number */
                        assert_true(cJSON_IsNull(v));
                        continue;
                    }
                    assert_true(cJSON_IsNumber(v));
                    assert_same(v, x, tw_column_name(col));
                }
            }
    assert_int_equal(cJSON_GetArraySize(arr), row);
}

static cJSON *export_json(const tw_world *w, const tw_result *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    tw_error err;
    assert_int_equal(tw_export_result(f, w, r, TW_EXPORT_JSON, &err), TW_OK);
    fclose(f);
    cJSON *j = cJSON_Parse(buf);
    free(buf);
    assert_non_null(j);
    return j;
}

static void test_every_getter_matches_the_json_outputs(void **state)
{
    fixture *f = *state;
    tw_report_opts o = {.bilateral = 1, .sectors = 1};
    char *txt = tw_report_json(f->w, f->r, &o);
    cJSON *solve = cJSON_Parse(txt), *exp = export_json(f->w, f->r);
    free(txt);
    assert_non_null(solve);
    size_t checked[TW_LEVEL_COUNT] = {0};
    check_rows(cJSON_GetObjectItem(solve, "countries"), f->r, TW_LEVEL_COUNTRY, TW_SHOW_JSON, checked);
    check_rows(cJSON_GetObjectItem(solve, "bilateral"), f->r, TW_LEVEL_PAIR, TW_SHOW_JSON, checked);
    check_rows(cJSON_GetObjectItem(solve, "sectors"), f->r, TW_LEVEL_SECTOR, TW_SHOW_JSON, checked);
    check_rows(cJSON_GetObjectItem(exp, "countries"), f->r, TW_LEVEL_COUNTRY, TW_SHOW_EXPORT, checked);
    check_rows(cJSON_GetObjectItem(exp, "country_sectors"), f->r, TW_LEVEL_SECTOR, TW_SHOW_EXPORT, checked);
    check_rows(cJSON_GetObjectItem(exp, "bilateral"), f->r, TW_LEVEL_CELL, TW_SHOW_EXPORT, checked);
    /* every column of every level was compared with a printed number (or null) */
    for (size_t l = 0; l < TW_LEVEL_COUNT; l++)
        assert_int_equal(checked[l], (1u << tw_report_n_columns(all_levels[l])) - 1);
    /* and the numbers are the model's: USA's welfare from its hat */
    long usa = tw_world_country_index(f->w, "USA");
    const cJSON *c = cJSON_GetArrayItem(cJSON_GetObjectItem(solve, "countries"), (int)usa);
    assert_same(cJSON_GetObjectItem(c, "welfare_pct"),
                100.0 * (tw_result_welfare_hat(f->r, (size_t)usa) - 1.0), "welfare_pct");
    cJSON_Delete(solve);
    cJSON_Delete(exp);
}

/* The header line of each CSV table (countries, pairs, sectors), checking
 * that every row of the table is as wide as its header. */
static void csv_headers(const tw_world *w, const tw_result *r, char hdr[3][1024])
{
    const tw_report_level levels[3] = {TW_LEVEL_COUNTRY, TW_LEVEL_PAIR, TW_LEVEL_SECTOR};
    for (size_t k = 0; k < 3; k++) {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        assert_int_equal(tw_report_csv_level(f, w, r, levels[k]), 0);
        fclose(f);
        size_t rows = 0, width = 0;
        for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"), rows++) {
            size_t commas = 0;
            for (const char *c = line; *c; c++) commas += *c == ',';
            if (rows == 0) snprintf(hdr[k], 1024, "%s", line);
            if (rows == 0) width = commas;
            assert_int_equal(commas, width);
        }
        assert_true(rows > 1);
        free(buf);
    }
    FILE *f = fopen("/dev/null", "w");
    assert_int_equal(tw_report_csv_level(f, w, r, TW_LEVEL_CELL), -1);
    fclose(f);
}

static void names_of(tw_report_level level, unsigned show, const char *keys, char *out, size_t size)
{
    const tw_column *cols[TW_REPORT_MAX_COLUMNS];
    size_t m = tw_report_view(level, show, cols, TW_REPORT_MAX_COLUMNS), len = 0;
    len += (size_t)snprintf(out, size, "%s", keys);
    for (size_t q = 0; q < m; q++) len += (size_t)snprintf(out + len, size - len, ",%s", tw_column_name(cols[q]));
}

static double col(const tw_result *r, tw_report_level level, const char *name, size_t a, size_t b)
{
    const tw_column *c = tw_report_column_find(level, name);
    assert_non_null(c);
    return tw_column_value(c, r, a, b, 0);
}

/* The columns agree with each other and with the model's definitions. */
static void test_columns_agree_with_their_definitions(void **state)
{
    fixture *f = *state;
    const tw_result *r = f->r;
    size_t N = tw_world_n_countries(f->w), J = tw_world_n_sectors(f->w);
    for (size_t n = 0; n < N; n++) {
        double tot = col(r, TW_LEVEL_COUNTRY, "tot_pct", n, 0), vot = col(r, TW_LEVEL_COUNTRY, "vot_pct", n, 0);
        assert_float_equal(col(r, TW_LEVEL_COUNTRY, "tot_plus_vot_pct", n, 0), tot + vot, 1e-12);
        double e0 = col(r, TW_LEVEL_COUNTRY, "exports_base", n, 0), e1 = col(r, TW_LEVEL_COUNTRY, "exports", n, 0);
        assert_float_equal(col(r, TW_LEVEL_COUNTRY, "exports_pct", n, 0), 100 * (e1 / e0 - 1), 1e-9);
        double i0 = col(r, TW_LEVEL_COUNTRY, "income_base", n, 0), i1 = col(r, TW_LEVEL_COUNTRY, "income", n, 0);
        assert_float_equal(col(r, TW_LEVEL_COUNTRY, "income_pct", n, 0), 100 * (i1 / i0 - 1), 1e-9);
        assert_float_equal(col(r, TW_LEVEL_COUNTRY, "wage_pct", n, 0), 100 * (tw_result_w_hat(r)[n] - 1), 1e-12);
        for (size_t j = 0; j < J; j++)
            assert_float_equal(col(r, TW_LEVEL_SECTOR, "price_pct", n, j),
                               100 * (col(r, TW_LEVEL_SECTOR, "price_hat", n, j) - 1), 1e-12);
    }
    /* a pair is its cells summed over sectors */
    double base = 0, now = 0;
    for (size_t j = 0; j < J; j++) {
        const tw_column *t0 = tw_report_column_find(TW_LEVEL_CELL, "trade_base");
        const tw_column *t1 = tw_report_column_find(TW_LEVEL_CELL, "trade");
        base += tw_column_value(t0, r, 0, 1, j);
        now += tw_column_value(t1, r, 0, 1, j);
    }
    assert_float_equal(col(r, TW_LEVEL_PAIR, "base", 0, 1), base, 1e-9 * base);
    assert_float_equal(col(r, TW_LEVEL_PAIR, "new", 0, 1), now, 1e-9 * now);
    assert_float_equal(col(r, TW_LEVEL_PAIR, "change_pct", 0, 1), 100 * (now / base - 1), 1e-9);
}

static void test_csv_header_is_the_table_names_in_order(void **state)
{
    fixture *f = *state;
    char hdr[3][1024], want[1024];
    csv_headers(f->w, f->r, hdr);
    names_of(TW_LEVEL_COUNTRY, TW_SHOW_CSV, "code", want, sizeof want);
    assert_string_equal(hdr[0], want);
    assert_string_equal(hdr[0], "code,welfare_pct,real_wage_pct,price_index_pct,wage_pct,income_pct,"
                                "tot_pct,vot_pct,tot_plus_vot_pct,exports_pct,imports_pct,exports,"
                                "imports,tariff_revenue,tariff_revenue_base,tariff_revenue_pct,"
                                "tariff_revenue_change,tariff_revenue_gdp_pct,"
                                "tariff_revenue_gdp_base_pct,etr_base_pct,etr_pre_pct,etr_post_pct,real_gdp_pct,ev,"
                                "ev_per_household,consumer_cost,consumer_cost_per_household");
    names_of(TW_LEVEL_PAIR, TW_SHOW_CSV, "importer,exporter", want, sizeof want);
    assert_string_equal(hdr[1], want);
    assert_string_equal(hdr[1], "importer,exporter,base,new,change_pct,etr_base_pct,etr_pre_pct,"
                                "etr_post_pct");
    names_of(TW_LEVEL_SECTOR, TW_SHOW_CSV, "country,sector", want, sizeof want);
    assert_string_equal(hdr[2], want);
    assert_string_equal(hdr[2], "country,sector,price_pct,output_pct,etr_base_pct,etr_pre_pct,"
                                "etr_post_pct,producer_price_pct,import_price_pct,"
                                "import_price_cif_pct,employment_pct");
}

/* The JSON's "meta" names the program, the world by folder and hash, the
 * elasticity set and the options the solve used. */
static void test_json_meta_names_version_world_and_options(void **state)
{
    fixture *f = *state;
    tw_report_opts o = {.tol = 1e-10};
    char *txt = tw_report_json(f->w, f->r, &o);
    cJSON *root = cJSON_Parse(txt);
    free(txt);
    cJSON *m = cJSON_GetObjectItem(root, "meta");
    assert_non_null(m);
    char hash[17];
    tw_world_hash(f->w, hash);
    assert_string_equal(cJSON_GetObjectItem(m, "version")->valuestring, TW_VERSION);
    assert_string_equal(cJSON_GetObjectItem(m, "world")->valuestring, "world2011");
    assert_string_equal(cJSON_GetObjectItem(m, "world_hash")->valuestring, hash);
    assert_string_equal(cJSON_GetObjectItem(m, "elasticities")->valuestring, "cp2015");
    assert_string_equal(cJSON_GetObjectItem(m, "deficits")->valuestring, "keep");
    assert_string_equal(cJSON_GetObjectItem(m, "method")->valuestring, "newton");
    assert_float_equal(cJSON_GetObjectItem(m, "tolerance")->valuedouble, 1e-10, 0);
    /* the fields before meta stay */
    assert_string_equal(cJSON_GetObjectItem(root, "deficits")->valuestring, "keep");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(root, "converged")));
    cJSON_Delete(root);
    /* no tolerance known: null */
    txt = tw_report_meta_json(f->w, NULL, "newton", 0);
    assert_string_equal(strstr(txt, "\"deficits\""),
                        "\"deficits\":null,\"method\":\"newton\",\"tolerance\":null}");
    free(txt);
}

static void test_table_heading_lists_the_table_columns(void **state)
{
    fixture *f = *state;
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    assert_int_equal(tw_report_table(out, f->w, f->r, NULL), 0);
    fclose(out);
    const char *line = strstr(buf, "\ncountry ");
    assert_non_null(line);
    const char *want = "country   welfare%  realGDP%   prices%  ETR pre% ETR post%     cons. cost"
                       "  rev/GDP%\n";
    assert_memory_equal(line + 1, want, strlen(want));
    assert_null(strstr(buf, "more columns")); /* the library names no flag of its own */
    free(buf);
    tw_report_opts o = {.more = "--the-flag"};
    out = open_memstream(&buf, &len);
    assert_int_equal(tw_report_table(out, f->w, f->r, &o), 0);
    fclose(out);
    assert_non_null(strstr(buf, "; more columns: --the-flag\n"));
    free(buf);
}

static void assert_view(tw_report_level level, unsigned show, const char *want)
{
    char got[1024];
    names_of(level, show, "", got, sizeof got);
    assert_string_equal(got + 1, want);
}

/* The default table shows the headline set; every column it shows is in the
 * table with all columns, first and in the same order. */
static void test_table_shows_the_headline_set_first(void **state)
{
    (void)state;
    assert_view(TW_LEVEL_COUNTRY, TW_SHOW_TABLE,
                "welfare_pct,real_gdp_pct,price_index_pct,etr_pre_pct,etr_post_pct,consumer_cost,"
                "tariff_revenue_gdp_pct");
    assert_view(TW_LEVEL_COUNTRY, TW_SHOW_TABLE_ALL,
                "welfare_pct,real_gdp_pct,price_index_pct,etr_pre_pct,etr_post_pct,consumer_cost,"
                "tariff_revenue_gdp_pct,real_wage_pct,wage_pct,tot_pct,vot_pct,tot_plus_vot_pct,"
                "exports_pct,imports_pct,tariff_revenue,tariff_revenue_pct,etr_base_pct,ev,"
                "ev_per_household,consumer_cost_per_household");
    assert_view(TW_LEVEL_PAIR, TW_SHOW_TABLE, "base,new,change_pct,etr_pre_pct,etr_post_pct");
    assert_view(TW_LEVEL_SECTOR, TW_SHOW_TABLE, "price_pct,output_pct,etr_pre_pct,etr_post_pct");
    assert_view(TW_LEVEL_SECTOR, TW_SHOW_TABLE_ALL,
                "price_pct,output_pct,etr_base_pct,etr_pre_pct,etr_post_pct,producer_price_pct,"
                "import_price_pct,import_price_cif_pct,employment_pct");
    for (size_t l = 0; l < TW_LEVEL_COUNT; l++)
        for (size_t k = 0; k < tw_report_n_columns(all_levels[l]); k++) {
            unsigned s = tw_column_shows(tw_report_column(all_levels[l], k));
            if (s & TW_SHOW_TABLE) assert_true(s & TW_SHOW_TABLE_ALL);
        }
}

/* With all columns: the real wage and ToT+VoT are back, a value the world
 * lacks reads n/a. */
static void test_table_with_all_columns(void **state)
{
    fixture *f = *state;
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    assert_int_equal(tw_report_table_view(out, f->w, f->r, NULL, TW_SHOW_TABLE_ALL), 0);
    fclose(out);
    const char *line = strstr(buf, "\ncountry ");
    assert_non_null(line);
    const char *want = "country   welfare%  realGDP%   prices%  ETR pre% ETR post%     cons. cost"
                       "  rev/GDP% realwage%     wage%      ToT%      VoT%  ToT+VoT%  exports%"
                       "  imports%    tariff rev.  rev.chg% ETR base%             EV"
                       "   EV/household cost/household\n";
    assert_memory_equal(line + 1, want, strlen(want));
    free(buf);
}

/* The tidy export and the timeline writers keep the orders they had. */
static void test_outputs_keep_their_column_order(void **state)
{
    assert_view(TW_LEVEL_COUNTRY, TW_SHOW_EXPORT,
                "welfare_pct,real_wage_pct,price_index_pct,wage_pct,income_pct,tot_pct,vot_pct,"
                "exports_pct,imports_pct,exports_base,exports,imports_base,imports,"
                "tariff_revenue_base,tariff_revenue,tariff_revenue_pct,tariff_revenue_change,"
                "tariff_revenue_gdp_pct,tariff_revenue_gdp_base_pct,etr_base_pct,etr_pre_pct,"
                "etr_post_pct,income_base,income,real_gdp_pct,ev,ev_per_household,consumer_cost,"
                "consumer_cost_per_household");
    assert_view(TW_LEVEL_SECTOR, TW_SHOW_EXPORT,
                "price_hat,cost_hat,spending,etr_base_pct,etr_pre_pct,etr_post_pct,producer_price_pct,"
                "import_price_pct,import_price_cif_pct,employment_pct");
    assert_view(TW_LEVEL_CELL, TW_SHOW_EXPORT, "trade_base,trade,tariff,ntb_factor");
    assert_view(TW_LEVEL_COUNTRY, TW_SHOW_TIMELINE_CSV,
                "welfare_pct,real_wage_pct,price_index_pct,tariff_revenue,exports_pct,imports_pct,"
                "tariff_revenue_pct,tariff_revenue_gdp_pct,etr_base_pct,etr_pre_pct,etr_post_pct,"
                "real_gdp_pct,ev,ev_per_household,consumer_cost,consumer_cost_per_household");
    assert_view(TW_LEVEL_COUNTRY, TW_SHOW_TIMELINE_JSON,
                "welfare_pct,real_wage_pct,price_index_pct,tot_pct,vot_pct,tariff_revenue,"
                "exports_pct,imports_pct,tariff_revenue_pct,tariff_revenue_gdp_pct,etr_base_pct,"
                "etr_pre_pct,etr_post_pct,real_gdp_pct,ev,ev_per_household,consumer_cost,"
                "consumer_cost_per_household");
    assert_view(TW_LEVEL_COUNTRY, TW_SHOW_DIFF,
                "welfare_pct,real_wage_pct,price_index_pct,exports_pct,imports_pct,"
                "tariff_revenue_pct,tariff_revenue_gdp_pct,etr_base_pct,etr_pre_pct,etr_post_pct,"
                "real_gdp_pct,ev,ev_per_household,consumer_cost,consumer_cost_per_household");
    assert_view(TW_LEVEL_COUNTRY, TW_SHOW_GAME,
                "welfare_pct,real_wage_pct,price_index_pct,exports_pct,imports_pct");
    assert_view(TW_LEVEL_COUNTRY, TW_SHOW_GAME_JSON,
                "welfare_pct,real_wage_pct,price_index_pct,tariff_revenue_pct,"
                "tariff_revenue_gdp_pct,etr_base_pct,etr_pre_pct,etr_post_pct,real_gdp_pct");
    assert_view(TW_LEVEL_COUNTRY, TW_SHOW_RUNS,
                "welfare_pct,real_wage_pct,price_index_pct,tot_pct,vot_pct,exports_pct,imports_pct");
    /* a short list gets the first columns */
    const tw_column *one[1];
    assert_int_equal(tw_report_view(TW_LEVEL_COUNTRY, TW_SHOW_EXPORT, one, 1), 1);
    assert_string_equal(tw_column_name(one[0]), "welfare_pct");
}

static void test_sweep_statistics_are_the_sweep_columns(void **state)
{
    const tw_column *cols[TW_REPORT_MAX_COLUMNS];
    size_t m = tw_report_view(TW_LEVEL_COUNTRY, TW_SHOW_SWEEP, cols, TW_REPORT_MAX_COLUMNS);
    assert_int_equal(m, TW_SWEEP_N_STATS);
    for (size_t k = 0; k < m; k++) {
        assert_string_equal(tw_sweep_stat_name(k), tw_column_name(cols[k]));
        assert_int_equal(tw_sweep_stat_index(tw_column_name(cols[k])), (long)k);
    }
    assert_null(tw_sweep_stat_name(TW_SWEEP_N_STATS));
    assert_int_equal(tw_sweep_stat_index("wage_pct"), -1);
}

static void test_rows_are_pairs_with_trade_and_cells_with_trade_or_tariff(void **state)
{
    fixture *f = *state;
    size_t N = tw_world_n_countries(f->w), J = tw_world_n_sectors(f->w);
    assert_false(tw_report_has_row(TW_LEVEL_PAIR, f->r, 0, 0, 0)); /* domestic */
    assert_true(tw_report_has_row(TW_LEVEL_PAIR, f->r, 0, 1, 0));
    assert_false(tw_report_has_row(TW_LEVEL_COUNTRY, f->r, N, 0, 0));
    assert_false(tw_report_has_row(TW_LEVEL_SECTOR, f->r, 0, J, 0));
    assert_false(tw_report_has_row(TW_LEVEL_CELL, f->r, 0, 0, J));
    long usa = tw_world_country_index(f->w, "USA"), chn = tw_world_country_index(f->w, "CHN");
    const tw_column *tariff = tw_report_column_find(TW_LEVEL_CELL, "tariff");
    double idle = -1;
    assert_int_equal(tw_column_sparse(tariff, &idle), 1);
    assert_true(idle == 0.0);
    assert_true(tw_column_value(tariff, f->r, (size_t)usa, (size_t)chn, 0) >= 0.30);
    assert_int_equal(tw_column_sparse(tw_report_column_find(TW_LEVEL_CELL, "trade"), &idle), 0);
}

static void test_units_name_themselves(void **state)
{
    assert_string_equal(tw_unit_name(TW_UNIT_PERCENT, "USD million"), "percent");
    assert_string_equal(tw_unit_name(TW_UNIT_MONEY, "USD million"), "USD million");
    assert_string_equal(tw_unit_name(TW_UNIT_MONEY, NULL), "");
    assert_string_equal(tw_unit_name(TW_UNIT_HAT, NULL), "hat");
    assert_string_equal(tw_unit_name(TW_UNIT_FRACTION, NULL), "fraction");
    assert_string_equal(tw_unit_name(TW_UNIT_FACTOR, NULL), "");
    assert_int_equal(tw_column_unit(tw_report_column_find(TW_LEVEL_COUNTRY, "exports")), TW_UNIT_MONEY);
}

static void test_pct_helpers_and_clock(void **state)
{
    assert_true(tw_pct(1.25) == 25.0);
    assert_true(tw_pct(1.0) == 0.0);
    assert_true(tw_pct(0.5) == -50.0);
    assert_true(tw_pct_change(200.0, 250.0) == 25.0);
    assert_true(tw_pct_change(0.0, 5.0) == 0.0);  /* no base: no change */
    assert_true(tw_pct_change(-1.0, 5.0) == 0.0);
    double t0 = tw_clock_seconds(), t1 = tw_clock_seconds();
    assert_true(t0 > 0 && t1 >= t0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_are_unique_within_each_level),
        cmocka_unit_test(test_every_column_is_described_and_shown),
        cmocka_unit_test(test_outputs_keep_their_column_order),
        cmocka_unit_test(test_table_shows_the_headline_set_first),
        cmocka_unit_test(test_sweep_statistics_are_the_sweep_columns),
        cmocka_unit_test(test_units_name_themselves),
        cmocka_unit_test(test_pct_helpers_and_clock),
        cmocka_unit_test_setup_teardown(test_every_getter_matches_the_json_outputs, solve_us_china_30,
                                        free_fixture),
        cmocka_unit_test_setup_teardown(test_columns_agree_with_their_definitions, solve_us_china_30,
                                        free_fixture),
        cmocka_unit_test_setup_teardown(test_csv_header_is_the_table_names_in_order, solve_us_china_30,
                                        free_fixture),
        cmocka_unit_test_setup_teardown(test_table_with_all_columns, solve_us_china_30, free_fixture),
        cmocka_unit_test_setup_teardown(test_json_meta_names_version_world_and_options,
                                        solve_us_china_30, free_fixture),
        cmocka_unit_test_setup_teardown(test_table_heading_lists_the_table_columns, solve_us_china_30,
                                        free_fixture),
        cmocka_unit_test_setup_teardown(test_rows_are_pairs_with_trade_and_cells_with_trade_or_tariff,
                                        solve_us_china_30, free_fixture),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_load.c - loading worlds (src/world/load.c, shares.c, world.c) and the
 * CSV and number readers under them (src/core/csv.c, num.c).
 *
 * Real worlds come from data/, hand-written ones and the bad-input corpus from
 * tests/data/ (see tests/data/README.md).  Tests run from the repository root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tradewar/world.h"
#include "core/csv.h"
#include "core/index.h"
#include "core/num.h"
#include "world/world_impl.h"
#include "../common/fixtures.h"

#define BAD_DIR "tests/data/bad"

static double rel_diff(double a, double b)
{
    double scale = fmax(fabs(a), fabs(b));
    return scale > 0 ? fabs(a - b) / scale : 0;
}

/* F_n^j = X_n^j - sum_k io[n][j][k] Y_n^k, docs/model.md sec. 1, "Baseline quantities". */
static double final_demand(const tw_base *b, size_t n, size_t j)
{
    double use = 0;
    for (size_t k = 0; k < b->J; k++)
        use += b->io[tw_ix_nkj(b->J, n, j, k)] * b->Y[tw_ix_nj(b->J, n, k)];
    return b->X[tw_ix_nj(b->J, n, j)] - use;
}

/* ---- real worlds -------------------------------------------------------- */

static void test_world2011_has_21_countries_and_20_sectors(void **state)
{
    (void)state;
    tw_world *w = fx_load_sized("data/world2011", 21, 20);
    assert_string_equal(tw_world_country_code(w, 0), "USA");
    assert_int_equal(tw_world_country_index(w, "CHN"), 1);
    assert_int_equal(tw_world_country_index(w, "chn"), -1);
    assert_string_equal(tw_world_sector_name(w, 0), "Agriculture, forestry and fishing");
    assert_int_equal(tw_world_sector_tradable(w, tw_world_sector_index(w, "AGR")), 1);
    assert_int_equal(tw_world_sector_tradable(w, tw_world_sector_index(w, "PUB")), 0);
    assert_true(fabs(tw_world_sector_theta(w, 0) - 9.11) < 1e-12);
    assert_string_equal(tw_world_meta(w, "year"), "2011");
    assert_null(tw_world_meta(w, "nonexistent"));
    assert_string_equal(tw_world_dir(w), "data/world2011");
    assert_int_equal(tw_world_n_warnings(w), 0);
    tw_world_free(w);
}

/* An embedded name is looked for in TRADEWAR_DATA first; a name that holds a
 * '/' or names a directory here is taken as given. */
static void test_embedded_name_resolves_through_tradewar_data(void **state)
{
    (void)state;
    char had[4096] = "";
    const char *old = getenv("TRADEWAR_DATA");
    if (old) snprintf(had, sizeof had, "%s", old);
    assert_int_equal(setenv("TRADEWAR_DATA", TW_SOURCE_DIR "/data", 1), 0);
    assert_string_equal(tw_data_dir(), TW_SOURCE_DIR "/data");
    tw_error err;
    tw_world *w = tw_world_load("world2011", &err);
    assert_non_null(w);
    assert_string_equal(tw_world_dir(w), TW_SOURCE_DIR "/data/world2011");
    assert_int_equal(tw_world_n_countries(w), 21);
    tw_world_free(w);
    char buf[64];
    assert_string_equal(tw_world_path("data/world2011", buf, sizeof buf), "data/world2011");
    /* too long for buf: the name unchanged, and the load says what is missing */
    const char *p = tw_world_path("world2011", buf, 8);
    assert_string_equal(p, "world2011");
    assert_int_equal(setenv("TRADEWAR_DATA", TW_SOURCE_DIR "/tests/data", 1), 0);
    assert_null(tw_world_load("world2011", &err));
    assert_int_equal(err.code, TW_EIO);
    assert_string_equal(err.file, "countries.csv");
    if (old) setenv("TRADEWAR_DATA", had, 1);
    else unsetenv("TRADEWAR_DATA");
}

static void test_meta_value_with_unquoted_comma_is_read_whole(void **state)
{
    (void)state;
    tw_world *w = fx_load("data/world2011");
    const char *src = tw_world_meta(w, "source");
    assert_non_null(src);
    assert_non_null(strstr(src, "(Timmer et al. 2015), CC BY; tariffs"));
    tw_world_free(w);
}

static void check_derived_baseline(const char *dir)
{
    tw_world *w = fx_load(dir);
    const tw_base *b = w->base;
    size_t N = b->N, J = b->J;
    double dsum = 0, dscale = 0;
    for (size_t n = 0; n < N; n++) {
        double asum = 0, fsum = 0;
        for (size_t j = 0; j < J; j++) {
            double a = b->alpha[tw_ix_nj(J, n, j)];
            assert_true(a >= 0 && isfinite(a));
            asum += a;
            double F = final_demand(b, n, j);
            fsum += F > 0 ? F : 0;
            /* derived value-added shares close the cost identity exactly */
            double in = 0;
            for (size_t k = 0; k < J; k++) in += b->io[tw_ix_nkj(J, n, k, j)];
            assert_true(fabs(b->va[tw_ix_nj(J, n, j)] + in - 1) < 1e-12 || in >= 1);
        }
        assert_true(fabs(asum - 1) < 1e-12);
        /* sum_j F_n^j = VA_n + R_n + D_n: spending on final goods is income */
        assert_true(rel_diff(fsum, tw_world_value_added(w, n) + tw_world_tariff_revenue(w, n) +
                                       tw_world_deficit(w, n)) < 1e-9);
        assert_true(rel_diff(tw_world_income(w, n), b->I[n]) == 0);
        assert_true(rel_diff(tw_world_deficit(w, n),
                             tw_world_imports(w, n) - tw_world_exports(w, n)) < 1e-9);
        dsum += tw_world_deficit(w, n);
        dscale += tw_world_imports(w, n);
    }
    assert_true(fabs(dsum) <= 1e-9 * dscale);
    tw_world_free(w);
}

static void test_derived_alpha_sums_to_one_and_final_demand_is_income(void **state)
{
    (void)state;
    check_derived_baseline("data/world2011");
    check_derived_baseline("data/world2011-full");
    check_derived_baseline("tests/data/good/tiny3x2");
}

static void test_supplied_shares_are_used_as_given_with_a_warning(void **state)
{
    (void)state;
    tw_world *w = fx_load_sized("data/cp1993", 31, 40);
    assert_int_equal(w->va_supplied, 1);
    assert_int_equal(w->alpha_supplied, 1);
    /* value_added.csv row 2 is ARG Agriculture 0.57327082 */
    assert_true(w->base->va[0] == 0.57327082);
    assert_int_equal(tw_world_n_warnings(w), 1);
    assert_string_equal(tw_world_warning(w, 0),
                        "value_added.csv:172: value-added share 0.324145659 and input shares "
                        "0.6764259786 for CAN BasicMetals sum to 1.000571638 (expected 1 within "
                        "1e-06)");
    assert_null(tw_world_warning(w, 1));
    tw_world_free(w);
}

/* ---- hand-written worlds ------------------------------------------------ */

static void test_tiny2x1_levels_match_closed_form(void **state)
{
    (void)state;
    tw_world *w = fx_load("tests/data/good/tiny2x1");
    /* A sells 80 at home and 30 to B, buys 20 from B: VA = Y = 110, D = 100 - 110 */
    assert_true(fabs(tw_world_value_added(w, 0) - 110) < 1e-12);
    assert_true(fabs(tw_world_deficit(w, 0) - (-10)) < 1e-12);
    assert_true(fabs(tw_world_deficit(w, 1) - 10) < 1e-12);
    assert_true(fabs(tw_world_exports(w, 0) - 30) < 1e-12);
    assert_true(fabs(tw_world_imports(w, 0) - 20) < 1e-12);
    assert_true(fabs(tw_world_income(w, 0) - 100) < 1e-12);
    assert_true(fabs(tw_world_tariff_revenue(w, 0)) < 1e-15);
    assert_true(fabs(w->base->alpha[0] - 1) < 1e-15);
    assert_true(fabs(w->base->va[0] - 1) < 1e-15);
    assert_null(tw_world_meta(w, "year"));
    tw_world_free(w);
}

static void test_tiny3x2_reads_quoted_names_tariffs_and_revenue(void **state)
{
    (void)state;
    tw_world *w = fx_load_sized("tests/data/good/tiny3x2", 3, 2);
    assert_string_equal(tw_world_country_name(w, 2), "Mexico, United Mexican States");
    assert_string_equal(tw_world_sector_name(w, 0), "Goods, all kinds");
    assert_int_equal(tw_world_sector_tradable(w, 1), 0);
    assert_string_equal(tw_world_meta(w, "source"), "hand-written, for tests");
    const double *tau = tw_world_tariffs(w);
    assert_true(fabs(tau[tw_ix_nij(3, 2, 0, 1, 0)] - 0.25) < 1e-15);
    /* USA: 0.25 * 60 from CHN + 0 * 40 from MEX */
    assert_true(fabs(tw_world_tariff_revenue(w, 0) - 15) < 1e-12);
    /* CHN: 0.10 * 50 + 0.05 * 10 */
    assert_true(fabs(tw_world_tariff_revenue(w, 1) - 5.5) < 1e-12);
    assert_true(fabs(tw_world_trade(w)[tw_ix_nij(3, 2, 2, 0, 1)] - 5) < 1e-15);
    /* out-of-range getters do not read past the arrays */
    assert_null(tw_world_country_code(w, 3));
    assert_true(isnan(tw_world_sector_theta(w, 2)));
    tw_world_free(w);
}

static void test_bom_crlf_blank_lines_and_multiline_quotes_are_accepted(void **state)
{
    (void)state;
    char dir[256];
    fx_scratch(dir, sizeof dir, "load");
    const char *files[][2] = {
        {"countries.csv", "\xEF\xBB\xBF" "code,name,extra\r\n\r\nA,\"Alpha\r\nLand\",x\r\n"
                          "B,\"Beta \"\"B\"\"\",y\r\n"},
        {"sectors.csv", "name,code,theta\nGoods,G,4"},  /* no newline at the end */
        {"trade.csv", "importer,exporter,sector,value\n  \nA,A,G,8e1\n\nA,B,G,+20.\n"
                      "B,A,G,30\nB,B,G,.7e2\n"},
    };
    for (size_t k = 0; k < 3; k++) fx_write_in(dir, files[k][0], files[k][1]);
    tw_world *w = fx_load(dir);
    assert_string_equal(tw_world_country_code(w, 0), "A");
    assert_string_equal(tw_world_country_name(w, 0), "Alpha\r\nLand");
    assert_string_equal(tw_world_country_name(w, 1), "Beta \"B\"");
    assert_string_equal(tw_world_sector_code(w, 0), "G");
    assert_true(fabs(tw_world_value_added(w, 0) - 110) < 1e-12);
    tw_world_free(w);

    /* a record's line is the line it starts on, after blank lines and quoted breaks */
    fx_write_in(dir, "trade.csv", "importer,exporter,sector,value\n\n\"A\nA\",A,G,1\n\nB,X,G,1\n");
    tw_error err;
    assert_null(tw_world_load(dir, &err));
    assert_int_equal(err.code, TW_EINPUT);
    assert_string_equal(err.file, "trade.csv");
    assert_int_equal(err.line, 3);
    assert_string_equal(err.field, "importer");
    assert_string_equal(err.msg, "unknown country \"A\nA\" (not in countries.csv)");
    fx_remove_tree(dir);
}

static void test_negative_trade_value_reports_file_line_and_pair(void **state)
{
    (void)state;
    tw_error err;
    assert_null(tw_world_load(BAD_DIR "/negative_trade_value", &err));
    assert_int_equal(err.code, TW_EINPUT);
    assert_string_equal(err.file, "trade.csv");
    assert_int_equal(err.line, 3);
    assert_int_equal(err.col, 0);
    assert_string_equal(err.field, "value");
    assert_string_equal(err.msg, "value \"-3.1\" for B->A G is negative (expected >= 0)");
}

static void test_missing_directory_is_an_io_error_and_null_err_is_allowed(void **state)
{
    (void)state;
    tw_error err;
    assert_null(tw_world_load("tests/data/no-such-world", &err));
    assert_int_equal(err.code, TW_EIO);
    assert_string_equal(err.file, "countries.csv");
    assert_string_equal(err.msg, "cannot open: No such file or directory");
    assert_null(tw_world_load("tests/data/no-such-world", NULL));
    assert_null(tw_world_load(NULL, &err));
    assert_int_equal(err.code, TW_EARG);
    tw_world_free(NULL);
    assert_int_equal(tw_world_n_countries(NULL), 0);
}

/* ---- the bad-input corpus ----------------------------------------------- */

static void read_line(const char *path, char *buf, size_t size)
{
    buf[0] = '\0';
    FILE *f = fopen(path, "r");
    if (!f) return;
    if (fgets(buf, (int)size, f)) buf[strcspn(buf, "\n")] = '\0';
    fclose(f);
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static void test_bad_world_corpus_reports_exact_messages(void **state)
{
    (void)state;
    struct dirent **ents;
    int n = scandir(BAD_DIR, &ents, NULL, by_name);
    assert_true(n > 0);
    int cases = 0, failures = 0;
    for (int k = 0; k < n; k++) {
        const char *name = ents[k]->d_name;
        if (name[0] == '.' || strncmp(name, "cf_", 3) == 0 || strncmp(name, "ntb_", 4) == 0)
            continue;
        char dir[512], path[600], expect[600], code[32], got[600];
        snprintf(dir, sizeof dir, "%s/%s", BAD_DIR, name);
        snprintf(path, sizeof path, "%s/expect", dir);
        read_line(path, expect, sizeof expect);
        if (!expect[0]) continue; /* not a case directory */
        snprintf(path, sizeof path, "%s/code", dir);
        read_line(path, code, sizeof code);
        tw_status want = strcmp(code, "EIO") == 0 ? TW_EIO : TW_EINPUT;
        tw_error err;
        tw_world *w = tw_world_load(dir, &err);
        cases++;
        if (w) {
            print_error("%s: loaded, expected: %s\n", name, expect);
            failures++;
            tw_world_free(w);
            continue;
        }
        tw_error_format(&err, got, sizeof got);
        if (strcmp(got, expect) != 0 || err.code != want) {
            print_error("%s:\n  got    [%d] %s\n  expect [%d] %s\n", name, err.code, got, want,
                        expect);
            failures++;
        }
    }
    for (int k = 0; k < n; k++) free(ents[k]);
    free(ents);
    assert_true(cases >= 20);
    assert_int_equal(failures, 0);
}

/* ---- the readers underneath --------------------------------------------- */

static void test_numbers_parse_without_locale_and_reject_junk(void **state)
{
    (void)state;
    locale_t loc = tw_num_locale_new();
    assert_true(loc != (locale_t)0);
    double v = 0;
    assert_int_equal(tw_num_parse("1.5e3", loc, &v), TW_NUM_OK);
    assert_true(v == 1500);
    assert_int_equal(tw_num_parse("-0.25", loc, &v), TW_NUM_OK);
    assert_true(v == -0.25);
    assert_int_equal(tw_num_parse(".5", loc, &v), TW_NUM_OK);
    assert_int_equal(tw_num_parse("5.", loc, &v), TW_NUM_OK);
    assert_int_equal(tw_num_parse("1e-320", loc, &v), TW_NUM_OK); /* underflow is fine */
    assert_int_equal(tw_num_parse("", loc, &v), TW_NUM_EMPTY);
    const char *syntax[] = {"abc", "1.5x", " 1", "1 ", "1,5", ".", "-", "1e", "1e+", "0x10",
                            "nan", "NaN", "1..2", "--1"};
    for (size_t k = 0; k < sizeof syntax / sizeof *syntax; k++)
        assert_int_equal(tw_num_parse(syntax[k], loc, &v), TW_NUM_SYNTAX);
    const char *inf[] = {"inf", "-Infinity", "1e999", "-1e400"};
    for (size_t k = 0; k < sizeof inf / sizeof *inf; k++)
        assert_int_equal(tw_num_parse(inf[k], loc, &v), TW_NUM_NONFINITE);
    tw_num_locale_free(loc);
}

static void test_csv_header_maps_columns_in_any_order(void **state)
{
    (void)state;
    char path[] = "/tmp/tw_test_csv_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    fx_write_file(path, "note,b,a\nx,2,1\n\"y, z\",4,3\n");
    tw_csv *r;
    tw_error err;
    assert_int_equal(tw_csv_open(&r, path, "t.csv", 0, &err), TW_OK);
    const char *req[] = {"a", "b"}, *opt[] = {"c"};
    long idx[3];
    assert_int_equal(tw_csv_header(r, req, 2, opt, 1, idx, &err), TW_OK);
    assert_int_equal(idx[0], 2);
    assert_int_equal(idx[1], 1);
    assert_int_equal(idx[2], -1);
    assert_int_equal(tw_csv_next(r, &err), 1);
    assert_int_equal(tw_csv_line(r), 2);
    assert_string_equal(tw_csv_field(r, (size_t)idx[0]), "1");
    assert_int_equal(tw_csv_next(r, &err), 1);
    assert_string_equal(tw_csv_field(r, 0), "y, z");
    assert_string_equal(tw_csv_field(r, 9), "");
    assert_int_equal(tw_csv_nfields(r), 3);
    assert_int_equal(tw_csv_next(r, &err), 0);
    assert_int_equal(tw_csv_next(r, &err), 0);
    tw_csv_close(r);
    tw_csv *none = (tw_csv *)&err;
    assert_int_equal(tw_csv_open(&none, "/tmp/tw-no-such-file.csv", "x.csv", 1, &err), TW_OK);
    assert_null(none);
    unlink(path);
}

/* A file's text at path (for set files). */
static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_named_elasticity_sets_apply_by_name(void **state)
{
    (void)state;
    tw_world *w = fx_load("data/world2011"), *c = NULL;
    size_t J = tw_world_n_sectors(w);
    assert_int_equal(tw_world_n_elasticity_sets(w), 5);
    const char *want[] = {"cp2015", "tradmod", "ll2023", "uniform4", "short-run"};
    for (size_t k = 0; k < 5; k++) assert_string_equal(tw_world_elasticity_set_name(w, k), want[k]);
    assert_null(tw_world_elasticity_set_name(w, 5));
    assert_string_equal(tw_world_default_elasticities(w), "cp2015");
    assert_string_equal(tw_world_elasticities(w), "cp2015");
    /* the default set is sectors.csv's theta bit for bit */
    for (size_t j = 0; j < J; j++)
        assert_true(tw_world_elasticity_set_theta(w, 0)[j] == tw_world_sector_theta(w, j));
    tw_error e;
    assert_int_equal(tw_world_apply_elasticity_set(w, "uniform4", &c, &e), TW_OK);
    assert_string_equal(tw_world_elasticities(c), "uniform4");
    for (size_t j = 0; j < J; j++) assert_true(tw_world_sector_theta(c, j) == 4.0);
    assert_memory_equal(tw_world_trade(c), tw_world_trade(w),
                        tw_world_n_countries(w) * tw_world_n_countries(w) * J * sizeof(double));
    tw_world_free(c);
    assert_int_equal(tw_world_apply_elasticities(w, "short-run", 0, &c, &e), TW_OK);
    for (size_t j = 0; j < J; j++)
        assert_true(tw_world_sector_theta(c, j) == (tw_world_sector_tradable(w, j) ? 1.5 : 8.22));
    tw_world_free(c);
    assert_int_equal(tw_world_apply_elasticity_set(w, "ll2023", &c, &e), TW_OK);
    assert_true(tw_world_sector_theta(c, (size_t)tw_world_sector_index(w, "PETR")) == 0.397);
    /* a copy with other theta names no set */
    tw_world *d = tw_world_with_theta(c, tw_world_elasticity_set_theta(w, 3), &e);
    assert_null(tw_world_elasticities(d));
    assert_int_equal(tw_world_n_elasticity_sets(d), 5);
    tw_world_free(d);
    tw_world_free(c);
    assert_int_equal(tw_world_apply_elasticity_set(w, "unifrom4", &c, &e), TW_EINPUT);
    assert_null(c);
    assert_string_equal(e.field, "elasticities");
    assert_string_equal(e.msg, "unknown elasticity set \"unifrom4\"; did you mean \"uniform4\"? "
                               "(the world has: cp2015, tradmod, ll2023, uniform4, short-run; or "
                               "give a file set,sector,theta)");
    tw_world_free(w);
    /* a world whose meta.csv names its theta without a file has that one set */
    w = fx_load("data/cp1993");
    assert_int_equal(tw_world_n_elasticity_sets(w), 1);
    assert_string_equal(tw_world_elasticity_set_source(w, 0), "sectors.csv");
    assert_string_equal(tw_world_elasticities(w), "cp2015");
    tw_world_free(w);
    w = fx_load("data/world2023-goods");
    assert_string_equal(tw_world_elasticities(w), "uniform4");
    tw_world_free(w);
}

static void test_elasticity_set_files_apply_and_name_file_line_and_column(void **state)
{
    (void)state;
    tw_world *w = fx_load("tests/data/good/tiny3x2"), *c = NULL;
    assert_null(tw_world_elasticities(w));
    assert_int_equal(tw_world_n_elasticity_sets(w), 0);
    char dir[] = "/tmp/tw_elast_XXXXXX", path[64], got[700];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/mine.csv", dir);
    assert_true(tw_elasticities_is_file(path) && tw_elasticities_is_file("x.csv"));
    assert_false(tw_elasticities_is_file("short-run"));
    tw_error e;
    write_text(path, "sector,theta\nSRV,2\nGDS,1.5\n");
    assert_int_equal(tw_world_apply_elasticities(w, path, 0, &c, &e), TW_OK);
    assert_string_equal(tw_world_elasticities(c), path);
    assert_true(tw_world_sector_theta(c, 0) == 1.5 && tw_world_sector_theta(c, 1) == 2);
    tw_world_free(c);
    write_text(path, "set,sector,theta,source\nlow,GDS,1.5,a\nlow,SRV,2,a\n");
    assert_int_equal(tw_world_apply_elasticities(w, path, 0, &c, &e), TW_OK);
    char label[80];
    snprintf(label, sizeof label, "%s:low", path);
    assert_string_equal(tw_world_elasticities(c), label);
    tw_world_free(c);
    write_text(path, "set,sector,theta\nlow,GDS,1.5\nlow,SRV,two\n");
    assert_int_equal(tw_world_apply_elasticities(w, path, 0, &c, &e), TW_EINPUT);
    assert_null(c);
    assert_int_equal(e.line, 3);
    assert_string_equal(e.field, "theta");
    tw_error_format(&e, got, sizeof got);
    char want[200];
    snprintf(want, sizeof want, "%s:3: theta \"two\" for low SRV is not a number > 0", path);
    assert_string_equal(got, want);
    write_text(path, "set,sector,theta\na,GDS,1.5\na,SRV,2\nb,GDS,2\nb,SRV,2\n");
    assert_int_equal(tw_world_apply_elasticities(w, path, 0, &c, &e), TW_EINPUT);
    assert_int_equal(e.line, 4);
    assert_string_equal(e.msg, "2 elasticity sets (a, b): a file for one solve holds one set");
    write_text(path, "sector,theta\nGDS,1.5\n");
    assert_int_equal(tw_world_apply_elasticities(w, path, 0, &c, &e), TW_EINPUT);
    assert_string_equal(e.field, "sector");
    snprintf(want, sizeof want, "set %s has no theta for sector SRV", path);
    assert_string_equal(e.msg, want);
    unlink(path);
    assert_int_equal(tw_world_apply_elasticities(w, path, 0, &c, &e), TW_EIO);
    rmdir(dir);
    tw_world_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_world2011_has_21_countries_and_20_sectors),
        cmocka_unit_test(test_embedded_name_resolves_through_tradewar_data),
        cmocka_unit_test(test_meta_value_with_unquoted_comma_is_read_whole),
        cmocka_unit_test(test_derived_alpha_sums_to_one_and_final_demand_is_income),
        cmocka_unit_test(test_supplied_shares_are_used_as_given_with_a_warning),
        cmocka_unit_test(test_tiny2x1_levels_match_closed_form),
        cmocka_unit_test(test_tiny3x2_reads_quoted_names_tariffs_and_revenue),
        cmocka_unit_test(test_bom_crlf_blank_lines_and_multiline_quotes_are_accepted),
        cmocka_unit_test(test_negative_trade_value_reports_file_line_and_pair),
        cmocka_unit_test(test_missing_directory_is_an_io_error_and_null_err_is_allowed),
        cmocka_unit_test(test_bad_world_corpus_reports_exact_messages),
        cmocka_unit_test(test_numbers_parse_without_locale_and_reject_junk),
        cmocka_unit_test(test_csv_header_maps_columns_in_any_order),
        cmocka_unit_test(test_named_elasticity_sets_apply_by_name),
        cmocka_unit_test(test_elasticity_set_files_apply_and_name_file_line_and_column),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

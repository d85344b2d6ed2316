/* test_shock.c - counterfactual shocks (src/shock/shock.c): wildcards, file
 * order, atomic application, NTB factors, setters, and the bad-file corpus
 * (tests/data/bad/cf_* and ntb_*, applied to tests/data/good/tiny3x2).
 *
 * tiny3x2: countries USA=0, CHN=1, MEX=2; sectors GDS=0 (tradable), SRV=1 (not). */
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

#include "tradewar/policy.h"
#include "tradewar/world.h"
#include "core/index.h"
#include "tiny3x2.h"
#include "../common/corpus.h"
#include "../common/fixtures.h"

#define CF "tests/data/good/cf/"
#define BAD_DIR "tests/data/bad"

static tw_shock *shock_ok(void **state)
{
    tw_error err;
    tw_shock *s = tw_shock_create(*state, &err);
    assert_non_null(s);
    return s;
}

static void load_ok(tw_shock *s, const char *path, int ntb)
{
    tw_error err;
    tw_status st = ntb ? tw_shock_load_ntb(s, path, &err) : tw_shock_load_tariffs(s, path, &err);
    if (st != TW_OK) {
        char buf[600];
        tw_error_format(&err, buf, sizeof buf);
        fail_msg("%s: %s", path, buf);
    }
}

static void test_zero_shock_is_the_baseline(void **state)
{
    tw_shock *s = shock_ok(state);
    const tw_world *w = *state;
    assert_ptr_equal(tw_shock_world(s), w);
    assert_memory_equal(tw_shock_tariffs(s), tw_world_tariffs(w), 18 * sizeof(double));
    for (size_t c = 0; c < 18; c++) assert_true(tw_shock_dhat(s)[c] == 1.0);
    assert_ptr_not_equal(tw_shock_tariffs(s), tw_world_tariffs(w));
    tw_shock_free(s);
    tw_shock_free(NULL);
}

static void test_wildcard_never_covers_domestic_or_nontradable_cells(void **state)
{
    tw_shock *s = shock_ok(state);
    load_ok(s, CF "usa_all.csv", 0); /* USA,*,*,0.5 */
    const double *t = tw_shock_tariffs(s), *t0 = tw_world_tariffs(*state);
    assert_true(t[cell(USA, CHN, GDS)] == 0.5);
    assert_true(t[cell(USA, MEX, GDS)] == 0.5);
    assert_true(t[cell(USA, USA, GDS)] == 0.0);      /* domestic */
    assert_true(t[cell(USA, CHN, SRV)] == 0.0);      /* services */
    assert_true(t[cell(CHN, USA, GDS)] == t0[cell(CHN, USA, GDS)]); /* other importers */
    tw_shock_free(s);
}

static void test_later_rows_override_earlier_rows(void **state)
{
    tw_shock *s = shock_ok(state);
    load_ok(s, CF "override.csv", 0); /* *,*,*,0.1 then USA,CHN,GDS,1.45 */
    const double *t = tw_shock_tariffs(s);
    assert_true(t[cell(USA, CHN, GDS)] == 1.45);
    assert_true(t[cell(CHN, USA, GDS)] == 0.1);
    assert_true(t[cell(MEX, CHN, GDS)] == 0.1);
    for (size_t n = 0; n < 3; n++) assert_true(t[cell(n, n, GDS)] == 0.0);
    tw_shock_free(s);

    s = shock_ok(state);
    load_ok(s, CF "override_reversed.csv", 0); /* the wildcard row comes last and wins */
    assert_true(tw_shock_tariffs(s)[cell(USA, CHN, GDS)] == 0.1);
    tw_shock_free(s);
}

static void test_failed_file_applies_nothing(void **state)
{
    tw_shock *s = shock_ok(state);
    load_ok(s, CF "usa_all.csv", 0);
    double before[18], dbefore[18];
    memcpy(before, tw_shock_tariffs(s), sizeof before);
    memcpy(dbefore, tw_shock_dhat(s), sizeof dbefore);
    tw_error err;
    /* row 2 (USA,CHN,GDS,1.45) is valid, row 3 is not */
    assert_int_equal(tw_shock_load_tariffs(s, BAD_DIR "/cf_negative_rate/counterfactual.csv",
                                           &err), TW_EINPUT);
    assert_int_equal(err.line, 3);
    assert_int_equal(err.col, 4);
    assert_string_equal(err.field, "rate");
    assert_memory_equal(tw_shock_tariffs(s), before, sizeof before);
    assert_int_equal(tw_shock_load_ntb(s, BAD_DIR "/ntb_zero_factor/ntb.csv", NULL), TW_EINPUT);
    assert_memory_equal(tw_shock_dhat(s), dbefore, sizeof dbefore);
    tw_shock_free(s);
}

static void test_ntb_wildcard_covers_services_and_files_compose(void **state)
{
    tw_shock *s = shock_ok(state);
    /* CHN,USA,*,1.5 ; *,MEX,SRV,1.2 ; CHN,USA,SRV,2 (overrides the first row there) */
    load_ok(s, CF "ntb.csv", 1);
    const double *d = tw_shock_dhat(s);
    assert_true(d[cell(CHN, USA, GDS)] == 1.5);
    assert_true(d[cell(CHN, USA, SRV)] == 2.0);
    assert_true(d[cell(USA, MEX, SRV)] == 1.2);
    assert_true(d[cell(CHN, MEX, SRV)] == 1.2);
    assert_true(d[cell(MEX, MEX, SRV)] == 1.0); /* domestic */
    assert_true(d[cell(USA, MEX, GDS)] == 1.0);
    load_ok(s, CF "ntb.csv", 1); /* a second file multiplies */
    assert_true(fabs(tw_shock_dhat(s)[cell(CHN, USA, GDS)] - 2.25) < 1e-15);
    assert_int_equal(tw_shock_scale_ntb(s, CHN, USA, GDS, 2.0, NULL), TW_OK);
    assert_true(fabs(tw_shock_dhat(s)[cell(CHN, USA, GDS)] - 4.5) < 1e-15);
    tw_shock_free(s);
}

static void test_bom_crlf_and_extra_columns_are_accepted(void **state)
{
    tw_shock *s = shock_ok(state);
    load_ok(s, CF "bom_crlf_extra_column.csv", 0);
    assert_true(tw_shock_tariffs(s)[cell(USA, CHN, GDS)] == 0.3);
    tw_shock_free(s);
}

static void test_setters_check_cells_and_values(void **state)
{
    tw_shock *s = shock_ok(state);
    tw_error err;
    assert_int_equal(tw_shock_set_tariff(s, USA, CHN, GDS, 1.45, &err), TW_OK);
    assert_true(tw_shock_tariffs(s)[cell(USA, CHN, GDS)] == 1.45);
    assert_int_equal(tw_shock_set_tariff(s, USA, USA, GDS, 0.1, &err), TW_EINPUT);
    assert_string_equal(err.msg, "tariff on domestic cell USA->USA GDS (expected importer != "
                                 "exporter)");
    assert_int_equal(tw_shock_set_tariff(s, USA, CHN, SRV, 0.1, &err), TW_EINPUT);
    assert_string_equal(err.msg, "sector SRV is not tradable (tariffs do not apply to it)");
    assert_int_equal(tw_shock_set_tariff(s, USA, CHN, GDS, -0.1, &err), TW_EINPUT);
    assert_string_equal(err.msg, "rate -0.1 for CHN->USA GDS is not a finite number >= 0");
    assert_int_equal(tw_shock_set_tariff(s, USA, CHN, GDS, NAN, &err), TW_EINPUT);
    assert_int_equal(tw_shock_set_tariff(s, 3, CHN, GDS, 0.1, &err), TW_EARG);
    assert_int_equal(tw_shock_scale_ntb(s, CHN, USA, SRV, 0.0, &err), TW_EINPUT);
    assert_int_equal(tw_shock_scale_ntb(s, CHN, USA, SRV, INFINITY, &err), TW_EINPUT);
    assert_int_equal(tw_shock_scale_ntb(s, MEX, MEX, SRV, 2.0, &err), TW_EINPUT);
    /* factors far outside [1e-3, 1e4] are typos, and overflow the solver */
    assert_int_equal(tw_shock_scale_ntb(s, CHN, USA, SRV, 1e-308, &err), TW_EINPUT);
    assert_string_equal(err.msg, "factor 1e-308 for USA->CHN SRV is out of range (expected "
                                 "0.001 <= factor <= 10000)");
    assert_int_equal(tw_shock_scale_ntb(s, CHN, USA, SRV, 10000.5, &err), TW_EINPUT);
    assert_true(tw_shock_tariffs(s)[cell(USA, CHN, GDS)] == 1.45);
    assert_true(tw_shock_dhat(s)[cell(CHN, USA, SRV)] == 1.0);
    assert_int_equal(tw_shock_scale_ntb(s, CHN, USA, SRV, TW_NTB_FACTOR_MAX, &err), TW_OK);
    assert_int_equal(tw_shock_scale_ntb(s, CHN, MEX, SRV, TW_NTB_FACTOR_MIN, &err), TW_OK);
    assert_true(tw_shock_dhat(s)[cell(CHN, USA, SRV)] == 1e4);
    assert_true(tw_shock_dhat(s)[cell(CHN, MEX, SRV)] == 1e-3);
    assert_null(tw_shock_create(NULL, &err));
    assert_int_equal(err.code, TW_EARG);
    tw_shock_free(s);
}

static void test_clone_is_independent(void **state)
{
    tw_shock *s = shock_ok(state);
    assert_int_equal(tw_shock_set_tariff(s, MEX, CHN, GDS, 0.3, NULL), TW_OK);
    tw_shock *c = tw_shock_clone(s, NULL);
    assert_non_null(c);
    assert_true(tw_shock_tariffs(c)[cell(MEX, CHN, GDS)] == 0.3);
    assert_int_equal(tw_shock_set_tariff(c, MEX, CHN, GDS, 0.9, NULL), TW_OK);
    assert_true(tw_shock_tariffs(s)[cell(MEX, CHN, GDS)] == 0.3);
    tw_shock_free(c);
    tw_shock_free(s);
}

static void test_nafta_counterfactual_applies_to_cp1993(void **state)
{
    (void)state;
    tw_error err;
    tw_world *w = fx_load("data/cp1993");
    tw_shock *s = tw_shock_create(w, &err);
    assert_non_null(s);
    assert_int_equal(tw_shock_load_tariffs(s, "data/cp1993/nafta_2005.csv", &err), TW_OK);
    size_t N = tw_world_n_countries(w), J = tw_world_n_sectors(w);
    size_t mex = (size_t)tw_world_country_index(w, "MEX");
    size_t usa = (size_t)tw_world_country_index(w, "USA");
    size_t agr = (size_t)tw_world_sector_index(w, "Agriculture");
    size_t min = (size_t)tw_world_sector_index(w, "Mining");
    const double *t = tw_shock_tariffs(s), *t0 = tw_world_tariffs(w);
    /* the file lists USA,MEX,Agriculture,0.0015 and USA,MEX,Mining,0 */
    assert_true(t[tw_ix_nij(N, J, usa, mex, agr)] == 0.0015);
    assert_true(t[tw_ix_nij(N, J, usa, mex, min)] == 0.0);
    /* cells it does not list keep their baseline */
    size_t arg = (size_t)tw_world_country_index(w, "ARG");
    assert_true(t[tw_ix_nij(N, J, usa, arg, agr)] == t0[tw_ix_nij(N, J, usa, arg, agr)]);
    assert_true(t0[tw_ix_nij(N, J, usa, arg, agr)] > 0);
    tw_shock_free(s);
    tw_world_free(w);
}

static void test_bad_counterfactual_corpus_reports_exact_messages(void **state)
{
    corpus bad = corpus_open(BAD_DIR);
    int cases = 0, failures = 0;
    for (int k = 0; k < bad.n; k++) {
        const char *name = corpus_name(&bad, k);
        int ntb = strncmp(name, "ntb_", 4) == 0;
        if (!ntb && strncmp(name, "cf_", 3) != 0) continue;
        char path[600], expect[700], code[32], got[700];
        snprintf(path, sizeof path, "%s/%s/expect", BAD_DIR, name);
        corpus_line(path, expect, sizeof expect);
        snprintf(path, sizeof path, "%s/%s/code", BAD_DIR, name);
        corpus_line(path, code, sizeof code);
        tw_status want = strcmp(code, "EIO") == 0 ? TW_EIO : TW_EINPUT;
        snprintf(path, sizeof path, "%s/%s/%s", BAD_DIR, name,
                 ntb ? "ntb.csv" : "counterfactual.csv");
        tw_shock *s = shock_ok(state);
        double before[18];
        memcpy(before, tw_shock_tariffs(s), sizeof before);
        tw_error err;
        tw_status st = ntb ? tw_shock_load_ntb(s, path, &err)
                           : tw_shock_load_tariffs(s, path, &err);
        cases++;
        tw_error_format(&err, got, sizeof got);
        if (st != want || err.code != want || strcmp(got, expect) != 0) {
            print_error("%s:\n  got    [%d] %s\n  expect [%d] %s\n", name, err.code, got, want,
                        expect);
            failures++;
        }
        if (memcmp(before, tw_shock_tariffs(s), sizeof before) != 0) {
            print_error("%s: the failed file changed the shock\n", name);
            failures++;
        }
        for (size_t c = 0; c < 18; c++)
            if (tw_shock_dhat(s)[c] != 1.0) failures++;
        tw_shock_free(s);
    }
    corpus_close(&bad);
    assert_true(cases >= 8);
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_zero_shock_is_the_baseline),
        cmocka_unit_test(test_wildcard_never_covers_domestic_or_nontradable_cells),
        cmocka_unit_test(test_later_rows_override_earlier_rows),
        cmocka_unit_test(test_failed_file_applies_nothing),
        cmocka_unit_test(test_ntb_wildcard_covers_services_and_files_compose),
        cmocka_unit_test(test_bom_crlf_and_extra_columns_are_accepted),
        cmocka_unit_test(test_setters_check_cells_and_values),
        cmocka_unit_test(test_clone_is_independent),
        cmocka_unit_test(test_nafta_counterfactual_applies_to_cp1993),
        cmocka_unit_test(test_bad_counterfactual_corpus_reports_exact_messages),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

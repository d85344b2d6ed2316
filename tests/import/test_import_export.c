/* test_import_export.c - a world or a result as one tidy CSV or JSON
 * (src/world/export.c) and the export subcommand.  Tests run from the
 * repository root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "tradewar/policy.h"
#include "helpers.h"
#include "tradewar/report.h"

static char *export_to_string(const tw_world *w, const tw_result *r, tw_export_format fmt)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    tw_error err;
    tw_status st = r ? tw_export_result(f, w, r, fmt, &err) : tw_export_world(f, w, fmt, &err);
    assert_int_equal(st, TW_OK);
    fclose(f);
    return buf;
}

static size_t count_lines(const char *s, const char *prefix)
{
    size_t n = 0, len = strlen(prefix);
    for (const char *p = s; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
        if (!strncmp(p, prefix, len)) n++;
    return n;
}

static void test_world_csv_is_tidy_one_value_a_row(void **state)
{
    (void)state;
    tw_world *w = fx_load("tests/data/good/tiny3x2");
    char *csv = export_to_string(w, NULL, TW_EXPORT_CSV);
    assert_true(!strncmp(csv, "variable,country,partner,sector,input,value,unit\n", 49));
    assert_non_null(strstr(csv, "\ntrade,USA,CHN,GDS,,60,model units\n"));
    assert_non_null(strstr(csv, "\ntariff,USA,CHN,GDS,,0.25,fraction\n"));
    assert_non_null(strstr(csv, "\nio_share,USA,,GDS,SRV,0.2,fraction\n"));
    assert_non_null(strstr(csv, "\ntheta,,,GDS,,5,\n"));
    assert_int_equal(count_lines(csv, "trade,"), 18);
    assert_int_equal(count_lines(csv, "io_share,"), 12);
    assert_int_equal(count_lines(csv, "fd_share,"), 6);
    /* every row has seven fields */
    for (char *p = strchr(csv, '\n') + 1; *p; p = strchr(p, '\n') + 1) {
        size_t commas = 0;
        for (char *q = p; *q != '\n'; q++) commas += *q == ',';
        assert_int_equal(commas, 6);
    }
    free(csv);
    tw_world_free(w);
}

/* The household counts of world2023-goods (USA only) are exported; a world
 * without households.csv has none. */
static void test_world_export_has_the_households(void **state)
{
    (void)state;
    tw_world *w = fx_load("data/world2023-goods");
    char *csv = export_to_string(w, NULL, TW_EXPORT_CSV);
    assert_non_null(strstr(csv, "\nhouseholds,USA,,,,131430000,households\n"));
    assert_int_equal(count_lines(csv, "households,"), 1);
    assert_int_equal(count_lines(csv, "household_consumption,"), 0);
    char *txt = export_to_string(w, NULL, TW_EXPORT_JSON);
    cJSON *root = cJSON_Parse(txt);
    assert_non_null(root);
    cJSON *cs = cJSON_GetObjectItem(root, "countries");
    long usa = tw_world_country_index(w, "USA");
    assert_true(cJSON_GetObjectItem(cJSON_GetArrayItem(cs, (int)usa), "households")->valuedouble ==
                131430000);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetArrayItem(cs, usa ? 0 : 1), "households")));
    cJSON_Delete(root);
    free(txt);
    free(csv);
    tw_world_free(w);
    w = fx_load("tests/data/good/tiny3x2");
    csv = export_to_string(w, NULL, TW_EXPORT_CSV);
    assert_null(strstr(csv, "household"));
    free(csv);
    tw_world_free(w);
}

static void test_world_json_holds_meta_and_tables(void **state)
{
    (void)state;
    tw_world *w = fx_load("tests/data/good/tiny3x2");
    char *txt = export_to_string(w, NULL, TW_EXPORT_JSON);
    cJSON *root = cJSON_Parse(txt);
    assert_non_null(root);
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(root, "meta"), "units")->valuestring,
                        "model units");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(root, "countries")), 3);
    cJSON *mex = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "countries"), 2);
    assert_string_equal(cJSON_GetObjectItem(mex, "name")->valuestring, "Mexico, United Mexican States");
    assert_true(fx_close(cJSON_GetObjectItem(mex, "value_added")->valuedouble, tw_world_value_added(w, 2), 1e-15));
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(root, "io")), 12);
    cJSON_Delete(root);
    free(txt);
    tw_world_free(w);
}

static void test_result_export_matches_the_solver(void **state)
{
    (void)state;
    tw_world *w = fx_load("tests/data/good/tiny3x2");
    tw_error err;
    tw_shock *s = tw_shock_create(w, &err);
    assert_int_equal(tw_shock_load_tariffs(s, "tests/data/good/cf/override.csv", &err), TW_OK);
    tw_solver *sv = tw_solver_create(w, &err);
    tw_result *r = tw_solver_run(sv, s, &err);
    assert_non_null(r);
    char *txt = export_to_string(w, r, TW_EXPORT_JSON);
    cJSON *root = cJSON_Parse(txt);
    cJSON *usa = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "countries"), 0);
    assert_true(fx_close(cJSON_GetObjectItem(usa, "welfare_pct")->valuedouble,
                         100 * (tw_result_welfare_hat(r, 0) - 1), 1e-15));
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(root, "converged")));
    cJSON_Delete(root);
    free(txt);
    char *csv = export_to_string(w, r, TW_EXPORT_CSV);
    assert_int_equal(count_lines(csv, "welfare_pct,"), 3);
    assert_int_equal(count_lines(csv, "price_hat,"), 6);
    assert_non_null(strstr(csv, "\ntariff,USA,CHN,GDS,,1.45,fraction\n"));
    free(csv);
    tw_result_free(r);
    tw_solver_free(sv);
    tw_shock_free(s);
    tw_world_free(w);
}

static void test_cli_export_writes_the_file_whole(void **state)
{
    const char *dir = *state;
    char args[400], out[128], errf[128], file[128];
    cli_files(dir, out, errf);
    fx_path(file, sizeof file, dir, "r.json");
    snprintf(args, sizeof args, "export --world tests/data/good/tiny3x2 --tariffs "
             "tests/data/good/cf/override.csv --format json --output %s", file);
    assert_int_equal(run_cli(args, out, errf), 0);
    char *txt = slurp(file);
    cJSON *root = cJSON_Parse(txt);
    assert_non_null(cJSON_GetObjectItem(root, "bilateral"));
    cJSON_Delete(root);
    free(txt);
    assert_int_equal(run_cli("export world --world tests/data/good/tiny3x2", out, errf), 0);
    assert_true(file_has(out, "trade,USA,CHN,GDS,,60,model units\n"));
    assert_int_equal(run_cli("export world --world tests/data/good/tiny3x2 --format xml", out, errf), 2);
    assert_int_equal(run_cli("export world --tariffs x.csv", out, errf), 2);
    /* a missing input file is an I/O error */
    assert_int_equal(run_cli("export --world tests/data/good/tiny3x2 --tariffs no_such.csv", out, errf), 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_world_csv_is_tidy_one_value_a_row),
        cmocka_unit_test(test_world_export_has_the_households),
        cmocka_unit_test(test_world_json_holds_meta_and_tables),
        cmocka_unit_test(test_result_export_matches_the_solver),
        fx_scratch_test(test_cli_export_writes_the_file_whole),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_import.c - the ICIO and WIOD importers and the world writer
 * (src/world/import_icio.c, import_wiod.c, import_draft.c, import_write.c,
 * import_opts.c) and the import subcommand.
 *
 * Round trips write a known world in a published layout (tests/import/helpers.h),
 * import it, write it and load it back: the same world must come back within
 * 1e-9.  Hand-written tables in tests/data/import/ pin the repairs and the error
 * messages.  Tests run from the repository root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "helpers.h"

#define FIX "tests/data/import/"

static tw_importer *importer(const char *sectors, double theta)
{
    tw_importer *im = tw_importer_create(NULL);
    assert_non_null(im);
    if (sectors) assert_int_equal(tw_importer_set_sectors(im, sectors), TW_OK);
    if (theta > 0) assert_int_equal(tw_importer_set_theta(im, theta), TW_OK);
    return im;
}

static tw_draft *import_ok(tw_draft *d, const tw_error *err)
{
    if (!d) {
        char buf[700];
        tw_error_format(err, buf, sizeof buf);
        fail_msg("import failed: %s", buf);
    }
    return d;
}

/* Import `table` of world `src` in one layout and compare with src. */
static void round_trip(const char *src, const char *layout)
{
    char dir[64], out[128], table[128], sectors[128], tariffs[128], names[128];
    fx_scratch(dir, sizeof dir, "rt");
    snprintf(out, sizeof out, "%s/world", dir);
    snprintf(table, sizeof table, "%s/table.csv", dir);
    snprintf(sectors, sizeof sectors, "%s/sectors_in.csv", dir);
    snprintf(tariffs, sizeof tariffs, "%s/tariffs_in.csv", dir);
    snprintf(names, sizeof names, "%s/names_in.csv", dir);
    tw_world *w = fx_load(src);
    write_side_tables(w, sectors, tariffs, names);
    if (!strcmp(layout, "icio")) write_icio(w, table);
    else if (!strcmp(layout, "wiod-stata")) write_wiod_matrix(w, table, "v");
    else if (!strcmp(layout, "wiod")) write_wiod_matrix(w, table, "");
    else write_wiod_long(w, table);
    tw_importer *im = importer(sectors, 0);
    assert_int_equal(tw_importer_set_tariffs(im, tariffs), TW_OK);
    assert_int_equal(tw_importer_set_countries(im, names), TW_OK);
    assert_int_equal(tw_importer_set_meta(im, "units", "model units"), TW_OK);
    tw_error err;
    tw_draft *d = import_ok(!strcmp(layout, "icio") ? tw_import_icio(im, table, &err)
                                                    : tw_import_wiod(im, table, &err), &err);
    for (size_t k = 0; k < tw_draft_n_repairs(d); k++) print_message("repair: %s\n", tw_draft_repair(d, k));
    assert_int_equal(tw_draft_n_repairs(d), 0);
    tw_world *back = write_and_load(d, out);
    check_same_world(w, back, 1e-9);
    assert_string_equal(tw_world_meta(back, "units"), "model units");
    if (strcmp(layout, "icio")) assert_string_equal(tw_world_meta(back, "year"), "2014");
    check_zero_shock(back, 1e-10);
    tw_world_free(back);
    tw_importer_free(im);
    tw_world_free(w);
    fx_remove_tree(out);
    fx_remove_tree(dir);
}

static void test_icio_round_trip_gives_the_same_world_back_within_1e_9(void **state)
{
    (void)state;
    round_trip("tests/data/good/tiny3x2", "icio");
}

static void test_icio_round_trip_of_world2011_needs_no_repair(void **state)
{
    (void)state;
    round_trip("data/world2011", "icio");
}

static void test_wiod_matrix_round_trip_with_stata_and_plain_names(void **state)
{
    (void)state;
    round_trip("tests/data/good/tiny3x2", "wiod-stata");
    round_trip("tests/data/good/tiny3x2", "wiod");
}

static void test_wiod_long_round_trip_gives_the_same_world_back(void **state)
{
    (void)state;
    round_trip("tests/data/good/tiny3x2", "wiod-long");
    round_trip("data/world2011", "wiod-long");
}

static void test_wiod_matrix_and_long_exports_give_the_same_world(void **state)
{
    const char *dir = *state;
    char a[128], b[128];
    fx_path(a, sizeof a, dir, "matrix");
    fx_path(b, sizeof b, dir, "long");
    tw_importer *im = importer(NULL, 4);
    tw_error err;
    tw_draft *dm = import_ok(tw_import_wiod(im, FIX "wiod_small.csv", &err), &err);
    tw_draft *dl = import_ok(tw_import_wiod(im, FIX "wiod_small_long.csv", &err), &err);
    tw_world *wm = write_and_load(dm, a), *wl = write_and_load(dl, b);
    check_same_world(wm, wl, 1e-15);
    assert_string_equal(tw_world_sector_code(wm, 1), "B");
    assert_string_equal(tw_world_sector_name(wm, 0), "Crop and animal production, hunting");
    assert_string_equal(tw_world_meta(wm, "year"), "2014");
    const double *t = tw_world_trade(wm);
    assert_true(fx_close(t[tw_ix_nij(2, 2, 0, 0, 0)], 62, 1e-15)); /* AAA buys AAA A01 */
    assert_true(fx_close(t[tw_ix_nij(2, 2, 1, 0, 1)], 5, 1e-15));  /* BBB buys AAA B */
    assert_true(fx_close(t[tw_ix_nij(2, 2, 0, 0, 1)], 29, 1e-15)); /* inventories -1 */
    /* io: AAA's purchases of B by A01, from both origins, over A01's sales */
    assert_true(fx_close(wm->base->io[tw_ix_nkj(2, 0, 1, 0)], (4.0 + 1.0) / (62 + 12), 1e-15));
    check_zero_shock(wm, 1e-12);
    tw_world_free(wm);
    tw_world_free(wl);
    tw_importer_free(im);
}

/* The 2013 release: its wide sheet and the long table of its codes hold the
 * numbers of wiod_small.csv (a 2016 matrix export) and give its world, with
 * the c-codes as sector codes. */
static void test_wiod_2013_sheet_and_long_table_give_the_world_of_the_2016_export(void **state)
{
    const char *dir = *state, *names[3] = {"wide13", "long13", "matrix16"};
    char out[3][128];
    for (size_t k = 0; k < 3; k++) fx_path(out[k], sizeof out[k], dir, names[k]);
    tw_importer *im = importer(FIX "sectors_wiod2013.csv", 0), *i16 = importer(NULL, 4);
    tw_error err;
    tw_draft *dw = import_ok(tw_import_wiod(im, FIX "wiod2013_small.csv", &err), &err);
    assert_int_equal(tw_importer_set_wiod_layout(im, 2013), TW_OK);
    tw_draft *dl = import_ok(tw_import_wiod(im, FIX "wiod2013_small_long.csv", &err), &err);
    tw_draft *d16 = import_ok(tw_import_wiod(i16, FIX "wiod_small.csv", &err), &err);
    tw_world *ww = write_and_load(dw, out[0]), *wl = write_and_load(dl, out[1]);
    tw_world *w16 = write_and_load(d16, out[2]);
    check_same_world(ww, wl, 1e-15);
    assert_string_equal(tw_world_sector_code(ww, 0), "c1");
    assert_string_equal(tw_world_sector_name(ww, 1), "Mining and quarrying");
    assert_string_equal(tw_world_country_code(ww, 1), "BBB");
    assert_string_equal(tw_world_meta(ww, "year"), "2011"); /* from the title */
    const tw_base *x = ww->base, *y = w16->base;
    fx_assert_arrays_close("trade", x->trade, y->trade, 8, 1e-15);
    fx_assert_arrays_close("io", x->io, y->io, 8, 1e-15);
    fx_assert_arrays_close("va", x->va, y->va, 4, 1e-15);
    fx_assert_arrays_close("alpha", x->alpha, y->alpha, 4, 1e-15);
    assert_true(fx_close(x->trade[tw_ix_nij(2, 2, 0, 0, 0)], 62, 1e-15)); /* AAA buys AAA c1 */
    assert_true(fx_close(x->trade[tw_ix_nij(2, 2, 0, 0, 1)], 29, 1e-15)); /* inventories -1 */
    check_zero_shock(ww, 1e-12);
    tw_world_free(ww);
    tw_world_free(wl);
    tw_world_free(w16);
    tw_importer_free(im);
    tw_importer_free(i16);
}

/* An excerpt of the real 2011 long table (the source data of data/world2011,
 * USA and CHN rows and columns only): each of its trade cells is the sum of
 * the same source rows as in the full table, so it equals the source's
 * full_wiod2011/trade.csv value exactly. */
static void test_wiod_2011_long_excerpt_gives_the_source_trade_cells(void **state)
{
    const char *dir = *state;
    char out[128];
    fx_path(out, sizeof out, dir, "w2011");
    tw_importer *im = importer(NULL, 5);
    tw_error err;
    tw_world *w = write_and_load(import_ok(tw_import_wiod(im, FIX "wiot2011_usa_chn.csv", &err),
                                           &err), out);
    assert_int_equal(tw_world_n_countries(w), 2);
    assert_int_equal(tw_world_n_sectors(w), 35);
    assert_string_equal(tw_world_sector_code(w, 34), "c35");
    FILE *f = fopen(FIX "wiot2011_usa_chn_trade.csv", "r");
    assert_non_null(f);
    char imp[8], exp[8], sec[8];
    double v;
    size_t rows = 0;
    assert_int_equal(fscanf(f, "%*[^\n]\n"), 0); /* the header */
    while (fscanf(f, "%7[^,],%7[^,],%7[^,],%lf\n", imp, exp, sec, &v) == 4) {
        long n = tw_world_country_index(w, imp), i = tw_world_country_index(w, exp);
        long j = tw_world_sector_index(w, sec);
        assert_true(n >= 0 && i >= 0 && j >= 0);
        assert_true(tw_world_trade(w)[tw_ix_nij(2, 35, (size_t)n, (size_t)i, (size_t)j)] == v);
        rows++;
    }
    fclose(f);
    assert_int_equal(rows, 140);
    tw_world_free(w);
    tw_importer_free(im);
}

static void expect_wiod_error(const char *table, int layout, const char *text)
{
    tw_importer *im = importer(NULL, 4);
    assert_int_equal(tw_importer_set_wiod_layout(im, layout), TW_OK);
    tw_error err;
    assert_null(tw_import_wiod(im, table, &err));
    fx_expect_error(&err, TW_EINPUT, text);
    tw_importer_free(im);
}

static void test_wiod_layouts_are_told_apart_and_bad_2013_input_is_named(void **state)
{
    const char *dir = *state;
    expect_wiod_error(FIX "wiod2013_bad_value.csv", 0, FIX "wiod2013_bad_value.csv:10: value "
                      "\"x8\" in column BBB c2 is not a number");
    expect_wiod_error(FIX "wiod2013_bad_code.csv", 0, FIX "wiod2013_bad_code.csv:6: column 17: "
                      "use code \"c40\" is not c1 to c36 (industries), c37, c38, c39, c41, c42 "
                      "(final demand) or c62 (output)");
    expect_wiod_error(FIX "wiod2013_long_bad_use.csv", 0, FIX "wiod2013_long_bad_use.csv:29: "
                      "col_use \"c99\" is not c1 to c2 or hh, npish, gov, gfcf, inventories");
    /* --layout: a 2016 export is not a 2013 table, nor the reverse */
    expect_wiod_error(FIX "wiod_small.csv", 2013, FIX "wiod_small.csv: not a WIOD 2013 release "
                      "table (expected a row of use codes c1, c2, ... from the fifth column in "
                      "the first 10 lines, or the header row_country,row_sector,col_country,"
                      "col_use,value)");
    expect_wiod_error(FIX "wiod2013_small_long.csv", 2016, FIX "wiod2013_small_long.csv:1: "
                      "missing column \"IndustryCode\" (expected header \"IndustryCode,Country,"
                      "RNr\")");
    tw_error err;
    tw_importer *im = importer(NULL, 4);
    assert_int_equal(tw_importer_set_wiod_layout(im, 2011), TW_EARG);
    tw_importer_free(im);
    /* a gzip-compressed table is refused, not read as text */
    char gz[128];
    fx_path(gz, sizeof gz, dir, "wiot.csv.gz");
    FILE *f = fopen(gz, "wb");
    assert_non_null(f);
    fwrite("\x1f\x8b\x08\x00\x00\x00\x00\x00", 1, 8, f);
    fclose(f);
    char want[300];
    snprintf(want, sizeof want, "%s:1: the file is gzip-compressed (unpack it first: gunzip -k "
             "FILE)", gz);
    expect_wiod_error(gz, 0, want);
    expect_wiod_error(gz, 2016, want);
    tw_importer *isec = importer(gz, 0); /* a side table too */
    assert_null(tw_import_wiod(isec, FIX "wiod_small.csv", &err));
    fx_expect_error(&err, TW_EINPUT, want);
    tw_importer_free(isec);
}

/* ---- repairs ------------------------------------------------------------- */

static const char *const expected_repairs[] = {
    "AAA->BBB X01: flow -3 is negative (inventory draw-downs exceed sales): set to 0",
    "AAA X01: value added is negative (-29.41 % of output): input shares scaled to sum to 1, "
    "value added set to 0",
    "BBB Y02: no output but input purchases of 10: no input shares (those purchases count as "
    "final demand)",
    "AAA Y02: intermediate use 28.1818 exceeds purchases 25 (inventory draw-downs): its input "
    "shares scaled by 0.887097 so that final demand is 0, the difference added to value added",
};

static void test_every_repair_is_listed_in_the_draft_and_the_readme(void **state)
{
    const char *dir = *state;
    tw_importer *im = importer(FIX "sectors2.csv", 0);
    tw_error err;
    tw_draft *d = import_ok(tw_import_icio(im, FIX "icio_repairs.csv", &err), &err);
    assert_int_equal(tw_draft_n_repairs(d), 4);
    for (size_t k = 0; k < 4; k++) assert_string_equal(tw_draft_repair(d, k), expected_repairs[k]);
    assert_null(tw_draft_repair(d, 4));
    assert_int_equal(tw_draft_n_notes(d), 1);
    assert_string_equal(tw_draft_note(d, 0), "gross output is total sales; the source's OUT "
                        "column differs from it by at most 3.53 % (AAA X01)");
    assert_int_equal(tw_draft_write(d, dir, &err), TW_OK);
    char readme[128], line[400];
    fx_path(readme, sizeof readme, dir, "README.md");
    assert_true(file_has(readme, "## Repairs made to the source (4)"));
    for (size_t k = 0; k < 4; k++) {
        snprintf(line, sizeof line, "- %s\n", expected_repairs[k]);
        assert_true(file_has(readme, line));
    }
    /* The repaired world loads, derived final demand is >= 0, and the zero
     * shock changes nothing. */
    tw_world *w = fx_load(dir);
    const tw_base *b = w->base;
    assert_true(fabs(b->trade[tw_ix_nij(2, 2, 1, 0, 0)]) == 0);     /* AAA->BBB X01 */
    assert_true(fx_close(b->trade[tw_ix_nij(2, 2, 0, 0, 1)], 25, 1e-15)); /* AAA Y02 */
    assert_true(fabs(b->io[tw_ix_nkj(2, 1, 0, 1)]) == 0);          /* BBB Y02 inputs */
    double in = 0;
    for (size_t k = 0; k < 2; k++) in += b->io[tw_ix_nkj(2, 0, k, 0)];
    assert_true(in < 1 && b->va[0] > 0);
    check_zero_shock(w, 1e-10);
    tw_world_free(w);
    tw_draft_free(d);
    tw_importer_free(im);
}

static void test_dropping_inventories_leaves_the_draw_downs_out(void **state)
{
    const char *dir = *state;
    tw_importer *im = importer(FIX "sectors2.csv", 0);
    assert_int_equal(tw_importer_set_inventories(im, 0), TW_OK);
    tw_error err;
    tw_draft *d = import_ok(tw_import_icio(im, FIX "icio_repairs.csv", &err), &err);
    /* Without INVNT no flow is negative and no use exceeds purchases. */
    assert_int_equal(tw_draft_n_repairs(d), 2);
    assert_string_equal(tw_draft_repair(d, 0), "AAA X01: value added is negative (-7.843 % of "
                        "output): input shares scaled to sum to 1, value added set to 0");
    tw_world *w = write_and_load(d, dir);
    assert_true(fx_close(w->base->trade[tw_ix_nij(2, 2, 0, 0, 1)], 45, 1e-15));
    assert_true(fx_close(w->base->trade[tw_ix_nij(2, 2, 1, 0, 0)], 17, 1e-15));
    char readme[128];
    fx_path(readme, sizeof readme, dir, "README.md");
    assert_true(file_has(readme, "The change-in-inventories columns (`INVNT`) were left out (total -40)."));
    tw_world_free(w);
    tw_importer_free(im);
}

static void test_split_mexico_is_merged_before_shares(void **state)
{
    const char *dir = *state;
    tw_importer *im = importer(NULL, 5);
    tw_error err;
    tw_draft *d = import_ok(tw_import_icio(im, FIX "icio_split.csv", &err), &err);
    assert_int_equal(tw_draft_n_countries(d), 2);
    assert_string_equal(tw_draft_note(d, 0), "split-table countries (MX1/MX2, CN1/CN2) were "
                        "merged into MEX and CHN");
    tw_world *w = write_and_load(d, dir);
    long usa = tw_world_country_index(w, "USA"), mex = tw_world_country_index(w, "MEX");
    const double *t = tw_world_trade(w);
    assert_true(fx_close(t[tw_ix_nij(2, 1, mex, mex, 0)], 26, 1e-15));
    assert_true(fx_close(t[tw_ix_nij(2, 1, mex, usa, 0)], 6, 1e-15));
    assert_true(fx_close(t[tw_ix_nij(2, 1, usa, mex, 0)], 12, 1e-15));
    assert_true(fx_close(w->base->io[mex], 11.0 / 38.0, 1e-15));
    tw_world_free(w);
    tw_importer_free(im);
}

/* ---- errors -------------------------------------------------------------- */

static void expect_icio_error(const char *table, const char *sectors, double theta,
                              const char *tariffs, tw_status code, const char *text)
{
    tw_importer *im = importer(sectors, theta);
    if (tariffs) assert_int_equal(tw_importer_set_tariffs(im, tariffs), TW_OK);
    tw_error err;
    tw_draft *d = tw_import_icio(im, table, &err);
    assert_null(d);
    fx_expect_error(&err, code, text);
    tw_importer_free(im);
}

static void test_bad_inputs_name_file_line_and_what_was_expected(void **state)
{
    (void)state;
    expect_icio_error(FIX "icio_bad_value.csv", NULL, 4, NULL, TW_EINPUT,
                      FIX "icio_bad_value.csv:3: value \"abc\" in row AAA_Y02, column BBB_X01 "
                      "is not a number");
    expect_icio_error(FIX "icio_bad_column.csv", NULL, 4, NULL, TW_EINPUT,
                      FIX "icio_bad_column.csv:1: column \"FOO\" is not COUNTRY_INDUSTRY, "
                      "COUNTRY_<final demand> or OUT");
    expect_icio_error(FIX "icio_missing_row.csv", NULL, 4, NULL, TW_EINPUT,
                      FIX "icio_missing_row.csv: no row BBB_Y02 (expected one for every "
                      "COUNTRY_INDUSTRY column)");
    expect_icio_error(FIX "icio_repairs.csv", FIX "sectors_missing.csv", 0, NULL, TW_EINPUT,
                      FIX "sectors_missing.csv: no row for sector \"Y02\" (expected one for "
                      "every sector of the source, or a default theta)");
    expect_icio_error(FIX "icio_repairs.csv", NULL, 0, NULL, TW_EARG,
                      "no trade elasticities (expected a sector table or a theta)");
    expect_icio_error(FIX "icio_repairs.csv", FIX "sectors2.csv", 0, FIX "tariffs_domestic.csv",
                      TW_EINPUT, FIX "tariffs_domestic.csv:3: rate \"0.2\" for BBB->BBB is on a "
                      "domestic cell (expected 0 where importer = exporter)");
    expect_icio_error(FIX "no_such_table.csv", NULL, 4, NULL, TW_EIO,
                      FIX "no_such_table.csv: cannot open: No such file or directory");
    /* A NULL error record is allowed. */
    tw_importer *im = importer(NULL, 4);
    assert_null(tw_import_icio(im, FIX "icio_bad_value.csv", NULL));
    assert_null(tw_import_wiod(im, FIX "icio_bad_value.csv", NULL));
    tw_importer_free(im);
    assert_int_equal(tw_importer_set_theta(NULL, 4), TW_EARG);
}

/* ---- the writer ----------------------------------------------------------- */

static void test_writing_removes_world_files_the_new_world_does_not_have(void **state)
{
    const char *dir = *state;
    char out[128], path[160];
    fx_path(out, sizeof out, dir, "w");
    tw_error err;
    tw_importer *im = importer(FIX "sectors2.csv", 0);
    tw_draft *d = import_ok(tw_import_icio(im, FIX "icio_repairs.csv", &err), &err);
    assert_int_equal(tw_draft_write(d, out, &err), TW_OK);
    snprintf(path, sizeof path, "%s/io.csv", out);
    assert_true(file_exists(path));
    tw_draft_free(d);
    tw_importer_free(im);
    /* a world without inputs written over it: io.csv must go */
    im = importer(NULL, 4);
    assert_null(tw_import_bilateral(im, FIX "trade3.csv", FIX "gdp3.csv", &err));
    assert_string_equal(err.msg, "missing column \"country\" (expected header \"country,gdp\")");
    assert_int_equal(tw_importer_set_gdp_columns(im, "iso", "gdp_usd"), TW_OK);
    assert_int_equal(tw_importer_set_gdp_scale(im, 1e-6), TW_OK);
    d = import_ok(tw_import_bilateral(im, FIX "trade3.csv", FIX "gdp3.csv", &err), &err);
    assert_int_equal(tw_draft_write(d, out, &err), TW_OK);
    assert_false(file_exists(path));
    tw_world *w = fx_load(out);
    assert_int_equal(tw_world_n_sectors(w), 1);
    tw_world_free(w);
    /* nothing is left under a temporary name */
    DIR *dd = opendir(out);
    struct dirent *e;
    while ((e = readdir(dd))) assert_null(strstr(e->d_name, ".tmp."));
    closedir(dd);
    /* missing parents are made */
    fx_path(path, sizeof path, dir, "new/parent/w");
    assert_int_equal(tw_draft_write(d, path, &err), TW_OK);
    fx_remove_tree(path);
    fx_path(path, sizeof path, dir, "new/parent");
    assert_int_equal(rmdir(path), 0);
    fx_path(path, sizeof path, dir, "new");
    assert_int_equal(rmdir(path), 0);
    /* a directory that cannot be made (its parent is a file) is an I/O error
     * naming the folder that failed */
    snprintf(path, sizeof path, "%s/countries.csv/w", out);
    assert_int_equal(tw_draft_write(d, path, &err), TW_EIO);
    snprintf(path, sizeof path, "%s/countries.csv/w", out);
    assert_string_equal(err.file, path);
    assert_string_equal(err.msg, "cannot create: Not a directory");
    tw_draft_free(d);
    tw_importer_free(im);
}

/* ---- the command ---------------------------------------------------------- */

static void test_cli_import_prints_each_repair_and_checks_the_world(void **state)
{
    const char *dir = *state;
    char args[600], out[128], errf[128];
    cli_files(dir, out, errf);
    snprintf(args, sizeof args, "import icio " FIX "icio_repairs.csv --sectors " FIX
             "sectors2.csv --meta units=model --out %s/w", dir);
    assert_int_equal(run_cli(args, out, errf), 0);
    char line[400];
    for (size_t k = 0; k < 4; k++) {
        snprintf(line, sizeof line, "tradewar: warning: repair: %s\n", expected_repairs[k]);
        assert_true(file_has(errf, line));
    }
    snprintf(line, sizeof line, "ok: %s/w: 2 countries x 2 sectors, 4 repairs\n", dir);
    assert_true(file_has(out, line));
    /* bad input: one line, file:line, exit 2 */
    snprintf(args, sizeof args, "import icio " FIX "icio_bad_value.csv --theta 4 --out %s/w2", dir);
    assert_int_equal(run_cli(args, out, errf), 2);
    char *text = slurp(errf);
    assert_string_equal(text, "tradewar: " FIX "icio_bad_value.csv:3: value \"abc\" in row "
                        "AAA_Y02, column BBB_X01 is not a number\n");
    free(text);
    snprintf(args, sizeof args, "import icio " FIX "icio_repairs.csv --out %s/w3", dir);
    assert_int_equal(run_cli(args, out, errf), 2);
    assert_true(file_has(errf, "hint: give --sectors FILE or --theta X"));
    assert_int_equal(run_cli("import excel x.csv --out /tmp/x", out, errf), 2);
    /* --layout: the 2013 sheet read as such; a bad value or another source is usage */
    snprintf(args, sizeof args, "import wiod " FIX "wiod2013_small.csv --layout 2013 --theta 4 "
             "--out %s/w13", dir);
    assert_int_equal(run_cli(args, out, errf), 0);
    snprintf(line, sizeof line, "ok: %s/w13: 2 countries x 2 sectors, 0 repairs\n", dir);
    assert_true(file_has(out, line));
    snprintf(args, sizeof args, "import wiod " FIX "wiod2013_small.csv --layout 2015 --theta 4 "
             "--out %s/w14", dir);
    assert_int_equal(run_cli(args, out, errf), 2);
    assert_true(file_has(errf, "--layout \"2015\" is not valid"));
    snprintf(args, sizeof args, "import icio " FIX "icio_repairs.csv --layout 2013 --theta 4 "
             "--out %s/w15", dir);
    assert_int_equal(run_cli(args, out, errf), 2);
    assert_true(file_has(errf, "option --layout is for 'import wiod' only"));
    snprintf(args, sizeof args, "import wiod " FIX "wiod2013_bad_value.csv --theta 4 --out %s/w16",
             dir);
    assert_int_equal(run_cli(args, out, errf), 2);
    assert_true(file_has(errf, "tradewar: " FIX "wiod2013_bad_value.csv:10: value \"x8\" in column "
                         "BBB c2 is not a number\n"));
    assert_int_equal(run_cli("import --help", out, errf), 0);
    fx_path(line, sizeof line, dir, "w2/countries.csv");
    assert_false(file_exists(line));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_icio_round_trip_gives_the_same_world_back_within_1e_9),
        cmocka_unit_test(test_icio_round_trip_of_world2011_needs_no_repair),
        cmocka_unit_test(test_wiod_matrix_round_trip_with_stata_and_plain_names),
        cmocka_unit_test(test_wiod_long_round_trip_gives_the_same_world_back),
        fx_scratch_test(test_wiod_matrix_and_long_exports_give_the_same_world),
        fx_scratch_test(test_wiod_2013_sheet_and_long_table_give_the_world_of_the_2016_export),
        fx_scratch_test(test_wiod_layouts_are_told_apart_and_bad_2013_input_is_named),
        fx_scratch_test(test_wiod_2011_long_excerpt_gives_the_source_trade_cells),
        fx_scratch_test(test_every_repair_is_listed_in_the_draft_and_the_readme),
        fx_scratch_test(test_dropping_inventories_leaves_the_draw_downs_out),
        fx_scratch_test(test_split_mexico_is_merged_before_shares),
        cmocka_unit_test(test_bad_inputs_name_file_line_and_what_was_expected),
        fx_scratch_test(test_writing_removes_world_files_the_new_world_does_not_have),
        fx_scratch_test(test_cli_import_prints_each_repair_and_checks_the_world),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_import_split.c - carving a new country out of a region
 * (src/world/split.c) and the split subcommand.
 *
 * A hand-made world where every flow of the new country is known from its
 * totals; world2011 split with synthetic totals conserves every total to
 * 1e-9 and merges back (tw_aggregate) to the world it came from; the split
 * world loads without warnings and its zero shock changes nothing; bad
 * inputs name their file, line and field.  Tests run from the repository
 * root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sys/stat.h>

#include "helpers.h"

/* AAA and BBB are partners of the region RRR (goods G, services S):
 * hand_trade[n][i] = {G, S}, n buying from i. */
static const char *const hand_codes[3] = {"AAA", "BBB", "RRR"};
static const double hand_trade[3][3][2] = {
    {{100, 150}, {20, 3}, {40, 8}},
    {{20, 3}, {100, 150}, {30, 6}},
    {{24, 4}, {16, 2}, {400, 600}},
};

static void write_hand_world(const char *dir)
{
    char path[200];
    FILE *f = fopen(fx_path(path, sizeof path, dir, "trade.csv"), "w");
    assert_non_null(f);
    fputs("importer,exporter,sector,value\n", f);
    for (size_t n = 0; n < 3; n++)
        for (size_t i = 0; i < 3; i++)
            fprintf(f, "%s,%s,G,%g\n%s,%s,S,%g\n", hand_codes[n], hand_codes[i], hand_trade[n][i][0],
                    hand_codes[n], hand_codes[i], hand_trade[n][i][1]);
    fclose(f);
    fx_write_in(dir, "countries.csv", "code,name\nAAA,Alpha\nBBB,Beta\nRRR,Rest\n");
    fx_write_in(dir, "sectors.csv", "code,name,theta,tradable\nG,Goods,5,1\nS,Services,3,0\n");
    fx_write_in(dir, "tariffs.csv",
        "importer,exporter,sector,rate\nAAA,RRR,G,0.05\nRRR,AAA,G,0.1\nBBB,RRR,G,0.02\n");
    fx_write_in(dir, "io.csv",
        "country,input,output,share\n"
        "AAA,G,G,0.3\nAAA,S,G,0.2\nAAA,G,S,0.1\nAAA,S,S,0.25\n"
        "BBB,G,G,0.25\nBBB,S,G,0.15\nBBB,G,S,0.1\nBBB,S,S,0.2\n"
        "RRR,G,G,0.3\nRRR,S,G,0.1\nRRR,G,S,0.05\nRRR,S,S,0.3\n");
    fx_write_in(dir, "meta.csv", "key,value\nyear,2011\nunits,USD million\n");
}

/* NEW's totals with XXX and YYY, the other members of RRR: it sells AAA a
 * quarter and BBB half of what the region sells them, and buys a quarter of
 * the region's purchases from each; the region's goods trade with its
 * partners is 140 here against 110 in the world (g = 11/14). */
static const char hand_totals[] =
    "importer,exporter,value\n"
    "AAA,NEW,10\nAAA,XXX,20\nAAA,YYY,10\n"
    "BBB,NEW,30\nBBB,XXX,30\n"
    "NEW,AAA,6\nXXX,AAA,18\n"
    "NEW,BBB,4\nXXX,BBB,12\n"
    "NEW,XXX,5\nXXX,NEW,3\nXXX,YYY,100\n";

static tw_draft *split_hand_tariffs(const char *dir, const char *totals, double gdp,
                                    const char *rates, tw_error *err)
{
    char world[128], tpath[128], mpath[128], rpath[128];
    fx_path(world, sizeof world, dir, "hand");
    mkdir(world, 0777);
    write_hand_world(world);
    fx_write_in(dir, "totals.csv", totals);
    fx_write_in(dir, "map.csv", "code,region\nXXX,RRR\nYYY,RRR\n");
    tw_world *w = fx_load(world);
    tw_split_spec sp = {.region = "RRR", .code = "NEW", .name = "New land",
                        .totals = fx_path(tpath, sizeof tpath, dir, "totals.csv"),
                        .map = fx_path(mpath, sizeof mpath, dir, "map.csv"),
                        .proxy = "BBB", .gdp = gdp};
    if (rates) {
        fx_write_in(dir, "rates.csv", rates);
        sp.tariffs = fx_path(rpath, sizeof rpath, dir, "rates.csv");
    }
    tw_draft *d = tw_split(w, &sp, err);
    tw_world_free(w);
    return d;
}

static tw_draft *split_hand(const char *dir, const char *totals, double gdp, tw_error *err)
{
    return split_hand_tariffs(dir, totals, gdp, NULL, err);
}

static double cell(const tw_world *w, const char *n, const char *i, const char *j)
{
    size_t N = tw_world_n_countries(w), J = tw_world_n_sectors(w);
    long a = tw_world_country_index(w, n), b = tw_world_country_index(w, i);
    long s = tw_world_sector_index(w, j);
    assert_true(a >= 0 && b >= 0 && s >= 0);
    return tw_world_trade(w)[tw_ix_nij(N, J, (size_t)a, (size_t)b, (size_t)s)];
}

static double rate(const tw_world *w, const char *n, const char *i, const char *j)
{
    size_t N = tw_world_n_countries(w), J = tw_world_n_sectors(w);
    return tw_world_tariffs(w)[tw_ix_nij(N, J, (size_t)tw_world_country_index(w, n),
                                         (size_t)tw_world_country_index(w, i),
                                         (size_t)tw_world_sector_index(w, j))];
}

static void close_to(const char *what, double got, double want)
{
    if (!fx_close(got, want, 1e-12)) fail_msg("%s: %.17g, expected %.17g", what, got, want);
}

static void test_hand_world_has_the_known_answer(void **state)
{
    const char *dir = *state;
    char out[128];
    tw_error err;
    tw_draft *d = split_hand(dir, hand_totals, 70, &err);
    if (!d) fail_msg("split: %s", err.msg);
    assert_int_equal(tw_draft_n_repairs(d), 0);
    tw_world *s = write_and_load(d, fx_path(out, sizeof out, dir, "out"));
    assert_int_equal(tw_world_n_warnings(s), 0);
    assert_int_equal(tw_world_n_countries(s), 4);
    assert_string_equal(tw_world_country_code(s, 2), "NEW");
    assert_string_equal(tw_world_country_name(s, 2), "New land");
    assert_string_equal(tw_world_country_code(s, 3), "RRR");
    /* partners: shares of the region's flows, services in the same proportion */
    close_to("AAA<-NEW G", cell(s, "AAA", "NEW", "G"), 10);
    close_to("AAA<-RRR G", cell(s, "AAA", "RRR", "G"), 30);
    close_to("AAA<-NEW S", cell(s, "AAA", "NEW", "S"), 2);
    close_to("BBB<-NEW G", cell(s, "BBB", "NEW", "G"), 15);
    close_to("BBB<-NEW S", cell(s, "BBB", "NEW", "S"), 3);
    close_to("NEW<-AAA G", cell(s, "NEW", "AAA", "G"), 6);
    close_to("NEW<-AAA S", cell(s, "NEW", "AAA", "S"), 1);
    close_to("NEW<-BBB G", cell(s, "NEW", "BBB", "G"), 4);
    close_to("RRR<-BBB G", cell(s, "RRR", "BBB", "G"), 12);
    /* the rest of the region: totals times g = 110 / 140, no services */
    close_to("NEW<-RRR G", cell(s, "NEW", "RRR", "G"), 5.0 * 110 / 140);
    close_to("RRR<-NEW G", cell(s, "RRR", "NEW", "G"), 3.0 * 110 / 140);
    close_to("NEW<-RRR S", cell(s, "NEW", "RRR", "S"), 0);
    /* value added = g x GDP; tariffs are the region's, none inside it */
    close_to("VA NEW", tw_world_value_added(s, 2), 70.0 * 110 / 140);
    close_to("AAA on NEW", rate(s, "AAA", "NEW", "G"), 0.05);
    close_to("NEW on AAA", rate(s, "NEW", "AAA", "G"), 0.1);
    close_to("BBB on NEW", rate(s, "BBB", "NEW", "G"), 0.02);
    close_to("NEW on RRR", rate(s, "NEW", "RRR", "G"), 0);
    /* the new country's input shares are the proxy's */
    const double *io = s->base->io;
    close_to("io NEW G->G", io[tw_ix_nkj(2, 2, 0, 0)], 0.25);
    close_to("io NEW S->S", io[tw_ix_nkj(2, 2, 1, 1)], 0.2);
    check_zero_shock(s, 1e-12);
    tw_world_free(s);
}

static void test_tariffs_file_replaces_the_regions_rates(void **state)
{
    const char *dir = *state;
    char out[128];
    tw_error err;
    tw_draft *d = split_hand_tariffs(dir, hand_totals, 70, "importer,exporter,sector,rate\n"
                                     "NEW,AAA,G,0.2\nBBB,NEW,*,0.07\nNEW,RRR,G,0.01\n", &err);
    if (!d) fail_msg("split: %s", err.msg);
    tw_world *s = write_and_load(d, fx_path(out, sizeof out, dir, "out"));
    close_to("NEW on AAA", rate(s, "NEW", "AAA", "G"), 0.2);
    close_to("BBB on NEW", rate(s, "BBB", "NEW", "G"), 0.07);
    close_to("NEW on RRR", rate(s, "NEW", "RRR", "G"), 0.01);
    close_to("AAA on NEW", rate(s, "AAA", "NEW", "G"), 0.05);
    close_to("RRR on AAA", rate(s, "RRR", "AAA", "G"), 0.1);
    close_to("VA NEW", tw_world_value_added(s, 2), 70.0 * 110 / 140);
    check_zero_shock(s, 1e-12);
    tw_world_free(s);
    assert_null(split_hand_tariffs(dir, hand_totals, 70, "importer,exporter,rate\nAAA,BBB,0.1\n", &err));
    assert_string_equal(err.field, "importer");
    assert_non_null(strstr(err.msg, "expected NEW as the importer or the exporter"));
    assert_int_equal(err.line, 2);
    assert_null(split_hand_tariffs(dir, hand_totals, 70, "importer,exporter,sector,rate\n"
                                   "NEW,AAA,G,0.1\nNEW,AAA,S,0.1\n", &err));
    assert_string_equal(err.field, "sector");
    assert_int_equal(err.line, 3);
    assert_null(split_hand_tariffs(dir, hand_totals, 70, "importer,exporter,rate\nNEW,AAA,-1\n", &err));
    assert_string_equal(err.field, "rate");
}

static double sum(const double *v, size_t n)
{
    double t = 0;
    for (size_t k = 0; k < n; k++) t += v[k];
    return t;
}

/* Totals of world2011 for NEW and OTH (the rest of ROW): NEW takes 2 to 6 %
 * of ROW's goods trade with each partner, none with KOR; g = 1. */
static void write_world2011_totals(const tw_world *w, const char *path)
{
    const tw_base *b = w->base;
    size_t N = b->N, J = b->J, r = (size_t)tw_world_country_index(w, "ROW");
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("importer,exporter,value\n", f);
    for (size_t m = 0; m < N; m++) {
        if (m == r) continue;
        double x = 0, i = 0, sx = strcmp(w->ccode[m], "KOR") ? 0.02 + 0.01 * (double)(m % 5) : 0;
        for (size_t j = 0; j < J; j++)
            if (b->tradable[j]) {
                x += b->trade[tw_ix_nij(N, J, m, r, j)];
                i += b->trade[tw_ix_nij(N, J, r, m, j)];
            }
        fprintf(f, "%s,NEW,%.17g\n%s,OTH,%.17g\n", w->ccode[m], sx * x, w->ccode[m], (1 - sx) * x);
        fprintf(f, "NEW,%s,%.17g\nOTH,%s,%.17g\n", w->ccode[m], sx * i, w->ccode[m], (1 - sx) * i);
    }
    fputs("NEW,OTH,20000\nOTH,NEW,15000\n", f);
    fclose(f);
}

static tw_world *split_world2011(const char *dir, const tw_world *w, const char *proxy)
{
    char tpath[128], mpath[128], out[128];
    fx_path(tpath, sizeof tpath, dir, "totals.csv");
    fx_path(mpath, sizeof mpath, dir, "map.csv");
    write_world2011_totals(w, tpath);
    fx_write_in(dir, "map.csv", "code,region\nOTH,ROW\n");
    tw_split_spec sp = {.region = "ROW", .code = "NEW", .totals = tpath, .map = mpath,
                        .proxy = proxy, .gdp = 0.02 * w->base->VA[tw_world_country_index(w, "ROW")]};
    tw_error err;
    tw_draft *d = tw_split(w, &sp, &err);
    if (!d) fail_msg("split: %s", err.msg);
    assert_int_equal(tw_draft_n_repairs(d), 0);
    return write_and_load(d, fx_path(out, sizeof out, dir, "split"));
}

static void test_split_conserves_every_total(void **state)
{
    const char *dir = *state;
    tw_world *w = fx_load("data/world2011");
    tw_world *s = split_world2011(dir, w, "CHN");
    const tw_base *b = w->base, *c = s->base;
    size_t N = b->N, J = b->J, r = N - 1, v = N - 1, rest = N;
    assert_string_equal(s->ccode[v], "NEW");
    assert_int_equal(tw_world_n_warnings(s), 0);
    /* world totals */
    assert_true(fx_close(sum(c->trade, (N + 1) * (N + 1) * J), sum(b->trade, N * N * J), 1e-9));
    assert_true(fx_close(sum(c->Y, (N + 1) * J), sum(b->Y, N * J), 1e-9));
    assert_true(fx_close(sum(c->VA, N + 1), sum(b->VA, N), 1e-9));
    assert_true(fx_close(sum(c->R, N + 1), sum(b->R, N), 1e-9));
    /* the region: output by sector, value added, deficit, revenue, income */
    for (size_t j = 0; j < J; j++)
        assert_true(fx_close(c->Y[v * J + j] + c->Y[rest * J + j], b->Y[r * J + j], 1e-9));
    assert_true(fx_close(c->VA[v] + c->VA[rest], b->VA[r], 1e-9));
    assert_true(fx_close(c->D[v] + c->D[rest], b->D[r], 1e-9));
    assert_true(fx_close(c->R[v] + c->R[rest], b->R[r], 1e-9));
    assert_true(fx_close(c->I[v] + c->I[rest], b->I[r], 1e-9));
    /* every partner: its pair totals, sector by sector, and its own totals */
    for (size_t m = 0; m < r; m++) {
        for (size_t j = 0; j < J; j++) {
            double x = c->trade[tw_ix_nij(N + 1, J, m, v, j)] + c->trade[tw_ix_nij(N + 1, J, m, rest, j)];
            double i = c->trade[tw_ix_nij(N + 1, J, v, m, j)] + c->trade[tw_ix_nij(N + 1, J, rest, m, j)];
            assert_true(fx_close(x, b->trade[tw_ix_nij(N, J, m, r, j)], 1e-9));
            assert_true(fx_close(i, b->trade[tw_ix_nij(N, J, r, m, j)], 1e-9));
        }
        assert_true(fx_close(c->VA[m], b->VA[m], 1e-9));
        assert_true(fx_close(c->D[m], b->D[m], 1e-9));
    }
    /* NEW got its 2-6 % of the region's goods trade with each partner, none with KOR */
    size_t kor = (size_t)tw_world_country_index(w, "KOR");
    for (size_t j = 0; j < J; j++) assert_true(c->trade[tw_ix_nij(N + 1, J, kor, v, j)] == 0);
    check_zero_shock(s, 1e-12);
    tw_world_free(s);
    tw_world_free(w);
}

static void test_merging_back_gives_the_world(void **state)
{
    const char *dir = *state;
    char map[128];
    tw_world *w = fx_load("data/world2011");
    tw_world *s = split_world2011(dir, w, "IDN");
    FILE *f = fopen(fx_path(map, sizeof map, dir, "back.csv"), "w");
    fputs("code,group,name\n", f);
    for (size_t n = 0; n < tw_world_n_countries(s); n++)
        fprintf(f, "%s,%s,\"%s\"\n", s->ccode[n], strcmp(s->ccode[n], "NEW") ? s->ccode[n] : "ROW",
                strcmp(s->ccode[n], "NEW") ? s->cname[n] : "");
    fclose(f);
    tw_error err;
    tw_draft *d = tw_aggregate(s, map, NULL, &err);
    if (!d) fail_msg("aggregate: %s", err.msg);
    char out[128];
    tw_world *back = write_and_load(d, fx_path(out, sizeof out, dir, "back"));
    tw_world_free(s);
    check_same_world(w, back, 1e-9);
    tw_world_free(w);
    tw_world_free(back);
}

static void test_bad_inputs_name_file_line_and_field(void **state)
{
    const char *dir = *state;
    tw_error err;
    char text[800];
    assert_null(split_hand(dir, "importer,exporter,value\nAAA,NEW,10\nAAA,XXX,-5\n", 0, &err));
    tw_error_format(&err, text, sizeof text);
    assert_int_equal(err.code, TW_EINPUT);
    assert_string_equal(err.field, "value");
    assert_non_null(strstr(text, "totals.csv:3: value -5 is negative"));
    assert_null(split_hand(dir, "importer,exporter,value\nAAA,NEW,10\nQQQ,XXX,5\n", 0, &err));
    tw_error_format(&err, text, sizeof text);
    assert_string_equal(err.field, "importer");
    assert_non_null(strstr(text, "totals.csv:3: importer \"QQQ\" is not a country of the world "
                                 "nor NEW and has no row in the map"));
    /* a GDP the region cannot hold */
    assert_null(split_hand(dir, hand_totals, 1e6, &err));
    assert_int_equal(err.code, TW_EINPUT);
    assert_non_null(strstr(err.msg, "does not fit"));
    /* no trade of the new country */
    assert_null(split_hand(dir, "importer,exporter,value\nAAA,XXX,10\n", 0, &err));
    assert_non_null(strstr(err.msg, "no goods trade of NEW"));

    tw_world *w = fx_load("data/world2011");
    tw_split_spec sp = {.region = "XYZ", .code = "VNM", .totals = "none.csv", .proxy = "CHN"};
    assert_null(tw_split(w, &sp, &err));
    fx_expect_error(&err, TW_EINPUT, "region: region \"XYZ\" is not a country of the world");
    sp.region = "ROW";
    sp.code = "CHN";
    assert_null(tw_split(w, &sp, &err));
    fx_expect_error(&err, TW_EINPUT, "code: new country \"CHN\" is already a country of the world");
    sp.code = "VNM";
    sp.proxy = "VNM";
    assert_null(tw_split(w, &sp, &err));
    fx_expect_error(&err, TW_EINPUT, "proxy: proxy \"VNM\" is not a country of the world");
    tw_world_free(w);
}

static void test_cli_split(void **state)
{
    const char *dir = *state;
    char args[1200], out[128], errf[128], world[128], readme[200];
    tw_error err;
    tw_draft_free(split_hand(dir, hand_totals, 70, &err)); /* writes hand/, totals.csv, map.csv */
    cli_files(dir, out, errf);
    fx_path(world, sizeof world, dir, "hand");
    snprintf(args, sizeof args, "split --world %s --region RRR --new NEW --name 'New land' "
             "--totals %s/totals.csv --map %s/map.csv --proxy BBB --gdp 70 --output %s/cli",
             world, dir, dir, dir);
    assert_int_equal(run_cli(args, out, errf), 0);
    assert_true(file_has(out, "/cli: 4 countries x 2 sectors\n"));
    assert_true(file_has(out, "proxy: BBB (Beta): NEW borrows"));
    assert_true(file_has(errf, "note: scale g = 0.785714"));
    snprintf(readme, sizeof readme, "%s/cli/README.md", dir);
    assert_true(file_has(readme, "**Assumption - proxy**: the new country NEW borrows"));
    assert_true(file_has(readme, "--proxy BBB"));
    snprintf(args, sizeof args, "validate --world %s/cli", dir);
    assert_int_equal(run_cli(args, out, errf), 0);
    /* errors: exit 2 naming the file and line, or the option */
    fx_write_in(dir, "neg.csv", "importer,exporter,value\nAAA,NEW,-1\n");
    snprintf(args, sizeof args, "split --world %s --region RRR --new NEW --totals %s/neg.csv "
             "--proxy BBB --output %s/x", world, dir, dir);
    assert_int_equal(run_cli(args, out, errf), 2);
    assert_true(file_has(errf, "neg.csv:2: value -1 is negative (expected a flow >= 0)"));
    snprintf(args, sizeof args, "split --world %s --region ZZZ --new NEW --totals %s/neg.csv "
             "--proxy BBB --output %s/x", world, dir, dir);
    assert_int_equal(run_cli(args, out, errf), 2);
    assert_true(file_has(errf, "tradewar: region: region \"ZZZ\" is not a country of the world"));
    snprintf(args, sizeof args, "split --world %s --region RRR --new NEW --totals %s/neg.csv "
             "--output %s/x", world, dir, dir);
    assert_int_equal(run_cli(args, out, errf), 2);
    assert_true(file_has(errf, "--proxy CODE is required"));
    assert_int_equal(run_cli("split --rule foo", out, errf), 2);
    assert_int_equal(run_cli("split --help", out, errf), 0);
    assert_true(file_has(out, "usage: tradewar split"));
    assert_false(file_exists("x"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        fx_scratch_test(test_hand_world_has_the_known_answer),
        fx_scratch_test(test_tariffs_file_replaces_the_regions_rates),
        fx_scratch_test(test_split_conserves_every_total),
        fx_scratch_test(test_merging_back_gives_the_world),
        fx_scratch_test(test_bad_inputs_name_file_line_and_field),
        fx_scratch_test(test_cli_split),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

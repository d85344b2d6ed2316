/* test_import_rebase.c - a world's trade moved to newer totals
 * (src/world/rebase.c, docs/rebase.md) and the rebase subcommand.
 *
 * Identities: a world rebased onto its own totals (pair totals of its goods
 * flows, GDP = its value added) is unchanged to 1e-9; on small hand-made
 * worlds the domestic sales have the closed forms written below; world2011
 * rebased onto BACI 2023 (when the shared data are on this machine) hits the
 * target pair totals of the regions the totals reach to 1e-6, loads and has
 * an exact zero shock.  Tests run from the repository root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tradewar/policy.h"
#include "tradewar/rebase.h"

#include "helpers.h"

#define FIX "tests/data/rebase/"

static const tw_base *base_of(const tw_world *w) { return w->base; }

/* Goods pair totals and GDP = value added of w, as the rebase reads them. */
static void write_own_totals(const tw_world *w, const char *totals, const char *gdp)
{
    const tw_base *b = base_of(w);
    size_t N = b->N, J = b->J;
    FILE *t = fopen(totals, "w"), *g = fopen(gdp, "w");
    assert_non_null(t);
    assert_non_null(g);
    fputs("importer,exporter,value\n", t);
    fputs("country,gdp\n", g);
    for (size_t n = 0; n < N; n++) {
        fprintf(g, "%s,%.17g\n", w->ccode[n], b->VA[n]);
        for (size_t i = 0; i < N; i++) {
            if (i == n) continue;
            double s = 0;
            for (size_t j = 0; j < J; j++)
                if (b->tradable[j]) s += b->trade[tw_ix_nij(N, J, n, i, j)];
            fprintf(t, "%s,%s,%.17g\n", w->ccode[n], w->ccode[i], s);
        }
    }
    fclose(t);
    fclose(g);
}

/* Rebase w with o, write it to dir/out and load it back. */
static tw_world *rebase_into(const tw_world *w, const tw_rebase_opts *o, const char *dir,
                             tw_rebase_stats *st)
{
    char out[4200];
    tw_error err;
    tw_draft *d = tw_rebase(w, o, st, &err);
    if (!d) {
        char buf[800];
        tw_error_format(&err, buf, sizeof buf);
        fail_msg("rebase: %s", buf);
    }
    return write_and_load(d, fx_path(out, sizeof out, dir, "out"));
}

/* Every trade cell, io share and final-demand share of a and b agree to tol
 * (relative, with an absolute floor of tol). */
static void assert_same_world(const tw_world *a, const tw_world *b, double tol)
{
    const tw_base *x = base_of(a), *y = base_of(b);
    size_t N = x->N, J = x->J;
    assert_int_equal(y->N, N);
    assert_int_equal(y->J, J);
    fx_assert_arrays_close("trade", x->trade, y->trade, N * N * J, tol);
    fx_assert_arrays_close("tau", x->tau, y->tau, N * N * J, 0);
    fx_assert_arrays_close("io", x->io, y->io, N * J * J, tol);
    fx_assert_arrays_close("alpha", x->alpha, y->alpha, N * J, tol);
    fx_assert_arrays_close("VA", x->VA, y->VA, N, tol);
}

static void own_totals_are_identity(const char *world, const char *dir)
{
    char totals[4200], gdp[4200];
    tw_world *w = fx_load(world);
    write_own_totals(w, fx_path(totals, sizeof totals, dir, "totals.csv"),
                     fx_path(gdp, sizeof gdp, dir, "gdp.csv"));
    tw_rebase_opts o = {.totals = totals, .gdp = gdp};
    tw_rebase_stats st;
    tw_world *r = rebase_into(w, &o, dir, &st);
    assert_same_world(w, r, 1e-9);
    assert_true(st.max_residual < 1e-12);
    assert_int_equal(st.held_at_zero, 0);
    tw_world_free(r);
    tw_world_free(w);
}

static void test_identity_world2011(void **state)
{
    own_totals_are_identity("data/world2011", *state);
}

static void test_identity_world2011_full(void **state)
{
    own_totals_are_identity("data/world2011-full", *state);
}

/* A and B with goods G and a second sector (its sectors.csv row), no
 * inputs: value added is gross output and final demand is spending.  Trade
 * into A: G 100 home, 20 from B; second 200 home, a2 from B.  Into B: G 30
 * from A, 150 home; second b2 from A, 300 home. */
static void write_two(const char *dir, const char *second, double a2, double b2)
{
    char sectors[256], trade[512];
    char code[16];
    snprintf(code, sizeof code, "%.*s", (int)strcspn(second, ","), second);
    snprintf(sectors, sizeof sectors, "code,name,theta,tradable\nG,Goods,5,1\n%s\n", second);
    snprintf(trade, sizeof trade, "importer,exporter,sector,value\n"
             "A,A,G,100\nA,B,G,20\nA,A,%s,200\nA,B,%s,%g\n"
             "B,A,G,30\nB,B,G,150\nB,A,%s,%g\nB,B,%s,300\n", code, code, a2, code, b2, code);
    fx_write_in(dir, "countries.csv", "code,name\nA,Alpha\nB,Beta\n");
    fx_write_in(dir, "sectors.csv", sectors);
    fx_write_in(dir, "trade.csv", trade);
    fx_write_in(dir, "meta.csv", "key,value\nyear,2011\nunits,model units\n");
}

/* The second sector is services S (not tradable), 10 and 5 across. */
static void write_ab(const char *dir)
{
    write_two(dir, "S,Services,5,0", 10, 5);
}

static double cell(const tw_world *w, const char *n, const char *i, const char *j)
{
    const tw_base *b = base_of(w);
    return b->trade[tw_ix_nij(b->N, b->J, (size_t)tw_world_country_index(w, n),
                              (size_t)tw_world_country_index(w, i),
                              (size_t)tw_world_sector_index(w, j))];
}

/* Value added 335 (A) and 480 (B) before; GDP 670 and 480 after, goods
 * totals A<-B 40 and B<-A 60.  Services grow by sqrt(2 x 1).  With no
 * inputs, income c = GDP + imports - exports and final demand is c x the
 * old mix (A: 120/330, 210/330; B: 180/485, 305/485):
 *   c_A = 670 + (40 + 10 r2) - (60 + 5 r2) = 650 + 5 r2
 *   c_B = 480 + (60 + 5 r2) - (40 + 10 r2) = 500 - 5 r2
 *   d_A^G = c_A 4/11 - 40      d_A^S = c_A 7/11 - 10 r2
 *   d_B^G = c_B 36/97 - 60     d_B^S = c_B 61/97 - 5 r2 */
static void test_two_countries_known(void **state)
{
    const char *dir = *state;
    char wd[4200], totals[4200], gdp[4200];
    write_ab(fx_path(wd, sizeof wd, dir, ""));
    fx_write_file(fx_path(totals, sizeof totals, dir, "t.csv"),
                  "importer,exporter,value\nA,B,40\nB,A,60\n");
    fx_write_file(fx_path(gdp, sizeof gdp, dir, "g.csv"), "country,gdp\nA,670\nB,480\n");
    tw_world *w = fx_load(wd);
    tw_rebase_opts o = {.totals = totals, .gdp = gdp, .year = "2023"};
    tw_rebase_stats st;
    tw_world *r = rebase_into(w, &o, dir, &st);
    double r2 = sqrt(2.0), cA = 650 + 5 * r2, cB = 500 - 5 * r2;
    assert_true(fx_close(cell(r, "A", "B", "G"), 40, 1e-14));
    assert_true(fx_close(cell(r, "B", "A", "G"), 60, 1e-14));
    assert_true(fx_close(cell(r, "A", "B", "S"), 10 * r2, 1e-14));
    assert_true(fx_close(cell(r, "B", "A", "S"), 5 * r2, 1e-14));
    assert_true(fx_close(cell(r, "A", "A", "G"), cA * 4 / 11 - 40, 1e-12));
    assert_true(fx_close(cell(r, "A", "A", "S"), cA * 7 / 11 - 10 * r2, 1e-12));
    assert_true(fx_close(cell(r, "B", "B", "G"), cB * 36 / 97 - 60, 1e-12));
    assert_true(fx_close(cell(r, "B", "B", "S"), cB * 61 / 97 - 5 * r2, 1e-12));
    assert_true(fx_close(tw_world_value_added(r, 0), 670, 1e-12));
    assert_true(fx_close(tw_world_value_added(r, 1), 480, 1e-12));
    assert_string_equal(tw_world_meta(r, "year"), "2023");
    assert_int_equal(st.iterations, 1);
    tw_world_free(r);
    tw_world_free(w);
}

/* B imports 400 of goods from A: more than its final-demand mix wants
 * (c_B 180/485 < 400), so its domestic goods sales are held at 0, its goods
 * final demand is the 400 it imports, and services take the rest of GDP:
 * d_B^S = 480 - 40 - 10 r2 (value added = domestic services + exports). */
static void test_domestic_held_at_zero(void **state)
{
    const char *dir = *state;
    char wd[4200], totals[4200], gdp[4200], readme[4200];
    write_ab(fx_path(wd, sizeof wd, dir, ""));
    fx_write_file(fx_path(totals, sizeof totals, dir, "t.csv"),
                  "importer,exporter,value\nA,B,40\nB,A,400\n");
    fx_write_file(fx_path(gdp, sizeof gdp, dir, "g.csv"), "country,gdp\nA,670\nB,480\n");
    tw_world *w = fx_load(wd);
    tw_rebase_opts o = {.totals = totals, .gdp = gdp};
    tw_rebase_stats st;
    tw_world *r = rebase_into(w, &o, dir, &st);
    double r2 = sqrt(2.0);
    assert_true(cell(r, "B", "B", "G") == 0);
    assert_true(fx_close(cell(r, "B", "B", "S"), 440 - 10 * r2, 1e-12));
    assert_true(fx_close(tw_world_value_added(r, 1), 480, 1e-12));
    assert_int_equal(st.held_at_zero, 1);
    assert_int_equal(st.iterations, 2);
    assert_true(file_has(fx_path(readme, sizeof readme, dir, "out/README.md"),
                         "- B: domestic sales of G held at 0"));
    tw_world_free(r);
    tw_world_free(w);
}

/* Two goods sectors G, H: the later year's mix (x -> G, y -> H, z not goods)
 * splits each pair's total; a pair the later flows miss keeps the world's. */
static void test_sector_mix(void **state)
{
    const char *dir = *state;
    char wd[4200], totals[4200], gdp[4200], flows[4200], conc[4200];
    write_two(fx_path(wd, sizeof wd, dir, ""), "H,Other,5,1", 20, 10);
    fx_write_file(fx_path(totals, sizeof totals, dir, "t.csv"),
                  "importer,exporter,value\nA,B,50\nB,A,80\n");
    fx_write_file(fx_path(gdp, sizeof gdp, dir, "g.csv"), "country,gdp\nA,400\nB,500\n");
    fx_write_file(fx_path(flows, sizeof flows, dir, "f.csv"),
                  "importer,exporter,sector,value\nA,B,x,3\nA,B,y,1\nA,B,z,99\nA,A,x,500\n");
    fx_write_file(fx_path(conc, sizeof conc, dir, "c.csv"), "sector,world_sector\nx,G\ny,H\nz,\n");
    tw_world *w = fx_load(wd);
    tw_rebase_opts o = {.totals = totals, .gdp = gdp, .sector_flows = flows, .concordance = conc};
    tw_world *r = rebase_into(w, &o, dir, NULL);
    static const struct { const char *n, *i, *j; double v; } want[] = {
        {"A", "B", "G", 37.5}, {"A", "B", "H", 12.5}, {"B", "A", "G", 60}, {"B", "A", "H", 20}};
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++)
        if (!fx_close(cell(r, want[k].n, want[k].i, want[k].j), want[k].v, 1e-14))
            fail_msg("%s<-%s %s: %.17g, expected %g", want[k].n, want[k].i, want[k].j,
                     cell(r, want[k].n, want[k].i, want[k].j), want[k].v);
    tw_world_free(r);
    tw_world_free(w);
}

/* C has no row in the totals and no GDP: its goods flows grow with its
 * partners' goods trade (A's imports from B x 2, B's from A x 1.5) and its
 * value added with the others' GDP (x 2); it is flagged.  Codes Z1, Z2 go to
 * the rest region B, and their trade between each other is dropped. */
static void test_absent_region_and_rest(void **state)
{
    char wd[4200], totals[4200], gdp[4200], readme[4200];
    const char *dir = fx_path(wd, sizeof wd, *state, "");
    fx_write_in(wd, "countries.csv", "code,name\nA,Alpha\nB,Beta\nC,Gamma\n");
    fx_write_in(wd, "sectors.csv", "code,name,theta,tradable\nG,Goods,5,1\nS,Services,5,0\n");
    fx_write_in(wd, "trade.csv",
        "importer,exporter,sector,value\n"
        "A,A,G,100\nA,B,G,20\nA,C,G,10\nA,A,S,200\n"
        "B,A,G,30\nB,B,G,150\nB,C,G,6\nB,B,S,300\n"
        "C,A,G,8\nC,B,G,4\nC,C,G,90\nC,C,S,100\n");
    fx_write_file(fx_path(totals, sizeof totals, dir, "t.csv"),
                  "importer,exporter,value\nA,Z1,40\nB,A,45\nZ1,Z2,7\n");
    fx_write_file(fx_path(gdp, sizeof gdp, dir, "g.csv"),
                  "country,gdp\nA,2\nZ1,1\nZ2,1\n");
    tw_world *w = fx_load(wd);
    const tw_base *b = base_of(w);
    tw_rebase_opts o = {.totals = totals, .gdp = gdp, .rest = "B", .gdp_scale = 100};
    tw_rebase_stats st;
    tw_world *r = rebase_into(w, &o, dir, &st);
    /* A's imports grow 40/20 = 2, B's 45/30 = 1.5; A's exports 1.5, B's 2 */
    assert_true(fx_close(cell(r, "A", "C", "G"), 20, 1e-14));
    assert_true(fx_close(cell(r, "B", "C", "G"), 9, 1e-14));
    assert_true(fx_close(cell(r, "C", "A", "G"), 12, 1e-14));
    assert_true(fx_close(cell(r, "C", "B", "G"), 8, 1e-14));
    double grow = 400.0 / (b->VA[0] + b->VA[1]);
    assert_true(fx_close(tw_world_value_added(r, 2), b->VA[2] * grow, 1e-12));
    assert_true(fx_close(tw_world_value_added(r, 0), 200, 1e-12));
    assert_true(fx_close(tw_world_value_added(r, 1), 200, 1e-12));
    assert_int_equal(st.absent, 1);
    fx_path(readme, sizeof readme, dir, "out/README.md");
    assert_true(file_has(readme, "C: no row of the totals reaches it"));
    assert_true(file_has(readme, "C: no GDP row reaches it"));
    assert_true(file_has(readme, "totals between members of one region (7) were dropped"));
    tw_world_free(r);
    tw_world_free(w);
}

/* ---- bad inputs: file:line: field, exit 2 ----------------------------------- */

static void expect_cli_error(const char *dir, const char *totals, const char *gdp,
                             const char *extra, const char *text)
{
    char wd[1024], t[1024], g[1024], out[128], errf[128], args[7000];
    fx_path(wd, sizeof wd, dir, "w");
    mkdir(wd, 0777);
    write_ab(wd);
    fx_write_file(fx_path(t, sizeof t, dir, "t.csv"), totals);
    fx_write_file(fx_path(g, sizeof g, dir, "g.csv"), gdp);
    cli_files(dir, out, errf);
    snprintf(args, sizeof args, "rebase --world %s --totals %s --gdp %s --out %s/o %s", wd, t,
             g, dir, extra);
    assert_int_equal(run_cli(args, out, errf), 2);
    if (!file_has(errf, text)) {
        char *s = slurp(errf);
        fail_msg("expected \"%s\" in: %s", text, s ? s : "(nothing)");
    }
    char od[4200];
    assert_false(file_exists(fx_path(od, sizeof od, dir, "o")));
}

static void test_bad_inputs(void **state)
{
    const char *dir = *state;
    const char *gdp = "country,gdp\nA,670\nB,480\n";
    expect_cli_error(dir, "importer,exporter,value\nA,B,40\nB,XX,60\n", gdp, "",
                     "t.csv:3: exporter: unknown country \"XX\"");
    expect_cli_error(dir, "importer,exporter,value\nA,B,40\nB,A,-60\n", gdp, "",
                     "t.csv:3: value: \"-60\" is negative (expected >= 0)");
    expect_cli_error(dir, "importer,exporter,total\nA,B,40\n", gdp, "",
                     "t.csv:1: missing column \"value\"");
    expect_cli_error(dir, "importer,exporter,value\nA,B,40\nB,A,60\n",
                     "country,gdp\nA,670\nB,0\n", "", "g.csv:3: gdp: \"0\" for B is not positive");
    expect_cli_error(dir, "importer,exporter,value\nA,B,40\nB,A,60\n",
                     "code,gdp\nA,670\nB,480\n", "", "g.csv:1: missing column \"country\"");
    expect_cli_error(dir, "importer,exporter,value\nA,B,40\nB,A,60\n",
                     "country,gdp\nA,10\nB,480\n", "", "g.csv: A: GDP 10 is too small for its trade");
    char f[1024], c[1024], extra[2100];
    fx_write_file(fx_path(f, sizeof f, dir, "f.csv"),
                  "importer,exporter,sector,value\nB,A,x,5\n");
    fx_write_file(fx_path(c, sizeof c, dir, "c.csv"), "sector,world_sector\nx,G\n");
    snprintf(extra, sizeof extra, "--sector-flows %s --concordance %s", f, c);
    expect_cli_error(dir, "importer,exporter,value\nA,B,40\nB,A,0\n", gdp, extra,
                     "t.csv:3: value: the total of A->B is 0 but the sector flows have 5");
    fx_write_file(c, "sector,world_sector\nx,S\n");
    expect_cli_error(dir, "importer,exporter,value\nA,B,40\nB,A,60\n", gdp, extra,
                     "c.csv:2: world_sector: \"S\" is not tradable");
    fx_write_file(c, "sector,world_sector\ny,G\n");
    expect_cli_error(dir, "importer,exporter,value\nA,B,40\nB,A,60\n", gdp, extra,
                     "f.csv:2: sector: \"x\" is not in the concordance");
}

static void test_cli_help_and_usage(void **state)
{
    const char *dir = *state;
    char out[128], errf[128];
    cli_files(dir, out, errf);
    assert_int_equal(run_cli("rebase --help", out, errf), 0);
    assert_true(file_has(out, "usage: tradewar rebase"));
    assert_int_equal(run_cli("rebase --totals t.csv --gdp g.csv", out, errf), 2);
    assert_true(file_has(errf, "--out DIR is required"));
    assert_int_equal(run_cli("rebase --totals t.csv --out x --gdp g.csv --sector-flows f.csv",
                             out, errf), 2);
    assert_true(file_has(errf, "--sector-flows and --concordance go together"));
}

/* ---- world2011 onto BACI 2023 ---------------------------------------------- */

/* The folder of the BACI 2023 inputs: data/sources (or $TW_SHARED_DATA). */
static const char *shared_data(char *buf, size_t size)
{
    const char *env = getenv("TW_SHARED_DATA");
    const char *cand[2] = {env, TW_SOURCE_DIR "/data/sources"};
    for (size_t k = 0; k < 2; k++) {
        if (!cand[k]) continue;
        snprintf(buf, size, "%s/baci2023_goods/trade_goods_2023.csv", cand[k]);
        if (file_exists(buf)) {
            snprintf(buf, size, "%s", cand[k]);
            return buf;
        }
    }
    return NULL;
}

/* Target totals of BACI summed to the world's regions (EU members not kept
 * separately into EUR, every other code into ROW, intra-region dropped). */
static double *baci_targets(const tw_world *w, const char *path)
{
    size_t N = tw_world_n_countries(w);
    double *t = calloc(N * N, sizeof *t);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    assert_non_null(t);
    char line[256], eu[] = "AUT BEL BGR CYP CZE DNK EST FIN GRC HUN IRL LTU LUX LVA MLT POL "
                           "PRT ROU SVK SVN SWE";
    assert_non_null(fgets(line, sizeof line, f));
    while (fgets(line, sizeof line, f)) {
        char a[8], b[8];
        double v;
        assert_int_equal(sscanf(line, "%3s,%3s,%lf", a, b, &v), 3);
        long n = tw_world_country_index(w, strstr(eu, a) ? "EUR" : a);
        long i = tw_world_country_index(w, strstr(eu, b) ? "EUR" : b);
        if (n < 0) n = tw_world_country_index(w, "ROW");
        if (i < 0) i = tw_world_country_index(w, "ROW");
        if (n != i) t[(size_t)n * N + (size_t)i] += v;
    }
    fclose(f);
    return t;
}

static double us_share_of(const tw_world *w, const char *from)
{
    const tw_base *b = base_of(w);
    size_t N = b->N, J = b->J, us = (size_t)tw_world_country_index(w, "USA");
    size_t k = (size_t)tw_world_country_index(w, from);
    double all = 0, one = 0;
    for (size_t i = 0; i < N; i++)
        for (size_t j = 0; j < J; j++) {
            if (i == us || !b->tradable[j]) continue;
            double v = b->trade[tw_ix_nij(N, J, us, i, j)];
            all += v;
            if (i == k) one += v;
        }
    return one / all;
}

static void test_world2011_onto_baci(void **state)
{
    const char *dir = *state;
    char sup[1024], totals[1200], gdp[1200];
    if (!shared_data(sup, sizeof sup)) {
        print_message("skipped: data/sources/baci2023_goods is missing\n");
        return;
    }
    snprintf(totals, sizeof totals, "%s/baci2023_goods/trade_goods_2023.csv", sup);
    snprintf(gdp, sizeof gdp, "%s/baci2023_goods/us_tariffs_2025_by_country.csv", sup);
    tw_world *w = fx_load("data/world2011");
    tw_rebase_opts o = {.totals = totals, .gdp = gdp, .gdp_country = "exporter",
                        .gdp_value = "gdp_usd_latest_wdi", .gdp_scale = 1e-6,
                        .countries = FIX "world2011_countries.csv", .rest = "ROW", .year = "2023"};
    tw_rebase_stats st;
    tw_world *r = rebase_into(w, &o, dir, &st);
    const tw_base *b = base_of(r);
    size_t N = b->N, J = b->J, twn = (size_t)tw_world_country_index(r, "TWN");
    double *t = baci_targets(r, totals), worst = 0;
    for (size_t n = 0; n < N; n++)
        for (size_t i = 0; i < N; i++) {
            if (n == i || n == twn || i == twn) continue;
            double s = 0;
            for (size_t j = 0; j < J; j++)
                if (b->tradable[j]) s += b->trade[tw_ix_nij(N, J, n, i, j)];
            worst = fmax(worst, fabs(s - t[n * N + i]) / fmax(t[n * N + i], 1e-300));
        }
    assert_true(worst < 1e-6);
    assert_int_equal(st.absent, 1);
    print_message("US imports from China: %.4f of goods imports before, %.4f after; "
                  "%zu rounds at most, %zu held, residual %.3g, worst total %.3g\n",
                  us_share_of(w, "CHN"), us_share_of(r, "CHN"), st.iterations, st.held_at_zero,
                  st.max_residual, worst);
    tw_result *res = fx_solve(r, NULL, TW_DEFICITS_KEEP, TW_METHOD_NEWTON);
    for (size_t n = 0; n < N; n++) assert_true(fabs(tw_result_welfare_hat(res, n) - 1) <= 1e-12);
    tw_result_free(res);
    free(t);
    tw_world_free(r);
    tw_world_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        fx_scratch_test(test_identity_world2011),
        fx_scratch_test(test_identity_world2011_full),
        fx_scratch_test(test_two_countries_known),
        fx_scratch_test(test_domestic_held_at_zero),
        fx_scratch_test(test_sector_mix),
        fx_scratch_test(test_absent_region_and_rest),
        fx_scratch_test(test_bad_inputs),
        fx_scratch_test(test_cli_help_and_usage),
        fx_scratch_test(test_world2011_onto_baci),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_import_aggregate.c - merging countries and sectors (src/world/aggregate.c)
 * and the aggregate subcommand.
 *
 * Identities: world totals and each group's deficit, value added and tariff
 * revenue are the sums of its members'; merging two countries that are exact
 * copies of each other and solving a shock that treats them alike gives the
 * results of the unmerged world within 1e-8.  Tests run from the repository
 * root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tradewar/policy.h"
#include <sys/stat.h>

#include "helpers.h"

#define FIX "tests/data/import/"

/* AAA and BBB are copies of each other (same flows with CCC, same inputs, the
 * same tariffs, none between them); CCC is different. */
static void write_twin_world(const char *dir)
{
    fx_write_in(dir, "countries.csv", "code,name\nAAA,Alpha\nBBB,Beta\nCCC,Gamma\n");
    fx_write_in(dir, "sectors.csv", "code,name,theta,tradable\nG,Goods,5,1\nS,Services,3,0\n");
    fx_write_in(dir, "trade.csv",
        "importer,exporter,sector,value\n"
        "AAA,AAA,G,100\nAAA,BBB,G,20\nAAA,CCC,G,15\n"
        "BBB,AAA,G,20\nBBB,BBB,G,100\nBBB,CCC,G,15\n"
        "CCC,AAA,G,12\nCCC,BBB,G,12\nCCC,CCC,G,200\n"
        "AAA,AAA,S,150\nAAA,BBB,S,3\nAAA,CCC,S,4\n"
        "BBB,AAA,S,3\nBBB,BBB,S,150\nBBB,CCC,S,4\n"
        "CCC,AAA,S,2\nCCC,BBB,S,2\nCCC,CCC,S,300\n");
    fx_write_in(dir, "tariffs.csv",
        "importer,exporter,sector,rate\n"
        "AAA,CCC,G,0.05\nBBB,CCC,G,0.05\nCCC,AAA,G,0.08\nCCC,BBB,G,0.08\n");
    fx_write_in(dir, "io.csv",
        "country,input,output,share\n"
        "AAA,G,G,0.3\nAAA,S,G,0.2\nAAA,G,S,0.1\nAAA,S,S,0.25\n"
        "BBB,G,G,0.3\nBBB,S,G,0.2\nBBB,G,S,0.1\nBBB,S,S,0.25\n"
        "CCC,G,G,0.25\nCCC,S,G,0.15\nCCC,G,S,0.1\nCCC,S,S,0.2\n");
    fx_write_in(dir, "meta.csv", "key,value\nunits,model units\n");
}

static tw_result *solve_file(const tw_world *w, const char *cf)
{
    tw_error err;
    tw_shock *s = tw_shock_create(w, &err);
    assert_non_null(s);
    if (tw_shock_load_tariffs(s, cf, &err) != TW_OK) fail_msg("%s: %s", cf, err.msg);
    tw_solver *sv = tw_solver_create(w, &err);
    tw_result *r = tw_solver_run(sv, s, &err);
    if (!r) fail_msg("solve: %s", err.msg);
    tw_solver_free(sv);
    tw_shock_free(s);
    return r;
}

static void same(const char *what, double a, double b)
{
    if (fabs(a - b) > 1e-8) fail_msg("%s: %.12g before merging, %.12g after", what, a, b);
}

static void test_merging_exact_copies_gives_the_same_results(void **state)
{
    const char *dir = *state;
    char twin[128], merged[128];
    fx_path(twin, sizeof twin, dir, "twin");
    fx_path(merged, sizeof merged, dir, "merged");
    assert_int_equal(mkdir(twin, 0777), 0);
    write_twin_world(twin);
    fx_write_in(dir, "map.csv", "code,group,name\nAAA,AB,Alpha and Beta\nBBB,AB,\nCCC,CCC,\n");
    fx_write_in(dir, "cf.csv", "importer,exporter,sector,rate\nCCC,AAA,G,0.3\nCCC,BBB,G,0.3\n"
                       "AAA,CCC,*,0.2\nBBB,CCC,*,0.2\n");
    fx_write_in(dir, "cf_merged.csv", "importer,exporter,sector,rate\nCCC,AB,G,0.3\nAB,CCC,*,0.2\n");
    char map[128], cf[128], cfm[128];
    fx_path(map, sizeof map, dir, "map.csv");
    fx_path(cf, sizeof cf, dir, "cf.csv");
    fx_path(cfm, sizeof cfm, dir, "cf_merged.csv");

    tw_world *w = fx_load(twin);
    tw_error err;
    tw_draft *d = tw_aggregate(w, map, NULL, &err);
    if (!d) fail_msg("aggregate: %s", err.msg);
    assert_int_equal(tw_draft_n_repairs(d), 0);
    tw_world *m = write_and_load(d, merged);
    assert_int_equal(tw_world_n_countries(m), 2);
    assert_string_equal(tw_world_country_name(m, 0), "Alpha and Beta");
    assert_string_equal(tw_world_country_name(m, 1), "Gamma");

    tw_result *r = solve_file(w, cf), *rm = solve_file(m, cfm);
    const size_t A = 0, B = 1, C = 2, AB = 0, CM = 1, J = 2;
    assert_true(fabs(tw_result_welfare_hat(r, C) - 1) > 1e-4); /* the shock bites */
    assert_true(fabs(tw_result_welfare_hat(r, A) - 1) > 1e-4);
    same("welfare A = B", tw_result_welfare_hat(r, A), tw_result_welfare_hat(r, B));
    same("welfare AB", tw_result_welfare_hat(r, A), tw_result_welfare_hat(rm, AB));
    same("welfare C", tw_result_welfare_hat(r, C), tw_result_welfare_hat(rm, CM));
    same("real wage AB", tw_result_real_wage_hat(r, A), tw_result_real_wage_hat(rm, AB));
    same("real wage C", tw_result_real_wage_hat(r, C), tw_result_real_wage_hat(rm, CM));
    same("income C", tw_result_income_hat(r, C), tw_result_income_hat(rm, CM));
    same("wage ratio", tw_result_w_hat(r)[C] / tw_result_w_hat(r)[A],
         tw_result_w_hat(rm)[CM] / tw_result_w_hat(rm)[AB]);
    for (size_t j = 0; j < J; j++) {
        same("P AB", tw_result_P_hat(r)[A * J + j], tw_result_P_hat(rm)[AB * J + j]);
        same("P C", tw_result_P_hat(r)[C * J + j], tw_result_P_hat(rm)[CM * J + j]);
    }
    same("tariff revenue C", tw_result_tariff_revenue(r, C, 1), tw_result_tariff_revenue(rm, CM, 1));
    same("tariff revenue AB",
         tw_result_tariff_revenue(r, A, 1) + tw_result_tariff_revenue(r, B, 1),
         tw_result_tariff_revenue(rm, AB, 1));
    tw_result_free(r);
    tw_result_free(rm);
    tw_world_free(m);
    tw_world_free(w);
}

static double total(const double *v, size_t n)
{
    double s = 0;
    for (size_t k = 0; k < n; k++) s += v[k];
    return s;
}

static void test_aggregating_world2011_preserves_totals(void **state)
{
    const char *dir = *state;
    char out[128], cmap[128], smap[128];
    fx_path(out, sizeof out, dir, "w");
    fx_path(cmap, sizeof cmap, dir, "countries.csv");
    fx_path(smap, sizeof smap, dir, "sectors.csv");
    tw_world *w = fx_load("data/world2011");
    const tw_base *b = w->base;
    size_t N = b->N, J = b->J;
    const char *eu[] = {"DEU", "FRA", "ITA", "ESP", "NLD", "EUR"};
    FILE *f = fopen(cmap, "w");
    fputs("code,group,name\n", f);
    for (size_t n = 0; n < N; n++) {
        int in_eu = 0;
        for (size_t q = 0; q < 6; q++) in_eu |= !strcmp(w->ccode[n], eu[q]);
        fprintf(f, "%s,%s,%s\n", w->ccode[n], in_eu ? "EU" : w->ccode[n], in_eu ? "European Union" : "");
    }
    fclose(f);
    /* goods 0-13 into three groups, services into one */
    f = fopen(smap, "w");
    fputs("code,group\n", f);
    for (size_t j = 0; j < J; j++)
        fprintf(f, "%s,%s\n", w->scode[j], !b->tradable[j] ? "SERV" : j < 3 ? "PRIM" : j < 9 ? "LIGHT" : "HEAVY");
    fclose(f);
    tw_error err;
    tw_draft *d = tw_aggregate(w, cmap, smap, &err);
    if (!d) fail_msg("aggregate: %s", err.msg);
    assert_int_equal(tw_draft_n_repairs(d), 0);
    tw_world *a = write_and_load(d, out);
    const tw_base *g = a->base;
    size_t G = g->N, S = g->J;
    assert_int_equal(G, N - 5);
    assert_int_equal(S, 4);
    /* totals: trade, gross output, value added, revenue, deficits */
    assert_true(fx_close(total(g->trade, G * G * S), total(b->trade, N * N * J), 1e-12));
    assert_true(fx_close(total(g->Y, G * S), total(b->Y, N * J), 1e-12));
    assert_true(fx_close(total(g->VA, G), total(b->VA, N), 1e-12));
    assert_true(fx_close(total(g->R, G), total(b->R, N), 1e-12));
    long EU = tw_world_country_index(a, "EU");
    double deu = 0, vau = 0, reu = 0;
    for (size_t n = 0; n < N; n++) {
        int in_eu = 0;
        for (size_t q = 0; q < 6; q++) in_eu |= !strcmp(w->ccode[n], eu[q]);
        if (!in_eu) {
            long k = tw_world_country_index(a, w->ccode[n]);
            assert_true(fx_close(g->D[k], b->D[n], 1e-12));
            assert_true(fx_close(g->VA[k], b->VA[n], 1e-12));
            assert_string_equal(a->cname[k], w->cname[n]);
            continue;
        }
        deu += b->D[n];
        vau += b->VA[n];
        reu += b->R[n];
    }
    assert_true(fx_close(g->D[EU], deu, 1e-12));
    assert_true(fx_close(g->VA[EU], vau, 1e-12));
    assert_true(fx_close(g->R[EU], reu, 1e-12));
    /* theta of LIGHT: members' theta weighted by world exports */
    long light = tw_world_sector_index(a, "LIGHT");
    double num = 0, den = 0;
    for (size_t j = 3; j < 9; j++)
        for (size_t n = 0; n < N; n++)
            for (size_t i = 0; i < N; i++)
                if (n != i) {
                    num += b->trade[tw_ix_nij(N, J, n, i, j)] * b->theta[j];
                    den += b->trade[tw_ix_nij(N, J, n, i, j)];
                }
    assert_true(fx_close(g->theta[light], num / den, 1e-12));
    assert_int_equal(g->tradable[tw_world_sector_index(a, "SERV")], 0);
    /* a group tariff is revenue / trade over the member cells */
    long usa = tw_world_country_index(w, "USA"), chn = tw_world_country_index(w, "CHN");
    double rev = 0, tr = 0;
    for (size_t j = 3; j < 9; j++) {
        size_t c = tw_ix_nij(N, J, chn, usa, j);
        rev += b->tau[c] * b->trade[c];
        tr += b->trade[c];
    }
    size_t c = tw_ix_nij(G, S, tw_world_country_index(a, "CHN"), tw_world_country_index(a, "USA"), light);
    assert_true(fx_close(g->tau[c], rev / tr, 1e-12));
    check_zero_shock(a, 1e-10);
    tw_world_free(a);
    tw_world_free(w);
}

static void test_identity_aggregation_keeps_supplied_shares(void **state)
{
    const char *dir = *state;
    tw_world *w = fx_load("data/cp1993");
    tw_error err;
    tw_draft *d = tw_aggregate(w, NULL, NULL, &err);
    assert_non_null(d);
    assert_int_equal(tw_draft_write(d, dir, &err), TW_OK);
    char path[128];
    fx_path(path, sizeof path, dir, "final_demand.csv");
    assert_true(file_exists(path));
    tw_world *back = fx_load(dir);
    check_same_world(w, back, 1e-9);
    tw_world_free(back);
    tw_world_free(w);
    tw_draft_free(d);
}

/* The household files are carried: consumption summed over members and
 * sectors, a group's count only when every member has one (else a note). */
static void test_household_files_are_summed(void **state)
{
    const char *dir = *state;
    char twin[128], out[128], map[128], smap[128];
    fx_path(twin, sizeof twin, dir, "twin");
    fx_path(out, sizeof out, dir, "out");
    fx_path(map, sizeof map, dir, "map.csv");
    fx_path(smap, sizeof smap, dir, "smap.csv");
    assert_int_equal(mkdir(twin, 0777), 0);
    write_twin_world(twin);
    fx_write_in(twin, "meta.csv", "key,value\nyear,2024\nunits,USD million\n");
    fx_write_in(twin, "household_consumption.csv",
                "country,sector,value\nAAA,G,3\nBBB,G,4.5\nBBB,S,1\nCCC,S,2\n");
    fx_write_in(twin, "households.csv", "country,households,year,source\nAAA,10,2024,x\n"
                                        "CCC,7,2024,y\n");
    fx_write_in(dir, "map.csv", "code,group\nAAA,AB\nBBB,AB\nCCC,CCC\n");
    fx_write_in(dir, "smap.csv", "code,group\nG,ALL\nS,ALL\n");
    tw_world *w = fx_load(twin);
    tw_error err;
    tw_draft *d = tw_aggregate(w, map, smap, &err);
    if (!d) fail_msg("aggregate: %s", err.msg);
    int noted = 0;
    for (size_t k = 0; k < tw_draft_n_notes(d); k++)
        noted |= strcmp(tw_draft_note(d, k), "households of AB are not given: 1 of its 2 members "
                                             "have a count in households.csv") == 0;
    assert_true(noted);
    tw_world *m = write_and_load(d, out);
    const tw_base *g = m->base;
    assert_non_null(g->hh);
    assert_true(g->hh[0] == 8.5);
    assert_true(g->hh[1] == 2);
    assert_true(isnan(g->households[0]));
    assert_true(g->households[1] == 7);
    char *csv = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&csv, &len);
    assert_non_null(f);
    assert_int_equal(tw_export_world(f, m, TW_EXPORT_CSV, &err), TW_OK);
    fclose(f);
    assert_non_null(strstr(csv, "\nhousehold_consumption,AB,,ALL,,8.5,USD million\n"));
    assert_non_null(strstr(csv, "\nhouseholds,CCC,,,,7,households\n"));
    assert_null(strstr(csv, "\nhouseholds,AB,"));
    free(csv);
    tw_world_free(m);
    tw_world_free(w);
    /* every member counted: the group has the sum */
    fx_write_in(twin, "households.csv", "country,households,year,source\nAAA,10,2024,x\n"
                                        "BBB,5.5,2024,x\nCCC,7,2024,y\n");
    w = fx_load(twin);
    d = tw_aggregate(w, map, NULL, &err);
    if (!d) fail_msg("aggregate: %s", err.msg);
    m = write_and_load(d, out);
    assert_true(m->base->households[0] == 15.5);
    assert_true(m->base->households[1] == 7);
    assert_true(m->base->hh[tw_ix_nj(2, 0, 0)] == 7.5);
    tw_world_free(m);
    tw_world_free(w);
}

static void expect_map_error(const char *cmap, const char *smap, const char *text)
{
    tw_world *w = fx_load("tests/data/good/tiny3x2");
    tw_error err;
    assert_null(tw_aggregate(w, cmap, smap, &err));
    fx_expect_error(&err, TW_EINPUT, text);
    tw_world_free(w);
}

static void test_every_code_must_be_mapped_exactly_once(void **state)
{
    (void)state;
    expect_map_error(FIX "map_twice.csv", NULL,
                     FIX "map_twice.csv:4: country \"USA\" is mapped twice (first on line 2)");
    expect_map_error(FIX "map_unknown.csv", NULL,
                     FIX "map_unknown.csv:3: unknown country \"CAN\" (not in the world)");
    expect_map_error(FIX "map_missing.csv", NULL,
                     FIX "map_missing.csv: country \"CHN\" is not mapped (expected every country "
                     "of the world on one row)");
    /* all sectors into one: the merged sector mixes tradable and not, and notes it */
    tw_world *w = fx_load("tests/data/good/tiny3x2");
    tw_error err;
    tw_draft *d = tw_aggregate(w, NULL, FIX "map_sectors_all.csv", &err);
    assert_non_null(d);
    assert_int_equal(tw_draft_n_sectors(d), 1);
    assert_non_null(strstr(tw_draft_note(d, 0), "sector ALL merges 2 sectors: theta"));
    tw_draft_free(d);
    tw_world_free(w);
}

static void test_cli_aggregate_writes_a_valid_world(void **state)
{
    const char *dir = *state;
    char args[400], out[128], errf[128], w[128];
    cli_files(dir, out, errf);
    fx_path(w, sizeof w, dir, "w");
    snprintf(args, sizeof args, "aggregate --world tests/data/good/tiny3x2 --sectors "
             FIX "map_sectors_all.csv --out %s", w);
    assert_int_equal(run_cli(args, out, errf), 0);
    assert_true(file_has(out, ": 3 countries x 1 sectors\n"));
    snprintf(args, sizeof args, "aggregate --world tests/data/good/tiny3x2 --countries "
             FIX "map_twice.csv --out %s/w2", dir);
    assert_int_equal(run_cli(args, out, errf), 2);
    assert_true(file_has(errf, "tradewar: " FIX "map_twice.csv:4: country \"USA\" is mapped twice"));
    assert_int_equal(run_cli("aggregate --world tests/data/good/tiny3x2 --out /tmp/x", out, errf), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        fx_scratch_test(test_merging_exact_copies_gives_the_same_results),
        fx_scratch_test(test_aggregating_world2011_preserves_totals),
        fx_scratch_test(test_identity_aggregation_keeps_supplied_shares),
        fx_scratch_test(test_household_files_are_summed),
        cmocka_unit_test(test_every_code_must_be_mapped_exactly_once),
        fx_scratch_test(test_cli_aggregate_writes_a_valid_world),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

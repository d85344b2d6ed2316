/* test_etr.c - effective tariff rates and tariff revenue over GDP
 * (docs/model.md §3, "Effective tariff rates") against a hand computation
 * from the world's files, the counterfactual flows, a zero shock and the
 * closed forms of a tiny world. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tradewar/report.h"
#include "tradewar/scenario.h"
#include "tradewar/solve.h"
#include "tradewar/world.h"
#include "../common/fixtures.h"

#define DATA TW_SOURCE_DIR "/data"
#define WORLD DATA "/world2011"
#define SHOCK DATA "/scenarios/us_china_145_125.csv"

/* ---- the hand computation: the files read here, not by the library ------- */

#define MAXC 32
#define MAXS 32

typedef struct files {
    size_t N, J;
    char country[MAXC][16], sector[MAXS][16];
    int tradable[MAXS];
    double trade[MAXC][MAXC][MAXS], tau[MAXC][MAXC][MAXS], tau1[MAXC][MAXC][MAXS];
} files;

static FILE *open_csv(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) fail_msg("cannot open %s", path);
    char line[1024];
    if (!fgets(line, sizeof line, f)) fail_msg("%s is empty", path); /* the header */
    return f;
}

static size_t code_index(char (*codes)[16], size_t n, const char *code)
{
    for (size_t k = 0; k < n; k++)
        if (strcmp(codes[k], code) == 0) return k;
    fail_msg("unknown code %s", code);
    return 0;
}

/* importer,exporter,sector,number rows into a[n][i][j]; "*" in the
 * counterfactual: every exporter but the importer, every tradable sector. */
static void read_cells(files *F, const char *path, double (*a)[MAXC][MAXS])
{
    FILE *f = open_csv(path);
    char n[16], i[16], j[16];
    double v;
    while (fscanf(f, " %15[^,],%15[^,],%15[^,],%lf", n, i, j, &v) == 4) {
        size_t nn = code_index(F->country, F->N, n);
        for (size_t ii = 0; ii < F->N; ii++) {
            if (strcmp(i, "*") ? strcmp(i, F->country[ii]) != 0 : ii == nn) continue;
            for (size_t jj = 0; jj < F->J; jj++) {
                if (strcmp(j, "*") ? strcmp(j, F->sector[jj]) != 0 : !F->tradable[jj]) continue;
                a[nn][ii][jj] = v;
            }
        }
    }
    fclose(f);
}

static files *read_files(const char *dir, const char *cf)
{
    files *F = calloc(1, sizeof *F);
    assert_non_null(F);
    char path[512], line[1024];
    snprintf(path, sizeof path, "%s/countries.csv", dir);
    FILE *f = open_csv(path);
    while (fgets(line, sizeof line, f) && F->N < MAXC)
        if (sscanf(line, "%15[^,]", F->country[F->N]) == 1) F->N++;
    fclose(f);
    snprintf(path, sizeof path, "%s/sectors.csv", dir);
    f = open_csv(path);
    while (fgets(line, sizeof line, f) && F->J < MAXS) {
        /* code,name,theta,tradable: the name may hold quoted commas, the flag is last */
        if (sscanf(line, "%15[^,]", F->sector[F->J]) != 1) continue;
        const char *last = strrchr(line, ',');
        F->tradable[F->J++] = last && atoi(last + 1) == 1;
    }
    fclose(f);
    snprintf(path, sizeof path, "%s/trade.csv", dir);
    read_cells(F, path, F->trade);
    snprintf(path, sizeof path, "%s/tariffs.csv", dir);
    read_cells(F, path, F->tau);
    memcpy(F->tau1, F->tau, sizeof F->tau);
    if (cf) read_cells(F, cf, F->tau1);
    return F;
}

/* sum rate * trade / sum trade over n's goods imports */
static double hand_etr(const files *F, double (*rate)[MAXC][MAXS], size_t n)
{
    double s = 0, m = 0;
    for (size_t i = 0; i < F->N; i++)
        for (size_t j = 0; j < F->J; j++)
            if (i != n && F->tradable[j]) {
                s += rate[n][i][j] * F->trade[n][i][j];
                m += F->trade[n][i][j];
            }
    return s / m;
}

static double column(const tw_result *r, tw_report_level level, const char *name, size_t a,
                     size_t b)
{
    const tw_column *c = tw_report_column_find(level, name);
    if (!c) fail_msg("no column %s", name);
    return tw_column_value(c, r, a, b, 0);
}

/* ---- world2011, USA 145 % on China, China 125 % on the USA ----------------- */

typedef struct fixture {
    tw_world *w;
    tw_result *r;
    files *F;
    size_t usa, chn;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->w = fx_load(WORLD);
    f->r = fx_solve(f->w, SHOCK, TW_DEFICITS_KEEP, TW_METHOD_NEWTON);
    f->F = read_files(WORLD, SHOCK);
    f->usa = (size_t)tw_world_country_index(f->w, "USA");
    f->chn = (size_t)tw_world_country_index(f->w, "CHN");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    tw_result_free(f->r);
    tw_world_free(f->w);
    free(f->F);
    free(f);
    return 0;
}

static void test_us_etr_pre_and_base_equal_the_hand_computation(void **state)
{
    fixture *f = *state;
    files *F = f->F;
    assert_int_equal(F->N, tw_world_n_countries(f->w));
    assert_int_equal(F->J, tw_world_n_sectors(f->w));
    double pre = hand_etr(F, F->tau1, f->usa), base = hand_etr(F, F->tau, f->usa);
    double got_pre = column(f->r, TW_LEVEL_COUNTRY, "etr_pre_pct", f->usa, 0);
    double got_base = column(f->r, TW_LEVEL_COUNTRY, "etr_base_pct", f->usa, 0);
    if (!fx_close(got_pre, 100 * pre, 1e-12) || !fx_close(got_base, 100 * base, 1e-12))
        fail_msg("USA etr_pre %.15g (hand %.15g), etr_base %.15g (hand %.15g)", got_pre, 100 * pre,
                 got_base, 100 * base);
    /* the shock moves it: 145 % on a fifth of US goods imports */
    assert_true(got_pre > 20 && got_pre < 35);
    assert_true(got_base > 1 && got_base < 4);
    /* every country, and the bilateral rate of the USA on China: 145 % */
    for (size_t n = 0; n < F->N; n++)
        assert_true(fx_close(100 * tw_result_etr(f->r, TW_ETR_PRE, n, TW_ETR_ALL, TW_ETR_ALL),
                             100 * hand_etr(F, F->tau1, n), 1e-12));
    assert_float_equal(column(f->r, TW_LEVEL_PAIR, "etr_pre_pct", f->usa, f->chn), 145.0, 1e-12);
    assert_float_equal(column(f->r, TW_LEVEL_PAIR, "etr_pre_pct", f->chn, f->usa), 125.0, 1e-12);
}

static void test_etr_post_is_the_rate_on_the_new_flows(void **state)
{
    fixture *f = *state;
    const tw_result *r = f->r;
    size_t N = tw_world_n_countries(f->w), J = tw_world_n_sectors(f->w);
    const double *t1 = tw_result_trade(r, 1), *tau = tw_result_tariffs(r);
    for (size_t n = 0; n < N; n++) {
        double s = 0, m = 0, goods = 0;
        for (size_t i = 0; i < N; i++)
            for (size_t j = 0; j < J; j++) {
                size_t c = (n * N + i) * J + j;
                if (i == n || !tw_world_sector_tradable(f->w, j)) continue;
                s += tau[c] * t1[c];
                m += t1[c];
                goods += t1[c];
            }
        double post = column(r, TW_LEVEL_COUNTRY, "etr_post_pct", n, 0);
        assert_true(fx_close(post, 100 * s / m, 1e-12));
        /* tariffs fall on goods only: the rate after substitution is revenue over goods imports */
        assert_true(fx_close(post, 100 * tw_result_tariff_revenue(r, n, 1) / goods, 1e-9));
    }
    /* the USA buys less from China at 145 %, so its rate after substitution is lower */
    double pre = column(r, TW_LEVEL_COUNTRY, "etr_pre_pct", f->usa, 0);
    double post = column(r, TW_LEVEL_COUNTRY, "etr_post_pct", f->usa, 0);
    double base = column(r, TW_LEVEL_COUNTRY, "etr_base_pct", f->usa, 0);
    assert_true(post < pre && post > base);
    /* a uniform bilateral rate is the rate whatever the weights */
    assert_float_equal(column(r, TW_LEVEL_PAIR, "etr_post_pct", f->usa, f->chn), 145.0, 1e-9);
}

static void test_levels_agree_pair_sector_and_revenue(void **state)
{
    fixture *f = *state;
    const tw_result *r = f->r;
    size_t N = tw_world_n_countries(f->w), J = tw_world_n_sectors(f->w);
    for (tw_etr k = TW_ETR_BASE; k <= TW_ETR_POST; k++) {
        const double *flow = tw_result_trade(r, k == TW_ETR_POST);
        /* the country rate is the pairs' rates weighted by the pairs' goods imports, and
         * the sectors' rates weighted by the sectors' imports */
        double by_pair = 0, by_sector = 0, m = 0;
        for (size_t i = 0; i < N; i++) {
            double g = 0;
            for (size_t j = 0; j < J; j++)
                if (i != f->usa && tw_world_sector_tradable(f->w, j)) g += flow[(f->usa * N + i) * J + j];
            by_pair += g * tw_result_etr(r, k, f->usa, i, TW_ETR_ALL);
            m += g;
        }
        for (size_t j = 0; j < J; j++) {
            double g = 0;
            for (size_t i = 0; i < N; i++)
                if (i != f->usa) g += flow[(f->usa * N + i) * J + j];
            by_sector += g * tw_result_etr(r, k, f->usa, TW_ETR_ALL, j);
            if (!tw_world_sector_tradable(f->w, j))
                assert_true(tw_result_etr(r, k, f->usa, TW_ETR_ALL, j) == 0.0);
        }
        double all = tw_result_etr(r, k, f->usa, TW_ETR_ALL, TW_ETR_ALL);
        assert_true(fx_close(by_pair / m, all, 1e-12));
        assert_true(fx_close(by_sector / m, all, 1e-12));
    }
    /* the timeline's average tariff is the bilateral rate before substitution */
    for (size_t n = 0; n < N; n++)
        for (size_t i = 0; i < N; i++)
            assert_true(tw_average_tariff(f->w, tw_result_tariffs(r), n, i) ==
                        tw_result_etr(r, TW_ETR_PRE, n, i, TW_ETR_ALL));
    /* revenue over GDP: GDP is value added, w_hat VA in the new equilibrium */
    double va = tw_world_value_added(f->w, f->usa);
    double gdp0 = column(r, TW_LEVEL_COUNTRY, "tariff_revenue_gdp_base_pct", f->usa, 0);
    double gdp1 = column(r, TW_LEVEL_COUNTRY, "tariff_revenue_gdp_pct", f->usa, 0);
    assert_true(fx_close(gdp0, 100 * tw_result_tariff_revenue(r, f->usa, 0) / va, 1e-12));
    assert_true(fx_close(gdp1, 100 * tw_result_tariff_revenue(r, f->usa, 1) /
                                   (tw_result_w_hat(r)[f->usa] * va), 1e-12));
    double r0 = tw_result_tariff_revenue(r, f->usa, 0), r1 = tw_result_tariff_revenue(r, f->usa, 1);
    assert_true(fx_close(column(r, TW_LEVEL_COUNTRY, "tariff_revenue_change", f->usa, 0), r1 - r0, 1e-12));
    assert_true(fx_close(column(r, TW_LEVEL_COUNTRY, "tariff_revenue_pct", f->usa, 0),
                         100 * (r1 / r0 - 1), 1e-12));
}

static void test_zero_shock_gives_one_rate(void **state)
{
    fixture *f = *state;
    tw_result *r = fx_solve(f->w, NULL, TW_DEFICITS_KEEP, TW_METHOD_NEWTON);
    size_t N = tw_world_n_countries(f->w);
    for (size_t n = 0; n < N; n++) {
        double base = column(r, TW_LEVEL_COUNTRY, "etr_base_pct", n, 0);
        assert_true(column(r, TW_LEVEL_COUNTRY, "etr_pre_pct", n, 0) == base);
        assert_true(fx_close(column(r, TW_LEVEL_COUNTRY, "etr_post_pct", n, 0), base, 1e-9));
        assert_true(fx_close(column(r, TW_LEVEL_COUNTRY, "tariff_revenue_gdp_pct", n, 0),
                             column(r, TW_LEVEL_COUNTRY, "tariff_revenue_gdp_base_pct", n, 0), 1e-9));
        assert_true(fx_close(base, 100 * hand_etr(f->F, f->F->tau, n), 1e-12));
    }
    tw_result_free(r);
}

/* ---- a tiny world with closed forms ----------------------------------------- */

/* Three countries; goods G are tradable, services S are not. */
static const char *const tiny[][2] = {
    {"countries.csv", "code,name\nA,Alpha\nB,Beta\nC,Gamma\n"},
    {"sectors.csv", "code,name,theta,tradable\nG,Goods,4,1\nS,Services,3,0\n"},
    {"trade.csv", "importer,exporter,sector,value\n"
                  "A,A,G,200\nA,B,G,100\nA,C,G,300\nA,A,S,400\nA,B,S,50\n"
                  "B,B,G,500\nB,A,G,40\nB,C,G,60\nB,B,S,300\nB,A,S,20\n"
                  "C,C,G,600\nC,A,G,80\nC,B,G,20\nC,C,S,500\nC,A,S,10\n"},
    {"tariffs.csv", "importer,exporter,sector,rate\nA,B,G,0.1\nB,A,G,0.2\nC,A,G,0.05\n"},
    {"raise.csv", "importer,exporter,sector,rate\nA,B,G,0.5\n"},
    {"uniform.csv", "importer,exporter,sector,rate\nA,*,*,0.3\n"},
};

static void test_tiny_world_closed_forms(void **state)
{
    (void)state;
    char dir[512], cf[600];
    fx_scratch(dir, sizeof dir, "etr");
    for (size_t k = 0; k < sizeof tiny / sizeof tiny[0]; k++) fx_write_in(dir, tiny[k][0], tiny[k][1]);
    tw_world *w = fx_load(dir);
    snprintf(cf, sizeof cf, "%s/raise.csv", dir);
    tw_result *r = fx_solve(w, cf, TW_DEFICITS_KEEP, TW_METHOD_NEWTON);
    /* A buys goods for 100 from B at 10 % and 300 from C at 0 %; services are not goods */
    assert_float_equal(tw_result_etr(r, TW_ETR_BASE, 0, TW_ETR_ALL, TW_ETR_ALL), 10.0 / 400, 1e-15);
    assert_float_equal(tw_result_etr(r, TW_ETR_BASE, 1, TW_ETR_ALL, TW_ETR_ALL), 8.0 / 100, 1e-15);
    assert_float_equal(tw_result_etr(r, TW_ETR_BASE, 2, TW_ETR_ALL, TW_ETR_ALL), 4.0 / 100, 1e-15);
    /* 50 % on B's goods, baseline weights */
    assert_float_equal(tw_result_etr(r, TW_ETR_PRE, 0, TW_ETR_ALL, TW_ETR_ALL), 50.0 / 400, 1e-15);
    assert_float_equal(tw_result_etr(r, TW_ETR_PRE, 0, 1, TW_ETR_ALL), 0.5, 1e-15);
    assert_float_equal(tw_result_etr(r, TW_ETR_PRE, 0, 2, TW_ETR_ALL), 0.0, 0);
    assert_float_equal(tw_result_etr(r, TW_ETR_PRE, 0, TW_ETR_ALL, 0), 50.0 / 400, 1e-15);
    assert_float_equal(tw_result_etr(r, TW_ETR_PRE, 0, TW_ETR_ALL, 1), 0.0, 0);
    assert_float_equal(tw_result_etr(r, TW_ETR_PRE, 1, TW_ETR_ALL, TW_ETR_ALL), 8.0 / 100, 1e-15);
    /* after substitution: A buys less from B, so its rate is below 12.5 % */
    const double *t1 = tw_result_trade(r, 1);
    size_t N = 3, J = 2;
    double ab = t1[(0 * N + 1) * J + 0], ac = t1[(0 * N + 2) * J + 0];
    assert_true(fx_close(tw_result_etr(r, TW_ETR_POST, 0, TW_ETR_ALL, TW_ETR_ALL),
                         0.5 * ab / (ab + ac), 1e-14));
    assert_true(ab / (ab + ac) < 0.25);
    /* revenue over GDP: GDP = value added = A's sales (no inputs), 200+400+40+20+80+10 */
    assert_float_equal(tw_result_tariff_revenue_gdp(r, 0, 0), 10.0 / 750, 1e-15);
    assert_true(fx_close(tw_result_tariff_revenue_gdp(r, 0, 1),
                         0.5 * ab / (tw_result_w_hat(r)[0] * 750), 1e-12));
    tw_result_free(r);
    /* a uniform rate on every partner is the rate before and after substitution */
    snprintf(cf, sizeof cf, "%s/uniform.csv", dir);
    r = fx_solve(w, cf, TW_DEFICITS_KEEP, TW_METHOD_NEWTON);
    assert_float_equal(tw_result_etr(r, TW_ETR_PRE, 0, TW_ETR_ALL, TW_ETR_ALL), 0.3, 1e-15);
    assert_float_equal(tw_result_etr(r, TW_ETR_POST, 0, TW_ETR_ALL, TW_ETR_ALL), 0.3, 1e-15);
    /* the world's own tariffs with the world's flows: tw_tariff_rate */
    assert_float_equal(tw_tariff_rate(w, tw_world_tariffs(w), tw_world_trade(w), 0, TW_ETR_ALL,
                                      TW_ETR_ALL), 10.0 / 400, 1e-15);
    assert_float_equal(tw_average_tariff(w, tw_world_tariffs(w), 0, 1), 0.1, 1e-15);
    tw_result_free(r);
    tw_world_free(w);
    fx_remove_tree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_us_etr_pre_and_base_equal_the_hand_computation),
        cmocka_unit_test(test_etr_post_is_the_rate_on_the_new_flows),
        cmocka_unit_test(test_levels_agree_pair_sector_and_revenue),
        cmocka_unit_test(test_zero_shock_gives_one_rate),
        cmocka_unit_test(test_tiny_world_closed_forms),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

/* test_timeline.c - replaying scenarios: layer arithmetic, shares, bans,
 * branches, rules, the average tariff, and agreement with a single solve. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tradewar/policy.h"
#include "tradewar/scenario.h"
#include "tradewar/solve.h"
#include "tradewar/world.h"
#include "core/index.h"
#include "../common/fixtures.h"

#define DATA TW_SOURCE_DIR "/data"

/* The scratch folder of this program: a world of 2 countries, goods G1 G2
 * (tradable) and services S, and the s.tw and m.csv a test writes. */
static char dir[256];

static int setup(void **state)
{
    (void)state;
    fx_scratch(dir, sizeof dir, "timeline");
    fx_write_in(dir, "countries.csv", "code,name\nA,Aland\nB,Bland\n");
    fx_write_in(dir, "sectors.csv", "code,name,theta,tradable\nG1,Goods one,4,1\nG2,Goods two,6,1\nS,Services,5,0\n");
    fx_write_in(dir, "trade.csv", "importer,exporter,sector,value\n"
                                  "A,A,G1,100\nA,B,G1,30\nA,A,G2,80\nA,B,G2,10\nA,A,S,200\nA,B,S,5\n"
                                  "B,B,G1,90\nB,A,G1,20\nB,B,G2,70\nB,A,G2,25\nB,B,S,150\nB,A,S,10\n");
    fx_write_in(dir, "tariffs.csv", "importer,exporter,sector,rate\nA,B,G1,0.2\nA,B,G2,0.05\nB,A,G1,0.1\n");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fx_remove_tree(dir);
    return 0;
}

/* A replayed scenario: the parsed s.tw, its timeline and the world it ran on. */
typedef struct replayed {
    tw_scenario *sc;
    tw_timeline *tl;
    const tw_world *w;
} replayed;

/* Write s.tw with text (and the mapping table m.csv with these rows, unless
 * rows is NULL) and replay it on world with the events in set. */
static replayed replay(const char *world, const char *rows, const char *text, const char *const *set,
                       size_t nset)
{
    char p[600];
    if (rows) {
        snprintf(p, sizeof p, "ref,layer,exporters,importers,sector,share,basis\n%s", rows);
        fx_write_in(dir, "m.csv", p);
    }
    fx_write_in(dir, "s.tw", text);
    snprintf(p, sizeof p, "%s/s.tw", dir);
    tw_error e;
    replayed r = {tw_scenario_load(p, &e), NULL, NULL};
    if (!r.sc) fail_msg("parse: %s:%ld:%ld: %s", e.file, e.line, e.col, e.msg);
    tw_world *w = fx_load(world);
    r.w = w;
    r.tl = tw_timeline_run(r.sc, w, set, nset, NULL, &e);
    if (!r.tl) fail_msg("run: %s:%ld:%ld: %s", e.file, e.line, e.col, e.msg);
    return r;
}

static void done(replayed *r)
{
    tw_timeline_free(r->tl);
    tw_scenario_free(r->sc);
    tw_world_free((tw_world *)r->w);
}

static void test_add_then_remove_restores_the_exact_baseline(void **state)
{
    (void)state;
    replayed rp = replay(dir, ",L,B,A,G2,0.3,test\n,N,A,B,*,0.2,test\n",
        "scenario \"t\"\nfocus A B\nmapping m.csv\n"
        "step 2025-01-01 \"up\"\n  add L B -> A * 37%\n  add L B -> A G2 3% share 0.3\n"
        "  ntb N A -> B * ban 0.2\n"
        "step 2025-02-01 \"down\"\n  remove L\n  remove N\n", NULL, 0);
    const tw_world *w = rp.w;
    size_t nij = 2 * 2 * 3;
    assert_int_equal(tw_timeline_n_steps(rp.tl), 3); /* baseline, up, down */
    assert_memory_equal(tw_timeline_tariffs(rp.tl, 2), tw_world_tariffs(w), nij * sizeof(double));
    for (size_t c = 0; c < nij; c++) assert_true(tw_timeline_dhat(rp.tl, 2)[c] == 1.0);
    assert_true(fabs(tw_timeline_tariffs(rp.tl, 1)[tw_ix_nij(2, 3, 0, 1, 0)] - (0.2 + 0.37)) < 1e-15);
    const tw_result *r = tw_timeline_result(rp.tl, 2);
    for (size_t n = 0; n < 2; n++) assert_true(fabs(tw_result_welfare_hat(r, n) - 1) < 1e-12);
    done(&rp);
}

static void test_share_enters_as_the_trade_weighted_equivalent(void **state)
{
    (void)state;
    replayed rp = replay(dir, ",L,B,A,G2,0.5,test\n",
                         "scenario \"t\"\nfocus A B\nmapping m.csv\n"
                         "step 2025-01-01 \"x\"\n  set L B -> A G2 10% share 0.5\n", NULL, 0);
    const double *t = tw_timeline_tariffs(rp.tl, 1);
    assert_true(fabs(t[tw_ix_nij(2, 3, 0, 1, 1)] - (0.05 + 0.05)) < 1e-15);
    assert_true(t[tw_ix_nij(2, 3, 0, 1, 0)] == 0.2);           /* G1 untouched */
    assert_true(t[tw_ix_nij(2, 3, 0, 1, 2)] == 0.0);           /* services untouched */
    /* average of A on B by hand: (0.2*30 + 0.10*10) / (30 + 10) = 0.175; baseline 0.1625 */
    const tw_world *w = rp.w;
    assert_true(fabs(tw_average_tariff(w, tw_world_tariffs(w), 0, 1) - 0.1625) < 1e-15);
    assert_true(fabs(tw_average_tariff(w, t, 0, 1) - 0.175) < 1e-15);
    /* B on A: only G1 is taxed: 0.1*20 / (20 + 25) */
    assert_true(fabs(tw_average_tariff(w, t, 1, 0) - 2.0 / 45.0) < 1e-15);
    done(&rp);
}

static void test_ban_is_the_iceberg_change_that_removes_that_share(void **state)
{
    (void)state;
    replayed rp = replay(dir, ",N,A,B,G2,0.3,test\n,M,A,B,G1,0.5,test\n",
                         "scenario \"t\"\nfocus A B\nmapping m.csv\n"
                         "step 2025-01-01 \"x\"\n  ntb N A -> B G2 ban 0.3\n"
                         "  ntb M A -> B G1 ave 20% share 0.5\n", NULL, 0);
    const double *d = tw_timeline_dhat(rp.tl, 1);
    /* (1 - 0.3)^(-1/6): at unchanged prices pi falls by exactly 30 % */
    assert_true(fabs(d[tw_ix_nij(2, 3, 1, 0, 1)] - pow(0.7, -1.0 / 6.0)) < 1e-15);
    assert_true(fabs(pow(d[tw_ix_nij(2, 3, 1, 0, 1)], -6.0) - 0.7) < 1e-14);
    assert_true(fabs(d[tw_ix_nij(2, 3, 1, 0, 0)] - 1.1) < 1e-15);
    assert_true(d[tw_ix_nij(2, 3, 0, 1, 1)] == 1.0);
    done(&rp);
}

static void test_exemption_survives_a_later_set_of_the_layer(void **state)
{
    (void)state;
    replayed rp = replay(dir, NULL,
                         "scenario \"t\"\nfocus A B\nstep 2025-01-01 \"x\"\n  set R B -> A * 10%\n"
                         "  exempt R B -> A G2\nstep 2025-02-01 \"y\"\n  set R B -> A * 50%\n", NULL, 0);
    const double *t = tw_timeline_tariffs(rp.tl, 2);
    assert_true(t[tw_ix_nij(2, 3, 0, 1, 1)] == 0.05);
    assert_true(fabs(t[tw_ix_nij(2, 3, 0, 1, 0)] - 0.7) < 1e-15);
    done(&rp);
}

static const char *branchy =
    "scenario \"t\"\nfocus A B\nevent deal \"a deal\"\n"
    "step 2025-01-01 \"war\"\n  set W B -> A * 50%\n  set W A -> B * 40%\n"
    "step 2025-03-01 \"deal\" if deal\n  remove W\n"
    "step 2025-04-01 \"no deal\" if !deal\n  add W B -> A G1 10%\n";

static void test_step_with_if_runs_only_when_its_event_is_set(void **state)
{
    (void)state;
    replayed rp = replay(dir, NULL, branchy, NULL, 0);
    assert_int_equal(tw_timeline_n_steps(rp.tl), 3);
    assert_string_equal(tw_timeline_step_label(rp.tl, 2), "no deal");
    done(&rp);
    const char *set[] = {"deal"};
    rp = replay(dir, NULL, branchy, set, 1);
    assert_int_equal(tw_timeline_n_steps(rp.tl), 3);
    assert_string_equal(tw_timeline_step_label(rp.tl, 2), "deal");
    assert_memory_equal(tw_timeline_tariffs(rp.tl, 2), tw_world_tariffs(rp.w),
                        12 * sizeof(double));
    done(&rp);
}

static void test_unknown_event_on_the_command_line_is_an_error(void **state)
{
    (void)state;
    fx_write_in(dir, "s.tw", branchy);
    char p[300];
    snprintf(p, sizeof p, "%s/s.tw", dir);
    tw_error e;
    tw_scenario *sc = tw_scenario_load(p, &e);
    tw_world *w = fx_load(dir);
    const char *set[] = {"dael"};
    assert_null(tw_timeline_run(sc, w, set, 1, NULL, &e));
    assert_int_equal(e.code, TW_EINPUT);
    assert_string_equal(e.msg, "unknown event \"dael\" (the scenario declares: deal)");
    tw_scenario_free(sc);
    tw_world_free(w);
}

static void test_mirror_rule_answers_after_its_delay_with_the_average(void **state)
{
    (void)state;
    replayed rp = replay(dir, NULL,
                         "scenario \"t\"\nfocus A B\n"
                         "rule mirror B A delay 7 layer M\n"
                         "step 2025-01-30 \"A taxes B\"\n  add T B -> A * 30%\n", NULL, 0);
    assert_int_equal(tw_timeline_n_steps(rp.tl), 3);
    assert_true(tw_timeline_step_is_rule(rp.tl, 2));
    assert_string_equal(tw_timeline_step_date(rp.tl, 2), "2025-02-06");
    const tw_world *w = rp.w;
    const double *t0 = tw_world_tariffs(w), *t = tw_timeline_tariffs(rp.tl, 2);
    double a_added = tw_average_tariff(w, t, 0, 1) - tw_average_tariff(w, t0, 0, 1);
    double b_added = tw_average_tariff(w, t, 1, 0) - tw_average_tariff(w, t0, 1, 0);
    assert_true(fabs(a_added - 0.30) < 1e-15);
    assert_true(fabs(b_added - a_added) < 1e-15);
    done(&rp);
}

/* The last step of the timeline is the equilibrium of its tariff matrix. */
static void test_last_step_equals_a_single_solve_of_its_tariffs(void **state)
{
    (void)state;
    replayed rp = replay(DATA "/world2011",
        ",ag,USA,CHN,AGR,0.4,test\n,ag,USA,CHN,FOOD,0.4,test\n,beef,USA,CHN,FOOD,0.05,test\n",
        "scenario \"t\"\nfocus USA CHN\nmapping m.csv\n"
        "step 2025-02-04 \"a\"\n  set f CHN -> USA * 10%\n"
        "step 2025-03-10 \"b\"\n  add ag USA -> CHN AGR,FOOD 15% share 0.4\n  ntb beef USA -> CHN FOOD ban 0.05\n"
        "step 2025-04-10 \"c\"\n  set r CHN -> USA * 125%\n  set r USA -> CHN * 125%\n"
        "step 2025-05-14 \"d\"\n  set r CHN -> USA * 10%\n  set r USA -> CHN * 10%\n  remove ag\n",
        NULL, 0);
    size_t last = tw_timeline_n_steps(rp.tl) - 1;
    const tw_world *w = rp.w;
    size_t N = tw_world_n_countries(w), J = tw_world_n_sectors(w);
    tw_error e;
    tw_shock *s = tw_shock_create(w, &e);
    const double *tau = tw_timeline_tariffs(rp.tl, last), *dhat = tw_timeline_dhat(rp.tl, last);
    for (size_t n = 0; n < N; n++)
        for (size_t i = 0; i < N; i++)
            for (size_t j = 0; j < J; j++) {
                size_t c = tw_ix_nij(N, J, n, i, j);
                if (n == i || !tw_world_sector_tradable(w, j)) continue;
                assert_int_equal(tw_shock_set_tariff(s, n, i, j, tau[c], &e), TW_OK);
                if (dhat[c] != 1.0) assert_int_equal(tw_shock_scale_ntb(s, n, i, j, dhat[c], &e), TW_OK);
            }
    tw_solver *sv = tw_solver_create(w, &e);
    tw_result *r = tw_solver_run(sv, s, &e);
    assert_non_null(r);
    const tw_result *rt = tw_timeline_result(rp.tl, last);
    for (size_t n = 0; n < N; n++) {
        assert_true(fabs(tw_result_welfare_hat(r, n) - tw_result_welfare_hat(rt, n)) < 1e-9);
        assert_true(fabs(tw_result_w_hat(r)[n] - tw_result_w_hat(rt)[n]) < 1e-9);
    }
    tw_result_free(r);
    tw_solver_free(sv);
    tw_shock_free(s);
    done(&rp);
}

/* A region condition holds when the world being run holds the code: on the
 * two-country world, "if region:B" and "if !region:C" run, "if region:C" and
 * "if !region:B" do not, and an action naming C under "if region:C" is
 * neither resolved nor checked. */
static void test_region_conditions_follow_the_world(void **state)
{
    (void)state;
    static const char *const text =
        "scenario \"t\"\nfocus A B\nevent deal \"a deal\"\n"
        "step 2025-01-01 \"one\"\n"
        "  set W B -> A G1 10% if region:B\n"
        "  set W B -> A G2 20% if !region:C\n"
        "  set W C -> A G1 90% if region:C\n"
        "  set W B -> A G1 70% if !region:B\n"
        "step 2025-02-01 \"only with C\" if region:C\n  set W C,B -> A * 50%\n"
        "step 2025-03-01 \"no C\" if !region:C\n  add W B -> A G1 5% if !deal\n";
    replayed rp = replay(dir, NULL, text, NULL, 0);
    assert_int_equal(tw_timeline_n_steps(rp.tl), 3); /* baseline, one, no C */
    assert_string_equal(tw_timeline_step_label(rp.tl, 2), "no C");
    const double *t0 = tw_world_tariffs(rp.w), *t1 = tw_timeline_tariffs(rp.tl, 1);
    const double *t2 = tw_timeline_tariffs(rp.tl, 2);
    /* cells of A <- B: G1 at 0.2 + 0.10, G2 at 0.05 + 0.20 */
    assert_true(fabs(t1[tw_ix_nij(2, 3, 0, 1, 0)] - (t0[tw_ix_nij(2, 3, 0, 1, 0)] + 0.10)) < 1e-15);
    assert_true(fabs(t1[tw_ix_nij(2, 3, 0, 1, 1)] - (t0[tw_ix_nij(2, 3, 0, 1, 1)] + 0.20)) < 1e-15);
    assert_true(fabs(t2[tw_ix_nij(2, 3, 0, 1, 0)] - (t0[tw_ix_nij(2, 3, 0, 1, 0)] + 0.15)) < 1e-15);
    tw_error e;
    assert_int_equal(tw_scenario_check(rp.sc, rp.w, &e), TW_OK);
    tw_action_info a;
    assert_int_equal(tw_scenario_action(rp.sc, 0, 2, &a), TW_OK);
    assert_string_equal(a.cond, "region:C");
    done(&rp);
}

/* The first step of tl on date (YYYY-MM-DD), or fail. */
static size_t step_on(const tw_timeline *tl, const char *date)
{
    for (size_t k = 0; k < tw_timeline_n_steps(tl); k++)
        if (!strcmp(tw_timeline_step_date(tl, k), date)) return k;
    fail_msg("no step on %s", date);
    return 0;
}

/* Change of the applied rate of USA on exporter ex in sector sec from the
 * step before the first step of date to that step. */
static double rate_change(const tw_timeline *tl, const char *date, const char *ex, const char *sec)
{
    const tw_world *w = tw_timeline_world(tl);
    size_t N = tw_world_n_countries(w), J = tw_world_n_sectors(w), k = step_on(tl, date);
    size_t c = tw_ix_nij(N, J, (size_t)tw_world_country_index(w, "USA"),
                         (size_t)tw_world_country_index(w, ex), (size_t)tw_world_sector_index(w, sec));
    return tw_timeline_tariffs(tl, k)[c] - tw_timeline_tariffs(tl, k - 1)[c];
}

/* The shipped scenario's reciprocal rates for ROW and Viet Nam.  From 10 %
 * (5 April; 9 July), the Annex I step of 9 April and the step of 7 August
 * raise a sector without exemption (AGR, whose first exemption comes in
 * November) by the partner's rate less 10 %: on world2011, where Viet Nam is
 * in ROW, ROW's means over its 155 members (27.2 %, 16.7 %); on world2023
 * Viet Nam's own rates (46 %, 20 %) and the means over the other 154 members
 * of ROW, recomputed from us-china-2025-row-reciprocal.csv here.  Viet Nam
 * also pays the 2018 s232 metals tariffs as ROW does on world2011. */
static void test_the_shipped_scenario_gives_viet_nam_and_row_their_rates(void **state)
{
    (void)state;
    FILE *f = fopen(DATA "/scenarios/us-china-2025-row-reciprocal.csv", "r");
    assert_non_null(f);
    char line[600];
    double m_all = 0, apr_all = 0, aug_all = 0, m_vnm = 0, apr_vnm = 0, aug_vnm = 0;
    assert_non_null(fgets(line, sizeof line, f)); /* member,name,us_imports_2023_musd,weight,rate,rate_basis,rate_aug2025,... */
    while (fgets(line, sizeof line, f)) {
        char *fld[8] = {0}, *s = line;
        int q = 0, n = 0;
        fld[n++] = s;
        for (; *s && n < 8; s++) { /* split on commas outside quotes */
            if (*s == '"') q = !q;
            if (*s == ',' && !q) { *s = '\0'; fld[n++] = s + 1; }
        }
        assert_int_equal(n, 8);
        double m = atof(fld[2]), apr = atof(fld[4]), aug = atof(fld[6]);
        m_all += m, apr_all += m * apr, aug_all += m * aug;
        if (!strcmp(fld[0], "VNM")) m_vnm = m, apr_vnm = apr, aug_vnm = aug;
    }
    fclose(f);
    assert_true(m_vnm > 0 && fabs(apr_vnm - 0.46) < 1e-12 && fabs(aug_vnm - 0.20) < 1e-12);
    double apr_row = (apr_all - m_vnm * apr_vnm) / (m_all - m_vnm);
    double aug_row = (aug_all - m_vnm * aug_vnm) / (m_all - m_vnm);
    static const char *const path = DATA "/scenarios/us-china-2025.tw";
    replayed w11 = {tw_scenario_load(path, NULL), NULL, fx_load(DATA "/world2011")};
    replayed w23 = {tw_scenario_load(path, NULL), NULL, fx_load(DATA "/world2023")};
    tw_error e;
    w11.tl = tw_timeline_run(w11.sc, w11.w, NULL, 0, NULL, &e);
    w23.tl = tw_timeline_run(w23.sc, w23.w, NULL, 0, NULL, &e);
    assert_non_null(w11.tl);
    assert_non_null(w23.tl);
    /* the file states the means to 0.1 pp */
    assert_true(fabs(apr_all / m_all - 0.272) < 0.0005 && fabs(aug_all / m_all - 0.167) < 0.0005);
    assert_true(fabs(apr_row - 0.222) < 0.0005 && fabs(aug_row - 0.158) < 0.0005);
    assert_true(fabs(rate_change(w11.tl, "2025-04-09", "ROW", "AGR") - (0.272 - 0.10)) < 1e-12);
    assert_true(fabs(rate_change(w11.tl, "2025-08-07", "ROW", "AGR") - (0.167 - 0.10)) < 1e-12);
    assert_true(fabs(rate_change(w23.tl, "2025-04-09", "ROW", "AGR") - (0.222 - 0.10)) < 1e-12);
    assert_true(fabs(rate_change(w23.tl, "2025-08-07", "ROW", "AGR") - (0.158 - 0.10)) < 1e-12);
    assert_true(fabs(rate_change(w23.tl, "2025-04-09", "VNM", "AGR") - (0.46 - 0.10)) < 1e-12);
    assert_true(fabs(rate_change(w23.tl, "2025-08-07", "VNM", "AGR") - (0.20 - 0.10)) < 1e-12);
    /* on 10 April both go back to the 10 % of every partner */
    assert_true(fabs(rate_change(w23.tl, "2025-04-10", "VNM", "AGR") + (0.46 - 0.10)) < 1e-12);
    /* s232 metals: the status quo adds nothing to world2023 (it holds the
     * layer for VNM too), and from 12 March VNM pays what ROW pays on world2011 */
    size_t N = tw_world_n_countries(w23.w), J = tw_world_n_sectors(w23.w);
    size_t vnm = tw_ix_nij(N, J, 0, (size_t)tw_world_country_index(w23.w, "VNM"),
                           (size_t)tw_world_sector_index(w23.w, "METL"));
    size_t N1 = tw_world_n_countries(w11.w);
    size_t row = tw_ix_nij(N1, J, 0, (size_t)tw_world_country_index(w11.w, "ROW"),
                           (size_t)tw_world_sector_index(w11.w, "METL"));
    assert_int_equal(tw_world_country_index(w23.w, "USA"), 0);
    assert_int_equal(tw_world_country_index(w11.w, "USA"), 0);
    assert_true(tw_world_tariffs(w23.w)[vnm] == tw_timeline_tariffs(w23.tl, 1)[vnm]);
    size_t k23 = step_on(w23.tl, "2025-03-12"), k11 = step_on(w11.tl, "2025-03-12");
    assert_true(fabs(tw_timeline_tariffs(w23.tl, k23)[vnm] - tw_timeline_tariffs(w11.tl, k11)[row]) < 1e-12);
    done(&w11);
    done(&w23);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_then_remove_restores_the_exact_baseline),
        cmocka_unit_test(test_share_enters_as_the_trade_weighted_equivalent),
        cmocka_unit_test(test_ban_is_the_iceberg_change_that_removes_that_share),
        cmocka_unit_test(test_exemption_survives_a_later_set_of_the_layer),
        cmocka_unit_test(test_step_with_if_runs_only_when_its_event_is_set),
        cmocka_unit_test(test_unknown_event_on_the_command_line_is_an_error),
        cmocka_unit_test(test_mirror_rule_answers_after_its_delay_with_the_average),
        cmocka_unit_test(test_last_step_equals_a_single_solve_of_its_tariffs),
        cmocka_unit_test(test_region_conditions_follow_the_world),
        cmocka_unit_test(test_the_shipped_scenario_gives_viet_nam_and_row_their_rates),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

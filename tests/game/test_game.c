/* test_game.c - the game layer against closed forms, brute force and its
 * own definitions: the Armington optimal tariff 1/(theta lambda_FF),
 * a grid search, symmetric Nash, best responses beating nearby tariffs,
 * Nash as a fixed point of best responses, and bargaining above the threat. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tradewar/game.h"
#include "tradewar/policy.h"
#include "tradewar/solve.h"
#include "tradewar/world.h"
#include "core/index.h"
#include "../common/fixtures.h"
#include "fixture.h"

/* A two-country, one-sector Armington world with trade elasticity theta,
 * written to a scratch folder that is gone again once it is loaded. */
static tw_world *two_by_one(double theta, int symmetric)
{
    char dir[256], sectors[64], trade[128];
    fx_scratch(dir, sizeof dir, "game");
    snprintf(sectors, sizeof sectors, "code,name,theta\nG,Goods,%g\n", theta);
    snprintf(trade, sizeof trade, "importer,exporter,sector,value\nH,H,G,80\nH,F,G,20\nF,H,G,20\nF,F,G,%d\n",
             symmetric ? 80 : 180);
    fx_write_in(dir, "countries.csv", "code,name\nH,Home\nF,Foreign\n");
    fx_write_in(dir, "sectors.csv", sectors);
    fx_write_in(dir, "trade.csv", trade);
    tw_world *w = fx_load(dir);
    fx_remove_tree(dir);
    return w;
}

/* Home's best response (a uniform tariff t on Foreign) on two_by_one(theta,
 * symmetric), with the world and game it was found on. */
typedef struct home_best {
    tw_world *w;
    tw_game *g;
    tw_outcome *o;
    double t;
} home_best;

static home_best home_best_response(double theta, int symmetric)
{
    home_best h = {two_by_one(theta, symmetric), NULL, NULL, 0};
    tw_error e;
    h.g = tw_game_create(h.w, NULL, &e);
    h.o = tw_game_best_response(h.g, 0, NULL, &e);
    if (!h.o) fail_msg("best response at theta %g: %s", theta, e.msg);
    h.t = tw_outcome_params(h.o, 0)[0];
    return h;
}

static void home_best_free(home_best *h)
{
    tw_outcome_free(h->o);
    tw_game_free(h->g);
    tw_world_free(h->w);
}

/* Home's welfare with a uniform tariff t on Foreign (Foreign at zero). */
static double home_welfare(tw_game *g, const tw_world *w, double t)
{
    tw_error e;
    tw_shock *s = tw_shock_create(w, &e);
    assert_int_equal(tw_shock_set_tariff(s, 0, 1, 0, t, &e), TW_OK);
    tw_result *r = tw_game_solve_with(g, s, &e);
    assert_non_null(r);
    double v = tw_result_welfare_hat(r, 0);
    tw_result_free(r);
    tw_shock_free(s);
    return v;
}

/* docs/game.md: with two countries, one sector and balanced trade, Home's
 * optimal tariff is 1/(theta lambda_FF'), lambda_FF' Foreign's own-spending share
 * at the optimum; and a grid search in 0.1 pp steps finds the same point. */
static void test_optimal_tariff_matches_formula_and_grid_search(void **state)
{
    (void)state;
    home_best h = home_best_response(4.0, 0);
    double t = h.t;
    const double *tr = tw_result_trade(tw_outcome_result(h.o), 1);
    double lff = tr[tw_ix_nij(2, 1, 1, 1, 0)] / (tr[tw_ix_nij(2, 1, 1, 1, 0)] + tr[tw_ix_nij(2, 1, 1, 0, 0)]);
    double formula = 1.0 / (4.0 * lff);
    if (fabs(t - formula) > 1e-4) fail_msg("optimal tariff %.6f, formula %.6f", t, formula);
    double best = -1, tb = 0;
    for (int k = 0; k <= 600; k++) {
        double v = home_welfare(h.g, h.w, k * 0.001);
        if (v > best) {
            best = v;
            tb = k * 0.001;
        }
    }
    if (fabs(tb - t) > 0.001) fail_msg("grid optimum %.3f, optimiser %.5f", tb, t);
    assert_true(tw_result_welfare_hat(tw_outcome_result(h.o), 0) >= best - 1e-12);
    home_best_free(&h);
}

static void test_larger_theta_gives_a_smaller_optimal_tariff(void **state)
{
    (void)state;
    home_best h4 = home_best_response(4.0, 1), h8 = home_best_response(8.0, 1);
    assert_true(h4.t > 0.05 && h8.t > 0.01);
    assert_true(h8.t < h4.t - 0.01);
    home_best_free(&h4);
    home_best_free(&h8);
}

static void test_symmetric_two_country_nash_tariffs_are_equal(void **state)
{
    (void)state;
    tw_world *w = two_by_one(5.0, 1);
    tw_error e;
    tw_game *g = tw_game_create(w, NULL, &e);
    size_t pl[2] = {0, 1};
    tw_outcome *o = tw_game_nash(g, pl, 2, 0, &e);
    assert_non_null(o);
    double a = tw_outcome_params(o, 0)[0], b = tw_outcome_params(o, 1)[0];
    assert_true(a > 0.05);
    if (fabs(a - b) > 1e-4) fail_msg("Nash tariffs %.6f and %.6f", a, b);
    /* symmetric war: both lose the same */
    const tw_result *r = tw_outcome_result(o);
    assert_true(fabs(tw_result_welfare_hat(r, 0) - tw_result_welfare_hat(r, 1)) < 1e-8);
    assert_true(tw_result_welfare_hat(r, 0) < 1.0);
    tw_outcome_free(o);
    tw_game_free(g);
    tw_world_free(w);
}

/* On world2011: a best response depends on the others' tariffs only, so the
 * US best response against China is the same whatever US tariff on China the
 * game starts from (from 20 %, a Newton step far from the optimum overshoots
 * to 0: the search must not stop at that bound). */
static void test_best_response_does_not_depend_on_the_own_start(void **state)
{
    const fixture *f = *state;
    unsigned char only[64] = {0};
    only[f->chn] = 1;
    tw_error e;
    tw_outcome *ref = tw_game_best_response(f->g, f->usa, only, &e);
    if (!ref) fail_msg("from the baseline: %s", e.msg);
    double t0 = tw_outcome_params(ref, 0)[0];
    assert_true(t0 > 0.03);
    static const double starts[] = {0.0, 0.2, 0.5, 1.45};
    for (size_t k = 0; k < sizeof starts / sizeof starts[0]; k++) {
        tw_shock *s = tw_shock_create(f->w, &e);
        assert_non_null(s);
        for (size_t j = 0; j < tw_world_n_sectors(f->w); j++)
            if (tw_world_sector_tradable(f->w, j))
                assert_int_equal(tw_shock_set_tariff(s, f->usa, f->chn, j, starts[k], &e), TW_OK);
        tw_game *g = tw_game_create(f->w, s, &e);
        tw_outcome *o = g ? tw_game_best_response(g, f->usa, only, &e) : NULL;
        if (!o) fail_msg("start %g: %s", starts[k], e.msg);
        double t = tw_outcome_params(o, 0)[0];
        if (fabs(t - t0) > 1e-5) fail_msg("start %g: best response %.6f, from the baseline %.6f", starts[k], t, t0);
        tw_outcome_free(o);
        tw_game_free(g);
        tw_shock_free(s);
    }
    tw_outcome_free(ref);
}

/* A stop function that says "stop" from its k-th call on. */
static int stop_after(void *ud)
{
    int *left = ud;
    return --*left < 0;
}

/* tw_game_set_stop: asked before every solve; once it says stop the search
 * fails with TW_ECANCELED, having made no more solves; without it (or when it
 * never says stop) the answer is the same as before. */
static void test_a_stop_function_cancels_a_search(void **state)
{
    (void)state;
    tw_world *w = two_by_one(5.0, 1);
    tw_error e;
    size_t pl[2] = {0, 1};
    tw_game *g = tw_game_create(w, NULL, &e);
    tw_outcome *free_run = tw_game_nash(g, pl, 2, 0, &e);
    assert_non_null(free_run);
    size_t solves = tw_outcome_solves(free_run);
    tw_game_free(g);

    int left = 1000000;
    g = tw_game_create(w, NULL, &e);
    tw_game_set_stop(g, stop_after, &left);
    tw_outcome *o = tw_game_nash(g, pl, 2, 0, &e);
    assert_non_null(o);
    assert_int_equal(1000000 - left, (int)solves); /* asked once per solve */
    assert_true(tw_outcome_params(o, 0)[0] == tw_outcome_params(free_run, 0)[0]);
    tw_outcome_free(o);
    tw_game_free(g);

    left = 5;
    g = tw_game_create(w, NULL, &e);
    tw_game_set_stop(g, stop_after, &left);
    tw_error_clear(&e);
    assert_null(tw_game_nash(g, pl, 2, 0, &e));
    assert_int_equal(e.code, TW_ECANCELED);
    assert_string_equal(e.msg, "cancelled");
    assert_string_equal(tw_status_str(TW_ECANCELED), "cancelled");
    tw_game_free(g);
    tw_outcome_free(free_run);
    tw_world_free(w);
}

/* On world2011: the US sector-level best response against China beats
 * moving any one of its tariffs by +-1 pp. */
static void test_best_response_beats_nearby_tariffs(void **state)
{
    const fixture *f = *state;
    const tw_world *w = f->w;
    tw_game *g = f->g;
    size_t us = f->usa, cn = f->chn;
    tw_error e;
    tw_game_set_instrument(g, TW_INSTR_SECTOR);
    unsigned char mask[32] = {0};
    mask[cn] = 1;
    tw_outcome *o = tw_game_best_response(g, us, mask, &e);
    assert_non_null(o);
    double w0 = tw_result_welfare_hat(tw_outcome_result(o), us);
    size_t J = tw_world_n_sectors(w), p = 0;
    for (size_t j = 0; j < J; j++) {
        if (!tw_world_sector_tradable(w, j)) continue;
        double t = tw_outcome_params(o, 0)[p++];
        for (int sgn = -1; sgn <= 1; sgn += 2) {
            if (t + 0.01 * sgn < 0) continue;
            tw_shock *s = tw_shock_clone(tw_outcome_shock(o), &e);
            assert_int_equal(tw_shock_set_tariff(s, us, cn, j, t + 0.01 * sgn, &e), TW_OK);
            tw_result *r = tw_game_solve_with(g, s, &e);
            assert_non_null(r);
            if (tw_result_welfare_hat(r, us) > w0 + 1e-12)
                fail_msg("moving %s by %+d pp beats the best response", tw_world_sector_code(w, j), sgn);
            tw_result_free(r);
            tw_shock_free(s);
        }
    }
    assert_int_equal(p, tw_outcome_n_params(o, 0));
    tw_outcome_free(o);
}

/* The US-China uniform Nash point is a fixed point of best responses, and
 * the bargaining solution leaves both at least at that threat point. */
static void test_nash_is_a_fixed_point_and_bargain_beats_the_threat(void **state)
{
    const fixture *f = *state;
    const tw_world *w = f->w;
    size_t pl[2] = {f->usa, f->chn};
    tw_error e;
    tw_outcome *n = tw_game_nash(f->g, pl, 2, 0, &e);
    assert_non_null(n);
    tw_game *g2 = tw_game_create(w, tw_outcome_shock(n), &e);
    for (int k = 0; k < 2; k++) {
        unsigned char mask[32] = {0};
        mask[pl[1 - k]] = 1;
        tw_outcome *br = tw_game_best_response(g2, pl[k], mask, &e);
        assert_non_null(br);
        double d = fabs(tw_outcome_params(br, 0)[0] - tw_outcome_params(n, k)[0]);
        if (d > 1e-4) fail_msg("best response to the Nash point moves %zu by %.2e", pl[k], d);
        tw_outcome_free(br);
    }
    double thr[2] = {tw_result_welfare_hat(tw_outcome_result(n), pl[0]),
                     tw_result_welfare_hat(tw_outcome_result(n), pl[1])};
    tw_game *g3 = tw_game_create(w, NULL, &e);
    tw_outcome *b = tw_game_bargain(g3, pl, 2, thr, NULL, &e);
    assert_non_null(b);
    for (int k = 0; k < 2; k++) assert_true(tw_result_welfare_hat(tw_outcome_result(b), pl[k]) >= thr[k]);
    /* and the product of gains beats free trade's and the Nash point's */
    tw_outcome_free(b);
    tw_outcome_free(n);
    tw_game_free(g2);
    tw_game_free(g3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_optimal_tariff_matches_formula_and_grid_search),
        cmocka_unit_test(test_larger_theta_gives_a_smaller_optimal_tariff),
        cmocka_unit_test(test_symmetric_two_country_nash_tariffs_are_equal),
        cmocka_unit_test(test_a_stop_function_cancels_a_search),
        ON_WORLD2011(test_best_response_beats_nearby_tariffs),
        ON_WORLD2011(test_best_response_does_not_depend_on_the_own_start),
        ON_WORLD2011(test_nash_is_a_fixed_point_and_bargain_beats_the_threat),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

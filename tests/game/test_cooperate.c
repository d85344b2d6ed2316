/* test_cooperate.c - efficient (cooperative) tariffs, tw_game_cooperate:
 * free trade in a symmetric world (a grid of tariff pairs does no better),
 * on world2011 US-China a weighted sum no worse than the status quo, free
 * trade and the Nash war, stationary (projected difference quotients ~ 0)
 * and, over the Nash war, every player at least at its war welfare and no
 * more than the unconstrained optimum; with the sector instrument at least
 * the uniform optimum and stationary in every rate; bad arguments and
 * cancellation. */
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
#include "../common/fixtures.h"
#include "fixture.h"

/* Two identical countries, one sector (theta 5), 20 % of spending imported. */
static tw_world *symmetric_two_by_one(void)
{
    char dir[256];
    fx_scratch(dir, sizeof dir, "coop");
    fx_write_in(dir, "countries.csv", "code,name\nH,Home\nF,Foreign\n");
    fx_write_in(dir, "sectors.csv", "code,name,theta\nG,Goods,5\n");
    fx_write_in(dir, "trade.csv", "importer,exporter,sector,value\nH,H,G,80\nH,F,G,20\nF,H,G,20\nF,F,G,80\n");
    tw_world *w = fx_load(dir);
    fx_remove_tree(dir);
    return w;
}

/* The players' welfare hats with uniform tariffs a (of p[0] on p[1]) and b
 * (of p[1] on p[0]), all else as in start (NULL: the baseline). */
static void welfare_at(tw_game *g, const tw_world *w, const tw_shock *start, const size_t *p, double a, double b,
                       double *W)
{
    tw_error e;
    tw_shock *s = start ? tw_shock_clone(start, &e) : tw_shock_create(w, &e);
    assert_non_null(s);
    set_uniform(w, s, p[0], p[1], a);
    set_uniform(w, s, p[1], p[0], b);
    tw_result *r = tw_game_solve_with(g, s, &e);
    if (!r) fail_msg("solve: %s", e.msg);
    W[0] = tw_result_welfare_hat(r, p[0]);
    W[1] = tw_result_welfare_hat(r, p[1]);
    tw_result_free(r);
    tw_shock_free(s);
}

/* Equal weights in a symmetric world: free trade is efficient (the gains
 * from trade; a tariff only adds a deadweight loss to the transfer), so the
 * efficient tariffs are 0 from a start at 30 % both ways, and no pair on a
 * grid up to 40 % gives a larger sum. */
static void test_symmetric_world_cooperates_at_free_trade(void **state)
{
    (void)state;
    tw_world *w = symmetric_two_by_one();
    tw_error e;
    tw_shock *start = tw_shock_create(w, &e);
    set_uniform(w, start, 0, 1, 0.3);
    set_uniform(w, start, 1, 0, 0.3);
    tw_game *g = tw_game_create(w, start, &e);
    size_t pl[2] = {0, 1};
    double wt[2] = {1, 1};
    tw_outcome *o = tw_game_cooperate(g, pl, 2, wt, NULL, &e);
    if (!o) fail_msg("cooperate: %s", e.msg);
    near(tw_outcome_params(o, 0)[0], 0.0, 1e-4, "Home's efficient tariff");
    near(tw_outcome_params(o, 1)[0], 0.0, 1e-4, "Foreign's efficient tariff");
    const tw_result *r = tw_outcome_result(o);
    double sum = tw_result_welfare_hat(r, 0) + tw_result_welfare_hat(r, 1);
    near(sum, 2.0, 1e-9, "free trade is the baseline");
    assert_true(tw_outcome_solves(o) > 0);
    for (int a = 0; a <= 4; a++)
        for (int b = 0; b <= 4; b++) {
            double W[2];
            welfare_at(g, w, NULL, pl, 0.1 * a, 0.1 * b, W);
            if (W[0] + W[1] > sum + 1e-12) fail_msg("tariffs %d0 %%, %d0 %% give %.12f > %.12f", a, b, W[0] + W[1], sum);
        }
    tw_outcome_free(o);
    tw_game_free(g);
    tw_shock_free(start);
    tw_world_free(w);
}

/* world2011, USA and CHN, uniform tariffs, equal weights: the weighted sum is
 * at least its value at the status quo, at free trade between them and at
 * the Nash war; a difference quotient of the sum in each tariff is ~0 where
 * the tariff is inside its bounds and does not point out of the box at a
 * bound (KKT). */
static void test_world2011_efficient_tariffs_beat_candidates_and_are_stationary(void **state)
{
    fixture *f = *state;
    size_t pl[2] = {f->usa, f->chn};
    double wt[2] = {1, 1};
    tw_error e;
    tw_outcome *o = tw_game_cooperate(f->g, pl, 2, wt, NULL, &e);
    if (!o) fail_msg("cooperate: %s", e.msg);
    const tw_result *r = tw_outcome_result(o);
    double best = tw_result_welfare_hat(r, pl[0]) + tw_result_welfare_hat(r, pl[1]);
    double t[2] = {tw_outcome_params(o, 0)[0], tw_outcome_params(o, 1)[0]};
    double W[2];
    tw_result *sq = tw_game_solve_with(f->g, NULL, &e);
    assert_non_null(sq);
    assert_true(best >= tw_result_welfare_hat(sq, pl[0]) + tw_result_welfare_hat(sq, pl[1]));
    tw_result_free(sq);
    welfare_at(f->g, f->w, NULL, pl, 0, 0, W);
    assert_true(best >= W[0] + W[1] - 1e-12);
    tw_outcome *nash = tw_game_nash(f->g, pl, 2, 0, &e);
    if (!nash) fail_msg("nash: %s", e.msg);
    const tw_result *rn = tw_outcome_result(nash);
    assert_true(best > tw_result_welfare_hat(rn, pl[0]) + tw_result_welfare_hat(rn, pl[1]));
    /* stationarity, by central differences of step 1e-4 (one-sided at 0) */
    const double h = 1e-4;
    for (int k = 0; k < 2; k++) {
        double up[2] = {t[0], t[1]}, dn[2] = {t[0], t[1]}, Wu[2], Wd[2];
        up[k] += h;
        dn[k] = fmax(dn[k] - h, 0.0);
        welfare_at(f->g, f->w, NULL, pl, up[0], up[1], Wu);
        welfare_at(f->g, f->w, NULL, pl, dn[0], dn[1], Wd);
        double d = (Wu[0] + Wu[1] - Wd[0] - Wd[1]) / (up[k] - dn[k]);
        if (t[k] > 1e-6) near(d, 0.0, 1e-5, "derivative of the weighted sum at an interior tariff");
        else assert_true(d <= 1e-5); /* at the lower bound: raising the tariff must not help */
    }
    /* the interior one moved: China's efficient tariff on the US is positive
     * (equal weights on welfare hats favour the smaller economy) */
    assert_true(t[1] > 0.01);
    tw_outcome_free(nash);
    tw_outcome_free(o);
}

/* Over the Nash war: every player at least at its war welfare, the weighted
 * sum at least the war's and at most the unconstrained optimum's. */
static void test_world2011_pareto_improvement_over_nash(void **state)
{
    fixture *f = *state;
    size_t pl[2] = {f->usa, f->chn};
    double wt[2] = {1, 1};
    tw_error e;
    tw_outcome *free_o = tw_game_cooperate(f->g, pl, 2, wt, NULL, &e);
    if (!free_o) fail_msg("cooperate: %s", e.msg);
    double top = 0;
    for (int k = 0; k < 2; k++) top += tw_result_welfare_hat(tw_outcome_result(free_o), pl[k]);
    tw_outcome *nash = tw_game_nash(f->g, pl, 2, 0, &e); /* the game now holds the war's tariffs */
    if (!nash) fail_msg("nash: %s", e.msg);
    double floor[2], sn = 0;
    for (int k = 0; k < 2; k++) sn += floor[k] = tw_result_welfare_hat(tw_outcome_result(nash), pl[k]);
    tw_outcome *o = tw_game_cooperate(f->g, pl, 2, wt, floor, &e);
    if (!o) fail_msg("cooperate over nash: %s", e.msg);
    double s = 0;
    for (int k = 0; k < 2; k++) {
        double Wk = tw_result_welfare_hat(tw_outcome_result(o), pl[k]);
        if (!(Wk >= floor[k] + 1e-11)) fail_msg("player %d: %.15f below the war's %.15f", k, Wk, floor[k]);
        s += Wk;
    }
    assert_true(s > sn + 1e-4); /* the war wastes a lot: ~0.15 pp of China's income */
    assert_true(s <= top + 1e-10);
    tw_outcome_free(o);
    tw_outcome_free(nash);
    tw_outcome_free(free_o);
}

/* The sector instrument on world2011 (14 rates each): at least as good as the
 * uniform one (it can set every rate equal), and stationary: moving any one
 * sector's rate by 1e-4 (central; one-sided at 0) changes the weighted sum by
 * ~0 where the rate is inside its bounds and cannot raise it at a bound. */
static void test_world2011_sector_instrument_is_stationary(void **state)
{
    fixture *f = *state;
    size_t pl[2] = {f->usa, f->chn};
    double wt[2] = {1, 1};
    tw_error e;
    tw_outcome *uni = tw_game_cooperate(f->g, pl, 2, wt, NULL, &e);
    if (!uni) fail_msg("cooperate uniform: %s", e.msg);
    double su = 0, s = 0;
    for (int k = 0; k < 2; k++) su += tw_result_welfare_hat(tw_outcome_result(uni), pl[k]);
    assert_int_equal(tw_game_set_instrument(f->g, TW_INSTR_SECTOR), TW_OK);
    tw_outcome *o = tw_game_cooperate(f->g, pl, 2, wt, NULL, &e);
    if (!o) fail_msg("cooperate sector: %s", e.msg);
    for (int k = 0; k < 2; k++) s += tw_result_welfare_hat(tw_outcome_result(o), pl[k]);
    assert_true(s >= su - 1e-12);
    const double h = 1e-4;
    tw_shock *x = tw_shock_clone(tw_outcome_shock(o), &e);
    for (size_t k = 0; k < 2; k++) {
        size_t n = pl[k], i = pl[1 - k], q = 0;
        assert_int_equal(tw_outcome_n_params(o, k), 14);
        for (size_t j = 0; j < tw_world_n_sectors(f->w); j++) {
            if (!tw_world_sector_tradable(f->w, j)) continue;
            double t = tw_outcome_params(o, k)[q++], up = t + h, dn = fmax(t - h, 0.0), Wu = 0, Wd = 0;
            for (int side = 0; side < 2; side++) {
                assert_int_equal(tw_shock_set_tariff(x, n, i, j, side ? dn : up, &e), TW_OK);
                tw_result *r = tw_game_solve_with(f->g, x, &e);
                assert_non_null(r);
                *(side ? &Wd : &Wu) = tw_result_welfare_hat(r, pl[0]) + tw_result_welfare_hat(r, pl[1]);
                tw_result_free(r);
            }
            assert_int_equal(tw_shock_set_tariff(x, n, i, j, t, &e), TW_OK);
            double d = (Wu - Wd) / (up - dn);
            if (t > 1e-6) near(d, 0.0, 1e-5, "derivative of the weighted sum in an interior sector rate");
            else if (!(d <= 1e-5)) fail_msg("raising %s's rate in sector %zu from 0 gains %.2e", tw_world_country_code(f->w, n), j, d);
        }
    }
    tw_shock_free(x);
    tw_outcome_free(o);
    tw_outcome_free(uni);
}

static int stop_now(void *ud)
{
    (void)ud;
    return 1;
}

static void test_bad_arguments_and_cancellation(void **state)
{
    fixture *f = *state;
    size_t pl[2] = {f->usa, f->chn}, twice[2] = {f->usa, f->usa};
    double wt[2] = {1, 1}, zero[2] = {0, 0}, neg[2] = {1, -1};
    tw_error e;
    assert_null(tw_game_cooperate(f->g, pl, 1, wt, NULL, &e));
    assert_int_equal(e.code, TW_EARG);
    assert_null(tw_game_cooperate(f->g, pl, 2, zero, NULL, &e));
    assert_int_equal(e.code, TW_EARG);
    assert_string_equal(e.msg, "the weights are all 0");
    assert_null(tw_game_cooperate(f->g, pl, 2, neg, NULL, &e));
    assert_int_equal(e.code, TW_EARG);
    assert_null(tw_game_cooperate(f->g, twice, 2, wt, NULL, &e));
    assert_int_equal(e.code, TW_EARG);
    tw_game_set_stop(f->g, stop_now, NULL);
    assert_null(tw_game_cooperate(f->g, pl, 2, wt, NULL, &e));
    assert_int_equal(e.code, TW_ECANCELED);
    tw_game_set_stop(f->g, NULL, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_symmetric_world_cooperates_at_free_trade),
        ON_WORLD2011(test_world2011_efficient_tariffs_beat_candidates_and_are_stationary),
        ON_WORLD2011(test_world2011_pareto_improvement_over_nash),
        ON_WORLD2011(test_world2011_sector_instrument_is_stationary),
        ON_WORLD2011(test_bad_arguments_and_cancellation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_talks.c - the efficient frontier of trade talks on world2011 (USA and
 * CHN, one uniform tariff each on the other, as the command line sets them),
 * under the status-quo threat and the Nash threat: each player's welfare
 * never falls as its weight rises, no point is dominated by another point or
 * by the bargaining solution, and each point's weighted welfare beats every
 * feasible point of an independent grid of tariffs.  The domination check
 * itself is run on the frontier the status-quo threat used to give. */
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
#include "game/game_impl.h"
#include "../common/fixtures.h"
#include "fixture.h"

#define K 5     /* frontier points, weights 1/6 .. 5/6 on the first player, as --frontier 5 */
#define TOL 1e-9

typedef struct front {
    double thr[2], bargain[2], W[K][2], t[K][2];
} front;

/* p is dominated by o: o at least as good for both (to TOL) and better by
 * more than TOL for one. */
static int dominates(const double *o, const double *p)
{
    return o[0] >= p[0] - TOL && o[1] >= p[1] - TOL && (o[0] > p[0] + TOL || o[1] > p[1] + TOL);
}

/* The frontier of talks between pl[0] and pl[1] over threat thr, checked for
 * the invariants every frontier must keep. */
static void frontier(const tw_world *w, const size_t *pl, const double *thr, front *f)
{
    tw_error e;
    tw_game *g = tw_game_create(w, NULL, &e);
    assert_non_null(g);
    f->thr[0] = thr[0];
    f->thr[1] = thr[1];
    tw_outcome *b = tw_game_bargain(g, pl, 2, thr, NULL, &e);
    if (!b) fail_msg("bargain: %s", e.msg);
    for (int k = 0; k < 2; k++) f->bargain[k] = tw_result_welfare_hat(tw_outcome_result(b), pl[k]);
    double wt[2 * K];
    for (int q = 0; q < K; q++) {
        wt[2 * q] = (q + 1) / (K + 1.0);
        wt[2 * q + 1] = 1 - wt[2 * q];
    }
    tw_outcome *pts[K];
    tw_status st = tw_game_frontier(g, pl, 2, thr, wt, K, b, pts, &e);
    if (st) fail_msg("frontier: %s: %s", e.field, e.msg);
    for (int q = 0; q < K; q++) {
        for (int k = 0; k < 2; k++) {
            f->W[q][k] = tw_result_welfare_hat(tw_outcome_result(pts[q]), pl[k]);
            f->t[q][k] = tw_outcome_params(pts[q], k)[0];
            if (!(f->W[q][k] > thr[k])) fail_msg("point %d leaves player %d below the threat point", q + 1, k);
        }
        tw_outcome_free(pts[q]);
    }
    /* a player's welfare does not fall as its weight rises */
    for (int q = 1; q < K; q++) {
        if (f->W[q][0] < f->W[q - 1][0] - TOL)
            fail_msg("first player's welfare falls from %.12f to %.12f as its weight rises", f->W[q - 1][0], f->W[q][0]);
        if (f->W[q][1] > f->W[q - 1][1] + TOL)
            fail_msg("second player's welfare falls from %.12f to %.12f as its weight rises", f->W[q][1], f->W[q - 1][1]);
    }
    /* no point dominated by another point or by the bargain */
    for (int q = 0; q < K; q++) {
        if (dominates(f->bargain, f->W[q])) fail_msg("point %d is dominated by the bargain", q + 1);
        for (int r = 0; r < K; r++)
            if (r != q && dominates(f->W[r], f->W[q])) fail_msg("point %d is dominated by point %d", q + 1, r + 1);
    }
    /* each point maximises its weighted welfare against an independent grid
     * of tariffs (0 to 10 % in 2 pp steps), among those above the threat */
    tw_shock *s = tw_shock_create(w, &e);
    for (int a = 0; a <= 5; a++)
        for (int c = 0; c <= 5; c++) {
            set_uniform(w, s, pl[0], pl[1], 0.02 * a);
            set_uniform(w, s, pl[1], pl[0], 0.02 * c);
            tw_result *r = tw_game_solve_with(g, s, &e);
            assert_non_null(r);
            double Wg[2] = {tw_result_welfare_hat(r, pl[0]), tw_result_welfare_hat(r, pl[1])};
            tw_result_free(r);
            if (Wg[0] < thr[0] || Wg[1] < thr[1]) continue;
            for (int q = 0; q < K; q++)
                if (wt[2 * q] * Wg[0] + wt[2 * q + 1] * Wg[1] > wt[2 * q] * f->W[q][0] + wt[2 * q + 1] * f->W[q][1] + TOL)
                    fail_msg("tariffs %.2f/%.2f beat point %d in its weighted welfare", 0.02 * a, 0.02 * c, q + 1);
        }
    tw_shock_free(s);
    tw_outcome_free(b);
    tw_game_free(g);
}

/* Under the status-quo threat the weighted sum used to stop on the edge of the
 * bargaining set near its start: four of five points left the US at about 0
 * and China at 0.025-0.042 %, all dominated by the bargain (0.0211 %,
 * 0.0499 %).  The frontier is China's tariff with the US at free trade: from
 * the corner where the US is held at the status quo (China's tariff 4.853 %,
 * China +0.0911 %) to the one where China is (0.121 %, US +0.0399 %). */
static void test_status_quo_frontier_rises_with_weights_and_is_undominated(void **state)
{
    const fixture *fx = *state;
    size_t pl[2] = {fx->usa, fx->chn};
    tw_error e;
    tw_result *sq = tw_game_solve_with(fx->g, NULL, &e);
    assert_non_null(sq);
    double thr[2] = {tw_result_welfare_hat(sq, pl[0]), tw_result_welfare_hat(sq, pl[1])};
    tw_result_free(sq);
    front f;
    frontier(fx->w, pl, thr, &f);
    for (int q = 0; q < K; q++) assert_true(f.t[q][0] == 0.0); /* the US tariff at its bound */
    for (int q = 0; q < 3; q++) {
        assert_true(f.W[q][0] - thr[0] <= TOL); /* the US held at the threat point */
        near(f.t[q][1], 0.048533, 1e-5, "China's tariff, US at the threat point");
        near(f.W[q][1] - 1, 9.1138e-4, 1e-8, "China's welfare, US at the threat point");
    }
    assert_true(f.W[4][1] - thr[1] <= TOL); /* China held at the threat point */
    near(f.t[4][1], 0.0012085, 1e-6, "China's tariff, China at the threat point");
    near(f.W[4][0] - 1, 3.9905e-4, 1e-8, "US welfare, China at the threat point");
}

/* Under the Nash threat the frontier runs from the US at its war welfare
 * (China's tariff 3.86 %) to China's tariff at 0 and the US's at 2.00 %. */
static void test_nash_frontier_rises_with_weights_and_is_undominated(void **state)
{
    const fixture *fx = *state;
    size_t pl[2] = {fx->usa, fx->chn};
    tw_error e;
    tw_outcome *war = tw_game_nash(fx->g, pl, 2, 0, &e);
    assert_non_null(war);
    double thr[2] = {tw_result_welfare_hat(tw_outcome_result(war), pl[0]),
                     tw_result_welfare_hat(tw_outcome_result(war), pl[1])};
    tw_outcome_free(war);
    front f;
    frontier(fx->w, pl, thr, &f);
    for (int q = 0; q < 3; q++) {
        assert_true(f.W[q][0] - thr[0] <= TOL);
        near(f.t[q][0], 0.0, 1e-12, "US tariff, US at the threat point");
        near(f.t[q][1], 0.038600, 1e-5, "China's tariff, US at the threat point");
    }
    near(f.t[4][1], 0.0, 1e-12, "China's tariff, largest US weight");
    near(f.t[4][0], 0.01999, 1e-4, "US tariff, largest US weight");
}

/* The check on the numbers the status-quo frontier used to give (welfare
 * hats; the fifth row is the bargain): point 1 is dominated by the bargain. */
static void test_domination_check_names_the_dominated_point(void **state)
{
    const fixture *fx = *state;
    const tw_world *w = fx->w;
    size_t pl[2] = {fx->usa, fx->chn};
    tw_error e;
    double wt[2 * K];
    for (int q = 0; q < K; q++) {
        wt[2 * q] = (q + 1) / (K + 1.0);
        wt[2 * q + 1] = 1 - wt[2 * q];
    }
    double before[(K + 1) * 2] = {
        1 + 2.139258075128936e-07, 1 + 2.5129251057087743e-04, 1 + 5.208504694209637e-08, 1 + 4.231725762717797e-04,
        1 + 1.8743901453177614e-07, 1 + 3.231971402983813e-04, 1 + 6.614893299783375e-08, 1 + 3.9343719396978116e-04,
        1 + 3.1257494542802355e-04, 1 + 2.2308169569384972e-06, 1 + 2.112399900482398e-04, 1 + 4.9927146524919586e-04};
    assert_int_equal(frontier_check(w, pl, 2, wt, before, K, 1, &e), TW_ENOCONV);
    assert_string_equal(e.field, "frontier");
    assert_string_equal(e.msg, "point 1 (weights 0.167,0.833) is dominated by the bargaining solution "
                               "(USA +0.021124 % vs +0.000021 %, CHN +0.049927 % vs +0.025129 %)");
    /* among themselves none of the five dominates another (what they got
     * wrong there is the order: the US's welfare fell as its weight rose) */
    assert_int_equal(frontier_check(w, pl, 2, wt, before, K, 0, &e), TW_OK);
    /* ties and gains within the tolerance are not domination */
    double two[4] = {1.0001, 1.0002, 1.0001, 1.0002 + 0.5 * TW_FRONTIER_TOL};
    assert_int_equal(frontier_check(w, pl, 2, wt, two, 2, 0, &e), TW_OK);
    two[3] = 1.0002 + 2 * TW_FRONTIER_TOL;
    assert_int_equal(frontier_check(w, pl, 2, wt, two, 2, 0, &e), TW_ENOCONV);
    assert_string_equal(e.msg, "point 1 (weights 0.167,0.833) is dominated by point 2 "
                               "(USA +0.010000 % vs +0.010000 %, CHN +0.020000 % vs +0.020000 %)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        ON_WORLD2011(test_domination_check_names_the_dominated_point),
        ON_WORLD2011(test_status_quo_frontier_rises_with_weights_and_is_undominated),
        ON_WORLD2011(test_nash_frontier_rises_with_weights_and_is_undominated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

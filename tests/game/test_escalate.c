/* test_escalate.c - the game's library calls behind the command line's tables:
 * the escalation path (tw_game_escalate) against the path the command printed
 * before it moved into the library, world welfare (tw_game_world_welfare_hat)
 * against a sum done by hand, the talks in one call (tw_game_talks) against
 * their own parts, and the solver options of a game. */
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
#include "tradewar/scenario.h"
#include "tradewar/solve.h"
#include "tradewar/world.h"
#include "../common/fixtures.h"
#include "fixture.h"

/* USA against CHN with the command line's defaults (step 0.1, factor 1, cap 2). */
static tw_escalation_opts cli_defaults(const fixture *f, tw_escalation_rule rule, size_t rounds)
{
    tw_escalation_opts o = {.a = f->usa, .b = f->chn, .rule = rule, .max_rounds = rounds,
                            .step = 0.10, .factor = 1.0, .cap = 2.0};
    return o;
}

/* The path of o, which must end after n rounds for the reason why. */
static tw_escalation *path_of(fixture *f, const tw_escalation_opts *o, size_t n, tw_escalation_stop why)
{
    tw_escalation *p = NULL;
    tw_error e;
    if (tw_game_escalate(f->g, o, &p, &e)) fail_msg("escalate: %s", e.msg);
    assert_int_equal(p->n_rounds, n);
    assert_int_equal(p->stop, why);
    return p;
}

/* `tradewar escalate --players USA,CHN --rule mirror --rounds 3` printed, before
 * the path moved into the library (tariffs %, welfare %, trade %):
 *   1  13.227 13.227 -0.0260 -0.2140 -44.64 -28.82
 *   2  23.227 23.227 -0.1049 -0.3626 -67.72 -60.34
 *   3  33.227 33.227 -0.1721 -0.4620 -79.61 -75.04
 * from USA on CHN 3.23 %, CHN on USA 8.75 %. */
static void test_mirror_path_matches_the_command_lines_table(void **state)
{
    fixture *f = *state;
    tw_escalation_opts o = cli_defaults(f, TW_ESCALATE_MIRROR, 3);
    tw_escalation *p = path_of(f, &o, 3, TW_ESCALATION_ROUND_LIMIT);
    assert_string_equal(tw_escalation_stop_text(p->stop), "the round limit was reached");
    near(100 * p->start_a, 3.23, 0.005, "start, USA on CHN");
    near(100 * p->start_b, 8.75, 0.005, "start, CHN on USA");
    const double want[3][6] = {{13.227, 13.227, -0.0260, -0.2140, -44.64, -28.82},
                               {23.227, 23.227, -0.1049, -0.3626, -67.72, -60.34},
                               {33.227, 33.227, -0.1721, -0.4620, -79.61, -75.04}};
    for (size_t k = 0; k < 3; k++) {
        const tw_escalation_round *r = &p->rounds[k];
        near(100 * r->tariff_a, want[k][0], 5e-4, "A tariff");
        near(100 * r->tariff_b, want[k][1], 5e-4, "B tariff");
        near(100 * (r->welfare_a - 1), want[k][2], 5e-5, "A welfare");
        near(100 * (r->welfare_b - 1), want[k][3], 5e-5, "B welfare");
        near(r->trade_b_to_a_pct, want[k][4], 5e-3, "B->A trade");
        near(r->trade_a_to_b_pct, want[k][5], 5e-3, "A->B trade");
    }
    /* the game's tariffs end at the last round's */
    const double *tau = tw_shock_tariffs(tw_game_shock(f->g));
    near(tw_average_tariff(f->w, tau, f->usa, f->chn), p->rounds[2].tariff_a, 1e-12, "the game's tariff after the path");
    tw_escalation_free(p);
}

/* Best responses: the path the command printed converges in round 3 at USA
 * 6.145 %, CHN 9.831 %. */
static void test_best_response_path_converges_where_the_command_said(void **state)
{
    fixture *f = *state;
    tw_escalation_opts o = cli_defaults(f, TW_ESCALATE_BEST_RESPONSE, 20);
    tw_escalation *p = path_of(f, &o, 3, TW_ESCALATION_CONVERGED);
    tw_error e;
    near(100 * p->rounds[2].tariff_a, 6.145, 5e-4, "USA's tariff");
    near(100 * p->rounds[2].tariff_b, 9.831, 5e-4, "CHN's tariff");
    tw_escalation_free(p);
    /* bad options: TW_EARG and no path */
    o.b = o.a;
    assert_int_equal(tw_game_escalate(f->g, &o, &p, &e), TW_EARG);
    assert_null(p);
    assert_string_equal(e.msg, "escalation needs two different players");
}

static void test_escalation_rule_names_parse(void **state)
{
    (void)state;
    tw_escalation_rule r;
    assert_int_equal(tw_escalation_rule_parse("proportional", &r), TW_OK);
    assert_int_equal(r, TW_ESCALATE_PROPORTIONAL);
    assert_int_equal(tw_escalation_rule_parse("best-response", &r), TW_OK);
    assert_int_equal(r, TW_ESCALATE_BEST_RESPONSE);
    assert_int_equal(tw_escalation_rule_parse("tit", &r), TW_EARG);
    assert_string_equal(tw_escalation_stop_text(TW_ESCALATION_CAPPED), "both tariffs reached the cap");
}

/* World welfare is the baseline-income-weighted mean of the welfare hats:
 * recomputed here from each country's income and welfare. */
static void test_world_welfare_is_the_income_weighted_mean(void **state)
{
    fixture *f = *state;
    tw_error e;
    tw_shock *s = tw_shock_create(f->w, &e);
    set_uniform(f->w, s, f->usa, f->chn, 0.5);
    tw_result *r = tw_game_solve_with(f->g, s, &e);
    assert_non_null(r);
    double num = 0, den = 0;
    for (size_t n = 0; n < tw_world_n_countries(f->w); n++) {
        num += tw_result_income(r, n, 0) * tw_result_welfare_hat(r, n);
        den += tw_result_income(r, n, 0);
    }
    double ww = tw_game_world_welfare_hat(r);
    near(ww, num / den, 1e-15, "world welfare");
    assert_true(ww < 1.0); /* a 50 % tariff makes the world poorer */
    tw_result_free(r);
    tw_shock_free(s);
}

/* tw_game_talks with the status-quo threat gives what its parts give: the
 * status quo, the bargain over it, and the deal's equilibrium. */
static void test_talks_in_one_call_equal_their_parts(void **state)
{
    fixture *f = *state;
    size_t pl[2] = {f->usa, f->chn};
    tw_error e;
    tw_shock *deal = tw_shock_create(f->w, &e);
    set_uniform(f->w, deal, f->usa, f->chn, 0);
    tw_talks_opts o = {.players = pl, .n_players = 2, .threat = TW_THREAT_STATUS_QUO, .deal = deal,
                       .has_concession = 1, .receiver = f->usa, .concession = 5e-4};
    tw_talks *t = NULL;
    assert_int_equal(tw_game_talks(f->g, &o, &t, &e), TW_OK);
    assert_non_null(t->with_concession);
    assert_int_equal(t->n_frontier, 0);
    near(t->bonus[0], 5e-4, 0, "the receiver's side payment");
    near(t->bonus[1], 0, 0, "the giver's side payment");
    /* the parts, on a second game */
    tw_game *g2 = tw_game_create(f->w, NULL, &e);
    tw_result *sq = tw_game_solve_with(g2, NULL, &e);
    double thr[2] = {tw_result_welfare_hat(sq, pl[0]), tw_result_welfare_hat(sq, pl[1])};
    for (int k = 0; k < 2; k++) {
        near(t->status_quo[k], thr[k], 1e-12, "status quo");
        near(t->threat[k], thr[k], 1e-12, "threat point");
    }
    tw_outcome *b = tw_game_bargain(g2, pl, 2, thr, NULL, &e);
    assert_non_null(b);
    for (int k = 0; k < 2; k++)
        near(tw_outcome_params(t->bargain, (size_t)k)[0], tw_outcome_params(b, (size_t)k)[0], 1e-6, "bargain tariff");
    tw_result *d = tw_game_solve_with(g2, deal, &e);
    near(tw_result_welfare_hat(t->deal, f->usa), tw_result_welfare_hat(d, f->usa), 1e-12, "deal");
    tw_result_free(d);
    tw_outcome_free(b);
    tw_result_free(sq);
    tw_game_free(g2);
    tw_talks_free(t);
    /* one player is no talks */
    o.n_players = 1;
    assert_int_equal(tw_game_talks(f->g, &o, &t, &e), TW_EARG);
    assert_null(t);
    tw_shock_free(deal);
}

/* The game's solver options: the range of tw_solver_set_tol, and a purge
 * that changes the answer on a world whose deficits are not zero. */
static void test_solver_options_check_their_range_and_purge_changes_welfare(void **state)
{
    fixture *f = *state;
    assert_int_equal(tw_game_set_tol(f->g, 1e-3), TW_EARG);
    assert_int_equal(tw_game_set_tol(f->g, 1e-15), TW_EARG);
    assert_int_equal(tw_game_set_tol(f->g, TW_TOL_MIN), TW_OK);
    assert_int_equal(tw_game_set_tol(f->g, TW_GAME_TOL_DEFAULT), TW_OK);
    assert_int_equal(tw_game_set_method(f->g, TW_METHOD_NEWTON), TW_OK);
    tw_error e;
    tw_shock *s = tw_shock_create(f->w, &e);
    set_uniform(f->w, s, f->usa, f->chn, 0.5);
    tw_result *keep = tw_game_solve_with(f->g, s, &e);
    assert_non_null(keep);
    tw_game *g2 = tw_game_create(f->w, NULL, &e);
    assert_int_equal(tw_game_set_deficits(g2, TW_DEFICITS_PURGE), TW_OK);
    tw_result *purge = tw_game_solve_with(g2, s, &e);
    assert_non_null(purge);
    assert_int_equal(tw_result_deficits(purge), TW_DEFICITS_PURGE);
    assert_true(fabs(tw_result_welfare_hat(purge, f->usa) - tw_result_welfare_hat(keep, f->usa)) > 1e-6);
    tw_result_free(keep);
    tw_result_free(purge);
    tw_game_free(g2);
    tw_shock_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escalation_rule_names_parse),
        ON_WORLD2011(test_mirror_path_matches_the_command_lines_table),
        ON_WORLD2011(test_best_response_path_converges_where_the_command_said),
        ON_WORLD2011(test_world_welfare_is_the_income_weighted_mean),
        ON_WORLD2011(test_talks_in_one_call_equal_their_parts),
        ON_WORLD2011(test_solver_options_check_their_range_and_purge_changes_welfare),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

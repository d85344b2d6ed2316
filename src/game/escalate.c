/* escalate.c - tit-for-tat escalation paths between two players.
 *
 * Each round A moves, then B answers by the rule, on uniform tariffs on the
 * other's goods in tradable sectors; then the round's equilibrium is solved
 * (warm-started from the previous round's).  The game's tariffs carry the
 * path: after a round they are that round's. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tradewar/scenario.h"
#include "game_impl.h"
#include "core/suggest.h"

/* A round in which no tariff moves by more than this (0.001 pp) ends the path. */
#define ESCALATION_STILL 1e-5

static const char *const rule_names[] = {"mirror", "proportional", "best-response"};
static const char *const stop_texts[] = {"the round limit was reached", "the path converged",
                                         "both tariffs reached the cap"};

tw_status tw_escalation_rule_parse(const char *name, tw_escalation_rule *out)
{
    int k = tw_keyword_index(name, rule_names, 3);
    if (k < 0) return TW_EARG;
    *out = (tw_escalation_rule)k;
    return TW_OK;
}

const char *tw_escalation_stop_text(tw_escalation_stop s)
{
    return (unsigned)s < 3 ? stop_texts[s] : "unknown";
}

void tw_escalation_free(tw_escalation *path)
{
    if (!path) return;
    free(path->rounds);
    free(path);
}

static tw_status set_uniform(const tw_world *w, tw_shock *s, size_t n, size_t i, double rate, tw_error *err)
{
    for (size_t j = 0; j < tw_world_n_sectors(w); j++)
        if (tw_world_sector_tradable(w, j) && tw_shock_set_tariff(s, n, i, j, rate, err)) return err->code;
    return TW_OK;
}

/* % change of n's purchases from i in tradable goods, before tariffs. */
static double goods_change(const tw_world *w, const tw_result *r, size_t n, size_t i)
{
    size_t N = tw_world_n_countries(w), J = tw_world_n_sectors(w);
    const double *t0 = tw_result_trade(r, 0), *t1 = tw_result_trade(r, 1);
    double a = 0, b = 0;
    for (size_t j = 0; j < J; j++)
        if (tw_world_sector_tradable(w, j)) {
            a += t0[(n * N + i) * J + j];
            b += t1[(n * N + i) * J + j];
        }
    return a > 0 ? 100 * (b / a - 1) : 0.0;
}

/* The tariff mover (0: A, 1: B) sets on the other, given A's latest ta. */
static tw_status move(tw_game *g, const tw_escalation_opts *o, int mover, double ta, double *t,
                      tw_error *err)
{
    size_t me = mover ? o->b : o->a, other = mover ? o->a : o->b;
    if (o->rule == TW_ESCALATE_BEST_RESPONSE) {
        unsigned char *mask = calloc(g->N, 1);
        if (!mask) return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
        mask[other] = 1;
        tw_outcome *br = tw_game_best_response(g, me, mask, err);
        free(mask);
        if (!br) return err->code;
        *t = tw_outcome_params(br, 0)[0];
        tw_outcome_free(br);
    } else if (mover == 0) {
        *t = fmin(ta + o->step, o->cap);
    } else {
        *t = fmin(o->rule == TW_ESCALATE_MIRROR ? ta : o->factor * ta, o->cap);
    }
    return set_uniform(g->w, g->shock, me, other, *t, err);
}

/* Play one round into rd; TW_OK or why it failed. */
static tw_status play_round(tw_game *g, const tw_escalation_opts *o, double *ta, double *tb,
                            tw_escalation_round *rd, tw_error *err)
{
    tw_status st = move(g, o, 0, *ta, ta, err);
    if (!st) st = move(g, o, 1, *ta, tb, err);
    if (st) return st;
    tw_result *r = tw_game_solve_with(g, NULL, err);
    if (!r) return err->code;
    rd->tariff_a = *ta;
    rd->tariff_b = *tb;
    rd->welfare_a = tw_result_welfare_hat(r, o->a);
    rd->welfare_b = tw_result_welfare_hat(r, o->b);
    rd->trade_b_to_a_pct = goods_change(g->w, r, o->a, o->b);
    rd->trade_a_to_b_pct = goods_change(g->w, r, o->b, o->a);
    tw_result_free(r);
    return TW_OK;
}

static tw_status check_opts(const tw_game *g, const tw_escalation_opts *o, tw_error *err)
{
    if (!o || o->a >= g->N || o->b >= g->N || o->a == o->b)
        return tw_error_set(err, TW_EARG, NULL, 0, 0, "escalation needs two different players");
    if ((unsigned)o->rule > TW_ESCALATE_BEST_RESPONSE || o->max_rounds < 1 || !(o->step > 0) ||
        !(o->factor > 0) || !(o->cap > 0))
        return tw_error_set(err, TW_EARG, NULL, 0, 0, "escalation options out of range");
    return TW_OK;
}

tw_status tw_game_escalate(tw_game *g, const tw_escalation_opts *o, tw_escalation **path,
                           tw_error *err)
{
    tw_error local;
    if (!err) err = &local;
    *path = NULL;
    tw_status st = check_opts(g, o, err);
    if (st) return st;
    tw_escalation *p = calloc(1, sizeof *p);
    if (p) p->rounds = calloc(o->max_rounds, sizeof *p->rounds);
    if (!p || !p->rounds) {
        tw_escalation_free(p);
        return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    }
    *path = p;
    double ta = tw_average_tariff(g->w, tw_shock_tariffs(g->shock), o->a, o->b);
    double tb = tw_average_tariff(g->w, tw_shock_tariffs(g->shock), o->b, o->a);
    p->start_a = ta;
    p->start_b = tb;
    p->stop = TW_ESCALATION_ROUND_LIMIT;
    while (p->n_rounds < o->max_rounds) {
        double pa = ta, pb = tb;
        st = play_round(g, o, &ta, &tb, &p->rounds[p->n_rounds], err);
        if (st) return st;
        const tw_escalation_round *rd = &p->rounds[p->n_rounds++];
        game_say(g, "escalate: round %zu: tariffs %.2f %% and %.2f %%, welfare %+.4f %% and %+.4f %%", p->n_rounds,
                 100 * rd->tariff_a, 100 * rd->tariff_b, 100 * (rd->welfare_a - 1), 100 * (rd->welfare_b - 1));
        if (fabs(ta - pa) <= ESCALATION_STILL && fabs(tb - pb) <= ESCALATION_STILL) {
            p->stop = TW_ESCALATION_CONVERGED;
            break;
        }
        if (ta >= o->cap && tb >= o->cap) {
            p->stop = TW_ESCALATION_CAPPED;
            break;
        }
    }
    return TW_OK;
}

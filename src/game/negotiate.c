/* negotiate.c - a round of trade talks from start to end: the status quo, the
 * threat point, the bargain, the bargain with a concession on the table, a
 * proposed deal and the frontier (docs/game.md, "Trade talks").
 *
 * The solves run in that order on one game, each warm-started from the one
 * before, so the answer does not depend on who calls.  With the Nash war as
 * the threat point the talks then start again from the status quo on a fresh
 * game (same world, start tariffs and solver options). */
#include <stdlib.h>
#include <string.h>

#include "game_impl.h"
#include "solve/solve_impl.h"

void tw_talks_free(tw_talks *t)
{
    if (!t) return;
    for (size_t q = 0; q < t->n_frontier && t->frontier; q++) tw_outcome_free(t->frontier[q]);
    free(t->frontier);
    free(t->weights);
    tw_outcome_free(t->bargain);
    tw_outcome_free(t->with_concession);
    tw_result_free(t->deal);
    free(t->status_quo);
    free(t->threat);
    free(t->bonus);
    free(t);
}

/* A new game on g's world and start tariffs with g's solver options and
 * progress; instrument, bounds and search settings at their defaults. */
static tw_game *game_fresh(const tw_game *g, tw_error *err)
{
    tw_game *f = tw_game_create(g->w, g->start, err);
    if (!f) return NULL;
    f->solver->tol = g->solver->tol;
    f->solver->method = g->solver->method;
    f->solver->deficits = g->solver->deficits;
    f->solver->step = g->solver->step;
    f->solver->max_iter = g->solver->max_iter;
    tw_game_set_progress(f, g->progress, g->ud);
    return f;
}

static tw_status fail_from(tw_error *err)
{
    return err->code ? err->code : TW_ENOMEM;
}

/* Welfare hats of the players in r into W. */
static void welfare_of(const tw_talks_opts *o, const tw_result *r, double *W)
{
    for (size_t k = 0; k < o->n_players; k++) W[k] = tw_result_welfare_hat(r, o->players[k]);
}

static tw_status solve_into(tw_game *g, const tw_talks_opts *o, const tw_shock *s, double *W, tw_error *err)
{
    tw_result *r = tw_game_solve_with(g, s, err);
    if (!r) return fail_from(err);
    welfare_of(o, r, W);
    tw_result_free(r);
    return TW_OK;
}

/* The threat point into t->threat; *h is the game the talks go on with. */
static tw_status threat_point(tw_game *g, const tw_talks_opts *o, tw_talks *t, tw_game **h, tw_error *err)
{
    *h = g;
    if (o->threat == TW_THREAT_STATUS_QUO) {
        memcpy(t->threat, t->status_quo, o->n_players * sizeof *t->threat);
        return TW_OK;
    }
    if (o->threat == TW_THREAT_SHOCK) return solve_into(g, o, o->threat_shock, t->threat, err);
    tw_outcome *war = tw_game_nash(g, o->players, o->n_players, 0, err);
    if (!war) return fail_from(err);
    welfare_of(o, tw_outcome_result(war), t->threat);
    tw_outcome_free(war);
    *h = game_fresh(g, err); /* talks start again from the status quo */
    return *h ? TW_OK : fail_from(err);
}

/* The frontier of two players, weights 1/(K+1) .. K/(K+1) on the first. */
static tw_status frontier(tw_game *h, const tw_talks_opts *o, tw_talks *t, tw_error *err)
{
    size_t K = o->frontier;
    t->weights = malloc(2 * K * sizeof *t->weights);
    t->frontier = calloc(K, sizeof(tw_outcome *));
    if (!t->weights || !t->frontier) return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    t->n_frontier = K;
    for (size_t q = 0; q < K; q++) {
        t->weights[2 * q] = (double)(q + 1) / (double)(K + 1);
        t->weights[2 * q + 1] = 1.0 - t->weights[2 * q];
    }
    return tw_game_frontier(h, o->players, 2, t->threat, t->weights, K, t->bargain, t->frontier, err);
}

static tw_talks *talks_new(const tw_talks_opts *o, tw_error *err)
{
    tw_talks *t = calloc(1, sizeof *t);
    if (t) {
        t->n_players = o->n_players;
        t->status_quo = calloc(o->n_players, sizeof *t->status_quo);
        t->threat = calloc(o->n_players, sizeof *t->threat);
        t->bonus = calloc(o->n_players, sizeof *t->bonus);
    }
    if (!t || !t->status_quo || !t->threat || !t->bonus) {
        tw_talks_free(t);
        tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
        return NULL;
    }
    for (size_t k = 0; k < o->n_players; k++)
        if (o->has_concession && o->players[k] == o->receiver) t->bonus[k] = o->concession;
    return t;
}

/* Everything but the frontier, in the order of the file's comment. */
static tw_status talk(tw_game *g, const tw_talks_opts *o, tw_talks *t, tw_game **h, tw_error *err)
{
    tw_status st = TW_OK;
    if (o->status_quo || o->threat == TW_THREAT_STATUS_QUO) st = solve_into(g, o, NULL, t->status_quo, err);
    if (!st) st = threat_point(g, o, t, h, err);
    if (st) return st;
    t->bargain = tw_game_bargain(*h, o->players, o->n_players, t->threat, NULL, err);
    if (!t->bargain) return fail_from(err);
    if (o->has_concession) {
        t->with_concession = tw_game_bargain(*h, o->players, o->n_players, t->threat, t->bonus, err);
        if (!t->with_concession) return fail_from(err);
    }
    if (o->deal) {
        t->deal = tw_game_solve_with(*h, o->deal, err);
        if (!t->deal) return fail_from(err);
    }
    return TW_OK;
}

tw_status tw_game_talks(tw_game *g, const tw_talks_opts *o, tw_talks **out, tw_error *err)
{
    tw_error local;
    if (!err) err = &local;
    *out = NULL;
    if (!o || o->n_players < 2 || !o->players || (o->threat == TW_THREAT_SHOCK && !o->threat_shock))
        return tw_error_set(err, TW_EARG, NULL, 0, 0, "talks need at least two players and a threat point");
    tw_talks *t = talks_new(o, err);
    if (!t) return TW_ENOMEM;
    tw_game *h = g;
    tw_status st = talk(g, o, t, &h, err);
    if (!st && o->n_players == 2 && o->frontier > 0) {
        st = frontier(h, o, t, err);
        if (st && (!t->frontier || !t->frontier[0])) t->n_frontier = 0;
    }
    if (h != g) tw_game_free(h);
    if (st && t->n_frontier == 0) {
        tw_talks_free(t);
        return st;
    }
    *out = t;
    return st;
}

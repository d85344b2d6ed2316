/* nash.c - Nash equilibria of the tariff game by iterated best responses.
 *
 * Players move in the order given (Gauss-Seidel): each best-responds to the
 * latest tariffs of the others, and its answer is applied at once.  A round
 * in which no instrument value moves by more than 10 x xtol ends the search;
 * the equilibrium is then a fixed point of the best-response map to that
 * accuracy (tested).  Running out of rounds is a failure (TW_ENOCONV). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "game_impl.h"

tw_status game_maximise(tw_game *g, tw_imap *m, double *x, size_t *evals, tw_error *err);

/* The players' maps and starting values (the current tariffs) into o. */
static tw_status nash_players(tw_game *g, const size_t *players, size_t n_players, int all_partners,
                              unsigned char *is_player, tw_imap *maps, tw_outcome *o, tw_error *err)
{
    tw_status st = TW_OK;
    for (size_t k = 0; k < n_players && !st; k++) {
        if (players[k] >= g->N) st = tw_error_set(err, TW_EARG, NULL, 0, 0, "player index out of range");
        else if (is_player[players[k]])
            st = tw_error_set(err, TW_EINPUT, NULL, 0, 0, "player %s listed twice", tw_world_country_code(g->w, players[k]));
        else is_player[players[k]] = 1;
    }
    for (size_t k = 0; k < n_players && !st; k++) {
        st = imap_build(g, players[k], all_partners ? NULL : is_player, g->instr, &maps[k], err);
        if (!st) {
            o->player[k] = players[k];
            o->n_params[k] = maps[k].n_params;
            o->params[k] = malloc(maps[k].n_params * sizeof(double));
            if (!o->params[k]) st = tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
            else imap_read(g, &maps[k], g->shock, o->params[k]);
        }
    }
    return st;
}

/* Best responses in turn until a round moves no value by more than 10 x
 * xtol; *rounds and *moved say how it went.  x: scratch for the largest map. */
static tw_status nash_rounds(tw_game *g, tw_imap *maps, tw_outcome *o, double *x, size_t s0,
                             size_t *rounds, double *moved, tw_error *err)
{
    tw_status st = TW_OK;
    size_t round = 0;
    *moved = INFINITY;
    while (!st && round < g->max_rounds && !(*moved <= 10 * g->xtol)) {
        round++;
        *moved = 0;
        for (size_t k = 0; k < o->n_players && !st; k++) {
            memcpy(x, o->params[k], maps[k].n_params * sizeof *x);
            st = game_maximise(g, &maps[k], x, NULL, err);
            if (st) break;
            for (size_t p = 0; p < maps[k].n_params; p++) *moved = fmax(*moved, fabs(x[p] - o->params[k][p]));
            memcpy(o->params[k], x, maps[k].n_params * sizeof *x);
            imap_apply(&maps[k], x, g->shock);
        }
        if (!st)
            game_say(g, "nash: round %zu, largest tariff change %.2e, %zu solves so far", round, *moved,
                     g->n_solves - s0);
    }
    *rounds = round;
    if (!st && !(*moved <= 10 * g->xtol))
        st = tw_error_set(err, TW_ENOCONV, NULL, 0, 0,
                          "Nash equilibrium not reached after %zu rounds (largest tariff change %.1e > %.0e)",
                          round, *moved, 10 * g->xtol);
    return st;
}

/* The equilibrium at the Nash tariffs into o. */
static tw_status nash_finish(tw_game *g, tw_outcome *o, size_t s0, tw_error *err)
{
    tw_status st = TW_OK;
    o->shock = tw_shock_clone(g->shock, err);
    g->failed = 0;
    o->r = o->shock ? game_solve(g, o->shock) : NULL;
    if (!o->r) {
        if (o->shock) *err = g->err;
        st = err->code ? err->code : TW_ENOMEM;
    }
    o->solves = g->n_solves - s0;
    return st;
}

tw_outcome *tw_game_nash(tw_game *g, const size_t *players, size_t n_players, int all_partners,
                         tw_error *err)
{
    tw_error local;
    if (!err) err = &local;
    if (n_players < 1 || (n_players < 2 && !all_partners)) {
        tw_error_set(err, TW_EARG, NULL, 0, 0, "a Nash equilibrium needs at least two players");
        return NULL;
    }
    unsigned char *is_player = calloc(g->N, 1);
    tw_imap *maps = calloc(n_players, sizeof *maps);
    tw_outcome *o = outcome_new(n_players, err);
    tw_status st = (!is_player || !maps || !o) ? tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory") : TW_OK;
    if (!st) st = nash_players(g, players, n_players, all_partners, is_player, maps, o, err);
    size_t s0 = g->n_solves, maxp = 0, rounds = 0;
    double moved = INFINITY, *x = NULL;
    for (size_t k = 0; k < n_players && !st; k++) maxp = maps[k].n_params > maxp ? maps[k].n_params : maxp;
    if (!st && !(x = malloc(maxp * sizeof *x))) st = tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    if (!st) st = nash_rounds(g, maps, o, x, s0, &rounds, &moved, err);
    if (!st) {
        o->rounds = rounds;
        o->residual = moved;
        st = nash_finish(g, o, s0, err);
    }
    for (size_t k = 0; k < n_players && maps; k++) imap_free(&maps[k]);
    free(maps);
    free(is_player);
    free(x);
    if (st) {
        tw_outcome_free(o);
        return NULL;
    }
    return o;
}

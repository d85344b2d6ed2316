/* talks.c - trade talks: the Nash bargaining solution and points of the
 * efficient frontier among players with uniform tariffs on each other.
 *
 * The search is NLopt's BOBYQA (derivative-free, bound-constrained) on the
 * log of the Nash product sum_k log(W_k + bonus_k - threat_k), which is -inf
 * outside the bargaining set; infeasible points get a large negative value
 * that grows with the shortfall, so the search walks back into the set.  The
 * start is the first feasible point among: the game's current tariffs, free
 * trade among the players, and a coarse grid. */
#include <math.h>
#include <nlopt.h>
#include <stdlib.h>
#include <string.h>

#include "game_impl.h"

typedef struct talk {
    tw_game *g;
    tw_imap *maps;
    size_t P;
    const double *threat, *bonus, *weight; /* weight NULL: Nash product */
    double *W;
    size_t evals;
} talk;

/* W_k at x (one uniform tariff per player); 0 on success. */
static int eval_all(talk *t, const double *x)
{
    tw_game *g = t->g;
    size_t nij = g->N * g->N * g->J;
    memcpy(g->work->tau, g->shock->tau, nij * sizeof(double));
    memcpy(g->work->dhat, g->shock->dhat, nij * sizeof(double));
    for (size_t k = 0; k < t->P; k++) imap_apply(&t->maps[k], &x[k], g->work);
    tw_result *r = game_solve(g, g->work);
    t->evals++;
    if (!r) return -1;
    for (size_t k = 0; k < t->P; k++) t->W[k] = tw_result_welfare_hat(r, t->maps[k].n);
    tw_result_free(r);
    return 0;
}

static double objective(unsigned n, const double *x, double *grad, void *data)
{
    (void)n;
    (void)grad;
    talk *t = data;
    if (eval_all(t, x)) return -HUGE_VAL;
    double f = 0, shortfall = 0;
    for (size_t k = 0; k < t->P; k++) {
        double gain = t->W[k] + (t->bonus ? t->bonus[k] : 0) - t->threat[k];
        if (!(gain > 0)) shortfall += -gain + 1e-12;
        else f += t->weight ? t->weight[k] * t->W[k] : log(gain);
    }
    return shortfall > 0 ? -1e6 * (1.0 + shortfall) : f;
}

static tw_outcome *talks(tw_game *g, const size_t *players, size_t P, const double *threat,
                         const double *bonus, const double *weight, tw_error *err)
{
    tw_error local;
    if (!err) err = &local;
    if (P < 2) {
        tw_error_set(err, TW_EARG, NULL, 0, 0, "talks need at least two players");
        return NULL;
    }
    unsigned char *is_player = calloc(g->N, 1);
    tw_imap *maps = calloc(P, sizeof *maps);
    double *x = calloc(P, sizeof *x), *W = calloc(P, sizeof *W), *best = calloc(P, sizeof *best);
    tw_outcome *o = outcome_new(P, err);
    tw_status st = (!is_player || !maps || !x || !W || !best || !o)
                       ? tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory") : TW_OK;
    for (size_t k = 0; k < P && !st; k++) {
        if (players[k] >= g->N) st = tw_error_set(err, TW_EARG, NULL, 0, 0, "player index out of range");
        else is_player[players[k]] = 1;
    }
    for (size_t k = 0; k < P && !st; k++)
        st = imap_build(g, players[k], is_player, TW_INSTR_UNIFORM, &maps[k], err);
    talk t = {.g = g, .maps = maps, .P = P, .threat = threat, .bonus = bonus, .weight = weight, .W = W};
    size_t s0 = g->n_solves;
    g->failed = 0;
    if (!st) {
        /* a feasible start: current tariffs, free trade, then a coarse grid */
        int found = 0;
        for (size_t k = 0; k < P; k++) imap_read(g, &maps[k], g->shock, &x[k]);
        for (int attempt = 0; attempt < 2 && !found && !g->failed; attempt++) {
            if (attempt == 1)
                for (size_t k = 0; k < P; k++) x[k] = g->lo;
            found = objective((unsigned)P, x, NULL, &t) > -1e6;
        }
        const double grid[] = {0.0, 0.05, 0.1, 0.2, 0.4, 0.8};
        size_t ng = sizeof grid / sizeof grid[0], total = 1;
        for (size_t k = 0; k < P && total < 100000; k++) total *= ng;
        for (size_t c = 0; c < total && !found && !g->failed && P <= 4; c++) {
            size_t v = c;
            for (size_t k = 0; k < P; k++, v /= ng) x[k] = fmin(fmax(grid[v % ng], g->lo), g->hi);
            found = objective((unsigned)P, x, NULL, &t) > -1e6;
        }
        if (g->failed) {
            *err = g->err;
            st = err->code;
        } else if (!found) {
            st = tw_error_set(err, TW_ENOCONV, NULL, 0, 0,
                              "no tariffs found that leave every player at least as well off as the threat point");
        }
    }
    if (!st) {
        nlopt_opt opt = nlopt_create(NLOPT_LN_BOBYQA, (unsigned)P);
        if (!opt) st = tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
        else {
            nlopt_set_lower_bounds1(opt, g->lo);
            nlopt_set_upper_bounds1(opt, g->hi);
            nlopt_set_max_objective(opt, objective, &t);
            nlopt_set_xtol_abs1(opt, g->xtol);
            nlopt_set_initial_step1(opt, 0.02);
            nlopt_set_maxeval(opt, (int)(400 * P));
            double f;
            nlopt_result rc = nlopt_optimize(opt, x, &f);
            nlopt_destroy(opt);
            if (g->failed) {
                *err = g->err;
                st = err->code;
            } else if (rc < 0 && rc != NLOPT_ROUNDOFF_LIMITED) {
                st = tw_error_set(err, TW_ENOCONV, NULL, 0, 0, "bargaining search failed (optimiser code %d)", (int)rc);
            } else if (rc == NLOPT_MAXEVAL_REACHED) {
                st = tw_error_set(err, TW_ENOCONV, NULL, 0, 0, "bargaining search did not converge in %zu solves", t.evals);
            } else if (!(f > -1e6)) {
                st = tw_error_set(err, TW_ENOCONV, NULL, 0, 0, "bargaining search left the bargaining set");
            }
        }
    }
    if (!st) {
        o->shock = tw_shock_clone(g->shock, err);
        if (!o->shock) st = TW_ENOMEM;
    }
    for (size_t k = 0; k < P && !st; k++) {
        imap_apply(&maps[k], &x[k], o->shock);
        o->player[k] = players[k];
        o->n_params[k] = 1;
        o->params[k] = malloc(sizeof(double));
        if (!o->params[k]) st = tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
        else o->params[k][0] = x[k];
    }
    if (!st) {
        g->failed = 0;
        o->r = game_solve(g, o->shock);
        if (!o->r) {
            *err = g->err;
            st = err->code;
        }
    }
    if (o) o->solves = g->n_solves - s0; /* o is NULL when out of memory */
    for (size_t k = 0; k < P && maps; k++) imap_free(&maps[k]);
    free(maps); free(is_player); free(x); free(W); free(best);
    if (st) {
        tw_outcome_free(o);
        return NULL;
    }
    return o;
}

tw_outcome *tw_game_bargain(tw_game *g, const size_t *players, size_t n_players,
                            const double *threat, const double *bonus, tw_error *err)
{
    return talks(g, players, n_players, threat, bonus, NULL, err);
}

tw_outcome *tw_game_frontier_point(tw_game *g, const size_t *players, size_t n_players,
                                   const double *threat, const double *weight, tw_error *err)
{
    return talks(g, players, n_players, threat, NULL, weight, err);
}

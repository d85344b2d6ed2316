/* cooperate.c - efficient (cooperative) tariffs: the players' instrument
 * values that maximise a weighted sum of their exact welfare, and the Pareto
 * improvements over a reference point (docs/game.md).
 *
 * Without a floor the problem has bounds only: NLopt's L-BFGS on
 * sum_k weight_k W_k, gradients from game_welfare_weighted.  With a floor
 * (W_k >= floor_k for every player) the floors are constraints: NLopt's
 * SLSQP, the objective's gradient the weighted sum of the players' own
 * gradients (all from one solve, game_welfare_many, so the objective and the
 * constraints share them).  The search starts from the
 * better of the game's current tariffs and free trade among the players (a
 * start that meets the floors first).  Every point evaluated is a candidate:
 * the answer is the best one that meets the floors (by at least half of
 * COOP_MARGIN), so it is never worse than the start. */
#include <math.h>
#include <nlopt.h>
#include <stdlib.h>
#include <string.h>

#include "game_impl.h"

/* The constrained search aims at W_k - floor_k >= COOP_MARGIN and accepts
 * half of it: above the noise of a solve to 1e-12 (about 1e-13 in W). */
#define COOP_MARGIN 2e-11

typedef struct coop {
    tw_game *g;
    tw_imap *maps;
    size_t P, n;              /* players, parameters (all maps) */
    const size_t *who;        /* the players' importer indices */
    const double *weight, *floor;
    /* the last point evaluated: x, W per player (with a floor), the weighted
     * welfare and its gradient, the players' gradients dW[k * n + p];
     * have = 1: values only, 2: with gradients */
    double *xc, *Wc, *gc, *dW, fc;
    int have;
    double *best_x, best_f;   /* the best point meeting the floors so far */
    int has_best;
    nlopt_opt opt;
} coop;

static void coop_close(coop *c)
{
    for (size_t k = 0; k < c->P && c->maps; k++) imap_free(&c->maps[k]);
    free(c->maps);
    free(c->xc);
    memset(c, 0, sizeof *c);
}

static tw_status coop_open(coop *c, tw_game *g, const size_t *players, size_t P, tw_error *err)
{
    memset(c, 0, sizeof *c);
    c->g = g;
    c->P = P;
    c->who = players;
    unsigned char *is_player = calloc(g->N, 1);
    c->maps = calloc(P, sizeof *c->maps);
    tw_status st = (!is_player || !c->maps) ? tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory") : TW_OK;
    for (size_t k = 0; k < P && !st; k++) {
        if (players[k] >= g->N) st = tw_error_set(err, TW_EARG, NULL, 0, 0, "player index out of range");
        else if (is_player[players[k]])
            st = tw_error_set(err, TW_EARG, NULL, 0, 0, "player %s listed twice", tw_world_country_code(g->w, players[k]));
        else is_player[players[k]] = 1;
    }
    for (size_t k = 0; k < P && !st; k++) {
        st = imap_build(g, players[k], is_player, g->instr, &c->maps[k], err);
        if (!st) c->n += c->maps[k].n_params;
    }
    free(is_player);
    size_t n = c->n;
    /* one block: xc, gc, best_x [n], Wc [P], dW [P * n] */
    if (!st && !(c->xc = calloc(3 * n + P + P * n, sizeof *c->xc)))
        st = tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    if (!st) {
        c->gc = c->xc + n;
        c->best_x = c->gc + n;
        c->Wc = c->best_x + n;
        c->dW = c->Wc + P;
    }
    if (st) coop_close(c);
    return st;
}

/* Whether the players' welfare Wc meets the floors (by half the margin). */
static int meets_floor(const coop *c)
{
    for (size_t k = 0; c->floor && k < c->P; k++)
        if (!(c->Wc[k] - c->floor[k] >= 0.5 * COOP_MARGIN)) return 0;
    return 1;
}

/* Every player's W at x from one solve (no gradient). */
static int eval_values(coop *c, const double *x)
{
    tw_game *g = c->g;
    tw_shock_copy_from(g->work, g->shock);
    for (size_t k = 0, off = 0; k < c->P; off += c->maps[k].n_params, k++) imap_apply(&c->maps[k], x + off, g->work);
    tw_result *r = game_solve(g, g->work);
    if (!r) return -1;
    for (size_t k = 0; k < c->P; k++) c->Wc[k] = tw_result_welfare_hat(r, c->who[k]);
    tw_result_free(r);
    return 0;
}

/* Each player's W at x into Wc and its gradient into dW (row k: player k),
 * all from one solve (game_welfare_many).  0, or -1 with g->err set. */
static int players_with_gradients(coop *c, const double *x)
{
    tw_game *g = c->g;
    double *omega = calloc(c->P * g->N, sizeof *omega);
    if (!omega) {
        if (!g->failed) tw_error_set(&g->err, TW_ENOMEM, NULL, 0, 0, "out of memory");
        g->failed = 1;
        return -1;
    }
    for (size_t k = 0; k < c->P; k++) omega[k * g->N + c->who[k]] = 1.0;
    int rc = game_welfare_many(g, c->maps, c->P, x, c->P, omega, c->Wc, c->dW, g->shock);
    free(omega);
    return rc;
}

/* The weighted welfare at x (and its gradient when grad is set) into fc
 * (gc); with a floor, each player's W (and gradient) too.  The last point is
 * kept: NLopt asks for the objective and the constraints at the same x one
 * after the other.  0, or -1 when a solve failed (g->err). */
static int coop_eval(coop *c, const double *x, int grad)
{
    size_t n = c->n, P = c->P;
    tw_game *g = c->g;
    if (c->have >= 1 + grad && !memcmp(x, c->xc, n * sizeof *x)) return 0;
    c->have = 0;
    if (!c->floor) {
        c->fc = game_welfare_weighted(g, c->maps, P, x, c->who, c->weight, P, grad ? c->gc : NULL, g->shock);
        if (!isfinite(c->fc)) return -1;
    } else {
        if (grad && players_with_gradients(c, x)) return -1;
        if (!grad && eval_values(c, x)) return -1;
        c->fc = 0;
        for (size_t k = 0; k < P; k++) c->fc += c->weight[k] * c->Wc[k];
        for (size_t p = 0; p < n && grad; p++) {
            c->gc[p] = 0;
            for (size_t k = 0; k < P; k++) c->gc[p] += c->weight[k] * c->dW[k * n + p];
        }
    }
    memcpy(c->xc, x, n * sizeof *x);
    c->have = 1 + grad;
    if (meets_floor(c) && (!c->has_best || c->fc > c->best_f)) {
        memcpy(c->best_x, x, n * sizeof *x);
        c->best_f = c->fc;
        c->has_best = 1;
    }
    return 0;
}

static double objective(unsigned n, const double *x, double *grad, void *data)
{
    coop *c = data;
    if (coop_eval(c, x, grad != NULL)) {
        nlopt_force_stop(c->opt);
        return -HUGE_VAL;
    }
    if (grad) memcpy(grad, c->gc, n * sizeof *grad);
    return c->fc;
}

/* The floors, as NLopt's c_k(x) <= 0: floor_k + margin - W_k(x). */
static void floors(unsigned m, double *cv, unsigned n, const double *x, double *grad, void *data)
{
    coop *c = data;
    if (coop_eval(c, x, grad != NULL)) {
        nlopt_force_stop(c->opt);
        for (size_t k = 0; k < m; k++) cv[k] = HUGE_VAL;
        return;
    }
    for (size_t k = 0; k < m; k++) {
        cv[k] = c->floor[k] + COOP_MARGIN - c->Wc[k];
        for (size_t p = 0; grad && p < n; p++) grad[k * n + p] = -c->dW[k * n + p];
    }
}

/* The start into x: the better of the current tariffs and free trade among
 * the players (one meeting the floors first).  0, or -1 when a solve failed. */
static int coop_start(coop *c, double *x)
{
    tw_game *g = c->g;
    for (size_t k = 0, off = 0; k < c->P; off += c->maps[k].n_params, k++) imap_read(g, &c->maps[k], g->shock, x + off);
    for (size_t p = 0; p < c->n; p++) x[p] = fmin(fmax(x[p], g->lo), g->hi);
    if (coop_eval(c, x, 0)) return -1;
    double f0 = c->fc;
    int ok0 = meets_floor(c);
    double *xf = c->gc; /* scratch until the search starts */
    for (size_t p = 0; p < c->n; p++) xf[p] = g->lo;
    if (coop_eval(c, xf, 0)) return -1;
    int okf = meets_floor(c);
    if ((okf && !ok0) || (okf == ok0 && c->fc > f0)) memcpy(x, xf, c->n * sizeof *x);
    return 0;
}

/* Whether the search ended well: a convergence criterion met, or (without a
 * floor) a stop on round-off with a projected gradient below 1e-7 at the
 * best point; with a floor, a round-off stop at a point meeting the floors. */
static tw_status coop_verdict(coop *c, nlopt_result rc, tw_error *err)
{
    tw_game *g = c->g;
    if (g->failed) {
        *err = g->err;
        return g->err.code ? g->err.code : TW_ENOCONV;
    }
    if (!c->has_best)
        return tw_error_set(err, TW_ENOCONV, NULL, 0, 0,
                            "no tariffs found that leave every player at least as well off as the reference point");
    int clean = rc > 0 && rc != NLOPT_MAXEVAL_REACHED && rc != NLOPT_MAXTIME_REACHED;
    if (clean) return TW_OK;
    double pg = NAN;
    if (rc == NLOPT_ROUNDOFF_LIMITED && c->floor) return TW_OK;
    if ((rc == NLOPT_ROUNDOFF_LIMITED || rc == NLOPT_FAILURE) && !c->floor) {
        if (coop_eval(c, c->best_x, 1)) return coop_verdict(c, rc, err);
        pg = game_projected_gradient(g, c->best_x, c->gc, c->n);
        if (pg < 1e-7) return TW_OK;
    }
    return tw_error_set(err, TW_ENOCONV, NULL, 0, 0,
                        "cooperative search did not converge (optimiser code %d, gradient %.1e)", (int)rc, pg);
}

/* The search from x: L-BFGS without a floor, SLSQP with one. */
static tw_status coop_search(coop *c, double *x, tw_error *err)
{
    tw_game *g = c->g;
    size_t n = c->n, P = c->P;
    nlopt_opt opt = nlopt_create(c->floor ? NLOPT_LD_SLSQP : NLOPT_LD_LBFGS, (unsigned)n);
    double *ctol = malloc(P * sizeof *ctol);
    if (!opt || !ctol) {
        nlopt_destroy(opt);
        free(ctol);
        return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    }
    c->opt = opt;
    nlopt_set_lower_bounds1(opt, g->lo);
    nlopt_set_upper_bounds1(opt, g->hi);
    nlopt_set_max_objective(opt, objective, c);
    if (c->floor) {
        for (size_t k = 0; k < P; k++) ctol[k] = 0.5 * COOP_MARGIN;
        nlopt_add_inequality_mconstraint(opt, (unsigned)P, floors, c, ctol);
    }
    nlopt_set_xtol_abs1(opt, 0.1 * g->xtol);
    nlopt_set_ftol_abs(opt, 1e-15);
    nlopt_set_maxeval(opt, (int)(200 + 20 * n));
    double f = 0;
    nlopt_result rc = nlopt_optimize(opt, x, &f);
    nlopt_destroy(opt);
    free(ctol);
    c->opt = NULL;
    return coop_verdict(c, rc, err);
}

/* The outcome at the best point: the game's tariffs with the players' set. */
static tw_outcome *coop_outcome(coop *c, tw_error *err)
{
    tw_game *g = c->g;
    tw_outcome *o = outcome_new(c->P, err);
    if (!o) return NULL;
    o->shock = tw_shock_clone(g->shock, err);
    tw_status st = o->shock ? TW_OK : TW_ENOMEM;
    for (size_t k = 0, off = 0; k < c->P && !st; off += c->maps[k].n_params, k++) {
        const double *xk = c->best_x + off;
        imap_apply(&c->maps[k], xk, o->shock);
        o->player[k] = c->who[k];
        o->n_params[k] = c->maps[k].n_params;
        o->params[k] = malloc(o->n_params[k] * sizeof(double));
        if (!o->params[k]) st = tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
        else memcpy(o->params[k], xk, o->n_params[k] * sizeof(double));
    }
    if (!st) {
        g->failed = 0;
        o->r = game_solve(g, o->shock);
        if (!o->r) {
            *err = g->err;
            st = err->code ? err->code : TW_ENOCONV;
        }
    }
    if (st) {
        tw_outcome_free(o);
        return NULL;
    }
    return o;
}

static tw_status check_weights(const tw_game *g, const double *weights, size_t P, tw_error *err)
{
    double sum = 0;
    for (size_t k = 0; k < P; k++) {
        if (!(weights[k] >= 0 && isfinite(weights[k])))
            return tw_error_set(err, TW_EARG, NULL, 0, 0, "weight %zu is %g: weights must be finite and >= 0", k + 1,
                                weights[k]);
        sum += weights[k];
    }
    (void)g;
    if (!(sum > 0)) return tw_error_set(err, TW_EARG, NULL, 0, 0, "the weights are all 0");
    return TW_OK;
}

tw_outcome *tw_game_cooperate(tw_game *g, const size_t *players, size_t n_players, const double *weights,
                              const double *at_least, tw_error *err)
{
    tw_error local;
    if (!err) err = &local;
    if (n_players < 2) {
        tw_error_set(err, TW_EARG, NULL, 0, 0, "cooperation needs at least two players");
        return NULL;
    }
    if (check_weights(g, weights, n_players, err)) return NULL;
    coop c;
    if (coop_open(&c, g, players, n_players, err)) return NULL;
    c.weight = weights;
    c.floor = at_least;
    size_t s0 = g->n_solves;
    g->failed = 0;
    double *x = malloc(c.n * sizeof *x);
    tw_status st = x ? TW_OK : tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    if (!st && coop_start(&c, x)) {
        *err = g->err;
        st = err->code ? err->code : TW_ENOCONV;
    }
    if (!st) st = coop_search(&c, x, err);
    tw_outcome *o = st ? NULL : coop_outcome(&c, err);
    if (o) o->solves = g->n_solves - s0;
    free(x);
    coop_close(&c);
    return o;
}

/* talks.c - trade talks: the Nash bargaining solution and the efficient
 * frontier among players with uniform tariffs on each other.
 *
 * Bargaining: NLopt's BOBYQA (derivative-free, bound-constrained) on the log
 * of the Nash product sum_k log(W_k + bonus_k - threat_k), which is -inf
 * outside the bargaining set; infeasible points get a large negative value
 * that grows with the shortfall, so the search walks back into the set.  The
 * start is the first feasible point among: the game's current tariffs, free
 * trade among the players, and a coarse grid.
 *
 * Frontier: maximise sum_k weight_k W_k subject to W_k >= threat_k.  Unlike
 * the log of the Nash product, the weighted sum has no barrier at the edge of
 * the bargaining set, and its optimum usually lies on that edge (a player held
 * at its threat point) or on a bound.  A cliff penalty there defeats BOBYQA's
 * quadratic model (it shrinks its trust region while crawling along the curved
 * edge and stops far from the optimum), so the frontier takes the
 * participation constraints as constraints: NLopt's SLSQP with gradients
 * by the implicit function theorem (game_welfare_many), from several starts (the bargain, the point
 * of the neighbouring weight, the current tariffs).  Every feasible point
 * found, for any weight, and the bargain are candidates for every weight, and
 * each weight keeps its best.  Invariant: no frontier
 * point returned is dominated by another point the call computed, or the call
 * says so (TW_ENOCONV, with the points still filled in). */
#include <math.h>
#include <nlopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "game_impl.h"

/* The search aims at W_k - threat_k >= FRONTIER_MARGIN and accepts half of
 * it: above the noise of a solve to 1e-12 (about 1e-13 in W), below the
 * tolerance of the domination check; so a point on the edge of the
 * bargaining set is inside it. */
#define FRONTIER_MARGIN 2e-11
#define MAX_SEEDS 3

typedef struct talk {
    tw_game *g;
    tw_imap *maps;
    unsigned char *is_player;
    size_t P;
    const double *threat, *bonus, *weight;
    double *W;
    size_t evals;
    /* frontier: the last point evaluated, its welfare and gradients
     * (dW[k * P + p] = dW_k / dx_p); have = 1: W only, 2: W and dW */
    double *xc, *Wc, *dW;
    double *omega; /* [P][N]: objective k is player k's welfare */
    double *work;  /* one block holding W, xc, Wc [P], dW [P * P], omega [P * N] */
    int have;
    nlopt_opt opt;
} talk;

static void talk_close(talk *t)
{
    for (size_t k = 0; k < t->P && t->maps; k++) imap_free(&t->maps[k]);
    free(t->maps);
    free(t->is_player);
    free(t->work);
    memset(t, 0, sizeof *t);
}

static tw_status talk_open(talk *t, tw_game *g, const size_t *players, size_t P, tw_error *err)
{
    memset(t, 0, sizeof *t);
    if (P < 2) return tw_error_set(err, TW_EARG, NULL, 0, 0, "talks need at least two players");
    t->g = g;
    t->P = P;
    t->is_player = calloc(g->N, 1);
    t->maps = calloc(P, sizeof *t->maps);
    t->work = calloc(3 * P + P * P + P * g->N, sizeof *t->work);
    tw_status st = (!t->is_player || !t->maps || !t->work)
                       ? tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory") : TW_OK;
    if (!st) {
        t->W = t->work;
        t->xc = t->W + P;
        t->Wc = t->xc + P;
        t->dW = t->Wc + P;
        t->omega = t->dW + P * P;
    }
    for (size_t k = 0; k < P && !st; k++) {
        if (players[k] >= g->N) st = tw_error_set(err, TW_EARG, NULL, 0, 0, "player index out of range");
        else {
            t->is_player[players[k]] = 1;
            t->omega[k * g->N + players[k]] = 1.0;
        }
    }
    for (size_t k = 0; k < P && !st; k++)
        st = imap_build(g, players[k], t->is_player, TW_INSTR_UNIFORM, &t->maps[k], err);
    if (st) talk_close(t);
    return st;
}

/* W_k at x (one uniform tariff per player); 0 on success. */
static int eval_all(talk *t, const double *x)
{
    tw_game *g = t->g;
    tw_shock_copy_from(g->work, g->shock);
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
        else f += log(gain);
    }
    return shortfall > 0 ? -1e6 * (1.0 + shortfall) : f;
}

/* The outcome of tariffs x: the game's tariffs with the players' uniform
 * tariffs set to x, and their equilibrium. */
static tw_outcome *talk_outcome(talk *t, const size_t *players, const double *x, tw_error *err)
{
    tw_game *g = t->g;
    tw_outcome *o = outcome_new(t->P, err);
    if (!o) return NULL;
    o->shock = tw_shock_clone(g->shock, err);
    tw_status st = o->shock ? TW_OK : TW_ENOMEM;
    for (size_t k = 0; k < t->P && !st; k++) {
        imap_apply(&t->maps[k], &x[k], o->shock);
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
    if (st) {
        tw_outcome_free(o);
        return NULL;
    }
    return o;
}

tw_outcome *tw_game_bargain(tw_game *g, const size_t *players, size_t P, const double *threat,
                            const double *bonus, tw_error *err)
{
    tw_error local;
    if (!err) err = &local;
    talk t;
    tw_status st = talk_open(&t, g, players, P, err);
    if (st) return NULL;
    t.threat = threat;
    t.bonus = bonus;
    double *x = calloc(P, sizeof *x);
    if (!x) st = tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    size_t s0 = g->n_solves;
    g->failed = 0;
    if (!st) {
        /* a feasible start: current tariffs, free trade, then a coarse grid */
        int found = 0;
        for (size_t k = 0; k < P; k++) imap_read(g, &t.maps[k], g->shock, &x[k]);
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
    tw_outcome *o = st ? NULL : talk_outcome(&t, players, x, err);
    if (o) o->solves = g->n_solves - s0;
    free(x);
    talk_close(&t);
    return o;
}

/* ---- the efficient frontier ---- */

/* W at x and, when grad is set, dW (one solve and one gradient by the
 * implicit function theorem for all players at once).  NLopt asks for the
 * objective and the constraints at the same x one after the other: the last
 * evaluation is kept and reused. */
static int frontier_eval(talk *t, const double *x, int grad)
{
    size_t P = t->P;
    if (t->have >= 1 + grad && !memcmp(x, t->xc, P * sizeof *x)) return 0;
    if (!grad) {
        if (eval_all(t, x)) return -1;
    } else {
        t->evals++;
        if (game_welfare_many(t->g, t->maps, P, x, P, t->omega, t->W, t->dW, t->g->shock)) return -1;
    }
    memcpy(t->xc, x, P * sizeof *x);
    memcpy(t->Wc, t->W, P * sizeof *t->W);
    t->have = 1 + grad;
    return 0;
}

static double frontier_objective(unsigned n, const double *x, double *grad, void *data)
{
    talk *t = data;
    if (frontier_eval(t, x, grad != NULL)) {
        nlopt_force_stop(t->opt);
        return -HUGE_VAL;
    }
    double f = 0;
    for (size_t k = 0; k < t->P; k++) f += t->weight[k] * t->Wc[k];
    for (size_t p = 0; grad && p < n; p++) {
        grad[p] = 0;
        for (size_t k = 0; k < t->P; k++) grad[p] += t->weight[k] * t->dW[k * t->P + p];
    }
    return f;
}

/* Participation, as NLopt's c_k(x) <= 0: threat_k + margin - W_k(x). */
static void frontier_constraints(unsigned m, double *c, unsigned n, const double *x, double *grad,
                                 void *data)
{
    talk *t = data;
    if (frontier_eval(t, x, grad != NULL)) {
        nlopt_force_stop(t->opt);
        for (size_t k = 0; k < m; k++) c[k] = HUGE_VAL;
        return;
    }
    for (size_t k = 0; k < m; k++) {
        c[k] = t->threat[k] + FRONTIER_MARGIN - t->Wc[k];
        for (size_t p = 0; grad && p < n; p++) grad[k * n + p] = -t->dW[k * t->P + p];
    }
}

static int feasible(const talk *t, const double *W)
{
    for (size_t k = 0; k < t->P; k++)
        if (!(W[k] - t->threat[k] > 0)) return 0;
    return 1;
}

/* One SLSQP search for the weights t->weight from x (updated; W gets its
 * welfare).  Returns 1 when it converged to a feasible point, 0 when it
 * ended elsewhere (*rc says how), -1 when a solve failed (g->err). */
static int frontier_search(talk *t, double *x, double *W, nlopt_result *rc)
{
    tw_game *g = t->g;
    size_t P = t->P;
    nlopt_opt opt = nlopt_create(NLOPT_LD_SLSQP, (unsigned)P);
    double *ctol = malloc(P * sizeof *ctol);
    if (!opt || !ctol) {
        nlopt_destroy(opt);
        free(ctol);
        g->failed = 1;
        tw_error_set(&g->err, TW_ENOMEM, NULL, 0, 0, "out of memory");
        return -1;
    }
    for (size_t k = 0; k < P; k++) ctol[k] = 0.5 * FRONTIER_MARGIN;
    t->opt = opt;
    t->have = 0;
    g->failed = 0;
    nlopt_set_lower_bounds1(opt, g->lo);
    nlopt_set_upper_bounds1(opt, g->hi);
    nlopt_set_max_objective(opt, frontier_objective, t);
    nlopt_add_inequality_mconstraint(opt, (unsigned)P, frontier_constraints, t, ctol);
    nlopt_set_xtol_abs1(opt, 0.1 * g->xtol);
    nlopt_set_ftol_abs(opt, 1e-15);
    nlopt_set_maxeval(opt, (int)(100 * P));
    for (size_t k = 0; k < P; k++) x[k] = fmin(fmax(x[k], g->lo), g->hi);
    double f = 0;
    *rc = nlopt_optimize(opt, x, &f);
    nlopt_destroy(opt);
    free(ctol);
    t->opt = NULL;
    /* SLSQP may stop a rounding error inside a bound: put it there */
    for (size_t k = 0; k < P; k++) {
        if (x[k] - g->lo < 1e-12) x[k] = g->lo;
        if (g->hi - x[k] < 1e-12) x[k] = g->hi;
    }
    if (g->failed || frontier_eval(t, x, 0)) return -1;
    memcpy(W, t->Wc, P * sizeof *W);
    if (!feasible(t, W)) return 0;
    return (*rc > 0 && *rc != NLOPT_MAXEVAL_REACHED && *rc != NLOPT_MAXTIME_REACHED) ||
           *rc == NLOPT_ROUNDOFF_LIMITED;
}

/* Index of a point among the n points W (P values each, row-major) that
 * dominates point q: at least as good for every player and better by more
 * than tol for one; n when none does. */
static size_t dominator(const double *W, size_t n, size_t P, size_t q, double tol)
{
    for (size_t r = 0; r < n; r++) {
        if (r == q) continue;
        int geq = 1, better = 0;
        for (size_t k = 0; k < P; k++) {
            double d = W[r * P + k] - W[q * P + k];
            geq &= d >= 0;
            better |= d > tol;
        }
        if (geq && better) return r;
    }
    return n;
}

/* Candidate points: tariffs and welfare, P each. */
typedef struct pool {
    size_t n, cap, P;
    double *x, *W;
} pool;

static void pool_add(pool *pl, const double *x, const double *W)
{
    if (pl->n >= pl->cap) return; /* the capacity counts every search */
    memcpy(&pl->x[pl->n * pl->P], x, pl->P * sizeof *x);
    memcpy(&pl->W[pl->n * pl->P], W, pl->P * sizeof *W);
    pl->n++;
}

/* The candidate with the largest weighted welfare (the first on ties). */
static size_t pool_best(const pool *pl, const double *weight)
{
    size_t best = 0;
    double fb = -HUGE_VAL;
    for (size_t c = 0; c < pl->n; c++) {
        double f = 0;
        for (size_t k = 0; k < pl->P; k++) f += weight[k] * pl->W[c * pl->P + k];
        if (f > fb) {
            fb = f;
            best = c;
        }
    }
    return best;
}

/* "0.333,0.667": a weight vector for messages. */
static void describe_weights(const double *wt, size_t P, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < P && len < size; k++)
        len += (size_t)snprintf(buf + len, size - len, "%s%.3f", k ? "," : "", wt[k]);
}

tw_status frontier_check(const tw_world *w, const size_t *players, size_t P, const double *weights,
                         const double *W, size_t K, int with_bargain, tw_error *err)
{
    size_t n = K + (with_bargain != 0);
    for (size_t q = 0; q < K; q++) {
        size_t d = dominator(W, n, P, q, TW_FRONTIER_TOL);
        if (d == n) continue;
        char wbuf[96], dbuf[160], who[40];
        describe_weights(&weights[q * P], P, wbuf, sizeof wbuf);
        size_t len = 0;
        dbuf[0] = '\0';
        for (size_t k = 0; k < P && len < sizeof dbuf; k++)
            len += (size_t)snprintf(dbuf + len, sizeof dbuf - len, "%s%s %+.6f %% vs %+.6f %%", k ? ", " : "",
                                    tw_world_country_code(w, players[k]), 100 * (W[d * P + k] - 1),
                                    100 * (W[q * P + k] - 1));
        if (d == K) snprintf(who, sizeof who, "the bargaining solution");
        else snprintf(who, sizeof who, "point %zu", d + 1);
        tw_error_set(err, TW_ENOCONV, NULL, 0, 0, "point %zu (weights %s) is dominated by %s (%s)", q + 1, wbuf, who,
                     dbuf);
        if (err) snprintf(err->field, sizeof err->field, "frontier");
        return TW_ENOCONV;
    }
    return TW_OK;
}

static tw_status check_args(size_t P, const double *threat, const double *weights,
                            size_t K, const tw_outcome *bargain, tw_error *err)
{
    if (K < 1 || !threat || !weights)
        return tw_error_set(err, TW_EARG, NULL, 0, 0, "the frontier needs threat welfare and at least one weight vector");
    for (size_t q = 0; q < K; q++) {
        double sum = 0;
        for (size_t k = 0; k < P; k++) {
            double v = weights[q * P + k];
            if (!(v >= 0 && isfinite(v)))
                return tw_error_set(err, TW_EARG, NULL, 0, 0, "frontier weight %g is not a finite number >= 0", v);
            sum += v;
        }
        if (!(sum > 0)) return tw_error_set(err, TW_EARG, NULL, 0, 0, "frontier weights of point %zu are all 0", q + 1);
    }
    if (bargain && bargain->n_players != P)
        return tw_error_set(err, TW_EARG, NULL, 0, 0, "the bargain has %zu players, the frontier %zu", bargain->n_players, P);
    for (size_t k = 0; bargain && k < P; k++)
        if (bargain->n_params[k] != 1 || !bargain->r)
            return tw_error_set(err, TW_EARG, NULL, 0, 0, "the bargain is not an outcome of tw_game_bargain");
    return TW_OK;
}

/* The buffers of one tw_game_frontier call. */
typedef struct fbuf {
    pool pl;
    double *seed, *cur, *x, *W, *Wall;
    size_t *sel;
    unsigned char *conv;
    int *code;
} fbuf;

static void fbuf_free(fbuf *b)
{
    free(b->pl.x); free(b->pl.W); free(b->seed); free(b->cur); free(b->x); free(b->W); free(b->Wall);
    free(b->sel); free(b->conv); free(b->code);
}

static tw_status fbuf_alloc(fbuf *b, size_t P, size_t K, tw_error *err)
{
    memset(b, 0, sizeof *b);
    b->pl.cap = K * MAX_SEEDS + 1;
    b->pl.P = P;
    b->pl.x = malloc(b->pl.cap * P * sizeof *b->pl.x);
    b->pl.W = malloc(b->pl.cap * P * sizeof *b->pl.W);
    b->seed = malloc(MAX_SEEDS * P * sizeof *b->seed);
    b->cur = malloc(P * sizeof *b->cur);
    b->x = malloc(P * sizeof *b->x);
    b->W = malloc(P * sizeof *b->W);
    b->Wall = malloc((K + 1) * P * sizeof *b->Wall);
    b->sel = malloc(K * sizeof *b->sel);
    b->conv = calloc(K, 1);
    b->code = calloc(K, sizeof *b->code);
    if (!b->pl.x || !b->pl.W || !b->seed || !b->cur || !b->x || !b->W || !b->Wall || !b->sel || !b->conv || !b->code)
        return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    return TW_OK;
}

/* The current tariffs, and the bargain as the first candidate. */
static void frontier_start(talk *t, const size_t *players, const tw_outcome *bargain, fbuf *b)
{
    size_t P = t->P;
    for (size_t k = 0; k < P; k++) imap_read(t->g, &t->maps[k], t->g->shock, &b->cur[k]);
    if (!bargain) return;
    for (size_t k = 0; k < P; k++) {
        b->x[k] = bargain->params[k][0];
        b->W[k] = tw_result_welfare_hat(bargain->r, players[k]);
    }
    if (feasible(t, b->W)) pool_add(&b->pl, b->x, b->W);
}

/* The searches of weight q: from the bargain, the point kept for the previous
 * weight, and (first weight, or no bargain) the current tariffs. */
static tw_status frontier_weight(talk *t, const double *weights, size_t q, const tw_outcome *bargain, fbuf *b,
                                 tw_error *err)
{
    size_t P = t->P, ns = 0;
    if (bargain)
        for (size_t k = 0; k < P; k++) b->seed[ns * P + k] = bargain->params[k][0];
    ns += bargain != NULL;
    if (q > 0 && b->pl.n > 0)
        memcpy(&b->seed[ns++ * P], &b->pl.x[pool_best(&b->pl, &weights[(q - 1) * P]) * P], P * sizeof *b->seed);
    if (q == 0 || !bargain) memcpy(&b->seed[ns++ * P], b->cur, P * sizeof *b->cur);
    t->weight = &weights[q * P];
    for (size_t s = 0; s < ns; s++) {
        int dup = 0;
        for (size_t u = 0; u < s; u++) dup |= !memcmp(&b->seed[u * P], &b->seed[s * P], P * sizeof *b->seed);
        if (dup) continue;
        memcpy(b->x, &b->seed[s * P], P * sizeof *b->x);
        nlopt_result rc;
        int ok = frontier_search(t, b->x, b->W, &rc);
        if (ok < 0) {
            *err = t->g->err;
            return err->code ? err->code : TW_ENOCONV;
        }
        if (feasible(t, b->W)) pool_add(&b->pl, b->x, b->W);
        b->conv[q] |= ok == 1;
        if (!ok) b->code[q] = feasible(t, b->W) ? (int)rc : 0; /* 0: ended outside the bargaining set */
    }
    return TW_OK;
}

/* Each weight keeps the best candidate: so each point is optimal among all
 * points computed, and a player's welfare cannot fall as its weight rises
 * (the two optimality conditions, added, give that). */
static tw_status frontier_select(talk *t, const size_t *players, const double *weights, size_t K, fbuf *b,
                                 tw_outcome **points, tw_error *err)
{
    size_t P = t->P;
    for (size_t q = 0; q < K; q++) {
        if (b->pl.n == 0)
            return tw_error_set(err, TW_ENOCONV, NULL, 0, 0,
                                "no tariffs found that leave every player at least as well off as the threat point");
        b->sel[q] = pool_best(&b->pl, &weights[q * P]);
        points[q] = talk_outcome(t, players, &b->pl.x[b->sel[q] * P], err);
        if (!points[q]) return err->code ? err->code : TW_ENOMEM;
        for (size_t k = 0; k < P; k++) b->Wall[q * P + k] = tw_result_welfare_hat(points[q]->r, players[k]);
    }
    return TW_OK;
}

/* The first weight whose own searches did not converge, as TW_ENOCONV. */
static tw_status frontier_unconverged(size_t P, const double *weights, size_t K, const fbuf *b, tw_error *err)
{
    for (size_t q = 0; q < K; q++) {
        if (b->conv[q]) continue;
        char wbuf[96];
        describe_weights(&weights[q * P], P, wbuf, sizeof wbuf);
        if (b->code[q])
            tw_error_set(err, TW_ENOCONV, NULL, 0, 0,
                         "the search for point %zu (weights %s) did not converge (optimiser code %d)", q + 1, wbuf,
                         b->code[q]);
        else
            tw_error_set(err, TW_ENOCONV, NULL, 0, 0,
                         "the search for point %zu (weights %s) ended outside the bargaining set", q + 1, wbuf);
        snprintf(err->field, sizeof err->field, "frontier");
        return TW_ENOCONV;
    }
    return TW_OK;
}

tw_status tw_game_frontier(tw_game *g, const size_t *players, size_t P, const double *threat,
                           const double *weights, size_t K, const tw_outcome *bargain,
                           tw_outcome **points, tw_error *err)
{
    tw_error local;
    if (!err) err = &local;
    for (size_t q = 0; points && q < K; q++) points[q] = NULL;
    if (!points) return tw_error_set(err, TW_EARG, NULL, 0, 0, "no array for the frontier points");
    tw_status st = check_args(P, threat, weights, K, bargain, err);
    talk t;
    if (!st) st = talk_open(&t, g, players, P, err);
    if (st) return st;
    t.threat = threat;
    size_t s0 = g->n_solves;
    fbuf b;
    st = fbuf_alloc(&b, P, K, err);
    if (!st) frontier_start(&t, players, bargain, &b);
    for (size_t q = 0; q < K && !st; q++) st = frontier_weight(&t, weights, q, bargain, &b, err);
    if (!st) st = frontier_select(&t, players, weights, K, &b, points, err);
    /* the check the invariant promises, then each weight's own searches; a
     * failure of either keeps the points, for the caller to show */
    int checked = 0;
    for (size_t k = 0; k < P && !st && bargain; k++) b.Wall[K * P + k] = tw_result_welfare_hat(bargain->r, players[k]);
    if (!st) {
        st = frontier_check(g->w, players, P, weights, b.Wall, K, bargain != NULL, err);
        if (!st) st = frontier_unconverged(P, weights, K, &b, err);
        checked = st != TW_OK;
    }
    for (size_t q = 0; q < K && st && !checked; q++) {
        tw_outcome_free(points[q]);
        points[q] = NULL;
    }
    for (size_t q = 0; q < K; q++)
        if (points[q]) points[q]->solves = g->n_solves - s0;
    fbuf_free(&b);
    talk_close(&t);
    return st;
}

tw_outcome *tw_game_frontier_point(tw_game *g, const size_t *players, size_t n_players,
                                   const double *threat, const double *weight, tw_error *err)
{
    tw_outcome *o = NULL;
    if (tw_game_frontier(g, players, n_players, threat, weight, 1, NULL, &o, err)) {
        tw_outcome_free(o);
        return NULL;
    }
    return o;
}

/* optimal.c - best responses: the instrument values that maximise a
 * country's exact welfare given everyone else's tariffs.
 *
 * The search is NLopt's bound-constrained L-BFGS on W_hat with gradients by
 * the implicit function theorem (game.c, src/solve/adjoint.c).  A best response is accepted
 * when NLopt reports convergence, or stops on round-off (or its generic
 * line-search failure, which L-BFGS reports at a flat optimum) with a projected
 * gradient below 1e-7 (welfare-hat units per unit of tariff): the optimum is
 * then as good as the welfare's precision allows. */
#include <math.h>
#include <nlopt.h>
#include <stdlib.h>
#include <string.h>

#include "game_impl.h"

typedef struct br_ctx {
    tw_game *g;
    const tw_imap *m;
    double best_f;
    double *grad_last;
    size_t evals;
} br_ctx;

static double objective(unsigned n, const double *x, double *grad, void *data)
{
    br_ctx *c = data;
    double f = game_welfare(c->g, c->m, x, grad, c->g->shock);
    c->evals++;
    if (c->g->failed || !isfinite(f)) return -HUGE_VAL;
    if (grad) memcpy(c->grad_last, grad, n * sizeof(double));
    return f;
}

/* Maximise W_hat of m->n over the map's parameters, starting from x (updated). */
tw_status game_maximise(tw_game *g, tw_imap *m, double *x, size_t *evals, tw_error *err);

/* W' at t for the 1-D search, by one solve and its derivative along the
 * instrument (game_welfare_slope); returns 1 on a failure. */
static int slope_at(tw_game *g, const tw_imap *m, double t, double *d, size_t *evals)
{
    double f = game_welfare_slope(g, m, t, d, g->shock);
    if (evals) (*evals)++;
    return g->failed || !isfinite(f) || !isfinite(*d);
}

/* The step u from t that zeroes the quadratic model of W' near t,
 * W'(t + u) ~ d + q u + c u^2 (q < 0: the slope of W' at t), the root
 * nearest t, or the Newton step -d / q when the model has none. */
static double model_step(double d, double q, double c)
{
    double disc = q * q - 4 * c * d;
    if (!(disc >= 0)) return -d / q;
    return 2 * d / (-q + sqrt(disc));
}

/* One instrument value: Newton's method on W', with W' exact at each point
 * (one solve and a derivative by the implicit function theorem along the
 * instrument, src/solve/forward.c).  W'' comes from the last values of W':
 * the quadratic through the last three (divided differences, the first
 * point counted twice with its W''), which follows the curvature of W' that
 * makes plain Newton steps fall short far from the optimum.  At the first
 * point W'' is where this map's last best response ended (m->curv: a
 * player's curvature moves little between Nash rounds), else where the
 * game's last one did (g->curv, a first guess that is never the evidence to
 * stop on), else from a second point h = 1e-3 away; a model whose slope is
 * not negative is measured again from a point h away.  Steps are capped at
 * 0.25 and kept inside the bounds; a bound is the answer when W' there points
 * out of the box.  A step below xtol ends the search and is taken: with an
 * exact W' the point after it is far closer to the optimum than the step.
 * From a warm start it needs one to three points, against ~20 solves for
 * L-BFGS.  Returns 1 when it cannot decide (W'' >= 0: not locally concave),
 * and the caller falls back to L-BFGS. */
static int maximise_1d(tw_game *g, tw_imap *m, double *x, size_t *evals)
{
    const double h = 1e-3;
    double t = fmin(fmax(x[0], g->lo), g->hi), d1;
    /* the previous point, its W', the divided difference of W' that ends
     * there, and the point where that one starts */
    double tp = 0, dp = 0, ap = 0, tpp = 0;
    int have_prev = 0;
    if (slope_at(g, m, t, &d1, evals)) return 1;
    for (int it = 0; it < 40; it++) {
        double q = 0, c = 0, a = 0;
        if (it == 0 && (m->curv < 0 || g->curv < 0)) {
            /* W'' where the last best response on this map ended, or else
             * where the game's last one-value best response did: the
             * latter a first guess only, never the evidence to stop on */
            q = a = m->curv < 0 ? m->curv : g->curv;
            tp = t;
            if (!(m->curv < 0) && fabs(model_step(d1, q, 0)) <= g->xtol) q = 0;
        } else if (have_prev) {
            a = (d1 - dp) / (t - tp);
            c = (a - ap) / (t - tpp);
            q = a + c * (t - tp);
            if (!(q < 0) || !isfinite(c)) {
                q = a;
                c = 0;
            }
        }
        if (!(q < 0)) {
            /* W'' from a second point next to t (inside the bounds) */
            double tq = t + h <= g->hi ? t + h : t - h, dq;
            if (slope_at(g, m, tq, &dq, evals)) return 1;
            q = a = (dq - d1) / (tq - t);
            c = 0;
            tp = t; /* the next divided difference starts at t, twice */
        }
        if (!(q < 0)) return 1;
        double step = fmax(-0.25, fmin(0.25, model_step(d1, q, c)));
        double tn = fmin(fmax(t + step, g->lo), g->hi);
        /* (at a bound with W' pointing out of the box the step is zero) */
        if (fabs(tn - t) <= g->xtol) {
            x[0] = tn;
            m->curv = g->curv = q;
            return 0;
        }
        tpp = tp;
        ap = a;
        tp = t;
        dp = d1;
        t = tn;
        if (slope_at(g, m, t, &d1, evals)) return 1;
        have_prev = 1;
    }
    return 1;
}

tw_status game_maximise(tw_game *g, tw_imap *m, double *x, size_t *evals, tw_error *err)
{
    size_t k = m->n_params;
    if (k == 1) {
        g->failed = 0;
        double x1 = x[0];
        size_t ev = 0;
        int undecided = maximise_1d(g, m, &x1, &ev);
        if (g->failed) {
            *err = g->err;
            return g->err.code ? g->err.code : TW_ENOCONV;
        }
        if (!undecided) {
            x[0] = x1;
            if (evals) *evals = ev;
            return TW_OK;
        }
    }
    nlopt_opt opt = nlopt_create(NLOPT_LD_LBFGS, (unsigned)k);
    br_ctx c = {.g = g, .m = m};
    c.grad_last = calloc(k, sizeof(double));
    if (!opt || !c.grad_last) {
        nlopt_destroy(opt);
        free(c.grad_last);
        return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    }
    g->failed = 0;
    nlopt_set_lower_bounds1(opt, g->lo);
    nlopt_set_upper_bounds1(opt, g->hi);
    nlopt_set_max_objective(opt, objective, &c);
    nlopt_set_xtol_abs1(opt, g->xtol * 0.1);
    nlopt_set_ftol_abs(opt, 1e-15);
    nlopt_set_maxeval(opt, (int)(200 + 50 * k));
    for (size_t p = 0; p < k; p++) x[p] = fmin(fmax(x[p], g->lo), g->hi);
    double f = 0;
    nlopt_result rc = nlopt_optimize(opt, x, &f);
    nlopt_destroy(opt);
    if (evals) *evals = c.evals;
    tw_status st = TW_OK;
    if (g->failed) {
        *err = g->err;
        st = g->err.code ? g->err.code : TW_ENOCONV;
    } else if (rc == NLOPT_MAXEVAL_REACHED || rc < 0) {
        /* round-off stops are fine at a stationary point */
        double pg = game_projected_gradient(g, x, c.grad_last, k);
        if (!((rc == NLOPT_ROUNDOFF_LIMITED || rc == NLOPT_FAILURE) && pg < 1e-7))
            st = tw_error_set(err, TW_ENOCONV, NULL, 0, 0,
                              "best response of %s did not converge (optimiser code %d after %zu evaluations, gradient %.1e)",
                              tw_world_country_code(g->w, m->n), (int)rc, c.evals, pg);
    }
    free(c.grad_last);
    return st;
}

tw_outcome *tw_game_best_response(tw_game *g, size_t n, const unsigned char *partners,
                                  tw_error *err)
{
    tw_error local;
    if (!err) err = &local;
    if (n >= g->N) {
        tw_error_set(err, TW_EARG, NULL, 0, 0, "country index %zu out of range", n);
        return NULL;
    }
    tw_imap m;
    if (imap_build(g, n, partners, g->instr, &m, err)) return NULL;
    tw_outcome *o = outcome_new(1, err);
    double *x = o ? malloc(m.n_params * sizeof *x) : NULL;
    if (!x) {
        tw_outcome_free(o);
        imap_free(&m);
        tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
        return NULL;
    }
    size_t s0 = g->n_solves;
    imap_read(g, &m, g->shock, x);
    tw_status st = game_maximise(g, &m, x, NULL, err);
    if (!st) {
        o->player[0] = n;
        o->n_params[0] = m.n_params;
        o->params[0] = x;
        x = NULL;
        o->shock = tw_shock_clone(g->shock, err);
        if (!o->shock) st = TW_ENOMEM;
    }
    if (!st) {
        imap_apply(&m, o->params[0], o->shock);
        g->failed = 0;
        o->r = game_solve(g, o->shock);
        if (!o->r) {
            *err = g->err;
            st = err->code;
        }
    }
    o->solves = g->n_solves - s0;
    free(x);
    imap_free(&m);
    if (st) {
        tw_outcome_free(o);
        return NULL;
    }
    return o;
}

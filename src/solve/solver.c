/* solver.c - the solver handle: options, the deficit purge, the cached
 * zero-shock Jacobians, the baseline gap, and assembling a result from the
 * model state.
 *
 * Invariant: a tw_result is returned only when the outer method reached the
 * tolerance and the residual recomputed from the result alone (eqs. 1-5) is
 * within it too; otherwise the call fails with TW_ENOCONV. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "solve_impl.h"
#include "core/index.h"
#include "core/suggest.h"
#include "world/world_impl.h"

static const char *const method_names[] = {"newton", "tatonnement"};
static const char *const deficit_names[] = {"keep", "purge"};
#define N_NAMES(v) (sizeof(v) / sizeof((v)[0]))

const char *tw_method_name(tw_method m)
{
    return (unsigned)m < N_NAMES(method_names) ? method_names[m] : "unknown";
}

tw_status tw_method_parse(const char *name, tw_method *out)
{
    int k = tw_keyword_index(name, method_names, N_NAMES(method_names));
    if (k < 0) return TW_EARG;
    *out = (tw_method)k;
    return TW_OK;
}

const char *tw_deficits_name(tw_deficits d)
{
    return (unsigned)d < N_NAMES(deficit_names) ? deficit_names[d] : "unknown";
}

tw_status tw_deficits_parse(const char *name, tw_deficits *out)
{
    int k = tw_keyword_index(name, deficit_names, N_NAMES(deficit_names));
    if (k < 0) return TW_EARG;
    *out = (tw_deficits)k;
    return TW_OK;
}

tw_solver *tw_solver_create(const tw_world *w, tw_error *err)
{
    if (!w) {
        tw_error_set(err, TW_EARG, NULL, 0, 0, "no world given");
        return NULL;
    }
    tw_solver *s = calloc(1, sizeof *s);
    if (!s) {
        tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
        return NULL;
    }
    s->w = w;
    s->base0 = w->base;
    s->tol = TW_TOL_DEFAULT;
    s->method = TW_METHOD_NEWTON;
    s->deficits = TW_DEFICITS_KEEP;
    s->step = TW_STEP_DEFAULT;
    s->model0 = model_create(s->base0, err);
    if (!s->model0) {
        free(s);
        return NULL;
    }
    return s;
}

void tw_solver_free(tw_solver *s)
{
    if (!s) return;
    model_free(s->model0);
    model_free(s->modelp);
    tw_base_free(s->purged);
    free(s->jac0);
    free(s->jacp);
    free(s->jac_last);
    fwd_cache_free(s->fwd);
    free(s);
}

double tw_solver_tol(const tw_solver *s) { return s->tol; }

tw_status tw_solver_set_tol(tw_solver *s, double tol)
{
    if (!(tol >= TW_TOL_MIN && tol <= TW_TOL_MAX)) return TW_EARG;
    s->tol = tol;
    return TW_OK;
}

tw_status tw_solver_set_max_iter(tw_solver *s, size_t max_iter)
{
    s->max_iter = max_iter;
    return TW_OK;
}

tw_status tw_solver_set_method(tw_solver *s, tw_method m)
{
    if (m != TW_METHOD_NEWTON && m != TW_METHOD_TATONNEMENT) return TW_EARG;
    s->method = m;
    return TW_OK;
}

tw_status tw_solver_set_deficits(tw_solver *s, tw_deficits d)
{
    if (d != TW_DEFICITS_KEEP && d != TW_DEFICITS_PURGE) return TW_EARG;
    s->deficits = d;
    return TW_OK;
}

tw_status tw_solver_set_step(tw_solver *s, double step)
{
    if (!(step > 0 && step <= 2)) return TW_EARG;
    s->step = step;
    return TW_OK;
}

size_t tw_solver_last_iterations(const tw_solver *s) { return s->last_iter; }
double tw_solver_last_residual(const tw_solver *s) { return s->last_resid; }

/* Run the chosen outer method on model m (shock already set) from x = 0. */
static tw_status run_outer(tw_solver *s, tw_model *m, const double *jac0, double *jac_out,
                           double *x, tw_outer_stats *st, tw_error *err)
{
    if (s->method == TW_METHOD_TATONNEMENT)
        return outer_tatonnement(m, x, s->tol,
                                 s->max_iter ? s->max_iter : TW_TATONNEMENT_MAX_ITER_DEFAULT,
                                 s->step, st, err);
    return outer_newton(m, x, s->tol, s->max_iter ? s->max_iter : TW_MAX_ITER_DEFAULT,
                        jac0, jac_out, st, err);
}

/* The zero-shock Jacobian of base b, computed once per solver and base. */
static tw_status zero_shock_jacobian(tw_model *m, double **cache, tw_error *err)
{
    if (*cache) return TW_OK;
    size_t N = m->N;
    double *J = calloc(N * N, sizeof(double)), *x = calloc(N, sizeof(double));
    if (!J || !x) {
        free(J);
        free(x);
        return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    }
    model_set_shock(m, m->b->tau, NULL, m->b->D);
    tw_status st = newton_jacobian(m, x, J, err);
    free(x);
    if (st) {
        free(J);
        return st;
    }
    *cache = J;
    return TW_OK;
}

/* Deficit purge: solve the baseline tariffs with D' = 0 and take that
 * equilibrium's flows as the new baseline (docs/model.md). */
static tw_status build_purged(tw_solver *s, tw_error *err)
{
    if (s->purged) return TW_OK;
    const tw_base *b0 = s->base0;
    size_t N = b0->N, J = b0->J;
    double *zero = calloc(N, sizeof(double)), *x = calloc(N, sizeof(double));
    if (!zero || !x) {
        free(zero);
        free(x);
        return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    }
    tw_status st = TW_OK;
    size_t n_eval = s->model0->n_eval;
    if (s->method == TW_METHOD_NEWTON) st = zero_shock_jacobian(s->model0, &s->jac0, err);
    tw_outer_stats os = {0};
    if (!st) {
        model_set_shock(s->model0, b0->tau, NULL, zero);
        /* The purge always uses the Newton method: it is a means, not the
         * experiment, and the result must not depend on the method picked. */
        memset(x, 0, N * sizeof(double));
        st = outer_newton(s->model0, x, fmin(s->tol, TW_TOL_DEFAULT) * 1e-2,
                          TW_MAX_ITER_DEFAULT, s->jac0, NULL, &os, err);
        if (st == TW_ENOCONV) {
            char msg[sizeof err->msg];
            memcpy(msg, err->msg, sizeof msg);
            tw_error_set(err, TW_ENOCONV, NULL, 0, 0, "deficit purge: %s", msg);
        }
    }
    s->purge_evals = s->model0->n_eval - n_eval;
    tw_base *p = NULL;
    if (!st) p = tw_base_clone(b0, err);
    if (p) {
        tw_model *m = s->model0;
        for (size_t n = 0; n < N; n++)
            for (size_t i = 0; i < N; i++)
                for (size_t j = 0; j < J; j++) {
                    size_t c = tw_ix_nij(N, J, n, i, j);
                    p->trade[c] = m->g[c] * m->X[tw_ix_nj(J, n, j)];
                }
        tw_base_finish(p);
        /* Wage income is w_hat VA (eq. 4), which equals sum_j gamma^j Y'^j only
         * when supplied value-added and input shares add up to one exactly;
         * carry the model's own value added so the purged baseline is an exact
         * equilibrium whatever the rounding of the shares. */
        for (size_t n = 0; n < N; n++) {
            p->VA[n] = exp(x[n]) * b0->VA[n];
            p->I[n] = p->VA[n] + p->R[n] + p->D[n];
        }
        s->modelp = model_create(p, err);
        if (!s->modelp) {
            tw_base_free(p);
            p = NULL;
        }
    }
    if (!st && !p) st = err ? err->code : TW_ENOMEM;
    s->purged = p;
    free(zero);
    free(x);
    return st;
}

static double *dup(const double *src, size_t n)
{
    double *d = malloc((n ? n : 1) * sizeof(double));
    if (d && n) memcpy(d, src, n * sizeof(double));
    return d;
}

static tw_result *make_result(const tw_solver *s, tw_model *m, const double *x,
                              const double *dhat, const tw_outer_stats *os, tw_error *err)
{
    const tw_base *b = m->b;
    size_t N = b->N, J = b->J, nij = N * N * J, nj = N * J;
    tw_result *r = calloc(1, sizeof *r);
    if (!r) goto fail;
    r->N = N;
    r->J = J;
    r->method = s->method;
    r->deficits = s->deficits;
    r->iterations = os->iterations;
    r->evaluations = m->n_eval;
    r->base = tw_base_ref((tw_base *)b); /* shared, read-only */
    r->tau1 = dup(m->tau1, nij);
    r->dhat = malloc(nij * sizeof(double));
    r->Dp = dup(m->Dp, N);
    r->w_hat = malloc(N * sizeof(double));
    r->P_hat = malloc(nj * sizeof(double));
    r->c_hat = malloc(nj * sizeof(double));
    r->X = dup(m->X, nj);
    r->trade1 = malloc(nij * sizeof(double));
    double **pn[] = {&r->welfare, &r->real_wage, &r->price_index, &r->income_hat, &r->tot,
                     &r->vot, &r->exports1, &r->imports1, &r->revenue1, &r->income1};
    for (size_t k = 0; k < sizeof pn / sizeof pn[0]; k++) *pn[k] = calloc(N, sizeof(double));
    for (size_t k = 0; k < sizeof pn / sizeof pn[0]; k++)
        if (!*pn[k]) goto fail;
    if (!r->base || !r->tau1 || !r->dhat || !r->Dp || !r->w_hat || !r->P_hat || !r->c_hat ||
        !r->X || !r->trade1)
        goto fail;
    for (size_t k = 0; k < nij; k++) r->dhat[k] = dhat ? dhat[k] : 1.0;
    for (size_t n = 0; n < N; n++) r->w_hat[n] = exp(x[n]);
    for (size_t k = 0; k < nj; k++) {
        r->P_hat[k] = exp(m->lnP[k]);
        r->c_hat[k] = exp(m->lnc[k]);
    }
    for (size_t n = 0; n < N; n++)
        for (size_t i = 0; i < N; i++)
            for (size_t j = 0; j < J; j++) {
                size_t c = tw_ix_nij(N, J, n, i, j);
                r->trade1[c] = m->g[c] * m->X[tw_ix_nj(J, n, j)];
            }
    result_finish(r);
    return r;
fail:
    tw_result_free(r);
    tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory for the result");
    return NULL;
}

/* The baseline gap of model m (deficit rule k): with supplied final-demand or
 * value-added shares the data need not be an equilibrium of the model, and a
 * zero shock then moves welfare (docs/model.md).  Found once per solver and
 * rule by a zero-shock Newton solve (an equilibrium baseline stops at
 * iteration 0), which changes no state a later solve starts from: the model's
 * warm start is reset by every model_set_shock, the zero-shock Jacobian is the
 * one every cold start uses, and jac_last is not touched.  A gap solve that
 * does not converge leaves the gap unknown (NAN) rather than failing the
 * caller's solve; running out of memory fails it (TW_ENOMEM), as anywhere. */
static tw_status find_gap(tw_solver *s, tw_model *m, double **jac, int k, tw_error *err)
{
    if (s->gap_done[k]) return TW_OK;
    const tw_base *b = m->b;
    tw_error local;
    tw_error_clear(&local);
    double *x = calloc(b->N, sizeof(double));
    tw_status st = x ? zero_shock_jacobian(m, jac, &local) : TW_ENOMEM;
    tw_outer_stats os = {0};
    if (!st) {
        model_set_shock(m, b->tau, NULL, b->D);
        st = outer_newton(m, x, s->tol, TW_MAX_ITER_DEFAULT, *jac, NULL, &os, &local);
    }
    tw_result *r = st ? NULL : make_result(s, m, x, NULL, &os, &local);
    free(x);
    if (!r && (st == TW_ENOMEM || local.code == TW_ENOMEM))
        return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    s->gap_done[k] = 1;
    s->gap[k] = NAN;
    s->gap_country[k] = 0;
    if (r) {
        double worst = 0;
        for (size_t n = 0; n < r->N; n++)
            if (fabs(r->welfare[n] - 1.0) > fabs(worst)) {
                worst = r->welfare[n] - 1.0;
                s->gap_country[k] = n;
            }
        s->gap[k] = fabs(worst) > TW_BASELINE_GAP_TOL ? worst : 0.0;
    }
    tw_result_free(r);
    return TW_OK;
}

static tw_result *run(tw_solver *s, const tw_shock *shock, const tw_result *start,
                      tw_error *err);

tw_result *tw_solver_run(tw_solver *s, const tw_shock *shock, tw_error *err)
{
    return tw_solver_run_from(s, shock, NULL, err);
}

tw_result *tw_solver_run_from(tw_solver *s, const tw_shock *shock, const tw_result *start,
                              tw_error *err)
{
    tw_result *r = run(s, shock, start, err);
    if (!r && err && !err->file[0] && !err->field[0])
        snprintf(err->field, sizeof err->field, "solve");
    return r;
}

/* The model this solve works on (the baseline's, or the purged one's), with
 * its zero-shock Jacobian (Newton) and its baseline gap ready: *jac is that
 * Jacobian's slot. */
static tw_model *prepare_model(tw_solver *s, double ***jac, tw_error *err)
{
    tw_model *m = s->model0;
    *jac = &s->jac0;
    if (s->deficits == TW_DEFICITS_PURGE) {
        if (build_purged(s, err)) return NULL;
        m = s->modelp;
        *jac = &s->jacp;
    }
    m->n_eval = 0;
    if (s->method == TW_METHOD_NEWTON && zero_shock_jacobian(m, *jac, err)) return NULL;
    /* the gap's own solve is not this solve's work: not counted */
    size_t n_eval = m->n_eval;
    tw_status st = find_gap(s, m, *jac, s->deficits == TW_DEFICITS_PURGE, err);
    m->n_eval = n_eval;
    return st ? NULL : m;
}

/* The starting log wages (caller frees): zero, or those of start with its
 * prices and spending put into m (a warm start). */
static double *start_point(const tw_solver *s, tw_model *m, const tw_result *start,
                           tw_error *err)
{
    const tw_base *b = m->b;
    double *x = calloc(b->N, sizeof(double));
    if (!x) {
        tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
        return NULL;
    }
    if (start && (start->N != b->N || start->J != b->J || start->deficits != s->deficits)) {
        free(x);
        tw_error_set(err, TW_EARG, NULL, 0, 0,
                     "the starting point belongs to another world or deficit rule");
        return NULL;
    }
    if (start) {
        /* Warm start: wages, prices and spending of the given equilibrium */
        size_t nj = b->N * b->J;
        for (size_t n = 0; n < b->N; n++) x[n] = log(start->w_hat[n]);
        for (size_t k = 0; k < nj; k++) m->lnP[k] = log(start->P_hat[k]);
        memcpy(m->X, start->X, nj * sizeof(double));
    }
    return x;
}

/* Run the outer method from x with the right first Jacobian, and keep the
 * final one for the next warm start. */
static tw_status solve_outer(tw_solver *s, tw_model *m, const double *jac0, int warm,
                             double *x, tw_outer_stats *os, tw_error *err)
{
    const tw_base *b = m->b;
    /* A warm start also reuses the last solve's final Jacobian when it was
     * made on this baseline: near the previous equilibrium it is a far better
     * model of the system than the zero-shock one.  A cold start always uses
     * the zero-shock Jacobian, so it does not depend on earlier solves. */
    const double *J0 = jac0;
    if (warm && s->jac_last && s->jac_last_base == b) J0 = s->jac_last;
    if (s->method == TW_METHOD_NEWTON && !s->jac_last)
        s->jac_last = malloc(b->N * b->N * sizeof(double));
    double *Jout = s->method == TW_METHOD_NEWTON ? s->jac_last : NULL;
    /* (J0 and Jout may be the same buffer: outer_newton copies J0 first) */
    s->jac_last_base = NULL; /* invalid until this solve succeeds */
    tw_status st = run_outer(s, m, J0, Jout, x, os, err);
    if (!st && Jout) s->jac_last_base = b;
    if (st == TW_ENOCONV && err) {
        /* name the country whose trade balance cannot be met: often one that
         * must keep a surplus it has no way left to earn */
        char msg[sizeof err->msg];
        snprintf(msg, sizeof msg, "%s", err->msg);
        snprintf(err->msg, sizeof err->msg, "%.190s; largest imbalance: %.40s", msg,
                 tw_world_country_code(s->w, os->worst));
    }
    s->last_iter = os->iterations;
    s->last_resid = os->residual;
    return st;
}

/* Accept r only when its own residual check meets the tolerance and every
 * income is positive; otherwise free it, fill err and give NULL. */
static tw_result *accept_result(tw_solver *s, tw_result *r, tw_error *err)
{
    if (result_residual(r, &r->residual) != TW_OK) {
        tw_result_free(r);
        tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory for the residual check");
        return NULL;
    }
    s->last_resid = r->residual;
    if (!(r->residual <= s->tol)) {
        tw_error_set(err, TW_ENOCONV, NULL, 0, 0,
                     "no convergence after %zu iterations (max residual %.1e > tol %.0e)",
                     r->iterations, r->residual, s->tol);
        tw_result_free(r);
        return NULL;
    }
    /* Equations 1-5 also hold at points no economy can reach: with deficits
     * kept in levels, a country whose surplus is large next to its value
     * added can solve them with negative income, spending and flows. */
    for (size_t n = 0; n < r->N; n++)
        if (!(r->income1[n] > 0)) {
            tw_error_set(err, TW_ENOCONV, NULL, 0, 0,
                         "no equilibrium with positive incomes: the income of %.40s would be "
                         "%.3g (its deficit of %.3g is kept in levels)",
                         tw_world_country_code(s->w, n), r->income1[n], r->Dp[n]);
            tw_result_free(r);
            return NULL;
        }
    return r;
}

static tw_result *run(tw_solver *s, const tw_shock *shock, const tw_result *start,
                      tw_error *err)
{
    if (shock && tw_shock_world(shock) != s->w) {
        tw_error_set(err, TW_EINPUT, NULL, 0, 0, "the shock belongs to another world");
        return NULL;
    }
    s->last_iter = 0;
    s->last_resid = INFINITY;
    s->purge_evals = 0;
    double **jac;
    tw_model *m = prepare_model(s, &jac, err);
    if (!m) return NULL;
    const tw_base *b = m->b;
    const double *tau1 = shock ? tw_shock_tariffs(shock) : b->tau;
    const double *dhat = shock ? tw_shock_dhat(shock) : NULL;
    model_set_shock(m, tau1, dhat, b->D);
    double *x = start_point(s, m, start, err);
    if (!x) return NULL;
    tw_outer_stats os = {0};
    tw_status st = solve_outer(s, m, *jac, start != NULL, x, &os, err);
    tw_result *r = NULL;
    if (!st) r = make_result(s, m, x, dhat, &os, err);
    free(x);
    if (!r) return NULL;
    int k = s->deficits == TW_DEFICITS_PURGE;
    r->evaluations_purge = s->purge_evals;
    r->gap = s->gap[k];
    r->gap_country = s->gap_country[k];
    return accept_result(s, r, err);
}

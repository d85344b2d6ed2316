/* newton.c - quasi-Newton solve of the wage system (the default method).
 *
 * Unknowns: x = ln w_hat (N).  Equations: the trade balances Z_n(x) = 0 of all
 * countries but one (n0, the largest economy: its balance follows from the
 * others by Walras' law) and the numeraire ln(sum w VA / sum VA) = 0.
 * The Jacobian starts from a cached matrix or the implicit derivative at the
 * start (src/solve/jacobian.c), is updated by Broyden's rank-one rule after
 * each step, and is recomputed the same way when a step fails the line
 * search.  Steps are capped at 1 in
 * log wages and backtracked until the residual norm falls (Armijo), so large
 * shocks (prohibitive tariffs) do not throw wages out of range. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "solve_impl.h"
#include "core/lu.h"

#define FD_STEP 1e-6
#define FD_INNER_TOL 1e-11
#define MAX_LOG_STEP 1.0
#define MAX_BACKTRACK 30

typedef struct newton_ws {
    tw_model *m;
    size_t N, n0;
    double sumVA;
    double *F, *Ft, *xt, *dx, *lu, *Js, *Fd;
    size_t *piv;
} newton_ws;

static double norm2(const double *v, size_t n)
{
    double s = 0;
    for (size_t k = 0; k < n; k++) s += v[k] * v[k];
    return sqrt(s);
}

static double normi(const double *v, size_t n)
{
    double s = 0;
    for (size_t k = 0; k < n; k++) s = fmax(s, fabs(v[k]));
    return s;
}

/* Put x on the numeraire surface (world value added unchanged) by a common
 * shift of log wages.  Trial points are projected, so the numeraire row of F
 * is zero at every accepted point and Broyden's updates of that row cannot
 * drift: without it, a country priced out of world markets (its wage tending
 * to zero) left the numeraire off by 1e-6 for hundreds of iterations. */
static void project(const newton_ws *ws, double *x)
{
    const tw_base *b = ws->m->b;
    double s = 0;
    for (size_t n = 0; n < ws->N; n++) s += exp(x[n]) * b->VA[n];
    double shift = log(s / ws->sumVA);
    if (isfinite(shift))
        for (size_t n = 0; n < ws->N; n++) x[n] -= shift;
}

/* F(x): balances with row n0 replaced by the numeraire. */
static tw_status eval(newton_ws *ws, const double *x, double *F, double *Zmax,
                      tw_error *err)
{
    const tw_base *b = ws->m->b;
    tw_status st = model_eval(ws->m, x, F, err);
    if (st) return st;
    if (Zmax) *Zmax = normi(F, ws->N);
    double s = 0;
    for (size_t n = 0; n < ws->N; n++) s += exp(x[n]) * b->VA[n];
    F[ws->n0] = log(s / ws->sumVA);
    return TW_OK;
}

/* Forward-difference Jacobian at x, column-major, each column warm-started
 * from the state at x. */
static tw_status fd_jacobian(newton_ws *ws, const double *x, const double *F, double *J,
                             tw_error *err)
{
    size_t N = ws->N;
    /* A column only needs FD_STEP-relative accuracy: solving the inner
     * systems to 1e-11 instead of 1e-14 keeps its error near 1e-5 and saves
     * about a third of the inner iterations. */
    double tol_saved = ws->m->tol_inner;
    ws->m->tol_inner = FD_INNER_TOL;
    memcpy(ws->xt, x, N * sizeof(double));
    for (size_t c = 0; c < N; c++) {
        double h = FD_STEP * fmax(1.0, fabs(x[c]));
        ws->xt[c] = x[c] + h;
        model_restore(ws->m);
        /* NOLINTNEXTLINE(clang-analyzer-unix.Malloc): ws's arrays belong to the caller's ws_free */
        tw_status st = eval(ws, ws->xt, ws->Fd, NULL, err);
        ws->xt[c] = x[c];
        if (st) {
            ws->m->tol_inner = tol_saved;
            return st;
        }
        for (size_t r = 0; r < N; r++) J[c * N + r] = (ws->Fd[r] - F[r]) / h;
    }
    ws->m->tol_inner = tol_saved;
    model_restore(ws->m);
    return TW_OK;
}

/* Solve J dx = -F; returns nonzero when J is singular. */
static int newton_step(newton_ws *ws, const double *J, const double *F, double *dx)
{
    size_t N = ws->N;
    memcpy(ws->lu, J, N * N * sizeof(double));
    for (size_t k = 0; k < N; k++) dx[k] = -F[k];
    if (tw_lu_solve(N, ws->lu, dx, ws->piv) != 0) return 1;
    for (size_t k = 0; k < N; k++)
        if (!isfinite(dx[k])) return 1;
    double big = normi(dx, N);
    if (big > MAX_LOG_STEP)
        for (size_t k = 0; k < N; k++) dx[k] *= MAX_LOG_STEP / big;
    return 0;
}


static void ws_free(newton_ws *ws)
{
    free(ws->F); free(ws->Ft); free(ws->xt); free(ws->dx); free(ws->lu);
    free(ws->Js); free(ws->Fd); free(ws->piv);
}

static tw_status ws_init(newton_ws *ws, tw_model *m, tw_error *err)
{
    size_t N = m->N;
    memset(ws, 0, sizeof *ws);
    ws->m = m;
    ws->N = N;
    ws->F = calloc(N, sizeof(double)); ws->Ft = calloc(N, sizeof(double));
    ws->xt = calloc(N, sizeof(double)); ws->dx = calloc(N, sizeof(double));
    ws->lu = calloc(N * N, sizeof(double)); ws->Js = calloc(N * N, sizeof(double));
    ws->Fd = calloc(N, sizeof(double)); ws->piv = calloc(N, sizeof(size_t));
    if (!ws->F || !ws->Ft || !ws->xt || !ws->dx || !ws->lu || !ws->Js || !ws->Fd || !ws->piv) {
        ws_free(ws);
        return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory in the Newton solver");
    }
    for (size_t n = 0; n < N; n++) {
        ws->sumVA += m->b->VA[n];
        if (m->b->VA[n] > m->b->VA[ws->n0]) ws->n0 = n;
    }
    return TW_OK;
}

/* How a Jacobian is taken: implicit differentiation to the starting
 * tolerance or to the gradients' (src/solve/jacobian.c), or forward
 * differences. */
typedef enum { JAC_START, JAC_PRECISE, JAC_DIFFERENCES } jac_kind;

/* The Jacobian of F at x from the model's state at x: the balances'
 * derivative (src/solve/jacobian.c) with row n0 replaced by the numeraire's. */
static tw_status analytic_jacobian(const newton_ws *ws, const double *x, jac_kind kind,
                                   double *J, tw_error *err)
{
    size_t N = ws->N;
    tw_status st = kind == JAC_PRECISE ? model_jacobian_precise(ws->m, x, J, err)
                                       : model_jacobian(ws->m, x, J, err);
    if (st) return st;
    const tw_base *b = ws->m->b;
    double s = 0;
    for (size_t n = 0; n < N; n++) s += exp(x[n]) * b->VA[n];
    for (size_t c = 0; c < N; c++) J[c * N + ws->n0] = exp(x[c]) * b->VA[c] / s;
    return TW_OK;
}

/* A fresh Jacobian at x: x is evaluated again unless the model's state is
 * already that of x (at_x); the state is x's afterwards. */
static tw_status refresh_jacobian(newton_ws *ws, const double *x, int at_x, double *J,
                                  tw_error *err)
{
    if (!at_x) {
        model_restore(ws->m);
        tw_status st = eval(ws, x, ws->F, NULL, err);
        if (st) return st;
    }
    return analytic_jacobian(ws, x, JAC_START, J, err);
}

static tw_status jacobian_at(tw_model *m, const double *x, double *J, jac_kind kind,
                             tw_error *err)
{
    newton_ws ws;
    tw_status st = ws_init(&ws, m, err);
    if (st) return st;
    st = eval(&ws, x, ws.F, NULL, err);
    if (!st) {
        model_save(m);
        st = kind == JAC_DIFFERENCES ? fd_jacobian(&ws, x, ws.F, J, err)
                                     : analytic_jacobian(&ws, x, kind, J, err);
    }
    ws_free(&ws);
    return st;
}

tw_status newton_jacobian(tw_model *m, const double *x, double *J, tw_error *err)
{
    return jacobian_at(m, x, J, JAC_START, err);
}

tw_status newton_jacobian_fd(tw_model *m, const double *x, double *J, tw_error *err)
{
    return jacobian_at(m, x, J, JAC_DIFFERENCES, err);
}

tw_status newton_jacobian_precise(tw_model *m, const double *x, double *J, tw_error *err)
{
    return jacobian_at(m, x, J, JAC_PRECISE, err);
}

/* Armijo backtracking from x along ws->dx, halving the step until the residual
 * norm falls below (1 - 1e-4 lambda) of f0.  On success (1) ws->xt, ws->Ft and
 * *zt hold the accepted point and *lambda its step; the model's state is then
 * that of the last point tried, never that of x. */
static int line_search(newton_ws *ws, const double *x, double f0, double *lambda, double *zt)
{
    size_t N = ws->N;
    *lambda = 1.0;
    for (int bt = 0; bt < MAX_BACKTRACK; bt++, *lambda *= 0.5) {
        for (size_t k = 0; k < N; k++) ws->xt[k] = x[k] + *lambda * ws->dx[k];
        project(ws, ws->xt);
        model_restore(ws->m);
        tw_error e2;
        if (eval(ws, ws->xt, ws->Ft, zt, &e2) != TW_OK) continue;
        /* NOLINTNEXTLINE(clang-analyzer-unix.Malloc): ws's arrays belong to the caller's ws_free */
        if (norm2(ws->Ft, N) <= (1.0 - 1e-4 * *lambda) * f0) return 1;
    }
    return 0;
}

/* Broyden: J += (dF - J s) s' / (s' s), s = lambda dx (ws->dx becomes s). */
static void broyden_update(newton_ws *ws, double *J, double lambda)
{
    size_t N = ws->N;
    double ss = 0;
    for (size_t k = 0; k < N; k++) {
        ws->dx[k] *= lambda;
        ss += ws->dx[k] * ws->dx[k];
    }
    for (size_t r = 0; r < N; r++) {
        double Js = 0;
        for (size_t c = 0; c < N; c++) Js += J[c * N + r] * ws->dx[c];
        ws->Fd[r] = (ws->Ft[r] - ws->F[r] - Js) / ss;
    }
    for (size_t c = 0; c < N; c++)
        for (size_t r = 0; r < N; r++) J[c * N + r] += ws->Fd[r] * ws->dx[c];
}

/* The country (not n0) whose balance is furthest from zero in ws->F. */
static size_t worst_country(const newton_ws *ws)
{
    size_t worst = 0;
    if (ws->F)
        for (size_t n = 0; n < ws->N; n++)
            if (n != ws->n0 && fabs(ws->F[n]) > fabs(ws->F[worst])) worst = n;
    return worst;
}

tw_status outer_newton(tw_model *m, double *x, double tol, size_t max_iter,
                       const double *jac0, double *jac_out, tw_outer_stats *stats,
                       tw_error *err)
{
    size_t N = m->N;
    newton_ws ws;
    if (ws_init(&ws, m, err)) return TW_ENOMEM;
    /* Aim below the tolerance: the residual that counts is recomputed from
     * the returned arrays, and it must not land just above tol. */
    double target = 0.1 * tol;

    tw_status st;
    double zmax = INFINITY;
    size_t it = 0;
    int fresh = 0;
    stats->iterations = 0;
    stats->residual = INFINITY;
    /* at_x: the model's state (prices, shares, spending) is that of x, so the
     * result can be read off it without evaluating x again */
    int at_x = 0;
    project(&ws, x);
    st = eval(&ws, x, ws.F, &zmax, err);
    if (st) goto done;
    at_x = 1;
    model_save(m);
    double *J = ws.Js;
    if (jac0) {
        memcpy(J, jac0, N * N * sizeof(double));
    } else {
        st = analytic_jacobian(&ws, x, JAC_START, J, err);
        if (st) goto done;
        fresh = 1;
    }
    for (it = 0; it < max_iter; it++) {
        if (zmax <= target && fabs(ws.F[ws.n0]) <= target) break;
        if (newton_step(&ws, J, ws.F, ws.dx)) {
            if (fresh) {
                st = tw_error_set(err, TW_ENOCONV, NULL, 0, 0,
                                  "singular Jacobian of the wage system");
                goto done;
            }
            st = refresh_jacobian(&ws, x, at_x, J, err);
            if (st) goto done;
            fresh = 1;
            at_x = 1;
            it--;
            continue;
        }
        double f0 = norm2(ws.F, N), lambda, zt = INFINITY;
        int ok = line_search(&ws, x, f0, &lambda, &zt);
        at_x = 0;
        if (!ok) {
            model_restore(m);
            if (fresh) {
                st = tw_error_set(err, TW_ENOCONV, NULL, 0, 0,
                                  "line search failed after %zu iterations", it);
                goto done;
            }
            st = refresh_jacobian(&ws, x, 0, J, err);
            if (st) goto done;
            fresh = 1;
            at_x = 1;
            continue;
        }
        broyden_update(&ws, J, lambda);
        memcpy(x, ws.xt, N * sizeof(double));
        memcpy(ws.F, ws.Ft, N * sizeof(double));
        zmax = zt;
        model_save(m);
        fresh = 0;
        at_x = 1;
    }
    /* NOLINTNEXTLINE(clang-analyzer-unix.Malloc): J is ws.Js, freed by ws_free below */
    if (zmax <= target && fabs(ws.F[ws.n0]) <= target) {
        st = TW_OK;
    } else {
        st = tw_error_set(err, TW_ENOCONV, NULL, 0, 0,
                          "no convergence after %zu iterations (max residual %.1e > tol %.0e)",
                          it, zmax, tol);
    }
done:
    /* leave the model at the accepted point */
    if (st == TW_OK && jac_out) memcpy(jac_out, ws.Js, N * N * sizeof(double));
    if (st == TW_OK && !at_x) {
        model_restore(m);
        tw_error e3;
        if (model_eval(m, x, ws.F, &e3) == TW_OK) zmax = normi(ws.F, N);
    }
    stats->iterations = it;
    stats->residual = zmax;
    stats->worst = worst_country(&ws);
    ws_free(&ws);
    return st;
}

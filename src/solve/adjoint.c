/* adjoint.c - gradients of welfare with respect to tariffs at an equilibrium,
 * by the implicit function theorem (docs/game.md, "Gradients").
 *
 * The Newton system F(x, t) = 0 in x = ln w_hat (the trade balances of every
 * country but n0, and the numeraire in row n0; src/solve/newton.c) defines the
 * wages as a function of the tariffs t.  With W(x, t) an objective evaluated
 * at given wages (the inner price and spending fixed points solved there),
 *   dW/dt_p = dW/dt_p|_x - lambda' dF/dt_p|_x,   J' lambda = (dW/dx)',
 * J = dF/dx at the equilibrium: one linear solve per objective (the adjoint),
 * whatever the number of tariff parameters.  J and dW/dx come from the
 * implicit differentiation of src/solve/jacobian.c, exact up to its linear
 * iterations' tolerance; the partials at fixed wages are central differences
 * of one model evaluation each (not of a solve), warm-started from the
 * equilibrium's prices and spending.
 *
 * Invariant: the model is left with the shock's own tariffs set, as a solve
 * of that shock would; nothing a later solve starts from is changed. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "solve_impl.h"
#include "core/lu.h"

/* Step of the central differences at fixed wages, in tariff units.  The inner
 * fixed points are solved to 1e-14, so the quotient's noise is about
 * 1e-14 / 1e-5 = 1e-9 of welfare per unit of tariff, and its truncation error
 * h^2 W'''/6 about 1e-11: both far below the 1e-6 relative accuracy the
 * tests ask of a gradient. */
#define ADJ_STEP 1e-5

typedef struct adj_ws {
    tw_model *m;
    size_t N, K, n0;
    double *x, *tau, *Z, *W, *Zp, *Wp, *J, *dW, *A, *lam, *dF, *dWt;
    size_t *piv;
} adj_ws;

static void adj_free(adj_ws *a)
{
    free(a->x); free(a->tau); free(a->Z); free(a->W); free(a->Zp); free(a->Wp);
    free(a->J); free(a->dW); free(a->A); free(a->lam); free(a->dF); free(a->dWt);
    free(a->piv);
}

static int adj_init(adj_ws *a, tw_model *m, size_t K)
{
    size_t N = m->N, nij = N * N * m->J;
    memset(a, 0, sizeof *a);
    a->m = m;
    a->N = N;
    a->K = K;
    a->x = calloc(N, sizeof(double)); a->tau = calloc(nij, sizeof(double));
    a->Z = calloc(N, sizeof(double)); a->W = calloc(N, sizeof(double));
    a->Zp = calloc(N, sizeof(double)); a->Wp = calloc(N, sizeof(double));
    a->J = calloc(N * N, sizeof(double)); a->dW = calloc(N * N, sizeof(double));
    a->A = calloc(N * N, sizeof(double)); a->lam = calloc(K * N + 1, sizeof(double));
    a->dF = calloc(N, sizeof(double)); a->dWt = calloc(N, sizeof(double));
    a->piv = calloc(N, sizeof(size_t));
    if (!a->x || !a->tau || !a->Z || !a->W || !a->Zp || !a->Wp || !a->J || !a->dW || !a->A ||
        !a->lam || !a->dF || !a->dWt || !a->piv)
        return -1;
    for (size_t n = 0; n < N; n++)
        if (m->b->VA[n] > m->b->VA[a->n0]) a->n0 = n;
    return 0;
}

/* Evaluate the model at the wages a->x from the saved equilibrium state:
 * balances into Z, welfare hats (eq. 6) into W. */
static tw_status eval_at(adj_ws *a, double *Z, double *W, tw_error *err)
{
    tw_model *m = a->m;
    const tw_base *b = m->b;
    size_t N = a->N, J = m->J;
    model_restore(m);
    tw_status st = model_eval(m, a->x, Z, err);
    if (st) return st;
    for (size_t n = 0; n < N; n++) {
        double I1 = exp(a->x[n]) * b->VA[n] + m->Dp[n], lnP = 0;
        for (size_t j = 0; j < J; j++) {
            I1 += m->r[n * J + j] * m->X[n * J + j];
            lnP += b->alpha[n * J + j] * m->lnP[n * J + j];
        }
        W[n] = I1 / b->I[n] * exp(-lnP);
    }
    return TW_OK;
}

/* The adjoint of objective k: J' lambda_k = dW_k/dx, with
 * dW_k/dx_c = sum_n omega_kn W_n d ln W_n / d x_c. */
static tw_status adjoints(adj_ws *a, const double *omega, tw_error *err)
{
    size_t N = a->N;
    for (size_t k = 0; k < a->K; k++) {
        double *lam = a->lam + k * N;
        for (size_t c = 0; c < N; c++) {
            lam[c] = 0;
            for (size_t n = 0; n < N; n++)
                lam[c] += omega[k * N + n] * a->W[n] * a->dW[c * N + n];
        }
        /* A = J' (column-major) */
        for (size_t r = 0; r < N; r++)
            for (size_t c = 0; c < N; c++) a->A[c * N + r] = a->J[r * N + c];
        if (tw_lu_solve(N, a->A, lam, a->piv) != 0)
            return tw_error_set(err, TW_ENOCONV, NULL, 0, 0,
                                "singular Jacobian of the wage system at the equilibrium");
    }
    return TW_OK;
}

/* Move the cells of parameter p by delta (from their level in the shock),
 * evaluate, and put the balances and welfare into a->Zp and a->Wp. */
static tw_status eval_moved(adj_ws *a, const tw_solver_dirs *d, size_t p, const double *tau0,
                            const double *dhat, double delta, tw_error *err)
{
    for (size_t q = 0; q < d->n_cells; q++) {
        if (d->param[q] != p) continue;
        size_t c = d->cell[q];
        a->tau[c] = tau0[c] + delta;
        model_set_cell(a->m, c, a->tau[c], dhat ? dhat[c] : 1.0);
    }
    tw_status st = eval_at(a, a->Zp, a->Wp, err);
    for (size_t q = 0; q < d->n_cells; q++) {
        if (d->param[q] != p) continue;
        size_t c = d->cell[q];
        a->tau[c] = tau0[c];
        model_set_cell(a->m, c, tau0[c], dhat ? dhat[c] : 1.0);
    }
    return st;
}

/* Column p of the gradient: the partials at fixed wages by central
 * differences, then the adjoint correction. */
static tw_status gradient_column(adj_ws *a, const tw_solver_dirs *d, size_t p, const double *tau0,
                                 const double *dhat, const double *omega, double *grad,
                                 tw_error *err)
{
    size_t N = a->N;
    tw_status st = eval_moved(a, d, p, tau0, dhat, ADJ_STEP, err);
    if (st) return st;
    memcpy(a->dF, a->Zp, N * sizeof(double));
    memcpy(a->dWt, a->Wp, N * sizeof(double));
    st = eval_moved(a, d, p, tau0, dhat, -ADJ_STEP, err);
    if (st) return st;
    for (size_t n = 0; n < N; n++) {
        a->dF[n] = (a->dF[n] - a->Zp[n]) / (2 * ADJ_STEP);
        a->dWt[n] = (a->dWt[n] - a->Wp[n]) / (2 * ADJ_STEP);
    }
    a->dF[a->n0] = 0; /* the numeraire row does not move with tariffs */
    for (size_t k = 0; k < a->K; k++) {
        double v = 0;
        for (size_t n = 0; n < N; n++) v += omega[k * N + n] * a->dWt[n] - a->lam[k * N + n] * a->dF[n];
        grad[k * d->n_params + p] = v;
    }
    return TW_OK;
}

/* The Jacobian of F at the equilibrium: the balances' derivative with row n0
 * replaced by the numeraire's (as src/solve/newton.c builds it), and the
 * derivative of log welfare. */
static tw_status equilibrium_jacobian(adj_ws *a, tw_error *err)
{
    size_t N = a->N;
    tw_status st = model_jacobian_welfare(a->m, a->x, a->J, a->dW, err);
    if (st) return st;
    const tw_base *b = a->m->b;
    double s = 0;
    for (size_t n = 0; n < N; n++) s += exp(a->x[n]) * b->VA[n];
    for (size_t c = 0; c < N; c++) a->J[c * N + a->n0] = exp(a->x[c]) * b->VA[c] / s;
    return TW_OK;
}

tw_status solver_welfare_gradient(tw_solver *s, const tw_shock *shock, const tw_result *r,
                                  size_t K, const double *omega, const tw_solver_dirs *d,
                                  double *f, double *grad, tw_error *err)
{
    tw_model *m = s->deficits == TW_DEFICITS_PURGE ? s->modelp : s->model0;
    if (!m || !r || r->base != m->b)
        return tw_error_set(err, TW_EARG, NULL, 0, 0,
                            "the equilibrium was not found by this solver and deficit rule");
    adj_ws a;
    if (adj_init(&a, m, K)) {
        adj_free(&a);
        return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory for the gradient");
    }
    const tw_base *b = m->b;
    size_t N = m->N, nj = N * m->J, nij = nj * N;
    const double *tau0 = shock ? tw_shock_tariffs(shock) : b->tau;
    const double *dhat = shock ? tw_shock_dhat(shock) : NULL;
    memcpy(a.tau, tau0, nij * sizeof(double));
    model_set_shock(m, a.tau, dhat, r->Dp);
    /* the equilibrium's prices and spending: the start of every evaluation */
    for (size_t k = 0; k < nj; k++) m->lnP[k] = log(r->P_hat[k]);
    memcpy(m->X, r->X, nj * sizeof(double));
    model_save(m);
    for (size_t n = 0; n < N; n++) a.x[n] = log(r->w_hat[n]);
    tw_status st = eval_at(&a, a.Z, a.W, err);
    if (!st) {
        model_save(m); /* the state at the equilibrium itself */
        st = equilibrium_jacobian(&a, err);
    }
    if (!st) st = adjoints(&a, omega, err);
    for (size_t p = 0; p < d->n_params && !st; p++)
        st = gradient_column(&a, d, p, tau0, dhat, omega, grad, err);
    for (size_t k = 0; k < K && !st && f; k++) {
        f[k] = 0;
        for (size_t n = 0; n < N; n++) f[k] += omega[k * N + n] * a.W[n];
    }
    /* leave the model with the shock's own array, not this call's copy */
    model_set_shock(m, tau0, dhat, r->Dp);
    adj_free(&a);
    return st;
}

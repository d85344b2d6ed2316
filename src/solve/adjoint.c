/* adjoint.c - gradients of welfare with respect to tariffs at an equilibrium,
 * by the implicit function theorem (docs/game.md, "Gradients").
 *
 * The Newton system F(x, t) = 0 in x = ln w_hat (the trade balances of every
 * country but n0, and the numeraire in row n0; src/solve/newton.c) defines the
 * wages as a function of the tariffs t.  With W(x, t) an objective evaluated
 * at given wages (the inner price and spending fixed points solved there),
 *   dW/dt_p = dW/dt_p|_x - lambda' dF/dt_p|_x,   J' lambda = (dW/dx)',
 * J = dF/dx at the equilibrium: one linear solve per objective (the adjoint),
 * whatever the number of tariff parameters.  J, dW/dx and the partials at
 * fixed wages, dF/dt and dW/dt (which still go through the inner price and
 * spending fixed points), all come from the implicit differentiation of
 * src/solve/jacobian.c, exact up to its linear iterations' tolerance: no
 * difference quotient, no solve.
 *
 * Invariant: the model is left with the shock's own tariffs set, as a solve
 * of that shock would; nothing a later solve starts from is changed. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "solve_impl.h"
#include "core/lu.h"

typedef struct adj_ws {
    tw_model *m;
    size_t N, K, n0;
    double *x, *Z, *W, *J, *dW, *A, *lam, *dF, *dWt;
    size_t *piv;
} adj_ws;

static void adj_free(adj_ws *a)
{
    free(a->x); free(a->Z); free(a->W);
    free(a->J); free(a->dW); free(a->A); free(a->lam); free(a->dF); free(a->dWt);
    free(a->piv);
}

static int adj_init(adj_ws *a, tw_model *m, size_t K, size_t P)
{
    size_t N = m->N;
    memset(a, 0, sizeof *a);
    a->m = m;
    a->N = N;
    a->K = K;
    a->x = calloc(N, sizeof(double));
    a->Z = calloc(N, sizeof(double)); a->W = calloc(N, sizeof(double));
    a->J = calloc(N * N, sizeof(double)); a->dW = calloc(N * N, sizeof(double));
    a->A = calloc(N * N, sizeof(double)); a->lam = calloc(K * N + 1, sizeof(double));
    a->dF = calloc(N * P + 1, sizeof(double)); a->dWt = calloc(N * P + 1, sizeof(double));
    a->piv = calloc(N, sizeof(size_t));
    if (!a->x || !a->Z || !a->W || !a->J || !a->dW || !a->A ||
        !a->lam || !a->dF || !a->dWt || !a->piv)
        return -1;
    for (size_t n = 0; n < N; n++)
        if (m->b->VA[n] > m->b->VA[a->n0]) a->n0 = n;
    return 0;
}

/* Evaluate the model at the wages a->x from its current state: balances
 * into Z, welfare hats (eq. 6) into W. */
static tw_status eval_at(adj_ws *a, double *Z, double *W, tw_error *err)
{
    tw_model *m = a->m;
    const tw_base *b = m->b;
    size_t N = a->N, J = m->J;
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

/* The gradient from the partials at fixed wages (a->dF, a->dWt, column
 * p = parameter) and the adjoints. */
static void gradient(const adj_ws *a, size_t P, const double *omega, double *grad)
{
    size_t N = a->N;
    for (size_t k = 0; k < a->K; k++)
        for (size_t p = 0; p < P; p++) {
            const double *dF = a->dF + p * N, *dWt = a->dWt + p * N;
            double v = 0;
            for (size_t n = 0; n < N; n++) {
                v += omega[k * N + n] * a->W[n] * dWt[n];
                /* the numeraire row does not move with tariffs */
                if (n != a->n0) v -= a->lam[k * N + n] * dF[n];
            }
            grad[k * P + p] = v;
        }
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
    if (adj_init(&a, m, K, d->n_params)) {
        adj_free(&a);
        return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory for the gradient");
    }
    const tw_base *b = m->b;
    size_t N = m->N, nj = N * m->J;
    const double *tau0 = shock ? tw_shock_tariffs(shock) : b->tau;
    const double *dhat = shock ? tw_shock_dhat(shock) : NULL;
    model_set_shock(m, tau0, dhat, r->Dp);
    /* one evaluation at the equilibrium, from its own prices and spending,
     * puts the state every derivative reads (shares, spending) in place */
    for (size_t k = 0; k < nj; k++) m->lnP[k] = log(r->P_hat[k]);
    memcpy(m->X, r->X, nj * sizeof(double));
    for (size_t n = 0; n < N; n++) a.x[n] = log(r->w_hat[n]);
    tw_status st = eval_at(&a, a.Z, a.W, err);
    if (!st) st = equilibrium_jacobian(&a, err);
    if (!st) st = model_tariff_jacobian(m, a.x, d, a.dF, a.dWt, err);
    if (!st) st = adjoints(&a, omega, err);
    if (!st) gradient(&a, d->n_params, omega, grad);
    for (size_t k = 0; k < K && !st && f; k++) {
        f[k] = 0;
        for (size_t n = 0; n < N; n++) f[k] += omega[k * N + n] * a.W[n];
    }
    adj_free(&a);
    return st;
}

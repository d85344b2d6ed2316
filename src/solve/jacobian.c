/* jacobian.c - the derivative of the trade balances with respect to log wages
 * by implicit differentiation through the inner fixed points (docs/model.md
 * sec. 4, "Starting Jacobian").
 *
 * At a point the model has just evaluated, the price system (eqs. 1-2) and the
 * spending system (eqs. 3-4) hold; differentiating them gives two linear
 * systems in d ln P and d X, x = A x + b with A >= 0 the model's own
 * iteration matrix.  Each is solved by block Jacobi over countries: a
 * country's own block (its purchases from itself, and for spending its own
 * tariff revenue) is inverted once (J x J), purchases from abroad lag one
 * pass.  That is a regular splitting of I - A, so it converges at least as
 * fast as the plain iteration, and with domestic shares near one far faster.
 * All N directions (one per country's log wage) are carried together: every
 * derivative array is [n][j][m] with the direction m innermost, so each
 * update is a run of unit-stride multiply-adds.
 *
 *   d ln c_ij = gamma_ij e_i + sum_k gamma^{k,j}_i d ln P_ik
 *   d ln P_nj = sum_i pi'_nij d ln c_ij
 *   d g_nij   = -theta_j g_nij (d ln c_ij - d ln P_nj),  d r_nj = -sum_i d g_nij
 *   d Y_ij    = sum_n (d g_nij X'_nj + g_nij d X'_nj)
 *   d X'_nj   = sum_k gamma^{j,k}_n d Y_nk + alpha_nj d I_n,
 *   d I_n     = w_n VA_n e_n + sum_j (d r_nj X'_nj + r_nj d X'_nj)
 * with e_i the unit direction, g = pi' / (1 + tau') and r the tariff revenue
 * per unit of spending.  Then d Z_n = (sum_j d Y_nj - sum_j ((1 - r_nj) d X'_nj
 * - X'_nj d r_nj)) / VA_n.
 *
 * The same systems carry tariff directions at fixed wages (model_tariff_jacobian):
 * moving tau'_nij by delta moves ln a_nij by -theta_j bq_nij delta and ln bq_nij
 * by -bq_nij delta (bq = 1 / (1 + tau')), so e_i drops out and
 *   d ln P_nj gains sum_i pi'_nij bq_nij delta_nij,
 *   d g_nij   gains -(theta_j + 1) g_nij bq_nij delta_nij,
 * and nothing else changes: wages do not move. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "simd.h"
#include "solve_impl.h"
#include "core/index.h"

/* Stopping rules of the two linear iterations: the largest change of a pass
 * relative to the largest entry.  Gradients (model_jacobian_welfare,
 * model_tariff_jacobian) take JAC_TOL.  The Newton solve's starting Jacobian
 * (model_jacobian) takes JAC_START_TOL: it only starts the quasi-Newton
 * iteration, whose Broyden updates refine it as the solve goes and whose
 * stopping rule is on the residual, so the answer does not depend on it.
 * At 1e-3 it takes 11 passes instead of 28 on world2011-full, with the same
 * evaluation count in each of 206 cases of bench/compare.py (1e-2 changed
 * two). */
#define JAC_TOL 1e-8
#define JAC_START_TOL 1e-3
#define JAC_MAX_PASSES 1000

typedef struct jac_ws {
    const tw_model *m;
    size_t N, J, nj, len; /* len = nj * D */
    size_t D;             /* directions: N log wages, or the tariff parameters */
    double tol;           /* stopping rule of the linear iterations */
    const tw_solver_dirs *dirs; /* tariff directions, or NULL: wage directions */
    double *dP, *dc, *dX, *dY, *fY, *dr, *nxt;
    double *fI, *dI;      /* [n][m] sum_j d r X', and [m] scratch */
    double *inv;          /* [n][j][k] inverse of a country's own block */
    double *blk, *row;    /* J x J and J x N scratch */
} jac_ws;

/* y += a x over the D directions */
static inline void axpy(size_t D, double a, const double *restrict x, double *restrict y)
{
    for (size_t k = 0; k < D; k++) y[k] += a * x[k];
}

static void jac_free(jac_ws *ws)
{
    free(ws->dP); free(ws->dc); free(ws->dX); free(ws->dY); free(ws->fY); free(ws->dr);
    free(ws->nxt); free(ws->fI); free(ws->dI); free(ws->inv); free(ws->blk); free(ws->row);
}

static int jac_init(jac_ws *ws, const tw_model *m, const tw_solver_dirs *dirs, double tol)
{
    memset(ws, 0, sizeof *ws);
    ws->m = m;
    ws->tol = tol;
    ws->N = m->N;
    ws->J = m->J;
    ws->dirs = dirs;
    ws->D = dirs ? dirs->n_params : m->N;
    ws->nj = m->N * m->J;
    ws->len = ws->nj * ws->D;
    double **arr[] = {&ws->dP, &ws->dc, &ws->dX, &ws->dY, &ws->fY, &ws->dr, &ws->nxt};
    for (size_t k = 0; k < sizeof arr / sizeof arr[0]; k++) {
        *arr[k] = calloc(ws->len ? ws->len : 1, sizeof(double));
        if (!*arr[k]) return -1;
    }
    ws->fI = calloc(ws->N * ws->D + 1, sizeof(double));
    ws->dI = calloc(ws->D + 1, sizeof(double));
    ws->inv = calloc(ws->N * ws->J * ws->J + 1, sizeof(double));
    ws->blk = calloc(ws->J * ws->J + 1, sizeof(double));
    ws->row = calloc(ws->J * ws->D + 1, sizeof(double));
    if (!ws->fI || !ws->dI || !ws->inv || !ws->blk || !ws->row) return -1;
    return 0;
}

/* d ln c from d ln P (eq. 1 differentiated; the wage term in wage
 * directions only). */
TW_VECTOR static void cost_derivative(const jac_ws *ws)
{
    const tw_base *b = ws->m->b;
    size_t N = ws->N, J = ws->J, D = ws->D;
    memset(ws->dc, 0, ws->len * sizeof(double));
    for (size_t i = 0; i < N; i++) {
        for (size_t j = 0; j < J && !ws->dirs; j++)
            ws->dc[tw_ix_nj(J, i, j) * D + i] = b->va[tw_ix_nj(J, i, j)];
        for (size_t k = 0; k < J; k++) {
            const double *p = ws->dP + tw_ix_nj(J, i, k) * D;
            const double *g = b->io + tw_ix_nkj(J, i, k, 0);
            for (size_t j = 0; j < J; j++)
                if (g[j] != 0.0) axpy(D, g[j], p, ws->dc + tw_ix_nj(J, i, j) * D);
        }
    }
}

/* The cell (flat [n][i][j]) of tariff direction entry q as n, i, j. */
static void cell_of(const jac_ws *ws, size_t q, size_t *n, size_t *i, size_t *j)
{
    model_cell_split(ws->N, ws->J, ws->dirs->cell[q], n, i, j);
}

void model_cell_split(size_t N, size_t J, size_t c, size_t *n, size_t *i, size_t *j)
{
    /* (a model has at least one country and one sector: a direction exists
     * only then, so the guards never fire) */
    J = J ? J : 1;
    N = N ? N : 1;
    *j = c % J;
    *i = c / J % N;
    *n = c / J / N;
}

TW_VECTOR int model_invert_block(size_t J, double *restrict a, double *restrict inv)
{
    for (size_t r = 0; r < J; r++)
        for (size_t c = 0; c < J; c++) inv[r * J + c] = r == c;
    for (size_t c = 0; c < J; c++) {
        size_t p = c;
        for (size_t r = c + 1; r < J; r++)
            if (fabs(a[r * J + c]) > fabs(a[p * J + c])) p = r;
        if (!(fabs(a[p * J + c]) > 0)) return -1;
        if (p != c)
            for (size_t k = 0; k < J; k++) {
                double t = a[p * J + k]; a[p * J + k] = a[c * J + k]; a[c * J + k] = t;
                t = inv[p * J + k]; inv[p * J + k] = inv[c * J + k]; inv[c * J + k] = t;
            }
        /* (columns up to c of a are done: only those right of c are
         * updated, and read later) */
        double d = 1.0 / a[c * J + c];
        for (size_t k = c + 1; k < J; k++) a[c * J + k] *= d;
        for (size_t k = 0; k < J; k++) inv[c * J + k] *= d;
        for (size_t r = 0; r < J; r++) {
            double f = a[r * J + c];
            if (r == c || f == 0.0) continue;
            for (size_t k = c + 1; k < J; k++) a[r * J + k] -= f * a[c * J + k];
            for (size_t k = 0; k < J; k++) inv[r * J + k] -= f * inv[c * J + k];
        }
    }
    return 0;
}

/* x[n] <- inv[n] x[n] for country n's J x D rows. */
TW_VECTOR static void apply_inverse(jac_ws *ws, size_t n, double *x)
{
    size_t J = ws->J, D = ws->D;
    const double *inv = ws->inv + n * J * J;
    memset(ws->row, 0, J * D * sizeof(double));
    for (size_t j = 0; j < J; j++)
        for (size_t k = 0; k < J; k++)
            if (inv[j * J + k] != 0.0) axpy(D, inv[j * J + k], x + k * D, ws->row + j * D);
    memcpy(x, ws->row, J * D * sizeof(double));
}

double model_own_entry(const tw_model *m, size_t n, size_t j, size_t k, int spending)
{
    const tw_base *b = m->b;
    size_t N = m->N, J = m->J;
    double diag = j == k;
    if (!spending)
        return diag - m->pip[tw_ix_nij(N, J, n, n, j)] * b->io[tw_ix_nkj(J, n, k, j)];
    return diag - b->io[tw_ix_nkj(J, n, j, k)] * m->g[tw_ix_nij(N, J, n, n, k)] -
           b->alpha[tw_ix_nj(J, n, j)] * m->r[tw_ix_nj(J, n, k)];
}

/* Invert every country's own block (model_own_entry); -1 when one is singular. */
static int own_blocks(jac_ws *ws, int spending)
{
    size_t J = ws->J;
    for (size_t n = 0; n < ws->N; n++) {
        for (size_t j = 0; j < J; j++)
            for (size_t k = 0; k < J; k++)
                ws->blk[j * J + k] = model_own_entry(ws->m, n, j, k, spending);
        if (model_invert_block(J, ws->blk, ws->inv + n * J * J)) return -1;
    }
    return 0;
}

/* One pass of the price derivative, block Jacobi by country: the own block
 * is solved exactly, purchases from abroad lag one pass.  Its fixed point is
 * d ln P = Pi (d ln c(d ln P)). */
TW_VECTOR static void price_pass(jac_ws *ws)
{
    const tw_model *m = ws->m;
    size_t N = ws->N, J = ws->J, D = ws->D;
    cost_derivative(ws);
    memset(ws->nxt, 0, ws->len * sizeof(double));
    /* tariff directions: the price index moves with the tariff itself */
    for (size_t q = 0; ws->dirs && q < ws->dirs->n_cells; q++) {
        size_t n, i, j, c = ws->dirs->cell[q];
        cell_of(ws, q, &n, &i, &j);
        ws->nxt[tw_ix_nj(J, n, j) * D + ws->dirs->param[q]] += m->pip[c] * m->bq[c];
    }
    for (size_t n = 0; n < N; n++) {
        for (size_t i = 0; i < N; i++) {
            if (i == n) continue;
            const double *p = m->pip + tw_ix_nij(N, J, n, i, 0);
            for (size_t j = 0; j < J; j++)
                if (p[j] != 0.0)
                    axpy(D, p[j], ws->dc + tw_ix_nj(J, i, j) * D,
                         ws->nxt + tw_ix_nj(J, n, j) * D);
        }
        /* the own block's wage term */
        const double *p = m->pip + tw_ix_nij(N, J, n, n, 0);
        for (size_t j = 0; j < J && !ws->dirs; j++)
            ws->nxt[tw_ix_nj(J, n, j) * D + n] += p[j] * m->b->va[tw_ix_nj(J, n, j)];
        apply_inverse(ws, n, ws->nxt + tw_ix_nj(J, n, 0) * D);
    }
}

/* The spending pass's fixed terms: d r and the part of d Y that moves with
 * the shares (d g X'), from the converged price derivatives. */
TW_VECTOR static void share_derivative(jac_ws *ws)
{
    const tw_model *m = ws->m;
    const tw_base *b = m->b;
    size_t N = ws->N, J = ws->J, D = ws->D;
    double *dg = ws->nxt; /* one [m] row at a time */
    memset(ws->fY, 0, ws->len * sizeof(double));
    memset(ws->dr, 0, ws->len * sizeof(double));
    memset(ws->fI, 0, N * D * sizeof(double));
    for (size_t n = 0; n < N; n++)
        for (size_t i = 0; i < N; i++)
            for (size_t j = 0; j < J; j++) {
                double g = m->g[tw_ix_nij(N, J, n, i, j)];
                if (g == 0.0) continue;
                double a = -b->theta[j] * g;
                const double *dci = ws->dc + tw_ix_nj(J, i, j) * D;
                const double *dpn = ws->dP + tw_ix_nj(J, n, j) * D;
                for (size_t k = 0; k < D; k++) dg[k] = a * (dci[k] - dpn[k]);
                axpy(D, m->X[tw_ix_nj(J, n, j)], dg, ws->fY + tw_ix_nj(J, i, j) * D);
                axpy(D, -1.0, dg, ws->dr + tw_ix_nj(J, n, j) * D);
                axpy(D, -m->X[tw_ix_nj(J, n, j)], dg, ws->fI + n * D);
            }
    /* tariff directions: the shares move with the tariff itself */
    for (size_t q = 0; ws->dirs && q < ws->dirs->n_cells; q++) {
        size_t n, i, j, c = ws->dirs->cell[q], p = ws->dirs->param[q];
        cell_of(ws, q, &n, &i, &j);
        double sg = -(b->theta[j] + 1.0) * m->g[c] * m->bq[c], X = m->X[tw_ix_nj(J, n, j)];
        ws->fY[tw_ix_nj(J, i, j) * D + p] += X * sg;
        ws->dr[tw_ix_nj(J, n, j) * D + p] -= sg;
        ws->fI[n * D + p] -= X * sg;
    }
}

/* d Y = fY + sum_n g d X'. */
TW_VECTOR static void sales_derivative(const jac_ws *ws)
{
    const tw_model *m = ws->m;
    size_t N = ws->N, J = ws->J, D = ws->D;
    memcpy(ws->dY, ws->fY, ws->len * sizeof(double));
    for (size_t n = 0; n < N; n++)
        for (size_t i = 0; i < N; i++) {
            const double *g = m->g + tw_ix_nij(N, J, n, i, 0);
            for (size_t j = 0; j < J; j++)
                if (g[j] != 0.0)
                    axpy(D, g[j], ws->dX + tw_ix_nj(J, n, j) * D,
                         ws->dY + tw_ix_nj(J, i, j) * D);
        }
}

/* One pass of the spending derivative, block Jacobi by country as for
 * prices: a country's sales to itself and its own tariff revenue are solved
 * exactly, its sales abroad lag one pass.  Its fixed point is d X' = Gamma dY
 * + alpha d I. */
TW_VECTOR static void spending_pass(jac_ws *ws, const double *lnw)
{
    const tw_model *m = ws->m;
    const tw_base *b = m->b;
    size_t N = ws->N, J = ws->J, D = ws->D;
    memset(ws->nxt, 0, ws->len * sizeof(double));
    sales_derivative(ws);
    for (size_t n = 0; n < N; n++) {
        /* sales abroad only: take out n's purchases from itself */
        const double *gn = m->g + tw_ix_nij(N, J, n, n, 0);
        for (size_t k = 0; k < J; k++)
            if (gn[k] != 0.0)
                axpy(D, -gn[k], ws->dX + tw_ix_nj(J, n, k) * D, ws->dY + tw_ix_nj(J, n, k) * D);
        double *q = ws->nxt + tw_ix_nj(J, n, 0) * D;
        for (size_t jin = 0; jin < J; jin++) {
            const double *g = b->io + tw_ix_nkj(J, n, jin, 0);
            for (size_t k = 0; k < J; k++)
                if (g[k] != 0.0) axpy(D, g[k], ws->dY + tw_ix_nj(J, n, k) * D, q + jin * D);
        }
        const double *al = b->alpha + n * J;
        double *dI = ws->dI;
        memcpy(dI, ws->fI + n * D, D * sizeof(double));
        if (!ws->dirs) dI[n] += exp(lnw[n]) * b->VA[n];
        for (size_t j = 0; j < J; j++) axpy(D, al[j], dI, q + j * D);
        apply_inverse(ws, n, q);
    }
}

typedef void (*jac_pass)(jac_ws *ws, const double *lnw);

static void price_step(jac_ws *ws, const double *lnw)
{
    (void)lnw;
    price_pass(ws);
}

/* Iterate x <- pass(x) from x = 0 until the largest change is at most
 * ws->tol times the largest entry. */
static tw_status linear_fixed_point(jac_ws *ws, const double *lnw, jac_pass pass, double *x,
                                    const char *system, tw_error *err)
{
    memset(x, 0, ws->len * sizeof(double));
    for (size_t it = 1; it <= JAC_MAX_PASSES; it++) {
        pass(ws, lnw);
        double d = 0, big = 0;
        for (size_t k = 0; k < ws->len; k++) {
            double dk = fabs(ws->nxt[k] - x[k]);
            if (!(dk <= d)) d = dk;
            /* (a comparison, not fmax: this loop runs over every entry of
             * every pass, and fmax is a call) */
            double ak = fabs(ws->nxt[k]);
            if (ak > big) big = ak;
        }
        if (!isfinite(d))
            return tw_error_set(err, TW_ENOCONV, NULL, 0, 0,
                                "%s derivative produced a non-finite value", system);
        memcpy(x, ws->nxt, ws->len * sizeof(double));
        if (d <= ws->tol * big) return TW_OK;
    }
    return tw_error_set(err, TW_ENOCONV, NULL, 0, 0,
                        "%s derivative did not converge in %d passes", system,
                        JAC_MAX_PASSES);
}

/* d Z from the converged derivatives, column-major: dZ[m * N + n], m < D. */
TW_VECTOR static void balance_derivative(const jac_ws *ws, double *dZ)
{
    const tw_model *m = ws->m;
    const tw_base *b = m->b;
    size_t N = ws->N, J = ws->J, D = ws->D;
    memset(dZ, 0, N * D * sizeof(double));
    for (size_t n = 0; n < N; n++)
        for (size_t j = 0; j < J; j++) {
            size_t c = tw_ix_nj(J, n, j);
            const double *dY = ws->dY + c * D, *dX = ws->dX + c * D, *dr = ws->dr + c * D;
            double keep = 1.0 - m->r[c], X = m->X[c];
            for (size_t k = 0; k < D; k++)
                dZ[k * N + n] += dY[k] - keep * dX[k] + X * dr[k];
        }
    for (size_t n = 0; n < N; n++)
        for (size_t k = 0; k < D; k++) dZ[k * N + n] /= b->VA[n];
}

/* One of the two linear systems (spending 0: prices into dP, 1: spending
 * into dX): its own blocks inverted, then iterated to ws->tol. */
static tw_status solve_system(jac_ws *ws, const double *lnw, int spending, double *x,
                              tw_error *err)
{
    const char *name = spending ? "spending" : "price";
    if (own_blocks(ws, spending))
        return tw_error_set(err, TW_ENOCONV, NULL, 0, 0, "singular %s block", name);
    return linear_fixed_point(ws, lnw, spending ? spending_pass : price_step, x, name, err);
}

/* d ln W_n / d direction k into dW[k * N + n], from the converged derivatives:
 * W_n = I'_n / I_n / prod_j P_hat_nj^alpha_nj (eq. 6) with
 * I'_n = w_n VA_n + sum_j r_nj X'_nj + D'_n, so
 * d ln W_n = d I'_n / I'_n - sum_j alpha_nj d ln P_nj. */
static void welfare_derivative(const jac_ws *ws, const double *lnw, double *dW)
{
    const tw_model *m = ws->m;
    const tw_base *b = m->b;
    size_t N = ws->N, J = ws->J, D = ws->D;
    for (size_t n = 0; n < N; n++) {
        double I1 = exp(lnw[n]) * b->VA[n] + m->Dp[n];
        double *dI = ws->dI;
        memset(dI, 0, D * sizeof(double));
        if (!ws->dirs) dI[n] = exp(lnw[n]) * b->VA[n];
        for (size_t j = 0; j < J; j++) {
            size_t c = tw_ix_nj(J, n, j);
            I1 += m->r[c] * m->X[c];
            axpy(D, m->X[c], ws->dr + c * D, dI);
            axpy(D, m->r[c], ws->dX + c * D, dI);
        }
        for (size_t k = 0; k < D; k++) dW[k * N + n] = dI[k] / I1;
        for (size_t j = 0; j < J; j++) {
            size_t c = tw_ix_nj(J, n, j);
            const double *dP = ws->dP + c * D;
            for (size_t k = 0; k < D; k++) dW[k * N + n] -= b->alpha[c] * dP[k];
        }
    }
}

static tw_status derivatives(const tw_model *m, const double *lnw, const tw_solver_dirs *dirs,
                             double tol, double *dZ, double *dW, tw_error *err);

tw_status model_jacobian(const tw_model *m, const double *lnw, double *dZ, tw_error *err)
{
    return derivatives(m, lnw, NULL, JAC_START_TOL, dZ, NULL, err);
}

tw_status model_jacobian_precise(const tw_model *m, const double *lnw, double *dZ, tw_error *err)
{
    return derivatives(m, lnw, NULL, JAC_TOL, dZ, NULL, err);
}

tw_status model_jacobian_welfare(const tw_model *m, const double *lnw, double *dZ, double *dW,
                                 tw_error *err)
{
    return derivatives(m, lnw, NULL, JAC_TOL, dZ, dW, err);
}

tw_status model_tariff_jacobian(const tw_model *m, const double *lnw, const tw_solver_dirs *dirs,
                                double *dZ, double *dW, tw_error *err)
{
    return derivatives(m, lnw, dirs, JAC_TOL, dZ, dW, err);
}

static tw_status derivatives(const tw_model *m, const double *lnw, const tw_solver_dirs *dirs,
                             double tol, double *dZ, double *dW, tw_error *err)
{
    jac_ws ws;
    if (jac_init(&ws, m, dirs, tol)) {
        jac_free(&ws);
        return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory for the Jacobian");
    }
    tw_status st = solve_system(&ws, lnw, 0, ws.dP, err);
    if (!st) {
        cost_derivative(&ws);
        share_derivative(&ws);
        st = solve_system(&ws, lnw, 1, ws.dX, err);
    }
    if (!st) {
        sales_derivative(&ws);
        balance_derivative(&ws, dZ);
        if (dW) welfare_derivative(&ws, lnw, dW);
    }
    jac_free(&ws);
    return st;
}

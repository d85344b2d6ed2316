/* forward.c - the derivative of welfare along ONE tariff direction at an
 * equilibrium, in forward mode (docs/game.md, "Best response").
 *
 * The implicit function theorem gives the wage tangent v = dx/dt of the
 * Newton system F(x, t) = 0 (src/solve/newton.c) from J v = -dF/dt, and then
 *   dW/dt = dW/dt|_x + dW/dx v.
 * adjoint.c builds the whole N x N implicit Jacobian J for that, carrying N
 * wage directions through the inner linear systems; for a single tariff
 * direction that is N times the work needed.  Here J is never formed: the
 * system J v = -dF/dt is solved by GMRES, each product J z being ONE pass of
 * the implicit derivatives of src/solve/jacobian.c (the price and spending
 * linear systems, block Jacobi by country, own blocks by LU) in the single
 * wage direction z, and the solver's last (Broyden) Jacobian, a close model
 * of J at the equilibrium it just found, as the preconditioner: GMRES then
 * needs a few products, not N.  A last pass in the combined direction (the
 * tariff and v) gives dW/dt, the tangent of prices and spending (a predictor
 * for the next solve), and checks the residual J v + dF/dt.
 *
 * The same equations as jacobian.c with one direction (scalars, not runs of
 * D directions), to a tighter tolerance (FWD_TOL): near an optimum dW/dt is
 * the small difference of its two terms.
 *
 * Invariant: as adjoint.c, the model is left with the shock's own tariffs
 * set; nothing a later solve starts from is changed. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "simd.h"
#include "solve_impl.h"
#include "core/index.h"

/* Linear passes stop when the largest change is at most FWD_TOL times the
 * largest entry; GMRES when its residual is at most FWD_KRYLOV_TOL times
 * |dF/dt|, and the final residual check accepts FWD_CHECK_TOL. */
#define FWD_TOL 1e-13
#define FWD_MAX_PASSES 2000
#define FWD_KRYLOV_TOL 1e-11
#define FWD_CHECK_TOL 1e-8

/* One direction's derivatives: d ln P and d X' [n][j], d F [n] (row n0 the
 * numeraire) and d ln W_hat [n]. */
typedef struct fwd_dir {
    double *dP, *dX, *dF, *dW;
} fwd_dir;

typedef struct fwd_ws {
    const tw_model *m;
    const tw_solver_dirs *dirs;
    size_t N, J, nj, n0;
    const double *x;      /* log wages at the equilibrium */
    double *dc, *dY, *fY, *dr, *fI, *nxt, *tmp;
    double *luP, *luX;    /* LU of each country's own block, [n][j][k] */
    size_t *pvP, *pvX;
} fwd_ws;

/* LU with partial pivoting of the n x n row-major a, in place; -1 when
 * singular. */
static int lu_factor(size_t n, double *a, size_t *piv)
{
    for (size_t c = 0; c < n; c++) {
        size_t p = c;
        for (size_t r = c + 1; r < n; r++)
            if (fabs(a[r * n + c]) > fabs(a[p * n + c])) p = r;
        piv[c] = p;
        if (!(fabs(a[p * n + c]) > 0)) return -1;
        /* (only from column c on: the multipliers of earlier columns stay
         * where they were made, for lu_apply's interleaved swaps) */
        if (p != c)
            for (size_t k = c; k < n; k++) {
                double t = a[p * n + k];
                a[p * n + k] = a[c * n + k];
                a[c * n + k] = t;
            }
        for (size_t r = c + 1; r < n; r++) {
            double f = a[r * n + c] /= a[c * n + c];
            if (f == 0.0) continue;
            for (size_t k = c + 1; k < n; k++) a[r * n + k] -= f * a[c * n + k];
        }
    }
    return 0;
}

/* x <- a^-1 x with lu_factor's factors. */
static void lu_apply(size_t n, const double *a, const size_t *piv, double *x)
{
    for (size_t c = 0; c < n; c++) {
        double t = x[piv[c]];
        x[piv[c]] = x[c];
        x[c] = t;
        for (size_t r = c + 1; r < n; r++) x[r] -= a[r * n + c] * x[c];
    }
    for (size_t c = n; c-- > 0;) {
        for (size_t k = c + 1; k < n; k++) x[c] -= a[c * n + k] * x[k];
        x[c] /= a[c * n + c];
    }
}

/* Entry (j, k) of country n's own block of I - A, as own_entry of
 * jacobian.c: prices I - diag(pi'_nn) Gamma_n', spending
 * I - Gamma_n diag(g_nn) - alpha_n r_n'. */
static double own_entry(const fwd_ws *ws, size_t n, size_t j, size_t k, int spending)
{
    const tw_model *m = ws->m;
    const tw_base *b = m->b;
    size_t N = ws->N, J = ws->J;
    double diag = j == k;
    if (!spending)
        return diag - m->pip[tw_ix_nij(N, J, n, n, j)] * b->io[tw_ix_nkj(J, n, k, j)];
    return diag - b->io[tw_ix_nkj(J, n, j, k)] * m->g[tw_ix_nij(N, J, n, n, k)] -
           b->alpha[tw_ix_nj(J, n, j)] * m->r[tw_ix_nj(J, n, k)];
}

static int own_blocks(fwd_ws *ws, int spending)
{
    size_t J = ws->J;
    double *lu = spending ? ws->luX : ws->luP;
    size_t *pv = spending ? ws->pvX : ws->pvP;
    for (size_t n = 0; n < ws->N; n++) {
        double *a = lu + n * J * J;
        for (size_t j = 0; j < J; j++)
            for (size_t k = 0; k < J; k++) a[j * J + k] = own_entry(ws, n, j, k, spending);
        if (lu_factor(J, a, pv + n * J)) return -1;
    }
    return 0;
}

static void ws_free(fwd_ws *ws)
{
    free(ws->dc); free(ws->dY); free(ws->fY); free(ws->dr); free(ws->fI); free(ws->nxt);
    free(ws->tmp); free(ws->luP); free(ws->luX); free(ws->pvP); free(ws->pvX);
}

static int ws_init(fwd_ws *ws, const tw_model *m, const tw_solver_dirs *d, const double *x)
{
    memset(ws, 0, sizeof *ws);
    size_t N = m->N, J = m->J, nj = N * J;
    *ws = (fwd_ws){.m = m, .dirs = d, .N = N, .J = J, .nj = nj, .x = x};
    for (size_t n = 0; n < N; n++)
        if (m->b->VA[n] > m->b->VA[ws->n0]) ws->n0 = n;
    double **arr[] = {&ws->dc, &ws->dY, &ws->fY, &ws->dr, &ws->nxt};
    for (size_t k = 0; k < sizeof arr / sizeof arr[0]; k++)
        if (!(*arr[k] = calloc(nj + 1, sizeof(double)))) return -1;
    ws->fI = calloc(N + 1, sizeof(double));
    ws->tmp = calloc(J + 1, sizeof(double));
    ws->luP = calloc(N * J * J + 1, sizeof(double));
    ws->luX = calloc(N * J * J + 1, sizeof(double));
    ws->pvP = calloc(nj + 1, sizeof(size_t));
    ws->pvX = calloc(nj + 1, sizeof(size_t));
    if (!ws->fI || !ws->tmp || !ws->luP || !ws->luX || !ws->pvP || !ws->pvX) return -1;
    return 0;
}

/* d ln c = gamma e.v + Gamma' d ln P (eq. 1 differentiated). */
TW_VECTOR static void fwd_costs(fwd_ws *ws, const double *v, const double *restrict dP)
{
    const tw_base *b = ws->m->b;
    size_t N = ws->N, J = ws->J;
    for (size_t i = 0; i < N; i++) {
        double *restrict c = ws->dc + i * J;
        const double *restrict va = b->va + i * J;
        for (size_t j = 0; j < J; j++) c[j] = va[j] * v[i];
        for (size_t k = 0; k < J; k++) {
            double p = dP[tw_ix_nj(J, i, k)];
            if (p == 0.0) continue;
            const double *restrict g = b->io + tw_ix_nkj(J, i, k, 0);
            for (size_t j = 0; j < J; j++) c[j] += g[j] * p;
        }
    }
}

/* One block-Jacobi pass of the price derivative: nxt from dP. */
TW_VECTOR static void fwd_price_pass(fwd_ws *ws, double s, const double *v, const double *dP)
{
    const tw_model *m = ws->m;
    size_t N = ws->N, J = ws->J;
    fwd_costs(ws, v, dP);
    double *restrict nxt = ws->nxt;
    memset(nxt, 0, ws->nj * sizeof(double));
    for (size_t q = 0; s != 0.0 && q < ws->dirs->n_cells; q++) {
        size_t c = ws->dirs->cell[q];
        nxt[c / (N * J) * J + c % J] += s * m->pip[c] * m->bq[c];
    }
    for (size_t n = 0; n < N; n++) {
        double *restrict o = nxt + n * J;
        for (size_t i = 0; i < N; i++) {
            if (i == n) continue;
            const double *restrict p = m->pip + tw_ix_nij(N, J, n, i, 0);
            const double *restrict dc = ws->dc + i * J;
            for (size_t j = 0; j < J; j++) o[j] += p[j] * dc[j];
        }
        const double *restrict p = m->pip + tw_ix_nij(N, J, n, n, 0);
        const double *restrict va = m->b->va + n * J;
        for (size_t j = 0; j < J; j++) o[j] += p[j] * va[j] * v[n];
        lu_apply(J, ws->luP + n * J * J, ws->pvP + n * J, o);
    }
}

/* The spending pass's fixed terms from the converged d ln P: d r, the part
 * of d Y that moves with the shares (d g X') and its revenue sum fI. */
static void fwd_shares(fwd_ws *ws, double s, const double *v, const double *dP)
{
    const tw_model *m = ws->m;
    const tw_base *b = m->b;
    size_t N = ws->N, J = ws->J;
    fwd_costs(ws, v, dP);
    memset(ws->fY, 0, ws->nj * sizeof(double));
    memset(ws->dr, 0, ws->nj * sizeof(double));
    memset(ws->fI, 0, N * sizeof(double));
    for (size_t n = 0; n < N; n++)
        for (size_t i = 0; i < N; i++)
            for (size_t j = 0; j < J; j++) {
                double g = m->g[tw_ix_nij(N, J, n, i, j)];
                if (g == 0.0) continue;
                double dg = -b->theta[j] * g * (ws->dc[i * J + j] - dP[n * J + j]);
                double X = m->X[n * J + j];
                ws->fY[i * J + j] += X * dg;
                ws->dr[n * J + j] -= dg;
                ws->fI[n] -= X * dg;
            }
    for (size_t q = 0; s != 0.0 && q < ws->dirs->n_cells; q++) {
        size_t c = ws->dirs->cell[q], j = c % J, i = c / J % N, n = c / J / N;
        double sg = -s * (b->theta[j] + 1.0) * m->g[c] * m->bq[c], X = m->X[n * J + j];
        ws->fY[i * J + j] += X * sg;
        ws->dr[n * J + j] -= sg;
        ws->fI[n] -= X * sg;
    }
}

/* d Y = fY + sum_n g d X'. */
TW_VECTOR static void fwd_sales(fwd_ws *ws, const double *dX)
{
    const tw_model *m = ws->m;
    size_t N = ws->N, J = ws->J;
    memcpy(ws->dY, ws->fY, ws->nj * sizeof(double));
    for (size_t n = 0; n < N; n++) {
        const double *restrict x = dX + n * J;
        for (size_t i = 0; i < N; i++) {
            const double *restrict g = m->g + tw_ix_nij(N, J, n, i, 0);
            double *restrict y = ws->dY + i * J;
            for (size_t j = 0; j < J; j++) y[j] += g[j] * x[j];
        }
    }
}

/* One block-Jacobi pass of the spending derivative: nxt from dX. */
static void fwd_spending_pass(fwd_ws *ws, const double *v, const double *dX)
{
    const tw_model *m = ws->m;
    const tw_base *b = m->b;
    size_t N = ws->N, J = ws->J;
    fwd_sales(ws, dX);
    for (size_t n = 0; n < N; n++) {
        /* sales abroad only: n's purchases from itself are in the own block */
        const double *gn = m->g + tw_ix_nij(N, J, n, n, 0);
        for (size_t k = 0; k < J; k++) ws->tmp[k] = ws->dY[n * J + k] - gn[k] * dX[n * J + k];
        double dI = ws->fI[n] + exp(ws->x[n]) * b->VA[n] * v[n];
        double *o = ws->nxt + n * J;
        for (size_t jin = 0; jin < J; jin++) {
            const double *g = b->io + tw_ix_nkj(J, n, jin, 0);
            double acc = 0;
            for (size_t k = 0; k < J; k++) acc += g[k] * ws->tmp[k];
            o[jin] = acc + b->alpha[n * J + jin] * dI;
        }
        lu_apply(J, ws->luX + n * J * J, ws->pvX + n * J, o);
    }
}

/* Iterate y <- pass(y) from y = 0 to FWD_TOL; spending 0: prices. */
static tw_status fwd_fixed_point(fwd_ws *ws, double s, const double *v, int spending, double *y,
                                 tw_error *err)
{
    memset(y, 0, ws->nj * sizeof(double));
    for (size_t it = 1; it <= FWD_MAX_PASSES; it++) {
        if (spending) fwd_spending_pass(ws, v, y);
        else fwd_price_pass(ws, s, v, y);
        double d = 0, big = 0;
        for (size_t k = 0; k < ws->nj; k++) {
            double dk = fabs(ws->nxt[k] - y[k]), ak = fabs(ws->nxt[k]);
            if (!(dk <= d)) d = dk;
            if (ak > big) big = ak;
        }
        memcpy(y, ws->nxt, ws->nj * sizeof(double));
        if (!isfinite(d))
            return tw_error_set(err, TW_ENOCONV, NULL, 0, 0,
                                "%s derivative produced a non-finite value",
                                spending ? "spending" : "price");
        if (d <= FWD_TOL * big) return TW_OK;
    }
    return tw_error_set(err, TW_ENOCONV, NULL, 0, 0, "%s derivative did not converge in %d passes",
                        spending ? "spending" : "price", FWD_MAX_PASSES);
}

/* d F and d ln W_hat of the direction from its converged d ln P, d X'. */
static void fwd_outputs(fwd_ws *ws, const double *v, fwd_dir *o)
{
    const tw_model *m = ws->m;
    const tw_base *b = m->b;
    size_t N = ws->N, J = ws->J;
    fwd_sales(ws, o->dX);
    double sum = 0, dsum = 0;
    for (size_t n = 0; n < N; n++) {
        double wva = exp(ws->x[n]) * b->VA[n], I1 = wva + m->Dp[n], dI = wva * v[n], z = 0, p = 0;
        for (size_t j = 0; j < J; j++) {
            size_t c = n * J + j;
            z += ws->dY[c] - (1.0 - m->r[c]) * o->dX[c] + m->X[c] * ws->dr[c];
            I1 += m->r[c] * m->X[c];
            dI += m->X[c] * ws->dr[c] + m->r[c] * o->dX[c];
            p += b->alpha[c] * o->dP[c];
        }
        o->dF[n] = z / b->VA[n];
        o->dW[n] = dI / I1 - p;
        sum += wva;
        dsum += wva * v[n];
    }
    o->dF[ws->n0] = dsum / sum;
}

/* The derivatives in direction (s along the tariff direction, v in log
 * wages). */
static tw_status fwd_direction(fwd_ws *ws, double s, const double *v, fwd_dir *o, tw_error *err)
{
    tw_status st = fwd_fixed_point(ws, s, v, 0, o->dP, err);
    if (st) return st;
    fwd_shares(ws, s, v, o->dP);
    st = fwd_fixed_point(ws, s, v, 1, o->dX, err);
    if (!st) fwd_outputs(ws, v, o);
    return st;
}

typedef struct krylov_ws {
    size_t N, kmax;
    double *Q, *Z, *H, *cs, *sn, *gv, *y;
} krylov_ws;

static void krylov_free(krylov_ws *k)
{
    free(k->Q); free(k->Z); free(k->H); free(k->cs); free(k->sn); free(k->gv); free(k->y);
}

static int krylov_init(krylov_ws *k, size_t N)
{
    memset(k, 0, sizeof *k);
    k->N = N;
    k->kmax = N + 1; /* GMRES is exact after N products, up to round-off */
    k->Q = calloc((k->kmax + 1) * N, sizeof(double));
    k->Z = calloc(k->kmax * N, sizeof(double));
    k->H = calloc((k->kmax + 1) * k->kmax, sizeof(double));
    k->cs = calloc(k->kmax, sizeof(double));
    k->sn = calloc(k->kmax, sizeof(double));
    k->gv = calloc(k->kmax + 1, sizeof(double));
    k->y = calloc(k->kmax, sizeof(double));
    return k->Q && k->Z && k->H && k->cs && k->sn && k->gv && k->y ? 0 : -1;
}

static double dot(size_t n, const double *a, const double *b)
{
    double s = 0;
    for (size_t k = 0; k < n; k++) s += a[k] * b[k];
    return s;
}

/* Column j of the Hessenberg matrix: rotate it by the earlier Givens
 * rotations, make and apply the new one; returns the new residual norm. */
static double givens(krylov_ws *k, size_t j)
{
    double *h = k->H + j * (k->kmax + 1);
    for (size_t i = 0; i < j; i++) {
        double a = h[i], b = h[i + 1];
        h[i] = k->cs[i] * a + k->sn[i] * b;
        h[i + 1] = -k->sn[i] * a + k->cs[i] * b;
    }
    double r = hypot(h[j], h[j + 1]);
    k->cs[j] = r > 0 ? h[j] / r : 1.0;
    k->sn[j] = r > 0 ? h[j + 1] / r : 0.0;
    h[j] = r;
    h[j + 1] = 0;
    k->gv[j + 1] = -k->sn[j] * k->gv[j];
    k->gv[j] *= k->cs[j];
    return fabs(k->gv[j + 1]);
}

/* v = sum_i y_i z_i with H y = g over the first n columns. */
static void krylov_solution(krylov_ws *k, size_t n, double *v)
{
    size_t N = k->N, ld = k->kmax + 1;
    for (size_t i = n; i-- > 0;) {
        double s = k->gv[i];
        for (size_t c = i + 1; c < n; c++) s -= k->H[c * ld + i] * k->y[c];
        k->y[i] = s / k->H[i * ld + i];
    }
    memset(v, 0, N * sizeof(double));
    for (size_t i = 0; i < n; i++)
        for (size_t r = 0; r < N; r++) v[r] += k->y[i] * k->Z[i * N + r];
}

/* GMRES for J v = rhs, right-preconditioned by the LU factors M (NULL:
 * none); each product J z is one direction of the implicit derivatives. */
static tw_status krylov(fwd_ws *ws, krylov_ws *k, const double *M, const size_t *pv,
                        const double *rhs, fwd_dir *scratch, double *v, tw_error *err)
{
    size_t N = ws->N, ld = k->kmax + 1, n = 0;
    double beta = sqrt(dot(N, rhs, rhs));
    memset(v, 0, N * sizeof(double));
    if (!(beta > 0)) return TW_OK;
    for (size_t r = 0; r < N; r++) k->Q[r] = rhs[r] / beta;
    k->gv[0] = beta;
    for (size_t j = 0; j < k->kmax; j++) {
        double *z = k->Z + j * N, *w = k->Q + (j + 1) * N, *h = k->H + j * ld;
        memcpy(z, k->Q + j * N, N * sizeof(double));
        if (M) lu_apply(N, M, pv, z);
        tw_status st = fwd_direction(ws, 0.0, z, scratch, err);
        if (st) return st;
        memcpy(w, scratch->dF, N * sizeof(double));
        for (size_t i = 0; i <= j; i++) {
            h[i] = dot(N, k->Q + i * N, w);
            for (size_t r = 0; r < N; r++) w[r] -= h[i] * k->Q[i * N + r];
        }
        double hn = sqrt(dot(N, w, w));
        h[j + 1] = hn;
        if (hn > 0)
            for (size_t r = 0; r < N; r++) w[r] /= hn;
        n = j + 1;
        double res = givens(k, j);
        /* (hn = 0: the Krylov space holds the solution) */
        if (res <= FWD_KRYLOV_TOL * beta || !(hn > 0)) break;
    }
    krylov_solution(k, n, v);
    return TW_OK;
}

/* The preconditioner: LU of the solver's last Jacobian when it was made on
 * this baseline (row-major copy into M); 0 when there is none. */
static int preconditioner(const tw_solver *s, const tw_model *m, double *M, size_t *pv)
{
    size_t N = m->N;
    if (!s->jac_last || s->jac_last_base != m->b) return 0;
    for (size_t r = 0; r < N; r++)
        for (size_t c = 0; c < N; c++) M[r * N + c] = s->jac_last[c * N + r];
    return lu_factor(N, M, pv) == 0;
}

typedef struct fwd_all {
    fwd_ws ws;
    krylov_ws k;
    fwd_dir t, o;
    double *zero, *rhs, *v, *M;
    size_t *pv;
} fwd_all;

static void all_free(fwd_all *a)
{
    ws_free(&a->ws);
    krylov_free(&a->k);
    fwd_dir *d[] = {&a->t, &a->o};
    for (size_t k = 0; k < 2; k++) {
        free(d[k]->dP); free(d[k]->dX); free(d[k]->dF); free(d[k]->dW);
    }
    free(a->zero); free(a->rhs); free(a->v); free(a->M); free(a->pv);
}

static int all_init(fwd_all *a, const tw_model *m, const tw_solver_dirs *d, const double *x)
{
    size_t N = m->N, nj = N * m->J;
    memset(a, 0, sizeof *a);
    int bad = ws_init(&a->ws, m, d, x) | krylov_init(&a->k, N);
    fwd_dir *dd[] = {&a->t, &a->o};
    for (size_t k = 0; k < 2; k++) {
        dd[k]->dP = calloc(nj + 1, sizeof(double));
        dd[k]->dX = calloc(nj + 1, sizeof(double));
        dd[k]->dF = calloc(N + 1, sizeof(double));
        dd[k]->dW = calloc(N + 1, sizeof(double));
        bad |= !dd[k]->dP || !dd[k]->dX || !dd[k]->dF || !dd[k]->dW;
    }
    a->zero = calloc(N + 1, sizeof(double));
    a->rhs = calloc(N + 1, sizeof(double));
    a->v = calloc(N + 1, sizeof(double));
    a->M = calloc(N * N + 1, sizeof(double));
    a->pv = calloc(N + 1, sizeof(size_t));
    return bad || !a->zero || !a->rhs || !a->v || !a->M || !a->pv ? -1 : 0;
}

/* The tariff direction, GMRES for the wage tangent, and the combined
 * direction with its residual check. */
static tw_status tangent(fwd_all *a, const tw_solver *s, tw_error *err)
{
    fwd_ws *ws = &a->ws;
    size_t N = ws->N;
    if (own_blocks(ws, 0) || own_blocks(ws, 1))
        return tw_error_set(err, TW_ENOCONV, NULL, 0, 0, "singular block of the derivative");
    tw_status st = fwd_direction(ws, 1.0, a->zero, &a->t, err);
    if (st) return st;
    double big = 0;
    for (size_t n = 0; n < N; n++) {
        a->rhs[n] = n == ws->n0 ? 0.0 : -a->t.dF[n];
        big = fmax(big, fabs(a->rhs[n]));
    }
    int pre = preconditioner(s, ws->m, a->M, a->pv);
    st = krylov(ws, &a->k, pre ? a->M : NULL, a->pv, a->rhs, &a->o, a->v, err);
    if (!st) st = fwd_direction(ws, 1.0, a->v, &a->o, err);
    if (st) return st;
    double res = 0;
    for (size_t n = 0; n < N; n++) res = fmax(res, fabs(a->o.dF[n]));
    if (!(res <= FWD_CHECK_TOL * big) && big > 0)
        return tw_error_set(err, TW_ENOCONV, NULL, 0, 0,
                            "the wage tangent did not converge (residual %.1e of %.1e)", res, big);
    return TW_OK;
}

tw_status solver_welfare_direction(tw_solver *s, const tw_shock *shock, const tw_result *r,
                                   const double *omega, const tw_solver_dirs *d, double *f,
                                   double *df, tw_solver_tangent *tan, tw_error *err)
{
    tw_model *m = s->deficits == TW_DEFICITS_PURGE ? s->modelp : s->model0;
    if (!m || !r || r->base != m->b)
        return tw_error_set(err, TW_EARG, NULL, 0, 0,
                            "the equilibrium was not found by this solver and deficit rule");
    if (d->n_params != 1)
        return tw_error_set(err, TW_EARG, NULL, 0, 0, "one tariff direction expected, not %zu",
                            d->n_params);
    const tw_base *b = m->b;
    size_t N = m->N, nj = N * m->J;
    double *x = calloc(N + 1, sizeof(double)), *Z = calloc(N + 1, sizeof(double));
    fwd_all a;
    if (all_init(&a, m, d, x) || !x || !Z) {
        all_free(&a);
        free(x);
        free(Z);
        return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory for the derivative");
    }
    model_set_shock(m, shock ? tw_shock_tariffs(shock) : b->tau,
                    shock ? tw_shock_dhat(shock) : NULL, r->Dp);
    /* one evaluation at the equilibrium, from its own prices and spending,
     * puts the state every derivative reads (shares, spending) in place */
    for (size_t k = 0; k < nj; k++) m->lnP[k] = log(r->P_hat[k]);
    memcpy(m->X, r->X, nj * sizeof(double));
    for (size_t n = 0; n < N; n++) x[n] = log(r->w_hat[n]);
    tw_status st = model_eval(m, x, Z, err);
    if (!st) st = tangent(&a, s, err);
    if (!st) {
        double fv = 0, dv = 0;
        for (size_t n = 0; n < N; n++) {
            fv += omega[n] * r->welfare[n];
            dv += omega[n] * r->welfare[n] * a.o.dW[n];
        }
        if (f) *f = fv;
        *df = dv;
        if (tan && tan->dlnw) memcpy(tan->dlnw, a.v, N * sizeof(double));
        if (tan && tan->dlnP) memcpy(tan->dlnP, a.o.dP, nj * sizeof(double));
        if (tan && tan->dX) memcpy(tan->dX, a.o.dX, nj * sizeof(double));
    }
    all_free(&a);
    free(x);
    free(Z);
    return st;
}

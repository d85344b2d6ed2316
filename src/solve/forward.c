/* forward.c - the derivative of welfare along ONE tariff direction at an
 * equilibrium, in forward mode (docs/game.md, "Best response").
 *
 * The implicit function theorem gives the wage tangent v = dx/dt of the
 * Newton system F(x, t) = 0 (src/solve/newton.c) from J v = -dF/dt, and then
 *   dW/dt = dW/dt|_x + dW/dx v.
 * adjoint.c builds the whole N x N implicit Jacobian J for that, carrying N
 * wage directions through the inner linear systems; for a single tariff
 * direction that is N times the work needed.  Here J is never formed.  The
 * whole linearised system (the price and spending derivatives of
 * src/solve/jacobian.c in the combined direction: the tariff and v, and
 * dF = 0) is solved at once ("one shot"): each sweep is one block-Jacobi
 * pass of each inner system and a step v <- v - M^-1 dF with M the solver's
 * last (Broyden) Jacobian, a close model of J at the equilibrium it just
 * found; the sweeps are Anderson-accelerated, as the model's own fixed
 * points are.  On world2011-full that takes about 20 sweeps, about the
 * passes ONE direction of jacobian.c needs.  Without M, or when the sweeps
 * do not converge, the nested scheme: GMRES for J v = -dF/dt whose products
 * J z are single directions of the implicit derivatives (each to FWD_TOL),
 * preconditioned by M when there is one, then one pass in the combined
 * direction.  Either way the result is the derivatives of the combined
 * direction: dW/dt, the tangent of prices and spending (a predictor for the
 * next solve), and a residual J v + dF/dt checked against FWD_CHECK_TOL.
 *
 * The same equations as jacobian.c with one direction (scalars, not runs of
 * D directions), to a tighter tolerance (FWD_TOL): near an optimum dW/dt is
 * the small difference of its two terms.
 *
 * Invariant: as adjoint.c, the model is left with the shock's own tariffs
 * set (or untouched, for a fresh result); nothing a later solve starts from
 * is changed. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "simd.h"
#include "solve_impl.h"
#include "core/index.h"

/* Linear passes and the one shot's sweeps stop when the largest change is
 * at most FWD_TOL times the largest entry; GMRES when its residual is at
 * most FWD_KRYLOV_TOL times |dF/dt|; the residual check accepts
 * FWD_CHECK_TOL of |dF/dt|.  (dW/dt to about 1e-9 relative: the 1-D search
 * stops on steps of 1e-5, and differences of solves were good to 1e-9.) */
#define FWD_TOL 1e-10
#define FWD_MAX_PASSES 2000
#define FWD_KRYLOV_TOL 1e-9
#define FWD_CHECK_TOL 1e-8
#define FWD_MAX_SWEEPS 300
#define FWD_ANDERSON_M 8
#define FWD_STALE_SWEEPS 4

/* The own blocks' inverses of the last derivative, kept by the solver: a
 * block changes little from one equilibrium of a search to the next, and
 * the residual-form passes converge with a nearby state's inverses (a few
 * more sweeps than with the current ones, for no inversion).  They are made
 * again when they are not the model's, when the sweeps with them exceed
 * those with fresh ones by FWD_STALE_SWEEPS, and before a retry. */
struct fwd_cache {
    const tw_model *m;    /* the inverses are of this model's blocks (NULL: none) */
    double *invP, *invX;  /* [n][k][j], as own_blocks makes them */
    size_t fresh_sweeps;  /* the one shot's sweeps with fresh inverses */
    int stale;            /* 1: make them again at the next use */
};

void fwd_cache_free(struct fwd_cache *c)
{
    if (!c) return;
    free(c->invP);
    free(c->invX);
    free(c);
}

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
    double *luP, *luX;    /* inverse of each country's own block, [n][k][j]
                           * (borrowed from the solver's cache) */
    double *blk, *tmp2;   /* J x J and J scratch */
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

/* Invert every country's own block B_n (model_own_entry) into its columns,
 * inv[n][k][j] = (B_n^-1)_jk (the inverse of B_n' row by row), so that
 * applying it is a run of unit-stride multiply-adds; -1 when a block is
 * singular. */
static int own_blocks(fwd_ws *ws, int spending)
{
    size_t J = ws->J;
    double *inv = spending ? ws->luX : ws->luP;
    for (size_t n = 0; n < ws->N; n++) {
        for (size_t j = 0; j < J; j++)
            for (size_t k = 0; k < J; k++)
                ws->blk[k * J + j] = model_own_entry(ws->m, n, j, k, spending);
        if (model_invert_block(J, ws->blk, inv + n * J * J)) return -1;
    }
    return 0;
}

/* x <- B_n^-1 x for country n's J entries (own_blocks' columns). */
TW_VECTOR static void apply_own(fwd_ws *ws, const double *restrict inv, double *x)
{
    size_t J = ws->J;
    double *restrict y = ws->tmp2;
    memset(y, 0, J * sizeof(double));
    for (size_t k = 0; k < J; k++) {
        double xk = x[k];
        if (xk == 0.0) continue;
        const double *restrict c = inv + k * J;
        for (size_t j = 0; j < J; j++) y[j] += c[j] * xk;
    }
    memcpy(x, y, J * sizeof(double));
}

/* The block-Jacobi step of country n from its plain map's value o at y:
 * o <- y + B^-1 (o - y) with B^-1 the own block's inverse (inv).  With the
 * inverse of the current block that is the pass with the own block solved
 * exactly; with one of a nearby state (a cached one) it is still a
 * convergent splitting with the same fixed point. */
static void own_step(fwd_ws *ws, const double *inv, const double *y, double *o)
{
    size_t J = ws->J;
    for (size_t j = 0; j < J; j++) o[j] -= y[j];
    apply_own(ws, inv, o);
    for (size_t j = 0; j < J; j++) o[j] += y[j];
}

static void ws_free(fwd_ws *ws)
{
    free(ws->dc); free(ws->dY); free(ws->fY); free(ws->dr); free(ws->fI); free(ws->nxt);
    free(ws->tmp); free(ws->blk); free(ws->tmp2);
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
    ws->blk = calloc(J * J + 1, sizeof(double));
    ws->tmp2 = calloc(J + 1, sizeof(double));
    if (!ws->fI || !ws->tmp || !ws->blk || !ws->tmp2)
        return -1;
    return 0;
}

/* The cell c (flat [n][i][j]) of a tariff direction as n, i, j. */
static void cell_of(const fwd_ws *ws, size_t c, size_t *n, size_t *i, size_t *j)
{
    model_cell_split(ws->N, ws->J, c, n, i, j);
}

/* d ln c = gamma e.v + Gamma' d ln P (eq. 1 differentiated: eq. 1 in logs is
 * linear, so model_unit_costs takes the directions as it takes the levels). */
static void fwd_costs(fwd_ws *ws, const double *v, const double *restrict dP)
{
    model_unit_costs(ws->m, v, dP, ws->dc);
}

/* One block-Jacobi pass of the price derivative: nxt from dP (own_step). */
TW_VECTOR static void fwd_price_pass(fwd_ws *ws, double s, const double *v,
                                     const double *restrict dP)
{
    const tw_model *m = ws->m;
    size_t N = ws->N, J = ws->J;
    fwd_costs(ws, v, dP);
    double *restrict nxt = ws->nxt;
    memset(nxt, 0, ws->nj * sizeof(double));
    for (size_t q = 0; s != 0.0 && q < ws->dirs->n_cells; q++) {
        size_t c = ws->dirs->cell[q], n, i, j;
        cell_of(ws, c, &n, &i, &j);
        nxt[n * J + j] += s * m->pip[c] * m->bq[c];
    }
    for (size_t n = 0; n < N; n++) {
        double *restrict o = nxt + n * J;
        const double *restrict y = dP + n * J;
        for (size_t i = 0; i < N; i++) {
            const double *restrict p = m->pip + tw_ix_nij(N, J, n, i, 0);
            const double *restrict dc = ws->dc + i * J;
            for (size_t j = 0; j < J; j++) o[j] += p[j] * dc[j];
        }
        own_step(ws, ws->luP + n * J * J, y, o);
    }
}

/* The spending pass's fixed terms from the converged d ln P: d r, the part
 * of d Y that moves with the shares (d g X') and its revenue sum fI. */
TW_VECTOR static void fwd_shares(fwd_ws *ws, double s, const double *v, const double *dP)
{
    const tw_model *m = ws->m;
    const tw_base *b = m->b;
    size_t N = ws->N, J = ws->J;
    fwd_costs(ws, v, dP);
    memset(ws->fY, 0, ws->nj * sizeof(double));
    memset(ws->dr, 0, ws->nj * sizeof(double));
    const double *restrict th = b->theta;
    for (size_t n = 0; n < N; n++) {
        const double *restrict X = m->X + n * J, *restrict p = dP + n * J;
        double *restrict dr = ws->dr + n * J;
        for (size_t i = 0; i < N; i++) {
            const double *restrict g = m->g + tw_ix_nij(N, J, n, i, 0);
            const double *restrict dc = ws->dc + i * J;
            double *restrict fY = ws->fY + i * J;
            for (size_t j = 0; j < J; j++) {
                double dg = -th[j] * g[j] * (dc[j] - p[j]);
                fY[j] += X[j] * dg;
                dr[j] -= dg;
            }
        }
    }
    for (size_t q = 0; s != 0.0 && q < ws->dirs->n_cells; q++) {
        size_t c = ws->dirs->cell[q], n, i, j;
        cell_of(ws, c, &n, &i, &j);
        double sg = -s * (b->theta[j] + 1.0) * m->g[c] * m->bq[c], X = m->X[n * J + j];
        ws->fY[i * J + j] += X * sg;
        ws->dr[n * J + j] -= sg;
    }
    /* the revenue's change at fixed spending, sum_j X' d r */
    for (size_t n = 0; n < N; n++) {
        double f = 0;
        for (size_t j = 0; j < J; j++) f += m->X[n * J + j] * ws->dr[n * J + j];
        ws->fI[n] = f;
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

/* One block-Jacobi pass of the spending derivative: nxt from dX (own_step;
 * the plain map's own part, a country's sales to itself and its own tariff
 * revenue, is what the own block holds). */
static void fwd_spending_pass(fwd_ws *ws, const double *v, const double *dX)
{
    const tw_model *m = ws->m;
    const tw_base *b = m->b;
    size_t N = ws->N, J = ws->J;
    fwd_sales(ws, dX);
    for (size_t n = 0; n < N; n++) {
        const double *y = dX + n * J, *r = m->r + n * J;
        double dI = ws->fI[n] + exp(ws->x[n]) * b->VA[n] * v[n];
        for (size_t k = 0; k < J; k++) dI += r[k] * y[k];
        double *o = ws->nxt + n * J;
        for (size_t jin = 0; jin < J; jin++) {
            const double *g = b->io + tw_ix_nkj(J, n, jin, 0);
            double acc = 0;
            for (size_t k = 0; k < J; k++) acc += g[k] * ws->dY[n * J + k];
            o[jin] = acc + b->alpha[n * J + jin] * dI;
        }
        own_step(ws, ws->luX + n * J * J, y, o);
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
    double *y, *g;        /* one shot: (d ln P, d X', v) and its sweep */
    double *oP, *oX;      /* o's own arrays (a sweep points o into g) */
    tw_anderson acc;
} fwd_all;

static void all_free(fwd_all *a)
{
    ws_free(&a->ws);
    krylov_free(&a->k);
    fwd_dir *d[] = {&a->t, &a->o};
    a->o.dP = a->oP;
    a->o.dX = a->oX;
    for (size_t k = 0; k < 2; k++) {
        free(d[k]->dP); free(d[k]->dX); free(d[k]->dF); free(d[k]->dW);
    }
    free(a->y); free(a->g);
    anderson_free(&a->acc);
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
    a->oP = a->o.dP;
    a->oX = a->o.dX;
    a->y = calloc(2 * nj + N, sizeof(double));
    a->g = calloc(2 * nj + N, sizeof(double));
    bad |= !a->y || !a->g || anderson_init(&a->acc, 2 * nj + N, FWD_ANDERSON_M);
    a->zero = calloc(N + 1, sizeof(double));
    a->rhs = calloc(N + 1, sizeof(double));
    a->v = calloc(N + 1, sizeof(double));
    a->M = calloc(N * N + 1, sizeof(double));
    a->pv = calloc(N + 1, sizeof(size_t));
    return bad || !a->zero || !a->rhs || !a->v || !a->M || !a->pv ? -1 : 0;
}

/* Largest |a - b| relative to the largest |a| over n entries. */
static double change(size_t n, const double *a, const double *b)
{
    double d = 0, big = 0;
    for (size_t k = 0; k < n; k++) {
        double dk = fabs(a[k] - b[k]), ak = fabs(a[k]);
        if (!(dk <= d)) d = dk;
        if (ak > big) big = ak;
    }
    return big > 0 ? d / big : d;
}

/* One sweep of the whole linear system at y = (d ln P, d X', v) into
 * g = (the same after one price pass, one spending pass in the combined
 * direction and v - M^-1 dF); o gets dF and d ln W_hat at g's d ln P, d X'
 * and y's v.  Returns max |dF|. */
static double sweep(fwd_all *a, const double *M, const size_t *pv, const double *y, double *g)
{
    fwd_ws *ws = &a->ws;
    fwd_dir *o = &a->o;
    size_t N = ws->N, nj = ws->nj;
    const double *v = y + 2 * nj;
    fwd_price_pass(ws, 1.0, v, y);
    memcpy(g, ws->nxt, nj * sizeof(double));
    fwd_shares(ws, 1.0, v, g);
    fwd_spending_pass(ws, v, y + nj);
    memcpy(g + nj, ws->nxt, nj * sizeof(double));
    o->dP = g;
    o->dX = g + nj;
    fwd_outputs(ws, v, o);
    double res = 0;
    for (size_t n = 0; n < N; n++) {
        res = fmax(res, fabs(o->dF[n]));
        a->rhs[n] = o->dF[n];
    }
    if (M) lu_apply(N, M, pv, a->rhs);
    for (size_t n = 0; n < N; n++) g[2 * nj + n] = v[n] - a->rhs[n];
    return res;
}

/* The whole linear system at once ("one shot"): the sweeps above, whose
 * fixed point is the tangent (the inner systems hold for the combined
 * direction and dF = 0), Anderson-accelerated as the model's own fixed
 * points are.  The iterations converge together, so the tangent costs about
 * as many passes as ONE direction of the nested scheme.  The sweeps taken
 * when every change is below FWD_TOL and the residual below FWD_CHECK_TOL
 * of its first size (a->o then holds the derivatives, a->v the tangent); 0
 * when it does not converge (the caller falls back to GMRES). */
static size_t one_shot(fwd_all *a, const double *M, const size_t *pv)
{
    fwd_ws *ws = &a->ws;
    size_t N = ws->N, nj = ws->nj, len = 2 * nj + N;
    double *y = a->y, *g = a->g, scale = 0;
    memset(y, 0, len * sizeof(double));
    anderson_reset(&a->acc);
    for (size_t it = 1; it <= FWD_MAX_SWEEPS; it++) {
        double res = sweep(a, M, pv, y, g);
        if (!isfinite(res)) return 0;
        if (it <= 2) scale = fmax(scale, res);
        if (it > 2 && res <= FWD_CHECK_TOL * scale && change(nj, g, y) <= FWD_TOL &&
            change(nj, g + nj, y + nj) <= FWD_TOL && change(N, g + 2 * nj, y + 2 * nj) <= FWD_TOL) {
            memcpy(a->v, y + 2 * nj, N * sizeof(double));
            return it;
        }
        if (res > 1e3 * scale) return 0; /* diverging */
        anderson_step(&a->acc, y, g, y);
    }
    return 0;
}

/* The tariff direction, GMRES for the wage tangent, and the combined
 * direction with its residual check. */
static tw_status nested(fwd_all *a, int pre, tw_error *err)
{
    fwd_ws *ws = &a->ws;
    size_t N = ws->N;
    tw_status st = fwd_direction(ws, 1.0, a->zero, &a->t, err);
    if (st) return st;
    double big = 0;
    for (size_t n = 0; n < N; n++) {
        a->rhs[n] = n == ws->n0 ? 0.0 : -a->t.dF[n];
        big = fmax(big, fabs(a->rhs[n]));
    }
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

/* The tangent: by one shot when the solver's last Jacobian is there to
 * precondition it and it converges, else nested (GMRES). */
/* The block inverses for this derivative: the cache's, made again unless
 * they are the model's and not marked stale (*fresh says which). */
static tw_status blocks(fwd_ws *ws, struct fwd_cache *c, int force, int *fresh, tw_error *err)
{
    size_t NJJ = ws->N * ws->J * ws->J;
    if (!c->invP) c->invP = malloc((NJJ + 1) * sizeof(double));
    if (!c->invX) c->invX = malloc((NJJ + 1) * sizeof(double));
    if (!c->invP || !c->invX)
        return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory for the derivative");
    ws->luP = c->invP;
    ws->luX = c->invX;
    *fresh = force || c->m != ws->m || c->stale;
    if (!*fresh) return TW_OK;
    c->m = NULL;
    if (own_blocks(ws, 0) || own_blocks(ws, 1))
        return tw_error_set(err, TW_ENOCONV, NULL, 0, 0, "singular block of the derivative");
    c->m = ws->m;
    c->stale = 0;
    return TW_OK;
}

/* The tangent: by one shot when the solver's last Jacobian is there to
 * precondition it and it converges (with cached block inverses, and again
 * with fresh ones when that fails), else nested (GMRES). */
static tw_status tangent(fwd_all *a, tw_solver *s, tw_error *err)
{
    fwd_ws *ws = &a->ws;
    if (!s->fwd && !(s->fwd = calloc(1, sizeof *s->fwd)))
        return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory for the derivative");
    struct fwd_cache *c = s->fwd;
    int pre = preconditioner(s, ws->m, a->M, a->pv), fresh;
    tw_status st = blocks(ws, c, 0, &fresh, err);
    if (st) return st;
    size_t sweeps = pre ? one_shot(a, a->M, a->pv) : 0;
    if (pre && !sweeps && !fresh) {
        st = blocks(ws, c, 1, &fresh, err);
        if (st) return st;
        sweeps = one_shot(a, a->M, a->pv);
    }
    if (sweeps && fresh) c->fresh_sweeps = sweeps;
    if (sweeps && !fresh && sweeps > c->fresh_sweeps + FWD_STALE_SWEEPS) c->stale = 1;
    if (sweeps) return TW_OK;
    /* (a sweep pointed o's arrays into the one shot's) */
    a->o.dP = a->oP;
    a->o.dX = a->oX;
    if (!fresh) {
        st = blocks(ws, c, 1, &fresh, err);
        if (st) return st;
    }
    return nested(a, pre, err);
}

tw_status solver_welfare_direction(tw_solver *s, const tw_shock *shock, const tw_result *r,
                                   int fresh, const double *omega, const tw_solver_dirs *d,
                                   double *f, double *df, tw_solver_tangent *tan, tw_error *err)
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
    for (size_t n = 0; n < N; n++) x[n] = log(r->w_hat[n]);
    tw_status st = TW_OK;
    if (!fresh) {
        /* one evaluation at the equilibrium, from its own prices and
         * spending, puts the state every derivative reads (shares,
         * spending) in place; a fresh solve left it there */
        model_set_shock(m, shock ? tw_shock_tariffs(shock) : b->tau,
                        shock ? tw_shock_dhat(shock) : NULL, r->Dp);
        for (size_t k = 0; k < nj; k++) m->lnP[k] = log(r->P_hat[k]);
        memcpy(m->X, r->X, nj * sizeof(double));
        st = model_eval(m, x, Z, err);
    }
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

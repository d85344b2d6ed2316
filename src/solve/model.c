/* model.c - the equilibrium conditions for given wages (docs/model.md).
 *
 * model_eval() takes log wage changes and returns the trade-balance residuals
 * (eq. 5) after solving, to the inner tolerance:
 *   - the price system (eqs. 1-2) as a fixed point in log prices; it is a
 *     contraction because input shares sum below one in every sector with a
 *     positive value-added share;
 *   - the spending system (eqs. 3-4), linear in X'.  Tariff revenue feeds back
 *     into each country's own final demand; that feedback is solved exactly per
 *     country, so the iteration runs only over the input-output loop.
 * Both iterations are accelerated (Anderson, window 5): it roughly halves
 * the inner iterations; the fixed points, and the stopping rule on the plain
 * map's step, are unchanged.
 * Cells with no trade stay at zero, a country-sector with no spending keeps
 * P_hat = 1, so no NaN arises from empty cells. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "simd.h"
#include "core/index.h"

#define TW_INNER_TOL 1e-14
#define TW_INNER_MAX 20000
#define TW_ANDERSON_M 5

static double *dalloc(size_t n) { return calloc(n ? n : 1, sizeof(double)); }

tw_model *model_create(const tw_base *b, tw_error *err)
{
    tw_model *m = calloc(1, sizeof *m);
    if (!m) goto fail;
    size_t N = b->N, J = b->J, nij = N * N * J, nj = N * J;
    m->b = b;
    m->N = N;
    m->J = J;
    m->a = dalloc(nij); m->bq = dalloc(nij); m->pip = dalloc(nij); m->g = dalloc(nij);
    m->Dp = dalloc(N);
    m->lnP = dalloc(nj); m->lnc = dalloc(nj); m->e = dalloc(nj); m->S = dalloc(nj);
    m->r = dalloc(nj); m->X = dalloc(nj); m->Y = dalloc(nj); m->Q = dalloc(nj);
    m->tmp = dalloc(nj); m->lnP_save = dalloc(nj); m->X_save = dalloc(nj);
    if (!m->a || !m->bq || !m->pip || !m->g || !m->Dp || !m->lnP || !m->lnc || !m->e ||
        !m->S || !m->r || !m->X || !m->Y || !m->Q || !m->tmp || !m->lnP_save || !m->X_save)
        goto fail;
    if (anderson_init(&m->accP, nj, TW_ANDERSON_M) || anderson_init(&m->accX, nj, TW_ANDERSON_M))
        goto fail;
    m->accelerate = 1;
    m->tol_inner = TW_INNER_TOL;
    m->max_inner = TW_INNER_MAX;
    return m;
fail:
    model_free(m);
    tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory for the solver workspace");
    return NULL;
}

void model_free(tw_model *m)
{
    if (!m) return;
    free(m->a); free(m->bq); free(m->pip); free(m->g); free(m->Dp); free(m->lnP);
    free(m->lnc); free(m->e); free(m->S); free(m->r); free(m->X); free(m->Y);
    free(m->Q); free(m->tmp); free(m->lnP_save); free(m->X_save);
    anderson_free(&m->accP);
    anderson_free(&m->accX);
    free(m);
}

void model_reset(tw_model *m)
{
    memset(m->lnP, 0, m->N * m->J * sizeof(double));
    memcpy(m->X, m->b->X, m->N * m->J * sizeof(double));
}

void model_set_cell(tw_model *m, size_t c, double tau1, double dhat)
{
    const tw_base *b = m->b;
    double kappa = (1.0 + tau1) / (1.0 + b->tau[c]) * dhat;
    /* most cells keep their tariff: skip the pow there */
    m->a[c] = !(b->pi[c] > 0) ? 0.0 : kappa == 1.0 ? b->pi[c]
                                     : b->pi[c] * pow(kappa, -b->theta[c % m->J]);
    m->bq[c] = 1.0 / (1.0 + tau1);
}

void model_set_shock(tw_model *m, const double *tau1, const double *dhat, const double *Dp)
{
    size_t N = m->N, nij = N * N * m->J;
    m->tau1 = tau1;
    for (size_t c = 0; c < nij; c++) model_set_cell(m, c, tau1[c], dhat ? dhat[c] : 1.0);
    memcpy(m->Dp, Dp, N * sizeof(double));
    model_reset(m);
}

void model_save(tw_model *m)
{
    memcpy(m->lnP_save, m->lnP, m->N * m->J * sizeof(double));
    memcpy(m->X_save, m->X, m->N * m->J * sizeof(double));
}

void model_restore(tw_model *m)
{
    memcpy(m->lnP, m->lnP_save, m->N * m->J * sizeof(double));
    memcpy(m->X, m->X_save, m->N * m->J * sizeof(double));
}

/* Eq. 1 in logs: ln c = gamma ln w + sum_k gamma^{k,j} ln P^k. */
TW_VECTOR void model_unit_costs(const tw_model *m, const double *lnw, const double *restrict lnP,
                                double *restrict lnc)
{
    const tw_base *b = m->b;
    size_t N = m->N, J = m->J;
    for (size_t n = 0; n < N; n++) {
        double *restrict c = lnc + n * J;
        const double *restrict va = b->va + n * J;
        for (size_t j = 0; j < J; j++) c[j] = va[j] * lnw[n];
        for (size_t k = 0; k < J; k++) {
            double p = lnP[tw_ix_nj(J, n, k)];
            if (p == 0.0) continue;
            const double *restrict g = b->io + tw_ix_nkj(J, n, k, 0);
            for (size_t j = 0; j < J; j++) c[j] += g[j] * p;
        }
    }
}

/* Eq. 2: S = sum_i a e_i, ln P = -ln S / theta; P_hat = 1 where nothing is bought. */
TW_VECTOR static void price_map(tw_model *m, const double *restrict lnc,
                                double *restrict lnP_new)
{
    const tw_base *b = m->b;
    size_t N = m->N, J = m->J;
    for (size_t i = 0; i < N; i++)
        for (size_t j = 0; j < J; j++)
            m->e[tw_ix_nj(J, i, j)] = exp(-b->theta[j] * lnc[tw_ix_nj(J, i, j)]);
    for (size_t n = 0; n < N; n++) {
        double *restrict S = m->S + n * J;
        memset(S, 0, J * sizeof(double));
        for (size_t i = 0; i < N; i++) {
            const double *restrict a = m->a + tw_ix_nij(N, J, n, i, 0);
            const double *restrict e = m->e + i * J;
            for (size_t j = 0; j < J; j++) S[j] += a[j] * e[j];
        }
        for (size_t j = 0; j < J; j++)
            lnP_new[n * J + j] = S[j] > 0 ? -log(S[j]) / b->theta[j] : 0.0;
    }
}

/* The two inner fixed points: step(m, lnw) puts the map's value at x into
 * m->tmp and x moves there, Anderson-accelerated while the largest change d is
 * above the tolerance.  d is absolute when tiny is 0, else relative to
 * max(|new value|, tiny); a NaN change propagates as failure. */
typedef void (*inner_step)(tw_model *m, const double *lnw);

static tw_status fixed_point(tw_model *m, const double *lnw, inner_step step, double *x,
                             tw_anderson *acc, size_t *count, double tiny, const char *system,
                             tw_error *err)
{
    size_t nj = m->N * m->J;
    anderson_reset(acc);
    for (size_t it = 1; it <= m->max_inner; it++) {
        step(m, lnw);
        double d = 0;
        for (size_t k = 0; k < nj; k++) {
            double dk = fabs(m->tmp[k] - x[k]);
            if (tiny > 0) dk /= fmax(fabs(m->tmp[k]), tiny);
            if (!(dk <= d)) d = dk;
        }
        if (m->accelerate && d > m->tol_inner && isfinite(d))
            anderson_step(acc, x, m->tmp, x);
        else
            memcpy(x, m->tmp, nj * sizeof(double));
        (*count)++;
        if (!isfinite(d))
            return tw_error_set(err, TW_ENOCONV, NULL, 0, 0,
                                "%s system produced a non-finite value", system);
        if (d <= m->tol_inner) return TW_OK;
    }
    return tw_error_set(err, TW_ENOCONV, NULL, 0, 0,
                        "%s system did not converge in %zu iterations", system, m->max_inner);
}

static void price_step(tw_model *m, const double *lnw)
{
    model_unit_costs(m, lnw, m->lnP, m->lnc);
    price_map(m, m->lnc, m->tmp);
}

static tw_status solve_prices(tw_model *m, const double *lnw, tw_error *err)
{
    tw_status st = fixed_point(m, lnw, price_step, m->lnP, &m->accP, &m->inner_P, 0, "price", err);
    if (st == TW_OK) price_step(m, lnw); /* refresh e and S at the fixed point */
    return st;
}

/* Eq. 3 and the coefficients of eq. 4 at the current prices. */
TW_VECTOR static void shares(tw_model *m)
{
    size_t N = m->N, J = m->J;
    for (size_t n = 0; n < N; n++) {
        const double *restrict S = m->S + n * J;
        double *restrict r = m->r + n * J;
        for (size_t j = 0; j < J; j++) r[j] = 1.0;
        for (size_t i = 0; i < N; i++) {
            size_t c0 = tw_ix_nij(N, J, n, i, 0);
            const double *restrict e = m->e + i * J, *restrict a = m->a + c0;
            const double *restrict bq = m->bq + c0;
            double *restrict pip = m->pip + c0, *restrict g = m->g + c0;
            for (size_t j = 0; j < J; j++) {
                double p = S[j] > 0 ? a[j] * e[j] / S[j] : 0.0;
                pip[j] = p;
                g[j] = p * bq[j];
                r[j] -= g[j];
            }
        }
        /* r = sum_i pi' tau'/(1+tau'); where nothing is bought it is 0, not 1 */
        for (size_t j = 0; j < J; j++)
            if (!(S[j] > 0)) r[j] = 0.0;
    }
}

/* Y'[i][k] = sum_n g[n][i][k] X'[n][k] (sales before tariffs). */
TW_VECTOR static void sales(const tw_model *m, const double *restrict X, double *restrict Y)
{
    size_t N = m->N, J = m->J;
    memset(Y, 0, N * J * sizeof(double));
    for (size_t n = 0; n < N; n++) {
        const double *restrict x = X + n * J;
        for (size_t i = 0; i < N; i++) {
            const double *restrict g = m->g + tw_ix_nij(N, J, n, i, 0);
            double *restrict y = Y + i * J;
            for (size_t k = 0; k < J; k++) y[k] += g[k] * x[k];
        }
    }
}

/* One sweep of eq. 4: X = Q + alpha s_n with s_n solved exactly for the
 * country's own tariff revenue. */
TW_VECTOR static void spending_map(tw_model *m, const double *lnw, const double *X, double *Xn)
{
    const tw_base *b = m->b;
    size_t N = m->N, J = m->J;
    sales(m, X, m->Y);
    for (size_t n = 0; n < N; n++) {
        double *q = m->Q + n * J;
        memset(q, 0, J * sizeof(double));
        const double *y = m->Y + n * J;
        for (size_t jin = 0; jin < J; jin++) {
            const double *g = b->io + tw_ix_nkj(J, n, jin, 0);
            double acc = 0;
            for (size_t k = 0; k < J; k++) acc += g[k] * y[k];
            q[jin] = acc;
        }
        const double *r = m->r + n * J, *al = b->alpha + n * J;
        double rq = 0, ra = 0;
        for (size_t j = 0; j < J; j++) {
            rq += r[j] * q[j];
            ra += r[j] * al[j];
        }
        double s = (exp(lnw[n]) * b->VA[n] + m->Dp[n] + rq) / (1.0 - ra);
        for (size_t j = 0; j < J; j++) Xn[n * J + j] = q[j] + al[j] * s;
    }
}

static void spending_step(tw_model *m, const double *lnw)
{
    spending_map(m, lnw, m->X, m->tmp);
}

static tw_status solve_spending(tw_model *m, const double *lnw, tw_error *err)
{
    size_t nj = m->N * m->J;
    double scale = 0;
    for (size_t k = 0; k < nj; k++) scale = fmax(scale, fabs(m->b->X[k]));
    tw_status st = fixed_point(m, lnw, spending_step, m->X, &m->accX, &m->inner_X,
                               1e-300 + 1e-15 * scale, "spending", err);
    if (st == TW_OK) sales(m, m->X, m->Y);
    return st;
}

tw_status model_eval(tw_model *m, const double *lnw, double *Z, tw_error *err)
{
    const tw_base *b = m->b;
    size_t N = m->N, J = m->J;
    m->n_eval++;
    tw_status st = solve_prices(m, lnw, err);
    if (st) return st;
    shares(m);
    st = solve_spending(m, lnw, err);
    if (st) return st;
    /* eq. 5: purchases before tariffs - D' = sales */
    for (size_t n = 0; n < N; n++) {
        double buy = 0, sell = 0;
        for (size_t j = 0; j < J; j++) {
            buy += m->X[n * J + j] * (1.0 - m->r[n * J + j]);
            sell += m->Y[n * J + j];
        }
        Z[n] = (sell - buy + m->Dp[n]) / b->VA[n];
        if (!isfinite(Z[n]))
            return tw_error_set(err, TW_ENOCONV, NULL, 0, 0,
                                "trade balance of country %zu is not finite", n);
    }
    return TW_OK;
}

/* anderson.c - Anderson acceleration (type II) for the inner fixed points.
 *
 * The next iterate is G(x_k) - dG gamma, where gamma minimises
 * |f_k - dF gamma| over the last m differences of residuals f = G(x) - x.
 * The least-squares problem is solved by a small QR (see anderson_step).  When the residual
 * grows by more than a factor of two the history is dropped, so the method
 * falls back to the plain iteration, which is a contraction here. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "anderson.h"

int anderson_init(tw_anderson *a, size_t n, size_t m)
{
    memset(a, 0, sizeof *a);
    if (m > 16) m = 16;
    a->n = n;
    a->m = m;
    size_t big = n > m ? n : m;
    a->dF = malloc(n * m * sizeof(double));
    a->dG = malloc(n * m * sizeof(double));
    a->f_prev = malloc(n * sizeof(double));
    a->g_prev = malloc(n * sizeof(double));
    a->A = malloc(n * m * sizeof(double));
    a->b = malloc(big * sizeof(double));
    if (!a->dF || !a->dG || !a->f_prev || !a->g_prev || !a->A || !a->b) {
        anderson_free(a);
        return -1;
    }
    return 0;
}

void anderson_free(tw_anderson *a)
{
    free(a->dF); free(a->dG); free(a->f_prev); free(a->g_prev); free(a->A); free(a->b);
    memset(a, 0, sizeof *a);
}

void anderson_reset(tw_anderson *a)
{
    a->k = 0;
    a->head = 0;
    a->have_prev = 0;
}

/* Take in the new pair (x, g = G(x)): push the differences of residuals and
 * of G into the history (dropped first when the residual grew more than
 * twofold) and keep f = g - x and g for the next step. */
static void record(tw_anderson *a, const double *x, const double *g)
{
    size_t n = a->n;
    double fnorm = 0;
    for (size_t i = 0; i < n; i++) {
        double f = g[i] - x[i];
        fnorm += f * f;
    }
    fnorm = sqrt(fnorm);
    if (a->have_prev && fnorm > 2.0 * a->fnorm_prev) a->k = 0; /* restart */
    if (a->have_prev && a->m > 0) {
        double *df = a->dF + a->head * n, *dg = a->dG + a->head * n;
        for (size_t i = 0; i < n; i++) {
            df[i] = (g[i] - x[i]) - a->f_prev[i];
            dg[i] = g[i] - a->g_prev[i];
        }
        a->head = (a->head + 1) % a->m;
        if (a->k < a->m) a->k++;
    }
    for (size_t i = 0; i < n; i++) {
        a->f_prev[i] = g[i] - x[i];
        a->g_prev[i] = g[i];
    }
    a->have_prev = 1;
    a->fnorm_prev = fnorm;
}

/* Modified Gram-Schmidt on the k most recent columns of dF, into a->A (Q)
 * and R; a column that is (nearly) a combination of earlier ones is dropped,
 * so collinear differences near convergence are cut, not inverted.  cols[]
 * gets the history slots kept; returns how many. */
static size_t orthonormalise(tw_anderson *a, size_t cols[16], double R[16][16])
{
    size_t n = a->n, kk = 0;
    for (size_t c = 0; c < a->k; c++) {
        size_t slot = (a->head + a->m - 1 - c) % a->m;
        double *q = a->A + kk * n;
        memcpy(q, a->dF + slot * n, n * sizeof(double));
        double norm0 = 0;
        for (size_t i = 0; i < n; i++) norm0 += q[i] * q[i];
        norm0 = sqrt(norm0);
        for (size_t p = 0; p < kk; p++) {
            const double *qp = a->A + p * n;
            double r = 0;
            for (size_t i = 0; i < n; i++) r += qp[i] * q[i];
            R[p][kk] = r;
            for (size_t i = 0; i < n; i++) q[i] -= r * qp[i];
        }
        double nr = 0;
        for (size_t i = 0; i < n; i++) nr += q[i] * q[i];
        nr = sqrt(nr);
        if (!(nr > 1e-10 * norm0) || !(nr > 0)) continue;
        for (size_t i = 0; i < n; i++) q[i] /= nr;
        R[kk][kk] = nr;
        cols[kk++] = slot;
    }
    return kk;
}

/* gam = R^-1 Q' f_prev (back substitution); 0 when a coefficient is not finite. */
static int solve_gamma(const tw_anderson *a, size_t kk, double R[16][16], double gam[16])
{
    size_t n = a->n;
    for (size_t p = 0; p < kk; p++) {
        const double *qp = a->A + p * n;
        double r = 0;
        for (size_t i = 0; i < n; i++) r += qp[i] * a->f_prev[i];
        gam[p] = r;
    }
    for (size_t p = kk; p-- > 0;) {
        for (size_t c = p + 1; c < kk; c++) gam[p] -= R[p][c] * gam[c];
        gam[p] /= R[p][p];
    }
    int ok = 1;
    for (size_t c = 0; ok && c < kk; c++) ok = isfinite(gam[c]);
    return ok;
}

void anderson_step(tw_anderson *a, const double *x, const double *g, double *x_next)
{
    size_t n = a->n;
    record(a, x, g);
    if (a->k == 0 || a->m == 0) { /* no history (k > 0 only when m > 0) */
        if (x_next != g) memcpy(x_next, g, n * sizeof(double));
        return;
    }
    /* Least squares by a small QR (done here rather than in LAPACK: k <= 16
     * columns, called every inner step). */
    size_t cols[16];
    double R[16][16], gam[16];
    size_t kk = orthonormalise(a, cols, R);
    if (!solve_gamma(a, kk, R, gam) || kk == 0) {
        a->k = 0;
        if (x_next != g) memcpy(x_next, g, n * sizeof(double));
        return;
    }
    for (size_t i = 0; i < n; i++) {
        double v = g[i];
        for (size_t c = 0; c < kk; c++) v -= a->dG[cols[c] * n + i] * gam[c];
        x_next[i] = v;
    }
}

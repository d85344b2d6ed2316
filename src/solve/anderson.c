/* anderson.c - Anderson acceleration (type II) for the inner fixed points.
 *
 * The next iterate is G(x_k) - dG gamma, where gamma minimises
 * |f_k - dF gamma| over the last m differences of residuals f = G(x) - x.
 * The least-squares problem is solved with dF = Q R, a thin QR that follows
 * the window instead of being recomputed at every step: the newest column is
 * appended by modified Gram-Schmidt (a second pass when the first cancels
 * more than half of it, "twice is enough"), the oldest is deleted by Givens
 * rotations (Golub and Van Loan, sec. 6.5).  A column that is (nearly) a
 * combination of the others is not inverted: the oldest columns go until the
 * newest is independent of the rest, so near convergence the window shrinks.
 * When the residual grows by more than a factor of two the history is
 * dropped, so the method falls back to the plain iteration, which is a
 * contraction here. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "anderson.h"
#include "simd.h"

/* a column is kept when Gram-Schmidt leaves more than this share of its norm */
#define TW_ANDERSON_DROP 1e-10

int anderson_init(tw_anderson *a, size_t n, size_t m)
{
    memset(a, 0, sizeof *a);
    if (m > TW_ANDERSON_MAX_M) m = TW_ANDERSON_MAX_M;
    a->n = n;
    a->m = m;
    size_t nm = n * m > 0 ? n * m : 1, n1 = n > 0 ? n : 1;
    a->dG = malloc(nm * sizeof(double));
    a->Q = malloc(nm * sizeof(double));
    a->v = malloc(n1 * sizeof(double));
    a->f_prev = malloc(n1 * sizeof(double));
    a->g_prev = malloc(n1 * sizeof(double));
    if (!a->dG || !a->Q || !a->v || !a->f_prev || !a->g_prev) {
        anderson_free(a);
        return -1;
    }
    return 0;
}

void anderson_free(tw_anderson *a)
{
    free(a->dG); free(a->Q); free(a->v); free(a->f_prev); free(a->g_prev);
    memset(a, 0, sizeof *a);
}

void anderson_reset(tw_anderson *a)
{
    a->k = 0;
    a->head = 0;
    a->have_prev = 0;
}

/* x . y in eight partial sums (element i goes to sum i % 8), added pairwise at
 * the end.  A plain loop waits on each addition before the next; these
 * chains run side by side (two AVX2 vectors), and the order of the additions
 * is fixed by the code, so both builds of TW_VECTOR give the same bits. */
TW_VECTOR static double dot(size_t n, const double *restrict x, const double *restrict y)
{
    double s[8] = {0};
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (size_t k = 0; k < 8; k++) s[k] += x[i + k] * y[i + k];
    for (size_t k = 0; i < n; i++, k++) s[k] += x[i] * y[i];
    return ((s[0] + s[4]) + (s[1] + s[5])) + ((s[2] + s[6]) + (s[3] + s[7]));
}

/* y -= a x */
TW_VECTOR static void axmy(size_t n, double a, const double *restrict x, double *restrict y)
{
    for (size_t i = 0; i < n; i++) y[i] -= a * x[i];
}

/* (x, y) <- (c x + s y, c y - s x) */
TW_VECTOR static void rotate(size_t n, double c, double s, double *restrict x, double *restrict y)
{
    for (size_t i = 0; i < n; i++) {
        double u = x[i], w = y[i];
        x[i] = c * u + s * w;
        y[i] = c * w - s * u;
    }
}

/* Delete the oldest column: R without its first column is upper Hessenberg;
 * a Givens rotation of rows (c, c + 1) zeroes each subdiagonal entry, and the
 * same rotation of Q's columns c and c + 1 keeps dF = Q R. */
static void delete_oldest(tw_anderson *a)
{
    size_t n = a->n, k = a->k;
    double (*R)[TW_ANDERSON_MAX_M] = a->R;
    for (size_t c = 0; c + 1 < k; c++)
        for (size_t r = 0; r <= c + 1; r++) R[r][c] = R[r][c + 1];
    for (size_t c = 0; c + 1 < k; c++) {
        double x = R[c][c], y = R[c + 1][c], h = hypot(x, y);
        double cs = h > 0 ? x / h : 1.0, sn = h > 0 ? y / h : 0.0;
        R[c][c] = h;
        R[c + 1][c] = 0.0;
        for (size_t j = c + 1; j + 1 < k; j++) {
            double u = R[c][j], w = R[c + 1][j];
            R[c][j] = cs * u + sn * w;
            R[c + 1][j] = cs * w - sn * u;
        }
        rotate(n, cs, sn, a->Q + c * n, a->Q + (c + 1) * n);
    }
    a->k = k - 1;
}

/* Append a->v as the newest column: 1; 0 when Gram-Schmidt against the k
 * columns kept leaves (nearly) nothing of it; -1 when it is zero or not
 * finite (the window is then unchanged). */
static int append(tw_anderson *a)
{
    size_t n = a->n, k = a->k;
    double *q = a->Q + k * n, r[TW_ANDERSON_MAX_M] = {0};
    memcpy(q, a->v, n * sizeof(double));
    double norm0 = sqrt(dot(n, q, q)), nr = norm0;
    if (!(norm0 > 0) || !isfinite(norm0)) return -1;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t p = 0; p < k; p++) {
            const double *qp = a->Q + p * n;
            double rp = dot(n, qp, q);
            r[p] += rp;
            axmy(n, rp, qp, q);
        }
        double before = nr;
        nr = sqrt(dot(n, q, q));
        if (!(nr <= 0.5 * before)) break; /* little cancelled: once is enough */
    }
    if (!(nr > TW_ANDERSON_DROP * norm0)) return 0;
    for (size_t i = 0; i < n; i++) q[i] /= nr;
    for (size_t p = 0; p < k; p++) a->R[p][k] = r[p];
    a->R[k][k] = nr;
    a->k = k + 1;
    return 1;
}

/* Take in the new pair (x, g = G(x)): append the differences of residuals
 * and of G to the window (emptied first when the residual grew more than
 * twofold; its oldest column deleted when it is full or when the newest
 * depends on it) and keep f = g - x and g for the next step. */
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
        if (a->k == a->m) delete_oldest(a);
        double *dg = a->dG + a->head * n;
        for (size_t i = 0; i < n; i++) {
            a->v[i] = (g[i] - x[i]) - a->f_prev[i];
            dg[i] = g[i] - a->g_prev[i];
        }
        int added; /* a zero difference leaves the window as it is */
        while ((added = append(a)) == 0 && a->k > 0) delete_oldest(a);
        if (added == 1) a->head = (a->head + 1) % a->m;
    }
    for (size_t i = 0; i < n; i++) {
        a->f_prev[i] = g[i] - x[i];
        a->g_prev[i] = g[i];
    }
    a->have_prev = 1;
    a->fnorm_prev = fnorm;
}

void anderson_step(tw_anderson *a, const double *x, const double *g, double *x_next)
{
    size_t n = a->n, k;
    record(a, x, g);
    k = a->k;
    /* gamma = R^-1 Q' f (back substitution) */
    double gam[TW_ANDERSON_MAX_M];
    int ok = k > 0;
    for (size_t p = 0; p < k; p++) gam[p] = dot(n, a->Q + p * n, a->f_prev);
    for (size_t p = k; p-- > 0;) {
        for (size_t c = p + 1; c < k; c++) gam[p] -= a->R[p][c] * gam[c];
        gam[p] /= a->R[p][p];
        ok = ok && isfinite(gam[p]);
    }
    if (x_next != g) memcpy(x_next, g, n * sizeof(double));
    if (!ok) { /* no history, or a coefficient that is not finite */
        a->k = 0;
        return;
    }
    for (size_t c = 0; c < k; c++)
        axmy(n, gam[c], a->dG + ((a->head + a->m - k + c) % a->m) * n, x_next);
}

/* lu.c - Gaussian elimination with partial pivoting (column-major).
 *
 * The Newton systems are N x N with N the number of countries (tens), solved
 * a few times per equilibrium.  A threaded BLAS brings nothing at this size
 * and, as measured, its idle threads spin on sched_yield and take the other
 * core; this loop is as fast for N <= 200 and keeps solves single-threaded. */
#include <math.h>

#include "lu.h"

int tw_lu_solve(size_t n, double *A, double *b, size_t *piv)
{
    double scale = 0;
    for (size_t k = 0; k < n * n; k++) {
        if (!isfinite(A[k])) return -1;
        scale = fmax(scale, fabs(A[k]));
    }
    if (!(scale > 0)) return -1;
    for (size_t k = 0; k < n; k++) {
        size_t p = k;
        double best = fabs(A[k * n + k]);
        for (size_t r = k + 1; r < n; r++)
            if (fabs(A[k * n + r]) > best) {
                best = fabs(A[k * n + r]);
                p = r;
            }
        if (!(best > 1e-14 * scale)) return -1;
        piv[k] = p;
        if (p != k) {
            for (size_t c = 0; c < n; c++) {
                double t = A[c * n + k];
                A[c * n + k] = A[c * n + p];
                A[c * n + p] = t;
            }
            double t = b[k];
            b[k] = b[p];
            b[p] = t;
        }
        double d = A[k * n + k];
        for (size_t r = k + 1; r < n; r++) {
            double l = A[k * n + r] / d;
            A[k * n + r] = l;
            if (l == 0.0) continue;
            for (size_t c = k + 1; c < n; c++) A[c * n + r] -= l * A[c * n + k];
            b[r] -= l * b[k];
        }
    }
    for (size_t k = n; k-- > 0;) {
        double s = b[k];
        for (size_t c = k + 1; c < n; c++) s -= A[c * n + k] * b[c];
        b[k] = s / A[k * n + k];
        if (!isfinite(b[k])) return -1;
    }
    return 0;
}

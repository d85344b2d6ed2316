/* tatonnement.c - the published damped wage adjustment (Caliendo-Parro's
 * reference method), kept as a second method and as the baseline for the
 * benchmark: w_hat <- w_hat (1 + step Z), then renormalised so that world value
 * added is unchanged.  It is slow and, with a large step, unstable; it reports
 * non-convergence rather than returning a number. */
#include <math.h>
#include <stdlib.h>

#include "solve_impl.h"

tw_status outer_tatonnement(tw_model *m, double *x, double tol, size_t max_iter,
                            double step, tw_outer_stats *stats, tw_error *err)
{
    size_t N = m->N;
    const tw_base *b = m->b;
    double *Z = calloc(N, sizeof(double));
    if (!Z) return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    double sumVA = 0;
    for (size_t n = 0; n < N; n++) sumVA += b->VA[n];
    tw_status st = TW_OK;
    double zmax = INFINITY;
    size_t it;
    for (it = 0;; it++) {
        st = model_eval(m, x, Z, err);
        if (st) break;
        zmax = 0;
        for (size_t n = 0; n < N; n++) zmax = fmax(zmax, fabs(Z[n]));
        if (zmax <= tol) break;
        if (it >= max_iter) {
            st = tw_error_set(err, TW_ENOCONV, NULL, 0, 0,
                              "no convergence after %zu iterations (max residual %.1e > tol %.0e)",
                              it, zmax, tol);
            break;
        }
        double s = 0;
        for (size_t n = 0; n < N; n++) {
            double f = 1.0 + step * Z[n];
            x[n] += log(f > 0.1 ? f : 0.1);
            s += exp(x[n]) * b->VA[n];
        }
        double shift = log(s / sumVA);
        for (size_t n = 0; n < N; n++) x[n] -= shift;
    }
    stats->iterations = it;
    stats->residual = zmax;
    stats->worst = 0;
    for (size_t n = 0; n < N; n++)
        if (fabs(Z[n]) > fabs(Z[stats->worst])) stats->worst = n;
    free(Z);
    return st;
}

/* base.c - allocation and derived levels of a baseline (docs/model.md).
 *
 * tw_base_finish() is the single place where spending, shares, output, value
 * added, tariff revenue, deficits and income are computed from the flows, so the
 * loader and the deficit purge cannot disagree on a definition. */
#include <stdlib.h>
#include <string.h>

#include "base.h"
#include "core/index.h"

/* A zeroed array of n elements (one when n is 0, so that an empty world still
 * has arrays); *failed is set when it cannot be had. */
static void *zeros(size_t n, size_t size, int *failed)
{
    void *p = calloc(n ? n : 1, size);
    if (!p) *failed = 1;
    return p;
}

tw_base *tw_base_alloc(size_t N, size_t J, tw_error *err)
{
    tw_base *b = calloc(1, sizeof *b);
    if (!b) goto fail;
    atomic_init(&b->refs, 1);
    b->N = N;
    b->J = J;
    size_t nij = N * N * J, nj = N * J, nkj = N * J * J;
    int failed = 0;
    b->theta = zeros(J, sizeof *b->theta, &failed);
    b->tradable = zeros(J, sizeof *b->tradable, &failed);
    b->trade = zeros(nij, sizeof(double), &failed);
    b->tau = zeros(nij, sizeof(double), &failed);
    b->io = zeros(nkj, sizeof(double), &failed);
    b->va = zeros(nj, sizeof(double), &failed);
    b->alpha = zeros(nj, sizeof(double), &failed);
    b->X = zeros(nj, sizeof(double), &failed);
    b->pi = zeros(nij, sizeof(double), &failed);
    b->Y = zeros(nj, sizeof(double), &failed);
    b->VA = zeros(N, sizeof(double), &failed);
    b->R = zeros(N, sizeof(double), &failed);
    b->D = zeros(N, sizeof(double), &failed);
    b->I = zeros(N, sizeof(double), &failed);
    b->E = zeros(N, sizeof(double), &failed);
    b->M = zeros(N, sizeof(double), &failed);
    if (failed) goto fail;
    return b;
fail:
    tw_base_free(b);
    tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory for a %zu x %zu world", N, J);
    return NULL;
}

tw_base *tw_base_clone(const tw_base *s, tw_error *err)
{
    tw_base *b = tw_base_alloc(s->N, s->J, err);
    if (!b) return NULL;
    size_t N = s->N, J = s->J, nij = N * N * J, nj = N * J, nkj = N * J * J;
    memcpy(b->theta, s->theta, J * sizeof(double));
    memcpy(b->tradable, s->tradable, J * sizeof(int));
    memcpy(b->trade, s->trade, nij * sizeof(double));
    memcpy(b->tau, s->tau, nij * sizeof(double));
    memcpy(b->io, s->io, nkj * sizeof(double));
    memcpy(b->va, s->va, nj * sizeof(double));
    memcpy(b->alpha, s->alpha, nj * sizeof(double));
    memcpy(b->X, s->X, nj * sizeof(double));
    memcpy(b->pi, s->pi, nij * sizeof(double));
    memcpy(b->Y, s->Y, nj * sizeof(double));
    memcpy(b->VA, s->VA, N * sizeof(double));
    memcpy(b->R, s->R, N * sizeof(double));
    memcpy(b->D, s->D, N * sizeof(double));
    memcpy(b->I, s->I, N * sizeof(double));
    memcpy(b->E, s->E, N * sizeof(double));
    memcpy(b->M, s->M, N * sizeof(double));
    b->money = s->money;
    int failed = 0;
    if (s->hh && (b->hh = zeros(nj, sizeof(double), &failed)))
        memcpy(b->hh, s->hh, nj * sizeof(double));
    if (s->households && (b->households = zeros(N, sizeof(double), &failed)))
        memcpy(b->households, s->households, N * sizeof(double));
    if (s->layer_rows && (b->layer_rows = zeros(s->n_layer_rows, sizeof *b->layer_rows, &failed))) {
        memcpy(b->layer_rows, s->layer_rows, s->n_layer_rows * sizeof *b->layer_rows);
        b->n_layer_rows = s->n_layer_rows;
    }
    if (s->layer_names && (b->layer_names = zeros(s->n_layer_names, sizeof(char *), &failed)))
        for (size_t k = 0; k < s->n_layer_names; k++, b->n_layer_names++)
            if (!(b->layer_names[k] = strdup(s->layer_names[k]))) {
                failed = 1;
                break;
            }
    if (failed) {
        tw_base_free(b);
        tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory for a %zu x %zu world", N, J);
        return NULL;
    }
    return b;
}

tw_base *tw_base_ref(tw_base *b)
{
    atomic_fetch_add(&b->refs, 1);
    return b;
}

void tw_base_free(tw_base *b)
{
    if (!b) return;
    if (atomic_fetch_sub(&b->refs, 1) > 1) return;
    free(b->theta); free(b->tradable); free(b->trade); free(b->tau); free(b->io);
    free(b->va); free(b->alpha); free(b->X); free(b->pi); free(b->Y); free(b->VA);
    free(b->R); free(b->D); free(b->I); free(b->E); free(b->M);
    free(b->hh); free(b->households);
    for (size_t k = 0; k < b->n_layer_names; k++) free(b->layer_names[k]);
    free(b->layer_names); free(b->layer_rows);
    free(b);
}

void tw_base_finish(tw_base *b)
{
    size_t N = b->N, J = b->J;
    memset(b->Y, 0, N * J * sizeof(double));
    for (size_t n = 0; n < N; n++) {
        double R = 0, buy = 0, imp = 0;
        for (size_t j = 0; j < J; j++) {
            double Xnj = 0;
            for (size_t i = 0; i < N; i++) {
                size_t c = tw_ix_nij(N, J, n, i, j);
                double m = b->trade[c];
                Xnj += m * (1.0 + b->tau[c]);
                R += b->tau[c] * m;
                buy += m;
                if (i != n) imp += m;
                b->Y[tw_ix_nj(J, i, j)] += m;
            }
            b->X[tw_ix_nj(J, n, j)] = Xnj;
            for (size_t i = 0; i < N; i++) {
                size_t c = tw_ix_nij(N, J, n, i, j);
                b->pi[c] = Xnj > 0 ? b->trade[c] * (1.0 + b->tau[c]) / Xnj : 0.0;
            }
        }
        b->R[n] = R;
        b->M[n] = imp;
        b->D[n] = buy; /* completed below, once all sales are known */
    }
    for (size_t n = 0; n < N; n++) {
        double sales = 0, va = 0, exp = 0;
        for (size_t j = 0; j < J; j++) {
            double y = b->Y[tw_ix_nj(J, n, j)];
            sales += y;
            va += b->va[tw_ix_nj(J, n, j)] * y;
            exp += y - b->trade[tw_ix_nij(N, J, n, n, j)];
        }
        b->D[n] -= sales;
        b->VA[n] = va;
        b->E[n] = exp;
        b->I[n] = va + b->R[n] + b->D[n];
    }
}

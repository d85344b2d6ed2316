/* shares.c - input-output, value-added and final-demand shares of a world.
 *
 * Reads io.csv, value_added.csv and final_demand.csv (all optional), derives
 * what is absent the way docs/model.md says, and finishes the baseline.
 * Invariant on success: every share is finite and >= 0; for each country and
 * output sector with output, input shares sum to <= 1 and value added plus
 * inputs is 1 within 1e-3 (exactly, when value added is derived); final-demand
 * shares of each country sum to 1 within 1e-6 (exactly, when derived, which
 * makes the baseline an exact equilibrium). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/index.h"
#include "world/loader.h"

/* Input shares may exceed 1 by this much before it is an error: sources round
 * each share, and 1 - sum is then clamped to a value-added share of 0. */
#define IO_SUM_SLACK 1e-9
#define VA_TOL_ERROR 1e-3
#define VA_TOL_WARN 1e-6
#define ALPHA_TOL 1e-6
/* Derived final demand above -FD_CLAMP_REL * X is rounding in the source. */
#define FD_CLAMP_REL 1e-9

static tw_status read_io(tw_loader *L)
{
    static const char *const req[] = {"country", "input", "output", "share"};
    size_t N = L->N, J = L->J;
    tw_world *w = L->w;
    double *io = w->base->io;
    long idx[4];
    tw_csv *r;
    tw_status st = tw_loader_open(L, "io.csv", 1, req, 4, NULL, 0, idx, &r);
    if (st != TW_OK || !r) return st;
    memset(L->seen, 0, N * J * J * sizeof *L->seen);
    int got;
    while ((got = tw_csv_next(r, L->err)) > 0) {
        size_t n, k, j;
        if ((st = tw_loader_code(L, r, idx[0], "country", 0, &n)) != TW_OK ||
            (st = tw_loader_code(L, r, idx[1], "input", 1, &k)) != TW_OK ||
            (st = tw_loader_code(L, r, idx[2], "output", 1, &j)) != TW_OK)
            break;
        size_t c = tw_ix_nkj(J, n, k, j);
        if (tw_loader_plain_row(L, r, c, idx[3], &io[c])) continue;
        char what[3 * TW_CODE_MAX + 8];
        snprintf(what, sizeof what, "%s %s->%s", w->ccode[n], w->scode[k], w->scode[j]);
        if ((st = tw_loader_first_row(L, r, c, "country", what)) != TW_OK ||
            (st = tw_loader_number(L, r, idx[3], "share", what, 0, &io[c])) != TW_OK)
            break;
    }
    if (got < 0) st = L->err->code;
    tw_csv_close(r);
    for (size_t n = 0; n < N && st == TW_OK; n++)
        for (size_t j = 0; j < J && st == TW_OK; j++) {
            double sum = 0;
            long last = 0;
            for (size_t k = 0; k < J; k++) {
                sum += io[tw_ix_nkj(J, n, k, j)];
                if (L->seen[tw_ix_nkj(J, n, k, j)] > last) last = L->seen[tw_ix_nkj(J, n, k, j)];
            }
            if (sum > 1 + IO_SUM_SLACK) {
                st = tw_error_set(L->err, TW_EINPUT, "io.csv", last, 0,
                                  "input shares for %s %s sum to %.10g (expected <= 1)",
                                  w->ccode[n], w->scode[j], sum);
                snprintf(L->err->field, sizeof L->err->field, "share");
            }
        }
    return st;
}

tw_status tw_loader_country_sector(tw_loader *L, const char *file, const char *column,
                                   double *dst, int *present)
{
    const char *const req[] = {"country", "sector", column};
    size_t N = L->N, J = L->J;
    long idx[3];
    tw_csv *r;
    *present = 0;
    tw_status st = tw_loader_open(L, file, 1, req, 3, NULL, 0, idx, &r);
    if (st != TW_OK || !r) return st;
    *present = 1;
    memset(L->seen, 0, N * J * sizeof *L->seen);
    int got;
    while ((got = tw_csv_next(r, L->err)) > 0) {
        size_t n, j;
        if ((st = tw_loader_code(L, r, idx[0], "country", 0, &n)) != TW_OK ||
            (st = tw_loader_code(L, r, idx[1], "sector", 1, &j)) != TW_OK)
            break;
        char what[2 * TW_CODE_MAX + 4];
        snprintf(what, sizeof what, "%s %s", L->w->ccode[n], L->w->scode[j]);
        size_t c = tw_ix_nj(J, n, j);
        if ((st = tw_loader_first_row(L, r, c, "country", what)) != TW_OK ||
            (st = tw_loader_number(L, r, idx[2], column, what, 0, &dst[c])) != TW_OK)
            break;
    }
    if (got < 0) st = L->err->code;
    tw_csv_close(r);
    return st;
}

/* Supplied value-added shares are used as given (Caliendo-Parro replication),
 * but must agree with the input shares: error above 1e-3, warning above 1e-6.
 * A sector with no output has no cost shares to meet and is not checked. */
static tw_status check_va(tw_loader *L)
{
    size_t N = L->N, J = L->J;
    tw_world *w = L->w;
    const tw_base *b = w->base;
    for (size_t n = 0; n < N; n++)
        for (size_t j = 0; j < J; j++) {
            if (!(b->Y[tw_ix_nj(J, n, j)] > 0)) continue;
            double in = 0, va = b->va[tw_ix_nj(J, n, j)];
            for (size_t k = 0; k < J; k++) in += b->io[tw_ix_nkj(J, n, k, j)];
            double dev = fabs(va + in - 1);
            if (dev <= VA_TOL_WARN) continue;
            long line = L->seen[tw_ix_nj(J, n, j)];
            tw_error e;
            tw_error_clear(&e);
            if (line == 0)
                tw_error_set(&e, TW_EINPUT, "value_added.csv", 0, 0,
                             "no row for %s %s (expected one for every country and sector "
                             "with output)", w->ccode[n], w->scode[j]);
            else
                tw_error_set(&e, TW_EINPUT, "value_added.csv", line, 0,
                             "value-added share %.10g and input shares %.10g for %s %s sum to "
                             "%.10g (expected 1 within %g)", va, in, w->ccode[n], w->scode[j],
                             va + in, dev > VA_TOL_ERROR ? VA_TOL_ERROR : VA_TOL_WARN);
            snprintf(e.field, sizeof e.field, "share");
            if (line == 0 || dev > VA_TOL_ERROR) {
                *L->err = e;
                return TW_EINPUT;
            }
            tw_status st = tw_world_add_warning(w, &e, L->err);
            if (st != TW_OK) return st;
        }
    return TW_OK;
}

/* Final demand from market clearing: F_n^j = X_n^j - sum_k gamma_n^{j,k} Y_n^k
 * (input j used in every output k), alpha = F / sum F (docs/model.md). */
static tw_status derive_alpha(tw_loader *L, int have_io)
{
    size_t N = L->N, J = L->J;
    tw_world *w = L->w;
    tw_base *b = w->base;
    const char *file = have_io ? "io.csv" : "trade.csv";
    for (size_t n = 0; n < N; n++) {
        double total = 0;
        for (size_t j = 0; j < J; j++) {
            double X = b->X[tw_ix_nj(J, n, j)], use = 0;
            for (size_t k = 0; k < J; k++)
                use += b->io[tw_ix_nkj(J, n, j, k)] * b->Y[tw_ix_nj(J, n, k)];
            double F = X - use;
            if (F < 0) {
                if (F < -FD_CLAMP_REL * X) {
                    tw_error_set(L->err, TW_EINPUT, file, 0, 0,
                                 "final demand for %s %s is negative (%.6g = spending %.6g - "
                                 "input use %.6g; expected >= 0, or supply final_demand.csv)",
                                 w->ccode[n], w->scode[j], F, X, use);
                    snprintf(L->err->field, sizeof L->err->field, "%s", w->ccode[n]);
                    return TW_EINPUT;
                }
                F = 0;
            }
            b->alpha[tw_ix_nj(J, n, j)] = F;
            total += F;
        }
        if (!(total > 0)) {
            tw_error_set(L->err, TW_EINPUT, file, 0, 0,
                         "final demand of %s is zero in every sector (expected positive "
                         "spending on final goods)", w->ccode[n]);
            snprintf(L->err->field, sizeof L->err->field, "%s", w->ccode[n]);
            return TW_EINPUT;
        }
        for (size_t j = 0; j < J; j++) b->alpha[tw_ix_nj(J, n, j)] /= total;
    }
    return TW_OK;
}

static tw_status check_alpha(tw_loader *L)
{
    size_t N = L->N, J = L->J;
    tw_world *w = L->w;
    for (size_t n = 0; n < N; n++) {
        double sum = 0;
        long last = 0;
        for (size_t j = 0; j < J; j++) {
            sum += w->base->alpha[tw_ix_nj(J, n, j)];
            if (L->seen[tw_ix_nj(J, n, j)] > last) last = L->seen[tw_ix_nj(J, n, j)];
        }
        if (fabs(sum - 1) > ALPHA_TOL) {
            tw_error_set(L->err, TW_EINPUT, "final_demand.csv", last, 0,
                         "final-demand shares for %s sum to %.10g (expected 1 within %g)",
                         w->ccode[n], sum, ALPHA_TOL);
            snprintf(L->err->field, sizeof L->err->field, "share");
            return TW_EINPUT;
        }
    }
    return TW_OK;
}

/* Every value read is finite, but sums can still overflow: flows near the
 * largest double, or a rate of 1e307 on a flow of 50.  The model needs every
 * baseline level finite. */
static tw_status check_totals(tw_loader *L)
{
    size_t N = L->N, J = L->J;
    const tw_base *b = L->w->base;
    for (size_t n = 0; n < N; n++) {
        int flows = isfinite(b->D[n]) && isfinite(b->VA[n]) && isfinite(b->E[n]) &&
                    isfinite(b->M[n]);
        int spend = isfinite(b->R[n]) && isfinite(b->I[n]);
        for (size_t j = 0; j < J; j++) {
            flows = flows && isfinite(b->Y[tw_ix_nj(J, n, j)]);
            spend = spend && isfinite(b->X[tw_ix_nj(J, n, j)]);
        }
        if (flows && spend) continue;
        if (!flows)
            tw_error_set(L->err, TW_EINPUT, "trade.csv", 0, 0,
                         "the flows of %s add up to more than the largest number (expected "
                         "values in the world's units, well below 1e300)", L->w->ccode[n]);
        else
            tw_error_set(L->err, TW_EINPUT, "tariffs.csv", 0, 0,
                         "the tariff revenue or spending of %s overflows (a rate is too large "
                         "for its flow; expected rates as fractions, 0.25 = 25 %%)",
                         L->w->ccode[n]);
        snprintf(L->err->field, sizeof L->err->field, "%s", L->w->ccode[n]);
        return TW_EINPUT;
    }
    return TW_OK;
}

tw_status tw_loader_shares(tw_loader *L)
{
    size_t N = L->N, J = L->J;
    tw_world *w = L->w;
    tw_base *b = w->base;
    int have_io = 0;
    tw_status st = read_io(L);
    if (st != TW_OK) return st;
    for (size_t c = 0; c < N * J * J && !have_io; c++) have_io = b->io[c] > 0;
    st = tw_loader_country_sector(L, "value_added.csv", "share", b->va, &w->va_supplied);
    if (st != TW_OK) return st;
    if (!w->va_supplied)
        for (size_t n = 0; n < N; n++)
            for (size_t j = 0; j < J; j++) {
                double in = 0;
                for (size_t k = 0; k < J; k++) in += b->io[tw_ix_nkj(J, n, k, j)];
                b->va[tw_ix_nj(J, n, j)] = in < 1 ? 1 - in : 0;
            }
    tw_base_finish(b);
    if ((st = check_totals(L)) != TW_OK) return st;
    if (w->va_supplied && (st = check_va(L)) != TW_OK) return st;
    st = tw_loader_country_sector(L, "final_demand.csv", "share", b->alpha, &w->alpha_supplied);
    if (st != TW_OK) return st;
    return w->alpha_supplied ? check_alpha(L) : derive_alpha(L, have_io);
}

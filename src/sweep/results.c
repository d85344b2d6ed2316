/* results.c - the result array of a sweep: units of work, records, blocks
 * moved between processes, and bands over the elasticity variants.
 *
 * Invariant: unit k always covers the same variant and the same run of
 * points, whatever the number of threads or processes, because the cut
 * depends only on the plan (variants, grid shape, TW_SWEEP_CHAIN).  A record
 * of a failed point keeps converged = 0 and NaN statistics; bands count it
 * as failed and never use it. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sweep_impl.h"

/* Points per chain along the last axis, and chains per variant. */
static size_t row_len(const tw_sweep *s)
{
    return s->n_axes ? s->axes[s->n_axes - 1].count : 1;
}

static size_t chains_per_row(const tw_sweep *s)
{
    return (row_len(s) + TW_SWEEP_CHAIN - 1) / TW_SWEEP_CHAIN;
}

static size_t chains_per_variant(const tw_sweep *s)
{
    return s->n_points / row_len(s) * chains_per_row(s);
}

size_t tw_sweep_n_units(const tw_sweep *s)
{
    return s ? tw_sweep_n_variants(s) * chains_per_variant(s) : 0;
}

void tw_sweep_unit_range(const tw_sweep *s, size_t k, size_t *v, size_t *p0, size_t *p1)
{
    size_t cpv = chains_per_variant(s), cpr = chains_per_row(s), len = row_len(s);
    size_t c = k % cpv, row = c / cpr, chunk = c % cpr;
    *v = k / cpv;
    *p0 = row * len + chunk * TW_SWEEP_CHAIN;
    *p1 = *p0 + TW_SWEEP_CHAIN;
    if (*p1 > (row + 1) * len) *p1 = (row + 1) * len;
}

tw_status tw_sweep_alloc_results(tw_sweep *s, tw_error *err)
{
    if (s->res) return TW_OK;
    s->rec = SW_STATS + s->N * TW_SWEEP_N_STATS + (s->n_players ? s->N : 0);
    size_t n = tw_sweep_n_variants(s) * s->n_points * s->rec, nu = tw_sweep_n_units(s);
    s->res = malloc((n ? n : 1) * sizeof *s->res);
    s->done = calloc(nu ? nu : 1, 1);
    if (!s->res || !s->done) {
        free(s->res);
        free(s->done);
        s->res = NULL;
        s->done = NULL;
        return tw_error_set(err, TW_ENOMEM, NULL, 0, 0,
                            "out of memory for %zu results of a sweep", n);
    }
    for (size_t q = 0; q < n; q++) s->res[q] = NAN;
    return TW_OK;
}

double *tw_sweep_record(const tw_sweep *s, size_t v, size_t p)
{
    return s->res + (v * s->n_points + p) * s->rec;
}

double *tw_sweep_unit_block(tw_sweep *s, size_t k, size_t *len)
{
    if (len) *len = 0;
    if (!s || k >= tw_sweep_n_units(s) || tw_sweep_alloc_results(s, NULL)) return NULL;
    size_t v, p0, p1;
    tw_sweep_unit_range(s, k, &v, &p0, &p1);
    if (len) *len = (p1 - p0) * s->rec;
    return tw_sweep_record(s, v, p0);
}

void tw_sweep_unit_done(tw_sweep *s, size_t k)
{
    if (s && s->done && k < tw_sweep_n_units(s)) s->done[k] = 1;
}

int tw_sweep_complete(const tw_sweep *s)
{
    if (!s || !s->done) return 0;
    for (size_t k = 0, n = tw_sweep_n_units(s); k < n; k++)
        if (!s->done[k]) return 0;
    return 1;
}

/* The record of (v, p) when it exists, else NULL. */
static const double *rec_at(const tw_sweep *s, size_t v, size_t p)
{
    if (!s || !s->res || v >= tw_sweep_n_variants(s) || p >= s->n_points) return NULL;
    return tw_sweep_record(s, v, p);
}

int tw_sweep_converged(const tw_sweep *s, size_t v, size_t p)
{
    const double *r = rec_at(s, v, p);
    return r && r[SW_CONV] == 1.0;
}

double tw_sweep_iterations(const tw_sweep *s, size_t v, size_t p)
{
    const double *r = rec_at(s, v, p);
    return r ? r[SW_ITER] : NAN;
}

double tw_sweep_residual(const tw_sweep *s, size_t v, size_t p)
{
    const double *r = rec_at(s, v, p);
    return r ? r[SW_RESID] : NAN;
}

double tw_sweep_stat(const tw_sweep *s, size_t v, size_t p, size_t n, size_t k)
{
    const double *r = rec_at(s, v, p);
    if (!r || n >= s->N || k >= TW_SWEEP_N_STATS || r[SW_CONV] != 1.0) return NAN;
    return r[SW_STATS + n * TW_SWEEP_N_STATS + k];
}

double tw_sweep_nash_tariff_pct(const tw_sweep *s, size_t v, size_t p, size_t n)
{
    const double *r = rec_at(s, v, p);
    if (!r || !s->n_players || n >= s->N || r[SW_CONV] != 1.0) return NAN;
    return r[SW_STATS + s->N * TW_SWEEP_N_STATS + n];
}

size_t tw_sweep_n_failed(const tw_sweep *s)
{
    size_t f = 0;
    for (size_t v = 0; s && s->res && v < tw_sweep_n_variants(s); v++)
        for (size_t p = 0; p < s->n_points; p++)
            if (!tw_sweep_converged(s, v, p)) f++;
    return f;
}

/* Statistic k, or the Nash tariff for k == TW_SWEEP_N_STATS. */
static double value(const tw_sweep *s, size_t v, size_t p, size_t n, size_t k)
{
    return k < TW_SWEEP_N_STATS ? tw_sweep_stat(s, v, p, n, k) : tw_sweep_nash_tariff_pct(s, v, p, n);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Quantile q of sorted x[0..n-1], Hyndman-Fan type 7 (R's and numpy's
 * default): with all values equal it returns that value exactly. */
static double quantile(const double *x, size_t n, double q)
{
    double h = (double)(n - 1) * q;
    size_t lo = (size_t)floor(h);
    if (lo + 1 >= n) return x[n - 1];
    double f = h - (double)lo;
    return f == 0.0 ? x[lo] : x[lo] + f * (x[lo + 1] - x[lo]);
}

tw_status tw_sweep_band(const tw_sweep *s, size_t p, size_t n, size_t k, tw_band *out)
{
    if (!s || !s->res || !out || p >= s->n_points || n >= s->N ||
        k > TW_SWEEP_N_STATS || (k == TW_SWEEP_N_STATS && !s->n_players))
        return TW_EARG;
    size_t nv = tw_sweep_n_variants(s), first = nv > 1 ? 1 : 0;
    double *x = malloc(nv * sizeof *x);
    if (!x) return TW_ENOMEM;
    out->point = value(s, 0, p, n, k);
    out->n = out->failed = 0;
    for (size_t v = first; v < nv; v++) {
        if (!tw_sweep_converged(s, v, p)) {
            out->failed++;
            continue;
        }
        double y = value(s, v, p, n, k);
        if (!isnan(y)) x[out->n++] = y; /* NaN: a non-player, or a measure absent */
    }
    if (out->n == 0) {
        out->median = out->p5 = out->p95 = NAN;
    } else {
        qsort(x, out->n, sizeof *x, cmp_double);
        out->median = quantile(x, out->n, 0.5);
        out->p5 = quantile(x, out->n, 0.05);
        out->p95 = quantile(x, out->n, 0.95);
    }
    free(x);
    return TW_OK;
}

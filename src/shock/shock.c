/* shock.c - counterfactual shocks: new tariff levels and NTB (iceberg) changes.
 *
 * A shock starts at the world's baseline (tau' = tau, d_hat = 1) and changes
 * only through the checked setters, the rows of resolve.c (which the
 * counterfactual files of docs/data-format.md feed), and the private views of
 * shock_impl.h.  Invariants: tau' is finite and >= 0 everywhere, differs from the
 * baseline only on foreign cells of tradable sectors, and d_hat is finite and
 * > 0 with d_hat = 1 on domestic cells.  A file applies whole or not at all.
 *
 * File errors name the file as the caller gave it, the line the row starts on,
 * and in col the 1-based position of the offending field in the row (for the
 * standard header importer=1, exporter=2, sector=3, rate/factor=4). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/error.h"
#include "core/index.h"
#include "shock/shock_impl.h"

tw_shock *tw_shock_create(const tw_world *w, tw_error *err)
{
    if (!w) {
        tw_error_set(err, TW_EARG, NULL, 0, 0, "no world given for the shock");
        return NULL;
    }
    size_t N = tw_world_n_countries(w), J = tw_world_n_sectors(w), cells = N * N * J;
    tw_shock *s = calloc(1, sizeof *s);
    if (s) {
        s->tau = malloc(cells * sizeof *s->tau);
        s->dhat = malloc(cells * sizeof *s->dhat);
    }
    if (!s || !s->tau || !s->dhat) {
        tw_shock_free(s);
        tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory for a shock");
        return NULL;
    }
    s->w = w;
    s->N = N;
    s->J = J;
    memcpy(s->tau, tw_world_tariffs(w), cells * sizeof *s->tau);
    for (size_t c = 0; c < cells; c++) s->dhat[c] = 1.0;
    return s;
}

tw_shock *tw_shock_clone(const tw_shock *s, tw_error *err)
{
    if (!s) {
        tw_error_set(err, TW_EARG, NULL, 0, 0, "no shock given to clone");
        return NULL;
    }
    tw_shock *c = tw_shock_create(s->w, err);
    if (c) tw_shock_copy_from(c, s);
    return c;
}

void tw_shock_free(tw_shock *s)
{
    if (!s) return;
    free(s->tau);
    free(s->dhat);
    free(s);
}

const tw_world *tw_shock_world(const tw_shock *s) { return s ? s->w : NULL; }
const double *tw_shock_tariffs(const tw_shock *s) { return s ? s->tau : NULL; }
const double *tw_shock_dhat(const tw_shock *s) { return s ? s->dhat : NULL; }
double *tw_shock_tariffs_mut(tw_shock *s) { return s->tau; }
double *tw_shock_dhat_mut(tw_shock *s) { return s->dhat; }

void tw_shock_copy_from(tw_shock *dst, const tw_shock *src)
{
    size_t cells = dst->N * dst->N * dst->J;
    memcpy(dst->tau, src->tau, cells * sizeof *dst->tau);
    memcpy(dst->dhat, src->dhat, cells * sizeof *dst->dhat);
}

/* ---- single cells ------------------------------------------------------- */

static tw_status check_cell(const tw_shock *s, size_t n, size_t i, size_t j, const char *what,
                            tw_error *err)
{
    if (!s) return tw_error_set(err, TW_EARG, NULL, 0, 0, "no shock given");
    if (n >= s->N || i >= s->N || j >= s->J)
        return tw_error_set(err, TW_EARG, NULL, 0, 0,
                            "cell (%zu, %zu, %zu) is out of range (the world has %zu countries "
                            "and %zu sectors)", n, i, j, s->N, s->J);
    if (n == i)
        return tw_error_set(err, TW_EINPUT, NULL, 0, 0,
                            "%s on domestic cell %s->%s %s (expected importer != exporter)", what,
                            tw_world_country_code(s->w, i), tw_world_country_code(s->w, n),
                            tw_world_sector_code(s->w, j));
    return TW_OK;
}

tw_status tw_shock_set_tariff(tw_shock *s, size_t n, size_t i, size_t j, double rate,
                              tw_error *err)
{
    tw_status st = check_cell(s, n, i, j, "tariff", err);
    if (st != TW_OK) return st;
    if (!tw_world_sector_tradable(s->w, j))
        return tw_error_set(err, TW_EINPUT, NULL, 0, 0,
                            "sector %s is not tradable (tariffs do not apply to it)",
                            tw_world_sector_code(s->w, j));
    if (!isfinite(rate) || rate < 0)
        return tw_error_set(err, TW_EINPUT, NULL, 0, 0,
                            "rate %g for %s->%s %s is not a finite number >= 0", rate,
                            tw_world_country_code(s->w, i), tw_world_country_code(s->w, n),
                            tw_world_sector_code(s->w, j));
    s->tau[tw_ix_nij(s->N, s->J, n, i, j)] = rate;
    return TW_OK;
}

tw_status tw_shock_scale_ntb(tw_shock *s, size_t n, size_t i, size_t j, double factor,
                             tw_error *err)
{
    tw_status st = check_cell(s, n, i, j, "ntb", err);
    if (st != TW_OK) return st;
    double d = s->dhat[tw_ix_nij(s->N, s->J, n, i, j)] * factor;
    if (!isfinite(factor) || !(factor > 0))
        return tw_error_set(err, TW_EINPUT, NULL, 0, 0,
                            "factor %g for %s->%s %s is not a finite number > 0", factor,
                            tw_world_country_code(s->w, i), tw_world_country_code(s->w, n),
                            tw_world_sector_code(s->w, j));
    if (!(factor >= TW_NTB_FACTOR_MIN && factor <= TW_NTB_FACTOR_MAX))
        return tw_error_set(err, TW_EINPUT, NULL, 0, 0,
                            "factor %g for %s->%s %s is out of range (expected %g <= factor <= "
                            "%g)", factor, tw_world_country_code(s->w, i),
                            tw_world_country_code(s->w, n), tw_world_sector_code(s->w, j),
                            TW_NTB_FACTOR_MIN, TW_NTB_FACTOR_MAX);
    if (!isfinite(d) || !(d > 0))
        return tw_error_set(err, TW_EINPUT, NULL, 0, 0,
                            "factor %g for %s->%s %s makes the iceberg change %g overflow or "
                            "vanish", factor, tw_world_country_code(s->w, i),
                            tw_world_country_code(s->w, n), tw_world_sector_code(s->w, j), d);
    s->dhat[tw_ix_nij(s->N, s->J, n, i, j)] = d;
    return TW_OK;
}

/* ---- counterfactual files ----------------------------------------------- */

/* Each data row goes through the rules of resolve.c; the batch keeps the
 * file all or nothing. */
static tw_status apply_rows(tw_shock_batch *b, tw_csv *r, const char *path, const long *idx,
                            tw_error *err)
{
    int got;
    tw_status st = TW_OK;
    while (st == TW_OK && (got = tw_csv_next(r, err)) != 0) {
        if (got < 0) return err->code;
        tw_shock_row row = {.importer = tw_csv_field(r, (size_t)idx[0]),
                            .exporter = tw_csv_field(r, (size_t)idx[1]),
                            .sector = tw_csv_field(r, (size_t)idx[2]),
                            .text = tw_csv_field(r, (size_t)idx[3]),
                            .file = path, .line = tw_csv_line(r)};
        for (int d = 0; d < 4; d++) row.col[d] = idx[d] + 1;
        st = tw_shock_batch_add(b, &row, err);
    }
    return st;
}

static tw_status apply_file(tw_shock *s, const char *path, int tariffs, uint64_t max_bytes,
                            tw_error *err)
{
    static const char *const treq[] = {"importer", "exporter", "sector", "rate"};
    static const char *const nreq[] = {"importer", "exporter", "sector", "factor"};
    if (!s || !path) return tw_error_set(err, TW_EARG, NULL, 0, 0, "no shock or file given");
    tw_csv *r = NULL;
    tw_status st = tw_csv_open(&r, path, path, 0, err);
    if (st != TW_OK) return st;
    tw_csv_set_limits(r, 0, max_bytes);
    long idx[4];
    st = tw_csv_header(r, tariffs ? treq : nreq, 4, NULL, 0, idx, err);
    tw_shock_batch *b = NULL;
    if (st == TW_OK) {
        b = tw_shock_batch_begin(s, tariffs ? TW_SHOCK_TARIFF : TW_SHOCK_NTB, err);
        if (!b) st = err->code;
    }
    if (st == TW_OK) st = apply_rows(b, r, path, idx, err);
    if (st == TW_OK) st = tw_shock_batch_commit(b, err);
    else tw_shock_batch_free(b);
    tw_csv_close(r);
    return st;
}

/* The file readers need a record, so the status of a failed read is known
 * even when the caller passes err = NULL. */
tw_status tw_shock_load_limited(tw_shock *s, const char *path, int ntb, uint64_t max_bytes,
                                tw_error *err)
{
    tw_error local;
    return apply_file(s, path, !ntb, max_bytes, tw_error_use(err, &local));
}

tw_status tw_shock_load_tariffs(tw_shock *s, const char *path, tw_error *err)
{
    return tw_shock_load_limited(s, path, 0, 0, err);
}

tw_status tw_shock_load_ntb(tw_shock *s, const char *path, tw_error *err)
{
    return tw_shock_load_limited(s, path, 1, 0, err);
}

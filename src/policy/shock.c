/* shock.c - counterfactual shocks: new tariff levels and NTB (iceberg) changes.
 *
 * A shock starts at the world's baseline (tau' = tau, d_hat = 1) and changes
 * only through the checked setters and the counterfactual files of docs/data-format.md
 * (counterfactuals).  Invariants: tau' is finite and >= 0 everywhere, differs from the
 * baseline only on foreign cells of tradable sectors, and d_hat is finite and
 * > 0 with d_hat = 1 on domestic cells.  A file applies whole or not at all:
 * rows are applied to a scratch copy that replaces the shock's arrays only when
 * every row has passed.
 *
 * File errors name the file as the caller gave it, the line the row starts on,
 * and in col the 1-based position of the offending field in the row (for the
 * standard header importer=1, exporter=2, sector=3, rate/factor=4). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/index.h"
#include "core/num.h"
#include "policy/policy_impl.h"

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
    if (!c) return NULL;
    memcpy(c->tau, s->tau, s->N * s->N * s->J * sizeof *c->tau);
    memcpy(c->dhat, s->dhat, s->N * s->N * s->J * sizeof *c->dhat);
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

/* One row of a counterfactual file: index ranges [lo, hi) per dimension. */
typedef struct span {
    size_t lo, hi;
    int wild;
} span;

static tw_status file_error(tw_error *err, const tw_csv *r, long pos, const char *column,
                            const char *msg)
{
    tw_error_set(err, TW_EINPUT, tw_csv_name(r), tw_csv_line(r), pos + 1, "%s", msg);
    if (err) snprintf(err->field, sizeof err->field, "%s", column);
    return TW_EINPUT;
}

static tw_status parse_span(const tw_shock *s, const tw_csv *r, long pos, const char *column,
                            int sector, int tariffs, span *out, tw_error *err)
{
    const char *code = tw_csv_field(r, (size_t)pos);
    char msg[256];
    if (strcmp(code, "*") == 0) {
        *out = (span){0, sector ? s->J : s->N, 1};
        return TW_OK;
    }
    long k = sector ? tw_world_sector_index(s->w, code) : tw_world_country_index(s->w, code);
    if (k < 0) {
        snprintf(msg, sizeof msg, "unknown %s \"%.64s\" (expected a code of the world or \"*\")",
                 sector ? "sector" : "country", code);
        return file_error(err, r, pos, column, msg);
    }
    if (sector && tariffs && !tw_world_sector_tradable(s->w, (size_t)k)) {
        snprintf(msg, sizeof msg,
                 "sector \"%.64s\" is not tradable (tariffs do not apply to it; \"*\" covers "
                 "the tradable sectors)", code);
        return file_error(err, r, pos, column, msg);
    }
    *out = (span){(size_t)k, (size_t)k + 1, 0};
    return TW_OK;
}

static tw_status apply_file(tw_shock *s, const char *path, int tariffs, uint64_t max_bytes,
                            tw_error *err)
{
    static const char *const treq[] = {"importer", "exporter", "sector", "rate"};
    static const char *const nreq[] = {"importer", "exporter", "sector", "factor"};
    if (!s || !path) return tw_error_set(err, TW_EARG, NULL, 0, 0, "no shock or file given");
    const char *vcol = tariffs ? "rate" : "factor";
    size_t N = s->N, J = s->J, cells = N * N * J;
    tw_csv *r = NULL;
    tw_status st = tw_csv_open(&r, path, path, 0, err);
    if (st != TW_OK) return st;
    tw_csv_set_limits(r, 0, max_bytes);
    long idx[4];
    st = tw_csv_header(r, tariffs ? treq : nreq, 4, NULL, 0, idx, err);
    /* Tariff rows set levels on a copy of tau'; NTB rows set per-cell factors
     * (a later row overrides an earlier one) that then multiply d_hat. */
    double *scratch = st == TW_OK ? malloc(cells * sizeof *scratch) : NULL;
    locale_t loc = scratch ? tw_num_locale_new() : (locale_t)0;
    if (st == TW_OK && loc == (locale_t)0)
        st = tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    if (st == TW_OK) {
        if (tariffs) memcpy(scratch, s->tau, cells * sizeof *scratch);
        else for (size_t c = 0; c < cells; c++) scratch[c] = 1.0;
    }
    int got = 0;
    while (st == TW_OK && (got = tw_csv_next(r, err)) > 0) {
        span sn, si, sj;
        if ((st = parse_span(s, r, idx[0], "importer", 0, tariffs, &sn, err)) != TW_OK ||
            (st = parse_span(s, r, idx[1], "exporter", 0, tariffs, &si, err)) != TW_OK ||
            (st = parse_span(s, r, idx[2], "sector", 1, tariffs, &sj, err)) != TW_OK)
            break;
        char msg[256];
        const char *text = tw_csv_field(r, (size_t)idx[3]);
        if (!sn.wild && !si.wild && sn.lo == si.lo) {
            snprintf(msg, sizeof msg,
                     "%s on domestic cell %s->%s (expected importer != exporter)",
                     tariffs ? "tariff" : "ntb", tw_world_country_code(s->w, si.lo),
                     tw_world_country_code(s->w, sn.lo));
            st = file_error(err, r, idx[1], "exporter", msg);
            break;
        }
        double v;
        tw_num_status ns = tw_num_parse(text, loc, &v);
        if (ns != TW_NUM_OK)
            snprintf(msg, sizeof msg, "%s \"%.64s\" %s", vcol, text, tw_num_what(ns));
        else if (tariffs && v < 0)
            snprintf(msg, sizeof msg, "rate \"%.64s\" is negative (expected >= 0)", text);
        else if (!tariffs && !(v > 0))
            snprintf(msg, sizeof msg, "factor \"%.64s\" is not positive (expected > 0)", text);
        else if (!tariffs && !(v >= TW_NTB_FACTOR_MIN && v <= TW_NTB_FACTOR_MAX))
            snprintf(msg, sizeof msg, "factor \"%.64s\" is out of range (expected %g <= factor "
                     "<= %g)", text, TW_NTB_FACTOR_MIN, TW_NTB_FACTOR_MAX);
        if (ns != TW_NUM_OK || (tariffs && v < 0) ||
            (!tariffs && !(v >= TW_NTB_FACTOR_MIN && v <= TW_NTB_FACTOR_MAX))) {
            st = file_error(err, r, idx[3], vcol, msg);
            break;
        }
        for (size_t n = sn.lo; n < sn.hi; n++)
            for (size_t i = si.lo; i < si.hi; i++) {
                if (i == n) continue; /* a wildcard never covers a domestic cell */
                for (size_t j = sj.lo; j < sj.hi; j++) {
                    if (tariffs && !tw_world_sector_tradable(s->w, j)) continue;
                    scratch[tw_ix_nij(N, J, n, i, j)] = v;
                }
            }
    }
    if (got < 0) st = err->code;
    if (st == TW_OK) {
        if (tariffs) {
            double *old = s->tau;
            s->tau = scratch;
            scratch = old;
        } else {
            for (size_t c = 0; c < cells; c++) {
                double d = s->dhat[c] * scratch[c];
                /* Products of many factors could leave (0, inf); keep the invariant. */
                if (!isfinite(d) || !(d > 0)) {
                    st = tw_error_set(err, TW_EINPUT, path, 0, 0,
                                      "factors make an iceberg change overflow or vanish");
                    break;
                }
            }
            if (st == TW_OK)
                for (size_t c = 0; c < cells; c++) s->dhat[c] *= scratch[c];
        }
    }
    free(scratch);
    tw_num_locale_free(loc);
    tw_csv_close(r);
    return st;
}

/* The file readers report through a record of their own, so the status of a
 * failed read is known even when the caller passes err = NULL. */
tw_status tw_shock_load_limited(tw_shock *s, const char *path, int ntb, uint64_t max_bytes,
                                tw_error *err)
{
    tw_error local;
    tw_error_clear(&local);
    tw_status st = apply_file(s, path, !ntb, max_bytes, &local);
    if (err) *err = local;
    return st;
}

tw_status tw_shock_load_tariffs(tw_shock *s, const char *path, tw_error *err)
{
    return tw_shock_load_limited(s, path, 0, 0, err);
}

tw_status tw_shock_load_ntb(tw_shock *s, const char *path, tw_error *err)
{
    return tw_shock_load_limited(s, path, 1, 0, err);
}

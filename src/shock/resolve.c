/* resolve.c - the one rule for cells: which tariff or NTB cells a spec
 * (importer, exporter, sector) covers, and how rows of such specs apply to a
 * shock (docs/data-format.md, "one rule for cells").
 *
 * Counterfactual files, the server's JSON, scenario statements and sweep axes
 * all resolve their cells here, so they cannot drift apart: '*' covers every
 * importer, exporter or sector (for tariffs: every tradable sector), a
 * wildcard never covers a domestic cell, and within one application a later
 * row overrides an earlier one for the same cell.  Rows are applied to a
 * scratch copy (tariff levels, or one factor per cell for NTBs) that replaces
 * the shock's tariffs, or multiplies its d_hat once, only when every row has
 * passed: an application is all or nothing. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/num.h"
#include "core/suggest.h"
#include "shock/shock_impl.h"

static const char *const dim_name[2][4] = {{"importer", "exporter", "sector", "rate"},
                                           {"importer", "exporter", "sector", "factor"}};

/* ---- cells --------------------------------------------------------------- */

static void unknown_code(const tw_world *w, int sector, const char *code, char *msg,
                         size_t size)
{
    size_t n = sector ? tw_world_n_sectors(w) : tw_world_n_countries(w);
    const char **cand = malloc((n ? n : 1) * sizeof *cand);
    const char *best = NULL;
    if (cand) {
        for (size_t q = 0; q < n; q++)
            cand[q] = sector ? tw_world_sector_code(w, q) : tw_world_country_code(w, q);
        best = tw_suggest(code, cand, n);
    }
    if (best)
        snprintf(msg, size, "unknown %s \"%.64s\" (did you mean \"%s\"?)",
                 sector ? "sector" : "country", code, best);
    else
        snprintf(msg, size, "unknown %s \"%.64s\" (expected a code of the world or \"*\")",
                 sector ? "sector" : "country", code);
    free(cand);
}

tw_status tw_cell_code(const tw_world *w, tw_shock_kind kind, int sector, const char *code,
                       long *ix, char *msg, size_t size)
{
    if (!code || !code[0]) {
        snprintf(msg, size, "no %s given (expected a code of the world or \"*\")",
                 sector ? "sector" : "country");
        return TW_EINPUT;
    }
    if (strcmp(code, "*") == 0) {
        *ix = -1;
        return TW_OK;
    }
    long k = sector ? tw_world_sector_index(w, code) : tw_world_country_index(w, code);
    if (k < 0) {
        unknown_code(w, sector, code, msg, size);
        return TW_EINPUT;
    }
    if (sector && kind == TW_SHOCK_TARIFF && !tw_world_sector_tradable(w, (size_t)k)) {
        snprintf(msg, size,
                 "sector \"%.64s\" is not tradable (tariffs do not apply to it; \"*\" covers "
                 "the tradable sectors)", code);
        return TW_EINPUT;
    }
    *ix = k;
    return TW_OK;
}

void tw_cell_mask(const tw_world *w, tw_shock_kind kind, int sector, long ix,
                  unsigned char *mask)
{
    size_t n = sector ? tw_world_n_sectors(w) : tw_world_n_countries(w);
    for (size_t k = 0; k < n; k++) {
        int all = !(sector && kind == TW_SHOCK_TARIFF && !tw_world_sector_tradable(w, k));
        mask[k] = (unsigned char)(ix < 0 ? all : (long)k == ix);
    }
}

long tw_cell_domestic(size_t N, const unsigned char *imp, const unsigned char *exp)
{
    for (size_t k = 0; k < N; k++)
        if (imp[k] && exp[k]) return (long)k;
    return -1;
}

void tw_cell_domestic_msg(const tw_world *w, tw_shock_kind kind, size_t n, char *msg,
                          size_t size)
{
    const char *c = tw_world_country_code(w, n);
    snprintf(msg, size, "%s on domestic cell %s->%s (expected importer != exporter)",
             kind == TW_SHOCK_NTB ? "ntb" : "tariff", c, c);
}

size_t tw_cell_list(const tw_world *w, tw_shock_kind kind, const unsigned char *imp,
                    const unsigned char *exp, const unsigned char *sec, size_t *out)
{
    size_t N = tw_world_n_countries(w), J = tw_world_n_sectors(w), count = 0;
    for (size_t n = 0; n < N; n++)
        for (size_t i = 0; i < N; i++) {
            /* a wildcard never covers a domestic cell */
            if (!imp[n] || !exp[i] || i == n) continue;
            for (size_t j = 0; j < J; j++) {
                if (!sec[j] || (kind == TW_SHOCK_TARIFF && !tw_world_sector_tradable(w, j)))
                    continue;
                if (out) out[count] = (n * N + i) * J + j;
                count++;
            }
        }
    return count;
}

/* ---- rows ---------------------------------------------------------------- */

struct tw_shock_batch {
    tw_shock *s;
    tw_shock_kind kind;
    size_t N, J;
    double *scratch;       /* [n][i][j] tariff levels, or the NTB factor of each cell */
    size_t *cells;         /* [n][i][j] the cells of one row */
    unsigned char *mask;   /* importers [N], exporters [N], sectors [J] */
    locale_t loc;
    const char *file;      /* of the first row, for errors of the whole batch */
    size_t n_cells;
};

static tw_status row_error(const tw_shock_batch *b, const tw_shock_row *row, int dim,
                           const char *msg, tw_error *err)
{
    tw_error_set(err, TW_EINPUT, row->file, row->line, row->col[dim], "%s", msg);
    const char *name = dim_name[b->kind == TW_SHOCK_NTB][dim];
    if (err && row->entry)
        snprintf(err->field, sizeof err->field, "%.40s.%s", row->entry, name);
    else if (err)
        snprintf(err->field, sizeof err->field, "%s", name);
    return TW_EINPUT;
}

void tw_shock_batch_free(tw_shock_batch *b)
{
    if (!b) return;
    free(b->scratch);
    free(b->cells);
    free(b->mask);
    if (b->loc) tw_num_locale_free(b->loc);
    free(b);
}

tw_shock_batch *tw_shock_batch_begin(tw_shock *s, tw_shock_kind kind, tw_error *err)
{
    if (!s) {
        tw_error_set(err, TW_EARG, NULL, 0, 0, "no shock given");
        return NULL;
    }
    size_t N = s->N, J = s->J, cells = N * N * J;
    tw_shock_batch *b = calloc(1, sizeof *b);
    if (b) {
        *b = (tw_shock_batch){.s = s, .kind = kind, .N = N, .J = J};
        b->scratch = malloc((cells ? cells : 1) * sizeof *b->scratch);
        b->cells = malloc((cells ? cells : 1) * sizeof *b->cells);
        b->mask = calloc(2 * N + J + 1, 1);
        b->loc = tw_num_locale_new();
    }
    if (!b || !b->scratch || !b->cells || !b->mask || b->loc == (locale_t)0) {
        tw_shock_batch_free(b);
        tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
        return NULL;
    }
    if (kind == TW_SHOCK_TARIFF) memcpy(b->scratch, s->tau, cells * sizeof *b->scratch);
    else for (size_t c = 0; c < cells; c++) b->scratch[c] = 1.0;
    return b;
}

/* The row's rate or factor, checked: TW_OK, or TW_EINPUT with msg. */
static tw_status row_value(const tw_shock_batch *b, const tw_shock_row *row, double *v,
                           char *msg, size_t size)
{
    int ntb = b->kind == TW_SHOCK_NTB;
    const char *vname = dim_name[ntb][3];
    char buf[40];
    const char *text = row->text;
    if (!text) {
        snprintf(buf, sizeof buf, "%.15g", row->value);
        text = buf;
        *v = row->value;
        if (!isfinite(*v)) {
            snprintf(msg, size, "%s \"%s\" is not a finite number", vname, text);
            return TW_EINPUT;
        }
    } else {
        tw_num_status ns = tw_num_parse(text, b->loc, v);
        if (ns != TW_NUM_OK) {
            snprintf(msg, size, "%s \"%.64s\" %s", vname, text, tw_num_what(ns));
            return TW_EINPUT;
        }
    }
    if (!ntb && *v < 0)
        snprintf(msg, size, "rate \"%.64s\" is negative (expected >= 0)", text);
    else if (ntb && !(*v > 0))
        snprintf(msg, size, "factor \"%.64s\" is not positive (expected > 0)", text);
    else if (ntb && !(*v >= TW_NTB_FACTOR_MIN && *v <= TW_NTB_FACTOR_MAX))
        snprintf(msg, size, "factor \"%.64s\" is out of range (expected %g <= factor <= %g)",
                 text, TW_NTB_FACTOR_MIN, TW_NTB_FACTOR_MAX);
    else
        return TW_OK;
    return TW_EINPUT;
}

tw_status tw_shock_batch_add(tw_shock_batch *b, const tw_shock_row *row, tw_error *err)
{
    const tw_world *w = b->s->w;
    unsigned char *m[3] = {b->mask, b->mask + b->N, b->mask + 2 * b->N};
    const char *code[3] = {row->importer, row->exporter, row->sector};
    long ix[3];
    char msg[256];
    for (int d = 0; d < 3; d++) {
        if (tw_cell_code(w, b->kind, d == 2, code[d], &ix[d], msg, sizeof msg))
            return row_error(b, row, d, msg, err);
        tw_cell_mask(w, b->kind, d == 2, ix[d], m[d]);
    }
    if (ix[0] >= 0 && ix[1] >= 0 && ix[0] == ix[1]) {
        tw_cell_domestic_msg(w, b->kind, (size_t)ix[0], msg, sizeof msg);
        return row_error(b, row, 1, msg, err);
    }
    double v;
    if (row_value(b, row, &v, msg, sizeof msg)) return row_error(b, row, 3, msg, err);
    size_t n = tw_cell_list(w, b->kind, m[0], m[1], m[2], b->cells);
    for (size_t q = 0; q < n; q++) b->scratch[b->cells[q]] = v;
    if (!b->file) b->file = row->file;
    b->n_cells += n;
    return TW_OK;
}

size_t tw_shock_batch_cells(const tw_shock_batch *b) { return b ? b->n_cells : 0; }

tw_status tw_shock_batch_commit(tw_shock_batch *b, tw_error *err)
{
    tw_shock *s = b->s;
    size_t cells = b->N * b->N * b->J;
    tw_status st = TW_OK;
    if (b->kind == TW_SHOCK_TARIFF) {
        double *old = s->tau;
        s->tau = b->scratch;
        b->scratch = old;
    } else {
        for (size_t c = 0; c < cells && !st; c++) {
            double d = s->dhat[c] * b->scratch[c];
            /* products of many factors could leave (0, inf); keep the invariant */
            if (!isfinite(d) || !(d > 0))
                st = tw_error_set(err, TW_EINPUT, b->file, 0, 0,
                                  "factors make an iceberg change overflow or vanish");
        }
        for (size_t c = 0; c < cells && !st; c++) s->dhat[c] *= b->scratch[c];
    }
    tw_shock_batch_free(b);
    return st;
}

tw_status tw_shock_apply(tw_shock *s, tw_shock_kind kind, const tw_shock_row *rows, size_t n,
                         size_t *n_cells, tw_error *err)
{
    if (!s || (n && !rows))
        return tw_error_set(err, TW_EARG, NULL, 0, 0, "no shock or rows given");
    tw_shock_batch *b = tw_shock_batch_begin(s, kind, err);
    if (!b) return TW_ENOMEM;
    for (size_t k = 0; k < n; k++) {
        tw_status st = tw_shock_batch_add(b, &rows[k], err);
        if (st) {
            tw_shock_batch_free(b);
            return st;
        }
    }
    size_t count = b->n_cells;
    tw_status st = tw_shock_batch_commit(b, err);
    if (!st && n_cells) *n_cells = count;
    return st;
}

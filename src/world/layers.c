/* layers.c - the optional baseline_layers.csv: the policy layers that the
 * baseline tariffs of tariffs.csv already hold (docs/data-format.md).
 *
 * A row says that layer LAYER contributes rate x share to the tariff of the
 * importer on the exporter's goods of the sector.  The scenario language
 * starts each such layer at that contribution, so a step that sets the layer
 * to it changes nothing, and a later set replaces it (docs/scenario-format.md).
 * Rows are checked as they come: known codes, a tradable sector, no domestic
 * cell, rate >= 0, share in [0, 1], one row per layer and cell, and the
 * layers of a cell summing to no more than the cell's baseline tariff. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "world/loader.h"
#include "core/index.h"
#include "core/suggest.h"

/* The index of name in b's layer names, added when new; TW_ENOMEM. */
static tw_status layer_index(tw_loader *L, const char *name, size_t *out)
{
    tw_base *b = L->w->base;
    for (size_t k = 0; k < b->n_layer_names; k++)
        if (!strcmp(b->layer_names[k], name)) {
            *out = k;
            return TW_OK;
        }
    char **arr = realloc(b->layer_names, (b->n_layer_names + 1) * sizeof *arr);
    if (!arr) return tw_error_set(L->err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    b->layer_names = arr;
    if (!(arr[b->n_layer_names] = strdup(name)))
        return tw_error_set(L->err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    *out = b->n_layer_names++;
    return TW_OK;
}

/* The state of one read: per cell the layers' sum and the last row of the
 * cell, per row the previous row of its cell and its line. */
typedef struct lread {
    double *sum;      /* [n][i][j] */
    size_t *head;     /* [n][i][j] last row of the cell + 1, 0 = none */
    size_t *prev;     /* [row] previous row of its cell + 1 */
    long *lines;      /* [row] */
    size_t cap;
} lread;

/* Room for one more row in b->layer_rows and the per-row arrays. */
static tw_status grow(tw_loader *L, lread *s)
{
    tw_base *b = L->w->base;
    if (b->n_layer_rows < s->cap) return TW_OK;
    size_t cap = s->cap ? 2 * s->cap : 64;
    struct tw_layer_row *rows = realloc(b->layer_rows, cap * sizeof *rows);
    if (rows) b->layer_rows = rows;
    size_t *prev = realloc(s->prev, cap * sizeof *prev);
    if (prev) s->prev = prev;
    long *lines = realloc(s->lines, cap * sizeof *lines);
    if (lines) s->lines = lines;
    if (!rows || !prev || !lines) return tw_error_set(L->err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    s->cap = cap;
    return TW_OK;
}

/* The codes of a row: layer, importer, exporter, sector (tradable, not a
 * domestic cell). */
static tw_status row_cell(tw_loader *L, const tw_csv *r, const long *idx, struct tw_layer_row *row)
{
    const char *name = tw_csv_field(r, (size_t)idx[0]);
    if (!tw_is_name(name))
        return tw_loader_row_error(L, r, "layer",
                                   "layer \"%s\" is not a layer name (expected letters, digits, "
                                   "_, - or ., starting with a letter or _)", name);
    tw_status st = tw_loader_code(L, r, idx[1], "importer", 0, &row->n);
    if (st == TW_OK) st = tw_loader_code(L, r, idx[2], "exporter", 0, &row->i);
    if (st == TW_OK) st = tw_loader_code(L, r, idx[3], "sector", 1, &row->j);
    if (st != TW_OK) return st;
    if (row->n == row->i)
        return tw_loader_row_error(L, r, "exporter",
                                   "%s -> %s is a domestic cell (expected exporter != importer)",
                                   L->w->ccode[row->i], L->w->ccode[row->n]);
    if (!L->w->base->tradable[row->j])
        return tw_loader_row_error(L, r, "sector",
                                   "sector %s is not tradable (a layer holds tariffs, which "
                                   "apply to tradable sectors only)", L->w->scode[row->j]);
    return layer_index(L, name, &row->layer);
}

/* One row of the file into b->layer_rows. */
static tw_status read_row(tw_loader *L, const tw_csv *r, const long *idx, lread *s)
{
    tw_base *b = L->w->base;
    tw_status st = grow(L, s);
    struct tw_layer_row row = {0};
    if (st == TW_OK) st = row_cell(L, r, idx, &row);
    if (st != TW_OK) return st;
    const char *name = b->layer_names[row.layer];
    char what[TW_CODE_MAX * 4 + 16];
    snprintf(what, sizeof what, "%s on %s -> %s %s", name, L->w->ccode[row.i],
             L->w->ccode[row.n], L->w->scode[row.j]);
    size_t c = tw_ix_nij(L->N, L->J, row.n, row.i, row.j);
    for (size_t q = s->head[c]; q; q = s->prev[q - 1])
        if (b->layer_rows[q - 1].layer == row.layer)
            return tw_loader_row_error(L, r, "layer", "duplicate row for %s (first on line %ld)",
                                       what, s->lines[q - 1]);
    if ((st = tw_loader_number(L, r, idx[4], "rate", what, 0, &row.rate)) != TW_OK) return st;
    if ((st = tw_loader_number(L, r, idx[5], "share", what, 0, &row.share)) != TW_OK) return st;
    if (row.share > 1)
        return tw_loader_row_error(L, r, "share",
                                   "share \"%s\" for %s is above 1 (expected 0 <= share <= 1)",
                                   tw_csv_field(r, (size_t)idx[5]), what);
    s->sum[c] += row.rate * row.share;
    if (s->sum[c] > b->tau[c] + 1e-12)
        return tw_loader_row_error(L, r, "rate",
                                   "the layers of %s -> %s %s add up to %.15g, more than the "
                                   "cell's baseline tariff %.15g in tariffs.csv (the baseline "
                                   "holds its layers)", L->w->ccode[row.i], L->w->ccode[row.n],
                                   L->w->scode[row.j], s->sum[c], b->tau[c]);
    size_t k = b->n_layer_rows++;
    b->layer_rows[k] = row;
    s->prev[k] = s->head[c];
    s->lines[k] = tw_csv_line(r);
    s->head[c] = k + 1;
    return TW_OK;
}

tw_status tw_loader_layers(tw_loader *L)
{
    static const char *const req[] = {"layer", "importer", "exporter", "sector", "rate", "share"};
    long idx[6];
    tw_csv *r;
    tw_status st = tw_loader_open(L, "baseline_layers.csv", 1, req, 6, NULL, 0, idx, &r);
    if (st != TW_OK || !r) return st;
    size_t nij = L->N * L->N * L->J;
    lread s = {0};
    s.sum = calloc(nij ? nij : 1, sizeof *s.sum);
    s.head = calloc(nij ? nij : 1, sizeof *s.head);
    if (!s.sum || !s.head) st = tw_error_set(L->err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    /* a file with a header only still marks the world as one with layers */
    if (st == TW_OK && !L->w->base->layer_rows) st = grow(L, &s);
    int got = 0;
    while (st == TW_OK && (got = tw_csv_next(r, L->err)) > 0) st = read_row(L, r, idx, &s);
    if (st == TW_OK && got < 0) st = L->err->code;
    free(s.sum); free(s.head); free(s.prev); free(s.lines);
    tw_csv_close(r);
    return st;
}

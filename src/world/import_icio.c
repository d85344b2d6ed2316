/* import_icio.c - the OECD Inter-Country Input-Output (ICIO) importer.
 *
 * Reads the ICIO matrix CSV as the OECD publishes it (docs/importers.md): the
 * first column holds row labels, the header holds column labels; rows and
 * columns COUNTRY_INDUSTRY (split at the first '_', industry codes may hold
 * more) form the intermediate block, columns COUNTRY_HFCE, _NPISH, _GGFC, _GFCF,
 * _INVNT, _DPABR (P33 in the 2018 edition) the final demand of COUNTRY, and the
 * rows TLS, VA, OUT (TAXSUB, VALU, OUTPUT before 2023) and the column OUT
 * (TOTAL) are totals.  The split tables' MX1/MX2 and CN1/CN2 are merged into
 * MEX and CHN before anything else.  The file is streamed row by row: each
 * value is added to the trade cell and, for the intermediate block, to the
 * buying industry's purchases, so memory is O(N^2 J + N J^2), not the table.
 * Invariant: every value of the table is read and parsed (a bad one is an error
 * at its line), and every country has every industry as a row and a column. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/index.h"
#include "core/num.h"
#include "core/suggest.h"
#include "world/import_impl.h"

enum { COL_SKIP, COL_INTER, COL_FINAL, COL_OUT };

typedef struct col {
    int kind;
    size_t d, j;    /* buying country; industry (COL_INTER) */
    int inventory;  /* COL_FINAL: the change-in-inventories column */
    char *name;     /* the header label */
} col;

static const char *const fd_names[] = {"HFCE", "NPISH", "GGFC", "GFCF", "INVNT", "DPABR", "P33"};

static int is_total_row(const char *s)
{
    static const char *const rows[] = {"TLS", "VA", "OUT", "TAXSUB", "VALU", "OUTPUT"};
    for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++)
        if (!strcmp(s, rows[k])) return 1;
    size_t len = strlen(s);
    return len > 7 && !strcmp(s + len - 7, "_TAXSUB");
}

static int fd_category(const char *s)
{
    return tw_keyword_index(s, fd_names, sizeof fd_names / sizeof fd_names[0]);
}

/* Split "CCC_IND" into country (aliases merged) and the rest; 0 if no '_'. */
static int split_label(const char *label, char *cty, char *rest)
{
    const char *u = strchr(label, '_');
    if (!u || u == label || !u[1]) return 0;
    size_t cl = (size_t)(u - label);
    if (cl >= TW_IMPORT_CODE_MAX || strlen(u + 1) >= TW_IMPORT_CODE_MAX) return 0;
    memcpy(cty, label, cl);
    cty[cl] = '\0';
    strcpy(rest, u + 1);
    if (!strcmp(cty, "MX1") || !strcmp(cty, "MX2")) strcpy(cty, "MEX");
    if (!strcmp(cty, "CN1") || !strcmp(cty, "CN2")) strcpy(cty, "CHN");
    return 1;
}

typedef struct icio {
    const char *path;
    tw_csv *r;
    size_t ncol;
    col *cols;
    tw_codes countries, sectors, labels;
    int merged;
} icio;

/* Classify the header; countries and industries in order of first appearance. */
static tw_status read_header(icio *x, tw_error *err)
{
    tw_status st = tw_csv_header(x->r, NULL, 0, NULL, 0, NULL, err);
    if (st != TW_OK) return st;
    x->ncol = tw_csv_nfields(x->r);
    x->cols = calloc(x->ncol + 1, sizeof *x->cols);
    if (!x->cols) return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    char cty[TW_IMPORT_CODE_MAX], rest[TW_IMPORT_CODE_MAX];
    /* pass 1: the intermediate block fixes the countries and industries */
    for (size_t f = 1; f < x->ncol; f++) {
        const char *h = tw_csv_field(x->r, f);
        if (!(x->cols[f].name = strdup(h))) return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
        if (!strcmp(h, "OUT") || !strcmp(h, "TOTAL")) {
            x->cols[f].kind = COL_OUT;
            continue;
        }
        if (!split_label(h, cty, rest))
            return tw_error_set(err, TW_EINPUT, x->path, 1, 0,
                                "column \"%s\" is not COUNTRY_INDUSTRY, COUNTRY_<final demand> "
                                "or OUT", h);
        if (strncmp(h, cty, strlen(cty)) || h[strlen(cty)] != '_') x->merged = 1;
        long before = tw_codes_find(&x->labels, h);
        if (before >= 0)
            return tw_error_set(err, TW_EINPUT, x->path, 1, 0, "duplicate column \"%s\"", h);
        if ((st = tw_codes_add(&x->labels, h, NULL, err)) != TW_OK) return st;
        if (fd_category(rest) >= 0) {
            x->cols[f].kind = COL_FINAL;
            x->cols[f].inventory = !strcmp(rest, "INVNT");
            continue;
        }
        x->cols[f].kind = COL_INTER;
        if ((st = tw_codes_add(&x->countries, cty, &x->cols[f].d, err)) != TW_OK ||
            (st = tw_codes_add(&x->sectors, rest, &x->cols[f].j, err)) != TW_OK)
            return st;
    }
    if (x->countries.n == 0)
        return tw_error_set(err, TW_EINPUT, x->path, 1, 0,
                            "no COUNTRY_INDUSTRY columns (expected the ICIO matrix layout)");
    /* pass 2: final demand belongs to a country of the intermediate block */
    for (size_t f = 1; f < x->ncol; f++) {
        if (x->cols[f].kind != COL_FINAL) continue;
        const char *h = tw_csv_field(x->r, f);
        split_label(h, cty, rest);
        long d = tw_codes_find(&x->countries, cty);
        if (d < 0)
            return tw_error_set(err, TW_EINPUT, x->path, 1, 0,
                                "final-demand column \"%s\" is for country \"%s\", which has no "
                                "industry columns", h, cty);
        x->cols[f].d = (size_t)d;
    }
    size_t N = x->countries.n, J = x->sectors.n;
    char *have = calloc(N * J, 1);
    if (!have) return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t f = 1; f < x->ncol; f++)
        if (x->cols[f].kind == COL_INTER) have[x->cols[f].d * J + x->cols[f].j] = 1;
    for (size_t c = 0; c < N * J && st == TW_OK; c++)
        if (!have[c])
            st = tw_error_set(err, TW_EINPUT, x->path, 1, 0,
                              "no column %s_%s (expected every country to have every industry)",
                              x->countries.code[c / J], x->sectors.code[c % J]);
    free(have);
    return st;
}

static tw_status read_rows(icio *x, const tw_importer *im, tw_draft *d, double *out_rep,
                           int *have_out, double *inv_total, tw_error *err)
{
    size_t N = d->N, J = d->J;
    locale_t loc = tw_num_locale_new();
    char *seen = calloc(N * J + 1, 1);
    tw_codes rows = {0};
    tw_status st = TW_OK;
    if (loc == (locale_t)0 || !seen) st = tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    char cty[TW_IMPORT_CODE_MAX], rest[TW_IMPORT_CODE_MAX];
    int got = 0;
    while (st == TW_OK && (got = tw_csv_next(x->r, err)) > 0) {
        const char *label = tw_csv_field(x->r, 0);
        if (is_total_row(label)) continue;
        long o = -1, k = -1;
        if (split_label(label, cty, rest)) {
            o = tw_codes_find(&x->countries, cty);
            k = tw_codes_find(&x->sectors, rest);
        }
        if (o < 0 || k < 0) {
            st = tw_import_row_error(err, x->r, "row \"%s\" is not a COUNTRY_INDUSTRY of the "
                                     "header, TLS, VA or OUT", label);
            break;
        }
        if (tw_codes_find(&rows, label) >= 0) {
            st = tw_import_row_error(err, x->r, "duplicate row \"%s\"", label);
            break;
        }
        if ((st = tw_codes_add(&rows, label, NULL, err)) != TW_OK) break;
        seen[(size_t)o * J + (size_t)k] = 1;
        for (size_t f = 1; f < x->ncol && st == TW_OK; f++) {
            const col *c = &x->cols[f];
            const char *text = tw_csv_field(x->r, f);
            double v;
            tw_num_status ns = tw_num_parse(text, loc, &v);
            if (ns != TW_NUM_OK) {
                st = tw_import_row_error(err, x->r, "value \"%s\" in row %s, column %s %s", text,
                                         label, c->name, tw_num_what(ns));
                break;
            }
            if (c->kind == COL_OUT) {
                out_rep[(size_t)o * J + (size_t)k] += v;
                *have_out = 1;
                continue;
            }
            if (c->kind == COL_FINAL && c->inventory && !im->inventories) {
                *inv_total += v;
                continue;
            }
            if (c->kind == COL_INTER && v < 0) {
                st = tw_lines_addf(&d->repairs, err, "%s_%s -> %s_%s: intermediate flow %.6g is "
                                   "negative: set to 0", cty, rest, d->ccode[c->d], d->scode[c->j], v);
                v = 0;
            }
            if (c->kind == COL_SKIP) continue;
            d->trade[tw_ix_nij(N, J, c->d, (size_t)o, (size_t)k)] += v;
            if (c->kind == COL_INTER) d->use[tw_ix_nkj(J, c->d, (size_t)k, c->j)] += v;
        }
    }
    if (got < 0) st = err->code;
    for (size_t c = 0; c < N * J && st == TW_OK; c++)
        if (!seen[c])
            st = tw_error_set(err, TW_EINPUT, x->path, 0, 0, "no row %s_%s (expected one for every "
                              "COUNTRY_INDUSTRY column)", d->ccode[c / J], d->scode[c % J]);
    tw_codes_free(&rows);
    free(seen);
    tw_num_locale_free(loc);
    return st;
}

static const char *const icio_conventions[] = {
    "Layout: OECD ICIO matrix CSV. Rows and columns `COUNTRY_INDUSTRY` are the intermediate "
    "block (basic prices), columns `COUNTRY_HFCE`, `_NPISH`, `_GGFC`, `_GFCF`, `_INVNT` and "
    "`_DPABR` the final demand of COUNTRY, rows `TLS`, `VA`, `OUT` and column `OUT` totals.",
    "Trade: `value` for importer d, exporter o, sector k is the sum over d's industries and "
    "final-demand columns of row o_k: intermediate plus final sales, before tariffs.",
    "Final demand: all six categories count as final demand of the country whose columns they "
    "are: households, non-profits, government, fixed capital formation, change in inventories "
    "and direct purchases abroad by residents.",
    "Taxes less subsidies on products (`TLS`) and value added (`VA`) are not read: with gross "
    "output taken as total sales, the value-added share 1 - (input shares) includes them.",
    "Negative values: a negative intermediate cell is set to 0; a trade cell that ends negative "
    "(inventory draw-downs larger than sales) is set to 0; each is a repair listed below.",
    "`MX1`/`MX2` and `CN1`/`CN2` (the split tables for Mexico and China) are summed into `MEX` "
    "and `CHN` before any share is taken; flows between the two parts become domestic.",
};

static tw_status finish_icio(icio *x, const tw_importer *im, tw_draft *d, tw_error *err)
{
    size_t N = d->N, J = d->J;
    double *out_rep = calloc(N * J + 1, sizeof *out_rep), inv = 0;
    int have_out = 0;
    if (!out_rep) return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    tw_status st = read_rows(x, im, d, out_rep, &have_out, &inv, err);
    for (size_t k = 0; k < sizeof icio_conventions / sizeof icio_conventions[0] && st == TW_OK; k++)
        st = tw_lines_addf(&d->conventions, err, "%s", icio_conventions[k]);
    if (st == TW_OK && !im->inventories)
        st = tw_lines_addf(&d->conventions, err, "The change-in-inventories columns (`INVNT`) were "
                           "left out (total %.6g).", inv);
    if (st == TW_OK && x->merged)
        st = tw_lines_addf(&d->notes, err, "split-table countries (MX1/MX2, CN1/CN2) were merged "
                           "into MEX and CHN");
    if (st == TW_OK) st = tw_importer_apply(im, d, NULL, err);
    if (st == TW_OK) st = tw_draft_clear_negative_trade(d, "inventory draw-downs exceed sales", err);
    if (st == TW_OK && have_out) {
        /* The source's output column is a check only: gross output is sales. */
        double *Y = tw_draft_output(d, err), worst = 0;
        size_t at = 0;
        if (!Y) st = TW_ENOMEM;
        for (size_t c = 0; c < N * J && Y; c++) {
            double a = Y[c], b = out_rep[c], s = a > b ? a : b;
            double gap = s > 0 ? (a > b ? a - b : b - a) / s : 0;
            if (gap > worst) { worst = gap; at = c; }
        }
        if (Y && worst > 1e-9)
            st = tw_lines_addf(&d->notes, err, "gross output is total sales; the source's OUT "
                               "column differs from it by at most %.3g %% (%s %s)", 100 * worst,
                               d->ccode[at / J], d->scode[at % J]);
        free(Y);
    }
    free(out_rep);
    if (st == TW_OK) st = tw_draft_finish(d, err);
    return st;
}

static tw_draft *import_icio(const tw_importer *im, const char *table, tw_error *err)
{
    if (!im || !table) {
        tw_error_set(err, TW_EARG, NULL, 0, 0, "no importer or table");
        return NULL;
    }
    icio x = {0};
    x.path = table;
    tw_draft *d = NULL;
    tw_status st = tw_csv_open(&x.r, table, table, 0, err);
    if (st == TW_OK) tw_csv_set_limits(x.r, 0, im->max_bytes);
    if (st == TW_OK) st = read_header(&x, err);
    if (st == TW_OK && !(d = tw_draft_new("icio", &x.countries, &x.sectors, err))) st = TW_ENOMEM;
    if (st == TW_OK) st = tw_draft_set_text(&d->source, table, err);
    if (st == TW_OK) st = finish_icio(&x, im, d, err);
    tw_csv_close(x.r);
    for (size_t f = 0; f < x.ncol && x.cols; f++) free(x.cols[f].name);
    free(x.cols);
    tw_codes_free(&x.countries);
    tw_codes_free(&x.sectors);
    tw_codes_free(&x.labels);
    return tw_draft_done(d, st);
}

tw_draft *tw_import_icio(const tw_importer *im, const char *table, tw_error *err)
{
    tw_error local; /* the readers use the record throughout; err may be NULL */
    return import_icio(im, table, tw_error_use(err, &local));
}

/* import_bilateral.c - a one-sector world from aggregate bilateral trade and GDP.
 *
 * The Armington / Dekle-Eaton-Kortum world of country-level tariff studies
 * (docs/model.md, J = 1, no inputs): trade.csv holds the bilateral flows of
 * the trade file, and each country's domestic sales are its GDP less its
 * exports, so that gross output (domestic sales + exports) equals GDP.  Where
 * exports exceed GDP (re-export hubs, small islands) domestic sales are clamped
 * to 0 and the repair is reported.  Invariant: every country of the list has a
 * GDP, no flow is domestic, negative or listed twice. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/index.h"
#include "core/num.h"
#include "world/import_impl.h"

typedef struct flow {
    size_t n, i;
    double v;
    long line;
} flow;

typedef struct bilat {
    const tw_importer *im;
    locale_t loc;
    tw_codes countries;
    int fixed;           /* the list comes from the countries table */
    flow *f;
    size_t nf, cap;
    char sector[TW_IMPORT_CODE_MAX];
} bilat;

/* The countries table fixes the list and order of countries. */
static tw_status read_country_list(bilat *b, tw_error *err)
{
    static const char *const req[] = {"code", "name"};
    long idx[2];
    tw_csv *r;
    tw_status st = tw_import_open(b->im->countries, b->im->max_bytes, req, 2, NULL, 0, idx, &r, err);
    int got = 0;
    while (st == TW_OK && (got = tw_csv_next(r, err)) > 0) {
        const char *code = tw_csv_field(r, (size_t)idx[0]);
        if ((st = tw_import_check_code(err, r, code, "country")) != TW_OK) break;
        if (tw_codes_find(&b->countries, code) >= 0) {
            st = tw_import_row_error(err, r, "duplicate country \"%s\"", code);
            break;
        }
        st = tw_codes_add(&b->countries, code, NULL, err);
    }
    if (got < 0) st = err->code;
    tw_csv_close(r);
    b->fixed = 1;
    return st;
}

static tw_status country_of(bilat *b, const tw_csv *r, const char *code, size_t *out,
                            tw_error *err)
{
    tw_status st = tw_import_check_code(err, r, code, "country");
    if (st != TW_OK) return st;
    long k = tw_codes_find(&b->countries, code);
    if (k >= 0) {
        *out = (size_t)k;
        return TW_OK;
    }
    if (b->fixed)
        return tw_import_row_error(err, r, "unknown country \"%s\" (not in %s)", code, b->im->countries);
    return tw_codes_add(&b->countries, code, out, err);
}

static tw_status read_flows(bilat *b, const char *path, tw_error *err)
{
    static const char *const req[] = {"importer", "exporter", "value"};
    long idx[3];
    tw_csv *r;
    tw_status st = tw_import_open(path, b->im->max_bytes, req, 3, NULL, 0, idx, &r, err);
    int got = 0;
    while (st == TW_OK && (got = tw_csv_next(r, err)) > 0) {
        flow x = {0, 0, 0, tw_csv_line(r)};
        const char *ic = tw_csv_field(r, (size_t)idx[0]), *ec = tw_csv_field(r, (size_t)idx[1]);
        if ((st = country_of(b, r, ic, &x.n, err)) != TW_OK ||
            (st = country_of(b, r, ec, &x.i, err)) != TW_OK ||
            (st = tw_import_number(err, r, (size_t)idx[2], "value", b->loc, &x.v)) != TW_OK)
            break;
        if (x.n == x.i) {
            st = tw_import_row_error(err, r, "flow %s->%s is domestic (expected importer != "
                                     "exporter: domestic sales are GDP - exports)", ec, ic);
            break;
        }
        if (x.v < 0) {
            st = tw_import_row_error(err, r, "value \"%s\" for %s->%s is negative (expected >= 0)",
                                     tw_csv_field(r, (size_t)idx[2]), ec, ic);
            break;
        }
        if (b->nf == b->cap) {
            size_t cap = b->cap ? 2 * b->cap : 1024;
            flow *t = realloc(b->f, cap * sizeof *t);
            if (!t) {
                st = tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
                break;
            }
            b->f = t;
            b->cap = cap;
        }
        b->f[b->nf++] = x;
    }
    if (got < 0) st = err->code;
    tw_csv_close(r);
    return st;
}

/* Fill trade and check duplicates (the line of each cell's first row). */
static tw_status place_flows(bilat *b, tw_draft *d, const char *path, tw_error *err)
{
    size_t N = d->N;
    size_t cells = N * N;
    long *seen = calloc(cells + 1, sizeof *seen);
    if (!seen) return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    tw_status st = TW_OK;
    for (size_t k = 0; k < b->nf && st == TW_OK; k++) {
        const flow *x = &b->f[k];
        size_t c = x->n * N + x->i;
        if (seen[c])
            st = tw_error_set(err, TW_EINPUT, path, x->line, 0, "duplicate row for %s->%s (first "
                              "on line %ld)", d->ccode[x->i], d->ccode[x->n], seen[c]);
        seen[c] = x->line;
        d->trade[tw_ix_nij(N, 1, x->n, x->i, 0)] = x->v;
    }
    free(seen);
    return st;
}

static tw_status read_gdp(bilat *b, tw_draft *d, const char *path, double *gdp, tw_error *err)
{
    const char *req[2] = {b->im->gdp_country ? b->im->gdp_country : "country",
                          b->im->gdp_value ? b->im->gdp_value : "gdp"};
    size_t N = d->N;
    long idx[2], *seen = calloc(N + 1, sizeof *seen);
    tw_csv *r = NULL;
    tw_status st = seen ? tw_import_open(path, b->im->max_bytes, req, 2, NULL, 0, idx, &r, err)
                        : tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    int got = 0;
    while (st == TW_OK && (got = tw_csv_next(r, err)) > 0) {
        const char *code = tw_csv_field(r, (size_t)idx[0]);
        long n = tw_codes_find(&b->countries, code);
        double v;
        if (n < 0) {
            st = tw_import_row_error(err, r, "country \"%s\" is not in the trade data", code);
        } else if (seen[n]) {
            st = tw_import_row_error(err, r, "duplicate GDP for %s (first on line %ld)", code, seen[n]);
        } else if ((st = tw_import_number(err, r, (size_t)idx[1], req[1], b->loc, &v)) == TW_OK) {
            if (!(v > 0))
                st = tw_import_row_error(err, r, "%s \"%s\" for %s is not positive (expected > 0)",
                                         req[1], tw_csv_field(r, (size_t)idx[1]), code);
            seen[n] = tw_csv_line(r);
            gdp[n] = v * b->im->gdp_scale;
        }
    }
    if (got < 0) st = err->code;
    for (size_t n = 0; n < N && st == TW_OK; n++)
        if (!seen[n])
            st = tw_error_set(err, TW_EINPUT, path, 0, 0, "no GDP for country \"%s\" (expected one "
                              "row for every country)", d->ccode[n]);
    free(seen);
    tw_csv_close(r);
    return st;
}

/* Domestic sales = GDP - exports, clamped at 0. */
static tw_status domestic_sales(tw_draft *d, const double *gdp, tw_error *err)
{
    size_t N = d->N;
    for (size_t n = 0; n < N; n++) {
        double exports = 0;
        for (size_t m = 0; m < N; m++)
            if (m != n) exports += d->trade[tw_ix_nij(N, 1, m, n, 0)];
        double dom = gdp[n] - exports;
        if (dom < 0) {
            tw_status st = tw_lines_addf(&d->repairs, err, "%s: GDP %.6g is below exports %.6g: "
                                         "domestic sales set to 0 (expected GDP >= exports)",
                                         d->ccode[n], gdp[n], exports);
            if (st != TW_OK) return st;
            dom = 0;
        }
        d->trade[tw_ix_nij(N, 1, n, n, 0)] = dom;
    }
    return TW_OK;
}

/* A one-row sector table names the one sector; otherwise it is GOODS. */
static tw_status sector_code(bilat *b, tw_error *err)
{
    snprintf(b->sector, sizeof b->sector, "GOODS");
    if (!b->im->sectors) return TW_OK;
    static const char *const req[] = {"code", "name", "theta"};
    long idx[3];
    tw_csv *r;
    tw_status st = tw_import_open(b->im->sectors, b->im->max_bytes, req, 3, NULL, 0, idx, &r, err);
    int got = 0, rows = 0;
    while (st == TW_OK && (got = tw_csv_next(r, err)) > 0) {
        if (rows++ == 1) {
            st = tw_import_row_error(err, r, "more than one sector (a bilateral world has one)");
            break;
        }
        const char *code = tw_csv_field(r, (size_t)idx[0]);
        if ((st = tw_import_check_code(err, r, code, "sector")) == TW_OK)
            snprintf(b->sector, sizeof b->sector, "%s", code);
    }
    if (got < 0) st = err->code;
    tw_csv_close(r);
    return st;
}

static const char *const conventions[] = {
    "Layout: a bilateral trade file `importer,exporter,value` (goods, one sector, no inputs) "
    "and a GDP file, in the same units after scaling.",
    "Trade: each row is one `trade.csv` flow; the trade file has no domestic rows.",
    "Domestic sales of a country = its GDP - its exports, so that gross output (domestic sales "
    "+ exports) equals GDP and value added = GDP; where exports exceed GDP, domestic sales are "
    "set to 0 (a repair listed below), as Ignatenko et al. (2025) do.",
    "Final demand: with one sector and no inputs every purchase is final demand (alpha = 1); "
    "deficits are imports - exports of the trade file.",
};

static tw_draft *import_bilateral(const tw_importer *im, const char *trade,
                                  const char *gdp_path, tw_error *err)
{
    if (!im || !trade || !gdp_path) {
        tw_error_set(err, TW_EARG, NULL, 0, 0, "no importer, trade or GDP file");
        return NULL;
    }
    bilat b = {0};
    b.im = im;
    b.loc = tw_num_locale_new();
    tw_draft *d = NULL;
    double *gdp = NULL;
    tw_codes sectors = {0};
    tw_status st = b.loc != (locale_t)0 ? TW_OK : tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    if (st == TW_OK) st = sector_code(&b, err);
    if (st == TW_OK && im->countries) st = read_country_list(&b, err);
    if (st == TW_OK) st = read_flows(&b, trade, err);
    if (st == TW_OK) st = tw_codes_add(&sectors, b.sector, NULL, err);
    if (st == TW_OK && !(d = tw_draft_new("bilateral", &b.countries, &sectors, err))) st = TW_ENOMEM;
    if (st == TW_OK) {
        size_t len = strlen(trade) + strlen(gdp_path) + 8;
        char *src = malloc(len);
        if (!src) st = tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
        else {
            snprintf(src, len, "%s and %s", trade, gdp_path);
            d->source = src;
        }
    }
    if (st == TW_OK) st = tw_draft_set_text(&d->sname[0], "All goods", err);
    if (st == TW_OK) st = place_flows(&b, d, trade, err);
    if (st == TW_OK && !(gdp = calloc(d->N + 1, sizeof *gdp)))
        st = tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    if (st == TW_OK) st = read_gdp(&b, d, gdp_path, gdp, err);
    if (st == TW_OK) st = domestic_sales(d, gdp, err);
    for (size_t k = 0; k < sizeof conventions / sizeof conventions[0] && st == TW_OK; k++)
        st = tw_lines_addf(&d->conventions, err, "%s", conventions[k]);
    if (st == TW_OK && im->gdp_scale != 1)
        st = tw_lines_addf(&d->conventions, err, "GDP was multiplied by %g to convert it to the "
                           "trade file's units.", im->gdp_scale);
    if (st == TW_OK) st = tw_importer_apply(im, d, NULL, err);
    if (st == TW_OK) st = tw_draft_finish(d, err);
    free(gdp);
    free(b.f);
    tw_codes_free(&b.countries);
    tw_codes_free(&sectors);
    tw_num_locale_free(b.loc);
    return tw_draft_done(d, st);
}

tw_draft *tw_import_bilateral(const tw_importer *im, const char *trade, const char *gdp,
                              tw_error *err)
{
    tw_error local; /* the readers use the record throughout; err may be NULL */
    return import_bilateral(im, trade, gdp, tw_error_use(err, &local));
}

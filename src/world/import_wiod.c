/* import_wiod.c - the World Input-Output Database (WIOD) importer.
 *
 * Two CSV exports of a 2016-release WIOT are read (docs/importers.md), told
 * apart by their header:
 *   matrix: IndustryCode, IndustryDescription, Country, RNr, Year, then one
 *           column per country and use, named COUNTRY<use> (the Stata files
 *           prefix a "v": vAUS1), then TOT;
 *   long:   IndustryCode, IndustryDescription, Country, RNr, Year, destination,
 *           use, flow - one value a row.
 * Uses 1..J are the J industries (RNr of the rows), J+1..J+5 the final demand
 * CONS_h, CONS_np, CONS_g, GFCF, INVEN (57..61 in the release); rows whose
 * Country is TOT (II_fob, TXSP, EXP_adj, PURR, PURNR, VA, IntTTM, GO) are totals
 * and are skipped.
 *
 * The 2013 release is read in two forms with the same reader code:
 *   wide:   the release's sheet saved as CSV - a title row ("... 2011"), then
 *           header rows whose last three hold, from the fifth column on, the
 *           use descriptions, the countries and the use codes c1..c35 (the
 *           industries), c37, c38, c39, c41, c42 (households, non-profits,
 *           government, fixed capital formation, inventories) and c62 (output);
 *           each row: ISIC code, description, country, c1..c35; rows r60..r69
 *           (intermediate consumption, valuation, value added, output) are
 *           totals and are skipped;
 *   long:   row_country, row_sector, col_country, col_use, value - one value a
 *           row with the same codes (col_use hh, npish, gov, gfcf, inventories
 *           for final demand), as the source data of data/world2011 ships it.
 * Sectors are then the c-codes.  Invariant: every country has rows 1..J with
 * the same IndustryCode for the same RNr (c-code), and every value is parsed
 * or reported. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/error.h"
#include "core/index.h"
#include "core/num.h"
#include "world/import_impl.h"

#define WIOD_NFD 5 /* CONS_h, CONS_np, CONS_g, GFCF, INVEN */
static const char *const fd_names[WIOD_NFD] = {"CONS_h", "CONS_np", "CONS_g", "GFCF", "INVEN"};
/* the 2013 release: final demand use codes c37..c42, in the long table by name */
static const int fd_codes13[WIOD_NFD] = {37, 38, 39, 41, 42};
static const char *const fd_names13[WIOD_NFD] = {"hh", "npish", "gov", "gfcf", "inventories"};
#define WIOD13_OUTPUT 62 /* c62: output */
#define WIOD13_MAXJ 36   /* industries are c1..c36 at most (c37 is households) */
#define WIOD13_SCAN 10   /* lines in which the wide sheet's code row is looked for */
#define WIOD13_LABELS 4  /* label columns of the wide sheet before the values */

enum { M_CODE, M_COUNTRY, M_RNR, M_DESC, M_YEAR, M_DEST, M_USE, M_FLOW, M_N };

typedef struct wiod {
    const char *path;
    const tw_importer *im;
    tw_csv *r;
    long idx[M_N];
    int is_long;
    int rel13;              /* the 2013 release's codes (c1, ...) */
    locale_t loc;
    tw_codes countries;
    size_t J;               /* industries */
    size_t nind;            /* entries of icode and idesc */
    char **icode, **idesc;  /* [nind] per RNr */
    double *out_rep;        /* [N][J] the TOT column, when present */
    int have_out;
    double inv_total;
    size_t ncol;
    long *col_d, *col_u;    /* matrix: per header field: country, use (0-based); -1 = not a value */
    char **col_name;        /* matrix: the header */
    long tot_col;
    char year[32];          /* the Year column of the first industry row */
} wiod;

static int is_meta(const char *h)
{
    static const char *const m[] = {"IndustryCode", "IndustryDescription", "Country", "RNr", "Year"};
    for (size_t k = 0; k < 5; k++)
        if (!strcmp(h, m[k])) return 1;
    return 0;
}

/* The n of a 2013 use or industry code "c<n>" (n >= 1), else 0. */
static long code13(const char *s)
{
    if (s[0] != 'c' || s[1] < '1' || s[1] > '9') return 0;
    char *end;
    long v = strtol(s + 1, &end, 10);
    return *end ? 0 : v;
}

/* RNr of the current row (1-based; 2013: the n of c<n>), or 0 when it is not
 * an industry number. */
static long row_rnr(const wiod *x)
{
    const char *s = tw_csv_field(x->r, (size_t)x->idx[M_RNR]);
    if (x->rel13) {
        long v = code13(s);
        return v <= WIOD13_MAXJ ? v : 0;
    }
    char *end;
    long v = strtol(s, &end, 10);
    return (s[0] && !*end && v >= 1) ? v : 0;
}

/* How the rows number their industries, for messages: "RNr 3" or "c3". */
static const char *rnr_word(const wiod *x) { return x->rel13 ? "c" : "RNr "; }

/* The current row's industry is not 1..J (J = 0: not known yet). */
static tw_status bad_rnr(const wiod *x, size_t J, tw_error *err)
{
    const char *s = tw_csv_field(x->r, (size_t)x->idx[M_RNR]);
    if (x->rel13)
        return J ? tw_import_row_error(err, x->r, "industry code \"%s\" is not c1 to c%zu (or a "
                                       "total row r60 to r69)", s, J)
                 : tw_import_row_error(err, x->r, "row_sector \"%s\" is not an industry code "
                                       "(expected c1 to c%d)", s, WIOD13_MAXJ);
    return J ? tw_import_row_error(err, x->r, "RNr \"%s\" is not an industry number (expected 1 "
                                   "to %zu)", s, J)
             : tw_import_row_error(err, x->r, "RNr \"%s\" is not an industry number (expected a "
                                   "whole number >= 1)", s);
}

/* A valuation or total row: Country TOT (2016), a code r60..r69 or a row
 * with no labels (2013). */
static int total_row(const wiod *x)
{
    const char *cty = tw_csv_field(x->r, (size_t)x->idx[M_COUNTRY]);
    if (!x->rel13) return !strcmp(cty, "TOT");
    const char *c = tw_csv_field(x->r, (size_t)x->idx[M_RNR]);
    return c[0] == 'r' || (!c[0] && !cty[0]);
}

/* Record the industry code and description of RNr rnr; codes must agree.
 * The first industry row also gives the table's year. */
static tw_status note_industry(wiod *x, long rnr, tw_error *err)
{
    if (!x->year[0] && x->idx[M_YEAR] >= 0)
        snprintf(x->year, sizeof x->year, "%s", tw_csv_field(x->r, (size_t)x->idx[M_YEAR]));
    const char *code = tw_csv_field(x->r, (size_t)x->idx[M_CODE]);
    tw_status st = tw_import_check_code(err, x->r, code, "industry");
    if (st != TW_OK) return st;
    if ((size_t)rnr > x->nind) {
        char **c = realloc(x->icode, (size_t)rnr * sizeof *c);
        if (c) x->icode = c;
        char **dsc = c ? realloc(x->idesc, (size_t)rnr * sizeof *dsc) : NULL;
        if (dsc) x->idesc = dsc;
        if (!dsc) return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
        for (size_t k = x->nind; k < (size_t)rnr; k++) x->icode[k] = x->idesc[k] = NULL;
        x->nind = (size_t)rnr;
    }
    size_t k = (size_t)rnr - 1;
    if (x->icode[k]) {
        if (strcmp(x->icode[k], code))
            return tw_import_row_error(err, x->r, "IndustryCode \"%s\" for RNr %ld differs from "
                                       "\"%s\" on earlier rows", code, rnr, x->icode[k]);
        return TW_OK;
    }
    x->icode[k] = strdup(code);
    x->idesc[k] = strdup(x->idx[M_DESC] >= 0 ? tw_csv_field(x->r, (size_t)x->idx[M_DESC]) : "");
    if (!x->icode[k] || !x->idesc[k]) return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    return TW_OK;
}

/* Add value v of origin (o, k) bought by country dd for use u (0-based). */
static tw_status add_value(wiod *x, tw_draft *d, size_t o, size_t k, size_t dd, size_t u,
                           double v, tw_error *err)
{
    size_t N = d->N, J = d->J;
    if (u >= J && u - J == WIOD_NFD - 1 && !x->im->inventories) {
        x->inv_total += v;
        return TW_OK;
    }
    if (u < J && v < 0) {
        tw_status st = tw_lines_addf(&d->repairs, err, "%s %s -> %s %s: intermediate flow %.6g "
                                     "is negative: set to 0", d->ccode[o], d->scode[k],
                                     d->ccode[dd], d->scode[u], v);
        if (st != TW_OK) return st;
        v = 0;
    }
    d->trade[tw_ix_nij(N, J, dd, o, k)] += v;
    if (u < J) d->use[tw_ix_nkj(J, dd, k, u)] += v;
    return TW_OK;
}

/* ---- matrix layout -------------------------------------------------------- */

/* Split a value column name into country and use number: [v]CCC<digits>. */
static int split_column(const wiod *x, const char *h, long *d, long *num)
{
    size_t len = strlen(h), p = len;
    while (p > 0 && h[p - 1] >= '0' && h[p - 1] <= '9') p--;
    if (p == len || p == 0 || p >= TW_IMPORT_CODE_MAX) return 0;
    char cty[TW_IMPORT_CODE_MAX];
    memcpy(cty, h, p);
    cty[p] = '\0';
    *num = strtol(h + p, NULL, 10);
    *d = tw_codes_find(&x->countries, cty);
    if (*d < 0 && cty[0] == 'v') *d = tw_codes_find(&x->countries, cty + 1);
    return 1;
}

/* Keep a copy of every header field (the rows name their columns by it). */
static tw_status header_names(wiod *x, tw_error *err)
{
    x->ncol = tw_csv_nfields(x->r);
    x->col_d = malloc(x->ncol * sizeof *x->col_d);
    x->col_u = malloc(x->ncol * sizeof *x->col_u);
    x->col_name = calloc(x->ncol, sizeof *x->col_name);
    if (!x->col_d || !x->col_u || !x->col_name)
        return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t f = 0; f < x->ncol; f++)
        if (!(x->col_name[f] = strdup(tw_csv_field(x->r, f))))
            return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    return TW_OK;
}

/* The countries are the prefixes of the value columns (the Stata "v" dropped),
 * in order; *maxnum is the largest use number.  Finds the TOT column too. */
static tw_status header_countries(wiod *x, long *maxnum, tw_error *err)
{
    char cty[TW_IMPORT_CODE_MAX];
    for (size_t f = 0; f < x->ncol; f++) {
        const char *h = tw_csv_field(x->r, f);
        x->col_d[f] = x->col_u[f] = -1;
        if (is_meta(h)) continue;
        if (!strcmp(h, "TOT")) {
            x->tot_col = (long)f;
            continue;
        }
        size_t len = strlen(h), p = len;
        while (p > 0 && h[p - 1] >= '0' && h[p - 1] <= '9') p--;
        if (p == len || p == 0 || p >= TW_IMPORT_CODE_MAX)
            return tw_error_set(err, TW_EINPUT, x->path, 1, 0, "column \"%s\" is not COUNTRY<use "
                                "number> (e.g. AUS1), a WIOT label column or TOT", h);
        size_t skip = (p == 4 && h[0] == 'v') ? 1 : 0;
        memcpy(cty, h + skip, p - skip);
        cty[p - skip] = '\0';
        tw_status st = tw_codes_add(&x->countries, cty, NULL, err);
        if (st != TW_OK) return st;
        long num = strtol(h + p, NULL, 10);
        if (num > *maxnum) *maxnum = num;
    }
    return TW_OK;
}

/* Give each value column its country and use (have[d * U + use] marks the
 * ones seen), refusing bad and duplicate use numbers. */
static tw_status header_uses(wiod *x, char *have, size_t U, long maxnum, tw_error *err)
{
    tw_status st = TW_OK;
    for (size_t f = 0; f < x->ncol && st == TW_OK; f++) {
        const char *h = tw_csv_field(x->r, f);
        long d, num;
        if (is_meta(h) || (long)f == x->tot_col || !split_column(x, h, &d, &num)) continue;
        if (num < 1 || d < 0) {
            st = tw_error_set(err, TW_EINPUT, x->path, 1, 0, "column \"%s\" has use number %ld "
                              "(expected 1 to %ld)", h, num, maxnum);
        } else if (have[(size_t)d * U + (size_t)num - 1]) {
            st = tw_error_set(err, TW_EINPUT, x->path, 1, 0, "duplicate column \"%s\"", h);
        } else {
            have[(size_t)d * U + (size_t)num - 1] = 1;
            x->col_d[f] = d;
            x->col_u[f] = num - 1;
        }
    }
    return st;
}

static tw_status matrix_header(wiod *x, tw_error *err)
{
    tw_status st = header_names(x, err);
    if (st != TW_OK) return st;
    x->tot_col = -1;
    /* uses run 1..J+5 for every country */
    long maxnum = 0;
    st = header_countries(x, &maxnum, err);
    if (st != TW_OK) return st;
    if (maxnum <= WIOD_NFD)
        return tw_error_set(err, TW_EINPUT, x->path, 1, 0, "no value columns (expected COUNTRY1 "
                            "... COUNTRY<J+5>: J industries and 5 final-demand uses)");
    size_t N = x->countries.n, U = (size_t)maxnum;
    char *have = calloc(N * U, 1);
    if (!have) return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    st = header_uses(x, have, U, maxnum, err);
    for (size_t c = 0; c < N * U && st == TW_OK; c++)
        if (!have[c])
            st = tw_error_set(err, TW_EINPUT, x->path, 1, 0, "no column %s%zu (expected uses 1 to "
                              "%zu for every country)", x->countries.code[c / U], c % U + 1, U);
    free(have);
    x->J = 0;
    if (st == TW_OK) x->J = U - WIOD_NFD; /* fixed by the header; rows must match it */
    return st;
}

static tw_status matrix_rows(wiod *x, tw_draft *d, tw_error *err)
{
    size_t N = d->N, J = d->J;
    char *seen = calloc(N * J + 1, 1);
    tw_status st = seen ? TW_OK : tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    int got = 0;
    while (st == TW_OK && (got = tw_csv_next(x->r, err)) > 0) {
        const char *cty = tw_csv_field(x->r, (size_t)x->idx[M_COUNTRY]);
        if (total_row(x)) continue;
        long o = tw_codes_find(&x->countries, cty), rnr = row_rnr(x);
        if (o < 0) {
            st = tw_import_row_error(err, x->r, "country \"%s\" has no columns", cty);
            break;
        }
        if (rnr < 1 || (size_t)rnr > J) {
            st = bad_rnr(x, J, err);
            break;
        }
        size_t k = (size_t)rnr - 1;
        if (seen[(size_t)o * J + k]) {
            st = tw_import_row_error(err, x->r, "duplicate row for %s %s%ld", cty, rnr_word(x), rnr);
            break;
        }
        seen[(size_t)o * J + k] = 1;
        if ((st = note_industry(x, rnr, err)) != TW_OK) break;
        for (size_t f = 0; f < x->ncol && st == TW_OK; f++) {
            if (x->col_d[f] < 0 && (long)f != x->tot_col) continue;
            double v;
            const char *text = tw_csv_field(x->r, f);
            tw_num_status ns = tw_num_parse(text, x->loc, &v);
            if (ns != TW_NUM_OK) {
                st = tw_import_row_error(err, x->r, "value \"%s\" in column %s %s", text,
                                         x->col_name[f], tw_num_what(ns));
                break;
            }
            if ((long)f == x->tot_col) {
                x->out_rep[(size_t)o * J + k] += v;
                x->have_out = 1;
                continue;
            }
            st = add_value(x, d, (size_t)o, k, (size_t)x->col_d[f], (size_t)x->col_u[f], v, err);
        }
    }
    if (got < 0) st = err->code;
    for (size_t c = 0; c < N * J && st == TW_OK; c++)
        if (!seen[c])
            st = tw_error_set(err, TW_EINPUT, x->path, 0, 0, "no row for %s %s%zu (expected "
                              "rows %s1 to %s%zu for every country)", d->ccode[c / J],
                              rnr_word(x), c % J + 1, x->rel13 ? "c" : "", x->rel13 ? "c" : "", J);
    free(seen);
    return st;
}

/* ---- long layout ---------------------------------------------------------- */

/* Use field: a number 1..J+5 or a final-demand name; 0-based, -1 if bad. */
static long parse_use(const wiod *x, const char *s)
{
    if (x->rel13) {
        long n = code13(s);
        for (size_t c = 0; c < WIOD_NFD; c++)
            if (!strcmp(s, fd_names13[c]) || n == fd_codes13[c]) return (long)(x->J + c);
        return n >= 1 && (size_t)n <= x->J ? n - 1 : -1;
    }
    for (size_t c = 0; c < WIOD_NFD; c++)
        if (!strcmp(s, fd_names[c])) return (long)(x->J + c);
    if (!strcmp(s, "GGFC")) return (long)(x->J + 2);
    char *end;
    long v = strtol(s, &end, 10);
    if (!s[0] || *end || v < 1 || (size_t)v > x->J + WIOD_NFD) return -1;
    return v - 1;
}

/* The next row of the long layout that is not a total (Country TOT), with its
 * origin and destination country: > 0, or 0 at the end, < 0 on a read error
 * (tw_csv_next). */
static int long_next(wiod *x, const char **origin, const char **dest, tw_error *err)
{
    int got;
    while ((got = tw_csv_next(x->r, err)) > 0) {
        *origin = tw_csv_field(x->r, (size_t)x->idx[M_COUNTRY]);
        *dest = tw_csv_field(x->r, (size_t)x->idx[M_DEST]);
        if (strcmp(*origin, "TOT")) break;
    }
    return got;
}

/* Pass 1: countries (origins, then destinations, in order) and industries. */
static tw_status long_scan(wiod *x, tw_error *err)
{
    tw_status st = TW_OK;
    int got = 0;
    const char *o, *dd;
    while (st == TW_OK && (got = long_next(x, &o, &dd, err)) > 0) {
        long rnr = row_rnr(x);
        if (!rnr) {
            st = bad_rnr(x, 0, err);
            break;
        }
        if ((st = tw_import_check_code(err, x->r, o, "country")) != TW_OK ||
            (st = tw_codes_add(&x->countries, o, NULL, err)) != TW_OK ||
            (st = note_industry(x, rnr, err)) != TW_OK)
            break;
        if (strcmp(dd, "TOT") && ((st = tw_import_check_code(err, x->r, dd, "country")) != TW_OK ||
                                  (st = tw_codes_add(&x->countries, dd, NULL, err)) != TW_OK))
            break;
    }
    if (got < 0) st = err->code;
    x->J = x->nind;
    for (size_t k = 0; k < x->J && st == TW_OK; k++)
        if (!x->icode[k])
            st = tw_error_set(err, TW_EINPUT, x->path, 0, 0, "no row with %s%zu (expected "
                              "industries %s1 to %s%zu)", rnr_word(x), k + 1, x->rel13 ? "c" : "",
                              x->rel13 ? "c" : "", x->J);
    if (st == TW_OK && x->J == 0)
        st = tw_error_set(err, TW_EINPUT, x->path, 0, 0, "no industry rows");
    return st;
}

/* Pass 2: the values. */
static tw_status long_rows(wiod *x, tw_draft *d, tw_error *err)
{
    size_t J = d->J;
    tw_status st = TW_OK;
    int got = 0;
    const char *cty, *dd;
    while (st == TW_OK && (got = long_next(x, &cty, &dd, err)) > 0) {
        size_t o = (size_t)tw_codes_find(&x->countries, cty), k = (size_t)row_rnr(x) - 1;
        double v;
        if ((st = tw_import_number(err, x->r, (size_t)x->idx[M_FLOW], "flow", x->loc, &v)) != TW_OK)
            break;
        if (!strcmp(dd, "TOT")) {
            x->out_rep[o * J + k] += v;
            x->have_out = 1;
            continue;
        }
        const char *us = tw_csv_field(x->r, (size_t)x->idx[M_USE]);
        long u = parse_use(x, us);
        if (u < 0) {
            st = x->rel13 ? tw_import_row_error(err, x->r, "col_use \"%s\" is not c1 to c%zu or hh, "
                                                "npish, gov, gfcf, inventories", us, J)
                          : tw_import_row_error(err, x->r, "use \"%s\" is not 1 to %zu or CONS_h, "
                                                "CONS_np, CONS_g, GFCF, INVEN", us, J + WIOD_NFD);
            break;
        }
        st = add_value(x, d, o, k, (size_t)tw_codes_find(&x->countries, dd), (size_t)u, v, err);
    }
    if (got < 0) st = err->code;
    return st;
}

/* ---- the 2013 release's wide sheet ---------------------------------------- */

/* The year: the last four characters of the title (the first field of the
 * first line), when they are digits. */
static void title_year(wiod *x)
{
    const char *t = tw_csv_field(x->r, 0);
    size_t n = strlen(t);
    if (n < 4) return;
    for (size_t k = n - 4; k < n; k++)
        if (t[k] < '0' || t[k] > '9') return;
    snprintf(x->year, sizeof x->year, "%s", t + n - 4);
}

/* Read up to the code row (fifth field "c1") within the first WIOD13_SCAN
 * lines; the row before it, the countries, is copied to x->col_name.  1 when
 * found, 0 when not, -1 on a read error. */
static int find_code_row(wiod *x, tw_error *err)
{
    int got = 0;
    for (int line = 0; line < WIOD13_SCAN && (got = tw_csv_next(x->r, err)) > 0; line++) {
        if (line == 0) title_year(x);
        if (!strcmp(tw_csv_field(x->r, WIOD13_LABELS), "c1")) return 1;
        for (size_t f = 0; f < x->ncol; f++) free(x->col_name[f]);
        free(x->col_name);
        free(x->col_d);
        free(x->col_u);
        x->col_name = NULL;
        x->col_d = x->col_u = NULL;
        x->ncol = 0;
        if (header_names(x, err) != TW_OK) return -1;
    }
    return got < 0 ? -1 : 0;
}

/* Column f of the code row: its country (from the row above) and use code
 * number; 0 for a column with neither (a gap), -1 when the code is not c<n>. */
static long wide13_use(const wiod *x, size_t f, const char **cty)
{
    *cty = f < x->ncol ? x->col_name[f] : "";
    const char *code = tw_csv_field(x->r, f);
    if (!code[0] && !(*cty)[0]) return 0;
    long n = code13(code);
    return n ? n : -1;
}

/* Name column f "COUNTRY cN" for messages (the country row's copy is replaced). */
static tw_status wide13_name(wiod *x, size_t f, const char *cty, tw_error *err)
{
    const char *code = tw_csv_field(x->r, f);
    char *name = malloc(strlen(cty) + strlen(code) + 2);
    if (!name) return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    sprintf(name, "%s%s%s", cty, cty[0] ? " " : "", code);
    free(x->col_name[f]);
    x->col_name[f] = name;
    return TW_OK;
}

/* Pass over the code row: countries (in order), J (the largest industry code),
 * and the output column; refuses unknown codes. */
static tw_status wide13_countries(wiod *x, size_t nf, tw_error *err)
{
    tw_status st = TW_OK;
    for (size_t f = WIOD13_LABELS; f < nf && st == TW_OK; f++) {
        const char *cty;
        long n = wide13_use(x, f, &cty);
        int fd = 0;
        for (size_t c = 0; c < WIOD_NFD; c++) fd |= n == fd_codes13[c];
        if (n == WIOD13_OUTPUT) {
            x->tot_col = (long)f;
        } else if (n < 0 || (n > WIOD13_MAXJ && !fd)) {
            st = tw_import_row_error(err, x->r, "column %zu: use code \"%s\" is not c1 to c%d "
                                     "(industries), c37, c38, c39, c41, c42 (final demand) or c62 "
                                     "(output)", f + 1, tw_csv_field(x->r, f), WIOD13_MAXJ);
        } else if (n > 0) {
            if (n <= WIOD13_MAXJ && (size_t)n > x->J) x->J = (size_t)n;
            if ((st = tw_import_check_code(err, x->r, cty, "country")) == TW_OK)
                st = tw_codes_add(&x->countries, cty, NULL, err);
        }
    }
    return st;
}

/* Give each value column of the code row its country and use (0-based:
 * industries 0..J-1, final demand J..J+4) and name it for messages;
 * have[d * U + use] marks the uses seen, and each must be seen once. */
static tw_status wide13_uses(wiod *x, char *have, size_t U, tw_error *err)
{
    tw_status st = TW_OK;
    for (size_t f = 0; f < x->ncol && st == TW_OK; f++) {
        const char *cty = "";
        long n = f < WIOD13_LABELS ? 0 : wide13_use(x, f, &cty), use = -1;
        x->col_d[f] = x->col_u[f] = -1;
        if (n == WIOD13_OUTPUT) st = wide13_name(x, f, cty, err);
        for (size_t c = 0; c < WIOD_NFD; c++)
            if (n == fd_codes13[c]) use = (long)(x->J + c);
        if (n >= 1 && n <= WIOD13_MAXJ) use = n - 1;
        if (use < 0) continue;
        long dd = tw_codes_find(&x->countries, cty);
        if (have[(size_t)dd * U + (size_t)use])
            st = tw_import_row_error(err, x->r, "duplicate column %s %s (column %zu)", cty,
                                     tw_csv_field(x->r, f), f + 1);
        else if ((st = wide13_name(x, f, cty, err)) == TW_OK) {
            have[(size_t)dd * U + (size_t)use] = 1;
            x->col_d[f] = dd;
            x->col_u[f] = use;
        }
    }
    for (size_t c = 0; c < x->countries.n * U && st == TW_OK; c++)
        if (!have[c]) {
            size_t use = c % U;
            st = tw_import_row_error(err, x->r, "no column %s c%d (expected c1 to c%zu, c37, c38, "
                                     "c39, c41 and c42 for every country)", x->countries.code[c / U],
                                     use < x->J ? (int)use + 1 : fd_codes13[use - x->J], x->J);
        }
    return st;
}

/* The header rows of the wide sheet: each value column gets its country and
 * use (0-based: industries 0..J-1, final demand J..J+4). */
static tw_status wide13_header(wiod *x, tw_error *err)
{
    tw_status st = tw_import_refuse_gzip(x->path, err);
    if (st == TW_OK) st = tw_csv_open(&x->r, x->path, x->path, 0, err);
    if (st != TW_OK) return st;
    tw_csv_set_limits(x->r, 0, x->im->max_bytes);
    int found = find_code_row(x, err);
    if (found < 0) return err->code;
    if (!found)
        return tw_error_set(err, TW_EINPUT, x->path, 0, 0, "no row of use codes c1, c2, ... from "
                            "the fifth column in the first %d lines (expected the WIOD 2013 "
                            "release's sheet)", WIOD13_SCAN);
    size_t nf = tw_csv_nfields(x->r), have_n = x->ncol;
    x->tot_col = -1;
    x->J = 0;
    if ((st = wide13_countries(x, nf, err)) != TW_OK) return st;
    size_t N = x->countries.n, U = x->J + WIOD_NFD;
    long *d = malloc(nf * sizeof *d), *u = malloc(nf * sizeof *u);
    char **names = calloc(nf, sizeof *names), *have = calloc(N * U + 1, 1);
    for (size_t f = 0; f < have_n; f++) {
        if (names && f < nf) names[f] = x->col_name[f];
        else free(x->col_name[f]);
    }
    free(x->col_name);
    free(x->col_d);
    free(x->col_u);
    x->col_name = names, x->col_d = d, x->col_u = u, x->ncol = names ? nf : 0;
    if (!d || !u || !names || !have) {
        free(have);
        return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    }
    st = wide13_uses(x, have, U, err);
    free(have);
    x->idx[M_CODE] = x->idx[M_RNR] = 3;
    x->idx[M_DESC] = 1;
    x->idx[M_COUNTRY] = 2;
    x->idx[M_YEAR] = -1;
    if (st == TW_OK && x->J == 0)
        st = tw_import_row_error(err, x->r, "no industry columns c1, c2, ...");
    return st;
}

/* ---- the entry point ------------------------------------------------------ */

static const char *const wiod_conventions[] = {
    "Layout: WIOD 2016 release world input-output table (WIOT) as CSV. Uses 1..J are the "
    "industries (the RNr of the rows), J+1..J+5 the final demand CONS_h (households), CONS_np "
    "(non-profits), CONS_g (government), GFCF (fixed capital formation) and INVEN (change in "
    "inventories); rows whose Country is TOT are totals and are not read.",
    "Trade: `value` for importer d, exporter o, sector k is the sum over d's industries and "
    "final-demand uses of o's industry k: intermediate plus final sales at basic prices, "
    "before tariffs.",
    "Final demand: all five categories count as final demand of the destination country.",
    "Taxes less subsidies on products (TXSP), international transport margins (IntTTM), "
    "cif/fob adjustments and direct purchases (PURR, PURNR) are total rows and are not read: "
    "with gross output taken as total sales, the value-added share 1 - (input shares) "
    "includes them.",
    "Negative values: a negative intermediate cell is set to 0; a trade cell that ends negative "
    "(inventory draw-downs larger than sales) is set to 0; each is a repair listed below.",
};

/* The long table of the 2013 codes: row_country, row_sector, col_country,
 * col_use, value. */
/* How the 2013 release differs: wiod_conventions[0] and [3]. */
static const char *const wiod13_conventions[] = {
    "Layout: WIOD 2013 release world input-output table (WIOT) as CSV. Uses c1..cJ are the "
    "industries (the codes of the rows), c37, c38, c39, c41, c42 the final demand of households, "
    "non-profits, government, gross fixed capital formation and changes in inventories (in the "
    "long table hh, npish, gov, gfcf, inventories); rows r60 to r69 are totals and are not read.",
    "Taxes less subsidies on products, cif/fob adjustments, direct purchases abroad and by "
    "non-residents and international transport margins are total rows (r61 to r69) and are not "
    "read: with gross output taken as total sales, the value-added share 1 - (input shares) "
    "includes them.",
};

/* Open the table of a header layout (2016 exports, 2013 long table) and find
 * its columns: the 2016 long export by destination, use and flow. */
static tw_status open_table(wiod *x, tw_error *err)
{
    static const char *const req[] = {"IndustryCode", "Country", "RNr"};
    static const char *const opt[] = {"IndustryDescription", "Year", "destination", "use", "flow"};
    static const char *const req13[] = {"row_country", "row_sector", "col_country", "col_use",
                                        "value"};
    /* the position of each M_ field among the columns asked for (-1: none) */
    static const int at[M_N] = {0, 1, 2, 3, 4, 5, 6, 7};
    static const int at13[M_N] = {[M_CODE] = 1, [M_COUNTRY] = 0, [M_RNR] = 1, [M_DESC] = -1,
                                  [M_YEAR] = -1, [M_DEST] = 2, [M_USE] = 3, [M_FLOW] = 4};
    long idx[8];
    tw_csv_close(x->r);
    x->r = NULL;
    tw_status st = x->rel13 ? tw_import_open(x->path, x->im->max_bytes, req13, 5, NULL, 0, idx,
                                             &x->r, err)
                            : tw_import_open(x->path, x->im->max_bytes, req, 3, opt, 5, idx,
                                             &x->r, err);
    if (st != TW_OK) return st;
    for (int m = 0; m < M_N; m++) {
        int k = x->rel13 ? at13[m] : at[m];
        x->idx[m] = k < 0 ? -1 : idx[k];
    }
    int nlong = x->rel13 ? 3 : (idx[5] >= 0) + (idx[6] >= 0) + (idx[7] >= 0);
    if (nlong && nlong < 3)
        return tw_error_set(err, TW_EINPUT, x->path, 1, 0, "the long layout needs the columns "
                            "destination, use and flow (found only some of them)");
    x->is_long = nlong == 3;
    return TW_OK;
}

/* The layout of the first lines of a table: 2016 (a header naming
 * IndustryCode), 13 (the header row_country,... of the 2013 long table), 2013
 * (a row of use codes c1, c2, ... from the fifth column: the 2013 sheet), or 0. */
static int sniff(tw_csv *r, int *got, tw_error *err)
{
    for (int line = 0; line < WIOD13_SCAN && (*got = tw_csv_next(r, err)) > 0; line++) {
        for (size_t f = 0; line == 0 && f < tw_csv_nfields(r); f++) {
            if (!strcmp(tw_csv_field(r, f), "IndustryCode")) return 2016;
            if (!strcmp(tw_csv_field(r, f), "row_country")) return 13;
        }
        if (!strcmp(tw_csv_field(r, WIOD13_LABELS), "c1")) return 2013;
    }
    return 0;
}

/* Which release's layout the table is in (x->rel13, x->is_long for the 2013
 * long table): --layout, else the first lines of a regular file (a pipe is
 * read once, as a 2016 export).  Without --layout 2013 a table of no known
 * layout goes to the 2016 reader, which says what it misses. */
static tw_status detect(wiod *x, tw_error *err)
{
    struct stat sb;
    int want = x->im->wiod_layout;
    if (want == 2016 || (!want && (stat(x->path, &sb) != 0 || !S_ISREG(sb.st_mode)))) return TW_OK;
    tw_csv *r = NULL;
    tw_status st = tw_import_refuse_gzip(x->path, err);
    if (st == TW_OK) st = tw_csv_open(&r, x->path, x->path, 0, err);
    if (st != TW_OK) return st;
    tw_csv_set_limits(r, 0, x->im->max_bytes);
    int got = 0, kind = sniff(r, &got, err);
    tw_csv_close(r);
    if (got < 0) return err->code;
    if (want == 2013 && kind != 13 && kind != 2013)
        return tw_error_set(err, TW_EINPUT, x->path, 0, 0, "not a WIOD 2013 release table "
                            "(expected a row of use codes c1, c2, ... from the fifth column in the "
                            "first %d lines, or the header row_country,row_sector,col_country,"
                            "col_use,value)", WIOD13_SCAN);
    x->rel13 = kind == 13 || kind == 2013;
    x->is_long = kind == 13;
    return TW_OK;
}

/* Open the table and read its header (both passes' first for the long
 * layouts, which are then read again from the first row). */
static tw_status read_header(wiod *x, tw_error *err)
{
    tw_status st = detect(x, err);
    if (st != TW_OK) return st;
    if (x->rel13 && !x->is_long) return wide13_header(x, err);
    st = open_table(x, err);
    if (st == TW_OK) st = x->is_long ? long_scan(x, err) : matrix_header(x, err);
    if (st == TW_OK && x->is_long) st = open_table(x, err); /* back to the first row */
    return st;
}

static tw_status build(wiod *x, tw_draft **out, tw_error *err)
{
    tw_status st = read_header(x, err);
    tw_codes sectors = {0};
    for (size_t k = 0; k < x->J && st == TW_OK; k++) {
        char tmp[32];
        snprintf(tmp, sizeof tmp, "%zu", k + 1);
        st = tw_codes_add(&sectors, tmp, NULL, err);
    }
    tw_draft *d = NULL;
    if (st == TW_OK && !(d = tw_draft_new("wiod", &x->countries, &sectors, err))) st = TW_ENOMEM;
    tw_codes_free(&sectors);
    *out = d;
    if (st == TW_OK && !(x->out_rep = calloc(d->N * d->J + 1, sizeof(double))))
        st = tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    if (st == TW_OK) st = x->is_long ? long_rows(x, d, err) : matrix_rows(x, d, err);
    /* Sector codes are the IndustryCodes (RNr only placed them). */
    for (size_t k = 0; k < x->J && st == TW_OK; k++) {
        for (size_t q = 0; q < k && st == TW_OK; q++)
            if (!strcmp(x->icode[q], x->icode[k]))
                st = tw_error_set(err, TW_EINPUT, x->path, 0, 0, "IndustryCode \"%s\" is used for "
                                  "RNr %zu and %zu", x->icode[k], q + 1, k + 1);
        if (st == TW_OK) st = tw_draft_set_text(&d->scode[k], x->icode[k], err);
        if (st == TW_OK) st = tw_draft_set_text(&d->sname[k], x->icode[k], err);
    }
    for (size_t k = 0; k < sizeof wiod_conventions / sizeof wiod_conventions[0] && st == TW_OK; k++)
        st = tw_lines_addf(&d->conventions, err, "%s", x->rel13 && k == 0 ? wiod13_conventions[0]
                                                       : x->rel13 && k == 3 ? wiod13_conventions[1]
                                                                            : wiod_conventions[k]);
    if (st == TW_OK)
        st = tw_lines_addf(&d->conventions, err, "Read as the %s.",
                           x->rel13 ? (x->is_long ? "2013 release's long table (row_country, "
                                                    "row_sector, col_country, col_use, value)"
                                                  : "2013 release's wide sheet")
                                    : x->is_long ? "long (destination, use, flow) export"
                                                 : "matrix export");
    if (st == TW_OK && !x->im->inventories)
        st = tw_lines_addf(&d->conventions, err, "The change-in-inventories use (INVEN) was left "
                           "out (total %.6g).", x->inv_total);
    return st;
}

static tw_draft *import_wiod(const tw_importer *im, const char *table, tw_error *err)
{
    if (!im || !table) {
        tw_error_set(err, TW_EARG, NULL, 0, 0, "no importer or table");
        return NULL;
    }
    wiod x = {0};
    x.path = table;
    x.im = im;
    x.loc = tw_num_locale_new();
    tw_draft *d = NULL;
    tw_status st = x.loc != (locale_t)0 ? TW_OK : tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    if (st == TW_OK) st = build(&x, &d, err);
    if (st == TW_OK) st = tw_draft_set_text(&d->source, table, err);
    if (st == TW_OK && x.year[0]) st = tw_draft_set_meta(d, "year", x.year, err);
    if (st == TW_OK) st = tw_importer_apply(im, d, x.idesc, err); /* user meta wins */
    if (st == TW_OK) st = tw_draft_clear_negative_trade(d, "inventory draw-downs exceed sales", err);
    if (st == TW_OK && x.have_out) {
        double *Y = tw_draft_output(d, err), worst = 0;
        size_t at = 0, NJ = d->N * d->J;
        if (!Y) st = TW_ENOMEM;
        for (size_t c = 0; c < NJ && Y; c++) {
            double a = Y[c], b = x.out_rep[c], s = a > b ? a : b;
            double gap = s > 0 ? (a > b ? a - b : b - a) / s : 0;
            if (gap > worst) { worst = gap; at = c; }
        }
        if (Y && worst > 1e-9)
            st = tw_lines_addf(&d->notes, err, "gross output is total sales; the source's %s "
                               "column differs from it by at most %.3g %% (%s %s)",
                               x.rel13 ? "c62" : "TOT", 100 * worst,
                               d->ccode[at / d->J], d->scode[at % d->J]);
        free(Y);
    }
    if (st == TW_OK) st = tw_draft_finish(d, err);
    tw_csv_close(x.r);
    tw_num_locale_free(x.loc);
    for (size_t k = 0; k < x.nind; k++) {
        free(x.icode[k]);
        free(x.idesc[k]);
    }
    for (size_t f = 0; f < x.ncol && x.col_name; f++) free(x.col_name[f]);
    free(x.icode); free(x.idesc); free(x.out_rep); free(x.col_d); free(x.col_u); free(x.col_name);
    tw_codes_free(&x.countries);
    return tw_draft_done(d, st);
}

tw_draft *tw_import_wiod(const tw_importer *im, const char *table, tw_error *err)
{
    tw_error local; /* the readers use the record throughout; err may be NULL */
    return import_wiod(im, table, tw_error_use(err, &local));
}

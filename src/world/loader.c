/* loader.c - the row helpers every reader of a world directory uses: open a
 * file of the directory with its limits and header, and turn one field of the
 * current record into a known country or sector, or a number in range.
 *
 * Invariant: every error names the file, the line of the record and the
 * column (in err->field), so that load.c and shares.c report alike. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/num.h"
#include "world/loader.h"

tw_status tw_loader_open(tw_loader *L, const char *name, int optional,
                         const char *const *req, size_t nreq, const char *const *opt,
                         size_t nopt, long *idx, tw_csv **out)
{
    char path[4096];
    int len = L->dir[0] ? snprintf(path, sizeof path, "%s/%s", L->dir, name)
                        : snprintf(path, sizeof path, "%s", name);
    *out = NULL;
    if (len < 0 || (size_t)len >= sizeof path)
        return tw_error_set(L->err, TW_EIO, name, 0, 0, "cannot open: path too long");
    tw_status st = tw_csv_open(out, path, name, optional, L->err);
    if (st != TW_OK || !*out) return st;
    tw_csv_set_limits(*out, 0, L->max_bytes);
    st = tw_csv_header(*out, req, nreq, opt, nopt, idx, L->err);
    if (st != TW_OK) {
        tw_csv_close(*out);
        *out = NULL;
    }
    return st;
}

tw_status tw_loader_row_error(tw_loader *L, const tw_csv *r, const char *column,
                              const char *fmt, ...)
{
    char msg[sizeof L->err->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    tw_error_set(L->err, TW_EINPUT, tw_csv_name(r), tw_csv_line(r), 0, "%s", msg);
    snprintf(L->err->field, sizeof L->err->field, "%s", column);
    return TW_EINPUT;
}

tw_status tw_loader_first_row(tw_loader *L, const tw_csv *r, size_t c, const char *column,
                              const char *what)
{
    if (L->seen[c])
        return tw_loader_row_error(L, r, column, "duplicate row for %s (first on line %ld)", what,
                                   L->seen[c]);
    L->seen[c] = tw_csv_line(r);
    return TW_OK;
}

static int cmp_code(const void *a, const void *b)
{
    return strcmp(((const tw_code_ix *)a)->code, ((const tw_code_ix *)b)->code);
}

tw_code_ix *tw_loader_index(char **codes, size_t n, tw_error *err)
{
    tw_code_ix *ix = malloc(n * sizeof *ix);
    if (!ix) {
        tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
        return NULL;
    }
    for (size_t k = 0; k < n; k++) {
        ix[k].code = codes[k];
        ix[k].idx = k;
    }
    qsort(ix, n, sizeof *ix, cmp_code);
    return ix;
}

tw_status tw_loader_code(tw_loader *L, const tw_csv *r, long idx, const char *column,
                         int sector, size_t *out)
{
    const char *code = tw_csv_field(r, (size_t)idx);
    size_t n = sector ? L->J : L->N;
    char *const *codes = sector ? L->w->scode : L->w->ccode;
    size_t *guess = idx >= 0 && idx < TW_LOADER_GUESSES ? &L->guess[idx] : NULL;
    if (guess)
        for (size_t k = *guess; k < n && k < *guess + 2; k++)
            if (strcmp(codes[k], code) == 0) {
                *out = *guess = k;
                return TW_OK;
            }
    tw_code_ix key = {code, 0};
    const tw_code_ix *hit = bsearch(&key, sector ? L->six : L->cix, n, sizeof key, cmp_code);
    if (!hit)
        return tw_loader_row_error(L, r, column, "unknown %s \"%s\" (not in %s)",
                                   sector ? "sector" : "country", code,
                                   sector ? "sectors.csv" : "countries.csv");
    *out = hit->idx;
    if (guess) *guess = hit->idx;
    return TW_OK;
}

tw_status tw_loader_number(tw_loader *L, const tw_csv *r, long idx, const char *column,
                           const char *what, int positive, double *out)
{
    const char *text = tw_csv_field(r, (size_t)idx);
    tw_num_status ns = tw_num_parse(text, L->loc, out);
    if (ns != TW_NUM_OK)
        return tw_loader_row_error(L, r, column, "%s \"%s\" for %s %s", column, text, what,
                                   tw_num_what(ns));
    if (positive && !(*out > 0))
        return tw_loader_row_error(L, r, column,
                                   "%s \"%s\" for %s is not positive (expected > 0)", column,
                                   text, what);
    if (!positive && *out < 0)
        return tw_loader_row_error(L, r, column,
                                   "%s \"%s\" for %s is negative (expected >= 0)", column, text,
                                   what);
    return TW_OK;
}

int tw_loader_plain_row(tw_loader *L, const tw_csv *r, size_t c, long idx, double *out)
{
    double v;
    if (L->seen[c] || tw_num_parse(tw_csv_field(r, (size_t)idx), L->loc, &v) != TW_NUM_OK ||
        v < 0)
        return 0;
    L->seen[c] = tw_csv_line(r);
    *out = v;
    return 1;
}

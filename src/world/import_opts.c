/* import_opts.c - the options of an import and the side tables it reads.
 *
 * An import reads one source table (ICIO, WIOD, bilateral trade) for the flows;
 * everything the source does not say comes from small side tables: the sector
 * table (names, trade elasticities, tradable flags), country names, baseline
 * tariffs, and meta entries.  tw_importer_apply() puts them on a draft whose
 * flows are read, checking each row as the world loader would (file:line and
 * what was expected), so a bad side table fails the import, not a later load. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/index.h"
#include "core/num.h"
#include "world/import_impl.h"

/* ---- setters ------------------------------------------------------------ */

tw_importer *tw_importer_create(tw_error *err)
{
    tw_importer *im = calloc(1, sizeof *im);
    if (!im) {
        tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
        return NULL;
    }
    im->inventories = 1;
    im->gdp_scale = 1;
    im->max_bytes = TW_IMPORT_MAX_BYTES;
    return im;
}

void tw_importer_set_max_bytes(tw_importer *im, uint64_t max_bytes)
{
    if (im && max_bytes) im->max_bytes = max_bytes;
}

void tw_importer_free(tw_importer *im)
{
    if (!im) return;
    free(im->sectors); free(im->countries); free(im->tariffs);
    free(im->gdp_country); free(im->gdp_value);
    for (size_t k = 0; k < im->meta_keys.n; k++) free(im->meta_val[k]);
    free(im->meta_val);
    tw_codes_free(&im->meta_keys);
    free(im);
}

static tw_status set_path(char **dst, const char *path)
{
    if (!path || !path[0]) return TW_EARG;
    char *c = strdup(path);
    if (!c) return TW_ENOMEM;
    free(*dst);
    *dst = c;
    return TW_OK;
}

tw_status tw_importer_set_sectors(tw_importer *im, const char *p) { return im ? set_path(&im->sectors, p) : TW_EARG; }
tw_status tw_importer_set_countries(tw_importer *im, const char *p) { return im ? set_path(&im->countries, p) : TW_EARG; }
tw_status tw_importer_set_tariffs(tw_importer *im, const char *p) { return im ? set_path(&im->tariffs, p) : TW_EARG; }

tw_status tw_importer_set_theta(tw_importer *im, double theta)
{
    if (!im || !(theta >= TW_THETA_MIN && theta <= TW_THETA_MAX)) return TW_EARG;
    im->theta = theta;
    return TW_OK;
}

tw_status tw_importer_set_inventories(tw_importer *im, int include)
{
    if (!im) return TW_EARG;
    im->inventories = include != 0;
    return TW_OK;
}

tw_status tw_importer_set_wiod_layout(tw_importer *im, int release)
{
    if (!im || (release != 0 && release != 2013 && release != 2016)) return TW_EARG;
    im->wiod_layout = release;
    return TW_OK;
}

tw_status tw_importer_set_gdp_columns(tw_importer *im, const char *country, const char *value)
{
    if (!im || !country || !value || !country[0] || !value[0]) return TW_EARG;
    tw_status st = set_path(&im->gdp_country, country);
    return st == TW_OK ? set_path(&im->gdp_value, value) : st;
}

tw_status tw_importer_set_gdp_scale(tw_importer *im, double scale)
{
    if (!im || !isfinite(scale) || !(scale > 0)) return TW_EARG;
    im->gdp_scale = scale;
    return TW_OK;
}

tw_status tw_importer_set_meta(tw_importer *im, const char *key, const char *value)
{
    if (!im || !key || !key[0] || !value) return TW_EARG;
    long k = tw_codes_find(&im->meta_keys, key);
    char *v = strdup(value);
    if (!v) return TW_ENOMEM;
    if (k >= 0) {
        free(im->meta_val[k]);
        im->meta_val[k] = v;
        return TW_OK;
    }
    char **t = realloc(im->meta_val, (im->meta_keys.n + 1) * sizeof *t);
    if (!t) {
        free(v);
        return TW_ENOMEM;
    }
    im->meta_val = t;
    im->meta_val[im->meta_keys.n] = v;
    if (tw_codes_add(&im->meta_keys, key, NULL, NULL) != TW_OK) {
        free(v);
        return TW_ENOMEM;
    }
    return TW_OK;
}

/* ---- reading user files ------------------------------------------------- */

tw_status tw_import_open(const char *path, uint64_t max_bytes, const char *const *req, size_t nreq,
                         const char *const *opt, size_t nopt, long *idx, tw_csv **out,
                         tw_error *err)
{
    *out = NULL;
    tw_status st = tw_import_refuse_gzip(path, err);
    if (st == TW_OK) st = tw_csv_open(out, path, path, 0, err);
    if (st != TW_OK) return st;
    tw_csv_set_limits(*out, 0, max_bytes);
    st = tw_csv_header(*out, req, nreq, opt, nopt, idx, err);
    if (st != TW_OK) {
        tw_csv_close(*out);
        *out = NULL;
    }
    return st;
}

tw_status tw_import_row_error(tw_error *err, const tw_csv *r, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return tw_error_set(err, TW_EINPUT, tw_csv_name(r), tw_csv_line(r), 0, "%s", msg);
}

tw_status tw_import_number(tw_error *err, const tw_csv *r, size_t k, const char *column,
                           locale_t loc, double *out)
{
    const char *text = tw_csv_field(r, k);
    tw_num_status ns = tw_num_parse(text, loc, out);
    if (ns != TW_NUM_OK)
        return tw_import_row_error(err, r, "%s \"%s\" %s", column, text, tw_num_what(ns));
    return TW_OK;
}

tw_status tw_import_refuse_gzip(const char *path, tw_error *err)
{
    struct stat sb;
    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) return TW_OK; /* a pipe is read once */
    FILE *f = fopen(path, "rb");
    unsigned char magic[2] = {0, 0};
    size_t n = f ? fread(magic, 1, 2, f) : 0;
    if (f) fclose(f);
    if (n == 2 && magic[0] == 0x1f && magic[1] == 0x8b)
        return tw_error_set(err, TW_EINPUT, path, 1, 0, "the file is gzip-compressed (unpack it "
                            "first: gunzip -k FILE)");
    return TW_OK;
}

tw_status tw_import_check_code(tw_error *err, const tw_csv *r, const char *code,
                               const char *kind)
{
    if (!code[0]) return tw_import_row_error(err, r, "%s code is empty", kind);
    if (strlen(code) >= TW_IMPORT_CODE_MAX)
        return tw_import_row_error(err, r, "%s code \"%.40s...\" is too long (expected at most %d bytes)",
                                   kind, code, TW_IMPORT_CODE_MAX - 1);
    if (!strcmp(code, "*"))
        return tw_import_row_error(err, r, "%s code \"*\" is reserved (it means \"all\" in counterfactuals)",
                                   kind);
    return TW_OK;
}

static long find_code(char **codes, size_t n, const char *s)
{
    for (size_t k = 0; k < n; k++)
        if (!strcmp(codes[k], s)) return (long)k;
    return -1;
}

/* ---- side tables -------------------------------------------------------- */

static tw_status read_sector_table(const tw_importer *im, tw_draft *d, char **source_names,
                                   locale_t loc, tw_error *err)
{
    static const char *const req[] = {"code", "name", "theta"};
    static const char *const opt[] = {"tradable"};
    size_t J = d->J;
    long *seen = calloc(J + 1, sizeof *seen);
    if (!seen) return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t j = 0; j < J; j++) {
        d->theta[j] = im->theta;
        if (source_names && source_names[j] && source_names[j][0] &&
            tw_draft_set_text(&d->sname[j], source_names[j], err) != TW_OK) {
            free(seen);
            return TW_ENOMEM;
        }
    }
    tw_status st = TW_OK;
    if (im->sectors) {
        long idx[4];
        tw_csv *r;
        st = tw_import_open(im->sectors, im->max_bytes, req, 3, opt, 1, idx, &r, err);
        int got = 0;
        while (st == TW_OK && (got = tw_csv_next(r, err)) > 0) {
            const char *code = tw_csv_field(r, (size_t)idx[0]);
            long j = find_code(d->scode, J, code);
            double theta;
            if (j < 0) {
                st = tw_import_row_error(err, r, "sector \"%s\" is not a sector of the source", code);
            } else if (seen[j]) {
                st = tw_import_row_error(err, r, "duplicate row for sector \"%s\" (first on line %ld)",
                                         code, seen[j]);
            } else if ((st = tw_import_number(err, r, (size_t)idx[2], "theta", loc, &theta)) == TW_OK) {
                const char *t = idx[3] >= 0 ? tw_csv_field(r, (size_t)idx[3]) : "";
                if (!(theta > 0))
                    st = tw_import_row_error(err, r, "theta \"%s\" for sector %s is not positive (expected > 0)",
                                             tw_csv_field(r, (size_t)idx[2]), code);
                else if (!(theta >= TW_THETA_MIN && theta <= TW_THETA_MAX))
                    st = tw_import_row_error(err, r, "theta \"%s\" for sector %s is out of range "
                                             "(expected %g <= theta <= %g)",
                                             tw_csv_field(r, (size_t)idx[2]), code, TW_THETA_MIN,
                                             TW_THETA_MAX);
                else if (t[0] && strcmp(t, "0") && strcmp(t, "1"))
                    st = tw_import_row_error(err, r, "tradable \"%s\" for sector %s is not 1 or 0", t, code);
                else {
                    seen[j] = tw_csv_line(r);
                    d->theta[j] = theta;
                    d->tradable[j] = strcmp(t, "0") != 0;
                    const char *nm = tw_csv_field(r, (size_t)idx[1]);
                    if (nm[0]) st = tw_draft_set_text(&d->sname[j], nm, err);
                }
            }
        }
        if (got < 0) st = err->code;
        tw_csv_close(r);
    }
    for (size_t j = 0; j < J && st == TW_OK; j++)
        if (!(d->theta[j] > 0))
            st = im->sectors
                     ? tw_error_set(err, TW_EINPUT, im->sectors, 0, 0,
                                    "no row for sector \"%s\" (expected one for every sector of "
                                    "the source, or a default theta)", d->scode[j])
                     : tw_error_set(err, TW_EARG, NULL, 0, 0,
                                    "no trade elasticities (expected a sector table or a theta)");
    free(seen);
    return st;
}

static tw_status read_country_names(const char *path, uint64_t max_bytes, tw_draft *d,
                                    tw_error *err)
{
    static const char *const req[] = {"code", "name"};
    long idx[2];
    tw_csv *r;
    tw_status st = tw_import_open(path, max_bytes, req, 2, NULL, 0, idx, &r, err);
    if (st != TW_OK) return st;
    long *seen = calloc(d->N + 1, sizeof *seen);
    if (!seen) st = tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    int got = 0;
    /* A names table may cover more countries than the source (a full ISO list):
     * codes the world does not have are skipped. */
    while (st == TW_OK && (got = tw_csv_next(r, err)) > 0) {
        long n = find_code(d->ccode, d->N, tw_csv_field(r, (size_t)idx[0]));
        if (n < 0) continue;
        if (seen[n])
            st = tw_import_row_error(err, r, "duplicate row for country \"%s\" (first on line %ld)",
                                     d->ccode[n], seen[n]);
        else {
            seen[n] = tw_csv_line(r);
            const char *nm = tw_csv_field(r, (size_t)idx[1]);
            if (nm[0]) st = tw_draft_set_text(&d->cname[n], nm, err);
        }
    }
    if (got < 0) st = err->code;
    free(seen);
    tw_csv_close(r);
    return st;
}

static tw_status read_tariffs(const char *path, uint64_t max_bytes, tw_draft *d, locale_t loc,
                              tw_error *err)
{
    static const char *const req[] = {"importer", "exporter", "rate"};
    static const char *const opt[] = {"sector"};
    size_t N = d->N, J = d->J;
    long idx[4];
    tw_csv *r;
    tw_status st = tw_import_open(path, max_bytes, req, 3, opt, 1, idx, &r, err);
    if (st != TW_OK) return st;
    long *seen = calloc(N * N * J + 1, sizeof *seen);
    if (!seen) st = tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    int got = 0;
    while (st == TW_OK && (got = tw_csv_next(r, err)) > 0) {
        const char *ic = tw_csv_field(r, (size_t)idx[0]), *ec = tw_csv_field(r, (size_t)idx[1]);
        const char *sc = idx[3] >= 0 ? tw_csv_field(r, (size_t)idx[3]) : "";
        long n = find_code(d->ccode, N, ic), i = find_code(d->ccode, N, ec);
        long j = sc[0] ? find_code(d->scode, J, sc) : -1;
        double rate;
        if (n < 0 || i < 0) {
            st = tw_import_row_error(err, r, "unknown country \"%s\" (not in the imported world)",
                                     n < 0 ? ic : ec);
            break;
        }
        if (sc[0] && j < 0) {
            st = tw_import_row_error(err, r, "unknown sector \"%s\" (not in the imported world)", sc);
            break;
        }
        if ((st = tw_import_number(err, r, (size_t)idx[2], "rate", loc, &rate)) != TW_OK) break;
        if (rate < 0) {
            st = tw_import_row_error(err, r, "rate \"%s\" for %s->%s is negative (expected >= 0)",
                                     tw_csv_field(r, (size_t)idx[2]), ec, ic);
            break;
        }
        if (rate != 0 && n == i) {
            st = tw_import_row_error(err, r, "rate \"%s\" for %s->%s is on a domestic cell "
                                     "(expected 0 where importer = exporter)",
                                     tw_csv_field(r, (size_t)idx[2]), ec, ic);
            break;
        }
        for (size_t q = 0; q < J && st == TW_OK; q++) {
            if (j >= 0 && (size_t)j != q) continue;
            if (!d->tradable[q]) {
                if (j >= 0 && rate != 0)
                    st = tw_import_row_error(err, r, "rate \"%s\" for %s->%s is on non-tradable "
                                             "sector %s (expected 0)",
                                             tw_csv_field(r, (size_t)idx[2]), ec, ic, d->scode[q]);
                continue;
            }
            size_t c = tw_ix_nij(N, J, (size_t)n, (size_t)i, q);
            if (seen[c])
                st = tw_import_row_error(err, r, "duplicate rate for %s->%s %s (first on line %ld)",
                                         ec, ic, d->scode[q], seen[c]);
            seen[c] = tw_csv_line(r);
            d->tau[c] = rate;
        }
    }
    if (got < 0) st = err->code;
    free(seen);
    tw_csv_close(r);
    return st;
}

tw_status tw_importer_apply(const tw_importer *im, tw_draft *d, char **source_names,
                            tw_error *err)
{
    locale_t loc = tw_num_locale_new();
    if (loc == (locale_t)0) return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    tw_status st = read_sector_table(im, d, source_names, loc, err);
    if (st == TW_OK && im->countries) st = read_country_names(im->countries, im->max_bytes, d, err);
    if (st == TW_OK && im->tariffs) st = read_tariffs(im->tariffs, im->max_bytes, d, loc, err);
    for (size_t k = 0; k < im->meta_keys.n && st == TW_OK; k++)
        st = tw_draft_set_meta(d, im->meta_keys.code[k], im->meta_val[k], err);
    tw_num_locale_free(loc);
    return st;
}

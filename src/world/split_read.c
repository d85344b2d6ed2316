/* split_read.c - the files a split reads: the new country's goods totals and
 * the map from the totals' codes to the world's (docs/split.md).
 *
 * The totals are summed into a matrix over the world's countries plus one
 * more unit, the new country: T[a][b] is a's goods imports from b in the
 * totals' year and units.  A code of the totals resolves through the map when
 * it has a row there, else as a world code, else as the new country's code;
 * codes that resolve to the region stand for its other members (the region
 * as it will remain).  Flows within one unit are dropped: they are trade
 * among members of one region. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/num.h"
#include "world/split_impl.h"

void tw_split_map_free(tw_split_map *m)
{
    tw_codes_free(&m->codes);
    free(m->unit);
    memset(m, 0, sizeof *m);
}

/* The unit a code names: a world country, the new country (N), or -1. */
static long world_unit(const tw_world *w, const char *code, const char *new_code)
{
    long n = tw_world_country_index(w, code);
    if (n >= 0) return n;
    return strcmp(code, new_code) ? -1 : (long)tw_world_n_countries(w);
}

static tw_status map_row(tw_split_map *m, const tw_world *w, const char *new_code,
                         const tw_csv *r, const long *idx, tw_error *err)
{
    const char *code = tw_csv_field(r, (size_t)idx[0]), *to = tw_csv_field(r, (size_t)idx[1]);
    long u = world_unit(w, to, new_code);
    size_t k;
    tw_status st = tw_import_check_code(err, r, code, "country");
    if (st != TW_OK) return tw_split_field(err, "code");
    if (u < 0) {
        tw_import_row_error(err, r, "region \"%s\" is not a country of the world nor the new "
                            "country %s", to, new_code);
        return tw_split_field(err, "region");
    }
    if (tw_codes_find(&m->codes, code) >= 0) {
        tw_import_row_error(err, r, "code \"%s\" is mapped twice", code);
        return tw_split_field(err, "code");
    }
    if ((st = tw_codes_add(&m->codes, code, &k, err)) != TW_OK) return st;
    long *t = realloc(m->unit, m->codes.n * sizeof *t);
    if (!t) return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    m->unit = t;
    m->unit[k] = u;
    return TW_OK;
}

tw_status tw_split_read_map(const char *path, const tw_world *w, const char *new_code,
                            tw_split_map *m, tw_error *err)
{
    static const char *const req[] = {"code", "region"};
    long idx[2];
    tw_csv *r;
    memset(m, 0, sizeof *m);
    if (!path) return TW_OK;
    tw_status st = tw_import_open(path, TW_IMPORT_MAX_BYTES, req, 2, NULL, 0, idx, &r, err);
    int got = 0;
    while (st == TW_OK && (got = tw_csv_next(r, err)) > 0) st = map_row(m, w, new_code, r, idx, err);
    if (got < 0) st = err->code;
    tw_csv_close(r);
    return st;
}

/* The unit of a code of the totals, or an error naming the column. */
static tw_status totals_unit(const tw_split_map *m, const tw_world *w, const char *new_code,
                             const tw_csv *r, size_t k, const char *column, size_t *out,
                             tw_error *err)
{
    const char *code = tw_csv_field(r, k);
    long mk = tw_codes_find(&m->codes, code);
    long u = mk >= 0 ? m->unit[mk] : world_unit(w, code, new_code);
    if (u < 0) {
        tw_import_row_error(err, r, "%s \"%s\" is not a country of the world nor %s%s", column,
                            code, new_code, m->codes.n ? " and has no row in the map"
                                                       : " (map such codes with --map)");
        return tw_split_field(err, column);
    }
    *out = (size_t)u;
    return TW_OK;
}

static tw_status totals_row(tw_split_read *rd, const tw_csv *r, const long *idx, locale_t loc,
                            tw_error *err)
{
    size_t a = 0, b = 0, U = rd->N + 1;
    double v = 0;
    tw_status st = totals_unit(rd->map, rd->w, rd->new_code, r, (size_t)idx[0], "importer", &a, err);
    if (st == TW_OK) st = totals_unit(rd->map, rd->w, rd->new_code, r, (size_t)idx[1], "exporter", &b, err);
    if (st != TW_OK) return st;
    if (tw_import_number(err, r, (size_t)idx[2], "value", loc, &v) != TW_OK)
        return tw_split_field(err, "value");
    if (v < 0) {
        tw_import_row_error(err, r, "value %s is negative (expected a flow >= 0)",
                            tw_csv_field(r, (size_t)idx[2]));
        return tw_split_field(err, "value");
    }
    if (a != b) rd->T[a * U + b] += v;
    return TW_OK;
}

tw_status tw_split_read_totals(tw_split_read *rd, const char *path, tw_error *err)
{
    static const char *const req[] = {"importer", "exporter", "value"};
    long idx[3];
    tw_csv *r;
    tw_status st = tw_import_open(path, TW_IMPORT_MAX_BYTES, req, 3, NULL, 0, idx, &r, err);
    if (st != TW_OK) return st;
    locale_t loc = tw_num_locale_new();
    if (loc == (locale_t)0) st = tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    int got = 0;
    while (st == TW_OK && (got = tw_csv_next(r, err)) > 0) st = totals_row(rd, r, idx, loc, err);
    if (got < 0) st = err->code;
    if (loc != (locale_t)0) tw_num_locale_free(loc);
    tw_csv_close(r);
    return st;
}

tw_status tw_split_field(tw_error *err, const char *field)
{
    if (err) snprintf(err->field, sizeof err->field, "%s", field);
    return err ? err->code : TW_EINPUT;
}

/* The sectors a tariff row names: one, or every tradable one ("*" or no
 * sector column).  -1 in *j for all. */
static tw_status tariff_sector(const tw_world *w, const tw_csv *r, long col, long *j, tw_error *err)
{
    const char *code = col >= 0 ? tw_csv_field(r, (size_t)col) : "*";
    *j = strcmp(code, "*") ? tw_world_sector_index(w, code) : -1;
    if (strcmp(code, "*") && *j < 0) {
        tw_import_row_error(err, r, "sector \"%s\" is not a sector of the world", code);
        return tw_split_field(err, "sector");
    }
    if (*j >= 0 && !tw_world_sector_tradable(w, (size_t)*j)) {
        tw_import_row_error(err, r, "sector \"%s\" is not tradable (it carries no tariffs)", code);
        return tw_split_field(err, "sector");
    }
    return TW_OK;
}

static tw_status tariff_row(const tw_world *w, const char *new_code, const tw_csv *r,
                            const long *idx, locale_t loc, double *tin, double *tout, tw_error *err)
{
    const char *im = tw_csv_field(r, (size_t)idx[0]), *ex = tw_csv_field(r, (size_t)idx[1]);
    int buys = !strcmp(im, new_code);
    const char *other = buys ? ex : im;
    long m = tw_world_country_index(w, other), j;
    double rate;
    size_t J = tw_world_n_sectors(w);
    if (buys == !strcmp(ex, new_code)) {
        tw_import_row_error(err, r, "expected %s as the importer or the exporter (not both)", new_code);
        return tw_split_field(err, buys ? "exporter" : "importer");
    }
    if (m < 0) {
        tw_import_row_error(err, r, "%s \"%s\" is not a country of the world", buys ? "exporter" : "importer", other);
        return tw_split_field(err, buys ? "exporter" : "importer");
    }
    tw_status st = tariff_sector(w, r, idx[3], &j, err);
    if (st != TW_OK) return st;
    if (tw_import_number(err, r, (size_t)idx[2], "rate", loc, &rate) != TW_OK) return tw_split_field(err, "rate");
    if (rate < 0) {
        tw_import_row_error(err, r, "rate %s is negative (expected a fraction >= 0)", tw_csv_field(r, (size_t)idx[2]));
        return tw_split_field(err, "rate");
    }
    double *dst = (buys ? tin : tout) + (size_t)m * J;
    for (size_t k = 0; k < J; k++)
        if ((j < 0 && tw_world_sector_tradable(w, k)) || (long)k == j) dst[k] = rate;
    return TW_OK;
}

tw_status tw_split_read_tariffs(const char *path, const tw_world *w, const char *new_code,
                                double *tin, double *tout, tw_error *err)
{
    static const char *const req[] = {"importer", "exporter", "rate"};
    static const char *const opt[] = {"sector"};
    long idx[4];
    tw_csv *r;
    tw_status st = tw_import_open(path, TW_INPUT_MAX_BYTES, req, 3, opt, 1, idx, &r, err);
    locale_t loc = st == TW_OK ? tw_num_locale_new() : (locale_t)0;
    if (st == TW_OK && loc == (locale_t)0) st = tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    int got = 0;
    while (st == TW_OK && (got = tw_csv_next(r, err)) > 0)
        st = tariff_row(w, new_code, r, idx, loc, tin, tout, err);
    if (got < 0) st = err->code;
    if (loc != (locale_t)0) tw_num_locale_free(loc);
    tw_csv_close(r);
    return st;
}

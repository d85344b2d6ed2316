/* rebase_read.c - the input files of a rebase, read into the world's regions.
 *
 * Codes go to regions through the country map (code,region), else to the
 * world region of that code, else to the rest region; anything else is an
 * error naming file:line.  Totals and GDP of the members of a region are
 * summed; totals between two members of one region are dropped (that trade is
 * the region's domestic trade, which the rebase finds itself).  Later-year
 * sector flows go to the world's sectors through the concordance
 * (sector,world_sector; an empty world_sector marks a later sector that is
 * not goods, whose rows are skipped); a later sector mapped to several world
 * sectors is split by the world's own mix for the pair. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/index.h"
#include "world/rebase_impl.h"
#include "world/world_impl.h"

static tw_status oom(tw_error *err)
{
    return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
}

/* Read every record of path (columns req, then opt) with row(). */
typedef tw_status (*row_fn)(tw_rb_inputs *in, const tw_csv *r, const long *idx, void *ctx,
                            tw_error *err);

static tw_status read_rows(tw_rb_inputs *in, const char *path, const char *const *req,
                           size_t nreq, row_fn row, void *ctx, tw_error *err)
{
    long idx[4];
    tw_csv *r;
    tw_status st = tw_import_open(path, in->max_bytes, req, nreq, NULL, 0, idx, &r, err);
    int got = 0;
    while (st == TW_OK && (got = tw_csv_next(r, err)) > 0) st = row(in, r, idx, ctx, err);
    if (got < 0) st = err->code;
    tw_csv_close(r);
    return st;
}

/* A region of the world by its code, or an error for field. */
static tw_status world_region(const tw_rb_inputs *in, const tw_csv *r, const char *code,
                              const char *field, size_t *out, tw_error *err)
{
    long n = tw_world_country_index(in->w, code);
    if (n < 0)
        return tw_import_row_error(err, r, "%s: unknown region \"%s\" (not a country of the "
                                   "world)", field, code);
    *out = (size_t)n;
    return TW_OK;
}

/* The region a code of the input files belongs to. */
static tw_status region_of(const tw_rb_inputs *in, const tw_csv *r, const char *code,
                           const char *field, size_t *out, tw_error *err)
{
    tw_status st = tw_import_check_code(err, r, code, field);
    if (st != TW_OK) return st;
    long k = tw_codes_find(&in->map, code);
    if (k >= 0) {
        *out = in->map_region[k];
        return TW_OK;
    }
    long n = tw_world_country_index(in->w, code);
    if (n < 0) n = in->rest;
    if (n < 0)
        return tw_import_row_error(err, r, "%s: unknown country \"%s\" (not in the world or the "
                                   "country map; name a rest region to take such codes)",
                                   field, code);
    *out = (size_t)n;
    return TW_OK;
}

static tw_status map_row(tw_rb_inputs *in, const tw_csv *r, const long *idx, void *ctx,
                         tw_error *err)
{
    const char *code = tw_csv_field(r, (size_t)idx[0]), *reg = tw_csv_field(r, (size_t)idx[1]);
    size_t n = 0, k;
    tw_status st = tw_import_check_code(err, r, code, "code");
    if (st == TW_OK) st = world_region(in, r, reg, "region", &n, err);
    if (st != TW_OK) return st;
    if (tw_codes_find(&in->map, code) >= 0)
        return tw_import_row_error(err, r, "code: \"%s\" is mapped twice", code);
    size_t *t = realloc(in->map_region, (in->map.n + 1) * sizeof *t);
    if (!t) return oom(err);
    in->map_region = t;
    if (tw_codes_add(&in->map, code, &k, err) != TW_OK) return TW_ENOMEM;
    in->map_region[k] = n;
    return TW_OK;
}

/* A value column: finite and >= 0. */
static tw_status value_of(const tw_rb_inputs *in, const tw_csv *r, size_t k, const char *column,
                          double *v, tw_error *err)
{
    tw_status st = tw_import_number(err, r, k, column, in->loc, v);
    if (st == TW_OK && *v < 0)
        st = tw_import_row_error(err, r, "%s: \"%s\" is negative (expected >= 0)", column,
                                 tw_csv_field(r, k));
    return st;
}

/* importer and exporter regions of a flow row; 1 when the row is within one
 * region (dropped), with domestic rows of one code an error when strict. */
static tw_status flow_regions(const tw_rb_inputs *in, const tw_csv *r, const long *idx,
                              int strict, size_t *n, size_t *i, tw_error *err)
{
    const char *ic = tw_csv_field(r, (size_t)idx[0]), *ec = tw_csv_field(r, (size_t)idx[1]);
    tw_status st = region_of(in, r, ic, "importer", n, err);
    if (st == TW_OK) st = region_of(in, r, ec, "exporter", i, err);
    if (st == TW_OK && strict && !strcmp(ic, ec))
        st = tw_import_row_error(err, r, "exporter: flow %s->%s is domestic (expected importer "
                                 "!= exporter)", ec, ic);
    return st;
}

static tw_status totals_row(tw_rb_inputs *in, const tw_csv *r, const long *idx, void *ctx,
                            tw_error *err)
{
    size_t n = 0, i = 0, N = in->N;
    double v;
    tw_status st = flow_regions(in, r, idx, 1, &n, &i, err);
    if (st == TW_OK) st = value_of(in, r, (size_t)idx[2], "value", &v, err);
    if (st != TW_OK) return st;
    v *= in->o->totals_scale > 0 ? in->o->totals_scale : 1.0;
    in->covered[n] = in->covered[i] = 1;
    if (n == i) {
        in->intra += v;
        return TW_OK;
    }
    in->pair[n * N + i] += v;
    if (v == 0) in->zero_line[n * N + i] = tw_csv_line(r);
    return TW_OK;
}

/* GDP rows; ctx: the codes seen so far. */
static tw_status gdp_row(tw_rb_inputs *in, const tw_csv *r, const long *idx, void *ctx,
                         tw_error *err)
{
    tw_codes *seen = ctx;
    const char *code = tw_csv_field(r, (size_t)idx[0]);
    const char *col = in->o->gdp_value ? in->o->gdp_value : "gdp";
    size_t n = 0;
    double v;
    tw_status st = region_of(in, r, code, in->o->gdp_country ? in->o->gdp_country : "country",
                             &n, err);
    if (st == TW_OK) st = tw_import_number(err, r, (size_t)idx[1], col, in->loc, &v);
    if (st != TW_OK) return st;
    if (!(v > 0))
        return tw_import_row_error(err, r, "%s: \"%s\" for %s is not positive (expected > 0)",
                                   col, tw_csv_field(r, (size_t)idx[1]), code);
    if (tw_codes_find(seen, code) >= 0)
        return tw_import_row_error(err, r, "%s: duplicate GDP for %s", col, code);
    if (tw_codes_add(seen, code, NULL, err) != TW_OK) return TW_ENOMEM;
    if (isnan(in->gdp[n])) in->gdp[n] = 0;
    in->gdp[n] += v * (in->o->gdp_scale > 0 ? in->o->gdp_scale : 1.0);
    return TW_OK;
}

/* The concordance as read: later sectors and, for each, its world sectors. */
typedef struct concord {
    tw_codes later;
    unsigned char *to; /* [later.n][J] 1 when the later sector maps to world sector j */
    size_t cap;
} concord;

static tw_status concord_row(tw_rb_inputs *in, const tw_csv *r, const long *idx, void *ctx,
                             tw_error *err)
{
    concord *c = ctx;
    const char *s = tw_csv_field(r, (size_t)idx[0]), *ws = tw_csv_field(r, (size_t)idx[1]);
    size_t k, J = in->J;
    tw_status st = tw_import_check_code(err, r, s, "sector");
    if (st == TW_OK) st = tw_codes_add(&c->later, s, &k, err);
    if (st != TW_OK) return st;
    if (c->later.n > c->cap) {
        size_t cap = 2 * c->later.n;
        unsigned char *t = realloc(c->to, cap * J + 1);
        if (!t) return oom(err);
        memset(t + c->cap * J, 0, (cap - c->cap) * J);
        c->to = t;
        c->cap = cap;
    }
    if (!ws[0]) return TW_OK;
    long j = tw_world_sector_index(in->w, ws);
    if (j < 0)
        return tw_import_row_error(err, r, "world_sector: unknown sector \"%s\" (not a sector "
                                   "of the world)", ws);
    if (!tw_world_sector_tradable(in->w, (size_t)j))
        return tw_import_row_error(err, r, "world_sector: \"%s\" is not tradable (expected a "
                                   "goods sector, or empty for a later sector that is not "
                                   "goods)", ws);
    c->to[k * J + (size_t)j] = 1;
    return TW_OK;
}

/* Share of world sector j among the targets of later sector k for the pair
 * n <- i: the world's own trade mix, else equal. */
static double split_share(const tw_rb_inputs *in, const concord *c, size_t k, size_t n, size_t i,
                          size_t j)
{
    const tw_base *b = in->w->base;
    size_t N = in->N, J = in->J, m = 0;
    double tot = 0;
    for (size_t q = 0; q < J; q++)
        if (c->to[k * J + q]) {
            tot += b->trade[tw_ix_nij(N, J, n, i, q)];
            m++;
        }
    return tot > 0 ? b->trade[tw_ix_nij(N, J, n, i, j)] / tot : 1.0 / (double)m;
}

static tw_status later_row(tw_rb_inputs *in, const tw_csv *r, const long *idx, void *ctx,
                           tw_error *err)
{
    const concord *c = ctx;
    size_t n = 0, i = 0, N = in->N, J = in->J;
    double v;
    const char *s = tw_csv_field(r, (size_t)idx[2]);
    tw_status st = flow_regions(in, r, idx, 0, &n, &i, err);
    if (st == TW_OK) st = value_of(in, r, (size_t)idx[3], "value", &v, err);
    if (st != TW_OK) return st;
    long k = tw_codes_find(&c->later, s);
    if (k < 0 || !c->to)
        return tw_import_row_error(err, r, "sector: \"%s\" is not in the concordance %s", s,
                                   in->o->concordance);
    in->later_seen[n] = in->later_seen[i] = 1;
    if (n == i) return TW_OK;
    for (size_t j = 0; j < J; j++)
        if (c->to[(size_t)k * J + j])
            in->later[tw_ix_nij(N, J, n, i, j)] += v * split_share(in, c, (size_t)k, n, i, j);
    return TW_OK;
}

static tw_status read_later(tw_rb_inputs *in, tw_error *err)
{
    static const char *const creq[] = {"sector", "world_sector"};
    static const char *const freq[] = {"importer", "exporter", "sector", "value"};
    size_t N = in->N, J = in->J;
    concord c = {0};
    if (!in->o->concordance)
        return tw_error_set(err, TW_EARG, NULL, 0, 0, "sector flows need a concordance "
                            "(sector,world_sector)");
    in->later = calloc(N * N * J + 1, sizeof *in->later);
    in->later_seen = calloc(N + 1, sizeof *in->later_seen);
    tw_status st = in->later && in->later_seen ? TW_OK : oom(err);
    if (st == TW_OK) st = read_rows(in, in->o->concordance, creq, 2, concord_row, &c, err);
    if (st == TW_OK) st = read_rows(in, in->o->sector_flows, freq, 4, later_row, &c, err);
    tw_codes_free(&c.later);
    free(c.to);
    return st;
}

tw_status tw_rb_read(tw_rb_inputs *in, tw_error *err)
{
    static const char *const mreq[] = {"code", "region"};
    static const char *const treq[] = {"importer", "exporter", "value"};
    const tw_rebase_opts *o = in->o;
    size_t N = in->N;
    const char *greq[2] = {o->gdp_country ? o->gdp_country : "country",
                           o->gdp_value ? o->gdp_value : "gdp"};
    in->rest = -1;
    in->pair = calloc(N * N + 1, sizeof *in->pair);
    in->zero_line = calloc(N * N + 1, sizeof *in->zero_line);
    in->covered = calloc(N + 1, sizeof *in->covered);
    in->gdp = calloc(N + 1, sizeof *in->gdp);
    if (!in->pair || !in->zero_line || !in->covered || !in->gdp) return oom(err);
    for (size_t n = 0; n < N; n++) in->gdp[n] = NAN;
    if (o->rest) {
        in->rest = tw_world_country_index(in->w, o->rest);
        if (in->rest < 0)
            return tw_error_set(err, TW_EARG, NULL, 0, 0, "rest region \"%s\" is not a country "
                                "of the world", o->rest);
    }
    tw_status st = TW_OK;
    if (o->countries) st = read_rows(in, o->countries, mreq, 2, map_row, NULL, err);
    if (st == TW_OK) st = read_rows(in, o->totals, treq, 3, totals_row, NULL, err);
    if (st == TW_OK) {
        tw_codes seen = {0};
        st = read_rows(in, o->gdp, greq, 2, gdp_row, &seen, err);
        tw_codes_free(&seen);
    }
    if (st == TW_OK && o->sector_flows) st = read_later(in, err);
    return st;
}

void tw_rb_inputs_free(tw_rb_inputs *in)
{
    tw_codes_free(&in->map);
    free(in->map_region);
    free(in->pair);
    free(in->zero_line);
    free(in->covered);
    free(in->gdp);
    free(in->later);
    free(in->later_seen);
}

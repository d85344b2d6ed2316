/* aggregate.c - merging the countries and sectors of a world into groups.
 *
 * Flows are summed before any ratio is taken (docs/model.md): trade cells,
 * intermediate purchases (io share x gross output), and value added and final
 * demand in levels when the world supplies them.  Shares are then recomputed
 * from the sums by tw_draft_finish(), exactly as an importer does.  Tariffs are
 * trade-weighted - the group rate is tariff revenue / trade over the member
 * cells - so revenue between groups is preserved exactly; trade between two
 * members of one group becomes domestic and carries no tariff.  theta of a
 * merged sector is the mean of its members' theta weighted by their world
 * international trade (exports), falling back to gross output, then to the
 * simple mean.  Invariant: every code of the world is mapped exactly once, so
 * world trade, output, value added and each group's deficit are the sums of
 * its members'.  The household files, when present, are summed the same way
 * (a group's household count only when every member has one); the baseline
 * layers are weighted like the tariffs. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/index.h"
#include "world/import_impl.h"
#include "world/world_impl.h"

typedef struct amap {
    size_t *g;        /* [members] group of each member */
    tw_codes groups;  /* group codes in order of first appearance */
    char **gname;     /* [groups] */
    size_t *size;     /* [groups] members */
} amap;

static void amap_free(amap *m)
{
    for (size_t k = 0; k < m->groups.n && m->gname; k++) free(m->gname[k]);
    free(m->gname);
    free(m->g);
    free(m->size);
    tw_codes_free(&m->groups);
}

static long find(char **codes, size_t n, const char *s)
{
    for (size_t k = 0; k < n; k++)
        if (!strcmp(codes[k], s)) return (long)k;
    return -1;
}

/* A map file while its rows are read. */
typedef struct map_read {
    const char *kind;  /* "country" or "sector", for messages */
    char **codes;      /* [n] the world's codes */
    size_t n;
    long *line;        /* [n] line of each member's row; 0 = not mapped yet */
    char **given;      /* [n] names the map gives its groups; NULL until a row */
} map_read;

/* One row code,group[,name]: a member of the world not mapped before, put in
 * a valid group (added when new), and the group's name when the row gives one. */
static tw_status map_row(map_read *mr, amap *m, const tw_csv *r, const long *idx, tw_error *err)
{
    const char *code = tw_csv_field(r, (size_t)idx[0]), *grp = tw_csv_field(r, (size_t)idx[1]);
    const char *nm = idx[2] >= 0 ? tw_csv_field(r, (size_t)idx[2]) : "";
    long k = find(mr->codes, mr->n, code);
    size_t gi;
    if (k < 0)
        return tw_import_row_error(err, r, "unknown %s \"%s\" (not in the world)", mr->kind, code);
    if (mr->line[k])
        return tw_import_row_error(err, r, "%s \"%s\" is mapped twice (first on line %ld)",
                                   mr->kind, code, mr->line[k]);
    tw_status st = tw_import_check_code(err, r, grp, "group");
    if (st == TW_OK) st = tw_codes_add(&m->groups, grp, &gi, err);
    if (st != TW_OK) return st;
    mr->line[k] = tw_csv_line(r);
    m->g[k] = gi;
    if (!mr->given && !(mr->given = calloc(mr->n, sizeof *mr->given)))
        return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    if (nm[0] && !mr->given[gi] && !(mr->given[gi] = strdup(nm)))
        return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    return TW_OK;
}

/* Read the rows of the map at path; every member must be on one. */
static tw_status read_map_file(const char *path, map_read *mr, amap *m, tw_error *err)
{
    static const char *const req[] = {"code", "group"};
    static const char *const opt[] = {"name"};
    long idx[3];
    tw_csv *r;
    tw_status st = tw_import_open(path, TW_INPUT_MAX_BYTES, req, 2, opt, 1, idx, &r, err);
    int got = 0;
    while (st == TW_OK && (got = tw_csv_next(r, err)) > 0) st = map_row(mr, m, r, idx, err);
    if (got < 0) st = err->code;
    tw_csv_close(r);
    for (size_t k = 0; k < mr->n && st == TW_OK; k++)
        if (!mr->line[k])
            st = tw_error_set(err, TW_EINPUT, path, 0, 0, "%s \"%s\" is not mapped (expected "
                              "every %s of the world on one row)", mr->kind, mr->codes[k], mr->kind);
    return st;
}

/* Count each group's members and name it: the map's name, else its only
 * member's when the code is kept, else its code. */
static tw_status name_groups(amap *m, char **codes, char **names, size_t n, char **given,
                             tw_error *err)
{
    size_t G = m->groups.n;
    m->gname = calloc(G + 1, sizeof *m->gname);
    m->size = calloc(G + 1, sizeof *m->size);
    if (!m->gname || !m->size) return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t k = 0; k < n; k++) m->size[m->g[k]]++;
    for (size_t gi = 0; gi < G; gi++) {
        const char *nm = given && given[gi] ? given[gi] : m->groups.code[gi];
        if (!(given && given[gi]) && m->size[gi] == 1)
            for (size_t k = 0; k < n; k++)
                if (m->g[k] == gi && !strcmp(codes[k], m->groups.code[gi])) nm = names[k];
        if (!(m->gname[gi] = strdup(nm))) return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    }
    return TW_OK;
}

/* Read path (code,group[,name]); NULL keeps every member as its own group. */
static tw_status read_map(const char *path, char **codes, char **names, size_t n,
                          const char *kind, amap *m, tw_error *err)
{
    m->g = calloc(n + 1, sizeof *m->g);
    map_read mr = {kind, codes, n, calloc(n + 1, sizeof(long)), NULL};
    tw_status st = (m->g && mr.line) ? TW_OK : tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    if (!path) {
        for (size_t k = 0; k < n && st == TW_OK; k++) st = tw_codes_add(&m->groups, codes[k], &m->g[k], err);
    } else if (st == TW_OK) {
        st = read_map_file(path, &mr, m, err);
    }
    if (st == TW_OK) st = name_groups(m, codes, names, n, mr.given, err);
    for (size_t k = 0; mr.given && k < n; k++) free(mr.given[k]);
    free(mr.given);
    free(mr.line);
    return st;
}

/* Sum trade, tariff revenue and purchases into the groups' cells. */
static tw_status sum_flows(const tw_world *w, const amap *cm, const amap *sm, tw_draft *d,
                           tw_error *err)
{
    const tw_base *b = w->base;
    size_t N = b->N, J = b->J, G = d->N, S = d->J, cells = G * G * S;
    double *rev = calloc(cells + 1, sizeof *rev);
    double *rsum = calloc(cells + 1, sizeof *rsum);
    size_t *rcnt = calloc(cells + 1, sizeof *rcnt);
    double *lost = calloc(G + 1, sizeof *lost);
    tw_status st = (rev && rsum && rcnt && lost) ? TW_OK
                                                 : tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t n = 0; n < N && st == TW_OK; n++)
        for (size_t i = 0; i < N; i++)
            for (size_t j = 0; j < J; j++) {
                size_t c = tw_ix_nij(N, J, n, i, j);
                size_t g = tw_ix_nij(G, S, cm->g[n], cm->g[i], sm->g[j]);
                double t = b->trade[c], tau = b->tau[c];
                d->trade[g] += t;
                if (cm->g[n] == cm->g[i]) {
                    if (n != i) lost[cm->g[n]] += tau * t;
                    continue;
                }
                rev[g] += tau * t;
                rsum[g] += tau;
                rcnt[g]++;
            }
    for (size_t g = 0; g < cells && st == TW_OK; g++) {
        /* No trade in the group cell: the members' simple mean rate. */
        if (d->trade[g] > 0) d->tau[g] = rev[g] / d->trade[g];
        else if (rcnt[g]) d->tau[g] = rsum[g] / (double)rcnt[g];
    }
    for (size_t g = 0; g < G && st == TW_OK; g++)
        if (lost[g] > 0)
            st = tw_lines_addf(&d->notes, err, "tariffs among the members of %s (revenue %.6g) "
                               "were dropped: their trade is now domestic", d->ccode[g], lost[g]);
    for (size_t n = 0; n < N; n++)
        for (size_t k = 0; k < J; k++)
            for (size_t j = 0; j < J; j++)
                d->use[tw_ix_nkj(S, cm->g[n], sm->g[k], sm->g[j])] +=
                    b->io[tw_ix_nkj(J, n, k, j)] * b->Y[tw_ix_nj(J, n, j)];
    free(rev); free(rsum); free(rcnt); free(lost);
    return st;
}

/* Supplied value-added and final-demand shares, summed in levels. */
static tw_status sum_levels(const tw_world *w, const amap *cm, const amap *sm, tw_draft *d,
                            tw_error *err)
{
    const tw_base *b = w->base;
    size_t N = b->N, J = b->J, G = d->N, S = d->J;
    if (w->va_supplied && !(d->va_level = calloc(G * S, sizeof(double))))
        return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    if (w->alpha_supplied && !(d->fd_level = calloc(G * S, sizeof(double))))
        return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t n = 0; n < N; n++)
        for (size_t j = 0; j < J; j++) {
            size_t g = tw_ix_nj(S, cm->g[n], sm->g[j]);
            if (d->va_level) d->va_level[g] += b->va[tw_ix_nj(J, n, j)] * b->Y[tw_ix_nj(J, n, j)];
            if (d->fd_level) d->fd_level[g] += b->alpha[tw_ix_nj(J, n, j)] * b->I[n];
        }
    return TW_OK;
}

/* The household files, when the world has them: consumption summed over the
 * members' countries and sectors; a group's household count is the sum of
 * its members' when every member has one (a group with only some counted is
 * left out, with a note). */
static tw_status sum_households(const tw_world *w, const amap *cm, const amap *sm, tw_draft *d,
                                tw_error *err)
{
    const tw_base *b = w->base;
    size_t N = b->N, J = b->J, G = d->N, S = d->J;
    if (b->hh) {
        if (!(d->hh_level = calloc(G * S, sizeof *d->hh_level)))
            return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
        for (size_t n = 0; n < N; n++)
            for (size_t j = 0; j < J; j++)
                d->hh_level[tw_ix_nj(S, cm->g[n], sm->g[j])] += b->hh[tw_ix_nj(J, n, j)];
    }
    if (!b->households) return TW_OK;
    size_t *counted = calloc(G, sizeof *counted);
    d->households = calloc(G, sizeof *d->households);
    tw_status st = counted && d->households
                       ? tw_draft_set_text(&d->households_source, "sum of the members' counts "
                                           "in the households.csv of the world aggregated", err)
                       : tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t n = 0; n < N && st == TW_OK; n++)
        if (isfinite(b->households[n])) {
            d->households[cm->g[n]] += b->households[n];
            counted[cm->g[n]]++;
        }
    for (size_t g = 0; g < G && st == TW_OK; g++) {
        if (counted[g] == cm->size[g]) continue;
        if (counted[g])
            st = tw_lines_addf(&d->notes, err, "households of %s are not given: %zu of its %zu "
                               "members have a count in households.csv", d->ccode[g], counted[g],
                               cm->size[g]);
        d->households[g] = NAN;
    }
    free(counted);
    return st;
}

/* Layer k of the world in the group cells, weighted as the tariffs are
 * (contribution x trade / trade, the simple mean where a group cell has no
 * trade); the rate written is the largest member rate. */
static void sum_layer(const tw_base *b, const amap *cm, const amap *sm, tw_draft *d, size_t k,
                      double *acc, double *cnt)
{
    size_t N = b->N, J = b->J, G = d->N, S = d->J, cells = G * G * S;
    double *v = d->layer_v + k * cells, *rate = d->layer_rate + k * cells;
    memset(acc, 0, cells * sizeof *acc);
    memset(cnt, 0, cells * sizeof *cnt);
    for (size_t n = 0; n < N; n++)
        for (size_t i = 0; i < N; i++)
            for (size_t j = 0; j < J; j++)
                if (cm->g[n] != cm->g[i]) cnt[tw_ix_nij(G, S, cm->g[n], cm->g[i], sm->g[j])]++;
    for (size_t q = 0; q < b->n_layer_rows; q++) {
        const struct tw_layer_row *r = &b->layer_rows[q];
        if (r->layer != k || cm->g[r->n] == cm->g[r->i]) continue;
        size_t g = tw_ix_nij(G, S, cm->g[r->n], cm->g[r->i], sm->g[r->j]);
        double t = b->trade[tw_ix_nij(N, J, r->n, r->i, r->j)], c = r->rate * r->share;
        v[g] += c * t;
        acc[g] += c;
        if (c > 0 && r->rate > rate[g]) rate[g] = r->rate;
    }
    for (size_t g = 0; g < cells; g++)
        v[g] = d->trade[g] > 0 ? v[g] / d->trade[g] : cnt[g] > 0 ? acc[g] / cnt[g] : 0;
}

/* The baseline layers, when the world has them: each layer's contribution in
 * the group cells, so that a group cell's layers sum to no more than its
 * tariff; layers inside a group are dropped with its tariffs. */
static tw_status sum_layers(const tw_world *w, const amap *cm, const amap *sm, tw_draft *d,
                            tw_error *err)
{
    const tw_base *b = w->base;
    if (!b->layer_rows) return TW_OK;
    size_t L = b->n_layer_names, cells = d->N * d->N * d->J, all = L * cells;
    d->layer_name = calloc(L ? L : 1, sizeof *d->layer_name);
    d->layer_v = calloc(all ? all : 1, sizeof *d->layer_v);
    d->layer_rate = calloc(all ? all : 1, sizeof *d->layer_rate);
    double *acc = calloc(cells ? cells : 1, sizeof *acc), *cnt = calloc(cells ? cells : 1, sizeof *cnt);
    int ok = d->layer_name && d->layer_v && d->layer_rate && acc && cnt;
    for (size_t k = 0; k < L && ok; k++, d->n_layers++)
        ok = (d->layer_name[k] = strdup(b->layer_names[k])) != NULL;
    for (size_t k = 0; k < L && ok; k++) sum_layer(b, cm, sm, d, k, acc, cnt);
    free(acc);
    free(cnt);
    return ok ? TW_OK : tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
}

/* theta and tradable of the sector groups. */
static tw_status sector_params(const tw_world *w, const amap *sm, tw_draft *d, tw_error *err)
{
    const tw_base *b = w->base;
    size_t N = b->N, J = b->J, S = d->J;
    double *ex = calloc(J, sizeof *ex), *out = calloc(J, sizeof *out);
    if (!ex || !out) {
        free(ex);
        free(out);
        return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t n = 0; n < N; n++)
        for (size_t i = 0; i < N; i++)
            for (size_t j = 0; j < J; j++) {
                double t = b->trade[tw_ix_nij(N, J, n, i, j)];
                out[j] += t;
                if (n != i) ex[j] += t;
            }
    tw_status st = TW_OK;
    for (size_t s = 0; s < S && st == TW_OK; s++) {
        double wex = 0, wout = 0, tex = 0, tout = 0, tsum = 0;
        size_t m = 0, ntr = 0;
        for (size_t j = 0; j < J; j++) {
            if (sm->g[j] != s) continue;
            wex += ex[j]; tex += ex[j] * b->theta[j];
            wout += out[j]; tout += out[j] * b->theta[j];
            tsum += b->theta[j];
            m++;
            ntr += b->tradable[j] != 0;
        }
        const char *how = "world exports";
        if (wex > 0) d->theta[s] = tex / wex;
        else if (wout > 0) { d->theta[s] = tout / wout; how = "world gross output"; }
        else { d->theta[s] = tsum / (double)m; how = "equal weights"; }
        d->tradable[s] = ntr > 0;
        if (m > 1)
            st = tw_lines_addf(&d->notes, err, "sector %s merges %zu sectors: theta %.6g is their "
                               "mean weighted by %s%s", d->scode[s], m, d->theta[s], how,
                               ntr && ntr < m ? "; it mixes tradable and non-tradable sectors and "
                               "is tradable (the non-tradable members' flows carry rate 0)" : "");
    }
    free(ex);
    free(out);
    return st;
}

static const char *const conventions[] = {
    "Aggregation: countries and sectors were mapped to groups (code,group); every trade cell, "
    "intermediate purchase (input share x gross output) and, where the world supplies them, "
    "value added and final demand in levels were summed over the members before any share was "
    "taken.",
    "Tariffs: the rate of a group cell is tariff revenue / trade over its member cells (trade-"
    "weighted), so tariff revenue between groups is unchanged; a cell with no trade takes the "
    "simple mean of its members' rates. Trade between members of one group is domestic and "
    "carries no tariff.",
    "Trade elasticities: theta of a merged sector is the mean of its members' theta weighted "
    "by their world international trade (exports); by world gross output when they have no "
    "exports, equally when they have no output. A group is tradable when any member is.",
};

static const char households_convention[] =
    "Households: household consumption is summed over the members' countries and sectors; a "
    "group's number of households is the sum of its members' when every member has one, and "
    "the group has none otherwise.";

static const char layers_convention[] =
    "Baseline layers: a layer's contribution (rate x share) in a group cell is weighted like the "
    "tariffs (by the member cells' trade; the simple mean where the group cell has no trade), "
    "so the layers of a cell still sum to no more than its tariff; the rate written is the "
    "largest member rate and the share the contribution over it. Layers between members of "
    "one group are dropped with their tariffs.";

static tw_draft *aggregate(const tw_world *w, const char *country_map, const char *sector_map,
                           tw_error *err)
{
    if (!w) {
        tw_error_set(err, TW_EARG, NULL, 0, 0, "no world");
        return NULL;
    }
    const tw_base *b = w->base;
    amap cm = {0}, sm = {0};
    tw_draft *d = NULL;
    tw_status st = read_map(country_map, w->ccode, w->cname, b->N, "country", &cm, err);
    if (st == TW_OK) st = read_map(sector_map, w->scode, w->sname, b->J, "sector", &sm, err);
    if (st == TW_OK && !(d = tw_draft_new("aggregate", &cm.groups, &sm.groups, err))) st = TW_ENOMEM;
    for (size_t g = 0; g < cm.groups.n && st == TW_OK; g++) st = tw_draft_set_text(&d->cname[g], cm.gname[g], err);
    for (size_t s = 0; s < sm.groups.n && st == TW_OK; s++) st = tw_draft_set_text(&d->sname[s], sm.gname[s], err);
    if (st == TW_OK) st = tw_draft_set_text(&d->source, w->dir, err);
    if (st == TW_OK) st = sum_flows(w, &cm, &sm, d, err);
    if (st == TW_OK) st = sum_levels(w, &cm, &sm, d, err);
    if (st == TW_OK) st = sum_households(w, &cm, &sm, d, err);
    if (st == TW_OK) st = sum_layers(w, &cm, &sm, d, err);
    if (st == TW_OK) st = sector_params(w, &sm, d, err);
    /* every key but the default elasticity set's name: the merged theta is a
     * mean of the members', no named set, and the sets are not carried over */
    for (size_t k = 0; k < w->n_meta && st == TW_OK; k++)
        if (strcmp(w->meta_key[k], "elasticities") != 0)
            st = tw_draft_set_meta(d, w->meta_key[k], w->meta_val[k], err);
    for (size_t k = 0; k < sizeof conventions / sizeof conventions[0] && st == TW_OK; k++)
        st = tw_lines_addf(&d->conventions, err, "%s", conventions[k]);
    if (st == TW_OK && (b->hh || b->households))
        st = tw_lines_addf(&d->conventions, err, "%s", households_convention);
    if (st == TW_OK && b->layer_rows)
        st = tw_lines_addf(&d->conventions, err, "%s", layers_convention);
    if (st == TW_OK) st = tw_draft_finish(d, err);
    amap_free(&cm);
    amap_free(&sm);
    return tw_draft_done(d, st);
}

tw_draft *tw_aggregate(const tw_world *w, const char *country_map, const char *sector_map,
                       tw_error *err)
{
    tw_error local; /* the readers use the record throughout; err may be NULL */
    return aggregate(w, country_map, sector_map, tw_error_use(err, &local));
}

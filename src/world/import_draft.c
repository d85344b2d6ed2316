/* import_draft.c - a world under construction and the repairs that finish it.
 *
 * Importers and the aggregation fill a tw_draft with levels: trade flows before
 * tariffs and intermediate purchases use[n][k][j] (input k bought by industry j
 * of country n, from all origins).  tw_draft_finish() divides purchases by gross
 * output (total sales, so the files are exactly consistent with each other) and
 * makes the repairs a derived baseline needs (docs/model.md):
 *
 *   1. an industry with no output has no cost shares: inputs it bought stay in
 *      the flows and count as final demand;
 *   2. input shares above 1 (negative value added) are scaled to sum to 1;
 *   3. where a country's intermediate use of a good exceeds its purchases of it
 *      (inventory draw-downs), that input's shares are scaled down until derived
 *      final demand is 0; the difference goes to value added.
 *
 * Invariant on success: io shares are finite, >= 0, sum to <= 1 per industry,
 * and derived final demand is >= -1e-9 of spending in every cell, so the world
 * loads and its zero shock changes nothing.  Each repair is one line of text. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/index.h"
#include "world/import_impl.h"
#include "world/world_impl.h"

/* Intermediate use may exceed purchases by this much before it is repaired:
 * below it the gap is rounding in the source, which the loader clamps to a
 * final demand of 0 (FD_CLAMP_REL in shares.c), so it is left alone here. */
#define USE_SLACK_REL 1e-9

/* ---- code lists --------------------------------------------------------- */

void tw_codes_free(tw_codes *c)
{
    for (size_t k = 0; k < c->n; k++) free(c->code[k]);
    free(c->code);
    free(c->sorted);
    memset(c, 0, sizeof *c);
}

/* Binary search over the sorted index: position where s is or would go. */
static size_t codes_lower(const tw_codes *c, const char *s, int *found)
{
    size_t lo = 0, hi = c->n;
    *found = 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int cmp = strcmp(c->code[c->sorted[mid]], s);
        if (cmp == 0) {
            *found = 1;
            return mid;
        }
        if (cmp < 0) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

long tw_codes_find(const tw_codes *c, const char *s)
{
    int found;
    size_t pos = codes_lower(c, s, &found);
    return found ? (long)c->sorted[pos] : -1;
}

tw_status tw_codes_add(tw_codes *c, const char *s, size_t *idx, tw_error *err)
{
    int found;
    size_t pos = codes_lower(c, s, &found);
    if (found) {
        if (idx) *idx = c->sorted[pos];
        return TW_OK;
    }
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 16;
        char **t = realloc(c->code, cap * sizeof *t);
        if (!t) return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
        c->code = t;
        size_t *u = realloc(c->sorted, cap * sizeof *u);
        if (!u) return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
        c->sorted = u;
        c->cap = cap;
    }
    char *copy = strdup(s);
    if (!copy) return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    memmove(c->sorted + pos + 1, c->sorted + pos, (c->n - pos) * sizeof *c->sorted);
    c->sorted[pos] = c->n;
    c->code[c->n] = copy;
    if (idx) *idx = c->n;
    c->n++;
    return TW_OK;
}

/* ---- text lines --------------------------------------------------------- */

void tw_lines_free(tw_lines *l)
{
    for (size_t k = 0; k < l->n; k++) free(l->line[k]);
    free(l->line);
    memset(l, 0, sizeof *l);
}

tw_status tw_lines_addf(tw_lines *l, tw_error *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = len >= 0 ? malloc((size_t)len + 1) : NULL;
    char **t = s ? realloc(l->line, (l->n + 1) * sizeof *t) : NULL;
    if (!t) {
        free(s);
        return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    }
    l->line = t;
    va_start(ap, fmt);
    vsnprintf(s, (size_t)len + 1, fmt, ap);
    va_end(ap);
    l->line[l->n++] = s;
    return TW_OK;
}

/* ---- the draft ---------------------------------------------------------- */

static char **copy_codes(const tw_codes *c)
{
    char **v = calloc(c->n + 1, sizeof *v);
    if (!v) return NULL;
    for (size_t k = 0; k < c->n; k++)
        if (!(v[k] = strdup(c->code[k]))) {
            for (size_t q = 0; q < k; q++) free(v[q]);
            free(v);
            return NULL;
        }
    return v;
}

tw_draft *tw_draft_new(const char *kind, const tw_codes *countries, const tw_codes *sectors,
                       tw_error *err)
{
    size_t N = countries->n, J = sectors->n;
    tw_draft *d = calloc(1, sizeof *d);
    if (!d) goto oom;
    d->N = N;
    d->J = J;
    d->kind = strdup(kind);
    d->ccode = copy_codes(countries);
    d->cname = copy_codes(countries);
    d->scode = copy_codes(sectors);
    d->sname = copy_codes(sectors);
    d->theta = calloc(J + 1, sizeof *d->theta);
    d->tradable = calloc(J + 1, sizeof *d->tradable);
    size_t nij = N * N * J, nkj = N * J * J;
    d->trade = calloc(nij + 1, sizeof(double));
    d->tau = calloc(nij + 1, sizeof(double));
    d->use = calloc(nkj + 1, sizeof(double));
    d->io = calloc(nkj + 1, sizeof(double));
    if (!d->kind || !d->ccode || !d->cname || !d->scode || !d->sname || !d->theta ||
        !d->tradable || !d->trade || !d->tau || !d->use || !d->io)
        goto oom;
    for (size_t j = 0; j < J; j++) d->tradable[j] = 1;
    return d;
oom:
    tw_draft_free(d);
    tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory for a %zu x %zu world", N, J);
    return NULL;
}

void tw_draft_free(tw_draft *d)
{
    if (!d) return;
    tw_strings_free(d->ccode, d->N);
    tw_strings_free(d->cname, d->N);
    tw_strings_free(d->scode, d->J);
    tw_strings_free(d->sname, d->J);
    tw_strings_free(d->meta_val, d->meta_keys.n);
    tw_codes_free(&d->meta_keys);
    tw_lines_free(&d->repairs);
    tw_lines_free(&d->notes);
    tw_lines_free(&d->conventions);
    free(d->theta); free(d->tradable); free(d->trade); free(d->tau); free(d->use);
    free(d->io); free(d->va_level); free(d->fd_level);
    free(d->hh_level); free(d->households); free(d->households_source);
    for (size_t k = 0; k < d->n_layers && d->layer_name; k++) free(d->layer_name[k]);
    free(d->layer_name); free(d->layer_v); free(d->layer_rate);
    free(d->kind); free(d->source); free(d->command);
    free(d);
}

tw_draft *tw_draft_done(tw_draft *d, tw_status st)
{
    if (st == TW_OK) return d;
    tw_draft_free(d);
    return NULL;
}

tw_status tw_draft_set_text(char **dst, const char *src, tw_error *err)
{
    char *copy = strdup(src ? src : "");
    if (!copy) return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    free(*dst);
    *dst = copy;
    return TW_OK;
}

tw_status tw_draft_set_meta(tw_draft *d, const char *key, const char *value, tw_error *err)
{
    long k = tw_codes_find(&d->meta_keys, key);
    if (k >= 0) return tw_draft_set_text(&d->meta_val[k], value, err);
    char **t = realloc(d->meta_val, (d->meta_keys.n + 1) * sizeof *t);
    if (!t) return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    d->meta_val = t;
    d->meta_val[d->meta_keys.n] = NULL;
    if (tw_draft_set_text(&d->meta_val[d->meta_keys.n], value, err) != TW_OK) return TW_ENOMEM;
    size_t idx;
    if (tw_codes_add(&d->meta_keys, key, &idx, err) != TW_OK) {
        free(d->meta_val[d->meta_keys.n]);
        d->meta_val[d->meta_keys.n] = NULL;
        return TW_ENOMEM;
    }
    return TW_OK;
}

tw_status tw_draft_set_command(tw_draft *d, const char *command, tw_error *err)
{
    if (!d || !command) return tw_error_set(err, TW_EARG, NULL, 0, 0, "no draft or command");
    return tw_draft_set_text(&d->command, command, err);
}

size_t tw_draft_n_countries(const tw_draft *d) { return d ? d->N : 0; }
size_t tw_draft_n_sectors(const tw_draft *d) { return d ? d->J : 0; }
size_t tw_draft_n_repairs(const tw_draft *d) { return d ? d->repairs.n : 0; }
size_t tw_draft_n_notes(const tw_draft *d) { return d ? d->notes.n : 0; }

const char *tw_draft_repair(const tw_draft *d, size_t k)
{
    return d && k < d->repairs.n ? d->repairs.line[k] : NULL;
}

const char *tw_draft_note(const tw_draft *d, size_t k)
{
    return d && k < d->notes.n ? d->notes.line[k] : NULL;
}

double *tw_draft_output(const tw_draft *d, tw_error *err)
{
    size_t N = d->N, J = d->J;
    double *Y = calloc(N * J + 1, sizeof *Y);
    if (!Y) {
        tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
        return NULL;
    }
    for (size_t n = 0; n < N; n++)
        for (size_t i = 0; i < N; i++)
            for (size_t j = 0; j < J; j++) Y[tw_ix_nj(J, i, j)] += d->trade[tw_ix_nij(N, J, n, i, j)];
    return Y;
}

tw_status tw_draft_clear_negative_trade(tw_draft *d, const char *cause, tw_error *err)
{
    size_t N = d->N, J = d->J;
    for (size_t n = 0; n < N; n++)
        for (size_t i = 0; i < N; i++)
            for (size_t j = 0; j < J; j++) {
                double *v = &d->trade[tw_ix_nij(N, J, n, i, j)];
                if (!(*v < 0)) continue;
                if (tw_lines_addf(&d->repairs, err, "%s->%s %s: flow %.6g is negative (%s): set to 0",
                                  d->ccode[i], d->ccode[n], d->scode[j], *v, cause) != TW_OK)
                    return TW_ENOMEM;
                *v = 0;
            }
    return TW_OK;
}

/* ---- finishing: shares and repairs -------------------------------------- */

/* Repairs 1 and 2: shares from levels, industry by industry. */
static tw_status shares_from_use(tw_draft *d, const double *Y, tw_error *err)
{
    size_t N = d->N, J = d->J;
    for (size_t n = 0; n < N; n++)
        for (size_t j = 0; j < J; j++) {
            double y = Y[tw_ix_nj(J, n, j)], bought = 0, sum = 0;
            for (size_t k = 0; k < J; k++) bought += d->use[tw_ix_nkj(J, n, k, j)];
            if (!(y > 0)) {
                for (size_t k = 0; k < J; k++) d->io[tw_ix_nkj(J, n, k, j)] = 0;
                if (bought > 0 &&
                    tw_lines_addf(&d->repairs, err,
                                  "%s %s: no output but input purchases of %.6g: no input "
                                  "shares (those purchases count as final demand)",
                                  d->ccode[n], d->scode[j], bought) != TW_OK)
                    return TW_ENOMEM;
                continue;
            }
            for (size_t k = 0; k < J; k++) {
                double s = d->use[tw_ix_nkj(J, n, k, j)] / y;
                d->io[tw_ix_nkj(J, n, k, j)] = s;
                sum += s;
            }
            if (sum > 1) {
                if (tw_lines_addf(&d->repairs, err,
                                  "%s %s: value added is negative (%.4g %% of output): input "
                                  "shares scaled to sum to 1, value added set to 0",
                                  d->ccode[n], d->scode[j], 100.0 * (1.0 - sum)) != TW_OK)
                    return TW_ENOMEM;
                for (size_t k = 0; k < J; k++) d->io[tw_ix_nkj(J, n, k, j)] /= sum;
            }
        }
    return TW_OK;
}

/* Repair 3: F_n^k = X_n^k - sum_j io[n][k][j] Y_n^j must not be negative. */
static tw_status cap_intermediate_use(tw_draft *d, const double *Y, tw_error *err)
{
    size_t N = d->N, J = d->J;
    for (size_t n = 0; n < N; n++)
        for (size_t k = 0; k < J; k++) {
            double X = 0, U = 0;
            for (size_t i = 0; i < N; i++) {
                size_t c = tw_ix_nij(N, J, n, i, k);
                X += d->trade[c] * (1.0 + d->tau[c]);
            }
            for (size_t j = 0; j < J; j++) U += d->io[tw_ix_nkj(J, n, k, j)] * Y[tw_ix_nj(J, n, j)];
            if (!(U > X * (1.0 + USE_SLACK_REL))) continue;
            double f = X / U;
            if (tw_lines_addf(&d->repairs, err,
                              "%s %s: intermediate use %.6g exceeds purchases %.6g (inventory "
                              "draw-downs): its input shares scaled by %.6g so that final "
                              "demand is 0, the difference added to value added",
                              d->ccode[n], d->scode[k], U, X, f) != TW_OK)
                return TW_ENOMEM;
            for (size_t j = 0; j < J; j++) d->io[tw_ix_nkj(J, n, k, j)] *= f;
        }
    return TW_OK;
}

/* The loader's own checks, made here so the importer names the problem. */
static tw_status check_countries(const tw_draft *d, const double *Y, tw_error *err)
{
    size_t N = d->N, J = d->J;
    for (size_t n = 0; n < N; n++) {
        double buys = 0, sells = 0, final = 0;
        for (size_t j = 0; j < J; j++) {
            double X = 0, U = 0;
            for (size_t i = 0; i < N; i++) {
                size_t c = tw_ix_nij(N, J, n, i, j);
                buys += d->trade[c];
                sells += d->trade[tw_ix_nij(N, J, i, n, j)];
                X += d->trade[c] * (1.0 + d->tau[c]);
            }
            for (size_t k = 0; k < J; k++) U += d->io[tw_ix_nkj(J, n, j, k)] * Y[tw_ix_nj(J, n, k)];
            if (X - U > 0) final += X - U;
        }
        if (!(buys > 0 || sells > 0))
            return tw_error_set(err, TW_EINPUT, d->source, 0, 0,
                                "country \"%s\" has no trade (every flow to and from it is "
                                "zero)", d->ccode[n]);
        if (!d->fd_level && !(final > 0))
            return tw_error_set(err, TW_EINPUT, d->source, 0, 0,
                                "final demand of %s is zero in every sector (expected positive "
                                "spending on final goods)", d->ccode[n]);
    }
    return TW_OK;
}

tw_status tw_draft_finish(tw_draft *d, tw_error *err)
{
    double *Y = tw_draft_output(d, err);
    if (!Y) return TW_ENOMEM;
    tw_status st = shares_from_use(d, Y, err);
    /* With final demand supplied there is no derived F to keep non-negative. */
    if (st == TW_OK && !d->fd_level) st = cap_intermediate_use(d, Y, err);
    if (st == TW_OK) st = check_countries(d, Y, err);
    free(Y);
    return st;
}

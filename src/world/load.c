/* load.c - reading a world directory: countries, sectors, trade, tariffs, meta.
 *
 * tw_world_load reads the files of docs/data-format.md in a fixed order
 * (countries, sectors, trade, tariffs, then the shares in shares.c, then meta,
 * then the optional household files of households.c and the named
 * elasticity sets of elasticities.c),
 * validating each row as it comes so the first error reported is the first
 * one in the file.  Invariant: the returned world is complete and consistent
 * (every code known and unique, every value finite and in range, the baseline
 * finished); on any failure everything built so far is freed and err says
 * file:line, column and what was expected. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/index.h"
#include "core/num.h"
#include "world/cache.h"
#include "world/loader.h"

/* ---- countries and sectors ---------------------------------------------- */

typedef struct name_list {
    char **code, **name;
    long *line;
    double *theta;
    int *tradable;
    size_t n, cap;
} name_list;

static void name_list_free(name_list *l)
{
    for (size_t k = 0; k < l->n; k++) {
        free(l->code[k]);
        free(l->name[k]);
    }
    free(l->code);
    free(l->name);
    free(l->line);
    free(l->theta);
    free(l->tradable);
    memset(l, 0, sizeof *l);
}

static tw_status name_list_grow(name_list *l, tw_error *err)
{
    if (l->n < l->cap) return TW_OK;
    size_t cap = l->cap ? 2 * l->cap : 16;
    char **c = realloc(l->code, cap * sizeof *c);
    if (c) l->code = c;
    char **nm = c ? realloc(l->name, cap * sizeof *nm) : NULL;
    if (nm) l->name = nm;
    long *ln = nm ? realloc(l->line, cap * sizeof *ln) : NULL;
    if (ln) l->line = ln;
    double *th = ln ? realloc(l->theta, cap * sizeof *th) : NULL;
    if (th) l->theta = th;
    int *tr = th ? realloc(l->tradable, cap * sizeof *tr) : NULL;
    if (tr) l->tradable = tr;
    if (!tr) return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    l->cap = cap;
    return TW_OK;
}

/* Read countries.csv (sector = 0) or sectors.csv (sector = 1) into l. */
static tw_status read_names(tw_loader *L, int sector, name_list *l)
{
    static const char *const creq[] = {"code", "name"};
    static const char *const sreq[] = {"code", "name", "theta"};
    static const char *const sopt[] = {"tradable"};
    const char *file = sector ? "sectors.csv" : "countries.csv";
    const char *kind = sector ? "sector" : "country";
    long idx[4] = {-1, -1, -1, -1};
    tw_csv *r;
    tw_status st = sector ? tw_loader_open(L, file, 0, sreq, 3, sopt, 1, idx, &r)
                          : tw_loader_open(L, file, 0, creq, 2, NULL, 0, idx, &r);
    if (st != TW_OK) return st;
    int got;
    while ((got = tw_csv_next(r, L->err)) > 0) {
        const char *code = tw_csv_field(r, (size_t)idx[0]);
        if (!code[0]) {
            st = tw_loader_row_error(L, r, "code", "%s code is empty", kind);
            break;
        }
        if (strlen(code) >= TW_CODE_MAX) {
            st = tw_loader_row_error(L, r, "code",
                                     "%s code \"%.40s...\" is too long (expected at most %d "
                                     "bytes)", kind, code, TW_CODE_MAX - 1);
            break;
        }
        if (strcmp(code, "*") == 0) {
            st = tw_loader_row_error(L, r, "code",
                                     "%s code \"*\" is reserved (it means \"all\" in "
                                     "counterfactuals)", kind);
            break;
        }
        for (size_t k = 0; k < l->n && st == TW_OK; k++)
            if (strcmp(l->code[k], code) == 0)
                st = tw_loader_row_error(L, r, "code", "duplicate %s \"%s\" (first on line %ld)",
                                         kind, code, l->line[k]);
        if (st != TW_OK) break;
        double theta = 0;
        int tradable = 1;
        if (sector) {
            char what[TW_CODE_MAX + 8];
            snprintf(what, sizeof what, "sector %s", code);
            st = tw_loader_number(L, r, idx[2], "theta", what, 1, &theta);
            if (st != TW_OK) break;
            if (!(theta >= TW_THETA_MIN && theta <= TW_THETA_MAX)) {
                st = tw_loader_row_error(L, r, "theta",
                                         "theta \"%s\" for %s is out of range (expected %g <= "
                                         "theta <= %g)", tw_csv_field(r, (size_t)idx[2]), what,
                                         TW_THETA_MIN, TW_THETA_MAX);
                break;
            }
            const char *t = idx[3] >= 0 ? tw_csv_field(r, (size_t)idx[3]) : "";
            if (strcmp(t, "0") == 0) {
                tradable = 0;
            } else if (t[0] && strcmp(t, "1") != 0) {
                st = tw_loader_row_error(L, r, "tradable",
                                         "tradable \"%s\" for sector %s is not 1 or 0", t, code);
                break;
            }
        }
        if ((st = name_list_grow(l, L->err)) != TW_OK) break;
        char *c = strdup(code), *nm = strdup(tw_csv_field(r, (size_t)idx[1]));
        if (!c || !nm) {
            free(c);
            free(nm);
            st = tw_error_set(L->err, TW_ENOMEM, NULL, 0, 0, "out of memory");
            break;
        }
        l->code[l->n] = c;
        l->name[l->n] = nm;
        l->line[l->n] = tw_csv_line(r);
        l->theta[l->n] = theta;
        l->tradable[l->n] = tradable;
        l->n++;
    }
    if (got < 0) st = L->err->code;
    if (st == TW_OK && l->n == 0)
        st = tw_error_set(L->err, TW_EINPUT, file, 0, 0,
                          "no %s (expected at least one row after the header)",
                          sector ? "sectors" : "countries");
    tw_csv_close(r);
    return st;
}

/* Read both name files, then allocate the baseline and hand the names to w. */
static tw_status read_dimensions(tw_loader *L)
{
    name_list c = {0}, s = {0};
    tw_status st = read_names(L, 0, &c);
    if (st == TW_OK) st = read_names(L, 1, &s);
    if (st == TW_OK) {
        L->N = c.n;
        L->J = s.n;
        size_t cells = L->N * L->N * L->J, io = L->N * L->J * L->J;
        L->seen = calloc(cells > io ? cells : io, sizeof *L->seen);
        L->w->base = L->seen ? tw_base_alloc(L->N, L->J, L->err) : NULL;
        if (!L->seen) st = tw_error_set(L->err, TW_ENOMEM, NULL, 0, 0, "out of memory");
        else if (!L->w->base) st = TW_ENOMEM;
    }
    if (st == TW_OK) {
        tw_world *w = L->w;
        w->ccode = c.code; w->cname = c.name;
        w->scode = s.code; w->sname = s.name;
        memcpy(w->base->theta, s.theta, L->J * sizeof(double));
        memcpy(w->base->tradable, s.tradable, L->J * sizeof(int));
        free(c.line); free(c.theta); free(c.tradable);
        free(s.line); free(s.theta); free(s.tradable);
        L->cix = tw_loader_index(w->ccode, L->N, L->err);
        L->six = L->cix ? tw_loader_index(w->scode, L->J, L->err) : NULL;
        return L->six ? TW_OK : TW_ENOMEM;
    }
    name_list_free(&c);
    name_list_free(&s);
    return st;
}

/* ---- trade and tariffs -------------------------------------------------- */

static tw_status read_flows(tw_loader *L, int tariffs)
{
    static const char *const treq[] = {"importer", "exporter", "sector", "value"};
    static const char *const rreq[] = {"importer", "exporter", "sector", "rate"};
    const char *file = tariffs ? "tariffs.csv" : "trade.csv";
    const char *vcol = tariffs ? "rate" : "value";
    size_t N = L->N, J = L->J;
    tw_base *b = L->w->base;
    long idx[4];
    tw_csv *r;
    tw_status st = tw_loader_open(L, file, tariffs, tariffs ? rreq : treq, 4, NULL, 0, idx, &r);
    if (st != TW_OK || !r) return st;
    memset(L->seen, 0, N * N * J * sizeof *L->seen);
    int got;
    while ((got = tw_csv_next(r, L->err)) > 0) {
        size_t n = 0, i = 0, j = 0;
        if ((st = tw_loader_code(L, r, idx[0], "importer", 0, &n)) != TW_OK ||
            (st = tw_loader_code(L, r, idx[1], "exporter", 0, &i)) != TW_OK ||
            (st = tw_loader_code(L, r, idx[2], "sector", 1, &j)) != TW_OK)
            break;
        size_t c = tw_ix_nij(N, J, n, i, j);
        double v = 0;
        int plain = tw_loader_plain_row(L, r, c, idx[3], &v);
        /* A zero rate on a cell tariffs cannot touch is harmless (full matrices
         * are common in exported data); a nonzero one contradicts the model.
         * The cell's name is formatted only for a message. */
        if (plain && !(tariffs && v != 0 && (n == i || !b->tradable[j]))) {
            (tariffs ? b->tau : b->trade)[c] = v;
            continue;
        }
        char cell[3 * TW_CODE_MAX + 8];
        snprintf(cell, sizeof cell, "%s->%s %s", L->w->ccode[i], L->w->ccode[n],
                 L->w->scode[j]);
        if (!plain && ((st = tw_loader_first_row(L, r, c, "importer", cell)) != TW_OK ||
                       (st = tw_loader_number(L, r, idx[3], vcol, cell, 0, &v)) != TW_OK))
            break;
        if (tariffs && v != 0 && n == i) {
            st = tw_loader_row_error(L, r, "rate",
                                     "rate \"%s\" for %s is on a domestic cell (expected 0 "
                                     "where importer = exporter)",
                                     tw_csv_field(r, (size_t)idx[3]), cell);
            break;
        }
        if (tariffs && v != 0 && !b->tradable[j]) {
            st = tw_loader_row_error(L, r, "rate",
                                     "rate \"%s\" for %s is on non-tradable sector %s "
                                     "(expected 0)",
                                     tw_csv_field(r, (size_t)idx[3]), cell, L->w->scode[j]);
            break;
        }
        (tariffs ? b->tau : b->trade)[c] = v;
    }
    if (got < 0) st = L->err->code;
    tw_csv_close(r);
    return st;
}

/* A country that neither buys nor sells anything has no equilibrium prices. */
static tw_status check_trade_present(tw_loader *L)
{
    size_t N = L->N, J = L->J;
    const double *t = L->w->base->trade;
    for (size_t n = 0; n < N; n++) {
        int any = 0;
        for (size_t i = 0; i < N && !any; i++)
            for (size_t j = 0; j < J && !any; j++)
                any = t[tw_ix_nij(N, J, n, i, j)] > 0 || t[tw_ix_nij(N, J, i, n, j)] > 0;
        if (!any) {
            tw_error_set(L->err, TW_EINPUT, "trade.csv", 0, 0,
                         "country \"%s\" has no trade (every flow to and from it is zero or "
                         "absent)", L->w->ccode[n]);
            snprintf(L->err->field, sizeof L->err->field, "%s", L->w->ccode[n]);
            return TW_EINPUT;
        }
    }
    return TW_OK;
}

/* ---- meta --------------------------------------------------------------- */

static char *trim(char *s)
{
    size_t a = strspn(s, " \t"), b = strlen(s);
    while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t')) b--;
    memmove(s, s + a, b - a);
    s[b - a] = '\0';
    return s;
}

/* Field k of the current record, followed by every field after it when k is
 * the last header column (ncols = k + 1); a fresh string, NULL on ENOMEM. */
static char *join_value(const tw_csv *r, size_t k, size_t ncols)
{
    /* Fields keep their spaces here (tw_csv_keep_spaces); trim the ends only. */
    size_t nf = tw_csv_nfields(r), last = ncols == k + 1 && nf > k ? nf - 1 : k, len = 0;
    for (size_t f = k; f <= last; f++) len += strlen(tw_csv_field(r, f)) + 1;
    char *v = malloc(len + 1);
    if (!v) return NULL;
    v[0] = '\0';
    for (size_t f = k; f <= last; f++) {
        if (f > k) strcat(v, ",");
        strcat(v, tw_csv_field(r, f));
    }
    return trim(v);
}

static tw_status read_meta(tw_loader *L)
{
    static const char *const req[] = {"key", "value"};
    tw_world *w = L->w;
    long idx[2];
    tw_csv *r;
    tw_status st = tw_loader_open(L, "meta.csv", 1, req, 2, NULL, 0, idx, &r);
    if (st != TW_OK || !r) return st;
    /* The value is free text; when it is the last column, a comma the writer
     * forgot to quote ("source,WIOD (Timmer et al. 2015), CC BY") belongs to it. */
    size_t ncols = tw_csv_nfields(r); /* still the header's */
    tw_csv_allow_extra_fields(r);
    tw_csv_keep_spaces(r);
    long *lines = NULL;
    int got;
    while ((got = tw_csv_next(r, L->err)) > 0) {
        char *ks = strdup(tw_csv_field(r, (size_t)idx[0]));
        if (!ks) {
            st = tw_error_set(L->err, TW_ENOMEM, NULL, 0, 0, "out of memory");
            break;
        }
        trim(ks);
        if (!ks[0]) st = tw_loader_row_error(L, r, "key", "key is empty");
        for (size_t k = 0; k < w->n_meta && st == TW_OK; k++)
            if (strcmp(w->meta_key[k], ks) == 0)
                /* NOLINTNEXTLINE(clang-analyzer-core.CallAndMessage): as below */
                st = tw_loader_row_error(L, r, "key", "duplicate key \"%s\" (first on line %ld)",
                                         ks, lines[k]); /* NOLINT: lines has n_meta entries */
        size_t m = w->n_meta + 1;
        char **tk = st == TW_OK ? realloc(w->meta_key, m * sizeof *tk) : NULL;
        if (tk) w->meta_key = tk;
        char **tv = tk ? realloc(w->meta_val, m * sizeof *tv) : NULL;
        if (tv) w->meta_val = tv;
        long *tl = tv ? realloc(lines, m * sizeof *tl) : NULL;
        if (tl) lines = tl;
        char *vs = tl ? join_value(r, (size_t)idx[1], ncols) : NULL;
        if (!vs) {
            free(ks);
            if (st == TW_OK) st = tw_error_set(L->err, TW_ENOMEM, NULL, 0, 0, "out of memory");
            break;
        }
        w->meta_key[w->n_meta] = ks;
        w->meta_val[w->n_meta] = vs;
        lines[w->n_meta] = tw_csv_line(r);
        w->n_meta = m;
    }
    if (got < 0) st = L->err->code;
    free(lines);
    tw_csv_close(r);
    return st;
}

/* ---- the entry point ---------------------------------------------------- */

/* Keep w, just parsed, in the cache under key, when the folder still has the
 * key it had before parsing (a file changed meanwhile is not kept under the
 * old contents' key). */
static void keep_in_cache(const tw_world *w, const char *dir, uint64_t max_bytes,
                          const tw_cache_key *key)
{
    if (!key->usable) return;
    tw_cache_key after;
    tw_cache_key_of(dir, max_bytes, &after);
    if (after.usable && after.h[0] == key->h[0] && after.h[1] == key->h[1])
        tw_cache_write(w, key);
}

tw_world *tw_world_load(const char *dir, tw_error *err)
{
    return tw_world_load_limited(dir, 0, err);
}

tw_world *tw_world_load_limited(const char *dir, uint64_t max_bytes, tw_error *err)
{
    tw_error local;
    tw_error_clear(&local);
    if (!dir) {
        tw_error_set(err, TW_EARG, NULL, 0, 0, "no world directory given");
        return NULL;
    }
    char path[4096];
    dir = tw_world_path(dir, path, sizeof path);
    /* a world parsed before, kept in the cache (world/cache.h) */
    tw_cache_key key;
    tw_cache_key_of(dir, max_bytes, &key);
    tw_world *kept = tw_cache_read(&key);
    if (kept && !(kept->dir = strdup(dir))) {
        tw_world_free(kept);
        kept = NULL;
    }
    if (kept) {
        tw_error_clear(err);
        return kept;
    }
    tw_loader L = {0};
    L.dir = dir;
    L.max_bytes = max_bytes;
    L.err = &local;
    L.w = calloc(1, sizeof *L.w);
    tw_status st = TW_OK;
    if (L.w) L.w->dir = strdup(dir);
    if (L.w && L.w->dir) L.loc = tw_num_locale_new();
    if (L.loc == (locale_t)0) st = tw_error_set(&local, TW_ENOMEM, NULL, 0, 0, "out of memory");
    if (st == TW_OK) st = read_dimensions(&L);
    if (st == TW_OK) st = read_flows(&L, 0);
    if (st == TW_OK) st = check_trade_present(&L);
    if (st == TW_OK) st = read_flows(&L, 1);
    if (st == TW_OK) st = tw_loader_shares(&L);
    if (st == TW_OK) st = read_meta(&L);
    if (st == TW_OK) st = tw_loader_households(&L);
    if (st == TW_OK) st = tw_loader_layers(&L);
    if (st == TW_OK) st = tw_loader_elasticities(&L);
    free(L.cix);
    free(L.six);
    free(L.seen);
    tw_num_locale_free(L.loc);
    if (st != TW_OK) {
        tw_world_free(L.w);
        if (err) *err = local;
        return NULL;
    }
    tw_world_keep_hash(L.w);
    keep_in_cache(L.w, dir, max_bytes, &key);
    tw_error_clear(err);
    return L.w;
}

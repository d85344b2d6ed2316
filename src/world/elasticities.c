/* elasticities.c - named elasticity sets: the world's elasticities.csv, read
 * with the world and checked against meta.csv's elasticities key and
 * sectors.csv, and set files (set,sector,theta or sector,theta) read for a
 * world's sectors.
 *
 * Invariant: a set list holds only complete sets (every sector of the world
 * once, each theta in [TW_THETA_MIN, TW_THETA_MAX]); a read either fills the
 * list whole or leaves it empty.  The world's default set is, by the check at
 * load, sectors.csv's theta bit for bit, so applying it changes nothing. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/csv.h"
#include "core/num.h"
#include "world/loader.h"

void tw_elast_sets_names(const tw_elast_sets *L, char *buf, size_t size)
{
    buf[0] = '\0';
    for (size_t k = 0, len = 0; k < L->n && len < size; k++, len = strlen(buf))
        snprintf(buf + len, size - len, "%s%s", k ? ", " : "", L->name[k]);
}

long tw_elast_sets_find(const tw_elast_sets *L, const char *name)
{
    for (size_t k = 0; name && k < L->n; k++)
        if (strcmp(L->name[k], name) == 0) return (long)k;
    return -1;
}

/* A new set (every theta NAN) at the end of L: its position, or -1 when out
 * of memory (L unchanged). */
static long sets_add(tw_elast_sets *L, const char *name, const char *source, long line)
{
    size_t n = L->n + 1, J = L->J;
    char *nm = strdup(name), *src = strdup(source ? source : "");
    char **names = nm && src ? realloc(L->name, n * sizeof *names) : NULL;
    if (names) L->name = names;
    char **sources = names ? realloc(L->source, n * sizeof *sources) : NULL;
    if (sources) L->source = sources;
    double *th = sources ? realloc(L->theta, n * J * sizeof *th + 1) : NULL;
    if (th) L->theta = th;
    long *ln = th ? realloc(L->line, n * sizeof *ln) : NULL;
    if (ln) L->line = ln;
    if (!ln) {
        free(nm);
        free(src);
        return -1;
    }
    for (size_t j = 0; j < J; j++) L->theta[L->n * J + j] = NAN;
    L->name[L->n] = nm;
    L->source[L->n] = src;
    L->line[L->n] = line;
    return (long)L->n++;
}

tw_status tw_elast_sets_copy(tw_elast_sets *dst, const tw_elast_sets *src, tw_error *err)
{
    *dst = (tw_elast_sets){.J = src->J};
    for (size_t k = 0; k < src->n; k++) {
        if (sets_add(dst, src->name[k], src->source[k], src->line[k]) < 0) {
            tw_elast_sets_free(dst);
            return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory for elasticity sets");
        }
        memcpy(dst->theta + k * src->J, src->theta + k * src->J, src->J * sizeof *src->theta);
    }
    return TW_OK;
}

static long sector_of(const tw_world *w, const char *code)
{
    for (size_t j = 0; j < w->base->J; j++)
        if (strcmp(w->scode[j], code) == 0) return (long)j;
    return -1;
}

/* One row of a set file into L; idx: set (-1: none, the set is unnamed),
 * sector, theta, source (-1: none). */
static tw_status set_row(const tw_world *w, const tw_csv *r, const char *shown, const long *idx,
                         const char *unnamed, locale_t loc, tw_elast_sets *L, tw_error *err)
{
    long line = tw_csv_line(r);
    const char *name = idx[0] >= 0 ? tw_csv_field(r, (size_t)idx[0]) : unnamed;
    const char *sc = tw_csv_field(r, (size_t)idx[1]);
    const char *tx = tw_csv_field(r, (size_t)idx[2]);
    const char *src = idx[3] >= 0 ? tw_csv_field(r, (size_t)idx[3]) : "";
    long j = sector_of(w, sc);
    const char *column = "theta";
    double th;
    tw_status st = TW_OK;
    if (!*name) {
        st = tw_error_set(err, TW_EINPUT, shown, line, 0, "set name is empty");
        column = "set";
    } else if (j < 0) {
        st = tw_error_set(err, TW_EINPUT, shown, line, 0, "sector \"%s\" is not in the world", sc);
        column = "sector";
    } else if (tw_num_parse(tx, loc, &th) != TW_NUM_OK || !(th > 0)) {
        st = tw_error_set(err, TW_EINPUT, shown, line, 0,
                          "theta \"%s\" for %s %s is not a number > 0", tx, name, sc);
    } else if (!(th >= TW_THETA_MIN && th <= TW_THETA_MAX)) {
        st = tw_error_set(err, TW_EINPUT, shown, line, 0,
                          "theta \"%s\" for %s %s is out of range (expected %g <= theta <= "
                          "%g)", tx, name, sc, TW_THETA_MIN, TW_THETA_MAX);
    } else {
        long k = tw_elast_sets_find(L, name);
        if (k < 0) k = sets_add(L, name, src, line);
        if (k < 0) return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
        double *slot = &L->theta[(size_t)k * L->J + (size_t)j];
        if (!isnan(*slot))
            st = tw_error_set(err, TW_EINPUT, shown, line, 0, "set %s gives sector %s twice",
                              name, sc);
        else
            *slot = th;
        column = "sector";
    }
    if (st && err) snprintf(err->field, sizeof err->field, "%s", column);
    return st;
}

/* Every set of L complete, and at least one. */
static tw_status sets_complete(const tw_world *w, const char *shown, const tw_elast_sets *L,
                               tw_error *err)
{
    for (size_t k = 0; k < L->n; k++)
        for (size_t j = 0; j < L->J; j++)
            if (isnan(L->theta[k * L->J + j])) {
                tw_error_set(err, TW_EINPUT, shown, L->line[k], 0,
                             "set %s has no theta for sector %s", L->name[k], w->scode[j]);
                if (err) snprintf(err->field, sizeof err->field, "sector");
                return TW_EINPUT;
            }
    if (L->n == 0) return tw_error_set(err, TW_EINPUT, shown, 0, 0, "no elasticity sets");
    return TW_OK;
}

tw_status tw_elast_sets_read(const tw_world *w, const char *path, const char *shown,
                             const char *unnamed, uint64_t max_bytes, tw_elast_sets *L,
                             tw_error *err)
{
    *L = (tw_elast_sets){.J = w->base->J};
    tw_csv *r = NULL;
    tw_status st = tw_csv_open(&r, path, shown, 0, err);
    if (st) return st;
    if (max_bytes) tw_csv_set_limits(r, 0, max_bytes);
    static const char *const req[] = {"sector", "theta"};
    static const char *const opt[] = {"set", "source"};
    long got[4], idx[4];
    st = tw_csv_header(r, req, 2, opt, 2, got, err);
    /* idx: set, sector, theta, source */
    idx[0] = got[2];
    idx[1] = got[0];
    idx[2] = got[1];
    idx[3] = got[3];
    locale_t loc = st ? (locale_t)0 : tw_num_locale_new();
    if (!st && !loc) st = tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    int more;
    while (!st && (more = tw_csv_next(r, err)) != 0) {
        if (more < 0) {
            st = err ? err->code : TW_EINPUT;
            break;
        }
        st = set_row(w, r, shown, idx, unnamed, loc, L, err);
    }
    if (loc) tw_num_locale_free(loc);
    tw_csv_close(r);
    if (!st) st = sets_complete(w, shown, L, err);
    if (st) tw_elast_sets_free(L);
    return st;
}

/* ---- the world's own sets ------------------------------------------------ */

/* Check the default set def of the world's file against sectors.csv. */
static tw_status default_matches(tw_loader *L, long def)
{
    tw_world *w = L->w;
    const double *theta = w->sets.theta + (size_t)def * w->sets.J;
    for (size_t j = 0; j < w->sets.J; j++)
        if (theta[j] != w->base->theta[j]) {
            tw_error_set(L->err, TW_EINPUT, "elasticities.csv", w->sets.line[def], 0,
                         "the default set %s (meta.csv elasticities) gives theta %.17g for %s, "
                         "sectors.csv %.17g (the default set must be sectors.csv's theta)",
                         w->sets.name[def], theta[j], w->scode[j], w->base->theta[j]);
            snprintf(L->err->field, sizeof L->err->field, "theta");
            return TW_EINPUT;
        }
    return TW_OK;
}

tw_status tw_loader_elasticities(tw_loader *L)
{
    tw_world *w = L->w;
    w->sets = (tw_elast_sets){.J = w->base->J};
    const char *def = NULL;
    for (size_t k = 0; k < w->n_meta; k++)
        if (strcmp(w->meta_key[k], "elasticities") == 0) def = w->meta_val[k];
    char path[4096];
    int len = snprintf(path, sizeof path, "%s%selasticities.csv", L->dir, L->dir[0] ? "/" : "");
    if (len < 0 || (size_t)len >= sizeof path)
        return tw_error_set(L->err, TW_EIO, "elasticities.csv", 0, 0, "cannot open: path too long");
    struct stat sb;
    tw_status st = TW_OK;
    if (stat(path, &sb) == 0) {
        st = tw_elast_sets_read(w, path, "elasticities.csv", "", L->max_bytes, &w->sets, L->err);
    } else if (def) {
        /* no file: the key names sectors.csv's theta */
        long k = sets_add(&w->sets, def, "sectors.csv", 0);
        if (k < 0) return tw_error_set(L->err, TW_ENOMEM, NULL, 0, 0, "out of memory");
        memcpy(w->sets.theta, w->base->theta, w->sets.J * sizeof *w->base->theta);
    }
    if (st || !def) return st;
    long k = tw_elast_sets_find(&w->sets, def);
    if (k < 0) {
        char known[256];
        tw_elast_sets_names(&w->sets, known, sizeof known);
        tw_error_set(L->err, TW_EINPUT, "meta.csv", 0, 0,
                     "elasticities: no set \"%s\" in elasticities.csv (it has: %s)", def, known);
        snprintf(L->err->field, sizeof L->err->field, "value");
        return TW_EINPUT;
    }
    st = default_matches(L, k);
    if (!st) {
        w->elast = strdup(def);
        if (!w->elast) st = tw_error_set(L->err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    }
    return st;
}

/* ---- accessors ------------------------------------------------------------ */

size_t tw_world_n_elasticity_sets(const tw_world *w) { return w ? w->sets.n : 0; }

const char *tw_world_elasticity_set_name(const tw_world *w, size_t k)
{
    return w && k < w->sets.n ? w->sets.name[k] : NULL;
}

const char *tw_world_elasticity_set_source(const tw_world *w, size_t k)
{
    return w && k < w->sets.n ? w->sets.source[k] : NULL;
}

const double *tw_world_elasticity_set_theta(const tw_world *w, size_t k)
{
    return w && k < w->sets.n ? w->sets.theta + k * w->sets.J : NULL;
}

const char *tw_world_elasticities(const tw_world *w) { return w ? w->elast : NULL; }

const char *tw_world_default_elasticities(const tw_world *w)
{
    for (size_t k = 0; w && k < w->n_meta; k++)
        if (strcmp(w->meta_key[k], "elasticities") == 0) return w->meta_val[k];
    return NULL;
}

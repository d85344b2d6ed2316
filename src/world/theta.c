/* theta.c - a copy of a world with other trade elasticities (for elasticity
 * draws and alternative elasticity sets in sweeps), and with one of its named
 * elasticity sets or a set file applied.
 *
 * theta enters only the solver (docs/model.md, eqs. 2-3), not the derived
 * baseline (X, pi, Y, VA, R, D, I), so the copy keeps every level and share of
 * the original bit for bit and replaces theta alone.  Invariant: the copy is
 * complete and independent of the original (names, meta, warnings and the
 * baseline are deep copies), so either may be freed first. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/suggest.h"
#include "world/world_impl.h"

static char **copy_strings(char *const *v, size_t n, int *ok)
{
    if (!*ok || !v || n == 0) return NULL;
    char **c = calloc(n, sizeof *c);
    if (!c) {
        *ok = 0;
        return NULL;
    }
    for (size_t k = 0; k < n; k++) {
        c[k] = strdup(v[k] ? v[k] : "");
        if (!c[k]) *ok = 0;
    }
    return c;
}

tw_world *tw_world_with_theta(const tw_world *w, const double *theta, tw_error *err)
{
    if (!w || !theta) {
        tw_error_set(err, TW_EARG, NULL, 0, 0, "no world or no elasticities given");
        return NULL;
    }
    size_t N = w->base->N, J = w->base->J;
    for (size_t j = 0; j < J; j++)
        if (!isfinite(theta[j]) || !(theta[j] > 0)) {
            tw_error_set(err, TW_EINPUT, NULL, 0, 0,
                         "theta %g for sector %s is not a finite number > 0", theta[j],
                         w->scode[j]);
            if (err) snprintf(err->field, sizeof err->field, "%s", w->scode[j]);
            return NULL;
        }
    tw_world *c = calloc(1, sizeof *c);
    if (!c) goto nomem;
    int ok = 1;
    c->base = tw_base_clone(w->base, err);
    if (!c->base) {
        free(c);
        return NULL;
    }
    memcpy(c->base->theta, theta, J * sizeof *theta);
    c->dir = w->dir ? strdup(w->dir) : NULL;
    if (w->dir && !c->dir) ok = 0;
    c->ccode = copy_strings(w->ccode, N, &ok);
    c->cname = copy_strings(w->cname, N, &ok);
    c->scode = copy_strings(w->scode, J, &ok);
    c->sname = copy_strings(w->sname, J, &ok);
    c->meta_key = copy_strings(w->meta_key, w->n_meta, &ok);
    c->meta_val = copy_strings(w->meta_val, w->n_meta, &ok);
    c->n_meta = c->meta_key && c->meta_val ? w->n_meta : 0;
    c->warn = copy_strings(w->warn, w->n_warn, &ok);
    c->n_warn = c->warn ? w->n_warn : 0;
    c->va_supplied = w->va_supplied;
    c->alpha_supplied = w->alpha_supplied;
    if (ok && tw_elast_sets_copy(&c->sets, &w->sets, NULL) != TW_OK) ok = 0;
    if (!ok) {
        /* tw_world_free frees each string array with the length of its kind;
         * arrays that were not made are NULL and partial ones hold NULLs. */
        c->n_meta = w->n_meta;
        c->n_warn = w->n_warn;
        tw_world_free(c);
        goto nomem;
    }
    tw_world_keep_hash(c);
    return c;
nomem:
    tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory for a copy of the world");
    return NULL;
}

/* "unknown elasticity set" for name, with the closest name and the list. */
static tw_status unknown_set(const tw_world *w, const char *name, tw_error *err)
{
    const tw_elast_sets *L = &w->sets;
    char known[400], which[440], hint[96] = "";
    tw_elast_sets_names(L, known, sizeof known);
    const char *near = tw_suggest(name, (const char *const *)L->name, L->n);
    if (near) snprintf(hint, sizeof hint, "; did you mean \"%s\"?", near);
    snprintf(which, sizeof which, L->n ? "the world has: %s; or give" : "the world names none; give",
             known);
    tw_error_set(err, TW_EINPUT, NULL, 0, 0,
                 "unknown elasticity set \"%.60s\"%s (%s a file set,sector,theta)", name, hint,
                 which);
    if (err) snprintf(err->field, sizeof err->field, "elasticities");
    return TW_EINPUT;
}

/* *out: a copy of w with theta and the name label. */
static tw_status with_named_theta(const tw_world *w, const double *theta, const char *label,
                                  tw_world **out, tw_error *err)
{
    tw_world *c = tw_world_with_theta(w, theta, err);
    if (!c) return err ? err->code : TW_ENOMEM;
    c->elast = strdup(label);
    if (!c->elast) {
        tw_world_free(c);
        return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    }
    *out = c;
    return TW_OK;
}

tw_status tw_world_apply_elasticity_set(const tw_world *w, const char *name, tw_world **out,
                                        tw_error *err)
{
    if (out) *out = NULL;
    if (!w || !name || !out)
        return tw_error_set(err, TW_EARG, NULL, 0, 0, "no world, set name or output given");
    long k = tw_elast_sets_find(&w->sets, name);
    if (k < 0) return unknown_set(w, name, err);
    return with_named_theta(w, w->sets.theta + (size_t)k * w->sets.J, name, out, err);
}

int tw_elasticities_is_file(const char *spec)
{
    size_t n = spec ? strlen(spec) : 0;
    return spec && (strchr(spec, '/') || (n > 4 && strcmp(spec + n - 4, ".csv") == 0));
}

tw_status tw_world_apply_elasticities(const tw_world *w, const char *spec, uint64_t max_bytes,
                                      tw_world **out, tw_error *err)
{
    if (out) *out = NULL;
    if (!w || !spec || !out)
        return tw_error_set(err, TW_EARG, NULL, 0, 0, "no world, elasticities or output given");
    if (!tw_elasticities_is_file(spec)) return tw_world_apply_elasticity_set(w, spec, out, err);
    tw_elast_sets L;
    tw_status st = tw_elast_sets_read(w, spec, spec, spec, max_bytes, &L, err);
    if (st) return st;
    if (L.n > 1) {
        char known[256];
        tw_elast_sets_names(&L, known, sizeof known);
        st = tw_error_set(err, TW_EINPUT, spec, L.line[1], 0,
                          "%zu elasticity sets (%s): a file for one solve holds one set", L.n,
                          known);
        if (err) snprintf(err->field, sizeof err->field, "set");
    } else {
        /* the provenance: the file, and the set's name when it gives one */
        char label[600];
        if (strcmp(L.name[0], spec) == 0)
            snprintf(label, sizeof label, "%s", spec);
        else
            snprintf(label, sizeof label, "%s:%s", spec, L.name[0]);
        st = with_named_theta(w, L.theta, label, out, err);
    }
    tw_elast_sets_free(&L);
    return st;
}

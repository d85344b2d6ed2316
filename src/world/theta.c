/* theta.c - a copy of a world with other trade elasticities (for elasticity
 * draws and alternative elasticity sets in sweeps).
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
    if (!ok) {
        /* tw_world_free frees each string array with the length of its kind;
         * arrays that were not made are NULL and partial ones hold NULLs. */
        c->n_meta = w->n_meta;
        c->n_warn = w->n_warn;
        tw_world_free(c);
        goto nomem;
    }
    return c;
nomem:
    tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory for a copy of the world");
    return NULL;
}

/* world.c - the read side of a loaded world: getters, warnings, and free.
 *
 * A tw_world never changes after tw_world_load returns, so everything here is
 * a plain read and safe from any number of threads.  Invariant kept by the
 * loader: the name arrays are set only together with base, so base->N and
 * base->J always give their lengths.  Out-of-range indices return NULL, 0 or
 * NaN rather than reading past the arrays. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "world/loader.h"

void tw_strings_free(char **v, size_t n)
{
    if (!v) return;
    for (size_t k = 0; k < n; k++) free(v[k]);
    free(v);
}

void tw_world_free(tw_world *w)
{
    if (!w) return;
    size_t N = w->base ? w->base->N : 0, J = w->base ? w->base->J : 0;
    tw_strings_free(w->ccode, N);
    tw_strings_free(w->cname, N);
    tw_strings_free(w->scode, J);
    tw_strings_free(w->sname, J);
    tw_strings_free(w->meta_key, w->n_meta);
    tw_strings_free(w->meta_val, w->n_meta);
    tw_strings_free(w->warn, w->n_warn);
    tw_elast_sets_free(&w->sets);
    free(w->elast);
    tw_base_free(w->base);
    free(w->dir);
    free(w);
}

void tw_elast_sets_free(tw_elast_sets *L)
{
    tw_strings_free(L->name, L->n);
    tw_strings_free(L->source, L->n);
    free(L->theta);
    free(L->line);
    memset(L, 0, sizeof *L);
}

tw_status tw_world_add_warning(tw_world *w, const tw_error *e, tw_error *err)
{
    char text[sizeof e->file + sizeof e->msg + 64];
    tw_error_format(e, text, sizeof text);
    char *copy = strdup(text);
    char **t = copy ? realloc(w->warn, (w->n_warn + 1) * sizeof *t) : NULL;
    if (!t) {
        free(copy);
        return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory for warnings");
    }
    w->warn = t;
    w->warn[w->n_warn++] = copy;
    return TW_OK;
}

size_t tw_world_n_countries(const tw_world *w) { return w ? w->base->N : 0; }
size_t tw_world_n_sectors(const tw_world *w) { return w ? w->base->J : 0; }

const char *tw_world_country_code(const tw_world *w, size_t n)
{
    return w && n < w->base->N ? w->ccode[n] : NULL;
}

const char *tw_world_country_name(const tw_world *w, size_t n)
{
    return w && n < w->base->N ? w->cname[n] : NULL;
}

const char *tw_world_sector_code(const tw_world *w, size_t j)
{
    return w && j < w->base->J ? w->scode[j] : NULL;
}

const char *tw_world_sector_name(const tw_world *w, size_t j)
{
    return w && j < w->base->J ? w->sname[j] : NULL;
}

double tw_world_sector_theta(const tw_world *w, size_t j)
{
    return w && j < w->base->J ? w->base->theta[j] : NAN;
}

int tw_world_sector_tradable(const tw_world *w, size_t j)
{
    return w && j < w->base->J ? w->base->tradable[j] : 0;
}

/* Linear search: worlds have tens of countries and sectors, and callers look
 * codes up while reading files, not inside solver loops. */
long tw_world_country_index(const tw_world *w, const char *code)
{
    if (!w || !code) return -1;
    for (size_t n = 0; n < w->base->N; n++)
        if (strcmp(w->ccode[n], code) == 0) return (long)n;
    return -1;
}

long tw_world_sector_index(const tw_world *w, const char *code)
{
    if (!w || !code) return -1;
    for (size_t j = 0; j < w->base->J; j++)
        if (strcmp(w->scode[j], code) == 0) return (long)j;
    return -1;
}

const char *tw_world_meta(const tw_world *w, const char *key)
{
    if (!w || !key) return NULL;
    for (size_t k = 0; k < w->n_meta; k++)
        if (strcmp(w->meta_key[k], key) == 0) return w->meta_val[k];
    return NULL;
}

const char *tw_world_dir(const tw_world *w) { return w ? w->dir : NULL; }
const double *tw_world_trade(const tw_world *w) { return w ? w->base->trade : NULL; }
const double *tw_world_tariffs(const tw_world *w) { return w ? w->base->tau : NULL; }

size_t tw_world_n_baseline_layers(const tw_world *w) { return w ? w->base->n_layer_rows : 0; }
int tw_world_has_baseline_layers(const tw_world *w) { return w && w->base->layer_rows; }

int tw_world_baseline_layer(const tw_world *w, size_t k, tw_baseline_layer *out)
{
    if (!w || k >= w->base->n_layer_rows) return -1;
    const struct tw_layer_row *r = &w->base->layer_rows[k];
    *out = (tw_baseline_layer){.layer = w->base->layer_names[r->layer], .importer = r->n,
                               .exporter = r->i, .sector = r->j, .rate = r->rate,
                               .share = r->share};
    return 0;
}

double tw_world_value_added(const tw_world *w, size_t n)
{
    return w && n < w->base->N ? w->base->VA[n] : NAN;
}

double tw_world_deficit(const tw_world *w, size_t n)
{
    return w && n < w->base->N ? w->base->D[n] : NAN;
}

double tw_world_tariff_revenue(const tw_world *w, size_t n)
{
    return w && n < w->base->N ? w->base->R[n] : NAN;
}

double tw_world_income(const tw_world *w, size_t n)
{
    return w && n < w->base->N ? w->base->I[n] : NAN;
}

double tw_world_exports(const tw_world *w, size_t n)
{
    return w && n < w->base->N ? w->base->E[n] : NAN;
}

double tw_world_imports(const tw_world *w, size_t n)
{
    return w && n < w->base->N ? w->base->M[n] : NAN;
}

size_t tw_world_n_warnings(const tw_world *w) { return w ? w->n_warn : 0; }

const char *tw_world_warning(const tw_world *w, size_t k)
{
    return w && k < w->n_warn ? w->warn[k] : NULL;
}

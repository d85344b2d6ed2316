/* export.c - a world or a solved result as one tidy CSV or one JSON object.
 *
 * The CSV is "tidy" (one value a row) so that R, Stata and Python read it with
 * one call and pivot as they like:
 *
 *   variable,country,partner,sector,input,value,unit
 *
 * Bilateral variables use country = importer and partner = exporter, as in
 * trade.csv; io_share uses sector = the buying (output) sector and input = the
 * input sector; keys a variable does not have are empty.  `unit` is the world's
 * money unit (meta.csv), "fraction", "percent", "hat" (new / baseline) or empty.
 * The JSON object holds the same numbers grouped by what they describe.  Every
 * number comes from the loaded world or, for a result, from the columns of
 * columns.c (docs/model.md); nothing is recomputed, and numbers are printed
 * so they read back exactly. */
#include <cjson/cJSON.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tradewar/json.h"
#include "tradewar/report.h"
#include "core/index.h"
#include "core/num.h"
#include "json_out.h"
#include "report_impl.h"
#include "world/import_impl.h"
#include "world/world_impl.h"

typedef struct out {
    FILE *f;
    locale_t loc;
    const tw_world *w;
    const char *money;
} out;

static void row(const out *o, const char *var, const char *c, const char *p, const char *s,
                const char *in, double v, const char *unit)
{
    tw_csv_put_field(o->f, var);
    fputc(',', o->f);
    tw_csv_put_field(o->f, c ? c : "");
    fputc(',', o->f);
    tw_csv_put_field(o->f, p ? p : "");
    fputc(',', o->f);
    tw_csv_put_field(o->f, s ? s : "");
    fputc(',', o->f);
    tw_csv_put_field(o->f, in ? in : "");
    fputc(',', o->f);
    if (isfinite(v)) tw_csv_put_num(o->f, v, o->loc);
    else fputs("NA", o->f);
    fputc(',', o->f);
    tw_csv_put_field(o->f, unit);
    fputc('\n', o->f);
}

static const char *money_unit(const tw_world *w)
{
    const char *u = tw_world_meta(w, "units");
    return u ? u : "";
}

/* ---- world ---------------------------------------------------------------- */

/* A baseline number per country or per country and sector, under the name both
 * outputs give it. */
typedef struct wvar {
    const char *name;
    const double *v;
    const char *unit;
} wvar;

enum { N_COUNTRY_VARS = 6, N_CELL_VARS = 4 };

static void country_vars(const tw_base *b, const char *money, wvar *vars)
{
    const wvar v[N_COUNTRY_VARS] = {
        {"value_added", b->VA, money}, {"tariff_revenue", b->R, money},
        {"deficit", b->D, money},      {"income", b->I, money},
        {"exports", b->E, money},      {"imports", b->M, money},
    };
    memcpy(vars, v, sizeof v);
}

static void cell_vars(const tw_base *b, const char *money, wvar *vars)
{
    const wvar v[N_CELL_VARS] = {
        {"gross_output", b->Y, money}, {"spending", b->X, money},
        {"va_share", b->va, "fraction"}, {"fd_share", b->alpha, "fraction"},
    };
    memcpy(vars, v, sizeof v);
}

/* The baseline layers: rate and share per layer and cell, the layer's name in
 * the input column. */
static void layers_csv(const out *o)
{
    const tw_world *w = o->w;
    const tw_base *b = w->base;
    for (size_t k = 0; k < b->n_layer_rows; k++) {
        const struct tw_layer_row *l = &b->layer_rows[k];
        const char *name = b->layer_names[l->layer];
        row(o, "baseline_layer_rate", w->ccode[l->n], w->ccode[l->i], w->scode[l->j], name,
            l->rate, "fraction");
        row(o, "baseline_layer_share", w->ccode[l->n], w->ccode[l->i], w->scode[l->j], name,
            l->share, "fraction");
    }
}

static void world_csv(const out *o)
{
    const tw_world *w = o->w;
    const tw_base *b = w->base;
    size_t N = b->N, J = b->J;
    wvar cv[N_COUNTRY_VARS], sv[N_CELL_VARS];
    country_vars(b, o->money, cv);
    cell_vars(b, o->money, sv);
    for (size_t j = 0; j < J; j++) {
        row(o, "theta", NULL, NULL, w->scode[j], NULL, b->theta[j], "");
        row(o, "tradable", NULL, NULL, w->scode[j], NULL, b->tradable[j] ? 1 : 0, "");
    }
    for (size_t n = 0; n < N; n++)
        for (size_t q = 0; q < N_COUNTRY_VARS; q++)
            row(o, cv[q].name, w->ccode[n], NULL, NULL, NULL, cv[q].v[n], cv[q].unit);
    for (size_t n = 0; n < N; n++)
        for (size_t j = 0; j < J; j++)
            for (size_t q = 0; q < N_CELL_VARS; q++)
                row(o, sv[q].name, w->ccode[n], NULL, w->scode[j], NULL, sv[q].v[tw_ix_nj(J, n, j)],
                    sv[q].unit);
    for (size_t n = 0; n < N && b->households; n++)
        if (isfinite(b->households[n]))
            row(o, "households", w->ccode[n], NULL, NULL, NULL, b->households[n], "households");
    for (size_t n = 0; n < N && b->hh; n++)
        for (size_t j = 0; j < J; j++)
            row(o, "household_consumption", w->ccode[n], NULL, w->scode[j], NULL,
                b->hh[tw_ix_nj(J, n, j)], o->money);
    for (size_t n = 0; n < N; n++)
        for (size_t i = 0; i < N; i++)
            for (size_t j = 0; j < J; j++) {
                size_t c = tw_ix_nij(N, J, n, i, j);
                if (b->trade[c] != 0)
                    row(o, "trade", w->ccode[n], w->ccode[i], w->scode[j], NULL, b->trade[c], o->money);
                if (b->tau[c] != 0)
                    row(o, "tariff", w->ccode[n], w->ccode[i], w->scode[j], NULL, b->tau[c], "fraction");
            }
    for (size_t n = 0; n < N; n++)
        for (size_t j = 0; j < J; j++)
            for (size_t k = 0; k < J; k++) {
                double s = b->io[tw_ix_nkj(J, n, k, j)];
                if (s != 0) row(o, "io_share", w->ccode[n], NULL, w->scode[j], w->scode[k], s, "fraction");
            }
    layers_csv(o);
}

/* The root: "meta" holds the world's meta.csv entries, then the members of
 * tw_report_meta that meta.csv does not name (r NULL: a world, no solve). */
static cJSON *head(const tw_world *w, const tw_result *r)
{
    cJSON *root = cJSON_CreateObject(), *meta = root ? cJSON_AddObjectToObject(root, "meta") : NULL;
    cJSON *run = meta ? tw_report_meta(w, r ? tw_deficits_name(tw_result_deficits(r)) : NULL,
                                       r ? tw_method_name(tw_result_method(r)) : NULL, 0)
                      : NULL;
    if (!run) {
        cJSON_Delete(root);
        return NULL;
    }
    cJSON_AddStringToObject(root, "world", w->dir);
    if (tw_world_elasticities(w)) cJSON_AddStringToObject(root, "elasticities", tw_world_elasticities(w));
    for (size_t k = 0; k < w->n_meta; k++) cJSON_AddStringToObject(meta, w->meta_key[k], w->meta_val[k]);
    while (run->child) {
        cJSON *item = cJSON_DetachItemViaPointer(run, run->child);
        if (cJSON_GetObjectItemCaseSensitive(meta, item->string)) cJSON_Delete(item);
        else cJSON_AddItemToObject(meta, item->string, item);
    }
    cJSON_Delete(run);
    return root;
}

/* A new object in arr with the n string members key[k] = val[k]. */
static cJSON *entry(cJSON *arr, const char *const *key, const char *const *val, size_t n, int *ok)
{
    cJSON *x = *ok ? cJSON_CreateObject() : NULL;
    jpush(arr, x, ok);
    for (size_t k = 0; k < n && *ok; k++) jstr(x, key[k], val[k], ok);
    return *ok ? x : NULL;
}

static const char *const code_name[] = {"code", "name"};
static const char *const country_sector[] = {"country", "sector"};
static const char *const importer_exporter_sector[] = {"importer", "exporter", "sector"};
static const char *const country_input_output[] = {"country", "input", "output"};

static const char *const layer_cell[] = {"layer", "importer", "exporter", "sector"};

/* "baseline_layers": one object per row of baseline_layers.csv, when the
 * world has the file. */
static void layers_json(const tw_world *w, cJSON *root, int *ok)
{
    const tw_base *b = w->base;
    if (!b->layer_rows) return;
    cJSON *arr = jarr(root, "baseline_layers", ok);
    for (size_t k = 0; k < b->n_layer_rows && *ok; k++) {
        const struct tw_layer_row *l = &b->layer_rows[k];
        cJSON *x = entry(arr, layer_cell,
                         (const char *[]){b->layer_names[l->layer], w->ccode[l->n],
                                          w->ccode[l->i], w->scode[l->j]}, 4, ok);
        jnum(x, "rate", l->rate, ok);
        jnum(x, "share", l->share, ok);
    }
}

static cJSON *world_json(const tw_world *w)
{
    const tw_base *b = w->base;
    size_t N = b->N, J = b->J;
    cJSON *root = head(w, NULL);
    if (!root) return NULL;
    int ok = 1;
    wvar cv[N_COUNTRY_VARS], sv[N_CELL_VARS];
    country_vars(b, NULL, cv);
    cell_vars(b, NULL, sv);
    cJSON *cs = jarr(root, "countries", &ok), *ss = jarr(root, "sectors", &ok);
    cJSON *cj = jarr(root, "country_sectors", &ok), *tr = jarr(root, "trade", &ok);
    cJSON *io = jarr(root, "io", &ok);
    for (size_t j = 0; j < J && ok; j++) {
        cJSON *x = entry(ss, code_name, (const char *[]){w->scode[j], w->sname[j]}, 2, &ok);
        jnum(x, "theta", b->theta[j], &ok);
        jbool(x, "tradable", b->tradable[j], &ok);
    }
    for (size_t n = 0; n < N && ok; n++) {
        cJSON *x = entry(cs, code_name, (const char *[]){w->ccode[n], w->cname[n]}, 2, &ok);
        for (size_t q = 0; q < N_COUNTRY_VARS; q++) jnum(x, cv[q].name, cv[q].v[n], &ok);
        if (b->households) jnum(x, "households", b->households[n], &ok);
    }
    for (size_t n = 0; n < N && ok; n++)
        for (size_t j = 0; j < J; j++) {
            cJSON *x = entry(cj, country_sector, (const char *[]){w->ccode[n], w->scode[j]}, 2, &ok);
            for (size_t q = 0; q < N_CELL_VARS; q++) jnum(x, sv[q].name, sv[q].v[tw_ix_nj(J, n, j)], &ok);
            if (b->hh) jnum(x, "household_consumption", b->hh[tw_ix_nj(J, n, j)], &ok);
        }
    for (size_t n = 0; n < N && ok; n++)
        for (size_t i = 0; i < N; i++)
            for (size_t j = 0; j < J; j++) {
                size_t c = tw_ix_nij(N, J, n, i, j);
                if (b->trade[c] == 0 && b->tau[c] == 0) continue;
                cJSON *x = entry(tr, importer_exporter_sector,
                                 (const char *[]){w->ccode[n], w->ccode[i], w->scode[j]}, 3, &ok);
                jnum(x, "value", b->trade[c], &ok);
                jnum(x, "tariff", b->tau[c], &ok);
            }
    for (size_t n = 0; n < N && ok; n++)
        for (size_t j = 0; j < J; j++)
            for (size_t k = 0; k < J; k++) {
                double s = b->io[tw_ix_nkj(J, n, k, j)];
                if (s == 0) continue;
                cJSON *x = entry(io, country_input_output,
                                 (const char *[]){w->ccode[n], w->scode[k], w->scode[j]}, 3, &ok);
                jnum(x, "share", s, &ok);
            }
    layers_json(w, root, &ok);
    if (!ok) {
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}

/* ---- result --------------------------------------------------------------- */

/* The tidy rows of one level: keys country (importer), partner (exporter) and
 * sector; the columns the export shows, as `solve --json` names them. */
static void result_rows(const out *o, const tw_result *r, tw_report_level level)
{
    const tw_column *cols[TW_REPORT_MAX_COLUMNS];
    size_t m = tw_report_view(level, TW_SHOW_EXPORT, cols, TW_REPORT_MAX_COLUMNS);
    for (size_t k = 0, ix[3]; tw_report_next_row(level, r, &k, ix); k++) {
        const char *c = o->w->ccode[ix[0]];
        const char *p = level == TW_LEVEL_CELL ? o->w->ccode[ix[1]] : NULL;
        const char *s = level == TW_LEVEL_SECTOR ? o->w->scode[ix[1]]
                        : level == TW_LEVEL_CELL ? o->w->scode[ix[2]] : NULL;
        for (size_t q = 0; q < m; q++) {
            double v = tw_column_value(cols[q], r, ix[0], ix[1], ix[2]), idle;
            if (tw_column_sparse(cols[q], &idle) && v == idle) continue;
            row(o, tw_column_name(cols[q]), c, p, s, NULL, v, tw_unit_name(tw_column_unit(cols[q]), o->money));
        }
    }
}

static void result_csv(const out *o, const tw_result *r)
{
    row(o, "iterations", NULL, NULL, NULL, NULL, (double)tw_result_iterations(r), "");
    row(o, "residual", NULL, NULL, NULL, NULL, tw_result_residual(r), "");
    result_rows(o, r, TW_LEVEL_COUNTRY);
    result_rows(o, r, TW_LEVEL_SECTOR);
    result_rows(o, r, TW_LEVEL_CELL);
}

static cJSON *result_json(const tw_world *w, const tw_result *r)
{
    cJSON *root = head(w, r);
    if (!root) return NULL;
    int ok = 1;
    jstr(root, "method", tw_method_name(tw_result_method(r)), &ok);
    jstr(root, "deficits", tw_deficits_name(tw_result_deficits(r)), &ok);
    jbool(root, "converged", 1, &ok);
    jnum(root, "iterations", (double)tw_result_iterations(r), &ok);
    jnum(root, "residual", tw_result_residual(r), &ok);
    cJSON *cs = jarr(root, "countries", &ok), *cj = jarr(root, "country_sectors", &ok);
    cJSON *bl = jarr(root, "bilateral", &ok);
    tw_report_json_rows(cs, w, r, TW_LEVEL_COUNTRY, TW_SHOW_EXPORT, &ok);
    tw_report_json_rows(cj, w, r, TW_LEVEL_SECTOR, TW_SHOW_EXPORT, &ok);
    tw_report_json_rows(bl, w, r, TW_LEVEL_CELL, TW_SHOW_EXPORT, &ok);
    if (!ok) {
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}

/* ---- entry points --------------------------------------------------------- */

static tw_status emit(FILE *f, const tw_world *w, const tw_result *r, tw_export_format fmt,
                      tw_error *err)
{
    if (!f || !w || (fmt != TW_EXPORT_CSV && fmt != TW_EXPORT_JSON))
        return tw_error_set(err, TW_EARG, NULL, 0, 0, "no stream or world, or unknown format");
    if (r && (tw_result_n_countries(r) != w->base->N || tw_result_n_sectors(r) != w->base->J))
        return tw_error_set(err, TW_EARG, NULL, 0, 0, "the result is not of this world");
    if (fmt == TW_EXPORT_JSON) {
        cJSON *root = r ? result_json(w, r) : world_json(w);
        char *txt = root ? tw_json_print(root) : NULL;
        cJSON_Delete(root);
        if (!txt) return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
        int bad = fputs(txt, f) < 0 || fputc('\n', f) == EOF;
        free(txt);
        if (bad || ferror(f)) return tw_error_set(err, TW_EIO, NULL, 0, 0, "cannot write the export");
        return TW_OK;
    }
    out o = {f, tw_num_locale_new(), w, money_unit(w)};
    if (o.loc == (locale_t)0) return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    locale_t old = uselocale(o.loc); /* printf's decimal point is the thread's */
    fputs("variable,country,partner,sector,input,value,unit\n", f);
    if (r) result_csv(&o, r);
    else world_csv(&o);
    uselocale(old);
    tw_num_locale_free(o.loc);
    if (ferror(f)) return tw_error_set(err, TW_EIO, NULL, 0, 0, "cannot write the export");
    return TW_OK;
}

tw_status tw_export_world(FILE *f, const tw_world *w, tw_export_format fmt, tw_error *err)
{
    return emit(f, w, NULL, fmt, err);
}

tw_status tw_export_result(FILE *f, const tw_world *w, const tw_result *r,
                           tw_export_format fmt, tw_error *err)
{
    if (!r) return tw_error_set(err, TW_EARG, NULL, 0, 0, "no result");
    return emit(f, w, r, fmt, err);
}

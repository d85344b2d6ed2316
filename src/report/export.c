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

static void world_csv(const out *o)
{
    const tw_world *w = o->w;
    const tw_base *b = w->base;
    size_t N = b->N, J = b->J;
    for (size_t j = 0; j < J; j++) {
        row(o, "theta", NULL, NULL, w->scode[j], NULL, b->theta[j], "");
        row(o, "tradable", NULL, NULL, w->scode[j], NULL, b->tradable[j] ? 1 : 0, "");
    }
    for (size_t n = 0; n < N; n++) {
        const char *c = w->ccode[n];
        row(o, "value_added", c, NULL, NULL, NULL, b->VA[n], o->money);
        row(o, "tariff_revenue", c, NULL, NULL, NULL, b->R[n], o->money);
        row(o, "deficit", c, NULL, NULL, NULL, b->D[n], o->money);
        row(o, "income", c, NULL, NULL, NULL, b->I[n], o->money);
        row(o, "exports", c, NULL, NULL, NULL, b->E[n], o->money);
        row(o, "imports", c, NULL, NULL, NULL, b->M[n], o->money);
    }
    for (size_t n = 0; n < N; n++)
        for (size_t j = 0; j < J; j++) {
            const char *c = w->ccode[n], *s = w->scode[j];
            size_t nj = tw_ix_nj(J, n, j);
            row(o, "gross_output", c, NULL, s, NULL, b->Y[nj], o->money);
            row(o, "spending", c, NULL, s, NULL, b->X[nj], o->money);
            row(o, "va_share", c, NULL, s, NULL, b->va[nj], "fraction");
            row(o, "fd_share", c, NULL, s, NULL, b->alpha[nj], "fraction");
        }
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
}

static void num(cJSON *o, const char *k, double v)
{
    cJSON_AddItemToObject(o, k, isfinite(v) ? cJSON_CreateNumber(v) : cJSON_CreateNull());
}

static cJSON *head(const tw_world *w)
{
    cJSON *root = cJSON_CreateObject(), *meta = root ? cJSON_AddObjectToObject(root, "meta") : NULL;
    if (!meta) {
        cJSON_Delete(root);
        return NULL;
    }
    cJSON_AddStringToObject(root, "world", w->dir);
    for (size_t k = 0; k < w->n_meta; k++) cJSON_AddStringToObject(meta, w->meta_key[k], w->meta_val[k]);
    return root;
}

static cJSON *world_json(const tw_world *w)
{
    const tw_base *b = w->base;
    size_t N = b->N, J = b->J;
    cJSON *root = head(w);
    if (!root) return NULL;
    cJSON *cs = cJSON_AddArrayToObject(root, "countries"), *ss = cJSON_AddArrayToObject(root, "sectors");
    cJSON *cj = cJSON_AddArrayToObject(root, "country_sectors"), *tr = cJSON_AddArrayToObject(root, "trade");
    cJSON *io = cJSON_AddArrayToObject(root, "io");
    for (size_t j = 0; j < J && ss; j++) {
        cJSON *x = cJSON_CreateObject();
        cJSON_AddItemToArray(ss, x);
        cJSON_AddStringToObject(x, "code", w->scode[j]);
        cJSON_AddStringToObject(x, "name", w->sname[j]);
        num(x, "theta", b->theta[j]);
        cJSON_AddBoolToObject(x, "tradable", b->tradable[j]);
    }
    for (size_t n = 0; n < N && cs; n++) {
        cJSON *x = cJSON_CreateObject();
        cJSON_AddItemToArray(cs, x);
        cJSON_AddStringToObject(x, "code", w->ccode[n]);
        cJSON_AddStringToObject(x, "name", w->cname[n]);
        num(x, "value_added", b->VA[n]);
        num(x, "tariff_revenue", b->R[n]);
        num(x, "deficit", b->D[n]);
        num(x, "income", b->I[n]);
        num(x, "exports", b->E[n]);
        num(x, "imports", b->M[n]);
    }
    for (size_t n = 0; n < N && cj; n++)
        for (size_t j = 0; j < J; j++) {
            size_t nj = tw_ix_nj(J, n, j);
            cJSON *x = cJSON_CreateObject();
            cJSON_AddItemToArray(cj, x);
            cJSON_AddStringToObject(x, "country", w->ccode[n]);
            cJSON_AddStringToObject(x, "sector", w->scode[j]);
            num(x, "gross_output", b->Y[nj]);
            num(x, "spending", b->X[nj]);
            num(x, "va_share", b->va[nj]);
            num(x, "fd_share", b->alpha[nj]);
        }
    for (size_t n = 0; n < N && tr; n++)
        for (size_t i = 0; i < N; i++)
            for (size_t j = 0; j < J; j++) {
                size_t c = tw_ix_nij(N, J, n, i, j);
                if (b->trade[c] == 0 && b->tau[c] == 0) continue;
                cJSON *x = cJSON_CreateObject();
                cJSON_AddItemToArray(tr, x);
                cJSON_AddStringToObject(x, "importer", w->ccode[n]);
                cJSON_AddStringToObject(x, "exporter", w->ccode[i]);
                cJSON_AddStringToObject(x, "sector", w->scode[j]);
                num(x, "value", b->trade[c]);
                num(x, "tariff", b->tau[c]);
            }
    for (size_t n = 0; n < N && io; n++)
        for (size_t j = 0; j < J; j++)
            for (size_t k = 0; k < J; k++) {
                double s = b->io[tw_ix_nkj(J, n, k, j)];
                if (s == 0) continue;
                cJSON *x = cJSON_CreateObject();
                cJSON_AddItemToArray(io, x);
                cJSON_AddStringToObject(x, "country", w->ccode[n]);
                cJSON_AddStringToObject(x, "input", w->scode[k]);
                cJSON_AddStringToObject(x, "output", w->scode[j]);
                num(x, "share", s);
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
    cJSON *root = head(w);
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
        char *txt = root ? cJSON_PrintUnformatted(root) : NULL;
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

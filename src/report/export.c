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
 * number comes from the loaded world or the result (DESIGN.md sec. 2); nothing
 * is recomputed, and numbers are printed so they read back exactly. */
#include <cjson/cJSON.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/index.h"
#include "core/num.h"
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

static double pct(double hat) { return 100.0 * (hat - 1.0); }
static double chg(double a, double b) { return a > 0 ? 100.0 * (b / a - 1.0) : 0.0; }

typedef struct cvals {
    const char *name[20];
    double v[20];
    const char *unit[20];
    size_t n;
} cvals;

static void add(cvals *c, const char *name, double v, const char *unit)
{
    c->name[c->n] = name;
    c->v[c->n] = v;
    c->unit[c->n++] = unit;
}

/* The per-country numbers of a result, as `solve --json` names them. */
static cvals country_values(const tw_result *r, size_t n, const char *money)
{
    cvals c = {.n = 0};
    add(&c, "welfare_pct", pct(tw_result_welfare_hat(r, n)), "percent");
    add(&c, "real_wage_pct", pct(tw_result_real_wage_hat(r, n)), "percent");
    add(&c, "price_index_pct", pct(tw_result_price_index_hat(r, n)), "percent");
    add(&c, "wage_pct", pct(tw_result_w_hat(r)[n]), "percent");
    add(&c, "income_pct", pct(tw_result_income_hat(r, n)), "percent");
    add(&c, "tot_pct", 100.0 * tw_result_tot(r, n), "percent");
    add(&c, "vot_pct", 100.0 * tw_result_vot(r, n), "percent");
    add(&c, "exports_pct", chg(tw_result_exports(r, n, 0), tw_result_exports(r, n, 1)), "percent");
    add(&c, "imports_pct", chg(tw_result_imports(r, n, 0), tw_result_imports(r, n, 1)), "percent");
    add(&c, "exports_base", tw_result_exports(r, n, 0), money);
    add(&c, "exports", tw_result_exports(r, n, 1), money);
    add(&c, "imports_base", tw_result_imports(r, n, 0), money);
    add(&c, "imports", tw_result_imports(r, n, 1), money);
    add(&c, "tariff_revenue_base", tw_result_tariff_revenue(r, n, 0), money);
    add(&c, "tariff_revenue", tw_result_tariff_revenue(r, n, 1), money);
    add(&c, "income_base", tw_result_income(r, n, 0), money);
    add(&c, "income", tw_result_income(r, n, 1), money);
    return c;
}

static void result_csv(const out *o, const tw_result *r)
{
    const tw_world *w = o->w;
    size_t N = tw_result_n_countries(r), J = tw_result_n_sectors(r);
    row(o, "iterations", NULL, NULL, NULL, NULL, (double)tw_result_iterations(r), "");
    row(o, "residual", NULL, NULL, NULL, NULL, tw_result_residual(r), "");
    for (size_t n = 0; n < N; n++) {
        cvals c = country_values(r, n, o->money);
        for (size_t k = 0; k < c.n; k++) row(o, c.name[k], w->ccode[n], NULL, NULL, NULL, c.v[k], c.unit[k]);
    }
    const double *P = tw_result_P_hat(r), *ch = tw_result_c_hat(r), *X = tw_result_spending(r);
    for (size_t n = 0; n < N; n++)
        for (size_t j = 0; j < J; j++) {
            size_t nj = tw_ix_nj(J, n, j);
            row(o, "price_hat", w->ccode[n], NULL, w->scode[j], NULL, P[nj], "hat");
            row(o, "cost_hat", w->ccode[n], NULL, w->scode[j], NULL, ch[nj], "hat");
            row(o, "spending", w->ccode[n], NULL, w->scode[j], NULL, X[nj], o->money);
        }
    const double *t0 = tw_result_trade(r, 0), *t1 = tw_result_trade(r, 1);
    const double *tau = tw_result_tariffs(r), *dh = tw_result_dhat(r);
    for (size_t n = 0; n < N; n++)
        for (size_t i = 0; i < N; i++)
            for (size_t j = 0; j < J; j++) {
                size_t c = tw_ix_nij(N, J, n, i, j);
                if (!(t0[c] > 0 || t1[c] > 0 || tau[c] != 0)) continue;
                const char *cn = w->ccode[n], *ci = w->ccode[i], *sj = w->scode[j];
                row(o, "trade_base", cn, ci, sj, NULL, t0[c], o->money);
                row(o, "trade", cn, ci, sj, NULL, t1[c], o->money);
                if (tau[c] != 0) row(o, "tariff", cn, ci, sj, NULL, tau[c], "fraction");
                if (dh[c] != 1) row(o, "ntb_factor", cn, ci, sj, NULL, dh[c], "");
            }
}

static cJSON *result_json(const tw_world *w, const tw_result *r)
{
    size_t N = tw_result_n_countries(r), J = tw_result_n_sectors(r);
    cJSON *root = head(w);
    if (!root) return NULL;
    const char *money = money_unit(w);
    cJSON_AddStringToObject(root, "method", tw_method_name(tw_result_method(r)));
    cJSON_AddStringToObject(root, "deficits", tw_deficits_name(tw_result_deficits(r)));
    cJSON_AddBoolToObject(root, "converged", 1);
    num(root, "iterations", (double)tw_result_iterations(r));
    num(root, "residual", tw_result_residual(r));
    cJSON *cs = cJSON_AddArrayToObject(root, "countries"), *cj = cJSON_AddArrayToObject(root, "country_sectors");
    cJSON *bl = cJSON_AddArrayToObject(root, "bilateral");
    for (size_t n = 0; n < N && cs; n++) {
        cJSON *x = cJSON_CreateObject();
        cJSON_AddItemToArray(cs, x);
        cJSON_AddStringToObject(x, "code", w->ccode[n]);
        cJSON_AddStringToObject(x, "name", w->cname[n]);
        cvals c = country_values(r, n, money);
        for (size_t k = 0; k < c.n; k++) num(x, c.name[k], c.v[k]);
    }
    const double *P = tw_result_P_hat(r), *ch = tw_result_c_hat(r), *X = tw_result_spending(r);
    for (size_t n = 0; n < N && cj; n++)
        for (size_t j = 0; j < J; j++) {
            size_t nj = tw_ix_nj(J, n, j);
            cJSON *x = cJSON_CreateObject();
            cJSON_AddItemToArray(cj, x);
            cJSON_AddStringToObject(x, "country", w->ccode[n]);
            cJSON_AddStringToObject(x, "sector", w->scode[j]);
            num(x, "price_hat", P[nj]);
            num(x, "cost_hat", ch[nj]);
            num(x, "spending", X[nj]);
        }
    const double *t0 = tw_result_trade(r, 0), *t1 = tw_result_trade(r, 1);
    const double *tau = tw_result_tariffs(r), *dh = tw_result_dhat(r);
    for (size_t n = 0; n < N && bl; n++)
        for (size_t i = 0; i < N; i++)
            for (size_t j = 0; j < J; j++) {
                size_t c = tw_ix_nij(N, J, n, i, j);
                if (!(t0[c] > 0 || t1[c] > 0 || tau[c] != 0)) continue;
                cJSON *x = cJSON_CreateObject();
                cJSON_AddItemToArray(bl, x);
                cJSON_AddStringToObject(x, "importer", w->ccode[n]);
                cJSON_AddStringToObject(x, "exporter", w->ccode[i]);
                cJSON_AddStringToObject(x, "sector", w->scode[j]);
                num(x, "trade_base", t0[c]);
                num(x, "trade", t1[c]);
                num(x, "tariff", tau[c]);
                num(x, "ntb_factor", dh[c]);
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

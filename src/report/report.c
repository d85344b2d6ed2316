/* report.c - results and worlds as tables, CSV and JSON.
 *
 * Every number written here is read from a tw_result or tw_world getter and
 * only rescaled (hat -> percent); nothing is computed that the model does not
 * define, so the output traces back to DESIGN.md sec. 2. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tradewar/report.h"
#include "core/index.h"
#include "json_out.h"

static double pct(double hat) { return 100.0 * (hat - 1.0); }
static double chg(double a, double b) { return a > 0 ? 100.0 * (b / a - 1.0) : 0.0; }

static int model_units(const tw_world *w)
{
    const char *u = tw_world_meta(w, "units");
    return u && strcmp(u, "model units") == 0;
}

typedef struct row {
    double welfare, real_wage, prices, wage, income, tot, vot, exp_pct, imp_pct;
    double exp1, imp1, rev0, rev1;
} row;

static row country_row(const tw_result *r, size_t n)
{
    row x;
    x.welfare = pct(tw_result_welfare_hat(r, n));
    x.real_wage = pct(tw_result_real_wage_hat(r, n));
    x.prices = pct(tw_result_price_index_hat(r, n));
    x.wage = pct(tw_result_w_hat(r)[n]);
    x.income = pct(tw_result_income_hat(r, n));
    x.tot = 100.0 * tw_result_tot(r, n);
    x.vot = 100.0 * tw_result_vot(r, n);
    x.exp1 = tw_result_exports(r, n, 1);
    x.imp1 = tw_result_imports(r, n, 1);
    x.exp_pct = chg(tw_result_exports(r, n, 0), x.exp1);
    x.imp_pct = chg(tw_result_imports(r, n, 0), x.imp1);
    x.rev0 = tw_result_tariff_revenue(r, n, 0);
    x.rev1 = tw_result_tariff_revenue(r, n, 1);
    return x;
}

static double pair_total(const double *t, size_t N, size_t J, size_t n, size_t i)
{
    double s = 0;
    for (size_t j = 0; j < J; j++) s += t[tw_ix_nij(N, J, n, i, j)];
    return s;
}

static double output_of(const double *t, size_t N, size_t J, size_t i, size_t j)
{
    double s = 0;
    for (size_t n = 0; n < N; n++) s += t[tw_ix_nij(N, J, n, i, j)];
    return s;
}

char *tw_report_json(const tw_world *w, const tw_result *r, const tw_report_opts *o)
{
    size_t N = tw_result_n_countries(r), J = tw_result_n_sectors(r);
    cJSON *root = cJSON_CreateObject();
    if (!root) return NULL;
    int ok = 1;
    jstr(root, "world", tw_world_dir(w), &ok);
    const char *keys[] = {"year", "tariff_year", "units", "source"};
    for (size_t k = 0; k < 4; k++) {
        const char *v = tw_world_meta(w, keys[k]);
        if (v) jstr(root, keys[k], v, &ok);
    }
    if (o && o->scenario) jstr(root, "scenario", o->scenario, &ok);
    jstr(root, "method", tw_method_name(tw_result_method(r)), &ok);
    jstr(root, "deficits", tw_deficits_name(tw_result_deficits(r)), &ok);
    jbool(root, "converged", 1, &ok);
    jnum(root, "iterations", (double)tw_result_iterations(r), &ok);
    jnum(root, "evaluations", (double)tw_result_evaluations(r), &ok);
    jnum(root, "residual", tw_result_residual(r), &ok);
    if (o && o->tol > 0) jnum(root, "tolerance", o->tol, &ok);
    /* null: the baseline is an equilibrium of the model; an object: a zero
     * shock moves this country's welfare most; absent: not known */
    size_t gc = 0;
    double gap = tw_result_baseline_gap(r, &gc);
    if (!isnan(gap) && !(fabs(gap) > 0)) {
        jput(root, "baseline_gap", cJSON_CreateNull(), &ok);
    } else if (!isnan(gap)) {
        cJSON *g = cJSON_CreateObject();
        jput(root, "baseline_gap", g, &ok);
        if (ok) {
            jstr(g, "country", tw_world_country_code(w, gc), &ok);
            jnum(g, "welfare_pct", 100.0 * gap, &ok);
        }
    }
    cJSON *arr = jarr(root, "countries", &ok);
    for (size_t n = 0; n < N && arr; n++) {
        row x = country_row(r, n);
        cJSON *c = cJSON_CreateObject();
        jpush(arr, c, &ok);
        if (!ok) break;
        jstr(c, "code", tw_world_country_code(w, n), &ok);
        jstr(c, "name", tw_world_country_name(w, n), &ok);
        jnum(c, "welfare_pct", x.welfare, &ok);
        jnum(c, "real_wage_pct", x.real_wage, &ok);
        jnum(c, "price_index_pct", x.prices, &ok);
        jnum(c, "wage_pct", x.wage, &ok);
        jnum(c, "income_pct", x.income, &ok);
        jnum(c, "tot_pct", x.tot, &ok);
        jnum(c, "vot_pct", x.vot, &ok);
        jnum(c, "tot_plus_vot_pct", x.tot + x.vot, &ok);
        jnum(c, "exports_pct", x.exp_pct, &ok);
        jnum(c, "imports_pct", x.imp_pct, &ok);
        jnum(c, "exports", x.exp1, &ok);
        jnum(c, "imports", x.imp1, &ok);
        jnum(c, "tariff_revenue", x.rev1, &ok);
        jnum(c, "tariff_revenue_base", x.rev0, &ok);
    }
    const double *t0 = tw_result_trade(r, 0), *t1 = tw_result_trade(r, 1);
    if (o && o->bilateral) {
        cJSON *b = jarr(root, "bilateral", &ok);
        for (size_t n = 0; n < N && b && ok; n++)
            for (size_t i = 0; i < N; i++) {
                if (i == n) continue;
                double a0 = pair_total(t0, N, J, n, i), a1 = pair_total(t1, N, J, n, i);
                if (!(a0 > 0)) continue;
                cJSON *c = cJSON_CreateObject();
                jpush(b, c, &ok);
                if (!ok) break;
                jstr(c, "importer", tw_world_country_code(w, n), &ok);
                jstr(c, "exporter", tw_world_country_code(w, i), &ok);
                jnum(c, "base", a0, &ok);
                jnum(c, "new", a1, &ok);
                jnum(c, "change_pct", chg(a0, a1), &ok);
            }
    }
    if (o && o->sectors) {
        cJSON *s = jarr(root, "sectors", &ok);
        const double *P = tw_result_P_hat(r);
        for (size_t n = 0; n < N && s && ok; n++)
            for (size_t j = 0; j < J; j++) {
                cJSON *c = cJSON_CreateObject();
                jpush(s, c, &ok);
                if (!ok) break;
                jstr(c, "country", tw_world_country_code(w, n), &ok);
                jstr(c, "sector", tw_world_sector_code(w, j), &ok);
                jnum(c, "price_pct", pct(P[tw_ix_nj(J, n, j)]), &ok);
                jnum(c, "output_pct",
                     chg(output_of(t0, N, J, n, j), output_of(t1, N, J, n, j)), &ok);
            }
    }
    char *txt = ok ? cJSON_PrintUnformatted(root) : NULL;
    cJSON_Delete(root);
    return txt;
}

int tw_report_table(FILE *out, const tw_world *w, const tw_result *r, const tw_report_opts *o)
{
    size_t N = tw_result_n_countries(r), J = tw_result_n_sectors(r);
    int levels = !model_units(w);
    const char *units = tw_world_meta(w, "units");
    fprintf(out, "world %s: %zu countries x %zu sectors, data year %s, tariffs %s, %s\n",
            tw_world_dir(w), N, J, tw_world_meta(w, "year") ? tw_world_meta(w, "year") : "?",
            tw_world_meta(w, "tariff_year") ? tw_world_meta(w, "tariff_year") : "?",
            units ? units : "units not stated");
    if (o && o->scenario) fprintf(out, "scenario: %s\n", o->scenario);
    fprintf(out, "deficits: %s; method: %s\n\n", tw_deficits_name(tw_result_deficits(r)),
            tw_method_name(tw_result_method(r)));
    fprintf(out, "%-8s %9s %9s %9s %9s %9s %9s %9s %9s %9s", "country", "welfare%",
            "realwage%", "prices%", "wage%", "ToT%", "VoT%", "ToT+VoT%", "exports%",
            "imports%");
    if (levels) fprintf(out, " %14s", "tariff rev.");
    fputc('\n', out);
    for (size_t n = 0; n < N; n++) {
        row x = country_row(r, n);
        fprintf(out, "%-8s %9.4f %9.4f %9.4f %9.4f %9.4f %9.4f %9.4f %9.3f %9.3f",
                tw_world_country_code(w, n), x.welfare, x.real_wage, x.prices, x.wage, x.tot,
                x.vot, x.tot + x.vot, x.exp_pct, x.imp_pct);
        if (levels) fprintf(out, " %14.1f", x.rev1);
        fputc('\n', out);
    }
    fprintf(out, "\nwelfare: exact change in real income; ToT+VoT: Caliendo-Parro first-order "
                 "decomposition (their published \"welfare\")\n");
    if (levels) fprintf(out, "tariff rev.: new tariff revenue, %s\n", units ? units : "");
    const double *t0 = tw_result_trade(r, 0), *t1 = tw_result_trade(r, 1);
    if (o && o->bilateral) {
        fprintf(out, "\n%-8s %-8s %14s %14s %9s\n", "importer", "exporter", "base", "new",
                "change%");
        for (size_t n = 0; n < N; n++)
            for (size_t i = 0; i < N; i++) {
                if (i == n) continue;
                double a0 = pair_total(t0, N, J, n, i), a1 = pair_total(t1, N, J, n, i);
                if (!(a0 > 0)) continue;
                fprintf(out, "%-8s %-8s %14.1f %14.1f %9.3f\n", tw_world_country_code(w, n),
                        tw_world_country_code(w, i), a0, a1, chg(a0, a1));
            }
    }
    if (o && o->sectors) {
        const double *P = tw_result_P_hat(r);
        fprintf(out, "\n%-8s %-10s %9s %9s\n", "country", "sector", "price%", "output%");
        for (size_t n = 0; n < N; n++)
            for (size_t j = 0; j < J; j++)
                fprintf(out, "%-8s %-10s %9.4f %9.3f\n", tw_world_country_code(w, n),
                        tw_world_sector_code(w, j), pct(P[tw_ix_nj(J, n, j)]),
                        chg(output_of(t0, N, J, n, j), output_of(t1, N, J, n, j)));
    }
    fprintf(out, "\nconverged: %zu iterations, %zu model evaluations, max residual %.1e",
            tw_result_iterations(r), tw_result_evaluations(r), tw_result_residual(r));
    if (o && o->tol > 0) fprintf(out, " (tol %.0e)", o->tol);
    fputc('\n', out);
    return ferror(out) ? -1 : 0;
}

int tw_report_csv(FILE *out, const tw_world *w, const tw_result *r, const tw_report_opts *o)
{
    size_t N = tw_result_n_countries(r), J = tw_result_n_sectors(r);
    fprintf(out, "code,welfare_pct,real_wage_pct,price_index_pct,wage_pct,income_pct,"
                 "tot_pct,vot_pct,tot_plus_vot_pct,exports_pct,imports_pct,exports,imports,"
                 "tariff_revenue,tariff_revenue_base\n");
    for (size_t n = 0; n < N; n++) {
        row x = country_row(r, n);
        fprintf(out, "%s,%.10g,%.10g,%.10g,%.10g,%.10g,%.10g,%.10g,%.10g,%.10g,%.10g,%.10g,"
                     "%.10g,%.10g,%.10g\n",
                tw_world_country_code(w, n), x.welfare, x.real_wage, x.prices, x.wage,
                x.income, x.tot, x.vot, x.tot + x.vot, x.exp_pct, x.imp_pct, x.exp1, x.imp1,
                x.rev1, x.rev0);
    }
    const double *t0 = tw_result_trade(r, 0), *t1 = tw_result_trade(r, 1);
    if (o && o->bilateral) {
        fprintf(out, "\nimporter,exporter,base,new,change_pct\n");
        for (size_t n = 0; n < N; n++)
            for (size_t i = 0; i < N; i++) {
                double a0 = pair_total(t0, N, J, n, i), a1 = pair_total(t1, N, J, n, i);
                if (i == n || !(a0 > 0)) continue;
                fprintf(out, "%s,%s,%.10g,%.10g,%.10g\n", tw_world_country_code(w, n),
                        tw_world_country_code(w, i), a0, a1, chg(a0, a1));
            }
    }
    if (o && o->sectors) {
        const double *P = tw_result_P_hat(r);
        fprintf(out, "\ncountry,sector,price_pct,output_pct\n");
        for (size_t n = 0; n < N; n++)
            for (size_t j = 0; j < J; j++)
                fprintf(out, "%s,%s,%.10g,%.10g\n", tw_world_country_code(w, n),
                        tw_world_sector_code(w, j), pct(P[tw_ix_nj(J, n, j)]),
                        chg(output_of(t0, N, J, n, j), output_of(t1, N, J, n, j)));
    }
    return ferror(out) ? -1 : 0;
}

/* timeline_report.c - a replayed scenario as tables, CSV and JSON.
 *
 * Every step is reported as a change from the baseline (the world's data).
 * Tariffs are effective tariff rates (tw_result_etr): the applied rates,
 * baseline tariffs included, on goods imports, weighted by imports before
 * tariffs, baseline imports before substitution and the step's imports after
 * it.  The fields named average tariff are the older name of the rate before
 * substitution, kept for one release.  Bilateral trade is goods trade
 * (tradable sectors), before tariffs. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tradewar/json.h"
#include "tradewar/report.h"
#include "core/index.h"
#include "json_out.h"
#include "report_impl.h"

static double goods_flow(const tw_world *w, const double *t, size_t n, size_t i)
{
    size_t N = tw_world_n_countries(w), J = tw_world_n_sectors(w);
    double s = 0;
    for (size_t j = 0; j < J; j++)
        if (tw_world_sector_tradable(w, j)) s += t[tw_ix_nij(N, J, n, i, j)];
    return s;
}

/* No "-0.0" in tables: values that print as zero are zero. */
static double clean(double v, double half_unit) { return fabs(v) < half_unit ? 0.0 : v; }

/* The effective tariff rate of importer n on exporter i, % */
static double etr_pair(const tw_result *r, tw_etr kind, size_t n, size_t i)
{
    return 100 * tw_result_etr(r, kind, n, i, TW_ETR_ALL);
}

/* change of goods imports of n from i, % of baseline */
static double trade_change(const tw_world *w, const tw_result *r, size_t n, size_t i)
{
    return tw_pct_change(goods_flow(w, tw_result_trade(r, 0), n, i), goods_flow(w, tw_result_trade(r, 1), n, i));
}

void tw_timeline_focus(const tw_timeline *tl, size_t focus[5])
{
    const tw_world *w = tw_timeline_world(tl);
    const tw_scenario *sc = tw_timeline_scenario(tl);
    size_t N = tw_world_n_countries(w);
    focus[0] = (size_t)tw_world_country_index(w, tw_scenario_focus(sc, 0));
    focus[1] = (size_t)tw_world_country_index(w, tw_scenario_focus(sc, 1));
    double best[3] = {-1, -1, -1};
    focus[2] = focus[3] = focus[4] = (size_t)-1;
    for (size_t n = 0; n < N; n++) {
        if (n == focus[0] || n == focus[1]) continue;
        double m = 0;
        for (size_t k = 0; k < tw_timeline_n_steps(tl); k++)
            m = fmax(m, fabs(tw_pct(tw_result_welfare_hat(tw_timeline_result(tl, k), n))));
        for (int q = 0; q < 3; q++)
            if (m > best[q]) {
                for (int z = 2; z > q; z--) {
                    best[z] = best[z - 1];
                    focus[2 + z] = focus[2 + z - 1];
                }
                best[q] = m;
                focus[2 + q] = n;
                break;
            }
    }
}

static size_t n_focus(const size_t f[5])
{
    size_t k = 0;
    while (k < 5 && f[k] != (size_t)-1) k++;
    return k;
}

static void header(FILE *out, const tw_timeline *tl)
{
    const tw_world *w = tw_timeline_world(tl);
    const tw_scenario *sc = tw_timeline_scenario(tl);
    const char *units = tw_world_meta(w, "units");
    fprintf(out, "timeline: %s\n", tw_scenario_title(sc));
    fprintf(out, "world %s: data year %s, tariffs %s, %s\n", tw_world_dir(w),
            tw_world_meta(w, "year") ? tw_world_meta(w, "year") : "?",
            tw_world_meta(w, "tariff_year") ? tw_world_meta(w, "tariff_year") : "?",
            units ? units : "units not stated");
    const char *el = tw_report_other_elasticities(w);
    if (el) fprintf(out, "elasticities: %s\n", el);
}


static void label_cell(FILE *out, const tw_timeline *tl, size_t k, int width)
{
    const char *l = tw_timeline_step_label(tl, k);
    int len = (int)strlen(l);
    if (len <= width) fprintf(out, "%-*s", width, l);
    else fprintf(out, "%.*s...", width - 3, l);
}

/* One column of the country table (columns.c) for the focus countries, step by step. */
static void country_table(FILE *out, const tw_timeline *tl, const size_t f[5], const char *title,
                          const char *column, const char *fmt)
{
    const tw_column *c = tw_report_column_find(TW_LEVEL_COUNTRY, column);
    const tw_world *w = tw_timeline_world(tl);
    size_t nf = n_focus(f);
    fprintf(out, "\n%s\n%-10s  %-44s", title, "date", "step");
    for (size_t q = 0; q < nf; q++) fprintf(out, " %10s", tw_world_country_code(w, f[q]));
    fputc('\n', out);
    for (size_t k = 0; k < tw_timeline_n_steps(tl); k++) {
        fprintf(out, "%-10s  ", tw_timeline_step_date(tl, k));
        label_cell(out, tl, k, 44);
        for (size_t q = 0; q < nf; q++) fprintf(out, fmt, clean(tw_column_value(c, tw_timeline_result(tl, k), f[q], 0, 0), 5e-4));
        fputc('\n', out);
    }
}

int tw_report_timeline_table(FILE *out, const tw_timeline *tl)
{
    const tw_world *w = tw_timeline_world(tl);
    size_t f[5];
    tw_timeline_focus(tl, f);
    const char *A = tw_world_country_code(w, f[0]), *B = tw_world_country_code(w, f[1]);
    const char *units = tw_world_meta(w, "units");
    header(out, tl);
    fprintf(out, "ETR: effective tariff rate, the applied rates incl. the baseline on goods imports weighted by "
                 "baseline imports before tariffs; trade: goods imports before tariffs, %% change from the baseline\n");
    char h1[32], h2[32], h3[32], h4[32];
    snprintf(h1, sizeof h1, "%s on %s", A, B);
    snprintf(h2, sizeof h2, "%s on %s", B, A);
    snprintf(h3, sizeof h3, "%s->%s", B, A);
    snprintf(h4, sizeof h4, "%s->%s", A, B);
    fprintf(out, "\n%-10s  %-44s %11s %11s %11s %11s\n", "", "", "ETR %", "ETR %", "trade %", "trade %");
    fprintf(out, "%-10s  %-44s %11s %11s %11s %11s\n", "date", "step", h1, h2, h3, h4);
    for (size_t k = 0; k < tw_timeline_n_steps(tl); k++) {
        const tw_result *r = tw_timeline_result(tl, k);
        fprintf(out, "%-10s  ", tw_timeline_step_date(tl, k));
        label_cell(out, tl, k, 44);
        fprintf(out, " %11.1f %11.1f %11.1f %11.1f\n", etr_pair(r, TW_ETR_PRE, f[0], f[1]),
                etr_pair(r, TW_ETR_PRE, f[1], f[0]), clean(trade_change(w, r, f[0], f[1]), 0.05),
                clean(trade_change(w, r, f[1], f[0]), 0.05));
    }
    country_table(out, tl, f, "ETR on goods imports from all partners, % (baseline import weights)",
                  "etr_pre_pct", " %10.2f");
    country_table(out, tl, f, "ETR on goods imports from all partners, % (the step's import weights)",
                  "etr_post_pct", " %10.2f");
    country_table(out, tl, f, "welfare (exact real income), % change from the baseline", "welfare_pct",
                  " %10.3f");
    country_table(out, tl, f, "real wage, % change", "real_wage_pct", " %10.3f");
    country_table(out, tl, f, "consumer price index, % change", "price_index_pct", " %10.3f");
    if (!tw_report_model_units(w)) {
        char t[128];
        snprintf(t, sizeof t, "tariff revenue, new level (%s)", units ? units : "units of trade.csv");
        country_table(out, tl, f, t, "tariff_revenue", " %10.0f");
    }
    size_t n = tw_timeline_n_steps(tl);
    double worst = 0;
    size_t iters = 0;
    for (size_t k = 0; k < n; k++) {
        worst = fmax(worst, tw_result_residual(tw_timeline_result(tl, k)));
        iters += tw_result_iterations(tw_timeline_result(tl, k));
    }
    fprintf(out, "\n%zu steps solved (each from the previous one), %zu iterations in all, largest residual %.1e\n",
            n, iters, worst);
    return ferror(out) ? -1 : 0;
}

/* The label as one quoted CSV field. */
static void put_label(FILE *out, const char *lab)
{
    fputc('"', out);
    for (const char *c = lab; *c; c++) {
        if (*c == '"') fputc('"', out);
        fputc(*c, out);
    }
    fputc('"', out);
}

int tw_report_timeline_csv(FILE *out, const tw_timeline *tl)
{
    const tw_world *w = tw_timeline_world(tl);
    size_t N = tw_world_n_countries(w), f[5];
    const tw_column *cols[TW_REPORT_MAX_COLUMNS];
    size_t m = tw_report_view(TW_LEVEL_COUNTRY, TW_SHOW_TIMELINE_CSV, cols, TW_REPORT_MAX_COLUMNS);
    tw_timeline_focus(tl, f);
    fputs("step,date,label,rule,country", out);
    for (size_t q = 0; q < m; q++) fprintf(out, ",%s", tw_column_name(cols[q]));
    fputs(",avg_tariff_on_partner,partner_goods_imports_pct,etr_pre_on_partner_pct,"
          "etr_post_on_partner_pct\n", out);
    for (size_t k = 0; k < tw_timeline_n_steps(tl); k++) {
        const tw_result *r = tw_timeline_result(tl, k);
        const double *tau = tw_result_tariffs(r);
        for (size_t n = 0; n < N; n++) {
            fprintf(out, "%zu,%s,", k, tw_timeline_step_date(tl, k));
            put_label(out, tw_timeline_step_label(tl, k));
            fprintf(out, ",%d,%s", tw_timeline_step_is_rule(tl, k), tw_world_country_code(w, n));
            for (size_t q = 0; q < m; q++) {
                double v = tw_column_value(cols[q], r, n, 0, 0);
                if (isfinite(v)) fprintf(out, ",%.10g", v);
                else fputc(',', out); /* absent: empty, never a guess */
            }
            if (n == f[0] || n == f[1]) {
                size_t p = n == f[0] ? f[1] : f[0];
                fprintf(out, ",%.10g,%.10g,%.10g,%.10g\n", 100 * tw_average_tariff(w, tau, n, p),
                        trade_change(w, r, n, p), etr_pair(r, TW_ETR_PRE, n, p),
                        etr_pair(r, TW_ETR_POST, n, p));
            } else {
                fprintf(out, ",,,,\n");
            }
        }
    }
    return ferror(out) ? -1 : 0;
}

char *tw_report_timeline_json(const tw_timeline *tl) { return tw_report_timeline_json_named(tl, NULL); }

char *tw_report_timeline_json_named(const tw_timeline *tl, const char *world)
{
    const tw_world *w = tw_timeline_world(tl);
    const tw_scenario *sc = tw_timeline_scenario(tl);
    size_t N = tw_world_n_countries(w), f[5];
    const tw_column *cols[TW_REPORT_MAX_COLUMNS];
    size_t m = tw_report_view(TW_LEVEL_COUNTRY, TW_SHOW_TIMELINE_JSON, cols, TW_REPORT_MAX_COLUMNS);
    tw_timeline_focus(tl, f);
    cJSON *root = cJSON_CreateObject();
    if (!root) return NULL;
    int ok = 1;
    jstr(root, "scenario", tw_scenario_title(sc), &ok);
    jstr(root, "world", world ? world : tw_world_dir(w), &ok);
    const char *keys[] = {"year", "tariff_year", "units"};
    for (int k = 0; k < 3; k++)
        if (tw_world_meta(w, keys[k])) jstr(root, keys[k], tw_world_meta(w, keys[k]), &ok);
    if (tw_world_elasticities(w)) jstr(root, "elasticities", tw_world_elasticities(w), &ok);
    jstr(root, "average_tariff",
         "applied incl. baseline, trade-weighted over goods sectors, baseline flow weights", &ok);
    jstr(root, "etr",
         "effective tariff rate: applied rates incl. baseline on goods imports, weighted by imports "
         "before tariffs (pre: baseline imports; post: the step's imports)", &ok);
    cJSON *fa = jarr(root, "focus", &ok);
    for (size_t q = 0; q < n_focus(f) && fa; q++)
        jpush(fa, cJSON_CreateString(tw_world_country_code(w, f[q])), &ok);
    cJSON *steps = jarr(root, "steps", &ok);
    int converged = 1;
    for (size_t k = 0; k < tw_timeline_n_steps(tl) && steps; k++) {
        const tw_result *r = tw_timeline_result(tl, k);
        const double *tau = tw_result_tariffs(r);
        cJSON *s = cJSON_CreateObject();
        jpush(steps, s, &ok);
        if (!ok) break;
        jstr(s, "date", tw_timeline_step_date(tl, k), &ok);
        jstr(s, "label", tw_timeline_step_label(tl, k), &ok);
        jbool(s, "rule", tw_timeline_step_is_rule(tl, k), &ok);
        jbool(s, "converged", 1, &ok);
        jnum(s, "iterations", (double)tw_result_iterations(r), &ok);
        jnum(s, "residual", tw_result_residual(r), &ok);
        jnum(s, "tariff_a_on_b_pct", 100 * tw_average_tariff(w, tau, f[0], f[1]), &ok);
        jnum(s, "tariff_b_on_a_pct", 100 * tw_average_tariff(w, tau, f[1], f[0]), &ok);
        jnum(s, "trade_b_to_a_pct", trade_change(w, r, f[0], f[1]), &ok);
        jnum(s, "trade_a_to_b_pct", trade_change(w, r, f[1], f[0]), &ok);
        jnum(s, "etr_pre_a_on_b_pct", etr_pair(r, TW_ETR_PRE, f[0], f[1]), &ok);
        jnum(s, "etr_pre_b_on_a_pct", etr_pair(r, TW_ETR_PRE, f[1], f[0]), &ok);
        jnum(s, "etr_post_a_on_b_pct", etr_pair(r, TW_ETR_POST, f[0], f[1]), &ok);
        jnum(s, "etr_post_b_on_a_pct", etr_pair(r, TW_ETR_POST, f[1], f[0]), &ok);
        cJSON *cs = jarr(s, "countries", &ok);
        for (size_t n = 0; n < N && cs; n++) {
            cJSON *c = cJSON_CreateObject();
            jpush(cs, c, &ok);
            if (!ok) break;
            jstr(c, "code", tw_world_country_code(w, n), &ok);
            for (size_t q = 0; q < m; q++) jnum(c, tw_column_name(cols[q]), tw_column_value(cols[q], r, n, 0, 0), &ok);
        }
    }
    jbool(root, "converged", converged, &ok);
    const tw_result *r0 = tw_timeline_n_steps(tl) ? tw_timeline_result(tl, 0) : NULL;
    jput(root, "meta",
         tw_report_meta(w, r0 ? tw_deficits_name(tw_result_deficits(r0)) : NULL,
                        r0 ? tw_method_name(tw_result_method(r0)) : NULL, tw_timeline_tol(tl)),
         &ok);
    char *txt = ok ? tw_json_print(root) : NULL;
    cJSON_Delete(root);
    return txt;
}

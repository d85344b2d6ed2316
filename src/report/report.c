/* report.c - a solved result as the readable table, CSV and JSON of
 * `tradewar solve`.
 *
 * Every number written here is a column of the table in columns.c (its name,
 * format and value come from there); this file only lays the columns out, so
 * the three outputs cannot drift apart.  Sections per level: countries, then
 * (when asked) pairs and sectors. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tradewar/json.h"
#include "tradewar/report.h"
#include "core/json_buf.h"
#include "json_out.h"
#include "report_impl.h"

int tw_report_model_units(const tw_world *w)
{
    const char *u = tw_world_meta(w, "units");
    return u && strcmp(u, "model units") == 0;
}

const char *tw_report_other_elasticities(const tw_world *w)
{
    const char *el = tw_world_elasticities(w), *def = tw_world_default_elasticities(w);
    return el && !(def && strcmp(el, def) == 0) ? el : NULL;
}

void tw_report_json_rows(cJSON *arr, const tw_world *w, const tw_result *r, tw_report_level level,
                         unsigned show, int *ok)
{
    const tw_column *cols[TW_REPORT_MAX_COLUMNS];
    size_t m = tw_report_view(level, show, cols, TW_REPORT_MAX_COLUMNS), nk = tw_report_n_keys(level);
    for (size_t k = 0, ix[3]; arr && *ok && tw_report_next_row(level, r, &k, ix); k++) {
        cJSON *c = cJSON_CreateObject();
        jpush(arr, c, ok);
        if (!*ok) break;
        for (size_t q = 0; q < nk; q++)
            jstr(c, tw_report_key_name(level, q), tw_report_key_code(w, level, q, ix), ok);
        if (level == TW_LEVEL_COUNTRY) jstr(c, "name", tw_world_country_name(w, ix[0]), ok);
        for (size_t q = 0; q < m; q++)
            jnum(c, tw_column_name(cols[q]), tw_column_value(cols[q], r, ix[0], ix[1], ix[2]), ok);
    }
}

/* A string member's value; a NULL string fails the report, as cJSON's
 * CreateString does. */
static void text_or_fail(tw_jbuf *b, const char *s)
{
    if (s) tw_jbuf_string(b, s);
    else b->ok = 0;
}

/* The rows of level as a JSON array written straight into b: the text
 * tw_report_json_rows gives as a cJSON tree, without the tree (a dashboard
 * answer holds tens of thousands of numbers). */
static void json_rows_text(tw_jbuf *b, const tw_world *w, const tw_result *r, tw_report_level level,
                           unsigned show)
{
    const tw_column *cols[TW_REPORT_MAX_COLUMNS];
    size_t m = tw_report_view(level, show, cols, TW_REPORT_MAX_COLUMNS), nk = tw_report_n_keys(level);
    tw_jbuf_char(b, '[');
    for (size_t k = 0, ix[3], first = 1; b->ok && tw_report_next_row(level, r, &k, ix); k++, first = 0) {
        tw_jbuf_put(b, first ? "{" : ",{", first ? 1 : 2);
        for (size_t q = 0; q < nk; q++) {
            if (q) tw_jbuf_char(b, ',');
            tw_jbuf_key(b, tw_report_key_name(level, q));
            text_or_fail(b, tw_report_key_code(w, level, q, ix));
        }
        if (level == TW_LEVEL_COUNTRY) {
            tw_jbuf_put(b, ",\"name\":", 8);
            text_or_fail(b, tw_world_country_name(w, ix[0]));
        }
        for (size_t q = 0; q < m; q++) {
            tw_jbuf_char(b, ',');
            tw_jbuf_key(b, tw_column_name(cols[q]));
            tw_jbuf_number(b, tw_column_value(cols[q], r, ix[0], ix[1], ix[2]));
        }
        tw_jbuf_char(b, '}');
    }
    tw_jbuf_char(b, ']');
}

/* Everything of tw_report_json before its rows, as a cJSON object (NULL
 * when out of memory). */
static cJSON *json_head(const tw_world *w, const tw_result *r, const tw_report_opts *o)
{
    cJSON *root = cJSON_CreateObject();
    if (!root) return NULL;
    int ok = 1;
    jstr(root, "world", o && o->world ? o->world : tw_world_dir(w), &ok);
    const char *keys[] = {"year", "tariff_year", "units", "source"};
    for (size_t k = 0; k < 4; k++) {
        const char *v = tw_world_meta(w, keys[k]);
        if (v) jstr(root, keys[k], v, &ok);
    }
    if (tw_world_elasticities(w)) jstr(root, "elasticities", tw_world_elasticities(w), &ok);
    if (o && o->scenario) jstr(root, "scenario", o->scenario, &ok);
    jstr(root, "method", tw_method_name(tw_result_method(r)), &ok);
    jstr(root, "deficits", tw_deficits_name(tw_result_deficits(r)), &ok);
    jbool(root, "converged", 1, &ok);
    jnum(root, "iterations", (double)tw_result_iterations(r), &ok);
    jnum(root, "evaluations", (double)tw_result_evaluations(r), &ok);
    jnum(root, "evaluations_purge", (double)tw_result_evaluations_purge(r), &ok);
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
    jput(root, "meta",
         tw_report_meta(w, tw_deficits_name(tw_result_deficits(r)),
                        tw_method_name(tw_result_method(r)), o ? o->tol : 0),
         &ok);
    if (!ok) {
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}

char *tw_report_json(const tw_world *w, const tw_result *r, const tw_report_opts *o)
{
    cJSON *head = json_head(w, r, o);
    tw_jbuf b = TW_JBUF_INIT;
    if (head) tw_jbuf_value(&b, head);
    else b.ok = 0;
    cJSON_Delete(head);
    tw_jbuf_unput(&b); /* the head's '}': the rows follow as its last members */
    tw_jbuf_put(&b, ",\"countries\":", 13);
    json_rows_text(&b, w, r, TW_LEVEL_COUNTRY, TW_SHOW_JSON);
    if (o && o->bilateral) {
        tw_jbuf_put(&b, ",\"bilateral\":", 13);
        json_rows_text(&b, w, r, TW_LEVEL_PAIR, TW_SHOW_JSON);
    }
    if (o && o->sectors) {
        tw_jbuf_put(&b, ",\"sectors\":", 11);
        json_rows_text(&b, w, r, TW_LEVEL_SECTOR, TW_SHOW_JSON);
    }
    tw_jbuf_char(&b, '}');
    return tw_jbuf_finish(&b);
}

/* Readable tables: no money columns where the world is in model units. */
static size_t table_view(const tw_world *w, tw_report_level level, unsigned show,
                         const tw_column **cols)
{
    const tw_column *all[TW_REPORT_MAX_COLUMNS];
    size_t m = tw_report_view(level, show, all, TW_REPORT_MAX_COLUMNS), k = 0;
    for (size_t q = 0; q < m; q++)
        if (!tw_column_needs_units(all[q]) || !tw_report_model_units(w)) cols[k++] = all[q];
    return k;
}

/* Width of key q of a row in the readable table: 10 for a sector code, 8 for
 * a country code (left-aligned). */
static int key_width(tw_report_level level, size_t q)
{
    return (level == TW_LEVEL_SECTOR && q == 1) || (level == TW_LEVEL_CELL && q == 2) ? 10 : 8;
}

/* One section of the readable table: a heading line, then a line per row
 * (the country section's key reads "country"; a value the world lacks reads
 * "n/a"). */
static void table_section(FILE *out, const tw_world *w, const tw_result *r, tw_report_level level,
                          unsigned show)
{
    const tw_column *cols[TW_REPORT_MAX_COLUMNS];
    size_t m = table_view(w, level, show, cols), nk = tw_report_n_keys(level);
    for (size_t q = 0; q < nk; q++)
        fprintf(out, "%s%-*s", q ? " " : "", key_width(level, q),
                level == TW_LEVEL_COUNTRY ? "country" : tw_report_key_name(level, q));
    for (size_t q = 0; q < m; q++) fprintf(out, " %*s", tw_column_width(cols[q]), tw_column_heading(cols[q]));
    fputc('\n', out);
    for (size_t k = 0, ix[3]; tw_report_next_row(level, r, &k, ix); k++) {
        for (size_t q = 0; q < nk; q++)
            fprintf(out, "%s%-*s", q ? " " : "", key_width(level, q), tw_report_key_code(w, level, q, ix));
        for (size_t q = 0; q < m; q++) {
            double v = tw_column_value(cols[q], r, ix[0], ix[1], ix[2]);
            if (isfinite(v)) fprintf(out, " %*.*f", tw_column_width(cols[q]), tw_column_decimals(cols[q]), v);
            else fprintf(out, " %*s", tw_column_width(cols[q]), "n/a");
        }
        fputc('\n', out);
    }
}

/* A section of level with the columns of output show. */
typedef void (*section_fn)(FILE *out, const tw_world *w, const tw_result *r, tw_report_level level,
                           unsigned show);

/* The bilateral and sector sections an output adds when asked, each after a
 * blank line. */
static void more_sections(FILE *out, const tw_world *w, const tw_result *r,
                          const tw_report_opts *o, section_fn section, unsigned show)
{
    if (o && o->bilateral) {
        fputc('\n', out);
        section(out, w, r, TW_LEVEL_PAIR, show);
    }
    if (o && o->sectors) {
        fputc('\n', out);
        section(out, w, r, TW_LEVEL_SECTOR, show);
    }
}

/* What the headings of the country table mean; money: the world's unit, or
 * NULL for a world in model units (no money columns). */
static void table_notes(FILE *out, unsigned show, const char *money, const char *more)
{
    fprintf(out, "\nwelfare: exact change in real income; realGDP: at baseline prices (Fisher)\n"
                 "ETR pre/post: effective tariff rate on goods imports, before/after "
                 "substitution\n");
    if (money) fprintf(out, "cons. cost: change in the cost of the baseline household basket, %s\n", money);
    if (show & TW_SHOW_TABLE_ALL) {
        fprintf(out, "rev/GDP: tariff revenue, %% of GDP; ToT+VoT: Caliendo-Parro first-order "
                     "welfare\n");
        if (money) fprintf(out, "tariff rev., EV: new tariff revenue, equivalent variation, %s\n", money);
    } else if (more) {
        fprintf(out, "rev/GDP: tariff revenue, %% of GDP; more columns: %s\n", more);
    } else {
        fprintf(out, "rev/GDP: tariff revenue, %% of GDP\n");
    }
}

int tw_report_table(FILE *out, const tw_world *w, const tw_result *r, const tw_report_opts *o)
{
    return tw_report_table_view(out, w, r, o, TW_SHOW_TABLE);
}

int tw_report_table_view(FILE *out, const tw_world *w, const tw_result *r, const tw_report_opts *o,
                         unsigned show)
{
    size_t N = tw_result_n_countries(r), J = tw_result_n_sectors(r);
    int levels = !tw_report_model_units(w);
    const char *units = tw_world_meta(w, "units");
    fprintf(out, "world %s: %zu countries x %zu sectors, data year %s, tariffs %s, %s\n",
            tw_world_dir(w), N, J, tw_world_meta(w, "year") ? tw_world_meta(w, "year") : "?",
            tw_world_meta(w, "tariff_year") ? tw_world_meta(w, "tariff_year") : "?",
            units ? units : "units not stated");
    if (o && o->scenario) fprintf(out, "scenario: %s\n", o->scenario);
    fprintf(out, "deficits: %s; method: %s", tw_deficits_name(tw_result_deficits(r)),
            tw_method_name(tw_result_method(r)));
    const char *el = tw_report_other_elasticities(w);
    if (el) fprintf(out, "; elasticities: %s", el);
    fprintf(out, "\n\n");
    table_section(out, w, r, TW_LEVEL_COUNTRY, show);
    table_notes(out, show, levels ? (units ? units : "") : NULL, o ? o->more : NULL);
    more_sections(out, w, r, o, table_section, show);
    fprintf(out, "\nconverged: %zu iterations, %zu model evaluations", tw_result_iterations(r),
            tw_result_evaluations(r));
    if (tw_result_evaluations_purge(r))
        fprintf(out, " (and %zu for the deficit purge)", tw_result_evaluations_purge(r));
    fprintf(out, ", max residual %.1e", tw_result_residual(r));
    if (o && o->tol > 0) fprintf(out, " (tol %.0e)", o->tol);
    fputc('\n', out);
    return ferror(out) ? -1 : 0;
}

int tw_report_csv_level(FILE *out, const tw_world *w, const tw_result *r, tw_report_level level)
{
    if (level != TW_LEVEL_COUNTRY && level != TW_LEVEL_PAIR && level != TW_LEVEL_SECTOR) return -1;
    const tw_column *cols[TW_REPORT_MAX_COLUMNS];
    size_t m = tw_report_view(level, TW_SHOW_CSV, cols, TW_REPORT_MAX_COLUMNS);
    size_t nk = tw_report_n_keys(level);
    for (size_t q = 0; q < nk; q++) fprintf(out, "%s%s", q ? "," : "", tw_report_key_name(level, q));
    for (size_t q = 0; q < m; q++) fprintf(out, ",%s", tw_column_name(cols[q]));
    fputc('\n', out);
    for (size_t k = 0, ix[3]; tw_report_next_row(level, r, &k, ix); k++) {
        for (size_t q = 0; q < nk; q++)
            fprintf(out, "%s%s", q ? "," : "", tw_report_key_code(w, level, q, ix));
        for (size_t q = 0; q < m; q++) {
            double v = tw_column_value(cols[q], r, ix[0], ix[1], ix[2]);
            if (isfinite(v)) fprintf(out, ",%.10g", v);
            else fputc(',', out); /* absent: empty, never a guess */
        }
        fputc('\n', out);
    }
    return ferror(out) ? -1 : 0;
}

int tw_report_csv(FILE *out, const tw_world *w, const tw_result *r, const tw_report_opts *o)
{
    (void)o;
    return tw_report_csv_level(out, w, r, TW_LEVEL_COUNTRY);
}

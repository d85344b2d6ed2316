/* output.c - a sweep's results as CSV (per variant and point, and the
 * summary of bands) and as a readable summary table.
 *
 * Invariant: everything written is a function of the results alone, in a
 * fixed order (variant, point, country), with doubles as "%.17g" so that they
 * read back to the same bits: two runs of the same sweep split differently
 * over threads or processes write byte-identical files.  Nothing about the
 * split (threads, ranks, timings) is ever written here. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sweep_impl.h"

/* A CSV field, quoted when it holds a comma, quote or line break. */
static void put_field(FILE *out, const char *t)
{
    if (!strpbrk(t, ",\"\r\n")) {
        fputs(t, out);
        return;
    }
    fputc('"', out);
    for (; *t; t++) {
        if (*t == '"') fputc('"', out);
        fputc(*t, out);
    }
    fputc('"', out);
}

static void put_num(FILE *out, double x)
{
    fputc(',', out);
    if (isfinite(x)) fprintf(out, "%.17g", x);
}

static void put_axes(FILE *out, const tw_sweep *s, size_t p)
{
    fprintf(out, "%zu", p);
    for (size_t a = 0; a < s->n_axes; a++) put_num(out, tw_sweep_axis_value(s, a, p));
}

static void put_axis_header(FILE *out, const tw_sweep *s)
{
    fputs("grid_point", out);
    for (size_t a = 0; a < s->n_axes; a++) {
        fputc(',', out);
        put_field(out, s->axes[a].label);
    }
}

static int finish(FILE *out) { return ferror(out) ? -1 : 0; }

int tw_sweep_write_csv(FILE *out, const tw_sweep *s)
{
    if (!out || !tw_sweep_complete(s)) return -1;
    fputs("theta,draw,", out);
    put_axis_header(out, s);
    fputs(",country", out);
    for (size_t k = 0; k < TW_SWEEP_N_STATS; k++) fprintf(out, ",%s", tw_sweep_stat_name(k));
    if (s->n_players) fputs(",nash_tariff_pct", out);
    fputs(",converged,iterations,residual\n", out);
    for (size_t v = 0; v < tw_sweep_n_variants(s); v++)
        for (size_t p = 0; p < s->n_points; p++) {
            int conv = tw_sweep_converged(s, v, p);
            for (size_t n = 0; n < s->N; n++) {
                put_field(out, tw_sweep_variant_label(s, v));
                fputc(',', out);
                if (v > 0) fprintf(out, "%ld", tw_sweep_variant_draw(s, v));
                fputc(',', out);
                put_axes(out, s, p);
                fputc(',', out);
                put_field(out, tw_world_country_code(s->w, n));
                for (size_t k = 0; k < TW_SWEEP_N_STATS; k++)
                    put_num(out, tw_sweep_stat(s, v, p, n, k));
                if (s->n_players) put_num(out, tw_sweep_nash_tariff_pct(s, v, p, n));
                double it = tw_sweep_iterations(s, v, p);
                fprintf(out, ",%d,", conv);
                if (isfinite(it)) fprintf(out, "%.0f", it);
                put_num(out, tw_sweep_residual(s, v, p));
                fputc('\n', out);
            }
        }
    return finish(out);
}

static size_t n_quantities(const tw_sweep *s) { return TW_SWEEP_N_STATS + (s->n_players ? 1 : 0); }

static const char *quantity_name(size_t k)
{
    return k < TW_SWEEP_N_STATS ? tw_sweep_stat_name(k) : "nash_tariff_pct";
}

int tw_sweep_write_summary_csv(FILE *out, const tw_sweep *s)
{
    if (!out || !tw_sweep_complete(s)) return -1;
    put_axis_header(out, s);
    fputs(",country,statistic,estimate,median,p5,p95,n,failed\n", out);
    for (size_t p = 0; p < s->n_points; p++)
        for (size_t n = 0; n < s->N; n++)
            for (size_t k = 0; k < n_quantities(s); k++) {
                tw_band b;
                if (tw_sweep_band(s, p, n, k, &b)) return -1;
                if (k == TW_SWEEP_N_STATS && b.n == 0 && b.failed == 0 && isnan(b.point))
                    continue; /* not a player */
                put_axes(out, s, p);
                fputc(',', out);
                put_field(out, tw_world_country_code(s->w, n));
                fprintf(out, ",%s", quantity_name(k));
                put_num(out, b.point);
                put_num(out, b.median);
                put_num(out, b.p5);
                put_num(out, b.p95);
                fprintf(out, ",%zu,%zu\n", b.n, b.failed);
            }
    return finish(out);
}

/* ---- readable summary ---------------------------------------------------- */

static void put_cell_places(FILE *out, double x, int width, int places)
{
    if (isfinite(x))
        fprintf(out, " %*.*f", width, places, x);
    else
        fprintf(out, " %*s", width, "-");
}

static void put_cell(FILE *out, double x, int width)
{
    put_cell_places(out, x, width, 4);
}

/* Decimals of quantity k in the tables: 4, and 1 for a statistic in money
 * (consumer_cost), so that levels in millions keep to the column width. */
/* Width of the statistic column: the longest name, tariff_revenue_gdp_pct. */
#define STAT_W 22

static int places(size_t k)
{
    const tw_column *c = k < TW_SWEEP_N_STATS ? tw_sweep_stat_column(k) : NULL;
    return c && tw_column_unit(c) == TW_UNIT_MONEY ? 1 : 4;
}

/* "tariff of USA on CHN, all goods" for the axis "USA,CHN,*". */
static const char *describe(const sw_axis *A, char *buf, size_t size)
{
    char imp[80], exp[80], sec[80];
    snprintf(buf, size, "%s", A->label);
    if (sscanf(A->label, "%79[^,],%79[^,],%79s", imp, exp, sec) != 3) return buf;
    snprintf(buf, size, "tariff of %s on %s, %s%s", strcmp(imp, "*") ? imp : "every importer",
             strcmp(exp, "*") ? exp : "every partner", strcmp(sec, "*") ? "sector " : "",
             strcmp(sec, "*") ? sec : "all goods");
    return buf;
}

static void header_lines(FILE *out, const tw_sweep *s)
{
    size_t nv = tw_sweep_n_variants(s), total = nv * s->n_points;
    fprintf(out, "world %s: %zu countries x %zu sectors\n", tw_world_dir(s->w), s->N, s->J);
    if (s->kind == SW_DRAWS)
        fprintf(out, "theta: point estimate and %zu log-normal draws (sigma %g, seed %llu)\n",
                s->n_draws, s->sigma, (unsigned long long)s->seed);
    else if (s->kind == SW_SETS) {
        fputs("theta: point estimate and the sets", out);
        for (size_t k = 0; k < s->n_draws; k++) fprintf(out, " %s", s->set_name[k]);
        fputc('\n', out);
    } else {
        fputs("theta: the world's\n", out);
    }
    for (size_t a = 0; a < s->n_axes; a++)
    {
        char d[400];
        fprintf(out, "axis %zu (%s): %s from %g to %g (%zu levels)\n", a + 1, s->axes[a].label,
                describe(&s->axes[a], d, sizeof d), s->axes[a].values[0],
                s->axes[a].values[s->axes[a].count - 1], s->axes[a].count);
    }
    if (s->n_players) {
        fputs("nash war (uniform tariffs) among", out);
        for (size_t k = 0; k < s->n_players; k++)
            fprintf(out, " %s", tw_world_country_code(s->w, s->players[k]));
        fputc('\n', out);
    }
    fprintf(out, "%s: %zu; failed (did not converge): %zu\n",
            s->n_players ? "equilibria" : "solves", total, tw_sweep_n_failed(s));
    size_t shown = 0;
    for (size_t v = 0; v < nv; v++)
        for (size_t p = 0; p < s->n_points; p++)
            if (!tw_sweep_converged(s, v, p) && shown++ < 10)
                fprintf(out, "  failed: theta %s%s%ld, grid point %zu\n",
                        tw_sweep_variant_label(s, v), v ? " draw " : "",
                        v ? tw_sweep_variant_draw(s, v) : 0L, p);
    if (shown > 10) fprintf(out, "  ... and %zu more (see the per-draw CSV)\n", shown - 10);
}

/* Named sets are few: show each one's value rather than a band. */
static int set_table(FILE *out, const tw_sweep *s, size_t p)
{
    size_t nv = tw_sweep_n_variants(s);
    fprintf(out, "\n%-8s %-*s %10s", "country", STAT_W, "statistic", "estimate");
    for (size_t v = 1; v < nv; v++) fprintf(out, " %10.10s", tw_sweep_variant_label(s, v));
    fputc('\n', out);
    for (size_t n = 0; n < s->N; n++)
        for (size_t k = 0; k < n_quantities(s); k++) {
            if (k == TW_SWEEP_N_STATS && isnan(tw_sweep_nash_tariff_pct(s, 0, p, n)) &&
                tw_sweep_converged(s, 0, p))
                continue;
            fprintf(out, "%-8s %-*s", k ? "" : tw_world_country_code(s->w, n), STAT_W, quantity_name(k));
            for (size_t v = 0; v < nv; v++)
                put_cell_places(out, k < TW_SWEEP_N_STATS ? tw_sweep_stat(s, v, p, n, k)
                                                          : tw_sweep_nash_tariff_pct(s, v, p, n),
                                10, places(k));
            fputc('\n', out);
        }
    return 0;
}

/* One grid point: every country and quantity with its band. */
static int point_table(FILE *out, const tw_sweep *s, size_t p)
{
    int bands = tw_sweep_n_variants(s) > 1;
    if (s->kind == SW_SETS && s->n_draws <= 8) return set_table(out, s, p);
    if (bands)
        fprintf(out, "\n%-8s %-*s %10s %10s %10s %10s %6s %6s\n", "country", STAT_W, "statistic",
                "estimate", "median", "5%", "95%", "n", "failed");
    else
        fprintf(out, "\n%-8s %-*s %10s\n", "country", STAT_W, "statistic", "value");
    for (size_t n = 0; n < s->N; n++) {
        for (size_t k = 0; k < n_quantities(s); k++) {
            tw_band b;
            if (tw_sweep_band(s, p, n, k, &b)) return -1;
            if (k == TW_SWEEP_N_STATS && b.n == 0 && isnan(b.point)) continue;
            fprintf(out, "%-8s %-*s", k ? "" : tw_world_country_code(s->w, n), STAT_W, quantity_name(k));
            int d = places(k);
            put_cell_places(out, b.point, 10, d);
            if (bands) {
                put_cell_places(out, b.median, 10, d);
                put_cell_places(out, b.p5, 10, d);
                put_cell_places(out, b.p95, 10, d);
                fprintf(out, " %6zu %6zu", b.n, b.failed);
            }
            fputc('\n', out);
        }
    }
    return 0;
}

/* The countries whose welfare a grid is about: the axes' importers. */
static size_t focus(const tw_sweep *s, size_t *who)
{
    size_t m = 0;
    for (size_t a = 0; a < s->n_axes; a++) {
        long n = s->axes[a].importer;
        int seen = n < 0;
        for (size_t q = 0; q < m && !seen; q++) seen = who[q] == (size_t)n;
        if (!seen) who[m++] = (size_t)n;
    }
    return m;
}

static double center(const tw_sweep *s, size_t p, size_t n)
{
    tw_band b;
    if (tw_sweep_band(s, p, n, 0, &b)) return NAN;
    return tw_sweep_n_variants(s) > 1 ? b.median : b.point;
}

/* Two axes: a welfare map per focus country, rows axis 1, columns axis 2. */
static void maps(FILE *out, const tw_sweep *s, const size_t *who, size_t m)
{
    const sw_axis *A = &s->axes[0], *B = &s->axes[1];
    for (size_t q = 0; q < m; q++) {
        char da[400], db[400];
        fprintf(out, "\nwelfare of %s, %% (%s)\n  rows: %s\n  columns: %s\n",
                tw_world_country_code(s->w, who[q]),
                tw_sweep_n_variants(s) > 1 ? "median over theta" : "point estimate",
                describe(A, da, sizeof da), describe(B, db, sizeof db));
        fprintf(out, "%8s", "");
        for (size_t c = 0; c < B->count; c++) fprintf(out, " %8g", B->values[c]);
        fputc('\n', out);
        for (size_t r = 0; r < A->count; r++) {
            fprintf(out, "%8g", A->values[r]);
            for (size_t c = 0; c < B->count; c++) put_cell(out, center(s, r * B->count + c, who[q]), 8);
            fputc('\n', out);
        }
    }
}

/* Any other grid: one line per point with the focus countries' welfare. */
static int point_list(FILE *out, const tw_sweep *s, const size_t *who, size_t m)
{
    int bands = tw_sweep_n_variants(s) > 1;
    fprintf(out, "\nwelfare, %%%s\n", bands ? ": median [5%, 95%] over theta" : "");
    for (size_t a = 0; a < s->n_axes; a++) fprintf(out, "%12s", s->axes[a].label);
    for (size_t q = 0; q < m; q++)
        fprintf(out, " %*s", bands ? 30 : 10, tw_world_country_code(s->w, who[q]));
    fputc('\n', out);
    for (size_t p = 0; p < s->n_points; p++) {
        for (size_t a = 0; a < s->n_axes; a++) fprintf(out, "%12g", tw_sweep_axis_value(s, a, p));
        for (size_t q = 0; q < m; q++) {
            tw_band b;
            if (tw_sweep_band(s, p, who[q], 0, &b)) return -1;
            if (bands)
                fprintf(out, " %9.4f [%8.4f, %8.4f]", b.median, b.p5, b.p95);
            else
                put_cell(out, b.point, 10);
        }
        fputc('\n', out);
    }
    return 0;
}

int tw_sweep_write_summary(FILE *out, const tw_sweep *s)
{
    if (!out || !tw_sweep_complete(s)) return -1;
    header_lines(out, s);
    if (s->n_axes == 0) {
        if (point_table(out, s, 0)) return -1;
        return finish(out);
    }
    size_t who[TW_SWEEP_MAX_AXES];
    size_t m = focus(s, who);
    if (m == 0) {
        fputs("\n(the axes name no single importer: see the summary CSV for every country)\n", out);
    } else if (s->n_axes == 2) {
        maps(out, s, who, m);
    } else if (point_list(out, s, who, m)) {
        return -1;
    }
    return finish(out);
}

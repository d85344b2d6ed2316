/* info.c - the readable world summary of `tradewar info`: what the data is,
 * which year it describes, its size, totals, the largest flows and the average
 * tariffs, all read from the loaded world. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tradewar/report.h"
#include "core/index.h"

typedef struct flow {
    size_t n, i;
    double v;
} flow;

static int by_value_desc(const void *a, const void *b)
{
    double x = ((const flow *)a)->v, y = ((const flow *)b)->v;
    return (x < y) - (x > y);
}

/* Levels in millions read best as whole numbers; model units can be tiny. */
static void put_level(FILE *out, double v)
{
    if (fabs(v) >= 1.0 || v == 0.0)
        fprintf(out, " %13.0f", v);
    else
        fprintf(out, " %13.4g", v);
}

static const char *meta_or(const tw_world *w, const char *k, const char *dflt)
{
    const char *v = tw_world_meta(w, k);
    return v ? v : dflt;
}

/* "lo-hi" (or "v" when equal) of theta over the sectors whose tradable flag
 * is tradable; "-" when there are none. */
static void theta_range(const tw_world *w, const double *theta, int tradable, char *buf,
                        size_t size)
{
    double lo = HUGE_VAL, hi = -HUGE_VAL;
    for (size_t j = 0; j < tw_world_n_sectors(w); j++)
        if ((tw_world_sector_tradable(w, j) != 0) == tradable) {
            lo = theta[j] < lo ? theta[j] : lo;
            hi = theta[j] > hi ? theta[j] : hi;
        }
    if (lo > hi)
        snprintf(buf, size, "-");
    else if (lo == hi)
        snprintf(buf, size, "%.4g", lo);
    else
        snprintf(buf, size, "%.4g-%.4g", lo, hi);
}

/* The world's named elasticity sets, the default marked. */
static void info_elasticity_sets(FILE *out, const tw_world *w)
{
    size_t n = tw_world_n_elasticity_sets(w);
    if (n == 0) return;
    const char *def = tw_world_default_elasticities(w);
    fprintf(out, "\nelasticity sets (--elasticities NAME; * the default, sectors.csv's theta):\n");
    fprintf(out, "  %-12s %-12s %-10s %s\n", "set", "goods", "services", "source");
    for (size_t k = 0; k < n; k++) {
        const char *name = tw_world_elasticity_set_name(w, k);
        const double *theta = tw_world_elasticity_set_theta(w, k);
        char goods[48], serv[48];
        theta_range(w, theta, 1, goods, sizeof goods);
        theta_range(w, theta, 0, serv, sizeof serv);
        const char *src = tw_world_elasticity_set_source(w, k);
        fprintf(out, "  %-10s %s %-12s %-10s %.72s%s\n", name, def && !strcmp(name, def) ? "*" : " ",
                goods, serv, src, strlen(src) > 72 ? "..." : "");
    }
}

int tw_report_info(FILE *out, const tw_world *w)
{
    size_t N = tw_world_n_countries(w), J = tw_world_n_sectors(w);
    const double *t = tw_world_trade(w), *tau = tw_world_tariffs(w);
    const char *units = meta_or(w, "units", "units not stated");
    fprintf(out, "world: %s\n", tw_world_dir(w));
    fprintf(out, "data year: %s (trade and input-output flows); tariffs: %s\n",
            meta_or(w, "year", "not stated"), meta_or(w, "tariff_year", "not stated"));
    fprintf(out, "units: %s\n", units);
    if (tw_world_meta(w, "source")) fprintf(out, "source: %s\n", tw_world_meta(w, "source"));
    size_t ntrad = 0;
    for (size_t j = 0; j < J; j++) ntrad += tw_world_sector_tradable(w, j) != 0;
    fprintf(out, "size: %zu countries x %zu sectors (%zu tradable, %zu non-tradable)\n\n", N,
            J, ntrad, J - ntrad);

    double wva = 0, wexp = 0;
    for (size_t n = 0; n < N; n++) {
        wva += tw_world_value_added(w, n);
        wexp += tw_world_exports(w, n);
    }
    fprintf(out, "world value added %.10g, world exports %.10g (%s)\n\n", wva, wexp, units);
    fprintf(out, "%-6s %-28s %13s %13s %13s %13s %9s\n", "code", "name", "value added",
            "exports", "imports", "deficit", "tariff%");
    for (size_t n = 0; n < N; n++) {
        double tv = 0, m = 0;
        for (size_t i = 0; i < N; i++)
            for (size_t j = 0; j < J; j++) {
                if (i == n) continue;
                size_t c = tw_ix_nij(N, J, n, i, j);
                tv += tau[c] * t[c];
                m += t[c];
            }
        fprintf(out, "%-6s %-28.28s", tw_world_country_code(w, n), tw_world_country_name(w, n));
        put_level(out, tw_world_value_added(w, n));
        put_level(out, tw_world_exports(w, n));
        put_level(out, tw_world_imports(w, n));
        put_level(out, tw_world_deficit(w, n));
        fprintf(out, " %9.2f\n", m > 0 ? 100.0 * tv / m : 0.0);
    }
    fprintf(out, "tariff%%: import-weighted average applied tariff\n\n");

    flow *f = malloc((N > 0 ? N * N : 1) * sizeof *f);
    if (f) {
        size_t k = 0;
        for (size_t n = 0; n < N; n++)
            for (size_t i = 0; i < N; i++) {
                if (i == n) continue;
                double v = 0;
                for (size_t j = 0; j < J; j++) v += t[tw_ix_nij(N, J, n, i, j)];
                f[k++] = (flow){n, i, v};
            }
        qsort(f, k, sizeof *f, by_value_desc);
        fprintf(out, "largest flows (exporter -> importer, all sectors, %s):\n", units);
        for (size_t q = 0; q < k && q < 10; q++)
            fprintf(out, "  %-6s -> %-6s %14.10g\n", tw_world_country_code(w, f[q].i),
                    tw_world_country_code(w, f[q].n), f[q].v);
        free(f);
    }
    fprintf(out, "\n%-10s %7s %8s  %s\n", "sector", "theta", "tradable", "name");
    for (size_t j = 0; j < J; j++)
        fprintf(out, "%-10s %7.3g %8s  %s\n", tw_world_sector_code(w, j),
                tw_world_sector_theta(w, j), tw_world_sector_tradable(w, j) ? "yes" : "no",
                tw_world_sector_name(w, j));
    info_elasticity_sets(out, w);
    size_t nw = tw_world_n_warnings(w);
    if (nw) fprintf(out, "\n%zu warning%s:\n", nw, nw == 1 ? "" : "s");
    for (size_t k = 0; k < nw; k++) fprintf(out, "  %s\n", tw_world_warning(w, k));
    return ferror(out) ? -1 : 0;
}

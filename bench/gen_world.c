/* gen_world.c - write a synthetic world directory for benchmarks.
 *
 *   gen_world --countries 45 --sectors 56 --seed 1 --out DIR
 *
 * The world follows docs/data-format.md: countries.csv (C01..), sectors.csv (S01..;
 * the last quarter are non-tradable services), a dense trade.csv with home bias and
 * positive flows everywhere, tariffs.csv (0-20 % on tradable goods between different
 * countries), io.csv, meta.csv and README.md.  value_added.csv and final_demand.csv are
 * left out, so the program derives both and the baseline is an exact equilibrium.
 *
 * Invariant: derived final demand F_n^j = X_n^j - sum_k io[n][j->k] Y_n^k is at least
 * 20 % of spending X_n^j in every cell (trade flows are drawn first, then each input's
 * cost shares are scaled down where intermediate use would exceed 80 % of spending), and
 * input shares sum to at most 0.7 per country and output sector.  The same seed gives
 * the same files on every machine: the generator is splitmix64, all draws happen in a
 * fixed order, and only IEEE arithmetic (no libm) turns draws into values.  Each file is
 * written under a temporary name and renamed when complete (tradewar/outfile.h). */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tradewar/outfile.h"
#include "../tests/common/splitmix64.h"

#define MAX_DIM 500       /* keep in step with MAX_DIM_STR */
#define MAX_DIM_STR "500"
#define IO_TOTAL_MIN 0.3  /* intermediate share of gross output, drawn per cell */
#define IO_TOTAL_MAX 0.7
#define INPUT_CAP 0.8     /* intermediate use of a sector <= this share of spending */

/* Uniform on [lo, hi). */
static double rng_range(sm64 *r, double lo, double hi)
{
    return lo + (hi - lo) * sm64_unif(r);
}

typedef struct world {
    size_t N, J, n_services;
    uint64_t seed;
    double *theta;  /* [j] */
    double *trade;  /* [n][i][j] importer n buys from exporter i, before tariffs */
    double *tau;    /* [n][i][j] tariff, fraction */
    double *io;     /* [n][k][j] cost share of input k in output j */
} world;

static size_t ix_nij(size_t N, size_t J, size_t n, size_t i, size_t j)
{
    return (n * N + i) * J + j;
}

static size_t ix_nkj(size_t J, size_t n, size_t k, size_t j)
{
    return (n * J + k) * J + j;
}

static int is_tradable(const world *w, size_t j)
{
    return j < w->J - w->n_services;
}

static void world_free(world *w)
{
    free(w->theta);
    free(w->trade);
    free(w->tau);
    free(w->io);
}

/* Draw every quantity.  Returns 0, or -1 when memory runs out. */
static int world_build(world *w)
{
    size_t N = w->N, J = w->J;
    sm64 r = {w->seed};
    double *size = calloc(N, sizeof *size);
    double *weight = calloc(J, sizeof *weight);
    double *X = calloc(N * J, sizeof *X);
    double *Y = calloc(N * J, sizeof *Y);
    int rc = -1;

    w->theta = calloc(J, sizeof *w->theta);
    w->trade = calloc(N * N * J, sizeof *w->trade);
    w->tau = calloc(N * N * J, sizeof *w->tau);
    w->io = calloc(N * J * J, sizeof *w->io);
    if (!size || !weight || !X || !Y || !w->theta || !w->trade || !w->tau || !w->io)
        goto out;

    for (size_t j = 0; j < J; j++) {
        w->theta[j] = rng_range(&r, 2.0, 12.0);
        weight[j] = rng_range(&r, 0.5, 1.5);
    }
    /* Country sizes spread over a factor of 20 with many small and few large countries,
     * as GDPs in a world table do.  Plain arithmetic (no libm) keeps the output
     * bit-identical across platforms. */
    for (size_t n = 0; n < N; n++) {
        double u = sm64_unif(&r);
        size[n] = 0.25 + 4.75 * u * u;
    }

    /* Spending of n on j is split between home (a large share: home bias, stronger for
     * services) and every foreign exporter in proportion to its size times noise. */
    for (size_t n = 0; n < N; n++) {
        for (size_t j = 0; j < J; j++) {
            double spend = 1000.0 * size[n] * weight[j] * rng_range(&r, 0.8, 1.2);
            double home = is_tradable(w, j) ? rng_range(&r, 0.55, 0.85)
                                            : rng_range(&r, 0.93, 0.98);
            double foreign_sum = 0.0;
            for (size_t i = 0; i < N; i++) {
                double v = (i == n) ? 0.0 : size[i] * rng_range(&r, 0.3, 1.7);
                w->trade[ix_nij(N, J, n, i, j)] = v;
                foreign_sum += v;
            }
            for (size_t i = 0; i < N; i++) {
                size_t c = ix_nij(N, J, n, i, j);
                if (i == n)
                    w->trade[c] = spend * (N > 1 ? home : 1.0);
                else
                    w->trade[c] = spend * (1.0 - home) * w->trade[c] / foreign_sum;
            }
        }
    }

    for (size_t n = 0; n < N; n++)
        for (size_t i = 0; i < N; i++)
            for (size_t j = 0; j < J; j++) {
                size_t c = ix_nij(N, J, n, i, j);
                w->tau[c] = (i != n && is_tradable(w, j)) ? rng_range(&r, 0.0, 0.20) : 0.0;
            }

    for (size_t n = 0; n < N; n++)
        for (size_t i = 0; i < N; i++)
            for (size_t j = 0; j < J; j++) {
                size_t c = ix_nij(N, J, n, i, j);
                X[n * J + j] += w->trade[c] * (1.0 + w->tau[c]);
                Y[i * J + j] += w->trade[c];
            }

    /* Input shares: a total intermediate share per output sector, split over inputs with
     * skewed weights and a bonus for the sector's own input (as in real tables). */
    for (size_t n = 0; n < N; n++) {
        for (size_t j = 0; j < J; j++) {
            double total = rng_range(&r, IO_TOTAL_MIN, IO_TOTAL_MAX);
            double wsum = 0.0;
            for (size_t k = 0; k < J; k++) {
                double u = sm64_unif(&r);
                double v = u * u * u + (k == j ? 1.0 : 0.0);
                w->io[ix_nkj(J, n, k, j)] = v;
                wsum += v;
            }
            for (size_t k = 0; k < J; k++)
                w->io[ix_nkj(J, n, k, j)] *= total / wsum;
        }
    }

    /* Keep derived final demand positive: where n's industries would use more of input
     * k than INPUT_CAP of n's spending on k, scale all of k's cost shares in n down.
     * Scaling only lowers input shares, so the 0.7 bound per output still holds, and
     * gross output Y does not depend on io, so one pass suffices. */
    for (size_t n = 0; n < N; n++) {
        for (size_t k = 0; k < J; k++) {
            double use = 0.0;
            for (size_t j = 0; j < J; j++)
                use += w->io[ix_nkj(J, n, k, j)] * Y[n * J + j];
            double cap = INPUT_CAP * X[n * J + k];
            if (use > cap) {
                double s = cap / use;
                for (size_t j = 0; j < J; j++)
                    w->io[ix_nkj(J, n, k, j)] *= s;
            }
        }
    }
    rc = 0;
out:
    free(size);
    free(weight);
    free(X);
    free(Y);
    return rc;
}

typedef int (*emit_fn)(FILE *f, const world *w);

static int emit_countries(FILE *f, const world *w)
{
    fprintf(f, "code,name\n");
    for (size_t n = 0; n < w->N; n++)
        fprintf(f, "C%02zu,\"Country %02zu, synthetic\"\n", n + 1, n + 1);
    return 0;
}

static int emit_sectors(FILE *f, const world *w)
{
    fprintf(f, "code,name,theta,tradable\n");
    for (size_t j = 0; j < w->J; j++)
        fprintf(f, "S%02zu,\"%s %02zu, synthetic\",%.17g,%d\n", j + 1,
                is_tradable(w, j) ? "Goods" : "Services", j + 1, w->theta[j],
                is_tradable(w, j));
    return 0;
}

/* The table importer,exporter,sector,<column> of v[n][i][j]; when goods_only,
 * the cells between different countries in tradable sectors only. */
static int emit_cells(FILE *f, const world *w, const char *column, const double *v, int goods_only)
{
    fprintf(f, "importer,exporter,sector,%s\n", column);
    for (size_t n = 0; n < w->N; n++)
        for (size_t i = 0; i < w->N; i++)
            for (size_t j = 0; j < w->J; j++)
                if (!goods_only || (i != n && is_tradable(w, j)))
                    fprintf(f, "C%02zu,C%02zu,S%02zu,%.17g\n", n + 1, i + 1, j + 1,
                            v[ix_nij(w->N, w->J, n, i, j)]);
    return 0;
}

static int emit_trade(FILE *f, const world *w) { return emit_cells(f, w, "value", w->trade, 0); }

static int emit_tariffs(FILE *f, const world *w) { return emit_cells(f, w, "rate", w->tau, 1); }

static int emit_io(FILE *f, const world *w)
{
    fprintf(f, "country,input,output,share\n");
    for (size_t n = 0; n < w->N; n++)
        for (size_t j = 0; j < w->J; j++)
            for (size_t k = 0; k < w->J; k++)
                fprintf(f, "C%02zu,S%02zu,S%02zu,%.17g\n", n + 1, k + 1, j + 1,
                        w->io[ix_nkj(w->J, n, k, j)]);
    return 0;
}

static int emit_meta(FILE *f, const world *w)
{
    fprintf(f, "key,value\nyear,synthetic\nunits,model units\n");
    fprintf(f, "source,bench/gen_world seed %llu\n", (unsigned long long)w->seed);
    return 0;
}

static int emit_readme(FILE *f, const world *w)
{
    fprintf(f,
            "# Synthetic world (%zu countries x %zu sectors, seed %llu)\n\n"
            "Written by `bench/gen_world --countries %zu --sectors %zu --seed %llu`.\n"
            "Random, internally consistent data for benchmarks: it describes no real\n"
            "economy and has no year. Units are model units. Sectors S%02zu-S%02zu are\n"
            "goods (tariffs 0-20 %%), the rest services (tradable 0). Value-added and\n"
            "final-demand shares are derived, so the baseline is an exact equilibrium.\n",
            w->N, w->J, (unsigned long long)w->seed, w->N, w->J,
            (unsigned long long)w->seed, (size_t)1, w->J - w->n_services);
    return 0;
}

static int report(const tw_error *err)
{
    char buf[700];
    tw_error_format(err, buf, sizeof buf);
    fprintf(stderr, "gen_world: %s\n", buf);
    return -1;
}

/* Write dir/name as an output (tradewar/outfile.h: a temporary name and a rename), so a
 * reader never sees a partial file.  Returns 0, or -1 after printing the reason. */
static int write_file(const char *dir, const char *name, emit_fn emit, const world *w)
{
    char dst[4096];
    int len_dst = snprintf(dst, sizeof dst, "%s/%s", dir, name);
    if (len_dst < 0 || (size_t)len_dst >= sizeof dst) {
        fprintf(stderr, "gen_world: %s: path too long\n", dir);
        return -1;
    }
    tw_outfile o;
    tw_error err;
    if (tw_outfile_open(&o, dst, &err) != TW_OK)
        return report(&err);
    if (emit(o.f, w) != 0) {
        tw_outfile_discard(&o);
        fprintf(stderr, "gen_world: %s: write failed\n", dst);
        return -1;
    }
    return tw_outfile_commit(&o, &err) == TW_OK ? 0 : report(&err);
}

/* The folder and any missing parents. */
static int make_dir(const char *dir)
{
    tw_error err;
    return tw_outfile_mkdirs(dir, &err) == TW_OK ? 0 : report(&err);
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: gen_world [--countries N] [--sectors J] [--seed S] --out DIR\n"
            "Write a synthetic world directory (docs/data-format.md) to DIR.\n"
            "  --countries N  number of countries, 1..%d (default 45)\n"
            "  --sectors J    number of sectors, 1..%d (default 56)\n"
            "  --seed S       random seed, unsigned integer (default 1)\n"
            "  --out DIR      output directory, created if missing\n",
            MAX_DIM, MAX_DIM);
}

/* Parse an unsigned decimal integer in [lo, hi]; returns 0 or -1. */
static int parse_uint(const char *s, unsigned long long lo, unsigned long long hi,
                      unsigned long long *out)
{
    char *end;
    if (!s || *s < '0' || *s > '9')
        return -1;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

int main(int argc, char **argv)
{
    unsigned long long n_countries = 45, n_sectors = 56, seed = 1;
    const char *out = NULL;

    for (int a = 1; a < argc; a += 2) { /* every option but --help takes a value */
        const char *opt = argv[a];
        const char *val = a + 1 < argc ? argv[a + 1] : NULL;
        const char *expect = "";
        int bad = 0;
        if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(opt, "--countries") == 0) {
            bad = parse_uint(val, 1, MAX_DIM, &n_countries);
            expect = "an integer in 1.." MAX_DIM_STR;
        } else if (strcmp(opt, "--sectors") == 0) {
            bad = parse_uint(val, 1, MAX_DIM, &n_sectors);
            expect = "an integer in 1.." MAX_DIM_STR;
        } else if (strcmp(opt, "--seed") == 0) {
            bad = parse_uint(val, 0, UINT64_MAX, &seed);
            expect = "an unsigned 64-bit integer";
        } else if (strcmp(opt, "--out") == 0) {
            bad = (!val || !*val) ? -1 : 0;
            expect = "a directory name";
            out = val;
        } else {
            fprintf(stderr, "gen_world: unknown option \"%s\"\n", opt);
            usage(stderr);
            return 2;
        }
        if (bad) {
            if (val)
                fprintf(stderr, "gen_world: %s: value \"%s\" is not valid (expected %s)\n",
                        opt, val, expect);
            else
                fprintf(stderr, "gen_world: %s: missing value (expected %s)\n", opt, expect);
            usage(stderr);
            return 2;
        }
    }
    if (!out) {
        fprintf(stderr, "gen_world: --out DIR is required\n");
        usage(stderr);
        return 2;
    }

    world w = {0};
    w.N = (size_t)n_countries;
    w.J = (size_t)n_sectors;
    w.n_services = (w.J + 2) / 4; /* about a quarter, rounded; at least one good */
    if (w.n_services >= w.J)
        w.n_services = w.J - 1;
    w.seed = (uint64_t)seed;

    if (world_build(&w) != 0) {
        fprintf(stderr, "gen_world: out of memory\n");
        world_free(&w);
        return 3;
    }
    static const struct {
        const char *name;
        emit_fn emit;
    } files[] = {
        {"countries.csv", emit_countries}, {"sectors.csv", emit_sectors},
        {"trade.csv", emit_trade},         {"tariffs.csv", emit_tariffs},
        {"io.csv", emit_io},               {"meta.csv", emit_meta},
        {"README.md", emit_readme},
    };
    int rc = make_dir(out) == 0 ? 0 : 3;
    for (size_t f = 0; rc == 0 && f < sizeof files / sizeof files[0]; f++)
        if (write_file(out, files[f].name, files[f].emit, &w) != 0)
            rc = 3;
    world_free(&w);
    return rc;
}

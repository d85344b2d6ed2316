/* fuzz_world.c - the CSV world loader (tw_world_load) on arbitrary files.
 *
 * An input is the files of a world directory joined by the byte 0x1E (ASCII
 * record separator) in a fixed order: countries, sectors, trade, tariffs, io,
 * value_added, final_demand, meta (docs/data-format.md).  An empty or
 * missing section leaves its file out, so the optional files are exercised
 * both present and absent.  Properties: a failed load names what went wrong
 * with a status the command line maps to an exit code; a loaded world is
 * consistent (codes found by their own index, finite baseline levels); on a
 * small world a solve either converges or fails cleanly, and the zero shock
 * leaves welfare at 1 when the shares are derived (value_added.csv and
 * final_demand.csv absent: the baseline is then an exact equilibrium; given
 * shares need only agree with the flows within a tolerance). */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tradewar/policy.h"
#include "tradewar/solve.h"
#include "tradewar/world.h"
#include "fuzz.h"

static const char *const files[] = {"countries.csv", "sectors.csv", "trade.csv",
                                    "tariffs.csv", "io.csv", "value_added.csv",
                                    "final_demand.csv", "meta.csv"};
#define N_FILES (sizeof files / sizeof files[0])

static void check_world(const tw_world *w)
{
    size_t N = tw_world_n_countries(w), J = tw_world_n_sectors(w);
    fz_check(N >= 1 && J >= 1, "a loaded world has countries and sectors", NULL);
    for (size_t n = 0; n < N; n++) {
        const char *c = tw_world_country_code(w, n);
        fz_check(c && c[0] && tw_world_country_index(w, c) == (long)n,
                 "a country code finds its own index", NULL);
        fz_check(isfinite(tw_world_value_added(w, n)) && isfinite(tw_world_income(w, n)) &&
                     isfinite(tw_world_deficit(w, n)) && isfinite(tw_world_exports(w, n)) &&
                     isfinite(tw_world_imports(w, n)) && isfinite(tw_world_tariff_revenue(w, n)),
                 "baseline levels are finite", NULL);
    }
    for (size_t j = 0; j < J; j++) {
        const char *c = tw_world_sector_code(w, j);
        fz_check(c && c[0] && tw_world_sector_index(w, c) == (long)j,
                 "a sector code finds its own index", NULL);
        fz_check(tw_world_sector_theta(w, j) > 0 && isfinite(tw_world_sector_theta(w, j)),
                 "theta is finite and positive", NULL);
    }
    for (size_t k = 0; k < tw_world_n_warnings(w); k++)
        fz_check(tw_world_warning(w, k) != NULL, "warnings are readable", NULL);
}

/* Small worlds only: the solver is dense in N and the fuzzer wants speed. */
static void solve_small(const tw_world *w, int derived)
{
    size_t N = tw_world_n_countries(w), J = tw_world_n_sectors(w);
    if (N * J > 24) return;
    tw_error err;
    tw_solver *sv = tw_solver_create(w, &err);
    if (!sv) {
        fz_check_error(&err, "tw_solver_create");
        return;
    }
    tw_solver_set_max_iter(sv, 50);
    tw_result *r = tw_solver_run(sv, NULL, &err);
    if (r) {
        for (size_t n = 0; n < N && derived; n++)
            fz_check(fabs(tw_result_welfare_hat(r, n) - 1) < 1e-6,
                     "the zero shock leaves welfare at 1", NULL);
        tw_result_free(r);
    } else {
        fz_check_error(&err, "tw_solver_run (zero shock)");
    }
    tw_shock *s = tw_shock_create(w, &err);
    if (s) {
        const double *tau = tw_world_tariffs(w);
        for (size_t n = 0; n < N; n++)
            for (size_t i = 0; i < N; i++)
                for (size_t j = 0; j < J; j++)
                    if (n != i && tw_world_sector_tradable(w, j))
                        tw_shock_set_tariff(s, n, i, j, tau[(n * N + i) * J + j] + 0.25, NULL);
        r = tw_solver_run(sv, s, &err);
        if (r) {
            for (size_t n = 0; n < N; n++)
                fz_check(isfinite(tw_result_welfare_hat(r, n)) && tw_result_welfare_hat(r, n) > 0,
                         "a converged welfare change is finite and positive", NULL);
            tw_result_free(r);
        } else {
            fz_check_error(&err, "tw_solver_run (tariff shock)");
        }
        tw_shock_free(s);
    } else {
        fz_check_error(&err, "tw_shock_create");
    }
    tw_solver_free(sv);
}

int tw_fuzz_world(const uint8_t *data, size_t size)
{
    char path[512];
    const uint8_t *p = data, *end = data + size;
    int derived = 1; /* no value_added.csv, no final_demand.csv */
    for (size_t k = 0; k < N_FILES; k++) {
        const uint8_t *sep = p < end ? memchr(p, 0x1E, (size_t)(end - p)) : NULL;
        const uint8_t *stop = sep ? sep : end;
        if (fz_path(path, sizeof path, files[k]) != 0) return 0;
        unlink(path);
        if (p < stop && fz_write(path, p, (size_t)(stop - p)) != 0) return 0;
        if (p < stop && (k == 5 || k == 6)) derived = 0;
        p = sep ? sep + 1 : end;
    }
    tw_error err;
    tw_world *w = tw_world_load(fz_dir(), &err);
    if (!w) {
        fz_check_error(&err, "tw_world_load");
        fz_check(err.code == TW_EINPUT || err.code == TW_EIO || err.code == TW_ENOMEM,
                 "a failed load is bad input, I/O or memory", &err);
        return 0;
    }
    check_world(w);
    solve_small(w, derived);
    tw_world_free(w);
    return 0;
}

#ifndef TW_FUZZ_NO_MAIN
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) { return tw_fuzz_world(data, size); }
#endif

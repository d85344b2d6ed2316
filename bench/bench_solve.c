/* bench_solve.c - time counterfactual solves: median wall time over repeated
 * runs, for a fresh solver (cold: includes the zero-shock Jacobian, and with
 * purge the zero-deficit baseline) and for a solver reused across solves
 * (warm: both are cached), per method.  evaluations are those of the cold
 * solve, the purge's apart (+ N purge).
 *
 * usage: bench_solve WORLD_DIR CF.csv keep|purge REPS [newton|tatonnement ...] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "tradewar/policy.h"
#include "tradewar/report.h"
#include "tradewar/solve.h"
#include "tradewar/world.h"

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

int main(int argc, char **argv)
{
    cli_heap_setup(); /* as the tradewar command does */
    if (argc < 5) {
        fprintf(stderr, "usage: bench_solve WORLD CF.csv keep|purge REPS [METHOD...]\n");
        return 2;
    }
    tw_error e;
    tw_world *w = tw_world_load(argv[1], &e);
    if (!w) {
        fprintf(stderr, "bench_solve: %s\n", e.msg);
        return 2;
    }
    tw_shock *s = tw_shock_create(w, &e);
    if (!s || tw_shock_load_tariffs(s, argv[2], &e)) {
        fprintf(stderr, "bench_solve: %s: %s\n", argv[2], e.msg);
        return 2;
    }
    tw_deficits d;
    if (tw_deficits_parse(argv[3], &d)) return 2;
    int reps = atoi(argv[4]);
    if (reps < 1 || reps > 1000) reps = 5;
    const char *def_methods[] = {"newton"};
    const char **methods = argc > 5 ? (const char **)argv + 5 : def_methods;
    int nm = argc > 5 ? argc - 5 : 1;
    printf("world %s: %zu countries x %zu sectors; shock %s; deficits %s; %d runs\n", argv[1],
           tw_world_n_countries(w), tw_world_n_sectors(w), argv[2], argv[3], reps);
    int rc = 0;
    for (int q = 0; q < nm; q++) {
        tw_method m;
        if (tw_method_parse(methods[q], &m)) return 2;
        double *cold = calloc((size_t)reps, sizeof(double));
        double *warm = calloc((size_t)reps, sizeof(double));
        size_t it = 0, ev = 0, evp = 0;
        double res = 0;
        tw_solver *keep = tw_solver_create(w, &e);
        tw_solver_set_method(keep, m);
        tw_solver_set_deficits(keep, d);
        for (int k = 0; k < reps && rc == 0; k++) {
            double t0 = tw_clock_seconds();
            tw_solver *sv = tw_solver_create(w, &e);
            tw_solver_set_method(sv, m);
            tw_solver_set_deficits(sv, d);
            tw_result *r = tw_solver_run(sv, s, &e);
            cold[k] = tw_clock_seconds() - t0;
            if (!r) {
                fprintf(stderr, "bench_solve: %s: %s\n", methods[q], e.msg);
                rc = 1;
            } else {
                it = tw_result_iterations(r);
                ev = tw_result_evaluations(r);
                evp = tw_result_evaluations_purge(r);
                res = tw_result_residual(r);
            }
            tw_result_free(r);
            tw_solver_free(sv);
            if (k == 0) tw_result_free(tw_solver_run(keep, s, &e)); /* fill the caches */
            t0 = tw_clock_seconds();
            r = tw_solver_run(keep, s, &e);
            warm[k] = tw_clock_seconds() - t0;
            tw_result_free(r);
        }
        if (rc == 0)
            printf("  %-12s cold %9.1f ms   warm %9.1f ms   iterations %4zu   evaluations %5zu"
                   " (+%zu purge)   residual %.1e\n",
                   methods[q], 1e3 * median(cold, reps), 1e3 * median(warm, reps), it, ev, evp,
                   res);
        tw_solver_free(keep);
        free(cold);
        free(warm);
    }
    tw_shock_free(s);
    tw_world_free(w);
    return rc;
}

/* test_stress.c - random scenarios against the promise that every result is
 * converged to the stated tolerance or reported as not converged.
 *
 * Cases (seeded per case, so any one can be replayed alone with
 * TW_STRESS_SEED and TW_STRESS_FIRST / TW_STRESS_CASES): world2011 or
 * world2011-full; deficits kept or purged; elasticities as given, all 0.5,
 * all 20, or random in [0.5, 20]; random tariffs 0-500 % per cell,
 * prohibitive 1,000 % on random pairs, the 145 %/125 % pair, NTB factors
 * 0.5-10, and a whole exporter row priced out (factor 1e4).  A converged case
 * must have a recomputed residual <= tol and finite outputs; a failed one must
 * say TW_ENOCONV.  Anything else is a silent failure.  make test runs 300
 * cases, make stress 10,000 (TW_STRESS_CASES). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tradewar/policy.h"
#include "tradewar/report.h"
#include "tradewar/solve.h"
#include "tradewar/world.h"
#include "../common/fixtures.h"
#include "../common/splitmix64.h"

#define DATA TW_SOURCE_DIR "/data"

static size_t pick(sm64 *r, size_t n) { return (size_t)(sm64_unif(r) * (double)n) % n; }

static long env_long(const char *name, long dflt)
{
    const char *v = getenv(name);
    return v && *v ? atol(v) : dflt;
}

typedef struct stats {
    long cases, converged, reported, silent;
    double worst;
} stats;

static const char *const kinds[] = {"random tariffs 0-500 %", "prohibitive 1,000 % pairs", "145 %/125 % pair",
                                    "NTB factors 0.5-10", "exporter row priced out", "mixed"};

static void one_case(const tw_world *base_w, uint64_t seed, long k, stats *st, char *desc, size_t dsz)
{
    sm64 r = {seed ^ (0xA5A5A5A5ULL + (uint64_t)k * 0x100000001B3ULL)};
    sm64_next(&r);
    size_t N = tw_world_n_countries(base_w), J = tw_world_n_sectors(base_w);
    tw_error e;
    /* elasticities */
    int tv = (int)pick(&r, 5); /* 0,1: as given; 2: 0.5; 3: 20; 4: random */
    tw_world *w = NULL;
    if (tv >= 2) {
        double *th = malloc(J * sizeof *th);
        for (size_t j = 0; j < J; j++) th[j] = tv == 2 ? 0.5 : tv == 3 ? 20.0 : 0.5 + 19.5 * sm64_unif(&r);
        w = tw_world_with_theta(base_w, th, &e);
        free(th);
        assert_non_null(w);
    }
    const tw_world *ww = w ? w : base_w;
    int purge = sm64_unif(&r) < 0.5;
    int kind = (int)pick(&r, 6);
    tw_shock *s = tw_shock_create(ww, &e);
    assert_non_null(s);
    const char *tn[] = {"as given", "as given", "all 0.5", "all 20", "random 0.5-20"};
    snprintf(desc, dsz, "case %ld: %s, theta %s, deficits %s, %s", k, tw_world_dir(ww), tn[tv],
             purge ? "purge" : "keep", kinds[kind]);
    long us = tw_world_country_index(ww, "USA"), cn = tw_world_country_index(ww, "CHN");
    for (int part = 0; part < (kind == 5 ? 3 : 1); part++) {
        int kd = kind == 5 ? (int)pick(&r, 5) : kind;
        if (kd == 0) {
            for (size_t c = 0; c < N * N * J / 10; c++) {
                size_t n = pick(&r, N), i = pick(&r, N), j = pick(&r, J);
                if (n == i || !tw_world_sector_tradable(ww, j)) continue;
                assert_int_equal(tw_shock_set_tariff(s, n, i, j, 5.0 * sm64_unif(&r), &e), TW_OK);
            }
        } else if (kd == 1) {
            for (int p = 0; p < 3; p++) {
                size_t n = pick(&r, N), i = pick(&r, N);
                for (size_t j = 0; j < J && n != i; j++)
                    if (tw_world_sector_tradable(ww, j)) assert_int_equal(tw_shock_set_tariff(s, n, i, j, 10.0, &e), TW_OK);
            }
        } else if (kd == 2) {
            for (size_t j = 0; j < J; j++)
                if (tw_world_sector_tradable(ww, j)) {
                    assert_int_equal(tw_shock_set_tariff(s, (size_t)us, (size_t)cn, j, 1.45, &e), TW_OK);
                    assert_int_equal(tw_shock_set_tariff(s, (size_t)cn, (size_t)us, j, 1.25, &e), TW_OK);
                }
        } else if (kd == 3) {
            for (size_t c = 0; c < N * N * J / 10; c++) {
                size_t n = pick(&r, N), i = pick(&r, N), j = pick(&r, J);
                if (n == i) continue;
                assert_int_equal(tw_shock_scale_ntb(s, n, i, j, 0.5 + 9.5 * sm64_unif(&r), &e), TW_OK);
            }
        } else {
            size_t i = pick(&r, N);
            for (size_t n = 0; n < N; n++)
                for (size_t j = 0; j < J && n != i; j++) assert_int_equal(tw_shock_scale_ntb(s, n, i, j, 1e4, &e), TW_OK);
        }
    }
    tw_solver *sv = tw_solver_create(ww, &e);
    assert_non_null(sv);
    tw_solver_set_deficits(sv, purge ? TW_DEFICITS_PURGE : TW_DEFICITS_KEEP);
    tw_result *res = tw_solver_run(sv, s, &e);
    st->cases++;
    if (res) {
        double chk = tw_result_check(res);
        int finite = isfinite(chk);
        for (size_t n = 0; n < N && finite; n++)
            finite = isfinite(tw_result_welfare_hat(res, n)) && isfinite(tw_result_tot(res, n)) &&
                     isfinite(tw_result_vot(res, n)) && isfinite(tw_result_tariff_revenue(res, n, 1));
        if (!(chk <= 1e-10) || !finite) {
            st->silent++;
            print_error("SILENT FAILURE (replay: TW_STRESS_SEED=%llu TW_STRESS_FIRST=%ld TW_STRESS_CASES=1): %s; "
                        "residual %.3e, finite %d\n", (unsigned long long)seed, k, desc, chk, finite);
        } else {
            st->converged++;
            if (chk > st->worst) st->worst = chk;
        }
        tw_result_free(res);
    } else if (e.code == TW_ENOCONV && e.msg[0]) {
        st->reported++;
        print_message("reported non-convergence: %s: %s\n", desc, e.msg);
    } else {
        st->silent++;
        print_error("SILENT FAILURE (replay: TW_STRESS_SEED=%llu TW_STRESS_FIRST=%ld TW_STRESS_CASES=1): %s; "
                    "code %d: %s\n", (unsigned long long)seed, k, desc, (int)e.code, e.msg);
    }
    tw_solver_free(sv);
    tw_shock_free(s);
    tw_world_free(w);
}

static void test_random_scenarios_converge_or_say_they_did_not(void **state)
{
    (void)state;
    uint64_t seed = (uint64_t)env_long("TW_STRESS_SEED", 20250410);
    long first = env_long("TW_STRESS_FIRST", 0), cases = env_long("TW_STRESS_CASES", 300);
    tw_world *w = fx_load(DATA "/world2011"), *wf = fx_load(DATA "/world2011-full");
    stats st = {0};
    char desc[256];
    double t0 = tw_clock_seconds();
    for (long k = first; k < first + cases; k++) {
        /* one case in ten on the full world */
        const tw_world *ww = (k % 10 == 9) ? wf : w;
        one_case(ww, seed, k, &st, desc, sizeof desc);
    }
    double dt = tw_clock_seconds() - t0;
    print_message("stress: %ld cases (seed %llu), %ld converged, %ld reported failures, %ld silent failures, "
                  "worst residual %.2e, %.1f s\n", st.cases, (unsigned long long)seed, st.converged, st.reported,
                  st.silent, st.worst, dt);
    tw_world_free(w);
    tw_world_free(wf);
    assert_int_equal(st.silent, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_scenarios_converge_or_say_they_did_not),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

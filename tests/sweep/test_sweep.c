/* test_sweep.c - sweeps: elasticity draws, bands, grids and the work split
 * (src/sweep/, src/world/theta.c).
 *
 * The contract pinned here is docs/sweep.md, "How the work is split, and why
 * results cannot depend on it": results must not depend on how the work is split, so splits are compared bit for
 * bit (memcmp), not to a tolerance. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tradewar/policy.h"
#include "tradewar/solve.h"
#include "tradewar/sweep.h"
#include "tradewar/world.h"
#include "core/index.h"

#define W2011 TW_SOURCE_DIR "/data/world2011"
#define CF TW_SOURCE_DIR "/data/scenarios/us_china_30.csv"

static tw_world *world;

static int setup(void **state)
{
    tw_error e;
    world = tw_world_load(W2011, &e);
    return world ? 0 : -1;
}

static int teardown(void **state)
{
    tw_world_free(world);
    return 0;
}

static tw_shock *cf_shock(const tw_world *w)
{
    tw_error e;
    tw_shock *s = tw_shock_create(w, &e);
    assert_non_null(s);
    assert_int_equal(tw_shock_load_tariffs(s, CF, &e), TW_OK);
    return s;
}

/* A sweep over the us_china_30 counterfactual. */
static tw_sweep *cf_sweep(void)
{
    tw_error e;
    tw_shock *sh = cf_shock(world);
    tw_sweep *s = tw_sweep_create(world, tw_shock_tariffs(sh), tw_shock_dhat(sh), &e);
    tw_shock_free(sh);
    assert_non_null(s);
    return s;
}

static void run(tw_sweep *s, size_t threads)
{
    tw_error e;
    if (tw_sweep_run(s, 0, 1, threads, NULL, NULL, &e) != TW_OK) fail_msg("%s", e.msg);
    assert_true(tw_sweep_complete(s));
}

/* What writer puts out for s (caller frees). */
static char *written(const tw_sweep *s, int (*writer)(FILE *, const tw_sweep *))
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(writer(f, s), 0);
    fclose(f);
    return buf;
}

/* Every unit's block of s, concatenated (caller frees). */
static double *all_blocks(tw_sweep *s, size_t *total)
{
    size_t nu = tw_sweep_n_units(s), len, at = 0;
    *total = 0;
    for (size_t k = 0; k < nu; k++) {
        tw_sweep_unit_block(s, k, &len);
        *total += len;
    }
    double *all = malloc(*total * sizeof *all);
    for (size_t k = 0; k < nu; k++) {
        const double *b = tw_sweep_unit_block(s, k, &len);
        memcpy(all + at, b, len * sizeof *all);
        at += len;
    }
    return all;
}

static void test_theta_draw_depends_only_on_seed_and_draw_index(void **state)
{
    size_t J = tw_world_n_sectors(world);
    double a[64], b[64], c[64], z[64];
    tw_theta_draw(world, 42, 0.25, 7, a);
    tw_theta_draw(world, 42, 0.25, 3, c); /* another draw in between */
    tw_theta_draw(world, 42, 0.25, 7, b);
    assert_memory_equal(a, b, J * sizeof(double));
    assert_memory_not_equal(a, c, J * sizeof(double));
    tw_theta_draw(world, 43, 0.25, 7, c);
    assert_memory_not_equal(a, c, J * sizeof(double));
    for (size_t j = 0; j < J; j++) {
        assert_true(a[j] > 0 && isfinite(a[j]));
        /* log-normal around the world's theta: within 6 sigma */
        assert_true(fabs(log(a[j] / tw_world_sector_theta(world, j))) < 6 * 0.25);
    }
    tw_theta_draw(world, 42, 0.0, 7, z);
    for (size_t j = 0; j < J; j++) assert_true(z[j] == tw_world_sector_theta(world, j));
}

static void test_theta_draws_have_the_stated_spread(void **state)
{
    /* z = log(theta_d / theta) / sigma over 4000 draws x 20 sectors: mean 0,
     * variance 1 within sampling error */
    size_t J = tw_world_n_sectors(world), n = 0;
    double th[64], s1 = 0, s2 = 0;
    for (size_t d = 0; d < 4000; d++) {
        tw_theta_draw(world, 1, 0.25, d, th);
        for (size_t j = 0; j < J; j++) {
            double z = log(th[j] / tw_world_sector_theta(world, j)) / 0.25;
            s1 += z;
            s2 += z * z;
            n++;
        }
    }
    double mean = s1 / (double)n, var = s2 / (double)n - mean * mean;
    assert_true(fabs(mean) < 0.03);
    assert_true(fabs(var - 1) < 0.04);
}

static void test_world_with_theta_changes_theta_only(void **state)
{
    tw_error e;
    size_t J = tw_world_n_sectors(world), N = tw_world_n_countries(world);
    double th[64];
    for (size_t j = 0; j < J; j++) th[j] = tw_world_sector_theta(world, j);
    tw_world *c = tw_world_with_theta(world, th, &e);
    assert_non_null(c);
    assert_memory_equal(tw_world_trade(c), tw_world_trade(world), N * N * J * sizeof(double));
    assert_string_equal(tw_world_country_code(c, 1), tw_world_country_code(world, 1));
    assert_string_equal(tw_world_meta(c, "units"), tw_world_meta(world, "units"));
    /* the same theta gives the same equilibrium, bit for bit */
    tw_shock *s0 = cf_shock(world), *s1 = cf_shock(c);
    tw_solver *v0 = tw_solver_create(world, &e), *v1 = tw_solver_create(c, &e);
    tw_result *r0 = tw_solver_run(v0, s0, &e), *r1 = tw_solver_run(v1, s1, &e);
    assert_non_null(r0);
    assert_non_null(r1);
    assert_memory_equal(tw_result_w_hat(r0), tw_result_w_hat(r1), N * sizeof(double));
    tw_result_free(r0); tw_result_free(r1);
    tw_solver_free(v0); tw_solver_free(v1);
    tw_shock_free(s0); tw_shock_free(s1);
    tw_world_free(c);

    th[2] = 5.0;
    c = tw_world_with_theta(world, th, &e);
    assert_true(tw_world_sector_theta(c, 2) == 5.0);
    assert_true(tw_world_sector_theta(world, 2) != 5.0);
    tw_world_free(c);
    th[3] = -1;
    assert_null(tw_world_with_theta(world, th, &e));
    assert_int_equal(e.code, TW_EINPUT);
    assert_string_equal(e.msg, "theta -1 for sector TEX is not a finite number > 0");
}

static void test_zero_variance_band_collapses_to_the_point_estimate(void **state)
{
    tw_error e;
    tw_sweep *s = cf_sweep();
    assert_int_equal(tw_sweep_set_draws(s, 5, 9, 0.0, &e), TW_OK);
    run(s, 2);
    assert_int_equal(tw_sweep_n_failed(s), 0);
    for (size_t n = 0; n < tw_world_n_countries(world); n++)
        for (size_t k = 0; k < TW_SWEEP_N_STATS; k++) {
            tw_band b;
            assert_int_equal(tw_sweep_band(s, 0, n, k, &b), TW_OK);
            assert_int_equal(b.n, 5);
            assert_int_equal(b.failed, 0);
            assert_true(isfinite(b.point));
            assert_memory_equal(&b.median, &b.point, sizeof(double));
            assert_memory_equal(&b.p5, &b.point, sizeof(double));
            assert_memory_equal(&b.p95, &b.point, sizeof(double));
        }
    tw_sweep_free(s);
}

/* The measures sit at the end; consumer_cost is absent in a world
 * without household consumption (tiny3x2, model units): its band uses no
 * draw, and the writers leave it empty ("-" in the table), never 0. */
static void test_absent_statistics_stay_absent_in_bands_and_outputs(void **state)
{
    (void)state;
    tw_error e;
    assert_string_equal(tw_sweep_stat_name(7), "tariff_revenue_gdp_pct");
    assert_string_equal(tw_sweep_stat_name(10), "real_gdp_pct");
    assert_string_equal(tw_sweep_stat_name(11), "ev");
    assert_string_equal(tw_sweep_stat_name(12), "consumer_cost");
    long cc = tw_sweep_stat_index("consumer_cost"), gdp = tw_sweep_stat_index("real_gdp_pct");
    long ev = tw_sweep_stat_index("ev");
    tw_world *w = tw_world_load(TW_SOURCE_DIR "/tests/data/good/tiny3x2", &e);
    assert_non_null(w);
    size_t N = tw_world_n_countries(w), J = tw_world_n_sectors(w);
    double *tau = calloc(N * N * J, sizeof *tau), *dhat = malloc(N * N * J * sizeof *dhat);
    for (size_t k = 0; k < N * N * J; k++) dhat[k] = 1;
    tau[tw_ix_nij(N, J, 0, 1, 0)] = 0.4;
    tw_sweep *s = tw_sweep_create(w, tau, dhat, &e);
    assert_non_null(s);
    assert_int_equal(tw_sweep_set_draws(s, 3, 5, 0.2, &e), TW_OK);
    run(s, 1);
    for (size_t n = 0; n < N; n++) {
        tw_band b;
        assert_int_equal(tw_sweep_band(s, 0, n, (size_t)cc, &b), TW_OK);
        assert_int_equal(b.n, 0);
        assert_int_equal(b.failed, 0);
        assert_true(isnan(b.point) && isnan(b.median) && isnan(b.p5) && isnan(b.p95));
        /* tiny3x2 is in model units: no money figure either */
        assert_int_equal(tw_sweep_band(s, 0, n, (size_t)ev, &b), TW_OK);
        assert_int_equal(b.n, 0);
        assert_true(isnan(b.point) && isnan(b.median));
        assert_int_equal(tw_sweep_band(s, 0, n, (size_t)gdp, &b), TW_OK);
        assert_int_equal(b.n, 3);
        assert_true(isfinite(b.point) && isfinite(b.median));
    }
    char *buf = written(s, tw_sweep_write_summary_csv);
    assert_non_null(strstr(buf, "\n0,USA,consumer_cost,,,,,0,0\n"));
    free(buf);
    buf = written(s, tw_sweep_write_summary);
    const char *row = strstr(buf, "consumer_cost");
    assert_non_null(row);
    assert_memory_equal(row, "consumer_cost                   -          -          -          -      0"
                             "      0\n", 73);
    free(buf);
    tw_sweep_free(s);
    free(tau);
    free(dhat);
    tw_world_free(w);
}

static void test_band_quantiles_interpolate_between_draws(void **state)
{
    /* with 11 draws the 5 % quantile lies half-way between the two smallest
     * (type 7: h = 10 x 0.05 = 0.5) and the median is the 6th */
    tw_error e;
    tw_sweep *s = cf_sweep();
    assert_int_equal(tw_sweep_set_draws(s, 11, 3, 0.3, &e), TW_OK);
    run(s, 1);
    double x[11];
    for (size_t v = 1; v <= 11; v++) x[v - 1] = tw_sweep_stat(s, v, 0, 1, 0);
    for (size_t a = 0; a < 11; a++)
        for (size_t b = a + 1; b < 11; b++)
            if (x[b] < x[a]) { double t = x[a]; x[a] = x[b]; x[b] = t; }
    tw_band b;
    assert_int_equal(tw_sweep_band(s, 0, 1, 0, &b), TW_OK);
    assert_true(b.median == x[5]);
    assert_true(fabs(b.p5 - (x[0] + 0.5 * (x[1] - x[0]))) < 1e-15);
    assert_true(fabs(b.p95 - (x[9] + 0.5 * (x[10] - x[9]))) < 1e-15);
    assert_true(b.p5 <= b.median && b.median <= b.p95);
    tw_sweep_free(s);
}

/* The single solve of the counterfactual with USA->CHN and CHN->USA goods
 * tariffs set to a and b. */
static tw_result *single(double a, double b)
{
    tw_error e;
    size_t N = tw_world_n_countries(world), J = tw_world_n_sectors(world);
    size_t usa = (size_t)tw_world_country_index(world, "USA");
    size_t chn = (size_t)tw_world_country_index(world, "CHN");
    tw_shock *sh = cf_shock(world);
    for (size_t j = 0; j < J; j++)
        if (tw_world_sector_tradable(world, j)) {
            assert_int_equal(tw_shock_set_tariff(sh, usa, chn, j, a, &e), TW_OK);
            assert_int_equal(tw_shock_set_tariff(sh, chn, usa, j, b, &e), TW_OK);
        }
    tw_solver *v = tw_solver_create(world, &e);
    tw_result *r = tw_solver_run(v, sh, &e);
    assert_non_null(r);
    tw_solver_free(v);
    tw_shock_free(sh);
    (void)N;
    return r;
}

static void grid_equals_single_solves(int warm)
{
    tw_error e;
    tw_sweep *s = cf_sweep();
    tw_sweep_set_warm(s, warm);
    assert_int_equal(tw_sweep_add_axis(s, "USA,CHN,*:0.5:1:0.5", &e), TW_OK);
    assert_int_equal(tw_sweep_add_axis(s, "CHN,USA,*:0.25:0.5:0.25", &e), TW_OK);
    assert_int_equal(tw_sweep_n_points(s), 4);
    run(s, 1);
    const double a[2] = {0.5, 1.0}, b[2] = {0.25, 0.5};
    for (size_t p = 0; p < 4; p++) {
        assert_true(tw_sweep_axis_value(s, 0, p) == a[p / 2]);
        assert_true(tw_sweep_axis_value(s, 1, p) == b[p % 2]);
        tw_result *r = single(a[p / 2], b[p % 2]);
        for (size_t n = 0; n < tw_world_n_countries(world); n++) {
            double want = 100.0 * (tw_result_welfare_hat(r, n) - 1.0);
            double got = tw_sweep_stat(s, 0, p, n, 0);
            if (warm)
                assert_true(fabs(got - want) < 1e-6); /* 1e-8 on hats, in percent */
            else
                assert_memory_equal(&got, &want, sizeof got);
        }
        tw_result_free(r);
    }
    tw_sweep_free(s);
}

static void test_2x2_grid_equals_four_single_solves(void **state)
{
    grid_equals_single_solves(0); /* cold: bit for bit */
    grid_equals_single_solves(1); /* warm along rows: to the tolerance */
}

static void test_results_do_not_depend_on_the_split(void **state)
{
    /* draws x a grid whose rows are longer than one chain: one process and
     * one thread, three threads, and three "ranks" run separately (as MPI
     * would) then merged, give the same bits */
    tw_error e;
    tw_sweep *ref = NULL, *thr = NULL, *part[3], *merged = NULL;
    tw_sweep **all[5] = {&ref, &thr, &part[0], &part[1], &part[2]};
    for (size_t q = 0; q < 5; q++) {
        *all[q] = cf_sweep();
        assert_int_equal(tw_sweep_set_draws(*all[q], 2, 5, 0.25, &e), TW_OK);
        assert_int_equal(tw_sweep_add_axis(*all[q], "USA,CHN,*:0:0.4:0.2", &e), TW_OK);
        assert_int_equal(tw_sweep_add_axis(*all[q], "CHN,USA,ELEC:0:0.85:0.05", &e), TW_OK);
    }
    assert_int_equal(tw_sweep_n_points(ref), 3 * 18);
    assert_int_equal(tw_sweep_n_units(ref), 3 * 3 * 2); /* variants x rows x chains */
    run(ref, 1);
    run(thr, 3);
    for (size_t r = 0; r < 3; r++)
        assert_int_equal(tw_sweep_run(part[r], r, 3, 1, NULL, NULL, &e), TW_OK);
    merged = part[0];
    assert_false(tw_sweep_complete(merged));
    for (size_t k = 0; k < tw_sweep_n_units(merged); k++) {
        size_t len, len2;
        double *dst = tw_sweep_unit_block(merged, k, &len);
        const double *src = tw_sweep_unit_block(part[k % 3], k, &len2);
        assert_int_equal(len, len2);
        memcpy(dst, src, len * sizeof *dst);
        tw_sweep_unit_done(merged, k);
    }
    assert_true(tw_sweep_complete(merged));
    size_t n1, n2, n3;
    double *a = all_blocks(ref, &n1), *b = all_blocks(thr, &n2), *c = all_blocks(merged, &n3);
    assert_int_equal(n1, n2);
    assert_int_equal(n1, n3);
    assert_memory_equal(a, b, n1 * sizeof *a);
    assert_memory_equal(a, c, n1 * sizeof *a);
    /* and the files written from them */
    char *t1 = NULL, *t2 = NULL;
    size_t l1 = 0, l2 = 0;
    FILE *f1 = open_memstream(&t1, &l1), *f2 = open_memstream(&t2, &l2);
    assert_int_equal(tw_sweep_write_csv(f1, ref), 0);
    assert_int_equal(tw_sweep_write_csv(f2, merged), 0);
    fclose(f1);
    fclose(f2);
    assert_int_equal(l1, l2);
    assert_memory_equal(t1, t2, l1);
    free(t1); free(t2);
    free(a); free(b); free(c);
    for (size_t q = 0; q < 5; q++) tw_sweep_free(*all[q]);
}

static void test_failed_solves_are_counted_never_averaged(void **state)
{
    /* one iteration is not enough for any draw: every solve fails, each is
     * recorded with converged = 0, and no band is made from them */
    tw_error e;
    tw_sweep *s = cf_sweep();
    tw_sweep_set_max_iter(s, 1);
    assert_int_equal(tw_sweep_set_draws(s, 3, 1, 0.25, &e), TW_OK);
    run(s, 2);
    assert_int_equal(tw_sweep_n_failed(s), 4);
    assert_false(tw_sweep_converged(s, 2, 0));
    assert_true(isnan(tw_sweep_stat(s, 2, 0, 0, 0)));
    assert_true(tw_sweep_iterations(s, 2, 0) >= 1);
    tw_band b;
    assert_int_equal(tw_sweep_band(s, 0, 0, 0, &b), TW_OK);
    assert_int_equal(b.n, 0);
    assert_int_equal(b.failed, 3);
    assert_true(isnan(b.median));
    char *t = written(s, tw_sweep_write_csv);
    assert_non_null(strstr(t, "\nlognormal,2,0,USA,,,,,,,,,,,,,,0,1,"));
    free(t);
    tw_sweep_free(s);
}

static void test_axis_errors_name_the_axis(void **state)
{
    tw_error e;
    tw_sweep *s = cf_sweep();
    struct { const char *spec, *msg; } bad[] = {
        {"USA,CHX,*:0:1:0.5", "axis \"USA,CHX,*:0:1:0.5\": unknown country \"CHX\" (did you mean \"CHN\"?)"},
        {"USA,CHN,*:0:1", "axis \"USA,CHN,*:0:1\": expected IMPORTER,EXPORTER,SECTOR:FROM:TO:STEP"},
        {"USA,CHN:0:1:1", "axis \"USA,CHN:0:1:1\": expected IMPORTER,EXPORTER,SECTOR before the first ':'"},
        {"USA,CHN,BUS:0:1:1", "axis \"USA,CHN,BUS:0:1:1\": sector \"BUS\" is not tradable (tariffs do not apply to it; \"*\" covers the tradable sectors)"},
        {"USA,CHN,*:1:0:0.1", "axis \"USA,CHN,*:1:0:0.1\": expected 0 <= FROM <= TO (tariff levels, 0.25 = 25 %)"},
        {"USA,CHN,*:0:1:0", "axis \"USA,CHN,*:0:1:0\": STEP must be > 0"},
        {"USA,CHN,*:0:x:1", "axis \"USA,CHN,*:0:x:1\": TO \"x\" is not a number"},
        {"USA,USA,*:0:1:1", "axis \"USA,USA,*:0:1:1\": tariff on domestic cell USA->USA (expected importer != exporter)"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        assert_int_equal(tw_sweep_add_axis(s, bad[k].spec, &e), TW_EINPUT);
        assert_string_equal(e.msg, bad[k].msg);
        assert_string_equal(e.field, "--grid");
    }
    assert_int_equal(tw_sweep_n_axes(s), 0);
    assert_int_equal(tw_sweep_add_axis(s, "*,CHN,ELEC:0:1.5:0.05", &e), TW_OK);
    assert_int_equal(tw_sweep_n_points(s), 31);
    assert_true(tw_sweep_axis_value(s, 0, 3) == 0.15); /* no drift from adding steps */
    assert_true(tw_sweep_axis_value(s, 0, 30) == 1.5);
    assert_int_equal(tw_sweep_axis_importer(s, 0), -1);
    tw_sweep_free(s);
}

static void test_theta_sets_come_from_the_shipped_file(void **state)
{
    tw_error e;
    const char *file = W2011 "/elasticities.csv";
    tw_sweep *s = cf_sweep();
    assert_int_equal(tw_sweep_load_theta_sets(s, file, "ll2023", &e), TW_OK);
    assert_int_equal(tw_sweep_n_variants(s), 2);
    assert_string_equal(tw_sweep_variant_label(s, 1), "ll2023");
    assert_int_equal(tw_sweep_set_draws(s, 3, 1, 0.25, &e), TW_EARG);
    tw_sweep_free(s);

    s = cf_sweep();
    assert_int_equal(tw_sweep_load_theta_sets(s, file, "all", &e), TW_OK);
    assert_int_equal(tw_sweep_n_variants(s), 6); /* every set of the file */
    assert_string_equal(tw_sweep_variant_label(s, 2), "tradmod");
    run(s, 2);
    assert_int_equal(tw_sweep_n_failed(s), 0);
    tw_sweep_free(s);

    s = cf_sweep();
    assert_int_equal(tw_sweep_load_theta_sets(s, file, "tradmod,cp", &e), TW_EINPUT);
    assert_string_equal(e.msg, "no elasticity set \"cp\" (the file has: cp2015, tradmod, "
                               "ll2023, uniform4, short-run)");
    assert_int_equal(tw_sweep_n_variants(s), 1); /* nothing was added */
    char path[] = "/tmp/tw_sets_XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");
    fputs("set,sector,theta\nx,AGR,4\nx,AGR,5\n", f);
    fclose(f);
    assert_int_equal(tw_sweep_load_theta_sets(s, path, NULL, &e), TW_EINPUT);
    assert_int_equal(e.line, 3);
    assert_string_equal(e.msg, "set x gives sector AGR twice");
    f = fopen(path, "w");
    fputs("set,sector,theta\nx,AGR,4\n", f);
    fclose(f);
    assert_int_equal(tw_sweep_load_theta_sets(s, path, NULL, &e), TW_EINPUT);
    assert_string_equal(e.msg, "set x has no theta for sector MIN");
    unlink(path);
    tw_sweep_free(s);
}

static void test_theta_set_values_outside_the_published_range_name_file_and_line(void **state)
{
    (void)state;
    tw_error e;
    tw_sweep *s = cf_sweep();
    char path[] = "/tmp/tw_sets_XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");
    fputs("set,sector,theta\nx,AGR,4\nx,MIN,1e-300\n", f);
    fclose(f);
    char want[200];
    assert_int_equal(tw_sweep_load_theta_sets(s, path, NULL, &e), TW_EINPUT);
    tw_error_format(&e, want, sizeof want);
    char expect[200];
    snprintf(expect, sizeof expect,
             "%s:3: theta \"1e-300\" for x MIN is out of range (expected 0.1 <= theta <= 1000)",
             path);
    assert_string_equal(want, expect);
    f = fopen(path, "w");
    fputs("set,sector,theta\nx,AGR,1001\n", f);
    fclose(f);
    assert_int_equal(tw_sweep_load_theta_sets(s, path, NULL, &e), TW_EINPUT);
    assert_int_equal(e.line, 2);
    assert_string_equal(e.msg,
                        "theta \"1001\" for x AGR is out of range (expected 0.1 <= theta <= 1000)");
    assert_int_equal(tw_sweep_n_variants(s), 1); /* nothing was added */
    unlink(path);
    tw_sweep_free(s);
}

static void test_nash_sweep_reports_each_players_tariff(void **state)
{
    tw_error e;
    tw_sweep *s = tw_sweep_create(world, NULL, NULL, &e);
    size_t players[2] = {(size_t)tw_world_country_index(world, "USA"),
                         (size_t)tw_world_country_index(world, "CHN")};
    assert_int_equal(tw_sweep_set_nash(s, players, 2, &e), TW_OK);
    run(s, 1);
    assert_true(tw_sweep_converged(s, 0, 0));
    double t0 = tw_sweep_nash_tariff_pct(s, 0, 0, players[0]);
    assert_true(t0 > 0 && t0 < 500);
    assert_true(tw_sweep_nash_tariff_pct(s, 0, 0, players[1]) > 0);
    assert_true(isnan(tw_sweep_nash_tariff_pct(s, 0, 0, 3)));
    tw_sweep_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_theta_draw_depends_only_on_seed_and_draw_index),
        cmocka_unit_test(test_theta_draws_have_the_stated_spread),
        cmocka_unit_test(test_world_with_theta_changes_theta_only),
        cmocka_unit_test(test_zero_variance_band_collapses_to_the_point_estimate),
        cmocka_unit_test(test_absent_statistics_stay_absent_in_bands_and_outputs),
        cmocka_unit_test(test_band_quantiles_interpolate_between_draws),
        cmocka_unit_test(test_2x2_grid_equals_four_single_solves),
        cmocka_unit_test(test_results_do_not_depend_on_the_split),
        cmocka_unit_test(test_failed_solves_are_counted_never_averaged),
        cmocka_unit_test(test_axis_errors_name_the_axis),
        cmocka_unit_test(test_theta_sets_come_from_the_shipped_file),
        cmocka_unit_test(test_theta_set_values_outside_the_published_range_name_file_and_line),
        cmocka_unit_test(test_nash_sweep_reports_each_players_tariff),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

/* test_solver.c - the equilibrium solver against published results, closed
 * forms, invariants and a second method (docs/model.md sec. 5, "Verification"). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tradewar/policy.h"
#include "tradewar/report.h"
#include "tradewar/solve.h"
#include "tradewar/world.h"
#include "solve/solve_impl.h"
#include "../common/fixtures.h"

#define DATA TW_SOURCE_DIR "/data"

static double pct_of(double hat) { return 100.0 * (hat - 1.0); }

/* Caliendo and Parro (2015), Table 2, to tol (percentage points) */
static void assert_table2(const tw_world *w, tw_result *r, double tol)
{
    const char *code[3] = {"CAN", "MEX", "USA"};
    const double real_wage[3] = {0.3228, 1.7153, 0.1124};
    const double totvot[3] = {-0.0638, 1.3121, 0.0848};
    for (int k = 0; k < 3; k++) {
        long n = tw_world_country_index(w, code[k]);
        assert_true(n >= 0);
        double rw = pct_of(tw_result_real_wage_hat(r, (size_t)n));
        double tv = 100.0 * (tw_result_tot(r, (size_t)n) + tw_result_vot(r, (size_t)n));
        if (fabs(rw - real_wage[k]) > tol || fabs(tv - totvot[k]) > tol)
            fail_msg("%s: real wage %.5f (want %.4f), ToT+VoT %.5f (want %.4f)", code[k], rw,
                     real_wage[k], tv, totvot[k]);
    }
    assert_true(tw_result_residual(r) <= 1e-10);
}

/* A zero shock: every hat at one, every change at zero, to tol. */
static void assert_all_hats_one(const tw_world *w, tw_result *r, double tol)
{
    (void)w;
    size_t N = tw_result_n_countries(r), J = tw_result_n_sectors(r);
    for (size_t n = 0; n < N; n++) {
        assert_true(fabs(tw_result_w_hat(r)[n] - 1) <= tol);
        assert_true(fabs(tw_result_welfare_hat(r, n) - 1) <= tol);
        assert_true(fabs(tw_result_real_wage_hat(r, n) - 1) <= tol);
        assert_true(fabs(tw_result_tot(r, n)) <= tol);
        assert_true(fabs(tw_result_vot(r, n)) <= tol);
        for (size_t j = 0; j < J; j++) {
            assert_true(fabs(tw_result_P_hat(r)[n * J + j] - 1) <= tol);
            assert_true(fabs(tw_result_c_hat(r)[n * J + j] - 1) <= tol);
        }
    }
    /* Flows to 1e-9: the loader clamps derived final demand within -1e-9 X of
     * zero to zero (docs/model.md sec. 1, "Baseline quantities"), so such cells start off by that much. */
    const double *t0 = tw_result_trade(r, 0), *t1 = tw_result_trade(r, 1);
    for (size_t c = 0; c < N * N * J; c++)
        assert_true(fabs(t1[c] - t0[c]) <= 1e-9 * fabs(t0[c]) + 1e-300);
}

/* One tolerance range for library, CLI and server: out-of-range values are
 * refused and leave the solver's tolerance as it was. */
static void test_tolerance_range_is_enforced(void **state)
{
    (void)state;
    tw_world *w = fx_load(TW_SOURCE_DIR "/data/cp1993");
    tw_error e = {0};
    tw_solver *s = tw_solver_create(w, &e);
    assert_non_null(s);
    assert_int_equal(tw_solver_set_tol(s, TW_TOL_MIN), TW_OK);
    assert_int_equal(tw_solver_set_tol(s, TW_TOL_MAX), TW_OK);
    assert_int_equal(tw_solver_set_tol(s, 1e-3), TW_EARG);
    assert_int_equal(tw_solver_set_tol(s, 1e-15), TW_EARG);
    assert_int_equal(tw_solver_set_tol(s, NAN), TW_EARG);
    tw_solver_free(s);
    tw_world_free(w);
}

/* cp1993 supplies its final-demand and value-added shares, so its baseline is
 * not an equilibrium of the model: a zero shock moves Indonesia's welfare by
 * +0.725 %, and every result on it carries that gap (docs/model.md sec. 3, "The baseline gap"). */
static void test_baseline_gap_names_the_country_a_zero_shock_moves_most(void **state)
{
    (void)state;
    tw_world *w = fx_load(DATA "/cp1993");
    long idn = tw_world_country_index(w, "IDN");
    tw_result *zero = fx_solve(w, NULL, TW_DEFICITS_KEEP, TW_METHOD_NEWTON);
    size_t n = 99;
    double gap = tw_result_baseline_gap(zero, &n);
    assert_int_equal(n, (size_t)idn);
    assert_true(fabs(100.0 * gap - 0.72504343) < 1e-6);
    assert_true(fabs(gap - (tw_result_welfare_hat(zero, n) - 1.0)) < 1e-12);
    for (size_t k = 0; k < tw_result_n_countries(zero); k++)
        assert_true(fabs(tw_result_welfare_hat(zero, k) - 1.0) <= fabs(gap) + 1e-15);
    tw_report_opts ro = {.tol = 0};
    char *json = tw_report_json(w, zero, &ro);
    assert_non_null(json);
    assert_non_null(strstr(json, "\"baseline_gap\":{\"country\":\"IDN\",\"welfare_pct\":0.72504"));
    free(json);
    tw_result_free(zero);
    /* a shocked solve reports the same gap; the tatonnement method too */
    tw_result *nafta = fx_solve(w, DATA "/cp1993/nafta_2005.csv", TW_DEFICITS_KEEP,
                                  TW_METHOD_TATONNEMENT);
    assert_true(fabs(tw_result_baseline_gap(nafta, &n) - gap) < 1e-9);
    assert_int_equal(n, (size_t)idn);
    tw_result_free(nafta);
    /* the purged baseline is an equilibrium: no gap */
    tw_result *purged = fx_solve(w, NULL, TW_DEFICITS_PURGE, TW_METHOD_NEWTON);
    assert_true(tw_result_baseline_gap(purged, NULL) == 0.0);
    tw_result_free(purged);
    tw_world_free(w);

    /* derived shares make the baseline an exact equilibrium */
    w = fx_load(DATA "/world2011");
    tw_result *r = fx_solve(w, DATA "/scenarios/us_china_30.csv", TW_DEFICITS_KEEP,
                              TW_METHOD_NEWTON);
    assert_true(tw_result_baseline_gap(r, NULL) == 0.0);
    json = tw_report_json(w, r, &ro);
    assert_non_null(json);
    assert_non_null(strstr(json, "\"baseline_gap\":null"));
    free(json);
    tw_result_free(r);
    tw_world_free(w);
}

/* Adding up: world purchases = world sales (to tol), deficits kept, numeraire. */
static void assert_trade_adds_up(const tw_world *w, tw_result *r, double tol)
{
    size_t N = tw_result_n_countries(r);
    double ex = 0, im = 0, va0 = 0, va1 = 0, scale = 0;
    for (size_t n = 0; n < N; n++) {
        ex += tw_result_exports(r, n, 1);
        im += tw_result_imports(r, n, 1);
        double d0 = tw_world_deficit(w, n);
        double d1 = tw_result_imports(r, n, 1) - tw_result_exports(r, n, 1);
        assert_true(fabs(d1 - d0) <= 1e-9 * tw_world_value_added(w, n));
        va0 += tw_world_value_added(w, n);
        va1 += tw_result_w_hat(r)[n] * tw_world_value_added(w, n);
        scale += tw_result_imports(r, n, 1);
    }
    assert_true(fabs(ex - im) <= tol * scale);
    assert_true(fabs(va1 / va0 - 1) <= tol);
}

/* Two countries, one sector, no inputs, no tariffs, trade balanced (DEK).
 * With iceberg changes d12 (1 buys from 2) and d21 the equilibrium reduces to
 * one equation in the relative wage, solved here by bisection:
 *   X1 pi12' = X2 pi21',  X_n = w_n Y_n,
 *   pi12' = pi12 (d12 w2)^-th / (pi11 w1^-th + pi12 (d12 w2)^-th). */
static void test_two_country_one_sector_matches_bisection(void **state)
{
    (void)state;
    static const char *const files[][2] = {
        {"countries.csv", "code,name\nA,Alpha\nB,Beta\n"},
        {"sectors.csv", "code,name,theta\nG,Goods,4\n"},
        {"trade.csv", "importer,exporter,sector,value\nA,A,G,80\nA,B,G,20\nB,A,G,20\nB,B,G,180\n"},
        {"ntb.csv", "importer,exporter,sector,factor\nA,B,G,1.3\nB,A,G,0.9\n"},
    };
    char dir[256];
    fx_scratch(dir, sizeof dir, "2x1");
    for (size_t k = 0; k < sizeof files / sizeof files[0]; k++) fx_write_in(dir, files[k][0], files[k][1]);
    tw_world *w = fx_load(dir);
    tw_error e;
    tw_shock *s = tw_shock_create(w, &e);
    char p[512];
    snprintf(p, sizeof p, "%s/ntb.csv", dir);
    assert_int_equal(tw_shock_load_ntb(s, p, &e), TW_OK);
    tw_solver *sv = tw_solver_create(w, &e);
    tw_result *r = tw_solver_run(sv, s, &e);
    assert_non_null(r);

    double th = 4, Y1 = 100, Y2 = 200, p11 = 0.8, p12 = 0.2, p21 = 0.1, p22 = 0.9;
    double d12 = 1.3, d21 = 0.9, lo = 0.2, hi = 5, w1 = 1, w2 = 1;
    for (int it = 0; it < 200; it++) {
        double om = 0.5 * (lo + hi); /* w1 / w2, normalised so w1 Y1 + w2 Y2 = Y1 + Y2 */
        w2 = (Y1 + Y2) / (om * Y1 + Y2);
        w1 = om * w2;
        double q12 = p12 * pow(d12 * w2, -th) / (p11 * pow(w1, -th) + p12 * pow(d12 * w2, -th));
        double q21 = p21 * pow(d21 * w1, -th) / (p22 * pow(w2, -th) + p21 * pow(d21 * w1, -th));
        double excess = w2 * Y2 * q21 - w1 * Y1 * q12; /* demand for A's labour, net */
        if (excess > 0) lo = om; else hi = om;
    }
    double P1 = pow(p11 * pow(w1, -th) + p12 * pow(d12 * w2, -th), -1 / th);
    double P2 = pow(p22 * pow(w2, -th) + p21 * pow(d21 * w1, -th), -1 / th);
    assert_true(fabs(tw_result_w_hat(r)[0] - w1) < 1e-9);
    assert_true(fabs(tw_result_w_hat(r)[1] - w2) < 1e-9);
    assert_true(fabs(tw_result_P_hat(r)[0] - P1) < 1e-9);
    assert_true(fabs(tw_result_P_hat(r)[1] - P2) < 1e-9);
    assert_true(fabs(tw_result_welfare_hat(r, 0) - w1 / P1) < 1e-9);
    /* and the ACR formula: W_hat = (pi_nn' / pi_nn)^(-1/theta) */
    const double *t1 = tw_result_trade(r, 1);
    double pi11n = t1[0] / (t1[0] + t1[1]);
    assert_true(fabs(tw_result_welfare_hat(r, 0) - pow(pi11n / p11, -1 / th)) < 1e-9);
    tw_result_free(r);
    tw_solver_free(sv);
    tw_shock_free(s);
    tw_world_free(w);
    fx_remove_tree(dir);
}

/* The reported residual (at most tol) is recomputed from the result, and a
 * perturbed wage shows in it. */
static void assert_residual_recomputed(const tw_world *w, tw_result *r, double tol)
{
    (void)w;
    double res = tw_result_check(r);
    assert_true(res <= tol);
    assert_true(fabs(res - tw_result_residual(r)) <= 1e-300 + 1e-12 * res);
    r->w_hat[0] *= 1 + 1e-6; /* a wrong wage must show in eqs. 1 and 4-5 */
    assert_true(tw_result_check(r) > 1e-8);
}

static void assert_same_hats(const tw_result *a, const tw_result *b, double tol)
{
    size_t N = tw_result_n_countries(a), J = tw_result_n_sectors(a);
    for (size_t n = 0; n < N; n++) {
        double d = fabs(tw_result_w_hat(a)[n] - tw_result_w_hat(b)[n]);
        if (d > tol) fail_msg("w_hat[%zu] differs by %.2e", n, d);
        for (size_t j = 0; j < J; j++) {
            d = fabs(tw_result_P_hat(a)[n * J + j] - tw_result_P_hat(b)[n * J + j]);
            if (d > tol) fail_msg("P_hat[%zu][%zu] differs by %.2e", n, j, d);
        }
    }
}

static void test_newton_and_tatonnement_agree_on_hats(void **state)
{
    (void)state;
    static const struct { const char *world, *cf; tw_deficits deficits; } cases[] = {
        {DATA "/world2011", DATA "/scenarios/us_china_30.csv", TW_DEFICITS_KEEP},
        {DATA "/cp1993", DATA "/cp1993/nafta_2005.csv", TW_DEFICITS_PURGE},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        tw_world *w = fx_load(cases[k].world);
        tw_result *a = fx_solve(w, cases[k].cf, cases[k].deficits, TW_METHOD_NEWTON);
        tw_result *b = fx_solve(w, cases[k].cf, cases[k].deficits, TW_METHOD_TATONNEMENT);
        assert_same_hats(a, b, 1e-8);
        tw_result_free(a);
        tw_result_free(b);
        tw_world_free(w);
    }
}

/* The Jacobian of the wage system by implicit differentiation equals the
 * forward-difference one (step 1e-6, columns solved to 1e-11, so about 1e-5
 * apart) at the zero shock and at a shocked point away from x = 0: cp1993
 * with its deficits, and world2011 under US-China 145/125 % at the
 * equilibrium's log wages. */
static void assert_jacobians_agree(tw_model *m, const double *x)
{
    size_t N = m->N;
    double *Ja = calloc(N * N, sizeof(double)), *Jf = calloc(N * N, sizeof(double));
    tw_error e;
    assert_int_equal(newton_jacobian_precise(m, x, Ja, &e), TW_OK);
    assert_int_equal(newton_jacobian_fd(m, x, Jf, &e), TW_OK);
    for (size_t c = 0; c < N; c++) {
        double big = 0;
        for (size_t r = 0; r < N; r++) big = fmax(big, fabs(Jf[c * N + r]));
        assert_true(big > 0);
        for (size_t r = 0; r < N; r++)
            if (fabs(Ja[c * N + r] - Jf[c * N + r]) > 1e-4 * big)
                fail_msg("J[%zu][%zu]: implicit %.9g, differences %.9g", r, c, Ja[c * N + r],
                         Jf[c * N + r]);
    }
    free(Ja);
    free(Jf);
}

static void test_implicit_jacobian_matches_finite_differences(void **state)
{
    (void)state;
    tw_error e;
    tw_world *w = fx_load(DATA "/cp1993");
    tw_solver *sv = tw_solver_create(w, &e);
    tw_model *m = sv->model0;
    double *x = calloc(m->N, sizeof(double));
    model_set_shock(m, m->b->tau, NULL, m->b->D);
    assert_jacobians_agree(m, x);
    free(x);
    tw_solver_free(sv);
    tw_world_free(w);

    w = fx_load(DATA "/world2011");
    tw_result *r = fx_solve(w, DATA "/scenarios/us_china_145_125.csv", TW_DEFICITS_KEEP,
                            TW_METHOD_NEWTON);
    sv = tw_solver_create(w, &e);
    m = sv->model0;
    x = calloc(m->N, sizeof(double));
    for (size_t n = 0; n < m->N; n++) x[n] = log(tw_result_w_hat(r)[n]);
    model_set_shock(m, tw_result_tariffs(r), NULL, m->b->D);
    assert_jacobians_agree(m, x);
    free(x);
    tw_solver_free(sv);
    tw_result_free(r);
    tw_world_free(w);
}

/* The implicit Jacobian costs one evaluation, so a cold solve takes 1 + about
 * an evaluation per iteration; the purge's evaluations are counted apart, by
 * the solve that built the purged baseline only. */
static void test_evaluations_and_purge_evaluations_are_counted_apart(void **state)
{
    (void)state;
    tw_error e;
    tw_world *w = fx_load(DATA "/cp1993");
    tw_shock *s = tw_shock_create(w, &e);
    assert_int_equal(tw_shock_load_tariffs(s, DATA "/cp1993/nafta_2005.csv", &e), TW_OK);
    tw_solver *sv = tw_solver_create(w, &e);
    tw_result *r = tw_solver_run(sv, s, &e);
    assert_non_null(r);
    assert_int_equal(tw_result_evaluations_purge(r), 0);
    assert_true(tw_result_evaluations(r) <= 2 * tw_result_iterations(r) + 2);
    tw_result_free(r);
    tw_solver_set_deficits(sv, TW_DEFICITS_PURGE);
    r = tw_solver_run(sv, s, &e);
    assert_non_null(r);
    size_t after_keep = tw_result_evaluations_purge(r);
    assert_true(after_keep >= 2);
    assert_true(tw_result_evaluations(r) <= 2 * tw_result_iterations(r) + 2);
    tw_result_free(r);
    r = tw_solver_run(sv, s, &e);
    assert_non_null(r);
    assert_int_equal(tw_result_evaluations_purge(r), 0);
    tw_result_free(r);
    tw_solver_free(sv);
    /* on a fresh solver the purge also builds the world's zero-shock Jacobian,
     * which the keep solve above had cached: one evaluation more */
    sv = tw_solver_create(w, &e);
    tw_solver_set_deficits(sv, TW_DEFICITS_PURGE);
    r = tw_solver_run(sv, s, &e);
    assert_non_null(r);
    assert_int_equal(tw_result_evaluations_purge(r), after_keep + 1);
    tw_result_free(r);
    tw_solver_free(sv);
    tw_shock_free(s);
    tw_world_free(w);
}

/* A converged solve (residual at most tol) with every number finite. */
static void assert_converged_finite(const tw_world *w, tw_result *r, double tol)
{
    (void)w;
    assert_true(tw_result_residual(r) <= tol);
    size_t N = tw_result_n_countries(r), J = tw_result_n_sectors(r);
    for (size_t n = 0; n < N; n++) {
        assert_true(isfinite(tw_result_welfare_hat(r, n)));
        assert_true(isfinite(tw_result_tot(r, n)) && isfinite(tw_result_vot(r, n)));
        assert_true(isfinite(tw_result_exports(r, n, 1)));
        for (size_t j = 0; j < J; j++) assert_true(isfinite(tw_result_P_hat(r)[n * J + j]));
    }
    for (size_t c = 0; c < N * N * J; c++) assert_true(isfinite(tw_result_trade(r, 1)[c]));
}

/* One Newton solve of a world under a counterfactual and the check its
 * result must pass. */
typedef struct solve_case {
    const char *name, *world, *cf; /* cf NULL: no change */
    tw_deficits deficits;
    void (*check)(const tw_world *w, tw_result *r, double tol);
    double tol;
} solve_case;

#define CP DATA "/cp1993"
#define NAFTA DATA "/cp1993/nafta_2005.csv"
#define W2011 DATA "/world2011"
#define W2011_FULL DATA "/world2011-full"
#define US_CHINA_30 DATA "/scenarios/us_china_30.csv"
#define US_CHINA_145 DATA "/scenarios/us_china_145_125.csv"

static solve_case solve_cases[] = {
    {"test_nafta_on_balanced_baseline_reproduces_table2", CP "-balanced", CP "-balanced/nafta_2005.csv",
     TW_DEFICITS_KEEP, assert_table2, 1e-3},
    {"test_nafta_on_raw_data_with_purge_reproduces_table2", CP, NAFTA, TW_DEFICITS_PURGE, assert_table2, 1e-3},
    {"test_zero_shock_leaves_all_hats_at_one_on_world2011", W2011, NULL, TW_DEFICITS_KEEP, assert_all_hats_one, 1e-12},
    {"test_zero_shock_after_purge_leaves_all_hats_at_one_on_cp1993", CP, NULL, TW_DEFICITS_PURGE, assert_all_hats_one,
     1e-10},
    {"test_world_trade_balances_add_up", W2011, US_CHINA_145, TW_DEFICITS_KEEP, assert_trade_adds_up, 1e-12},
    {"test_reported_residual_is_recomputed_and_detects_a_perturbation", W2011, US_CHINA_30, TW_DEFICITS_KEEP,
     assert_residual_recomputed, 1e-10},
    {"test_us_china_30_converges_on_world2011", W2011, US_CHINA_30, TW_DEFICITS_KEEP, assert_converged_finite, 1e-10},
    {"test_us_china_145_125_converges_on_world2011", W2011, US_CHINA_145, TW_DEFICITS_KEEP, assert_converged_finite,
     1e-10},
    {"test_us_china_30_converges_on_world2011_full", W2011_FULL, US_CHINA_30, TW_DEFICITS_KEEP,
     assert_converged_finite, 1e-10},
    {"test_us_china_145_125_converges_on_world2011_full", W2011_FULL, US_CHINA_145, TW_DEFICITS_KEEP,
     assert_converged_finite, 1e-10},
};
_Static_assert(sizeof solve_cases / sizeof solve_cases[0] == 10, "main lists a SOLVE_CASE for each");

static void test_solve_case(void **state)
{
    const solve_case *c = *state;
    tw_world *w = fx_load(c->world);
    tw_result *r = fx_solve(w, c->cf, c->deficits, TW_METHOD_NEWTON);
    c->check(w, r, c->tol);
    tw_result_free(r);
    tw_world_free(w);
}

static void test_unconverged_solve_returns_error_with_iterations_and_residual(void **state)
{
    (void)state;
    tw_world *w = fx_load(DATA "/world2011");
    tw_error e;
    tw_shock *s = tw_shock_create(w, &e);
    assert_int_equal(tw_shock_load_tariffs(s, DATA "/scenarios/us_china_30.csv", &e), TW_OK);
    tw_solver *sv = tw_solver_create(w, &e);
    tw_solver_set_method(sv, TW_METHOD_TATONNEMENT);
    tw_solver_set_step(sv, 0.5);
    tw_solver_set_max_iter(sv, 20);
    tw_result *r = tw_solver_run(sv, s, &e);
    assert_null(r);
    assert_int_equal(e.code, TW_ENOCONV);
    assert_int_equal(tw_solver_last_iterations(sv), 20);
    assert_true(tw_solver_last_residual(sv) > 1e-10);
    assert_non_null(strstr(e.msg, "no convergence after 20 iterations (max residual "));
    char buf[512];
    tw_error_format(&e, buf, sizeof buf);
    assert_int_equal(strncmp(buf, "solve: no convergence after 20 iterations", 41), 0);
    tw_solver_free(sv);
    tw_shock_free(s);
    tw_world_free(w);
}

/* The solve case solve_cases[k] as a test of its own name. */
#define SOLVE_CASE(k) {solve_cases[k].name, test_solve_case, NULL, NULL, &solve_cases[k]}

int main(void)
{
    const struct CMUnitTest tests[] = {
        SOLVE_CASE(0), SOLVE_CASE(1), SOLVE_CASE(2), SOLVE_CASE(3), SOLVE_CASE(4),
        SOLVE_CASE(5), SOLVE_CASE(6), SOLVE_CASE(7), SOLVE_CASE(8), SOLVE_CASE(9),
        cmocka_unit_test(test_tolerance_range_is_enforced),
        cmocka_unit_test(test_baseline_gap_names_the_country_a_zero_shock_moves_most),
        cmocka_unit_test(test_two_country_one_sector_matches_bisection),
        cmocka_unit_test(test_newton_and_tatonnement_agree_on_hats),
        cmocka_unit_test(test_implicit_jacobian_matches_finite_differences),
        cmocka_unit_test(test_evaluations_and_purge_evaluations_are_counted_apart),
        cmocka_unit_test(test_unconverged_solve_returns_error_with_iterations_and_residual),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_adjoint.c - welfare gradients by the implicit function theorem
 * (src/solve/adjoint.c, game_welfare_weighted) against a second method:
 * central differences of full equilibrium solves at tolerance 1e-13 (on
 * world2011 a solve to TW_TOL_MIN = 1e-14 can fail its own residual check at
 * 1.1e-14), step 1e-4 in tariff units (its noise, about 1e-13 / 1e-4 = 1e-9,
 * and its truncation error, about h^2 W'''/6 = 2e-9 times W''', are well
 * below the 1e-6 asked).  "Agree to 1e-6 relative"
 * means every component within 1e-6 of the gradient's largest component. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tradewar/game.h"
#include "tradewar/policy.h"
#include "tradewar/solve.h"
#include "tradewar/world.h"
#include "game/game_impl.h"
#include "../common/fixtures.h"
#include "fixture.h"

#define TIGHT_TOL 1e-13
#define FD_STEP 1e-4
#define REL_TOL 1e-6

/* The objective at x by one full solve, no gradient. */
static double objective_at(tw_game *g, const tw_imap *maps, size_t n_maps, const double *x,
                           const size_t *who, const double *wt, size_t P)
{
    double f = game_welfare_weighted(g, maps, n_maps, x, who, wt, P, NULL, g->shock);
    if (!isfinite(f)) fail_msg("solve failed: %s", g->err.msg);
    return f;
}

/* Compare the IFT gradient at x with central differences of full solves. */
static void check_gradient(tw_game *g, const tw_imap *maps, size_t n_maps, const double *x0,
                           size_t n, const size_t *who, const double *wt, size_t P)
{
    double *x = malloc(n * sizeof *x), *gi = malloc(n * sizeof *gi), *gf = malloc(n * sizeof *gf);
    assert_non_null(x);
    assert_non_null(gi);
    assert_non_null(gf);
    memcpy(x, x0, n * sizeof *x);
    size_t s0 = g->n_solves;
    double f = game_welfare_weighted(g, maps, n_maps, x, who, wt, P, gi, g->shock);
    if (!isfinite(f)) fail_msg("gradient failed: %s", g->err.msg);
    /* one solve and one gradient, counted as one solve each */
    assert_int_equal(g->n_solves - s0, 2);
    near(f, objective_at(g, maps, n_maps, x, who, wt, P), 1e-13, "objective");
    double big = 0;
    for (size_t p = 0; p < n; p++) {
        x[p] = x0[p] + FD_STEP;
        double up = objective_at(g, maps, n_maps, x, who, wt, P);
        x[p] = x0[p] - FD_STEP;
        double dn = objective_at(g, maps, n_maps, x, who, wt, P);
        x[p] = x0[p];
        gf[p] = (up - dn) / (2 * FD_STEP);
        big = fmax(big, fabs(gf[p]));
    }
    assert_true(big > 1e-4); /* a gradient worth comparing */
    double worst = 0;
    for (size_t p = 0; p < n; p++) {
        char what[64];
        snprintf(what, sizeof what, "dW/dx_%zu", p);
        near(gi[p], gf[p], REL_TOL * big, what);
        worst = fmax(worst, fabs(gi[p] - gf[p]) / big);
    }
    print_message("largest difference %.2e of the largest component %.3e\n", worst, big);
    free(x);
    free(gi);
    free(gf);
}

/* Interior tariffs that differ by sector: 5 % to 43 %. */
static void spread(double *x, size_t n)
{
    for (size_t p = 0; p < n; p++) x[p] = 0.05 + 0.02 * (double)p;
}

/* The US's welfare against its sector tariffs on China. */
static void test_sector_gradient_of_us_welfare_matches_differences_of_solves(void **state)
{
    fixture *f = *state;
    assert_int_equal(tw_game_set_tol(f->g, TIGHT_TOL), TW_OK);
    unsigned char *mask = calloc(tw_world_n_countries(f->w), 1);
    assert_non_null(mask);
    mask[f->chn] = 1;
    tw_imap m;
    tw_error e;
    assert_int_equal(imap_build(f->g, f->usa, mask, TW_INSTR_SECTOR, &m, &e), TW_OK);
    double *x = malloc(m.n_params * sizeof *x);
    assert_non_null(x);
    spread(x, m.n_params);
    const double one = 1.0;
    check_gradient(f->g, &m, 1, x, m.n_params, &f->usa, &one, 1);
    free(x);
    imap_free(&m);
    free(mask);
}

/* 0.7 W_USA + 0.3 W_CHN against both sides' sector tariffs on each other. */
static void test_weighted_two_player_gradient_matches_differences_of_solves(void **state)
{
    fixture *f = *state;
    assert_int_equal(tw_game_set_tol(f->g, TIGHT_TOL), TW_OK);
    unsigned char *mask = calloc(tw_world_n_countries(f->w), 1);
    assert_non_null(mask);
    mask[f->chn] = 1;
    mask[f->usa] = 1;
    tw_imap m[2];
    tw_error e;
    assert_int_equal(imap_build(f->g, f->usa, mask, TW_INSTR_SECTOR, &m[0], &e), TW_OK);
    assert_int_equal(imap_build(f->g, f->chn, mask, TW_INSTR_SECTOR, &m[1], &e), TW_OK);
    size_t n = m[0].n_params + m[1].n_params;
    double *x = malloc(n * sizeof *x);
    assert_non_null(x);
    spread(x, n);
    size_t who[2] = {f->usa, f->chn};
    double wt[2] = {0.7, 0.3};
    check_gradient(f->g, m, 2, x, n, who, wt, 2);
    free(x);
    imap_free(&m[0]);
    imap_free(&m[1]);
    free(mask);
}

/* Several objectives at once (the talks' frontier takes every player's
 * gradient from one call): each row equals the one-objective gradient. */
static void test_many_objectives_equal_one_at_a_time(void **state)
{
    fixture *f = *state;
    size_t N = tw_world_n_countries(f->w);
    unsigned char *mask = calloc(N, 1);
    double *omega = calloc(2 * N, sizeof *omega);
    assert_non_null(mask);
    assert_non_null(omega);
    mask[f->chn] = 1;
    mask[f->usa] = 1;
    tw_imap m[2];
    tw_error e;
    assert_int_equal(imap_build(f->g, f->usa, mask, TW_INSTR_UNIFORM, &m[0], &e), TW_OK);
    assert_int_equal(imap_build(f->g, f->chn, mask, TW_INSTR_UNIFORM, &m[1], &e), TW_OK);
    double x[2] = {0.02, 0.02}, W[2], dW[4], one = 1.0, g1[2];
    omega[f->usa] = 1.0;
    omega[N + f->chn] = 1.0;
    assert_int_equal(game_welfare_many(f->g, m, 2, x, 2, omega, W, dW, f->g->shock), 0);
    size_t who[2] = {f->usa, f->chn};
    for (size_t k = 0; k < 2; k++) {
        double w1 = game_welfare_weighted(f->g, m, 2, x, &who[k], &one, 1, g1, f->g->shock);
        near(W[k], w1, 1e-13, "welfare");
        near(dW[k * 2], g1[0], 1e-12, "d/dx_USA");
        near(dW[k * 2 + 1], g1[1], 1e-12, "d/dx_CHN");
    }
    /* below its optimal tariff (about 6 % and 10 %, test_escalate) a country
     * gains from its own tariff, and it loses from the other's */
    assert_true(dW[0] > 0 && dW[1] < 0 && dW[2] < 0 && dW[3] > 0);
    imap_free(&m[0]);
    imap_free(&m[1]);
    free(omega);
    free(mask);
}

/* One uniform tariff (the best response's instrument): the derivative in
 * forward mode (game_welfare_slope, src/solve/forward.c) against central
 * differences of full solves and against the adjoint gradient, for the US
 * against China and against every partner, at a low and a high tariff; and
 * its two methods (the preconditioned one shot, and GMRES without a
 * preconditioner from the result alone) against each other. */
static void test_uniform_direction_derivative_matches_differences_of_solves(void **state)
{
    fixture *f = *state;
    assert_int_equal(tw_game_set_tol(f->g, TIGHT_TOL), TW_OK);
    unsigned char *mask = calloc(tw_world_n_countries(f->w), 1);
    assert_non_null(mask);
    mask[f->chn] = 1;
    const double one = 1.0, at[2] = {0.03, 0.4};
    for (int all = 0; all < 2; all++) {
        tw_imap m;
        tw_error e;
        assert_int_equal(imap_build(f->g, f->usa, all ? NULL : mask, TW_INSTR_UNIFORM, &m, &e), TW_OK);
        for (size_t k = 0; k < 2; k++) {
            double t = at[k], slope = NAN, ga = NAN;
            size_t s0 = f->g->n_solves;
            double w = game_welfare_slope(f->g, &m, t, &slope, f->g->shock);
            if (!isfinite(w)) fail_msg("derivative failed: %s", f->g->err.msg);
            /* one solve and one derivative, counted as one solve each */
            assert_int_equal(f->g->n_solves - s0, 2);
            /* the same by the fallback (GMRES, no preconditioner) from the
             * result alone: the game keeps it as its warm start */
            tw_solver *sv = tw_game_solver(f->g);
            const tw_base *keep = sv->jac_last_base;
            tw_solver_dirs d = {m.n_cells, 1, m.cell, m.param};
            double *omega = calloc(tw_world_n_countries(f->w), sizeof *omega), w2, s2;
            assert_non_null(omega);
            omega[f->usa] = 1.0;
            sv->jac_last_base = NULL;
            assert_int_equal(solver_welfare_direction(sv, f->g->work, f->g->warm, 0, omega, &d, &w2,
                                                      &s2, NULL, &e), TW_OK);
            sv->jac_last_base = keep;
            free(omega);
            near(w2, w, 1e-15, "objective (fallback)");
            near(s2, slope, 1e-8 * fabs(slope), "dW/dt (fallback)");
            double x = t + FD_STEP;
            double up = objective_at(f->g, &m, 1, &x, &f->usa, &one, 1);
            x = t - FD_STEP;
            double dn = objective_at(f->g, &m, 1, &x, &f->usa, &one, 1);
            double cd = (up - dn) / (2 * FD_STEP);
            near(w, objective_at(f->g, &m, 1, &t, &f->usa, &one, 1), 1e-13, "objective");
            assert_true(fabs(cd) > 1e-4); /* a derivative worth comparing */
            near(slope, cd, REL_TOL * fabs(cd), "dW/dt against differences");
            game_welfare(f->g, &m, &t, &ga, f->g->shock);
            near(slope, ga, REL_TOL * fabs(ga), "dW/dt against the adjoint");
            print_message("%s t=%.2f: forward %.10e, differences %.10e (rel %.1e), adjoint rel %.1e\n",
                          all ? "all" : "CHN", t, slope, cd, fabs(slope - cd) / fabs(cd),
                          fabs(slope - ga) / fabs(ga));
        }
        imap_free(&m);
    }
    free(mask);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        ON_WORLD2011(test_sector_gradient_of_us_welfare_matches_differences_of_solves),
        ON_WORLD2011(test_weighted_two_player_gradient_matches_differences_of_solves),
        ON_WORLD2011(test_many_objectives_equal_one_at_a_time),
        ON_WORLD2011(test_uniform_direction_derivative_matches_differences_of_solves),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

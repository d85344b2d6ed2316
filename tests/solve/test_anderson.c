/* test_anderson.c - Anderson acceleration with its updated QR (src/solve/anderson.c)
 * against a fresh least-squares solve, and on a linear fixed point against
 * its solution by elimination.
 *
 * The map is G(x) = A x + b with A >= 0 and row sums 0.9 (a contraction),
 * drawn from splitmix64.  The reference keeps its own window of differences
 * (the same restart rule: the history goes when the residual more than
 * doubles) and solves each least-squares problem from scratch by modified
 * Gram-Schmidt, twice; the accelerator's next iterate, its factorisation
 * (Q'Q = I, QR = the window) and its window size must agree with it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "solve/anderson.h"
#include "../common/splitmix64.h"

#define N 30
#define M 5

typedef struct linmap {
    double A[N][N], b[N];
} linmap;

static void draw(linmap *p, uint64_t seed)
{
    sm64 r = {seed};
    for (size_t i = 0; i < N; i++) {
        double s = 0;
        for (size_t j = 0; j < N; j++) s += p->A[i][j] = sm64_unif(&r);
        for (size_t j = 0; j < N; j++) p->A[i][j] *= 0.9 / s;
        p->b[i] = sm64_unif(&r) - 0.5;
    }
}

static void apply(const linmap *p, const double *x, double *g)
{
    for (size_t i = 0; i < N; i++) {
        g[i] = p->b[i];
        for (size_t j = 0; j < N; j++) g[i] += p->A[i][j] * x[j];
    }
}

static double norm(const double *x)
{
    double s = 0;
    for (size_t i = 0; i < N; i++) s += x[i] * x[i];
    return sqrt(s);
}

/* The reference: its window (oldest first) and the next iterate g - dG gamma
 * with gamma from a fresh QR of dF (two passes of modified Gram-Schmidt). */
typedef struct ref {
    double dF[M][N], dG[M][N], f_prev[N], g_prev[N], fnorm_prev;
    size_t k;
    int have_prev;
} ref;

static void ref_step(ref *w, const double *x, const double *g, double *x_next)
{
    double f[N], Q[M][N], R[M][M] = {{0}}, gam[M] = {0};
    for (size_t i = 0; i < N; i++) f[i] = g[i] - x[i];
    double fn = norm(f);
    if (w->have_prev && fn > 2.0 * w->fnorm_prev) w->k = 0;
    if (w->have_prev) {
        if (w->k == M) {
            memmove(w->dF[0], w->dF[1], (M - 1) * sizeof w->dF[0]);
            memmove(w->dG[0], w->dG[1], (M - 1) * sizeof w->dG[0]);
            w->k--;
        }
        for (size_t i = 0; i < N; i++) {
            w->dF[w->k][i] = f[i] - w->f_prev[i];
            w->dG[w->k][i] = g[i] - w->g_prev[i];
        }
        w->k++;
    }
    memcpy(w->f_prev, f, sizeof f);
    memcpy(w->g_prev, g, sizeof f);
    w->fnorm_prev = fn;
    w->have_prev = 1;
    for (size_t c = 0; c < w->k; c++) {
        memcpy(Q[c], w->dF[c], sizeof Q[c]);
        for (int pass = 0; pass < 2; pass++)
            for (size_t p = 0; p < c; p++) {
                double r = 0;
                for (size_t i = 0; i < N; i++) r += Q[p][i] * Q[c][i];
                R[p][c] += r;
                for (size_t i = 0; i < N; i++) Q[c][i] -= r * Q[p][i];
            }
        R[c][c] = norm(Q[c]);
        for (size_t i = 0; i < N; i++) Q[c][i] /= R[c][c];
    }
    for (size_t p = w->k; p-- > 0;) {
        gam[p] = 0;
        for (size_t i = 0; i < N; i++) gam[p] += Q[p][i] * f[i];
        for (size_t c = p + 1; c < w->k; c++) gam[p] -= R[p][c] * gam[c];
        gam[p] /= R[p][p];
    }
    for (size_t i = 0; i < N; i++) {
        x_next[i] = g[i];
        for (size_t c = 0; c < w->k; c++) x_next[i] -= w->dG[c][i] * gam[c];
    }
}

/* Q'Q = I and Q R = the reference's window, column by column. */
static void check_factors(const tw_anderson *a, const ref *w)
{
    assert_int_equal(a->k, w->k);
    for (size_t c = 0; c < a->k; c++) {
        for (size_t p = 0; p <= c; p++) {
            double s = 0;
            for (size_t i = 0; i < N; i++) s += a->Q[p * N + i] * a->Q[c * N + i];
            assert_true(fabs(s - (p == c)) < 1e-12);
        }
        double scale = norm(w->dF[c]), err = 0;
        for (size_t i = 0; i < N; i++) {
            double qr = 0;
            for (size_t p = 0; p <= c; p++) qr += a->Q[p * N + i] * a->R[p][c];
            err = fmax(err, fabs(qr - w->dF[c][i]));
        }
        assert_true(err <= 1e-12 * scale);
    }
}

static void test_updated_qr_matches_a_fresh_least_squares(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 5; seed++) {
        linmap p;
        draw(&p, seed);
        tw_anderson a;
        ref w = {.k = 0};
        assert_int_equal(anderson_init(&a, N, M), 0);
        double x[N] = {0}, xr[N], g[N];
        size_t steps = 0;
        for (; steps < 60; steps++) {
            apply(&p, x, g);
            double f[N];
            for (size_t i = 0; i < N; i++) f[i] = g[i] - x[i];
            if (norm(f) < 1e-11) break; /* before nearly collinear differences */
            ref_step(&w, x, g, xr);
            anderson_step(&a, x, g, x);
            check_factors(&a, &w);
            for (size_t i = 0; i < N; i++) assert_true(fabs(x[i] - xr[i]) <= 1e-9 * (1 + fabs(xr[i])));
        }
        assert_true(steps > M + 2); /* the window filled and slid */
        anderson_free(&a);
    }
}

/* x = (I - A)^-1 b by Gaussian elimination with partial pivoting. */
static void solve_direct(const linmap *p, double *x)
{
    double a[N][N + 1];
    for (size_t i = 0; i < N; i++) {
        for (size_t j = 0; j < N; j++) a[i][j] = (i == j) - p->A[i][j];
        a[i][N] = p->b[i];
    }
    for (size_t c = 0; c < N; c++) {
        size_t piv = c;
        for (size_t r = c + 1; r < N; r++)
            if (fabs(a[r][c]) > fabs(a[piv][c])) piv = r;
        for (size_t j = 0; j <= N; j++) {
            double t = a[c][j]; a[c][j] = a[piv][j]; a[piv][j] = t;
        }
        for (size_t r = c + 1; r < N; r++) {
            double fct = a[r][c] / a[c][c];
            for (size_t j = c; j <= N; j++) a[r][j] -= fct * a[c][j];
        }
    }
    for (size_t r = N; r-- > 0;) {
        x[r] = a[r][N];
        for (size_t j = r + 1; j < N; j++) x[r] -= a[r][j] * x[j];
        x[r] /= a[r][r];
    }
}

static void test_converges_to_the_fixed_point(void **state)
{
    (void)state;
    linmap p;
    draw(&p, 7);
    double want[N], x[N] = {0}, g[N];
    solve_direct(&p, want);
    tw_anderson a;
    assert_int_equal(anderson_init(&a, N, M), 0);
    size_t it = 0;
    for (double d = 1; d > 1e-14 && it < 200; it++) {
        apply(&p, x, g);
        d = 0;
        for (size_t i = 0; i < N; i++) d = fmax(d, fabs(g[i] - x[i]));
        anderson_step(&a, x, g, x);
    }
    /* the plain iteration contracts by 0.9 a step: over 300 steps to 1e-14 */
    assert_true(it < 100);
    for (size_t i = 0; i < N; i++) assert_true(fabs(x[i] - want[i]) < 1e-12);
    /* a repeated pair (a zero difference) leaves the window as it is */
    double xa[N], ga[N], xn[N];
    for (size_t i = 0; i < N; i++) xa[i] = want[i] + 1e-3 * (double)(i % 3);
    apply(&p, xa, ga);
    anderson_step(&a, xa, ga, xn);
    size_t k = a.k;
    assert_true(k > 0);
    anderson_step(&a, xa, ga, xn);
    assert_int_equal(a.k, k);
    anderson_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_updated_qr_matches_a_fresh_least_squares),
        cmocka_unit_test(test_converges_to_the_fixed_point),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

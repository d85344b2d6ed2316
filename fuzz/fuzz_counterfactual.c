/* fuzz_counterfactual.c - the counterfactual CSV readers (tw_shock_load_tariffs,
 * tw_shock_load_ntb) on arbitrary files, against tests/data/good/tiny3x2 and
 * the embedded world2011 and world2023-goods (whose codes the shipped
 * counterfactuals use); a file that loads on tiny3x2 is then solved.
 *
 * Properties (policy.h, shock.c): a file applies whole or not at all, so a
 * failed load leaves the shock bit for bit as it was; a loaded shock keeps the
 * invariants (tau' finite and >= 0 and equal to the baseline on domestic cells
 * and non-tradable sectors; d_hat finite and > 0 and 1 on domestic cells); a
 * solve converges to a finite equilibrium or fails with a message. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tradewar/solve.h"
#include "fuzz.h"

static void check_invariants(const tw_shock *s, const tw_world *w)
{
    size_t N = tw_world_n_countries(w), J = tw_world_n_sectors(w);
    const double *tau = tw_shock_tariffs(s), *d = tw_shock_dhat(s), *base = tw_world_tariffs(w);
    for (size_t n = 0; n < N; n++)
        for (size_t i = 0; i < N; i++)
            for (size_t j = 0; j < J; j++) {
                size_t c = (n * N + i) * J + j;
                fz_check(isfinite(tau[c]) && tau[c] >= 0, "tau' is finite and >= 0", NULL);
                fz_check(isfinite(d[c]) && d[c] > 0, "d_hat is finite and > 0", NULL);
                if (n == i || !tw_world_sector_tradable(w, j))
                    fz_check(tau[c] == base[c], "tau' keeps domestic and non-tradable cells", NULL);
                if (n == i) fz_check(d[c] == 1.0, "d_hat is 1 on domestic cells", NULL);
            }
}

/* Load path as tariffs (ntb = 0) or NTBs into a fresh shock on w; the shock
 * when the file loaded, else NULL. */
static tw_shock *apply(const tw_world *w, const char *path, int ntb)
{
    tw_error err;
    tw_shock *s = tw_shock_create(w, &err);
    if (!s) {
        fz_check_error(&err, "tw_shock_create");
        return NULL;
    }
    size_t cells = tw_world_n_countries(w) * tw_world_n_countries(w) * tw_world_n_sectors(w);
    double *tau = malloc(cells * sizeof *tau), *d = malloc(cells * sizeof *d);
    if (!tau || !d) {
        free(tau);
        free(d);
        tw_shock_free(s);
        return NULL;
    }
    memcpy(tau, tw_shock_tariffs(s), cells * sizeof *tau);
    memcpy(d, tw_shock_dhat(s), cells * sizeof *d);
    tw_status st = ntb ? tw_shock_load_ntb(s, path, &err) : tw_shock_load_tariffs(s, path, &err);
    if (st != TW_OK) {
        fz_check_error(&err, ntb ? "tw_shock_load_ntb" : "tw_shock_load_tariffs");
        fz_check(st == err.code, "the status returned is the one in err", &err);
        fz_check(memcmp(tau, tw_shock_tariffs(s), cells * sizeof *tau) == 0 &&
                     memcmp(d, tw_shock_dhat(s), cells * sizeof *d) == 0,
                 "a file that fails changes nothing", &err);
        tw_shock_free(s);
        s = NULL;
    } else {
        check_invariants(s, w);
    }
    free(tau);
    free(d);
    return s;
}

static void solve(const tw_world *w, const tw_shock *s)
{
    tw_error err;
    tw_solver *sv = tw_solver_create(w, &err);
    tw_result *r = sv ? tw_solver_run(sv, s, &err) : NULL;
    if (r) {
        for (size_t n = 0; n < tw_world_n_countries(w); n++)
            fz_check(isfinite(tw_result_welfare_hat(r, n)) && tw_result_welfare_hat(r, n) > 0,
                     "a converged welfare change is finite and positive", NULL);
    } else {
        fz_check_error(&err, sv ? "tw_solver_run" : "tw_solver_create");
    }
    tw_result_free(r);
    tw_solver_free(sv);
}

int tw_fuzz_counterfactual(const uint8_t *data, size_t size)
{
    static tw_world *tiny, *w2011, *w2023;
    char path[512];
    if (fz_path(path, sizeof path, "counterfactual.csv") != 0 || fz_write(path, data, size) != 0)
        return 0;
    const tw_world *worlds[3] = {fz_world(&tiny, "tests/data/good/tiny3x2"),
                                 fz_world(&w2011, "data/world2011"),
                                 fz_world(&w2023, "data/world2023-goods")};
    /* world2023-goods (37 636 cells) only for tariffs, whose shipped files use
     * its codes: the large copies would otherwise halve the executions */
    for (int k = 0; k < 3; k++)
        for (int ntb = 0; ntb < (k < 2 ? 2 : 1); ntb++) {
            tw_shock *s = apply(worlds[k], path, ntb);
            if (s && k == 0) solve(worlds[k], s); /* tiny3x2 solves in microseconds */
            tw_shock_free(s);
        }
    return 0;
}

#ifndef TW_FUZZ_NO_MAIN
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return tw_fuzz_counterfactual(data, size);
}
#endif

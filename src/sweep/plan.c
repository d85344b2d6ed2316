/* plan.c - what a sweep computes: the policy it starts from, the elasticity
 * variants (log-normal draws or named sets), the grid axes, the Nash players
 * and the solver options; and the log-normal draws themselves.
 *
 * Invariant: the plan is frozen once results exist (tw_sweep_alloc_results),
 * so the shape of the result array never changes under its data.  A draw is a
 * pure function of (world theta, seed, sigma, draw index): no state is carried
 * from one draw to the next, which is what lets any process compute any draw. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sweep_impl.h"
#include "core/index.h"
#include "core/num.h"
#include "core/suggest.h"

/* The statistics are the country columns the sweep shows (tradewar/report.h);
 * tests/report pins their number to TW_SWEEP_N_STATS. */
const tw_column *tw_sweep_stat_column(size_t k)
{
    const tw_column *cols[TW_SWEEP_N_STATS];
    size_t m = tw_report_view(TW_LEVEL_COUNTRY, TW_SHOW_SWEEP, cols, TW_SWEEP_N_STATS);
    return k < m && k < TW_SWEEP_N_STATS ? cols[k] : NULL;
}

const char *tw_sweep_stat_name(size_t k)
{
    const tw_column *c = tw_sweep_stat_column(k);
    return c ? tw_column_name(c) : NULL;
}

long tw_sweep_stat_index(const char *name)
{
    for (size_t k = 0; name && k < TW_SWEEP_N_STATS; k++)
        if (strcmp(name, tw_sweep_stat_name(k)) == 0) return (long)k;
    return -1;
}

/* ---- log-normal draws --------------------------------------------------- */

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void tw_theta_draw(const tw_world *w, uint64_t seed, double sigma, size_t d, double *theta_out)
{
    /* The stream of draw d is seeded by hashing (seed, d), so draws are
     * independent of each other and of the order they are computed in. */
    uint64_t st = seed;
    st = splitmix64(&st) ^ ((uint64_t)d * 0xD1B54A32D192ED03ull);
    (void)splitmix64(&st);
    const double two_pi = 6.283185307179586476925286766559;
    size_t J = tw_world_n_sectors(w);
    for (size_t j = 0; j < J; j++) {
        /* Box-Muller on two uniforms per sector: u1 in (0, 1], u2 in [0, 1) */
        double u1 = ((double)(splitmix64(&st) >> 11) + 1.0) * 0x1.0p-53;
        double u2 = (double)(splitmix64(&st) >> 11) * 0x1.0p-53;
        double z = sqrt(-2.0 * log(u1)) * cos(two_pi * u2);
        theta_out[j] = tw_world_sector_theta(w, j) * exp(sigma * z);
    }
}

/* ---- create / free / options --------------------------------------------- */

tw_sweep *tw_sweep_create(const tw_world *w, const double *tau, const double *dhat,
                          tw_error *err)
{
    if (!w) {
        tw_error_set(err, TW_EARG, NULL, 0, 0, "no world given for the sweep");
        return NULL;
    }
    tw_sweep *s = calloc(1, sizeof *s);
    if (!s) goto nomem;
    s->w = w;
    s->N = tw_world_n_countries(w);
    s->J = tw_world_n_sectors(w);
    s->cells = s->N * s->N * s->J;
    s->tau = malloc((s->cells ? s->cells : 1) * sizeof(double));
    s->dhat = malloc((s->cells ? s->cells : 1) * sizeof(double));
    if (!s->tau || !s->dhat) goto nomem;
    memcpy(s->tau, tau ? tau : tw_world_tariffs(w), s->cells * sizeof(double));
    for (size_t c = 0; c < s->cells; c++) s->dhat[c] = dhat ? dhat[c] : 1.0;
    s->tol = TW_TOL_DEFAULT;
    s->method = TW_METHOD_NEWTON;
    s->deficits = TW_DEFICITS_KEEP;
    s->warm = 1;
    s->n_points = 1;
    return s;
nomem:
    tw_sweep_free(s);
    tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory for a sweep");
    return NULL;
}

void tw_sweep_free(tw_sweep *s)
{
    if (!s) return;
    free(s->tau);
    free(s->dhat);
    for (size_t k = 0; k < s->n_draws && s->set_name; k++) free(s->set_name[k]);
    free(s->set_name);
    free(s->set_theta);
    for (size_t a = 0; a < s->n_axes; a++) {
        free(s->axes[a].label);
        free(s->axes[a].cells);
        free(s->axes[a].values);
    }
    free(s->axes);
    free(s->players);
    free(s->res);
    free(s->done);
    free(s);
}

static tw_status frozen(const tw_sweep *s, tw_error *err)
{
    if (!s) return tw_error_set(err, TW_EARG, NULL, 0, 0, "no sweep given");
    if (s->res) return tw_error_set(err, TW_EARG, NULL, 0, 0, "the sweep already has results");
    return TW_OK;
}

tw_status tw_sweep_set_tol(tw_sweep *s, double tol)
{
    if (frozen(s, NULL) || !(tol >= TW_TOL_MIN && tol <= TW_TOL_MAX)) return TW_EARG;
    s->tol = tol;
    return TW_OK;
}

tw_status tw_sweep_set_max_iter(tw_sweep *s, size_t max_iter)
{
    if (frozen(s, NULL)) return TW_EARG;
    s->max_iter = max_iter;
    return TW_OK;
}

tw_status tw_sweep_set_method(tw_sweep *s, tw_method m)
{
    if (frozen(s, NULL) || (m != TW_METHOD_NEWTON && m != TW_METHOD_TATONNEMENT)) return TW_EARG;
    s->method = m;
    return TW_OK;
}

tw_status tw_sweep_set_deficits(tw_sweep *s, tw_deficits d)
{
    if (frozen(s, NULL) || (d != TW_DEFICITS_KEEP && d != TW_DEFICITS_PURGE)) return TW_EARG;
    s->deficits = d;
    return TW_OK;
}

tw_status tw_sweep_set_warm(tw_sweep *s, int warm)
{
    if (frozen(s, NULL)) return TW_EARG;
    s->warm = warm != 0;
    return TW_OK;
}

/* ---- variants ------------------------------------------------------------ */

tw_status tw_sweep_set_draws(tw_sweep *s, size_t k, uint64_t seed, double sigma, tw_error *err)
{
    tw_status st = frozen(s, err);
    if (st) return st;
    if (s->kind == SW_SETS)
        return tw_error_set(err, TW_EARG, NULL, 0, 0,
                            "elasticity draws and elasticity sets cannot be combined");
    if (k < 1 || k > TW_SWEEP_MAX_DRAWS)
        return tw_error_set(err, TW_EARG, NULL, 0, 0, "%zu draws (expected 1 to %d)", k,
                            TW_SWEEP_MAX_DRAWS);
    if (!isfinite(sigma) || sigma < 0)
        return tw_error_set(err, TW_EARG, NULL, 0, 0, "sigma %g is not a finite number >= 0",
                            sigma);
    s->kind = SW_DRAWS;
    s->n_draws = k;
    s->seed = seed;
    s->sigma = sigma;
    return TW_OK;
}

tw_status tw_sweep_add_theta_set(tw_sweep *s, const char *name, const double *theta,
                                 tw_error *err)
{
    tw_status st = frozen(s, err);
    if (st) return st;
    if (s->kind == SW_DRAWS)
        return tw_error_set(err, TW_EARG, NULL, 0, 0,
                            "elasticity draws and elasticity sets cannot be combined");
    if (!name || !*name || !theta)
        return tw_error_set(err, TW_EARG, NULL, 0, 0, "an elasticity set needs a name and values");
    for (size_t j = 0; j < s->J; j++)
        if (!isfinite(theta[j]) || !(theta[j] > 0))
            return tw_error_set(err, TW_EINPUT, NULL, 0, 0,
                                "set \"%s\": theta %g for sector %s is not a number > 0", name,
                                theta[j], tw_world_sector_code(s->w, j));
    size_t n = s->n_draws + 1;
    char *copy = strdup(name);
    char **names = copy ? realloc(s->set_name, n * sizeof *names) : NULL;
    if (names) s->set_name = names;
    double *th = names ? realloc(s->set_theta, n * s->J * sizeof *th + 1) : NULL;
    if (th) s->set_theta = th;
    if (!th) {
        free(copy);
        return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory for elasticity sets");
    }
    memcpy(s->set_theta + s->n_draws * s->J, theta, s->J * sizeof *theta);
    s->set_name[s->n_draws] = copy;
    s->n_draws = n;
    s->kind = SW_SETS;
    return TW_OK;
}

void tw_sweep_variant_theta(const tw_sweep *s, size_t v, double *theta)
{
    if (v == 0 || s->kind == SW_NONE) {
        for (size_t j = 0; j < s->J; j++) theta[j] = tw_world_sector_theta(s->w, j);
    } else if (s->kind == SW_DRAWS) {
        tw_theta_draw(s->w, s->seed, s->sigma, v - 1, theta);
    } else {
        memcpy(theta, s->set_theta + (v - 1) * s->J, s->J * sizeof *theta);
    }
}

size_t tw_sweep_n_variants(const tw_sweep *s) { return s ? 1 + s->n_draws : 0; }

const char *tw_sweep_variant_label(const tw_sweep *s, size_t v)
{
    if (!s || v > s->n_draws) return NULL;
    if (v == 0) return "world";
    return s->kind == SW_DRAWS ? "lognormal" : s->set_name[v - 1];
}

long tw_sweep_variant_draw(const tw_sweep *s, size_t v) { return v == 0 ? -1 : (long)v - 1; }

/* ---- Nash --------------------------------------------------------------- */

tw_status tw_sweep_set_nash(tw_sweep *s, const size_t *players, size_t n, tw_error *err)
{
    tw_status st = frozen(s, err);
    if (st) return st;
    if (n < 2) return tw_error_set(err, TW_EARG, NULL, 0, 0, "a Nash war needs at least 2 players");
    for (size_t k = 0; k < n; k++) {
        if (players[k] >= s->N)
            return tw_error_set(err, TW_EARG, NULL, 0, 0, "player %zu is not a country", players[k]);
        for (size_t q = 0; q < k; q++)
            if (players[q] == players[k])
                return tw_error_set(err, TW_EARG, NULL, 0, 0, "player %s is named twice",
                                    tw_world_country_code(s->w, players[k]));
    }
    size_t *p = malloc(n * sizeof *p);
    if (!p) return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    memcpy(p, players, n * sizeof *p);
    free(s->players);
    s->players = p;
    s->n_players = n;
    return TW_OK;
}

int tw_sweep_is_nash(const tw_sweep *s) { return s && s->n_players > 0; }

/* game.c - the game handle, instrument maps and the welfare evaluations every
 * search is built on.
 *
 * Each evaluation solves the full equilibrium (docs/model.md) warm-started
 * from the previous one; gradients come from that equilibrium by the
 * implicit function theorem (src/solve/adjoint.c): one adjoint linear solve
 * with implicit derivatives at the equilibrium, never a solve per
 * parameter.  The 1-D searches that still difference W over solves
 * (optimal.c) rely on the game's default tolerance of 1e-12. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "game_impl.h"
#include "solve/solve_impl.h"
#include "core/index.h"
#include "core/suggest.h"

static const char *const instr_names[] = {"uniform", "partner", "sector", "partner-sector"};

const char *tw_instrument_name(tw_instrument in)
{
    return (unsigned)in < 4 ? instr_names[in] : "unknown";
}

tw_status tw_instrument_parse(const char *name, tw_instrument *out)
{
    int k = tw_keyword_index(name, instr_names, 4);
    if (k < 0) return TW_EARG;
    *out = (tw_instrument)k;
    return TW_OK;
}

tw_game *tw_game_create(const tw_world *w, const tw_shock *start, tw_error *err)
{
    return tw_game_create_with(w, start, NULL, err);
}

tw_game *tw_game_create_with(const tw_world *w, const tw_shock *start, tw_solver *solver, tw_error *err)
{
    tw_game *g = calloc(1, sizeof *g);
    if (!g) {
        tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
        return NULL;
    }
    g->w = w;
    g->N = tw_world_n_countries(w);
    g->J = tw_world_n_sectors(w);
    g->instr = TW_INSTR_UNIFORM;
    g->lo = 0.0;
    g->hi = 5.0;
    g->xtol = 1e-5;
    g->max_rounds = 100;
    g->start = start ? tw_shock_clone(start, err) : tw_shock_create(w, err);
    g->shock = g->start ? tw_shock_clone(g->start, err) : NULL;
    g->work = g->shock ? tw_shock_clone(g->shock, err) : NULL;
    g->borrowed = solver != NULL;
    g->solver = !g->work ? NULL : solver ? solver : tw_solver_create(w, err);
    if (!g->solver) {
        tw_game_free(g);
        return NULL;
    }
    if (!solver) tw_solver_set_tol(g->solver, TW_GAME_TOL_DEFAULT);
    return g;
}

void tw_game_free(tw_game *g)
{
    if (!g) return;
    tw_shock_free(g->start);
    tw_shock_free(g->shock);
    tw_shock_free(g->work);
    if (!g->borrowed) tw_solver_free(g->solver);
    tw_result_free(g->warm);
    free(g->tan_w);
    free(g->tan_P);
    free(g->tan_X);
    free(g->tan0_w);
    free(g->tan0_P);
    free(g->tan0_X);
    free(g);
}

tw_status tw_game_set_instrument(tw_game *g, tw_instrument in)
{
    if ((unsigned)in > TW_INSTR_PARTNER_SECTOR) return TW_EARG;
    g->instr = in;
    return TW_OK;
}

tw_status tw_game_set_bounds(tw_game *g, double lo, double hi)
{
    if (!(lo >= 0 && hi > lo && isfinite(hi))) return TW_EARG;
    g->lo = lo;
    g->hi = hi;
    return TW_OK;
}

tw_status tw_game_set_xtol(tw_game *g, double xtol)
{
    if (!(xtol > 0 && xtol < 1)) return TW_EARG;
    g->xtol = xtol;
    return TW_OK;
}

tw_status tw_game_set_max_rounds(tw_game *g, size_t rounds)
{
    if (rounds < 1) return TW_EARG;
    g->max_rounds = rounds;
    return TW_OK;
}

void tw_game_set_progress(tw_game *g, tw_progress_fn fn, void *ud)
{
    g->progress = fn;
    g->ud = ud;
}

void tw_game_set_stop(tw_game *g, tw_stop_fn fn, void *ud)
{
    g->stop = fn;
    g->stop_ud = ud;
}

/* Whether the caller asked the search to stop: then the game fails with
 * TW_ECANCELED, as a solve that failed would. */
static int stopped(tw_game *g)
{
    if (!g->stop || !g->stop(g->stop_ud)) return 0;
    if (!g->failed) tw_error_set(&g->err, TW_ECANCELED, NULL, 0, 0, "cancelled");
    g->failed = 1;
    return 1;
}

tw_status tw_game_set_tol(tw_game *g, double tol) { return tw_solver_set_tol(g->solver, tol); }
tw_status tw_game_set_method(tw_game *g, tw_method m) { return tw_solver_set_method(g->solver, m); }
tw_status tw_game_set_deficits(tw_game *g, tw_deficits d) { return tw_solver_set_deficits(g->solver, d); }

/* Income-weighted mean of the welfare hats; 1 when no country has income. */
double tw_game_world_welfare_hat(const tw_result *r)
{
    double num = 0, den = 0;
    for (size_t n = 0; n < tw_result_n_countries(r); n++) {
        double I = tw_result_income(r, n, 0);
        num += I * tw_result_welfare_hat(r, n);
        den += I;
    }
    return den > 0 ? num / den : 1.0;
}

tw_solver *tw_game_solver(tw_game *g) { return g->solver; }
const tw_shock *tw_game_shock(const tw_game *g) { return g->shock; }

void game_say(tw_game *g, const char *fmt, ...)
{
    if (!g->progress) return;
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    g->progress(g->ud, buf);
}

tw_status imap_build(const tw_game *g, size_t n, const unsigned char *partners, tw_instrument in,
                     tw_imap *m, tw_error *err)
{
    size_t N = g->N, J = g->J;
    memset(m, 0, sizeof *m);
    m->n = n;
    size_t np = 0, nt = 0;
    for (size_t i = 0; i < N; i++) np += i != n && (!partners || partners[i]);
    for (size_t j = 0; j < J; j++) nt += tw_world_sector_tradable(g->w, j) != 0;
    if (np == 0 || nt == 0)
        return tw_error_set(err, TW_EINPUT, NULL, 0, 0, "%s has no partner or no tradable sector to set tariffs on",
                            tw_world_country_code(g->w, n));
    m->cell = malloc(np * nt * sizeof *m->cell);
    m->param = malloc(np * nt * sizeof *m->param);
    if (!m->cell || !m->param) {
        imap_free(m);
        return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    }
    size_t pi = 0;
    for (size_t i = 0; i < N; i++) {
        if (i == n || (partners && !partners[i])) continue;
        size_t ji = 0;
        for (size_t j = 0; j < J; j++) {
            if (!tw_world_sector_tradable(g->w, j)) continue;
            m->cell[m->n_cells] = tw_ix_nij(N, J, n, i, j);
            m->param[m->n_cells] = in == TW_INSTR_UNIFORM ? 0 : in == TW_INSTR_PARTNER ? pi
                                 : in == TW_INSTR_SECTOR ? ji : pi * nt + ji;
            m->n_cells++;
            ji++;
        }
        pi++;
    }
    m->n_params = in == TW_INSTR_UNIFORM ? 1 : in == TW_INSTR_PARTNER ? np
                : in == TW_INSTR_SECTOR ? nt : np * nt;
    return TW_OK;
}

void imap_free(tw_imap *m)
{
    free(m->cell);
    free(m->param);
    memset(m, 0, sizeof *m);
}

void imap_apply(const tw_imap *m, const double *x, tw_shock *s)
{
    double *tau = tw_shock_tariffs_mut(s);
    for (size_t k = 0; k < m->n_cells; k++) tau[m->cell[k]] = x[m->param[k]];
}

void imap_read(const tw_game *g, const tw_imap *m, const tw_shock *s, double *x)
{
    const double *t = tw_world_trade(g->w);
    double *wsum = calloc(m->n_params, sizeof *wsum);
    for (size_t p = 0; p < m->n_params; p++) x[p] = 0;
    for (size_t k = 0; k < m->n_cells; k++) {
        double wt = t[m->cell[k]] + 1e-300; /* cells without trade count, barely */
        x[m->param[k]] += wt * s->tau[m->cell[k]];
        if (wsum) wsum[m->param[k]] += wt;
    }
    for (size_t p = 0; p < m->n_params; p++) x[p] = wsum && wsum[p] > 0 ? x[p] / wsum[p] : 0.0;
    free(wsum);
}

tw_result *game_solve(tw_game *g, const tw_shock *s)
{
    if (stopped(g)) return NULL;
    tw_error e;
    tw_result *r = tw_solver_run_from(g->solver, s, g->warm, &e);
    g->n_solves++;
    g->tan_ok = 0; /* warm is about to change */
    if (!r) {
        if (!g->failed) g->err = e;
        g->failed = 1;
        return NULL;
    }
    /* keep a copy as the next warm start */
    tw_result *keep = result_clone(r);
    if (keep) {
        tw_result_free(g->warm);
        g->warm = keep;
    }
    return r;
}

/* game_solve without the copy: the game keeps r itself as its next warm
 * start and the caller borrows it (valid until the next solve). */
static tw_result *solve_keep(tw_game *g, const tw_shock *s)
{
    if (stopped(g)) return NULL;
    tw_error e;
    tw_result *r = tw_solver_run_from(g->solver, s, g->warm, &e);
    g->n_solves++;
    g->tan_ok = 0;
    if (!r) {
        if (!g->failed) g->err = e;
        g->failed = 1;
        return NULL;
    }
    tw_result_free(g->warm);
    g->warm = r;
    return r;
}

tw_result *tw_game_solve_with(tw_game *g, const tw_shock *shock, tw_error *err)
{
    g->failed = 0;
    tw_result *r = game_solve(g, shock ? shock : g->shock);
    if (!r && err) *err = g->err;
    return r;
}

/* Put the parameters x (maps[0]'s, then maps[1]'s, ...) into g->work over
 * the tariffs of s; the directions of the same parameters into d (its
 * arrays, allocated here, go to the caller; NULL d: none). */
static tw_status apply_maps(tw_game *g, const tw_imap *maps, size_t n_maps, const double *x,
                            const tw_shock *s, tw_solver_dirs *d, size_t **buf)
{
    tw_shock_copy_from(g->work, s);
    size_t off = 0, cells = 0;
    for (size_t k = 0; k < n_maps; k++) {
        imap_apply(&maps[k], x + off, g->work);
        off += maps[k].n_params;
        cells += maps[k].n_cells;
    }
    if (!d) return TW_OK;
    *buf = malloc(2 * (cells ? cells : 1) * sizeof **buf);
    if (!*buf) return tw_error_set(&g->err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    size_t *cell = *buf, *param = *buf + cells, q = 0;
    off = 0;
    for (size_t k = 0; k < n_maps; k++) {
        for (size_t c = 0; c < maps[k].n_cells; c++, q++) {
            cell[q] = maps[k].cell[c];
            param[q] = off + maps[k].param[c];
        }
        off += maps[k].n_params;
    }
    *d = (tw_solver_dirs){.n_cells = cells, .n_params = off, .cell = cell, .param = param};
    return TW_OK;
}

int game_welfare_many(tw_game *g, const tw_imap *maps, size_t n_maps, const double *x, size_t K,
                      const double *omega, double *f, double *grad, const tw_shock *s)
{
    tw_solver_dirs d;
    size_t *buf = NULL;
    if (apply_maps(g, maps, n_maps, x, s, grad ? &d : NULL, &buf)) {
        g->failed = 1;
        return -1;
    }
    tw_result *r = game_solve(g, g->work);
    tw_status st = r ? TW_OK : TW_ENOCONV;
    if (r && grad) {
        /* one gradient counts as one solve (docs/game.md) */
        g->n_solves++;
        tw_error e;
        st = solver_welfare_gradient(g->solver, g->work, r, K, omega, &d, NULL, grad, &e);
        if (st && !g->failed) g->err = e;
        if (st) g->failed = 1;
    }
    for (size_t k = 0; r && k < K; k++) {
        f[k] = 0;
        for (size_t n = 0; n < g->N; n++) f[k] += omega[k * g->N + n] * tw_result_welfare_hat(r, n);
    }
    tw_result_free(r);
    free(buf);
    return st ? -1 : 0;
}

double game_welfare_weighted(tw_game *g, const tw_imap *maps, size_t n_maps, const double *x,
                             const size_t *who, const double *weights, size_t P, double *grad,
                             const tw_shock *s)
{
    double *omega = calloc(g->N, sizeof *omega);
    if (!omega) {
        if (!g->failed) tw_error_set(&g->err, TW_ENOMEM, NULL, 0, 0, "out of memory");
        g->failed = 1;
        return NAN;
    }
    for (size_t k = 0; k < P; k++) omega[who[k]] += weights[k];
    double f = NAN;
    int rc = game_welfare_many(g, maps, n_maps, x, 1, omega, &f, grad, s);
    free(omega);
    return rc ? NAN : f;
}

double game_welfare(tw_game *g, const tw_imap *m, const double *x, double *grad,
                    const tw_shock *s)
{
    const double one = 1.0;
    return game_welfare_weighted(g, m, 1, x, &m->n, &one, 1, grad, s);
}

/* Move the warm start (the equilibrium where the cell g->tan_cell had the
 * tariff g->tan_t) to where it has t along the tangent: log-linear in
 * wages, prices and spending (spending stays positive), and quadratic when
 * the derivative before was on the same cell with nothing else moved (the
 * next points of one search), the second derivative then the difference of
 * the two tangents. */
static void warm_ahead(tw_game *g, double t)
{
    tw_result *r = g->warm;
    double dt = t - g->tan_t, h = g->tan_t - g->tan0_t;
    size_t N = g->N, nj = N * g->J;
    /* (the tangent before is read only when it counts) */
    const double *w0 = g->tan_w, *P0 = g->tan_P, *X0 = g->tan_X;
    double c = 0.0;
    if (g->tan0_ok && h != 0) {
        c = 0.5 * dt * dt / h;
        w0 = g->tan0_w;
        P0 = g->tan0_P;
        X0 = g->tan0_X;
    }
    for (size_t n = 0; n < N; n++)
        r->w_hat[n] *= exp(g->tan_w[n] * dt + c * (g->tan_w[n] - w0[n]));
    for (size_t k = 0; k < nj; k++) {
        r->P_hat[k] *= exp(g->tan_P[k] * dt + c * (g->tan_P[k] - P0[k]));
        r->X[k] *= exp(g->tan_X[k] * dt + c * (g->tan_X[k] - X0[k]));
    }
}

/* The tangent at r (d ln w_hat, d ln P_hat, d X') made the game's, d X' as
 * d ln X' (0 where there is no spending); the one before (tan0) counts when
 * it was on the same path: the same cell, no other tariff moved since. */
static void keep_tangent(tw_game *g, const tw_result *r, size_t cell, double t, int same_path)
{
    size_t nj = g->N * g->J;
    for (size_t k = 0; k < nj; k++) g->tan_X[k] = r->X[k] > 0 ? g->tan_X[k] / r->X[k] : 0.0;
    g->tan0_ok = same_path && g->tan0_t != t;
    g->tan_ok = 1;
    g->tan_cell = cell;
    g->tan_t = t;
}

double game_welfare_slope(tw_game *g, const tw_imap *m, double t, double *slope,
                          const tw_shock *s)
{
    size_t nj = g->N * g->J;
    if (!g->tan_w) {
        g->tan_w = malloc(g->N * sizeof(double));
        g->tan_P = malloc(nj * sizeof(double));
        g->tan_X = malloc(nj * sizeof(double));
        g->tan0_w = malloc(g->N * sizeof(double));
        g->tan0_P = malloc(nj * sizeof(double));
        g->tan0_X = malloc(nj * sizeof(double));
    }
    tw_solver_dirs d;
    size_t *buf = NULL;
    if (!g->tan_w || !g->tan_P || !g->tan_X || !g->tan0_w || !g->tan0_P || !g->tan0_X ||
        apply_maps(g, m, 1, &t, s, &d, &buf)) {
        if (!g->failed) tw_error_set(&g->err, TW_ENOMEM, NULL, 0, 0, "out of memory");
        g->failed = 1;
        return NAN;
    }
    /* the last derivative's map may be this one (the next point of a search)
     * or the player who moved last (its answer was not solved); only in the
     * first case is the tangent before it on the same path */
    int same_path = 0;
    if (g->tan_ok && g->warm) {
        same_path = g->tan_cell == m->cell[0];
        warm_ahead(g, tw_shock_tariffs(g->work)[g->tan_cell]);
        /* the current tangent becomes the one before */
        double *sw[3][2] = {{g->tan_w, g->tan0_w}, {g->tan_P, g->tan0_P}, {g->tan_X, g->tan0_X}};
        g->tan_w = sw[0][1]; g->tan0_w = sw[0][0];
        g->tan_P = sw[1][1]; g->tan0_P = sw[1][0];
        g->tan_X = sw[2][1]; g->tan0_X = sw[2][0];
        g->tan0_t = g->tan_t;
    }
    tw_result *r = solve_keep(g, g->work); /* (tan_ok now 0) */
    double f = NAN;
    /* one derivative counts as one solve (docs/game.md), and the stop
     * function is asked before it as before a solve */
    if (r && !stopped(g)) {
        g->n_solves++;
        double *omega = calloc(g->N + 1, sizeof *omega);
        tw_solver_tangent tan = {g->tan_w, g->tan_P, g->tan_X};
        tw_error e;
        tw_status st = TW_ENOMEM;
        if (omega) {
            omega[m->n] = 1.0;
            st = solver_welfare_direction(g->solver, g->work, r, 1, omega, &d, &f, slope, &tan, &e);
        } else {
            tw_error_set(&e, TW_ENOMEM, NULL, 0, 0, "out of memory");
        }
        if (st) {
            if (!g->failed) g->err = e;
            g->failed = 1;
            f = NAN;
        } else {
            keep_tangent(g, r, m->cell[0], t, same_path);
        }
        free(omega);
    }
    free(buf);
    return f;
}

double game_projected_gradient(const tw_game *g, const double *x, const double *gr, size_t n)
{
    double m = 0;
    for (size_t k = 0; k < n; k++) {
        double v = gr[k];
        if (x[k] <= g->lo + 1e-12 && v < 0) v = 0;
        if (x[k] >= g->hi - 1e-12 && v > 0) v = 0;
        m = fmax(m, fabs(v));
    }
    return m;
}

tw_outcome *outcome_new(size_t n_players, tw_error *err)
{
    tw_outcome *o = calloc(1, sizeof *o);
    if (o) {
        o->n_players = n_players;
        o->player = calloc(n_players, sizeof *o->player);
        o->n_params = calloc(n_players, sizeof *o->n_params);
        o->params = calloc(n_players, sizeof *o->params);
        o->rounds = 1;
    }
    if (!o || !o->player || !o->n_params || !o->params) {
        tw_outcome_free(o);
        tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
        return NULL;
    }
    return o;
}

void tw_outcome_free(tw_outcome *o)
{
    if (!o) return;
    tw_result_free(o->r);
    tw_shock_free(o->shock);
    for (size_t k = 0; k < o->n_players; k++) free(o->params ? o->params[k] : NULL);
    free(o->player);
    free(o->n_params);
    free(o->params);
    free(o);
}

const tw_result *tw_outcome_result(const tw_outcome *o) { return o->r; }
const tw_shock *tw_outcome_shock(const tw_outcome *o) { return o->shock; }
size_t tw_outcome_n_players(const tw_outcome *o) { return o->n_players; }
size_t tw_outcome_player(const tw_outcome *o, size_t k) { return o->player[k]; }
size_t tw_outcome_n_params(const tw_outcome *o, size_t k) { return o->n_params[k]; }
const double *tw_outcome_params(const tw_outcome *o, size_t k) { return o->params[k]; }
size_t tw_outcome_rounds(const tw_outcome *o) { return o->rounds; }
size_t tw_outcome_solves(const tw_outcome *o) { return o->solves; }
double tw_outcome_residual(const tw_outcome *o) { return o->residual; }

void tw_instrument_describe(const tw_world *w, size_t n, const unsigned char *partners,
                            tw_instrument in, size_t p, char *buf, size_t size)
{
    size_t N = tw_world_n_countries(w), J = tw_world_n_sectors(w), nt = 0;
    for (size_t j = 0; j < J; j++) nt += tw_world_sector_tradable(w, j) != 0;
    if (!buf || size == 0 || nt == 0) return;
    int by_partner = in == TW_INSTR_PARTNER || in == TW_INSTR_PARTNER_SECTOR;
    int by_sector = in == TW_INSTR_SECTOR || in == TW_INSTR_PARTNER_SECTOR;
    size_t want_p = in == TW_INSTR_PARTNER ? p : in == TW_INSTR_PARTNER_SECTOR ? p / nt : 0;
    size_t want_s = in == TW_INSTR_SECTOR ? p : in == TW_INSTR_PARTNER_SECTOR ? p % nt : 0;
    char pc[128] = "all partners";
    const char *sc = "all goods";
    if (by_partner || partners) {
        pc[0] = '\0';
        for (size_t i = 0, k = 0; i < N; i++) {
            if (i == n || (partners && !partners[i])) continue;
            if (!by_partner || k == want_p) {
                size_t len = strlen(pc);
                snprintf(pc + len, sizeof pc - len, "%s%s", len ? "," : "", tw_world_country_code(w, i));
            }
            k++;
        }
    }
    if (by_sector)
        for (size_t j = 0, k = 0; j < J; j++)
            if (tw_world_sector_tradable(w, j) && k++ == want_s) sc = tw_world_sector_code(w, j);
    snprintf(buf, size, "%s, %s", pc, sc);
}

/* game_impl.h - layouts of tw_game and tw_outcome, and the instrument map
 * shared by the search files of src/game (private). */
#ifndef TW_GAME_IMPL_H
#define TW_GAME_IMPL_H

#include "tradewar/game.h"
#include "shock/shock_impl.h"
#include "solve/solve_impl.h"

struct tw_game {
    const tw_world *w;
    size_t N, J;
    tw_shock *start;          /* the tariffs the game started from */
    tw_shock *shock;          /* current tariffs of the game */
    tw_shock *work;           /* scratch shock for evaluations */
    tw_solver *solver;
    int borrowed;             /* solver is the caller's (tw_game_create_with) */
    tw_instrument instr;
    double lo, hi, xtol;
    size_t max_rounds;
    tw_progress_fn progress;
    void *ud;
    tw_stop_fn stop;          /* asked before every solve (tw_game_set_stop) */
    void *stop_ud;
    tw_result *warm;          /* last equilibrium: the next solve starts there */
    /* the tangent of warm along the last 1-D derivative (game_welfare_slope),
     * valid (tan_ok) while warm is that derivative's equilibrium, where the
     * map's cells (tan_cell one of them) were at tan_t: the next 1-D point
     * starts from warm moved along it to that cell's new tariff */
    double *tan_w, *tan_P, *tan_X; /* d ln w_hat, d ln P_hat, d ln X' */
    int tan_ok;
    size_t tan_cell;
    double tan_t;
    /* the tangent before, on the same path when tan0_ok (warm_ahead) */
    double *tan0_w, *tan0_P, *tan0_X;
    int tan0_ok;
    double tan0_t;
    double curv;              /* W'' where the last one-value best response
                               * ended (0: none), a first guess for the next */
    size_t n_solves;
    tw_error err;             /* first failure inside an optimiser callback */
    int failed;
};

/* The cells one player's instrument sets, and which parameter sets each. */
typedef struct tw_imap {
    size_t n;                 /* importer */
    size_t n_cells, n_params;
    size_t *cell;             /* flat [n][i][j] index */
    size_t *param;            /* parameter of each cell */
    double curv;              /* one parameter: W'' where its last best response
                               * ended (0: none yet), the next one's first model */
} tw_imap;

struct tw_outcome {
    tw_result *r;
    tw_shock *shock;
    size_t n_players;
    size_t *player;
    size_t *n_params;
    double **params;
    size_t rounds, solves;
    double residual;
};

tw_status imap_build(const tw_game *g, size_t n, const unsigned char *partners,
                     tw_instrument in, tw_imap *m, tw_error *err);
void imap_free(tw_imap *m);
/* Set the cells of m in shock s to the parameters x. */
void imap_apply(const tw_imap *m, const double *x, tw_shock *s);
/* Trade-weighted current level of each parameter's cells in s (baseline flows). */
void imap_read(const tw_game *g, const tw_imap *m, const tw_shock *s, double *x);

/* Solve the equilibrium of shock s, warm-started from the game's last one;
 * returns a new result (the game keeps a copy as its next warm start) or NULL
 * with g->err set. */
tw_result *game_solve(tw_game *g, const tw_shock *s);
/* W_hat of importer n at the tariffs of s with m's cells set to x; its
 * gradient into grad when grad is not NULL (game_welfare_weighted).  NaN on
 * failure. */
double game_welfare(tw_game *g, const tw_imap *m, const double *x, double *grad,
                    const tw_shock *s);
/* Σ_k weights[k]·W_hat(who[k]) at the tariffs of s with maps[j]'s cells set to their part of x (x is the concatenation of maps[0..n_maps-1]'s parameters); its gradient into grad (length Σ n_params) when grad is not NULL. NaN on failure (g->err set).
 * One solve; the gradient comes from the implicit function theorem
 * (solver_welfare_gradient) and counts as one more solve. */
double game_welfare_weighted(tw_game *g, const tw_imap *maps, size_t n_maps, const double *x,
                             const size_t *who, const double *weights, size_t P, double *grad,
                             const tw_shock *s);
/* K objectives at once, as game_welfare_weighted: objective k is
 * sum_n omega[k*N + n] W_hat_n, its value into f[k] and, when grad is not
 * NULL, its gradient into grad[k * sum n_params + p].  0, or -1 with g->err
 * set. */
int game_welfare_many(tw_game *g, const tw_imap *maps, size_t n_maps, const double *x, size_t K,
                      const double *omega, double *f, double *grad, const tw_shock *s);

/* W_hat of importer m->n at the tariffs of s with m's one parameter at t,
 * and its derivative in *slope by the implicit function theorem in forward
 * mode (solver_welfare_direction): one solve and one derivative, counted as
 * two solves, as a gradient.  The solve starts from the last equilibrium
 * moved along its tangent when that is the last call's of the same map.
 * NaN on failure (g->err set). */
double game_welfare_slope(tw_game *g, const tw_imap *m, double t, double *slope,
                          const tw_shock *s);

/* Largest component of the gradient gr at x (n values) that could still
 * move x inside the game's bounds [lo, hi]: the optimality measure of the
 * bound-constrained searches (optimal.c, cooperate.c). */
double game_projected_gradient(const tw_game *g, const double *x, const double *gr, size_t n);

tw_outcome *outcome_new(size_t n_players, tw_error *err);
/* The check tw_game_frontier makes (talks.c): no frontier point (rows 0..K-1
 * of W, welfare hats of the P players, with their weights) is dominated by
 * another row of W (row K: the bargain, when with_bargain is set), i.e. at
 * least as good for every player and better by more than TW_FRONTIER_TOL for
 * one.  TW_ENOCONV naming the first dominated point (field "frontier"). */
tw_status frontier_check(const tw_world *w, const size_t *players, size_t P, const double *weights,
                         const double *W, size_t K, int with_bargain, tw_error *err);
void game_say(tw_game *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif

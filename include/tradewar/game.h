/* tradewar/game.h - the game layer (docs/model.md): best-response
 * tariffs, Nash trade wars, trade talks, concessions and escalation paths.
 *
 * A government's objective is its exact welfare W_hat (real income).  An
 * instrument sets the LEVEL of the importer's tariffs on the covered partners'
 * goods in tradable sectors, replacing what was there:
 *   uniform         one rate for all covered cells
 *   partner         one rate per partner
 *   sector          one rate per tradable sector
 *   partner-sector  one rate per (partner, tradable sector)
 * A tw_game owns a solver and is used by one thread at a time; the world may
 * be shared.  Every search reports whether it converged; an equilibrium that
 * did not converge is an error (TW_ENOCONV), never a number. */
#ifndef TRADEWAR_GAME_H
#define TRADEWAR_GAME_H

#include <stddef.h>
#include "tradewar/export.h"
#include "tradewar/error.h"
#include "tradewar/policy.h"
#include "tradewar/solve.h"
#include "tradewar/world.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum tw_instrument {
    TW_INSTR_UNIFORM = 0,
    TW_INSTR_PARTNER,
    TW_INSTR_SECTOR,
    TW_INSTR_PARTNER_SECTOR
} tw_instrument;

TW_API const char *tw_instrument_name(tw_instrument in);
/* Which cells instrument value p of importer n covers, for people: "CHN, ELEC",
 * "CHN,MEX, all goods", "all partners, all goods" (partners: N flags or NULL
 * for all).  Writes at most size bytes to buf. */
TW_API void tw_instrument_describe(const tw_world *w, size_t n, const unsigned char *partners,
                                   tw_instrument in, size_t p, char *buf, size_t size);
TW_API tw_status tw_instrument_parse(const char *name, tw_instrument *out);

typedef struct tw_game tw_game;

/* Progress callback for long searches (called from the calling thread). */
typedef void (*tw_progress_fn)(void *ud, const char *line);

/* A game on w starting from the tariffs of start (NULL = baseline).  The
 * shock is copied.  Solves use tolerance 1e-12 by default. */
TW_API tw_game *tw_game_create(const tw_world *w, const tw_shock *start, tw_error *err);
TW_API void tw_game_free(tw_game *g);
TW_API tw_status tw_game_set_instrument(tw_game *g, tw_instrument in);
/* Bounds on tariff levels chosen by instruments (default [0, 5], i.e. up to
 * 500 %). */
TW_API tw_status tw_game_set_bounds(tw_game *g, double lo, double hi);
/* Convergence of searches on tariffs (absolute, default 1e-5 = 0.001 pp). */
TW_API tw_status tw_game_set_xtol(tw_game *g, double xtol);
TW_API tw_status tw_game_set_max_rounds(tw_game *g, size_t rounds);
TW_API void tw_game_set_progress(tw_game *g, tw_progress_fn fn, void *ud);
TW_API tw_solver *tw_game_solver(tw_game *g);

/* The current tariffs of the game (start, changed by applied best responses). */
TW_API const tw_shock *tw_game_shock(const tw_game *g);

/* Outcome of a search: the tariffs chosen and the equilibrium they give. */
typedef struct tw_outcome tw_outcome;
TW_API void tw_outcome_free(tw_outcome *o);
TW_API const tw_result *tw_outcome_result(const tw_outcome *o);
TW_API const tw_shock *tw_outcome_shock(const tw_outcome *o);
/* Number of players and the importer index of player k. */
TW_API size_t tw_outcome_n_players(const tw_outcome *o);
TW_API size_t tw_outcome_player(const tw_outcome *o, size_t k);
/* The instrument values of player k (tw_outcome_n_params of them, in the order
 * partner-major, sector-minor, over the covered partners and tradable sectors). */
TW_API size_t tw_outcome_n_params(const tw_outcome *o, size_t k);
TW_API const double *tw_outcome_params(const tw_outcome *o, size_t k);
TW_API size_t tw_outcome_rounds(const tw_outcome *o);      /* Nash rounds; 1 otherwise */
TW_API size_t tw_outcome_solves(const tw_outcome *o);      /* equilibria solved */
TW_API double tw_outcome_residual(const tw_outcome *o);    /* largest tariff change in the last round */

/* Best response of importer n against the partners in mask (N flags; NULL = all
 * others): the instrument values that maximise n's W_hat given everyone
 * else's current tariffs.  The game's tariffs are not changed. */
TW_API tw_outcome *tw_game_best_response(tw_game *g, size_t n, const unsigned char *partners,
                                         tw_error *err);

/* Nash equilibrium among the players (indices, n_players >= 1): each player's
 * instrument covers its tariffs on the other players (all other countries when
 * all_partners is set); best responses are iterated (Gauss-Seidel, in the
 * order given) until no tariff moves by more than xtol in a round. */
TW_API tw_outcome *tw_game_nash(tw_game *g, const size_t *players, size_t n_players,
                                int all_partners, tw_error *err);

/* Trade talks among the players with uniform tariffs on each other: the Nash
 * bargaining solution over the threat point (welfare hats threat[k]), i.e. the
 * tariffs maximising prod_k (W_k - threat_k) subject to W_k >= threat_k.
 * bonus[k] (may be NULL) is added to player k's welfare (side payments, in
 * welfare-hat units).  TW_ENOCONV when no tariff vector beats the threat point. */
TW_API tw_outcome *tw_game_bargain(tw_game *g, const size_t *players, size_t n_players,
                                   const double *threat, const double *bonus, tw_error *err);
/* Points of the efficient frontier: for each of n_points weight vectors
 * (weights[q * n_players + k] >= 0, not all 0), the tariffs maximising
 * sum_k weight_k W_k subject to W_k > threat_k (by at least 1e-11).  A
 * weighted sum reaches only the points of the utility possibility set that
 * lie on its convex hull; several weights may give the same point.  Each
 * weight is searched from the bargain (bargain: an outcome of
 * tw_game_bargain with the same players, or NULL), from the previous weight's
 * point and from the current tariffs, and keeps the best point any search (or
 * the bargain) found: so a player's welfare never falls as its weight rises.
 * points[q] gets an outcome each (caller frees).  Then no point may be
 * dominated by another point or by the bargain: at least as good for every
 * player and better by more than TW_FRONTIER_TOL for one.  If one is, or a
 * weight's own searches did not converge, it returns TW_ENOCONV with err
 * saying which (field "frontier") and the points still filled in; on any other
 * error every points[q] is NULL. */
#define TW_FRONTIER_TOL 1e-9
TW_API tw_status tw_game_frontier(tw_game *g, const size_t *players, size_t n_players,
                                  const double *threat, const double *weights, size_t n_points,
                                  const tw_outcome *bargain, tw_outcome **points, tw_error *err);
/* One point of the frontier (tw_game_frontier with one weight vector and no
 * bargain); NULL on any failure. */
TW_API tw_outcome *tw_game_frontier_point(tw_game *g, const size_t *players, size_t n_players,
                                          const double *threat, const double *weight,
                                          tw_error *err);

/* Welfare hats of the equilibrium with the game's tariffs changed by setting
 * importer n's uniform tariff on exporter i to rate (helper for concessions
 * and escalation; the game's tariffs are not changed). */
TW_API tw_result *tw_game_solve_with(tw_game *g, const tw_shock *shock, tw_error *err);

#ifdef __cplusplus
}
#endif
#endif

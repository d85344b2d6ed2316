/* tradewar/game.h - the game layer (docs/game.md): best-response tariffs,
 * Nash tariff wars, efficient (cooperative) tariffs, trade talks and
 * escalation paths.
 *
 * A government's objective is its exact welfare W_hat (real income).  An
 * instrument sets the LEVEL of the importer's tariffs on the covered partners'
 * goods in tradable sectors, replacing what was there:
 *   uniform         one rate for all covered cells
 *   partner         one rate per partner
 *   sector          one rate per tradable sector
 *   partner-sector  one rate per (partner, tradable sector)
 * A tw_game owns a solver and the game's current tariffs; it is used by one
 * thread at a time, and the world (which must outlive it) may be shared.
 * Every evaluation is a full equilibrium solve (tolerance TW_GAME_TOL_DEFAULT
 * unless set).  Every search reports whether it converged: one that did not is
 * an error (TW_ENOCONV), never a number.  Functions returning a pointer return
 * NULL on failure with err (may be NULL) filled in; the caller frees what they
 * return with the matching _free. */
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

/* "uniform", "partner", "sector", "partner-sector" ("unknown" out of range);
 * tw_instrument_parse returns TW_EARG for another name. */
TW_API const char *tw_instrument_name(tw_instrument in);
/* Which cells instrument value p of importer n covers, for people: "CHN, ELEC",
 * "CHN,MEX, all goods", "all partners, all goods" (partners: N flags or NULL
 * for all).  Writes at most size bytes to buf. */
TW_API void tw_instrument_describe(const tw_world *w, size_t n, const unsigned char *partners,
                                   tw_instrument in, size_t p, char *buf, size_t size);
TW_API tw_status tw_instrument_parse(const char *name, tw_instrument *out);

typedef struct tw_game tw_game;

/* Progress callback for long searches (called from the calling thread; line
 * is valid during the call only). */
typedef void (*tw_progress_fn)(void *ud, const char *line);

/* Solves of the game use this tolerance unless tw_game_set_tol says otherwise:
 * tighter than TW_TOL_DEFAULT, so that the one-instrument search's difference
 * quotients over the solver (step 1e-4) are accurate.  Gradients over several
 * instruments come from the equilibrium by the implicit function theorem
 * (docs/game.md, "Gradients"), and one gradient counts as one solve in
 * tw_outcome_solves. */
#define TW_GAME_TOL_DEFAULT 1e-12

/* A game on w starting from the tariffs of start (NULL = baseline); the shock
 * is copied. */
TW_API tw_game *tw_game_create(const tw_world *w, const tw_shock *start, tw_error *err);
/* The same on the caller's solver of w (borrowed: tw_game_free leaves it,
 * and it must outlive the game), e.g. one that already holds the baseline's
 * Jacobian; its options stay as they are (tw_game_set_tol and the like change
 * them), and the game's solves start from the baseline or from the game's own
 * last equilibrium, never from the solver's earlier runs. */
TW_API tw_game *tw_game_create_with(const tw_world *w, const tw_shock *start, tw_solver *solver,
                                    tw_error *err);
TW_API void tw_game_free(tw_game *g);
/* Setters return TW_EARG for a value out of range and then change nothing. */
TW_API tw_status tw_game_set_instrument(tw_game *g, tw_instrument in); /* default uniform */
/* Bounds on tariff levels chosen by instruments (default [0, 5], i.e. up to
 * 500 %). */
TW_API tw_status tw_game_set_bounds(tw_game *g, double lo, double hi);
/* Convergence of searches on tariffs (absolute, default 1e-5 = 0.001 pp). */
TW_API tw_status tw_game_set_xtol(tw_game *g, double xtol);
/* Most rounds of tw_game_nash (>= 1, default 100). */
TW_API tw_status tw_game_set_max_rounds(tw_game *g, size_t rounds);
/* fn (NULL: none) gets a line after each Nash round and each escalation round. */
TW_API void tw_game_set_progress(tw_game *g, tw_progress_fn fn, void *ud);
/* A way to stop a long search from outside: fn (NULL: none) is called with ud
 * before every equilibrium solve of the game, from the game's thread; when it
 * returns nonzero the solve is not made and the search fails with
 * TW_ECANCELED ("cancelled").  fn must be safe to call while another thread
 * asks for the stop (e.g. read an atomic flag). */
typedef int (*tw_stop_fn)(void *ud);
TW_API void tw_game_set_stop(tw_game *g, tw_stop_fn fn, void *ud);
/* Options of the game's solver, as tw_solver_set_tol/_method/_deficits
 * (tradewar/solve.h; TW_EARG for an out-of-range value, which changes
 * nothing): tolerance in [TW_TOL_MIN, TW_TOL_MAX] (default
 * TW_GAME_TOL_DEFAULT), method (default newton), deficit rule (default keep). */
TW_API tw_status tw_game_set_tol(tw_game *g, double tol);
TW_API tw_status tw_game_set_method(tw_game *g, tw_method m);
TW_API tw_status tw_game_set_deficits(tw_game *g, tw_deficits d);
/* The game's solver (borrowed), for options the game has no setter for. */
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
TW_API size_t tw_outcome_solves(const tw_outcome *o);      /* equilibria solved, gradients included */
TW_API double tw_outcome_residual(const tw_outcome *o);    /* largest tariff change in the last round */

/* Best response of importer n against the partners in mask (N flags; NULL = all
 * others): the instrument values that maximise n's W_hat given everyone
 * else's current tariffs.  The game's tariffs are not changed. */
TW_API tw_outcome *tw_game_best_response(tw_game *g, size_t n, const unsigned char *partners,
                                         tw_error *err);

/* Nash equilibrium among the players (indices, n_players >= 1): each player's
 * instrument covers its tariffs on the other players (all other countries when
 * all_partners is set); best responses are iterated (Gauss-Seidel, in the
 * order given) until no tariff moves by more than 10 x xtol in a round; the
 * outcome's params are each player's, its shock all tariffs at the
 * equilibrium.  More than max_rounds rounds is TW_ENOCONV. */
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

/* Efficient (cooperative) tariffs among the players (indices, n_players >= 2,
 * no repeats): the values of each player's instrument (the game's, as in
 * tw_game_nash: its tariffs on the other players) that maximise
 * sum_k weights[k] W_k (weights >= 0, finite, not all 0), everyone else's
 * tariffs as in the game's current tariffs.  at_least (NULL: none) asks for a
 * Pareto improvement: W_k >= at_least[k] for every player (met by at least
 * 1e-11), e.g. the welfare hats at the Nash war or the status quo.  Method
 * (docs/game.md): NLopt's L-BFGS without a floor, SLSQP with one, on the
 * gradients of the players' welfare; from the better of the current
 * tariffs and free trade among the players (one meeting the floors first),
 * and the answer is the best point evaluated that meets the floors, so it is
 * never worse than that start.  A search that stops without meeting its
 * convergence test, or finds no point meeting the floors, is TW_ENOCONV; a
 * stop asked for by the stop function is TW_ECANCELED.  The outcome's params
 * are each player's, its shock all tariffs, its solves every equilibrium
 * solved (gradients included).  The game's tariffs are not changed. */
TW_API tw_outcome *tw_game_cooperate(tw_game *g, const size_t *players, size_t n_players,
                                     const double *weights, const double *at_least, tw_error *err);

/* ---- trade talks from start to end (what `tradewar talks` reports) ---- */

typedef enum tw_threat {
    TW_THREAT_NASH = 0,           /* the Nash war among the players (uniform tariffs) */
    TW_THREAT_STATUS_QUO,         /* the game's current tariffs */
    TW_THREAT_SHOCK               /* the equilibrium of threat_shock */
} tw_threat;

typedef struct tw_talks_opts {
    const size_t *players;        /* importer indices, n_players >= 2 */
    size_t n_players;
    tw_threat threat;
    const tw_shock *threat_shock; /* TW_THREAT_SHOCK: the threat's tariffs */
    int status_quo;               /* also solve the status quo first (always done
                                     with TW_THREAT_STATUS_QUO) */
    int has_concession;           /* a side payment of concession (welfare-hat */
    size_t receiver;              /* units) to player receiver is on the table */
    double concession;
    const tw_shock *deal;         /* a proposed deal to evaluate, or NULL */
    size_t frontier;              /* frontier points (two players only; else none) */
} tw_talks_opts;

/* What the talks found; arrays per player in the order of the options. */
typedef struct tw_talks {
    size_t n_players;
    double *status_quo;           /* welfare hats (0 when not solved) */
    double *threat;               /* welfare hats at the threat point */
    double *bonus;                /* the side payment each player receives */
    tw_outcome *bargain;          /* the Nash bargaining solution */
    tw_outcome *with_concession;  /* the same with bonus added; NULL without */
    tw_result *deal;              /* the deal's equilibrium (bonus not added); NULL without */
    size_t n_frontier;
    double *weights;              /* 2 per point: weight of the first, the second player */
    tw_outcome **frontier;        /* n_frontier points (tw_game_frontier) */
} tw_talks;

/* Trade talks among the players: solves, in this order on g, the status quo
 * (when asked), the threat point, the bargain, the bargain with the
 * concession, the deal and the frontier.  With the Nash threat, g plays the
 * war and the talks go on in a fresh game from g's start tariffs with g's
 * solver options (instrument uniform, bounds [0, 5]).  *out gets the talks
 * (free with tw_talks_free) or NULL on failure; when only the frontier failed
 * its check (TW_ENOCONV, err field "frontier"), *out holds everything,
 * the frontier points included. */
TW_API tw_status tw_game_talks(tw_game *g, const tw_talks_opts *o, tw_talks **out, tw_error *err);
TW_API void tw_talks_free(tw_talks *t);

/* The equilibrium of shock (NULL = the game's current tariffs), solved by the
 * game's solver and warm-started from its last equilibrium; the caller owns
 * the result.  The game's tariffs are not changed. */
TW_API tw_result *tw_game_solve_with(tw_game *g, const tw_shock *shock, tw_error *err);

/* World welfare of r: the baseline-income-weighted mean of the countries'
 * W_hat (sum_n I_n W_hat_n / sum_n I_n); 1 when no country has income. */
TW_API double tw_game_world_welfare_hat(const tw_result *r);

/* ---- escalation: a tit-for-tat path between two players ---- */

typedef enum tw_escalation_rule {
    TW_ESCALATE_MIRROR = 0,       /* A raises by step, B matches A's tariff */
    TW_ESCALATE_PROPORTIONAL,     /* A raises by step, B sets factor x A's tariff */
    TW_ESCALATE_BEST_RESPONSE     /* both best-respond: the path to the Nash war */
} tw_escalation_rule;
/* "mirror", "proportional", "best-response"; TW_EARG for another name. */
TW_API tw_status tw_escalation_rule_parse(const char *name, tw_escalation_rule *out);

typedef struct tw_escalation_opts {
    size_t a, b;                  /* the players (importer indices, a != b) */
    tw_escalation_rule rule;
    size_t max_rounds;            /* >= 1 */
    double step, factor, cap;     /* A's raise per round, B's factor, the cap (> 0) */
} tw_escalation_opts;

/* Why a path stopped. */
typedef enum tw_escalation_stop {
    TW_ESCALATION_ROUND_LIMIT = 0, /* max_rounds rounds were played */
    TW_ESCALATION_CONVERGED,       /* no tariff moved by more than 1e-5 in a round */
    TW_ESCALATION_CAPPED           /* both tariffs reached the cap */
} tw_escalation_stop;
/* "the round limit was reached", "the path converged", "both tariffs reached the cap" */
TW_API const char *tw_escalation_stop_text(tw_escalation_stop s);

/* One round: the uniform tariffs after it (A's on B, B's on A), the players'
 * welfare hats, and the % change of B's and A's exports to the other in
 * tradable goods (before tariffs, from the baseline; 0 without trade). */
typedef struct tw_escalation_round {
    double tariff_a, tariff_b;
    double welfare_a, welfare_b;
    double trade_b_to_a_pct, trade_a_to_b_pct;
} tw_escalation_round;

typedef struct tw_escalation {
    double start_a, start_b;       /* average applied tariffs at the start
                                      (tradable sectors, baseline weights) */
    size_t n_rounds;
    tw_escalation_round *rounds;   /* n_rounds of them */
    tw_escalation_stop stop;
} tw_escalation;

/* The escalation path from the game's current tariffs: each round A moves,
 * then B answers by the rule (tariffs uniform on the other's goods in tradable
 * sectors, at most cap); then the equilibrium is solved.  The game's tariffs
 * end at the last round's.  *path gets the path (free it with
 * tw_escalation_free); when a solve fails midway the status says why and
 * *path still holds the rounds played (NULL only when out of memory or on
 * bad options, TW_EARG). */
TW_API tw_status tw_game_escalate(tw_game *g, const tw_escalation_opts *o, tw_escalation **path,
                                  tw_error *err);
TW_API void tw_escalation_free(tw_escalation *path);

#ifdef __cplusplus
}
#endif
#endif

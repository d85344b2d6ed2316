/* tradewar/solve.h - the equilibrium solver (docs/model.md, eqs. 1-6).
 *
 * A tw_solver holds options, workspaces and caches for one world; it is used by
 * one thread at a time (make one solver per thread; the world may be shared).
 * tw_solver_run() returns a converged result or NULL: an unconverged solve is an
 * error (TW_ENOCONV) whose message carries the iterations and the residual, and
 * tw_solver_last_iterations()/tw_solver_last_residual() say the same.
 *
 * Residuals are relative (docs/model.md): equation 5 divided by the country's
 * baseline value added, equations 1-4 as |x - f(x)| / max(|x|, tiny). */
#ifndef TRADEWAR_SOLVE_H
#define TRADEWAR_SOLVE_H

#include <stddef.h>
#include "tradewar/export.h"
#include "tradewar/error.h"
#include "tradewar/world.h"
#include "tradewar/policy.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum tw_method {
    TW_METHOD_NEWTON = 0,   /* quasi-Newton (Broyden, Jacobian by implicit
                               differentiation, line search) on log wages: the
                               default */
    TW_METHOD_TATONNEMENT   /* the published damped wage adjustment (reference) */
} tw_method;

typedef enum tw_deficits {
    TW_DEFICITS_KEEP = 0,   /* keep each country's deficit in levels (numeraire) */
    TW_DEFICITS_PURGE       /* first solve the baseline with zero deficits and use
                               that equilibrium as the baseline */
} tw_deficits;

#define TW_TOL_DEFAULT 1e-10
/* The tolerances every front end accepts (library, CLI, server).  Below 1e-14
 * the residual is rounding noise; above 1e-4 a wage may be off by more than the
 * welfare changes a tariff moves (often a tenth of a percent). */
#define TW_TOL_MIN 1e-14
#define TW_TOL_MAX 1e-4
#define TW_TOL_RANGE_TEXT "[1e-14, 1e-4]"
#define TW_MAX_ITER_DEFAULT 200
#define TW_TATONNEMENT_MAX_ITER_DEFAULT 5000
#define TW_STEP_DEFAULT 0.2
/* A baseline whose zero shock moves no welfare by more than this is an
 * equilibrium of the model (tw_result_baseline_gap). */
#define TW_BASELINE_GAP_TOL 1e-9

typedef struct tw_solver tw_solver;
typedef struct tw_result tw_result;

/* Name <-> enum ("newton", "tatonnement"; "keep", "purge").  Parsers return
 * TW_EARG for an unknown name. */
TW_API const char *tw_method_name(tw_method m);
TW_API tw_status tw_method_parse(const char *name, tw_method *out);
TW_API const char *tw_deficits_name(tw_deficits d);
TW_API tw_status tw_deficits_parse(const char *name, tw_deficits *out);

/* w must outlive the solver. */
TW_API tw_solver *tw_solver_create(const tw_world *w, tw_error *err);
TW_API void tw_solver_free(tw_solver *s);
/* Setters return TW_EARG for out-of-range values and then change nothing. */
TW_API tw_status tw_solver_set_tol(tw_solver *s, double tol); /* [TW_TOL_MIN, TW_TOL_MAX] */
TW_API double tw_solver_tol(const tw_solver *s);               /* the tolerance set */
TW_API tw_status tw_solver_set_max_iter(tw_solver *s, size_t max_iter); /* >= 1; 0 = default */
TW_API tw_status tw_solver_set_method(tw_solver *s, tw_method m);
TW_API tw_status tw_solver_set_deficits(tw_solver *s, tw_deficits d);
TW_API tw_status tw_solver_set_step(tw_solver *s, double step);        /* tatonnement, (0, 2] */

/* Solve the counterfactual equilibrium for shock (NULL = zero shock).  Returns a
 * result the caller owns, or NULL with err set: TW_ENOCONV when the method did
 * not reach the tolerance, TW_EINPUT when the shock belongs to another world,
 * TW_ENOMEM. */
TW_API tw_result *tw_solver_run(tw_solver *s, const tw_shock *shock, tw_error *err);
/* The same, starting from the equilibrium start (same world and deficit rule;
 * TW_EARG otherwise) instead of the baseline: a warm start for a chain of
 * nearby shocks.  The answer agrees with a cold start to the tolerance. */
TW_API tw_result *tw_solver_run_from(tw_solver *s, const tw_shock *shock,
                                     const tw_result *start, tw_error *err);
TW_API size_t tw_solver_last_iterations(const tw_solver *s);
TW_API double tw_solver_last_residual(const tw_solver *s);

TW_API void tw_result_free(tw_result *r);

/* How the solve went. */
TW_API size_t tw_result_iterations(const tw_result *r);   /* outer iterations */
TW_API size_t tw_result_evaluations(const tw_result *r);  /* model evaluations */
/* Model evaluations this solve spent on the deficit purge (the zero-deficit
 * baseline's Jacobian and solve), not included in tw_result_evaluations: 0
 * with deficits kept, and when the solver had built the purged baseline for
 * an earlier solve. */
TW_API size_t tw_result_evaluations_purge(const tw_result *r);
TW_API double tw_result_residual(const tw_result *r);     /* recomputed, eqs. 1-5 */
TW_API tw_method tw_result_method(const tw_result *r);
TW_API tw_deficits tw_result_deficits(const tw_result *r);
TW_API size_t tw_result_n_countries(const tw_result *r);
TW_API size_t tw_result_n_sectors(const tw_result *r);

/* Per country n, as hats (new / baseline; 1 = no change) or fractions:
 * welfare: exact real income I'/I / prod_j P_hat^alpha (eq. 6);
 * real wage: w_hat / prod_j P_hat^alpha; price index: prod_j P_hat^alpha;
 * tot, vot: the Caliendo-Parro first-order terms as fractions of income. */
TW_API double tw_result_welfare_hat(const tw_result *r, size_t n);
TW_API double tw_result_real_wage_hat(const tw_result *r, size_t n);
TW_API double tw_result_price_index_hat(const tw_result *r, size_t n);
TW_API double tw_result_income_hat(const tw_result *r, size_t n);
TW_API double tw_result_tot(const tw_result *r, size_t n);
TW_API double tw_result_vot(const tw_result *r, size_t n);
/* Levels in the world's units: baseline (after a purge, the purged baseline) and
 * new.  Exports/imports are before tariffs and exclude domestic sales. */
TW_API double tw_result_exports(const tw_result *r, size_t n, int new_level);
TW_API double tw_result_imports(const tw_result *r, size_t n, int new_level);
TW_API double tw_result_tariff_revenue(const tw_result *r, size_t n, int new_level);
TW_API double tw_result_income(const tw_result *r, size_t n, int new_level);

/* ---- effective tariff rates and tariff revenue (docs/model.md §3) ---------
 * The effective tariff rate (ETR) of importer n is the mean applied tariff on
 * its goods imports, weighted by import values before tariffs (the duty base):
 * sum tau M / sum M over the tradable sectors j and the partners i != n.  The
 * three pairs of rates and weights:
 *   TW_ETR_BASE  baseline rates tau, baseline imports M;
 *   TW_ETR_PRE   new rates tau', baseline imports M: the rate before
 *                substitution (the Yale Budget Lab's headline definition);
 *   TW_ETR_POST  new rates tau', new imports M' (valued at the new prices):
 *                the rate after substitution, goods tariff revenue over goods
 *                imports.
 * A fraction (0.25 = 25 %), 0 where the weights sum to 0. */
typedef enum tw_etr {
    TW_ETR_BASE = 0,
    TW_ETR_PRE,
    TW_ETR_POST
} tw_etr;
/* As exporter or sector: every partner i != n, every tradable sector. */
#define TW_ETR_ALL ((size_t)-1)

/* The ETR of importer n on exporter i (or TW_ETR_ALL) in sector j (or
 * TW_ETR_ALL); a non-tradable sector has no goods imports and gives 0. */
TW_API double tw_result_etr(const tw_result *r, tw_etr kind, size_t n, size_t i, size_t j);
/* The same mean for any rates and weights on a world: tariffs[n][i][j]
 * weighted by flows[n][i][j] (before tariffs, [n][i][j] as in trade.csv) over
 * w's tradable sectors.  tw_result_etr is this mean of a result's rates and
 * flows. */
TW_API double tw_tariff_rate(const tw_world *w, const double *tariffs, const double *flows,
                             size_t n, size_t i, size_t j);
/* Tariff revenue as a fraction of GDP, GDP being value added (the wage bill,
 * labour the only factor): R_n / VA_n in the baseline, R'_n / (w_hat_n VA_n)
 * in the new equilibrium. */
TW_API double tw_result_tariff_revenue_gdp(const tw_result *r, size_t n, int new_level);

/* Arrays, borrowed until tw_result_free: w_hat[n], P_hat[n][j], c_hat[n][j],
 * spending X'[n][j] (incl. tariffs), trade flows before tariffs [n][i][j] in
 * the baseline used and in the new equilibrium. */
TW_API const double *tw_result_w_hat(const tw_result *r);
TW_API const double *tw_result_P_hat(const tw_result *r);
TW_API const double *tw_result_c_hat(const tw_result *r);
TW_API const double *tw_result_spending(const tw_result *r);
TW_API const double *tw_result_trade(const tw_result *r, int new_level);
/* The shock solved: applied tariffs tau'[n][i][j] and iceberg changes d_hat. */
TW_API const double *tw_result_tariffs(const tw_result *r);
TW_API const double *tw_result_dhat(const tw_result *r);

/* ---- measures: prices, real GDP, jobs and the cost in money -------------
 * (src/solve/measures.c; formulas in docs/model.md, "Measures").  Each is
 * computed from the solution on demand and returns NAN where the world lacks
 * what it needs; NAN never means zero.
 * producer price: c_hat[n][j], the change in the unit cost of n's producers of
 *   j (the price they charge, before trade costs and tariffs);
 * import price: the exact price index of n's imports of j over foreign
 *   sources, weighted by baseline import shares; landed = 1 includes the
 *   change in the tariff factor, landed = 0 leaves it out (before tariff);
 *   NAN when n imports no j;
 * real GDP: the expenditure-side volume (final demand + exports - imports)
 *   at baseline prices, a Fisher index (GTAP's qgdp);
 * employment: L_hat[n][j] = Y_hat[n][j] / w_hat[n] (labour is the one
 *   factor; total employment is fixed); NAN when n makes no j;
 * ev: (welfare_hat - 1) x baseline final expenditure I[n], in the world's
 *   units; NAN in a world in model units;
 * consumer cost: sum_j C[n][j] (P_hat[n][j] - 1), the change in the cost of
 *   the baseline household basket C (household_consumption.csv); NAN without
 *   that table or in model units;
 * households: the count of households.csv for the data year (NAN without
 *   it), and ev and consumer cost divided by it. */
TW_API double tw_result_producer_price_hat(const tw_result *r, size_t n, size_t j);
TW_API double tw_result_import_price_hat(const tw_result *r, size_t n, size_t j, int landed);
TW_API double tw_result_real_gdp_hat(const tw_result *r, size_t n);
TW_API double tw_result_employment_hat(const tw_result *r, size_t n, size_t j);
TW_API double tw_result_ev(const tw_result *r, size_t n);
TW_API double tw_result_consumer_cost(const tw_result *r, size_t n);
TW_API double tw_result_households(const tw_result *r, size_t n);
TW_API double tw_result_ev_per_household(const tw_result *r, size_t n);
TW_API double tw_result_consumer_cost_per_household(const tw_result *r, size_t n);

/* How far the baseline the result is relative to (after a purge, the purged
 * baseline) is from an equilibrium of the model.  Worlds with supplied
 * final-demand or value-added shares (cp1993) need not be one, and then even a
 * zero shock moves welfare; every change the result reports includes that
 * move.  Returns W_hat - 1 of the country a zero shock moves most, with its
 * index in *country (may be NULL): 0 when no country moves by more than
 * TW_BASELINE_GAP_TOL (derived shares, or --deficits purge), NAN when the
 * zero-shock solve failed.  Found once per solver and deficit rule. */
TW_API double tw_result_baseline_gap(const tw_result *r, size_t *country);

/* Recompute the largest relative residual of equations 1-5 from the returned
 * solution alone (independent of the solver's internal state). */
TW_API double tw_result_check(const tw_result *r);

#ifdef __cplusplus
}
#endif
#endif

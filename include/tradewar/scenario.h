/* tradewar/scenario.h - dated scenarios: parse a scenario file
 * (docs/scenario-format.md) and replay it on a world, solving the equilibrium
 * after every step.
 *
 * A tw_scenario is the parsed file, independent of any world; a tw_timeline
 * is its replay on one world with one set of events.  Both are immutable once
 * built and may be read from several threads. */
#ifndef TRADEWAR_SCENARIO_H
#define TRADEWAR_SCENARIO_H

#include <stddef.h>
#include <stdint.h>
#include "tradewar/export.h"
#include "tradewar/error.h"
#include "tradewar/policy.h"
#include "tradewar/solve.h"
#include "tradewar/world.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tw_scenario tw_scenario;
typedef struct tw_timeline tw_timeline;

/* Parse path.  Syntax errors: TW_EINPUT with file:line:col (file:line for a NUL
 * byte, a line over 1 MiB or a file over 256 MiB); TW_EIO for a missing or
 * unreadable file; TW_ENOMEM. */
TW_API tw_scenario *tw_scenario_load(const char *path, tw_error *err);
/* tw_scenario_load with the file limited to max_bytes instead of
 * TW_INPUT_MAX_BYTES (0 keeps that default; tradewar/limits.h). */
TW_API tw_scenario *tw_scenario_load_limited(const char *path, uint64_t max_bytes,
                                             tw_error *err);
TW_API void tw_scenario_free(tw_scenario *sc);

TW_API const char *tw_scenario_title(const tw_scenario *sc);
/* The `world` statement, or NULL. */
TW_API const char *tw_scenario_world(const tw_scenario *sc);
/* Focus country k (0 or 1). */
TW_API const char *tw_scenario_focus(const tw_scenario *sc, int k);
/* The `mapping` statement resolved against the scenario's folder, or NULL. */
TW_API const char *tw_scenario_mapping(const tw_scenario *sc);
TW_API size_t tw_scenario_n_events(const tw_scenario *sc);
TW_API const char *tw_scenario_event_name(const tw_scenario *sc, size_t k);
TW_API const char *tw_scenario_event_description(const tw_scenario *sc, size_t k);

/* Steps as written (file order). */
TW_API size_t tw_scenario_n_steps(const tw_scenario *sc);
TW_API const char *tw_scenario_step_date(const tw_scenario *sc, size_t k); /* YYYY-MM-DD */
TW_API const char *tw_scenario_step_label(const tw_scenario *sc, size_t k);
TW_API size_t tw_scenario_step_n_actions(const tw_scenario *sc, size_t k);

/* One action of a step, as written.  Strings are borrowed from sc. */
typedef struct tw_action_info {
    const char *verb;      /* "set", "add", "remove", "exempt", "ntb" */
    const char *layer;
    const char *exporters; /* as written, NULL when no cells were given */
    const char *importers;
    const char *sectors;
    const char *kind;      /* ntb: "factor", "ave" or "ban"; else NULL */
    double value;          /* rate (fraction), factor, ave or ban share; 0 for remove */
    double share;          /* 1 when not given */
    const char *ref;       /* "timeline:13", or NULL */
    const char *cond;      /* "EVENT", "!EVENT", "region:CODE", "!region:CODE", or NULL */
    long line;             /* line in the file */
} tw_action_info;
TW_API tw_status tw_scenario_action(const tw_scenario *sc, size_t step, size_t k,
                                    tw_action_info *out);

/* Check sc against w without solving: every action of every branch names
 * known codes, tradable sectors for tariffs, and no domestic cell (actions and
 * rules whose region condition, "if region:CODE" or "if !region:CODE", is
 * false on w never run on it and are left out); and the
 * mapping table agrees with the file (docs/scenario-format.md): every share
 * below 1 of every branch is a row of it, and every row is such a share.
 * TW_EINPUT names the action (file:line:col) or the table row (table:line);
 * a table that cannot be opened is TW_EIO at the mapping statement. */
TW_API tw_status tw_scenario_check(const tw_scenario *sc, const tw_world *w, tw_error *err);

/* Replay sc on w with the events named in set (n_set of them; each must be
 * declared: TW_EINPUT otherwise), solving every step with solver (its options
 * apply; NULL = defaults).  The mapping table is checked first, as by
 * tw_scenario_check.  Each step is solved from the previous step's
 * equilibrium.  Unknown codes are errors at the action's file:line:col, with
 * the closest valid code suggested.  A step that does not converge fails the
 * whole replay with TW_ENOCONV naming the step. */
TW_API tw_timeline *tw_timeline_run(const tw_scenario *sc, const tw_world *w,
                                    const char *const *set, size_t n_set, tw_solver *solver,
                                    tw_error *err);
TW_API void tw_timeline_free(tw_timeline *tl);

/* The tariff layers the first step of sc (in date order, no events set,
 * region conditions decided by w) leaves on w: row is called for every layer and cell with a contribution
 * (the layer's rate times one less its exemption share), in layer order, then
 * cell order.  This is what a world whose baseline holds that status quo
 * lists in baseline_layers.csv (docs/scenario-format.md, "Baseline layers"),
 * its tariffs being w's plus these contributions.  Errors as
 * tw_timeline_run's (unknown codes at the action's file:line:col); nothing is
 * solved. */
typedef void (*tw_layer_row_fn)(void *ud, const char *layer, size_t importer, size_t exporter,
                                size_t sector, double contribution);
TW_API tw_status tw_scenario_first_step_layers(const tw_scenario *sc, const tw_world *w,
                                               tw_layer_row_fn row, void *ud, tw_error *err);

/* Steps that ran (conditions met, rule answers included), in date order. */
TW_API size_t tw_timeline_n_steps(const tw_timeline *tl);
TW_API const char *tw_timeline_step_date(const tw_timeline *tl, size_t k);
TW_API const char *tw_timeline_step_label(const tw_timeline *tl, size_t k);
/* 1 when the step is a retaliation rule's answer. */
TW_API int tw_timeline_step_is_rule(const tw_timeline *tl, size_t k);
/* The equilibrium after step k (borrowed until tw_timeline_free). */
TW_API const tw_result *tw_timeline_result(const tw_timeline *tl, size_t k);
/* Applied tariffs tau'[n][i][j] and iceberg factors d_hat after step k. */
TW_API const double *tw_timeline_tariffs(const tw_timeline *tl, size_t k);
TW_API const double *tw_timeline_dhat(const tw_timeline *tl, size_t k);
TW_API const tw_world *tw_timeline_world(const tw_timeline *tl);
/* The tolerance every step was solved to. */
TW_API double tw_timeline_tol(const tw_timeline *tl);
TW_API const tw_scenario *tw_timeline_scenario(const tw_timeline *tl);

/* Trade-weighted average applied tariff of importer n on exporter i over the
 * tradable sectors, weights = baseline flows trade[n][i][j]; 0 when there is
 * no such trade.  This is tw_tariff_rate (tradewar/solve.h) with the world's
 * flows: for the applied tariffs of a result (deficits kept), the bilateral
 * effective rate before substitution, tw_result_etr(r, TW_ETR_PRE, n, i,
 * TW_ETR_ALL). */
TW_API double tw_average_tariff(const tw_world *w, const double *tariffs, size_t n, size_t i);

#ifdef __cplusplus
}
#endif
#endif

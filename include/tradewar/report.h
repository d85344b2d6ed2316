/* tradewar/report.h - results as a readable table, CSV or JSON.
 *
 * Writers take a caller-provided stream and write nothing else; JSON is
 * returned as a string the caller frees with free(). */
#ifndef TRADEWAR_REPORT_H
#define TRADEWAR_REPORT_H

#include <stdio.h>
#include "tradewar/export.h"
#include "tradewar/solve.h"
#include "tradewar/world.h"
#include "tradewar/scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tw_report_opts {
    int bilateral;    /* add bilateral trade changes (pairs with trade) */
    int sectors;      /* add sectoral changes per country */
    double tol;       /* tolerance the solve used (printed) */
    const char *scenario; /* label of the shock (file names), or NULL */
} tw_report_opts;

/* One JSON object (DESIGN.md sec. 3): converged, iterations, residual, countries
 * [{code, welfare_pct, real_wage_pct, price_index_pct, tot_pct, vot_pct,
 * exports_pct, imports_pct, tariff_revenue, ...}], and bilateral/sectors when
 * asked.  NULL when out of memory. */
TW_API char *tw_report_json(const tw_world *w, const tw_result *r, const tw_report_opts *o);
/* Readable table for a terminal. */
TW_API int tw_report_table(FILE *out, const tw_world *w, const tw_result *r,
                           const tw_report_opts *o);
/* CSV, one row per country (and per pair / sector when asked, in separate
 * sections marked by a leading "table" column). */
TW_API int tw_report_csv(FILE *out, const tw_world *w, const tw_result *r,
                         const tw_report_opts *o);
/* Readable world summary for `tradewar info`. */
TW_API int tw_report_info(FILE *out, const tw_world *w);

/* Timelines (tradewar timeline).  The focus countries are the scenario's two
 * and the three others whose welfare moves most over the timeline. */
TW_API int tw_report_timeline_table(FILE *out, const tw_timeline *tl);
TW_API int tw_report_timeline_csv(FILE *out, const tw_timeline *tl);
TW_API char *tw_report_timeline_json(const tw_timeline *tl);
/* The five focus countries of a timeline (indices into the world). */
TW_API void tw_timeline_focus(const tw_timeline *tl, size_t focus[5]);

#ifdef __cplusplus
}
#endif
#endif

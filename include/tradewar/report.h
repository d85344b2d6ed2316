/* tradewar/report.h - results as a readable table, CSV or JSON, the export of
 * a result, and the one table of result columns they all print.
 *
 * Writers take a caller-provided stream and write nothing else; JSON is
 * returned as a string the caller frees with free().  Everything here reads
 * the result and the world only; it is safe to call from several threads on
 * the same (const) result. */
#ifndef TRADEWAR_REPORT_H
#define TRADEWAR_REPORT_H

#include <stdio.h>
#include "tradewar/export.h"
#include "tradewar/data.h"
#include "tradewar/solve.h"
#include "tradewar/world.h"
#include "tradewar/scenario.h"
#include "tradewar/game.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- result columns -------------------------------------------------------
 * Every number that a result output prints per country, pair, sector or cell
 * is a column of one table: its name (the JSON key and the CSV header), unit,
 * a short description, how it is read from a tw_result, and the outputs that
 * show it.  The writers below, the sweep statistics, the run-store diff and the
 * CLI's game tables all take their columns from it, in its order (docs/
 * data-format.md lists them).  Columns are static: pointers stay valid for the
 * life of the process. */

typedef enum tw_report_level {
    TW_LEVEL_COUNTRY = 0, /* a country n */
    TW_LEVEL_PAIR,        /* importer n, exporter i != n, all sectors (pairs with trade) */
    TW_LEVEL_SECTOR,      /* country n, sector j */
    TW_LEVEL_CELL,        /* importer n, exporter i, sector j (cells with trade or a tariff) */
    TW_LEVEL_COUNT
} tw_report_level;

typedef enum tw_unit {
    TW_UNIT_PERCENT = 0, /* % change from the baseline; ToT and VoT: % of income */
    TW_UNIT_MONEY,       /* the world's money unit (meta.csv "units") */
    TW_UNIT_HAT,         /* new / baseline */
    TW_UNIT_FRACTION,    /* 0.25 = 25 % */
    TW_UNIT_FACTOR       /* a plain factor (iceberg cost, 1 = none) */
} tw_unit;

/* Where a column shows (bits of tw_column_shows). */
#define TW_SHOW_TABLE 0x001u         /* tw_report_table (the readable table): the headline set */
#define TW_SHOW_CSV 0x002u           /* tw_report_csv */
#define TW_SHOW_JSON 0x004u          /* tw_report_json */
#define TW_SHOW_EXPORT 0x008u        /* tw_export_result (tidy CSV and JSON) */
#define TW_SHOW_SWEEP 0x010u         /* sweep statistics (tradewar/sweep.h) */
#define TW_SHOW_DIFF 0x020u          /* tw_run_diff_json (tradewar/store.h) */
#define TW_SHOW_RUNS 0x040u          /* the table of `tradewar runs show` */
#define TW_SHOW_GAME 0x080u          /* effects table of optimal, nash, ... */
#define TW_SHOW_GAME_JSON 0x100u     /* their JSON "countries" */
#define TW_SHOW_TIMELINE_CSV 0x200u  /* tw_report_timeline_csv */
#define TW_SHOW_TIMELINE_JSON 0x400u /* tw_report_timeline_json */
#define TW_SHOW_TABLE_ALL 0x800u     /* tw_report_table_view: every readable-table column */

/* More columns than any level has (room for an output's list). */
#define TW_REPORT_MAX_COLUMNS 64

typedef struct tw_column tw_column;

/* The columns of a level in table order; k out of range gives NULL. */
TW_API size_t tw_report_n_columns(tw_report_level level);
TW_API const tw_column *tw_report_column(tw_report_level level, size_t k);
/* The column of that name, or NULL. */
TW_API const tw_column *tw_report_column_find(tw_report_level level, const char *name);
/* The columns output `show` (one TW_SHOW_* bit) prints, in its order, into
 * cols[0..max-1]; returns how many it wrote (TW_REPORT_MAX_COLUMNS holds all).  The order is
 * the table's, except for the tidy export and the timeline writers, which keep
 * the order they had before the table (a column added to them comes last),
 * and the readable country table, which opens with the headline set: welfare,
 * real GDP, prices, the effective tariff rates before and after substitution,
 * the consumer cost and tariff revenue over GDP. */
TW_API size_t tw_report_view(tw_report_level level, unsigned show, const tw_column **cols,
                             size_t max);
/* 1 when the outputs print a row for these indices (see tw_column_value). */
TW_API int tw_report_has_row(tw_report_level level, const tw_result *r, size_t a, size_t b,
                             size_t c);

TW_API const char *tw_column_name(const tw_column *c);
TW_API tw_unit tw_column_unit(const tw_column *c);
TW_API const char *tw_column_description(const tw_column *c);
TW_API unsigned tw_column_shows(const tw_column *c);
/* Readable tables: heading ("welfare%"; NULL when no table shows it), cell
 * width and decimals ("%*.*f"). */
TW_API const char *tw_column_heading(const tw_column *c);
TW_API int tw_column_width(const tw_column *c);
TW_API int tw_column_decimals(const tw_column *c);
/* 1 when the tidy export CSV leaves out a value equal to *idle (0 for a
 * tariff, 1 for an iceberg factor), else 0. */
TW_API int tw_column_sparse(const tw_column *c, double *idle);
/* The value for country a; importer a and exporter b; country a and sector
 * b; or importer a, exporter b and sector c (unused indices are ignored). */
TW_API double tw_column_value(const tw_column *c, const tw_result *r, size_t a, size_t b,
                              size_t cc);
/* "percent", "hat", "fraction", "" (factor) or money (the world's unit). */
TW_API const char *tw_unit_name(tw_unit u, const char *money);

/* A hat as a percent change, 100 (hat - 1); the percent change of a level,
 * 100 (now / base - 1), 0 when base is not positive; seconds on a monotonic
 * clock (for wall times). */
TW_API double tw_pct(double hat);
TW_API double tw_pct_change(double base, double now);
TW_API double tw_clock_seconds(void);

/* ---- writers ------------------------------------------------------------- */

typedef struct tw_report_opts {
    int bilateral;    /* add bilateral trade changes (pairs with trade) */
    int sectors;      /* add sectoral changes per country */
    double tol;       /* tolerance the solve used (printed) */
    const char *scenario; /* label of the shock (file names), or NULL */
    const char *more;     /* how a reader of the default table asks for the other
                             columns (e.g. a command's flag), named in its notes;
                             NULL = no hint */
    const char *world;    /* the world as tw_report_json names it (its "world"
                             member, e.g. a catalog name); NULL = tw_world_dir */
} tw_report_opts;

/* The name of the elasticity set w solves with (tw_world_elasticities: the
 * world's default set, or the set or file applied to it), else "unnamed" (a
 * copy with elasticities of its own, as the sweep's draws).  Every output's
 * meta names the set through this function. */
TW_API const char *tw_report_elasticities(const tw_world *w);

/* The "meta" object every JSON output carries (docs/data-format.md), as JSON
 * text for the caller to free():
 *   {"version": "0.1.0", "world": "world2011", "world_hash": "<16 hex digits>",
 *    "elasticities": "default", "deficits": "keep", "method": "newton",
 *    "tolerance": 1e-10}
 * world is the last part of the world's folder, world_hash tw_world_hash.
 * deficits and method NULL, and tol <= 0, mean not known or not used: null.
 * NULL when out of memory. */
TW_API char *tw_report_meta_json(const tw_world *w, const char *deficits, const char *method,
                                 double tol);

/* One JSON object (docs/data-format.md): world (o->world, else the world's
 * folder), converged, iterations, residual, countries
 * [{code, welfare_pct, real_wage_pct, price_index_pct, tot_pct, vot_pct,
 * exports_pct, imports_pct, tariff_revenue, ...}], and bilateral/sectors when
 * asked.  NULL when out of memory. */
TW_API char *tw_report_json(const tw_world *w, const tw_result *r, const tw_report_opts *o);
/* Readable table for a terminal: the headline columns (TW_SHOW_TABLE); a
 * value the world lacks prints "n/a", and the money columns are left out for
 * a world in model units. */
TW_API int tw_report_table(FILE *out, const tw_world *w, const tw_result *r,
                           const tw_report_opts *o);
/* The same with the columns of show: TW_SHOW_TABLE, or TW_SHOW_TABLE_ALL for
 * every column a readable table can print. */
TW_API int tw_report_table_view(FILE *out, const tw_world *w, const tw_result *r,
                                const tw_report_opts *o, unsigned show);
/* CSV of one level of the result, one rectangular table: a header line of
 * its key columns (code | importer,exporter | country,sector) and the names
 * of its columns (tw_report_view with TW_SHOW_CSV), then a line per row, every
 * line as wide as the header (a value the world lacks is an empty field).
 * level is TW_LEVEL_COUNTRY, TW_LEVEL_PAIR or TW_LEVEL_SECTOR (-1 otherwise);
 * `tradewar solve --csv --output F` writes them to F, F-bilateral.csv and
 * F-sectors.csv.  -1 when the stream fails. */
TW_API int tw_report_csv_level(FILE *out, const tw_world *w, const tw_result *r,
                               tw_report_level level);
/* tw_report_csv_level for the countries (o is not read: the bilateral and
 * sector tables go to files of their own).  -1 when the stream fails. */
TW_API int tw_report_csv(FILE *out, const tw_world *w, const tw_result *r,
                         const tw_report_opts *o);
/* A solved result as one tidy CSV (variable,country,partner,sector,input,
 * value,unit) or one JSON object (tradewar/data.h, tw_export_world, gives the
 * world the same way).  TW_EIO when the stream fails, TW_ENOMEM, TW_EARG for a
 * result of another world. */
TW_API tw_status tw_export_result(FILE *out, const tw_world *w, const tw_result *r,
                                  tw_export_format format, tw_error *err);
/* Readable world summary for `tradewar info`. */
TW_API int tw_report_info(FILE *out, const tw_world *w);

/* Trade talks t (tw_game_talks) among players (t's order; the indices of
 * the talks' options) as one JSON object, what `tradewar talks --json` prints
 * (without "meta") and /api/talks answers under "talks":
 *   {"threat": threat, "converged": ferr == NULL, "error": (ferr's text),
 *    "players": [{code, status_quo_welfare_pct, threat_welfare_pct,
 *                 bargain_tariff, bargain_welfare_pct,
 *                 (with a concession:) bonus_pct, with_concession_tariff,
 *                 with_concession_welfare_pct, concession_tariff_change_pp,
 *                 (with a deal:) deal_welfare_pct}],
 *    "frontier": [{weight_a, tariff_a, tariff_b, welfare_a_pct, welfare_b_pct}]}
 * Welfare in % change from the baseline (a side payment counted in its
 * receiver's welfare: bonus_pct, % of real income); tariffs as levels (0.25 =
 * 25 %); concession_tariff_change_pp: what the concession moves the player's
 * bargained tariff by, in percentage points.  ferr (may be NULL) is the
 * frontier's failed check when the talks returned it.  The caller frees the
 * text; NULL when out of memory. */
TW_API char *tw_report_talks_json(const tw_world *w, const tw_talks *t, const size_t *players,
                                  const char *threat, const tw_error *ferr);
/* An escalation path between players a and b (tw_game_escalate) as one JSON
 * object, what `tradewar escalate --json` prints (without "meta") and
 * /api/escalate answers:
 *   {"rule", "a", "b", "start_tariff_a", "start_tariff_b",
 *    "rounds": [{round (1-based), tariff_a, tariff_b, welfare_a_pct,
 *                welfare_b_pct, trade_b_to_a_pct, trade_a_to_b_pct}],
 *    "stopped": tw_escalation_stop_text}
 * tariff_a is A's uniform tariff on B's goods (a level), the start tariffs the
 * averages of tw_escalation.  The caller frees the text; NULL when out of
 * memory. */
TW_API char *tw_report_escalation_json(const tw_world *w, const tw_escalation *p, size_t a, size_t b,
                                       const char *rule);

/* Timelines (tradewar timeline).  The focus countries are the scenario's two
 * and the three others whose welfare moves most over the timeline. */
TW_API int tw_report_timeline_table(FILE *out, const tw_timeline *tl);
TW_API int tw_report_timeline_csv(FILE *out, const tw_timeline *tl);
TW_API char *tw_report_timeline_json(const tw_timeline *tl);
/* The same with its "world" member set to world (e.g. a catalog name; NULL =
 * tw_world_dir, as tw_report_timeline_json). */
TW_API char *tw_report_timeline_json_named(const tw_timeline *tl, const char *world);
/* The five focus countries of a timeline (indices into the world). */
TW_API void tw_timeline_focus(const tw_timeline *tl, size_t focus[5]);

#ifdef __cplusplus
}
#endif
#endif

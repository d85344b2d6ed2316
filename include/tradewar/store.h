/* tradewar/store.h - a store of past runs in an SQLite database.
 *
 * Every solve or timeline run, from the command line or the server, can be
 * saved with what is needed to reproduce and compare it: the inputs (the shock
 * or the scenario, in full), the world and a hash of its contents, the options,
 * the results (the JSON of tw_report_json / tw_report_timeline_json), the
 * solver's statistics and the wall time.  Runs are numbered 1, 2, ... in the
 * order they were saved.
 *
 * A tw_store is one open database; use it from one thread at a time and open
 * one per thread (SQLite serialises writers; readers never block).  Errors go
 * to the tw_error given: TW_EIO when the database cannot be opened, read or
 * written, TW_EINPUT when a run does not exist or a file is not a run store,
 * TW_ENOMEM. */
#ifndef TRADEWAR_STORE_H
#define TRADEWAR_STORE_H

#include <stddef.h>
#include "tradewar/export.h"
#include "tradewar/error.h"
#include "tradewar/scenario.h"
#include "tradewar/solve.h"
#include "tradewar/world.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tw_store tw_store;

/* One saved run.  To save, fill in the fields from kind to seconds (strings may
 * be NULL, stored as ""; inputs, options and results are JSON texts, NULL =
 * "{}").  Runs returned by the store own their strings: free them with
 * tw_run_free / tw_runs_free. */
typedef struct tw_run {
    long long id;            /* assigned when saved */
    const char *created;     /* UTC, "YYYY-MM-DDTHH:MM:SSZ", set when saved */
    const char *version;     /* tradewar version that made the run, set when saved */
    const char *kind;        /* "solve" or "timeline" (required) */
    const char *source;      /* "cli" or "server" */
    const char *label;       /* what was solved, short: files or scenario title */
    const char *world;       /* world directory or name */
    const char *world_hash;  /* tw_world_hash of the world solved */
    const char *inputs;      /* JSON: the shock or the scenario text */
    const char *options;     /* JSON: method, deficits, tolerance, ... */
    const char *results;     /* JSON: the report */
    int converged;
    long iterations;         /* outer iterations (sum over a timeline's steps) */
    long evaluations;        /* model evaluations (sum over steps) */
    double residual;         /* largest residual (max over steps) */
    double seconds;          /* wall time of the solve(s) */
} tw_run;

/* Default database path: $TRADEWAR_DB if set, else $XDG_DATA_HOME/tradewar/runs.db,
 * else $HOME/.local/share/tradewar/runs.db.  Returns buf, or NULL (TW_EARG) when
 * neither HOME nor XDG_DATA_HOME is set or the path does not fit. */
TW_API const char *tw_store_default_path(char *buf, size_t size, tw_error *err);

/* Open (creating when missing, with missing parent folders) the database at
 * path and make sure it holds the runs table. */
TW_API tw_store *tw_store_open(const char *path, tw_error *err);
TW_API void tw_store_close(tw_store *st);
TW_API const char *tw_store_path(const tw_store *st);

/* Save run; *id (may be NULL) receives its number. */
TW_API tw_status tw_store_save(tw_store *st, const tw_run *run, long long *id, tw_error *err);

/* What to record with a solve or a timeline (tw_store_record_result,
 * tw_store_record_timeline); fields that do not apply are ignored, NULL and 0
 * mean "not given".  Method and deficits are read from the result (a
 * timeline's first step), as the solver used them. */
typedef struct tw_record_opts {
    const char *source;      /* "cli" or "server" */
    const char *world;       /* the world as the run names it; NULL = tw_world_dir */
    const char *label;       /* NULL = the tariff and NTB files ("none (zero shock)"
                                without), or the scenario's title */
    /* a solve's inputs: files, stored with their text, or a JSON array of cells */
    const char *const *tariff_files;
    size_t n_tariff_files;
    const char *const *ntb_files;
    size_t n_ntb_files;
    const char *tariffs_json; /* used instead of tariff_files when given */
    const char *ntb_json;     /* used instead of ntb_files when given */
    /* a timeline's inputs: a file (stored with its text), or a name, or a text */
    const char *scenario_file;
    const char *scenario;
    const char *scenario_text;
    const char *const *set;  /* the events set */
    size_t n_set;
    double tol;              /* the tolerance the solve used */
    long max_iter;           /* a solve's iteration limit, recorded when > 0 */
    double step;             /* a tatonnement solve's step, recorded when > 0 */
    const char *results;     /* the report JSON; NULL = tw_report_json (bilateral
                                and sector tables, label as above) or
                                tw_report_timeline_json */
    double seconds;          /* wall time of the solve(s) */
} tw_record_opts;

/* Save solve r of world w as a run; *id (may be NULL) receives its number.
 * The files named in o are read here (unreadable ones are stored by name). */
TW_API tw_status tw_store_record_result(tw_store *st, const tw_world *w, const tw_result *r,
                                        const tw_record_opts *o, long long *id, tw_error *err);
/* Save timeline tl as a run: iterations and evaluations summed over its steps,
 * the largest residual. */
TW_API tw_status tw_store_record_timeline(tw_store *st, const tw_timeline *tl,
                                          const tw_record_opts *o, long long *id, tw_error *err);

/* Run id, in full.  TW_EINPUT "no run ID in PATH" when there is none. */
TW_API tw_run *tw_store_get(tw_store *st, long long id, tw_error *err);
/* The newest runs, newest first, at most limit (0 = all), without inputs,
 * options and results (NULL).  *runs is NULL when there are none. */
TW_API tw_status tw_store_list(tw_store *st, size_t limit, tw_run **runs, size_t *n,
                               tw_error *err);
TW_API void tw_run_free(tw_run *run);
TW_API void tw_runs_free(tw_run *runs, size_t n);

/* The differences between two runs as a JSON object the caller frees:
 * {"a": ID, "b": ID, "kind": [..], "same_world": bool, "same_inputs": bool,
 *  "options": {KEY: [A, B], ...only keys that differ},
 *  "countries": [{"code", "welfare_pct": [A, B, B-A], "real_wage_pct": ..., ...}],
 *  "bilateral": [{"importer", "exporter", "change_pct": [A, B, B-A], ...}],
 *  "sectors": [{"country", "sector", "price_pct": [A, B, B-A], ...}]}
 * Each level compares the columns shown with TW_SHOW_DIFF (tradewar/report.h) on
 * the final equilibrium (a timeline's last step), for the rows present in both
 * runs; a column absent (null) in either run is left out of that row.
 * "bilateral" and "sectors" appear only when both runs hold those rows: solves
 * saved by tw_store_record_result without o->results do; timelines do not.
 * NULL with err set when a run's JSON cannot be read (TW_EINPUT) or out of
 * memory. */
TW_API char *tw_run_diff_json(const tw_run *a, const tw_run *b, tw_error *err);

/* tw_world_hash, the hash a run stores of its world: tradewar/world.h. */

#ifdef __cplusplus
}
#endif
#endif

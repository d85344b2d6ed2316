/* runs.h - saving solve and timeline runs to the run store (cli/runs.c;
 * `tradewar runs` itself is declared in cli.h). */
#ifndef TW_CLI_RUNS_H
#define TW_CLI_RUNS_H

#include <stddef.h>
#include "tradewar/scenario.h"
#include "tradewar/solve.h"
#include "tradewar/world.h"

/* Save a solve to the run store db (NULL = the default store): the tariff and
 * NTB files with their contents, the options, the JSON report.  Prints
 * "tradewar: <cmd>: saved run N in PATH" on stderr; returns an exit code. */
int cli_save_solve(const char *db, const tw_world *w, const tw_result *r,
                   const char *const *tariffs, size_t nt, const char *const *ntbs, size_t nn,
                   double tol, long max_iter, double step, double seconds);
/* Save a timeline: the scenario file and its text, the events set, the options. */
int cli_save_timeline(const char *db, const char *file, const char *const *set, size_t nset,
                      const tw_timeline *tl, double tol, double seconds);

#endif

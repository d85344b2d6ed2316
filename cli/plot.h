/* plot.h - charts for `solve --plot` and `timeline --plot` (cli/plot.c). */
#ifndef TW_CLI_PLOT_H
#define TW_CLI_PLOT_H

#include "tradewar/scenario.h"
#include "tradewar/solve.h"
#include "tradewar/world.h"

/* 0 when path ends in .svg or .png; else prints a usage error for cmd and
 * returns 2.  Call it before solving. */
int cli_plot_check(const char *cmd, const char *path);
/* Bar chart of welfare, real wage and consumer prices by country.  Written
 * atomically; returns an exit code (0, or 3 with the error printed). */
int cli_plot_solve(const char *path, const tw_world *w, const tw_result *r, const char *title);
/* Welfare of the focus countries and the two average tariffs over the dates. */
int cli_plot_timeline(const char *path, const tw_timeline *tl);

#endif

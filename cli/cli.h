/* cli.h - the tradewar subcommands (one cmd_* per command, dispatched by
 * main.c) and the helpers they share (common.c, plot.c). */
#ifndef TW_CLI_H
#define TW_CLI_H

#include <stdint.h>
#include <stdio.h>
#include "tradewar/error.h"
#include "tradewar/outfile.h"
#include "tradewar/policy.h"
#include "tradewar/scenario.h"
#include "tradewar/solve.h"
#include "tradewar/world.h"

int cmd_info(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_solve(int argc, char **argv);
int cmd_timeline(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_aggregate(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_serve(int argc, char **argv);
/* game.c and talks.c (also in cli_game.h) */
int cmd_optimal(int argc, char **argv);
int cmd_nash(int argc, char **argv);
int cmd_talks(int argc, char **argv);
int cmd_escalate(int argc, char **argv);
/* runs.c (also in runs.h) */
int cmd_runs(int argc, char **argv);

/* "--name=value" or "--name value": 1 when argv[*k] is the option (val NULL
 * when the value is missing), 0 otherwise. */
int cli_opt_value(int argc, char **argv, int *k, const char *name, const char **val);
/* Solver options shared by commands: 0, or the usage error's exit code (2)
 * after printing it. */
int cli_parse_method(const char *cmd, const char *v, tw_method *out);
int cli_parse_deficits(const char *cmd, const char *v, tw_deficits *out);
int cli_parse_tol(const char *cmd, const char *v, double *out);
int cli_parse_max_iter(const char *cmd, const char *v, long *out);
/* The same checks for a caller that reports errors itself (sweep: rank 0
 * only): NULL when v is valid and stored, else the usage error's format,
 * with one %s for the value. */
const char *cli_check_method(const char *v, tw_method *out);
const char *cli_check_deficits(const char *v, tw_deficits *out);
const char *cli_check_tol(const char *v, double *out);
const char *cli_check_max_iter(const char *v, long *out);
/* A path under the embedded data folder. */
const char *cli_data_path(const char *rel, char *buf, size_t size);
/* Print "tradewar: <where>: <what>" for e. */
void cli_error(const tw_error *e);
/* Print a usage error for cmd (fmt has one %s) and return 2. */
int cli_usage_error(const char *cmd, const char *fmt, const char *arg);
/* Resolve --world: a directory, or the name of an embedded world. */
const char *cli_world_path(const char *arg, char *buf, size_t size);
tw_world *cli_load_world(const char *arg, tw_error *err);
/* An output file (core/outfile.h: a temporary file renamed on success, a
 * device or FIFO written in place), or stdout when path is NULL.  NULL after
 * printing why the file cannot be written. */
FILE *cli_open_output(const char *path, tw_outfile *o);
/* Finish the output: published when ok, else discarded; 0, or -1 when it
 * was not written (the caller says so). */
int cli_close_output(FILE *f, tw_outfile *o, int ok);
/* Warn on stderr when r's baseline is not an equilibrium of the model
 * (tw_result_baseline_gap), naming the country a zero shock moves most. */
void cli_warn_baseline_gap(const tw_world *w, const tw_result *r);
/* The environment variable TRADEWAR_TEST_MAX_INPUT_BYTES, for tests only: a
 * file-size limit below limit (the input's own, core/textin.h) that the command
 * applies instead, so that a test reaches it without feeding 256 MiB; 0 (keep
 * the input's own) when unset, invalid or not below limit. */
uint64_t cli_max_input_bytes(uint64_t limit);
/* A shock for w: the --tariffs files, then the --ntb files, applied in order
 * (each file limited as cli_max_input_bytes says).  NULL with err set. */
tw_shock *cli_shock_from_files(const tw_world *w, const char *const *tariffs, size_t nt,
                               const char *const *ntbs, size_t nn, tw_error *err);

/* Charts (plot.c) for `solve --plot` and `timeline --plot`.
 * 0 when path ends in .svg or .png; else prints a usage error for cmd and
 * returns 2.  Call it before solving. */
int cli_plot_check(const char *cmd, const char *path);
/* Bar chart of welfare, real wage and consumer prices by country.  Written
 * atomically; returns an exit code (0, or 3 with the error printed). */
int cli_plot_solve(const char *path, const tw_world *w, const tw_result *r, const char *title);
/* Welfare of the focus countries and the two average tariffs over the dates. */
int cli_plot_timeline(const char *path, const tw_timeline *tl);

#endif

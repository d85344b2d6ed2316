/* cli.h - the tradewar subcommands (one cmd_* per command, dispatched by
 * main.c) and the helpers they share (common.c, plot.c). */
#ifndef TW_CLI_H
#define TW_CLI_H

#include <float.h>
#include <stdint.h>
#include <stdio.h>
#include "tradewar/data.h"
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
int cmd_rebase(int argc, char **argv);
int cmd_split(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
/* (in the serve module, tradewar-serve.so: loaded by cli/module.c) */
int cmd_serve(int argc, char **argv);

/* The one-shot commands' heap in transparent huge pages (cli/heap.c); call
 * once, before any allocation that matters.  Changes no result. */
void cli_heap_setup(void);
int cmd_optimal(int argc, char **argv); /* game.c */
int cmd_nash(int argc, char **argv);    /* game.c */
int cmd_talks(int argc, char **argv);   /* talks.c */
int cmd_escalate(int argc, char **argv); /* talks.c */
int cmd_cooperate(int argc, char **argv); /* cooperate.c */
int cmd_runs(int argc, char **argv);

/* Options.  A command lists its options as a table of cli_opt rows (the
 * CLI_* macros below, ended by CLI_END) and cli_parse_opts reads argv with
 * it: "--name value" or "--name=value", in any order, "--help" or "-h"
 * anywhere.  Every usage error is "tradewar: CMD: <what>" and a hint line,
 * exit code 2. */
typedef enum cli_opt_kind {
    CLI_OPT_FLAG,     /* no value: 1 into to.i */
    CLI_OPT_SET,      /* no value: the row's n into to.i */
    CLI_OPT_STRING,   /* the value as given into to.s; the last one counts */
    CLI_OPT_LIST,     /* repeatable: appended to the array to.list, *count of them, at
                       * most max; one more is the error text (its %s: the option) */
    CLI_OPT_TOL,      /* --tol, --method, --deficits and --max-iter: checked by */
    CLI_OPT_METHOD,   /* cli_check_tol, cli_check_method, cli_check_deficits and */
    CLI_OPT_DEFICITS, /* cli_check_max_iter into to.d, to.method, to.deficits and */
    CLI_OPT_MAX_ITER, /* to.l */
    CLI_OPT_LONG,     /* a whole number in [lo, hi] (no leading '-') into to.l */
    CLI_OPT_NUM,      /* a number in [lo, hi] into to.d (lo CLI_ABOVE_0: above 0) */
    CLI_OPT_CHOICE,   /* one of the names of choices: its index into to.i */
    CLI_OPT_SETTER    /* set(parser, row, value) checks and stores the value */
} cli_opt_kind;

/* A number just above 0, for the lower bound of a range (0, hi]. */
#define CLI_ABOVE_0 DBL_TRUE_MIN

struct cli_parser;
struct cli_opt;
/* 0, or the exit code after reporting the error with cli_opt_error. */
typedef int (*cli_opt_setter)(const struct cli_parser *p, const struct cli_opt *o, const char *v);

typedef struct cli_opt {
    const char *name; /* "--tol"; NULL ends the table */
    cli_opt_kind kind;
    union {
        int *i;
        long *l;
        double *d;
        const char **s;
        const char **list;
        tw_method *method;
        tw_deficits *deficits;
    } to;               /* where the value goes */
    size_t *count, max; /* LIST: the values so far and the room */
    double lo, hi;      /* LONG, NUM (and setters that want them): the range */
    int n;              /* SET: the value set */
    const char *text;   /* LIST: the error when full; LONG, NUM, CHOICE: the error for
                         * a bad value (one %s, the value) */
    const char *const *choices; /* CHOICE: the names, NULL-terminated */
    cli_opt_setter set; /* SETTER */
    int optional;       /* SETTER: also called (with NULL) when the value is missing */
} cli_opt;

#define CLI_FLAG(nm, p) {.name = (nm), .kind = CLI_OPT_FLAG, .to.i = (p)}
#define CLI_SET(nm, p, v) {.name = (nm), .kind = CLI_OPT_SET, .to.i = (p), .n = (v)}
#define CLI_STRING(nm, p) {.name = (nm), .kind = CLI_OPT_STRING, .to.s = (p)}
#define CLI_LIST(nm, arr, cnt, room, txt) \
    {.name = (nm), .kind = CLI_OPT_LIST, .to.list = (arr), .count = (cnt), .max = (room), .text = (txt)}
#define CLI_TOL(p) {.name = "--tol", .kind = CLI_OPT_TOL, .to.d = (p)}
#define CLI_METHOD(p) {.name = "--method", .kind = CLI_OPT_METHOD, .to.method = (p)}
#define CLI_DEFICITS(p) {.name = "--deficits", .kind = CLI_OPT_DEFICITS, .to.deficits = (p)}
/* The options of every equilibrium solve. */
#define CLI_SOLVER_OPTS(deficits, method, tol) \
    CLI_DEFICITS(deficits), CLI_METHOD(method), CLI_TOL(tol)
#define CLI_MAX_ITER(p) {.name = "--max-iter", .kind = CLI_OPT_MAX_ITER, .to.l = (p)}
#define CLI_LONG(nm, p, low, high, txt) \
    {.name = (nm), .kind = CLI_OPT_LONG, .to.l = (p), .lo = (low), .hi = (high), .text = (txt)}
#define CLI_NUM(nm, p, low, high, txt) \
    {.name = (nm), .kind = CLI_OPT_NUM, .to.d = (p), .lo = (low), .hi = (high), .text = (txt)}
#define CLI_CHOICE(nm, p, names, txt) \
    {.name = (nm), .kind = CLI_OPT_CHOICE, .to.i = (p), .choices = (names), .text = (txt)}
#define CLI_SETTER(nm, fn) {.name = (nm), .kind = CLI_OPT_SETTER, .set = (fn)}
#define CLI_END {.name = NULL}

/* How a command reads its arguments. */
typedef struct cli_parser {
    const char *cmd;     /* the command's name in messages */
    const char *usage;   /* printed on --help or -h; NULL: nothing printed */
    const cli_opt *opts; /* the table */
    int skip;            /* arguments after argv[0] read before (import's source) */
    /* An argument that is no option and does not start with '-' (or is "-"):
     * 0 when taken, else the exit code after cli_opt_error.  NULL: none are. */
    int (*positional)(const struct cli_parser *p, int k, const char *arg);
    const char *unknown; /* the error for what is not taken (one %s); NULL:
                          * "unknown option \"%s\"" */
    void *ctx;           /* for setters and positional */
    char *msg;           /* when set: errors go there (msg_size bytes, no final */
    size_t msg_size;     /* newline) instead of standard error */
} cli_parser;

/* Read argv[1 + skip ...] with p: -1 to go on, 0 after --help, else the exit
 * code after the error. */
int cli_parse_opts(const cli_parser *p, int argc, char **argv);
/* Report a usage error of p's command (fmt has one %s) as p says; 2. */
int cli_opt_error(const cli_parser *p, const char *fmt, const char *arg);

/* The checks of the solver options (the CLI_OPT_TOL ... kinds): NULL when v
 * is valid and stored, else the usage error's format, with one %s for the
 * value. */
const char *cli_check_method(const char *v, tw_method *out);
const char *cli_check_deficits(const char *v, tw_deficits *out);
const char *cli_check_tol(const char *v, double *out);
const char *cli_check_max_iter(const char *v, long *out);
/* A path under the embedded data folder. */
const char *cli_data_path(const char *rel, char *buf, size_t size);
/* Print "tradewar: <where>: <what>" for e. */
void cli_error(const tw_error *e);
/* 0 when e is NULL, else print e (cli_error) and return its exit code. */
int cli_fail(const tw_error *e);
/* Print a usage error for cmd (fmt has one %s) and return 2. */
int cli_usage_error(const char *cmd, const char *fmt, const char *arg);
/* Publish a built world: record the command line in d's README, print its
 * repairs and notes on stderr, write the directory out atomically and load it
 * back (as `validate` would).  The loaded world (caller frees), or NULL with
 * *rc the exit code after the error is printed. */
tw_world *cli_publish_draft(tw_draft *d, const char *out, int argc, char **argv, int *rc);
/* Copy the file name of world folder from into folder to (atomically), for a
 * built world that keeps from's sectors (rebase, split): nothing when from has
 * no such file.  0, or the exit code after the error is printed. */
int cli_copy_world_file(const char *from, const char *to, const char *name);
/* Resolve --world: a directory, or the name of an embedded world. */
const char *cli_world_path(const char *arg, char *buf, size_t size);
tw_world *cli_load_world(const char *arg, tw_error *err);
/* cli_load_world, then --elasticities NAME|FILE applied when elasticities is
 * not NULL (tw_world_apply_elasticities); NULL with err set. */
tw_world *cli_load_world_with(const char *arg, const char *elasticities, tw_error *err);
/* The --help lines of --elasticities, shared by the commands that solve. */
#define CLI_ELASTICITIES_HELP                                                            \
    "  --elasticities NAME|FILE  the trade elasticities: a named set of the world\n"     \
    "                  (`tradewar info` lists them; cp2015, tradmod, ll2023, uniform4,\n" \
    "                  short-run in world2011) or a file set,sector,theta / sector,theta\n"
/* An output file (tradewar/outfile.h: a temporary file renamed on success, a
 * device or FIFO written in place), or stdout when path is NULL.  NULL after
 * printing why the file cannot be written. */
FILE *cli_open_output(const char *path, tw_outfile *o);
/* Finish the output: published when ok, else discarded; 0, or -1 when it
 * was not written (the caller says so). */
int cli_close_output(FILE *f, tw_outfile *o, int ok);
/* Write a result to path (NULL: standard output) with write (0 when it
 * wrote); 0, or 3 after printing "tradewar: PATH: cannot write the WHAT". */
int cli_write_output(const char *path, const char *what, int (*write)(FILE *f, const void *ud),
                     const void *ud);
/* One table of a tidy CSV output (cli_write_tables): its name in the
 * .meta.json ("countries"), the suffix that replaces the output's ".csv"
 * ("" for the first table, which goes to the path itself; "-bilateral.csv"),
 * and its writer (0 when it wrote). */
typedef struct cli_table {
    const char *name, *suffix;
    int (*write)(FILE *f, const void *ud);
    const void *ud;
} cli_table;
/* Write tables t[0..n) as files of their own, t[0] at path (NULL: standard
 * output, where only t[0] may be asked for) and the others beside it
 * (out.csv, out-bilateral.csv), with STEM.meta.json: the object meta_json
 * (the command's JSON output; its members named as a table are left out)
 * plus "tables", the name of each table's file.  All files are written
 * before any is published: a failure leaves none of them.  A device or FIFO
 * at path gets t[0] alone.  0, 2 (usage: more than one table where only one
 * can go) or 3 after printing why ("cannot write the WHAT" for t[0], "the
 * NAME table" for the others, "the meta file"). */
int cli_write_tables(const char *cmd, const char *what, const char *path, const cli_table *t,
                     size_t n, const char *meta_json);
/* Warn on stderr when r's baseline is not an equilibrium of the model
 * (tw_result_baseline_gap), naming the country a zero shock moves most. */
void cli_warn_baseline_gap(const tw_world *w, const tw_result *r);
/* The environment variable TRADEWAR_TEST_MAX_INPUT_BYTES, for tests only: a
 * file-size limit below limit (the input's own, tradewar/limits.h) that the command
 * applies instead, so that a test reaches it without feeding 256 MiB; 0 (keep
 * the input's own) when unset, invalid or not below limit. */
uint64_t cli_max_input_bytes(uint64_t limit);
/* A shock for w: the --tariffs files, then the --ntb files, applied in order
 * (each file limited as cli_max_input_bytes says).  NULL with err set. */
tw_shock *cli_shock_from_files(const tw_world *w, const char *const *tariffs, size_t nt,
                               const char *const *ntbs, size_t nn, tw_error *err);

/* The solver options of solve and export result. */
typedef struct cli_solve_opts {
    tw_method method;
    tw_deficits deficits;
    double tol, step;
    long max_iter; /* 0: the method's default */
} cli_solve_opts;
#define CLI_SOLVE_DEFAULTS {TW_METHOD_NEWTON, TW_DEFICITS_KEEP, TW_TOL_DEFAULT, TW_STEP_DEFAULT, 0}
/* Solve the shock of the files (cli_shock_from_files) on w with so: the
 * result, or NULL with err set; *seconds: how long the solve took. */
tw_result *cli_solve_files(const tw_world *w, const char *const *tariffs, size_t nt,
                           const char *const *ntbs, size_t nn, const cli_solve_opts *so,
                           double *seconds, tw_error *err);

/* Charts for `solve --plot` and `timeline --plot` (drawn by the plot module,
 * cli/plot.c in tradewar-plot.so; checked here, cli/outputs.c).
 * PLplot's driver for path: "svg" for .svg, "pngcairo" for .png, else NULL. */
const char *cli_plot_driver(const char *path);
/* 0 when path ends in .svg or .png; else prints a usage error for cmd and
 * returns 2.  Call it before solving. */
int cli_plot_check(const char *cmd, const char *path);
/* --json with --csv, or a --plot FILE that is not .svg or .png
 * (cli_plot_check): 2 after the usage error; else -1. */
int cli_check_outputs(const char *cmd, int json, int csv, const char *plot);
/* Bar chart of welfare, real wage and consumer prices by country.  Written
 * atomically; returns an exit code (0, or 3 with the error printed). */
int cli_plot_solve(const char *path, const tw_world *w, const tw_result *r, const char *title);
/* Welfare of the focus countries and the two average tariffs over the dates. */
int cli_plot_timeline(const char *path, const tw_timeline *tl);

/* Modules (cli/module.c, entry points in cli/modules.h): the address of
 * symbol in tradewar-<module>.so, opened with dlopen on first use; NULL after
 * printing why it could not be loaded.  cli_module_symbol for a function. */
void *cli_module_data(const char *module, const char *symbol);
typedef void (*cli_fn)(void);
cli_fn cli_module_symbol(const char *module, const char *symbol);

#endif

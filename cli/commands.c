/* commands.c - the info, validate and solve subcommands. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tradewar/policy.h"
#include "tradewar/report.h"
#include "tradewar/solve.h"
#include "cli.h"
#include "runs.h"

#define MAX_FILES 64

static const char *const usage_info =
    "usage: tradewar info [--world DIR|NAME]\n"
    "Summarise a world: data year, size, value added, trade, deficits, average\n"
    "tariffs, the largest bilateral flows and the sectors.\n";

static const char *const usage_validate =
    "usage: tradewar validate [--world DIR|NAME]\n"
    "Check a world directory against the data contract (docs/data-format.md).\n"
    "Prints \"ok\" and any warnings, or the first problem as file:line: what.\n";

/* Parse --world and load the world; NULL with the exit code in *rc. */
static tw_world *world_only(int argc, char **argv, const char *cmd, const char *usage, int *rc)
{
    const char *world = NULL;
    const cli_opt opts[] = {CLI_STRING("--world", &world), CLI_END};
    const cli_parser p = {.cmd = cmd, .usage = usage, .opts = opts};
    *rc = cli_parse_opts(&p, argc, argv);
    if (*rc >= 0) return NULL;
    tw_error err;
    tw_error_clear(&err);
    tw_world *w = cli_load_world(world, &err);
    if (!w) *rc = cli_fail(&err);
    return w;
}

int cmd_info(int argc, char **argv)
{
    int rc;
    tw_world *w = world_only(argc, argv, "info", usage_info, &rc);
    if (!w) return rc;
    rc = tw_report_info(stdout, w) == 0 ? 0 : 3;
    tw_world_free(w);
    return rc;
}

int cmd_validate(int argc, char **argv)
{
    int rc;
    tw_world *w = world_only(argc, argv, "validate", usage_validate, &rc);
    if (!w) return rc;
    for (size_t k = 0; k < tw_world_n_warnings(w); k++)
        fprintf(stderr, "tradewar: warning: %s\n", tw_world_warning(w, k));
    printf("ok: %s: %zu countries x %zu sectors\n", tw_world_dir(w), tw_world_n_countries(w),
           tw_world_n_sectors(w));
    tw_world_free(w);
    return 0;
}

static const char *const usage_solve =
    "usage: tradewar solve [--world DIR|NAME] [--tariffs FILE]... [--ntb FILE]...\n"
    "                      [--deficits keep|purge] [--method newton|tatonnement]\n"
    "                      [--tol X] [--max-iter N] [--step X] [--elasticities NAME|FILE]\n"
    "                      [--json | --csv] [--bilateral] [--sectors] [--all-columns]\n"
    "                      [--output FILE] [--plot FILE] [--save] [--db FILE]\n"
    "\n"
    "Solve the counterfactual equilibrium and report, per country, the exact welfare\n"
    "change (real income), real GDP, consumer prices, the effective tariff rates\n"
    "before and after substitution, the cost of the household basket and tariff\n"
    "revenue over GDP; --all-columns adds the real wage, wage, the Caliendo-Parro\n"
    "ToT and VoT terms, exports, imports and more (--json and --csv have them all).\n"
    "\n"
    "  --tariffs FILE  new tariff levels: importer,exporter,sector,rate ('*' = all;\n"
    "                  rows apply in order; 0.25 = 25 %); repeatable, in order\n"
    "  --ntb FILE      iceberg-cost factors: importer,exporter,sector,factor (> 0)\n"
    "  --deficits      keep: deficits stay in levels (default); purge: first move to\n"
    "                  the zero-deficit equilibrium and report changes from there\n"
    "  --method        newton (default) or tatonnement (the published damped wage\n"
    "                  iteration; slow)\n"
    "  --tol X         largest relative residual of the equilibrium (default 1e-10)\n"
    "  --max-iter N    outer iterations (default 200 newton, 5000 tatonnement)\n"
    "  --step X        tatonnement step (default 0.2)\n"
    CLI_ELASTICITIES_HELP
    "  --json, --csv   machine-readable output instead of the table\n"
    "  --bilateral     add bilateral trade changes; --sectors: sectoral changes\n"
    "  --all-columns   the table with every column, not only the headline ones\n"
    "  --output FILE   write there (atomically) instead of standard output; with\n"
    "                  --csv, one table per file: the countries in FILE.csv, and\n"
    "                  FILE-bilateral.csv, FILE-sectors.csv and FILE.meta.json (the\n"
    "                  version, world, options and convergence) beside it\n"
    "  --plot FILE     also draw welfare, real wage and prices by country (.svg, .png)\n"
    "  --save          keep the run in the run store; --db FILE: in that store\n"
    "                  (implies --save; see `tradewar runs --help`)\n"
    "\n"
    "Exit codes: 0 ok, 1 no convergence, 2 bad input or usage, 3 I/O error.\n";

typedef struct solve_opts {
    const char *world, *tariffs[MAX_FILES], *ntbs[MAX_FILES], *output, *plot, *db, *elast;
    size_t nt, nn;
    int json, csv, save, all_columns;
    tw_report_opts ro;
    cli_solve_opts so;
} solve_opts;

/* -1 to go on, else the exit code. */
static int parse_solve(int argc, char **argv, solve_opts *o)
{
    *o = (solve_opts){.so = CLI_SOLVE_DEFAULTS};
    const cli_opt opts[] = {
        CLI_STRING("--world", &o->world),
        CLI_STRING("--elasticities", &o->elast),
        CLI_LIST("--tariffs", o->tariffs, &o->nt, MAX_FILES, "too many %s files"),
        CLI_LIST("--ntb", o->ntbs, &o->nn, MAX_FILES, "too many %s files"),
        CLI_SOLVER_OPTS(&o->so.deficits, &o->so.method, &o->so.tol),
        CLI_MAX_ITER(&o->so.max_iter),
        CLI_NUM("--step", &o->so.step, CLI_ABOVE_0, 2, "--step \"%s\" is not a number in (0, 2]"),
        CLI_FLAG("--json", &o->json),
        CLI_FLAG("--csv", &o->csv),
        CLI_FLAG("--bilateral", &o->ro.bilateral),
        CLI_FLAG("--sectors", &o->ro.sectors),
        CLI_FLAG("--all-columns", &o->all_columns),
        CLI_STRING("--output", &o->output),
        CLI_STRING("--plot", &o->plot),
        CLI_FLAG("--save", &o->save),
        CLI_STRING("--db", &o->db),
        CLI_END,
    };
    const cli_parser p = {.cmd = "solve", .usage = usage_solve, .opts = opts};
    int rc = cli_parse_opts(&p, argc, argv);
    if (rc >= 0) return rc;
    if (o->csv && !o->output && (o->ro.bilateral || o->ro.sectors))
        return cli_usage_error("solve", "%s: each table goes to a file of its own; give --output "
                                        "FILE.csv (FILE-bilateral.csv, FILE-sectors.csv beside it)",
                               o->ro.bilateral ? "--csv with --bilateral" : "--csv with --sectors");
    return cli_check_outputs("solve", o->json, o->csv, o->plot);
}

/* The shock files in order, for the report. */
static void shock_label(const solve_opts *o, char *label, size_t size)
{
    label[0] = '\0';
    for (size_t q = 0; q < o->nt; q++)
        snprintf(label + strlen(label), size - strlen(label), "%s%s", q ? ", " : "", o->tariffs[q]);
    for (size_t q = 0; q < o->nn; q++)
        snprintf(label + strlen(label), size - strlen(label), "%sntb %s", (q || o->nt) ? ", " : "",
                 o->ntbs[q]);
}

/* What to write: the result r of w as o asks. */
typedef struct solve_report {
    const tw_world *w;
    const tw_result *r;
    const tw_report_opts *ro;
    int json, csv, all_columns;
} solve_report;

static int write_report(FILE *out, const void *ud)
{
    const solve_report *sr = ud;
    if (!sr->json)
        return tw_report_table_view(out, sr->w, sr->r, sr->ro,
                                    sr->all_columns ? TW_SHOW_TABLE_ALL : TW_SHOW_TABLE);
    char *txt = tw_report_json(sr->w, sr->r, sr->ro);
    int ok = txt && fprintf(out, "%s\n", txt) >= 0;
    free(txt);
    return ok ? 0 : -1;
}

static int write_countries(FILE *out, const void *ud)
{
    const solve_report *sr = ud;
    return tw_report_csv_level(out, sr->w, sr->r, TW_LEVEL_COUNTRY);
}

static int write_bilateral(FILE *out, const void *ud)
{
    const solve_report *sr = ud;
    return tw_report_csv_level(out, sr->w, sr->r, TW_LEVEL_PAIR);
}

static int write_sectors(FILE *out, const void *ud)
{
    const solve_report *sr = ud;
    return tw_report_csv_level(out, sr->w, sr->r, TW_LEVEL_SECTOR);
}

/* --csv: the countries at path, the bilateral and sector tables beside it,
 * and the JSON's other fields in the .meta.json. */
static int write_tables(const solve_report *sr, const char *path)
{
    cli_table t[3] = {{"countries", ".csv", write_countries, sr}};
    size_t n = 1;
    if (sr->ro->bilateral) t[n++] = (cli_table){"bilateral", "-bilateral.csv", write_bilateral, sr};
    if (sr->ro->sectors) t[n++] = (cli_table){"sectors", "-sectors.csv", write_sectors, sr};
    char *meta = path ? tw_report_json(sr->w, sr->r, sr->ro) : NULL;
    if (path && !meta) {
        fprintf(stderr, "tradewar: %s: out of memory\n", path);
        return 3;
    }
    int rc = cli_write_tables("solve", "result", path, t, n, meta);
    free(meta);
    return rc;
}

/* Print err and the hint that may help; its exit code. */
static int solve_failed(const tw_error *err, tw_method method)
{
    cli_error(err);
    if (err->code == TW_ENOCONV && strstr(err->msg, "no equilibrium with positive incomes"))
        fprintf(stderr, "  hint: try --deficits purge\n");
    else if (err->code == TW_ENOCONV)
        fprintf(stderr, "  hint: raise --max-iter%s\n",
                method == TW_METHOD_TATONNEMENT ? ", lower --step or try --method newton" : "");
    return tw_status_exit_code(err->code);
}

/* Write, draw and save the result: an exit code. */
static int solve_outputs(solve_opts *o, const tw_world *w, const tw_result *r, double secs)
{
    char label[1024];
    shock_label(o, label, sizeof label);
    o->ro.scenario = label[0] ? label : "none (zero shock)";
    o->ro.tol = o->so.tol;
    o->ro.more = "--all-columns";
    const solve_report sr = {w, r, &o->ro, o->json, o->csv, o->all_columns};
    int rc = o->csv ? write_tables(&sr, o->output)
                    : cli_write_output(o->output, "result", write_report, &sr);
    if (rc == 0 && o->plot) rc = cli_plot_solve(o->plot, w, r, o->ro.scenario);
    if (rc == 0 && (o->save || o->db))
        rc = cli_save_solve(o->db, w, r, o->tariffs, o->nt, o->ntbs, o->nn, o->so.tol,
                            o->so.max_iter, o->so.step, secs);
    o->ro.scenario = NULL; /* label ends here */
    return rc;
}

int cmd_solve(int argc, char **argv)
{
    solve_opts o;
    int rc = parse_solve(argc, argv, &o);
    if (rc >= 0) return rc;
    tw_error err;
    tw_error_clear(&err);
    tw_result *r = NULL;
    double secs = 0;
    tw_world *w = cli_load_world_with(o.world, o.elast, &err);
    if (w) r = cli_solve_files(w, o.tariffs, o.nt, o.ntbs, o.nn, &o.so, &secs, &err);
    if (r) {
        cli_warn_baseline_gap(w, r);
        rc = solve_outputs(&o, w, r, secs);
    } else {
        rc = solve_failed(&err, o.so.method);
    }
    tw_result_free(r);
    tw_world_free(w);
    return rc;
}

/* export.c - the export subcommand: a world or a result as tidy CSV or JSON.
 *
 * `export world` writes the baseline; `export result` solves the shock given
 * (as `solve` does, default deficit rule and method) and writes the result.
 * Output goes to a temporary file renamed on success, or to standard output. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tradewar/data.h"
#include "tradewar/report.h"
#include "tradewar/policy.h"
#include "tradewar/solve.h"
#include "cli.h"

#define MAX_FILES 64

static const char *const usage_export =
    "usage: tradewar export [world|result] [--world DIR|NAME] [--format csv|json]\n"
    "                       [--output FILE] [--tariffs FILE]... [--ntb FILE]...\n"
    "                       [--deficits keep|purge] [--elasticities NAME|FILE]\n"
    "\n"
    "Write a world, or the result of a counterfactual, as one tidy CSV\n"
    "(variable,country,partner,sector,input,value,unit: one value a row) or one JSON\n"
    "object, for R, Stata or Python (docs/importers.md).  'result' solves the shock\n"
    "given by --tariffs and --ntb (none: the zero shock); without a kind, 'result' is\n"
    "assumed when a shock is given, 'world' otherwise.\n"
    "\n"
    "  --format csv|json  default csv (--csv and --json also work)\n"
    "  --output FILE      write there (atomically) instead of standard output\n"
    CLI_ELASTICITIES_HELP
    "\n"
    "Exit codes: 0 ok, 1 no convergence, 2 bad input or usage, 3 I/O error.\n";

/* What to write: the world w, or the result r when kind is 1, in fmt. */
typedef struct export_job {
    const tw_world *w;
    const tw_result *r;
    int kind;
    tw_export_format fmt;
} export_job;

static int write_export(FILE *out, const void *ud)
{
    const export_job *j = ud;
    tw_error err;
    tw_status st = j->kind ? tw_export_result(out, j->w, j->r, j->fmt, &err)
                           : tw_export_world(out, j->w, j->fmt, &err);
    return st == TW_OK ? 0 : -1;
}

/* Load the world (world[0], with the elasticities world[1]), solve the shock when kind is 1 (result), write the export;
 * an exit code. */
static int run(const char *const world[2], const char *output, const char *const *tariffs, size_t nt,
               const char *const *ntbs, size_t nn, int kind, tw_export_format fmt,
               tw_deficits deficits)
{
    tw_error err;
    tw_error_clear(&err);
    cli_solve_opts so = CLI_SOLVE_DEFAULTS;
    so.deficits = deficits;
    tw_result *r = NULL;
    double secs;
    int rc;
    tw_world *w = cli_load_world_with(world[0], world[1], &err);
    if (w && kind == 1) r = cli_solve_files(w, tariffs, nt, ntbs, nn, &so, &secs, &err);
    if (!w || (kind == 1 && !r)) {
        rc = cli_fail(&err);
    } else {
        const export_job job = {w, r, kind, fmt};
        rc = cli_write_output(output, "export", write_export, &job);
    }
    tw_result_free(r);
    tw_world_free(w);
    return rc;
}

/* "world" or "result" as the first argument: the kind (0 or 1) into *ctx. */
static int export_kind(const cli_parser *p, int k, const char *arg)
{
    if (k != 1 || (strcmp(arg, "world") && strcmp(arg, "result")))
        return cli_opt_error(p, p->unknown, arg);
    *(int *)p->ctx = !strcmp(arg, "result");
    return 0;
}

int cmd_export(int argc, char **argv)
{
    const char *world[2] = {NULL, NULL}, *output = NULL, *tariffs[MAX_FILES], *ntbs[MAX_FILES];
    size_t nt = 0, nn = 0;
    int kind = -1; /* 0 world, 1 result */
    int fmt = TW_EXPORT_CSV;
    tw_deficits deficits = TW_DEFICITS_KEEP;
    static const char *const formats[] = {"csv", "json", NULL}; /* tw_export_format's order */
    const cli_opt opts[] = {
        CLI_SET("--json", &fmt, TW_EXPORT_JSON),
        CLI_SET("--csv", &fmt, TW_EXPORT_CSV),
        CLI_STRING("--world", &world[0]),
        CLI_STRING("--elasticities", &world[1]),
        CLI_CHOICE("--format", &fmt, formats, "--format \"%s\" is not csv or json"),
        CLI_STRING("--output", &output),
        CLI_LIST("--tariffs", tariffs, &nt, MAX_FILES, "too many %s files"),
        CLI_LIST("--ntb", ntbs, &nn, MAX_FILES, "too many %s files"),
        CLI_DEFICITS(&deficits),
        CLI_END,
    };
    const cli_parser p = {.cmd = "export", .usage = usage_export, .opts = opts,
                          .positional = export_kind, .ctx = &kind,
                          .unknown = "unknown option or argument \"%s\""};
    int rc = cli_parse_opts(&p, argc, argv);
    if (rc >= 0) return rc;
    if (kind < 0) kind = (nt || nn) ? 1 : 0;
    if (kind == 0 && (nt || nn))
        return cli_usage_error("export", "%s", "'export world' takes no shock (use 'export result')");

    return run(world, output, tariffs, nt, ntbs, nn, kind, (tw_export_format)fmt, deficits);
}

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
    "                       [--deficits keep|purge]\n"
    "\n"
    "Write a world, or the result of a counterfactual, as one tidy CSV\n"
    "(variable,country,partner,sector,input,value,unit: one value a row) or one JSON\n"
    "object, for R, Stata or Python (docs/importers.md).  'result' solves the shock\n"
    "given by --tariffs and --ntb (none: the zero shock); without a kind, 'result' is\n"
    "assumed when a shock is given, 'world' otherwise.\n"
    "\n"
    "  --format csv|json  default csv (--csv and --json also work)\n"
    "  --output FILE      write there (atomically) instead of standard output\n"
    "\n"
    "Exit codes: 0 ok, 1 no convergence, 2 bad input or usage, 3 I/O error.\n";

/* Load the world, solve the shock when kind is 1 (result), write the export;
 * an exit code. */
static int run(const char *world, const char *output, const char *const *tariffs, size_t nt,
               const char *const *ntbs, size_t nn, int kind, tw_export_format fmt,
               tw_deficits deficits)
{
    tw_error err;
    tw_error_clear(&err);
    tw_shock *shock = NULL;
    tw_solver *s = NULL;
    tw_result *r = NULL;
    int rc = 0;
    tw_world *w = cli_load_world(world, &err);
    if (!w) goto fail;
    if (kind == 1) {
        if (!(shock = cli_shock_from_files(w, tariffs, nt, ntbs, nn, &err))) goto fail;
        if (!(s = tw_solver_create(w, &err))) goto fail;
        tw_solver_set_deficits(s, deficits);
        if (!(r = tw_solver_run(s, shock, &err))) goto fail;
    }
    tw_outfile of;
    FILE *out = cli_open_output(output, &of);
    if (!out) {
        rc = 3;
        goto done;
    }
    tw_status st = kind ? tw_export_result(out, w, r, fmt, &err) : tw_export_world(out, w, fmt, &err);
    if (cli_close_output(out, &of, st == TW_OK) != 0 || st != TW_OK) {
        fprintf(stderr, "tradewar: %s: cannot write the export\n", output ? output : "stdout");
        rc = 3;
    }
    goto done;
fail:
    cli_error(&err);
    rc = tw_status_exit_code(err.code);
done:
    tw_result_free(r);
    tw_solver_free(s);
    tw_shock_free(shock);
    tw_world_free(w);
    return rc;
}

/* --format csv|json: 0, or -1 for another name. */
static int parse_format(const char *v, tw_export_format *fmt)
{
    if (!strcmp(v, "csv")) *fmt = TW_EXPORT_CSV;
    else if (!strcmp(v, "json")) *fmt = TW_EXPORT_JSON;
    else return -1;
    return 0;
}

int cmd_export(int argc, char **argv)
{
    const char *world = NULL, *output = NULL, *tariffs[MAX_FILES], *ntbs[MAX_FILES];
    size_t nt = 0, nn = 0;
    int kind = -1; /* 0 world, 1 result */
    tw_export_format fmt = TW_EXPORT_CSV;
    tw_deficits deficits = TW_DEFICITS_KEEP;
    for (int k = 1; k < argc; k++) {
        const char *a = argv[k], *v = NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(usage_export, stdout);
            return 0;
        }
        if (!strcmp(a, "--json")) { fmt = TW_EXPORT_JSON; continue; }
        if (!strcmp(a, "--csv")) { fmt = TW_EXPORT_CSV; continue; }
        if (k == 1 && (!strcmp(a, "world") || !strcmp(a, "result"))) {
            kind = !strcmp(a, "result");
            continue;
        }
        const char *names[] = {"--world", "--format", "--output", "--tariffs", "--ntb", "--deficits"};
        size_t which = 99;
        for (size_t q = 0; q < 6 && which == 99; q++)
            if (cli_opt_value(argc, argv, &k, names[q], &v)) which = q;
        if (which == 99) return cli_usage_error("export", "unknown option or argument \"%s\"", a);
        if (!v) return cli_usage_error("export", "option %s needs a value", names[which]);
        switch (which) {
        case 0: world = v; break;
        case 1:
            if (parse_format(v, &fmt))
                return cli_usage_error("export", "--format \"%s\" is not csv or json", v);
            break;
        case 2: output = v; break;
        case 3:
            if (nt == MAX_FILES) return cli_usage_error("export", "too many %s files", "--tariffs");
            tariffs[nt++] = v;
            break;
        case 4:
            if (nn == MAX_FILES) return cli_usage_error("export", "too many %s files", "--ntb");
            ntbs[nn++] = v;
            break;
        case 5:
            if (cli_parse_deficits("export", v, &deficits)) return 2;
            break;
        }
    }
    if (kind < 0) kind = (nt || nn) ? 1 : 0;
    if (kind == 0 && (nt || nn))
        return cli_usage_error("export", "%s", "'export world' takes no shock (use 'export result')");

    return run(world, output, tariffs, nt, ntbs, nn, kind, fmt, deficits);
}

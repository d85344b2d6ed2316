/* commands.c - the info, validate and solve subcommands. */
#include <errno.h>
#include <math.h>
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

static int world_only(int argc, char **argv, const char *cmd, const char *usage,
                      const char **world)
{
    *world = NULL;
    for (int k = 1; k < argc; k++) {
        const char *v;
        if (!strcmp(argv[k], "--help") || !strcmp(argv[k], "-h")) {
            fputs(usage, stdout);
            return 0;
        }
        if (cli_opt_value(argc, argv, &k, "--world", &v)) {
            if (!v) return cli_usage_error(cmd, "option %s needs a value", "--world");
            *world = v;
            continue;
        }
        return cli_usage_error(cmd, "unknown option \"%s\"", argv[k]);
    }
    return -1;
}

int cmd_info(int argc, char **argv)
{
    const char *world;
    int rc = world_only(argc, argv, "info", usage_info, &world);
    if (rc >= 0) return rc;
    tw_error err;
    tw_error_clear(&err);
    tw_world *w = cli_load_world(world, &err);
    if (!w) {
        cli_error(&err);
        return tw_status_exit_code(err.code);
    }
    rc = tw_report_info(stdout, w) == 0 ? 0 : 3;
    tw_world_free(w);
    return rc;
}

int cmd_validate(int argc, char **argv)
{
    const char *world;
    int rc = world_only(argc, argv, "validate", usage_validate, &world);
    if (rc >= 0) return rc;
    tw_error err;
    tw_error_clear(&err);
    tw_world *w = cli_load_world(world, &err);
    if (!w) {
        cli_error(&err);
        return tw_status_exit_code(err.code);
    }
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
    "                      [--tol X] [--max-iter N] [--step X]\n"
    "                      [--json | --csv] [--bilateral] [--sectors] [--output FILE]\n"
    "                      [--plot FILE] [--save] [--db FILE]\n"
    "\n"
    "Solve the counterfactual equilibrium and report, per country, the exact welfare\n"
    "change (real income), real wage, price index, the Caliendo-Parro ToT and VoT\n"
    "terms, exports, imports and tariff revenue.\n"
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
    "  --json, --csv   machine-readable output instead of the table\n"
    "  --bilateral     add bilateral trade changes; --sectors: sectoral changes\n"
    "  --output FILE   write there (atomically) instead of standard output\n"
    "  --plot FILE     also draw welfare, real wage and prices by country (.svg, .png)\n"
    "  --save          keep the run in the run store; --db FILE: in that store\n"
    "                  (implies --save; see `tradewar runs --help`)\n"
    "\n"
    "Exit codes: 0 ok, 1 no convergence, 2 bad input or usage, 3 I/O error.\n";

int cmd_solve(int argc, char **argv)
{
    const char *world = NULL, *tariffs[MAX_FILES], *ntbs[MAX_FILES], *output = NULL;
    const char *plot = NULL, *db = NULL;
    int save = 0;
    size_t nt = 0, nn = 0;
    int json = 0, csv = 0;
    tw_report_opts ro = {0, 0, TW_TOL_DEFAULT, NULL};
    tw_method method = TW_METHOD_NEWTON;
    tw_deficits deficits = TW_DEFICITS_KEEP;
    double tol = TW_TOL_DEFAULT, step = TW_STEP_DEFAULT;
    long max_iter = 0;
    for (int k = 1; k < argc; k++) {
        const char *v, *a = argv[k];
        char *end;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(usage_solve, stdout);
            return 0;
        }
        if (!strcmp(a, "--json")) { json = 1; continue; }
        if (!strcmp(a, "--csv")) { csv = 1; continue; }
        if (!strcmp(a, "--bilateral")) { ro.bilateral = 1; continue; }
        if (!strcmp(a, "--sectors")) { ro.sectors = 1; continue; }
        if (!strcmp(a, "--save")) { save = 1; continue; }
        const char *names[] = {"--world", "--tariffs", "--ntb", "--deficits", "--method",
                               "--tol", "--max-iter", "--step", "--output", "--plot", "--db"};
        size_t which = 99;
        for (size_t q = 0; q < sizeof names / sizeof names[0] && which == 99; q++)
            if (cli_opt_value(argc, argv, &k, names[q], &v)) which = q;
        if (which == 99) return cli_usage_error("solve", "unknown option \"%s\"", a);
        if (!v) return cli_usage_error("solve", "option %s needs a value", names[which]);
        switch (which) {
        case 0: world = v; break;
        case 1:
            if (nt == MAX_FILES) return cli_usage_error("solve", "too many %s files", "--tariffs");
            tariffs[nt++] = v;
            break;
        case 2:
            if (nn == MAX_FILES) return cli_usage_error("solve", "too many %s files", "--ntb");
            ntbs[nn++] = v;
            break;
        case 3:
            if (cli_parse_deficits("solve", v, &deficits)) return 2;
            break;
        case 4:
            if (cli_parse_method("solve", v, &method)) return 2;
            break;
        case 5:
            if (cli_parse_tol("solve", v, &tol)) return 2;
            break;
        case 6:
            if (cli_parse_max_iter("solve", v, &max_iter)) return 2;
            break;
        case 7:
            errno = 0;
            step = strtod(v, &end);
            if (*end || errno || !(step > 0 && step <= 2))
                return cli_usage_error("solve", "--step \"%s\" is not a number in (0, 2]", v);
            break;
        case 8: output = v; break;
        case 9: plot = v; break;
        case 10: db = v; break;
        }
    }
    if (json && csv) return cli_usage_error("solve", "%s: choose one output format", "--json and --csv");
    if (plot && cli_plot_check("solve", plot)) return 2;

    tw_error err;
    tw_error_clear(&err);
    int rc = 0;
    tw_shock *shock = NULL;
    tw_solver *s = NULL;
    tw_result *r = NULL;
    tw_world *w = cli_load_world(world, &err);
    if (!w) goto fail;
    shock = cli_shock_from_files(w, tariffs, nt, ntbs, nn, &err);
    if (!shock) goto fail;
    s = tw_solver_create(w, &err);
    if (!s) goto fail;
    tw_solver_set_tol(s, tol);
    tw_solver_set_method(s, method);
    tw_solver_set_deficits(s, deficits);
    tw_solver_set_step(s, step);
    tw_solver_set_max_iter(s, (size_t)max_iter);
    double t0 = tw_clock_seconds();
    r = tw_solver_run(s, shock, &err);
    double secs = tw_clock_seconds() - t0;
    if (!r) goto fail;
    cli_warn_baseline_gap(w, r);

    char label[1024] = "";
    for (size_t q = 0; q < nt; q++)
        snprintf(label + strlen(label), sizeof label - strlen(label), "%s%s", q ? ", " : "",
                 tariffs[q]);
    for (size_t q = 0; q < nn; q++)
        snprintf(label + strlen(label), sizeof label - strlen(label), "%sntb %s",
                 (q || nt) ? ", " : "", ntbs[q]);
    ro.scenario = label[0] ? label : "none (zero shock)";
    ro.tol = tol;
    tw_outfile of;
    FILE *out = cli_open_output(output, &of);
    if (!out) {
        rc = 3;
        goto done;
    }
    int ok = 1;
    if (json) {
        char *txt = tw_report_json(w, r, &ro);
        ok = txt && fprintf(out, "%s\n", txt) >= 0;
        free(txt);
    } else if (csv) {
        ok = tw_report_csv(out, w, r, &ro) == 0;
    } else {
        ok = tw_report_table(out, w, r, &ro) == 0;
    }
    if (cli_close_output(out, &of, ok) != 0 || !ok) {
        fprintf(stderr, "tradewar: %s: cannot write the result\n", output ? output : "stdout");
        rc = 3;
    }
    if (rc == 0 && plot) rc = cli_plot_solve(plot, w, r, ro.scenario);
    if (rc == 0 && (save || db))
        rc = cli_save_solve(db, w, r, tariffs, nt, ntbs, nn, tol, max_iter, step, secs);
    goto done;
fail:
    cli_error(&err);
    if (err.code == TW_ENOCONV && strstr(err.msg, "no equilibrium with positive incomes"))
        fprintf(stderr, "  hint: try --deficits purge\n");
    else if (err.code == TW_ENOCONV)
        fprintf(stderr, "  hint: raise --max-iter%s\n",
                method == TW_METHOD_TATONNEMENT ? ", lower --step or try --method newton" : "");
    rc = tw_status_exit_code(err.code);
done:
    tw_result_free(r);
    tw_solver_free(s);
    tw_shock_free(shock);
    tw_world_free(w);
    return rc;
}

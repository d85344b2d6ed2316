/* timeline.c - the timeline subcommand: replay a dated scenario. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tradewar/limits.h"
#include "tradewar/report.h"
#include "tradewar/scenario.h"
#include "tradewar/solve.h"
#include "cli.h"
#include "runs.h"

#define MAX_SET 64

static const char *const usage_timeline =
    "usage: tradewar timeline [FILE] [--world DIR|NAME] [--set EVENT]... [--check]\n"
    "                         [--json | --csv] [--output FILE] [--deficits keep|purge]\n"
    "                         [--method newton|tatonnement] [--tol X]\n"
    "                         [--plot FILE] [--save] [--db FILE]\n"
    "\n"
    "Replay a dated scenario (docs/scenario-format.md) step by step, solving the\n"
    "equilibrium after every step, each from the previous one.  Prints per step the\n"
    "average tariffs and goods trade between the two focus countries, and welfare,\n"
    "real wage, consumer prices and tariff revenue of the focus countries and of the\n"
    "three other countries most affected.\n"
    "\n"
    "  FILE          the scenario (default: data/scenarios/us-china-2025.tw)\n"
    "  --world       overrides the scenario's world (default world2011)\n"
    "  --set EVENT   turn on a declared event (a what-if branch); repeatable\n"
    "  --check       parse and check the file against the world, solve nothing\n"
    "  --plot FILE   also draw the focus countries' welfare and the two average\n"
    "                tariffs over the dates (.svg or .png)\n"
    "  --save        keep the run in the run store; --db FILE: in that store\n"
    "                (implies --save; see `tradewar runs --help`)\n";

/* The steps as a table, JSON or CSV, to output (NULL = standard output);
 * an exit code. */
static int write_result(const char *output, int json, int csv, const char *const *set,
                        size_t nset, const tw_timeline *tl)
{
    tw_outfile of;
    FILE *out = cli_open_output(output, &of);
    if (!out) return 3;
    int ok;
    if (json) {
        char *txt = tw_report_timeline_json(tl);
        ok = txt && fprintf(out, "%s\n", txt) >= 0;
        free(txt);
    } else if (csv) {
        ok = tw_report_timeline_csv(out, tl) == 0;
    } else {
        if (nset) {
            fprintf(out, "events set:");
            for (size_t q = 0; q < nset; q++) fprintf(out, " %s", set[q]);
            fputc('\n', out);
        }
        ok = tw_report_timeline_table(out, tl) == 0;
    }
    if (cli_close_output(out, &of, ok) != 0 || !ok) {
        fprintf(stderr, "tradewar: %s: cannot write the result\n", output ? output : "stdout");
        return 3;
    }
    return 0;
}

int cmd_timeline(int argc, char **argv)
{
    const char *file = NULL, *world = NULL, *output = NULL, *set[MAX_SET];
    const char *plot = NULL, *db = NULL;
    int save = 0;
    size_t nset = 0;
    int json = 0, csv = 0, check = 0;
    tw_method method = TW_METHOD_NEWTON;
    tw_deficits deficits = TW_DEFICITS_KEEP;
    double tol = TW_TOL_DEFAULT;
    for (int k = 1; k < argc; k++) {
        const char *a = argv[k], *v = NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(usage_timeline, stdout);
            return 0;
        }
        if (!strcmp(a, "--json")) { json = 1; continue; }
        if (!strcmp(a, "--csv")) { csv = 1; continue; }
        if (!strcmp(a, "--check")) { check = 1; continue; }
        if (!strcmp(a, "--save")) { save = 1; continue; }
        const char *names[] = {"--world", "--set", "--output", "--method", "--deficits", "--tol",
                               "--plot", "--db"};
        size_t which = 99;
        for (size_t q = 0; q < 8 && which == 99; q++)
            if (cli_opt_value(argc, argv, &k, names[q], &v)) which = q;
        if (which == 99) {
            if (a[0] == '-' && a[1]) return cli_usage_error("timeline", "unknown option \"%s\"", a);
            if (file) return cli_usage_error("timeline", "more than one scenario file (\"%s\")", a);
            file = a;
            continue;
        }
        if (!v) return cli_usage_error("timeline", "option %s needs a value", names[which]);
        switch (which) {
        case 0: world = v; break;
        case 1:
            if (nset == MAX_SET) return cli_usage_error("timeline", "too many %s options", "--set");
            set[nset++] = v;
            break;
        case 2: output = v; break;
        case 3:
            if (cli_parse_method("timeline", v, &method)) return 2;
            break;
        case 4:
            if (cli_parse_deficits("timeline", v, &deficits)) return 2;
            break;
        case 5:
            if (cli_parse_tol("timeline", v, &tol)) return 2;
            break;
        case 6: plot = v; break;
        case 7: db = v; break;
        }
    }
    if (json && csv) return cli_usage_error("timeline", "%s: choose one output format", "--json and --csv");
    if (plot && cli_plot_check("timeline", plot)) return 2;
    char defpath[4096];
    if (!file) file = cli_data_path("scenarios/us-china-2025.tw", defpath, sizeof defpath);

    tw_error err;
    tw_error_clear(&err);
    int rc = 0;
    tw_world *w = NULL;
    tw_solver *s = NULL;
    tw_timeline *tl = NULL;
    tw_scenario *sc = tw_scenario_load_limited(file, cli_max_input_bytes(TW_INPUT_MAX_BYTES), &err);
    if (!sc) goto fail;
    w = cli_load_world(world ? world : tw_scenario_world(sc), &err);
    if (!w) goto fail;
    if (check) {
        if (tw_scenario_check(sc, w, &err)) goto fail;
        size_t na = 0;
        for (size_t k = 0; k < tw_scenario_n_steps(sc); k++) na += tw_scenario_step_n_actions(sc, k);
        printf("ok: %s: %zu steps, %zu actions, %zu events, checked against %s\n", file,
               tw_scenario_n_steps(sc), na, tw_scenario_n_events(sc), tw_world_dir(w));
        goto done;
    }
    s = tw_solver_create(w, &err);
    if (!s) goto fail;
    tw_solver_set_tol(s, tol);
    tw_solver_set_method(s, method);
    tw_solver_set_deficits(s, deficits);
    double t0 = tw_clock_seconds();
    tl = tw_timeline_run(sc, w, set, nset, s, &err);
    double secs = tw_clock_seconds() - t0;
    if (!tl) goto fail;
    rc = write_result(output, json, csv, set, nset, tl);
    if (rc == 0 && plot) rc = cli_plot_timeline(plot, tl);
    if (rc == 0 && (save || db)) rc = cli_save_timeline(db, file, set, nset, tl, tol, secs);
    goto done;
fail:
    cli_error(&err);
    rc = tw_status_exit_code(err.code);
done:
    tw_timeline_free(tl);
    tw_solver_free(s);
    tw_world_free(w);
    tw_scenario_free(sc);
    return rc;
}

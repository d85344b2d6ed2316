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
    "                         [--elasticities NAME|FILE] [--plot FILE] [--save] [--db FILE]\n"
    "\n"
    "Replay a dated scenario (docs/scenario-format.md) step by step, solving the\n"
    "equilibrium after every step, each from the previous one.  Prints per step the\n"
    "average tariffs and goods trade between the two focus countries, and welfare,\n"
    "real wage, consumer prices and tariff revenue of the focus countries and of the\n"
    "three other countries most affected.\n"
    "\n"
    "  FILE          the scenario (default: data/scenarios/us-china-2025.tw)\n"
    "  --world       overrides the scenario's world (default world2011); steps and\n"
    "                actions under `if region:CODE` run only on a world with\n"
    "                region CODE, those under `if !region:CODE` only on one without\n"
    "  --set EVENT   turn on a declared event (a what-if branch); repeatable\n"
    "  --check       parse and check the file against the world, solve nothing\n"
    "  --status-quo-layers\n"
    "                print, as the rows of a baseline_layers.csv, the tariff layers\n"
    "                the first step leaves on the world (for a world whose baseline\n"
    "                is to hold them; docs/scenario-format.md), solve nothing\n"
    "  --output FILE write there (atomically) instead of standard output; with\n"
    "                --csv, FILE.meta.json beside it holds the JSON's other fields\n"
    CLI_ELASTICITIES_HELP
    "  --plot FILE   also draw the focus countries' welfare and the two average\n"
    "                tariffs over the dates (.svg or .png)\n"
    "  --save        keep the run in the run store; --db FILE: in that store\n"
    "                (implies --save; see `tradewar runs --help`)\n";

typedef struct timeline_opts {
    const char *file, *world, *output, *plot, *db, *elast, *set[MAX_SET];
    size_t nset;
    int json, csv, check, save, layers;
    tw_method method;
    tw_deficits deficits;
    double tol;
} timeline_opts;

/* The steps as a table, JSON or CSV. */
typedef struct timeline_report {
    const timeline_opts *o;
    const tw_timeline *tl;
} timeline_report;

static int write_steps(FILE *out, const void *ud)
{
    const timeline_report *tr = ud;
    const timeline_opts *o = tr->o;
    if (o->csv) return tw_report_timeline_csv(out, tr->tl);
    if (o->json) {
        char *txt = tw_report_timeline_json(tr->tl);
        int ok = txt && fprintf(out, "%s\n", txt) >= 0;
        free(txt);
        return ok ? 0 : -1;
    }
    if (o->nset) {
        fprintf(out, "events set:");
        for (size_t q = 0; q < o->nset; q++) fprintf(out, " %s", o->set[q]);
        fputc('\n', out);
    }
    return tw_report_timeline_table(out, tr->tl);
}

/* The scenario file: one argument that is not an option. */
static int scenario_file(const cli_parser *p, int k, const char *arg)
{
    (void)k;
    const char **file = p->ctx;
    if (*file) return cli_opt_error(p, "more than one scenario file (\"%s\")", arg);
    *file = arg;
    return 0;
}

/* -1 to go on, else the exit code. */
static int parse_timeline(int argc, char **argv, timeline_opts *o)
{
    *o = (timeline_opts){
        .method = TW_METHOD_NEWTON, .deficits = TW_DEFICITS_KEEP, .tol = TW_TOL_DEFAULT};
    const cli_opt opts[] = {
        CLI_STRING("--world", &o->world),
        CLI_STRING("--elasticities", &o->elast),
        CLI_LIST("--set", o->set, &o->nset, MAX_SET, "too many %s options"),
        CLI_FLAG("--check", &o->check),
        CLI_FLAG("--status-quo-layers", &o->layers),
        CLI_FLAG("--json", &o->json),
        CLI_FLAG("--csv", &o->csv),
        CLI_STRING("--output", &o->output),
        CLI_SOLVER_OPTS(&o->deficits, &o->method, &o->tol),
        CLI_STRING("--plot", &o->plot),
        CLI_FLAG("--save", &o->save),
        CLI_STRING("--db", &o->db),
        CLI_END,
    };
    const cli_parser p = {.cmd = "timeline", .usage = usage_timeline, .opts = opts,
                          .positional = scenario_file, .ctx = &o->file};
    int rc = cli_parse_opts(&p, argc, argv);
    if (rc >= 0) return rc;
    return cli_check_outputs("timeline", o->json, o->csv, o->plot);
}

/* --check: sc against w, printed; 0, or -1 with err set. */
static int check_scenario(const tw_scenario *sc, const tw_world *w, const char *file, tw_error *err)
{
    if (tw_scenario_check(sc, w, err)) return -1;
    size_t na = 0;
    for (size_t k = 0; k < tw_scenario_n_steps(sc); k++) na += tw_scenario_step_n_actions(sc, k);
    printf("ok: %s: %zu steps, %zu actions, %zu events, checked against %s\n", file,
           tw_scenario_n_steps(sc), na, tw_scenario_n_events(sc), tw_world_dir(w));
    return 0;
}

/* --status-quo-layers: one CSV row per layer and cell. */
typedef struct layer_rows {
    FILE *out;
    const tw_world *w;
} layer_rows;

static void layer_row(void *ud, const char *layer, size_t n, size_t i, size_t j, double v)
{
    const layer_rows *lr = ud;
    fprintf(lr->out, "%s,%s,%s,%s,%.17g,1\n", layer, tw_world_country_code(lr->w, n),
            tw_world_country_code(lr->w, i), tw_world_sector_code(lr->w, j), v);
}

typedef struct layers_job {
    const tw_scenario *sc;
    const tw_world *w;
    tw_error *err;
} layers_job;

static int write_layers(FILE *out, const void *ud)
{
    const layers_job *lj = ud;
    layer_rows lr = {out, lj->w};
    fputs("layer,importer,exporter,sector,rate,share\n", out);
    return tw_scenario_first_step_layers(lj->sc, lj->w, layer_row, &lr, lj->err) ? -2 : 0;
}

static int status_quo_layers(const timeline_opts *o, const tw_scenario *sc, const tw_world *w)
{
    tw_error err;
    tw_error_clear(&err);
    /* checked first, so that an error leaves no half-written output */
    if (tw_scenario_check(sc, w, &err)) return cli_fail(&err);
    layers_job lj = {sc, w, &err};
    int rc = cli_write_output(o->output, "layers", write_layers, &lj);
    return err.code ? cli_fail(&err) : rc;
}

/* --csv: the steps at --output, and the JSON's other fields beside them in
 * FILE.meta.json. */
static int write_csv(const timeline_report *tr)
{
    const cli_table t = {"steps", ".csv", write_steps, tr};
    char *meta = tr->o->output ? tw_report_timeline_json(tr->tl) : NULL;
    if (tr->o->output && !meta) {
        fprintf(stderr, "tradewar: %s: out of memory\n", tr->o->output);
        return 3;
    }
    int rc = cli_write_tables("timeline", "result", tr->o->output, &t, 1, meta);
    free(meta);
    return rc;
}

/* Replay sc on w, then write, draw and save the steps; an exit code. */
static int replay(const timeline_opts *o, const tw_scenario *sc, const tw_world *w)
{
    tw_error err;
    tw_error_clear(&err);
    tw_solver *s = tw_solver_create(w, &err);
    if (!s) return cli_fail(&err);
    tw_solver_set_tol(s, o->tol);
    tw_solver_set_method(s, o->method);
    tw_solver_set_deficits(s, o->deficits);
    double t0 = tw_clock_seconds();
    tw_timeline *tl = tw_timeline_run(sc, w, o->set, o->nset, s, &err);
    double secs = tw_clock_seconds() - t0;
    int rc = tl ? 0 : cli_fail(&err);
    const timeline_report tr = {o, tl};
    if (rc == 0) rc = o->csv ? write_csv(&tr) : cli_write_output(o->output, "result", write_steps, &tr);
    if (rc == 0 && o->plot) rc = cli_plot_timeline(o->plot, tl);
    if (rc == 0 && (o->save || o->db))
        rc = cli_save_timeline(o->db, o->file, o->set, o->nset, tl, o->tol, secs);
    tw_timeline_free(tl);
    tw_solver_free(s);
    return rc;
}

int cmd_timeline(int argc, char **argv)
{
    timeline_opts o;
    int rc = parse_timeline(argc, argv, &o);
    if (rc >= 0) return rc;
    char defpath[4096];
    if (!o.file) o.file = cli_data_path("scenarios/us-china-2025.tw", defpath, sizeof defpath);
    tw_error err;
    tw_error_clear(&err);
    tw_world *w = NULL;
    tw_scenario *sc =
        tw_scenario_load_limited(o.file, cli_max_input_bytes(TW_INPUT_MAX_BYTES), &err);
    if (sc) w = cli_load_world_with(o.world ? o.world : tw_scenario_world(sc), o.elast, &err);
    if (!w) rc = cli_fail(&err);
    else if (o.check) rc = check_scenario(sc, w, o.file, &err) ? cli_fail(&err) : 0;
    else if (o.layers) rc = status_quo_layers(&o, sc, w);
    else rc = replay(&o, sc, w);
    tw_world_free(w);
    tw_scenario_free(sc);
    return rc;
}

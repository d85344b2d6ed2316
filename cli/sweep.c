/* sweep.c - the sweep subcommand: elasticity draws, elasticity sets and
 * tariff grids over a counterfactual or a timeline step, solved or played as
 * a Nash war, on threads and MPI ranks (docs/sweep.md).
 *
 * A thin shell: the plan, the work split and every number come from
 * libtradewar (tradewar/sweep.h); sweep_mpi.c moves results to rank 0.  Only
 * rank 0 prints and writes; what it writes does not depend on the number of
 * threads or ranks, so outputs of different splits compare byte for byte. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tradewar/policy.h"
#include "tradewar/report.h"
#include "tradewar/scenario.h"
#include "tradewar/sweep.h"
#include "cli.h"
#include "sweep_mpi.h"

#define MAX_FILES 64
#define MAX_GRID TW_SWEEP_MAX_AXES

static const char *const usage_sweep =
    "usage: tradewar sweep [--world DIR|NAME] [--elasticities NAME|FILE]\n"
    "                      [--tariffs FILE]... [--ntb FILE]...\n"
    "                      [--timeline FILE --step DATE [--set EVENT]...]\n"
    "                      [--draws K [--seed S] [--sigma X] | --theta-set NAME[,NAME]|all\n"
    "                       [--theta-file FILE]] [--grid IMP,EXP,SEC:FROM:TO:STEP]...\n"
    "                      [--nash A,B[,...]] [--threads N] [--out FILE] [--summary FILE]\n"
    "                      [--cold] [--deficits keep|purge] [--method newton|tatonnement]\n"
    "                      [--tol X] [--max-iter N] [--progress | --quiet] [--timing]\n"
    "\n"
    "Solve many equilibria at once: draws of the trade elasticities (how sure is\n"
    "the answer?) and grids of tariff levels (the map of a war), each over the\n"
    "policy of a counterfactual or of one timeline step.  Prints a summary: the\n"
    "point estimate, median and 5-95 % band per country and statistic, or the\n"
    "welfare map of a grid; failed (non-converged) solves are counted and listed.\n"
    "\n"
    "  --tariffs, --ntb     the policy swept over (as in `tradewar solve`)\n"
    "  --timeline FILE      ...or the tariffs and NTBs after one step of a scenario;\n"
    "  --step DATE          the step by date (YYYY-MM-DD; the last step of that date),\n"
    "                       label, or \"last\"; --set EVENT turns on a what-if branch\n"
    "  --draws K            K draws theta_j exp(sigma z_j), z_j ~ N(0,1) per sector\n"
    "  --seed S, --sigma X  of the draws (defaults 1 and 0.25); draw d depends only\n"
    "                       on (S, d), never on the split\n"
    "  --elasticities NAME|FILE  the point set (variant 0): a named set of the\n"
    "                       world or a file set,sector,theta; draws are centred on it\n"
    "  --theta-set NAMES    also solve these named elasticity sets of the world (all:\n"
    "                       every set but the point set), or of --theta-file FILE\n"
    "  --grid SPEC          a tariff axis: importer,exporter,sector ('*' = all) set to\n"
    "                       FROM, FROM+STEP, ... TO (levels: 1.5 = 150 %); repeatable,\n"
    "                       the last axis varies fastest\n"
    "  --nash A,B           at every point, the Nash war among these players with\n"
    "                       uniform tariffs on each other (instead of one solve)\n"
    "  --threads N          worker threads per process (default 1); under mpirun or\n"
    "                       srun the work is also split over the MPI ranks\n"
    "  --out FILE           per-draw results, one row per (theta, grid point, country)\n"
    "  --summary FILE       the bands as CSV, one row per (grid point, country, stat);\n"
    "                       each CSV gets FILE.meta.json beside it (version, world,\n"
    "                       elasticity set, solver options)\n"
    "  --cold               solve every grid point cold (default: warm starts along\n"
    "                       chains of points that one worker owns whole)\n"
    "  --progress, --quiet  force or suppress the progress bar (default: on a terminal)\n"
    "  --timing             print solves per second to standard error\n"
    "\n"
    "Exit codes: 0 ok (failed solves are reported, not fatal), 1 every solve failed,\n"
    "2 bad input or usage, 3 I/O error.\n";

typedef struct opts {
    const char *world, *elast, *tariffs[MAX_FILES], *ntbs[MAX_FILES], *timeline, *step;
    const char *set[MAX_FILES], *theta_set, *theta_file, *grid[MAX_GRID], *nash;
    const char *out, *summary;
    size_t nt, nn, nset, ngrid;
    long draws, threads, max_iter;
    uint64_t seed;
    double sigma, tol;
    int cold, progress, quiet, timing;
    tw_method method;
    tw_deficits deficits;
} opts;

typedef struct bar {
    int on, rank, size;
    double t0;
} bar;

static void show_progress(void *ud, size_t done, size_t total)
{
    bar *b = ud;
    if (!b->on || total == 0) return;
    double t = tw_clock_seconds() - b->t0;
    int width = 30, fill = (int)((double)width * (double)done / (double)total);
    char line[64];
    for (int k = 0; k < width; k++) line[k] = k < fill ? '#' : '.';
    line[width] = '\0';
    fprintf(stderr, "\rsweep%s [%s] %zu/%zu units, %.1f s", b->size > 1 ? " (rank 0)" : "", line,
            done, total, t);
    if (done > 0 && done < total)
        fprintf(stderr, ", about %.0f s left ", t / (double)done * (double)(total - done));
    else
        fputs("              ", stderr);
    if (done == total) fputc('\n', stderr);
    fflush(stderr);
}

/* --seed S: an integer >= 0 into the options (ctx). */
static int set_seed(const cli_parser *p, const cli_opt *o, const char *v)
{
    (void)o;
    opts *op = p->ctx;
    char *end;
    errno = 0;
    unsigned long long x = strtoull(v, &end, 10);
    if (*end || errno || v[0] == '-' || !*v)
        return cli_opt_error(p, "--seed \"%s\" is not an integer >= 0", v);
    op->seed = (uint64_t)x;
    return 0;
}

/* The options that go together: -1, or 2 with the message in p's msg. */
static int check(const cli_parser *p, const opts *o)
{
    if (o->draws && o->theta_set) return cli_opt_error(p, "%s: choose one", "--draws and --theta-set");
    if (o->timeline && (o->nt || o->nn))
        return cli_opt_error(p, "%s: choose one policy", "--timeline and --tariffs/--ntb");
    if (o->timeline && !o->step)
        return cli_opt_error(p, "%s needs --step DATE (or a label, or \"last\")", "--timeline");
    if (!o->timeline && (o->step || o->nset))
        return cli_opt_error(p, "%s needs --timeline FILE", o->step ? "--step" : "--set");
    if (o->theta_file && !o->theta_set)
        return cli_opt_error(p, "%s needs --theta-set NAME (or all)", "--theta-file");
    return -1;
}

/* Parse argv into o: -1 to go on, else an exit code (with the message in msg,
 * 1024 bytes, for a usage error; the usage for --help printed unless
 * quiet_rank). */
static int parse(int argc, char **argv, opts *o, int quiet_rank, char *msg)
{
    *o = (opts){.threads = 1, .seed = 1, .sigma = TW_SWEEP_SIGMA_DEFAULT, .tol = TW_TOL_DEFAULT};
    const cli_opt table[] = {
        CLI_STRING("--world", &o->world),
        CLI_STRING("--elasticities", &o->elast),
        CLI_LIST("--tariffs", o->tariffs, &o->nt, MAX_FILES, "too many %s files"),
        CLI_LIST("--ntb", o->ntbs, &o->nn, MAX_FILES, "too many %s files"),
        CLI_STRING("--timeline", &o->timeline),
        CLI_STRING("--step", &o->step),
        CLI_LIST("--set", o->set, &o->nset, MAX_FILES, "too many %s options"),
        CLI_LONG("--draws", &o->draws, 1, TW_SWEEP_MAX_DRAWS,
                 "--draws \"%s\" is not a positive integer"),
        CLI_SETTER("--seed", set_seed),
        CLI_NUM("--sigma", &o->sigma, 0, 5, "--sigma \"%s\" is not a number in [0, 5]"),
        CLI_STRING("--theta-set", &o->theta_set),
        CLI_STRING("--theta-file", &o->theta_file),
        CLI_LIST("--grid", o->grid, &o->ngrid, MAX_GRID, "too many %s axes"),
        CLI_STRING("--nash", &o->nash),
        CLI_LONG("--threads", &o->threads, 1, 1024,
                 "--threads \"%s\" is not an integer in [1, 1024]"),
        CLI_STRING("--out", &o->out),
        CLI_STRING("--summary", &o->summary),
        CLI_FLAG("--cold", &o->cold),
        CLI_SOLVER_OPTS(&o->deficits, &o->method, &o->tol),
        CLI_MAX_ITER(&o->max_iter),
        CLI_FLAG("--progress", &o->progress),
        CLI_FLAG("--quiet", &o->quiet),
        CLI_FLAG("--timing", &o->timing),
        CLI_END,
    };
    const cli_parser p = {.cmd = "sweep", .usage = quiet_rank ? NULL : usage_sweep,
                          .opts = table, .ctx = o, .msg = msg, .msg_size = 1024};
    int rc = cli_parse_opts(&p, argc, argv);
    return rc >= 0 ? rc : check(&p, o);
}

/* Format e as the one-line message the command prints. */
static void message(const tw_error *e, char *buf, size_t size)
{
    char what[700];
    tw_error_format(e, what, sizeof what);
    snprintf(buf, size, "tradewar: %s", what);
}

/* The step of tl named by date (its last step of that date), label or "last". */
static long find_step(const tw_timeline *tl, const char *step)
{
    size_t n = tw_timeline_n_steps(tl);
    if (!strcmp(step, "last")) return n ? (long)n - 1 : -1;
    for (size_t k = n; k-- > 0;)
        if (!strcmp(tw_timeline_step_date(tl, k), step)) return (long)k;
    for (size_t k = n; k-- > 0;)
        if (tw_timeline_step_label(tl, k) && !strcmp(tw_timeline_step_label(tl, k), step))
            return (long)k;
    return -1;
}

/* Load the world and the policy and lay out the sweep.  0, or an exit code
 * with the message in msg. */
static int setup(const opts *o, tw_world **wp, tw_sweep **sp, char *msg, size_t size)
{
    tw_error err;
    tw_error_clear(&err);
    tw_scenario *sc = NULL;
    tw_timeline *tl = NULL;
    tw_shock *shock = NULL;
    tw_solver *sv = NULL;
    tw_sweep *s = NULL;
    const double *tau = NULL, *dhat = NULL;
    if (o->timeline && !(sc = tw_scenario_load(o->timeline, &err))) goto fail;
    tw_world *w = cli_load_world_with(o->world ? o->world : sc ? tw_scenario_world(sc) : NULL,
                                      o->elast, &err);
    *wp = w;
    if (!w) goto fail;
    if (sc) {
        sv = tw_solver_create(w, &err);
        if (!sv) goto fail;
        tw_solver_set_deficits(sv, o->deficits);
        tl = tw_timeline_run(sc, w, o->set, o->nset, sv, &err);
        if (!tl) goto fail;
        long k = find_step(tl, o->step);
        if (k < 0) {
            tw_error_set(&err, TW_EINPUT, o->timeline, 0, 0,
                         "no step \"%s\" (expected a date YYYY-MM-DD, a label or \"last\")",
                         o->step);
            goto fail;
        }
        tau = tw_timeline_tariffs(tl, (size_t)k);
        dhat = tw_timeline_dhat(tl, (size_t)k);
    } else {
        shock = cli_shock_from_files(w, o->tariffs, o->nt, o->ntbs, o->nn, &err);
        if (!shock) goto fail;
        tau = tw_shock_tariffs(shock);
        dhat = tw_shock_dhat(shock);
    }
    s = tw_sweep_create(w, tau, dhat, &err);
    if (!s) goto fail;
    tw_sweep_set_tol(s, o->tol);
    tw_sweep_set_max_iter(s, (size_t)o->max_iter);
    tw_sweep_set_method(s, o->method);
    tw_sweep_set_deficits(s, o->deficits);
    tw_sweep_set_warm(s, !o->cold);
    if (o->draws && tw_sweep_set_draws(s, (size_t)o->draws, o->seed, o->sigma, &err)) goto fail;
    if (o->theta_set && o->theta_file) {
        if (tw_sweep_load_theta_sets(s, o->theta_file, o->theta_set, &err)) goto fail;
    } else if (o->theta_set && tw_sweep_add_world_sets(s, o->theta_set, &err)) {
        if (!err.file[0]) snprintf(err.field, sizeof err.field, "--theta-set");
        goto fail;
    }
    for (size_t q = 0; q < o->ngrid; q++)
        if (tw_sweep_add_axis(s, o->grid[q], &err)) goto fail;
    if (o->nash) {
        size_t players[256], np = 0;
        char buf[1024];
        snprintf(buf, sizeof buf, "%s", o->nash);
        for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
            long n = tw_world_country_index(w, t);
            if (n < 0 || np == 256) {
                tw_error_set(&err, TW_EINPUT, NULL, 0, 0, "unknown country \"%s\"", t);
                snprintf(err.field, sizeof err.field, "--nash");
                goto fail;
            }
            players[np++] = (size_t)n;
        }
        if (tw_sweep_set_nash(s, players, np, &err)) {
            snprintf(err.field, sizeof err.field, "--nash");
            goto fail;
        }
    }
    *sp = s;
    tw_shock_free(shock);
    tw_timeline_free(tl);
    tw_solver_free(sv);
    tw_scenario_free(sc);
    return 0;
fail:
    message(&err, msg, size);
    tw_sweep_free(s);
    tw_shock_free(shock);
    tw_timeline_free(tl);
    tw_solver_free(sv);
    tw_scenario_free(sc);
    return tw_status_exit_code(err.code ? err.code : TW_EINPUT);
}

/* The sweep's CSV of every draw, its summary CSV and its summary table. */
static int write_csv(FILE *f, const void *s) { return tw_sweep_write_csv(f, s); }
static int write_summary_csv(FILE *f, const void *s) { return tw_sweep_write_summary_csv(f, s); }
static int write_summary(FILE *f, const void *s) { return tw_sweep_write_summary(f, s); }

/* A CSV of the sweep at path with FILE.meta.json beside it: {"meta": the
 * world and the solver options}. */
static int write_table(const char *path, const char *name,
                       int (*write)(FILE *f, const void *s), const tw_sweep *s,
                       const tw_world *w, const opts *o)
{
    char *m = tw_report_meta_json(w, tw_deficits_name(o->deficits), tw_method_name(o->method),
                                  o->tol);
    size_t len = m ? strlen(m) + 16 : 0;
    char *doc = m ? malloc(len) : NULL;
    if (doc) snprintf(doc, len, "{\"meta\":%s}", m);
    free(m);
    if (!doc) {
        fprintf(stderr, "tradewar: %s: out of memory\n", path);
        return 3;
    }
    const cli_table t = {name, ".csv", write, s};
    int rc = cli_write_tables("sweep", "results", path, &t, 1, doc);
    free(doc);
    return rc;
}

int cmd_sweep(int argc, char **argv)
{
    opts o;
    char msg[1024] = "";
    /* every rank parses the same arguments; rank 0 alone says what is wrong */
    int rc = parse(argc, argv, &o, sweep_env_rank() != 0, msg);
    if (rc >= 0) {
        if (msg[0] && sweep_env_rank() == 0) fprintf(stderr, "%s\n", msg);
        return rc;
    }
    int rank, size;
    rc = sweep_mpi_start(&argc, &argv, &rank, &size);
    if (rc) return rc;
    tw_world *w = NULL;
    tw_sweep *s = NULL;
    rc = sweep_mpi_agree(setup(&o, &w, &s, msg, sizeof msg), msg);
    if (rc) goto done;

    bar b = {rank == 0 && !o.quiet && (o.progress || isatty(2)), rank, size, tw_clock_seconds()};
    tw_error err;
    tw_error_clear(&err);
    tw_status st = tw_sweep_run(s, (size_t)rank, (size_t)size, (size_t)o.threads, show_progress,
                                &b, &err);
    if (st) message(&err, msg, sizeof msg);
    rc = sweep_mpi_agree(st ? tw_status_exit_code(st) : 0, msg);
    if (rc) goto done;
    rc = sweep_mpi_gather(s);
    if (rc || rank != 0) goto done;
    double secs = tw_clock_seconds() - b.t0;

    size_t total = tw_sweep_n_variants(s) * tw_sweep_n_points(s), failed = tw_sweep_n_failed(s);
    if (o.out) rc = write_table(o.out, "draws", write_csv, s, w, &o);
    if (!rc && o.summary) rc = write_table(o.summary, "summary", write_summary_csv, s, w, &o);
    if (!rc) rc = cli_write_output(NULL, "results", write_summary, s);
    if (o.timing)
        fprintf(stderr, "sweep: %zu %s, %zu failed, %.3f s, %.1f %s/s (%d rank%s x %ld thread%s)\n",
                total, tw_sweep_is_nash(s) ? "equilibria" : "solves", failed, secs,
                (double)total / secs, tw_sweep_is_nash(s) ? "equilibria" : "solves", size,
                size > 1 ? "s" : "", o.threads, o.threads > 1 ? "s" : "");
    if (!rc && failed) {
        fprintf(stderr,
                "tradewar: sweep: %zu of %zu %s did not converge; they are listed in the "
                "summary, left out of the bands, and have converged=0 in --out\n",
                failed, total, tw_sweep_is_nash(s) ? "equilibria" : "solves");
        if (failed == total) rc = 1;
    }
done:
    tw_sweep_free(s);
    tw_world_free(w);
    sweep_mpi_end();
    return rc;
}

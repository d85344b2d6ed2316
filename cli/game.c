/* game.c - the optimal, nash, talks and escalate subcommands: thin shells over
 * the game layer (include/tradewar/game.h). */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stddef.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tradewar/json.h"
#include "tradewar/game.h"
#include "tradewar/report.h"
#include "tradewar/util.h"
#include "cli.h"
#include "cli_game.h"

/* Progress lines on stderr once a search has run for more than a second. */
void gc_progress(void *ud, const char *line)
{
    prog *p = ud;
    if (tw_clock_seconds() - p->t0 < 1.0) return;
    fprintf(stderr, "tradewar: %s\n", line);
    p->shown = 1;
}

/* Parse "USA,CHN" or "all" into indices; 2 and a message on a bad code. */
int gc_country_list(const tw_world *w, const char *cmd, const char *opt, const char *spec,
                        size_t *out, size_t *n)
{
    size_t N = tw_world_n_countries(w);
    *n = 0;
    if (!strcmp(spec, "all")) {
        for (size_t k = 0; k < N && k < MAXP; k++) out[(*n)++] = k;
        return 0;
    }
    char buf[2048];
    snprintf(buf, sizeof buf, "%s", spec);
    for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
        long k = tw_world_country_index(w, tok);
        if (k < 0) {
            const char *codes[MAXP];
            for (size_t q = 0; q < N && q < MAXP; q++) codes[q] = tw_world_country_code(w, q);
            const char *g = tw_suggest(tok, codes, N < MAXP ? N : MAXP);
            fprintf(stderr, "tradewar: %s: %s: unknown country \"%s\"", cmd, opt, tok);
            if (g) fprintf(stderr, " (did you mean \"%s\"?)", g);
            fputc('\n', stderr);
            return 2;
        }
        for (size_t q = 0; q < *n; q++)
            if (out[q] == (size_t)k) {
                fprintf(stderr, "tradewar: %s: %s: \"%s\" listed twice\n", cmd, opt, tok);
                return 2;
            }
        if (*n == MAXP) return cli_usage_error(cmd, "too many countries in %s", opt);
        out[(*n)++] = (size_t)k;
    }
    if (*n == 0) return cli_usage_error(cmd, "%s lists no country", opt);
    return 0;
}

int gc_players(const gopts *o, const tw_world *w, const char *cmd, size_t *pl, size_t *np)
{
    int rc = gc_country_list(w, cmd, "--players", o->players, pl, np);
    if (!rc && *np < 2)
        rc = cli_usage_error(cmd, "--players needs at least two countries, not \"%s\"", o->players);
    return rc;
}

/* Income-weighted world welfare change, %. */
double gc_world_welfare(const tw_world *w, const tw_result *r)
{
    (void)w;
    return tw_pct(tw_game_world_welfare_hat(r));
}

/* The effects by country: the result columns the game outputs show. */
void gc_effects_table(const tw_world *w, const tw_result *r)
{
    const tw_column *cols[TW_REPORT_MAX_COLUMNS];
    size_t m = tw_report_view(TW_LEVEL_COUNTRY, TW_SHOW_GAME, cols, TW_REPORT_MAX_COLUMNS);
    printf("%-8s", "country");
    for (size_t q = 0; q < m; q++) printf(" %10s", tw_column_heading(cols[q]));
    putchar('\n');
    for (size_t n = 0; n < tw_world_n_countries(w); n++) {
        printf("%-8s", tw_world_country_code(w, n));
        for (size_t q = 0; q < m; q++)
            printf(" %10.*f", tw_column_decimals(cols[q]), tw_column_value(cols[q], r, n, 0, 0));
        putchar('\n');
    }
    printf("world (income-weighted) welfare: %+.4f %%\n", gc_world_welfare(w, r));
}

cJSON *gc_effects_json(const tw_world *w, const tw_result *r)
{
    const tw_column *cols[TW_REPORT_MAX_COLUMNS];
    size_t m = tw_report_view(TW_LEVEL_COUNTRY, TW_SHOW_GAME_JSON, cols, TW_REPORT_MAX_COLUMNS);
    cJSON *arr = cJSON_CreateArray();
    for (size_t n = 0; arr && n < tw_world_n_countries(w); n++) {
        cJSON *c = cJSON_CreateObject();
        if (!c) break;
        cJSON_AddItemToArray(arr, c);
        cJSON_AddStringToObject(c, "code", tw_world_country_code(w, n));
        for (size_t q = 0; q < m; q++)
            cJSON_AddNumberToObject(c, tw_column_name(cols[q]), tw_column_value(cols[q], r, n, 0, 0));
    }
    return arr;
}


/* A number, or 2 after saying it is not one. */
static int number(const cli_parser *p, const char *v, double *d)
{
    char *end;
    errno = 0;
    *d = strtod(v, &end);
    if (*end || errno || !isfinite(*d)) return cli_opt_error(p, "\"%s\" is not a number", v);
    return 0;
}

static int set_instrument(const cli_parser *p, const cli_opt *o, const char *v)
{
    (void)o;
    gopts *g = p->ctx;
    if (tw_instrument_parse(v, &g->instr))
        return cli_opt_error(p, "--instrument \"%s\" is not uniform, partner, sector or partner-sector", v);
    return 0;
}

/* A whole number in [lo, hi] of the row into its int. */
static int whole(const cli_parser *p, const cli_opt *o, const char *v)
{
    double d;
    if (number(p, v, &d)) return 2;
    if (d < o->lo || d > o->hi || floor(d) != d) {
        char fmt[96];
        snprintf(fmt, sizeof fmt, "%s \"%%s\" is not a whole number from %g to %g", o->name, o->lo,
                 o->hi);
        return cli_opt_error(p, fmt, v);
    }
    *o->to.i = (int)d;
    return 0;
}

/* A number in (0, hi] of the row into its double. */
static int up_to(const cli_parser *p, const cli_opt *o, const char *v)
{
    double d;
    if (number(p, v, &d)) return 2;
    if (!(d > 0 && d <= o->hi)) {
        char fmt[64];
        snprintf(fmt, sizeof fmt, "%s \"%%s\" is not in (0, %g]", o->name, o->hi);
        return cli_opt_error(p, fmt, v);
    }
    *o->to.d = d;
    return 0;
}

#define GC_WHOLE(nm, p, low, high) \
    {.name = (nm), .kind = CLI_OPT_SETTER, .set = whole, .to.i = (p), .lo = (low), .hi = (high)}
#define GC_UP_TO(nm, p, high) \
    {.name = (nm), .kind = CLI_OPT_SETTER, .set = up_to, .to.d = (p), .hi = (high)}

static void gopts_defaults(gopts *o)
{
    memset(o, 0, sizeof *o);
    o->instr = TW_INSTR_UNIFORM;
    o->frontier = 5;
    o->rounds = 20;
    o->step = 0.10;
    o->factor = 1.0;
    o->cap = 2.0;
    o->hi = 5.0;
    o->method = TW_METHOD_NEWTON;
    o->deficits = TW_DEFICITS_KEEP;
    o->tol = TW_GAME_TOL_DEFAULT;
}

/* The first of the required options (names of string options) not given:
 * 2 after saying so, else -1. */
static int check_required(const char *cmd, const cli_opt *opts, const char *const *required)
{
    for (; required && *required; required++)
        for (const cli_opt *o = opts; o->name; o++)
            if (!strcmp(o->name, *required) && !*o->to.s)
                return cli_usage_error(cmd, "%s is required", o->name);
    return -1;
}

int gc_parse(int argc, char **argv, const char *cmd, const char *usage,
             const char *const *required, gopts *o)
{
    gopts_defaults(o);
    const cli_opt opts[] = {
        CLI_STRING("--country", &o->country),
        CLI_STRING("--against", &o->against),
        CLI_STRING("--players", &o->players),
        CLI_SETTER("--instrument", set_instrument),
        CLI_STRING("--threat", &o->threat),
        CLI_STRING("--concession", &o->concession),
        CLI_STRING("--deal", &o->deal),
        CLI_STRING("--rule", &o->rule),
        CLI_STRING("--weights", &o->weights),
        CLI_STRING("--over", &o->over),
        GC_WHOLE("--rounds", &o->rounds, 1, 1000),
        GC_UP_TO("--step", &o->step, 5),
        GC_UP_TO("--factor", &o->factor, 10),
        GC_UP_TO("--cap", &o->cap, 100),
        GC_WHOLE("--frontier", &o->frontier, 0, 50),
        CLI_STRING("--world", &o->world),
        CLI_STRING("--elasticities", &o->elast),
        CLI_STRING("--tariffs", &o->tariffs),
        GC_UP_TO("--max-tariff", &o->hi, 100),
        CLI_FLAG("--json", &o->json),
        CLI_SOLVER_OPTS(&o->deficits, &o->method, &o->tol),
        CLI_END,
    };
    const cli_parser p = {.cmd = cmd, .usage = usage, .opts = opts, .ctx = o};
    int rc = cli_parse_opts(&p, argc, argv);
    return rc >= 0 ? rc : check_required(cmd, opts, required);
}

void gc_teardown(gc_env *e)
{
    tw_game_free(e->g);
    tw_shock_free(e->s);
    tw_world_free(e->w);
}

int gc_setup(const gopts *o, gc_env *e)
{
    tw_error err;
    tw_error_clear(&err);
    memset(e, 0, sizeof *e);
    e->w = cli_load_world_with(o->world, o->elast, &err);
    if (!e->w) goto fail;
    e->s = tw_shock_create(e->w, &err);
    if (!e->s) goto fail;
    if (o->tariffs && tw_shock_load_tariffs(e->s, o->tariffs, &err)) goto fail;
    e->g = tw_game_create(e->w, e->s, &err);
    if (!e->g) goto fail;
    tw_game_set_instrument(e->g, o->instr);
    tw_game_set_bounds(e->g, 0.0, o->hi);
    tw_game_set_tol(e->g, o->tol);
    tw_game_set_method(e->g, o->method);
    tw_game_set_deficits(e->g, o->deficits);
    e->p.t0 = tw_clock_seconds();
    tw_game_set_progress(e->g, gc_progress, &e->p);
    return -1;
fail:
    return cli_fail(&err);
}

int gc_run(int argc, char **argv, const char *cmd, const char *usage, const char *required,
           int (*play)(const gopts *o, gc_env *e))
{
    gopts o;
    gc_env e;
    const char *const need[] = {required, NULL};
    int rc = gc_parse(argc, argv, cmd, usage, need, &o);
    if (rc >= 0) return rc;
    rc = gc_setup(&o, &e);
    if (rc < 0) rc = play(&o, &e);
    gc_teardown(&e);
    return rc;
}

void gc_print_json(cJSON *root, const tw_world *w, const gopts *o)
{
    char *meta = tw_report_meta_json(w, tw_deficits_name(o->deficits), tw_method_name(o->method),
                                     o->tol);
    cJSON_AddItemToObject(root, "meta", cJSON_Parse(meta ? meta : "null"));
    free(meta);
    char *t = tw_json_print(root);
    if (t) printf("%s\n", t);
    free(t);
    cJSON_Delete(root);
}

static const char *const usage_optimal =
    "usage: tradewar optimal --country C [--against LIST|all] [--instrument I]\n"
    "                        [--world DIR|NAME] [--tariffs FILE] [--max-tariff X] [--json]\n"
    "                        [--deficits keep|purge] [--method newton|tatonnement] [--tol X]\n"
    "\n"
    "Best response: the tariffs that maximise C's exact welfare (real income), every\n"
    "other tariff fixed (the baseline, or --tariffs FILE applied to it).  The\n"
    "instrument sets the level of C's tariffs on the partners' goods in tradable\n"
    "sectors: uniform (one rate), partner (one per partner), sector (one per sector)\n"
    "or partner-sector (one per cell).  --against defaults to all partners.\n"
    GC_SOLVE_HELP;

/* The best response of o's country: an exit code. */
static int optimal(const gopts *o, gc_env *e)
{
    const tw_world *w = e->w;
    size_t c[MAXP], nc, ag[MAXP], na = 0;
    int rc = gc_country_list(w, "optimal", "--country", o->country, c, &nc);
    if (rc) return rc;
    if (nc != 1) return cli_usage_error("optimal", "--country takes one country, not \"%s\"", o->country);
    unsigned char mask[MAXP] = {0}, *mp = NULL;
    if (o->against && strcmp(o->against, "all")) {
        if ((rc = gc_country_list(w, "optimal", "--against", o->against, ag, &na))) return rc;
        for (size_t k = 0; k < na; k++) mask[ag[k]] = 1;
        if (mask[c[0]]) return cli_usage_error("optimal", "--against lists the country itself (%s)", o->country);
        mp = mask;
    }
    tw_error err;
    double t0 = tw_clock_seconds();
    tw_outcome *out = tw_game_best_response(e->g, c[0], mp, &err);
    if (!out) return cli_fail(&err);
    const tw_result *r = tw_outcome_result(out);
    size_t np = tw_outcome_n_params(out, 0);
    const double *x = tw_outcome_params(out, 0);
    if (o->json) {
        cJSON *root = cJSON_CreateObject();
        cJSON_AddStringToObject(root, "country", tw_world_country_code(w, c[0]));
        cJSON_AddStringToObject(root, "instrument", tw_instrument_name(o->instr));
        cJSON_AddBoolToObject(root, "converged", 1);
        cJSON *ta = cJSON_AddArrayToObject(root, "tariffs");
        for (size_t q = 0; q < np; q++) {
            char name[160];
            tw_instrument_describe(w, c[0], mp, o->instr, q, name, sizeof name);
            cJSON *t = cJSON_CreateObject();
            cJSON_AddStringToObject(t, "cells", name);
            cJSON_AddNumberToObject(t, "rate", x[q]);
            cJSON_AddItemToArray(ta, t);
        }
        cJSON_AddNumberToObject(root, "welfare_pct", tw_pct(tw_result_welfare_hat(r, c[0])));
        cJSON_AddNumberToObject(root, "solves", (double)tw_outcome_solves(out));
        cJSON_AddItemToObject(root, "countries", gc_effects_json(w, r));
        gc_print_json(root, w, o);
    } else {
        printf("best response of %s (%s instrument) on %s\n", tw_world_country_code(w, c[0]),
               tw_instrument_name(o->instr), tw_world_dir(w));
        printf("\n%-40s %10s\n", "tariff level set on", "rate %");
        for (size_t q = 0; q < np; q++) {
            char name[160];
            tw_instrument_describe(w, c[0], mp, o->instr, q, name, sizeof name);
            printf("%-40s %10.3f\n", name, 100 * x[q]);
        }
        printf("\nwelfare of %s: %+.4f %% (exact real income, change from the baseline)\n\n",
               tw_world_country_code(w, c[0]), tw_pct(tw_result_welfare_hat(r, c[0])));
        gc_effects_table(w, r);
        printf("\nconverged: %zu equilibria solved in %.2f s (residual <= 1e-12 each)\n",
               tw_outcome_solves(out), tw_clock_seconds() - t0);
    }
    tw_outcome_free(out);
    return 0;
}

int cmd_optimal(int argc, char **argv)
{
    return gc_run(argc, argv, "optimal", usage_optimal, "--country", optimal);
}

static const char *const usage_nash =
    "usage: tradewar nash --players LIST|all [--instrument I] [--world DIR|NAME]\n"
    "                     [--tariffs FILE] [--max-tariff X] [--json]\n"
    "                     [--deficits keep|purge] [--method newton|tatonnement] [--tol X]\n"
    "\n"
    "Nash equilibrium of the tariff game among the players (others passive), by\n"
    "iterating best responses until no tariff moves by more than 0.01 pp in a round.\n"
    "Each player's instrument covers its tariffs on the other players (with --players\n"
    "all, on every country: a global trade war).\n"
    GC_SOLVE_HELP;

/* The Nash war among o's players: an exit code. */
static int nash(const gopts *o, gc_env *e)
{
    size_t pl[MAXP], np;
    int rc = gc_players(o, e->w, "nash", pl, &np);
    if (rc) return rc;
    const tw_world *w = e->w;
    int all = !strcmp(o->players, "all");
    tw_error err;
    double t0 = tw_clock_seconds();
    tw_outcome *out = tw_game_nash(e->g, pl, np, all, &err);
    if (!out) return cli_fail(&err);
    const tw_result *r = tw_outcome_result(out);
    unsigned char mask[MAXP] = {0};
    for (size_t k = 0; k < np; k++) mask[pl[k]] = 1;
    if (o->json) {
        cJSON *root = cJSON_CreateObject();
        cJSON_AddStringToObject(root, "instrument", tw_instrument_name(o->instr));
        cJSON_AddBoolToObject(root, "converged", 1);
        cJSON_AddNumberToObject(root, "rounds", (double)tw_outcome_rounds(out));
        cJSON_AddNumberToObject(root, "residual", tw_outcome_residual(out));
        cJSON_AddNumberToObject(root, "solves", (double)tw_outcome_solves(out));
        cJSON_AddNumberToObject(root, "world_welfare_pct", gc_world_welfare(w, r));
        cJSON *pa = cJSON_AddArrayToObject(root, "players");
        for (size_t k = 0; k < np; k++) {
            cJSON *pj = cJSON_CreateObject();
            cJSON_AddItemToArray(pa, pj);
            cJSON_AddStringToObject(pj, "code", tw_world_country_code(w, pl[k]));
            cJSON_AddNumberToObject(pj, "welfare_pct", tw_pct(tw_result_welfare_hat(r, pl[k])));
            cJSON *ta = cJSON_AddArrayToObject(pj, "tariffs");
            for (size_t q = 0; q < tw_outcome_n_params(out, k); q++) {
                char name[160];
                tw_instrument_describe(w, pl[k], all ? NULL : mask, o->instr, q, name, sizeof name);
                cJSON *t = cJSON_CreateObject();
                cJSON_AddStringToObject(t, "cells", name);
                cJSON_AddNumberToObject(t, "rate", tw_outcome_params(out, k)[q]);
                cJSON_AddItemToArray(ta, t);
            }
        }
        cJSON_AddItemToObject(root, "countries", gc_effects_json(w, r));
        gc_print_json(root, w, o);
    } else {
        printf("Nash equilibrium among %zu players (%s instrument) on %s\n\n", np,
               tw_instrument_name(o->instr), tw_world_dir(w));
        for (size_t k = 0; k < np; k++) {
            printf("%s (welfare %+.4f %%):", tw_world_country_code(w, pl[k]), tw_pct(tw_result_welfare_hat(r, pl[k])));
            size_t npar = tw_outcome_n_params(out, k);
            if (npar == 1) {
                printf(" %.3f %% on %s\n", 100 * tw_outcome_params(out, k)[0], all ? "all partners" : "the other players");
                continue;
            }
            putchar('\n');
            for (size_t q = 0; q < npar; q++) {
                char name[160];
                tw_instrument_describe(w, pl[k], all ? NULL : mask, o->instr, q, name, sizeof name);
                printf("    %-36s %8.3f %%\n", name, 100 * tw_outcome_params(out, k)[q]);
            }
        }
        putchar('\n');
        gc_effects_table(w, r);
        printf("\nconverged: %zu rounds, largest tariff change in the last round %.1e, %zu equilibria solved in %.2f s\n",
               tw_outcome_rounds(out), tw_outcome_residual(out), tw_outcome_solves(out), tw_clock_seconds() - t0);
    }
    tw_outcome_free(out);
    return 0;
}

int cmd_nash(int argc, char **argv)
{
    return gc_run(argc, argv, "nash", usage_nash, "--players", nash);
}

/* game.c - the optimal, nash, talks and escalate subcommands: thin shells over
 * the game layer (include/tradewar/game.h). */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stddef.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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


typedef int (*gopt_fn)(gopts *o, const char *cmd, const char *v);

/* A number for option name, or 2 after saying it is not one. */
static int number(const char *cmd, const char *v, double *d)
{
    char *end;
    errno = 0;
    *d = strtod(v, &end);
    if (*end || errno || !isfinite(*d)) return cli_usage_error(cmd, "\"%s\" is not a number", v);
    return 0;
}

static int set_instrument(gopts *o, const char *cmd, const char *v)
{
    if (tw_instrument_parse(v, &o->instr))
        return cli_usage_error(cmd, "--instrument \"%s\" is not uniform, partner, sector or partner-sector", v);
    return 0;
}

static int set_rounds(gopts *o, const char *cmd, const char *v)
{
    double d;
    if (number(cmd, v, &d)) return 2;
    if (d < 1 || d > 1000 || floor(d) != d) return cli_usage_error(cmd, "--rounds \"%s\" is not a whole number from 1 to 1000", v);
    o->rounds = (int)d;
    return 0;
}

static int set_frontier(gopts *o, const char *cmd, const char *v)
{
    double d;
    if (number(cmd, v, &d)) return 2;
    if (d < 0 || d > 50 || floor(d) != d) return cli_usage_error(cmd, "--frontier \"%s\" is not a whole number from 0 to 50", v);
    o->frontier = (int)d;
    return 0;
}

/* A number in (0, hi] into *out; the message names the option. */
static int in_range(const char *cmd, const char *opt, const char *v, double hi, double *out)
{
    double d;
    if (number(cmd, v, &d)) return 2;
    if (!(d > 0 && d <= hi)) {
        char fmt[64];
        snprintf(fmt, sizeof fmt, "%s \"%%s\" is not in (0, %g]", opt, hi);
        return cli_usage_error(cmd, fmt, v);
    }
    *out = d;
    return 0;
}

static int set_step(gopts *o, const char *cmd, const char *v) { return in_range(cmd, "--step", v, 5, &o->step); }
static int set_factor(gopts *o, const char *cmd, const char *v) { return in_range(cmd, "--factor", v, 10, &o->factor); }
static int set_cap(gopts *o, const char *cmd, const char *v) { return in_range(cmd, "--cap", v, 100, &o->cap); }
static int set_hi(gopts *o, const char *cmd, const char *v) { return in_range(cmd, "--max-tariff", v, 100, &o->hi); }
static int set_deficits(gopts *o, const char *cmd, const char *v) { return cli_parse_deficits(cmd, v, &o->deficits); }
static int set_method(gopts *o, const char *cmd, const char *v) { return cli_parse_method(cmd, v, &o->method); }
static int set_tol(gopts *o, const char *cmd, const char *v) { return cli_parse_tol(cmd, v, &o->tol); }

/* The options of the game commands: a string kept as given (at its offset in
 * gopts), or a setter that checks the value. */
static const struct gopt {
    const char *name;
    size_t at;
    gopt_fn set;
} gopt_table[] = {
    {"--world", offsetof(gopts, world), NULL},       {"--tariffs", offsetof(gopts, tariffs), NULL},
    {"--country", offsetof(gopts, country), NULL},   {"--against", offsetof(gopts, against), NULL},
    {"--players", offsetof(gopts, players), NULL},   {"--instrument", 0, set_instrument},
    {"--threat", offsetof(gopts, threat), NULL},     {"--concession", offsetof(gopts, concession), NULL},
    {"--deal", offsetof(gopts, deal), NULL},         {"--rule", offsetof(gopts, rule), NULL},
    {"--rounds", 0, set_rounds},                     {"--step", 0, set_step},
    {"--factor", 0, set_factor},                     {"--cap", 0, set_cap},
    {"--frontier", 0, set_frontier},                 {"--max-tariff", 0, set_hi},
    {"--deficits", 0, set_deficits},                 {"--method", 0, set_method},
    {"--tol", 0, set_tol},
};

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

int gc_parse(int argc, char **argv, const char *cmd, const char *usage, gopts *o)
{
    gopts_defaults(o);
    size_t n_opts = sizeof gopt_table / sizeof gopt_table[0];
    for (int k = 1; k < argc; k++) {
        const char *a = argv[k], *v = NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(usage, stdout);
            return 0;
        }
        if (!strcmp(a, "--json")) { o->json = 1; continue; }
        size_t q = 0;
        while (q < n_opts && !cli_opt_value(argc, argv, &k, gopt_table[q].name, &v)) q++;
        if (q == n_opts) return cli_usage_error(cmd, "unknown option \"%s\"", a);
        if (!v) return cli_usage_error(cmd, "option %s needs a value", gopt_table[q].name);
        if (!gopt_table[q].set) *(const char **)((char *)o + gopt_table[q].at) = v;
        else if (gopt_table[q].set(o, cmd, v)) return 2;
    }
    return -1;
}

/* 0 without an error, else print it and return its exit code. */
int gc_fail(const tw_error *err)
{
    if (!err) return 0;
    cli_error(err);
    return tw_status_exit_code(err->code);
}

void gc_teardown(tw_game *g, tw_shock *s, tw_world *w)
{
    tw_game_free(g);
    tw_shock_free(s);
    tw_world_free(w);
}

/* World, start shock and game; returns exit code or -1 to go on. */
int gc_setup(const gopts *o, tw_world **w, tw_shock **s, tw_game **g, prog *p)
{
    tw_error err;
    tw_error_clear(&err);
    *w = cli_load_world(o->world, &err);
    if (!*w) goto fail;
    *s = tw_shock_create(*w, &err);
    if (!*s) goto fail;
    if (o->tariffs && tw_shock_load_tariffs(*s, o->tariffs, &err)) goto fail;
    *g = tw_game_create(*w, *s, &err);
    if (!*g) goto fail;
    tw_game_set_instrument(*g, o->instr);
    tw_game_set_bounds(*g, 0.0, o->hi);
    tw_game_set_tol(*g, o->tol);
    tw_game_set_method(*g, o->method);
    tw_game_set_deficits(*g, o->deficits);
    p->t0 = tw_clock_seconds();
    tw_game_set_progress(*g, gc_progress, p);
    return -1;
fail:
    cli_error(&err);
    return tw_status_exit_code(err.code);
}

void gc_print_json(cJSON *root)
{
    char *t = cJSON_PrintUnformatted(root);
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

int cmd_optimal(int argc, char **argv)
{
    gopts o;
    int rc = gc_parse(argc, argv, "optimal", usage_optimal, &o);
    if (rc >= 0) return rc;
    if (!o.country) return cli_usage_error("optimal", "%s is required", "--country");
    tw_world *w = NULL;
    tw_shock *s = NULL;
    tw_game *g = NULL;
    tw_outcome *out = NULL;
    prog p = {0};
    if ((rc = gc_setup(&o, &w, &s, &g, &p)) >= 0) goto done;
    size_t c[MAXP], nc, ag[MAXP], na = 0;
    if ((rc = gc_country_list(w, "optimal", "--country", o.country, c, &nc))) goto done;
    if (nc != 1) { rc = cli_usage_error("optimal", "--country takes one country, not \"%s\"", o.country); goto done; }
    unsigned char mask[MAXP] = {0}, *mp = NULL;
    if (o.against && strcmp(o.against, "all")) {
        if ((rc = gc_country_list(w, "optimal", "--against", o.against, ag, &na))) goto done;
        for (size_t k = 0; k < na; k++) mask[ag[k]] = 1;
        if (mask[c[0]]) { rc = cli_usage_error("optimal", "--against lists the country itself (%s)", o.country); goto done; }
        mp = mask;
    }
    tw_error err;
    double t0 = tw_clock_seconds();
    out = tw_game_best_response(g, c[0], mp, &err);
    if (!out) {
        cli_error(&err);
        rc = tw_status_exit_code(err.code);
        goto done;
    }
    const tw_result *r = tw_outcome_result(out);
    size_t np = tw_outcome_n_params(out, 0);
    const double *x = tw_outcome_params(out, 0);
    if (o.json) {
        cJSON *root = cJSON_CreateObject();
        cJSON_AddStringToObject(root, "country", tw_world_country_code(w, c[0]));
        cJSON_AddStringToObject(root, "instrument", tw_instrument_name(o.instr));
        cJSON_AddBoolToObject(root, "converged", 1);
        cJSON *ta = cJSON_AddArrayToObject(root, "tariffs");
        for (size_t q = 0; q < np; q++) {
            char name[160];
            tw_instrument_describe(w, c[0], mp, o.instr, q, name, sizeof name);
            cJSON *t = cJSON_CreateObject();
            cJSON_AddStringToObject(t, "cells", name);
            cJSON_AddNumberToObject(t, "rate", x[q]);
            cJSON_AddItemToArray(ta, t);
        }
        cJSON_AddNumberToObject(root, "welfare_pct", tw_pct(tw_result_welfare_hat(r, c[0])));
        cJSON_AddNumberToObject(root, "solves", (double)tw_outcome_solves(out));
        cJSON_AddItemToObject(root, "countries", gc_effects_json(w, r));
        gc_print_json(root);
    } else {
        printf("best response of %s (%s instrument) on %s\n", tw_world_country_code(w, c[0]),
               tw_instrument_name(o.instr), tw_world_dir(w));
        printf("\n%-40s %10s\n", "tariff level set on", "rate %");
        for (size_t q = 0; q < np; q++) {
            char name[160];
            tw_instrument_describe(w, c[0], mp, o.instr, q, name, sizeof name);
            printf("%-40s %10.3f\n", name, 100 * x[q]);
        }
        printf("\nwelfare of %s: %+.4f %% (exact real income, change from the baseline)\n\n",
               tw_world_country_code(w, c[0]), tw_pct(tw_result_welfare_hat(r, c[0])));
        gc_effects_table(w, r);
        printf("\nconverged: %zu equilibria solved in %.2f s (residual <= 1e-12 each)\n",
               tw_outcome_solves(out), tw_clock_seconds() - t0);
    }
    rc = 0;
done:
    tw_outcome_free(out);
    tw_game_free(g);
    tw_shock_free(s);
    tw_world_free(w);
    return rc;
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

int cmd_nash(int argc, char **argv)
{
    gopts o;
    int rc = gc_parse(argc, argv, "nash", usage_nash, &o);
    if (rc >= 0) return rc;
    if (!o.players) return cli_usage_error("nash", "%s is required", "--players");
    tw_world *w = NULL;
    tw_shock *s = NULL;
    tw_game *g = NULL;
    tw_outcome *out = NULL;
    prog p = {0};
    if ((rc = gc_setup(&o, &w, &s, &g, &p)) >= 0) goto done;
    size_t pl[MAXP], np;
    if ((rc = gc_country_list(w, "nash", "--players", o.players, pl, &np))) goto done;
    int all = !strcmp(o.players, "all");
    if (np < 2) { rc = cli_usage_error("nash", "--players needs at least two countries, not \"%s\"", o.players); goto done; }
    tw_error err;
    double t0 = tw_clock_seconds();
    out = tw_game_nash(g, pl, np, all, &err);
    if (!out) {
        cli_error(&err);
        rc = tw_status_exit_code(err.code);
        goto done;
    }
    const tw_result *r = tw_outcome_result(out);
    unsigned char mask[MAXP] = {0};
    for (size_t k = 0; k < np; k++) mask[pl[k]] = 1;
    if (o.json) {
        cJSON *root = cJSON_CreateObject();
        cJSON_AddStringToObject(root, "instrument", tw_instrument_name(o.instr));
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
                tw_instrument_describe(w, pl[k], all ? NULL : mask, o.instr, q, name, sizeof name);
                cJSON *t = cJSON_CreateObject();
                cJSON_AddStringToObject(t, "cells", name);
                cJSON_AddNumberToObject(t, "rate", tw_outcome_params(out, k)[q]);
                cJSON_AddItemToArray(ta, t);
            }
        }
        cJSON_AddItemToObject(root, "countries", gc_effects_json(w, r));
        gc_print_json(root);
    } else {
        printf("Nash equilibrium among %zu players (%s instrument) on %s\n\n", np,
               tw_instrument_name(o.instr), tw_world_dir(w));
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
                tw_instrument_describe(w, pl[k], all ? NULL : mask, o.instr, q, name, sizeof name);
                printf("    %-36s %8.3f %%\n", name, 100 * tw_outcome_params(out, k)[q]);
            }
        }
        putchar('\n');
        gc_effects_table(w, r);
        printf("\nconverged: %zu rounds, largest tariff change in the last round %.1e, %zu equilibria solved in %.2f s\n",
               tw_outcome_rounds(out), tw_outcome_residual(out), tw_outcome_solves(out), tw_clock_seconds() - t0);
    }
    rc = 0;
done:
    tw_outcome_free(out);
    tw_game_free(g);
    tw_shock_free(s);
    tw_world_free(w);
    return rc;
}

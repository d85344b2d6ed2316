/* cooperate.c - the cooperate subcommand: efficient tariffs among players
 * (tw_game_cooperate), over the Nash war, the status quo or no reference. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tradewar/game.h"
#include "tradewar/util.h"
#include "cli.h"
#include "cli_game.h"

static const char *const usage_cooperate =
    "usage: tradewar cooperate --players A,B[,...] [--instrument I] [--weights W1,W2,...]\n"
    "                          [--over none|nash|status-quo] [--world DIR|NAME]\n"
    "                          [--tariffs FILE] [--max-tariff X] [--json]\n"
    "                          [--deficits keep|purge] [--method newton|tatonnement] [--tol X]\n"
    "\n"
    "Efficient (cooperative) tariffs: the players' tariffs on each other that\n"
    "maximise the weighted sum of their exact welfare, sum_k w_k W_k (--weights, one\n"
    "per player, >= 0, not all 0; default all 1), every other tariff fixed (the\n"
    "baseline, or --tariffs FILE applied to it).  The instrument is as in `tradewar\n"
    "nash`: uniform (one rate per player), partner, sector (one rate per tradable\n"
    "sector) or partner-sector.  --over nash asks for a Pareto improvement over the\n"
    "Nash war among the players (played first with the same instrument): the best\n"
    "weighted sum that leaves every player at least as well off as in the war;\n"
    "--over status-quo the same over the status quo; --over none (default) no such\n"
    "condition.  Prints each player's tariffs and welfare beside the reference.\n"
    GC_SOLVE_HELP;

/* --weights into w (np values); 0, or 2 after saying why not. */
static int parse_weights(const char *spec, size_t np, double *w)
{
    if (!spec) {
        for (size_t k = 0; k < np; k++) w[k] = 1.0;
        return 0;
    }
    char buf[2048];
    snprintf(buf, sizeof buf, "%s", spec);
    size_t n = 0;
    double sum = 0;
    for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
        char *end;
        errno = 0;
        double v = strtod(tok, &end);
        if (*end || end == tok || errno || !isfinite(v) || v < 0)
            return cli_usage_error("cooperate", "--weights \"%s\": each weight must be a number >= 0", spec);
        if (n < np) {
            w[n] = v;
            sum += v;
        }
        n++;
    }
    if (n != np) {
        char msg[160];
        snprintf(msg, sizeof msg, "--weights \"%%s\" must give one weight per player (%zu)", np);
        return cli_usage_error("cooperate", msg, spec);
    }
    if (!(sum > 0)) return cli_usage_error("cooperate", "--weights \"%s\" are all 0", spec);
    return 0;
}

/* What the command found: the status quo, the Nash war (--over nash), the
 * cooperative outcome; welfare hats per player. */
typedef struct coop_run {
    const char *over;
    size_t pl[MAXP], np;
    double wt[MAXP], sq[MAXP], ref[MAXP];
    tw_outcome *nash, *out;
    size_t solves_ref;
    double seconds;
} coop_run;

static double weighted(const coop_run *c, const double *W)
{
    double f = 0;
    for (size_t k = 0; k < c->np; k++) f += c->wt[k] * W[k];
    return f;
}

static void print_json(const gopts *o, const tw_world *w, const coop_run *c)
{
    const tw_result *r = tw_outcome_result(c->out);
    unsigned char mask[MAXP] = {0};
    for (size_t k = 0; k < c->np; k++) mask[c->pl[k]] = 1;
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "instrument", tw_instrument_name(o->instr));
    cJSON_AddStringToObject(root, "over", c->over);
    cJSON_AddBoolToObject(root, "converged", 1);
    double Wc[MAXP];
    cJSON *pa = cJSON_AddArrayToObject(root, "players");
    for (size_t k = 0; k < c->np; k++) {
        Wc[k] = tw_result_welfare_hat(r, c->pl[k]);
        cJSON *pj = cJSON_CreateObject();
        cJSON_AddItemToArray(pa, pj);
        cJSON_AddStringToObject(pj, "code", tw_world_country_code(w, c->pl[k]));
        cJSON_AddNumberToObject(pj, "weight", c->wt[k]);
        cJSON_AddNumberToObject(pj, "welfare_pct", gc_pct(Wc[k]));
        cJSON_AddNumberToObject(pj, "status_quo_welfare_pct", gc_pct(c->sq[k]));
        if (c->nash) cJSON_AddNumberToObject(pj, "nash_welfare_pct", gc_pct(c->ref[k]));
        cJSON_AddNumberToObject(pj, "gain_over_reference_pp", 100 * (Wc[k] - c->ref[k]));
        cJSON *ta = cJSON_AddArrayToObject(pj, "tariffs");
        for (size_t q = 0; q < tw_outcome_n_params(c->out, k); q++) {
            char name[160];
            tw_instrument_describe(w, c->pl[k], mask, o->instr, q, name, sizeof name);
            cJSON *t = cJSON_CreateObject();
            cJSON_AddStringToObject(t, "cells", name);
            cJSON_AddNumberToObject(t, "rate", tw_outcome_params(c->out, k)[q]);
            if (c->nash) cJSON_AddNumberToObject(t, "nash_rate", tw_outcome_params(c->nash, k)[q]);
            cJSON_AddItemToArray(ta, t);
        }
    }
    cJSON_AddNumberToObject(root, "weighted_welfare", weighted(c, Wc));
    cJSON_AddNumberToObject(root, "weighted_welfare_reference", weighted(c, c->ref));
    cJSON_AddNumberToObject(root, "solves", (double)(c->solves_ref + tw_outcome_solves(c->out)));
    cJSON_AddNumberToObject(root, "solves_reference", (double)c->solves_ref);
    cJSON_AddNumberToObject(root, "world_welfare_pct", gc_world_welfare(w, r));
    cJSON_AddItemToObject(root, "countries", gc_effects_json(w, r));
    gc_print_json(root, w, o);
}

static void print_table(const gopts *o, const tw_world *w, const coop_run *c)
{
    const tw_result *r = tw_outcome_result(c->out);
    unsigned char mask[MAXP] = {0};
    for (size_t k = 0; k < c->np; k++) mask[c->pl[k]] = 1;
    const char *ref = !strcmp(c->over, "nash") ? "Nash war" : "status quo";
    printf("efficient tariffs among %zu players (%s instrument) on %s\n", c->np, tw_instrument_name(o->instr),
           tw_world_dir(w));
    printf("maximise the weighted sum of welfare%s\n\n",
           !strcmp(c->over, "none") ? "" : !strcmp(c->over, "nash") ? ", every player at least at its Nash-war welfare"
                                                                      : ", every player at least at its status-quo welfare");
    for (size_t k = 0; k < c->np; k++) {
        printf("%s (weight %g), tariffs on the other players:\n", tw_world_country_code(w, c->pl[k]), c->wt[k]);
        printf("    %-36s %12s%s\n", "tariff level set on", "efficient %", c->nash ? "   Nash war %" : "");
        for (size_t q = 0; q < tw_outcome_n_params(c->out, k); q++) {
            char name[160];
            tw_instrument_describe(w, c->pl[k], mask, o->instr, q, name, sizeof name);
            printf("    %-36s %12.3f", name, 100 * tw_outcome_params(c->out, k)[q]);
            if (c->nash) printf(" %12.3f", 100 * tw_outcome_params(c->nash, k)[q]);
            putchar('\n');
        }
    }
    printf("\n%-8s %8s %12s %12s %12s %12s\n", "player", "weight", "status quo", c->nash ? "Nash war" : "",
           "efficient", "gain over");
    printf("%-8s %8s %12s %12s %12s %12s\n", "", "", "welfare %", c->nash ? "welfare %" : "", "welfare %", "ref., pp");
    double Wc[MAXP];
    for (size_t k = 0; k < c->np; k++) {
        Wc[k] = tw_result_welfare_hat(r, c->pl[k]);
        char nw[32] = "";
        if (c->nash) snprintf(nw, sizeof nw, "%12.4f", gc_pct(c->ref[k]));
        printf("%-8s %8g %12.4f %12s %12.4f %12.4f\n", tw_world_country_code(w, c->pl[k]), c->wt[k], gc_pct(c->sq[k]),
               nw, gc_pct(Wc[k]), 100 * (Wc[k] - c->ref[k]));
    }
    printf("(welfare: exact real income, %% change from the baseline; reference: the %s)\n", ref);
    printf("weighted sum of welfare hats: %.9f (reference %.9f)\n\n", weighted(c, Wc), weighted(c, c->ref));
    gc_effects_table(w, r);
    printf("\nconverged: %zu equilibria solved (%zu for the reference) in %.2f s\n",
           c->solves_ref + tw_outcome_solves(c->out), c->solves_ref, c->seconds);
}

/* The reference point: the status quo, and the Nash war with --over nash
 * (the game then holds its tariffs). */
static tw_status reference(tw_game *g, coop_run *c, tw_error *err)
{
    tw_result *sq = tw_game_solve_with(g, NULL, err);
    if (!sq) return err->code;
    for (size_t k = 0; k < c->np; k++) c->sq[k] = c->ref[k] = tw_result_welfare_hat(sq, c->pl[k]);
    tw_result_free(sq);
    c->solves_ref = 1;
    if (strcmp(c->over, "nash")) return TW_OK;
    c->nash = tw_game_nash(g, c->pl, c->np, 0, err);
    if (!c->nash) return err->code;
    for (size_t k = 0; k < c->np; k++) c->ref[k] = tw_result_welfare_hat(tw_outcome_result(c->nash), c->pl[k]);
    c->solves_ref += tw_outcome_solves(c->nash);
    return TW_OK;
}

static int cooperate(const gopts *o, gc_env *e)
{
    coop_run c;
    memset(&c, 0, sizeof c);
    c.over = o->over ? o->over : "none";
    if (strcmp(c.over, "none") && strcmp(c.over, "nash") && strcmp(c.over, "status-quo"))
        return cli_usage_error("cooperate", "--over \"%s\" is not none, nash or status-quo", c.over);
    int rc = gc_players(o, e->w, "cooperate", c.pl, &c.np);
    if (!rc) rc = parse_weights(o->weights, c.np, c.wt);
    if (rc) return rc;
    tw_error err;
    tw_error_clear(&err);
    double t0 = tw_clock_seconds();
    tw_status st = reference(e->g, &c, &err);
    if (!st) {
        c.out = tw_game_cooperate(e->g, c.pl, c.np, c.wt, strcmp(c.over, "none") ? c.ref : NULL, &err);
        st = c.out ? TW_OK : err.code;
    }
    c.seconds = tw_clock_seconds() - t0;
    if (!st && o->json) print_json(o, e->w, &c);
    else if (!st) print_table(o, e->w, &c);
    rc = cli_fail(st ? &err : NULL);
    tw_outcome_free(c.nash);
    tw_outcome_free(c.out);
    return rc;
}

int cmd_cooperate(int argc, char **argv)
{
    return gc_run(argc, argv, "cooperate", usage_cooperate, "--players", cooperate);
}

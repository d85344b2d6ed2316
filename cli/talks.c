/* talks.c - the talks and escalate subcommands. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tradewar/game.h"
#include "tradewar/scenario.h"
#include "cli.h"
#include "cli_game.h"

static const char *const usage_talks =
    "usage: tradewar talks --players A,B[,...] [--threat nash|status-quo|FILE]\n"
    "                      [--concession GIVER[>RECEIVER]:NAME=V] [--deal FILE]\n"
    "                      [--frontier K] [--world DIR|NAME] [--tariffs FILE] [--json]\n"
    "                      [--deficits keep|purge] [--method newton|tatonnement] [--tol X]\n"
    "\n"
    "Trade talks over uniform tariffs of each player on the others.  The status quo\n"
    "is the baseline (or --tariffs FILE applied to it).  The threat point is the\n"
    "Nash war among the players (default), the status quo, or a counterfactual\n"
    "FILE.  Prints the Nash bargaining solution (the tariffs maximising the product\n"
    "of welfare gains over the threat point) and K points of the efficient frontier\n"
    "(two players).  A concession V (in % of the receiver's real income; receiver =\n"
    "the other player when there are two) is a side payment: talks says what tariff\n"
    "change it buys at the bargaining solution, and, with --deal FILE (a\n"
    "counterfactual applied to the status quo, e.g. the US removing the fentanyl\n"
    "layer), whether the deal plus the concession leaves every player better off\n"
    "than the status quo and than the threat point.\n"
    GC_SOLVE_HELP;

/* What the command line adds to the talks: the threat's name, the
 * concession's giver, name and value (%), and the shocks it loaded. */
typedef struct talk_in {
    const char *threat;
    size_t giver;
    char cname[64];
    double cval;
    tw_shock *thr, *deal;
} talk_in;

/* GIVER[>RECEIVER]:NAME=V */
static int parse_concession(const tw_world *w, const char *spec, const size_t *pl, size_t np,
                            size_t *giver, size_t *recv, char *name, size_t nsize, double *v)
{
    char buf[256], gcode[256] = "", rcode[256] = "";
    snprintf(buf, sizeof buf, "%s", spec);
    char *colon = strchr(buf, ':'), *eq = colon ? strchr(colon, '=') : NULL;
    if (!colon || !eq) goto bad;
    *colon = '\0';
    *eq = '\0';
    char *gt = strchr(buf, '>');
    if (gt) {
        *gt = '\0';
        snprintf(rcode, sizeof rcode, "%s", gt + 1);
    }
    snprintf(gcode, sizeof gcode, "%s", buf);
    snprintf(name, nsize, "%s", colon + 1);
    char *end;
    *v = strtod(eq + 1, &end);
    if (*end || !isfinite(*v) || !*name) goto bad;
    long gi = tw_world_country_index(w, gcode);
    if (gi < 0) goto bad;
    *giver = (size_t)gi;
    if (rcode[0]) {
        long ri = tw_world_country_index(w, rcode);
        if (ri < 0) goto bad;
        *recv = (size_t)ri;
    } else {
        if (np != 2) goto bad;
        *recv = pl[0] == *giver ? pl[1] : pl[0];
    }
    int gin = 0, rin = 0;
    for (size_t k = 0; k < np; k++) {
        gin |= pl[k] == *giver;
        rin |= pl[k] == *recv;
    }
    if (gin && rin && *giver != *recv) return 0;
bad:
    fprintf(stderr, "tradewar: talks: --concession \"%s\" is not GIVER[>RECEIVER]:NAME=V with two players' codes\n"
                    "  hint: e.g. --concession CHN:precursors=0.05 (5 hundredths of a percent of the receiver's real income)\n",
            spec);
    return 2;
}

/* The start tariffs with FILE's applied (a threat or a deal); NULL after
 * filling err. */
static tw_shock *load_file(const tw_shock *start, const char *file, tw_error *err)
{
    tw_shock *s = tw_shock_clone(start, err);
    if (s && tw_shock_load_tariffs(s, file, err)) {
        tw_shock_free(s);
        s = NULL;
    }
    return s;
}

/* The command line's talks as options of tw_game_talks; 0, or the exit code
 * after printing why not. */
static int talks_opts(const gopts *o, const tw_world *w, const tw_shock *s, const size_t *pl, size_t np,
                      tw_talks_opts *to, talk_in *in)
{
    memset(to, 0, sizeof *to);
    to->players = pl;
    to->n_players = np;
    to->status_quo = 1;
    to->frontier = o->frontier > 0 ? (size_t)o->frontier : 0;
    in->threat = o->threat ? o->threat : "nash";
    if (o->concession) {
        int rc = parse_concession(w, o->concession, pl, np, &in->giver, &to->receiver, in->cname, sizeof in->cname,
                                  &in->cval);
        if (rc) return rc;
        to->has_concession = 1;
        to->concession = in->cval / 100.0;
    }
    tw_error err;
    tw_error_clear(&err);
    to->threat = !strcmp(in->threat, "nash") ? TW_THREAT_NASH
               : !strcmp(in->threat, "status-quo") ? TW_THREAT_STATUS_QUO : TW_THREAT_SHOCK;
    if (to->threat == TW_THREAT_SHOCK && !(to->threat_shock = in->thr = load_file(s, in->threat, &err)))
        return cli_fail(&err);
    if (o->deal && !(to->deal = in->deal = load_file(s, o->deal, &err))) return cli_fail(&err);
    return 0;
}

static int oom(void)
{
    tw_error e;
    tw_error_clear(&e);
    tw_error_set(&e, TW_ENOMEM, NULL, 0, 0, "out of memory");
    return cli_fail(&e);
}

/* The library's JSON of the talks (tw_report_talks_json), with "meta". */
static int print_talks_json(const gopts *o, const tw_world *w, const talk_in *in, const size_t *pl,
                            const tw_talks *t, const tw_error *ferr)
{
    char *txt = tw_report_talks_json(w, t, pl, in->threat, ferr);
    cJSON *root = txt ? cJSON_Parse(txt) : NULL;
    free(txt);
    if (!root) return oom();
    gc_print_json(root, w, o);
    return 0;
}

static void print_frontier(const size_t *pl, const tw_talks *t)
{
    printf("\nefficient frontier (maximise w_A W_A + w_B W_B, both at least at the threat point)\n");
    printf("%8s %12s %12s %12s %12s\n", "w_A", "tariff A %", "tariff B %", "welfare A %", "welfare B %");
    for (size_t q = 0; q < t->n_frontier; q++) {
        const tw_outcome *f = t->frontier[q];
        printf("%8.3f %12.3f %12.3f %12.4f %12.4f\n", t->weights[2 * q], 100 * tw_outcome_params(f, 0)[0],
               100 * tw_outcome_params(f, 1)[0], gc_pct(tw_result_welfare_hat(tw_outcome_result(f), pl[0])),
               gc_pct(tw_result_welfare_hat(tw_outcome_result(f), pl[1])));
    }
    printf("(a weighted sum finds only points on the convex hull of the achievable welfare pairs; several weights may share a corner)\n");
}

static void print_concession(const tw_world *w, const talk_in *in, const size_t *pl, size_t receiver,
                             const tw_talks *t)
{
    const tw_outcome *a = t->bargain, *b = t->with_concession;
    printf("\nconcession \"%s\" by %s, worth %.4f %% of %s's real income to %s:\n", in->cname,
           tw_world_country_code(w, in->giver), in->cval, tw_world_country_code(w, receiver),
           tw_world_country_code(w, receiver));
    for (size_t k = 0; k < t->n_players; k++)
        printf("  %s tariff at the bargain: %.3f %% -> %.3f %% (%+.3f pp)\n", tw_world_country_code(w, pl[k]),
               100 * tw_outcome_params(a, k)[0], 100 * tw_outcome_params(b, k)[0],
               100 * (tw_outcome_params(b, k)[0] - tw_outcome_params(a, k)[0]));
    printf("  (the tariff change the concession buys: the bargain moves in the giver's favour by this much)\n");
}

static void print_deal(const gopts *o, const tw_world *w, const talk_in *in, const size_t *pl, const tw_talks *t)
{
    printf("\ndeal %s%s%s:\n", o->deal, o->concession ? " with the concession " : "", o->concession ? in->cname : "");
    int all_sq = 1, all_thr = 1;
    for (size_t k = 0; k < t->n_players; k++) {
        double wd = tw_result_welfare_hat(t->deal, pl[k]) + t->bonus[k];
        all_sq &= wd >= t->status_quo[k];
        all_thr &= wd >= t->threat[k];
        printf("  %s welfare %+.4f %% (status quo %+.4f %%, threat %+.4f %%)\n", tw_world_country_code(w, pl[k]),
               gc_pct(wd), gc_pct(t->status_quo[k]), gc_pct(t->threat[k]));
    }
    printf("  leaves every player better off than the status quo: %s; than the threat point: %s\n",
           all_sq ? "yes" : "no", all_thr ? "yes" : "no");
}

static void print_talks_table(const gopts *o, const tw_world *w, const talk_in *in, const tw_talks_opts *to,
                              const tw_talks *t)
{
    const size_t *pl = to->players;
    const tw_result *rn = tw_outcome_result(t->bargain);
    printf("trade talks among %zu players on %s (uniform tariffs on each other)\n", t->n_players, tw_world_dir(w));
    printf("threat point: %s%s\n\n", in->threat, !strcmp(in->threat, "nash") ? " (the tariff war among the players)" : "");
    printf("%-8s %12s %12s %12s %12s %12s\n", "player", "status quo", "threat", "bargain", "bargain", "gain over");
    printf("%-8s %12s %12s %12s %12s %12s\n", "", "welfare %", "welfare %", "tariff %", "welfare %", "threat, pp");
    for (size_t k = 0; k < t->n_players; k++) {
        double wb = tw_result_welfare_hat(rn, pl[k]);
        printf("%-8s %12.4f %12.4f %12.3f %12.4f %12.4f\n", tw_world_country_code(w, pl[k]), gc_pct(t->status_quo[k]),
               gc_pct(t->threat[k]), 100 * tw_outcome_params(t->bargain, k)[0], gc_pct(wb), 100 * (wb - t->threat[k]));
    }
    printf("(welfare: exact real income, %% change from the baseline; bargain: Nash bargaining solution)\n");
    if (t->n_frontier > 0) print_frontier(pl, t);
    if (t->with_concession) print_concession(w, in, pl, to->receiver, t);
    if (t->deal) print_deal(o, w, in, pl, t);
}

/* The talks among o's players: an exit code. */
static int talks(const gopts *o, gc_env *e)
{
    tw_talks *t = NULL;
    talk_in in = {0};
    tw_talks_opts to;
    size_t pl[MAXP], np;
    int rc = gc_players(o, e->w, "talks", pl, &np);
    if (!rc) rc = talks_opts(o, e->w, e->s, pl, np, &to, &in);
    if (!rc) {
        tw_error err;
        tw_error_clear(&err);
        tw_status st = tw_game_talks(e->g, &to, &t, &err);
        int prc = 0;
        if (t && o->json) prc = print_talks_json(o, e->w, &in, pl, t, st ? &err : NULL);
        else if (t) print_talks_table(o, e->w, &in, &to, t);
        rc = cli_fail(st ? &err : NULL);
        if (!rc) rc = prc;
    }
    tw_talks_free(t);
    tw_shock_free(in.thr);
    tw_shock_free(in.deal);
    return rc;
}

static const char *const usage_escalate =
    "usage: tradewar escalate --players A,B --rule mirror|proportional|best-response\n"
    "                         [--rounds K] [--step X] [--factor F] [--cap C]\n"
    "                         [--world DIR|NAME] [--tariffs FILE] [--json]\n"
    "                         [--deficits keep|purge] [--method newton|tatonnement] [--tol X]\n"
    "\n"
    "The path of a tit-for-tat escalation between A and B, round by round, from the\n"
    "status quo (baseline or --tariffs FILE).  Each round A moves, then B answers;\n"
    "tariffs are uniform on the other's goods.  mirror: A raises its tariff by\n"
    "--step (default 0.10 = 10 pp), B matches A's tariff; proportional: A raises\n"
    "by --step, B sets --factor times A's tariff; best-response: both play best\n"
    "responses (the path to the Nash war).  Stops when no tariff moves by more than\n"
    "0.001 pp in a round, when both tariffs reach --cap (default 2 = 200 %), or\n"
    "after --rounds (default 20).\n"
    GC_SOLVE_HELP;

/* The whole path as one JSON object (tw_report_escalation_json, with "meta"). */
static int print_path_json(const gopts *o, const tw_world *w, const tw_escalation_opts *eo, const tw_escalation *p)
{
    char *txt = tw_report_escalation_json(w, p, eo->a, eo->b, o->rule);
    cJSON *root = txt ? cJSON_Parse(txt) : NULL;
    free(txt);
    if (!root) return oom();
    gc_print_json(root, w, o);
    return 0;
}

/* The table: the rounds played, and the stop line when the path ended well. */
static void print_path_table(const gopts *o, const tw_world *w, size_t A, size_t B, const tw_escalation *p,
                             int ok)
{
    const char *ca = tw_world_country_code(w, A), *cb = tw_world_country_code(w, B);
    printf("escalation %s vs %s, rule %s, on %s (start: %s on %s %.2f %%, %s on %s %.2f %%)\n\n", ca, cb, o->rule,
           tw_world_dir(w), ca, cb, 100 * p->start_a, cb, ca, 100 * p->start_b);
    printf("%5s %11s %11s %11s %11s %11s %11s\n", "round", "A tariff %", "B tariff %", "A welfare%",
           "B welfare%", "B->A trade%", "A->B trade%");
    for (size_t k = 0; k < p->n_rounds; k++) {
        const tw_escalation_round *rd = &p->rounds[k];
        printf("%5d %11.3f %11.3f %11.4f %11.4f %11.2f %11.2f\n", (int)(k + 1), 100 * rd->tariff_a,
               100 * rd->tariff_b, gc_pct(rd->welfare_a), gc_pct(rd->welfare_b), rd->trade_b_to_a_pct,
               rd->trade_a_to_b_pct);
    }
    if (ok)
        printf("\nstopped after %d rounds: %s (A = %s, B = %s; welfare: exact real income, %% change from the baseline)\n",
               (int)p->n_rounds, tw_escalation_stop_text(p->stop), ca, cb);
}

int cmd_escalate(int argc, char **argv)
{
    gopts o;
    static const char *const need[] = {"--players", "--rule", NULL};
    int rc = gc_parse(argc, argv, "escalate", usage_escalate, need, &o);
    if (rc >= 0) return rc;
    tw_escalation_opts eo = {.max_rounds = (size_t)o.rounds, .step = o.step, .factor = o.factor, .cap = o.cap};
    if (tw_escalation_rule_parse(o.rule, &eo.rule))
        return cli_usage_error("escalate", "--rule \"%s\" is not mirror, proportional or best-response", o.rule);
    gc_env e;
    tw_escalation *path = NULL;
    if ((rc = gc_setup(&o, &e)) >= 0) goto done;
    const tw_world *w = e.w;
    size_t pl[MAXP], np;
    if ((rc = gc_country_list(w, "escalate", "--players", o.players, pl, &np))) goto done;
    if (np != 2) { rc = cli_usage_error("escalate", "--players takes two countries, not \"%s\"", o.players); goto done; }
    eo.a = pl[0];
    eo.b = pl[1];
    tw_error err;
    tw_error_clear(&err);
    tw_status st = tw_game_escalate(e.g, &eo, &path, &err);
    int prc = path && o.json && !st ? print_path_json(&o, w, &eo, path) : 0;
    if (path && !o.json) print_path_table(&o, w, eo.a, eo.b, path, !st);
    rc = cli_fail(st ? &err : NULL);
    if (!rc) rc = prc;
done:
    tw_escalation_free(path);
    gc_teardown(&e);
    return rc;
}

int cmd_talks(int argc, char **argv)
{
    return gc_run(argc, argv, "talks", usage_talks, "--players", talks);
}

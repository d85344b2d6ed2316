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
    "\n"
    "Trade talks over uniform tariffs of each player on the others.  The status quo\n"
    "is the baseline (or --tariffs FILE applied to it).  The threat point is the\n"
    "Nash war among the players (default), the status quo, or a counterfactual\n"
    "FILE.  Prints the Nash bargaining solution (the tariffs maximising the product\n"
    "of welfare gains over the threat point) and K points of the efficient frontier\n"
    "(two players).  A concession V (in %% of the receiver's real income; receiver =\n"
    "the other player when there are two) is a side payment: talks says what tariff\n"
    "change it buys at the bargaining solution, and, with --deal FILE (a\n"
    "counterfactual applied to the status quo, e.g. the US removing the fentanyl\n"
    "layer), whether the deal plus the concession leaves every player better off\n"
    "than the status quo and than the threat point.\n";

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

static tw_result *solve_file(tw_world *w, const tw_shock *start, tw_game *g, const char *file,
                             tw_error *err)
{
    tw_shock *s = tw_shock_clone(start, err);
    if (!s) return NULL;
    tw_result *r = NULL;
    if (!file || !tw_shock_load_tariffs(s, file, err)) r = tw_game_solve_with(g, s, err);
    tw_shock_free(s);
    (void)w;
    return r;
}

int cmd_talks(int argc, char **argv)
{
    gopts o;
    int rc = gc_parse(argc, argv, "talks", usage_talks, &o);
    if (rc >= 0) return rc;
    if (!o.players) return cli_usage_error("talks", "%s is required", "--players");
    tw_world *w = NULL;
    tw_shock *s = NULL;
    tw_game *g = NULL;
    tw_outcome *war = NULL, *nbs = NULL, *nbs_c = NULL;
    tw_result *sq = NULL, *thr_r = NULL, *deal = NULL;
    tw_outcome **front = NULL;
    double *fw = NULL;
    size_t nf = 0;
    prog p = {0};
    tw_error err;
    tw_error_clear(&err);
    if ((rc = gc_setup(&o, &w, &s, &g, &p)) >= 0) goto done;
    size_t pl[MAXP], np;
    if ((rc = gc_country_list(w, "talks", "--players", o.players, pl, &np))) goto done;
    if (np < 2) { rc = cli_usage_error("talks", "--players needs at least two countries, not \"%s\"", o.players); goto done; }
    size_t giver = 0, recv = 0;
    char cname[64] = "";
    double cval = 0;
    if (o.concession && (rc = parse_concession(w, o.concession, pl, np, &giver, &recv, cname, sizeof cname, &cval)))
        goto done;
    double thr[MAXP], wsq[MAXP], bonus[MAXP] = {0};
    const char *threat = o.threat ? o.threat : "nash";
    sq = tw_game_solve_with(g, s, &err);
    if (!sq) goto fail;
    for (size_t k = 0; k < np; k++) wsq[k] = tw_result_welfare_hat(sq, pl[k]);
    if (!strcmp(threat, "nash")) {
        war = tw_game_nash(g, pl, np, 0, &err);
        if (!war) goto fail;
        for (size_t k = 0; k < np; k++) thr[k] = tw_result_welfare_hat(tw_outcome_result(war), pl[k]);
        tw_game_free(g); /* talks start again from the status quo */
        g = tw_game_create(w, s, &err);
        if (!g) goto fail;
    } else if (!strcmp(threat, "status-quo")) {
        for (size_t k = 0; k < np; k++) thr[k] = wsq[k];
    } else {
        thr_r = solve_file(w, s, g, threat, &err);
        if (!thr_r) goto fail;
        for (size_t k = 0; k < np; k++) thr[k] = tw_result_welfare_hat(thr_r, pl[k]);
    }
    nbs = tw_game_bargain(g, pl, np, thr, NULL, &err);
    if (!nbs) goto fail;
    if (o.concession) {
        for (size_t k = 0; k < np; k++)
            if (pl[k] == recv) bonus[k] = cval / 100.0;
        nbs_c = tw_game_bargain(g, pl, np, thr, bonus, &err);
        if (!nbs_c) goto fail;
    }
    if (o.deal) {
        deal = solve_file(w, s, g, o.deal, &err);
        if (!deal) goto fail;
    }
    /* the frontier, checked against itself and the bargain: a dominated
     * point is shown but fails the command */
    tw_status fst = TW_OK;
    tw_error ferr;
    tw_error_clear(&ferr);
    if (np == 2 && o.frontier > 0) {
        nf = (size_t)o.frontier;
        fw = malloc(2 * nf * sizeof *fw);
        front = calloc(nf, sizeof(tw_outcome *));
        if (!fw || !front) {
            tw_error_set(&err, TW_ENOMEM, NULL, 0, 0, "out of memory");
            goto fail;
        }
        for (size_t q = 0; q < nf; q++) {
            fw[2 * q] = (double)(q + 1) / (double)(nf + 1);
            fw[2 * q + 1] = 1.0 - fw[2 * q];
        }
        fst = tw_game_frontier(g, pl, 2, thr, fw, nf, nbs, front, &ferr);
        if (fst && !front[0]) {
            err = ferr;
            goto fail;
        }
    }
    const tw_result *rn = tw_outcome_result(nbs);
    if (o.json) {
        cJSON *root = cJSON_CreateObject();
        cJSON_AddStringToObject(root, "threat", threat);
        cJSON_AddBoolToObject(root, "converged", fst == TW_OK);
        if (fst) {
            char msg[700];
            tw_error_format(&ferr, msg, sizeof msg);
            cJSON_AddStringToObject(root, "error", msg);
        }
        cJSON *pa = cJSON_AddArrayToObject(root, "players");
        for (size_t k = 0; k < np; k++) {
            cJSON *pj = cJSON_CreateObject();
            cJSON_AddItemToArray(pa, pj);
            cJSON_AddStringToObject(pj, "code", tw_world_country_code(w, pl[k]));
            cJSON_AddNumberToObject(pj, "status_quo_welfare_pct", gc_pct(wsq[k]));
            cJSON_AddNumberToObject(pj, "threat_welfare_pct", gc_pct(thr[k]));
            cJSON_AddNumberToObject(pj, "bargain_tariff", tw_outcome_params(nbs, k)[0]);
            cJSON_AddNumberToObject(pj, "bargain_welfare_pct", gc_pct(tw_result_welfare_hat(rn, pl[k])));
            if (nbs_c) {
                cJSON_AddNumberToObject(pj, "with_concession_tariff", tw_outcome_params(nbs_c, k)[0]);
                cJSON_AddNumberToObject(pj, "with_concession_welfare_pct",
                                        gc_pct(tw_result_welfare_hat(tw_outcome_result(nbs_c), pl[k]) + bonus[k]));
            }
            if (deal) cJSON_AddNumberToObject(pj, "deal_welfare_pct", gc_pct(tw_result_welfare_hat(deal, pl[k]) + bonus[k]));
        }
        if (nf > 0) {
            cJSON *fa = cJSON_AddArrayToObject(root, "frontier");
            for (size_t q = 0; q < nf; q++) {
                const tw_outcome *f = front[q];
                cJSON *fj = cJSON_CreateObject();
                cJSON_AddItemToArray(fa, fj);
                cJSON_AddNumberToObject(fj, "weight_a", fw[2 * q]);
                cJSON_AddNumberToObject(fj, "tariff_a", tw_outcome_params(f, 0)[0]);
                cJSON_AddNumberToObject(fj, "tariff_b", tw_outcome_params(f, 1)[0]);
                cJSON_AddNumberToObject(fj, "welfare_a_pct", gc_pct(tw_result_welfare_hat(tw_outcome_result(f), pl[0])));
                cJSON_AddNumberToObject(fj, "welfare_b_pct", gc_pct(tw_result_welfare_hat(tw_outcome_result(f), pl[1])));
            }
        }
        gc_print_json(root);
        if (fst) {
            err = ferr;
            goto fail;
        }
        rc = 0;
        goto done;
    }
    printf("trade talks among %zu players on %s (uniform tariffs on each other)\n", np, tw_world_dir(w));
    printf("threat point: %s%s\n\n", threat, !strcmp(threat, "nash") ? " (the tariff war among the players)" : "");
    printf("%-8s %12s %12s %12s %12s %12s\n", "player", "status quo", "threat", "bargain", "bargain", "gain over");
    printf("%-8s %12s %12s %12s %12s %12s\n", "", "welfare %", "welfare %", "tariff %", "welfare %", "threat, pp");
    for (size_t k = 0; k < np; k++) {
        double wb = tw_result_welfare_hat(rn, pl[k]);
        printf("%-8s %12.4f %12.4f %12.3f %12.4f %12.4f\n", tw_world_country_code(w, pl[k]), gc_pct(wsq[k]),
               gc_pct(thr[k]), 100 * tw_outcome_params(nbs, k)[0], gc_pct(wb), 100 * (wb - thr[k]));
    }
    printf("(welfare: exact real income, %% change from the baseline; bargain: Nash bargaining solution)\n");
    if (nf > 0) {
        printf("\nefficient frontier (maximise w_A W_A + w_B W_B, both at least at the threat point)\n");
        printf("%8s %12s %12s %12s %12s\n", "w_A", "tariff A %", "tariff B %", "welfare A %", "welfare B %");
        for (size_t q = 0; q < nf; q++) {
            const tw_outcome *f = front[q];
            printf("%8.3f %12.3f %12.3f %12.4f %12.4f\n", fw[2 * q], 100 * tw_outcome_params(f, 0)[0],
                   100 * tw_outcome_params(f, 1)[0], gc_pct(tw_result_welfare_hat(tw_outcome_result(f), pl[0])),
                   gc_pct(tw_result_welfare_hat(tw_outcome_result(f), pl[1])));
        }
        printf("(a weighted sum finds only points on the convex hull of the achievable welfare pairs; several weights may share a corner)\n");
    }
    if (nbs_c) {
        printf("\nconcession \"%s\" by %s, worth %.4f %% of %s's real income to %s:\n", cname,
               tw_world_country_code(w, giver), cval, tw_world_country_code(w, recv), tw_world_country_code(w, recv));
        for (size_t k = 0; k < np; k++)
            printf("  %s tariff at the bargain: %.3f %% -> %.3f %% (%+.3f pp)\n", tw_world_country_code(w, pl[k]),
                   100 * tw_outcome_params(nbs, k)[0], 100 * tw_outcome_params(nbs_c, k)[0],
                   100 * (tw_outcome_params(nbs_c, k)[0] - tw_outcome_params(nbs, k)[0]));
        printf("  (the tariff change the concession buys: the bargain moves in the giver's favour by this much)\n");
    }
    if (deal) {
        printf("\ndeal %s%s%s:\n", o.deal, o.concession ? " with the concession " : "", o.concession ? cname : "");
        int all_sq = 1, all_thr = 1;
        for (size_t k = 0; k < np; k++) {
            double wd = tw_result_welfare_hat(deal, pl[k]) + bonus[k];
            all_sq &= wd >= wsq[k];
            all_thr &= wd >= thr[k];
            printf("  %s welfare %+.4f %% (status quo %+.4f %%, threat %+.4f %%)\n", tw_world_country_code(w, pl[k]),
                   gc_pct(wd), gc_pct(wsq[k]), gc_pct(thr[k]));
        }
        printf("  leaves every player better off than the status quo: %s; than the threat point: %s\n",
               all_sq ? "yes" : "no", all_thr ? "yes" : "no");
    }
    if (fst) {
        err = ferr;
        goto fail;
    }
    rc = 0;
    goto done;
fail:
    cli_error(&err);
    rc = tw_status_exit_code(err.code);
done:
    for (size_t q = 0; q < nf && front; q++) tw_outcome_free(front[q]);
    free(front);
    free(fw);
    tw_outcome_free(war);
    tw_outcome_free(nbs);
    tw_outcome_free(nbs_c);
    tw_result_free(sq);
    tw_result_free(thr_r);
    tw_result_free(deal);
    tw_game_free(g);
    tw_shock_free(s);
    tw_world_free(w);
    return rc;
}

static const char *const usage_escalate =
    "usage: tradewar escalate --players A,B --rule mirror|proportional|best-response\n"
    "                         [--rounds K] [--step X] [--factor F] [--cap C]\n"
    "                         [--world DIR|NAME] [--tariffs FILE] [--json]\n"
    "\n"
    "The path of a tit-for-tat escalation between A and B, round by round, from the\n"
    "status quo (baseline or --tariffs FILE).  Each round A moves, then B answers;\n"
    "tariffs are uniform on the other's goods.  mirror: A raises its tariff by\n"
    "--step (default 0.10 = 10 pp), B matches A's tariff; proportional: A raises\n"
    "by --step, B sets --factor times A's tariff; best-response: both play best\n"
    "responses (the path to the Nash war).  Stops when no tariff moves by more than\n"
    "0.001 pp in a round, when both tariffs reach --cap (default 2 = 200 %%), or\n"
    "after --rounds (default 20).\n";

/* Average applied tariff of n on i over tradable sectors, baseline weights. */
static double avg_tariff(const tw_world *w, const tw_shock *s, size_t n, size_t i)
{
    return tw_average_tariff(w, tw_shock_tariffs(s), n, i);
}

static int set_uniform(const tw_world *w, tw_shock *s, size_t n, size_t i, double rate, tw_error *err)
{
    for (size_t j = 0; j < tw_world_n_sectors(w); j++)
        if (tw_world_sector_tradable(w, j) && tw_shock_set_tariff(s, n, i, j, rate, err)) return -1;
    return 0;
}

static double goods_change(const tw_world *w, const tw_result *r, size_t n, size_t i)
{
    size_t N = tw_world_n_countries(w), J = tw_world_n_sectors(w);
    const double *t0 = tw_result_trade(r, 0), *t1 = tw_result_trade(r, 1);
    double a = 0, b = 0;
    for (size_t j = 0; j < J; j++)
        if (tw_world_sector_tradable(w, j)) {
            a += t0[(n * N + i) * J + j];
            b += t1[(n * N + i) * J + j];
        }
    return a > 0 ? 100 * (b / a - 1) : 0.0;
}

int cmd_escalate(int argc, char **argv)
{
    gopts o;
    int rc = gc_parse(argc, argv, "escalate", usage_escalate, &o);
    if (rc >= 0) return rc;
    if (!o.players) return cli_usage_error("escalate", "%s is required", "--players");
    if (!o.rule) return cli_usage_error("escalate", "%s is required", "--rule");
    int rule = !strcmp(o.rule, "mirror") ? 0 : !strcmp(o.rule, "proportional") ? 1 : !strcmp(o.rule, "best-response") ? 2 : -1;
    if (rule < 0) return cli_usage_error("escalate", "--rule \"%s\" is not mirror, proportional or best-response", o.rule);
    tw_world *w = NULL;
    tw_shock *s = NULL;
    tw_game *g = NULL;
    tw_result *r = NULL;
    prog p = {0};
    tw_error err;
    tw_error_clear(&err);
    cJSON *root = NULL, *path = NULL;
    if ((rc = gc_setup(&o, &w, &s, &g, &p)) >= 0) goto done;
    size_t pl[MAXP], np;
    if ((rc = gc_country_list(w, "escalate", "--players", o.players, pl, &np))) goto done;
    if (np != 2) { rc = cli_usage_error("escalate", "--players takes two countries, not \"%s\"", o.players); goto done; }
    size_t A = pl[0], B = pl[1];
    const char *ca = tw_world_country_code(w, A), *cb = tw_world_country_code(w, B);
    double ta = avg_tariff(w, s, A, B), tb = avg_tariff(w, s, B, A);
    if (o.json) {
        root = cJSON_CreateObject();
        cJSON_AddStringToObject(root, "rule", o.rule);
        path = cJSON_AddArrayToObject(root, "rounds");
    } else {
        printf("escalation %s vs %s, rule %s, on %s (start: %s on %s %.2f %%, %s on %s %.2f %%)\n\n", ca, cb, o.rule,
               tw_world_dir(w), ca, cb, 100 * ta, cb, ca, 100 * tb);
        printf("%5s %11s %11s %11s %11s %11s %11s\n", "round", "A tariff %", "B tariff %", "A welfare%",
               "B welfare%", "B->A trade%", "A->B trade%");
    }
    unsigned char mb[MAXP] = {0}, ma[MAXP] = {0};
    mb[B] = 1;
    ma[A] = 1;
    const char *why = "the round limit was reached";
    int k;
    for (k = 1; k <= o.rounds; k++) {
        double pa = ta, pb = tb;
        for (int mover = 0; mover < 2; mover++) {
            size_t me = mover ? B : A, other = mover ? A : B;
            double t;
            if (rule == 2) {
                tw_outcome *br = tw_game_best_response(g, me, mover ? ma : mb, &err);
                if (!br) goto fail;
                t = tw_outcome_params(br, 0)[0];
                tw_outcome_free(br);
            } else if (mover == 0) {
                t = fmin(ta + o.step, o.cap);
            } else {
                t = fmin(rule == 0 ? ta : o.factor * ta, o.cap);
            }
            if (set_uniform(w, (tw_shock *)tw_game_shock(g), me, other, t, &err)) goto fail;
            if (mover) tb = t; else ta = t;
        }
        tw_result_free(r);
        r = tw_game_solve_with(g, NULL, &err);
        if (!r) goto fail;
        double wa = gc_pct(tw_result_welfare_hat(r, A)), wb = gc_pct(tw_result_welfare_hat(r, B));
        double tba = goods_change(w, r, A, B), tab = goods_change(w, r, B, A);
        if (path) {
            cJSON *rj = cJSON_CreateObject();
            cJSON_AddItemToArray(path, rj);
            cJSON_AddNumberToObject(rj, "round", k);
            cJSON_AddNumberToObject(rj, "tariff_a", ta);
            cJSON_AddNumberToObject(rj, "tariff_b", tb);
            cJSON_AddNumberToObject(rj, "welfare_a_pct", wa);
            cJSON_AddNumberToObject(rj, "welfare_b_pct", wb);
            cJSON_AddNumberToObject(rj, "trade_b_to_a_pct", tba);
            cJSON_AddNumberToObject(rj, "trade_a_to_b_pct", tab);
        } else {
            printf("%5d %11.3f %11.3f %11.4f %11.4f %11.2f %11.2f\n", k, 100 * ta, 100 * tb, wa, wb, tba, tab);
        }
        if (fabs(ta - pa) <= 1e-5 && fabs(tb - pb) <= 1e-5) { why = "the path converged"; break; }
        if (ta >= o.cap && tb >= o.cap) { why = "both tariffs reached the cap"; break; }
    }
    if (root) {
        cJSON_AddStringToObject(root, "stopped", why);
        gc_print_json(root);
        root = NULL;
    } else {
        printf("\nstopped after %d rounds: %s (A = %s, B = %s; welfare: exact real income, %% change from the baseline)\n",
               k > o.rounds ? o.rounds : k, why, ca, cb);
    }
    rc = 0;
    goto done;
fail:
    cli_error(&err);
    rc = tw_status_exit_code(err.code);
done:
    cJSON_Delete(root);
    tw_result_free(r);
    tw_game_free(g);
    tw_shock_free(s);
    tw_world_free(w);
    return rc;
}

/* game_json.c - the game layer's results as JSON: trade talks (with their
 * frontier and the concession) and escalation paths.
 *
 * One writer per result, so that `tradewar talks --json`, `tradewar escalate
 * --json` and the server's /api/talks and /api/escalate give the same fields.
 * Welfare is in % change from the baseline (tw_pct of the hat), tariffs are
 * levels (0.25 = 25 %); a concession's side payment is counted in the
 * receiver's welfare, as the talks weigh it. */
#include <stdlib.h>

#include "tradewar/json.h"
#include "tradewar/report.h"
#include "json_out.h"

/* The JSON text of root (freed), or NULL when out of memory or !ok. */
static char *finish(cJSON *root, int ok)
{
    char *txt = ok && root ? tw_json_print(root) : NULL;
    cJSON_Delete(root);
    return txt;
}

static cJSON *talks_player(const tw_world *w, const tw_talks *t, const size_t *pl, size_t k, int *ok)
{
    cJSON *pj = cJSON_CreateObject();
    if (!pj) {
        *ok = 0;
        return NULL;
    }
    double wb = tw_result_welfare_hat(tw_outcome_result(t->bargain), pl[k]);
    jstr(pj, "code", tw_world_country_code(w, pl[k]), ok);
    jnum(pj, "status_quo_welfare_pct", tw_pct(t->status_quo[k]), ok);
    jnum(pj, "threat_welfare_pct", tw_pct(t->threat[k]), ok);
    jnum(pj, "bargain_tariff", tw_outcome_params(t->bargain, k)[0], ok);
    jnum(pj, "bargain_welfare_pct", tw_pct(wb), ok);
    if (t->with_concession) {
        double tc = tw_outcome_params(t->with_concession, k)[0];
        jnum(pj, "bonus_pct", 100 * t->bonus[k], ok);
        jnum(pj, "with_concession_tariff", tc, ok);
        jnum(pj, "with_concession_welfare_pct",
             tw_pct(tw_result_welfare_hat(tw_outcome_result(t->with_concession), pl[k]) + t->bonus[k]), ok);
        jnum(pj, "concession_tariff_change_pp", 100 * (tc - tw_outcome_params(t->bargain, k)[0]), ok);
    }
    if (t->deal) jnum(pj, "deal_welfare_pct", tw_pct(tw_result_welfare_hat(t->deal, pl[k]) + t->bonus[k]), ok);
    return pj;
}

static void talks_frontier(cJSON *root, const tw_talks *t, const size_t *pl, int *ok)
{
    cJSON *fa = jarr(root, "frontier", ok);
    for (size_t q = 0; q < t->n_frontier && fa; q++) {
        const tw_outcome *f = t->frontier[q];
        const tw_result *r = tw_outcome_result(f);
        cJSON *fj = cJSON_CreateObject();
        jpush(fa, fj, ok);
        if (!*ok) return;
        jnum(fj, "weight_a", t->weights[2 * q], ok);
        jnum(fj, "tariff_a", tw_outcome_params(f, 0)[0], ok);
        jnum(fj, "tariff_b", tw_outcome_params(f, 1)[0], ok);
        jnum(fj, "welfare_a_pct", tw_pct(tw_result_welfare_hat(r, pl[0])), ok);
        jnum(fj, "welfare_b_pct", tw_pct(tw_result_welfare_hat(r, pl[1])), ok);
    }
}

char *tw_report_talks_json(const tw_world *w, const tw_talks *t, const size_t *players, const char *threat,
                           const tw_error *ferr)
{
    int ok = 1;
    cJSON *root = cJSON_CreateObject();
    jstr(root, "threat", threat, &ok);
    jbool(root, "converged", ferr == NULL, &ok);
    if (ferr) {
        char msg[700];
        tw_error_format(ferr, msg, sizeof msg);
        jstr(root, "error", msg, &ok);
    }
    cJSON *pa = jarr(root, "players", &ok);
    for (size_t k = 0; k < t->n_players && ok; k++) jpush(pa, talks_player(w, t, players, k, &ok), &ok);
    if (t->n_frontier > 0 && ok) talks_frontier(root, t, players, &ok);
    return finish(root, ok);
}

char *tw_report_escalation_json(const tw_world *w, const tw_escalation *p, size_t a, size_t b, const char *rule)
{
    int ok = 1;
    cJSON *root = cJSON_CreateObject();
    jstr(root, "rule", rule, &ok);
    jstr(root, "a", tw_world_country_code(w, a), &ok);
    jstr(root, "b", tw_world_country_code(w, b), &ok);
    jnum(root, "start_tariff_a", p->start_a, &ok);
    jnum(root, "start_tariff_b", p->start_b, &ok);
    cJSON *path = jarr(root, "rounds", &ok);
    for (size_t k = 0; k < p->n_rounds && ok; k++) {
        const tw_escalation_round *rd = &p->rounds[k];
        cJSON *rj = cJSON_CreateObject();
        jpush(path, rj, &ok);
        if (!ok) break;
        jnum(rj, "round", (double)(k + 1), &ok);
        jnum(rj, "tariff_a", rd->tariff_a, &ok);
        jnum(rj, "tariff_b", rd->tariff_b, &ok);
        jnum(rj, "welfare_a_pct", tw_pct(rd->welfare_a), &ok);
        jnum(rj, "welfare_b_pct", tw_pct(rd->welfare_b), &ok);
        jnum(rj, "trade_b_to_a_pct", rd->trade_b_to_a_pct, &ok);
        jnum(rj, "trade_a_to_b_pct", rd->trade_a_to_b_pct, &ok);
    }
    jstr(root, "stopped", tw_escalation_stop_text(p->stop), &ok);
    return finish(root, ok);
}

/* game_api.c - the game layer over HTTP: POST /api/optimal (best response),
 * /api/nash (tariff war), /api/talks (Nash bargaining over a threat point,
 * with the frontier and the value of a concession) and /api/escalate (a
 * tit-for-tat path round by round), on tw_game (include/tradewar/game.h).
 *
 * A request makes its own tw_game on the shared world and frees it before it
 * answers; the game borrows a solver from the server's pool (pool.h), which
 * already holds the baseline's Jacobian, and gives it back.  The game's solves
 * start from the baseline or its own last equilibrium, never from an earlier
 * request's, so answers do not depend on the requests before (to the solver's
 * tolerance).  Searches are bounded: at most SRV_GAME_MAX_PARAMS instrument values
 * per player, SRV_GAME_MAX_PLAYERS players and SRV_GAME_MAX_ROUNDS Nash rounds,
 * so one request cannot hold a solve slot for long.  The solver options
 * (deficits, method, tol) are read as for /api/solve (srv_read_solve_opts),
 * the tolerance defaulting to TW_GAME_TOL_DEFAULT as on the command line.
 * Each answer carries the chosen tariffs (named like the CLI's), the welfare
 * of the players and the full equilibrium as tw_report_json; talks and
 * escalation carry the library's JSON of the command line's --json
 * (tw_report_talks_json, tw_report_escalation_json).  The library's texts go
 * into the answer as they are (raw items, or joined), never parsed and
 * printed again. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tradewar/game.h"
#include "tradewar/json.h"
#include "tradewar/report.h"
#include "api.h"
#include "body.h"
#include "catalog.h"
#include "jobs.h"
#include "paths.h"
#include "pool.h"
#include "reply.h"
#include "shock_json.h"
#include "state.h"

#define SRV_GAME_MAX_PLAYERS 8
#define SRV_GAME_MAX_PARAMS 64
#define SRV_GAME_MAX_ROUNDS 50
#define SRV_GAME_MAX_FRONTIER 9


typedef struct game_req {
    cJSON *req;
    const srv_world *sw;      /* the world solved: pe's */
    srv_pooled *pe;           /* the solver the game borrows from the pool */
    tw_shock *start;
    tw_game *g;
    tw_instrument instr;
    size_t players[SRV_GAME_MAX_PLAYERS], np;
    unsigned char mask[512];
    int masked;
} game_req;

static tw_status fail_field(tw_error *err, const char *field, const char *fmt, const char *v)
{
    tw_error_set(err, TW_EINPUT, NULL, 0, 0, fmt, v);
    snprintf(err->field, sizeof err->field, "%s", field);
    return TW_EINPUT;
}

/* A list of country codes (JSON array of strings) into idx. */
static tw_status countries(const tw_world *w, const cJSON *arr, const char *field, size_t *idx,
                           size_t max, size_t *n, tw_error *err)
{
    *n = 0;
    if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) < 1)
        return fail_field(err, field, "%s", "must be a non-empty array of country codes");
    const cJSON *e;
    cJSON_ArrayForEach(e, arr)
    {
        if (!cJSON_IsString(e)) return fail_field(err, field, "%s", "must hold country codes");
        long k = tw_world_country_index(w, e->valuestring);
        if (k < 0) return fail_field(err, field, "unknown country \"%.64s\"", e->valuestring);
        if (*n == max) return fail_field(err, field, "%s", "lists too many countries for one request");
        for (size_t q = 0; q < *n; q++)
            if (idx[q] == (size_t)k) return fail_field(err, field, "lists \"%.64s\" twice", e->valuestring);
        idx[(*n)++] = (size_t)k;
    }
    return TW_OK;
}

/* Parse what every game request shares and build the game (its solver
 * options so, read by srv_read_solve_opts, set on it). */
static tw_status setup(srv_server *s, game_req *gr, const srv_solve_opts *so,
                       tw_error *err)
{
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(gr->req, "world");
    if (w && !cJSON_IsString(w)) return fail_field(err, "world", "%s", "must be a string");
    const cJSON *el = cJSON_GetObjectItemCaseSensitive(gr->req, "elasticities");
    if (el && !cJSON_IsString(el)) return fail_field(err, "elasticities", "%s", "must be a string");
    const srv_world *base = srv_catalog_get(&s->cat, w ? w->valuestring : NULL, err);
    if (base) gr->pe = srv_pool_take(&s->pool, base, el ? el->valuestring : NULL, so, err);
    gr->sw = gr->pe ? gr->pe->sw : NULL;
    if (!gr->sw) return err->code ? err->code : TW_ENOMEM; /* both set err */
    if (tw_world_n_countries(gr->sw->w) > sizeof gr->mask)
        return fail_field(err, "world", "%s", "has too many countries for the game endpoints");
    gr->instr = TW_INSTR_UNIFORM;
    const cJSON *in = cJSON_GetObjectItemCaseSensitive(gr->req, "instrument");
    if (in && (!cJSON_IsString(in) || tw_instrument_parse(in->valuestring, &gr->instr)))
        return fail_field(err, "instrument", "%s", "must be uniform, partner, sector or partner-sector");
    double hi = 5.0;
    const cJSON *mt = cJSON_GetObjectItemCaseSensitive(gr->req, "max_tariff");
    if (mt) {
        if (!cJSON_IsNumber(mt) || !(mt->valuedouble > 0 && mt->valuedouble <= 20))
            return fail_field(err, "max_tariff", "%s", "must be a number in (0, 20]");
        hi = mt->valuedouble;
    }
    gr->start = tw_shock_create(gr->sw->w, err);
    if (!gr->start ||
        srv_apply_cells(gr->start, gr->sw->w, cJSON_GetObjectItemCaseSensitive(gr->req, "tariffs"), 0,
                        NULL, err))
        return err->code;
    gr->g = tw_game_create_with(gr->sw->w, gr->start, gr->pe->sv, err);
    if (!gr->g) return err->code;
    tw_game_set_instrument(gr->g, gr->instr);
    tw_game_set_bounds(gr->g, 0.0, hi);
    tw_game_set_max_rounds(gr->g, SRV_GAME_MAX_ROUNDS);
    tw_game_set_tol(gr->g, so->tol); /* in range: srv_read_solve_opts checked it */
    tw_game_set_method(gr->g, so->method);
    tw_game_set_deficits(gr->g, so->deficits);
    return TW_OK;
}

/* Instrument values of importer n covering the partners in mask (NULL = all). */
static size_t n_params(const tw_world *w, size_t n, const unsigned char *mask, tw_instrument in)
{
    size_t N = tw_world_n_countries(w), J = tw_world_n_sectors(w), np = 0, nt = 0;
    for (size_t i = 0; i < N; i++) np += i != n && (!mask || mask[i]);
    for (size_t j = 0; j < J; j++) nt += tw_world_sector_tradable(w, j) != 0;
    return in == TW_INSTR_UNIFORM ? 1 : in == TW_INSTR_PARTNER ? np : in == TW_INSTR_SECTOR ? nt : np * nt;
}


/* {code, welfare_pct, tariffs:[{cells, rate}]} for player k of an outcome. */
static cJSON *player_json(const game_req *gr, const tw_outcome *o, size_t k, const unsigned char *mask)
{
    const tw_world *w = gr->sw->w;
    size_t n = tw_outcome_player(o, k), np = tw_outcome_n_params(o, k);
    const double *x = tw_outcome_params(o, k);
    cJSON *p = cJSON_CreateObject();
    if (!p) return NULL;
    cJSON_AddStringToObject(p, "code", tw_world_country_code(w, n));
    cJSON_AddNumberToObject(p, "welfare_pct", tw_pct(tw_result_welfare_hat(tw_outcome_result(o), n)));
    cJSON *ta = cJSON_AddArrayToObject(p, "tariffs");
    for (size_t q = 0; q < np && ta; q++) {
        char name[200];
        tw_instrument_describe(w, n, mask, gr->instr, q, name, sizeof name);
        cJSON *t = cJSON_CreateObject();
        if (!t) break;
        cJSON_AddItemToArray(ta, t);
        cJSON_AddStringToObject(t, "cells", name);
        cJSON_AddNumberToObject(t, "rate", x[q]);
    }
    return p;
}

/* The library's JSON text as an item printed as it is (cJSON raw): never
 * parsed and printed again.  NULL when txt is NULL or out of memory; txt is
 * consumed. */
static cJSON *raw(char *txt)
{
    cJSON *o = txt ? cJSON_CreateRaw(txt) : NULL;
    free(txt);
    return o;
}

/* An equilibrium as in /api/solve's answer (with bilateral results), naming
 * the world by its catalog name. */
static cJSON *result_json(const game_req *gr, const tw_result *r)
{
    tw_report_opts ro = {.bilateral = 1, .world = gr->sw->name};
    return raw(tw_report_json(gr->sw->w, r, &ro));
}

static cJSON *outcome_json(const game_req *gr, const tw_outcome *o, const unsigned char *mask,
                           double secs)
{
    cJSON *root = cJSON_CreateObject();
    if (!root) return NULL;
    cJSON_AddStringToObject(root, "world_name", gr->sw->name);
    cJSON_AddStringToObject(root, "instrument", tw_instrument_name(gr->instr));
    cJSON_AddBoolToObject(root, "converged", 1);
    cJSON_AddNumberToObject(root, "rounds", (double)tw_outcome_rounds(o));
    cJSON_AddNumberToObject(root, "solves", (double)tw_outcome_solves(o));
    cJSON_AddNumberToObject(root, "elapsed_ms", 1e3 * secs);
    cJSON *pl = cJSON_AddArrayToObject(root, "players");
    for (size_t k = 0; k < tw_outcome_n_players(o) && pl; k++)
        cJSON_AddItemToArray(pl, player_json(gr, o, k, mask));
    cJSON *res = result_json(gr, tw_outcome_result(o));
    if (res) cJSON_AddItemToObject(root, "result", res);
    return root;
}

enum { OPTIMAL, NASH, TALKS, ESCALATE };

/* The country of /api/optimal and its partners (mask, or NULL for all). */
static tw_status read_country(game_req *gr, const unsigned char **mask, tw_error *err)
{
    const tw_world *w = gr->sw->w;
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(gr->req, "country");
    long n = cJSON_IsString(c) ? tw_world_country_index(w, c->valuestring) : -1;
    if (n < 0) return fail_field(err, "country", "unknown country \"%.64s\"", cJSON_IsString(c) ? c->valuestring : "");
    gr->players[0] = (size_t)n;
    gr->np = 1;
    *mask = NULL;
    const cJSON *ag = cJSON_GetObjectItemCaseSensitive(gr->req, "against");
    if (!ag || (cJSON_IsString(ag) && strcmp(ag->valuestring, "all") == 0)) return TW_OK;
    size_t idx[512], na;
    if (countries(w, ag, "against", idx, 512, &na, err)) return TW_EINPUT;
    for (size_t q = 0; q < na; q++) gr->mask[idx[q]] = 1;
    if (gr->mask[n]) return fail_field(err, "against", "lists the country itself (%s)", c->valuestring);
    *mask = gr->mask;
    return TW_OK;
}

/* The players of /api/nash and /api/talks, and whom their tariffs cover. */
static tw_status read_players(game_req *gr, int kind, const unsigned char **mask, int *all_partners,
                              tw_error *err)
{
    if (countries(gr->sw->w, cJSON_GetObjectItemCaseSensitive(gr->req, "players"), "players", gr->players,
                  SRV_GAME_MAX_PLAYERS, &gr->np, err))
        return TW_EINPUT;
    if (kind == TALKS && gr->np < 2) return fail_field(err, "players", "%s", "talks need at least two players");
    *all_partners = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(gr->req, "all_partners"));
    if (!*all_partners)
        for (size_t q = 0; q < gr->np; q++) gr->mask[gr->players[q]] = 1;
    *mask = *all_partners ? NULL : gr->mask;
    return TW_OK;
}

/* A country code (JSON string) into *idx. */
static tw_status one_country(const tw_world *w, const cJSON *c, const char *field, size_t *idx, tw_error *err)
{
    long k = cJSON_IsString(c) ? tw_world_country_index(w, c->valuestring) : -1;
    if (k < 0) return fail_field(err, field, "unknown country \"%.64s\"", cJSON_IsString(c) ? c->valuestring : "");
    *idx = (size_t)k;
    return TW_OK;
}

/* A number field of req in [lo, hi] (dflt when absent) into *v. */
static tw_status read_num(const cJSON *req, const char *field, double lo, double hi, double dflt, int whole,
                          double *v, tw_error *err)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(req, field);
    *v = dflt;
    if (!x) return TW_OK;
    if (!cJSON_IsNumber(x) || !(x->valuedouble >= lo && x->valuedouble <= hi) ||
        (whole && x->valuedouble != (double)(long)x->valuedouble)) {
        char msg[96];
        snprintf(msg, sizeof msg, "must be a%s number in [%g, %g]", whole ? " whole" : "", lo, hi);
        return fail_field(err, field, "%s", msg);
    }
    *v = x->valuedouble;
    return TW_OK;
}

/* The talks' threat, frontier and concession: {"giver", "receiver" (the
 * other player by default when there are two), "value_pct"}. */
static tw_status read_talks(const game_req *gr, tw_talks_opts *to, const char **threat, tw_error *err)
{
    const cJSON *th = cJSON_GetObjectItemCaseSensitive(gr->req, "threat");
    *threat = "nash";
    if (th && !(cJSON_IsString(th) && (!strcmp(th->valuestring, "nash") || !strcmp(th->valuestring, "status-quo"))))
        return fail_field(err, "threat", "%s", "must be \"nash\" or \"status-quo\"");
    if (th) *threat = th->valuestring;
    to->threat = !strcmp(*threat, "nash") ? TW_THREAT_NASH : TW_THREAT_STATUS_QUO;
    double nf;
    if (read_num(gr->req, "frontier", 0, SRV_GAME_MAX_FRONTIER, 0, 1, &nf, err)) return TW_EINPUT;
    if (nf > 0 && gr->np != 2) return fail_field(err, "frontier", "%s", "needs two players");
    to->frontier = (size_t)nf;
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(gr->req, "concession");
    if (!c) return TW_OK;
    static const char *const keys[] = {"giver", "receiver", "value_pct", NULL};
    if (!cJSON_IsObject(c)) return fail_field(err, "concession", "%s", "must be {\"giver\", \"value_pct\"}");
    if (srv_check_keys(c, keys, "concession", err)) return TW_EINPUT;
    size_t giver, recv = 0;
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(c, "receiver");
    tw_status st = one_country(gr->sw->w, cJSON_GetObjectItemCaseSensitive(c, "giver"), "concession", &giver, err);
    if (!st && r) st = one_country(gr->sw->w, r, "concession", &recv, err);
    if (st) return st;
    if (!r && gr->np == 2) recv = gr->players[0] == giver ? gr->players[1] : gr->players[0];
    int gin = 0, rin = 0;
    for (size_t k = 0; k < gr->np; k++) {
        gin |= gr->players[k] == giver;
        rin |= gr->players[k] == recv;
    }
    if (!gin || (!r && gr->np != 2) || !rin || recv == giver)
        return fail_field(err, "concession", "%s", "giver and receiver must be two different players "
                                                   "(receiver: the other player when there are two)");
    double v;
    if (!cJSON_GetObjectItemCaseSensitive(c, "value_pct"))
        return fail_field(err, "concession", "%s", "needs \"value_pct\" (% of the receiver's real income)");
    if (read_num(c, "value_pct", -100, 100, 0, 0, &v, err)) return TW_EINPUT;
    to->has_concession = 1;
    to->receiver = recv;
    to->concession = v / 100.0;
    return TW_OK;
}

/* At most SRV_GAME_MAX_PARAMS instrument values per player. */
static tw_status check_size(const game_req *gr, const unsigned char *mask, tw_error *err)
{
    for (size_t q = 0; q < gr->np; q++) {
        size_t np = n_params(gr->sw->w, gr->players[q], mask, gr->instr);
        if (np > SRV_GAME_MAX_PARAMS) {
            char msg[32];
            snprintf(msg, sizeof msg, "%zu", np);
            return fail_field(err, "instrument", "needs %s tariffs per player; the server searches at most 64 "
                                                 "(use the command line for larger searches)", msg);
        }
    }
    return TW_OK;
}

/* What a search found: the outcome (owned by talks for talks), the talks,
 * the escalation path, and the talks' or path's status. */
typedef struct game_run {
    tw_talks_opts to;
    const char *threat;
    tw_escalation_opts eo;
    const char *rule;
    tw_outcome *out;
    tw_talks *talks;
    tw_escalation *path;
    tw_result *last;          /* the escalation's last round's equilibrium */
    tw_status st;
} game_run;

/* The escalation's players, rule, rounds, step, factor and cap. */
static tw_status read_escalation(game_req *gr, game_run *run, tw_error *err)
{
    if (countries(gr->sw->w, cJSON_GetObjectItemCaseSensitive(gr->req, "players"), "players", gr->players,
                  SRV_GAME_MAX_PLAYERS, &gr->np, err))
        return TW_EINPUT;
    if (gr->np != 2) return fail_field(err, "players", "%s", "escalation needs two players");
    const cJSON *ru = cJSON_GetObjectItemCaseSensitive(gr->req, "rule");
    if (!cJSON_IsString(ru) || tw_escalation_rule_parse(ru->valuestring, &run->eo.rule))
        return fail_field(err, "rule", "%s", "must be \"mirror\", \"proportional\" or \"best-response\"");
    run->rule = ru->valuestring;
    run->eo.a = gr->players[0];
    run->eo.b = gr->players[1];
    double rounds;
    if (read_num(gr->req, "rounds", 1, SRV_GAME_MAX_ROUNDS, 20, 1, &rounds, err) ||
        read_num(gr->req, "step", 0.001, 5, 0.10, 0, &run->eo.step, err) ||
        read_num(gr->req, "factor", 0.01, 10, 1.0, 0, &run->eo.factor, err) ||
        read_num(gr->req, "cap", 0.01, 20, 2.0, 0, &run->eo.cap, err))
        return TW_EINPUT;
    run->eo.max_rounds = (size_t)rounds;
    return TW_OK;
}

/* The search of the endpoint: one library call each; TW_OK or err's code. */
static tw_status search(game_req *gr, int kind, const unsigned char *mask, int all_partners, game_run *run,
                        tw_error *err)
{
    if (kind == OPTIMAL) run->out = tw_game_best_response(gr->g, gr->players[0], mask, err);
    else if (kind == NASH) run->out = tw_game_nash(gr->g, gr->players, gr->np, all_partners, err);
    if (kind == OPTIMAL || kind == NASH) return run->out ? TW_OK : err->code;
    if (kind == ESCALATE) {
        /* the game's tariffs end at the last round's: its equilibrium, for
         * the dashboard's charts, is one warm-started solve */
        run->st = tw_game_escalate(gr->g, &run->eo, &run->path, err);
        if (!run->st && !(run->last = tw_game_solve_with(gr->g, NULL, err))) run->st = err->code;
        return run->st;
    }
    run->to.players = gr->players;
    run->to.n_players = gr->np;
    run->to.status_quo = 1;
    run->st = tw_game_talks(gr->g, &run->to, &run->talks, err);
    run->out = run->talks ? run->talks->bargain : NULL;
    return run->out ? TW_OK : err->code; /* a frontier that failed its check is reported in the answer */
}

/* The answer of a search that ended well, as text; NULL when out of memory. */
static char *answer(const game_req *gr, int kind, const unsigned char *mask, const game_run *run,
                    const tw_error *err, double secs)
{
    if (kind == ESCALATE) {
        /* the library's text with the server's fields joined after its members */
        cJSON *more = cJSON_CreateObject();
        if (more) {
            cJSON_AddStringToObject(more, "world_name", gr->sw->name);
            cJSON_AddBoolToObject(more, "converged", 1);
            cJSON_AddNumberToObject(more, "elapsed_ms", 1e3 * secs);
            cJSON *res = result_json(gr, run->last);
            if (res) cJSON_AddItemToObject(more, "result", res);
        }
        return srv_json_joined(tw_report_escalation_json(gr->sw->w, run->path, run->eo.a, run->eo.b, run->rule),
                               more);
    }
    cJSON *reply = outcome_json(gr, run->out, mask, secs);
    if (reply && run->talks) {
        const tw_error *ferr = run->st ? err : NULL; /* only the frontier's check can fail here */
        cJSON_AddStringToObject(reply, "threat", run->threat);
        cJSON *pl = cJSON_GetObjectItemCaseSensitive(reply, "players");
        for (size_t k = 0; k < gr->np; k++)
            cJSON_AddNumberToObject(cJSON_GetArrayItem(pl, (int)k), "threat_welfare_pct", tw_pct(run->talks->threat[k]));
        if (ferr) cJSON_ReplaceItemInObjectCaseSensitive(reply, "converged", cJSON_CreateBool(0));
        cJSON *t = raw(tw_report_talks_json(gr->sw->w, run->talks, gr->players, run->threat, ferr));
        if (!t) {
            cJSON_Delete(reply);
            return NULL;
        }
        cJSON_AddItemToObject(reply, "talks", t);
    }
    char *txt = reply ? tw_json_print(reply) : NULL;
    cJSON_Delete(reply);
    return txt;
}

/* The keys each endpoint takes. */
static const char *const *endpoint_keys(int kind)
{
    static const char *const k_opt[] = {"world", "elasticities", "country", "against",
                                        "instrument", "max_tariff", "tariffs", "method",
                                        "deficits", "tol", NULL};
    static const char *const k_nash[] = {"world", "elasticities", "players", "all_partners",
                                         "instrument", "max_tariff", "tariffs", "method",
                                         "deficits", "tol", NULL};
    static const char *const k_talks[] = {"world", "elasticities", "players", "max_tariff",
                                          "tariffs", "method", "deficits", "tol", "threat",
                                          "frontier", "concession", NULL};
    static const char *const k_esc[] = {"world", "elasticities", "players", "rule", "rounds",
                                        "step", "factor", "cap", "max_tariff", "tariffs",
                                        "method", "deficits", "tol", NULL};
    return kind == OPTIMAL ? k_opt : kind == NASH ? k_nash : kind == TALKS ? k_talks : k_esc;
}

/* The endpoint's own fields (after setup). */
static tw_status read_request(game_req *gr, int kind, game_run *run, const unsigned char **mask,
                              int *all_partners, tw_error *err)
{
    *mask = NULL;
    *all_partners = 0;
    if (kind == ESCALATE) return read_escalation(gr, run, err);
    if (kind == OPTIMAL ? read_country(gr, mask, err) : read_players(gr, kind, mask, all_partners, err))
        return TW_EINPUT;
    if (kind == TALKS && read_talks(gr, &run->to, &run->threat, err)) return TW_EINPUT;
    return check_size(gr, *mask, err);
}

static void run_game(srv_server *s, const srv_request *rq, srv_reply *rp, int kind)
{
    game_req gr;
    memset(&gr, 0, sizeof gr);
    game_run run;
    memset(&run, 0, sizeof run);
    tw_error err;
    tw_error_clear(&err);
    srv_solve_opts so;
    gr.req = srv_parse_body(rq, rp);
    if (!gr.req) return;
    if (srv_check_keys(gr.req, endpoint_keys(kind), "request", &err)) goto fail;
    if (srv_read_solve_opts(gr.req, TW_GAME_TOL_DEFAULT, &so, rp)) goto done;
    if (setup(s, &gr, &so, &err)) goto fail;
    srv_job_attach(rq, gr.g);
    const unsigned char *mask;
    int all_partners;
    if (read_request(&gr, kind, &run, &mask, &all_partners, &err)) goto fail;
    if (!srv_gate_enter(&s->gate, SRV_SLOT_WAIT_S)) {
        srv_reply_error(rp, 503, "server busy: %u solves running; try again", s->cfg.max_solves);
        goto done;
    }
    double t0 = tw_clock_seconds();
    tw_status st = search(&gr, kind, mask, all_partners, &run, &err);
    double secs = tw_clock_seconds() - t0;
    srv_gate_leave(&s->gate);
    if (st) goto fail;
    srv_reply_text_json(rp, 200, answer(&gr, kind, mask, &run, &err, secs));
    goto done;
fail:
    srv_reply_tw_error(rp, &err);
done:
    if (!run.talks) tw_outcome_free(run.out);
    tw_talks_free(run.talks);
    tw_escalation_free(run.path);
    tw_result_free(run.last);
    tw_game_free(gr.g);
    tw_shock_free(gr.start);
    /* a solver that ran out of memory may hold half-built caches: not kept */
    srv_pool_give(&s->pool, gr.pe, err.code != TW_ENOMEM);
    cJSON_Delete(gr.req);
}

void srv_api_game(srv_server *s, const srv_request *rq, srv_reply *rp)
{
    if (strcmp(rq->method, "POST") != 0) {
        srv_reply_error(rp, 405, "%s takes POST, not %s", rq->path, rq->method);
        return;
    }
    int kind = !strcmp(rq->path, "/api/optimal") ? OPTIMAL
             : !strcmp(rq->path, "/api/nash")    ? NASH
             : !strcmp(rq->path, "/api/talks")   ? TALKS
                                                 : ESCALATE;
    run_game(s, rq, rp, kind);
}

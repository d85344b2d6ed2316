/* api.h - the JSON API's router and endpoints (api.c, game_api.c,
 * runs_api.c; private to server/; docs/server.md). */
#ifndef TW_SERVER_API_H
#define TW_SERVER_API_H

#include "tradewar/error.h"
#include "tradewar/scenario.h"
#include "tradewar/solve.h"
#include "tradewar/store.h"
#include "catalog.h"
#include "reply.h"
#include "server.h"

#define SRV_MAX_STEPS 400      /* scenario steps one timeline request may solve */
#define SRV_LABEL_MAX 200      /* characters in a run label */

/* api.c: the router, called by the transport for every /api/ request. */
void srv_api(srv_server *s, const srv_request *rq, srv_reply *rp);
/* game_api.c: /api/optimal, /api/nash, /api/talks, /api/escalate */
void srv_api_game(srv_server *s, const srv_request *rq, srv_reply *rp);
/* runs_api.c: /api/runs and what is under it */
void srv_api_runs(srv_server *s, const srv_request *rq, srv_reply *rp);
/* Save a solve r (tl NULL) or timeline tl of world sw in the server's store,
 * with o's inputs and options; the run's id, or -1 with err set. */
long long srv_save_run(srv_server *s, const srv_world *sw, const tw_result *r,
                       const tw_timeline *tl, tw_record_opts *o, tw_error *err);

#endif

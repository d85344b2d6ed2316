/* state.h - one running server (private to server/): what srv_start sets up
 * and the files that serve requests read. */
#ifndef TW_SERVER_STATE_H
#define TW_SERVER_STATE_H

#include <pthread.h>

#include <microhttpd.h>

#include "catalog.h"
#include "door.h"
#include "jobs.h"
#include "paths.h"
#include "pool.h"
#include "reply.h"
#include "server.h"

/* The API router, which the transport (http.c) calls through. */
typedef void (*srv_route_fn)(srv_server *s, const srv_request *rq, srv_reply *rp);

struct srv_server {
    srv_config cfg;
    srv_route_fn route;      /* /api/ requests (set by srv_start) */
    char *bind;
    char *web_dir;
    char *db;
    struct MHD_Daemon *daemon;
    unsigned port;
    int loopback;            /* bound to a loopback address: check Host */
    srv_catalog cat;
    srv_gate gate;
    srv_pool pool;           /* idle solvers for /api/solve (pool.h) */
    pthread_mutex_t count_lock;
    pthread_cond_t idle;
    unsigned in_flight;
    unsigned health_in_flight; /* of in_flight: GET /api/health probes */
    srv_door door;
    srv_paths paths;
    srv_jobs jobs;           /* long game searches (jobs.c) */
};

#endif

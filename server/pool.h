/* pool.h - solvers kept between solve requests (pool.c; private to server/).
 *
 * A new solver pays a cold start: the baseline's Jacobian, N+1 model
 * evaluations, most of the work of a dashboard re-solve on a large world.  The
 * pool keeps idle solvers that already hold it, keyed by the world, the
 * elasticity set and the solver options (method, deficit rule, tolerance).  A
 * solve, timeline or game request takes one (or a new one when none is idle),
 * solves and gives it back (a game borrows it: tw_game_create_with).  tw_solver_run, and a timeline's first step, always start
 * from the baseline and its zero-shock Jacobian, never from an earlier solve
 * (include/tradewar/solve.h), so an answer does not depend on which requests
 * came before; only the counts of work differ (a kept solver spends no
 * evaluations on the Jacobian or on the deficit purge).
 *
 * The mutex guards the list of idle solvers only: a solver taken belongs to
 * one request until it is given back.  At most SRV_POOL_MAX idle solvers are
 * kept; giving one back to a full pool drops the one idle the longest. */
#ifndef TW_SERVER_POOL_H
#define TW_SERVER_POOL_H

#include <pthread.h>

#include "tradewar/error.h"
#include "tradewar/solve.h"
#include "body.h"
#include "catalog.h"

#define SRV_POOL_MAX 8

/* One solver with its key.  sw is the world solved: the catalog's own, or
 * the copy with the elasticity set applied (own, freed with the entry). */
typedef struct srv_pooled {
    const srv_world *base;   /* the catalog world asked for (key) */
    char *elast;             /* the elasticity set asked for, NULL = none (key) */
    srv_solve_opts so;       /* key */
    const srv_world *sw;     /* base or &own */
    srv_world own;
    tw_solver *sv;
    unsigned long long used; /* pool clock when given back */
} srv_pooled;

typedef struct srv_pool {
    pthread_mutex_t lock;
    size_t n;
    srv_pooled *idle[SRV_POOL_MAX];
    unsigned long long clock;
} srv_pool;

void srv_pool_init(srv_pool *p);
/* Frees every idle solver; none may be taken. */
void srv_pool_free(srv_pool *p);
/* A solver for catalog world base with elasticity set elast (NULL: the
 * world's own) and options so: an idle one, or a new one.  NULL with err set
 * (an unknown elasticity set: field "elasticities"; out of memory). */
srv_pooled *srv_pool_take(srv_pool *p, const srv_world *base, const char *elast,
                          const srv_solve_opts *so, tw_error *err);
/* Give e back for the next request (keep = 1) or free it (keep = 0: after
 * running out of memory, when its state is not to be trusted).  e may be
 * NULL. */
void srv_pool_give(srv_pool *p, srv_pooled *e, int keep);

#endif

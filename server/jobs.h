/* jobs.h - long game searches as jobs (jobs.c; private to server/;
 * docs/server.md, "Jobs").
 *
 * POST /api/jobs starts one of the game endpoints (optimal, nash, talks,
 * escalate) in a thread of its own and answers at once with the job's id; GET /api/jobs/ID
 * polls its state, its progress lines and, once it has ended, the endpoint's
 * answer; DELETE /api/jobs/ID asks a running job to stop (the search ends at
 * its next solve with "cancelled") or forgets an ended one.  No connection is
 * held while a search runs, so the server's per-client limits stay as they are.
 * At most SRV_JOBS_RUNNING jobs run at once (and one fewer than the server's
 * solve slots, so that jobs never take every slot) and SRV_JOBS_MAX are kept; the
 * oldest ended job makes room for a new one.  srv_jobs_stop (from srv_stop)
 * asks every running job to stop and waits for it. */
#ifndef TW_SERVER_JOBS_H
#define TW_SERVER_JOBS_H

#include <pthread.h>

#include "tradewar/game.h"
#include "reply.h"
#include "server.h"

#define SRV_JOBS_MAX 32      /* jobs kept, running and ended */
#define SRV_JOBS_RUNNING 2   /* jobs running at once, at most */
#define SRV_JOB_LINES 20     /* newest progress lines kept per job */

typedef struct srv_job srv_job;

typedef struct srv_jobs {
    pthread_mutex_t lock;
    srv_job *list[SRV_JOBS_MAX];
    long next_id;
} srv_jobs;

void srv_jobs_init(srv_jobs *jobs);
/* Ask every running job to stop, wait for each, free them all. */
void srv_jobs_stop(srv_jobs *jobs);
/* /api/jobs and /api/jobs/ID. */
void srv_api_jobs(srv_server *s, const srv_request *rq, srv_reply *rp);
/* When rq runs as a job (rq->job), report g's progress to the job and stop g
 * when the job is cancelled. */
void srv_job_attach(const srv_request *rq, tw_game *g);

#endif

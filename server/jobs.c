/* jobs.c - long game searches as jobs: POST /api/jobs, GET /api/jobs[/ID],
 * DELETE /api/jobs/ID (jobs.h; docs/server.md, "Jobs").
 *
 * A job runs its endpoint's request through the server's router in a thread
 * of its own, on a request that carries the job, and keeps the reply the
 * handler builds.  The table's lock guards every job's state and progress lines; the
 * cancel flag is an atomic the game's stop function reads before each solve. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "tradewar/json.h"
#include "tradewar/report.h"
#include "body.h"
#include "jobs.h"
#include "shock_json.h"
#include "state.h"

enum { JOB_RUNNING, JOB_DONE, JOB_FAILED, JOB_CANCELLED };
static const char *const state_names[] = {"running", "done", "failed", "cancelled"};
static const char *const endpoints[] = {"optimal", "nash", "talks", "escalate"};
#define N_ENDPOINTS (sizeof endpoints / sizeof endpoints[0])

struct srv_job {
    long id;
    char endpoint[16];
    char path[32];
    char *body;
    srv_server *s;
    srv_jobs *jobs;
    pthread_t thread;
    atomic_int cancel;
    int state;
    srv_reply reply;
    double t0, t1;
    char *lines[SRV_JOB_LINES];
    size_t n_lines; /* lines reported so far; the newest SRV_JOB_LINES are kept */
};

void srv_jobs_init(srv_jobs *jobs)
{
    memset(jobs, 0, sizeof *jobs);
    pthread_mutex_init(&jobs->lock, NULL);
    jobs->next_id = 1;
}

static void job_free(srv_job *j)
{
    for (size_t k = 0; k < SRV_JOB_LINES; k++) free(j->lines[k]);
    free(j->reply.body);
    free(j->body);
    free(j);
}

void srv_jobs_stop(srv_jobs *jobs)
{
    for (size_t k = 0; k < SRV_JOBS_MAX; k++)
        if (jobs->list[k]) atomic_store(&jobs->list[k]->cancel, 1);
    for (size_t k = 0; k < SRV_JOBS_MAX; k++) {
        srv_job *j = jobs->list[k];
        if (!j) continue;
        pthread_join(j->thread, NULL);
        job_free(j);
        jobs->list[k] = NULL;
    }
    pthread_mutex_destroy(&jobs->lock);
}

/* ---- what the game calls ---- */

static void job_progress(void *ud, const char *line)
{
    srv_job *j = ud;
    char *copy = strdup(line);
    pthread_mutex_lock(&j->jobs->lock);
    size_t slot = j->n_lines++ % SRV_JOB_LINES;
    free(j->lines[slot]);
    j->lines[slot] = copy;
    pthread_mutex_unlock(&j->jobs->lock);
}

static int job_stopped(void *ud)
{
    srv_job *j = ud;
    return atomic_load(&j->cancel);
}

void srv_job_attach(const srv_request *rq, tw_game *g)
{
    if (!rq->job) return;
    tw_game_set_progress(g, job_progress, rq->job);
    tw_game_set_stop(g, job_stopped, rq->job);
}

static void *job_run(void *arg)
{
    srv_job *j = arg;
    srv_request rq = {.method = "POST", .path = j->path, .body = j->body,
                      .len = strlen(j->body), .conn = NULL, .job = j};
    srv_reply rp = {0};
    j->s->route(j->s, &rq, &rp); /* the router sends it to the game endpoint */
    pthread_mutex_lock(&j->jobs->lock);
    j->reply = rp;
    j->t1 = tw_clock_seconds();
    j->state = rp.status == 200 ? JOB_DONE : atomic_load(&j->cancel) ? JOB_CANCELLED : JOB_FAILED;
    pthread_mutex_unlock(&j->jobs->lock);
    return NULL;
}

/* ---- the endpoints ---- */

/* {id, endpoint, state, elapsed_ms} and, in full, the progress lines and the
 * endpoint's answer (status and result, or error).  Called with the lock. */
static cJSON *job_json(const srv_job *j, int full)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    cJSON_AddNumberToObject(o, "id", (double)j->id);
    cJSON_AddStringToObject(o, "endpoint", j->endpoint);
    cJSON_AddStringToObject(o, "state", state_names[j->state]);
    double end = j->state == JOB_RUNNING ? tw_clock_seconds() : j->t1;
    cJSON_AddNumberToObject(o, "elapsed_ms", 1e3 * (end - j->t0));
    if (!full) return o;
    cJSON_AddBoolToObject(o, "cancel_requested", atomic_load(&j->cancel) != 0);
    cJSON *lines = cJSON_AddArrayToObject(o, "progress");
    size_t first = j->n_lines > SRV_JOB_LINES ? j->n_lines - SRV_JOB_LINES : 0;
    for (size_t k = first; k < j->n_lines && lines; k++)
        cJSON_AddItemToArray(lines, cJSON_CreateString(j->lines[k % SRV_JOB_LINES]));
    if (j->state == JOB_RUNNING) return o;
    cJSON_AddNumberToObject(o, "status", j->reply.status);
    if (j->state == JOB_DONE) { /* the endpoint's answer as it is, not parsed and printed again */
        if (j->reply.body) cJSON_AddItemToObject(o, "result", cJSON_CreateRaw(j->reply.body));
        return o;
    }
    cJSON *answer = j->reply.body ? cJSON_Parse(j->reply.body) : NULL;
    if (answer) {
        cJSON *e = cJSON_DetachItemFromObjectCaseSensitive(answer, "error");
        if (e) cJSON_AddItemToObject(o, "error", e);
        cJSON_Delete(answer);
    }
    return o;
}

/* Room for one more job: a free slot, else the oldest ended job's (joined and
 * freed).  -1 when every kept job is running.  Called with the lock. */
static long free_slot(srv_jobs *jobs, size_t *running)
{
    long slot = -1, oldest = -1;
    *running = 0;
    for (size_t k = 0; k < SRV_JOBS_MAX; k++) {
        srv_job *j = jobs->list[k];
        if (!j) {
            if (slot < 0) slot = (long)k;
        } else if (j->state == JOB_RUNNING) {
            (*running)++;
        } else if (oldest < 0 || j->id < jobs->list[oldest]->id) {
            oldest = (long)k;
        }
    }
    if (slot >= 0 || oldest < 0) return slot;
    pthread_join(jobs->list[oldest]->thread, NULL); /* ended: returns at once */
    job_free(jobs->list[oldest]);
    jobs->list[oldest] = NULL;
    return oldest;
}

/* Jobs that may run at once: SRV_JOBS_RUNNING, but always one solve slot
 * fewer than the server has, so that jobs never hold every slot and the
 * dashboard's solves keep their answers in tens of milliseconds. */
static size_t jobs_running_max(const srv_server *s)
{
    unsigned slots = s->cfg.max_solves;
    return slots <= 1 ? 1 : slots - 1 < SRV_JOBS_RUNNING ? slots - 1 : SRV_JOBS_RUNNING;
}

/* POST /api/jobs {"endpoint": "optimal"|"nash"|"talks"|"escalate", "request": {...}}. */
static void job_start(srv_server *s, const srv_request *rq, srv_reply *rp)
{
    static const char *const keys[] = {"endpoint", "request", NULL};
    cJSON *req = srv_parse_body(rq, rp);
    if (!req) return;
    tw_error err;
    tw_error_clear(&err);
    const cJSON *ep = cJSON_GetObjectItemCaseSensitive(req, "endpoint");
    const cJSON *body = cJSON_GetObjectItemCaseSensitive(req, "request");
    size_t which = 0;
    while (which < N_ENDPOINTS && !(cJSON_IsString(ep) && strcmp(ep->valuestring, endpoints[which]) == 0)) which++;
    if (srv_check_keys(req, keys, "request", &err)) {
        srv_reply_tw_error(rp, &err);
    } else if (which == N_ENDPOINTS) {
        srv_bad_field(rp, "endpoint", "must be \"optimal\", \"nash\", \"talks\" or \"escalate\"");
    } else if (!cJSON_IsObject(body)) {
        srv_bad_field(rp, "request", "must be the object the endpoint takes");
    } else {
        srv_job *j = calloc(1, sizeof *j);
        char *text = tw_json_print(body);
        srv_jobs *jobs = &s->jobs;
        size_t running = 0;
        pthread_mutex_lock(&jobs->lock);
        long slot = j && text ? free_slot(jobs, &running) : -1;
        if (!j || !text) {
            srv_reply_error(rp, 503, "out of memory");
        } else if (running >= jobs_running_max(s) || slot < 0) {
            srv_reply_error(rp, 503, "server busy: %zu jobs running; try again when one has ended", running);
        } else {
            j->id = jobs->next_id;
            snprintf(j->endpoint, sizeof j->endpoint, "%s", endpoints[which]);
            snprintf(j->path, sizeof j->path, "/api/%s", endpoints[which]);
            j->body = text;
            j->s = s;
            j->jobs = jobs;
            j->t0 = tw_clock_seconds();
            atomic_init(&j->cancel, 0);
            if (pthread_create(&j->thread, NULL, job_run, j) != 0) {
                srv_reply_error(rp, 503, "server busy: no thread for a job");
            } else {
                jobs->list[slot] = j;
                jobs->next_id++;
                cJSON *o = job_json(j, 0);
                char poll[48];
                snprintf(poll, sizeof poll, "/api/jobs/%ld", j->id);
                if (o) cJSON_AddStringToObject(o, "poll", poll);
                j = NULL;
                text = NULL;
                srv_reply_json(rp, 202, o);
            }
        }
        pthread_mutex_unlock(&jobs->lock);
        if (j) j->body = NULL;
        free(j);
        free(text);
    }
    cJSON_Delete(req);
}

/* The job of "/api/jobs/ID", or -1 with a 404 reply.  Called with the lock. */
static long find(srv_jobs *jobs, const char *rest, srv_reply *rp)
{
    char *end;
    long id = strtol(rest, &end, 10);
    if (*rest && !*end && id > 0)
        for (size_t k = 0; k < SRV_JOBS_MAX; k++)
            if (jobs->list[k] && jobs->list[k]->id == id) return (long)k;
    srv_reply_error(rp, 404, "no job %.40s (ended jobs are kept until %d newer ones need the room)", rest,
                    SRV_JOBS_MAX);
    return -1;
}

static void job_list(srv_jobs *jobs, srv_reply *rp)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *arr = o ? cJSON_AddArrayToObject(o, "jobs") : NULL;
    pthread_mutex_lock(&jobs->lock);
    for (long id = jobs->next_id - 1; id > 0 && arr; id--)
        for (size_t k = 0; k < SRV_JOBS_MAX; k++)
            if (jobs->list[k] && jobs->list[k]->id == id) cJSON_AddItemToArray(arr, job_json(jobs->list[k], 0));
    pthread_mutex_unlock(&jobs->lock);
    srv_reply_json(rp, 200, o);
}

/* DELETE: a running job is asked to stop (202; it ends "cancelled" at its next
 * solve); an ended one is forgotten (200). */
static void job_delete(srv_jobs *jobs, long k, srv_reply *rp)
{
    srv_job *j = jobs->list[k];
    cJSON *o = cJSON_CreateObject();
    if (o) cJSON_AddNumberToObject(o, "id", (double)j->id);
    if (j->state == JOB_RUNNING) {
        atomic_store(&j->cancel, 1);
        if (o) cJSON_AddStringToObject(o, "state", "cancelling");
        srv_reply_json(rp, 202, o);
        return;
    }
    pthread_join(j->thread, NULL);
    job_free(j);
    jobs->list[k] = NULL;
    if (o) cJSON_AddStringToObject(o, "state", "removed");
    srv_reply_json(rp, 200, o);
}

void srv_api_jobs(srv_server *s, const srv_request *rq, srv_reply *rp)
{
    const char *rest = rq->path + strlen("/api/jobs");
    int get = strcmp(rq->method, "GET") == 0, del = strcmp(rq->method, "DELETE") == 0;
    if (*rest == '\0') {
        if (strcmp(rq->method, "POST") == 0) job_start(s, rq, rp);
        else if (get) job_list(&s->jobs, rp);
        else srv_reply_error(rp, 405, "/api/jobs takes POST or GET, not %s", rq->method);
        return;
    }
    if (!get && !del) {
        srv_reply_error(rp, 405, "%s takes GET or DELETE, not %s", rq->path, rq->method);
        return;
    }
    pthread_mutex_lock(&s->jobs.lock);
    long k = find(&s->jobs, rest + 1, rp);
    if (k >= 0 && get) srv_reply_json(rp, 200, job_json(s->jobs.list[k], 1));
    else if (k >= 0) job_delete(&s->jobs, k, rp);
    pthread_mutex_unlock(&s->jobs.lock);
}

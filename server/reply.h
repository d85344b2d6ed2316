/* reply.h - a request as the handlers see it, the answer they build, and the
 * gate on concurrent solves (reply.c; private to server/). */
#ifndef TW_SERVER_REPLY_H
#define TW_SERVER_REPLY_H

#include <pthread.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "tradewar/error.h"

#define SRV_SLOT_WAIT_S 20     /* how long a request waits for a solve slot */

/* A request as the handlers see it. */
typedef struct srv_request {
    const char *method;
    const char *path;        /* URL path without the query */
    const char *body;        /* NUL-terminated, NULL when none */
    size_t len;
    void *conn;              /* struct MHD_Connection *; NULL for a job */
    void *job;               /* the job running the request (jobs.h), or NULL */
} srv_request;

/* The answer a handler builds: status, a malloc'd body, its type. */
typedef struct srv_reply {
    unsigned status;
    char *body;
    const char *type;
    const char *file;        /* static file to send instead of body */
    const char *cache;       /* Cache-Control value */
} srv_reply;

/* Counting gate on concurrent solves (each uses a core for tens of ms). */
typedef struct srv_gate {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    unsigned free;
} srv_gate;

/* The query argument name of the request, or NULL. */
const char *srv_arg(const srv_request *rq, const char *name);
/* Answer obj as JSON (obj is consumed; NULL answers 503 out of memory). */
void srv_reply_json(srv_reply *rp, unsigned status, cJSON *obj);
/* Answer json, a malloc'd JSON text (consumed). */
void srv_reply_text_json(srv_reply *rp, unsigned status, char *json);
/* Answer json, a malloc'd JSON object's text, with the members of the
 * object more added at its end (both consumed): the library's report is
 * answered as it wrote it, with the server's own fields, and is not parsed
 * and printed again.  NULL json or more, or out of memory, answers 503. */
void srv_reply_json_joined(srv_reply *rp, unsigned status, char *json, cJSON *more);
/* The text of srv_reply_json_joined: json with the members of more added at
 * its end (both consumed); NULL when either is NULL or out of memory. */
char *srv_json_joined(char *json, cJSON *more);
/* Answer {"error": message, "status": status}. */
void srv_reply_error(srv_reply *rp, unsigned status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Answer a library error: 400 for bad input, 422 when a solve did not
 * converge, 503 when out of memory, 500 otherwise. */
void srv_reply_tw_error(srv_reply *rp, const tw_error *err);
/* Take a solve slot, waiting up to wait_s seconds: 1, or 0 when none freed. */
int srv_gate_enter(srv_gate *g, double wait_s);
void srv_gate_leave(srv_gate *g);

#endif

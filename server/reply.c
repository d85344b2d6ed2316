/* reply.c - what every handler answers with: JSON replies, error replies
 * {"error": "...", "status": N}, the status of a tw_error, query arguments,
 * and the gate that bounds how many solves run at once.  A leaf: it calls
 * into no other file of the server. */
#include <errno.h>
#include <microhttpd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tradewar/json.h"
#include "reply.h"

const char *srv_arg(const srv_request *rq, const char *name)
{
    return MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, name);
}

void srv_reply_text_json(srv_reply *rp, unsigned status, char *json)
{
    free(rp->body);
    rp->status = json ? status : MHD_HTTP_SERVICE_UNAVAILABLE;
    rp->body = json;
    rp->type = "application/json";
}

void srv_reply_json(srv_reply *rp, unsigned status, cJSON *obj)
{
    char *txt = obj ? tw_json_print(obj) : NULL;
    cJSON_Delete(obj);
    srv_reply_text_json(rp, status, txt);
}

char *srv_json_joined(char *json, cJSON *more)
{
    char *tail = json && more ? tw_json_print(more) : NULL;
    cJSON_Delete(more);
    size_t a = json ? strlen(json) : 0, b = tail ? strlen(tail) : 0;
    char *txt = NULL;
    if (a >= 2 && json[0] == '{' && json[a - 1] == '}' && b >= 2 && tail[0] == '{') {
        /* "{...}" and "{more}" -> "{...,more}"; nothing to add for "{}" */
        size_t sep = a > 2 && b > 2;
        txt = realloc(json, a - 1 + sep + b);
        if (txt) {
            if (sep) txt[a - 1] = ',';
            memcpy(txt + a - 1 + sep, tail + 1, b - 1); /* with its '}' */
            txt[a + sep + b - 2] = '\0';
            json = NULL;
        }
    }
    free(json);
    free(tail);
    return txt;
}

void srv_reply_json_joined(srv_reply *rp, unsigned status, char *json, cJSON *more)
{
    srv_reply_text_json(rp, status, srv_json_joined(json, more));
}

void srv_reply_error(srv_reply *rp, unsigned status, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    cJSON *o = cJSON_CreateObject();
    if (o) {
        cJSON_AddStringToObject(o, "error", msg);
        cJSON_AddNumberToObject(o, "status", status);
    }
    srv_reply_json(rp, status, o);
}

void srv_reply_tw_error(srv_reply *rp, const tw_error *err)
{
    char msg[900];
    tw_error_format(err, msg, sizeof msg);
    unsigned status;
    switch (err->code) {
    case TW_EINPUT:
    case TW_EARG: status = MHD_HTTP_BAD_REQUEST; break;
    case TW_ENOCONV: status = MHD_HTTP_UNPROCESSABLE_CONTENT; break;
    case TW_ENOMEM: status = MHD_HTTP_SERVICE_UNAVAILABLE; break;
    case TW_ECANCELED: status = MHD_HTTP_CONFLICT; break;
    default: status = MHD_HTTP_INTERNAL_SERVER_ERROR; break;
    }
    srv_reply_error(rp, status, "%s", msg);
}

/* ---- the solve gate ---- */

int srv_gate_enter(srv_gate *g, double wait_s)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += (time_t)wait_s;
    int ok = 1;
    pthread_mutex_lock(&g->lock);
    while (g->free == 0 && ok)
        if (pthread_cond_timedwait(&g->cond, &g->lock, &until) == ETIMEDOUT) ok = g->free > 0;
    if (ok) g->free--;
    pthread_mutex_unlock(&g->lock);
    return ok;
}

void srv_gate_leave(srv_gate *g)
{
    pthread_mutex_lock(&g->lock);
    g->free++;
    pthread_cond_signal(&g->cond);
    pthread_mutex_unlock(&g->lock);
}

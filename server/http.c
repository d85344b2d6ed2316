/* http.c - the HTTP side of the server: libmicrohttpd set-up behind the
 * front door (door.c), request bodies and their limit, the Host, Origin and
 * Content-Type checks, static files from a fixed whitelist, and each request
 * handed to the router the server was started with (s->route).
 *
 * Invariants: a request body is never larger than cfg.max_body in memory (a
 * larger one is answered 413 and discarded as it arrives); only the files
 * listed in `statics` are ever opened for GET (no path from the URL reaches the
 * file system, so there is no traversal to defend against); every reply to
 * /api/ is JSON, errors as {"error": "..."}, and no error names a path of the
 * server's (paths.c); every reply closes its connection, so that each request
 * comes in through the door.  A page of another site can make the browser send
 * a request here, but not with its Origin set to this server nor, without
 * asking first (which is never granted), with Content-Type application/json:
 * requiring both keeps such pages from saving runs or spending solves. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tradewar/report.h"
#include "door.h"
#include "http.h"
#include "paths.h"
#include "reply.h"
#include "state.h"

#define CONNECTION_TIMEOUT_S 30 /* idle: a client that stops reading its answer */

typedef struct conn_ctx {
    char *body;
    size_t len, cap;
    int too_big;
    unsigned status;
    double t0;
    char method[8];
    char path[128];
    int health;              /* a GET /api/health probe */
} conn_ctx;

static const struct {
    const char *url, *rel, *type;
    int vendor; /* from an npm package: cacheable */
} statics[] = {
    {"/", "index.html", "text/html; charset=utf-8", 0},
    {"/index.html", "index.html", "text/html; charset=utf-8", 0},
    {"/app.js", "app.js", "text/javascript; charset=utf-8", 0},
    {"/charts.js", "charts.js", "text/javascript; charset=utf-8", 0},
    {"/game.js", "game.js", "text/javascript; charset=utf-8", 0},
    {"/regions.js", "regions.js", "text/javascript; charset=utf-8", 0},
    {"/style.css", "style.css", "text/css; charset=utf-8", 0},
    {"/vendor/echarts.min.js", "node_modules/echarts/dist/echarts.min.js",
     "text/javascript; charset=utf-8", 1},
    {"/vendor/topojson-client.min.js", "node_modules/topojson-client/dist/topojson-client.min.js",
     "text/javascript; charset=utf-8", 1},
    {"/vendor/countries-110m.json", "node_modules/world-atlas/countries-110m.json",
     "application/json", 1},
    {"/vendor/iso-codes.json", "node_modules/i18n-iso-countries/codes.json", "application/json", 1},
};

/* ---- static files ---- */

static void serve_static(srv_server *s, const srv_request *rq, srv_reply *rp)
{
    if (strcmp(rq->method, "GET") != 0 && strcmp(rq->method, "HEAD") != 0) {
        srv_reply_error(rp, MHD_HTTP_METHOD_NOT_ALLOWED, "%s is not allowed on %s", rq->method,
                        rq->path);
        return;
    }
    for (size_t k = 0; k < sizeof statics / sizeof statics[0]; k++) {
        if (strcmp(rq->path, statics[k].url) != 0) continue;
        if (!s->web_dir) break;
        rp->status = MHD_HTTP_OK;
        rp->file = statics[k].rel;
        rp->type = statics[k].type;
        rp->cache = statics[k].vendor ? "public, max-age=3600" : "no-cache";
        return;
    }
    srv_reply_error(rp, MHD_HTTP_NOT_FOUND, "no such page: %s", rq->path);
}

static struct MHD_Response *file_response(srv_server *s, const char *rel)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", s->web_dir, rel);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return NULL;
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        close(fd);
        return NULL;
    }
    struct MHD_Response *r = MHD_create_response_from_fd((size_t)sb.st_size, fd);
    if (!r) close(fd);
    return r;
}

/* ---- requests ---- */

/* Origin, sent by browsers with every POST and every cross-site request,
 * must be this server: http:// and the Host the request was sent to. */
static int origin_ok(struct MHD_Connection *conn, char *msg, size_t size)
{
    const char *origin = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Origin");
    if (!origin) return 1;
    const char *host = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
    if (host && strncasecmp(origin, "http://", 7) == 0 && strcasecmp(origin + 7, host) == 0) return 1;
    snprintf(msg, size, "request: Origin \"%.100s\" is not this server (expected http://%.100s)", origin,
             host ? host : "(no Host header)");
    return 0;
}

/* application/json, with or without parameters ("; charset=utf-8") */
static int json_type(const char *ct)
{
    while (*ct == ' ' || *ct == '\t') ct++;
    if (strncasecmp(ct, "application/json", 16) != 0) return 0;
    for (ct += 16; *ct == ' ' || *ct == '\t'; ct++) continue;
    return *ct == '\0' || *ct == ';';
}

/* MHD_KeyValueIterator: the first Content-Type (of possibly several) that is
 * not JSON into *cls; all of them count, not just the first. */
static enum MHD_Result other_type(void *cls, enum MHD_ValueKind kind, const char *key,
                                  const char *value)
{
    (void)kind;
    const char **bad = cls;
    if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_TYPE) != 0 || json_type(value)) return MHD_YES;
    *bad = value;
    return MHD_NO;
}

/* Host must name the loopback address when bound to it: a page elsewhere that
 * rebinds its own name to 127.0.0.1 then cannot read the API. */
static int host_ok(const srv_server *s, struct MHD_Connection *conn)
{
    if (!s->loopback) return 1;
    const char *host = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
    if (!host) return 1; /* HTTP/1.0 without Host */
    const char *ok[] = {"127.0.0.1", "localhost", "[::1]"};
    for (size_t k = 0; k < 3; k++) {
        size_t n = strlen(ok[k]);
        if (strncmp(host, ok[k], n) == 0 && (host[n] == '\0' || host[n] == ':')) return 1;
    }
    return 0;
}

static enum MHD_Result send_reply(struct MHD_Connection *conn, srv_server *s, conn_ctx *cx,
                                  srv_reply *rp)
{
    struct MHD_Response *r = NULL;
    if (rp->file) {
        r = file_response(s, rp->file);
        if (!r) {
            rp->file = NULL;
            srv_reply_error(rp, MHD_HTTP_NOT_FOUND,
                            "%s is missing from the web folder (run scripts/install-deps)",
                            cx->path);
        }
    }
    if (!r) {
        if (!rp->body) srv_reply_error(rp, rp->status ? rp->status : 500, "internal error");
        if (rp->body && rp->status >= 400) { /* no path of the server's in an error */
            char *clean = srv_paths_scrub(s, rp->body);
            free(rp->body);
            rp->body = clean;
        }
        /* the body goes to libmicrohttpd as it is (it frees it), not copied */
        static const char oom[] = "{\"error\":\"out of memory\"}";
        r = rp->body ? MHD_create_response_from_buffer(strlen(rp->body), rp->body, MHD_RESPMEM_MUST_FREE)
                     : MHD_create_response_from_buffer(sizeof oom - 1, (void *)oom, MHD_RESPMEM_PERSISTENT);
        if (!r) {
            free(rp->body);
            return MHD_NO;
        }
        rp->body = NULL;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, rp->type ? rp->type : "application/json");
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, rp->cache ? rp->cache : "no-store");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    /* one request per connection: the next one comes in through the door */
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    if (rp->type && strncmp(rp->type, "text/html", 9) == 0)
        MHD_add_response_header(r, "Content-Security-Policy",
                                "default-src 'self'; style-src 'self' 'unsafe-inline'; "
                                "img-src 'self' data: blob:; object-src 'none'; "
                                "frame-ancestors 'none'");
    cx->status = rp->status;
    enum MHD_Result ret = MHD_queue_response(conn, rp->status, r);
    MHD_destroy_response(r);
    free(rp->body);
    return ret;
}

static int has_body(const char *method)
{
    return strcmp(method, "POST") == 0 || strcmp(method, "PUT") == 0 ||
           strcmp(method, "PATCH") == 0;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
    srv_server *s = cls;
    conn_ctx *cx = *con_cls;
    srv_reply rp = {0, NULL, NULL, NULL, NULL};
    if (!cx) {
        cx = calloc(1, sizeof *cx);
        if (!cx) return MHD_NO;
        cx->t0 = tw_clock_seconds();
        snprintf(cx->method, sizeof cx->method, "%s", method);
        snprintf(cx->path, sizeof cx->path, "%s", url);
        *con_cls = cx;
        /* health probes are counted apart, so that the in_flight a probe
         * reports never includes an earlier probe the server is finishing */
        cx->health = strcmp(method, "GET") == 0 && strcmp(url, "/api/health") == 0;
        pthread_mutex_lock(&s->count_lock);
        s->in_flight++;
        if (cx->health) s->health_in_flight++;
        pthread_mutex_unlock(&s->count_lock);
        char msg[300];
        const char *ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
        if (ct) MHD_get_connection_values(conn, MHD_HEADER_KIND, other_type, &ct);
        const char *cl =
            MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (!host_ok(s, conn)) {
            srv_reply_error(&rp, MHD_HTTP_FORBIDDEN, "Host header does not name this server");
        } else if (!origin_ok(conn, msg, sizeof msg)) {
            srv_reply_error(&rp, MHD_HTTP_FORBIDDEN, "%s", msg);
        } else if (strcmp(method, "POST") == 0 && (!ct || !json_type(ct))) {
            srv_reply_error(&rp, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE,
                            "request: Content-Type must be application/json (got %s%.100s%s)",
                            ct ? "\"" : "none", ct ? ct : "", ct ? "\"" : "");
        } else if (cl && strtoull(cl, NULL, 10) > s->cfg.max_body) {
            srv_reply_error(&rp, MHD_HTTP_CONTENT_TOO_LARGE,
                            "request body of %s bytes is larger than the limit of %zu bytes", cl,
                            s->cfg.max_body);
        } else {
            return MHD_YES;
        }
        srv_door_whole(s, conn); /* answered: the rest of it is not waited for */
        return send_reply(conn, s, cx, &rp);
    }
    if (*upload_size) {
        size_t n = *upload_size;
        *upload_size = 0;
        if (cx->too_big || !has_body(method)) return MHD_YES;
        if (cx->len + n > s->cfg.max_body) {
            cx->too_big = 1;
            free(cx->body);
            cx->body = NULL;
            cx->len = cx->cap = 0;
            return MHD_YES;
        }
        if (cx->len + n + 1 > cx->cap) {
            size_t cap = cx->cap ? cx->cap : 4096;
            while (cap < cx->len + n + 1) cap *= 2;
            char *tmp = realloc(cx->body, cap);
            if (!tmp) return MHD_NO;
            cx->body = tmp;
            cx->cap = cap;
        }
        memcpy(cx->body + cx->len, upload, n);
        cx->len += n;
        cx->body[cx->len] = '\0';
        return MHD_YES;
    }
    srv_door_whole(s, conn); /* the request is all here */
    if (cx->too_big) {
        srv_reply_error(&rp, MHD_HTTP_CONTENT_TOO_LARGE,
                        "request body is larger than the limit of %zu bytes", s->cfg.max_body);
        return send_reply(conn, s, cx, &rp);
    }
    srv_request rq = {.method = method, .path = url, .body = cx->body, .len = cx->len, .conn = conn};
    if (strncmp(url, "/api/", 5) == 0 || strcmp(url, "/api") == 0) s->route(s, &rq, &rp);
    else serve_static(s, &rq, &rp);
    if (!rp.status) rp.status = MHD_HTTP_OK;
    return send_reply(conn, s, cx, &rp);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    srv_server *s = cls;
    conn_ctx *cx = *con_cls;
    if (!cx) return;
    if (!s->cfg.quiet)
        fprintf(stderr, "tradewar: serve: %s %s -> %u (%.0f ms)%s\n", cx->method, cx->path,
                cx->status, 1e3 * (tw_clock_seconds() - cx->t0),
                toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (connection closed)");
    int health = cx->health;
    free(cx->body);
    free(cx);
    *con_cls = NULL;
    pthread_mutex_lock(&s->count_lock);
    if (s->in_flight) s->in_flight--;
    if (health && s->health_in_flight) s->health_in_flight--;
    if (s->in_flight == 0) pthread_cond_broadcast(&s->idle);
    pthread_mutex_unlock(&s->count_lock);
}

/* libmicrohttpd behind the door: it listens on nothing and takes the
 * connections the door hands over; NULL when it refuses to start. */
struct MHD_Daemon *srv_http_start(srv_server *s)
{
    struct MHD_Daemon *daemon;
    /* The door accepts and hands whole heads over; libmicrohttpd listens on
     * nothing.  Its connection limit is above the door's, which counts a
     * connection out a moment before libmicrohttpd does. */
    unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_POLL_INTERNAL_THREAD | MHD_USE_ITC |
                     MHD_USE_NO_LISTEN_SOCKET;
    daemon = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s,
                                 MHD_OPTION_CONNECTION_LIMIT, (unsigned)(2 * SRV_CONN_MAX),
                                 MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)CONNECTION_TIMEOUT_S,
                                 MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)SRV_CONN_MEMORY,
                                 MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
                                 MHD_OPTION_NOTIFY_CONNECTION, srv_door_notify, s,
                                 MHD_OPTION_END);
    return daemon;
}

/* door.c - the server's front door: it accepts connections, holds each one
 * until its request head has arrived, checks the head, hands the connection
 * to libmicrohttpd, and closes connections whose request does not arrive whole
 * in time (docs/server.md, "Connections").
 *
 * Why a door: with a thread per connection, libmicrohttpd gives every
 * connection a thread and one of its connection places for as long as the
 * client keeps sending a byte now and then (its timeout counts idle time
 * only), so a few dozen slow clients shut everyone else out; and 0.9.75
 * answers a malformed or oversized Content-Length with its status line and
 * headers sent twice.  Here a connection costs a descriptor and a table row
 * until its head is complete, and the head is checked before libmicrohttpd
 * parses it.
 *
 * The rules: every request may take SRV_GRACE_S to arrive whole.  One still
 * incomplete then needs one of the places for slow requests (SRV_SLOW_PER_ADDR
 * per client address, SRV_SLOW_MAX in all) and may keep it until
 * cfg.request_timeout seconds after its connection opened; without a place,
 * or when that time is up, it is closed (408 while its head is incomplete).
 * So slow clients hold at most SRV_SLOW_MAX of the SRV_CONN_MAX connections,
 * and a request that arrives whole, like the page's, always gets through.
 *
 * Invariants: every request passes through here, because every answer closes
 * its connection (http.c sends "Connection: close"), so the head checks
 * cover every request.  A connection handed over is closed from here only by
 * shutdown() on our own duplicate of its descriptor, never by number, so a
 * number libmicrohttpd has closed and the kernel has reused is never hit.
 * Rows in the lobby belong to the door thread; handed rows are shared with
 * libmicrohttpd's callbacks under the door's lock, and the lock is never held
 * while calling into libmicrohttpd. */
#define _GNU_SOURCE /* accept4, pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <time.h>
#include <unistd.h>

#include "tradewar/json.h"
#include "door.h"
#include "state.h"

#define DRAIN_S 2.0       /* after an answer from the door: read and drop input */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double timeout_s(const srv_server *s)
{
    return s->cfg.request_timeout ? (double)s->cfg.request_timeout : SRV_REQUEST_TIMEOUT_DEFAULT;
}

static void free_row(srv_conn *c)
{
    memset(c, 0, sizeof *c);
    c->state = SRV_CONN_FREE;
    c->fd = c->dup = -1;
}

static void close_row(srv_conn *c)
{
    if (c->fd >= 0) close(c->fd);
    free_row(c);
}

static int same_addr(const srv_conn *a, const srv_conn *b)
{
    if (a->addr.ss_family != b->addr.ss_family) return 0;
    if (a->addr.ss_family == AF_INET)
        return ((const struct sockaddr_in *)&a->addr)->sin_addr.s_addr ==
               ((const struct sockaddr_in *)&b->addr)->sin_addr.s_addr;
    if (a->addr.ss_family == AF_INET6)
        return memcmp(&((const struct sockaddr_in6 *)&a->addr)->sin6_addr,
                      &((const struct sockaddr_in6 *)&b->addr)->sin6_addr, sizeof(struct in6_addr)) == 0;
    return 0;
}

/* Take a place for slow requests for c if one is free. */
static int take_slow_place(srv_door *d, srv_conn *c)
{
    size_t mine = 0, all = 0;
    for (size_t k = 0; k < SRV_CONN_MAX; k++) {
        const srv_conn *o = &d->conns[k];
        if (o->state == SRV_CONN_FREE || !o->slow) continue;
        all++;
        mine += same_addr(o, c);
    }
    if (mine >= SRV_SLOW_PER_ADDR || all >= SRV_SLOW_MAX) return 0;
    c->slow = 1;
    return 1;
}

/* ---- answers from the door itself: one status line, then close ---- */

static void answer(srv_server *s, srv_conn *c, unsigned status, const char *msg)
{
    char head[512];
    cJSON *o = cJSON_CreateObject();
    if (o) {
        cJSON_AddStringToObject(o, "error", msg);
        cJSON_AddNumberToObject(o, "status", status);
    }
    char *body = o ? tw_json_print(o) : NULL;
    cJSON_Delete(o);
    const char *b = body ? body : "{}";
    int n = snprintf(head, sizeof head,
                     "HTTP/1.1 %u %s\r\nContent-Type: application/json\r\n"
                     "Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n"
                     "Connection: close\r\nContent-Length: %zu\r\n\r\n",
                     status, MHD_get_reason_phrase_for(status), strlen(b));
    /* small enough for an empty socket buffer; a client that has not read
     * what it was sent gets less, which is its own doing */
    if (send(c->fd, head, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT) == n)
        (void)!send(c->fd, b, strlen(b), MSG_NOSIGNAL | MSG_DONTWAIT);
    free(body);
    if (!s->cfg.quiet) fprintf(stderr, "tradewar: serve: connection -> %u (%s)\n", status, msg);
    /* Read and drop what the client still sends until it closes: closing
     * with unread input would reset the connection and could destroy the
     * answer before the client reads it. */
    shutdown(c->fd, SHUT_WR);
    c->state = SRV_CONN_DRAINING;
    c->slow = 0;
    c->until = now_s() + DRAIN_S;
}

/* ---- the request head ---- */

static int ieq_prefix(const char *p, const char *e, const char *name)
{
    size_t n = strlen(name);
    if ((size_t)(e - p) < n) return 0;
    for (size_t k = 0; k < n; k++) {
        char ch = p[k];
        if (ch >= 'A' && ch <= 'Z') ch = (char)(ch - 'A' + 'a');
        if (ch != name[k]) return 0;
    }
    return 1;
}

/* A control character other than tab in [p, e). */
static int has_control(const char *p, const char *e)
{
    for (const char *q = p; q < e; q++) {
        unsigned char ch = (unsigned char)*q;
        if ((ch < 0x20 && ch != '\t') || ch == 0x7f) return 1;
    }
    return 0;
}

/* The value [v, ve) of a Content-Length header into *x: 0, or the status to
 * answer with and *msg why. */
static unsigned content_length(const char *v, const char *ve, long long *x, const char **msg)
{
    while (v < ve && (*v == ' ' || *v == '\t')) v++;
    while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t')) ve--;
    size_t digits = (size_t)(ve - v);
    for (const char *q = v; q < ve; q++)
        if (*q < '0' || *q > '9') digits = 0;
    if (digits == 0) {
        *msg = "request: Content-Length is not a number of bytes";
        return 400;
    }
    if (digits > 18) {
        *msg = "request: Content-Length is larger than any body this server takes";
        return 413;
    }
    *x = 0;
    for (const char *q = v; q < ve; q++) *x = 10 * *x + (*q - '0');
    return 0;
}

/* Check a peeked head b[0..n).  0: complete and fine, *len its length and
 * *body the body length (-1 when chunked); 1: not complete yet; otherwise
 * the status to answer with and *msg why. */
static unsigned head_check(const char *b, size_t n, size_t *len, long long *body, const char **msg)
{
    size_t p = 0;
    while (p < n && (b[p] == '\r' || b[p] == '\n')) p++; /* empty lines before the request */
    const char *line = b + p, *end = b + n;
    const char *req_end = NULL;
    long long clen = -2; /* -2: no Content-Length seen */
    int chunked = 0, lines = 0;
    for (;;) {
        const char *nl = memchr(line, '\n', (size_t)(end - line));
        if (!nl) return n >= SRV_HEAD_MAX ? 431 : 1;
        const char *le = nl > line && nl[-1] == '\r' ? nl - 1 : nl;
        if (has_control(line, le)) {
            *msg = "request: head contains a control character";
            return 400;
        }
        if (++lines > SRV_HEAD_LINES) return 431;
        if (req_end && le > line && (line[0] == ' ' || line[0] == '\t')) {
            /* libmicrohttpd would join it to the line before, unchecked */
            *msg = "request: a header line is continued on the next (obsolete line folding)";
            return 400;
        }
        if (!req_end) {
            req_end = le;
            const char *sp1 = memchr(line, ' ', (size_t)(le - line));
            for (const char *q = sp1 ? sp1 : le; q + 3 <= le; q++)
                if (q[0] == '%' && q[1] == '0' && q[2] == '0') {
                    *msg = "request: URL contains an encoded NUL byte (%00)";
                    return 400;
                }
        } else if (le == line) {
            *len = (size_t)(nl + 1 - b);
            *body = chunked ? -1 : clen < 0 ? 0 : clen;
            return 0;
        } else if (ieq_prefix(line, le, "content-length:")) {
            long long x;
            unsigned bad = content_length(line + 15, le, &x, msg);
            if (bad) return bad;
            if (clen >= 0 && clen != x) {
                *msg = "request: two different Content-Length headers";
                return 400;
            }
            clen = x;
        } else if (ieq_prefix(line, le, "transfer-encoding:")) {
            chunked = 1;
        }
        line = nl + 1;
    }
}

/* ---- handing a connection to libmicrohttpd ---- */

/* Called with the lock held; releases it around MHD_add_connection. */
static void hand_over(srv_server *s, srv_conn *c, int whole)
{
    srv_door *d = &s->door;
    c->state = SRV_CONN_HANDED;
    c->whole = whole;
    if (whole) c->slow = 0;
    if (!whole) {
        c->dup = fcntl(c->fd, F_DUPFD_CLOEXEC, 0);
        if (c->dup < 0) {
            answer(s, c, 503, "server busy: out of file descriptors; try again");
            return;
        }
    }
    int fd = c->fd;
    struct sockaddr_storage addr = c->addr;
    socklen_t alen = c->alen;
    pthread_mutex_unlock(&d->lock);
    enum MHD_Result ok = MHD_add_connection(s->daemon, fd, (const struct sockaddr *)&addr, alen);
    pthread_mutex_lock(&d->lock);
    /* On failure libmicrohttpd has closed fd; the row is ours to free unless
     * its close callback already did (then the row no longer holds fd). */
    if (ok != MHD_YES && c->state == SRV_CONN_HANDED && c->fd == fd && !c->linked) {
        if (c->dup >= 0) close(c->dup);
        free_row(c);
    }
}

/* A lobby row may have new input: peek at the head and act on it. */
static void lobby_read(srv_server *s, srv_conn *c)
{
    srv_door *d = &s->door;
    ssize_t n = recv(c->fd, d->head, sizeof d->head, MSG_PEEK);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return;
    if (n <= 0) { /* the client went away before its request was whole */
        close_row(c);
        return;
    }
    c->seen = 1;
    size_t len = 0;
    long long body = 0;
    const char *msg = NULL;
    unsigned st = head_check(d->head, (size_t)n, &len, &body, &msg);
    if (st == 1) return;
    if (st == 431) {
        char m[96];
        snprintf(m, sizeof m, "request: head larger than %d bytes or %d lines", SRV_HEAD_MAX,
                 SRV_HEAD_LINES);
        answer(s, c, 431, m);
        return;
    }
    if (st) {
        answer(s, c, st, msg);
        return;
    }
    /* whole when it has no body, or its body came with the head */
    hand_over(s, c, body == 0 || (body > 0 && (size_t)n >= len && (size_t)n - len >= (size_t)body));
}

static void drain(srv_conn *c, char *scratch, size_t size)
{
    for (;;) {
        ssize_t n = recv(c->fd, scratch, size, 0);
        if (n > 0) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return;
        close_row(c);
        return;
    }
}

static void accept_all(srv_server *s, double now)
{
    srv_door *d = &s->door;
    for (int k = 0; k < 64; k++) { /* then let the lobby have a turn */
        struct sockaddr_storage addr;
        socklen_t alen = sizeof addr;
        int fd = accept4(d->lsock, (struct sockaddr *)&addr, &alen, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) return;
        srv_conn *c = NULL;
        for (size_t q = 0; q < SRV_CONN_MAX && !c; q++)
            if (d->conns[q].state == SRV_CONN_FREE) c = &d->conns[q];
        if (!c) { /* full: say so at once rather than leave it waiting */
            static const char body[] = "{\"error\":\"server busy: too many connections; try again\","
                                       "\"status\":503}";
            char full[512];
            int n = snprintf(full, sizeof full,
                             "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
                             "Connection: close\r\nContent-Length: %zu\r\n\r\n%s",
                             sizeof body - 1, body);
            (void)!send(fd, full, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT);
            close(fd);
            continue;
        }
        free_row(c);
        c->state = SRV_CONN_LOBBY;
        c->fd = fd;
        c->t0 = now;
        c->addr = addr;
        c->alen = alen;
        lobby_read(s, c); /* the request often came with the connection */
    }
}

/* Apply the deadlines; return the milliseconds until the next one. */
static int tick(srv_server *s, double now)
{
    srv_door *d = &s->door;
    double next = now + 1.0, limit = timeout_s(s);
    for (size_t k = 0; k < SRV_CONN_MAX; k++) {
        srv_conn *c = &d->conns[k];
        if (c->state == SRV_CONN_DRAINING) {
            if (now >= c->until) close_row(c);
            else if (c->until < next) next = c->until;
            continue;
        }
        int lobby = c->state == SRV_CONN_LOBBY;
        if (!lobby && !(c->state == SRV_CONN_HANDED && !c->whole)) continue;
        double due = c->t0 + (c->slow ? limit : SRV_GRACE_S);
        if (now >= due && lobby) {
            lobby_read(s, c); /* whatever has arrived counts, however late we look */
            if (c->state != SRV_CONN_LOBBY) continue;
        }
        if (now >= due && !c->slow && due < c->t0 + limit && take_slow_place(d, c))
            due = c->t0 + limit;
        if (now < due) {
            if (due < next) next = due;
            continue;
        }
        char msg[128];
        snprintf(msg, sizeof msg, "request: not complete after %g s%s", c->slow ? limit : SRV_GRACE_S,
                 c->slow ? "" : " and no place is free for slow requests");
        if (lobby && !c->seen) { /* nothing sent, nothing to answer */
            if (!s->cfg.quiet) fprintf(stderr, "tradewar: serve: idle connection closed (%s)\n", msg + 9);
            close_row(c);
        } else if (lobby) {
            answer(s, c, 408, msg);
        } else { /* libmicrohttpd owns it: end it under its feet */
            shutdown(c->dup, SHUT_RDWR);
            close(c->dup);
            c->dup = -1;
            c->whole = 1;
            c->slow = 0;
            if (!s->cfg.quiet) fprintf(stderr, "tradewar: serve: connection closed (%s)\n", msg);
        }
    }
    double ms = 1e3 * (next - now) + 1;
    return ms < 0 ? 0 : ms > 1000 ? 1000 : (int)ms;
}

static void *door_main(void *arg)
{
    srv_server *s = arg;
    srv_door *d = &s->door;
    struct pollfd *pf = d->pf;
    srv_conn **rows = d->rows;
    char scratch[4096];
    pthread_mutex_lock(&d->lock);
    while (!d->stop) {
        int wait_ms = tick(s, now_s());
        size_t np = 0;
        pf[np++] = (struct pollfd){d->wake[0], POLLIN, 0};
        pf[np++] = (struct pollfd){d->lsock, POLLIN, 0};
        for (size_t k = 0; k < SRV_CONN_MAX; k++) {
            srv_conn *c = &d->conns[k];
            if (c->state != SRV_CONN_LOBBY && c->state != SRV_CONN_DRAINING) continue;
            rows[np] = c;
            pf[np++] = (struct pollfd){c->fd, POLLIN, 0};
        }
        pthread_mutex_unlock(&d->lock);
        int r = poll(pf, (nfds_t)np, wait_ms);
        pthread_mutex_lock(&d->lock);
        if (r <= 0 || d->stop) continue;
        if (pf[0].revents) (void)!read(d->wake[0], scratch, sizeof scratch);
        /* rows polled are the door's own: nothing else changed them meanwhile */
        for (size_t q = 2; q < np; q++) {
            if (!pf[q].revents) continue;
            if (rows[q]->state == SRV_CONN_LOBBY) lobby_read(s, rows[q]);
            else if (rows[q]->state == SRV_CONN_DRAINING) drain(rows[q], scratch, sizeof scratch);
        }
        if (pf[1].revents) accept_all(s, now_s());
    }
    pthread_mutex_unlock(&d->lock);
    return NULL;
}

/* ---- what http.c calls ---- */

void srv_door_init(srv_server *s)
{
    srv_door *d = &s->door;
    pthread_mutex_init(&d->lock, NULL);
    d->lsock = d->wake[0] = d->wake[1] = -1;
    for (size_t k = 0; k < SRV_CONN_MAX; k++) free_row(&d->conns[k]);
}

int srv_door_open(srv_server *s, const struct sockaddr *addr, socklen_t len, unsigned *port)
{
    srv_door *d = &s->door;
    int fd = socket(addr->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (addr->sa_family == AF_INET6) setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    struct sockaddr_storage got;
    socklen_t glen = sizeof got;
    memset(&got, 0, sizeof got);
    if (bind(fd, addr, len) != 0 || listen(fd, SOMAXCONN) != 0 ||
        getsockname(fd, (struct sockaddr *)&got, &glen) != 0 || pipe2(d->wake, O_NONBLOCK | O_CLOEXEC) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    d->lsock = fd;
    *port = got.ss_family == AF_INET6 ? ntohs(((struct sockaddr_in6 *)&got)->sin6_port)
                                      : ntohs(((struct sockaddr_in *)&got)->sin_port);
    return 0;
}

int srv_door_start(srv_server *s)
{
    if (pthread_create(&s->door.thread, NULL, door_main, s) != 0) return -1;
    s->door.running = 1;
    return 0;
}

void srv_door_stop(srv_server *s)
{
    srv_door *d = &s->door;
    pthread_mutex_lock(&d->lock);
    d->stop = 1;
    pthread_mutex_unlock(&d->lock);
    if (d->running) {
        (void)!write(d->wake[1], "x", 1);
        pthread_join(d->thread, NULL);
        d->running = 0;
    }
    pthread_mutex_lock(&d->lock);
    if (d->lsock >= 0) close(d->lsock);
    d->lsock = -1;
    for (size_t k = 0; k < SRV_CONN_MAX; k++) {
        srv_conn *c = &d->conns[k];
        if (c->state == SRV_CONN_LOBBY || c->state == SRV_CONN_DRAINING) {
            close_row(c);
        } else if (c->state == SRV_CONN_HANDED && c->dup >= 0) {
            /* a request still arriving is not in flight: do not wait for it */
            shutdown(c->dup, SHUT_RDWR);
            close(c->dup);
            c->dup = -1;
            c->whole = 1;
        }
    }
    pthread_mutex_unlock(&d->lock);
}

void srv_door_free(srv_server *s)
{
    srv_door *d = &s->door;
    for (size_t k = 0; k < SRV_CONN_MAX; k++) {
        srv_conn *c = &d->conns[k];
        if (c->state == SRV_CONN_LOBBY || c->state == SRV_CONN_DRAINING) close(c->fd);
        if (c->state != SRV_CONN_FREE && c->dup >= 0) close(c->dup);
    }
    if (d->lsock >= 0) close(d->lsock);
    for (int k = 0; k < 2; k++)
        if (d->wake[k] >= 0) close(d->wake[k]);
    pthread_mutex_destroy(&d->lock);
}

void srv_door_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
                     enum MHD_ConnectionNotificationCode code)
{
    srv_server *s = cls;
    srv_door *d = &s->door;
    pthread_mutex_lock(&d->lock);
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        for (size_t k = 0; ci && k < SRV_CONN_MAX; k++) {
            srv_conn *c = &d->conns[k];
            if (c->state == SRV_CONN_HANDED && !c->linked && c->fd == ci->connect_fd) {
                c->linked = 1;
                *socket_context = c;
                break;
            }
        }
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED && *socket_context) {
        srv_conn *c = *socket_context;
        if (c->dup >= 0) close(c->dup);
        free_row(c);
        *socket_context = NULL;
    }
    pthread_mutex_unlock(&d->lock);
}

void srv_door_whole(srv_server *s, struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    srv_conn *c = ci ? ci->socket_context : NULL;
    if (!c) return;
    pthread_mutex_lock(&s->door.lock);
    if (c->state == SRV_CONN_HANDED) {
        c->whole = 1;
        c->slow = 0;
        if (c->dup >= 0) close(c->dup);
        c->dup = -1;
    }
    pthread_mutex_unlock(&s->door.lock);
}

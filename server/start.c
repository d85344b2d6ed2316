/* start.c - the server put together and taken apart: its handles, the
 * catalog, the path names, the front door (door.c) and libmicrohttpd (http.c),
 * with the API router (api.c) handed to the transport at start-up, so that the
 * transport knows no endpoint; and the orderly stop. */
#include <arpa/inet.h>
#include <errno.h>
#include <malloc.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api.h"
#include "catalog.h"
#include "door.h"
#include "http.h"
#include "paths.h"
#include "pool.h"
#include "state.h"

static void server_free(srv_server *s)
{
    if (!s) return;
    srv_door_free(s);
    srv_paths_free(s);
    srv_jobs_stop(&s->jobs);
    srv_pool_free(&s->pool); /* its worlds borrow from the catalog */
    srv_catalog_free(&s->cat);
    pthread_mutex_destroy(&s->gate.lock);
    pthread_cond_destroy(&s->gate.cond);
    pthread_mutex_destroy(&s->count_lock);
    pthread_cond_destroy(&s->idle);
    free(s->bind);
    free(s->web_dir);
    free(s->db);
    free(s);
}

static char *dup_or_null(const char *p) { return p ? strdup(p) : NULL; }

/* s->bind with port as a socket address in ss, and whether it is loopback;
 * its length, 0 when bind is not a numeric address. */
static socklen_t bind_address(srv_server *s, unsigned port, struct sockaddr_storage *ss)
{
    memset(ss, 0, sizeof *ss);
    struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
    if (inet_pton(AF_INET, s->bind, &a4->sin_addr) == 1) {
        a4->sin_family = AF_INET;
        a4->sin_port = htons((uint16_t)port);
        s->loopback = (ntohl(a4->sin_addr.s_addr) >> 24) == 127;
        return sizeof *a4;
    }
    if (inet_pton(AF_INET6, s->bind, &a6->sin6_addr) == 1) {
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t)port);
        s->loopback = IN6_IS_ADDR_LOOPBACK(&a6->sin6_addr);
        return sizeof *a6;
    }
    return 0;
}

/* Every solve allocates and frees a few megabytes (the shock, the result, the
 * answer's text).  glibc would hand large blocks back to the kernel at once
 * (mmap and munmap, or trimming the heap), and every request would then fault
 * its pages in afresh, which took about as long as the solve; kept, freed
 * memory serves the next request.  What stays is bounded by the largest
 * requests served in each malloc arena, and the arenas are as many as the
 * solves that may run at once (glibc's default, 8 per core, would let every
 * connection's thread keep its own). */
static void keep_freed_memory(unsigned arenas)
{
    mallopt(M_ARENA_MAX, (int)(arenas ? arenas : 1));
    mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);
}

srv_server *srv_start(const srv_config *cfg, char *msg, size_t size)
{
    srv_server *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(msg, size, "out of memory");
        return NULL;
    }
    s->cfg = *cfg;
    if (!s->cfg.max_body) s->cfg.max_body = SRV_MAX_BODY_DEFAULT;
    if (!s->cfg.max_solves) s->cfg.max_solves = SRV_MAX_SOLVES_DEFAULT;
    keep_freed_memory(s->cfg.max_solves);
    s->bind = strdup(cfg->bind ? cfg->bind : "127.0.0.1");
    s->web_dir = dup_or_null(cfg->web_dir);
    s->db = dup_or_null(cfg->db);
    pthread_mutex_init(&s->gate.lock, NULL);
    pthread_cond_init(&s->gate.cond, NULL);
    s->gate.free = s->cfg.max_solves;
    srv_pool_init(&s->pool);
    pthread_mutex_init(&s->count_lock, NULL);
    pthread_cond_init(&s->idle, NULL);
    srv_door_init(s);
    srv_jobs_init(&s->jobs);
    if (!s->bind || (cfg->web_dir && !s->web_dir) || (cfg->db && !s->db)) {
        snprintf(msg, size, "out of memory");
        server_free(s);
        return NULL;
    }
    if (srv_catalog_init(&s->cat, cfg->data_root, cfg->world, msg, size) != 0) {
        server_free(s);
        return NULL;
    }
    if (srv_paths_init(s) != 0) {
        snprintf(msg, size, "out of memory");
        server_free(s);
        return NULL;
    }
    struct sockaddr_storage ss;
    socklen_t alen = bind_address(s, cfg->port, &ss);
    const struct sockaddr *addr = (const struct sockaddr *)&ss;
    if (!alen) {
        snprintf(msg, size, "--bind \"%s\" is not a numeric IPv4 or IPv6 address", s->bind);
        server_free(s);
        return NULL;
    }
    if (srv_door_open(s, addr, alen, &s->port) != 0) {
        snprintf(msg, size, "cannot listen on %s port %u: %s", s->bind, cfg->port, strerror(errno));
        server_free(s);
        return NULL;
    }
    s->route = srv_api;
    s->daemon = srv_http_start(s);
    if (!s->daemon || srv_door_start(s) != 0) {
        snprintf(msg, size, "cannot start serving on %s port %u: %s", s->bind, s->port,
                 s->daemon ? "no thread for the front door" : "libmicrohttpd refused to start");
        if (s->daemon) MHD_stop_daemon(s->daemon);
        server_free(s);
        return NULL;
    }
    return s;
}

unsigned srv_port(const srv_server *s) { return s->port; }
const char *srv_bind(const srv_server *s) { return s->bind; }

void srv_stop(srv_server *s, double wait_s)
{
    if (!s) return;
    /* No new connections, none still arriving; the requests in flight finish. */
    srv_door_stop(s);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += (time_t)wait_s;
    pthread_mutex_lock(&s->count_lock);
    while (s->in_flight > 0)
        if (pthread_cond_timedwait(&s->idle, &s->count_lock, &until) == ETIMEDOUT) break;
    pthread_mutex_unlock(&s->count_lock);
    MHD_stop_daemon(s->daemon);
    server_free(s);
}

/* server.h - the HTTP server behind `tradewar serve`: a JSON API over
 * libtradewar and the dashboard page (docs/server.md).
 *
 * srv_start() opens the listening socket, starts libmicrohttpd with a thread
 * per connection and the front door that feeds it (door.c), and returns at
 * once; every request works on its own handles (shock, solver, store), worlds
 * are loaded once and shared read-only.  srv_stop() stops accepting, lets the
 * requests in flight finish (bounded wait), then closes everything.  Nothing
 * here installs signal handlers or exits: cli/serve.c owns the process. */
#ifndef TW_SERVER_H
#define TW_SERVER_H

#include <stddef.h>

#define SRV_MAX_BODY_DEFAULT ((size_t)1024 * 1024) /* request bodies, bytes */
#define SRV_MAX_SOLVES_DEFAULT 4             /* solves running at once */
#define SRV_REQUEST_TIMEOUT_DEFAULT 10       /* s to send a whole request (slow places) */

typedef struct srv_config {
    const char *bind;       /* numeric IPv4 or IPv6 address; NULL = 127.0.0.1 */
    unsigned port;          /* 0 = any free port (read it with srv_port) */
    const char *data_root;  /* folder of embedded worlds and scenarios/ */
    const char *world;      /* a world folder or embedded name: the default world */
    const char *web_dir;    /* the page (web/); NULL = API only */
    const char *db;         /* run store file; NULL = saving switched off */
    size_t max_body;        /* 0 = SRV_MAX_BODY_DEFAULT */
    unsigned max_solves;    /* 0 = SRV_MAX_SOLVES_DEFAULT */
    unsigned request_timeout; /* s; 0 = SRV_REQUEST_TIMEOUT_DEFAULT */
    int quiet;              /* 1 = no request log on stderr */
} srv_config;

typedef struct srv_server srv_server;

/* Start serving.  NULL on failure with a one-line reason in msg. */
srv_server *srv_start(const srv_config *cfg, char *msg, size_t size);
/* The port bound (useful after port 0). */
unsigned srv_port(const srv_server *s);
/* The address bound, as given. */
const char *srv_bind(const srv_server *s);
/* Stop accepting, wait up to wait_s seconds for requests in flight, stop. */
void srv_stop(srv_server *s, double wait_s);

#endif

/* server_impl.h - what the server's files share (private to server/). */
#ifndef TW_SERVER_IMPL_H
#define TW_SERVER_IMPL_H

#include <poll.h>
#include <pthread.h>
#include <stddef.h>
#include <sys/socket.h>

#include <cjson/cJSON.h>
#include <microhttpd.h>

#include "tradewar/error.h"
#include "tradewar/policy.h"
#include "tradewar/store.h"
#include "tradewar/world.h"
#include "server.h"

#define SRV_MAX_WORLDS 64
#define SRV_NAME_MAX 64
#define SRV_MAX_STEPS 400      /* scenario steps one timeline request may solve */
#define SRV_MAX_CELLS 100000   /* tariff / NTB entries in one request */
#define SRV_SLOT_WAIT_S 20     /* how long a request waits for a solve slot */
#define SRV_LABEL_MAX 200      /* characters in a run label */

/* The front door (door.c): connections and how long they may take. */
#define SRV_CONN_MAX 256       /* connections at once, all clients together */
#define SRV_SLOW_PER_ADDR 64   /* places for slow requests per client address */
#define SRV_SLOW_MAX 192       /* ... and in all, so 64 connections stay for quick ones */
#define SRV_GRACE_S 1          /* every request may take this long to arrive */
#define SRV_HEAD_MAX 16384     /* bytes of request head */
#define SRV_HEAD_LINES 100     /* lines of request head */
#define SRV_CONN_MEMORY 65536  /* libmicrohttpd's memory per connection: a head of
                                  SRV_HEAD_MAX and what it makes of it */

/* One world the server offers: loaded on first use, then shared read-only. */
typedef struct srv_world {
    char name[SRV_NAME_MAX];
    char *dir;
    tw_world *w;             /* NULL until loaded */
    char hash[17];
} srv_world;

typedef struct srv_catalog {
    pthread_mutex_t lock;    /* guards loading; a loaded world never changes */
    size_t n;
    srv_world worlds[SRV_MAX_WORLDS];
    size_t dflt;             /* index of the default world */
    char *data_root;         /* the folder of embedded worlds and scenarios/ */
    char *scenario_dir;      /* data_root/scenarios */
} srv_catalog;

/* Counting gate on concurrent solves (each uses a core for tens of ms). */
typedef struct srv_gate {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    unsigned free;
} srv_gate;

/* One connection the door knows of, from accept until libmicrohttpd closes
 * it.  LOBBY and DRAINING rows belong to the door thread; a HANDED row is
 * shared with libmicrohttpd's callbacks, under srv_door.lock. */
enum { SRV_CONN_FREE, SRV_CONN_LOBBY, SRV_CONN_HANDED, SRV_CONN_DRAINING };
typedef struct srv_conn {
    int state;
    int fd;                  /* the accepted socket (libmicrohttpd's once HANDED) */
    int dup;                 /* our own descriptor of it while HANDED and not whole */
    int seen;                /* LOBBY: some of the request has arrived */
    int linked;              /* libmicrohttpd has told us of it (socket context) */
    int whole;               /* the request has arrived in full (or was answered) */
    int slow;                /* holds one of the places for slow requests */
    double t0;               /* accepted, monotonic seconds */
    double until;            /* DRAINING: closed then at the latest */
    struct sockaddr_storage addr;
    socklen_t alen;
} srv_conn;

typedef struct srv_door {
    pthread_mutex_t lock;
    pthread_t thread;
    int running;             /* the thread was started */
    int stop;
    int lsock;               /* the listening socket; -1 when closed */
    int wake[2];             /* a pipe that interrupts the door's poll() */
    srv_conn conns[SRV_CONN_MAX];
    char head[SRV_HEAD_MAX]; /* what a peek at a request head sees */
    struct pollfd pf[SRV_CONN_MAX + 2];   /* the door thread's poll set */
    srv_conn *rows[SRV_CONN_MAX + 2];     /* ... and the row of each entry */
} srv_door;

/* Absolute paths the server knows and the names that stand for them in
 * answers (paths.c), each as it appears inside a JSON string. */
#define SRV_MAX_PATHS (2 * SRV_MAX_WORLDS + 4)
typedef struct srv_paths {
    size_t n;
    char *from[SRV_MAX_PATHS], *to[SRV_MAX_PATHS];
} srv_paths;

typedef struct srv_request srv_request;
typedef struct srv_reply srv_reply;
/* The API router (api.c), which the transport (http.c) calls through. */
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
    pthread_mutex_t count_lock;
    pthread_cond_t idle;
    unsigned in_flight;
    unsigned health_in_flight; /* of in_flight: GET /api/health probes */
    srv_door door;
    srv_paths paths;
};

/* A request as the handlers see it. */
struct srv_request {
    const char *method;
    const char *path;        /* URL path without the query */
    const char *body;        /* NUL-terminated, NULL when none */
    size_t len;
    void *conn;              /* struct MHD_Connection * */
};

/* The answer a handler builds: status, a malloc'd body, its type. */
struct srv_reply {
    unsigned status;
    char *body;
    const char *type;
    const char *file;        /* static file to send instead of body */
    const char *cache;       /* Cache-Control value */
};

/* reply.c */
const char *srv_arg(const srv_request *rq, const char *name);
void srv_reply_json(srv_reply *rp, unsigned status, cJSON *obj);
void srv_reply_text_json(srv_reply *rp, unsigned status, char *json);
void srv_reply_error(srv_reply *rp, unsigned status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void srv_reply_tw_error(srv_reply *rp, const tw_error *err);
int srv_gate_enter(srv_gate *g, double wait_s);
void srv_gate_leave(srv_gate *g);

/* http.c: libmicrohttpd on the connections the door hands over. */
struct MHD_Daemon *srv_http_start(srv_server *s);

/* door.c: the front door.  srv_door_init first (before any failure path
 * frees the server); srv_door_open binds and listens (0, or -1 with errno
 * set); srv_door_start starts its thread once the daemon runs;
 * srv_door_stop closes the listening socket and every connection whose request
 * has not arrived whole; srv_door_free after MHD_stop_daemon. */
void srv_door_init(srv_server *s);
int srv_door_open(srv_server *s, const struct sockaddr *addr, socklen_t len, unsigned *port);
int srv_door_start(srv_server *s);
void srv_door_stop(srv_server *s);
void srv_door_free(srv_server *s);
/* libmicrohttpd's MHD_OPTION_NOTIFY_CONNECTION callback (cls = the server). */
void srv_door_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
                     enum MHD_ConnectionNotificationCode code);
/* The request on conn has arrived whole, or has been answered: no deadline. */
void srv_door_whole(srv_server *s, struct MHD_Connection *conn);

/* body.c: the request body as a JSON object (NULL with a 400 reply): valid
 * UTF-8, no NUL characters (raw or \u0000), nothing after the value, no key
 * twice in one object. */
cJSON *srv_parse_body(const srv_request *rq, srv_reply *rp);
/* Characters (code points) in a valid UTF-8 string. */
size_t srv_utf8_length(const char *s);

/* paths.c: answers name worlds, scenarios and the run store, never their
 * absolute paths. */
int srv_paths_init(srv_server *s);
void srv_paths_free(srv_server *s);
/* text with every known path replaced by its name (a new string; NULL when
 * out of memory). */
char *srv_paths_scrub(const srv_server *s, const char *text);
/* The last component of a path ("a/b/c.csv/" -> "c.csv") into buf. */
const char *srv_path_name(const char *path, char *buf, size_t size);
/* Replace obj's "world" (a folder) by the world's name. */
void srv_set_world_name(cJSON *obj, const char *name);

/* catalog.c */
int srv_catalog_init(srv_catalog *c, const char *data_root, const char *world, char *msg,
                     size_t size);
void srv_catalog_free(srv_catalog *c);
/* The world called name (NULL = the default), loaded; NULL with err set. */
const srv_world *srv_catalog_get(srv_catalog *c, const char *name, tw_error *err);
cJSON *srv_catalog_list(srv_catalog *c);
cJSON *srv_catalog_scenarios(const srv_catalog *c);
/* Path of scenario name (a file name without .tw) or NULL with err set. */
char *srv_catalog_scenario_path(const srv_catalog *c, const char *name, tw_error *err);

/* shock_json.c: apply [{importer, exporter, sector, rate|factor}] with '*'
 * wildcards as in counterfactual files; errors name the entry ("tariffs[2].sector"). */
tw_status srv_apply_cells(tw_shock *s, const tw_world *w, const cJSON *arr, int ntb,
                          size_t *cells, tw_error *err);
/* Check that obj has only the keys listed (NULL-terminated). */
tw_status srv_check_keys(const cJSON *obj, const char *const *keys, const char *where,
                         tw_error *err);

/* api.c */
void srv_api(srv_server *s, const srv_request *rq, srv_reply *rp);
/* game_api.c: /api/optimal, /api/nash, /api/talks */
void srv_api_game(srv_server *s, const srv_request *rq, srv_reply *rp);
/* runs_api.c */
void srv_api_runs(srv_server *s, const srv_request *rq, srv_reply *rp);
/* Save a solve r (tl NULL) or timeline tl of world sw in the server's store,
 * with o's inputs and options; the run's id, or -1 with err set. */
long long srv_save_run(srv_server *s, const srv_world *sw, const tw_result *r,
                       const tw_timeline *tl, tw_record_opts *o, tw_error *err);

#endif

/* door.h - the front door (door.c; private to server/): connections and how
 * long they may take, before libmicrohttpd reads them. */
#ifndef TW_SERVER_DOOR_H
#define TW_SERVER_DOOR_H

#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>

#include <microhttpd.h>

#include "server.h"

#define SRV_CONN_MAX 256       /* connections at once, all clients together */
#define SRV_SLOW_PER_ADDR 64   /* places for slow requests per client address */
#define SRV_SLOW_MAX 192       /* ... and in all, so 64 connections stay for quick ones */
#define SRV_GRACE_S 1          /* every request may take this long to arrive */
#define SRV_HEAD_MAX 16384     /* bytes of request head */
#define SRV_HEAD_LINES 100     /* lines of request head */
#define SRV_CONN_MEMORY 65536  /* libmicrohttpd's memory per connection: a head of
                                  SRV_HEAD_MAX and what it makes of it */

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

/* srv_door_init first (before any failure path frees the server);
 * srv_door_open binds and listens (0, or -1 with errno set); srv_door_start
 * starts its thread once the daemon runs; srv_door_stop closes the listening
 * socket and every connection whose request has not arrived whole;
 * srv_door_free after MHD_stop_daemon. */
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

#endif

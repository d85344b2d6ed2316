/* http.h - libmicrohttpd on the connections the door hands over (http.c;
 * private to server/). */
#ifndef TW_SERVER_HTTP_H
#define TW_SERVER_HTTP_H

#include <microhttpd.h>

#include "server.h"

/* Start the daemon of s (NULL on failure); requests under /api/ go to
 * s->route, the rest to the page in s->web_dir. */
struct MHD_Daemon *srv_http_start(srv_server *s);

#endif

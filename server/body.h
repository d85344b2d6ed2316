/* body.h - decoding a request body (body.c; private to server/): the JSON
 * object itself and the members several endpoints read the same way.  Each
 * reader returns 0, or -1 with a 400 reply that names the field. */
#ifndef TW_SERVER_BODY_H
#define TW_SERVER_BODY_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "tradewar/solve.h"
#include "reply.h"

/* The request body as a JSON object (NULL with a 400 reply): valid UTF-8, no
 * NUL characters (raw or \u0000), nothing after the value, no key twice in
 * one object. */
cJSON *srv_parse_body(const srv_request *rq, srv_reply *rp);
/* Characters (code points) in a valid UTF-8 string. */
size_t srv_utf8_length(const char *s);

/* Reply 400 "field: what"; returns -1. */
int srv_bad_field(srv_reply *rp, const char *field, const char *what);
/* Optional string member key of o into *out (NULL when absent or null). */
int srv_opt_string(const cJSON *o, const char *key, const char **out, srv_reply *rp);
/* Optional boolean member key of o into *out (dflt when absent). */
int srv_opt_bool(const cJSON *o, const char *key, int dflt, int *out, srv_reply *rp);

/* The solver options a request may set, as `tradewar solve` takes them. */
typedef struct srv_solve_opts {
    tw_method method;        /* "method": "newton" (default) or "tatonnement" */
    tw_deficits deficits;    /* "deficits": "keep" (default) or "purge" */
    double tol;              /* "tol": a number in TW_TOL_RANGE_TEXT */
} srv_solve_opts;

/* Read "method", "deficits" and "tol" of o; tol defaults to dflt_tol
 * (TW_TOL_DEFAULT for a solve, TW_GAME_TOL_DEFAULT for the game endpoints).
 * Messages: 'method: must be "newton" or "tatonnement"', 'deficits: must be
 * "keep" or "purge"', "tol: must be a number in [1e-14, 1e-4]". */
int srv_read_solve_opts(const cJSON *o, double dflt_tol, srv_solve_opts *so, srv_reply *rp);

#endif

/* paths.h - answers name worlds, scenarios and the run store, never their
 * absolute paths (paths.c; private to server/). */
#ifndef TW_SERVER_PATHS_H
#define TW_SERVER_PATHS_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "catalog.h"
#include "server.h"

/* Absolute paths the server knows and the names that stand for them in
 * answers, each as it appears inside a JSON string. */
#define SRV_MAX_PATHS (2 * SRV_MAX_WORLDS + 4)
typedef struct srv_paths {
    size_t n;
    char *from[SRV_MAX_PATHS], *to[SRV_MAX_PATHS];
} srv_paths;

int srv_paths_init(srv_server *s);
void srv_paths_free(srv_server *s);
/* text with every known path replaced by its name (a new string; NULL when
 * out of memory). */
char *srv_paths_scrub(const srv_server *s, const char *text);
/* The last component of a path ("a/b/c.csv/" -> "c.csv") into buf. */
const char *srv_path_name(const char *path, char *buf, size_t size);
/* Replace obj's "world" (a folder) by the world's name. */
void srv_set_world_name(cJSON *obj, const char *name);

#endif

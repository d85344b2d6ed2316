/* catalog.h - the worlds and scenarios a server offers (catalog.c; private
 * to server/). */
#ifndef TW_SERVER_CATALOG_H
#define TW_SERVER_CATALOG_H

#include <pthread.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "tradewar/error.h"
#include "tradewar/world.h"

#define SRV_MAX_WORLDS 64
#define SRV_NAME_MAX 64

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

int srv_catalog_init(srv_catalog *c, const char *data_root, const char *world, char *msg,
                     size_t size);
void srv_catalog_free(srv_catalog *c);
/* The world called name (NULL = the default), loaded; NULL with err set. */
const srv_world *srv_catalog_get(srv_catalog *c, const char *name, tw_error *err);
cJSON *srv_catalog_list(srv_catalog *c);
/* sw with the world's elasticity set called name (a request's
 * "elasticities"; NULL: sw itself): the copy goes into *tmp, whose world
 * srv_world_release frees, with its own hash.  Names only, never files: a
 * request cannot make the server read one.  NULL with err set (field
 * "elasticities"). */
const srv_world *srv_world_with_elasticities(const srv_world *sw, const char *name,
                                             srv_world *tmp, tw_error *err);
void srv_world_release(srv_world *tmp);
/* The world's elasticity sets [{name, default, source, theta: [J]}]. */
cJSON *srv_elasticity_sets_json(const tw_world *w);
cJSON *srv_catalog_scenarios(const srv_catalog *c);
/* Path of scenario name (a file name without .tw) or NULL with err set. */
char *srv_catalog_scenario_path(const srv_catalog *c, const char *name, tw_error *err);

#endif

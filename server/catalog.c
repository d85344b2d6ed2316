/* catalog.c - the worlds and scenarios a server offers, by name.
 *
 * Requests name worlds and scenarios; they never give paths.  The names are
 * fixed at start (the folders of the data root that hold a countries.csv,
 * plus --world), so a request can only reach files the operator chose.  A
 * world is loaded on first use under the catalog lock and is immutable
 * afterwards: requests then read it without locking (tw_world is safe to share
 * between threads, world.h). */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tradewar/scenario.h"
#include "tradewar/store.h"
#include "tradewar/util.h"
#include "catalog.h"

static int is_world_dir(const char *dir)
{
    char p[4096];
    struct stat sb;
    int len = snprintf(p, sizeof p, "%s/countries.csv", dir);
    return len > 0 && (size_t)len < sizeof p && stat(p, &sb) == 0 && S_ISREG(sb.st_mode);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const srv_world *)a)->name, ((const srv_world *)b)->name);
}

static long find(const srv_catalog *c, const char *name)
{
    for (size_t k = 0; k < c->n; k++)
        if (strcmp(c->worlds[k].name, name) == 0) return (long)k;
    return -1;
}

/* The entry whose folder is dir under another spelling, or -1. */
static long same_dir(const srv_catalog *c, const char *dir)
{
    char a[PATH_MAX], b[PATH_MAX];
    if (!realpath(dir, a)) return -1;
    for (size_t k = 0; k < c->n; k++)
        if (realpath(c->worlds[k].dir, b) && strcmp(a, b) == 0) return (long)k;
    return -1;
}

static int add(srv_catalog *c, const char *name, const char *dir)
{
    if (c->n == SRV_MAX_WORLDS || strlen(name) >= SRV_NAME_MAX) return 0;
    srv_world *e = &c->worlds[c->n];
    memset(e, 0, sizeof *e);
    snprintf(e->name, sizeof e->name, "%s", name);
    e->dir = strdup(dir);
    if (!e->dir) return -1;
    c->n++;
    return 0;
}

int srv_catalog_init(srv_catalog *c, const char *data_root, const char *world, char *msg,
                     size_t size)
{
    memset(c, 0, sizeof *c);
    pthread_mutex_init(&c->lock, NULL);
    char p[4096];
    DIR *d = data_root ? opendir(data_root) : NULL;
    struct dirent *de;
    while (d && (de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.') continue;
        snprintf(p, sizeof p, "%s/%s", data_root, de->d_name);
        if (is_world_dir(p) && add(c, de->d_name, p) != 0) {
            closedir(d);
            snprintf(msg, size, "out of memory");
            return -1;
        }
    }
    if (d) closedir(d);
    qsort(c->worlds, c->n, sizeof c->worlds[0], by_name);
    /* the main world (2023 trade); world2011 where a data folder lacks it */
    long dflt = find(c, "world2023");
    if (dflt < 0) dflt = find(c, "world2011");
    if (world) {
        dflt = find(c, world);
        if (dflt < 0) {
            if (!is_world_dir(world)) {
                snprintf(msg, size, "--world \"%s\" is neither an embedded world nor a folder "
                                    "with countries.csv", world);
                return -1;
            }
            size_t tl = strlen(world);
            while (tl > 1 && world[tl - 1] == '/') tl--;
            snprintf(p, sizeof p, "%.*s", (int)tl, world);
            const char *base = strrchr(p, '/');
            base = base ? base + 1 : p;
            char name[SRV_NAME_MAX];
            snprintf(name, sizeof name, "%.*s", (int)sizeof name - 8, base);
            size_t len = strlen(name);
            dflt = same_dir(c, world);
            if (dflt < 0) {
                if (find(c, name) >= 0 && len + 7 <= sizeof name) memcpy(name + len, "-local", 7);
                if (add(c, name, world) != 0) {
                    snprintf(msg, size, "out of memory");
                    return -1;
                }
                dflt = (long)c->n - 1;
            }
        }
    }
    if (c->n == 0) {
        snprintf(msg, size, "no worlds found under %s (give --world DIR)",
                 data_root ? data_root : "(no data folder)");
        return -1;
    }
    c->dflt = dflt < 0 ? 0 : (size_t)dflt;
    if (data_root) {
        snprintf(p, sizeof p, "%s/scenarios", data_root);
        c->scenario_dir = strdup(p);
        c->data_root = strdup(data_root);
        if (!c->scenario_dir || !c->data_root) {
            snprintf(msg, size, "out of memory");
            return -1;
        }
    }
    return 0;
}

void srv_catalog_free(srv_catalog *c)
{
    for (size_t k = 0; k < c->n; k++) {
        tw_world_free(c->worlds[k].w);
        free(c->worlds[k].dir);
    }
    free(c->scenario_dir);
    free(c->data_root);
    pthread_mutex_destroy(&c->lock);
    c->n = 0;
}

const srv_world *srv_catalog_get(srv_catalog *c, const char *name, tw_error *err)
{
    long k = name ? find(c, name) : (long)c->dflt;
    if (k < 0) {
        const char *names[SRV_MAX_WORLDS];
        char known[1024] = "";
        for (size_t q = 0; q < c->n; q++) {
            names[q] = c->worlds[q].name;
            snprintf(known + strlen(known), sizeof known - strlen(known), "%s%s", q ? ", " : "",
                     names[q]);
        }
        const char *hint = tw_suggest(name, names, c->n);
        tw_error_set(err, TW_EINPUT, NULL, 0, 0, "unknown world \"%s\"%s%s%s (this server has: %s)",
                     name, hint ? "; did you mean \"" : "", hint ? hint : "", hint ? "\"?" : "",
                     known);
        snprintf(err->field, sizeof err->field, "world");
        return NULL;
    }
    srv_world *e = &c->worlds[k];
    pthread_mutex_lock(&c->lock);
    if (!e->w) {
        tw_world *w = tw_world_load(e->dir, err);
        if (w) {
            tw_world_hash(w, e->hash);
            e->w = w;
        }
    }
    pthread_mutex_unlock(&c->lock);
    return e->w ? e : NULL;
}

cJSON *srv_catalog_list(srv_catalog *c)
{
    cJSON *root = cJSON_CreateObject();
    if (!root) return NULL;
    cJSON_AddStringToObject(root, "default", c->worlds[c->dflt].name);
    cJSON *arr = cJSON_AddArrayToObject(root, "worlds");
    pthread_mutex_lock(&c->lock);
    for (size_t k = 0; k < c->n && arr; k++) {
        cJSON *o = cJSON_CreateObject();
        if (!o) break;
        cJSON_AddItemToArray(arr, o);
        cJSON_AddStringToObject(o, "name", c->worlds[k].name);
        cJSON_AddBoolToObject(o, "default", k == c->dflt);
        cJSON_AddBoolToObject(o, "loaded", c->worlds[k].w != NULL);
        if (c->worlds[k].w) {
            const tw_world *w = c->worlds[k].w;
            cJSON_AddNumberToObject(o, "countries", (double)tw_world_n_countries(w));
            cJSON_AddNumberToObject(o, "sectors", (double)tw_world_n_sectors(w));
            cJSON *es = cJSON_AddArrayToObject(o, "elasticities");
            for (size_t q = 0; q < tw_world_n_elasticity_sets(w) && es; q++)
                cJSON_AddItemToArray(es, cJSON_CreateString(tw_world_elasticity_set_name(w, q)));
        }
    }
    pthread_mutex_unlock(&c->lock);
    return root;
}

const srv_world *srv_world_with_elasticities(const srv_world *sw, const char *name,
                                             srv_world *tmp, tw_error *err)
{
    memset(tmp, 0, sizeof *tmp);
    if (!name) return sw;
    if (tw_elasticities_is_file(name)) {
        tw_error_set(err, TW_EINPUT, NULL, 0, 0,
                     "give the name of one of the world's elasticity sets, not a file");
        snprintf(err->field, sizeof err->field, "elasticities");
        return NULL;
    }
    if (tw_world_apply_elasticity_set(sw->w, name, &tmp->w, err) != TW_OK) return NULL;
    memcpy(tmp->name, sw->name, sizeof tmp->name);
    tmp->dir = sw->dir; /* borrowed */
    tw_world_hash(tmp->w, tmp->hash);
    return tmp;
}

void srv_world_release(srv_world *tmp)
{
    tw_world_free(tmp->w);
    tmp->w = NULL;
}

cJSON *srv_elasticity_sets_json(const tw_world *w)
{
    cJSON *arr = cJSON_CreateArray();
    const char *def = tw_world_default_elasticities(w);
    size_t J = tw_world_n_sectors(w);
    for (size_t k = 0; k < tw_world_n_elasticity_sets(w) && arr; k++) {
        cJSON *o = cJSON_CreateObject();
        if (!o) break;
        cJSON_AddItemToArray(arr, o);
        const char *name = tw_world_elasticity_set_name(w, k);
        cJSON_AddStringToObject(o, "name", name);
        cJSON_AddBoolToObject(o, "default", def && strcmp(def, name) == 0);
        cJSON_AddStringToObject(o, "source", tw_world_elasticity_set_source(w, k));
        cJSON_AddItemToObject(o, "theta",
                              cJSON_CreateDoubleArray(tw_world_elasticity_set_theta(w, k), (int)J));
    }
    return arr;
}

static int valid_name(const char *name)
{
    if (!name || !*name || name[0] == '.' || strlen(name) > 100) return 0;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_' || *p == '.'))
            return 0;
    return 1;
}

char *srv_catalog_scenario_path(const srv_catalog *c, const char *name, tw_error *err)
{
    char p[4096];
    struct stat sb;
    if (!c->scenario_dir || !valid_name(name)) goto unknown;
    snprintf(p, sizeof p, "%s/%s.tw", c->scenario_dir, name);
    if (stat(p, &sb) != 0 || !S_ISREG(sb.st_mode)) goto unknown;
    char *path = strdup(p);
    if (!path) tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    return path;
unknown:
    tw_error_set(err, TW_EINPUT, NULL, 0, 0,
                 "unknown scenario \"%s\" (GET /api/scenarios lists them)", name ? name : "");
    snprintf(err->field, sizeof err->field, "scenario");
    return NULL;
}

cJSON *srv_catalog_scenarios(const srv_catalog *c)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *arr = root ? cJSON_AddArrayToObject(root, "scenarios") : NULL;
    DIR *d = c->scenario_dir ? opendir(c->scenario_dir) : NULL;
    struct dirent *de;
    while (arr && d && (de = readdir(d)) != NULL) {
        size_t len = strlen(de->d_name);
        if (de->d_name[0] == '.' || len < 4 || strcmp(de->d_name + len - 3, ".tw") != 0) continue;
        char p[4096], name[256];
        snprintf(p, sizeof p, "%s/%s", c->scenario_dir, de->d_name);
        snprintf(name, sizeof name, "%.*s", (int)(len - 3), de->d_name);
        tw_error err;
        tw_scenario *sc = tw_scenario_load(p, &err);
        if (!sc) continue; /* a broken file is reported when it is asked for */
        cJSON *o = cJSON_CreateObject();
        if (o) {
            cJSON_AddItemToArray(arr, o);
            cJSON_AddStringToObject(o, "name", name);
            cJSON_AddStringToObject(o, "title", tw_scenario_title(sc));
            if (tw_scenario_world(sc)) cJSON_AddStringToObject(o, "world", tw_scenario_world(sc));
            cJSON *f = cJSON_AddArrayToObject(o, "focus");
            for (int q = 0; q < 2 && f; q++)
                cJSON_AddItemToArray(f, cJSON_CreateString(tw_scenario_focus(sc, q)));
            cJSON_AddNumberToObject(o, "steps", (double)tw_scenario_n_steps(sc));
            cJSON *ev = cJSON_AddArrayToObject(o, "events");
            for (size_t q = 0; q < tw_scenario_n_events(sc) && ev; q++) {
                cJSON *e = cJSON_CreateObject();
                if (!e) break;
                cJSON_AddItemToArray(ev, e);
                cJSON_AddStringToObject(e, "name", tw_scenario_event_name(sc, q));
                cJSON_AddStringToObject(e, "description", tw_scenario_event_description(sc, q));
            }
        }
        tw_scenario_free(sc);
    }
    if (d) closedir(d);
    return root;
}

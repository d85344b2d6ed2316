/* runs_api.c - saved runs over HTTP: list, one run in full, the diff of two,
 * and saving a run a request asked to keep.
 *
 * Each request opens the store for itself and closes it before answering
 * (tw_store is a one-thread handle; SQLite in WAL mode lets several requests
 * and CLI processes read and write the same file).  Runs saved by the command
 * line name their world and files by the paths it was given; answers name them
 * by their last component (paths.c). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tradewar/store.h"
#include "api.h"
#include "paths.h"
#include "reply.h"
#include "state.h"

long long srv_save_run(srv_server *s, const srv_world *sw, const tw_result *r,
                       const tw_timeline *tl, tw_record_opts *o, tw_error *err)
{
    long long id = -1;
    tw_store *st = tw_store_open(s->db, err);
    o->source = "server";
    o->world = sw->name;
    if (st && (tl ? tw_store_record_timeline(st, tl, o, &id, err)
                  : tw_store_record_result(st, sw->w, r, o, &id, err)) != TW_OK)
        id = -1;
    tw_store_close(st);
    return id;
}

/* text with every word that holds a '/' cut to its last component (a
 * command-line run's label lists its files) */
static char *names_in_text(const char *text)
{
    char *out = malloc(strlen(text) + 1), *w = out;
    if (!out) return NULL;
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, " ,;");
        if (memchr(p, '/', n)) {
            char word[1024], name[1024];
            snprintf(word, sizeof word, "%.*s", (int)n, p);
            srv_path_name(word, name, sizeof name);
            memcpy(w, name, strlen(name));
            w += strlen(name);
        } else {
            memcpy(w, p, n);
            w += n;
        }
        p += n;
        size_t sep = strspn(p, " ,;");
        memcpy(w, p, sep);
        w += sep;
        p += sep;
    }
    *w = '\0';
    return out;
}

/* Each "file" in arr named by its last component. */
static void file_names(cJSON *arr)
{
    char name[1024];
    cJSON *e;
    cJSON_ArrayForEach(e, arr)
    {
        const cJSON *f = cJSON_GetObjectItemCaseSensitive(e, "file");
        if (cJSON_IsString(f))
            cJSON_ReplaceItemInObjectCaseSensitive(
                e, "file", cJSON_CreateString(srv_path_name(f->valuestring, name, sizeof name)));
    }
}

static cJSON *run_json(const tw_run *r, int full)
{
    char world[1024];
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    cJSON_AddNumberToObject(o, "id", (double)r->id);
    cJSON_AddStringToObject(o, "created", r->created);
    cJSON_AddStringToObject(o, "version", r->version);
    cJSON_AddStringToObject(o, "kind", r->kind);
    cJSON_AddStringToObject(o, "source", r->source);
    char *label = r->label && r->source && strcmp(r->source, "cli") == 0 ? names_in_text(r->label) : NULL;
    cJSON_AddStringToObject(o, "label", label ? label : r->label);
    free(label);
    cJSON_AddStringToObject(o, "world", r->world ? srv_path_name(r->world, world, sizeof world) : NULL);
    cJSON_AddStringToObject(o, "world_hash", r->world_hash);
    cJSON_AddBoolToObject(o, "converged", r->converged);
    cJSON_AddNumberToObject(o, "iterations", (double)r->iterations);
    cJSON_AddNumberToObject(o, "evaluations", (double)r->evaluations);
    cJSON_AddItemToObject(o, "residual", !isnan(r->residual) ? cJSON_CreateNumber(r->residual) : cJSON_CreateNull());
    cJSON_AddNumberToObject(o, "seconds", r->seconds);
    if (full) {
        const char *keys[] = {"inputs", "options", "results"};
        const char *vals[] = {r->inputs, r->options, r->results};
        for (int k = 0; k < 3; k++) {
            cJSON *v = cJSON_Parse(vals[k] ? vals[k] : "null");
            cJSON_AddItemToObject(o, keys[k], v ? v : cJSON_CreateString(vals[k]));
        }
        cJSON *in = cJSON_GetObjectItemCaseSensitive(o, "inputs");
        file_names(cJSON_GetObjectItemCaseSensitive(in, "tariffs"));
        file_names(cJSON_GetObjectItemCaseSensitive(in, "ntb"));
        const cJSON *sc = cJSON_GetObjectItemCaseSensitive(in, "scenario");
        if (cJSON_IsString(sc) && strchr(sc->valuestring, '/'))
            cJSON_ReplaceItemInObjectCaseSensitive(
                in, "scenario", cJSON_CreateString(srv_path_name(sc->valuestring, world, sizeof world)));
        cJSON *res = cJSON_GetObjectItemCaseSensitive(o, "results");
        const cJSON *rw = cJSON_GetObjectItemCaseSensitive(res, "world");
        if (cJSON_IsString(rw)) srv_set_world_name(res, srv_path_name(rw->valuestring, world, sizeof world));
    }
    return o;
}

static int parse_id(const char *txt, long long *id)
{
    if (!txt || !*txt) return -1;
    char *end;
    errno = 0;
    long long v = strtoll(txt, &end, 10);
    if (*end || errno || v < 1) return -1;
    *id = v;
    return 0;
}

void srv_api_runs(srv_server *s, const srv_request *rq, srv_reply *rp)
{
    if (strcmp(rq->method, "GET") != 0) {
        srv_reply_error(rp, 405, "%s takes GET, not %s", rq->path, rq->method);
        return;
    }
    if (!s->db) {
        srv_reply_error(rp, 404, "this server keeps no run store (started with --no-db)");
        return;
    }
    tw_error err;
    tw_error_clear(&err);
    tw_store *st = tw_store_open(s->db, &err);
    if (!st) {
        srv_reply_tw_error(rp, &err);
        return;
    }
    const char *rest = rq->path + strlen("/api/runs");
    if (*rest == '\0' || strcmp(rest, "/") == 0) {
        long long limit = 50;
        const char *l = srv_arg(rq, "limit");
        if (l && (parse_id(l, &limit) != 0 || limit > 1000)) {
            srv_reply_error(rp, 400, "limit: \"%s\" is not a whole number in [1, 1000]", l);
            goto done;
        }
        tw_run *runs;
        size_t n;
        if (tw_store_list(st, (size_t)limit, &runs, &n, &err)) {
            srv_reply_tw_error(rp, &err);
            goto done;
        }
        cJSON *o = cJSON_CreateObject();
        cJSON *arr = o ? cJSON_AddArrayToObject(o, "runs") : NULL;
        for (size_t k = 0; k < n && arr; k++) cJSON_AddItemToArray(arr, run_json(&runs[k], 0));
        tw_runs_free(runs, n);
        srv_reply_json(rp, 200, o);
    } else if (strcmp(rest, "/diff") == 0) {
        long long a, b;
        if (parse_id(srv_arg(rq, "a"), &a) || parse_id(srv_arg(rq, "b"), &b)) {
            srv_reply_error(rp, 400, "diff needs ?a=ID&b=ID (run numbers)");
            goto done;
        }
        tw_run *ra = tw_store_get(st, a, &err), *rb = ra ? tw_store_get(st, b, &err) : NULL;
        char *txt = rb ? tw_run_diff_json(ra, rb, &err) : NULL;
        if (txt) srv_reply_text_json(rp, 200, txt);
        else srv_reply_error(rp, err.code == TW_EINPUT ? 404 : 500, "%s", err.msg);
        tw_run_free(ra);
        tw_run_free(rb);
    } else {
        long long id;
        if (parse_id(rest + 1, &id)) {
            srv_reply_error(rp, 404, "no such endpoint: %s (runs are /api/runs/ID)", rq->path);
            goto done;
        }
        tw_run *r = tw_store_get(st, id, &err);
        if (r) srv_reply_json(rp, 200, run_json(r, 1));
        else srv_reply_error(rp, err.code == TW_EINPUT ? 404 : 500, "%s", err.msg);
        tw_run_free(r);
    }
done:
    tw_store_close(st);
    /* what the command line saved may name any path (its labels, its files'
     * text): none of the server's goes out */
    if (rp->body) {
        char *clean = srv_paths_scrub(s, rp->body);
        free(rp->body);
        rp->body = NULL;
        if (clean) rp->body = clean;
        else srv_reply_error(rp, 503, "out of memory");
    }
}

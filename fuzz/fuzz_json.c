/* fuzz_json.c - the server's request decoders on arbitrary bodies: the first
 * byte picks POST /api/solve, /api/timeline, /api/optimal, /api/nash,
 * /api/talks or /api/escalate (s, t, o, n, k, e; any other byte modulo 5
 * picks one of the first five), the rest is the body, handed to srv_api() exactly as http.c
 * hands it over (NUL-terminated, NULL when empty).
 *
 * The server is a srv_server without a daemon: its catalog offers the worlds
 * of tests/data/good (tiny2x1, tiny3x2; the default is tiny3x2, so solves
 * take microseconds), no run store, one solve slot.  Properties: every reply
 * has a status the API documents and a body that is a JSON object, with
 * "error" and "status" on failures. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../server/api.h"
#include "../server/catalog.h"
#include "../server/state.h"
#include "fuzz.h"

static srv_server *server(void)
{
    static srv_server *s;
    if (s) return s;
    s = calloc(1, sizeof *s);
    fz_check(s != NULL, "out of memory", NULL);
    char root[1024], msg[256];
    snprintf(root, sizeof root, "%s/tests/data/good", fz_source_dir());
    s->cfg.max_body = SRV_MAX_BODY_DEFAULT;
    s->cfg.max_solves = 1;
    s->cfg.quiet = 1;
    pthread_mutex_init(&s->gate.lock, NULL);
    pthread_cond_init(&s->gate.cond, NULL);
    s->gate.free = 1;
    srv_pool_init(&s->pool);
    pthread_mutex_init(&s->count_lock, NULL);
    pthread_cond_init(&s->idle, NULL);
    if (srv_catalog_init(&s->cat, root, "tiny3x2", msg, sizeof msg) != 0) {
        fprintf(stderr, "fuzz: catalog: %s\n", msg);
        abort();
    }
    return s;
}

int tw_fuzz_json(const uint8_t *data, size_t size)
{
    static const char *const paths[] = {"/api/solve", "/api/timeline", "/api/optimal",
                                        "/api/nash", "/api/talks", "/api/escalate"};
    if (size < 1) return 0;
    static const char letters[] = "stonke";
    const char *pick = data[0] ? strchr(letters, data[0]) : NULL;
    const char *path = paths[pick ? pick - letters : data[0] % 5];
    size_t len = size - 1;
    char *body = NULL;
    if (len) {
        body = malloc(len + 1);
        if (!body) return 0;
        memcpy(body, data + 1, len);
        body[len] = '\0';
    }
    srv_request rq = {.method = "POST", .path = path, .body = body, .len = len};
    srv_reply rp = {0, NULL, NULL, NULL, NULL};
    srv_api(server(), &rq, &rp);
    unsigned st = rp.status;
    fz_check(st == 200 || st == 400 || st == 422 || st == 503, "a documented status", NULL);
    cJSON *o = rp.body ? cJSON_Parse(rp.body) : NULL;
    if (!o) {
        fprintf(stderr, "fuzz: %s -> %u: %.300s\n", path, st, rp.body ? rp.body : "(no body)");
        fz_check(0, "the reply is JSON", NULL);
    }
    fz_check(cJSON_IsObject(o), "the reply is a JSON object", NULL);
    if (st != 200) {
        const cJSON *e = cJSON_GetObjectItemCaseSensitive(o, "error");
        fz_check(cJSON_IsString(e) && e->valuestring[0], "an error reply says what is wrong", NULL);
        fz_check(cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(o, "status")) == st,
                 "an error reply carries its status", NULL);
    }
    cJSON_Delete(o);
    free(rp.body);
    free(body);
    return 0;
}

#ifndef TW_FUZZ_NO_MAIN
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) { return tw_fuzz_json(data, size); }
#endif

/* paths.c - answers name the server's files, never their paths.
 *
 * A world is its name, a scenario is "scenarios/NAME.tw" (relative to the
 * data folder), the run store is its file name: the absolute folders of the
 * server's machine are nobody's business on the other end of a socket.  The
 * library reports paths as it was given them (tw_world_dir, error files and
 * messages), so the server rewrites them: fields it knows are replaced by
 * names (srv_set_world_name, run records in runs_api.c), and the text of
 * every error answer is scrubbed of the paths listed here, longest first so
 * that a world folder wins over the data folder that holds it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tradewar/json.h"
#include "paths.h"
#include "state.h"

/* s as it appears inside a JSON string (cJSON's escapes), without quotes. */
static char *json_form(const char *s)
{
    cJSON *v = cJSON_CreateString(s);
    char *txt = v ? tw_json_print(v) : NULL;
    cJSON_Delete(v);
    if (!txt) return NULL;
    size_t n = strlen(txt);
    memmove(txt, txt + 1, n - 2);
    txt[n - 2] = '\0';
    return txt;
}

static int add(srv_paths *p, const char *from, const char *to)
{
    if (!from || strlen(from) < 2 || p->n == SRV_MAX_PATHS) return 0;
    p->from[p->n] = json_form(from);
    p->to[p->n] = json_form(to);
    if (!p->from[p->n] || !p->to[p->n]) {
        free(p->from[p->n]);
        free(p->to[p->n]);
        return -1;
    }
    p->n++;
    return 0;
}

int srv_paths_init(srv_server *s)
{
    srv_paths *p = &s->paths;
    const srv_catalog *c = &s->cat;
    char buf[4096], name[256];
    int rc = 0;
    for (size_t k = 0; k < c->n; k++) rc |= add(p, c->worlds[k].dir, c->worlds[k].name);
    if (c->data_root) {
        snprintf(buf, sizeof buf, "%s/", c->data_root);
        rc |= add(p, buf, "");
    }
    if (s->db) rc |= add(p, s->db, srv_path_name(s->db, name, sizeof name));
    const char *tmp = getenv("TMPDIR");
    snprintf(buf, sizeof buf, "%s/tradewar-scenario-", tmp && *tmp ? tmp : "/tmp");
    rc |= add(p, buf, "scenario-");
    /* longest first */
    for (size_t a = 1; a < p->n; a++)
        for (size_t b = a; b > 0 && strlen(p->from[b]) > strlen(p->from[b - 1]); b--) {
            char *f = p->from[b], *t = p->to[b];
            p->from[b] = p->from[b - 1];
            p->to[b] = p->to[b - 1];
            p->from[b - 1] = f;
            p->to[b - 1] = t;
        }
    return rc ? -1 : 0;
}

void srv_paths_free(srv_server *s)
{
    for (size_t k = 0; k < s->paths.n; k++) {
        free(s->paths.from[k]);
        free(s->paths.to[k]);
    }
    s->paths.n = 0;
}

/* text with every from replaced by to (a new string, NULL when out of memory). */
static char *replace_all(const char *text, const char *from, const char *to)
{
    size_t nf = strlen(from), nt = strlen(to), count = 0;
    for (const char *q = strstr(text, from); q; q = strstr(q + nf, from)) count++;
    size_t len = strlen(text) - count * nf + count * nt;
    char *out = malloc(len + 1), *w = out;
    if (!out) return NULL;
    for (const char *q = text, *hit; ; q = hit + nf) {
        hit = strstr(q, from);
        size_t keep = hit ? (size_t)(hit - q) : strlen(q);
        memcpy(w, q, keep);
        w += keep;
        if (!hit) break;
        memcpy(w, to, nt);
        w += nt;
    }
    *w = '\0';
    return out;
}

char *srv_paths_scrub(const srv_server *s, const char *text)
{
    char *cur = strdup(text);
    for (size_t k = 0; k < s->paths.n && cur; k++) {
        if (!strstr(cur, s->paths.from[k])) continue;
        char *next = replace_all(cur, s->paths.from[k], s->paths.to[k]);
        free(cur);
        cur = next;
    }
    return cur;
}

const char *srv_path_name(const char *path, char *buf, size_t size)
{
    size_t len = strlen(path);
    while (len > 1 && path[len - 1] == '/') len--;
    size_t start = len;
    while (start > 0 && path[start - 1] != '/') start--;
    if (start == len) start = 0; /* "/" itself */
    snprintf(buf, size, "%.*s", (int)(len - start), path + start);
    return buf;
}

void srv_set_world_name(cJSON *obj, const char *name)
{
    if (cJSON_IsString(cJSON_GetObjectItemCaseSensitive(obj, "world")))
        cJSON_ReplaceItemInObjectCaseSensitive(obj, "world", cJSON_CreateString(name));
}

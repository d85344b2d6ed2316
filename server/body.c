/* body.c - request bodies: one JSON object and nothing else.
 *
 * cJSON takes more than JSON: bytes that are not UTF-8 go into strings as
 * they are, "\u0000" ends a string early once it is a C string (so
 * "tiny3x2\u0000junk" would name the world tiny3x2), text after the first
 * value is ignored, and of a key given twice the first one counts.  So a body
 * is refused (400) when it is not valid UTF-8, holds a NUL character (raw or
 * escaped), has anything but white space after its value, or repeats a key
 * in an object; the message gives the byte or the field.  Nothing is ever
 * truncated or picked silently.  The members several endpoints share (optional
 * strings and booleans, the solver options) are read here too, so each is
 * checked with the same message everywhere. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "body.h"

/* Length of the UTF-8 sequence at b (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF); 0 when it is not one. */
static size_t utf8_seq(const unsigned char *b, size_t n)
{
    unsigned char c = b[0];
    size_t len;
    unsigned char lo = 0x80, hi = 0xbf; /* range of the second byte */
    if (c >= 0xc2 && c <= 0xdf) len = 2;
    else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        if (c == 0xe0) lo = 0xa0;
        if (c == 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        if (c == 0xf0) lo = 0x90;
        if (c == 0xf4) hi = 0x8f;
    } else {
        return 0;
    }
    if (n < len || b[1] < lo || b[1] > hi) return 0;
    for (size_t k = 2; k < len; k++)
        if (b[k] < 0x80 || b[k] > 0xbf) return 0;
    return len;
}

size_t srv_utf8_length(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) n += (*p & 0xc0) != 0x80;
    return n;
}

enum { CLEAN, BAD_UTF8, NUL_RAW, NUL_ESCAPED };

/* One pass over the bytes: UTF-8 and NUL characters, tracking strings so
 * that an escaped backslash before "u0000" is not taken for an escape. */
static int scan(const unsigned char *b, size_t n, size_t *at)
{
    int in_string = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = b[i];
        *at = i;
        if (c == 0) return NUL_RAW;
        if (c >= 0x80) {
            size_t len = utf8_seq(b + i, n - i);
            if (!len) return BAD_UTF8;
            i += len;
            continue;
        }
        if (in_string && c == '\\' && i + 1 < n && b[i + 1] < 0x80 && b[i + 1] != 0) {
            if (b[i + 1] == 'u' && i + 5 < n && !memcmp(b + i + 2, "0000", 4)) return NUL_ESCAPED;
            i += 2;
            continue;
        }
        if (c == '"') in_string = !in_string;
        i++;
    }
    return CLEAN;
}

static int by_key(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The first key that comes twice in object o, or NULL. */
static const char *twice(const cJSON *o)
{
    const cJSON *c, *d;
    size_t n = 0;
    for (c = o->child; c; c = c->next) n++;
    if (n <= 16) {
        for (c = o->child; c; c = c->next)
            for (d = c->next; d; d = d->next)
                if (strcmp(c->string, d->string) == 0) return c->string;
        return NULL;
    }
    /* large objects: sort the keys, O(n log n) */
    const char **keys = malloc(n * sizeof *keys), *found = NULL;
    if (!keys) return NULL;
    size_t k = 0;
    for (c = o->child; c; c = c->next) keys[k++] = c->string;
    qsort(keys, n, sizeof *keys, by_key);
    for (k = 1; k < n && !found; k++)
        if (strcmp(keys[k - 1], keys[k]) == 0) found = keys[k];
    free(keys);
    return found;
}

/* Walk v (named path; "" = the request) for a key given twice. */
static int check_keys(const cJSON *v, char *path, size_t size, srv_reply *rp)
{
    size_t len = strlen(path);
    if (cJSON_IsObject(v)) {
        const char *k = twice(v);
        if (k) {
            srv_reply_error(rp, 400, "%s: duplicate field \"%.64s\"", len ? path : "request", k);
            return -1;
        }
    } else if (!cJSON_IsArray(v)) {
        return 0;
    }
    size_t q = 0;
    for (const cJSON *c = v->child; c; c = c->next, q++) {
        if (cJSON_IsObject(v)) snprintf(path + len, size - len, "%s%s", len ? "." : "", c->string);
        else snprintf(path + len, size - len, "[%zu]", q);
        int rc = check_keys(c, path, size, rp);
        path[len] = '\0';
        if (rc) return rc;
    }
    return 0;
}

cJSON *srv_parse_body(const srv_request *rq, srv_reply *rp)
{
    if (!rq->body || rq->len == 0) {
        srv_reply_error(rp, 400, "request body is empty (expected a JSON object)");
        return NULL;
    }
    size_t at = 0;
    switch (scan((const unsigned char *)rq->body, rq->len, &at)) {
    case BAD_UTF8:
        srv_reply_error(rp, 400, "request body is not valid UTF-8 (byte %zu of %zu)", at + 1, rq->len);
        return NULL;
    case NUL_RAW:
        srv_reply_error(rp, 400, "request body has a NUL character at byte %zu of %zu", at + 1, rq->len);
        return NULL;
    case NUL_ESCAPED:
        srv_reply_error(rp, 400, "request body has a NUL character (\\u0000) at byte %zu of %zu", at + 1,
                        rq->len);
        return NULL;
    default: break;
    }
    const char *end = NULL;
    cJSON *o = cJSON_ParseWithLengthOpts(rq->body, rq->len, &end, 0);
    if (!o) {
        size_t bad = end && end >= rq->body ? (size_t)(end - rq->body) : 0;
        srv_reply_error(rp, 400, "malformed JSON at byte %zu of %zu", bad + 1, rq->len);
        return NULL;
    }
    const char *stop = rq->body + rq->len;
    while (end && end < stop && (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r')) end++;
    if (end && end < stop) {
        srv_reply_error(rp, 400, "unexpected text after the JSON value at byte %zu of %zu",
                        (size_t)(end - rq->body) + 1, rq->len);
        cJSON_Delete(o);
        return NULL;
    }
    if (!cJSON_IsObject(o)) {
        cJSON_Delete(o);
        srv_reply_error(rp, 400, "request body must be a JSON object");
        return NULL;
    }
    char path[256] = "";
    if (check_keys(o, path, sizeof path, rp)) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

/* ---- members several endpoints read ---- */

int srv_bad_field(srv_reply *rp, const char *field, const char *what)
{
    srv_reply_error(rp, 400, "%s: %s", field, what);
    return -1;
}

int srv_opt_string(const cJSON *o, const char *key, const char **out, srv_reply *rp)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    *out = NULL;
    if (!v || cJSON_IsNull(v)) return 0;
    if (!cJSON_IsString(v)) return srv_bad_field(rp, key, "must be a string");
    *out = v->valuestring;
    return 0;
}

int srv_opt_bool(const cJSON *o, const char *key, int dflt, int *out, srv_reply *rp)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    *out = dflt;
    if (!v) return 0;
    if (!cJSON_IsBool(v)) return srv_bad_field(rp, key, "must be true or false");
    *out = cJSON_IsTrue(v);
    return 0;
}

int srv_read_solve_opts(const cJSON *o, double dflt_tol, srv_solve_opts *so, srv_reply *rp)
{
    const char *m, *d;
    so->method = TW_METHOD_NEWTON;
    so->deficits = TW_DEFICITS_KEEP;
    so->tol = dflt_tol;
    if (srv_opt_string(o, "method", &m, rp) || srv_opt_string(o, "deficits", &d, rp)) return -1;
    if (m && tw_method_parse(m, &so->method))
        return srv_bad_field(rp, "method", "must be \"newton\" or \"tatonnement\"");
    if (d && tw_deficits_parse(d, &so->deficits))
        return srv_bad_field(rp, "deficits", "must be \"keep\" or \"purge\"");
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(o, "tol");
    if (t) {
        if (!cJSON_IsNumber(t) || !(t->valuedouble >= TW_TOL_MIN && t->valuedouble <= TW_TOL_MAX))
            return srv_bad_field(rp, "tol", "must be a number in " TW_TOL_RANGE_TEXT);
        so->tol = t->valuedouble;
    }
    return 0;
}

/* json_print.c - cJSON_PrintUnformatted's text of a cJSON tree
 * (tradewar/json.h): the same walk, the same string escapes (cJSON 1.7's
 * print_string_ptr), numbers by json_number.c.  One growing buffer. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tradewar/json.h"

typedef struct out {
    char *p;
    size_t len, cap;
    int ok;
} out;

/* Room for n more bytes and a '\0'; clears ok when out of memory. */
static char *room(out *o, size_t n)
{
    if (!o->ok) return NULL;
    if (o->len + n + 1 > o->cap) {
        size_t cap = o->cap ? o->cap : 256;
        while (cap < o->len + n + 1) cap *= 2;
        char *p = realloc(o->p, cap);
        if (!p) {
            o->ok = 0;
            return NULL;
        }
        o->p = p;
        o->cap = cap;
    }
    return o->p + o->len;
}

static void put(out *o, const char *s, size_t n)
{
    char *w = room(o, n);
    if (!w) return;
    memcpy(w, s, n);
    o->len += n;
}

static void put_char(out *o, char c) { put(o, &c, 1); }

/* The escape of byte c, written to w; its length (1 when none is needed). */
static size_t escape(char *w, unsigned char c)
{
    const char *two = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\b' ? "\\b" : c == '\f' ? "\\f"
                    : c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t" : NULL;
    if (two) {
        memcpy(w, two, 2);
        return 2;
    }
    if (c < 32) {
        char tmp[8];
        snprintf(tmp, sizeof tmp, "\\u%04x", c);
        memcpy(w, tmp, 6);
        return 6;
    }
    *w = (char)c;
    return 1;
}

/* A string in quotes; "" for NULL, as cJSON prints it. */
static void put_string(out *o, const char *s)
{
    if (!s) s = "";
    size_t n = 0, plain = 1;
    for (const unsigned char *u = (const unsigned char *)s; *u; u++, n++)
        if (*u < 32 || *u == '"' || *u == '\\') plain = 0;
    char *w = room(o, plain ? n + 2 : 6 * n + 2);
    if (!w) return;
    size_t k = 0;
    w[k++] = '"';
    if (plain) {
        memcpy(w + k, s, n);
        k += n;
    } else {
        for (const unsigned char *u = (const unsigned char *)s; *u; u++) k += escape(w + k, *u);
    }
    w[k++] = '"';
    o->len += k;
}

static void put_value(out *o, const cJSON *item);

/* The members of an array or object between open and close. */
static void put_children(out *o, const cJSON *item, char open, char close, int keys)
{
    put_char(o, open);
    for (const cJSON *c = item->child; c && o->ok; c = c->next) {
        if (c != item->child) put_char(o, ',');
        if (keys) {
            put_string(o, c->string);
            put_char(o, ':');
        }
        put_value(o, c);
    }
    put_char(o, close);
}

static void put_value(out *o, const cJSON *item)
{
    char num[TW_JSON_NUMBER_SIZE];
    switch (item->type & 0xFF) {
    case cJSON_NULL: put(o, "null", 4); break;
    case cJSON_False: put(o, "false", 5); break;
    case cJSON_True: put(o, "true", 4); break;
    case cJSON_Number: put(o, num, tw_json_number(num, item->valuedouble)); break;
    case cJSON_String: put_string(o, item->valuestring); break;
    case cJSON_Raw:
        if (item->valuestring) put(o, item->valuestring, strlen(item->valuestring));
        else o->ok = 0;
        break;
    case cJSON_Array: put_children(o, item, '[', ']', 0); break;
    case cJSON_Object: put_children(o, item, '{', '}', 1); break;
    default: o->ok = 0; break;
    }
}

char *tw_json_print(const struct cJSON *item)
{
    if (!item) return NULL;
    out o = {NULL, 0, 0, 1};
    put_value(&o, item);
    if (o.ok && room(&o, 0)) {
        o.p[o.len] = '\0';
        char *fit = realloc(o.p, o.len + 1); /* the text's own size */
        if (fit) o.p = fit;
        return o.p;
    }
    free(o.p);
    return NULL;
}

/* json_print.c - cJSON_PrintUnformatted's text of a cJSON tree
 * (tradewar/json.h) and the buffer it is written to (json_buf.h): the same
 * walk, the same string escapes (cJSON 1.7's print_string_ptr), numbers by
 * json_number.c. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tradewar/json.h"
#include "json_buf.h"

/* Room for n more bytes and a '\0'; clears ok when out of memory. */
static char *room(tw_jbuf *o, size_t n)
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

void tw_jbuf_put(tw_jbuf *o, const char *s, size_t n)
{
    char *w = room(o, n);
    if (!w) return;
    memcpy(w, s, n);
    o->len += n;
}

void tw_jbuf_char(tw_jbuf *o, char c)
{
    char *w = room(o, 1);
    if (!w) return;
    *w = c;
    o->len++;
}

void tw_jbuf_unput(tw_jbuf *o)
{
    if (o->ok && o->len) o->len--;
}

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
void tw_jbuf_string(tw_jbuf *o, const char *s)
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

/* The members of an array or object between open and close. */
static void put_children(tw_jbuf *o, const cJSON *item, char open, char close, int keys)
{
    tw_jbuf_char(o, open);
    for (const cJSON *c = item->child; c && o->ok; c = c->next) {
        if (c != item->child) tw_jbuf_char(o, ',');
        if (keys) tw_jbuf_key(o, c->string);
        tw_jbuf_value(o, c);
    }
    tw_jbuf_char(o, close);
}

void tw_jbuf_number(tw_jbuf *o, double d)
{
    char num[TW_JSON_NUMBER_SIZE];
    size_t n = tw_json_number(num, d);
    tw_jbuf_put(o, num, n);
}

void tw_jbuf_key(tw_jbuf *o, const char *key)
{
    tw_jbuf_string(o, key);
    tw_jbuf_char(o, ':');
}

void tw_jbuf_value(tw_jbuf *o, const cJSON *item)
{
    switch (item->type & 0xFF) {
    case cJSON_NULL: tw_jbuf_put(o, "null", 4); break;
    case cJSON_False: tw_jbuf_put(o, "false", 5); break;
    case cJSON_True: tw_jbuf_put(o, "true", 4); break;
    case cJSON_Number: tw_jbuf_number(o, item->valuedouble); break;
    case cJSON_String: tw_jbuf_string(o, item->valuestring); break;
    case cJSON_Raw:
        if (item->valuestring) tw_jbuf_put(o, item->valuestring, strlen(item->valuestring));
        else o->ok = 0;
        break;
    case cJSON_Array: put_children(o, item, '[', ']', 0); break;
    case cJSON_Object: put_children(o, item, '{', '}', 1); break;
    default: o->ok = 0; break;
    }
}

char *tw_jbuf_finish(tw_jbuf *o)
{
    if (o->ok && room(o, 0)) {
        o->p[o->len] = '\0';
        char *fit = realloc(o->p, o->len + 1); /* the text's own size */
        if (fit) o->p = fit;
        return o->p;
    }
    free(o->p);
    o->p = NULL;
    return NULL;
}

char *tw_json_print(const struct cJSON *item)
{
    if (!item) return NULL;
    tw_jbuf o = TW_JBUF_INIT;
    tw_jbuf_value(&o, item);
    return tw_jbuf_finish(&o);
}

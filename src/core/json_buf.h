/* json_buf.h - JSON text written piece by piece into a growing buffer, in
 * cJSON_PrintUnformatted's bytes (private; tradewar/json.h is the public
 * side).  For writers that stream a large answer without building a cJSON
 * tree for it:
 *
 *   tw_jbuf b = TW_JBUF_INIT;
 *   tw_jbuf_char(&b, '[');
 *   tw_jbuf_number(&b, 0.1);            // as cJSON prints a number item
 *   tw_jbuf_char(&b, ']');
 *   char *txt = tw_jbuf_finish(&b);     // "[0.1]", or NULL when out of memory
 *
 * A failed allocation clears ok; every later call does nothing and
 * tw_jbuf_finish frees the buffer and returns NULL. */
#ifndef TW_CORE_JSON_BUF_H
#define TW_CORE_JSON_BUF_H

#include <cjson/cJSON.h>
#include <stddef.h>

typedef struct tw_jbuf {
    char *p;
    size_t len, cap;
    int ok;
} tw_jbuf;

#define TW_JBUF_INIT {NULL, 0, 0, 1}

/* n bytes of s as they are. */
void tw_jbuf_put(tw_jbuf *b, const char *s, size_t n);
void tw_jbuf_char(tw_jbuf *b, char c);
/* s in quotes with cJSON's escapes ("" for NULL). */
void tw_jbuf_string(tw_jbuf *b, const char *s);
/* tw_json_number's text of d (null when not finite). */
void tw_jbuf_number(tw_jbuf *b, double d);
/* "key": of an object member. */
void tw_jbuf_key(tw_jbuf *b, const char *key);
/* A cJSON tree as cJSON_PrintUnformatted prints it; clears ok where cJSON
 * would refuse (an invalid item, a raw item without text). */
void tw_jbuf_value(tw_jbuf *b, const cJSON *item);
/* Drop the last byte written (e.g. an object's '}' before more members). */
void tw_jbuf_unput(tw_jbuf *b);
/* The text, '\0'-terminated and sized to fit, for the caller to free; NULL
 * (and the buffer freed) when ok was cleared. */
char *tw_jbuf_finish(tw_jbuf *b);

#endif

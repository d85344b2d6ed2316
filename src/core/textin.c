/* textin.c - reading text lines with a bound on each line and on the file.
 *
 * The file is read in chunks and cut at '\n'.  Invariant: the reader never
 * holds more than one chunk and one line of at most max_line bytes (plus its
 * terminator), and never consumes more than max_bytes of the file, whatever
 * the file is: /dev/zero (no line ends) is refused after max_line bytes, an
 * endless pipe of short lines after max_bytes.  A line is checked for NUL
 * bytes only once it is complete, so a stream of NULs is reported as the over-
 * long line it is. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/textin.h"

#define CHUNK 65536

struct tw_textin {
    FILE *fp;
    char *name;
    char *chunk;
    size_t cpos, clen;   /* bytes of chunk already taken, bytes in chunk */
    char *line;
    size_t llen, lcap;
    long lineno;
    uint64_t used;       /* bytes of the file taken into lines so far */
    size_t max_line;
    uint64_t max_bytes;
    int eof;
};

void tw_textin_size_text(uint64_t bytes, char *buf, size_t size)
{
    if (bytes >= ((uint64_t)1 << 30) && bytes % ((uint64_t)1 << 30) == 0)
        snprintf(buf, size, "%llu GiB", (unsigned long long)(bytes >> 30));
    else if (bytes >= ((uint64_t)1 << 20) && bytes % ((uint64_t)1 << 20) == 0)
        snprintf(buf, size, "%llu MiB", (unsigned long long)(bytes >> 20));
    else if (bytes >= 1024 && bytes % 1024 == 0)
        snprintf(buf, size, "%llu KiB", (unsigned long long)(bytes >> 10));
    else
        snprintf(buf, size, "%llu bytes", (unsigned long long)bytes);
}

static tw_status sys_error(tw_error *err, tw_status code, const char *name, const char *what,
                           int errnum)
{
    char msg[128];
    if (strerror_r(errnum, msg, sizeof msg) != 0)
        snprintf(msg, sizeof msg, "error %d", errnum);
    return tw_error_set(err, code, name, 0, 0, "%s: %s", what, msg);
}

tw_status tw_textin_open(tw_textin **out, const char *path, const char *name, int optional,
                         tw_error *err)
{
    *out = NULL;
    FILE *fp = fopen(path, "r");
    if (!fp) {
        int e = errno;
        if (optional && e == ENOENT) return TW_OK;
        if (e == ENOMEM) return tw_error_set(err, TW_ENOMEM, name, 0, 0, "out of memory");
        /* A required file that is missing is an I/O error like one that cannot
         * be read (exit 3, docs/data-format.md sec. 6). */
        return sys_error(err, TW_EIO, name, "cannot open", e);
    }
    tw_textin *t = calloc(1, sizeof *t);
    char *nm = t ? strdup(name) : NULL;
    char *chunk = nm ? malloc(CHUNK) : NULL;
    if (!chunk) {
        free(nm);
        free(t);
        fclose(fp);
        return tw_error_set(err, TW_ENOMEM, name, 0, 0, "out of memory");
    }
    t->fp = fp;
    t->name = nm;
    t->chunk = chunk;
    t->max_line = TW_INPUT_MAX_LINE;
    t->max_bytes = TW_INPUT_MAX_BYTES;
    *out = t;
    return TW_OK;
}

const char *tw_textin_name(const tw_textin *t) { return t->name; }

void tw_textin_close(tw_textin *t)
{
    if (!t) return;
    if (t->fp) fclose(t->fp);
    free(t->chunk);
    free(t->line);
    free(t->name);
    free(t);
}

void tw_textin_set_limits(tw_textin *t, size_t max_line, uint64_t max_bytes)
{
    if (max_line) t->max_line = max_line;
    if (max_bytes) t->max_bytes = max_bytes;
}

long tw_textin_lineno(const tw_textin *t) { return t->lineno; }

static int too_long(tw_textin *t, tw_error *err)
{
    char lim[32];
    tw_textin_size_text(t->max_line, lim, sizeof lim);
    tw_error_set(err, TW_EINPUT, t->name, t->lineno + 1, 0,
                 "line is longer than the limit of %s (is this a text file?)", lim);
    return -1;
}

/* Append n bytes to the line, growing the buffer (the line never exceeds
 * max_line + 2 bytes: tw_textin_next refuses it first). */
static int append(tw_textin *t, const char *s, size_t n, tw_error *err)
{
    if (!t->line || t->llen + n + 1 > t->lcap) {
        size_t cap = t->lcap ? t->lcap : 256;
        while (cap < t->llen + n + 1) cap *= 2;
        char *b = realloc(t->line, cap);
        if (!b) {
            tw_error_set(err, TW_ENOMEM, t->name, 0, 0, "out of memory");
            return -1;
        }
        t->line = b;
        t->lcap = cap;
    }
    memcpy(t->line + t->llen, s, n);
    t->llen += n;
    t->line[t->llen] = '\0';
    return 0;
}

/* The line is complete: count it and check what it holds. */
static int finish(tw_textin *t, char **line, size_t *len, tw_error *err)
{
    size_t body = t->llen;
    if (body && t->line[body - 1] == '\n') body--;
    if (body && t->line[body - 1] == '\r') body--;
    if (body > t->max_line) return too_long(t, err);
    t->lineno++;
    if (memchr(t->line, '\0', t->llen)) {
        tw_error_set(err, TW_EINPUT, t->name, t->lineno, 0,
                     "the file contains a NUL byte (expected text)");
        return -1;
    }
    *line = t->line;
    *len = t->llen;
    return 1;
}

int tw_textin_next(tw_textin *t, char **line, size_t *len, tw_error *err)
{
    t->llen = 0;
    if (!t->line && append(t, "", 0, err) != 0) return -1;
    for (;;) {
        if (t->cpos == t->clen) {
            if (t->eof) return t->llen ? finish(t, line, len, err) : 0;
            errno = 0;
            size_t got = fread(t->chunk, 1, CHUNK, t->fp);
            if (got == 0) {
                if (ferror(t->fp)) {
                    sys_error(err, TW_EIO, t->name, "read error", errno ? errno : EIO);
                    return -1;
                }
                t->eof = 1;
                continue;
            }
            t->cpos = 0;
            t->clen = got;
        }
        const char *from = t->chunk + t->cpos;
        const char *nl = memchr(from, '\n', t->clen - t->cpos);
        size_t take = nl ? (size_t)(nl - from) + 1 : t->clen - t->cpos;
        /* Room for the body, a '\r' and the '\n': more is over the limit
         * whatever ends the line. */
        if (t->llen + take > t->max_line + 2) return too_long(t, err);
        if (t->used + take > t->max_bytes) {
            char lim[32];
            tw_textin_size_text(t->max_bytes, lim, sizeof lim);
            tw_error_set(err, TW_EINPUT, t->name, t->lineno + 1, 0,
                         "file is larger than the limit of %s for this input", lim);
            return -1;
        }
        if (append(t, from, take, err) != 0) return -1;
        t->cpos += take;
        t->used += take;
        if (nl) return finish(t, line, len, err);
    }
}

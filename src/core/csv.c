/* csv.c - an RFC 4180 pull reader over libcsv's push parser.
 *
 * The file is read one physical line at a time (through the bounded reader of
 * textin.c, so no line and no file exceeds its limit) and fed to libcsv in
 * pieces that each end at a line terminator, so at most one record can
 * complete per piece and the reader can hand records out one by one.
 * Lines without quotes are split here directly (plain_line), with libcsv's
 * result.  Invariant: when `ready` is set, buf/off hold exactly the fields of one
 * complete record and rec_line is the line its first non-blank character is
 * on. */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/textin.h"

struct tw_csv {
    tw_textin *in;
    const char *name;    /* the reader's */
    struct csv_parser p;
    char *line;          /* current physical line (the reader's buffer) */
    size_t line_len, pos; /* bytes in line, bytes already fed */
    long lineno;         /* 1-based number of the current physical line */
    int between;         /* no record has started since the last one ended */
    long rec_start;      /* line where the record being built started */
    char *buf;           /* fields of the record, each NUL-terminated */
    size_t buf_len, buf_cap;
    size_t *off;         /* start of each field in buf */
    size_t nf, off_cap;
    int ready, oom, eof;
    long rec_line;       /* start line of the ready record */
    size_t nheader;      /* fields in the header; 0 until it is read */
    int allow_extra;     /* records may be wider than the header */
    int keep_spaces;     /* fields keep their blanks (tw_csv_keep_spaces) */
};

static void on_field(void *s, size_t len, void *data)
{
    tw_csv *r = data;
    if (r->oom) return;
    if (r->nf == r->off_cap) {
        size_t cap = r->off_cap ? 2 * r->off_cap : 8;
        size_t *t = realloc(r->off, cap * sizeof *t);
        if (!t) { r->oom = 1; return; }
        r->off = t;
        r->off_cap = cap;
    }
    if (r->buf_len + len + 1 > r->buf_cap) {
        size_t cap = r->buf_cap ? r->buf_cap : 64;
        while (cap < r->buf_len + len + 1) cap *= 2;
        char *t = realloc(r->buf, cap);
        if (!t) { r->oom = 1; return; }
        r->buf = t;
        r->buf_cap = cap;
    }
    r->off[r->nf++] = r->buf_len;
    if (len) memcpy(r->buf + r->buf_len, s, len);
    r->buf_len += len;
    r->buf[r->buf_len++] = '\0';
}

static void on_record(int c, void *data)
{
    tw_csv *r = data;
    (void)c;
    r->ready = 1;
    r->rec_line = r->rec_start;
    r->between = 1;
}

tw_status tw_csv_open(tw_csv **out, const char *path, const char *name, int optional,
                      tw_error *err)
{
    *out = NULL;
    tw_textin *in = NULL;
    tw_status st = tw_textin_open(&in, path, name, optional, err);
    if (st != TW_OK || !in) return st;
    tw_csv *r = calloc(1, sizeof *r);
    if (!r || csv_init(&r->p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
        free(r);
        tw_textin_close(in);
        return tw_error_set(err, TW_ENOMEM, name, 0, 0, "out of memory");
    }
    r->in = in;
    r->name = tw_textin_name(in);
    r->between = 1;
    *out = r;
    return TW_OK;
}

void tw_csv_close(tw_csv *r)
{
    if (!r) return;
    csv_free(&r->p);
    tw_textin_close(r->in);
    free(r->buf);
    free(r->off);
    free(r);
}

/* The record just completed: check its width against the header. */
static int deliver(tw_csv *r, tw_error *err)
{
    if (r->nheader && (r->nf < r->nheader || (r->nf > r->nheader && !r->allow_extra))) {
        tw_error_set(err, TW_EINPUT, r->name, r->rec_line, 0,
                     "row has %zu field%s (expected %zu as in the header)", r->nf,
                     r->nf == 1 ? "" : "s", r->nheader);
        return -1;
    }
    return 1;
}

static int parse_failed(tw_csv *r, tw_error *err, long line)
{
    if (r->oom || csv_error(&r->p) == CSV_ENOMEM || csv_error(&r->p) == CSV_ETOOBIG) {
        tw_error_set(err, TW_ENOMEM, r->name, 0, 0, "out of memory");
        return -1;
    }
    tw_error_set(err, TW_EINPUT, r->name, line, 0,
                 "malformed CSV: a quote inside an unquoted field, or text after a "
                 "closing quote (quote fields with \"...\" and double inner quotes)");
    return -1;
}

/* A record starts on the current line if the piece pos..end holds more than
 * blanks and line ends. */
static void note_start(tw_csv *r, size_t end)
{
    for (size_t k = r->pos; k < end; k++) {
        char c = r->line[k];
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
            r->between = 0;
            r->rec_start = r->lineno;
            return;
        }
    }
}

static int is_blank(char c) { return c == ' ' || c == '\t'; }

/* The common line, split here instead of by libcsv: a whole line, no record
 * begun, no quote and one terminator ("\n" or "\r\n") at its end.  libcsv
 * would give the same: blank lines are no record; otherwise the fields between
 * commas, each without the spaces and tabs at its ends (libcsv's default
 * trimming of unquoted fields), and its state stays "no row begun".  Feeding
 * libcsv one byte at a time through its callbacks was most of the reading of a
 * world's files.  Returns 0 when the line does not qualify (libcsv reads it),
 * 1 when it was taken (r->ready set if it held a record), -1 on ENOMEM. */
static int plain_line(tw_csv *r)
{
    if (!r->between || r->pos != 0 || r->keep_spaces || r->line_len == 0 ||
        r->line[r->line_len - 1] != '\n')
        return 0;
    size_t end = r->line_len - 1;
    if (end > 0 && r->line[end - 1] == '\r') end--;
    if (memchr(r->line, '"', end) || memchr(r->line, '\r', end) || memchr(r->line, '\n', end))
        return 0;
    size_t a = 0;
    while (a < end && is_blank(r->line[a])) a++;
    r->pos = r->line_len;
    if (a == end) return 1;
    for (size_t k = 0;;) {
        const char *comma = memchr(r->line + k, ',', end - k);
        size_t stop = comma ? (size_t)(comma - r->line) : end, b = stop;
        while (k < b && is_blank(r->line[k])) k++;
        while (b > k && is_blank(r->line[b - 1])) b--;
        on_field(r->line + k, b - k, r);
        if (r->oom) return -1;
        if (!comma) break;
        k = stop + 1;
    }
    r->rec_start = r->lineno;
    on_record('\n', r);
    return 1;
}

int tw_csv_next(tw_csv *r, tw_error *err)
{
    if (r->ready) {
        r->ready = 0;
        r->nf = 0;
        r->buf_len = 0;
    }
    for (;;) {
        if (r->pos >= r->line_len) {
            if (r->eof) return 0;
            size_t len = 0;
            int got = tw_textin_next(r->in, &r->line, &len, err);
            if (got < 0) return -1;
            if (got == 0) {
                r->eof = 1;
                r->line_len = r->pos = 0;
                if (csv_fini(&r->p, on_field, on_record, r) != 0 || r->oom) {
                    if (!r->oom && csv_error(&r->p) == CSV_EPARSE) {
                        tw_error_set(err, TW_EINPUT, r->name, r->rec_start, 0,
                                     "malformed CSV: quoted field is never closed");
                        return -1;
                    }
                    return parse_failed(r, err, r->lineno);
                }
                return r->ready ? deliver(r, err) : 0;
            }
            r->lineno = tw_textin_lineno(r->in);
            r->line_len = len;
            r->pos = 0;
            /* A UTF-8 byte-order mark is an encoding marker, not data. */
            if (r->lineno == 1 && r->line_len >= 3 && memcmp(r->line, "\xEF\xBB\xBF", 3) == 0)
                r->pos = 3;
            int plain = plain_line(r);
            if (plain < 0) return parse_failed(r, err, r->lineno);
            if (r->ready) return deliver(r, err);
            if (plain) continue;
        }
        size_t end = r->pos;
        while (end < r->line_len && r->line[end] != '\r' && r->line[end] != '\n') end++;
        if (end < r->line_len) end++;
        if (r->between) note_start(r, end);
        size_t n = end - r->pos;
        size_t got = csv_parse(&r->p, r->line + r->pos, n, on_field, on_record, r);
        r->pos = end;
        if (got != n || r->oom) return parse_failed(r, err, r->lineno);
        if (r->ready) return deliver(r, err);
    }
}

void tw_csv_allow_extra_fields(tw_csv *r) { r->allow_extra = 1; }

void tw_csv_set_limits(tw_csv *r, size_t max_line, uint64_t max_bytes)
{
    tw_textin_set_limits(r->in, max_line, max_bytes);
}

static int no_space(unsigned char c) { (void)c; return 0; }
void tw_csv_keep_spaces(tw_csv *r)
{
    csv_set_space_func(&r->p, no_space);
    r->keep_spaces = 1;
}

long tw_csv_line(const tw_csv *r) { return r->rec_line; }
size_t tw_csv_nfields(const tw_csv *r) { return r->nf; }
const char *tw_csv_name(const tw_csv *r) { return r->name; }

const char *tw_csv_field(const tw_csv *r, size_t k)
{
    return k < r->nf ? r->buf + r->off[k] : "";
}

static void join_names(char *buf, size_t size, const char *const *names, size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < n && len < size; k++) {
        int w = snprintf(buf + len, size - len, "%s%s", k ? "," : "", names[k]);
        if (w < 0) break;
        len += (size_t)w;
    }
}

tw_status tw_csv_header(tw_csv *r, const char *const *required, size_t nreq,
                        const char *const *optional, size_t nopt, long *idx, tw_error *err)
{
    char expect[200];
    join_names(expect, sizeof expect, required, nreq);
    int got = tw_csv_next(r, err);
    if (got < 0) return err ? err->code : TW_EINPUT;
    if (got == 0)
        return tw_error_set(err, TW_EINPUT, r->name, 0, 0,
                            "empty file (expected header \"%s\")", expect);
    for (size_t k = 0; k < nreq + nopt; k++) idx[k] = -1;
    for (size_t f = 0; f < r->nf; f++) {
        const char *h = tw_csv_field(r, f);
        for (size_t k = 0; k < nreq + nopt; k++) {
            const char *want = k < nreq ? required[k] : optional[k - nreq];
            if (strcmp(h, want) != 0) continue;
            if (idx[k] >= 0)
                return tw_error_set(err, TW_EINPUT, r->name, r->rec_line, 0,
                                    "duplicate column \"%s\"", h);
            idx[k] = (long)f;
        }
    }
    for (size_t k = 0; k < nreq; k++)
        if (idx[k] < 0)
            return tw_error_set(err, TW_EINPUT, r->name, r->rec_line, 0,
                                "missing column \"%s\" (expected header \"%s\")", required[k],
                                expect);
    r->nheader = r->nf;
    return TW_OK;
}

/* test_textin.c - the bounded line reader (src/core/textin.c) and the CSV
 * reader over it (src/core/csv.c): the line limit, the file limit, NUL bytes,
 * missing files, and inputs that never end (/dev/zero, a FIFO fed forever).
 *
 * Small limits stand in for the real ones (1 MiB lines, 256 MiB files) so that
 * every case reads a few kilobytes; one case reads /dev/zero with the real line
 * limit.  No case asserts a time.  Tests run from the repository root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <csv.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/csv.h"
#include "core/textin.h"
#include "../common/fixtures.h"

/* Write text (len bytes) to a new temporary file; its path goes to path. */
static void write_file(char *path, size_t size, const char *text, size_t len)
{
    snprintf(path, size, "%s/tw-textin-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, len), (ssize_t)len);
    close(fd);
}

static tw_textin *open_text(const char *path, size_t max_line, uint64_t max_bytes)
{
    tw_textin *t = NULL;
    tw_error err;
    assert_int_equal(tw_textin_open(&t, path, "in.txt", 0, &err), TW_OK);
    assert_non_null(t);
    tw_textin_set_limits(t, max_line, max_bytes);
    return t;
}

/* A temporary file of known bytes, open for reading, and the last line read. */
typedef struct reading {
    char path[256];
    tw_textin *t;
    tw_error err;
    char *line;
    size_t len;
} reading;

static void read_text(reading *r, const char *text, size_t len, size_t max_line,
                      uint64_t max_bytes)
{
    write_file(r->path, sizeof r->path, text, len);
    r->t = open_text(r->path, max_line, max_bytes);
}

static int next_line(reading *r)
{
    return tw_textin_next(r->t, &r->line, &r->len, &r->err);
}

static void done_reading(reading *r)
{
    tw_textin_close(r->t);
    unlink(r->path);
}

/* text (len bytes) read with these limits: whole lines come back, then the error. */
static void expect_refused(const char *text, size_t len, size_t max_line, uint64_t max_bytes,
                           int whole, const char *error)
{
    reading r;
    read_text(&r, text, len, max_line, max_bytes);
    for (int k = 0; k < whole; k++) assert_int_equal(next_line(&r), 1);
    assert_int_equal(next_line(&r), -1);
    fx_expect_error(&r.err, TW_EINPUT, error);
    done_reading(&r);
}

/* ---- lines -------------------------------------------------------------- */

static void test_lines_come_back_whole_and_numbered_with_their_terminators(void **state)
{
    (void)state;
    const char text[] = "a,b\r\n\nlast line without newline";
    reading r;
    read_text(&r, text, sizeof text - 1, 0, 0);
    assert_int_equal(next_line(&r), 1);
    assert_string_equal(r.line, "a,b\r\n");
    assert_int_equal(r.len, 5);
    assert_int_equal(tw_textin_lineno(r.t), 1);
    assert_int_equal(next_line(&r), 1);
    assert_string_equal(r.line, "\n");
    assert_int_equal(next_line(&r), 1);
    assert_string_equal(r.line, "last line without newline");
    assert_int_equal(tw_textin_lineno(r.t), 3);
    assert_int_equal(next_line(&r), 0);
    assert_int_equal(next_line(&r), 0);
    done_reading(&r);
}

static void test_a_line_at_the_limit_passes_and_one_byte_more_is_refused(void **state)
{
    (void)state;
    /* lines 1-2 have 8 bytes before their terminators ("\n", "\r\n"), line 3 has 9;
     * so has the last line of the second file, which has no terminator */
    const char text[] = "12345678\n12345678\r\n123456789\n";
    expect_refused(text, sizeof text - 1, 8, 0, 2,
                   "in.txt:3: line is longer than the limit of 8 bytes (is this a text file?)");
    const char last[] = "ok\n123456789";
    expect_refused(last, sizeof last - 1, 8, 0, 1,
                   "in.txt:2: line is longer than the limit of 8 bytes (is this a text file?)");
}

static void test_a_file_over_the_byte_limit_is_refused_at_the_line_that_crosses_it(void **state)
{
    (void)state;
    const char text[] = "a,b\nc,d\ne,f\n"; /* 12 bytes */
    reading r;
    read_text(&r, text, sizeof text - 1, 0, 12);
    for (int k = 0; k < 3; k++) assert_int_equal(next_line(&r), 1);
    assert_int_equal(next_line(&r), 0);
    done_reading(&r);
    expect_refused(text, sizeof text - 1, 0, 10, 2,
                   "in.txt:3: file is larger than the limit of 10 bytes for this input");
}

static void test_a_nul_byte_is_bad_input_at_its_line(void **state)
{
    (void)state;
    const char text[] = "code,name\nUSA,Uni\0ted\n";
    expect_refused(text, sizeof text - 1, 0, 0, 1,
                   "in.txt:2: the file contains a NUL byte (expected text)");
}

static void test_dev_zero_is_refused_at_the_real_line_limit(void **state)
{
    (void)state;
    tw_textin *t = NULL;
    tw_error err;
    assert_int_equal(tw_textin_open(&t, "/dev/zero", "/dev/zero", 0, &err), TW_OK);
    char *line;
    size_t len;
    assert_int_equal(tw_textin_next(t, &line, &len, &err), -1);
    fx_expect_error(&err, TW_EINPUT,
                 "/dev/zero:1: line is longer than the limit of 1 MiB (is this a text file?)");
    tw_textin_close(t);
}

static void test_a_missing_file_is_an_io_error_unless_optional(void **state)
{
    (void)state;
    tw_textin *t = (tw_textin *)&t;
    tw_error err;
    assert_int_equal(tw_textin_open(&t, "tests/data/no-such-file.csv", "x.csv", 0, &err), TW_EIO);
    assert_null(t);
    fx_expect_error(&err, TW_EIO, "x.csv: cannot open: No such file or directory");
    assert_int_equal(tw_textin_open(&t, "tests/data/no-such-file.csv", "x.csv", 1, &err), TW_OK);
    assert_null(t);
    tw_csv *r = (tw_csv *)&r;
    assert_int_equal(tw_csv_open(&r, "tests/data/no-such-file.csv", "x.csv", 0, &err), TW_EIO);
    assert_null(r);
    fx_expect_error(&err, TW_EIO, "x.csv: cannot open: No such file or directory");
    tw_textin_close(NULL);
}

static void test_sizes_are_written_as_the_limits_are_documented(void **state)
{
    (void)state;
    char buf[32];
    tw_textin_size_text(TW_INPUT_MAX_LINE, buf, sizeof buf);
    assert_string_equal(buf, "1 MiB");
    tw_textin_size_text(TW_INPUT_MAX_BYTES, buf, sizeof buf);
    assert_string_equal(buf, "256 MiB");
    tw_textin_size_text(TW_IMPORT_MAX_BYTES, buf, sizeof buf);
    assert_string_equal(buf, "4 GiB");
    tw_textin_size_text(4096, buf, sizeof buf);
    assert_string_equal(buf, "4 KiB");
    tw_textin_size_text(1000, buf, sizeof buf);
    assert_string_equal(buf, "1000 bytes");
}

/* ---- the CSV reader ----------------------------------------------------- */

/* A FIFO fed forever with the header and then row, by a child process that
 * dies of SIGPIPE once the reader has closed its end. */
typedef struct feeder {
    char dir[256], path[300];
    pid_t pid;
} feeder;

static void feed_forever(feeder *f, const char *header, const char *row)
{
    snprintf(f->dir, sizeof f->dir, "%s/tw-fifo-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->path, sizeof f->path, "%s/endless.csv", f->dir);
    assert_int_equal(mkfifo(f->path, 0600), 0);
    f->pid = fork();
    assert_true(f->pid >= 0);
    if (f->pid == 0) {
        signal(SIGPIPE, SIG_DFL);
        FILE *out = fopen(f->path, "w");
        if (!out) _exit(1);
        fputs(header, out);
        for (;;)
            if (fputs(row, out) < 0) _exit(0);
    }
}

static void feeder_done(feeder *f)
{
    int status;
    assert_int_equal(waitpid(f->pid, &status, 0), f->pid);
    /* killed by SIGPIPE, or stopped at a write error: either way it ended */
    assert_true(WIFSIGNALED(status) || WIFEXITED(status));
    unlink(f->path);
    rmdir(f->dir);
}

static void test_an_endless_csv_stream_stops_at_the_file_limit(void **state)
{
    (void)state;
    feeder f;
    feed_forever(&f, "a,b,c,d\n", "a,b,c,d\n");
    tw_csv *r = NULL;
    tw_error err;
    assert_int_equal(tw_csv_open(&r, f.path, "endless.csv", 0, &err), TW_OK);
    tw_csv_set_limits(r, 0, 64 * 1024);
    const char *req[] = {"a", "b"};
    long idx[2];
    assert_int_equal(tw_csv_header(r, req, 2, NULL, 0, idx, &err), TW_OK);
    long rows = 0;
    int got;
    while ((got = tw_csv_next(r, &err)) > 0) rows++;
    assert_int_equal(got, -1);
    /* 8 bytes a line: lines 1..8192 fill 64 KiB exactly, line 8193 crosses */
    assert_int_equal(rows, 8191);
    fx_expect_error(&err, TW_EINPUT, "endless.csv:8193: file is larger than the limit of 64 KiB "
                                  "for this input");
    tw_csv_close(r);
    feeder_done(&f);
}

static void test_dev_zero_as_csv_is_refused_at_line_one(void **state)
{
    (void)state;
    tw_csv *r = NULL;
    tw_error err;
    assert_int_equal(tw_csv_open(&r, "/dev/zero", "/dev/zero", 0, &err), TW_OK);
    const char *req[] = {"importer"};
    long idx[1];
    assert_int_equal(tw_csv_header(r, req, 1, NULL, 0, idx, &err), TW_EINPUT);
    fx_expect_error(&err, TW_EINPUT,
                 "/dev/zero:1: line is longer than the limit of 1 MiB (is this a text file?)");
    tw_csv_close(r);
}

static void test_a_wide_row_within_the_line_limit_is_read(void **state)
{
    (void)state;
    /* an ICIO row: 60 000 characters is well inside 1 MiB */
    size_t n = 6000;
    char *text = malloc(n * 20 + 32); /* two lines of n fields of 9 bytes */
    assert_non_null(text);
    size_t len = 0;
    for (size_t k = 0; k < n; k++) len += (size_t)sprintf(text + len, "%sc%07zu", k ? "," : "", k);
    text[len++] = '\n';
    for (size_t k = 0; k < n; k++) len += (size_t)sprintf(text + len, "%s1.5e3000", k ? "," : "");
    text[len++] = '\n';
    char path[256];
    write_file(path, sizeof path, text, len);
    free(text);
    tw_csv *r = NULL;
    tw_error err;
    assert_int_equal(tw_csv_open(&r, path, "wide.csv", 0, &err), TW_OK);
    const char *req[] = {"c0000000", "c0005999"};
    long idx[2];
    assert_int_equal(tw_csv_header(r, req, 2, NULL, 0, idx, &err), TW_OK);
    assert_int_equal(idx[1], 5999);
    assert_int_equal(tw_csv_next(r, &err), 1);
    assert_int_equal(tw_csv_nfields(r), n);
    assert_int_equal(tw_csv_next(r, &err), 0);
    tw_csv_close(r);
    unlink(path);
}

/* ---- the CSV reader against libcsv itself --------------------------------- */

/* Records as one string: fields joined by '|', records ended by '\n' (the
 * random texts hold neither byte inside a field: '|' is not in the alphabet
 * and '\n' only in quoted fields, whose records are compared the same way). */
typedef struct joined {
    char text[8192];
    size_t len;
    int fields; /* fields of the record being built */
} joined;

static void join_char(joined *j, char c)
{
    if (j->len + 1 < sizeof j->text) j->text[j->len++] = c;
    j->text[j->len] = '\0';
}

static void join_field(void *s, size_t len, void *data)
{
    joined *j = data;
    if (j->fields++) join_char(j, '|');
    for (size_t k = 0; k < len; k++) join_char(j, ((const char *)s)[k]);
}

static void join_record(int c, void *data)
{
    joined *j = data;
    (void)c;
    join_char(j, '\n');
    j->fields = 0;
}

static int no_blank(unsigned char c)
{
    (void)c;
    return 0;
}

/* libcsv over the whole text at once: the reference; 0 when it refuses it. */
static int libcsv_records(const char *text, size_t len, int keep_spaces, joined *out)
{
    struct csv_parser p;
    assert_int_equal(csv_init(&p, CSV_STRICT | CSV_STRICT_FINI), 0);
    if (keep_spaces) csv_set_space_func(&p, no_blank);
    memset(out, 0, sizeof *out);
    int ok = csv_parse(&p, text, len, join_field, join_record, out) == len &&
             csv_fini(&p, join_field, join_record, out) == 0;
    csv_free(&p);
    return ok;
}

/* The same text through tw_csv; 0 when it refuses it. */
static int tw_csv_records(const char *path, int keep_spaces, joined *out)
{
    tw_csv *r = NULL;
    tw_error err;
    assert_int_equal(tw_csv_open(&r, path, "random.csv", 0, &err), TW_OK);
    if (keep_spaces) tw_csv_keep_spaces(r);
    memset(out, 0, sizeof *out);
    int got;
    while ((got = tw_csv_next(r, &err)) > 0) {
        for (size_t f = 0; f < tw_csv_nfields(r); f++) {
            const char *field = tw_csv_field(r, f);
            join_field((void *)(uintptr_t)field, strlen(field), out);
        }
        join_record('\n', out);
    }
    tw_csv_close(r);
    return got == 0;
}

/* Random texts of commas, blanks, line ends (LF, CRLF, lone CR), letters,
 * blank lines and now and then a quote: tw_csv, which splits lines without
 * quotes itself, gives exactly libcsv's records, and refuses what libcsv
 * refuses; with blanks kept (tw_csv_keep_spaces) too. */
static void test_csv_records_are_those_of_libcsv(void **state)
{
    (void)state;
    static const char alphabet[] = "ab1.,,,  \t\t\n\n\n\r";
    uint64_t seed = UINT64_C(88172645463325252);
    char text[600];
    for (int round = 0; round < 3000; round++) {
        size_t len = 0, n = (size_t)(seed % 500);
        for (size_t k = 0; k < n; k++) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            char c = alphabet[seed % (sizeof alphabet - 1)];
            if (seed % 997 == 0) c = '"';
            if (c == '\r' && seed % 3) {
                text[len++] = '\r';
                c = '\n';
            }
            text[len++] = c;
        }
        int keep = round % 4 == 3;
        char path[256];
        write_file(path, sizeof path, text, len);
        joined want, got;
        int want_ok = libcsv_records(text, len, keep, &want);
        int got_ok = tw_csv_records(path, keep, &got);
        unlink(path);
        assert_int_equal(got_ok, want_ok);
        if (want_ok) assert_string_equal(got.text, want.text);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lines_come_back_whole_and_numbered_with_their_terminators),
        cmocka_unit_test(test_a_line_at_the_limit_passes_and_one_byte_more_is_refused),
        cmocka_unit_test(test_a_file_over_the_byte_limit_is_refused_at_the_line_that_crosses_it),
        cmocka_unit_test(test_a_nul_byte_is_bad_input_at_its_line),
        cmocka_unit_test(test_dev_zero_is_refused_at_the_real_line_limit),
        cmocka_unit_test(test_a_missing_file_is_an_io_error_unless_optional),
        cmocka_unit_test(test_sizes_are_written_as_the_limits_are_documented),
        cmocka_unit_test(test_an_endless_csv_stream_stops_at_the_file_limit),
        cmocka_unit_test(test_dev_zero_as_csv_is_refused_at_line_one),
        cmocka_unit_test(test_a_wide_row_within_the_line_limit_is_read),
        cmocka_unit_test(test_csv_records_are_those_of_libcsv),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_faults_inputs.c - inputs that never end, at every reader of the library.
 *
 * /dev/zero holds NUL bytes and no line end: every reader must refuse it after
 * the line limit (1 MiB), here with the real limit.  A FIFO fed forever with
 * lines that are each fine (blank lines, comments, a valid row repeated) must
 * be refused at the file limit; the *_limited entry points (private) take a
 * small limit so that a case reads 64 KiB, not 256 MiB.  Each case checks the
 * exact message, with the line that crosses the limit, and that a refused
 * counterfactual changes nothing.  No case asserts a time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tradewar/data.h"
#include "tradewar/policy.h"
#include "tradewar/scenario.h"
#include "tradewar/world.h"
#include "../common/fixtures.h"
#include "shock/shock_impl.h"
#include "scenario/scenario_impl.h"
#include "world/import_impl.h"
#include "world/world_impl.h"

#define TINY TW_SOURCE_DIR "/tests/data/good/tiny3x2"
#define LIMIT ((uint64_t)64 << 10)

static const char *const world_files[] = {"countries.csv", "sectors.csv", "trade.csv",
                                          "tariffs.csv", "io.csv", "meta.csv"};

/* A copy of tiny3x2 in dir, except the file named skip, made by the caller
 * at path. */
static void copy_world(const char *dir, const char *skip, char *path, size_t size)
{
    fx_path(path, size, dir, skip);
    for (size_t k = 0; k < sizeof world_files / sizeof world_files[0]; k++) {
        if (strcmp(world_files[k], skip) == 0) continue;
        char cmd[1400];
        snprintf(cmd, sizeof cmd, "cp '%s/%s' '%s/%s'", TINY, world_files[k], dir, world_files[k]);
        assert_int_equal(system(cmd), 0);
    }
}

/* path becomes a FIFO fed with header and then row forever, by a child that
 * dies of SIGPIPE (or stops at a write error) once the reader has closed it. */
static pid_t feed_forever(const char *path, const char *header, const char *row)
{
    assert_int_equal(mkfifo(path, 0600), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        signal(SIGPIPE, SIG_DFL);
        FILE *out = fopen(path, "w");
        if (!out) _exit(1);
        fputs(header, out);
        for (;;)
            if (fputs(row, out) < 0) _exit(0);
    }
    return pid;
}

static void feeder_done(pid_t pid)
{
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status) || WIFEXITED(status));
}

/* The line that crosses LIMIT when a header of h bytes is followed by rows of
 * r bytes: lines 1..L use h + (L - 1) r bytes. */
static long crossing_line(size_t h, size_t r) { return (long)((LIMIT - h) / r) + 2; }

/* ---- world files -------------------------------------------------------- */

static void test_a_world_file_fed_forever_stops_at_the_file_limit(void **state)
{
    const char *dir = *state;
    char path[600], want[200];
    copy_world(dir, "countries.csv", path, sizeof path);
    pid_t pid = feed_forever(path, "code,name\n", "\n"); /* blank lines are skipped */
    tw_error err;
    assert_null(tw_world_load_limited(dir, LIMIT, &err));
    feeder_done(pid);
    snprintf(want, sizeof want, "countries.csv:%ld: file is larger than the limit of 64 KiB for "
             "this input", crossing_line(10, 1));
    fx_expect_error(&err, TW_EINPUT, want);
}

static void test_a_world_file_that_is_dev_zero_stops_at_the_line_limit(void **state)
{
    const char *dir = *state;
    char path[600];
    copy_world(dir, "trade.csv", path, sizeof path);
    assert_int_equal(symlink("/dev/zero", path), 0);
    tw_error err;
    assert_null(tw_world_load(dir, &err));
    fx_expect_error(&err, TW_EINPUT,
                 "trade.csv:1: line is longer than the limit of 1 MiB (is this a text file?)");
}

static void test_a_nul_byte_in_a_world_file_is_bad_input_with_its_line(void **state)
{
    const char *dir = *state;
    char path[600];
    copy_world(dir, "meta.csv", path, sizeof path);
    static const char text[] = "key,value\nyear,20\0" "24\n";
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, sizeof text - 1, f), sizeof text - 1);
    fclose(f);
    tw_error err;
    assert_null(tw_world_load(dir, &err));
    fx_expect_error(&err, TW_EINPUT, "meta.csv:2: the file contains a NUL byte (expected text)");
}

/* ---- counterfactuals and NTB files -------------------------------------- */

static void test_a_counterfactual_fed_forever_stops_at_the_file_limit_and_changes_nothing(
    void **state)
{
    (void)state;
    tw_error err;
    tw_world *w = tw_world_load(TINY, &err);
    assert_non_null(w);
    tw_shock *s = tw_shock_create(w, &err);
    assert_non_null(s);
    for (int ntb = 0; ntb <= 1; ntb++) {
        char dir[512], path[600], want[800];
        fx_scratch(dir, sizeof dir, "inputs");
        fx_path(path, sizeof path, dir, "endless.csv");
        /* every row is valid: a later row overrides an earlier one */
        const char *header = ntb ? "importer,exporter,sector,factor\n"
                                 : "importer,exporter,sector,rate\n";
        pid_t pid = feed_forever(path, header, "USA,CHN,GDS,1.5\n");
        assert_int_equal(tw_shock_load_limited(s, path, ntb, LIMIT, &err), TW_EINPUT);
        feeder_done(pid);
        snprintf(want, sizeof want, "%s:%ld: file is larger than the limit of 64 KiB for this "
                 "input", path, crossing_line(strlen(header), 16));
        fx_expect_error(&err, TW_EINPUT, want);
        fx_remove_tree(dir);
    }
    assert_memory_equal(tw_shock_tariffs(s), tw_world_tariffs(w), 18 * sizeof(double));
    for (size_t c = 0; c < 18; c++) assert_true(tw_shock_dhat(s)[c] == 1.0);
    assert_int_equal(tw_shock_load_tariffs(s, "/dev/zero", &err), TW_EINPUT);
    fx_expect_error(&err, TW_EINPUT,
                 "/dev/zero:1: line is longer than the limit of 1 MiB (is this a text file?)");
    assert_int_equal(tw_shock_load_ntb(s, "/dev/zero", &err), TW_EINPUT);
    fx_expect_error(&err, TW_EINPUT,
                 "/dev/zero:1: line is longer than the limit of 1 MiB (is this a text file?)");
    tw_shock_free(s);
    tw_world_free(w);
}

/* ---- scenarios ---------------------------------------------------------- */

static void test_a_scenario_fed_forever_stops_at_the_file_limit(void **state)
{
    const char *dir = *state;
    char path[600], want[800];
    fx_path(path, sizeof path, dir, "endless.tw");
    pid_t pid = feed_forever(path, "scenario \"endless\"\n", "# a comment, again\n");
    tw_error err;
    assert_null(tw_scenario_load_limited(path, LIMIT, &err));
    feeder_done(pid);
    snprintf(want, sizeof want, "%s:%ld: file is larger than the limit of 64 KiB for this input",
             path, crossing_line(19, 19));
    fx_expect_error(&err, TW_EINPUT, want);
    assert_null(tw_scenario_load("/dev/zero", &err));
    fx_expect_error(&err, TW_EINPUT,
                 "/dev/zero:1: line is longer than the limit of 1 MiB (is this a text file?)");
}

/* ---- importer inputs ---------------------------------------------------- */

static void test_an_importer_input_fed_forever_stops_at_the_importer_limit(void **state)
{
    const char *dir = *state;
    char path[600], want[800];
    fx_path(path, sizeof path, dir, "trade.csv");
    tw_error err;
    tw_importer *im = tw_importer_create(&err);
    assert_non_null(im);
    assert_int_equal(im->max_bytes, TW_IMPORT_MAX_BYTES);
    tw_importer_set_max_bytes(im, LIMIT);
    pid_t pid = feed_forever(path, "importer,exporter,value\n", "\n");
    assert_null(tw_import_bilateral(im, path, TW_SOURCE_DIR "/tests/data/import/gdp3.csv", &err));
    feeder_done(pid);
    snprintf(want, sizeof want, "%s:%ld: file is larger than the limit of 64 KiB for this input",
             path, crossing_line(24, 1));
    fx_expect_error(&err, TW_EINPUT, want);
    tw_importer_free(im);
    im = tw_importer_create(&err); /* the real limits */
    assert_non_null(im);
    assert_int_equal(tw_importer_set_theta(im, 4), TW_OK);
    assert_null(tw_import_icio(im, "/dev/zero", &err));
    fx_expect_error(&err, TW_EINPUT,
                 "/dev/zero:1: line is longer than the limit of 1 MiB (is this a text file?)");
    assert_null(tw_import_wiod(im, "/dev/zero", &err));
    fx_expect_error(&err, TW_EINPUT,
                 "/dev/zero:1: line is longer than the limit of 1 MiB (is this a text file?)");
    tw_importer_free(im);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        fx_scratch_test(test_a_world_file_fed_forever_stops_at_the_file_limit),
        fx_scratch_test(test_a_world_file_that_is_dev_zero_stops_at_the_line_limit),
        fx_scratch_test(test_a_nul_byte_in_a_world_file_is_bad_input_with_its_line),
        cmocka_unit_test(
            test_a_counterfactual_fed_forever_stops_at_the_file_limit_and_changes_nothing),
        fx_scratch_test(test_a_scenario_fed_forever_stops_at_the_file_limit),
        fx_scratch_test(test_an_importer_input_fed_forever_stops_at_the_importer_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

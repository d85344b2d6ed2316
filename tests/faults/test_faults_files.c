/* test_faults_files.c - files that cannot be read and files cut short.
 *
 * Unreadable: chmod 000 does not stop root, so each case uses something that
 * fails for root too: a directory where a file is expected (open succeeds,
 * read fails with EISDIR), a symbolic-link loop (open fails with ELOOP) and
 * /proc/self/mem (open succeeds, reading offset 0 fails with EIO).  Each must
 * give TW_EIO naming the file, for world files, optional world files,
 * counterfactual files and scenario files.
 *
 * Truncated: every prefix of every file of tests/data/good/tiny3x2, of a
 * counterfactual file and of a scenario file is loaded in turn.  A cut can
 * leave valid data (at a line end, or inside a number), so the promise is
 * that each load either succeeds or fails with TW_EINPUT and a message
 * naming the file, never anything else; a counterfactual that fails leaves
 * the shock as it was; and a cut inside a quoted field or a row gives the
 * exact message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tradewar/policy.h"
#include "tradewar/scenario.h"
#include "tradewar/world.h"
#include "../common/fixtures.h"

#define TINY TW_SOURCE_DIR "/tests/data/good/tiny3x2"

static const char *const world_files[] = {"countries.csv", "sectors.csv", "trade.csv",
                                          "tariffs.csv", "io.csv", "meta.csv"};
#define N_WORLD_FILES (sizeof world_files / sizeof world_files[0])

/* ---- helpers ------------------------------------------------------------ */

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = malloc(65536);
    assert_non_null(buf);
    *len = fread(buf, 1, 65536, f);
    fclose(f);
    return buf;
}

static void spit(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* A copy of tiny3x2 in the folder dir. */
static void fill_world(const char *dir)
{
    for (size_t k = 0; k < N_WORLD_FILES; k++) {
        char src[512], dst[512];
        size_t len;
        snprintf(src, sizeof src, "%s/%s", TINY, world_files[k]);
        snprintf(dst, sizeof dst, "%s/%s", dir, world_files[k]);
        char *data = slurp(src, &len);
        spit(dst, data, len);
        free(data);
    }
}

/* A fresh copy of tiny3x2 in a temporary folder; its path in dir. */
static void copy_world(char *dir, size_t size)
{
    fx_scratch(dir, size, "faults");
    fill_world(dir);
}

/* cmocka set-up: *state is a scratch folder holding a copy of tiny3x2. */
static int world_copy_setup(void **state)
{
    if (fx_scratch_setup(state) != 0) return -1;
    fill_world(*state);
    return 0;
}

#define on_a_world_copy(test) \
    cmocka_unit_test_setup_teardown(test, world_copy_setup, fx_scratch_teardown)

/* Replace file name of dir by an unreadable thing of the given kind. */
enum unreadable { AS_DIRECTORY, AS_LINK_LOOP, AS_PROC_MEM };

static void make_unreadable(const char *path, enum unreadable kind)
{
    char a[600], b[600];
    unlink(path);
    switch (kind) {
    case AS_DIRECTORY:
        assert_int_equal(mkdir(path, 0700), 0);
        break;
    case AS_LINK_LOOP:
        snprintf(a, sizeof a, "%s.loop", path);
        assert_int_equal(symlink(a, path), 0);
        snprintf(b, sizeof b, "%s", path);
        assert_int_equal(symlink(b, a), 0);
        break;
    case AS_PROC_MEM:
        assert_int_equal(symlink("/proc/self/mem", path), 0);
        break;
    }
}

static const char *what(enum unreadable kind)
{
    return kind == AS_DIRECTORY ? "read error: Is a directory"
           : kind == AS_LINK_LOOP ? "cannot open: Too many levels of symbolic links"
                                  : "read error: Input/output error";
}

/* ---- unreadable files ----------------------------------------------------- */

static void test_unreadable_world_files_are_io_errors_naming_the_file(void **state)
{
    (void)state;
    const char *names[] = {"countries.csv", "trade.csv", "io.csv", "meta.csv"};
    for (int kind = AS_DIRECTORY; kind <= AS_PROC_MEM; kind++)
        for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
            char dir[512], path[600], want[300];
            copy_world(dir, sizeof dir);
            snprintf(path, sizeof path, "%s/%s", dir, names[k]);
            make_unreadable(path, (enum unreadable)kind);
            tw_error err;
            tw_world *w = tw_world_load(dir, &err);
            assert_null(w);
            snprintf(want, sizeof want, "%s: %s", names[k], what((enum unreadable)kind));
            fx_expect_error(&err, TW_EIO, want);
            fx_remove_tree(dir);
        }
}

static void test_an_unreadable_counterfactual_is_an_io_error_and_changes_nothing(void **state)
{
    (void)state;
    tw_error err;
    tw_world *w = tw_world_load(TINY, &err);
    assert_non_null(w);
    for (int kind = AS_DIRECTORY; kind <= AS_PROC_MEM; kind++) {
        char dir[512], path[600], want[800];
        copy_world(dir, sizeof dir);
        snprintf(path, sizeof path, "%s/cf.csv", dir);
        make_unreadable(path, (enum unreadable)kind);
        tw_shock *s = tw_shock_create(w, &err);
        assert_non_null(s);
        assert_int_equal(tw_shock_load_tariffs(s, path, &err), TW_EIO);
        snprintf(want, sizeof want, "%s: %s", path, what((enum unreadable)kind));
        fx_expect_error(&err, TW_EIO, want);
        assert_int_equal(tw_shock_load_ntb(s, path, &err), TW_EIO);
        fx_expect_error(&err, TW_EIO, want);
        assert_memory_equal(tw_shock_tariffs(s), tw_world_tariffs(w), 18 * sizeof(double));
        tw_shock_free(s);
        fx_remove_tree(dir);
    }
    tw_world_free(w);
}

static void test_an_unreadable_scenario_is_an_io_error(void **state)
{
    (void)state;
    for (int kind = AS_DIRECTORY; kind <= AS_PROC_MEM; kind++) {
        char dir[512], path[600], want[800];
        copy_world(dir, sizeof dir);
        snprintf(path, sizeof path, "%s/s.tw", dir);
        make_unreadable(path, (enum unreadable)kind);
        tw_error err;
        assert_null(tw_scenario_load(path, &err));
        /* the scenario reader and the CSV reader share one line reader */
        snprintf(want, sizeof want, "%s: %s", path, what((enum unreadable)kind));
        fx_expect_error(&err, TW_EIO, want);
        fx_remove_tree(dir);
    }
}

/* ---- truncated files ------------------------------------------------------ */

static void test_every_cut_of_every_world_file_loads_or_names_the_file(void **state)
{
    const char *dir = *state;
    long loads = 0, failures = 0;
    for (size_t k = 0; k < N_WORLD_FILES; k++) {
        char path[600];
        size_t len;
        fx_path(path, sizeof path, dir, world_files[k]);
        char *full = slurp(path, &len);
        for (size_t cut = 0; cut < len; cut++) {
            spit(path, full, cut);
            tw_error err;
            tw_world *w = tw_world_load(dir, &err);
            loads++;
            if (w) {
                tw_world_free(w);
                continue;
            }
            failures++;
            if (err.code != TW_EINPUT || !err.msg[0] || !err.file[0])
                fail_msg("%s cut at byte %zu: status %d, file \"%s\": %s", world_files[k], cut,
                         (int)err.code, err.file, err.msg);
        }
        spit(path, full, len);
        free(full);
    }
    print_message("%ld truncated worlds loaded, %ld refused\n", loads - failures, failures);
    assert_true(failures > loads / 2);
}

static void test_a_world_file_cut_mid_row_gives_the_row_and_line(void **state)
{
    const char *dir = *state;
    char path[600];
    size_t len;
    tw_error err;
    /* trade.csv ends "MEX,MEX,SRV,300\n": cut inside the sector code */
    fx_path(path, sizeof path, dir, "trade.csv");
    char *full = slurp(path, &len);
    spit(path, full, len - 7);
    assert_null(tw_world_load(dir, &err));
    fx_expect_error(&err, TW_EINPUT, "trade.csv:19: row has 3 fields (expected 4 as in the header)");
    spit(path, full, len);
    free(full);
    /* countries.csv ends with a quoted name: cut inside the quotes */
    fx_path(path, sizeof path, dir, "countries.csv");
    full = slurp(path, &len);
    spit(path, full, len - 10);
    assert_null(tw_world_load(dir, &err));
    fx_expect_error(&err, TW_EINPUT, "countries.csv:4: malformed CSV: quoted field is never closed");
    free(full);
}

static void test_every_cut_of_a_counterfactual_applies_whole_or_not_at_all(void **state)
{
    const char *dir = *state;
    char path[600];
    size_t len;
    tw_error err;
    tw_world *w = tw_world_load(TINY, &err);
    assert_non_null(w);
    char *full = slurp(TW_SOURCE_DIR "/tests/data/good/cf/override.csv", &len);
    fx_path(path, sizeof path, dir, "cf.csv");
    for (size_t cut = 0; cut < len; cut++) {
        spit(path, full, cut);
        tw_shock *s = tw_shock_create(w, &err);
        assert_non_null(s);
        tw_status st = tw_shock_load_tariffs(s, path, &err);
        if (st != TW_OK) {
            if (st != TW_EINPUT || !err.msg[0] || strcmp(err.file, path) != 0)
                fail_msg("cut at byte %zu: status %d: %s", cut, (int)st, err.msg);
            assert_memory_equal(tw_shock_tariffs(s), tw_world_tariffs(w), 18 * sizeof(double));
        }
        tw_shock_free(s);
    }
    free(full);
    tw_world_free(w);
}

static void test_every_cut_of_a_scenario_parses_or_names_file_and_line(void **state)
{
    const char *dir = *state;
    char path[600];
    size_t len;
    char *full = slurp(TW_SOURCE_DIR "/tests/faults/tiny3x2.tw", &len);
    fx_path(path, sizeof path, dir, "s.tw");
    long parsed = 0;
    for (size_t cut = 0; cut < len; cut++) {
        spit(path, full, cut);
        tw_error err;
        tw_scenario *sc = tw_scenario_load(path, &err);
        if (sc) {
            parsed++;
            tw_scenario_free(sc);
            continue;
        }
        if (err.code != TW_EINPUT || !err.msg[0] || strcmp(err.file, path) != 0)
            fail_msg("cut at byte %zu: status %d: %s", cut, (int)err.code, err.msg);
    }
    print_message("%ld of %zu cuts parse\n", parsed, len);
    free(full);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unreadable_world_files_are_io_errors_naming_the_file),
        cmocka_unit_test(test_an_unreadable_counterfactual_is_an_io_error_and_changes_nothing),
        cmocka_unit_test(test_an_unreadable_scenario_is_an_io_error),
        on_a_world_copy(test_every_cut_of_every_world_file_loads_or_names_the_file),
        on_a_world_copy(test_a_world_file_cut_mid_row_gives_the_row_and_line),
        on_a_world_copy(test_every_cut_of_a_counterfactual_applies_whole_or_not_at_all),
        on_a_world_copy(test_every_cut_of_a_scenario_parses_or_names_file_and_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

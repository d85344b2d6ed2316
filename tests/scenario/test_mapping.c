/* test_mapping.c - a scenario's shares against its mapping table: the shipped
 * scenarios pass, every branch counts, shares of 1 need no row, a wildcard
 * sector is one row, and a replay checks the table as --check does.  The
 * errors with their exact text are in the broken corpus
 * (tests/data/scenarios/bad/mapping_*). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tradewar/scenario.h"
#include "tradewar/world.h"
#include "../common/fixtures.h"

#define DATA TW_SOURCE_DIR "/data"
#define TINY TW_SOURCE_DIR "/tests/data/good/tiny3x2"
#define HEADER "ref,layer,exporters,importers,sector,share,basis\n"

/* The scratch folder of this program: s.tw, m.csv and what a test adds. */
static char dir[256];

static int setup(void **state)
{
    (void)state;
    fx_scratch(dir, sizeof dir, "map");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fx_remove_tree(dir);
    return 0;
}

/* Load s.tw and, on tiny3x2, check it (replay 0) or replay it with the
 * events in set without a check first (replay 1). */
static tw_status on_tiny(int replay, const char *const *set, size_t nset, tw_error *err)
{
    char p[300];
    snprintf(p, sizeof p, "%s/s.tw", dir);
    tw_scenario *sc = tw_scenario_load(p, err);
    if (!sc) fail_msg("parse: %s:%ld:%ld: %s", err->file, err->line, err->col, err->msg);
    tw_world *w = fx_load(TINY);
    tw_status st;
    if (replay) {
        tw_timeline *tl = tw_timeline_run(sc, w, set, nset, NULL, err);
        st = tl ? TW_OK : err->code;
        tw_timeline_free(tl);
    } else {
        st = tw_scenario_check(sc, w, err);
    }
    tw_world_free(w);
    tw_scenario_free(sc);
    return st;
}

/* Write s.tw (and m.csv unless rows is NULL), load it and check it on tiny3x2. */
static tw_status check(const char *text, const char *rows, tw_error *err)
{
    char csv[1024];
    fx_write_in(dir, "s.tw", text);
    if (rows) {
        snprintf(csv, sizeof csv, HEADER "%s", rows);
        fx_write_in(dir, "m.csv", csv);
    }
    return on_tiny(0, NULL, 0, err);
}

/* Replay s.tw on tiny3x2 with the events in set, without a check first. */
static tw_status run(const char *const *set, size_t nset, tw_error *err) { return on_tiny(1, set, nset, err); }

static void test_every_shipped_scenario_passes_the_check_on_its_world(void **state)
{
    (void)state;
    DIR *d = opendir(DATA "/scenarios");
    assert_non_null(d);
    struct dirent *de;
    int n = 0;
    while ((de = readdir(d)) != NULL) {
        size_t len = strlen(de->d_name);
        if (len < 4 || strcmp(de->d_name + len - 3, ".tw") != 0) continue;
        char p[600], wdir[600];
        tw_error err;
        snprintf(p, sizeof p, DATA "/scenarios/%s", de->d_name);
        tw_scenario *sc = tw_scenario_load(p, &err);
        if (!sc) fail_msg("%s: %s", de->d_name, err.msg);
        assert_non_null(tw_scenario_mapping(sc));
        snprintf(wdir, sizeof wdir, DATA "/%s", tw_scenario_world(sc));
        tw_world *w = tw_world_load(wdir, &err);
        assert_non_null(w);
        if (tw_scenario_check(sc, w, &err) != TW_OK)
            fail_msg("%s: %s:%ld:%ld: %s", de->d_name, err.file, err.line, err.col, err.msg);
        tw_world_free(w);
        tw_scenario_free(sc);
        n++;
    }
    closedir(d);
    assert_true(n >= 2); /* us-china-2025.tw and example.tw */
}

/* A row used only under an event, or only without it, is used: the check
 * takes every branch, so neither replay is needed to see it. */
static const char *branchy =
    "scenario \"t\"\nfocus USA CHN\nmapping m.csv\nevent deal \"a deal\"\n"
    "step 2025-01-01 \"war\"\n  set f CHN -> USA GDS 20% share 0.5\n"
    "step 2025-02-01 \"deal\" if deal\n  exempt f CHN -> USA GDS share 0.25\n"
    "step 2025-03-01 \"answer\"\n  set g USA -> CHN GDS 10% share 0.4 if !deal\n";
#define BRANCHY_ROWS ",f,CHN,USA,GDS,0.5,a\n,f,CHN,USA,GDS,0.25,b\n,g,USA,CHN,GDS,0.4,c\n"

static void test_a_row_used_in_one_branch_only_is_used(void **state)
{
    (void)state;
    tw_error err;
    assert_int_equal(check(branchy, BRANCHY_ROWS, &err), TW_OK);
    const char *set[] = {"deal"};
    assert_int_equal(run(set, 1, &err), TW_OK);
    assert_int_equal(run(NULL, 0, &err), TW_OK);
}

/* The same checks run in a replay: a broken table stops it before any solve,
 * whatever events are set. */
static void test_a_replay_checks_the_mapping_as_the_check_does(void **state)
{
    (void)state;
    tw_error err;
    char want[600];
    assert_int_equal(check(branchy, BRANCHY_ROWS ",g,USA,CHN,GDS,0.3,d\n", &err), TW_EINPUT);
    snprintf(want, sizeof want, "%s/m.csv", dir);
    assert_string_equal(err.file, want);
    assert_int_equal(err.line, 5);
    assert_string_equal(err.msg, "share 0.3 of layer \"g\" on USA -> CHN GDS is used by no action of the scenario, in any branch");
    const char *set[] = {"deal"};
    tw_error_clear(&err);
    assert_int_equal(run(set, 1, &err), TW_EINPUT);
    assert_string_equal(err.file, want);
    assert_int_equal(err.line, 5);

    fx_write_in(dir, "s.tw", "scenario \"t\"\nfocus USA CHN\nmapping gone.csv\n"
                "step 2025-01-01 \"x\"\n  set f CHN -> USA GDS 20%\n");
    assert_int_equal(run(NULL, 0, &err), TW_EIO);
    snprintf(want, sizeof want, "cannot open the mapping table \"%s/gone.csv\": No such file or directory", dir);
    assert_string_equal(err.msg, want);
    assert_int_equal(err.line, 3);
    assert_int_equal(err.col, 9);
}

/* A share of 1 (written or not) needs no row; a row of 1 is used by it. */
static void test_a_share_of_one_needs_no_row_and_uses_a_row_of_one(void **state)
{
    (void)state;
    static const char *const cases[][2] = { /* s.tw, m.csv */
        {"scenario \"t\"\nfocus USA CHN\nmapping m.csv\nstep 2025-01-01 \"x\"\n  set f CHN -> USA GDS 20%\n"
         "  exempt f MEX -> USA GDS\n  set h CHN -> USA GDS 5% share 1\n",
         ",f,MEX,USA,GDS,1,all of it\n"},
        /* no mapping statement at all: nothing below 1, nothing to state */
        {"scenario \"t\"\nfocus USA CHN\nstep 2025-01-01 \"x\"\n  set f CHN -> USA * 20%\n  exempt f MEX -> USA *\n",
         NULL},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        tw_error err;
        assert_int_equal(check(cases[k][0], cases[k][1], &err), TW_OK);
    }
}

/* A wildcard sector spec is one row, written as in the action; a list is a
 * row per code; the ref is part of the key. */
static void test_a_wildcard_sector_is_one_row_and_a_list_one_row_per_code(void **state)
{
    (void)state;
    tw_error err;
    const char *text = "scenario \"t\"\nfocus USA CHN\nmapping m.csv\n"
                       "step 2025-01-01 \"x\"\n  set f CHN -> USA *-SRV 20% share 0.5 ref r:1\n"
                       "  ntb n CHN -> USA GDS,SRV ave 10% share 0.2\n";
    assert_int_equal(check(text, "r:1,f,CHN,USA,*-SRV,0.5,a\n,n,CHN,USA,GDS,0.2,b\n,n,CHN,USA,SRV,0.2,c\n", &err),
                     TW_OK);
    assert_int_equal(check(text, ",f,CHN,USA,*-SRV,0.5,a\n,n,CHN,USA,GDS,0.2,b\n,n,CHN,USA,SRV,0.2,c\n", &err),
                     TW_EINPUT);
    assert_int_equal(err.line, 5);
    assert_int_equal(err.col, 20);
    assert_string_equal(err.msg, "share 0.5 of layer \"f\" on CHN -> USA *-SRV (ref r:1) is not in the mapping table");
}

/* A table that exists but cannot be read is an I/O error naming it. */
static void test_a_mapping_that_is_a_directory_is_an_io_error(void **state)
{
    (void)state;
    char p[300];
    snprintf(p, sizeof p, "%s/d.csv", dir);
    assert_int_equal(mkdir(p, 0700), 0);
    tw_error err;
    assert_int_equal(check("scenario \"t\"\nfocus USA CHN\nmapping d.csv\n"
                           "step 2025-01-01 \"x\"\n  set f CHN -> USA GDS 20%\n",
                           NULL, &err),
                     TW_EIO);
    assert_string_equal(err.file, p);
    assert_string_equal(err.msg, "read error: Is a directory");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_shipped_scenario_passes_the_check_on_its_world),
        cmocka_unit_test(test_a_row_used_in_one_branch_only_is_used),
        cmocka_unit_test(test_a_replay_checks_the_mapping_as_the_check_does),
        cmocka_unit_test(test_a_share_of_one_needs_no_row_and_uses_a_row_of_one),
        cmocka_unit_test(test_a_wildcard_sector_is_one_row_and_a_list_one_row_per_code),
        cmocka_unit_test(test_a_mapping_that_is_a_directory_is_an_io_error),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

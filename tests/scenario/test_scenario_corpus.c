/* test_scenario_corpus.c - the broken-scenario corpus (tests/data/scenarios/bad):
 * every case must fail with exactly the message in its .expect file.
 *
 * A case NAME is NAME.tw and NAME.expect (the one line tw_error_format gives),
 * with optional NAME.world (the world directory to resolve against, default
 * tests/data/good/tiny3x2), NAME.set (events to set, one a line), NAME.code
 * (the status, EINPUT by default) and NAME.csv (the case's mapping table, named
 * in NAME.tw by "mapping NAME.csv").  Each file is parsed, then checked against
 * the world, then run with the events set; the first error is compared.
 * Tests run from the repository root (see tests/data/README.md). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tradewar/scenario.h"
#include "tradewar/world.h"
#include "../common/corpus.h"

#define CORPUS "tests/data/scenarios/bad"
#define DEFAULT_WORLD "tests/data/good/tiny3x2"
#define MAX_SET 8

/* name ends in ext; *stem_len = length without it. */
static int has_ext(const char *name, const char *ext, size_t *stem_len)
{
    size_t n = strlen(name), e = strlen(ext);
    if (n <= e || strcmp(name + n - e, ext) != 0) return 0;
    if (stem_len) *stem_len = n - e;
    return 1;
}

static int parse_code(const char *s, tw_status *out)
{
    static const struct { const char *name; tw_status code; } codes[] = {
        {"EINPUT", TW_EINPUT}, {"ENOCONV", TW_ENOCONV}, {"ENOMEM", TW_ENOMEM},
        {"EIO", TW_EIO},       {"EARG", TW_EARG},
    };
    for (size_t k = 0; k < sizeof codes / sizeof *codes; k++)
        if (!strcmp(s, codes[k].name)) {
            *out = codes[k].code;
            return 1;
        }
    return 0;
}

/* Parse, check and run one case; 1 when it failed as expected. */
static int run_case(const char *stem)
{
    char path[600], expect[600], world[600], code[32], got[600], buf[600];
    char set_buf[MAX_SET][64];
    const char *set[MAX_SET];
    size_t n_set = 0;

    snprintf(buf, sizeof buf, "%s.expect", stem);
    if (!corpus_line(buf, expect, sizeof expect) || !expect[0]) {
        print_error("%s: no expected message in %s\n", stem, buf);
        return 0;
    }
    snprintf(buf, sizeof buf, "%s.world", stem);
    if (!corpus_line(buf, world, sizeof world) || !world[0]) snprintf(world, sizeof world, "%s", DEFAULT_WORLD);
    snprintf(buf, sizeof buf, "%s.code", stem);
    tw_status want = TW_EINPUT;
    if (corpus_line(buf, code, sizeof code) && !parse_code(code, &want)) {
        print_error("%s: unknown status \"%s\" in %s\n", stem, code, buf);
        return 0;
    }
    snprintf(buf, sizeof buf, "%s.set", stem);
    FILE *f = fopen(buf, "r");
    if (f) {
        while (n_set < MAX_SET && fgets(set_buf[n_set], sizeof set_buf[n_set], f)) {
            set_buf[n_set][strcspn(set_buf[n_set], "\r\n")] = '\0';
            if (set_buf[n_set][0]) {
                set[n_set] = set_buf[n_set];
                n_set++;
            }
        }
        fclose(f);
    }

    snprintf(path, sizeof path, "%s.tw", stem);
    tw_error err;
    const char *stage = "parse";
    tw_scenario *sc = tw_scenario_load(path, &err);
    tw_world *w = NULL;
    int failed = sc == NULL;
    if (sc) {
        tw_error werr;
        w = tw_world_load(world, &werr);
        if (!w) {
            tw_error_format(&werr, got, sizeof got);
            print_error("%s: cannot load the world %s: %s\n", stem, world, got);
            tw_scenario_free(sc);
            return 0;
        }
        stage = "check";
        failed = tw_scenario_check(sc, w, &err) != TW_OK;
        if (!failed) {
            stage = "run";
            tw_timeline *tl = tw_timeline_run(sc, w, set, n_set, NULL, &err);
            failed = tl == NULL;
            tw_timeline_free(tl);
        }
    }
    tw_scenario_free(sc);
    tw_world_free(w);
    if (!failed) {
        print_error("%s: parsed, checked and ran, expected:\n  [%d] %s\n", stem, want, expect);
        return 0;
    }
    tw_error_format(&err, got, sizeof got);
    if (strcmp(got, expect) != 0 || err.code != want) {
        print_error("%s (%s):\n  got    [%d] %s\n  expect [%d] %s\n", stem, stage, err.code, got,
                    want, expect);
        return 0;
    }
    return 1;
}

static void test_every_broken_scenario_fails_with_its_exact_message(void **state)
{
    (void)state;
    corpus c = corpus_open(CORPUS);
    int cases = 0, failures = 0;
    for (int k = 0; k < c.n; k++) {
        size_t len;
        if (!has_ext(corpus_name(&c, k), ".tw", &len)) continue;
        char stem[512];
        snprintf(stem, sizeof stem, "%s/%.*s", CORPUS, (int)len, corpus_name(&c, k));
        cases++;
        if (!run_case(stem)) failures++;
    }
    corpus_close(&c);
    if (failures) print_error("%d of %d cases failed\n", failures, cases);
    assert_true(cases >= 16);
    assert_int_equal(failures, 0);
}

/* Every .tw has an .expect, and every .expect, .world, .set, .code and .csv
 * has a .tw. */
static void test_every_case_file_has_its_pair(void **state)
{
    (void)state;
    static const char *const exts[] = {".tw", ".expect", ".world", ".set", ".code", ".csv"};
    corpus c = corpus_open(CORPUS);
    int problems = 0;
    for (int k = 0; k < c.n; k++) {
        const char *name = corpus_name(&c, k);
        if (name[0] == '.') continue;
        size_t len = 0, e;
        for (e = 0; e < sizeof exts / sizeof *exts; e++)
            if (has_ext(name, exts[e], &len)) break;
        if (e == sizeof exts / sizeof *exts) {
            print_error("%s/%s: not a case file (expected .tw, .expect, .world, .set, .code or .csv)\n",
                        CORPUS, name);
            problems++;
            continue;
        }
        const char *partner = e == 0 ? ".expect" : ".tw";
        char want[600];
        snprintf(want, sizeof want, "%.*s%s", (int)len, name, partner);
        int found = 0;
        for (int q = 0; q < c.n && !found; q++) found = !strcmp(corpus_name(&c, q), want);
        if (!found) {
            print_error("%s/%s has no %s\n", CORPUS, name, want);
            problems++;
        }
    }
    corpus_close(&c);
    assert_int_equal(problems, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_broken_scenario_fails_with_its_exact_message),
        cmocka_unit_test(test_every_case_file_has_its_pair),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

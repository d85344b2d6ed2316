/* fixtures.h - the set-up the C tests share: load a world and assert that it
 * loaded, solve a counterfactual and assert that it converged, scratch
 * folders and files, exact error text, and arrays compared with a tolerance.
 *
 * Include it after <cmocka.h> (and its prerequisites <setjmp.h>, <stdarg.h>,
 * <stddef.h>, <stdint.h>) as "../common/fixtures.h".  Everything is static
 * inline, so a test takes what it uses; every failure is a cmocka failure
 * with a message saying what and where, never a crash.
 *
 *   fx_load(dir)                     a world, or the test fails with the
 *                                    formatted load error
 *   fx_load_sized(dir, n, j)         fx_load, and the world has n countries
 *                                    and j sectors
 *   fx_solve(w, cf, deficits, method) the equilibrium under the tariffs of file
 *                                    cf (NULL: no change); the caller frees it
 *   fx_scratch(buf, size, tag)       make $TMPDIR/tw-<tag>-XXXXXX (/tmp when
 *                                    TMPDIR is unset or too long for buf)
 *   fx_remove_tree(dir)              remove dir and all under it (links are
 *                                    removed, never followed)
 *   fx_scratch_test(test)            a cmocka test whose *state is a scratch
 *                                    folder of its own (a path under 64
 *                                    bytes), removed after it
 *   fx_path(buf, size, dir, name)    dir/name into buf; buf back
 *   fx_write_file(path, text)        write text to path
 *   fx_write_in(dir, name, text)     write text to dir/name
 *   fx_expect_error(err, code, text) err has this status and this formatted
 *                                    text (as after "tradewar: ")
 *   fx_close(a, b, tol)              |a - b| <= tol * max(1, |a|, |b|)
 *   fx_assert_arrays_close(what, a, b, n, tol)  fx_close for every element,
 *                                    failing with the first index that is not
 *
 * Test-only: these assert, and so must not be copied into src/. */
#ifndef TW_TESTS_FIXTURES_H
#define TW_TESTS_FIXTURES_H

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tradewar/solve.h"
#include "tradewar/world.h"

static inline tw_world *fx_load(const char *dir)
{
    tw_error err;
    tw_world *w = tw_world_load(dir, &err);
    if (!w) {
        char buf[700];
        tw_error_format(&err, buf, sizeof buf);
        fail_msg("loading %s failed: %s", dir, buf);
    }
    assert_int_equal(err.code, TW_OK);
    return w;
}

static inline tw_world *fx_load_sized(const char *dir, size_t n, size_t j)
{
    tw_world *w = fx_load(dir);
    assert_int_equal(tw_world_n_countries(w), n);
    assert_int_equal(tw_world_n_sectors(w), j);
    return w;
}

static inline tw_result *fx_solve(tw_world *w, const char *cf, tw_deficits deficits,
                                  tw_method method)
{
    tw_error e;
    tw_shock *s = tw_shock_create(w, &e);
    assert_non_null(s);
    if (cf && tw_shock_load_tariffs(s, cf, &e) != TW_OK) fail_msg("%s: %s", cf, e.msg);
    tw_solver *sv = tw_solver_create(w, &e);
    assert_non_null(sv);
    tw_solver_set_deficits(sv, deficits);
    tw_solver_set_method(sv, method);
    tw_result *r = tw_solver_run(sv, s, &e);
    if (!r) fail_msg("solve failed: %s", e.msg);
    tw_solver_free(sv);
    tw_shock_free(s);
    return r;
}

static inline void fx_scratch(char *buf, size_t size, const char *tag)
{
    const char *tmp = getenv("TMPDIR");
    int len = snprintf(buf, size, "%s/tw-%s-XXXXXX", tmp && *tmp ? tmp : "/tmp", tag);
    if (len < 0 || (size_t)len >= size) snprintf(buf, size, "/tmp/tw-%s-XXXXXX", tag);
    assert_non_null(mkdtemp(buf));
}

static inline void fx_remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    char path[4200];
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        int len = snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (len < 0 || (size_t)len >= sizeof path) continue; /* not made by a test */
        struct stat sb;
        if (lstat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
            fx_remove_tree(path);
        else
            unlink(path);
    }
    closedir(d);
    rmdir(dir);
}

static inline int fx_scratch_setup(void **state)
{
    char *dir = malloc(64); /* room for dir/name in a 128-byte buffer */
    if (!dir) return -1;
    fx_scratch(dir, 64, "test");
    *state = dir;
    return 0;
}

static inline int fx_scratch_teardown(void **state)
{
    fx_remove_tree(*state);
    free(*state);
    return 0;
}

#define fx_scratch_test(test) \
    cmocka_unit_test_setup_teardown(test, fx_scratch_setup, fx_scratch_teardown)

static inline void fx_write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f) fail_msg("cannot write %s", path);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static inline char *fx_path(char *buf, size_t size, const char *dir, const char *name)
{
    int len = snprintf(buf, size, "%s/%s", dir, name);
    if (len < 0 || (size_t)len >= size) fail_msg("path too long: %s/%s", dir, name);
    return buf;
}

static inline void fx_write_in(const char *dir, const char *name, const char *text)
{
    char path[4200];
    fx_write_file(fx_path(path, sizeof path, dir, name), text);
}

static inline void fx_expect_error(const tw_error *err, tw_status code, const char *text)
{
    char buf[800];
    tw_error_format(err, buf, sizeof buf);
    if (err->code != code || strcmp(buf, text) != 0)
        fail_msg("got status %d \"%s\", expected %d \"%s\"", (int)err->code, buf, (int)code, text);
}

static inline int fx_close(double a, double b, double tol)
{
    double s = fmax(1.0, fmax(fabs(a), fabs(b)));
    return fabs(a - b) <= tol * s;
}

static inline void fx_assert_arrays_close(const char *what, const double *a, const double *b,
                                          size_t n, double tol)
{
    for (size_t k = 0; k < n; k++)
        if (!fx_close(a[k], b[k], tol)) fail_msg("%s[%zu]: %.17g vs %.17g", what, k, a[k], b[k]);
}

#endif

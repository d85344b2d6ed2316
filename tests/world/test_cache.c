/* test_cache.c - the world cache (src/world/cache.h): a world read back from
 * the cache is the world the files give, field by field and bit by bit; a
 * changed, added or removed file changes the key; a damaged entry is never
 * used and the world is parsed instead; small worlds and TRADEWAR_CACHE=off
 * write nothing; the folder keeps the most recently used entries; and every
 * allocation failure on the way is either survived or TW_ENOMEM, without
 * leaks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <sys/stat.h>

#include "tradewar/world.h"
#include "world/cache.h"

#include "../common/fail_alloc.h"
#include "../common/fixtures.h"

#define DATA TW_SOURCE_DIR "/data"

static void same_strings(const char *what, char *const *a, char *const *b, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        const char *x = a ? a[k] : NULL, *y = b ? b[k] : NULL;
        if (!x != !y || (x && strcmp(x, y)))
            fail_msg("%s[%zu]: \"%s\" against \"%s\"", what, k, x ? x : "(null)",
                     y ? y : "(null)");
    }
}

static void same_doubles(const char *what, const double *a, const double *b, size_t n)
{
    if (!a != !b) fail_msg("%s: present in one world only", what);
    if (a && b && memcmp(a, b, n * sizeof *a)) fail_msg("%s: the bits differ", what);
}

static void same_base(const tw_base *a, const tw_base *b)
{
    size_t N = a->N, J = a->J, nij = N * N * J, nj = N * J, nkj = N * J * J;
    assert_int_equal(b->N, N);
    assert_int_equal(b->J, J);
    same_doubles("theta", a->theta, b->theta, J);
    assert_memory_equal(a->tradable, b->tradable, J * sizeof *a->tradable);
    same_doubles("trade", a->trade, b->trade, nij);
    same_doubles("tau", a->tau, b->tau, nij);
    same_doubles("io", a->io, b->io, nkj);
    same_doubles("va", a->va, b->va, nj);
    same_doubles("alpha", a->alpha, b->alpha, nj);
    same_doubles("X", a->X, b->X, nj);
    same_doubles("pi", a->pi, b->pi, nij);
    same_doubles("Y", a->Y, b->Y, nj);
    const double *an[] = {a->VA, a->R, a->D, a->I, a->E, a->M};
    const double *bn[] = {b->VA, b->R, b->D, b->I, b->E, b->M};
    for (size_t k = 0; k < 6; k++) same_doubles("per-country level", an[k], bn[k], N);
    assert_int_equal(a->money, b->money);
    same_doubles("household consumption", a->hh, b->hh, nj);
    same_doubles("households", a->households, b->households, N);
    assert_int_equal(a->n_layer_names, b->n_layer_names);
    same_strings("layer names", a->layer_names, b->layer_names, a->n_layer_names);
    assert_int_equal(a->layer_rows != NULL, b->layer_rows != NULL);
    assert_int_equal(a->n_layer_rows, b->n_layer_rows);
    if (a->n_layer_rows)
        assert_memory_equal(a->layer_rows, b->layer_rows, a->n_layer_rows * sizeof *a->layer_rows);
}

/* Every field of two worlds, except the folder they were loaded from. */
static void assert_same_world(const tw_world *a, const tw_world *b)
{
    size_t N = a->base->N, J = a->base->J;
    same_base(a->base, b->base);
    same_strings("country codes", a->ccode, b->ccode, N);
    same_strings("country names", a->cname, b->cname, N);
    same_strings("sector codes", a->scode, b->scode, J);
    same_strings("sector names", a->sname, b->sname, J);
    assert_int_equal(a->n_meta, b->n_meta);
    same_strings("meta keys", a->meta_key, b->meta_key, a->n_meta);
    same_strings("meta values", a->meta_val, b->meta_val, a->n_meta);
    assert_int_equal(a->n_warn, b->n_warn);
    same_strings("warnings", a->warn, b->warn, a->n_warn);
    assert_int_equal(a->va_supplied, b->va_supplied);
    assert_int_equal(a->alpha_supplied, b->alpha_supplied);
    assert_int_equal(a->sets.n, b->sets.n);
    if (a->sets.n) {
        assert_int_equal(a->sets.J, b->sets.J);
        same_strings("set names", a->sets.name, b->sets.name, a->sets.n);
        same_strings("set sources", a->sets.source, b->sets.source, a->sets.n);
        same_doubles("set thetas", a->sets.theta, b->sets.theta, a->sets.n * a->sets.J);
        assert_memory_equal(a->sets.line, b->sets.line, a->sets.n * sizeof *a->sets.line);
    }
    assert_int_equal(!a->elast, !b->elast);
    if (a->elast) assert_string_equal(a->elast, b->elast);
    assert_string_equal(a->hash, b->hash);
}

/* How many cache entries folder dir holds. */
static size_t entries(const char *dir)
{
    DIR *d = opendir(dir);
    size_t n = 0;
    for (struct dirent *e = d ? readdir(d) : NULL; e; e = readdir(d))
        if (!strncmp(e->d_name, "world-", 6) && strstr(e->d_name, ".twc")) n++;
    if (d) closedir(d);
    return n;
}

static tw_world *load_parsed(const char *dir)
{
    const char *was = getenv("TRADEWAR_CACHE");
    char keep[256];
    snprintf(keep, sizeof keep, "%s", was ? was : "");
    setenv("TRADEWAR_CACHE", "off", 1);
    tw_world *w = fx_load(dir);
    setenv("TRADEWAR_CACHE", keep, 1);
    return w;
}

static void test_cached_worlds_are_the_parsed_ones(void **state)
{
    const char *cache = *state;
    setenv("TRADEWAR_CACHE", cache, 1);
    /* world2023: households, layers, named sets; cp1993: a warning; the rest
     * plain, of three sizes */
    const char *worlds[] = {DATA "/world2023", DATA "/cp1993", DATA "/world2011",
                            DATA "/world2011-full"};
    for (size_t k = 0; k < sizeof worlds / sizeof worlds[0]; k++) {
        tw_world *parsed = load_parsed(worlds[k]);
        tw_world *first = fx_load(worlds[k]); /* parsed, and written */
        assert_int_equal(entries(cache), k + 1);
        tw_cache_key key;
        tw_cache_key_of(worlds[k], 0, &key);
        assert_true(key.usable);
        tw_world *direct = tw_cache_read(&key);
        assert_non_null(direct);
        tw_world *again = fx_load(worlds[k]); /* from the entry */
        assert_string_equal(tw_world_dir(again), worlds[k]);
        assert_same_world(parsed, first);
        assert_same_world(parsed, direct);
        assert_same_world(parsed, again);
        assert_int_equal(entries(cache), k + 1);
        if (k == 1) assert_true(tw_world_n_warnings(again) > 0);
        tw_world_free(parsed);
        tw_world_free(first);
        tw_world_free(direct);
        tw_world_free(again);
    }
}

/* Copy the files of world src into folder dst (made). */
static void copy_world(const char *src, const char *dst)
{
    mkdir(dst, 0700);
    DIR *d = opendir(src);
    assert_non_null(d);
    for (struct dirent *e = readdir(d); e; e = readdir(d)) {
        if (e->d_name[0] == '.') continue;
        char from[4096], to[4096];
        fx_path(from, sizeof from, src, e->d_name);
        fx_path(to, sizeof to, dst, e->d_name);
        FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
        assert_true(in && out);
        char buf[65536];
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, in)) > 0) assert_int_equal(fwrite(buf, 1, n, out), n);
        fclose(in);
        fclose(out);
    }
    closedir(d);
}

static void key_of(const char *dir, tw_cache_key *key)
{
    tw_cache_key_of(dir, 0, key);
    assert_true(key->usable);
}

static int same_key(const tw_cache_key *a, const tw_cache_key *b)
{
    return a->h[0] == b->h[0] && a->h[1] == b->h[1];
}

static void test_any_change_of_the_files_changes_the_key(void **state)
{
    char cache[512], world[512], path[4096];
    setenv("TRADEWAR_CACHE", fx_path(cache, sizeof cache, *state, "cache"), 1);
    fx_path(world, sizeof world, *state, "w");
    copy_world(DATA "/world2011", world);
    tw_cache_key k0, k1;
    key_of(world, &k0);
    key_of(world, &k1);
    assert_true(same_key(&k0, &k1)); /* the same files, the same key */
    tw_cache_key_of(world, 1u << 30, &k1);
    assert_false(same_key(&k0, &k1)); /* another size limit */
    /* a byte of a file: the parse differs too */
    FILE *f = fopen(fx_path(path, sizeof path, world, "README.md"), "ab");
    assert_non_null(f);
    fputs("\n", f);
    fclose(f);
    key_of(world, &k1);
    assert_false(same_key(&k0, &k1));
    /* a file added, then removed: back to the same key */
    tw_cache_key k2, k3;
    fx_write_in(world, "notes.txt", "x");
    key_of(world, &k2);
    assert_false(same_key(&k1, &k2));
    unlink(fx_path(path, sizeof path, world, "notes.txt"));
    key_of(world, &k3);
    assert_true(same_key(&k1, &k3));
    /* a renamed file (same bytes): another key */
    char to[4096];
    rename(fx_path(path, sizeof path, world, "README.md"), fx_path(to, sizeof to, world, "READ.md"));
    key_of(world, &k2);
    assert_false(same_key(&k1, &k2));
    /* something that is not a regular file: not cached */
    assert_int_equal(mkfifo(fx_path(path, sizeof path, world, "pipe"), 0600), 0);
    tw_cache_key_of(world, 0, &k2);
    assert_false(k2.usable);
}

/* The library is linked into this program: another build of it (here the
 * program's file with another time) gives every world another key. */
static void test_another_build_has_other_keys(void **state)
{
    char cache[512], exe[4096];
    setenv("TRADEWAR_CACHE", fx_path(cache, sizeof cache, *state, "cache"), 1);
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    assert_true(n > 0);
    exe[n] = '\0';
    struct stat sb;
    assert_int_equal(stat(exe, &sb), 0);
    tw_cache_key k0, k1;
    key_of(DATA "/world2011", &k0);
    struct timespec later[2] = {sb.st_atim, sb.st_mtim};
    later[1].tv_sec += 1;
    assert_int_equal(utimensat(AT_FDCWD, exe, later, 0), 0);
    key_of(DATA "/world2011", &k1);
    struct timespec was[2] = {sb.st_atim, sb.st_mtim};
    assert_int_equal(utimensat(AT_FDCWD, exe, was, 0), 0);
    assert_false(same_key(&k0, &k1));
    key_of(DATA "/world2011", &k1);
    assert_true(same_key(&k0, &k1));
}

/* Change byte at (from the end when negative) of the only entry in dir, or
 * cut the entry to at bytes (cut). */
static void damage(const char *dir, long at, int cut)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    char path[4096] = "";
    for (struct dirent *e = readdir(d); e; e = readdir(d))
        if (!strncmp(e->d_name, "world-", 6)) fx_path(path, sizeof path, dir, e->d_name);
    closedir(d);
    assert_true(path[0]);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    if (cut) {
        assert_int_equal(truncate(path, at), 0);
        return;
    }
    int fd = open(path, O_RDWR);
    assert_true(fd >= 0);
    off_t where = at < 0 ? sb.st_size + at : at;
    unsigned char c;
    assert_int_equal(pread(fd, &c, 1, where), 1);
    c ^= 0x40;
    assert_int_equal(pwrite(fd, &c, 1, where), 1);
    close(fd);
}

static void test_a_damaged_entry_is_never_used(void **state)
{
    char cache[512];
    setenv("TRADEWAR_CACHE", fx_path(cache, sizeof cache, *state, "cache"), 1);
    tw_world *parsed = load_parsed(DATA "/world2011");
    static const struct { long at; int cut; } harm[] = {
        {0, 0},        /* the magic */
        {9, 0},        /* the key */
        {25, 0},       /* the payload's length */
        {33, 0},       /* its hash */
        {5000, 0},     /* the payload */
        {-3, 0},       /* its end */
        {100000, 1},   /* cut short */
        {20, 1},       /* cut inside the header */
        {0, 1},        /* empty */
    };
    for (size_t k = 0; k < sizeof harm / sizeof harm[0]; k++) {
        fx_remove_tree(cache);
        tw_world_free(fx_load(DATA "/world2011")); /* writes the entry */
        damage(cache, harm[k].at, harm[k].cut);
        tw_cache_key key;
        key_of(DATA "/world2011", &key);
        tw_world *w = tw_cache_read(&key);
        if (w) fail_msg("case %zu: a damaged entry was read", k);
        w = fx_load(DATA "/world2011"); /* parsed again, and written again */
        assert_same_world(parsed, w);
        tw_world_free(w);
        w = tw_cache_read(&key);
        assert_non_null(w);
        assert_same_world(parsed, w);
        tw_world_free(w);
    }
    tw_world_free(parsed);
}

static void test_small_worlds_and_off_write_nothing(void **state)
{
    char cache[512];
    setenv("TRADEWAR_CACHE", fx_path(cache, sizeof cache, *state, "cache"), 1);
    tw_world_free(fx_load(TW_SOURCE_DIR "/tests/data/good/tiny3x2"));
    tw_cache_key key;
    tw_cache_key_of(TW_SOURCE_DIR "/tests/data/good/tiny3x2", 0, &key);
    assert_false(key.usable);
    assert_int_equal(entries(cache), 0);
    setenv("TRADEWAR_CACHE", "off", 1);
    tw_world_free(fx_load(DATA "/world2011"));
    tw_cache_key_of(DATA "/world2011", 0, &key);
    assert_false(key.usable);
    assert_int_equal(entries(cache), 0);
    /* a cache folder that cannot be made: parsed as without a cache */
    char file[512];
    fx_write_in(*state, "plain", "x");
    setenv("TRADEWAR_CACHE", fx_path(file, sizeof file, *state, "plain/cache"), 1);
    tw_world *w = fx_load(DATA "/world2011"), *parsed = load_parsed(DATA "/world2011");
    assert_same_world(parsed, w);
    tw_world_free(w);
    tw_world_free(parsed);
}

static void test_the_folder_keeps_the_most_recent_entries(void **state)
{
    char path[4096];
    for (int k = 0; k < 6; k++) {
        char name[64];
        snprintf(name, sizeof name, "world-%032d.twc", k);
        fx_write_in(*state, name, "x");
        struct timespec when[2] = {{1000000 + k, 0}, {1000000 + k, 0}};
        assert_int_equal(utimensat(AT_FDCWD, fx_path(path, sizeof path, *state, name), when, 0), 0);
    }
    fx_write_in(*state, "other.txt", "x");
    tw_cache_prune(*state, 2);
    assert_int_equal(entries(*state), 2);
    for (int k = 0; k < 6; k++) {
        char name[64];
        snprintf(name, sizeof name, "world-%032d.twc", k);
        assert_int_equal(access(fx_path(path, sizeof path, *state, name), F_OK) == 0, k >= 4);
    }
    assert_int_equal(access(fx_path(path, sizeof path, *state, "other.txt"), F_OK), 0);
}

/* A load of world2011; ctx, when not NULL, is the path of its entry,
 * removed first (unlink allocates nothing), so that every attempt parses
 * and writes. */
static tw_status load_world2011(void *ctx, tw_error *err)
{
    if (ctx) unlink(ctx);
    tw_world *w = tw_world_load(DATA "/world2011", err);
    if (!w) return err->code;
    size_t N = tw_world_n_countries(w);
    tw_world_free(w);
    if (N != 21) fail_msg("a world of %zu countries", N);
    return TW_OK;
}

/* Every allocation of a load that writes an entry, and of one that reads
 * it, failing in turn: TW_ENOMEM or a whole world, never a leak. */
static void test_every_allocation_failure_is_survived_or_enomem(void **state)
{
    oom_test_start();
    char cache[512], entry[4300];
    setenv("TRADEWAR_CACHE", fx_path(cache, sizeof cache, *state, "cache"), 1);
    tw_cache_key key;
    key_of(DATA "/world2011", &key);
    snprintf(entry, sizeof entry, "%s/world-%016llx%016llx.twc", cache,
             (unsigned long long)key.h[0], (unsigned long long)key.h[1]);
    long tolerated;
    long n = each_allocation_fails(load_world2011, entry, 0, &tolerated);
    assert_true(n > 100);
    assert_true(tolerated > 0); /* failures in the cache's part are survived */
    tw_world_free(fx_load(DATA "/world2011"));
    assert_int_equal(access(entry, F_OK), 0);
    n = each_allocation_fails(load_world2011, NULL, 0, NULL);
    assert_true(n > 20);
    assert_int_equal(access(entry, F_OK), 0);
}

static int scratch_setup(void **state)
{
    static char dir[256];
    fx_scratch(dir, sizeof dir, "cache");
    *state = dir;
    return 0;
}

static int scratch_teardown(void **state)
{
    fx_remove_tree(*state);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_cached_worlds_are_the_parsed_ones, scratch_setup,
                                        scratch_teardown),
        cmocka_unit_test_setup_teardown(test_any_change_of_the_files_changes_the_key,
                                        scratch_setup, scratch_teardown),
        cmocka_unit_test_setup_teardown(test_another_build_has_other_keys, scratch_setup,
                                        scratch_teardown),
        cmocka_unit_test_setup_teardown(test_a_damaged_entry_is_never_used, scratch_setup,
                                        scratch_teardown),
        cmocka_unit_test_setup_teardown(test_small_worlds_and_off_write_nothing, scratch_setup,
                                        scratch_teardown),
        cmocka_unit_test_setup_teardown(test_the_folder_keeps_the_most_recent_entries,
                                        scratch_setup, scratch_teardown),
        cmocka_unit_test_setup_teardown(test_every_allocation_failure_is_survived_or_enomem,
                                        scratch_setup, scratch_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

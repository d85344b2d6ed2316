/* cache.c - parsed worlds kept on disk (cache.h has the contract).
 *
 * An entry is one file, world-<key>.twc:
 *   "TWCACHE1", the key (2 x u64), the payload's length and its hash (u64),
 *   then the payload: every field of the world and its baseline in the order
 *   of put_world, numbers as native 64-bit words (an entry is read by the
 *   build that wrote it: the version is part of the key).
 * Strings are a length plus one (0 for NULL) and their bytes. */
#define _GNU_SOURCE /* dladdr */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tradewar/util.h"
#include "world/cache.h"

#define MAGIC "TWCACHE1"
#define HEADER_BYTES 40
#define MAX_DIM 1000000u                   /* N, J and list lengths read back */
#define MAX_ENTRY ((uint64_t)1 << 34)      /* 16 GiB: larger is not an entry */

/* ---- the hash: two independent 64-bit lanes over 64-bit words ---------- */

typedef struct hasher {
    uint64_t a, b;
} hasher;

static uint64_t rotl(uint64_t x, int r) { return x << r | x >> (64 - r); }

static void mix_word(hasher *h, uint64_t w)
{
    h->a = rotl(h->a ^ w, 29) * 0x9E3779B97F4A7C15ULL;
    h->b = rotl(h->b + w, 37) * 0xC2B2AE3D27D4EB4FULL;
    h->b ^= h->b >> 31;
}

static void mix_bytes(hasher *h, const unsigned char *p, size_t n)
{
    mix_word(h, n);
    size_t k = 0;
    for (; k + 8 <= n; k += 8) {
        uint64_t w;
        memcpy(&w, p + k, 8);
        mix_word(h, w);
    }
    uint64_t tail = 0;
    memcpy(&tail, p + k, n - k);
    mix_word(h, tail);
}

static void hash_init(hasher *h)
{
    h->a = 0x243F6A8885A308D3ULL;
    h->b = 0x13198A2E03707344ULL;
}

/* ---- where entries live ------------------------------------------------ */

/* The cache folder into buf; 0, or -1 when the cache is off or has none. */
static int cache_folder(char *buf, size_t size)
{
    const char *env = getenv("TRADEWAR_CACHE"), *xdg = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");
    int n;
    if (env && *env) {
        if (!strcmp(env, "off")) return -1;
        n = snprintf(buf, size, "%s", env);
    } else if (xdg && *xdg) {
        n = snprintf(buf, size, "%s/tradewar", xdg);
    } else if (home && *home) {
        n = snprintf(buf, size, "%s/.cache/tradewar", home);
    } else {
        return -1;
    }
    return n > 0 && (size_t)n < size - 64 ? 0 : -1;
}

/* mkdir -p dir (0700); 0 when it is there afterwards. */
static int make_folder(const char *dir)
{
    char path[4096];
    size_t len = strlen(dir);
    if (len == 0 || len >= sizeof path) return -1;
    memcpy(path, dir, len + 1);
    for (char *p = path + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            if (mkdir(path, 0700) && errno != EEXIST) return -1;
            *p = '/';
        }
    if (mkdir(path, 0700) && errno != EEXIST) return -1;
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode) ? 0 : -1;
}

static void entry_path(const tw_cache_key *key, char *buf, size_t size)
{
    snprintf(buf, size, "%s/world-%016llx%016llx.twc", key->dir, (unsigned long long)key->h[0],
             (unsigned long long)key->h[1]);
}

/* The whole of the file at path into a new buffer (*len bytes), at most
 * limit; NULL when it cannot be read. */
static unsigned char *read_all(const char *path, uint64_t limit, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return NULL;
    struct stat sb;
    unsigned char *buf = NULL;
    if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && (uint64_t)sb.st_size <= limit)
        buf = malloc((size_t)sb.st_size + 1);
    size_t got = 0, want = buf ? (size_t)sb.st_size : 0;
    while (buf && got < want) {
        ssize_t r = read(fd, buf + got, want - got);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        got += (size_t)r;
    }
    close(fd);
    if (buf && got != want) {
        free(buf);
        return NULL;
    }
    *len = got;
    return buf;
}

/* ---- the key ------------------------------------------------------------ */

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in folder dir, sorted, into *names (*n of them); -1 on failure. */
static int list_folder(const char *dir, char ***names, size_t *n)
{
    DIR *d = opendir(dir);
    if (!d) return -1;
    size_t cap = 0;
    int failed = 0;
    *names = NULL;
    *n = 0;
    for (struct dirent *e = readdir(d); e && !failed; e = readdir(d)) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        if (*n == cap) {
            cap = cap ? 2 * cap : 32;
            char **grown = realloc(*names, cap * sizeof *grown);
            if (!grown) {
                failed = 1;
                break;
            }
            *names = grown;
        }
        if (!((*names)[*n] = strdup(e->d_name))) failed = 1; else (*n)++;
    }
    closedir(d);
    if (failed) {
        for (size_t k = 0; k < *n; k++) free((*names)[k]);
        free(*names);
        *names = NULL;
        *n = 0;
        return -1;
    }
    if (*n) qsort(*names, *n, sizeof **names, cmp_names);
    return 0;
}

/* Mix file dir/name into h; *bytes grows by its size.  0; 1 to skip it (a
 * folder); -1 when the world cannot be cached (not a regular file, too large,
 * unreadable). */
static int mix_file(hasher *h, const char *dir, const char *name, uint64_t limit,
                    uint64_t *bytes)
{
    char path[8192];
    struct stat sb;
    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path) return -1;
    if (stat(path, &sb)) return -1;
    if (S_ISDIR(sb.st_mode)) return 1;
    if (!S_ISREG(sb.st_mode) || (uint64_t)sb.st_size > limit) return -1;
    size_t len;
    unsigned char *data = read_all(path, limit, &len);
    if (!data) return -1;
    mix_bytes(h, (const unsigned char *)name, strlen(name));
    mix_bytes(h, data, len);
    free(data);
    *bytes += len;
    return 0;
}

/* Mix the build of this library into h: the size, time and inode of the
 * file its code was loaded from (libtradewar.so, or the program it is linked
 * into), so that a rebuilt library never reads an entry of another build,
 * even at the same version.  -1 when that file cannot be found. */
static int mix_build(hasher *h)
{
    Dl_info info;
    struct stat sb;
    if (!dladdr((void *)&tw_cache_key_of, &info) || !info.dli_fname ||
        stat(info.dli_fname, &sb) != 0)
        return -1;
    mix_word(h, (uint64_t)sb.st_size);
    mix_word(h, (uint64_t)sb.st_mtim.tv_sec);
    mix_word(h, (uint64_t)sb.st_mtim.tv_nsec);
    mix_word(h, (uint64_t)sb.st_ino);
    return 0;
}

void tw_cache_key_of(const char *dir, uint64_t max_bytes, tw_cache_key *key)
{
    memset(key->h, 0, sizeof key->h);
    key->usable = 0;
    if (cache_folder(key->dir, sizeof key->dir)) return;
    uint64_t limit = max_bytes ? max_bytes : TW_INPUT_MAX_BYTES, bytes = 0;
    char **names;
    size_t n;
    if (list_folder(dir, &names, &n)) return;
    hasher h;
    hash_init(&h);
    const char *version = tw_version();
    mix_bytes(&h, (const unsigned char *)version, strlen(version));
    mix_word(&h, limit);
    int ok = mix_build(&h) == 0;
    for (size_t k = 0; k < n; k++) {
        if (ok && mix_file(&h, dir, names[k], limit, &bytes) < 0) ok = 0;
        free(names[k]);
    }
    free(names);
    key->h[0] = h.a;
    key->h[1] = h.b;
    key->usable = ok && bytes >= TW_CACHE_MIN_BYTES;
}

/* ---- writing an entry --------------------------------------------------- */

typedef struct sink {
    unsigned char *p;
    size_t len, cap;
    int failed;
} sink;

static void put(sink *s, const void *v, size_t n)
{
    if (s->failed || n == 0) return;
    if (s->len + n > s->cap) {
        size_t cap = s->cap ? s->cap : 1u << 20;
        while (cap < s->len + n) cap *= 2;
        unsigned char *p = realloc(s->p, cap);
        if (!p) {
            s->failed = 1;
            return;
        }
        s->p = p;
        s->cap = cap;
    }
    memcpy(s->p + s->len, v, n);
    s->len += n;
}

static void put_u64(sink *s, uint64_t v) { put(s, &v, sizeof v); }
static void put_doubles(sink *s, const double *v, size_t n) { put(s, v, n * sizeof *v); }

static void put_str(sink *s, const char *v)
{
    size_t n = v ? strlen(v) : 0;
    put_u64(s, v ? n + 1 : 0);
    put(s, v, n);
}

static void put_strs(sink *s, char *const *v, size_t n)
{
    for (size_t k = 0; k < n; k++) put_str(s, v ? v[k] : NULL);
}

/* A nullable array of n doubles: a flag, then the values. */
static void put_opt(sink *s, const double *v, size_t n)
{
    put_u64(s, v != NULL);
    if (v) put_doubles(s, v, n);
}

static void put_base(sink *s, const tw_base *b)
{
    size_t N = b->N, J = b->J, nij = N * N * J, nj = N * J, nkj = N * J * J;
    put_doubles(s, b->theta, J);
    for (size_t j = 0; j < J; j++) put_u64(s, (uint64_t)(int64_t)b->tradable[j]);
    put_doubles(s, b->trade, nij);
    put_doubles(s, b->tau, nij);
    put_doubles(s, b->io, nkj);
    const double *nj_arrays[] = {b->va, b->alpha, b->X};
    for (size_t k = 0; k < 3; k++) put_doubles(s, nj_arrays[k], nj);
    put_doubles(s, b->pi, nij);
    put_doubles(s, b->Y, nj);
    const double *n_arrays[] = {b->VA, b->R, b->D, b->I, b->E, b->M};
    for (size_t k = 0; k < 6; k++) put_doubles(s, n_arrays[k], N);
    put_u64(s, (uint64_t)b->money);
    put_opt(s, b->hh, nj);
    put_opt(s, b->households, N);
    put_u64(s, b->n_layer_names);
    put_strs(s, b->layer_names, b->n_layer_names);
    put_u64(s, b->layer_rows != NULL);
    put_u64(s, b->n_layer_rows);
    for (size_t k = 0; b->layer_rows && k < b->n_layer_rows; k++) {
        const struct tw_layer_row *r = &b->layer_rows[k];
        put_u64(s, r->layer);
        put_u64(s, r->n);
        put_u64(s, r->i);
        put_u64(s, r->j);
        put_doubles(s, &r->rate, 1);
        put_doubles(s, &r->share, 1);
    }
}

static void put_world(sink *s, const tw_world *w)
{
    const tw_base *b = w->base;
    put_u64(s, b->N);
    put_u64(s, b->J);
    put_strs(s, w->ccode, b->N);
    put_strs(s, w->cname, b->N);
    put_strs(s, w->scode, b->J);
    put_strs(s, w->sname, b->J);
    put_u64(s, w->n_meta);
    put_strs(s, w->meta_key, w->n_meta);
    put_strs(s, w->meta_val, w->n_meta);
    put_u64(s, w->n_warn);
    put_strs(s, w->warn, w->n_warn);
    put_u64(s, (uint64_t)w->va_supplied);
    put_u64(s, (uint64_t)w->alpha_supplied);
    put_u64(s, w->sets.n);
    put_u64(s, w->sets.J);
    put_strs(s, w->sets.name, w->sets.n);
    put_strs(s, w->sets.source, w->sets.n);
    put_doubles(s, w->sets.theta, w->sets.n * w->sets.J);
    for (size_t k = 0; k < w->sets.n; k++) put_u64(s, (uint64_t)w->sets.line[k]);
    put_str(s, w->elast);
    put_base(s, b);
    put_str(s, w->hash);
}

static uint64_t payload_hash(const unsigned char *p, size_t n)
{
    hasher h;
    hash_init(&h);
    mix_bytes(&h, p, n);
    return h.a ^ rotl(h.b, 17);
}

/* Write all of p to a new file beside path, then rename it over path. */
static void write_entry(const char *path, const unsigned char *p, size_t n)
{
    char tmp[4300];
    if (snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid()) >= (int)sizeof tmp) return;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return;
    size_t done = 0;
    while (done < n) {
        ssize_t r = write(fd, p + done, n - done);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        done += (size_t)r;
    }
    if (close(fd) == 0 && done == n && rename(tmp, path) == 0) return;
    unlink(tmp);
}

void tw_cache_write(const tw_world *w, const tw_cache_key *key)
{
    if (!key->usable || make_folder(key->dir)) return;
    sink s = {0};
    put(&s, MAGIC, 8);
    put_u64(&s, key->h[0]);
    put_u64(&s, key->h[1]);
    put_u64(&s, 0); /* the payload's length and hash, filled below */
    put_u64(&s, 0);
    put_world(&s, w);
    if (!s.failed) {
        uint64_t len = s.len - HEADER_BYTES, sum = payload_hash(s.p + HEADER_BYTES, len);
        memcpy(s.p + 24, &len, 8);
        memcpy(s.p + 32, &sum, 8);
        char path[4200];
        entry_path(key, path, sizeof path);
        write_entry(path, s.p, s.len);
        tw_cache_prune(key->dir, TW_CACHE_KEEP);
    }
    free(s.p);
}

/* ---- reading an entry --------------------------------------------------- */

typedef struct source {
    const unsigned char *p;
    size_t len, at;
    int bad;
} source;

static void take(source *s, void *v, size_t n)
{
    if (s->bad || n > s->len - s->at) {
        s->bad = 1;
        memset(v, 0, n);
        return;
    }
    memcpy(v, s->p + s->at, n);
    s->at += n;
}

static uint64_t get_u64(source *s)
{
    uint64_t v;
    take(s, &v, sizeof v);
    return v;
}

/* A count of at most limit (else the entry is bad and 0 is returned). */
static size_t get_count(source *s, uint64_t limit)
{
    uint64_t v = get_u64(s);
    if (v > limit) s->bad = 1;
    return s->bad ? 0 : (size_t)v;
}

/* n doubles into a new array (one element when n is 0). */
static double *get_doubles(source *s, size_t n)
{
    if (s->bad || n > (s->len - s->at) / sizeof(double)) {
        s->bad = 1;
        return NULL;
    }
    double *v = malloc((n ? n : 1) * sizeof *v);
    if (!v) s->bad = 1; else take(s, v, n * sizeof *v);
    return v;
}

static void get_into(source *s, double *v, size_t n) { take(s, v, n * sizeof *v); }

static char *get_str(source *s)
{
    uint64_t n = get_u64(s);
    if (s->bad || n == 0) return NULL;
    if (n - 1 > s->len - s->at) {
        s->bad = 1;
        return NULL;
    }
    char *v = malloc((size_t)n);
    if (!v) {
        s->bad = 1;
        return NULL;
    }
    take(s, v, (size_t)n - 1);
    v[n - 1] = '\0';
    return v;
}

/* n strings into a new array (NULL when n is 0). */
static char **get_strs(source *s, size_t n)
{
    if (s->bad || n == 0) return NULL;
    char **v = calloc(n, sizeof *v);
    if (!v) {
        s->bad = 1;
        return NULL;
    }
    for (size_t k = 0; k < n; k++) v[k] = get_str(s);
    return v;
}

static double *get_opt(source *s, size_t n)
{
    return get_u64(s) ? get_doubles(s, n) : NULL;
}

static void get_layers(source *s, tw_base *b)
{
    b->n_layer_names = get_count(s, MAX_DIM);
    b->layer_names = get_strs(s, b->n_layer_names);
    if (!b->layer_names) b->n_layer_names = 0;
    int present = get_u64(s) != 0;
    size_t n = get_count(s, MAX_DIM);
    if (!present || s->bad) return;
    b->layer_rows = calloc(n ? n : 1, sizeof *b->layer_rows);
    if (!b->layer_rows) {
        s->bad = 1;
        return;
    }
    b->n_layer_rows = n;
    for (size_t k = 0; k < n; k++) {
        struct tw_layer_row *r = &b->layer_rows[k];
        r->layer = get_count(s, b->n_layer_names ? b->n_layer_names - 1 : 0);
        r->n = get_count(s, b->N ? b->N - 1 : 0);
        r->i = get_count(s, b->N ? b->N - 1 : 0);
        r->j = get_count(s, b->J ? b->J - 1 : 0);
        get_into(s, &r->rate, 1);
        get_into(s, &r->share, 1);
    }
}

static void get_base(source *s, tw_base *b)
{
    size_t N = b->N, J = b->J, nij = N * N * J, nj = N * J, nkj = N * J * J;
    get_into(s, b->theta, J);
    for (size_t j = 0; j < J; j++) b->tradable[j] = get_u64(s) != 0;
    get_into(s, b->trade, nij);
    get_into(s, b->tau, nij);
    get_into(s, b->io, nkj);
    double *nj_arrays[] = {b->va, b->alpha, b->X};
    for (size_t k = 0; k < 3; k++) get_into(s, nj_arrays[k], nj);
    get_into(s, b->pi, nij);
    get_into(s, b->Y, nj);
    double *n_arrays[] = {b->VA, b->R, b->D, b->I, b->E, b->M};
    for (size_t k = 0; k < 6; k++) get_into(s, n_arrays[k], N);
    b->money = get_u64(s) != 0;
    b->hh = get_opt(s, nj);
    b->households = get_opt(s, N);
    get_layers(s, b);
}

static void get_sets(source *s, tw_world *w)
{
    tw_elast_sets *L = &w->sets;
    L->n = get_count(s, MAX_DIM);
    L->J = get_count(s, MAX_DIM);
    if (L->n && L->J != w->base->J) s->bad = 1;
    if (s->bad) {
        L->n = 0;
        return;
    }
    L->name = get_strs(s, L->n);
    L->source = get_strs(s, L->n);
    L->theta = get_doubles(s, L->n * L->J);
    L->line = calloc(L->n ? L->n : 1, sizeof *L->line);
    if (!L->line) s->bad = 1;
    for (size_t k = 0; !s->bad && k < L->n; k++) L->line[k] = (long)get_u64(s);
}

static tw_world *get_world(source *s)
{
    size_t N = get_count(s, MAX_DIM), J = get_count(s, MAX_DIM);
    /* the arrays must fit in what is left of the entry (N, J <= 1e6: no
     * overflow in 64 bits) */
    uint64_t cells = (uint64_t)N * N * J + (uint64_t)N * J * J, room = s->len / sizeof(double);
    if (s->bad || cells > room) return NULL;
    tw_world *w = calloc(1, sizeof *w);
    tw_error e;
    if (!w || !(w->base = tw_base_alloc(N, J, &e))) {
        free(w);
        return NULL;
    }
    w->ccode = get_strs(s, N);
    w->cname = get_strs(s, N);
    w->scode = get_strs(s, J);
    w->sname = get_strs(s, J);
    w->n_meta = get_count(s, MAX_DIM);
    w->meta_key = get_strs(s, w->n_meta);
    w->meta_val = get_strs(s, w->n_meta);
    w->n_warn = get_count(s, MAX_DIM);
    w->warn = get_strs(s, w->n_warn);
    w->va_supplied = get_u64(s) != 0;
    w->alpha_supplied = get_u64(s) != 0;
    get_sets(s, w);
    w->elast = get_str(s);
    get_base(s, w->base);
    char *hash = get_str(s);
    if (hash && strlen(hash) == 16) memcpy(w->hash, hash, 17); else s->bad = 1;
    free(hash);
    for (size_t n = 0; !s->bad && n < N; n++)
        if (!w->ccode || !w->ccode[n] || !w->cname || !w->cname[n]) s->bad = 1;
    for (size_t j = 0; !s->bad && j < J; j++)
        if (!w->scode || !w->scode[j] || !w->sname || !w->sname[j]) s->bad = 1;
    if (s->bad || s->at != s->len) {
        tw_world_free(w);
        return NULL;
    }
    return w;
}

tw_world *tw_cache_read(const tw_cache_key *key)
{
    if (!key->usable) return NULL;
    char path[4200];
    entry_path(key, path, sizeof path);
    size_t len;
    unsigned char *buf = read_all(path, MAX_ENTRY, &len);
    if (!buf) return NULL;
    tw_world *w = NULL;
    uint64_t h0, h1, plen, sum;
    if (len >= HEADER_BYTES && memcmp(buf, MAGIC, 8) == 0) {
        memcpy(&h0, buf + 8, 8);
        memcpy(&h1, buf + 16, 8);
        memcpy(&plen, buf + 24, 8);
        memcpy(&sum, buf + 32, 8);
        if (h0 == key->h[0] && h1 == key->h[1] && plen == len - HEADER_BYTES &&
            payload_hash(buf + HEADER_BYTES, (size_t)plen) == sum) {
            source s = {buf + HEADER_BYTES, (size_t)plen, 0, 0};
            w = get_world(&s);
        }
    }
    free(buf);
    /* a use makes the entry the most recent for tw_cache_prune */
    if (w) (void)utimensat(AT_FDCWD, path, NULL, 0);
    return w;
}

/* ---- keeping the folder small ------------------------------------------- */

typedef struct aged {
    char *name;
    struct timespec when;
} aged;

static int cmp_age(const void *a, const void *b)
{
    const aged *x = a, *y = b;
    if (x->when.tv_sec != y->when.tv_sec) return x->when.tv_sec < y->when.tv_sec ? -1 : 1;
    if (x->when.tv_nsec != y->when.tv_nsec) return x->when.tv_nsec < y->when.tv_nsec ? -1 : 1;
    return strcmp(x->name, y->name);
}

static int is_entry(const char *name)
{
    size_t n = strlen(name);
    return n > 10 && !strncmp(name, "world-", 6) && !strcmp(name + n - 4, ".twc");
}

void tw_cache_prune(const char *dir, size_t keep)
{
    char **names;
    size_t n;
    if (list_folder(dir, &names, &n)) return;
    aged *e = calloc(n ? n : 1, sizeof *e);
    size_t m = 0;
    for (size_t k = 0; k < n; k++) {
        char path[8192];
        struct stat sb;
        snprintf(path, sizeof path, "%s/%s", dir, names[k]);
        if (e && is_entry(names[k]) && stat(path, &sb) == 0) {
            e[m].name = names[k];
            e[m++].when = sb.st_mtim;
        } else {
            free(names[k]);
        }
    }
    free(names);
    if (e) qsort(e, m, sizeof *e, cmp_age);
    for (size_t k = 0; e && k < m; k++) {
        if (k + keep < m) {
            char path[8192];
            snprintf(path, sizeof path, "%s/%s", dir, e[k].name);
            unlink(path);
        }
        free(e[k].name);
    }
    free(e);
}

/* fail_alloc.h - an allocator that fails on the N-th call, for the
 * out-of-memory tests (include it once, in a test executable of its own,
 * after <cmocka.h>).
 *
 * It replaces glibc's malloc family in the executable (glibc supports that)
 * and forwards to __libc_*.  AddressSanitizer owns malloc in sanitizer builds,
 * so there TW_OOM_TEST is 0 and oom_test_start() skips the calling test; the
 * leak checker covers the other tests instead.  Test-only process state: the
 * fault injector must see every allocation.
 *
 *   oom_test_start()                 first thing in an out-of-memory test
 *   each_allocation_fails(attempt, ctx, slack, &tolerated)
 *                                    run attempt once for every allocation it
 *                                    makes, with that allocation failing; the
 *                                    number of allocations
 *
 * An attempt does the work under test and frees what it made.  It returns
 * TW_OK when the work succeeded, after checking that its result is whole (as
 * without faults), and otherwise the status it failed with, err set.  Each
 * failure must be TW_ENOMEM with a message; each attempt may leave at most
 * slack blocks allocated (0 but where a library keeps memory on purpose); the
 * attempt in which no allocation failed must succeed.  tolerated (may be
 * NULL) gets how many attempts succeeded although an allocation failed, as
 * glibc's stdio does when it cannot allocate a buffer (it reads unbuffered). */
#ifndef TW_TESTS_FAIL_ALLOC_H
#define TW_TESTS_FAIL_ALLOC_H

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>

#include "tradewar/error.h"

#if defined(__SANITIZE_ADDRESS__)
#define TW_OOM_TEST 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TW_OOM_TEST 0
#endif
#endif
#ifndef TW_OOM_TEST
#define TW_OOM_TEST 1
#endif

/* Test-only process state: the fault injector must see every allocation. */
static int armed;        /* count and fail only while armed */
static long fail_at;     /* the call number that fails (0-based) */
static long calls, live; /* allocation calls so far; blocks not yet freed */

#if TW_OOM_TEST
extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t size);
extern void __libc_free(void *p);

static int fail_now(void)
{
    if (!armed || calls++ != fail_at) return 0;
    errno = ENOMEM; /* as glibc's malloc does */
    return 1;
}

void *malloc(size_t size)
{
    if (fail_now()) return NULL;
    void *p = __libc_malloc(size);
    if (p && armed) live++;
    return p;
}

void *calloc(size_t n, size_t size)
{
    if (fail_now()) return NULL;
    void *p = __libc_calloc(n, size);
    if (p && armed) live++;
    return p;
}

void *realloc(void *old, size_t size)
{
    if (fail_now()) return NULL;
    void *p = __libc_realloc(old, size);
    if (p && !old && armed) live++;
    return p;
}

void free(void *p)
{
    if (p && armed) live--;
    __libc_free(p);
}
#endif

static inline void oom_test_start(void)
{
    if (!TW_OOM_TEST) skip();
    /* the world cache tolerates failures by design (a failure there parses
     * the files instead): off, so that every failure reaches the code under
     * test; test_cache checks the cache's own failures */
    setenv("TRADEWAR_CACHE", "off", 1);
}

typedef tw_status (*oom_attempt)(void *ctx, tw_error *err);

static inline long each_allocation_fails(oom_attempt attempt, void *ctx, long slack,
                                         long *tolerated)
{
    long n, ok_anyway = 0;
    for (n = 0;; n++) {
        tw_error err;
        tw_error_clear(&err);
        calls = live = 0;
        fail_at = n;
        armed = 1;
        tw_status st = attempt(ctx, &err);
        armed = 0;
        int injected = calls > n;
        if (st != TW_OK && (!injected || st != TW_ENOMEM || err.code != TW_ENOMEM || !err.msg[0]))
            fail_msg("call %ld of %ld: status %d, error %d (%s)", n, calls, (int)st,
                     (int)err.code, err.msg);
        if (live < 0 || live > slack) fail_msg("call %ld: %ld blocks leaked", n, live);
        if (!injected) break;
        if (st == TW_OK) ok_anyway++;
    }
    if (tolerated) *tolerated = ok_anyway;
    return n;
}
#endif

/* fail_alloc.h - an allocator that fails on the N-th call, for the
 * out-of-memory tests (include it once, in a test executable of its own).
 *
 * It replaces glibc's malloc family in the executable (glibc supports that)
 * and forwards to __libc_*.  AddressSanitizer owns malloc in sanitizer builds,
 * so there TW_OOM_TEST is 0 and the including test skips itself; the leak
 * checker covers the other tests instead.  Test-only process state: the fault
 * injector must see every allocation. */
#ifndef TW_TESTS_FAIL_ALLOC_H
#define TW_TESTS_FAIL_ALLOC_H

#include <errno.h>
#include <stddef.h>

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

#if TW_OOM_TEST
extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t size);
extern void __libc_free(void *p);

/* Test-only process state: the fault injector must see every allocation. */
static int armed;        /* count and fail only while armed */
static long fail_at;     /* the call number that fails (0-based) */
static long calls, live; /* allocation calls so far; blocks not yet freed */

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

static void arm(long n)
{
    calls = 0;
    live = 0;
    fail_at = n;
    armed = 1;
}
#endif
#endif

/* splitmix64.h - the random numbers of the synthetic worlds (bench/gen_world.c,
 * tests/stress/test_stress.c): splitmix64 (Steele, Lea and Flood 2014), one
 * 64-bit state, full period, good enough for synthetic data and the same
 * sequence on every platform.  Plain C, no cmocka: bench/ takes it too.
 *
 *   sm64 r = {seed};
 *   sm64_next(&r)     the next 64 random bits
 *   sm64_unif(&r)     uniform on [0, 1) with 53 random bits */
#ifndef TW_TESTS_SPLITMIX64_H
#define TW_TESTS_SPLITMIX64_H

#include <stdint.h>

typedef struct sm64 {
    uint64_t state;
} sm64;

static inline uint64_t sm64_next(sm64 *r)
{
    uint64_t z = (r->state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static inline double sm64_unif(sm64 *r) { return (double)(sm64_next(r) >> 11) * 0x1.0p-53; }

#endif

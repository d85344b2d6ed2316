/* num.c - strict, locale-independent number parsing, and the percent and
 * clock helpers every report shares.
 *
 * The grammar is checked here, character by character, before strtod_l does
 * the correctly rounded conversion in a "C" locale held by the caller; so a
 * value reads the same in every process locale and "1,5", "0x10", "nan" and
 * "inf" never slip through as numbers.  Plain decimals whose digits fit in 53
 * bits, or in 64 with a power of ten up to 19, take exact shortcuts with the
 * same bits (fast_value, wide_value).  Invariant:
 * TW_NUM_OK means *out is finite. */
#define _GNU_SOURCE /* strtod_l */
#include <fenv.h>
#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/num.h"

locale_t tw_num_locale_new(void)
{
    return newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
}

void tw_num_locale_free(locale_t loc)
{
    if (loc != (locale_t)0) freelocale(loc);
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

static int is_infinity_word(const char *s)
{
    if (*s == '+' || *s == '-') s++;
    return (*s == 'i' || *s == 'I') &&
           (strcasecmp(s, "inf") == 0 || strcasecmp(s, "infinity") == 0);
}

/* The powers of ten that are exact doubles (10^22 < 2^53 * 2^22 has a 53-bit
 * odd part); file-scope constants only. */
static const double pow10_exact[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                     1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                     1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* What the grammar scan learns on the way: the decimal digits as an integer
 * (while they fit), the power of ten that scales it, and whether the fast path
 * may use them. */
typedef struct scan {
    uint64_t digits; /* the significand's digits, leading zeros dropped */
    long exp10;      /* value = digits * 10^exp10 */
    int exact;       /* digits <= 2^53 and exp10 within +-22 */
} scan;

/* Clinger's fast path: when the digits fit in 53 bits and the power of ten is
 * itself an exact double, one multiplication or division gives the correctly
 * rounded result, the same bits strtod gives.  Files of a world hold tens of
 * thousands of such plain decimals, and strtod_l costs several times more.
 * Everything else (long significands, large exponents) goes to strtod_l.  The
 * arithmetic must be in double precision itself (FLT_EVAL_METHOD 0, as with
 * SSE2), not in an x87 register's wider format. */
static int fast_value(const scan *sc, int negative, double *out)
{
#if FLT_EVAL_METHOD == 0
    if (!sc->exact) return 0;
    double m = (double)sc->digits;
    double v = sc->exp10 >= 0 ? m * pow10_exact[sc->exp10] : m / pow10_exact[-sc->exp10];
    *out = negative ? -v : v;
    return 1;
#else
    (void)sc;
    (void)negative;
    (void)out;
    return 0;
#endif
}

/* Decimals with up to 19 digits (say %.17g output) are exact integers w < 2^64
 * times 10^e; with |e| <= 19, w * 10^e (e >= 0) is an exact 128-bit product
 * and w / 10^-e a 128-bit quotient with at least 64 bits and a remainder, so
 * rounding that integer to 53 bits, to nearest with ties to even, gives the
 * correctly rounded double, as strtod does in that rounding mode (the only
 * one checked for).  Results are far from the subnormal range. */
__extension__ typedef unsigned __int128 u128;

static const uint64_t pow10_u64[] = {
    UINT64_C(1), UINT64_C(10), UINT64_C(100), UINT64_C(1000), UINT64_C(10000),
    UINT64_C(100000), UINT64_C(1000000), UINT64_C(10000000), UINT64_C(100000000),
    UINT64_C(1000000000), UINT64_C(10000000000), UINT64_C(100000000000),
    UINT64_C(1000000000000), UINT64_C(10000000000000), UINT64_C(100000000000000),
    UINT64_C(1000000000000000), UINT64_C(10000000000000000), UINT64_C(100000000000000000),
    UINT64_C(1000000000000000000), UINT64_C(10000000000000000000)};

/* q * 2^e2 rounded to a double; sticky: the true value is a little above q. */
static double round_u128(u128 q, int sticky, int e2)
{
    uint64_t hi = (uint64_t)(q >> 64);
    int bits = hi ? 128 - __builtin_clzll(hi) : 64 - __builtin_clzll((uint64_t)q);
    if (bits <= 53) return ldexp((double)(uint64_t)q, e2); /* exact, sticky is 0 */
    int shift = bits - 53;
    uint64_t m = (uint64_t)(q >> shift);
    u128 rest = q & ((((u128)1) << shift) - 1), half = ((u128)1) << (shift - 1);
    if (rest > half || (rest == half && (sticky || (m & 1)))) m++;
    return ldexp((double)m, e2 + shift); /* m = 2^53 is exact too */
}

static int wide_value(uint64_t w, long exp10, int negative, double *out)
{
    if (w == 0 || exp10 < -19 || exp10 > 19 || fegetround() != FE_TONEAREST) return 0;
    double v;
    if (exp10 >= 0) {
        v = round_u128((u128)w * pow10_u64[exp10], 0, 0);
    } else {
        int lz = __builtin_clzll(w);
        u128 num = (u128)(w << lz) << 64, d = pow10_u64[-exp10];
        v = round_u128(num / d, num % d != 0, -(lz + 64));
    }
    *out = negative ? -v : v;
    return 1;
}

/* Digits from s on, added to sc->digits while they fit; returns the count. */
static size_t scan_digits(const char **s, scan *sc, int *overflow)
{
    size_t n = 0;
    for (; is_digit(**s); (*s)++, n++) {
        if (sc->digits > (UINT64_MAX - 9) / 10) {
            *overflow = 1;
            continue;
        }
        sc->digits = 10 * sc->digits + (uint64_t)(**s - '0');
    }
    return n;
}

tw_num_status tw_num_parse(const char *text, locale_t loc, double *out)
{
    const char *s = text;
    if (!s || !*s) return TW_NUM_EMPTY;
    if (is_infinity_word(s)) return TW_NUM_NONFINITE;
    int negative = *s == '-';
    if (*s == '+' || *s == '-') s++;
    scan sc = {0, 0, 0};
    int overflow = 0;
    size_t digits = scan_digits(&s, &sc, &overflow);
    if (*s == '.') {
        s++;
        size_t frac = scan_digits(&s, &sc, &overflow);
        digits += frac;
        sc.exp10 = -(long)frac;
    }
    if (digits == 0) return TW_NUM_SYNTAX;
    if (*s == 'e' || *s == 'E') {
        s++;
        int eneg = *s == '-';
        if (*s == '+' || *s == '-') s++;
        if (!is_digit(*s)) return TW_NUM_SYNTAX;
        long e = 0;
        for (; is_digit(*s); s++)
            if (e < 100000) e = 10 * e + (*s - '0');
        sc.exp10 += eneg ? -e : e;
    }
    if (*s != '\0') return TW_NUM_SYNTAX;
    sc.exact = !overflow && sc.digits <= (UINT64_C(1) << 53) && sc.exp10 >= -22 &&
               sc.exp10 <= 22;
    if (fast_value(&sc, negative, out)) return TW_NUM_OK;
    if (!overflow && wide_value(sc.digits, sc.exp10, negative, out)) return TW_NUM_OK;
    char *end = NULL;
    double v = strtod_l(text, &end, loc);
    if (!end || *end != '\0') return TW_NUM_SYNTAX;
    if (!isfinite(v)) return TW_NUM_NONFINITE;
    *out = v;
    return TW_NUM_OK;
}

const char *tw_num_what(tw_num_status st)
{
    switch (st) {
    case TW_NUM_OK: return "is a number";
    case TW_NUM_EMPTY: return "is empty (expected a number)";
    case TW_NUM_SYNTAX: return "is not a number";
    case TW_NUM_NONFINITE: return "is not finite (expected a finite number)";
    }
    return "is not a number";
}

double tw_pct(double hat) { return 100.0 * (hat - 1.0); }

double tw_pct_change(double base, double now) { return base > 0 ? 100.0 * (now / base - 1.0) : 0.0; }

double tw_clock_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

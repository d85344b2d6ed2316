/* json_number.c - cJSON's number text without its sscanf (tradewar/json.h).
 *
 * cJSON 1.7 prints a number that is not an int with %1.15g, reads the text
 * back with sscanf and keeps it when the value read is within a relative
 * DBL_EPSILON of the number (its compare_double), else prints %1.17g.  Here
 * both texts come from one exact computation of the decimal digits:
 *
 *   |d| = m 2^e (m < 2^53) rounded to P significant digits is the integer
 *   q = round(m 2^e 10^k) with k = P - 1 - X, X = floor(log10 |d|), computed
 *   in 128-bit integers as num / den with both powers moved to the side where
 *   they are integers; ties go to the even digit, as glibc's printf rounds.
 *
 * That covers |d| from about 1e-6 to 1e38 (num and den below 2^127); other
 * numbers take printf, as cJSON does.  The read-back check is decided without
 * reading when it can be: the 15-digit text is d itself when the division is
 * exact, and it cannot pass when it lies 4 |d| DBL_EPSILON or more from d (the
 * nearest double is then over 3 |d| DBL_EPSILON away, beyond the tolerance of
 * at most |d| DBL_EPSILON (1 + 1e-13)); in between strtod reads it, as
 * sscanf("%lg") did. */
#include <float.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tradewar/json.h"

typedef unsigned __int128 u128;

/* The P significant digits of |d| and the exponent of the first (as %e
 * would print them), and how far the rounded value lies from |d| in units of
 * the last digit (0 when exact). */
typedef struct digits {
    uint64_t q; /* 10^(P-1) <= q < 10^P */
    int x;      /* |d| ~ q 10^(x - P + 1) */
    double off; /* |rounded - |d|| / 10^(x - P + 1), in [0, 0.5] */
} digits;

static const uint64_t pow10_u64[20] = {1ULL,
                                       10ULL,
                                       100ULL,
                                       1000ULL,
                                       10000ULL,
                                       100000ULL,
                                       1000000ULL,
                                       10000000ULL,
                                       100000000ULL,
                                       1000000000ULL,
                                       10000000000ULL,
                                       100000000000ULL,
                                       1000000000000ULL,
                                       10000000000000ULL,
                                       100000000000000ULL,
                                       1000000000000000ULL,
                                       10000000000000000ULL,
                                       100000000000000000ULL,
                                       1000000000000000000ULL,
                                       10000000000000000000ULL};

/* 10^n for 0 <= n <= 38 in 128 bits. */
static u128 pow10_u128(int n)
{
    u128 p = pow10_u64[n > 19 ? 19 : n];
    for (int k = 19; k < n; k++) p *= 10;
    return p;
}

/* m 2^e 10^k as num / den, both below 2^127; 0 when out of that range. */
static int fraction(uint64_t m, int e, int k, u128 *num, u128 *den)
{
    if (k > 38 || k < -38 || e > 70 || e < -126) return 0;
    u128 n = (u128)m << (e > 0 ? e : 0), d = (u128)1 << (e < 0 ? -e : 0);
    u128 pk = pow10_u128(k < 0 ? -k : k);
    if (k >= 0 && __builtin_mul_overflow(n, pk, &n)) return 0;
    if (k < 0 && __builtin_mul_overflow(d, pk, &d)) return 0;
    if ((n >> 126) || (d >> 126)) return 0;
    *num = n;
    *den = d;
    return 1;
}

/* The quotient num / den and the remainder, by a shift when den is a power
 * of two (every number below 2^53 with digits after the point). */
static u128 divide(u128 num, u128 den, u128 *rem)
{
    if ((den & (den - 1)) == 0) {
        uint64_t lo = (uint64_t)den;
        int s = lo ? __builtin_ctzll(lo) : 64 + __builtin_ctzll((uint64_t)(den >> 64));
        *rem = num & (den - 1);
        return num >> s;
    }
    *rem = num % den;
    return num / den;
}

/* |d| = m 2^e rounded to p digits (15 or 17), first guess x0 of the exponent;
 * 0 when outside the range of 128-bit integers. */
static int round_digits(uint64_t m, int e, int p, int x0, digits *out)
{
    for (int tries = 0; tries < 3; tries++) {
        u128 num, den, rem;
        if (!fraction(m, e, p - 1 - x0, &num, &den)) return 0;
        u128 q = divide(num, den, &rem);
        if (q < pow10_u64[p - 1]) {
            x0--;
            continue;
        }
        if (q >= pow10_u64[p]) {
            x0++;
            continue;
        }
        u128 twice = rem << 1;
        int up = twice > den || (twice == den && (q & 1));
        out->off = (double)(up ? den - rem : rem) / (double)den;
        q += (u128)up;
        if (q == pow10_u64[p]) {
            q = pow10_u64[p - 1];
            x0++;
            out->off /= 10; /* in units of the new last digit */
        }
        out->q = (uint64_t)q;
        out->x = x0;
        return 1;
    }
    return 0;
}

/* %1.<p>g of sign * digits, with '.' as the decimal point: fixed notation
 * when -4 <= x < p, else d.ddde+XX; trailing zeros removed. */
static size_t format_g(char *buf, int neg, const digits *g, int p)
{
    char dig[20] = {0};
    uint64_t q = g->q;
    for (int k = p - 1; k >= 0; k--, q /= 10) dig[k] = (char)('0' + q % 10);
    int nd = p;
    while (nd > 1 && dig[nd - 1] == '0') nd--;
    size_t n = 0;
    if (neg) buf[n++] = '-';
    int x = g->x;
    if (x < -4 || x >= p) {
        buf[n++] = dig[0];
        if (nd > 1) buf[n++] = '.';
        for (int k = 1; k < nd; k++) buf[n++] = dig[k];
        n += (size_t)sprintf(buf + n, "e%c%02d", x < 0 ? '-' : '+', x < 0 ? -x : x);
        return n;
    }
    if (x < 0) {
        buf[n++] = '0';
        buf[n++] = '.';
        for (int k = 0; k < -x - 1; k++) buf[n++] = '0';
        for (int k = 0; k < nd; k++) buf[n++] = dig[k];
    } else {
        for (int k = 0; k <= x; k++) {
            char c = '0'; /* the integer part pads with zeros */
            if (k < nd) c = dig[k];
            buf[n++] = c;
        }
        if (nd > x + 1) buf[n++] = '.';
        for (int k = x + 1; k < nd; k++) buf[n++] = dig[k];
    }
    buf[n] = '\0';
    return n;
}

/* 10^n, to a relative 1e-16, for the exponents of the exact range
 * (-22 <= n <= 24); pow otherwise. */
static double pow10_double(int n)
{
    static const double neg[] = {1e0,  1e-1,  1e-2,  1e-3,  1e-4,  1e-5,  1e-6,  1e-7,
                                 1e-8, 1e-9,  1e-10, 1e-11, 1e-12, 1e-13, 1e-14, 1e-15,
                                 1e-16, 1e-17, 1e-18, 1e-19, 1e-20, 1e-21, 1e-22};
    if (n >= 0 && n <= 19) return (double)pow10_u64[n];
    if (n < 0 && n >= -22) return neg[-n];
    return pow(10.0, n);
}

/* cJSON's compare_double. */
static int close_enough(double a, double b)
{
    double maxv = fabs(a) > fabs(b) ? fabs(a) : fabs(b);
    return fabs(a - b) <= maxv * DBL_EPSILON;
}

/* The decimal point of the current locale, as cJSON's get_decimal_point. */
static char locale_point(void)
{
    const struct lconv *lc = localeconv();
    if (lc && lc->decimal_point && lc->decimal_point[0]) return lc->decimal_point[0];
    return '.';
}

/* Reads text (with '.') as sscanf("%lg") would in the current locale: the
 * locale's decimal point in place of '.', as cJSON printed it. */
static double read_back(const char *text)
{
    char tmp[TW_JSON_NUMBER_SIZE];
    size_t n = strlen(text);
    memcpy(tmp, text, n + 1);
    char point = locale_point();
    if (point != '.')
        for (size_t k = 0; k < n; k++)
            if (tmp[k] == '.') tmp[k] = point;
    return strtod(tmp, NULL);
}

/* cJSON's way by printf: %1.15g, read back, %1.17g; '.' as the point. */
static size_t by_printf(char *buf, double d)
{
    int n = snprintf(buf, TW_JSON_NUMBER_SIZE, "%1.15g", d);
    char point = locale_point();
    if (!close_enough(strtod(buf, NULL), d)) n = snprintf(buf, TW_JSON_NUMBER_SIZE, "%1.17g", d);
    for (int k = 0; k < n; k++)
        if (buf[k] == point) buf[k] = '.';
    return (size_t)n;
}

/* A number that is not an int: exact digits when |d| is in range. */
static size_t not_int(char *buf, double d)
{
    int e2;
    double fr = frexp(fabs(d), &e2); /* |d| = fr 2^e2, fr in [0.5, 1) */
    uint64_t m = (uint64_t)ldexp(fr, 53);
    int e = e2 - 53, x0 = (int)floor(log10(fabs(d)));
    digits g15, g17;
    if (!round_digits(m, e, 15, x0, &g15)) return by_printf(buf, d);
    size_t n = format_g(buf, d < 0, &g15, 15);
    if (g15.off == 0) return n;
    double err = g15.off * pow10_double(g15.x - 14); /* how far the text lies from |d| */
    if (err < 4 * fabs(d) * DBL_EPSILON && close_enough(read_back(buf), d)) return n;
    if (!round_digits(m, e, 17, g15.x, &g17)) return by_printf(buf, d);
    return format_g(buf, d < 0, &g17, 17);
}

size_t tw_json_number(char *buf, double d)
{
    if (isnan(d) || isinf(d)) {
        memcpy(buf, "null", 5);
        return 4;
    }
    if (d == 0) return (size_t)sprintf(buf, signbit(d) ? "-0" : "0");
    /* an int prints the same by %d as by %1.15g, faster */
    if (fabs(d) <= INT_MAX && d == (double)(int)d) return (size_t)sprintf(buf, "%d", (int)d);
    return not_int(buf, d);
}

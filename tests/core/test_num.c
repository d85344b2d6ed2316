/* test_num.c - the strict number parser (src/core/num.c) gives exactly the
 * bits of strtod_l in the "C" locale on every number its grammar accepts.
 *
 * tw_num_parse converts plain decimals whose digits fit in 53 bits with one
 * exact multiplication or division by a power of ten (Clinger's fast path),
 * those with up to 19 digits and a power of ten up to 19 by 128-bit integer
 * arithmetic rounded to nearest, and hands everything else to strtod_l; strtod_l is the independent check here.
 * The strings are edge cases around the fast path's limits (2^53, 10^22,
 * signed zeros, subnormals, overflow) and random ones from a seeded generator
 * held in the test: random digit strings, and random doubles printed the ways
 * data files print them.  Tests run from the repository root. */
#define _GNU_SOURCE /* strtod_l */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/num.h"

/* xorshift64*: the random strings are the same on every run. */
static uint64_t next_u64(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * UINT64_C(2685821657736338717);
}

static unsigned below(uint64_t *s, unsigned n) { return (unsigned)(next_u64(s) % n); }

/* text must parse to the bits strtod_l gives, or be refused as not finite
 * exactly when strtod_l overflows. */
static void check_same_bits(const char *text, locale_t loc)
{
    if (loc == (locale_t)0) {
        fail_msg("no C locale");
        return;
    }
    char *end = NULL;
    double want = strtod_l(text, &end, loc);
    assert_true(end && *end == '\0');
    double got = -1;
    tw_num_status st = tw_num_parse(text, loc, &got);
    if (!isfinite(want)) {
        assert_int_equal(st, TW_NUM_NONFINITE);
        return;
    }
    uint64_t got_bits, want_bits;
    memcpy(&got_bits, &got, sizeof got);
    memcpy(&want_bits, &want, sizeof want);
    if (st != TW_NUM_OK || got_bits != want_bits)
        fail_msg("\"%s\": got %.17g (status %d), strtod gives %.17g", text, got, (int)st, want);
}

static void test_edge_cases_give_the_bits_of_strtod(void **state)
{
    (void)state;
    static const char *const cases[] = {
        "0", "-0", "+0", "0.0", "-0.0", "00", "0e0", "-0e-5", "0e999999999", "1", "-1", "1.",
        ".5", "-.5", "0.1", "0.2", "0.3", "1.5", "2.5", "1e22", "1e23", "1e-22", "1e-23",
        "9007199254740991", "9007199254740992", "9007199254740993", "9007199254740994",
        "9007199254740995", "18014398509481984", "18446744073709551615",
        "18446744073709551616", "99999999999999999999999", "9007199254740993e-22",
        "9007199254740992e22", "9007199254740992e-22", "4503599627370497.5",
        "0.000000000000000000000000001", "00000000000000000000000000000000001.5",
        "1.000000000000000000000000000", "100000000000000000000000",
        "3.14159265358979323846264338327950288", "1e+5", "1E-5", "-1.5e-10",
        "1.7976931348623157e308", "1.7976931348623159e308", "1e309", "-1e309",
        "4.9e-324", "2.4703282292062327e-324", "1e-400", "2.2250738585072014e-308",
        "2.2250738585072011e-308", "8.98846567431158e307", "123456789012345678",
        "0.1e1", "12345.6789e-3", "5e-324", "7.0e-10", "0.00000000000000000000001",
        "1e00000000000000000000000000000000000000000022", "1e-0000000000000000000000022",
        "1844674407370955161e-19", "1844674407370955161e19", "1844674407370955161e-20",
        "123456789012345678e-19", "1486.9675706067926", "0.039320756688302927",
        "99999999999999999e-19", "10000000000000000001e-19", "4503599627370496.5",
        "4503599627370497.4999999", "9007199254740993.0000001"};
    locale_t loc = tw_num_locale_new();
    assert_true(loc != (locale_t)0);
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) check_same_bits(cases[k], loc);
    tw_num_locale_free(loc);
}

/* Random strings of the grammar: sign, 0-20 integer digits, an optional
 * fraction of 0-20 digits, an optional exponent of -40..40 (often within the
 * fast path's +-22). */
static void random_decimal(uint64_t *s, char *buf, size_t size)
{
    size_t len = 0;
    unsigned sign = below(s, 4);
    if (sign == 1) buf[len++] = '-';
    if (sign == 2) buf[len++] = '+';
    unsigned nint = below(s, 21), nfrac = below(s, 3) ? below(s, 21) : 0;
    if (nint + nfrac == 0) nint = 1;
    for (unsigned k = 0; k < nint; k++) buf[len++] = (char)('0' + below(s, 10));
    if (nfrac || below(s, 4) == 0) {
        buf[len++] = '.';
        for (unsigned k = 0; k < nfrac; k++) buf[len++] = (char)('0' + below(s, 10));
    }
    if (below(s, 2)) {
        int e = (int)below(s, 81) - 40;
        char mark = below(s, 2) ? 'e' : 'E';
        len += (size_t)snprintf(buf + len, size - len, "%c%s%d", mark,
                                e >= 0 && below(s, 2) ? "+" : "", e);
    }
    buf[len] = '\0';
}

static void test_random_decimals_give_the_bits_of_strtod(void **state)
{
    (void)state;
    locale_t loc = tw_num_locale_new();
    uint64_t s = UINT64_C(0x9E3779B97F4A7C15);
    char buf[128];
    for (int k = 0; k < 200000; k++) {
        random_decimal(&s, buf, sizeof buf);
        check_same_bits(buf, loc);
    }
    tw_num_locale_free(loc);
}

/* Random doubles (uniform over the bit patterns of finite values, and over
 * [0, 1e6) as data values are) printed as files print them. */
static void test_printed_doubles_give_the_bits_of_strtod(void **state)
{
    (void)state;
    static const char *const formats[] = {"%.17g", "%.15g", "%.6f", "%.8f", "%.3e", "%.10g",
                                          "%.0f", "%.12e"};
    locale_t loc = tw_num_locale_new();
    uint64_t s = UINT64_C(12345);
    char buf[400];
    for (int k = 0; k < 100000; k++) {
        double x;
        if (k % 2) {
            uint64_t bits = next_u64(&s);
            memcpy(&x, &bits, sizeof x);
            if (!isfinite(x)) continue;
        } else {
            x = (double)(next_u64(&s) >> 11) * 0x1p-53 * 1e6;
        }
        snprintf(buf, sizeof buf, formats[k % 8], x);
        check_same_bits(buf, loc);
    }
    tw_num_locale_free(loc);
}

/* The grammar did not change with the fast path: what is refused, and why. */
static void test_refused_texts_keep_their_status(void **state)
{
    (void)state;
    locale_t loc = tw_num_locale_new();
    double v = 42;
    assert_int_equal(tw_num_parse("", loc, &v), TW_NUM_EMPTY);
    assert_int_equal(tw_num_parse("1,5", loc, &v), TW_NUM_SYNTAX);
    assert_int_equal(tw_num_parse("0x10", loc, &v), TW_NUM_SYNTAX);
    assert_int_equal(tw_num_parse("nan", loc, &v), TW_NUM_SYNTAX);
    assert_int_equal(tw_num_parse("-Infinity", loc, &v), TW_NUM_NONFINITE);
    assert_int_equal(tw_num_parse(".", loc, &v), TW_NUM_SYNTAX);
    assert_int_equal(tw_num_parse("1e", loc, &v), TW_NUM_SYNTAX);
    assert_int_equal(tw_num_parse("1e+", loc, &v), TW_NUM_SYNTAX);
    assert_int_equal(tw_num_parse(" 1", loc, &v), TW_NUM_SYNTAX);
    assert_int_equal(tw_num_parse("1 ", loc, &v), TW_NUM_SYNTAX);
    assert_int_equal(tw_num_parse("1e400", loc, &v), TW_NUM_NONFINITE);
    assert_true(v == 42); /* refused texts leave *out alone */
    tw_num_locale_free(loc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_edge_cases_give_the_bits_of_strtod),
        cmocka_unit_test(test_random_decimals_give_the_bits_of_strtod),
        cmocka_unit_test(test_printed_doubles_give_the_bits_of_strtod),
        cmocka_unit_test(test_refused_texts_keep_their_status),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

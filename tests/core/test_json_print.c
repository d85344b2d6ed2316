/* test_json_print.c - tw_json_number and tw_json_print (tradewar/json.h)
 * write exactly the bytes of cJSON_PrintUnformatted, the independent check
 * here: the installed cJSON itself.
 *
 * Numbers: a million random bit patterns (every exponent, subnormals, NaNs and
 * infinities), a million random doubles of the sizes reports hold (uniform in
 * each decade from 1e-12 to 1e20, both signs), decimals with few digits (k /
 * 10^j, which %1.15g reads back), integers around the ends of int and 2^53,
 * powers of two and ten, the numbers next to them, and the edge cases 0, -0,
 * the smallest subnormal, DBL_MIN, DBL_MAX, 1e300.  Trees: strings with every
 * byte (escapes), nested and empty arrays and objects, booleans, null, raw
 * text.  The buffer writer of the report rows (src/core/json_buf.h), piece by
 * piece, gives the text cJSON prints for the same rows.  The random draws
 * come from a seeded generator: the same on every run.  Tests run from the
 * repository root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tradewar/json.h"
#include "core/json_buf.h"
#include "../common/splitmix64.h"

/* cJSON's text of the number d, without quotes or tree. */
static void cjson_text(double d, char *buf, size_t size)
{
    cJSON *n = cJSON_CreateNumber(d);
    assert_non_null(n);
    char *t = cJSON_PrintUnformatted(n);
    assert_non_null(t);
    snprintf(buf, size, "%s", t);
    cJSON_free(t);
    cJSON_Delete(n);
}

/* 1 when tw_json_number(d) is cJSON's text; prints the first few misses. */
static int same_number(double d, size_t *misses)
{
    char want[64], got[TW_JSON_NUMBER_SIZE];
    cjson_text(d, want, sizeof want);
    size_t n = tw_json_number(got, d);
    int ok = strcmp(want, got) == 0 && n == strlen(want);
    if (!ok && (*misses)++ < 10) print_message("%a: cJSON \"%s\", tw_json_number \"%s\"\n", d, want, got);
    return ok;
}

static double from_bits(uint64_t b)
{
    double d;
    memcpy(&d, &b, sizeof d);
    return d;
}

static void test_edge_numbers(void **state)
{
    (void)state;
    const double edge[] = {0.0, -0.0, 1.0, -1.0, 0.1, 0.5, 1.45, 1.25, 145.0, 1e300, -1e300, 1e-300,
                           DBL_MAX, -DBL_MAX, DBL_MIN, -DBL_MIN, 4.9406564584124654e-324,
                           2.2250738585072009e-308, (double)INT_MAX, (double)INT_MIN,
                           (double)INT_MAX + 1, (double)INT_MIN - 1, 9007199254740992.0,
                           9007199254740993.0, 1e15, 1e16, 1e17, 1e22, 1e23, 123456789012345678.0,
                           0.30000000000000004, 1.0 / 3.0, 2.0 / 3.0, 1e-5, 1e-4, 9.9999999999999995e-5,
                           0.0001, 999999999999999.9, 99999999999999.99, 1e38, 1e39, 1.7e38, 3.4e38,
                           1e-6, 1e-7, 5e-324, NAN, -NAN, INFINITY, -INFINITY, 2.5, 0.125, 1e21,
                           123456.789, -0.000123456789012345678};
    size_t misses = 0;
    for (size_t k = 0; k < sizeof edge / sizeof edge[0]; k++) {
        same_number(edge[k], &misses);
        same_number(nextafter(edge[k], INFINITY), &misses);
        same_number(nextafter(edge[k], -INFINITY), &misses);
    }
    assert_int_equal(misses, 0);
}

/* Integers, powers of two and ten and their neighbours. */
static void test_integers_and_powers(void **state)
{
    (void)state;
    size_t misses = 0;
    for (long long k = -5000; k <= 5000; k++) same_number((double)k, &misses);
    for (long long k = -3; k <= 3; k++) {
        same_number((double)INT_MAX + (double)k, &misses);
        same_number((double)INT_MIN + (double)k, &misses);
        same_number(9007199254740992.0 + 2.0 * (double)k, &misses);
    }
    for (int e = -1074; e <= 1023; e++) {
        double p = ldexp(1.0, e);
        same_number(p, &misses);
        same_number(-p, &misses);
        same_number(nextafter(p, 0.0), &misses);
        same_number(nextafter(p, INFINITY), &misses);
    }
    for (int e = -323; e <= 308; e++) {
        double p = pow(10.0, e);
        same_number(p, &misses);
        same_number(nextafter(p, 0.0), &misses);
        same_number(nextafter(p, INFINITY), &misses);
        same_number(1.5 * p, &misses);
    }
    assert_int_equal(misses, 0);
}

/* A million random bit patterns: every kind of double. */
static void test_random_bits(void **state)
{
    (void)state;
    sm64 r = {20261206};
    size_t misses = 0;
    for (long k = 0; k < 1000000; k++) same_number(from_bits(sm64_next(&r)), &misses);
    assert_int_equal(misses, 0);
}

/* Doubles of the sizes reports hold, and short decimals. */
static void test_random_report_sizes(void **state)
{
    (void)state;
    sm64 r = {7};
    size_t misses = 0;
    for (long k = 0; k < 1000000; k++) {
        int decade = (int)(sm64_next(&r) % 33) - 12;
        double v = (1.0 + 9.0 * sm64_unif(&r)) * pow(10.0, decade);
        same_number((k & 1) ? -v : v, &misses);
    }
    for (long k = 0; k < 200000; k++) {
        long long num = (long long)(sm64_next(&r) % 100000000ULL) - 50000000LL;
        int j = (int)(sm64_next(&r) % 12);
        same_number((double)num / pow(10.0, j), &misses);
    }
    assert_int_equal(misses, 0);
}

/* tw_json_print(tree) against cJSON_PrintUnformatted(tree). */
static void same_tree(const cJSON *tree)
{
    char *want = cJSON_PrintUnformatted(tree), *got = tw_json_print(tree);
    assert_non_null(want);
    assert_non_null(got);
    assert_string_equal(got, want);
    cJSON_free(want);
    free(got);
}

static void test_trees(void **state)
{
    (void)state;
    char all[256];
    for (int c = 1; c < 256; c++) all[c - 1] = (char)c;
    all[255] = '\0';
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "bytes", all);
    cJSON_AddStringToObject(root, all, "key with every byte");
    cJSON_AddStringToObject(root, "", "");
    cJSON_AddItemToObject(root, "empty_array", cJSON_CreateArray());
    cJSON_AddItemToObject(root, "empty_object", cJSON_CreateObject());
    cJSON_AddTrueToObject(root, "yes");
    cJSON_AddFalseToObject(root, "no");
    cJSON_AddNullToObject(root, "none");
    cJSON_AddRawToObject(root, "raw", "{\"a\": [1, 2]}");
    cJSON *arr = cJSON_AddArrayToObject(root, "numbers");
    sm64 r = {3};
    for (int k = 0; k < 2000; k++) {
        cJSON *row = cJSON_CreateObject();
        cJSON_AddStringToObject(row, "country", "USA");
        cJSON_AddNumberToObject(row, "welfare_pct", 10.0 * (sm64_unif(&r) - 0.5));
        cJSON_AddNumberToObject(row, "bits", from_bits(sm64_next(&r)));
        cJSON_AddNumberToObject(row, "int", (double)(k - 1000));
        cJSON_AddItemToArray(arr, row);
    }
    cJSON *nest = cJSON_CreateArray(), *in = nest;
    for (int k = 0; k < 50; k++) {
        cJSON *a = cJSON_CreateArray();
        cJSON_AddItemToArray(in, cJSON_CreateNumber(k));
        cJSON_AddItemToArray(in, a);
        in = a;
    }
    cJSON_AddItemToObject(root, "nest", nest);
    same_tree(root);
    same_tree(cJSON_GetObjectItem(root, "numbers"));
    same_tree(cJSON_GetObjectItem(root, "bytes"));
    /* a number set by hand, valueint apart from valuedouble: cJSON prints the double */
    cJSON *odd = cJSON_CreateNumber(2.5);
    odd->valueint = 7;
    same_tree(odd);
    odd->valuedouble = 7.0;
    same_tree(odd);
    cJSON_Delete(odd);
    cJSON_Delete(root);
}

/* What cJSON refuses, tw_json_print refuses too. */
static void test_refused(void **state)
{
    (void)state;
    assert_null(tw_json_print(NULL));
    cJSON *raw = cJSON_CreateRaw("1");
    free(raw->valuestring);
    raw->valuestring = NULL;
    assert_null(cJSON_PrintUnformatted(raw));
    assert_null(tw_json_print(raw));
    raw->type = cJSON_Invalid;
    assert_null(cJSON_PrintUnformatted(raw));
    assert_null(tw_json_print(raw));
    cJSON_Delete(raw);
}

/* Rows written piece by piece (as tw_report_json writes its rows) against
 * the same rows built as a cJSON tree: keys, strings with escapes, numbers of
 * every kind, null for what is not finite, and a head printed from a tree
 * with its '}' dropped for more members. */
static void test_buffer_rows(void **state)
{
    (void)state;
    sm64 r = {11};
    const char *names[] = {"USA", "Côte d'Ivoire", "a \"quoted\" name", "tab\there", ""};
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "world", "world2011");
    cJSON_AddNumberToObject(root, "residual", 3.5e-12);
    tw_jbuf b = TW_JBUF_INIT;
    tw_jbuf_value(&b, root);
    tw_jbuf_unput(&b);
    tw_jbuf_put(&b, ",\"countries\":[", 14);
    cJSON *arr = cJSON_AddArrayToObject(root, "countries");
    for (int k = 0; k < 500; k++) {
        cJSON *row = cJSON_CreateObject();
        const char *name = names[k % 5];
        double v = k % 7 == 0 ? NAN : k % 11 == 0 ? -INFINITY : k % 3 == 0 ? (double)(k - 250)
                 : k % 5 == 0 ? from_bits(sm64_next(&r)) : 100.0 * (sm64_unif(&r) - 0.5);
        cJSON_AddStringToObject(row, "code", name);
        if (isfinite(v)) cJSON_AddNumberToObject(row, "welfare_pct", v);
        else cJSON_AddNullToObject(row, "welfare_pct");
        cJSON_AddItemToArray(arr, row);
        if (k) tw_jbuf_char(&b, ',');
        tw_jbuf_char(&b, '{');
        tw_jbuf_key(&b, "code");
        tw_jbuf_string(&b, name);
        tw_jbuf_char(&b, ',');
        tw_jbuf_key(&b, "welfare_pct");
        tw_jbuf_number(&b, v);
        tw_jbuf_char(&b, '}');
    }
    tw_jbuf_put(&b, "]}", 2);
    char *got = tw_jbuf_finish(&b), *want = cJSON_PrintUnformatted(root);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
    cJSON_free(want);
    cJSON_Delete(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_edge_numbers),
        cmocka_unit_test(test_integers_and_powers),
        cmocka_unit_test(test_random_bits),
        cmocka_unit_test(test_random_report_sizes),
        cmocka_unit_test(test_trees),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_buffer_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* tradewar/json.h - JSON text the way cJSON prints it, written faster.
 *
 * Every JSON answer of tradewar (reports, the server's replies) was printed
 * by cJSON_PrintUnformatted, and readers compare its numbers: the dashboard,
 * the Python package, saved runs.  These functions write the very same bytes
 * (cJSON 1.7's print_number and print_string rules, checked against cJSON
 * itself by tests/core/test_json_print.c) without cJSON's sscanf round trip,
 * which cost most of the time of a large answer.
 *
 * A number is written as cJSON 1.7.15 writes it:
 *   - NaN and infinities as null;
 *   - else %1.15g when that text reads back (strtod) within a relative
 *     DBL_EPSILON of the number, else %1.17g ("-0" for -0.0, "1e+15" for
 *     10^15);
 *   - always with '.' as the decimal point, whatever the locale.
 *
 *   char buf[TW_JSON_NUMBER_SIZE];
 *   size_t n = tw_json_number(buf, 0.1);        // "0.1", n = 3
 *   char *txt = tw_json_print(root);            // as cJSON_PrintUnformatted
 *   free(txt);
 */
#ifndef TRADEWAR_JSON_H
#define TRADEWAR_JSON_H

#include <stddef.h>
#include "tradewar/export.h"

#ifdef __cplusplus
extern "C" {
#endif

struct cJSON;

/* Room for the longest number text and its '\0' ("-2.2250738585072014e-308"). */
#define TW_JSON_NUMBER_SIZE 32

/* The text cJSON prints for a number item made by cJSON_CreateNumber(d),
 * written to buf (TW_JSON_NUMBER_SIZE bytes) with its '\0'; returns its
 * length. */
TW_API size_t tw_json_number(char *buf, double d);

/* cJSON_PrintUnformatted(item), byte for byte: a malloc'd string the caller
 * frees with free(); NULL when out of memory or when cJSON would refuse too
 * (a NULL item, an item of invalid type, a raw item without text). */
TW_API char *tw_json_print(const struct cJSON *item);

#ifdef __cplusplus
}
#endif

#endif

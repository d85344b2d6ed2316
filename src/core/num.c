/* num.c - strict, locale-independent number parsing, and the percent and
 * clock helpers every report shares.
 *
 * The grammar is checked here, character by character, before strtod_l does
 * the correctly rounded conversion in a "C" locale held by the caller; so a
 * value reads the same in every process locale and "1,5", "0x10", "nan" and
 * "inf" never slip through as numbers.  Invariant: TW_NUM_OK means *out is
 * finite. */
#define _GNU_SOURCE /* strtod_l */
#include <locale.h>
#include <math.h>
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
    return strcasecmp(s, "inf") == 0 || strcasecmp(s, "infinity") == 0;
}

tw_num_status tw_num_parse(const char *text, locale_t loc, double *out)
{
    const char *s = text;
    if (!s || !*s) return TW_NUM_EMPTY;
    if (is_infinity_word(s)) return TW_NUM_NONFINITE;
    if (*s == '+' || *s == '-') s++;
    size_t digits = 0;
    while (is_digit(*s)) { s++; digits++; }
    if (*s == '.') {
        s++;
        while (is_digit(*s)) { s++; digits++; }
    }
    if (digits == 0) return TW_NUM_SYNTAX;
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '+' || *s == '-') s++;
        if (!is_digit(*s)) return TW_NUM_SYNTAX;
        while (is_digit(*s)) s++;
    }
    if (*s != '\0') return TW_NUM_SYNTAX;
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

/* num.h - locale-independent parsing of numbers from text inputs (private).
 *
 * Accepts exactly: optional sign, digits with an optional '.' (at least one
 * digit), optional exponent e/E[sign]digits.  Rejects empty text, surrounding
 * spaces, trailing junk, hex floats, "nan", "inf" and values that overflow a
 * double.  The decimal point is always '.', whatever the process locale. */
#ifndef TW_CORE_NUM_H
#define TW_CORE_NUM_H

#include <locale.h>
#include "tradewar/export.h"

typedef enum tw_num_status {
    TW_NUM_OK = 0,
    TW_NUM_EMPTY,    /* "" */
    TW_NUM_SYNTAX,   /* not a decimal number ("abc", "1.2.3", "nan") */
    TW_NUM_NONFINITE /* "inf", "infinity", or a value out of double range */
} tw_num_status;

/* A "C" numeric locale for tw_num_parse; (locale_t)0 when out of memory.
 * Each caller holds its own, so parsing shares no state between threads. */
locale_t tw_num_locale_new(void);
void tw_num_locale_free(locale_t loc);

/* Parse text into *out (untouched on failure). */
tw_num_status tw_num_parse(const char *text, locale_t loc, double *out);

/* What was wrong, phrased to follow a quoted value:
 * "is empty (expected a number)", "is not a number", "is not finite ...". */
const char *tw_num_what(tw_num_status st);

/* Reporting helpers, one copy for the library, the CLI and the server (also
 * declared in tradewar/report.h): a hat as a percent change, 100 (hat - 1);
 * the percent change of a level from base to now, 0 when base is not
 * positive; seconds on a monotonic clock, for wall times. */
TW_API double tw_pct(double hat);
TW_API double tw_pct_change(double base, double now);
TW_API double tw_clock_seconds(void);

#endif

/* date_axis.h - the time axis of `timeline --plot` (plot.c), apart from PLplot
 * so that it can be tested.
 *
 * A date is placed at its UTC midnight in seconds since 1970 (the x coordinate
 * the chart uses), and the axis carries its ticks at month starts, every 1, 2,
 * 3, 6 or 12 months (multiples of 12 beyond), so that a step dated on the 1st
 * of a month sits exactly on that month's tick whenever the month is ticked. */
#ifndef TW_CLI_DATE_AXIS_H
#define TW_CLI_DATE_AXIS_H

#include <stddef.h>

/* The x coordinate of "YYYY-MM-DD" (seconds since 1970, UTC midnight), or -1
 * when d is not such a date. */
double cli_date_x(const char *d);

/* Month-start ticks within [t0, t1], in order, into x[] (and, when label is
 * not NULL, "Mon YYYY" into label[k]): the months whose number, counted from
 * January, is a multiple of the spacing, the smallest of 1, 2, 3, 6, 12, 24,
 * ... months that gives at most max ticks.  Returns how many (<= max). */
size_t cli_month_ticks(double t0, double t1, double *x, char (*label)[16], size_t max);

#endif

/* date_axis.c - month-start ticks for the time axis of `timeline --plot`. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "date_axis.h"

double cli_date_x(const char *d)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (!d || sscanf(d, "%d-%d-%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3) return -1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return (double)timegm(&tm);
}

/* Seconds since 1970 of the first of month m (months since January 1970). */
static double month_start(long m)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    long y = m >= 0 ? m / 12 : -((-m + 11) / 12);
    tm.tm_year = (int)(70 + y);
    tm.tm_mon = (int)(m - 12 * y);
    tm.tm_mday = 1;
    return (double)timegm(&tm);
}

/* Months since January 1970 of the month holding t. */
static long month_of(double t)
{
    time_t s = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&s, &tm)) return 0;
    return 12L * (tm.tm_year - 70) + tm.tm_mon;
}

/* The first month >= m whose number is a multiple of step. */
static long round_up(long m, long step)
{
    long r = m % step;
    if (r < 0) r += step;
    return r ? m + step - r : m;
}

/* How many month starts in [t0, t1] with this spacing. */
static size_t count_ticks(double t0, double t1, long step)
{
    size_t n = 0;
    for (long m = round_up(month_of(t0), step); month_start(m) <= t1; m += step)
        if (month_start(m) >= t0) n++;
    return n;
}

size_t cli_month_ticks(double t0, double t1, double *x, char (*label)[16], size_t max)
{
    static const long spacing[] = {1, 2, 3, 6, 12};
    if (!(t1 >= t0) || max == 0) return 0;
    long step = 12;
    for (size_t k = 0; k < sizeof spacing / sizeof spacing[0]; k++)
        if (count_ticks(t0, t1, spacing[k]) <= max) {
            step = spacing[k];
            break;
        }
    while (count_ticks(t0, t1, step) > max) step += 12;
    size_t n = 0;
    for (long m = round_up(month_of(t0), step); month_start(m) <= t1 && n < max; m += step) {
        double t = month_start(m);
        if (t < t0) continue;
        x[n] = t;
        if (label) {
            time_t s = (time_t)t;
            struct tm tm;
            gmtime_r(&s, &tm);
            if (!strftime(label[n], sizeof label[n], "%b %Y", &tm)) label[n][0] = '\0';
        }
        n++;
    }
    return n;
}

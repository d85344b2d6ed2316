/* test_date_axis.c - the time axis of `timeline --plot` (cli/date_axis.c):
 * where a dated step is drawn and where the month ticks fall.
 *
 * A step dated on the 1st of a month must sit exactly on that month's tick
 * (the chart once placed its ticks at multiples of a day count from 1970, so
 * a step on 1 April was drawn weeks before the "Apr 2025" tick). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "date_axis.h"

#define DAY 86400.0

/* The index of the tick labelled name, or -1. */
static long tick_named(char (*label)[16], size_t n, const char *name)
{
    for (size_t k = 0; k < n; k++)
        if (!strcmp(label[k], name)) return (long)k;
    return -1;
}

static void test_a_date_is_its_utc_midnight(void **state)
{
    (void)state;
    assert_true(cli_date_x("1970-01-01") == 0);
    assert_true(cli_date_x("1970-01-02") == DAY);
    assert_true(cli_date_x("2025-04-01") == 1743465600.0);
    assert_true(cli_date_x("2025-04-02") - cli_date_x("2025-04-01") == DAY);
    assert_true(cli_date_x("baseline") == -1);
    assert_true(cli_date_x(NULL) == -1);
}

/* Steps on the 1st of consecutive months: every month is ticked and each step
 * is exactly on its tick. */
static void test_monthly_steps_sit_exactly_on_their_month_ticks(void **state)
{
    (void)state;
    const char *steps[] = {"2025-02-01", "2025-03-01", "2025-04-01", "2025-05-01"};
    const char *names[] = {"Feb 2025", "Mar 2025", "Apr 2025", "May 2025"};
    /* the chart's window: 30 days before the first step to 30 days after the last */
    double t0 = cli_date_x(steps[0]) - 30 * DAY, t1 = cli_date_x(steps[3]) + 30 * DAY;
    double x[8];
    char label[8][16];
    assert_int_equal(cli_month_ticks(t0, t1, x, label, 8), 4);
    for (size_t k = 0; k < 4; k++) {
        assert_string_equal(label[k], names[k]);
        assert_true(x[k] == cli_date_x(steps[k]));
    }
}

/* Over 18 months the ticks are quarterly (Jan, Apr, Jul, Oct): a step on
 * 2025-04-01 sits exactly at the April tick. */
static void test_a_step_on_1_april_sits_at_the_april_tick_of_a_quarterly_axis(void **state)
{
    (void)state;
    double t0 = cli_date_x("2024-12-02"), t1 = cli_date_x("2026-06-15");
    double x[8];
    char label[8][16];
    size_t n = cli_month_ticks(t0, t1, x, label, 8);
    const char *names[] = {"Jan 2025", "Apr 2025", "Jul 2025", "Oct 2025", "Jan 2026", "Apr 2026"};
    assert_int_equal(n, 6);
    for (size_t k = 0; k < n; k++) assert_string_equal(label[k], names[k]);
    long apr = tick_named(label, n, "Apr 2025");
    assert_int_equal(apr, 1);
    assert_true(x[apr] == cli_date_x("2025-04-01"));
    assert_true(x[0] == cli_date_x("2025-01-01"));
}

/* Thirteen month starts are too many for 8 ticks: every second month, from
 * January; a tick never falls outside the window. */
static void test_a_year_ticks_every_second_month_within_the_window(void **state)
{
    (void)state;
    double t0 = cli_date_x("2024-12-02"), t1 = cli_date_x("2026-01-31");
    double x[8];
    char label[8][16];
    size_t n = cli_month_ticks(t0, t1, x, label, 8);
    const char *names[] = {"Jan 2025", "Mar 2025", "May 2025", "Jul 2025",
                           "Sep 2025", "Nov 2025", "Jan 2026"};
    assert_int_equal(n, 7);
    for (size_t k = 0; k < n; k++) {
        assert_string_equal(label[k], names[k]);
        assert_true(x[k] >= t0 && x[k] <= t1);
    }
    assert_true(x[6] == cli_date_x("2026-01-01"));
    /* a window that starts on a month start includes it */
    assert_int_equal(cli_month_ticks(cli_date_x("2025-03-01"), cli_date_x("2025-03-01"), x, NULL, 8), 1);
    assert_true(x[0] == cli_date_x("2025-03-01"));
    /* decades: the spacing grows in whole years, every tick on 1 January */
    n = cli_month_ticks(cli_date_x("2000-01-01"), cli_date_x("2030-01-01"), x, label, 8);
    assert_true(n >= 4 && n <= 8);
    for (size_t k = 0; k < n; k++) assert_memory_equal(label[k], "Jan ", 4);
    assert_int_equal(cli_month_ticks(t1, t0, x, label, 8), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_date_is_its_utc_midnight),
        cmocka_unit_test(test_monthly_steps_sit_exactly_on_their_month_ticks),
        cmocka_unit_test(test_a_step_on_1_april_sits_at_the_april_tick_of_a_quarterly_axis),
        cmocka_unit_test(test_a_year_ticks_every_second_month_within_the_window),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

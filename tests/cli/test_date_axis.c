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

/* The ticks of the window [from, to] (8 at most) are the first days of the
 * months named: labels[k] ("Apr 2025") at exactly firsts[k] ("2025-04-01"). */
static void expect_ticks(double t0, double t1, const char *const *labels,
                         const char *const *firsts, size_t n)
{
    double x[8];
    char label[8][16];
    assert_int_equal(cli_month_ticks(t0, t1, x, label, 8), n);
    for (size_t k = 0; k < n; k++) {
        assert_string_equal(label[k], labels[k]);
        assert_true(x[k] == cli_date_x(firsts[k]));
        assert_true(x[k] >= t0 && x[k] <= t1);
    }
}

/* Steps on the 1st of consecutive months: every month is ticked and each step
 * is exactly on its tick. */
static void test_monthly_steps_sit_exactly_on_their_month_ticks(void **state)
{
    (void)state;
    const char *steps[] = {"2025-02-01", "2025-03-01", "2025-04-01", "2025-05-01"};
    const char *names[] = {"Feb 2025", "Mar 2025", "Apr 2025", "May 2025"};
    /* the chart's window: 30 days before the first step to 30 days after the last */
    expect_ticks(cli_date_x(steps[0]) - 30 * DAY, cli_date_x(steps[3]) + 30 * DAY, names, steps, 4);
}

/* Over 18 months the ticks are quarterly (Jan, Apr, Jul, Oct): a step on
 * 2025-04-01 sits exactly at the April tick. */
static void test_a_step_on_1_april_sits_at_the_april_tick_of_a_quarterly_axis(void **state)
{
    (void)state;
    const char *names[] = {"Jan 2025", "Apr 2025", "Jul 2025", "Oct 2025", "Jan 2026", "Apr 2026"};
    const char *firsts[] = {"2025-01-01", "2025-04-01", "2025-07-01",
                            "2025-10-01", "2026-01-01", "2026-04-01"};
    expect_ticks(cli_date_x("2024-12-02"), cli_date_x("2026-06-15"), names, firsts, 6);
    double x[8];
    char label[8][16];
    size_t n = cli_month_ticks(cli_date_x("2024-12-02"), cli_date_x("2026-06-15"), x, label, 8);
    long apr = tick_named(label, n, "Apr 2025");
    assert_int_equal(apr, 1);
    assert_true(x[apr] == cli_date_x("2025-04-01"));
}

/* Thirteen month starts are too many for 8 ticks: every second month, from
 * January; a window that starts on a month start includes it; decades tick
 * whole years. */
static void test_longer_windows_tick_fewer_months(void **state)
{
    (void)state;
    const char *names[] = {"Jan 2025", "Mar 2025", "May 2025", "Jul 2025",
                           "Sep 2025", "Nov 2025", "Jan 2026"};
    const char *firsts[] = {"2025-01-01", "2025-03-01", "2025-05-01", "2025-07-01",
                            "2025-09-01", "2025-11-01", "2026-01-01"};
    expect_ticks(cli_date_x("2024-12-02"), cli_date_x("2026-01-31"), names, firsts, 7);
    const char *mar[] = {"Mar 2025"}, *mar1[] = {"2025-03-01"};
    expect_ticks(cli_date_x("2025-03-01"), cli_date_x("2025-03-01"), mar, mar1, 1);
    double x[8];
    char label[8][16];
    size_t n = cli_month_ticks(cli_date_x("2000-01-01"), cli_date_x("2030-01-01"), x, label, 8);
    assert_true(n >= 4 && n <= 8);
    for (size_t k = 0; k < n; k++) assert_memory_equal(label[k], "Jan ", 4);
    assert_int_equal(cli_month_ticks(cli_date_x("2026-01-31"), cli_date_x("2024-12-02"), x, label, 8), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_date_is_its_utc_midnight),
        cmocka_unit_test(test_monthly_steps_sit_exactly_on_their_month_ticks),
        cmocka_unit_test(test_a_step_on_1_april_sits_at_the_april_tick_of_a_quarterly_axis),
        cmocka_unit_test(test_longer_windows_tick_fewer_months),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_invariance.c - results do not depend on the order of countries,
 * sectors or rows in the world files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tradewar/policy.h"
#include "tradewar/solve.h"
#include "tradewar/world.h"
#include "../common/fixtures.h"

#define DATA TW_SOURCE_DIR "/data"

static const char *files[] = {"countries.csv", "sectors.csv", "trade.csv", "tariffs.csv",
                              "io.csv", "meta.csv"};

/* Copy src/name to dst/name with the data rows in reverse order. */
static void copy_reversed(const char *src, const char *dst, const char *name)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", src, name);
    FILE *in = fopen(p, "r");
    assert_non_null(in);
    size_t cap = 1 << 16, n = 0;
    char **lines = malloc(cap * sizeof *lines);
    char buf[4096];
    while (fgets(buf, sizeof buf, in)) {
        if (n == cap) lines = realloc(lines, (cap *= 2) * sizeof *lines);
        lines[n++] = strdup(buf);
    }
    fclose(in);
    snprintf(p, sizeof p, "%s/%s", dst, name);
    FILE *out = fopen(p, "w");
    assert_non_null(out);
    fputs(lines[0], out);
    for (size_t k = n; k-- > 1;) fputs(lines[k], out);
    fclose(out);
    for (size_t k = 0; k < n; k++) free(lines[k]);
    free(lines);
}

static void test_reversed_files_give_the_same_results_by_code(void **state)
{
    (void)state;
    char dir[256];
    fx_scratch(dir, sizeof dir, "rev");
    for (size_t k = 0; k < sizeof files / sizeof files[0]; k++)
        copy_reversed(DATA "/world2011", dir, files[k]);
    tw_world *a = fx_load(DATA "/world2011"), *b = fx_load(dir);
    size_t N = tw_world_n_countries(a), J = tw_world_n_sectors(a);
    assert_string_equal(tw_world_country_code(b, 0), tw_world_country_code(a, N - 1));
    const char *cf = DATA "/scenarios/us_china_145_125.csv";
    tw_result *ra = fx_solve(a, cf, TW_DEFICITS_KEEP, TW_METHOD_NEWTON);
    tw_result *rb = fx_solve(b, cf, TW_DEFICITS_KEEP, TW_METHOD_NEWTON);
    for (size_t n = 0; n < N; n++) {
        long m = tw_world_country_index(b, tw_world_country_code(a, n));
        assert_true(m >= 0);
        double d = fabs(tw_result_welfare_hat(ra, n) - tw_result_welfare_hat(rb, (size_t)m));
        if (d > 1e-9) fail_msg("%s welfare differs by %.2e", tw_world_country_code(a, n), d);
        assert_true(fabs(tw_result_w_hat(ra)[n] - tw_result_w_hat(rb)[m]) <= 1e-9);
        assert_true(fabs(tw_result_tot(ra, n) - tw_result_tot(rb, (size_t)m)) <= 1e-9);
        assert_true(fabs(tw_result_vot(ra, n) - tw_result_vot(rb, (size_t)m)) <= 1e-9);
        double r0 = tw_result_tariff_revenue(ra, n, 1), r1 = tw_result_tariff_revenue(rb, (size_t)m, 1);
        assert_true(fabs(r0 - r1) <= 1e-9 * fabs(r0));
        for (size_t j = 0; j < J; j++) {
            long q = tw_world_sector_index(b, tw_world_sector_code(a, j));
            assert_true(q >= 0);
            assert_true(fabs(tw_result_P_hat(ra)[n * J + j] -
                             tw_result_P_hat(rb)[(size_t)m * J + (size_t)q]) <= 1e-9);
        }
    }
    tw_result_free(ra);
    tw_result_free(rb);
    tw_world_free(a);
    tw_world_free(b);
    fx_remove_tree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reversed_files_give_the_same_results_by_code),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

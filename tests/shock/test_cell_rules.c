/* test_cell_rules.c - one rule for cells (docs/data-format.md): the same rows
 * fed through a counterfactual file, the server's JSON decoder
 * (server/shock_json.c), a scenario statement and a sweep grid axis give the
 * same cells, the same values and the same errors.
 *
 * tiny3x2: countries USA=0, CHN=1, MEX=2; sectors GDS=0 (tradable), SRV=1 (not). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tradewar/policy.h"
#include "tradewar/scenario.h"
#include "tradewar/sweep.h"
#include "tradewar/world.h"
#include "core/index.h"
#include "tiny3x2.h"
#include "server/shock_json.h"
#include "sweep/sweep_impl.h"

#define NIJ 18

typedef struct row {
    const char *imp, *exp, *sec, *value;  /* sec NULL: left out */
} row;

static const char *tmp_path(const char *name)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/test_cell_rules_%s", TW_BINARY_DIR, name);
    return path;
}

/* ---- the four paths ------------------------------------------------------ */

static tw_status via_file(tw_shock *s, int ntb, const row *rows, size_t n, tw_error *err)
{
    const char *path = tmp_path(ntb ? "ntb.csv" : "cf.csv");
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "importer,exporter,sector,%s\n", ntb ? "factor" : "rate");
    for (size_t k = 0; k < n; k++)
        fprintf(f, "%s,%s,%s,%s\n", rows[k].imp, rows[k].exp, rows[k].sec ? rows[k].sec : "",
                rows[k].value);
    fclose(f);
    return ntb ? tw_shock_load_ntb(s, path, err) : tw_shock_load_tariffs(s, path, err);
}

static tw_status via_json(tw_shock *s, int ntb, const row *rows, size_t n, tw_error *err)
{
    char text[2048] = "[";
    for (size_t k = 0; k < n; k++) {
        char sec[64] = "";
        if (rows[k].sec) snprintf(sec, sizeof sec, "\"sector\":\"%s\",", rows[k].sec);
        snprintf(text + strlen(text), sizeof text - strlen(text),
                 "%s{\"importer\":\"%s\",\"exporter\":\"%s\",%s\"%s\":%s}", k ? "," : "",
                 rows[k].imp, rows[k].exp, sec, ntb ? "factor" : "rate", rows[k].value);
    }
    strcat(text, "]");
    cJSON *arr = cJSON_Parse(text);
    assert_non_null(arr);
    tw_error_clear(err);
    tw_status st = srv_apply_cells(s, tw_shock_world(s), arr, ntb, NULL, err);
    cJSON_Delete(arr);
    return st;
}

/* A scenario with one step holding one statement per row (cells are written
 * EXPORTERS -> IMPORTERS there), all in one layer. */
static const char *write_scenario(int ntb, const row *rows, size_t n)
{
    const char *path = tmp_path("cells.tw");
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "scenario \"cells\"\nfocus USA CHN\nstep 2025-01-01 \"rows\"\n");
    for (size_t k = 0; k < n; k++)
        fprintf(f, "%s L %s -> %s %s %s%s\n", ntb ? "ntb" : "set", rows[k].exp, rows[k].imp,
                rows[k].sec, ntb ? "factor " : "", rows[k].value);
    fclose(f);
    return path;
}

/* The tariffs (ntb = 0) or iceberg factors after the scenario's step. */
static void via_scenario(const tw_world *w, int ntb, const row *rows, size_t n, double *out)
{
    tw_error err;
    tw_scenario *sc = tw_scenario_load(write_scenario(ntb, rows, n), &err);
    assert_non_null(sc);
    tw_timeline *tl = tw_timeline_run(sc, w, NULL, 0, NULL, &err);
    assert_non_null(tl);
    memcpy(out, ntb ? tw_timeline_dhat(tl, 1) : tw_timeline_tariffs(tl, 1), NIJ * sizeof *out);
    tw_timeline_free(tl);
    tw_scenario_free(sc);
}

static tw_status check_scenario(const tw_world *w, int ntb, const row *r, tw_error *err)
{
    tw_scenario *sc = tw_scenario_load(write_scenario(ntb, r, 1), err);
    assert_non_null(sc);
    tw_status st = tw_scenario_check(sc, w, err);
    tw_scenario_free(sc);
    return st;
}

/* The cells a sweep axis over row r covers, or an error. */
static tw_status via_axis(const tw_world *w, const row *r, unsigned char *covered, tw_error *err)
{
    char spec[128];
    snprintf(spec, sizeof spec, "%s,%s,%s:0:1:1", r->imp, r->exp, r->sec ? r->sec : "");
    tw_sweep *s = tw_sweep_create(w, NULL, NULL, err);
    assert_non_null(s);
    tw_status st = tw_sweep_add_axis(s, spec, err);
    memset(covered, 0, NIJ);
    for (size_t q = 0; !st && q < s->axes[0].n_cells; q++) covered[s->axes[0].cells[q]] = 1;
    tw_sweep_free(s);
    return st;
}

/* ---- the same results ----------------------------------------------------- */

/* The rows applied through a file, which the JSON decoder must match on
 * every cell. */
static tw_shock *file_and_json(const tw_world *w, int ntb, const row *rows, size_t n)
{
    tw_error err;
    tw_shock *f = tw_shock_create(w, &err), *j = tw_shock_create(w, &err);
    assert_int_equal(via_file(f, ntb, rows, n, &err), TW_OK);
    assert_int_equal(via_json(j, ntb, rows, n, &err), TW_OK);
    assert_memory_equal(tw_shock_tariffs(f), tw_shock_tariffs(j), NIJ * sizeof(double));
    assert_memory_equal(tw_shock_dhat(f), tw_shock_dhat(j), NIJ * sizeof(double));
    tw_shock_free(j);
    return f;
}

static void test_tariff_rows_give_the_same_levels_everywhere(void **state)
{
    const tw_world *w = *state;
    const row rows[] = {{"USA", "*", "*", "0.3"}, {"USA", "CHN", "GDS", "0.5"}, {"*", "MEX", "*", "0.4"}};
    tw_shock *f = file_and_json(w, 0, rows, 3);
    const double *t = tw_shock_tariffs(f), *t0 = tw_world_tariffs(w);
    assert_true(t[cell(USA, CHN, GDS)] == 0.5);   /* the later row overrides */
    assert_true(t[cell(USA, MEX, GDS)] == 0.4);
    assert_true(t[cell(CHN, MEX, GDS)] == 0.4);
    assert_true(t[cell(USA, CHN, SRV)] == t0[cell(USA, CHN, SRV)]); /* '*' = tradable */
    assert_true(t[cell(MEX, MEX, GDS)] == t0[cell(MEX, MEX, GDS)]); /* never domestic */
    /* a scenario layer adds its rates to the baseline: the same cells, the same rates */
    double sc[NIJ];
    via_scenario(w, 0, rows, 3, sc);
    for (size_t c = 0; c < NIJ; c++) {
        double want = t[c] != t0[c] ? t[c] : 0.0;
        assert_true(fabs(sc[c] - t0[c] - want) <= 1e-15);
    }
    /* a sweep axis over one row covers the cells that row sets in a file */
    for (size_t k = 0; k < 3; k++) {
        tw_error err;
        unsigned char covered[NIJ];
        tw_shock *one = tw_shock_create(w, &err);
        assert_int_equal(via_file(one, 0, &rows[k], 1, &err), TW_OK);
        assert_int_equal(via_axis(w, &rows[k], covered, &err), TW_OK);
        for (size_t c = 0; c < NIJ; c++)
            assert_int_equal(covered[c], tw_shock_tariffs(one)[c] != t0[c]);
        tw_shock_free(one);
    }
    tw_shock_free(f);
}

static void test_overlapping_ntb_rows_override_then_multiply_once(void **state)
{
    const tw_world *w = *state;
    const row rows[] = {{"CHN", "USA", "GDS", "1.1"}, {"CHN", "USA", "*", "1.2"}, {"*", "*", "SRV", "0.9"}};
    tw_shock *f = file_and_json(w, 1, rows, 3);
    const double *d = tw_shock_dhat(f);
    assert_true(d[cell(CHN, USA, GDS)] == 1.2);   /* not 1.1 x 1.2 = 1.32 */
    assert_true(d[cell(CHN, USA, SRV)] == 0.9);   /* '*' covers services for NTBs */
    assert_true(d[cell(USA, MEX, SRV)] == 0.9);
    assert_true(d[cell(USA, USA, SRV)] == 1.0);   /* never domestic */
    double sc[NIJ];
    via_scenario(w, 1, rows, 3, sc);
    assert_memory_equal(sc, d, NIJ * sizeof(double));
    tw_shock_free(f);
}

/* ---- the same errors ------------------------------------------------------ */

typedef struct bad_case {
    int ntb;
    row r;
    const char *field, *msg;
    int scenario_msg;  /* 1: a scenario statement gives this message too; 0: the same
                          error in its own words (domestic cells); -1: no such statement */
} bad_case;

static void test_bad_rows_give_the_same_error_everywhere(void **state)
{
    const tw_world *w = *state;
    static const bad_case cases[] = {
        {0, {"USA", "VNM", "*", "0.3"}, "exporter",
         "unknown country \"VNM\" (expected a code of the world or \"*\")", 1},
        {0, {"USA", "CHN", "SRV", "0.3"}, "sector",
         "sector \"SRV\" is not tradable (tariffs do not apply to it; \"*\" covers the tradable "
         "sectors)", 1},
        {0, {"USA", "USA", "GDS", "0.3"}, "exporter",
         "tariff on domestic cell USA->USA (expected importer != exporter)", 0},
        {0, {"USA", "CHN", NULL, "0.3"}, "sector",
         "no sector given (expected a code of the world or \"*\")", -1},
        {0, {"USA", "CHN", "*", "-0.1"}, "rate", "rate \"-0.1\" is negative (expected >= 0)", -1},
        {1, {"USA", "CHN", "BEEF", "1.1"}, "sector",
         "unknown sector \"BEEF\" (expected a code of the world or \"*\")", 1},
        {1, {"USA", "CHN", "*", "0"}, "factor", "factor \"0\" is not positive (expected > 0)", -1},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const bad_case *b = &cases[k];
        tw_error err;
        tw_shock *s = tw_shock_create(w, &err);
        /* a good row first: on error nothing of the application stays */
        const row rows[2] = {{"MEX", "CHN", "*", b->ntb ? "2" : "0.9"}, b->r};
        assert_int_equal(via_file(s, b->ntb, rows, 2, &err), TW_EINPUT);
        assert_string_equal(err.msg, b->msg);
        assert_string_equal(err.field, b->field);
        assert_int_equal(err.line, 3);
        assert_int_equal(via_json(s, b->ntb, rows, 2, &err), TW_EINPUT);
        assert_string_equal(err.msg, b->msg);
        char field[64];
        snprintf(field, sizeof field, "%s[1].%s", b->ntb ? "ntb" : "tariffs", b->field);
        assert_string_equal(err.field, field);
        assert_memory_equal(tw_shock_tariffs(s), tw_world_tariffs(w), NIJ * sizeof(double));
        for (size_t c = 0; c < NIJ; c++) assert_true(tw_shock_dhat(s)[c] == 1.0);
        tw_shock_free(s);
        if (!b->ntb && strcmp(b->field, "rate") != 0) { /* an axis has cells, no rate */
            unsigned char covered[NIJ];
            char want[400];
            snprintf(want, sizeof want, "axis \"%s,%s,%s:0:1:1\": %s", b->r.imp, b->r.exp,
                     b->r.sec ? b->r.sec : "", b->msg);
            assert_int_equal(via_axis(w, &b->r, covered, &err), TW_EINPUT);
            assert_string_equal(err.msg, want);
        }
        if (b->scenario_msg >= 0) {
            assert_int_equal(check_scenario(w, b->ntb, &b->r, &err), TW_EINPUT);
            if (b->scenario_msg) assert_string_equal(err.msg, b->msg);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tariff_rows_give_the_same_levels_everywhere),
        cmocka_unit_test(test_overlapping_ntb_rows_override_then_multiply_once),
        cmocka_unit_test(test_bad_rows_give_the_same_error_everywhere),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

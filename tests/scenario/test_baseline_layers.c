/* test_baseline_layers.c - a world whose baseline tariffs already hold policy
 * layers (baseline_layers.csv): the loader's checks, the world hash, and one
 * scenario replayed on that world and on the same world without the layers,
 * which must give the same applied rates after every step. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tradewar/data.h"
#include "tradewar/scenario.h"
#include "tradewar/solve.h"
#include "tradewar/store.h"
#include "tradewar/world.h"
#include "core/index.h"
#include "../common/fixtures.h"

/* Two worlds of 3 countries, goods G1 G2 (tradable) and services S: plain/
 * without layers, layered/ with the same flows, its tariffs raised by the
 * layers of baseline_layers.csv; and the scenario s.tw with its table m.csv. */
static char dir[256], plain[300], layered[300];

#define DATA TW_SOURCE_DIR "/data"

static const char *const trade_csv =
    "importer,exporter,sector,value\n"
    "A,A,G1,100\nA,B,G1,30\nA,C,G1,12\nA,A,G2,80\nA,B,G2,10\nA,C,G2,9\nA,A,S,200\nA,B,S,5\n"
    "B,B,G1,90\nB,A,G1,20\nB,C,G1,8\nB,B,G2,70\nB,A,G2,25\nB,C,G2,6\nB,B,S,150\nB,A,S,10\n"
    "C,C,G1,60\nC,A,G1,11\nC,B,G1,7\nC,C,G2,50\nC,A,G2,5\nC,B,G2,9\nC,C,S,90\nC,A,S,4\n";

/* The layers: s301 on B's goods in A, A's retaliation in B. */
static const char *const layers_csv =
    "layer,importer,exporter,sector,rate,share\n"
    "s301,A,B,G1,0.25,0.4\n"
    "s301,A,B,G2,0.1,1\n"
    "retal,B,A,G1,0.131,0.5\n";

static void write_world(const char *wdir, const char *tariffs, const char *layers)
{
    fx_write_in(wdir, "countries.csv", "code,name\nA,Aland\nB,Bland\nC,Cland\n");
    fx_write_in(wdir, "sectors.csv",
                "code,name,theta,tradable\nG1,Goods one,4,1\nG2,Goods two,6,1\nS,Services,5,0\n");
    fx_write_in(wdir, "trade.csv", trade_csv);
    fx_write_in(wdir, "tariffs.csv", tariffs);
    if (layers) fx_write_in(wdir, "baseline_layers.csv", layers);
}

static int setup(void **state)
{
    (void)state;
    fx_scratch(dir, sizeof dir, "layers");
    snprintf(plain, sizeof plain, "%s/plain", dir);
    snprintf(layered, sizeof layered, "%s/layered", dir);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s' '%s'", plain, layered);
    assert_int_equal(system(cmd), 0);
    write_world(plain, "importer,exporter,sector,rate\nA,B,G1,0.05\nA,B,G2,0.02\nB,A,G1,0.03\n"
                       "C,A,G1,0.04\n", NULL);
    /* 0.05 + 0.25 x 0.4, 0.02 + 0.1, 0.03 + 0.131 x 0.5 */
    write_world(layered, "importer,exporter,sector,rate\nA,B,G1,0.15\nA,B,G2,0.12\n"
                         "B,A,G1,0.0955\nC,A,G1,0.04\n", layers_csv);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fx_remove_tree(dir);
    return 0;
}

/* The status quo restates the layers; then s301 is raised (a set replaces the
 * baseline's contribution), a new layer with an exemption comes, the
 * retaliation ends and s301 reaches a cell the baseline does not hold. */
static const char *const scenario =
    "scenario \"layers\"\nfocus A B\nmapping m.csv\n"
    "step 2025-01-01 \"status quo\"\n"
    "  set s301 B -> A G1 25% share 0.4\n"
    "  set s301 B -> A G2 10%\n"
    "  set retal A -> B G1 13.1% share 0.5\n"
    "step 2025-02-01 \"escalation\"\n"
    "  set s301 B -> A G1 50% share 0.4\n"
    "  add f B,C -> A * 20%\n"
    "  exempt f B -> A G2 share 0.5\n"
    "step 2025-03-01 \"truce\"\n"
    "  remove retal\n"
    "  set s301 C -> A G1 10%\n"
    "  set retal A -> C G2 5%\n";

/* One scenario replayed on a world without the layers ([0]) and with them. */
typedef struct both {
    tw_scenario *sc;
    tw_world *w[2];
    tw_timeline *tl[2];
} both;

static both run_both(const char *path, const char *without, const char *with)
{
    tw_error e;
    both b = {tw_scenario_load(path, &e), {NULL, NULL}, {NULL, NULL}};
    if (!b.sc) fail_msg("parse: %s:%ld:%ld: %s", e.file, e.line, e.col, e.msg);
    const char *wdir[2] = {without, with};
    for (int k = 0; k < 2; k++) {
        b.w[k] = fx_load(wdir[k]);
        b.tl[k] = tw_timeline_run(b.sc, b.w[k], NULL, 0, NULL, &e);
        if (!b.tl[k]) fail_msg("run: %s:%ld:%ld: %s", e.file, e.line, e.col, e.msg);
    }
    return b;
}

static void both_free(both *b)
{
    for (int k = 0; k < 2; k++) {
        tw_timeline_free(b->tl[k]);
        tw_world_free(b->w[k]);
    }
    tw_scenario_free(b->sc);
}

/* s.tw of the scratch folder on the two small worlds. */
static both run_small(void)
{
    char p[300];
    return run_both(fx_path(p, sizeof p, dir, "s.tw"), plain, layered);
}

static void test_one_scenario_gives_the_same_rates_on_both_worlds(void **state)
{
    (void)state;
    fx_write_in(dir, "m.csv", "ref,layer,exporters,importers,sector,share,basis\n"
                              ",s301,B,A,G1,0.4,test\n,retal,A,B,G1,0.5,test\n"
                              ",f,B,A,G2,0.5,test\n");
    fx_write_in(dir, "s.tw", scenario);
    both b = run_small();
    const tw_timeline *t1 = b.tl[0], *t2 = b.tl[1];
    const tw_world *w2 = b.w[1];
    size_t nij = 3 * 3 * 3, steps = tw_timeline_n_steps(t1);
    assert_int_equal(steps, 4); /* baseline and three steps */
    assert_int_equal(tw_timeline_n_steps(t2), steps);
    /* the baseline row is each world's own data */
    assert_memory_equal(tw_timeline_tariffs(t2, 0), tw_world_tariffs(w2), nij * sizeof(double));
    /* after every step the applied rates agree */
    for (size_t k = 1; k < steps; k++)
        fx_assert_arrays_close("applied rates", tw_timeline_tariffs(t1, k),
                               tw_timeline_tariffs(t2, k), nij, 1e-12);
    /* the status quo adds nothing to the layered world */
    fx_assert_arrays_close("status quo", tw_timeline_tariffs(t2, 1), tw_world_tariffs(w2), nij,
                           1e-15);
    for (size_t n = 0; n < 3; n++)
        assert_true(fabs(tw_result_welfare_hat(tw_timeline_result(t2, 1), n) - 1) < 1e-12);
    /* the escalation replaces s301's 0.10 on A<-B G1 by 0.20 (not 0.30), adds
     * f; the truce takes the retaliation out of the baseline */
    const double *esc = tw_timeline_tariffs(t2, 2), *tru = tw_timeline_tariffs(t2, 3);
    assert_true(fabs(esc[tw_ix_nij(3, 3, 0, 1, 0)] - (0.05 + 0.20 + 0.20)) < 1e-15);
    assert_true(fabs(esc[tw_ix_nij(3, 3, 0, 1, 1)] - (0.02 + 0.10 + 0.10)) < 1e-15);
    assert_true(fabs(tru[tw_ix_nij(3, 3, 1, 0, 0)] - 0.03) < 1e-15);
    assert_true(fabs(tru[tw_ix_nij(3, 3, 0, 2, 0)] - (0.20 + 0.10)) < 1e-15);
    both_free(&b);
}

/* A rule answers the additional tariff over the baseline without its layers:
 * the same on both worlds. */
static void test_a_mirror_rule_answers_the_same_on_both_worlds(void **state)
{
    (void)state;
    fx_write_in(dir, "m.csv", "ref,layer,exporters,importers,sector,share,basis\n"
                              ",s301,B,A,G1,0.4,test\n");
    fx_write_in(dir, "s.tw", "scenario \"rule\"\nfocus A B\nmapping m.csv\nevent x \"unused\"\n"
                             "rule mirror B A delay 7 layer M\n"
                             "step 2025-01-01 \"status quo\"\n"
                             "  set s301 B -> A G1 25% share 0.4\n  set s301 B -> A G2 10%\n"
                             "  remove retal\n"
                             "step 2025-01-02 \"never\" if x\n  set retal A -> B G1 1%\n");
    both b = run_small();
    assert_int_equal(tw_timeline_n_steps(b.tl[0]), 3); /* baseline, status quo, the answer */
    assert_true(tw_timeline_step_is_rule(b.tl[1], 2));
    fx_assert_arrays_close("answer", tw_timeline_tariffs(b.tl[0], 2),
                           tw_timeline_tariffs(b.tl[1], 2), 27, 1e-12);
    both_free(&b);
}

static void test_the_layers_are_read_and_hashed(void **state)
{
    (void)state;
    tw_world *w = fx_load(layered), *p = fx_load(plain);
    assert_true(tw_world_has_baseline_layers(w));
    assert_false(tw_world_has_baseline_layers(p));
    assert_int_equal(tw_world_n_baseline_layers(w), 3);
    tw_baseline_layer bl;
    assert_int_equal(tw_world_baseline_layer(w, 2, &bl), 0);
    assert_string_equal(bl.layer, "retal");
    assert_int_equal(bl.importer, 1);
    assert_int_equal(bl.exporter, 0);
    assert_int_equal(bl.sector, 0);
    assert_true(bl.rate == 0.131 && bl.share == 0.5);
    assert_int_equal(tw_world_baseline_layer(w, 3, &bl), -1);
    char h0[17], h1[17];
    tw_world_hash(w, h0);
    tw_world_free(w);
    fx_write_in(layered, "baseline_layers.csv",
                "layer,importer,exporter,sector,rate,share\ns301,A,B,G1,0.25,0.4\n");
    w = fx_load(layered);
    tw_world_hash(w, h1);
    assert_string_not_equal(h0, h1);
    tw_world_free(w);
    fx_write_in(layered, "baseline_layers.csv", layers_csv);
    tw_world_free(p);
}

/* The status-quo step of the shipped scenario as layers: per layer the
 * contribution of every cell its set and add actions reach (default branch). */
enum { MAXL = 16 };
typedef struct sq_layers {
    size_t n;
    const char *name[MAXL];
    double *v[MAXL];
} sq_layers;

static double *sq_layer(sq_layers *q, const char *name, size_t nij)
{
    for (size_t k = 0; k < q->n; k++)
        if (!strcmp(q->name[k], name)) return q->v[k];
    assert_true(q->n < MAXL);
    q->name[q->n] = name;
    q->v[q->n] = calloc(nij, sizeof(double));
    return q->v[q->n++];
}

/* The indices of the codes of a list "A,B,C" (no wildcards in the step). */
static size_t codes_of(const tw_world *w, const char *list, int sectors, size_t *out)
{
    char buf[256];
    size_t n = 0;
    snprintf(buf, sizeof buf, "%s", list);
    for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        long k = sectors ? tw_world_sector_index(w, t) : tw_world_country_index(w, t);
        assert_true(k >= 0);
        out[n++] = (size_t)k;
    }
    return n;
}

static void status_quo(const tw_scenario *sc, const tw_world *w, sq_layers *q)
{
    size_t N = tw_world_n_countries(w), J = tw_world_n_sectors(w), nij = N * N * J;
    size_t ex[64], im[64], se[64];
    for (size_t k = 0; k < tw_scenario_step_n_actions(sc, 0); k++) {
        tw_action_info a;
        assert_int_equal(tw_scenario_action(sc, 0, k, &a), TW_OK);
        if (a.cond && a.cond[0] != '!') continue;
        int add = !strcmp(a.verb, "add");
        assert_true(add || !strcmp(a.verb, "set"));
        double *v = sq_layer(q, a.layer, nij);
        size_t ne = codes_of(w, a.exporters, 0, ex), ni = codes_of(w, a.importers, 0, im);
        size_t ns = codes_of(w, a.sectors, 1, se);
        for (size_t e = 0; e < ne; e++)
            for (size_t i = 0; i < ni; i++)
                for (size_t j = 0; j < ns; j++) {
                    size_t c = tw_ix_nij(N, J, im[i], ex[e], se[j]);
                    v[c] = (add ? v[c] : 0.0) + a.value * a.share;
                }
    }
}

/* world2011 with the status quo of the shipped scenario in its baseline
 * tariffs and baseline_layers.csv, written to wdir. */
static void layered_world2011(const tw_scenario *sc, const char *wdir)
{
    char cmd[900], path[400];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s' && cp '%s'/*.csv '%s'/", wdir, DATA "/world2011", wdir);
    assert_int_equal(system(cmd), 0);
    tw_world *w = fx_load(DATA "/world2011");
    size_t N = tw_world_n_countries(w), J = tw_world_n_sectors(w), nij = N * N * J;
    sq_layers q = {0};
    status_quo(sc, w, &q);
    const double *tau = tw_world_tariffs(w);
    FILE *t = fopen(fx_path(path, sizeof path, wdir, "tariffs.csv"), "w");
    FILE *l = fopen(fx_path(path, sizeof path, wdir, "baseline_layers.csv"), "w");
    assert_non_null(t);
    assert_non_null(l);
    fputs("importer,exporter,sector,rate\n", t);
    fputs("layer,importer,exporter,sector,rate,share\n", l);
    for (size_t c = 0; c < nij; c++) {
        size_t n = c / (N * J), i = c / J % N, j = c % J;
        double rate = tau[c];
        for (size_t k = 0; k < q.n; k++) {
            rate += q.v[k][c];
            if (q.v[k][c] != 0)
                fprintf(l, "%s,%s,%s,%s,%.17g,1\n", q.name[k], tw_world_country_code(w, n),
                        tw_world_country_code(w, i), tw_world_sector_code(w, j), q.v[k][c]);
        }
        if (rate != 0)
            fprintf(t, "%s,%s,%s,%.17g\n", tw_world_country_code(w, n),
                    tw_world_country_code(w, i), tw_world_sector_code(w, j), rate);
    }
    fclose(t);
    fclose(l);
    for (size_t k = 0; k < q.n; k++) free(q.v[k]);
    tw_world_free(w);
}

/* The shipped scenario on world2011 and on world2011 holding its status quo:
 * the same applied rates after every step, and a status quo that adds
 * nothing to the second. */
static void test_the_shipped_scenario_runs_on_a_world_that_holds_its_status_quo(void **state)
{
    (void)state;
    static const char *const path = DATA "/scenarios/us-china-2025.tw";
    tw_error e;
    tw_scenario *sc = tw_scenario_load(path, &e);
    if (!sc) fail_msg("%s:%ld: %s", e.file, e.line, e.msg);
    char wdir[300];
    layered_world2011(sc, fx_path(wdir, sizeof wdir, dir, "w2011sq"));
    tw_scenario_free(sc);
    both b = run_both(path, DATA "/world2011", wdir);
    const tw_world *w1 = b.w[0], *w2 = b.w[1];
    const tw_timeline *t1 = b.tl[0], *t2 = b.tl[1];
    assert_true(tw_world_n_baseline_layers(w2) > 50);
    size_t nij = tw_world_n_countries(w1) * tw_world_n_countries(w1) * tw_world_n_sectors(w1);
    size_t steps = tw_timeline_n_steps(t1);
    assert_int_equal(tw_timeline_n_steps(t2), steps);
    assert_memory_equal(tw_timeline_tariffs(t2, 1), tw_world_tariffs(w2), nij * sizeof(double));
    for (size_t k = 1; k < steps; k++)
        fx_assert_arrays_close(tw_timeline_step_date(t1, k), tw_timeline_tariffs(t1, k),
                               tw_timeline_tariffs(t2, k), nij, 1e-12);
    both_free(&b);
}

/* The shipped scenario on world2011 and on world2023 (which holds its status
 * quo in baseline_layers.csv and adds Viet Nam): after every 2025-26 step the
 * applied rate of every cell both worlds hold (their codes) is the same, so
 * the layers world2023's baseline holds are not counted twice.  One cell is
 * left out on purpose: US imports from ROW.  ROW is not the same region on
 * the two worlds (world2023's lacks Viet Nam), and the scenario gives the
 * smaller ROW its own reciprocal rates (`if region:VNM`); test_timeline checks
 * those rates.  Every other cell with ROW, and USA <- ROW in the steps where
 * ROW pays what every partner pays, is still compared. */
static void test_world2011_and_world2023_apply_the_same_rates(void **state)
{
    (void)state;
    both b = run_both(DATA "/scenarios/us-china-2025.tw", DATA "/world2011", DATA "/world2023");
    const tw_world *w1 = b.w[0], *w2 = b.w[1];
    size_t N1 = tw_world_n_countries(w1), J = tw_world_n_sectors(w1), N2 = tw_world_n_countries(w2);
    assert_int_equal(tw_world_n_sectors(w2), J);
    assert_true(tw_world_n_baseline_layers(w2) > 50);
    size_t steps = tw_timeline_n_steps(b.tl[0]), cells = 0;
    assert_int_equal(tw_timeline_n_steps(b.tl[1]), steps);
    long map[64];
    assert_true(N1 <= 64);
    for (size_t n = 0; n < N1; n++) map[n] = tw_world_country_index(w2, tw_world_country_code(w1, n));
    size_t usa = (size_t)tw_world_country_index(w1, "USA"), row = (size_t)tw_world_country_index(w1, "ROW");
    for (size_t k = 1; k < steps; k++) {
        const double *t1 = tw_timeline_tariffs(b.tl[0], k), *t2 = tw_timeline_tariffs(b.tl[1], k);
        const char *date = tw_timeline_step_date(b.tl[0], k);
        assert_string_equal(date, tw_timeline_step_date(b.tl[1], k));
        /* while ROW's own reciprocal rate applies: the Annex I rates of 9 April
         * 2025 and the rates of 7 August 2025 until the IEEPA duties end (ISO
         * dates order as strings) */
        int row_differs = !strcmp(date, "2025-04-09") ||
                          (strcmp(date, "2025-08-07") >= 0 && strcmp(date, "2026-02-24") < 0);
        for (size_t n = 0; n < N1; n++)
            for (size_t i = 0; i < N1; i++)
                for (size_t j = 0; j < J && map[n] >= 0 && map[i] >= 0; j++) {
                    if (row_differs && n == usa && i == row) continue;
                    double a = t1[tw_ix_nij(N1, J, n, i, j)];
                    double c = t2[tw_ix_nij(N2, J, (size_t)map[n], (size_t)map[i], j)];
                    if (fabs(a - c) > 1e-12)
                        fail_msg("%s: %s on %s, %s: %.15g on world2011, %.15g on world2023",
                                 tw_timeline_step_date(b.tl[0], k), tw_world_country_code(w1, n),
                                 tw_world_country_code(w1, i), tw_world_sector_code(w1, j), a, c);
                    cells++;
                }
    }
    assert_true(cells > 100000);
    both_free(&b);
}

/* Aggregating B and C into BC and G1, G2 into G weights each layer like the
 * tariffs; the export lists the rows. */
static void test_aggregate_and_export_carry_the_layers(void **state)
{
    (void)state;
    char cmap[300], smap[300], out[300];
    fx_write_in(dir, "cmap.csv", "code,group\nA,A\nB,BC\nC,BC\n");
    fx_write_in(dir, "smap.csv", "code,group\nG1,G\nG2,G\nS,S\n");
    tw_world *w = fx_load(layered);
    tw_error e;
    tw_draft *d = tw_aggregate(w, fx_path(cmap, sizeof cmap, dir, "cmap.csv"),
                               fx_path(smap, sizeof smap, dir, "smap.csv"), &e);
    assert_non_null(d);
    assert_int_equal(tw_draft_write(d, fx_path(out, sizeof out, dir, "agg"), &e), TW_OK);
    tw_draft_free(d);
    tw_world *a = fx_load(out);
    assert_int_equal(tw_world_n_baseline_layers(a), 2);
    tw_baseline_layer bl;
    tw_world_baseline_layer(a, 0, &bl);
    /* s301 on A<-BC G: (0.1 x 30 + 0.1 x 10) / (30 + 10 + 12 + 9), at the largest rate */
    assert_string_equal(bl.layer, "s301");
    assert_true(bl.rate == 0.25);
    assert_true(fabs(bl.rate * bl.share - 4.0 / 61.0) < 1e-15);
    tw_world_baseline_layer(a, 1, &bl);
    /* retal on BC<-A G: 0.0655 x 20 / (20 + 25 + 11 + 5) */
    assert_string_equal(bl.layer, "retal");
    assert_true(fabs(bl.rate * bl.share - 0.0655 * 20 / 61.0) < 1e-15);
    tw_world_free(a);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(tw_export_world(f, w, TW_EXPORT_CSV, &e), TW_OK);
    fclose(f);
    assert_non_null(strstr(buf, "\nbaseline_layer_rate,B,A,G1,retal,0.131,fraction\n"
                                "baseline_layer_share,B,A,G1,retal,0.5,fraction\n"));
    free(buf);
    f = open_memstream(&buf, &len);
    assert_int_equal(tw_export_world(f, w, TW_EXPORT_JSON, &e), TW_OK);
    fclose(f);
    assert_non_null(strstr(buf, "\"baseline_layers\""));
    free(buf);
    tw_world_free(w);
}

/* Bad rows: file:line, the column, and what was expected. */
static void test_bad_rows_are_refused_with_their_line_and_column(void **state)
{
    (void)state;
    static const struct {
        const char *row, *field, *msg;
    } cases[] = {
        {"s-1 x,A,B,G1,0.1,1", "layer", "layer \"s-1 x\" is not a layer name"},
        {"s301,A,Z,G1,0.1,1", "exporter", "unknown country \"Z\" (not in countries.csv)"},
        {"s301,A,B,G9,0.1,1", "sector", "unknown sector \"G9\" (not in sectors.csv)"},
        {"s301,A,B,S,0.1,1", "sector", "sector S is not tradable"},
        {"s301,A,A,G1,0.1,1", "exporter", "A -> A is a domestic cell"},
        {"t,A,B,G2,-0.1,1", "rate", "rate \"-0.1\" for t on B -> A G2 is negative"},
        {"t,A,B,G2,0.1,1.5", "share", "share \"1.5\" for t on B -> A G2 is above 1"},
        {"t,A,B,G2,0.1,-1", "share", "share \"-1\" for t on B -> A G2 is negative"},
        {"s301,A,B,G1,0.1,0.1", "layer", "duplicate row for s301 on B -> A G1 (first on line 2)"},
        {"other,A,B,G1,0.1,0.6", "rate", "the layers of B -> A G1 add up to 0.16"},
    };
    char text[300], want[200];
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        snprintf(text, sizeof text, "layer,importer,exporter,sector,rate,share\n"
                                    "s301,A,B,G1,0.1,1\n%s\n", cases[k].row);
        fx_write_in(layered, "baseline_layers.csv", text);
        tw_error e;
        tw_world *w = tw_world_load(layered, &e);
        assert_null(w);
        assert_int_equal(e.code, TW_EINPUT);
        assert_int_equal(e.line, 3);
        assert_string_equal(e.field, cases[k].field);
        snprintf(want, sizeof want, "%s", cases[k].msg);
        if (strncmp(e.msg, want, strlen(want)) != 0)
            fail_msg("row \"%s\": got \"%s\", expected \"%s...\"", cases[k].row, e.msg, want);
        assert_non_null(strstr(e.file, "baseline_layers.csv"));
    }
    fx_write_in(layered, "baseline_layers.csv", layers_csv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_scenario_gives_the_same_rates_on_both_worlds),
        cmocka_unit_test(test_a_mirror_rule_answers_the_same_on_both_worlds),
        cmocka_unit_test(test_the_layers_are_read_and_hashed),
        cmocka_unit_test(test_aggregate_and_export_carry_the_layers),
        cmocka_unit_test(test_the_shipped_scenario_runs_on_a_world_that_holds_its_status_quo),
        cmocka_unit_test(test_world2011_and_world2023_apply_the_same_rates),
        cmocka_unit_test(test_bad_rows_are_refused_with_their_line_and_column),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

/* test_store.c - the run store (src/store/): save and read back, listing order
 * and limits, missing runs, refusal of foreign files, concurrent writers, the
 * world hash and the diff of two runs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tradewar/policy.h"
#include "tradewar/solve.h"
#include "tradewar/store.h"
#include "tradewar/world.h"
#include "../common/fixtures.h"

#define TINY "tests/data/good/tiny3x2"

static char dir[256];

static int make_dir(void **state)
{
    snprintf(dir, sizeof dir, "%s/tw-store-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *db_path(const char *name, char *buf, size_t size)
{
    snprintf(buf, size, "%s/%s", dir, name);
    return buf;
}

/* The store at db_path(name), its path left in buf; the test fails when it
 * does not open. */
static tw_store *open_at(const char *name, char *buf, size_t size)
{
    tw_error err;
    tw_store *st = tw_store_open(db_path(name, buf, size), &err);
    if (!st) fail_msg("%s: %s", buf, err.msg);
    return st;
}

static tw_run sample(const char *label, double welfare)
{
    static char results[2][256];
    int k = welfare > 0;
    snprintf(results[k], sizeof results[k],
             "{\"converged\":true,\"countries\":[{\"code\":\"USA\",\"welfare_pct\":%g,"
             "\"real_wage_pct\":0.5},{\"code\":\"CHN\",\"welfare_pct\":-1}]}",
             welfare);
    tw_run r = {0};
    r.kind = "solve";
    r.source = "test";
    r.label = label;
    r.world = "tiny3x2";
    r.world_hash = "0123456789abcdef";
    r.inputs = "{\"tariffs\":[]}";
    r.options = "{\"method\":\"newton\",\"tol\":1e-10}";
    r.results = results[k];
    r.converged = 1;
    r.iterations = 7;
    r.evaluations = 21;
    r.residual = 3e-12;
    r.seconds = 0.25;
    return r;
}

static void test_saved_run_reads_back_with_every_field(void **state)
{
    char p[400];
    tw_error err;
    tw_store *st = open_at("sub/dir/runs.db", p, sizeof p);
    tw_run in = sample("first", 1.5);
    long long id = 0;
    assert_int_equal(tw_store_save(st, &in, &id, &err), TW_OK);
    assert_int_equal(id, 1);
    tw_run *out = tw_store_get(st, id, &err);
    assert_non_null(out);
    assert_string_equal(out->kind, "solve");
    assert_string_equal(out->source, "test");
    assert_string_equal(out->label, "first");
    assert_string_equal(out->world_hash, "0123456789abcdef");
    assert_string_equal(out->inputs, in.inputs);
    assert_string_equal(out->options, in.options);
    assert_string_equal(out->results, in.results);
    assert_string_equal(out->version, TW_VERSION);
    assert_int_equal(strlen(out->created), 20); /* 2025-01-02T03:04:05Z */
    assert_int_equal(out->created[19], 'Z');
    assert_int_equal(out->iterations, 7);
    assert_int_equal(out->evaluations, 21);
    assert_true(fabs(out->residual - 3e-12) < 1e-24);
    assert_true(fabs(out->seconds - 0.25) < 1e-15);
    assert_int_equal(out->converged, 1);
    tw_run_free(out);
    tw_store_close(st);
}

static void test_list_is_newest_first_and_honours_the_limit(void **state)
{
    char p[400];
    tw_error err;
    tw_store *st = open_at("list.db", p, sizeof p);
    const char *labels[] = {"a", "b", "c"};
    for (int k = 0; k < 3; k++) {
        tw_run r = sample(labels[k], 1);
        assert_int_equal(tw_store_save(st, &r, NULL, &err), TW_OK);
    }
    tw_run *runs;
    size_t n;
    assert_int_equal(tw_store_list(st, 2, &runs, &n, &err), TW_OK);
    assert_int_equal(n, 2);
    assert_int_equal(runs[0].id, 3);
    assert_string_equal(runs[0].label, "c");
    assert_string_equal(runs[1].label, "b");
    assert_null(runs[0].results);
    tw_runs_free(runs, n);
    assert_int_equal(tw_store_list(st, 0, &runs, &n, &err), TW_OK);
    assert_int_equal(n, 3);
    tw_runs_free(runs, n);
    tw_store_close(st);
    /* reopening keeps everything */
    st = tw_store_open(p, &err);
    assert_non_null(st);
    assert_int_equal(tw_store_list(st, 0, &runs, &n, &err), TW_OK);
    assert_int_equal(n, 3);
    tw_runs_free(runs, n);
    tw_store_close(st);
}

static void test_missing_run_is_an_input_error_naming_id_and_file(void **state)
{
    char p[400], want[600];
    tw_error err;
    tw_store *st = open_at("empty.db", p, sizeof p);
    assert_null(tw_store_get(st, 42, &err));
    assert_int_equal(err.code, TW_EINPUT);
    snprintf(want, sizeof want, "no run 42 in %s", p);
    assert_string_equal(err.msg, want);
    tw_run *runs;
    size_t n;
    assert_int_equal(tw_store_list(st, 10, &runs, &n, &err), TW_OK);
    assert_int_equal(n, 0);
    assert_null(runs);
    tw_store_close(st);
}

static void test_a_file_that_is_not_a_store_is_refused(void **state)
{
    char p[400];
    tw_error err;
    FILE *f = fopen(db_path("text.db", p, sizeof p), "w");
    assert_non_null(f);
    fputs("importer,exporter,sector,rate\nUSA,CHN,*,0.25\n", f);
    fclose(f);
    assert_null(tw_store_open(p, &err));
    assert_int_equal(err.code, TW_EINPUT);
    assert_non_null(strstr(err.msg, "not a tradewar run store"));
}

static void test_bad_kind_is_refused(void **state)
{
    char p[400];
    tw_error err;
    tw_store *st = open_at("kind.db", p, sizeof p);
    tw_run r = sample("x", 1);
    r.kind = "sweep";
    assert_int_equal(tw_store_save(st, &r, NULL, &err), TW_EARG);
    tw_store_close(st);
}

typedef struct writer { const char *path; int saved; } writer;

static void *write_runs(void *arg)
{
    writer *wr = arg;
    tw_error err;
    tw_store *st = tw_store_open(wr->path, &err);
    if (!st) return NULL;
    for (int k = 0; k < 20; k++) {
        tw_run r = sample("thread", 2);
        if (tw_store_save(st, &r, NULL, &err) == TW_OK) wr->saved++;
    }
    tw_store_close(st);
    return NULL;
}

static void test_two_threads_with_their_own_handles_both_save(void **state)
{
    char p[400];
    tw_error err;
    db_path("threads.db", p, sizeof p);
    tw_store *st = tw_store_open(p, &err); /* create the table once */
    assert_non_null(st);
    writer wr[2] = {{p, 0}, {p, 0}};
    pthread_t th[2];
    for (int k = 0; k < 2; k++) assert_int_equal(pthread_create(&th[k], NULL, write_runs, &wr[k]), 0);
    for (int k = 0; k < 2; k++) pthread_join(th[k], NULL);
    assert_int_equal(wr[0].saved + wr[1].saved, 40);
    tw_run *runs;
    size_t n;
    assert_int_equal(tw_store_list(st, 0, &runs, &n, &err), TW_OK);
    assert_int_equal(n, 40);
    tw_runs_free(runs, n);
    tw_store_close(st);
}

static void test_world_hash_is_stable_and_sees_the_data(void **state)
{
    tw_error err;
    tw_world *a = tw_world_load(TINY, &err), *b = tw_world_load(TINY, &err);
    tw_world *c = tw_world_load("tests/data/good/tiny2x1", &err);
    assert_non_null(a);
    assert_non_null(b);
    assert_non_null(c);
    char ha[17], hb[17], hc[17];
    tw_world_hash(a, ha);
    tw_world_hash(b, hb);
    tw_world_hash(c, hc);
    assert_int_equal(strlen(ha), 16);
    assert_string_equal(ha, hb);
    assert_string_not_equal(ha, hc);
    /* the hash a copy keeps is that of its own contents: the original's with
     * the same elasticities (tiny3x2: 5 and 3), another with other ones */
    const double same[2] = {5, 3}, other[2] = {6, 3};
    tw_world *s1 = tw_world_with_theta(a, same, &err), *s2 = tw_world_with_theta(a, other, &err);
    assert_non_null(s1);
    assert_non_null(s2);
    char h1[17], h2[17];
    tw_world_hash(s1, h1);
    tw_world_hash(s2, h2);
    assert_string_equal(h1, ha);
    assert_string_not_equal(h2, ha);
    tw_world_free(s1);
    tw_world_free(s2);
    tw_world_free(a);
    tw_world_free(b);
    tw_world_free(c);
}

/* tw_world_hash of the world in wdir. */
static void hash_of(const char *wdir, char hex[17])
{
    tw_world *w = fx_load(wdir);
    tw_world_hash(w, hex);
    tw_world_free(w);
}

/* The household files enter the hash when present: adding households.csv or
 * household_consumption.csv, or changing a count, changes it; without them the
 * world hashes as before. */
static void test_world_hash_sees_the_household_files(void **state)
{
    (void)state;
    static const char *const files[] = {"countries.csv", "sectors.csv", "trade.csv",
                                        "tariffs.csv", "io.csv", "meta.csv"};
    char scratch[256], from[300], to[300], h0[17], h1[17], h2[17], h3[17], h4[17];
    fx_scratch(scratch, sizeof scratch, "hash");
    for (size_t k = 0; k < sizeof files / sizeof files[0]; k++) {
        FILE *in = fopen(fx_path(from, sizeof from, TINY, files[k]), "rb");
        FILE *out = fopen(fx_path(to, sizeof to, scratch, files[k]), "wb");
        assert_non_null(in);
        assert_non_null(out);
        for (int c; (c = fgetc(in)) != EOF;) fputc(c, out);
        fclose(in);
        fclose(out);
    }
    hash_of(TINY, h0);
    hash_of(scratch, h1);
    assert_string_equal(h0, h1);
    fx_write_in(scratch, "households.csv", "country,households,year,source\nUSA,130,2024,x\n");
    hash_of(scratch, h2);
    assert_string_not_equal(h1, h2);
    fx_write_in(scratch, "households.csv", "country,households,year,source\nUSA,131,2024,x\n");
    hash_of(scratch, h3);
    assert_string_not_equal(h2, h3);
    fx_write_in(scratch, "household_consumption.csv", "country,sector,value\nUSA,GDS,300\n");
    hash_of(scratch, h4);
    assert_string_not_equal(h3, h4);
    fx_remove_tree(scratch);
}

static void test_diff_lists_changed_options_and_welfare_differences(void **state)
{
    tw_run a = sample("a", -0.5), b = sample("b", 1.5);
    a.id = 1;
    b.id = 2;
    b.options = "{\"method\":\"tatonnement\",\"tol\":1e-10,\"step\":0.2}";
    tw_error err;
    char *txt = tw_run_diff_json(&a, &b, &err);
    assert_non_null(txt);
    assert_non_null(strstr(txt, "\"same_world\":true"));
    assert_non_null(strstr(txt, "\"method\":[\"newton\",\"tatonnement\"]"));
    assert_non_null(strstr(txt, "\"step\":[null,0.2]"));
    assert_null(strstr(txt, "\"tol\""));
    assert_non_null(strstr(txt, "{\"code\":\"USA\",\"welfare_pct\":[-0.5,1.5,2]"));
    free(txt);
    b.results = "{not json";
    assert_null(tw_run_diff_json(&a, &b, &err));
    assert_int_equal(err.code, TW_EINPUT);
    assert_string_equal(err.msg, "run 2: results are not valid JSON");
}

static void test_diff_of_timelines_compares_the_last_step(void **state)
{
    tw_run a = sample("a", 1), b = sample("b", 1);
    a.kind = b.kind = "timeline";
    a.results = "{\"steps\":[{\"countries\":[{\"code\":\"USA\",\"welfare_pct\":9}]},"
                "{\"countries\":[{\"code\":\"USA\",\"welfare_pct\":-1}]}]}";
    b.results = "{\"steps\":[{\"countries\":[{\"code\":\"USA\",\"welfare_pct\":-2}]}]}";
    tw_error err;
    char *txt = tw_run_diff_json(&a, &b, &err);
    assert_non_null(txt);
    assert_non_null(strstr(txt, "\"welfare_pct\":[-1,-2,-1]"));
    free(txt);
}

/* Pairs and sectors are matched on their keys, whatever their order; a row
 * only one run holds is left out, as is a column null in either run; a level
 * only one run holds is absent. */
static void test_diff_compares_pairs_and_sectors_by_key(void **state)
{
    tw_run a = sample("a", 1), b = sample("b", 1);
    a.results = "{\"countries\":[],"
                "\"bilateral\":[{\"importer\":\"USA\",\"exporter\":\"CHN\",\"change_pct\":-10},"
                "{\"importer\":\"CHN\",\"exporter\":\"USA\",\"change_pct\":-20}],"
                "\"sectors\":[{\"country\":\"USA\",\"sector\":\"AGR\",\"employment_pct\":1,"
                "\"import_price_pct\":null},"
                "{\"country\":\"USA\",\"sector\":\"MIN\",\"employment_pct\":2},"
                "{\"country\":\"CHN\",\"sector\":\"AGR\",\"employment_pct\":3}]}";
    b.results = "{\"countries\":[],"
                "\"bilateral\":[{\"importer\":\"CHN\",\"exporter\":\"USA\",\"change_pct\":-25},"
                "{\"importer\":\"USA\",\"exporter\":\"CHN\",\"change_pct\":-4}],"
                "\"sectors\":[{\"country\":\"CHN\",\"sector\":\"AGR\",\"employment_pct\":3.5},"
                "{\"country\":\"USA\",\"sector\":\"AGR\",\"employment_pct\":0.25,"
                "\"import_price_pct\":7}]}";
    tw_error err;
    char *txt = tw_run_diff_json(&a, &b, &err);
    assert_non_null(txt);
    assert_non_null(strstr(txt, "{\"importer\":\"USA\",\"exporter\":\"CHN\",\"change_pct\":[-10,-4,6]}"));
    assert_non_null(strstr(txt, "{\"importer\":\"CHN\",\"exporter\":\"USA\",\"change_pct\":[-20,-25,-5]}"));
    assert_non_null(strstr(txt, "{\"country\":\"USA\",\"sector\":\"AGR\",\"employment_pct\":[1,0.25,-0.75]}"));
    assert_non_null(strstr(txt, "{\"country\":\"CHN\",\"sector\":\"AGR\",\"employment_pct\":[3,3.5,0.5]}"));
    assert_null(strstr(txt, "\"MIN\""));
    free(txt);
    b.results = "{\"countries\":[]}";
    txt = tw_run_diff_json(&a, &b, &err);
    assert_non_null(txt);
    assert_null(strstr(txt, "\"bilateral\""));
    assert_null(strstr(txt, "\"sectors\""));
    free(txt);
}

/* A zero-shock solve of the tiny world (caller frees). */
static tw_result *zero_solve(tw_world **w)
{
    tw_error err;
    *w = tw_world_load(TINY, &err);
    assert_non_null(*w);
    tw_shock *sh = tw_shock_create(*w, &err);
    tw_solver *sv = tw_solver_create(*w, &err);
    assert_non_null(sh);
    assert_non_null(sv);
    tw_result *r = tw_solver_run(sv, sh, &err);
    assert_non_null(r);
    tw_solver_free(sv);
    tw_shock_free(sh);
    return r;
}

static void test_recorded_solve_stores_files_with_text_options_and_label(void **state)
{
    char db[512], file[512], inputs[2048];
    tw_world *w;
    tw_result *r = zero_solve(&w);
    db_path("rec.db", db, sizeof db);
    db_path("a.csv", file, sizeof file);
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fputs("importer,exporter,sector,rate\n", f);
    fclose(f);
    const char *files[] = {file, "/nonexistent/b.csv"};
    tw_record_opts o = {0};
    o.source = "cli";
    o.tariff_files = files;
    o.n_tariff_files = 1;
    o.ntb_files = files + 1;
    o.n_ntb_files = 1;
    o.tol = 1e-10;
    o.max_iter = 50;
    o.step = 0.2; /* not recorded: the solve was Newton's */
    o.seconds = 0.5;
    tw_error err;
    tw_store *st = tw_store_open(db, &err);
    assert_non_null(st);
    long long id = 0;
    assert_int_equal(tw_store_record_result(st, w, r, &o, &id, &err), TW_OK);
    assert_int_equal(id, 1);
    tw_run *got = tw_store_get(st, 1, &err);
    assert_non_null(got);
    char label[1100];
    snprintf(label, sizeof label, "%s, ntb /nonexistent/b.csv", file);
    assert_string_equal(got->label, label);
    assert_string_equal(got->kind, "solve");
    assert_string_equal(got->source, "cli");
    assert_string_equal(got->world, tw_world_dir(w));
    snprintf(inputs, sizeof inputs,
             "{\"tariffs\":[{\"file\":\"%s\",\"text\":\"importer,exporter,sector,rate\\n\"}],"
             "\"ntb\":[{\"file\":\"/nonexistent/b.csv\"}]}", file);
    assert_string_equal(got->inputs, inputs);
    assert_string_equal(got->options,
                        "{\"method\":\"newton\",\"deficits\":\"keep\",\"tol\":1e-10,\"max_iter\":50}");
    assert_true(strstr(got->results, label) != NULL);
    assert_true(fabs(got->seconds - 0.5) < 1e-12);
    tw_run_free(got);
    tw_store_close(st);
    tw_result_free(r);
    tw_world_free(w);
}

static void test_recorded_solve_keeps_given_cells_results_and_world_name(void **state)
{
    char db[512];
    tw_world *w;
    tw_result *r = zero_solve(&w);
    db_path("rec2.db", db, sizeof db);
    tw_record_opts o = {0};
    o.source = "server";
    o.world = "tiny";
    o.label = "dashboard";
    o.tariffs_json = "[{\"importer\":\"A\",\"rate\":0.5}]";
    o.tol = 1e-8;
    o.results = "{\"world\":\"tiny\"}";
    tw_error err;
    tw_store *st = tw_store_open(db, &err);
    assert_non_null(st);
    assert_int_equal(tw_store_record_result(st, w, r, &o, NULL, &err), TW_OK);
    tw_run *got = tw_store_get(st, 1, &err);
    assert_non_null(got);
    assert_string_equal(got->world, "tiny");
    assert_string_equal(got->label, "dashboard");
    assert_string_equal(got->inputs, "{\"tariffs\":[{\"importer\":\"A\",\"rate\":0.5}],\"ntb\":[]}");
    assert_string_equal(got->options, "{\"method\":\"newton\",\"deficits\":\"keep\",\"tol\":1e-08}");
    assert_string_equal(got->results, "{\"world\":\"tiny\"}");
    tw_run_free(got);
    tw_store_close(st);
    tw_result_free(r);
    tw_world_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_saved_run_reads_back_with_every_field),
        cmocka_unit_test(test_list_is_newest_first_and_honours_the_limit),
        cmocka_unit_test(test_missing_run_is_an_input_error_naming_id_and_file),
        cmocka_unit_test(test_a_file_that_is_not_a_store_is_refused),
        cmocka_unit_test(test_bad_kind_is_refused),
        cmocka_unit_test(test_two_threads_with_their_own_handles_both_save),
        cmocka_unit_test(test_world_hash_is_stable_and_sees_the_data),
        cmocka_unit_test(test_world_hash_sees_the_household_files),
        cmocka_unit_test(test_diff_lists_changed_options_and_welfare_differences),
        cmocka_unit_test(test_diff_of_timelines_compares_the_last_step),
        cmocka_unit_test(test_diff_compares_pairs_and_sectors_by_key),
        cmocka_unit_test(test_recorded_solve_stores_files_with_text_options_and_label),
        cmocka_unit_test(test_recorded_solve_keeps_given_cells_results_and_world_name),
    };
    return cmocka_run_group_tests(tests, make_dir, remove_dir);
}

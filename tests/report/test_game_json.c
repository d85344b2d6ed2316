/* test_game_json.c - the JSON writers of the game layer (src/report/game_json.c):
 * an escalation path written field by field as given, round numbers from 1,
 * welfare as tw_pct of the hats; trade talks on world2011 (USA and CHN, two
 * frontier points, a concession by CHN worth 0.05 % of US real income) written
 * with the talks' own numbers, the side payment counted in the receiver's
 * welfare and the concession's value the move of each bargained tariff; and,
 * with every allocation failing in turn, NULL and nothing leaked. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tradewar/game.h"
#include "tradewar/report.h"
#include "tradewar/world.h"
#include "../common/fail_alloc.h"

#define TOL 1e-12

static double num(const cJSON *o, const char *k)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, k);
    if (!cJSON_IsNumber(x)) fail_msg("field %s missing or not a number", k);
    return x->valuedouble;
}

static const char *str(const cJSON *o, const char *k)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, k);
    if (!cJSON_IsString(x)) fail_msg("field %s missing or not a string", k);
    return x->valuestring;
}

/* Two rounds of a path between countries 0 and 1 of a world, by hand. */
static void hand_path(tw_escalation *p, tw_escalation_round r[2])
{
    r[0] = (tw_escalation_round){.tariff_a = 0.15, .tariff_b = 0.25, .welfare_a = 0.999, .welfare_b = 1.002,
                                 .trade_b_to_a_pct = -12.5, .trade_a_to_b_pct = -7.25};
    r[1] = (tw_escalation_round){.tariff_a = 0.25, .tariff_b = 0.5, .welfare_a = 0.9975, .welfare_b = 0.99,
                                 .trade_b_to_a_pct = -20, .trade_a_to_b_pct = -30};
    *p = (tw_escalation){.start_a = 0.05, .start_b = 0.0625, .n_rounds = 2, .rounds = r,
                         .stop = TW_ESCALATION_CAPPED};
}

static void test_escalation_json_writes_each_round_as_given(void **state)
{
    (void)state;
    tw_error err;
    tw_world *w = tw_world_load("tests/data/good/tiny3x2", &err);
    assert_non_null(w);
    tw_escalation p;
    tw_escalation_round r[2];
    hand_path(&p, r);
    char *txt = tw_report_escalation_json(w, &p, 1, 0, "mirror");
    cJSON *o = txt ? cJSON_Parse(txt) : NULL;
    assert_non_null(o);
    assert_string_equal(str(o, "rule"), "mirror");
    assert_string_equal(str(o, "a"), tw_world_country_code(w, 1));
    assert_string_equal(str(o, "b"), tw_world_country_code(w, 0));
    assert_string_equal(str(o, "stopped"), "both tariffs reached the cap");
    assert_true(fabs(num(o, "start_tariff_a") - 0.05) < TOL && fabs(num(o, "start_tariff_b") - 0.0625) < TOL);
    const cJSON *rounds = cJSON_GetObjectItemCaseSensitive(o, "rounds");
    assert_int_equal(cJSON_GetArraySize(rounds), 2);
    for (int k = 0; k < 2; k++) {
        const cJSON *x = cJSON_GetArrayItem(rounds, k);
        assert_true(fabs(num(x, "round") - (k + 1)) < TOL);
        assert_true(fabs(num(x, "tariff_a") - r[k].tariff_a) < TOL);
        assert_true(fabs(num(x, "tariff_b") - r[k].tariff_b) < TOL);
        assert_true(fabs(num(x, "welfare_a_pct") - 100 * (r[k].welfare_a - 1)) < 1e-10);
        assert_true(fabs(num(x, "welfare_b_pct") - 100 * (r[k].welfare_b - 1)) < 1e-10);
        assert_true(fabs(num(x, "trade_b_to_a_pct") - r[k].trade_b_to_a_pct) < TOL);
        assert_true(fabs(num(x, "trade_a_to_b_pct") - r[k].trade_a_to_b_pct) < TOL);
    }
    cJSON_Delete(o);
    free(txt);
    tw_world_free(w);
}

static void test_talks_json_writes_the_talks_and_the_value_of_a_concession(void **state)
{
    (void)state;
    tw_error err;
    tw_world *w = tw_world_load("data/world2011", &err);
    assert_non_null(w);
    size_t pl[2] = {(size_t)tw_world_country_index(w, "USA"), (size_t)tw_world_country_index(w, "CHN")};
    tw_game *g = tw_game_create(w, NULL, &err);
    assert_non_null(g);
    tw_talks_opts to = {.players = pl, .n_players = 2, .threat = TW_THREAT_NASH, .status_quo = 1,
                        .has_concession = 1, .receiver = pl[0], .concession = 0.0005, .frontier = 2};
    tw_talks *t = NULL;
    assert_int_equal(tw_game_talks(g, &to, &t, &err), TW_OK);
    char *txt = tw_report_talks_json(w, t, pl, "nash", NULL);
    cJSON *o = txt ? cJSON_Parse(txt) : NULL;
    assert_non_null(o);
    assert_string_equal(str(o, "threat"), "nash");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "converged")));
    assert_null(cJSON_GetObjectItemCaseSensitive(o, "error"));
    const cJSON *ps = cJSON_GetObjectItemCaseSensitive(o, "players");
    for (int k = 0; k < 2; k++) {
        const cJSON *p = cJSON_GetArrayItem(ps, k);
        double tb = tw_outcome_params(t->bargain, (size_t)k)[0], tc = tw_outcome_params(t->with_concession, (size_t)k)[0];
        double wc = tw_result_welfare_hat(tw_outcome_result(t->with_concession), pl[k]);
        assert_string_equal(str(p, "code"), k ? "CHN" : "USA");
        assert_true(fabs(num(p, "threat_welfare_pct") - 100 * (t->threat[k] - 1)) < 1e-10);
        assert_true(fabs(num(p, "bargain_tariff") - tb) < TOL);
        assert_true(fabs(num(p, "with_concession_tariff") - tc) < TOL);
        /* the receiver (USA) gets the payment: 0.05 % of its real income */
        assert_true(fabs(num(p, "bonus_pct") - (k ? 0.0 : 0.05)) < 1e-12);
        assert_true(fabs(num(p, "with_concession_welfare_pct") - 100 * (wc + (k ? 0.0 : 0.0005) - 1)) < 1e-10);
        assert_true(fabs(num(p, "concession_tariff_change_pp") - 100 * (tc - tb)) < 1e-10);
    }
    /* what the concession buys: the giver keeps a higher tariff at the table */
    assert_true(num(cJSON_GetArrayItem(ps, 1), "concession_tariff_change_pp") > 0);
    const cJSON *fr = cJSON_GetObjectItemCaseSensitive(o, "frontier");
    assert_int_equal(cJSON_GetArraySize(fr), 2);
    for (size_t q = 0; q < 2; q++) {
        const cJSON *f = cJSON_GetArrayItem(fr, (int)q);
        const tw_result *r = tw_outcome_result(t->frontier[q]);
        assert_true(fabs(num(f, "weight_a") - t->weights[2 * q]) < TOL);
        assert_true(fabs(num(f, "welfare_a_pct") - 100 * (tw_result_welfare_hat(r, pl[0]) - 1)) < 1e-10);
        assert_true(fabs(num(f, "welfare_b_pct") - 100 * (tw_result_welfare_hat(r, pl[1]) - 1)) < 1e-10);
    }
    cJSON_Delete(o);
    free(txt);
    /* a frontier that failed its check: said in the JSON */
    tw_error ferr;
    tw_error_set(&ferr, TW_ENOCONV, NULL, 0, 0, "frontier point 2 is dominated");
    txt = tw_report_talks_json(w, t, pl, "nash", &ferr);
    o = txt ? cJSON_Parse(txt) : NULL;
    assert_non_null(o);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(o, "converged")));
    assert_non_null(strstr(str(o, "error"), "frontier point 2 is dominated"));
    cJSON_Delete(o);
    free(txt);
    tw_talks_free(t);
    tw_game_free(g);
    tw_world_free(w);
}

static tw_status write_once(void *ctx, tw_error *err)
{
    tw_escalation p;
    tw_escalation_round r[2];
    hand_path(&p, r);
    char *txt = tw_report_escalation_json(ctx, &p, 0, 1, "proportional");
    if (!txt) return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    int whole = strstr(txt, "\"stopped\":\"both tariffs reached the cap\"") && strstr(txt, "\"round\":2");
    free(txt);
    if (!whole) fail_msg("call %ld: a field is missing", fail_at);
    return TW_OK;
}

static void test_every_allocation_failure_in_the_escalation_writer_is_null_without_leaks(void **state)
{
    (void)state;
    oom_test_start();
    tw_error err;
    tw_world *w = tw_world_load("tests/data/good/tiny3x2", &err);
    assert_non_null(w);
    each_allocation_fails(write_once, w, 0, NULL);
    tw_world_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escalation_json_writes_each_round_as_given),
        cmocka_unit_test(test_talks_json_writes_the_talks_and_the_value_of_a_concession),
        cmocka_unit_test(test_every_allocation_failure_in_the_escalation_writer_is_null_without_leaks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

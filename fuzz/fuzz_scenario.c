/* fuzz_scenario.c - the scenario parser (tw_scenario_load) on arbitrary text,
 * then tw_scenario_check against two worlds and, for short scenarios that
 * pass the check on the small test world, the replay (tw_timeline_run).
 *
 * The worlds are tests/data/good/tiny3x2 (USA, CHN, MEX; GDS, SRV: its
 * timelines solve in well under a millisecond) and the embedded world2011,
 * whose codes the shipped scenarios use.  Properties: every error carries a
 * message with file:line where the parser says so; every accessor answers
 * for every step and action; a replayed step's equilibrium is finite. */
#include <math.h>
#include <string.h>

#include "tradewar/scenario.h"
#include "fuzz.h"

static void walk(const tw_scenario *sc)
{
    fz_check(tw_scenario_title(sc) && tw_scenario_focus(sc, 0) && tw_scenario_focus(sc, 1),
             "a parsed scenario has a title and two focus countries", NULL);
    for (size_t k = 0; k < tw_scenario_n_events(sc); k++)
        fz_check(tw_scenario_event_name(sc, k) && tw_scenario_event_description(sc, k),
                 "every event has a name and a description", NULL);
    fz_check(tw_scenario_n_steps(sc) >= 1, "a parsed scenario has a step", NULL);
    for (size_t k = 0; k < tw_scenario_n_steps(sc); k++) {
        const char *d = tw_scenario_step_date(sc, k);
        fz_check(d && strlen(d) == 10 && tw_scenario_step_label(sc, k),
                 "every step has a date and a label", NULL);
        for (size_t q = 0; q < tw_scenario_step_n_actions(sc, k); q++) {
            tw_action_info a;
            fz_check(tw_scenario_action(sc, k, q, &a) == TW_OK && a.verb && a.layer,
                     "every action has a verb and a layer", NULL);
        }
    }
}

static void replay(const tw_scenario *sc, const tw_world *w, int set_all)
{
    const char *set[64];
    size_t nset = 0;
    for (size_t k = 0; set_all && k < tw_scenario_n_events(sc) && nset < 64; k++)
        set[nset++] = tw_scenario_event_name(sc, k);
    tw_error err;
    tw_timeline *tl = tw_timeline_run(sc, w, set, nset, NULL, &err);
    if (!tl) {
        fz_check_error(&err, "tw_timeline_run");
        return;
    }
    size_t N = tw_world_n_countries(w);
    for (size_t k = 0; k < tw_timeline_n_steps(tl); k++) {
        const tw_result *r = tw_timeline_result(tl, k);
        fz_check(r && tw_timeline_step_date(tl, k) && tw_timeline_tariffs(tl, k),
                 "every replayed step has a result and tariffs", NULL);
        for (size_t n = 0; n < N; n++)
            fz_check(isfinite(tw_result_welfare_hat(r, n)), "replayed welfare is finite", NULL);
    }
    tw_timeline_free(tl);
}

int tw_fuzz_scenario(const uint8_t *data, size_t size)
{
    static tw_world *tiny, *w2011;
    char path[512];
    if (fz_path(path, sizeof path, "scenario.tw") != 0 || fz_write(path, data, size) != 0)
        return 0;
    tw_error err;
    tw_scenario *sc = tw_scenario_load(path, &err);
    if (!sc) {
        fz_check_error(&err, "tw_scenario_load");
        fz_check(err.code == TW_EINPUT || err.code == TW_EIO || err.code == TW_ENOMEM,
                 "a failed parse is bad input, I/O or memory", &err);
        fz_check(err.code != TW_EINPUT || err.line > 0 || err.file[0],
                 "a syntax error names the file", &err);
        return 0;
    }
    walk(sc);
    tw_status st = tw_scenario_check(sc, fz_world(&w2011, "data/world2011"), &err);
    if (st) fz_check_error(&err, "tw_scenario_check (world2011)");
    st = tw_scenario_check(sc, fz_world(&tiny, "tests/data/good/tiny3x2"), &err);
    if (st) fz_check_error(&err, "tw_scenario_check (tiny3x2)");
    else if (tw_scenario_n_steps(sc) <= 8) replay(sc, tiny, (int)(size & 1));
    tw_scenario_free(sc);
    return 0;
}

#ifndef TW_FUZZ_NO_MAIN
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) { return tw_fuzz_scenario(data, size); }
#endif

/* test_scenario_trace.c - every rate of the shipped US-China scenario traces
 * to its source: `ref timeline:N` to line N of data/timeline/us_china_2025.csv
 * (same rate, importer = actor, exporter = target), `ref reciprocal:CODE` to
 * that partner's 2 April rate, `ref partner:N` to line N of
 * data/timeline/us_partner_rates_2025.csv (its rate, or the 10 % energy tier
 * its coverage names), `ref readme:NAME` to a source named in
 * data/scenarios/README.md; and every share below 1 is stated, with the same
 * value, in the mapping table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tradewar/scenario.h"
#include "core/csv.h"

#define DATA TW_SOURCE_DIR "/data"
#define MAXROWS 512

typedef struct row {
    long line;
    char a[16], b[16], instr[32], rate[32], layer[64], exp[256], imp[256], sector[16], share[32];
} row;

static size_t read_rows(const char *path, const char *const *cols, size_t ncol, row *rows)
{
    tw_csv *r;
    tw_error e;
    long idx[8];
    assert_int_equal(tw_csv_open(&r, path, path, 0, &e), TW_OK);
    assert_int_equal(tw_csv_header(r, cols, ncol, NULL, 0, idx, &e), TW_OK);
    size_t n = 0;
    while (tw_csv_next(r, &e) > 0 && n < MAXROWS) {
        row *x = &rows[n++];
        memset(x, 0, sizeof *x);
        x->line = tw_csv_line(r);
        char *dst[8] = {x->a, x->b, x->instr, x->rate, x->layer, x->exp, x->imp, x->sector};
        size_t cap[8] = {16, 16, 32, 32, 64, 256, 256, 16};
        for (size_t k = 0; k < ncol && k < 8; k++) snprintf(dst[k], cap[k], "%s", tw_csv_field(r, (size_t)idx[k]));
    }
    tw_csv_close(r);
    return n;
}

/* does the action's country spec name code (or "*" for ALL)? */
static int covers(const char *spec, const char *code)
{
    if (!strcmp(code, "ALL")) return spec[0] == '*';
    if (spec[0] == '*') return 1;
    size_t len = strlen(code);
    for (const char *p = spec; (p = strstr(p, code)); p += len)
        if ((p == spec || p[-1] == ',') && (p[len] == '\0' || p[len] == ',')) return 1;
    return 0;
}

static int in_list(const char *spec, const char *code) { return strcmp(spec, code) == 0 || covers(spec, code); }

static void test_every_rate_and_share_of_the_us_china_scenario_traces_to_its_source(void **state)
{
    (void)state;
    tw_error e;
    tw_scenario *sc = tw_scenario_load(DATA "/scenarios/us-china-2025.tw", &e);
    if (!sc) fail_msg("%s:%ld: %s", e.file, e.line, e.msg);
    static row tl[MAXROWS], rc[MAXROWS], mp[MAXROWS], pr[MAXROWS];
    const char *tcols[] = {"actor", "target", "instrument", "rate"};
    size_t ntl = read_rows(DATA "/timeline/us_china_2025.csv", tcols, 4, tl);
    const char *rcols[] = {"iso3", "annex_i_rate", "rate_announced_apr2"};
    size_t nrc = read_rows(DATA "/timeline/reciprocal_rates_2025.csv", rcols, 3, rc);
    /* the coverage text lands in exp */
    const char *pcols[] = {"actor", "target", "instrument", "rate", "note", "coverage"};
    size_t npr = read_rows(DATA "/timeline/us_partner_rates_2025.csv", pcols, 6, pr);
    /* mapping: ref,layer,exporters,importers,sector,share -> reuse fields */
    const char *mcols[] = {"ref", "layer", "exporters", "importers", "sector", "share"};
    size_t nmp;
    {
        tw_csv *r;
        long idx[6];
        assert_int_equal(tw_csv_open(&r, DATA "/scenarios/us-china-2025-mapping.csv", "mapping", 0, &e), TW_OK);
        assert_int_equal(tw_csv_header(r, mcols, 6, NULL, 0, idx, &e), TW_OK);
        nmp = 0;
        while (tw_csv_next(r, &e) > 0 && nmp < MAXROWS) {
            row *x = &mp[nmp++];
            snprintf(x->instr, sizeof x->instr, "%s", tw_csv_field(r, (size_t)idx[0])); /* ref */
            snprintf(x->layer, sizeof x->layer, "%s", tw_csv_field(r, (size_t)idx[1]));
            snprintf(x->exp, sizeof x->exp, "%s", tw_csv_field(r, (size_t)idx[2]));
            snprintf(x->imp, sizeof x->imp, "%s", tw_csv_field(r, (size_t)idx[3]));
            snprintf(x->sector, sizeof x->sector, "%s", tw_csv_field(r, (size_t)idx[4]));
            snprintf(x->share, sizeof x->share, "%s", tw_csv_field(r, (size_t)idx[5]));
        }
        tw_csv_close(r);
    }
    FILE *f = fopen(DATA "/scenarios/README.md", "r");
    assert_non_null(f);
    static char readme[200000];
    size_t rl = fread(readme, 1, sizeof readme - 1, f);
    readme[rl] = '\0';
    fclose(f);

    size_t checked_rates = 0, checked_shares = 0, bad = 0;
    for (size_t s = 0; s < tw_scenario_n_steps(sc); s++)
        for (size_t k = 0; k < tw_scenario_step_n_actions(sc, s); k++) {
            tw_action_info a;
            assert_int_equal(tw_scenario_action(sc, s, k, &a), TW_OK);
            if (!a.ref) {
                print_error("line %ld: action without ref\n", a.line);
                bad++;
                continue;
            }
            int is_rate = !strcmp(a.verb, "set") || !strcmp(a.verb, "add");
            if (!strncmp(a.ref, "timeline:", 9)) {
                long ln = atol(a.ref + 9);
                const row *t = NULL;
                for (size_t q = 0; q < ntl; q++)
                    if (tl[q].line == ln) t = &tl[q];
                if (!t) {
                    print_error("line %ld: %s is not a row\n", a.line, a.ref);
                    bad++;
                    continue;
                }
                if (a.importers && (!covers(a.importers, t->a) || !covers(a.exporters, t->b))) {
                    print_error("line %ld: %s -> %s does not match %s actor %s target %s\n", a.line,
                                a.exporters, a.importers, a.ref, t->a, t->b);
                    bad++;
                }
                if (is_rate) {
                    if (!t->rate[0] || fabs(atof(t->rate) - a.value) > 1e-12) {
                        print_error("line %ld: rate %g != %s rate \"%s\"\n", a.line, a.value, a.ref, t->rate);
                        bad++;
                    }
                    checked_rates++;
                }
            } else if (!strncmp(a.ref, "reciprocal:", 11)) {
                const row *t = NULL;
                for (size_t q = 0; q < nrc; q++)
                    if (!strcmp(rc[q].a, a.ref + 11)) t = &rc[q];
                double want = t ? atof(t->b[0] ? t->b : t->instr) : NAN;
                if (!t || !is_rate || fabs(want - a.value) > 1e-12) {
                    print_error("line %ld: rate %g != %s (%g)\n", a.line, a.value, a.ref, want);
                    bad++;
                }
                checked_rates++;
            } else if (!strncmp(a.ref, "partner:", 8)) {
                long ln = atol(a.ref + 8);
                const row *t = NULL;
                for (size_t q = 0; q < npr; q++)
                    if (pr[q].line == ln) t = &pr[q];
                int ok = t && covers(a.importers, t->a) && covers(a.exporters, t->b);
                if (ok && is_rate)
                    ok = fabs(atof(t->rate) - a.value) <= 1e-12 ||
                         (strstr(t->exp, "energy") && fabs(a.value - 0.10) <= 1e-12);
                if (!ok) {
                    print_error("line %ld: %s -> %s at %g does not match %s\n", a.line, a.exporters,
                                a.importers, a.value, a.ref);
                    bad++;
                }
                checked_rates += is_rate;
            } else if (!strncmp(a.ref, "readme:", 7)) {
                char key[80];
                snprintf(key, sizeof key, "`%s`", a.ref + 7);
                if (!strstr(readme, key)) {
                    print_error("line %ld: %s is not named in data/scenarios/README.md\n", a.line, a.ref);
                    bad++;
                }
            } else {
                print_error("line %ld: unknown kind of ref \"%s\"\n", a.line, a.ref);
                bad++;
            }
            /* every share below one is an assumption stated in the mapping */
            double share = !strcmp(a.verb, "ntb") && a.kind && !strcmp(a.kind, "ban") ? a.value : a.share;
            if (share < 1.0 && a.sectors) {
                char secs[256];
                snprintf(secs, sizeof secs, "%s", a.sectors);
                for (char *tok = strtok(secs, ","); tok; tok = strtok(NULL, ",")) {
                    int found = 0;
                    for (size_t q = 0; q < nmp && !found; q++)
                        found = !strcmp(mp[q].instr, a.ref) && !strcmp(mp[q].layer, a.layer) &&
                                in_list(mp[q].sector, tok) && fabs(atof(mp[q].share) - share) < 1e-12;
                    if (!found) {
                        print_error("line %ld: share %g of %s %s (%s) is not in the mapping table\n",
                                    a.line, share, a.layer, tok, a.ref);
                        bad++;
                    }
                    checked_shares++;
                }
            }
        }
    tw_scenario_free(sc);
    assert_true(checked_rates > 80);
    assert_true(checked_shares > 80);
    if (bad) fail_msg("%zu untraceable rates or shares", bad);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_rate_and_share_of_the_us_china_scenario_traces_to_its_source),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

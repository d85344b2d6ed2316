/* mapping.c - a scenario's shares against its mapping table
 * (docs/scenario-format.md, "Mapping table").
 *
 * A share below 1 (`share S` of set, add, exempt and ntb ave; the S of
 * `ntb ... ban S`) is an assumption about how much of a cell's trade a
 * measure covers, and the `mapping` statement names the CSV that states each
 * one with its basis.  This file keeps file and table in step, in both
 * directions and over every branch of the file (an action counts whatever
 * its conditions): each share below 1 of each action has a row with the same
 * ref, layer, exporters, importers, sector and value; and each row is the
 * share of some action.  Cells are compared as written, so the check needs no
 * world and gives the same answer for every world the scenario runs on. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_impl.h"
#include "core/csv.h"
#include "core/num.h"

/* A share in the file and in the table are the same when they are the same
 * number ("0.4" and "0.40"); the tolerance is far below any difference between
 * two shares that someone would state. */
#define SHARE_TOL 1e-12

enum { C_REF, C_LAYER, C_EXP, C_IMP, C_SEC, C_SHARE, C_BASIS, N_COLS };

typedef struct mrow {
    long line;
    char *f[C_SHARE]; /* ref, layer, exporters, importers, sector; one block, f[0] owns it */
    double share;
    int used;
} mrow;

typedef struct mtable {
    const char *path;
    mrow *rows;
    size_t n;
} mtable;

static void table_free(mtable *t)
{
    for (size_t k = 0; k < t->n; k++) free(t->rows[k].f[0]);
    free(t->rows);
}

/* Copy the five key fields of the current record into one block. */
static tw_status keep_row(mtable *t, const tw_csv *r, const long *idx, double share, tw_error *err)
{
    size_t len[C_SHARE], total = 0;
    for (int c = 0; c < C_SHARE; c++) total += (len[c] = strlen(tw_csv_field(r, (size_t)idx[c]))) + 1;
    mrow *arr = realloc(t->rows, (t->n + 1) * sizeof *arr);
    if (!arr) return tw_error_set(err, TW_ENOMEM, t->path, 0, 0, "out of memory");
    t->rows = arr;
    char *block = malloc(total);
    if (!block) return tw_error_set(err, TW_ENOMEM, t->path, 0, 0, "out of memory");
    mrow *m = &t->rows[t->n++];
    m->line = tw_csv_line(r);
    m->share = share;
    m->used = 0;
    for (int c = 0; c < C_SHARE; c++) {
        memcpy(block, tw_csv_field(r, (size_t)idx[c]), len[c] + 1);
        m->f[c] = block;
        block += len[c] + 1;
    }
    return TW_OK;
}

/* Read the table: every row has a share in (0, 1] and a basis. */
static tw_status table_read(const tw_scenario *sc, mtable *t, tw_error *err)
{
    static const char *const cols[N_COLS] = {"ref", "layer", "exporters", "importers",
                                             "sector", "share", "basis"};
    tw_csv *r;
    tw_status st = tw_csv_open(&r, t->path, t->path, 0, err);
    if (st == TW_ENOMEM) return st;
    if (st) {
        /* Said at the mapping statement, naming the path as resolved, so that
         * a misspelt or misplaced table is found from the scenario. */
        char why[sizeof err->msg];
        const char *m = err->msg;
        snprintf(why, sizeof why, "%s", strncmp(m, "cannot open: ", 13) == 0 ? m + 13 : m);
        return tw_error_set(err, TW_EIO, sc->path, sc->mapping_line, sc->mapping_col,
                            "cannot open the mapping table \"%s\": %s", t->path, why);
    }
    long idx[N_COLS];
    locale_t loc = tw_num_locale_new();
    if (!loc) st = tw_error_set(err, TW_ENOMEM, t->path, 0, 0, "out of memory");
    if (!st) st = tw_csv_header(r, cols, N_COLS, NULL, 0, idx, err);
    int more;
    while (!st && (more = tw_csv_next(r, err)) != 0) {
        if (more < 0) {
            st = err->code;
            break;
        }
        long line = tw_csv_line(r);
        const char *text = tw_csv_field(r, (size_t)idx[C_SHARE]);
        double share = 0;
        tw_num_status ns = tw_num_parse(text, loc, &share);
        if (ns != TW_NUM_OK)
            st = tw_error_set(err, TW_EINPUT, t->path, line, 0, "share \"%s\" %s", text, tw_num_what(ns));
        else if (!(share > 0 && share <= 1))
            st = tw_error_set(err, TW_EINPUT, t->path, line, 0, "share \"%s\" is not in (0, 1]", text);
        else if (!tw_csv_field(r, (size_t)idx[C_BASIS])[0])
            st = tw_error_set(err, TW_EINPUT, t->path, line, 0,
                              "basis is empty (expected where the share comes from)");
        else
            st = keep_row(t, r, idx, share, err);
    }
    if (loc) tw_num_locale_free(loc);
    tw_csv_close(r);
    return st;
}

/* The share an action applies, and whether it has one (factor NTBs and
 * removes have none). */
static int action_share(const sc_action *a, double *share)
{
    if (a->verb == SC_REMOVE || (a->verb == SC_NTB && a->kind == SC_FACTOR)) return 0;
    *share = a->verb == SC_NTB && a->kind == SC_BAN ? a->value : a->share;
    return 1;
}

/* "share 0.4 of layer "chn_ag" on USA -> CHN AGR (ref timeline:22)" */
static void describe(char *buf, size_t size, const sc_action *a, double share, const char *sec,
                     size_t sec_len)
{
    snprintf(buf, size, "%sshare %.15g of layer \"%s\" on %s -> %s %.*s%s%s%s",
             a->verb == SC_NTB && a->kind == SC_BAN ? "ban " : "", share, a->layer, a->exp, a->imp,
             (int)sec_len, sec, a->ref ? " (ref " : "", a->ref ? a->ref : "", a->ref ? ")" : "");
}

static int same_key(const mrow *m, const sc_action *a, const char *sec, size_t sec_len)
{
    return !strcmp(m->f[C_REF], a->ref ? a->ref : "") && !strcmp(m->f[C_LAYER], a->layer) &&
           !strcmp(m->f[C_EXP], a->exp) && !strcmp(m->f[C_IMP], a->imp) &&
           strlen(m->f[C_SEC]) == sec_len && !strncmp(m->f[C_SEC], sec, sec_len);
}

/* One sector of one action: mark the rows that state its share; a share
 * below 1 that no row states is an error at the sector as written. */
static tw_status match_sector(const tw_scenario *sc, mtable *t, const sc_action *a, double share,
                              const char *sec, size_t sec_len, tw_error *err)
{
    const mrow *other = NULL;
    int found = 0;
    for (size_t k = 0; k < t->n; k++) {
        mrow *m = &t->rows[k];
        if (!same_key(m, a, sec, sec_len)) continue;
        if (fabs(m->share - share) <= SHARE_TOL) found = m->used = 1;
        else if (!other) other = m;
    }
    if (found || !(share < 1)) return TW_OK;
    char what[200];
    describe(what, sizeof what, a, share, sec, sec_len);
    long col = a->col_sec + (long)(sec - a->sec);
    if (!t->path)
        return tw_error_set(err, TW_EINPUT, sc->path, a->line, col,
                            "%s is not stated: the scenario has no mapping statement "
                            "(every share below 1 is stated in a mapping table)", what);
    if (other)
        return tw_error_set(err, TW_EINPUT, sc->path, a->line, col,
                            "%s is not in the mapping table (its line %ld states %.15g for these cells)",
                            what, other->line, other->share);
    return tw_error_set(err, TW_EINPUT, sc->path, a->line, col, "%s is not in the mapping table", what);
}

/* Every action of every step, whatever its conditions: a sector list is
 * matched code by code, a wildcard spec ("*", "*-ELEC") as one item. */
static tw_status match_actions(const tw_scenario *sc, mtable *t, tw_error *err)
{
    for (size_t k = 0; k < sc->n_steps; k++)
        for (size_t q = 0; q < sc->steps[k].n_acts; q++) {
            const sc_action *a = &sc->steps[k].acts[q];
            double share;
            if (!action_share(a, &share) || !a->sec) continue;
            const char *s = a->sec;
            for (;;) {
                const char *e = a->sec[0] == '*' ? NULL : strchr(s, ',');
                size_t len = e ? (size_t)(e - s) : strlen(s);
                tw_status st = match_sector(sc, t, a, share, s, len, err);
                if (st) return st;
                if (!e) break;
                s = e + 1;
            }
        }
    return TW_OK;
}

tw_status sc_mapping_check(const tw_scenario *sc, tw_error *err)
{
    mtable t = {sc->mapping, NULL, 0};
    tw_status st = t.path ? table_read(sc, &t, err) : TW_OK;
    if (!st) st = match_actions(sc, &t, err);
    for (size_t k = 0; k < t.n && !st; k++) {
        const mrow *m = &t.rows[k];
        if (m->used) continue;
        st = tw_error_set(err, TW_EINPUT, t.path, m->line, 0,
                          "share %.15g of layer \"%s\" on %s -> %s %s%s%s%s is used by no action of "
                          "the scenario, in any branch",
                          m->share, m->f[C_LAYER], m->f[C_EXP], m->f[C_IMP], m->f[C_SEC],
                          m->f[C_REF][0] ? " (ref " : "", m->f[C_REF], m->f[C_REF][0] ? ")" : "");
    }
    table_free(&t);
    return st;
}

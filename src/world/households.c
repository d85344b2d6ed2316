/* households.c - the optional files behind the measures in money: household
 * consumption by country and sector, and the number of households per country
 * (docs/data-format.md).
 *
 * Both files are optional; a world without them reports no consumer cost and
 * nothing per household (never an estimate).  Every row is validated as it
 * comes, with errors naming file:line and column like the other world files. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "world/loader.h"

/* household_consumption.csv: country, sector, value (>= 0; absent rows are 0). */
static tw_status read_consumption(tw_loader *L)
{
    tw_base *b = L->w->base;
    size_t cells = L->N * L->J;
    int present = 0;
    b->hh = calloc(cells ? cells : 1, sizeof *b->hh);
    if (!b->hh) return tw_error_set(L->err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    tw_status st =
        tw_loader_country_sector(L, "household_consumption.csv", "value", b->hh, &present);
    if (!present) { /* absent, or failed before a row: the world has none */
        free(b->hh);
        b->hh = NULL;
    }
    return st;
}

/* households.csv: country, households (> 0), year (the world's data year),
 * source (not empty). */
static tw_status read_households(tw_loader *L)
{
    static const char *const req[] = {"country", "households", "year", "source"};
    long idx[4];
    tw_csv *r;
    tw_status st = tw_loader_open(L, "households.csv", 1, req, 4, NULL, 0, idx, &r);
    if (st != TW_OK || !r) return st;
    tw_base *b = L->w->base;
    b->households = malloc((L->N ? L->N : 1) * sizeof *b->households);
    if (!b->households) {
        tw_csv_close(r);
        return tw_error_set(L->err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t n = 0; n < L->N; n++) b->households[n] = NAN;
    const char *year = tw_world_meta(L->w, "year");
    memset(L->seen, 0, L->N * sizeof *L->seen);
    int got;
    while ((got = tw_csv_next(r, L->err)) > 0) {
        size_t n = 0;
        if ((st = tw_loader_code(L, r, idx[0], "country", 0, &n)) != TW_OK) break;
        const char *code = L->w->ccode[n], *y = tw_csv_field(r, (size_t)idx[2]);
        if (L->seen[n]) {
            st = tw_loader_row_error(L, r, "country", "duplicate row for %s (first on line %ld)",
                                     code, L->seen[n]);
            break;
        }
        L->seen[n] = tw_csv_line(r);
        if (!year || strcmp(y, year) != 0) {
            st = tw_loader_row_error(L, r, "year",
                                     "year \"%s\" for %s is not the world's data year (expected "
                                     "%s, the year of meta.csv)", y, code,
                                     year ? year : "a year in meta.csv");
            break;
        }
        if (!tw_csv_field(r, (size_t)idx[3])[0]) {
            st = tw_loader_row_error(L, r, "source", "source for %s is empty", code);
            break;
        }
        if ((st = tw_loader_number(L, r, idx[1], "households", code, 1, &b->households[n])) !=
            TW_OK)
            break;
    }
    if (got < 0) st = L->err->code;
    tw_csv_close(r);
    return st;
}

tw_status tw_loader_households(tw_loader *L)
{
    const char *units = tw_world_meta(L->w, "units");
    L->w->base->money = !(units && strcmp(units, "model units") == 0);
    tw_status st = read_consumption(L);
    return st == TW_OK ? read_households(L) : st;
}

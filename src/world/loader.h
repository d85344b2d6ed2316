/* loader.h - the state of one world load, shared by the files of src/world
 * (private), and the manual of loader.c, the row helpers both readers use.
 * load.c reads the files into it; shares.c checks and derives the
 * input-output, value-added and final-demand shares; households.c reads the
 * optional household files with shares.c's country-sector reader;
 * elasticities.c reads the named elasticity sets.  loader.c depends on none of
 * them, so the files of src/world call each other in one direction only:
 * load.c -> households.c -> shares.c -> loader.c, load.c -> elasticities.c. */
#ifndef TW_WORLD_LOADER_H
#define TW_WORLD_LOADER_H

#include <locale.h>
#include <stddef.h>
#include <stdint.h>

#include "tradewar/error.h"
#include "core/csv.h"
#include "world/world_impl.h"

typedef struct tw_code_ix {
    const char *code;
    size_t idx;
} tw_code_ix;

/* Code columns whose last match tw_loader_code tries first (files are written
 * in order, so a column repeats its code or moves to the next one). */
#define TW_LOADER_GUESSES 8

typedef struct tw_loader {
    tw_world *w;
    const char *dir;
    uint64_t max_bytes;  /* largest file accepted; 0 = TW_INPUT_MAX_BYTES */
    locale_t loc;
    tw_error *err;       /* never NULL: the loader's own record */
    size_t N, J;
    tw_code_ix *cix, *six; /* codes sorted for bsearch */
    long *seen;          /* per cell of the file being read: line of its row, 0 = none */
    size_t guess[TW_LOADER_GUESSES]; /* per file column: the code found last */
} tw_loader;

/* Append the formatted text of e (as tw_error_format gives it) to w's warnings.
 * TW_ENOMEM when the list cannot grow (nothing is lost). */
tw_status tw_world_add_warning(tw_world *w, const tw_error *e, tw_error *err);

/* Open dir/name, bounded by the limits of core/textin.h (L->max_bytes for the
 * file when set), and read its header (see tw_csv_header).  With optional set,
 * an absent file gives TW_OK and *out = NULL. */
tw_status tw_loader_open(tw_loader *L, const char *name, int optional,
                         const char *const *req, size_t nreq, const char *const *opt,
                         size_t nopt, long *idx, tw_csv **out);

/* A TW_EINPUT error at the current record of r, naming the column in field. */
tw_status tw_loader_row_error(tw_loader *L, const tw_csv *r, const char *column,
                              const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Note the current record of r as the row of cell c (L->seen[c] = its line);
 * a second row for the cell is an error 'duplicate row for <what> (first on
 * line <n>)' naming column. */
tw_status tw_loader_first_row(tw_loader *L, const tw_csv *r, size_t c, const char *column,
                              const char *what);

/* The n codes sorted for tw_loader_code's binary search (L->cix, L->six);
 * the entries borrow codes[].  NULL with TW_ENOMEM in err. */
tw_code_ix *tw_loader_index(char **codes, size_t n, tw_error *err);

/* Look up field idx of the current record as a country (sector = 0) or sector
 * code; unknown codes are errors naming the column.  The code found last in
 * the column and the one after it are tried before the binary search. */
tw_status tw_loader_code(tw_loader *L, const tw_csv *r, long idx, const char *column,
                         int sector, size_t *out);

/* Parse field idx of the current record as a number >= 0 (positive = 0) or
 * > 0 (positive = 1).  Errors read '<column> "<text>" for <what> <problem>'. */
tw_status tw_loader_number(tw_loader *L, const tw_csv *r, long idx, const char *column,
                           const char *what, int positive, double *out);

/* The common case of tw_loader_first_row and tw_loader_number (positive = 0)
 * without the label their messages need: when cell c has no row yet and field
 * idx is a number >= 0, note the row, store the number in *out and return 1;
 * otherwise change nothing and return 0, and the caller calls those two with
 * the label to get the error.  Formatting a label for every row was a fifth
 * of a world's load. */
int tw_loader_plain_row(tw_loader *L, const tw_csv *r, size_t c, long idx, double *out);

/* Read a country,sector,<column> file into dst[n][j] (values >= 0; absent
 * rows untouched); *present = 0 when the file is absent.  L->seen[n*J+j]
 * keeps the line of each row for the checks that follow (shares.c). */
tw_status tw_loader_country_sector(tw_loader *L, const char *file, const char *column,
                                   double *dst, int *present);

/* Read io.csv, value_added.csv and final_demand.csv, derive what is absent,
 * finish the baseline and check the share identities (docs/model.md). */
tw_status tw_loader_shares(tw_loader *L);

/* Read the optional household_consumption.csv and households.csv (after
 * meta.csv: a household count must be for the world's data year) and note
 * whether the world's levels are in a currency (households.c). */
tw_status tw_loader_households(tw_loader *L);

/* Read the optional baseline_layers.csv (after tariffs.csv and sectors.csv:
 * a cell's layers add up to no more than its tariff; layers.c). */
tw_status tw_loader_layers(tw_loader *L);

/* Read the optional elasticities.csv (after meta.csv) into the world's named
 * sets and check meta.csv's elasticities key, the name of the default set:
 * it must be a set of the file whose theta equals sectors.csv's, or, with no
 * file, it names sectors.csv's theta as the world's one set
 * (elasticities.c). */
tw_status tw_loader_elasticities(tw_loader *L);

#endif

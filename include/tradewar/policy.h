/* tradewar/policy.h - a counterfactual shock: new tariff levels and iceberg
 * (non-tariff barrier) changes, cell by cell (docs/data-format.md).
 *
 * A shock starts at the world's baseline (baseline tariffs, d_hat = 1) and is
 * changed by setters, by rows of cells (tw_shock_apply) or by counterfactual
 * CSV files applied in order. */
#ifndef TRADEWAR_POLICY_H
#define TRADEWAR_POLICY_H

#include <stddef.h>
#include <stdint.h>
#include "tradewar/export.h"
#include "tradewar/error.h"
#include "tradewar/world.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tw_shock tw_shock;

/* The iceberg-cost factors an NTB file row, a scenario's ntb statement or
 * tw_shock_scale_ntb may give.  The solver raises them to -theta: below 1e-3,
 * d_hat^-theta overflows for theta = 100 (the largest published estimate);
 * 1e4 prices a cell out (d_hat^-theta <= 1 % for theta >= 0.5).  Values
 * beyond are typos (1e-308 for 1e-3). */
#define TW_NTB_FACTOR_MIN 1e-3
#define TW_NTB_FACTOR_MAX 1e4

/* What a row of cells changes: tariff levels, or iceberg (NTB) factors. */
typedef enum tw_shock_kind { TW_SHOCK_TARIFF = 0, TW_SHOCK_NTB = 1 } tw_shock_kind;

/* One row of a cell spec: what a line of a counterfactual file, an entry of the
 * server's JSON or a scenario statement says (docs/data-format.md, "one rule
 * for cells").  Codes are the world's codes or "*"; a NULL or empty code is an
 * error (a missing sector too).  The position only feeds error messages. */
typedef struct tw_shock_row {
    const char *importer, *exporter, *sector;
    const char *text;   /* the rate or factor as written (parsed locale-free), or NULL */
    double value;       /* used when text is NULL */
    const char *file;   /* err->file: the file the row is from, or NULL */
    long line;          /* err->line: 1-based, or 0 */
    long col[4];        /* err->col for importer, exporter, sector, value: 1-based, or 0 */
    const char *entry;  /* when set, err->field is "<entry>.<field>" ("tariffs[2].sector");
                           otherwise the field name ("sector") */
} tw_shock_row;

/* Apply n rows to s with the one rule for cells: '*' covers every importer,
 * exporter or sector (for tariffs: every tradable sector); a wildcard never
 * covers a domestic cell and an explicit domestic cell is an error; tariff
 * rows set levels, NTB rows give factors in [TW_NTB_FACTOR_MIN,
 * TW_NTB_FACTOR_MAX]; a later row overrides an earlier one for the same cell,
 * and each NTB cell's last factor multiplies its d_hat once.  All or nothing:
 * on error s is unchanged and err (TW_EINPUT) names the row's position and
 * field.  *n_cells (may be NULL) gets the cells the rows covered, summed over
 * the rows.  TW_EARG without a shock, TW_ENOMEM. */
TW_API tw_status tw_shock_apply(tw_shock *s, tw_shock_kind kind, const tw_shock_row *rows,
                                size_t n, size_t *n_cells, tw_error *err);

/* A shock equal to the baseline of w (zero shock).  w must outlive the shock. */
TW_API tw_shock *tw_shock_create(const tw_world *w, tw_error *err);
TW_API tw_shock *tw_shock_clone(const tw_shock *s, tw_error *err);
TW_API void tw_shock_free(tw_shock *s);

/* Apply a counterfactual tariff file (importer,exporter,sector,rate), its rows
 * as by tw_shock_apply (levels, not increments).  On error nothing of
 * the file is applied and err names file:line and field: TW_EINPUT for bad rows,
 * a NUL byte, a line over 1 MiB or a file over 256 MiB; TW_EIO for a missing or
 * unreadable file. */
TW_API tw_status tw_shock_load_tariffs(tw_shock *s, const char *path, tw_error *err);
/* Apply an NTB file (importer,exporter,sector,factor), its rows as by
 * tw_shock_apply ('*' in sector covers every sector, services too). */
TW_API tw_status tw_shock_load_ntb(tw_shock *s, const char *path, tw_error *err);
/* tw_shock_load_tariffs (ntb = 0) or tw_shock_load_ntb (ntb = 1) with the file
 * limited to max_bytes instead of TW_INPUT_MAX_BYTES (0 keeps that default;
 * tradewar/limits.h). */
TW_API tw_status tw_shock_load_limited(tw_shock *s, const char *path, int ntb,
                                       uint64_t max_bytes, tw_error *err);

/* Set one cell.  rate >= 0 and finite; n != i; sector j tradable. */
TW_API tw_status tw_shock_set_tariff(tw_shock *s, size_t n, size_t i, size_t j, double rate,
                              tw_error *err);
/* Multiply d_hat of one cell by factor (TW_NTB_FACTOR_MIN <= factor <=
 * TW_NTB_FACTOR_MAX; TW_EINPUT otherwise). */
TW_API tw_status tw_shock_scale_ntb(tw_shock *s, size_t n, size_t i, size_t j, double factor,
                             tw_error *err);

TW_API const tw_world *tw_shock_world(const tw_shock *s);
/* New tariff levels tau'[n][i][j] and iceberg changes d_hat[n][i][j], borrowed. */
TW_API const double *tw_shock_tariffs(const tw_shock *s);
TW_API const double *tw_shock_dhat(const tw_shock *s);

#ifdef __cplusplus
}
#endif
#endif

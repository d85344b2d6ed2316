/* tradewar/policy.h - a counterfactual shock: new tariff levels and iceberg
 * (non-tariff barrier) changes, cell by cell (docs/data-format.md).
 *
 * A shock starts at the world's baseline (baseline tariffs, d_hat = 1) and is
 * changed by setters or by counterfactual CSV files applied in order. */
#ifndef TRADEWAR_POLICY_H
#define TRADEWAR_POLICY_H

#include <stddef.h>
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

/* A shock equal to the baseline of w (zero shock).  w must outlive the shock. */
TW_API tw_shock *tw_shock_create(const tw_world *w, tw_error *err);
TW_API tw_shock *tw_shock_clone(const tw_shock *s, tw_error *err);
TW_API void tw_shock_free(tw_shock *s);

/* Apply a counterfactual tariff file (importer,exporter,sector,rate; '*' = all;
 * rows apply in file order; levels, not increments; a wildcard never covers a
 * domestic cell; '*' in sector means all tradable sectors).  On error nothing of
 * the file is applied and err names file:line and field: TW_EINPUT for bad rows,
 * a NUL byte, a line over 1 MiB or a file over 256 MiB; TW_EIO for a missing or
 * unreadable file. */
TW_API tw_status tw_shock_load_tariffs(tw_shock *s, const char *path, tw_error *err);
/* Apply an NTB file (importer,exporter,sector,factor; factor in
 * [TW_NTB_FACTOR_MIN, TW_NTB_FACTOR_MAX] multiplies d_hat; '*' in sector covers
 * every sector, services too). */
TW_API tw_status tw_shock_load_ntb(tw_shock *s, const char *path, tw_error *err);

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

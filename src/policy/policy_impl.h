/* policy_impl.h - the layout of tw_shock (private to libtradewar). */
#ifndef TW_POLICY_IMPL_H
#define TW_POLICY_IMPL_H

#include <stdint.h>
#include "tradewar/policy.h"

struct tw_shock {
    const tw_world *w;  /* borrowed; outlives the shock */
    size_t N, J;
    double *tau;        /* [n][i][j] new tariff levels tau' (fraction) */
    double *dhat;       /* [n][i][j] iceberg changes d_hat, 1 = unchanged */
};

/* tw_shock_load_tariffs (ntb = 0) or tw_shock_load_ntb (ntb = 1) with the file
 * limited to max_bytes (0 = the default of core/textin.h); for tests that must
 * not feed 256 MiB. */
tw_status tw_shock_load_limited(tw_shock *s, const char *path, int ntb, uint64_t max_bytes,
                                tw_error *err);

#endif

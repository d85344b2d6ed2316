/* policy_impl.h - the layout of tw_shock (private to libtradewar). */
#ifndef TW_POLICY_IMPL_H
#define TW_POLICY_IMPL_H

#include "tradewar/policy.h"

struct tw_shock {
    const tw_world *w;  /* borrowed; outlives the shock */
    size_t N, J;
    double *tau;        /* [n][i][j] new tariff levels tau' (fraction) */
    double *dhat;       /* [n][i][j] iceberg changes d_hat, 1 = unchanged */
};

#endif

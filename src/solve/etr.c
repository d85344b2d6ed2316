/* etr.c - effective tariff rates and tariff revenue relative to GDP
 * (docs/model.md §3, "Effective tariff rates").
 *
 * Every ETR, of a result or of a world's own tariffs, is one weighted mean,
 * mean_rate(): the applied rates of importer n's goods cells weighted by
 * import values before tariffs.  Only which rates and which flows differ. */
#include <stddef.h>

#include "solve_impl.h"
#include "core/index.h"
#include "world/world_impl.h"

/* sum rate * flow / sum flow over the cells [n][i][j] with i != n and j
 * tradable, restricted to exporter i and sector j unless TW_ETR_ALL; 0 when
 * the flows sum to 0. */
static double mean_rate(const tw_base *b, const double *rate, const double *flow, size_t n,
                        size_t i, size_t j)
{
    size_t N = b->N, J = b->J;
    /* only the cells asked for are visited (a sector's mean is asked for
     * every country and sector of a report), in the same order as all */
    size_t e0 = i == TW_ETR_ALL ? 0 : i, e1 = i == TW_ETR_ALL || i >= N ? N : i + 1;
    size_t k0 = j == TW_ETR_ALL ? 0 : j, k1 = j == TW_ETR_ALL || j >= J ? J : j + 1;
    double s = 0, m = 0;
    for (size_t e = e0; e < e1; e++) {
        if (e == n) continue;
        for (size_t k = k0; k < k1; k++) {
            if (!b->tradable[k]) continue;
            size_t c = tw_ix_nij(N, J, n, e, k);
            s += rate[c] * flow[c];
            m += flow[c];
        }
    }
    return m > 0 ? s / m : 0.0;
}

double tw_result_etr(const tw_result *r, tw_etr kind, size_t n, size_t i, size_t j)
{
    const tw_base *b = r->base;
    switch (kind) {
    case TW_ETR_BASE: return mean_rate(b, b->tau, b->trade, n, i, j);
    case TW_ETR_PRE: return mean_rate(b, r->tau1, b->trade, n, i, j);
    case TW_ETR_POST: return mean_rate(b, r->tau1, r->trade1, n, i, j);
    default: return 0.0;
    }
}

double tw_tariff_rate(const tw_world *w, const double *tariffs, const double *flows, size_t n,
                      size_t i, size_t j)
{
    return mean_rate(w->base, tariffs, flows, n, i, j);
}

double tw_result_tariff_revenue_gdp(const tw_result *r, size_t n, int new_level)
{
    const tw_base *b = r->base;
    double gdp = new_level ? r->w_hat[n] * b->VA[n] : b->VA[n];
    double rev = new_level ? r->revenue1[n] : b->R[n];
    return gdp > 0 ? rev / gdp : 0.0;
}

/* measures.c - the numbers quoted beside welfare: producer and import prices,
 * real GDP, employment by sector, and the cost of a shock in money
 * (docs/model.md, "Measures").
 *
 * Each is read from the solution (w_hat, P_hat, c_hat, the new flows) and the
 * baseline kept in the result, computed on demand; none feeds back into the
 * equilibrium.  Where the world lacks what a measure needs (a currency, a
 * household-consumption table, a household count, or a baseline flow), the
 * getter returns NAN: the outputs then print null or leave the field empty. */
#include <math.h>

#include "solve_impl.h"
#include "core/index.h"

double tw_result_producer_price_hat(const tw_result *r, size_t n, size_t j)
{
    return r->c_hat[tw_ix_nj(r->J, n, j)];
}

/* The exact (Eaton-Kortum / CES) price index of n's imports of j over foreign
 * sources i, baseline shares pi_nij renormalised over i != n:
 *   P^M_hat = (sum_{i!=n} pi_nij (f_nij c_hat_ij)^-theta / sum_{i!=n} pi_nij)^(-1/theta)
 * with f = tariff factor times d_hat (landed) or d_hat alone (before tariff). */
double tw_result_import_price_hat(const tw_result *r, size_t n, size_t j, int landed)
{
    const tw_base *b = r->base;
    size_t N = r->N, J = r->J;
    double th = b->theta[j], S = 0, T = 0;
    for (size_t i = 0; i < N; i++) {
        size_t c = tw_ix_nij(N, J, n, i, j);
        if (i == n || !(b->pi[c] > 0)) continue;
        double f = r->dhat[c];
        if (landed) f *= (1.0 + r->tau1[c]) / (1.0 + b->tau[c]);
        S += b->pi[c] * pow(f * r->c_hat[tw_ix_nj(J, i, j)], -th);
        T += b->pi[c];
    }
    return T > 0 ? pow(S / T, -1.0 / th) : NAN;
}

/* Sums of value x price change of the expenditure side of n's GDP:
 * v[0] = sum V0, v[1] = sum V1, v[2] = sum V1 / p_hat, v[3] = sum V0 p_hat,
 * imports entering with a minus sign. */
static void gdp_add(double v[4], double sign, double V0, double V1, double p_hat)
{
    v[0] += sign * V0;
    v[1] += sign * V1;
    v[2] += sign * V1 / p_hat;
    v[3] += sign * V0 * p_hat;
}

/* Final demand alpha_nj I_n at the sector price P_hat_nj, exports at the
 * exporter's cost c_hat_nj, imports before tariffs at d_hat_nij c_hat_ij;
 * Laspeyres sum p0 q1 / sum p0 q0, Paasche sum p1 q1 / sum p1 q0, Fisher
 * their geometric mean. */
double tw_result_real_gdp_hat(const tw_result *r, size_t n)
{
    const tw_base *b = r->base;
    size_t N = r->N, J = r->J;
    double v[4] = {0, 0, 0, 0};
    for (size_t j = 0; j < J; j++) {
        size_t nj = tw_ix_nj(J, n, j);
        gdp_add(v, 1.0, b->alpha[nj] * b->I[n], b->alpha[nj] * r->income1[n], r->P_hat[nj]);
        for (size_t i = 0; i < N; i++) {
            if (i == n) continue;
            size_t ex = tw_ix_nij(N, J, i, n, j), im = tw_ix_nij(N, J, n, i, j);
            gdp_add(v, 1.0, b->trade[ex], r->trade1[ex], r->c_hat[nj]);
            gdp_add(v, -1.0, b->trade[im], r->trade1[im],
                    r->dhat[im] * r->c_hat[tw_ix_nj(J, i, j)]);
        }
    }
    double laspeyres = v[2] / v[0], paasche = v[1] / v[3];
    return laspeyres > 0 && paasche > 0 ? sqrt(laspeyres * paasche) : NAN;
}

/* L_nj = gamma_nj Y_nj / w_n, so L_hat = Y_hat / w_hat; NAN without output. */
double tw_result_employment_hat(const tw_result *r, size_t n, size_t j)
{
    size_t N = r->N, J = r->J;
    double y0 = 0, y1 = 0;
    for (size_t m = 0; m < N; m++) {
        size_t c = tw_ix_nij(N, J, m, n, j);
        y0 += r->base->trade[c];
        y1 += r->trade1[c];
    }
    return y0 > 0 ? y1 / y0 / r->w_hat[n] : NAN;
}

double tw_result_ev(const tw_result *r, size_t n)
{
    return r->base->money ? (r->welfare[n] - 1.0) * r->base->I[n] : NAN;
}

/* The change in the cost of the baseline household basket at the new sector
 * prices: sum_j C_nj (P_hat_nj - 1), C the household consumption table. */
double tw_result_consumer_cost(const tw_result *r, size_t n)
{
    const tw_base *b = r->base;
    if (!b->money || !b->hh) return NAN;
    double cost = 0;
    for (size_t j = 0; j < r->J; j++) {
        size_t nj = tw_ix_nj(r->J, n, j);
        cost += b->hh[nj] * (r->P_hat[nj] - 1.0);
    }
    return cost;
}

double tw_result_households(const tw_result *r, size_t n)
{
    return r->base->households ? r->base->households[n] : NAN;
}

double tw_result_ev_per_household(const tw_result *r, size_t n)
{
    return tw_result_ev(r, n) / tw_result_households(r, n);
}

double tw_result_consumer_cost_per_household(const tw_result *r, size_t n)
{
    return tw_result_consumer_cost(r, n) / tw_result_households(r, n);
}

/* result.c - what a solve reports (docs/model.md, item 6) and the
 * independent residual check.
 *
 * result_finish() derives every reported number from the solution arrays
 * (w_hat, P_hat, c_hat, X', new flows) and the baseline kept in the result, so
 * the numbers can be traced to the equations without the solver's state.
 * tw_result_check() recomputes equations 1-5 from the same arrays. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "solve_impl.h"
#include "core/index.h"

void tw_result_free(tw_result *r)
{
    if (!r) return;
    tw_base_free(r->base);
    free(r->tau1); free(r->dhat); free(r->Dp); free(r->w_hat); free(r->P_hat);
    free(r->c_hat); free(r->X); free(r->trade1); free(r->welfare); free(r->real_wage);
    free(r->price_index); free(r->income_hat); free(r->tot); free(r->vot);
    free(r->exports1); free(r->imports1); free(r->revenue1); free(r->income1);
    free(r);
}

static double *dupd(const double *s, size_t n)
{
    double *d = malloc((n ? n : 1) * sizeof *d);
    if (d && n) memcpy(d, s, n * sizeof *d);
    return d;
}

double tw_result_baseline_gap(const tw_result *r, size_t *country)
{
    if (country) *country = r->gap_country;
    return r->gap;
}

tw_result *result_clone(const tw_result *s)
{
    tw_result *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    *r = *s;
    size_t N = s->N, J = s->J, nij = N * N * J, nj = N * J;
    r->base = tw_base_ref(s->base);
    r->tau1 = dupd(s->tau1, nij); r->dhat = dupd(s->dhat, nij); r->Dp = dupd(s->Dp, N);
    r->w_hat = dupd(s->w_hat, N); r->P_hat = dupd(s->P_hat, nj); r->c_hat = dupd(s->c_hat, nj);
    r->X = dupd(s->X, nj); r->trade1 = dupd(s->trade1, nij);
    r->welfare = dupd(s->welfare, N); r->real_wage = dupd(s->real_wage, N);
    r->price_index = dupd(s->price_index, N); r->income_hat = dupd(s->income_hat, N);
    r->tot = dupd(s->tot, N); r->vot = dupd(s->vot, N); r->exports1 = dupd(s->exports1, N);
    r->imports1 = dupd(s->imports1, N); r->revenue1 = dupd(s->revenue1, N);
    r->income1 = dupd(s->income1, N);
    if (!r->base || !r->tau1 || !r->dhat || !r->Dp || !r->w_hat || !r->P_hat || !r->c_hat ||
        !r->X || !r->trade1 || !r->welfare || !r->real_wage || !r->price_index ||
        !r->income_hat || !r->tot || !r->vot || !r->exports1 || !r->imports1 || !r->revenue1 ||
        !r->income1) {
        tw_result_free(r);
        return NULL;
    }
    return r;
}

void result_finish(tw_result *r)
{
    const tw_base *b = r->base;
    size_t N = r->N, J = r->J;
    for (size_t n = 0; n < N; n++) {
        double lnPidx = 0, rev = 0, imp = 0, exp_ = 0, tot = 0, vot = 0;
        for (size_t j = 0; j < J; j++)
            lnPidx += b->alpha[tw_ix_nj(J, n, j)] * log(r->P_hat[tw_ix_nj(J, n, j)]);
        for (size_t i = 0; i < N; i++)
            for (size_t j = 0; j < J; j++) {
                size_t c = tw_ix_nij(N, J, n, i, j), ce = tw_ix_nij(N, J, i, n, j);
                rev += r->tau1[c] * r->trade1[c];
                if (i != n) {
                    imp += r->trade1[c];
                    exp_ += r->trade1[ce];
                }
                /* Caliendo-Parro decomposition: first order, baseline weights */
                double dcn = r->c_hat[tw_ix_nj(J, n, j)] - 1.0;
                double dci = r->c_hat[tw_ix_nj(J, i, j)] - 1.0;
                tot += b->trade[ce] * dcn - b->trade[c] * dci;
                if (b->trade[c] > 0)
                    vot += b->tau[c] * b->trade[c] *
                           ((r->trade1[c] / b->trade[c] - 1.0) - dci);
            }
        double Pidx = exp(lnPidx);
        double I1 = r->w_hat[n] * b->VA[n] + rev + r->Dp[n];
        r->price_index[n] = Pidx;
        r->revenue1[n] = rev;
        r->imports1[n] = imp;
        r->exports1[n] = exp_;
        r->income1[n] = I1;
        r->income_hat[n] = I1 / b->I[n];
        r->welfare[n] = r->income_hat[n] / Pidx;
        r->real_wage[n] = r->w_hat[n] / Pidx;
        r->tot[n] = tot / b->I[n];
        r->vot[n] = vot / b->I[n];
    }
}

static double rel(double x, double f, double tiny)
{
    return fabs(x - f) / fmax(fabs(x), tiny);
}

double tw_result_check(const tw_result *r)
{
    double worst;
    /* out of memory: cannot vouch for the result */
    return result_residual(r, &worst) == TW_OK ? worst : INFINITY;
}

tw_status result_residual(const tw_result *r, double *out)
{
    const tw_base *b = r->base;
    size_t N = r->N, J = r->J;
    double *lnc = malloc(N * J * sizeof *lnc), *Y = calloc(N * J, sizeof *Y);
    double *term = malloc(N * sizeof *term), *lnP = malloc(N * J * sizeof *lnP);
    double *ec = malloc(N * J * sizeof *ec);
    if (!lnc || !Y || !term || !lnP || !ec) {
        free(lnc); free(Y); free(term); free(lnP); free(ec);
        return TW_ENOMEM;
    }
    /* each log once, not once per use (the same values), and c_ij^-theta_j
     * once per exporter and sector, not once per importer too: a cell whose
     * trade costs did not move (kappa = 1, most of them) takes it as it is,
     * the others times kappa^-theta */
    for (size_t i = 0; i < N; i++)
        for (size_t j = 0; j < J; j++) {
            size_t ij = tw_ix_nj(J, i, j);
            double l = log(r->c_hat[ij]);
            lnc[ij] = l;
            lnP[ij] = log(r->P_hat[ij]);
            ec[ij] = exp(-b->theta[j] * l);
        }
    for (size_t m = 0; m < N; m++)
        for (size_t n = 0; n < N; n++)
            for (size_t k = 0; k < J; k++) Y[tw_ix_nj(J, n, k)] += r->trade1[tw_ix_nij(N, J, m, n, k)];
    double worst = 0;
#define WORSE(v) do { double v_ = (v); if (!(v_ <= worst)) worst = v_; } while (0)
    for (size_t n = 0; n < N; n++) {
        double spend = 0, buy = 0, sell = 0, rev = 0;
        for (size_t j = 0; j < J; j++) spend += r->X[tw_ix_nj(J, n, j)];
        double tinyX = 1e-300 + 1e-14 * spend;
        for (size_t j = 0; j < J; j++) {
            size_t nj = tw_ix_nj(J, n, j);
            /* eq. 1 */
            double lc = b->va[nj] * log(r->w_hat[n]);
            for (size_t k = 0; k < J; k++)
                lc += b->io[tw_ix_nkj(J, n, k, j)] * lnP[tw_ix_nj(J, n, k)];
            WORSE(rel(r->c_hat[nj], exp(lc), 1e-300));
            /* eqs. 2 and 3: term_i = pi (kappa c_i)^-theta, P = S^(-1/theta),
             * pi'_i = term_i / S */
            double th = b->theta[j], S = 0;
            for (size_t i = 0; i < N; i++) {
                size_t c = tw_ix_nij(N, J, n, i, j);
                term[i] = 0;
                if (b->pi[c] > 0) {
                    double kap = (1.0 + r->tau1[c]) / (1.0 + b->tau[c]) * r->dhat[c];
                    double e = ec[tw_ix_nj(J, i, j)];
                    if (kap != 1.0) e *= exp(-th * log(kap));
                    term[i] = b->pi[c] * e;
                }
                S += term[i];
            }
            double P = S > 0 ? pow(S, -1.0 / th) : 1.0;
            WORSE(rel(r->P_hat[nj], P, 1e-300));
            for (size_t i = 0; i < N; i++) {
                size_t c = tw_ix_nij(N, J, n, i, j);
                double pi1 = S > 0 ? term[i] / S : 0.0;
                double flow = pi1 * r->X[nj] / (1.0 + r->tau1[c]);
                WORSE(rel(r->trade1[c], flow, tinyX));
                buy += r->trade1[c];
                rev += r->tau1[c] * r->trade1[c];
            }
        }
        for (size_t j = 0; j < J; j++) sell += Y[tw_ix_nj(J, n, j)];
        /* eq. 4 */
        double I1 = r->w_hat[n] * b->VA[n] + rev + r->Dp[n];
        for (size_t j = 0; j < J; j++) {
            double f = b->alpha[tw_ix_nj(J, n, j)] * I1;
            const double *io = b->io + tw_ix_nkj(J, n, j, 0);
            for (size_t k = 0; k < J; k++) f += io[k] * Y[tw_ix_nj(J, n, k)];
            WORSE(rel(r->X[tw_ix_nj(J, n, j)], f, tinyX));
        }
        /* eq. 5 */
        WORSE(fabs(buy - r->Dp[n] - sell) / b->VA[n]);
    }
#undef WORSE
    free(lnc); free(Y); free(term); free(lnP); free(ec);
    *out = worst;
    return TW_OK;
}

size_t tw_result_iterations(const tw_result *r) { return r->iterations; }
size_t tw_result_evaluations(const tw_result *r) { return r->evaluations; }
size_t tw_result_evaluations_purge(const tw_result *r) { return r->evaluations_purge; }
double tw_result_residual(const tw_result *r) { return r->residual; }
tw_method tw_result_method(const tw_result *r) { return r->method; }
tw_deficits tw_result_deficits(const tw_result *r) { return r->deficits; }
size_t tw_result_n_countries(const tw_result *r) { return r->N; }
size_t tw_result_n_sectors(const tw_result *r) { return r->J; }
double tw_result_welfare_hat(const tw_result *r, size_t n) { return r->welfare[n]; }
double tw_result_real_wage_hat(const tw_result *r, size_t n) { return r->real_wage[n]; }
double tw_result_price_index_hat(const tw_result *r, size_t n) { return r->price_index[n]; }
double tw_result_income_hat(const tw_result *r, size_t n) { return r->income_hat[n]; }
double tw_result_tot(const tw_result *r, size_t n) { return r->tot[n]; }
double tw_result_vot(const tw_result *r, size_t n) { return r->vot[n]; }
double tw_result_exports(const tw_result *r, size_t n, int new_level)
{ return new_level ? r->exports1[n] : r->base->E[n]; }
double tw_result_imports(const tw_result *r, size_t n, int new_level)
{ return new_level ? r->imports1[n] : r->base->M[n]; }
double tw_result_tariff_revenue(const tw_result *r, size_t n, int new_level)
{ return new_level ? r->revenue1[n] : r->base->R[n]; }
double tw_result_income(const tw_result *r, size_t n, int new_level)
{ return new_level ? r->income1[n] : r->base->I[n]; }
const double *tw_result_w_hat(const tw_result *r) { return r->w_hat; }
const double *tw_result_P_hat(const tw_result *r) { return r->P_hat; }
const double *tw_result_c_hat(const tw_result *r) { return r->c_hat; }
const double *tw_result_spending(const tw_result *r) { return r->X; }
const double *tw_result_trade(const tw_result *r, int new_level)
{ return new_level ? r->trade1 : r->base->trade; }
const double *tw_result_tariffs(const tw_result *r) { return r->tau1; }
const double *tw_result_dhat(const tw_result *r) { return r->dhat; }

/* split.c - one region of a world split in two: a new country carved out of
 * it, the rest of the region under its old code (docs/split.md).
 *
 * Every flow of the new country v is a part of a flow of the region r, and the
 * rest of the region keeps the difference, so totals are conserved by
 * construction.  The parts:
 *
 *   partners m    goods: s_m x the region's goods trade with m in the world,
 *                 s_m = v's share of the region's trade with m in the totals;
 *                 spread over sectors by the proxy's mix, capped at the
 *                 region's flow in each sector (fill()); services: s_m x the
 *                 region's services trade with m, sector by sector;
 *   rest of r     g x v's totals with the other members (g = the region's
 *                 goods trade with its partners in the world over the same in
 *                 the totals), the proxy's overall mix, capped at what the
 *                 region sells to itself;
 *   domestic      the solution of v's input-output balance with the proxy's
 *                 input shares and final-demand shares (domestic_at()), scaled
 *                 so that v's value added meets its target; v's purchases of
 *                 an input never exceed the region's (its input share is
 *                 lowered where they would).
 *
 * Tariffs are the region's in both directions; v and the rest of r trade free
 * (their trade was domestic).  The draft is finished like an import, so its
 * final-demand shares are derived and its zero shock is exact. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/index.h"
#include "world/split_impl.h"

/* Bisection on the scale of final demand: steps, and the relative gap at
 * which the value-added target counts as met. */
#define SCALE_STEPS 200
#define SCALE_REL 1e-14
/* Sweeps of the input-output balance, and passes lowering input shares. */
#define BALANCE_SWEEPS 20000
#define CAP_PASSES 50

typedef struct split {
    const tw_world *w;
    const tw_base *b;
    const tw_split_spec *spec;
    size_t N, J, r, p;    /* world sizes, the region, the proxy */
    double *T;            /* [(N+1)(N+1)] goods totals (split_impl.h) */
    double *sx, *sm;      /* [N] v's share of r's exports to / imports from m; NAN: none */
    double g;             /* totals' units -> the world's, for the region's trade */
    double *ex, *im;      /* [N][J] v's sales to / purchases from m (m = r: the rest of r) */
    double *dom;          /* [J] v's domestic sales */
    double *gam;          /* [J][J] v's input shares, input k (row) of output j */
    double *fcap;         /* [J] the region's final demand */
    double *tin, *tout;   /* [N][J] rates v pays on imports from m, m pays on v's goods */
    int *open;            /* [J] scratch for fill() */
    double *mem;          /* the block that holds every array of doubles above */
    double va_target, va;
    tw_draft *d;
} split;

static size_t U(const split *s) { return s->N + 1; }
static double tot(const split *s, size_t a, size_t b) { return s->T[a * U(s) + b]; }
static double flow(const split *s, size_t n, size_t i, size_t j)
{
    return s->b->trade[tw_ix_nij(s->N, s->J, n, i, j)];
}

/* ---- spreading a total over sectors ------------------------------------- */

/* x_j = min(cap_j, lambda mix_j) over the sectors in, with lambda such that
 * the x sum to total; what the mix cannot place (sectors with no mix) goes by
 * the room left.  Needs total <= the sum of cap over in; open is room for J
 * flags. */
static void fill(size_t J, const int *in, double total, const double *mix, const double *cap,
                 int *open, double *x)
{
    double left = total, room = 0;
    for (size_t j = 0; j < J; j++) {
        x[j] = 0;
        open[j] = in[j] && mix[j] > 0 && cap[j] > 0;
    }
    for (int again = 1; again && left > 0;) {
        double m = 0;
        again = 0;
        for (size_t j = 0; j < J; j++) m += open[j] ? mix[j] : 0;
        if (!(m > 0)) break;
        for (size_t j = 0; j < J; j++)
            if (open[j] && left / m * mix[j] >= cap[j]) {
                x[j] = cap[j];
                left -= cap[j];
                open[j] = 0;
                again = 1;
            }
        if (!again) {
            for (size_t j = 0; j < J; j++)
                if (open[j]) x[j] = left / m * mix[j];
            left = 0;
        }
    }
    for (size_t j = 0; j < J; j++) room += in[j] ? cap[j] - x[j] : 0;
    for (size_t j = 0; j < J && left > 0 && room > 0; j++)
        if (in[j]) x[j] += left * (cap[j] - x[j]) / room;
}

/* ---- shares and the year's scale --------------------------------------- */

static double goods(const split *s, size_t n, size_t i)
{
    double t = 0;
    for (size_t j = 0; j < s->J; j++)
        if (s->b->tradable[j]) t += flow(s, n, i, j);
    return t;
}

/* The scaled rule: v's flow with m is g x its totals, at most the region's. */
static tw_status scaled_shares(split *s, tw_error *err)
{
    size_t r = s->r, v = s->N;
    tw_status st = TW_OK;
    for (size_t m = 0; m < s->N && st == TW_OK; m++) {
        if (m == r) continue;
        for (int buy = 0; buy <= 1 && st == TW_OK; buy++) {
            double *sh = buy ? &s->sm[m] : &s->sx[m];
            double want = s->g * (buy ? tot(s, v, m) : tot(s, m, v));
            double have = buy ? goods(s, r, m) : goods(s, m, r);
            if (isnan(*sh)) continue;
            *sh = have > 0 ? fmin(1, want / have) : 0;
            if (want > have)
                st = tw_lines_addf(&s->d->notes, err, "%s's goods %s %s, %.6g in the world's units, "
                                   "exceed %s's (%.6g): capped at them", s->spec->code,
                                   buy ? "imports from" : "exports to", s->w->ccode[m], want,
                                   s->spec->region, have);
        }
    }
    return st;
}

/* sx, sm and g from the totals; partners without totals take v's overall share. */
static tw_status shares(split *s, tw_error *err)
{
    size_t N = s->N, r = s->r, v = N;
    double vt[2] = {0, 0}, all[2] = {0, 0}, world = 0, totals = 0;
    for (size_t m = 0; m < N; m++) {
        s->sx[m] = s->sm[m] = NAN;
        for (int buy = 0; buy <= 1 && m != r; buy++) {
            double x = buy ? tot(s, v, m) : tot(s, m, v), a = x + (buy ? tot(s, r, m) : tot(s, m, r));
            if (!(a > 0)) continue;
            *(buy ? &s->sm[m] : &s->sx[m]) = x / a;
            vt[buy] += x;
            all[buy] += a;
            world += buy ? goods(s, r, m) : goods(s, m, r);
            totals += a;
        }
    }
    if (!(vt[0] + vt[1] > 0))
        return tw_error_set(err, TW_EINPUT, s->spec->totals, 0, 0, "no goods trade of %s with a "
                            "country of the world outside %s (expected its rows in the totals)",
                            s->spec->code, s->spec->region);
    s->g = world / totals;
    tw_status st = s->spec->rule == TW_SPLIT_SCALED ? scaled_shares(s, err) : TW_OK;
    for (size_t m = 0; m < N && st == TW_OK; m++) {
        if (m == r || (!isnan(s->sx[m]) && !isnan(s->sm[m]))) continue;
        if (isnan(s->sx[m])) s->sx[m] = all[0] > 0 ? vt[0] / all[0] : 0;
        if (isnan(s->sm[m])) s->sm[m] = all[1] > 0 ? vt[1] / all[1] : 0;
        st = tw_lines_addf(&s->d->notes, err, "the totals hold no goods trade between %s and %s in "
                           "one direction or both: it takes %s's share of all %s's goods trade "
                           "(exports %.6g, imports %.6g)", s->spec->region, s->w->ccode[m],
                           s->spec->code, s->spec->region, s->sx[m], s->sm[m]);
    }
    return st;
}

/* ---- v's trade ---------------------------------------------------------- */

/* The proxy's goods sales to m by sector (to all its partners when m is the
 * proxy, the region, or buys nothing from it); buy: its purchases instead. */
static void proxy_mix(const split *s, size_t m, int buy, double *mix)
{
    size_t N = s->N, J = s->J, p = s->p;
    double t = 0;
    for (size_t j = 0; j < J; j++) {
        mix[j] = s->b->tradable[j] && m != p && m != s->r ? (buy ? flow(s, p, m, j) : flow(s, m, p, j)) : 0;
        t += mix[j];
    }
    if (t > 0) return;
    for (size_t j = 0; j < J; j++)
        for (size_t o = 0; o < N; o++)
            if (o != p && s->b->tradable[j]) mix[j] += buy ? flow(s, p, o, j) : flow(s, o, p, j);
}

/* v's flows with partner m, one direction: out = share x the region's flow. */
static void partner_flows(split *s, size_t m, int buy, double share, double *mix, double *cap)
{
    size_t J = s->J;
    double *out = (buy ? s->im : s->ex) + m * J, g = 0;
    for (size_t j = 0; j < J; j++) {
        cap[j] = buy ? flow(s, s->r, m, j) : flow(s, m, s->r, j);
        if (s->b->tradable[j]) g += cap[j];
    }
    proxy_mix(s, m, buy, mix);
    fill(J, s->b->tradable, share * g, mix, cap, s->open, out);
    for (size_t j = 0; j < J; j++)
        if (!s->b->tradable[j]) out[j] = share * cap[j];
}

/* v's trade with the rest of its region: g x its totals, within what the
 * region sells to itself. */
static tw_status intra_flows(split *s, double *mix, double *cap, tw_error *err)
{
    size_t J = s->J, r = s->r, v = s->N;
    for (int buy = 0; buy <= 1; buy++) {
        double want = s->g * (buy ? tot(s, v, r) : tot(s, r, v)), room = 0;
        for (size_t j = 0; j < J; j++) {
            cap[j] = s->b->tradable[j] ? flow(s, r, r, j) - s->ex[r * J + j] : 0;
            room += cap[j];
        }
        if (want > room)
            return tw_error_set(err, TW_EINPUT, s->spec->totals, 0, 0, "%s's goods trade with the "
                                "rest of %s, %.6g in the world's units, is larger than what %s "
                                "sells to itself (%.6g)", s->spec->code, s->spec->region, want,
                                s->spec->region, room);
        proxy_mix(s, r, buy, mix);
        fill(J, s->b->tradable, want, mix, cap, s->open, (buy ? s->im : s->ex) + r * J);
    }
    return TW_OK;
}

static tw_status trade_flows(split *s, tw_error *err)
{
    double *mix = calloc(s->J + 1, sizeof *mix), *cap = calloc(s->J + 1, sizeof *cap);
    tw_status st = mix && cap ? TW_OK : tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t m = 0; m < s->N && st == TW_OK; m++) {
        if (m == s->r) continue;
        partner_flows(s, m, 0, s->sx[m], mix, cap);
        partner_flows(s, m, 1, s->sm[m], mix, cap);
    }
    if (st == TW_OK) st = intra_flows(s, mix, cap, err);
    free(mix);
    free(cap);
    return st;
}

/* ---- v's domestic sales -------------------------------------------------- */

/* What the balance needs besides the domestic sales. */
typedef struct balance {
    double *sold;   /* [J] v's sales to others */
    double *bought; /* [J] v's purchases from others, tariffs included */
    double *alpha;  /* [J] the proxy's final-demand shares */
    double rev, deficit;
} balance;

static double tariff(const split *s, size_t n, size_t i, size_t j)
{
    return s->b->tau[tw_ix_nij(s->N, s->J, n, i, j)];
}

static double value_added(const split *s, const balance *bl, const double *D)
{
    double va = 0;
    for (size_t j = 0; j < s->J; j++) {
        double in = 0;
        for (size_t k = 0; k < s->J; k++) in += s->gam[k * s->J + j];
        va += (in < 1 ? 1 - in : 0) * (bl->sold[j] + D[j]);
    }
    return va;
}

/* Domestic sales D when final demand is min(alpha x scale, the region's) in
 * every sector, except where imports alone exceed what v uses: D_k =
 * max(0, sum_j gam[k][j] (sold_j + D_j) + f_k - bought_k), by Gauss-Seidel
 * sweeps from a D at or below the answer (the map is monotone and a
 * contraction while value-added shares are positive).  Returns value added. */
static double domestic_at(const split *s, const balance *bl, double scale, double *D)
{
    size_t J = s->J;
    for (int it = 0; it < BALANCE_SWEEPS; it++) {
        double step = 0, big = 1;
        for (size_t k = 0; k < J; k++) {
            double f = fmin(bl->alpha[k] * scale, s->fcap[k]), x = f - bl->bought[k];
            for (size_t j = 0; j < J; j++) x += s->gam[k * J + j] * (bl->sold[j] + D[j]);
            x = fmax(x, 0);
            step = fmax(step, fabs(x - D[k]));
            big = fmax(big, x);
            D[k] = x;
        }
        if (step <= 1e-15 * big) break;
    }
    return value_added(s, bl, D);
}

/* The scale of final demand that meets the value-added target. */
static tw_status solve_scale(split *s, const balance *bl, double *D, double *lo_D, tw_error *err)
{
    size_t J = s->J;
    memset(lo_D, 0, J * sizeof *lo_D);
    double lo = 0, hi = fmax(s->va_target + bl->rev + bl->deficit, s->va_target);
    if ((s->va = domestic_at(s, bl, lo, lo_D)) >= s->va_target) {
        memcpy(D, lo_D, J * sizeof *D);
        return TW_OK;
    }
    for (int k = 0; k < 64; k++) {
        memcpy(D, lo_D, J * sizeof *D);
        if (domestic_at(s, bl, hi, D) >= s->va_target) break;
        lo = hi;
        memcpy(lo_D, D, J * sizeof *D);
        hi *= 2;
    }
    if (value_added(s, bl, D) < s->va_target)
        return tw_error_set(err, TW_EINPUT, NULL, 0, 0, "%s's value added target %.6g does not "
                            "fit in %s: with %s's final demand it reaches %.6g (lower --gdp)",
                            s->spec->code, s->va_target, s->spec->region, s->spec->region,
                            value_added(s, bl, D));
    for (int k = 0; k < SCALE_STEPS && hi - lo > SCALE_REL * hi; k++) {
        double mid = 0.5 * (lo + hi);
        memcpy(D, lo_D, J * sizeof *D);
        if (domestic_at(s, bl, mid, D) >= s->va_target) {
            hi = mid;
        } else {
            lo = mid;
            memcpy(lo_D, D, J * sizeof *D);
        }
    }
    memcpy(D, lo_D, J * sizeof *D);
    s->va = domestic_at(s, bl, hi, D);
    return TW_OK;
}

/* Lower v's input shares where its purchases would exceed the region's;
 * 1 when a share changed. */
static int cap_inputs(split *s, const balance *bl, const double *D)
{
    size_t J = s->J, r = s->r;
    int changed = 0;
    for (size_t k = 0; k < J; k++)
        for (size_t j = 0; j < J; j++) {
            double y = bl->sold[j] + D[j], *gk = &s->gam[k * J + j];
            double cap = s->b->io[tw_ix_nkj(J, r, k, j)] * s->b->Y[tw_ix_nj(J, r, j)];
            if (*gk * y > cap * (1 + 1e-12)) {
                *gk = y > 0 ? cap / y : 0;
                changed = 1;
            }
        }
    return changed;
}

static void balance_inputs(const split *s, balance *bl)
{
    size_t N = s->N, J = s->J, r = s->r;
    for (size_t j = 0; j < J; j++) {
        bl->alpha[j] = s->b->alpha[tw_ix_nj(J, s->p, j)];
        for (size_t m = 0; m < N; m++) {
            double tau = s->tin[m * J + j], x = s->im[m * J + j];
            bl->sold[j] += s->ex[m * J + j];
            bl->bought[j] += x * (1 + tau);
            bl->rev += x * tau;
            bl->deficit += x - s->ex[m * J + j];
        }
        double use = 0;
        for (size_t q = 0; q < J; q++)
            use += s->b->io[tw_ix_nkj(J, r, j, q)] * s->b->Y[tw_ix_nj(J, r, q)];
        s->fcap[j] = fmax(0, s->b->X[tw_ix_nj(J, r, j)] - use);
        for (size_t k = 0; k < J; k++) s->gam[k * J + j] = s->b->io[tw_ix_nkj(J, s->p, k, j)];
    }
}

/* The value-added target: g x GDP, or v's share of r's goods trade x r's. */
static void va_target(split *s)
{
    if (s->spec->gdp > 0) {
        s->va_target = s->g * s->spec->gdp;
        return;
    }
    double vt = 0, rt = 0;
    for (size_t m = 0; m < s->N; m++) {
        if (m == s->r) continue;
        rt += goods(s, m, s->r) + goods(s, s->r, m);
        for (size_t j = 0; j < s->J; j++)
            if (s->b->tradable[j]) vt += s->ex[m * s->J + j] + s->im[m * s->J + j];
    }
    s->va_target = rt > 0 ? s->b->VA[s->r] * vt / rt : 0;
}

static tw_status domestic(split *s, tw_error *err)
{
    size_t J = s->J;
    double *buf = calloc(4 * (J + 1), sizeof *buf), *lo_D = buf ? buf + 3 * (J + 1) : NULL;
    balance bl = {buf, buf ? buf + (J + 1) : NULL, buf ? buf + 2 * (J + 1) : NULL, 0, 0};
    tw_status st = buf ? TW_OK : tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    if (st == TW_OK) {
        balance_inputs(s, &bl);
        va_target(s);
    }
    int pass = 0;
    do st = st == TW_OK ? solve_scale(s, &bl, s->dom, lo_D, err) : st;
    while (st == TW_OK && cap_inputs(s, &bl, s->dom) && ++pass < CAP_PASSES);
    for (size_t j = 0; j < J && st == TW_OK; j++) {
        double room = flow(s, s->r, s->r, j) - s->ex[s->r * J + j] - s->im[s->r * J + j];
        if (s->dom[j] > room * (1 + 1e-12))
            st = tw_error_set(err, TW_EINPUT, NULL, 0, 0, "%s's domestic sales of %s, %.6g, are "
                              "larger than what %s sells to itself (%.6g): the new country does "
                              "not fit in the region (lower --gdp or choose another proxy)",
                              s->spec->code, s->w->scode[j], s->dom[j], s->spec->region, room);
        else if (s->dom[j] > room)
            s->dom[j] = room;
    }
    free(buf);
    return st;
}

/* ---- the draft ---------------------------------------------------------- */

/* Index in the draft of world country n: v goes just before the region. */
static size_t at(const split *s, size_t n) { return n < s->r ? n : n + 1; }

static void set_cell(tw_draft *d, size_t n, size_t i, size_t j, double v, double tau)
{
    size_t c = tw_ix_nij(d->N, d->J, n, i, j);
    d->trade[c] = v;
    d->tau[c] = tau;
}

static void build_trade(const split *s, tw_draft *d)
{
    size_t N = s->N, J = s->J, r = s->r, v = r, rest = r + 1;
    for (size_t n = 0; n < N; n++)
        for (size_t i = 0; i < N; i++)
            for (size_t j = 0; j < J; j++) {
                double x = flow(s, n, i, j), tau = tariff(s, n, i, j);
                if (n != r && i != r) {
                    set_cell(d, at(s, n), at(s, i), j, x, tau);
                } else if (n != r) {
                    set_cell(d, at(s, n), v, j, s->ex[n * J + j], s->tout[n * J + j]);
                    set_cell(d, at(s, n), rest, j, fmax(0, x - s->ex[n * J + j]), tau);
                } else if (i != r) {
                    set_cell(d, v, at(s, i), j, s->im[i * J + j], s->tin[i * J + j]);
                    set_cell(d, rest, at(s, i), j, fmax(0, x - s->im[i * J + j]), tau);
                } else {
                    double a = s->dom[j], b = s->im[r * J + j], c = s->ex[r * J + j];
                    set_cell(d, v, v, j, a, 0);
                    set_cell(d, v, rest, j, b, s->tin[r * J + j]);
                    set_cell(d, rest, v, j, c, s->tout[r * J + j]);
                    set_cell(d, rest, rest, j, fmax(0, x - a - b - c), 0);
                }
            }
}

/* Input purchases in levels; v's final demand by sector into F. */
static void build_use(const split *s, tw_draft *d, double *F)
{
    size_t N = s->N, J = s->J, r = s->r, v = r, rest = r + 1;
    const tw_base *b = s->b;
    for (size_t n = 0; n < N; n++)
        for (size_t k = 0; k < J; k++)
            for (size_t j = 0; j < J; j++) {
                double u = b->io[tw_ix_nkj(J, n, k, j)] * b->Y[tw_ix_nj(J, n, j)];
                if (n != r) {
                    d->use[tw_ix_nkj(J, at(s, n), k, j)] = u;
                    continue;
                }
                double y = 0;
                for (size_t m = 0; m < d->N; m++) y += d->trade[tw_ix_nij(d->N, J, m, v, j)];
                double uv = fmin(s->gam[k * J + j] * y, u);
                d->use[tw_ix_nkj(J, v, k, j)] = uv;
                d->use[tw_ix_nkj(J, rest, k, j)] = u - uv;
            }
    for (size_t k = 0; k < J; k++) {
        F[k] = 0;
        for (size_t i = 0; i < d->N; i++) {
            size_t c = tw_ix_nij(d->N, J, v, i, k);
            F[k] += d->trade[c] * (1 + d->tau[c]);
        }
        for (size_t j = 0; j < J; j++) F[k] -= d->use[tw_ix_nkj(J, v, k, j)];
        F[k] = fmax(0, F[k]); /* rounding: the balance keeps it >= 0 */
    }
}

/* A country-sector level of the world split between v (vpart[j]) and the
 * rest of the region; others copied.  NULL level: nothing to do. */
static void split_level(const split *s, double *dst, const double *level, const double *vpart)
{
    size_t J = s->J;
    for (size_t n = 0; n < s->N; n++)
        for (size_t j = 0; j < J; j++) {
            double x = level[tw_ix_nj(J, n, j)];
            if (n != s->r) {
                dst[tw_ix_nj(J, at(s, n), j)] = x;
                continue;
            }
            dst[tw_ix_nj(J, s->r, j)] = vpart[j];
            dst[tw_ix_nj(J, s->r + 1, j)] = fmax(0, x - vpart[j]);
        }
}

/* The household counts: the region's divides in no known way, so neither
 * part has one. */
static tw_status build_households(const split *s, tw_draft *d, tw_error *err)
{
    const tw_base *b = s->b;
    size_t r = s->r;
    if (!(d->households = calloc(s->N + 1, sizeof(double))))
        return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t n = 0; n < s->N; n++) d->households[at(s, n)] = b->households[n];
    d->households[r] = d->households[r + 1] = NAN;
    tw_status st = tw_draft_set_text(&d->households_source, "the households.csv of the world split", err);
    if (st == TW_OK && isfinite(b->households[r]))
        st = tw_lines_addf(&d->notes, err, "households of %s and %s are not given: the count of "
                           "the whole region does not say how it divides", s->spec->code,
                           s->spec->region);
    return st;
}

/* Supplied value-added and final-demand levels and household consumption;
 * lv and part are room for N x J and J values. */
static void build_levels(const split *s, tw_draft *d, const double *F, double *lv, double *part)
{
    const tw_base *b = s->b;
    size_t N = s->N, J = s->J, r = s->r;
    if (d->va_level && b->va) {
        for (size_t n = 0; n < N * J; n++) lv[n] = b->va[n] * b->Y[n];
        for (size_t j = 0; j < J; j++) {
            part[j] = 0;
            for (size_t m = 0; m < d->N; m++) part[j] += d->trade[tw_ix_nij(d->N, J, m, r, j)];
            for (size_t k = 0; k < J; k++) part[j] -= d->use[tw_ix_nkj(J, r, k, j)];
        }
        split_level(s, d->va_level, lv, part);
    }
    if (d->fd_level && b->alpha) {
        for (size_t n = 0; n < N * J; n++) lv[n] = b->alpha[n] * b->I[n / J];
        split_level(s, d->fd_level, lv, F);
    }
    if (d->hh_level && b->hh) {
        for (size_t j = 0; j < J; j++)
            part[j] = s->fcap[j] > 0 ? b->hh[tw_ix_nj(J, r, j)] * fmin(1, F[j] / s->fcap[j]) : 0;
        split_level(s, d->hh_level, b->hh, part);
    }
}

/* The optional files: levels where the world supplies them, households. */
static tw_status build_optional(const split *s, tw_draft *d, const double *F, tw_error *err)
{
    const tw_base *b = s->b;
    size_t NJ = (s->N + 1) * s->J;
    double *lv = calloc(s->N * s->J + 1, sizeof *lv), *part = calloc(s->J + 1, sizeof *part);
    if (s->w->va_supplied) d->va_level = calloc(NJ, sizeof(double));
    if (s->w->alpha_supplied) d->fd_level = calloc(NJ, sizeof(double));
    if (b->hh) d->hh_level = calloc(NJ, sizeof(double));
    int lost = !lv || !part || (s->w->va_supplied && !d->va_level) ||
               (s->w->alpha_supplied && !d->fd_level) || (b->hh && !d->hh_level);
    if (!lost) build_levels(s, d, F, lv, part);
    free(lv);
    free(part);
    if (lost) return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    return b->households ? build_households(s, d, err) : TW_OK;
}

static const char *const conventions[] = {
    "Split: the region was divided into a new country and the rest of the region (which keeps "
    "the region's code). Every flow of the new country is a part of one of the region's flows "
    "and the rest of the region keeps the difference, so each partner's trade with the region, "
    "the region's output, input purchases, value added, final demand, deficit and tariff revenue, "
    "and every world total, are unchanged (docs/split.md).",
    "Trade with the rest of the region: the totals' flows, times g = the region's goods trade with "
    "its partners in the world over the same trade in the totals; no services.",
    "Final-demand shares are derived from market clearing, so a zero shock changes nothing.",
};

static tw_status describe(const split *s, tw_draft *d, tw_error *err)
{
    const tw_split_spec *sp = s->spec;
    const char *proxy = s->w->ccode[s->p];
    tw_status st = tw_lines_addf(&d->conventions, err, "**Assumption - proxy**: the new country %s "
                                 "borrows the input shares, the final-demand shares and the sector "
                                 "mix of goods trade of %s (%s). The choice matters: see the proxy "
                                 "sweep of docs/split.md.", sp->code, proxy, s->w->cname[s->p]);
    for (size_t k = 0; k < sizeof conventions / sizeof *conventions && st == TW_OK; k++)
        st = tw_lines_addf(&d->conventions, err, "%s", conventions[k]);
    if (st == TW_OK)
        st = tw_lines_addf(&d->conventions, err, "Trade with partners: the new country's goods "
                           "exports to a partner are %s (imports alike); services trade with the "
                           "partner is split in the same proportion. Within a goods flow, sectors "
                           "follow the proxy's mix of the same flow, capped at the region's flow "
                           "in each sector.", sp->rule == TW_SPLIT_SCALED
                           ? "its exports to it in the totals times g, at most the region's"
                           : "its share of the region's goods exports to that partner in the "
                             "totals, times the region's goods exports to it in the world");
    if (st == TW_OK)
        st = tw_lines_addf(&d->conventions, err, "Size: the new country's value added is %s; its "
                           "domestic sales solve its input-output balance with the proxy's shares.",
                           sp->gdp > 0 ? "g times its GDP as given" :
                           "its share of the region's goods trade times the region's value added");
    if (st == TW_OK)
        st = tw_lines_addf(&d->conventions, err, "Tariffs: the new country pays and faces the "
                           "region's rates, and its trade with the rest of the region (which was "
                           "domestic) carries none%s", sp->tariffs ? ", except the rates of the "
                           "tariffs file given (so tariff revenue is no longer conserved)." : ".");
    if (st == TW_OK)
        st = tw_lines_addf(&d->notes, err, "proxy: %s borrows the structure of %s (an assumption)",
                           sp->code, proxy);
    if (st == TW_OK)
        st = tw_lines_addf(&d->notes, err, "scale g = %.6g (the region's goods trade with its partners, "
                           "world / totals); value added of %s %.6g = %.4g %% of %s's (target %.6g)",
                           s->g, sp->code, s->va, 100 * s->va / s->b->VA[s->r], sp->region,
                           s->va_target);
    char buf[2048];
    size_t len = 0;
    for (size_t m = 0; m < s->N && len < sizeof buf - 64; m++)
        if (m != s->r)
            len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s %.4g/%.4g", len ? ", " : "",
                                    s->w->ccode[m], s->sx[m], s->sm[m]);
    if (st == TW_OK)
        st = tw_lines_addf(&d->notes, err, "%s's share of %s's goods exports/imports by partner: %s",
                           sp->code, sp->region, buf);
    len = 0;
    for (size_t m = 0; m < s->N && len < sizeof buf - 64; m++)
        if (m != s->r && tot(s, m, s->N) + tot(s, s->N, m) == 0 && tot(s, m, s->r) + tot(s, s->r, m) > 0)
            len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", len ? ", " : "", s->w->ccode[m]);
    if (st == TW_OK && len)
        st = tw_lines_addf(&d->notes, err, "the totals hold no trade of %s with %s (but some of the "
                           "rest of %s's): %s gets none of %s's goods trade with them", sp->code, buf,
                           sp->region, sp->code, sp->region);
    return st;
}

static tw_status build(const split *s, tw_draft *d, tw_error *err)
{
    double *F = calloc(s->J + 1, sizeof *F);
    tw_status st = F ? TW_OK : tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    if (st == TW_OK) {
        build_trade(s, d);
        build_use(s, d, F);
        st = build_optional(s, d, F, err);
    }
    for (size_t n = 0; n < s->N && st == TW_OK; n++)
        st = tw_draft_set_text(&d->cname[at(s, n)], s->w->cname[n], err);
    if (st == TW_OK) st = tw_draft_set_text(&d->cname[s->r], s->spec->name ? s->spec->name : s->spec->code, err);
    for (size_t j = 0; j < s->J && st == TW_OK; j++) {
        d->theta[j] = s->b->theta[j];
        d->tradable[j] = s->b->tradable[j];
        st = tw_draft_set_text(&d->sname[j], s->w->sname[j], err);
    }
    for (size_t k = 0; k < s->w->n_meta && st == TW_OK; k++)
        st = tw_draft_set_meta(d, s->w->meta_key[k], s->w->meta_val[k], err);
    if (st == TW_OK) st = tw_draft_set_text(&d->source, s->w->dir, err);
    if (st == TW_OK) st = describe(s, d, err);
    free(F);
    return st;
}

/* ---- checks and the whole ----------------------------------------------- */

static tw_status bad_option(tw_error *err, const char *field, const char *fmt, const char *code)
{
    tw_error_set(err, TW_EINPUT, NULL, 0, 0, fmt, code);
    return tw_split_field(err, field);
}

static tw_status check_spec(split *s, tw_error *err)
{
    const tw_split_spec *sp = s->spec;
    if (!s->w || !sp || !sp->region || !sp->code || !sp->totals)
        return tw_error_set(err, TW_EARG, NULL, 0, 0, "no world, region, new code or totals");
    long r = tw_world_country_index(s->w, sp->region);
    long p = sp->proxy ? tw_world_country_index(s->w, sp->proxy) : r;
    if (r < 0) return bad_option(err, "region", "region \"%s\" is not a country of the world", sp->region);
    if (!sp->code[0] || strlen(sp->code) >= TW_IMPORT_CODE_MAX || !strcmp(sp->code, "*"))
        return bad_option(err, "code", "new country code \"%s\" is empty, too long or \"*\"", sp->code);
    if (tw_world_country_index(s->w, sp->code) >= 0)
        return bad_option(err, "code", "new country \"%s\" is already a country of the world", sp->code);
    if (p < 0) return bad_option(err, "proxy", "proxy \"%s\" is not a country of the world", sp->proxy);
    if (!(sp->gdp >= 0 && isfinite(sp->gdp))) {
        tw_error_set(err, TW_EINPUT, NULL, 0, 0, "GDP %g is not a number >= 0", sp->gdp);
        return tw_split_field(err, "gdp");
    }
    s->r = (size_t)r;
    s->p = (size_t)p;
    return TW_OK;
}

static tw_status new_draft(split *s, tw_error *err)
{
    tw_codes cc = {0}, sc = {0};
    tw_status st = TW_OK;
    for (size_t n = 0; n < s->N && st == TW_OK; n++) {
        if (n == s->r) st = tw_codes_add(&cc, s->spec->code, NULL, err);
        if (st == TW_OK) st = tw_codes_add(&cc, s->w->ccode[n], NULL, err);
    }
    for (size_t j = 0; j < s->J && st == TW_OK; j++) st = tw_codes_add(&sc, s->w->scode[j], NULL, err);
    if (st == TW_OK && !(s->d = tw_draft_new("split", &cc, &sc, err))) st = TW_ENOMEM;
    tw_codes_free(&cc);
    tw_codes_free(&sc);
    return st;
}

static tw_status read_totals(split *s, tw_error *err)
{
    tw_split_map map;
    tw_status st = tw_split_read_map(s->spec->map, s->w, s->spec->code, &map, err);
    tw_split_read rd = {s->w, &map, s->spec->code, s->N, s->T};
    if (st == TW_OK) st = tw_split_read_totals(&rd, s->spec->totals, err);
    tw_split_map_free(&map);
    return st;
}

/* The region's rates, or those of the tariffs file. */
static tw_status tariffs(split *s, tw_error *err)
{
    size_t J = s->J, r = s->r;
    for (size_t m = 0; m < s->N; m++)
        for (size_t j = 0; j < J; j++) {
            s->tin[m * J + j] = m == r ? 0 : tariff(s, r, m, j);
            s->tout[m * J + j] = m == r ? 0 : tariff(s, m, r, j);
        }
    if (!s->spec->tariffs) return TW_OK;
    return tw_split_read_tariffs(s->spec->tariffs, s->w, s->spec->code, s->tin, s->tout, err);
}

static void split_free(split *s)
{
    free(s->mem);
    free(s->open);
}

/* One block for every array of doubles, carved in the order of split. */
static tw_status split_alloc(split *s)
{
    size_t N = s->N, J = s->J;
    double *p = s->mem = calloc((N + 1) * (N + 1) + 2 * N + 4 * N * J + 2 * J + J * J, sizeof *p);
    s->open = calloc(J + 1, sizeof *s->open);
    if (!p || !s->open) return TW_ENOMEM;
    s->T = p; p += (N + 1) * (N + 1);
    s->sx = p; p += N;
    s->sm = p; p += N;
    s->ex = p; p += N * J;
    s->im = p; p += N * J;
    s->tin = p; p += N * J;
    s->tout = p; p += N * J;
    s->dom = p; p += J;
    s->fcap = p; p += J;
    s->gam = p;
    return TW_OK;
}

static tw_draft *split_world(const tw_world *w, const tw_split_spec *spec, tw_error *err)
{
    split s = {.w = w, .spec = spec};
    tw_status st = check_spec(&s, err);
    if (st != TW_OK) return NULL;
    s.b = w->base;
    s.N = s.b->N;
    s.J = s.b->J;
    if (split_alloc(&s) != TW_OK) st = tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    if (st == TW_OK) st = new_draft(&s, err);
    if (st == TW_OK) st = read_totals(&s, err);
    if (st == TW_OK) st = tariffs(&s, err);
    if (st == TW_OK) st = shares(&s, err);
    if (st == TW_OK) st = trade_flows(&s, err);
    if (st == TW_OK) st = domestic(&s, err);
    if (st == TW_OK) st = build(&s, s.d, err);
    if (st == TW_OK) st = tw_draft_finish(s.d, err);
    split_free(&s);
    return tw_draft_done(s.d, st);
}

tw_draft *tw_split(const tw_world *w, const tw_split_spec *spec, tw_error *err)
{
    tw_error local; /* the readers use the record throughout; err may be NULL */
    return split_world(w, spec, tw_error_use(err, &local));
}

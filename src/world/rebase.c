/* rebase.c - a world's trade moved to newer totals, its production structure
 * kept (docs/rebase.md).
 *
 * Foreign flows are set first and are targets: goods flows from the totals
 * (split by sector with the later year's mix, else the world's), services
 * flows grown with GDP, the flows of a region no totals row reaches grown
 * with its partners.  Each country's domestic sales d_n^j then solve, with
 * Y = d + E (E: exports) and m the imports including tariffs,
 *
 *     d_n^j + m_n^j - sum_k gamma_n^{j,k} Y_n^k = c_n alpha_n^j   (j free)
 *     sum_k gamma_n^k Y_n^k                    = GDP_n
 *
 * for d and c_n (the new income): final demand in the world's own mix,
 * value added equal to GDP.  A sector whose d would be negative (imports
 * above its use) is held at d = 0 and its final demand is what the imports
 * leave; the set is revised until no d is negative and no held sector's final
 * demand is (an active set; each round is one dense solve of J + 1 unknowns).
 * Input-output shares and tariffs are the world's; value-added and
 * final-demand shares are derived when the result loads, so its zero shock
 * is exact.  Invariant on success: every flow >= 0, every final demand >= 0,
 * value added = GDP to rounding. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/index.h"
#include "core/lu.h"
#include "core/num.h"
#include "world/rebase_impl.h"
#include "world/world_impl.h"

/* A domestic sale or final demand below -NEG_TOL x the country's gross
 * spending is negative; above it, rounding. */
#define NEG_TOL 1e-12

typedef struct rebase {
    tw_rb_inputs in;
    const tw_base *b;
    tw_draft *d;
    double *target;     /* [n] value added of the result */
    double *growth;     /* [n] target / the world's value added */
    double *fd;         /* [n][j] final demand of the result */
    tw_rebase_stats stats;
} rebase;

static tw_status oom(tw_error *err)
{
    return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
}

/* ---- value added ---------------------------------------------------------- */

/* GDP where given; the world's growth for a region with no GDP row. */
static tw_status value_added_targets(rebase *rb, tw_error *err)
{
    const tw_base *b = rb->b;
    size_t N = b->N;
    double now = 0, then = 0;
    for (size_t n = 0; n < N; n++) {
        if (!(b->VA[n] > 0))
            return tw_error_set(err, TW_EINPUT, rb->in.w->dir, 0, 0, "value added of %s is "
                                "%.6g (expected > 0 to grow it to GDP)", rb->d->ccode[n], b->VA[n]);
        if (isnan(rb->in.gdp[n])) continue;
        now += rb->in.gdp[n];
        then += b->VA[n];
    }
    if (!(then > 0))
        return tw_error_set(err, TW_EINPUT, rb->in.o->gdp, 0, 0, "no row reaches a region of "
                            "the world (expected GDP for at least one)");
    for (size_t n = 0; n < N; n++) {
        rb->target[n] = isnan(rb->in.gdp[n]) ? b->VA[n] * now / then : rb->in.gdp[n];
        rb->growth[n] = rb->target[n] / b->VA[n];
        if (isnan(rb->in.gdp[n]) &&
            tw_lines_addf(&rb->d->notes, err, "%s: no GDP row reaches it: value added grown with "
                          "the regions that have one (x %.6g, to %.6g) [flagged]",
                          rb->d->ccode[n], now / then, rb->target[n]) != TW_OK)
            return TW_ENOMEM;
    }
    return TW_OK;
}

/* ---- foreign flows -------------------------------------------------------- */

static double goods_sum(const rebase *rb, const double *t, size_t n, size_t i)
{
    size_t N = rb->b->N, J = rb->b->J;
    double s = 0;
    for (size_t j = 0; j < J; j++)
        if (rb->b->tradable[j]) s += t[tw_ix_nij(N, J, n, i, j)];
    return s;
}

/* The sector mix of the pair n <- i: the later year's, else the world's, else
 * i's exports to everyone, else equal; how[] counts which was used. */
static void pair_mix(const rebase *rb, size_t n, size_t i, double *mix, size_t *how)
{
    const tw_base *b = rb->b;
    size_t N = b->N, J = b->J;
    /* k: 0 the later year's, 1 the world's, 2 the exporter's, 3 equal */
    size_t k = 2;
    if (rb->in.later && goods_sum(rb, rb->in.later, n, i) > 0) k = 0;
    else if (goods_sum(rb, b->trade, n, i) > 0) k = 1;
    const double *src = k == 0 ? rb->in.later : b->trade;
    double tot = 0;
    for (size_t j = 0; j < J; j++) {
        mix[j] = 0;
        if (!b->tradable[j]) continue;
        if (k < 2) mix[j] = src[tw_ix_nij(N, J, n, i, j)];
        else
            for (size_t m = 0; m < N; m++)
                if (m != i) mix[j] += src[tw_ix_nij(N, J, m, i, j)];
        tot += mix[j];
    }
    if (k == 2 && !(tot > 0)) k = 3;
    for (size_t j = 0; j < J; j++)
        mix[j] = tot > 0 ? mix[j] / tot : (b->tradable[j] ? 1.0 : 0.0);
    if (!(tot > 0)) {
        double m = 0;
        for (size_t j = 0; j < J; j++) m += mix[j];
        for (size_t j = 0; j < J; j++) mix[j] /= m;
    }
    how[k]++;
}

/* A zero total where the later year's flows are positive contradicts them. */
static tw_status check_zero_pair(const rebase *rb, size_t n, size_t i, tw_error *err)
{
    size_t N = rb->b->N;
    long line = rb->in.zero_line[n * N + i];
    if (!rb->in.later || !line || rb->in.pair[n * N + i] > 0) return TW_OK;
    double later = goods_sum(rb, rb->in.later, n, i);
    if (!(later > 0)) return TW_OK;
    return tw_error_set(err, TW_EINPUT, rb->in.o->totals, line, 0, "value: the total of "
                        "%s->%s is 0 but the sector flows have %.6g of goods for the pair "
                        "(expected a positive total, or no flows)", rb->d->ccode[i],
                        rb->d->ccode[n], later);
}

/* Growth of the goods trade of the covered pairs: [0] all, then per region
 * as importer [1 + n] and as exporter [1 + N + n]. */
static double *partner_growth(const rebase *rb, tw_error *err)
{
    size_t N = rb->b->N;
    double *now = calloc(2 * N + 1, sizeof *now), *then = calloc(2 * N + 1, sizeof *then);
    if (!now || !then) {
        free(now);
        free(then);
        oom(err);
        return NULL;
    }
    for (size_t n = 0; n < N; n++)
        for (size_t i = 0; i < N; i++) {
            if (n == i || !rb->in.covered[n] || !rb->in.covered[i]) continue;
            double p = rb->in.pair[n * N + i], s = goods_sum(rb, rb->b->trade, n, i);
            size_t at[3] = {0, 1 + n, 1 + N + i};
            for (size_t q = 0; q < 3; q++) {
                now[at[q]] += p;
                then[at[q]] += s;
            }
        }
    for (size_t q = 2 * N + 1; q-- > 0;)
        now[q] = then[q] > 0 ? now[q] / then[q] : (then[0] > 0 ? now[0] / then[0] : 1.0);
    free(then);
    return now;
}

/* Goods flows of a pair with a region no totals row reaches. */
static void absent_pair(rebase *rb, const double *gr, size_t n, size_t i)
{
    size_t N = rb->b->N, J = rb->b->J;
    double f = rb->in.covered[n] ? gr[1 + n] : rb->in.covered[i] ? gr[1 + N + i] : gr[0];
    for (size_t j = 0; j < J; j++)
        if (rb->b->tradable[j]) {
            size_t c = tw_ix_nij(N, J, n, i, j);
            rb->d->trade[c] = rb->b->trade[c] * f;
        }
}

static tw_status note_absent(rebase *rb, tw_error *err)
{
    size_t N = rb->b->N;
    for (size_t n = 0; n < N; n++) {
        if (rb->in.covered[n]) continue;
        rb->stats.absent++;
        double ex0 = 0, ex1 = 0, im0 = 0, im1 = 0;
        for (size_t i = 0; i < N; i++) {
            if (i == n) continue;
            ex0 += goods_sum(rb, rb->b->trade, i, n);
            ex1 += goods_sum(rb, rb->d->trade, i, n);
            im0 += goods_sum(rb, rb->b->trade, n, i);
            im1 += goods_sum(rb, rb->d->trade, n, i);
        }
        if (tw_lines_addf(&rb->d->notes, err, "%s: no row of the totals reaches it: its goods "
                          "flows are the world's, each grown with the partner's goods trade "
                          "(imports from i with i's export growth, exports to n with n's import "
                          "growth): exports %.6g -> %.6g, imports %.6g -> %.6g [flagged]",
                          rb->d->ccode[n], ex0, ex1, im0, im1) != TW_OK)
            return TW_ENOMEM;
    }
    return TW_OK;
}

static tw_status goods_flows(rebase *rb, tw_error *err)
{
    const tw_base *b = rb->b;
    size_t N = b->N, J = b->J, how[4] = {0};
    double *mix = calloc(J + 1, sizeof *mix), *gr = partner_growth(rb, err);
    tw_status st = mix && gr ? TW_OK : (gr ? oom(err) : TW_ENOMEM);
    for (size_t n = 0; n < N && st == TW_OK; n++)
        for (size_t i = 0; i < N && st == TW_OK; i++) {
            if (n == i) continue;
            if (!rb->in.covered[n] || !rb->in.covered[i]) {
                absent_pair(rb, gr, n, i);
                continue;
            }
            if ((st = check_zero_pair(rb, n, i, err)) != TW_OK) break;
            double p = rb->in.pair[n * N + i];
            if (!(p > 0)) continue;
            pair_mix(rb, n, i, mix, how);
            for (size_t j = 0; j < J; j++)
                if (b->tradable[j]) rb->d->trade[tw_ix_nij(N, J, n, i, j)] = p * mix[j];
        }
    if (st == TW_OK && rb->in.later && how[1])
        st = tw_lines_addf(&rb->d->notes, err, "%zu pairs with a positive total have no goods in "
                           "the sector flows: split with the world's own mix", how[1]);
    if (st == TW_OK && how[2])
        st = tw_lines_addf(&rb->d->notes, err, "%zu pairs with a positive total had no goods trade "
                           "in the world: split with the exporter's mix of goods exports", how[2]);
    if (st == TW_OK && how[3])
        st = tw_lines_addf(&rb->d->notes, err, "%zu pairs with a positive total had no goods trade "
                           "and an exporter without goods exports: split equally over the goods "
                           "sectors", how[3]);
    if (st == TW_OK) st = note_absent(rb, err);
    free(mix);
    free(gr);
    return st;
}

/* Foreign services grow with the geometric mean of the two GDP growths. */
static void services_flows(rebase *rb)
{
    const tw_base *b = rb->b;
    size_t N = b->N, J = b->J;
    for (size_t n = 0; n < N; n++)
        for (size_t i = 0; i < N; i++)
            for (size_t j = 0; j < J; j++) {
                size_t c = tw_ix_nij(N, J, n, i, j);
                rb->d->tau[c] = b->tau[c];
                if (n != i && !b->tradable[j])
                    rb->d->trade[c] = b->trade[c] * sqrt(rb->growth[n] * rb->growth[i]);
            }
}

/* ---- domestic sales ------------------------------------------------------- */

/* One country's balancing: the data and the workspace. */
typedef struct dom {
    size_t J, n;
    const double *io, *va, *alpha; /* the world's, of country n */
    double *E, *m, *d, *F;         /* [J] exports, imports with tariffs, domestic, final */
    unsigned char *held;           /* [J] 1 when d is held at 0 */
    double *A, *x;                 /* (J+1)^2, J+1 */
    size_t *piv, *col;             /* J+1: free sectors in order */
    double c, target, scale;
} dom;

/* Solve for the free d and c with the held set as it is. */
static int dom_solve(dom *s)
{
    size_t J = s->J, m = 0;
    for (size_t j = 0; j < J; j++)
        if (!s->held[j]) s->col[m++] = j;
    size_t q = m + 1;
    memset(s->A, 0, q * q * sizeof *s->A);
    for (size_t r = 0; r < m; r++) {
        size_t j = s->col[r];
        double rhs = -s->m[j];
        for (size_t k = 0; k < J; k++) rhs += s->io[j * J + k] * s->E[k];
        for (size_t cc = 0; cc < m; cc++) {
            size_t k = s->col[cc];
            s->A[cc * q + r] = (j == k ? 1.0 : 0.0) - s->io[j * J + k];
        }
        s->A[m * q + r] = -s->alpha[j];
        s->x[r] = rhs;
    }
    double rhs = s->target;
    for (size_t k = 0; k < J; k++) rhs -= s->va[k] * s->E[k];
    for (size_t cc = 0; cc < m; cc++) s->A[cc * q + m] = s->va[s->col[cc]];
    s->x[m] = rhs;
    if (tw_lu_solve(q, s->A, s->x, s->piv) != 0) return -1;
    for (size_t j = 0; j < J; j++) s->d[j] = 0;
    for (size_t r = 0; r < m; r++) s->d[s->col[r]] = s->x[r];
    s->c = s->x[m];
    for (size_t j = 0; j < J; j++) {
        double f = s->d[j] + s->m[j];
        for (size_t k = 0; k < J; k++) f -= s->io[j * J + k] * (s->d[k] + s->E[k]);
        s->F[j] = f;
    }
    return 0;
}

/* Revise the held set: hold every negative d; else free the held sector with
 * the most negative final demand.  1 when the set changed. */
static int dom_revise(dom *s)
{
    size_t J = s->J, worst = J;
    int changed = 0;
    double tol = NEG_TOL * s->scale, low = -tol;
    for (size_t j = 0; j < J; j++)
        if (!s->held[j] && s->d[j] < -tol) {
            s->held[j] = 1;
            changed = 1;
        }
    if (changed) return 1;
    for (size_t j = 0; j < J; j++)
        if (s->held[j] && s->F[j] < low) {
            low = s->F[j];
            worst = j;
        }
    if (worst == J) return 0;
    s->held[worst] = 0;
    return 1;
}

/* Largest relative misfit of country n's equations. */
static double dom_residual(const dom *s)
{
    size_t J = s->J;
    double va = 0, r = 0;
    for (size_t k = 0; k < J; k++) va += s->va[k] * (s->d[k] + s->E[k]);
    r = fabs(va - s->target) / s->target;
    for (size_t j = 0; j < J; j++)
        if (!s->held[j]) r = fmax(r, fabs(s->F[j] - s->c * s->alpha[j]) / s->scale);
    return r;
}

static tw_status dom_country(rebase *rb, dom *s, tw_error *err)
{
    const tw_base *b = rb->b;
    size_t N = b->N, J = b->J, n = s->n;
    s->io = b->io + tw_ix_nkj(J, n, 0, 0);
    s->va = b->va + tw_ix_nj(J, n, 0);
    s->alpha = b->alpha + tw_ix_nj(J, n, 0);
    s->target = rb->target[n];
    s->scale = 0;
    for (size_t j = 0; j < J; j++) {
        s->E[j] = s->m[j] = 0;
        s->held[j] = 0;
        for (size_t i = 0; i < N; i++) {
            if (i == n) continue;
            size_t c = tw_ix_nij(N, J, n, i, j);
            s->m[j] += rb->d->trade[c] * (1.0 + rb->d->tau[c]);
            s->E[j] += rb->d->trade[tw_ix_nij(N, J, i, n, j)];
        }
        s->scale += s->m[j] + s->E[j];
    }
    s->scale += s->target;
    size_t it = 0, most = 2 * J + 2;
    for (;;) {
        it++;
        size_t free_ = 0;
        for (size_t j = 0; j < J; j++) free_ += !s->held[j];
        if (!free_) {
            double carried = 0;
            for (size_t k = 0; k < J; k++) carried += s->va[k] * s->E[k];
            return tw_error_set(err, TW_EINPUT, rb->in.o->gdp, 0, 0, "%s: GDP %.6g is too small "
                                "for its trade: with every domestic sale at 0 its exports alone "
                                "carry value added %.6g", rb->d->ccode[n], s->target, carried);
        }
        if (dom_solve(s) != 0)
            return tw_error_set(err, TW_EINPUT, rb->in.o->totals, 0, 0, "the balancing of %s "
                                "is singular (no sector left free to reach its GDP)",
                                rb->d->ccode[n]);
        if (!dom_revise(s)) break;
        if (it == most)
            return tw_error_set(err, TW_EINPUT, rb->in.o->totals, 0, 0, "the balancing of %s "
                                "did not settle in %zu rounds", rb->d->ccode[n], most);
    }
    if (!(s->c > 0))
        return tw_error_set(err, TW_EINPUT, rb->in.o->gdp, 0, 0, "%s: GDP %.6g is too small "
                            "for its trade (final demand would be %.6g; expected GDP above the "
                            "value added its exports carry)", rb->d->ccode[n], s->target, s->c);
    if (it > rb->stats.iterations) rb->stats.iterations = it;
    rb->stats.max_residual = fmax(rb->stats.max_residual, dom_residual(s));
    for (size_t j = 0; j < J; j++) {
        rb->d->trade[tw_ix_nij(N, J, n, n, j)] = s->d[j] > 0 ? s->d[j] : 0;
        rb->fd[tw_ix_nj(J, n, j)] = s->F[j] > 0 ? s->F[j] : 0;
    }
    return TW_OK;
}

/* The held sectors of country n, one note. */
static tw_status note_held(rebase *rb, const dom *s, tw_error *err)
{
    size_t J = s->J, k = 0;
    char list[1024];
    double got = 0, all = 0, mix = 0;
    list[0] = '\0';
    for (size_t j = 0; j < J; j++) {
        all += s->F[j];
        if (!s->held[j]) continue;
        got += s->F[j];
        mix += s->alpha[j];
        k++;
        size_t len = strlen(list);
        if (len + 80 < sizeof list)
            snprintf(list + len, sizeof list - len, "%s%s", len ? ", " : "", rb->d->scode[j]);
    }
    rb->stats.held_at_zero += k;
    if (!k) return TW_OK;
    return tw_lines_addf(&rb->d->repairs, err, "%s: domestic sales of %s held at 0 (imports "
                         "exceed what the world's final-demand mix and input shares use): final "
                         "demand of %s is what the imports leave, %.3g %% of final demand (the "
                         "world's mix: %.3g %%)", rb->d->ccode[s->n], list, k == 1 ? "it" : "them",
                         100.0 * got / all, 100.0 * mix);
}

static tw_status domestic_sales(rebase *rb, tw_error *err)
{
    size_t N = rb->b->N, J = rb->b->J, q = J + 1;
    dom s = {.J = J};
    double *buf = calloc(4 * J + q * q + q + 1, sizeof *buf);
    s.held = calloc(J + 1, 1);
    s.piv = calloc(q, sizeof *s.piv);
    s.col = calloc(q, sizeof *s.col);
    tw_status st = buf && s.held && s.piv && s.col ? TW_OK : oom(err);
    if (st == TW_OK) {
        s.E = buf; s.m = buf + J; s.d = buf + 2 * J; s.F = buf + 3 * J;
        s.A = buf + 4 * J; s.x = s.A + q * q;
    }
    for (size_t n = 0; n < N && st == TW_OK; n++) {
        s.n = n;
        st = dom_country(rb, &s, err);
        if (st == TW_OK) st = note_held(rb, &s, err);
    }
    free(buf); free(s.held); free(s.piv); free(s.col);
    return st;
}

/* ---- the draft ------------------------------------------------------------ */

/* Intermediate purchases gamma x Y; household consumption keeps its share of
 * each final-demand cell. */
static tw_status levels(rebase *rb, tw_error *err)
{
    const tw_base *b = rb->b;
    size_t N = b->N, J = b->J;
    double *Y = tw_draft_output(rb->d, err);
    if (!Y) return TW_ENOMEM;
    for (size_t n = 0; n < N; n++)
        for (size_t k = 0; k < J; k++)
            for (size_t j = 0; j < J; j++)
                rb->d->use[tw_ix_nkj(J, n, k, j)] = b->io[tw_ix_nkj(J, n, k, j)] * Y[tw_ix_nj(J, n, j)];
    free(Y);
    if (!b->hh) return TW_OK;
    if (!(rb->d->hh_level = calloc(N * J + 1, sizeof *rb->d->hh_level))) return oom(err);
    for (size_t n = 0; n < N; n++)
        for (size_t j = 0; j < J; j++) {
            size_t c = tw_ix_nj(J, n, j);
            double f0 = b->alpha[c] * b->I[n];
            rb->d->hh_level[c] = f0 > 0 ? b->hh[c] * rb->fd[c] / f0 : 0;
        }
    return TW_OK;
}

static tw_status copy_world(rebase *rb, tw_error *err)
{
    const tw_world *w = rb->in.w;
    tw_draft *d = rb->d;
    tw_status st = tw_draft_set_text(&d->source, w->dir, err);
    for (size_t n = 0; n < d->N && st == TW_OK; n++) st = tw_draft_set_text(&d->cname[n], w->cname[n], err);
    for (size_t j = 0; j < d->J && st == TW_OK; j++) {
        st = tw_draft_set_text(&d->sname[j], w->sname[j], err);
        d->theta[j] = rb->b->theta[j];
        d->tradable[j] = rb->b->tradable[j];
    }
    for (size_t k = 0; k < w->n_meta && st == TW_OK; k++)
        st = tw_draft_set_meta(d, w->meta_key[k], w->meta_val[k], err);
    if (st == TW_OK && rb->in.o->year) st = tw_draft_set_meta(d, "year", rb->in.o->year, err);
    if (st == TW_OK) {
        const char *was = tw_world_meta(w, "source");
        size_t len = (was ? strlen(was) : 0) + strlen(rb->in.o->totals) + strlen(rb->in.o->gdp) + 96;
        char *text = malloc(len);
        if (!text) return oom(err);
        snprintf(text, len, "%s%strade rebased by tradewar rebase onto %s, GDP %s", was ? was : "",
                 was ? "; " : "", rb->in.o->totals, rb->in.o->gdp);
        st = tw_draft_set_meta(d, "source", text, err);
        free(text);
    }
    if (st == TW_OK) st = tw_draft_set_meta(d, "rebase_totals", rb->in.o->totals, err);
    if (st == TW_OK) st = tw_draft_set_meta(d, "rebase_gdp", rb->in.o->gdp, err);
    if (st == TW_OK && rb->in.o->sector_flows)
        st = tw_draft_set_meta(d, "rebase_sector_flows", rb->in.o->sector_flows, err);
    if (st == TW_OK && (w->va_supplied || w->alpha_supplied))
        st = tw_lines_addf(&d->notes, err, "the world's value_added.csv and final_demand.csv "
                           "are not carried over: the result derives both shares (its zero "
                           "shock is exact)");
    if (st == TW_OK && rb->b->households)
        st = tw_lines_addf(&d->notes, err, "households.csv of the world is not carried over "
                           "(its counts belong to the world's year)");
    return st;
}

static const char *const conventions[] = {
    "Rebase (docs/rebase.md): the foreign goods flows are the bilateral totals, split over the "
    "goods sectors with the later year's sector mix of the pair where the sector flows give "
    "one, else with the world's own mix; totals between members of one region are dropped "
    "(that trade is the region's domestic trade).",
    "Value added of each country is its GDP (a region with no GDP row grows with the others); "
    "foreign services flows grow with the geometric mean of the two countries' GDP growth.",
    "Domestic sales solve, country by country, final demand in the world's own final-demand "
    "mix with value added = GDP, input-output shares and tariffs kept; a domestic sale that "
    "would be negative is held at 0 (listed under repairs). Value-added and final-demand "
    "shares are derived, so the zero shock is exact.",
    "Valuation: the world's flows are at basic prices; totals such as BACI are FOB values, "
    "which also carry the exporter's domestic margins and taxes on products. They are used "
    "as given times the totals scale of the command (1 unless stated), so goods trade is "
    "somewhat high against domestic sales and services.",
};

static tw_status finish_notes(rebase *rb, tw_error *err)
{
    tw_status st = TW_OK;
    for (size_t k = 0; k < sizeof conventions / sizeof conventions[0] && st == TW_OK; k++)
        st = tw_lines_addf(&rb->d->conventions, err, "%s", conventions[k]);
    if (st == TW_OK && rb->in.intra > 0)
        st = tw_lines_addf(&rb->d->notes, err, "totals between members of one region (%.6g) were "
                           "dropped: that trade is domestic in the world", rb->in.intra);
    if (st == TW_OK)
        st = tw_lines_addf(&rb->d->notes, err, "balancing: at most %zu rounds per country, %zu "
                           "domestic sales held at 0, largest relative residual %.3g",
                           rb->stats.iterations, rb->stats.held_at_zero, rb->stats.max_residual);
    return st;
}

static tw_draft *run(const tw_world *w, const tw_rebase_opts *o, tw_rebase_stats *stats,
                     tw_error *err)
{
    if (!w || !o || !o->totals || !o->gdp) {
        tw_error_set(err, TW_EARG, NULL, 0, 0, "a rebase needs a world, totals and GDP");
        return NULL;
    }
    const tw_base *b = w->base;
    size_t N = b->N, J = b->J;
    rebase rb = {.b = b};
    rb.in = (tw_rb_inputs){.N = N, .J = J, .w = w, .o = o, .loc = tw_num_locale_new(),
                           .max_bytes = o->max_bytes ? o->max_bytes : TW_IMPORT_MAX_BYTES};
    tw_codes cc = {0}, sc = {0};
    tw_status st = rb.in.loc != (locale_t)0 ? TW_OK : oom(err);
    for (size_t n = 0; n < N && st == TW_OK; n++) st = tw_codes_add(&cc, w->ccode[n], NULL, err);
    for (size_t j = 0; j < J && st == TW_OK; j++) st = tw_codes_add(&sc, w->scode[j], NULL, err);
    if (st == TW_OK && !(rb.d = tw_draft_new("rebase", &cc, &sc, err))) st = TW_ENOMEM;
    rb.target = calloc(N + 1, sizeof *rb.target);
    rb.growth = calloc(N + 1, sizeof *rb.growth);
    rb.fd = calloc(N * J + 1, sizeof *rb.fd);
    if (st == TW_OK && !(rb.target && rb.growth && rb.fd)) st = oom(err);
    if (st == TW_OK) st = copy_world(&rb, err);
    if (st == TW_OK) st = tw_rb_read(&rb.in, err);
    if (st == TW_OK) st = value_added_targets(&rb, err);
    if (st == TW_OK) st = goods_flows(&rb, err);
    if (st == TW_OK) services_flows(&rb);
    if (st == TW_OK) st = domestic_sales(&rb, err);
    if (st == TW_OK) st = levels(&rb, err);
    if (st == TW_OK) st = finish_notes(&rb, err);
    if (st == TW_OK) st = tw_draft_finish(rb.d, err);
    if (st == TW_OK && stats) *stats = rb.stats;
    if (rb.in.loc != (locale_t)0) tw_num_locale_free(rb.in.loc);
    tw_rb_inputs_free(&rb.in);
    tw_codes_free(&cc);
    tw_codes_free(&sc);
    free(rb.target);
    free(rb.growth);
    free(rb.fd);
    return tw_draft_done(rb.d, st);
}

tw_draft *tw_rebase(const tw_world *w, const tw_rebase_opts *opts, tw_rebase_stats *stats,
                    tw_error *err)
{
    tw_error local;
    return run(w, opts, stats, tw_error_use(err, &local));
}

/* timeline.c - replaying a scenario on a world (docs/scenario-format.md).
 *
 * Tariff layers hold each cell's contribution and exemption share; the applied
 * rate is always recomputed as baseline + sum of contributions x (1 - exempt),
 * so removing a layer restores the baseline exactly.  A layer the world's
 * baseline already holds (baseline_layers.csv) starts at its contribution and
 * adds only its change from it.  NTB layers hold iceberg
 * factors that multiply.  Steps run in date order (file order within a date),
 * retaliation-rule answers are inserted at their dates, and every step is
 * solved from the previous step's equilibrium. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_impl.h"
#include "shock/shock_impl.h"
#include "core/index.h"
#include "core/suggest.h"

typedef struct layer {
    char *name;
    int is_ntb;
    double *v;   /* tariff contribution, or NTB factor */
    double *ex;  /* exemption share (tariff layers) */
    double *b0;  /* contribution the world's baseline tariffs already hold, or
                    NULL (a layer not in baseline_layers.csv) */
} layer;

typedef struct tl_step {
    char date[11];
    char *label;
    int is_rule;
    tw_result *r;
} tl_step;

struct tw_timeline {
    const tw_scenario *sc;
    const tw_world *w;
    tl_step *steps;
    size_t n_steps;
    double tol; /* the solver's tolerance */
};

typedef struct pending {
    long day;
    size_t rule;
    int active;
} pending;

/* The state of one replay (tw_timeline_run) or one check (tw_scenario_check). */
typedef struct runner {
    const tw_scenario *sc;
    const tw_world *w;
    size_t N, J;
    const double *tau0, *trade0;
    const double *bare;   /* tau0 less the baseline layers (tau0 when none) */
    double *bare_own;
    layer *layers;
    size_t n_layers;
    const char **ccodes, **scodes;
    int *events;      /* per declared event: set? */
    unsigned char *mi, *mn, *mj; /* masks: exporters, importers, sectors */
    size_t *cells;    /* [n][i][j] indices of the cells of one action */
    size_t *order;    /* [n_steps] steps in date order */
    pending *pend;    /* [n_rules] rule answers due */
    double *seen;     /* [n_rules] the added tariff each rule last answered */
    tw_timeline *tl;  /* the replay's result, its solver and its shock */
    tw_solver *sv;
    tw_shock *shock;
    tw_error *err;
} runner;

static tw_status rerr(runner *R, long line, long col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#include <stdarg.h>
static tw_status rerr(runner *R, long line, long col, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return tw_error_set(R->err, TW_EINPUT, R->sc->path, line, col, "%s", msg);
}

/* A condition: an event set (--set), or region:CODE, the world holding that
 * region; "!" negates either. */
static int cond_holds(const runner *R, const char *cond)
{
    if (!cond) return 1;
    int neg = *cond == '!';
    const char *code = sc_cond_region(cond);
    int set;
    if (code) {
        set = tw_world_country_index(R->w, code) >= 0;
    } else {
        long k = sc_event_index(R->sc, cond + neg);
        set = k >= 0 && R->events[k];
    }
    return neg ? !set : set;
}

/* Whether the world lets cond hold: false only for a region condition that
 * is false on it (an event condition holds in some branch). */
static int region_allows(const runner *R, const char *cond)
{
    return !sc_cond_region(cond) || cond_holds(R, cond);
}

static int action_is_tariff(const sc_action *a)
{
    return a->verb == SC_SET || a->verb == SC_ADD || a->verb == SC_EXEMPT;
}

static tw_status unknown_code(runner *R, long line, long col, const char *what, const char *code,
                              const char *const *cands, size_t n)
{
    const char *g = tw_suggest(code, cands, n);
    if (g) return rerr(R, line, col, "unknown %s \"%s\" (did you mean \"%s\"?)", what, code, g);
    return rerr(R, line, col, "unknown %s \"%s\"", what, code);
}

/* One code of a list in spec (at column c) into *idx, by the rule of
 * shock/resolve.c; minus entries may name any sector (removing a non-tradable
 * sector from "*" is harmless). */
static tw_status spec_code(runner *R, const char *spec, const char *s, size_t len, long line,
                           long c, int sectors, tw_shock_kind kind, long *idx)
{
    char code[64], msg[256];
    if (len == 0 || len >= sizeof code || (len == 1 && *s == '*'))
        return rerr(R, line, c, "expected a %s code in \"%s\"", sectors ? "sector" : "country",
                    spec);
    memcpy(code, s, len);
    code[len] = '\0';
    if (tw_cell_code(R->w, kind, sectors, code, idx, msg, sizeof msg))
        return rerr(R, line, c, "%s", msg);
    return TW_OK;
}

/* Parse a country or sector spec ("*", "*-A,B", "A,B") into mask[0..n).
 * *explicit_ is set when codes were listed (not a wildcard). */
static tw_status spec_mask(runner *R, const char *spec, long line, long col, int sectors,
                           tw_shock_kind kind, unsigned char *mask, int *explicit_)
{
    int minus = spec[0] == '*';
    const char *s = spec;
    if (minus && spec[1] != '\0' && spec[1] != '-')
        return rerr(R, line, col + 1, "expected \"*\" or \"*-CODE,...\", found \"%s\"", spec);
    if (minus) tw_cell_mask(R->w, kind, sectors, -1, mask);
    else memset(mask, 0, sectors ? R->J : R->N);
    *explicit_ = !minus;
    if (minus && spec[1] == '\0') return TW_OK;
    if (minus) s += 2;
    while (1) {
        const char *e = strchr(s, ',');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        long idx = 0;
        tw_status st = spec_code(R, spec, s, len, line, col + (long)(s - spec), sectors,
                                 minus ? TW_SHOCK_NTB : kind, &idx);
        if (st) return st;
        mask[idx] = !minus;
        if (!e) break;
        s = e + 1;
    }
    return TW_OK;
}

/* The masks of an action's cells (all cells when it names none), and the
 * domestic-cell check when both sides are listed. */
static tw_status action_masks(runner *R, const sc_action *a)
{
    tw_shock_kind kind = action_is_tariff(a) ? TW_SHOCK_TARIFF : TW_SHOCK_NTB;
    int ex_i = 0, ex_n = 0, ex_j = 0;
    tw_status st;
    if (a->exp) {
        if ((st = spec_mask(R, a->exp, a->line, a->col_exp, 0, kind, R->mi, &ex_i))) return st;
        if ((st = spec_mask(R, a->imp, a->line, a->col_imp, 0, kind, R->mn, &ex_n))) return st;
    } else {
        memset(R->mi, 1, R->N);
        memset(R->mn, 1, R->N);
    }
    if (a->sec) {
        if ((st = spec_mask(R, a->sec, a->line, a->col_sec, 1, kind, R->mj, &ex_j))) return st;
    } else {
        memset(R->mj, 1, R->J);
    }
    long k = ex_i && ex_n ? tw_cell_domestic(R->N, R->mn, R->mi) : -1;
    if (k >= 0)
        return rerr(R, a->line, a->col_exp,
                    "%s->%s is a domestic cell (expected exporter != importer)", R->ccodes[k],
                    R->ccodes[k]);
    return TW_OK;
}

static layer *find_layer(runner *R, const char *name)
{
    for (size_t k = 0; k < R->n_layers; k++)
        if (!strcmp(R->layers[k].name, name)) return &R->layers[k];
    return NULL;
}

/* The layer called name, made empty when new; NULL with R->err set when it
 * holds the other kind or memory runs out. */
static layer *get_layer(runner *R, const char *name, int is_ntb, long line, long col)
{
    size_t nij = R->N * R->N * R->J;
    layer *L = find_layer(R, name);
    if (L) {
        if (L->is_ntb == is_ntb) return L;
        rerr(R, line, col, "layer \"%s\" is %s layer (a layer holds tariffs or NTBs, not both)",
             name, L->is_ntb ? "an NTB" : "a tariff");
        return NULL;
    }
    layer *arr = realloc(R->layers, (R->n_layers + 1) * sizeof *arr);
    if (!arr) {
        tw_error_set(R->err, TW_ENOMEM, NULL, 0, 0, "out of memory");
        return NULL;
    }
    R->layers = arr;
    L = &R->layers[R->n_layers];
    memset(L, 0, sizeof *L);
    L->name = strdup(name);
    L->is_ntb = is_ntb;
    L->v = malloc(nij * sizeof(double));
    L->ex = calloc(nij, sizeof(double));
    if (!L->name || !L->v || !L->ex) {
        free(L->name); free(L->v); free(L->ex);
        tw_error_set(R->err, TW_ENOMEM, NULL, 0, 0, "out of memory");
        return NULL;
    }
    for (size_t c = 0; c < nij; c++) L->v[c] = is_ntb ? 1.0 : 0.0;
    R->n_layers++;
    return L;
}

/* The iceberg factor an ntb action gives cell c of sector j. */
static tw_status ntb_factor(runner *R, const sc_action *a, size_t j, double *f)
{
    double theta = tw_world_sector_theta(R->w, j);
    *f = a->kind == SC_FACTOR ? a->value
       : a->kind == SC_AVE    ? 1.0 + a->value * a->share
                              : pow(1.0 - a->value, -1.0 / theta);
    /* a ban's factor grows without bound as its share nears 1, the faster the
     * smaller the sector's theta */
    if (a->kind == SC_BAN && !(*f >= TW_NTB_FACTOR_MIN && *f <= TW_NTB_FACTOR_MAX))
        return rerr(R, a->line, a->col,
                    "ban share %.15g on sector %s (theta %g) gives the iceberg factor %.3g, out "
                    "of range (expected %g <= factor <= %g; lower the share)",
                    a->value, tw_world_sector_code(R->w, j), theta, *f, TW_NTB_FACTOR_MIN,
                    TW_NTB_FACTOR_MAX);
    return TW_OK;
}

static tw_status apply_cell(runner *R, layer *L, const sc_action *a, size_t c)
{
    switch (a->verb) {
    case SC_SET: L->v[c] = a->value * a->share; break;
    case SC_ADD: L->v[c] += a->value * a->share; break;
    case SC_EXEMPT: L->ex[c] = a->share; break;
    case SC_REMOVE: L->v[c] = L->is_ntb ? 1.0 : 0.0; break;
    case SC_NTB: return ntb_factor(R, a, c % R->J, &L->v[c]);
    }
    return TW_OK;
}

static tw_status apply_action(runner *R, const sc_action *a)
{
    layer *L = NULL;
    if (a->verb == SC_REMOVE) {
        L = find_layer(R, a->layer);
        /* The parser has checked that some statement of the file sets the
         * layer (a typo is an error there); not set yet, or only in another
         * branch: nothing to remove here. */
        if (!L) return TW_OK;
    } else if (!(L = get_layer(R, a->layer, a->verb == SC_NTB, a->line, a->col_layer))) {
        return R->err->code;
    }
    tw_status st = action_masks(R, a);
    /* the masks already hold only tradable sectors for tariff verbs */
    size_t n = st ? 0 : tw_cell_list(R->w, TW_SHOCK_NTB, R->mn, R->mi, R->mj, R->cells);
    for (size_t q = 0; q < n && !st; q++) st = apply_cell(R, L, a, R->cells[q]);
    return st;
}

/* Applied tariffs and iceberg factors of the current layers. */
static void compose(const runner *R, double *tau, double *dhat)
{
    size_t N = R->N, J = R->J, nij = N * N * J;
    memcpy(tau, R->tau0, nij * sizeof(double));
    for (size_t c = 0; c < nij; c++) dhat[c] = 1.0;
    for (size_t k = 0; k < R->n_layers; k++) {
        const layer *L = &R->layers[k];
        for (size_t c = 0; c < nij; c++) {
            if (L->is_ntb) {
                dhat[c] *= L->v[c];
            } else if (L->b0) {
                /* only the change from what the baseline holds; a rate
                 * written as 13.1% and as 0.131 may differ in the last bit */
                double d = L->v[c] * (1.0 - L->ex[c]) - L->b0[c];
                if (fabs(d) > 1e-15) tau[c] += d;
            } else if (L->v[c] != 0.0) {
                tau[c] += L->v[c] * (1.0 - L->ex[c]);
            }
        }
    }
}

double tw_average_tariff(const tw_world *w, const double *tariffs, size_t n, size_t i)
{
    return tw_tariff_rate(w, tariffs, tw_world_trade(w), n, i, TW_ETR_ALL);
}

static void civil(long day, char out[11])
{
    long z = day + 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp < 10 ? mp + 3 : mp - 9;
    char buf[48];
    snprintf(buf, sizeof buf, "%04d-%02d-%02d", (int)(y + (m <= 2)), (int)m, (int)d);
    memcpy(out, buf, 10);
    out[10] = '\0';
}

void tw_timeline_free(tw_timeline *tl)
{
    if (!tl) return;
    for (size_t k = 0; k < tl->n_steps; k++) {
        free(tl->steps[k].label);
        tw_result_free(tl->steps[k].r);
    }
    free(tl->steps);
    free(tl);
}

/* Solve the current layers and append a step. */
static tw_status solve_step(runner *R, tw_timeline *tl, tw_solver *sv, tw_shock *shock,
                            const char *date, const char *label, int is_rule)
{
    compose(R, tw_shock_tariffs_mut(shock), tw_shock_dhat_mut(shock));
    const tw_result *prev = tl->n_steps ? tl->steps[tl->n_steps - 1].r : NULL;
    tw_error e;
    tw_result *r = tw_solver_run_from(sv, shock, prev, &e);
    if (!r) {
        if (e.code == TW_ENOCONV)
            return tw_error_set(R->err, TW_ENOCONV, NULL, 0, 0, "step %s \"%s\": %s", date, label, e.msg);
        *R->err = e;
        return e.code;
    }
    tl_step *arr = realloc(tl->steps, (tl->n_steps + 1) * sizeof *arr);
    char *lab = strdup(label);
    if (!arr || !lab) {
        if (arr) tl->steps = arr;
        free(lab);
        tw_result_free(r);
        return tw_error_set(R->err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    }
    tl->steps = arr;
    tl_step *s = &tl->steps[tl->n_steps++];
    snprintf(s->date, sizeof s->date, "%s", date); /* "baseline" is shorter than a date */
    s->label = lab;
    s->is_rule = is_rule;
    s->r = r;
    return TW_OK;
}

/* Average additional tariff of importer b on exporter a (baseline weights),
 * over the baseline without its layers, so that a rule answers the same on a
 * world with or without them. */
static double added(const runner *R, const double *tau, size_t b, size_t a)
{
    return tw_average_tariff(R->w, tau, b, a) - tw_average_tariff(R->w, R->bare, b, a);
}

static tw_status answer(runner *R, tw_timeline *tl, tw_solver *sv, tw_shock *shock, size_t k,
                        long day)
{
    const sc_rule *ru = &R->sc->rules[k];
    size_t a = (size_t)tw_world_country_index(R->w, ru->a), b = (size_t)tw_world_country_index(R->w, ru->b);
    compose(R, tw_shock_tariffs_mut(shock), tw_shock_dhat_mut(shock));
    double v = added(R, tw_shock_tariffs(shock), b, a);
    layer *L = get_layer(R, ru->layer, 0, ru->line, ru->col_a);
    if (!L) return R->err->code;
    size_t N = R->N, J = R->J;
    for (size_t j = 0; j < J; j++)
        if (tw_world_sector_tradable(R->w, j)) L->v[tw_ix_nij(N, J, a, b, j)] = v;
    char date[11], label[200];
    civil(day, date);
    snprintf(label, sizeof label, "rule: %s mirrors %s (%.1f %% on all %s goods)", ru->a, ru->b,
             100.0 * v, ru->b);
    return solve_step(R, tl, sv, shock, date, label, 1);
}

/* Buffers for replaying or checking sc on w: codes, masks, cells. */
static tw_status runner_open(runner *R, const tw_scenario *sc, const tw_world *w, tw_error *err)
{
    size_t N = tw_world_n_countries(w), J = tw_world_n_sectors(w), nij = N * N * J;
    *R = (runner){.sc = sc, .w = w, .N = N, .J = J, .err = err};
    R->tau0 = R->bare = tw_world_tariffs(w);
    R->trade0 = tw_world_trade(w);
    R->ccodes = malloc((N ? N : 1) * sizeof *R->ccodes);
    R->scodes = malloc((J ? J : 1) * sizeof *R->scodes);
    R->events = calloc(sc->n_events + 1, sizeof *R->events);
    R->mi = malloc(N + 1);
    R->mn = malloc(N + 1);
    R->mj = malloc(J + 1);
    R->cells = malloc((nij ? nij : 1) * sizeof *R->cells);
    R->order = malloc((sc->n_steps + 1) * sizeof *R->order);
    R->pend = calloc(sc->n_rules + 1, sizeof *R->pend);
    R->seen = calloc(sc->n_rules + 1, sizeof *R->seen);
    if (!R->ccodes || !R->scodes || !R->events || !R->mi || !R->mn || !R->mj || !R->cells ||
        !R->order || !R->pend || !R->seen)
        return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t n = 0; n < N; n++) R->ccodes[n] = tw_world_country_code(w, n);
    for (size_t j = 0; j < J; j++) R->scodes[j] = tw_world_sector_code(w, j);
    return TW_OK;
}

static void runner_close(runner *R)
{
    for (size_t k = 0; k < R->n_layers; k++) {
        free(R->layers[k].name);
        free(R->layers[k].v);
        free(R->layers[k].ex);
        free(R->layers[k].b0);
    }
    free(R->bare_own);
    free(R->layers); free(R->ccodes); free(R->scodes); free(R->events);
    free(R->mi); free(R->mn); free(R->mj); free(R->cells);
    free(R->order); free(R->pend); free(R->seen);
}

/* The layers the world's baseline already holds (baseline_layers.csv), each
 * at its contribution, and the baseline without them for the rules. */
static tw_status baseline_layers(runner *R)
{
    size_t nl = tw_world_n_baseline_layers(R->w), nij = R->N * R->N * R->J;
    if (!nl) return TW_OK;
    if (!(R->bare_own = malloc(nij * sizeof *R->bare_own)))
        return tw_error_set(R->err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    memcpy(R->bare_own, R->tau0, nij * sizeof *R->bare_own);
    R->bare = R->bare_own;
    for (size_t k = 0; k < nl; k++) {
        tw_baseline_layer bl;
        tw_world_baseline_layer(R->w, k, &bl);
        layer *L = get_layer(R, bl.layer, 0, 0, 0);
        if (!L) return R->err->code;
        if (!L->b0 && !(L->b0 = calloc(nij, sizeof *L->b0)))
            return tw_error_set(R->err, TW_ENOMEM, NULL, 0, 0, "out of memory");
        size_t c = tw_ix_nij(R->N, R->J, bl.importer, bl.exporter, bl.sector);
        L->v[c] = L->b0[c] = bl.rate * bl.share;
        R->bare_own[c] -= L->b0[c];
    }
    return TW_OK;
}

/* Mark the events named in set (each must be declared). */
static tw_status set_events(runner *R, const char *const *set, size_t n_set)
{
    const tw_scenario *sc = R->sc;
    for (size_t k = 0; k < n_set; k++) {
        long e = sc_event_index(sc, set[k]);
        if (e >= 0) {
            R->events[e] = 1;
            continue;
        }
        char names[200] = "";
        for (size_t q = 0; q < sc->n_events; q++)
            snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", q ? ", " : "",
                     sc->events[q].name);
        tw_error_set(R->err, TW_EINPUT, NULL, 0, 0,
                     "unknown event \"%s\" (the scenario declares: %s)", set[k],
                     sc->n_events ? names : "no events");
        snprintf(R->err->field, sizeof R->err->field, "--set");
        return TW_EINPUT;
    }
    return TW_OK;
}

/* The focus countries and the rules' countries are codes of the world (and,
 * for a replay, no rule mirrors its own country); a rule whose region
 * condition is false on the world never runs on it and is not checked. */
static tw_status check_names(runner *R, int replay)
{
    const tw_scenario *sc = R->sc;
    for (int k = 0; k < 2; k++)
        if (tw_world_country_index(R->w, sc->focus[k]) < 0)
            return unknown_code(R, sc->focus_line, sc->focus_col[k], "country", sc->focus[k],
                                R->ccodes, R->N);
    for (size_t k = 0; k < sc->n_rules; k++) {
        const sc_rule *ru = &sc->rules[k];
        if (!region_allows(R, ru->cond)) continue;
        if (tw_world_country_index(R->w, ru->a) < 0)
            return unknown_code(R, ru->line, ru->col_a, "country", ru->a, R->ccodes, R->N);
        if (tw_world_country_index(R->w, ru->b) < 0)
            return unknown_code(R, ru->line, ru->col_b, "country", ru->b, R->ccodes, R->N);
        if (replay && !strcmp(ru->a, ru->b))
            return rerr(R, ru->line, ru->col_b, "a country cannot mirror itself");
    }
    return TW_OK;
}

/* Stable insertion sort of the steps by date: file order within a date. */
static void sort_steps(const tw_scenario *sc, size_t *order)
{
    for (size_t k = 0; k < sc->n_steps; k++) {
        size_t q = k;
        while (q > 0 && sc->steps[order[q - 1]].day > sc->steps[k].day) {
            order[q] = order[q - 1];
            q--;
        }
        order[q] = k;
    }
}

/* Answer the rules due before step s (all remaining ones when s is NULL),
 * earliest first. */
static tw_status answer_due(runner *R, const sc_step *s)
{
    for (;;) {
        size_t best = (size_t)-1;
        for (size_t k = 0; k < R->sc->n_rules; k++)
            if (R->pend[k].active && (!s || R->pend[k].day < s->day) &&
                (best == (size_t)-1 || R->pend[k].day < R->pend[best].day))
                best = k;
        if (best == (size_t)-1) return TW_OK;
        R->pend[best].active = 0;
        tw_status st = answer(R, R->tl, R->sv, R->shock, best, R->pend[best].day);
        if (st) return st;
    }
}

/* After step s: a rule whose watched tariff changed answers after its delay. */
static void arm_rules(runner *R, const sc_step *s)
{
    for (size_t k = 0; k < R->sc->n_rules; k++) {
        const sc_rule *ru = &R->sc->rules[k];
        if (!cond_holds(R, ru->cond) || R->pend[k].active) continue;
        size_t a = (size_t)tw_world_country_index(R->w, ru->a);
        size_t b = (size_t)tw_world_country_index(R->w, ru->b);
        double v = added(R, tw_shock_tariffs(R->shock), b, a);
        if (fabs(v - R->seen[k]) > 1e-12) {
            R->seen[k] = v;
            R->pend[k] = (pending){.active = 1, .day = s->day + ru->delay, .rule = k};
        }
    }
}

static tw_status run_step(runner *R, const sc_step *s)
{
    if (!cond_holds(R, s->cond)) return TW_OK;
    tw_status st;
    for (size_t k = 0; k < s->n_acts; k++)
        if (cond_holds(R, s->acts[k].cond) && (st = apply_action(R, &s->acts[k]))) return st;
    if ((st = solve_step(R, R->tl, R->sv, R->shock, s->date, s->label, 0))) return st;
    arm_rules(R, s);
    return TW_OK;
}

static tw_status replay(runner *R)
{
    const tw_scenario *sc = R->sc;
    sort_steps(sc, R->order);
    /* the baseline is the first row, so every step reads as a change from it */
    tw_status st = solve_step(R, R->tl, R->sv, R->shock, "baseline",
                              "baseline (no scenario action)", 0);
    for (size_t q = 0; q <= sc->n_steps && !st; q++) {
        /* NOLINTNEXTLINE(clang-analyzer-core.uninitialized.ArraySubscript): sorted above */
        const sc_step *s = q < sc->n_steps ? &sc->steps[R->order[q]] : NULL;
        st = answer_due(R, s);
        if (!st && s) st = run_step(R, s);
    }
    return st;
}

tw_timeline *tw_timeline_run(const tw_scenario *sc, const tw_world *w, const char *const *set,
                             size_t n_set, tw_solver *solver, tw_error *err)
{
    tw_error local;
    if (!err) err = &local;
    tw_error_clear(err);
    runner R;
    tw_status st = runner_open(&R, sc, w, err);
    tw_solver *own = NULL;
    R.tl = st ? NULL : calloc(1, sizeof *R.tl);
    if (!st && !R.tl) st = tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    if (!st && !(R.shock = tw_shock_create(w, err))) st = err->code;
    if (!st) {
        R.tl->sc = sc;
        R.tl->w = w;
        st = set_events(&R, set, n_set);
    }
    if (!st) st = check_names(&R, 1);
    if (!st) st = baseline_layers(&R);
    /* every share stated, every stated share used, before anything is solved */
    if (!st) st = sc_mapping_check(sc, err);
    if (!st && !solver && !(solver = own = tw_solver_create(w, err))) st = err->code;
    R.sv = solver;
    if (!st) R.tl->tol = tw_solver_tol(solver);
    if (!st) st = replay(&R);
    tw_timeline *tl = R.tl;
    runner_close(&R);
    tw_shock_free(R.shock);
    tw_solver_free(own);
    if (st) {
        tw_timeline_free(tl);
        return NULL;
    }
    return tl;
}

tw_status tw_scenario_first_step_layers(const tw_scenario *sc, const tw_world *w,
                                        tw_layer_row_fn row, void *ud, tw_error *err)
{
    tw_error local;
    if (!err) err = &local;
    tw_error_clear(err);
    runner R;
    tw_status st = runner_open(&R, sc, w, err);
    if (!st) st = check_names(&R, 1);
    if (!st) st = baseline_layers(&R);
    if (!st && sc->n_steps) {
        sort_steps(sc, R.order);
        const sc_step *s = &sc->steps[R.order[0]];
        for (size_t k = 0; k < s->n_acts && !st && cond_holds(&R, s->cond); k++)
            if (cond_holds(&R, s->acts[k].cond) && action_is_tariff(&s->acts[k]))
                st = apply_action(&R, &s->acts[k]);
    }
    size_t nij = R.N * R.N * R.J;
    for (size_t k = 0; k < R.n_layers && !st; k++) {
        const layer *L = &R.layers[k];
        for (size_t c = 0; c < nij && !L->is_ntb; c++) {
            double v = L->v[c] * (1.0 - L->ex[c]);
            if (v != 0.0) row(ud, L->name, c / (R.N * R.J), c / R.J % R.N, c % R.J, v);
        }
    }
    runner_close(&R);
    return st;
}

size_t tw_timeline_n_steps(const tw_timeline *tl) { return tl->n_steps; }
const char *tw_timeline_step_date(const tw_timeline *tl, size_t k) { return k < tl->n_steps ? tl->steps[k].date : NULL; }
const char *tw_timeline_step_label(const tw_timeline *tl, size_t k) { return k < tl->n_steps ? tl->steps[k].label : NULL; }
int tw_timeline_step_is_rule(const tw_timeline *tl, size_t k) { return k < tl->n_steps && tl->steps[k].is_rule; }
const tw_result *tw_timeline_result(const tw_timeline *tl, size_t k) { return k < tl->n_steps ? tl->steps[k].r : NULL; }
const double *tw_timeline_tariffs(const tw_timeline *tl, size_t k) { return k < tl->n_steps ? tw_result_tariffs(tl->steps[k].r) : NULL; }
const double *tw_timeline_dhat(const tw_timeline *tl, size_t k) { return k < tl->n_steps ? tw_result_dhat(tl->steps[k].r) : NULL; }
const tw_world *tw_timeline_world(const tw_timeline *tl) { return tl->w; }
double tw_timeline_tol(const tw_timeline *tl) { return tl->tol; }
const tw_scenario *tw_timeline_scenario(const tw_timeline *tl) { return tl->sc; }

tw_status tw_scenario_check(const tw_scenario *sc, const tw_world *w, tw_error *err)
{
    tw_error local;
    if (!err) err = &local;
    tw_error_clear(err);
    runner R;
    tw_status st = runner_open(&R, sc, w, err);
    if (!st) st = check_names(&R, 0);
    /* every action of every branch on this world: codes, tradability,
     * domestic cells (an action whose region condition is false on the world
     * never runs on it, so it may name the region's code) */
    for (size_t k = 0; k < sc->n_steps && !st; k++)
        for (size_t q = 0; q < sc->steps[k].n_acts && !st; q++)
            if (region_allows(&R, sc->steps[k].cond) && region_allows(&R, sc->steps[k].acts[q].cond))
                st = action_masks(&R, &sc->steps[k].acts[q]);
    if (!st) st = sc_mapping_check(sc, err);
    runner_close(&R);
    return st;
}

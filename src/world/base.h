/* base.h - the baseline equilibrium in the form the solver uses (private).
 *
 * A tw_base holds every level and share of docs/model.md for one baseline.
 * It is built from a loaded world (tw_base_derive) or from another equilibrium
 * (the deficit purge), and is read-only for the solver.  Invariant after
 * tw_base_finish(): X, pi, Y, VA, R, D, I agree with trade, tau, va, io. */
#ifndef TW_WORLD_BASE_H
#define TW_WORLD_BASE_H

#include <stdatomic.h>
#include <stddef.h>
#include "tradewar/error.h"

typedef struct tw_base {
    atomic_size_t refs;  /* holders: the world or solver that built it, and
                            every result computed against it */
    size_t N, J;
    double *theta;   /* [j] trade elasticity, > 0 */
    int *tradable;   /* [j] 1 when tariffs apply */
    double *trade;   /* [n][i][j] n's purchases from i, before tariffs (M) */
    double *tau;     /* [n][i][j] baseline tariff, fraction */
    double *io;      /* [n][k][j] cost share of input k in output j (gamma^{k,j}) */
    double *va;      /* [n][j] value-added share of gross output (gamma^j) */
    double *alpha;   /* [n][j] final-demand share */
    /* derived by tw_base_finish */
    double *X;       /* [n][j] spending incl. tariffs */
    double *pi;      /* [n][i][j] expenditure share */
    double *Y;       /* [n][j] gross output (sales, before tariffs) */
    double *VA;      /* [n] value added = sum_j va Y */
    double *R;       /* [n] tariff revenue */
    double *D;       /* [n] deficit = purchases - sales, before tariffs */
    double *I;       /* [n] income VA + R + D */
    double *E;       /* [n] exports, before tariffs, domestic excluded */
    double *M;       /* [n] imports, before tariffs, domestic excluded */
    /* optional data for the measures in money (src/world/households.c) */
    int money;           /* 1 when levels are in a currency (meta.csv units is not
                            "model units") */
    double *hh;          /* [n][j] household consumption, or NULL (no such file) */
    double *households;  /* [n] households in the data year, NAN where not given;
                            NULL (no such file) */
    /* the policy layers the baseline tariffs hold (src/world/layers.c) */
    size_t n_layer_names;
    char **layer_names;  /* [n_layer_names] in order of first row */
    size_t n_layer_rows;
    struct tw_layer_row {
        size_t layer, n, i, j; /* name index; importer, exporter, sector */
        double rate, share;
    } *layer_rows;       /* [n_layer_rows] in file order; NULL when no file */
} tw_base;

/* Allocate all arrays (zeroed) for N countries and J sectors; NULL on ENOMEM. */
tw_base *tw_base_alloc(size_t N, size_t J, tw_error *err);
tw_base *tw_base_clone(const tw_base *b, tw_error *err);
/* Share b (read-only from then on): one more holder.  Returns b. */
tw_base *tw_base_ref(tw_base *b);
/* Drop one holder; the last one frees.  NULL does nothing.  Thread-safe. */
void tw_base_free(tw_base *b);

/* Compute X, pi, Y, VA, R, D, I, E, M from trade, tau, va, io (not alpha). */
void tw_base_finish(tw_base *b);

#endif

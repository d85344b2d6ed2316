/* model.h - one evaluation of the equilibrium conditions for given wages
 * (private).  Given log wage changes, model_eval() solves the price system
 * (eqs. 1-2) and the spending system (eqs. 3-4) to tight inner tolerances and
 * returns the trade-balance residuals (eq. 5).  All state lives in tw_model. */
#ifndef TW_SOLVE_MODEL_H
#define TW_SOLVE_MODEL_H

#include <stddef.h>
#include "tradewar/error.h"
#include "world/base.h"
#include "anderson.h"

typedef struct tw_model {
    const tw_base *b;
    size_t N, J;
    const double *tau1;   /* tau' [n][i][j] (borrowed) */
    double *a;            /* pi * (kappa_hat)^-theta [n][i][j] */
    double *bq;           /* 1 / (1 + tau') [n][i][j] */
    double *Dp;           /* D' [n] */
    /* state of the last evaluation (warm start of the next) */
    double *lnP, *lnc;    /* [n][j] */
    double *e;            /* c_hat^-theta [n][j] */
    double *S;            /* sum_i a e [n][j] */
    double *pip;          /* pi' [n][i][j] */
    double *g;            /* pi' / (1 + tau') [n][i][j] */
    double *r;            /* tariff revenue per unit of spending [n][j] */
    double *X;            /* X' [n][j] */
    double *Y, *Q;        /* Y' and intermediate demand [n][j] */
    double *tmp;          /* [n][j] */
    double *lnP_save, *X_save;
    tw_anderson accP, accX; /* accelerators of the two inner fixed points */
    int accelerate;       /* 0: plain iteration (a reference for tests) */
    double tol_inner;
    size_t max_inner;
    size_t n_eval;        /* evaluations so far */
    size_t inner_P, inner_X; /* inner iterations so far */
} tw_model;

tw_model *model_create(const tw_base *b, tw_error *err);
void model_free(tw_model *m);
/* Set the shock: tau1 [n][i][j] (kept borrowed), dhat (NULL = ones), Dp [n]
 * (copied).  Resets the warm start to the baseline. */
void model_set_shock(tw_model *m, const double *tau1, const double *dhat, const double *Dp);
/* Evaluate at log wages lnw[n]: fills the state and Z[n] = (sales - purchases +
 * D') / VA (positive: excess demand for labour).  TW_ENOCONV when an inner
 * fixed point does not converge (err says which). */
tw_status model_eval(tw_model *m, const double *lnw, double *Z, tw_error *err);
/* Give cell c (flat [n][i][j]) the tariff tau1 and iceberg factor dhat
 * without touching the warm start or m->tau1 (the caller keeps that array
 * consistent when it matters). */
void model_set_cell(tw_model *m, size_t c, double tau1, double dhat);
/* Save / restore the warm-start state (prices and spending). */
void model_save(tw_model *m);
void model_restore(tw_model *m);
void model_reset(tw_model *m);
/* Eq. 1 in logs: ln c = gamma ln w + sum_k gamma^{k,j} ln P^k ([n][j]
 * arrays, lnw [n]).  It is linear, so it also takes d ln w and d ln P to
 * d ln c (the forward derivative, forward.c). */
void model_unit_costs(const tw_model *m, const double *lnw, const double *restrict lnP,
                      double *restrict lnc);

#endif

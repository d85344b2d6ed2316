/* anderson.h - Anderson acceleration of a fixed-point iteration x = G(x)
 * (private; Walker and Ni 2011, "type II" with a window of m differences).
 * The least-squares problem of each step is solved with a QR factorisation of
 * the residual differences that is updated, not recomputed: the newest
 * difference is appended (modified Gram-Schmidt, reorthogonalised when it
 * cancels), the oldest deleted by Givens rotations.
 * All memory lives in the state; one state per fixed point being solved. */
#ifndef TW_SOLVE_ANDERSON_H
#define TW_SOLVE_ANDERSON_H

#include <stddef.h>

#define TW_ANDERSON_MAX_M 16

typedef struct tw_anderson {
    size_t n, m;       /* dimension, window */
    size_t k;          /* differences kept (<= m), the columns of Q and R */
    size_t head;       /* ring slot of dG the next difference goes to */
    int have_prev;
    double *dG;        /* m columns of n: differences of G; kept column c
                        * (0 the oldest) in slot (head + m - k + c) % m */
    double *Q;         /* n x m: orthonormal columns, column c at Q + c n */
    double *v;         /* n: the newest difference of residuals */
    double *f_prev, *g_prev;
    double R[TW_ANDERSON_MAX_M][TW_ANDERSON_MAX_M]; /* upper triangular, k x k */
    double fnorm_prev;
} tw_anderson;

/* 0 on success, -1 when out of memory (the state is then freed).
 * m <= TW_ANDERSON_MAX_M (larger is cut to it). */
int anderson_init(tw_anderson *a, size_t n, size_t m);
void anderson_free(tw_anderson *a);
/* Forget the history (start of a new solve). */
void anderson_reset(tw_anderson *a);
/* Given x and g = G(x), write the next iterate to x_next (may alias x, not g). */
void anderson_step(tw_anderson *a, const double *x, const double *g, double *x_next);

#endif

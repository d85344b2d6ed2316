/* anderson.h - Anderson acceleration of a fixed-point iteration x = G(x)
 * (private; Walker and Ni 2011, "type II" with a window of m differences).
 * All memory lives in the state; one state per fixed point being solved. */
#ifndef TW_SOLVE_ANDERSON_H
#define TW_SOLVE_ANDERSON_H

#include <stddef.h>

typedef struct tw_anderson {
    size_t n, m;       /* dimension, window */
    size_t k;          /* differences stored (<= m) */
    size_t head;       /* next slot of the ring */
    int have_prev;
    double *dF, *dG;   /* m columns of n: differences of residuals / of G */
    double *f_prev, *g_prev;
    double *A, *b;     /* least-squares workspace: n x m, and n */
    double fnorm_prev;
} tw_anderson;

/* 0 on success, -1 when out of memory (the state is then freed). */
/* m <= 16. */
int anderson_init(tw_anderson *a, size_t n, size_t m);
void anderson_free(tw_anderson *a);
/* Forget the history (start of a new solve). */
void anderson_reset(tw_anderson *a);
/* Given x and g = G(x), write the next iterate to x_next (may alias x). */
void anderson_step(tw_anderson *a, const double *x, const double *g, double *x_next);

#endif

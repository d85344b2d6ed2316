/* lu.h - dense LU solve with partial pivoting for the small systems of the
 * Newton step (private). */
#ifndef TW_CORE_LU_H
#define TW_CORE_LU_H

#include <stddef.h>

/* Solve A x = b in place: A is n x n column-major (overwritten by its LU
 * factors), b (length n) becomes x.  piv needs n entries.  Returns 0, or -1
 * when A is singular to working precision or a value is not finite. */
int tw_lu_solve(size_t n, double *A, double *b, size_t *piv);

#endif

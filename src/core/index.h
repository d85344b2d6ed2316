/* index.h - the one place that knows how arrays are laid out: row-major in the
 * order of their names (STYLE.md "Numbers"). */
#ifndef TW_CORE_INDEX_H
#define TW_CORE_INDEX_H

#include <stddef.h>

/* [n][i][j]: importer, exporter, sector */
static inline size_t tw_ix_nij(size_t N, size_t J, size_t n, size_t i, size_t j)
{ return (n * N + i) * J + j; }

/* [n][j]: country, sector */
static inline size_t tw_ix_nj(size_t J, size_t n, size_t j)
{ return n * J + j; }

/* [n][k][j]: country, input sector, output sector */
static inline size_t tw_ix_nkj(size_t J, size_t n, size_t k, size_t j)
{ return (n * J + k) * J + j; }

#endif

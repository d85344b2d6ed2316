/* shock_impl.h - the layout of tw_shock and the cell rules (private to
 * libtradewar).
 *
 * Code above the shock (timeline, sweep, game) changes a shock only through
 * tw_shock_copy_from and the mutable views below; the cell functions are the
 * one implementation of which cells a spec covers (docs/data-format.md). */
#ifndef TW_SHOCK_IMPL_H
#define TW_SHOCK_IMPL_H

#include <stdint.h>
#include "tradewar/policy.h"

struct tw_shock {
    const tw_world *w;  /* borrowed; outlives the shock */
    size_t N, J;
    double *tau;        /* [n][i][j] new tariff levels tau' (fraction) */
    double *dhat;       /* [n][i][j] iceberg changes d_hat, 1 = unchanged */
};

/* Copy the tariffs and iceberg factors of src into dst (shocks of one world). */
void tw_shock_copy_from(tw_shock *dst, const tw_shock *src);
/* The arrays of s for writers that keep the invariants of shock.c themselves
 * (levels >= 0 on foreign tradable cells, d_hat > 0 and 1 on domestic cells). */
double *tw_shock_tariffs_mut(tw_shock *s);
double *tw_shock_dhat_mut(tw_shock *s);

/* ---- cell rules (resolve.c) ---------------------------------------------- */

/* The index of a country (sector = 0) or sector code, -1 for "*".  TW_EINPUT
 * with the text in msg for a missing code, an unknown one (with the closest
 * code suggested) or, for tariffs, a sector that is not tradable. */
tw_status tw_cell_code(const tw_world *w, tw_shock_kind kind, int sector, const char *code,
                       long *ix, char *msg, size_t size);
/* mask[k] = 1 for the index ix (0 elsewhere), or for "*" (ix < 0) every
 * country, every sector (NTB) or every tradable sector (tariffs). */
void tw_cell_mask(const tw_world *w, tw_shock_kind kind, int sector, long ix,
                  unsigned char *mask);
/* The first country in both masks, or -1 (for specs that list both sides). */
long tw_cell_domestic(size_t N, const unsigned char *imp, const unsigned char *exp);
/* The text of an explicit domestic cell error. */
void tw_cell_domestic_msg(const tw_world *w, tw_shock_kind kind, size_t n, char *msg,
                          size_t size);
/* The indices [n][i][j] of the cells the masks cover, in that order: foreign
 * cells only, and for tariffs tradable sectors only.  out (may be NULL: count
 * only) has room for N N J indices.  Returns the count. */
size_t tw_cell_list(const tw_world *w, tw_shock_kind kind, const unsigned char *imp,
                    const unsigned char *exp, const unsigned char *sec, size_t *out);

/* Rows applied one at a time (a file read as a stream): begin, add each row,
 * then commit (which frees the batch) or free to drop it.  Same rules and
 * messages as tw_shock_apply, which is begin + add + commit. */
typedef struct tw_shock_batch tw_shock_batch;
tw_shock_batch *tw_shock_batch_begin(tw_shock *s, tw_shock_kind kind, tw_error *err);
tw_status tw_shock_batch_add(tw_shock_batch *b, const tw_shock_row *row, tw_error *err);
tw_status tw_shock_batch_commit(tw_shock_batch *b, tw_error *err);
void tw_shock_batch_free(tw_shock_batch *b);
/* Cells covered so far, summed over the rows. */
size_t tw_shock_batch_cells(const tw_shock_batch *b);

#endif

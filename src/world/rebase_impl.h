/* rebase_impl.h - the inputs of a rebase as read (private to src/world).
 *
 * rebase_read.c reads the country map, the totals, the GDP file and the
 * later year's sector flows into region arrays of the world; rebase.c turns
 * them into the new world (docs/rebase.md). */
#ifndef TW_WORLD_REBASE_IMPL_H
#define TW_WORLD_REBASE_IMPL_H

#include <locale.h>
#include <stddef.h>

#include "tradewar/rebase.h"
#include "world/import_impl.h"

typedef struct tw_rb_inputs {
    size_t N, J;
    const tw_world *w;
    const tw_rebase_opts *o;
    locale_t loc;
    uint64_t max_bytes;
    tw_codes map;        /* codes of the country map */
    size_t *map_region;  /* [map.n] their regions */
    long rest;           /* region of unmapped codes, or -1 */
    double *pair;        /* [n][i] goods totals into n from i (n != i), world units */
    long *zero_line;     /* [n][i] line of a zero row of the totals, or 0 */
    int *covered;        /* [n] 1 when a totals row reaches region n */
    double intra;        /* totals between members of one region (dropped) */
    double *gdp;         /* [n] GDP in world units; NAN where no row reaches n */
    double *later;       /* [n][i][j] later-year goods flows in world sectors, or NULL */
    int *later_seen;     /* [n] 1 when a later-year row reaches region n */
} tw_rb_inputs;

/* Read every input file of in->o into in (N, J, w, o, loc set by the caller). */
tw_status tw_rb_read(tw_rb_inputs *in, tw_error *err);
void tw_rb_inputs_free(tw_rb_inputs *in);

#endif

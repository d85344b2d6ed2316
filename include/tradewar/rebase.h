/* tradewar/rebase.h - a world's trade updated to newer observed totals, its
 * production structure kept (docs/rebase.md).
 *
 * tw_rebase() takes a loaded world and the totals of a later year and returns
 * a draft (tradewar/data.h) that tw_draft_write() writes as a world directory:
 *
 *   - foreign goods flows are the bilateral totals (importer, exporter, value),
 *     split over the world's tradable sectors by the sector mix of a later
 *     year's flows when given (with a concordance to the world's sectors), else
 *     by the world's own mix for the pair;
 *   - each country's value added is its GDP; foreign services flows grow with
 *     the geometric mean of the two countries' GDP growth;
 *   - domestic sales are free: for each country they solve the Leontief system
 *     that gives final demand in the world's own final-demand mix and value
 *     added = GDP, with sales that would be negative held at 0 (an active set);
 *   - input-output shares and tariffs are the world's; value-added and
 *     final-demand shares are derived, so the zero shock of the result is exact.
 *
 * Codes of the totals and GDP files are mapped to the world's regions by an
 * optional map (code,region); a code that is not mapped and not a region of
 * the world goes to the `rest` region when one is named, and is an error
 * otherwise.  A region no totals row reaches (Taiwan in BACI, say) keeps its
 * flows, scaled by its partners' growth; a region with no GDP grows with the
 * world.  Both are flagged in the draft's notes, and every step and repair is
 * listed in the README the draft writes.
 *
 * Nothing here prints or exits.  Errors name file:line and the field (TW_EINPUT
 * bad contents, TW_EIO unreadable, TW_ENOMEM, TW_EARG options). */
#ifndef TRADEWAR_REBASE_H
#define TRADEWAR_REBASE_H

#include <stddef.h>
#include <stdint.h>
#include "tradewar/data.h"
#include "tradewar/export.h"
#include "tradewar/error.h"
#include "tradewar/world.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The inputs of a rebase; paths are read, not kept.  Zero-initialise and set
 * what is needed ({0} then totals and gdp is a valid start). */
typedef struct tw_rebase_opts {
    const char *totals;        /* importer,exporter,value: foreign goods flows; rows that
                                  fall on one pair of regions are summed (required) */
    const char *gdp;           /* GDP per country (required) */
    const char *gdp_country;   /* its country column; NULL = "country" */
    const char *gdp_value;     /* its value column; NULL = "gdp" */
    double gdp_scale;          /* GDP x this = the world's units (0 = 1; 1e-6: USD to USD
                                  million) */
    double totals_scale;       /* totals x this = the world's units and valuation
                                  (0 = 1) */
    const char *sector_flows;  /* importer,exporter,sector,value of a later year, or NULL */
    const char *concordance;   /* sector,world_sector: the later year's goods sectors in
                                  the world's (required with sector_flows) */
    const char *countries;     /* code,region: codes of the three files into the world's
                                  regions, or NULL */
    const char *rest;          /* the region of every code not mapped, or NULL */
    const char *year;          /* meta.csv year of the result, or NULL (kept) */
    uint64_t max_bytes;        /* largest input file (0 = TW_IMPORT_MAX_BYTES) */
} tw_rebase_opts;

/* What the balancing did (for the command's summary and tests). */
typedef struct tw_rebase_stats {
    size_t iterations;         /* most active-set rounds any country needed */
    size_t held_at_zero;       /* domestic sales held at 0, over all countries */
    double max_residual;       /* largest of |VA - GDP| / GDP and the relative misfit
                                  of the final-demand equations */
    size_t absent;             /* regions no totals row reaches */
} tw_rebase_stats;

/* Rebase w onto the totals of opts.  Returns a finished draft (tw_draft_free)
 * or NULL with err set; stats (may be NULL) says what the balancing did. */
TW_API tw_draft *tw_rebase(const tw_world *w, const tw_rebase_opts *opts,
                           tw_rebase_stats *stats, tw_error *err);

#ifdef __cplusplus
}
#endif
#endif

/* tradewar/data.h - bring your own data: importers for the standard
 * input-output and trade tables, aggregation of a world, and export of a world
 * as one tidy CSV or a JSON file (docs/importers.md; a solved result exports
 * the same way with tw_export_result, tradewar/report.h).
 *
 * An import or an aggregation builds a tw_draft: a complete world held in
 * memory, with the repairs it needed listed as text.  tw_draft_write() writes
 * it as a world directory (docs/data-format.md) that tw_world_load() accepts
 * and whose zero shock changes nothing.  Nothing here prints or exits; every
 * call that can fail returns NULL or a tw_status and fills the tw_error.
 * Thread safety: handles are independent; use each from one thread at a time. */
#ifndef TRADEWAR_DATA_H
#define TRADEWAR_DATA_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "tradewar/export.h"
#include "tradewar/error.h"
#include "tradewar/world.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tw_importer tw_importer; /* options of an import */
typedef struct tw_draft tw_draft;       /* a world built in memory */

typedef enum tw_export_format {
    TW_EXPORT_CSV = 0, /* one tidy CSV: variable,country,partner,sector,input,value,unit */
    TW_EXPORT_JSON     /* one JSON object */
} tw_export_format;

/* ---- importer options ----------------------------------------------------
 * Paths are copied.  Setters return TW_EARG for an invalid value (and change
 * nothing) or TW_ENOMEM. */
TW_API tw_importer *tw_importer_create(tw_error *err);
TW_API void tw_importer_free(tw_importer *im);
/* Sector table code,name,theta[,tradable]: one row for every sector of the
 * source (its names, trade elasticities and tradable flags). */
TW_API tw_status tw_importer_set_sectors(tw_importer *im, const char *path);
/* One theta for every sector the sector table does not give (TW_THETA_MIN to
 * TW_THETA_MAX; TW_EARG otherwise). */
TW_API tw_status tw_importer_set_theta(tw_importer *im, double theta);
/* Country names code,name (optional; names default to the codes).  For the
 * bilateral importer the table also fixes the list and order of countries. */
TW_API tw_status tw_importer_set_countries(tw_importer *im, const char *path);
/* Baseline tariffs importer,exporter[,sector],rate (fractions; without a
 * sector column a rate applies to every tradable sector). */
TW_API tw_status tw_importer_set_tariffs(tw_importer *im, const char *path);
/* Count the change-in-inventories column as final demand (default 1) or drop it. */
TW_API tw_status tw_importer_set_inventories(tw_importer *im, int include);
/* GDP file columns for tw_import_bilateral (default "country" and "gdp"). */
TW_API tw_status tw_importer_set_gdp_columns(tw_importer *im, const char *country,
                                             const char *value);
/* Factor that converts the GDP file into the trade file's units (> 0, default 1). */
TW_API tw_status tw_importer_set_gdp_scale(tw_importer *im, double scale);
/* A meta.csv entry (year, tariff_year, units, source, ...); a later call with
 * the same key replaces the value. */
TW_API tw_status tw_importer_set_meta(tw_importer *im, const char *key, const char *value);
/* Lower the largest input file the importer reads from TW_IMPORT_MAX_BYTES to
 * max_bytes (0 = no change; tradewar/limits.h). */
TW_API void tw_importer_set_max_bytes(tw_importer *im, uint64_t max_bytes);
/* The WIOD release whose layout tw_import_wiod reads: 2013 (the wide sheet with
 * its header rows, or the long table row_country,row_sector,col_country,
 * col_use,value), 2016 (the matrix or long export), or 0 (default) to tell
 * them apart by the first lines.  Other values are TW_EARG. */
TW_API tw_status tw_importer_set_wiod_layout(tw_importer *im, int release);

/* ---- importers ------------------------------------------------------------
 * Each reads one table in its published layout (docs/importers.md) and returns
 * a finished draft, or NULL with err naming file:line and what was wrong
 * (TW_EINPUT bad contents, a line over 1 MiB or a file over 4 GiB; TW_EIO missing
 * or unreadable; TW_ENOMEM; TW_EARG options). */

/* OECD ICIO matrix CSV (2021 and later editions; rows and columns labelled
 * COUNTRY_INDUSTRY, final demand COUNTRY_HFCE ... COUNTRY_DPABR, rows TLS, VA,
 * OUT).  MX1/MX2 and CN1/CN2 are merged into MEX and CHN. */
TW_API tw_draft *tw_import_icio(const tw_importer *im, const char *table, tw_error *err);
/* WIOD world input-output table as CSV: the 2016 release's matrix export
 * (IndustryCode, IndustryDescription, Country, RNr, Year, AUS1 ... ROW61, TOT)
 * or long export (... Country, RNr, destination, use, flow); the 2013
 * release's wide sheet (header rows of descriptions, countries and use codes
 * c1 ... c35, c37 ... c42, c62; rows labelled by country and c1 ... c35) or
 * the long table of its codes (row_country, row_sector, col_country, col_use,
 * value).  A gzip-compressed file is refused (unpack it first). */
TW_API tw_draft *tw_import_wiod(const tw_importer *im, const char *table, tw_error *err);
/* A one-sector world from aggregate bilateral trade (importer,exporter,value)
 * and GDP: domestic sales = GDP - exports, clamped at 0 (a repair). */
TW_API tw_draft *tw_import_bilateral(const tw_importer *im, const char *trade,
                                     const char *gdp, tw_error *err);

/* ---- aggregation ----------------------------------------------------------
 * Merge countries and/or sectors of w by maps code,group[,name] (either map
 * may be NULL: keep them as they are).  Every code must be mapped exactly once.
 * Flows are summed before any ratio is taken; tariffs are trade-weighted;
 * theta is the mean weighted by the members' world international trade. */
TW_API tw_draft *tw_aggregate(const tw_world *w, const char *country_map,
                              const char *sector_map, tw_error *err);

/* ---- split ----------------------------------------------------------------
 * Carve a new country out of one region of w (ROW -> VNM + ROW) from the new
 * country's bilateral goods totals, which may be of a later year and in any
 * codes (docs/split.md has the formulas):
 *   - with every partner m, the new country's goods exports are its share of
 *     the region's exports to m in the totals, times the region's goods
 *     exports to m in the world (imports alike); services with m in the same
 *     proportion; a partner the totals do not cover takes the new country's
 *     share of all the region's goods trade (TW_SPLIT_SHARE); or, with
 *     TW_SPLIT_SCALED, g x its totals with m, at most the region's flow;
 *   - within a goods flow, sectors follow the proxy's mix of the same flow,
 *     capped at the region's flow in each sector;
 *   - its trade with the rest of the region is its totals' trade with it,
 *     brought to the world's year by g = the region's goods trade with its
 *     partners in the world / the same in the totals;
 *   - it borrows the proxy's input shares and final-demand shares; its
 *     domestic sales solve its input-output balance so that its value added is
 *     g x GDP (gdp given) or else its share of the region's goods trade times
 *     the region's value added;
 *   - the tariffs it pays and faces are the region's; trade between it and the
 *     rest of the region was domestic and carries none; a tariffs file
 *     (importer,exporter[,sector],rate with the new code on one side; no
 *     sector or "*": every tradable sector) replaces any of these rates.
 * The rest of the region keeps what is left of every flow, input purchase and
 * household consumption, so every world total, each partner's trade with the
 * region and the region's output, value added, final demand, deficit and
 * (without a tariffs file) tariff revenue are conserved; merging the two back with tw_aggregate gives
 * w again.  Final-demand shares are derived (unless w supplies them: then the
 * levels are split), so the zero shock of the result changes nothing.
 * Errors: TW_EINPUT naming the file, line and field for a bad totals or map
 * row (an unknown code, a negative value), or the option (region, code,
 * proxy) when a code is unknown or taken, and when the new country does not
 * fit in the region (its flows, output or final demand larger than the
 * region's); TW_EIO, TW_ENOMEM.  The draft's notes list the shares used. */
typedef enum tw_split_rule {
    TW_SPLIT_SHARE = 0, /* its share of the region's trade with each partner */
    TW_SPLIT_SCALED     /* its own totals times g, capped at the region's flows */
} tw_split_rule;

typedef struct tw_split_spec {
    const char *region; /* code of the region of w to split */
    const char *code;   /* code of the new country (not in w) */
    const char *name;   /* its name; NULL: the code */
    const char *totals; /* importer,exporter,value: goods imports of importer from
                         * exporter, any year and units, in world codes, the new
                         * code or codes of map */
    const char *map;    /* code,region: the world country (or the new code) each other
                         * code of totals belongs to; NULL: none */
    const char *proxy;  /* the country whose structure the new one borrows; NULL:
                         * the region itself */
    double gdp;         /* the new country's GDP in the totals' year and units; 0:
                         * not given */
    tw_split_rule rule; /* how its trade with partners is set */
    const char *tariffs; /* NULL, or rates of the new country replacing the region's */
} tw_split_spec;

TW_API tw_draft *tw_split(const tw_world *w, const tw_split_spec *spec, tw_error *err);

/* ---- drafts ------------------------------------------------------------- */
TW_API void tw_draft_free(tw_draft *d);
TW_API size_t tw_draft_n_countries(const tw_draft *d);
TW_API size_t tw_draft_n_sectors(const tw_draft *d);
/* Repairs made to the source, one line each (also listed in the README). */
TW_API size_t tw_draft_n_repairs(const tw_draft *d);
TW_API const char *tw_draft_repair(const tw_draft *d, size_t k);
/* Informational notes (merges, checks), one line each. */
TW_API size_t tw_draft_n_notes(const tw_draft *d);
TW_API const char *tw_draft_note(const tw_draft *d, size_t k);
/* The command that made the draft, quoted in the README (copied). */
TW_API tw_status tw_draft_set_command(tw_draft *d, const char *command, tw_error *err);
/* Write the world directory dir (created if absent, with any missing parents,
 * mode 0777 less the umask).  Every file goes to a temporary name first and is
 * renamed only when all are complete (a world file that is a symbolic link
 * stays one: the file it points to is replaced); new files get mode 0666 less
 * the umask, replaced ones keep theirs.  World files the draft does not need
 * (an old io.csv, say) are removed.  TW_EIO on failure. */
TW_API tw_status tw_draft_write(const tw_draft *d, const char *dir, tw_error *err);

/* ---- export --------------------------------------------------------------
 * A world (levels, shares, derived baseline) as one tidy CSV (one value a row)
 * or one JSON object, for R, Stata or Python.  TW_EIO when the stream fails,
 * TW_ENOMEM.  (tw_export_result in tradewar/report.h exports a solved result.) */
TW_API tw_status tw_export_world(FILE *out, const tw_world *w, tw_export_format format,
                                 tw_error *err);

#ifdef __cplusplus
}
#endif
#endif

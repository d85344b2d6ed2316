/* tradewar/world.h - a world: countries, sectors, baseline flows, tariffs,
 * input-output shares, and the baseline equilibrium derived from them
 * (docs/model.md and 3).
 *
 * A tw_world is immutable once loaded, so any number of threads may read it and
 * run solves on it at the same time. */
#ifndef TRADEWAR_WORLD_H
#define TRADEWAR_WORLD_H

#include <stddef.h>
#include <stdint.h>
#include "tradewar/export.h"
#include "tradewar/error.h"
#include "tradewar/limits.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tw_world tw_world;

/* The trade elasticities a world file or an elasticity-set file may give:
 * published estimates run from about 0.4 to 100; values far outside are typos
 * (a lost decimal point) and make the solver's powers overflow. */
#define TW_THETA_MIN 0.1
#define TW_THETA_MAX 1000.0

/* Load and validate a world (format: docs/data-format.md).  dir is a world
 * directory or the name of an embedded world ("world2011"), resolved by
 * tw_world_path: a program that loads "world2011" runs from any directory.
 * Returns NULL on failure with err naming file, line and field (TW_EINPUT for bad
 * contents, for a line over 1 MiB or a file over 256 MiB; TW_EIO for missing or
 * unreadable files, TW_ENOMEM).  Warnings that do not stop
 * the load are kept and can be read with tw_world_warning(). */
TW_API tw_world *tw_world_load(const char *dir, tw_error *err);
/* tw_world_load with each file limited to max_bytes instead of
 * TW_INPUT_MAX_BYTES (0 keeps that default; tradewar/limits.h). */
TW_API tw_world *tw_world_load_limited(const char *dir, uint64_t max_bytes, tw_error *err);
TW_API void tw_world_free(tw_world *w);

TW_API size_t tw_world_n_countries(const tw_world *w);
TW_API size_t tw_world_n_sectors(const tw_world *w);
TW_API const char *tw_world_country_code(const tw_world *w, size_t n);
TW_API const char *tw_world_country_name(const tw_world *w, size_t n);
TW_API const char *tw_world_sector_code(const tw_world *w, size_t j);
TW_API const char *tw_world_sector_name(const tw_world *w, size_t j);
TW_API double tw_world_sector_theta(const tw_world *w, size_t j);
TW_API int tw_world_sector_tradable(const tw_world *w, size_t j);
/* Index of a code, or -1 when unknown.  Codes are case-sensitive. */
TW_API long tw_world_country_index(const tw_world *w, const char *code);
TW_API long tw_world_sector_index(const tw_world *w, const char *code);
/* Value of a meta.csv key (year, tariff_year, units, source), or NULL. */
TW_API const char *tw_world_meta(const tw_world *w, const char *key);
/* The directory the world was loaded from (as given, or as tw_world_path
 * resolved an embedded name). */
TW_API const char *tw_world_dir(const tw_world *w);

/* The folder of the embedded worlds, the first of:
 *   1. the environment variable TRADEWAR_DATA, when set and not empty;
 *   2. the source tree's data/, when the library was built from a tree that
 *      is still there (it holds world2011/countries.csv): a build runs on the
 *      data it was built with;
 *   3. the installed data directory, PREFIX/share/tradewar (`make install
 *      PREFIX=...`).
 * The string is the environment's or a constant; do not free it. */
TW_API const char *tw_data_dir(void);

/* Where a world named name is loaded from: name itself when it holds a '/' or
 * names a directory (relative to the working directory); else
 * tw_data_dir()/name, written into buf (size bytes), when that is a
 * directory; else name unchanged (loading it then fails naming what is
 * missing).  Returns name or buf. */
TW_API const char *tw_world_path(const char *name, char *buf, size_t size);

/* Hash of everything in w that the equilibrium depends on (codes, elasticities,
 * tradable flags, flows, tariffs, input-output, value-added and final-demand
 * shares), and the household consumption, household counts and baseline
 * layers when the world has those files (a world without them hashes as if
 * they did not exist):
 * FNV-1a, 64 bits, as 16 lower-case hex digits and a NUL.  Equal worlds give
 * equal hashes on any machine.  A world is never changed once made, so the
 * hash is computed once, when it is loaded or copied, and this call only
 * copies it (safe from any number of threads). */
TW_API void tw_world_hash(const tw_world *w, char hex[17]);

/* A deep copy of w with the trade elasticities replaced by theta[j] (J values,
 * each finite and > 0: TW_EINPUT naming the sector otherwise).  theta enters
 * only the solver, so every baseline level and share is copied unchanged.  The
 * caller frees the copy with tw_world_free; w may be freed first.  NULL on
 * error (TW_EARG, TW_EINPUT, TW_ENOMEM). */
TW_API tw_world *tw_world_with_theta(const tw_world *w, const double *theta, tw_error *err);

/* ---- Named elasticity sets (docs/data-format.md, docs/sweep.md) ----------
 *
 * A world may ship named sets of trade elasticities in elasticities.csv
 * (set,sector,theta,source), one theta for every sector in each set.  meta.csv's
 * key "elasticities" names the default set, which must equal sectors.csv's
 * theta (so tools that read only sectors.csv see it); a world with the key and
 * no file has that one set, sectors.csv's.  Worlds with neither name no set.
 *
 *   tw_world *w2;
 *   if (tw_world_apply_elasticities(w, "uniform4", 0, &w2, &err)) ... err.msg
 *   ... solve on w2: the JSON report says "elasticities":"uniform4" ...
 *   tw_world_free(w2);
 */

/* The world's sets, in the order of the file: name, the source column of the
 * set's first row ("" when the file has none; "sectors.csv" for the implicit
 * set), and its J elasticities (borrowed).  NULL when k is out of range. */
TW_API size_t tw_world_n_elasticity_sets(const tw_world *w);
TW_API const char *tw_world_elasticity_set_name(const tw_world *w, size_t k);
TW_API const char *tw_world_elasticity_set_source(const tw_world *w, size_t k);
TW_API const double *tw_world_elasticity_set_theta(const tw_world *w, size_t k);
/* The name of the world's default set (meta.csv's elasticities), or NULL. */
TW_API const char *tw_world_default_elasticities(const tw_world *w);
/* The name of the set w's theta holds: the default set for a loaded world,
 * the name (or "FILE", "FILE:SET") given to tw_world_apply_elasticities;
 * NULL when no set is named (no default; tw_world_with_theta's copies).
 * Reports write it as "elasticities" and saved runs record it. */
TW_API const char *tw_world_elasticities(const tw_world *w);

/* *out: a copy of w (as tw_world_with_theta) holding the world's set called
 * name.  An unknown name is TW_EINPUT with field "elasticities" and a message
 * naming the closest set and listing them all.  *out is NULL on error. */
TW_API tw_status tw_world_apply_elasticity_set(const tw_world *w, const char *name,
                                               tw_world **out, tw_error *err);
/* As tw_world_apply_elasticity_set when spec is a name; when spec is a file
 * (tw_elasticities_is_file) the copy holds the one set of the file: columns
 * set,sector,theta (source and other columns ignored) or sector,theta, every
 * sector of w once, each theta in [TW_THETA_MIN, TW_THETA_MAX].  Bad rows are
 * TW_EINPUT at FILE:LINE naming the column (set, sector, theta); a file of
 * more than one set is TW_EINPUT; an unreadable one TW_EIO.  max_bytes limits
 * the file as tw_world_load_limited's.  The copy's name is spec for a
 * sector,theta file, else "spec:SET". */
TW_API tw_status tw_world_apply_elasticities(const tw_world *w, const char *spec,
                                             uint64_t max_bytes, tw_world **out,
                                             tw_error *err);
/* 1 when spec names a file (it holds a '/' or ends in ".csv"), 0 when a set
 * name: set names are plain words (cp2015, short-run). */
TW_API int tw_elasticities_is_file(const char *spec);

/* Baseline arrays, row-major in the order of their names, borrowed:
 * trade[n][i][j] (n imports from i, before tariffs), tariff[n][i][j] (fraction). */
TW_API const double *tw_world_trade(const tw_world *w);
TW_API const double *tw_world_tariffs(const tw_world *w);

/* The policy layers that the baseline tariffs already hold, from the optional
 * baseline_layers.csv (docs/data-format.md): row k says that layer `layer`
 * contributes rate x share to tariff[importer][exporter][sector].  A world
 * without the file has none; the scenario language starts each layer at its
 * contribution (docs/scenario-format.md).  tw_world_baseline_layer fills *out
 * (the name is borrowed) and returns 0, or -1 when k is out of range. */
typedef struct tw_baseline_layer {
    const char *layer;
    size_t importer, exporter, sector;
    double rate, share;
} tw_baseline_layer;
TW_API size_t tw_world_n_baseline_layers(const tw_world *w);
TW_API int tw_world_baseline_layer(const tw_world *w, size_t k, tw_baseline_layer *out);
/* 1 when the world has a baseline_layers.csv (even one with no rows). */
TW_API int tw_world_has_baseline_layers(const tw_world *w);

/* Derived baseline per country (units of trade.csv): value added, deficit
 * (imports - exports, before tariffs, domestic excluded), tariff revenue, income
 * VA + R + D, exports and imports (before tariffs, domestic excluded). */
TW_API double tw_world_value_added(const tw_world *w, size_t n);
TW_API double tw_world_deficit(const tw_world *w, size_t n);
TW_API double tw_world_tariff_revenue(const tw_world *w, size_t n);
TW_API double tw_world_income(const tw_world *w, size_t n);
TW_API double tw_world_exports(const tw_world *w, size_t n);
TW_API double tw_world_imports(const tw_world *w, size_t n);

/* Non-fatal findings of the load (e.g. value-added share + input shares off 1 by
 * more than 1e-6), formatted like errors. */
TW_API size_t tw_world_n_warnings(const tw_world *w);
TW_API const char *tw_world_warning(const tw_world *w, size_t k);

#ifdef __cplusplus
}
#endif
#endif

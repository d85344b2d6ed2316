/* shock_json.h - the cells of a request applied to a shock (shock_json.c;
 * private to server/). */
#ifndef TW_SERVER_SHOCK_JSON_H
#define TW_SERVER_SHOCK_JSON_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "tradewar/error.h"
#include "tradewar/policy.h"
#include "tradewar/world.h"

#define SRV_MAX_CELLS 100000   /* tariff / NTB entries in one request */

/* Apply [{importer, exporter, sector, rate|factor}] with '*' wildcards as in
 * counterfactual files; errors name the entry ("tariffs[2].sector"). */
tw_status srv_apply_cells(tw_shock *s, const tw_world *w, const cJSON *arr, int ntb,
                          size_t *cells, tw_error *err);
/* Check that obj has only the keys listed (NULL-terminated). */
tw_status srv_check_keys(const cJSON *obj, const char *const *keys, const char *where,
                         tw_error *err);

#endif

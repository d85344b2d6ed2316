/* report_impl.h - what the report writers share (private to src/report).
 *
 * A level's rows are visited as slots: every index tuple in output order
 * (country or importer outermost, sector innermost); tw_report_has_row says
 * which slots are printed.  Keys are the codes that name a row. */
#ifndef TW_REPORT_IMPL_H
#define TW_REPORT_IMPL_H

#include <cjson/cJSON.h>
#include "tradewar/report.h"

/* Move *k to the next slot from *k on that has a row and fill in its indices
 * (ix[0..2], unused 0); 0 when there is none:
 *   for (size_t k = 0, ix[3]; tw_report_next_row(level, r, &k, ix); k++) ... */
int tw_report_next_row(tw_report_level level, const tw_result *r, size_t *k, size_t ix[3]);
/* Keys of a row: how many, their JSON/CSV names ("code"; "importer",
 * "exporter"; "country", "sector"; ...) and the code of key q of row ix. */
size_t tw_report_n_keys(tw_report_level level);
const char *tw_report_key_name(tw_report_level level, size_t q);
const char *tw_report_key_code(const tw_world *w, tw_report_level level, size_t q,
                               const size_t ix[3]);

/* 1 when readable tables leave the column out for a world in model units
 * (a level that has no meaning there: tariff revenue). */
int tw_column_needs_units(const tw_column *c);
/* 1 when the world's units are "model units". */
int tw_report_model_units(const tw_world *w);
/* The name of the elasticity set w holds when it is not the world's default
 * (readable tables name it then), else NULL. */
const char *tw_report_other_elasticities(const tw_world *w);

/* Append one object per printed row of level to arr: its keys (and the
 * country's name at country level), then the columns of output show.  Clears
 * *ok when out of memory. */
void tw_report_json_rows(cJSON *arr, const tw_world *w, const tw_result *r, tw_report_level level,
                         unsigned show, int *ok);

/* The "meta" object of tw_report_meta_json (NULL when out of memory), for a
 * writer to attach to its root. */
cJSON *tw_report_meta(const tw_world *w, const char *deficits, const char *method, double tol);

#endif

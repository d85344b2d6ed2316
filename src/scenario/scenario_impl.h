/* scenario_impl.h - the parsed form of a scenario file (private).
 * Strings are owned by the scenario; positions are 1-based line and column. */
#ifndef TW_SCENARIO_IMPL_H
#define TW_SCENARIO_IMPL_H

#include <stdint.h>
#include "tradewar/scenario.h"

enum sc_verb { SC_SET, SC_ADD, SC_REMOVE, SC_EXEMPT, SC_NTB };
enum sc_kind { SC_NONE, SC_FACTOR, SC_AVE, SC_BAN };

typedef struct sc_action {
    enum sc_verb verb;
    enum sc_kind kind;
    char *layer;
    char *exp, *imp, *sec;     /* cells as written; NULL for a bare remove */
    long col_exp, col_imp, col_sec;
    double value, share;
    int has_share;
    char *ref, *cond;
    long line, col, col_layer, col_cond;
} sc_action;

typedef struct sc_step {
    char date[11];
    long day;                  /* days since 1970-01-01 */
    char *label, *cond;
    long line, col_cond;
    char **sources;
    size_t n_sources;
    sc_action *acts;
    size_t n_acts;
} sc_step;

typedef struct sc_rule {
    char *a, *b, *layer, *cond;
    long delay;
    long line, col_a, col_b, col_cond;
} sc_rule;

typedef struct sc_event {
    char *name, *desc;
    long line;
} sc_event;

struct tw_scenario {
    char *path;
    char *title, *world, *mapping;   /* mapping: resolved against the scenario's folder */
    long mapping_line, mapping_col;  /* where the mapping statement names it */
    char *focus[2];
    long focus_line, focus_col[2];
    sc_event *events;
    size_t n_events;
    sc_step *steps;
    size_t n_steps;
    sc_rule *rules;
    size_t n_rules;
};

/* The CODE of a region condition ("region:CODE" or "!region:CODE"), or NULL
 * for an event condition (or none). */
const char *sc_cond_region(const char *cond);

/* Index of a declared event, or -1. */
long sc_event_index(const tw_scenario *sc, const char *name);

/* Check the shares of sc against its mapping table (mapping.c): TW_OK, or
 * TW_EINPUT at the action or the table row, TW_EIO when the table cannot be
 * opened or read, TW_ENOMEM.  err must not be NULL. */
tw_status sc_mapping_check(const tw_scenario *sc, tw_error *err);

#endif

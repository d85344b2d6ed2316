/* import_impl.h - a world under construction (private to src/world).
 *
 * The importers (import_icio.c, import_wiod.c, import_bilateral.c) and the
 * aggregation (aggregate.c) all fill a tw_draft with levels - trade flows before
 * tariffs and intermediate purchases by input and using industry - and then call
 * tw_draft_finish(), which turns the levels into the shares of docs/model.md
 * and makes the repairs that a derived baseline needs.  tw_draft_write() writes
 * the world directory.  Every repair is kept as one line of text, so the command
 * line prints it and the README lists it. */
#ifndef TW_WORLD_IMPORT_IMPL_H
#define TW_WORLD_IMPORT_IMPL_H

#include <locale.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tradewar/data.h"
#include "core/csv.h"
#include "core/textin.h"

#define TW_IMPORT_CODE_MAX 64

/* A list of codes in insertion order with a sorted index for lookups. */
typedef struct tw_codes {
    size_t n, cap;
    char **code;
    size_t *sorted; /* positions into code, sorted by strcmp */
} tw_codes;

void tw_codes_free(tw_codes *c);
/* Index of s, or -1. */
long tw_codes_find(const tw_codes *c, const char *s);
/* Index of s, adding it when new (TW_ENOMEM on failure). */
tw_status tw_codes_add(tw_codes *c, const char *s, size_t *idx, tw_error *err);

/* A list of text lines (repairs, notes). */
typedef struct tw_lines {
    size_t n;
    char **line;
} tw_lines;

void tw_lines_free(tw_lines *l);
tw_status tw_lines_addf(tw_lines *l, tw_error *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

struct tw_draft {
    size_t N, J;
    char **ccode, **cname; /* [N] */
    char **scode, **sname; /* [J] */
    double *theta;         /* [J] */
    int *tradable;         /* [J] */
    double *trade;         /* [n][i][j] n buys from i, before tariffs */
    double *tau;           /* [n][i][j] */
    double *use;           /* [n][k][j] purchases of input k by industry j of n (levels) */
    double *io;            /* [n][k][j] shares, set by tw_draft_finish */
    double *va_level;      /* [n][j] value added in levels when supplied, else NULL */
    double *fd_level;      /* [n][j] final demand in levels when supplied, else NULL */
    double *hh_level;      /* [n][j] household consumption, or NULL (household_consumption.csv) */
    double *households;    /* [n] households, NAN where not counted, or NULL (households.csv) */
    char *households_source; /* the source column of households.csv */
    size_t n_layers;       /* baseline_layers.csv: layers in order, or 0 (no file) */
    char **layer_name;     /* [n_layers] */
    double *layer_v;       /* [layer][n][i][j] contribution rate x share */
    double *layer_rate;    /* [layer][n][i][j] the rate written, > 0 where v > 0 */
    tw_codes meta_keys;
    char **meta_val;       /* [meta_keys.n] */
    tw_lines repairs, notes;
    tw_lines conventions;  /* README paragraphs on how the source was read */
    char *kind;            /* "icio", "wiod", "bilateral", "aggregate" */
    char *source;          /* what it was made from (paths) */
    char *command;         /* the command line, when set */
};

/* The options an import is run with (tradewar/data.h setters). */
struct tw_importer {
    char *sectors, *countries, *tariffs;
    double theta;          /* 0 = not set */
    int inventories;       /* include the change-in-inventories column */
    int wiod_layout;       /* WIOD release layout: 0 = tell by the header, 2013, 2016 */
    char *gdp_country, *gdp_value;
    double gdp_scale;
    tw_codes meta_keys;
    char **meta_val;
    uint64_t max_bytes;    /* largest input file; TW_IMPORT_MAX_BYTES */
};

/* Allocate a draft of N countries and J sectors with codes copied from the
 * lists; names default to the codes, theta to 0 and tradable to 1. */
tw_draft *tw_draft_new(const char *kind, const tw_codes *countries, const tw_codes *sectors,
                       tw_error *err);
tw_status tw_draft_set_text(char **dst, const char *src, tw_error *err);
tw_status tw_draft_set_meta(tw_draft *d, const char *key, const char *value, tw_error *err);

/* Gross output Y[n][j] = sum of n's sales (caller frees); NULL on ENOMEM. */
double *tw_draft_output(const tw_draft *d, tw_error *err);

/* Set every negative trade cell to 0, one repair each, naming the cause. */
tw_status tw_draft_clear_negative_trade(tw_draft *d, const char *cause, tw_error *err);

/* Turn use levels into io shares and make the repairs that keep the derived
 * baseline valid (see import_draft.c): inputs of industries with no output are
 * dropped, negative value added is set to 0, and intermediate use above a
 * country's purchases is scaled down so that final demand is 0, not negative.
 * Fails when a country has no trade or no final demand. */
tw_status tw_draft_finish(tw_draft *d, tw_error *err);

/* An import's last step: d when st is TW_OK, else NULL with d freed. */
tw_draft *tw_draft_done(tw_draft *d, tw_status st);

/* Apply the importer's sector table, country names, theta, tariffs and meta to
 * a draft whose flows are read.  source_names[j] (may be NULL) are the names the
 * source gives its sectors. */
tw_status tw_importer_apply(const tw_importer *im, tw_draft *d, char **source_names,
                            tw_error *err);

/* Open a user file (named in errors as given, at most max_bytes long) and map
 * its header. */
tw_status tw_import_open(const char *path, uint64_t max_bytes, const char *const *req, size_t nreq,
                         const char *const *opt, size_t nopt, long *idx, tw_csv **out,
                         tw_error *err);
/* A TW_EINPUT error at the current record of r. */
tw_status tw_import_row_error(tw_error *err, const tw_csv *r, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Parse field k of the current record as a finite number. */
tw_status tw_import_number(tw_error *err, const tw_csv *r, size_t k, const char *column,
                           locale_t loc, double *out);
/* CSV output: a number in the shortest form that reads back to the same
 * double (loc: a "C" numeric locale), and a field quoted as RFC 4180 needs. */
void tw_csv_put_num(FILE *f, double v, locale_t loc);
void tw_csv_put_field(FILE *f, const char *s);

/* TW_EINPUT when path starts as a gzip file does (it must be unpacked first);
 * TW_OK otherwise, also when it cannot be opened (the reader says why). */
tw_status tw_import_refuse_gzip(const char *path, tw_error *err);

/* Check a code read from a file: non-empty, not "*", shorter than 64 bytes. */
tw_status tw_import_check_code(tw_error *err, const tw_csv *r, const char *code,
                               const char *kind);

#endif

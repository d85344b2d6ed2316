/* csv.h - a pull reader for RFC 4180 CSV files (private to libtradewar).
 *
 * Built on libcsv in strict mode: quoted fields may hold commas, quotes ("")
 * and line breaks; a UTF-8 byte-order mark at the start is skipped; empty and
 * blank lines are skipped; spaces around unquoted fields are trimmed.  Every
 * record carries the 1-based line on which it starts, and every record after the
 * header must have as many fields as the header.  Errors name the file by the
 * display name given to tw_csv_open ("trade.csv" for world files, the path as
 * given for user files), never print, and never exit. */
#ifndef TW_CORE_CSV_H
#define TW_CORE_CSV_H

#include <stddef.h>
#include <stdint.h>
#include "tradewar/error.h"

typedef struct tw_csv tw_csv;

/* Open path for reading; name is what errors call the file.  When optional is
 * nonzero and the file does not exist, returns TW_OK with *out = NULL.  Other
 * failures: TW_EIO for a missing or unreadable file ("name: cannot open:
 * <strerror>"), TW_ENOMEM.  Lines and the file are bounded by the limits of
 * core/textin.h (1 MiB, 256 MiB) unless tw_csv_set_limits changes them. */
tw_status tw_csv_open(tw_csv **out, const char *path, const char *name, int optional,
                      tw_error *err);
void tw_csv_close(tw_csv *r);

/* Read the header row and map column names to field positions: idx[k] gets the
 * 0-based position of required[k] (k < nreq), then of optional[k - nreq]
 * (-1 when absent).  Other columns are ignored.  Errors (TW_EINPUT):
 *   name: empty file (expected header "a,b,c")
 *   name:1: missing column "x" (expected header "a,b,c")
 *   name:1: duplicate column "x" */
tw_status tw_csv_header(tw_csv *r, const char *const *required, size_t nreq,
                        const char *const *optional, size_t nopt, long *idx, tw_error *err);

/* Accept records with more fields than the header (for free-text last columns
 * such as meta.csv's value, where writers forget to quote commas).  Records
 * with fewer fields are still errors. */
void tw_csv_allow_extra_fields(tw_csv *r);

/* Keep spaces around unquoted fields (by default they are trimmed), so that
 * a free-text field split at unquoted commas can be joined back unchanged. */
void tw_csv_keep_spaces(tw_csv *r);

/* Change the longest line and the largest file accepted (0 keeps a limit);
 * call before the header is read.  Importers raise the file limit to
 * TW_IMPORT_MAX_BYTES; tests lower both. */
void tw_csv_set_limits(tw_csv *r, size_t max_line, uint64_t max_bytes);

/* Advance to the next record: 1 when there is one, 0 at end of file, -1 on
 * error (err filled: malformed CSV, wrong field count, I/O, memory). */
int tw_csv_next(tw_csv *r, tw_error *err);

/* The current record: its start line, its number of fields, field k as a
 * NUL-terminated string (borrowed until the next tw_csv_next), "" when k is
 * out of range. */
long tw_csv_line(const tw_csv *r);
size_t tw_csv_nfields(const tw_csv *r);
const char *tw_csv_field(const tw_csv *r, size_t k);
/* The display name given to tw_csv_open. */
const char *tw_csv_name(const tw_csv *r);

#endif

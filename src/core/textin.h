/* textin.h - a bounded reader of text lines (private to libtradewar).
 *
 * Every text input of the library (world files, counterfactuals, NTB files,
 * scenarios, elasticity sets, importer tables) is read through this reader,
 * so that no input can make the program read or keep without bound: /dev/zero
 * or a pipe fed by `yes` is refused within one line limit or one file limit
 * (docs/data-format.md sec. 1).  Errors name the file by the display name given
 * to tw_textin_open and the 1-based line, never print, and never exit. */
#ifndef TW_CORE_TEXTIN_H
#define TW_CORE_TEXTIN_H

#include <stddef.h>
#include <stdint.h>
#include "tradewar/error.h"
#include "tradewar/limits.h"

typedef struct tw_textin tw_textin;

/* Open path for reading with the default limits (TW_INPUT_MAX_LINE,
 * TW_INPUT_MAX_BYTES); name is what errors call the file.  When optional is
 * nonzero and the file does not exist, returns TW_OK with *out = NULL.
 * Failures: TW_EIO ("name: cannot open: <strerror>"; a missing file is one
 * too), TW_ENOMEM. */
tw_status tw_textin_open(tw_textin **out, const char *path, const char *name, int optional,
                         tw_error *err);
void tw_textin_close(tw_textin *t);

/* The name errors call the file (the one given to tw_textin_open). */
const char *tw_textin_name(const tw_textin *t);

/* Change the limits before the first line is read: the longest line in bytes
 * (its terminator not counted) and the most bytes the file may hold.  0 keeps
 * a limit as it is. */
void tw_textin_set_limits(tw_textin *t, size_t max_line, uint64_t max_bytes);

/* The next line: 1 with *line (NUL-terminated, terminator "\n" kept when the
 * file had one; writable and borrowed until the next call) and *len, 0 at end
 * of file, -1 on error with err filled:
 *   name:LINE: line is longer than the limit of 1 MiB (is this a text file?)
 *   name:LINE: file is larger than the limit of 256 MiB for this input
 *   name:LINE: the file contains a NUL byte (expected text)
 * (TW_EINPUT), "name: read error: <strerror>" (TW_EIO), TW_ENOMEM. */
int tw_textin_next(tw_textin *t, char **line, size_t *len, tw_error *err);

/* 1-based number of the line last returned (0 before the first). */
long tw_textin_lineno(const tw_textin *t);

/* A byte count as the limits are written: "1 MiB", "4 GiB", "1000 bytes". */
void tw_textin_size_text(uint64_t bytes, char *buf, size_t size);

#endif

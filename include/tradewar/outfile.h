/* tradewar/outfile.h - writing an output file without breaking what stands at
 * its path (every output of the command line goes through it).
 *
 * What happens depends on what the path names (docs/data-format.md, "Output
 * files"):
 *   nothing, or a regular file   a temporary file beside it, renamed over the
 *                                path when complete: a reader never sees half
 *                                a file, and a failure leaves the old one
 *   a symbolic link              the same for the file the link points to (the
 *                                chain of links followed, the target may not
 *                                exist yet); the link stays a link
 *   a character or block device, written in place, no temporary file (a
 *   or a FIFO                    device or a pipe cannot be renamed over)
 *   a directory or a socket      refused: TW_EIO, "is a directory (expected a
 *                                file path)"
 * A new file gets mode 0666 less the umask (the temporary file is created
 * with open(O_CREAT | O_EXCL, 0666), so the kernel applies the umask and any
 * default ACL; umask() is never called); a replaced regular file keeps its
 * permission bits.  Errors name the path as given.  Nothing here prints, and
 * there is no shared state: two outputs in two threads are independent. */
#ifndef TRADEWAR_OUTFILE_H
#define TRADEWAR_OUTFILE_H

#include <stdio.h>
#include "tradewar/export.h"
#include "tradewar/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TW_OUTFILE_PATH_MAX 4096

typedef struct tw_outfile {
    FILE *f;                               /* write here; NULL once closed */
    const char *name;                      /* the path as given (borrowed), for messages */
    char path[TW_OUTFILE_PATH_MAX];        /* the file that ends up holding the bytes */
    char tmp[TW_OUTFILE_PATH_MAX + 16];    /* the temporary file; "" when written in place */
} tw_outfile;

/* Open an output at path (kept by pointer until the output is closed).
 * TW_EIO when the path is a directory or a socket, or the file cannot be made.
 * Opening a FIFO waits for a reader, as a shell redirection does.  On
 * failure nothing is left to discard. */
TW_API tw_status tw_outfile_open(tw_outfile *o, const char *path, tw_error *err);

/* Flush and close the stream.  TW_EIO, "cannot write" (with the reason when
 * the system gave one), if any write failed; the temporary file is still
 * there for tw_outfile_discard. */
TW_API tw_status tw_outfile_close(tw_outfile *o, tw_error *err);

/* Rename the closed temporary file over the path (nothing to do for an output
 * written in place).  On failure the temporary file is removed. */
TW_API tw_status tw_outfile_publish(tw_outfile *o, tw_error *err);

/* tw_outfile_close, then tw_outfile_publish; on failure nothing is left
 * behind but what was at the path before. */
TW_API tw_status tw_outfile_commit(tw_outfile *o, tw_error *err);

/* Give up: close the stream if open and remove the temporary file.  Safe at
 * any point after tw_outfile_open, and more than once. */
TW_API void tw_outfile_discard(tw_outfile *o);

/* mkdir -p: make dir and every missing parent (mode 0777 less the umask).
 * TW_EIO naming the folder that could not be made, or "exists and is not a
 * directory". */
TW_API tw_status tw_outfile_mkdirs(const char *dir, tw_error *err);

#ifdef __cplusplus
}
#endif

#endif

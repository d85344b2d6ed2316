/* error.h - the error record inside the library (private; the record itself
 * is tradewar/error.h). */
#ifndef TW_CORE_ERROR_H
#define TW_CORE_ERROR_H

#include "tradewar/error.h"

/* The record a call writes to: err, or local when the caller passed NULL,
 * cleared either way.  For calls whose inner steps read back what they set
 * (err->code after a reader failed):
 *
 *   tw_error local;
 *   return import_table(im, path, tw_error_use(err, &local));
 */
tw_error *tw_error_use(tw_error *err, tw_error *local);

#endif

/* tradewar/error.h - status codes and the error record every call fills in.
 *
 * Every library call that can fail returns a tw_status (or NULL) and, when the
 * caller passes a non-NULL tw_error *, describes the failure there.  The record
 * uses fixed buffers so that reporting an error never allocates.  Thread safety:
 * each call writes only to the record it is given. */
#ifndef TRADEWAR_ERROR_H
#define TRADEWAR_ERROR_H

#include <stddef.h>
#include "tradewar/export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum tw_status {
    TW_OK = 0,
    TW_EINPUT,  /* bad input data: file contents, counterfactuals, options */
    TW_ENOCONV, /* the solver did not converge (model failure) */
    TW_ENOMEM,  /* out of memory */
    TW_EIO,     /* a file could not be read or written */
    TW_EARG,    /* a caller passed an invalid argument (usage error) */
    TW_ECANCELED /* the caller asked a long search to stop (tw_game_set_stop) */
} tw_status;

typedef struct tw_error {
    tw_status code;
    char file[256];  /* "trade.csv", or "" */
    long line;       /* 1-based; 0 if none */
    long col;        /* 1-based; 0 if none */
    char field[64];  /* column, country or sector; "" if none */
    char msg[256];   /* what was wrong, with the bad value */
} tw_error;

/* Default one-line text of a status code ("bad input", ...). Never NULL. */
TW_API const char *tw_status_str(tw_status code);

/* Process exit code the command line uses for a status:
 * 0 ok, 1 model/solver failure, 2 bad input or usage, 3 I/O or out of memory. */
TW_API int tw_status_exit_code(tw_status code);

/* Fill err (if not NULL) and return code.  file may be NULL. msg is printf-style.
 * Clears field; fill err->field afterwards (snprintf into it: a column,
 * country or sector) when it helps. */
TW_API tw_status tw_error_set(tw_error *err, tw_status code, const char *file, long line,
                       long col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
#ifdef __clang_analyzer__
/* Tell the static analyzer (make lint) what every caller relies on: the call
 * returns its code.  Without this, it explores a failed allocation followed
 * by a "successful" error return, and reports the impossible path. */
#define tw_error_set(err, code, ...) (tw_error_set((err), (code), __VA_ARGS__), (code))
#endif

/* Reset err to TW_OK with empty fields. */
TW_API void tw_error_clear(tw_error *err);

/* Format "<where>: <what>" as the command line prints it after "tradewar: ".
 * <where> is file:line[:col] when a file is known, else the field, else omitted. */
TW_API void tw_error_format(const tw_error *err, char *buf, size_t size);

#ifdef __cplusplus
}
#endif
#endif

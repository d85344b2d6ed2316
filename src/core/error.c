/* error.c - the status table and the error record.
 *
 * The code list and its default text live in one table so they cannot drift
 * apart.  Filling an error never allocates (fixed buffers, truncating). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#undef tw_error_set /* error.h's model of it for the static analyzer */

static const struct {
    tw_status code;
    const char *text;
    int exit_code;
} status_table[] = {
    {TW_OK, "ok", 0},
    {TW_EINPUT, "bad input", 2},
    {TW_ENOCONV, "no convergence", 1},
    {TW_ENOMEM, "out of memory", 3},
    {TW_EIO, "input/output error", 3},
    {TW_EARG, "invalid argument", 2},
    {TW_ECANCELED, "cancelled", 1},
};

const char *tw_status_str(tw_status code)
{
    for (size_t k = 0; k < sizeof status_table / sizeof status_table[0]; k++)
        if (status_table[k].code == code) return status_table[k].text;
    return "unknown error";
}

int tw_status_exit_code(tw_status code)
{
    for (size_t k = 0; k < sizeof status_table / sizeof status_table[0]; k++)
        if (status_table[k].code == code) return status_table[k].exit_code;
    return 1;
}

tw_error *tw_error_use(tw_error *err, tw_error *local)
{
    if (!err) err = local;
    tw_error_clear(err);
    return err;
}

void tw_error_clear(tw_error *err)
{
    if (!err) return;
    memset(err, 0, sizeof *err);
    err->code = TW_OK;
}

tw_status tw_error_set(tw_error *err, tw_status code, const char *file, long line,
                       long col, const char *fmt, ...)
{
    if (!err) return code;
    err->code = code;
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    err->line = line;
    err->col = col;
    err->field[0] = '\0';
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return code;
}

void tw_error_format(const tw_error *err, char *buf, size_t size)
{
    if (!buf || size == 0) return;
    if (!err) {
        snprintf(buf, size, "unknown error");
        return;
    }
    const char *msg = err->msg[0] ? err->msg : tw_status_str(err->code);
    if (err->file[0] && err->line > 0 && err->col > 0)
        snprintf(buf, size, "%s:%ld:%ld: %s", err->file, err->line, err->col, msg);
    else if (err->file[0] && err->line > 0)
        snprintf(buf, size, "%s:%ld: %s", err->file, err->line, msg);
    else if (err->file[0])
        snprintf(buf, size, "%s: %s", err->file, msg);
    else if (err->field[0])
        snprintf(buf, size, "%s: %s", err->field, msg);
    else
        snprintf(buf, size, "%s", msg);
}

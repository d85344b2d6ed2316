/* world_impl.h - the layout of tw_world (private to libtradewar). */
#ifndef TW_WORLD_IMPL_H
#define TW_WORLD_IMPL_H

#include <stdint.h>
#include "tradewar/world.h"
#include "base.h"

#define TW_CODE_MAX 64

struct tw_world {
    char *dir;
    char **ccode, **cname;   /* [N] */
    char **scode, **sname;   /* [J] */
    size_t n_meta;
    char **meta_key, **meta_val;
    size_t n_warn;
    char **warn;
    int va_supplied, alpha_supplied;
    tw_base *base;           /* owns theta, tradable, trade, tau, io, va, alpha, derived */
};

/* Free the n strings of v and v itself (NULL is fine). */
void tw_strings_free(char **v, size_t n);

#endif

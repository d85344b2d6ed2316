/* world_impl.h - the layout of tw_world (private to libtradewar). */
#ifndef TW_WORLD_IMPL_H
#define TW_WORLD_IMPL_H

#include <stdint.h>
#include "tradewar/world.h"
#include "base.h"

#define TW_CODE_MAX 64

/* Named elasticity sets: the world's elasticities.csv, or a set file
 * (elasticities.c). */
typedef struct tw_elast_sets {
    size_t n, J;
    char **name, **source; /* [n]; source "" when the file gives none */
    double *theta;         /* [n][J]; NAN while a set is being read */
    long *line;            /* [n] the first line of each set */
} tw_elast_sets;

struct tw_world {
    char *dir;
    char **ccode, **cname;   /* [N] */
    char **scode, **sname;   /* [J] */
    size_t n_meta;
    char **meta_key, **meta_val;
    size_t n_warn;
    char **warn;
    int va_supplied, alpha_supplied;
    tw_elast_sets sets;      /* the world's named elasticity sets (may be none) */
    char *elast;             /* the name of the set theta holds, NULL: none named */
    tw_base *base;           /* owns theta, tradable, trade, tau, io, va, alpha, derived */
    char hash[17];           /* tw_world_hash, kept by the constructor; "" until then */
};

/* Compute w's hash and keep it in w->hash (hash.c): the last step of every
 * constructor, once nothing the hash covers changes any more. */
void tw_world_keep_hash(tw_world *w);

/* Free the n strings of v and v itself (NULL is fine). */
void tw_strings_free(char **v, size_t n);

/* Free the sets of L (not L itself) and leave it empty (world.c). */
void tw_elast_sets_free(tw_elast_sets *L);
/* dst: a deep copy of src (TW_ENOMEM with dst empty otherwise). */
tw_status tw_elast_sets_copy(tw_elast_sets *dst, const tw_elast_sets *src, tw_error *err);
/* The names of L's sets, ", "-separated, into buf (cut to size). */
void tw_elast_sets_names(const tw_elast_sets *L, char *buf, size_t size);
/* The position of the set called name, or -1. */
long tw_elast_sets_find(const tw_elast_sets *L, const char *name);
/* Read the sets of the file at path (shown as shown in errors) for the
 * sectors of w: columns set,sector,theta (source optional) or sector,theta
 * (one set, named unnamed).  Every set gives every sector once, with a theta
 * in [TW_THETA_MIN, TW_THETA_MAX]; errors are TW_EINPUT at file:line naming
 * the column (set, sector or theta).  max_bytes as tw_world_load_limited's.
 * On error L is left empty. */
tw_status tw_elast_sets_read(const tw_world *w, const char *path, const char *shown,
                             const char *unnamed, uint64_t max_bytes, tw_elast_sets *L,
                             tw_error *err);

#endif

/* split_impl.h - reading the inputs of a split (private to src/world;
 * split.c, split_read.c). */
#ifndef TW_WORLD_SPLIT_IMPL_H
#define TW_WORLD_SPLIT_IMPL_H

#include "world/import_impl.h"
#include "world/world_impl.h"

/* Codes of the totals file and the unit each stands for: a world country
 * (0 .. N-1) or the new country (N). */
typedef struct tw_split_map {
    tw_codes codes;
    long *unit; /* [codes.n] */
} tw_split_map;

/* What the totals are read into. */
typedef struct tw_split_read {
    const tw_world *w;
    const tw_split_map *map;
    const char *new_code;
    size_t N;   /* countries of the world; the new country is unit N */
    double *T;  /* [(N+1)(N+1)] goods imports of a from b, a != b */
} tw_split_read;

void tw_split_map_free(tw_split_map *m);
/* Read path (code,region); NULL leaves the map empty. */
tw_status tw_split_read_map(const char *path, const tw_world *w, const char *new_code,
                            tw_split_map *m, tw_error *err);
/* Add the rows of path (importer,exporter,value) to rd->T. */
tw_status tw_split_read_totals(tw_split_read *rd, const char *path, tw_error *err);
/* Rates of the new country from path (importer,exporter[,sector],rate; one
 * side the new code, the other a world country; no sector or "*": every
 * tradable sector): tin[m][j] it pays on imports from m, tout[m][j] m pays
 * on imports from it. */
tw_status tw_split_read_tariffs(const char *path, const tw_world *w, const char *new_code,
                                double *tin, double *tout, tw_error *err);
/* Name field in err (the column of a row error); returns err->code. */
tw_status tw_split_field(tw_error *err, const char *field);

#endif

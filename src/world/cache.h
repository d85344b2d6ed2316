/* cache.h - parsed worlds kept on disk, so that loading a world a second time
 * reads one binary file instead of parsing its CSV files (private to
 * libtradewar; docs/data-format.md, "The world cache").
 *
 * An entry is keyed by a 128-bit hash of everything the loader reads and of
 * the loader itself: the name, size and bytes of every regular file in the
 * world's folder, the per-file size limit of the load, the library's version
 * and the file the library was loaded from (size, time, inode: a rebuilt
 * library never reads another build's entries).  A changed,
 * added or removed file gives another key, so an entry is never stale; a
 * folder holding anything but regular files and folders is not cached.  The
 * cache is never required: when its folder cannot be made, an entry cannot be
 * written, or an entry is short, corrupt (a hash of its contents is checked)
 * or from another build, the world is parsed as if there were none.  Entries
 * are written to a temporary file and renamed, so a reader never sees half of
 * one; the least recently used go when there are more than TW_CACHE_KEEP.
 * Worlds whose files hold less than TW_CACHE_MIN_BYTES are not cached: they
 * parse in less time than hashing and reading an entry saves.
 *
 * Where: $TRADEWAR_CACHE when set ("off" turns the cache off), else
 * $XDG_CACHE_HOME/tradewar, else $HOME/.cache/tradewar.  The hash tells worlds
 * apart; it is not a defence against files crafted to collide. */
#ifndef TW_WORLD_CACHE_H
#define TW_WORLD_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "world/world_impl.h"

#define TW_CACHE_KEEP 16
#define TW_CACHE_MIN_BYTES ((uint64_t)256 * 1024)

typedef struct tw_cache_key {
    int usable;      /* 0: this load is not cached (off, no folder, small world) */
    uint64_t h[2];   /* the key */
    char dir[4096];  /* the cache folder */
} tw_cache_key;

/* The key of the world in dir loaded with max_bytes (as
 * tw_world_load_limited's), into *key; key->usable is 0 when the load is not
 * to be cached. */
void tw_cache_key_of(const char *dir, uint64_t max_bytes, tw_cache_key *key);

/* The world kept under key, or NULL (no entry, or one that cannot be used).
 * The world's folder is not set (the caller sets w->dir). */
tw_world *tw_cache_read(const tw_cache_key *key);

/* Keep w under key.  Failures are ignored: the cache is never required. */
void tw_cache_write(const tw_world *w, const tw_cache_key *key);

/* Remove the least recently used entries of folder dir until at most keep
 * remain (entries are files named world-*.twc). */
void tw_cache_prune(const char *dir, size_t keep);

#endif

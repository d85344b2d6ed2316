/* datadir.c - where the embedded worlds are: the one rule by which
 * tw_world_load, the command line and the server turn a world's name into a
 * directory (the order is documented in tradewar/world.h).
 *
 * The two compiled-in folders come from the build: TW_SOURCE_DATA_DIR is the
 * source tree's data/, TW_DATA_DIR the installed PREFIX/share/tradewar. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tradewar/world.h"

#ifndef TW_DATA_DIR
#define TW_DATA_DIR "/usr/local/share/tradewar"
#endif
#ifndef TW_SOURCE_DATA_DIR
#define TW_SOURCE_DATA_DIR TW_DATA_DIR
#endif

static int is_dir(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

const char *tw_data_dir(void)
{
    const char *env = getenv("TRADEWAR_DATA");
    if (env && *env) return env;
    struct stat sb;
    if (stat(TW_SOURCE_DATA_DIR "/world2011/countries.csv", &sb) == 0) return TW_SOURCE_DATA_DIR;
    return TW_DATA_DIR;
}

const char *tw_world_path(const char *name, char *buf, size_t size)
{
    if (!name || strchr(name, '/') || is_dir(name) || !buf || size == 0) return name;
    int len = snprintf(buf, size, "%s/%s", tw_data_dir(), name);
    if (len < 0 || (size_t)len >= size || !is_dir(buf)) return name;
    return buf;
}

/* version.c - the library's version (tradewar/util.h). */
#include "tradewar/util.h"

const char *tw_version(void)
{
    return TW_VERSION;
}

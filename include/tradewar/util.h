/* tradewar/util.h - small helpers every front end needs (CLI, server, bindings).
 *
 *   const char *countries[] = {"USA", "CHN", "MEX"};
 *   const char *s = tw_suggest("UAS", countries, 3);   // "USA"
 *   // "unknown country \"UAS\" (did you mean USA?)"
 */
#ifndef TRADEWAR_UTIL_H
#define TRADEWAR_UTIL_H

#include <stddef.h>
#include "tradewar/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The candidate closest to word, for "did you mean" messages: an exact
 * case-insensitive match first, else the one at the smallest edit distance if
 * that is at most max(1, strlen(word) / 2) (a word or candidate of 64
 * characters or more is never close).  NULL when nothing is close or word is
 * empty. */
TW_API const char *tw_suggest(const char *word, const char *const *candidates, size_t n);

/* The version of the library ("0.1.0"), for bindings that load it at run
 * time (python/tradewar) and want to say which one answered. */
TW_API const char *tw_version(void);

#ifdef __cplusplus
}
#endif
#endif

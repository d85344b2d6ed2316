/* suggest.h - "did you mean" for unknown codes and keywords (private). */
#ifndef TW_CORE_SUGGEST_H
#define TW_CORE_SUGGEST_H

#include <stddef.h>

/* The candidate closest to word: an exact case-insensitive match first, else
 * the smallest edit distance if it is at most max(1, strlen(word) / 2).
 * NULL when nothing is close. */
const char *tw_suggest(const char *word, const char *const *candidates, size_t n);

#endif

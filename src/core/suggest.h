/* suggest.h - "did you mean" for unknown codes and keywords; public as
 * tradewar/util.h, included here so library code keeps one spelling. */
#ifndef TW_CORE_SUGGEST_H
#define TW_CORE_SUGGEST_H

#include <stddef.h>
#include "tradewar/util.h"

/* The position of word among the n names (exact match), or -1 when it is not
 * one of them or word is NULL: the parsers of keyword options. */
int tw_keyword_index(const char *word, const char *const *names, size_t n);

#endif

/* suggest.h - "did you mean" for unknown codes and keywords; public as
 * tradewar/util.h, included here so library code keeps one spelling. */
#ifndef TW_CORE_SUGGEST_H
#define TW_CORE_SUGGEST_H

#include <stddef.h>
#include "tradewar/util.h"

/* The position of word among the n names (exact match), or -1 when it is not
 * one of them or word is NULL: the parsers of keyword options. */
int tw_keyword_index(const char *word, const char *const *names, size_t n);

/* 1 when s is a name of the scenario language (a layer or an event, as
 * scenario files and baseline_layers.csv write them): a letter or _, then
 * letters, digits, _, - or . */
int tw_is_name(const char *s);

#endif

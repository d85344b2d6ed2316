/* suggest.c - the closest valid spelling of a mistyped code or keyword, by
 * case-insensitive comparison and then Levenshtein distance (bounded length,
 * no allocation). */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "suggest.h"

#define MAXLEN 64

int tw_keyword_index(const char *word, const char *const *names, size_t n)
{
    for (size_t k = 0; word && k < n; k++)
        if (!strcmp(word, names[k])) return (int)k;
    return -1;
}

static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la >= MAXLEN || lb >= MAXLEN) return (size_t)-1;
    size_t row[MAXLEN + 1];
    for (size_t j = 0; j <= lb; j++) row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t cost = tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 1]) ? 0 : 1;
            size_t best = diag + cost;
            if (row[j] + 1 < best) best = row[j] + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

TW_API const char *tw_suggest(const char *word, const char *const *candidates, size_t n)
{
    if (!word || !*word) return NULL;
    for (size_t k = 0; k < n; k++)
        if (strcasecmp(word, candidates[k]) == 0) return candidates[k];
    size_t limit = strlen(word) / 2;
    if (limit < 1) limit = 1;
    const char *best = NULL;
    size_t bd = (size_t)-1;
    for (size_t k = 0; k < n; k++) {
        size_t d = distance(word, candidates[k]);
        if (d < bd) {
            bd = d;
            best = candidates[k];
        }
    }
    return bd <= limit ? best : NULL;
}

int tw_is_name(const char *s)
{
    if (!(isalpha((unsigned char)*s) || *s == '_')) return 0;
    for (s++; *s; s++)
        if (!(isalnum((unsigned char)*s) || *s == '_' || *s == '-' || *s == '.')) return 0;
    return 1;
}

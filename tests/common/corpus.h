/* corpus.h - walking a corpus of broken inputs (tests/data/bad/,
 * tests/data/scenarios/bad/; tests/data/README.md): the entries of its
 * folder in name order, and the one-line files a case keeps its expected
 * message and status in.
 *
 * Include it after <cmocka.h> (and its prerequisites) as "../common/corpus.h".
 * Everything is static inline; a corpus that cannot be listed fails the test.
 *
 *   corpus c = corpus_open(dir)       the entries of dir, sorted by name
 *   corpus_name(&c, k)                the name of entry k (0 <= k < c.n)
 *   corpus_close(&c)                  free the listing
 *   corpus_line(path, buf, size)      the first line of path without its line
 *                                     end; "" and 0 when there is no such file
 *
 * Test-only: these assert, and so must not be copied into src/. */
#ifndef TW_TESTS_CORPUS_H
#define TW_TESTS_CORPUS_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct corpus {
    struct dirent **ents;
    int n;
} corpus;

static inline corpus corpus_open(const char *dir)
{
    corpus c = {NULL, 0};
    c.n = scandir(dir, &c.ents, NULL, alphasort);
    if (c.n <= 0) fail_msg("cannot list the corpus %s", dir);
    return c;
}

static inline const char *corpus_name(const corpus *c, int k) { return c->ents[k]->d_name; }

static inline void corpus_close(corpus *c)
{
    for (int k = 0; k < c->n; k++) free(c->ents[k]);
    free(c->ents);
    c->ents = NULL;
    c->n = 0;
}

static inline int corpus_line(const char *path, char *buf, size_t size)
{
    FILE *f = fopen(path, "r");
    buf[0] = '\0';
    if (!f) return 0;
    if (fgets(buf, (int)size, f)) buf[strcspn(buf, "\r\n")] = '\0';
    fclose(f);
    return 1;
}

#endif

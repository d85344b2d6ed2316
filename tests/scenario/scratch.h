/* scratch.h - a scratch folder for one scenario test program: the files a
 * test writes (worlds, scenarios, mapping tables) go to dir. */
#ifndef TW_TEST_SCENARIO_SCRATCH_H
#define TW_TEST_SCENARIO_SCRATCH_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char dir[64];

/* Write text to dir/name. */
static void put(const char *name, const char *text)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* A new dir under /tmp named after prefix; 0, or -1 when it cannot be made. */
static int scratch_open(const char *prefix)
{
    snprintf(dir, sizeof dir, "/tmp/%s_XXXXXX", prefix);
    return mkdtemp(dir) ? 0 : -1;
}

/* Remove the n files named in dir, then dir. */
static void scratch_close(const char *const *names, int n)
{
    char p[256];
    for (int k = 0; k < n; k++) {
        snprintf(p, sizeof p, "%s/%s", dir, names[k]);
        unlink(p);
    }
    rmdir(dir);
}

#endif

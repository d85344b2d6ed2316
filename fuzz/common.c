/* common.c - the scratch folder, fixed worlds and checks the fuzz targets share.
 *
 * Test-only process state: one folder per process, made once and removed at
 * exit, so that a million inputs reuse the same few files. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

static char scratch[256];

static void remove_scratch(void)
{
    DIR *d = opendir(scratch);
    struct dirent *de;
    char p[512];
    while (d && (de = readdir(d)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
        snprintf(p, sizeof p, "%s/%s", scratch, de->d_name);
        unlink(p);
    }
    if (d) closedir(d);
    rmdir(scratch);
}

const char *fz_dir(void)
{
    if (scratch[0]) return scratch;
    const char *tmp = getenv("TMPDIR");
    snprintf(scratch, sizeof scratch, "%s/tradewar-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(scratch)) {
        perror("fuzz: mkdtemp");
        abort();
    }
    atexit(remove_scratch);
    return scratch;
}

int fz_path(char *buf, size_t size, const char *name)
{
    int len = snprintf(buf, size, "%s/%s", fz_dir(), name);
    return len < 0 || (size_t)len >= size ? -1 : 0;
}

int fz_write(const char *path, const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    size_t put = size ? fwrite(data, 1, size, f) : 0;
    return (fclose(f) != 0 || put != size) ? -1 : 0;
}

const char *fz_source_dir(void)
{
#ifdef TW_SOURCE_DIR
    return TW_SOURCE_DIR;
#else
    return ".";
#endif
}

tw_world *fz_world(tw_world **slot, const char *rel)
{
    if (*slot) return *slot;
    char dir[1024];
    tw_error err;
    snprintf(dir, sizeof dir, "%s/%s", fz_source_dir(), rel);
    *slot = tw_world_load(dir, &err);
    fz_check(*slot != NULL, "the fixed worlds load", &err);
    return *slot;
}

void fz_check(int cond, const char *what, const tw_error *err)
{
    if (cond) return;
    char msg[900] = "";
    if (err) tw_error_format(err, msg, sizeof msg);
    fprintf(stderr, "fuzz: property broken: %s%s%s\n", what, err ? ": " : "", msg);
    abort();
}

void fz_check_error(const tw_error *err, const char *call)
{
    char what[128];
    snprintf(what, sizeof what, "%s failed with status %d but no message", call, err->code);
    fz_check(err->code != TW_OK && err->msg[0] != '\0', what, err);
}

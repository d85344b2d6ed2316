/* common.c - what every tradewar subcommand shares: error and usage messages,
 * option values, the embedded data folder, loading a world, opening an output
 * file and applying shock files.
 *
 * The command files depend on this file (and on the library) only; main.c
 * dispatches.  Nothing here exits: helpers print and return an exit code. */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tradewar/error.h"
#include "tradewar/limits.h"
#include "tradewar/policy.h"
#include "tradewar/report.h"
#include "tradewar/solve.h"
#include "tradewar/util.h"
#include "tradewar/world.h"
#include "cli.h"

/* Split "--name=value" or take the next argument as the value. */
int cli_opt_value(int argc, char **argv, int *k, const char *name, const char **val)
{
    size_t len = strlen(name);
    const char *a = argv[*k];
    if (strncmp(a, name, len) != 0) return 0;
    if (a[len] == '=') {
        *val = a + len + 1;
        return 1;
    }
    if (a[len] != '\0') return 0;
    if (*k + 1 >= argc) {
        *val = NULL;
        return 1;
    }
    *val = argv[++*k];
    return 1;
}

void cli_error(const tw_error *e)
{
    char buf[700];
    tw_error_format(e, buf, sizeof buf);
    fprintf(stderr, "tradewar: %s\n", buf);
}

int cli_usage_error(const char *cmd, const char *fmt, const char *arg)
{
    fprintf(stderr, "tradewar: %s: ", cmd);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n  hint: run 'tradewar %s --help'\n", cmd);
    return 2;
}

/* Directory that holds the embedded worlds. */
static const char *data_root(void)
{
    const char *env = getenv("TRADEWAR_DATA");
    if (env && *env) return env;
    struct stat sb;
    if (stat(TW_SOURCE_DATA_DIR "/world2011/countries.csv", &sb) == 0) return TW_SOURCE_DATA_DIR;
    return TW_DATA_DIR;
}

/* One validator per kind of solver option: NULL when v is valid (and stored
 * in *out), else the usage error's format (one %s, the value). */
const char *cli_check_method(const char *v, tw_method *out)
{
    return tw_method_parse(v, out) ? "--method \"%s\" is not newton or tatonnement" : NULL;
}

const char *cli_check_deficits(const char *v, tw_deficits *out)
{
    return tw_deficits_parse(v, out) ? "--deficits \"%s\" is not keep or purge" : NULL;
}

const char *cli_check_tol(const char *v, double *out)
{
    char *end;
    errno = 0;
    double t = strtod(v, &end);
    if (*end || errno || !(t >= TW_TOL_MIN && t <= TW_TOL_MAX))
        return "--tol \"%s\" is not a number in " TW_TOL_RANGE_TEXT;
    *out = t;
    return NULL;
}

const char *cli_check_max_iter(const char *v, long *out)
{
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (*end || errno || n < 1) return "--max-iter \"%s\" is not a positive integer";
    *out = n;
    return NULL;
}

/* The usage error for a validator's answer: 0 when fmt is NULL. */
static int check_failed(const char *cmd, const char *fmt, const char *v)
{
    return fmt ? cli_usage_error(cmd, fmt, v) : 0;
}

int cli_parse_method(const char *cmd, const char *v, tw_method *out)
{
    return check_failed(cmd, cli_check_method(v, out), v);
}

int cli_parse_deficits(const char *cmd, const char *v, tw_deficits *out)
{
    return check_failed(cmd, cli_check_deficits(v, out), v);
}

int cli_parse_tol(const char *cmd, const char *v, double *out)
{
    return check_failed(cmd, cli_check_tol(v, out), v);
}

int cli_parse_max_iter(const char *cmd, const char *v, long *out)
{
    return check_failed(cmd, cli_check_max_iter(v, out), v);
}

const char *cli_data_path(const char *rel, char *buf, size_t size)
{
    snprintf(buf, size, "%s/%s", data_root(), rel);
    return buf;
}

const char *cli_world_path(const char *arg, char *buf, size_t size)
{
    struct stat sb;
    if (!arg) arg = "world2011";
    if (strchr(arg, '/') || (stat(arg, &sb) == 0 && S_ISDIR(sb.st_mode))) return arg;
    snprintf(buf, size, "%s/%s", data_root(), arg);
    if (stat(buf, &sb) == 0 && S_ISDIR(sb.st_mode)) return buf;
    return arg; /* the loader reports what is missing */
}

void cli_warn_baseline_gap(const tw_world *w, const tw_result *r)
{
    size_t n;
    double gap = tw_result_baseline_gap(r, &n);
    if (isnan(gap) || !(fabs(gap) > 0)) return;
    const char *dir = tw_world_dir(w), *base = strrchr(dir, '/');
    base = base && base[1] ? base + 1 : dir;
    fprintf(stderr,
            "tradewar: warning: the baseline of %s is not an equilibrium of the model: a zero "
            "shock moves %s welfare by %+.3g %% (the largest gap), and every change reported "
            "includes that move\n"
            "  hint: use --deficits purge, which starts from an equilibrium\n",
            base, tw_world_country_code(w, n), 100.0 * gap);
}

uint64_t cli_max_input_bytes(uint64_t limit)
{
    const char *v = getenv("TRADEWAR_TEST_MAX_INPUT_BYTES");
    if (!v || !*v) return 0;
    char *end;
    errno = 0;
    unsigned long long n = strtoull(v, &end, 10);
    return (*end || errno || n == 0 || n >= limit) ? 0 : (uint64_t)n;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "unknown world" for a name that is neither a directory nor an embedded
 * world, listing the embedded worlds (the folders of the data directory that
 * hold a countries.csv) and the closest one. */
static void unknown_world(const char *arg, tw_error *err)
{
    enum { MAX_WORLDS = 64 };
    char *names[MAX_WORLDS];
    size_t n = 0;
    const char *root = data_root();
    DIR *d = opendir(root);
    struct dirent *de;
    while (d && n < MAX_WORLDS && (de = readdir(d)) != NULL) {
        char p[4096];
        struct stat sb;
        if (de->d_name[0] == '.') continue;
        snprintf(p, sizeof p, "%s/%s/countries.csv", root, de->d_name);
        if (stat(p, &sb) == 0 && S_ISREG(sb.st_mode) && (names[n] = strdup(de->d_name)) != NULL)
            n++;
    }
    if (d) closedir(d);
    qsort(names, n, sizeof names[0], by_name);
    char known[200] = "";
    for (size_t k = 0; k < n; k++)
        snprintf(known + strlen(known), sizeof known - strlen(known), "%s%s", k ? ", " : "",
                 names[k]);
    const char *near = tw_suggest(arg, (const char *const *)names, n);
    char hint[96] = "";
    if (near) snprintf(hint, sizeof hint, "; did you mean \"%.60s\"?", near);
    if (n)
        tw_error_set(err, TW_EINPUT, NULL, 0, 0,
                     "unknown world \"%.60s\"%s (embedded worlds: %s; or give a path to a world "
                     "directory)", arg, hint, known);
    else
        tw_error_set(err, TW_EINPUT, NULL, 0, 0,
                     "unknown world \"%.60s\" (no embedded worlds in %.80s; give a path to a "
                     "world directory)", arg, root);
    for (size_t k = 0; k < n; k++) free(names[k]);
}

tw_world *cli_load_world(const char *arg, tw_error *err)
{
    char buf[4096];
    const char *path = cli_world_path(arg, buf, sizeof buf);
    struct stat sb;
    /* a bare name that is not a folder here nor in the data directory: a typo
     * or a world this installation does not have, not an I/O error */
    if (arg && path == arg && !strchr(arg, '/') && stat(arg, &sb) != 0) {
        unknown_world(arg, err);
        return NULL;
    }
    return tw_world_load_limited(path, cli_max_input_bytes(TW_INPUT_MAX_BYTES), err);
}

FILE *cli_open_output(const char *path, tw_outfile *o)
{
    if (!path) return stdout;
    tw_error err;
    if (tw_outfile_open(o, path, &err) != TW_OK) {
        cli_error(&err);
        return NULL;
    }
    return o->f;
}

int cli_close_output(FILE *f, tw_outfile *o, int ok)
{
    if (f == stdout) return fflush(stdout) == 0 ? 0 : -1;
    if (!ok) {
        tw_outfile_discard(o);
        return -1;
    }
    return tw_outfile_commit(o, NULL) == TW_OK ? 0 : -1;
}


tw_shock *cli_shock_from_files(const tw_world *w, const char *const *tariffs, size_t nt,
                               const char *const *ntbs, size_t nn, tw_error *err)
{
    tw_shock *shock = tw_shock_create(w, err);
    if (!shock) return NULL;
    uint64_t max_bytes = cli_max_input_bytes(TW_INPUT_MAX_BYTES);
    for (size_t q = 0; q < nt; q++)
        if (tw_shock_load_limited(shock, tariffs[q], 0, max_bytes, err)) goto fail;
    for (size_t q = 0; q < nn; q++)
        if (tw_shock_load_limited(shock, ntbs[q], 1, max_bytes, err)) goto fail;
    return shock;
fail:
    tw_shock_free(shock);
    return NULL;
}

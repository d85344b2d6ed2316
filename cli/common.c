/* common.c - what every tradewar subcommand shares: error and usage messages,
 * option tables and values, the embedded data folder, loading a world,
 * opening an output file and applying shock files.
 *
 * The command files depend on this file (and on the library) only; main.c
 * dispatches.  Nothing here exits: helpers print and return an exit code. */
#include <cjson/cJSON.h>
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

void cli_error(const tw_error *e)
{
    char buf[700];
    tw_error_format(e, buf, sizeof buf);
    fprintf(stderr, "tradewar: %s\n", buf);
}

int cli_fail(const tw_error *e)
{
    if (!e) return 0;
    cli_error(e);
    return tw_status_exit_code(e->code);
}

int cli_usage_error(const char *cmd, const char *fmt, const char *arg)
{
    fprintf(stderr, "tradewar: %s: ", cmd);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n  hint: run 'tradewar %s --help'\n", cmd);
    return 2;
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

int cli_opt_error(const cli_parser *p, const char *fmt, const char *arg)
{
    if (!p->msg) return cli_usage_error(p->cmd, fmt, arg);
    char what[600];
    snprintf(what, sizeof what, fmt, arg);
    snprintf(p->msg, p->msg_size, "tradewar: %s: %s\n  hint: run 'tradewar %s --help'", p->cmd,
             what, p->cmd);
    return 2;
}

/* "--name=value" or "--name value" (the value NULL when missing, k moved past
 * a value taken from the next argument): 1 when argv[*k] is the option. */
static int opt_value(int argc, char **argv, int *k, const char *name, const char **val)
{
    size_t len = strlen(name);
    const char *a = argv[*k];
    if (strncmp(a, name, len) != 0) return 0;
    if (a[len] == '=') {
        *val = a + len + 1;
        return 1;
    }
    if (a[len] != '\0') return 0;
    *val = *k + 1 < argc ? argv[++*k] : NULL;
    return 1;
}

static int takes_value(const cli_opt *o)
{
    return o->kind != CLI_OPT_FLAG && o->kind != CLI_OPT_SET;
}

/* The row argv[*k] names (its value in *v), or NULL. */
static const cli_opt *find_opt(const cli_opt *opts, int argc, char **argv, int *k, const char **v)
{
    for (const cli_opt *o = opts; o->name; o++) {
        if (!takes_value(o) && !strcmp(argv[*k], o->name)) return o;
        if (takes_value(o) && opt_value(argc, argv, k, o->name, v)) return o;
    }
    return NULL;
}

/* A whole number in [lo, hi], or -1. */
static int whole_in(const char *v, double lo, double hi, long *out)
{
    char *end;
    errno = 0;
    long x = strtol(v, &end, 10);
    if (!*v || *end || errno || v[0] == '-' || (double)x < lo || (double)x > hi) return -1;
    *out = x;
    return 0;
}

/* A number in [lo, hi], or -1. */
static int number_in(const char *v, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double x = strtod(v, &end);
    if (*end || errno || !(x >= lo && x <= hi)) return -1;
    *out = x;
    return 0;
}

static int choice(const char *const *names, const char *v, int *out)
{
    for (int q = 0; names[q]; q++)
        if (!strcmp(names[q], v)) {
            *out = q;
            return 0;
        }
    return -1;
}

/* The error format for v as o's value, NULL when v is taken. */
static const char *take(const cli_opt *o, const char *v)
{
    switch (o->kind) {
    case CLI_OPT_FLAG: *o->to.i = 1; return NULL;
    case CLI_OPT_SET: *o->to.i = o->n; return NULL;
    case CLI_OPT_STRING: *o->to.s = v; return NULL;
    case CLI_OPT_LIST:
        if (*o->count == o->max) return o->text;
        o->to.list[(*o->count)++] = v;
        return NULL;
    case CLI_OPT_TOL: return cli_check_tol(v, o->to.d);
    case CLI_OPT_METHOD: return cli_check_method(v, o->to.method);
    case CLI_OPT_DEFICITS: return cli_check_deficits(v, o->to.deficits);
    case CLI_OPT_MAX_ITER: return cli_check_max_iter(v, o->to.l);
    case CLI_OPT_LONG: return whole_in(v, o->lo, o->hi, o->to.l) ? o->text : NULL;
    case CLI_OPT_NUM: return number_in(v, o->lo, o->hi, o->to.d) ? o->text : NULL;
    case CLI_OPT_CHOICE: return choice(o->choices, v, o->to.i) ? o->text : NULL;
    case CLI_OPT_SETTER: break;
    }
    return NULL;
}

/* One argument (k moves past a value taken): 0, or the exit code. */
static int parse_arg(const cli_parser *p, int argc, char **argv, int *k)
{
    const char *a = argv[*k], *v = NULL;
    const cli_opt *o = find_opt(p->opts, argc, argv, k, &v);
    if (!o && p->positional && !(a[0] == '-' && a[1])) return p->positional(p, *k, a);
    if (!o) return cli_opt_error(p, p->unknown ? p->unknown : "unknown option \"%s\"", a);
    if (o->kind == CLI_OPT_SETTER && (v || o->optional)) return o->set(p, o, v);
    if (!v && takes_value(o)) return cli_opt_error(p, "option %s needs a value", o->name);
    const char *fmt = take(o, v);
    if (!fmt) return 0;
    return cli_opt_error(p, fmt, o->kind == CLI_OPT_LIST ? o->name : v);
}

int cli_parse_opts(const cli_parser *p, int argc, char **argv)
{
    for (int k = 1 + p->skip; k < argc; k++) {
        if (!strcmp(argv[k], "--help") || !strcmp(argv[k], "-h")) {
            if (p->usage) fputs(p->usage, stdout);
            return 0;
        }
        int rc = parse_arg(p, argc, argv, &k);
        if (rc) return rc;
    }
    return -1;
}

const char *cli_data_path(const char *rel, char *buf, size_t size)
{
    snprintf(buf, size, "%s/%s", tw_data_dir(), rel);
    return buf;
}

const char *cli_world_path(const char *arg, char *buf, size_t size)
{
    return tw_world_path(arg ? arg : "world2011", buf, size);
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
    const char *root = tw_data_dir();
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

tw_world *cli_load_world_with(const char *arg, const char *elasticities, tw_error *err)
{
    tw_world *w = cli_load_world(arg, err), *c = NULL;
    if (!w || !elasticities) return w;
    if (tw_world_apply_elasticities(w, elasticities, cli_max_input_bytes(TW_INPUT_MAX_BYTES), &c,
                                    err) != TW_OK &&
        err && !err->file[0])
        snprintf(err->field, sizeof err->field, "--elasticities");
    tw_world_free(w);
    return c;
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

int cli_write_output(const char *path, const char *what, int (*write)(FILE *f, const void *ud),
                     const void *ud)
{
    tw_outfile of;
    FILE *f = cli_open_output(path, &of);
    if (!f) return 3;
    int ok = write(f, ud) == 0;
    if (cli_close_output(f, &of, ok) != 0 || !ok) {
        fprintf(stderr, "tradewar: %s: cannot write the %s\n", path ? path : "stdout", what);
        return 3;
    }
    return 0;
}

/* A device or a FIFO: written in place, no file can go beside it. */
static int is_stream(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && (S_ISCHR(sb.st_mode) || S_ISBLK(sb.st_mode) ||
                                    S_ISFIFO(sb.st_mode));
}

/* path with its ".csv" (if any) replaced by suffix; 0, or -1 when too long. */
static int beside(const char *path, const char *suffix, char *buf, size_t size)
{
    size_t len = strlen(path);
    if (len > 4 && strcmp(path + len - 4, ".csv") == 0) len -= 4;
    int n = snprintf(buf, size, "%.*s%s", (int)len, path, suffix);
    return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* The .meta.json text: meta_json without the rows now in the tables (its
 * members named as a table), with "tables" naming each file (by its last
 * part: the files lie side by side); NULL when out of memory. */
static char *tables_meta(const char *meta_json, const cli_table *t, size_t n,
                         char (*paths)[TW_OUTFILE_PATH_MAX])
{
    cJSON *root = cJSON_Parse(meta_json ? meta_json : "{}");
    for (size_t k = 0; root && k < n; k++) cJSON_DeleteItemFromObject(root, t[k].name);
    cJSON *files = root ? cJSON_AddObjectToObject(root, "tables") : NULL;
    for (size_t k = 0; files && k < n; k++) {
        const char *base = strrchr(paths[k], '/');
        if (!cJSON_AddStringToObject(files, t[k].name, base ? base + 1 : paths[k])) files = NULL;
    }
    char *txt = files ? cJSON_Print(root) : NULL;
    cJSON_Delete(root);
    return txt;
}

static int write_text(FILE *f, const void *ud)
{
    return fprintf(f, "%s\n", (const char *)ud) < 0 ? -1 : 0;
}

/* Open, write and close every file of out[0..n) (the temporary files stay);
 * 0, or 3 after printing why (everything discarded). */
static int write_all(tw_outfile *out, char (*paths)[TW_OUTFILE_PATH_MAX], const cli_table *t,
                     size_t n, const char *meta, const char *what)
{
    size_t opened = 0;
    int ok = 1;
    for (; opened <= n && ok; opened++) ok = cli_open_output(paths[opened], &out[opened]) != NULL;
    if (!ok) opened--;
    for (size_t k = 0; k <= n && ok; k++) {
        int wrote = k < n ? t[k].write(out[k].f, t[k].ud) : write_text(out[k].f, meta);
        tw_error err;
        if (wrote != 0 || tw_outfile_close(&out[k], &err) != TW_OK) {
            fprintf(stderr, "tradewar: %s: cannot write the %s%s\n", paths[k],
                    k == 0 ? what : k < n ? t[k].name : "meta", k == 0 ? "" : k < n ? " table" : " file");
            ok = 0;
        }
    }
    if (ok) return 0;
    for (size_t k = 0; k < opened; k++) tw_outfile_discard(&out[k]);
    return 3;
}

int cli_write_tables(const char *cmd, const char *what, const char *path, const cli_table *t,
                     size_t n, const char *meta_json)
{
    enum { MAX_TABLES = 8 };
    if (!path || is_stream(path)) {
        if (n > 1)
            return cli_usage_error(cmd, "%s: the tables go to files of their own (give --output "
                                        "FILE.csv)", path ? path : "standard output");
        return cli_write_output(path, what, t[0].write, t[0].ud);
    }
    if (n == 0 || n >= MAX_TABLES) return 3;
    char paths[MAX_TABLES][TW_OUTFILE_PATH_MAX];
    snprintf(paths[0], sizeof paths[0], "%s", path);
    for (size_t k = 1; k <= n; k++) {
        if (beside(path, k < n ? t[k].suffix : ".meta.json", paths[k], sizeof paths[k]) != 0) {
            fprintf(stderr, "tradewar: %s: the path is too long\n", path);
            return 3;
        }
    }
    char *meta = tables_meta(meta_json, t, n, paths);
    if (!meta) {
        fprintf(stderr, "tradewar: %s: out of memory\n", path);
        return 3;
    }
    tw_outfile out[MAX_TABLES];
    int rc = write_all(out, paths, t, n, meta, what);
    free(meta);
    for (size_t k = 0; k <= n && rc == 0; k++) {
        tw_error err;
        if (tw_outfile_publish(&out[k], &err) != TW_OK) {
            cli_error(&err);
            for (size_t q = k + 1; q <= n; q++) tw_outfile_discard(&out[q]);
            rc = 3;
        }
    }
    return rc;
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

tw_result *cli_solve_files(const tw_world *w, const char *const *tariffs, size_t nt,
                           const char *const *ntbs, size_t nn, const cli_solve_opts *so,
                           double *seconds, tw_error *err)
{
    tw_result *r = NULL;
    tw_solver *s = NULL;
    tw_shock *shock = cli_shock_from_files(w, tariffs, nt, ntbs, nn, err);
    if (shock) s = tw_solver_create(w, err);
    if (s) {
        tw_solver_set_tol(s, so->tol);
        tw_solver_set_method(s, so->method);
        tw_solver_set_deficits(s, so->deficits);
        tw_solver_set_step(s, so->step);
        tw_solver_set_max_iter(s, (size_t)so->max_iter);
        double t0 = tw_clock_seconds();
        r = tw_solver_run(s, shock, err);
        *seconds = tw_clock_seconds() - t0;
    }
    tw_solver_free(s);
    tw_shock_free(shock);
    return r;
}

int cli_copy_world_file(const char *from, const char *to, const char *name)
{
    char src[4200], dst[4200], buf[8192];
    snprintf(src, sizeof src, "%s/%s", from, name);
    snprintf(dst, sizeof dst, "%s/%s", to, name);
    FILE *in = fopen(src, "rb");
    if (!in) {
        if (errno == ENOENT) return 0;
        fprintf(stderr, "tradewar: %s: cannot read\n", src);
        return 3;
    }
    tw_outfile o;
    tw_error err;
    if (tw_outfile_open(&o, dst, &err) != TW_OK) {
        fclose(in);
        return cli_fail(&err);
    }
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0) fwrite(buf, 1, n, o.f);
    int bad = ferror(in);
    fclose(in);
    if (bad) {
        tw_outfile_discard(&o);
        fprintf(stderr, "tradewar: %s: cannot read\n", src);
        return 3;
    }
    return tw_outfile_commit(&o, &err) == TW_OK ? 0 : cli_fail(&err);
}

/* The command line as one string, for the README. */
static char *command_line(int argc, char **argv)
{
    size_t len = 16;
    for (int k = 0; k < argc; k++) len += strlen(argv[k]) + 3;
    char *s = malloc(len);
    if (!s) return NULL;
    strcpy(s, "tradewar");
    for (int k = 0; k < argc; k++) {
        int quote = strpbrk(argv[k], " \t\"'$;&|<>()*?") != NULL;
        strcat(s, quote ? " '" : " ");
        strcat(s, argv[k]);
        if (quote) strcat(s, "'");
    }
    return s;
}

tw_world *cli_publish_draft(tw_draft *d, const char *out, int argc, char **argv, int *rc)
{
    tw_error err;
    tw_error_clear(&err);
    char *cmd = command_line(argc, argv);
    if (cmd) tw_draft_set_command(d, cmd, &err);
    free(cmd);
    for (size_t k = 0; k < tw_draft_n_repairs(d); k++)
        fprintf(stderr, "tradewar: warning: repair: %s\n", tw_draft_repair(d, k));
    for (size_t k = 0; k < tw_draft_n_notes(d); k++)
        fprintf(stderr, "tradewar: note: %s\n", tw_draft_note(d, k));
    if (tw_draft_write(d, out, &err) != TW_OK) {
        *rc = cli_fail(&err);
        return NULL;
    }
    tw_world *w = tw_world_load(out, &err);
    if (!w) {
        cli_error(&err);
        fprintf(stderr, "  hint: the world written to %s does not load; please report this\n", out);
        *rc = tw_status_exit_code(err.code);
    }
    return w;
}

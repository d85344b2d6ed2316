/* helpers.h - shared by the tests of tests/import (with ../common/fixtures.h
 * for loading, scratch folders and tolerances): writing
 * a known world in the published source layouts (ICIO matrix, WIOD matrix and
 * long), comparing two worlds, and running the tradewar command.
 *
 * Everything here is static inline so each test file takes what it uses. */
#ifndef TW_TESTS_IMPORT_HELPERS_H
#define TW_TESTS_IMPORT_HELPERS_H

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tradewar/data.h"
#include "tradewar/solve.h"
#include "tradewar/world.h"
#include "core/index.h"
#include "world/world_impl.h"
#include "../common/fixtures.h"

static inline char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    size_t got = fread(s, 1, (size_t)n, f);
    s[got] = '\0';
    fclose(f);
    return s;
}

static inline int file_has(const char *path, const char *text)
{
    char *s = slurp(path);
    int yes = s && strstr(s, text) != NULL;
    free(s);
    return yes;
}

static inline int file_exists(const char *path)
{
    return access(path, F_OK) == 0;
}

/* Run "tradewar ARGS" with stdout and stderr into files; the exit code. */
static inline int run_cli(const char *args, const char *out, const char *errf)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "%s/tradewar %s >%s 2>%s", TW_BINARY_DIR, args, out, errf);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Write draft d to dir, free it, and load what was written. */
static inline tw_world *write_and_load(tw_draft *d, const char *dir)
{
    tw_error err;
    if (tw_draft_write(d, dir, &err) != TW_OK) fail_msg("writing %s: %s", dir, err.msg);
    tw_draft_free(d);
    return fx_load(dir);
}

/* out and errf (128 bytes each) become dir/stdout and dir/stderr, for run_cli. */
static inline void cli_files(const char *dir, char *out, char *errf)
{
    fx_path(out, 128, dir, "stdout");
    fx_path(errf, 128, dir, "stderr");
}

/* ---- a known world in the source layouts --------------------------------- */

/* Intermediate flow from (o,k) to industry j of d: n's purchases of input k,
 * split over origins in proportion to its purchases of k (the model's own
 * sourcing rule), so that summing over origins gives the io share back. */
static inline double z_of(const tw_base *b, size_t o, size_t k, size_t d, size_t j)
{
    size_t N = b->N, J = b->J;
    double tot = 0;
    for (size_t i = 0; i < N; i++) tot += b->trade[tw_ix_nij(N, J, d, i, k)];
    if (!(tot > 0)) return 0;
    return b->io[tw_ix_nkj(J, d, k, j)] * b->Y[tw_ix_nj(J, d, j)] *
           (b->trade[tw_ix_nij(N, J, d, o, k)] / tot);
}

static inline double final_of(const tw_base *b, size_t o, size_t k, size_t d)
{
    double f = b->trade[tw_ix_nij(b->N, b->J, d, o, k)];
    for (size_t j = 0; j < b->J; j++) f -= z_of(b, o, k, d, j);
    return f;
}

static const char *const icio_fd[6] = {"HFCE", "NPISH", "GGFC", "GFCF", "INVNT", "DPABR"};

static inline void write_icio(const tw_world *w, const char *path)
{
    const tw_base *b = w->base;
    size_t N = b->N, J = b->J;
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("V1", f);
    for (size_t d = 0; d < N; d++)
        for (size_t j = 0; j < J; j++) fprintf(f, ",%s_%s", w->ccode[d], w->scode[j]);
    for (size_t d = 0; d < N; d++)
        for (size_t c = 0; c < 6; c++) fprintf(f, ",%s_%s", w->ccode[d], icio_fd[c]);
    fputs(",OUT\n", f);
    for (size_t o = 0; o < N; o++)
        for (size_t k = 0; k < J; k++) {
            fprintf(f, "%s_%s", w->ccode[o], w->scode[k]);
            for (size_t d = 0; d < N; d++)
                for (size_t j = 0; j < J; j++) fprintf(f, ",%.17g", z_of(b, o, k, d, j));
            /* final demand: households, with a tenth booked as fixed capital */
            for (size_t d = 0; d < N; d++) {
                double fd = final_of(b, o, k, d);
                fprintf(f, ",%.17g,0,0,%.17g,0,0", fd - 0.1 * fd, 0.1 * fd);
            }
            fprintf(f, ",%.17g\n", b->Y[tw_ix_nj(J, o, k)]);
        }
    const char *tot[3] = {"TLS", "VA", "OUT"};
    for (size_t t = 0; t < 3; t++) {
        fputs(tot[t], f);
        for (size_t d = 0; d < N; d++)
            for (size_t j = 0; j < J; j++) {
                double y = b->Y[tw_ix_nj(J, d, j)], in = 0;
                for (size_t k = 0; k < J; k++) in += b->io[tw_ix_nkj(J, d, k, j)] * y;
                fprintf(f, ",%.17g", t == 0 ? 0.0 : t == 1 ? y - in : y);
            }
        for (size_t c = 0; c < 6 * N + 1; c++) fputs(",0", f);
        fputc('\n', f);
    }
    fclose(f);
}

/* WIOD matrix: IndustryCode,IndustryDescription,Country,RNr,Year,<C><use>...,TOT;
 * v = "v" gives the Stata names (vAUS1). */
static inline void write_wiod_matrix(const tw_world *w, const char *path, const char *v)
{
    const tw_base *b = w->base;
    size_t N = b->N, J = b->J;
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("IndustryCode,IndustryDescription,Country,RNr,Year", f);
    for (size_t d = 0; d < N; d++)
        for (size_t j = 0; j < J; j++) fprintf(f, ",%s%s%zu", v, w->ccode[d], j + 1);
    for (size_t d = 0; d < N; d++)
        for (size_t u = J; u < J + 5; u++) fprintf(f, ",%s%s%zu", v, w->ccode[d], u + 1);
    fputs(",TOT\n", f);
    for (size_t o = 0; o < N; o++)
        for (size_t k = 0; k < J; k++) {
            fprintf(f, "%s,\"%s\",%s,%zu,2014", w->scode[k], w->sname[k], w->ccode[o], k + 1);
            for (size_t d = 0; d < N; d++)
                for (size_t j = 0; j < J; j++) fprintf(f, ",%.17g", z_of(b, o, k, d, j));
            for (size_t d = 0; d < N; d++) {
                double fd = final_of(b, o, k, d);
                fprintf(f, ",%.17g,0,%.17g,0,0", 0.5 * fd, fd - 0.5 * fd);
            }
            fprintf(f, ",%.17g\n", b->Y[tw_ix_nj(J, o, k)]);
        }
    fputs("VA,Value added at basic prices,TOT,70,2014", f);
    for (size_t c = 0; c < N * (J + 5) + 1; c++) fputs(",0", f);
    fputc('\n', f);
    fclose(f);
}

/* WIOD long: ...,Country,RNr,Year,destination,use,flow; zero cells left out. */
static inline void write_wiod_long(const tw_world *w, const char *path)
{
    const tw_base *b = w->base;
    size_t N = b->N, J = b->J;
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("IndustryCode,IndustryDescription,Country,RNr,Year,destination,use,flow\n", f);
    for (size_t o = 0; o < N; o++)
        for (size_t k = 0; k < J; k++) {
            const char *pre = w->scode[k];
            for (size_t d = 0; d < N; d++) {
                for (size_t j = 0; j < J; j++) {
                    double z = z_of(b, o, k, d, j);
                    if (z != 0)
                        fprintf(f, "%s,\"%s\",%s,%zu,2014,%s,%zu,%.17g\n", pre, w->sname[k],
                                w->ccode[o], k + 1, w->ccode[d], j + 1, z);
                }
                fprintf(f, "%s,\"%s\",%s,%zu,2014,%s,CONS_h,%.17g\n", pre, w->sname[k],
                        w->ccode[o], k + 1, w->ccode[d], final_of(b, o, k, d));
            }
            fprintf(f, "%s,\"%s\",%s,%zu,2014,TOT,%zu,%.17g\n", pre, w->sname[k], w->ccode[o],
                    k + 1, J + 6, b->Y[tw_ix_nj(J, o, k)]);
        }
    fclose(f);
}

static inline void write_side_tables(const tw_world *w, const char *sectors,
                                     const char *tariffs, const char *names)
{
    const tw_base *b = w->base;
    size_t N = b->N, J = b->J;
    FILE *f = fopen(sectors, "w");
    assert_non_null(f);
    fputs("code,name,theta,tradable\n", f);
    for (size_t j = 0; j < J; j++)
        fprintf(f, "%s,\"%s\",%.17g,%d\n", w->scode[j], w->sname[j], b->theta[j], b->tradable[j]);
    fclose(f);
    assert_non_null(f = fopen(tariffs, "w"));
    fputs("importer,exporter,sector,rate\n", f);
    for (size_t n = 0; n < N; n++)
        for (size_t i = 0; i < N; i++)
            for (size_t j = 0; j < J; j++) {
                double t = b->tau[tw_ix_nij(N, J, n, i, j)];
                if (t != 0) fprintf(f, "%s,%s,%s,%.17g\n", w->ccode[n], w->ccode[i], w->scode[j], t);
            }
    fclose(f);
    assert_non_null(f = fopen(names, "w"));
    fputs("code,name\n", f);
    for (size_t n = 0; n < N; n++) fprintf(f, "%s,\"%s\"\n", w->ccode[n], w->cname[n]);
    fclose(f);
}

/* Same codes, names, theta, flows, tariffs and shares within tol. */
static inline void check_same_world(const tw_world *a, const tw_world *b, double tol)
{
    const tw_base *x = a->base, *y = b->base;
    assert_int_equal(x->N, y->N);
    assert_int_equal(x->J, y->J);
    size_t N = x->N, J = x->J;
    for (size_t n = 0; n < N; n++) {
        assert_string_equal(a->ccode[n], b->ccode[n]);
        assert_string_equal(a->cname[n], b->cname[n]);
    }
    for (size_t j = 0; j < J; j++) {
        assert_string_equal(a->scode[j], b->scode[j]);
        assert_string_equal(a->sname[j], b->sname[j]);
        assert_int_equal(x->tradable[j], y->tradable[j]);
    }
    fx_assert_arrays_close("theta", x->theta, y->theta, J, tol);
    fx_assert_arrays_close("trade", x->trade, y->trade, N * N * J, tol);
    fx_assert_arrays_close("tau", x->tau, y->tau, N * N * J, tol);
    fx_assert_arrays_close("io", x->io, y->io, N * J * J, tol);
    fx_assert_arrays_close("va", x->va, y->va, N * J, tol);
    fx_assert_arrays_close("alpha", x->alpha, y->alpha, N * J, tol);
}

/* Solve the zero shock and check nothing moves. */
static inline void check_zero_shock(const tw_world *w, double tol)
{
    tw_error err;
    tw_solver *s = tw_solver_create(w, &err);
    assert_non_null(s);
    tw_result *r = tw_solver_run(s, NULL, &err);
    if (!r) fail_msg("zero shock: %s", err.msg);
    size_t N = tw_world_n_countries(w), J = tw_world_n_sectors(w);
    for (size_t n = 0; n < N; n++) {
        if (!fx_close(tw_result_welfare_hat(r, n), 1.0, tol))
            fail_msg("zero shock moves welfare of %s: %.17g", tw_world_country_code(w, n),
                     tw_result_welfare_hat(r, n));
        for (size_t j = 0; j < J; j++)
            assert_true(fx_close(tw_result_P_hat(r)[n * J + j], 1.0, tol));
    }
    tw_result_free(r);
    tw_solver_free(s);
}

#endif

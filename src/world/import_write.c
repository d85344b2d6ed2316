/* import_write.c - writing a draft as a world directory.
 *
 * The directory and any missing parents are made first.  Every file is
 * written as an output (tradewar/outfile.h: a temporary name beside it) and
 * renamed only when all of them are complete, so a failed write leaves the old
 * directory as it was (nothing half-written).  Numbers are printed in the
 * shortest form that reads back to the same double, in the "C" numeric locale
 * whatever the process locale, so a written world loads to exactly the values
 * held in memory.  World files the draft does not produce are removed after the
 * renames, so an old io.csv cannot mix with new flows. */
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/index.h"
#include "core/num.h"
#include "tradewar/outfile.h"
#include "world/import_impl.h"

enum {
    F_COUNTRIES, F_SECTORS, F_TRADE, F_TARIFFS, F_IO, F_VA, F_FD, F_HHC, F_HHS, F_LAYERS,
    F_META, F_README, F_N
};

static const char *const file_names[F_N] = {
    "countries.csv", "sectors.csv", "trade.csv", "tariffs.csv", "io.csv",
    "value_added.csv", "final_demand.csv", "household_consumption.csv", "households.csv",
    "baseline_layers.csv", "meta.csv", "README.md"};

typedef struct writer {
    locale_t loc;
    char path[F_N][4200];
    tw_outfile out[F_N];
    int used[F_N];
} writer;

/* Shortest of %.15g, %.16g, %.17g that parses back to v. */
void tw_csv_put_num(FILE *f, double v, locale_t loc)
{
    char buf[40];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, v);
        double back;
        if (tw_num_parse(buf, loc, &back) == TW_NUM_OK && back == v) break;
    }
    fputs(buf, f);
}

/* RFC 4180: quote a field that holds a comma, quote, line break or edge space. */
void tw_csv_put_field(FILE *f, const char *s)
{
    size_t len = strlen(s);
    int quote = len > 0 && (s[0] == ' ' || s[len - 1] == ' ');
    for (const char *p = s; *p && !quote; p++) quote = *p == ',' || *p == '"' || *p == '\n' || *p == '\r';
    if (!quote) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (const char *p = s; *p; p++) {
        if (*p == '"') fputc('"', f);
        fputc(*p, f);
    }
    fputc('"', f);
}

/* A row of two text fields. */
static void put_pair(FILE *f, const char *a, const char *b)
{
    tw_csv_put_field(f, a);
    fputc(',', f);
    tw_csv_put_field(f, b);
    fputc('\n', f);
}

static void write_countries(FILE *f, const tw_draft *d)
{
    fputs("code,name\n", f);
    for (size_t n = 0; n < d->N; n++) put_pair(f, d->ccode[n], d->cname[n]);
}

static void write_sectors(FILE *f, const tw_draft *d, locale_t loc)
{
    fputs("code,name,theta,tradable\n", f);
    for (size_t j = 0; j < d->J; j++) {
        tw_csv_put_field(f, d->scode[j]);
        fputc(',', f);
        tw_csv_put_field(f, d->sname[j]);
        fputc(',', f);
        tw_csv_put_num(f, d->theta[j], loc);
        fprintf(f, ",%d\n", d->tradable[j] ? 1 : 0);
    }
}

/* One row of a share or cell file: the n codes, then the value. */
static void put_row(FILE *f, const char *const *codes, size_t n, double v, locale_t loc)
{
    for (size_t k = 0; k < n; k++) {
        tw_csv_put_field(f, codes[k]);
        fputc(',', f);
    }
    tw_csv_put_num(f, v, loc);
    fputc('\n', f);
}

/* trade.csv or tariffs.csv: the cells that are not zero. */
static void write_cells(FILE *f, const tw_draft *d, const double *v, const char *col,
                        locale_t loc)
{
    size_t N = d->N, J = d->J;
    fprintf(f, "importer,exporter,sector,%s\n", col);
    for (size_t n = 0; n < N; n++)
        for (size_t j = 0; j < J; j++)
            for (size_t i = 0; i < N; i++) {
                double x = v[tw_ix_nij(N, J, n, i, j)];
                if (x == 0) continue;
                put_row(f, (const char *[]){d->ccode[n], d->ccode[i], d->scode[j]}, 3, x, loc);
            }
}

static void write_io(FILE *f, const tw_draft *d, locale_t loc)
{
    size_t N = d->N, J = d->J;
    fputs("country,input,output,share\n", f);
    for (size_t n = 0; n < N; n++)
        for (size_t j = 0; j < J; j++)
            for (size_t k = 0; k < J; k++) {
                double s = d->io[tw_ix_nkj(J, n, k, j)];
                if (s == 0) continue;
                put_row(f, (const char *[]){d->ccode[n], d->scode[k], d->scode[j]}, 3, s, loc);
            }
}

/* value_added.csv or final_demand.csv from levels: shares of gross output
 * (value added) or of the country's total final demand. */
static void write_country_shares(FILE *f, const tw_draft *d, const double *level,
                                 const double *Y, locale_t loc)
{
    size_t N = d->N, J = d->J;
    fputs("country,sector,share\n", f);
    for (size_t n = 0; n < N; n++) {
        double total = 0;
        if (!Y)
            for (size_t j = 0; j < J; j++) total += level[tw_ix_nj(J, n, j)];
        for (size_t j = 0; j < J; j++) {
            double den = Y ? Y[tw_ix_nj(J, n, j)] : total;
            if (!(den > 0)) continue;
            put_row(f, (const char *[]){d->ccode[n], d->scode[j]}, 2,
                    level[tw_ix_nj(J, n, j)] / den, loc);
        }
    }
}

static void write_meta(FILE *f, const tw_draft *d)
{
    fputs("key,value\n", f);
    for (size_t k = 0; k < d->meta_keys.n; k++) put_pair(f, d->meta_keys.code[k], d->meta_val[k]);
}

static const char *meta_of(const tw_draft *d, const char *key)
{
    long k = tw_codes_find(&d->meta_keys, key);
    return k >= 0 ? d->meta_val[k] : NULL;
}

/* household_consumption.csv: every country and sector, in levels. */
static void write_consumption(FILE *f, const tw_draft *d, locale_t loc)
{
    fputs("country,sector,value\n", f);
    for (size_t n = 0; n < d->N; n++)
        for (size_t j = 0; j < d->J; j++)
            put_row(f, (const char *[]){d->ccode[n], d->scode[j]}, 2,
                    d->hh_level[tw_ix_nj(d->J, n, j)], loc);
}

/* households.csv: the countries with a count, in the world's data year. */
static void write_households(FILE *f, const tw_draft *d, locale_t loc)
{
    const char *year = meta_of(d, "year");
    fputs("country,households,year,source\n", f);
    for (size_t n = 0; n < d->N; n++) {
        if (!(d->households[n] > 0)) continue;
        tw_csv_put_field(f, d->ccode[n]);
        fputc(',', f);
        tw_csv_put_num(f, d->households[n], loc);
        fputc(',', f);
        put_pair(f, year ? year : "", d->households_source ? d->households_source : "");
    }
}

/* baseline_layers.csv: per layer its cells with a contribution, share =
 * contribution / rate. */
static void write_layers(FILE *f, const tw_draft *d, locale_t loc)
{
    size_t N = d->N, J = d->J, nij = N * N * J;
    fputs("layer,importer,exporter,sector,rate,share\n", f);
    for (size_t k = 0; k < d->n_layers; k++)
        for (size_t c = 0; c < nij; c++) {
            double v = d->layer_v[k * nij + c], rate = d->layer_rate[k * nij + c];
            if (!(v > 0 && rate > 0)) continue;
            size_t n = c / (N * J), i = c / J % N, j = c % J;
            const char *key[] = {d->layer_name[k], d->ccode[n], d->ccode[i], d->scode[j]};
            for (size_t q = 0; q < 4; q++) {
                tw_csv_put_field(f, key[q]);
                fputc(',', f);
            }
            tw_csv_put_num(f, rate, loc);
            fputc(',', f);
            double share = v / rate;
            tw_csv_put_num(f, share < 1 ? share : 1, loc);
            fputc('\n', f);
        }
}

static void list_codes(FILE *f, char **codes, size_t n)
{
    size_t shown = n <= 40 ? n : 30;
    for (size_t k = 0; k < shown; k++) fprintf(f, "%s%s", k ? " " : "", codes[k]);
    if (shown < n) fprintf(f, " ... (%zu more)", n - shown);
}

static void write_lines(FILE *f, const tw_lines *l, const char *none)
{
    if (l->n == 0) fprintf(f, "%s\n", none);
    for (size_t k = 0; k < l->n; k++) fprintf(f, "- %s\n", l->line[k]);
}

static void write_readme(FILE *f, const tw_draft *d, const char *dir, const writer *w)
{
    const char *base = strrchr(dir, '/');
    base = base && base[1] ? base + 1 : dir;
    size_t ntrad = 0;
    for (size_t j = 0; j < d->J; j++) ntrad += d->tradable[j] != 0;
    fprintf(f, "# %s\n\n", base);
    if (!strcmp(d->kind, "aggregate") || !strcmp(d->kind, "rebase") || !strcmp(d->kind, "split"))
        fprintf(f, "Made by `tradewar %s` from the world `%s`.\n\n", d->kind, d->source ? d->source : "?");
    else
        fprintf(f, "Made by `tradewar import %s` from `%s`.\n\n", d->kind, d->source ? d->source : "?");
    fputs("| | |\n|---|---|\n", f);
    fprintf(f, "| countries | %zu: ", d->N);
    list_codes(f, d->ccode, d->N);
    fprintf(f, " |\n| sectors | %zu (%zu tradable): ", d->J, ntrad);
    list_codes(f, d->scode, d->J);
    const char *keys[] = {"year", "tariff_year", "units", "source"};
    const char *labels[] = {"year", "tariff year", "units", "source"};
    fputs(" |\n", f);
    for (size_t k = 0; k < 4; k++) {
        const char *v = meta_of(d, keys[k]);
        fprintf(f, "| %s | %s |\n", labels[k], v ? v : "not stated");
    }
    fputs("| files |", f);
    for (size_t k = 0; k < F_README; k++)
        if (w->used[k]) fprintf(f, " %s", file_names[k]);
    fputs(" |\n\n", f);
    if (d->command) fprintf(f, "Command:\n\n```sh\n%s\n```\n\n", d->command);
    fputs(!strcmp(d->kind, "aggregate") ? "## How the world was aggregated\n\n"
          : !strcmp(d->kind, "rebase")  ? "## How the world was rebased\n\n"
          : !strcmp(d->kind, "split")   ? "## How the region was split\n\n"
                                        : "## How the source was read\n\n", f);
    write_lines(f, &d->conventions, "As the files say.");
    fputs("\nGross output of a country-sector is its total sales (the sum of its `trade.csv`\n"
          "column), so the files are exactly consistent with each other.\n", f);
    if (w->used[F_IO])
        fputs("`io.csv` shares are purchases of an input (from all origins) divided by the buying\n"
              "industry's gross output.\n", f);
    else
        fputs("There are no intermediate inputs (no `io.csv`).\n", f);
    if (!w->used[F_VA] && w->used[F_IO])
        fputs("`value_added.csv` is absent: value-added shares are 1 minus the input shares\n"
              "(so they include taxes less subsidies on products and margins).\n", f);
    if (!w->used[F_FD])
        fputs("`final_demand.csv` is absent: final-demand shares are derived from market clearing\n"
              "(docs/model.md), which makes the baseline an exact equilibrium: a zero shock\n"
              "changes nothing.\n", f);
    fprintf(f, "\n## Repairs made to the source (%zu)\n\n", d->repairs.n);
    write_lines(f, &d->repairs, "None.");
    if (d->notes.n) {
        fputs("\n## Notes\n\n", f);
        write_lines(f, &d->notes, "");
    }
}

static tw_status fail_io(tw_error *err, const char *path, const char *what, int e)
{
    return tw_error_set(err, TW_EIO, path, 0, 0, "%s: %s", what, strerror(e));
}

static void discard(writer *w)
{
    for (size_t k = 0; k < F_N; k++)
        if (w->used[k]) tw_outfile_discard(&w->out[k]);
}

static int any_nonzero(const double *v, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (v[k] != 0) return 1;
    return 0;
}

/* File k of the world (Y: gross output, for value_added.csv). */
static void write_file(size_t k, FILE *f, const tw_draft *d, const char *dir, const writer *w,
                       const double *Y)
{
    switch (k) {
    case F_COUNTRIES: write_countries(f, d); break;
    case F_SECTORS: write_sectors(f, d, w->loc); break;
    case F_TRADE: write_cells(f, d, d->trade, "value", w->loc); break;
    case F_TARIFFS: write_cells(f, d, d->tau, "rate", w->loc); break;
    case F_IO: write_io(f, d, w->loc); break;
    case F_VA: write_country_shares(f, d, d->va_level, Y, w->loc); break;
    case F_FD: write_country_shares(f, d, d->fd_level, NULL, w->loc); break;
    case F_HHC: write_consumption(f, d, w->loc); break;
    case F_HHS: write_households(f, d, w->loc); break;
    case F_LAYERS: write_layers(f, d, w->loc); break;
    case F_META: write_meta(f, d); break;
    case F_README: write_readme(f, d, dir, w); break;
    default: break;
    }
}

tw_status tw_draft_write(const tw_draft *d, const char *dir, tw_error *err)
{
    if (!d || !dir || !dir[0]) return tw_error_set(err, TW_EARG, NULL, 0, 0, "no draft or directory");
    tw_status st = tw_outfile_mkdirs(dir, err);
    if (st != TW_OK) return st;
    size_t N = d->N, J = d->J;
    writer w;
    memset(&w, 0, sizeof w);
    w.used[F_COUNTRIES] = w.used[F_SECTORS] = w.used[F_TRADE] = w.used[F_META] = 1;
    w.used[F_README] = 1;
    w.used[F_TARIFFS] = any_nonzero(d->tau, N * N * J);
    w.used[F_IO] = any_nonzero(d->io, N * J * J);
    w.used[F_VA] = d->va_level != NULL;
    w.used[F_FD] = d->fd_level != NULL;
    w.used[F_HHC] = d->hh_level != NULL;
    w.used[F_HHS] = d->households != NULL;
    w.used[F_LAYERS] = d->layer_v != NULL;
    double *Y = w.used[F_VA] ? tw_draft_output(d, err) : NULL;
    if (w.used[F_VA] && !Y) return TW_ENOMEM;
    w.loc = tw_num_locale_new();
    if (w.loc == (locale_t)0) {
        free(Y);
        return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    }
    /* printf follows the thread's locale: pin "C" numbers while writing. */
    locale_t old = uselocale(w.loc);
    for (size_t k = 0; k < F_N && st == TW_OK; k++) {
        snprintf(w.path[k], sizeof w.path[k], "%s/%s", dir, file_names[k]);
        if (!w.used[k]) continue;
        st = tw_outfile_open(&w.out[k], w.path[k], err);
        if (st != TW_OK) break;
        write_file(k, w.out[k].f, d, dir, &w, Y);
        st = tw_outfile_close(&w.out[k], err);
    }
    uselocale(old);
    tw_num_locale_free(w.loc);
    free(Y);
    if (st != TW_OK) {
        discard(&w);
        return st;
    }
    for (size_t k = 0; k < F_N; k++) {
        if (!w.used[k]) continue;
        st = tw_outfile_publish(&w.out[k], err);
        if (st != TW_OK) {
            discard(&w);
            return st;
        }
    }
    for (size_t k = 0; k < F_N; k++)
        if (!w.used[k] && unlink(w.path[k]) != 0 && errno != ENOENT)
            return fail_io(err, w.path[k], "cannot remove", errno);
    return TW_OK;
}

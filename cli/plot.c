/* plot.c - figures for reports, drawn with PLplot: `solve --plot FILE` and
 * `timeline --plot FILE` write an SVG (PLplot's svg driver) or a PNG (its
 * pngcairo driver), chosen by the file's extension.  Built as the plot module
 * (tradewar-plot.so, opened by cli/module.c when a chart is asked for).
 *
 * PLplot keeps one global stream and calls exit() on a fatal error, which is
 * why this lives in the command, not the library: the driver is looked up in
 * plgDevs() before plinit() (an unknown driver is the usual fatal error), the
 * figure is drawn into a scratch file and written out (tradewar/outfile.h) only
 * when complete, and plend() resets the library for the next call.  Every number comes from the result getters, the
 * same ones the tables print. */
#include <errno.h>
#include <plplot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tradewar/report.h"
#include "tradewar/scenario.h"
#include "tradewar/solve.h"
#include "cli.h"
#include "date_axis.h"
#include "modules.h"

#define WIDTH_PX 1000
#define HEIGHT_PX 560
#define MAX_BARS 512

/* cmap0 entries used below: 0 background, 1 ink, 2-4 bar series, 5-9 lines. */
static const int palette[][3] = {{255, 255, 255}, {40, 40, 40},   {31, 119, 180},
                                 {255, 127, 14},  {120, 120, 120}, {214, 39, 40},
                                 {31, 119, 180},  {44, 160, 44},  {148, 103, 189},
                                 {140, 86, 75},   {200, 200, 200}};
#define GRID_COLOUR 10

static int have_driver(const char *name)
{
    const char *menus[128], *devs[128];
    const char **m = menus, **d = devs;
    int n = 128;
    plgDevs(&m, &d, &n);
    for (int k = 0; k < n; k++)
        if (strcmp(d[k], name) == 0) return 1;
    return 0;
}

/* A figure on its way to path: PLplot draws into a private scratch file, and
 * only a complete figure is copied to the output (tradewar/outfile.h), which may
 * be a FIFO or a device that cannot be read back or renamed over. */
typedef struct figure {
    tw_outfile out;
    char scratch[4200];
} figure;

/* Open the output, then start the figure in the scratch file; 0 on success. */
static int begin(const char *path, figure *fig)
{
    const char *drv = cli_plot_driver(path);
    if (!drv || !have_driver(drv)) {
        fprintf(stderr, "tradewar: %s: PLplot has no %s driver here (install plplot-driver-cairo)\n",
                path, drv ? drv : "matching");
        return -1;
    }
    if (!cli_open_output(path, &fig->out)) return -1;
    const char *dir = getenv("TMPDIR");
    snprintf(fig->scratch, sizeof fig->scratch, "%s/tradewar-plot-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(fig->scratch);
    if (fd < 0) {
        fprintf(stderr, "tradewar: %s: cannot make a scratch file for the figure: %s\n",
                fig->scratch, strerror(errno));
        tw_outfile_discard(&fig->out);
        return -1;
    }
    close(fd);
    plsdev(drv);
    plsfnam(fig->scratch);
    plspage(0, 0, WIDTH_PX, HEIGHT_PX, 0, 0);
    plscmap0n(16);
    for (int k = 0; k < (int)(sizeof palette / sizeof palette[0]); k++)
        plscol0(k, palette[k][0], palette[k][1], palette[k][2]);
    plinit();
    pladv(0);
    return 0;
}

/* PLplot reports no write errors (a full disk leaves a cut file behind), so a
 * figure counts as written only when it ends as its format must: "</svg>\n",
 * or the IEND chunk of a PNG. */
static int complete(const char *scratch, const char *path)
{
    static const char svg_end[] = "</svg>\n";
    static const unsigned char png_end[] = {'I', 'E', 'N', 'D', 0xAE, 0x42, 0x60, 0x82};
    int svg = strcmp(cli_plot_driver(path), "svg") == 0;
    const void *want = svg ? (const void *)svg_end : (const void *)png_end;
    size_t n = svg ? sizeof svg_end - 1 : sizeof png_end;
    unsigned char tail[sizeof png_end];
    FILE *f = fopen(scratch, "rb");
    int ok = f && fseek(f, -(long)n, SEEK_END) == 0 && fread(tail, 1, n, f) == n &&
             memcmp(tail, want, n) == 0;
    if (f) fclose(f);
    return ok;
}

static int copy_to(const char *scratch, FILE *out)
{
    FILE *in = fopen(scratch, "rb");
    if (!in) return 0;
    char buf[65536];
    size_t n;
    int ok = 1;
    while (ok && (n = fread(buf, 1, sizeof buf, in)) > 0) ok = fwrite(buf, 1, n, out) == n;
    ok = ok && !ferror(in);
    fclose(in);
    return ok;
}

static int finish(const char *path, figure *fig)
{
    plend();
    int ok = complete(fig->scratch, path) && copy_to(fig->scratch, fig->out.f);
    unlink(fig->scratch);
    if (cli_close_output(fig->out.f, &fig->out, ok) != 0) {
        fprintf(stderr, "tradewar: %s: cannot write the figure\n", path);
        return 3;
    }
    return 0;
}


static void range_of(const double *v, size_t n, double *lo, double *hi)
{
    for (size_t k = 0; k < n; k++) {
        if (v[k] < *lo) *lo = v[k];
        if (v[k] > *hi) *hi = v[k];
    }
}

/* Pad a value range so bars and lines do not touch the frame. */
static void pad(double *lo, double *hi)
{
    double span = *hi - *lo;
    if (span < 1e-6) span = 1e-6;
    *lo -= 0.08 * span;
    *hi += 0.08 * span;
}

int tw_module_plot_solve(const char *path, const tw_world *w, const tw_result *r,
                         const char *title)
{
    size_t N = tw_result_n_countries(r);
    if (N > MAX_BARS / 3) N = MAX_BARS / 3;
    double val[3][MAX_BARS / 3];
    for (size_t n = 0; n < N; n++) {
        val[0][n] = tw_pct(tw_result_welfare_hat(r, n));
        val[1][n] = tw_pct(tw_result_real_wage_hat(r, n));
        val[2][n] = tw_pct(tw_result_price_index_hat(r, n));
    }
    double lo = 0, hi = 0;
    for (int s = 0; s < 3; s++) range_of(val[s], N, &lo, &hi);
    pad(&lo, &hi);
    hi += 0.12 * (hi - lo); /* room for the legend */
    figure fig;
    if (begin(path, &fig) != 0) return 3;
    plvpor(0.08, 0.97, 0.16, 0.86);
    plwind(0, (double)N, lo, hi);
    plcol0(GRID_COLOUR);
    plbox("", 0, 0, "g", 0, 0);
    plcol0(1);
    plschr(0, 0.75);
    plbox("bc", 0, 0, "bcnstv", 0, 0);
    for (size_t n = 0; n < N; n++) {
        for (int s = 0; s < 3; s++) {
            double x0 = (double)n + 0.12 + 0.25 * s, x1 = x0 + 0.25;
            double xs[4] = {x0, x1, x1, x0}, ys[4] = {0, 0, val[s][n], val[s][n]};
            plcol0(2 + s);
            plfill(4, xs, ys);
        }
        plcol0(1);
        plmtex("bv", 0.8, ((double)n + 0.5) / (double)N, 1.0, tw_world_country_code(w, n));
    }
    double zx[2] = {0, (double)N}, zy[2] = {0, 0};
    plcol0(1);
    plline(2, zx, zy);
    plschr(0, 0.9);
    plmtex("t", 2.6, 0.5, 0.5, "Welfare, real wage and consumer prices by country (% change)");
    plschr(0, 0.7);
    if (title) plmtex("t", 1.2, 0.5, 0.5, title);
    plmtex("l", 4.0, 0.5, 0.5, "% change from the baseline");
    const char *text[3] = {"welfare (real income)", "real wage", "consumer prices"};
    PLINT opt[3], tcol[3] = {1, 1, 1}, bcol[3] = {2, 3, 4}, bpat[3] = {0, 0, 0};
    PLFLT bscale[3] = {0.8, 0.8, 0.8}, bwidth[3] = {1, 1, 1}, lw, lh;
    for (int k = 0; k < 3; k++) opt[k] = PL_LEGEND_COLOR_BOX;
    pllegend(&lw, &lh, PL_LEGEND_BACKGROUND, PL_POSITION_TOP | PL_POSITION_RIGHT | PL_POSITION_INSIDE,
             0.01, 0.01, 0.05, 0, 1, 1, 1, 3, 3, opt, 0.8, 0.8, 1.5, 0, tcol, text, bcol, bpat,
             bscale, bwidth, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
    return finish(path, &fig);
}

#define DAY_S 86400.0
#define MAX_TICKS 8

/* The time axis of one panel: a grid line and a tick at each month start
 * (date_axis.h), labelled below when labels is set.  The window is
 * [t0, t1] x [lo, hi]. */
static void month_axis(double t0, double t1, double lo, double hi, int labels)
{
    double x[MAX_TICKS];
    char label[MAX_TICKS][16];
    size_t n = cli_month_ticks(t0, t1, x, label, MAX_TICKS);
    double len = 0.015 * (hi - lo);
    for (size_t k = 0; k < n; k++) {
        plcol0(GRID_COLOUR);
        pljoin(x[k], lo, x[k], hi);
        plcol0(1);
        pljoin(x[k], lo, x[k], lo + len);
        pljoin(x[k], hi, x[k], hi - len);
        if (labels) plmtex("b", 1.5, (x[k] - t0) / (t1 - t0), 0.5, label[k]);
    }
}

/* A staircase through (t[k], v[k]): a policy holds until the next date. */
static size_t stairs(const double *t, const double *v, size_t n, double end, double *x, double *y)
{
    size_t m = 0;
    for (size_t k = 0; k < n; k++) {
        double t1 = k + 1 < n ? t[k + 1] : end;
        x[m] = t[k];
        y[m++] = v[k];
        x[m] = t1;
        y[m++] = v[k];
    }
    return m;
}

/* The focus countries of tl, each once, in order: how many (at most 5). */
static size_t focus_countries(const tw_timeline *tl, size_t *f)
{
    size_t N = tw_world_n_countries(tw_timeline_world(tl)), nf = 0;
    tw_timeline_focus(tl, f);
    for (size_t q = 0; q < 5; q++) {
        int dup = f[q] >= N;
        for (size_t p = 0; p < nf && !dup; p++) dup = f[p] == f[q];
        if (!dup) f[nf++] = f[q];
    }
    return nf;
}

int tw_module_plot_timeline(const char *path, const tw_timeline *tl)
{
    const tw_world *w = tw_timeline_world(tl);
    size_t S = tw_timeline_n_steps(tl), f[5], nf = focus_countries(tl, f);
    double *t = malloc((S + 1) * sizeof *t), *v = malloc(7 * (S + 1) * sizeof *v);
    double *x = malloc(2 * (S + 1) * sizeof *x), *y = malloc(2 * (S + 1) * sizeof *y);
    if (!t || !v || !x || !y) {
        free(t), free(v), free(x), free(y);
        fprintf(stderr, "tradewar: %s: out of memory\n", path);
        return 3;
    }
    /* dated steps only; the baseline sits 30 days before the first date */
    size_t m = 0;
    double first = -1;
    for (size_t k = 0; k < S && first < 0; k++) first = cli_date_x(tw_timeline_step_date(tl, k));
    for (size_t k = 0; k < S; k++) {
        double d = cli_date_x(tw_timeline_step_date(tl, k));
        if (d < 0) d = first - 30 * DAY_S;
        const tw_result *r = tw_timeline_result(tl, k);
        t[m] = d;
        for (size_t q = 0; q < nf; q++) v[q * (S + 1) + m] = tw_pct(tw_result_welfare_hat(r, f[q]));
        v[5 * (S + 1) + m] = 100 * tw_result_etr(r, TW_ETR_PRE, f[0], f[1], TW_ETR_ALL);
        v[6 * (S + 1) + m] = 100 * tw_result_etr(r, TW_ETR_PRE, f[1], f[0], TW_ETR_ALL);
        m++;
    }
    double t0 = m ? t[0] : 0, t1 = m ? t[m - 1] + 30 * DAY_S : DAY_S;
    double wlo = 0, whi = 0, tlo = 0, thi = 0;
    for (size_t q = 0; q < nf; q++) range_of(v + q * (S + 1), m, &wlo, &whi);
    range_of(v + 5 * (S + 1), m, &tlo, &thi);
    range_of(v + 6 * (S + 1), m, &tlo, &thi);
    pad(&wlo, &whi);
    pad(&tlo, &thi);
    figure fig;
    if (begin(path, &fig) != 0) {
        free(t), free(v), free(x), free(y);
        return 3;
    }
    const char *names[7];
    PLINT opt[7], col[7], sty[7], tcol[7];
    PLFLT wid[7], lw, lh;
    for (int panel = 0; panel < 2; panel++) {
        double lo = panel ? tlo : wlo, hi = panel ? thi : whi;
        plvpor(0.08, 0.80, panel ? 0.10 : 0.56, panel ? 0.46 : 0.90);
        plwind(t0, t1, lo, hi);
        plschr(0, 0.7);
        plcol0(GRID_COLOUR);
        plbox("", 0, 0, "g", 0, 0);
        month_axis(t0, t1, lo, hi, panel);
        plcol0(1);
        plbox("bc", 0, 0, "bcnstv", 0, 0);
        size_t first_s = panel ? 5 : 0, ns = panel ? 2 : nf;
        for (size_t q = 0; q < ns; q++) {
            size_t pts = stairs(t, v + (first_s + q) * (S + 1), m, t1, x, y);
            plcol0((PLINT)(5 + q));
            plwidth(2);
            plline((PLINT)pts, x, y);
            plwidth(1);
            opt[q] = PL_LEGEND_LINE;
            col[q] = (PLINT)(5 + q);
            sty[q] = 1;
            wid[q] = 2;
            tcol[q] = 1;
            names[q] = panel ? NULL : tw_world_country_code(w, f[q]);
        }
        char a_on_b[64], b_on_a[64];
        if (panel) {
            snprintf(a_on_b, sizeof a_on_b, "%s on %s", tw_world_country_code(w, f[0]),
                     tw_world_country_code(w, f[1]));
            snprintf(b_on_a, sizeof b_on_a, "%s on %s", tw_world_country_code(w, f[1]),
                     tw_world_country_code(w, f[0]));
            names[0] = a_on_b;
            names[1] = b_on_a;
        }
        plcol0(1);
        plmtex("l", 4.0, 0.5, 0.5, panel ? "effective tariff rate %" : "welfare, % change");
        if (!panel) {
            plschr(0, 0.85);
            plmtex("t", 1.5, 0.5, 0.5, tw_scenario_title(tw_timeline_scenario(tl)));
            plschr(0, 0.7);
        }
        pllegend(&lw, &lh, 0, PL_POSITION_RIGHT | PL_POSITION_OUTSIDE, 0.02, 0, 0.05, 0, 1, 1,
                 (PLINT)ns, 1, (PLINT)ns, opt, 0.6, 0.7, 1.6, 0, tcol, names, NULL, NULL, NULL,
                 NULL, col, sty, wid, NULL, NULL, NULL, NULL);
    }
    free(t), free(v), free(x), free(y);
    return finish(path, &fig);
}

/* inputs.c - the parts of a sweep read from text: grid axes
 * ("IMPORTER,EXPORTER,SECTOR:FROM:TO:STEP") and elasticity sets (the
 * world's, or a file set,sector,theta read by src/world/elasticities.c).
 *
 * Invariant: an input either applies whole or not at all; on any error the
 * sweep is left as it was.  Axis levels are computed as FROM + k STEP and then
 * rounded to 12 significant digits, so 0:1.5:0.05 gives exactly the doubles
 * nearest to 0.05, 0.10, ... (no drift from repeated addition) and the CSV
 * shows them as written. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sweep_impl.h"
#include "shock/shock_impl.h"
#include "world/world_impl.h"
#include "core/csv.h"
#include "core/num.h"

static tw_status axis_error(const char *spec, const char *what, tw_error *err)
{
    tw_error_set(err, TW_EINPUT, NULL, 0, 0, "axis \"%s\": %s", spec, what);
    if (err) snprintf(err->field, sizeof err->field, "--grid");
    return TW_EINPUT;
}

static double round12(double x)
{
    char buf[40];
    snprintf(buf, sizeof buf, "%.12g", x);
    return strtod(buf, NULL);
}

/* Split n fields of text (modified in place) at sep; the last one may not
 * hold sep. */
static int split(char *text, char sep, char **field, int n)
{
    field[0] = text;
    for (int k = 1; k < n; k++) {
        char *c = strchr(field[k - 1], sep);
        if (!c) return -1;
        *c = '\0';
        field[k] = c + 1;
    }
    return strchr(field[n - 1], sep) ? -1 : 0;
}

/* The tariff cells of importer, exporter, sector codes: the rule of
 * shock/resolve.c, as for a row of a counterfactual file. */
static tw_status axis_cells(const tw_sweep *s, const char *spec, char *const *code,
                            sw_axis *ax, tw_error *err)
{
    unsigned char *mask = calloc(2 * s->N + s->J + 1, 1);
    if (!mask) return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory for a grid axis");
    unsigned char *m[3] = {mask, mask + s->N, mask + 2 * s->N};
    long ix[3];
    char msg[256];
    tw_status st = TW_OK;
    for (int d = 0; d < 3 && !st; d++) {
        st = tw_cell_code(s->w, TW_SHOCK_TARIFF, d == 2, code[d], &ix[d], msg, sizeof msg);
        if (!st) tw_cell_mask(s->w, TW_SHOCK_TARIFF, d == 2, ix[d], m[d]);
    }
    if (!st && ix[0] >= 0 && ix[0] == ix[1]) {
        tw_cell_domestic_msg(s->w, TW_SHOCK_TARIFF, (size_t)ix[0], msg, sizeof msg);
        st = TW_EINPUT;
    }
    if (!st) {
        ax->importer = ix[0];
        ax->n_cells = tw_cell_list(s->w, TW_SHOCK_TARIFF, m[0], m[1], m[2], ax->cells);
    }
    free(mask);
    if (st) return axis_error(spec, msg, err);
    if (ax->n_cells == 0) return axis_error(spec, "covers no tariff cell", err);
    return TW_OK;
}

/* FROM, TO, STEP of the axis into v, checked. */
static tw_status axis_range(const tw_sweep *s, const char *spec, char *const *part, double *v,
                            tw_error *err)
{
    static const char *const names[3] = {"FROM", "TO", "STEP"};
    locale_t loc = tw_num_locale_new();
    if (!loc) return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    tw_status st = TW_OK;
    for (int k = 0; k < 3 && !st; k++)
        if (tw_num_parse(part[k], loc, &v[k]) != TW_NUM_OK) {
            char what[160];
            snprintf(what, sizeof what, "%s \"%.60s\" is not a number", names[k], part[k]);
            st = axis_error(spec, what, err);
        }
    tw_num_locale_free(loc);
    if (st) return st;
    if (v[0] < 0 || v[1] < v[0])
        return axis_error(spec, "expected 0 <= FROM <= TO (tariff levels, 0.25 = 25 %)", err);
    if (!(v[2] > 0)) return axis_error(spec, "STEP must be > 0", err);
    if (((v[1] - v[0]) / v[2] + 1) * (double)s->n_points > TW_SWEEP_MAX_POINTS)
        return axis_error(spec, "too many grid points", err);
    return TW_OK;
}

static void axis_free(sw_axis *ax)
{
    free(ax->label);
    free(ax->values);
    free(ax->cells);
}

tw_status tw_sweep_add_axis(tw_sweep *s, const char *spec, tw_error *err)
{
    if (!s || !spec) return tw_error_set(err, TW_EARG, NULL, 0, 0, "no sweep or axis given");
    if (s->res) return tw_error_set(err, TW_EARG, NULL, 0, 0, "the sweep already has results");
    if (s->n_axes == TW_SWEEP_MAX_AXES) return axis_error(spec, "too many axes", err);
    char buf[512];
    if (strlen(spec) >= sizeof buf) return axis_error(spec, "too long", err);
    strcpy(buf, spec);
    /* cells:from:to:step, the cells part being importer,exporter,sector */
    char *part[4], *code[3];
    if (split(buf, ':', part, 4))
        return axis_error(spec, "expected IMPORTER,EXPORTER,SECTOR:FROM:TO:STEP", err);
    if (split(part[0], ',', code, 3))
        return axis_error(spec, "expected IMPORTER,EXPORTER,SECTOR before the first ':'", err);
    sw_axis ax = {0};
    ax.cells = malloc((s->cells ? s->cells : 1) * sizeof *ax.cells);
    if (!ax.cells) return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory for a grid axis");
    double v[3];
    tw_status st = axis_cells(s, spec, code, &ax, err);
    if (!st) st = axis_range(s, spec, part + 1, v, err);
    size_t label = (size_t)(strchr(spec, ':') - spec);
    if (!st) {
        ax.count = (size_t)floor((v[1] - v[0]) / v[2] + 1e-9) + 1;
        ax.label = malloc(label + 1);
        ax.values = malloc(ax.count * sizeof *ax.values);
    }
    sw_axis *axes = NULL;
    if (!st && (!ax.label || !ax.values ||
                !(axes = realloc(s->axes, (s->n_axes + 1) * sizeof *axes))))
        st = tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory for a grid axis");
    if (st) {
        axis_free(&ax);
        return st;
    }
    s->axes = axes;
    memcpy(ax.label, spec, label);
    ax.label[label] = '\0';
    for (size_t k = 0; k < ax.count; k++) ax.values[k] = round12(v[0] + (double)k * v[2]);
    s->axes[s->n_axes++] = ax;
    s->n_points *= ax.count;
    return TW_OK;
}

size_t tw_sweep_n_axes(const tw_sweep *s) { return s ? s->n_axes : 0; }
size_t tw_sweep_n_points(const tw_sweep *s) { return s ? s->n_points : 0; }

const char *tw_sweep_axis_label(const tw_sweep *s, size_t a)
{
    return s && a < s->n_axes ? s->axes[a].label : NULL;
}

long tw_sweep_axis_importer(const tw_sweep *s, size_t a)
{
    return s && a < s->n_axes ? s->axes[a].importer : -1;
}

double tw_sweep_axis_value(const tw_sweep *s, size_t a, size_t p)
{
    if (!s || a >= s->n_axes || p >= s->n_points) return NAN;
    size_t stride = 1;
    for (size_t b = s->n_axes; b-- > a + 1;) stride *= s->axes[b].count;
    return s->axes[a].values[(p / stride) % s->axes[a].count];
}

/* ---- elasticity sets ------------------------------------------------------ */

/* Add the sets of L that names lists (comma-separated; "all" or NULL: every
 * set but skip, the one the world holds, which is variant 0 already); whose
 * says where they come from in errors ("the file", "the world").  All or
 * none are added. */
static tw_status add_sets(tw_sweep *s, const tw_elast_sets *L, const char *names,
                          const char *skip, const char *path, const char *whose,
                          tw_error *err)
{
    if (s->res) return tw_error_set(err, TW_EARG, NULL, 0, 0, "the sweep already has results");
    if (s->kind == SW_DRAWS)
        return tw_error_set(err, TW_EARG, NULL, 0, 0,
                            "elasticity draws and elasticity sets cannot be combined");
    /* choose the sets first, then add them, so that an unknown name adds none */
    size_t *pick = malloc((L->n + 64) * sizeof *pick), np = 0;
    tw_status st = pick ? TW_OK : tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    if (!st && (!names || strcmp(names, "all") == 0)) {
        for (size_t k = 0; k < L->n; k++)
            if (!skip || strcmp(L->name[k], skip) != 0) pick[np++] = k;
    } else if (!st) {
        char buf[512];
        snprintf(buf, sizeof buf, "%s", names);
        for (char *save = NULL, *t = strtok_r(buf, ",", &save); t && !st;
             t = strtok_r(NULL, ",", &save)) {
            long k = tw_elast_sets_find(L, t);
            if (k < 0) {
                char known[256];
                tw_elast_sets_names(L, known, sizeof known);
                st = tw_error_set(err, TW_EINPUT, path, 0, 0,
                                  "no elasticity set \"%s\" (%s has: %s)", t, whose, known);
            } else if (np == L->n + 64) {
                st = tw_error_set(err, TW_EARG, NULL, 0, 0, "too many set names");
            } else {
                pick[np++] = (size_t)k;
            }
        }
    }
    if (!st && np == 0) st = tw_error_set(err, TW_EARG, NULL, 0, 0, "no set named");
    size_t before = s->n_draws;
    for (size_t q = 0; q < np && !st; q++)
        st = tw_sweep_add_theta_set(s, L->name[pick[q]], L->theta + pick[q] * L->J, err);
    if (st) { /* undo what was added */
        while (s->n_draws > before) free(s->set_name[--s->n_draws]);
        if (s->n_draws == 0) s->kind = SW_NONE;
    }
    free(pick);
    return st;
}

tw_status tw_sweep_load_theta_sets(tw_sweep *s, const char *path, const char *names,
                                   tw_error *err)
{
    if (!s || !path) return tw_error_set(err, TW_EARG, NULL, 0, 0, "no sweep or file given");
    if (s->res) return tw_error_set(err, TW_EARG, NULL, 0, 0, "the sweep already has results");
    if (s->kind == SW_DRAWS)
        return tw_error_set(err, TW_EARG, NULL, 0, 0,
                            "elasticity draws and elasticity sets cannot be combined");
    tw_elast_sets L;
    tw_status st = tw_elast_sets_read(s->w, path, path, path, 0, &L, err);
    if (st) return st;
    st = add_sets(s, &L, names, NULL, path, "the file", err);
    tw_elast_sets_free(&L);
    return st;
}

tw_status tw_sweep_add_world_sets(tw_sweep *s, const char *names, tw_error *err)
{
    if (!s) return tw_error_set(err, TW_EARG, NULL, 0, 0, "no sweep given");
    const tw_elast_sets *L = &s->w->sets;
    if (L->n == 0 || (L->n == 1 && tw_world_elasticities(s->w) &&
                      strcmp(L->name[0], tw_world_elasticities(s->w)) == 0)) {
        tw_error_set(err, TW_EINPUT, NULL, 0, 0,
                     "world %s names no other elasticity set (give a file of sets)",
                     tw_world_dir(s->w));
        if (err) snprintf(err->field, sizeof err->field, "elasticities");
        return TW_EINPUT;
    }
    return add_sets(s, L, names, tw_world_elasticities(s->w), NULL, "the world", err);
}

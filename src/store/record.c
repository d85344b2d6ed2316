/* record.c - a solve or a timeline saved as a run, the same way from the
 * command line and from the server.
 *
 * The row holds what is needed to redo the run: the inputs (files with their
 * text, or the cells and scenario a request sent), the options that change the
 * answer (the elasticity set by name, method and deficits as the solver used
 * them, the tolerance, and the iteration limit and tatonnement step when the
 * caller set them), the report JSON, the solver's statistics summed over a
 * timeline's steps and the wall time.  Inputs and options are built as cJSON objects and printed once, so a
 * run saved from either side reads back with the same keys in the same order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "tradewar/json.h"
#include "tradewar/report.h"
#include "tradewar/store.h"

#define MAX_INPUT_BYTES (16L << 20)
#define LABEL_MAX 1024

/* The whole file as a string, or NULL (unreadable or larger than the limit). */
static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *buf = NULL;
    long size = -1;
    if (fseek(f, 0, SEEK_END) == 0) size = ftell(f);
    if (size >= 0 && size <= MAX_INPUT_BYTES && fseek(f, 0, SEEK_SET) == 0) {
        buf = malloc((size_t)size + 1);
        if (buf && fread(buf, 1, (size_t)size, f) != (size_t)size) {
            free(buf);
            buf = NULL;
        }
        if (buf) buf[size] = '\0';
    }
    fclose(f);
    return buf;
}

/* "file": path and, when it can be read, "text": its contents. */
static void add_file(cJSON *o, const char *key, const char *path)
{
    cJSON_AddStringToObject(o, key, path);
    char *txt = read_text(path);
    if (txt) cJSON_AddStringToObject(o, "text", txt);
    free(txt);
}

/* inputs[key]: the JSON given, else an array with an entry per file. */
static void add_list(cJSON *inputs, const char *key, const char *json, const char *const *files,
                     size_t n)
{
    cJSON *arr = json ? cJSON_Parse(json) : NULL; /* as the request sent it */
    if (!arr) {
        arr = cJSON_CreateArray();
        for (size_t q = 0; q < n && arr; q++) {
            cJSON *e = cJSON_CreateObject();
            if (e) add_file(e, "file", files[q]);
            cJSON_AddItemToArray(arr, e);
        }
    }
    cJSON_AddItemToObject(inputs, key, arr);
}

/* The label of a solve from files: "a.csv, b.csv, ntb c.csv". */
static void files_label(const tw_record_opts *o, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t q = 0; q < o->n_tariff_files && len < size; q++, len = strlen(buf))
        snprintf(buf + len, size - len, "%s%s", q ? ", " : "", o->tariff_files[q]);
    for (size_t q = 0; q < o->n_ntb_files && len < size; q++, len = strlen(buf))
        snprintf(buf + len, size - len, "%sntb %s", (q || o->n_tariff_files) ? ", " : "",
                 o->ntb_files[q]);
    if (!buf[0]) snprintf(buf, size, "none (zero shock)");
}

static cJSON *options_json(const tw_world *w, const tw_result *r, const tw_record_opts *o)
{
    cJSON *op = cJSON_CreateObject();
    if (!op || !r) return op;
    cJSON_AddStringToObject(op, "method", tw_method_name(tw_result_method(r)));
    cJSON_AddStringToObject(op, "deficits", tw_deficits_name(tw_result_deficits(r)));
    cJSON_AddNumberToObject(op, "tol", o->tol);
    if (o->max_iter > 0) cJSON_AddNumberToObject(op, "max_iter", (double)o->max_iter);
    if (o->step > 0 && tw_result_method(r) == TW_METHOD_TATONNEMENT)
        cJSON_AddNumberToObject(op, "step", o->step);
    /* the elasticity set solved with (the world hash tells sets apart too) */
    if (tw_world_elasticities(w)) cJSON_AddStringToObject(op, "elasticities", tw_world_elasticities(w));
    return op;
}

/* Print inputs and options (freeing them), save run, free what was printed. */
static tw_status save(tw_store *st, tw_run *run, cJSON *inputs, cJSON *options, long long *id,
                      tw_error *err)
{
    char *in = inputs ? tw_json_print(inputs) : NULL;
    char *op = options ? tw_json_print(options) : NULL;
    cJSON_Delete(inputs);
    cJSON_Delete(options);
    tw_status status;
    if (!in || !op || !run->results) {
        status = tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory saving the run");
    } else {
        run->inputs = in;
        run->options = op;
        status = tw_store_save(st, run, id, err);
    }
    free(in);
    free(op);
    return status;
}

static void run_init(tw_run *run, const char *kind, const tw_world *w, const tw_record_opts *o,
                     char hash[17])
{
    memset(run, 0, sizeof *run);
    tw_world_hash(w, hash);
    run->kind = kind;
    run->source = o->source;
    run->world = o->world ? o->world : tw_world_dir(w);
    run->world_hash = hash;
    run->converged = 1;
    run->seconds = o->seconds;
}

tw_status tw_store_record_result(tw_store *st, const tw_world *w, const tw_result *r,
                                 const tw_record_opts *o, long long *id, tw_error *err)
{
    char label[LABEL_MAX], hash[17];
    if (o->label) snprintf(label, sizeof label, "%s", o->label);
    else files_label(o, label, sizeof label);
    cJSON *inputs = cJSON_CreateObject();
    if (inputs) {
        add_list(inputs, "tariffs", o->tariffs_json, o->tariff_files, o->n_tariff_files);
        add_list(inputs, "ntb", o->ntb_json, o->ntb_files, o->n_ntb_files);
    }
    tw_report_opts ro = {.bilateral = 1, .sectors = 1, .tol = o->tol, .scenario = label};
    char *made = o->results ? NULL : tw_report_json(w, r, &ro);
    tw_run run;
    run_init(&run, "solve", w, o, hash);
    run.label = label;
    run.results = o->results ? o->results : made;
    run.iterations = (long)tw_result_iterations(r);
    run.evaluations = (long)tw_result_evaluations(r);
    run.residual = tw_result_residual(r);
    tw_status status = save(st, &run, inputs, options_json(w, r, o), id, err);
    free(made);
    return status;
}

static cJSON *timeline_inputs(const tw_record_opts *o)
{
    cJSON *inputs = cJSON_CreateObject();
    if (!inputs) return NULL;
    if (o->scenario_file) {
        add_file(inputs, "scenario", o->scenario_file);
    } else {
        if (o->scenario) cJSON_AddStringToObject(inputs, "scenario", o->scenario);
        if (o->scenario_text) cJSON_AddStringToObject(inputs, "text", o->scenario_text);
    }
    cJSON *sa = cJSON_AddArrayToObject(inputs, "set");
    for (size_t q = 0; q < o->n_set && sa; q++) cJSON_AddItemToArray(sa, cJSON_CreateString(o->set[q]));
    return inputs;
}

tw_status tw_store_record_timeline(tw_store *st, const tw_timeline *tl, const tw_record_opts *o,
                                   long long *id, tw_error *err)
{
    const tw_world *w = tw_timeline_world(tl);
    char hash[17];
    tw_run run;
    run_init(&run, "timeline", w, o, hash);
    size_t S = tw_timeline_n_steps(tl);
    for (size_t k = 0; k < S; k++) {
        const tw_result *r = tw_timeline_result(tl, k);
        run.iterations += (long)tw_result_iterations(r);
        run.evaluations += (long)tw_result_evaluations(r);
        if (tw_result_residual(r) > run.residual) run.residual = tw_result_residual(r);
    }
    run.label = o->label ? o->label : tw_scenario_title(tw_timeline_scenario(tl));
    char *made = o->results ? NULL : tw_report_timeline_json(tl);
    run.results = o->results ? o->results : made;
    tw_record_opts top = *o; /* a timeline records neither an iteration limit nor a step */
    top.max_iter = 0;
    top.step = 0;
    tw_status status = save(st, &run, timeline_inputs(o), options_json(w, S ? tw_timeline_result(tl, 0) : NULL, &top), id, err);
    free(made);
    return status;
}

/* meta.c - the "meta" object of every JSON output and of the .meta.json file
 * beside CSV outputs: which program, world and options made the numbers.
 *
 * The elasticity set is named by tw_report_elasticities alone, so a world
 * solved with another set of elasticities is named in one place. */
#include <stdlib.h>
#include <string.h>

#include "tradewar/json.h"
#include "tradewar/report.h"
#include "json_out.h"
#include "report_impl.h"

const char *tw_report_elasticities(const tw_world *w)
{
    const char *v = tw_world_elasticities(w);
    return v && *v ? v : "unnamed";
}

/* The last part of the folder a world came from ("world2011"). */
static void world_name(const tw_world *w, char *buf, size_t size)
{
    const char *dir = tw_world_dir(w);
    size_t len = dir ? strlen(dir) : 0;
    while (len > 1 && dir[len - 1] == '/') len--;
    size_t start = len;
    while (start > 0 && dir[start - 1] != '/') start--;
    size_t n = len - start < size ? len - start : size - 1;
    if (n) memcpy(buf, dir + start, n);
    buf[n] = '\0';
}

/* A string member, or null for NULL. */
static void jstr_or_null(cJSON *o, const char *k, const char *v, int *ok)
{
    if (v) jstr(o, k, v, ok);
    else jput(o, k, cJSON_CreateNull(), ok);
}

cJSON *tw_report_meta(const tw_world *w, const char *deficits, const char *method, double tol)
{
    cJSON *m = cJSON_CreateObject();
    int ok = m != NULL;
    char name[256], hash[17];
    world_name(w, name, sizeof name);
    tw_world_hash(w, hash);
    jstr(m, "version", TW_VERSION, &ok);
    jstr(m, "world", name, &ok);
    jstr(m, "world_hash", hash, &ok);
    jstr(m, "elasticities", tw_report_elasticities(w), &ok);
    jstr_or_null(m, "deficits", deficits, &ok);
    jstr_or_null(m, "method", method, &ok);
    jnum(m, "tolerance", tol > 0 ? tol : NAN, &ok);
    if (!ok) {
        cJSON_Delete(m);
        return NULL;
    }
    return m;
}

char *tw_report_meta_json(const tw_world *w, const char *deficits, const char *method, double tol)
{
    cJSON *m = tw_report_meta(w, deficits, method, tol);
    char *txt = m ? tw_json_print(m) : NULL;
    cJSON_Delete(m);
    return txt;
}

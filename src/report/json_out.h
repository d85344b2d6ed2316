/* json_out.h - checked cJSON builders for the report writers (private).
 *
 * cJSON drops a member it cannot allocate (and leaves the caller an item it
 * could not attach), so a report built with its Add* calls can come out whole
 * in appearance with a field missing.  Every add here clears *ok instead, and
 * the writers return NULL when it is cleared (report.h: NULL when out of
 * memory), freeing what they built. */
#ifndef TW_REPORT_JSON_OUT_H
#define TW_REPORT_JSON_OUT_H

#include <cjson/cJSON.h>
#include <math.h>

static inline void jput(cJSON *o, const char *k, cJSON *item, int *ok)
{
    if (!o || !item || !cJSON_AddItemToObject(o, k, item)) {
        cJSON_Delete(item);
        *ok = 0;
    }
}

/* A number, or null when it is not finite (JSON has no NaN or Inf). */
static inline void jnum(cJSON *o, const char *k, double v, int *ok)
{
    jput(o, k, isfinite(v) ? cJSON_CreateNumber(v) : cJSON_CreateNull(), ok);
}

static inline void jstr(cJSON *o, const char *k, const char *v, int *ok)
{
    jput(o, k, cJSON_CreateString(v), ok);
}

static inline void jbool(cJSON *o, const char *k, int v, int *ok)
{
    jput(o, k, cJSON_CreateBool(v), ok);
}

/* A new array member; NULL (and *ok cleared) when out of memory. */
static inline cJSON *jarr(cJSON *o, const char *k, int *ok)
{
    cJSON *a = cJSON_CreateArray();
    jput(o, k, a, ok);
    return *ok ? a : NULL;
}

/* Append item (an object or value just created) to arr. */
static inline void jpush(cJSON *arr, cJSON *item, int *ok)
{
    if (!arr || !item || !cJSON_AddItemToArray(arr, item)) {
        cJSON_Delete(item);
        *ok = 0;
    }
}

#endif

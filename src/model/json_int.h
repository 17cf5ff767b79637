/* Helpers shared by the JSON builders of the model (json.c,
 * json_booking.c): jansson reports allocation failure from every setter,
 * and one flag per build keeps the builders free of error plumbing. */
#ifndef PW_MODEL_JSON_INT_H
#define PW_MODEL_JSON_INT_H

#include <jansson.h>

typedef struct jctx {
    int failed;
} jctx;

static inline void put(jctx *c, json_t *obj, const char *key, json_t *v)
{
    if (!v || json_object_set_new(obj, key, v) != 0)
        c->failed = 1;
}

static inline void push(jctx *c, json_t *arr, json_t *v)
{
    if (!v || json_array_append_new(arr, v) != 0)
        c->failed = 1;
}

/* A contract key: null when absent. */
static inline void put_str(jctx *c, json_t *obj, const char *key,
                           const char *s)
{
    put(c, obj, key, s ? json_string(s) : json_null());
}

/* Any other key: left out when absent. */
static inline void put_opt(jctx *c, json_t *obj, const char *key,
                           const char *s)
{
    if (s)
        put(c, obj, key, json_string(s));
}

#endif

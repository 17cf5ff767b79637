/* Renders a hit's explanation as JSON for analysts and the store. */
#include <math.h>
#include <stdlib.h>

#include <jansson.h>

#include "paxwatch/screen.h"

static const char *kind_name(pw_expl_kind k)
{
    switch (k) {
    case PW_EXPL_TOKEN:
        return "token";
    case PW_EXPL_MISSING_QUERY:
        return "missing_in_entry";
    case PW_EXPL_MISSING_ENTRY:
        return "missing_in_traveller";
    case PW_EXPL_BIRTH_DATE:
        return "birth_date";
    case PW_EXPL_SEX:
        return "sex";
    case PW_EXPL_NATIONALITY:
        return "nationality";
    case PW_EXPL_DOCUMENT:
        return "document";
    }
    return "unknown";
}

/* Three decimals are what an analyst reads; more is noise. */
static json_t *rounded(double x)
{
    return json_real(round(x * 1000.0) / 1000.0);
}

static json_t *part_json(const pw_expl_part *p)
{
    json_t *o = json_object();

    if (!o)
        return NULL;
    int bad = json_object_set_new(o, "kind", json_string(kind_name(p->kind)));
    if (p->query[0])
        bad |= json_object_set_new(o, "query", json_string(p->query));
    if (p->entry[0])
        bad |= json_object_set_new(o, "entry", json_string(p->entry));
    bad |= json_object_set_new(o, "how", json_string(p->how ? p->how : ""));
    if (p->kind == PW_EXPL_TOKEN)
        bad |= json_object_set_new(o, "similarity", rounded(p->similarity));
    bad |= json_object_set_new(o, "effect", rounded(p->effect));
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}

char *pw_screen_explain_json(const pw_screen_hit *hit)
{
    json_t *root = json_object(), *parts = json_array();
    char *out = NULL;

    if (!root || !parts)
        goto done;
    int bad = json_object_set_new(root, "name_score", rounded(hit->name_score));
    for (size_t i = 0; i < hit->n_parts && !bad; i++)
        bad = json_array_append_new(parts, part_json(&hit->parts[i]));
    if (!bad && json_object_set(root, "parts", parts) == 0)
        out = json_dumps(root, JSON_COMPACT | JSON_REAL_PRECISION(4));
done:
    json_decref(parts);
    json_decref(root);
    return out;
}

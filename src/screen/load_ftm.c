/* Loader for FollowTheMoney entities, one JSON object per line (the form
 * OpenSanctions and Aleph export): people, organisations, vessels, and
 * the passports and identifications that point at them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "screen/load_common.h"

#define FTM_MAX_LINE ((size_t)4 * 1024 * 1024)

/* A Passport or Identification entity, attached to its holder later. */
typedef struct ftm_ident {
    const char *holder, *type, *number, *country;
} ftm_ident;

typedef struct ftm_ctx {
    pw_wlb *b;
    ftm_ident *ids;
    size_t n_ids, cap_ids;
} ftm_ctx;

typedef struct ftm_line {
    const char *p;
    size_t len, no, offset;
} ftm_line;

static int next_line(const char **p, const char *end, ftm_line *l)
{
    const char *nl;

    if (*p >= end)
        return 0;
    nl = memchr(*p, '\n', (size_t)(end - *p));
    l->p = *p;
    l->len = nl ? (size_t)(nl - *p) : (size_t)(end - *p);
    *p = nl ? nl + 1 : end;
    return 1;
}

static int is_blank(const ftm_line *l)
{
    for (size_t i = 0; i < l->len; i++)
        if (l->p[i] != ' ' && l->p[i] != '\t' && l->p[i] != '\r')
            return 0;
    return 1;
}

static int schema_is(const char *s, const char *const *names)
{
    for (; *names; names++)
        if (!strcmp(s, *names))
            return 1;
    return 0;
}

static const char *const entity_schemas[] = {
    "LegalEntity", "Organization", "Company", "PublicBody",
    "Vessel",      "Airplane",     NULL};
static const char *const ident_schemas[] = {"Passport", "Identification", NULL};

static json_t *prop(json_t *obj, const char *name)
{
    json_t *props = json_object_get(obj, "properties");
    json_t *v = json_is_object(props) ? json_object_get(props, name) : NULL;

    return json_is_array(v) ? v : NULL;
}

/* The first string of property name, in the arena. */
static const char *first(pw_wlb *b, json_t *obj, const char *name)
{
    json_t *v = json_array_get(prop(obj, name), 0);

    return json_is_string(v) ? pw_wlb_cstr(b, json_string_value(v)) : NULL;
}

static void each(pw_wlb *b, json_t *obj, const char *name,
                 void (*fn)(pw_wlb *b, const char *s, int arg), int arg)
{
    json_t *arr = prop(obj, name), *v;
    size_t i;

    json_array_foreach(arr, i, v)
    {
        const char *s;
        if (json_is_string(v) && (s = pw_wlb_cstr(b, json_string_value(v))))
            fn(b, s, arg);
    }
}

/* arg: 0 primary, 1 alias, 2 weak alias. */
static void add_name(pw_wlb *b, const char *s, int arg)
{
    pw_wlb_name(b, s, NULL, NULL, NULL, arg > 0, arg == 2);
}

static void add_date(pw_wlb *b, const char *s, int arg)
{
    /* FtM dates may carry a time; the date part is what lists mean. */
    if (strlen(s) > 10 && s[10] == 'T')
        s = pw_wlb_str(b, s, 10);
    if (pw_wl_date_ok(s))
        pw_wlb_date(b, s, NULL);
}

static void add_nationality(pw_wlb *b, const char *s, int arg)
{
    pw_wlb_nationality(b, s);
}

static void add_country(pw_wlb *b, const char *s, int arg)
{
    pw_wlb_country(b, s);
}

static void add_passport(pw_wlb *b, const char *s, int arg)
{
    pw_wlb_document(b, arg ? "id_card" : "passport", s, NULL);
}

/* firstName .. lastName as a name with its parts, when given. */
static void name_parts(pw_wlb *b, json_t *obj)
{
    const char *given = first(b, obj, "firstName");
    const char *middle = first(b, obj, "middleName");
    const char *father = first(b, obj, "fatherName");
    const char *last = first(b, obj, "lastName");
    const char *g;

    if (!last && !given)
        return;
    g = pw_arena_printf(&b->wl->arena, "%s%s%s%s%s", given ? given : "",
                        middle ? " " : "", middle ? middle : "",
                        father ? " " : "", father ? father : "");
    if (!g)
        b->nomem = 1;
    g = pw_wlb_cstr(b, g);
    pw_wlb_name(b,
                pw_arena_printf(&b->wl->arena, "%s%s%s", g ? g : "",
                                g && last ? " " : "", last ? last : ""),
                last, g, NULL, b->cur.n_names > 0, 0);
}

static void fill(ftm_ctx *f, json_t *obj)
{
    pw_wlb *b = f->b;

    each(b, obj, "name", add_name, 0);
    name_parts(b, obj);
    each(b, obj, "alias", add_name, 1);
    each(b, obj, "previousName", add_name, 1);
    each(b, obj, "weakAlias", add_name, 2);
    each(b, obj, "birthDate", add_date, 0);
    each(b, obj, "nationality", add_nationality, 0);
    each(b, obj, "citizenship", add_nationality, 0);
    each(b, obj, "country", add_country, 0);
    each(b, obj, "passportNumber", add_passport, 0);
    each(b, obj, "idNumber", add_passport, 1);
    b->cur.sex = pw_wl_sex(first(b, obj, "gender"));
    b->cur.remarks = first(b, obj, "notes");
    b->cur.category = first(b, obj, "topics");
    if (!b->cur.category)
        b->cur.category = "sanctions";
}

static int ident_cmp(const void *a, const void *b)
{
    return strcmp(((const ftm_ident *)a)->holder,
                  ((const ftm_ident *)b)->holder);
}

static void attach_idents(ftm_ctx *f)
{
    pw_wlb *b = f->b;
    size_t lo = 0, hi = f->n_ids;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(f->ids[mid].holder, b->cur.id) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < f->n_ids && !strcmp(f->ids[lo].holder, b->cur.id); lo++)
        pw_wlb_document(b, f->ids[lo].type, f->ids[lo].number,
                        f->ids[lo].country);
}

static pw_rc thing(ftm_ctx *f, json_t *obj, const char *id, int person,
                   const ftm_line *l)
{
    pw_wlb_begin(f->b, person ? PW_ENTRY_PERSON : PW_ENTRY_ENTITY);
    f->b->cur.id = pw_wlb_cstr(f->b, id);
    fill(f, obj);
    if (f->b->cur.id)
        attach_idents(f);
    return pw_wlb_commit(f->b, (uint32_t)l->no, l->offset);
}

static pw_rc bad_line(pw_wlb *b, const ftm_line *l, const char *why)
{
    return pw_wlb_diag(b, PW_ERROR, (uint32_t)l->no, l->offset,
                       "line %zu: record skipped, %s", l->no, why);
}

/* jansson quotes the text near an error, which may be a name: keep only
 * the reason and the column. */
static pw_rc bad_json(pw_wlb *b, const ftm_line *l, const json_error_t *e)
{
    char why[160];
    const char *near = strstr(e->text, " near ");
    int n = near ? (int)(near - e->text) : (int)strlen(e->text);

    snprintf(why, sizeof(why), "not JSON (%.*s at column %d)", n, e->text,
             e->column);
    return bad_line(b, l, why);
}

static json_t *parse(pw_wlb *b, const ftm_line *l, pw_rc *rc)
{
    json_error_t err;
    json_t *obj;

    *rc = PW_OK;
    if (l->len > FTM_MAX_LINE) {
        *rc = bad_line(b, l, "line longer than 4 MiB");
        return NULL;
    }
    obj = json_loadb(l->p, l->len, 0, &err);
    if (!obj)
        *rc = bad_json(b, l, &err);
    else if (!json_is_object(obj)) {
        json_decref(obj);
        *rc = bad_line(b, l, "not a JSON object");
        obj = NULL;
    }
    return obj;
}

static pw_rc one_thing(ftm_ctx *f, const ftm_line *l)
{
    pw_rc rc;
    json_t *obj = parse(f->b, l, &rc);
    const char *schema, *id;

    if (!obj)
        return rc;
    schema = json_string_value(json_object_get(obj, "schema"));
    id = json_string_value(json_object_get(obj, "id"));
    if (!schema)
        rc = bad_line(f->b, l, "no \"schema\"");
    else if (!strcmp(schema, "Person") || schema_is(schema, entity_schemas))
        rc = thing(f, obj, id, !strcmp(schema, "Person"), l);
    json_decref(obj);
    return rc;
}

static int mentions_holder(const ftm_line *l)
{
    static const char key[] = "\"holder\"";

    for (size_t i = 0; i + sizeof(key) - 1 <= l->len; i++)
        if (l->p[i] == '"' && !memcmp(l->p + i, key, sizeof(key) - 1))
            return 1;
    return 0;
}

static pw_rc push_ident(ftm_ctx *f, const ftm_ident *id)
{
    if (f->n_ids == f->cap_ids) {
        size_t cap = f->cap_ids ? f->cap_ids * 2 : 64;
        ftm_ident *bigger;
        if (cap > PW_WL_MAX_ENTRIES)
            return PW_ERR_LIMIT;
        bigger = realloc(f->ids, cap * sizeof(*bigger));
        if (!bigger)
            return PW_ERR_NOMEM;
        f->ids = bigger;
        f->cap_ids = cap;
    }
    f->ids[f->n_ids++] = *id;
    return PW_OK;
}

/* First pass: passports and identifications, so that the second pass
 * can give each holder its documents whatever the order of lines. */
static pw_rc one_ident(ftm_ctx *f, const ftm_line *l)
{
    json_error_t err;
    json_t *obj;
    const char *schema;
    ftm_ident id;
    pw_rc rc = PW_OK;

    if (l->len > FTM_MAX_LINE || !mentions_holder(l))
        return PW_OK;
    obj = json_loadb(l->p, l->len, 0, &err);
    schema = json_string_value(json_object_get(obj, "schema"));
    if (schema && schema_is(schema, ident_schemas)) {
        id.holder = first(f->b, obj, "holder");
        id.number = first(f->b, obj, "number");
        id.country = first(f->b, obj, "country");
        id.type =
            strcmp(schema, "Passport") ? first(f->b, obj, "type") : "passport";
        if (id.holder && id.number)
            rc = push_ident(f, &id);
    }
    json_decref(obj);
    return rc;
}

static pw_rc pass(ftm_ctx *f, const char *data, size_t len,
                  pw_rc (*fn)(ftm_ctx *f, const ftm_line *l))
{
    const char *p = data, *end = data + len;
    ftm_line l = {0};
    pw_rc rc = PW_OK;

    while (rc == PW_OK && next_line(&p, end, &l)) {
        l.no++;
        l.offset = (size_t)(l.p - data);
        if (!is_blank(&l))
            rc = fn(f, &l);
    }
    return rc;
}

pw_rc pw_load_ftm(pw_wlb *b, const char *data, size_t len)
{
    ftm_ctx f = {.b = b};
    pw_rc rc;

    rc = pass(&f, data, len, one_ident);
    if (f.n_ids)
        qsort(f.ids, f.n_ids, sizeof(*f.ids), ident_cmp);
    if (rc == PW_OK)
        rc = pass(&f, data, len, one_thing);
    free(f.ids);
    if (rc == PW_OK && b->n == 0 && !b->wl->diags.n_errors)
        rc = pw_wlb_diag(b, PW_ERROR, 0, 0,
                         "no Person or organisation entity found");
    return rc;
}

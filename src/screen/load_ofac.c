/* Loader for the US OFAC SDN list in its legacy CSV form: sdn.csv, with
 * aliases from alt.csv and address countries from add.csv. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "screen/load_common.h"

enum {
    SDN_ENT,
    SDN_NAME,
    SDN_TYPE,
    SDN_PROGRAM,
    SDN_REMARKS = 11,
    SDN_FIELDS = 12
};
enum { ALT_ENT, ALT_NUM, ALT_TYPE, ALT_NAME, ALT_FIELDS = 5 };
enum { ADD_ENT, ADD_NUM, ADD_COUNTRY = 4, ADD_FIELDS = 6 };

/* One line of alt.csv or add.csv, keyed by the SDN entry number. */
typedef struct side {
    long ent;
    size_t order;
    const char *value;
} side;

typedef struct side_list {
    side *items;
    size_t n, cap;
} side_list;

typedef struct ofac_ctx {
    pw_wlb *b;
    side_list alt, add;
} ofac_ctx;

/* OFAC writes "-0-" (often with a trailing space) for an empty field. */
static const char *value(pw_wlb *b, const char *s)
{
    const char *v = pw_wlb_cstr(b, s);

    return v && !strcmp(v, "-0-") ? NULL : v;
}

static int parse_ent(const char *s, long *out)
{
    char *end;
    long v;

    while (*s == ' ')
        s++;
    if (!isdigit((unsigned char)*s))
        return 0;
    v = strtol(s, &end, 10);
    while (*end == ' ')
        end++;
    if (*end || v <= 0)
        return 0;
    *out = v;
    return 1;
}

static pw_rc side_push(side_list *l, long ent, const char *v)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 1024;
        side *bigger;
        if (cap > PW_WL_MAX_ENTRIES)
            return PW_ERR_LIMIT;
        bigger = realloc(l->items, cap * sizeof(*bigger));
        if (!bigger)
            return PW_ERR_NOMEM;
        l->items = bigger;
        l->cap = cap;
    }
    l->items[l->n].ent = ent;
    l->items[l->n].order = l->n;
    l->items[l->n++].value = v;
    return PW_OK;
}

static int side_cmp(const void *a, const void *b)
{
    const side *x = a, *y = b;

    if (x->ent != y->ent)
        return x->ent < y->ent ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* The first item for ent, or NULL. */
static const side *side_find(const side_list *l, long ent)
{
    size_t lo = 0, hi = l->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (l->items[mid].ent < ent)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < l->n && l->items[lo].ent == ent ? &l->items[lo] : NULL;
}

static pw_rc side_bad(pw_wlb *b, const char *file, const pw_csv *c,
                      const char *why)
{
    return pw_wlb_diag(b, PW_ERROR, (uint32_t)c->rec_line, c->rec_offset,
                       "%s line %zu: record skipped, %s", file, c->rec_line,
                       why);
}

/* Reads alt.csv or add.csv: the value column of each line, by entry. */
static pw_rc read_side(pw_wlb *b, const char *file, const char *data,
                       size_t len, size_t n_fields, int col, side_list *l)
{
    pw_csv c;
    pw_rc rc = PW_OK;
    long ent;
    int r;

    pw_csv_init(&c, data, len);
    while (rc == PW_OK && (r = pw_csv_next(&c)) != 0) {
        if (r < 0)
            rc = PW_ERR_NOMEM;
        else if (c.error)
            rc = side_bad(b, file, &c, c.error);
        else if (c.n_fields != n_fields)
            rc = side_bad(b, file, &c, "wrong number of fields");
        else if (!parse_ent(c.fields[0], &ent))
            rc = side_bad(b, file, &c, "entry number is not a number");
        else if (col == ALT_NAME && !value(b, c.fields[ALT_NAME]))
            rc = side_bad(b, file, &c, "no alias name");
        else
            rc = side_push(l, ent, value(b, c.fields[col]));
    }
    pw_csv_free(&c);
    if (l->n)
        qsort(l->items, l->n, sizeof(*l->items), side_cmp);
    return rc;
}

/* "SURNAME, Given Names" for people; entities keep the name whole. */
static void add_name(pw_wlb *b, const char *full, int alias, int weak)
{
    const char *comma = full ? strstr(full, ", ") : NULL;
    const char *surname = NULL, *given = NULL;

    if (comma && b->cur.kind == PW_ENTRY_PERSON) {
        surname = pw_wlb_str(b, full, (size_t)(comma - full));
        given = pw_wlb_cstr(b, comma + 2);
    }
    pw_wlb_name(b, full, surname, given, NULL, alias, weak);
}

static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

static int month_of(const char *s, size_t n)
{
    if (n != 3)
        return 0;
    for (int i = 0; i < 12; i++)
        if (!strncasecmp(s, months[i], 3))
            return i + 1;
    return 0;
}

/* "10 Dec 1948", "Dec 1948" or "1948" into YYYY-MM-DD, YYYY-MM, YYYY. */
static int ofac_date(const char *s, size_t n, char out[32])
{
    int day = 0, mon = 0, year = 0, used = 0;
    char word[4] = "";

    while (n && (s[n - 1] == '.' || s[n - 1] == ' '))
        n--;
    if (sscanf(s, "%2d %3[A-Za-z] %4d%n", &day, word, &year, &used) == 3 &&
        (size_t)used == n)
        mon = month_of(word, strlen(word));
    else if (sscanf(s, "%3[A-Za-z] %4d%n", word, &year, &used) == 2 &&
             (size_t)used == n)
        mon = month_of(word, strlen(word)), day = -1;
    else if (sscanf(s, "%4d%n", &year, &used) == 1 && (size_t)used == n &&
             n == 4)
        mon = -1, day = -1;
    if (year < 1000 || year > 9999 || mon == 0 || day == 0 || day > 31)
        return 0;
    if (mon < 0)
        snprintf(out, 32, "%04d", year);
    else if (day < 0)
        snprintf(out, 32, "%04d-%02d", year, mon);
    else
        snprintf(out, 32, "%04d-%02d-%02d", year, mon, day);
    return 1;
}

/* "circa 1960", "1960 to 1962", "01 Jan 1960 to 31 Dec 1962" ... */
static void remark_dob(pw_wlb *b, const char *s)
{
    const char *to;
    char from_d[32], to_d[32];

    if (!strncasecmp(s, "circa ", 6))
        s += 6;
    /* sought after "circa ": in "circa to 1960" the " to " would lie
     * before the date's start */
    to = strstr(s, " to ");
    if (!to && ofac_date(s, strlen(s), from_d)) {
        pw_wlb_date(b, pw_wlb_cstr(b, from_d), NULL);
        return;
    }
    if (to && ofac_date(s, (size_t)(to - s), from_d) &&
        ofac_date(to + 4, strlen(to + 4), to_d))
        pw_wlb_date(b, pw_wlb_str(b, from_d, 4), pw_wlb_str(b, to_d, 4));
}

/* "1084010 (Egypt)" or "19820215": a number with its issuing country. */
static void remark_document(pw_wlb *b, const char *type, const char *s)
{
    const char *open = strstr(s, " (");
    const char *close = open ? strchr(open, ')') : NULL;
    const char *issuer = NULL;

    if (open && close)
        issuer = pw_wlb_str(b, open + 2, (size_t)(close - open - 2));
    pw_wlb_document(b, type,
                    pw_wlb_str(b, s, open ? (size_t)(open - s) : strlen(s)),
                    issuer);
}

/* a.k.a. 'BNC': OFAC's weak aliases live in the remarks. */
static void remark_aka(pw_wlb *b, const char *s)
{
    size_t n = strlen(s);

    if (n >= 2 && s[0] == '\'' && s[n - 1] == '\'')
        add_name(b, pw_wlb_str(b, s + 1, n - 2), 1, 1);
}

static int starts(const char *s, const char *prefix, const char **rest)
{
    size_t n = strlen(prefix);

    if (strncmp(s, prefix, n))
        return 0;
    *rest = s + n;
    return 1;
}

static int id_number_kind(const char *s, const char **rest)
{
    const char *no = strstr(s, " No. ");

    if (!no || !(starts(s, "National ID", rest) || starts(s, "Cedula", rest) ||
                 strstr(s, "Personal ID") ||
                 (strstr(s, " ID No. ") && no == strstr(s, " ID No. ") + 3)))
        return 0;
    if (no - s > 40)
        return 0;
    *rest = no + 5;
    return 1;
}

static void remark(pw_wlb *b, const char *s)
{
    const char *rest;

    starts(s, "alt. ", &s);
    if (starts(s, "DOB ", &rest))
        remark_dob(b, rest);
    else if (starts(s, "nationality ", &rest) || starts(s, "citizen ", &rest))
        pw_wlb_nationality(b, pw_wlb_cstr(b, rest));
    else if (starts(s, "Passport ", &rest))
        remark_document(b, "passport", rest);
    else if (id_number_kind(s, &rest))
        remark_document(b, "id_card", rest);
    else if (starts(s, "Gender ", &rest))
        b->cur.sex = pw_wl_sex(rest);
    else if (starts(s, "a.k.a. ", &rest) || starts(s, "f.k.a. ", &rest))
        remark_aka(b, rest);
}

/* Remarks are "part; part; ...; part." */
static void remarks(pw_wlb *b, const char *s)
{
    while (s && *s) {
        const char *semi = strchr(s, ';');
        size_t n = semi ? (size_t)(semi - s) : strlen(s);
        char part[1024];
        const char *t;

        while (n && s[n - 1] == '.' && !semi)
            n--;
        if (n < sizeof(part)) {
            memcpy(part, s, n);
            part[n] = '\0';
            t = pw_wlb_cstr(b, part);
            if (t)
                remark(b, t);
        }
        s = semi ? semi + 1 : NULL;
    }
}

static void sides(ofac_ctx *o, long ent)
{
    pw_wlb *b = o->b;

    for (const side *a = side_find(&o->alt, ent);
         a && a < o->alt.items + o->alt.n && a->ent == ent; a++)
        add_name(b, a->value, 1, 0);
    for (const side *a = side_find(&o->add, ent);
         a && a < o->add.items + o->add.n && a->ent == ent; a++)
        pw_wlb_country(b, a->value);
}

static const char *sdn_problem(const pw_csv *c, long *ent)
{
    if (c->error)
        return c->error;
    if (c->n_fields != SDN_FIELDS)
        return "wrong number of fields (12 expected)";
    if (!parse_ent(c->fields[SDN_ENT], ent))
        return "ent_num is not a number";
    return NULL;
}

static pw_rc sdn_record(ofac_ctx *o, const pw_csv *c)
{
    pw_wlb *b = o->b;
    const char *type, *why;
    char id[24];
    long ent = 0;

    why = sdn_problem(c, &ent);
    if (why)
        return pw_wlb_diag(b, PW_ERROR, (uint32_t)c->rec_line, c->rec_offset,
                           "sdn.csv line %zu: record skipped, %s", c->rec_line,
                           why);
    type = value(b, c->fields[SDN_TYPE]);
    pw_wlb_begin(b, type && !strcmp(type, "individual") ? PW_ENTRY_PERSON
                                                        : PW_ENTRY_ENTITY);
    snprintf(id, sizeof(id), "%ld", ent);
    b->cur.id = pw_wlb_cstr(b, id);
    b->cur.category = "sanctions";
    add_name(b, value(b, c->fields[SDN_NAME]), 0, 0);
    b->cur.remarks = value(b, c->fields[SDN_REMARKS]);
    remarks(b, b->cur.remarks);
    sides(o, ent);
    return pw_wlb_commit(b, (uint32_t)c->rec_line, c->rec_offset);
}

static pw_rc read_sdn(ofac_ctx *o, const char *data, size_t len)
{
    pw_csv c;
    pw_rc rc = PW_OK;
    int r;

    pw_csv_init(&c, data, len);
    while (rc == PW_OK && (r = pw_csv_next(&c)) != 0)
        rc = r < 0 ? PW_ERR_NOMEM : sdn_record(o, &c);
    pw_csv_free(&c);
    return rc;
}

pw_rc pw_load_ofac(pw_wlb *b, const char *sdn, size_t sdn_len, const char *alt,
                   size_t alt_len, const char *add, size_t add_len)
{
    ofac_ctx o = {.b = b};
    pw_rc rc = PW_OK;

    if (alt)
        rc =
            read_side(b, "alt.csv", alt, alt_len, ALT_FIELDS, ALT_NAME, &o.alt);
    if (rc == PW_OK && add)
        rc = read_side(b, "add.csv", add, add_len, ADD_FIELDS, ADD_COUNTRY,
                       &o.add);
    if (rc == PW_OK)
        rc = read_sdn(&o, sdn, sdn_len);
    free(o.alt.items);
    free(o.add.items);
    return rc;
}

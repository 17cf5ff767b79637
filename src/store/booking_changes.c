/* What changed between two versions of a booking, read from their
 * canonical JSON text directly. Both versions are canonical (compact,
 * keys sorted: pw_booking_content, or json_dumps before it), so two
 * values are equal exactly when their texts are, and a version needs
 * no parse into a tree: that parse was most of the cost of storing a
 * changed booking. Whatever is not plainly canonical goes to the
 * jansson reference (pw_booking_changes_tree), which gives the same
 * answer the slow way. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paxwatch/booking.h"
#include "store/store_impl.h"

/* Nesting of the booking's JSON is at most four deep; deeper is not
 * ours. A booking's top level has 22 keys. */
#define MAX_DEPTH 16
#define MAX_KEYS 64

typedef struct span {
    const char *p;
    size_t n;
} span;

/* The top-level fields of one object. */
typedef struct fields {
    span key[MAX_KEYS], val[MAX_KEYS];
    int n;
} fields;

static size_t unicode_at(const char *s, const char *end, unsigned *cp);
static char escaped(char c);

/* The last byte of the escape whose letter is at s, NULL when jansson
 * would refuse it (\u0000 and lone surrogates included). */
static const char *skip_escape(const char *s, const char *end)
{
    unsigned cp;
    size_t used;

    if (s >= end)
        return NULL;
    if (*s != 'u')
        return escaped(*s) ? s : NULL;
    used = unicode_at(s + 1, end, &cp);
    return used ? s + used : NULL;
}

/* Past the string at s (its opening quote), NULL when it is not one
 * jansson would read as it is. *plain is cleared when it holds an
 * escape. */
static const char *skip_string(const char *s, const char *end, int *plain)
{
    *plain = 1;
    for (s++; s < end; s++) {
        unsigned char c = (unsigned char)*s;
        size_t k;

        if (c == '"')
            return s + 1;
        if (c < 0x20)
            return NULL;
        if (c == '\\') {
            *plain = 0;
            s = skip_escape(s + 1, end);
            if (!s)
                return NULL;
            continue;
        }
        if (c >= 0x80) {
            k = pw_store_utf8_at((const unsigned char *)s, (size_t)(end - s));
            if (!k)
                return NULL;
            s += k - 1;
        }
    }
    return NULL;
}

/* An integer as the writer makes them; anything else (reals, huge
 * numbers) is left to the reference. */
static const char *skip_number(const char *s, const char *end)
{
    const char *start = s, *d;

    if (s < end && *s == '-')
        s++;
    d = s;
    while (s < end && *s >= '0' && *s <= '9')
        s++;
    /* "-0" equals 0 in jansson but not as text */
    if (s == d || s - d > 18 || (*d == '0' && (s - d > 1 || d > start)))
        return NULL;
    if (s < end && (*s == '.' || *s == 'e' || *s == 'E'))
        return NULL;
    return s;
}

static const char *skip_word(const char *s, const char *end, const char *w)
{
    size_t n = strlen(w);

    return (size_t)(end - s) >= n && !memcmp(s, w, n) ? s + n : NULL;
}

/* strcmp order of two keys without escapes. */
static int key_before(span a, span b)
{
    int c = memcmp(a.p, b.p, a.n < b.n ? a.n : b.n);

    return c < 0 || (c == 0 && a.n < b.n);
}

static const char *skip_value(const char *s, const char *end, int depth,
                              fields *top);

/* The object at s, its keys strictly ascending and plain; its fields
 * kept in top when top is not NULL. */
static const char *skip_object(const char *s, const char *end, int depth,
                               fields *top)
{
    span prev = {NULL, 0};
    int plain;

    if (top)
        top->n = 0;
    if (++s < end && *s == '}')
        return s + 1;
    while (s && s < end && *s == '"') {
        span key = {s + 1, 0};
        const char *v = skip_string(s, end, &plain);
        if (!v || !plain || v >= end || *v != ':')
            return NULL;
        key.n = (size_t)(v - 1 - key.p);
        if (prev.p && !key_before(prev, key))
            return NULL;
        prev = key;
        s = skip_value(v + 1, end, depth + 1, NULL);
        if (top && (!s || top->n == MAX_KEYS))
            return NULL;
        if (top) {
            top->key[top->n] = key;
            top->val[top->n++] = (span){v + 1, (size_t)(s - v - 1)};
        }
        if (!s || s >= end || (*s != ',' && *s != '}'))
            return NULL;
        if (*s++ == '}')
            return s;
    }
    return NULL;
}

static const char *skip_array(const char *s, const char *end, int depth)
{
    if (++s < end && *s == ']')
        return s + 1;
    while (s && s < end) {
        s = skip_value(s, end, depth + 1, NULL);
        if (!s || s >= end || (*s != ',' && *s != ']'))
            return NULL;
        if (*s++ == ']')
            return s;
    }
    return NULL;
}

static const char *skip_value(const char *s, const char *end, int depth,
                              fields *top)
{
    int plain;

    if (s >= end || depth > MAX_DEPTH)
        return NULL;
    switch (*s) {
    case '"':
        return skip_string(s, end, &plain);
    case '{':
        return skip_object(s, end, depth, top);
    case '[':
        return skip_array(s, end, depth);
    case 't':
        return skip_word(s, end, "true");
    case 'f':
        return skip_word(s, end, "false");
    case 'n':
        return skip_word(s, end, "null");
    default:
        return skip_number(s, end);
    }
}

/* The fields of the object that is all of text; 0 when it is not a
 * plainly canonical object. */
static int read_object(span text, fields *f)
{
    const char *end = text.p + text.n;

    return text.n && *text.p == '{' && skip_value(text.p, end, 0, f) == end;
}

static const span *field_of(const fields *f, const char *key)
{
    size_t n = strlen(key);

    for (int i = 0; i < f->n; i++)
        if (f->key[i].n == n && !memcmp(f->key[i].p, key, n))
            return &f->val[i];
    return NULL;
}

static int hex4(const char *s, unsigned *v)
{
    *v = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        unsigned d = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
                     : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                     : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
                                            : 16;
        if (d == 16)
            return 0;
        *v = *v << 4 | d;
    }
    return 1;
}

static size_t put_utf8(char *o, unsigned cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | cp >> 6);
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | cp >> 12);
        o[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | cp >> 18);
    o[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    o[2] = (char)(0x80 | (cp >> 6 & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* \uXXXX at s (past the backslash and u), with its low surrogate when
 * it is a high one; 0 when jansson would refuse it (NUL included). */
static size_t unicode_at(const char *s, const char *end, unsigned *cp)
{
    unsigned lo;

    if (end - s < 4 || !hex4(s, cp) || *cp == 0 ||
        (*cp >= 0xDC00 && *cp <= 0xDFFF))
        return 0;
    if (*cp < 0xD800 || *cp > 0xDBFF)
        return 4;
    if (end - s < 10 || s[4] != '\\' || s[5] != 'u' || !hex4(s + 6, &lo) ||
        lo < 0xDC00 || lo > 0xDFFF)
        return 0;
    *cp = 0x10000 + ((*cp - 0xD800) << 10) + (lo - 0xDC00);
    return 10;
}

static char escaped(char c)
{
    switch (c) {
    case '"':
    case '\\':
    case '/':
        return c;
    case 'b':
        return '\b';
    case 'f':
        return '\f';
    case 'n':
        return '\n';
    case 'r':
        return '\r';
    case 't':
        return '\t';
    default:
        return 0;
    }
}

/* The text of string value v (quotes included) into out (v.n bytes at
 * least); 0 when it holds an escape jansson refuses. */
static int unescape(span v, char *out)
{
    const char *s = v.p + 1, *end = v.p + v.n - 1;
    size_t k = 0, used;
    unsigned cp;

    while (s < end) {
        if (*s != '\\') {
            out[k++] = *s++;
            continue;
        }
        s++;
        if (*s == 'u') {
            used = unicode_at(s + 1, end, &cp);
            if (!used)
                return 0;
            k += put_utf8(out + k, cp);
            s += 1 + used;
            continue;
        }
        out[k] = escaped(*s++);
        if (!out[k++])
            return 0;
    }
    out[k] = '\0';
    return 1;
}

/* jstr of the reference: the string value of key in the item, "" when
 * it is absent or not a string. *bad when it cannot be read. */
static char *str_of(const fields *item, const char *key, char *buf, int *bad)
{
    const span *v = field_of(item, key);

    buf[0] = '\0';
    if (v && v->n && v->p[0] == '"' && !unescape(*v, buf))
        *bad = 1;
    return buf;
}

/* The reference's label of a list item, made the same way (with its
 * 512-byte limit); malloc'd, NULL on failure. */
static char *label_of(const char *list, span item, int *bad)
{
    fields *f = malloc(sizeof(*f));
    size_t m = item.n + 1;
    char *t = malloc(5 * m), *out = NULL, buf[512];

    if (!f || !t || !read_object(item, f)) {
        *bad = 1;
    } else if (!strcmp(list, "travellers")) {
        snprintf(buf, sizeof(buf), "%s %s", str_of(f, "surname", t, bad),
                 str_of(f, "given_names", t + m, bad));
    } else if (!strcmp(list, "itinerary")) {
        snprintf(buf, sizeof(buf), "%s%s %s-%s %s",
                 str_of(f, "carrier", t, bad), str_of(f, "number", t + m, bad),
                 str_of(f, "from", t + 2 * m, bad),
                 str_of(f, "to", t + 3 * m, bad),
                 str_of(f, "departure", t + 4 * m, bad));
    } else {
        snprintf(buf, sizeof(buf), "%s %s %s", str_of(f, "type", t, bad),
                 str_of(f, "amount", t + m, bad),
                 str_of(f, "currency", t + 2 * m, bad));
    }
    if (!*bad)
        out = strdup(buf);
    *bad |= !out;
    free(f);
    free(t);
    return out;
}

static void free_labels(char **l, size_t n)
{
    for (size_t i = 0; l && i < n; i++)
        free(l[i]);
    free(l);
}

/* The labels of the items of list value v; none when v is absent or
 * not an array, as json_array_foreach sees it. */
static char **labels_of(const char *list, const span *v, size_t *n, int *bad)
{
    const char *s, *end, *e;
    char **l = NULL;
    size_t cap = 0;

    *n = 0;
    if (!v || v->p[0] != '[' || v->p[1] == ']')
        return NULL;
    end = v->p + v->n;
    for (s = v->p + 1; !*bad && s < end; s = e + 1) {
        e = skip_value(s, end, 1, NULL);
        if (e && *n == cap) {
            char **more = realloc(l, (cap * 2 + 8) * sizeof(*l));
            if (more)
                cap = cap * 2 + 8, l = more;
        }
        if (!e || *n == cap) {
            *bad = 1;
            break;
        }
        l[*n] = label_of(list, (span){s, (size_t)(e - s)}, bad);
        *n += !*bad;
    }
    return l;
}

static int in_labels(char **l, size_t n, const char *want)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(l[i], want))
            return 1;
    return 0;
}

/* Labels of x that y lacks, appended to out as the reference does. */
static void missing(char **x, size_t nx, char **y, size_t ny, json_t *out)
{
    for (size_t i = 0; i < nx; i++)
        if (!in_labels(y, ny, x[i]))
            json_array_append_new(out, json_string(x[i]));
}

/* json_equal of two canonical values: equal texts (absent is never
 * equal, as in jansson). */
static int same(const span *a, const span *b)
{
    return a && b && a->n == b->n && !memcmp(a->p, b->p, a->n);
}

static void diff_list(const char *list, const fields *a, const fields *b,
                      json_t *changes, json_t *changed, int *bad)
{
    const span *va = field_of(a, list), *vb = field_of(b, list);
    size_t na = 0, nb = 0;
    char **la = labels_of(list, va, &na, bad);
    char **lb = labels_of(list, vb, &nb, bad);
    json_t *added = json_array(), *removed = json_array(), *o;

    if (!*bad && added && removed) {
        missing(lb, nb, la, na, added);
        missing(la, na, lb, nb, removed);
    }
    *bad |= !added || !removed;
    if (!*bad && (json_array_size(added) || json_array_size(removed))) {
        o = json_object();
        json_object_set(o, "added", added);
        json_object_set(o, "removed", removed);
        json_object_set_new(changes, list, o);
    } else if (!*bad && !same(va, vb)) {
        json_array_append_new(changed, json_string(list));
    }
    json_decref(added);
    json_decref(removed);
    free_labels(la, na);
    free_labels(lb, nb);
}

static int is_list_key(span k)
{
    return (k.n == 10 && !memcmp(k.p, "travellers", 10)) ||
           (k.n == 9 && !memcmp(k.p, "itinerary", 9)) ||
           (k.n == 8 && !memcmp(k.p, "payments", 8));
}

static const span *value_of(const fields *f, span key)
{
    for (int i = 0; i < f->n; i++)
        if (f->key[i].n == key.n && !memcmp(f->key[i].p, key.p, key.n))
            return &f->val[i];
    return NULL;
}

/* Other keys whose value differs, present in either (x's order). */
static void diff_keys(const fields *x, const fields *y, json_t *changed,
                      int both)
{
    for (int i = 0; i < x->n; i++) {
        const span *w = value_of(y, x->key[i]);
        if (is_list_key(x->key[i]) || (!both && w))
            continue;
        if (!same(&x->val[i], w))
            json_array_append_new(changed,
                                  json_stringn(x->key[i].p, x->key[i].n));
    }
}

char *pw_booking_changes_text(const char *before, const char *after)
{
    static const char *const lists[] = {"travellers", "itinerary", "payments"};
    fields *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
    json_t *changes = json_object(), *changed = json_array();
    char *out = NULL;
    int bad = !a || !b || !changes || !changed;

    if (!bad)
        bad = !read_object((span){before, strlen(before)}, a) ||
              !read_object((span){after, strlen(after)}, b);
    if (!bad)
        json_object_set(changes, "changed", changed);
    for (size_t i = 0; !bad && i < 3; i++)
        diff_list(lists[i], a, b, changes, changed, &bad);
    if (!bad) {
        diff_keys(a, b, changed, 1);
        diff_keys(b, a, changed, 0);
        if (!json_array_size(changed))
            json_object_del(changes, "changed");
        out = json_dumps(changes, JSON_SORT_KEYS | JSON_COMPACT);
    }
    json_decref(changed);
    json_decref(changes);
    free(a);
    free(b);
    return out;
}

char *pw_booking_changes(const char *before, const char *after)
{
    char *out = before && after ? pw_booking_changes_text(before, after) : NULL;

    return out ? out : pw_booking_changes_tree(before, after);
}

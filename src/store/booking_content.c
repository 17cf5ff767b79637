/* What the store keeps of a booking, whatever the kind of store: its
 * identity, its canonical JSON and hash, the summary of its itinerary,
 * and what changed between two versions. */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paxwatch/booking.h"
#include "store/store_impl.h"

/* The booking's object alone, from the JSON of a one-booking view of
 * its message (the JSON code is the one place that knows the keys). */
static json_t *booking_json(const pw_msg *m, const pw_booking *b)
{
    pw_msg one = *m;
    json_t *o = json_object(), *arr, *bk;

    one.bookings = (pw_booking *)b;
    one.n_bookings = 1;
    if (!o || pw_bookings_json_add(o, &one) != 0) {
        json_decref(o);
        return NULL;
    }
    arr = json_object_get(o, "bookings");
    bk = json_incref(json_array_get(arr, 0));
    json_decref(o);
    if (bk)
        json_object_del(bk, "segment");
    return bk;
}

pw_rc pw_booking_content(const pw_msg *m, const pw_booking *b, char **json,
                         char sha256[65])
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    json_t *bk = booking_json(m, b);

    *json = NULL;
    if (!bk)
        return PW_ERR_NOMEM;
    *json = json_dumps(bk, JSON_SORT_KEYS | JSON_COMPACT);
    json_decref(bk);
    if (!*json)
        return PW_ERR_NOMEM;
    if (sodium_init() < 0)
        return PW_ERR_UNSUPPORTED;
    crypto_hash_sha256(digest, (const unsigned char *)*json, strlen(*json));
    sodium_bin2hex(sha256, 65, digest, sizeof(digest));
    return PW_OK;
}

pw_rc pw_booking_key(const pw_msg *m, const pw_booking *b, char *key,
                     size_t cap)
{
    const char *carrier = b->locator.carrier ? b->locator.carrier : m->sender;
    const char *created = b->created ? b->created : b->locator.created;
    int n;

    /* The date alone: the same booking may come with its creation time
     * written to the minute or to the second. */
    n = snprintf(key, cap, "%s|%s|%.10s",
                 b->locator.locator ? b->locator.locator : "",
                 carrier ? carrier : "", created ? created : "");
    return n < 0 || (size_t)n >= cap ? PW_ERR_LIMIT : PW_OK;
}

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

char *pw_booking_itinerary(const pw_booking *b)
{
    size_t cap = 1, at = 0;
    char *out;

    for (size_t i = 0; i < b->n_itinerary; i++) {
        const pw_flight *f = &b->itinerary[i];
        cap += strlen(or_empty(f->carrier)) + strlen(or_empty(f->number)) +
               strlen(or_empty(f->from)) + strlen(or_empty(f->to)) +
               strlen(or_empty(f->departure)) + 8;
    }
    out = malloc(cap);
    if (!out)
        return NULL;
    out[0] = '\0';
    for (size_t i = 0; i < b->n_itinerary; i++) {
        const pw_flight *f = &b->itinerary[i];
        at += (size_t)snprintf(
            out + at, cap - at, "%s%s%s %s-%s%s%s", i ? ", " : "",
            or_empty(f->carrier), or_empty(f->number), or_empty(f->from),
            or_empty(f->to), f->departure ? " " : "", or_empty(f->departure));
    }
    return out;
}

static const char *jstr(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));

    return s ? s : "";
}

/* A short label for an item of a list that is compared item by item. */
static char *label(const char *list, const json_t *it)
{
    char buf[512];

    if (!strcmp(list, "travellers"))
        snprintf(buf, sizeof(buf), "%s %s", jstr(it, "surname"),
                 jstr(it, "given_names"));
    else if (!strcmp(list, "itinerary"))
        snprintf(buf, sizeof(buf), "%s%s %s-%s %s", jstr(it, "carrier"),
                 jstr(it, "number"), jstr(it, "from"), jstr(it, "to"),
                 jstr(it, "departure"));
    else
        snprintf(buf, sizeof(buf), "%s %s %s", jstr(it, "type"),
                 jstr(it, "amount"), jstr(it, "currency"));
    return strdup(buf);
}

static int has_label(const char *list, const json_t *arr, const char *want)
{
    size_t i;
    json_t *it;

    json_array_foreach(arr, i, it)
    {
        char *l = label(list, it);
        int same = l && !strcmp(l, want);
        free(l);
        if (same)
            return 1;
    }
    return 0;
}

/* Labels of the items of a that b lacks, appended to out. */
static int missing(const char *list, const json_t *a, const json_t *b,
                   json_t *out)
{
    size_t i;
    json_t *it;

    json_array_foreach(a, i, it)
    {
        char *l = label(list, it);
        if (!l)
            return -1;
        if (!has_label(list, b, l))
            json_array_append_new(out, json_string(l));
        free(l);
    }
    return 0;
}

static int diff_list(const char *list, const json_t *before,
                     const json_t *after, json_t *changes)
{
    const json_t *a = json_object_get(before, list);
    const json_t *b = json_object_get(after, list);
    json_t *added = json_array(), *removed = json_array(), *o;
    int rc = added && removed ? 0 : -1;

    if (rc == 0)
        rc = missing(list, b, a, added) | missing(list, a, b, removed);
    if (rc == 0 && (json_array_size(added) || json_array_size(removed))) {
        o = json_object();
        json_object_set(o, "added", added);
        json_object_set(o, "removed", removed);
        json_object_set_new(changes, list, o);
    } else if (rc == 0 && !json_equal((json_t *)a, (json_t *)b)) {
        /* same items, other details (documents, seats in them ...) */
        json_array_append_new(json_object_get(changes, "changed"),
                              json_string(list));
    }
    json_decref(added);
    json_decref(removed);
    return rc;
}

static int is_list_key(const char *k)
{
    return !strcmp(k, "travellers") || !strcmp(k, "itinerary") ||
           !strcmp(k, "payments");
}

/* Other keys whose value differs, present in either. */
static void diff_keys(json_t *x, json_t *y, json_t *changed, int both)
{
    const char *k;
    json_t *v;

    json_object_foreach(x, k, v)
    {
        json_t *w = json_object_get(y, k);
        if (is_list_key(k) || (!both && w))
            continue;
        if (!w || !json_equal(v, w))
            json_array_append_new(changed, json_string(k));
    }
}

static char *changes_of(json_t *a, json_t *b)
{
    json_t *changes = json_object(), *changed = json_array();
    static const char *const lists[] = {"travellers", "itinerary", "payments"};
    char *out = NULL;
    int rc = changes && changed ? 0 : -1;

    if (rc == 0)
        json_object_set(changes, "changed", changed);
    for (size_t i = 0; rc == 0 && i < 3; i++)
        rc = diff_list(lists[i], a, b, changes);
    if (rc == 0) {
        diff_keys(a, b, changed, 1);
        diff_keys(b, a, changed, 0);
        if (!json_array_size(changed))
            json_object_del(changes, "changed");
        out = json_dumps(changes, JSON_SORT_KEYS | JSON_COMPACT);
    }
    json_decref(changed);
    json_decref(changes);
    return out;
}

char *pw_booking_changes(const char *before, const char *after)
{
    json_t *a = json_loads(before, 0, NULL);
    json_t *b = json_loads(after, 0, NULL);
    char *out = NULL;

    if (json_is_object(a) && json_is_object(b))
        out = changes_of(a, b);
    json_decref(a);
    json_decref(b);
    return out;
}

static size_t squeeze(const char *s, int first_word, char *out, size_t cap)
{
    size_t n = 0;

    while (s && *s == ' ')
        s++;
    for (; s && *s && n + 1 < cap; s++) {
        unsigned char c = (unsigned char)*s;
        if (first_word && c == ' ')
            break;
        if ((c >= 'a' && c <= 'z'))
            out[n++] = (char)(c - 'a' + 'A');
        else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80)
            out[n++] = (char)c;
    }
    out[n] = '\0';
    return n;
}

void pw_traveller_name_key(const pw_traveller *t, char *out, size_t cap)
{
    size_t n;

    out[0] = '\0';
    if (!t->surname || cap < 3)
        return;
    n = squeeze(t->surname, 0, out, cap - 1);
    if (!n)
        return;
    out[n++] = '|';
    squeeze(t->given_names, 1, out + n, cap - n);
}

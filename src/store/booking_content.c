/* What the store keeps of a booking, whatever the kind of store: its
 * identity, its canonical JSON and hash, the summary of its itinerary,
 * and what changed between two versions. */
#include <jansson.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paxwatch/booking.h"
#include "store/store_impl.h"

/* ---- The canonical booking JSON, written directly ----
 * Byte for byte what jansson's json_dumps(JSON_SORT_KEYS | JSON_COMPACT)
 * makes of the booking's object in pw_bookings_json_add (less its
 * "segment"), so stored hashes keep their meaning, without building and
 * freeing a tree of small allocations for every booking. */

/* Output bytes; failed is sticky (allocation, limit or bad UTF-8). */
typedef struct jw {
    char *p;
    size_t len, cap;
    pw_rc failed;
} jw;

/* One booking's JSON is bounded by the message it came from; this is a
 * backstop against a runaway writer. */
#define JW_MAX ((size_t)64 << 20)

static void jw_put(jw *w, const char *s, size_t n)
{
    if (w->failed)
        return;
    if (w->len + n + 1 > w->cap) {
        size_t cap = w->cap ? w->cap : 1024;
        char *p;
        while (cap < w->len + n + 1)
            cap *= 2;
        p = cap <= JW_MAX ? realloc(w->p, cap) : NULL;
        if (!p) {
            w->failed = cap <= JW_MAX ? PW_ERR_NOMEM : PW_ERR_LIMIT;
            return;
        }
        w->p = p;
        w->cap = cap;
    }
    memcpy(w->p + w->len, s, n);
    w->len += n;
}

static void jw_ch(jw *w, char c)
{
    if (!w->failed && w->len + 2 <= w->cap)
        w->p[w->len++] = c;
    else
        jw_put(w, &c, 1);
}

/* Length of the valid UTF-8 sequence at s, 0 when invalid (jansson
 * refuses such strings, and so does this writer). */
static size_t utf8_len(const unsigned char *s)
{
    unsigned c = s[0], need, cp;

    if (c < 0x80)
        return 1;
    if (c < 0xC2 || c > 0xF4)
        return 0;
    need = c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
    cp = c & (0x3F >> need);
    for (unsigned i = 1; i <= need; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3Fu);
    }
    if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return need + 1;
}

static void jw_escape(jw *w, unsigned char c)
{
    static const char hex[] = "0123456789ABCDEF";
    char seq[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};

    switch (c) {
    case '"':
        jw_put(w, "\\\"", 2);
        break;
    case '\\':
        jw_put(w, "\\\\", 2);
        break;
    case '\b':
        jw_put(w, "\\b", 2);
        break;
    case '\f':
        jw_put(w, "\\f", 2);
        break;
    case '\n':
        jw_put(w, "\\n", 2);
        break;
    case '\r':
        jw_put(w, "\\r", 2);
        break;
    case '\t':
        jw_put(w, "\\t", 2);
        break;
    default:
        jw_put(w, seq, 6);
    }
}

/* Bytes that need a look before they are written: NUL (the end),
 * controls, '"', '\\' and the start of multi-byte UTF-8. Most values
 * have none, so the scan is one table load a byte. */
#define LOOK16 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1
#define PLAIN16 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
static const unsigned char look[256] = {
    LOOK16,  LOOK16, /* 0x00-0x1F */
    0,       0,       1,      0,      0,      0,      0, 0,
    0,       0,       0,      0,      0,      0,      0, 0, /* '"' */
    PLAIN16, PLAIN16,                                       /* 0x30-0x4F */
    0,       0,       0,      0,      0,      0,      0, 0,
    0,       0,       0,      0,      1,      0,      0, 0, /* '\\' */
    PLAIN16, PLAIN16, LOOK16, LOOK16, LOOK16, LOOK16,       /* to 0xBF */
    LOOK16,  LOOK16,  LOOK16, LOOK16,                       /* to 0xFF */
};

static void jw_str(jw *w, const char *s)
{
    const unsigned char *u = (const unsigned char *)s, *from = u;

    jw_ch(w, '"');
    for (;;) {
        while (!look[*u])
            u++;
        if (!*u)
            break;
        if (*u >= 0x80) {
            size_t n = utf8_len(u);
            if (!n) {
                w->failed = w->failed ? w->failed : PW_ERR_INVALID;
                return;
            }
            u += n;
            continue;
        }
        jw_put(w, (const char *)from, (size_t)(u - from));
        jw_escape(w, *u++);
        from = u;
    }
    jw_put(w, (const char *)from, (size_t)(u - from));
    jw_ch(w, '"');
}

static void jw_int(jw *w, long long v)
{
    char buf[24];
    size_t n = sizeof(buf);
    unsigned long long u =
        v < 0 ? 0 - (unsigned long long)v : (unsigned long long)v;

    do {
        buf[--n] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        buf[--n] = '-';
    jw_put(w, buf + n, sizeof(buf) - n);
}

/* An object is gathered as fields, then written with its keys sorted. */
typedef void (*item_fn)(jw *, const void *item, const void *ctx);

enum fkind { F_STR, F_NULL, F_INT, F_TRUE, F_LIST, F_OBJ };

typedef struct field {
    const char *key;
    enum fkind kind;
    const char *s;
    long long i;
    const void *items, *ctx;
    size_t n, sz;
    item_fn fn;
} field;

#define MAX_FIELDS 24

/* Declared without an initializer, only n set: clearing every field of
 * every object cost more than writing it; add() clears what it hands
 * out. */
typedef struct obj {
    field f[MAX_FIELDS];
    int n;
} obj;

static field *add(obj *o, const char *key, enum fkind kind)
{
    field *f = &o->f[o->n++];

    memset(f, 0, sizeof(*f));
    f->key = key;
    f->kind = kind;
    return f;
}

static void f_str(obj *o, const char *key, const char *s)
{
    add(o, key, s ? F_STR : F_NULL)->s = s;
}

static void f_opt(obj *o, const char *key, const char *s)
{
    if (s)
        f_str(o, key, s);
}

static void f_int(obj *o, const char *key, long long i)
{
    add(o, key, F_INT)->i = i;
}

static void f_index(obj *o, const char *key, int i)
{
    if (i >= 0)
        f_int(o, key, i);
}

static void f_true(obj *o, const char *key, int cond)
{
    if (cond)
        add(o, key, F_TRUE);
}

/* A list of n items of size sz; `always` writes [] when n is 0. */
static void f_list(obj *o, const char *key, const void *items, size_t n,
                   size_t sz, item_fn fn, const void *ctx, int always)
{
    field *f;

    if (!n && !always)
        return;
    f = add(o, key, F_LIST);
    f->items = items;
    f->n = n;
    f->sz = sz;
    f->fn = fn;
    f->ctx = ctx;
}

#define F_LIST(o, key, arr, n, fn, ctx, always)                                \
    f_list(o, key, arr, n, sizeof(*(arr)), fn, ctx, always)

static void f_obj(obj *o, const char *key, const void *item, item_fn fn)
{
    field *f = add(o, key, F_OBJ);

    f->items = item;
    f->fn = fn;
}

static void write_field(jw *w, const field *f)
{
    switch (f->kind) {
    case F_STR:
        jw_str(w, f->s);
        break;
    case F_NULL:
        jw_put(w, "null", 4);
        break;
    case F_INT:
        jw_int(w, f->i);
        break;
    case F_TRUE:
        jw_put(w, "true", 4);
        break;
    case F_OBJ:
        f->fn(w, f->items, f->ctx);
        break;
    case F_LIST:
        jw_ch(w, '[');
        for (size_t i = 0; i < f->n; i++) {
            if (i)
                jw_ch(w, ',');
            f->fn(w, (const char *)f->items + i * f->sz, f->ctx);
        }
        jw_ch(w, ']');
    }
}

/* strcmp(a, b) > 0, with the first byte compared inline: keys mostly
 * differ there. */
static int key_after(const char *a, const char *b)
{
    if (*a != *b)
        return (unsigned char)*a > (unsigned char)*b;
    return strcmp(a, b) > 0;
}

/* "key": for the keys of this file, constants that need no escape. */
static void jw_key(jw *w, const char *key)
{
    jw_ch(w, '"');
    jw_put(w, key, strlen(key));
    jw_put(w, "\":", 2);
}

static void write_obj(jw *w, obj *o)
{
    unsigned char ord[MAX_FIELDS];

    /* insertion sort of the field numbers, not of the fields: a few
     * dozen keys at most */
    for (int i = 0; i < o->n; i++) {
        int j = i;
        for (; j > 0 && key_after(o->f[ord[j - 1]].key, o->f[i].key); j--)
            ord[j] = ord[j - 1];
        ord[j] = (unsigned char)i;
    }
    jw_ch(w, '{');
    for (int i = 0; i < o->n; i++) {
        if (i)
            jw_ch(w, ',');
        jw_key(w, o->f[ord[i]].key);
        write_field(w, &o->f[ord[i]]);
    }
    jw_ch(w, '}');
}

static void w_string(jw *w, const void *item, const void *ctx)
{
    (void)ctx;
    jw_str(w, *(const char *const *)item);
}

static void w_locator(jw *w, const void *item, const void *ctx)
{
    const pw_locator *l = item;
    obj o;

    o.n = 0;
    (void)ctx;
    f_str(&o, "carrier", l->carrier);
    f_str(&o, "locator", l->locator);
    f_opt(&o, "created", l->created);
    write_obj(w, &o);
}

static void w_document(jw *w, const void *item, const void *ctx)
{
    const pw_document *d = item;
    obj o;

    o.n = 0;
    (void)ctx;
    f_str(&o, "type", d->type);
    f_str(&o, "number", d->number);
    f_str(&o, "issuer", d->issuer);
    f_str(&o, "expiry", d->expiry);
    f_opt(&o, "type_name", d->type_name);
    f_opt(&o, "issued", d->issued);
    write_obj(w, &o);
}

static void w_address(jw *w, const void *item, const void *ctx)
{
    const pw_address *a = item;
    obj o;

    o.n = 0;
    (void)ctx;
    f_opt(&o, "street", a->street);
    f_opt(&o, "city", a->city);
    f_opt(&o, "region", a->region);
    f_opt(&o, "postcode", a->postcode);
    f_opt(&o, "country", a->country);
    write_obj(w, &o);
}

static void w_traveller(jw *w, const void *item, const void *ctx)
{
    const pw_booking *b = ctx;
    const pw_traveller *t = item;
    const pw_booking_traveller *x = &b->traveller_extra[t - b->travellers];
    const pw_address *a = &t->address;
    obj o;

    o.n = 0;
    f_str(&o, "role", pw_role_name(t->role));
    f_str(&o, "surname", t->surname);
    f_str(&o, "given_names", t->given_names);
    f_str(&o, "birth_date", t->birth_date);
    f_str(&o, "sex", t->sex);
    f_str(&o, "nationality", t->nationality);
    F_LIST(&o, "documents", t->documents, t->n_documents, w_document, NULL, 1);
    f_opt(&o, "title", x->title);
    f_opt(&o, "type", x->type);
    f_true(&o, "infant", x->infant);
    f_index(&o, "accompanied_by", x->accompanied_by);
    f_opt(&o, "residence", t->residence);
    f_opt(&o, "birth_place", t->birth_place);
    if (a->street || a->city || a->region || a->postcode || a->country)
        f_obj(&o, "address", a, w_address);
    f_opt(&o, "passenger_ref", t->passenger_ref);
    f_int(&o, "segment", (long long)t->segment);
    write_obj(w, &o);
}

static void w_flight(jw *w, const void *item, const void *ctx)
{
    const pw_flight *f = item;
    obj o;

    o.n = 0;
    (void)ctx;
    f_str(&o, "carrier", f->carrier);
    f_str(&o, "number", f->number);
    f_str(&o, "from", f->from);
    f_str(&o, "to", f->to);
    f_str(&o, "departure", f->departure);
    f_opt(&o, "arrival", f->arrival);
    f_opt(&o, "operating_carrier", f->operating_carrier);
    f_opt(&o, "operating_number", f->operating_number);
    f_opt(&o, "booking_class", f->booking_class);
    f_opt(&o, "status", f->status);
    f_opt(&o, "equipment", f->equipment);
    f_true(&o, "no_show", f->no_show);
    f_true(&o, "go_show", f->go_show);
    write_obj(w, &o);
}

static void w_payment(jw *w, const void *item, const void *ctx)
{
    const pw_payment *p = item;
    obj o;

    o.n = 0;
    (void)ctx;
    f_str(&o, "type", p->type);
    f_str(&o, "amount", p->amount);
    f_opt(&o, "currency", p->currency);
    f_opt(&o, "card_type", p->card_type);
    f_opt(&o, "card_number", p->card_number);
    f_opt(&o, "payer", p->payer);
    f_opt(&o, "billing", p->billing);
    f_index(&o, "traveller", p->traveller);
    write_obj(w, &o);
}

static void w_contact(jw *w, const void *item, const void *ctx)
{
    const pw_contact *k = item;
    obj o;

    o.n = 0;
    (void)ctx;
    f_str(&o, "type", k->type);
    f_str(&o, "value", k->value);
    write_obj(w, &o);
}

static void w_loyalty(jw *w, const void *item, const void *ctx)
{
    const pw_loyalty *l = item;
    obj o;

    o.n = 0;
    (void)ctx;
    f_str(&o, "carrier", l->carrier);
    f_str(&o, "number", l->number);
    f_opt(&o, "tier", l->tier);
    f_index(&o, "traveller", l->traveller);
    write_obj(w, &o);
}

static void w_seat(jw *w, const void *item, const void *ctx)
{
    const pw_seat *s = item;
    obj o;

    o.n = 0;
    (void)ctx;
    f_str(&o, "seat", s->seat);
    f_index(&o, "traveller", s->traveller);
    f_index(&o, "flight", s->flight);
    write_obj(w, &o);
}

static void w_bag(jw *w, const void *item, const void *ctx)
{
    const pw_bag *g = item;
    obj o;

    o.n = 0;
    (void)ctx;
    if (g->count >= 0)
        f_int(&o, "count", g->count);
    else
        f_str(&o, "count", NULL);
    f_opt(&o, "weight", g->weight);
    f_true(&o, "excess", g->excess);
    F_LIST(&o, "tags", g->tags, g->n_tags, w_string, NULL, 0);
    f_index(&o, "traveller", g->traveller);
    f_index(&o, "flight", g->flight);
    write_obj(w, &o);
}

static void w_ticket(jw *w, const void *item, const void *ctx)
{
    const pw_ticket *t = item;
    obj o;

    o.n = 0;
    (void)ctx;
    f_str(&o, "number", t->number);
    f_opt(&o, "type", t->type);
    f_opt(&o, "issued", t->issued);
    f_opt(&o, "total", t->total);
    f_opt(&o, "currency", t->currency);
    f_index(&o, "traveller", t->traveller);
    write_obj(w, &o);
}

static void w_checkin(jw *w, const void *item, const void *ctx)
{
    const pw_checkin *k = item;
    obj o;

    o.n = 0;
    (void)ctx;
    f_opt(&o, "time", k->time);
    f_opt(&o, "sequence", k->sequence);
    f_opt(&o, "agent", k->agent);
    f_index(&o, "traveller", k->traveller);
    f_index(&o, "flight", k->flight);
    write_obj(w, &o);
}

static void w_service(jw *w, const void *item, const void *ctx)
{
    const pw_service *s = item;
    obj o;

    o.n = 0;
    (void)ctx;
    f_opt(&o, "kind", s->kind);
    f_opt(&o, "location", s->location);
    f_opt(&o, "start", s->start);
    f_opt(&o, "end", s->end);
    f_opt(&o, "provider", s->provider);
    write_obj(w, &o);
}

static void w_history(jw *w, const void *item, const void *ctx)
{
    const pw_history *h = item;
    obj o;

    o.n = 0;
    (void)ctx;
    f_opt(&o, "date", h->date);
    f_opt(&o, "action", h->action);
    f_str(&o, "what", h->what);
    f_opt(&o, "detail", h->detail);
    write_obj(w, &o);
}

static void w_agency(jw *w, const void *item, const void *ctx)
{
    const pw_booking *b = item;
    obj o;

    o.n = 0;
    (void)ctx;
    f_opt(&o, "system", b->agency.system);
    f_opt(&o, "location", b->agency.location);
    f_opt(&o, "iata_number", b->agency.iata_number);
    f_opt(&o, "office", b->agency.office);
    f_opt(&o, "type", b->agency.type);
    f_opt(&o, "country", b->agency.country);
    f_opt(&o, "currency", b->agency.currency);
    f_opt(&o, "agent", b->agency.agent);
    write_obj(w, &o);
}

static void booking_more(obj *o, const pw_booking *b)
{
    f_opt(o, "last_changed", b->last_changed);
    f_opt(o, "ticketed", b->ticketed);
    F_LIST(o, "other_locators", b->other_locators, b->n_other_locators,
           w_locator, NULL, 0);
    F_LIST(o, "addresses", b->addresses, b->n_addresses, w_address, NULL, 0);
    F_LIST(o, "tickets", b->tickets, b->n_tickets, w_ticket, NULL, 0);
    F_LIST(o, "split", b->split, b->n_split, w_locator, NULL, 0);
    F_LIST(o, "remarks", b->remarks, b->n_remarks, w_string, NULL, 0);
    F_LIST(o, "checkins", b->checkins, b->n_checkins, w_checkin, NULL, 0);
    F_LIST(o, "services", b->services, b->n_services, w_service, NULL, 0);
    F_LIST(o, "history", b->history, b->n_history, w_history, NULL, 0);
}

static void w_booking(jw *w, const pw_booking *b)
{
    obj o;

    o.n = 0;
    f_str(&o, "locator", b->locator.locator);
    f_opt(&o, "locator_carrier", b->locator.carrier);
    f_str(&o, "created", b->created);
    f_opt(&o, "group_name", b->group_name);
    F_LIST(&o, "travellers", b->travellers, b->n_travellers, w_traveller, b, 1);
    F_LIST(&o, "itinerary", b->itinerary, b->n_itinerary, w_flight, NULL, 1);
    F_LIST(&o, "contacts", b->contacts, b->n_contacts, w_contact, NULL, 1);
    F_LIST(&o, "payments", b->payments, b->n_payments, w_payment, NULL, 1);
    if (b->agency.system || b->agency.location || b->agency.iata_number ||
        b->agency.office || b->agency.agent)
        f_obj(&o, "agency", b, w_agency);
    else
        f_str(&o, "agency", NULL);
    F_LIST(&o, "frequent_flyer", b->frequent_flyer, b->n_frequent_flyer,
           w_loyalty, NULL, 1);
    F_LIST(&o, "seats", b->seats, b->n_seats, w_seat, NULL, 1);
    F_LIST(&o, "bags", b->bags, b->n_bags, w_bag, NULL, 1);
    booking_more(&o, b);
    write_obj(w, &o);
}

pw_rc pw_booking_content(const pw_msg *m, const pw_booking *b, char **json,
                         char sha256[65])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char digest[SHA256_DIGEST_SIZE];
    struct sha256_ctx ctx;
    jw w = {0};

    (void)m;
    *json = NULL;
    w_booking(&w, b);
    jw_ch(&w, '\0');
    if (w.failed) {
        free(w.p);
        return w.failed;
    }
    *json = w.p;
    /* The same SHA-256 as before, from nettle, which uses the CPU's SHA
     * instructions where it has them (libsodium's is portable C, about
     * five times slower: the largest cost of storing a booking). */
    sha256_init(&ctx);
    sha256_update(&ctx, w.len - 1, (const uint8_t *)w.p);
    sha256_digest(&ctx, sizeof(digest), digest);
    for (size_t i = 0; i < sizeof(digest); i++) {
        sha256[2 * i] = hex[digest[i] >> 4];
        sha256[2 * i + 1] = hex[digest[i] & 15];
    }
    sha256[64] = '\0';
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

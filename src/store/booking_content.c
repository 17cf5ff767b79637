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
 * makes of the booking's object in pw_bookings_json_add, less the
 * "segment" of the booking and of each traveller (their places in the
 * message, which differ between pushes of the same content), without
 * building and freeing a tree of small allocations for every booking. */

/* Output bytes; failed is sticky (allocation, limit or bad UTF-8). */
typedef struct jw {
    char *p;
    size_t len, cap;
    pw_rc failed;
} jw;

/* One booking's JSON is bounded by the message it came from; this is a
 * backstop against a runaway writer. */
#define JW_MAX ((size_t)64 << 20)

/* Makes room for n more bytes and a NUL; 0 when that failed (or an
 * earlier step did). Out of line: most writes fit. */
static int jw_grow(jw *w, size_t n)
{
    size_t cap = w->cap ? w->cap : 4096; /* most bookings fit */
    char *p;

    if (w->failed)
        return 0;
    while (cap < w->len + n + 1)
        cap *= 2;
    p = cap <= JW_MAX ? realloc(w->p, cap) : NULL;
    if (!p) {
        w->failed = cap <= JW_MAX ? PW_ERR_NOMEM : PW_ERR_LIMIT;
        return 0;
    }
    w->p = p;
    w->cap = cap;
    return 1;
}

/* Bytes written after a failure land in the buffer or nowhere; the
 * result is thrown away then. */
static inline void jw_put(jw *w, const char *s, size_t n)
{
    if (w->len + n + 1 > w->cap && !jw_grow(w, n))
        return;
    memcpy(w->p + w->len, s, n);
    w->len += n;
}

static inline void jw_ch(jw *w, char c)
{
    if (w->len + 2 <= w->cap)
        w->p[w->len++] = c;
    else
        jw_put(w, &c, 1);
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

/* pre (a key, or nothing) then the string s of n bytes with nothing
 * to look at, the common case: one check for room. */
static void jw_plain(jw *w, const char *pre, size_t n_pre, const char *s,
                     size_t n)
{
    char *d;

    if (w->len + n_pre + n + 3 > w->cap && !jw_grow(w, n_pre + n + 2))
        return;
    d = w->p + w->len;
    memcpy(d, pre, n_pre);
    d[n_pre] = '"';
    memcpy(d + n_pre + 1, s, n);
    d[n_pre + n + 1] = '"';
    w->len += n_pre + n + 2;
}

/* The length of s when no byte of it needs a look, else SIZE_MAX. */
static size_t plain_len(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;

    while (!look[*u])
        u++;
    return *u ? SIZE_MAX : (size_t)(u - (const unsigned char *)s);
}

static void jw_str(jw *w, const char *s)
{
    const unsigned char *u = (const unsigned char *)s, *from = u;
    size_t n = plain_len(s);

    if (n != SIZE_MAX) {
        jw_plain(w, "", 0, s, n);
        return;
    }
    jw_ch(w, '"');
    for (;;) {
        while (!look[*u])
            u++;
        if (!*u)
            break;
        if (*u >= 0x80) {
            size_t n = pw_store_utf8_at(u, SIZE_MAX);
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

/* An object is written as it goes, its keys in the order that
 * json_dumps(JSON_SORT_KEYS) gives them (strcmp order): each writer
 * below names its fields in that order, so nothing is gathered or
 * sorted per object (that was a third of the JSON's cost). The unit
 * tests compare the result with jansson's with every optional field
 * set. n counts the fields written so far. */
typedef void (*item_fn)(jw *, const void *item, const void *ctx);

typedef struct jo {
    jw *w;
    int n;
} jo;

static jo jo_begin(jw *w)
{
    jw_ch(w, '{');
    return (jo){w, 0};
}

static void jo_end(jo *o)
{
    jw_ch(o->w, '}');
}

/* ,"key": (key is that text, made by KEY_TEXT), without the comma
 * for the first field. The keys of this file need no escape. */
static void jo_key(jo *o, const char *key, size_t len)
{
    if (o->n++ == 0)
        key++, len--;
    jw_put(o->w, key, len);
}

#define KEY_TEXT(k) ",\"" k "\":"
#define KEY_ARGS(k) KEY_TEXT(k), sizeof(KEY_TEXT(k)) - 1
#define KEY(o, k) jo_key(o, KEY_ARGS(k))

static void jo_strn(jo *o, const char *key, size_t len, const char *s)
{
    size_t n = s ? plain_len(s) : SIZE_MAX;

    if (n != SIZE_MAX) {
        if (o->n++ == 0)
            key++, len--;
        jw_plain(o->w, key, len, s, n);
        return;
    }
    jo_key(o, key, len);
    if (s)
        jw_str(o->w, s);
    else
        jw_put(o->w, "null", 4);
}

#define J_STR(o, k, s) jo_strn(o, KEY_ARGS(k), s)
#define J_OPT(o, k, s)                                                         \
    do {                                                                       \
        const char *v_ = (s);                                                  \
        if (v_)                                                                \
            jo_strn(o, KEY_ARGS(k), v_);                                       \
    } while (0)

static void jo_intn(jo *o, const char *key, size_t len, long long v)
{
    jo_key(o, key, len);
    jw_int(o->w, v);
}

#define J_INT(o, k, v) jo_intn(o, KEY_ARGS(k), v)
#define J_INDEX(o, k, i)                                                       \
    do {                                                                       \
        int i_ = (i);                                                          \
        if (i_ >= 0)                                                           \
            jo_intn(o, KEY_ARGS(k), i_);                                       \
    } while (0)
#define J_TRUE(o, k, cond)                                                     \
    do {                                                                       \
        if (cond) {                                                            \
            KEY(o, k);                                                         \
            jw_put((o)->w, "true", 4);                                         \
        }                                                                      \
    } while (0)

/* A list of n items of size sz; `always` writes [] when n is 0. */
static void jo_list(jo *o, const char *key, size_t len, const void *items,
                    size_t n, size_t sz, item_fn fn, const void *ctx,
                    int always)
{
    jw *w = o->w;

    if (!n && !always)
        return;
    jo_key(o, key, len);
    jw_ch(w, '[');
    for (size_t i = 0; i < n; i++) {
        if (i)
            jw_ch(w, ',');
        fn(w, (const char *)items + i * sz, ctx);
    }
    jw_ch(w, ']');
}

#define J_LIST(o, k, arr, n, fn, ctx, always)                                  \
    jo_list(o, KEY_ARGS(k), arr, n, sizeof(*(arr)), fn, ctx, always)

static void w_string(jw *w, const void *item, const void *ctx)
{
    (void)ctx;
    jw_str(w, *(const char *const *)item);
}

static void w_locator(jw *w, const void *item, const void *ctx)
{
    const pw_locator *l = item;
    jo o = jo_begin(w);

    (void)ctx;
    J_STR(&o, "carrier", l->carrier);
    J_OPT(&o, "created", l->created);
    J_STR(&o, "locator", l->locator);
    jo_end(&o);
}

static void w_document(jw *w, const void *item, const void *ctx)
{
    const pw_document *d = item;
    jo o = jo_begin(w);

    (void)ctx;
    J_STR(&o, "expiry", d->expiry);
    J_OPT(&o, "issued", d->issued);
    J_STR(&o, "issuer", d->issuer);
    J_STR(&o, "number", d->number);
    J_STR(&o, "type", d->type);
    J_OPT(&o, "type_name", d->type_name);
    jo_end(&o);
}

static void w_address(jw *w, const void *item, const void *ctx)
{
    const pw_address *a = item;
    jo o = jo_begin(w);

    (void)ctx;
    J_OPT(&o, "city", a->city);
    J_OPT(&o, "country", a->country);
    J_OPT(&o, "postcode", a->postcode);
    J_OPT(&o, "region", a->region);
    J_OPT(&o, "street", a->street);
    jo_end(&o);
}

static int has_address(const pw_address *a)
{
    return a->street || a->city || a->region || a->postcode || a->country;
}

static void w_traveller(jw *w, const void *item, const void *ctx)
{
    const pw_booking *b = ctx;
    const pw_traveller *t = item;
    const pw_booking_traveller *x = &b->traveller_extra[t - b->travellers];
    jo o = jo_begin(w);

    J_INDEX(&o, "accompanied_by", x->accompanied_by);
    if (has_address(&t->address)) {
        KEY(&o, "address");
        w_address(w, &t->address, NULL);
    }
    J_STR(&o, "birth_date", t->birth_date);
    J_OPT(&o, "birth_place", t->birth_place);
    J_LIST(&o, "documents", t->documents, t->n_documents, w_document, NULL, 1);
    J_STR(&o, "given_names", t->given_names);
    J_TRUE(&o, "infant", x->infant);
    J_STR(&o, "nationality", t->nationality);
    J_OPT(&o, "passenger_ref", t->passenger_ref);
    J_OPT(&o, "residence", t->residence);
    J_STR(&o, "role", pw_role_name(t->role));
    J_STR(&o, "sex", t->sex);
    J_STR(&o, "surname", t->surname);
    J_OPT(&o, "title", x->title);
    J_OPT(&o, "type", x->type);
    jo_end(&o);
}

static void w_flight(jw *w, const void *item, const void *ctx)
{
    const pw_flight *f = item;
    jo o = jo_begin(w);

    (void)ctx;
    J_OPT(&o, "arrival", f->arrival);
    J_OPT(&o, "booking_class", f->booking_class);
    J_STR(&o, "carrier", f->carrier);
    J_STR(&o, "departure", f->departure);
    J_OPT(&o, "equipment", f->equipment);
    J_STR(&o, "from", f->from);
    J_TRUE(&o, "go_show", f->go_show);
    J_TRUE(&o, "no_show", f->no_show);
    J_STR(&o, "number", f->number);
    J_OPT(&o, "operating_carrier", f->operating_carrier);
    J_OPT(&o, "operating_number", f->operating_number);
    J_OPT(&o, "status", f->status);
    J_STR(&o, "to", f->to);
    jo_end(&o);
}

static void w_payment(jw *w, const void *item, const void *ctx)
{
    const pw_payment *p = item;
    jo o = jo_begin(w);

    (void)ctx;
    J_STR(&o, "amount", p->amount);
    J_OPT(&o, "billing", p->billing);
    J_OPT(&o, "card_number", p->card_number);
    J_OPT(&o, "card_type", p->card_type);
    J_OPT(&o, "currency", p->currency);
    J_OPT(&o, "payer", p->payer);
    J_INDEX(&o, "traveller", p->traveller);
    J_STR(&o, "type", p->type);
    jo_end(&o);
}

static void w_contact(jw *w, const void *item, const void *ctx)
{
    const pw_contact *k = item;
    jo o = jo_begin(w);

    (void)ctx;
    J_STR(&o, "type", k->type);
    J_STR(&o, "value", k->value);
    jo_end(&o);
}

static void w_loyalty(jw *w, const void *item, const void *ctx)
{
    const pw_loyalty *l = item;
    jo o = jo_begin(w);

    (void)ctx;
    J_STR(&o, "carrier", l->carrier);
    J_STR(&o, "number", l->number);
    J_OPT(&o, "tier", l->tier);
    J_INDEX(&o, "traveller", l->traveller);
    jo_end(&o);
}

static void w_seat(jw *w, const void *item, const void *ctx)
{
    const pw_seat *s = item;
    jo o = jo_begin(w);

    (void)ctx;
    J_INDEX(&o, "flight", s->flight);
    J_STR(&o, "seat", s->seat);
    J_INDEX(&o, "traveller", s->traveller);
    jo_end(&o);
}

static void w_bag(jw *w, const void *item, const void *ctx)
{
    const pw_bag *g = item;
    jo o = jo_begin(w);

    (void)ctx;
    if (g->count >= 0)
        J_INT(&o, "count", g->count);
    else
        J_STR(&o, "count", NULL);
    J_TRUE(&o, "excess", g->excess);
    J_INDEX(&o, "flight", g->flight);
    J_LIST(&o, "tags", g->tags, g->n_tags, w_string, NULL, 0);
    J_INDEX(&o, "traveller", g->traveller);
    J_OPT(&o, "weight", g->weight);
    jo_end(&o);
}

static void w_ticket(jw *w, const void *item, const void *ctx)
{
    const pw_ticket *t = item;
    jo o = jo_begin(w);

    (void)ctx;
    J_OPT(&o, "currency", t->currency);
    J_OPT(&o, "issued", t->issued);
    J_STR(&o, "number", t->number);
    J_OPT(&o, "total", t->total);
    J_INDEX(&o, "traveller", t->traveller);
    J_OPT(&o, "type", t->type);
    jo_end(&o);
}

static void w_checkin(jw *w, const void *item, const void *ctx)
{
    const pw_checkin *k = item;
    jo o = jo_begin(w);

    (void)ctx;
    J_OPT(&o, "agent", k->agent);
    J_INDEX(&o, "flight", k->flight);
    J_OPT(&o, "sequence", k->sequence);
    J_OPT(&o, "time", k->time);
    J_INDEX(&o, "traveller", k->traveller);
    jo_end(&o);
}

static void w_service(jw *w, const void *item, const void *ctx)
{
    const pw_service *s = item;
    jo o = jo_begin(w);

    (void)ctx;
    J_OPT(&o, "end", s->end);
    J_OPT(&o, "kind", s->kind);
    J_OPT(&o, "location", s->location);
    J_OPT(&o, "provider", s->provider);
    J_OPT(&o, "start", s->start);
    jo_end(&o);
}

static void w_history(jw *w, const void *item, const void *ctx)
{
    const pw_history *h = item;
    jo o = jo_begin(w);

    (void)ctx;
    J_OPT(&o, "action", h->action);
    J_OPT(&o, "date", h->date);
    J_OPT(&o, "detail", h->detail);
    J_STR(&o, "what", h->what);
    jo_end(&o);
}

static void w_agency(jw *w, const pw_booking *b)
{
    jo o = jo_begin(w);

    J_OPT(&o, "agent", b->agency.agent);
    J_OPT(&o, "country", b->agency.country);
    J_OPT(&o, "currency", b->agency.currency);
    J_OPT(&o, "iata_number", b->agency.iata_number);
    J_OPT(&o, "location", b->agency.location);
    J_OPT(&o, "office", b->agency.office);
    J_OPT(&o, "system", b->agency.system);
    J_OPT(&o, "type", b->agency.type);
    jo_end(&o);
}

/* The agency is an object when any of these is known, else null (the
 * type, country and currency alone do not make one). */
static int has_agency(const pw_booking *b)
{
    return b->agency.system || b->agency.location || b->agency.iata_number ||
           b->agency.office || b->agency.agent;
}

/* The booking's keys from "addresses" to "group_name". */
static void booking_first(jo *o, const pw_booking *b)
{
    J_LIST(o, "addresses", b->addresses, b->n_addresses, w_address, NULL, 0);
    KEY(o, "agency");
    if (has_agency(b))
        w_agency(o->w, b);
    else
        jw_put(o->w, "null", 4);
    J_LIST(o, "bags", b->bags, b->n_bags, w_bag, NULL, 1);
    J_LIST(o, "checkins", b->checkins, b->n_checkins, w_checkin, NULL, 0);
    J_LIST(o, "contacts", b->contacts, b->n_contacts, w_contact, NULL, 1);
    J_STR(o, "created", b->created);
    J_LIST(o, "frequent_flyer", b->frequent_flyer, b->n_frequent_flyer,
           w_loyalty, NULL, 1);
    J_OPT(o, "group_name", b->group_name);
}

static void w_booking(jw *w, const pw_booking *b)
{
    jo o = jo_begin(w);

    booking_first(&o, b);
    J_LIST(&o, "history", b->history, b->n_history, w_history, NULL, 0);
    J_LIST(&o, "itinerary", b->itinerary, b->n_itinerary, w_flight, NULL, 1);
    J_OPT(&o, "last_changed", b->last_changed);
    J_STR(&o, "locator", b->locator.locator);
    J_OPT(&o, "locator_carrier", b->locator.carrier);
    J_LIST(&o, "other_locators", b->other_locators, b->n_other_locators,
           w_locator, NULL, 0);
    J_LIST(&o, "payments", b->payments, b->n_payments, w_payment, NULL, 1);
    J_LIST(&o, "remarks", b->remarks, b->n_remarks, w_string, NULL, 0);
    J_LIST(&o, "seats", b->seats, b->n_seats, w_seat, NULL, 1);
    J_LIST(&o, "services", b->services, b->n_services, w_service, NULL, 0);
    J_LIST(&o, "split", b->split, b->n_split, w_locator, NULL, 0);
    J_OPT(&o, "ticketed", b->ticketed);
    J_LIST(&o, "tickets", b->tickets, b->n_tickets, w_ticket, NULL, 0);
    J_LIST(&o, "travellers", b->travellers, b->n_travellers, w_traveller, b, 1);
    jo_end(&o);
}

pw_rc pw_booking_content(const pw_msg *m, const pw_booking *b, char **json)
{
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
    return PW_OK;
}

/* From nettle, which uses the CPU's SHA instructions where it has them
 * (libsodium's is portable C, about five times slower). */
void pw_booking_sha256(const char *content, char sha256[65])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char digest[SHA256_DIGEST_SIZE];
    struct sha256_ctx ctx;

    sha256_init(&ctx);
    sha256_update(&ctx, strlen(content), (const uint8_t *)content);
    sha256_digest(&ctx, sizeof(digest), digest);
    for (size_t i = 0; i < sizeof(digest); i++) {
        sha256[2 * i] = hex[digest[i] >> 4];
        sha256[2 * i + 1] = hex[digest[i] & 15];
    }
    sha256[64] = '\0';
}

/* Drops the "segment" of each traveller of booking object o; 1 when
 * there was one. */
static int drop_traveller_segments(json_t *o)
{
    json_t *list = json_object_get(o, "travellers"), *t;
    size_t i;
    int dropped = 0;

    json_array_foreach(list, i, t)
    {
        if (json_object_get(t, "segment")) {
            json_object_del(t, "segment");
            dropped = 1;
        }
    }
    return dropped;
}

pw_rc pw_booking_content_upgrade(const char *json, char **out)
{
    json_t *o;
    pw_rc rc = PW_OK;

    *out = NULL;
    /* The key can only stand for itself: inside a string a quote is
     * escaped, so no value holds "segment": as it is written here. */
    if (!json || !strstr(json, "\"segment\":"))
        return PW_OK;
    o = json_loads(json, 0, NULL);
    if (!o)
        return PW_ERR_INVALID;
    if (drop_traveller_segments(o)) {
        *out = json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT);
        if (!*out)
            rc = PW_ERR_NOMEM;
    }
    json_decref(o);
    return rc;
}

/* Appends the n bytes of s at *at (the caller sized out). */
static void put_bytes(char *out, size_t *at, const char *s, size_t n)
{
    memcpy(out + *at, s, n);
    *at += n;
}

static void put_str(char *out, size_t *at, const char *s)
{
    put_bytes(out, at, s, strlen(s));
}

pw_rc pw_booking_key(const pw_msg *m, const pw_booking *b, char *key,
                     size_t cap)
{
    const char *carrier = b->locator.carrier ? b->locator.carrier : m->sender;
    const char *created = b->created ? b->created : b->locator.created;
    const char *loc = b->locator.locator ? b->locator.locator : "";
    size_t n_loc, n_car, n_date, at = 0;

    /* The date alone: the same booking may come with its creation time
     * written to the minute or to the second. */
    carrier = carrier ? carrier : "";
    created = created ? created : "";
    n_loc = strlen(loc);
    n_car = strlen(carrier);
    n_date = strnlen(created, 10);
    if (n_loc + n_car + n_date + 3 > cap)
        return PW_ERR_LIMIT;
    put_bytes(key, &at, loc, n_loc);
    key[at++] = '|';
    put_bytes(key, &at, carrier, n_car);
    key[at++] = '|';
    put_bytes(key, &at, created, n_date);
    key[at] = '\0';
    return PW_OK;
}

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

/* "DL324 LHR-JFK 2010-12-12T09:15, ..." written by hand: the printf
 * family was a large part of a booking's own cost. */
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
    for (size_t i = 0; i < b->n_itinerary; i++) {
        const pw_flight *f = &b->itinerary[i];
        if (i)
            put_bytes(out, &at, ", ", 2);
        put_str(out, &at, or_empty(f->carrier));
        put_str(out, &at, or_empty(f->number));
        out[at++] = ' ';
        put_str(out, &at, or_empty(f->from));
        out[at++] = '-';
        put_str(out, &at, or_empty(f->to));
        if (f->departure) {
            out[at++] = ' ';
            put_str(out, &at, f->departure);
        }
    }
    out[at] = '\0';
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

char *pw_booking_changes_tree(const char *before, const char *after)
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

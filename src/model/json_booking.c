/* Bookings as JSON: the "bookings" array of `paxwatch parse` for PNRGOV
 * messages, keys in a fixed order, contract keys present (null when not
 * sent), other keys only when sent. */
#include "paxwatch/booking.h"

#include <jansson.h>
#include <string.h>

#include "model/json_int.h"

static void put_index(jctx *c, json_t *o, const char *key, int i)
{
    if (i >= 0)
        put(c, o, key, json_integer(i));
}

static json_t *locator_obj(jctx *c, const void *item)
{
    const pw_locator *l = item;
    json_t *o = json_object();

    if (!o)
        return NULL;
    put_str(c, o, "carrier", l->carrier);
    put_str(c, o, "locator", l->locator);
    put_opt(c, o, "created", l->created);
    return o;
}

static json_t *document_obj(jctx *c, const pw_document *d)
{
    json_t *o = json_object();

    if (!o)
        return NULL;
    put_str(c, o, "type", d->type);
    put_str(c, o, "number", d->number);
    put_str(c, o, "issuer", d->issuer);
    put_str(c, o, "expiry", d->expiry);
    put_opt(c, o, "type_name", d->type_name);
    put_opt(c, o, "issued", d->issued);
    return o;
}

static json_t *address_obj(jctx *c, const void *item)
{
    const pw_address *a = item;
    json_t *o = json_object();

    if (!o)
        return NULL;
    put_opt(c, o, "street", a->street);
    put_opt(c, o, "city", a->city);
    put_opt(c, o, "region", a->region);
    put_opt(c, o, "postcode", a->postcode);
    put_opt(c, o, "country", a->country);
    return o;
}

static int has_address(const pw_address *a)
{
    return a->street || a->city || a->region || a->postcode || a->country;
}

static void traveller_extra(jctx *c, json_t *o, const pw_traveller *t,
                            const pw_booking_traveller *x)
{
    put_opt(c, o, "title", x->title);
    put_opt(c, o, "type", x->type);
    if (x->infant)
        put(c, o, "infant", json_true());
    put_index(c, o, "accompanied_by", x->accompanied_by);
    put_opt(c, o, "residence", t->residence);
    put_opt(c, o, "birth_place", t->birth_place);
    if (has_address(&t->address))
        put(c, o, "address", address_obj(c, &t->address));
    put_opt(c, o, "passenger_ref", t->passenger_ref);
    put(c, o, "segment", json_integer(t->segment));
}

static json_t *traveller_obj(jctx *c, const pw_booking *b, size_t i)
{
    const pw_traveller *t = &b->travellers[i];
    json_t *o = json_object(), *docs = json_array();

    if (!o || !docs) {
        json_decref(o);
        json_decref(docs);
        return NULL;
    }
    put(c, o, "role", json_string(pw_role_name(t->role)));
    put_str(c, o, "surname", t->surname);
    put_str(c, o, "given_names", t->given_names);
    put_str(c, o, "birth_date", t->birth_date);
    put_str(c, o, "sex", t->sex);
    put_str(c, o, "nationality", t->nationality);
    put(c, o, "documents", docs);
    for (size_t k = 0; k < t->n_documents; k++)
        push(c, docs, document_obj(c, &t->documents[k]));
    traveller_extra(c, o, t, &b->traveller_extra[i]);
    return o;
}

static json_t *flight_obj(jctx *c, const void *item)
{
    const pw_flight *f = item;
    json_t *o = json_object();

    if (!o)
        return NULL;
    put_str(c, o, "carrier", f->carrier);
    put_str(c, o, "number", f->number);
    put_str(c, o, "from", f->from);
    put_str(c, o, "to", f->to);
    put_str(c, o, "departure", f->departure);
    put_opt(c, o, "arrival", f->arrival);
    put_opt(c, o, "operating_carrier", f->operating_carrier);
    put_opt(c, o, "operating_number", f->operating_number);
    put_opt(c, o, "booking_class", f->booking_class);
    put_opt(c, o, "status", f->status);
    put_opt(c, o, "equipment", f->equipment);
    if (f->no_show)
        put(c, o, "no_show", json_true());
    if (f->go_show)
        put(c, o, "go_show", json_true());
    return o;
}

static json_t *payment_obj(jctx *c, const void *item)
{
    const pw_payment *p = item;
    json_t *o = json_object();

    if (!o)
        return NULL;
    put_str(c, o, "type", p->type);
    put_str(c, o, "amount", p->amount);
    put_opt(c, o, "currency", p->currency);
    put_opt(c, o, "card_type", p->card_type);
    put_opt(c, o, "card_number", p->card_number);
    put_opt(c, o, "payer", p->payer);
    put_opt(c, o, "billing", p->billing);
    put_index(c, o, "traveller", p->traveller);
    return o;
}

static json_t *contact_obj(jctx *c, const void *item)
{
    const pw_contact *k = item;
    json_t *o = json_object();

    if (!o)
        return NULL;
    put_str(c, o, "type", k->type);
    put_str(c, o, "value", k->value);
    return o;
}

static json_t *loyalty_obj(jctx *c, const void *item)
{
    const pw_loyalty *l = item;
    json_t *o = json_object();

    if (!o)
        return NULL;
    put_str(c, o, "carrier", l->carrier);
    put_str(c, o, "number", l->number);
    put_opt(c, o, "tier", l->tier);
    put_index(c, o, "traveller", l->traveller);
    return o;
}

static json_t *seat_obj(jctx *c, const void *item)
{
    const pw_seat *s = item;
    json_t *o = json_object();

    if (!o)
        return NULL;
    put_str(c, o, "seat", s->seat);
    put_index(c, o, "traveller", s->traveller);
    put_index(c, o, "flight", s->flight);
    return o;
}

static json_t *bag_obj(jctx *c, const void *item)
{
    const pw_bag *g = item;
    json_t *o = json_object(), *tags;

    if (!o)
        return NULL;
    put(c, o, "count", g->count >= 0 ? json_integer(g->count) : json_null());
    put_opt(c, o, "weight", g->weight);
    if (g->excess)
        put(c, o, "excess", json_true());
    if (g->n_tags) {
        tags = json_array();
        put(c, o, "tags", tags);
        for (size_t i = 0; tags && i < g->n_tags; i++)
            push(c, tags, json_string(g->tags[i]));
    }
    put_index(c, o, "traveller", g->traveller);
    put_index(c, o, "flight", g->flight);
    return o;
}

static json_t *ticket_obj(jctx *c, const void *item)
{
    const pw_ticket *t = item;
    json_t *o = json_object();

    if (!o)
        return NULL;
    put_str(c, o, "number", t->number);
    put_opt(c, o, "type", t->type);
    put_opt(c, o, "issued", t->issued);
    put_opt(c, o, "total", t->total);
    put_opt(c, o, "currency", t->currency);
    put_index(c, o, "traveller", t->traveller);
    return o;
}

static json_t *checkin_obj(jctx *c, const void *item)
{
    const pw_checkin *k = item;
    json_t *o = json_object();

    if (!o)
        return NULL;
    put_opt(c, o, "time", k->time);
    put_opt(c, o, "sequence", k->sequence);
    put_opt(c, o, "agent", k->agent);
    put_index(c, o, "traveller", k->traveller);
    put_index(c, o, "flight", k->flight);
    return o;
}

static json_t *service_obj(jctx *c, const void *item)
{
    const pw_service *s = item;
    json_t *o = json_object();

    if (!o)
        return NULL;
    put_opt(c, o, "kind", s->kind);
    put_opt(c, o, "location", s->location);
    put_opt(c, o, "start", s->start);
    put_opt(c, o, "end", s->end);
    put_opt(c, o, "provider", s->provider);
    return o;
}

static json_t *history_obj(jctx *c, const void *item)
{
    const pw_history *h = item;
    json_t *o = json_object();

    if (!o)
        return NULL;
    put_opt(c, o, "date", h->date);
    put_opt(c, o, "action", h->action);
    put_str(c, o, "what", h->what);
    put_opt(c, o, "detail", h->detail);
    return o;
}

/* An array of n items of size sz, each made by fn; `always` puts an
 * empty array when n is 0, else the key is left out. */
typedef json_t *(*item_fn)(jctx *, const void *);

static void put_list(jctx *c, json_t *o, const char *key, const void *items,
                     size_t n, size_t sz, item_fn fn, int always)
{
    json_t *a;

    if (!n && !always)
        return;
    a = json_array();
    put(c, o, key, a);
    for (size_t i = 0; a && i < n; i++)
        push(c, a, fn(c, (const char *)items + i * sz));
}

#define LIST(c, o, key, arr, n, fn, always)                                    \
    put_list(c, o, key, arr, n, sizeof(*(arr)), fn, always)

static json_t *agency_obj(jctx *c, const pw_booking *b)
{
    json_t *o;

    if (!b->agency.system && !b->agency.location && !b->agency.iata_number &&
        !b->agency.office && !b->agency.agent)
        return json_null();
    o = json_object();
    if (!o)
        return NULL;
    put_opt(c, o, "system", b->agency.system);
    put_opt(c, o, "location", b->agency.location);
    put_opt(c, o, "iata_number", b->agency.iata_number);
    put_opt(c, o, "office", b->agency.office);
    put_opt(c, o, "type", b->agency.type);
    put_opt(c, o, "country", b->agency.country);
    put_opt(c, o, "currency", b->agency.currency);
    put_opt(c, o, "agent", b->agency.agent);
    return o;
}

static void put_travellers(jctx *c, json_t *o, const pw_booking *b)
{
    json_t *a = json_array();

    put(c, o, "travellers", a);
    for (size_t i = 0; a && i < b->n_travellers; i++)
        push(c, a, traveller_obj(c, b, i));
}

static void put_remarks(jctx *c, json_t *o, const pw_booking *b)
{
    json_t *a;

    if (!b->n_remarks)
        return;
    a = json_array();
    put(c, o, "remarks", a);
    for (size_t i = 0; a && i < b->n_remarks; i++)
        push(c, a, json_string(b->remarks[i]));
}

static void put_more(jctx *c, json_t *o, const pw_booking *b)
{
    put_opt(c, o, "last_changed", b->last_changed);
    put_opt(c, o, "ticketed", b->ticketed);
    LIST(c, o, "other_locators", b->other_locators, b->n_other_locators,
         locator_obj, 0);
    LIST(c, o, "addresses", b->addresses, b->n_addresses, address_obj, 0);
    LIST(c, o, "tickets", b->tickets, b->n_tickets, ticket_obj, 0);
    LIST(c, o, "split", b->split, b->n_split, locator_obj, 0);
    put_remarks(c, o, b);
    LIST(c, o, "checkins", b->checkins, b->n_checkins, checkin_obj, 0);
    LIST(c, o, "services", b->services, b->n_services, service_obj, 0);
    LIST(c, o, "history", b->history, b->n_history, history_obj, 0);
    put(c, o, "segment", json_integer(b->segment));
}

static json_t *booking_obj(jctx *c, const pw_booking *b)
{
    json_t *o = json_object();

    if (!o)
        return NULL;
    put_str(c, o, "locator", b->locator.locator);
    put_opt(c, o, "locator_carrier", b->locator.carrier);
    put_str(c, o, "created", b->created);
    put_opt(c, o, "group_name", b->group_name);
    put_travellers(c, o, b);
    LIST(c, o, "itinerary", b->itinerary, b->n_itinerary, flight_obj, 1);
    LIST(c, o, "contacts", b->contacts, b->n_contacts, contact_obj, 1);
    LIST(c, o, "payments", b->payments, b->n_payments, payment_obj, 1);
    put(c, o, "agency", agency_obj(c, b));
    LIST(c, o, "frequent_flyer", b->frequent_flyer, b->n_frequent_flyer,
         loyalty_obj, 1);
    LIST(c, o, "seats", b->seats, b->n_seats, seat_obj, 1);
    LIST(c, o, "bags", b->bags, b->n_bags, bag_obj, 1);
    put_more(c, o, b);
    return o;
}

int pw_bookings_json_add(void *obj, const pw_msg *m)
{
    json_t *o = obj, *a;
    jctx c = {0};

    if (!o || !m)
        return -1;
    if (!m->n_bookings && !(m->type && !strcmp(m->type, "PNRGOV")))
        return 0;
    a = json_array();
    put(&c, o, "bookings", a);
    for (size_t i = 0; a && i < m->n_bookings; i++)
        push(&c, a, booking_obj(&c, &m->bookings[i]));
    put(&c, o, "sensitive_dropped",
        json_integer((json_int_t)m->sensitive_dropped));
    return c.failed ? -1 : 0;
}

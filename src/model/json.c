/* The model as JSON: the objects `paxwatch parse` prints, one message a
 * line, with keys in a fixed order so that output diffs stay readable. */
#include "paxwatch/json.h"
#include "paxwatch/booking.h"

#include <jansson.h>
#include <stdlib.h>

#include "model/json_int.h"

static json_t *diags_array(jctx *c, const pw_diags *d, pw_severity sev)
{
    json_t *arr = json_array();

    if (!arr)
        return NULL;
    for (size_t i = 0; d && i < d->n; i++) {
        const pw_diag *g = &d->items[i];
        json_t *o;

        if (g->severity != sev)
            continue;
        o = json_object();
        push(c, arr, o);
        if (!o)
            break;
        put(c, o, "segment", json_integer(g->segment));
        put(c, o, "offset", json_integer((json_int_t)g->offset));
        if (g->line)
            put(c, o, "line", json_integer(g->line));
        put_str(c, o, "message", g->message);
    }
    return arr;
}

static json_t *vessel_object(jctx *c, const pw_vessel *v)
{
    json_t *o;

    if (!v->name && !v->imo && !v->call_sign && !v->flag)
        return json_null();
    o = json_object();
    if (!o)
        return NULL;
    put_str(c, o, "name", v->name);
    put_str(c, o, "imo", v->imo);
    put_str(c, o, "call_sign", v->call_sign);
    put_str(c, o, "flag", v->flag);
    return o;
}

static json_t *leg_object(jctx *c, const pw_leg *l)
{
    json_t *o = json_object();

    if (!o)
        return NULL;
    put_str(c, o, "from", l->from);
    put_str(c, o, "to", l->to);
    put_str(c, o, "departure", l->departure.local);
    put_str(c, o, "arrival", l->arrival.local);
    put_opt(c, o, "departure_utc", l->departure.utc);
    put_opt(c, o, "arrival_utc", l->arrival.utc);
    put_opt(c, o, "carrier", l->carrier);
    put_opt(c, o, "number", l->number);
    return o;
}

static json_t *movement_object(jctx *c, const pw_movement *mv)
{
    json_t *o = json_object();
    json_t *legs = json_array();

    if (!o || !legs) {
        json_decref(o);
        json_decref(legs);
        return NULL;
    }
    put(c, o, "mode", json_string(pw_mode_name(mv->mode)));
    put_str(c, o, "carrier", mv->carrier);
    put_str(c, o, "number", mv->number);
    put(c, o, "vessel", vessel_object(c, &mv->vessel));
    put(c, o, "legs", legs);
    for (size_t i = 0; i < mv->n_legs; i++)
        push(c, legs, leg_object(c, &mv->legs[i]));
    put_opt(c, o, "final_destination", mv->final_destination);
    return o;
}

static json_t *document_object(jctx *c, const pw_document *d)
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
    if (d->check_digits >= 0)
        put(c, o, "check_digits", json_boolean(d->check_digits));
    return o;
}

static json_t *contacts_array(jctx *c, const pw_contact *ct, size_t n)
{
    json_t *arr = json_array();

    if (!arr)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_object();

        push(c, arr, o);
        if (!o)
            break;
        put_str(c, o, "type", ct[i].type);
        put_str(c, o, "value", ct[i].value);
    }
    return arr;
}

static void put_address(jctx *c, json_t *obj, const pw_address *a)
{
    json_t *o;

    if (!a->street && !a->city && !a->region && !a->postcode && !a->country)
        return;
    o = json_object();
    put(c, obj, "address", o);
    if (!o)
        return;
    put_opt(c, o, "street", a->street);
    put_opt(c, o, "city", a->city);
    put_opt(c, o, "region", a->region);
    put_opt(c, o, "postcode", a->postcode);
    put_opt(c, o, "country", a->country);
}

static void put_bags(jctx *c, json_t *o, const pw_traveller *t)
{
    json_t *tags;

    if (t->bags >= 0)
        put(c, o, "bags", json_integer(t->bags));
    put_opt(c, o, "bag_weight", t->bag_weight);
    if (!t->n_bag_tags)
        return;
    tags = json_array();
    put(c, o, "bag_tags", tags);
    for (size_t i = 0; tags && i < t->n_bag_tags; i++)
        push(c, tags, json_string(t->bag_tags[i]));
}

/* The fields beyond the contract, each only when sent. */
static void put_traveller_extra(jctx *c, json_t *o, const pw_traveller *t)
{
    put_opt(c, o, "role_code", t->role_code);
    put_opt(c, o, "residence", t->residence);
    put_opt(c, o, "birth_place", t->birth_place);
    put_opt(c, o, "clearance", t->clearance);
    put_opt(c, o, "embarkation", t->embarkation);
    put_opt(c, o, "debarkation", t->debarkation);
    put_opt(c, o, "transit", t->transit);
    put_address(c, o, &t->address);
    if (t->n_contacts)
        put(c, o, "contacts", contacts_array(c, t->contacts, t->n_contacts));
    if (t->verified >= 0)
        put(c, o, "verified", json_boolean(t->verified));
    put_bags(c, o, t);
    put_opt(c, o, "booking_ref", t->booking_ref);
    put_opt(c, o, "passenger_ref", t->passenger_ref);
    put_opt(c, o, "seat", t->seat);
    put_opt(c, o, "customer_ref", t->customer_ref);
    put_opt(c, o, "agency_ref", t->agency_ref);
    put_opt(c, o, "occupation", t->occupation);
    put(c, o, "segment", json_integer(t->segment));
}

static json_t *traveller_object(jctx *c, const pw_traveller *t)
{
    json_t *o = json_object();
    json_t *docs = json_array();

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
    for (size_t i = 0; i < t->n_documents; i++)
        push(c, docs, document_object(c, &t->documents[i]));
    put_traveller_extra(c, o, t);
    return o;
}

static json_t *counts_object(jctx *c, const pw_msg *m)
{
    json_t *o = json_object();

    if (!o)
        return NULL;
    put(c, o, "declared_passengers",
        m->declared_passengers >= 0 ? json_integer(m->declared_passengers)
                                    : json_null());
    put(c, o, "declared_crew",
        m->declared_crew >= 0 ? json_integer(m->declared_crew) : json_null());
    put(c, o, "travellers", json_integer((json_int_t)m->n_travellers));
    return o;
}

static void put_header(jctx *c, json_t *o, const pw_msg *m)
{
    put_str(c, o, "type", m->type);
    put_str(c, o, "version", m->version);
    put_str(c, o, "sender", m->sender);
    put_opt(c, o, "recipient", m->recipient);
    put_opt(c, o, "interchange_ref", m->interchange_ref);
    put_opt(c, o, "message_ref", m->message_ref);
    put_opt(c, o, "common_access_ref", m->common_access_ref);
    put(c, o, "parts", json_integer(m->parts));
    put(c, o, "list_type", json_string(pw_list_type_name(m->list_type)));
    put_opt(c, o, "list_code", m->list_code);
    put_str(c, o, "function", m->function);
    put_opt(c, o, "transaction_ref", m->transaction_ref);
    put_opt(c, o, "reporting_party", m->reporting_party);
    if (m->n_reporting_contacts)
        put(c, o, "reporting_contacts",
            contacts_array(c, m->reporting_contacts, m->n_reporting_contacts));
}

static json_t *msg_object(jctx *c, const pw_msg *m)
{
    json_t *o = json_object();
    json_t *trs = json_array();

    if (!o || !trs) {
        json_decref(o);
        json_decref(trs);
        return NULL;
    }
    put_header(c, o, m);
    put(c, o, "movement", movement_object(c, &m->movement));
    put(c, o, "travellers", trs);
    for (size_t i = 0; i < m->n_travellers; i++)
        push(c, trs, traveller_object(c, &m->travellers[i]));
    put(c, o, "counts", counts_object(c, m));
    if (pw_bookings_json_add(o, m) != 0)
        c->failed = 1;
    if (m->sensitive_dropped)
        put(c, o, "sensitive_dropped",
            json_integer((json_int_t)m->sensitive_dropped));
    put(c, o, "warnings", diags_array(c, &m->diags, PW_WARNING));
    put(c, o, "errors", diags_array(c, &m->diags, PW_ERROR));
    if (m->diags.n_dropped)
        put(c, o, "diagnostics_dropped",
            json_integer((json_int_t)m->diags.n_dropped));
    return o;
}

static char *dump(jctx *c, json_t *v)
{
    char *s = NULL;

    if (v && !c->failed)
        s = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(v);
    return s;
}

char *pw_msg_json(const pw_msg *m)
{
    jctx c = {0};

    if (!m)
        return NULL;
    return dump(&c, msg_object(&c, m));
}

char *pw_diags_json(const pw_diags *d, pw_severity sev)
{
    jctx c = {0};

    return dump(&c, diags_array(&c, d, sev));
}

/* PNRGOV XML (IATA_PNRGOV_NotifRQ, namespace
 * http://www.iata.org/IATA/2007/00) to the booking model with libxml2:
 * no network, no DTD, no entities; elements found by local name so that
 * hand-made documents under other roots are read too. */
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "messages/pnrgov_int.h"

#define MAX_DEPTH 64

static const pw_edi_segment xml_seg = {"XML", 0, 0, 0, 0, NULL};

static int named(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE &&
           !strcmp((const char *)n->name, name);
}

/* A trimmed copy of an attribute into the arena; NULL when absent. */
static const char *attr(pnr_map *mp, const xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
    const char *s;

    if (!v)
        return NULL;
    s = pnr_dup(mp, (const char *)v, strlen((const char *)v));
    xmlFree(v);
    return s;
}

static const char *text(pnr_map *mp, const xmlNode *n)
{
    xmlChar *v = n ? xmlNodeGetContent(n) : NULL;
    const char *s;

    if (!v)
        return NULL;
    s = pnr_dup(mp, (const char *)v, strlen((const char *)v));
    xmlFree(v);
    return s;
}

static const xmlNode *child(const xmlNode *n, const char *name)
{
    for (const xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (named(c, name))
            return c;
    return NULL;
}

static const char *child_attr(pnr_map *mp, const xmlNode *n, const char *name,
                              const char *a)
{
    const xmlNode *c = child(n, name);

    return c ? attr(mp, c, a) : NULL;
}

static void xwarn(pnr_map *mp, const xmlNode *n, const char *what)
{
    pw_diags *d = &mp->m->diags;

    if (pw_diags_add(d, PW_WARNING, 0, 0, "%s", what) != PW_OK) {
        mp->rc = PW_ERR_NOMEM;
        return;
    }
    if (d->n && n)
        d->items[d->n - 1].line = (uint32_t)xmlGetLineNo(n);
}

/* "2024-01-01T10:15:00" as "2024-01-01T10:15", the model's form. */
static const char *xml_time(pnr_map *mp, const char *s)
{
    if (s && strlen(s) >= 16 && s[10] == 'T')
        return pnr_dup(mp, s, 16);
    return s;
}

static int traveller_by_rph(pnr_map *mp, const char *rph)
{
    return pnr_traveller_by_ref(mp, rph);
}

static void doc_from_text(pnr_map *mp, int t, const char *s)
{
    const char *f[11] = {0};
    size_t n[11] = {0};
    int k = 0;
    pw_traveller *tr = &mp->b->travellers[t];
    pw_document *d = pw_arena_calloc(&mp->m->arena, 1, sizeof(*d));

    if (!d) {
        mp->rc = PW_ERR_NOMEM;
        return;
    }
    if (*s == '/')
        s++;
    for (; k < 11; k++) {
        const char *e = strchr(s, '/');
        f[k] = s;
        n[k] = e ? (size_t)(e - s) : strlen(s);
        if (!e) {
            k++;
            break;
        }
        s = e + 1;
    }
    d->type = k > 0 ? pnr_dup(mp, f[0], n[0]) : NULL;
    d->issuer = k > 1 ? pnr_dup(mp, f[1], n[1]) : NULL;
    d->number = k > 2 ? pnr_dup(mp, f[2], n[2]) : NULL;
    d->expiry = k > 6 ? pnr_ssr_date(mp, f[6], n[6], 0) : NULL;
    d->check_digits = -1;
    if (!tr->nationality && k > 3)
        tr->nationality = pnr_dup(mp, f[3], n[3]);
    if (!tr->birth_date && k > 4)
        tr->birth_date = pnr_ssr_date(mp, f[4], n[4], 1);
    if (!tr->sex && k > 5 && n[5])
        tr->sex = pnr_dup(mp, f[5], 1);
    if (tr->n_documents) {
        xwarn(mp, NULL, "a second DOCS for one passenger, ignored");
        return;
    }
    tr->documents = d;
    tr->n_documents = 1;
}

/* SSR codes are filtered first; 1 when the SSR may be read further. */
static int ssr_allowed(pnr_map *mp, const char *code, const char *txt)
{
    if (pw_sensitive_code(mp->filter, code) != PW_SENS_NONE) {
        mp->m->sensitive_dropped++;
        return 0;
    }
    if (code && (!strcmp(code, "DOCS") || !strcmp(code, "DOCO")))
        return 1;
    return !pnr_sensitive_text(mp, txt);
}

static void flight_ssr(pnr_map *mp, const xmlNode *s, int fl)
{
    const char *code = attr(mp, s, "SSRCode");
    const char *txt = text(mp, child(s, "Text"));
    int t = traveller_by_rph(mp, attr(mp, s, "RPH"));
    pw_booking *b = mp->b;

    if (!ssr_allowed(mp, code, txt))
        return;
    if (pw_msgs_is(code, "DOCS") && txt && t >= 0) {
        doc_from_text(mp, t, txt);
    } else if (pw_msgs_is(code, "SEAT") && txt) {
        pw_seat *st = pnr_push(mp, (void **)&b->seats, &b->n_seats,
                               &mp->caps.seats, sizeof(*st));
        if (st) {
            st->seat = txt;
            st->traveller = t;
            st->flight = fl;
        }
    }
}

static void checkin(pnr_map *mp, const xmlNode *ci, int fl)
{
    pw_booking *b = mp->b;

    for (const xmlNode *bn = ci->children; bn; bn = bn->next) {
        pw_checkin *c;
        pw_seat *s;
        int t;

        if (!named(bn, "BoardingNumber"))
            continue;
        t = traveller_by_rph(mp, attr(mp, bn, "RPH"));
        c = pnr_push(mp, (void **)&b->checkins, &b->n_checkins,
                     &mp->caps.checkins, sizeof(*c));
        if (!c)
            return;
        c->time = xml_time(mp, attr(mp, ci, "Time"));
        c->sequence = attr(mp, bn, "Number");
        c->traveller = t;
        c->flight = fl;
        if (!child(bn, "SeatNumber"))
            continue;
        s = pnr_push(mp, (void **)&b->seats, &b->n_seats, &mp->caps.seats,
                     sizeof(*s));
        if (s) {
            s->seat = text(mp, child(bn, "SeatNumber"));
            s->traveller = t;
            s->flight = fl;
        }
    }
}

static void read_flight(pnr_map *mp, const xmlNode *n)
{
    pw_booking *b = mp->b;
    pw_flight *f = pnr_push(mp, (void **)&b->itinerary, &b->n_itinerary,
                            &mp->caps.itinerary, sizeof(*f));
    int fl = (int)b->n_itinerary - 1;

    if (!f)
        return;
    f->carrier = child_attr(mp, n, "MarketingAirline", "Code");
    f->number = attr(mp, n, "FlightNumber");
    f->operating_carrier = child_attr(mp, n, "OperatingAirline", "Code");
    f->operating_number = child_attr(mp, n, "OperatingAirline", "FlightNumber");
    f->from = child_attr(mp, n, "DepartureAirport", "LocationCode");
    f->to = child_attr(mp, n, "ArrivalAirport", "LocationCode");
    f->departure = xml_time(mp, attr(mp, n, "DepartureDateTime"));
    f->arrival = xml_time(mp, attr(mp, n, "ArrivalDateTime"));
    f->booking_class = attr(mp, n, "ResBookDesigCode");
    f->status = attr(mp, n, "Status");
    f->equipment = child_attr(mp, n, "Equipment", "AirEquipType");
    for (const xmlNode *c = n->children; c && mp->rc == PW_OK; c = c->next) {
        if (named(c, "SSR"))
            flight_ssr(mp, c, fl);
        else if (named(c, "CheckInInfo"))
            checkin(mp, c, fl);
    }
}

static void passenger_contact(pnr_map *mp, const xmlNode *c)
{
    const char *v = attr(mp, c, "PhoneNumber");
    const char *e = attr(mp, c, "EmailAddress");

    /* Some senders write an e-mail as PhoneNumber="E+NAME@HOST". */
    if (v && !strncmp(v, "E+", 2) && strchr(v, '@'))
        pnr_contact(mp, "email", v + 2);
    else if (v)
        pnr_contact(mp, "phone", v);
    if (e)
        pnr_contact(mp, "email", e);
}

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

static void passenger_docs(pnr_map *mp, int t, const xmlNode *ssr)
{
    const xmlNode *d = child(ssr, "DOCS");
    pw_traveller *tr = &mp->b->travellers[t];

    if (!ssr_allowed(mp, attr(mp, ssr, "SSRCode"), NULL) || !d)
        return;
    if (!tr->sex)
        tr->sex = attr(mp, d, "Gender");
    if (!tr->birth_date)
        tr->birth_date = attr(mp, d, "DateOfBirth");
    if (!tr->nationality)
        tr->nationality = attr(mp, d, "DocHolderNationality");
    if (attr(mp, d, "DocID") && !tr->n_documents)
        doc_from_text(mp, t,
                      pw_arena_printf(&mp->m->arena, "%s/%s/%s",
                                      or_empty(attr(mp, d, "DocType")),
                                      or_empty(attr(mp, d, "DocIssueCountry")),
                                      attr(mp, d, "DocID")));
}

static void passenger_child(pnr_map *mp, int t, const xmlNode *c)
{
    pw_booking *b = mp->b;

    if (named(c, "ContactInfo")) {
        passenger_contact(mp, c);
    } else if (named(c, "DOC_SSR")) {
        passenger_docs(mp, t, c);
    } else if (named(c, "SSR")) {
        ssr_allowed(mp, attr(mp, c, "SSRCode"), text(mp, child(c, "Text")));
    } else if (named(c, "CustLoyalty")) {
        pw_loyalty *l =
            pnr_push(mp, (void **)&b->frequent_flyer, &b->n_frequent_flyer,
                     &mp->caps.loyalty, sizeof(*l));
        if (l) {
            l->carrier = attr(mp, c, "ProgramID");
            l->number = attr(mp, c, "MembershipID");
            l->tier = attr(mp, c, "LoyalLevel");
            l->traveller = t;
        }
    }
}

static void read_passenger(pnr_map *mp, const xmlNode *n)
{
    pw_booking *b = mp->b;
    size_t k = b->n_travellers;
    pw_traveller *t = pnr_push(mp, (void **)&b->travellers, &b->n_travellers,
                               &mp->caps.travellers, sizeof(*t));
    pw_booking_traveller *x = t ? pnr_push(mp, (void **)&b->traveller_extra, &k,
                                           &mp->caps.extra, sizeof(*x))
                                : NULL;
    int i = (int)b->n_travellers - 1;

    if (!x)
        return;
    t->bags = t->verified = x->accompanied_by = -1;
    t->surname = text(mp, child(n, "Surname"));
    t->given_names = text(mp, child(n, "GivenName"));
    t->passenger_ref = attr(mp, n, "RPH");
    x->type = attr(mp, n, "PassengerTypeCode");
    x->infant = pw_msgs_is(x->type, "INF");
    t->role_code = x->type;
    if (!t->surname)
        xwarn(mp, n, "Passenger without a Surname");
    for (const xmlNode *c = n->children; c && mp->rc == PW_OK; c = c->next)
        passenger_child(mp, i, c);
}

static void read_refs(pnr_map *mp, const xmlNode *n)
{
    pw_booking *b = mp->b;
    pw_locator *l = &b->locator;

    if (b->locator.locator)
        l = pnr_push(mp, (void **)&b->other_locators, &b->n_other_locators,
                     &mp->caps.locators, sizeof(*l));
    if (!l)
        return;
    l->locator = attr(mp, n, "ID");
    l->carrier = child_attr(mp, n, "CompanyName", "Code");
}

static void read_remark(pnr_map *mp, const xmlNode *n)
{
    const char *t = text(mp, n), **r;
    pw_booking *b = mp->b;

    if (!t || pnr_sensitive_text(mp, t))
        return;
    r = pnr_push(mp, (void **)&b->remarks, &b->n_remarks, &mp->caps.remarks,
                 sizeof(*r));
    if (r)
        *r = t;
}

static void read_pos(pnr_map *mp, const xmlNode *n)
{
    const xmlNode *s = child(n, "Source");

    if (!s)
        return;
    mp->b->agency.office = attr(mp, s, "PseudoCityCode");
    mp->b->agency.country = attr(mp, s, "ISOCountry");
    mp->b->agency.agent = attr(mp, s, "AgentSine");
    mp->b->agency.system = attr(mp, s, "AirlineVendorID");
}

/* Flights come after passengers so that SSR RPH references resolve. */
static void read_pnr(pnr_map *mp, const xmlNode *n)
{
    pw_booking *b = pnr_push(mp, (void **)&mp->m->bookings, &mp->m->n_bookings,
                             &mp->cap_bookings, sizeof(*b));

    if (!b)
        return;
    mp->b = b;
    memset(&mp->caps, 0, sizeof(mp->caps));
    b->created = xml_time(mp, attr(mp, n, "PNR_CreationDate"));
    b->last_changed = xml_time(mp, attr(mp, n, "PNR_TransDate"));
    for (const xmlNode *c = n->children; c && mp->rc == PW_OK; c = c->next) {
        if (named(c, "BookingRefID"))
            read_refs(mp, c);
        else if (named(c, "Passenger"))
            read_passenger(mp, c);
        else if (named(c, "POS"))
            read_pos(mp, c);
        else if (named(c, "OSI") || named(c, "Remark"))
            read_remark(mp, c);
    }
    for (const xmlNode *c = n->children; c && mp->rc == PW_OK; c = c->next)
        if (named(c, "Flight"))
            read_flight(mp, c);
    if (!b->locator.locator)
        xwarn(mp, n, "PNR without a BookingRefID");
    for (size_t i = 0; i < b->n_travellers; i++)
        b->travellers[i].booking_ref = b->locator.locator;
}

static void find_pnrs(pnr_map *mp, const xmlNode *n, int depth)
{
    for (; n && mp->rc == PW_OK; n = n->next) {
        if (named(n, "PNR"))
            read_pnr(mp, n);
        else if (n->type == XML_ELEMENT_NODE && depth < MAX_DEPTH)
            find_pnrs(mp, n->children, depth + 1);
    }
}

/* FlightLeg of IATA_PNRGOV_NotifRQ: the flight the PNRs are sent for. */
static void read_leg(pnr_map *mp, const xmlNode *root)
{
    const xmlNode *f = child(root, "FlightLeg");
    pw_leg *leg;

    if (!f) {
        xwarn(mp, root, "no FlightLeg: the movement is not known");
        return;
    }
    leg = pw_arena_calloc(&mp->m->arena, 1, sizeof(*leg));
    if (!leg) {
        mp->rc = PW_ERR_NOMEM;
        return;
    }
    mp->m->movement.carrier = child_attr(mp, f, "MarketingAirline", "Code");
    mp->m->movement.number = attr(mp, f, "FlightNumber");
    leg->from = child_attr(mp, f, "DepartureAirport", "LocationCode");
    leg->to = child_attr(mp, f, "ArrivalAirport", "LocationCode");
    leg->departure.local = xml_time(mp, attr(mp, f, "DepartureDateTime"));
    leg->arrival.local = xml_time(mp, attr(mp, f, "ArrivalDateTime"));
    mp->m->movement.legs = leg;
    mp->m->movement.n_legs = 1;
}

static pw_rc fail(pw_diags *d, pw_rc rc, uint32_t line, const char *what)
{
    if (d && pw_diags_add(d, PW_ERROR, 0, 0, "%s", what) != PW_OK)
        return PW_ERR_NOMEM;
    if (d && d->n)
        d->items[d->n - 1].line = line;
    return rc;
}

static pw_rc syntax_error(xmlParserCtxtPtr ctx, pw_diags *d)
{
    const xmlError *e = xmlCtxtGetLastError(ctx);
    char msg[200];

    if (!e)
        return fail(d, PW_ERR_SYNTAX, 0, "malformed XML");
    snprintf(msg, sizeof(msg), "malformed XML at line %d, column %d: %s",
             e->line, e->int2, e->message ? e->message : "");
    msg[strcspn(msg, "\n")] = '\0';
    return fail(d, PW_ERR_SYNTAX, (uint32_t)(e->line > 0 ? e->line : 0), msg);
}

static void today(pnr_map *mp)
{
    time_t now = time(NULL);
    struct tm tm;

    gmtime_r(&now, &tm);
    strftime(mp->today, sizeof(mp->today), "%Y-%m-%d", &tm);
    pnr_today_numbers(mp);
}

static pw_rc map_doc(xmlDocPtr doc, pw_msg **out, pw_diags *diags)
{
    pnr_map mp = {0};
    const xmlNode *root = xmlDocGetRootElement(doc);

    mp.filter = pw_sensitive_default();
    if (!mp.filter || !(mp.m = pw_msg_new()))
        return PW_ERR_NOMEM;
    mp.seg = &xml_seg;
    mp.m->type = "PNRGOV";
    mp.m->version = "XML";
    mp.m->movement.mode = PW_MODE_AIR;
    today(&mp);
    if (root && root->ns && root->ns->href)
        mp.m->version = pnr_dup(&mp, (const char *)root->ns->href,
                                strlen((const char *)root->ns->href));
    read_leg(&mp, root);
    find_pnrs(&mp, root, 0);
    if (mp.rc == PW_OK && !mp.m->n_bookings)
        mp.rc = fail(diags, PW_ERR_UNSUPPORTED, 0,
                     "no PNR element in the XML document");
    if (mp.rc != PW_OK) {
        pw_msg_free(mp.m);
        return mp.rc;
    }
    *out = mp.m;
    return PW_OK;
}

pw_rc pw_pnrxml_read(const char *data, size_t len, pw_msg **out,
                     pw_diags *diags)
{
    xmlParserCtxtPtr ctx;
    xmlDocPtr doc;
    pw_rc rc;
    int opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
               XML_PARSE_NOCDATA;

    *out = NULL;
    if (len > PW_PNRXML_MAX || len > INT_MAX)
        return fail(diags, PW_ERR_LIMIT, 0,
                    "XML document larger than the limit");
    ctx = xmlNewParserCtxt();
    if (!ctx)
        return PW_ERR_NOMEM;
    doc = xmlCtxtReadMemory(ctx, data, (int)len, NULL, NULL, opts);
    if (!doc)
        rc = syntax_error(ctx, diags);
    else if (doc->intSubset || doc->extSubset)
        rc = fail(diags, PW_ERR_UNSUPPORTED, 0,
                  "XML with a DTD is refused (no entities are expanded)");
    else
        rc = map_doc(doc, out, diags);
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(ctx);
    return rc;
}

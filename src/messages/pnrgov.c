/* PNRGOV (IATA/WCO/ICAO PNR push, versions 10.1 to 18.1) to the model:
 * the message header, the walk over the segments with the group each
 * belongs to, and the movement from the top TVL. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "messages/pnrgov_int.h"
#include "paxwatch/ports.h"

static const char *dup_s(pnr_map *mp, const char *s)
{
    return s ? pnr_dup(mp, s, strlen(s)) : NULL;
}

static pw_booking *booking_needed(pnr_map *mp)
{
    if (!mp->b)
        pnr_warn(mp, "before the first PNR (SRC), ignored");
    return mp->b;
}

/* Elements and components of TVL: 1 dates and times (departure date,
 * time, arrival date, time), 2 from, 3 to, 4 carrier (marketing,
 * operating), 5 flight number and booking class. */
static void times_of(pnr_map *mp, const pw_edi_value *dd,
                     const pw_edi_value *dt, const pw_edi_value *ad,
                     const pw_edi_value *at, const char **dep, const char **arr)
{
    const pw_edi_value *day;

    *dep = pnr_date_v(mp, dd, dt);
    if (dd && !*dep)
        pnr_warn(mp, "departure date is not DDMMYY, ignored");
    if (ad && strlen(ad->text) == 4 && !at) {
        pnr_warn(mp, "arrival time in the place of the arrival date");
        at = ad;
        ad = NULL;
    }
    day = at && !ad ? dd : ad;
    /* Most flights arrive on the day they leave, or the sender leaves
     * the arrival date out: the day is then made once. */
    if (day && *dep && (day == dd || !strcmp(day->text, dd->text)))
        *arr = pnr_date_on(mp, *dep, at);
    else
        *arr = pnr_date_v(mp, day, at);
}

static void tvl_times(pnr_map *mp, const char **dep, const char **arr)
{
    times_of(mp, pnr_value(mp, 1, 1), pnr_value(mp, 1, 2), pnr_value(mp, 1, 3),
             pnr_value(mp, 1, 4), dep, arr);
}

/* The values of elements 1 to 5, components 1 to 4, of a TVL, found
 * in one pass: a flight's TVL is read whole, and ten scans from the
 * segment's start cost several times more. */
typedef struct tvl_vals {
    const pw_edi_value *v[6][5];
} tvl_vals;

static void tvl_fill(const pnr_map *mp, tvl_vals *t)
{
    const pw_edi_value *v = mp->seg->values, *end = v + mp->seg->n_values;

    /* Only the slots read are cleared; a value of element 0 or of a
     * component not read lands in a slot nobody looks at. */
    for (unsigned c = 1; c <= 4; c++)
        t->v[1][c] = NULL;
    t->v[2][1] = t->v[3][1] = NULL;
    t->v[4][1] = t->v[4][2] = t->v[5][1] = t->v[5][2] = NULL;
    for (; v < end && v->element <= 5; v++)
        if (v->repetition == 0 && v->component <= 4)
            t->v[v->element][v->component] = v;
}

static const char *tvl_take(pnr_map *mp, const tvl_vals *t, unsigned e,
                            unsigned c)
{
    return t->v[e][c] ? pnr_take(mp, t->v[e][c]) : NULL;
}

static const char *utc_of(pnr_map *mp, const char *port, const char *local)
{
    char out[32];

    if (!port || !local || strlen(local) != 16 ||
        !pw_time_to_utc(port, local, out))
        return NULL;
    return dup_s(mp, out);
}

static void top_tvl(pnr_map *mp)
{
    pw_movement *mv = &mp->m->movement;
    pw_leg *leg;
    const char *carrier = pnr_val(mp, 4, 1), *num = pnr_val(mp, 5, 1);

    if (mp->seen_top_tvl++) {
        pnr_warn(mp, "a second flight before the first PNR, ignored");
        return;
    }
    leg = pw_arena_calloc(&mp->m->arena, 1, sizeof(*leg));
    if (!leg) {
        mp->rc = PW_ERR_NOMEM;
        return;
    }
    mv->carrier = carrier;
    mv->number = carrier && num ? pnr_cat(mp, carrier, "", num) : num;
    leg->from = pnr_val(mp, 2, 1);
    leg->to = pnr_val(mp, 3, 1);
    tvl_times(mp, &leg->departure.local, &leg->arrival.local);
    leg->departure.sent = pnr_val(mp, 1, 1);
    leg->departure.utc = utc_of(mp, leg->from, leg->departure.local);
    leg->arrival.utc = utc_of(mp, leg->to, leg->arrival.local);
    mv->legs = leg;
    mv->n_legs = 1;
}

static void flight_tvl(pnr_map *mp, const tvl_vals *t)
{
    pw_booking *b = mp->b;
    pw_flight *f = pnr_push(mp, (void **)&b->itinerary, &b->n_itinerary,
                            &mp->caps.itinerary, sizeof(*f));

    if (!f)
        return;
    f->carrier = tvl_take(mp, t, 4, 1);
    f->operating_carrier = tvl_take(mp, t, 4, 2);
    f->number = tvl_take(mp, t, 5, 1);
    f->booking_class = tvl_take(mp, t, 5, 2);
    f->from = tvl_take(mp, t, 2, 1);
    f->to = tvl_take(mp, t, 3, 1);
    times_of(mp, t->v[1][1], t->v[1][2], t->v[1][3], t->v[1][4], &f->departure,
             &f->arrival);
    if (pw_msgs_is(f->operating_carrier, f->carrier ? f->carrier : ""))
        f->operating_carrier = NULL;
    mp->fl = (int)b->n_itinerary - 1;
    mp->ctx = PNR_TVL;
}

static void service_tvl(pnr_map *mp, const char *kind)
{
    pw_booking *b = mp->b;
    pw_service *s = pnr_push(mp, (void **)&b->services, &b->n_services,
                             &mp->caps.services, sizeof(*s));

    if (!s)
        return;
    s->kind = kind;
    s->start = pnr_date(mp, pnr_get(mp, 1, 1), pnr_get(mp, 1, 2));
    s->end = pnr_date(mp, pnr_get(mp, 1, 3), NULL);
    s->location = pnr_val(mp, 2, 1);
    s->provider = pnr_val(mp, 4, 1);
}

void pnr_history(pnr_map *mp, const char *what, const char *detail)
{
    pw_booking *b = mp->b;
    pw_history *h = pnr_push(mp, (void **)&b->history, &b->n_history,
                             &mp->caps.history, sizeof(*h));

    if (!h)
        return;
    h->date = mp->hist_date;
    h->action = mp->hist_action;
    h->what = what;
    h->detail = detail;
}

static void history_tvl(pnr_map *mp)
{
    const char *dep, *arr;
    const char *c = pnr_get(mp, 4, 1), *n = pnr_get(mp, 5, 1);
    const char *from = pnr_get(mp, 2, 1);
    const char *to = pnr_get(mp, 3, 1);

    tvl_times(mp, &dep, &arr);
    pnr_history(mp, "flight",
                pw_arena_printf(&mp->m->arena, "%s%s %s-%s %s", c ? c : "",
                                n ? n : "", from ? from : "", to ? to : "",
                                dep ? dep : ""));
    mp->ctx = PNR_SAC_TVL;
}

static void read_tvl(pnr_map *mp)
{
    tvl_vals t;

    if (mp->ctx == PNR_TOP) {
        top_tvl(mp);
        return;
    }
    if (mp->ctx == PNR_NONAIR) {
        service_tvl(mp, mp->hist_action);
        return;
    }
    if (mp->ctx == PNR_SAC || mp->ctx == PNR_SAC_TVL || mp->ctx == PNR_ABI) {
        history_tvl(mp);
        return;
    }
    /* A TVL with a flight number only, right after a flight, gives the
     * operating flight of a code-share. */
    tvl_fill(mp, &t);
    if (mp->ctx == PNR_TVL && mp->fl >= 0 && !t.v[1][1] && !t.v[2][1] &&
        t.v[5][1]) {
        mp->b->itinerary[mp->fl].operating_number = tvl_take(mp, &t, 5, 1);
        return;
    }
    flight_tvl(mp, &t);
}

static void read_msg(pnr_map *mp)
{
    if (mp->ctx == PNR_TOP) {
        /* MSG 1225: 22 a full push, 141 changes only. */
        mp->m->function = pnr_val(mp, 1, 2);
        mp->m->list_code = pnr_val(mp, 1, 1);
        return;
    }
    /* Gr9: a non-air part of the itinerary; its kind is kept for the
     * TVL that follows. */
    mp->hist_action = pnr_val(mp, 1, 1);
    mp->ctx = PNR_NONAIR;
}

static void read_agency(pnr_map *mp)
{
    pw_booking *b = mp->b;
    const pw_edi_value *at[8][3];
    const pw_edi_value *v = mp->seg->values, *end = v + mp->seg->n_values;

    /* eight values of seven elements: found in one pass, the slots
     * read cleared first (see tvl_fill) */
    at[1][1] = at[1][2] = at[2][1] = at[2][2] = NULL;
    at[5][1] = at[6][1] = at[6][2] = at[7][1] = NULL;
    for (; v < end && v->element < 8; v++)
        if (!v->repetition && v->component < 3)
            at[v->element][v->component] = v;
    /* ORG of the PNR: 1 system or airline : location, 2 IATA number :
     * office or city, 5 originator type, 6 country : currency, 7 agent. */
    b->agency.system = pnr_take_of(mp, at[1][1]);
    b->agency.location = pnr_take_of(mp, at[1][2]);
    b->agency.iata_number = pnr_take_of(mp, at[2][1]);
    b->agency.office = pnr_take_of(mp, at[2][2]);
    b->agency.type = pnr_take_of(mp, at[5][1]);
    b->agency.country = pnr_take_of(mp, at[6][1]);
    b->agency.currency = pnr_take_of(mp, at[6][2]);
    b->agency.agent = pnr_take_of(mp, at[7][1]);
}

static void read_org(pnr_map *mp)
{
    if (mp->ctx == PNR_TOP) {
        mp->m->reporting_party = pnr_val(mp, 1, 1);
        if (!mp->m->reporting_party)
            pnr_warn(mp, "without the sending airline");
        return;
    }
    if (mp->ctx == PNR_CHECKIN && mp->chk >= 0) {
        mp->b->checkins[mp->chk].agent = pnr_val(mp, 1, 2);
        return;
    }
    if (mp->ctx != PNR_PNR)
        pnr_warn(mp, "agency outside the PNR group, read anyway");
    read_agency(mp);
}

static void read_locators(pnr_map *mp, pw_locator *first)
{
    pw_booking *b = mp->b;
    unsigned n = mp->seg->n_elements;
    const pw_edi_value *v = mp->seg->values, *at[6];

    for (unsigned e = 1; e <= n; e++) {
        pw_locator *l = e == 1 ? first
                               : pnr_push(mp, (void **)&b->other_locators,
                                          &b->n_other_locators,
                                          &mp->caps.locators, sizeof(*l));
        const char *c3;
        int shifted;

        v = pnr_element(mp, v, e, at, 6);
        c3 = pnr_text_of(at[3]);
        shifted = c3 && strlen(c3) == 6 && strspn(c3, "0123456789") == 6;
        if (!l)
            return;
        l->carrier = pnr_take_of(mp, at[1]);
        l->locator = pnr_take_of(mp, at[2]);
        /* RCI: 3 reservation control type, 4 date, 5 time; some senders
         * put the date in component 3 and the time in 4. */
        l->created = pnr_date_v(mp, at[4 - shifted], at[5 - shifted]);
    }
}

static void read_rci(pnr_map *mp)
{
    pw_booking *b = mp->b;
    pw_locator *l;

    if (mp->ctx == PNR_SPLIT) {
        l = pnr_push(mp, (void **)&b->split, &b->n_split, &mp->caps.split,
                     sizeof(*l));
        if (l)
            read_locators(mp, l);
        return;
    }
    if (mp->ctx != PNR_PNR || b->locator.locator)
        return; /* the check-in or flight reference repeats the PNR's */
    read_locators(mp, &b->locator);
    b->created = b->locator.created;
    if (!b->locator.locator)
        pnr_warn(mp, "without a record locator");
}

static void dat_checkin(pnr_map *mp, const char *when)
{
    pw_booking *b = mp->b;
    pw_checkin *c = pnr_push(mp, (void **)&b->checkins, &b->n_checkins,
                             &mp->caps.checkins, sizeof(*c));

    if (!c)
        return;
    c->time = when;
    c->flight = mp->fl;
    c->traveller = -1;
    mp->chk = (int)b->n_checkins - 1;
    mp->ctx = PNR_CHECKIN;
}

static void dat_one(pnr_map *mp, const pw_edi_value *at[4])
{
    pw_booking *b = mp->b;
    const char *q = pnr_text_of(at[1]);
    const char *when = pnr_date_v(mp, at[2], at[3]);

    if (mp->ctx == PNR_ABI || mp->ctx == PNR_SAC) {
        mp->hist_date = when;
    } else if (pw_msgs_is(q, "700")) {
        /* DAT 700: the last transaction on the PNR */
        b->last_changed = when;
    } else if (pw_msgs_is(q, "710")) {
        /* DAT 710: ticket issue */
        if ((mp->ctx == PNR_TKT || mp->ctx == PNR_FOP) && mp->tk >= 0)
            b->tickets[mp->tk].issued = when;
        if (!b->ticketed)
            b->ticketed = when;
    } else if (pw_msgs_is(q, "2") || pw_msgs_is(q, "1")) {
        /* DAT 2: check-in transaction */
        dat_checkin(mp, when);
    } else {
        pnr_warn(mp, "qualifier %.8s not known, ignored", q ? q : "(none)");
    }
}

static void read_dat(pnr_map *mp)
{
    unsigned n = mp->seg->n_elements;
    const pw_edi_value *v = mp->seg->values, *at[4];

    if (mp->ctx == PNR_TOP)
        return;
    for (unsigned e = 1; e <= n; e++) {
        v = pnr_element(mp, v, e, at, 4);
        dat_one(mp, at);
    }
    if (!n)
        pnr_warn(mp, "without a date");
}

static void read_fti(pnr_map *mp)
{
    pw_booking *b = mp->b;
    const pw_edi_value *v = mp->seg->values, *at[6];

    for (unsigned e = 1; e <= mp->seg->n_elements; e++) {
        pw_loyalty *l =
            pnr_push(mp, (void **)&b->frequent_flyer, &b->n_frequent_flyer,
                     &mp->caps.loyalty, sizeof(*l));
        if (!l)
            return;
        v = pnr_element(mp, v, e, at, 6);
        l->carrier = pnr_take_of(mp, at[1]);
        l->number = pnr_take_of(mp, at[2]);
        l->tier = pnr_take_of(mp, at[5]);
        l->traveller = mp->tr;
    }
}

static void read_tkt(pnr_map *mp)
{
    pw_booking *b = mp->b;
    pw_ticket *t = pnr_push(mp, (void **)&b->tickets, &b->n_tickets,
                            &mp->caps.tickets, sizeof(*t));

    if (!t)
        return;
    t->number = pnr_val(mp, 1, 1);
    t->type = pnr_val(mp, 1, 2);
    t->traveller = mp->tr;
    mp->tk = (int)b->n_tickets - 1;
    mp->ctx = PNR_TKT;
}

static void read_mon(pnr_map *mp)
{
    pw_ticket *t;
    const pw_edi_value *v = mp->seg->values, *at[4];

    if ((mp->ctx != PNR_TKT && mp->ctx != PNR_FOP) || mp->tk < 0) {
        pnr_warn(mp, "outside a ticket group, ignored");
        return;
    }
    t = &mp->b->tickets[mp->tk];
    for (unsigned e = 1; e <= mp->seg->n_elements; e++) {
        v = pnr_element(mp, v, e, at, 4);
        /* MON 5025: B base fare, T total */
        if (!pw_msgs_is(pnr_text_of(at[1]), "T"))
            continue;
        t->total = pnr_take_of(mp, at[2]);
        t->currency = pnr_take_of(mp, at[3]);
    }
}

static void read_ptk(pnr_map *mp)
{
    pw_ticket *t;

    if (mp->ctx != PNR_TKT || mp->tk < 0)
        return;
    t = &mp->b->tickets[mp->tk];
    if (!t->issued)
        t->issued = pnr_date(mp, pnr_get(mp, 3, 1), pnr_get(mp, 3, 2));
}

/* Keeps only the last four characters of a card number. The number is
 * the message's own copy (pnr_val), masked where it lies so that the
 * full number is kept nowhere. */
static const char *masked(const char *num)
{
    char *p = (char *)num;
    size_t n = p ? strlen(p) : 0;

    for (size_t i = 0; i + 4 < n; i++)
        p[i] = 'X';
    return n ? p : NULL;
}

static void read_fop(pnr_map *mp)
{
    pw_booking *b = mp->b;
    const pw_ticket *t = mp->tk >= 0 ? &b->tickets[mp->tk] : NULL;
    const pw_edi_value *v = mp->seg->values, *at[6];

    for (unsigned e = 1; e <= mp->seg->n_elements; e++) {
        pw_payment *p = pnr_push(mp, (void **)&b->payments, &b->n_payments,
                                 &mp->caps.payments, sizeof(*p));
        if (!p)
            return;
        v = pnr_element(mp, v, e, at, 6);
        p->type = pnr_take_of(mp, at[1]);
        p->amount = pnr_take_of(mp, at[3]);
        p->card_type = pnr_take_of(mp, at[4]);
        p->card_number = masked(pnr_take_of(mp, at[5]));
        p->traveller = mp->tr;
        if (!p->amount && t) {
            p->amount = t->total;
            p->currency = t->currency;
        } else if (t) {
            p->currency = t->currency;
        }
        mp->pay = (int)b->n_payments - 1;
    }
    mp->ctx = PNR_FOP;
}

static void read_tra(pnr_map *mp)
{
    pw_flight *f;

    if (mp->ctx != PNR_TVL || mp->fl < 0) {
        pnr_warn(mp, "outside a flight group, ignored");
        return;
    }
    /* TRA: the operating carrier and flight of a code-share */
    f = &mp->b->itinerary[mp->fl];
    f->operating_carrier = pnr_val(mp, 1, 1);
    f->operating_number = pnr_val(mp, 2, 1);
}

static void read_rpi(pnr_map *mp)
{
    pw_flight *f;
    const char *st = pnr_val(mp, 2, 1);

    if (mp->ctx == PNR_SAC_TVL || mp->ctx == PNR_SAC)
        return;
    if (mp->ctx != PNR_TVL || mp->fl < 0) {
        pnr_warn(mp, "outside a flight group, ignored");
        return;
    }
    f = &mp->b->itinerary[mp->fl];
    f->status = st;
    /* RPI 4405: NS no-show, GO go-show (element 10) */
    f->no_show = pw_msgs_is(st, "NS") || pw_msgs_is(st, "NOSHOW");
    f->go_show = pw_msgs_is(st, "GO") || pw_msgs_is(st, "GOSHOW");
}

static void read_apd(pnr_map *mp)
{
    if (mp->ctx != PNR_TVL || mp->fl < 0)
        return;
    mp->b->itinerary[mp->fl].equipment = pnr_val(mp, 1, 1);
}

/* Each TRI of a check-in group is one traveller's check-in, at the
 * time and place of the group's DAT and ORG. */
static void next_checkin(pnr_map *mp)
{
    pw_checkin prev = mp->b->checkins[mp->chk];

    dat_checkin(mp, prev.time);
    if (mp->chk >= 0)
        mp->b->checkins[mp->chk].agent = prev.agent;
}

static void read_tri(pnr_map *mp)
{
    const char *ref = pnr_get(mp, 2, 4);

    if (mp->chk < 0 || mp->ctx == PNR_TVL)
        dat_checkin(mp, NULL);
    else if (mp->ctx == PNR_TRI)
        next_checkin(mp);
    if (mp->chk < 0)
        return;
    mp->b->checkins[mp->chk].sequence = pnr_val(mp, 2, 1);
    mp->tri_tr = pnr_traveller_by_ref(mp, ref);
    mp->b->checkins[mp->chk].traveller = mp->tri_tr;
    mp->ctx = PNR_TRI;
}

static void read_ssd(pnr_map *mp)
{
    pw_booking *b = mp->b;
    pw_seat *s;

    if (mp->ctx != PNR_TRI) {
        pnr_warn(mp, "outside a check-in group, ignored");
        return;
    }
    s = pnr_push(mp, (void **)&b->seats, &b->n_seats, &mp->caps.seats,
                 sizeof(*s));
    if (!s)
        return;
    s->seat = pnr_val(mp, 1, 1);
    s->traveller = mp->tri_tr;
    s->flight = mp->fl;
    if (pnr_seat_seen(mp, s))
        b->n_seats--;
}

static pw_bag *new_bag(pnr_map *mp)
{
    pw_booking *b = mp->b;
    pw_bag *g =
        pnr_push(mp, (void **)&b->bags, &b->n_bags, &mp->caps.bags, sizeof(*g));

    if (g) {
        g->count = -1;
        g->traveller = mp->ctx == PNR_TRI ? mp->tri_tr : mp->tr;
        g->flight = mp->ctx == PNR_TRI ? mp->fl : -1;
    }
    return g;
}

static int count_of(const char *s)
{
    int n = 0;

    if (!s || !*s)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || n > 9999)
            return -1;
        n = n * 10 + (*s - '0');
    }
    return n;
}

static void bag_tags(pnr_map *mp, pw_bag *g, unsigned from)
{
    unsigned n = mp->seg->n_elements;
    const char **tags;

    if (n < from)
        return;
    tags = pw_arena_calloc(&mp->m->arena, n, sizeof(*tags));
    if (!tags) {
        mp->rc = PW_ERR_NOMEM;
        return;
    }
    g->tags = tags;
    /* bag tag details: carrier : tag number : count : destination */
    for (unsigned e = from; e <= n; e++) {
        const char *c = pnr_get(mp, e, 1);
        const char *s = pnr_get(mp, e, 2);
        if (s)
            tags[g->n_tags++] = pnr_cat(mp, c, "", s);
    }
}

/* TBD: the element with count : weight : unit is the second in some
 * senders' files and the third in others'. */
static unsigned tbd_count_element(const pnr_map *mp)
{
    for (unsigned e = 1; e <= 3; e++)
        if (pnr_get(mp, e, 1) && pnr_get(mp, e, 2))
            return e;
    return pnr_get(mp, 2, 1) ? 2 : 3;
}

static void read_tbd(pnr_map *mp)
{
    unsigned ce = tbd_count_element(mp);
    const char *w = pnr_get(mp, ce, 2);
    const char *u = pnr_get(mp, ce, 3);
    pw_bag *g;

    if (mp->ctx == PNR_SAC || mp->ctx == PNR_SAC_TVL) {
        pnr_history(mp, "bags", pnr_val(mp, ce, 1));
        return;
    }
    g = new_bag(mp);
    if (!g)
        return;
    g->count = count_of(pnr_get(mp, ce, 1));
    /* TBD 6411: 700 kilograms, 701 pounds */
    if (w)
        g->weight = pnr_cat(mp, w, " ",
                            pw_msgs_is(u, "701")   ? "LBR"
                            : pw_msgs_is(u, "700") ? "KGM"
                                                   : u);
    bag_tags(mp, g, ce + 1);
}

static void read_ebd(pnr_map *mp)
{
    pw_bag *g = new_bag(mp);

    if (!g)
        return;
    g->excess = 1;
    g->count = count_of(pnr_get(mp, 2, 1));
}

static void read_eqn(pnr_map *mp, long *declared)
{
    if (mp->ctx == PNR_TOP) {
        mp->eqn = mp->seg;
        const char *n = pnr_get(mp, 1, 1);
        *declared = count_of(n);
        if (*declared < 0)
            pnr_warn(mp, "number of PNRs is missing or not a number");
        return;
    }
    mp->ctx = PNR_SPLIT;
}

static void finish_booking(pnr_map *mp)
{
    pw_booking *b = mp->b;

    if (!b)
        return;
    pnr_finish_docs(mp);
    if (!b->locator.locator) {
        pw_rc rc =
            pw_diags_add(&mp->m->diags, PW_WARNING, b->segment, b->offset,
                         "SRC PNR without a record locator (RCI)");
        if (rc != PW_OK)
            mp->rc = rc;
    }
    for (size_t i = 0; i < b->n_travellers; i++)
        b->travellers[i].booking_ref = b->locator.locator;
    mp->b = NULL;
}

static void start_booking(pnr_map *mp)
{
    pw_msg *m = mp->m;
    pw_booking *b;
    size_t docs;

    finish_booking(mp);
    b = pnr_push(mp, (void **)&m->bookings, &m->n_bookings, &mp->cap_bookings,
                 sizeof(*b));
    if (!b)
        return;
    b->segment = mp->seg->number;
    b->offset = mp->seg->offset;
    /* The documents are placed, by value, when a booking ends: their
     * array serves every booking of the message. */
    docs = mp->caps.docs;
    pw_msgs_clear(&mp->caps, sizeof(mp->caps));
    mp->caps.docs = docs;
    mp->b = b;
    mp->n_docs = 0;
    mp->seat_pairs = 0;
    mp->tr = mp->fl = mp->tk = mp->pay = mp->chk = mp->tri_tr = -1;
    mp->ctx = PNR_PNR;
}

static void read_abi(pnr_map *mp)
{
    mp->ctx = PNR_ABI;
    mp->hist_date = NULL;
    mp->hist_action = NULL;
}

static void read_sac(pnr_map *mp)
{
    /* SAC 9868 in element 3: X cancelled, A added */
    mp->hist_action = pnr_val(mp, 3, 1);
    if (!mp->hist_action)
        mp->hist_action = pnr_val(mp, 1, 1);
    mp->ctx = PNR_SAC;
}

/* Segments that belong to a PNR: nothing to do before its SRC. */
/* Inline into the walk: a call per segment, saving and restoring
 * registers, cost more than the switch it holds. */
static inline __attribute__((always_inline)) void read_in_pnr(pnr_map *mp,
                                                              uint32_t tag)
{
    switch (tag) {
    case PNR_TAG('R', 'C', 'I'):
        read_rci(mp);
        break;
    case PNR_TAG('S', 'S', 'R'):
        pnr_ssr(mp);
        break;
    case PNR_TAG('I', 'F', 'T'):
        pnr_ift(mp);
        break;
    case PNR_TAG('A', 'D', 'D'):
        pnr_add(mp);
        break;
    case PNR_TAG('T', 'I', 'F'):
        pnr_tif(mp);
        break;
    case PNR_TAG('F', 'T', 'I'):
        read_fti(mp);
        break;
    case PNR_TAG('T', 'K', 'T'):
        read_tkt(mp);
        break;
    case PNR_TAG('M', 'O', 'N'):
        read_mon(mp);
        break;
    case PNR_TAG('P', 'T', 'K'):
        read_ptk(mp);
        break;
    case PNR_TAG('F', 'O', 'P'):
        read_fop(mp);
        break;
    case PNR_TAG('T', 'R', 'A'):
        read_tra(mp);
        break;
    case PNR_TAG('R', 'P', 'I'):
        read_rpi(mp);
        break;
    case PNR_TAG('A', 'P', 'D'):
        read_apd(mp);
        break;
    case PNR_TAG('T', 'R', 'I'):
        read_tri(mp);
        break;
    case PNR_TAG('S', 'S', 'D'):
        read_ssd(mp);
        break;
    case PNR_TAG('T', 'B', 'D'):
        read_tbd(mp);
        break;
    case PNR_TAG('E', 'B', 'D'):
        read_ebd(mp);
        break;
    case PNR_TAG('A', 'B', 'I'):
        read_abi(mp);
        break;
    case PNR_TAG('S', 'A', 'C'):
        read_sac(mp);
        break;
    case PNR_TAG('R', 'E', 'F'):
    case PNR_TAG('F', 'A', 'R'):
    case PNR_TAG('T', 'X', 'D'):
    case PNR_TAG('L', 'T', 'S'):
        break; /* fare and reference details: not kept */
    default:
        pnr_warn(mp, "not a PNRGOV segment, ignored");
    }
}

static void read_segment(pnr_map *mp, long *declared)
{
    uint32_t tag = pnr_tag(mp->seg);

    switch (tag) {
    case PNR_TAG('U', 'N', 'H'):
    case PNR_TAG('U', 'N', 'T'):
        break;
    case PNR_TAG('S', 'R', 'C'):
        start_booking(mp);
        break;
    case PNR_TAG('M', 'S', 'G'):
        read_msg(mp);
        break;
    case PNR_TAG('E', 'Q', 'N'):
        read_eqn(mp, declared);
        break;
    case PNR_TAG('O', 'R', 'G'):
        if (mp->ctx == PNR_TOP || booking_needed(mp))
            read_org(mp);
        break;
    case PNR_TAG('T', 'V', 'L'):
        if (mp->ctx == PNR_TOP || booking_needed(mp))
            read_tvl(mp);
        break;
    case PNR_TAG('D', 'A', 'T'):
        if (mp->ctx == PNR_TOP || booking_needed(mp))
            read_dat(mp);
        break;
    default:
        if (booking_needed(mp))
            read_in_pnr(mp, tag);
    }
}

static void walk(pnr_map *mp, const pw_edi_message *em)
{
    long declared = -1;
    const pw_edi_segment *s = mp->ix->segments + em->first_segment;
    const pw_edi_segment *end = s + em->n_segments;

    for (; s < end && mp->rc == PW_OK; s++) {
        mp->seg = s;
        read_segment(mp, &declared);
    }
    finish_booking(mp);
    if (mp->rc == PW_OK && declared >= 0 &&
        (size_t)declared != mp->m->n_bookings) {
        mp->seg = mp->eqn;
        pnr_warn(mp, "the message declares %ld PNRs (EQN) but holds %zu",
                 declared, mp->m->n_bookings);
    }
}

/* The date the interchange was sent (UNB S004, YYMMDD), which places
 * two-digit birth years; today when it has none. */
static void set_today_text(pnr_map *mp)
{
    const char *d = mp->ix->date;
    time_t now;
    struct tm tm;

    if (d && strlen(d) == 6 && strspn(d, "0123456789") == 6) {
        /* "20YY-MM-DD" from the digits as sent: a call to snprintf a
         * message cost as much as reading a PNR's dates */
        memcpy(mp->today, "20YY-MM-DD", sizeof(mp->today));
        memcpy(mp->today + 2, d, 2);
        memcpy(mp->today + 5, d + 2, 2);
        memcpy(mp->today + 8, d + 4, 2);
        return;
    }
    now = time(NULL);
    gmtime_r(&now, &tm);
    strftime(mp->today, sizeof(mp->today), "%Y-%m-%d", &tm);
}

static void set_today(pnr_map *mp)
{
    set_today_text(mp);
    pnr_today_numbers(mp);
}

static void fill_header(pnr_map *mp, const pw_edi_message *em)
{
    const pw_edi_interchange *ix = mp->ix;
    const pw_edi_group *g = em->group >= 0 && (size_t)em->group < ix->n_groups
                                ? &ix->groups[em->group]
                                : NULL;
    pw_msg *m = mp->m;

    m->type = "PNRGOV";
    /* "11" + "1" is version 11.1 */
    m->version = em->version && em->release
                     ? pnr_cat(mp, em->version, ".", em->release)
                     : dup_s(mp, em->version);
    m->sender = dup_s(mp, ix->sender ? ix->sender : g ? g->sender : NULL);
    m->recipient = dup_s(mp, ix->recipient ? ix->recipient
                             : g           ? g->recipient
                                           : NULL);
    m->interchange_ref = dup_s(mp, ix->control_reference);
    m->message_ref = dup_s(mp, em->reference);
    m->common_access_ref = dup_s(mp, em->common_access_reference);
    m->movement.mode = PW_MODE_AIR;
    set_today(mp);
}

static void copy_diags(pnr_map *mp, const pw_edi_message *em)
{
    uint32_t first = mp->ix->segments[em->first_segment].number;
    uint32_t last =
        mp->ix->segments[em->first_segment + em->n_segments - 1].number;

    for (size_t i = 0; i < mp->ix->diags.n; i++) {
        const pw_diag *d = &mp->ix->diags.items[i];
        if (d->segment < first || d->segment > last)
            continue;
        if (pw_diags_copy(&mp->m->diags, d) != PW_OK)
            mp->rc = PW_ERR_NOMEM;
    }
}

pw_rc pw_pnrgov_map(const pw_edi_interchange *ix, size_t index, pw_msg **out)
{
    const pw_edi_message *em;
    pnr_map mp = {0};

    *out = NULL;
    if (!ix || index >= ix->n_messages)
        return PW_ERR_INVALID;
    em = &ix->messages[index];
    if (!pw_msgs_is(em->type, "PNRGOV") || !em->n_segments ||
        em->first_segment + (size_t)em->n_segments > ix->n_segments)
        return PW_ERR_UNSUPPORTED;
    mp.ix = ix;
    mp.filter = pw_sensitive_default();
    if (!mp.filter)
        return PW_ERR_NOMEM; /* never read without the filter */
    mp.m = pw_msg_new();
    if (!mp.m)
        return PW_ERR_NOMEM;
    mp.seg = &ix->segments[em->first_segment];
    mp.tr = mp.fl = mp.tk = mp.pay = mp.chk = mp.tri_tr = -1;
    fill_header(&mp, em);
    copy_diags(&mp, em);
    if (mp.rc == PW_OK)
        pnr_copy_texts(&mp, em);
    if (mp.rc == PW_OK)
        walk(&mp, em);
    if (mp.rc != PW_OK) {
        pw_msg_free(mp.m);
        return mp.rc;
    }
    *out = mp.m;
    return PW_OK;
}

/* PAXLST movement groups: TDT (carrier, flight or voyage, vessel), LOC
 * and DTM (ports and scheduled times), made into the legs of a movement. */
#include <string.h>

#include "messages/paxlst_int.h"

#if defined(__has_include)
#if __has_include("paxwatch/ports.h")
#include "paxwatch/ports.h"
#define PW_HAVE_PORTS 1
#endif
#endif

static int leg_used(const pw_leg *l)
{
    return l->from || l->to || l->departure.sent || l->arrival.sent;
}

/* The next leg of the pool; it inherits the carrier and number of the
 * leg before it, which came from the same TDT. */
static pw_leg *next_leg(pw_msgs_map *mp)
{
    pw_movement *mv = &mp->m->movement;
    pw_leg *prev = mp->leg;

    if (prev && !leg_used(prev))
        return prev;
    if (mv->n_legs >= mp->cap_legs)
        return prev; /* cannot happen: the pool is sized by a first pass */
    mp->leg = &mp->legs[mv->n_legs++];
    memset(mp->leg, 0, sizeof(*mp->leg));
    if (prev) {
        mp->leg->carrier = prev->carrier;
        mp->leg->number = prev->number;
    }
    mp->loc92_pending = 0;
    return mp->leg;
}

static pw_mode mode_of(pw_msgs_map *mp, const char *code)
{
    /* TDT 8067 (Recommendation 19): 1 maritime, 2 rail, 3 road,
     * 4 air. */
    if (!code)
        return PW_MODE_UNKNOWN;
    if (pw_msgs_is(code, "1"))
        return PW_MODE_SEA;
    if (pw_msgs_is(code, "2") || pw_msgs_is(code, "3"))
        return PW_MODE_LAND;
    if (pw_msgs_is(code, "4"))
        return PW_MODE_AIR;
    pw_msgs_warn(mp, "transport mode %.8s unknown", code);
    return PW_MODE_UNKNOWN;
}

/* One repetition of TDT C222: 8213 id, 1131 code list, 3055 agency,
 * 8212 name, 8453 flag. An id with code list 146 or agency 11 (Lloyd's
 * register), or prefixed IMO, or of seven digits is the IMO number; code
 * list 103 (call sign directory) or any other id is the call sign. */
static void read_vessel_rep(pw_msgs_map *mp, unsigned r, pw_vessel *v)
{
    const pw_edi_segment *s = mp->seg;
    const char *id = pw_msgs_dup(mp, pw_edi_get_rep(s, 8, r, 1));
    const char *list = pw_edi_get_rep(s, 8, r, 2);
    const char *agency = pw_edi_get_rep(s, 8, r, 3);
    const char *name = pw_msgs_dup(mp, pw_edi_get_rep(s, 8, r, 4));
    const char *flag = pw_msgs_dup(mp, pw_edi_get_rep(s, 8, r, 5));
    int imo = 0;

    if (id && !pw_msgs_is(list, "103")) {
        size_t n = strspn(id, "0123456789");
        imo = pw_msgs_is(list, "146") || pw_msgs_is(agency, "11") ||
              !strncmp(id, "IMO", 3) || (n == 7 && !id[7]);
    }
    if (id && imo && !v->imo)
        v->imo = id;
    else if (id && !imo && !v->call_sign)
        v->call_sign = id;
    if (name && !v->name)
        v->name = name;
    if (flag && !v->flag)
        v->flag = flag;
}

static void read_vessel(pw_msgs_map *mp)
{
    pw_vessel *v = &mp->m->movement.vessel;
    unsigned reps = pw_edi_repetitions(mp->seg, 8);

    for (unsigned r = 0; r < reps; r++)
        read_vessel_rep(mp, r, v);
}

void pw_msgs_tdt(pw_msgs_map *mp)
{
    pw_movement *mv = &mp->m->movement;
    const char *stage = pw_msgs_get(mp, 1, 1);
    const char *number = pw_msgs_val(mp, 2, 1);
    const char *carrier = pw_msgs_val(mp, 5, 1);
    int first = !mp->seen_tdt;
    pw_mode mode = mode_of(mp, pw_msgs_get(mp, 3, 1));
    pw_leg *leg;

    /* 8051: 20 main carriage, 34 overflight (no landing). */
    if (!pw_msgs_is(stage, "20") && !pw_msgs_is(stage, "34"))
        pw_msgs_warn(mp, "transport stage %.8s, expected 20",
                     stage ? stage : "(none)");
    mp->ctx = PW_CTX_MOVEMENT;
    mp->t = NULL;
    mp->doc = NULL;
    /* A leg begun by a LOC before any TDT belongs to the first TDT. */
    if (mp->leg && leg_used(mp->leg) && !(first && !mp->leg->carrier))
        mp->leg = NULL;
    mp->seen_tdt = 1;
    leg = mp->leg ? mp->leg : next_leg(mp);
    leg->carrier = carrier;
    leg->number = number;
    if (first) {
        mv->carrier = carrier;
        mv->number = number;
        if (mode != PW_MODE_UNKNOWN)
            mv->mode = mode;
    }
    read_vessel(mp);
    if (first && mode == PW_MODE_UNKNOWN && mv->vessel.name)
        mv->mode = PW_MODE_SEA;
}

static pw_leg *current_leg(pw_msgs_map *mp)
{
    if (mp->leg)
        return mp->leg;
    pw_msgs_warn(mp, "before any TDT");
    return next_leg(mp);
}

static void place_loc92(pw_msgs_map *mp, const char *port)
{
    pw_leg *l = current_leg(mp);

    /* LOC 92 names each end of a progressive flight's sector: the first
     * one after a TDT is where it leaves, the second where it lands,
     * unless a DTM 232 after the first says it is an arrival. */
    if (l->from && l->to)
        l = next_leg(mp);
    if (!l->from) {
        l->from = port;
        mp->loc92_pending = 1;
    } else {
        l->to = port;
        mp->loc92_pending = 0;
    }
}

void pw_msgs_move_loc(pw_msgs_map *mp)
{
    const char *q = pw_msgs_get(mp, 1, 1);
    const char *port = pw_msgs_val(mp, 2, 1);
    pw_leg *l;

    if (!port)
        port = pw_msgs_val(mp, 2, 4);
    if (!port) {
        pw_msgs_warn(mp, "without a place");
        return;
    }
    if (pw_msgs_is(q, "125") || pw_msgs_is(q, "87")) {
        /* LOC 125: departure port; LOC 87: arrival port. */
        int dep = pw_msgs_is(q, "125");
        l = current_leg(mp);
        if (dep ? l->from != NULL : l->to != NULL)
            l = next_leg(mp);
        *(dep ? &l->from : &l->to) = port;
        mp->loc92_pending = 0;
    } else if (pw_msgs_is(q, "92")) {
        place_loc92(mp, port);
    } else if (pw_msgs_is(q, "130")) {
        mp->m->movement.final_destination = port; /* final destination */
    } else {
        pw_msgs_warn(mp, "qualifier %.8s not expected for a movement",
                     q ? q : "(none)");
    }
}

/* DTM C507 value as sent and as ISO local time; NULL on failure. */
static int read_time(pw_msgs_map *mp, pw_time *t)
{
    const char *raw = pw_msgs_get(mp, 1, 2);
    const char *fmt = pw_msgs_get(mp, 1, 3);
    const char *v = pw_msgs_dup(mp, raw);
    char iso[32];

    if (!v) {
        pw_msgs_warn(mp, "without a date");
        return 0;
    }
    if (strlen(v) != strlen(raw))
        pw_msgs_warn(mp, "date has spaces around it, trimmed");
    if (!pw_msgs_date(v, fmt, PW_DATE_TRAVEL, NULL, iso)) {
        pw_msgs_warn(mp, "date is not valid in format %.8s",
                     fmt ? fmt : "(none)");
        return 0;
    }
    t->sent = v;
    t->local = pw_msgs_dup(mp, iso);
    return 1;
}

void pw_msgs_move_dtm(pw_msgs_map *mp)
{
    const char *q = pw_msgs_get(mp, 1, 1);
    /* 189 scheduled, 133 estimated, 186 actual departure; 232, 132 and
     * 178 the same for arrival. */
    int dep =
        pw_msgs_is(q, "189") || pw_msgs_is(q, "133") || pw_msgs_is(q, "186");
    int arr =
        pw_msgs_is(q, "232") || pw_msgs_is(q, "132") || pw_msgs_is(q, "178");
    pw_leg *l;
    pw_time t = {0};

    if (!dep && !arr) {
        pw_msgs_warn(mp, "qualifier %.8s not expected for a movement",
                     q ? q : "(none)");
        return;
    }
    l = current_leg(mp);
    if (arr && mp->loc92_pending && !l->to) {
        l->to = l->from;
        l->from = NULL;
    }
    mp->loc92_pending = 0;
    if (!read_time(mp, &t))
        return;
    *(dep ? &l->departure : &l->arrival) = t;
}

#ifdef PW_HAVE_PORTS
static void utc_of(pw_msgs_map *mp, const char *port, pw_time *t)
{
    char out[32];

    if (port && t->local && pw_time_to_utc(port, t->local, out))
        t->utc = pw_msgs_dup(mp, out);
}
#endif

void pw_msgs_fill_utc(pw_msgs_map *mp)
{
#ifdef PW_HAVE_PORTS
    pw_movement *mv = &mp->m->movement;

    for (size_t i = 0; i < mv->n_legs; i++) {
        utc_of(mp, mv->legs[i].from, &mv->legs[i].departure);
        utc_of(mp, mv->legs[i].to, &mv->legs[i].arrival);
    }
#else
    (void)mp;
#endif
}

/* paxwatch bookings: the Passenger Name Record (PNR) model, holding the
 * 19 data elements of ICAO Doc 9944 / EU PNR Directive Annex I, and the
 * readers of PNRGOV (EDIFACT) and PNRGOV XML that fill it. */
#ifndef PAXWATCH_BOOKING_H
#define PAXWATCH_BOOKING_H

#include <stddef.h>
#include <stdint.h>

#include "paxwatch/edifact.h"
#include "paxwatch/error.h"
#include "paxwatch/model.h"

/* All strings are UTF-8, NUL-terminated, in the pw_msg's arena; NULL
 * means "not sent". Dates are ISO 8601 ("2012-12-10"), times ISO 8601
 * local time as sent ("2012-12-10T09:15"). A `traveller` field is an
 * index into the booking's travellers, -1 when the item concerns the
 * whole booking or its traveller is unknown; a `flight` field indexes
 * the itinerary the same way. */

/* A record locator in some system: RCI, EQN Gr8 RCI, BookingRefID. */
typedef struct pw_locator {
    const char *carrier; /* airline or system that owns it */
    const char *locator;
    const char *created; /* creation time, when the RCI gives one */
} pw_locator;

/* One flight of the itinerary (PNR element 7; code-share element 15). */
typedef struct pw_flight {
    const char *carrier;           /* marketing carrier */
    const char *number;            /* flight number without carrier */
    const char *operating_carrier; /* TVL 4.2 or TRA, when different */
    const char *operating_number;
    const char *from, *to;
    const char *departure, *arrival;
    const char *booking_class; /* TVL 5.2 */
    const char *status;        /* RPI: HK confirmed, NS, GO ... */
    const char *equipment;     /* APD aircraft type */
    int no_show, go_show;      /* element 10, from RPI */
} pw_flight;

/* A non-air service of Gr9 (hotel, car ...). */
typedef struct pw_service {
    const char *kind;     /* MSG 1225 as sent, e.g. "8" */
    const char *location; /* TVL place */
    const char *start, *end;
    const char *provider;
} pw_service;

/* A form of payment (element 6). The card number is always masked to
 * its last four characters. */
typedef struct pw_payment {
    const char *type;      /* FOP 9888: CA cash, CC card, MS, GR ... */
    const char *card_type; /* VI, CA, AX ... */
    const char *card_number;
    const char *amount; /* FOP amount, else its ticket's total */
    const char *currency;
    const char *payer;   /* IFT 4:43 sponsor name */
    const char *billing; /* sponsor or billing address as one line */
    int traveller;
} pw_payment;

/* A ticket (element 13): TKT with MON and DAT 710. */
typedef struct pw_ticket {
    const char *number;
    const char *type;   /* TKT 1001: T ticket, Y, E ... */
    const char *issued; /* DAT 710 or PTK date */
    const char *total;  /* MON T */
    const char *currency;
    int traveller;
} pw_ticket;

typedef struct pw_loyalty {
    const char *carrier, *number, *tier;
    int traveller;
} pw_loyalty;

typedef struct pw_seat {
    const char *seat;
    int traveller, flight;
} pw_seat;

/* Bags checked or declared (element 16): TBD at check-in, EBD excess. */
typedef struct pw_bag {
    int count;          /* -1 not sent */
    const char *weight; /* with unit: "20 KGM", "44 LBR" */
    const char **tags;
    size_t n_tags;
    int excess; /* 1 for EBD excess baggage */
    int traveller, flight;
} pw_bag;

/* A check-in (Gr6/Gr7): who, when, which boarding number. */
typedef struct pw_checkin {
    const char *time;
    const char *sequence; /* TRI boarding or check-in number */
    const char *agent;    /* Gr6 ORG location */
    int traveller, flight;
} pw_checkin;

/* One change in the history (element 19), Gr10-12: SAC X cancelled,
 * A added, as sent in the ABI block of date `date`. */
typedef struct pw_history {
    const char *date;
    const char *action; /* SAC 9868 as sent */
    const char *what;   /* "flight", "ssr", "name", "remark", "bags" */
    const char *detail; /* short text, after the sensitive filter */
} pw_history;

/* Booking-level extras on a traveller that pw_traveller lacks. */
typedef struct pw_booking_traveller {
    const char *title;  /* MR, MRS ... split from the given names */
    const char *type;   /* TIF: A adult, IN infant, C child ... */
    int infant;         /* 1 when an infant */
    int accompanied_by; /* infant: index of the adult, -1 unknown */
} pw_booking_traveller;

/* A booking (PNR) as one message carried it. */
typedef struct pw_booking {
    pw_locator locator;         /* element 1 */
    pw_locator *other_locators; /* further RCI entries */
    size_t n_other_locators;
    const char *created;      /* RCI creation date, element 2 */
    const char *last_changed; /* DAT 700 */
    const char *ticketed;     /* first DAT 710 */
    const char *group_name;   /* TIF of type G: a group booking */

    pw_traveller *travellers;              /* element 4, with API data (18) */
    pw_booking_traveller *traveller_extra; /* parallel to travellers */
    size_t n_travellers;

    pw_contact *contacts; /* element 5: phones, e-mails */
    size_t n_contacts;
    pw_address *addresses;
    size_t n_addresses;

    pw_payment *payments; /* element 6 */
    size_t n_payments;
    pw_flight *itinerary; /* elements 3, 7, 15 */
    size_t n_itinerary;
    pw_service *services;
    size_t n_services;
    pw_loyalty *frequent_flyer; /* element 8 */
    size_t n_frequent_flyer;

    /* element 9: the agency or office that made or changed it */
    struct {
        const char *system, *location, *iata_number, *office, *type, *country,
            *currency, *agent;
    } agency;

    pw_locator *split; /* element 11: divided PNR links */
    size_t n_split;
    const char **remarks; /* element 12: OSI, after the filter */
    size_t n_remarks;
    pw_ticket *tickets; /* element 13 */
    size_t n_tickets;
    pw_seat *seats; /* element 14 */
    size_t n_seats;
    pw_bag *bags; /* element 16 */
    size_t n_bags;
    pw_checkin *checkins;
    size_t n_checkins;
    pw_history *history; /* element 19 */
    size_t n_history;

    uint32_t segment; /* segment number of its SRC; 0 for XML */
    size_t offset;    /* byte offset of its SRC */
} pw_booking;

/* Maps message `index` of ix, a PNRGOV (10.1 to 18.1, or the joined
 * parts of one), to a new pw_msg in *out with m->bookings filled, one
 * per SRC group. The top TVL gives the movement, the top ORG the
 * sender's office. Sensitive SSRs and remarks are dropped with the
 * filter of privacy.h (pw_sensitive_default) and counted in
 * m->sensitive_dropped. Deviations become warnings with segment and
 * offset; a bad PNR does not lose the others. Returns
 * PW_ERR_UNSUPPORTED when the message is not a PNRGOV, PW_ERR_NOMEM on
 * allocation failure (then *out is NULL). The caller frees *out with
 * pw_msg_free. */
PW_MUST_CHECK pw_rc pw_pnrgov_map(const pw_edi_interchange *ix, size_t index,
                                  pw_msg **out);

/* The largest PNRGOV XML document pw_pnrxml_read accepts. */
#define PW_PNRXML_MAX ((size_t)32 * 1024 * 1024)

/* Reads a PNRGOV XML notification (root IATA_PNRGOV_NotifRQ in
 * http://www.iata.org/IATA/2007/00; also hand-made documents holding
 * PNR elements under another root) of len bytes into a new pw_msg with
 * type "PNRGOV" and its bookings. No network access, no DTD loading and
 * no entity expansion. On PW_OK *out holds the message. On
 * PW_ERR_SYNTAX (malformed XML: diags hold the line and column) or
 * PW_ERR_LIMIT (over PW_PNRXML_MAX) or PW_ERR_UNSUPPORTED (no PNR in
 * it), *out is NULL and the reason is appended to diags (may be NULL).
 * PW_ERR_NOMEM on allocation failure. */
PW_MUST_CHECK pw_rc pw_pnrxml_read(const char *data, size_t len, pw_msg **out,
                                   pw_diags *diags);

/* Adds to obj (a jansson json_t object, passed as void * so that this
 * header does not need jansson) the keys "bookings" (when m has any, or
 * m->type is "PNRGOV") and "sensitive_dropped". Returns 0, or -1 on
 * allocation failure. */
int pw_bookings_json_add(void *obj, const pw_msg *m);

#endif

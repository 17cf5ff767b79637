/* paxwatch model: movements, travellers, documents and the messages that
 * carry them, as every reader produces them and the store keeps them. */
#ifndef PAXWATCH_MODEL_H
#define PAXWATCH_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "paxwatch/arena.h"
#include "paxwatch/error.h"

/* All strings are UTF-8 and NUL-terminated; NULL means "not sent". Dates
 * are ISO 8601 and may be partial ("1972", "1972-09"). Times are ISO
 * 8601 local time as sent ("2013-06-21T09:00") with the UTC equivalent
 * ("2013-06-21T23:00Z") when the port's time zone is known. */

typedef enum pw_mode {
    PW_MODE_UNKNOWN = 0,
    PW_MODE_AIR,
    PW_MODE_SEA,
    PW_MODE_LAND
} pw_mode;

/* "air", "sea", "land" or "unknown". */
const char *pw_mode_name(pw_mode mode);

typedef struct pw_time {
    const char *sent;  /* the value as received, e.g. "1306210900" */
    const char *local; /* ISO 8601 local time at the port */
    const char *utc;   /* ISO 8601 UTC, NULL when the zone is unknown */
} pw_time;

/* One leg of a movement: a flight sector or a voyage between ports. */
typedef struct pw_leg {
    const char *carrier; /* when the leg has its own TDT */
    const char *number;
    const char *from, *to; /* IATA airport code or UN/LOCODE */
    pw_time departure, arrival;
} pw_leg;

typedef struct pw_vessel {
    const char *name, *imo, *call_sign, *flag;
} pw_vessel;

/* A movement: one flight or one voyage. */
typedef struct pw_movement {
    pw_mode mode;
    const char *carrier; /* airline designator or operator */
    const char *number;  /* flight number as sent ("AB123") or voyage */
    pw_vessel vessel;    /* sea only */
    pw_leg *legs;
    size_t n_legs;
    const char *final_destination; /* LOC 130 */
} pw_movement;

typedef struct pw_address {
    const char *street, *city, *region, *postcode, *country;
} pw_address;

typedef struct pw_document {
    const char *type;      /* as sent: P, V, I, IP, A, AC, C, F ... */
    const char *type_name; /* "passport", "visa", "id_card" ... */
    const char *number;
    const char *issuer;    /* LOC 91: issuing state */
    const char *expiry;    /* DTM 36 */
    const char *issued;    /* DTM 182 */
    int check_digits;      /* 1 hold, 0 fail, -1 not known */
} pw_document;

typedef enum pw_role {
    PW_ROLE_PASSENGER = 0,
    PW_ROLE_CREW,
    PW_ROLE_TRANSIT_PASSENGER,
    PW_ROLE_TRANSIT_CREW,
    PW_ROLE_OTHER
} pw_role;

/* "passenger", "crew", "transit_passenger", "transit_crew", "other". */
const char *pw_role_name(pw_role role);

typedef struct pw_contact {
    const char *type;  /* "phone", "fax", "email", or the code as sent */
    const char *value;
} pw_contact;

typedef struct pw_traveller {
    pw_role role;
    const char *role_code;   /* NAD 3035 as sent: FL, FM, DDT, DDU ... */
    const char *surname;
    const char *given_names; /* given and middle names, space-separated */
    const char *sex;         /* M, F, U or X */
    const char *birth_date;
    const char *nationality; /* NAT */
    const char *residence;   /* LOC 174 */
    const char *birth_place; /* LOC 180, free text */
    const char *clearance;   /* LOC 22: port of first clearance */
    const char *embarkation; /* LOC 178 */
    const char *debarkation; /* LOC 179 */
    const char *transit;     /* LOC 92 or 91 in a person group, if any */
    pw_address address;
    pw_document *documents;
    size_t n_documents;
    pw_contact *contacts;
    size_t n_contacts;
    int verified;            /* GEI 173 1, 174 0, -1 not sent */
    int bags;                /* MEA CT or FTX BAG count, -1 not sent */
    const char *bag_weight;  /* MEA WT, with unit: "23 KGM" */
    const char **bag_tags;   /* FTX BAG tag numbers */
    size_t n_bag_tags;
    const char *booking_ref;   /* RFF AVF: PNR locator */
    const char *passenger_ref; /* RFF ABO: carrier's passenger id */
    const char *seat;          /* RFF SEA */
    const char *customer_ref;  /* RFF CR */
    const char *agency_ref;    /* RFF AEA */
    const char *occupation;    /* EMP, for crew the rank or rating */
    uint32_t segment;          /* segment number of its NAD */
} pw_traveller;

/* The kind of list a message is (BGM 1001). */
typedef enum pw_list_type {
    PW_LIST_OTHER = 0,
    PW_LIST_PASSENGERS,     /* 745 */
    PW_LIST_CREW,           /* 250 */
    PW_LIST_MASTER_CREW,    /* 336 */
    PW_LIST_FLIGHT_STATUS,  /* 266 */
    PW_LIST_GATE_PASS       /* 655 */
} pw_list_type;

/* "passengers", "crew", "master_crew", "flight_status", "gate_pass",
 * "other". */
const char *pw_list_type_name(pw_list_type t);

struct pw_booking;

/* What one message yields. Owned by its arena: pw_msg_free frees all. */
typedef struct pw_msg {
    const char *type;        /* "PAXLST", "PNRGOV" ... */
    const char *version;     /* "D05B", "11.1" ... */
    const char *sender, *recipient; /* UNB, else UNG */
    const char *interchange_ref;    /* UNB 0020 */
    const char *message_ref;        /* UNH 0062 */
    const char *common_access_ref;  /* UNH 0068 */
    unsigned parts;                 /* number of parts joined; 1 if one */
    pw_list_type list_type;
    const char *list_code;   /* BGM 1001 as sent */
    const char *function;    /* BGM 1004 or 1225, e.g. "CP", "XR" */
    const char *transaction_ref; /* RFF TN */
    const char *reporting_party; /* NAD MS name */
    pw_contact *reporting_contacts;
    size_t n_reporting_contacts;
    pw_movement movement;
    pw_traveller *travellers;
    size_t n_travellers;
    long declared_passengers; /* CNT 42, -1 when not sent */
    long declared_crew;       /* CNT 41, -1 when not sent */
    struct pw_booking *bookings; /* PNRGOV: see paxwatch/booking.h */
    size_t n_bookings;
    size_t sensitive_dropped; /* values dropped by the privacy filter */
    pw_diags diags;           /* warnings and errors for this message */
    pw_arena arena;
} pw_msg;

/* A new, empty message with its own arena; NULL when out of memory. */
pw_msg *pw_msg_new(void);

/* Frees m and everything it holds; NULL is fine. */
void pw_msg_free(pw_msg *m);

#endif

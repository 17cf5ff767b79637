/* paxwatch retention: personal data is depersonalised after a first
 * period (default six months) and deleted after the retention period
 * (default five years), as docs/privacy.md, Retention, sets out. */
#ifndef PAXWATCH_RETENTION_H
#define PAXWATCH_RETENTION_H

#include <stddef.h>
#include <stdint.h>

#include "paxwatch/error.h"
#include "paxwatch/store.h"

#define PW_RETENTION_DEPERSONALISE_DAYS 183
#define PW_RETENTION_DELETE_DAYS 1826
/* Bytes of a seal key (an X25519 public key) and of its secret half. */
#define PW_RETENTION_KEY_BYTES 32

typedef struct pw_retention_policy {
    int64_t depersonalise_days; /* 0: do not depersonalise */
    int64_t delete_days;        /* 0: do not delete */
    /* 1: a movement with a confirmed hit is kept past its retention
     * period (a case an officer acted on), and reported as held */
    int keep_confirmed;
    /* the public key raw messages are sealed to before their plain
     * bytes are cleared; NULL: they are cleared only, for good */
    const unsigned char *seal_key;
} pw_retention_policy;

/* The defaults: 183 and 1826 days, keep_confirmed, no seal key. */
void pw_retention_default(pw_retention_policy *p);

/* What a run did (or, dry, would do). */
typedef struct pw_retention_report {
    char depersonalise_before[32], delete_before[32]; /* ISO 8601 UTC */
    size_t movements_depersonalised, travellers_depersonalised;
    size_t bookings_depersonalised, messages_depersonalised;
    size_t messages_sealed, hits_masked;
    size_t movements_deleted, travellers_deleted, bookings_deleted;
    size_t messages_deleted, hits_deleted;
    size_t movements_held; /* past retention, kept for a confirmed hit */
} pw_retention_report;

/* Applies policy p as at time now (ISO 8601 UTC "YYYY-MM-DDTHH:MM:SSZ";
 * NULL for the clock) in one transaction: first what is past its
 * retention period is deleted, then what is past the first period is
 * depersonalised. A movement counts from when data for it last
 * arrived, a booking from its last push, a raw message from its
 * receipt. With dry set everything is rolled back and *out says what a
 * run would do. PW_ERR_INVALID for a bad policy or time, PW_ERR_STORE
 * when the store failed (nothing is changed then). */
PW_MUST_CHECK pw_rc pw_retention_run(pw_store *s, const pw_retention_policy *p,
                                     const char *now, int dry,
                                     pw_retention_report *out);

/* Opens the sealed copy of raw message id with the key pair (pk, sk)
 * into *data (malloc'd, *len bytes; the caller frees). PW_ERR_NOTFOUND
 * when the message has no sealed copy, PW_ERR_INVALID when the keys do
 * not open it, PW_ERR_STORE, PW_ERR_NOMEM. */
PW_MUST_CHECK pw_rc pw_retention_unseal(pw_store *s, int64_t id,
                                        const unsigned char *pk,
                                        const unsigned char *sk, char **data,
                                        size_t *len);

/* Booking content JSON (as stored in booking_versions) without the
 * personal data the first period removes: names, titles, contacts,
 * addresses, payers, billing addresses and card numbers, frequent
 * flyer, ticket and document numbers, seats, bag tags, the group's
 * name, remarks, and history details other than flights; birth dates
 * cut to the year. *out is
 * malloc'd. PW_ERR_SYNTAX when json is not an object, PW_ERR_NOMEM. */
PW_MUST_CHECK pw_rc pw_booking_depersonalise(const char *json, char **out);

#endif

/* paxwatch ingest: the path of one input from raw bytes to the store,
 * with the report a sender and an operator need. */
#ifndef PAXWATCH_INGEST_H
#define PAXWATCH_INGEST_H

#include <stddef.h>
#include <stdint.h>

#include "paxwatch/error.h"
#include "paxwatch/store.h"

/* What became of one message of an input, or of the input as a whole. */
typedef enum pw_ingest_status {
    PW_INGEST_ACCEPTED = 1, /* stored */
    PW_INGEST_REPEATED,     /* same bytes stored before: nothing new */
    PW_INGEST_WAITING,      /* a part kept until its set is complete */
    PW_INGEST_REJECTED      /* could not be read: quarantined */
} pw_ingest_status;

/* "accepted", "repeated", "waiting", "rejected". */
const char *pw_ingest_status_name(pw_ingest_status st);

/* One message found in the input. */
typedef struct pw_ingest_item {
    pw_ingest_status status;
    char type[16];    /* "PAXLST" ..., "" when not known */
    char *reason;     /* rejected: why; NULL otherwise. No
                         personal data. */
    uint32_t segment; /* rejected: where (0 when not known) */
    size_t offset;
    int64_t movement_id; /* accepted: its movement */
    unsigned version;    /* accepted: the manifest's version */
    size_t travellers;   /* accepted: rows added, changed or cancelled */
    size_t warnings;     /* deviations read past */
    unsigned parts_have; /* waiting: parts held for its set */
    size_t hits;         /* accepted: new screening hits stored */
    /* accepted: travellers whose screening cannot promise every hit: a
     * name the matcher refused (screened by documents only, or not at
     * all) or one with nothing rare to search by (see docs/matching.md,
     * partial answers). They need a person's look. */
    size_t screened_in_part;
    size_t bookings;           /* accepted PNRGOV: new booking versions */
    size_t bookings_unchanged; /* ... bookings stored before as is */
    size_t links;              /* API-PNR traveller links made */
} pw_ingest_item;

/* The outcome of one input. Zero-initialise before the first use;
 * pw_ingest_report_free releases what a call put in it. */
typedef struct pw_ingest_report {
    pw_ingest_status status; /* rejected if any message was; else
                                waiting if any part waits; else
                                accepted or repeated */
    int64_t message_id;      /* the stored input */
    char sha256[65];         /* hex hash of the bytes */
    char format[16];         /* "edifact", "" when not recognised */
    pw_ingest_item *items;
    size_t n_items;
    size_t travellers; /* sum over items */
    size_t warnings;   /* sum, with interchange-level ones */
    char *reason;      /* first rejection reason, or NULL */
    uint32_t segment;  /* ... and where */
    size_t offset;
    char *contrl;            /* CONTRL acknowledgement for the sender
                                (accepted or rejected); NULL for a
                                repeat */
    size_t hits;             /* new screening hits, sum over items */
    size_t screened_in_part; /* sum over items */
    size_t bookings, bookings_unchanged, links; /* sums over items */
} pw_ingest_report;

/* Ingests one input of len bytes named name (a file name or "-"; may
 * be NULL): hashes it; if the same bytes were stored before reports
 * PW_INGEST_REPEATED and stores nothing, unless they were rejected
 * then: a resend of a rejected input is read again (rejected again,
 * with a new CONTRL, or accepted by a reader that has learnt to read
 * it), its bytes kept once; else keeps the raw bytes
 * (committed on their own), reads them, and stores everything they
 * yield in one transaction with the input's new status. Parts of
 * multi-part messages wait in the store and are joined when their set
 * completes, also across calls and processes. A rejected input is kept
 * with its reason. s must have no transaction open.
 *
 * Returns PW_OK whenever the input was handled, rejected or not (see
 * out); PW_ERR_STORE or PW_ERR_NOMEM when it could not be (then the raw
 * bytes may be kept in status received, and pw_ingest_recover processes
 * them later). out is filled either way and must be freed. */
PW_MUST_CHECK pw_rc pw_ingest(pw_store *s, const char *name, const char *data,
                              size_t len, pw_ingest_report *out);

/* One input of a batch: its name (may be NULL) and bytes. */
typedef struct pw_ingest_input {
    const char *name;
    const char *data;
    size_t len;
} pw_ingest_input;

/* Most inputs pw_ingest_batch takes in one call. */
#define PW_INGEST_BATCH_MAX 4096

/* Ingests n inputs (at most PW_INGEST_BATCH_MAX) with the outcome
 * pw_ingest would give each in turn, in out[i], but in two
 * transactions: first the raw bytes of every new input (committed
 * before anything is read), then everything they yield with their
 * statuses. An input whose bytes came earlier in the same batch is a
 * repeat. If storing the yield fails, the batch's yield is rolled back
 * and each input is processed on its own, so one bad input costs only
 * itself. s must have no transaction open.
 *
 * Returns PW_OK when every input was handled (see each out[i]);
 * PW_ERR_INVALID for bad arguments or n over the limit; PW_ERR_STORE
 * or PW_ERR_NOMEM when some could not be (their raw bytes stay in
 * status received for pw_ingest_recover). Every out[i] is filled and
 * must be freed with pw_ingest_report_free. */
PW_MUST_CHECK pw_rc pw_ingest_batch(pw_store *s, const pw_ingest_input *in,
                                    size_t n, pw_ingest_report *out);

/* Screening at ingest. When lists are stored (pw_store_put_list), every
 * traveller pw_ingest and pw_ingest_batch store is screened against
 * all of them at PW_SCREEN_DEFAULT_THRESHOLD, and each hit is stored
 * (pw_store_add_hit) in the same transaction as the traveller. The
 * index is built from the stored lists on first need and kept on s
 * until the stored lists change. This reports how many lists and
 * entries the index of s holds, building it if needed; lists that
 * could not be read again are counted in *failed (any pointer may be
 * NULL). */
PW_MUST_CHECK pw_rc pw_ingest_screening(pw_store *s, size_t *lists,
                                        size_t *entries, size_t *failed);

/* What pw_ingest_rescreen did: counts of what it committed. */
typedef struct pw_rescreen_report {
    size_t movements;  /* movements in the window */
    size_t travellers; /* current travellers screened */
    size_t hits;       /* new hits stored */
} pw_rescreen_report;

/* Screens again, against every stored list, the current (not
 * cancelled) travellers of the stored movements whose date (first
 * departure, or arrival for sea) is since_date (YYYY-MM-DD) or later;
 * since_date NULL takes every movement, also those without a date.
 * Hits are stored as at ingest, with the same traveller identity, so a
 * hit stored before is not added again. Works in transactions of about
 * a thousand travellers each; s must have no transaction open. Meant
 * for after a list is loaded or replaced.
 *
 * Returns PW_OK (report filled), PW_ERR_INVALID for a bad argument or
 * date, PW_ERR_LIMIT over 10,000,000 movements in the window,
 * PW_ERR_STORE or PW_ERR_NOMEM; then report counts the batches already
 * committed. */
PW_MUST_CHECK pw_rc pw_ingest_rescreen(pw_store *s, const char *since_date,
                                       pw_rescreen_report *report);

/* Processes again every input left in status received (the process was
 * stopped after keeping the raw bytes and before storing their yield).
 * Call it after pw_store_open and before new inputs. *n (may be NULL)
 * receives how many were processed. */
PW_MUST_CHECK pw_rc pw_ingest_recover(pw_store *s, size_t *n);

/* Frees what r holds and zeroes it. NULL is fine. */
void pw_ingest_report_free(pw_ingest_report *r);

#endif

/* paxwatch store: one interface to where messages, movements and
 * travellers are kept (an SQLite file now; PostgreSQL may follow). */
#ifndef PAXWATCH_STORE_H
#define PAXWATCH_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "paxwatch/error.h"
#include "paxwatch/model.h"

/* A connection to one store. Not thread-safe: use one per thread. */
typedef struct pw_store pw_store;

/* Opens the store at address, creating it when it does not exist, and
 * brings its schema up to date. address is a file path (SQLite); a
 * "postgresql://" address gives PW_ERR_UNSUPPORTED for now. On success
 * *out holds the store, which the caller closes with pw_store_close.
 * On failure *out is NULL; PW_ERR_STORE means the file could not be
 * opened or migrated, PW_ERR_NOMEM an allocation failed. */
PW_MUST_CHECK pw_rc pw_store_open(const char *address, pw_store **out);

/* Closes s, rolling back a transaction left open. NULL is fine. */
void pw_store_close(pw_store *s);

/* A description of the last failure on s (never NULL, "" when none).
 * Valid until the next call on s. Holds no personal data. */
const char *pw_store_errmsg(const pw_store *s);

/* The schema version s is at after pw_store_open. */
int pw_store_schema_version(pw_store *s);

/* Transactions. They do not nest: begin inside a transaction gives
 * PW_ERR_INVALID. rollback on a store with none open does nothing. */
PW_MUST_CHECK pw_rc pw_store_begin(pw_store *s);
PW_MUST_CHECK pw_rc pw_store_commit(pw_store *s);
void pw_store_rollback(pw_store *s);

/* ---- Raw messages as received ---- */

/* What became of one input kept in the store. */
typedef enum pw_msg_status {
    PW_MSG_RECEIVED = 1, /* raw bytes kept; not yet processed */
    PW_MSG_ACCEPTED,     /* read and its yield stored */
    PW_MSG_REPEATED,     /* reserved for reports: never stored */
    PW_MSG_WAITING,      /* holds parts waiting for their siblings */
    PW_MSG_REJECTED      /* could not be read: quarantined */
} pw_msg_status;

/* "received", "accepted", "repeated", "waiting", "rejected". */
const char *pw_msg_status_name(pw_msg_status st);

/* An input to keep: its SHA-256 as 64 lower-case hex digits, the name
 * it came under (a file name; may be NULL), the time received (ISO 8601
 * UTC; NULL means now) and the bytes. */
typedef struct pw_store_raw {
    const char *sha256;
    const char *name;
    const char *received_at;
    const char *data;
    size_t len;
} pw_store_raw;

/* Looks up the input with hash sha256. Returns PW_OK with its id and
 * status, PW_ERR_NOTFOUND when none, PW_ERR_STORE on failure. id and
 * status may be NULL. */
PW_MUST_CHECK pw_rc pw_store_find_message(pw_store *s, const char *sha256,
                                          int64_t *id, pw_msg_status *status);

/* Keeps a new input in status received and sets *id. Gives
 * PW_ERR_EXISTS when its hash is stored already. Call it outside a
 * transaction to make the bytes durable at once. */
PW_MUST_CHECK pw_rc pw_store_add_message(pw_store *s, const pw_store_raw *raw,
                                         int64_t *id);

/* What reading an input showed, to record with its status. Strings may
 * be NULL (left as they were); reason holds no personal data. */
typedef struct pw_store_outcome {
    pw_msg_status status;
    const char *format; /* "edifact" ... */
    const char *type;   /* "PAXLST" ... */
    const char *sender; /* interchange sender */
    const char *reason; /* why it was rejected */
} pw_store_outcome;

/* Records the outcome of input id. PW_ERR_NOTFOUND when there is no
 * such input. */
PW_MUST_CHECK pw_rc pw_store_set_status(pw_store *s, int64_t id,
                                        const pw_store_outcome *o);

/* The status of input id; PW_ERR_NOTFOUND when there is none. */
PW_MUST_CHECK pw_rc pw_store_message_status(pw_store *s, int64_t id,
                                            pw_msg_status *status);

/* Copies the raw bytes of input id into a malloc'd buffer (NUL added,
 * *len excludes it) that the caller frees. */
PW_MUST_CHECK pw_rc pw_store_get_raw(pw_store *s, int64_t id, char **data,
                                     size_t *len);

/* The ids of inputs in status received, oldest first, at most max of
 * them, into ids; *n says how many. */
PW_MUST_CHECK pw_rc pw_store_received(pw_store *s, int64_t *ids, size_t max,
                                      size_t *n);

/* ---- Parts of multi-part messages waiting for their siblings ---- */

/* Keeps part `number` of the set named key, carried by input
 * message_id, as a stand-alone text (see pw_part_text). A part already
 * held for the same key and number is replaced. */
PW_MUST_CHECK pw_rc pw_store_add_part(pw_store *s, int64_t message_id,
                                      const char *key, unsigned number,
                                      int final, const char *text, size_t len);

/* Calls cb for every waiting part, by key and number. cb returns 0 to
 * go on, anything else to stop (pw_store_each_part then returns
 * PW_OK). The strings are valid during the call only. */
typedef int (*pw_store_part_cb)(void *ctx, const char *key, unsigned number,
                                int final, const char *text, size_t len);
PW_MUST_CHECK pw_rc pw_store_each_part(pw_store *s, pw_store_part_cb cb,
                                       void *ctx);

/* The same for the parts of the set named key only, by number. */
PW_MUST_CHECK pw_rc pw_store_each_part_of(pw_store *s, const char *key,
                                          pw_store_part_cb cb, void *ctx);

/* Number of parts held, over all keys. */
PW_MUST_CHECK pw_rc pw_store_count_parts(pw_store *s, size_t *n);

/* The set named key was joined: drops its parts and marks the inputs
 * that carried them (while waiting) as accepted. */
PW_MUST_CHECK pw_rc pw_store_parts_joined(pw_store *s, const char *key);

/* ---- What messages yield ---- */

/* What pw_store_put_msg did. */
typedef struct pw_store_put {
    int64_t movement_id;
    int64_t manifest_id;
    unsigned version;  /* of the manifest, per movement + list type */
    size_t travellers; /* rows added, updated or cancelled */
    int superseded;    /* 1 when an earlier full list was replaced */
    /* PNRGOV: bookings given a new version, bookings whose content was
     * stored already (nothing added), and API-PNR links made */
    size_t bookings, bookings_unchanged, links;
} pw_store_put;

/* Room pw_store_put_msg_ids needs in ids for m: its travellers, then
 * the travellers of each of its bookings in order. */
size_t pw_store_row_slots(const pw_msg *m);

/* Stores what message m (read from input message_id) says: finds or
 * creates its movement (see docs/store.md for identity), adds a
 * manifest and its travellers with their documents and contacts.
 * A full list supersedes the earlier lists of the same type for the
 * movement; BGM function CP changes or adds the named travellers, XR
 * cancels them. Must be called inside a transaction; on failure the
 * caller rolls back. PW_ERR_NOTFOUND when input message_id is not kept.
 * out may be NULL. */
PW_MUST_CHECK pw_rc pw_store_put_msg(pw_store *s, int64_t message_id,
                                     const pw_msg *m, pw_store_put *out);

/* As pw_store_put_msg, and ids (room for pw_store_row_slots(m))
 * receives the row stored for each traveller of m in order, then for
 * each traveller of each booking: 0 for one that stored no row (named
 * by a cancel message, or in a booking whose content was stored
 * already). */
PW_MUST_CHECK pw_rc pw_store_put_msg_ids(pw_store *s, int64_t message_id,
                                         const pw_msg *m, pw_store_put *out,
                                         int64_t *ids);

/* ---- State a layer above keeps per connection ---- */

/* Attaches p to s (replacing and freeing any earlier one with its own
 * free_fn); pw_store_close calls free_fn(p). The ingest pipeline keeps
 * its screening index here, built once per connection. */
void pw_store_attach(pw_store *s, void *p, void (*free_fn)(void *));

/* What pw_store_attach left on s, or NULL. */
void *pw_store_attached(const pw_store *s);

/* ---- Screening hits ---- */

/* A hit: a stored traveller matched a watchlist entry. */
typedef struct pw_store_hit {
    int64_t id; /* listing: the hit's id; ignored by add */
    int64_t traveller_id, movement_id;
    /* add: the traveller's identity across versions of its list (a
     * hash, no personal data); a hit whose identity, list and entry
     * are stored already is not added again. */
    const char *identity;
    const char *list, *entry_id, *entry_name;
    double score;
    const char *explanation; /* JSON from pw_screen_explain_json */
    const char *kind;        /* "name" or "document" */
    const char *status;      /* "new" (add: NULL means "new") */
    const char *created_at;  /* listing only */
    /* listing only: the traveller and movement, NULL when unknown */
    const char *surname, *given_names, *role;
    const char *carrier, *number, *vessel, *date;
} pw_store_hit;

/* Stores hit h (inside the caller's transaction, or on its own). *added
 * (may be NULL) is 1 when stored, 0 when the same identity, list and
 * entry had a hit already. PW_ERR_INVALID when a required field is
 * missing, PW_ERR_STORE on failure. */
PW_MUST_CHECK pw_rc pw_store_add_hit(pw_store *s, const pw_store_hit *h,
                                     int *added);

/* Records whether traveller traveller_id was last screened in part
 * (in_part 1: the matcher could not promise every hit, for a name of
 * initials only or one it refuses) or in full (0); shown as
 * pw_store_traveller.screened_in_part. A row already so is left alone.
 * PW_ERR_INVALID for an id <= 0. */
PW_MUST_CHECK pw_rc pw_store_set_screened(pw_store *s, int64_t traveller_id,
                                          int in_part);

/* Calls cb for each hit in order of id, of movement movement_id only
 * when > 0. The strings are valid during the call only; cb returns
 * non-zero to stop. */
typedef int (*pw_store_hit_cb)(void *ctx, const pw_store_hit *h);
PW_MUST_CHECK pw_rc pw_store_hits(pw_store *s, int64_t movement_id,
                                  pw_store_hit_cb cb, void *ctx);

/* ---- Reading back ---- */

/* A stored movement, as listed. Strings NULL when not known; valid
 * during the callback only. */
typedef struct pw_store_movement {
    int64_t id;
    pw_mode mode;
    const char *carrier, *number;
    pw_vessel vessel;
    const char *date;      /* local date of first departure (or of
                              arrival for sea), YYYY-MM-DD */
    const char *from, *to; /* first port, last port */
    const char *identity;  /* the key that makes it unique */
    const char *created_at, *updated_at;
    size_t passengers, crew; /* current travellers, not cancelled */
    size_t manifests;
    /* when retention cleared its travellers' personal data, or NULL */
    const char *depersonalised_at;
} pw_store_movement;

typedef int (*pw_store_movement_cb)(void *ctx, const pw_store_movement *mv);

/* Calls cb for each movement in order of id, or only for movement id
 * when id > 0 (PW_ERR_NOTFOUND when there is none). cb returns non-zero
 * to stop. */
PW_MUST_CHECK pw_rc pw_store_movements(pw_store *s, int64_t id,
                                       pw_store_movement_cb cb, void *ctx);

typedef int (*pw_store_leg_cb)(void *ctx, int64_t movement_id, unsigned seq,
                               const pw_leg *leg);

/* Calls cb for each leg of movement id in order. */
PW_MUST_CHECK pw_rc pw_store_legs(pw_store *s, int64_t movement_id,
                                  pw_store_leg_cb cb, void *ctx);

/* A stored traveller with its place in the history. t holds every
 * field as stored, with its documents and contacts; all valid during
 * the callback only. */
typedef struct pw_store_traveller {
    int64_t id, movement_id, manifest_id, message_id;
    pw_list_type list_type;
    unsigned version; /* of its manifest */
    int current;      /* in the latest list and not replaced */
    int cancelled;    /* named by an XR (cancel) message */
    /* last screened in part: no hit does not mean no match (see
     * pw_store_set_screened) */
    int screened_in_part;
    pw_traveller t;
} pw_store_traveller;

typedef int (*pw_store_traveller_cb)(void *ctx, const pw_store_traveller *tr);

/* Filter for pw_store_travellers. */
typedef struct pw_store_query {
    int64_t movement_id; /* 0: all movements */
    int all;             /* 1: include superseded, replaced, cancelled */
} pw_store_query;

/* Calls cb for each traveller matching q (NULL: current ones of all
 * movements) in order of movement, then id. */
PW_MUST_CHECK pw_rc pw_store_travellers(pw_store *s, const pw_store_query *q,
                                        pw_store_traveller_cb cb, void *ctx);

/* Counts of what the store holds, for reports and tests. */
typedef struct pw_store_counts {
    size_t messages, movements, manifests, travellers, current, documents,
        parts;
    size_t by_status[PW_MSG_REJECTED + 1]; /* inputs per pw_msg_status */
    size_t bookings, booking_versions, links;
} pw_store_counts;

PW_MUST_CHECK pw_rc pw_store_counts_get(pw_store *s, pw_store_counts *c);

/* ---- Watchlists (src/store/sqlite_lists.c) ---- */

/* A stored watchlist, as 'paxwatch lists' shows it. Strings are valid
 * during the callback only. */
typedef struct pw_store_list {
    const char *name;      /* unique: loading the same name replaces */
    const char *format;    /* un-xml, ofac-csv, ftm-json, csv */
    const char *version;   /* the publisher's date or version, or NULL */
    const char *loaded_at; /* ISO 8601 UTC; ignored by pw_store_put_list */
    int64_t n_entries, n_skipped;
    int64_t bytes; /* of its source files; ignored by put */
} pw_store_list;

/* One source file of a list, kept byte for byte so the list can be read
 * again and indexed at screening time (ofac-csv keeps sdn.csv, alt.csv
 * and add.csv). */
typedef struct pw_store_list_file {
    const char *name;
    const char *data;
    size_t len;
} pw_store_list_file;

/* Stores list with its n_files source files in one transaction (or in
 * the caller's), replacing any list of the same name. Returns PW_OK,
 * PW_ERR_INVALID for a missing name or format, PW_ERR_STORE. */
PW_MUST_CHECK pw_rc pw_store_put_list(pw_store *s, const pw_store_list *list,
                                      const pw_store_list_file *files,
                                      size_t n_files);

/* Calls cb for each stored list, by name; a non-zero return from cb
 * stops the walk. */
typedef int (*pw_store_list_cb)(void *ctx, const pw_store_list *list);
PW_MUST_CHECK pw_rc pw_store_lists(pw_store *s, pw_store_list_cb cb, void *ctx);

/* Calls cb for each source file of the list called name, in the order
 * they were stored; PW_ERR_NOTFOUND when there is no such list. */
typedef int (*pw_store_list_file_cb)(void *ctx, const pw_store_list_file *file);
PW_MUST_CHECK pw_rc pw_store_list_files(pw_store *s, const char *name,
                                        pw_store_list_file_cb cb, void *ctx);

/* Whether a list of the given name and publisher's version may replace
 * the stored one: 1 when none is stored, when either has no version, or
 * when version is the same or later (versions are the publishers' ISO
 * 8601 dates, so text order is time order); else 0, with the stored
 * version copied to stored (cap bytes). src/store/lists_read.c. */
PW_MUST_CHECK pw_rc pw_store_list_may_replace(pw_store *s, const char *name,
                                              const char *version, int *may,
                                              char *stored, size_t cap);

struct pw_watchlist;

/* Reads the stored list back from its source files (sdn.csv, alt.csv and
 * add.csv in that order for ofac-csv) into a new watchlist in *out, which
 * the caller frees with pw_watchlist_free. PW_ERR_NOTFOUND when no file
 * is stored for it, PW_ERR_NOMEM, or the loader's error (then *out may
 * still need freeing). src/store/lists_read.c. */
PW_MUST_CHECK pw_rc pw_store_list_read(pw_store *s, const pw_store_list *l,
                                       struct pw_watchlist **out);

/* ---- Bookings (PNR), src/store/sqlite_bookings.c ---- */

/* pw_store_put_msg stores each booking of a PNRGOV message as a
 * version of the booking keyed by locator, owning carrier (else the
 * sender) and creation date, unless its content (canonical JSON, see
 * docs/store.md) equals the latest version's. Its travellers become
 * travellers of the movement (list type "pnr", source "pnr") and are
 * linked to the API passengers of the same movement, as are API
 * passengers stored later. */

/* A stored booking as listed. Strings valid during the callback. */
typedef struct pw_store_booking {
    int64_t id;
    int64_t movement_id; /* of its latest version */
    const char *locator, *carrier, *created;
    unsigned versions;     /* number of versions stored */
    size_t travellers;     /* in the latest version */
    const char *itinerary; /* "DL324 LHR-JFK 2012-12-10T09:15, ..." */
    const char *first_seen, *updated_at;
    const char *content; /* the latest version's JSON */
} pw_store_booking;

typedef int (*pw_store_booking_cb)(void *ctx, const pw_store_booking *b);

/* Calls cb for each booking in order of id: of movement movement_id
 * only when > 0, with locator only when it is not NULL. cb returns
 * non-zero to stop. PW_ERR_STORE on failure. */
PW_MUST_CHECK pw_rc pw_store_bookings(pw_store *s, int64_t movement_id,
                                      const char *locator,
                                      pw_store_booking_cb cb, void *ctx);

/* One version of a booking. Strings valid during the callback. */
typedef struct pw_store_booking_version {
    int64_t id, booking_id, message_id, movement_id;
    unsigned version;
    const char *stored_at;    /* when this version was stored */
    const char *last_changed; /* DAT 700 as sent, or NULL */
    const char *sha256;       /* of content */
    const char *content;      /* the booking's canonical JSON */
    const char *changes;      /* JSON: what changed since the version before
                                 ({"travellers": {"added": [...], "removed":
                                 [...]}, "itinerary": ..., "payments": ...,
                                 "changed": [keys]}); NULL for version 1 */
} pw_store_booking_version;

typedef int (*pw_store_booking_version_cb)(void *ctx,
                                           const pw_store_booking_version *v);

/* Calls cb for each version of booking booking_id, oldest first. */
PW_MUST_CHECK pw_rc pw_store_booking_versions(pw_store *s, int64_t booking_id,
                                              pw_store_booking_version_cb cb,
                                              void *ctx);

/* A link between a traveller of a booking's latest version and a
 * current API passenger of the same movement. */
typedef struct pw_store_link {
    int64_t movement_id, api_traveller_id, pnr_traveller_id;
    const char *method; /* "locator+name", "name+birth_date", "document" */
    const char *created_at;
    const char *pnr_surname, *pnr_given_names;
    const char *api_surname, *api_given_names;
    unsigned api_version; /* version of the API traveller's list */
} pw_store_link;

typedef int (*pw_store_link_cb)(void *ctx, const pw_store_link *l);

/* Calls cb for each link of booking booking_id's current travellers to
 * current API passengers, in the order the links were made. */
PW_MUST_CHECK pw_rc pw_store_booking_links(pw_store *s, int64_t booking_id,
                                           pw_store_link_cb cb, void *ctx);

#endif

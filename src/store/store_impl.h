/* The store's private side: the table of operations each kind of store
 * (SQLite now, PostgreSQL later) provides behind pw_store. */
#ifndef PW_STORE_IMPL_H
#define PW_STORE_IMPL_H

#include "paxwatch/store.h"

#define PW_STORE_ERRMSG_MAX 512

struct pw_store_ops {
    void (*close)(pw_store *s);
    int (*schema_version)(pw_store *s);
    pw_rc (*begin)(pw_store *s);
    pw_rc (*commit)(pw_store *s);
    void (*rollback)(pw_store *s);
    pw_rc (*find_message)(pw_store *s, const char *sha256, int64_t *id,
                          pw_msg_status *status);
    pw_rc (*add_message)(pw_store *s, const pw_store_raw *raw, int64_t *id);
    pw_rc (*set_status)(pw_store *s, int64_t id, const pw_store_outcome *o);
    pw_rc (*message_status)(pw_store *s, int64_t id, pw_msg_status *status);
    pw_rc (*get_raw)(pw_store *s, int64_t id, char **data, size_t *len);
    pw_rc (*received)(pw_store *s, int64_t *ids, size_t max, size_t *n);
    pw_rc (*add_part)(pw_store *s, int64_t message_id, const char *key,
                      unsigned number, int final, const char *text, size_t len);
    /* key NULL: every set's parts */
    pw_rc (*each_part)(pw_store *s, const char *key, pw_store_part_cb cb,
                       void *ctx);
    pw_rc (*count_parts)(pw_store *s, size_t *n);
    pw_rc (*parts_joined)(pw_store *s, const char *key);
    pw_rc (*put_msg)(pw_store *s, int64_t message_id, const pw_msg *m,
                     pw_store_put *out, int64_t *ids);
    pw_rc (*movements)(pw_store *s, int64_t id, pw_store_movement_cb cb,
                       void *ctx);
    pw_rc (*legs)(pw_store *s, int64_t movement_id, pw_store_leg_cb cb,
                  void *ctx);
    pw_rc (*travellers)(pw_store *s, const pw_store_query *q,
                        pw_store_traveller_cb cb, void *ctx);
    pw_rc (*counts)(pw_store *s, pw_store_counts *c);
    pw_rc (*add_hit)(pw_store *s, const pw_store_hit *h, int *added);
    pw_rc (*set_screened)(pw_store *s, int64_t traveller_id, int in_part);
    pw_rc (*hits)(pw_store *s, int64_t movement_id, pw_store_hit_cb cb,
                  void *ctx);
    pw_rc (*bookings)(pw_store *s, int64_t movement_id, const char *locator,
                      pw_store_booking_cb cb, void *ctx);
    pw_rc (*booking_versions)(pw_store *s, int64_t booking_id,
                              pw_store_booking_version_cb cb, void *ctx);
    pw_rc (*booking_links)(pw_store *s, int64_t booking_id, pw_store_link_cb cb,
                           void *ctx);
};

/* Every kind of store begins with this. */
struct pw_store {
    const struct pw_store_ops *ops;
    char errmsg[PW_STORE_ERRMSG_MAX];
    void *attached;
    void (*attached_free)(void *);
};

/* Records a failure description on s (printf-style) and returns rc, so
 * that `return pw_store_fail(s, PW_ERR_STORE, ...)` reads naturally. */
pw_rc pw_store_fail(pw_store *s, pw_rc rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Opens an SQLite store at path (see pw_store_open). */
pw_rc pw_sqlite_open(const char *path, pw_store **out);

/* The identity key of m's movement (see docs/store.md) and the local
 * date it rests on, written into key (cap bytes) and date (11 bytes,
 * "" when unknown). Returns PW_ERR_LIMIT when key does not fit. */
pw_rc pw_movement_key(const pw_msg *m, char *key, size_t cap, char date[11]);

/* The current time as ISO 8601 UTC, "2026-12-03T18:30:00Z". */
void pw_store_now(char out[32]);

/* ---- Bookings, independent of the kind of store (booking_content.c) */

struct pw_booking;

/* Booking b of m as canonical JSON (keys sorted, compact, without the
 * segment numbers of the booking and its travellers, which differ
 * between messages carrying the same content) in *json (malloc'd).
 * PW_ERR_NOMEM when out of memory, PW_ERR_INVALID when a value is not
 * valid UTF-8, PW_ERR_LIMIT when the JSON would pass 64 MiB. */
pw_rc pw_booking_content(const pw_msg *m, const struct pw_booking *b,
                         char **json);

/* The SHA-256 of a booking's content (a NUL-terminated text), in hex:
 * what a version shows of its content. Stores compare content by its
 * text, not by this hash, and do not keep it (computing it was a tenth
 * of the price of storing a booking). */
void pw_booking_sha256(const char *content, char sha256[65]);

/* Content stored before the travellers' segment numbers were left out
 * of it, in today's form: *out (malloc'd) is json without them, NULL
 * when json (which may be NULL) has none, so that it is compared and
 * diffed as it is. PW_ERR_INVALID when json is not JSON, PW_ERR_NOMEM
 * when out of memory. */
pw_rc pw_booking_content_upgrade(const char *json, char **out);

/* The identity of booking b: "LOCATOR|CARRIER|YYYY-MM-DD" with the
 * locator's carrier, else the message's sender, and the creation
 * date. PW_ERR_LIMIT when it does not fit in cap. */
pw_rc pw_booking_key(const pw_msg *m, const struct pw_booking *b, char *key,
                     size_t cap);

/* "DL324 LHR-JFK 2012-12-10T09:15, ..." for b's itinerary (malloc'd,
 * "" when it has none); NULL when out of memory. */
char *pw_booking_itinerary(const struct pw_booking *b);

/* What changed from content before to content after (both from
 * pw_booking_content), as JSON (malloc'd; "{}" when nothing did).
 * NULL when out of memory or when either is not JSON. */
char *pw_booking_changes(const char *before, const char *after);

/* The same from jansson trees of both: the reference, which
 * pw_booking_changes asks when a text is not plainly canonical, and
 * tests compare with (booking_content.c). */
char *pw_booking_changes_tree(const char *before, const char *after);

/* The same read from the texts alone (booking_changes.c): NULL when
 * either is not plainly canonical (compact, keys sorted and unescaped,
 * integers only) or memory ran out. */
char *pw_booking_changes_text(const char *before, const char *after);

/* The key travellers are linked on: upper-case surname without blanks
 * or punctuation, "|", first given name the same way; "" when t has no
 * surname. */
void pw_traveller_name_key(const pw_traveller *t, char *out, size_t cap);

/* Length of the valid UTF-8 sequence starting with the byte s[0] >=
 * 0x80, n bytes being readable (a NUL-ended string may pass SIZE_MAX:
 * the NUL fails the continuation test first), 0 when invalid. The
 * canonical booking JSON refuses such text, as jansson does. */
static inline size_t pw_store_utf8_at(const unsigned char *s, size_t n)
{
    unsigned c = s[0], need, cp;

    if (c < 0xC2 || c > 0xF4)
        return 0;
    need = c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
    if (n <= need)
        return 0;
    cp = c & (0x3F >> need);
    for (unsigned i = 1; i <= need; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3Fu);
    }
    if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return need + 1;
}

#endif

/* paxwatch review: risk rules kept in the store with their versions,
 * the review of hits by a person, and a traveller's history and links.
 * Implemented for the SQLite store (src/store/sqlite_{rules,review,
 * history}.c). */
#ifndef PAXWATCH_REVIEW_H
#define PAXWATCH_REVIEW_H

#include <stddef.h>
#include <stdint.h>

#include "paxwatch/arena.h"
#include "paxwatch/booking.h"
#include "paxwatch/error.h"
#include "paxwatch/rules.h"
#include "paxwatch/store.h"

/* Longest name of a person making a change ("who"). */
#define PW_REVIEW_MAX_WHO 64
/* Longest reason given for a review step. */
#define PW_REVIEW_MAX_REASON 2000
/* Most rows one history or links answer holds per kind. */
#define PW_HISTORY_MAX_ROWS 1000

/* ---- Rules in the store (sqlite_rules.c) ---- */

/* A stored rule, as its latest version says. Strings valid during the
 * callback only. */
typedef struct pw_stored_rule {
    int64_t id;
    const char *name, *text, *category, *severity;
    unsigned version; /* of its text: 1 for the first, +1 per new text */
    int enabled;
    const char *updated_at, *updated_by;
} pw_stored_rule;

/* One recorded change of a rule. */
typedef struct pw_rule_change {
    unsigned version;   /* of the text after the change */
    const char *change; /* "added", "replaced", "disabled", "enabled" */
    const char *text, *who, *at;
    int enabled; /* after the change */
} pw_rule_change;

typedef int (*pw_stored_rule_cb)(void *ctx, const pw_stored_rule *r);
typedef int (*pw_rule_change_cb)(void *ctx, const pw_rule_change *c);

/* Stores the text of one rule called name (the caller has compiled it
 * with pw_rules_compile): a new rule is added enabled at version 1; a
 * different text for an existing name becomes its next version; the
 * same text changes nothing. who (at most PW_REVIEW_MAX_WHO bytes) is
 * recorded with the time. *version (may be NULL) receives the version
 * now stored, *changed (may be NULL) 1 when something was written.
 * PW_ERR_INVALID for a missing argument, PW_ERR_LIMIT for a text over
 * PW_RULES_MAX_TEXT or a long who, PW_ERR_STORE on failure. */
PW_MUST_CHECK pw_rc pw_rules_put(pw_store *s, const char *name,
                                 const char *text, const char *category,
                                 const char *severity, const char *who,
                                 unsigned *version, int *changed);

/* Enables (enabled 1) or disables rule name, recording the change with
 * who. *changed (may be NULL) is 0 when it was so already (nothing is
 * recorded then). PW_ERR_NOTFOUND when there is no such rule. */
PW_MUST_CHECK pw_rc pw_rules_set_enabled(pw_store *s, const char *name,
                                         int enabled, const char *who,
                                         int *changed);

/* Calls cb for each stored rule by name, only enabled ones when
 * enabled_only. cb returns non-zero to stop. */
PW_MUST_CHECK pw_rc pw_rules_each(pw_store *s, int enabled_only,
                                  pw_stored_rule_cb cb, void *ctx);

/* Calls cb once for rule name; PW_ERR_NOTFOUND when there is none. */
PW_MUST_CHECK pw_rc pw_rules_get(pw_store *s, const char *name,
                                 pw_stored_rule_cb cb, void *ctx);

/* Calls cb for each recorded change of rule name, oldest first;
 * PW_ERR_NOTFOUND when there is no such rule. */
PW_MUST_CHECK pw_rc pw_rules_changes(pw_store *s, const char *name,
                                     pw_rule_change_cb cb, void *ctx);

/* Compiles the enabled rules into one set: *out is NULL when none is
 * enabled, else freed with pw_ruleset_free. A stored rule that no
 * longer compiles is left out and counted in *skipped (may be NULL).
 * versions (may be NULL) receives a malloc'd array, parallel to the
 * set's rules, of each rule's stored version; the caller frees it. */
PW_MUST_CHECK pw_rc pw_rules_load_enabled(pw_store *s, pw_ruleset **out,
                                          unsigned **versions, size_t *skipped);

/* The OS user making changes: $PAXWATCH_USER when set and not empty,
 * else the name of the effective user, else "uid:N". Written into out
 * (cap bytes, cut to fit). */
void pw_review_who(char *out, size_t cap);

/* ---- Named lists for rules (sqlite_rules.c) ---- */

/* Limits on one named list. */
#define PW_RULE_LIST_MAX_NAME 96
#define PW_RULE_LIST_MAX_VALUE 256
#define PW_RULE_LIST_MAX_VALUES 100000
#define PW_RULE_LIST_MAX_TEXT ((size_t)16 * 1024 * 1024)

/* A stored list, as its latest version says. content holds its values
 * one a line. Strings valid during the callback only. */
typedef struct pw_stored_rule_list {
    int64_t id;
    const char *name, *content;
    unsigned version; /* 1 for the first, +1 per new content */
    size_t n_values;
    const char *updated_at, *updated_by;
} pw_stored_rule_list;

typedef int (*pw_rule_list_cb)(void *ctx, const pw_stored_rule_list *l);

/* Stores len bytes of text as the values of the list called name: one
 * value a line, blanks around it dropped, empty lines and lines whose
 * first non-blank is `#` skipped, a value repeated (in any case) kept
 * once. A new list starts at version 1; different values make the next
 * version; the same values change nothing. who is recorded with the
 * time. *version, *n_values and *changed may be NULL. PW_ERR_INVALID
 * for a missing argument, PW_ERR_LIMIT over a PW_RULE_LIST_MAX limit
 * (with the line in pw_store_errmsg), PW_ERR_STORE on failure. */
PW_MUST_CHECK pw_rc pw_rule_list_put(pw_store *s, const char *name,
                                     const char *text, size_t len,
                                     const char *who, unsigned *version,
                                     size_t *n_values, int *changed);

/* Calls cb for each stored list by name; cb returns non-zero to stop. */
PW_MUST_CHECK pw_rc pw_rule_lists_each(pw_store *s, pw_rule_list_cb cb,
                                       void *ctx);

/* Calls cb once for the list called name (any case); PW_ERR_NOTFOUND
 * when there is none. */
PW_MUST_CHECK pw_rc pw_rule_list_get(pw_store *s, const char *name,
                                     pw_rule_list_cb cb, void *ctx);

/* A token that changes whenever a rule or a list changes (random, so
 * two stores never share one): a process keeping compiled rules
 * compares it to know they are stale. */
PW_MUST_CHECK pw_rc pw_rules_generation(pw_store *s, int64_t *token);

/* Every stored list held in memory for evaluation; immutable once
 * loaded, so several threads may ask it at once. */
typedef struct pw_rule_lists pw_rule_lists;

/* Loads all stored lists into *out (freed with pw_rule_lists_free). */
PW_MUST_CHECK pw_rc pw_rule_lists_load(pw_store *s, pw_rule_lists **out);

void pw_rule_lists_free(pw_rule_lists *l);

/* The in_list callback of pw_rule_context: set ctx.user to the loaded
 * lists. 1 when value (len bytes) is on the list called name, names
 * and values compared without regard to ASCII case; 0 otherwise, also
 * when there is no such list. */
int pw_rule_lists_in(void *lists, const char *name, const char *value,
                     size_t len);

/* 1 when a list called name (any case) is loaded. */
int pw_rule_lists_has(const pw_rule_lists *l, const char *name);

/* ---- Hits and their review (sqlite_review.c) ---- */

/* "new", "in_review", "confirmed", "dismissed", "reopened". */
typedef enum pw_hit_status {
    PW_HIT_NEW = 1,
    PW_HIT_IN_REVIEW,
    PW_HIT_CONFIRMED,
    PW_HIT_DISMISSED,
    PW_HIT_REOPENED
} pw_hit_status;

/* The name of st; "unknown" otherwise. */
const char *pw_hit_status_name(pw_hit_status st);

/* The status called name (also "in-review", "re-opened", any case);
 * 0 when none. */
pw_hit_status pw_hit_status_from(const char *name);

/* 1 when a hit may go from from to to: new and reopened go to
 * in_review, confirmed or dismissed; in_review to confirmed, dismissed
 * or back to new; confirmed and dismissed only to reopened. */
int pw_hit_transition_ok(pw_hit_status from, pw_hit_status to);

/* A hit with what the review needs. hit holds the listing fields of
 * paxwatch/store.h; the rest is NULL or 0 for watchlist hits. */
typedef struct pw_review_hit {
    pw_store_hit hit;
    unsigned rule_version;
    const char *severity, *category;
    size_t reviews; /* review steps recorded */
} pw_review_hit;

typedef int (*pw_review_hit_cb)(void *ctx, const pw_review_hit *h);

/* Which hits to list: status 0 for any, movement_id 0 for all,
 * hit_id 0 for all. */
typedef struct pw_hit_filter {
    pw_hit_status status;
    int64_t movement_id, hit_id;
} pw_hit_filter;

/* Calls cb for each hit matching f (NULL: all) in order of id. */
PW_MUST_CHECK pw_rc pw_review_hits(pw_store *s, const pw_hit_filter *f,
                                   pw_review_hit_cb cb, void *ctx);

/* Moves hit hit_id to status to, recording from, to, who, the time and
 * reason (required for dismissed; at most PW_REVIEW_MAX_REASON bytes)
 * in one transaction (or the caller's). *from (may be NULL) receives
 * the status it had. PW_ERR_NOTFOUND when there is no such hit;
 * PW_ERR_INVALID for a transition pw_hit_transition_ok refuses or a
 * missing reason, with the reason in pw_store_errmsg(s). */
PW_MUST_CHECK pw_rc pw_hit_review(pw_store *s, int64_t hit_id, pw_hit_status to,
                                  const char *who, const char *reason,
                                  pw_hit_status *from);

/* One recorded review step. */
typedef struct pw_hit_step {
    int64_t hit_id;
    const char *from, *to, *who, *at, *reason;
} pw_hit_step;

typedef int (*pw_hit_step_cb)(void *ctx, const pw_hit_step *st);

/* Calls cb for each review step of hit hit_id, oldest first. */
PW_MUST_CHECK pw_rc pw_hit_steps(pw_store *s, int64_t hit_id, pw_hit_step_cb cb,
                                 void *ctx);

/* Stores a hit raised by a rule: list "(rule)", entry the rule's name,
 * kind "rule", with its version, severity, category and reasons (JSON)
 * as the explanation. identity is as for pw_store_add_hit, so the same
 * rule on a newer version of the same message raises no second hit;
 * *added (may be NULL) says whether a row was written. */
PW_MUST_CHECK pw_rc pw_review_add_rule_hit(pw_store *s, const pw_store_hit *h,
                                           unsigned rule_version,
                                           const char *severity,
                                           const char *category, int *added);

/* ---- History and links (sqlite_history.c) ---- */

/* One row of a traveller's history: what kind, the row's id (movement,
 * booking, hit or co-traveller), and text columns by kind (see
 * docs/review.md). Strings valid during the callback only. */
typedef struct pw_history_row {
    const char *kind; /* "movement", "booking", "hit", "link" */
    int64_t id, movement_id, traveller_id;
    const char *a, *b, *c, *d, *e; /* by kind; NULL when not known */
} pw_history_row;

typedef int (*pw_history_cb)(void *ctx, const pw_history_row *r);

/* The history of stored traveller traveller_id: every movement of the
 * same person (same surname, given names and birth date, or a document
 * number in common), the bookings those travellers are on, their hits,
 * and the co-travellers sharing a booking locator, phone, e-mail,
 * address or payment card. PW_ERR_NOTFOUND when there is no such
 * traveller. At most PW_HISTORY_MAX_ROWS rows of each kind. */
PW_MUST_CHECK pw_rc pw_traveller_history(pw_store *s, int64_t traveller_id,
                                         pw_history_cb cb, void *ctx);

/* Reads the booking stored traveller traveller_id is on (its own
 * booking version, else that of the PNR traveller it is linked to)
 * from the stored JSON into arena a: the fields rules use (locator,
 * dates, travellers' names, itinerary, contacts, payments, agency,
 * frequent flyer, seats, bags). *out is NULL when there is none;
 * *index receives its place in the booking's travellers, -1 when not
 * found by name. PW_ERR_NOMEM, PW_ERR_STORE on failure. */
PW_MUST_CHECK pw_rc pw_traveller_booking(pw_store *s, int64_t traveller_id,
                                         pw_arena *a, pw_booking **out,
                                         int *index);

/* What evaluation over the store needs behind pw_rule_context's one
 * user pointer: the store for history counts and the lists for
 * `in list` (also inside a history condition). */
typedef struct pw_history_ctx {
    pw_store *store;
    const pw_rule_lists *lists; /* may be NULL: no value on any list */
} pw_history_ctx;

/* The in_list callback when ctx.user is a pw_history_ctx. */
int pw_history_in_list(void *hctx, const char *name, const char *value,
                       size_t len);

/* As pw_history_count, with ctx.user a pw_history_ctx. */
long pw_history_count_in(void *hctx, const pw_rule_subject *subj,
                         const pw_rule_history *h);

/* A history callback for pw_rule_context: set ctx.user to the store.
 * Counts the earlier movements (departing within the window before
 * subj's first departure, UTC) of the person subj's traveller is, by
 * names and birth date or document number, that satisfy h, each seen
 * with its booking (pw_traveller_booking). Negative
 * when the store cannot answer or the departure is not known. */
long pw_history_count(void *store, const pw_rule_subject *subj,
                      const pw_rule_history *h);

#endif

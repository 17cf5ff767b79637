/* paxwatch audit log: who read or changed what, when, from where and
 * why. Append-only; each entry holds the SHA-256 of the previous
 * entry's hash and its own canonical content, so a changed, removed or
 * reordered entry breaks the chain (see docs/api.md). */
#ifndef PAXWATCH_AUDIT_H
#define PAXWATCH_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "paxwatch/error.h"
#include "paxwatch/store.h"

/* Longest value of each text field of an entry; longer ones are cut. */
#define PW_AUDIT_MAX_FIELD 256

/* One entry. Strings valid during the callback only when listed. who is
 * a user name, object a row id or a rule or list name: never a
 * traveller's personal data. */
typedef struct pw_audit_entry {
    int64_t seq;        /* 1, 2, ... in the order written; set by add */
    const char *at;     /* ISO 8601 UTC; add sets it to the time of
                           writing unless given (an entry written after
                           the event, in a batch, gives its time) */
    const char *who;    /* user name */
    const char *action; /* "login", "hit.read", "rule.add" ... */
    const char *object; /* what it was done to, or NULL */
    const char *client; /* client address, "cli" for the command */
    const char *purpose;
    const char *outcome; /* "ok", "failed", "denied" ... or NULL */
    const char *hash;    /* 64 hex digits; set by add */
} pw_audit_entry;

/* The hash of entry e chained after the entry whose hash is prev (""
 * for the first): hex SHA-256 of prev followed by e's canonical
 * content (seq, at, who, action, object, client, purpose and outcome,
 * each as its length, ':' and its bytes). out receives 64 hex digits
 * and a NUL. */
void pw_audit_hash(const char *prev, const pw_audit_entry *e, char out[65]);

/* Appends e (its seq, at and hash are filled in) in its own
 * transaction, or in the caller's when one is open. who and action are
 * required (PW_ERR_INVALID). PW_ERR_STORE on failure. */
PW_MUST_CHECK pw_rc pw_audit_add(pw_store *s, const pw_audit_entry *e);

/* Which entries to list: by user who (NULL for all), at or after since
 * (an ISO 8601 date or time, NULL for all), skipping offset, at most
 * limit (0: no limit); in order of seq, or newest first when
 * newest_first is set. */
typedef struct pw_audit_filter {
    const char *who, *since;
    size_t limit, offset;
    int newest_first;
} pw_audit_filter;

typedef int (*pw_audit_cb)(void *ctx, const pw_audit_entry *e);

/* Calls cb for each entry matching f (NULL: all) in f's order;
 * non-zero from cb stops. */
PW_MUST_CHECK pw_rc pw_audit_each(pw_store *s, const pw_audit_filter *f,
                                  pw_audit_cb cb, void *ctx);

/* What walking the chain found. */
typedef struct pw_audit_check {
    size_t entries; /* read */
    int64_t bad;    /* seq (or, for a gap, the seq expected) of the first
                       changed, removed or reordered entry; 0 if none */
    char why[128];  /* what is wrong with it */
} pw_audit_check;

/* Walks the whole chain in order of rowid, checking that seq counts up
 * from 1 without gaps and that each hash is right. Returns PW_OK with
 * *out filled (out->bad 0 when the chain holds), PW_ERR_STORE when it
 * could not be read. */
PW_MUST_CHECK pw_rc pw_audit_verify(pw_store *s, pw_audit_check *out);

/* The last entry's seq and hash (0 and "" for an empty log): noted where
 * the store's writers cannot change it, it lets a later verify see
 * entries removed from the end. PW_ERR_STORE when it cannot be read. */
PW_MUST_CHECK pw_rc pw_audit_head(pw_store *s, int64_t *seq, char hash[65]);

/* Reads a head written as "SEQ:HASH" (seq from 1, 64 lower-case hex
 * digits), as `paxwatch audit head` prints it; 0 when text is not that. */
int pw_audit_head_parse(const char *text, int64_t *seq, char hash[65]);

/* pw_audit_verify, and then the chain must reach entry seq with hash
 * (as pw_audit_head gave them earlier): an entry at or before it that
 * is missing or different is reported. As each hash covers every entry
 * before it, the latest noted head is the only one worth checking. */
PW_MUST_CHECK pw_rc pw_audit_verify_head(pw_store *s, int64_t seq,
                                         const char *hash, pw_audit_check *out);

#endif

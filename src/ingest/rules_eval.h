/* Risk rules at ingest: the enabled rules of the store evaluated for
 * each traveller a message stored, after watchlist screening, compiled
 * once per process and reused until the rules or lists change. */
#ifndef PW_RULES_EVAL_H
#define PW_RULES_EVAL_H

#include <stddef.h>
#include <stdint.h>

#include "paxwatch/model.h"
#include "paxwatch/store.h"

/* The store's rule generation as read in the current transaction.
 * Ingest transactions take the write lock at their start, so no other
 * connection can change the rules before the commit: one reading per
 * transaction is enough (a prepared statement per message was a twentieth
 * of the time of storing a booking). Zeroed at the start of each
 * transaction. */
typedef struct pw_rules_seen {
    int known;
    int64_t token;
} pw_rules_seen;

/* Evaluates the enabled rules for the travellers of m stored as rows
 * ids (0: none; laid out as for pw_store_put_msg_ids) on movement
 * movement_id, inside the caller's transaction, and stores a hit per
 * rule fired (none again for the same traveller identity and rule).
 * seen is the transaction's (see above). Adds the hits stored to
 * *added. PW_ERR_NOMEM or PW_ERR_STORE on failure, the caller then
 * rolls back. */
pw_rc pw_ingest_rules_msg(pw_store *s, pw_rules_seen *seen, const pw_msg *m,
                          const int64_t *ids, int64_t movement_id,
                          size_t *added);

/* How many times this process has compiled the store's enabled rules
 * (once, then once per change of a rule or list): for tests. */
size_t pw_ingest_rules_loads(void);

#endif

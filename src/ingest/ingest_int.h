/* The ingest pipeline's private parts, shared by its files. */
#ifndef PW_INGEST_INT_H
#define PW_INGEST_INT_H

#include "ingest/rules_eval.h"
#include "paxwatch/ingest.h"
#include "paxwatch/messages.h"

struct screener;

/* Reads the input kept as message_id and stores what it yields with
 * its new status in one transaction; fills out. */
pw_rc pw_ingest_process(pw_store *s, int64_t message_id, const char *data,
                        size_t len, pw_ingest_report *out);

/* As pw_ingest_process, inside the caller's transaction, screening
 * with sc (may be NULL) and keeping the transaction's rule generation
 * in rules; on failure the caller rolls back. */
pw_rc pw_ingest_process_open(pw_store *s, struct screener *sc,
                             pw_rules_seen *rules, int64_t message_id,
                             const char *data, size_t len,
                             pw_ingest_report *out);

/* The screening state kept on s, built or rebuilt from the stored lists
 * when needed; *out has no index when no list is stored. */
pw_rc pw_ingest_screener(pw_store *s, struct screener **out);

/* Screens the travellers of m stored as rows ids (0: none) on movement
 * movement_id and stores their new hits, counted in *added; *incomplete
 * counts those screened in part (pw_ingest_item.screened_in_part). */
pw_rc pw_ingest_screen_msg(pw_store *s, struct screener *sc, const pw_msg *m,
                           const int64_t *ids, int64_t movement_id,
                           size_t *added, size_t *incomplete);

/* Message index of ix (a part) as a stand-alone interchange text with
 * its envelope, for the store to keep until its set is complete.
 * malloc'd; NULL when out of memory. */
char *pw_ingest_part_text(const pw_edi_interchange *ix, size_t index,
                          size_t *len);

/* The first error of d, or NULL. */
const pw_diag *pw_ingest_first_error(const pw_diags *d);

/* Warnings in d, kept or dropped. */
size_t pw_ingest_warnings(const pw_diags *d);

/* Sets the item's reason and place from diag (or from text when diag is
 * NULL). Returns PW_ERR_NOMEM on allocation failure. */
pw_rc pw_ingest_reject_item(pw_ingest_item *it, const pw_diag *diag,
                            const char *text);

/* Fills the report's totals and overall status from its items. */
pw_rc pw_ingest_summarise(pw_ingest_report *r);

/* The traveller's identity across versions of its list: movement,
 * names and birth date, hashed so the hits table holds no extra copy of
 * personal data. Watchlist and rule hits both use it, so the same reason
 * on a newer version of a list raises no second hit. src/ingest/screen.c */
void pw_ingest_identity(int64_t movement_id, const pw_traveller *t,
                        char hex[65]);

#endif

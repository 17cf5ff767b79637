/* Private to the watchlist loaders: the entry builder every loader fills,
 * an RFC 4180 CSV reader, and the country-name table. */
#ifndef PW_SCREEN_LOAD_COMMON_H
#define PW_SCREEN_LOAD_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "paxwatch/watchlist.h"

/* Hard limits, so that a hostile list cannot grow memory without bound. */
#define PW_WL_MAX_FILE ((size_t)512 * 1024 * 1024)
#define PW_WL_MAX_ENTRIES ((size_t)20 * 1000 * 1000)
#define PW_WL_MAX_FIELD ((size_t)64 * 1024)
#define PW_WL_MAX_NAME 1024
#define PW_WL_MAX_NAMES 256
#define PW_WL_MAX_DATES 32
#define PW_WL_MAX_NATS 32
#define PW_WL_MAX_DOCS 64

/* Collects one entry at a time; finished entries go to a growing array
 * that is copied into the list's arena at the end. */
typedef struct pw_wlb {
    pw_watchlist *wl;
    pw_entry cur;
    int open;
    pw_entry_name names[PW_WL_MAX_NAMES];
    pw_entry_date dates[PW_WL_MAX_DATES];
    const char *nats[PW_WL_MAX_NATS];
    const char *countries[PW_WL_MAX_NATS];
    pw_entry_document docs[PW_WL_MAX_DOCS];
    pw_entry *entries;
    size_t n, cap;
    int nomem;
} pw_wlb;

/* Starts a list; fails only when out of memory. */
PW_MUST_CHECK pw_rc pw_wlb_init(pw_wlb *b, const char *format,
                                const char *name);

/* Starts an entry, dropping one left open. */
void pw_wlb_begin(pw_wlb *b, pw_entry_kind kind);

/* A copy of s[0..n) in the list's arena with surrounding space trimmed
 * and runs of white space (newlines too) made one space; NULL when empty
 * or out of memory (then b->nomem is set). */
const char *pw_wlb_str(pw_wlb *b, const char *s, size_t n);
const char *pw_wlb_cstr(pw_wlb *b, const char *s);

/* Add to the open entry; empty or duplicate values are ignored and
 * values beyond the per-entry limits are dropped. Strings must live in
 * the arena (pw_wlb_str). */
void pw_wlb_name(pw_wlb *b, const char *full, const char *surname,
                 const char *given, const char *script, int alias, int weak);
void pw_wlb_date(pw_wlb *b, const char *from, const char *to);
/* A country by name, alpha-2 or alpha-3; stored as alpha-3 when known. */
void pw_wlb_nationality(pw_wlb *b, const char *country);
void pw_wlb_country(pw_wlb *b, const char *country);
void pw_wlb_document(pw_wlb *b, const char *type, const char *number,
                     const char *issuer);

/* Ends the open entry. One without an id, or without a name (a document
 * entry: without a document number), is skipped with an error naming
 * record and offset. PW_ERR_NOMEM or PW_ERR_LIMIT stop the load. */
PW_MUST_CHECK pw_rc pw_wlb_commit(pw_wlb *b, uint32_t record, size_t offset);

/* Records a finding about record at offset; the load goes on. */
PW_MUST_CHECK pw_rc pw_wlb_diag(pw_wlb *b, pw_severity sev, uint32_t record,
                                size_t offset, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Hands the list over in *out (PW_ERR_SYNTAX when no entry could be
 * read but some error was found) or frees it on rc != PW_OK. */
PW_MUST_CHECK pw_rc pw_wlb_finish(pw_wlb *b, pw_rc rc, pw_watchlist **out);

/* ISO 3166 alpha-3 for a country name (several spellings), an alpha-2
 * or alpha-3 code, or a nationality adjective; NULL when unknown. */
const char *pw_wl_country_alpha3(const char *s);

/* 1 when s is YYYY, YYYY-MM or YYYY-MM-DD with plausible values. */
int pw_wl_date_ok(const char *s);

/* "M" or "F" for male/female/m/f in any case, else NULL. */
const char *pw_wl_sex(const char *s);

/* Reads RFC 4180 records from memory. Quoted fields may hold the
 * separator, doubled quotes and line breaks. */
typedef struct pw_csv {
    const char *p, *end, *start;
    size_t line;       /* line number of the next record, from 1 */
    size_t rec_line;   /* line of the record just read */
    size_t rec_offset; /* byte offset of the record just read */
    char *buf;         /* unquoted fields, NUL-separated */
    size_t buf_cap;
    const char *fields[64];
    size_t n_fields;
    const char *error; /* why the last record was bad, or NULL */
} pw_csv;

void pw_csv_init(pw_csv *c, const char *data, size_t len);
/* 1 with a record in fields (c->error set when it is malformed: then
 * the fields are unusable), 0 at the end, -1 when out of memory. */
int pw_csv_next(pw_csv *c);
void pw_csv_free(pw_csv *c);

/* Loaders, one per format, from memory. */
PW_MUST_CHECK pw_rc pw_load_un(pw_wlb *b, const char *data, size_t len);
PW_MUST_CHECK pw_rc pw_load_ofac(pw_wlb *b, const char *sdn, size_t sdn_len,
                                 const char *alt, size_t alt_len,
                                 const char *add, size_t add_len);
PW_MUST_CHECK pw_rc pw_load_ftm(pw_wlb *b, const char *data, size_t len);
PW_MUST_CHECK pw_rc pw_load_csv(pw_wlb *b, const char *data, size_t len);

#endif

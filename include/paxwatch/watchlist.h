/* paxwatch watchlists: the entries of a list (people, entities and lost
 * or stolen documents) and the loaders that read lists in the formats
 * their publishers use. */
#ifndef PAXWATCH_WATCHLIST_H
#define PAXWATCH_WATCHLIST_H

#include <stddef.h>

#include "paxwatch/arena.h"
#include "paxwatch/error.h"

typedef enum pw_entry_kind {
    PW_ENTRY_PERSON = 0,
    PW_ENTRY_ENTITY,   /* an organisation, vessel, aircraft ... */
    PW_ENTRY_DOCUMENT  /* a lost or stolen document, no person */
} pw_entry_kind;

/* A name of an entry: the primary name or an alias. */
typedef struct pw_entry_name {
    const char *full;        /* as the list gives it, UTF-8 */
    const char *surname;     /* when the list separates the parts */
    const char *given_names;
    const char *script;      /* "Latin", "Arabic", "Cyrillic" ... or NULL */
    int alias;               /* 0 primary, 1 alias */
    int weak;                /* 1 for a low-quality alias ("weak", "low") */
} pw_entry_name;

/* A birth date as lists give it: "1970-05-01", "1970-05", "1970", or a
 * range from..to of years ("1968".."1970"). */
typedef struct pw_entry_date {
    const char *from;
    const char *to; /* NULL when a single date */
} pw_entry_date;

typedef struct pw_entry_document {
    const char *type;   /* "passport", "id_card", ... or as given */
    const char *number; /* as given */
    const char *issuer; /* ISO 3166 alpha-3 when known, else as given */
} pw_entry_document;

typedef struct pw_entry {
    const char *id;       /* the list's own reference, e.g. "QDi.001" */
    pw_entry_kind kind;
    const char *category; /* e.g. "sanctions", "wanted", "lost_or_stolen" */
    pw_entry_name *names; /* names[0] is the primary name */
    size_t n_names;
    pw_entry_date *birth_dates;
    size_t n_birth_dates;
    const char **nationalities; /* ISO 3166 alpha-3 when known */
    size_t n_nationalities;
    const char *sex;            /* M, F or NULL */
    pw_entry_document *documents;
    size_t n_documents;
    const char *remarks;
    /* ISO 3166 alpha-3 (else as given) of countries the list ties the
     * entry to by address; not nationalities. */
    const char **countries;
    size_t n_countries;
} pw_entry;

/* A loaded list. Everything lives in its arena. */
typedef struct pw_watchlist {
    const char *name;    /* given by the watchlist manager, e.g. "un" */
    const char *format;  /* "un-xml", "ofac-csv", "ftm-json", "csv" */
    const char *version; /* the publisher's date or version, if given */
    pw_entry *entries;
    size_t n_entries;
    pw_diags diags;      /* per-record problems: record, line, reason */
    pw_arena arena;
} pw_watchlist;

/* Reads the list at path in format (one of the names above) into a new
 * list named name. A record that cannot be read is skipped and recorded
 * in diags (segment holds the record or line number, offset the byte
 * offset) and the load goes on. Returns PW_OK with *out set, even when
 * some records were skipped; PW_ERR_IO when the file cannot be read;
 * PW_ERR_SYNTAX when nothing of it can be read (then *out is set, its
 * diags saying why); PW_ERR_UNSUPPORTED for an unknown format; then
 * the caller frees *out with pw_watchlist_free. For ofac-csv, path
 * names sdn.csv and alt.csv and add.csv are read from beside it when
 * present. */
PW_MUST_CHECK pw_rc pw_watchlist_load(const char *format, const char *path,
                                      const char *name, pw_watchlist **out);

/* As pw_watchlist_load, from memory (ofac-csv: the SDN file only). */
PW_MUST_CHECK pw_rc pw_watchlist_load_mem(const char *format,
                                          const char *data, size_t len,
                                          const char *name,
                                          pw_watchlist **out);

/* As pw_watchlist_load for ofac-csv, from the three files in memory;
 * alt and add may be NULL (then their lengths are ignored). */
PW_MUST_CHECK pw_rc pw_watchlist_load_ofac_mem(const char *sdn,
                                               size_t sdn_len,
                                               const char *alt,
                                               size_t alt_len,
                                               const char *add,
                                               size_t add_len,
                                               const char *name,
                                               pw_watchlist **out);

/* Frees wl and everything in it. NULL is fine. */
void pw_watchlist_free(pw_watchlist *wl);

#endif

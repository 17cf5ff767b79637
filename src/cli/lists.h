/* Watchlists for the command: reading them from files named on the
 * command line or from the store, shared by 'match' and 'lists'. */
#ifndef PW_CLI_LISTS_H
#define PW_CLI_LISTS_H

#include <stddef.h>

#include "paxwatch/watchlist.h"

#define PW_CLI_MAX_LISTS 32

typedef struct pw_cli_lists {
    pw_watchlist *items[PW_CLI_MAX_LISTS];
    size_t n;
} pw_cli_lists;

/* Loads one list from path, telling stderr how many records were
 * skipped and why (no personal data: record numbers, ids, reasons).
 * Returns an exit status: 0 loaded, 1 unreadable, 2 unknown format. */
int pw_cli_load_list(const char *verb, const char *format, const char *path,
                     const char *name, pw_watchlist **out);

/* Loads each FORMAT:PATH or FORMAT:NAME=PATH spec; the name defaults to
 * the file's base name without its extension. Returns an exit status. */
int pw_cli_lists_from_specs(pw_cli_lists *l, const char *const *specs,
                            size_t n);

/* Loads every list stored in the store at db (which must exist).
 * Returns an exit status. */
int pw_cli_lists_from_store(pw_cli_lists *l, const char *db);

void pw_cli_lists_free(pw_cli_lists *l);

#endif

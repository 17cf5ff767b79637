/* libFuzzer target for the ofac-csv watchlist loader: any bytes as
 * the OFAC SDN CSV file must load or fail cleanly, never crash or leak. */
#include <stddef.h>
#include <stdint.h>

#include "paxwatch/watchlist.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pw_watchlist *wl = NULL;
    pw_rc rc = pw_watchlist_load_mem("ofac-csv", (const char *)data, size,
                                     "fuzz", &wl);

    /* Every entry a loader keeps has an id, and a name or a document. */
    for (size_t i = 0; rc == PW_OK && i < wl->n_entries; i++)
        if (!wl->entries[i].id ||
            (!wl->entries[i].n_names && !wl->entries[i].n_documents))
            __builtin_trap();
    pw_watchlist_free(wl);
    return 0;
}

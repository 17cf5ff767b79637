/* A waiting part as the store keeps it: the part's own segments inside
 * an envelope naming the original sender, so that reading it again gives
 * the same set key. */
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest_int.h"

char *pw_ingest_part_text(const pw_edi_interchange *ix, size_t index,
                          size_t *len)
{
    /* pw_part_text already wraps the part in an envelope of its own
     * (in UTF-8, naming the original sender and reference); wrapping it
     * again in the original envelope would declare the original
     * character set over text that is now UTF-8. */
    return pw_part_text(ix, index, len);
}

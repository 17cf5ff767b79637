/* libFuzzer target for the PNRGOV path: EDIFACT parse, PNRGOV mapping
 * with the sensitive filter, bookings as JSON and as the store's
 * canonical content, the reader, and redaction of the raw input. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "paxwatch/booking.h"
#include "paxwatch/json.h"
#include "paxwatch/messages.h"
#include "paxwatch/privacy.h"
#include "store/store_impl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What the store writes of each booking: canonical JSON and hash. */
static void contents(const pw_msg *m)
{
    for (size_t k = 0; k < m->n_bookings; k++) {
        char *json = NULL, sha[65];

        if (pw_booking_content(m, &m->bookings[k], &json, sha) == PW_OK)
            free(json);
    }
}

static void map_all(const pw_edi_interchange *ix)
{
    for (size_t i = 0; i < ix->n_messages; i++) {
        pw_msg *m = NULL;

        if (pw_pnrgov_map(ix, i, &m) == PW_OK) {
            free(pw_msg_json(m));
            contents(m);
        }
        pw_msg_free(m);
    }
}

static void redact(const char *data, size_t size)
{
    char *out = NULL;

    if (pw_sensitive_redact(NULL, data, size, &out, NULL) == PW_OK)
        free(out);
}

static void read_once(const char *data, size_t size)
{
    pw_reader *r = NULL;
    pw_batch *b;

    if (pw_reader_new(&r) != PW_OK)
        return;
    if (pw_reader_read(r, data, size, &b) == PW_OK)
        for (size_t j = 0; j < b->n_results; j++)
            if (b->results[j].msg)
                free(pw_msg_json(b->results[j].msg));
    pw_reader_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pw_edi_interchange *ix = NULL;

    if (pw_edi_parse((const char *)data, size, NULL, &ix) == PW_OK)
        map_all(ix);
    pw_edi_free(ix);
    read_once((const char *)data, size);
    redact((const char *)data, size);
    return 0;
}

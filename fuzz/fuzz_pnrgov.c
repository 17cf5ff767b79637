/* libFuzzer target for the PNRGOV path: EDIFACT parse, PNRGOV mapping
 * with the sensitive filter, bookings as JSON and as the store's
 * canonical content, the changes between two contents (read from the
 * texts, checked against the jansson reference), the reader, and
 * redaction of the raw input. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "paxwatch/booking.h"
#include "paxwatch/json.h"
#include "paxwatch/messages.h"
#include "paxwatch/privacy.h"
#include "store/store_impl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The changes read from two texts must be the reference's whenever
 * the text reader gives any: a difference is a crash here. */
static void changes(const char *a, const char *b)
{
    char *fast = pw_booking_changes_text(a, b), *ref;

    if (!fast)
        return;
    ref = pw_booking_changes_tree(a, b);
    if (!ref || strcmp(fast, ref))
        abort();
    free(fast);
    free(ref);
}

/* What the store writes of each booking: its key, itinerary summary,
 * canonical JSON and hash, and what changed from one booking of the
 * message to the next. */
static void contents(const pw_msg *m)
{
    char *prev = NULL;

    for (size_t k = 0; k < m->n_bookings; k++) {
        char *json = NULL, sha[65], key[64];

        (void)pw_booking_key(m, &m->bookings[k], key, sizeof(key));
        free(pw_booking_itinerary(&m->bookings[k]));
        if (pw_booking_content(m, &m->bookings[k], &json) != PW_OK)
            continue;
        pw_booking_sha256(json, sha);
        if (prev)
            changes(prev, json);
        free(prev);
        prev = json;
    }
    free(prev);
}

/* The input itself as a stored version, canonical or not. */
static void changes_of_input(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);

    if (!text)
        return;
    memcpy(text, data, size);
    text[size] = '\0';
    changes(text, "{\"travellers\":[]}");
    changes(text, text);
    free(text);
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
    changes_of_input(data, size);
    return 0;
}

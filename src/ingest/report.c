/* Ingest reports: names, rejection reasons and the summary of an input
 * from its messages. */
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest_int.h"

const char *pw_ingest_status_name(pw_ingest_status st)
{
    switch (st) {
    case PW_INGEST_ACCEPTED:
        return "accepted";
    case PW_INGEST_REPEATED:
        return "repeated";
    case PW_INGEST_WAITING:
        return "waiting";
    case PW_INGEST_REJECTED:
        return "rejected";
    }
    return "unknown";
}

const pw_diag *pw_ingest_first_error(const pw_diags *d)
{
    for (size_t i = 0; d && i < d->n; i++)
        if (d->items[i].severity == PW_ERROR)
            return &d->items[i];
    return NULL;
}

size_t pw_ingest_warnings(const pw_diags *d)
{
    if (!d)
        return 0;
    return d->n + d->n_dropped - d->n_errors;
}

pw_rc pw_ingest_reject_item(pw_ingest_item *it, const pw_diag *diag,
                            const char *text)
{
    const char *why = diag && diag->message ? diag->message : text;

    it->status = PW_INGEST_REJECTED;
    it->segment = diag ? diag->segment : 0;
    it->offset = diag ? diag->offset : 0;
    free(it->reason);
    it->reason = strdup(why ? why : "could not be read");
    return it->reason ? PW_OK : PW_ERR_NOMEM;
}

/* Rejected outranks waiting, which outranks accepted: the sender must
 * hear of any message we could not read. */
static int rank(pw_ingest_status st)
{
    return st == PW_INGEST_REJECTED ? 3 : st == PW_INGEST_WAITING ? 2 : 1;
}

pw_rc pw_ingest_summarise(pw_ingest_report *r)
{
    r->status = PW_INGEST_ACCEPTED;
    for (size_t i = 0; i < r->n_items; i++) {
        const pw_ingest_item *it = &r->items[i];

        r->travellers += it->travellers;
        r->hits += it->hits;
        r->screened_in_part += it->screened_in_part;
        r->bookings += it->bookings;
        r->bookings_unchanged += it->bookings_unchanged;
        r->links += it->links;
        r->warnings += it->warnings;
        if (rank(it->status) > rank(r->status))
            r->status = it->status;
        if (it->status == PW_INGEST_REJECTED && !r->reason) {
            r->reason = strdup(it->reason);
            if (!r->reason)
                return PW_ERR_NOMEM;
            r->segment = it->segment;
            r->offset = it->offset;
        }
    }
    return PW_OK;
}

void pw_ingest_report_free(pw_ingest_report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n_items; i++)
        free(r->items[i].reason);
    free(r->items);
    free(r->reason);
    free(r->contrl);
    memset(r, 0, sizeof(*r));
}

/* Processing one kept input: read it with a reader seeded from the
 * parts waiting in the store, then store every message, part and
 * rejection it gives, with the input's status, in one transaction. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ingest/ingest_int.h"
#include "ingest/rules_eval.h"
#include "paxwatch/privacy.h"

/* The multi-part sets still waiting after a read, with parts held. */
struct waiting {
    char (*keys)[256];
    unsigned *have;
    size_t n, cap;
    int nomem;
};

struct run {
    pw_store *s;
    int64_t id;
    pw_reader *reader;
    pw_batch *b;
    pw_ingest_report *out;
    struct screener *sc;
    pw_rules_seen *rules; /* the transaction's, see rules_eval.h */
    struct waiting w;
    int taken; /* another process stored the input first */
};

struct seed {
    pw_reader *reader;
    pw_rc rc;
};

static int seed_part(void *ctx, const char *key, unsigned number, int final,
                     const char *text, size_t len)
{
    struct seed *sd = ctx;
    pw_rc rc = pw_reader_add_part(sd->reader, text, len);

    /* A stored part the reader cannot take is left where it is; only
     * running out of memory stops the seeding. */
    if (rc == PW_ERR_NOMEM)
        sd->rc = rc;
    return rc == PW_ERR_NOMEM;
}

/* The reader asks for a set's stored parts when the input brings one
 * of its parts: only the sets an input touches are read from the
 * store, however many wait there. */
static pw_rc fetch_parts(void *ctx, const char *key)
{
    struct run *run = ctx;
    struct seed sd = {run->reader, PW_OK};
    pw_rc rc = pw_store_each_part_of(run->s, key, seed_part, &sd);

    return rc != PW_OK ? rc : sd.rc;
}

static void note_waiting(void *ctx, const char *key, unsigned have,
                         int have_final)
{
    struct waiting *w = ctx;

    if (w->nomem)
        return;
    if (w->n == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 8;
        char(*keys)[256] = realloc(w->keys, cap * sizeof(*keys));
        unsigned *more = keys ? realloc(w->have, cap * sizeof(*more)) : NULL;
        if (keys)
            w->keys = keys;
        if (!more) {
            w->nomem = 1;
            return;
        }
        w->have = more;
        w->cap = cap;
    }
    snprintf(w->keys[w->n], sizeof(w->keys[0]), "%s", key);
    w->have[w->n++] = have;
}

/* Parts held for key, or 0 when its set is no longer waiting. */
static unsigned parts_held(const struct waiting *w, const char *key)
{
    for (size_t i = 0; i < w->n; i++)
        if (!strcmp(w->keys[i], key))
            return w->have[i];
    return 0;
}

/* The index in ix of the message whose UNH is segment number seg. */
static long message_index(const pw_edi_interchange *ix, uint32_t seg)
{
    for (size_t i = 0; ix && i < ix->n_messages; i++) {
        uint32_t first = ix->messages[i].first_segment;
        if (first < ix->n_segments && ix->segments[first].number == seg)
            return (long)i;
    }
    return -1;
}

static void set_type(pw_ingest_item *it, const char *type)
{
    snprintf(it->type, sizeof(it->type), "%s", type ? type : "");
}

static pw_rc store_message(struct run *run, const pw_result *res,
                           pw_ingest_item *it)
{
    const pw_msg *m = res->msg;
    int64_t *ids = calloc(pw_store_row_slots(m) + 1, sizeof(*ids));
    pw_store_put put;
    pw_rc rc;

    if (!ids)
        return PW_ERR_NOMEM;
    rc = pw_store_put_msg_ids(run->s, run->id, m, &put, ids);
    if (rc == PW_OK)
        rc = pw_ingest_screen_msg(run->s, run->sc, m, ids, put.movement_id,
                                  &it->hits, &it->screened_in_part);
    if (rc == PW_OK)
        rc = pw_ingest_rules_msg(run->s, run->rules, m, ids, put.movement_id,
                                 &it->hits);
    free(ids);
    if (rc != PW_OK)
        return rc;
    it->status = PW_INGEST_ACCEPTED;
    it->movement_id = put.movement_id;
    it->version = put.version;
    it->travellers = put.travellers;
    it->bookings = put.bookings;
    it->bookings_unchanged = put.bookings_unchanged;
    it->links = put.links;
    it->warnings = pw_ingest_warnings(&res->msg->diags);
    return PW_OK;
}

static pw_rc keep_part(struct run *run, const pw_result *res,
                       pw_ingest_item *it, unsigned have)
{
    const pw_edi_interchange *ix = run->b->interchange;
    long index = message_index(ix, res->segment);
    size_t len;
    char *text;
    pw_rc rc;

    if (index < 0)
        return pw_ingest_reject_item(it, NULL, "part not found in input");
    text = pw_ingest_part_text(ix, (size_t)index, &len);
    if (!text)
        return PW_ERR_NOMEM;
    /* A waiting part is raw input too: kept without sensitive data. */
    if (pw_sensitive_redact_in_place(NULL, text, len) == (size_t)-1) {
        free(text);
        return PW_ERR_NOMEM;
    }
    rc = pw_store_add_part(run->s, run->id, res->part.key, res->part.number,
                           res->part.final, text, len);
    free(text);
    it->status = PW_INGEST_WAITING;
    it->parts_have = have;
    return rc;
}

static const pw_diags *result_diags(const struct run *run, const pw_result *res)
{
    if (res->msg && pw_ingest_first_error(&res->msg->diags))
        return &res->msg->diags;
    if (pw_ingest_first_error(run->b->diags))
        return run->b->diags;
    return run->b->interchange ? &run->b->interchange->diags : NULL;
}

/* One result of the read; *kept is 0 when it needs no report item (a
 * part whose set this very input completed). */
static pw_rc apply_result(struct run *run, const pw_result *res,
                          pw_ingest_item *it, int *kept)
{
    unsigned have;
    const pw_diags *d;

    *kept = 1;
    set_type(it, res->type);
    switch (res->outcome) {
    case PW_OUT_MESSAGE:
        return store_message(run, res, it);
    case PW_OUT_PART:
        have = parts_held(&run->w, res->part.key);
        if (have)
            return keep_part(run, res, it, have);
        *kept = 0;
        return pw_store_parts_joined(run->s, res->part.key);
    case PW_OUT_REJECTED:
        break;
    }
    d = result_diags(run, res);
    it->segment = res->segment;
    it->offset = res->offset;
    return pw_ingest_reject_item(it, pw_ingest_first_error(d),
                                 "message could not be read");
}

static pw_rc reject_input(struct run *run)
{
    const pw_batch *b = run->b;
    const pw_diags *d = b->diags;
    const pw_diag *first = pw_ingest_first_error(d);

    if (!first && b->interchange)
        first = pw_ingest_first_error(&b->interchange->diags);
    run->out->n_items = 1;
    return pw_ingest_reject_item(&run->out->items[0], first,
                                 b->rejected ? "input could not be read"
                                             : "no message in the input");
}

static pw_rc apply_batch(struct run *run)
{
    pw_ingest_report *out = run->out;
    const pw_batch *b = run->b;
    pw_rc rc = PW_OK;
    int kept;

    out->items = calloc(b->n_results + 1, sizeof(*out->items));
    if (!out->items)
        return PW_ERR_NOMEM;
    if (b->rejected || b->n_results == 0)
        return reject_input(run);
    for (size_t i = 0; i < b->n_results && rc == PW_OK; i++) {
        rc =
            apply_result(run, &b->results[i], &out->items[out->n_items], &kept);
        out->n_items += (size_t)kept;
    }
    return rc;
}

static pw_msg_status stored_status(pw_ingest_status st)
{
    switch (st) {
    case PW_INGEST_REJECTED:
        return PW_MSG_REJECTED;
    case PW_INGEST_WAITING:
        return PW_MSG_WAITING;
    default:
        return PW_MSG_ACCEPTED;
    }
}

static pw_rc record_outcome(struct run *run)
{
    pw_ingest_report *out = run->out;
    const pw_edi_interchange *ix = run->b->interchange;
    pw_store_outcome o = {
        .status = stored_status(out->status),
        .format = out->format[0] ? out->format : NULL,
        .type =
            out->n_items && out->items[0].type[0] ? out->items[0].type : NULL,
        .sender = ix ? ix->sender : NULL,
        .reason = out->reason,
    };

    return pw_store_set_status(run->s, run->id, &o);
}

/* Another process (recovering, or ingesting the same bytes) may have
 * stored this input since we kept it; under the write lock we know. */
static pw_rc still_ours(struct run *run, int *ours)
{
    pw_msg_status st;
    pw_rc rc = pw_store_message_status(run->s, run->id, &st);

    *ours = rc == PW_OK && st == PW_MSG_RECEIVED;
    return rc;
}

/* Everything the input yields, and its status, inside the open
 * transaction. */
static pw_rc store_yield(struct run *run)
{
    int ours = 0;
    pw_rc rc = still_ours(run, &ours);

    if (rc != PW_OK || !ours) {
        run->out->status = PW_INGEST_REPEATED;
        run->taken = 1;
        return rc;
    }
    rc = apply_batch(run);
    if (rc == PW_OK)
        rc = pw_ingest_summarise(run->out);
    if (rc == PW_OK)
        rc = record_outcome(run);
    return rc;
}

/* Everything the input yields, and its status, or nothing. */
static pw_rc store_batch(struct run *run)
{
    pw_rc rc = pw_store_begin(run->s);

    if (rc == PW_OK)
        rc = store_yield(run);
    if (rc == PW_OK && !run->taken)
        rc = pw_store_commit(run->s);
    if (rc != PW_OK || run->taken)
        pw_store_rollback(run->s);
    return rc;
}

/* The report's control reference is the stored input's id: one of its
 * own per report, which the sender can quote back. */
static pw_rc make_contrl(struct run *run)
{
    char now[32], ref[24];
    time_t t = time(NULL);
    struct tm tm;
    int accepted = run->out->status != PW_INGEST_REJECTED;

    /* CONTRL dates are YYMMDD:HHMM (UNB S004). */
    gmtime_r(&t, &tm);
    snprintf(now, sizeof(now), "%02d%02d%02d:%02d%02d", tm.tm_year % 100,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min);
    snprintf(ref, sizeof(ref), "%lld", (long long)run->id);
    run->out->contrl =
        pw_edi_contrl(run->b->interchange, accepted, NULL, now, ref);
    return run->out->contrl ? PW_OK : PW_ERR_NOMEM;
}

static pw_rc read_input(struct run *run, const char *data, size_t len)
{
    pw_rc rc = pw_reader_new(&run->reader);

    if (rc == PW_OK) {
        pw_reader_set_part_source(run->reader, fetch_parts, run);
        rc = pw_reader_read(run->reader, data, len, &run->b);
    }
    if (rc != PW_OK)
        return rc;
    pw_reader_waiting(run->reader, note_waiting, &run->w);
    if (run->w.nomem)
        return PW_ERR_NOMEM;
    snprintf(run->out->format, sizeof(run->out->format), "%s",
             run->b->format ? run->b->format : "");
    return PW_OK;
}

/* Reads the input, stores its yield in a transaction of its own (own
 * = 1) or the caller's, and makes the sender's CONTRL. */
static pw_rc process(struct run *run, const char *data, size_t len, int own)
{
    pw_rc rc = read_input(run, data, len);

    run->out->warnings = 0;
    if (rc == PW_OK)
        rc = own ? store_batch(run) : store_yield(run);
    if (rc == PW_OK && !run->taken) {
        run->out->warnings += pw_ingest_warnings(run->b->diags);
        rc = make_contrl(run);
    }
    pw_reader_free(run->reader);
    free(run->w.keys);
    free(run->w.have);
    return rc;
}

pw_rc pw_ingest_process(pw_store *s, int64_t message_id, const char *data,
                        size_t len, pw_ingest_report *out)
{
    pw_rules_seen rules = {0};
    struct run run = {.s = s, .id = message_id, .out = out, .rules = &rules};
    pw_rc rc = pw_ingest_screener(s, &run.sc);

    return rc == PW_OK ? process(&run, data, len, 1) : rc;
}

pw_rc pw_ingest_process_open(pw_store *s, struct screener *sc,
                             pw_rules_seen *rules, int64_t message_id,
                             const char *data, size_t len,
                             pw_ingest_report *out)
{
    struct run run = {
        .s = s, .id = message_id, .out = out, .sc = sc, .rules = rules};

    return process(&run, data, len, 0);
}

/* The store interface: picks the kind of store from the address and
 * hands every call to its operations. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "paxwatch/booking.h"
#include "store/store_impl.h"

pw_rc pw_store_fail(pw_store *s, pw_rc rc, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(s->errmsg, sizeof(s->errmsg), fmt, ap);
    va_end(ap);
    return rc;
}

void pw_store_now(char out[32])
{
    time_t t = time(NULL);
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

const char *pw_msg_status_name(pw_msg_status st)
{
    switch (st) {
    case PW_MSG_RECEIVED:
        return "received";
    case PW_MSG_ACCEPTED:
        return "accepted";
    case PW_MSG_REPEATED:
        return "repeated";
    case PW_MSG_WAITING:
        return "waiting";
    case PW_MSG_REJECTED:
        return "rejected";
    }
    return "unknown";
}

pw_rc pw_store_open(const char *address, pw_store **out)
{
    if (!out)
        return PW_ERR_INVALID;
    *out = NULL;
    if (!address || !*address)
        return PW_ERR_INVALID;
    if (!strncmp(address, "postgresql://", 13) ||
        !strncmp(address, "postgres://", 11))
        return PW_ERR_UNSUPPORTED;
    return pw_sqlite_open(address, out);
}

void pw_store_close(pw_store *s)
{
    if (!s)
        return;
    pw_store_attach(s, NULL, NULL);
    s->ops->close(s);
}

void pw_store_attach(pw_store *s, void *p, void (*free_fn)(void *))
{
    if (s->attached && s->attached_free)
        s->attached_free(s->attached);
    s->attached = p;
    s->attached_free = free_fn;
}

void *pw_store_attached(const pw_store *s)
{
    return s ? s->attached : NULL;
}

pw_rc pw_store_add_hit(pw_store *s, const pw_store_hit *h, int *added)
{
    int ignored;

    if (!s || !h || !h->identity || !h->list || !h->entry_id || !h->kind ||
        h->traveller_id <= 0)
        return PW_ERR_INVALID;
    return s->ops->add_hit(s, h, added ? added : &ignored);
}

pw_rc pw_store_set_screened(pw_store *s, int64_t traveller_id, int in_part)
{
    if (!s || traveller_id <= 0)
        return PW_ERR_INVALID;
    return s->ops->set_screened(s, traveller_id, in_part);
}

pw_rc pw_store_hits(pw_store *s, int64_t movement_id, pw_store_hit_cb cb,
                    void *ctx)
{
    if (!s || !cb)
        return PW_ERR_INVALID;
    return s->ops->hits(s, movement_id, cb, ctx);
}

const char *pw_store_errmsg(const pw_store *s)
{
    return s ? s->errmsg : "no store";
}

int pw_store_schema_version(pw_store *s)
{
    return s->ops->schema_version(s);
}

pw_rc pw_store_begin(pw_store *s)
{
    return s->ops->begin(s);
}

pw_rc pw_store_commit(pw_store *s)
{
    return s->ops->commit(s);
}

void pw_store_rollback(pw_store *s)
{
    s->ops->rollback(s);
}

pw_rc pw_store_find_message(pw_store *s, const char *sha256, int64_t *id,
                            pw_msg_status *status)
{
    if (!sha256)
        return PW_ERR_INVALID;
    return s->ops->find_message(s, sha256, id, status);
}

pw_rc pw_store_add_message(pw_store *s, const pw_store_raw *raw, int64_t *id)
{
    if (!raw || !raw->sha256 || (!raw->data && raw->len))
        return PW_ERR_INVALID;
    return s->ops->add_message(s, raw, id);
}

pw_rc pw_store_set_status(pw_store *s, int64_t id, const pw_store_outcome *o)
{
    if (!o)
        return PW_ERR_INVALID;
    return s->ops->set_status(s, id, o);
}

pw_rc pw_store_message_status(pw_store *s, int64_t id, pw_msg_status *status)
{
    return s->ops->message_status(s, id, status);
}

pw_rc pw_store_get_raw(pw_store *s, int64_t id, char **data, size_t *len)
{
    return s->ops->get_raw(s, id, data, len);
}

pw_rc pw_store_received(pw_store *s, int64_t *ids, size_t max, size_t *n)
{
    return s->ops->received(s, ids, max, n);
}

pw_rc pw_store_add_part(pw_store *s, int64_t message_id, const char *key,
                        unsigned number, int final, const char *text,
                        size_t len)
{
    if (!key || !text)
        return PW_ERR_INVALID;
    return s->ops->add_part(s, message_id, key, number, final, text, len);
}

pw_rc pw_store_each_part(pw_store *s, pw_store_part_cb cb, void *ctx)
{
    return s->ops->each_part(s, NULL, cb, ctx);
}

pw_rc pw_store_each_part_of(pw_store *s, const char *key, pw_store_part_cb cb,
                            void *ctx)
{
    if (!key)
        return PW_ERR_INVALID;
    return s->ops->each_part(s, key, cb, ctx);
}

pw_rc pw_store_count_parts(pw_store *s, size_t *n)
{
    return s->ops->count_parts(s, n);
}

pw_rc pw_store_parts_joined(pw_store *s, const char *key)
{
    return s->ops->parts_joined(s, key);
}

pw_rc pw_store_put_msg(pw_store *s, int64_t message_id, const pw_msg *m,
                       pw_store_put *out)
{
    pw_store_put ignored;

    if (!m)
        return PW_ERR_INVALID;
    return s->ops->put_msg(s, message_id, m, out ? out : &ignored, NULL);
}

pw_rc pw_store_put_msg_ids(pw_store *s, int64_t message_id, const pw_msg *m,
                           pw_store_put *out, int64_t *ids)
{
    pw_store_put ignored;

    if (!m || (!ids && pw_store_row_slots(m)))
        return PW_ERR_INVALID;
    return s->ops->put_msg(s, message_id, m, out ? out : &ignored, ids);
}

pw_rc pw_store_movements(pw_store *s, int64_t id, pw_store_movement_cb cb,
                         void *ctx)
{
    return s->ops->movements(s, id, cb, ctx);
}

pw_rc pw_store_legs(pw_store *s, int64_t movement_id, pw_store_leg_cb cb,
                    void *ctx)
{
    return s->ops->legs(s, movement_id, cb, ctx);
}

pw_rc pw_store_travellers(pw_store *s, const pw_store_query *q,
                          pw_store_traveller_cb cb, void *ctx)
{
    pw_store_query all_current = {0, 0};

    return s->ops->travellers(s, q ? q : &all_current, cb, ctx);
}

pw_rc pw_store_counts_get(pw_store *s, pw_store_counts *c)
{
    memset(c, 0, sizeof(*c));
    return s->ops->counts(s, c);
}

size_t pw_store_row_slots(const pw_msg *m)
{
    size_t n = m ? m->n_travellers : 0;

    for (size_t i = 0; m && i < m->n_bookings; i++)
        n += m->bookings[i].n_travellers;
    return n;
}

pw_rc pw_store_bookings(pw_store *s, int64_t movement_id, const char *locator,
                        pw_store_booking_cb cb, void *ctx)
{
    if (!s || !cb)
        return PW_ERR_INVALID;
    return s->ops->bookings(s, movement_id, locator, cb, ctx);
}

pw_rc pw_store_booking_versions(pw_store *s, int64_t booking_id,
                                pw_store_booking_version_cb cb, void *ctx)
{
    if (!s || !cb)
        return PW_ERR_INVALID;
    return s->ops->booking_versions(s, booking_id, cb, ctx);
}

pw_rc pw_store_booking_links(pw_store *s, int64_t booking_id,
                             pw_store_link_cb cb, void *ctx)
{
    if (!s || !cb)
        return PW_ERR_INVALID;
    return s->ops->booking_links(s, booking_id, cb, ctx);
}

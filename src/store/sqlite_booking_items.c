/* The values by which a booking version meets others in a traveller's
 * history (booking_items, migration 13): its contacts by type and its
 * addresses' streets, one row each (a value twice is kept once). They are
 * taken from the model as the booking is stored, the same values its
 * content holds (see booking_content.c), lower-cased as SQLite's
 * lower() does (ASCII letters only). Card numbers are not among them:
 * paxwatch keeps only their last four digits (pnrgov.c), which one
 * card in ten thousand shares, so they name no card. */
#include <stdlib.h>
#include <string.h>

#include "paxwatch/booking.h"
#include "store/sqlite_impl.h"

static char *lower_copy(const char *s)
{
    size_t n = strlen(s);
    char *c = malloc(n + 1);

    if (!c)
        return NULL;
    for (size_t i = 0; i <= n; i++)
        c[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a') : s[i];
    return c;
}

static void bind_item(sqlite3_stmt *st, int o, const struct sq_items *w,
                      size_t r)
{
    sqlite3_bind_int64(st, o + 1, w->version[r]);
    sqlite3_bind_text(st, o + 2, w->value[r], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, o + 3, w->how[r], -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, o + 4, w->version[r]);
}

void sq_items_drop(struct sq_items *w)
{
    for (size_t r = 0; r < w->n; r++)
        free(w->value[r]);
    w->n = 0;
}

/* A full queue in one statement, else a row a statement. */
pw_rc sq_items_flush(struct sq_put *p, struct sq_items *w)
{
    int full = w->n == SQ_ITEM_ROWS;
    size_t per = full ? SQ_ITEM_ROWS : 1;
    sqlite3_stmt *st;
    pw_rc rc = PW_OK;

    for (size_t r = 0; r < w->n && rc == PW_OK; r += per) {
        st = sq_stmt(p->q, full ? SQ_ADD_ITEMS : SQ_ADD_ITEM);
        if (!st)
            rc = PW_ERR_STORE;
        for (size_t k = 0; st && k < per; k++)
            bind_item(st, (int)k * 4, w, r + k);
        if (st)
            rc = sq_done(p->q, st, "storing booking values");
    }
    sq_items_drop(w);
    return rc;
}

/* Queues one value; value is the queue's from here on (NULL: no
 * memory). */
static pw_rc queue(struct sq_put *p, struct sq_items *w, int64_t version_id,
                   const char *how, char *value)
{
    if (!value)
        return PW_ERR_NOMEM;
    if (!*value) {
        free(value);
        return PW_OK;
    }
    w->version[w->n] = version_id;
    w->how[w->n] = how;
    w->value[w->n++] = value;
    return w->n == SQ_ITEM_ROWS ? sq_items_flush(p, w) : PW_OK;
}

pw_rc sq_items_add(struct sq_put *p, struct sq_items *w, int64_t version_id,
                   const struct pw_booking *b)
{
    pw_rc rc = PW_OK;

    for (size_t i = 0; i < b->n_contacts && rc == PW_OK; i++) {
        const pw_contact *k = &b->contacts[i];

        if (k->value)
            rc = queue(p, w, version_id, k->type ? k->type : "contact",
                       lower_copy(k->value));
    }
    for (size_t i = 0; i < b->n_addresses && rc == PW_OK; i++)
        if (b->addresses[i].street)
            rc = queue(p, w, version_id, "address",
                       lower_copy(b->addresses[i].street));
    return rc;
}

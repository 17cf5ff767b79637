/* Screening at ingest: the watchlist index built from the lists kept in
 * the store (once per connection, again when they change) and the hits
 * of each stored traveller, kept in the caller's transaction. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest_int.h"
#include "paxwatch/booking.h"
#include "paxwatch/screen.h"

#define MAX_LISTS 64
#define MAX_SIGNATURE 8192
#define MAX_QUERY_DOCS 8

struct screener {
    char signature[MAX_SIGNATURE];
    pw_watchlist *lists[MAX_LISTS];
    size_t n_lists, n_entries, failed;
    pw_screen_index *index; /* NULL when no list is stored */
    pw_screen_results res;
    size_t incomplete; /* travellers screened in part since last reset */
};

static void screener_free(void *p)
{
    struct screener *sc = p;

    if (!sc)
        return;
    pw_screen_results_free(&sc->res);
    pw_screen_index_free(sc->index);
    for (size_t i = 0; i < sc->n_lists; i++)
        pw_watchlist_free(sc->lists[i]);
    free(sc);
}

struct sig {
    char *buf;
    size_t used;
    int full;
};

static int add_signature(void *ctx, const pw_store_list *l)
{
    struct sig *g = ctx;
    int n = snprintf(g->buf + g->used, MAX_SIGNATURE - g->used,
                     "%s|%s|%s|%lld|%lld;", l->name, l->format,
                     l->loaded_at ? l->loaded_at : "", (long long)l->n_entries,
                     (long long)l->bytes);

    if (n < 0 || (size_t)n >= MAX_SIGNATURE - g->used) {
        g->full = 1;
        return 1;
    }
    g->used += (size_t)n;
    return 0;
}

/* What identifies the stored lists as they are now: name, load time,
 * counts and size of each. A change means the index must be rebuilt. */
static pw_rc lists_signature(pw_store *s, char out[MAX_SIGNATURE])
{
    struct sig g = {out, 0, 0};
    pw_rc rc;

    out[0] = '\0';
    rc = pw_store_lists(s, add_signature, &g);
    if (rc == PW_OK && g.full)
        return PW_ERR_LIMIT;
    return rc;
}

struct loading {
    pw_store *s;
    struct screener *sc;
    pw_rc rc;
};

/* A list that was read when stored but cannot be read now is counted
 * and left out; only running out of memory stops the build. */
static int load_one(void *ctx, const pw_store_list *l)
{
    struct loading *ld = ctx;
    struct screener *sc = ld->sc;
    pw_watchlist *wl = NULL;
    pw_rc rc;

    if (sc->n_lists == MAX_LISTS) {
        sc->failed++;
        return 0;
    }
    rc = pw_store_list_read(ld->s, l, &wl);
    if (rc != PW_OK) {
        pw_watchlist_free(wl);
        sc->failed++;
        ld->rc = rc == PW_ERR_NOMEM ? rc : PW_OK;
        return rc == PW_ERR_NOMEM;
    }
    sc->n_entries += wl->n_entries;
    sc->lists[sc->n_lists++] = wl;
    return 0;
}

static pw_rc build(pw_store *s, struct screener *sc)
{
    struct loading ld = {s, sc, PW_OK};
    pw_rc rc = pw_store_lists(s, load_one, &ld);

    if (rc == PW_OK)
        rc = ld.rc;
    if (rc == PW_OK && sc->n_lists)
        rc = pw_screen_index_build(sc->lists, sc->n_lists, &sc->index);
    return rc;
}

pw_rc pw_ingest_screener(pw_store *s, struct screener **out)
{
    struct screener *sc = pw_store_attached(s);
    char *sig = malloc(MAX_SIGNATURE);
    pw_rc rc;

    *out = NULL;
    if (!sig)
        return PW_ERR_NOMEM;
    rc = lists_signature(s, sig);
    if (rc == PW_OK && sc && !strcmp(sc->signature, sig)) {
        *out = sc;
        free(sig);
        return PW_OK;
    }
    sc = rc == PW_OK ? calloc(1, sizeof(*sc)) : NULL;
    if (rc == PW_OK && !sc)
        rc = PW_ERR_NOMEM;
    if (rc == PW_OK) {
        memcpy(sc->signature, sig, MAX_SIGNATURE);
        rc = build(s, sc);
    }
    free(sig);
    if (rc != PW_OK) {
        screener_free(sc);
        return rc;
    }
    pw_store_attach(s, sc, screener_free);
    *out = sc;
    return PW_OK;
}

pw_rc pw_ingest_screening(pw_store *s, size_t *lists, size_t *entries,
                          size_t *failed)
{
    struct screener *sc;
    pw_rc rc = s ? pw_ingest_screener(s, &sc) : PW_ERR_INVALID;

    if (rc != PW_OK)
        return rc;
    if (lists)
        *lists = sc->n_lists;
    if (entries)
        *entries = sc->n_entries;
    if (failed)
        *failed = sc->failed;
    return PW_OK;
}

void pw_ingest_identity(int64_t movement_id, const pw_traveller *t,
                        char hex[65])
{
    crypto_hash_sha256_state h;
    unsigned char digest[crypto_hash_sha256_BYTES];
    char mv[32];
    const char *parts[] = {t->surname, t->given_names, t->birth_date};

    snprintf(mv, sizeof(mv), "%lld", (long long)movement_id);
    crypto_hash_sha256_init(&h);
    crypto_hash_sha256_update(&h, (const unsigned char *)mv, strlen(mv));
    for (size_t i = 0; i < 3; i++) {
        const char *p = parts[i] ? parts[i] : "";
        crypto_hash_sha256_update(&h, (const unsigned char *)"\x1f", 1);
        crypto_hash_sha256_update(&h, (const unsigned char *)p, strlen(p));
    }
    crypto_hash_sha256_final(&h, digest);
    sodium_bin2hex(hex, 65, digest, sizeof(digest));
}

static const char *hit_kind(const pw_screen_hit *hit)
{
    for (size_t i = 0; i < hit->n_parts; i++)
        if (hit->parts[i].kind == PW_EXPL_DOCUMENT)
            return "document";
    return "name";
}

static pw_rc store_hit(pw_store *s, const pw_screen_hit *hit,
                       const pw_store_hit *base, size_t *added)
{
    pw_store_hit h = *base;
    char *expl = pw_screen_explain_json(hit);
    int new_hit = 0;
    pw_rc rc;

    if (!expl)
        return PW_ERR_NOMEM;
    h.list = hit->list;
    h.entry_id = hit->id ? hit->id : "";
    h.entry_name = hit->name;
    h.score = hit->score;
    h.explanation = expl;
    h.kind = hit_kind(hit);
    rc = pw_store_add_hit(s, &h, &new_hit);
    free(expl);
    *added += (size_t)new_hit;
    return rc;
}

static void make_query(const pw_traveller *t, pw_screen_query *q,
                       pw_screen_document *docs)
{
    size_t n =
        t->n_documents < MAX_QUERY_DOCS ? t->n_documents : MAX_QUERY_DOCS;

    memset(q, 0, sizeof(*q));
    q->surname = t->surname;
    q->given_names = t->given_names;
    q->birth_date = t->birth_date;
    q->nationality = t->nationality;
    q->sex = t->sex;
    for (size_t i = 0; i < n; i++) {
        docs[i].type = t->documents[i].type;
        docs[i].number = t->documents[i].number;
        docs[i].issuer = t->documents[i].issuer;
    }
    q->documents = docs;
    q->n_documents = n;
}

/* A name the matcher refuses (too long, not UTF-8) is screened by its
 * documents alone rather than not at all. Either way, and when the
 * index could not promise every hit, the traveller counts as screened
 * in part (*in_part set). */
static pw_rc match(struct screener *sc, pw_screen_query *q, int *in_part)
{
    pw_rc rc = pw_screen_match(sc->index, q, PW_SCREEN_DEFAULT_THRESHOLD,
                               PW_SCREEN_DEFAULT_LIMIT, &sc->res);

    *in_part = rc == PW_OK && sc->res.partial;
    if (rc != PW_ERR_LIMIT && rc != PW_ERR_SYNTAX)
        return rc;
    *in_part = 1;
    if (!q->n_documents)
        return rc;
    q->surname = q->given_names = q->name = NULL;
    rc = pw_screen_match(sc->index, q, PW_SCREEN_DEFAULT_THRESHOLD,
                         PW_SCREEN_DEFAULT_LIMIT, &sc->res);
    return rc == PW_ERR_INVALID ? PW_OK : rc;
}

/* Screens traveller t (row base->traveller_id) and stores its hits;
 * *in_part set when it was screened in part (counted in sc too). */
static pw_rc screen_one(pw_store *s, struct screener *sc, const pw_traveller *t,
                        const pw_store_hit *base, size_t *added, int *in_part)
{
    pw_screen_document docs[MAX_QUERY_DOCS];
    pw_screen_query q;
    pw_store_hit b = *base;
    char id[65];
    pw_rc rc;

    make_query(t, &q, docs);
    rc = match(sc, &q, in_part);
    sc->incomplete += (size_t)*in_part;
    if (rc == PW_ERR_LIMIT || rc == PW_ERR_SYNTAX || rc == PW_ERR_INVALID)
        return PW_OK;
    if (rc != PW_OK || sc->res.n == 0)
        return rc;
    pw_ingest_identity(b.movement_id, t, id);
    b.identity = id;
    for (size_t i = 0; i < sc->res.n && rc == PW_OK; i++)
        rc = store_hit(s, &sc->res.hits[i], &b, added);
    return rc;
}

/* Screens a newly stored traveller: its row says so when screened in
 * part (a new row says "in full"). */
static pw_rc screen_new(pw_store *s, struct screener *sc, const pw_traveller *t,
                        const pw_store_hit *base, size_t *added)
{
    int in_part = 0;
    pw_rc rc = screen_one(s, sc, t, base, added, &in_part);

    if (rc == PW_OK && in_part)
        rc = pw_store_set_screened(s, base->traveller_id, 1);
    return rc;
}

/* The travellers of a booking stored as rows ids (0: the booking was
 * stored before as is, so they were screened then). */
static pw_rc screen_booking(pw_store *s, struct screener *sc,
                            const pw_booking *bk, const int64_t *ids,
                            const pw_store_hit *base, size_t *added)
{
    pw_store_hit b = *base;
    pw_rc rc = PW_OK;

    for (size_t i = 0; i < bk->n_travellers && rc == PW_OK; i++) {
        if (!ids[i])
            continue;
        b.traveller_id = ids[i];
        rc = screen_new(s, sc, &bk->travellers[i], &b, added);
    }
    return rc;
}

pw_rc pw_ingest_screen_msg(pw_store *s, struct screener *sc, const pw_msg *m,
                           const int64_t *ids, int64_t movement_id,
                           size_t *added, size_t *incomplete)
{
    pw_store_hit base = {.movement_id = movement_id};
    pw_rc rc = PW_OK;

    *added = 0;
    *incomplete = 0;
    if (!sc || !sc->index)
        return PW_OK;
    sc->incomplete = 0;
    for (size_t i = 0; i < m->n_travellers && rc == PW_OK; i++) {
        if (!ids[i])
            continue;
        base.traveller_id = ids[i];
        rc = screen_new(s, sc, &m->travellers[i], &base, added);
    }
    ids += m->n_travellers;
    for (size_t b = 0; b < m->n_bookings && rc == PW_OK; b++) {
        rc = screen_booking(s, sc, &m->bookings[b], ids, &base, added);
        ids += m->bookings[b].n_travellers;
    }
    *incomplete = sc->incomplete;
    return rc;
}

/* ---- Screening stored travellers again (after a list is loaded) ---- */

#define RESCREEN_BATCH 1000
#define RESCREEN_MAX_MOVEMENTS ((size_t)10000000)

struct window {
    const char *since; /* NULL: every movement */
    int64_t *ids;
    size_t n, cap;
    pw_rc rc;
};

static int grow_window(struct window *w)
{
    size_t cap = w->cap ? w->cap * 2 : 256;
    int64_t *ids;

    if (w->n == RESCREEN_MAX_MOVEMENTS) {
        w->rc = PW_ERR_LIMIT;
        return 0;
    }
    if (cap > RESCREEN_MAX_MOVEMENTS)
        cap = RESCREEN_MAX_MOVEMENTS;
    ids = realloc(w->ids, cap * sizeof(*ids));
    if (!ids) {
        w->rc = PW_ERR_NOMEM;
        return 0;
    }
    w->ids = ids;
    w->cap = cap;
    return 1;
}

/* ISO dates compare as text, so the window is a string comparison. */
static int add_movement(void *ctx, const pw_store_movement *mv)
{
    struct window *w = ctx;

    if (w->since && (!mv->date || strcmp(mv->date, w->since) < 0))
        return 0;
    if (w->n == w->cap && !grow_window(w))
        return 1;
    w->ids[w->n++] = mv->id;
    return 0;
}

struct rescreen {
    pw_store *s;
    struct screener *sc;
    pw_rescreen_report batch; /* counts of the open transaction */
    pw_rc rc;
};

static int rescreen_traveller(void *ctx, const pw_store_traveller *tr)
{
    struct rescreen *r = ctx;
    pw_store_hit base = {.traveller_id = tr->id,
                         .movement_id = tr->movement_id};
    size_t added = 0;
    int in_part = 0;

    if (!tr->current || tr->cancelled)
        return 0;
    r->rc = screen_one(r->s, r->sc, &tr->t, &base, &added, &in_part);
    if (r->rc == PW_OK && in_part != tr->screened_in_part)
        r->rc = pw_store_set_screened(r->s, tr->id, in_part);
    r->batch.travellers++;
    r->batch.hits += added;
    return r->rc != PW_OK;
}

/* Movements from ids[*next] on until about RESCREEN_BATCH travellers
 * are screened, in one transaction; the counts join report on commit. */
static pw_rc rescreen_batch(struct rescreen *r, const struct window *w,
                            size_t *next, pw_rescreen_report *report)
{
    pw_store_query q = {0};
    pw_rc rc = pw_store_begin(r->s);

    memset(&r->batch, 0, sizeof(r->batch));
    while (rc == PW_OK && *next < w->n &&
           r->batch.travellers < RESCREEN_BATCH) {
        q.movement_id = w->ids[(*next)++];
        r->rc = PW_OK;
        rc = pw_store_travellers(r->s, &q, rescreen_traveller, r);
        if (rc == PW_ERR_NOTFOUND)
            rc = PW_OK;
        if (rc == PW_OK)
            rc = r->rc;
        r->batch.movements++;
    }
    if (rc == PW_OK)
        rc = pw_store_commit(r->s);
    if (rc != PW_OK) {
        pw_store_rollback(r->s);
        return rc;
    }
    report->movements += r->batch.movements;
    report->travellers += r->batch.travellers;
    report->hits += r->batch.hits;
    return PW_OK;
}

static int valid_date(const char *d)
{
    static const char shape[] = "dddd-dd-dd";

    if (strlen(d) != sizeof(shape) - 1)
        return 0;
    for (size_t i = 0; shape[i]; i++)
        if (shape[i] == 'd' ? (d[i] < '0' || d[i] > '9') : d[i] != '-')
            return 0;
    return 1;
}

pw_rc pw_ingest_rescreen(pw_store *s, const char *since_date,
                         pw_rescreen_report *report)
{
    struct window w = {.since = since_date};
    struct rescreen r = {.s = s};
    size_t next = 0;
    pw_rc rc;

    if (!s || !report || (since_date && !valid_date(since_date)))
        return PW_ERR_INVALID;
    memset(report, 0, sizeof(*report));
    rc = pw_ingest_screener(s, &r.sc);
    if (rc != PW_OK || !r.sc->index)
        return rc;
    rc = pw_store_movements(s, 0, add_movement, &w);
    if (rc == PW_OK)
        rc = w.rc;
    while (rc == PW_OK && next < w.n)
        rc = rescreen_batch(&r, &w, &next, report);
    free(w.ids);
    return rc;
}

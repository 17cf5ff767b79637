/* The review of hits in the SQLite store: listing with their status,
 * the allowed steps between states, each step kept in hit_reviews, and
 * the hits rules raise. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "paxwatch/review.h"
#include "store/sqlite_impl.h"

static const char *const status_names[] = {
    NULL, "new", "in_review", "confirmed", "dismissed", "reopened",
};

#define N_STATUS ((int)(sizeof(status_names) / sizeof(status_names[0])))

const char *pw_hit_status_name(pw_hit_status st)
{
    if ((int)st <= 0 || (int)st >= N_STATUS)
        return "unknown";
    return status_names[st];
}

pw_hit_status pw_hit_status_from(const char *name)
{
    if (!name)
        return 0;
    for (int i = 1; i < N_STATUS; i++)
        if (!strcasecmp(name, status_names[i]))
            return (pw_hit_status)i;
    if (!strcasecmp(name, "in-review") || !strcasecmp(name, "in review"))
        return PW_HIT_IN_REVIEW;
    if (!strcasecmp(name, "re-opened"))
        return PW_HIT_REOPENED;
    return 0;
}

int pw_hit_transition_ok(pw_hit_status from, pw_hit_status to)
{
    switch (from) {
    case PW_HIT_NEW:
    case PW_HIT_REOPENED:
        return to == PW_HIT_IN_REVIEW || to == PW_HIT_CONFIRMED ||
               to == PW_HIT_DISMISSED;
    case PW_HIT_IN_REVIEW:
        return to == PW_HIT_CONFIRMED || to == PW_HIT_DISMISSED ||
               to == PW_HIT_NEW;
    case PW_HIT_CONFIRMED:
    case PW_HIT_DISMISSED:
        return to == PW_HIT_REOPENED;
    }
    return 0;
}

/* "in_review, confirmed or dismissed": where from may go. */
static void allowed(pw_hit_status from, char *out, size_t cap)
{
    size_t used = 0, n = 0, total = 0;

    out[0] = '\0';
    for (int i = 1; i < N_STATUS; i++)
        total += (size_t)pw_hit_transition_ok(from, (pw_hit_status)i);
    for (int i = 1; i < N_STATUS && used < cap; i++) {
        if (!pw_hit_transition_ok(from, (pw_hit_status)i))
            continue;
        n++;
        used += (size_t)snprintf(out + used, cap - used, "%s%s",
                                 n == 1       ? ""
                                 : n == total ? " or "
                                              : ", ",
                                 status_names[i]);
    }
}

static pw_rc prepare(sq_store *q, const char *sql, sqlite3_stmt **st)
{
    if (sqlite3_prepare_v2(q->db, sql, -1, st, NULL) != SQLITE_OK)
        return sq_fail(q, "preparing a review statement");
    return PW_OK;
}

static pw_rc current_status(sq_store *q, int64_t hit_id, pw_hit_status *st)
{
    sqlite3_stmt *stmt;
    pw_rc rc = prepare(q, "SELECT status FROM hits WHERE id = ?", &stmt);
    int step;

    if (rc != PW_OK)
        return rc;
    sqlite3_bind_int64(stmt, 1, hit_id);
    step = sqlite3_step(stmt);
    if (step == SQLITE_ROW)
        *st = pw_hit_status_from(sq_col(stmt, 0));
    sqlite3_finalize(stmt);
    if (step == SQLITE_DONE)
        return pw_store_fail(&q->base, PW_ERR_NOTFOUND, "no hit %lld",
                             (long long)hit_id);
    if (step != SQLITE_ROW)
        return sq_fail(q, "reading a hit's status");
    return PW_OK;
}

static pw_rc check_step(sq_store *q, int64_t hit_id, pw_hit_status from,
                        pw_hit_status to, const char *reason)
{
    char next[96];

    if (!pw_hit_status_name(to) || !strcmp(pw_hit_status_name(to), "unknown"))
        return pw_store_fail(&q->base, PW_ERR_INVALID, "unknown status");
    if (!pw_hit_transition_ok(from, to)) {
        allowed(from, next, sizeof(next));
        return pw_store_fail(&q->base, PW_ERR_INVALID,
                             "hit %lld is %s and cannot become %s; from %s "
                             "it may become %s",
                             (long long)hit_id, pw_hit_status_name(from),
                             pw_hit_status_name(to), pw_hit_status_name(from),
                             next[0] ? next : "nothing");
    }
    if (to == PW_HIT_DISMISSED && (!reason || !*reason))
        return pw_store_fail(&q->base, PW_ERR_INVALID,
                             "dismissing hit %lld needs a reason",
                             (long long)hit_id);
    return PW_OK;
}

static pw_rc exec_bound(sq_store *q, sqlite3_stmt *st, const char *doing)
{
    int rc = sqlite3_step(st);

    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return sq_fail(q, doing);
    return PW_OK;
}

static pw_rc record_step(sq_store *q, int64_t hit_id, pw_hit_status from,
                         pw_hit_status to, const char *who, const char *reason)
{
    sqlite3_stmt *st;
    char now[32];
    pw_rc rc = prepare(q,
                       "INSERT INTO hit_reviews (hit_id, from_status, "
                       "to_status, who, at, reason) VALUES (?, ?, ?, ?, ?, ?)",
                       &st);

    if (rc != PW_OK)
        return rc;
    pw_store_now(now);
    sqlite3_bind_int64(st, 1, hit_id);
    sq_text(st, 2, pw_hit_status_name(from));
    sq_text(st, 3, pw_hit_status_name(to));
    sq_text(st, 4, who);
    sq_text(st, 5, now);
    sq_text(st, 6, reason && *reason ? reason : NULL);
    rc = exec_bound(q, st, "recording a review step");
    if (rc != PW_OK)
        return rc;
    rc = prepare(q, "UPDATE hits SET status = ? WHERE id = ?", &st);
    if (rc != PW_OK)
        return rc;
    sq_text(st, 1, pw_hit_status_name(to));
    sqlite3_bind_int64(st, 2, hit_id);
    return exec_bound(q, st, "changing a hit's status");
}

static pw_rc review(sq_store *q, int64_t hit_id, pw_hit_status to,
                    const char *who, const char *reason, pw_hit_status *from)
{
    pw_rc rc = current_status(q, hit_id, from);

    if (rc == PW_OK)
        rc = check_step(q, hit_id, *from, to, reason);
    if (rc == PW_OK)
        rc = record_step(q, hit_id, *from, to, who, reason);
    return rc;
}

pw_rc pw_hit_review(pw_store *s, int64_t hit_id, pw_hit_status to,
                    const char *who, const char *reason, pw_hit_status *from)
{
    sq_store *q = (sq_store *)s;
    pw_hit_status was = 0;
    int own;
    pw_rc rc;

    if (!s || hit_id <= 0 || !who || !*who)
        return PW_ERR_INVALID;
    if (strlen(who) > PW_REVIEW_MAX_WHO ||
        (reason && strlen(reason) > PW_REVIEW_MAX_REASON))
        return pw_store_fail(s, PW_ERR_LIMIT, "reason or name too long");
    own = !q->in_tx;
    rc = own ? pw_store_begin(s) : PW_OK;
    if (rc != PW_OK)
        return rc;
    rc = review(q, hit_id, to, who, reason, &was);
    if (own && rc == PW_OK)
        rc = pw_store_commit(s);
    if (own && rc != PW_OK)
        pw_store_rollback(s);
    if (from)
        *from = was;
    return rc;
}

#define HIT_SELECT                                                             \
    "SELECT h.id, h.traveller_id, h.movement_id, h.list_name, "                \
    "h.entry_id, h.entry_name, h.score, h.explanation, h.kind, "               \
    "h.status, h.created_at, t.surname, t.given_names, t.role, "               \
    "m.carrier, m.number, m.vessel_name, m.first_date, h.rule_version, "       \
    "h.severity, h.category, (SELECT COUNT(*) FROM hit_reviews r WHERE "       \
    "r.hit_id = h.id) FROM hits h LEFT JOIN travellers t ON t.id = "           \
    "h.traveller_id LEFT JOIN movements m ON m.id = h.movement_id "

static void review_row(sqlite3_stmt *st, pw_review_hit *r)
{
    pw_store_hit *h = &r->hit;

    memset(r, 0, sizeof(*r));
    h->id = sqlite3_column_int64(st, 0);
    h->traveller_id = sqlite3_column_int64(st, 1);
    h->movement_id = sqlite3_column_int64(st, 2);
    h->list = sq_col(st, 3);
    h->entry_id = sq_col(st, 4);
    h->entry_name = sq_col(st, 5);
    h->score = sqlite3_column_double(st, 6);
    h->explanation = sq_col(st, 7);
    h->kind = sq_col(st, 8);
    h->status = sq_col(st, 9);
    h->created_at = sq_col(st, 10);
    h->surname = sq_col(st, 11);
    h->given_names = sq_col(st, 12);
    h->role = sq_col(st, 13);
    h->carrier = sq_col(st, 14);
    h->number = sq_col(st, 15);
    h->vessel = sq_col(st, 16);
    h->date = sq_col(st, 17);
    r->rule_version = (unsigned)sqlite3_column_int(st, 18);
    r->severity = sq_col(st, 19);
    r->category = sq_col(st, 20);
    r->reviews = (size_t)sqlite3_column_int64(st, 21);
}

pw_rc pw_review_hits(pw_store *s, const pw_hit_filter *f, pw_review_hit_cb cb,
                     void *ctx)
{
    sq_store *q = (sq_store *)s;
    pw_hit_filter none = {0};
    sqlite3_stmt *st;
    pw_review_hit r;
    int rc;

    if (!s || !cb)
        return PW_ERR_INVALID;
    f = f ? f : &none;
    if (prepare(q,
                HIT_SELECT "WHERE (?1 IS NULL OR h.status = ?1) AND (?2 = 0 "
                           "OR h.movement_id = ?2) AND (?3 = 0 OR h.id = ?3) "
                           "ORDER BY h.id",
                &st) != PW_OK)
        return PW_ERR_STORE;
    sq_text(st, 1, f->status ? pw_hit_status_name(f->status) : NULL);
    sqlite3_bind_int64(st, 2, f->movement_id);
    sqlite3_bind_int64(st, 3, f->hit_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        review_row(st, &r);
        if (cb(ctx, &r))
            break;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return sq_fail(q, "listing hits");
    return PW_OK;
}

pw_rc pw_hit_steps(pw_store *s, int64_t hit_id, pw_hit_step_cb cb, void *ctx)
{
    sq_store *q = (sq_store *)s;
    sqlite3_stmt *st;
    pw_hit_step step;
    int rc;

    if (!s || !cb)
        return PW_ERR_INVALID;
    if (prepare(q,
                "SELECT from_status, to_status, who, at, reason FROM "
                "hit_reviews WHERE hit_id = ? ORDER BY id",
                &st) != PW_OK)
        return PW_ERR_STORE;
    sqlite3_bind_int64(st, 1, hit_id);
    step.hit_id = hit_id;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        step.from = sq_col(st, 0);
        step.to = sq_col(st, 1);
        step.who = sq_col(st, 2);
        step.at = sq_col(st, 3);
        step.reason = sq_col(st, 4);
        if (cb(ctx, &step))
            break;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return sq_fail(q, "listing review steps");
    return PW_OK;
}

static pw_rc bind_rule_hit(sqlite3_stmt *st, const pw_store_hit *h,
                           unsigned version, const char *severity,
                           const char *category, const char *now)
{
    sqlite3_bind_int64(st, 1, h->traveller_id);
    sqlite3_bind_int64(st, 2, h->movement_id);
    sq_text(st, 3, h->identity);
    sq_text(st, 4, h->entry_id);
    sq_text(st, 5, h->entry_name ? h->entry_name : h->entry_id);
    sqlite3_bind_double(st, 6, h->score);
    sq_text(st, 7, h->explanation);
    sq_text(st, 8, now);
    sqlite3_bind_int(st, 9, (int)version);
    sq_text(st, 10, severity);
    sq_text(st, 11, category);
    return PW_OK;
}

pw_rc pw_review_add_rule_hit(pw_store *s, const pw_store_hit *h,
                             unsigned rule_version, const char *severity,
                             const char *category, int *added)
{
    sq_store *q = (sq_store *)s;
    sqlite3_stmt *st;
    char now[32];
    pw_rc rc;

    if (!s || !h || !h->identity || !h->entry_id || h->traveller_id <= 0)
        return PW_ERR_INVALID;
    rc = prepare(q,
                 "INSERT INTO hits (traveller_id, movement_id, identity, "
                 "list_name, entry_id, entry_name, score, explanation, kind, "
                 "status, created_at, rule_version, severity, category) "
                 "VALUES (?1, ?2, ?3, '(rule)', ?4, ?5, ?6, ?7, 'rule', "
                 "'new', ?8, ?9, ?10, ?11) ON CONFLICT (identity, list_name, "
                 "entry_id) DO NOTHING",
                 &st);
    if (rc != PW_OK)
        return rc;
    pw_store_now(now);
    (void)bind_rule_hit(st, h, rule_version, severity, category, now);
    rc = exec_bound(q, st, "storing a rule hit");
    if (added)
        *added = rc == PW_OK && sqlite3_changes(q->db) > 0;
    return rc;
}

/* Endpoints for screening hits and their review. An officer sees only
 * confirmed hits (confirmed lookouts). */
#include <stdio.h>
#include <string.h>

#include "paxwatch/review.h"
#include "server/server.h"

struct hit_page {
    json_t *items;
    size_t skip, limit, seen;
    int more, explain;
};

static json_t *hit_json(const pw_review_hit *r, int explain)
{
    const pw_store_hit *h = &r->hit;
    json_t *o = json_pack(
        "{sI sI sI so so so sf so so so so so so so}", "id", (json_int_t)h->id,
        "traveller_id", (json_int_t)h->traveller_id, "movement_id",
        (json_int_t)h->movement_id, "list", pw_srv_str(h->list), "entry_id",
        pw_srv_str(h->entry_id), "entry_name", pw_srv_str(h->entry_name),
        "score", h->score, "kind", pw_srv_str(h->kind), "status",
        pw_srv_str(h->status), "created_at", pw_srv_str(h->created_at),
        "surname", pw_srv_str(h->surname), "given_names",
        pw_srv_str(h->given_names), "severity", pw_srv_str(r->severity),
        "category", pw_srv_str(r->category));

    if (o && explain && h->explanation)
        json_object_set_new(o, "explanation",
                            json_loads(h->explanation, 0, NULL));
    if (o)
        json_object_set_new(o, "reviews", json_integer((json_int_t)r->reviews));
    return o;
}

static int add_hit(void *ctx, const pw_review_hit *r)
{
    struct hit_page *p = ctx;

    p->seen++;
    if (p->seen <= p->skip)
        return 0;
    if (json_array_size(p->items) == p->limit) {
        p->more = 1;
        return 1;
    }
    json_array_append_new(p->items, hit_json(r, p->explain));
    return 0;
}

/* The filter from ?status=&movement=; an officer's is always
 * confirmed. -1 with a 400 answered when a value is bad. */
static int hit_filter(pw_srv_req *rq, pw_srv_resp *rs, pw_hit_filter *f)
{
    const char *st = pw_srv_query(rq, "status");
    const char *mv = pw_srv_query(rq, "movement");

    memset(f, 0, sizeof *f);
    if (st && !(f->status = pw_hit_status_from(st))) {
        pw_srv_error(rs, 400,
                     "unknown status (new, in_review, confirmed, "
                     "dismissed, reopened)");
        return -1;
    }
    if (mv && pw_srv_id(mv, rs, &f->movement_id) != 0)
        return -1;
    if (rq->who.role == PW_ROLE_OFFICER) {
        if (f->status && f->status != PW_HIT_CONFIRMED)
            f->status = (pw_hit_status)-1; /* matches nothing */
        else
            f->status = PW_HIT_CONFIRMED;
    }
    return 0;
}

int pw_api_hits(pw_srv_req *rq, pw_srv_resp *rs)
{
    struct hit_page p = {0};
    pw_hit_filter f;
    pw_rc rc = PW_OK;

    if (hit_filter(rq, rs, &f) != 0 ||
        pw_srv_page(rq, rs, &p.limit, &p.skip) != 0)
        return 0;
    p.items = json_array();
    if (f.status != (pw_hit_status)-1)
        rc = pw_review_hits(rq->store, &f, add_hit, &p);
    if (rc != PW_OK) {
        json_decref(p.items);
        return pw_srv_fail(rs, rq, rc, "listing hits");
    }
    pw_srv_audit(rq, "hit.list", pw_srv_query(rq, "movement"), "ok");
    return pw_srv_json(rs, 200,
                       json_pack("{so sI sI sb}", "hits", p.items, "offset",
                                 (json_int_t)p.skip, "limit",
                                 (json_int_t)p.limit, "more", p.more));
}

static int add_step(void *ctx, const pw_hit_step *st)
{
    json_array_append_new(
        ctx, json_pack("{so so so so so}", "from", pw_srv_str(st->from), "to",
                       pw_srv_str(st->to), "who", pw_srv_str(st->who), "at",
                       pw_srv_str(st->at), "reason", pw_srv_str(st->reason)));
    return 0;
}

int pw_api_hit(pw_srv_req *rq, pw_srv_resp *rs)
{
    struct hit_page p = {.limit = 1, .explain = 1};
    pw_hit_filter f = {0};
    json_t *hit, *steps;
    pw_rc rc;

    if (pw_srv_id(rq->args[0], rs, &f.hit_id) != 0)
        return 0;
    if (rq->who.role == PW_ROLE_OFFICER)
        f.status = PW_HIT_CONFIRMED;
    p.items = json_array();
    rc = pw_review_hits(rq->store, &f, add_hit, &p);
    hit = json_array_get(p.items, 0);
    if (rc != PW_OK || !hit) {
        json_decref(p.items);
        return pw_srv_fail(rs, rq, rc ? rc : PW_ERR_NOTFOUND,
                           "reading the hit");
    }
    steps = json_array();
    rc = pw_hit_steps(rq->store, f.hit_id, add_step, steps);
    json_object_set_new(hit, "steps", steps);
    json_incref(hit);
    json_decref(p.items);
    if (rc != PW_OK) {
        json_decref(hit);
        return pw_srv_fail(rs, rq, rc, "reading the hit's reviews");
    }
    pw_srv_audit(rq, "hit.read", rq->args[0], "ok");
    return pw_srv_json(rs, 200, hit);
}

static int reviewed(pw_srv_req *rq, pw_srv_resp *rs, int64_t id,
                    pw_hit_status from, pw_hit_status to)
{
    return pw_srv_json(rs, 200,
                       json_pack("{sI ss ss ss}", "id", (json_int_t)id, "from",
                                 pw_hit_status_name(from), "to",
                                 pw_hit_status_name(to), "by", rq->who.name));
}

int pw_api_hit_review(pw_srv_req *rq, pw_srv_resp *rs)
{
    json_t *o = pw_srv_body_json(rq, rs);
    const char *st = o ? pw_srv_field(o, "status", 1, rs) : NULL;
    const char *reason = st ? pw_srv_field(o, "reason", 0, rs) : NULL;
    pw_hit_status to = pw_hit_status_from(st), from = 0;
    int64_t id;
    pw_rc rc;

    if (!st || rs->body || pw_srv_id(rq->args[0], rs, &id) != 0) {
        json_decref(o);
        return 0;
    }
    if (!to) {
        json_decref(o);
        return pw_srv_error(rs, 400, "unknown status");
    }
    rc = pw_srv_change_begin(rq);
    if (rc == PW_OK)
        rc = pw_hit_review(rq->store, id, to, rq->who.name, reason, &from);
    if (rc == PW_OK)
        pw_srv_audit(rq, "hit.review", rq->args[0], pw_hit_status_name(to));
    rc = pw_srv_change_end(rq, rc);
    json_decref(o);
    if (rc == PW_ERR_INVALID)
        return pw_srv_error(rs, 409, "%s", pw_store_errmsg(rq->store));
    if (rc != PW_OK)
        return pw_srv_fail(rs, rq, rc, "reviewing the hit");
    return reviewed(rq, rs, id, from, to);
}

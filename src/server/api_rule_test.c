/* POST /api/rules/test: runs a rule text over stored traffic (since a
 * date) and answers what would fire, storing nothing. */
#include <stdlib.h>
#include <string.h>

#include "paxwatch/arena.h"
#include "paxwatch/review.h"
#include "server/server.h"

#define MAX_LEGS 32
/* Most firings listed in one answer; the count goes on. */
#define MAX_LISTED 1000

struct trial {
    pw_store *s;
    const pw_ruleset *rs;
    pw_rule_context ctx;
    pw_rule_hits hits;
    pw_arena arena;
    pw_movement mv;
    pw_leg legs[MAX_LEGS];
    json_t *fired;
    size_t travellers, n_fired, movements;
    int nomem;
};

static const char *keep(pw_arena *a, const char *s)
{
    return s ? pw_arena_strdup(a, s) : NULL;
}

static int keep_leg(void *vctx, int64_t movement_id, unsigned seq,
                    const pw_leg *leg)
{
    struct trial *t = vctx;
    pw_leg *l;

    if (t->mv.n_legs == MAX_LEGS)
        return 0;
    l = &t->legs[t->mv.n_legs++];
    l->carrier = keep(&t->arena, leg->carrier);
    l->number = keep(&t->arena, leg->number);
    l->from = keep(&t->arena, leg->from);
    l->to = keep(&t->arena, leg->to);
    l->departure.utc = keep(&t->arena, leg->departure.utc);
    l->departure.local = keep(&t->arena, leg->departure.local);
    l->arrival.utc = keep(&t->arena, leg->arrival.utc);
    l->arrival.local = keep(&t->arena, leg->arrival.local);
    return 0;
}

/* Why it fired, value by value, as a stored rule hit explains it. */
static json_t *reasons(const pw_rule_hits *hs, const pw_rule_hit *hit)
{
    json_t *a = json_array();

    for (size_t i = 0; a && i < hit->n_reasons; i++) {
        const pw_rule_reason *r = &hs->reasons[hit->first_reason + i];
        json_array_append_new(
            a, json_pack("{ss ss}", "field", r->field, "value", r->value));
    }
    return a;
}

static void list_fired(struct trial *t, const pw_store_traveller *tr,
                       const pw_rule_hit *hit)
{
    pw_rule_info info;

    t->n_fired++;
    if (json_array_size(t->fired) >= MAX_LISTED ||
        pw_ruleset_info(t->rs, hit->rule, &info) != PW_OK)
        return;
    json_array_append_new(
        t->fired, json_pack("{sI sI ss ss so*}", "movement_id",
                            (json_int_t)tr->movement_id, "traveller_id",
                            (json_int_t)tr->id, "rule", info.name, "severity",
                            pw_rule_severity_name(info.severity), "reasons",
                            reasons(&t->hits, hit)));
}

static int try_traveller(void *vctx, const pw_store_traveller *tr)
{
    struct trial *t = vctx;
    pw_rule_subject subj = {&tr->t, &t->mv, NULL, -1};
    pw_rc rc = pw_rules_eval(t->rs, &subj, &t->ctx, &t->hits);

    t->travellers++;
    if (rc == PW_ERR_NOMEM) {
        t->nomem = 1;
        return 1;
    }
    for (size_t i = 0; rc == PW_OK && i < t->hits.n; i++)
        list_fired(t, tr, &t->hits.items[i]);
    return 0;
}

static pw_rc try_movement(struct trial *t, int64_t id)
{
    pw_store_query q = {.movement_id = id};
    pw_rc rc;

    pw_arena_init(&t->arena, 0);
    memset(t->legs, 0, sizeof t->legs);
    memset(&t->mv, 0, sizeof t->mv);
    t->mv.mode = PW_MODE_AIR;
    t->mv.legs = t->legs;
    rc = pw_store_legs(t->s, id, keep_leg, t);
    if (rc == PW_OK)
        rc = pw_store_travellers(t->s, &q, try_traveller, t);
    pw_arena_free(&t->arena);
    t->movements++;
    return rc;
}

struct ids {
    int64_t *v;
    size_t n, cap;
    const char *since;
    int nomem;
};

static int keep_id(void *vctx, const pw_store_movement *mv)
{
    struct ids *m = vctx;

    if (m->since && (!mv->date || strcmp(mv->date, m->since) < 0))
        return 0;
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        int64_t *more = realloc(m->v, cap * sizeof *more);
        if (!more)
            return m->nomem = 1;
        m->v = more;
        m->cap = cap;
    }
    m->v[m->n++] = mv->id;
    return 0;
}

static pw_rc run_trial(struct trial *t, const char *since)
{
    struct ids m = {.since = since};
    pw_rc rc = pw_store_movements(t->s, 0, keep_id, &m);

    t->ctx.history_count = pw_history_count;
    t->ctx.user = t->s;
    if (rc == PW_OK && m.nomem)
        rc = PW_ERR_NOMEM;
    for (size_t i = 0; rc == PW_OK && i < m.n && !t->nomem; i++)
        rc = try_movement(t, m.v[i]);
    free(m.v);
    pw_rule_hits_free(&t->hits);
    return rc == PW_OK && t->nomem ? PW_ERR_NOMEM : rc;
}

/* Each compile problem with its line and column, for the editor. */
static json_t *problem_list(const pw_rule_problems *pr)
{
    json_t *a = json_array();

    for (size_t i = 0; a && i < pr->n; i++)
        json_array_append_new(
            a, json_pack("{sI sI ss ss}", "line", (json_int_t)pr->items[i].line,
                         "column", (json_int_t)pr->items[i].column, "kind",
                         pw_rule_problem_kind_name(pr->items[i].kind),
                         "message", pr->items[i].message));
    return a;
}

static int answer(pw_srv_req *rq, pw_srv_resp *rs, const char *text,
                  const char *since)
{
    pw_rule_problems pr = {0};
    struct trial t = {.s = rq->store};
    pw_ruleset *set = NULL;
    pw_rc rc = pw_rules_compile(text, strlen(text), &set, &pr);

    if (rc != PW_OK || !set) {
        json_t *a = problem_list(&pr);
        pw_rule_problems_clear(&pr);
        pw_ruleset_free(set);
        return pw_srv_json(rs, 400,
                           json_pack("{ss so*}", "error",
                                     rc == PW_OK
                                         ? "no rule in the text"
                                         : "the rule text does not compile",
                                     "problems", a));
    }
    pw_rule_problems_clear(&pr);
    t.rs = set;
    t.fired = json_array();
    rc = run_trial(&t, since);
    pw_ruleset_free(set);
    if (rc != PW_OK) {
        json_decref(t.fired);
        return pw_srv_fail(rs, rq, rc, "testing the rules");
    }
    pw_srv_audit(rq, "rule.test", since, "ok");
    return pw_srv_json(rs, 200,
                       json_pack("{sI sI sI so}", "fired",
                                 (json_int_t)t.n_fired, "travellers",
                                 (json_int_t)t.travellers, "movements",
                                 (json_int_t)t.movements, "hits", t.fired));
}

int pw_api_rule_test(pw_srv_req *rq, pw_srv_resp *rs)
{
    json_t *o = pw_srv_body_json(rq, rs);
    const char *text = o ? pw_srv_field(o, "text", 1, rs) : NULL;
    const char *since = text ? pw_srv_field(o, "since", 0, rs) : NULL;

    if (text && !rs->body)
        answer(rq, rs, text, since);
    json_decref(o);
    return 0;
}

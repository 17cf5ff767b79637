/* Risk rules at ingest: each stored traveller of a message, with its
 * movement and booking, against the enabled rules (compiled once per
 * process, again only when the store's rules or lists change); a hit
 * per rule that fires, with the values that made it fire. */
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest_int.h"
#include "ingest/rules_eval.h"
#include "paxwatch/booking.h"
#include "paxwatch/review.h"

/* The compiled enabled rules and loaded lists of the store whose
 * generation token is token. Kept for the process: compiling every
 * rule per message would cost more than evaluating them. */
static struct {
    pthread_mutex_t lock;
    int valid;
    int64_t token;
    pw_ruleset *rs;
    unsigned *versions;
    pw_rule_lists *lists;
    size_t loads;
} cache = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* What one message's evaluation holds. */
struct eval {
    pw_store *s;
    const pw_ruleset *rs;
    const unsigned *versions;
    pw_history_ctx hctx;
    pw_rule_context ctx;
    pw_rule_hits hits;
    int64_t movement_id;
    size_t added;
};

/* {"rule": ..., "version": n, "severity": ..., "category": ...,
 * "reasons": [{"field": ..., "value": ...}]}, malloc'd; NULL when out
 * of memory. */
static char *explain(const struct eval *ev, const pw_rule_hit *hit,
                     const pw_rule_info *info)
{
    json_t *o = json_object(), *reasons = json_array();
    char *text = NULL;

    if (!o || !reasons)
        goto out;
    for (size_t i = 0; i < hit->n_reasons; i++) {
        const pw_rule_reason *r = &ev->hits.reasons[hit->first_reason + i];
        json_array_append_new(reasons, json_pack("{s:s, s:s}", "field",
                                                 r->field, "value", r->value));
    }
    json_object_set_new(o, "rule", json_string(info->name));
    json_object_set_new(o, "version", json_integer(ev->versions[hit->rule]));
    json_object_set_new(o, "severity",
                        json_string(pw_rule_severity_name(info->severity)));
    json_object_set_new(o, "category", json_string(info->category));
    json_object_set(o, "reasons", reasons);
    text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
out:
    json_decref(reasons);
    json_decref(o);
    return text;
}

static pw_rc store_hit(struct eval *ev, const pw_rule_hit *hit,
                       const pw_store_hit *base)
{
    pw_rule_info info;
    pw_store_hit h = *base;
    char *expl;
    int added = 0;
    pw_rc rc = pw_ruleset_info(ev->rs, hit->rule, &info);

    if (rc != PW_OK)
        return rc;
    expl = explain(ev, hit, &info);
    if (!expl)
        return PW_ERR_NOMEM;
    h.entry_id = info.name;
    h.entry_name = info.name;
    h.score = (double)info.severity;
    h.explanation = expl;
    rc = pw_review_add_rule_hit(ev->s, &h, ev->versions[hit->rule],
                                pw_rule_severity_name(info.severity),
                                info.category, &added);
    free(expl);
    ev->added += (size_t)added;
    return rc;
}

static pw_rc eval_one(struct eval *ev, const pw_rule_subject *subj,
                      int64_t traveller_id)
{
    pw_store_hit base = {.traveller_id = traveller_id,
                         .movement_id = ev->movement_id};
    char id[65];
    pw_rc rc = pw_rules_eval(ev->rs, subj, &ev->ctx, &ev->hits);

    /* A subject the evaluator cannot take is left unscored rather than
     * stopping the message; only memory stops it. */
    if (rc == PW_ERR_INVALID)
        return PW_OK;
    if (rc != PW_OK || ev->hits.n == 0)
        return rc;
    pw_ingest_identity(ev->movement_id, subj->traveller, id);
    base.identity = id;
    for (size_t i = 0; i < ev->hits.n && rc == PW_OK; i++)
        rc = store_hit(ev, &ev->hits.items[i], &base);
    return rc;
}

static pw_rc eval_booking(struct eval *ev, const pw_msg *m,
                          const pw_booking *bk, const int64_t *ids)
{
    pw_rc rc = PW_OK;

    for (size_t i = 0; i < bk->n_travellers && rc == PW_OK; i++) {
        pw_rule_subject subj = {&bk->travellers[i], &m->movement, bk, (int)i};
        if (ids[i])
            rc = eval_one(ev, &subj, ids[i]);
    }
    return rc;
}

static pw_rc eval_msg(struct eval *ev, const pw_msg *m, const int64_t *ids)
{
    pw_rc rc = PW_OK;

    for (size_t i = 0; i < m->n_travellers && rc == PW_OK; i++) {
        pw_rule_subject subj = {&m->travellers[i], &m->movement, NULL, -1};
        if (ids[i])
            rc = eval_one(ev, &subj, ids[i]);
    }
    ids += m->n_travellers;
    for (size_t b = 0; b < m->n_bookings && rc == PW_OK; b++) {
        rc = eval_booking(ev, m, &m->bookings[b], ids);
        ids += m->bookings[b].n_travellers;
    }
    return rc;
}

static void cache_drop(void)
{
    pw_ruleset_free(cache.rs);
    free(cache.versions);
    pw_rule_lists_free(cache.lists);
    cache.rs = NULL;
    cache.versions = NULL;
    cache.lists = NULL;
    cache.valid = 0;
}

/* Makes the cache hold s's rules, reloading when its token differs (a
 * different store, or a change since). The token is read once per
 * transaction (seen); the cache is compared with it every time, since
 * another thread may have filled the cache from another store. Called
 * with the lock held. */
static pw_rc cache_refresh(pw_store *s, pw_rules_seen *seen)
{
    int64_t token;
    pw_rc rc;

    if (seen->known && cache.valid && cache.token == seen->token)
        return PW_OK;
    rc = pw_rules_generation(s, &token);
    if (rc != PW_OK)
        return rc;
    seen->known = 1;
    seen->token = token;
    if (cache.valid && cache.token == token)
        return PW_OK;
    cache_drop();
    rc = pw_rules_load_enabled(s, &cache.rs, &cache.versions, NULL);
    if (rc == PW_OK && cache.rs)
        rc = pw_rule_lists_load(s, &cache.lists);
    if (rc != PW_OK) {
        cache_drop();
        return rc;
    }
    cache.token = token;
    cache.valid = 1;
    cache.loads++;
    return PW_OK;
}

size_t pw_ingest_rules_loads(void)
{
    size_t n;

    pthread_mutex_lock(&cache.lock);
    n = cache.loads;
    pthread_mutex_unlock(&cache.lock);
    return n;
}

/* The lock is held through evaluation so that another thread's reload
 * cannot free the set in use; ingest writes are serial anyway. */
pw_rc pw_ingest_rules_msg(pw_store *s, pw_rules_seen *seen, const pw_msg *m,
                          const int64_t *ids, int64_t movement_id,
                          size_t *added)
{
    struct eval ev = {.s = s, .movement_id = movement_id};
    pw_rc rc;

    pthread_mutex_lock(&cache.lock);
    rc = cache_refresh(s, seen);
    if (rc == PW_OK && cache.rs) {
        ev.rs = cache.rs;
        ev.versions = cache.versions;
        ev.hctx = (pw_history_ctx){s, cache.lists};
        ev.ctx.in_list = pw_history_in_list;
        ev.ctx.history_count = pw_history_count_in;
        ev.ctx.user = &ev.hctx;
        rc = eval_msg(&ev, m, ids);
        pw_rule_hits_free(&ev.hits);
    }
    pthread_mutex_unlock(&cache.lock);
    *added += ev.added;
    return rc;
}

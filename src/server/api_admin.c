/* Endpoints that change what the service holds or knows: message
 * submission, rules, and the audit log for the DPO. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paxwatch/audit.h"
#include "paxwatch/edifact.h"
#include "paxwatch/ingest.h"
#include "paxwatch/review.h"
#include "server/server.h"

static json_t *item_json(const pw_ingest_item *it)
{
    return json_pack("{ss ss so sI sI sI sI sI sI sI}", "status",
                     pw_ingest_status_name(it->status), "type", it->type,
                     "reason", pw_srv_str(it->reason), "segment",
                     (json_int_t)it->segment, "offset", (json_int_t)it->offset,
                     "movement_id", (json_int_t)it->movement_id, "travellers",
                     (json_int_t)it->travellers, "hits", (json_int_t)it->hits,
                     "screened_in_part", (json_int_t)it->screened_in_part,
                     "warnings", (json_int_t)it->warnings);
}

static json_t *report_json(const pw_ingest_report *r)
{
    json_t *items = json_array();

    for (size_t i = 0; i < r->n_items; i++)
        json_array_append_new(items, item_json(&r->items[i]));
    return json_pack("{ss sI ss ss so sI sI sI so so sI so}", "status",
                     pw_ingest_status_name(r->status), "message_id",
                     (json_int_t)r->message_id, "sha256", r->sha256, "format",
                     r->format, "messages", items, "travellers",
                     (json_int_t)r->travellers, "hits", (json_int_t)r->hits,
                     "screened_in_part", (json_int_t)r->screened_in_part,
                     "reason", pw_srv_str(r->reason), "contrl",
                     pw_srv_str(r->contrl), "segment", (json_int_t)r->segment,
                     "offset", json_integer((json_int_t)r->offset));
}

/* Ingests data[0, len) named name and audits it; *out is its report. */
static pw_rc submit(pw_srv_req *rq, const char *name, const char *data,
                    size_t len, json_t **out, int *rejected)
{
    pw_ingest_report r = {0};
    char object[32];
    pw_rc rc = pw_ingest(rq->store, name, data, len, &r);

    if (rc == PW_OK) {
        snprintf(object, sizeof object, "%lld", (long long)r.message_id);
        pw_srv_audit(rq, "message.submit", object,
                     pw_ingest_status_name(r.status));
        *rejected |= r.status == PW_INGEST_REJECTED;
        *out = report_json(&r);
    }
    pw_ingest_report_free(&r);
    return rc;
}

/* A body of several interchanges (a batch): each is stored as its own
 * input, named NAME#2 ... after the first, and the answer lists their
 * reports in "interchanges". */
static int submit_batch(pw_srv_req *rq, pw_srv_resp *rs, const char *name)
{
    json_t *all = json_array();
    size_t at = 0, len = rq->body_len;
    int rejected = 0;
    pw_rc rc = PW_OK;

    for (unsigned k = 1; at < len && rc == PW_OK; k++) {
        size_t n = pw_edi_next_interchange(rq->body + at, len - at);
        size_t use = at + n < len ? pw_edi_trim_gap(rq->body + at, n) : n;
        char part[160];
        json_t *one = NULL;

        if (k > 1)
            snprintf(part, sizeof part, "%s#%u", name ? name : "", k);
        rc = submit(rq, k > 1 ? part : name, rq->body + at, use, &one,
                    &rejected);
        json_array_append_new(all, one);
        at += n;
    }
    if (rc != PW_OK) {
        json_decref(all);
        return pw_srv_fail(rs, rq, rc, "storing the messages");
    }
    return pw_srv_json(rs, rejected ? 422 : 200,
                       json_pack("{so}", "interchanges", all));
}

int pw_api_messages(pw_srv_req *rq, pw_srv_resp *rs)
{
    const char *name = pw_srv_query(rq, "name");
    json_t *one = NULL;
    int rejected = 0;
    pw_rc rc;

    if (rq->body_len == 0)
        return pw_srv_error(rs, 400, "the body must be a message");
    if (pw_edi_next_interchange(rq->body, rq->body_len) < rq->body_len)
        return submit_batch(rq, rs, name);
    rc = submit(rq, name, rq->body, rq->body_len, &one, &rejected);
    if (rc != PW_OK)
        return pw_srv_fail(rs, rq, rc, "storing the message");
    return pw_srv_json(rs, rejected ? 422 : 200, one);
}

static int add_rule(void *ctx, const pw_stored_rule *r)
{
    json_array_append_new(
        ctx,
        json_pack("{sI ss ss so so sI sb so so}", "id", (json_int_t)r->id,
                  "name", r->name, "text", r->text, "category",
                  pw_srv_str(r->category), "severity", pw_srv_str(r->severity),
                  "version", (json_int_t)r->version, "enabled", r->enabled,
                  "updated_at", pw_srv_str(r->updated_at), "updated_by",
                  pw_srv_str(r->updated_by)));
    return 0;
}

int pw_api_rules(pw_srv_req *rq, pw_srv_resp *rs)
{
    json_t *a = json_array();
    pw_rc rc = pw_rules_each(rq->store, 0, add_rule, a);

    if (rc != PW_OK) {
        json_decref(a);
        return pw_srv_fail(rs, rq, rc, "listing rules");
    }
    return pw_srv_json(rs, 200, json_pack("{so}", "rules", a));
}

/* Compiles text; answers 400 with the problems when it does not. */
static pw_ruleset *compile(const char *text, pw_srv_resp *rs)
{
    pw_rule_problems pr = {0};
    pw_ruleset *set = NULL;
    pw_rc rc = pw_rules_compile(text, strlen(text), &set, &pr);
    json_t *a;

    if (rc == PW_OK && set)
        return set;
    a = json_array();
    for (size_t i = 0; i < pr.n; i++)
        json_array_append_new(
            a, json_pack("{sI sI ss ss}", "line", (json_int_t)pr.items[i].line,
                         "column", (json_int_t)pr.items[i].column, "kind",
                         pw_rule_problem_kind_name(pr.items[i].kind), "message",
                         pr.items[i].message));
    pw_rule_problems_clear(&pr);
    pw_ruleset_free(set);
    pw_srv_json(rs, 400,
                json_pack("{ss so}", "error",
                          rc == PW_OK ? "no rule in the text"
                                      : "the rule text does not compile",
                          "problems", a));
    return NULL;
}

static int store_rule(pw_srv_req *rq, pw_srv_resp *rs, pw_ruleset *set,
                      const char *text)
{
    pw_rule_info info;
    unsigned version = 0;
    int changed = 0;
    pw_rc rc = pw_ruleset_info(set, 0, &info);

    if (rc == PW_OK)
        rc = pw_srv_change_begin(rq);
    if (rc == PW_OK)
        rc = pw_rules_put(rq->store, info.name, text, info.category,
                          pw_rule_severity_name(info.severity), rq->who.name,
                          &version, &changed);
    if (rc == PW_OK)
        pw_srv_audit(rq, "rule.add", info.name, changed ? "ok" : "unchanged");
    rc = pw_srv_change_end(rq, rc);
    if (rc != PW_OK)
        return pw_srv_fail(rs, rq, rc, "storing the rule");
    return pw_srv_json(rs, changed ? 201 : 200,
                       json_pack("{ss sI sb}", "name", info.name, "version",
                                 (json_int_t)version, "changed", changed));
}

int pw_api_rule_add(pw_srv_req *rq, pw_srv_resp *rs)
{
    json_t *o = pw_srv_body_json(rq, rs);
    const char *text = o ? pw_srv_field(o, "text", 1, rs) : NULL;
    pw_ruleset *set = text ? compile(text, rs) : NULL;

    if (set && pw_ruleset_count(set) != 1)
        pw_srv_error(rs, 400, "send one rule per request");
    else if (set)
        store_rule(rq, rs, set, text);
    pw_ruleset_free(set);
    json_decref(o);
    return 0;
}

static int switch_rule(pw_srv_req *rq, pw_srv_resp *rs, int enabled)
{
    int changed = 0;
    pw_rc rc = pw_srv_change_begin(rq);

    if (rc == PW_OK)
        rc = pw_rules_set_enabled(rq->store, rq->args[0], enabled, rq->who.name,
                                  &changed);
    if (rc == PW_OK)
        pw_srv_audit(rq, enabled ? "rule.enable" : "rule.disable", rq->args[0],
                     changed ? "ok" : "unchanged");
    rc = pw_srv_change_end(rq, rc);
    if (rc != PW_OK)
        return pw_srv_fail(rs, rq, rc, "switching the rule");
    return pw_srv_json(rs, 200,
                       json_pack("{ss sb sb}", "name", rq->args[0], "enabled",
                                 enabled, "changed", changed));
}

int pw_api_rule_enable(pw_srv_req *rq, pw_srv_resp *rs)
{
    return switch_rule(rq, rs, 1);
}

int pw_api_rule_disable(pw_srv_req *rq, pw_srv_resp *rs)
{
    return switch_rule(rq, rs, 0);
}

static int add_entry(void *ctx, const pw_audit_entry *e)
{
    json_array_append_new(
        ctx,
        json_pack("{sI so so so so so so so so}", "seq", (json_int_t)e->seq,
                  "at", pw_srv_str(e->at), "user", pw_srv_str(e->who), "action",
                  pw_srv_str(e->action), "object", pw_srv_str(e->object),
                  "client", pw_srv_str(e->client), "purpose",
                  pw_srv_str(e->purpose), "outcome", pw_srv_str(e->outcome),
                  "hash", pw_srv_str(e->hash)));
    return 0;
}

int pw_api_audit(pw_srv_req *rq, pw_srv_resp *rs)
{
    const char *order = pw_srv_query(rq, "order");
    pw_audit_filter f = {.who = pw_srv_query(rq, "user"),
                         .since = pw_srv_query(rq, "since"),
                         .newest_first = order && !strcmp(order, "newest")};
    json_t *a;
    pw_rc rc;

    if (order && strcmp(order, "newest") && strcmp(order, "oldest"))
        return pw_srv_error(rs, 400, "order is newest or oldest");
    if (pw_srv_page(rq, rs, &f.limit, &f.offset) != 0)
        return 0;
    /* iAPI entries are written in batches: the reader sees them all */
    pw_srv_iapi_keep_flush(2000);
    a = json_array();
    rc = pw_audit_each(rq->store, &f, add_entry, a);
    if (rc != PW_OK) {
        json_decref(a);
        return pw_srv_fail(rs, rq, rc, "reading the audit log");
    }
    pw_srv_audit(rq, "audit.read", f.who, "ok");
    return pw_srv_json(rs, 200,
                       json_pack("{so sI sI}", "entries", a, "offset",
                                 (json_int_t)f.offset, "limit",
                                 (json_int_t)f.limit));
}

/* ?head=SEQ:HASH, noted earlier from this answer's "head", makes the
 * chain also reach that entry unchanged (entries cut from the end). */
int pw_api_audit_verify(pw_srv_req *rq, pw_srv_resp *rs)
{
    const char *given = pw_srv_query(rq, "head");
    char hash[65], last[65], head[96];
    int64_t seq, last_seq;
    pw_audit_check c;
    pw_rc rc;

    if (given && !pw_audit_head_parse(given, &seq, hash))
        return pw_srv_error(rs, 400,
                            "head wants SEQ:HASH (64 lower-case "
                            "hex digits) as this answer gives it");
    pw_srv_iapi_keep_flush(2000);
    rc = given ? pw_audit_verify_head(rq->store, seq, hash, &c)
               : pw_audit_verify(rq->store, &c);
    if (rc == PW_OK)
        rc = pw_audit_head(rq->store, &last_seq, last);
    if (rc != PW_OK)
        return pw_srv_fail(rs, rq, rc, "verifying the audit log");
    snprintf(head, sizeof head, "%lld:%s", (long long)last_seq, last);
    pw_srv_audit(rq, "audit.verify", NULL, c.bad ? "broken" : "intact");
    return pw_srv_json(rs, 200,
                       json_pack("{sb sI sI ss ss}", "intact", !c.bad,
                                 "entries", (json_int_t)c.entries, "bad",
                                 (json_int_t)c.bad, "why", c.why, "head",
                                 head));
}

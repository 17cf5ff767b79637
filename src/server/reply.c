/* Answers and request helpers shared by the handlers: JSON bodies,
 * errors that say what is wrong, paging, ids and the audit entry. */
#include <errno.h>
#include <microhttpd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paxwatch/audit.h"
#include "server/server.h"

json_t *pw_srv_str(const char *s)
{
    return s ? json_string(s) : json_null();
}

int pw_srv_json(pw_srv_resp *rs, unsigned status, json_t *v)
{
    char *text = v ? json_dumps(v, JSON_COMPACT) : NULL;

    json_decref(v);
    free(rs->body);
    rs->status = text ? status : 500;
    rs->body = text ? text : strdup("{\"error\":\"out of memory\"}");
    rs->len = rs->body ? strlen(rs->body) : 0;
    if (rs->body && rs->len) {
        /* a line end makes curl and shell tests tidy */
        char *more = realloc(rs->body, rs->len + 2);
        if (more) {
            rs->body = more;
            memcpy(rs->body + rs->len, "\n", 2);
            rs->len++;
        }
    }
    return 0;
}

int pw_srv_error(pw_srv_resp *rs, unsigned status, const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return pw_srv_json(rs, status, json_pack("{ss}", "error", msg));
}

int pw_srv_fail(pw_srv_resp *rs, pw_srv_req *rq, pw_rc rc, const char *doing)
{
    const char *why = rq->store ? pw_store_errmsg(rq->store) : "";

    pw_srv_log(PW_LOG_ERROR, "failure", "doing=\"%s\" rc=\"%s\"", doing,
               pw_rc_str(rc));
    if (rc == PW_ERR_NOTFOUND)
        return pw_srv_error(rs, 404, "not found");
    return pw_srv_error(rs, rc == PW_ERR_STORE ? 503 : 500, "%s failed: %s%s%s",
                        doing, pw_rc_str(rc), *why ? ": " : "", why);
}

const char *pw_srv_query(pw_srv_req *rq, const char *name)
{
    return MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, name);
}

/* A number from 0 to max in text into *v; -1 when not. */
static int number(const char *text, size_t max, size_t *v)
{
    char *end;
    unsigned long long n;

    if (!text)
        return 0;
    errno = 0;
    n = strtoull(text, &end, 10);
    if (errno || *end || end == text || *text == '-' || n > max)
        return -1;
    *v = (size_t)n;
    return 0;
}

int pw_srv_page(pw_srv_req *rq, pw_srv_resp *rs, size_t *limit, size_t *offset)
{
    *limit = PW_SRV_PAGE_DEFAULT;
    *offset = 0;
    if (number(pw_srv_query(rq, "limit"), PW_SRV_PAGE_MAX, limit) != 0 ||
        *limit == 0) {
        pw_srv_error(rs, 400, "limit must be a number from 1 to %d",
                     PW_SRV_PAGE_MAX);
        return -1;
    }
    if (number(pw_srv_query(rq, "offset"), (size_t)1 << 40, offset) != 0) {
        pw_srv_error(rs, 400, "offset must be a number from 0");
        return -1;
    }
    return 0;
}

int pw_srv_id(const char *text, pw_srv_resp *rs, int64_t *id)
{
    size_t v;

    if (!text || number(text, (size_t)INT64_MAX, &v) != 0 || v == 0) {
        pw_srv_error(rs, 400, "the id is a positive number");
        return -1;
    }
    *id = (int64_t)v;
    return 0;
}

json_t *pw_srv_body_json(pw_srv_req *rq, pw_srv_resp *rs)
{
    json_error_t err;
    json_t *o =
        json_loadb(rq->body, rq->body_len, JSON_REJECT_DUPLICATES, &err);

    if (!o) {
        pw_srv_error(rs, 400, "bad JSON at line %d column %d (byte %d): %s",
                     err.line, err.column, err.position, err.text);
        return NULL;
    }
    if (!json_is_object(o)) {
        json_decref(o);
        pw_srv_error(rs, 400, "the body must be a JSON object");
        return NULL;
    }
    return o;
}

const char *pw_srv_field(json_t *o, const char *name, int required,
                         pw_srv_resp *rs)
{
    json_t *v = json_object_get(o, name);

    if (json_is_string(v))
        return json_string_value(v);
    if (v && !json_is_null(v))
        pw_srv_error(rs, 400, "field '%s' must be a string", name);
    else if (required)
        pw_srv_error(rs, 400, "missing field '%s'", name);
    return NULL;
}

/* The purpose: the query parameter, else the body's field. */
static const char *purpose_of(pw_srv_req *rq, json_t **parsed)
{
    const char *p = pw_srv_query(rq, "purpose");

    *parsed = NULL;
    if (p || !rq->body_len || rq->body[0] != '{')
        return p;
    *parsed = json_loadb(rq->body, rq->body_len, 0, NULL);
    return json_string_value(json_object_get(*parsed, "purpose"));
}

void pw_srv_audit(pw_srv_req *rq, const char *action, const char *object,
                  const char *outcome)
{
    json_t *parsed;
    pw_audit_entry e = {
        .who = rq->authed ? rq->who.name : "-",
        .action = action,
        .object = object,
        .client = rq->client,
        .purpose = purpose_of(rq, &parsed),
        .outcome = outcome,
    };
    pw_rc rc = rq->store ? pw_audit_add(rq->store, &e) : PW_ERR_INVALID;

    json_decref(parsed);
    if (rc != PW_OK)
        rq->audit_failed = 1;
    if (rc != PW_OK)
        pw_srv_log(PW_LOG_ERROR, "audit", "action=%s rc=\"%s\"", action,
                   pw_rc_str(rc));
}

pw_rc pw_srv_change_begin(pw_srv_req *rq)
{
    return pw_store_begin(rq->store);
}

pw_rc pw_srv_change_end(pw_srv_req *rq, pw_rc rc)
{
    if (rc == PW_OK && rq->audit_failed)
        rc = PW_ERR_STORE;
    if (rc == PW_OK)
        return pw_store_commit(rq->store);
    pw_store_rollback(rq->store);
    return rc;
}

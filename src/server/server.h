/* paxwatch serve: the HTTP layer's shared types. A route (routes.c)
 * names a method, a path pattern, the roles that may use it, the
 * largest body it takes and its handler; http.c matches requests to
 * routes, proves who is asking, and sends what the handler answers. */
#ifndef PW_SERVER_H
#define PW_SERVER_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "paxwatch/auth.h"
#include "paxwatch/store.h"

/* Body limits: a message or a list may be large, anything else is
 * small. */
#define PW_SRV_BODY_SMALL ((size_t)64 * 1024)
#define PW_SRV_BODY_MESSAGE ((size_t)16 * 1024 * 1024)
/* A watchlist's source file: national lists can be large. */
#define PW_SRV_BODY_LIST ((size_t)256 * 1024 * 1024)
/* Most wildcard segments a pattern holds. */
#define PW_SRV_MAX_ARGS 4
/* Largest page of a list answer, and the default. */
#define PW_SRV_PAGE_MAX 1000
#define PW_SRV_PAGE_DEFAULT 100

/* How the server runs (cmd_serve.c fills it). */
typedef struct pw_srv_config {
    const char *db;
    const char *listen; /* ADDR:PORT */
    const char *cert, *key;
    unsigned threads;
    int64_t session_ttl;     /* seconds */
    const char *iapi_policy; /* policy file, or NULL for the defaults */
} pw_srv_config;

/* One request as a handler sees it. */
typedef struct pw_srv_req {
    void *conn; /* struct MHD_Connection */
    const char *method, *path;
    char *args[PW_SRV_MAX_ARGS]; /* the '*' segments of the pattern */
    const char *body;
    size_t body_len;
    int authed;
    pw_principal who;
    const char *token; /* session token when proven by one */
    char client[64];   /* client address */
    int audit_failed;  /* an entry could not be written: http.c then
                          answers 503 instead, so nothing is served
                          unrecorded */
    pw_store *store;   /* this thread's connection: do not close */
    const pw_srv_config *cfg;
} pw_srv_req;

/* What a handler answers: a status and a malloc'd body. */
typedef struct pw_srv_resp {
    unsigned status;
    char *body;
    size_t len;
    const char *type; /* NULL: application/json */
    char cookie[160]; /* a Set-Cookie value, or "" */
} pw_srv_resp;

typedef int (*pw_srv_handler)(pw_srv_req *rq, pw_srv_resp *rs);

/* A role mask: PW_SRV_ROLE(ANALYST) | ... ; 0 means no login needed. */
#define PW_SRV_ROLE(r) (1u << PW_ROLE_##r)
#define PW_SRV_ANY_USER                                                        \
    (PW_SRV_ROLE(ANALYST) | PW_SRV_ROLE(OFFICER) | PW_SRV_ROLE(LIST_MANAGER) | \
     PW_SRV_ROLE(RULE_AUTHOR) | PW_SRV_ROLE(DPO) | PW_SRV_ROLE(ADMIN))

struct pw_srv_route {
    const char *method;
    const char *pattern; /* "/api/hits/ *" without the space: '*' is one
                            path segment */
    unsigned roles;
    size_t max_body;
    pw_srv_handler fn;
};

/* The table (routes.c) and its length. */
extern const struct pw_srv_route pw_srv_routes[];
extern const size_t pw_srv_n_routes;

/* Runs the server until SIGINT or SIGTERM; 0 on a clean stop. */
int pw_srv_run(const pw_srv_config *cfg);

/* ---- answers (reply.c) ---- */

/* Answers status with the JSON value v (taken over). */
int pw_srv_json(pw_srv_resp *rs, unsigned status, json_t *v);

/* Answers status with {"error": msg}. */
int pw_srv_error(pw_srv_resp *rs, unsigned status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Answers 500 or 503 for a library failure, naming what was done. */
int pw_srv_fail(pw_srv_resp *rs, pw_srv_req *rq, pw_rc rc, const char *doing);

/* A query parameter, or NULL. */
const char *pw_srv_query(pw_srv_req *rq, const char *name);

/* Reads ?limit=&offset= into *limit and *offset; -1 (with a 400
 * answered) when they are not numbers in range. */
int pw_srv_page(pw_srv_req *rq, pw_srv_resp *rs, size_t *limit, size_t *offset);

/* A positive id from text into *id; -1 (with a 400 or 404 answered)
 * when not one. */
int pw_srv_id(const char *text, pw_srv_resp *rs, int64_t *id);

/* The body parsed as a JSON object; NULL (with a 400 answered) when it
 * is not one. */
json_t *pw_srv_body_json(pw_srv_req *rq, pw_srv_resp *rs);

/* A string member of o; NULL (with a 400 naming it answered) when
 * missing and required. */
const char *pw_srv_field(json_t *o, const char *name, int required,
                         pw_srv_resp *rs);

/* Records what rq did in the audit log: action, object (may be NULL),
 * the purpose parameter or field when given, the outcome. */
/* A change and its audit entry in one transaction: begin before the
 * change, then end with the change's rc after pw_srv_audit. end commits
 * when rc is PW_OK and the entry was written; otherwise it rolls back
 * (the change did not happen) and returns why (PW_ERR_STORE when the
 * entry failed: the answer is then 503). */
pw_rc pw_srv_change_begin(pw_srv_req *rq);
pw_rc pw_srv_change_end(pw_srv_req *rq, pw_rc rc);

void pw_srv_audit(pw_srv_req *rq, const char *action, const char *object,
                  const char *outcome);

/* A JSON string or null. */
json_t *pw_srv_str(const char *s);

/* ---- log (log.c): one event a line on stderr, key=value fields ---- */

enum pw_srv_level { PW_LOG_ERROR, PW_LOG_WARN, PW_LOG_INFO, PW_LOG_DEBUG };

/* The most detailed level written; set from --log-level. */
extern enum pw_srv_level pw_srv_log_level;

/* Writes "ts level event fields" when level is enabled. fields are
 * key=value pairs already formatted; never personal data. */
void pw_srv_log(enum pw_srv_level level, const char *event, const char *fmt,
                ...) __attribute__((format(printf, 3, 4)));

/* ---- handlers, by file ---- */

int pw_api_health(pw_srv_req *rq, pw_srv_resp *rs);
int pw_api_login(pw_srv_req *rq, pw_srv_resp *rs);
int pw_api_logout(pw_srv_req *rq, pw_srv_resp *rs);
int pw_api_messages(pw_srv_req *rq, pw_srv_resp *rs);
int pw_api_movements(pw_srv_req *rq, pw_srv_resp *rs);
int pw_api_movement(pw_srv_req *rq, pw_srv_resp *rs);
int pw_api_travellers(pw_srv_req *rq, pw_srv_resp *rs);
int pw_api_traveller_history(pw_srv_req *rq, pw_srv_resp *rs);
int pw_api_bookings(pw_srv_req *rq, pw_srv_resp *rs);
int pw_api_booking(pw_srv_req *rq, pw_srv_resp *rs);
int pw_api_hits(pw_srv_req *rq, pw_srv_resp *rs);
int pw_api_hit(pw_srv_req *rq, pw_srv_resp *rs);
int pw_api_hit_review(pw_srv_req *rq, pw_srv_resp *rs);
int pw_api_rules(pw_srv_req *rq, pw_srv_resp *rs);
int pw_api_rule_add(pw_srv_req *rq, pw_srv_resp *rs);
int pw_api_rule_enable(pw_srv_req *rq, pw_srv_resp *rs);
int pw_api_rule_disable(pw_srv_req *rq, pw_srv_resp *rs);
int pw_api_rule_test(pw_srv_req *rq, pw_srv_resp *rs);
int pw_api_lists(pw_srv_req *rq, pw_srv_resp *rs); /* api_lists.c */
int pw_api_list_load(pw_srv_req *rq, pw_srv_resp *rs);
int pw_api_users(pw_srv_req *rq, pw_srv_resp *rs);
int pw_api_user_add(pw_srv_req *rq, pw_srv_resp *rs);
int pw_api_audit(pw_srv_req *rq, pw_srv_resp *rs);
int pw_api_audit_verify(pw_srv_req *rq, pw_srv_resp *rs);
int pw_api_retention(pw_srv_req *rq, pw_srv_resp *rs); /* api_retention.c */
int pw_api_iapi(pw_srv_req *rq, pw_srv_resp *rs);      /* iapi.c */
/* Makes the next iAPI request compare the stored lists with its index
 * (a list was just loaded through the API). */
void pw_srv_iapi_lists_changed(void);
/* The policy file iAPI answers by (NULL: the defaults); set before the
 * server takes requests. */
void pw_srv_iapi_policy(const char *path);
/* iapi_keep.c: what an iAPI request leaves behind, written by a keeper
 * thread. keep_hits stores rq (a request that raised a hit) for review;
 * audit records that rq was answered with outcome (codes and counts,
 * no personal data). Either is written by the caller's thread when the
 * keeper cannot take it. keep_flush waits up to ms milliseconds for
 * what is queued to be written (1 when it was); keep_stop writes it
 * and ends the keeper, once no request is in flight. */
void pw_srv_iapi_keep_hits(pw_srv_req *rq);
void pw_srv_iapi_audit(pw_srv_req *rq, const char *outcome);
int pw_srv_iapi_keep_flush(unsigned ms);
void pw_srv_iapi_keep_stop(void);
/* audit_head.c: logs the audit log's head (SEQ:HASH) when it changed
 * since last logged; the server calls it every minute and on stop. */
void pw_srv_log_audit_head(const char *db);
int pw_api_static(pw_srv_req *rq, pw_srv_resp *rs); /* static.c */

#endif

/* Endpoints about who uses the service: health, login, logout, and the
 * administrator's list of users. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "paxwatch/auth.h"
#include "server/server.h"

int pw_api_health(pw_srv_req *rq, pw_srv_resp *rs)
{
    return pw_srv_json(rs, 200,
                       json_pack("{ss si}", "status", "ok", "schema",
                                 pw_store_schema_version(rq->store)));
}

/* Secure only over HTTPS: a browser would not send it back over the
 * plain loopback HTTP an operator may use. */
static void set_cookie(pw_srv_resp *rs, const char *token, int64_t ttl, int tls)
{
    snprintf(rs->cookie, sizeof rs->cookie,
             "pw_session=%s; Path=/; Max-Age=%lld; HttpOnly; "
             "SameSite=Strict%s",
             token, (long long)ttl, tls ? "; Secure" : "");
}

static int logged_in(pw_srv_req *rq, pw_srv_resp *rs, int64_t now)
{
    char token[PW_AUTH_TOKEN_LEN + 1];
    time_t expires = (time_t)(now + rq->cfg->session_ttl);
    char at[32];
    struct tm tm;
    pw_rc rc =
        pw_session_new(rq->store, rq->who.id, now, rq->cfg->session_ttl, token);

    if (rc != PW_OK)
        return pw_srv_fail(rs, rq, rc, "starting a session");
    gmtime_r(&expires, &tm);
    strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", &tm);
    set_cookie(rs, token, rq->cfg->session_ttl, rq->cfg->cert != NULL);
    return pw_srv_json(rs, 200,
                       json_pack("{ss ss ss ss}", "token", token, "expires", at,
                                 "user", rq->who.name, "role",
                                 pw_user_role_name(rq->who.role)));
}

int pw_api_login(pw_srv_req *rq, pw_srv_resp *rs)
{
    json_t *o = pw_srv_body_json(rq, rs);
    const char *name = o ? pw_srv_field(o, "name", 1, rs) : NULL;
    const char *pass = name ? pw_srv_field(o, "password", 1, rs) : NULL;
    pw_login_result res;
    int64_t now = time(NULL);
    pw_rc rc;

    if (!pass) {
        json_decref(o);
        return 0;
    }
    rc = pw_login(rq->store, name, pass, rq->client, now, &res, &rq->who);
    /* the name tried is recorded as who, so failures can be traced */
    snprintf(rq->who.name, sizeof rq->who.name, "%.64s", name);
    rq->authed = 1;
    json_decref(o);
    if (rc != PW_OK)
        return pw_srv_fail(rs, rq, rc, "checking the login");
    pw_srv_audit(rq, "login", NULL,
                 res == PW_LOGIN_OK       ? "ok"
                 : res == PW_LOGIN_LOCKED ? "locked"
                                          : "failed");
    if (res == PW_LOGIN_LOCKED)
        return pw_srv_error(rs, 429,
                            "too many failed logins: locked for %d "
                            "minutes",
                            PW_AUTH_LOCK_SECONDS / 60);
    if (res != PW_LOGIN_OK)
        return pw_srv_error(rs, 401,
                            "wrong name or password (%d failures in a row "
                            "lock the name for %d minutes)",
                            PW_AUTH_LOCK_FAILURES, PW_AUTH_LOCK_SECONDS / 60);
    return logged_in(rq, rs, now);
}

int pw_api_logout(pw_srv_req *rq, pw_srv_resp *rs)
{
    pw_rc rc = rq->token ? pw_session_end(rq->store, rq->token) : PW_OK;

    if (rc != PW_OK)
        return pw_srv_fail(rs, rq, rc, "ending the session");
    pw_srv_audit(rq, "logout", NULL, "ok");
    snprintf(rs->cookie, sizeof rs->cookie,
             "pw_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
    return pw_srv_json(rs, 200, json_pack("{ss}", "status", "logged out"));
}

static int add_user(void *ctx, const pw_user *u)
{
    json_t *a = ctx;

    json_array_append_new(
        a, json_pack("{sI ss ss sb so}", "id", (json_int_t)u->id, "name",
                     u->name, "role", pw_user_role_name(u->role), "disabled",
                     u->disabled, "created_at", pw_srv_str(u->created_at)));
    return 0;
}

int pw_api_users(pw_srv_req *rq, pw_srv_resp *rs)
{
    json_t *a = json_array();
    pw_rc rc = pw_users_each(rq->store, add_user, a);

    if (rc != PW_OK) {
        json_decref(a);
        return pw_srv_fail(rs, rq, rc, "listing users");
    }
    pw_srv_audit(rq, "user.list", NULL, "ok");
    return pw_srv_json(rs, 200, json_pack("{so}", "users", a));
}

/* Ends the change that added user id: its API key (a carrier), the
 * audit entry, the answer. */
static int user_added(pw_srv_req *rq, pw_srv_resp *rs, const char *name,
                      pw_user_role role, int64_t id)
{
    char key[PW_AUTH_TOKEN_LEN + 1];
    json_t *o = json_pack("{sI ss ss}", "id", (json_int_t)id, "name", name,
                          "role", pw_user_role_name(role));
    pw_rc rc;

    pw_srv_audit(rq, "user.add", name, "ok");
    rc = role == PW_ROLE_CARRIER ? pw_apikey_new(rq->store, id, key) : PW_OK;
    rc = pw_srv_change_end(rq, rc);
    if (rc != PW_OK) {
        json_decref(o);
        return pw_srv_fail(rs, rq, rc, "adding the user");
    }
    if (role == PW_ROLE_CARRIER)
        json_object_set_new(o, "api_key", json_string(key));
    return pw_srv_json(rs, 201, o);
}

int pw_api_user_add(pw_srv_req *rq, pw_srv_resp *rs)
{
    json_t *o = pw_srv_body_json(rq, rs);
    const char *name = o ? pw_srv_field(o, "name", 1, rs) : NULL;
    const char *role = name ? pw_srv_field(o, "role", 1, rs) : NULL;
    const char *pass = role ? pw_srv_field(o, "password", 0, rs) : NULL;
    pw_user_role r = pw_user_role_from(role);
    int64_t id;
    pw_rc rc;

    if (!role || rs->body) {
        json_decref(o);
        return 0;
    }
    if (!r || (r != PW_ROLE_CARRIER && !pass)) {
        json_decref(o);
        return pw_srv_error(rs, 400,
                            r ? "missing field 'password'" : "unknown role");
    }
    rc = pw_srv_change_begin(rq);
    if (rc == PW_OK)
        rc = pw_user_add(rq->store, name, r, pass, &id);
    if (rc != PW_OK)
        pw_srv_change_end(rq, rc);
    if (rc == PW_OK)
        user_added(rq, rs, name, r, id); /* ends the change */
    else if (rc == PW_ERR_EXISTS)
        pw_srv_error(rs, 409, "a user of that name exists");
    else if (rc == PW_ERR_INVALID || rc == PW_ERR_LIMIT)
        pw_srv_error(rs, 400,
                     "bad name (letters, digits, ._-@; at most %d)"
                     " or password too long",
                     PW_AUTH_MAX_NAME);
    else
        pw_srv_fail(rs, rq, rc, "adding a user");
    json_decref(o);
    return 0;
}

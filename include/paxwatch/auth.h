/* paxwatch users, roles, sessions and API keys: who may use the
 * service and how a request proves it. Only hashes of passwords
 * (Argon2id), session tokens and API keys are stored. */
#ifndef PAXWATCH_AUTH_H
#define PAXWATCH_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "paxwatch/error.h"
#include "paxwatch/store.h"

/* What a user may do; the server's table says which endpoints each
 * role reaches. */
typedef enum pw_user_role {
    PW_ROLE_ANALYST = 1,
    PW_ROLE_OFFICER,      /* sees confirmed lookouts only */
    PW_ROLE_LIST_MANAGER, /* loads watchlists */
    PW_ROLE_RULE_AUTHOR,  /* writes and tests risk rules */
    PW_ROLE_DPO,          /* data-protection officer: the audit log */
    PW_ROLE_ADMIN,
    PW_ROLE_CARRIER /* may only submit messages and ask iAPI */
} pw_user_role;

#define PW_ROLE_MAX PW_ROLE_CARRIER

/* Longest user name, password, and session token or API key. */
#define PW_AUTH_MAX_NAME 64
#define PW_AUTH_MAX_PASSWORD 1024
/* A token or key: 32 random bytes as unpadded base64url (43 chars). */
#define PW_AUTH_TOKEN_LEN 43
/* Failed logins in a row that lock a name, and for how long. */
#define PW_AUTH_LOCK_FAILURES 5
/* Failures from all addresses together that lock a name everywhere. */
#define PW_AUTH_LOCK_FAILURES_ANY 50
#define PW_AUTH_LOCK_SECONDS (15 * 60)
/* How long a session lasts unless the caller says otherwise. */
#define PW_AUTH_SESSION_SECONDS (8 * 60 * 60)

/* "analyst", "officer", "list_manager", "rule_author", "dpo", "admin",
 * "carrier"; "unknown" otherwise. */
const char *pw_user_role_name(pw_user_role r);

/* The role called name (as pw_user_role_name gives it); 0 when none. */
pw_user_role pw_user_role_from(const char *name);

/* Who a request comes from, once proven. */
typedef struct pw_principal {
    int64_t id;
    char name[PW_AUTH_MAX_NAME + 1];
    pw_user_role role;
} pw_principal;

/* A user as listed; strings valid during the callback only. */
typedef struct pw_user {
    int64_t id;
    const char *name;
    pw_user_role role;
    int disabled;
    int has_password;
    const char *created_at;
} pw_user;

typedef int (*pw_user_cb)(void *ctx, const pw_user *u);

/* Adds user name (1 to PW_AUTH_MAX_NAME bytes of letters, digits and
 * ._-@) with role, and password when not NULL (a carrier needs none).
 * *id (may be NULL) receives the new user's id. PW_ERR_INVALID for a
 * bad name or role, PW_ERR_LIMIT for a password over
 * PW_AUTH_MAX_PASSWORD, PW_ERR_EXISTS when the name is taken,
 * PW_ERR_NOMEM when hashing could not get its memory. */
PW_MUST_CHECK pw_rc pw_user_add(pw_store *s, const char *name,
                                pw_user_role role, const char *password,
                                int64_t *id);

/* Sets the password of user name. PW_ERR_NOTFOUND when none. */
PW_MUST_CHECK pw_rc pw_user_passwd(pw_store *s, const char *name,
                                   const char *password);

/* Disables user name and ends its sessions and keys; a disabled user
 * cannot log in. PW_ERR_NOTFOUND when none. */
PW_MUST_CHECK pw_rc pw_user_disable(pw_store *s, const char *name);

/* Calls cb for each user in order of name; non-zero from cb stops. */
PW_MUST_CHECK pw_rc pw_users_each(pw_store *s, pw_user_cb cb, void *ctx);

/* What a login attempt came to. */
typedef enum pw_login_result {
    PW_LOGIN_OK = 1,
    PW_LOGIN_FAILED, /* unknown name, wrong password or disabled */
    PW_LOGIN_LOCKED  /* too many failures: try after the lock ends */
} pw_login_result;

/* Checks name and password from address client (NULL: unknown) at time
 * now (seconds since the epoch). Failures are counted per name, known
 * or not, so the answer tells nothing about whether a user exists:
 * PW_AUTH_LOCK_FAILURES in a row from one address lock the name for
 * that address, and PW_AUTH_LOCK_FAILURES_ANY from all addresses
 * together lock it for every address, each for PW_AUTH_LOCK_SECONDS.
 * So someone guessing from one place cannot lock the user out
 * elsewhere, and guessing from many places is still bounded. A success
 * clears both counts. On PW_LOGIN_OK *who is filled. Returns PW_OK
 * whatever the result; PW_ERR_STORE or PW_ERR_NOMEM when the check
 * could not be made. */
PW_MUST_CHECK pw_rc pw_login(pw_store *s, const char *name,
                             const char *password, const char *client,
                             int64_t now, pw_login_result *result,
                             pw_principal *who);

/* Starts a session for user user_id lasting ttl seconds from now and
 * writes its token (PW_AUTH_TOKEN_LEN chars and a NUL) to token. */
PW_MUST_CHECK pw_rc pw_session_new(pw_store *s, int64_t user_id, int64_t now,
                                   int64_t ttl,
                                   char token[PW_AUTH_TOKEN_LEN + 1]);

/* The user of session token at time now into *who; PW_ERR_NOTFOUND
 * when there is no such session, it has expired or its user is
 * disabled. */
PW_MUST_CHECK pw_rc pw_session_check(pw_store *s, const char *token,
                                     int64_t now, pw_principal *who);

/* Ends session token; one that does not exist is no error. */
PW_MUST_CHECK pw_rc pw_session_end(pw_store *s, const char *token);

/* Makes a new API key for user user_id into key (shown once: only its
 * hash is kept). */
PW_MUST_CHECK pw_rc pw_apikey_new(pw_store *s, int64_t user_id,
                                  char key[PW_AUTH_TOKEN_LEN + 1]);

/* The user of API key into *who; PW_ERR_NOTFOUND when the key is not
 * known or its user is disabled. */
PW_MUST_CHECK pw_rc pw_apikey_check(pw_store *s, const char *key,
                                    pw_principal *who);

#endif

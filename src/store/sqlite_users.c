/* Users, roles, sessions and API keys in the SQLite store: Argon2id
 * password hashes, and SHA-256 hashes of tokens and keys. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "paxwatch/auth.h"
#include "store/sqlite_impl.h"

static const char *const role_names[] = {
    NULL,          "analyst", "officer", "list_manager",
    "rule_author", "dpo",     "admin",   "carrier",
};

const char *pw_user_role_name(pw_user_role r)
{
    if (r < PW_ROLE_ANALYST || r > PW_ROLE_MAX)
        return "unknown";
    return role_names[r];
}

pw_user_role pw_user_role_from(const char *name)
{
    for (int r = PW_ROLE_ANALYST; name && r <= PW_ROLE_MAX; r++)
        if (!strcmp(name, role_names[r]))
            return (pw_user_role)r;
    return 0;
}

static pw_rc prepare(sq_store *q, const char *sql, sqlite3_stmt **st)
{
    if (sqlite3_prepare_v2(q->db, sql, -1, st, NULL) != SQLITE_OK)
        return sq_fail(q, "preparing a users statement");
    return PW_OK;
}

/* Runs st to its end, finalises it, and sets *changes (may be NULL). */
static pw_rc finish(sq_store *q, sqlite3_stmt *st, const char *doing,
                    int *changes)
{
    pw_rc rc = PW_OK;

    if (sqlite3_step(st) != SQLITE_DONE)
        rc = sq_fail(q, doing);
    else if (changes)
        *changes = sqlite3_changes(q->db);
    sqlite3_finalize(st);
    return rc;
}

static int name_ok(const char *name)
{
    size_t n = name ? strlen(name) : 0;

    if (n == 0 || n > PW_AUTH_MAX_NAME)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || strchr("._-@", c)))
            return 0;
    }
    return 1;
}

/* Argon2id at libsodium's interactive cost: a login should take a
 * fraction of a second, a guess at a stolen hash as long. */
static pw_rc hash_password(const char *password,
                           char out[crypto_pwhash_STRBYTES])
{
    size_t n = strlen(password);

    if (n > PW_AUTH_MAX_PASSWORD)
        return PW_ERR_LIMIT;
    if (sodium_init() < 0)
        return PW_ERR_NOMEM;
    if (crypto_pwhash_str_alg(out, password, n,
                              crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        return PW_ERR_NOMEM;
    return PW_OK;
}

/* Hex SHA-256 of a token or key: they carry 256 random bits, so a
 * fast hash suffices and lookups stay cheap. */
static void token_hash(const char *token, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];

    crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
    sodium_bin2hex(out, 65, h, sizeof h);
}

static pw_rc new_token(char out[PW_AUTH_TOKEN_LEN + 1])
{
    unsigned char raw[32];

    if (sodium_init() < 0)
        return PW_ERR_NOMEM;
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(out, PW_AUTH_TOKEN_LEN + 1, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return PW_OK;
}

pw_rc pw_user_add(pw_store *s, const char *name, pw_user_role role,
                  const char *password, int64_t *id)
{
    sq_store *q = (sq_store *)s;
    char hash[crypto_pwhash_STRBYTES] = "";
    char now[32];
    sqlite3_stmt *st;
    pw_rc rc;

    if (!name_ok(name) || !pw_user_role_from(pw_user_role_name(role)))
        return PW_ERR_INVALID;
    if (password && (rc = hash_password(password, hash)) != PW_OK)
        return rc;
    rc = prepare(q,
                 "INSERT INTO users (name, role, pwhash, created_at) "
                 "VALUES (?, ?, ?, ?)",
                 &st);
    if (rc != PW_OK)
        return rc;
    pw_store_now(now);
    sq_text(st, 1, name);
    sq_text(st, 2, pw_user_role_name(role));
    sq_text(st, 3, password ? hash : NULL);
    sq_text(st, 4, now);
    rc = PW_OK;
    switch (sqlite3_step(st) & 0xff) {
    case SQLITE_DONE:
        break;
    case SQLITE_CONSTRAINT:
        rc = PW_ERR_EXISTS;
        break;
    default:
        rc = sq_fail(q, "adding a user");
    }
    sqlite3_finalize(st);
    if (rc != PW_OK)
        return rc;
    if (id)
        *id = sqlite3_last_insert_rowid(q->db);
    return PW_OK;
}

pw_rc pw_user_passwd(pw_store *s, const char *name, const char *password)
{
    sq_store *q = (sq_store *)s;
    char hash[crypto_pwhash_STRBYTES];
    sqlite3_stmt *st;
    int changes = 0;
    pw_rc rc;

    if (!name || !password)
        return PW_ERR_INVALID;
    if ((rc = hash_password(password, hash)) != PW_OK)
        return rc;
    rc = prepare(q, "UPDATE users SET pwhash = ? WHERE name = ?", &st);
    if (rc != PW_OK)
        return rc;
    sq_text(st, 1, hash);
    sq_text(st, 2, name);
    rc = finish(q, st, "setting a password", &changes);
    if (rc == PW_OK && changes == 0)
        rc = PW_ERR_NOTFOUND;
    return rc;
}

static pw_rc exec_for_user(sq_store *q, const char *sql, const char *name,
                           int *changes)
{
    sqlite3_stmt *st;
    pw_rc rc = prepare(q, sql, &st);

    if (rc != PW_OK)
        return rc;
    sq_text(st, 1, name);
    return finish(q, st, "disabling a user", changes);
}

pw_rc pw_user_disable(pw_store *s, const char *name)
{
    sq_store *q = (sq_store *)s;
    int changes = 0;
    pw_rc rc;

    if (!name)
        return PW_ERR_INVALID;
    rc = exec_for_user(q, "UPDATE users SET disabled = 1 WHERE name = ?", name,
                       &changes);
    if (rc == PW_OK && changes == 0)
        return PW_ERR_NOTFOUND;
    if (rc == PW_OK)
        rc = exec_for_user(q,
                           "DELETE FROM sessions WHERE user_id = "
                           "(SELECT id FROM users WHERE name = ?)",
                           name, NULL);
    if (rc == PW_OK)
        rc = exec_for_user(q,
                           "DELETE FROM api_keys WHERE user_id = "
                           "(SELECT id FROM users WHERE name = ?)",
                           name, NULL);
    return rc;
}

pw_rc pw_users_each(pw_store *s, pw_user_cb cb, void *ctx)
{
    sq_store *q = (sq_store *)s;
    sqlite3_stmt *st;
    pw_rc rc = prepare(q,
                       "SELECT id, name, role, disabled, pwhash IS NOT NULL, "
                       "created_at FROM users ORDER BY name",
                       &st);
    int r;

    if (rc != PW_OK)
        return rc;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        pw_user u = {
            .id = sqlite3_column_int64(st, 0),
            .name = sq_col(st, 1),
            .role = pw_user_role_from(sq_col(st, 2)),
            .disabled = sqlite3_column_int(st, 3),
            .has_password = sqlite3_column_int(st, 4),
            .created_at = sq_col(st, 5),
        };
        if (cb(ctx, &u))
            break;
    }
    rc = (r == SQLITE_ROW || r == SQLITE_DONE) ? PW_OK
                                               : sq_fail(q, "listing users");
    sqlite3_finalize(st);
    return rc;
}

/* Failures recorded for name and when its lock ends (0, 0 if none). */
static pw_rc failures_of(sq_store *q, const char *name, int64_t *n,
                         int64_t *until)
{
    sqlite3_stmt *st;
    pw_rc rc = prepare(q,
                       "SELECT failures, locked_until FROM login_failures "
                       "WHERE name = ?",
                       &st);

    if (rc != PW_OK)
        return rc;
    sq_text(st, 1, name);
    *n = *until = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        *n = sqlite3_column_int64(st, 0);
        *until = sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    return PW_OK;
}

static pw_rc set_failures(sq_store *q, const char *name, int64_t n,
                          int64_t until)
{
    sqlite3_stmt *st;
    pw_rc rc = prepare(q,
                       "INSERT OR REPLACE INTO login_failures (name, "
                       "failures, locked_until) VALUES (?, ?, ?)",
                       &st);

    if (rc != PW_OK)
        return rc;
    sq_text(st, 1, name);
    sqlite3_bind_int64(st, 2, n);
    sqlite3_bind_int64(st, 3, until);
    return finish(q, st, "counting login failures", NULL);
}

/* Checks password against user name; *ok 1 when it matches an enabled
 * user, with *who filled. An unknown name costs a hash all the same,
 * so timing does not tell it apart. */
static pw_rc check_password(sq_store *q, const char *name, const char *password,
                            int *ok, pw_principal *who)
{
    char dummy[crypto_pwhash_STRBYTES];
    sqlite3_stmt *st;
    pw_rc rc = prepare(q,
                       "SELECT id, role, pwhash FROM users WHERE name = ? "
                       "AND disabled = 0 AND pwhash IS NOT NULL",
                       &st);

    if (rc != PW_OK)
        return rc;
    sq_text(st, 1, name);
    *ok = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        const char *h = sq_col(st, 2);
        *ok = crypto_pwhash_str_verify(h, password, strlen(password)) == 0;
        who->id = sqlite3_column_int64(st, 0);
        who->role = pw_user_role_from(sq_col(st, 1));
        snprintf(who->name, sizeof who->name, "%s", name);
    } else if ((rc = hash_password(password, dummy)) != PW_OK) {
        sqlite3_finalize(st);
        return rc;
    }
    sqlite3_finalize(st);
    return PW_OK;
}

/* One failure counted on key; *locked set when it now locks. */
static pw_rc count_failure(sq_store *q, const char *key, int64_t fails,
                           int64_t until, int64_t limit, int64_t now,
                           int *locked)
{
    fails = until ? 1 : fails + 1; /* a lock that ended starts afresh */
    if (fails >= limit) {
        *locked = 1;
        return set_failures(q, key, fails, now + PW_AUTH_LOCK_SECONDS);
    }
    return set_failures(q, key, fails, 0);
}

pw_rc pw_login(pw_store *s, const char *name, const char *password,
               const char *client, int64_t now, pw_login_result *result,
               pw_principal *who)
{
    sq_store *q = (sq_store *)s;
    /* login_failures keys: the name for all addresses together, the
     * name, a unit separator and the address for one */
    char here[PW_AUTH_MAX_NAME + 1 + 64 + 1];
    int64_t fails, until, fails_here, until_here;
    int ok = 0, locked = 0;
    pw_rc rc;

    *result = PW_LOGIN_FAILED;
    if (!name || !password || strlen(name) > PW_AUTH_MAX_NAME ||
        strlen(password) > PW_AUTH_MAX_PASSWORD || sodium_init() < 0)
        return PW_OK;
    snprintf(here, sizeof here, "%s\x1f%.64s", name, client ? client : "");
    if ((rc = failures_of(q, name, &fails, &until)) != PW_OK ||
        (rc = failures_of(q, here, &fails_here, &until_here)) != PW_OK)
        return rc;
    if (until > now || until_here > now) {
        *result = PW_LOGIN_LOCKED;
        return PW_OK;
    }
    if ((rc = check_password(q, name, password, &ok, who)) != PW_OK)
        return rc;
    if (ok) {
        *result = PW_LOGIN_OK;
        if (fails && (rc = set_failures(q, name, 0, 0)) != PW_OK)
            return rc;
        return fails_here ? set_failures(q, here, 0, 0) : PW_OK;
    }
    rc = count_failure(q, here, fails_here, until_here, PW_AUTH_LOCK_FAILURES,
                       now, &locked);
    if (rc == PW_OK)
        rc = count_failure(q, name, fails, until, PW_AUTH_LOCK_FAILURES_ANY,
                           now, &locked);
    if (locked)
        *result = PW_LOGIN_LOCKED;
    return rc;
}

pw_rc pw_session_new(pw_store *s, int64_t user_id, int64_t now, int64_t ttl,
                     char token[PW_AUTH_TOKEN_LEN + 1])
{
    sq_store *q = (sq_store *)s;
    char hash[65];
    sqlite3_stmt *st;
    pw_rc rc = new_token(token);

    if (rc == PW_OK)
        rc = prepare(q,
                     "INSERT INTO sessions (token_hash, user_id, expires) "
                     "VALUES (?, ?, ?)",
                     &st);
    if (rc != PW_OK)
        return rc;
    token_hash(token, hash);
    sq_text(st, 1, hash);
    sqlite3_bind_int64(st, 2, user_id);
    sqlite3_bind_int64(st, 3, now + ttl);
    return finish(q, st, "starting a session", NULL);
}

/* Runs a lookup of a hashed token to its enabled user. */
static pw_rc lookup(sq_store *q, const char *sql, const char *token,
                    int64_t now, pw_principal *who)
{
    char hash[65];
    sqlite3_stmt *st;
    pw_rc rc;

    if (!token || strlen(token) != PW_AUTH_TOKEN_LEN)
        return PW_ERR_NOTFOUND;
    if ((rc = prepare(q, sql, &st)) != PW_OK)
        return rc;
    token_hash(token, hash);
    sq_text(st, 1, hash);
    sqlite3_bind_int64(st, 2, now);
    rc = PW_ERR_NOTFOUND;
    if (sqlite3_step(st) == SQLITE_ROW) {
        who->id = sqlite3_column_int64(st, 0);
        snprintf(who->name, sizeof who->name, "%s", sq_col(st, 1));
        who->role = pw_user_role_from(sq_col(st, 2));
        rc = PW_OK;
    }
    sqlite3_finalize(st);
    return rc;
}

pw_rc pw_session_check(pw_store *s, const char *token, int64_t now,
                       pw_principal *who)
{
    return lookup((sq_store *)s,
                  "SELECT u.id, u.name, u.role FROM sessions s JOIN users "
                  "u ON u.id = s.user_id WHERE s.token_hash = ? AND "
                  "s.expires > ? AND u.disabled = 0",
                  token, now, who);
}

pw_rc pw_session_end(pw_store *s, const char *token)
{
    sq_store *q = (sq_store *)s;
    char hash[65];
    sqlite3_stmt *st;
    pw_rc rc;

    if (!token)
        return PW_OK;
    if ((rc = prepare(q, "DELETE FROM sessions WHERE token_hash = ?", &st)) !=
        PW_OK)
        return rc;
    token_hash(token, hash);
    sq_text(st, 1, hash);
    return finish(q, st, "ending a session", NULL);
}

pw_rc pw_apikey_new(pw_store *s, int64_t user_id,
                    char key[PW_AUTH_TOKEN_LEN + 1])
{
    sq_store *q = (sq_store *)s;
    char hash[65], now[32];
    sqlite3_stmt *st;
    pw_rc rc = new_token(key);

    if (rc == PW_OK)
        rc = prepare(q,
                     "INSERT INTO api_keys (key_hash, user_id, created_at) "
                     "VALUES (?, ?, ?)",
                     &st);
    if (rc != PW_OK)
        return rc;
    token_hash(key, hash);
    pw_store_now(now);
    sq_text(st, 1, hash);
    sqlite3_bind_int64(st, 2, user_id);
    sq_text(st, 3, now);
    return finish(q, st, "storing an API key", NULL);
}

pw_rc pw_apikey_check(pw_store *s, const char *key, pw_principal *who)
{
    /* ?2 is bound but keys do not expire */
    return lookup((sq_store *)s,
                  "SELECT u.id, u.name, u.role FROM api_keys k JOIN users "
                  "u ON u.id = k.user_id WHERE k.key_hash = ?1 AND ?2 IS "
                  "NOT NULL AND u.disabled = 0",
                  key, 0, who);
}

/* Unit tests for users, roles, logins with lock-out, sessions with
 * expiry and API keys in the store. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "paxwatch/auth.h"

static char db_path[256];

static void remove_db(void)
{
    char side[300];

    unlink(db_path);
    snprintf(side, sizeof side, "%s-wal", db_path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", db_path);
    unlink(side);
}

static int setup(void **state)
{
    pw_store *s = NULL;

    snprintf(db_path, sizeof db_path, "/tmp/pw-test-auth-%d.db", (int)getpid());
    remove_db();
    if (pw_store_open(db_path, &s) != PW_OK)
        return -1;
    *state = s;
    return 0;
}

static int teardown(void **state)
{
    pw_store_close(*state);
    remove_db();
    return 0;
}

static void roles_round_trip(void **state)
{
    (void)state;
    for (int r = PW_ROLE_ANALYST; r <= PW_ROLE_MAX; r++)
        assert_int_equal(pw_user_role_from(pw_user_role_name(r)), r);
    assert_int_equal(pw_user_role_from("king"), 0);
    assert_int_equal(pw_user_role_from(NULL), 0);
    assert_string_equal(pw_user_role_name(99), "unknown");
}

static void add_refusals(void **state)
{
    pw_store *s = *state;
    char long_name[PW_AUTH_MAX_NAME + 2];

    memset(long_name, 'a', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    assert_int_equal(pw_user_add(s, "ok", PW_ROLE_ANALYST, "p", NULL), PW_OK);
    assert_int_equal(pw_user_add(s, "ok", PW_ROLE_ADMIN, "p", NULL),
                     PW_ERR_EXISTS);
    assert_int_equal(pw_user_add(s, "a b", PW_ROLE_ANALYST, "p", NULL),
                     PW_ERR_INVALID);
    assert_int_equal(pw_user_add(s, long_name, PW_ROLE_ANALYST, "p", NULL),
                     PW_ERR_INVALID);
    assert_int_equal(pw_user_add(s, "x", 42, "p", NULL), PW_ERR_INVALID);
    assert_int_equal(pw_user_passwd(s, "nobody", "p"), PW_ERR_NOTFOUND);
    assert_int_equal(pw_user_disable(s, "nobody"), PW_ERR_NOTFOUND);
}

static void login_and_lock_out(void **state)
{
    pw_store *s = *state;
    pw_principal who;
    pw_login_result res;
    int64_t now = 1000000;

    assert_int_equal(pw_user_add(s, "ann", PW_ROLE_DPO, "right", NULL), PW_OK);
    assert_int_equal(pw_login(s, "ann", "right", "10.0.0.1", now, &res, &who),
                     PW_OK);
    assert_int_equal(res, PW_LOGIN_OK);
    assert_string_equal(who.name, "ann");
    assert_int_equal(who.role, PW_ROLE_DPO);
    for (int i = 1; i < PW_AUTH_LOCK_FAILURES; i++) {
        assert_int_equal(
            pw_login(s, "ann", "wrong", "10.0.0.1", now, &res, &who), PW_OK);
        assert_int_equal(res, PW_LOGIN_FAILED);
    }
    assert_int_equal(pw_login(s, "ann", "wrong", "10.0.0.1", now, &res, &who),
                     PW_OK);
    assert_int_equal(res, PW_LOGIN_LOCKED);
    assert_int_equal(
        pw_login(s, "ann", "right", "10.0.0.1", now + 60, &res, &who), PW_OK);
    assert_int_equal(res, PW_LOGIN_LOCKED);
    /* the lock ends after its time */
    assert_int_equal(pw_login(s, "ann", "right", "10.0.0.1",
                              now + PW_AUTH_LOCK_SECONDS + 1, &res, &who),
                     PW_OK);
    assert_int_equal(res, PW_LOGIN_OK);
}

/* Guessing from one address does not lock the user out at another;
 * guessing from many addresses together still locks the name. */
static void lock_out_per_address(void **state)
{
    pw_store *s = *state;
    pw_principal who;
    pw_login_result res;
    int64_t now = 2000000;
    char addr[32];

    assert_int_equal(pw_user_add(s, "cy", PW_ROLE_ANALYST, "right", NULL),
                     PW_OK);
    for (int i = 0; i < PW_AUTH_LOCK_FAILURES; i++)
        assert_int_equal(
            pw_login(s, "cy", "wrong", "10.6.6.6", now, &res, &who), PW_OK);
    assert_int_equal(res, PW_LOGIN_LOCKED);
    assert_int_equal(pw_login(s, "cy", "right", "10.6.6.6", now, &res, &who),
                     PW_OK);
    assert_int_equal(res, PW_LOGIN_LOCKED);
    assert_int_equal(pw_login(s, "cy", "right", "10.1.1.1", now, &res, &who),
                     PW_OK);
    assert_int_equal(res, PW_LOGIN_OK);
    /* the success cleared the count of all addresses, not the lock of
     * the guessing one */
    for (int i = 0; i < PW_AUTH_LOCK_FAILURES_ANY; i++) {
        snprintf(addr, sizeof addr, "10.7.%d.%d", i / 4, i % 4);
        assert_int_equal(pw_login(s, "cy", "wrong", addr, now, &res, &who),
                         PW_OK);
        assert_int_equal(res, i + 1 < PW_AUTH_LOCK_FAILURES_ANY
                                  ? PW_LOGIN_FAILED
                                  : PW_LOGIN_LOCKED);
    }
    assert_int_equal(pw_login(s, "cy", "right", "10.1.1.1", now, &res, &who),
                     PW_OK);
    assert_int_equal(res, PW_LOGIN_LOCKED);
    assert_int_equal(pw_login(s, "cy", "right", "10.1.1.1",
                              now + PW_AUTH_LOCK_SECONDS + 1, &res, &who),
                     PW_OK);
    assert_int_equal(res, PW_LOGIN_OK);
}

static void disabled_cannot_log_in(void **state)
{
    pw_store *s = *state;
    pw_principal who;
    pw_login_result res;
    char token[PW_AUTH_TOKEN_LEN + 1];
    int64_t id;

    assert_int_equal(pw_user_add(s, "bo", PW_ROLE_ANALYST, "pw", &id), PW_OK);
    assert_int_equal(pw_session_new(s, id, 100, 50, token), PW_OK);
    assert_int_equal(pw_session_check(s, token, 120, &who), PW_OK);
    assert_int_equal(pw_user_disable(s, "bo"), PW_OK);
    assert_int_equal(pw_session_check(s, token, 120, &who), PW_ERR_NOTFOUND);
    assert_int_equal(pw_login(s, "bo", "pw", NULL, 130, &res, &who), PW_OK);
    assert_int_equal(res, PW_LOGIN_FAILED);
}

static void sessions_expire_and_end(void **state)
{
    pw_store *s = *state;
    pw_principal who;
    char token[PW_AUTH_TOKEN_LEN + 1], other[PW_AUTH_TOKEN_LEN + 1];
    int64_t id;

    assert_int_equal(pw_user_add(s, "cy", PW_ROLE_ADMIN, "pw", &id), PW_OK);
    assert_int_equal(pw_session_new(s, id, 1000, 60, token), PW_OK);
    assert_int_equal(strlen(token), PW_AUTH_TOKEN_LEN);
    assert_int_equal(pw_session_check(s, token, 1059, &who), PW_OK);
    assert_int_equal(who.id, id);
    assert_int_equal(pw_session_check(s, token, 1060, &who), PW_ERR_NOTFOUND);
    assert_int_equal(pw_session_new(s, id, 2000, 60, other), PW_OK);
    assert_string_not_equal(token, other);
    assert_int_equal(pw_session_end(s, other), PW_OK);
    assert_int_equal(pw_session_check(s, other, 2001, &who), PW_ERR_NOTFOUND);
    assert_int_equal(pw_session_check(s, "short", 0, &who), PW_ERR_NOTFOUND);
}

static void api_keys(void **state)
{
    pw_store *s = *state;
    pw_principal who;
    char key[PW_AUTH_TOKEN_LEN + 1];
    int64_t id;

    assert_int_equal(pw_user_add(s, "air", PW_ROLE_CARRIER, NULL, &id), PW_OK);
    assert_int_equal(pw_apikey_new(s, id, key), PW_OK);
    assert_int_equal(pw_apikey_check(s, key, &who), PW_OK);
    assert_int_equal(who.role, PW_ROLE_CARRIER);
    key[0] = key[0] == 'A' ? 'B' : 'A';
    assert_int_equal(pw_apikey_check(s, key, &who), PW_ERR_NOTFOUND);
}

static int count(void *ctx, const pw_user *u)
{
    (*(int *)ctx)++;
    assert_non_null(u->name);
    return 0;
}

static void listing(void **state)
{
    pw_store *s = *state;
    int n = 0;

    assert_int_equal(pw_user_add(s, "d1", PW_ROLE_ANALYST, "p", NULL), PW_OK);
    assert_int_equal(pw_user_add(s, "d2", PW_ROLE_CARRIER, NULL, NULL), PW_OK);
    assert_int_equal(pw_users_each(s, count, &n), PW_OK);
    assert_int_equal(n, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(roles_round_trip),
        cmocka_unit_test_setup_teardown(add_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(lock_out_per_address, setup, teardown),
        cmocka_unit_test_setup_teardown(login_and_lock_out, setup, teardown),
        cmocka_unit_test_setup_teardown(disabled_cannot_log_in, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(sessions_expire_and_end, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(api_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(listing, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

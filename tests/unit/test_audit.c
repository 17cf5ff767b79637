/* Unit tests for the audit log: the hash of an entry, the chain as
 * written, listing with filters, and verify on tampered chains. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "paxwatch/audit.h"

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

/* A store with entries by u0, u1, u2, u0, u1. */
static int setup(void **state)
{
    pw_store *s = NULL;
    static const char *const who[] = {"u0", "u1", "u2"};

    snprintf(db_path, sizeof db_path, "/tmp/pw-test-audit-%d.db",
             (int)getpid());
    remove_db();
    if (pw_store_open(db_path, &s) != PW_OK)
        return -1;
    for (int i = 0; i < 5; i++) {
        pw_audit_entry e = {.who = who[i % 3],
                            .action = "hit.read",
                            .object = "7",
                            .client = "127.0.0.1",
                            .purpose = i == 2 ? "case 12" : NULL};
        if (pw_audit_add(s, &e) != PW_OK)
            return -1;
    }
    *state = s;
    return 0;
}

static int teardown(void **state)
{
    pw_store_close(*state);
    remove_db();
    return 0;
}

static void hash_depends_on_everything(void **state)
{
    pw_audit_entry a = {.seq = 1,
                        .at = "2024-01-01T00:00:00Z",
                        .who = "u",
                        .action = "x",
                        .object = "1"};
    pw_audit_entry b = a;
    char ha[65], hb[65];

    (void)state;
    pw_audit_hash("", &a, ha);
    assert_int_equal(strlen(ha), 64);
    pw_audit_hash("", &b, hb);
    assert_string_equal(ha, hb);
    b.object = NULL; /* missing differs from empty and from "1" */
    pw_audit_hash("", &b, hb);
    assert_string_not_equal(ha, hb);
    b = a;
    pw_audit_hash("00", &b, hb);
    assert_string_not_equal(ha, hb);
    /* moving a byte between fields changes the hash */
    b.who = "ux";
    b.action = "";
    pw_audit_hash("", &b, hb);
    assert_string_not_equal(ha, hb);
}

static void refuses_missing_fields(void **state)
{
    pw_audit_entry e = {.who = "u"};

    assert_int_equal(pw_audit_add(*state, &e), PW_ERR_INVALID);
    assert_int_equal(pw_audit_add(*state, NULL), PW_ERR_INVALID);
}

struct seen {
    int n;
    int64_t last_seq;
    char purpose[32];
};

static int collect(void *ctx, const pw_audit_entry *e)
{
    struct seen *s = ctx;

    s->n++;
    s->last_seq = e->seq;
    if (e->purpose)
        snprintf(s->purpose, sizeof s->purpose, "%s", e->purpose);
    return 0;
}

static void lists_with_filters(void **state)
{
    struct seen all = {0}, u0 = {0}, page = {0}, later = {0};
    pw_audit_filter f0 = {.who = "u0"};
    pw_audit_filter fp = {.limit = 2, .offset = 1};
    pw_audit_filter fl = {.since = "2999-01-01"};

    assert_int_equal(pw_audit_each(*state, NULL, collect, &all), PW_OK);
    assert_int_equal(all.n, 5);
    assert_int_equal(all.last_seq, 5);
    assert_string_equal(all.purpose, "case 12");
    assert_int_equal(pw_audit_each(*state, &f0, collect, &u0), PW_OK);
    assert_int_equal(u0.n, 2);
    assert_int_equal(pw_audit_each(*state, &fp, collect, &page), PW_OK);
    assert_int_equal(page.n, 2);
    assert_int_equal(page.last_seq, 3);
    assert_int_equal(pw_audit_each(*state, &fl, collect, &later), PW_OK);
    assert_int_equal(later.n, 0);
}

/* Runs sql on the store's file through a second connection. */
static void tamper(const char *sql)
{
    sqlite3 *db;

    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "DROP TRIGGER audit_no_update;"
                                  "DROP TRIGGER audit_no_delete;",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

static void verify_intact(void **state)
{
    pw_audit_check c;

    assert_int_equal(pw_audit_verify(*state, &c), PW_OK);
    assert_int_equal(c.bad, 0);
    assert_int_equal(c.entries, 5);
}

static void verify_changed(void **state)
{
    pw_audit_check c;

    tamper("UPDATE audit SET object = '8' WHERE seq = 4");
    assert_int_equal(pw_audit_verify(*state, &c), PW_OK);
    assert_int_equal(c.bad, 4);
    assert_non_null(strstr(c.why, "hash"));
}

static void verify_removed(void **state)
{
    pw_audit_check c;

    tamper("DELETE FROM audit WHERE seq = 1");
    assert_int_equal(pw_audit_verify(*state, &c), PW_OK);
    assert_int_equal(c.bad, 1);
    assert_non_null(strstr(c.why, "removed"));
}

static void verify_reordered(void **state)
{
    pw_audit_check c;

    tamper("UPDATE audit SET id = 100 WHERE seq = 3;"
           "UPDATE audit SET id = 3 WHERE seq = 5;"
           "UPDATE audit SET id = 5 WHERE seq = 3;");
    assert_int_equal(pw_audit_verify(*state, &c), PW_OK);
    assert_int_equal(c.bad, 3);
}

static void append_after_tamper_keeps_order(void **state)
{
    pw_audit_entry e = {.who = "u9", .action = "login"};
    pw_audit_check c;

    assert_int_equal(pw_audit_add(*state, &e), PW_OK);
    assert_int_equal(pw_audit_verify(*state, &c), PW_OK);
    assert_int_equal(c.bad, 0);
    assert_int_equal(c.entries, 6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hash_depends_on_everything),
        cmocka_unit_test_setup_teardown(refuses_missing_fields, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(lists_with_filters, setup, teardown),
        cmocka_unit_test_setup_teardown(verify_intact, setup, teardown),
        cmocka_unit_test_setup_teardown(verify_changed, setup, teardown),
        cmocka_unit_test_setup_teardown(verify_removed, setup, teardown),
        cmocka_unit_test_setup_teardown(verify_reordered, setup, teardown),
        cmocka_unit_test_setup_teardown(append_after_tamper_keeps_order, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

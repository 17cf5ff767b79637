/* Unit tests for the store's schema version 2: hits (one per traveller
 * identity, list and entry; listing by movement), the traveller's first
 * document kept in its row with the others beside it, and the
 * watchlist tables made by a migration. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "paxwatch/ingest.h"
#include "paxwatch/store.h"

static char db_path[256];

static int setup(void **state)
{
    (void)state;
    snprintf(db_path, sizeof(db_path), "/tmp/pw-test-store-hits-%d.db",
             (int)getpid());
    unlink(db_path);
    return 0;
}

static int teardown(void **state)
{
    char side[300];

    (void)state;
    unlink(db_path);
    snprintf(side, sizeof(side), "%s-wal", db_path);
    unlink(side);
    snprintf(side, sizeof(side), "%s-shm", db_path);
    unlink(side);
    return 0;
}

static pw_store *open_store(void)
{
    pw_store *s = NULL;

    assert_int_equal(pw_store_open(db_path, &s), PW_OK);
    return s;
}

/* IG example 5.1 with a visa after the passport. */
static const char two_docs[] =
    "UNB+UNOA:4+ZZAIRLINE+CUSTOMS+130620:0900+000000001'"
    "UNH+PAX001+PAXLST:D:05B:UN:IATA'BGM+745'TDT+20+ZZ123+++ZZ'"
    "LOC+125+SYD'DTM+189:1306210900:201'LOC+87+HNL'"
    "DTM+232:1306212200:201'NAD+FL+++WILLIAMS:JOHN:DONALD'ATT+2++M'"
    "DTM+329:720907'NAT+2+GBR'DOC+P+MB140241'DTM+36:151231'"
    "LOC+91+GBR'DOC+V+VIS998877'LOC+91+USA'CNT+42:1'UNT+18+PAX001'"
    "UNZ+1+000000001'";

struct seen {
    int64_t traveller, movement;
    size_t n_docs;
    char docs[4][32];
};

static int first_traveller(void *ctx, const pw_store_traveller *tr)
{
    struct seen *sn = ctx;

    sn->traveller = tr->id;
    sn->movement = tr->movement_id;
    sn->n_docs = tr->t.n_documents;
    for (size_t i = 0; i < tr->t.n_documents && i < 4; i++)
        snprintf(sn->docs[i], 32, "%s %s %s", tr->t.documents[i].type,
                 tr->t.documents[i].number,
                 tr->t.documents[i].issuer ? tr->t.documents[i].issuer : "-");
    return 1;
}

static struct seen stored_traveller(pw_store *s)
{
    pw_ingest_report r;
    struct seen sn = {0};

    assert_int_equal(pw_ingest(s, "t", two_docs, strlen(two_docs), &r), PW_OK);
    assert_int_equal(r.status, PW_INGEST_ACCEPTED);
    pw_ingest_report_free(&r);
    assert_int_equal(pw_store_travellers(s, NULL, first_traveller, &sn), PW_OK);
    return sn;
}

static void test_documents_in_row_and_beside(void **state)
{
    pw_store *s = open_store();
    struct seen sn = stored_traveller(s);
    pw_store_counts c;

    (void)state;
    assert_true(pw_store_schema_version(s) >= 2);
    assert_int_equal(sn.n_docs, 2);
    assert_string_equal(sn.docs[0], "P MB140241 GBR");
    assert_string_equal(sn.docs[1], "V VIS998877 USA");
    assert_int_equal(pw_store_counts_get(s, &c), PW_OK);
    assert_int_equal(c.documents, 2);
    pw_store_close(s);
}

struct hit_list {
    size_t n;
    char entries[4][64];
};

static int collect(void *ctx, const pw_store_hit *h)
{
    struct hit_list *hl = ctx;

    if (hl->n < 4)
        snprintf(hl->entries[hl->n], 64, "%s/%s %.2f %s %s %s", h->list,
                 h->entry_id, h->score, h->kind, h->status,
                 h->surname ? h->surname : "-");
    hl->n++;
    return 0;
}

static void test_one_hit_per_identity_list_entry(void **state)
{
    pw_store *s = open_store();
    struct seen sn = stored_traveller(s);
    pw_store_hit h = {.traveller_id = sn.traveller,
                      .movement_id = sn.movement,
                      .identity = "id-1",
                      .list = "un",
                      .entry_id = "QDi.1",
                      .entry_name = "X",
                      .score = 0.91,
                      .explanation = "{\"parts\":[]}",
                      .kind = "name"};
    struct hit_list hl = {0};
    int added = -1;

    (void)state;
    assert_int_equal(pw_store_add_hit(s, &h, &added), PW_OK);
    assert_int_equal(added, 1);
    assert_int_equal(pw_store_add_hit(s, &h, &added), PW_OK);
    assert_int_equal(added, 0); /* same identity, list and entry */
    h.entry_id = "QDi.2";
    assert_int_equal(pw_store_add_hit(s, &h, &added), PW_OK);
    assert_int_equal(added, 1);
    h.list = "other";
    assert_int_equal(pw_store_add_hit(s, &h, &added), PW_OK);
    assert_int_equal(added, 1);
    h.identity = NULL;
    assert_int_equal(pw_store_add_hit(s, &h, &added), PW_ERR_INVALID);

    assert_int_equal(pw_store_hits(s, 0, collect, &hl), PW_OK);
    assert_int_equal(hl.n, 3);
    assert_string_equal(hl.entries[0], "un/QDi.1 0.91 name new WILLIAMS");
    assert_string_equal(hl.entries[2], "other/QDi.2 0.91 name new WILLIAMS");
    hl.n = 0;
    assert_int_equal(pw_store_hits(s, sn.movement + 1, collect, &hl), PW_OK);
    assert_int_equal(hl.n, 0);
    pw_store_close(s);
}

/* A hit added inside a transaction that rolls back is gone. */
static void test_hit_follows_transaction(void **state)
{
    pw_store *s = open_store();
    struct seen sn = stored_traveller(s);
    pw_store_hit h = {.traveller_id = sn.traveller,
                      .movement_id = sn.movement,
                      .identity = "id-1",
                      .list = "un",
                      .entry_id = "QDi.1",
                      .kind = "document"};
    struct hit_list hl = {0};

    (void)state;
    assert_int_equal(pw_store_begin(s), PW_OK);
    assert_int_equal(pw_store_add_hit(s, &h, NULL), PW_OK);
    pw_store_rollback(s);
    assert_int_equal(pw_store_hits(s, 0, collect, &hl), PW_OK);
    assert_int_equal(hl.n, 0);
    pw_store_close(s);
}

static int count_lists(void *ctx, const pw_store_list *l)
{
    (void)l;
    (*(size_t *)ctx)++;
    return 0;
}

static void test_watchlist_tables_from_migration(void **state)
{
    pw_store *s = open_store();
    size_t n = 0;

    (void)state;
    assert_int_equal(pw_store_lists(s, count_lists, &n), PW_OK);
    assert_int_equal(n, 0);
    pw_store_close(s);
}

static int in_part_of(void *ctx, const pw_store_traveller *tr)
{
    *(int *)ctx = tr->screened_in_part;
    return 1;
}

static int stored_in_part(pw_store *s)
{
    int v = -1;

    assert_int_equal(pw_store_travellers(s, NULL, in_part_of, &v), PW_OK);
    return v;
}

/* A traveller is stored screened in full; marked in part and back, and
 * the mark outlives the store being closed. */
static void test_screened_in_part(void **state)
{
    pw_store *s = open_store();
    struct seen sn = stored_traveller(s);

    (void)state;
    assert_int_equal(stored_in_part(s), 0);
    assert_int_equal(pw_store_set_screened(s, sn.traveller, 1), PW_OK);
    assert_int_equal(stored_in_part(s), 1);
    assert_int_equal(pw_store_set_screened(s, sn.traveller, 1), PW_OK);
    pw_store_close(s);
    s = open_store();
    assert_int_equal(stored_in_part(s), 1);
    assert_int_equal(pw_store_set_screened(s, sn.traveller, 0), PW_OK);
    assert_int_equal(stored_in_part(s), 0);
    assert_int_equal(pw_store_set_screened(s, 0, 1), PW_ERR_INVALID);
    assert_int_equal(pw_store_set_screened(NULL, sn.traveller, 1),
                     PW_ERR_INVALID);
    pw_store_close(s);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_documents_in_row_and_beside),
        T(test_one_hit_per_identity_list_entry),
        T(test_hit_follows_transaction),
        T(test_watchlist_tables_from_migration),
        T(test_screened_in_part),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

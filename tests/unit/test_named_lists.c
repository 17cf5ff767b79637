/* Unit tests for named lists rules use (`in list "NAME"`): storing and
 * versioning, lookups without regard to case, a list rule firing at
 * ingest only once its list is set, compiled rules reloaded when a rule
 * is disabled, and a stored traveller's booking read back for rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ingest/rules_eval.h"
#include "paxwatch/ingest.h"
#include "paxwatch/review.h"
#include "paxwatch/store.h"

static char db_path[256];

static void remove_db(void)
{
    char side[300];

    unlink(db_path);
    snprintf(side, sizeof(side), "%s-wal", db_path);
    unlink(side);
    snprintf(side, sizeof(side), "%s-shm", db_path);
    unlink(side);
}

static int setup(void **state)
{
    (void)state;
    snprintf(db_path, sizeof(db_path), "/tmp/pw-test-nlists-%d.db",
             (int)getpid());
    remove_db();
    setenv("PAXWATCH_USER", "analyst1", 1);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    remove_db();
    return 0;
}

static pw_store *open_store(void)
{
    pw_store *s = NULL;

    remove_db();
    assert_int_equal(pw_store_open(db_path, &s), PW_OK);
    return s;
}

static char *read_sample(const char *rel, size_t *len)
{
    const char *dir = getenv("PW_SHARED_DIR");
    char path[512];
    FILE *f;
    char *buf;
    long n;

    snprintf(path, sizeof(path), "%s/samples/%s", dir ? dir : "/work/shared",
             rel);
    f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* Replaces the first occurrence of from by to (same length). */
static void patch(char *text, const char *from, const char *to)
{
    char *p = strstr(text, from);

    assert_non_null(p);
    assert_int_equal(strlen(from), strlen(to));
    memcpy(p, to, strlen(to));
}

static size_t ingest(pw_store *s, const char *name, const char *data,
                     size_t len)
{
    pw_ingest_report r;
    size_t hits;

    assert_int_equal(pw_ingest(s, name, data, len, &r), PW_OK);
    assert_int_equal(r.status, PW_INGEST_ACCEPTED);
    hits = r.n_items ? r.items[0].hits : 0;
    pw_ingest_report_free(&r);
    return hits;
}

struct shown {
    unsigned version;
    size_t n_values;
    char content[256];
};

static int on_list(void *ctx, const pw_stored_rule_list *l)
{
    struct shown *sh = ctx;

    sh->version = l->version;
    sh->n_values = l->n_values;
    snprintf(sh->content, sizeof(sh->content), "%s", l->content);
    return 0;
}

static const char airports[] = "# airports we watch\n"
                               "  ORD \n"
                               "\n"
                               "ord\n"
                               "lhr\r\n"
                               "   # indented comment\n"
                               "JFK";

static void test_list_versions(void **state)
{
    pw_store *s = open_store();
    struct shown sh = {0};
    unsigned version = 0;
    size_t n = 0;
    int changed = 0;

    (void)state;
    assert_int_equal(pw_rule_list_put(s, "watch airports", airports,
                                      strlen(airports), "analyst1", &version,
                                      &n, &changed),
                     PW_OK);
    assert_int_equal(version, 1);
    assert_int_equal(n, 3); /* ORD once, LHR, JFK */
    assert_int_equal(changed, 1);
    /* the same values in another order and case change nothing */
    assert_int_equal(pw_rule_list_put(s, "Watch Airports", "jfk\nLHR\nORD\n",
                                      12, "lead", &version, &n, &changed),
                     PW_OK);
    assert_int_equal(changed, 0);
    assert_int_equal(version, 1);
    assert_int_equal(pw_rule_list_put(s, "watch airports", "ORD\nMDW\n", 8,
                                      "lead", &version, &n, &changed),
                     PW_OK);
    assert_int_equal(version, 2);
    assert_int_equal(changed, 1);
    assert_int_equal(pw_rule_list_get(s, "WATCH AIRPORTS", on_list, &sh),
                     PW_OK);
    assert_int_equal(sh.version, 2);
    assert_int_equal(sh.n_values, 2);
    assert_string_equal(sh.content, "MDW\nORD\n");
    assert_int_equal(pw_rule_list_get(s, "nope", on_list, &sh),
                     PW_ERR_NOTFOUND);
    pw_store_close(s);
}

static void test_list_limits(void **state)
{
    pw_store *s = open_store();
    size_t big = PW_RULE_LIST_MAX_VALUE + 10;
    char *text = malloc(big + 8);

    (void)state;
    assert_non_null(text);
    memcpy(text, "ORD\nLHR\n", 8);
    memset(text + 8, 'x', big);
    assert_int_equal(
        pw_rule_list_put(s, "x", text, big + 8, "a", NULL, NULL, NULL),
        PW_ERR_LIMIT);
    assert_non_null(strstr(pw_store_errmsg(s), "line 3"));
    assert_int_equal(pw_rule_list_put(s, "", "A", 1, "a", NULL, NULL, NULL),
                     PW_ERR_INVALID);
    free(text);
    pw_store_close(s);
}

static void test_lists_lookup(void **state)
{
    pw_store *s = open_store();
    pw_rule_lists *l = NULL;

    (void)state;
    assert_int_equal(pw_rule_list_put(s, "watch airports", airports,
                                      strlen(airports), "a", NULL, NULL, NULL),
                     PW_OK);
    assert_int_equal(pw_rule_lists_load(s, &l), PW_OK);
    assert_true(pw_rule_lists_has(l, "WATCH airports"));
    assert_false(pw_rule_lists_has(l, "watch"));
    assert_int_equal(pw_rule_lists_in(l, "watch airports", "Lhr", 3), 1);
    assert_int_equal(pw_rule_lists_in(l, "Watch Airports", "ORDX", 3), 1);
    assert_int_equal(pw_rule_lists_in(l, "watch airports", "YVR", 3), 0);
    assert_int_equal(pw_rule_lists_in(l, "watch airports", "OR", 2), 0);
    assert_int_equal(pw_rule_lists_in(l, "other", "ORD", 3), 0);
    pw_rule_lists_free(l);
    pw_store_close(s);
}

static const char list_rule[] = "rule \"Watched airport\"\n"
                                "  severity high\n"
                                "when\n"
                                "  movement.legs.to in list "
                                "\"watch airports\"\n";

static const char chicago[] = "rule \"Stop in Chicago\"\n"
                              "when\n"
                              "  movement.legs.to = \"ORD\"\n";

/* A rule added before its list is accepted and fires once the list
 * holds the airport; the change of list alone reloads the rules. */
static void test_list_rule_at_ingest(void **state)
{
    pw_store *s = open_store();
    size_t len, loads;
    char *msg = read_sample("paxlst/gtas-apisMessage.edi", &len);

    (void)state;
    assert_int_equal(pw_rules_put(s, "Watched airport", list_rule, "", "high",
                                  "analyst1", NULL, NULL),
                     PW_OK);
    assert_int_equal(ingest(s, "v1", msg, len), 0);
    loads = pw_ingest_rules_loads();
    assert_int_equal(pw_rule_list_put(s, "watch airports", "lhr\nord\n", 8,
                                      "analyst1", NULL, NULL, NULL),
                     PW_OK);
    patch(msg, "000006640", "000006641");
    patch(msg, "UNH+PAX001", "UNH+PAX002");
    assert_int_equal(ingest(s, "v2", msg, len), 2);
    assert_int_equal(pw_ingest_rules_loads(), loads + 1);
    /* nothing changed: the compiled set is reused */
    patch(msg, "000006641", "000006642");
    patch(msg, "CLARK:MICHAEL", "CLERK:MICHAEL");
    assert_int_equal(ingest(s, "v3", msg, len), 1);
    assert_int_equal(pw_ingest_rules_loads(), loads + 1);
    free(msg);
    pw_store_close(s);
}

static void test_cache_invalidation(void **state)
{
    pw_store *s = open_store();
    size_t len;
    char *msg = read_sample("paxlst/gtas-apisMessage.edi", &len);

    (void)state;
    assert_int_equal(pw_rules_put(s, "Stop in Chicago", chicago, "", "medium",
                                  "analyst1", NULL, NULL),
                     PW_OK);
    assert_int_equal(ingest(s, "v1", msg, len), 2);
    assert_int_equal(
        pw_rules_set_enabled(s, "Stop in Chicago", 0, "lead", NULL), PW_OK);
    patch(msg, "000006640", "000006643");
    patch(msg, "CLARK:MICHAEL", "CLERK:MICHAEL");
    assert_int_equal(ingest(s, "v2", msg, len), 0);
    /* enabled again, the new name hits */
    assert_int_equal(
        pw_rules_set_enabled(s, "Stop in Chicago", 1, "lead", NULL), PW_OK);
    patch(msg, "000006643", "000006644");
    assert_int_equal(ingest(s, "v3", msg, len), 1);
    free(msg);
    pw_store_close(s);
}

/* The tokens of two stores differ, so a process moving between them
 * never reuses the other's rules. */
static void test_generation(void **state)
{
    pw_store *s = open_store();
    int64_t t1 = 0, t2 = 0;

    (void)state;
    assert_int_equal(pw_rules_generation(s, &t1), PW_OK);
    assert_int_equal(pw_rules_put(s, "Stop in Chicago", chicago, "", "medium",
                                  "analyst1", NULL, NULL),
                     PW_OK);
    assert_int_equal(pw_rules_generation(s, &t2), PW_OK);
    assert_true(t1 != t2);
    pw_store_close(s);
}

struct booking_seen {
    pw_store *s;
    const pw_ruleset *rs;
    size_t travellers, with_booking, fired, indexed;
};

static int try_one(void *ctx, const pw_store_traveller *tr)
{
    struct booking_seen *bs = ctx;
    pw_rule_subject subj = {&tr->t, NULL, NULL, -1};
    pw_movement mv = {.mode = PW_MODE_AIR};
    pw_rule_hits hits = {0};
    pw_booking *bk = NULL;
    pw_arena a;

    subj.movement = &mv;
    pw_arena_init(&a, 0);
    assert_int_equal(
        pw_traveller_booking(bs->s, tr->id, &a, &bk, &subj.booking_traveller),
        PW_OK);
    subj.booking = bk;
    bs->travellers++;
    bs->with_booking += bk != NULL;
    bs->indexed += subj.booking_traveller >= 0;
    if (bk) {
        assert_non_null(bk->locator.locator);
        assert_true(bk->n_itinerary > 0);
    }
    assert_int_equal(pw_rules_eval(bs->rs, &subj, NULL, &hits), PW_OK);
    bs->fired += hits.n;
    pw_rule_hits_free(&hits);
    pw_arena_free(&a);
    return 0;
}

static void test_stored_booking(void **state)
{
    static const char card[] = "rule \"Card\"\nwhen\n"
                               "  booking.payment.type = \"cc\"\n"
                               "  and booking.itinerary.from = \"LHR\"\n";
    pw_store *s = open_store();
    size_t len;
    char *msg = read_sample("pnrgov/gtas-pnr1.edi", &len);
    pw_ruleset *rs = NULL;
    struct booking_seen bs = {.s = s};
    pw_arena a;
    pw_booking *bk = NULL;
    int idx = 0;

    (void)state;
    assert_int_equal(pw_rules_compile(card, strlen(card), &rs, NULL), PW_OK);
    bs.rs = rs;
    ingest(s, "pnr", msg, len);
    assert_int_equal(pw_store_travellers(s, NULL, try_one, &bs), PW_OK);
    assert_true(bs.travellers > 0);
    assert_int_equal(bs.with_booking, bs.travellers);
    assert_int_equal(bs.indexed, bs.travellers);
    assert_int_equal(bs.fired, bs.travellers);
    /* no such traveller: no booking, no error */
    pw_arena_init(&a, 0);
    assert_int_equal(pw_traveller_booking(s, 999999, &a, &bk, &idx), PW_OK);
    assert_null(bk);
    assert_int_equal(idx, -1);
    pw_arena_free(&a);
    pw_ruleset_free(rs);
    free(msg);
    pw_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list_versions),
        cmocka_unit_test(test_list_limits),
        cmocka_unit_test(test_lists_lookup),
        cmocka_unit_test(test_list_rule_at_ingest),
        cmocka_unit_test(test_cache_invalidation),
        cmocka_unit_test(test_generation),
        cmocka_unit_test(test_stored_booking),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}

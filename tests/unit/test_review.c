/* Unit tests for rules in the store (versions, enable and disable), the
 * review of hits (every step and every refusal), rule hits at ingest
 * with no second hit on a newer version, the history count rules ask
 * for, and a traveller's history and links. */
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
#include "paxwatch/review.h"
#include "paxwatch/store.h"

static char db_path[256];

static int setup(void **state)
{
    (void)state;
    snprintf(db_path, sizeof(db_path), "/tmp/pw-test-review-%d.db",
             (int)getpid());
    unlink(db_path);
    setenv("PAXWATCH_USER", "analyst1", 1);
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

static const char chicago[] = "rule \"Stop in Chicago\"\n"
                              "  category \"travel pattern\"\n"
                              "  severity high\n"
                              "when\n"
                              "  movement.legs.to = \"ORD\"\n";

static const char chicago2[] = "rule \"Stop in Chicago\"\n"
                               "  severity critical\n"
                               "when\n"
                               "  movement.legs.to in (\"ORD\", \"MDW\")\n";

struct seen {
    unsigned version;
    int enabled;
    char changes[8][16];
    char who[8][32];
    size_t n;
};

static int on_rule(void *ctx, const pw_stored_rule *r)
{
    struct seen *sn = ctx;

    sn->version = r->version;
    sn->enabled = r->enabled;
    return 0;
}

static int on_change(void *ctx, const pw_rule_change *c)
{
    struct seen *sn = ctx;

    if (sn->n < 8) {
        snprintf(sn->changes[sn->n], 16, "%s", c->change);
        snprintf(sn->who[sn->n], 32, "%s", c->who);
        sn->n++;
    }
    return 0;
}

static void test_rule_versions(void **state)
{
    pw_store *s = open_store();
    struct seen sn = {0};
    unsigned v = 0;
    int changed = -1;

    (void)state;
    assert_int_equal(pw_rules_put(s, "Stop in Chicago", chicago, "travel",
                                  "high", "analyst1", &v, &changed),
                     PW_OK);
    assert_int_equal(v, 1);
    assert_int_equal(changed, 1);
    assert_int_equal(pw_rules_put(s, "Stop in Chicago", chicago, "travel",
                                  "high", "analyst1", &v, &changed),
                     PW_OK);
    assert_int_equal(v, 1);
    assert_int_equal(changed, 0);
    assert_int_equal(pw_rules_put(s, "Stop in Chicago", chicago2, NULL,
                                  "critical", "analyst2", &v, &changed),
                     PW_OK);
    assert_int_equal(v, 2);
    assert_int_equal(changed, 1);

    assert_int_equal(
        pw_rules_set_enabled(s, "Stop in Chicago", 0, "lead", &changed), PW_OK);
    assert_int_equal(changed, 1);
    assert_int_equal(
        pw_rules_set_enabled(s, "Stop in Chicago", 0, "lead", &changed), PW_OK);
    assert_int_equal(changed, 0);
    assert_int_equal(pw_rules_get(s, "Stop in Chicago", on_rule, &sn), PW_OK);
    assert_int_equal(sn.version, 2);
    assert_int_equal(sn.enabled, 0);
    assert_int_equal(
        pw_rules_set_enabled(s, "Stop in Chicago", 1, "lead", &changed), PW_OK);
    assert_int_equal(pw_rules_changes(s, "Stop in Chicago", on_change, &sn),
                     PW_OK);
    assert_int_equal(sn.n, 4);
    assert_string_equal(sn.changes[0], "added");
    assert_string_equal(sn.changes[1], "replaced");
    assert_string_equal(sn.changes[2], "disabled");
    assert_string_equal(sn.changes[3], "enabled");
    assert_string_equal(sn.who[1], "analyst2");
    assert_string_equal(sn.who[3], "lead");
    assert_int_equal(pw_rules_set_enabled(s, "No such rule", 1, "lead", NULL),
                     PW_ERR_NOTFOUND);
    assert_int_equal(pw_rules_get(s, "No such rule", on_rule, &sn),
                     PW_ERR_NOTFOUND);
    pw_store_close(s);
}

static void test_who(void **state)
{
    char who[PW_REVIEW_MAX_WHO + 1];

    (void)state;
    pw_review_who(who, sizeof(who));
    assert_string_equal(who, "analyst1");
    unsetenv("PAXWATCH_USER");
    pw_review_who(who, sizeof(who));
    assert_true(who[0] != '\0');
    assert_string_not_equal(who, "analyst1");
    setenv("PAXWATCH_USER", "analyst1", 1);
}

struct hit_rows {
    int64_t ids[16];
    char status[16][16];
    char expl[16][256];
    unsigned version[16];
    size_t reviews[16];
    size_t n;
};

static int on_hit(void *ctx, const pw_review_hit *h)
{
    struct hit_rows *hr = ctx;

    if (hr->n < 16) {
        hr->ids[hr->n] = h->hit.id;
        snprintf(hr->status[hr->n], 16, "%s", h->hit.status);
        snprintf(hr->expl[hr->n], 256, "%s",
                 h->hit.explanation ? h->hit.explanation : "");
        hr->version[hr->n] = h->rule_version;
        hr->reviews[hr->n] = h->reviews;
        hr->n++;
    }
    return 0;
}

/* The rule fires at ingest; the same list sent again as a newer
 * version raises no second hit. */
static void test_rule_hits_at_ingest(void **state)
{
    pw_store *s = (teardown(state), open_store());
    size_t len;
    char *v1 = read_sample("paxlst/gtas-apisMessage.edi", &len);
    char *v2 = malloc(len + 1);
    struct hit_rows hr = {0};
    pw_hit_filter f = {.status = PW_HIT_NEW};

    (void)state;
    memcpy(v2, v1, len + 1);
    patch(v2, "000006640", "000006641");
    patch(v2, "UNH+PAX001", "UNH+PAX002");
    assert_int_equal(pw_rules_put(s, "Stop in Chicago", chicago, "travel",
                                  "high", "analyst1", NULL, NULL),
                     PW_OK);
    assert_int_equal(ingest(s, "v1", v1, len), 2);
    assert_int_equal(ingest(s, "v2", v2, len), 0);
    assert_int_equal(pw_review_hits(s, &f, on_hit, &hr), PW_OK);
    assert_int_equal(hr.n, 2);
    assert_int_equal(hr.version[0], 1);
    assert_non_null(strstr(hr.expl[0], "\"movement.legs.to\""));
    assert_non_null(strstr(hr.expl[0], "\"ORD\""));

    /* A disabled rule raises nothing. */
    patch(v2, "000006641", "000006642");
    assert_int_equal(
        pw_rules_set_enabled(s, "Stop in Chicago", 0, "lead", NULL), PW_OK);
    patch(v1, "000006640", "000006643");
    patch(v1, "CLARK:MICHAEL", "CLERK:MICHAEL");
    assert_int_equal(ingest(s, "v3", v1, len), 0);
    free(v1);
    free(v2);
    pw_store_close(s);
}

static int first_hit(pw_store *s, int64_t *id)
{
    struct hit_rows hr = {0};

    if (pw_review_hits(s, NULL, on_hit, &hr) != PW_OK || !hr.n)
        return -1;
    *id = hr.ids[0];
    return 0;
}

static int on_step(void *ctx, const pw_hit_step *st)
{
    size_t *n = ctx;

    ++*n;
    if (!strcmp(st->to, "dismissed"))
        assert_string_equal(st->reason, "namesake, documents differ");
    assert_string_equal(st->who, "analyst1");
    return 0;
}

static void test_review_steps(void **state)
{
    pw_store *s = open_store();
    pw_hit_status from = 0;
    int64_t id;
    size_t steps = 0;

    (void)state;
    assert_int_equal(first_hit(s, &id), 0);
    /* Refusals: new cannot be reopened, dismissing needs a reason. */
    assert_int_equal(
        pw_hit_review(s, id, PW_HIT_REOPENED, "analyst1", NULL, &from),
        PW_ERR_INVALID);
    assert_non_null(strstr(pw_store_errmsg(s), "cannot become reopened"));
    assert_int_equal(
        pw_hit_review(s, id, PW_HIT_DISMISSED, "analyst1", "", NULL),
        PW_ERR_INVALID);
    assert_non_null(strstr(pw_store_errmsg(s), "needs a reason"));
    assert_int_equal(
        pw_hit_review(s, 999999, PW_HIT_IN_REVIEW, "analyst1", NULL, NULL),
        PW_ERR_NOTFOUND);

    assert_int_equal(
        pw_hit_review(s, id, PW_HIT_IN_REVIEW, "analyst1", NULL, &from), PW_OK);
    assert_int_equal(from, PW_HIT_NEW);
    assert_int_equal(
        pw_hit_review(s, id, PW_HIT_NEW, "analyst1", "later", &from), PW_OK);
    assert_int_equal(
        pw_hit_review(s, id, PW_HIT_IN_REVIEW, "analyst1", NULL, NULL), PW_OK);
    assert_int_equal(pw_hit_review(s, id, PW_HIT_DISMISSED, "analyst1",
                                   "namesake, documents differ", &from),
                     PW_OK);
    assert_int_equal(from, PW_HIT_IN_REVIEW);
    assert_int_equal(
        pw_hit_review(s, id, PW_HIT_CONFIRMED, "analyst1", "x", NULL),
        PW_ERR_INVALID);
    assert_int_equal(pw_hit_review(s, id, PW_HIT_REOPENED, "analyst1",
                                   "new information", NULL),
                     PW_OK);
    assert_int_equal(
        pw_hit_review(s, id, PW_HIT_CONFIRMED, "analyst1", NULL, &from), PW_OK);
    assert_int_equal(from, PW_HIT_REOPENED);
    assert_int_equal(
        pw_hit_review(s, id, PW_HIT_IN_REVIEW, "analyst1", NULL, NULL),
        PW_ERR_INVALID);
    assert_int_equal(pw_hit_steps(s, id, on_step, &steps), PW_OK);
    assert_int_equal(steps, 6);
    pw_store_close(s);
}

static void test_transition_table(void **state)
{
    (void)state;
    assert_true(pw_hit_transition_ok(PW_HIT_NEW, PW_HIT_CONFIRMED));
    assert_true(pw_hit_transition_ok(PW_HIT_REOPENED, PW_HIT_DISMISSED));
    assert_false(pw_hit_transition_ok(PW_HIT_NEW, PW_HIT_NEW));
    assert_false(pw_hit_transition_ok(PW_HIT_CONFIRMED, PW_HIT_DISMISSED));
    assert_false(pw_hit_transition_ok(PW_HIT_DISMISSED, PW_HIT_NEW));
    assert_int_equal(pw_hit_status_from("In-Review"), PW_HIT_IN_REVIEW);
    assert_int_equal(pw_hit_status_from("re-opened"), PW_HIT_REOPENED);
    assert_int_equal(pw_hit_status_from("closed"), 0);
    assert_string_equal(pw_hit_status_name(PW_HIT_DISMISSED), "dismissed");
}

/* IG example 5.1 on a given day and flight: the same passenger. */
static char *trip(const char *flight, const char *day)
{
    char *m = malloc(1024);

    snprintf(m, 1024,
             "UNB+UNOA:4+ZZAIRLINE+CUSTOMS+130620:0900+%s'"
             "UNH+PAX001+PAXLST:D:05B:UN:IATA'BGM+745'TDT+20+%s+++ZZ'"
             "LOC+125+SYD'DTM+189:%s0900:201'LOC+87+HNL'"
             "DTM+232:%s2200:201'NAD+FL+++WILLIAMS:JOHN:DONALD'ATT+2++M'"
             "DTM+329:720907'NAT+2+GBR'DOC+P+MB140241'DTM+36:251231'"
             "LOC+91+GBR'CNT+42:1'UNT+14+PAX001'UNZ+1+%s'",
             flight, flight, day, day, flight);
    return m;
}

static void test_history_rule(void **state)
{
    pw_store *s;
    const char rule[] = "rule \"Back to Honolulu\"\nwhen\n"
                        "  count of earlier movements where "
                        "movement.legs.to = \"HNL\" within 30 days >= 2\n";
    char *a = trip("ZZ101", "130601"), *b = trip("ZZ102", "130610");
    char *c = trip("ZZ103", "130620"), *d = trip("ZZ104", "130801");

    (void)state;
    teardown(state);
    s = open_store();
    assert_int_equal(pw_rules_put(s, "Back to Honolulu", rule, NULL, "medium",
                                  "analyst1", NULL, NULL),
                     PW_OK);
    assert_int_equal(ingest(s, "a", a, strlen(a)), 0);
    assert_int_equal(ingest(s, "b", b, strlen(b)), 0);
    /* Two earlier trips within 30 days: fires. */
    assert_int_equal(ingest(s, "c", c, strlen(c)), 1);
    /* Six weeks later the earlier trips are out of the window. */
    assert_int_equal(ingest(s, "d", d, strlen(d)), 0);
    free(a);
    free(b);
    free(c);
    free(d);
    pw_store_close(s);
}

struct kinds {
    size_t movement, booking, hit, link;
    int linked_jones;
};

static int on_row(void *ctx, const pw_history_row *r)
{
    struct kinds *k = ctx;

    if (!strcmp(r->kind, "movement"))
        k->movement++;
    else if (!strcmp(r->kind, "booking"))
        k->booking++;
    else if (!strcmp(r->kind, "hit"))
        k->hit++;
    else if (!strcmp(r->kind, "link")) {
        k->link++;
        if (r->a && !strcmp(r->a, "JONES") && r->c && !strcmp(r->c, "booking"))
            k->linked_jones = 1;
    }
    return 0;
}

struct find {
    const char *surname;
    int64_t id;
};

static int find_traveller(void *ctx, const pw_store_traveller *tr)
{
    struct find *f = ctx;

    if (tr->t.surname && !strcmp(tr->t.surname, f->surname) && !f->id)
        f->id = tr->id;
    return 0;
}

static void test_history_links(void **state)
{
    pw_store *s = open_store(); /* still holds the four trips */
    size_t len;
    char *pnr = read_sample("pnrgov/gtas-pnr1.edi", &len);
    struct find f = {"WILLIAMS", 0};
    struct kinds k = {0};

    (void)state;
    assert_int_equal(pw_store_travellers(s, NULL, find_traveller, &f), PW_OK);
    assert_true(f.id > 0);
    assert_int_equal(pw_traveller_history(s, f.id, on_row, &k), PW_OK);
    assert_int_equal(k.movement, 4);
    assert_int_equal(k.hit, 1);

    /* A booking of two: each is the other's co-traveller. */
    ingest(s, "pnr1", pnr, len);
    f.surname = "SMITHJR";
    f.id = 0;
    memset(&k, 0, sizeof(k));
    assert_int_equal(pw_store_travellers(s, NULL, find_traveller, &f), PW_OK);
    assert_true(f.id > 0);
    assert_int_equal(pw_traveller_history(s, f.id, on_row, &k), PW_OK);
    assert_int_equal(k.movement, 1);
    assert_int_equal(k.booking, 1);
    assert_true(k.linked_jones);
    assert_int_equal(pw_traveller_history(s, 999999, on_row, &k),
                     PW_ERR_NOTFOUND);
    free(pnr);
    pw_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rule_versions),
        cmocka_unit_test(test_who),
        cmocka_unit_test(test_rule_hits_at_ingest),
        cmocka_unit_test(test_review_steps),
        cmocka_unit_test(test_transition_table),
        cmocka_unit_test(test_history_rule),
        cmocka_unit_test(test_history_links),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}

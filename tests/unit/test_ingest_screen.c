/* Unit tests for batch ingest (raw bytes first, one transaction for the
 * yield, repeats within a batch) and for screening at ingest: hits
 * stored with their explanation, one per traveller identity, list and
 * entry, and the index rebuilt when the stored lists change. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "paxwatch/ingest.h"

static char db_path[256];

/* A made-up list: a lost passport of the IG example 5.3 and the
 * passenger of IG example 5.1 by name and birth date. */
static const char list_csv[] =
    "id,name,aliases,birth_date,nationality,sex,document_number,"
    "document_issuer,category\n"
    "T-DOC-1,,,,,,YY3478621,ESP,lost_or_stolen\n"
    "T-PER-1,John Donald Williams,,1972-09-07,GBR,M,,,wanted\n";

static const char other_csv[] =
    "id,name,aliases,birth_date,nationality,sex,document_number,"
    "document_issuer,category\n"
    "O-DOC-1,,,,,,TRQWE9980,ESP,lost_or_stolen\n";

static int setup(void **state)
{
    (void)state;
    snprintf(db_path, sizeof(db_path), "/tmp/pw-test-ingest-screen-%d.db",
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

static char *sample(const char *name, size_t *len)
{
    const char *dir = getenv("PW_SHARED_DIR");
    char path[512];
    FILE *f;
    char *buf = malloc(1 << 16);

    assert_non_null(buf);
    snprintf(path, sizeof(path), "%s/samples/paxlst/%s",
             dir ? dir : "../shared", name);
    f = fopen(path, "rb");
    assert_non_null(f);
    *len = fread(buf, 1, (1 << 16) - 1, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

/* s with the first `from` replaced by `to` (the caller frees). */
static char *edit(const char *s, const char *from, const char *to)
{
    const char *at = strstr(s, from);
    size_t head, n = strlen(s) + strlen(to) + 1;
    char *out = malloc(n);

    assert_non_null(at);
    assert_non_null(out);
    head = (size_t)(at - s);
    memcpy(out, s, head);
    snprintf(out + head, n - head, "%s%s", to, at + strlen(from));
    return out;
}

static void put_list(pw_store *s, const char *name, const char *csv)
{
    pw_store_list l = {.name = name, .format = "csv", .n_entries = 2};
    pw_store_list_file f = {"list.csv", csv, strlen(csv)};

    assert_int_equal(pw_store_put_list(s, &l, &f, 1), PW_OK);
}

static pw_ingest_report ingest(pw_store *s, const char *text)
{
    pw_ingest_report r;

    assert_int_equal(pw_ingest(s, "t.edi", text, strlen(text), &r), PW_OK);
    return r;
}

struct hits {
    size_t n;
    char entry[8][32];
    char kind[8][16];
    char surname[8][32];
    int expl_ok[8];
    int64_t movement[8];
};

static int collect(void *ctx, const pw_store_hit *h)
{
    struct hits *hs = ctx;
    json_t *e = h->explanation ? json_loads(h->explanation, 0, NULL) : NULL;

    if (hs->n < 8) {
        snprintf(hs->entry[hs->n], 32, "%s", h->entry_id);
        snprintf(hs->kind[hs->n], 16, "%s", h->kind);
        snprintf(hs->surname[hs->n], 32, "%s", h->surname ? h->surname : "-");
        hs->expl_ok[hs->n] = json_is_array(json_object_get(e, "parts")) &&
                             !strcmp(h->status, "new");
        hs->movement[hs->n] = h->movement_id;
    }
    json_decref(e);
    hs->n++;
    return 0;
}

static struct hits hits(pw_store *s, int64_t movement)
{
    struct hits hs = {0};

    assert_int_equal(pw_store_hits(s, movement, collect, &hs), PW_OK);
    return hs;
}

static void test_batch_raw_first_and_repeats(void **state)
{
    size_t l1, l2, l3;
    char *a = sample("ig-ex5-1-single-sector.edi", &l1);
    char *b = sample("gtas-crew-Test1.edi", &l2);
    char *c = sample("ig-ex5-3-progressive.edi", &l3);
    pw_ingest_input in[] = {{"a", a, l1},
                            {"b", b, l2},
                            {"a again", a, l1},
                            {"bad", "UNB+x", 5},
                            {"c", c, l3}};
    pw_ingest_report out[5];
    pw_store_counts n;
    pw_store *s = open_store();

    (void)state;
    assert_int_equal(pw_ingest_batch(s, in, 5, out), PW_OK);
    assert_int_equal(out[0].status, PW_INGEST_ACCEPTED);
    assert_int_equal(out[1].status, PW_INGEST_ACCEPTED);
    assert_int_equal(out[1].travellers, 8);
    assert_int_equal(out[2].status, PW_INGEST_REPEATED);
    assert_int_equal(out[2].message_id, out[0].message_id);
    assert_int_equal(out[3].status, PW_INGEST_REJECTED);
    assert_non_null(out[3].reason);
    assert_int_equal(out[4].status, PW_INGEST_ACCEPTED);
    assert_non_null(out[4].contrl);
    for (size_t i = 0; i < 5; i++)
        pw_ingest_report_free(&out[i]);
    assert_int_equal(pw_store_counts_get(s, &n), PW_OK);
    assert_int_equal(n.messages, 4);
    assert_int_equal(n.by_status[PW_MSG_RECEIVED], 0);
    assert_int_equal(n.by_status[PW_MSG_REJECTED], 1);
    assert_int_equal(n.current, 11);
    assert_int_equal(n.documents, 11);

    /* the whole batch again: nothing new; the rejected input is read
     * again and rejected again, with its CONTRL, and stored once */
    assert_int_equal(pw_ingest_batch(s, in, 5, out), PW_OK);
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(out[i].status,
                         i == 3 ? PW_INGEST_REJECTED : PW_INGEST_REPEATED);
        pw_ingest_report_free(&out[i]);
    }
    assert_int_equal(pw_store_counts_get(s, &n), PW_OK);
    assert_int_equal(n.messages, 4);
    assert_int_equal(n.by_status[PW_MSG_REJECTED], 1);
    assert_int_equal(n.current, 11);
    /* and so alone */
    {
        pw_ingest_report r = {0};

        assert_int_equal(pw_ingest(s, "bad", "UNB+x", 5, &r), PW_OK);
        assert_int_equal(r.status, PW_INGEST_REJECTED);
        assert_non_null(r.contrl);
        pw_ingest_report_free(&r);
    }
    assert_int_equal(pw_store_counts_get(s, &n), PW_OK);
    assert_int_equal(n.messages, 4);
    assert_int_equal(n.by_status[PW_MSG_RECEIVED], 0);
    assert_int_equal(pw_ingest_batch(s, in, PW_INGEST_BATCH_MAX + 1, out),
                     PW_ERR_INVALID);
    free(a);
    free(b);
    free(c);
    pw_store_close(s);
}

static void test_hits_stored_with_explanation(void **state)
{
    size_t l1, l3;
    char *a = sample("ig-ex5-1-single-sector.edi", &l1);
    char *c = sample("ig-ex5-3-progressive.edi", &l3);
    pw_store *s = open_store();
    size_t lists = 0, entries = 0, failed = 9;
    pw_ingest_report r;
    struct hits hs;

    (void)state;
    r = ingest(s, a); /* no list yet: no screening */
    assert_int_equal(r.hits, 0);
    pw_ingest_report_free(&r);
    put_list(s, "t", list_csv);
    assert_int_equal(pw_ingest_screening(s, &lists, &entries, &failed), PW_OK);
    assert_int_equal(lists, 1);
    assert_int_equal(entries, 2);
    assert_int_equal(failed, 0);

    r = ingest(s, c);
    assert_int_equal(r.status, PW_INGEST_ACCEPTED);
    assert_int_equal(r.hits, 1);
    assert_int_equal(r.items[0].hits, 1);
    pw_ingest_report_free(&r);
    hs = hits(s, 0);
    assert_int_equal(hs.n, 1);
    assert_string_equal(hs.entry[0], "T-DOC-1");
    assert_string_equal(hs.kind[0], "document");
    assert_string_equal(hs.surname[0], "MARTINEZ");
    assert_true(hs.expl_ok[0]);
    assert_int_equal(hits(s, hs.movement[0] + 100).n, 0);
    free(a);
    free(c);
    pw_store_close(s);
}

/* A newer version of the list, and a resend of the first, raise no
 * second hit for the same traveller, list and entry. */
static void test_newer_version_no_second_hit(void **state)
{
    size_t len;
    char *a = sample("ig-ex5-1-single-sector.edi", &len);
    char *a2 = edit(a, "UNH+PAX001", "UNH+PAX002");
    pw_store *s = open_store();
    pw_ingest_report r;
    struct hits hs;

    (void)state;
    put_list(s, "t", list_csv);
    r = ingest(s, a);
    assert_int_equal(r.hits, 1);
    pw_ingest_report_free(&r);
    hs = hits(s, 0);
    assert_int_equal(hs.n, 1);
    assert_string_equal(hs.entry[0], "T-PER-1");
    assert_string_equal(hs.kind[0], "name");

    r = ingest(s, a2); /* a new version of the same flight's list */
    assert_int_equal(r.status, PW_INGEST_ACCEPTED);
    assert_int_equal(r.items[0].version, 2);
    assert_int_equal(r.hits, 0);
    pw_ingest_report_free(&r);
    assert_int_equal(hits(s, 0).n, 1);
    free(a);
    free(a2);
    pw_store_close(s);
}

/* Lists stored after the index was built are screened from then on. */
static void test_index_follows_stored_lists(void **state)
{
    size_t l1, l3;
    char *a = sample("ig-ex5-1-single-sector.edi", &l1);
    char *c = sample("ig-ex5-3-progressive.edi", &l3);
    pw_store *s = open_store();
    pw_ingest_report r;
    size_t lists;

    (void)state;
    put_list(s, "t", list_csv);
    r = ingest(s, a);
    assert_int_equal(r.hits, 1);
    pw_ingest_report_free(&r);
    put_list(s, "other", other_csv);
    assert_int_equal(pw_ingest_screening(s, &lists, NULL, NULL), PW_OK);
    assert_int_equal(lists, 2);
    r = ingest(s, c); /* YY3478621 on t, TRQWE9980 on other */
    assert_int_equal(r.hits, 2);
    pw_ingest_report_free(&r);
    assert_int_equal(hits(s, 0).n, 3);
    free(a);
    free(c);
    pw_store_close(s);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_batch_raw_first_and_repeats),
        T(test_hits_stored_with_explanation),
        T(test_newer_version_no_second_hit),
        T(test_index_follows_stored_lists),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

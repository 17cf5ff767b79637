/* Unit tests for the ingest pipeline on real sample files: accepted,
 * repeated, rejected and quarantined, new versions, CP and XR, parts
 * joined across calls and runs, and recovery after a killed process. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ingest/ingest_int.h"
#include "paxwatch/ingest.h"

static char db_path[256];

static int setup(void **state)
{
    snprintf(db_path, sizeof(db_path), "/tmp/pw-test-ingest-%d.db",
             (int)getpid());
    unlink(db_path);
    return 0;
}

static int teardown(void **state)
{
    char side[300];

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

/* A sample from shared/samples/paxlst, malloc'd. */
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

static pw_ingest_report ingest(pw_store *s, const char *text)
{
    pw_ingest_report r;

    assert_int_equal(pw_ingest(s, "t.edi", text, strlen(text), &r), PW_OK);
    return r;
}

static pw_store_counts counts(pw_store *s)
{
    pw_store_counts c;

    assert_int_equal(pw_store_counts_get(s, &c), PW_OK);
    return c;
}

struct names {
    size_t n;
    char list[8][96];
};

static int collect(void *ctx, const pw_store_traveller *tr)
{
    struct names *nm = ctx;

    if (nm->n < 8)
        snprintf(nm->list[nm->n], sizeof(nm->list[0]), "%s %s %s %s",
                 tr->t.surname,
                 tr->t.n_documents ? tr->t.documents[0].number : "-",
                 tr->cancelled ? "cancelled"
                 : tr->current ? "current"
                               : "old",
                 pw_role_name(tr->t.role));
    nm->n++;
    return 0;
}

static struct names travellers(pw_store *s, int all)
{
    struct names nm = {0};
    pw_store_query q = {0, all};

    assert_int_equal(pw_store_travellers(s, &q, collect, &nm), PW_OK);
    return nm;
}

static void test_accept_then_repeat(void **state)
{
    pw_store *s = open_store();
    size_t len;
    char *text = sample("ig-ex5-1-single-sector.edi", &len);
    pw_ingest_report r = ingest(s, text);
    pw_store_counts before, after;

    assert_int_equal(r.status, PW_INGEST_ACCEPTED);
    assert_int_equal(r.n_items, 1);
    assert_string_equal(r.items[0].type, "PAXLST");
    assert_int_equal(r.items[0].travellers, 1);
    assert_true(r.items[0].movement_id > 0);
    assert_true(r.warnings > 0); /* the guide's CNT says 160 */
    assert_non_null(r.contrl);
    assert_non_null(strstr(r.contrl, "CONTRL"));
    assert_non_null(strstr(r.contrl, "ZZAIRLINE"));
    assert_int_equal(strlen(r.sha256), 64);
    pw_ingest_report_free(&r);
    before = counts(s);

    r = ingest(s, text);
    assert_int_equal(r.status, PW_INGEST_REPEATED);
    assert_null(r.contrl);
    pw_ingest_report_free(&r);
    after = counts(s);
    assert_int_equal(after.messages, before.messages);
    assert_int_equal(after.travellers, before.travellers);
    assert_int_equal(after.manifests, before.manifests);
    free(text);
    pw_store_close(s);
}

static void test_rejected_is_quarantined(void **state)
{
    static const char junk[] = "HELLO\x01\x02 this is not EDIFACT";
    pw_store *s = open_store();
    pw_ingest_report r;
    pw_msg_status st;
    char *raw;
    size_t len;

    assert_int_equal(pw_ingest(s, "junk", junk, sizeof(junk) - 1, &r), PW_OK);
    assert_int_equal(r.status, PW_INGEST_REJECTED);
    assert_non_null(r.reason);
    assert_true(strlen(r.reason) > 5);
    assert_non_null(r.contrl);
    assert_non_null(strstr(r.contrl, "CONTRL"));
    assert_int_equal(pw_store_find_message(s, r.sha256, NULL, &st), PW_OK);
    assert_int_equal(st, PW_MSG_REJECTED);
    assert_int_equal(pw_store_get_raw(s, r.message_id, &raw, &len), PW_OK);
    assert_int_equal(len, sizeof(junk) - 1);
    assert_memory_equal(raw, junk, len);
    free(raw);
    assert_int_equal(counts(s).travellers, 0);
    pw_ingest_report_free(&r);
    pw_store_close(s);
}

static void test_truncated_message_rejected_with_place(void **state)
{
    pw_store *s = open_store();
    size_t len;
    char *text = sample("ig-ex5-3-progressive.edi", &len);
    pw_ingest_report r;

    /* cut inside the UNH: the message has no type to read */
    char *cut = strstr(text, "UNH+123+PAXLST");
    assert_non_null(cut);
    cut[8] = '\0';
    r = ingest(s, text);
    assert_int_equal(r.status, PW_INGEST_REJECTED);
    assert_non_null(r.reason);
    assert_true(r.segment > 0 || r.offset > 0);
    assert_int_equal(counts(s).by_status[PW_MSG_REJECTED], 1);
    pw_ingest_report_free(&r);
    free(text);
    pw_store_close(s);
}

static void test_new_version_cp_and_xr(void **state)
{
    pw_store *s = open_store();
    size_t len;
    char *v1 = sample("ig-ex5-3-progressive.edi", &len);
    /* the same flight again, later, with one passenger's new passport */
    char *v2a = edit(v1, "140708:0601", "140708:0701");
    char *v2 = edit(v2a, "YY3478621", "YY0000001");
    /* a change naming both (by ABO reference): Sorina has a new
     * passport */
    char *cp1 = edit(v1, "BGM+745", "BGM+745+CP");
    char *cp = edit(cp1, "TRQWE9980", "NEWPASS77");
    /* a cancel of Julio */
    char *xr1 = edit(v1, "BGM+745", "BGM+745+XR");
    char *xr = edit(xr1, "140708:0601", "140708:0901");
    pw_ingest_report r = ingest(s, v1);
    struct names nm;

    assert_int_equal(r.items[0].version, 1);
    pw_ingest_report_free(&r);
    r = ingest(s, v2);
    assert_int_equal(r.status, PW_INGEST_ACCEPTED);
    assert_int_equal(r.items[0].version, 2);
    pw_ingest_report_free(&r);
    nm = travellers(s, 0);
    assert_int_equal(nm.n, 2);
    assert_string_equal(nm.list[0], "MARTINEZ YY0000001 current passenger");

    r = ingest(s, cp);
    assert_int_equal(r.items[0].travellers, 2);
    pw_ingest_report_free(&r);
    nm = travellers(s, 0);
    assert_int_equal(nm.n, 2);
    assert_string_equal(nm.list[1], "MARTINEZ NEWPASS77 current passenger");

    r = ingest(s, xr);
    assert_int_equal(r.status, PW_INGEST_ACCEPTED);
    pw_ingest_report_free(&r);
    nm = travellers(s, 0);
    assert_int_equal(nm.n, 0); /* XR named both */
    nm = travellers(s, 1);
    assert_int_equal(nm.n, 6);
    assert_string_equal(nm.list[0], "MARTINEZ YY3478621 old passenger");
    assert_string_equal(nm.list[2], "MARTINEZ YY0000001 old passenger");
    assert_string_equal(nm.list[4], "MARTINEZ YY3478621 cancelled passenger");
    assert_string_equal(nm.list[5], "MARTINEZ NEWPASS77 cancelled passenger");
    assert_int_equal(counts(s).movements, 1);
    free(v1), free(v2a), free(v2), free(cp1), free(cp), free(xr1), free(xr);
    pw_store_close(s);
}

#define PART1                                                                  \
    "UNA:+.? 'UNB+UNOA:4+MPAIR+CUSTOMS+240501:0900+MP0001'UNG+PAXLST+"         \
    "MPAIR+CUSTOMS+240501:0900+G1+UN+D:05B'UNH+M1+PAXLST:D:05B:UN:IATA+"       \
    "MPREF01+01:C'BGM+745'NAD+MS+++OPS'TDT+20+MP100+++MP'LOC+125+LHR'"         \
    "DTM+189:2405011000:201'LOC+87+JFK'DTM+232:2405011300:201'NAD+FL+++"       \
    "ALPHA:ANNA'ATT+2++F'DTM+329:800101'NAT+2+GBR'DOC+P+AA0000001'DTM+"        \
    "36:300101'LOC+91+GBR'UNT+16+M1'UNE+1+G1'UNZ+1+MP0001'"
#define PART2                                                                  \
    "UNA:+.? 'UNB+UNOA:4+MPAIR+CUSTOMS+240501:0905+MP0002'UNH+M2+PAXLST:"      \
    "D:05B:UN:IATA+MPREF01+02:F'BGM+745'NAD+MS+++OPS'TDT+20+MP100+++MP'"       \
    "LOC+125+LHR'DTM+189:2405011000:201'LOC+87+JFK'DTM+232:2405011300:"        \
    "201'NAD+FL+++BRAVO:BEN'ATT+2++M'DTM+329:810202'NAT+2+USA'DOC+P+"          \
    "BB0000002'DTM+36:300202'LOC+91+USA'CNT+42:2'UNT+17+M2'UNZ+1+MP0002'"

static void test_parts_across_runs(void **state)
{
    pw_store *s = open_store();
    pw_ingest_report r = ingest(s, PART2);
    pw_store_counts c;

    /* the final part first, then the first part in another run */
    assert_int_equal(r.status, PW_INGEST_WAITING);
    assert_int_equal(r.items[0].parts_have, 1);
    assert_non_null(r.contrl);
    pw_ingest_report_free(&r);
    assert_int_equal(counts(s).parts, 1);
    pw_store_close(s);

    s = open_store();
    r = ingest(s, PART1);
    assert_int_equal(r.status, PW_INGEST_ACCEPTED);
    assert_int_equal(r.travellers, 2);
    pw_ingest_report_free(&r);
    c = counts(s);
    assert_int_equal(c.parts, 0);
    assert_int_equal(c.by_status[PW_MSG_ACCEPTED], 2);
    assert_int_equal(c.by_status[PW_MSG_WAITING], 0);
    assert_int_equal(c.current, 2);
    pw_store_close(s);
}

static void hash_hex(const char *text, char hex[65])
{
    unsigned char d[crypto_hash_sha256_BYTES];

    assert_true(sodium_init() >= 0);
    crypto_hash_sha256(d, (const unsigned char *)text, strlen(text));
    sodium_bin2hex(hex, 65, d, sizeof(d));
}

/* What pw_ingest does first, then death before the second transaction
 * commits: the raw bytes are durable, nothing else is. */
static void child_dies_midway(const char *text)
{
    pw_store *s = NULL;
    char hex[65];
    pw_store_raw raw = {
        .sha256 = hex, .name = "killed.edi", .data = text, .len = strlen(text)};
    pw_store_outcome o = {.status = PW_MSG_ACCEPTED};
    int64_t id;

    hash_hex(text, hex);
    if (pw_store_open(db_path, &s) != PW_OK ||
        pw_store_add_message(s, &raw, &id) != PW_OK ||
        pw_store_begin(s) != PW_OK || pw_store_set_status(s, id, &o) != PW_OK)
        _exit(3);
    _exit(0);
}

static void test_recovery_after_kill(void **state)
{
    size_t len, n = 99;
    char *text = sample("gtas-crew-Test1.edi", &len);
    pw_ingest_report r;
    pw_store *s;
    pid_t pid;
    int status;

    fflush(NULL);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        child_dies_midway(text);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);

    s = open_store();
    assert_int_equal(counts(s).by_status[PW_MSG_RECEIVED], 1);
    assert_int_equal(counts(s).travellers, 0);
    assert_int_equal(pw_ingest_recover(s, &n), PW_OK);
    assert_int_equal(n, 1);
    assert_int_equal(counts(s).by_status[PW_MSG_ACCEPTED], 1);
    assert_int_equal(counts(s).current, 8);
    assert_int_equal(pw_ingest_recover(s, &n), PW_OK);
    assert_int_equal(n, 0);

    r = ingest(s, text); /* the sender tries again: a repeat */
    assert_int_equal(r.status, PW_INGEST_REPEATED);
    pw_ingest_report_free(&r);
    assert_int_equal(counts(s).travellers, 8);
    free(text);
    pw_store_close(s);
}

/* Two processes take up the same kept input (one recovering it, one
 * still on its way): the one that commits second stores nothing. */
static void test_second_taker_stores_nothing(void **state)
{
    size_t len, n;
    char *text = sample("ig-ex5-1-single-sector.edi", &len);
    char hex[65];
    pw_store_raw raw = {.sha256 = hex, .data = text, .len = len};
    pw_store *first = open_store(), *second = open_store();
    pw_ingest_report r = {0};
    int64_t id;

    hash_hex(text, hex);
    assert_int_equal(pw_store_add_message(first, &raw, &id), PW_OK);
    assert_int_equal(pw_ingest_recover(second, &n), PW_OK);
    assert_int_equal(n, 1);
    assert_int_equal(counts(second).travellers, 1);

    assert_int_equal(pw_ingest_process(first, id, text, len, &r), PW_OK);
    assert_int_equal(r.status, PW_INGEST_REPEATED);
    assert_int_equal(r.n_items, 0);
    pw_ingest_report_free(&r);
    assert_int_equal(counts(first).travellers, 1);
    assert_int_equal(counts(first).manifests, 1);
    free(text);
    pw_store_close(first);
    pw_store_close(second);
}

static void test_every_sample_accepted(void **state)
{
    static const char *const files[] = {
        "gtas-apisMessage.edi",       "gtas-crew-Test1.edi",
        "ig-ex5-1-single-sector.edi", "ig-ex5-2-crew.edi",
        "ig-ex5-3-progressive.edi",   "smooks-ace-d03b.edi",
    };
    static const size_t expect[] = {2, 8, 1, 1, 2, 1};
    pw_store *s = open_store();

    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        size_t len;
        char *text = sample(files[i], &len);
        pw_ingest_report r;

        assert_int_equal(pw_ingest(s, files[i], text, len, &r), PW_OK);
        assert_int_equal(r.status, PW_INGEST_ACCEPTED);
        assert_int_equal(r.travellers, expect[i]);
        pw_ingest_report_free(&r);
        free(text);
    }
    /* example 5.1 and 5.2 are the passengers and crew of one flight */
    assert_int_equal(counts(s).movements, 5);
    pw_store_close(s);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_accept_then_repeat),
        T(test_rejected_is_quarantined),
        T(test_truncated_message_rejected_with_place),
        T(test_new_version_cp_and_xr),
        T(test_parts_across_runs),
        T(test_recovery_after_kill),
        T(test_second_taker_stores_nothing),
        T(test_every_sample_accepted),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

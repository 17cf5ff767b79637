/* Unit tests for bookings in the store: versions and their changes,
 * repeats, identical content in a newer message, API-PNR links made in
 * either order, screening of PNR travellers, and the redaction of
 * sensitive data from the raw archive (also read from the file). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <dirent.h>
#include <jansson.h>
#include <sodium.h>
#include <sqlite3.h>

#include "paxwatch/booking.h"
#include "paxwatch/ingest.h"
#include "paxwatch/privacy.h"
#include "store/store_impl.h"

static char db_path[256];

static int setup(void **state)
{
    (void)state;
    snprintf(db_path, sizeof(db_path), "/tmp/pw-test-bookings-%d.db",
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

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    if (!f)
        return NULL;
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

/* gtas-pnr1.edi: PNR MFN4TI (DL), SMITHJR JOHN and JONES WILLIAM on
 * DL324 LHR-JFK 2010-12-12, with an AVML meal SSR. */
static char *sample_pnr(void)
{
    const char *dir = getenv("PW_SHARED_DIR");
    char path[512];
    size_t len;
    char *text;

    snprintf(path, sizeof(path), "%s/samples/pnrgov/gtas-pnr1.edi",
             dir ? dir : "/work/shared");
    text = slurp(path, &len);
    assert_non_null(text);
    return text;
}

/* text with the first `from` replaced by `to`; malloc'd. */
static char *replace(const char *text, const char *from, const char *to)
{
    const char *at = strstr(text, from);
    size_t n = strlen(text) - strlen(from) + strlen(to) + 1;
    char *out = malloc(n);

    assert_non_null(at);
    assert_non_null(out);
    snprintf(out, n, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
    return out;
}

static pw_store *open_store(void)
{
    pw_store *s = NULL;

    assert_int_equal(pw_store_open(db_path, &s), PW_OK);
    return s;
}

static void ingest(pw_store *s, const char *text, pw_ingest_report *r)
{
    assert_int_equal(pw_ingest(s, "t", text, strlen(text), r), PW_OK);
}

static pw_store_counts counts(pw_store *s)
{
    pw_store_counts c;

    assert_int_equal(pw_store_counts_get(s, &c), PW_OK);
    return c;
}

struct seen {
    int64_t id;
    unsigned versions;
    size_t travellers;
    char changes[4][1024];
    size_t n_versions;
    char methods[8][32];
    char api_names[8][64];
    size_t n_links;
};

static int booking_cb(void *ctx, const pw_store_booking *b)
{
    struct seen *s = ctx;

    s->id = b->id;
    s->versions = b->versions;
    s->travellers = b->travellers;
    return 0;
}

static void check_sha(const char *json, const char *sha);

static int version_cb(void *ctx, const pw_store_booking_version *v)
{
    struct seen *s = ctx;

    assert_non_null(v->content);
    assert_non_null(v->sha256);
    check_sha(v->content, v->sha256);

    if (s->n_versions < 4)
        snprintf(s->changes[s->n_versions++], sizeof(s->changes[0]), "%s",
                 v->changes ? v->changes : "(none)");
    return 0;
}

static int link_cb(void *ctx, const pw_store_link *l)
{
    struct seen *s = ctx;

    if (s->n_links < 8) {
        snprintf(s->methods[s->n_links], 32, "%s", l->method);
        snprintf(s->api_names[s->n_links++], 64, "%s %s", l->api_surname,
                 l->api_given_names);
    }
    return 0;
}

static struct seen look(pw_store *s, const char *locator)
{
    struct seen seen = {0};

    assert_int_equal(pw_store_bookings(s, 0, locator, booking_cb, &seen),
                     PW_OK);
    assert_true(seen.id > 0);
    assert_int_equal(pw_store_booking_versions(s, seen.id, version_cb, &seen),
                     PW_OK);
    assert_int_equal(pw_store_booking_links(s, seen.id, link_cb, &seen), PW_OK);
    return seen;
}

static void test_versions_and_repeats(void **state)
{
    char *v1 = sample_pnr();
    char *v2a = replace(v1, "TIF+JONES+WILLIAMMR", "TIF+BROWN+WILLIAMMR");
    char *v2 = replace(v2a, "//JONES/WILLIAMNEVELL", "//BROWN/WILLIAMNEVELL");
    /* the same content in a newer message: only the reference differs */
    char *v3 = replace(v2, "+020A07", "+020A08");
    pw_store *s = open_store();
    pw_ingest_report r = {0};
    struct seen seen;

    (void)state;
    ingest(s, v1, &r);
    assert_int_equal(r.status, PW_INGEST_ACCEPTED);
    assert_int_equal(r.bookings, 1);
    assert_int_equal(r.travellers, 2);
    pw_ingest_report_free(&r);
    ingest(s, v1, &r);
    assert_int_equal(r.status, PW_INGEST_REPEATED);
    pw_ingest_report_free(&r);
    ingest(s, v2, &r);
    assert_int_equal(r.bookings, 1);
    pw_ingest_report_free(&r);
    ingest(s, v3, &r);
    assert_int_equal(r.status, PW_INGEST_ACCEPTED);
    assert_int_equal(r.bookings, 0);
    assert_int_equal(r.bookings_unchanged, 1);
    pw_ingest_report_free(&r);

    seen = look(s, "MFN4TI");
    assert_int_equal(seen.versions, 2);
    assert_int_equal(seen.n_versions, 2);
    assert_string_equal(seen.changes[0], "(none)");
    assert_non_null(strstr(seen.changes[1], "\"added\":[\"BROWN WILLIAM\"]"));
    assert_non_null(strstr(seen.changes[1], "\"removed\":[\"JONES WILLIAM\"]"));
    assert_int_equal(counts(s).bookings, 1);
    assert_int_equal(counts(s).booking_versions, 2);
    pw_store_close(s);
    free(v1);
    free(v2a);
    free(v2);
    free(v3);
}

/* The rows of booking_items of latest versions, sorted, as
 * "booking|how|value;" ... */
static void items_of(char *out, size_t cap)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    size_t at = 0;

    out[0] = '\0';
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT v.booking_id, i.how, i.value "
                                        "FROM booking_items i JOIN "
                                        "booking_versions v ON v.id = "
                                        "i.version_id JOIN bookings b ON "
                                        "b.id = v.booking_id AND "
                                        "b.latest_version = v.version "
                                        "ORDER BY 1, 2, 3",
                                        -1, &st, NULL),
                     SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW && at < cap)
        at += (size_t)snprintf(out + at, cap - at, "%lld|%s|%s;",
                               (long long)sqlite3_column_int64(st, 0),
                               (const char *)sqlite3_column_text(st, 1),
                               (const char *)sqlite3_column_text(st, 2));
    sqlite3_finalize(st);
    sqlite3_close(db);
}

/* A booking's values for history (booking_items): its phones and its
 * street lower-cased, no card number (even one sent in full is kept
 * masked); replaced by a new version's; the same rows when migration
 * 13 makes them out of a store's content. */
static void test_booking_items(void **state)
{
    char *v1 = sample_pnr();
    char *v2a = replace(v1, "CTCR 00115555555555", "CTCR 00117777777777");
    char *v2 = replace(v2a, "XXXXXXXX1186", "4111111111111111");
    pw_store *s = open_store();
    pw_ingest_report r = {0};
    char items[1024], again[1024];
    sqlite3 *db;

    (void)state;
    ingest(s, v1, &r);
    pw_ingest_report_free(&r);
    items_of(items, sizeof(items));
    assert_string_equal(items, "1|address|45 highstreet;"
                               "1|phone|00115555555555;"
                               "1|phone|00441753637285;");
    ingest(s, v2, &r);
    assert_int_equal(r.bookings, 1);
    pw_ingest_report_free(&r);
    pw_store_close(s);
    items_of(items, sizeof(items));
    assert_string_equal(items, "1|address|45 highstreet;"
                               "1|phone|00117777777777;"
                               "1|phone|00441753637285;");

    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "DROP TABLE booking_items;"
                                  "DROP INDEX travellers_booking_ref;"
                                  "DROP INDEX travellers_street;"
                                  "DROP INDEX contacts_value;"
                                  "DELETE FROM schema_version WHERE "
                                  "version >= 13",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    s = open_store();
    pw_store_close(s);
    items_of(again, sizeof(again));
    assert_string_equal(again, items);
    free(v1);
    free(v2a);
    free(v2);
}

/* Appends the sample's PNR group (src, n bytes) to out at *at with
 * locator loc, its JONES renamed BROWN when `renamed`. */
static void add_group(char *out, size_t cap, size_t *at, const char *src,
                      size_t n, const char *loc, int renamed)
{
    char *one = malloc(n + 1), *a, *b;

    assert_non_null(one);
    snprintf(one, n + 1, "%.*s", (int)n, src);
    a = replace(one, "MFN4TI", loc);
    b = renamed ? replace(a, "TIF+JONES", "TIF+BROWN") : a;
    *at += (size_t)snprintf(out + *at, cap - *at, "%s", b);
    if (b != a)
        free(b);
    free(a);
    free(one);
}

/* One push of the sample's PNR (two travellers each) as LOC{first} ...
 * LOC{n-1}, with LOC000 again, renamed, after copy `after` (none when
 * after is -1). malloc'd. */
static char *push_of(const char *pnr, int first, int n, int after)
{
    const char *src = strstr(pnr, "SRC'"), *end = strstr(pnr, "EQN+1'");
    size_t group, cap, at;
    char *out, loc[16];

    assert_true(src && end);
    group = (size_t)(end - src);
    cap = strlen(pnr) + group * (size_t)(n + 1) + 64;
    out = malloc(cap);
    assert_non_null(out);
    at = (size_t)snprintf(out, cap, "%.*s", (int)(src - pnr), pnr);
    for (int i = first; i < n; i++) {
        snprintf(loc, sizeof(loc), "LOC%03d", i);
        add_group(out, cap, &at, src, group, loc, 0);
        if (i == after)
            add_group(out, cap, &at, src, group, "LOC000", 1);
    }
    snprintf(out + at, cap - at, "%s", end);
    return out;
}

struct current_rows {
    size_t current, jones_loc000, brown_loc000;
};

static int current_cb(void *ctx, const pw_store_traveller *tr)
{
    struct current_rows *c = ctx;
    const char *ref = tr->t.booking_ref ? tr->t.booking_ref : "";
    const char *name = tr->t.surname ? tr->t.surname : "";

    c->current++;
    c->jones_loc000 += !strcmp(ref, "LOC000") && !strcmp(name, "JONES");
    c->brown_loc000 += !strcmp(ref, "LOC000") && !strcmp(name, "BROWN");
    return 0;
}

/* A booking twice in one push: the second version retires the first's
 * rows, whether they were stored yet or still wait to be stored with
 * the rows after them (the store writes a push's bookings, versions and
 * travellers 16 rows to a statement): the repeat comes while LOC000's
 * rows all wait, after its travellers went, and after its booking and
 * version went too. */
static void test_repeat_in_one_push(void **state)
{
    char *pnr = sample_pnr();
    const int n = 20, after[] = {2, 9, 17};

    (void)state;
    for (size_t k = 0; k < sizeof(after) / sizeof(after[0]); k++) {
        char *push = push_of(pnr, 0, n, after[k]);
        pw_store *s;
        pw_ingest_report r = {0};
        struct current_rows c = {0};
        struct seen seen;

        teardown(NULL);
        s = open_store();
        ingest(s, push, &r);
        assert_int_equal(r.status, PW_INGEST_ACCEPTED);
        assert_int_equal(r.bookings, n + 1);
        assert_int_equal(r.travellers, 2 * (n + 1));
        pw_ingest_report_free(&r);
        assert_int_equal(counts(s).bookings, n);
        assert_int_equal(counts(s).travellers, 2 * (n + 1));
        assert_int_equal(counts(s).booking_versions, n + 1);
        assert_int_equal(pw_store_travellers(s, NULL, current_cb, &c), PW_OK);
        assert_int_equal(c.current, 2 * n);
        assert_int_equal(c.jones_loc000, 0);
        assert_int_equal(c.brown_loc000, 1);
        seen = look(s, "LOC000");
        assert_int_equal(seen.versions, 2);
        assert_non_null(strstr(seen.changes[1], "\"added\":[\"BROWN"));
        pw_store_close(s);
        free(push);
    }
    free(pnr);
}

/* push_of(pnr, first, n, -1) with interchange and message reference
 * ref: a push resent without its first PNRs moves every other one in
 * the message. */
static char *push_from(const char *pnr, int first, int n, const char *ref)
{
    char *out = push_of(pnr, first, n, -1);
    char *head = replace(out, "+020A07", ref);

    free(out);
    return head;
}

/* Makes the store's versions look as paxwatch stored them before the
 * travellers' segment numbers were left out of the content: each
 * traveller given one (the place it had), and every stored hash that
 * of other content. */
static void make_legacy(void)
{
    sqlite3 *db;

    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(db,
                     "UPDATE booking_versions SET content = json_set(content,"
                     " '$.travellers[0].segment', 11,"
                     " '$.travellers[1].segment', 12);"
                     "UPDATE bookings SET content_sha256 = 'before';",
                     NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);
}

/* The changes of LOC001's versions, after pushes of LOC000-LOC004, then
 * LOC001-LOC004 (the first resend, moved), then LOC001-LOC004 with
 * JONES renamed, into a fresh store; with `legacy` the store's content
 * is first made as it was before segments were left out. */
static struct seen moved_pushes(int legacy)
{
    char *pnr = sample_pnr();
    char *first = push_from(pnr, 0, 5, "+020A07");
    char *moved = push_from(pnr, 1, 5, "+020A08");
    char *renamed = replace(moved, "+020A08", "+020A09");
    pw_store *s;
    pw_ingest_report r = {0};
    struct seen seen;

    for (char *at = renamed; (at = strstr(at, "TIF+JONES"));)
        memcpy(at, "TIF+BROWN", 9);
    teardown(NULL);
    s = open_store();
    ingest(s, first, &r);
    assert_int_equal(r.bookings, 5);
    pw_ingest_report_free(&r);
    if (legacy) {
        pw_store_close(s);
        make_legacy();
        s = open_store();
    }
    ingest(s, moved, &r);
    assert_int_equal(r.status, PW_INGEST_ACCEPTED);
    assert_int_equal(r.bookings, 0);
    assert_int_equal(r.bookings_unchanged, 4);
    pw_ingest_report_free(&r);
    ingest(s, renamed, &r);
    assert_int_equal(r.bookings, 4);
    pw_ingest_report_free(&r);
    assert_int_equal(counts(s).booking_versions, 9);
    seen = look(s, "LOC001");
    pw_store_close(s);
    free(pnr);
    free(first);
    free(moved);
    free(renamed);
    return seen;
}

/* A PNR resent in another place of its push is the same booking, not a
 * new version: the travellers' segment numbers are not content. Stores
 * whose content still holds them (from before) give the same answers,
 * and the same changes when a booking does change. */
static void test_moved_in_push(void **state)
{
    struct seen now = moved_pushes(0), before = moved_pushes(1);

    (void)state;
    assert_int_equal(now.versions, 2);
    assert_int_equal(before.versions, 2);
    assert_non_null(strstr(now.changes[1], "\"added\":[\"BROWN WILLIAM\"]"));
    assert_string_equal(now.changes[1], before.changes[1]);
}

/* A PAXLST for DL324 LHR-JFK 2010-12-12 with two passengers, each
 * "SURNAME:GIVEN|AVF|DOC" ("-" for none). */
static char *paxlst(const char *ref, const char *p1[3], const char *p2[3])
{
    const char **p[2] = {p1, p2};
    char *out = malloc(4096);
    size_t at;

    assert_non_null(out);
    at = (size_t)snprintf(out, 4096,
                          "UNA:+.? 'UNB+UNOA:4+DL:ZZ+USCBP:ZZ+101210:1200+%s'"
                          "UNH+1+PAXLST:D:05B:UN:IATA+%s'BGM+745'"
                          "TDT+20+DL324+++DL'LOC+125+LHR'"
                          "DTM+189:1012120915:201'LOC+87+JFK'"
                          "DTM+232:1012121300:201'",
                          ref, ref);
    for (int i = 0; i < 2; i++) {
        at += (size_t)snprintf(out + at, 4096 - at,
                               "NAD+FL+++%s'ATT+2++M'DTM+329:640712'"
                               "NAT+2+GBR'",
                               p[i][0]);
        if (strcmp(p[i][1], "-"))
            at += (size_t)snprintf(out + at, 4096 - at, "RFF+AVF:%s'", p[i][1]);
        if (strcmp(p[i][2], "-"))
            at += (size_t)snprintf(out + at, 4096 - at,
                                   "DOC+P:110:111+%s'LOC+91+GBR'", p[i][2]);
    }
    snprintf(out + at, 4096 - at, "CNT+42:2'UNT+20+1'UNZ+1+%s'", ref);
    return out;
}

static void test_links_api_first(void **state)
{
    const char *a[3] = {"SMITHJR:JOHN", "MFN4TI", "-"};
    const char *b[3] = {"JONES:WILLIAM", "-", "-"};
    char *api = paxlst("A1", a, b), *pnr = sample_pnr();
    pw_store *s = open_store();
    pw_ingest_report r = {0};
    struct seen seen;

    (void)state;
    ingest(s, api, &r);
    assert_int_equal(r.status, PW_INGEST_ACCEPTED);
    pw_ingest_report_free(&r);
    ingest(s, pnr, &r);
    assert_int_equal(r.links, 2);
    pw_ingest_report_free(&r);
    seen = look(s, "MFN4TI");
    assert_int_equal(seen.n_links, 2);
    assert_string_equal(seen.methods[0], "locator+name");
    assert_string_equal(seen.api_names[0], "SMITHJR JOHN");
    assert_string_equal(seen.methods[1], "name+birth_date");
    assert_string_equal(seen.api_names[1], "JONES WILLIAM");
    pw_store_close(s);
    free(api);
    free(pnr);
}

static void test_links_pnr_first(void **state)
{
    /* another spelling, linked by the passport number in SSR DOCS */
    const char *a[3] = {"SMITH:JOHNNY", "-", "123456789"};
    const char *b[3] = {"JONES:WILLIAM", "MFN4TI", "-"};
    const char *c[3] = {"NOBODY:ELSE", "-", "-"};
    char *api = paxlst("A2", a, b), *other = paxlst("A3", c, c);
    char *pnr = sample_pnr();
    pw_store *s = open_store();
    pw_ingest_report r = {0};
    struct seen seen;

    (void)state;
    ingest(s, pnr, &r);
    assert_int_equal(r.links, 0);
    pw_ingest_report_free(&r);
    ingest(s, api, &r);
    assert_int_equal(r.items[0].links, 2);
    pw_ingest_report_free(&r);
    seen = look(s, "MFN4TI");
    assert_int_equal(seen.n_links, 2);
    assert_string_equal(seen.methods[0], "document");
    assert_string_equal(seen.api_names[0], "SMITH JOHNNY");
    assert_string_equal(seen.methods[1], "locator+name");
    /* a newer full list without them: its travellers link to no one,
     * and the old links are no longer shown */
    ingest(s, other, &r);
    assert_int_equal(r.items[0].links, 0);
    pw_ingest_report_free(&r);
    seen = look(s, "MFN4TI");
    assert_int_equal(seen.n_links, 0);
    pw_store_close(s);
    free(api);
    free(other);
    free(pnr);
}

static const char list_csv[] =
    "id,name,aliases,birth_date,nationality,sex,document_number,"
    "document_issuer,category\n"
    "T-PNR-1,John Smithjr,,1964-07-12,GBR,M,,,wanted\n";

static int count_hit(void *ctx, const pw_store_hit *h)
{
    size_t *n = ctx;

    *n += !strcmp(h->entry_id, "T-PNR-1");
    return 0;
}

static void test_screening(void **state)
{
    pw_store_list l = {.name = "t", .format = "csv", .n_entries = 1};
    pw_store_list_file f = {"list.csv", list_csv, sizeof(list_csv) - 1};
    char *pnr = sample_pnr();
    pw_store *s = open_store();
    pw_ingest_report r = {0};
    size_t n = 0;

    (void)state;
    assert_int_equal(pw_store_put_list(s, &l, &f, 1), PW_OK);
    ingest(s, pnr, &r);
    assert_true(r.hits >= 1);
    pw_ingest_report_free(&r);
    assert_int_equal(pw_store_hits(s, 0, count_hit, &n), PW_OK);
    assert_int_equal(n, 1);
    pw_store_close(s);
    free(pnr);
}

static const char edi_sensitive[] =
    "UNB+IATA:1+DL++101209:2100+1'UNH+1+PNRGOV:11:1:IA+X'SRC'"
    "RCI+DL:ABC123'SSR+MOML:HK:1:DL'SSR+WC?'HR:HK:1:DL'"
    "SSR+WCHR:HK:1:DL'IFT+4:28::DL+PASSENGER IS DIAB\r\nETIC'"
    "IFT+4:43+JAIN SPONSOR+MAIN ST'TIF+JAIN+RAVI:A:1'"
    "SSR+DOCS:HK::DL:::::/P/IND/X1/IND/01JAN80/M/01JAN30/JAIN/RAVI'"
    "SSR+OTHS:HK::DL:::::NEEDS OXYGEN'UNT+9+1'UNZ+1+1'";

static void test_redact_edifact(void **state)
{
    size_t len = sizeof(edi_sensitive) - 1, n = 0;
    char *out = NULL;

    (void)state;
    assert_int_equal(pw_sensitive_redact(NULL, edi_sensitive, len, &out, &n),
                     PW_OK);
    assert_int_equal(strlen(out), len);
    /* MOML, the escaped WC?'HR (read as "WC'HR": not listed, kept),
     * WCHR, the DIABETIC remark split by a line break, OXYGEN */
    assert_int_equal(n, 4);
    assert_null(strstr(out, "MOML"));
    assert_null(strstr(out, "WCHR"));
    assert_null(strstr(out, "DIAB"));
    assert_null(strstr(out, "OXYGEN"));
    assert_non_null(strstr(out, "SSR+WC?'HR"));
    assert_non_null(strstr(out, "SSR+****:**:*:**'"));
    assert_non_null(strstr(out, "****\r\n****'"));
    /* the sponsor, the name and the document stay */
    assert_non_null(strstr(out, "IFT+4:43+JAIN SPONSOR"));
    assert_non_null(strstr(out, "TIF+JAIN+RAVI"));
    assert_non_null(strstr(out, "/JAIN/RAVI'"));
    /* everything outside the redacted values is untouched */
    for (size_t i = 0; i < len; i++)
        if (out[i] != '*')
            assert_int_equal(out[i], edi_sensitive[i]);
    free(out);
}

static const char xml_sensitive[] =
    "<?xml version=\"1.0\"?>\n<IATA_PNRGOV_NotifRQ "
    "xmlns=\"http://www.iata.org/IATA/2007/00\"><PNR>\n"
    "<SSR SSRCode=\"MOML\" Status=\"HK\"><Text>MEAL</Text></SSR>\n"
    "<SSR SSRCode=\"OTHS\"><Text>PASSENGER IS DIABETIC</Text></SSR>\n"
    "<SSR SSRCode=\"DOCS\"><Text>/P/IND/X1/IND/01JAN80/M/01JAN30/JAIN/"
    "RAVI</Text></SSR>\n<!-- <Remark>WHEELCHAIR</Remark> -->\n"
    "<Remark>NEEDS A WHEELCHAIR</Remark><Remark>VIP</Remark>\n"
    "<x:OSI xmlns:x=\"u\" Text=\"KOSHER\"/></PNR></IATA_PNRGOV_NotifRQ>";

static void test_redact_xml(void **state)
{
    size_t len = sizeof(xml_sensitive) - 1, n = 0;
    char *out = NULL;

    (void)state;
    assert_int_equal(pw_sensitive_redact(NULL, xml_sensitive, len, &out, &n),
                     PW_OK);
    assert_int_equal(strlen(out), len);
    assert_int_equal(n, 4);
    assert_null(strstr(out, "MOML"));
    assert_null(strstr(out, "DIABETIC"));
    assert_null(strstr(out, "KOSHER"));
    assert_non_null(strstr(out, "<SSR SSRCode=\"****\" Status=\"**\">"));
    assert_non_null(strstr(out, "<Remark>******************</Remark>"));
    assert_non_null(strstr(out, "<Remark>VIP</Remark>"));
    assert_non_null(strstr(out, "/JAIN/RAVI"));
    /* a comment is not an element: left as it is */
    assert_non_null(strstr(out, "<!-- <Remark>WHEELCHAIR</Remark> -->"));
    free(out);
}

static void test_redact_leaves_api(void **state)
{
    const char api[] = "UNH+1+PAXLST:D:05B:UN:IATA'FTX+AAI+++MOML'";
    char *out = NULL;
    size_t n = 9;

    (void)state;
    assert_int_equal(pw_sensitive_redact(NULL, api, strlen(api), &out, &n),
                     PW_OK);
    assert_string_equal(out, api);
    assert_int_equal(n, 0);
    free(out);
    assert_int_equal(pw_sensitive_redact(NULL, NULL, 1, &out, &n),
                     PW_ERR_INVALID);
}

static int contains(const char *path, const char *word)
{
    size_t len = 0, k = strlen(word);
    char *b = slurp(path, &len);
    int found = 0;

    for (size_t i = 0; b && i + k <= len && !found; i++)
        found = !memcmp(b + i, word, k);
    free(b);
    return found;
}

/* The store's file, raw BLOBs included, never holds what the filter
 * drops; a resend of the same bytes is still a repeat. */
static void test_store_file_clean(void **state)
{
    char *pnr = sample_pnr();
    char *bad = replace(pnr, "SSR+AVML:HK:2:DL'",
                        "SSR+MOML:HK:2:DL'SSR+WCHR:HK:1:DL'"
                        "IFT+4:28::DL+PASSENGER IS DIABETIC'");
    static const char *const words[] = {"MOML", "WCHR", "DIABETIC", "AVML"};
    pw_store *s = open_store();
    pw_ingest_report r = {0};
    char wal[300];

    (void)state;
    ingest(s, bad, &r);
    assert_int_equal(r.status, PW_INGEST_ACCEPTED);
    pw_ingest_report_free(&r);
    ingest(s, bad, &r);
    assert_int_equal(r.status, PW_INGEST_REPEATED);
    pw_ingest_report_free(&r);
    pw_store_close(s);
    snprintf(wal, sizeof(wal), "%s-wal", db_path);
    for (size_t i = 0; i < 4; i++) {
        assert_false(contains(db_path, words[i]));
        assert_false(access(wal, F_OK) == 0 && contains(wal, words[i]));
    }
    assert_true(contains(db_path, "MFN4TI"));
    free(pnr);
    free(bad);
}

/* The canonical content as jansson makes it: the one-booking view of
 * the message through pw_bookings_json_add, keys sorted, compact, the
 * "segment" of the booking and of each traveller removed. The store's
 * own writer must match it byte for byte, or every stored hash would
 * change meaning. */
static char *content_by_jansson(const pw_msg *m, const pw_booking *b)
{
    pw_msg one = *m;
    json_t *o = json_object(), *bk, *t;
    char *out;
    size_t i;

    one.bookings = (pw_booking *)b;
    one.n_bookings = 1;
    assert_int_equal(pw_bookings_json_add(o, &one), 0);
    bk = json_array_get(json_object_get(o, "bookings"), 0);
    assert_non_null(bk);
    json_object_del(bk, "segment");
    json_array_foreach(json_object_get(bk, "travellers"), i, t)
    {
        assert_int_equal(json_object_del(t, "segment"), 0);
    }
    out = json_dumps(bk, JSON_SORT_KEYS | JSON_COMPACT);
    json_decref(o);
    return out;
}

/* A version's hash is the SHA-256 of its content in lower-case hex,
 * as libsodium makes it (the hash stores used to keep). */
static void check_sha(const char *json, const char *sha)
{
    unsigned char d[crypto_hash_sha256_BYTES];
    char hex[65];

    assert_true(sodium_init() >= 0);
    crypto_hash_sha256(d, (const unsigned char *)json, strlen(json));
    sodium_bin2hex(hex, sizeof(hex), d, sizeof(d));
    assert_string_equal(sha, hex);
}

static size_t check_content(const pw_msg *m)
{
    for (size_t i = 0; i < m->n_bookings; i++) {
        char *mine = NULL, *ref = content_by_jansson(m, &m->bookings[i]);
        char sha[65];
        assert_int_equal(pw_booking_content(m, &m->bookings[i], &mine), PW_OK);
        assert_string_equal(mine, ref);
        pw_booking_sha256(mine, sha);
        check_sha(ref, sha);
        free(mine);
        free(ref);
    }
    return m->n_bookings;
}

static size_t check_file(const char *path)
{
    size_t len, n = 0;
    char *text = slurp(path, &len);
    pw_edi_interchange *ix = NULL;

    assert_non_null(text);
    if (pw_edi_parse(text, len, NULL, &ix) == PW_OK) {
        for (size_t k = 0; k < ix->n_messages; k++) {
            pw_msg *m = NULL;
            if (pw_pnrgov_map(ix, k, &m) == PW_OK)
                n += check_content(m);
            pw_msg_free(m);
        }
    }
    pw_edi_free(ix);
    free(text);
    return n;
}

static void test_content_matches_jansson(void **state)
{
    const char *shared = getenv("PW_SHARED_DIR");
    char dir[512], path[1024];
    struct dirent *e;
    DIR *d;
    size_t n = 0;

    (void)state;
    snprintf(dir, sizeof(dir), "%s/samples/pnrgov",
             shared ? shared : "/work/shared");
    d = opendir(dir);
    assert_non_null(d);
    while ((e = readdir(d))) {
        if (!strstr(e->d_name, ".edi"))
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        n += check_file(path);
    }
    closedir(d);
    assert_true(n >= 15);
}

/* Escapes, non-ASCII text and every optional key, made by hand. */
static void test_content_escapes(void **state)
{
    pw_traveller t = {.surname = "O\"BRIEN\\",
                      .given_names = "JO\tSE\x01",
                      .birth_date = "1980-01-02",
                      .segment = 7};
    pw_booking_traveller x = {.title = "MR", .infant = 1, .accompanied_by = 0};
    pw_flight f = {.carrier = "DL", .number = "1", .no_show = 1};
    const char *tags[] = {"A1", "B\n2"};
    pw_bag g = {
        .count = -1, .tags = tags, .n_tags = 2, .traveller = -1, .flight = 0};
    const char *remarks[] = {"MÜLLER ИВАНОВ \x7f"};
    pw_booking b = {.locator = {.locator = "ABC123", .carrier = "DL"},
                    .travellers = &t,
                    .traveller_extra = &x,
                    .n_travellers = 1,
                    .itinerary = &f,
                    .n_itinerary = 1,
                    .bags = &g,
                    .n_bags = 1,
                    .remarks = remarks,
                    .n_remarks = 1,
                    .segment = 3};
    pw_msg m = {.type = "PNRGOV", .bookings = &b, .n_bookings = 1};
    char *bad = NULL;

    (void)state;
    t.address.city = "ÅLESUND";
    b.agency.agent = "A1";
    assert_int_equal(check_content(&m), 1);
    remarks[0] = "\xc3\x28";
    assert_int_not_equal(pw_booking_content(&m, &b, &bad), PW_OK);
    assert_null(bad);
}

/* Every key of every object present at once, so the writer's key order
 * is checked against jansson's sorted output for all of them. */
static void test_content_every_key(void **state)
{
    pw_document d = {"P",          "passport",   "X1", "GBR",
                     "2030-01-01", "2020-01-01", 1};
    pw_traveller t = {.surname = "DOE",
                      .given_names = "JANE",
                      .sex = "F",
                      .birth_date = "1980-01-02",
                      .nationality = "GBR",
                      .residence = "FRA",
                      .birth_place = "LONDON",
                      .passenger_ref = "P1",
                      .address = {"1 ST", "PARIS", "IDF", "75001", "FRA"},
                      .documents = &d,
                      .n_documents = 1,
                      .segment = 4};
    pw_booking_traveller x = {.title = "MS", .type = "A", .infant = 1};
    pw_locator loc = {"DL", "XYZ789", "2026-01-01T10:00"};
    pw_flight f = {"DL",
                   "1",
                   "AF",
                   "2",
                   "LHR",
                   "JFK",
                   "2026-02-01T10:00",
                   "2026-02-01T13:00",
                   "Y",
                   "HK",
                   "333",
                   1,
                   1};
    pw_service sv = {"8", "LHR", "2026-02-01", "2026-02-02", "HTL"};
    pw_payment py = {"CC", "VI", "XXXX1111", "100.00", "USD", "DOE", "1 ST", 0};
    pw_ticket tk = {"0061234567890", "T", "2026-01-02", "100.00", "USD", 0};
    pw_loyalty ly = {"DL", "123", "GOLD", 0};
    pw_seat st = {"12A", 0, 0};
    const char *tags[] = {"0006123456"};
    pw_bag bg = {2, "20 KGM", tags, 1, 1, 0, 0};
    pw_checkin ck = {"2026-02-01T08:00", "42", "LHR", 0, 0};
    pw_history hs = {"2026-01-03", "A", "flight", "DL1"};
    pw_contact ct = {"phone", "123"};
    pw_address ad = {"2 ST", "NICE", "PACA", "06000", "FRA"};
    const char *remarks[] = {"OK"};
    pw_booking b = {.locator = {"DL", "ABC123", "2026-01-01"},
                    .other_locators = &loc,
                    .n_other_locators = 1,
                    .created = "2026-01-01T09:00",
                    .last_changed = "2026-01-05T09:00",
                    .ticketed = "2026-01-02",
                    .group_name = "CHOIR",
                    .travellers = &t,
                    .traveller_extra = &x,
                    .n_travellers = 1};
    pw_msg m = {.type = "PNRGOV", .bookings = &b, .n_bookings = 1};

    (void)state;
    b.contacts = &ct, b.n_contacts = 1;
    b.addresses = &ad, b.n_addresses = 1;
    b.payments = &py, b.n_payments = 1;
    b.itinerary = &f, b.n_itinerary = 1;
    b.services = &sv, b.n_services = 1;
    b.frequent_flyer = &ly, b.n_frequent_flyer = 1;
    b.agency.system = "1A", b.agency.location = "LON";
    b.agency.iata_number = "123", b.agency.office = "LONDL";
    b.agency.type = "T", b.agency.country = "GB";
    b.agency.currency = "GBP", b.agency.agent = "AG";
    b.split = &loc, b.n_split = 1;
    b.remarks = remarks, b.n_remarks = 1;
    b.tickets = &tk, b.n_tickets = 1;
    b.seats = &st, b.n_seats = 1;
    b.bags = &bg, b.n_bags = 1;
    b.checkins = &ck, b.n_checkins = 1;
    b.history = &hs, b.n_history = 1;
    assert_int_equal(check_content(&m), 1);
    /* and with every optional one absent */
    memset(&b, 0, sizeof(b));
    memset(&x, 0, sizeof(x));
    x.accompanied_by = -1;
    memset(&t, 0, sizeof(t));
    b.travellers = &t, b.traveller_extra = &x, b.n_travellers = 1;
    bg = (pw_bag){.count = -1, .traveller = -1, .flight = -1};
    b.bags = &bg, b.n_bags = 1;
    assert_int_equal(check_content(&m), 1);
}

/* The itinerary summary and the booking key, written without printf,
 * against the printf forms they replaced, with fields missing. */
static void test_itinerary_and_key(void **state)
{
    pw_flight f[3] = {{.carrier = "DL",
                       .number = "324",
                       .from = "LHR",
                       .to = "JFK",
                       .departure = "2010-12-12T09:15"},
                      {.carrier = "DL", .number = "330", .from = "JFK"},
                      {0}};
    pw_booking b = {.locator = {.locator = "MFN4TI", .created = "2010-12-06"},
                    .itinerary = f,
                    .n_itinerary = 3};
    pw_msg m = {
        .type = "PNRGOV", .sender = "DL", .bookings = &b, .n_bookings = 1};
    char *it, key[32], want[64];

    (void)state;
    it = pw_booking_itinerary(&b);
    assert_non_null(it);
    assert_string_equal(it, "DL324 LHR-JFK 2010-12-12T09:15, DL330 JFK-,  -");
    free(it);
    b.n_itinerary = 0;
    it = pw_booking_itinerary(&b);
    assert_string_equal(it, "");
    free(it);
    /* the sender stands in for the locator's carrier; the creation
     * time is cut to its date */
    b.created = "2010-12-06T10:10:59";
    assert_int_equal(pw_booking_key(&m, &b, key, sizeof(key)), PW_OK);
    assert_string_equal(key, "MFN4TI|DL|2010-12-06");
    b.created = NULL;
    b.locator.created = NULL;
    b.locator.locator = NULL;
    assert_int_equal(pw_booking_key(&m, &b, key, sizeof(key)), PW_OK);
    assert_string_equal(key, "|DL|");
    /* just fits, one byte short */
    b.locator.locator = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    snprintf(want, sizeof(want), "%s|DL|", b.locator.locator);
    assert_int_equal(pw_booking_key(&m, &b, key, strlen(want) + 1), PW_OK);
    assert_string_equal(key, want);
    assert_int_equal(pw_booking_key(&m, &b, key, strlen(want)), PW_ERR_LIMIT);
}

/* Contents of every booking of the shared PNRGOV samples. */
static size_t sample_contents(char **out, size_t cap)
{
    const char *shared = getenv("PW_SHARED_DIR");
    char dir[512], path[1024];
    struct dirent *e;
    size_t n = 0;
    DIR *d;

    snprintf(dir, sizeof(dir), "%s/samples/pnrgov",
             shared ? shared : "/work/shared");
    d = opendir(dir);
    assert_non_null(d);
    while ((e = readdir(d)) && n < cap) {
        size_t len;
        char *text;
        pw_edi_interchange *ix = NULL;
        if (!strstr(e->d_name, ".edi"))
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        text = slurp(path, &len);
        assert_non_null(text);
        if (pw_edi_parse(text, len, NULL, &ix) == PW_OK)
            for (size_t k = 0; k < ix->n_messages; k++) {
                pw_msg *m = NULL;
                if (pw_pnrgov_map(ix, k, &m) == PW_OK)
                    for (size_t i = 0; i < m->n_bookings && n < cap; i++)
                        assert_int_equal(
                            pw_booking_content(m, &m->bookings[i], &out[n++]),
                            PW_OK);
                pw_msg_free(m);
            }
        pw_edi_free(ix);
        free(text);
    }
    closedir(d);
    return n;
}

/* The changes read from the texts equal the reference's from jansson
 * trees, for canonical texts; anything else is left to the reference. */
static void check_changes(const char *a, const char *b, int canonical)
{
    char *ref = pw_booking_changes_tree(a, b);
    char *fast = pw_booking_changes_text(a, b);
    char *both = pw_booking_changes(a, b);

    if (canonical) {
        assert_non_null(fast);
        assert_string_equal(fast, ref);
    } else {
        assert_null(fast);
    }
    if (ref)
        assert_string_equal(both, ref);
    else
        assert_null(both);
    free(ref);
    free(fast);
    free(both);
}

static void test_changes_from_text(void **state)
{
    char *c[64];
    size_t n = sample_contents(c, 40);
    const char *odd[] = {
        /* escapes and non-ASCII in labels, a list that is not an array,
         * keys only on one side, a label over 511 bytes */
        "{\"itinerary\":null,\"payments\":[{\"amount\":\"1\",\"type\":"
        "\"C\\u00e9\"}"
        "],\"travellers\":[{\"given_names\":\"A\\\"B\\n\",\"surname\":"
        "\"\\u00c5S"
        "\\ud83d\\ude00\"}],\"x\":[1,-2,true,false,{}]}",
        "{\"payments\":[],\"travellers\":[{\"given_names\":\"A\\\"B\\n\","
        "\"surname\":\"ÅS😀\"},{\"surname\":null}],\"y\":{\"a\":[]}}",
    };
    char big[1200];
    const char *not_canonical[] = {
        "{ \"travellers\":[]}", /* blank */
        "{\"b\":1,\"a\":2}",    /* keys out of order */
        "{\"a\":1.5}",          /* a real */
        "{\"a\":-0}",           /* equal to 0, not as text */
        "{\"a\\u0062\":1}",     /* escaped key */
        "[1]",                  /* not an object */
        "{\"a\":\"\\u0000\"}",  /* NUL: jansson refuses it */
        "{\"a\":1}x",           /* trailing bytes */
    };

    (void)state;
    assert_true(n >= 15);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            check_changes(c[i], c[j], 1);
    /* a label longer than the reference's 512-byte buffer */
    snprintf(
        big, sizeof(big),
        "{\"travellers\":[{\"given_names\":\"Z\",\"surname\":\"%0700d\"}]}", 7);
    for (size_t i = 0; i < 2; i++)
        for (size_t j = 0; j < 2; j++)
            check_changes(odd[i], odd[j], 1);
    check_changes(big, odd[1], 1);
    check_changes(odd[0], big, 1);
    for (size_t i = 0; i < sizeof(not_canonical) / sizeof(*not_canonical);
         i++) {
        check_changes(not_canonical[i], c[0], 0);
        check_changes(c[0], not_canonical[i], 0);
    }
    for (size_t i = 0; i < n; i++)
        free(c[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_versions_and_repeats, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_moved_in_push, setup, teardown),
        cmocka_unit_test_setup_teardown(test_repeat_in_one_push, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_links_api_first, setup, teardown),
        cmocka_unit_test_setup_teardown(test_links_pnr_first, setup, teardown),
        cmocka_unit_test_setup_teardown(test_screening, setup, teardown),
        cmocka_unit_test(test_redact_edifact),
        cmocka_unit_test(test_redact_xml),
        cmocka_unit_test(test_redact_leaves_api),
        cmocka_unit_test_setup_teardown(test_store_file_clean, setup, teardown),
        cmocka_unit_test(test_content_matches_jansson),
        cmocka_unit_test(test_content_escapes),
        cmocka_unit_test(test_content_every_key),
        cmocka_unit_test(test_itinerary_and_key),
        cmocka_unit_test(test_changes_from_text),
        cmocka_unit_test_setup_teardown(test_booking_items, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests for the iAPI exchange: a PAXLST request in, a CUSRES answer
 * out, parsed back and checked segment by segment (src/screen/iapi.c,
 * src/messages/cusres.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "paxwatch/edifact.h"
#include "paxwatch/iapi.h"
#include "paxwatch/screen.h"
#include "paxwatch/watchlist.h"

/* 2026-01-01 12:00 UTC: the fixed clock of every answer here. */
#define NOW 1767268800LL

static const char list_csv[] =
    "id,name,aliases,birth_date,nationality,sex,document_number,"
    "document_issuer,category\n"
    "W-1,Ivan Petrovich SIDOROV,,1970-05-01,RUS,M,,,wanted\n"
    "L-1,,,,,,YY3478621,ESP,lost_or_stolen\n";

typedef struct fixture {
    pw_watchlist *list;
    pw_screen_index *index;
    pw_iapi *ctx;
    pw_iapi_result res;
    char *answer;
    size_t len;
    pw_edi_interchange *ix;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));

    assert_non_null(f);
    assert_int_equal(pw_watchlist_load_mem("csv", list_csv,
                                           sizeof(list_csv) - 1, "test",
                                           &f->list),
                     PW_OK);
    assert_int_equal(pw_screen_index_build(&f->list, 1, &f->index), PW_OK);
    assert_int_equal(pw_iapi_new(f->index, NULL, &f->ctx), PW_OK);
    pw_iapi_set_clock(f->ctx, NOW);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;

    free(f->answer);
    pw_edi_free(f->ix);
    pw_iapi_result_free(&f->res);
    pw_iapi_free(f->ctx);
    pw_screen_index_free(f->index);
    pw_watchlist_free(f->list);
    free(f);
    return 0;
}

/* A one-flight request: SYD-HNL departing 2013-06-21. bgm and
 * travellers are segments; the counts are left for the reader to warn
 * about, never to reject. */
static char *request(const char *bgm, const char *travellers)
{
    static char buf[4096];

    snprintf(buf, sizeof(buf),
             "UNA:+.? 'UNB+UNOA:4+ZZAIRLINE+CUSTOMS+130620:0900+000000001'"
             "UNH+PAX001+PAXLST:D:05B:UN:IATA'%s'RFF+TN:1234567890'"
             "NAD+MS+++DAVIDSON:ROBERT'TDT+20+ZZ123+++ZZ'LOC+125+SYD'"
             "DTM+189:1306210900:201'LOC+87+HNL'DTM+232:1306212200:201'"
             "%sCNT+42:1'UNT+99+PAX001'UNZ+1+000000001'",
             bgm, travellers);
    return buf;
}

#define WILLIAMS                                                               \
    "NAD+FL+++WILLIAMS:JOHN:DONALD'ATT+2++M'DTM+329:720907'NAT+2+GBR'"         \
    "RFF+AVF:TYR123'RFF+ABO:ABC123'"
#define DOC_OK "DOC+P+MB140241'DTM+36:251231'LOC+91+GBR'"

static void answer(fixture *f, const char *req)
{
    free(f->answer);
    pw_edi_free(f->ix);
    f->answer = NULL;
    f->ix = NULL;
    assert_int_equal(
        pw_iapi_answer(f->ctx, req, strlen(req), &f->answer, &f->len, &f->res),
        PW_OK);
    assert_non_null(f->answer);
    assert_int_equal(strlen(f->answer), f->len);
    assert_int_equal(pw_edi_parse(f->answer, f->len, NULL, &f->ix), PW_OK);
    /* What paxwatch writes must read back without a single warning. */
    assert_int_equal(f->ix->diags.n, 0);
}

/* Checks the answer's segments (after the UNA) one by one. */
static void expect(fixture *f, const char *const *segs, size_t n)
{
    char buf[1024];

    assert_int_equal(f->ix->n_segments, n);
    for (size_t i = 0; i < n; i++) {
        size_t len =
            pw_edi_write_segment(&f->ix->segments[i], buf, sizeof(buf));

        assert_true(len < sizeof(buf));
        assert_string_equal(buf, segs[i]);
    }
}

#define HEAD                                                                   \
    "UNB+UNOC:4+CUSTOMS+ZZAIRLINE+260101:1200+000000001++IAPI'",               \
        "UNH+PAX001+CUSRES:D:05B:UN:IATA'", "BGM+962'", "RFF+TN:1234567890'",  \
        "RFF+AF:ZZ123'", "DTM+189:1306210900:201'", "DTM+232:1306212200:201'", \
        "LOC+125+SYD'", "LOC+87+HNL'"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_board(void **state)
{
    fixture *f = *state;
    static const char *const want[] = {HEAD,
                                       "ERP+2'",
                                       "RFF+AVF:TYR123'",
                                       "RFF+ABO:ABC123'",
                                       "ERC+0Z'",
                                       "FTX+AAP+++OK TO BOARD'",
                                       "UNT+14+PAX001'",
                                       "UNZ+1+000000001'"};

    answer(f, request("BGM+745", WILLIAMS DOC_OK));
    expect(f, want, N(want));
    assert_int_equal(f->res.rejected, 0);
    assert_int_equal(f->res.n_passengers, 1);
    assert_int_equal(f->res.passengers[0].code, PW_IAPI_BOARD);
    assert_int_equal(f->res.passengers[0].reason, PW_IAPI_CLEAR);
    assert_int_equal(f->res.n_hits, 0);
    assert_string_equal(f->ix->application_reference, "IAPI");
    assert_string_equal(f->ix->messages[0].type, "CUSRES");
    assert_string_equal(f->ix->messages[0].release, "05B");
}

static void test_lost_stolen(void **state)
{
    fixture *f = *state;
    static const char *const want[] = {
        HEAD,
        "ERP+2'",
        "RFF+AVF:TYR123'",
        "RFF+ABO:ABC123'",
        "ERC+1Z'",
        "FTX+AAP+++DOCUMENT REPORTED LOST OR STOLEN - DO NOT BOARD'",
        "UNT+14+PAX001'",
        "UNZ+1+000000001'"};

    answer(f, request("BGM+745",
                      WILLIAMS "DOC+P+YY 3478621'DTM+36:251231'LOC+91+ESP'"));
    expect(f, want, N(want));
    assert_int_equal(f->res.passengers[0].reason, PW_IAPI_LOST_STOLEN);
    assert_int_equal(f->res.n_hits, 1);
    assert_int_equal(f->res.hits[0].lost_stolen, 1);
    assert_int_equal(f->res.hits[0].document, 1);
    assert_string_equal(f->res.hits[0].hit.id, "L-1");
}

static void test_contact_authority(void **state)
{
    fixture *f = *state;
    static const char *const want[] = {
        HEAD,
        "ERP+2'",
        "RFF+ABO:P77'",
        "ERC+2Z'",
        "FTX+AAP+++CONTACT THE AUTHORITY BEFORE BOARDING'",
        "UNT+13+PAX001'",
        "UNZ+1+000000001'"};

    answer(f,
           request("BGM+745", "NAD+FL+++SIDOROV:IVAN:PETROVICH'ATT+2++M'"
                              "DTM+329:700501'NAT+2+RUS'RFF+ABO:P77'" DOC_OK));
    expect(f, want, N(want));
    assert_int_equal(f->res.passengers[0].code, PW_IAPI_CONTACT);
    assert_int_equal(f->res.passengers[0].n_hits, 1);
    assert_string_equal(f->res.hits[0].hit.id, "W-1");
    assert_int_equal(f->res.hits[0].lost_stolen, 0);
    assert_true(f->res.hits[0].hit.score >= PW_SCREEN_DEFAULT_THRESHOLD);
}

static void test_no_document(void **state)
{
    fixture *f = *state;
    static const char *const want[] = {
        HEAD,
        "ERP+2'",
        "RFF+AVF:TYR123'",
        "RFF+ABO:ABC123'",
        "ERC+4Z'",
        "FTX+AAP+++NO TRAVEL DOCUMENT - RESEND WITH DOCUMENT DATA'",
        "UNT+14+PAX001'",
        "UNZ+1+000000001'"};

    /* A visa alone is not a travel document. */
    answer(f, request("BGM+745", WILLIAMS "DOC+V+V1234'"));
    expect(f, want, N(want));
    assert_int_equal(f->res.passengers[0].reason, PW_IAPI_NO_DOCUMENT);
}

static void test_expired(void **state)
{
    fixture *f = *state;

    /* Expired 2013-06-20, the day before departure: no board. */
    answer(f, request("BGM+745", WILLIAMS "DOC+P+MB140241'DTM+36:130620'"));
    assert_int_equal(f->res.passengers[0].reason, PW_IAPI_EXPIRED);
    assert_int_equal(f->res.passengers[0].code, PW_IAPI_NO_BOARD);
    assert_string_equal(f->ix->segments[12].tag, "ERC");
    assert_string_equal(pw_edi_get(&f->ix->segments[12], 1, 1), "1Z");

    /* Expiring on the day of departure is still valid. */
    answer(f, request("BGM+745", WILLIAMS "DOC+P+MB140241'DTM+36:130621'"));
    assert_int_equal(f->res.passengers[0].code, PW_IAPI_BOARD);
}

static void test_change_of_passenger(void **state)
{
    fixture *f = *state;
    static const char *const want[] = {
        "UNB+UNOC:4+CUSTOMS+ZZAIRLINE+260101:1200+000000001++IAPI'",
        "UNH+PAX001+CUSRES:D:05B:UN:IATA'",
        "BGM+962'",
        "RFF+TN:1234567890'",
        "RFF+AF:ZZ123'",
        "DTM+189:1306210900:201'",
        "DTM+232:1306212200:201'",
        "LOC+125+SYD'",
        "LOC+87+HNL'",
        "ERP+2'",
        "RFF+AVF:TYR123'",
        "RFF+ABO:ABC123'",
        "ERC+0Z'",
        "FTX+AAP+++OK TO BOARD'",
        "UNT+14+PAX001'",
        "UNZ+1+000000001'"};

    answer(f, request("BGM+745+CP", WILLIAMS DOC_OK));
    expect(f, want, N(want));
    assert_int_equal(f->res.change, 1);

    answer(f, request("BGM+745", WILLIAMS DOC_OK));
    assert_int_equal(f->res.change, 0);
}

static void test_several_passengers(void **state)
{
    fixture *f = *state;
    static const char *const want[] = {
        HEAD,
        "ERP+2'",
        "RFF+AVF:TYR123'",
        "RFF+ABO:ABC123'",
        "ERC+0Z'",
        "FTX+AAP+++OK TO BOARD'",
        "ERP+2'",
        "RFF+ABO:P2'",
        "ERC+1Z'",
        "FTX+AAP+++DOCUMENT REPORTED LOST OR STOLEN - DO NOT BOARD'",
        "ERP+2'",
        "RFF+ABO:P3'",
        "ERC+4Z'",
        "FTX+AAP+++NO TRAVEL DOCUMENT - RESEND WITH DOCUMENT DATA'",
        "UNT+22+PAX001'",
        "UNZ+1+000000001'"};

    answer(f, request("BGM+745",
                      WILLIAMS DOC_OK "NAD+FL+++GARCIA:ANA'RFF+ABO:P2'"
                                      "DOC+P+YY3478621'LOC+91+ESP'"
                                      "NAD+FL+++NOVAK:PETR'RFF+ABO:P3'"));
    expect(f, want, N(want));
    assert_int_equal(f->res.n_passengers, 3);
    assert_int_equal(f->res.passengers[1].traveller, 1);
    assert_int_equal(f->res.passengers[1].n_hits, 1);
    assert_int_equal(f->res.hits[0].passenger, 1);
    assert_int_equal(f->res.passengers[2].n_hits, 0);
}

/* The answer to a request that cannot be read says where and why. */
static void expect_rejected(fixture *f, const char *req, const char *ref,
                            const char *why)
{
    const pw_edi_segment *s;

    answer(f, req);
    assert_int_equal(f->res.rejected, 1);
    assert_int_equal(f->res.n_passengers, 0);
    assert_true(f->res.diags.n >= 1);
    assert_int_equal(f->ix->n_messages, 1);
    assert_string_equal(f->ix->messages[0].reference, ref);
    s = &f->ix->segments[2];
    assert_string_equal(s->tag, "BGM");
    assert_string_equal(pw_edi_get(s, 1, 1), "962");
    s = &f->ix->segments[3];
    assert_string_equal(s->tag, "ERP");
    assert_string_equal(pw_edi_get(s, 1, 1), "1");
    assert_string_equal(pw_edi_get(&f->ix->segments[4], 1, 1), "4Z");
    s = &f->ix->segments[5];
    assert_string_equal(s->tag, "FTX");
    assert_non_null(strstr(pw_edi_get(s, 4, 1), "REQUEST COULD NOT BE READ"));
    assert_non_null(strstr(pw_edi_get(s, 4, 1), why));
    assert_string_equal(f->ix->segments[6].tag, "UNT");
    assert_string_equal(pw_edi_get(&f->ix->segments[6], 1, 1), "6");
}

static void test_unreadable(void **state)
{
    fixture *f = *state;
    expect_rejected(f, "hello, this is not EDIFACT", "1", "segment");
    expect_rejected(f, "", "1", "segment 0");
    /* A PAXLST without a traveller names the UNH it could not use. */
    expect_rejected(f, request("BGM+745", ""), "PAX001", "no traveller");
    expect_rejected(f,
                    "UNB+UNOA:4+A+B+130620:0900+7'UNH+M1+CUSDEC:D:05B:UN'BGM+1'"
                    "UNT+3+M1'UNZ+1+7'",
                    "M1", "segment 2, byte 29: not a PAXLST");
    expect_rejected(
        f,
        "UNB+UNOA:4+A+B+130620:0900+7'UNH+M1+PAXLST:D:05B:UN:IATA+K+01:C'"
        "BGM+745'NAD+FL+++X:Y'UNT+4+M1'UNZ+1+7'",
        "M1", "multi-part");
}

static void test_unreadable_reference(void **state)
{
    fixture *f = *state;

    /* The reference of the UNH is echoed when the request has one. */
    answer(f, request("BGM+745", ""));
    assert_string_equal(f->ix->messages[0].reference, "PAX001");
    assert_string_equal(f->ix->recipient, "ZZAIRLINE");
}

static void test_policy(void **state)
{
    fixture *f = *state;
    static const char conf[] = "# test policy\n"
                               "threshold = 0.9\n"
                               "expired_document = 4Z\n"
                               "text.expired_document = RENEW PASSPORT\n"
                               "sender = PIU\n";
    pw_iapi_policy p;
    pw_diags d = {0};
    pw_iapi *ctx;

    pw_iapi_policy_default(&p);
    assert_int_equal(pw_iapi_policy_parse(conf, sizeof(conf) - 1, &p, &d),
                     PW_OK);
    assert_int_equal(d.n, 0);
    assert_true(p.threshold > 0.89 && p.threshold < 0.91);
    assert_int_equal(p.code[PW_IAPI_EXPIRED], PW_IAPI_INSUFFICIENT);
    assert_int_equal(pw_iapi_new(f->index, &p, &ctx), PW_OK);
    pw_iapi_set_clock(ctx, NOW);
    pw_iapi_free(f->ctx);
    f->ctx = ctx;

    answer(f, request("BGM+745", WILLIAMS "DOC+P+MB140241'DTM+36:120101'"));
    assert_string_equal(f->ix->sender, "PIU");
    assert_string_equal(pw_edi_get(&f->ix->segments[12], 1, 1), "4Z");
    assert_string_equal(pw_edi_get(&f->ix->segments[13], 4, 1),
                        "RENEW PASSPORT");
}

static void test_policy_errors(void **state)
{
    static const char bad[] = "threshold = 0.8\n"
                              "lost_or_stolen = 9Z\n"
                              "colour = blue\n"
                              "threshold = 2\n";
    pw_iapi_policy p;
    pw_diags d = {0};

    (void)state;
    pw_iapi_policy_default(&p);
    assert_int_equal(pw_iapi_policy_parse(bad, sizeof(bad) - 1, &p, &d),
                     PW_ERR_SYNTAX);
    assert_int_equal(d.n, 3);
    assert_non_null(strstr(d.items[0].message, "line 2"));
    assert_int_equal(d.items[0].offset, 16);
    assert_non_null(strstr(d.items[1].message, "line 3: unknown key"));
    assert_non_null(strstr(d.items[2].message, "line 4"));
    pw_diags_clear(&d);
}

static void test_policy_file(void **state)
{
    char path[4096];
    const char *src = getenv("PW_SOURCE_DIR");
    pw_iapi_policy p, def;
    pw_diags d = {0};

    (void)state;
    snprintf(path, sizeof(path), "%s/data/iapi-policy.conf", src ? src : ".");
    pw_iapi_policy_default(&def);
    memset(&p, 0x55, sizeof(p));
    pw_iapi_policy_default(&p);
    assert_int_equal(pw_iapi_policy_load(path, &p, &d), PW_OK);
    /* The shipped file states the defaults. */
    assert_memory_equal(&p, &def, sizeof(p));
    assert_int_equal(pw_iapi_policy_load("/nonexistent/x", &p, &d), PW_ERR_IO);
    pw_diags_clear(&d);
}

static void test_no_index(void **state)
{
    pw_iapi *ctx;
    pw_iapi_result r = {0};
    char *out;
    size_t len;
    const char *req = request("BGM+745", WILLIAMS
                              "DOC+P+YY3478621'DTM+36:251231'LOC+91+ESP'");

    (void)state;
    assert_int_equal(pw_iapi_new(NULL, NULL, &ctx), PW_OK);
    assert_int_equal(pw_iapi_answer(ctx, req, strlen(req), &out, &len, &r),
                     PW_OK);
    /* Without lists only the documents are checked. */
    assert_int_equal(r.passengers[0].code, PW_IAPI_BOARD);
    assert_int_equal(pw_iapi_answer(NULL, req, strlen(req), &out, &len, &r),
                     PW_ERR_INVALID);
    free(out);
    pw_iapi_result_free(&r);
    pw_iapi_free(ctx);
}

static void test_writer_escapes(void **state)
{
    pw_cusres_answer a = {.passenger_ref = "A+B:C'D?",
                          .code = PW_IAPI_BOARD,
                          .text = "caf\xc3\xa9"};
    pw_cusres_message m = {.reference = "R1", .answers = &a, .n_answers = 1};
    pw_cusres c = {.sender = "US",
                   .recipient = "THEM",
                   .control_ref = "9",
                   .now = "260101:1200",
                   .messages = &m,
                   .n_messages = 1};
    pw_edi_interchange *ix;
    char *out;
    size_t len;

    (void)state;
    assert_int_equal(pw_cusres_write(&c, &out, &len), PW_OK);
    assert_int_equal(pw_edi_parse(out, len, NULL, &ix), PW_OK);
    assert_int_equal(ix->diags.n, 0);
    assert_string_equal(pw_edi_get(&ix->segments[4], 1, 2), "A+B:C'D?");
    assert_string_equal(pw_edi_get(&ix->segments[6], 4, 1), "caf..");
    pw_edi_free(ix);
    free(out);
    m.reference = NULL;
    assert_int_equal(pw_cusres_write(&c, &out, &len), PW_ERR_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_board, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lost_stolen, setup, teardown),
        cmocka_unit_test_setup_teardown(test_contact_authority, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_no_document, setup, teardown),
        cmocka_unit_test_setup_teardown(test_expired, setup, teardown),
        cmocka_unit_test_setup_teardown(test_change_of_passenger, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_several_passengers, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_unreadable, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unreadable_reference, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_policy, setup, teardown),
        cmocka_unit_test(test_policy_errors),
        cmocka_unit_test(test_policy_file),
        cmocka_unit_test(test_no_index),
        cmocka_unit_test(test_writer_escapes),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

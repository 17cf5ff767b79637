/* Unit tests of pw_reader and the multi-part functions: whole messages,
 * parts in any order and in separate inputs, retransmitted parts,
 * waiting sets, stored parts, rejected inputs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "paxwatch/messages.h"

#define UNB(ref) "UNB+UNOA:4+SHIPCO+GOV+260301:0900+" ref "'"

/* Part n of a three-traveller list split as 01:C / 02:C / 03:F, or as
 * 01:C / 02:F when last is 2. */
static const char part1[] =
    UNB("A1") "UNH+1+PAXLST:D:05B:UN:IATA+VOY9+01:C'BGM+745'"
              "TDT+20+VOY9+1++SC+++9241061:146:11:SHIP:GB'LOC+125+GBSOU'"
              "DTM+189:2603011700:201'LOC+87+NLRTM'NAD+FL+++ONE:A'DOC+P+N1'"
              "UNT+9+1'UNZ+1+A1'";
static const char part2c[] =
    UNB("A2") "UNH+2+PAXLST:D:05B:UN:IATA+VOY9+02:C'NAD+FL+++TWO:B'"
              "UNT+3+2'UNZ+1+A2'";
static const char part2f[] =
    UNB("A2") "UNH+2+PAXLST:D:05B:UN:IATA+VOY9+02:F'NAD+FL+++TWO:B'"
              "CNT+42:2'UNT+4+2'UNZ+1+A2'";
static const char part3f[] =
    UNB("A3") "UNH+3+PAXLST:D:05B:UN:IATA+VOY9+03:F'NAD+FL+++THREE:C'"
              "CNT+42:3'UNT+4+3'UNZ+1+A3'";
static const char whole[] =
    UNB("W") "UNH+1+PAXLST:D:05B:UN:IATA+X+01:F'BGM+250'NAD+FM+++CREW:D'"
             "UNT+4+1'UNZ+1+W'";

static pw_batch *feed(pw_reader *r, const char *text)
{
    pw_batch *b = NULL;

    assert_int_equal(pw_reader_read(r, text, strlen(text), &b), PW_OK);
    assert_non_null(b);
    return b;
}

static const pw_msg *only_message(const pw_batch *b)
{
    const pw_msg *m = NULL;

    for (size_t i = 0; i < b->n_results; i++) {
        if (b->results[i].outcome == PW_OUT_MESSAGE) {
            assert_null(m);
            m = b->results[i].msg;
        }
    }
    return m;
}

static void test_whole(void **state)
{
    pw_reader *r;
    pw_batch *b;
    const pw_msg *m;

    (void)state;
    assert_int_equal(pw_reader_new(&r), PW_OK);
    b = feed(r, whole);
    assert_false(b->rejected);
    assert_string_equal(b->format, "edifact");
    assert_int_equal(b->n_results, 1);
    m = only_message(b);
    assert_non_null(m);
    assert_int_equal(m->parts, 1);
    assert_int_equal(m->list_type, PW_LIST_CREW);
    assert_string_equal(m->travellers[0].surname, "CREW");
    assert_int_equal(pw_reader_waiting(r, NULL, NULL), 0);
    pw_reader_free(r);
}

static void test_parts_out_of_order(void **state)
{
    pw_reader *r;
    pw_batch *b;
    const pw_msg *m;

    (void)state;
    assert_int_equal(pw_reader_new(&r), PW_OK);
    b = feed(r, part3f);
    assert_int_equal(b->n_results, 1);
    assert_int_equal(b->results[0].outcome, PW_OUT_PART);
    assert_int_equal(b->results[0].part.number, 3);
    assert_true(b->results[0].part.final);
    assert_null(only_message(feed(r, part1)));
    assert_int_equal(pw_reader_waiting(r, NULL, NULL), 1);
    b = feed(r, part2c);
    assert_int_equal(b->n_results, 2);
    m = only_message(b);
    assert_non_null(m);
    assert_int_equal(m->parts, 3);
    assert_int_equal(m->n_travellers, 3);
    assert_string_equal(m->travellers[0].surname, "ONE");
    assert_string_equal(m->travellers[1].surname, "TWO");
    assert_string_equal(m->travellers[2].surname, "THREE");
    assert_int_equal(m->movement.mode, PW_MODE_SEA);
    assert_string_equal(m->movement.vessel.imo, "9241061");
    assert_string_equal(m->sender, "SHIPCO");
    assert_int_equal(m->declared_passengers, 3);
    /* The joined message has correct counts: no UNT warning. */
    for (size_t i = 0; i < m->diags.n; i++)
        assert_null(strstr(m->diags.items[i].message, "count"));
    assert_int_equal(pw_reader_waiting(r, NULL, NULL), 0);
    pw_reader_free(r);
}

static void test_retransmitted_part(void **state)
{
    pw_reader *r;
    const pw_msg *m;

    (void)state;
    assert_int_equal(pw_reader_new(&r), PW_OK);
    assert_null(only_message(feed(r, part1)));
    assert_null(only_message(feed(r, part1)));
    m = only_message(feed(r, part2f));
    assert_non_null(m);
    assert_int_equal(m->n_travellers, 2);
    pw_reader_free(r);
}

typedef struct seen {
    unsigned calls, have;
    int final;
    char key[256];
} seen;

static void on_waiting(void *ctx, const char *key, unsigned have, int fin)
{
    seen *s = ctx;

    s->calls++;
    s->have = have;
    s->final = fin;
    strncpy(s->key, key, sizeof(s->key) - 1);
}

static void test_waiting(void **state)
{
    pw_reader *r;
    seen s = {0};

    (void)state;
    assert_int_equal(pw_reader_new(&r), PW_OK);
    feed(r, part1);
    feed(r, part3f);
    assert_int_equal(pw_reader_waiting(r, on_waiting, &s), 1);
    assert_int_equal(s.calls, 1);
    assert_int_equal(s.have, 2);
    assert_true(s.final);
    assert_string_equal(s.key, "SHIPCO|PAXLST|VOY9");
    pw_reader_free(r);
}

static void test_stored_part(void **state)
{
    pw_edi_interchange *ix = NULL;
    pw_part_info info;
    pw_reader *r;
    size_t len = 0;
    char *text;
    const pw_msg *m;

    (void)state;
    assert_int_equal(pw_edi_parse(part1, strlen(part1), NULL, &ix), PW_OK);
    pw_part_info_get(ix, 0, &info);
    assert_true(info.multipart);
    assert_int_equal(info.number, 1);
    assert_false(info.final);
    text = pw_part_text(ix, 0, &len);
    assert_non_null(text);
    assert_int_equal(strlen(text), len);
    assert_non_null(strstr(text, "UNH+1+PAXLST:D:05B:UN:IATA+VOY9+01:C'"));
    assert_non_null(strstr(text, "UNB+UNOW:4+SHIPCO+GOV+260301:0900+A1'"));
    pw_edi_free(ix);

    assert_int_equal(pw_reader_new(&r), PW_OK);
    assert_int_equal(pw_reader_add_part(r, text, len), PW_OK);
    m = only_message(feed(r, part2f));
    assert_non_null(m);
    assert_int_equal(m->n_travellers, 2);
    pw_reader_free(r);
    free(text);
}

/* What a part source was asked, and the part it hands over. */
struct source_seen {
    pw_reader *r;
    const char *text;
    size_t len;
    unsigned calls;
    char key[256];
};

static pw_rc give_part(void *ctx, const char *key)
{
    struct source_seen *ss = ctx;

    ss->calls++;
    snprintf(ss->key, sizeof(ss->key), "%s", key);
    return ss->text ? pw_reader_add_part(ss->r, ss->text, ss->len) : PW_OK;
}

static pw_rc fail_source(void *ctx, const char *key)
{
    (void)ctx;
    (void)key;
    return PW_ERR_STORE;
}

/* The source is asked once per set, for the sets an input touches only:
 * an input without parts asks nothing; its part 2 brings part 1. */
static void test_part_source(void **state)
{
    pw_edi_interchange *ix = NULL;
    pw_part_info info;
    struct source_seen ss = {0};
    pw_batch *b;
    const pw_msg *m;
    char *text;

    (void)state;
    assert_int_equal(pw_edi_parse(part1, strlen(part1), NULL, &ix), PW_OK);
    pw_part_info_get(ix, 0, &info);
    ss.text = text = pw_part_text(ix, 0, &ss.len);
    assert_non_null(text);
    assert_int_equal(pw_reader_new(&ss.r), PW_OK);
    pw_reader_set_part_source(ss.r, give_part, &ss);

    assert_int_equal(pw_reader_read(ss.r, whole, strlen(whole), &b), PW_OK);
    assert_int_equal(ss.calls, 0);
    m = only_message(feed(ss.r, part2f));
    assert_non_null(m);
    assert_int_equal(m->n_travellers, 2);
    assert_int_equal(ss.calls, 1);
    assert_string_equal(ss.key, info.key);
    /* the set was asked for: not again */
    ss.text = NULL;
    feed(ss.r, part2f);
    assert_int_equal(ss.calls, 1);
    pw_reader_free(ss.r);

    /* a source that fails ends the read with its code */
    assert_int_equal(pw_reader_new(&ss.r), PW_OK);
    pw_reader_set_part_source(ss.r, fail_source, NULL);
    assert_int_equal(pw_reader_read(ss.r, part2f, strlen(part2f), &b),
                     PW_ERR_STORE);
    pw_reader_free(ss.r);
    free(text);
    pw_edi_free(ix);
}

static void test_join(void **state)
{
    pw_edi_interchange *a = NULL, *b = NULL, *j = NULL;
    const char *texts[2];
    size_t lens[2], len = 0;
    char *joined;
    pw_part_info info;

    (void)state;
    assert_int_equal(pw_edi_parse(part1, strlen(part1), NULL, &a), PW_OK);
    assert_int_equal(pw_edi_parse(part2f, strlen(part2f), NULL, &b), PW_OK);
    texts[0] = pw_part_text(a, 0, &lens[0]);
    texts[1] = pw_part_text(b, 0, &lens[1]);
    joined = pw_parts_join(a, texts, lens, 2, &len);
    assert_non_null(joined);
    assert_int_equal(pw_edi_parse(joined, len, NULL, &j), PW_OK);
    assert_int_equal(j->n_messages, 1);
    assert_true(j->messages[0].complete);
    /* UNH..UNT: UNH BGM TDT LOC DTM LOC NAD DOC NAD CNT UNT. */
    assert_int_equal(j->messages[0].n_segments, 11);
    assert_int_equal(j->diags.n_errors, 0);
    pw_part_info_get(j, 0, &info);
    assert_false(info.multipart);
    assert_string_equal(j->sender, "SHIPCO");
    assert_string_equal(j->syntax.charset, "UNOW");
    pw_edi_free(a);
    pw_edi_free(b);
    pw_edi_free(j);
    free((char *)texts[0]);
    free((char *)texts[1]);
    free(joined);
}

static void test_rejected(void **state)
{
    static const char *bad[] = {"", "hello world", "\x01\x02\x03\xff\xfe",
                                "UNB+"};
    pw_reader *r;
    pw_batch *b;

    (void)state;
    assert_int_equal(pw_reader_new(&r), PW_OK);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(pw_reader_read(r, bad[i], strlen(bad[i]), &b), PW_OK);
        assert_true(b->rejected);
        assert_true(b->diags->n_errors >= 1);
        assert_int_equal(b->n_results, 0);
    }
    b = feed(r, "UNH+1+APERAK:D:96A:UN'BGM+313'UNT+3+1'");
    assert_false(b->rejected);
    assert_int_equal(b->n_results, 1);
    assert_int_equal(b->results[0].outcome, PW_OUT_REJECTED);
    assert_string_equal(b->results[0].type, "APERAK");
    assert_int_equal(b->results[0].segment, 1);
    pw_reader_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_whole),
        cmocka_unit_test(test_parts_out_of_order),
        cmocka_unit_test(test_retransmitted_part),
        cmocka_unit_test(test_waiting),
        cmocka_unit_test(test_stored_part),
        cmocka_unit_test(test_part_source),
        cmocka_unit_test(test_join),
        cmocka_unit_test(test_rejected),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests of the memory paths kept fast: arenas reusing freed blocks
 * (within their limits, across threads), the text span of a message and
 * mapped messages that no longer need their interchange. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "paxwatch/arena.h"
#include "paxwatch/messages.h"

#define MIB ((size_t)1 << 20)

/* Fills n bytes with a pattern and checks it back: memory handed out
 * must be usable in full, whether fresh or reused. */
static int fill_and_check(unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)(i * 31 + seed);
    for (size_t i = 0; i < n; i++)
        if (p[i] != (unsigned char)(i * 31 + seed))
            return 0;
    return 1;
}

/* A freed big block comes back to the next arena, and its memory works. */
static void test_reuse(void **state)
{
    pw_arena a;
    unsigned char *p;

    (void)state;
    for (unsigned round = 0; round < 4; round++) {
        pw_arena_init(&a, 0);
        p = pw_arena_alloc(&a, 3 * MIB);
        assert_non_null(p);
        assert_true(fill_and_check(p, 3 * MIB, round));
        p = pw_arena_calloc(&a, 1000, 100);
        assert_non_null(p);
        for (size_t i = 0; i < 100000; i++)
            assert_int_equal(p[i], 0);
        pw_arena_free(&a);
        assert_int_equal(a.used, 0);
    }
}

/* A cached block bigger than an arena's limit is never given to it. */
static void test_limit_kept(void **state)
{
    pw_arena big, small;

    (void)state;
    pw_arena_init(&big, 0);
    assert_non_null(pw_arena_alloc(&big, 8 * MIB));
    pw_arena_free(&big);

    pw_arena_init(&small, 300 * 1024);
    assert_non_null(pw_arena_alloc(&small, 200 * 1024));
    assert_true(small.used <= 300 * 1024);
    assert_null(pw_arena_alloc(&small, 200 * 1024));
    assert_true(small.used <= 300 * 1024);
    pw_arena_free(&small);
}

static void *churn(void *arg)
{
    int *ok = arg;

    for (unsigned i = 0; i < 50; i++) {
        pw_arena a;
        unsigned char *p;

        pw_arena_init(&a, 0);
        p = pw_arena_alloc(&a, (i % 5 + 1) * 100000);
        *ok &= p && fill_and_check(p, (i % 5 + 1) * 100000, i);
        pw_arena_free(&a);
    }
    return NULL; /* the thread's cached blocks are freed as it ends */
}

static void test_threads(void **state)
{
    pthread_t t[4];
    int ok[4] = {1, 1, 1, 1};

    (void)state;
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&t[i], NULL, churn, &ok[i]), 0);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(pthread_join(t[i], NULL), 0);
        assert_true(ok[i]);
    }
}

#define UNB "UNB+UNOA:4+AIR+GOV+260301:0900+1'"
#define MSG(ref, name)                                                         \
    "UNH+" ref "+PAXLST:D:05B:UN:IATA'BGM+745'"                                \
    "NAD+FL+++" name ":ANNA'DOC+P+X123'UNT+5+" ref "'"

/* The span of each message covers its values and nothing before. */
static void test_span(void **state)
{
    const char *text = UNB MSG("1", "ONE") MSG("2", "TWO") "UNZ+2+1'";
    pw_edi_interchange *ix = NULL;
    const char *lo, *hi;

    (void)state;
    assert_int_equal(pw_edi_parse(text, strlen(text), NULL, &ix), PW_OK);
    assert_int_equal(ix->n_messages, 2);
    for (size_t m = 0; m < 2; m++) {
        const pw_edi_message *em = &ix->messages[m];

        assert_int_equal(
            pw_edi_text_span(ix, em->first_segment, em->n_segments, &lo, &hi),
            1);
        assert_non_null(lo);
        assert_true(hi > lo);
        for (uint32_t i = 0; i < em->n_segments; i++) {
            const pw_edi_segment *s = &ix->segments[em->first_segment + i];

            for (uint32_t v = 0; v < s->n_values; v++) {
                assert_true(s->values[v].text >= lo);
                assert_true(s->values[v].text + s->values[v].len < hi);
            }
        }
    }
    /* The UNB's values come before the first message's span. */
    assert_int_equal(pw_edi_text_span(ix, 1, 1, &lo, &hi), 1);
    assert_true(ix->segments[0].values[0].text < lo);
    assert_int_equal(pw_edi_text_span(ix, ix->n_segments, 1, &lo, &hi), 0);
    assert_int_equal(pw_edi_text_span(ix, 0, ix->n_segments + 1, &lo, &hi), 0);
    pw_edi_free(ix);
}

/* A message keeps its strings when the interchange is gone; trimming
 * works on the shared copy without changing the value after it. */
static void test_msg_outlives_ix(void **state)
{
    const char *text = UNB "UNH+1+PAXLST:D:05B:UN:IATA'BGM+745'"
                           "NAD+FL+++  DOE  :  JOHN'DOC+P+ AB1 '"
                           "NAD+FL+++   :MARY'UNT+6+1'UNZ+1+1'";
    pw_edi_interchange *ix = NULL;
    pw_msg *m = NULL;

    (void)state;
    assert_int_equal(pw_edi_parse(text, strlen(text), NULL, &ix), PW_OK);
    assert_int_equal(pw_paxlst_map(ix, 0, &m), PW_OK);
    pw_edi_free(ix);
    assert_int_equal(m->n_travellers, 2);
    assert_string_equal(m->travellers[0].surname, "DOE");
    assert_string_equal(m->travellers[0].given_names, "JOHN");
    assert_string_equal(m->travellers[0].documents[0].number, "AB1");
    assert_null(m->travellers[1].surname);
    assert_string_equal(m->travellers[1].given_names, "MARY");
    assert_string_equal(m->type, "PAXLST");
    assert_string_equal(m->sender, "AIR");
    pw_msg_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reuse),
        cmocka_unit_test(test_limit_kept),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_span),
        cmocka_unit_test(test_msg_outlives_ix),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

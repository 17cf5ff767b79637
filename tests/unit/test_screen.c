/* Unit tests for the screening engine: scoring, explanations, documents,
 * and the index agreeing with a full scan (src/screen). */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "paxwatch/identity.h"
#include "paxwatch/screen.h"

#define T PW_SCREEN_DEFAULT_THRESHOLD

static pw_entry_name n_mohammed[] = {
    {.full = "Mohammed Ali Hassan"},
    {.full = "محمد علي حسن", .script = "Arabic", .alias = 1}};
static pw_entry_name n_putin[] = {{.full = "Vladimir Vladimirovich PUTIN"}};
static pw_entry_name n_smith[] = {{.full = "John Paul Smith",
                                   .surname = "Smith",
                                   .given_names = "John Paul"}};
static pw_entry_name n_sabah[] = {{.full = "Saad Al-Sabah"}};
static pw_entry_date d_mohammed[] = {{.from = "1970-05-12"}};
static pw_entry_date d_smith[] = {{.from = "1980-03-04"}};
static const char *nat_irq[] = {"IRQ"};
static pw_entry_document docs_lost[] = {
    {.type = "passport", .number = "L89-8902C3", .issuer = "UTO"}};

static pw_entry entries[] = {
    {.id = "E1",
     .kind = PW_ENTRY_PERSON,
     .category = "wanted",
     .names = n_mohammed,
     .n_names = 2,
     .birth_dates = d_mohammed,
     .n_birth_dates = 1,
     .nationalities = nat_irq,
     .n_nationalities = 1,
     .sex = "M"},
    {.id = "E2",
     .kind = PW_ENTRY_PERSON,
     .category = "sanctions",
     .names = n_putin,
     .n_names = 1,
     .sex = "M"},
    {.id = "E3",
     .kind = PW_ENTRY_PERSON,
     .category = "wanted",
     .names = n_smith,
     .n_names = 1,
     .birth_dates = d_smith,
     .n_birth_dates = 1,
     .sex = "M"},
    {.id = "E4",
     .kind = PW_ENTRY_PERSON,
     .category = "wanted",
     .names = n_sabah,
     .n_names = 1},
    {.id = "D1",
     .kind = PW_ENTRY_DOCUMENT,
     .category = "lost_or_stolen",
     .documents = docs_lost,
     .n_documents = 1},
};

static pw_watchlist list = {
    .name = "test", .format = "csv", .entries = entries, .n_entries = 5};

typedef struct fixture {
    pw_screen_index *ix;
    pw_screen_results res;
} fixture;

static int setup(void **state)
{
    static fixture f;
    pw_watchlist *lists[] = {&list};

    memset(&f, 0, sizeof f);
    if (pw_screen_index_build(lists, 1, &f.ix) != PW_OK)
        return -1;
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;

    pw_screen_results_free(&f->res);
    pw_screen_index_free(f->ix);
    pw_identity_cleanup();
    return 0;
}

static const pw_screen_hit *top_at(fixture *f, const pw_screen_query *q,
                                   double threshold)
{
    assert_int_equal(pw_screen_match(f->ix, q, threshold, 10, &f->res), PW_OK);
    return f->res.n ? &f->res.hits[0] : NULL;
}

static const pw_screen_hit *top(fixture *f, const pw_screen_query *q)
{
    return top_at(f, q, T);
}

static const pw_expl_part *part(const pw_screen_hit *h, pw_expl_kind k)
{
    for (size_t i = 0; i < h->n_parts; i++)
        if (h->parts[i].kind == k)
            return &h->parts[i];
    return NULL;
}

static void test_spelling_variants(void **state)
{
    fixture *f = *state;
    pw_screen_query q = {.name = "MUHAMMAD ALI HASAN"};

    const pw_screen_hit *h = top(f, &q);
    assert_non_null(h);
    assert_string_equal(h->id, "E1");
    assert_string_equal(h->list, "test");
    assert_true(h->score >= T && h->score < 1.0);
    const pw_expl_part *p = part(h, PW_EXPL_TOKEN);
    assert_string_equal(p->query, "MUHAMMAD");
    assert_string_equal(p->entry, "MOHAMMED");
    assert_string_equal(p->how, "phonetic");

    /* Swapped order and Cyrillic script. */
    pw_screen_query q2 = {.surname = "Путин", .given_names = "Владимир"};
    h = top(f, &q2);
    assert_non_null(h);
    assert_string_equal(h->id, "E2");

    pw_screen_query q3 = {.name = "SAAD ALSABAH"};
    h = top(f, &q3);
    assert_non_null(h);
    assert_string_equal(h->id, "E4");
    assert_true(h->name_score > 0.99);
}

static void test_initials_and_missing(void **state)
{
    fixture *f = *state;
    pw_screen_query full = {.surname = "SMITH", .given_names = "JOHN PAUL"};
    pw_screen_query mid = {.surname = "SMITH", .given_names = "JOHN"};
    pw_screen_query init = {.surname = "SMITH", .given_names = "J P"};
    pw_screen_query nosur = {.given_names = "JOHN PAUL"};

    double s_full = top(f, &full)->name_score;
    double s_mid = top(f, &mid)->name_score;
    double s_init = top_at(f, &init, 0.5)->name_score;
    assert_true(s_full > 0.99);
    assert_true(s_mid < s_full && s_mid >= T);
    /* Initials say something, less than the full names: alone they do
     * not reach the threshold. */
    assert_true(s_init < s_mid && s_init > 0.7);
    pw_screen_query wrong = {.surname = "SMITH", .given_names = "K L"};
    assert_true(top_at(f, &wrong, 0.5)->name_score < s_init);
    const pw_expl_part *p = part(&f->res.hits[0], PW_EXPL_TOKEN);
    assert_non_null(p);
    /* Without the surname the same given names fall below the line. */
    assert_int_equal(pw_screen_match(f->ix, &nosur, T, 10, &f->res), PW_OK);
    assert_int_equal(f->res.n, 0);
}

static void test_birth_dates(void **state)
{
    fixture *f = *state;
    pw_screen_query q = {.name = "John Smith", .birth_date = "1980-03-04"};

    double exact = top(f, &q)->score;
    assert_string_equal(part(&f->res.hits[0], PW_EXPL_BIRTH_DATE)->how,
                        "exact");
    q.birth_date = "1980-04-03";
    double swapped = top(f, &q)->score;
    assert_string_equal(part(&f->res.hits[0], PW_EXPL_BIRTH_DATE)->how,
                        "swapped");
    q.birth_date = "1980";
    double year = top(f, &q)->score;
    q.birth_date = NULL;
    double none = top(f, &q)->score;
    q.birth_date = "1950-01-01";
    assert_int_equal(pw_screen_match(f->ix, &q, 0.5, 10, &f->res), PW_OK);
    assert_int_equal(f->res.n, 1);
    const pw_expl_part *p = part(&f->res.hits[0], PW_EXPL_BIRTH_DATE);
    assert_string_equal(p->how, "conflict");
    assert_true(p->effect < 0);
    assert_true(exact > swapped && swapped > year && year > none);
    assert_true(f->res.hits[0].score < none);
}

static void test_documents(void **state)
{
    fixture *f = *state;
    pw_screen_document d = {"P", "l898902c3", "UTO"};
    pw_screen_query q = {
        .name = "Nobody Known", .documents = &d, .n_documents = 1};

    const pw_screen_hit *h = top(f, &q);
    assert_non_null(h);
    assert_string_equal(h->id, "D1");
    assert_true(h->score == 1.0);
    assert_non_null(part(h, PW_EXPL_DOCUMENT));

    /* Another issuer's document with the same number is not this one. */
    d.issuer = "GBR";
    assert_int_equal(pw_screen_match(f->ix, &q, T, 10, &f->res), PW_OK);
    assert_int_equal(f->res.n, 0);
}

static void test_explain_json(void **state)
{
    fixture *f = *state;
    pw_screen_query q = {.name = "Muhamad Ali",
                         .birth_date = "1970-05-12",
                         .sex = "M",
                         .nationality = "IQ"};

    const pw_screen_hit *h = top(f, &q);
    assert_non_null(h);
    char *js = pw_screen_explain_json(h);
    assert_non_null(js);
    print_message("%s\n", js);
    assert_non_null(strstr(js, "\"how\":\"phonetic\""));
    assert_non_null(strstr(js, "\"kind\":\"birth_date\""));
    assert_non_null(strstr(js, "\"missing_in_traveller\""));
    free(js);
}

static void test_bad_arguments(void **state)
{
    fixture *f = *state;
    pw_screen_query q = {.name = "x"};
    char big[PW_NAME_MAX_BYTES + 10];

    assert_int_equal(pw_screen_match(f->ix, &q, 1.5, 10, &f->res),
                     PW_ERR_INVALID);
    assert_int_equal(pw_screen_match(f->ix, &q, T, 0, &f->res), PW_ERR_INVALID);
    memset(big, 'A', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    q.name = big;
    assert_int_equal(pw_screen_match(f->ix, &q, T, 10, &f->res), PW_ERR_LIMIT);
    q.name = "\xff";
    assert_int_equal(pw_screen_match(f->ix, &q, T, 10, &f->res), PW_ERR_SYNTAX);
}

/* A small generated list: the index must find what the full scan finds. */
static void test_index_equals_scan(void **state)
{
    static const char *given[] = {"JOHN",   "MARIA",  "AHMED", "OLGA", "WEI",
                                  "FATIMA", "PIERRE", "YUSUF", "ANNA", "IVAN"};
    static const char *sur[] = {"SMITH", "GARCIA", "KHAN",   "IVANOVA",
                                "WANG",  "HADDAD", "DUBOIS", "OKAFOR",
                                "NOVAK", "PETROV", "SILVA",  "MUELLER"};
    enum { N = 120 };
    static char buf[N][40];
    static pw_entry_name names[N];
    static pw_entry es[N];
    pw_watchlist wl = {.name = "gen", .entries = es, .n_entries = N};
    pw_watchlist *lists[] = {&wl};
    pw_screen_index *ix;
    pw_screen_results a = {0}, b = {0};

    for (size_t i = 0; i < N; i++) {
        snprintf(buf[i], sizeof buf[i], "%s %s", given[i % 10],
                 sur[(i / 10) % 12]);
        names[i] = (pw_entry_name){.full = buf[i]};
        es[i] = (pw_entry){.id = buf[i], .names = &names[i], .n_names = 1};
    }
    assert_int_equal(pw_screen_index_build(lists, 1, &ix), PW_OK);
    const char *queries[] = {"JON SMYTH", "MARIYA GARSIA",  "AHMAD KAN",
                             "WANG WEI",  "YOUSSEF OKAFOR", "ANA NOVAC"};
    for (size_t i = 0; i < 6; i++) {
        pw_screen_query q = {.name = queries[i]};
        assert_int_equal(pw_screen_match(ix, &q, 0.7, 50, &a), PW_OK);
        assert_int_equal(pw_screen_match_scan(ix, &q, 0.7, 50, &b), PW_OK);
        assert_true(b.n > 0);
        assert_int_equal(a.n, b.n);
        for (size_t k = 0; k < a.n; k++) {
            assert_ptr_equal(a.hits[k].entry, b.hits[k].entry);
            assert_true(a.hits[k].score == b.hits[k].score);
        }
    }
    pw_screen_results_free(&a);
    pw_screen_results_free(&b);
    pw_screen_index_free(ix);
}

/* Queries from several threads on one index agree with one thread. */
typedef struct worker {
    const pw_screen_index *ix;
    int ok;
} worker;

static void *run_worker(void *arg)
{
    static const char *names[] = {"MUHAMMAD ALI HASAN", "Путин Владимир",
                                  "SAAD ALSABAH", "J P SMITH"};
    static const char *want[] = {"E1", "E2", "E4", NULL};
    worker *w = arg;
    pw_screen_results r = {0};

    w->ok = 1;
    for (int round = 0; round < 200; round++) {
        size_t i = (size_t)round % 4;
        pw_screen_query q = {.name = names[i]};
        if (pw_screen_match(w->ix, &q, T, 10, &r) != PW_OK)
            w->ok = 0;
        else if (want[i] ? r.n == 0 || strcmp(r.hits[0].id, want[i]) != 0
                         : r.n != 0)
            w->ok = 0;
    }
    pw_screen_results_free(&r);
    return NULL;
}

static void test_threads(void **state)
{
    fixture *f = *state;
    pthread_t th[4];
    worker w[4];

    for (int i = 0; i < 4; i++) {
        w[i].ix = f->ix;
        assert_int_equal(pthread_create(&th[i], NULL, run_worker, &w[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        assert_int_equal(pthread_join(th[i], NULL), 0);
        assert_true(w[i].ok);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spelling_variants),
        cmocka_unit_test(test_initials_and_missing),
        cmocka_unit_test(test_birth_dates),
        cmocka_unit_test(test_documents),
        cmocka_unit_test(test_explain_json),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_index_equals_scan),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

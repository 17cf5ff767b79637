/* Unit tests for the screening engine: scoring, explanations, documents,
 * the index's keys covering the similarity, and the index agreeing with a
 * full scan (src/screen). */
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
#include "screen/screen_int.h"

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

/* ---- generated names for the index's guarantees ---- */

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint32_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 11);
}

/* A pronounceable word of 2 to 10 letters, sometimes with a letter that
 * has an ICAO spelling, sometimes starting with J, Y or a vowel pair. */
static void random_word(char *out, size_t cap)
{
    static const char *const cons[] = {"B",  "D",  "F",  "G",  "H",  "J",  "K",
                                       "L",  "M",  "N",  "P",  "Q",  "R",  "S",
                                       "T",  "V",  "W",  "Y",  "Z",  "KH", "SH",
                                       "TH", "PH", "DJ", "ZH", "TS", "SCH"};
    static const char *const vow[] = {"A",        "E",        "I",  "O",
                                      "U",        "OU",       "EE", "IA",
                                      "\xc3\x9c", "\xc3\x96", "AA"};
    size_t n = 0, syl = 1 + rnd() % 4;

    out[0] = '\0';
    for (size_t i = 0; i < syl && n + 8 < cap; i++) {
        const char *c = cons[rnd() % 27], *v = vow[rnd() % 11];
        if (i == 0 && rnd() % 4 == 0)
            c = "";
        n += (size_t)snprintf(out + n, cap - n, "%s%s", c, v);
        if (rnd() % 3 == 0 && n + 3 < cap)
            n += (size_t)snprintf(out + n, cap - n, "%s", cons[rnd() % 19]);
    }
}

/* The kinds of change that spelling varies by: one edit, or a swap of
 * spellings that transliterations use. */
static void perturb(const char *in, char *out, size_t cap)
{
    static const char *const swaps[][2] = {
        {"W", "V"},  {"Y", "I"},  {"KH", "K"},   {"KH", "H"}, {"OU", "U"},
        {"PH", "F"}, {"J", "Y"},  {"J", "DJ"},   {"EE", "I"}, {"Q", "K"},
        {"TH", "T"}, {"SS", "S"}, {"SH", "SCH"}, {"C", "K"},  {"UE", "U"}};
    size_t n = strlen(in);
    int op = (int)(rnd() % 6);

    snprintf(out, cap, "%s", in);
    if (n < 2)
        return;
    size_t i = rnd() % n;
    if (op == 0) {
        out[i] = (char)('A' + rnd() % 26);
    } else if (op == 1) {
        memmove(out + i, out + i + 1, n - i);
    } else if (op == 2 && n + 1 < cap) {
        memmove(out + i + 1, out + i, n - i + 1);
        out[i] = (char)('A' + rnd() % 26);
    } else if (op == 3 && i + 1 < n) {
        char t = out[i];
        out[i] = out[i + 1];
        out[i + 1] = t;
    } else {
        const char *const *sw = swaps[rnd() % 15];
        const char *hit = strstr(in, sw[rnd() % 2 ? 0 : 1]);
        const char *from =
            hit && strncmp(hit, sw[0], strlen(sw[0])) == 0 ? sw[0] : sw[1];
        const char *to = from == sw[0] ? sw[1] : sw[0];
        if (hit)
            snprintf(out, cap, "%.*s%s%s", (int)(hit - in), in, to,
                     hit + strlen(from));
    }
}

typedef struct key_set {
    uint32_t k[512];
    size_t n;
} key_set;

static void collect_key(uint32_t key, void *arg)
{
    key_set *ks = arg;

    if (ks->n < 512)
        ks->k[ks->n++] = key;
}

static int share_key(const key_set *a, const key_set *b)
{
    for (size_t i = 0; i < a->n; i++)
        for (size_t j = 0; j < b->n; j++)
            if (a->k[i] == b->k[j])
                return 1;
    return 0;
}

/* The first token of a normalised string, with its keys. */
static int token_of(const char *s, pw_name_token *t, key_set *ks)
{
    static pw_name nm;

    if (pw_name_normalize(s, strlen(s), &nm) != PW_OK || nm.n == 0)
        return 0;
    *t = nm.tok[nm.n - 1]; /* a particle is glued to the last word */
    ks->n = 0;
    pw__token_keys(t, collect_key, ks);
    return 1;
}

enum { FAMILY = 24 };

/* One letter without an ICAO spelling: never used to find anyone. */
static int plain_initial(const pw_name_token *t)
{
    return t->text[1] == '\0' && t->variant[0] == '\0';
}

/* The index is exact only if two tokens the scorer finds alike (other
 * than by an initial) always share a key: checked over families of
 * spellings of one word (edits, transliteration swaps, particles, ICAO
 * letters) and across families, with the scorer as the oracle. */
static void test_keys_cover_similarity(void **state)
{
    static pw_name_token tok[FAMILY];
    static key_set keys[FAMILY];
    size_t pairs = 0, alike = 0;

    (void)state;
    for (int fam = 0; fam < 1500; fam++) {
        char base[64], buf[96];
        size_t n = 0;
        random_word(base, sizeof base);
        for (int v = 0; v < FAMILY * 2 && n < FAMILY; v++) {
            char tmp[96];
            snprintf(tmp, sizeof tmp, "%s", base);
            for (int e = 0; e < v % 3; e++) {
                perturb(tmp, buf, sizeof buf);
                snprintf(tmp, sizeof tmp, "%s", buf);
            }
            if (v % 7 == 6)
                snprintf(buf, sizeof buf, "%s %.80s",
                         (const char *[]){"AL", "EL-", "ABDUL", "BIN"}[v % 4],
                         tmp);
            else
                snprintf(buf, sizeof buf, "%s", tmp);
            n += (size_t)token_of(buf, &tok[n], &keys[n]);
        }
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n; j++) {
                const char *kind;
                double sim = pw_token_similarity(&tok[i], &tok[j], &kind);
                pairs++;
                if (sim <= 0 || strcmp(kind, "initial") == 0 ||
                    plain_initial(&tok[i]) || plain_initial(&tok[j]))
                    continue;
                alike++;
                if (!share_key(&keys[i], &keys[j]))
                    fail_msg("%s ~ %s (%s %.2f) share no key", tok[i].text,
                             tok[j].text, kind, sim);
            }
    }
    /* The test means something only if many pairs were alike. */
    assert_true(pairs > 500000);
    assert_true(alike > 50000);
}

/* The bound the index uses for the qualifiers is never exceeded. */
static void test_qualifier_bound(void **state)
{
    static const char *dates[] = {NULL,         "1970",       "1970-05",
                                  "1970-05-12", "1970-12-05", "1972-01-01",
                                  "1990-05-12"};
    static const char *nats[] = {NULL, "IQ", "IRQ", "FR", "DEU"};
    static const char *sexes[] = {NULL, "M", "F", "X"};
    static const char *enats[] = {"IRQ", "FRA"};
    pw_entry_date ed[2] = {{.from = "1970-05-12"},
                           {.from = "1969", .to = "1971"}};

    (void)state;
    for (size_t d = 0; d < 7; d++)
        for (size_t n = 0; n < 5; n++)
            for (size_t x = 0; x < 4; x++) {
                pw_screen_query q = {.name = "A B",
                                     .birth_date = dates[d],
                                     .nationality = nats[n],
                                     .sex = sexes[x]};
                q_info qi;
                assert_int_equal(pw__query_info(&q, &qi), PW_OK);
                double max = pw__qualifiers_max(&qi);
                assert_true(max <= PW_QUALIFIER_MAX_BONUS + 1e-12);
                for (unsigned m = 0; m < 64; m++) {
                    pw_entry e = {.birth_dates = &ed[(m >> 1) & 1],
                                  .n_birth_dates = m & 1,
                                  .nationalities = &enats[(m >> 2) & 1],
                                  .n_nationalities = (m >> 3) & 1,
                                  .sex = (m >> 4) & 1 ? "M" : "F"};
                    const char *qnat = qi.nat;
                    if (m & 32) {
                        e.nationalities = &qnat;
                        e.n_nationalities = qi.nat[0] != '\0';
                    }
                    assert_true(pw__qualifiers(&qi, &e, NULL, 0, NULL) <=
                                max + 1e-12);
                }
                /* An entry that says all the query says reaches it. */
                if (d == 3 && n == 2 && x == 1)
                    assert_true(max > 0.08);
            }
}

/* What the index packs of an entry's birth dates, sex and
 * nationalities scores as the entry itself does, to the last bit, for
 * every kind of date and nationality a list gives. */
static void test_qualifiers_packed(void **state)
{
    static const char *qdates[] = {NULL,         "1970",       "1970-05",
                                   "1970-05-12", "1970-12-05", "1972-01-01",
                                   "1966-05-12", "1990-05-12"};
    static const char *qnats[] = {NULL, "IQ", "IRQ", "FR", "DEU", "XXXX"};
    static const char *qsexes[] = {NULL, "M", "F", "X"};
    static pw_entry_date dates[][2] = {
        {{.from = "1970-05-12"}, {.from = "1969"}},
        {{.from = "1970"}, {.from = "1970-12-05"}},
        {{.from = "1970-05"}, {.from = NULL}},
        {{.from = "1969", .to = "1971"}, {.from = "1990-05-12"}},
        {{.from = "1971", .to = "1969"}, {.from = "1970-12-05"}},
        {{.from = "1969", .to = "unknown"}, {.from = "1972"}},
        {{.from = "circa 1970"}, {.from = "1970-05-12"}},
        {{.from = "12345"}, {.from = "1970"}},
        {{.from = "1970", .to = "123456"}, {.from = "1971"}},
    };
    static const char *nats[][2] = {
        {"IRQ", "FRA"}, {NULL, "IRQ"}, {"IRAQ", NULL}, {"", "DEU"}};
    static const char *sexes[] = {NULL, "M", "F", "U", ""};
    size_t compared = 0;

    (void)state;
    for (size_t d = 0; d < 8; d++)
        for (size_t n = 0; n < 6; n++)
            for (size_t x = 0; x < 4; x++) {
                pw_screen_query q = {.name = "A B",
                                     .birth_date = qdates[d],
                                     .nationality = qnats[n],
                                     .sex = qsexes[x]};
                q_info qi;
                assert_int_equal(pw__query_info(&q, &qi), PW_OK);
                for (size_t ed = 0; ed < 9 * 3; ed++)
                    for (size_t en = 0; en < 4 * 3; en++)
                        for (size_t es = 0; es < 5; es++) {
                            pw_entry e = {.birth_dates = dates[ed / 3],
                                          .n_birth_dates = ed % 3,
                                          .nationalities = nats[en / 3],
                                          .n_nationalities = en % 3,
                                          .sex = sexes[es]};
                            const pw_entry *pe = &e;
                            ix_qual p;
                            pw__qual_of(&e, &p);
                            double a = pw__qualifiers(&qi, &e, NULL, 0, NULL);
                            double b = pw__qualifiers_packed(&qi, &p, &pe);
                            if (a != b)
                                fail_msg("query %zu/%zu/%zu entry %zu/%zu/%zu:"
                                         " %g != %g",
                                         d, n, x, ed, en, es, a, b);
                            compared++;
                        }
            }
    assert_true(compared > 100000);
}

/* ---- the index against the full scan on a generated list ---- */

enum { GEN_N = 3000, GEN_Q = 400 };

typedef struct gen_list {
    char full[GEN_N][128];
    char sur[GEN_N][64];
    char given[GEN_N][64];
    char date[GEN_N][16];
    pw_entry_name names[GEN_N];
    pw_entry_date dates[GEN_N];
    pw_entry es[GEN_N];
    char id[GEN_N][8];
} gen_list;

static void vocabulary(char (*w)[32], size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char b[64];
        random_word(b, sizeof b);
        if (i % 3 == 1)
            perturb(w[i - 1], b, sizeof b); /* near neighbours */
        snprintf(w[i], 32, "%.31s", b);
    }
}

/* Names of two to four words from small vocabularies, so that many share
 * words; some with initials, a repeated word, a particle, or given as
 * surname and given names. */
static void make_entry(gen_list *g, size_t i, char (*giv)[32], char (*sur)[32])
{
    const char *a = giv[rnd() % 40], *b = giv[rnd() % 40],
               *c = sur[rnd() % 300];
    int shape = (int)(rnd() % 8);
    pw_entry_name *en = &g->names[i];

    *en = (pw_entry_name){.full = g->full[i]};
    if (shape == 0)
        snprintf(g->full[i], 128, "%c %s", a[0], c);
    else if (shape == 1)
        snprintf(g->full[i], 128, "%s %s %s", a, a, c);
    else if (shape == 2)
        snprintf(g->full[i], 128, "%s AL %s", a, c);
    else if (shape == 3) {
        snprintf(g->sur[i], 64, "%s", c);
        snprintf(g->given[i], 64, "%s %s", a, b);
        snprintf(g->full[i], 128, "%s %s %s", a, b, c);
        en->surname = g->sur[i];
        en->given_names = g->given[i];
    } else if (shape == 4)
        snprintf(g->full[i], 128, "%s %c %s", a, b[0], c);
    else
        snprintf(g->full[i], 128, "%s %s%s%s", a, shape == 5 ? b : "",
                 shape == 5 ? " " : "", c);
    snprintf(g->date[i], 16, "19%02u-%02u-%02u", 40 + rnd() % 60,
             1 + rnd() % 12, 1 + rnd() % 28);
    g->dates[i] = (pw_entry_date){.from = g->date[i]};
    snprintf(g->id[i], 8, "G%zu", i);
    g->es[i] = (pw_entry){.id = g->id[i],
                          .kind = PW_ENTRY_PERSON,
                          .names = en,
                          .n_names = 1,
                          .birth_dates = &g->dates[i],
                          .n_birth_dates = rnd() % 2,
                          .sex = rnd() % 2 ? "M" : "F"};
}

/* A traveller near entry i: a word changed, dropped, cut to an initial
 * or swapped in order; sometimes with the birth date and sex. */
static void make_query(const gen_list *g, size_t i, char *buf, size_t cap,
                       pw_screen_query *q)
{
    char tmp[128];
    const char *full = g->full[i];
    int how = (int)(rnd() % 5);

    if (how == 0)
        perturb(full, buf, cap);
    else if (how == 1 && strchr(full, ' '))
        snprintf(buf, cap, "%s", strchr(full, ' ') + 1);
    else if (how == 2)
        snprintf(buf, cap, "%c %s", full[0], strrchr(full, ' ') + 1);
    else if (how == 3) {
        perturb(full, tmp, sizeof tmp);
        perturb(tmp, buf, cap);
    } else
        snprintf(buf, cap, "%s %.*s", strrchr(full, ' ') + 1,
                 (int)(strrchr(full, ' ') - full), full);
    *q = (pw_screen_query){.name = buf};
    if (rnd() % 2) {
        q->birth_date = g->date[i];
        q->sex = g->es[i].sex;
    }
}

static void assert_same_hits(const pw_screen_results *a,
                             const pw_screen_results *b, const char *name)
{
    if (a->n != b->n)
        fail_msg("%s: index %zu hits, scan %zu", name, a->n, b->n);
    for (size_t k = 0; k < a->n; k++) {
        const pw_screen_hit *x = &a->hits[k], *y = &b->hits[k];
        assert_ptr_equal(x->entry, y->entry);
        assert_true(x->score == y->score);
        /* Explained from what each worked out (the index from its like
         * tokens and rows, the scan from every pair), alike. */
        assert_true(x->name_score == y->name_score);
        assert_int_equal(x->n_parts, y->n_parts);
        for (size_t i = 0; i < x->n_parts; i++) {
            const pw_expl_part *p = &x->parts[i], *q = &y->parts[i];
            assert_int_equal(p->kind, q->kind);
            assert_string_equal(p->how, q->how);
            assert_string_equal(p->query, q->query);
            assert_string_equal(p->entry, q->entry);
            assert_true(p->similarity == q->similarity);
            assert_true(p->effect == q->effect);
        }
    }
}

typedef struct key_list {
    uint32_t key[256];
    size_t n;
} key_list;

static void add_key(uint32_t key, void *arg)
{
    key_list *k = arg;

    assert_true(k->n < 256);
    k->key[k->n++] = key;
}

/* Every token's like tokens are what a query word spelt as it reaches
 * the long way: each token its keys' lists lead to, first met first,
 * kept when at least PW__MIN_PAIR alike, with that similarity and kind;
 * and a word spelt as a token finds it. */
static void assert_likes_exact(const pw_screen_index *ix)
{
    uint32_t *seen = calloc(ix->n_tokens + 1, sizeof *seen);
    size_t with = 0;

    assert_non_null(seen);
    for (uint32_t t = 0; t < ix->n_tokens; t++) {
        size_t n, k = 0;
        const ix_like *l = pw__likes(ix, t, &n);
        pw_name_token tok;
        pw__tok_view tv, uv;
        key_list keys = {.n = 0};
        pw__unpack_token(ix, t, &tok);
        pw__token_view(ix, t, &tv);
        if (tok.fold[0] && (tok.text[1] || tok.variant[0])) /* keyed */
            assert_int_equal(pw__vocab_token(ix, &tv), t);
        if (n == 0)
            continue;
        with++;
        pw__token_keys(&tok, add_key, &keys);
        for (size_t i = 0; i < keys.n; i++) {
            size_t m;
            const uint32_t *ids = pw__postings(&ix->by_key, keys.key[i], &m);
            for (size_t j = 0; j < m; j++) {
                const char *how;
                if (seen[ids[j]] == t + 1)
                    continue;
                seen[ids[j]] = t + 1;
                pw__token_view(ix, ids[j], &uv);
                float sim = (float)pw__token_similarity_view(&tv, &uv, &how);
                if (sim < (float)PW__MIN_PAIR)
                    continue;
                assert_true(k < n);
                assert_int_equal(l[k].tok & IX_TOKEN_MASK, ids[j]);
                assert_true(l[k].sim == sim);
                assert_string_equal(pw__how_name(l[k].tok >> IX_HOW_SHIFT),
                                    how);
                k++;
            }
        }
        assert_int_equal(k, n);
    }
    assert_true(with > 10);
    free(seen);
}

/* The names of token t, once each, into out (ascending); how many. */
static size_t distinct_names(const pw_screen_index *ix, uint32_t t,
                             uint32_t *out)
{
    size_t n = 0;

    for (uint32_t i = ix->tok_names_start[t]; i < ix->tok_names_start[t + 1];
         i++)
        if (n == 0 || out[n - 1] != ix->tok_names[i])
            out[n++] = ix->tok_names[i];
    return n;
}

/* Every pair of common tokens leads to exactly the names on both of
 * their lists, met the long way. */
static void assert_pairs_exact(const pw_screen_index *ix)
{
    uint32_t *x = malloc(ix->n_names * sizeof *x);
    uint32_t *y = malloc(ix->n_names * sizeof *y);
    size_t common = 0, nonempty = 0;

    assert_non_null(x);
    assert_non_null(y);
    for (uint32_t t = 0; t < ix->n_tokens; t++) {
        size_t nx = distinct_names(ix, t, x);
        if (ix->tok_names_start[t + 1] - ix->tok_names_start[t] < ix->pair_min)
            continue;
        common++;
        for (uint32_t u = 0; u < ix->n_tokens; u++) {
            if (u == t || ix->tok_names_start[u + 1] - ix->tok_names_start[u] <
                              ix->pair_min)
                continue;
            size_t ny = distinct_names(ix, u, y), n, k = 0;
            const uint32_t *v = pw__pair_names(ix, t, u, &n);
            for (size_t i = 0, j = 0; i < nx && j < ny;)
                if (x[i] == y[j]) {
                    assert_true(k < n && v[k] == x[i]);
                    k++, i++, j++;
                } else if (x[i] < y[j])
                    i++;
                else
                    j++;
            assert_int_equal(k, n);
            nonempty += n > 0;
        }
    }
    assert_true(common > 10 && nonempty > 10);
    free(x);
    free(y);
}

/* Each token's names with a one-letter token are those of its list
 * whose shape says so, in the list's order. */
static void assert_initials_exact(const pw_screen_index *ix)
{
    size_t with = 0;

    for (uint32_t t = 0; t < ix->n_tokens; t++) {
        uint32_t k = ix->tok_init_start[t];
        for (uint32_t i = ix->tok_names_start[t];
             i < ix->tok_names_start[t + 1]; i++) {
            uint32_t id = ix->tok_names[i];
            if (!(ix->name_shape[id] & IX_SHAPE_INITIAL))
                continue;
            assert_true(k < ix->tok_init_start[t + 1]);
            assert_int_equal(ix->tok_init[k++], id);
        }
        assert_int_equal(k, ix->tok_init_start[t + 1]);
        with += k > ix->tok_init_start[t];
    }
    assert_true(with > 10);
}

/* With the limit above the number of hits, the index finds exactly the
 * entries the full scan finds, with the same scores, at any threshold,
 * unless it says its results are partial. */
static void test_index_exact_on_generated(void **state)
{
    static gen_list g;
    static char giv[40][32], sur[300][32];
    static const double thresholds[] = {0.55, 0.65, 0.75, 0.8, 0.9};
    pw_watchlist wl = {.name = "gen", .entries = g.es, .n_entries = GEN_N};
    pw_watchlist *lists[] = {&wl};
    pw_screen_index *ix;
    pw_screen_results a = {0}, b = {0};
    size_t with_hits = 0, partial = 0;

    (void)state;
    vocabulary(giv, 40);
    vocabulary(sur, 300);
    for (size_t i = 0; i < GEN_N; i++)
        make_entry(&g, i, giv, sur);
    assert_int_equal(pw_screen_index_build(lists, 1, &ix), PW_OK);
    for (size_t k = 0; k < GEN_Q; k++) {
        char buf[160];
        pw_screen_query q;
        double t = thresholds[k % 5];
        make_query(&g, rnd() % GEN_N, buf, sizeof buf, &q);
        pw_rc rc = pw_screen_match(ix, &q, t, 1000, &a);
        assert_int_equal(pw_screen_match_scan(ix, &q, t, 1000, &b), rc);
        if (rc == PW_ERR_SYNTAX)
            continue; /* an edit split a UTF-8 sequence */
        assert_int_equal(rc, PW_OK);
        assert_int_equal(b.partial, 0);
        if (a.partial) {
            partial++;
            continue;
        }
        assert_true(b.n < 1000);
        assert_same_hits(&a, &b, buf);
        with_hits += b.n > 0;
    }
    assert_true(with_hits > GEN_Q / 2);
    assert_true(partial < GEN_Q / 20);
    assert_pairs_exact(ix);
    assert_likes_exact(ix);
    assert_initials_exact(ix);
    pw_screen_results_free(&a);
    pw_screen_results_free(&b);
    pw_screen_index_free(ix);
}

/* A results object keeps what it met of an index between queries (the
 * tokens its words reached). Used next on another index of as many
 * names and tokens (the same draws with the given names rotated, built
 * after the first is freed, perhaps at its address), it must answer as
 * a fresh one does. */
static void test_results_reused_on_new_index(void **state)
{
    static gen_list g1, g2;
    static char giv[40][32], giv2[40][32], sur[300][32];
    pw_watchlist w1 = {.name = "gen", .entries = g1.es, .n_entries = GEN_N};
    pw_watchlist w2 = {.name = "gen", .entries = g2.es, .n_entries = GEN_N};
    pw_watchlist *l1[] = {&w1}, *l2[] = {&w2};
    pw_screen_index *ix;
    pw_screen_results a = {0};
    size_t hits = 0;

    (void)state;
    vocabulary(giv, 40);
    vocabulary(sur, 300);
    for (size_t i = 0; i < 40; i++)
        memcpy(giv2[i], giv[(i + 1) % 40], sizeof giv2[i]);
    uint64_t at = rng;
    for (size_t i = 0; i < GEN_N; i++)
        make_entry(&g1, i, giv, sur);
    rng = at;
    for (size_t i = 0; i < GEN_N; i++)
        make_entry(&g2, i, giv2, sur);
    assert_int_equal(pw_screen_index_build(l1, 1, &ix), PW_OK);
    for (size_t i = 0; i < GEN_N; i++) {
        pw_screen_query q = {.name = g1.full[i]};
        pw_rc rc = pw_screen_match(ix, &q, 0.8, 1000, &a);
        assert_true(rc == PW_OK || rc == PW_ERR_SYNTAX);
    }
    pw_screen_index_free(ix);
    assert_int_equal(pw_screen_index_build(l2, 1, &ix), PW_OK);
    for (size_t k = 0; k < GEN_Q; k++) {
        char buf[160];
        pw_screen_query q;
        pw_screen_results b = {0};
        make_query(&g2, rnd() % GEN_N, buf, sizeof buf, &q);
        pw_rc rc = pw_screen_match(ix, &q, 0.8, 1000, &a);
        assert_int_equal(pw_screen_match(ix, &q, 0.8, 1000, &b), rc);
        if (rc == PW_OK) {
            assert_int_equal(a.partial, b.partial);
            assert_int_equal(a.n_candidates, b.n_candidates);
            assert_same_hits(&a, &b, buf);
            hits += a.n;
        }
        pw_screen_results_free(&b);
    }
    assert_true(hits > GEN_Q / 2);
    pw_screen_results_free(&a);
    pw_screen_index_free(ix);
}

/* Long names (three to eight words) from a small vocabulary, met by
 * queries of one to three of their words, perturbed or cut to an
 * initial: the index skips names that must leave words unaligned and
 * searches common words' long lists of names, and must still find
 * exactly what the scan finds. */
enum { LONG_N = 2000, LONG_Q = 300 };

typedef struct long_list {
    char full[LONG_N][160];
    pw_entry_name names[LONG_N];
    pw_entry es[LONG_N];
    char id[LONG_N][8];
} long_list;

static void long_query(const long_list *g, size_t i, char *buf, size_t cap)
{
    char words[8][32], tmp[32];
    size_t n = 0, len = 0;
    const char *p = g->full[i];

    while (*p && n < 8) {
        size_t w = strcspn(p, " ");
        snprintf(words[n++], sizeof words[0], "%.*s", (int)(w < 31 ? w : 31),
                 p);
        p += w + (p[w] == ' ');
    }
    size_t k = 1 + rnd() % 3;
    buf[0] = '\0';
    for (size_t j = 0; j < k; j++) {
        const char *w = words[rnd() % n];
        if (rnd() % 4 == 0) {
            perturb(w, tmp, sizeof tmp);
            w = tmp;
        }
        if (rnd() % 8 == 0)
            len += (size_t)snprintf(buf + len, cap - len, "%s%c", j ? " " : "",
                                    w[0]);
        else
            len +=
                (size_t)snprintf(buf + len, cap - len, "%s%s", j ? " " : "", w);
    }
}

static void test_index_exact_long_names(void **state)
{
    static long_list g;
    static char voc[60][32];
    static const double thresholds[] = {0.5, 0.6, 0.7, 0.8};
    pw_watchlist wl = {.name = "long", .entries = g.es, .n_entries = LONG_N};
    pw_watchlist *lists[] = {&wl};
    pw_screen_index *ix;
    pw_screen_results a = {0}, b = {0};
    size_t with_hits = 0;

    (void)state;
    vocabulary(voc, 60);
    for (size_t i = 0; i < LONG_N; i++) {
        size_t n = 3 + rnd() % 6, len = 0;
        for (size_t j = 0; j < n; j++)
            len += (size_t)snprintf(g.full[i] + len, sizeof g.full[i] - len,
                                    "%s%s", j ? " " : "", voc[rnd() % 60]);
        snprintf(g.id[i], sizeof g.id[i], "L%zu", i);
        g.names[i] = (pw_entry_name){.full = g.full[i]};
        g.es[i] = (pw_entry){.id = g.id[i],
                             .kind = PW_ENTRY_PERSON,
                             .names = &g.names[i],
                             .n_names = 1};
    }
    assert_int_equal(pw_screen_index_build(lists, 1, &ix), PW_OK);
    for (size_t k = 0; k < LONG_Q; k++) {
        char buf[128];
        double t = thresholds[k % 4];
        long_query(&g, rnd() % LONG_N, buf, sizeof buf);
        pw_screen_query q = {.name = buf};
        pw_rc rc = pw_screen_match(ix, &q, t, 1000, &a);
        assert_int_equal(pw_screen_match_scan(ix, &q, t, 1000, &b), rc);
        if (rc == PW_ERR_SYNTAX)
            continue; /* an edit split a UTF-8 sequence */
        assert_int_equal(rc, PW_OK);
        if (a.partial)
            continue;
        assert_true(b.n < 1000);
        assert_same_hits(&a, &b, buf);
        with_hits += b.n > 0;
    }
    assert_true(with_hits > LONG_Q / 4);
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
        cmocka_unit_test(test_keys_cover_similarity),
        cmocka_unit_test(test_qualifier_bound),
        cmocka_unit_test(test_qualifiers_packed),
        cmocka_unit_test(test_index_exact_on_generated),
        cmocka_unit_test(test_results_reused_on_new_index),
        cmocka_unit_test(test_index_exact_long_names),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

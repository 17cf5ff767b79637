/* Unit tests for name normalisation, phonetic keys and token
 * similarity (src/identity/names.c, phonetic.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "paxwatch/identity.h"

/* The tokens of name joined by single spaces. */
static const char *joined(const char *name)
{
    static char buf[1024];
    static pw_name nm;

    assert_int_equal(pw_name_normalize(name, strlen(name), &nm), PW_OK);
    buf[0] = '\0';
    for (size_t i = 0; i < nm.n; i++) {
        if (i)
            strcat(buf, " ");
        strcat(buf, nm.tok[i].text);
    }
    return buf;
}

static void test_ascii_and_accents(void **state)
{
    assert_string_equal(joined("  john   o'brien "), "JOHN OBRIEN");
    assert_string_equal(joined("José María García-Márquez"),
                        "JOSE MARIA GARCIA MARQUEZ");
    assert_string_equal(joined("Łukasz Żółć"), "LUKASZ ZOLC");
    assert_string_equal(joined("Straße"), "STRASSE");
}

static void test_icao_variants(void **state)
{
    pw_name nm;
    const char *s = "Jürgen Müller-Åström";

    assert_int_equal(pw_name_normalize(s, strlen(s), &nm), PW_OK);
    assert_int_equal(nm.n, 3);
    assert_string_equal(nm.tok[0].text, "JURGEN");
    assert_string_equal(nm.tok[0].variant, "JUERGEN");
    assert_string_equal(nm.tok[1].variant, "MUELLER");
    assert_string_equal(nm.tok[2].text, "ASTROM");
    assert_string_equal(nm.tok[2].variant, "AASTROEM");

    /* Both spellings a passport may carry match the name with Ü. */
    pw_name a, b;
    const char *k;
    assert_int_equal(pw_name_normalize("MUELLER", 7, &a), PW_OK);
    assert_int_equal(pw_name_normalize("MULLER", 6, &b), PW_OK);
    assert_true(pw_token_similarity(&nm.tok[1], &a.tok[0], &k) >= 0.95);
    assert_true(pw_token_similarity(&nm.tok[1], &b.tok[0], &k) >= 0.95);
}

static void test_scripts(void **state)
{
    assert_string_equal(joined("Владимир Путин"), "VLADIMIR PUTIN");
    assert_string_equal(joined("ВЛАДИМИР ПУТИН"), "VLADIMIR PUTIN");
    /* Greek by ICU's ISO 843 style: χ gives CH. */
    assert_string_equal(joined("Νίκος Παπαδόπουλος"), "NIKOS PAPADOPOULOS");
    /* Han to pinyin; the given name's syllables are joined. */
    assert_string_equal(joined("习近平"), "XI JINPING");
    /* Full-width Latin folds by NFKC. */
    assert_string_equal(joined("ＪＯＨＮ"), "JOHN");
}

static void test_arabic_matches_transliteration(void **state)
{
    /* Arabic script carries no short vowels: "محمد" comes out MHMD, which
     * the consonant key ties to MOHAMMED. */
    pw_name ar, la;
    const char *k;
    const char *s = "محمد";

    assert_int_equal(pw_name_normalize(s, strlen(s), &ar), PW_OK);
    assert_int_equal(pw_name_normalize("MOHAMMED", 8, &la), PW_OK);
    assert_int_equal(ar.n, 1);
    assert_string_equal(ar.tok[0].phon, la.tok[0].phon);
    assert_true(pw_token_similarity(&ar.tok[0], &la.tok[0], &k) >= 0.85);
    assert_string_equal(k, "phonetic");
}

static void test_titles_and_particles(void **state)
{
    assert_string_equal(joined("Sheikh Saad Al Sabah"), "SAAD ALSABAH");
    assert_string_equal(joined("Dr. Saad AL-SABAH"), "SAAD ALSABAH");
    assert_string_equal(joined("SAAD ALSABAH"), "SAAD ALSABAH");
    assert_string_equal(joined("Abdul Rahman Yasin"), "ABDULRAHMAN YASIN");
    assert_string_equal(joined("Ludwig van der Rohe"), "LUDWIG VANDERROHE");
    /* A title alone is a name, not something to drop. */
    assert_string_equal(joined("Haji"), "HAJI");

    pw_name nm;
    assert_int_equal(pw_name_normalize("al-Sabah", 8, &nm), PW_OK);
    assert_string_equal(nm.tok[0].stem, "SABAH");
}

static void test_mrz_name(void **state)
{
    pw_name nm;
    const char *s = "SMITH<<JOHN<PAUL<<<<<<<";

    assert_int_equal(pw_name_normalize(s, strlen(s), &nm), PW_OK);
    assert_int_equal(nm.n, 3);
    assert_string_equal(nm.tok[0].text, "SMITH");
    assert_int_equal(nm.tok[0].role, PW_ROLE_SURNAME);
    assert_string_equal(nm.tok[1].text, "JOHN");
    assert_int_equal(nm.tok[1].role, PW_ROLE_GIVEN);
    assert_string_equal(nm.tok[2].text, "PAUL");
}

static void test_parts_and_limits(void **state)
{
    pw_name nm;
    char big[PW_NAME_MAX_BYTES + 2];

    assert_int_equal(pw_name_normalize_parts("Doe", "Jane Ann", &nm), PW_OK);
    assert_int_equal(nm.n, 3);
    assert_int_equal(nm.tok[0].role, PW_ROLE_SURNAME);
    assert_int_equal(nm.tok[2].role, PW_ROLE_GIVEN);

    memset(big, 'A', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(pw_name_normalize(big, strlen(big), &nm), PW_ERR_LIMIT);
    assert_int_equal(pw_name_normalize("\xC3\x28", 2, &nm), PW_ERR_SYNTAX);
    assert_int_equal(pw_name_normalize("\xE0\x80\x80", 3, &nm), PW_ERR_SYNTAX);
    assert_int_equal(pw_name_normalize("--- ...", 7, &nm), PW_OK);
    assert_int_equal(nm.n, 0);

    /* Past the token limit the rest is counted, not kept. */
    char many[200] = "";
    for (int i = 0; i < 20; i++)
        strcat(many, "AB ");
    assert_int_equal(pw_name_normalize(many, strlen(many), &nm), PW_OK);
    assert_int_equal(nm.n, PW_NAME_MAX_TOKENS);
    assert_int_equal(nm.truncated, 4);
}

static void test_phonetic_keys(void **state)
{
    char a[PW_TOKEN_MAX], b[PW_TOKEN_MAX];
    const char *same[][2] = {{"MOHAMMED", "MUHAMMAD"}, {"MOHAMAD", "MOHAMMED"},
                             {"HUSSEIN", "HUSAYN"},    {"YOUSSEF", "YUSUF"},
                             {"OSAMA", "USAMA"},       {"PHILIP", "FILIP"},
                             {"ABDALLAH", "ABDULLAH"}};

    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        pw_phonetic_key(same[i][0], a, sizeof a);
        pw_phonetic_key(same[i][1], b, sizeof b);
        assert_string_equal(a, b);
    }
    pw_phonetic_key("SMITH", a, sizeof a);
    pw_phonetic_key("JONES", b, sizeof b);
    assert_string_not_equal(a, b);
    assert_int_equal(pw_phonetic_key("", a, sizeof a), 0);
}

static void test_similarity(void **state)
{
    pw_name a, b;
    const char *k;

    assert_int_equal(pw_name_normalize("MOHAMMED J SMITH", 16, &a), PW_OK);
    assert_int_equal(pw_name_normalize("MUHAMMAD JOHN SMYTH", 19, &b), PW_OK);
    double s = pw_token_similarity(&a.tok[0], &b.tok[0], &k);
    assert_string_equal(k, "phonetic");
    assert_true(s > 0.9 && s < 1.0);
    s = pw_token_similarity(&a.tok[1], &b.tok[1], &k);
    assert_string_equal(k, "initial");
    assert_true(s > 0.5 && s < 0.9);
    s = pw_token_similarity(&a.tok[2], &a.tok[2], &k);
    assert_string_equal(k, "exact");
    assert_true(s == 1.0);
    assert_true(pw_token_similarity(&a.tok[0], &b.tok[2], &k) < 0.5);

    assert_true(pw_jaro_winkler("MARTHA", 6, "MARHTA", 6) > 0.96);
    assert_true(pw_jaro_winkler("MARTHA", 6, "MARHTA", 6) < 0.97);
    assert_true(pw_jaro_winkler("ABC", 3, "XYZ", 3) == 0.0);
}

/* One name in the spellings of several transliteration systems: short
 * tokens too must align (IVAN and IWAN are one name), while short names
 * one letter apart stay different people (LI and LIU, ZHANG and YANG). */
static void test_transliteration_pairs(void **state)
{
    static const char *const same[][2] = {
        {"IVAN", "IWAN"},     {"ALI", "ALY"},        {"OMAR", "UMAR"},
        {"YUSUF", "YOUSEF"},  {"JURI", "YURI"},      {"YURI", "IURII"},
        {"JURI", "IURII"},    {"KIM", "GIM"},        {"LI", "LEE"},
        {"PETROV", "PETROW"}, {"PHILIP", "FILIP"},   {"DJAMAL", "JAMAL"},
        {"TSAR", "ZAR"},      {"SCHMIDT", "SHMIDT"}, {"WALID", "OUALID"},
        {"KHAN", "KAN"}};
    static const char *const differ[][2] = {{"LI", "LIU"},  {"ZHANG", "YANG"},
                                            {"KIM", "KIN"}, {"DJAMAL", "YAMAL"},
                                            {"LE", "LEE"},  {"WANG", "WAN"}};
    pw_name a, b;
    const char *k;

    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        assert_int_equal(pw_name_normalize(same[i][0], strlen(same[i][0]), &a),
                         PW_OK);
        assert_int_equal(pw_name_normalize(same[i][1], strlen(same[i][1]), &b),
                         PW_OK);
        double s = pw_token_similarity(&a.tok[0], &b.tok[0], &k);
        if (s < 0.9)
            fail_msg("%s / %s: %.3f", same[i][0], same[i][1], s);
        assert_string_equal(k, "phonetic");
        /* The similarity does not depend on the order. */
        assert_true(pw_token_similarity(&b.tok[0], &a.tok[0], NULL) == s);
    }
    for (size_t i = 0; i < sizeof differ / sizeof differ[0]; i++) {
        assert_int_equal(
            pw_name_normalize(differ[i][0], strlen(differ[i][0]), &a), PW_OK);
        assert_int_equal(
            pw_name_normalize(differ[i][1], strlen(differ[i][1]), &b), PW_OK);
        if (pw_token_similarity(&a.tok[0], &b.tok[0], &k) >= 0.7)
            fail_msg("%s / %s counted alike", differ[i][0], differ[i][1]);
    }
}

static void test_fold(void **state)
{
    char out[PW_TOKEN_MAX];

    pw_translit_fold("IURII", out, sizeof out);
    assert_string_equal(out, "YURI");
    pw_translit_fold("HAJJI", out, sizeof out);
    assert_string_equal(out, "HAJI");
    pw_translit_fold("DZHAMAL", out, sizeof out);
    assert_string_equal(out, "JAMAL");
    /* A small buffer is never overrun. */
    assert_int_equal(pw_translit_fold("MOHAMMED", out, 4), 3);
    assert_string_equal(out, "MOH");
    assert_int_equal(pw_translit_fold("", out, sizeof out), 0);
}

static int teardown(void **state)
{
    pw_identity_cleanup();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ascii_and_accents),
        cmocka_unit_test(test_icao_variants),
        cmocka_unit_test(test_scripts),
        cmocka_unit_test(test_arabic_matches_transliteration),
        cmocka_unit_test(test_titles_and_particles),
        cmocka_unit_test(test_mrz_name),
        cmocka_unit_test(test_parts_and_limits),
        cmocka_unit_test(test_phonetic_keys),
        cmocka_unit_test(test_similarity),
        cmocka_unit_test(test_transliteration_pairs),
        cmocka_unit_test(test_fold),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}

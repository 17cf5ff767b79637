/* Unit tests of the sensitive-data filter: the list format, each class
 * of code, word patterns in free text, and the shipped configuration. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "paxwatch/privacy.h"

static pw_sensitive *builtin_list(void)
{
    pw_sensitive *s = NULL;
    const char *b = pw_sensitive_builtin();

    assert_int_equal(pw_sensitive_parse(b, strlen(b), &s, NULL), PW_OK);
    assert_non_null(s);
    return s;
}

static void test_meal_codes(void **state)
{
    pw_sensitive *s = builtin_list();

    (void)state;
    assert_int_equal(pw_sensitive_code(s, "MOML"), PW_SENS_RELIGION);
    assert_int_equal(pw_sensitive_code(s, "KSML"), PW_SENS_RELIGION);
    assert_int_equal(pw_sensitive_code(s, "HNML"), PW_SENS_RELIGION);
    assert_int_equal(pw_sensitive_code(s, "JNML"), PW_SENS_RELIGION);
    assert_int_equal(pw_sensitive_code(s, "moml"), PW_SENS_RELIGION);
    assert_int_equal(pw_sensitive_code(s, "ORML"), PW_SENS_ETHNIC);
    assert_int_equal(pw_sensitive_code(s, "DBML"), PW_SENS_HEALTH);
    assert_int_equal(pw_sensitive_code(s, "GFML"), PW_SENS_HEALTH);
    /* child, baby, fruit and seafood meals reveal nothing protected */
    assert_int_equal(pw_sensitive_code(s, "CHML"), PW_SENS_NONE);
    assert_int_equal(pw_sensitive_code(s, "BBML"), PW_SENS_NONE);
    assert_int_equal(pw_sensitive_code(s, "FPML"), PW_SENS_NONE);
    assert_int_equal(pw_sensitive_code(s, "SFML"), PW_SENS_NONE);
    pw_sensitive_free(s);
}

static void test_service_codes(void **state)
{
    pw_sensitive *s = builtin_list();

    (void)state;
    assert_int_equal(pw_sensitive_code(s, "WCHR"), PW_SENS_HEALTH);
    assert_int_equal(pw_sensitive_code(s, "WCHC"), PW_SENS_HEALTH);
    assert_int_equal(pw_sensitive_code(s, "BLND"), PW_SENS_HEALTH);
    assert_int_equal(pw_sensitive_code(s, "DEAF"), PW_SENS_HEALTH);
    assert_int_equal(pw_sensitive_code(s, "MEDA"), PW_SENS_HEALTH);
    assert_int_equal(pw_sensitive_code(s, "OXYG"), PW_SENS_HEALTH);
    assert_int_equal(pw_sensitive_code(s, "STCR"), PW_SENS_HEALTH);
    assert_int_equal(pw_sensitive_code(s, "DOCS"), PW_SENS_NONE);
    assert_int_equal(pw_sensitive_code(s, "PETC"), PW_SENS_NONE);
    assert_int_equal(pw_sensitive_code(s, "LEGL"), PW_SENS_NONE);
    assert_int_equal(pw_sensitive_code(s, "UMNR"), PW_SENS_NONE);
    assert_int_equal(pw_sensitive_code(s, "SEAT"), PW_SENS_NONE);
    assert_int_equal(pw_sensitive_code(s, "WCH"), PW_SENS_NONE);
    assert_int_equal(pw_sensitive_code(s, "WCHRX"), PW_SENS_NONE);
    assert_int_equal(pw_sensitive_code(s, NULL), PW_SENS_NONE);
    assert_int_equal(pw_sensitive_code(NULL, "WCHR"), PW_SENS_NONE);
    pw_sensitive_free(s);
}

static pw_sensitive_class text_class(const pw_sensitive *s, const char *t)
{
    return pw_sensitive_text(s, t, strlen(t));
}

static void test_text_patterns(void **state)
{
    pw_sensitive *s = builtin_list();

    (void)state;
    assert_int_equal(text_class(s, "REQ HALAL MEAL"), PW_SENS_RELIGION);
    assert_int_equal(text_class(s, "pax is pregnant"), PW_SENS_HEALTH);
    assert_int_equal(text_class(s, "DIABETES TYPE 1"), PW_SENS_HEALTH);
    assert_int_equal(text_class(s, "NEEDS WHEELCHAIR/GATE"), PW_SENS_HEALTH);
    assert_int_equal(text_class(s, "GROUP OF MUSLIMS"), PW_SENS_RELIGION);
    assert_int_equal(text_class(s, "SSR KSML CONFIRMED"), PW_SENS_RELIGION);
    assert_int_equal(text_class(s, "THIS PASSENGER IS A VIP"), PW_SENS_NONE);
    /* whole words only, unless the pattern ends in '*' */
    assert_int_equal(text_class(s, "BEE HIVE TOURS"), PW_SENS_NONE);
    assert_int_equal(text_class(s, "JAINSON"), PW_SENS_NONE);
    assert_int_equal(text_class(s, "CTCE PAX..DEAF//MAIL.COM"), PW_SENS_HEALTH);
    assert_int_equal(text_class(s, ""), PW_SENS_NONE);
    assert_int_equal(pw_sensitive_text(s, "HALAL", 3), PW_SENS_NONE);
    pw_sensitive_free(s);
}

static void expect_bad(const char *conf, pw_rc want, uint32_t line)
{
    pw_sensitive *s = (pw_sensitive *)1;
    pw_diags d = {0};

    assert_int_equal(pw_sensitive_parse(conf, strlen(conf), &s, &d), want);
    assert_null(s);
    if (line) {
        assert_int_equal(d.n, 1);
        assert_int_equal(d.items[0].line, line);
        assert_non_null(strstr(d.items[0].message, "line"));
    }
    pw_diags_clear(&d);
}

static void test_bad_config(void **state)
{
    (void)state;
    expect_bad("ssr MOM religion\n", PW_ERR_SYNTAX, 1);
    expect_bad("# ok\n\ntext CAKE nonsense\n", PW_ERR_SYNTAX, 3);
    expect_bad("meal MOML religion\n", PW_ERR_SYNTAX, 1);
    expect_bad("ssr MOML\n", PW_ERR_SYNTAX, 1);
    expect_bad("text C*KE health\n", PW_ERR_SYNTAX, 1);
    expect_bad("ssr MOML religion extra\n", PW_ERR_SYNTAX, 1);
}

static void test_limits(void **state)
{
    size_t n = PW_SENSITIVE_MAX_ENTRIES + 1, len = n * 20;
    char *conf = malloc(len + 1), *p = conf;
    pw_sensitive *s = NULL;

    (void)state;
    assert_non_null(conf);
    for (size_t i = 0; i < n; i++)
        p += sprintf(p, "text W%06zu health\n", i);
    assert_int_equal(pw_sensitive_parse(conf, (size_t)(p - conf), &s, NULL),
                     PW_ERR_LIMIT);
    assert_null(s);
    assert_int_equal(
        pw_sensitive_parse(conf, PW_SENSITIVE_MAX_BYTES + 1, &s, NULL),
        PW_ERR_LIMIT);
    free(conf);
}

static void test_custom_config(void **state)
{
    const char *conf = "# own list\n"
                       "ssr ABCD political   # a made-up code\n"
                       "text cake* sex_life\n"
                       "\n";
    pw_sensitive *s = NULL;
    size_t np = 0;

    (void)state;
    assert_int_equal(pw_sensitive_parse(conf, strlen(conf), &s, NULL), PW_OK);
    assert_int_equal(pw_sensitive_count(s, &np), 1);
    assert_int_equal(np, 1);
    assert_int_equal(pw_sensitive_code(s, "abcd"), PW_SENS_POLITICAL);
    assert_int_equal(pw_sensitive_code(s, "MOML"), PW_SENS_NONE);
    assert_int_equal(text_class(s, "CAKES"), PW_SENS_SEX_LIFE);
    assert_int_equal(text_class(s, "ABCD"), PW_SENS_POLITICAL);
    assert_string_equal(pw_sensitive_class_name(PW_SENS_SEX_LIFE), "sex_life");
    pw_sensitive_free(s);
}

/* Many codes, some listed twice: each is found with the class it was
 * first listed with, and codes not listed are not found. */
static void test_many_codes(void **state)
{
    char *conf = malloc(600 * 24), *p = conf;
    pw_sensitive *s = NULL;
    char code[8];

    (void)state;
    assert_non_null(conf);
    for (int i = 0; i < 500; i++)
        p += sprintf(p, "ssr %c%c%c%c %s\n", 'A' + i % 26, 'A' + i / 26 % 26,
                     'Q', 'Z', i % 2 ? "health" : "religion");
    for (int i = 0; i < 100; i++) /* the same codes again, other class */
        p += sprintf(p, "ssr %c%c%c%c political\n", 'A' + i % 26,
                     'A' + i / 26 % 26, 'Q', 'Z');
    assert_int_equal(pw_sensitive_parse(conf, (size_t)(p - conf), &s, NULL),
                     PW_OK);
    for (int i = 0; i < 500; i++) {
        snprintf(code, sizeof code, "%c%c%c%c", 'A' + i % 26, 'A' + i / 26 % 26,
                 'Q', 'Z');
        assert_int_equal(pw_sensitive_code(s, code),
                         i % 2 ? PW_SENS_HEALTH : PW_SENS_RELIGION);
        code[3] = 'Y';
        assert_int_equal(pw_sensitive_code(s, code), PW_SENS_NONE);
    }
    pw_sensitive_free(s);
    free(conf);
}

/* The shipped file and the built-in copy must be the same list. */
static void test_shipped_file_matches_builtin(void **state)
{
    const char *src = getenv("PW_SOURCE_DIR");
    char path[1024];
    FILE *f;
    char *buf = malloc(PW_SENSITIVE_MAX_BYTES);
    size_t n;
    pw_sensitive *s = NULL;

    (void)state;
    assert_non_null(src);
    assert_non_null(buf);
    snprintf(path, sizeof(path), "%s/data/sensitive.conf", src);
    f = fopen(path, "rb");
    assert_non_null(f);
    n = fread(buf, 1, PW_SENSITIVE_MAX_BYTES, f);
    fclose(f);
    assert_int_equal(n, strlen(pw_sensitive_builtin()));
    assert_memory_equal(buf, pw_sensitive_builtin(), n);
    assert_int_equal(pw_sensitive_load(path, &s, NULL), PW_OK);
    assert_true(pw_sensitive_count(s, NULL) >= 40);
    pw_sensitive_free(s);
    assert_int_equal(pw_sensitive_load("/nonexistent/x.conf", &s, NULL),
                     PW_ERR_IO);
    free(buf);
}

static void test_default_list(void **state)
{
    const pw_sensitive *s = pw_sensitive_default();

    (void)state;
    assert_non_null(s);
    assert_ptr_equal(s, pw_sensitive_default());
    assert_int_equal(pw_sensitive_code(s, "MOML"), PW_SENS_RELIGION);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_meal_codes),
        cmocka_unit_test(test_service_codes),
        cmocka_unit_test(test_text_patterns),
        cmocka_unit_test(test_bad_config),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_custom_config),
        cmocka_unit_test(test_many_codes),
        cmocka_unit_test(test_shipped_file_matches_builtin),
        cmocka_unit_test(test_default_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

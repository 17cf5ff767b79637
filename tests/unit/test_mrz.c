/* Unit tests for ICAO 9303 MRZ parsing, check digits and document number
 * normalisation (src/identity/mrz.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "paxwatch/identity.h"

/* The specimens of ICAO Doc 9303 parts 4, 5 and 6. */
static const char td3[] = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
                          "L898902C36UTO7408122F1204159ZE184226B<<<<<10";
static const char td1[] = "I<UTOD231458907<<<<<<<<<<<<<<<\n"
                          "7408122F1204159UTO<<<<<<<<<<<6\n"
                          "ERIKSSON<<ANNA<MARIA<<<<<<<<<<";
static const char td2[] = "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\n"
                          "D231458907UTO7408122F1204159<<<<<<<6";

static void test_check_digit(void **state)
{
    assert_int_equal(pw_mrz_check_digit("L898902C3", 9), 6);
    assert_int_equal(pw_mrz_check_digit("740812", 6), 2);
    assert_int_equal(pw_mrz_check_digit("120415", 6), 9);
    assert_int_equal(pw_mrz_check_digit("<<<<", 4), 0);
    assert_int_equal(pw_mrz_check_digit("ab", 2), -1);
}

static void test_td3(void **state)
{
    pw_mrz m;
    pw_diags d = {0};

    assert_int_equal(pw_mrz_parse(td3, strlen(td3), &m, &d), PW_OK);
    assert_int_equal(m.format, PW_MRZ_TD3);
    assert_string_equal(m.doc_code, "P");
    assert_string_equal(m.issuer, "UTO");
    assert_string_equal(m.surname, "ERIKSSON");
    assert_string_equal(m.given_names, "ANNA MARIA");
    assert_string_equal(m.number, "L898902C3");
    assert_string_equal(m.birth_date, "740812");
    assert_int_equal(m.sex, 'F');
    assert_string_equal(m.expiry, "120415");
    assert_string_equal(m.optional1, "ZE184226B");
    assert_true(m.checks_ok);
    assert_int_equal(d.n, 0);
    pw_diags_clear(&d);
}

static void test_td1_td2(void **state)
{
    pw_mrz m;

    assert_int_equal(pw_mrz_parse(td1, strlen(td1), &m, NULL), PW_OK);
    assert_int_equal(m.format, PW_MRZ_TD1);
    assert_string_equal(m.number, "D23145890");
    assert_string_equal(m.nationality, "UTO");
    assert_string_equal(m.surname, "ERIKSSON");
    assert_true(m.checks_ok);

    assert_int_equal(pw_mrz_parse(td2, strlen(td2), &m, NULL), PW_OK);
    assert_int_equal(m.format, PW_MRZ_TD2);
    assert_string_equal(m.given_names, "ANNA MARIA");
    assert_true(m.checks_ok);

    /* One run without line breaks, as some readers send it. */
    char run[100];
    snprintf(run, sizeof run, "%.44s%.44s", td3, td3 + 45);
    assert_int_equal(pw_mrz_parse(run, 88, &m, NULL), PW_OK);
    assert_true(m.checks_ok);
}

/* Builds a TD3 with the digits computed here, then breaks one. */
static void test_built_and_broken(void **state)
{
    char l2[45], mrz[100];
    pw_mrz m;
    pw_diags d = {0};

    snprintf(l2, sizeof l2, "X12345678%dGBR8001015M3001018<<<<<<<<<<<<<<00",
             pw_mrz_check_digit("X12345678", 9));
    l2[19] = (char)('0' + pw_mrz_check_digit("800101", 6));
    l2[27] = (char)('0' + pw_mrz_check_digit("300101", 6));
    char comp[40];
    snprintf(comp, sizeof comp, "%.10s%.7s%.22s", l2, l2 + 13, l2 + 21);
    l2[43] = (char)('0' + pw_mrz_check_digit(comp, strlen(comp)));
    snprintf(mrz, sizeof mrz,
             "P<GBRSMITH<<JOHN<PAUL<<<<<<<<<<<<<<<<<<<<<<<"
             "\r\n%s\r\n",
             l2);
    assert_int_equal(pw_mrz_parse(mrz, strlen(mrz), &m, &d), PW_OK);
    assert_true(m.checks_ok);
    assert_string_equal(m.given_names, "JOHN PAUL");

    /* A wrong birth date digit: parsed, flagged, and said where. */
    char *dob = mrz + 46 + 19;
    *dob = *dob == '9' ? '0' : (char)(*dob + 1);
    assert_int_equal(pw_mrz_parse(mrz, strlen(mrz), &m, &d), PW_OK);
    assert_false(m.checks_ok);
    assert_false(m.birth_ok);
    assert_true(m.number_ok);
    assert_false(m.composite_ok);
    assert_int_equal(d.n, 2);
    assert_non_null(strstr(d.items[0].message, "line 2 column 20"));
    assert_int_equal(d.items[0].offset, (size_t)(dob - mrz));
    pw_diags_clear(&d);
}

static void test_bad_layouts(void **state)
{
    pw_mrz m;
    pw_diags d = {0};
    char bad[sizeof td3];

    assert_int_equal(pw_mrz_parse("P<UTO", 5, &m, &d), PW_ERR_SYNTAX);
    memcpy(bad, td3, sizeof td3);
    bad[10] = 'e';
    assert_int_equal(pw_mrz_parse(bad, strlen(bad), &m, &d), PW_ERR_SYNTAX);
    assert_non_null(strstr(d.items[d.n - 1].message, "line 1 column 11"));
    assert_int_equal(pw_mrz_parse(td3, strlen(td3) - 1, &m, &d), PW_ERR_SYNTAX);
    char big[300];
    memset(big, '<', sizeof big);
    assert_int_equal(pw_mrz_parse(big, sizeof big, &m, &d), PW_ERR_LIMIT);
    assert_int_equal(pw_mrz_parse("", 0, &m, NULL), PW_ERR_SYNTAX);
    pw_diags_clear(&d);
}

static void test_document_numbers(void **state)
{
    char out[16];

    assert_int_equal(
        pw_document_number_normalize(" l89-890 2c3<<", out, sizeof out), 9);
    assert_string_equal(out, "L898902C3");
    assert_int_equal(pw_document_number_normalize("<<<", out, sizeof out), 0);
    assert_int_equal(
        pw_document_number_normalize("12345678901234567", out, sizeof out), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check_digit),
        cmocka_unit_test(test_td3),
        cmocka_unit_test(test_td1_td2),
        cmocka_unit_test(test_built_and_broken),
        cmocka_unit_test(test_bad_layouts),
        cmocka_unit_test(test_document_numbers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

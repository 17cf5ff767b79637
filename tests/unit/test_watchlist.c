/* Tests of the watchlist loaders: the real UN and OFAC lists, paxwatch's
 * own CSV, FollowTheMoney lines, and malformed, truncated and hostile
 * input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "paxwatch/watchlist.h"

static char shared_path[4096];

static const char *shared(const char *rel)
{
    const char *dir = getenv("PW_SHARED_DIR");

    snprintf(shared_path, sizeof(shared_path), "%s/%s", dir ? dir : "../shared",
             rel);
    return shared_path;
}

static const pw_entry *find(const pw_watchlist *wl, const char *id)
{
    for (size_t i = 0; i < wl->n_entries; i++)
        if (!strcmp(wl->entries[i].id, id))
            return &wl->entries[i];
    return NULL;
}

static int has_name(const pw_entry *e, const char *full, int alias, int weak)
{
    for (size_t i = 0; i < e->n_names; i++)
        if (!strcmp(e->names[i].full, full))
            return e->names[i].alias == alias && e->names[i].weak == weak;
    return 0;
}

static int has_date(const pw_entry *e, const char *from, const char *to)
{
    for (size_t i = 0; i < e->n_birth_dates; i++) {
        const pw_entry_date *d = &e->birth_dates[i];
        if (!strcmp(d->from, from) &&
            (to ? d->to && !strcmp(d->to, to) : !d->to))
            return 1;
    }
    return 0;
}

static const pw_entry_document *doc(const pw_entry *e, const char *number)
{
    for (size_t i = 0; i < e->n_documents; i++)
        if (!strcmp(e->documents[i].number, number))
            return &e->documents[i];
    return NULL;
}

static size_t count_kind(const pw_watchlist *wl, pw_entry_kind k)
{
    size_t n = 0;

    for (size_t i = 0; i < wl->n_entries; i++)
        n += wl->entries[i].kind == k;
    return n;
}

static pw_watchlist *load_mem(const char *format, const char *text, pw_rc want)
{
    pw_watchlist *wl = NULL;

    assert_int_equal(
        pw_watchlist_load_mem(format, text, strlen(text), "t", &wl), want);
    assert_non_null(wl);
    return wl;
}

/* The diag about record or line seg, or NULL. */
static const pw_diag *diag_at(const pw_watchlist *wl, uint32_t seg)
{
    for (size_t i = 0; i < wl->diags.n; i++)
        if (wl->diags.items[i].segment == seg)
            return &wl->diags.items[i];
    return NULL;
}

static void un_real_list(void **state)
{
    pw_watchlist *wl = NULL;
    const pw_entry *e;

    assert_int_equal(pw_watchlist_load("un-xml",
                                       shared("lists/un/UN_consolidated.xml"),
                                       "un", &wl),
                     PW_OK);
    assert_int_equal(count_kind(wl, PW_ENTRY_PERSON), 730);
    assert_int_equal(count_kind(wl, PW_ENTRY_ENTITY), 273);
    assert_int_equal(wl->diags.n, 0);
    assert_string_equal(wl->version, "2026-02-27T00:00:09.554Z");
    assert_string_equal(wl->name, "un");

    e = find(wl, "QDi.001");
    assert_non_null(e);
    assert_string_equal(e->names[0].full,
                        "MOHAMMED SALAHALDIN ABD EL HALIM ZIDANE");
    assert_true(has_name(e, "Sayf-Al Adl", 1, 0));
    assert_true(has_name(e, "Seif al Adel", 1, 1));
    assert_true(has_name(e, "محمد صلاح الدين عبدالحليم زيدان", 1, 0));
    assert_string_equal(e->names[0].script, "Latin");
    for (size_t i = 0; i < e->n_names; i++)
        if ((unsigned char)e->names[i].full[0] >= 0x80)
            assert_string_equal(e->names[i].script, "Arabic");
    assert_true(has_date(e, "1963-04-11", NULL));
    assert_true(has_date(e, "1960-04-11", NULL));
    assert_int_equal(e->n_nationalities, 1);
    assert_string_equal(e->nationalities[0], "EGY");

    e = find(wl, "CDi.021");
    assert_non_null(doc(e, "OB 0243318"));
    assert_string_equal(doc(e, "OB 0243318")->issuer, "COD");
    assert_string_equal(doc(e, "OB 0243318")->type, "passport");
    assert_true(has_date(find(wl, "CDi.030"), "1973", "1974"));
    assert_string_equal(find(wl, "CDi.002")->sex, "M");
    e = find(wl, "CDe.001");
    assert_int_equal(e->kind, PW_ENTRY_ENTITY);
    assert_string_equal(e->names[0].full, "ADF");
    assert_true(has_name(e, "Allied Democratic Forces", 1, 0));
    pw_watchlist_free(wl);
}

static void ofac_real_list(void **state)
{
    pw_watchlist *wl = NULL;
    const pw_entry *e;

    assert_int_equal(pw_watchlist_load("ofac-csv", shared("lists/ofac/sdn.csv"),
                                       "ofac", &wl),
                     PW_OK);
    assert_int_equal(wl->n_entries, 8976);
    assert_int_equal(count_kind(wl, PW_ENTRY_PERSON), 4620);
    assert_int_equal(wl->diags.n_errors, 0);

    e = find(wl, "2676");
    assert_string_equal(e->names[0].surname, "AL ZAWAHIRI");
    assert_string_equal(e->names[0].given_names, "Dr. Ayman");
    assert_true(has_name(e, "SALIM, Ahmad Fuad", 1, 0)); /* from alt.csv */
    assert_true(has_date(e, "1951-06-19", NULL));
    assert_string_equal(doc(e, "1084010")->issuer, "EGY");
    assert_null(doc(e, "19820215")->issuer);

    e = find(wl, "11786");
    assert_string_equal(e->sex, "M");
    assert_string_equal(e->nationalities[0], "IRN");
    assert_string_equal(doc(e, "6579726970")->type, "id_card");
    assert_true(has_date(find(wl, "2679"), "1936", NULL));
    assert_true(has_date(find(wl, "15496"), "1929", "1930"));
    assert_true(has_date(find(wl, "7782"), "1951", NULL)); /* circa */

    e = find(wl, "306");
    assert_int_equal(e->kind, PW_ENTRY_ENTITY);
    assert_true(has_name(e, "BNC", 1, 1)); /* a.k.a. in the remarks */
    assert_true(has_name(e, "NATIONAL BANK OF CUBA", 1, 0));
    assert_true(e->n_countries >= 3);
    pw_watchlist_free(wl);
}

static void ofac_quoting_and_bad_records(void **state)
{
    static const char sdn[] =
        "1,\"DOE, John \"\"Jack\"\"\",\"individual\",\"X\",-0- ,-0- ,-0- ,"
        "-0- ,-0- ,-0- ,-0- ,\"DOB 01 Feb 1970; nationality Germany;\r\n"
        "Passport X1 (France)\"\r\n"
        "2,\"TOO FEW\",-0-\r\n"
        "abc,\"BAD NUMBER\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"
        "-0- \r\n"
        "4,\"ACME, LTD.\",-0- ,\"X\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"
        "-0- \r\n\x1a";
    pw_watchlist *wl = load_mem("ofac-csv", sdn, PW_OK);
    const pw_entry *e = find(wl, "1");

    assert_int_equal(wl->n_entries, 2);
    assert_string_equal(e->names[0].full, "DOE, John \"Jack\"");
    assert_true(has_date(e, "1970-02-01", NULL));
    assert_string_equal(e->nationalities[0], "DEU");
    assert_string_equal(doc(e, "X1")->issuer, "FRA");
    assert_string_equal(find(wl, "4")->names[0].full, "ACME, LTD.");
    assert_null(find(wl, "4")->names[0].surname);

    /* The quoted line break makes the bad records lines 3 and 4. */
    assert_int_equal(wl->diags.n_errors, 2);
    assert_non_null(diag_at(wl, 3));
    assert_non_null(strstr(diag_at(wl, 3)->message, "line 3"));
    assert_int_equal(diag_at(wl, 3)->offset, strstr(sdn, "2,") - sdn);
    assert_non_null(strstr(diag_at(wl, 4)->message, "not a number"));
    pw_watchlist_free(wl);
}

/* " to " right after "circa" lay before the date once "circa " was
 * skipped: the date's length came out negative (found by fuzzing). */
static void ofac_circa_to(void **state)
{
    pw_watchlist *wl = load_mem(
        "ofac-csv",
        "1,\"A, B\",\"individual\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"
        "\"DOB circa to 1960; DOB circa 1950 to 1952.\"\n",
        PW_OK);
    const pw_entry *e = find(wl, "1");

    (void)state;
    assert_non_null(e);
    assert_int_equal(e->n_birth_dates, 1);
    assert_true(has_date(e, "1950", "1952"));
    pw_watchlist_free(wl);
}

static void ofac_unclosed_quote(void **state)
{
    pw_watchlist *wl = load_mem(
        "ofac-csv",
        "1,\"A, B\",\"individual\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"
        "-0- \n2,\"NEVER CLOSED,-0- ,-0-\n",
        PW_OK);

    assert_int_equal(wl->n_entries, 1);
    assert_int_equal(wl->diags.n_errors, 1);
    assert_non_null(strstr(diag_at(wl, 2)->message, "not closed"));
    pw_watchlist_free(wl);
}

static const char csv_header[] = "id,name,aliases,birth_date,nationality,"
                                 "sex,document_number,document_issuer,"
                                 "category\n";

static char *csv_with(const char *body)
{
    char *s = malloc(sizeof(csv_header) + strlen(body));

    assert_non_null(s);
    strcpy(s, csv_header);
    strcat(s, body);
    return s;
}

static void csv_good_and_bad(void **state)
{
    char *text = csv_with(
        "W1,Ivan Petrov,\"Iwan Petrow|Petrov, Ivan\",1970-05-01|1971,RU,"
        "male,,,wanted\n"
        "W2,Bad Date,,1970-13-01,,,,,wanted\n"
        ",No Id,,,,,,,wanted\n"
        "S1,,,,,,AB 123456,DEU,lost_or_stolen\n"
        "S2,,,,,,,,lost_or_stolen\n"
        "W3,Range,,1968..1970,,F,,,\n"
        "W4,Bad Sex,,,,robot,,,\n");
    pw_watchlist *wl = load_mem("csv", text, PW_OK);
    const pw_entry *e = find(wl, "W1");

    assert_int_equal(wl->n_entries, 3);
    assert_int_equal(e->n_names, 3);
    assert_true(has_name(e, "Petrov, Ivan", 1, 0));
    assert_true(has_date(e, "1971", NULL));
    assert_string_equal(e->nationalities[0], "RUS");
    assert_string_equal(e->sex, "M");
    e = find(wl, "S1");
    assert_int_equal(e->kind, PW_ENTRY_DOCUMENT);
    assert_int_equal(e->n_names, 0);
    assert_string_equal(e->documents[0].issuer, "DEU");
    assert_true(has_date(find(wl, "W3"), "1968", "1970"));

    assert_int_equal(wl->diags.n_errors, 4);
    assert_non_null(strstr(diag_at(wl, 3)->message, "birth_date"));
    assert_int_equal(diag_at(wl, 3)->offset, strstr(text, "W2") - text);
    assert_non_null(strstr(diag_at(wl, 4)->message, "no id"));
    assert_non_null(strstr(diag_at(wl, 6)->message, "no document"));
    assert_non_null(strstr(diag_at(wl, 8)->message, "sex"));
    pw_watchlist_free(wl);
    free(text);
}

static void csv_wrong_header(void **state)
{
    pw_watchlist *wl =
        load_mem("csv", "id,name,dob\n1,A B,1970\n", PW_ERR_SYNTAX);

    assert_int_equal(wl->n_entries, 0);
    assert_non_null(strstr(wl->diags.items[0].message, "header"));
    pw_watchlist_free(wl);
    wl = load_mem("csv", "", PW_ERR_SYNTAX);
    pw_watchlist_free(wl);
}

static void csv_huge_field(void **state)
{
    size_t big = 100 * 1024;
    char *body = malloc(big + 64), *text;
    pw_watchlist *wl;

    assert_non_null(body);
    strcpy(body, "H1,\"");
    memset(body + 4, 'A', big);
    strcpy(body + 4 + big, "\",,,,,,,\nH2,Fine Name,,,,,,,\n");
    text = csv_with(body);
    wl = load_mem("csv", text, PW_OK);
    assert_int_equal(wl->n_entries, 1);
    assert_non_null(find(wl, "H2"));
    assert_non_null(strstr(diag_at(wl, 2)->message, "64 KiB"));
    pw_watchlist_free(wl);
    free(text);
    free(body);
}

static const char un_head[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<CONSOLIDATED_LIST dateGenerated=\"2026-01-01T00:00:00Z\">\n"
    "<INDIVIDUALS>\n";

static void un_bad_records(void **state)
{
    char text[2048];
    pw_watchlist *wl;

    snprintf(text, sizeof(text),
             "%s<INDIVIDUAL><FIRST_NAME>A</FIRST_NAME></INDIVIDUAL>\n"
             "<INDIVIDUAL><REFERENCE_NUMBER>X.2</REFERENCE_NUMBER>"
             "<FIRST_NAME>JOHN</FIRST_NAME><SECOND_NAME>DOE</SECOND_NAME>"
             "<NATIONALITY><VALUE>Atlantis</VALUE></NATIONALITY>"
             "</INDIVIDUAL>\n"
             "<INDIVIDUAL><REFERENCE_NUMBER>X.3</REFERENCE_NUMBER>"
             "</INDIVIDUAL>\n</INDIVIDUALS></CONSOLIDATED_LIST>\n",
             un_head);
    wl = load_mem("un-xml", text, PW_OK);
    assert_int_equal(wl->n_entries, 1);
    assert_string_equal(wl->entries[0].names[0].full, "JOHN DOE");
    assert_string_equal(wl->entries[0].nationalities[0], "Atlantis");
    assert_non_null(strstr(diag_at(wl, 1)->message, "no id"));
    assert_int_equal(diag_at(wl, 1)->offset,
                     strstr(text, "<INDIVIDUAL>") - text);
    assert_non_null(strstr(diag_at(wl, 3)->message, "no name"));
    pw_watchlist_free(wl);
}

static void un_truncated(void **state)
{
    char *data = NULL;
    size_t len = 0, cut;
    FILE *f = fopen(shared("lists/un/UN_consolidated.xml"), "rb");
    pw_watchlist *wl = NULL;

    assert_non_null(f);
    data = malloc(2 * 1024 * 1024 + 1);
    assert_non_null(data);
    len = fread(data, 1, 2 * 1024 * 1024, f);
    fclose(f);
    cut = len / 2;
    assert_int_equal(pw_watchlist_load_mem("un-xml", data, cut, "t", &wl),
                     PW_OK);
    assert_true(wl->n_entries > 100 && wl->n_entries < 1003);
    assert_int_equal(wl->diags.n_errors, 1);
    assert_non_null(strstr(wl->diags.items[0].message, "not well-formed"));
    pw_watchlist_free(wl);
    free(data);
}

static void un_hostile(void **state)
{
    static const char laughs[] =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE l [<!ENTITY a \"aaaaaaaa\">"
        "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]>\n"
        "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><REFERENCE_NUMBER>1"
        "</REFERENCE_NUMBER><FIRST_NAME>&b;</FIRST_NAME></INDIVIDUAL>"
        "</INDIVIDUALS></CONSOLIDATED_LIST>";
    pw_watchlist *wl = load_mem("un-xml", laughs, PW_ERR_SYNTAX);

    assert_int_equal(wl->n_entries, 0);
    assert_non_null(strstr(wl->diags.items[0].message, "DOCTYPE"));
    pw_watchlist_free(wl);
    wl = load_mem("un-xml", "not xml at all", PW_ERR_SYNTAX);
    pw_watchlist_free(wl);
}

static void ftm_lines(void **state)
{
    static const char text[] =
        "{\"id\":\"p1\",\"schema\":\"Person\",\"properties\":{\"name\":"
        "[\"Ivan Ivanov\"],\"alias\":[\"Iwan Iwanow\"],\"firstName\":"
        "[\"Ivan\"],\"lastName\":[\"Ivanov\"],\"birthDate\":[\"1970-01-02\","
        "\"1971\"],\"nationality\":[\"ru\"],\"gender\":[\"male\"],"
        "\"passportNumber\":[\"7512345\"],\"religion\":[\"x\"]},"
        "\"datasets\":[\"t\"]}\n"
        "{\"id\":\"c1\",\"schema\":\"Company\",\"properties\":{\"name\":"
        "[\"Acme\"],\"weakAlias\":[\"AC\"]}}\n"
        "{not json\n"
        "\n"
        "[1,2]\n"
        "{\"id\":\"pp\",\"schema\":\"Passport\",\"properties\":{\"holder\":"
        "[\"p1\"],\"number\":[\"PP99\"],\"country\":[\"ua\"]}}\n"
        "{\"id\":\"a1\",\"schema\":\"Address\",\"properties\":{}}\n";
    pw_watchlist *wl = load_mem("ftm-json", text, PW_OK);
    const pw_entry *e = find(wl, "p1");

    assert_int_equal(wl->n_entries, 2);
    assert_string_equal(e->names[0].full, "Ivan Ivanov");
    assert_true(has_name(e, "Iwan Iwanow", 1, 0));
    assert_true(has_date(e, "1970-01-02", NULL));
    assert_true(has_date(e, "1971", NULL));
    assert_string_equal(e->nationalities[0], "RUS");
    assert_string_equal(e->sex, "M");
    assert_non_null(doc(e, "7512345"));
    assert_string_equal(doc(e, "PP99")->issuer, "UKR");
    assert_true(has_name(find(wl, "c1"), "AC", 1, 1));
    assert_int_equal(find(wl, "c1")->kind, PW_ENTRY_ENTITY);
    assert_int_equal(wl->diags.n_errors, 2);
    assert_non_null(strstr(diag_at(wl, 3)->message, "not JSON"));
    assert_int_equal(diag_at(wl, 3)->offset, strstr(text, "{not") - text);
    assert_non_null(strstr(diag_at(wl, 5)->message, "not a JSON object"));
    pw_watchlist_free(wl);
}

static void load_errors(void **state)
{
    pw_watchlist *wl = NULL;

    assert_int_equal(pw_watchlist_load("csv", "/nonexistent/x.csv", "x", &wl),
                     PW_ERR_IO);
    assert_null(wl);
    assert_int_equal(pw_watchlist_load_mem("yaml", "a", 1, "x", &wl),
                     PW_ERR_UNSUPPORTED);
    assert_null(wl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(un_real_list),
        cmocka_unit_test(ofac_real_list),
        cmocka_unit_test(ofac_quoting_and_bad_records),
        cmocka_unit_test(ofac_circa_to),
        cmocka_unit_test(ofac_unclosed_quote),
        cmocka_unit_test(csv_good_and_bad),
        cmocka_unit_test(csv_wrong_header),
        cmocka_unit_test(csv_huge_field),
        cmocka_unit_test(un_bad_records),
        cmocka_unit_test(un_truncated),
        cmocka_unit_test(un_hostile),
        cmocka_unit_test(ftm_lines),
        cmocka_unit_test(load_errors),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

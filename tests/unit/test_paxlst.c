/* Unit tests of the PAXLST mapping, its date rules and the JSON writer:
 * small messages written here, and the shared samples. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "messages/paxlst_int.h"
#include "paxwatch/json.h"
#include "paxwatch/messages.h"

#define HEAD "UNB+UNOA:4+AIR+GOV+260301:0900+1'UNH+1+PAXLST:D:05B:UN:IATA'"
#define TAIL "UNT+2+1'UNZ+1+1'"

/* Parses text and maps its first message; the caller frees both. */
static pw_msg *map_text(const char *text, pw_edi_interchange **ix)
{
    pw_msg *m = NULL;

    assert_int_equal(pw_edi_parse(text, strlen(text), NULL, ix), PW_OK);
    assert_true((*ix)->n_messages >= 1);
    assert_int_equal(pw_paxlst_map(*ix, 0, &m), PW_OK);
    return m;
}

static int has_warning(const pw_msg *m, const char *needle)
{
    for (size_t i = 0; i < m->diags.n; i++)
        if (strstr(m->diags.items[i].message, needle))
            return 1;
    return 0;
}

static char *read_sample(const char *name, size_t *len)
{
    const char *dir = getenv("PW_SHARED_DIR");
    char path[1024];
    FILE *f;
    char *buf;
    long n;

    snprintf(path, sizeof(path), "%s/samples/paxlst/%s",
             dir ? dir : "../shared", name);
    f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static void test_dates(void **state)
{
    char out[32];

    (void)state;
    assert_true(pw_msgs_date("1306210900", "201", PW_DATE_TRAVEL, NULL, out));
    assert_string_equal(out, "2013-06-21T09:00");
    assert_true(pw_msgs_date("201306210900", "203", PW_DATE_TRAVEL, NULL, out));
    assert_string_equal(out, "2013-06-21T09:00");
    assert_true(pw_msgs_date("20130621", "102", PW_DATE_TRAVEL, NULL, out));
    assert_string_equal(out, "2013-06-21");
    assert_true(
        pw_msgs_date("20130621093015", NULL, PW_DATE_TRAVEL, NULL, out));
    assert_string_equal(out, "2013-06-21T09:30:15");
    /* Format and length must agree; calendars must hold. */
    assert_false(pw_msgs_date("130621", "201", PW_DATE_TRAVEL, NULL, out));
    assert_false(pw_msgs_date("1302300900", "201", PW_DATE_TRAVEL, NULL, out));
    assert_false(pw_msgs_date("1313010900", "201", PW_DATE_TRAVEL, NULL, out));
    assert_false(pw_msgs_date("13062A0900", "201", PW_DATE_TRAVEL, NULL, out));
    assert_false(pw_msgs_date("1306212500", "201", PW_DATE_TRAVEL, NULL, out));
    assert_false(pw_msgs_date("", NULL, PW_DATE_TRAVEL, NULL, out));
    assert_true(pw_msgs_date("000229", "101", PW_DATE_TRAVEL, NULL, out));
    assert_false(pw_msgs_date("19000229", "102", PW_DATE_TRAVEL, NULL, out));
    /* Dates alone are read eight bytes at once: every byte is a digit,
     * the bytes around '0' and '9' are not, the format fits the length. */
    assert_true(pw_msgs_date("991231", NULL, PW_DATE_TRAVEL, NULL, out));
    assert_string_equal(out, "1999-12-31");
    assert_false(pw_msgs_date("13062/", NULL, PW_DATE_TRAVEL, NULL, out));
    assert_false(pw_msgs_date("1306:1", NULL, PW_DATE_TRAVEL, NULL, out));
    assert_false(pw_msgs_date("2013062\xb1", "102", PW_DATE_TRAVEL, NULL, out));
    assert_false(pw_msgs_date("20130621", "101", PW_DATE_TRAVEL, NULL, out));
    assert_false(pw_msgs_date("130621", "102", PW_DATE_TRAVEL, NULL, out));
    assert_false(pw_msgs_date("130621", "1010", PW_DATE_TRAVEL, NULL, out));
    assert_true(pw_msgs_date("20000229", "102", PW_DATE_TRAVEL, NULL, out));
    assert_string_equal(out, "2000-02-29");
}

static void test_centuries(void **state)
{
    char out[32];

    (void)state;
    /* Expiry: YY < 70 is 20YY, else 19YY. */
    assert_true(pw_msgs_date("690101", NULL, PW_DATE_EXPIRY, NULL, out));
    assert_string_equal(out, "2069-01-01");
    assert_true(pw_msgs_date("700101", NULL, PW_DATE_EXPIRY, NULL, out));
    assert_string_equal(out, "1970-01-01");
    /* Birth: never after the reference date. */
    assert_true(pw_msgs_date("250101", NULL, PW_DATE_BIRTH, "2026-03-01", out));
    assert_string_equal(out, "2025-01-01");
    assert_true(pw_msgs_date("260302", NULL, PW_DATE_BIRTH, "2026-03-01", out));
    assert_string_equal(out, "1926-03-02");
    assert_true(pw_msgs_date("260301", NULL, PW_DATE_BIRTH, "2026-03-01", out));
    assert_string_equal(out, "2026-03-01");
    /* Unknown day or month: a partial date. */
    assert_true(pw_msgs_date("720900", NULL, PW_DATE_BIRTH, "2026-03-01", out));
    assert_string_equal(out, "1972-09");
    assert_true(pw_msgs_date("19720000", "102", PW_DATE_BIRTH, NULL, out));
    assert_string_equal(out, "1972");
    assert_false(pw_msgs_date("720900", NULL, PW_DATE_EXPIRY, NULL, out));
}

static void test_progressive_sample(void **state)
{
    size_t len;
    char *text = read_sample("ig-ex5-3-progressive.edi", &len);
    pw_edi_interchange *ix = NULL;
    pw_msg *m = NULL;
    const pw_movement *mv;

    (void)state;
    assert_int_equal(pw_edi_parse(text, len, NULL, &ix), PW_OK);
    assert_int_equal(pw_paxlst_map(ix, 0, &m), PW_OK);
    mv = &m->movement;
    assert_int_equal(mv->n_legs, 2);
    assert_string_equal(mv->legs[0].from, "BCN");
    assert_string_equal(mv->legs[0].to, "IAD");
    assert_string_equal(mv->legs[1].from, "IAD");
    assert_string_equal(mv->legs[1].to, "SFO");
    assert_string_equal(mv->legs[1].number, "ZX877");
    assert_string_equal(mv->legs[1].departure.sent, "1407081930");
    assert_string_equal(mv->legs[1].departure.local, "2014-07-08T19:30");
    assert_int_equal(m->n_travellers, 2);
    assert_string_equal(m->travellers[1].given_names, "SORINA MARIA");
    assert_string_equal(m->travellers[1].documents[0].number, "TRQWE9980");
    assert_string_equal(m->travellers[1].documents[0].expiry, "2017-09-16");
    assert_int_equal(m->declared_passengers, 2);
    assert_int_equal(m->diags.n, 0);
    pw_msg_free(m);
    pw_edi_free(ix);
    free(text);
}

static void test_vessel(void **state)
{
    pw_edi_interchange *ix;
    pw_msg *m = map_text(
        HEAD "BGM+745'TDT+20+V12+1++OPR+++9241061:146:11:QUEEN MARY 2:GB"
             "*ZCEF6:103'NAD+FL+++A:B'" TAIL,
        &ix);
    const pw_vessel *v = &m->movement.vessel;

    (void)state;
    assert_int_equal(m->movement.mode, PW_MODE_SEA);
    assert_string_equal(m->movement.number, "V12");
    assert_string_equal(v->name, "QUEEN MARY 2");
    assert_string_equal(v->imo, "9241061");
    assert_string_equal(v->call_sign, "ZCEF6");
    assert_string_equal(v->flag, "GB");
    pw_msg_free(m);
    pw_edi_free(ix);

    /* Without qualifiers: seven digits are an IMO number, another id the
     * call sign; with no mode code and no vessel name it stays air. */
    m = map_text(HEAD "BGM+745'TDT+20+V12++++++9074729::::NO'"
                      "TDT+20+V12++++++LAJP4::::NO'" TAIL,
                 &ix);
    assert_int_equal(m->movement.mode, PW_MODE_AIR);
    assert_string_equal(m->movement.vessel.imo, "9074729");
    assert_string_equal(m->movement.vessel.call_sign, "LAJP4");
    pw_msg_free(m);
    pw_edi_free(ix);
}

static void test_person(void **state)
{
    pw_edi_interchange *ix;
    pw_msg *m = map_text(
        HEAD "BGM+745+CP'TDT+20+AB1+++AB'"
             "NAD+DDU+++SURNAME:GIVEN:MIDDLE:THIRD+1 ROAD+TOWN+:::SHIRE+PC1"
             "+GBR'ATT+2++F*F*F'DTM+329:19800101:102'NAT+2+GBR'"
             "LOC+180+:::BIRTH TOWN'LOC+22+LHR'GEI+4+173'MEA+CT++:3'"
             "FTX+BAG+++AB123:2'RFF+SEA:12A'RFF+AVF:LOC123'"
             "COM+123:TE*a@b:EM'EMP+1+CR1:110:111'"
             "DOC+P:110:111+  N0 123  'DTM+36:300101'DTM+182:200101'"
             "LOC+91+GB:163'LOC+91+GBR:162'LOC+91+FRA'"
             "NAD+FM'CNT+42:2'CNT+41+1'" TAIL,
        &ix);
    const pw_traveller *t = &m->travellers[0];

    (void)state;
    assert_string_equal(m->function, "CP");
    assert_int_equal(m->n_travellers, 2);
    assert_int_equal(t->role, PW_ROLE_TRANSIT_PASSENGER);
    assert_string_equal(t->given_names, "GIVEN MIDDLE THIRD");
    assert_string_equal(t->address.region, "SHIRE");
    assert_string_equal(t->address.country, "GBR");
    assert_string_equal(t->sex, "F");
    assert_string_equal(t->birth_date, "1980-01-01");
    assert_string_equal(t->birth_place, "BIRTH TOWN");
    assert_string_equal(t->clearance, "LHR");
    assert_int_equal(t->verified, 1);
    assert_int_equal(t->bags, 3);
    assert_int_equal(t->n_bag_tags, 1);
    assert_string_equal(t->seat, "12A");
    assert_int_equal(t->n_contacts, 2);
    assert_string_equal(t->contacts[1].type, "email");
    assert_string_equal(t->occupation, "CR1");
    assert_int_equal(t->n_documents, 1);
    assert_string_equal(t->documents[0].type, "P");
    assert_string_equal(t->documents[0].number, "N0 123");
    assert_string_equal(t->documents[0].issued, "2020-01-01");
    /* The country (code list 162) wins over a region; a third is
     * reported. */
    assert_string_equal(t->documents[0].issuer, "GBR");
    assert_true(has_warning(m, "second issuing place"));
    /* A crew member without a name is kept, with a warning. */
    assert_int_equal(m->travellers[1].role, PW_ROLE_CREW);
    assert_null(m->travellers[1].surname);
    assert_true(has_warning(m, "without a name"));
    assert_true(has_warning(m, "count in element 2"));
    assert_true(has_warning(m, "declares 2 passengers but the list holds 1"));
    assert_false(has_warning(m, "crew but"));
    assert_int_equal(m->declared_crew, 1);
    pw_msg_free(m);
    pw_edi_free(ix);
}

static void test_no_personal_data_in_warnings(void **state)
{
    pw_edi_interchange *ix;
    pw_msg *m =
        map_text(HEAD "BGM+745'NAD+FL+++SECRETNAME:HIDDEN'"
                      "ATT+2++SECRETSEX'DTM+329:991399'"
                      "DTM+36:SECRETDATE'DOC+P+SECRETDOC'"
                      "DTM+36:SECRETDATE'NAT+2+AAA'NAT+2+SECRETNAT'" TAIL,
                 &ix);

    (void)state;
    assert_true(m->diags.n >= 4);
    for (size_t i = 0; i < m->diags.n; i++) {
        assert_null(strstr(m->diags.items[i].message, "SECRET"));
        assert_null(strstr(m->diags.items[i].message, "991399"));
    }
    pw_msg_free(m);
    pw_edi_free(ix);
}

static void test_not_paxlst(void **state)
{
    const char *t = "UNH+1+PNRGOV:11:1:IA'MSG+:22'UNT+3+1'";
    pw_edi_interchange *ix = NULL;
    pw_msg *m = (pw_msg *)1;

    (void)state;
    assert_int_equal(pw_edi_parse(t, strlen(t), NULL, &ix), PW_OK);
    assert_int_equal(pw_paxlst_map(ix, 0, &m), PW_ERR_UNSUPPORTED);
    assert_null(m);
    assert_int_equal(pw_paxlst_map(ix, 5, &m), PW_ERR_INVALID);
    pw_edi_free(ix);
}

/* Every prefix of a real file reads without a crash or a leak. */
static void test_prefixes(void **state)
{
    size_t len;
    char *text = read_sample("gtas-crew-Test1.edi", &len);

    (void)state;
    for (size_t n = 0; n <= len; n++) {
        pw_edi_interchange *ix = NULL;
        pw_rc rc = pw_edi_parse(text, n, NULL, &ix);
        for (size_t i = 0; ix && rc == PW_OK && i < ix->n_messages; i++) {
            pw_msg *m = NULL;
            if (pw_paxlst_map(ix, i, &m) == PW_OK) {
                char *j = pw_msg_json(m);
                assert_non_null(j);
                free(j);
            }
            pw_msg_free(m);
        }
        pw_edi_free(ix);
    }
    free(text);
}

static void test_json(void **state)
{
    pw_edi_interchange *ix;
    pw_msg *m = map_text(HEAD "BGM+250'TDT+20+AB1+++AB'LOC+125+SYD'"
                              "DTM+189:1306210900:201'LOC+87+HNL'"
                              "NAD+FM+++DOE:JO'DOC+P+X1'XYZ'" TAIL,
                         &ix);
    char *text = pw_msg_json(m);
    json_error_t err;
    json_t *o = json_loads(text, 0, &err);
    json_t *tr, *leg, *warnings, *w;
    json_int_t xyz_segment = 0;
    size_t i;
    const char *first_key;
    void *it;

    (void)state;
    assert_non_null(o);
    it = json_object_iter(o);
    first_key = json_object_iter_key(it);
    assert_string_equal(first_key, "type");
    assert_string_equal(json_string_value(json_object_get(o, "version")),
                        "D05B");
    assert_string_equal(json_string_value(json_object_get(o, "list_type")),
                        "crew");
    assert_true(json_is_null(json_object_get(o, "function")));
    assert_true(json_is_null(
        json_object_get(json_object_get(o, "movement"), "vessel")));
    leg = json_array_get(
        json_object_get(json_object_get(o, "movement"), "legs"), 0);
    assert_string_equal(json_string_value(json_object_get(leg, "departure")),
                        "2013-06-21T09:00");
    assert_true(json_is_null(json_object_get(leg, "arrival")));
    tr = json_array_get(json_object_get(o, "travellers"), 0);
    assert_string_equal(json_string_value(json_object_get(tr, "role")), "crew");
    assert_true(json_is_null(json_object_get(tr, "birth_date")));
    assert_null(json_object_get(tr, "seat")); /* omitted, not null */
    warnings = json_object_get(o, "warnings");
    json_array_foreach(warnings, i, w)
    {
        const char *msg = json_string_value(json_object_get(w, "message"));
        if (strstr(msg, "XYZ"))
            xyz_segment = json_integer_value(json_object_get(w, "segment"));
    }
    assert_int_equal(xyz_segment, 10);
    assert_int_equal(json_array_size(json_object_get(o, "errors")), 0);
    json_decref(o);
    free(text);
    pw_msg_free(m);
    pw_edi_free(ix);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_centuries),
        cmocka_unit_test(test_progressive_sample),
        cmocka_unit_test(test_vessel),
        cmocka_unit_test(test_person),
        cmocka_unit_test(test_no_personal_data_in_warnings),
        cmocka_unit_test(test_not_paxlst),
        cmocka_unit_test(test_prefixes),
        cmocka_unit_test(test_json),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests of the PNRGOV readers: the sensitive filter applied while
 * mapping (counts, nothing of the dropped text in the output), PNRs kept
 * apart when one is broken, documents given to the right traveller, and
 * values trimmed and joined across released line breaks, and PNRGOV
 * XML refused safely when malformed, with a DTD or too large. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "paxwatch/booking.h"
#include "paxwatch/json.h"
#include "paxwatch/messages.h"

#define HEAD                                                                   \
    "UNB+IATA:1+XX+YY+260301:0900+1'UNH+1+PNRGOV:13:1:IA+R1'MSG+:22'"          \
    "ORG+XX'TVL+010426:1000:010426:1200+AMS+LHR+XX+1'"
#define TAIL "UNT+99+1'UNZ+1+1'"

static pw_msg *map_text(const char *text)
{
    pw_edi_interchange *ix = NULL;
    pw_msg *m = NULL;

    assert_int_equal(pw_edi_parse(text, strlen(text), NULL, &ix), PW_OK);
    assert_int_equal(ix->n_messages, 1);
    assert_int_equal(pw_pnrgov_map(ix, 0, &m), PW_OK);
    pw_edi_free(ix);
    return m;
}

static const char sensitive_msg[] =
    HEAD "EQN+1'SRC'RCI+XX:AAA111'"
         "SSR+MOML:HK:1:XX'"
         "SSR+KSML:HK:1:XX'"
         "IFT+4:28::XX+PAX PREGNANT 7 MONTHS'"
         "IFT+4:28::XX+FREQUENT TRAVELLER'"
         "TIF+DOE+JOHN MR:A:1'"
         "SSR+WCHR:HK:1:XX+::1'"
         "SSR+OTHS:::::::: NEEDS OXYGEN ON BOARD'"
         "SSR+CHML:HK:1:XX+::1'"
         "SSR+DOCS:HK:1:XX:::::/P/GBR/123456789/GBR/01JAN80/M/01JAN30/"
         "DOE/JOHN+::1'"
         "TVL+010426:1000::1200+AMS+LHR+XX+1:Y'"
         "ABI+1'DAT+ZT:010326:1000'SAC+++X'SSR+HNML:HK:1:XX'"
         "SAC+++A'IFT+4:28+ASKS FOR MOSQUE NEAR HOTEL'" TAIL;

static void test_sensitive_dropped_and_counted(void **state)
{
    pw_msg *m = map_text(sensitive_msg);
    const pw_booking *b;
    char *json;

    (void)state;
    /* MOML, KSML, PREGNANT, WCHR, OXYGEN, HNML, MOSQUE */
    assert_int_equal(m->sensitive_dropped, 7);
    assert_int_equal(m->n_bookings, 1);
    b = &m->bookings[0];
    assert_int_equal(b->n_remarks, 1);
    assert_string_equal(b->remarks[0], "FREQUENT TRAVELLER");
    assert_int_equal(b->n_travellers, 1);
    assert_string_equal(b->travellers[0].birth_date, "1980-01-01");
    json = pw_msg_json(m);
    assert_non_null(json);
    assert_non_null(strstr(json, "\"sensitive_dropped\":7"));
    assert_non_null(strstr(json, "FREQUENT TRAVELLER"));
    assert_null(strstr(json, "MOML"));
    assert_null(strstr(json, "KSML"));
    assert_null(strstr(json, "HNML"));
    assert_null(strstr(json, "WCHR"));
    assert_null(strstr(json, "PREGNANT"));
    assert_null(strstr(json, "OXYGEN"));
    assert_null(strstr(json, "MOSQUE"));
    free(json);
    pw_msg_free(m);
}

/* Nothing the filter drops is copied into the message's arena either. */
static void test_dropped_text_not_in_arena(void **state)
{
    pw_msg *m = map_text(sensitive_msg);
    const pw_booking *b = &m->bookings[0];

    (void)state;
    for (size_t i = 0; i < b->n_history; i++)
        if (b->history[i].detail)
            assert_null(strstr(b->history[i].detail, "HNML"));
    for (size_t i = 0; i < b->n_remarks; i++)
        assert_null(strstr(b->remarks[i], "PREGNANT"));
    pw_msg_free(m);
}

static void test_bad_pnr_keeps_others(void **state)
{
    pw_msg *m = map_text(HEAD "EQN+3'"
                              "SRC'RCI+XX:FIRST1'TIF+ONE+A:A:1'"
                              "SRC'DAT+999:ZZ'ZZZ+1'TKT+1:T'MON+T:1:EUR'"
                              "TIF++:A:1'SSD+1A'"
                              "SRC'RCI+XX:THIRD3'TIF+THREE+C:A:1'" TAIL);

    (void)state;
    assert_int_equal(m->n_bookings, 3);
    assert_string_equal(m->bookings[0].locator.locator, "FIRST1");
    assert_null(m->bookings[1].locator.locator);
    assert_string_equal(m->bookings[2].locator.locator, "THIRD3");
    assert_string_equal(m->bookings[2].travellers[0].surname, "THREE");
    assert_true(m->diags.n >= 4);
    assert_int_equal(m->diags.n_errors, 0);
    pw_msg_free(m);
}

static void test_infant_and_title(void **state)
{
    pw_msg *m =
        map_text(HEAD "EQN+1'SRC'RCI+XX:INF001'"
                      "TIF+ROSSI+MARIA MRS:A:1:1'"
                      "SSR+DOCS:HK:1:XX:::::/P/ITA/YA0000001/ITA/02FEB85/F/"
                      "02FEB30/ROSSI/MARIA+::1'"
                      "SSR+DOCS:HK:1:XX:::::/P/ITA/YA0000002/ITA/03MAR25/FI/"
                      "03MAR30/ROSSI/GIULIA+::1'"
                      "TIF+ROSSI+GIULIA:IN:2'" TAIL);
    const pw_booking *b = &m->bookings[0];

    (void)state;
    assert_int_equal(b->n_travellers, 2);
    assert_string_equal(b->travellers[0].given_names, "MARIA");
    assert_string_equal(b->traveller_extra[0].title, "MRS");
    assert_string_equal(b->travellers[0].documents[0].number, "YA0000001");
    assert_true(b->traveller_extra[1].infant);
    assert_int_equal(b->traveller_extra[1].accompanied_by, 0);
    assert_string_equal(b->travellers[1].documents[0].number, "YA0000002");
    assert_string_equal(b->travellers[1].birth_date, "2025-03-03");
    assert_string_equal(b->travellers[1].booking_ref, "INF001");
    pw_msg_free(m);
}

/* Values are taken from the message's one copy of its texts when they
 * need no trimming; the copy also holds the line break before every
 * tag, which must not make a value look wrapped, while a released line
 * break inside a value is still removed. */
static void test_values_trimmed(void **state)
{
    const char *clean = HEAD "\nEQN+1'\nSRC'\nRCI+XX:ABC123'\n"
                             "DAT+700:010326:0930'\nTIF+DOE+JOHN MR:A:1'\n"
                             "TKT+ 0123 :T'\n"
                             "SSR+DOCS:HK:1:XX:::::/P/GBR/ 12345 /GBR/"
                             "01JAN80/M/01JAN30/DOE/JOHN+::1'\n" TAIL;
    const char *wrapped = HEAD "EQN+1'SRC'RCI+XX:ABC123'"
                               "TIF+DO?\nE+JO?\r\nHN:A:1'" TAIL;
    pw_edi_interchange *ix = NULL;
    pw_msg *m = map_text(clean);
    const pw_booking *b = &m->bookings[0];

    (void)state;
    assert_int_equal(pw_edi_parse(clean, strlen(clean), NULL, &ix), PW_OK);
    assert_int_equal(pw_edi_values_have_breaks(ix), 0);
    pw_edi_free(ix);
    assert_string_equal(b->locator.locator, "ABC123");
    assert_string_equal(b->last_changed, "2026-03-01T09:30");
    assert_string_equal(b->tickets[0].number, "0123");
    assert_string_equal(b->travellers[0].surname, "DOE");
    assert_string_equal(b->travellers[0].documents[0].number, "12345");
    assert_string_equal(b->travellers[0].birth_date, "1980-01-01");
    assert_string_equal(b->travellers[0].documents[0].expiry, "2030-01-01");
    pw_msg_free(m);

    assert_int_equal(pw_edi_parse(wrapped, strlen(wrapped), NULL, &ix), PW_OK);
    assert_int_equal(pw_edi_values_have_breaks(ix), 1);
    pw_edi_free(ix);
    m = map_text(wrapped);
    assert_string_equal(m->bookings[0].travellers[0].surname, "DOE");
    assert_string_equal(m->bookings[0].travellers[0].given_names, "JOHN");
    pw_msg_free(m);
}

static void test_not_pnrgov(void **state)
{
    const char *t = "UNB+UNOA:4+A+B+260301:0900+1'UNH+1+PAXLST:D:05B:UN:IATA'"
                    "BGM+745'UNT+3+1'UNZ+1+1'";
    pw_edi_interchange *ix = NULL;
    pw_msg *m = NULL;

    (void)state;
    assert_int_equal(pw_edi_parse(t, strlen(t), NULL, &ix), PW_OK);
    assert_int_equal(pw_pnrgov_map(ix, 0, &m), PW_ERR_UNSUPPORTED);
    assert_null(m);
    assert_int_equal(pw_pnrgov_map(ix, 5, &m), PW_ERR_INVALID);
    pw_edi_free(ix);
}

static pw_rc read_xml(const char *x, pw_diags *d, pw_msg **m)
{
    return pw_pnrxml_read(x, strlen(x), m, d);
}

static void test_xml_malformed(void **state)
{
    pw_diags d = {0};
    pw_msg *m = NULL;

    (void)state;
    assert_int_equal(read_xml("<PNR>\n<Passenger>\n</PNR>\n", &d, &m),
                     PW_ERR_SYNTAX);
    assert_null(m);
    assert_int_equal(d.n, 1);
    assert_true(d.items[0].line >= 3);
    assert_non_null(strstr(d.items[0].message, "column"));
    pw_diags_clear(&d);
}

static void test_xml_dtd_refused(void **state)
{
    pw_diags d = {0};
    pw_msg *m = NULL;
    const char *x = "<?xml version=\"1.0\"?>\n"
                    "<!DOCTYPE PNR [<!ENTITY a \"HALAL\">]>\n"
                    "<PNR><OSI>&a;</OSI></PNR>\n";

    (void)state;
    assert_int_not_equal(read_xml(x, &d, &m), PW_OK);
    assert_null(m);
    assert_true(d.n >= 1);
    pw_diags_clear(&d);
}

static void test_xml_limit(void **state)
{
    pw_diags d = {0};
    pw_msg *m = NULL;

    (void)state;
    /* refused on the length alone, before a byte is read */
    assert_int_equal(pw_pnrxml_read("<a/>", PW_PNRXML_MAX + 1, &m, &d),
                     PW_ERR_LIMIT);
    assert_null(m);
    pw_diags_clear(&d);
}

static void test_xml_bookings(void **state)
{
    const char *x =
        "<IATA_PNRGOV_NotifRQ xmlns=\"http://www.iata.org/IATA/2007/00\">"
        "<FlightLeg FlightNumber=\"7\" DepartureDateTime=\"2026-05-01T08:00:00"
        "\"><DepartureAirport LocationCode=\"OSL\"/>"
        "<ArrivalAirport LocationCode=\"BER\"/></FlightLeg><PNRs>"
        "<PNR><BookingRefID ID=\"XML001\"/><Passenger RPH=\"1\">"
        "<Surname>NILSEN</Surname><GivenName>OLA</GivenName>"
        "<SSR SSRCode=\"DBML\"/></Passenger>"
        "<OSI>KOSHER PLEASE</OSI></PNR>"
        "<PNR><BookingRefID ID=\"XML002\"/></PNR></PNRs>"
        "</IATA_PNRGOV_NotifRQ>";
    pw_diags d = {0};
    pw_msg *m = NULL;

    (void)state;
    assert_int_equal(read_xml(x, &d, &m), PW_OK);
    assert_int_equal(m->n_bookings, 2);
    assert_string_equal(m->bookings[0].locator.locator, "XML001");
    assert_string_equal(m->bookings[0].travellers[0].surname, "NILSEN");
    assert_int_equal(m->bookings[0].n_remarks, 0);
    assert_int_equal(m->sensitive_dropped, 2);
    assert_string_equal(m->movement.legs[0].from, "OSL");
    pw_msg_free(m);
    pw_diags_clear(&d);
}

static void test_reader_dispatch(void **state)
{
    const char *x = "\xEF\xBB\xBF  <Root><PNR><BookingRefID ID=\"R1\"/>"
                    "</PNR></Root>";
    pw_reader *r = NULL;
    pw_batch *b = NULL;

    (void)state;
    assert_int_equal(pw_reader_new(&r), PW_OK);
    assert_int_equal(pw_reader_read(r, x, strlen(x), &b), PW_OK);
    assert_string_equal(b->format, "xml");
    assert_int_equal(b->n_results, 1);
    assert_int_equal(b->results[0].outcome, PW_OUT_MESSAGE);
    assert_string_equal(b->results[0].msg->type, "PNRGOV");
    assert_int_equal(
        pw_reader_read(r, sensitive_msg, strlen(sensitive_msg), &b), PW_OK);
    assert_int_equal(b->n_results, 1);
    assert_int_equal(b->results[0].outcome, PW_OUT_MESSAGE);
    assert_int_equal(b->results[0].msg->n_bookings, 1);
    pw_reader_free(r);
}

/* Months in DOCS in either case, a month with a byte that is not a
 * letter refused; arrivals on the day of departure, on another day,
 * and without a date of their own. */
static const char dates_msg[] =
    HEAD "EQN+1'SRC'RCI+XX:DDD444'"
         "TIF+DOE+JOHN MR:A:1'"
         "SSR+DOCS:HK:1:XX:::::/P/GBR/123/GBR/12jUl64/M/03Dec30/DOE/JOHN+::1'"
         "TIF+ROE+ANN MS:A:2'"
         "SSR+DOCS:HK:1:XX:::::/P/GBR/456/GBR/12J@N64/F/03DEC30/ROE/ANN+::2'"
         "TVL+010426:1000:010426:1200+AMS+LHR+XX+1:Y'"
         "TVL+010426:2300:020426:0100+LHR+JFK+XX+2:Y'"
         "TVL+050426:0900::1100+JFK+BOS+XX+3:Y'"
         "TVL+060426:0900:1100+BOS+JFK+XX+4:Y'" TAIL;

static void test_dates(void **state)
{
    pw_msg *m = map_text(dates_msg);
    const pw_booking *b;

    (void)state;
    assert_int_equal(m->n_bookings, 1);
    b = &m->bookings[0];
    assert_int_equal(b->n_travellers, 2);
    assert_string_equal(b->travellers[0].birth_date, "1964-07-12");
    assert_int_equal(b->travellers[0].n_documents, 1);
    assert_string_equal(b->travellers[0].documents[0].expiry, "2030-12-03");
    assert_null(b->travellers[1].birth_date);
    assert_int_equal(b->n_itinerary, 4);
    assert_string_equal(b->itinerary[0].departure, "2026-04-01T10:00");
    assert_string_equal(b->itinerary[0].arrival, "2026-04-01T12:00");
    assert_string_equal(b->itinerary[1].arrival, "2026-04-02T01:00");
    assert_string_equal(b->itinerary[2].arrival, "2026-04-05T11:00");
    assert_string_equal(b->itinerary[3].arrival, "2026-04-06T11:00");
    pw_msg_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sensitive_dropped_and_counted),
        cmocka_unit_test(test_dropped_text_not_in_arena),
        cmocka_unit_test(test_bad_pnr_keeps_others),
        cmocka_unit_test(test_infant_and_title),
        cmocka_unit_test(test_values_trimmed),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_not_pnrgov),
        cmocka_unit_test(test_xml_malformed),
        cmocka_unit_test(test_xml_dtd_refused),
        cmocka_unit_test(test_xml_limit),
        cmocka_unit_test(test_xml_bookings),
        cmocka_unit_test(test_reader_dispatch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

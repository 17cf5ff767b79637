/* Unit tests for retention: what depersonalising a booking's content
 * keeps and drops, and the policies and times a run refuses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "paxwatch/retention.h"

static const char booking[] =
    "{\"locator\":\"ABC123\",\"group_name\":\"CHESS CLUB\","
    "\"addresses\":[{\"street\":\"1 HIGH ST\"}],"
    "\"contacts\":[{\"type\":\"email\",\"value\":\"A@B.EXAMPLE\"}],"
    "\"remarks\":[\"VIP\"],"
    "\"payments\":[{\"type\":\"CC\",\"amount\":\"10.00\","
    "\"payer\":\"ANA GARCIA\",\"billing\":\"1 HIGH ST\","
    "\"card_number\":\"XXXX1234\",\"card_type\":\"VI\"}],"
    "\"frequent_flyer\":[{\"carrier\":\"ZZ\",\"number\":\"998877\"}],"
    "\"tickets\":[{\"number\":\"0012345678\",\"total\":\"10.00\"}],"
    "\"seats\":[{\"flight\":0,\"seat\":\"12A\"}],"
    "\"bags\":[{\"count\":1,\"tags\":[\"ZZ0001\"]}],"
    "\"history\":[{\"what\":\"name\",\"detail\":\"GARCIA ANA\"},"
    "{\"what\":\"flight\",\"detail\":\"ZZ1 MAD-LHR\"}],"
    "\"itinerary\":[{\"from\":\"MAD\",\"to\":\"LHR\"}],"
    "\"travellers\":[{\"surname\":\"GARCIA\",\"given_names\":\"ANA\","
    "\"title\":\"MS\",\"birth_date\":\"1990-03-11\",\"sex\":\"F\","
    "\"nationality\":\"ESP\",\"documents\":[{\"type\":\"P\","
    "\"number\":\"X1234567\",\"issuer\":\"ESP\"}]}]}";

static void booking_loses_who(void **state)
{
    char *out = NULL;
    static const char *const gone[] = {
        "CHESS",    "HIGH ST", "A@B",        "VIP\"",     "ANA",
        "XXXX1234", "998877",  "0012345678", "12A",       "ZZ0001",
        "GARCIA",   "MS\"",    "X1234567",   "1990-03-11"};
    static const char *const kept[] = {"\"locator\":\"ABC123\"",
                                       "\"amount\":\"10.00\"",
                                       "\"card_type\":\"VI\"",
                                       "\"carrier\":\"ZZ\"",
                                       "\"total\":\"10.00\"",
                                       "\"flight\":0",
                                       "\"count\":1",
                                       "\"detail\":\"ZZ1 MAD-LHR\"",
                                       "\"from\":\"MAD\"",
                                       "\"birth_date\":\"1990\"",
                                       "\"sex\":\"F\"",
                                       "\"nationality\":\"ESP\"",
                                       "\"issuer\":\"ESP\"",
                                       "\"remarks\":[]",
                                       "\"contacts\":[]",
                                       "\"addresses\":[]"};

    (void)state;
    assert_int_equal(pw_booking_depersonalise(booking, &out), PW_OK);
    for (size_t i = 0; i < sizeof gone / sizeof *gone; i++)
        if (strstr(out, gone[i]))
            fail_msg("kept %s in %s", gone[i], out);
    for (size_t i = 0; i < sizeof kept / sizeof *kept; i++)
        if (!strstr(out, kept[i]))
            fail_msg("lost %s from %s", kept[i], out);
    free(out);
    assert_int_equal(pw_booking_depersonalise("[1]", &out), PW_ERR_SYNTAX);
    assert_null(out);
    assert_int_equal(pw_booking_depersonalise("{", &out), PW_ERR_SYNTAX);
}

static void run_refuses(void **state)
{
    char path[64];
    pw_store *s = NULL;
    pw_retention_policy p;
    pw_retention_report r;

    (void)state;
    snprintf(path, sizeof path, "/tmp/pw-test-retention-%d.db", (int)getpid());
    unlink(path);
    assert_int_equal(pw_store_open(path, &s), PW_OK);
    pw_retention_default(&p);
    assert_int_equal(p.depersonalise_days, 183);
    assert_int_equal(p.delete_days, 1826);
    assert_int_equal(pw_retention_run(s, &p, "2026-02-30x", 1, &r),
                     PW_ERR_INVALID);
    assert_int_equal(pw_retention_run(s, &p, "2026-13-01", 1, &r),
                     PW_ERR_INVALID);
    p.delete_days = 10; /* deleting before depersonalising */
    assert_int_equal(pw_retention_run(s, &p, NULL, 1, &r), PW_ERR_INVALID);
    p.delete_days = -1;
    assert_int_equal(pw_retention_run(s, &p, NULL, 1, &r), PW_ERR_INVALID);
    pw_retention_default(&p);
    assert_int_equal(pw_retention_run(s, &p, "2026-12-04", 0, &r), PW_OK);
    assert_string_equal(r.depersonalise_before, "2026-06-04T00:00:00Z");
    assert_string_equal(r.delete_before, "2021-12-04T00:00:00Z");
    p.delete_days = 0;
    assert_int_equal(pw_retention_run(s, &p, "2026-12-04T10:00:00Z", 0, &r),
                     PW_OK);
    assert_string_equal(r.delete_before, "");
    pw_store_close(s);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(booking_loses_who),
        cmocka_unit_test(run_refuses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

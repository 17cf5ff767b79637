/* Unit tests for port time zones (data/ports.tsv, ICU) and the
 * conversion of local scheduled times to UTC. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <unicode/ucal.h>
#include <unicode/ustring.h>

#include "paxwatch/ports.h"

static void expect_utc(const char *port, const char *local, const char *utc)
{
    char out[32] = "unchanged";
    assert_int_equal(pw_time_to_utc(port, local, out), 1);
    assert_string_equal(out, utc);
}

static void expect_no_utc(const char *port, const char *local)
{
    char out[32] = "unchanged";
    assert_int_equal(pw_time_to_utc(port, local, out), 0);
    assert_string_equal(out, "");
}

static void test_airport_zones(void **state)
{
    assert_string_equal(pw_port_zone("SYD"), "Australia/Sydney");
    assert_string_equal(pw_port_zone("HNL"), "Pacific/Honolulu");
    assert_string_equal(pw_port_zone("JFK"), "America/New_York");
    assert_string_equal(pw_port_zone("LHR"), "Europe/London");
    assert_string_equal(pw_port_zone("lhr"), "Europe/London");
    /* The string is static: a second call gives the same storage. */
    assert_ptr_equal(pw_port_zone("SYD"), pw_port_zone("SYD"));
}

static void test_southern_and_pacific(void **state)
{
    /* Sydney in June is AEST (+10), Honolulu never changes (-10). */
    expect_utc("SYD", "2013-06-21T09:00", "2013-06-20T23:00Z");
    expect_utc("HNL", "2013-06-21T22:00", "2013-06-22T08:00Z");
    /* Sydney in January keeps daylight time (+11). */
    expect_utc("SYD", "2013-01-10T09:00", "2013-01-09T22:00Z");
}

static void test_new_york_and_london(void **state)
{
    expect_utc("JFK", "2013-01-15T12:00", "2013-01-15T17:00Z"); /* EST */
    expect_utc("JFK", "2013-07-15T12:00", "2013-07-15T16:00Z"); /* EDT */
    expect_utc("LHR", "2013-01-15T12:00", "2013-01-15T12:00Z"); /* GMT */
    expect_utc("LHR", "2013-07-15T00:30", "2013-07-14T23:30Z"); /* BST */
}

static void test_clock_changes(void **state)
{
    /* 02:30 did not exist in New York on 10 March 2013: read with the
     * offset before the change (EST). */
    expect_utc("JFK", "2013-03-10T02:30", "2013-03-10T07:30Z");
    /* 01:30 happened twice on 3 November 2013: the earlier (EDT). */
    expect_utc("JFK", "2013-11-03T01:30", "2013-11-03T05:30Z");
    expect_utc("JFK", "2013-11-03T02:30", "2013-11-03T07:30Z");
}

static void test_locode_one_zone_country(void **state)
{
    assert_string_equal(pw_port_zone("NLRTM"), "Europe/Amsterdam");
    expect_utc("NLRTM", "2013-06-21T09:00", "2013-06-21T07:00Z");
    expect_utc("NLRTM", "2013-12-21T09:00", "2013-12-21T08:00Z");
    /* Germany lists Busingen beside Berlin; both keep one clock. */
    assert_string_equal(pw_port_zone("DEQQQ"), "Europe/Berlin");
}

static void test_locode_many_zone_country(void **state)
{
    assert_string_equal(pw_port_zone("USNYC"), "America/New_York");
    assert_string_equal(pw_port_zone("USLAX"), "America/Los_Angeles");
    assert_string_equal(pw_port_zone("AUPER"), "Australia/Perth");
    expect_utc("USLAX", "2013-07-01T08:00", "2013-07-01T15:00Z");
    /* Not in the seaport table: the airport code within the country. */
    assert_string_equal(pw_port_zone("USDEN"), "America/Denver");
    /* AAP names airports in the US and in Indonesia. */
    assert_null(pw_port_zone("AAP"));
    assert_string_equal(pw_port_zone("USAAP"), "America/Chicago");
    assert_string_equal(pw_port_zone("IDAAP"), "Asia/Makassar");
    assert_null(pw_port_zone("USQQQ"));
    assert_null(pw_port_zone("CAAAP"));
}

static void test_unknown_codes(void **state)
{
    assert_null(pw_port_zone("QQQ"));
    assert_null(pw_port_zone("XQQQQ"));
    assert_null(pw_port_zone(NULL));
    assert_null(pw_port_zone(""));
    assert_null(pw_port_zone("SY"));
    assert_null(pw_port_zone("SYDN"));
    assert_null(pw_port_zone("USNYCX"));
    assert_null(pw_port_zone("S-D"));
    expect_no_utc("QQQ", "2013-06-21T09:00");
    expect_no_utc(NULL, "2013-06-21T09:00");
}

static void test_malformed_times(void **state)
{
    const char *bad[] = {
        "",
        "2013-06-21",
        "2013-06-21 09:00",
        "2013-06-21T09:00Z",
        "2013-06-21T09:00:00",
        "2013-6-21T09:00",
        "2013-06-21T9:00x",
        "2013-02-29T10:00",
        "2013-04-31T10:00",
        "2013-13-01T10:00",
        "2013-00-01T10:00",
        "2013-06-00T10:00",
        "2013-06-21T24:00",
        "2013-06-21T23:60",
        "0000-06-21T10:00",
        "+013-06-21T10:00",
        "2013-06-21T-1:00",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        expect_no_utc("SYD", bad[i]);
    expect_no_utc("SYD", NULL);
    assert_int_equal(pw_time_to_utc("SYD", "2013-06-21T09:00", NULL), 0);
    /* Leap days are real dates. */
    expect_utc("LHR", "2012-02-29T10:00", "2012-02-29T10:00Z");
    expect_utc("LHR", "2000-02-29T10:00", "2000-02-29T10:00Z");
    expect_no_utc("LHR", "1900-02-29T10:00");
}

static void test_far_dates(void **state)
{
    /* Gregorian throughout, also before 1582. */
    expect_utc("HNL", "1500-03-01T00:00", "1500-03-01T10:31Z");
    expect_utc("HNL", "9999-12-31T10:00", "9999-12-31T20:00Z");
    /* The UTC year would need five digits. */
    expect_no_utc("HNL", "9999-12-31T23:00");
}

static int file_zone_known(const char *zone)
{
    UChar id[64], canon[64];
    UBool system = 0;
    UErrorCode st = U_ZERO_ERROR;
    u_uastrncpy(id, zone, 63);
    id[63] = 0;
    ucal_getCanonicalTimeZoneID(id, -1, canon, 64, &system, &st);
    return U_SUCCESS(st) && system;
}

/* Every line of the shipped table is well formed, sorted, and names a
 * zone that ICU knows; the table covers thousands of airports. */
static void test_table_is_sound(void **state)
{
    char path[4096], line[256], prev[256] = "";
    const char *src = getenv("PW_SOURCE_DIR");
    snprintf(path, sizeof path, "%s/data/ports.tsv", src ? src : ".");
    FILE *f = fopen(path, "r");
    assert_non_null(f);

    size_t rows = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#')
            continue;
        char code[8], zone[64], country[4], key[80];
        assert_int_equal(
            sscanf(line, "%7[^\t]\t%63[^\t]\t%3[^\n]", code, zone, country), 3);
        assert_true(strlen(code) == 3 || strlen(code) == 5);
        assert_int_equal(strlen(country), 2);
        assert_true(file_zone_known(zone));
        snprintf(key, sizeof key, "%s\t%s", code, country);
        assert_true(strcmp(prev, key) <= 0);
        strcpy(prev, key);
        rows++;
    }
    fclose(f);
    assert_true(rows > 10000);
}

static void *convert_many(void *arg)
{
    char out[32];
    int *ok = arg;
    for (int i = 0; i < 200; i++) {
        *ok &= pw_time_to_utc("SYD", "2013-06-21T09:00", out);
        *ok &= strcmp(out, "2013-06-20T23:00Z") == 0;
        *ok &= pw_time_to_utc("BRQQQ", "2013-06-21T09:00", out) == 0;
        *ok &= pw_time_to_utc("NZAKL", "2013-06-21T09:00", out);
        *ok &= strcmp(out, "2013-06-20T21:00Z") == 0;
    }
    return NULL;
}

static void test_threads(void **state)
{
    pthread_t threads[4];
    int ok[4] = {1, 1, 1, 1};
    for (int i = 0; i < 4; i++)
        assert_int_equal(
            pthread_create(&threads[i], NULL, convert_many, &ok[i]), 0);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(pthread_join(threads[i], NULL), 0);
        assert_true(ok[i]);
    }
}

/* The table is read once per process, so tests of other tables run in
 * a child that has not looked anything up; the child's exit status is
 * the result. */
static void run_in_child(const char *data_dir, int (*check)(void))
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        setenv("PAXWATCH_DATA", data_dir, 1);
        _exit(check() ? 0 : 1);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

static int nothing_known(void)
{
    char out[32];
    return pw_port_zone("SYD") == NULL && pw_port_zone("NLRTM") == NULL &&
           pw_time_to_utc("SYD", "2013-06-21T09:00", out) == 0;
}

/* Without the table every lookup is unknown. */
static void test_missing_table(void **state)
{
    run_in_child("/nonexistent/paxwatch-data", nothing_known);
}

static int own_table_read(void)
{
    char out[32];
    const char *syd = pw_port_zone("SYD");
    const char *hnl = pw_port_zone("HNL");
    return syd && strcmp(syd, "Australia/Sydney") == 0 && hnl &&
           strcmp(hnl, "Pacific/Honolulu") == 0 && !pw_port_zone("BAD") &&
           !pw_port_zone("TWO") && !pw_port_zone("LHR") &&
           !pw_port_zone("NOT") && !pw_port_zone("ODD") &&
           pw_time_to_utc("SYD", "2013-06-21T09:00", out) &&
           strcmp(out, "2013-06-20T23:00Z") == 0 &&
           pw_time_to_utc("ZZZ", "2013-06-21T09:00", out) == 0;
}

/* A table from $PAXWATCH_DATA: unsorted, CRLF, with lines that do not
 * fit (skipped), a code with two clocks, and a zone ICU does not know
 * (unknown, not GMT). */
static void test_own_table(void **state)
{
    char dir[] = "/tmp/pw-ports-XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/ports.tsv", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("# test table\r\n"
          "SYD\tAustralia/Sydney\tAU\r\n"
          "BAD\tEurope/Lon don\tGB\n"
          "LHR Europe/London GB\n"
          "TWO\tEurope/Paris\tFR\n"
          "TWO\tAsia/Tokyo\tJP\n"
          "ODD\tEurope/London\tgb\n"
          "ZZZ\tMars/Olympus_Mons\tUS\n"
          "HNL\tPacific/Honolulu\n"
          "\n\tno code\n",
          f);
    assert_int_equal(fclose(f), 0);

    run_in_child(dir, own_table_read);
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_missing_table),
        cmocka_unit_test(test_own_table),
        cmocka_unit_test(test_airport_zones),
        cmocka_unit_test(test_southern_and_pacific),
        cmocka_unit_test(test_new_york_and_london),
        cmocka_unit_test(test_clock_changes),
        cmocka_unit_test(test_locode_one_zone_country),
        cmocka_unit_test(test_locode_many_zone_country),
        cmocka_unit_test(test_unknown_codes),
        cmocka_unit_test(test_malformed_times),
        cmocka_unit_test(test_far_dates),
        cmocka_unit_test(test_table_is_sound),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests for port time zones (data/ports.tsv, tzdata, ICU), the
 * conversion of local scheduled times to UTC, and the TZif reader. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <unicode/ucal.h>
#include <unicode/ustring.h>

#include "model/ports_int.h"
#include "model/tzif.h"
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
static void run_in_child_env(const char *var, const char *value,
                             int (*check)(void))
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        setenv(var, value, 1);
        _exit(check() ? 0 : 1);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

static void run_in_child(const char *data_dir, int (*check)(void))
{
    run_in_child_env("PAXWATCH_DATA", data_dir, check);
}

/* Threads that read the same zones for the first time at once get the
 * answers of ICU for times where the two agree (2015). */
static const char *const first_ports[] = {
    "LHR",   "JFK",   "SYD",   "NRT",   "CDG",   "DXB",  "GRU",   "JNB",
    "YYZ",   "LAX",   "ORD",   "DEN",   "HNL",   "AKL",  "SIN",   "HKG",
    "DEL",   "KTM",   "ADL",   "YYT",   "SCL",   "EZE",  "BOG",   "LIM",
    "MAD",   "FCO",   "IST",   "SVO",   "TLV",   "BKK",  "NLRTM", "DEHAM",
    "USNYC", "AUSYD", "GBSOU", "FRLEH", "ESBCN", "ITGOA"};
#define FIRST_N (sizeof first_ports / sizeof first_ports[0])

typedef struct first_run {
    char out[FIRST_N][12][32];
} first_run;

static void first_local(size_t i, int month, char local[32])
{
    snprintf(local, 32, "2015-%02d-%02dT%02d:30", month, 1 + (int)i % 28,
             (int)(i * 5) % 24);
}

static void *convert_first(void *arg)
{
    first_run *run = arg;
    char local[32];
    for (size_t i = 0; i < FIRST_N; i++)
        for (int m = 0; m < 12; m++) {
            first_local(i, m + 1, local);
            pw_time_to_utc(first_ports[i], local, run->out[i][m]);
        }
    return NULL;
}

static int threads_agree(void)
{
    static first_run runs[4];
    pthread_t threads[4];
    char local[32], icu[32];
    for (int t = 0; t < 4; t++)
        if (pthread_create(&threads[t], NULL, convert_first, &runs[t]) != 0)
            return 0;
    for (int t = 0; t < 4; t++)
        pthread_join(threads[t], NULL);
    for (size_t i = 0; i < FIRST_N; i++)
        for (int m = 0; m < 12; m++) {
            first_local(i, m + 1, local);
            if (!pw_ports_time_to_utc_from(first_ports[i], local, icu,
                                           PW_PORTS_ICU))
                return 0;
            for (int t = 0; t < 4; t++)
                if (strcmp(runs[t].out[i][m], icu) != 0)
                    return 0;
        }
    return 1;
}

static void test_threads_first_reads(void **state)
{
    run_in_child_env("PW_TEST", "threads", threads_agree);
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

/* Whether the system's tzdata is there; the tests of its rules are
 * skipped (and say so) on a machine without it. */
static const char *tz_dir(void)
{
    const char *dir = getenv("TZDIR");
    return dir && *dir ? dir : "/usr/share/zoneinfo";
}

static int have_tzdata(void)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/zone.tab", tz_dir());
    if (access(path, R_OK) == 0)
        return 1;
    print_message("no tzdata in %s: skipped\n", tz_dir());
    return 0;
}

/* Rules changed after 2022, which the ICU of Debian 12 does not know. */
static void test_rules_since_2022(void **state)
{
    if (!have_tzdata())
        skip();
    /* Mexico ended summer time on 30 October 2022. */
    expect_utc("MEX", "2022-07-15T12:00", "2022-07-15T17:00Z");
    expect_utc("MEX", "2023-07-15T12:00", "2023-07-15T18:00Z");
    expect_utc("MEX", "2025-07-15T12:00", "2025-07-15T18:00Z");
    expect_utc("MXMEX", "2025-07-15T12:00", "2025-07-15T18:00Z");
    /* Kazakhstan: one zone, +05, from 1 March 2024; Almaty was +06. */
    expect_utc("ALA", "2023-07-01T12:00", "2023-07-01T06:00Z");
    expect_utc("ALA", "2024-07-01T12:00", "2024-07-01T07:00Z");
    /* Egypt: summer time again from April 2023 (also by country). */
    expect_utc("CAI", "2022-07-15T12:00", "2022-07-15T10:00Z");
    expect_utc("CAI", "2023-07-15T12:00", "2023-07-15T09:00Z");
    expect_utc("EGPSD", "2023-07-15T12:00", "2023-07-15T09:00Z");
    /* Nuuk: -03 with summer time -02 until 2023, then -02 with summer
     * time -01 from March 2024. */
    expect_utc("GOH", "2022-07-15T12:00", "2022-07-15T14:00Z");
    expect_utc("GOH", "2024-07-15T12:00", "2024-07-15T13:00Z");
    /* Fiji: no summer time since 2022 (+12 in January 2023). */
    expect_utc("NAN", "2023-01-10T12:00", "2023-01-10T00:00Z");
}

static void test_gaps_and_overlaps(void **state)
{
    /* London, 31 March 2019: 01:00-02:00 skipped, read as GMT. */
    expect_utc("LHR", "2019-03-31T00:59", "2019-03-31T00:59Z");
    expect_utc("LHR", "2019-03-31T01:30", "2019-03-31T01:30Z");
    expect_utc("LHR", "2019-03-31T02:00", "2019-03-31T01:00Z");
    /* 27 October 2019: 01:00-02:00 twice, the first (BST) taken. */
    expect_utc("LHR", "2019-10-27T00:59", "2019-10-26T23:59Z");
    expect_utc("LHR", "2019-10-27T01:30", "2019-10-27T00:30Z");
    expect_utc("LHR", "2019-10-27T02:00", "2019-10-27T02:00Z");
    /* Sydney: the gap in October, the overlap in April. */
    expect_utc("SYD", "2019-10-06T02:30", "2019-10-05T16:30Z");
    expect_utc("SYD", "2019-10-06T03:00", "2019-10-05T16:00Z");
    expect_utc("SYD", "2019-04-07T02:30", "2019-04-06T15:30Z");
    expect_utc("SYD", "2019-04-07T03:00", "2019-04-06T17:00Z");
    /* Santiago in January keeps summer time (-03). */
    expect_utc("SCL", "2019-01-15T12:00", "2019-01-15T15:00Z");
}

static void test_half_and_quarter_hours(void **state)
{
    expect_utc("DEL", "2019-06-01T12:00", "2019-06-01T06:30Z"); /* +05:30 */
    expect_utc("KTM", "2019-06-01T12:00", "2019-06-01T06:15Z"); /* +05:45 */
    expect_utc("ADL", "2019-01-15T12:00", "2019-01-15T01:30Z"); /* +10:30 */
    expect_utc("YYT", "2019-07-15T12:00", "2019-07-15T14:30Z"); /* -02:30 */
    /* Chatham Islands: +13:45 in summer; Lord Howe moves half an hour. */
    expect_utc("CHT", "2019-01-15T12:00", "2019-01-14T22:15Z");
    expect_utc("LDH", "2019-01-15T12:00", "2019-01-15T01:00Z");
    expect_utc("LDH", "2019-07-15T12:00", "2019-07-15T01:30Z");
}

/* TZif files made by hand, so that their rules are known facts. */
typedef struct tzif_spec {
    int version; /* 1 to 4 */
    size_t n;    /* transitions */
    const int64_t *at;
    const unsigned char *idx;
    size_t types;
    const int32_t *off;
    const char *footer; /* version 2 and later */
} tzif_spec;

static unsigned char *put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
    return p + 4;
}

static unsigned char *put_header(unsigned char *p, int version,
                                 const uint32_t counts[6])
{
    memcpy(p, "TZif", 4);
    p[4] = version == 1 ? 0 : (unsigned char)('0' + version);
    memset(p + 5, 0, 15);
    p += 20;
    for (int i = 0; i < 6; i++)
        p = put32(p, counts[i]);
    return p;
}

/* Types then one abbreviation, "ZZZ", that all of them use. */
static unsigned char *put_types(unsigned char *p, const tzif_spec *s)
{
    for (size_t i = 0; i < s->types; i++) {
        p = put32(p, (uint32_t)s->off[i]);
        *p++ = 0;
        *p++ = 0;
    }
    memcpy(p, "ZZZ", 4);
    return p + 4;
}

/* The file of s in buf; its length. Version 2 and later files carry
 * a minimal version 1 block, as slim files do. */
static size_t make_tzif(const tzif_spec *s, unsigned char *buf)
{
    uint32_t counts[6] = {0, 0, 0, (uint32_t)s->n, (uint32_t)s->types, 4};
    int tlen = s->version == 1 ? 4 : 8;
    unsigned char *p = buf;
    if (s->version > 1) {
        const uint32_t v1[6] = {0, 0, 0, 0, 1, 4};
        const tzif_spec one = {.types = 1, .off = s->off};
        p = put_types(put_header(p, 1, v1), &one);
        buf[4] = (unsigned char)('0' + s->version);
    }
    p = put_header(p, s->version, counts);
    for (size_t i = 0; i < s->n; i++) {
        if (tlen == 8)
            p = put32(p, (uint32_t)((uint64_t)s->at[i] >> 32));
        p = put32(p, (uint32_t)s->at[i]);
    }
    if (s->n)
        memcpy(p, s->idx, s->n);
    p = put_types(p + s->n, s);
    if (s->version > 1)
        p += sprintf((char *)p, "\n%s\n", s->footer ? s->footer : "");
    return (size_t)(p - buf);
}

static tz_zone *parse_spec(const tzif_spec *s)
{
    unsigned char buf[4096];
    return tz_zone_parse(buf, make_tzif(s, buf));
}

static int64_t secs_of(const char *iso)
{
    int y, mo, d, h, mi;
    assert_int_equal(sscanf(iso, "%d-%d-%dT%d:%d", &y, &mo, &d, &h, &mi), 5);
    return tz_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60;
}

/* local (as "YYYY-MM-DDTHH:MM") in z is the UTC instant utc. */
static void expect_zone(const tz_zone *z, const char *local, const char *utc)
{
    int64_t got = tz_zone_local_to_utc(z, secs_of(local));
    if (got != secs_of(utc))
        fail_msg("%s: %lld s off %s", local, (long long)(got - secs_of(utc)),
                 utc);
}

static tz_zone *rule_zone(int version, int32_t off, const char *footer)
{
    const tzif_spec s = {version, 0, NULL, NULL, 1, &off, footer};
    return parse_spec(&s);
}

/* Far dates go by the footer: M rules, northern and southern. */
static void test_footer_month_rules(void **state)
{
    tz_zone *z = rule_zone(2, -18000, "EST5EDT,M3.2.0,M11.1.0");
    assert_non_null(z);
    expect_zone(z, "2100-01-15T12:00", "2100-01-15T17:00");
    expect_zone(z, "2100-07-04T12:00", "2100-07-04T16:00");
    expect_zone(z, "2100-03-14T02:30", "2100-03-14T07:30"); /* skipped */
    expect_zone(z, "2100-03-14T03:00", "2100-03-14T07:00");
    expect_zone(z, "2100-11-07T01:30", "2100-11-07T05:30"); /* twice */
    expect_zone(z, "2100-11-07T02:00", "2100-11-07T07:00");
    expect_zone(z, "9999-07-01T12:00", "9999-07-01T16:00");
    expect_zone(z, "0001-07-01T12:00", "0001-07-01T16:00");
    assert_int_equal(tz_zone_offset(z, secs_of("2100-07-01T00:00")), -14400);
    free(z);

    z = rule_zone(2, 36000, "AEST-10AEDT,M10.1.0,M4.1.0/3");
    assert_non_null(z);
    expect_zone(z, "2100-07-01T12:00", "2100-07-01T02:00");
    expect_zone(z, "2100-01-15T12:00", "2100-01-15T01:00");
    expect_zone(z, "2100-10-03T02:30", "2100-10-02T16:30"); /* skipped */
    expect_zone(z, "2100-04-04T02:30", "2100-04-03T15:30"); /* twice */
    expect_zone(z, "2100-04-04T03:00", "2100-04-03T17:00");
    free(z);
}

/* Jn never counts February 29; a plain n counts it. */
static void test_footer_day_rules(void **state)
{
    tz_zone *z = rule_zone(2, 7200, "XST-2XDT,J60/0,J300/0");
    assert_non_null(z);
    expect_zone(z, "2024-02-29T00:30", "2024-02-28T22:30");
    expect_zone(z, "2024-03-01T00:30", "2024-02-29T22:30"); /* skipped */
    expect_zone(z, "2023-03-01T00:30", "2023-02-28T22:30");
    expect_zone(z, "2023-10-26T23:30", "2023-10-26T20:30"); /* twice */
    expect_zone(z, "2024-10-26T23:30", "2024-10-26T20:30");
    free(z);

    z = rule_zone(2, 7200, "XST-2XDT,59/0,299/0");
    assert_non_null(z);
    expect_zone(z, "2024-02-28T12:00", "2024-02-28T10:00");
    expect_zone(z, "2024-02-29T00:30", "2024-02-28T22:30"); /* skipped */
    expect_zone(z, "2024-02-29T12:00", "2024-02-29T09:00");
    expect_zone(z, "2023-03-01T00:30", "2023-02-28T22:30");
    expect_zone(z, "2024-10-25T23:30", "2024-10-25T20:30"); /* twice */
    expect_zone(z, "2024-10-26T23:30", "2024-10-26T21:30");
    free(z);
}

/* Version 3 allows change times below 0 and beyond 24 hours. */
static void test_footer_version3_times(void **state)
{
    const char *rule = "AAA0BBB,M3.5.0/-1,M10.5.0/25";
    tz_zone *z = rule_zone(3, 0, rule);
    assert_non_null(z);
    /* Saturday 30 March 2030, 23:00: the hour to midnight is skipped. */
    expect_zone(z, "2030-03-30T22:30", "2030-03-30T22:30");
    expect_zone(z, "2030-03-30T23:30", "2030-03-30T23:30");
    expect_zone(z, "2030-03-31T00:30", "2030-03-30T23:30");
    /* Monday 28 October 2030, 01:00 summer time: midnight to 01:00
     * twice. */
    expect_zone(z, "2030-10-28T00:30", "2030-10-27T23:30");
    expect_zone(z, "2030-10-28T01:30", "2030-10-28T01:30");
    free(z);

    z = rule_zone(4, 0, rule);
    assert_non_null(z);
    free(z);
    assert_null(rule_zone(2, 0, rule));
    assert_null(rule_zone(3, 0, "AAA0BBB,M3.5.0/168,M10.5.0"));
    z = rule_zone(3, 0, "AAA0BBB,M3.5.0/167,M10.5.0/-167");
    assert_non_null(z);
    free(z);
}

/* A table of transitions, then the footer from the last one on. */
static void test_table_then_footer(void **state)
{
    const int64_t at[] = {946684800}; /* 2000-01-01T00:00Z */
    const unsigned char idx[] = {1};
    const int32_t off[] = {1800, -18000};
    tzif_spec s = {2, 1, at, idx, 2, off, "EST5EDT,M3.2.0,M11.1.0"};
    tz_zone *z = parse_spec(&s);
    assert_non_null(z);
    expect_zone(z, "1999-06-01T12:00", "1999-06-01T11:30");
    /* Clocks went back 5.5 hours: 19:00-00:30 came twice. */
    expect_zone(z, "2000-01-01T00:00", "1999-12-31T23:30");
    expect_zone(z, "2000-01-01T01:00", "2000-01-01T06:00");
    expect_zone(z, "2000-07-01T12:00", "2000-07-01T16:00");
    expect_zone(z, "2100-03-14T02:30", "2100-03-14T07:30");
    free(z);

    /* The footer must agree with the last transition's type. */
    s.footer = "CST6CDT,M3.2.0,M11.1.0";
    assert_null(parse_spec(&s));
    /* Empty: the last type goes on. */
    s.footer = "";
    z = parse_spec(&s);
    assert_non_null(z);
    expect_zone(z, "2100-07-01T12:00", "2100-07-01T17:00");
    free(z);

    /* Version 1: 32-bit times, no footer. */
    s.version = 1;
    z = parse_spec(&s);
    assert_non_null(z);
    expect_zone(z, "1999-06-01T12:00", "1999-06-01T11:30");
    expect_zone(z, "2100-07-01T12:00", "2100-07-01T17:00");
    free(z);
}

/* Where the fields of the version 2 header and data of a file made by
 * make_tzif lie: v1 part 54 bytes, then 44 of header. */
#define V2_COUNTS 74 /* isutcnt; timecnt at +12, typecnt +16 */
#define V2_DATA 98

static int parses_patched(const tzif_spec *s, size_t at, int byte)
{
    unsigned char buf[4096];
    size_t n = make_tzif(s, buf);
    assert_true(at < n);
    buf[at] = (unsigned char)byte;
    tz_zone *z = tz_zone_parse(buf, n);
    free(z);
    return z != NULL;
}

static void test_tzif_malformed(void **state)
{
    const int64_t at[] = {946684800, 962409600}; /* 2000-01-01, 07-01 */
    const unsigned char idx[] = {1, 0};
    const int32_t off[] = {-18000, -14400};
    const tzif_spec s = {2, 2, at, idx, 2, off, "EST5"};
    unsigned char buf[4096];
    size_t n = make_tzif(&s, buf);
    tz_zone *z = tz_zone_parse(buf, n);
    assert_non_null(z);
    free(z);

    assert_null(tz_zone_parse(NULL, 0));
    assert_null(tz_zone_parse(buf, 0));
    assert_false(parses_patched(&s, 0, 'X'));             /* magic */
    assert_false(parses_patched(&s, 4, '1'));             /* version */
    assert_false(parses_patched(&s, 54 + 4, '3'));        /* versions differ */
    assert_false(parses_patched(&s, V2_COUNTS + 11, 1));  /* leap seconds */
    assert_false(parses_patched(&s, V2_COUNTS + 15, 3));  /* timecnt */
    assert_false(parses_patched(&s, V2_COUNTS + 13, 1));  /* > TZ_TIMES_MAX */
    assert_false(parses_patched(&s, V2_COUNTS + 19, 0));  /* no types */
    assert_false(parses_patched(&s, V2_COUNTS + 3, 1));   /* isutcnt */
    assert_false(parses_patched(&s, V2_DATA + 8 + 4, 0)); /* not ascending */
    assert_false(parses_patched(&s, V2_DATA + 16, 2));    /* type index */
    assert_false(parses_patched(&s, V2_DATA + 18 + 1, 0x7f)); /* offset */
    assert_false(parses_patched(&s, V2_DATA + 18 + 4, 2));    /* isdst */
    assert_false(parses_patched(&s, V2_DATA + 18 + 5, 4));    /* abbr. */
    assert_false(parses_patched(&s, V2_DATA + 30 + 3, 'Z'));  /* no NUL */
    assert_false(parses_patched(&s, n - 1, 'x'));             /* footer's end */
    assert_false(parses_patched(&s, n - 5, '\n'));            /* footer */
    assert_false(parses_patched(&s, n - 2, '9'));             /* disagrees */

    /* Bytes after the footer, and a footer without its newlines. */
    buf[n] = '\n';
    assert_null(tz_zone_parse(buf, n + 1));
    assert_null(tz_zone_parse(buf, n - 1));
    /* Summer time without a rule, and malformed strings. */
    const char *bad[] = {"EST5EDT",       "ES5",
                         "EST",           "<E>5",
                         "EST25",         "EST5EDT,M13.1.0,M1.1.0",
                         "EST5EDT,J0,J1", "EST5EDT,M3.2.0",
                         "EST5EDT,366,0", "EST5 "};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        tz_rule r;
        if (tz_rule_parse(bad[i], strlen(bad[i]), 3, &r))
            fail_msg("accepted %s", bad[i]);
    }
    /* Changes closer together than the offsets they move. */
    const int64_t close_at[] = {946684800, 946685400};
    const int32_t far_off[] = {0, 36000};
    const unsigned char close_idx[] = {1, 0};
    const tzif_spec close = {2, 2, close_at, close_idx, 2, far_off, ""};
    assert_null(parse_spec(&close));
}

/* A real zone file from the system's tzdata; NULL without it. */
static unsigned char *real_file(const char *zone, size_t *n)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", tz_dir(), zone);
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    unsigned char *buf = malloc(TZ_FILE_MAX);
    assert_non_null(buf);
    *n = fread(buf, 1, TZ_FILE_MAX, f);
    fclose(f);
    return buf;
}

/* Uses what parsed, as the conversion would. */
static void exercise(const tz_zone *z)
{
    for (int64_t t = -4000000000LL; t < 8000000000LL; t += 500000000)
        (void)tz_zone_local_to_utc(z, t);
    (void)tz_zone_offset(z, 1700000000);
    (void)tz_zone_digest(z, 631152000, 2208988800LL);
}

/* Every shorter copy of a real file is refused; copies with one byte
 * changed are refused or read, never crash. */
static void test_tzif_truncated_and_corrupted(void **state)
{
    const char *zones[] = {"Europe/Berlin", "America/Sao_Paulo",
                           "Australia/Lord_Howe", "Asia/Tehran",
                           "America/Nuuk"};
    if (!have_tzdata())
        skip();
    for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++) {
        size_t n = 0;
        unsigned char *buf = real_file(zones[i], &n);
        assert_non_null(buf);
        tz_zone *z = tz_zone_parse(buf, n);
        assert_non_null(z);
        exercise(z);
        free(z);
        for (size_t len = 0; len < n; len++)
            assert_null(tz_zone_parse(buf, len));
        for (size_t at = 0; at < n; at++) {
            static const unsigned char flips[] = {0x01, 0x80, 0xff};
            for (size_t k = 0; k < sizeof flips; k++) {
                buf[at] ^= flips[k];
                z = tz_zone_parse(buf, n);
                if (z)
                    exercise(z);
                free(z);
                buf[at] ^= flips[k];
            }
        }
        free(buf);
    }
}

/* Every zone that tzdata's zone.tab names is read by the strict
 * reader (none falls back to ICU for breaking a limit). */
static void test_every_zone_reads(void **state)
{
    static char text[1 << 20]; /* names must outlive the cache */
    char path[4096];
    size_t zones = 0;
    if (!have_tzdata())
        skip();
    snprintf(path, sizeof path, "%s/zone.tab", tz_dir());
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';

    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        char *zone = strchr(line, '\t');
        zone = zone ? strchr(zone + 1, '\t') : NULL;
        if (line[0] == '#' || !zone)
            continue;
        zone++;
        zone[strcspn(zone, "\t")] = '\0';
        if (!tz_db_zone(zone))
            fail_msg("%s not read", zone);
        zones++;
    }
    assert_true(zones > 300);
}

/* Where the rules did not change after 2022, tzdata and ICU agree: the
 * airports of the table, six instants each from 2010 to 2021. A newer
 * tzdata may correct the history of a zone or two, no more. */
static void test_tzdata_agrees_with_icu(void **state)
{
    char path[4096], line[256], code[8], zone[64], differ[4][64];
    const char *src = getenv("PW_SOURCE_DIR");
    unsigned seed = 12345;
    size_t compared = 0, icu_only = 0, n_differ = 0;
    if (!have_tzdata())
        skip();
    snprintf(path, sizeof path, "%s/data/ports.tsv", src ? src : ".");
    FILE *f = fopen(path, "r");
    assert_non_null(f);

    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || sscanf(line, "%7s %63s", code, zone) != 2 ||
            strlen(code) != 3)
            continue;
        for (int k = 0; k < 6; k++) {
            char local[32], a[32], b[32];
            seed = seed * 1103515245u + 12345u;
            unsigned r = seed >> 4;
            snprintf(local, sizeof local, "%04u-%02u-%02uT%02u:%02u",
                     2010 + r % 12, 1 + r / 12 % 12, 1 + r / 144 % 28,
                     r / 4032 % 24, r / 96768 % 4 * 15);
            int ra = pw_ports_time_to_utc_from(code, local, a, PW_PORTS_TZDATA);
            int rb = pw_ports_time_to_utc_from(code, local, b, PW_PORTS_ICU);
            icu_only += rb && !ra;
            compared += ra && rb;
            if (!ra || !rb || strcmp(a, b) == 0)
                continue;
            print_message("%s %s %s: tzdata %s, ICU %s\n", code, zone, local, a,
                          b);
            size_t i = 0;
            while (i < n_differ && strcmp(differ[i], zone) != 0)
                i++;
            assert_true(i < 3); /* a fourth zone that differs */
            if (i == n_differ)
                snprintf(differ[n_differ++], sizeof differ[0], "%s", zone);
        }
    }
    fclose(f);
    assert_true(compared > 50000);
    assert_true(icu_only < compared / 1000);
}

/* Before 1970, out of tzdata's scope, ICU answers: tzdata has zones
 * that agree since 1970 as one (Oslo with Berlin's older history). */
static void test_before_1970_by_icu(void **state)
{
    const char *ports[] = {"OSL", "ARN", "AMS", "KEF", "TNR", "ADD", "NAS"};
    unsigned seed = 7;
    for (size_t i = 0; i < sizeof ports / sizeof ports[0]; i++)
        for (int k = 0; k < 40; k++) {
            char local[32], any[32], icu[32];
            seed = seed * 1103515245u + 12345u;
            unsigned r = seed >> 4;
            snprintf(local, sizeof local, "%04u-%02u-%02uT12:00", 1900 + r % 70,
                     1 + r / 70 % 12, 1 + r / 840 % 28);
            assert_int_equal(pw_time_to_utc(ports[i], local, any), 1);
            assert_int_equal(
                pw_ports_time_to_utc_from(ports[i], local, icu, PW_PORTS_ICU),
                1);
            assert_string_equal(any, icu);
        }
    /* From 1970 on, tzdata. */
    char any[32], tz[32];
    assert_int_equal(pw_time_to_utc("OSL", "1970-07-01T12:00", any), 1);
    if (have_tzdata()) {
        assert_int_equal(pw_ports_time_to_utc_from("OSL", "1970-07-01T12:00",
                                                   tz, PW_PORTS_TZDATA),
                         1);
        assert_string_equal(any, tz);
    }
}

/* A process without tzdata, or with a broken copy, converts by ICU
 * (run before the parent has looked anything up: see run_in_child). */
static int icu_alone(void)
{
    char out[32];
    return pw_time_to_utc("SYD", "2013-06-21T09:00", out) &&
           strcmp(out, "2013-06-20T23:00Z") == 0 &&
           pw_time_to_utc("NLRTM", "2013-06-21T09:00", out) &&
           strcmp(out, "2013-06-21T07:00Z") == 0 &&
           pw_ports_time_to_utc_from("SYD", "2013-06-21T09:00", out,
                                     PW_PORTS_TZDATA) == 0;
}

static void test_without_tzdata(void **state)
{
    run_in_child_env("TZDIR", "/nonexistent/zoneinfo", icu_alone);

    char dir[] = "/tmp/pw-tz-XXXXXX", sub[64], path[80];
    assert_non_null(mkdtemp(dir));
    snprintf(sub, sizeof sub, "%s/Australia", dir);
    assert_int_equal(mkdir(sub, 0700), 0);
    snprintf(path, sizeof path, "%s/Sydney", sub);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("TZif2 not really", f);
    assert_int_equal(fclose(f), 0);
    run_in_child_env("TZDIR", dir, icu_alone);
    unlink(path);
    rmdir(sub);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_missing_table),
        cmocka_unit_test(test_without_tzdata),
        cmocka_unit_test(test_threads_first_reads),
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
        cmocka_unit_test(test_rules_since_2022),
        cmocka_unit_test(test_gaps_and_overlaps),
        cmocka_unit_test(test_half_and_quarter_hours),
        cmocka_unit_test(test_footer_month_rules),
        cmocka_unit_test(test_footer_day_rules),
        cmocka_unit_test(test_footer_version3_times),
        cmocka_unit_test(test_table_then_footer),
        cmocka_unit_test(test_tzif_malformed),
        cmocka_unit_test(test_tzif_truncated_and_corrupted),
        cmocka_unit_test(test_every_zone_reads),
        cmocka_unit_test(test_tzdata_agrees_with_icu),
        cmocka_unit_test(test_before_1970_by_icu),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

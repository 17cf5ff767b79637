/* Port time zones from data/ports.tsv, and the conversion of local
 * scheduled times (DTM 189/232 as sent) to UTC: by the system's tzdata
 * (tzif.c), else by ICU as before. */
#include "paxwatch/ports.h"

#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ucal.h>
#include <unicode/uenum.h>
#include <unicode/ustring.h>

#include "model/ports_int.h"
#include "model/tzif.h"

#ifndef PW_DATA_DIR
#define PW_DATA_DIR "data"
#endif

#define PORTS_FILE_MAX (8u << 20) /* bytes of ports.tsv read at most */
#define PORTS_ROWS_MAX 200000     /* rows of ports.tsv kept at most */
#define PORTS_PATH_MAX 4096
#define ZONE_MAX 64 /* longest IANA name is about 32 characters */
#define COUNTRIES (26 * 26)
#define ZONE_CACHE 64 /* codes remembered per thread; a power of 2 */
#define CAL_CACHE 256 /* calendars kept open per thread; a power of 2 */

/* Zones count as one clock when they agree from 1990 to 2040. */
#define SAME_FROM_MS 631152000000.0   /* 1990-01-01T00:00Z */
#define SAME_UNTIL_MS 2208988800000.0 /* 2040-01-01T00:00Z */
#define SAME_STEPS_MAX 1000           /* transitions walked at most */
#define GREGORIAN_ALWAYS (-8.64e15)   /* earliest date ICU accepts */

/* One line of ports.tsv; the strings point into the loaded text. */
typedef struct port_row {
    const char *code;
    const char *zone;
    const char *country; /* "" when the line has none */
} port_row;

static struct {
    char *text;
    port_row *rows;
    size_t n;
} ports;
static pthread_once_t ports_once = PTHREAD_ONCE_INIT;

/* Whether a country keeps one clock (by tzdata or ICU), on first use. */
enum { COUNTRY_UNSEEN, COUNTRY_ONE_ZONE, COUNTRY_MANY_ZONES };
static struct {
    int state;
    char zone[ZONE_MAX];
} countries[COUNTRIES];
static pthread_mutex_t countries_lock = PTHREAD_MUTEX_INITIALIZER;

static long file_size(FILE *f)
{
    if (fseek(f, 0, SEEK_END) != 0)
        return -1;
    long size = ftell(f);
    if (fseek(f, 0, SEEK_SET) != 0)
        return -1;
    return size;
}

/* The whole file as a string, or NULL when it is missing, unreadable
 * or over the size limit. */
static char *read_small_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    long size = file_size(f);
    char *text = size >= 0 && size <= (long)PORTS_FILE_MAX
                     ? malloc((size_t)size + 1)
                     : NULL;
    size_t n = text ? fread(text, 1, (size_t)size, f) : 0;
    int bad = !text || ferror(f) || n != (size_t)size;
    fclose(f);
    if (bad) {
        free(text);
        return NULL;
    }
    text[n] = '\0';
    return text;
}

static int is_code(const char *s)
{
    size_t n = strlen(s);
    if (n != 3 && n != 5)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!isupper((unsigned char)s[i]) && !isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

static int is_zone(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n >= ZONE_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && !strchr("/_+-", s[i]))
            return 0;
    return 1;
}

static int is_country(const char *s)
{
    return s[0] == '\0' || (strlen(s) == 2 && isupper((unsigned char)s[0]) &&
                            isupper((unsigned char)s[1]));
}

/* Splits one line in place into code, zone and optional country. A
 * line that does not fit is skipped: the data folder is trusted less
 * than the code, and one bad line should not hide the rest. */
static int parse_row(char *line, port_row *row)
{
    char *fields[3] = {line, NULL, ""};
    char *tab = strchr(line, '\t');
    if (!tab || line[0] == '#')
        return 0;
    *tab = '\0';
    fields[1] = tab + 1;
    tab = strchr(fields[1], '\t');
    if (tab) {
        *tab = '\0';
        fields[2] = tab + 1;
    }
    if (!is_code(fields[0]) || !is_zone(fields[1]) || !is_country(fields[2]))
        return 0;
    *row = (port_row){fields[0], fields[1], fields[2]};
    return 1;
}

static int row_cmp(const void *a, const void *b)
{
    const port_row *x = a, *y = b;
    int c = strcmp(x->code, y->code);
    return c ? c : strcmp(x->country, y->country);
}

/* The shipped table is sorted already; checking is a tenth of the
 * cost of sorting it again at every start. */
static int rows_sorted(const port_row *rows, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (row_cmp(&rows[i - 1], &rows[i]) > 0)
            return 0;
    return 1;
}

static size_t count_lines(const char *text)
{
    size_t n = 1;
    for (const char *p = strchr(text, '\n'); p; p = strchr(p + 1, '\n'))
        n++;
    return n < PORTS_ROWS_MAX ? n : PORTS_ROWS_MAX;
}

static void parse_rows(char *text, port_row *rows, size_t cap, size_t *n)
{
    char *save = NULL;
    for (char *line = strtok_r(text, "\r\n", &save); line && *n < cap;
         line = strtok_r(NULL, "\r\n", &save))
        *n += (size_t)parse_row(line, &rows[*n]);
}

static void load_ports(void)
{
    char path[PORTS_PATH_MAX];
    const char *dir = getenv("PAXWATCH_DATA");
    int len = snprintf(path, sizeof path, "%s/ports.tsv",
                       dir && *dir ? dir : PW_DATA_DIR);
    if (len < 0 || (size_t)len >= sizeof path)
        return;

    char *text = read_small_file(path);
    size_t cap = text ? count_lines(text) : 0;
    port_row *rows = cap ? malloc(cap * sizeof *rows) : NULL;
    if (!rows) {
        free(text);
        return;
    }

    size_t n = 0;
    parse_rows(text, rows, cap, &n);
    if (!rows_sorted(rows, n))
        qsort(rows, n, sizeof *rows, row_cmp);
    ports.text = text;
    ports.rows = rows;
    ports.n = n;
}

/* Index of the first row whose code is not below code. */
static size_t first_row(const char *code)
{
    size_t lo = 0, hi = ports.n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(ports.rows[mid].code, code) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The zone shared by every row of code (and of country, unless NULL);
 * NULL when there is none or they disagree. */
static const char *rows_zone(const char *code, const char *country)
{
    const char *zone = NULL;
    for (size_t i = first_row(code);
         i < ports.n && strcmp(ports.rows[i].code, code) == 0; i++) {
        const port_row *row = &ports.rows[i];
        if (country && strcmp(row->country, country) != 0)
            continue;
        if (zone && strcmp(zone, row->zone) != 0)
            return NULL;
        zone = row->zone;
    }
    return zone;
}

/* A digest of a zone's UTC offsets over the comparison window, so that
 * zones keeping the same clock (Berlin and Busingen) compare equal.
 * Returns 0 when ICU cannot open the zone. */
static uint64_t clock_digest(const UChar *id)
{
    UErrorCode st = U_ZERO_ERROR;
    UCalendar *cal = ucal_open(id, -1, "", UCAL_GREGORIAN, &st);
    uint64_t h = 1469598103934665603u;
    UDate t = SAME_FROM_MS;

    for (int i = 0; i < SAME_STEPS_MAX && U_SUCCESS(st) && t < SAME_UNTIL_MS;
         i++) {
        ucal_setMillis(cal, t, &st);
        int64_t off = (int64_t)ucal_get(cal, UCAL_ZONE_OFFSET, &st) +
                      ucal_get(cal, UCAL_DST_OFFSET, &st);
        h = (h ^ (uint64_t)(i ? (int64_t)t : 0)) * 1099511628211u;
        h = (h ^ (uint64_t)off) * 1099511628211u;
        if (!ucal_getTimeZoneTransitionDate(cal, UCAL_TZ_TRANSITION_NEXT, &t,
                                            &st))
            break;
    }
    ucal_close(cal);
    return U_SUCCESS(st) ? h | 1 : 0;
}

/* Adds one of a country's zones: fails when it keeps another clock
 * than those before it (digest *first); keeps the least name in zone. */
static int add_country_zone(const UChar *id, int32_t len, uint64_t *first,
                            char zone[ZONE_MAX])
{
    uint64_t d = clock_digest(id);
    if (d == 0 || (*first != 0 && d != *first) || len >= ZONE_MAX)
        return 0;
    *first = d;

    char name[ZONE_MAX];
    u_austrncpy(name, id, ZONE_MAX - 1);
    name[len] = '\0';
    if (zone[0] == '\0' || strcmp(name, zone) < 0)
        memcpy(zone, name, (size_t)len + 1);
    return 1;
}

/* Finds the country's zone: the first canonical zone by name when all
 * of them keep one clock. Returns 1 and fills zone, or 0. */
static int country_zone_from_icu(const char *country, char zone[ZONE_MAX])
{
    UErrorCode st = U_ZERO_ERROR;
    UEnumeration *ids = ucal_openTimeZoneIDEnumeration(
        UCAL_ZONE_TYPE_CANONICAL_LOCATION, country, NULL, &st);
    const UChar *id;
    int32_t len;
    uint64_t first = 0;
    int ok = U_SUCCESS(st);

    zone[0] = '\0';
    while (ok && (id = uenum_unext(ids, &len, &st)) != NULL)
        ok = add_country_zone(id, len, &first, zone);
    uenum_close(ids);
    return ok && U_SUCCESS(st) && zone[0] != '\0';
}

/* The country's one clock by tzdata's zone.tab, else by ICU (no
 * tzdata, or a zone of the country it cannot read). */
static int country_zone_find(const char *country, char zone[ZONE_MAX])
{
    const char *name;
    int rc = tz_db_country_zone(country, &name);
    if (rc < 0)
        return country_zone_from_icu(country, zone);
    if (rc == 0 || strlen(name) >= ZONE_MAX)
        return 0;
    memcpy(zone, name, strlen(name) + 1);
    return 1;
}

static const char *country_zone(const char *country)
{
    if (!isupper((unsigned char)country[0]) ||
        !isupper((unsigned char)country[1]))
        return NULL;
    size_t slot = (size_t)(country[0] - 'A') * 26 + (size_t)(country[1] - 'A');

    pthread_mutex_lock(&countries_lock);
    if (countries[slot].state == COUNTRY_UNSEEN)
        countries[slot].state = country_zone_find(country, countries[slot].zone)
                                    ? COUNTRY_ONE_ZONE
                                    : COUNTRY_MANY_ZONES;
    int one = countries[slot].state == COUNTRY_ONE_ZONE;
    pthread_mutex_unlock(&countries_lock);
    return one ? countries[slot].zone : NULL;
}

/* UN/LOCODE: the table first (hand-made seaports), then the country,
 * then the last three letters as an airport of the same country. */
static const char *locode_zone(const char *code)
{
    const char *zone = rows_zone(code, NULL);
    char country[3] = {code[0], code[1], '\0'};
    if (!zone)
        zone = country_zone(country);
    if (!zone)
        zone = rows_zone(code + 2, country);
    return zone;
}

static const char *zone_lookup(const char *key, size_t n)
{
    pthread_once(&ports_once, load_ports);
    if (ports.n == 0)
        return NULL;
    return n == 3 ? rows_zone(key, NULL) : locode_zone(key);
}

/* The last answers of this thread, by code: a movement names the same
 * few ports over and over, and the table search costs a dozen string
 * comparisons. The table never changes once read, so entries stay
 * true. */
typedef struct zone_slot {
    uint64_t code; /* the upper-case code packed, 0 when empty */
    const char *zone;
} zone_slot;
static _Thread_local zone_slot zone_cache[ZONE_CACHE];

static uint64_t pack_code(const char *key, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = v << 8 | (unsigned char)key[i];
    return v;
}

const char *pw_port_zone(const char *code)
{
    char key[6];
    size_t n = code ? strnlen(code, sizeof key) : 0;
    if (n != 3 && n != 5)
        return NULL;
    for (size_t i = 0; i <= n; i++)
        key[i] = (char)toupper((unsigned char)code[i]);
    if (!is_code(key))
        return NULL;

    uint64_t packed = pack_code(key, n);
    zone_slot *slot = &zone_cache[(packed * 0x9E3779B97F4A7C15u) >> 58];
    if (slot->code == packed)
        return slot->zone;
    const char *zone = zone_lookup(key, n);
    *slot = (zone_slot){packed, zone};
    return zone;
}

/* A local time as read from "YYYY-MM-DDTHH:MM". */
typedef struct local_time {
    int year, month, day, hour, minute;
} local_time;

static int digits(const char *s, int n, int *value)
{
    *value = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return 0;
        *value = *value * 10 + (s[i] - '0');
    }
    return 1;
}

static int days_in_month(int year, int month)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return days[month - 1] + (month == 2 && leap);
}

static int parse_local(const char *s, local_time *t)
{
    if (strnlen(s, 17) != 16 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
        s[13] != ':')
        return 0;
    if (!digits(s, 4, &t->year) || !digits(s + 5, 2, &t->month) ||
        !digits(s + 8, 2, &t->day) || !digits(s + 11, 2, &t->hour) ||
        !digits(s + 14, 2, &t->minute))
        return 0;
    return t->year >= 1 && t->month >= 1 && t->month <= 12 && t->day >= 1 &&
           t->day <= days_in_month(t->year, t->month) && t->hour <= 23 &&
           t->minute <= 59;
}

/* A calendar for zone set up for wall-clock conversion, or NULL when
 * ICU does not know the zone (ucal_open would fall back to GMT). */
static UCalendar *calendar_open(const char *zone)
{
    UChar id[ZONE_MAX];
    UChar canon[ZONE_MAX];
    UBool system = 0;
    UErrorCode st = U_ZERO_ERROR;

    u_uastrncpy(id, zone, ZONE_MAX - 1);
    id[ZONE_MAX - 1] = 0;
    ucal_getCanonicalTimeZoneID(id, -1, canon, ZONE_MAX, &system, &st);
    if (U_FAILURE(st) || !system)
        return NULL;

    UCalendar *cal = ucal_open(id, -1, "", UCAL_GREGORIAN, &st);
    ucal_setGregorianChange(cal, GREGORIAN_ALWAYS, &st);
    if (U_FAILURE(st)) {
        ucal_close(cal);
        return NULL;
    }
    ucal_setAttribute(cal, UCAL_REPEATED_WALL_TIME, UCAL_WALLTIME_FIRST);
    ucal_setAttribute(cal, UCAL_SKIPPED_WALL_TIME, UCAL_WALLTIME_LAST);
    return cal;
}

/* Calendars this thread has opened, by zone (zone names are static, so
 * the pointer is the key), in a table with linear probing. Opening one
 * costs about 10 us, using an open one well under 1. Freed when the
 * thread ends; emptied when full, which a few hundred zones never do. */
typedef struct cal_cache {
    const char *zone[CAL_CACHE];
    UCalendar *cal[CAL_CACHE]; /* NULL: the zone is unknown to ICU */
    unsigned n;
} cal_cache;

static pthread_key_t cal_key;
static int cal_key_ok;
static pthread_once_t cal_once = PTHREAD_ONCE_INIT;
static _Thread_local cal_cache *cal_mine;

static void cal_cache_empty(cal_cache *c)
{
    for (unsigned i = 0; i < CAL_CACHE; i++)
        if (c->cal[i])
            ucal_close(c->cal[i]);
    memset(c, 0, sizeof(*c));
}

static void cal_cache_free(void *p)
{
    cal_cache_empty(p);
    free(p);
    cal_mine = NULL;
}

static void cal_key_make(void)
{
    cal_key_ok = pthread_key_create(&cal_key, cal_cache_free) == 0;
}

/* This thread's cache, made on first use; NULL when out of memory. */
static cal_cache *cal_cache_get(void)
{
    if (cal_mine)
        return cal_mine;
    pthread_once(&cal_once, cal_key_make);
    if (!cal_key_ok)
        return NULL;
    cal_cache *c = calloc(1, sizeof(*c));
    if (c && pthread_setspecific(cal_key, c) != 0) {
        free(c);
        c = NULL;
    }
    cal_mine = c;
    return c;
}

/* The open calendar of zone, from the cache or newly opened; when there
 * is no cache, a calendar the caller must close (*owned set). */
static UCalendar *calendar_for(const char *zone, int *owned)
{
    cal_cache *c = cal_cache_get();
    *owned = c == NULL;
    if (!c)
        return calendar_open(zone);
    unsigned i = (unsigned)(((uintptr_t)zone * 0x9E3779B97F4A7C15u) >> 56);
    for (; c->zone[i % CAL_CACHE]; i++)
        if (c->zone[i % CAL_CACHE] == zone)
            return c->cal[i % CAL_CACHE];
    if (c->n >= CAL_CACHE / 2) {
        cal_cache_empty(c);
        return calendar_for(zone, owned);
    }
    c->n++;
    c->zone[i % CAL_CACHE] = zone;
    c->cal[i % CAL_CACHE] = calendar_open(zone);
    return c->cal[i % CAL_CACHE];
}

/* Milliseconds since 1970 UTC of local time t in zone; 0 on failure,
 * else 1 with *ms set. */
static int local_to_ms(const char *zone, const local_time *t, UDate *ms)
{
    UErrorCode st = U_ZERO_ERROR;
    int owned;
    UCalendar *cal = calendar_for(zone, &owned);

    if (!cal)
        return 0;
    ucal_clear(cal);
    ucal_setDateTime(cal, t->year, t->month - 1, t->day, t->hour, t->minute, 0,
                     &st);
    *ms = ucal_getMillis(cal, &st);
    if (owned)
        ucal_close(cal);
    return U_SUCCESS(st);
}

/* Writes v as n decimal digits at p. */
static void put_num(char *p, int v, int n)
{
    for (int i = n - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
}

/* Writes UTC instant secs as "YYYY-MM-DDTHH:MMZ", the seconds dropped
 * (rounded down: local mean time offsets before 1900 carry seconds).
 * Fails outside years 0001-9999. */
static int format_utc(int64_t secs, char out[32])
{
    int64_t minutes = secs / 60 - (secs % 60 < 0);
    int64_t days = minutes / 1440 - (minutes % 1440 < 0);
    int in_day = (int)(minutes - days * 1440);
    int64_t year;
    int month, day;

    tz_civil_from_days(days, &year, &month, &day);
    if (year < 1 || year > 9999)
        return 0;
    /* Digits by hand: snprintf was a tenth of the mapping's time. */
    put_num(out, (int)year, 4);
    out[4] = '-';
    put_num(out + 5, month, 2);
    out[7] = '-';
    put_num(out + 8, day, 2);
    out[10] = 'T';
    put_num(out + 11, in_day / 60, 2);
    out[13] = ':';
    put_num(out + 14, in_day % 60, 2);
    memcpy(out + 16, "Z", 2);
    return 1;
}

/* UTC seconds of local time t at zone by ICU; 0 when ICU cannot. */
static int icu_local_to_utc(const char *zone, const local_time *t,
                            int64_t *secs)
{
    UDate ms;
    if (!local_to_ms(zone, t, &ms))
        return 0;
    double s = ms / 1000.0;
    *secs = (int64_t)s - ((double)(int64_t)s > s);
    return 1;
}

static int64_t local_secs(const local_time *t)
{
    return tz_days_from_civil(t->year, t->month, t->day) * 86400 +
           t->hour * 3600 + t->minute * 60;
}

/* tzdata's scope is 1970 on: zones that agree since are one file in
 * it (Oslo keeps Berlin's older history), where ICU keeps them apart.
 * So older times go to ICU first, tzdata when ICU lacks the zone. */
#define TZDATA_FROM_YEAR 1970

static int zone_local_to_utc(const char *zone, const local_time *t, int source,
                             int64_t *secs)
{
    if (source == PW_PORTS_ANY && t->year < TZDATA_FROM_YEAR &&
        icu_local_to_utc(zone, t, secs))
        return 1;
    const tz_zone *tz = source == PW_PORTS_ICU ? NULL : tz_db_zone(zone);
    if (tz) {
        *secs = tz_zone_local_to_utc(tz, local_secs(t));
        return 1;
    }
    return source != PW_PORTS_TZDATA && icu_local_to_utc(zone, t, secs);
}

int pw_ports_time_to_utc_from(const char *port, const char *local_iso,
                              char out[32], int source)
{
    local_time t;
    int64_t secs;
    if (!out)
        return 0;
    out[0] = '\0';
    if (!local_iso || !parse_local(local_iso, &t))
        return 0;

    const char *zone = pw_port_zone(port);
    if (!zone || !zone_local_to_utc(zone, &t, source, &secs))
        return 0;
    if (!format_utc(secs, out)) {
        out[0] = '\0';
        return 0;
    }
    return 1;
}

int pw_time_to_utc(const char *port, const char *local_iso, char out[32])
{
    return pw_ports_time_to_utc_from(port, local_iso, out, PW_PORTS_ANY);
}

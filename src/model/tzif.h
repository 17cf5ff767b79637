/* Time-zone rules from TZif files (RFC 8536): the private interface
 * shared by tzif.c (the file), tzrule.c (its footer) and tzdb.c (the
 * files of the system's time-zone database, cached). */
#ifndef PW_MODEL_TZIF_H
#define PW_MODEL_TZIF_H

#include <stddef.h>
#include <stdint.h>

/* Limits on what a file controls. The largest file of tzdata 2025b
 * is under 4 KiB, with 310 transitions, 40 bytes of abbreviations and
 * a footer of 44 characters. */
#define TZ_FILE_MAX (64u << 10)
#define TZ_TIMES_MAX 4000
#define TZ_TYPES_MAX 256
#define TZ_CHARS_MAX 512
#define TZ_FOOTER_MAX 256
#define TZ_OFFSET_MAX 93599  /* +25:59:59, as RFC 8536 asks */
#define TZ_OFFSET_MIN -89999 /* -24:59:59 */

/* A day of the year in a POSIX TZ rule: 'J' (Jn, 1-365, February 29
 * never counted), 'D' (plain n, 0-365, counted) or 'M' (Mm.w.d: day d,
 * 0 Sunday, of week w, 5 the last, of month m). */
typedef struct tz_day {
    char kind;
    int m, w, d;  /* 'J' and 'D' use d only */
    int32_t secs; /* local time of the change, -167 h to +167 h */
} tz_day;

/* The footer's rule: offsets in seconds east of UTC. */
typedef struct tz_rule {
    int32_t std_off, dst_off;
    int has_dst;       /* 0: std_off all year */
    tz_day start, end; /* start in standard time, end in summer time */
} tz_rule;

/* One zone's rules, immutable once read; one allocation. */
typedef struct tz_zone {
    size_t n;           /* transitions */
    const int64_t *at;  /* UTC instants, strictly ascending */
    const int64_t *lat; /* at[i] + off[i]: local start, ascending */
    const int32_t *off; /* offset from at[i] on */
    int32_t off_before; /* offset before at[0] (time type 0) */
    int has_rule;       /* the footer governs instants from at[n-1] */
    tz_rule rule;
} tz_zone;

/* Reads a TZif file of version 1 to 4 held in p[0..n). Returns NULL
 * when it is malformed, holds leap seconds, breaks a limit above, has
 * clock changes closer together than the offsets they move, or when
 * out of memory. The caller frees the result with free(). */
tz_zone *tz_zone_parse(const unsigned char *p, size_t n);

/* Offset in seconds east of UTC in force at UTC instant utc. */
int32_t tz_zone_offset(const tz_zone *z, int64_t utc);

/* The UTC instant of local time local (seconds since 1970 as if UTC):
 * a repeated time gives the earlier instant, a skipped one is read
 * with the offset in force before the change. */
int64_t tz_zone_local_to_utc(const tz_zone *z, int64_t local);

/* A digest of the offsets in force over [from, until): equal for two
 * zones that keep the same clock then. */
uint64_t tz_zone_digest(const tz_zone *z, int64_t from, int64_t until);

/* Parses a POSIX TZ string s[0..n) as RFC 8536 allows in a footer of
 * the given version (3 and later: change times beyond 0-24 h and
 * negative). Returns 1 with *r set, 0 when it is malformed or names
 * summer time without a rule. */
int tz_rule_parse(const char *s, size_t n, int version, tz_rule *r);

/* A change of offset made by a rule. */
typedef struct tz_change {
    int64_t at;
    int32_t off;
} tz_change;

/* The changes of years y0 to y1 (at most 4 years, so out needs 8
 * entries) in order of time, each a real change of offset; *before is
 * the offset in force before the first. Returns how many. */
size_t tz_rule_changes(const tz_rule *r, int64_t y0, int64_t y1,
                       tz_change out[8], int32_t *before);

/* Offset in force at utc under rule r. */
int32_t tz_rule_offset(const tz_rule *r, int64_t utc);

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
int64_t tz_days_from_civil(int64_t y, int m, int d);
void tz_civil_from_days(int64_t days, int64_t *y, int *m, int *d);

/* The system's zone called name (an IANA name, as "Europe/Paris") from
 * $TZDIR or /usr/share/zoneinfo, read once per process and kept; NULL
 * when the file is missing, unreadable or malformed, or the cache is
 * full. name must live as long as the process. Thread-safe; a repeated
 * name costs a look in this thread's cache. */
const tz_zone *tz_db_zone(const char *name);

/* The one clock of country cc ("DE") by the database's zone.tab: the
 * least zone name when all the country's zones keep the same offsets
 * from 1990 to 2040. Returns 1 with *zone set (a string that lives
 * as long as the process), 0 when the country keeps several clocks or
 * is not listed, -1 when zone.tab or one of the zones cannot be read
 * (the caller asks another source). Thread-safe. */
int tz_db_country_zone(const char *cc, const char **zone);

#endif

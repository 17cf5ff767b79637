/* libFuzzer target for the TZif reader and the POSIX TZ rule of its
 * footer (src/model/tzif.c, tzrule.c). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "model/tzif.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define DAY INT64_C(86400)
#define SPAN (2 * DAY) /* more than any offset the reader accepts */

/* Local times from year 1 to 9999 (the range of pw_time_to_utc), each
 * converted within a day or so of itself. */
static void convert_some(const tz_zone *z)
{
    const int64_t from = tz_days_from_civil(1, 1, 1) * DAY;
    const int64_t until = tz_days_from_civil(9999, 12, 31) * DAY;
    for (int64_t t = from; t < until; t += INT64_C(97) * 86399 * 365) {
        int64_t u = tz_zone_local_to_utc(z, t);
        if (u < t - SPAN || u > t + SPAN)
            __builtin_trap();
        (void)tz_zone_offset(z, u);
    }
    for (size_t i = 0; i < z->n && i < 64; i++) {
        int64_t t = z->lat[i];
        for (int64_t d = -3600; d <= 3600; d += 1800) {
            int64_t u = tz_zone_local_to_utc(z, t + d);
            if (u < t + d - SPAN || u > t + d + SPAN)
                __builtin_trap();
        }
    }
    (void)tz_zone_digest(z, 631152000, INT64_C(2208988800));
}

/* The rule's changes come in order of time. */
static void check_rule(const char *s, size_t n)
{
    tz_rule r;
    if (!tz_rule_parse(s, n, 3, &r))
        return;
    tz_change ch[8];
    int32_t before;
    size_t k = tz_rule_changes(&r, 2020, 2023, ch, &before);
    for (size_t i = 1; i < k; i++)
        if (ch[i].at <= ch[i - 1].at)
            __builtin_trap();
    (void)tz_rule_offset(&r, 1700000000);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tz_zone *z = tz_zone_parse(data, size);
    if (z) {
        convert_some(z);
        free(z);
    }
    check_rule((const char *)data, size < 64 ? size : 64);
    return 0;
}

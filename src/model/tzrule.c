/* The POSIX TZ rule of a TZif footer: reading it, and the yearly
 * changes of offset it makes, for instants after a zone's last
 * transition. */
#include "model/tzif.h"

#define HOUR 3600
#define DAY 86400

typedef struct cursor {
    const char *p, *end;
} cursor;

static int peek(const cursor *c)
{
    return c->p < c->end ? (unsigned char)*c->p : -1;
}

static int is_alpha(int ch)
{
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z');
}

static int is_digit(int ch)
{
    return ch >= '0' && ch <= '9';
}

/* An abbreviation: three letters or more, or <...> of letters, digits
 * and signs. Only its form matters here; it is not kept. */
static int skip_name(cursor *c)
{
    size_t len = 0;
    if (peek(c) == '<') {
        c->p++;
        while (is_alpha(peek(c)) || is_digit(peek(c)) || peek(c) == '+' ||
               peek(c) == '-') {
            c->p++;
            len++;
        }
        if (peek(c) != '>')
            return 0;
        c->p++;
        return len >= 3;
    }
    while (is_alpha(peek(c))) {
        c->p++;
        len++;
    }
    return len >= 3;
}

/* Up to max_digits digits as a number no greater than max. */
static int read_num(cursor *c, int max_digits, int max, int *v)
{
    int k = 0;
    *v = 0;
    while (k < max_digits && is_digit(peek(c))) {
        *v = *v * 10 + (*c->p++ - '0');
        k++;
    }
    return k > 0 && *v <= max;
}

/* [+-]h[h][:mm[:ss]] as seconds; signed only when allowed. */
static int read_hms(cursor *c, int max_hours, int signed_ok, int32_t *secs)
{
    int sign = 1, h, m = 0, s = 0;
    if (peek(c) == '+' || peek(c) == '-') {
        if (!signed_ok)
            return 0;
        sign = *c->p++ == '-' ? -1 : 1;
    }
    if (!read_num(c, 3, max_hours, &h))
        return 0;
    if (peek(c) == ':') {
        c->p++;
        if (!read_num(c, 2, 59, &m))
            return 0;
        if (peek(c) == ':') {
            c->p++;
            if (!read_num(c, 2, 59, &s))
                return 0;
        }
    }
    *secs = sign * (h * HOUR + m * 60 + s);
    return 1;
}

static int read_day(cursor *c, tz_day *day)
{
    day->m = day->w = 0;
    if (peek(c) == 'M') {
        c->p++;
        day->kind = 'M';
        if (!read_num(c, 2, 12, &day->m) || day->m < 1 || peek(c) != '.')
            return 0;
        c->p++;
        if (!read_num(c, 1, 5, &day->w) || day->w < 1 || peek(c) != '.')
            return 0;
        c->p++;
        return read_num(c, 1, 6, &day->d);
    }
    if (peek(c) == 'J') {
        c->p++;
        day->kind = 'J';
        return read_num(c, 3, 365, &day->d) && day->d >= 1;
    }
    day->kind = 'D';
    return read_num(c, 3, 365, &day->d);
}

/* ,date[/time]: version 3 allows times of -167 h to 167 h. */
static int read_change(cursor *c, int version, tz_day *day)
{
    if (peek(c) != ',')
        return 0;
    c->p++;
    if (!read_day(c, day))
        return 0;
    day->secs = 2 * HOUR;
    if (peek(c) != '/')
        return 1;
    c->p++;
    return version >= 3 ? read_hms(c, 167, 1, &day->secs)
                        : read_hms(c, 24, 0, &day->secs);
}

int tz_rule_parse(const char *s, size_t n, int version, tz_rule *r)
{
    cursor c = {s, s + n};
    int32_t secs;

    *r = (tz_rule){0};
    /* POSIX offsets count hours west of Greenwich. */
    if (!skip_name(&c) || !read_hms(&c, 24, 1, &secs))
        return 0;
    r->std_off = -secs;
    if (peek(&c) == -1)
        return 1;

    if (!skip_name(&c))
        return 0;
    r->dst_off = r->std_off + HOUR;
    if (peek(&c) != ',') {
        if (!read_hms(&c, 24, 1, &secs))
            return 0;
        r->dst_off = -secs;
    }
    /* Summer time without a rule would leave its dates to guesswork. */
    if (!read_change(&c, version, &r->start) ||
        !read_change(&c, version, &r->end) || peek(&c) != -1)
        return 0;
    r->has_dst = 1;
    return 1;
}

static int is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int64_t y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return days[m - 1] + (m == 2 && is_leap(y));
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return q - ((a % b != 0) && ((a < 0) != (b < 0)));
}

int64_t tz_days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = floor_div(y, 400);
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void tz_civil_from_days(int64_t days, int64_t *y, int *m, int *d)
{
    days += 719468;
    int64_t era = floor_div(days, 146097);
    int64_t doe = days - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

/* Days since 1970 of the rule's day in year y. */
static int64_t rule_day(const tz_day *day, int64_t y)
{
    int64_t jan1 = tz_days_from_civil(y, 1, 1);
    if (day->kind == 'J')
        return jan1 + day->d - 1 + (is_leap(y) && day->d >= 60);
    if (day->kind == 'D')
        return jan1 + day->d;

    int64_t first = tz_days_from_civil(y, day->m, 1);
    int64_t wday = ((first + 4) % 7 + 7) % 7; /* 1970-01-01: Thursday */
    int64_t mday = (day->d - wday + 7) % 7 + 7 * (day->w - 1);
    while (mday >= month_days(y, day->m))
        mday -= 7; /* week 5: the last such day of the month */
    return first + mday;
}

/* Orders by time, then by year and start before end, so that of two
 * changes at one instant the later year's, or a year's end, holds. */
static int change_after(const tz_change *a, int ka, const tz_change *b, int kb)
{
    return a->at > b->at || (a->at == b->at && ka > kb);
}

static size_t sorted_changes(const tz_rule *r, int64_t y0, int64_t y1,
                             tz_change out[8])
{
    int key[8];
    size_t n = 0;
    for (int64_t y = y0; y <= y1 && n + 2 <= 8; y++) {
        out[n] = (tz_change){rule_day(&r->start, y) * DAY + r->start.secs -
                                 r->std_off,
                             r->dst_off};
        key[n] = (int)(y - y0) * 2;
        n++;
        out[n] = (tz_change){
            rule_day(&r->end, y) * DAY + r->end.secs - r->dst_off, r->std_off};
        key[n] = (int)(y - y0) * 2 + 1;
        n++;
    }
    for (size_t i = 1; i < n; i++)
        for (size_t j = i;
             j > 0 && change_after(&out[j - 1], key[j - 1], &out[j], key[j]);
             j--) {
            tz_change t = out[j];
            int k = key[j];
            out[j] = out[j - 1];
            key[j] = key[j - 1];
            out[j - 1] = t;
            key[j - 1] = k;
        }
    return n;
}

size_t tz_rule_changes(const tz_rule *r, int64_t y0, int64_t y1,
                       tz_change out[8], int32_t *before)
{
    tz_change all[8];
    size_t n = r->has_dst ? sorted_changes(r, y0, y1, all) : 0, k = 0;

    *before = r->std_off;
    if (n == 0)
        return 0;
    *before = all[0].off == r->dst_off ? r->std_off : r->dst_off;
    int32_t cur = *before;
    for (size_t i = 0; i < n; i++) {
        /* Of changes at one instant only the last holds. */
        if (i + 1 < n && all[i + 1].at == all[i].at)
            continue;
        if (all[i].off == cur)
            continue;
        out[k++] = all[i];
        cur = all[i].off;
    }
    return k;
}

int32_t tz_rule_offset(const tz_rule *r, int64_t utc)
{
    if (!r->has_dst)
        return r->std_off;
    int64_t y;
    int m, d;
    tz_civil_from_days(floor_div(utc + r->std_off, DAY), &y, &m, &d);

    tz_change ch[8];
    int32_t off;
    size_t n = tz_rule_changes(r, y - 1, y + 1, ch, &off);
    for (size_t i = 0; i < n && ch[i].at <= utc; i++)
        off = ch[i].off;
    return off;
}

/* EDIFACT date and time values (DTM 2380 in formats 101, 102, 201, 203,
 * 204) as ISO 8601, with the century rules for two-digit years. */
#include <stdint.h>
#include <string.h>

#include "messages/paxlst_int.h"

static int digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

static int num(const char *s, size_t n)
{
    int v = 0;

    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

static int days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30,
                                 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

    return m == 2 && leap ? 29 : days[m - 1];
}

/* The layout of one format: whether the year has a century and how many
 * time digits follow the date. */
typedef struct layout {
    int century; /* 1: CCYY, 0: YY */
    int time;    /* 0, 4 (HHMM) or 6 (HHMMSS) */
} layout;

static int layout_of(const char *fmt, size_t len, layout *l)
{
    if (!fmt) {
        /* No format sent: the length tells which one was meant. */
        static const char *by_len[15] = {
            [6] = "101", [8] = "102", [10] = "201", [12] = "203", [14] = "204"};
        if (len > 14 || !by_len[len])
            return 0;
        fmt = by_len[len];
    }
    /* 2379: 101 YYMMDD, 102 CCYYMMDD, 201 YYMMDDHHMM, 203 CCYYMMDDHHMM,
     * 204 CCYYMMDDHHMMSS. */
    if (fmt[0] == '1' && fmt[1] == '0' && (fmt[2] == '1' || fmt[2] == '2') &&
        !fmt[3])
        *l = (layout){fmt[2] == '2', 0};
    else if (fmt[0] == '2' && fmt[1] == '0' &&
             (fmt[2] == '1' || fmt[2] == '3' || fmt[2] == '4') && !fmt[3])
        *l = (layout){fmt[2] != '1', fmt[2] == '4' ? 6 : 4};
    else
        return 0;
    return len == (size_t)(l->century ? 8 : 6) + (size_t)l->time;
}

long pw_msgs_date_ref(const char *ref)
{
    if (!ref || strnlen(ref, 11) != 10 || ref[4] != '-' || ref[7] != '-' ||
        !digits(ref, 4) || !digits(ref + 5, 2) || !digits(ref + 8, 2))
        return -1;
    return (long)num(ref, 4) * 10000 + num(ref + 5, 2) * 100 + num(ref + 8, 2);
}

/* ref is the reference date as pw_msgs_date_ref gives it. */
static int pick_century(int yy, int mm, int dd, pw_msgs_date_kind kind,
                        long ref)
{
    if (kind != PW_DATE_BIRTH || ref < 0)
        return yy < 70 ? 2000 + yy : 1900 + yy;
    /* A person cannot be born after the message was sent. Month and day
     * come from two digits each, so as numbers they order as the text
     * "YYYY-MM-DD" does. */
    return (2000L + yy) * 10000 + mm * 100 + dd > ref ? 1900 + yy : 2000 + yy;
}

static int valid_time(const char *t, int n)
{
    if (n == 0)
        return 1;
    if (num(t, 2) > 24 || num(t + 2, 2) > 59)
        return 0;
    return n < 6 || num(t + 4, 2) <= 60;
}

/* Day 00, or month and day 00, stand for an unknown part of a birth
 * date: the result is then the partial date "YYYY-MM" or "YYYY". The
 * digits are copied as sent: v holds the year (yl digits, 2 or 4),
 * then month and day. Returns the length written, 0 when the date is
 * not valid. */
static inline size_t write_date(const char *v, int yl, int y, int mo, int d,
                                pw_msgs_date_kind kind, char out[32])
{
    int partial = kind == PW_DATE_BIRTH && d == 0 && mo <= 12;
    char *p = out;

    if (!partial && (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo)))
        return 0;
    if (yl == 2) {
        memcpy(p, y >= 2000 ? "20" : "19", 2);
        p += 2;
    }
    memcpy(p, v, (size_t)yl);
    p += yl;
    if (mo) {
        *p++ = '-';
        memcpy(p, v + yl, 2);
        p += 2;
    }
    if (d) {
        *p++ = '-';
        memcpy(p, v + yl + 2, 2);
        p += 2;
    }
    *p = '\0';
    return (size_t)(p - out);
}

/* Appends "THH:MM" or "THH:MM:SS" to the date in out. */
static void write_time(const char *t, int n, char out[32])
{
    char *p = out + 10;

    *p++ = 'T';
    for (int i = 0; i < n; i += 2) {
        if (i)
            *p++ = ':';
        *p++ = t[i];
        *p++ = t[i + 1];
    }
    *p = '\0';
}

/* 1 when the n (at most 8) bytes at v are all digits: eight bytes
 * tested at once, as every traveller has two dates. */
static int digits8(const char *v, size_t n)
{
    uint64_t w = 0x3030303030303030u;

    memcpy(&w, v, n);
    return (w & 0xF0F0F0F0F0F0F0F0u) == 0x3030303030303030u &&
           ((w + 0x0606060606060606u) & 0xF0F0F0F0F0F0F0F0u) ==
               0x3030303030303030u;
}

static int two(const char *s)
{
    return (s[0] - '0') * 10 + (s[1] - '0');
}

/* YYMMDD (p 2) or CCYYMMDD (p 4) without time, as pw_msgs_date_n reads
 * them, in straight-line code: birth and expiry dates of every
 * traveller come this way. */
static inline size_t date_only(const char *v, int p, pw_msgs_date_kind kind,
                               long ref, char out[32])
{
    int mo, d, y;

    if (!digits8(v, (size_t)p + 4))
        return 0;
    mo = two(v + p);
    d = two(v + p + 2);
    y = p == 4 ? two(v) * 100 + two(v + 2)
               : pick_century(two(v), mo, d, kind, ref);
    return write_date(v, p, y, mo, d, kind, out);
}

/* Every other layout, with a time or without a format that fits. */
static __attribute__((noinline)) size_t date_general(const char *v, size_t len,
                                                     const char *fmt,
                                                     pw_msgs_date_kind kind,
                                                     long ref, char out[32])
{
    layout l;
    int y, mo, d, p;
    size_t n;

    if (!len || !layout_of(fmt, len, &l) || !digits(v, len))
        return 0;
    p = l.century ? 4 : 2;
    mo = num(v + p, 2);
    d = num(v + p + 2, 2);
    y = l.century ? num(v, 4) : pick_century(num(v, 2), mo, d, kind, ref);
    n = write_date(v, p, y, mo, d, kind, out);
    if (!n || !l.time)
        return n;
    if (!valid_time(v + p + 4, l.time) || n != 10)
        return 0;
    write_time(v + p + 4, l.time, out);
    return n + (size_t)l.time * 3 / 2; /* "THH:MM" or "THH:MM:SS" */
}

size_t pw_msgs_date_n(const char *v, size_t len, const char *fmt,
                      pw_msgs_date_kind kind, long ref, char out[32])
{
    /* No format, 101 or 102: a date alone, by far the most common, read
     * apart so that it does not pay for the registers of the rest. */
    if ((len == 6 || len == 8) &&
        (!fmt || (fmt[0] == '1' && fmt[1] == '0' &&
                  fmt[2] == (len == 6 ? '1' : '2') && !fmt[3])))
        return len == 6 ? date_only(v, 2, kind, ref, out)
                        : date_only(v, 4, kind, ref, out);
    return date_general(v, len, fmt, kind, ref, out);
}

int pw_msgs_date(const char *v, const char *fmt, pw_msgs_date_kind kind,
                 const char *ref, char out[32])
{
    long r = ref && *ref ? pw_msgs_date_ref(ref) : -1;

    return pw_msgs_date_n(v, v ? strlen(v) : 0, fmt, kind, r, out) != 0;
}

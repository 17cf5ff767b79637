/* Helpers of the PNRGOV mapping: values copied into the message arena,
 * arrays grown there, PNR date formats, the sensitive-text check. */
#include <stdalign.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "messages/bump.h"
#include "messages/pnrgov_int.h"

void pnr_warn(pnr_map *mp, const char *fmt, ...)
{
    char buf[300];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (pw_diags_add(&mp->m->diags, PW_WARNING, mp->seg->number,
                     mp->seg->offset, "%s %s", mp->seg->tag, buf) != PW_OK)
        mp->rc = PW_ERR_NOMEM;
}

char *pnr_str(pnr_map *mp, size_t n)
{
    char *p = pw_bump(&mp->m->arena, &mp->str, &mp->str_end, n);

    if (!p)
        mp->rc = PW_ERR_NOMEM;
    return p;
}

void pnr_copy_texts(pnr_map *mp, const pw_edi_message *em)
{
    const char *lo, *hi;
    char *copy;

    if (!pw_edi_text_span(mp->ix, em->first_segment, em->n_segments, &lo,
                          &hi) ||
        !lo)
        return;
    copy = pw_arena_alloc(&mp->m->arena, (size_t)(hi - lo));
    if (!copy) {
        mp->rc = PW_ERR_NOMEM;
        return;
    }
    memcpy(copy, lo, (size_t)(hi - lo));
    /* The run holds the line breaks between segments too; only the
     * tokenizer knows whether a value holds one. */
    mp->copy_breaks = pw_edi_values_have_breaks(mp->ix);
    mp->lo = lo;
    mp->hi = hi;
    mp->span = (size_t)(hi - lo);
    /* pnr_take's short way holds only for values without line breaks */
    mp->take_span = mp->copy_breaks ? 0 : mp->span;
    mp->copy = copy;
}

static int is_blank(char c)
{
    return c == ' ' || c == '\r' || c == '\n';
}

/* Line breaks inside a value come from senders that wrap long lines at
 * a fixed width, cutting words: joining the pieces restores them. The
 * copy never grows, so it may be made in place. */
static const char *trimmed_into(char *p, const char *s, size_t n)
{
    size_t k = 0;

    while (n && is_blank(*s)) {
        s++;
        n--;
    }
    while (n && is_blank(s[n - 1]))
        n--;
    if (!n)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (s[i] != '\r' && s[i] != '\n')
            p[k++] = s[i];
    p[k] = '\0';
    return p;
}

const char *pnr_trim(char *s, size_t n)
{
    return trimmed_into(s, s, n);
}

/* 1 when the n bytes of s (in the message's copy) hold no line break
 * and do not end in a blank: then trimming only skips leading spaces.
 * Most messages hold no line break in any value: then the bytes need
 * not be looked at one by one. */
static int clean(const pnr_map *mp, const char *s, size_t n)
{
    if (n && s[n - 1] == ' ')
        return 0;
    if (!mp->copy_breaks)
        return 1;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '\r' || s[i] == '\n')
            return 0;
    return 1;
}

/* Where s lies in the message's copy of its texts, when it is a whole
 * value there (NUL-terminated at n); else NULL. */
static const char *in_copy(const pnr_map *mp, const char *s, size_t n)
{
    uintptr_t a = (uintptr_t)s, lo = (uintptr_t)mp->lo;

    if (!mp->lo || a < lo || a >= (uintptr_t)mp->hi ||
        n >= (uintptr_t)mp->hi - a || s[n] != '\0')
        return NULL;
    return mp->copy + (a - lo);
}

/* s itself when it lies in the message's copy of its texts and is
 * NUL-terminated at n there (a value, or the end of one, taken from
 * the copy before); else NULL. */
static const char *of_copy(const pnr_map *mp, const char *s, size_t n)
{
    uintptr_t at = (uintptr_t)s - (uintptr_t)mp->copy;

    if (!mp->copy || at >= mp->span || n >= mp->span - at || s[n] != '\0')
        return NULL;
    return s;
}

const char *pnr_dup(pnr_map *mp, const char *s, size_t n)
{
    const char *t = in_copy(mp, s, n);
    char *p;

    if (!t)
        t = of_copy(mp, s, n);

    if (t && clean(mp, t, n)) {
        while (n && *t == ' ') {
            t++;
            n--;
        }
        return n ? t : NULL;
    }
    p = pnr_str(mp, n + 1);
    return p ? trimmed_into(p, s, n) : NULL;
}

char *pnr_mut(pnr_map *mp, const char *s, size_t n)
{
    const char *t = in_copy(mp, s, n);
    char *p;

    if (t)
        return (char *)t; /* the copy is the message's own */
    p = pnr_str(mp, n + 1);
    if (p)
        memcpy(p, s, n + 1);
    return p;
}

void pnr_wipe(pnr_map *mp)
{
    const pw_edi_segment *seg = mp->seg;

    for (uint32_t i = 0; i < seg->n_values; i++) {
        const pw_edi_value *v = &seg->values[i];
        char *t = (char *)in_copy(mp, v->text, v->len);
        if (t)
            memset(t, 0, v->len);
    }
}

void *pnr_alloc(pnr_map *mp, size_t n)
{
    const uintptr_t align = alignof(max_align_t) - 1;
    /* Room for the padding the region's current end needs; a fresh
     * piece is aligned and needs none. */
    size_t pad = (size_t)(-(uintptr_t)mp->str & align);
    char *p = pnr_str(mp, pad + n);

    return p ? p + (-(uintptr_t)p & align) : NULL;
}

int pnr_grow(pnr_map *mp, void **arr, size_t n, size_t *cap, size_t size)
{
    size_t nc = *cap ? *cap * 2 : 4;
    char *na = pnr_alloc(mp, nc * size);

    if (!na)
        return 0;
    if (n)
        memcpy(na, *arr, n * size);
    *arr = na;
    *cap = nc;
    return 1;
}

static int two(const char *s)
{
    return (s[0] - '0') * 10 + (s[1] - '0');
}

static int valid_day(int y, int m, int d)
{
    static const int days[12] = {31, 29, 31, 30, 31, 30,
                                 31, 31, 30, 31, 30, 31};

    if (m < 1 || m > 12 || d < 1 || d > days[m - 1])
        return 0;
    /* only 29 February asks whether the year is a leap year */
    return m != 2 || d < 29 || (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

void pnr_today_numbers(pnr_map *mp)
{
    mp->today_year = 2000 + two(mp->today + 2);
    mp->today_mmdd = two(mp->today + 5) * 100 + two(mp->today + 8);
}

static int year_of(pnr_map *mp, int yy, int m, int d, int birth)
{
    int ref_y = mp->today_year;
    int y = 2000 + yy;

    if (!birth)
        return yy < 70 ? 2000 + yy : 1900 + yy;
    /* A birth date is never after the day the message was sent. */
    if (y > ref_y || (y == ref_y && (m * 100 + d) > mp->today_mmdd))
        y -= 100;
    return y;
}

static int is_digit(char c)
{
    return (unsigned)(c - '0') < 10;
}

/* HHMM, or HHMMSS with the seconds dropped. Reads no byte past the
 * NUL: each test stops at the first that fails. */
static int valid_time(const char *t)
{
    if (!t || !is_digit(t[0]) || !is_digit(t[1]) || !is_digit(t[2]) ||
        !is_digit(t[3]) || two(t) >= 24 || two(t + 2) >= 60)
        return 0;
    return !t[4] || (is_digit(t[4]) && is_digit(t[5]) && !t[6]);
}

/* 1 when the four bytes of x are digits, tested at once: a byte below
 * '0' sets its top bit when '0' is taken away, one above '9' when 0x46
 * is added, one of 0x80 or more has it set already. A borrow from a
 * byte below '0' can only mark another byte of a word that fails. */
static int four_digits(const char *s)
{
    uint32_t x;

    memcpy(&x, s, 4);
    return !((x | (x + 0x46464646u) | (x - 0x30303030u)) & 0x80808080u);
}

/* valid_time for a value of known length: HHMM, four bytes and the
 * NUL after them, is tested a word at a time. */
static int valid_time_v(const pw_edi_value *t)
{
    if (!t || t->len != 4)
        return valid_time(t ? t->text : NULL);
    return four_digits(t->text) && two(t->text) < 24 && two(t->text + 2) < 60;
}

/* Exactly six digits, read without strlen. */
static int six_digits(const char *s)
{
    for (int i = 0; i < 6; i++)
        if (!is_digit(s[i]))
            return 0;
    return !s[6];
}

/* p (room for 17 bytes, its date in the first 10) ended with the
 * time hhmm when it is one (ok), else after the date. */
static const char *with_time(char *p, const char *hhmm, int ok)
{
    if (!ok) {
        p[10] = '\0';
        return p;
    }
    p[10] = 'T';
    memcpy(p + 11, hhmm, 2);
    p[13] = ':';
    memcpy(p + 14, hhmm + 2, 2);
    p[16] = '\0';
    return p;
}

/* The date is written by copying its digits as sent, the century put
 * before the year, without formatting numbers. */
static const char *date_checked(pnr_map *mp, const char *ddmmyy,
                                const char *hhmm, int time_ok)
{
    int d, m, yy;
    char *p;

    d = two(ddmmyy);
    m = two(ddmmyy + 2);
    yy = two(ddmmyy + 4);
    if (!valid_day(yy < 70 ? 2000 + yy : 1900 + yy, m, d))
        return NULL;
    p = pnr_str(mp, 17);
    if (!p)
        return NULL;
    p[0] = yy < 70 ? '2' : '1';
    p[1] = yy < 70 ? '0' : '9';
    memcpy(p + 2, ddmmyy + 4, 2);
    p[4] = '-';
    memcpy(p + 5, ddmmyy + 2, 2);
    p[7] = '-';
    memcpy(p + 8, ddmmyy, 2);
    return with_time(p, hhmm, time_ok);
}

const char *pnr_date(pnr_map *mp, const char *ddmmyy, const char *hhmm)
{
    if (!ddmmyy || !six_digits(ddmmyy))
        return NULL;
    return date_checked(mp, ddmmyy, hhmm, valid_time(hhmm));
}

/* A date of six bytes (and the NUL after them) is tested as two
 * overlapping words; any other length byte by byte, as pnr_date. */
const char *pnr_date_v(pnr_map *mp, const pw_edi_value *d,
                       const pw_edi_value *t)
{
    const char *s = d ? d->text : NULL;

    if (!d || d->len != 6)
        return pnr_date(mp, s, t ? t->text : NULL);
    if (!four_digits(s) || !four_digits(s + 2))
        return NULL;
    return date_checked(mp, s, t ? t->text : NULL, valid_time_v(t));
}

const char *pnr_date_on(pnr_map *mp, const char *iso, const pw_edi_value *t)
{
    char *p = pnr_str(mp, 17);

    if (!p)
        return NULL;
    memcpy(p, iso, 10);
    return with_time(p, t ? t->text : NULL, valid_time_v(t));
}

#define MONTH(a, b, c)                                                         \
    ((uint32_t)(a) << 16 | (uint32_t)(b) << 8 | (uint32_t)(c))

/* The month of three letters in either case, 0 when none. Clearing
 * bit 5 of each byte folds the case of letters and turns no other byte
 * into a letter, so the three bytes are folded at once; the multiplier
 * then puts each month in a slot of its own among 16 (a clash would be
 * an initialiser overwritten, which the compiler reports), and one
 * compare tells a month from anything else. */
#define MONTH_SLOT(k) ((uint32_t)((k)*0x1d21e1u) >> 28)
#define MONTH_AT(a, b, c, n) [MONTH_SLOT(MONTH(a, b, c))] = {MONTH(a, b, c), n}

static int month_of(const char *s)
{
    static const struct {
        uint32_t key;
        int month;
    } slots[16] = {
        MONTH_AT('J', 'A', 'N', 1),  MONTH_AT('F', 'E', 'B', 2),
        MONTH_AT('M', 'A', 'R', 3),  MONTH_AT('A', 'P', 'R', 4),
        MONTH_AT('M', 'A', 'Y', 5),  MONTH_AT('J', 'U', 'N', 6),
        MONTH_AT('J', 'U', 'L', 7),  MONTH_AT('A', 'U', 'G', 8),
        MONTH_AT('S', 'E', 'P', 9),  MONTH_AT('O', 'C', 'T', 10),
        MONTH_AT('N', 'O', 'V', 11), MONTH_AT('D', 'E', 'C', 12),
    };
    const unsigned char *u = (const unsigned char *)s;
    uint32_t k = MONTH(u[0], u[1], u[2]) & 0xDFDFDFu;
    unsigned slot = MONTH_SLOT(k);

    return slots[slot].key == k ? slots[slot].month : 0;
}

/* The ISO date of a checked DDMMMYY (n 7, y 1900 to 2099) or
 * DDMMMCCYY (n 9): the digits copied as sent, the century put before
 * a two-digit year; only the month is written from its number. */
static const char *ssr_iso(pnr_map *mp, const char *s, size_t n, int y, int m)
{
    char *p = pnr_str(mp, 17);

    if (!p)
        return NULL;
    if (n == 9) {
        memcpy(p, s + 5, 4);
    } else {
        p[0] = y >= 2000 ? '2' : '1';
        p[1] = y >= 2000 ? '0' : '9';
        memcpy(p + 2, s + 5, 2);
    }
    p[4] = '-';
    /* the month's two digits copied, not worked out by dividing */
    memcpy(p + 5, &"010203040506070809101112"[2 * (m - 1)], 2);
    p[7] = '-';
    memcpy(p + 8, s, 2);
    p[10] = '\0';
    return p;
}

/* Each DOCS has two of these dates: the n bytes, known to be there,
 * are tested once each, in a straight line. */
const char *pnr_ssr_date(pnr_map *mp, const char *s, size_t n, int birth)
{
    int d, m, y;

    if ((n != 7 && n != 9) || !is_digit(s[0]) || !is_digit(s[1]) ||
        !is_digit(s[5]) || !is_digit(s[6]))
        return NULL;
    d = two(s);
    m = month_of(s + 2);
    if (n == 9) {
        /* DDMMMCCYY, seen from some systems */
        if (!is_digit(s[7]) || !is_digit(s[8]))
            return NULL;
        y = two(s + 5) * 100 + two(s + 7);
    } else {
        y = year_of(mp, two(s + 5), m, d, birth);
    }
    if (!valid_day(y, m, d))
        return NULL;
    return ssr_iso(mp, s, n, y, m);
}

int pnr_sensitive_text(pnr_map *mp, const char *text)
{
    if (!text ||
        pw_sensitive_text(mp->filter, text, strlen(text)) == PW_SENS_NONE)
        return 0;
    mp->m->sensitive_dropped++;
    return 1;
}

/* References are compared as numbers where they are numbers, since
 * senders write "2", "02" and "002" for the same traveller. */
static int same_ref(const char *a, const char *b)
{
    while (*a == '0' && a[1])
        a++;
    while (*b == '0' && b[1])
        b++;
    /* byte by byte: references are one to three bytes */
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

int pnr_traveller_by_ref(const pnr_map *mp, const char *ref)
{
    const pw_booking *b = mp->b;

    if (!b || !ref)
        return -1;
    for (size_t i = 0; i < b->n_travellers; i++) {
        const char *r = b->travellers[i].passenger_ref;
        if (r && same_ref(r, ref))
            return (int)i;
    }
    return -1;
}

static int same_str(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

int pnr_seat_repeats(const pnr_map *mp, const pw_seat *s)
{
    const pw_booking *b = mp->b;

    /* the numbers first: most earlier seats are another traveller's
     * or on another flight, and then the text need not be compared */
    for (size_t i = 0; i + 1 < b->n_seats; i++) {
        const pw_seat *o = &b->seats[i];
        if (o->traveller == s->traveller && o->flight == s->flight &&
            same_str(o->seat, s->seat))
            return 1;
    }
    return 0;
}

const char *pnr_cat(pnr_map *mp, const char *a, const char *sep, const char *b)
{
    size_t na = a ? strlen(a) : 0, ns = strlen(sep), nb = b ? strlen(b) : 0;
    char *p = pnr_str(mp, na + ns + nb + 1);

    if (!p)
        return NULL;
    memcpy(p, a ? a : "", na);
    memcpy(p + na, sep, ns);
    memcpy(p + na + ns, b ? b : "", nb);
    p[na + ns + nb] = '\0';
    return p;
}

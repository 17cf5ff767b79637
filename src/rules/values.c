/* Values of the rule language: dates and times, case-insensitive text,
 * and the list of problems a compilation reports. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rules_int.h"

/* Days since 1970-01-01 of a proleptic Gregorian date. */
int64_t rl_days_from_civil(int y, unsigned m, unsigned d)
{
    int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int digits(const char *s, size_t n, int *out)
{
    int v = 0;

    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 1;
}

static int days_in_month(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

    return m == 2 && leap ? 29 : dm[m - 1];
}

/* HH:MM[:SS][Z] after the T of a date-time. */
static int parse_clock(const char *s, size_t n, int64_t *secs)
{
    int h, mi, se = 0;

    if (n && s[n - 1] == 'Z')
        n--;
    if ((n != 5 && n != 8) || s[2] != ':' || !digits(s, 2, &h) ||
        !digits(s + 3, 2, &mi))
        return 0;
    if (n == 8 && (s[5] != ':' || !digits(s + 6, 2, &se)))
        return 0;
    if (h > 23 || mi > 59 || se > 59)
        return 0;
    *secs = (int64_t)h * 3600 + mi * 60 + se;
    return 1;
}

/* A full ISO 8601 date or date-time (partial dates such as "1972" are
 * not times and give 0). Times without a zone are taken as UTC. */
int rl_parse_time(const char *s, size_t n, int64_t *t, int *date_only)
{
    int y, m, d;
    int64_t secs = 0;

    if (n < 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4, &y) ||
        !digits(s + 5, 2, &m) || !digits(s + 8, 2, &d))
        return 0;
    if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return 0;
    if (n > 10 &&
        ((s[10] != 'T' && s[10] != ' ') || !parse_clock(s + 11, n - 11, &secs)))
        return 0;
    *date_only = n == 10;
    *t = rl_days_from_civil(y, (unsigned)m, (unsigned)d) * 86400 + secs;
    return 1;
}

static char up(char c)
{
    return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

/* ASCII letters only: other bytes (UTF-8 sequences) stay as they are. */
void rl_fold(char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        s[i] = up(s[i]);
}

/* Compares a subject's text a with a folded constant b. */
int rl_text_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    size_t n = an < bn ? an : bn;

    for (size_t i = 0; i < n; i++) {
        unsigned char x = (unsigned char)up(a[i]);
        unsigned char y = (unsigned char)b[i];
        if (x != y)
            return x < y ? -1 : 1;
    }
    return an < bn ? -1 : an > bn;
}

int rl_text_contains(const char *h, size_t hn, const char *k, size_t kn)
{
    if (kn == 0)
        return 1;
    for (size_t i = 0; i + kn <= hn; i++)
        if (up(h[i]) == k[0] && !rl_text_cmp(h + i, kn, k, kn))
            return 1;
    return 0;
}

static size_t put_time(int64_t t, int date_only, char *buf, size_t cap)
{
    int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    int64_t secs = t - days * 86400;
    int64_t z = days + 719468, era, doe, yoe, doy, mp, y, m, d;

    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y = yoe + era * 400 + (m <= 2);
    if (date_only)
        return (size_t)snprintf(buf, cap, "%04lld-%02lld-%02lld", (long long)y,
                                (long long)m, (long long)d);
    return (size_t)snprintf(buf, cap, "%04lld-%02lld-%02lldT%02lld:%02lldZ",
                            (long long)y, (long long)m, (long long)d,
                            (long long)(secs / 3600),
                            (long long)(secs % 3600 / 60));
}

/* v as text an analyst reads, cut to cap - 1 bytes. */
size_t rl_value_text(const rl_value *v, char *buf, size_t cap)
{
    switch (v->type) {
    case VT_TEXT:
        return (size_t)snprintf(buf, cap, "%.*s", (int)v->len, v->s);
    case VT_NUMBER:
        return (size_t)snprintf(buf, cap, "%g", v->num);
    case VT_DATE:
        return put_time(v->t, v->t % 86400 == 0, buf, cap);
    case VT_DURATION:
        if (v->t % 86400 == 0)
            return (size_t)snprintf(buf, cap, "%lld days",
                                    (long long)(v->t / 86400));
        return (size_t)snprintf(buf, cap, "%.1f hours", v->t / 3600.0);
    case VT_BOOL:
        return (size_t)snprintf(buf, cap, "%s", v->num ? "true" : "false");
    }
    return (size_t)snprintf(buf, cap, "?");
}

pw_rc rl_problem(pw_rule_problems *p, pw_rule_problem_kind k, rl_pos pos,
                 const char *rule, const char *fmt, ...)
{
    pw_rule_problem *e;
    va_list ap;

    if (!p)
        return PW_OK;
    if (p->n >= PW_RULES_MAX_PROBLEMS) {
        p->n_dropped++;
        return PW_OK;
    }
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 8;
        pw_rule_problem *v = realloc(p->items, cap * sizeof(*v));
        if (!v)
            return PW_ERR_NOMEM;
        p->items = v;
        p->cap = cap;
    }
    e = &p->items[p->n++];
    memset(e, 0, sizeof(*e));
    e->kind = k;
    e->line = pos.line;
    e->column = pos.column;
    e->offset = pos.offset;
    snprintf(e->rule, sizeof(e->rule), "%s", rule ? rule : "");
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof(e->message), fmt, ap);
    va_end(ap);
    return PW_OK;
}

void pw_rule_problems_clear(pw_rule_problems *p)
{
    if (!p)
        return;
    free(p->items);
    memset(p, 0, sizeof(*p));
}

const char *pw_rule_problem_kind_name(pw_rule_problem_kind k)
{
    static const char *const names[] = {"unknown",
                                        "syntax",
                                        "unknown field",
                                        "type",
                                        "impossible",
                                        "regex",
                                        "protected characteristic",
                                        "discriminatory",
                                        "limit"};

    return (unsigned)k < sizeof(names) / sizeof(names[0]) ? names[k]
                                                          : "unknown";
}

const char *pw_rule_severity_name(pw_rule_severity s)
{
    static const char *const names[] = {"unknown", "low", "medium", "high",
                                        "critical"};

    return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s]
                                                          : "unknown";
}

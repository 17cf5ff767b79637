/* A strict reader of TZif files (RFC 8536, versions 1 to 4) and the
 * offset arithmetic on what it read. */
#include "model/tzif.h"

#include <stdlib.h>
#include <string.h>

#define HEADER_LEN 44
#define TIME_LIMIT ((int64_t)1 << 61) /* zic's earliest is -2^59 */
#define YEAR_SECS INT64_C(31556952)   /* mean Gregorian year */

/* The counts of a header, in the order of the file. */
typedef struct tzif_header {
    int version; /* 1 to 4 */
    uint32_t isut, isstd, leap, time, type, chars;
} tzif_header;

typedef struct reader {
    const unsigned char *p;
    size_t n, pos;
} reader;

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           p[3];
}

static int64_t be64(const unsigned char *p)
{
    return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

static int read_header(reader *r, tzif_header *h)
{
    if (r->n - r->pos < HEADER_LEN || memcmp(r->p + r->pos, "TZif", 4) != 0)
        return 0;
    const unsigned char *p = r->p + r->pos;
    h->version = p[4] == 0 ? 1 : p[4] - '0';
    if (h->version < 1 || h->version > 4 || (p[4] != 0 && p[4] < '2'))
        return 0;
    uint32_t *counts[] = {&h->isut, &h->isstd, &h->leap,
                          &h->time, &h->type,  &h->chars};
    for (int i = 0; i < 6; i++)
        *counts[i] = be32(p + 20 + 4 * i);
    r->pos += HEADER_LEN;

    /* Leap seconds (the right/ variants) would shift every instant;
     * such a file is left to the fallback. */
    return h->leap == 0 && h->time <= TZ_TIMES_MAX && h->type >= 1 &&
           h->type <= TZ_TYPES_MAX && h->chars >= 1 &&
           h->chars <= TZ_CHARS_MAX && (h->isut == 0 || h->isut == h->type) &&
           (h->isstd == 0 || h->isstd == h->type);
}

/* Bytes of the data block after a header, times of tlen bytes. */
static size_t block_len(const tzif_header *h, size_t tlen)
{
    return h->time * (tlen + 1) + h->type * 6 + h->chars + h->isstd + h->isut;
}

/* Types: offset within bounds, isdst 0 or 1, an abbreviation that
 * ends inside the table. */
static int check_types(const unsigned char *types, const tzif_header *h)
{
    const unsigned char *chars = types + h->type * 6;
    for (uint32_t i = 0; i < h->type; i++) {
        const unsigned char *t = types + i * 6;
        int32_t off = (int32_t)be32(t);
        if (off < TZ_OFFSET_MIN || off > TZ_OFFSET_MAX || t[4] > 1 ||
            t[5] >= h->chars || !memchr(chars + t[5], 0, h->chars - t[5]))
            return 0;
    }
    return 1;
}

/* isstd and isut indicators: 0 or 1, and universal only when standard. */
static int check_flags(const unsigned char *std, const unsigned char *ut,
                       const tzif_header *h)
{
    for (uint32_t i = 0; i < h->type; i++) {
        int s = h->isstd ? std[i] : 0, u = h->isut ? ut[i] : 0;
        if (s > 1 || u > 1 || (u && !s))
            return 0;
    }
    return 1;
}

/* Real zones change their clock months apart; closer changes, where a
 * local time could fall in three intervals, are refused, so that the
 * search of tz_zone_local_to_utc need look at two only. */
static int check_spacing(const tz_zone *z)
{
    for (size_t i = 1; i < z->n; i++) {
        int32_t before2 = i >= 2 ? z->off[i - 2] : z->off_before;
        if (z->lat[i] <= z->lat[i - 1] || z->at[i - 1] + before2 > z->lat[i])
            return 0;
    }
    return 1;
}

static tz_zone *zone_alloc(size_t n)
{
    size_t bytes =
        sizeof(tz_zone) + n * (2 * sizeof(int64_t) + sizeof(int32_t));
    tz_zone *z = calloc(1, bytes);
    if (!z)
        return NULL;
    int64_t *at = (int64_t *)(z + 1);
    z->n = n;
    z->at = at;
    z->lat = at + n;
    z->off = (int32_t *)(at + 2 * n);
    return z;
}

/* Fills z's transitions from the block's times, indices and types. */
static int fill_times(tz_zone *z, const unsigned char *b, size_t tlen,
                      const tzif_header *h)
{
    const unsigned char *idx = b + h->time * tlen, *types = idx + h->time;
    int64_t *at = (int64_t *)z->at, *lat = (int64_t *)z->lat;
    int32_t *off = (int32_t *)z->off;

    z->off_before = (int32_t)be32(types);
    for (size_t i = 0; i < h->time; i++) {
        at[i] = tlen == 8 ? be64(b + i * 8) : (int32_t)be32(b + i * 4);
        if (idx[i] >= h->type || at[i] < -TIME_LIMIT || at[i] > TIME_LIMIT ||
            (i > 0 && at[i] <= at[i - 1]))
            return 0;
        off[i] = (int32_t)be32(types + idx[i] * 6);
        lat[i] = at[i] + off[i];
    }
    return 1;
}

/* Reads the data block after header h, times tlen bytes long. */
static tz_zone *read_block(reader *r, const tzif_header *h, size_t tlen)
{
    if (r->n - r->pos < block_len(h, tlen))
        return NULL;
    const unsigned char *b = r->p + r->pos;
    const unsigned char *types = b + h->time * (tlen + 1);
    const unsigned char *std = types + h->type * 6 + h->chars;
    r->pos += block_len(h, tlen);
    if (!check_types(types, h) || !check_flags(std, std + h->isstd, h))
        return NULL;

    tz_zone *z = zone_alloc(h->time);
    if (z && (!fill_times(z, b, tlen, h) || !check_spacing(z))) {
        free(z);
        return NULL;
    }
    return z;
}

/* The footer of version 2 and later: newline, TZ string, newline, and
 * nothing after it. It must agree with the last transition. */
static int read_footer(reader *r, int version, tz_zone *z)
{
    size_t left = r->n - r->pos;
    const unsigned char *f = r->p + r->pos;
    if (left < 2 || left - 2 > TZ_FOOTER_MAX || f[0] != '\n' ||
        f[left - 1] != '\n' || memchr(f + 1, '\n', left - 2) ||
        memchr(f + 1, '\0', left - 2))
        return 0;
    if (left == 2)
        return 1; /* empty: the last type goes on */
    if (!tz_rule_parse((const char *)f + 1, left - 2, version, &z->rule))
        return 0;
    z->has_rule = 1;
    if (z->n == 0) {
        z->off_before = z->rule.std_off;
        return 1;
    }
    return tz_rule_offset(&z->rule, z->at[z->n - 1]) == z->off[z->n - 1];
}

tz_zone *tz_zone_parse(const unsigned char *p, size_t n)
{
    reader r = {p, n, 0};
    tzif_header h, h2;

    if (!p || n > TZ_FILE_MAX || !read_header(&r, &h))
        return NULL;
    if (h.version == 1) {
        tz_zone *z = read_block(&r, &h, 4);
        if (z && r.pos != r.n) {
            free(z);
            return NULL;
        }
        return z;
    }

    /* Version 2 and later: skip the 32-bit data, use the 64-bit. */
    if (r.n - r.pos < block_len(&h, 4))
        return NULL;
    r.pos += block_len(&h, 4);
    if (!read_header(&r, &h2) || h2.version != h.version)
        return NULL;
    tz_zone *z = read_block(&r, &h2, 8);
    if (z && !read_footer(&r, h2.version, z)) {
        free(z);
        return NULL;
    }
    return z;
}

/* Whether the footer rather than the table answers for utc. */
static int rule_governs(const tz_zone *z, int64_t utc)
{
    return z->has_rule && (z->n == 0 || utc >= z->at[z->n - 1]);
}

/* Number of entries of v[0..n) not above x (v ascending). */
static size_t count_upto(const int64_t *v, size_t n, int64_t x)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] <= x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int32_t tz_zone_offset(const tz_zone *z, int64_t utc)
{
    if (rule_governs(z, utc))
        return tz_rule_offset(&z->rule, utc);
    size_t k = count_upto(z->at, z->n, utc);
    return k ? z->off[k - 1] : z->off_before;
}

/* Local to UTC over intervals: i is the last interval that starts (in
 * local time) at or before local. Only interval i-1 can also hold it
 * (clocks went back: the earlier instant wins). If i does not hold it,
 * local is skipped and i's offset is the one before the change. */
static int64_t intervals_local(const int64_t *at, const int64_t *lat,
                               const int32_t *off, size_t n, int32_t before,
                               int64_t local)
{
    size_t k = count_upto(lat, n, local);
    if (k == 0)
        return local - before;
    int32_t prev = k >= 2 ? off[k - 2] : before;
    if (local < at[k - 1] + prev)
        return local - prev;
    return local - off[k - 1];
}

/* Beyond the table, under a rule with summer time: the last transition
 * and the rule's changes around local's year make a short table. */
static int64_t rule_local(const tz_zone *z, int64_t local)
{
    int64_t at[9], lat[9], y;
    int32_t off[9], before;
    int m, d;
    size_t n = 0;
    tz_change ch[8];

    tz_civil_from_days(local / 86400 - (local % 86400 < 0), &y, &m, &d);
    size_t k = tz_rule_changes(&z->rule, y - 1, y + 1, ch, &before);
    if (z->n > 0) {
        before = z->n >= 2 ? z->off[z->n - 2] : z->off_before;
        at[0] = z->at[z->n - 1];
        off[0] = z->off[z->n - 1];
        n = 1;
    }
    for (size_t i = 0; i < k; i++) {
        int32_t cur = n ? off[n - 1] : before;
        if ((n && ch[i].at <= at[n - 1]) || ch[i].off == cur)
            continue;
        at[n] = ch[i].at;
        off[n] = ch[i].off;
        n++;
    }
    for (size_t i = 0; i < n; i++)
        lat[i] = at[i] + off[i];
    return intervals_local(at, lat, off, n, before, local);
}

int64_t tz_zone_local_to_utc(const tz_zone *z, int64_t local)
{
    if (z->has_rule && z->rule.has_dst &&
        (z->n == 0 || local >= z->lat[z->n - 1]))
        return rule_local(z, local);
    return intervals_local(z->at, z->lat, z->off, z->n, z->off_before, local);
}

static uint64_t mix(uint64_t h, int64_t v)
{
    for (int i = 0; i < 8; i++)
        h = (h ^ (uint8_t)((uint64_t)v >> (8 * i))) * 1099511628211u;
    return h;
}

/* The rule's changes from the end of the table to until. */
static uint64_t digest_rule(const tz_zone *z, int64_t from, int64_t until,
                            int32_t *cur, uint64_t h)
{
    int64_t start = z->n ? z->at[z->n - 1] : from, y, y1;
    int m, d;
    if (start < from)
        start = from;
    tz_civil_from_days(start / 86400 - (start % 86400 < 0), &y, &m, &d);
    tz_civil_from_days(until / 86400 - (until % 86400 < 0), &y1, &m, &d);
    for (; y <= y1; y++) {
        tz_change ch[8];
        int32_t before;
        size_t k = tz_rule_changes(&z->rule, y, y, ch, &before);
        for (size_t i = 0; i < k; i++)
            if (ch[i].at > start && ch[i].at < until && ch[i].off != *cur) {
                h = mix(mix(h, ch[i].at), ch[i].off);
                *cur = ch[i].off;
            }
    }
    return h;
}

uint64_t tz_zone_digest(const tz_zone *z, int64_t from, int64_t until)
{
    int32_t cur = tz_zone_offset(z, from);
    uint64_t h = mix(1469598103934665603u, cur);

    for (size_t i = count_upto(z->at, z->n, from); i < z->n; i++) {
        if (z->at[i] >= until)
            return h;
        if (z->off[i] != cur) {
            h = mix(mix(h, z->at[i]), z->off[i]);
            cur = z->off[i];
        }
    }
    if (z->has_rule && z->rule.has_dst && until - from < 200 * YEAR_SECS)
        h = digest_rule(z, from, until, &cur, h);
    return h;
}

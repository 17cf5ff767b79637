/* Synthetic PNRGOV traffic for the benchmarks: seeded, repeatable
 * interchanges of many PNRs each, drawing names from gen_names.h. */
#ifndef PW_BENCH_GEN_PNR_H
#define PW_BENCH_GEN_PNR_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen_names.h"

/* A growing byte buffer; failed is sticky on allocation failure. */
typedef struct gp_buf {
    char *p;
    size_t len, cap;
    int failed;
} gp_buf;

/* Interchanges one after another in buf; interchange i is
 * buf.p[off[i] .. off[i+1]). */
typedef struct gp_traffic {
    gp_buf buf;
    size_t *off;
    size_t n, cap_off;
    uint64_t pnrs, travellers, sensitive;
} gp_traffic;

typedef struct gp_opts {
    uint64_t seed;
    size_t bytes;    /* stop once this much is written */
    unsigned per_ix; /* PNRs per message, on average */
} gp_opts;

typedef struct gp_rng {
    uint64_t s[4];
} gp_rng;

static inline uint64_t gp_rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

/* xoshiro256** seeded by splitmix64, as in gen.h. */
static inline void gp_seed(gp_rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++) {
        uint64_t z = (seed += 0x9E3779B97F4A7C15u);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
        r->s[i] = z ^ (z >> 31);
    }
}

static inline uint64_t gp_next(gp_rng *r)
{
    uint64_t *s = r->s, out = gp_rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = gp_rotl(s[3], 45);
    return out;
}

/* Uniform in [0, n). */
static inline unsigned gp_below(gp_rng *r, unsigned n)
{
    return n ? (unsigned)(gp_next(r) % n) : 0;
}

/* 1 with probability permille / 1000. */
static inline int gp_chance(gp_rng *r, unsigned permille)
{
    return gp_below(r, 1000) < permille;
}

static inline void gp_put(gp_buf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 1 << 16;
        char *p;
        while (cap < b->len + n + 1)
            cap *= 2;
        p = realloc(b->p, cap);
        if (!p) {
            b->failed = 1;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static inline void gp_printf(gp_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static inline void gp_printf(gp_buf *b, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    if (n > 0)
        gp_put(b, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

/* A name with EDIFACT release characters before ' + : ? and '*'. */
static inline void gp_name(gp_buf *b, const char *s)
{
    for (; *s; s++) {
        if (strchr("'+:?*", *s))
            gp_put(b, "?", 1);
        gp_put(b, s, 1);
    }
}

static inline const gen_culture *gp_culture(gp_rng *r)
{
    unsigned total = 0, pick;

    for (unsigned i = 0; i < GEN_N(gen_cultures); i++)
        total += gen_cultures[i].weight;
    pick = gp_below(r, total);
    for (unsigned i = 0; i < GEN_N(gen_cultures); i++) {
        if (pick < gen_cultures[i].weight)
            return &gen_cultures[i];
        pick -= gen_cultures[i].weight;
    }
    return &gen_cultures[0];
}

static inline const char *gp_pick(gp_rng *r, const char *const *a, unsigned n)
{
    return a[gp_below(r, n)];
}

#define GP_PICK(r, a) gp_pick(r, a, GEN_N(a))

static const char *const gp_months[] = {"JAN", "FEB", "MAR", "APR",
                                        "MAY", "JUN", "JUL", "AUG",
                                        "SEP", "OCT", "NOV", "DEC"};
/* Half not sensitive, half on the built-in filter list. */
static const char *const gp_ssrs[] = {"VGML", "CHML", "BBML", "MOML",
                                      "KSML", "WCHR", "BLND", "DEAF"};
static const char *const gp_cards[] = {"VI", "CA", "AX", "DC", "TP"};
static const char *const gp_currencies[] = {"GBP", "USD", "EUR", "AED",
                                            "CNY", "INR", "TRY", "BRL"};

/* One traveller of the booking being written. */
typedef struct gp_person {
    const gen_culture *c;
    const char *surname, *given, *country;
    int female, year, month, day;
} gp_person;

static inline void gp_person_make(gp_rng *r, const gen_culture *c,
                                  const char *surname, gp_person *p)
{
    const gen_name *g;

    p->c = c;
    p->female = (int)gp_below(r, 2);
    g = p->female ? &c->female[gp_below(r, c->n_female)]
                  : &c->male[gp_below(r, c->n_male)];
    p->surname =
        surname ? surname : c->surnames[gp_below(r, c->n_surnames)].ascii;
    p->given = gp_chance(r, c->single_name) ? NULL : g->ascii;
    p->country = c->countries[gp_below(r, c->n_countries)];
    p->year = 1940 + (int)gp_below(r, 80);
    p->month = 1 + (int)gp_below(r, 12);
    p->day = 1 + (int)gp_below(r, 28);
}

/* TIF, FTI, SSR DOCS, TKT, MON, FOP and the payer of one traveller. */
static inline void gp_traveller(gp_rng *r, gp_buf *b, const gp_person *p,
                                unsigned n, const char *cc)
{
    const char *title = p->female ? "MRS" : "MR";

    gp_put(b, "TIF+", 4);
    gp_name(b, p->surname);
    gp_put(b, "+", 1);
    gp_name(b, p->given ? p->given : "");
    gp_printf(b, "%s:A:%u'\n", title, n);
    if (gp_chance(r, 300))
        gp_printf(b, "FTI+%s:%010llu:::%s'\n", cc,
                  (unsigned long long)(gp_next(r) % 10000000000u),
                  gp_chance(r, 300) ? "GOLD" : "SILVER");
    gp_printf(b,
              "SSR+DOCS:HK::%s:::::/P/%s/%c%08u/%s/%02d%s%02d/%c/"
              "%02d%s%02d/",
              cc, p->country, 'A' + gp_below(r, 26), gp_below(r, 100000000),
              p->country, p->day, gp_months[p->month - 1], p->year % 100,
              p->female ? 'F' : 'M', 1 + gp_below(r, 28),
              gp_months[gp_below(r, 12)], 27 + gp_below(r, 8));
    gp_name(b, p->surname);
    gp_put(b, "/", 1);
    gp_name(b, p->given ? p->given : "");
    gp_put(b, "'\n", 2);
    gp_printf(b, "TKT+%013llu:T:1'\nMON+T:%u.%02u:%s'\n",
              (unsigned long long)(gp_next(r) % 10000000000000u),
              80 + gp_below(r, 3000), gp_below(r, 100),
              GP_PICK(r, gp_currencies));
    if (gp_chance(r, 700))
        gp_printf(b, "FOP+CC:::%s:XXXXXXXXXXXX%04u:%02u%02u'\n",
                  GP_PICK(r, gp_cards), gp_below(r, 10000), 1 + gp_below(r, 12),
                  27 + gp_below(r, 5));
    else
        gp_put(b, "FOP+CA'\n", 8);
}

/* The itinerary: one to four flights, with seats for n travellers. */
static inline void gp_itinerary(gp_rng *r, gp_buf *b, const char *cc,
                                unsigned n, unsigned day)
{
    unsigned legs = 1 + gp_below(r, 4);
    const char *from = gen_airports[gp_below(r, GEN_N(gen_airports))].code;

    for (unsigned i = 0; i < legs; i++) {
        const char *to = gen_airports[gp_below(r, GEN_N(gen_airports))].code;
        unsigned h = gp_below(r, 20);

        gp_printf(b, "TVL+%02u0127:%02u%02u::%02u%02u+%s+%s+%s+%u:%c'\n",
                  day + i, h, gp_below(r, 60), h + 3, gp_below(r, 60), from, to,
                  cc, 1 + gp_below(r, 9999), 'A' + gp_below(r, 26));
        gp_printf(b, "RPI+%u+HK'\nAPD+%s'\n", n,
                  gp_chance(r, 500) ? "320" : "77W");
        gp_printf(b, "SSR+SEAT:HK:%u:%s:::%s:%s", n, cc, from, to);
        for (unsigned k = 0; k < n && k < 9; k++)
            gp_printf(b, "+%u%c::%u", 10 + i, 'A' + k, k + 1);
        gp_put(b, "'\n", 2);
        from = to;
    }
}

static inline void gp_contacts(gp_rng *r, gp_buf *b, const char *cc,
                               const gp_person *lead)
{
    gp_printf(b, "IFT+4:28::%s+CTCM %03u%09u'\n", cc, gp_below(r, 1000),
              gp_below(r, 1000000000));
    if (gp_chance(r, 600))
        gp_printf(b, "SSR+CTCE:HK:1:%s:::::%s.%u//EXAMPLE.COM'\n", cc,
                  lead->c->surnames[0].ascii[0] == 'O' ? "MAIL" : "USER",
                  gp_below(r, 100000));
    if (gp_chance(r, 400))
        gp_printf(b, "ADD++700:%u %s:%s::%s:%s'\n", 1 + gp_below(r, 200),
                  GP_PICK(r, gen_streets),
                  gen_airports[gp_below(r, GEN_N(gen_airports))].city,
                  gp_below(r, 99999) % 2 ? "GB" : "US", "SW1A1AA");
}

/* One PNR: SRC, RCI, DAT, contacts, agency, travellers, itinerary. */
static inline void gp_pnr(gp_rng *r, gp_traffic *t, const char *cc,
                          unsigned day)
{
    gp_buf *b = &t->buf;
    const gen_culture *c = gp_culture(r);
    unsigned n = 1 + (gp_chance(r, 400) ? gp_below(r, 5) : 0);
    gp_person p[6];
    char loc[7];

    for (int i = 0; i < 6; i++)
        loc[i] = (char)(i % 2 ? '0' + gp_below(r, 10) : 'A' + gp_below(r, 26));
    loc[6] = '\0';
    gp_printf(b, "SRC'\nRCI+%s:%s::%02u1226:%02u%02u'\n", cc, loc,
              1 + gp_below(r, 28), gp_below(r, 24), gp_below(r, 60));
    gp_printf(b, "DAT+700:%02u0127:%02u%02u'\n", day, gp_below(r, 24),
              gp_below(r, 60));
    for (unsigned i = 0; i < n; i++)
        gp_person_make(r, i && gp_chance(r, 700) ? p[0].c : c,
                       i && gp_chance(r, 700) ? p[0].surname : NULL, &p[i]);
    gp_contacts(r, b, cc, &p[0]);
    if (gp_chance(r, 200)) {
        gp_printf(b, "SSR+%s:HK:1:%s'\n", GP_PICK(r, gp_ssrs), cc);
        t->sensitive++;
    }
    if (gp_chance(r, 100))
        gp_printf(b, "IFT+4:28::%s+PAX REQUESTS KOSHER MEAL'\n", cc);
    gp_printf(b, "ORG+%s:%s+%08u:%s+++A+GB:GBP+A%05u'\n", cc,
              gen_airports[gp_below(r, GEN_N(gen_airports))].code,
              gp_below(r, 100000000), "LON", gp_below(r, 100000));
    for (unsigned i = 0; i < n; i++)
        gp_traveller(r, b, &p[i], i + 1, cc);
    gp_itinerary(r, b, cc, n, day);
    t->pnrs++;
    t->travellers += n;
}

static inline size_t gp_count_segments(const char *p, size_t n)
{
    size_t k = 0;

    for (size_t i = 0; i < n; i++)
        k += p[i] == '\'' && (i == 0 || p[i - 1] != '?');
    return k;
}

/* One interchange of about per_ix PNRs on one flight. */
static inline void gp_interchange(gp_rng *r, gp_traffic *t, unsigned per_ix,
                                  unsigned serial)
{
    gp_buf *b = &t->buf;
    const char *cc = GP_PICK(r, gen_airlines);
    unsigned day = 1 + gp_below(r, 25);
    unsigned n = per_ix / 2 + gp_below(r, per_ix + 1);
    size_t unh;

    gp_printf(b, "UNA:+.? 'UNB+IATA:1+%s++260127:%02u%02u+%u'\n", cc,
              gp_below(r, 24), gp_below(r, 60), serial);
    unh = b->len;
    gp_printf(b, "UNH+1+PNRGOV:11:1:IA+%u'\nMSG+:22'\n", serial);
    gp_printf(b, "ORG+%s:%s+%08u'\n", cc, gen_airports[0].code,
              gp_below(r, 100000000));
    gp_printf(b, "TVL+%02u0127:%02u%02u+%s+%s+%s+%u'\nEQN+%u'\n", day,
              gp_below(r, 24), gp_below(r, 60),
              gen_airports[gp_below(r, GEN_N(gen_airports))].code,
              gen_airports[gp_below(r, GEN_N(gen_airports))].code, cc,
              1 + gp_below(r, 9999), n ? n : 1);
    for (unsigned i = 0; i < (n ? n : 1); i++)
        gp_pnr(r, t, cc, day);
    if (!b->failed)
        gp_printf(b, "UNT+%zu+1'\n",
                  gp_count_segments(b->p + unh, b->len - unh) + 1);
    gp_printf(b, "UNZ+1+%u'\n", serial);
}

/* Fills t (zeroed first) with interchanges until o->bytes are written;
 * 0 on success, -1 when memory ran out (t is freed then). */
static inline int gp_generate(const gp_opts *o, gp_traffic *t)
{
    gp_rng r;

    memset(t, 0, sizeof(*t));
    gp_seed(&r, o->seed);
    while (t->buf.len < o->bytes && !t->buf.failed) {
        if (t->n + 2 > t->cap_off) {
            size_t cap = t->cap_off ? t->cap_off * 2 : 1024;
            size_t *p = realloc(t->off, cap * sizeof(*p));
            if (!p)
                break;
            t->off = p;
            t->cap_off = cap;
        }
        t->off[t->n] = t->buf.len;
        gp_interchange(&r, t, o->per_ix ? o->per_ix : 20, (unsigned)t->n + 1);
        t->off[++t->n] = t->buf.len;
    }
    if (t->buf.failed || t->buf.len < o->bytes) {
        free(t->buf.p);
        free(t->off);
        memset(t, 0, sizeof(*t));
        return -1;
    }
    return 0;
}

static inline void gp_free(gp_traffic *t)
{
    free(t->buf.p);
    free(t->off);
    memset(t, 0, sizeof(*t));
}

#endif

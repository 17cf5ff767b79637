/* The synthetic PAXLST traffic generator, shared by bench_gen and the
 * benchmarks: seeded, repeatable interchanges of air and sea lists. */
#ifndef PW_BENCH_GEN_H
#define PW_BENCH_GEN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen_names.h"

/* What to generate. Same options, same bytes. */
typedef struct gen_opts {
    uint64_t seed;
    uint64_t travellers;  /* in total, over all interchanges */
    unsigned per_message; /* travellers on a full passenger list */
    unsigned maritime_pm; /* permille of voyages among movements */
    int dirty;            /* add the faults real traffic has */
} gen_opts;

/* A growable output buffer; failed is set once an allocation fails and
 * writing stops. The cap keeps a runaway size from eating the machine. */
#define GEN_BUF_MAX ((size_t)4 << 30)
typedef struct gen_buf {
    char *p;
    size_t len, cap;
    int failed;
} gen_buf;

/* How one interchange is written: chosen per interchange. */
typedef struct gen_style {
    int charset;     /* 0 UNOA, 1 UNOC, 2 UNOW */
    int syntax;      /* UNB syntax version 2 to 4 */
    const char *eol; /* after each terminator: "", "\n" or "\r\n" */
    size_t eol_len;
    int lower;     /* names in lower case (dirty) */
    int unt_off;   /* added to the true UNT count (dirty) */
    int cnt_off;   /* added to the true CNT count (dirty) */
    int space_dtm; /* a space before DTM values (dirty) */
} gen_style;

typedef struct gen_movement {
    int sea;
    const char *carrier; /* airline designator or ship operator */
    char number[16];     /* flight number or voyage number */
    const gen_place *from, *via, *to;
    long dep, via_arr, via_dep, arr; /* local minutes since 1970 */
    char imo[8], call_sign[8], vessel[48];
    const char *flag;
} gen_movement;

/* A family travels on one booking with one surname. */
typedef struct gen_family {
    unsigned left;
    const gen_culture *c;
    const gen_name *surname;
    const char *nationality;
    char booking[8];
} gen_family;

typedef struct gen {
    gen_opts o;
    uint64_t s[4]; /* xoshiro256** state */
    uint64_t left; /* travellers still to generate */
    uint64_t n_interchanges;
    gen_buf *b;
    gen_style st;
    uint32_t n_seg; /* segments since UNH */
    unsigned culture_total, crew_total;
    gen_movement mv;
    int have_mv;   /* mv still needs its passenger list */
    int crew_next; /* mv's crew list comes first */
    gen_family fam;
    uint64_t n_travellers;
} gen;

/* -- random numbers: splitmix64 seeds xoshiro256** -- */

static inline uint64_t gen_splitmix(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15u);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static inline uint64_t gen_rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static inline uint64_t gen_next64(gen *g)
{
    uint64_t *s = g->s;
    uint64_t r = gen_rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;

    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = gen_rotl(s[3], 45);
    return r;
}

/* A number in [0, n), n below 2^32, without modulo bias worth noting. */
static inline unsigned gen_below(gen *g, unsigned n)
{
    return (unsigned)(((gen_next64(g) >> 32) * (uint64_t)n) >> 32);
}

static inline int gen_chance(gen *g, unsigned permille)
{
    return gen_below(g, 1000) < permille;
}

#define GEN_PICK(g, arr) ((arr)[gen_below((g), GEN_N(arr))])

/* -- output -- */

static inline int gen_grow(gen_buf *b, size_t n)
{
    size_t cap = b->cap ? b->cap : 1 << 16;
    char *p;

    while (cap - b->len < n) {
        if (cap > GEN_BUF_MAX / 2)
            return 0;
        cap *= 2;
    }
    p = realloc(b->p, cap);
    if (!p)
        return 0;
    b->p = p;
    b->cap = cap;
    return 1;
}

static inline void gen_put(gen *g, const char *s, size_t n)
{
    gen_buf *b = g->b;

    if (b->cap - b->len < n && !gen_grow(b, n)) {
        b->failed = 1;
        return;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

#define GEN_LIT(g, s) gen_put((g), (s), sizeof(s) - 1)

static inline void gen_puts(gen *g, const char *s)
{
    gen_put(g, s, strlen(s));
}

static inline void gen_putc(gen *g, char c)
{
    gen_put(g, &c, 1);
}

/* Writes v in decimal, zero-padded to width digits. */
static inline void gen_uint(gen *g, uint64_t v, int width)
{
    char tmp[24];
    size_t pos = sizeof(tmp);

    do {
        tmp[--pos] = (char)('0' + v % 10);
        v /= 10;
    } while (v && pos > 0);
    while (pos > 0 && (int)(sizeof(tmp) - pos) < width)
        tmp[--pos] = '0';
    gen_put(g, tmp + pos, sizeof(tmp) - pos);
}

/* Text with release characters before service characters; in lower
 * case when the style says so (real senders do that). */
static inline void gen_text(gen *g, const char *s, int lower)
{
    char tmp[256];
    size_t n = 0;

    for (; *s && n + 2 < sizeof(tmp); s++) {
        char c = *s;

        if (c == '?' || c == ':' || c == '+' || c == '\'' ||
            (c == '*' && g->st.syntax == 4))
            tmp[n++] = '?';
        if (lower && c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        tmp[n++] = c;
    }
    gen_put(g, tmp, n);
}

/* Ends a segment: terminator, the interchange's line end, one more
 * segment counted for UNT. */
static inline void gen_end(gen *g)
{
    gen_putc(g, '\'');
    gen_put(g, g->st.eol, g->st.eol_len);
    g->n_seg++;
}

/* Writes a UTF-8 name in ISO 8859-1 when every character fits. */
static inline int gen_latin1(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)s;

    while (*p) {
        unsigned cp = *p;

        if (cp >= 0x80) {
            if ((cp & 0xe0) != 0xc0 || (p[1] & 0xc0) != 0x80)
                return 0;
            cp = ((cp & 0x1fu) << 6) | (p[1] & 0x3fu);
            if (cp > 0xff)
                return 0;
            p++;
        }
        if (n + 1 >= cap)
            return 0;
        out[n++] = (char)cp;
        p++;
    }
    out[n] = 0;
    return 1;
}

/* A name in the interchange's character set: UNOA takes the MRZ
 * spelling, UNOC the Latin-1 one when it exists, UNOW the native. */
static inline void gen_name_out(gen *g, const gen_name *nm)
{
    char l1[128];

    if (nm->native && g->st.charset == 2) {
        gen_text(g, nm->native, g->st.lower);
        return;
    }
    if (nm->native && g->st.charset == 1 &&
        gen_latin1(nm->native, l1, sizeof(l1))) {
        gen_text(g, l1, g->st.lower);
        return;
    }
    gen_text(g, nm->ascii, g->st.lower);
}

/* -- dates: days since 1970-01-01 to the civil calendar -- */

typedef struct gen_date {
    int y, m, d;
} gen_date;

static inline gen_date gen_civil(long days)
{
    long z = days + 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    gen_date r;

    r.d = (int)(doy - (153 * mp + 2) / 5 + 1);
    r.m = (int)(mp < 10 ? mp + 3 : mp - 9);
    r.y = (int)(yoe + era * 400 + (r.m <= 2));
    return r;
}

/* YYMMDD of a day number. */
static inline void gen_yymmdd(gen *g, long days)
{
    gen_date d = gen_civil(days);

    gen_uint(g, (uint64_t)(d.y % 100), 2);
    gen_uint(g, (uint64_t)d.m, 2);
    gen_uint(g, (uint64_t)d.d, 2);
}

/* YYMMDDHHMM of a minute number. */
static inline void gen_stamp(gen *g, long minutes)
{
    gen_yymmdd(g, minutes / 1440);
    gen_uint(g, (uint64_t)(minutes % 1440 / 60), 2);
    gen_uint(g, (uint64_t)(minutes % 60), 2);
}

#define GEN_DAY_2026 20454L /* 2026-01-01 */

/* -- identifiers -- */

static inline void gen_alnum(gen *g, int n, int digits_only)
{
    static const char set[] = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789";
    char tmp[32];

    for (int i = 0; i < n && i < (int)sizeof(tmp); i++)
        tmp[i] = digits_only ? (char)('0' + gen_below(g, 10))
                             : set[gen_below(g, sizeof(set) - 1)];
    gen_put(g, tmp, (size_t)(n < 32 ? n : 32));
}

/* A passport number in one of the shapes states use. */
static inline void gen_passport_no(gen *g)
{
    switch (gen_below(g, 4)) {
    case 0:
        gen_putc(g, (char)('A' + gen_below(g, 26)));
        gen_alnum(g, 8, 1);
        break;
    case 1:
        gen_alnum(g, 9, 1);
        break;
    case 2:
        gen_putc(g, (char)('A' + gen_below(g, 26)));
        gen_putc(g, (char)('A' + gen_below(g, 26)));
        gen_alnum(g, 7, 1);
        break;
    default:
        gen_alnum(g, 9, 0);
        break;
    }
}

/* An IMO ship number: six digits and a check digit, the sum of the
 * digits weighted 7 down to 2, modulo 10. */
static inline void gen_imo(gen *g, char out[8])
{
    unsigned sum = 0;

    out[0] = (char)('1' + gen_below(g, 9));
    for (int i = 1; i < 6; i++)
        out[i] = (char)('0' + gen_below(g, 10));
    for (int i = 0; i < 6; i++)
        sum += (unsigned)(out[i] - '0') * (unsigned)(7 - i);
    out[6] = (char)('0' + sum % 10);
    out[7] = 0;
}

/* -- movements -- */

static inline const gen_place *
gen_place_other(gen *g, const gen_place *t, unsigned n, const gen_place * not )
{
    const gen_place *p;

    do
        p = &t[gen_below(g, n)];
    while (p == not );
    return p;
}

static inline void gen_air(gen *g, gen_movement *mv)
{
    unsigned n = GEN_N(gen_airports);
    long day = GEN_DAY_2026 + (long)gen_below(g, 365);
    long mins = 60 + (long)gen_below(g, 13 * 60);

    mv->carrier = GEN_PICK(g, gen_airlines);
    snprintf(mv->number, sizeof(mv->number), "%s%u", mv->carrier,
             1 + gen_below(g, gen_chance(g, 700) ? 999 : 9899));
    mv->from = &gen_airports[gen_below(g, n)];
    mv->to = gen_place_other(g, gen_airports, n, mv->from);
    mv->via = NULL;
    mv->dep = day * 1440 + 5 * (long)gen_below(g, 288);
    if (gen_chance(g, 100)) {
        mv->via = gen_place_other(g, gen_airports, n, mv->from);
        if (mv->via == mv->to)
            mv->via = NULL;
        mv->via_arr = mv->dep + mins / 2;
        mv->via_dep = mv->via_arr + 45 + 5 * (long)gen_below(g, 12);
        mins += 60;
    }
    mv->arr = mv->dep + mins;
}

static inline void gen_sea(gen *g, gen_movement *mv)
{
    unsigned n = GEN_N(gen_ports);
    long day = GEN_DAY_2026 + (long)gen_below(g, 365);
    const gen_flag *f = &GEN_PICK(g, gen_flags);

    mv->sea = 1;
    mv->carrier = GEN_PICK(g, gen_operators);
    snprintf(mv->number, sizeof(mv->number), "V%03u%c", gen_below(g, 1000),
             (char)('A' + gen_below(g, 4)));
    mv->from = &gen_ports[gen_below(g, n)];
    mv->to = gen_place_other(g, gen_ports, n, mv->from);
    mv->via = NULL;
    mv->dep = day * 1440 + 30 * (long)gen_below(g, 48);
    mv->arr = mv->dep + 600 + 30 * (long)gen_below(g, 48 * 6);
    gen_imo(g, mv->imo);
    snprintf(mv->call_sign, sizeof(mv->call_sign), "%s%c%c", f->callsign_prefix,
             (char)('A' + gen_below(g, 26)), (char)('A' + gen_below(g, 26)));
    snprintf(mv->vessel, sizeof(mv->vessel), "%s %s",
             GEN_PICK(g, gen_vessel_words1), GEN_PICK(g, gen_vessel_words2));
    mv->flag = f->alpha2;
}

static inline void gen_movement_new(gen *g, gen_movement *mv)
{
    memset(mv, 0, sizeof(*mv));
    if (gen_chance(g, g->o.maritime_pm))
        gen_sea(g, mv);
    else
        gen_air(g, mv);
}

/* -- travellers -- */

typedef struct gen_person {
    const gen_culture *c;
    const gen_name *surname, *surname2, *given, *middle;
    int female;
    const char *nationality, *residence;
    long birth; /* day number */
} gen_person;

static inline const gen_culture *gen_culture_pick(gen *g, int crew)
{
    unsigned n = GEN_N(gen_cultures);
    unsigned r = gen_below(g, crew ? g->crew_total : g->culture_total);

    for (unsigned i = 0; i < n; i++) {
        unsigned w =
            crew ? gen_cultures[i].crew_weight : gen_cultures[i].weight;

        if (r < w)
            return &gen_cultures[i];
        r -= w;
    }
    return &gen_cultures[0];
}

static inline const char *gen_country_any(gen *g)
{
    return gen_airports[gen_below(g, GEN_N(gen_airports))].country;
}

/* A city of the given state when the table has one, else any. */
static inline const gen_place *gen_city_in(gen *g, const char *country)
{
    unsigned n = GEN_N(gen_airports), start = gen_below(g, n);

    for (unsigned i = 0; i < n; i++) {
        const gen_place *at = &gen_airports[(start + i) % n];

        if (!strcmp(at->country, country))
            return at;
    }
    return &gen_airports[start];
}

/* Names, sex and nationality; a family shares surname and state.
 * Returns 1 when p joins the family being written. */
static inline int gen_person_names(gen *g, gen_person *p, int crew)
{
    const gen_culture *c;
    int in_family = !crew && g->fam.left;

    if (in_family) {
        g->fam.left--;
        c = g->fam.c;
        p->surname = g->fam.surname;
        p->nationality = g->fam.nationality;
    } else {
        c = gen_culture_pick(g, crew);
        p->surname = &c->surnames[gen_below(g, c->n_surnames)];
        p->nationality = c->countries[gen_below(g, c->n_countries)];
    }
    p->c = c;
    p->female = gen_chance(g, crew ? 300 : 500);
    p->given = p->female ? &c->female[gen_below(g, c->n_female)]
                         : &c->male[gen_below(g, c->n_male)];
    p->surname2 = gen_chance(g, c->two_surnames)
                      ? &c->surnames[gen_below(g, c->n_surnames)]
                      : NULL;
    p->middle = !gen_chance(g, c->middle) ? NULL
                : p->female ? &c->female[gen_below(g, c->n_female)]
                            : &c->male[gen_below(g, c->n_male)];
    if (gen_chance(g, c->single_name))
        p->given = p->middle = NULL;
    return in_family;
}

static inline int gen_person_new(gen *g, gen_person *p, int crew, long day)
{
    long age = crew ? 20 + gen_below(g, 46) : gen_below(g, 86);
    int in_family = gen_person_names(g, p, crew);

    p->residence = gen_chance(g, 850) ? p->nationality : gen_country_any(g);
    p->birth = day - age * 365 - (long)gen_below(g, 365);
    return in_family;
}

/* Starts a family after a lone traveller now and then: 2 to 5 people
 * on one booking. */
static inline void gen_family_maybe(gen *g, const gen_person *p)
{
    static const char set[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    for (int i = 0; i < 6; i++)
        g->fam.booking[i] = set[gen_below(g, sizeof(set) - 1)];
    g->fam.booking[6] = 0;
    if (!gen_chance(g, 250))
        return;
    g->fam.left = 1 + gen_below(g, 4);
    g->fam.c = p->c;
    g->fam.surname = p->surname;
    g->fam.nationality = p->nationality;
}

static inline void gen_nad(gen *g, const gen_person *p, const char *role)
{
    GEN_LIT(g, "NAD+");
    gen_puts(g, role);
    GEN_LIT(g, "+++");
    gen_name_out(g, p->surname);
    if (p->surname2) {
        gen_putc(g, ' ');
        gen_name_out(g, p->surname2);
    }
    if (p->given) {
        gen_putc(g, ':');
        gen_name_out(g, p->given);
    }
    if (p->given && p->middle) {
        gen_putc(g, ':');
        gen_name_out(g, p->middle);
    }
    if (gen_chance(g, 150)) {
        /* NAD 5-9: street, city, region, postcode, country */
        gen_putc(g, '+');
        gen_text(g, GEN_PICK(g, gen_streets), 0);
        gen_putc(g, '+');
        gen_text(g, gen_city_in(g, p->residence)->city, 0);
        GEN_LIT(g, "++");
        gen_alnum(g, 5, 1);
        gen_putc(g, '+');
        gen_puts(g, p->residence);
    }
    gen_end(g);
}

static inline void gen_sex(gen *g, const gen_person *p, int version)
{
    const char *sex = p->female ? "F" : "M";

    if (gen_chance(g, 4))
        sex = version >= 15 && gen_chance(g, 500) ? "X" : "U";
    GEN_LIT(g, "ATT+2++");
    gen_puts(g, sex);
    gen_end(g);
}

static inline void gen_dtm_open(gen *g, const char *qual)
{
    GEN_LIT(g, "DTM+");
    gen_puts(g, qual);
    gen_putc(g, ':');
    if (g->st.space_dtm)
        gen_putc(g, ' ');
}

static inline void gen_loc(gen *g, const char *qual, const char *place)
{
    GEN_LIT(g, "LOC+");
    gen_puts(g, qual);
    gen_putc(g, '+');
    gen_puts(g, place);
    gen_end(g);
}

/* MEA, FTX BAG: checked bags with their tag numbers. */
static inline void gen_bags(gen *g)
{
    unsigned n = 1 + gen_below(g, 3);

    GEN_LIT(g, "MEA+CT++:");
    gen_uint(g, n, 0);
    gen_end(g);
    if (gen_chance(g, 400)) {
        GEN_LIT(g, "MEA+WT++KGM:");
        gen_uint(g, 8 + gen_below(g, 25) * n, 0);
        gen_end(g);
    }
    if (gen_chance(g, 500)) {
        GEN_LIT(g, "FTX+BAG+++");
        gen_alnum(g, 10, 1);
        gen_putc(g, ':');
        gen_uint(g, n, 0);
        gen_end(g);
    }
}

static inline void gen_birthplace(gen *g, const gen_person *p)
{
    const gen_place *at = gen_city_in(g, p->nationality);

    GEN_LIT(g, "LOC+180+:::");
    gen_text(g, at->city, 0);
    gen_putc(g, ' ');
    gen_puts(g, at->country);
    gen_end(g);
}

/* DOC, DTM 36 and LOC 91 of one document. */
static inline void gen_document(gen *g, const char *type, const char *issuer,
                                long day)
{
    long expiry = day + 20 + (long)gen_below(g, 3650);

    GEN_LIT(g, "DOC+");
    gen_puts(g, type);
    if (gen_chance(g, 600))
        GEN_LIT(g, ":110:111");
    gen_putc(g, '+');
    gen_passport_no(g);
    gen_end(g);
    gen_dtm_open(g, "36");
    gen_yymmdd(g, expiry);
    gen_end(g);
    gen_loc(g, "91", issuer);
}

static inline void gen_refs(gen *g, const gen_movement *mv)
{
    GEN_LIT(g, "RFF+AVF:");
    gen_puts(g, g->fam.booking);
    gen_end(g);
    GEN_LIT(g, "RFF+ABO:");
    gen_puts(g, mv->carrier);
    gen_uint(g, g->n_travellers, 8);
    gen_end(g);
    if (!mv->sea && gen_chance(g, 800)) {
        GEN_LIT(g, "RFF+SEA:");
        gen_uint(g, 1 + gen_below(g, 60), 0);
        gen_putc(g, "ABCDEFGHJK"[gen_below(g, 10)]);
        gen_end(g);
    }
}

static inline void gen_crew_job(gen *g, const gen_movement *mv)
{
    if (mv->sea) {
        GEN_LIT(g, "EMP+1+:::");
        gen_puts(g, GEN_PICK(g, gen_sea_ranks));
    } else {
        GEN_LIT(g, "EMP+1+");
        gen_puts(g, gen_chance(g, 250) ? "CR1" : "CR2");
        GEN_LIT(g, ":110:111");
    }
    gen_end(g);
}

/* One Gr4 person group with its Gr5 documents. */
static inline void gen_traveller(gen *g, int crew, int version)
{
    const gen_movement *mv = &g->mv;
    long day = mv->dep / 1440;
    gen_person p;
    const char *role = crew ? "FM" : "FL";

    if (!gen_person_new(g, &p, crew, day) && !crew)
        gen_family_maybe(g, &p);
    if (gen_chance(g, 20))
        role = crew ? "DDT" : "DDU";
    g->n_travellers++;
    gen_nad(g, &p, role);
    gen_sex(g, &p, version);
    gen_dtm_open(g, "329");
    gen_yymmdd(g, p.birth);
    gen_end(g);
    if (!crew && !mv->sea && gen_chance(g, 600))
        gen_bags(g);
    if (gen_chance(g, 500)) {
        GEN_LIT(g, "GEI+4+");
        gen_puts(g, gen_chance(g, 800) ? "173" : "174");
        gen_end(g);
    }
    gen_loc(g, "22", mv->to->code);
    gen_loc(g, "174", p.residence);
    gen_loc(g, "178", mv->from->code);
    gen_loc(g, "179", mv->to->code);
    if (gen_chance(g, 300))
        gen_birthplace(g, &p);
    if (gen_chance(g, 120)) {
        GEN_LIT(g, "COM+");
        gen_alnum(g, 3, 1);
        gen_putc(g, ' ');
        gen_alnum(g, 8, 1);
        GEN_LIT(g, ":TE");
        gen_end(g);
    }
    if (crew)
        gen_crew_job(g, mv);
    GEN_LIT(g, "NAT+2+");
    gen_puts(g, p.nationality);
    gen_end(g);
    if (!crew)
        gen_refs(g, mv);
    gen_document(g, "P", p.nationality, day);
    if (strcmp(p.nationality, mv->to->country) && gen_chance(g, 150))
        gen_document(g, "V", mv->to->country, day);
}

/* -- the envelope and the movement -- */

/* Picks how this interchange is written; the faults only when dirty. */
static inline void gen_style_pick(gen *g, int version)
{
    gen_style *st = &g->st;
    unsigned r = gen_below(g, 1000);

    memset(st, 0, sizeof(*st));
    st->charset = r < 700 ? 0 : r < 850 ? 1 : 2;
    st->syntax = version == 2 ? 3 : 4;
    st->eol = "";
    if (!g->o.dirty)
        return;
    r = gen_below(g, 1000);
    st->eol = r < 300 ? "\r\n" : r < 400 ? "\n" : "";
    st->eol_len = strlen(st->eol);
    st->lower = gen_chance(g, 50);
    st->unt_off = gen_chance(g, 50) ? (gen_chance(g, 500) ? 1 : -1) : 0;
    st->cnt_off = gen_chance(g, 30) ? 1 : 0;
    st->space_dtm = gen_chance(g, 20);
}

static inline void gen_party(gen *g, int recipient)
{
    const gen_movement *mv = &g->mv;

    if (recipient) {
        GEN_LIT(g, "PIU");
        gen_puts(g, mv->to->country);
    } else {
        gen_puts(g, mv->carrier);
        GEN_LIT(g, "APIS");
    }
}

static inline void gen_unb(gen *g, long prepared)
{
    static const char *const cs[] = {"UNOA", "UNOC", "UNOW"};

    if (g->o.dirty && gen_chance(g, 20))
        GEN_LIT(g, "\xef\xbb\xbf");
    if (gen_chance(g, 500)) {
        if (g->st.syntax == 4)
            GEN_LIT(g, "UNA:+.?*'");
        else
            GEN_LIT(g, "UNA:+.? '");
        gen_put(g, g->st.eol, g->st.eol_len);
    }
    GEN_LIT(g, "UNB+");
    gen_puts(g, cs[g->st.charset]);
    gen_putc(g, ':');
    gen_uint(g, (uint64_t)g->st.syntax, 0);
    gen_putc(g, '+');
    gen_party(g, 0);
    GEN_LIT(g, ":ZZ+");
    gen_party(g, 1);
    GEN_LIT(g, ":ZZ+");
    gen_yymmdd(g, prepared / 1440);
    gen_putc(g, ':');
    gen_uint(g, (uint64_t)(prepared % 1440 / 60), 2);
    gen_uint(g, (uint64_t)(prepared % 60), 2);
    gen_putc(g, '+');
    gen_uint(g, g->n_interchanges, 9);
    GEN_LIT(g, "++APIS");
    gen_end(g);
}

static inline void gen_ung(gen *g, const char *version, long prepared)
{
    GEN_LIT(g, "UNG+PAXLST+");
    gen_party(g, 0);
    gen_putc(g, '+');
    gen_party(g, 1);
    gen_putc(g, '+');
    gen_yymmdd(g, prepared / 1440);
    gen_putc(g, ':');
    gen_uint(g, (uint64_t)(prepared % 1440 / 60), 2);
    gen_uint(g, (uint64_t)(prepared % 60), 2);
    gen_putc(g, '+');
    gen_uint(g, g->n_interchanges % 100000, 0);
    GEN_LIT(g, "+UN+D:");
    gen_puts(g, version);
    gen_end(g);
}

static inline void gen_unh(gen *g, const char *version)
{
    g->n_seg = 0;
    GEN_LIT(g, "UNH+M");
    gen_uint(g, g->n_interchanges, 9);
    GEN_LIT(g, "+PAXLST:D:");
    gen_puts(g, version);
    GEN_LIT(g, ":UN:IATA");
    if (gen_chance(g, 400)) {
        gen_putc(g, '+');
        gen_puts(g, g->mv.number);
        gen_putc(g, '/');
        gen_yymmdd(g, g->mv.dep / 1440);
        if (gen_chance(g, 500))
            GEN_LIT(g, "+01:F");
    }
    gen_end(g);
}

static inline void gen_reporter(gen *g, int list)
{
    static const char *const codes[] = {"745", "250", "336"};

    GEN_LIT(g, "BGM+");
    gen_puts(g, codes[list]);
    gen_end(g);
    GEN_LIT(g, "RFF+TN:");
    gen_alnum(g, 12, 0);
    gen_end(g);
    GEN_LIT(g, "NAD+MS+++");
    gen_puts(g, g->mv.carrier);
    GEN_LIT(g, " APIS CONTROL");
    gen_end(g);
    GEN_LIT(g, "COM+");
    gen_alnum(g, 3, 1);
    gen_putc(g, '-');
    gen_alnum(g, 7, 1);
    GEN_LIT(g, ":TE+APIS.AT.");
    gen_puts(g, g->mv.carrier);
    GEN_LIT(g, ".EXAMPLE:EM");
    gen_end(g);
}

static inline void gen_time(gen *g, const char *loc, const char *code,
                            const char *dtm, long minutes)
{
    gen_loc(g, loc, code);
    gen_dtm_open(g, dtm);
    gen_stamp(g, minutes);
    GEN_LIT(g, ":201");
    gen_end(g);
}

/* TDT for a ship: mode 1 (maritime), the operator in C040, and the
 * vessel in C222: IMO number (code list 146), name, flag state; in
 * syntax 4 a repetition gives the call sign (code list 103). */
static inline void gen_tdt_sea(gen *g)
{
    const gen_movement *mv = &g->mv;

    GEN_LIT(g, "TDT+20+");
    gen_puts(g, mv->number);
    GEN_LIT(g, "+1++");
    gen_puts(g, mv->carrier);
    GEN_LIT(g, ":172:20+++");
    gen_puts(g, mv->imo);
    GEN_LIT(g, ":146:11:");
    gen_text(g, mv->vessel, 0);
    gen_putc(g, ':');
    gen_puts(g, mv->flag);
    if (g->st.syntax == 4) {
        gen_putc(g, '*');
        gen_puts(g, mv->call_sign);
        GEN_LIT(g, ":103");
    }
    gen_end(g);
}

static inline void gen_tdt_air(gen *g, const char *number)
{
    GEN_LIT(g, "TDT+20+");
    gen_puts(g, number);
    GEN_LIT(g, "+++");
    gen_puts(g, g->mv.carrier);
    gen_end(g);
}

/* Gr2/Gr3: the movement, with LOC 92 legs for a progressive flight. */
static inline void gen_transport(gen *g)
{
    const gen_movement *mv = &g->mv;

    if (mv->sea) {
        gen_tdt_sea(g);
    } else {
        gen_tdt_air(g, mv->number);
    }
    if (!mv->via) {
        gen_time(g, "125", mv->from->code, "189", mv->dep);
        gen_time(g, "87", mv->to->code, "232", mv->arr);
        return;
    }
    gen_time(g, "92", mv->from->code, "189", mv->dep);
    gen_time(g, "92", mv->via->code, "232", mv->via_arr);
    gen_tdt_air(g, mv->number);
    gen_time(g, "92", mv->via->code, "189", mv->via_dep);
    gen_time(g, "92", mv->to->code, "232", mv->arr);
}

static inline void gen_trailer(gen *g, int list, unsigned n)
{
    GEN_LIT(g, "CNT+");
    gen_puts(g, list ? "41:" : "42:");
    gen_uint(g, n + (unsigned)g->st.cnt_off, 0);
    gen_end(g);
    GEN_LIT(g, "UNT+");
    gen_uint(g, (uint64_t)((int)g->n_seg + 1 + g->st.unt_off), 0);
    GEN_LIT(g, "+M");
    gen_uint(g, g->n_interchanges, 9);
    gen_end(g);
}

/* One interchange holding one PAXLST of n travellers (list: 0
 * passengers, 1 crew, 2 master crew list). */
static inline void gen_interchange(gen *g, int list, unsigned n)
{
    static const char *const versions[] = {"02B", "05B", "15B"};
    unsigned r = gen_below(g, 1000);
    int v = r < 200 ? 0 : r < 700 ? 1 : 2;
    long prepared = g->mv.dep - 60 - (long)gen_below(g, 1440);
    int group = gen_chance(g, 500);

    g->n_interchanges++;
    gen_style_pick(g, v == 0 ? 2 : 15);
    gen_unb(g, prepared);
    if (group)
        gen_ung(g, versions[v], prepared);
    gen_unh(g, versions[v]);
    gen_reporter(g, list);
    gen_transport(g);
    for (unsigned i = 0; i < n; i++)
        gen_traveller(g, list != 0, v == 2 ? 15 : 5);
    gen_trailer(g, list, n);
    if (group) {
        GEN_LIT(g, "UNE+1+");
        gen_uint(g, g->n_interchanges % 100000, 0);
        gen_end(g);
    }
    GEN_LIT(g, "UNZ+1+");
    gen_uint(g, g->n_interchanges, 9);
    gen_end(g);
}

/* -- the driver -- */

static inline void gen_init(gen *g, const gen_opts *o)
{
    uint64_t x = o->seed;

    memset(g, 0, sizeof(*g));
    g->o = *o;
    if (!g->o.per_message)
        g->o.per_message = 1;
    for (int i = 0; i < 4; i++)
        g->s[i] = gen_splitmix(&x);
    g->left = o->travellers;
    for (unsigned i = 0; i < GEN_N(gen_cultures); i++) {
        g->culture_total += gen_cultures[i].weight;
        g->crew_total += gen_cultures[i].crew_weight;
    }
}

static inline unsigned gen_list_size(gen *g, int crew)
{
    unsigned pm = g->o.per_message, n;

    if (crew)
        n = g->mv.sea ? 12 + gen_below(g, 50) : 3 + gen_below(g, 12);
    else
        n = pm - pm / 4 + gen_below(g, pm / 2 + 1);
    if (n == 0)
        n = 1;
    return n > g->left ? (unsigned)g->left : n;
}

/* Appends the next interchange to b. Returns 1 and its traveller count
 * in *n, 0 when all travellers have been written, -1 when out of
 * memory. A movement sends its crew list (when it has one) and then
 * its passenger list; a cargo ship sends a crew list only. */
static inline int gen_next(gen *g, gen_buf *b, unsigned *n)
{
    int list = 0;

    if (!g->left)
        return 0;
    g->b = b;
    if (!g->have_mv) {
        gen_movement_new(g, &g->mv);
        g->have_mv = 1;
        g->crew_next = gen_chance(g, g->mv.sea ? 800 : 250);
        g->fam.left = 0;
    }
    if (g->crew_next) {
        g->crew_next = 0;
        list = g->mv.sea && gen_chance(g, 200) ? 2 : 1;
        if (g->mv.sea && gen_chance(g, 250))
            g->have_mv = 0;
    } else {
        g->have_mv = 0;
    }
    *n = gen_list_size(g, list != 0);
    gen_interchange(g, list, *n);
    g->left -= *n;
    return b->failed ? -1 : 1;
}

/* -- traffic in memory, for the benchmarks -- */

/* Interchanges side by side in one buffer: interchange i is bytes
 * off[i] to off[i + 1] of buf.p. */
typedef struct gen_traffic {
    gen_buf buf;
    size_t *off;
    size_t n, cap;
    uint64_t travellers;
} gen_traffic;

static inline void gen_traffic_free(gen_traffic *t)
{
    free(t->buf.p);
    free(t->off);
    memset(t, 0, sizeof(*t));
}

static inline int gen_traffic_mark(gen_traffic *t)
{
    if (t->n + 2 > t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 1024;
        size_t *p = realloc(t->off, cap * sizeof(*p));

        if (!p)
            return 0;
        t->off = p;
        t->cap = cap;
    }
    t->off[t->n + 1] = t->buf.len;
    return 1;
}

/* Generates o's travellers, stopping early once max_bytes (0: no
 * limit) have been written. Returns 0, or -1 when out of memory. */
static inline int gen_traffic_make(gen_traffic *t, const gen_opts *o,
                                   size_t max_bytes)
{
    gen g;
    unsigned n;
    int r = 0;

    memset(t, 0, sizeof(*t));
    gen_init(&g, o);
    if (!gen_traffic_mark(t))
        return -1;
    t->off[0] = 0;
    while (!max_bytes || t->buf.len < max_bytes) {
        r = gen_next(&g, &t->buf, &n);
        if (r <= 0)
            break;
        if (!gen_traffic_mark(t))
            r = -1;
        if (r < 0)
            break;
        t->n++;
        t->travellers += n;
    }
    if (r < 0 || t->buf.failed) {
        gen_traffic_free(t);
        return -1;
    }
    return 0;
}

#endif

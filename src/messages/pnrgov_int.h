/* Private to the PNRGOV mapping (pnrgov*.c): the state of one walk over
 * a PNRGOV message and the helpers its segment readers share. */
#ifndef PW_MESSAGES_PNRGOV_INT_H
#define PW_MESSAGES_PNRGOV_INT_H

#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "messages/clear.h"
#include "messages/codes.h"
#include "paxwatch/booking.h"
#include "paxwatch/edifact.h"
#include "paxwatch/privacy.h"

/* Where in the group structure the segment being read belongs. */
typedef enum pnr_ctx {
    PNR_TOP = 0, /* MSG, ORG, TVL, EQN before the first SRC */
    PNR_PNR,     /* Gr1 SRC and its RCI, SSR, DAT, IFT, ORG, ADD */
    PNR_TIF,     /* Gr2 traveller */
    PNR_TKT,     /* Gr3 ticket */
    PNR_FOP,     /* Gr4 payment */
    PNR_TVL,     /* Gr5 flight */
    PNR_CHECKIN, /* Gr6 DAT 2 check-in */
    PNR_TRI,     /* Gr7 TRI, its TIF, SSD, TBD */
    PNR_SPLIT,   /* Gr8 EQN, RCI */
    PNR_NONAIR,  /* Gr9 MSG, TVL */
    PNR_ABI,     /* Gr10 history block */
    PNR_SAC,     /* Gr11 one change */
    PNR_SAC_TVL  /* Gr12 flight of a change */
} pnr_ctx;

/* A document read from SSR DOCS/DOCO, held until the booking ends,
 * when every traveller it may belong to is known. */
typedef struct pnr_doc {
    pw_document doc;
    const char *surname, *given, *birth, *sex, *nationality;
    const char *birth_place; /* DOCO */
    const char *ref;         /* traveller reference of the SSR */
    const pw_edi_segment *seg;
    int group;  /* the TIF group it was read in, -1 none */
    int infant; /* sex MI or FI */
    int visa;   /* from DOCO: no personal data of its own */
    int owner;  /* the traveller it was given to at the end, -1 none */
} pnr_doc;

/* Capacities of the arrays of the booking being read. */
typedef struct pnr_caps {
    size_t travellers, contacts, addresses, payments, itinerary, services,
        loyalty, split, remarks, tickets, seats, bags, checkins, history,
        locators, docs, extra;
} pnr_caps;

typedef struct pnr_map {
    const pw_edi_interchange *ix;
    pw_msg *m;
    const pw_edi_segment *seg;
    const pw_sensitive *filter;
    pw_rc rc; /* first allocation failure, sticky */
    pnr_ctx ctx;
    char today[11];             /* message date, for birth-date centuries */
    int today_year, today_mmdd; /* the same as numbers: 2026, 1204 */

    size_t cap_bookings;
    pw_booking *b; /* the booking being read; NULL before SRC */
    pnr_caps caps;
    pnr_doc *docs;
    size_t n_docs;

    int tr, fl, tk, pay, chk, hist; /* current items, -1 none */
    int tri_tr;                     /* traveller of the TRI group */
    const char *hist_date, *hist_action;
    int seen_top_tvl;
    const pw_edi_segment *eqn; /* the top EQN, for the count check */

    /* One copy of the message's value texts [lo, hi) of ix, so that a
     * clean value is used where it lies in the copy instead of being
     * copied alone; NULL when the texts are not in one run. */
    const char *lo, *hi;
    size_t span;      /* hi - lo; 0 without a copy */
    size_t take_span; /* span, or 0 when copy_breaks: see pnr_take */
    char *copy;
    int copy_breaks;     /* 1 when a value in the copy may hold CR or LF */
    char *str, *str_end; /* bump region for strings made here */

    /* The filter's answers for the four-byte SSR codes met so far in
     * this message (a code packed in a word, 0 for an empty slot): a
     * message repeats a handful of codes in every PNR. */
    uint32_t code_seen[64];
    uint8_t code_class[64];

    /* One bit for each pair of traveller and flight that has a seat in
     * the booking being read (see pnr_seat_seen). */
    uint64_t seat_pairs;
} pnr_map;

#define PNR_TAG(a, b, c)                                                       \
    ((uint32_t)(unsigned char)(a) << 16 | (uint32_t)(unsigned char)(b) << 8 |  \
     (uint32_t)(unsigned char)(c))

static inline uint32_t pnr_tag(const pw_edi_segment *s)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    uint32_t t;

    memcpy(&t, s->tag, 4);
    return t >> 8;
#elif defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint32_t t;

    /* one load for the three bytes, which a switch then takes in the
     * order PNR_TAG packs them */
    memcpy(&t, s->tag, 4);
    return __builtin_bswap32(t) >> 8;
#else
    return PNR_TAG(s->tag[0], s->tag[1], s->tag[2]);
#endif
}

/* The value of component c of element e (repetition 0) of the current
 * segment, NULL when absent. Values sort by element and segments hold
 * few, so a plain scan that stops past e costs least. */
static inline const pw_edi_value *pnr_value(const pnr_map *mp, unsigned e,
                                            unsigned c)
{
    const pw_edi_value *v = mp->seg->values, *end = v + mp->seg->n_values;

    for (; v < end && v->element <= e; v++)
        if (v->element == e && v->component == c && v->repetition == 0)
            return v;
    return NULL;
}

/* As pw_edi_get on the current segment: the text as parsed (not
 * trimmed, owned by the interchange), for looking at, not keeping. */
static inline const char *pnr_get(const pnr_map *mp, unsigned e, unsigned c)
{
    const pw_edi_value *v = pnr_value(mp, e, c);

    return v ? v->text : NULL;
}

/* The values of components 0 to nc - 1 of element e (repetition 0)
 * into at[], read on from v (the first value not before element e);
 * returns where element e ends. A reader that takes several values of
 * each element walks the segment once with it instead of searching
 * from the start for each value. */
static inline const pw_edi_value *pnr_element(const pnr_map *mp,
                                              const pw_edi_value *v, unsigned e,
                                              const pw_edi_value **at,
                                              unsigned nc)
{
    const pw_edi_value *end = mp->seg->values + mp->seg->n_values;

    memset(at, 0, nc * sizeof(*at));
    for (; v < end && v->element <= e; v++)
        if (v->element == e && !v->repetition && v->component < nc)
            at[v->component] = v;
    return v;
}

/* As pnr_get and pnr_val for a value found by pnr_element. */
static inline const char *pnr_text_of(const pw_edi_value *v)
{
    return v ? v->text : NULL;
}

/* Copies the message's value texts once (see pnr_map.copy). */
void pnr_copy_texts(pnr_map *mp, const pw_edi_message *em);

/* n bytes from the message's string region (no alignment); NULL on
 * failure (mp->rc set). */
char *pnr_str(pnr_map *mp, size_t n);

/* A warning about the current segment. */
void pnr_warn(pnr_map *mp, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Trimmed copy of n bytes of s; NULL when blank. A value of the
 * message that needs no trimming is not copied again, nor is text
 * already in the message's copy of its texts: the result then points
 * into the copy. */
const char *pnr_dup(pnr_map *mp, const char *s, size_t n);

/* Value v of the current message, trimmed as pnr_dup does. Most
 * values lie in the message's copy with nothing to trim: that case is
 * inline, with one unsigned compare for whether v lies in the copy. */
static inline const char *pnr_take(pnr_map *mp, const pw_edi_value *v)
{
    uintptr_t off = (uintptr_t)v->text - (uintptr_t)mp->lo;

    if (off < mp->take_span && v->len) {
        const char *t = mp->copy + off;
        if (t[0] != ' ' && t[v->len - 1] != ' ')
            return t;
    }
    return pnr_dup(mp, v->text, v->len);
}

/* Trimmed copy of component c of element e (repetition 0) into the
 * arena; NULL when absent or blank. Line breaks inside are removed. */
static inline const char *pnr_val(pnr_map *mp, unsigned e, unsigned c)
{
    const pw_edi_value *v = pnr_value(mp, e, c);

    return v ? pnr_take(mp, v) : NULL;
}

static inline const char *pnr_take_of(pnr_map *mp, const pw_edi_value *v)
{
    return v ? pnr_take(mp, v) : NULL;
}

/* A writable copy owned by the message of s (n bytes, NUL-terminated):
 * the message's copy of the value when s is one, else a new copy.
 * Writing to it changes what pnr_val gives for that value later, so
 * only a value read once may be changed. NULL on failure. */
char *pnr_mut(pnr_map *mp, const char *s, size_t n);

/* Clears the current segment's values in the message's copy of its
 * texts: data that was dropped is then kept nowhere in the message. */
void pnr_wipe(pnr_map *mp);

/* s (n bytes, writable, owned by the message) trimmed in place like
 * pnr_dup: s[n] may be overwritten with the terminating NUL. NULL when
 * blank. */
const char *pnr_trim(char *s, size_t n);

/* a, sep and b joined in the arena (NULL a or b read as ""). */
const char *pnr_cat(pnr_map *mp, const char *a, const char *sep, const char *b);

/* n bytes aligned for any type from the message's string region:
 * cheaper than an arena call for the small arrays of each booking.
 * NULL on failure (mp->rc set). */
void *pnr_alloc(pnr_map *mp, size_t n);

/* Grows *arr (n items of size `size`, capacity *cap) in the arena;
 * 0 on failure (mp->rc set). */
int pnr_grow(pnr_map *mp, void **arr, size_t n, size_t *cap, size_t size);

/* The first array of four items when it fits the string region as it
 * is (1), else 0 for pnr_grow to do. A booking's dozen arrays start
 * empty: their first room, taken inline, saves a call each. */
static inline int pnr_first(pnr_map *mp, void **arr, size_t *cap, size_t size)
{
    const uintptr_t align = alignof(max_align_t) - 1;
    size_t pad = (size_t)(-(uintptr_t)mp->str & align);

    if (*cap || !mp->str || (size_t)(mp->str_end - mp->str) < pad + 4 * size)
        return 0;
    *arr = mp->str + pad;
    mp->str += pad + 4 * size;
    *cap = 4;
    return 1;
}

/* Room for one more item of size `size` in *arr (n items, capacity
 * *cap), grown in the arena; NULL on failure (mp->rc set). The new
 * item is cleared. Inline, so that the clearing is a few stores of a
 * size known where it is called. */
static inline void *pnr_push(pnr_map *mp, void **arr, size_t *n, size_t *cap,
                             size_t size)
{
    char *p;

    if (*n == *cap && !pnr_first(mp, arr, cap, size) &&
        !pnr_grow(mp, arr, *n, cap, size))
        return NULL;
    p = (char *)*arr + *n * size;
    pw_msgs_clear(p, size);
    (*n)++;
    return p;
}

/* Sets today_year and today_mmdd from today ("YYYY-MM-DD"): every
 * birth date of a message is compared with that day, so its numbers are
 * worked out once. */
void pnr_today_numbers(pnr_map *mp);

/* Dates: "DDMMYY" (and "DDMMYY" + "HHMM") to ISO 8601; DDMMMYY as in
 * SSR DOCS ("12JUL64"); NULL when malformed. birth picks the century
 * that keeps the date on or before mp->today. */
const char *pnr_date(pnr_map *mp, const char *ddmmyy, const char *hhmm);
const char *pnr_ssr_date(pnr_map *mp, const char *s, size_t n, int birth);
/* As pnr_date for the values d and t (either NULL). */
const char *pnr_date_v(pnr_map *mp, const pw_edi_value *d,
                       const pw_edi_value *t);
/* As pnr_date for a day already made into iso by pnr_date (its first
 * ten bytes are used) and the time of value t (may be NULL). */
const char *pnr_date_on(pnr_map *mp, const char *iso, const pw_edi_value *t);

/* Drops or keeps: 1 when free text reveals a protected category, and
 * then counts it. */
int pnr_sensitive_text(pnr_map *mp, const char *text);

/* As pnr_seat_seen, by comparing the seat with every earlier one. */
int pnr_seat_repeats(const pnr_map *mp, const pw_seat *s);

/* 1 when the last seat of the booking repeats an earlier one (SSR SEAT
 * and the check-in's SSD name the same seat). Only a seat of a pair of
 * traveller and flight met before can: a bit for each pair (pairs
 * beyond eight travellers or flights share bits, which only costs a
 * comparison) spares the others the walk over the earlier seats. */
static inline int pnr_seat_seen(pnr_map *mp, const pw_seat *s)
{
    unsigned pair = ((unsigned)s->traveller * 8u + (unsigned)s->flight) & 63;
    uint64_t bit = (uint64_t)1 << pair;

    if (!(mp->seat_pairs & bit)) {
        mp->seat_pairs |= bit;
        return 0;
    }
    return pnr_seat_repeats(mp, s);
}

/* The traveller whose reference is ref, -1 when none. */
int pnr_traveller_by_ref(const pnr_map *mp, const char *ref);

/* Segment readers (pnrgov_ssr.c, pnrgov_pnr.c). */
void pnr_ssr(pnr_map *mp);
void pnr_ift(pnr_map *mp);
void pnr_tif(pnr_map *mp);
void pnr_add(pnr_map *mp);
void pnr_finish_docs(pnr_map *mp);
void pnr_contact(pnr_map *mp, const char *type, const char *value);
void pnr_history(pnr_map *mp, const char *what, const char *detail);

#endif

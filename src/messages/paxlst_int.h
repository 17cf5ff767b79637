/* Private to src/messages: the state shared by the PAXLST mapping files
 * (paxlst.c, paxlst_move.c, paxlst_person.c) and the date helpers. */
#ifndef PW_MESSAGES_PAXLST_INT_H
#define PW_MESSAGES_PAXLST_INT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "messages/codes.h"
#include "paxwatch/edifact.h"
#include "paxwatch/model.h"

/* Where in the message the segment being read belongs. */
typedef enum pw_msgs_ctx {
    PW_CTX_HEADER = 0, /* BGM, RFF TN */
    PW_CTX_REPORTER,   /* Gr1: NAD MS, COM */
    PW_CTX_MOVEMENT,   /* Gr2/Gr3: TDT, LOC, DTM */
    PW_CTX_PERSON,     /* Gr4: NAD FL/FM/... and its segments */
    PW_CTX_DOCUMENT    /* Gr5: DOC, DTM, LOC inside a person */
} pw_msgs_ctx;

/* Date kinds: they differ in how a two-digit year gets its century. */
typedef enum pw_msgs_date_kind {
    PW_DATE_TRAVEL, /* YY < 70: 20YY, else 19YY */
    PW_DATE_EXPIRY, /* the same rule */
    PW_DATE_BIRTH   /* the century that keeps the date out of the future */
} pw_msgs_date_kind;

typedef struct pw_msgs_map {
    const pw_edi_interchange *ix;
    pw_msg *m;
    const pw_edi_segment *seg; /* the segment being read */
    pw_msgs_ctx ctx;
    pw_rc rc;            /* first allocation failure, sticky */
    char today[11];      /* reference date for birth centuries */
    long today_num;      /* the same as the number YYYYMMDD, or -1 */
    char *str, *str_end; /* free space for strings */
    /* The message's value texts [lo, hi) in the interchange, copied
     * once to `copy` in the message's arena; lo NULL when not. */
    const char *lo, *hi;
    size_t span; /* hi - lo, 0 when there is no copy */
    const char *copy;
    uintptr_t shift; /* copy - lo: a value's text to its copy */

    /* Pools sized by a first pass over the message, so that every
     * array is allocated once and grown never. */
    pw_leg *legs;
    size_t cap_legs;
    pw_traveller *trs;
    size_t cap_trs;
    pw_document *docs;
    size_t n_docs, cap_docs;
    pw_contact *contacts;
    size_t n_contacts, cap_contacts;
    const char **tags;
    size_t n_tags, cap_tags;

    pw_leg *leg;               /* current leg, NULL before the first TDT */
    int seen_tdt;              /* a TDT has been read */
    const pw_edi_segment *cnt; /* the last CNT, for the count check */
    int loc92_pending;         /* a LOC 92 was placed as `from`, no DTM yet */
    pw_traveller *t;           /* current traveller */
    pw_document *doc;          /* current document */
    int issuer_is_country;     /* the doc's issuer came with code list 162 */
} pw_msgs_map;

/* A segment tag packed in an integer, for switching on tags without a
 * string comparison per case: the mapping runs once per segment. The
 * three bytes are read with one load, in the machine's byte order. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define PW_TAG(a, b, c)                                                        \
    ((uint32_t)(unsigned char)(a) << 24 | (uint32_t)(unsigned char)(b) << 16 | \
     (uint32_t)(unsigned char)(c) << 8)
#define PW_TAG_MASK 0xFFFFFF00u
#else
#define PW_TAG(a, b, c)                                                        \
    ((uint32_t)(unsigned char)(a) | (uint32_t)(unsigned char)(b) << 8 |        \
     (uint32_t)(unsigned char)(c) << 16)
#define PW_TAG_MASK 0x00FFFFFFu
#endif

/* Element e and component c as the two 16-bit fields that lie side by
 * side in pw_edi_value read with one 32-bit load. */
_Static_assert(offsetof(pw_edi_value, component) ==
                   offsetof(pw_edi_value, element) + 2,
               "element and component lie side by side");
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define PW_MSGS_EC(e, c) ((uint32_t)(e) << 16 | (uint32_t)(c))
#else
#define PW_MSGS_EC(e, c) ((uint32_t)(e) | (uint32_t)(c) << 16)
#endif

static inline uint32_t pw_msgs_tag(const pw_edi_segment *s)
{
    uint32_t v;

    memcpy(&v, s->tag, sizeof(v));
    return v & PW_TAG_MASK;
}

/* A code of one to four bytes packed in an integer, for a switch over
 * qualifiers instead of a string comparison per case; 0 for NULL, ""
 * or a longer value. Reads no byte after the NUL. */
static inline uint32_t pw_msgs_code(const char *s)
{
    uint32_t v = 0;

    if (!s)
        return 0;
    for (int i = 0; i < 4; i++) {
        if (!s[i])
            return v;
        v = v << 8 | (unsigned char)s[i];
    }
    return s[4] ? 0 : v;
}

#define PW_CODE2(a, b) ((uint32_t)(unsigned char)(a) << 8 | (unsigned char)(b))
#define PW_CODE3(a, b, c) (PW_CODE2(a, b) << 8 | (unsigned char)(c))

/* The value of component c of element e (first repetition) of the
 * current segment, untrimmed, with its length; NULL when absent.
 * Inline: the mapping asks for a few values of every segment. Segments
 * hold few values (two or three in most PAXLST segments), so a plain
 * scan that stops past the element has the least fixed cost. Values
 * sort by element, repetition, component. */
static inline const pw_edi_value *pw_msgs_value(const pw_msgs_map *mp,
                                                unsigned e, unsigned c)
{
    const pw_edi_value *v = mp->seg->values, *end = v + mp->seg->n_values;
    /* Element and component side by side, compared as one word. */
    uint32_t want = PW_MSGS_EC(e, c);

    for (; v < end; v++) {
        uint32_t ec;

        memcpy(&ec, &v->element, sizeof(ec));
        if (ec == want && v->repetition == 0)
            return v;
        if (v->element > e)
            break;
    }
    return NULL;
}

/* The text of v (may be NULL) as pw_msgs_code packs it, read by its
 * length (values hold no NUL). */
static inline uint32_t pw_msgs_vcode(const pw_edi_value *v)
{
    const unsigned char *s;

    if (!v)
        return 0;
    s = (const unsigned char *)v->text;
    switch (v->len) {
    case 1:
        return s[0];
    case 2:
        return PW_CODE2(s[0], s[1]);
    case 3:
        return PW_CODE3(s[0], s[1], s[2]);
    case 4:
        return PW_CODE3(s[0], s[1], s[2]) << 8 | s[3];
    default:
        return 0;
    }
}

/* The qualifier of the current segment, component 1 of element 1, as
 * pw_msgs_code packs it, its text as sent in *q (NULL when absent). It
 * can only be the first value: values sort by element, repetition and
 * component, and none has element or component 0. */
static inline uint32_t pw_msgs_qual(const pw_msgs_map *mp, const char **q)
{
    const pw_edi_value *v = mp->seg->values;
    uint32_t ec;

    *q = NULL;
    if (!mp->seg->n_values)
        return 0;
    memcpy(&ec, &v->element, sizeof(ec));
    if (ec != PW_MSGS_EC(1, 1) || v->repetition)
        return 0;
    *q = v->text;
    return pw_msgs_vcode(v);
}

/* As pw_edi_get(mp->seg, e, c): the text as sent, in the interchange. */
static inline const char *pw_msgs_get(const pw_msgs_map *mp, unsigned e,
                                      unsigned c)
{
    const pw_edi_value *v = pw_msgs_value(mp, e, c);

    return v ? v->text : NULL;
}

/* s (n bytes) trimmed and copied into the message's string space;
 * NULL when blank or out of memory (then mp->rc is set). */
const char *pw_msgs_trim_copy(pw_msgs_map *mp, const char *s, size_t n);

/* The text s of n bytes (NUL-terminated) trimmed, in the message's
 * arena: in its one copy of the message's texts when s is one of them
 * (found by its offset), else copied; NULL when blank. A value with
 * spaces at its end is copied, as the copy is shared by the values
 * after it. Inline, as every value read comes through here. */
static inline const char *pw_msgs_text(pw_msgs_map *mp, const char *s, size_t n)
{
    size_t off = (size_t)((uintptr_t)s - (uintptr_t)mp->lo);
    const char *t;

    /* One unsigned compare each: before lo wraps round to a large
     * offset, and no copy means a span of 0. */
    if (off >= mp->span || n >= mp->span - off)
        return pw_msgs_trim_copy(mp, s, n);
    t = mp->copy + off;
    if (n && t[n - 1] == ' ')
        return pw_msgs_trim_copy(mp, t, n);
    while (n && *t == ' ') {
        t++;
        n--;
    }
    return n ? t : NULL;
}

/* pw_msgs_text of v, a value of one of the message's own segments:
 * such a value always lies in the copy when there is one, so it needs
 * no bounds check, and values are never empty. */
static inline const char *pw_msgs_vtext(pw_msgs_map *mp, const pw_edi_value *v)
{
    const char *t;

    if (!mp->span)
        return pw_msgs_trim_copy(mp, v->text, v->len);
    t = (const char *)((uintptr_t)v->text + mp->shift);
    if (t[0] == ' ' || t[v->len - 1] == ' ')
        return pw_msgs_text(mp, v->text, v->len);
    return t;
}

/* Component c of element e of the current segment, trimmed, in the
 * message's arena (most often in its one copy of the message's texts);
 * NULL when absent or blank. */
static inline const char *pw_msgs_val(pw_msgs_map *mp, unsigned e, unsigned c)
{
    const pw_edi_value *v = pw_msgs_value(mp, e, c);

    return v ? pw_msgs_vtext(mp, v) : NULL;
}

/* A copy of the n bytes at s, NUL-terminated, in the message's string
 * space; NULL when out of memory. */
const char *pw_msgs_copy(pw_msgs_map *mp, const char *s, size_t n);

/* s (may be NULL) trimmed, in the message's arena. */
const char *pw_msgs_dup(pw_msgs_map *mp, const char *s);

/* "a b" (sep ' ') or "ab" (sep 0) in the message's string space; a or
 * b alone when the other is NULL. */
const char *pw_msgs_cat(pw_msgs_map *mp, const char *a, char sep,
                        const char *b);

/* Records a warning about the current segment. */
void pw_msgs_warn(pw_msgs_map *mp, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The movement segments: TDT, LOC and DTM outside a person. */
void pw_msgs_tdt(pw_msgs_map *mp);
void pw_msgs_move_loc(pw_msgs_map *mp);
void pw_msgs_move_dtm(pw_msgs_map *mp);
void pw_msgs_fill_utc(pw_msgs_map *mp);

/* The person segments: NAD (not MS) starts a traveller; the others add
 * to the current one. Returns 0 when tag is not a person segment. */
void pw_msgs_nad_person(pw_msgs_map *mp, const char *qual);
int pw_msgs_person_segment(pw_msgs_map *mp);

/* Reads segments from s on with pw_msgs_person_segment while it takes
 * them and mp->rc is PW_OK; returns the first one it did not read (end
 * at the end). mp->seg is left at the last one looked at. */
const pw_edi_segment *pw_msgs_person_run(pw_msgs_map *mp,
                                         const pw_edi_segment *s,
                                         const pw_edi_segment *end);

/* Contacts from a COM segment into the contact pool; returns the first
 * one added and the count in *n. */
pw_contact *pw_msgs_com(pw_msgs_map *mp, size_t *n);

/* Converts the DTM value v of format fmt (2379; NULL: guess from the
 * length) to ISO 8601 in out. ref is "YYYY-MM-DD" for PW_DATE_BIRTH.
 * Returns 1 on success, 0 when v is not a valid date. */
int pw_msgs_date(const char *v, const char *fmt, pw_msgs_date_kind kind,
                 const char *ref, char out[32]);

/* As pw_msgs_date for the len bytes at v, with the reference date as
 * pw_msgs_date_ref gives it (-1: none). Returns the length written to
 * out, 0 when v is not a valid date. */
size_t pw_msgs_date_n(const char *v, size_t len, const char *fmt,
                      pw_msgs_date_kind kind, long ref, char out[32]);

/* ref "YYYY-MM-DD" (may be NULL) as the number YYYYMMDD, -1 when it is
 * not one. */
long pw_msgs_date_ref(const char *ref);

#endif

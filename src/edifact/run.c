/* The tokenizer's fast lane: runs of plain data segments inside a
 * message, read 64 bytes at a time straight across segment ends. */
#include <string.h>

#include "edifact/edi_internal.h"

#if defined(__SSE2__) && !defined(PW_EDI_NO_SIMD)
#include <emmintrin.h>

/* Bytes kept readable past a block, for the look at the next tag. */
#define RUN_TAIL 68
/* Value records a block may need: one per separator, one spare. */
#define RUN_VALUES 66

/* The separators of one block of 64 bytes, bit i for byte i, and the
 * bytes that the general path must handle (release character, control,
 * line break, DEL, above 0x7F, lower case while it counts). */
typedef struct run_masks {
    uint64_t comp, elem, term, rep, special;
} run_masks;

/* The state of a run: one local of edi_run, its helpers inlined, so
 * that the compiler may keep the hot fields in registers. */
typedef struct run_state {
    const unsigned char *d;
    /* Where the copy of input offset 0 would lie: the copy begins at
     * the run's first offset, so this address may be outside it, which
     * is kept as an integer (a pointer there would be undefined). */
    uintptr_t o;
    size_t start; /* tag offset of the segment being read */
    size_t from;  /* where the value being read began */
    unsigned e, c, r;
    unsigned max_e, max_c, max_r;
    size_t max_len; /* bytes of one segment */
    pw_edi_value *v, *first, *v_end;
    pw_edi_segment *segs;
    size_t n_segs, cap_segs;
    uint32_t seg_no;
    size_t blk;         /* offset of the block being walked */
    uint64_t seps;      /* its separators not yet walked */
    uint64_t skip_next; /* separators of the next block already read */
} run_state;

static inline __m128i eq(__m128i x, const unsigned char *v)
{
    return _mm_cmpeq_epi8(x, _mm_load_si128((const __m128i *)v));
}

static inline uint64_t bits(__m128i m)
{
    return (uint64_t)(unsigned)_mm_movemask_epi8(m);
}

/* Bytes that may be special: controls and everything above 0x7F (signed
 * below 0x20), DEL, the release character, lower case when it counts. */
static inline __m128i odd16(const edi_stops *st, __m128i x)
{
    const __m128i a = _mm_set1_epi8((char)('a' + 128));
    const __m128i z = _mm_set1_epi8((char)(-128 + 26));
    __m128i m = _mm_or_si128(_mm_cmplt_epi8(x, _mm_set1_epi8(0x20)),
                             _mm_cmpeq_epi8(x, _mm_set1_epi8(0x7F)));

    m = _mm_or_si128(
        m, _mm_cmpeq_epi8(x, _mm_load_si128((const __m128i *)st->sep[3])));
    if (st->lower)
        m = _mm_or_si128(m, _mm_cmplt_epi8(_mm_sub_epi8(x, a), z));
    return m;
}

/* Classifies the bytes of the block at in and copies it to out with
 * every separator turned into the NUL that ends a value. */
static inline void block_read(const edi_stops *st, const unsigned char *in,
                              char *out, run_masks *m)
{
    uint64_t odd = 0;

    memset(m, 0, sizeof(*m));
    for (int i = 0; i < 4; i++) {
        __m128i x = _mm_loadu_si128((const __m128i *)(in + 16 * i));
        __m128i c = eq(x, st->sep[0]), e = eq(x, st->sep[1]);
        __m128i t = eq(x, st->sep[2]);
        __m128i s = _mm_or_si128(_mm_or_si128(c, e), t);

        if (st->has_rep) {
            __m128i r = eq(x, st->sep[4]);

            s = _mm_or_si128(s, r);
            m->rep |= bits(r) << (16 * i);
        }
        _mm_storeu_si128((__m128i *)(out + 16 * i), _mm_andnot_si128(s, x));
        m->comp |= bits(c) << (16 * i);
        m->elem |= bits(e) << (16 * i);
        m->term |= bits(t) << (16 * i);
        odd |= bits(odd16(st, x)) << (16 * i);
    }
    /* Separators may themselves be controls (UNOB). */
    m->special = odd & ~(m->comp | m->elem | m->term | m->rep);
}

static inline int is_tag_byte(unsigned char b)
{
    return (unsigned)(b - 'A') < 26 || (unsigned)(b - '0') < 10;
}

/* A data segment starts at s: a tag not beginning with U (service
 * segments go through the envelope) and an element separator or the
 * terminator after it. */
static inline int tag_plain(const run_state *r, const edi_stops *st, size_t s)
{
    const unsigned char *t = r->d + s;

    return t[0] != 'U' && is_tag_byte(t[0]) && is_tag_byte(t[1]) &&
           is_tag_byte(t[2]) &&
           (t[3] == st->sep[1][0] || t[3] == st->sep[2][0]);
}

/* Stores the segment ended by the terminator at q and starts the next;
 * 0 when the run must stop (a limit or array end the general path
 * reports or grows, or the next segment is not a plain data one). */
static inline int segment_close(run_state *r, const edi_stops *st, size_t q)
{
    pw_edi_segment *sg;

    if (q - r->start >= r->max_len || r->n_segs >= r->cap_segs)
        return 0;
    sg = &r->segs[r->n_segs++];
    memcpy(sg->tag, r->d + r->start, 3);
    sg->tag[3] = '\0';
    sg->number = ++r->seg_no;
    sg->offset = r->start;
    sg->n_elements = (uint16_t)r->e;
    sg->n_values = (uint32_t)(r->v - r->first);
    sg->values = r->first;
    r->first = r->v;
    r->start = q + 1;
    if (!tag_plain(r, st, q + 1))
        return 0;
    r->c = 1;
    r->r = 0;
    if (r->d[q + 4] != st->sep[1][0]) {
        r->from = q + 4; /* the terminator: a segment without elements */
        r->e = 0;
        return 1;
    }
    /* The element separator after the tag is taken here, so that the
     * walk does not stop at it: every segment has one. */
    r->from = q + 5;
    r->e = 1;
    if (q + 4 - r->blk < 64)
        r->seps &= ~((uint64_t)1 << (q + 4 - r->blk));
    else
        r->skip_next = (uint64_t)1 << (q + 4 - r->blk - 64);
    return 1;
}

/* Ends the value before the separator at q (a record is always written,
 * kept only when the value is not empty) and moves the counters; 0 when
 * the run must stop. */
static inline int separator(run_state *r, const edi_stops *st,
                            const run_masks *m, size_t q, uint64_t bit)
{
    pw_edi_value *v = r->v;

    v->text = (const char *)(r->o + r->from);
    v->len = (uint32_t)(q - r->from);
    v->element = (uint16_t)r->e;
    v->component = (uint16_t)r->c;
    v->repetition = (uint16_t)r->r;
    r->v += q > r->from;
    r->from = q + 1;
    if (bit & m->elem) {
        r->c = 1;
        r->r = 0;
        return ++r->e <= r->max_e;
    }
    if (bit & m->comp)
        return ++r->c <= r->max_c;
    if (bit & m->term)
        return segment_close(r, st, q);
    r->c = 1;
    return ++r->r < r->max_r;
}

/* The separators of the block at blk in order, up to its first special
 * byte; 0 when the run must stop. */
static inline int block_walk(run_state *r, const edi_stops *st,
                             const run_masks *m, size_t blk)
{
    r->blk = blk;
    r->seps = (m->comp | m->elem | m->term | m->rep) & ~r->skip_next;
    r->skip_next = 0;
    if (m->special)
        r->seps &= (m->special & -m->special) - 1;
    for (; r->seps; r->seps &= r->seps - 1) {
        unsigned j = (unsigned)__builtin_ctzll(r->seps);

        if (!separator(r, st, m, blk + j, (uint64_t)1 << j))
            return 0;
    }
    return m->special == 0 && blk + 64 - r->start <= r->max_len;
}

static void run_init(edi_parser *p, run_state *r)
{
    edi_ix *ix = p->ix;
    size_t cap = ix->cap_segments;

    memset(r, 0, sizeof(*r));
    r->d = p->data;
    r->start = p->pos;
    r->from = p->pos + 3;
    r->c = 1;
    r->max_e = (unsigned)p->lim.max_elements;
    r->max_c = (unsigned)p->lim.max_components;
    r->max_r = (unsigned)p->lim.max_repetitions;
    r->max_len = p->lim.max_segment_len;
    r->v = r->first = ix->values + ix->n_values;
    r->v_end = ix->values + ix->cap_values;
    r->segs = ix->pub.segments;
    r->n_segs = ix->pub.n_segments;
    r->cap_segs = cap < p->lim.max_segments ? cap : p->lim.max_segments;
    r->seg_no = p->seg_no;
}

/* Hands back what the run read: everything before the segment it
 * stopped in, which the general path reads again from its tag. */
static void run_done(edi_parser *p, const run_state *r, char *out0, size_t base)
{
    edi_ix *ix = p->ix;

    ix->n_values = (size_t)(r->first - ix->values);
    ix->pub.n_segments = r->n_segs;
    p->seg_no = r->seg_no;
    p->out = out0 + (r->start - base);
    p->pos = r->start;
}

size_t edi_run(edi_parser *p)
{
    const edi_stops *st = &p->stops;
    size_t base = p->pos, room = (size_t)(p->out_end - p->out), stop;
    char *out0 = p->out;
    run_state r;

    if (p->len - base < 64 + RUN_TAIL || room < 256)
        return 0;
    run_init(p, &r);
    if (!tag_plain(&r, st, base))
        return 0;
    /* The output mirrors the input from base; blocks are stored whole,
     * so the last one may reach 64 bytes past what the run keeps. */
    stop = p->len - RUN_TAIL;
    if (room - 128 < stop - base)
        stop = base + (room - 128);
    r.o = (uintptr_t)out0 - base;
    for (size_t blk = base; blk + 64 <= stop; blk += 64) {
        run_masks m;

        if (r.v_end - r.v < RUN_VALUES)
            break;
        block_read(st, r.d + blk, out0 + (blk - base), &m);
        if (!block_walk(&r, st, &m, blk))
            break;
    }
    run_done(p, &r, out0, base);
    return p->pos - base;
}
#else
size_t edi_run(edi_parser *p)
{
    (void)p;
    return 0;
}
#endif

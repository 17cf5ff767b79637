/* The tokenizer's fast lane: runs of plain data segments inside a
 * message, read 64 bytes at a time straight across segment ends. */
#include <stddef.h>
#include <string.h>
#include <threads.h>

#include "edifact/edi_internal.h"

#if defined(__SSE2__) && !defined(PW_EDI_NO_SIMD)
#include <emmintrin.h>

/* AVX2 is chosen at run time where the CPU has it: the blocks are then
 * classified 32 bytes per compare, the rest of the run unchanged. */
#if (defined(__GNUC__) || defined(__clang__)) && defined(__x86_64__) &&        \
    !defined(PW_EDI_NO_AVX2)
#define RUN_WIDE 1
#include <immintrin.h>
#else
#define RUN_WIDE 0
#endif

/* Bytes kept readable past a block, for the look at the next tag and
 * the line break or spaces before it. */
#define RUN_TAIL 68
/* Value records a block may need: one per separator, one spare. */
#define RUN_VALUES 66
/* Spaces and line breaks read between two segments before the run
 * leaves them to the general path (CR LF is two). */
#define RUN_GAP_MAX 8

/* The bytes of one block of 64 bytes that the run must look at, bit i
 * for byte i: the separators, and the bytes that the general path must
 * handle (release character, control, line break, DEL, above 0x7F,
 * lower case while it counts). Which one a bit stands for is read from
 * the byte itself, separators first, so one mask serves for both. */
typedef struct run_masks {
    uint64_t all;
} run_masks;

/* What a run may not pass, and how its service characters read. */
typedef struct run_rules {
    unsigned max_e, max_c, max_r;
    size_t max_len;  /* bytes of one segment */
    size_t cap_segs; /* segment records that may be written */
    pw_edi_segment *segs;
    unsigned char ce, cc, ct, cr; /* element, component, terminator,
                                     repetition (component when none) */
    int gap;                      /* spaces and line breaks between
                                     segments may be skipped here */
} run_rules;

static inline __m128i eq(__m128i x, const unsigned char *v)
{
    return _mm_cmpeq_epi8(x, _mm_load_si128((const __m128i *)v));
}

static inline uint64_t bits(__m128i m)
{
    return (uint64_t)(unsigned)_mm_movemask_epi8(m);
}

/* Bytes that may be special: controls, DEL and everything above 0x7F
 * (one add and one signed compare), the release character, lower case
 * when it counts. */
static inline __m128i odd16(const edi_stops *st, int lower, __m128i x)
{
    const __m128i a = _mm_set1_epi8((char)('a' + 128));
    const __m128i z = _mm_set1_epi8((char)(-128 + 26));
    /* x + 1 below 0x21, signed: the controls, and DEL and the upper
     * half, which the add makes negative or zero. */
    __m128i m =
        _mm_cmplt_epi8(_mm_add_epi8(x, _mm_set1_epi8(1)), _mm_set1_epi8(0x21));

    m = _mm_or_si128(
        m, _mm_cmpeq_epi8(x, _mm_load_si128((const __m128i *)st->sep[3])));
    if (lower)
        m = _mm_or_si128(m, _mm_cmplt_epi8(_mm_sub_epi8(x, a), z));
    return m;
}

/* Classifies the bytes of the block at in and copies it to out with
 * every separator turned into the NUL that ends a value. */
static inline run_masks block_read(const edi_stops *st, int has_rep, int lower,
                                   const unsigned char *in, char *out)
{
    uint64_t all = 0;
    run_masks m;

    for (int i = 0; i < 4; i++) {
        __m128i x = _mm_loadu_si128((const __m128i *)(in + 16 * i));
        __m128i s =
            _mm_or_si128(_mm_or_si128(eq(x, st->sep[0]), eq(x, st->sep[1])),
                         eq(x, st->sep[2]));

        if (has_rep)
            s = _mm_or_si128(s, eq(x, st->sep[4]));
        _mm_storeu_si128((__m128i *)(out + 16 * i), _mm_andnot_si128(s, x));
        all |= bits(_mm_or_si128(s, odd16(st, lower, x))) << (16 * i);
    }
    m.all = all;
    return m;
}

#if RUN_WIDE
/* Blocks classified at once by the wide reader, ahead of the walk. */
#define RUN_AHEAD 4

/* The special bytes of x as odd16 finds them (x + 1 below 0x21), and
 * with lower case special all outside 0x20-0x60 in one compare: that
 * also stops the run at { | } ~, which the general path then reads as
 * the plain bytes they are. */
__attribute__((target("avx2"), always_inline)) static inline __m256i
wide_odd(__m256i x, __m256i rel, int lower)
{
    __m256i m;

    if (lower)
        m = _mm256_cmpgt_epi8(_mm256_add_epi8(x, _mm256_set1_epi8(0x60)),
                              _mm256_set1_epi8((char)0xC0));
    else
        m = _mm256_cmpgt_epi8(_mm256_set1_epi8(0x21),
                              _mm256_add_epi8(x, _mm256_set1_epi8(1)));
    return _mm256_or_si256(m, _mm256_cmpeq_epi8(x, rel));
}

/* block_read for n blocks (1 to RUN_AHEAD) with 32-byte compares, the
 * masks into masks[0, n). */
__attribute__((target("avx2"), always_inline)) static inline void
wide_blocks(const edi_stops *st, int has_rep, int lower,
            const unsigned char *in, char *out, size_t n, uint64_t *masks)
{
    const __m256i cc = _mm256_set1_epi8((char)st->sep[0][0]);
    const __m256i ce = _mm256_set1_epi8((char)st->sep[1][0]);
    const __m256i ct = _mm256_set1_epi8((char)st->sep[2][0]);
    const __m256i rel = _mm256_set1_epi8((char)st->sep[3][0]);
    const __m256i cr = _mm256_set1_epi8((char)st->sep[4][0]);

    for (size_t i = 0; i < n; i++) {
        uint64_t half[2];

        for (int h = 0; h < 2; h++) {
            size_t at = 64 * i + 32 * (size_t)h;
            __m256i x = _mm256_loadu_si256((const __m256i *)(in + at));
            __m256i s =
                _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(x, cc),
                                                _mm256_cmpeq_epi8(x, ce)),
                                _mm256_cmpeq_epi8(x, ct));

            if (has_rep)
                s = _mm256_or_si256(s, _mm256_cmpeq_epi8(x, cr));
            _mm256_storeu_si256((__m256i *)(out + at),
                                _mm256_andnot_si256(s, x));
            half[h] = (uint32_t)_mm256_movemask_epi8(
                _mm256_or_si256(s, wide_odd(x, rel, lower)));
        }
        masks[i] = half[0] | half[1] << 32;
    }
}

/* wide_blocks with its two choices constant, out of line: the walk that
 * calls it is not built for AVX2. */
__attribute__((target("avx2"), noinline)) static void
wide_read(const edi_stops *st, const unsigned char *in, char *out, size_t n,
          uint64_t *masks)
{
    if (st->has_rep && st->lower)
        wide_blocks(st, 1, 1, in, out, n, masks);
    else if (st->has_rep)
        wide_blocks(st, 1, 0, in, out, n, masks);
    else if (st->lower)
        wide_blocks(st, 0, 1, in, out, n, masks);
    else
        wide_blocks(st, 0, 0, in, out, n, masks);
}

/* 1 when the CPU has AVX2, set once with the tag pairs. */
static int run_wide;
#endif

/* 1 for the bytes a tag is made of (A-Z, 0-9), 2 also for those that
 * may begin a data segment's tag (not U): a table, as every segment's
 * tag is checked. */
static const uint8_t tag_bytes[256] = {
    ['0'] = 3, ['1'] = 3, ['2'] = 3, ['3'] = 3, ['4'] = 3, ['5'] = 3,
    ['6'] = 3, ['7'] = 3, ['8'] = 3, ['9'] = 3, ['A'] = 3, ['B'] = 3,
    ['C'] = 3, ['D'] = 3, ['E'] = 3, ['F'] = 3, ['G'] = 3, ['H'] = 3,
    ['I'] = 3, ['J'] = 3, ['K'] = 3, ['L'] = 3, ['M'] = 3, ['N'] = 3,
    ['O'] = 3, ['P'] = 3, ['Q'] = 3, ['R'] = 3, ['S'] = 3, ['T'] = 3,
    ['U'] = 1, ['V'] = 3, ['W'] = 3, ['X'] = 3, ['Y'] = 3, ['Z'] = 3};

/* pairs: the first two bytes of a tag, as one 16-bit load reads them,
 * 1 when they may begin a data segment's tag (tag_bytes), so that a
 * segment's tag takes two look-ups, not three; bytes: tag_bytes. One
 * object, so that both are reached from one address. 64 KiB, filled
 * once. */
static struct tag_tables {
    uint8_t pairs[1 << 16];
    uint8_t bytes[256];
} tag_tab;
static once_flag tag_pairs_once = ONCE_FLAG_INIT;

static void tag_pairs_fill(void)
{
    for (unsigned w = 0; w < (1u << 16); w++) {
        unsigned char b[2];
        uint16_t h = (uint16_t)w;

        memcpy(b, &h, 2);
        tag_tab.pairs[w] = (tag_bytes[b[0]] >> 1) & tag_bytes[b[1]] & 1;
    }
    memcpy(tag_tab.bytes, tag_bytes, sizeof(tag_bytes));
#if RUN_WIDE
    run_wide = __builtin_cpu_supports("avx2");
#endif
}

/* A data segment starts at s: a tag not beginning with U (service
 * segments go through the envelope) and an element separator or the
 * terminator after it. */
static inline int tag_plain(const unsigned char *d, const run_rules *k,
                            size_t s)
{
    const unsigned char *t = d + s;
    uint16_t h;

    memcpy(&h, t, 2);
    return (tag_tab.pairs[h] & tag_tab.bytes[t[2]]) &&
           (t[3] == k->ce || t[3] == k->ct);
}

static inline int is_gap_byte(unsigned char b)
{
    return b == '\r' || b == '\n' || b == ' ' || b == '\t';
}

/* Where the segment after the terminator at q begins: right after it,
 * or past a few spaces and line breaks once the general path has
 * reported them (it does so once per interchange). */
static inline size_t next_start(const unsigned char *d, const run_rules *k,
                                size_t q)
{
    size_t s = q + 1;

    if (!k->gap || !is_gap_byte(d[s]))
        return s;
    while (is_gap_byte(d[s]) && s - q <= RUN_GAP_MAX)
        s++;
    return is_gap_byte(d[s]) ? q + 1 : s;
}

/* The bits of the gap bytes between the terminator at bit j and the
 * next segment at bit s dropped from the block's mask when both are in
 * the block: line breaks and tabs are special bytes, and walking them
 * cost more than the gap itself. Bit j stays, for the walk to clear.
 * A gap that runs into the next block is walked, its bytes skipped
 * one by one as before the segment start. */
static inline uint64_t gap_drop(uint64_t all, size_t j, size_t s)
{
    return s < 64 ? all & ((~(uint64_t)0 << s) | ((uint64_t)1 << j)) : all;
}

/* The index of the lowest set bit of x, which is not 0. __builtin_ctzll
 * gives an int, and gcc then widens it and clears the register first,
 * three instructions for every separator of the walk where one does. */
static inline size_t low_bit(uint64_t x)
{
#if defined(__x86_64__)
    uint64_t r;

    __asm__("bsfq %1, %0" : "=r"(r) : "r"(x) : "cc");
    return (size_t)r;
#else
    return (size_t)__builtin_ctzll(x);
#endif
}

/* The three bytes of a tag in a 32-bit load (SSE2 means x86, which is
 * little-endian, as are the stores of value records below). */
#define PW_EDI_TAG3 0x00FFFFFFu

/* A value's element, component and repetition in one word, ecr =
 * element | component << 16 | repetition << 32, as they lie side by
 * side in pw_edi_value (the top 16 bits fall on its padding, and are
 * always 0): one store writes all three, and a new element is one mask
 * and one add, which also sets the repetition back to 0. */
#define EC_E 1u
#define EC_C 0x10000u
#define EC_EMASK 0xFFFFu
#define EC_R ((uint64_t)1 << 32)

_Static_assert(offsetof(pw_edi_value, component) ==
                       offsetof(pw_edi_value, element) + 2 &&
                   offsetof(pw_edi_value, repetition) ==
                       offsetof(pw_edi_value, element) + 4 &&
                   offsetof(pw_edi_value, element) + 8 <= sizeof(pw_edi_value),
               "element, component and repetition lie side by side");

/* Fills the record of the segment from start whose values are
 * first .. v - 1; ecr holds its element count. */
static inline void segment_put(pw_edi_segment *sg, const unsigned char *d,
                               size_t start, uint32_t number, uint64_t ecr,
                               const pw_edi_value *first, const pw_edi_value *v)
{
    uint32_t tag;

    memcpy(&tag, d + start, 4);
    tag &= PW_EDI_TAG3;
    memcpy(sg->tag, &tag, 4);
    sg->number = number;
    sg->offset = start;
    sg->n_elements = (uint16_t)(ecr & EC_EMASK);
    /* v - first, the division by the record size of 24 as a shift and
     * a multiply by the inverse of 3 modulo 2^32, exact as the byte
     * distance is a multiple of 24. */
    sg->n_values =
        (uint32_t)(((uintptr_t)v - (uintptr_t)first) >> 3) * 0xAAAAAAABu;
    sg->values = first;
}

/* Writes the record of the value [from, q) at v; the caller keeps it
 * only when it is not empty. */
static inline void value_put(pw_edi_value *v, uintptr_t o, size_t from,
                             size_t q, uint64_t ecr)
{
    v->text = (const char *)(o + from);
    v->len = (uint32_t)(q - from);
    memcpy(&v->element, &ecr, sizeof(ecr));
}

static void rules_init(const edi_parser *p, run_rules *k)
{
    const edi_stops *st = &p->stops;
    size_t cap = p->ix->cap_segments;

    call_once(&tag_pairs_once, tag_pairs_fill);
    /* The run stops a little early rather than let a counter outgrow
     * its 16 bits: the general path then reports the limit. */
    k->max_e =
        (unsigned)(p->lim.max_elements < 65534 ? p->lim.max_elements : 65534);
    k->max_c = (unsigned)(p->lim.max_components < 65534 ? p->lim.max_components
                                                        : 65534);
    k->max_r = (unsigned)p->lim.max_repetitions;
    k->max_len = p->lim.max_segment_len;
    k->segs = p->ix->pub.segments;
    k->cap_segs = cap < p->lim.max_segments ? cap : p->lim.max_segments;
    k->cc = st->sep[0][0];
    k->ce = st->sep[1][0];
    k->ct = st->sep[2][0];
    k->cr = st->sep[4][0];
    /* Gaps are skipped silently only once reported, and never when a
     * service character is one of the gap bytes. */
    k->gap = p->space_reported && !is_gap_byte(k->cc) && !is_gap_byte(k->ce) &&
             !is_gap_byte(k->ct) && !is_gap_byte(k->cr) &&
             !is_gap_byte(st->sep[3][0]);
}

/* The run itself, its state in locals so that it stays in registers.
 * Reads blocks from base while they end before stop, and hands back
 * everything before the segment it stopped in (or the gap before it),
 * which the general path reads again. Each separator ends a value (a
 * record is always written, kept only when the value is not empty) and
 * moves the counters. Room for values and segments, and the length
 * limit, are checked once per block: a block holds at most 64
 * separators, and no segment ending in it is longer than the bytes from
 * the open segment's start to the block's end. */
static inline __attribute__((always_inline)) void
run_blocks(edi_parser *p, const run_rules *k, size_t base, size_t stop,
           int has_rep, int lower, int wide)
{
    const edi_stops *st = &p->stops;
    const unsigned char *d = p->data;
    edi_ix *ix = p->ix;
    char *out0 = p->out;
    uintptr_t o = (uintptr_t)out0 - base;
    pw_edi_value *v = ix->values + ix->n_values, *first = v;
    pw_edi_value *v_end = ix->values + ix->cap_values;
    pw_edi_segment *sg = k->segs + ix->pub.n_segments;
    const pw_edi_segment *sg_end = k->segs + k->cap_segs;
    const size_t max_len = k->max_len;
    const uint32_t lim_e = k->max_e | EC_C;
    const uint32_t lim_c = (k->max_c + 1) << 16;
    const unsigned max_r = k->max_r;
    const unsigned char ce = k->ce, cc = k->cc, ct = k->ct, cr = k->cr;
    size_t start = base, from = base + 3;
    uint32_t seg_no = p->seg_no;
    uint64_t ecr = EC_C;
    uint64_t all, skip = 0; /* skip: a separator of the next block taken */
#if RUN_WIDE
    uint64_t ahead[RUN_AHEAD];
    /* Blocks checked for room at once: the AVX2 reader's four. */
    const size_t group = wide ? RUN_AHEAD : 1;
#else
    const size_t group = 1;

    (void)wide;
#endif

    for (size_t grp = base; grp + 64 <= stop; grp += 64 * group) {
        /* A constant 1 without the AVX2 reader, so that its walk is
         * the plain loop over blocks it was. */
        size_t nb = group == 1 ? 1 : (stop - grp) / 64;

        if (nb > group)
            nb = group;
        if (v_end - v < (ptrdiff_t)(RUN_VALUES * nb) ||
            sg_end - sg < (ptrdiff_t)(64 * nb) ||
            grp + 64 * nb - start > max_len)
            break;
#if RUN_WIDE
        /* The group's blocks are read at once; they lie before stop, so
         * the copy stays in the room reserved. */
        if (wide)
            wide_read(st, d + grp, out0 + (grp - base), nb, ahead);
#endif
        for (size_t bi = 0; bi < nb; bi++) {
            size_t blk = grp + 64 * bi;

#if RUN_WIDE
            if (wide)
                all = ahead[bi] & ~skip;
            else
#endif
                all =
                    block_read(st, has_rep, lower, d + blk, out0 + (blk - base))
                        .all &
                    ~skip;
            skip = 0;
            for (; all; all &= all - 1) {
                size_t q = blk + low_bit(all);
                unsigned char b = d[q];

                /* Separators by how often they come: elements, then
                 * segment ends, then components. */
                if (b == ce) {
                    value_put(v, o, from, q, ecr);
                    v += q > from;
                    from = q + 1;
                    ecr = (ecr & EC_EMASK) + (EC_E | EC_C);
                    if ((uint32_t)ecr > lim_e)
                        goto done;
                } else if (b == ct) {
                    unsigned char b3;

                    value_put(v, o, from, q, ecr);
                    v += q > from;
                    segment_put(sg++, d, start, ++seg_no, ecr, first, v);
                    first = v;
                    /* Most segments follow right after the terminator;
                     * a gap is looked for only when no tag is there. */
                    start = q + 1;
                    if (__builtin_expect(!tag_plain(d, k, start), 0)) {
                        start = next_start(d, k, q);
                        if (start == q + 1 || !tag_plain(d, k, start))
                            goto done;
                        all = gap_drop(all, q - blk, start - blk);
                    }
                    /* Every segment with elements has a separator after its
                     * tag (tag_plain saw it): it is taken here, not walked. */
                    b3 = d[start + 3];
                    from = start + 3;
                    ecr = EC_C;
                    if (b3 == ce) {
                        size_t at = from - blk;

                        from++;
                        ecr = EC_E | EC_C;
                        if (at < 64)
                            all &= ~((uint64_t)1 << at);
                        else
                            skip = (uint64_t)1 << (at - 64);
                    }
                } else if (b == cc) {
                    value_put(v, o, from, q, ecr);
                    v += q > from;
                    from = q + 1;
                    ecr += EC_C;
                    if ((uint32_t)ecr >= lim_c)
                        goto done;
                } else if (has_rep && b == cr) {
                    value_put(v, o, from, q, ecr);
                    v += q > from;
                    from = q + 1;
                    ecr = ((ecr & ~(uint64_t)0xFFFF0000u) | EC_C) + EC_R;
                    if ((ecr >> 32) >= max_r)
                        goto done;
                } else if (q >= start) {
                    goto done; /* a byte for the general path */
                }
                /* else a gap byte before the segment, skipped */
            }
        }
    }
done:
    ix->n_values = (size_t)(first - ix->values);
    ix->pub.n_segments = (size_t)(sg - k->segs);
    p->seg_no = seg_no;
    p->out = out0 + (start - base);
    p->pos = start;
}

/* The run with its two per-interchange choices (a repetition
 * separator, lower case special) made constant, so that the block
 * classification tests neither per 16 bytes. Lower case is special in
 * every UNOA interchange until the first one is met, which makes it the
 * commonest case of all. */
static void run_with(edi_parser *p, const run_rules *k, size_t base,
                     size_t stop)
{
    const edi_stops *st = &p->stops;

#if RUN_WIDE
    /* The walk has no use for lower: two builds serve all four. */
    if (run_wide && !p->narrow_only) {
        if (st->has_rep)
            run_blocks(p, k, base, stop, 1, 0, 1);
        else
            run_blocks(p, k, base, stop, 0, 0, 1);
        return;
    }
#endif
    if (st->has_rep && st->lower)
        run_blocks(p, k, base, stop, 1, 1, 0);
    else if (st->has_rep)
        run_blocks(p, k, base, stop, 1, 0, 0);
    else if (st->lower)
        run_blocks(p, k, base, stop, 0, 1, 0);
    else
        run_blocks(p, k, base, stop, 0, 0, 0);
}

size_t edi_run(edi_parser *p)
{
    size_t base = p->pos, room = (size_t)(p->out_end - p->out), stop;
    run_rules k;

    if (p->len - base < 64 + RUN_TAIL || room < 256)
        return 0;
    rules_init(p, &k);
    if (!tag_plain(p->data, &k, base))
        return 0;
    /* The output mirrors the input from base; blocks are stored whole,
     * so the last one may reach 64 bytes past what the run keeps. */
    stop = p->len - RUN_TAIL;
    if (room - 128 < stop - base)
        stop = base + (room - 128);
    run_with(p, &k, base, stop);
    return p->pos - base;
}
#else
size_t edi_run(edi_parser *p)
{
    (void)p;
    return 0;
}
#endif

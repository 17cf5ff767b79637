/* The EDIFACT tokenizer: one pass over the input, table-driven, values
 * copied once into the arena as UTF-8 with release characters removed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#if defined(__SSE2__) && !defined(PW_EDI_NO_SIMD)
#include <emmintrin.h>
#endif

#include "edifact/edi_internal.h"

#define TEXT_CHUNK_MAX ((size_t)8 << 20)

static const pw_edi_limits limit_defaults = {
    (size_t)64 << 20, 4000000, (size_t)64 << 10, 99, 99, 99};

/* Where a segment's values are being collected. */
typedef struct seg_scan {
    const uint8_t *cls;
    const edi_stops *stops;
    size_t pos, lim;
    char *out, *vstart;
    unsigned e, c, r;
    uint32_t first, n_values;
    int ended; /* 1 terminator, 2 implied by a line break */
} seg_scan;

static size_t lim_pick(size_t v, size_t def, size_t cap)
{
    if (v == 0)
        v = def;
    return v > cap ? cap : v;
}

static void limits_fill(pw_edi_limits *l, const pw_edi_limits *in)
{
    const pw_edi_limits *d = &limit_defaults;
    pw_edi_limits z = {0, 0, 0, 0, 0, 0};

    if (!in)
        in = &z;
    l->max_input = lim_pick(in->max_input, d->max_input, SIZE_MAX);
    l->max_segments = lim_pick(in->max_segments, d->max_segments, UINT32_MAX);
    l->max_segment_len =
        lim_pick(in->max_segment_len, d->max_segment_len, UINT32_MAX / 4);
    l->max_elements = lim_pick(in->max_elements, d->max_elements, UINT16_MAX);
    l->max_components =
        lim_pick(in->max_components, d->max_components, UINT16_MAX);
    l->max_repetitions =
        lim_pick(in->max_repetitions, d->max_repetitions, UINT16_MAX);
}

/* The line feeds in d[0, n). Input with a line break after every
 * segment has lines of some 20 bytes, too short for a search per line:
 * 16 bytes are compared at a time, the matches summed in byte counters
 * that are added up before they can overflow. */
static size_t count_lf(const unsigned char *d, size_t n)
{
    size_t count = 0, i = 0;

#if defined(__SSE2__) && !defined(PW_EDI_NO_SIMD)
    const __m128i lf = _mm_set1_epi8('\n'), zero = _mm_setzero_si128();

    while (n - i >= 16) {
        __m128i sum = zero;
        size_t stop = n - i >= 16 * 255 ? i + 16 * 255 : i + (n - i) / 16 * 16;

        for (; i < stop; i += 16) {
            __m128i x = _mm_loadu_si128((const __m128i *)(d + i));

            sum = _mm_sub_epi8(sum, _mm_cmpeq_epi8(x, lf));
        }
        sum = _mm_sad_epu8(sum, zero);
        count += (size_t)_mm_cvtsi128_si32(sum) +
                 (size_t)_mm_cvtsi128_si32(_mm_srli_si128(sum, 8));
    }
#endif
    for (; i < n; i++)
        count += d[i] == '\n';
    return count;
}

/* The line (from 1) holding byte off. Findings come mostly in input
 * order, so counting resumes where it stopped: linear overall. */
static size_t line_of(edi_parser *p, size_t off)
{
    if (off > p->len)
        off = p->len;
    if (off < p->line_off) {
        p->line_off = 0;
        p->line_no = 1;
    }
    p->line_no += count_lf(p->data + p->line_off, off - p->line_off);
    p->line_off = off;
    return p->line_no;
}

pw_rc edi_diag(edi_parser *p, pw_severity sev, uint32_t seg, size_t off,
               const char *fmt, ...)
{
    char buf[400];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    pw_diags *d = &p->ix->pub.diags;
    size_t before = d->n;
    pw_rc rc = pw_diags_add(d, sev, seg, off, "%s", buf);

    /* Whether the input has lines at all is looked up with the first
     * finding: input without findings is never scanned for it. */
    if (p->has_lines < 0)
        p->has_lines = p->len && memchr(p->data, '\n', p->len) != NULL;
    if (rc == PW_OK && p->has_lines && d->n > before)
        d->items[d->n - 1].line = (uint32_t)line_of(p, off);
    return rc;
}

pw_rc edi_fault_add(edi_parser *p, int message, uint32_t segment, uint8_t code,
                    const char *tag)
{
    edi_ix *ix = p->ix;
    edi_fault *f;
    uint32_t pos = 0;

    if (ix->n_faults >= PW_DIAG_MAX)
        return PW_OK;
    if (ix->n_faults == ix->cap_faults) {
        size_t cap = ix->cap_faults ? ix->cap_faults * 2 : 8;

        f = realloc(ix->faults, cap * sizeof(*f));
        if (!f)
            return PW_ERR_NOMEM;
        ix->faults = f;
        ix->cap_faults = cap;
    }
    if (message >= 0 && segment)
        pos = segment -
              ix->pub.segments[ix->pub.messages[message].first_segment].number +
              1;
    f = &ix->faults[ix->n_faults++];
    *f = (edi_fault){message, segment, pos, code, ""};
    if (tag)
        memcpy(f->tag, tag, 4);
    return PW_OK;
}

static pw_rc limit_hit(edi_parser *p, size_t off, const char *what, size_t max)
{
    pw_rc rc = edi_diag(p, PW_ERROR, p->seg_no, off,
                        "more %s than the limit "
                        "of %zu",
                        what, max);

    if (rc == PW_OK)
        rc = edi_fault_add(p, p->open_msg, 0, 16, NULL); /* too many */
    return rc == PW_OK ? PW_ERR_LIMIT : rc;
}

/* Big interchanges fill hundreds of megabytes of fresh memory, and the
 * page faults cost more than the parsing; huge pages cut them 512-fold.
 * Only advice: failure changes nothing. */
static void advise_huge(void *mem, size_t size)
{
#ifdef MADV_HUGEPAGE
    const uintptr_t huge = (uintptr_t)2 << 20;
    uintptr_t a = ((uintptr_t)mem + huge - 1) & ~(huge - 1);
    uintptr_t b = ((uintptr_t)mem + size) & ~(huge - 1);

    if (size >= 2 * huge && b > a)
        (void)madvise((void *)a, b - a, MADV_HUGEPAGE);
#else
    (void)mem;
    (void)size;
#endif
}

/* Records a text chunk for pw_edi_text_span. */
static pw_rc chunk_add(edi_ix *ix, const char *base, const char *end)
{
    if (ix->n_chunks == ix->cap_chunks) {
        size_t cap = ix->cap_chunks ? ix->cap_chunks * 2 : 4;
        struct edi_chunk *c = realloc(ix->chunks, cap * sizeof(*c));

        if (!c)
            return PW_ERR_NOMEM;
        ix->chunks = c;
        ix->cap_chunks = cap;
    }
    ix->chunks[ix->n_chunks++] = (struct edi_chunk){base, end};
    return PW_OK;
}

/* Makes room for the text of one segment of at most n input bytes: each
 * byte yields at most 3 bytes of UTF-8, each value one NUL. A chunk of
 * 4 bytes per input byte left never needs a successor, so inputs up to
 * 2 MiB take one chunk; bigger ones take 8 MiB chunks, whose unused
 * tails are at most 1/32 of them. Pages never written are never
 * touched. */
static pw_rc text_reserve(edi_parser *p, size_t n)
{
    /* + 16: the vector scan stores whole blocks ahead of what it keeps. */
    size_t need = 4 * n + 8 + 16, rest = p->len - p->pos, size;

    if ((size_t)(p->out_end - p->out) >= need)
        return PW_OK;
    size = rest < TEXT_CHUNK_MAX / 4 ? 4 * rest + 64 : TEXT_CHUNK_MAX;
    if (size < need)
        size = need;
    p->out = pw_arena_alloc(&p->ix->pub.arena, size);
    if (!p->out)
        return PW_ERR_NOMEM;
    p->out_end = p->out + size;
    advise_huge(p->out, size);
    return chunk_add(p->ix, p->out, p->out_end);
}

/* The first capacity guesses from the input size so that big inputs
 * are not copied by repeated growth; untouched pages cost nothing. */
static pw_rc arrays_init(edi_parser *p)
{
    edi_ix *ix = p->ix;
    /* A value takes at least two bytes (itself and a separator), so
     * len / 2 values never need growing; unused capacity is never
     * touched. Segments are at least four bytes long. */
    size_t nv = p->len / 2 + 64, ns = p->len / 4 + 16;

    if (nv > p->lim.max_segments * 8)
        nv = p->lim.max_segments * 8;
    if (ns > p->lim.max_segments)
        ns = p->lim.max_segments;
    ix->values = malloc(nv * sizeof(*ix->values));
    ix->pub.segments = malloc(ns * sizeof(*ix->pub.segments));
    if (!ix->values || !ix->pub.segments)
        return PW_ERR_NOMEM;
    ix->cap_values = nv;
    ix->cap_segments = ns;
    advise_huge(ix->values, nv * sizeof(*ix->values));
    advise_huge(ix->pub.segments, ns * sizeof(*ix->pub.segments));
    return PW_OK;
}

static pw_rc values_grow(edi_ix *ix)
{
    size_t cap = ix->cap_values ? ix->cap_values * 2 : 256;
    pw_edi_value *v = realloc(ix->values, cap * sizeof(*v));

    if (!v)
        return PW_ERR_NOMEM;
    ix->values_moved = 1;
    ix->values = v;
    ix->cap_values = cap;
    advise_huge(v, cap * sizeof(*v));
    return PW_OK;
}

/* Ends the value that began at s->vstart; empty values are not kept.
 * Room was made by values_reserve. */
static inline void value_flush(edi_parser *p, seg_scan *s)
{
    edi_ix *ix = p->ix;
    pw_edi_value *v;

    if (s->out == s->vstart)
        return;
    *s->out++ = '\0';
    v = &ix->values[ix->n_values++];
    v->text = s->vstart;
    v->len = (uint32_t)(s->out - s->vstart - 1);
    v->element = (uint16_t)s->e;
    v->component = (uint16_t)s->c;
    v->repetition = (uint16_t)s->r;
    s->vstart = s->out;
    s->n_values++;
}

static pw_rc bad_byte(edi_parser *p, size_t off, unsigned char b)
{
    p->n_bad_bytes++;
    if (p->n_bad_bytes > EDI_BAD_BYTES_SHOWN)
        return PW_OK;
    return edi_diag(
        p, PW_WARNING, p->seg_no, off,
        "byte 0x%02X is outside "
        "character set %s; kept",
        b, p->ix->pub.syntax.charset[0] ? p->ix->pub.syntax.charset : "(none)");
}

static pw_rc scan_high(edi_parser *p, seg_scan *s)
{
    size_t at = s->pos;
    unsigned char b = p->data[at];

    if (edi_charset_emit(&p->cs, p->data, &s->pos, s->lim, &s->out))
        return PW_OK;
    return bad_byte(p, at, b);
}

static pw_rc scan_release(edi_parser *p, seg_scan *s)
{
    unsigned char b;

    if (s->pos + 1 >= s->lim) {
        s->pos++;
        return edi_diag(p, PW_WARNING, p->seg_no, s->pos - 1,
                        "release character at "
                        "the end; dropped");
    }
    b = p->data[++s->pos];
    if (b >= 0x7F)
        return scan_high(p, s);
    if (b < 0x20) {
        if (b != '\r' && b != '\n')
            return scan_high(p, s);
        p->ix->value_breaks = 1; /* see pw_edi_values_have_breaks */
    }
    *s->out++ = (char)b;
    s->pos++;
    return PW_OK;
}

static pw_rc scan_lower(edi_parser *p, seg_scan *s)
{
    p->lower_reported = 1;
    edi_classes_build(p);
    return edi_diag(p, PW_WARNING, p->seg_no, s->pos,
                    "lower-case letters in a "
                    "UNOA interchange; accepted (reported once)");
}

static int is_tag_byte(unsigned char b)
{
    return (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9');
}

/* A line break followed by something shaped like the next segment means
 * the sender forgot the terminator; any other line break was wrapping. */
static int newline_ends_segment(edi_parser *p, size_t at)
{
    const unsigned char *d = p->data;
    const pw_edi_syntax *sx = &p->ix->pub.syntax;
    size_t i = at;

    while (i < p->len &&
           (d[i] == '\r' || d[i] == '\n' || d[i] == ' ' || d[i] == '\t'))
        i++;
    if (p->len - i < 4)
        return 0;
    if (!is_tag_byte(d[i]) || !is_tag_byte(d[i + 1]) ||
        !is_tag_byte(d[i + 2]) || d[i] < 'A')
        return 0;
    return d[i + 3] == (unsigned char)sx->element ||
           d[i + 3] == (unsigned char)sx->terminator;
}

static pw_rc scan_newline(edi_parser *p, seg_scan *s)
{
    if (newline_ends_segment(p, s->pos)) {
        s->ended = 2;
        return edi_diag(p, PW_WARNING, p->seg_no, s->pos,
                        "no terminator before "
                        "the line break; segment ended there");
    }
    p->seg_newline = 1;
    s->pos++;
    return PW_OK;
}

static pw_rc scan_special(edi_parser *p, seg_scan *s, int cls)
{
    switch (cls) {
    case EDI_C_RELEASE:
        return scan_release(p, s);
    case EDI_C_NEWLINE:
        return scan_newline(p, s);
    case EDI_C_HIGH:
    case EDI_C_CONTROL:
        return scan_high(p, s);
    default:
        return scan_lower(p, s);
    }
}

/* Keeps the hot loop free of capacity checks: a segment of n bytes has
 * at most n / 2 + 2 non-empty values. */
static pw_rc values_reserve(edi_ix *ix, size_t n)
{
    while (ix->cap_values - ix->n_values < n / 2 + 2)
        if (values_grow(ix) != PW_OK)
            return PW_ERR_NOMEM;
    return PW_OK;
}

/* Moves the counters for one separator; 0 when a limit is passed. */
static inline int scan_move(seg_scan *s, int c, const pw_edi_limits *l)
{
    if (c == EDI_C_COMPONENT)
        return ++s->c <= l->max_components;
    if (c == EDI_C_ELEMENT) {
        s->c = 1;
        s->r = 0;
        return ++s->e <= l->max_elements;
    }
    if (c == EDI_C_REPETITION) {
        s->c = 1;
        return ++s->r < l->max_repetitions;
    }
    s->ended = 1;
    return 1;
}

static pw_rc scan_limit(edi_parser *p, seg_scan *s, int c)
{
    const pw_edi_limits *l = &p->lim;
    size_t at = s->pos - 1;

    if (c == EDI_C_COMPONENT)
        return limit_hit(p, at, "components", l->max_components);
    if (c == EDI_C_ELEMENT)
        return limit_hit(p, at, "elements", l->max_elements);
    return limit_hit(p, at, "repetitions", l->max_repetitions);
}

#if defined(__SSE2__) && !defined(PW_EDI_NO_SIMD)
/* Bit i set when byte i of x may be special: a stop, a control, DEL, a
 * byte above 0x7F, lower case when it counts. The class table decides. */
static inline unsigned stop_mask(const edi_stops *st, __m128i x)
{
    const __m128i a = _mm_set1_epi8((char)('a' + 128));
    const __m128i z = _mm_set1_epi8((char)(-128 + 26));
    __m128i m = _mm_or_si128(_mm_cmplt_epi8(x, _mm_set1_epi8(0x20)),
                             _mm_cmpeq_epi8(x, _mm_set1_epi8(0x7F)));

    for (int i = 0; i < 5; i++)
        m = _mm_or_si128(
            m, _mm_cmpeq_epi8(x, _mm_load_si128((const __m128i *)st->sep[i])));
    if (st->lower)
        m = _mm_or_si128(m, _mm_cmplt_epi8(_mm_sub_epi8(x, a), z));
    return (unsigned)_mm_movemask_epi8(m);
}

/* Copies plain bytes 16 at a time up to the first byte that may be
 * special; the table-driven loop decides what that byte is. */
static size_t plain_run(const edi_stops *st, const unsigned char *d, size_t pos,
                        size_t lim, char **outp)
{
    char *out = *outp;

    while (lim - pos >= 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(d + pos));
        unsigned mask = stop_mask(st, x);

        _mm_storeu_si128((__m128i *)out, x);
        if (mask) {
            unsigned k = (unsigned)__builtin_ctz(mask);

            *outp = out + k;
            return pos + k;
        }
        pos += 16;
        out += 16;
    }
    *outp = out;
    return pos;
}

static inline unsigned eq_mask(__m128i x, const unsigned char *v)
{
    return (unsigned)_mm_movemask_epi8(
        _mm_cmpeq_epi8(x, _mm_load_si128((const __m128i *)v)));
}

/* The state of the fast scan in locals of its own: kept in the
 * segment's scan, every value stored could change it as far as the
 * compiler knows, and it would be reloaded at each separator. */
typedef struct fast_ctr {
    unsigned e, c, r;
    unsigned max_e, max_c, max_r;
    pw_edi_value *v; /* the next free value */
    size_t from;     /* input offset where the current value began */
} fast_ctr;

/* A value ending at input offset q, in the copy that mirrors the input
 * from offset base at out0. */
static inline void fast_value(fast_ctr *k, char *out0, size_t base, size_t q)
{
    pw_edi_value *v = k->v++;

    out0[q - base] = '\0';
    v->text = out0 + (k->from - base);
    v->len = (uint32_t)(q - k->from);
    v->element = (uint16_t)k->e;
    v->component = (uint16_t)k->c;
    v->repetition = (uint16_t)k->r;
}

/* Moves the counters for the separator at bit `bit` of the block.
 * Returns 0 when a limit is passed. Branches: a segment's separators
 * repeat from one segment of its kind to the next, which the branch
 * predictor learns, and each way checks only its own counter. */
static inline int fast_move(fast_ctr *k, unsigned bit, unsigned mc, unsigned me)
{
    if (bit & me) {
        k->c = 1;
        k->r = 0;
        return ++k->e <= k->max_e;
    }
    if (bit & mc)
        return ++k->c <= k->max_c;
    k->c = 1;
    return ++k->r < k->max_r;
}

/* The limit passed at q, reported as the general path would. */
static int fast_limit(edi_parser *p, seg_scan *s, size_t q, pw_rc *rc)
{
    const pw_edi_limits *l = &p->lim;
    int c = s->e > l->max_elements     ? EDI_C_ELEMENT
            : s->c > l->max_components ? EDI_C_COMPONENT
                                       : EDI_C_REPETITION;

    s->pos = q + 1;
    *rc = scan_limit(p, s, c);
    return -1;
}

/* The separators of one block of 16 bytes at pos, up to and including
 * the first terminator: 1 when that ended the segment (*q its offset),
 * -1 when a limit was passed at *q, 0 to go on. */
static inline int fast_block(fast_ctr *k, __m128i x, const edi_stops *st,
                             char *out0, size_t base, size_t pos, size_t *q)
{
    unsigned mc = eq_mask(x, st->sep[0]), me = eq_mask(x, st->sep[1]);
    unsigned mt = eq_mask(x, st->sep[2]);
    unsigned mr = st->has_rep ? eq_mask(x, st->sep[4]) : 0;
    unsigned seps = (mc | me | mr | mt) & ((mt & -mt) * 2 - 1);

    for (; seps; seps &= seps - 1) {
        unsigned bit = seps & -seps;

        *q = pos + (unsigned)__builtin_ctz(seps);
        if (*q > k->from)
            fast_value(k, out0, base, *q);
        k->from = *q + 1;
        if (bit & mt)
            return 1;
        if (!fast_move(k, bit, mc, me))
            return -1;
    }
    return 0;
}

/* Whether the block holds a byte other than a separator before its
 * first terminator, which the fast scan leaves to the general one. */
static inline int fast_stops(const edi_stops *st, __m128i x)
{
    unsigned mt = eq_mask(x, st->sep[2]);
    unsigned seps = eq_mask(x, st->sep[0]) | eq_mask(x, st->sep[1]) | mt |
                    (st->has_rep ? eq_mask(x, st->sep[4]) : 0);
    unsigned upto = mt ? (mt & -mt) - 1 : 0xFFFF;

    return (stop_mask(st, x) & ~seps & upto) != 0;
}

/* Writes the counters back to the segment's scan. */
static void fast_done(edi_parser *p, seg_scan *s, const fast_ctr *k)
{
    uint32_t n = (uint32_t)(k->v - (p->ix->values + p->ix->n_values));

    p->ix->n_values += n;
    s->n_values += n;
    s->e = k->e;
    s->c = k->c;
    s->r = k->r;
}

/* The common case, a segment of separators and plain bytes only: it is
 * copied 16 bytes at a time as it stands, and each separator becomes the
 * NUL ending a value. Returns 1 when the terminator was reached, -1 on a
 * limit (rc set), 0 when anything else turned up before the terminator
 * (release character, line break, byte needing conversion, end of input
 * near): the caller then reads the segment again the general way. */
static int scan_fast(edi_parser *p, seg_scan *s, pw_rc *rc)
{
    const unsigned char *d = p->data;
    const edi_stops *st = s->stops;
    size_t base = s->pos, pos = base, q = 0;
    char *out0 = s->out;
    fast_ctr k = {s->e,
                  s->c,
                  s->r,
                  (unsigned)p->lim.max_elements,
                  (unsigned)p->lim.max_components,
                  (unsigned)p->lim.max_repetitions,
                  p->ix->values + p->ix->n_values,
                  base};
    int res = 0;

    for (; res == 0 && s->lim - pos >= 16; pos += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(d + pos));

        if (fast_stops(st, x))
            return 0;
        _mm_storeu_si128((__m128i *)(out0 + (pos - base)), x);
        res = fast_block(&k, x, st, out0, base, pos, &q);
    }
    fast_done(p, s, &k);
    if (res < 0)
        return fast_limit(p, s, q, rc);
    if (res > 0) {
        s->ended = 1;
        s->pos = q + 1;
        s->out = s->vstart = out0 + (q + 1 - base);
    }
    return res;
}
#else
static size_t plain_run(const edi_stops *st, const unsigned char *d, size_t pos,
                        size_t lim, char **outp)
{
    (void)st;
    (void)d;
    (void)lim;
    (void)outp;
    return pos;
}

static int scan_fast(edi_parser *p, seg_scan *s, pw_rc *rc)
{
    (void)p;
    (void)s;
    (void)rc;
    return 0;
}
#endif

/* Copies plain bytes from *pos up to end; returns the class of the byte
 * that stopped it (EDI_C_PLAIN when end was reached). */
static inline int scan_plain(const uint8_t *cls, const unsigned char *d,
                             size_t *pos, size_t end, char **outp)
{
    size_t i = *pos;
    char *out = *outp;
    int c = EDI_C_PLAIN;

    while (i < end && (c = cls[d[i]]) == EDI_C_PLAIN)
        *out++ = (char)d[i++];
    *pos = i;
    *outp = out;
    return c;
}

/* The hot loop: plain bytes are copied until a byte of another class;
 * separators are handled inline, everything rarer out of line. */
static pw_rc scan_values(edi_parser *p, seg_scan *s)
{
    const unsigned char *d = p->data;
    const pw_edi_limits *l = &p->lim;
    size_t pos = s->pos, lim = s->lim;
    char *out = s->out;
    pw_rc rc;

    while (!s->ended) {
        const uint8_t *cls = s->cls;
        int c = EDI_C_PLAIN;

        /* Most values are short: bytes one by one first, blocks of 16
         * only once a run proves long. */
        c = scan_plain(cls, d, &pos, pos + 8 < lim ? pos + 8 : lim, &out);
        if (c == EDI_C_PLAIN && pos < lim) {
            pos = plain_run(s->stops, d, pos, lim, &out);
            c = scan_plain(cls, d, &pos, lim, &out);
        }
        if (pos == lim)
            break;
        s->pos = pos;
        s->out = out;
        if (c == EDI_C_RELEASE || c > EDI_C_TERMINATOR) {
            rc = scan_special(p, s, c);
            if (rc != PW_OK)
                return rc;
            pos = s->pos;
            out = s->out;
            continue;
        }
        value_flush(p, s);
        out = s->out;
        s->pos = ++pos;
        if (!scan_move(s, c, l))
            return scan_limit(p, s, c);
    }
    s->pos = pos;
    s->out = out;
    return PW_OK;
}

/* The fast way when it applies, else the general one from the start. */
static pw_rc scan_segment(edi_parser *p, seg_scan *s)
{
    size_t pos = s->pos;
    char *out = s->out;
    pw_rc rc = PW_OK;
    int fast = p->general_only ? 0 : scan_fast(p, s, &rc);

    if (fast)
        return fast > 0 ? PW_OK : rc;
    p->ix->n_values = s->first;
    s->n_values = 0;
    s->e = 0;
    s->c = 1;
    s->r = 0;
    s->ended = 0;
    s->pos = pos;
    s->out = s->vstart = out;
    return scan_values(p, s);
}

static pw_rc segments_grow(edi_ix *ix)
{
    size_t cap = ix->cap_segments ? ix->cap_segments * 2 : 64;
    pw_edi_segment *v = realloc(ix->pub.segments, cap * sizeof(*v));

    if (!v)
        return PW_ERR_NOMEM;
    ix->pub.segments = v;
    ix->cap_segments = cap;
    advise_huge(v, cap * sizeof(*v));
    return PW_OK;
}

/* The first unreleased terminator at or after from, or len. */
static size_t find_terminator(edi_parser *p, size_t from)
{
    const pw_edi_syntax *sx = &p->ix->pub.syntax;
    const unsigned char *d = p->data;
    const unsigned char *q;

    while (from < p->len) {
        size_t at, n = 0;

        q = memchr(d + from, (unsigned char)sx->terminator, p->len - from);
        if (!q)
            return p->len;
        at = (size_t)(q - d);
        while (sx->release && at - n > from &&
               d[at - n - 1] == (unsigned char)sx->release)
            n++;
        if (n % 2 == 0)
            return at;
        from = at + 1;
    }
    return p->len;
}

static pw_rc segment_skip(edi_parser *p, size_t start, const char *why)
{
    size_t end = find_terminator(p, start);
    pw_rc rc;

    p->pos = end < p->len ? end + 1 : p->len;
    rc = edi_diag(p, PW_ERROR, p->seg_no, start, "%s; %zu bytes skipped", why,
                  p->pos - start);
    if (rc == PW_OK)
        rc = edi_fault_add(p, p->open_msg, p->seg_no, 12, NULL);
    return rc;
}

/* The tag must be three upper-case letters or digits followed by an
 * element separator, the terminator, a line break or the end. */
static const char *tag_problem(edi_parser *p, size_t start)
{
    const unsigned char *d = p->data + start;
    size_t n = p->len - start;
    int c;

    if (n < 3)
        return "input ends inside the segment tag";
    if (!is_tag_byte(d[0]) || !is_tag_byte(d[1]) || !is_tag_byte(d[2]))
        return "segment tag is not three upper-case letters or digits";
    if (n == 3)
        return NULL;
    c = p->cls[d[3]];
    if (c == EDI_C_ELEMENT || c == EDI_C_TERMINATOR || c == EDI_C_NEWLINE)
        return NULL;
    return "segment tag is not followed by a separator";
}

static pw_rc segment_store(edi_parser *p, const seg_scan *s, size_t start)
{
    edi_ix *ix = p->ix;
    pw_edi_segment *seg;

    if (ix->pub.n_segments == ix->cap_segments && segments_grow(ix))
        return PW_ERR_NOMEM;
    seg = &ix->pub.segments[ix->pub.n_segments++];
    memcpy(seg->tag, p->data + start, 3);
    seg->tag[3] = '\0';
    seg->number = p->seg_no;
    seg->offset = start;
    seg->n_elements = (uint16_t)s->e;
    seg->n_values = s->n_values;
    seg->values = ix->values + s->first;
    if (!p->seg_newline)
        return PW_OK;
    return edi_diag(p, PW_WARNING, p->seg_no, start,
                    "line break inside the "
                    "segment removed");
}

/* After the scan: the segment ended by its terminator, by the end of the
 * input, or ran into the length limit. */
static pw_rc segment_end(edi_parser *p, seg_scan *s, size_t start)
{
    if (s->ended)
        return PW_OK;
    if (s->lim < p->len)
        return limit_hit(p, start, "bytes in the segment",
                         p->lim.max_segment_len);
    return edi_diag(p, PW_WARNING, p->seg_no, start,
                    "input ends before the "
                    "segment terminator");
}

static pw_rc segment_read(edi_parser *p)
{
    size_t start = p->pos, n = p->len - start;
    const char *why;
    seg_scan s;
    pw_rc rc;

    p->seg_no++;
    p->seg_off = start;
    p->seg_newline = 0;
    if (p->ix->pub.n_segments >= p->lim.max_segments)
        return limit_hit(p, start, "segments", p->lim.max_segments);
    why = tag_problem(p, start);
    if (why)
        return segment_skip(p, start, why);
    if (n > p->lim.max_segment_len)
        n = p->lim.max_segment_len;
    if (text_reserve(p, n) != PW_OK || values_reserve(p->ix, n) != PW_OK)
        return PW_ERR_NOMEM;

    memset(&s, 0, sizeof(s));
    if (p->data[start] == 'U' && p->data[start + 1] == 'N') {
        s.cls = p->cls_svc;
        s.stops = &p->stops_svc;
    } else {
        s.cls = p->cls;
        s.stops = &p->stops;
    }
    s.pos = start + 3;
    s.lim = start + n;
    s.out = s.vstart = p->out;
    s.c = 1;
    s.first = (uint32_t)p->ix->n_values;
    rc = scan_segment(p, &s);
    if (rc == PW_OK)
        rc = segment_end(p, &s, start);
    if (rc == PW_OK)
        value_flush(p, &s);
    p->out = s.out;
    p->pos = s.pos;
    if (rc != PW_OK)
        return rc;
    rc = segment_store(p, &s, start);
    if (rc != PW_OK)
        return rc;
    /* Data segments inside a message need nothing from the envelope. */
    if (p->data[start] != 'U' && p->open_msg >= 0 && p->ix->pub.n_segments > 1)
        return PW_OK;
    return edi_envelope_segment(p, p->ix->pub.n_segments - 1);
}

static int is_space(unsigned char b)
{
    return b == ' ' || b == '\r' || b == '\n' || b == '\t';
}

static pw_rc skip_space(edi_parser *p)
{
    size_t at = p->pos;

    while (p->pos < p->len && is_space(p->data[p->pos]))
        p->pos++;
    if (p->pos == at || p->space_reported)
        return PW_OK;
    p->space_reported = 1;
    return edi_diag(p, PW_WARNING, p->seg_no, at,
                    "spaces or line breaks "
                    "between segments; ignored (reported once)");
}

static pw_rc trailing_bytes(edi_parser *p)
{
    return edi_diag(p, PW_WARNING, p->seg_no, p->pos,
                    "%zu bytes after UNZ at offset %zu ignored",
                    p->len - p->pos, p->pos);
}

static pw_rc read_all(edi_parser *p)
{
    pw_rc rc = PW_OK;

    while (rc == PW_OK) {
        if (p->pos < p->len && is_space(p->data[p->pos]))
            rc = skip_space(p);
        if (rc != PW_OK || p->pos >= p->len)
            break;
        if (p->seen_unz)
            return trailing_bytes(p);
        /* Inside a message, after its UNH: runs of plain data segments. */
        if (!p->general_only && p->open_msg >= 0 && p->ix->pub.n_segments &&
            edi_run(p))
            continue;
        rc = segment_read(p);
    }
    return rc;
}

/* Segments point into the value array; when growing it moved them,
 * they are pointed again. The first size rarely needs growing. */
static void values_fixup(edi_ix *ix)
{
    size_t at = 0;

    if (!ix->values_moved)
        return;

    for (size_t i = 0; i < ix->pub.n_segments; i++) {
        ix->pub.segments[i].values = ix->values + at;
        at += ix->pub.segments[i].n_values;
    }
}

static pw_rc read_bom(edi_parser *p)
{
    if (p->len < 3 || memcmp(p->data, "\xEF\xBB\xBF", 3) != 0)
        return PW_OK;
    p->pos = 3;
    return edi_diag(p, PW_WARNING, 0, 0,
                    "UTF-8 byte-order mark at offset 0 ignored");
}

/* Input with neither UNB nor UNH in it is not EDIFACT at all. */
static pw_rc check_structure(edi_parser *p)
{
    pw_rc rc;

    if (p->seen_unb || p->ix->pub.n_messages)
        return PW_OK;
    rc = edi_diag(p, PW_ERROR, 0, 0,
                  p->len ? "no UNB or UNH segment in %zu bytes: not an "
                           "EDIFACT interchange"
                         : "empty input (%zu bytes)",
                  p->len);
    if (rc == PW_OK)
        rc = edi_fault_add(p, -1, 0, 13, NULL); /* missing */
    return rc == PW_OK ? PW_ERR_SYNTAX : rc;
}

static pw_rc parse_run(edi_parser *p)
{
    pw_rc rc;

    if (p->len > p->lim.max_input) {
        rc = edi_diag(p, PW_ERROR, 0, 0,
                      "input of %zu bytes exceeds the limit of %zu", p->len,
                      p->lim.max_input);
        if (rc == PW_OK)
            rc = edi_fault_add(p, -1, 0, 16, NULL);
        return rc == PW_OK ? PW_ERR_LIMIT : rc;
    }
    rc = arrays_init(p);
    if (rc == PW_OK)
        rc = read_bom(p);
    if (rc == PW_OK)
        rc = skip_space(p);
    if (rc == PW_OK)
        rc = edi_syntax_start(p);
    if (rc != PW_OK)
        return rc;
    edi_charset_select("", &p->cs);
    edi_classes_build(p);
    rc = read_all(p);
    values_fixup(p->ix);
    if (rc != PW_OK)
        return rc;
    rc = edi_envelope_finish(p);
    return rc == PW_OK ? check_structure(p) : rc;
}

pw_rc edi_parse_flags(const char *data, size_t len, const pw_edi_limits *limits,
                      int flags, pw_edi_interchange **out)
{
    edi_parser p;
    edi_ix *ix;
    pw_rc rc;

    if (out)
        *out = NULL;
    if (!out || (!data && len))
        return PW_ERR_INVALID;
    ix = calloc(1, sizeof(*ix));
    if (!ix)
        return PW_ERR_NOMEM;
    pw_arena_init(&ix->pub.arena, 0);
    ix->pub.length = len;

    memset(&p, 0, sizeof(p));
    p.ix = ix;
    p.data = (const unsigned char *)(data ? data : "");
    p.len = len;
    p.open_msg = -1;
    p.open_group = -1;
    p.has_lines = -1;
    p.line_no = 1;
    p.general_only = (flags & EDI_GENERAL_ONLY) != 0;
    p.narrow_only = (flags & EDI_NARROW_ONLY) != 0;
    limits_fill(&p.lim, limits);
    rc = parse_run(&p);
    if (rc == PW_ERR_NOMEM) {
        pw_edi_free(&ix->pub);
        return rc;
    }
    *out = &ix->pub;
    return rc;
}

pw_rc pw_edi_parse(const char *data, size_t len, const pw_edi_limits *limits,
                   pw_edi_interchange **out)
{
    return edi_parse_flags(data, len, limits, 0, out);
}

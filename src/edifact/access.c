/* Reading values out of parsed segments, and freeing an interchange. */
#include <stdlib.h>
#include <string.h>

#include "edifact/edi_internal.h"

const char *pw_edi_get_rep(const pw_edi_segment *s, unsigned e, unsigned r,
                           unsigned c)
{
    const pw_edi_value *v, *end;

    if (!s)
        return NULL;
    /* Values sort by element, so the scan stops past e; segments hold
     * few values, and a plain scan has the least fixed cost. */
    end = s->values + s->n_values;
    for (v = s->values; v < end && v->element <= e; v++)
        if (v->element == e && v->component == c && v->repetition == r)
            return v->text;
    return NULL;
}

const char *pw_edi_get(const pw_edi_segment *s, unsigned e, unsigned c)
{
    return pw_edi_get_rep(s, e, 0, c);
}

unsigned pw_edi_repetitions(const pw_edi_segment *s, unsigned e)
{
    unsigned n = 0;

    if (!s)
        return 0;
    for (uint32_t i = 0; i < s->n_values; i++) {
        const pw_edi_value *v = &s->values[i];

        if (v->element == e && v->repetition + 1u > n)
            n = v->repetition + 1u;
        if (v->element > e)
            break;
    }
    return n;
}

int pw_edi_is(const pw_edi_segment *s, const char *tag)
{
    return s && tag && strcmp(s->tag, tag) == 0;
}

void pw_edi_free(pw_edi_interchange *pub)
{
    edi_ix *ix = (edi_ix *)pub;

    if (!ix)
        return;
    pw_diags_clear(&pub->diags);
    pw_arena_free(&pub->arena);
    free(pub->segments);
    free(pub->messages);
    free(pub->groups);
    free(ix->values);
    free(ix->faults);
    free(ix->chunks);
    free(ix);
}

/* The chunk holding address a, or NULL. Few chunks: a linear search. */
static const struct edi_chunk *chunk_of(const edi_ix *ix, uintptr_t a)
{
    for (size_t i = 0; i < ix->n_chunks; i++)
        if (a >= (uintptr_t)ix->chunks[i].base &&
            a < (uintptr_t)ix->chunks[i].end)
            return &ix->chunks[i];
    return NULL;
}

static const pw_edi_value *first_value(const pw_edi_segment *s, size_t n,
                                       int last)
{
    for (size_t i = 0; i < n; i++) {
        const pw_edi_segment *g = &s[last ? n - 1 - i : i];

        if (g->n_values)
            return &g->values[last ? g->n_values - 1 : 0];
    }
    return NULL;
}

int pw_edi_values_have_breaks(const pw_edi_interchange *pub)
{
    return !pub || ((const edi_ix *)pub)->value_breaks;
}

int pw_edi_text_span(const pw_edi_interchange *pub, size_t first, size_t n,
                     const char **lo, const char **hi)
{
    const edi_ix *ix = (const edi_ix *)pub;
    const pw_edi_value *a, *b;
    const struct edi_chunk *c;

    *lo = *hi = NULL;
    if (!pub || first > pub->n_segments || n > pub->n_segments - first)
        return 0;
    a = first_value(pub->segments + first, n, 0);
    b = first_value(pub->segments + first, n, 1);
    if (!a)
        return 1; /* no values: the empty span */
    c = chunk_of(ix, (uintptr_t)a->text);
    /* Segments fill a chunk in order, so a run that starts and ends in
     * one chunk holds every value between. */
    if (!c || (uintptr_t)(b->text + b->len) >= (uintptr_t)c->end ||
        (uintptr_t)b->text < (uintptr_t)a->text)
        return 0;
    *lo = a->text;
    *hi = b->text + b->len + 1;
    return 1;
}

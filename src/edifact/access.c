/* Reading values out of parsed segments, and freeing an interchange. */
#include <stdlib.h>
#include <string.h>

#include "edifact/edi_internal.h"

const char *pw_edi_get_rep(const pw_edi_segment *s, unsigned e, unsigned r,
                           unsigned c)
{
    if (!s)
        return NULL;
    /* Values are sorted by element, then repetition, then component. */
    for (uint32_t i = 0; i < s->n_values; i++) {
        const pw_edi_value *v = &s->values[i];

        if (v->element < e || (v->element == e && v->repetition < r))
            continue;
        if (v->element == e && v->repetition == r && v->component == c)
            return v->text;
        if (v->element > e || v->repetition > r || v->component > c)
            return NULL;
    }
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
    free(ix);
}

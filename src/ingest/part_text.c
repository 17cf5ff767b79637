/* A waiting part as the store keeps it: the part's own segments inside
 * its interchange's envelope (UNB, and UNG when it came in a group), so
 * that reading it again gives the same sender, the same set key and the
 * same envelope for the joined message. */
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest_int.h"

#define DEFAULT_UNA "UNA:+.?*'"

typedef struct text {
    char *p;
    size_t n, cap;
    int nomem;
} text;

static void put(text *t, const char *s, size_t n)
{
    if (t->nomem)
        return;
    if (t->n + n + 1 > t->cap) {
        size_t cap = (t->n + n + 1) * 2;
        char *p = realloc(t->p, cap);
        if (!p) {
            t->nomem = 1;
            return;
        }
        t->p = p;
        t->cap = cap;
    }
    memcpy(t->p + t->n, s, n);
    t->n += n;
    t->p[t->n] = '\0';
}

static void put_segment(text *t, const pw_edi_segment *s)
{
    char small[512];
    size_t need = pw_edi_write_segment(s, small, sizeof(small));
    char *big;

    if (need < sizeof(small)) {
        put(t, small, need);
        return;
    }
    big = malloc(need + 1);
    if (!big) {
        t->nomem = 1;
        return;
    }
    pw_edi_write_segment(s, big, need + 1);
    put(t, big, need);
    free(big);
}

/* A reference with release characters before the service characters,
 * so that a trailer segment reads back as written. */
static void put_value(text *t, const char *v)
{
    for (; v && *v; v++) {
        if (strchr("?+:'*", *v))
            put(t, "?", 1);
        put(t, v, 1);
    }
}

static void put_trailer(text *t, const char *tag, const char *ref)
{
    put(t, tag, 3);
    put(t, "+1+", 3);
    put_value(t, ref);
    put(t, "'", 1);
}

static const pw_edi_segment *unb_of(const pw_edi_interchange *ix)
{
    if (ix->n_segments && pw_edi_is(&ix->segments[0], "UNB"))
        return &ix->segments[0];
    return NULL;
}

static const pw_edi_group *group_of(const pw_edi_interchange *ix,
                                    const pw_edi_message *em)
{
    if (em->group < 0 || (size_t)em->group >= ix->n_groups)
        return NULL;
    return &ix->groups[em->group];
}

char *pw_ingest_part_text(const pw_edi_interchange *ix, size_t index,
                          size_t *len)
{
    const pw_edi_message *em = &ix->messages[index];
    const pw_edi_segment *unb = unb_of(ix);
    const pw_edi_group *g = group_of(ix, em);
    size_t body_len, skip = strlen(DEFAULT_UNA);
    char *body = pw_part_text(ix, index, &body_len);
    text t = {0};

    if (!body)
        return NULL;
    if (body_len < skip || memcmp(body, DEFAULT_UNA, skip) != 0)
        skip = 0;
    put(&t, DEFAULT_UNA, strlen(DEFAULT_UNA));
    if (unb)
        put_segment(&t, unb);
    if (g && g->first_segment < ix->n_segments)
        put_segment(&t, &ix->segments[g->first_segment]);
    put(&t, body + skip, body_len - skip);
    if (g)
        put_trailer(&t, "UNE", g->reference);
    if (unb)
        put_trailer(&t, "UNZ", ix->control_reference);
    free(body);
    if (t.nomem) {
        free(t.p);
        return NULL;
    }
    *len = t.n;
    return t.p;
}

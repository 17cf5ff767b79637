/* Writing a segment back as EDIFACT text with the default service
 * characters. */
#include "edifact/edi_internal.h"

/* Output that counts what it would write and stops storing at cap. */
typedef struct sink {
    char *buf;
    size_t cap, n;
} sink;

static void put(sink *k, char c)
{
    if (k->n < k->cap)
        k->buf[k->n] = c;
    k->n++;
}

static void put_text(sink *k, const char *t, uint32_t len)
{
    for (uint32_t i = 0; i < len; i++) {
        char c = t[i];

        /* A line break came in released (it is a value byte then); bare,
         * it could read back as the end of the segment. */
        if (c == ':' || c == '+' || c == '?' || c == '*' || c == '\'' ||
            c == '\r' || c == '\n')
            put(k, '?');
        put(k, c);
    }
}

/* Separators that move from position (e, r, c) to the next value's. */
static void put_moves(sink *k, const pw_edi_value *v, unsigned *e, unsigned *r,
                      unsigned *c)
{
    if (v->element != *e) {
        while (*e < v->element) {
            put(k, '+');
            (*e)++;
        }
        *r = 0;
        *c = 1;
    }
    if (v->repetition != *r) {
        while (*r < v->repetition) {
            put(k, '*');
            (*r)++;
        }
        *c = 1;
    }
    while (*c < v->component) {
        put(k, ':');
        (*c)++;
    }
}

size_t pw_edi_write_segment(const pw_edi_segment *s, char *buf, size_t cap)
{
    sink k = {buf, buf ? cap : 0, 0};
    unsigned e = 0, r = 0, c = 1;

    if (!s)
        return 0;
    for (int i = 0; i < 3 && s->tag[i]; i++)
        put(&k, s->tag[i]);
    for (uint32_t i = 0; i < s->n_values; i++) {
        put_moves(&k, &s->values[i], &e, &r, &c);
        put_text(&k, s->values[i].text, s->values[i].len);
    }
    while (e < s->n_elements) {
        put(&k, '+');
        e++;
    }
    put(&k, '\'');
    if (k.n < k.cap)
        buf[k.n] = '\0';
    return k.n;
}

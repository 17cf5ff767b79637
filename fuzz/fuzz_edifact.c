/* libFuzzer target for the EDIFACT reader: parse, read every value
 * through the accessors, write every segment back, write a CONTRL; and
 * split the input into the interchanges of a batch file. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "paxwatch/edifact.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t walk_segment(const pw_edi_segment *s)
{
    size_t sum = 0;
    char buf[256];
    size_t need;

    for (uint32_t i = 0; i < s->n_values; i++) {
        const pw_edi_value *v = &s->values[i];
        const char *t =
            pw_edi_get_rep(s, v->element, v->repetition, v->component);

        /* The accessor finds each stored value, NUL-terminated. */
        if (t != v->text || strlen(t) != v->len)
            abort();
        sum += v->len;
    }
    for (unsigned e = 0; e <= s->n_elements; e++)
        sum += pw_edi_repetitions(s, e);
    need = pw_edi_write_segment(s, buf, sizeof(buf));
    if (need < sizeof(buf) && strlen(buf) != need)
        abort();
    return sum + need;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pw_edi_interchange *ix = NULL;
    pw_edi_limits lim = {1 << 20, 100000, 4096, 99, 99, 99};
    volatile size_t sum = 0;
    pw_rc rc = pw_edi_parse((const char *)data, size, &lim, &ix);
    char *contrl;

    /* Each split moves forward and stays inside the input. */
    for (size_t at = 0; at < size;) {
        size_t n = pw_edi_next_interchange((const char *)data + at, size - at);
        if (n == 0 || n > size - at)
            abort();
        at += n;
    }

    if (rc == PW_ERR_NOMEM || rc == PW_ERR_INVALID)
        return 0;
    for (size_t i = 0; i < ix->n_segments; i++)
        sum += walk_segment(&ix->segments[i]);
    (void)sum; /* volatile: the walk is not optimised away */
    for (size_t i = 0; i < ix->n_messages; i++)
        if (ix->messages[i].first_segment + ix->messages[i].n_segments >
            ix->n_segments)
            abort();
    contrl = pw_edi_contrl(ix, rc == PW_OK && ix->diags.n_errors == 0, NULL,
                           "240101:1200", "42");
    if (contrl) {
        pw_edi_interchange *back = NULL;

        /* Our own CONTRL must read back cleanly. */
        if (pw_edi_parse(contrl, strlen(contrl), NULL, &back) != PW_OK ||
            back->diags.n_errors)
            abort();
        pw_edi_free(back);
        free(contrl);
    }
    pw_edi_free(ix);
    return 0;
}

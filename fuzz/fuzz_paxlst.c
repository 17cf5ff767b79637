/* libFuzzer target for the PAXLST path: EDIFACT parse, mapping to the
 * model, JSON output, part texts, and the reader with its part sets. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "edifact/edi_internal.h"
#include "paxwatch/json.h"
#include "paxwatch/messages.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void map_all(const pw_edi_interchange *ix)
{
    for (size_t i = 0; i < ix->n_messages; i++) {
        pw_msg *m = NULL;
        pw_part_info info;
        size_t len = 0;
        char *text;

        if (pw_paxlst_map(ix, i, &m) == PW_OK) {
            free(pw_msg_json(m));
            free(pw_diags_json(&m->diags, PW_WARNING));
        }
        pw_msg_free(m);
        pw_part_info_get(ix, i, &info);
        text = pw_part_text(ix, i, &len);
        free(text);
    }
}

/* The same input twice through one reader: parts meet their copies,
 * as retransmissions do. */
static void read_twice(const char *data, size_t size)
{
    pw_reader *r = NULL;
    pw_batch *b;

    if (pw_reader_new(&r) != PW_OK)
        return;
    for (int i = 0; i < 2; i++) {
        if (pw_reader_read(r, data, size, &b) != PW_OK)
            break;
        for (size_t j = 0; j < b->n_results; j++)
            if (b->results[j].msg)
                free(pw_msg_json(b->results[j].msg));
    }
    pw_reader_waiting(r, NULL, NULL);
    pw_reader_free(r);
}

/* The fast path must read what the general one reads, wherever it
 * applies: the same segments, values, messages and findings. */
static void check_paths(const char *data, size_t size,
                        const pw_edi_interchange *fast, pw_rc rc_fast)
{
    pw_edi_interchange *slow = NULL;
    pw_rc rc = edi_parse_flags(data, size, NULL, EDI_GENERAL_ONLY, &slow);

    if (rc == PW_ERR_NOMEM || rc_fast == PW_ERR_NOMEM)
        return;
    if (rc != rc_fast || !fast || !slow || edi_compare(fast, slow) >= 0)
        abort();
    pw_edi_free(slow);
    /* The SSE2 blocks too, where the CPU would take AVX2. */
    rc = edi_parse_flags(data, size, NULL, EDI_NARROW_ONLY, &slow);
    if (rc == PW_ERR_NOMEM)
        return;
    if (rc != rc_fast || !slow || edi_compare(fast, slow) >= 0)
        abort();
    pw_edi_free(slow);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pw_edi_interchange *ix = NULL;
    pw_rc rc = pw_edi_parse((const char *)data, size, NULL, &ix);

    check_paths((const char *)data, size, ix, rc);
    if (rc == PW_OK)
        map_all(ix);
    pw_edi_free(ix);
    read_twice((const char *)data, size);
    return 0;
}

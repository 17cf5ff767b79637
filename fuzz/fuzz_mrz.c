/* libFuzzer target for the ICAO 9303 MRZ parser and the document number
 * normaliser. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "paxwatch/error.h"
#include "paxwatch/identity.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pw_mrz m;
    pw_diags d = {0};
    char num[32], buf[64];

    if (pw_mrz_parse((const char *)data, size, &m, &d) == PW_OK) {
        /* What parsed must be plain text within its fields. */
        if (strlen(m.number) >= sizeof m.number ||
            strlen(m.surname) >= sizeof m.surname)
            __builtin_trap();
    }
    pw_diags_clear(&d);

    size_t n = size < sizeof buf - 1 ? size : sizeof buf - 1;
    memcpy(buf, data, n);
    buf[n] = '\0';
    size_t k = pw_document_number_normalize(buf, num, sizeof num);
    if (k >= sizeof num || (k && strlen(num) != k))
        __builtin_trap();
    return 0;
}

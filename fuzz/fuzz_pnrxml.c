/* libFuzzer target for PNRGOV XML: libxml2 with network, DTD and
 * entities off, the mapping to bookings, their JSON, and redaction of
 * the raw input. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "paxwatch/booking.h"
#include "paxwatch/json.h"
#include "paxwatch/privacy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pw_diags d = {0};
    pw_msg *m = NULL;
    char *redacted = NULL;

    if (pw_pnrxml_read((const char *)data, size, &m, &d) == PW_OK)
        free(pw_msg_json(m));
    pw_msg_free(m);
    pw_diags_clear(&d);
    if (pw_sensitive_redact(NULL, (const char *)data, size, &redacted, NULL) ==
        PW_OK)
        free(redacted);
    return 0;
}

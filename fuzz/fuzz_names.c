/* libFuzzer target for name normalisation and token similarity: any
 * bytes give an error or tokens of A-Z only, and never a crash. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "paxwatch/error.h"
#include "paxwatch/identity.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_tokens(const pw_name *nm)
{
    for (size_t i = 0; i < nm->n; i++) {
        const pw_name_token *t = &nm->tok[i];
        if (!t->text[0])
            __builtin_trap();
        for (const char *p = t->text; *p; p++)
            if (*p < 'A' || *p > 'Z')
                __builtin_trap();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static pw_name a, b;

    if (pw_name_normalize((const char *)data, size, &a) != PW_OK)
        return 0;
    check_tokens(&a);

    /* Split the input in two to exercise the parts and the scorer. */
    char s[PW_NAME_MAX_BYTES + 1];
    memcpy(s, data, size);
    s[size] = '\0';
    char *mid = s + strlen(s) / 2;
    char given[PW_NAME_MAX_BYTES + 1];
    strcpy(given, mid);
    *mid = '\0';
    if (pw_name_normalize_parts(s, given, &b) != PW_OK)
        return 0;
    check_tokens(&b);
    for (size_t i = 0; i < a.n; i++)
        for (size_t j = 0; j < b.n; j++) {
            double v = pw_token_similarity(&a.tok[i], &b.tok[j], NULL);
            if (!(v >= 0.0 && v <= 1.0))
                __builtin_trap();
        }
    return 0;
}

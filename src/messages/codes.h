/* Comparing a mapped value with an EDIFACT code, shared by the message
 * mappers. */
#ifndef PW_MSGS_CODES_H
#define PW_MSGS_CODES_H

/* 1 when the value s (may be NULL) is the code. Inline and byte by
 * byte: codes are a few bytes, and a library call costs more than the
 * compare. */
static inline int pw_msgs_is(const char *s, const char *code)
{
    if (!s)
        return 0;
    while (*code && *s == *code) {
        s++;
        code++;
    }
    return *s == *code;
}

#endif

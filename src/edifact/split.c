/* Inputs that hold several interchanges one after another (batch files
 * from a carrier's system): where the next one starts. A light scan of
 * the bytes, not a parse: the UNA of the first interchange gives the
 * terminator and release character, and the first UNZ at the start of
 * a segment ends it. */
#define _GNU_SOURCE /* memmem */
#include <string.h>

#include "paxwatch/edifact.h"

static int is_space(char c)
{
    return c == ' ' || c == '\r' || c == '\n' || c == '\t';
}

/* 1 when data[at] is preceded by an odd number of release characters. */
static int released(const char *data, size_t at, char rel)
{
    size_t n = 0;

    while (at > n && data[at - n - 1] == rel)
        n++;
    return n % 2;
}

/* Where the segment starting at data[at] ends (just past its unreleased
 * terminator), or 0 when the input ends first. */
static size_t segment_end(const char *data, size_t len, size_t at, char term,
                          char rel)
{
    for (size_t i = at; i < len; i++) {
        if (rel && data[i] == rel) {
            i++;
            continue;
        }
        if (data[i] == term)
            return i + 1;
    }
    return 0;
}

size_t pw_edi_next_interchange(const char *data, size_t len)
{
    char term = '\'', rel = '?';
    size_t from = 0;

    if (!data)
        return len;
    if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
        from = 3;
    while (from < len && is_space(data[from]))
        from++;
    if (from < len && data[from] == '<') /* XML: one document */
        return len;
    if (len - from >= 9 && !memcmp(data + from, "UNA", 3)) {
        rel = data[from + 6] == ' ' ? 0 : data[from + 6];
        term = data[from + 8];
    }
    while (from < len) {
        const char *z = memmem(data + from, len - from, "UNZ", 3);
        size_t at, k, end;

        if (!z)
            return len;
        at = (size_t)(z - data);
        from = at + 3;
        /* a segment's tag: after an unreleased terminator, maybe with
         * line breaks between */
        for (k = at; k > 0 && is_space(data[k - 1]);)
            k--;
        if (k == 0 || data[k - 1] != term ||
            (rel && released(data, k - 1, rel)))
            continue;
        if (at + 3 < len && ((data[at + 3] >= 'A' && data[at + 3] <= 'Z') ||
                             (data[at + 3] >= '0' && data[at + 3] <= '9')))
            continue;
        end = segment_end(data, len, at + 3, term, rel);
        if (!end)
            return len;
        while (end < len && is_space(data[end]))
            end++;
        if (len - end >= 3 &&
            (!memcmp(data + end, "UNA", 3) || !memcmp(data + end, "UNB", 3)))
            return end;
        return len; /* what follows the UNZ stays with it: the reader
                       reports it */
    }
    return len;
}

size_t pw_edi_trim_gap(const char *data, size_t n)
{
    while (n > 0 && is_space(data[n - 1]))
        n--;
    return n;
}

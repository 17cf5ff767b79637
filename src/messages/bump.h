/* A bump region for the strings the message mappers make: taken from
 * the message's arena in large pieces and handed out without alignment
 * (strings need none), so a string costs a compare and an add. */
#ifndef PW_MSGS_BUMP_H
#define PW_MSGS_BUMP_H

#include <stddef.h>

#include "paxwatch/arena.h"

/* n bytes from the region [*cur, *end), refilled from a (16 KiB at a
 * time, or n when larger) when short; NULL when out of memory. */
static inline char *pw_bump(pw_arena *a, char **cur, char **end, size_t n)
{
    char *p;

    if ((size_t)(*end - *cur) < n) {
        size_t size = n > 16384 ? n : 16384;

        *cur = pw_arena_alloc(a, size);
        if (!*cur) {
            *end = NULL;
            return NULL;
        }
        *end = *cur + size;
    }
    p = *cur;
    *cur += n;
    return p;
}

#endif

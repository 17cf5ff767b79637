/* Clearing the message mappers' items of 64 bytes or more without the
 * rep stosq that GCC makes of memset for them. */
#ifndef PW_MESSAGES_CLEAR_H
#define PW_MESSAGES_CLEAR_H

#include <stddef.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* memset(p, 0, size) as plain 16-byte stores. GCC turns a memset of
 * 64 bytes or more (a flight, a traveller, a booking, a NAD's table)
 * into rep stosq, whose start-up costs more than the stores (perf put a
 * fifth of a PNRGOV flight's TVL on it); a zero the compiler cannot see
 * as one keeps its idiom recogniser from making the loop into that
 * memset again. */
static inline void pw_msgs_clear(void *p, size_t size)
{
#if defined(__SSE2__)
    char *c = p;
    size_t i = 0;
    __m128i z = _mm_setzero_si128();

    __asm__("" : "+x"(z));
    for (; i + 16 <= size; i += 16)
        _mm_storeu_si128((__m128i *)(void *)(c + i), z);
    if (i + 8 <= size) {
        _mm_storel_epi64((__m128i *)(void *)(c + i), z);
        i += 8;
    }
    for (; i < size; i++)
        c[i] = 0;
#else
    memset(p, 0, size);
#endif
}

#endif

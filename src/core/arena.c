/* Bump allocator: blocks of at least 64 KiB, freed all at once, and a
 * small per-thread cache of freed blocks for the next arena to reuse. */
#include "paxwatch/arena.h"

#include <pthread.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#if defined(__SANITIZE_ADDRESS__)
#define ARENA_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ARENA_ASAN 1
#endif
#endif
#ifdef ARENA_ASAN
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#define BLOCK_MIN ((size_t)64 * 1024)
#define ALIGN alignof(max_align_t)
/* Freed blocks kept per thread: at most this many bytes in at most this
 * many blocks, so that the search stays short and idle memory bounded. */
#define CACHE_BYTES ((size_t)64 << 20)
#define CACHE_BLOCKS 32

struct pw_arena_block {
    struct pw_arena_block *next;
    size_t size, pos;
    alignas(max_align_t) unsigned char data[];
};

/* Parsing one message after another makes and frees arenas of the same
 * sizes over and over; glibc hands big blocks back to the kernel, which
 * then clears fresh pages for the next one. Reused blocks are warm. */
typedef struct block_cache {
    struct pw_arena_block *head;
    size_t bytes, n;
} block_cache;

static _Thread_local block_cache cache;
static _Thread_local int cache_registered;
static pthread_key_t cache_key;
static int cache_key_ok;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;

static void cache_release(void *unused)
{
    struct pw_arena_block *b = cache.head;

    (void)unused;
    while (b) {
        struct pw_arena_block *next = b->next;
        UNPOISON(b->data, b->size);
        free(b);
        b = next;
    }
    cache.head = NULL;
    cache.bytes = cache.n = 0;
    cache_registered = -1; /* arenas freed later in the thread's exit */
}

static void cache_key_make(void)
{
    cache_key_ok = pthread_key_create(&cache_key, cache_release) == 0;
}

/* The thread's cache frees its blocks when the thread ends; a thread
 * where that cannot be arranged keeps no cache. */
static int cache_usable(void)
{
    if (cache_registered)
        return cache_registered > 0;
    pthread_once(&cache_once, cache_key_make);
    cache_registered =
        cache_key_ok && pthread_setspecific(cache_key, &cache) == 0 ? 1 : -1;
    return cache_registered > 0;
}

/* Takes the smallest cached block of at least min and at most max
 * bytes, or NULL. */
static struct pw_arena_block *cache_take(size_t min, size_t max)
{
    struct pw_arena_block **best = NULL;

    for (struct pw_arena_block **p = &cache.head; *p; p = &(*p)->next)
        if ((*p)->size >= min && (*p)->size <= max &&
            (!best || (*p)->size < (*best)->size))
            best = p;
    if (!best)
        return NULL;

    struct pw_arena_block *b = *best;
    *best = b->next;
    cache.bytes -= b->size;
    cache.n--;
    UNPOISON(b->data, b->size);
    return b;
}

/* Keeps b for reuse when there is room, else frees it. */
static void cache_put(struct pw_arena_block *b)
{
    if (cache.n >= CACHE_BLOCKS || b->size > CACHE_BYTES - cache.bytes ||
        !cache_usable()) {
        free(b);
        return;
    }
    POISON(b->data, b->size);
    b->next = cache.head;
    cache.head = b;
    cache.bytes += b->size;
    cache.n++;
}

void pw_arena_init(pw_arena *a, size_t limit)
{
    a->head = NULL;
    a->used = 0;
    a->limit = limit;
}

/* A block of HUGE_MIN bytes or more (a whole loaded list's entries,
 * names and strings, read at random by screening) is advised to the
 * kernel as huge pages where it can be, its whole 2 MB pages: with 4 KB
 * pages nearly every read of a list entry far from the last also missed
 * the TLB. Advice only: nothing changes where it is not taken. */
#define HUGE_MIN ((size_t)4 << 20)

static void advise_huge(unsigned char *p, size_t n)
{
#ifdef MADV_HUGEPAGE
    const uintptr_t huge = (uintptr_t)2 << 20;
    uintptr_t from = ((uintptr_t)p + huge - 1) & ~(huge - 1);
    uintptr_t to = ((uintptr_t)p + n) & ~(huge - 1);

    if (n >= HUGE_MIN && to > from)
        (void)madvise((void *)from, to - from, MADV_HUGEPAGE);
#else
    (void)p;
    (void)n;
#endif
}

static struct pw_arena_block *arena_new_block(pw_arena *a, size_t n)
{
    size_t limit = a->limit ? a->limit : PW_ARENA_DEFAULT_LIMIT;
    size_t size = n > BLOCK_MIN ? n : BLOCK_MIN, max;
    struct pw_arena_block *b;

    /* Grow blocks with the arena so big messages need few of them. */
    if (a->used / 4 > size)
        size = a->used / 4;
    if (size > limit - a->used)
        size = n;
    if (n > limit || a->used > limit - n)
        return NULL;

    /* A cached block may be bigger than asked, within the limit and
     * not so much bigger that small arenas hold on to big blocks. */
    max = limit - a->used;
    if (max / 4 > size)
        max = size * 4;
    b = cache_take(size, max);
    if (b)
        size = b->size;
    else if ((b = malloc(sizeof(*b) + size)) != NULL)
        advise_huge(b->data, size);
    if (!b)
        return NULL;
    b->size = size;
    b->pos = 0;
    b->next = a->head;
    a->head = b;
    a->used += size;
    return b;
}

void *pw_arena_alloc(pw_arena *a, size_t n)
{
    struct pw_arena_block *b = a->head;
    size_t pos;

    if (n == 0)
        n = 1;
    if (n > SIZE_MAX - ALIGN)
        return NULL;
    if (b) {
        pos = (b->pos + ALIGN - 1) & ~(ALIGN - 1);
        if (pos <= b->size && b->size - pos >= n) {
            b->pos = pos + n;
            return b->data + pos;
        }
    }
    b = arena_new_block(a, n);
    if (!b)
        return NULL;
    b->pos = n;
    return b->data;
}

void *pw_arena_calloc(pw_arena *a, size_t count, size_t size)
{
    void *p;

    if (size && count > SIZE_MAX / size)
        return NULL;
    p = pw_arena_alloc(a, count * size);
    if (p)
        memset(p, 0, count * size);
    return p;
}

char *pw_arena_strndup(pw_arena *a, const char *s, size_t n)
{
    char *p;

    if (n == SIZE_MAX)
        return NULL;
    p = pw_arena_alloc(a, n + 1);
    if (!p)
        return NULL;
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *pw_arena_strdup(pw_arena *a, const char *s)
{
    return s ? pw_arena_strndup(a, s, strlen(s)) : NULL;
}

char *pw_arena_printf(pw_arena *a, const char *fmt, ...)
{
    va_list ap;
    int n;
    char *p;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    p = pw_arena_alloc(a, (size_t)n + 1);
    if (!p)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

void pw_arena_free(pw_arena *a)
{
    struct pw_arena_block *b = a->head;

    while (b) {
        struct pw_arena_block *next = b->next;
        cache_put(b);
        b = next;
    }
    a->head = NULL;
    a->used = 0;
}

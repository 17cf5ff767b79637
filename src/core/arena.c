/* Bump allocator: blocks of at least 64 KiB, freed all at once. */
#include "paxwatch/arena.h"

#include <stdalign.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK_MIN ((size_t)64 * 1024)
#define ALIGN alignof(max_align_t)

struct pw_arena_block {
    struct pw_arena_block *next;
    size_t size, pos;
    alignas(max_align_t) unsigned char data[];
};

void pw_arena_init(pw_arena *a, size_t limit)
{
    a->head = NULL;
    a->used = 0;
    a->limit = limit;
}

static struct pw_arena_block *arena_new_block(pw_arena *a, size_t n)
{
    size_t limit = a->limit ? a->limit : PW_ARENA_DEFAULT_LIMIT;
    size_t size = n > BLOCK_MIN ? n : BLOCK_MIN;
    struct pw_arena_block *b;

    /* Grow blocks with the arena so big messages need few of them. */
    if (a->used / 4 > size)
        size = a->used / 4;
    if (size > limit - a->used)
        size = n;
    if (n > limit || a->used > limit - n)
        return NULL;

    b = malloc(sizeof(*b) + size);
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
        free(b);
        b = next;
    }
    a->head = NULL;
    a->used = 0;
}

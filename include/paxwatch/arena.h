/* paxwatch arenas: bump allocation for data that lives and dies together,
 * such as everything one parsed message yields. */
#ifndef PAXWATCH_ARENA_H
#define PAXWATCH_ARENA_H

#include <stddef.h>

/* An arena hands out memory from large blocks and frees it all at once.
 * Zero-initialise, or use pw_arena_init. Not thread-safe. The total it
 * may hold is capped by limit (0 means PW_ARENA_DEFAULT_LIMIT) so that
 * input cannot make it grow without bound. */
#define PW_ARENA_DEFAULT_LIMIT ((size_t)1 << 30)
typedef struct pw_arena {
    struct pw_arena_block *head;
    size_t used, limit;
} pw_arena;

void pw_arena_init(pw_arena *a, size_t limit);

/* Returns n bytes aligned for any type, or NULL when out of memory or
 * over the limit. The memory is not cleared. */
void *pw_arena_alloc(pw_arena *a, size_t n);

/* As pw_arena_alloc, cleared to zero. */
void *pw_arena_calloc(pw_arena *a, size_t count, size_t size);

/* Copies n bytes of s and adds a NUL; NULL on failure. */
char *pw_arena_strndup(pw_arena *a, const char *s, size_t n);

/* Copies the NUL-terminated s; NULL s gives NULL. */
char *pw_arena_strdup(pw_arena *a, const char *s);

/* printf into the arena; NULL on failure. */
char *pw_arena_printf(pw_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Frees every block; the arena is empty and may be reused. Freed blocks
 * are kept for the next arenas of the calling thread, up to 32 blocks
 * and 64 MiB in all, and released when the thread ends: parsing one
 * message after another then reuses warm memory. */
void pw_arena_free(pw_arena *a);

#endif

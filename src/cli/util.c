/* Helpers shared by the verbs: store address, file reading, messages
 * and progress on the terminal. */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "cli/cli.h"
#include "paxwatch/store.h"

const char *pw_cli_db(const char *opt)
{
    const char *env = getenv("PAXWATCH_DB");

    if (opt && *opt)
        return opt;
    if (env && *env)
        return env;
    return "paxwatch.db";
}

const char *pw_cli_data_dir(void)
{
    const char *env = getenv("PAXWATCH_DATA");

    if (env && *env)
        return env;
    return PW_SOURCE_DIR "/data";
}

static char *slurp_stream(FILE *f, size_t max, size_t *len)
{
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);

    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
        if (n == cap) {
            char *bigger;
            if (cap >= max) {
                free(buf);
                errno = EFBIG;
                return NULL;
            }
            cap = cap * 2 > max ? max : cap * 2;
            bigger = realloc(buf, cap + 1);
            if (!bigger) {
                free(buf);
                return NULL;
            }
            buf = bigger;
        }
    }
    if (!buf)
        return NULL;
    if (ferror(f)) {
        free(buf);
        errno = EIO;
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

static int is_dir(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

char *pw_cli_slurp(const char *path, size_t max, size_t *len)
{
    FILE *f;
    char *buf;
    int saved;

    if (!strcmp(path, "-"))
        return slurp_stream(stdin, max, len);
    f = fopen(path, "rb");
    if (!f)
        return NULL;
    /* A directory opens, and then reads as an I/O error: say what it is. */
    if (is_dir(path)) {
        fclose(f);
        errno = EISDIR;
        return NULL;
    }
    buf = slurp_stream(f, max, len);
    saved = errno;
    fclose(f);
    errno = saved;
    return buf;
}

void pw_cli_error(const char *verb, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "paxwatch %s: ", verb);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void pw_cli_progress(const char *label, size_t n, size_t total)
{
    if (!isatty(STDERR_FILENO))
        return;
    if (total)
        fprintf(stderr, "\r%s %zu/%zu", label, n, total);
    else
        fprintf(stderr, "\r%s %zu", label, n);
    fflush(stderr);
}

void pw_cli_progress_done(void)
{
    if (isatty(STDERR_FILENO))
        fputs("\r\033[K", stderr);
}

/* Display columns of code point c: 2 for East Asian wide and full-width
 * characters, 0 for combining marks, else 1. */
static int columns_of(UChar32 c)
{
    int ea = u_getIntPropertyValue(c, UCHAR_EAST_ASIAN_WIDTH);

    if (u_getCombiningClass(c) > 0)
        return 0;
    return ea == U_EA_WIDE || ea == U_EA_FULLWIDTH ? 2 : 1;
}

void pw_cli_cell(FILE *f, const char *s, int width)
{
    int32_t i = 0, len, used = 0;

    if (!s || !*s)
        s = "-";
    len = (int32_t)strlen(s);
    while (i < len) {
        int32_t start = i;
        UChar32 c;
        int w;

        U8_NEXT(s, i, len, c);
        w = c < 0 ? 1 : columns_of(c);
        if (used + w > width || (used + w == width && i < len)) {
            fputc('~', f);
            used++;
            break;
        }
        fwrite(s + start, 1, (size_t)(i - start), f);
        used += w;
    }
    for (; used < width; used++)
        fputc(' ', f);
    fputc(' ', f);
}

int pw_cli_open(const char *verb, const char *opt, pw_store **s)
{
    const char *db = pw_cli_db(opt);

    *s = NULL;
    if (!strstr(db, "://") && access(db, F_OK) != 0) {
        pw_cli_error(verb, "no store at %s", db);
        return -1;
    }
    if (pw_store_open(db, s) != PW_OK) {
        pw_cli_error(verb, "cannot open the store %s", db);
        return -1;
    }
    return 0;
}

/* A growing list of owned paths. */
struct paths {
    char **p;
    size_t n, cap;
    int nomem;
};

static void add_path(struct paths *l, char *path)
{
    char **bigger;

    if (!path || l->nomem) {
        l->nomem = 1;
        free(path);
        return;
    }
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        bigger = realloc(l->p, l->cap * sizeof(*l->p));
        if (!bigger) {
            l->nomem = 1;
            free(path);
            return;
        }
        l->p = bigger;
    }
    l->p[l->n++] = path;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The regular files of directory dir, not hidden ones, by name; the
 * directory itself when it cannot be listed (its read then fails with
 * the reason). */
static void add_dir(struct paths *l, const char *dir)
{
    DIR *d = opendir(dir);
    size_t first = l->n, dlen = strlen(dir);
    struct dirent *e;

    if (!d) {
        add_path(l, strdup(dir));
        return;
    }
    while ((e = readdir(d)) && !l->nomem) {
        char *path;

        if (e->d_name[0] == '.')
            continue;
        path = malloc(dlen + strlen(e->d_name) + 2);
        if (path)
            sprintf(path, "%s%s%s", dir,
                    dlen && dir[dlen - 1] == '/' ? "" : "/", e->d_name);
        if (path && is_dir(path)) {
            free(path);
            continue;
        }
        add_path(l, path);
    }
    closedir(d);
    if (!l->nomem)
        qsort(l->p + first, l->n - first, sizeof(*l->p), by_name);
}

char **pw_cli_inputs(char *const *args, size_t n_args, size_t *n)
{
    struct paths l = {0};

    for (size_t i = 0; i < n_args && !l.nomem; i++) {
        if (strcmp(args[i], "-") && is_dir(args[i]))
            add_dir(&l, args[i]);
        else
            add_path(&l, strdup(args[i]));
    }
    if (l.nomem) {
        pw_cli_inputs_free(l.p, l.n);
        return NULL;
    }
    *n = l.n;
    /* never NULL on success, even for no files */
    return l.p ? l.p : calloc(1, sizeof(char *));
}

void pw_cli_inputs_free(char **paths, size_t n)
{
    for (size_t i = 0; paths && i < n; i++)
        free(paths[i]);
    free(paths);
}

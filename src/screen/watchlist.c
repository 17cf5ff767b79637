/* pw_watchlist_load: reads a list file, picks the loader for its format,
 * and frees loaded lists. */
#include "paxwatch/watchlist.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "screen/load_common.h"

static int known_format(const char *format)
{
    return format &&
           (!strcmp(format, "un-xml") || !strcmp(format, "ofac-csv") ||
            !strcmp(format, "ftm-json") || !strcmp(format, "csv"));
}

/* Reads a whole file of at most PW_WL_MAX_FILE bytes. */
static pw_rc read_file(const char *path, char **data, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    struct stat st;
    long size;

    if (!f)
        return PW_ERR_IO;
    /* a directory opens, and its size is no file's */
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        errno = EISDIR;
        return PW_ERR_IO;
    }
    if (fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 ||
        fseek(f, 0, SEEK_SET)) {
        fclose(f);
        return PW_ERR_IO;
    }
    if ((size_t)size > PW_WL_MAX_FILE) {
        fclose(f);
        return PW_ERR_LIMIT;
    }
    buf = malloc((size_t)size + 1);
    if (!buf) {
        fclose(f);
        return PW_ERR_NOMEM;
    }
    if (fread(buf, 1, (size_t)size, f) != (size_t)size) {
        free(buf);
        fclose(f);
        return PW_ERR_IO;
    }
    fclose(f);
    buf[size] = '\0';
    *data = buf;
    *len = (size_t)size;
    return PW_OK;
}

/* alt.csv or add.csv beside sdn.csv; absent is fine, unreadable not. */
static pw_rc read_sibling(const char *path, const char *file, char **data,
                          size_t *len)
{
    const char *slash = strrchr(path, '/');
    size_t dir = slash ? (size_t)(slash - path) + 1 : 0;
    char *p = malloc(dir + strlen(file) + 1);
    pw_rc rc;

    *data = NULL;
    *len = 0;
    if (!p)
        return PW_ERR_NOMEM;
    memcpy(p, path, dir);
    strcpy(p + dir, file);
    rc = read_file(p, data, len);
    if (rc == PW_ERR_IO && errno == ENOENT)
        rc = PW_OK;
    free(p);
    return rc;
}

static pw_rc dispatch(pw_wlb *b, const char *format, const char *data,
                      size_t len)
{
    if (!strcmp(format, "un-xml"))
        return pw_load_un(b, data, len);
    if (!strcmp(format, "ofac-csv"))
        return pw_load_ofac(b, data, len, NULL, 0, NULL, 0);
    if (!strcmp(format, "ftm-json"))
        return pw_load_ftm(b, data, len);
    return pw_load_csv(b, data, len);
}

pw_rc pw_watchlist_load_mem(const char *format, const char *data, size_t len,
                            const char *name, pw_watchlist **out)
{
    pw_wlb *b;
    pw_rc rc;

    *out = NULL;
    if (!known_format(format))
        return PW_ERR_UNSUPPORTED;
    if (!data && len)
        return PW_ERR_INVALID;
    if (len > PW_WL_MAX_FILE)
        return PW_ERR_LIMIT;
    b = malloc(sizeof(*b));
    if (!b)
        return PW_ERR_NOMEM;
    rc = pw_wlb_init(b, format, name);
    if (rc == PW_OK)
        rc = pw_wlb_finish(b, dispatch(b, format, data ? data : "", len), out);
    free(b);
    return rc;
}

pw_rc pw_watchlist_load_ofac_mem(const char *sdn, size_t sdn_len,
                                 const char *alt, size_t alt_len,
                                 const char *add, size_t add_len,
                                 const char *name, pw_watchlist **out)
{
    pw_wlb *b;
    pw_rc rc;

    *out = NULL;
    if (!sdn && sdn_len)
        return PW_ERR_INVALID;
    if (sdn_len > PW_WL_MAX_FILE || alt_len > PW_WL_MAX_FILE ||
        add_len > PW_WL_MAX_FILE)
        return PW_ERR_LIMIT;
    b = malloc(sizeof(*b));
    if (!b)
        return PW_ERR_NOMEM;
    rc = pw_wlb_init(b, "ofac-csv", name);
    if (rc == PW_OK)
        rc = pw_wlb_finish(b,
                           pw_load_ofac(b, sdn ? sdn : "", sdn_len, alt,
                                        alt ? alt_len : 0, add,
                                        add ? add_len : 0),
                           out);
    free(b);
    return rc;
}

static pw_rc load_ofac_files(const char *path, const char *sdn, size_t sdn_len,
                             const char *name, pw_watchlist **out)
{
    char *alt = NULL, *add = NULL;
    size_t alt_len = 0, add_len = 0;
    pw_rc rc;

    rc = read_sibling(path, "alt.csv", &alt, &alt_len);
    if (rc == PW_OK)
        rc = read_sibling(path, "add.csv", &add, &add_len);
    if (rc == PW_OK)
        rc = pw_watchlist_load_ofac_mem(sdn, sdn_len, alt, alt_len, add,
                                        add_len, name, out);
    free(alt);
    free(add);
    return rc;
}

pw_rc pw_watchlist_load(const char *format, const char *path, const char *name,
                        pw_watchlist **out)
{
    char *data = NULL;
    size_t len = 0;
    pw_rc rc;

    *out = NULL;
    if (!known_format(format))
        return PW_ERR_UNSUPPORTED;
    if (!path)
        return PW_ERR_INVALID;
    rc = read_file(path, &data, &len);
    if (rc != PW_OK)
        return rc;
    if (!strcmp(format, "ofac-csv"))
        rc = load_ofac_files(path, data, len, name, out);
    else
        rc = pw_watchlist_load_mem(format, data, len, name, out);
    free(data);
    return rc;
}

void pw_watchlist_free(pw_watchlist *wl)
{
    if (!wl)
        return;
    pw_diags_clear(&wl->diags);
    pw_arena_free(&wl->arena);
    free(wl);
}

/* paxwatch serve: the analyst's pages, plain files from one flat web
 * root ($PAXWATCH_WEB, else the source tree's web/), GET only. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "server/server.h"

#ifndef PW_WEB_DIR
#define PW_WEB_DIR "web"
#endif

/* A page or script larger than this is a mistake, not a page. */
#define PW_STATIC_MAX ((size_t)1024 * 1024)

static const struct {
    const char *ext, *type;
} types[] = {
    {".html", "text/html; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
};

/* The type for name, or NULL: files of other kinds are not served. */
static const char *type_of(const char *name)
{
    const char *dot = strrchr(name, '.');

    for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
        if (!strcmp(dot, types[i].ext))
            return types[i].type;
    return NULL;
}

/* A plain file name: no dot first (no "..", no hidden files), no
 * separators or escapes left undecoded. */
static int plain_name(const char *name)
{
    return name[0] && name[0] != '.' && !strpbrk(name, "/\\%") &&
           strlen(name) < 128;
}

/* The resolved web root into out; 0 when it does not exist. */
static int web_root(char *out)
{
    const char *dir = getenv("PAXWATCH_WEB");

    return realpath(dir && *dir ? dir : PW_WEB_DIR, out) != NULL;
}

/* The resolved file under root into out; 0 when it is missing or lies
 * outside the root (a symbolic link out of it, say). */
static int resolve(const char *root, const char *name, char *out)
{
    char joined[PATH_MAX];
    size_t n = strlen(root);

    if (snprintf(joined, sizeof joined, "%s/%s", root, name) >=
            (int)sizeof joined ||
        !realpath(joined, out))
        return 0;
    return !strncmp(out, root, n) && out[n] == '/';
}

/* Reads the regular file at path, at most PW_STATIC_MAX bytes, into
 * rs->body; the answer's status otherwise. */
static unsigned read_file(const char *path, pw_srv_resp *rs)
{
    struct stat st;
    FILE *f = fopen(path, "rb");
    unsigned status = 0;

    if (!f)
        return 404;
    if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode))
        status = 404;
    else if ((size_t)st.st_size > PW_STATIC_MAX)
        status = 413;
    else if (!(rs->body = malloc((size_t)st.st_size + 1)))
        status = 503;
    else if (fread(rs->body, 1, (size_t)st.st_size, f) != (size_t)st.st_size)
        status = 500;
    fclose(f);
    if (status) {
        free(rs->body);
        rs->body = NULL;
        return status;
    }
    rs->len = (size_t)st.st_size;
    return 200;
}

int pw_api_static(pw_srv_req *rq, pw_srv_resp *rs)
{
    const char *name = rq->args[0] ? rq->args[0] : "index.html";
    const char *type = type_of(name);
    char root[PATH_MAX], path[PATH_MAX];
    unsigned status;

    if (!type || !plain_name(name))
        return pw_srv_error(rs, 404, "not found");
    if (!web_root(root))
        return pw_srv_error(rs, 404, "no web root (set PAXWATCH_WEB)");
    if (!resolve(root, name, path))
        return pw_srv_error(rs, 404, "not found");
    status = read_file(path, rs);
    if (status == 413)
        return pw_srv_error(rs, 500, "page over %zu bytes", PW_STATIC_MAX);
    if (status == 503)
        return pw_srv_error(rs, 503, "out of memory");
    if (status != 200)
        return pw_srv_error(rs, status == 404 ? 404 : 500, "cannot read");
    rs->status = 200;
    rs->type = type;
    return 0;
}

/* Data-driven message tests: runs `paxwatch parse` on each case's input
 * and compares every JSON line it prints with the expected file.
 *
 * usage: case_driver PAXWATCH CASE_DIR SHARED_DIR
 *
 * Each CASE_DIR/NAME.json holds the expected JSON values (one per message
 * line, in order; any layout). The input is CASE_DIR/NAME when it exists
 * (a folder there means: all its files, in name order, in one run), else
 * SHARED_DIR/samples/<name of CASE_DIR>/NAME. The "file" key is ignored.
 * With PW_UPDATE_EXPECTED=1 the expected files are written from the
 * output instead; each must then be checked by hand. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_OUTPUT ((size_t)64 * 1024 * 1024)
#define MAX_ARGS 64

typedef struct names {
    char **v;
    size_t n, cap;
} names;

static int names_add(names *l, const char *s)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        char **v = realloc(l->v, cap * sizeof(*v));
        if (!v)
            return 0;
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n] = strdup(s);
    return l->v[l->n++] != NULL;
}

static void names_free(names *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Entries of dir whose names end in suffix ("" for all files), sorted. */
static int list_dir(const char *dir, const char *suffix, names *out)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t sl = strlen(suffix);

    if (!d)
        return 0;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (e->d_name[0] == '.' || n < sl || strcmp(e->d_name + n - sl, suffix))
            continue;
        if (!names_add(out, e->d_name)) {
            closedir(d);
            return 0;
        }
    }
    closedir(d);
    qsort(out->v, out->n, sizeof(char *), by_name);
    return 1;
}

static int is_dir(const char *p)
{
    struct stat st;

    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int exists(const char *p)
{
    struct stat st;

    return stat(p, &st) == 0;
}

/* Reads all of fd into a malloc'd buffer; NULL when too big. */
static char *read_all(int fd, size_t *len)
{
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap + 1);
    ssize_t got;

    while (buf && (got = read(fd, buf + n, cap - n)) != 0) {
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0 || (n += (size_t)got) > MAX_OUTPUT) {
            free(buf);
            return NULL;
        }
        if (n == cap) {
            char *b = realloc(buf, cap * 2 + 1);
            if (!b)
                free(buf);
            buf = b;
            cap *= 2;
        }
    }
    if (buf) {
        buf[n] = '\0';
        *len = n;
    }
    return buf;
}

/* Runs argv, returns its standard output; stderr goes to /dev/null. */
static char *run(char *const *argv, size_t *len, int *status)
{
    int fd[2];
    pid_t pid;
    char *out;

    if (pipe(fd) != 0)
        return NULL;
    pid = fork();
    if (pid < 0)
        return NULL;
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(fd[1], STDOUT_FILENO);
        if (null >= 0)
            dup2(null, STDERR_FILENO);
        close(fd[0]);
        execv(argv[0], argv);
        _exit(127);
    }
    close(fd[1]);
    out = read_all(fd[0], len);
    close(fd[0]);
    waitpid(pid, status, 0);
    return out;
}

/* Every JSON value in text, in order, with any "file" key removed. */
static json_t *load_values(const char *text, size_t len, char *err,
                           size_t errlen)
{
    json_t *arr = json_array();
    size_t pos = 0;

    while (arr && pos < len) {
        json_error_t je;
        json_t *v;
        while (pos < len && strchr(" \t\r\n", text[pos]))
            pos++;
        if (pos >= len)
            break;
        v = json_loadb(text + pos, len - pos, JSON_DISABLE_EOF_CHECK, &je);
        if (!v) {
            snprintf(err, errlen, "bad JSON at line %d: %s", je.line, je.text);
            json_decref(arr);
            return NULL;
        }
        pos += je.position;
        if (json_is_object(v))
            json_object_del(v, "file");
        json_array_append_new(arr, v);
    }
    return arr;
}

static void show(const json_t *v, char *buf, size_t cap)
{
    char *s = v ? json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;

    snprintf(buf, cap, "%.200s", s ? s : "(absent)");
    free(s);
}

/* Finds the first place where a and b differ; writes its key path. */
static int first_diff(const json_t *a, const json_t *b, char *path, size_t cap)
{
    size_t used = strlen(path);

    if (json_equal(a, b))
        return 0;
    if (json_is_object(a) && json_is_object(b)) {
        const char *k;
        json_t *v;
        json_object_foreach((json_t *)a, k, v)
        {
            snprintf(path + used, cap - used, ".%s", k);
            if (first_diff(v, json_object_get(b, k), path, cap))
                return 1;
        }
        json_object_foreach((json_t *)b, k, v)
        {
            snprintf(path + used, cap - used, ".%s", k);
            if (!json_object_get(a, k))
                return 1;
        }
        path[used] = '\0';
        return 1;
    }
    if (json_is_array(a) && json_is_array(b)) {
        size_t n = json_array_size(a) > json_array_size(b) ? json_array_size(a)
                                                           : json_array_size(b);
        for (size_t i = 0; i < n; i++) {
            snprintf(path + used, cap - used, "[%zu]", i);
            if (first_diff(json_array_get(a, i), json_array_get(b, i), path,
                           cap))
                return 1;
        }
        path[used] = '\0';
    }
    return 1;
}

static const json_t *at_path(const json_t *root, const char *path)
{
    char key[256];
    const json_t *v = root;

    while (v && *path) {
        if (*path == '[') {
            v = json_array_get(v, strtoul(path + 1, NULL, 10));
            path = strchr(path, ']') + 1;
            continue;
        }
        size_t n = strcspn(path + 1, ".[");
        snprintf(key, sizeof(key), "%.*s", (int)n, path + 1);
        v = json_object_get(v, key);
        path += n + 1;
    }
    return v;
}

static int compare(const char *name, json_t *want, json_t *got)
{
    char path[1024] = "";
    char a[256], b[256];
    size_t n = json_array_size(want);

    if (json_array_size(got) != n) {
        printf("FAIL %s: expected %zu JSON lines, got %zu\n", name, n,
               json_array_size(got));
        if (json_array_size(got) < n)
            return 0;
    }
    for (size_t i = 0; i < n; i++) {
        json_t *w = json_array_get(want, i), *g = json_array_get(got, i);
        if (json_equal(w, g))
            continue;
        first_diff(w, g, path, sizeof(path));
        show(at_path(w, path), a, sizeof(a));
        show(at_path(g, path), b, sizeof(b));
        printf("FAIL %s: line %zu differs at $%s\n  expected: %s\n"
               "  got:      %s\n",
               name, i + 1, path, a, b);
        return 0;
    }
    return json_array_size(got) == n;
}

static int write_expected(const char *path, json_t *got)
{
    FILE *f = fopen(path, "w");
    size_t i;
    json_t *v;

    if (!f)
        return 0;
    json_array_foreach(got, i, v)
    {
        json_dumpf(v, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        fputc('\n', f);
    }
    return fclose(f) == 0;
}

typedef struct job {
    const char *paxwatch, *case_dir, *shared;
    int update;
} job;

/* The arguments of `paxwatch parse` for the case called name. */
static int case_args(const job *j, const char *name, names *files)
{
    char p[4096];
    const char *kind = strrchr(j->case_dir, '/');
    names in = {0};
    int ok = 1;

    snprintf(p, sizeof(p), "%s/%s", j->case_dir, name);
    if (is_dir(p)) {
        ok = list_dir(p, "", &in);
        for (size_t i = 0; ok && i < in.n; i++) {
            char f[8192];
            snprintf(f, sizeof(f), "%s/%s", p, in.v[i]);
            ok = names_add(files, f);
        }
        names_free(&in);
        return ok && files->n;
    }
    if (!exists(p))
        snprintf(p, sizeof(p), "%s/samples/%s/%s", j->shared,
                 kind ? kind + 1 : j->case_dir, name);
    return exists(p) && names_add(files, p);
}

static int run_case(const job *j, const char *json_name)
{
    char name[1024], expected[4096], err[256] = "";
    names files = {0};
    char *argv[MAX_ARGS + 3];
    size_t len = 0, n = 0, elen = 0;
    int status = 0, ok = 0;
    char *out = NULL, *want_text = NULL;
    json_t *got = NULL, *want = NULL;
    FILE *f;

    snprintf(name, sizeof(name), "%.*s", (int)(strlen(json_name) - 5),
             json_name);
    snprintf(expected, sizeof(expected), "%s/%s", j->case_dir, json_name);
    if (!case_args(j, name, &files) || files.n > MAX_ARGS) {
        printf("FAIL %s: no input found for it\n", name);
        goto done;
    }
    argv[n++] = (char *)j->paxwatch;
    argv[n++] = "parse";
    for (size_t i = 0; i < files.n; i++)
        argv[n++] = files.v[i];
    argv[n] = NULL;
    out = run(argv, &len, &status);
    got = out ? load_values(out, len, err, sizeof(err)) : NULL;
    if (!got) {
        printf("FAIL %s: paxwatch output unreadable %s\n", name, err);
        goto done;
    }
    if (WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) > 1)) {
        printf("FAIL %s: paxwatch crashed or failed (status %d)\n", name,
               status);
        goto done;
    }
    if (j->update) {
        ok = write_expected(expected, got);
        printf("%s %s: expected file written; check it by hand\n",
               ok ? "wrote" : "FAIL", name);
        goto done;
    }
    f = fopen(expected, "rb");
    want_text = f ? read_all(fileno(f), &elen) : NULL;
    if (f)
        fclose(f);
    want = want_text ? load_values(want_text, elen, err, sizeof(err)) : NULL;
    if (!want)
        printf("FAIL %s: expected file unreadable %s\n", name, err);
    else if ((ok = compare(name, want, got)) != 0)
        printf("ok %s\n", name);
done:
    names_free(&files);
    free(out);
    free(want_text);
    json_decref(got);
    json_decref(want);
    return ok;
}

int main(int argc, char **argv)
{
    job j;
    names cases = {0};
    size_t passed = 0, failed = 0;
    const char *upd = getenv("PW_UPDATE_EXPECTED");

    if (argc != 4) {
        fprintf(stderr, "usage: case_driver PAXWATCH CASE_DIR SHARED_DIR\n");
        return 2;
    }
    j = (job){argv[1], argv[2], argv[3], upd && !strcmp(upd, "1")};
    if (!list_dir(j.case_dir, ".json", &cases)) {
        fprintf(stderr, "case_driver: cannot read %s\n", j.case_dir);
        return 2;
    }
    for (size_t i = 0; i < cases.n; i++) {
        if (run_case(&j, cases.v[i]))
            passed++;
        else
            failed++;
    }
    names_free(&cases);
    printf("%zu passed, %zu failed\n", passed, failed);
    return failed || (!passed && !j.update) ? 1 : 0;
}

/* Named lists for rules in the SQLite store (`in list "NAME"`): the
 * latest values of each list in rule_lists, every version in
 * rule_list_versions with who and when, and the lists held in memory
 * for evaluation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paxwatch/review.h"
#include "store/sqlite_impl.h"

/* ---- Reading a list file ---- */

/* The values of a list text, kept in order, without repeats. */
struct values {
    char *out; /* distinct values joined by '\n' */
    size_t len, n, distinct;
    char **folded; /* lower-cased copies, to find repeats */
    size_t cap_folded;
};

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static char fold(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static int fold_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Folded form first, then the spelling after its NUL, so the same set
 * of values always keeps the same spelling of each. */
static int value_cmp(const void *a, const void *b)
{
    const char *x = *(char *const *)a, *y = *(char *const *)b;
    int c = strcmp(x, y);

    return c ? c : strcmp(x + strlen(x) + 1, y + strlen(y) + 1);
}

static char *fold_dup(const char *v, size_t n)
{
    char *f = malloc(n + 1);

    if (!f)
        return NULL;
    for (size_t i = 0; i < n; i++)
        f[i] = fold(v[i]);
    f[n] = '\0';
    return f;
}

/* Keeps one value as its folded form, a NUL, then its spelling: repeats
 * are dropped once all are sorted. */
static pw_rc keep_value(struct values *vs, const char *v, size_t n)
{
    char **more;

    if (vs->n == vs->cap_folded) {
        size_t cap = vs->cap_folded ? vs->cap_folded * 2 : 64;
        more = realloc(vs->folded, cap * sizeof(*more));
        if (!more)
            return PW_ERR_NOMEM;
        vs->folded = more;
        vs->cap_folded = cap;
    }
    vs->folded[vs->n] = malloc(2 * n + 2);
    if (!vs->folded[vs->n])
        return PW_ERR_NOMEM;
    for (size_t i = 0; i < n; i++)
        vs->folded[vs->n][i] = fold(v[i]);
    vs->folded[vs->n][n] = '\0';
    memcpy(vs->folded[vs->n] + n + 1, v, n);
    vs->folded[vs->n][2 * n + 1] = '\0';
    vs->n++;
    return PW_OK;
}

static void values_free(struct values *vs)
{
    for (size_t i = 0; i < vs->n; i++)
        free(vs->folded[i]);
    free(vs->folded);
    free(vs->out);
}

/* Sorts by folded value, drops repeats and joins the first spelling of
 * each, so the same set of values always gives the same content. */
static pw_rc join_values(struct values *vs)
{
    size_t total = 1, kept = 0;

    if (vs->n)
        qsort(vs->folded, vs->n, sizeof(*vs->folded), value_cmp);
    for (size_t i = 0; i < vs->n; i++)
        total += strlen(vs->folded[i]) + 1;
    vs->out = malloc(total);
    if (!vs->out)
        return PW_ERR_NOMEM;
    vs->len = 0;
    for (size_t i = 0; i < vs->n; i++) {
        const char *f = vs->folded[i];
        size_t n = strlen(f);
        if (i && !strcmp(f, vs->folded[i - 1]))
            continue;
        memcpy(vs->out + vs->len, f + n + 1, n);
        vs->len += n;
        vs->out[vs->len++] = '\n';
        kept++;
    }
    vs->out[vs->len] = '\0';
    vs->distinct = kept;
    return PW_OK;
}

/* Splits text into values, line by line; *bad_line names a line over a
 * limit. */
static pw_rc read_values(const char *text, size_t len, struct values *vs,
                         size_t *bad_line)
{
    size_t line = 0, at = 0;
    pw_rc rc = PW_OK;

    while (at < len && rc == PW_OK) {
        const char *p = text + at, *nl = memchr(p, '\n', len - at);
        size_t n = nl ? (size_t)(nl - p) : len - at;
        at += n + 1;
        line++;
        while (n && is_blank(*p))
            p++, n--;
        while (n && is_blank(p[n - 1]))
            n--;
        if (!n || *p == '#')
            continue;
        if (n > PW_RULE_LIST_MAX_VALUE || memchr(p, '\0', n) ||
            vs->n >= PW_RULE_LIST_MAX_VALUES) {
            *bad_line = line;
            return PW_ERR_LIMIT;
        }
        rc = keep_value(vs, p, n);
    }
    return rc == PW_OK ? join_values(vs) : rc;
}

/* ---- Storing ---- */

static pw_rc finish(sq_store *q, sqlite3_stmt *st, const char *doing)
{
    int rc = sqlite3_step(st);

    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return sq_fail(q, doing);
    return PW_OK;
}

static pw_rc prepare(sq_store *q, const char *sql, sqlite3_stmt **st)
{
    if (sqlite3_prepare_v2(q->db, sql, -1, st, NULL) != SQLITE_OK)
        return sq_fail(q, "preparing a rule list statement");
    return PW_OK;
}

/* The id, version and whether content equals the stored one of list
 * name: PW_ERR_NOTFOUND when none. */
static pw_rc find_list(sq_store *q, const char *name, const char *content,
                       int64_t *id, unsigned *version, int *same)
{
    sqlite3_stmt *st;
    int step;
    pw_rc rc = prepare(q,
                       "SELECT id, version, content = ? COLLATE NOCASE FROM "
                       "rule_lists "
                       "WHERE name = ? COLLATE NOCASE",
                       &st);

    if (rc != PW_OK)
        return rc;
    sq_text(st, 1, content);
    sq_text(st, 2, name);
    step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        *version = (unsigned)sqlite3_column_int(st, 1);
        *same = sqlite3_column_int(st, 2);
    }
    sqlite3_finalize(st);
    if (step == SQLITE_ROW)
        return PW_OK;
    if (step == SQLITE_DONE)
        return PW_ERR_NOTFOUND;
    return sq_fail(q, "finding a rule list");
}

static pw_rc write_list(sq_store *q, int64_t id, const char *name,
                        const struct values *vs, const char *who,
                        const char *now)
{
    sqlite3_stmt *st;
    pw_rc rc = prepare(
        q,
        id ? "UPDATE rule_lists SET version = version + 1, n_values = ?, "
             "content = ?, updated_at = ?, updated_by = ? WHERE id = ?"
           : "INSERT INTO rule_lists (n_values, content, updated_at, "
             "updated_by, name, version) VALUES (?, ?, ?, ?, ?, 1)",
        &st);

    if (rc != PW_OK)
        return rc;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)vs->distinct);
    sq_text(st, 2, vs->out);
    sq_text(st, 3, now);
    sq_text(st, 4, who);
    if (id)
        sqlite3_bind_int64(st, 5, id);
    else
        sq_text(st, 5, name);
    return finish(q, st, "storing a rule list");
}

static pw_rc record_version(sq_store *q, const char *name, const char *who,
                            const char *now)
{
    sqlite3_stmt *st;
    pw_rc rc;

    if (sqlite3_exec(q->db, "UPDATE rule_generation SET token = random()", NULL,
                     NULL, NULL) != SQLITE_OK)
        return sq_fail(q, "marking the rules changed");
    rc = prepare(q,
                 "INSERT INTO rule_list_versions (list_id, version, "
                 "n_values, content, who, at) SELECT id, version, n_values, "
                 "content, ?, ? FROM rule_lists WHERE name = ? COLLATE "
                 "NOCASE",
                 &st);
    if (rc != PW_OK)
        return rc;
    sq_text(st, 1, who);
    sq_text(st, 2, now);
    sq_text(st, 3, name);
    return finish(q, st, "recording a rule list version");
}

static pw_rc put_list(sq_store *q, const char *name, const struct values *vs,
                      const char *who, unsigned *version, int *changed)
{
    int64_t id = 0;
    int same = 0;
    char now[32];
    pw_rc rc = find_list(q, name, vs->out, &id, version, &same);

    if (rc == PW_ERR_NOTFOUND) {
        id = 0;
        *version = 0;
        rc = PW_OK;
    }
    if (rc != PW_OK || same)
        return rc;
    pw_store_now(now);
    rc = write_list(q, id, name, vs, who, now);
    if (rc == PW_OK)
        rc = record_version(q, name, who, now);
    *version += 1;
    *changed = rc == PW_OK;
    return rc;
}

static pw_rc put_in_tx(sq_store *q, const char *name, const struct values *vs,
                       const char *who, unsigned *version, int *changed)
{
    int own = !q->in_tx;
    pw_rc rc = own ? pw_store_begin(&q->base) : PW_OK;

    if (rc != PW_OK)
        return rc;
    rc = put_list(q, name, vs, who, version, changed);
    if (!own)
        return rc;
    if (rc == PW_OK)
        return pw_store_commit(&q->base);
    pw_store_rollback(&q->base);
    return rc;
}

pw_rc pw_rule_list_put(pw_store *s, const char *name, const char *text,
                       size_t len, const char *who, unsigned *version,
                       size_t *n_values, int *changed)
{
    struct values vs = {0};
    size_t bad_line = 0;
    unsigned v = 0;
    int ch = 0;
    pw_rc rc;

    if (!s || !name || !*name || (!text && len) || !who || !*who)
        return PW_ERR_INVALID;
    if (strlen(name) > PW_RULE_LIST_MAX_NAME ||
        strlen(who) > PW_REVIEW_MAX_WHO || len > PW_RULE_LIST_MAX_TEXT)
        return pw_store_fail(s, PW_ERR_LIMIT,
                             "list name, user or text too "
                             "long");
    rc = read_values(text ? text : "", len, &vs, &bad_line);
    if (rc == PW_ERR_LIMIT)
        rc = pw_store_fail(s, rc,
                           "line %zu: a value over %d bytes, a NUL byte, or "
                           "more than %d values",
                           bad_line, PW_RULE_LIST_MAX_VALUE,
                           PW_RULE_LIST_MAX_VALUES);
    if (rc == PW_OK)
        rc = put_in_tx((sq_store *)s, name, &vs, who, &v, &ch);
    if (version)
        *version = v;
    if (n_values)
        *n_values = rc == PW_OK ? vs.distinct : 0;
    if (changed)
        *changed = rc == PW_OK && ch;
    values_free(&vs);
    return rc;
}

/* ---- Reading ---- */

#define LIST_COLUMNS                                                           \
    "SELECT id, name, content, version, n_values, updated_at, updated_by "     \
    "FROM rule_lists "

static pw_rc walk_lists(sq_store *q, sqlite3_stmt *st, pw_rule_list_cb cb,
                        void *ctx, size_t *rows)
{
    pw_stored_rule_list l;
    int rc;

    *rows = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        l.id = sqlite3_column_int64(st, 0);
        l.name = sq_col(st, 1);
        l.content = sq_col(st, 2);
        l.version = (unsigned)sqlite3_column_int(st, 3);
        l.n_values = (size_t)sqlite3_column_int64(st, 4);
        l.updated_at = sq_col(st, 5);
        l.updated_by = sq_col(st, 6);
        ++*rows;
        if (cb(ctx, &l))
            break;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return sq_fail(q, "listing rule lists");
    return PW_OK;
}

pw_rc pw_rule_lists_each(pw_store *s, pw_rule_list_cb cb, void *ctx)
{
    sqlite3_stmt *st;
    size_t rows;
    pw_rc rc;

    if (!s || !cb)
        return PW_ERR_INVALID;
    rc = prepare((sq_store *)s, LIST_COLUMNS "ORDER BY name", &st);
    if (rc != PW_OK)
        return rc;
    return walk_lists((sq_store *)s, st, cb, ctx, &rows);
}

pw_rc pw_rule_list_get(pw_store *s, const char *name, pw_rule_list_cb cb,
                       void *ctx)
{
    sqlite3_stmt *st;
    size_t rows;
    pw_rc rc;

    if (!s || !name || !cb)
        return PW_ERR_INVALID;
    rc = prepare((sq_store *)s, LIST_COLUMNS "WHERE name = ? COLLATE NOCASE",
                 &st);
    if (rc != PW_OK)
        return rc;
    sq_text(st, 1, name);
    rc = walk_lists((sq_store *)s, st, cb, ctx, &rows);
    if (rc == PW_OK && !rows)
        return pw_store_fail(s, PW_ERR_NOTFOUND, "no list called that");
    return rc;
}

pw_rc pw_rules_generation(pw_store *s, int64_t *token)
{
    sq_store *q = (sq_store *)s;
    sqlite3_stmt *st;
    int step;
    pw_rc rc;

    if (!s || !token)
        return PW_ERR_INVALID;
    rc = prepare(q, "SELECT token FROM rule_generation", &st);
    if (rc != PW_OK)
        return rc;
    step = sqlite3_step(st);
    *token = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        return sq_fail(q, "reading the rules token");
    return PW_OK;
}

/* ---- In memory ---- */

struct one_list {
    char *name;
    char **values; /* folded, sorted */
    size_t n;
    char *buf; /* the folded content the values point into */
};

struct pw_rule_lists {
    struct one_list *items;
    size_t n, cap;
    int nomem;
};

void pw_rule_lists_free(pw_rule_lists *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].name);
        free(l->items[i].values);
        free(l->items[i].buf);
    }
    free(l->items);
    free(l);
}

/* Splits the folded content into sorted values in place. */
static int split_values(struct one_list *o, size_t n_hint)
{
    size_t cap = n_hint ? n_hint : 1;
    char *p = o->buf;

    o->values = malloc(cap * sizeof(*o->values));
    if (!o->values)
        return -1;
    while (*p && o->n < cap) {
        char *nl = strchr(p, '\n');
        o->values[o->n++] = p;
        if (!nl)
            break;
        *nl = '\0';
        p = nl + 1;
    }
    if (o->n)
        qsort(o->values, o->n, sizeof(*o->values), fold_cmp);
    return 0;
}

static int load_one(void *ctx, const pw_stored_rule_list *sl)
{
    pw_rule_lists *l = ctx;
    struct one_list *o;

    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        struct one_list *more = realloc(l->items, cap * sizeof(*more));
        if (!more)
            return l->nomem = 1;
        l->items = more;
        l->cap = cap;
    }
    o = &l->items[l->n];
    memset(o, 0, sizeof(*o));
    o->name = fold_dup(sl->name, strlen(sl->name));
    o->buf = fold_dup(sl->content ? sl->content : "",
                      sl->content ? strlen(sl->content) : 0);
    l->n++;
    if (!o->name || !o->buf || split_values(o, sl->n_values) != 0)
        return l->nomem = 1;
    return 0;
}

pw_rc pw_rule_lists_load(pw_store *s, pw_rule_lists **out)
{
    pw_rule_lists *l;
    pw_rc rc;

    if (!out)
        return PW_ERR_INVALID;
    *out = NULL;
    l = calloc(1, sizeof(*l));
    if (!l)
        return PW_ERR_NOMEM;
    rc = pw_rule_lists_each(s, load_one, l);
    if (rc == PW_OK && l->nomem)
        rc = PW_ERR_NOMEM;
    if (rc != PW_OK) {
        pw_rule_lists_free(l);
        return rc;
    }
    *out = l;
    return PW_OK;
}

static const struct one_list *find(const pw_rule_lists *l, const char *name)
{
    char key[PW_RULE_LIST_MAX_NAME + 1];
    size_t n = name ? strlen(name) : 0;

    if (!l || !n || n > PW_RULE_LIST_MAX_NAME)
        return NULL;
    for (size_t i = 0; i < n; i++)
        key[i] = fold(name[i]);
    key[n] = '\0';
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->items[i].name, key))
            return &l->items[i];
    return NULL;
}

int pw_rule_lists_has(const pw_rule_lists *l, const char *name)
{
    return find(l, name) != NULL;
}

int pw_rule_lists_in(void *lists, const char *name, const char *value,
                     size_t len)
{
    const struct one_list *o = find(lists, name);
    char key[PW_RULE_LIST_MAX_VALUE + 1];
    const char *k = key;

    if (!o || !value)
        return 0;
    /* values are stored trimmed, so the subject's value is too */
    while (len && is_blank(*value))
        value++, len--;
    while (len && is_blank(value[len - 1]))
        len--;
    if (!len || len > PW_RULE_LIST_MAX_VALUE)
        return 0;
    for (size_t i = 0; i < len; i++)
        key[i] = fold(value[i]);
    key[len] = '\0';
    return o->n &&
           bsearch(&k, o->values, o->n, sizeof(*o->values), fold_cmp) != NULL;
}

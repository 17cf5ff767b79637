/* The parts every watchlist loader shares: building entries into a
 * list's arena with per-entry limits, and reading RFC 4180 CSV. */
#include "screen/load_common.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

pw_rc pw_wlb_init(pw_wlb *b, const char *format, const char *name)
{
    pw_watchlist *wl = calloc(1, sizeof(*wl));

    memset(b, 0, sizeof(*b));
    if (!wl)
        return PW_ERR_NOMEM;
    pw_arena_init(&wl->arena, 0);
    b->wl = wl;
    wl->format = pw_arena_strdup(&wl->arena, format);
    wl->name = pw_arena_strdup(&wl->arena, name ? name : format);
    if (!wl->format || !wl->name) {
        pw_arena_free(&wl->arena);
        free(wl);
        b->wl = NULL;
        return PW_ERR_NOMEM;
    }
    return PW_OK;
}

void pw_wlb_begin(pw_wlb *b, pw_entry_kind kind)
{
    memset(&b->cur, 0, sizeof(b->cur));
    b->cur.kind = kind;
    b->open = 1;
}

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
           c == '\v';
}

const char *pw_wlb_str(pw_wlb *b, const char *s, size_t n)
{
    char *out, *o;
    int gap = 0;

    if (!s)
        return NULL;
    while (n && is_space((unsigned char)*s))
        s++, n--;
    while (n && is_space((unsigned char)s[n - 1]))
        n--;
    if (!n)
        return NULL;
    out = pw_arena_alloc(&b->wl->arena, n + 1);
    if (!out) {
        b->nomem = 1;
        return NULL;
    }
    o = out;
    for (size_t i = 0; i < n; i++) {
        if (is_space((unsigned char)s[i])) {
            gap = 1;
            continue;
        }
        if (gap)
            *o++ = ' ';
        gap = 0;
        *o++ = s[i];
    }
    *o = '\0';
    return out;
}

const char *pw_wlb_cstr(pw_wlb *b, const char *s)
{
    return s ? pw_wlb_str(b, s, strlen(s)) : NULL;
}

static int same(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcasecmp(a, b) == 0;
}

/* The script of the first letter outside ASCII, from its UTF-8 lead
 * byte: enough to tell an original-script alias from a Latin one. */
static const char *script_of(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned cp;
        if (*p < 0x80)
            continue;
        if ((*p & 0xE0) == 0xC0 && (p[1] & 0xC0) == 0x80)
            cp = ((unsigned)(*p & 0x1F) << 6) | (p[1] & 0x3F);
        else if ((*p & 0xF0) == 0xE0 && (p[1] & 0xC0) == 0x80 &&
                 (p[2] & 0xC0) == 0x80)
            cp = ((unsigned)(*p & 0x0F) << 12) |
                 ((unsigned)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
        else
            return NULL;
        if (cp < 0x370 || (cp >= 0x1E00 && cp < 0x2000))
            continue; /* accented Latin */
        if (cp < 0x400)
            return "Greek";
        if (cp < 0x530)
            return "Cyrillic";
        if (cp >= 0x600 && cp < 0x700)
            return "Arabic";
        if (cp >= 0x4E00 && cp < 0xA000)
            return "Han";
        return NULL;
    }
    return "Latin";
}

void pw_wlb_name(pw_wlb *b, const char *full, const char *surname,
                 const char *given, const char *script, int alias, int weak)
{
    pw_entry *e = &b->cur;
    pw_entry_name *nm;

    if (!full || strlen(full) > PW_WL_MAX_NAME || e->n_names >= PW_WL_MAX_NAMES)
        return;
    for (size_t i = 0; i < e->n_names; i++)
        if (same(b->names[i].full, full))
            return;
    nm = &b->names[e->n_names++];
    nm->full = full;
    nm->surname = surname;
    nm->given_names = given;
    nm->script = script ? script : script_of(full);
    nm->alias = alias;
    nm->weak = weak;
}

void pw_wlb_date(pw_wlb *b, const char *from, const char *to)
{
    pw_entry *e = &b->cur;

    if (!from || e->n_birth_dates >= PW_WL_MAX_DATES)
        return;
    if (to && !strcmp(from, to))
        to = NULL;
    for (size_t i = 0; i < e->n_birth_dates; i++)
        if (same(b->dates[i].from, from) && same(b->dates[i].to, to))
            return;
    b->dates[e->n_birth_dates].from = from;
    b->dates[e->n_birth_dates++].to = to;
}

static void add_country(const char **arr, size_t *n, const char *country)
{
    const char *a3;

    if (!country || *n >= PW_WL_MAX_NATS)
        return;
    a3 = pw_wl_country_alpha3(country);
    if (a3)
        country = a3;
    for (size_t i = 0; i < *n; i++)
        if (same(arr[i], country))
            return;
    arr[(*n)++] = country;
}

void pw_wlb_nationality(pw_wlb *b, const char *country)
{
    add_country(b->nats, &b->cur.n_nationalities, country);
}

void pw_wlb_country(pw_wlb *b, const char *country)
{
    add_country(b->countries, &b->cur.n_countries, country);
}

void pw_wlb_document(pw_wlb *b, const char *type, const char *number,
                     const char *issuer)
{
    pw_entry *e = &b->cur;
    const char *a3 = issuer ? pw_wl_country_alpha3(issuer) : NULL;

    if (!number || e->n_documents >= PW_WL_MAX_DOCS)
        return;
    if (a3)
        issuer = a3;
    for (size_t i = 0; i < e->n_documents; i++)
        if (same(b->docs[i].number, number) && same(b->docs[i].issuer, issuer))
            return;
    b->docs[e->n_documents].type = type;
    b->docs[e->n_documents].number = number;
    b->docs[e->n_documents++].issuer = issuer;
}

pw_rc pw_wlb_diag(pw_wlb *b, pw_severity sev, uint32_t record, size_t offset,
                  const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return pw_diags_add(&b->wl->diags, sev, record, offset, "%s", msg);
}

static void *copy_array(pw_wlb *b, const void *src, size_t n, size_t size)
{
    void *dst;

    if (!n)
        return NULL;
    dst = pw_arena_alloc(&b->wl->arena, n * size);
    if (!dst) {
        b->nomem = 1;
        return NULL;
    }
    memcpy(dst, src, n * size);
    return dst;
}

static pw_rc grow_entries(pw_wlb *b)
{
    size_t cap = b->cap ? b->cap * 2 : 256;
    pw_entry *bigger;

    if (b->n >= PW_WL_MAX_ENTRIES)
        return PW_ERR_LIMIT;
    bigger = realloc(b->entries, cap * sizeof(*bigger));
    if (!bigger)
        return PW_ERR_NOMEM;
    b->entries = bigger;
    b->cap = cap;
    return PW_OK;
}

static const char *missing_part(const pw_wlb *b)
{
    const pw_entry *e = &b->cur;

    if (!e->id)
        return "no id";
    if (e->kind == PW_ENTRY_DOCUMENT)
        return e->n_documents ? NULL : "no document number";
    return e->n_names ? NULL : "no name";
}

static pw_rc store_entry(pw_wlb *b)
{
    pw_entry *e = &b->cur;
    pw_rc rc;

    e->names = copy_array(b, b->names, e->n_names, sizeof(*b->names));
    e->birth_dates =
        copy_array(b, b->dates, e->n_birth_dates, sizeof(*b->dates));
    e->nationalities =
        copy_array(b, b->nats, e->n_nationalities, sizeof(*b->nats));
    e->countries =
        copy_array(b, b->countries, e->n_countries, sizeof(*b->countries));
    e->documents = copy_array(b, b->docs, e->n_documents, sizeof(*b->docs));
    if (b->nomem)
        return PW_ERR_NOMEM;
    if (b->n == b->cap && (rc = grow_entries(b)) != PW_OK)
        return rc;
    b->entries[b->n++] = *e;
    return PW_OK;
}

pw_rc pw_wlb_commit(pw_wlb *b, uint32_t record, size_t offset)
{
    const char *why;

    if (!b->open)
        return PW_OK;
    b->open = 0;
    if (b->nomem)
        return PW_ERR_NOMEM;
    why = missing_part(b);
    if (why) {
        const char *id = b->cur.id;
        return pw_wlb_diag(b, PW_ERROR, record, offset,
                           "record %u%s%s%s: skipped, %s", (unsigned)record,
                           id ? " (id " : "", id ? id : "", id ? ")" : "", why);
    }
    return store_entry(b);
}

static pw_rc finish_entries(pw_wlb *b)
{
    pw_watchlist *wl = b->wl;

    wl->n_entries = b->n;
    if (!b->n)
        return PW_OK;
    wl->entries = pw_arena_alloc(&wl->arena, b->n * sizeof(*b->entries));
    if (!wl->entries)
        return PW_ERR_NOMEM;
    memcpy(wl->entries, b->entries, b->n * sizeof(*b->entries));
    return PW_OK;
}

pw_rc pw_wlb_finish(pw_wlb *b, pw_rc rc, pw_watchlist **out)
{
    if (rc == PW_OK && b->nomem)
        rc = PW_ERR_NOMEM;
    if (rc == PW_OK)
        rc = finish_entries(b);
    free(b->entries);
    b->entries = NULL;
    if (rc != PW_OK && rc != PW_ERR_SYNTAX) {
        pw_watchlist_free(b->wl);
        b->wl = NULL;
        return rc;
    }
    if (rc == PW_OK && b->n == 0 && b->wl->diags.n_errors)
        rc = PW_ERR_SYNTAX;
    *out = b->wl;
    b->wl = NULL;
    return rc;
}

static int digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

int pw_wl_date_ok(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    int m, d;

    if ((n != 4 && n != 7 && n != 10) || !digits(s, 4))
        return 0;
    if (n == 4)
        return 1;
    if (s[4] != '-' || !digits(s + 5, 2))
        return 0;
    m = (s[5] - '0') * 10 + (s[6] - '0');
    if (m < 1 || m > 12)
        return 0;
    if (n == 7)
        return 1;
    if (s[7] != '-' || !digits(s + 8, 2))
        return 0;
    d = (s[8] - '0') * 10 + (s[9] - '0');
    return d >= 1 && d <= 31;
}

const char *pw_wl_sex(const char *s)
{
    if (!s)
        return NULL;
    if (!strcasecmp(s, "male") || !strcasecmp(s, "m"))
        return "M";
    if (!strcasecmp(s, "female") || !strcasecmp(s, "f"))
        return "F";
    return NULL;
}

void pw_csv_init(pw_csv *c, const char *data, size_t len)
{
    memset(c, 0, sizeof(*c));
    c->p = c->start = data;
    c->end = data + len;
    c->line = 1;
}

void pw_csv_free(pw_csv *c)
{
    free(c->buf);
    c->buf = NULL;
}

static int put(pw_csv *c, size_t *len, char ch)
{
    if (*len + 1 >= c->buf_cap) {
        size_t cap = c->buf_cap ? c->buf_cap * 2 : 4096;
        char *bigger;
        if (cap > PW_WL_MAX_FIELD * 4 + 1)
            cap = PW_WL_MAX_FIELD * 4 + 1;
        if (*len + 1 >= cap) {
            c->error = "record longer than 256 KiB";
            return 0;
        }
        bigger = realloc(c->buf, cap);
        if (!bigger)
            return -1;
        c->buf = bigger;
        c->buf_cap = cap;
    }
    c->buf[(*len)++] = ch;
    return 1;
}

/* Moves past the end of the current record (used after an error). */
static void skip_record(pw_csv *c, int quoted)
{
    while (c->p < c->end) {
        char ch = *c->p++;
        if (ch == '"')
            quoted = !quoted;
        else if (ch == '\n') {
            c->line++;
            if (!quoted)
                return;
        }
    }
}

/* Reads one field into buf; returns the character that ended it
 * ('\n', ',' or 0 at the end), or -1 on allocation failure, -2 on a
 * malformed field (c->error says why). */
static int read_field(pw_csv *c, size_t *len, size_t *flen)
{
    int quoted = 0, was_quoted = 0, r;

    *flen = 0;
    if (c->p < c->end && *c->p == '"') {
        quoted = was_quoted = 1;
        c->p++;
    }
    while (c->p < c->end) {
        char ch = *c->p++;
        if (quoted) {
            if (ch == '"' && c->p < c->end && *c->p == '"')
                c->p++;
            else if (ch == '"') {
                quoted = 0;
                continue;
            } else if (ch == '\n')
                c->line++;
        } else if (ch == ',' || ch == '\n') {
            if (ch == '\n' && *flen && c->buf[*len - 1] == '\r')
                (*len)--, (*flen)--;
            return ch;
        } else if (ch == '"' && was_quoted) {
            c->error = "stray quote after a quoted field";
            skip_record(c, 1);
            return -2;
        }
        r = put(c, len, ch);
        if (r <= 0) {
            if (r == 0)
                skip_record(c, quoted);
            return r < 0 ? -1 : -2;
        }
        (*flen)++;
        if (*flen > PW_WL_MAX_FIELD) {
            c->error = "field longer than 64 KiB";
            skip_record(c, quoted);
            return -2;
        }
    }
    if (quoted) {
        c->error = "quoted field not closed before the end of the file";
        return -2;
    }
    if (*flen && c->buf[*len - 1] == '\r')
        (*len)--, (*flen)--;
    return 0;
}

static int finish_fields(pw_csv *c, size_t *starts)
{
    for (size_t i = 0; i < c->n_fields; i++)
        c->fields[i] = c->buf + starts[i];
    return 1;
}

static int blank_line(const pw_csv *c)
{
    const char *q = c->p;

    /* CR LF alone, or the DOS end-of-file mark some exports still add. */
    while (q < c->end && (*q == '\r' || *q == '\x1a'))
        q++;
    return q == c->end || *q == '\n';
}

static void skip_blank(pw_csv *c)
{
    while (c->p < c->end && blank_line(c)) {
        while (c->p < c->end && *c->p != '\n')
            c->p++;
        if (c->p < c->end) {
            c->p++;
            c->line++;
        }
    }
}

int pw_csv_next(pw_csv *c)
{
    size_t len = 0, flen, starts[64];
    int end;

    c->error = NULL;
    c->n_fields = 0;
    skip_blank(c);
    if (c->p >= c->end)
        return 0;
    c->rec_line = c->line;
    c->rec_offset = (size_t)(c->p - c->start);
    do {
        starts[c->n_fields] = len;
        end = read_field(c, &len, &flen);
        if (end == -1 || (end >= 0 && put(c, &len, '\0') < 0))
            return -1;
        if (end == -2 || c->error)
            return 1;
        c->n_fields++;
        if (end == ',' && c->n_fields == 64) {
            c->error = "more than 64 fields";
            skip_record(c, 0);
            return 1;
        }
    } while (end == ',');
    if (end == '\n')
        c->line++;
    return finish_fields(c, starts);
}

/* The sensitive-data filter: reading the list of codes and patterns, and
 * deciding whether an SSR code or a piece of free text reveals a
 * protected category. */
#include "paxwatch/privacy.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* exact_lens below keeps a bit for each length a pattern can have */
_Static_assert(PW_SENSITIVE_MAX_WORD < 64, "pattern lengths fit 64 bits");

typedef struct entry {
    char word[PW_SENSITIVE_MAX_WORD + 1]; /* upper case */
    unsigned char len;
    unsigned char prefix; /* pattern ended in '*' */
    unsigned char cls;
} entry;

struct pw_sensitive {
    uint32_t *codes; /* four letters packed, for one compare each */
    unsigned char *code_cls;
    size_t n_codes;
    entry *patterns; /* sorted by first letter once read */
    size_t n_patterns;
    uint16_t from[256], to[256]; /* patterns starting with a letter */
    /* For the patterns of each first letter: a bit for each length of
     * an exact one, and the shortest prefix (255 when none), so that a
     * word no pattern can match is not compared with them. */
    uint64_t exact_lens[256];
    unsigned char min_prefix[256];
    unsigned char word[256]; /* is_word_char of each byte */
    /* Each code once, packed with its class (code << 8 | class), at
     * its hash slot or after it; 0 marks an empty slot (no code packs
     * to 0). hash_mask + 1 slots, a power of two at least twice the
     * codes. */
    uint64_t *hash;
    size_t hash_mask;
    unsigned hash_bits;
};

static const char *const class_names[] = {
    "none", "ethnic", "religion", "political", "union", "health", "sex_life"};

const char *pw_sensitive_class_name(pw_sensitive_class c)
{
    if ((unsigned)c >= sizeof(class_names) / sizeof(class_names[0]))
        return "none";
    return class_names[c];
}

static pw_sensitive_class class_of(const char *w, size_t n)
{
    for (size_t i = 1; i < sizeof(class_names) / sizeof(class_names[0]); i++)
        if (strlen(class_names[i]) == n && !strncmp(class_names[i], w, n))
            return (pw_sensitive_class)i;
    return PW_SENS_NONE;
}

static char up(char c)
{
    return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

/* A letter, digit or any byte of a multi-byte character. Folding the
 * case with one bit makes the letters one range: free text is read a
 * byte at a time through this, so each compare counts. */
static int is_word_char(char c)
{
    unsigned char u = (unsigned char)c;

    return (unsigned)((u | 0x20) - 'a') < 26 || (unsigned)(u - '0') < 10 ||
           u >= 0x80;
}

static uint32_t pack(const char *c)
{
    return (uint32_t)(unsigned char)up(c[0]) << 24 |
           (uint32_t)(unsigned char)up(c[1]) << 16 |
           (uint32_t)(unsigned char)up(c[2]) << 8 |
           (uint32_t)(unsigned char)up(c[3]);
}

/* Where code k (packed) is first looked for in a hash table of 2^bits
 * slots: the top bits of the product, which every byte of k stirs. */
static size_t code_slot(uint32_t k, unsigned bits)
{
    return (size_t)((k * 0x9E3779B1u) >> (32 - bits));
}

/* Splits one line into at most three blank-separated fields, dropping a
 * `#` comment; returns the number of fields. */
static int fields(const char *p, const char *end, const char *f[3], size_t n[3])
{
    int k = 0;

    while (p < end && *p != '#') {
        if (*p == ' ' || *p == '\t' || *p == '\r') {
            p++;
            continue;
        }
        if (k == 3)
            return 4;
        f[k] = p;
        while (p < end && *p != '#' && *p != ' ' && *p != '\t' && *p != '\r')
            p++;
        n[k] = (size_t)(p - f[k]);
        k++;
    }
    return k;
}

static int valid_word(const char *w, size_t n, int allow_star)
{
    if (!n || n > PW_SENSITIVE_MAX_WORD)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (allow_star && w[i] == '*' && i == n - 1 && i > 0)
            continue;
        if (!is_word_char(w[i]) || (unsigned char)w[i] >= 0x80)
            return 0;
    }
    return 1;
}

static pw_rc bad_line(pw_diags *d, size_t line, const char *why)
{
    if (d && pw_diags_add(d, PW_ERROR, 0, 0, "sensitive list line %zu: %s",
                          line, why) != PW_OK)
        return PW_ERR_NOMEM;
    if (d && d->n)
        d->items[d->n - 1].line = (uint32_t)line;
    return PW_ERR_SYNTAX;
}

static pw_rc add_code(pw_sensitive *s, const char *w, size_t n,
                      pw_sensitive_class c)
{
    if (n != 4 || !valid_word(w, n, 0))
        return PW_ERR_SYNTAX;
    s->codes[s->n_codes] = pack(w);
    s->code_cls[s->n_codes++] = (unsigned char)c;
    return PW_OK;
}

static pw_rc add_pattern(pw_sensitive *s, const char *w, size_t n,
                         pw_sensitive_class c)
{
    entry *e = &s->patterns[s->n_patterns];

    if (!valid_word(w, n, 1))
        return PW_ERR_SYNTAX;
    e->prefix = w[n - 1] == '*';
    e->len = (unsigned char)(n - e->prefix);
    for (size_t i = 0; i < e->len; i++)
        e->word[i] = up(w[i]);
    e->word[e->len] = '\0';
    e->cls = (unsigned char)c;
    s->n_patterns++;
    return PW_OK;
}

static pw_rc read_line(pw_sensitive *s, const char *p, const char *end,
                       size_t line, pw_diags *d)
{
    const char *f[3];
    size_t n[3];
    int k = fields(p, end, f, n);
    pw_sensitive_class c;

    if (k == 0)
        return PW_OK;
    if (k != 3)
        return bad_line(d, line, "expected: ssr|text WORD CATEGORY");
    c = class_of(f[2], n[2]);
    if (c == PW_SENS_NONE)
        return bad_line(d, line, "unknown category");
    if (s->n_codes + s->n_patterns >= PW_SENSITIVE_MAX_ENTRIES)
        return PW_ERR_LIMIT;
    if (n[0] == 3 && !strncmp(f[0], "ssr", 3))
        return add_code(s, f[1], n[1], c) == PW_OK
                   ? PW_OK
                   : bad_line(d, line, "an SSR code is four letters");
    if (n[0] == 4 && !strncmp(f[0], "text", 4))
        return add_pattern(s, f[1], n[1], c) == PW_OK
                   ? PW_OK
                   : bad_line(d, line,
                              "a pattern is letters and digits, "
                              "with an optional final *");
    return bad_line(d, line, "an entry starts with ssr or text");
}

static pw_sensitive *list_new(void)
{
    pw_sensitive *s = calloc(1, sizeof(*s));

    if (!s)
        return NULL;
    s->codes = calloc(PW_SENSITIVE_MAX_ENTRIES, sizeof(*s->codes));
    s->code_cls = calloc(PW_SENSITIVE_MAX_ENTRIES, 1);
    s->patterns = calloc(PW_SENSITIVE_MAX_ENTRIES, sizeof(*s->patterns));
    if (!s->codes || !s->code_cls || !s->patterns) {
        pw_sensitive_free(s);
        return NULL;
    }
    for (int c = 0; c < 256; c++)
        s->word[c] = (unsigned char)is_word_char((char)c);
    return s;
}

static int by_first(const void *a, const void *b)
{
    const entry *x = a, *y = b;

    return (unsigned char)x->word[0] - (unsigned char)y->word[0];
}

/* Every SSR of every PNR, and every word of four bytes of a remark, is
 * looked up: in a hash table of the codes, filled in the order they are
 * listed so that the first listed wins when a code is listed twice. 0
 * when out of memory. */
static int index_codes(pw_sensitive *s)
{
    size_t slots = 16;
    unsigned bits = 4;

    while (slots < 2 * s->n_codes) {
        slots *= 2;
        bits++;
    }
    s->hash = calloc(slots, sizeof(*s->hash));
    if (!s->hash)
        return 0;
    s->hash_mask = slots - 1;
    s->hash_bits = bits;
    for (size_t i = 0; i < s->n_codes; i++) {
        uint32_t k = s->codes[i];
        size_t at = code_slot(k, bits);
        while (s->hash[at] && (uint32_t)(s->hash[at] >> 8) != k)
            at = (at + 1) & s->hash_mask;
        if (!s->hash[at])
            s->hash[at] = (uint64_t)k << 8 | s->code_cls[i];
    }
    return 1;
}

/* Each word of a remark is then compared only with the patterns that
 * share its first letter. */
static void index_patterns(pw_sensitive *s)
{
    memset(s->min_prefix, 255, sizeof(s->min_prefix));
    for (size_t i = 0; i < s->n_patterns; i++) {
        const entry *e = &s->patterns[i];
        unsigned char c = (unsigned char)e->word[0];
        if (!e->prefix)
            s->exact_lens[c] |= (uint64_t)1 << e->len;
        else if (e->len < s->min_prefix[c])
            s->min_prefix[c] = e->len;
    }
    qsort(s->patterns, s->n_patterns, sizeof(entry), by_first);
    for (size_t i = s->n_patterns; i-- > 0;) {
        unsigned char c = (unsigned char)s->patterns[i].word[0];
        if (!s->to[c])
            s->to[c] = (uint16_t)(i + 1);
        s->from[c] = (uint16_t)i;
    }
}

pw_rc pw_sensitive_parse(const char *text, size_t len, pw_sensitive **out,
                         pw_diags *diags)
{
    pw_sensitive *s;
    const char *p = text, *end = text + len;
    size_t line = 1;
    pw_rc rc = PW_OK;

    *out = NULL;
    if (!text && len)
        return PW_ERR_INVALID;
    if (len > PW_SENSITIVE_MAX_BYTES)
        return PW_ERR_LIMIT;
    s = list_new();
    if (!s)
        return PW_ERR_NOMEM;
    while (p < end && rc == PW_OK) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eol = nl ? nl : end;
        rc = read_line(s, p, eol, line++, diags);
        p = nl ? nl + 1 : end;
    }
    if (rc != PW_OK) {
        pw_sensitive_free(s);
        return rc;
    }
    index_patterns(s);
    if (!index_codes(s)) {
        pw_sensitive_free(s);
        return PW_ERR_NOMEM;
    }
    *out = s;
    return PW_OK;
}

pw_rc pw_sensitive_load(const char *path, pw_sensitive **out, pw_diags *diags)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    size_t n;
    pw_rc rc;

    *out = NULL;
    if (!f)
        return PW_ERR_IO;
    buf = malloc(PW_SENSITIVE_MAX_BYTES + 1);
    if (!buf) {
        fclose(f);
        return PW_ERR_NOMEM;
    }
    n = fread(buf, 1, PW_SENSITIVE_MAX_BYTES + 1, f);
    rc = ferror(f) ? PW_ERR_IO : PW_OK;
    fclose(f);
    if (rc == PW_OK)
        rc = pw_sensitive_parse(buf, n, out, diags);
    free(buf);
    return rc;
}

void pw_sensitive_free(pw_sensitive *s)
{
    if (!s)
        return;
    free(s->codes);
    free(s->code_cls);
    free(s->patterns);
    free(s->hash);
    free(s);
}

size_t pw_sensitive_count(const pw_sensitive *s, size_t *n_patterns)
{
    if (n_patterns)
        *n_patterns = s ? s->n_patterns : 0;
    return s ? s->n_codes : 0;
}

/* The class of code k (packed), PW_SENS_NONE when it is not listed. */
static pw_sensitive_class find_code(const pw_sensitive *s, uint32_t k)
{
    size_t i = code_slot(k, s->hash_bits);

    for (; s->hash[i]; i = (i + 1) & s->hash_mask)
        if ((uint32_t)(s->hash[i] >> 8) == k)
            return (pw_sensitive_class)(s->hash[i] & 0xFF);
    return PW_SENS_NONE;
}

pw_sensitive_class pw_sensitive_code(const pw_sensitive *s, const char *code)
{
    if (!s || !code || strnlen(code, 5) != 4)
        return PW_SENS_NONE;
    return find_code(s, pack(code));
}

static int word_matches(const entry *e, const char *w, size_t n)
{
    if (n < e->len || (!e->prefix && n != e->len))
        return 0;
    for (size_t i = 0; i < e->len; i++)
        if (up(w[i]) != e->word[i])
            return 0;
    return 1;
}

static pw_sensitive_class word_class(const pw_sensitive *s, const char *w,
                                     size_t n)
{
    unsigned char c = (unsigned char)up(w[0]);
    int may_match =
        n >= s->min_prefix[c] || (n < 64 && (s->exact_lens[c] >> n & 1));

    for (size_t i = s->from[c]; may_match && i < s->to[c]; i++)
        if (word_matches(&s->patterns[i], w, n))
            return (pw_sensitive_class)s->patterns[i].cls;
    /* as pw_sensitive_code, whose length check a word of four word
     * bytes always passes */
    return n == 4 ? find_code(s, pack(w)) : PW_SENS_NONE;
}

pw_sensitive_class pw_sensitive_text(const pw_sensitive *s, const char *text,
                                     size_t len)
{
    size_t i = 0;

    if (!s || !text)
        return PW_SENS_NONE;
    /* Every byte of every remark passes here: a table answers
     * is_word_char in one load. */
    while (i < len) {
        size_t start;
        pw_sensitive_class c;

        while (i < len && !s->word[(unsigned char)text[i]])
            i++;
        start = i;
        while (i < len && s->word[(unsigned char)text[i]])
            i++;
        if (i == start)
            break;
        c = word_class(s, text + start, i - start);
        if (c != PW_SENS_NONE)
            return c;
    }
    return PW_SENS_NONE;
}

/* The process-wide list, loaded on first use. */
static pw_sensitive *default_list;
static pthread_once_t default_once = PTHREAD_ONCE_INIT;

static pw_sensitive *try_dir(const char *dir)
{
    char path[4096];
    pw_sensitive *s = NULL;

    if (!dir || !*dir)
        return NULL;
    if ((size_t)snprintf(path, sizeof(path), "%s/sensitive.conf", dir) >=
        sizeof(path))
        return NULL;
    if (pw_sensitive_load(path, &s, NULL) != PW_OK)
        return NULL;
    return s;
}

static void free_default(void)
{
    pw_sensitive_free(default_list);
    default_list = NULL;
}

static void load_default(void)
{
    const char *b = pw_sensitive_builtin();

    default_list = try_dir(getenv("PAXWATCH_DATA"));
#ifdef PW_DATA_DIR
    if (!default_list)
        default_list = try_dir(PW_DATA_DIR);
#endif
    if (!default_list &&
        pw_sensitive_parse(b, strlen(b), &default_list, NULL) != PW_OK)
        default_list = NULL;
    if (default_list)
        atexit(free_default);
}

const pw_sensitive *pw_sensitive_default(void)
{
    pthread_once(&default_once, load_default);
    return default_list;
}

/* The candidate index: every entry name normalised once into a flat
 * record, its distinct tokens packed, and keys (folds, phonetic keys and
 * one-letter deletions) leading to the tokens, tokens to the names. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "screen/screen_int.h"

/* ---- large arrays on huge pages ---- */

/* Arrays of at least this many bytes are mapped on their own. */
#define BIG_MIN ((size_t)4 << 20)

void *pw__big_zalloc(size_t size, size_t *mapped)
{
    *mapped = 0;
#if defined(MADV_HUGEPAGE) && defined(MAP_ANONYMOUS)
    if (size >= BIG_MIN) {
        const size_t huge = (size_t)2 << 20;
        size_t len = (size + huge - 1) & ~(huge - 1);
        void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p != MAP_FAILED) {
            (void)madvise(p, len, MADV_HUGEPAGE); /* advice only */
            *mapped = len;
            return p;
        }
    }
#endif
    return calloc(1, size ? size : 1);
}

void pw__big_free(void *p, size_t mapped)
{
#if defined(MADV_HUGEPAGE) && defined(MAP_ANONYMOUS)
    if (p && mapped) {
        (void)munmap(p, mapped);
        return;
    }
#endif
    free(p);
}

/* An array of the index from pw__big_zalloc, remembered so that ix_free
 * gives it back the way it came. */
static void *ix_alloc(pw_screen_index *ix, size_t size)
{
    size_t mapped;

    if (ix->n_big == IX_BIG_MAX)
        return calloc(1, size ? size : 1);
    void *p = pw__big_zalloc(size, &mapped);
    if (p && mapped) {
        ix->big[ix->n_big] = p;
        ix->big_len[ix->n_big++] = mapped;
    }
    return p;
}

/* Frees an array of the index, however it was allocated. */
static void ix_free(pw_screen_index *ix, void *p)
{
    for (size_t i = 0; p && i < ix->n_big; i++)
        if (ix->big[i] == p) {
            pw__big_free(p, ix->big_len[i]);
            ix->big[i] = ix->big[--ix->n_big];
            ix->big_len[i] = ix->big_len[ix->n_big];
            return;
        }
    free(p);
}

/* Growable arrays used while building. */
typedef struct vec64 {
    uint64_t *v;
    size_t n, cap;
} vec64;

static int vec64_push(vec64 *a, uint64_t x)
{
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 1024;
        uint64_t *v = realloc(a->v, cap * sizeof *v);
        if (!v)
            return -1;
        a->v = v;
        a->cap = cap;
    }
    a->v[a->n++] = x;
    return 0;
}

uint32_t pw__key_hash(const char *s, size_t n, uint32_t seed)
{
    uint32_t h = 2166136261u ^ seed;

    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    h ^= h >> 15;
    h *= 0x2c1b3c6du;
    h ^= h >> 12;
    return h;
}

/* Key namespaces: a fold, a phonetic key and a spelling (a word or a
 * word less one letter) that happen to be the same letters are different
 * keys. */
#define SEED_FOLD 3u
#define SEED_PHON 4u
#define SEED_EDIT 5u
#define SEED_SHORT 6u

typedef void (*key_fn)(uint32_t key, void *arg);

static void fold_key(const char *s, key_fn fn, void *arg)
{
    char f[PW_TOKEN_MAX];
    size_t n = pw_translit_fold(s, f, sizeof f);

    if (n > 0)
        fn(pw__key_hash(f, n, SEED_FOLD), arg);
}

/* Calls fn with the key of pre followed by s less its letter at skip
 * (none when skip is n). */
static void spelling_key(const char *pre, size_t np, const char *s, size_t n,
                         size_t skip, uint32_t seed, key_fn fn, void *arg)
{
    char buf[2 * PW_TOKEN_MAX + 1];
    size_t k = np;

    memcpy(buf, pre, np);
    for (size_t i = 0; i < n; i++)
        if (i != skip)
            buf[k++] = s[i];
    fn(pw__key_hash(buf, k, seed), arg);
}

/* The word (from min_self letters) and each of its one-letter deletions
 * (from min_del letters), after pre: two words one edit apart (a letter
 * wrong, missing, added, or two swapped) always share one of these when
 * the longer has min_del letters or more. */
static void edit_keys(const char *pre, const char *s, size_t min_self,
                      size_t min_del, uint32_t seed, key_fn fn, void *arg)
{
    size_t n = strlen(s), np = strlen(pre);

    if (n < min_self || n >= PW_TOKEN_MAX || np >= PW_TOKEN_MAX)
        return;
    spelling_key(pre, np, s, n, n, seed, fn, arg);
    for (size_t i = 0; n >= min_del && i < n; i++)
        spelling_key(pre, np, s, n, i, seed, fn, arg);
}

/* The scorer forgives one edit in a word whose longer side has five
 * letters or more (and compares the forms without particles likewise);
 * a phonetic key of one or two letters counts only with one edit between
 * words of which the longer has four letters or more, so those keys are
 * qualified by the phonetic key to stay few. */
static void typo_keys(const pw_name_token *t, key_fn fn, void *arg)
{
    edit_keys("", t->text, 4, 5, SEED_EDIT, fn, arg);
    if (t->variant[0])
        edit_keys("", t->variant, 4, 5, SEED_EDIT, fn, arg);
    if (t->stem[0])
        edit_keys("", t->stem, 4, 5, SEED_EDIT, fn, arg);
    if (t->phon[0] && strlen(t->phon) <= 2)
        edit_keys(t->phon, t->text, 3, 4, SEED_SHORT, fn, arg);
}

/* The classes of pw_token_similarity, each with the keys that cover it:
 * exact, ICAO variant and transliteration fold by the folds of text,
 * variant and stem (and a leading J read as Y); sound-alike by the
 * phonetic key when it has three letters or more; one typing error,
 * particles within one edit and short sound-alike keys by spellings
 * (typo_keys). */
void pw__token_keys(const pw_name_token *t, key_fn fn, void *arg)
{
    size_t n_phon = strlen(t->phon);

    if (!t->text[0] || (!t->text[1] && !t->variant[0]))
        return; /* an initial says too little to find anyone by */
    if (t->fold[0])
        fn(pw__key_hash(t->fold, strlen(t->fold), SEED_FOLD), arg);
    if (t->text[0] == 'J' && t->fold[0] == 'J') {
        char as_y[PW_TOKEN_MAX];
        snprintf(as_y, sizeof as_y, "Y%s", t->fold + 1);
        fn(pw__key_hash(as_y, strlen(as_y), SEED_FOLD), arg);
    }
    if (n_phon >= 3)
        fn(pw__key_hash(t->phon, n_phon, SEED_PHON), arg);
    if (t->variant[0])
        fold_key(t->variant, fn, arg);
    if (t->stem[0])
        fold_key(t->stem, fn, arg);
    typo_keys(t, fn, arg);
}

/* Sorts by bits from..63 of each value, a byte a pass from the lowest
 * byte holding bit from; stable, so equal keys keep their order. */
static int radix_sort_from(uint64_t *v, size_t n, unsigned from)
{
    size_t count[256];

    if (n == 0)
        return 0;
    uint64_t *tmp = malloc(n * sizeof *tmp);
    if (!tmp)
        return -1;
    for (unsigned shift = from & ~7u; shift < 64; shift += 8) {
        memset(count, 0, sizeof count);
        for (size_t i = 0; i < n; i++)
            count[(v[i] >> shift) & 0xFF]++;
        size_t sum = 0;
        for (size_t b = 0; b < 256; b++) {
            size_t c = count[b];
            count[b] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            tmp[count[(v[i] >> shift) & 0xFF]++] = v[i];
        memcpy(v, tmp, n * sizeof *v);
    }
    free(tmp);
    return 0;
}

/* Sorts by the upper 32 bits, stable, so ids keep their order per key. */
static int radix_sort_keys(uint64_t *v, size_t n)
{
    return radix_sort_from(v, n, 32);
}

static size_t count_unique(const uint64_t *v, size_t n, size_t *n_keys)
{
    size_t ids = 0, keys = 0;

    for (size_t i = 0; i < n; i++) {
        if (i > 0 && v[i] == v[i - 1])
            continue;
        ids++;
        if (i == 0 || (v[i] >> 32) != (v[i - 1] >> 32))
            keys++;
    }
    *n_keys = keys;
    return ids;
}

static void fill_postings(ix_postings *p, const uint64_t *v, size_t n)
{
    size_t k = 0, d = 0;

    for (size_t i = 0; i < n; i++) {
        if (i > 0 && v[i] == v[i - 1])
            continue;
        uint32_t key = (uint32_t)(v[i] >> 32);
        if (k == 0 || p->keys[k - 1].key != key)
            p->keys[k++] = (ix_key){key, (uint32_t)d};
        p->ids[d++] = (uint32_t)v[i];
    }
    p->keys[k] = (ix_key){UINT32_MAX, (uint32_t)d};
}

/* About two keys per slot of the directory. */
static unsigned dir_bits_for(size_t n_keys)
{
    unsigned bits = 8;

    while (bits < 24 && ((size_t)1 << (bits + 1)) <= n_keys)
        bits++;
    return bits;
}

static pw_rc fill_dir(pw_screen_index *ix, ix_postings *p)
{
    size_t n_dir = (size_t)1 << p->dir_bits, j = 0;
    unsigned shift = 32 - p->dir_bits;

    p->dir = ix_alloc(ix, (n_dir + 1) * sizeof *p->dir);
    if (!p->dir)
        return PW_ERR_NOMEM;
    for (size_t top = 0; top <= n_dir; top++) {
        while (j < p->n_keys && (p->keys[j].key >> shift) < top)
            j++;
        p->dir[top] = (uint32_t)j;
    }
    return PW_OK;
}

static pw_rc build_postings(pw_screen_index *ix, ix_postings *p, vec64 *pairs)
{
    if (radix_sort_keys(pairs->v, pairs->n) != 0)
        return PW_ERR_NOMEM;
    p->n_ids = count_unique(pairs->v, pairs->n, &p->n_keys);
    p->keys = ix_alloc(ix, (p->n_keys + 1) * sizeof *p->keys);
    p->ids = ix_alloc(ix, (p->n_ids + 1) * sizeof *p->ids);
    if (!p->keys || !p->ids)
        return PW_ERR_NOMEM;
    fill_postings(p, pairs->v, pairs->n);
    p->dir_bits = dir_bits_for(p->n_keys);
    return fill_dir(ix, p);
}

const uint32_t *pw__postings(const ix_postings *p, uint32_t key, size_t *n)
{
    *n = 0;
    if (!p->dir)
        return NULL;
    size_t top = key >> (32 - p->dir_bits);
    for (size_t i = p->dir[top]; i < p->dir[top + 1]; i++) {
        if (p->keys[i].key < key)
            continue;
        if (p->keys[i].key > key)
            return NULL;
        *n = p->keys[i + 1].start - p->keys[i].start;
        return p->ids + p->keys[i].start;
    }
    return NULL;
}

/* ---- building ---- */

typedef struct builder {
    pw_screen_index *ix;
    vec64 pairs, doc_pairs;
    size_t names_cap, rec_cap, toks_cap, pool_cap;
    uint32_t *table; /* token dedup: token number + 1, 0 when free */
    size_t table_cap;
    uint32_t cur_token;
    int nomem;
    uint32_t *seen; /* names in other scripts: name number + 1, or 0 */
    size_t seen_cap, n_seen;
} builder;

static void add_pair(uint32_t key, void *arg)
{
    builder *b = arg;

    if (vec64_push(&b->pairs, ((uint64_t)key << 32) | b->cur_token) != 0)
        b->nomem = 1;
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : 1024;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, c * size);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

/* Packs a token as the lengths of its text, variant, stem, phonetic key
 * and fold (one byte each), then the five strings, NUL-ended, so that a
 * view of it needs no scanning. */
static size_t pack_token(const pw_name_token *t, char *buf)
{
    pw__tok_view v;
    size_t n = PW__TOK_FIELDS;

    pw__tok_view_of(t, &v);
    for (int i = 0; i < PW__TOK_FIELDS; i++) {
        buf[i] = (char)v.len[i];
        memcpy(buf + n, v.s[i], v.len[i]);
        buf[n + v.len[i]] = '\0';
        n += v.len[i] + 1u;
    }
    return n;
}

static size_t packed_len(const unsigned char *p)
{
    size_t n = PW__TOK_FIELDS;

    for (int i = 0; i < PW__TOK_FIELDS; i++)
        n += p[i] + 1u;
    return n;
}

static int rehash(builder *b)
{
    size_t cap = b->table_cap ? b->table_cap * 2 : 4096;
    uint32_t *t = calloc(cap, sizeof *t);
    pw_screen_index *ix = b->ix;

    if (!t)
        return -1;
    for (size_t id = 0; id < ix->n_tokens; id++) {
        const unsigned char *p = ix->tok_pool + ix->tok_off[id];
        size_t h = pw__key_hash((const char *)p, packed_len(p), 7);
        while (t[h & (cap - 1)])
            h++;
        t[h & (cap - 1)] = (uint32_t)id + 1;
    }
    free(b->table);
    b->table = t;
    b->table_cap = cap;
    return 0;
}

static pw_rc new_token(builder *b, const pw_name_token *t, const char *buf,
                       size_t n, uint32_t *id)
{
    pw_screen_index *ix = b->ix;

    if (ix->n_tokens >= IX_TOKEN_MASK || ix->tok_pool_len > UINT32_MAX - n)
        return PW_ERR_LIMIT;
    if (grow((void **)&ix->tok_off, &b->toks_cap, ix->n_tokens + 1,
             sizeof *ix->tok_off) != 0 ||
        grow((void **)&ix->tok_pool, &b->pool_cap, ix->tok_pool_len + n, 1) !=
            0)
        return PW_ERR_NOMEM;
    ix->tok_off[ix->n_tokens] = (uint32_t)ix->tok_pool_len;
    memcpy(ix->tok_pool + ix->tok_pool_len, buf, n);
    ix->tok_pool_len += n;
    *id = (uint32_t)ix->n_tokens++;
    b->cur_token = *id;
    pw__token_keys(t, add_pair, b);
    return b->nomem ? PW_ERR_NOMEM : PW_OK;
}

/* The number of token t, added when new. */
static pw_rc token_id(builder *b, const pw_name_token *t, uint32_t *id)
{
    char buf[PW__TOK_FIELDS * (PW_TOKEN_MAX + 1)];
    size_t n = pack_token(t, buf);
    pw_screen_index *ix = b->ix;

    if ((ix->n_tokens + 1) * 2 > b->table_cap && rehash(b) != 0)
        return PW_ERR_NOMEM;
    size_t h = pw__key_hash(buf, n, 7);
    for (;; h++) {
        uint32_t slot = b->table[h & (b->table_cap - 1)];
        if (slot == 0)
            break;
        const unsigned char *p = ix->tok_pool + ix->tok_off[slot - 1];
        if (memcmp(p, buf, n) == 0) {
            *id = slot - 1;
            return PW_OK;
        }
    }
    pw_rc rc = new_token(b, t, buf, n, id);
    if (rc == PW_OK)
        b->table[h & (b->table_cap - 1)] = *id + 1;
    return rc;
}

void pw__token_view(const pw_screen_index *ix, uint32_t t, pw__tok_view *v)
{
    const unsigned char *p = ix->tok_pool + ix->tok_off[t];
    const char *q = (const char *)p + PW__TOK_FIELDS;

    for (int i = 0; i < PW__TOK_FIELDS; i++) {
        v->len[i] = p[i];
        v->s[i] = q;
        q += p[i] + 1u;
    }
}

void pw__unpack_token(const pw_screen_index *ix, uint32_t t, pw_name_token *out)
{
    pw__tok_view v;
    char *dst[PW__TOK_FIELDS] = {out->text, out->variant, out->stem, out->phon,
                                 out->fold};

    pw__token_view(ix, t, &v);
    for (int i = 0; i < PW__TOK_FIELDS; i++)
        memcpy(dst[i], v.s[i], v.len[i] + 1u);
}

void pw__unpack_name(const pw_screen_index *ix, const uint32_t *rec,
                     pw_name *out)
{
    const uint32_t *refs = rec + IX_REC_REFS;

    out->n = rec[IX_REC_INFO] & 0xFFu;
    out->truncated = 0;
    for (size_t i = 0; i < out->n; i++) {
        pw__unpack_token(ix, refs[i] & IX_TOKEN_MASK, &out->tok[i]);
        out->tok[i].role = (unsigned char)(refs[i] >> IX_ROLE_SHIFT);
    }
}

static pw_rc normalize_entry_name(const pw_entry_name *en, pw_name *out)
{
    if (en->surname || en->given_names)
        return pw_name_normalize_parts(en->surname, en->given_names, out);
    if (!en->full)
        return PW_ERR_INVALID;
    return pw_name_normalize(en->full, strlen(en->full), out);
}

static uint32_t token_ref(uint32_t id, const pw_name_token *t)
{
    uint32_t ref = id | ((uint32_t)t->role << IX_ROLE_SHIFT);

    return t->text[1] == '\0' ? ref | IX_INITIAL_BIT : ref;
}

/* Appends the record of a name: entry, index and count, token refs. */
static pw_rc add_record(builder *b, uint32_t entry, size_t k, const pw_name *nm)
{
    pw_screen_index *ix = b->ix;
    size_t need = ix->n_rec + IX_REC_REFS + nm->n;

    if (grow((void **)&ix->name_rec, &b->rec_cap, need, sizeof *ix->name_rec) !=
        0)
        return PW_ERR_NOMEM;
    uint32_t *rec = ix->name_rec + ix->n_rec;
    rec[IX_REC_ENTRY] = entry;
    rec[IX_REC_INFO] = (uint32_t)k << 8 | (uint32_t)nm->n;
    for (size_t i = 0; i < nm->n; i++) {
        uint32_t id;
        pw_rc rc = token_id(b, &nm->tok[i], &id);
        if (rc != PW_OK)
            return rc;
        rec[IX_REC_REFS + i] = token_ref(id, &nm->tok[i]);
    }
    ix->name_off[ix->n_names] = (uint32_t)ix->n_rec;
    ix->n_rec = need;
    return PW_OK;
}

/* ---- names in other scripts, transliterated once per spelling ---- */

static int plain_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return 0;
    return 1;
}

/* ICU transliteration is most of the cost of building, and lists repeat
 * the same alias in its own script; a name given whole in another script
 * is normalised once and its tokens reused. */
static const char *cacheable(const pw_entry_name *en)
{
    if (en->surname || en->given_names || !en->full || plain_ascii(en->full))
        return NULL;
    return en->full;
}

static const char *name_text(const pw_screen_index *ix, uint32_t n)
{
    const uint32_t *rec = pw__name_rec(ix, n);

    return ix->entries[rec[IX_REC_ENTRY]]->names[rec[IX_REC_INFO] >> 8].full;
}

static int grow_seen(builder *b)
{
    size_t cap = b->seen_cap ? b->seen_cap * 2 : 4096;
    uint32_t *t = calloc(cap, sizeof *t);

    if (!t)
        return -1;
    for (size_t i = 0; i < b->seen_cap; i++) {
        if (!b->seen[i])
            continue;
        const char *s = name_text(b->ix, b->seen[i] - 1);
        size_t h = pw__key_hash(s, strlen(s), 8);
        while (t[h & (cap - 1)])
            h++;
        t[h & (cap - 1)] = b->seen[i];
    }
    free(b->seen);
    b->seen = t;
    b->seen_cap = cap;
    return 0;
}

/* The slot of full in the table of names seen: holding the number + 1
 * of a name spelt so, or 0 where it would go. */
static uint32_t *seen_slot(builder *b, const char *full)
{
    size_t h = pw__key_hash(full, strlen(full), 8);

    for (;; h++) {
        uint32_t *slot = &b->seen[h & (b->seen_cap - 1)];
        if (!*slot || strcmp(name_text(b->ix, *slot - 1), full) == 0)
            return slot;
    }
}

/* Copies the tokens of name number from as name (entry, k). */
static pw_rc copy_record(builder *b, uint32_t entry, size_t k, uint32_t from)
{
    pw_screen_index *ix = b->ix;
    size_t n = pw__name_rec(ix, from)[IX_REC_INFO] & 0xFFu;
    size_t need = ix->n_rec + IX_REC_REFS + n;

    if (grow((void **)&ix->name_rec, &b->rec_cap, need, sizeof *ix->name_rec) !=
        0)
        return PW_ERR_NOMEM;
    uint32_t *rec = ix->name_rec + ix->n_rec;
    memcpy(rec, pw__name_rec(ix, from), (IX_REC_REFS + n) * sizeof *rec);
    rec[IX_REC_ENTRY] = entry;
    rec[IX_REC_INFO] = (uint32_t)k << 8 | (uint32_t)n;
    ix->name_off[ix->n_names] = (uint32_t)ix->n_rec;
    ix->n_rec = need;
    return PW_OK;
}

/* Adds the name, or copies one spelt alike (slot); PW_ERR_SYNTAX for a
 * name that gives no tokens. */
static pw_rc add_name(builder *b, uint32_t entry, size_t k,
                      const pw_entry_name *en, uint32_t *slot)
{
    static _Thread_local pw_name nm;

    if (slot && *slot)
        return copy_record(b, entry, k, *slot - 1);
    if (normalize_entry_name(en, &nm) != PW_OK || nm.n == 0)
        return PW_ERR_SYNTAX;
    pw_rc rc = add_record(b, entry, k, &nm);
    if (rc == PW_OK && slot) {
        *slot = (uint32_t)b->ix->n_names + 1;
        b->n_seen++;
    }
    return rc;
}

static pw_rc index_name(builder *b, uint32_t entry, size_t k,
                        const pw_entry_name *en)
{
    pw_screen_index *ix = b->ix;
    const char *full = cacheable(en);

    if (ix->n_names >= UINT32_MAX - 2 || k > 0xFFFFFFu ||
        ix->n_rec > UINT32_MAX - IX_REC_REFS - PW_NAME_MAX_TOKENS)
        return PW_ERR_LIMIT;
    if (grow((void **)&ix->name_off, &b->names_cap, ix->n_names + 2,
             sizeof *ix->name_off) != 0)
        return PW_ERR_NOMEM;
    if (full && (b->n_seen + 1) * 2 > b->seen_cap && grow_seen(b) != 0)
        return PW_ERR_NOMEM;
    pw_rc rc = add_name(b, entry, k, en, full ? seen_slot(b, full) : NULL);
    if (rc == PW_ERR_SYNTAX) {
        ix->n_skipped++; /* a name that cannot be normalised */
        return PW_OK;
    }
    if (rc == PW_OK)
        ix->name_off[++ix->n_names] = (uint32_t)ix->n_rec;
    return rc;
}

/* ---- the order of names ---- */

/* Bits needed to write 0..n. */
static unsigned bits_for(size_t n)
{
    unsigned b = 1;

    while (b < 63 && ((uint64_t)1 << b) <= n)
        b++;
    return b;
}

/* Each token's rank by how many names hold it, the commonest 0; NULL
 * when out of memory. */
static uint32_t *token_ranks(const pw_screen_index *ix)
{
    uint32_t *rank = calloc(ix->n_tokens + 1, sizeof *rank);
    uint64_t *v = malloc((ix->n_tokens + 1) * sizeof *v);

    if (!rank || !v)
        goto fail;
    for (size_t n = 0; n < ix->n_names; n++) {
        const uint32_t *rec = pw__name_rec(ix, (uint32_t)n);
        for (size_t i = 0; i < (rec[IX_REC_INFO] & 0xFFu); i++)
            rank[rec[IX_REC_REFS + i] & IX_TOKEN_MASK]++;
    }
    for (size_t t = 0; t < ix->n_tokens; t++)
        v[t] = (uint64_t)(UINT32_MAX - rank[t]) << 32 | t;
    if (radix_sort_keys(v, ix->n_tokens) != 0)
        goto fail;
    for (size_t i = 0; i < ix->n_tokens; i++)
        rank[(uint32_t)v[i]] = (uint32_t)i;
    free(v);
    return rank;
fail:
    free(rank);
    free(v);
    return NULL;
}

/* Puts x into a[0..n), ascending and without repeats (a name holds a
 * few tokens, so a shift is cheapest); returns the new count. */
static size_t add_sorted(uint32_t *a, size_t n, uint32_t x)
{
    size_t j = n;

    while (j > 0 && a[j - 1] > x)
        j--;
    if (j > 0 && a[j - 1] == x)
        return n;
    memmove(a + j + 1, a + j, (n - j) * sizeof *a);
    a[j] = x;
    return n + 1;
}

/* The ranks of a name's distinct tokens, commonest first, in r; their
 * number. */
static size_t name_ranks(const uint32_t *rec, const uint32_t *rank, uint32_t *r)
{
    size_t nr = 0;

    for (size_t i = 0; i < (rec[IX_REC_INFO] & 0xFFu); i++)
        nr = add_sorted(r, nr, rank[rec[IX_REC_REFS + i] & IX_TOKEN_MASK]);
    return nr;
}

/* Each name's sort key above its number: the ranks of its commonest
 * tokens, as many as fit, a missing one counting as rarest. */
static void name_keys(const pw_screen_index *ix, const uint32_t *rank,
                      uint64_t *v, unsigned name_bits)
{
    unsigned tb = bits_for(ix->n_tokens);
    size_t fit = (64 - name_bits) / tb;
    uint32_t r[PW_NAME_MAX_TOKENS];

    for (size_t n = 0; n < ix->n_names; n++) {
        size_t nr = name_ranks(pw__name_rec(ix, (uint32_t)n), rank, r);
        uint64_t key = 0;
        for (size_t j = 0; j < fit; j++)
            key = key << tb | (j < nr ? r[j] : ix->n_tokens);
        v[n] = key << name_bits | n;
    }
}

/* Lays the records out again in the order of v (name numbers in the low
 * name_bits bits), each token under its new number (num). */
static pw_rc reorder_records(pw_screen_index *ix, const uint64_t *v,
                             unsigned name_bits, const uint32_t *num)
{
    uint32_t *off = ix_alloc(ix, (ix->n_names + 1) * sizeof *off);
    uint32_t *rec = ix_alloc(ix, (ix->n_rec ? ix->n_rec : 1) * sizeof *rec);
    size_t at = 0;

    if (!off || !rec) {
        ix_free(ix, off);
        ix_free(ix, rec);
        return PW_ERR_NOMEM;
    }
    for (size_t i = 0; i < ix->n_names; i++) {
        uint32_t n = (uint32_t)(v[i] & (((uint64_t)1 << name_bits) - 1));
        const uint32_t *from = pw__name_rec(ix, n);
        size_t len = IX_REC_REFS + (from[IX_REC_INFO] & 0xFFu);
        off[i] = (uint32_t)at;
        memcpy(rec + at, from, len * sizeof *rec);
        for (size_t j = IX_REC_REFS; j < len; j++)
            rec[at + j] = (rec[at + j] & ~IX_TOKEN_MASK) |
                          num[rec[at + j] & IX_TOKEN_MASK];
        at += len;
    }
    off[ix->n_names] = (uint32_t)at;
    ix_free(ix, ix->name_off);
    ix_free(ix, ix->name_rec);
    ix->name_off = off;
    ix->name_rec = rec;
    return PW_OK;
}

/* Replaces each token's rank (in num) by its new number: tokens are
 * numbered in the order the names, in order v, first hold them, so that
 * reading the names in order reads the tokens in order (the full scan
 * does), and the commonest come first. */
static void first_met(const pw_screen_index *ix, const uint64_t *v,
                      unsigned name_bits, uint32_t *num)
{
    uint32_t next = 0;

    for (size_t t = 0; t < ix->n_tokens; t++)
        num[t] = UINT32_MAX;
    for (size_t i = 0; i < ix->n_names; i++) {
        uint32_t n = (uint32_t)(v[i] & (((uint64_t)1 << name_bits) - 1));
        const uint32_t *rec = pw__name_rec(ix, n);
        for (size_t j = 0; j < (rec[IX_REC_INFO] & 0xFFu); j++) {
            uint32_t t = rec[IX_REC_REFS + j] & IX_TOKEN_MASK;
            if (num[t] == UINT32_MAX)
                num[t] = next++;
        }
    }
    for (size_t t = 0; t < ix->n_tokens; t++)
        if (num[t] == UINT32_MAX) /* held by no name: not expected */
            num[t] = next++;
}

/* Lays the tokens out again under their new numbers (num): a token's
 * strings next to those of the tokens met with it. */
static pw_rc reorder_tokens(pw_screen_index *ix, const uint32_t *num)
{
    uint32_t *off = ix_alloc(ix, (ix->n_tokens + 1) * sizeof *off);
    unsigned char *pool = ix_alloc(ix, ix->tok_pool_len);
    uint32_t *by_num = malloc((ix->n_tokens + 1) * sizeof *by_num);
    size_t at = 0;

    if (!off || !pool || !by_num) {
        ix_free(ix, off);
        ix_free(ix, pool);
        free(by_num);
        return PW_ERR_NOMEM;
    }
    for (size_t t = 0; t < ix->n_tokens; t++)
        by_num[num[t]] = (uint32_t)t;
    for (size_t r = 0; r < ix->n_tokens; r++) {
        const unsigned char *p = ix->tok_pool + ix->tok_off[by_num[r]];
        size_t n = packed_len(p);
        off[r] = (uint32_t)at;
        memcpy(pool + at, p, n);
        at += n;
    }
    free(by_num);
    ix_free(ix, ix->tok_off);
    ix_free(ix, ix->tok_pool);
    ix->tok_off = off;
    ix->tok_pool = pool;
    return PW_OK;
}

/* The keys' pairs with tokens numbered anew (num). A token's pairs stay
 * next to one another, so sorting by key still brings a repeated pair
 * together; a key's tokens keep the order in which they were found. */
static void renumber_pairs(vec64 *pairs, const uint32_t *num)
{
    for (size_t i = 0; i < pairs->n; i++)
        pairs->v[i] =
            (pairs->v[i] & ~(uint64_t)UINT32_MAX) | num[(uint32_t)pairs->v[i]];
}

/* Numbers the names so that names sharing common tokens come together:
 * sorted by their tokens' ranks, commonest first. A query reads the
 * names of a few tokens, marking each in a per-name array and reading
 * its record; in this order a common token's names fall in runs, and
 * those reads share cache lines. Tokens are numbered anew to match. Numbers
 * are not otherwise meaningful (ties between one entry's names are
 * broken by their place in it). */
static pw_rc order_names(builder *b)
{
    pw_screen_index *ix = b->ix;
    unsigned name_bits = bits_for(ix->n_names);
    uint32_t *rank = ix->n_names ? token_ranks(ix) : NULL;
    uint64_t *v = malloc((ix->n_names + 1) * sizeof *v);
    pw_rc rc = PW_ERR_NOMEM;

    if (!ix->n_names) {
        free(v);
        return PW_OK;
    }
    if (rank && v) {
        name_keys(ix, rank, v, name_bits);
        if (radix_sort_from(v, ix->n_names, name_bits) == 0) {
            first_met(ix, v, name_bits, rank);
            rc = reorder_records(ix, v, name_bits, rank);
        }
        if (rc == PW_OK)
            rc = reorder_tokens(ix, rank);
        if (rc == PW_OK)
            renumber_pairs(&b->pairs, rank);
    }
    free(rank);
    free(v);
    return rc;
}

static void count_token_names(pw_screen_index *ix, uint32_t *start)
{
    for (size_t n = 0; n < ix->n_names; n++) {
        const uint32_t *rec = pw__name_rec(ix, (uint32_t)n);
        const uint32_t *r = rec + IX_REC_REFS;
        for (size_t i = 0; i < (rec[IX_REC_INFO] & 0xFFu); i++)
            start[(r[i] & IX_TOKEN_MASK) + 2]++;
    }
}

/* Token -> names, counted then filled, in ascending order; a name is
 * listed as often as it has the token (MUSA MUSA twice), so that how
 * many of its tokens a query word meets can be counted from the lists. */
static pw_rc build_token_names(pw_screen_index *ix)
{
    uint32_t *start = ix_alloc(ix, (ix->n_tokens + 2) * sizeof *start);

    if (!start)
        return PW_ERR_NOMEM;
    ix->tok_names_start = start;
    count_token_names(ix, start);
    for (size_t t = 2; t < ix->n_tokens + 2; t++)
        start[t] += start[t - 1];
    ix->tok_names =
        ix_alloc(ix, (start[ix->n_tokens + 1] + 1) * sizeof(uint32_t));
    if (!ix->tok_names)
        return PW_ERR_NOMEM;
    for (size_t n = 0; n < ix->n_names; n++) {
        const uint32_t *rec = pw__name_rec(ix, (uint32_t)n);
        const uint32_t *r = rec + IX_REC_REFS;
        for (size_t i = 0; i < (rec[IX_REC_INFO] & 0xFFu); i++)
            ix->tok_names[start[(r[i] & IX_TOKEN_MASK) + 1]++] = (uint32_t)n;
    }
    return PW_OK;
}

/* One byte per name (IX_SHAPE_*): whether it has a one-letter token (a
 * name without one can align no query word it shares no key with) and
 * how many other tokens it has. */
static pw_rc build_name_shapes(pw_screen_index *ix)
{
    ix->name_shape = ix_alloc(ix, ix->n_names + 1);
    if (!ix->name_shape)
        return PW_ERR_NOMEM;
    for (size_t n = 0; n < ix->n_names; n++) {
        const uint32_t *rec = pw__name_rec(ix, (uint32_t)n);
        unsigned plain = 0, init = 0;
        for (size_t i = 0; i < (rec[IX_REC_INFO] & 0xFFu); i++) {
            if (rec[IX_REC_REFS + i] & IX_INITIAL_BIT)
                init = IX_SHAPE_INITIAL;
            else
                plain += plain < 15;
        }
        ix->name_shape[n] = (unsigned char)(init | plain);
    }
    return PW_OK;
}

/* Token -> the names on its list that have a one-letter token, in the
 * same order: when the threshold lets a name that shares a key with one
 * query word alone through only by aligning an initial with another,
 * those are the only names of one word that a query must list. */
static pw_rc build_initial_names(pw_screen_index *ix)
{
    uint32_t *start = ix_alloc(ix, (ix->n_tokens + 1) * sizeof *start);
    size_t n = 0;

    if (!start)
        return PW_ERR_NOMEM;
    ix->tok_init_start = start;
    for (size_t i = 0; i < ix->tok_names_start[ix->n_tokens]; i++)
        n += (ix->name_shape[ix->tok_names[i]] & IX_SHAPE_INITIAL) != 0;
    ix->tok_init = ix_alloc(ix, (n + 1) * sizeof *ix->tok_init);
    if (!ix->tok_init)
        return PW_ERR_NOMEM;
    n = 0;
    for (size_t t = 0; t < ix->n_tokens; t++) {
        start[t] = (uint32_t)n;
        for (uint32_t i = ix->tok_names_start[t];
             i < ix->tok_names_start[t + 1]; i++)
            if (ix->name_shape[ix->tok_names[i]] & IX_SHAPE_INITIAL)
                ix->tok_init[n++] = ix->tok_names[i];
    }
    start[ix->n_tokens] = (uint32_t)n;
    return PW_OK;
}

/* Meeting the lists of two common tokens steps through far more names
 * than hold both: for tokens on PAIR_MIN_NAMES names or more, the names
 * holding each pair of them are kept, at most PAIR_BUDGET a name in all
 * (the bar is raised until they fit, so hostile lists stay bounded). */
#define PAIR_MIN_NAMES 64u
#define PAIR_BUDGET 4u

static uint32_t pair_hash(uint32_t a, uint32_t b)
{
    uint32_t h = a * 0x9E3779B1u ^ (b + 0x7F4A7C15u) * 0x85EBCA77u;

    return h ^ h >> 15;
}

static size_t names_on(const pw_screen_index *ix, uint32_t t)
{
    return ix->tok_names_start[t + 1] - ix->tok_names_start[t];
}

/* The distinct tokens of record rec on min names or more, ascending,
 * into out; returns how many. */
static size_t common_tokens(const pw_screen_index *ix, const uint32_t *rec,
                            uint32_t min, uint32_t *out)
{
    size_t nc = rec[IX_REC_INFO] & 0xFFu, k = 0;

    for (size_t i = 0; i < nc; i++) {
        uint32_t t = rec[IX_REC_REFS + i] & IX_TOKEN_MASK;
        if (names_on(ix, t) >= min)
            k = add_sorted(out, k, t);
    }
    return k;
}

static size_t pair_entries(const pw_screen_index *ix, uint32_t min)
{
    uint32_t tok[256];
    size_t total = 0;

    for (size_t n = 0; n < ix->n_names; n++) {
        size_t k = common_tokens(ix, pw__name_rec(ix, (uint32_t)n), min, tok);
        total += k * (k - (k > 0)) / 2;
    }
    return total;
}

static ix_pair *pair_slot(ix_pair *tab, size_t cap, uint32_t a, uint32_t b)
{
    size_t i = pair_hash(a, b) & (cap - 1);

    while (tab[i].a != UINT32_MAX && (tab[i].a != a || tab[i].b != b))
        i = (i + 1) & (cap - 1);
    return &tab[i];
}

static pw_rc pair_grow(pw_screen_index *ix)
{
    size_t cap = ix->pair_cap ? ix->pair_cap * 2 : 64;
    ix_pair *tab = ix_alloc(ix, cap * sizeof *tab);

    if (!tab)
        return PW_ERR_NOMEM;
    memset(tab, 0xFF, cap * sizeof *tab);
    for (size_t i = 0; i < ix->pair_cap; i++)
        if (ix->pair_tab[i].a != UINT32_MAX)
            *pair_slot(tab, cap, ix->pair_tab[i].a, ix->pair_tab[i].b) =
                ix->pair_tab[i];
    ix_free(ix, ix->pair_tab);
    ix->pair_tab = tab;
    ix->pair_cap = cap;
    return PW_OK;
}

/* Counts (fill 0) or lists (fill 1) the names of every common pair. */
static pw_rc pair_pass(pw_screen_index *ix, int fill, size_t *used)
{
    uint32_t tok[256];

    for (size_t n = 0; n < ix->n_names; n++) {
        size_t k =
            common_tokens(ix, pw__name_rec(ix, (uint32_t)n), ix->pair_min, tok);
        for (size_t i = 0; i < k; i++)
            for (size_t j = i + 1; j < k; j++) {
                if (!fill && 2 * (*used + 1) > ix->pair_cap &&
                    pair_grow(ix) != PW_OK)
                    return PW_ERR_NOMEM;
                ix_pair *p =
                    pair_slot(ix->pair_tab, ix->pair_cap, tok[i], tok[j]);
                if (fill) {
                    ix->pair_ids[p->start + p->n++] = (uint32_t)n;
                    continue;
                }
                if (p->a == UINT32_MAX) {
                    *p = (ix_pair){tok[i], tok[j], 0, 0};
                    ++*used;
                }
                p->n++;
            }
    }
    return PW_OK;
}

/* The names of each pair of common tokens, ascending (see PAIR_*). */
static pw_rc build_pairs(pw_screen_index *ix)
{
    size_t used = 0, total = 0, start = 0;

    ix->pair_min = PAIR_MIN_NAMES;
    while ((total = pair_entries(ix, ix->pair_min)) >
           (size_t)PAIR_BUDGET * ix->n_names)
        ix->pair_min *= 2;
    if (pair_grow(ix) != PW_OK || pair_pass(ix, 0, &used) != PW_OK)
        return PW_ERR_NOMEM;
    ix->pair_ids = ix_alloc(ix, (total + 1) * sizeof *ix->pair_ids);
    if (!ix->pair_ids)
        return PW_ERR_NOMEM;
    for (size_t i = 0; i < ix->pair_cap; i++) {
        ix->pair_tab[i].start = (uint32_t)start;
        start += ix->pair_tab[i].a != UINT32_MAX ? ix->pair_tab[i].n : 0;
        ix->pair_tab[i].n = 0;
    }
    ix->n_pair_ids = total;
    return pair_pass(ix, 1, &used);
}

const uint32_t *pw__pair_names(const pw_screen_index *ix, uint32_t t,
                               uint32_t u, size_t *n)
{
    uint32_t a = t < u ? t : u, b = t < u ? u : t;
    const ix_pair *p = pair_slot(ix->pair_tab, ix->pair_cap, a, b);

    *n = p->a == UINT32_MAX ? 0 : p->n;
    return *n ? ix->pair_ids + p->start : NULL;
}

/* ---- like tokens, worked out once per token ---- */

/* The keys of one token, collected for looking up (a token of
 * PW_TOKEN_MAX letters has fewer than this many). */
#define LIKE_KEYS_MAX 256

typedef struct key_buf {
    uint32_t key[LIKE_KEYS_MAX];
    size_t n;
    int over;
} key_buf;

static void keep_key(uint32_t key, void *arg)
{
    key_buf *k = arg;

    if (k->n == LIKE_KEYS_MAX)
        k->over = 1;
    else
        k->key[k->n++] = key;
}

typedef struct like_vec {
    ix_like *v;
    size_t n, cap;
} like_vec;

/* The tokens on the lists of a token's keys, in order, with repeats:
 * room for nearly every token's; a token with more is left for queries
 * to search. */
#define LIKE_IDS_MAX 1024

/* Like tokens are worked out for tokens on this many names or more:
 * those are most of the words travellers' names are made of. Working
 * them out for tokens on one name (most tokens) would double the time
 * it takes, and those on two names took about half of it (a
 * million entries: 2.9 of 21.6 billion instructions of the build) for
 * about a 60th of the queries' instructions. */
#define LIKE_MIN_NAMES 3

/* At most this many like tokens a name in all, so that a hostile list
 * cannot make them grow without bound; tokens past it (the rarest, by
 * their numbering) are left for queries to search. */
#define LIKE_BUDGET 8u

/* The ids under the n keys, in order, into ids (up to LIKE_IDS_MAX;
 * their number, or SIZE_MAX when there are more). Each stage asks for
 * the memory of every key's next step before taking any: a token's
 * keys and the tokens they lead to lie anywhere, so their cache misses
 * are made to overlap. */
static size_t key_ids(const ix_postings *p, const key_buf *k, uint32_t *ids)
{
    unsigned shift = 32 - p->dir_bits;
    const uint32_t *at[LIKE_KEYS_MAX];
    size_t len[LIKE_KEYS_MAX], n = 0;

    for (size_t i = 0; i < k->n; i++)
        __builtin_prefetch(&p->dir[k->key[i] >> shift]);
    for (size_t i = 0; i < k->n; i++)
        __builtin_prefetch(&p->keys[p->dir[k->key[i] >> shift]]);
    for (size_t i = 0; i < k->n; i++) {
        at[i] = pw__postings(p, k->key[i], &len[i]);
        if (len[i])
            __builtin_prefetch(at[i]);
        n += len[i];
    }
    if (n > LIKE_IDS_MAX)
        return SIZE_MAX;
    n = 0;
    for (size_t i = 0; i < k->n; i++) {
        memcpy(ids + n, at[i], len[i] * sizeof *ids);
        n += len[i];
    }
    return n;
}

/* Keeps in ids[0..n) the first of each token not yet compared with
 * token v (seen[u] is v + 1 once it is), in order; returns how many. */
static size_t first_seen(const pw_screen_index *ix, uint32_t v, uint32_t *seen,
                         uint32_t *ids, size_t n)
{
    size_t k = 0;

    for (size_t j = 0; j < n; j++) {
        __builtin_prefetch(&seen[ids[j]]);
        __builtin_prefetch(&ix->tok_off[ids[j]]);
    }
    for (size_t j = 0; j < n; j++) {
        uint32_t u = ids[j];
        if (seen[u] == v + 1)
            continue;
        seen[u] = v + 1;
        ids[k++] = u;
        __builtin_prefetch(ix->tok_pool + ix->tok_off[u]);
    }
    return k;
}

/* Appends the tokens of ids[0..n) at least PW__MIN_PAIR alike to token
 * v (view tv), taken as a query word, to out. */
static pw_rc keep_alike(const pw_screen_index *ix, const pw__tok_view *tv,
                        const uint32_t *ids, size_t n, like_vec *out)
{
    pw__tok_view uv;

    for (size_t j = 0; j < n; j++) {
        const char *how;
        pw__token_view(ix, ids[j], &uv);
        float sim = (float)pw__token_similarity_view(tv, &uv, &how);
        if (sim < (float)PW__MIN_PAIR)
            continue;
        if (grow((void **)&out->v, &out->cap, out->n + 1, sizeof *out->v))
            return PW_ERR_NOMEM;
        uint32_t code = pw__how_code(how);
        out->v[out->n++] = (ix_like){ids[j] | code << IX_HOW_SHIFT, sim};
    }
    return PW_OK;
}

/* Appends to out the tokens that token v, taken as a query word, can be
 * aligned with, as a query reaches them (see pw__likes): in the order
 * its keys' lists give them, once each. seen holds v + 1 for tokens
 * already compared. A token of too many keys or too long lists is left
 * for queries to search. */
static pw_rc like_tokens(const pw_screen_index *ix, uint32_t v, uint32_t *seen,
                         like_vec *out)
{
    uint32_t ids[LIKE_IDS_MAX];
    pw_name_token t;
    pw__tok_view tv;
    key_buf keys;

    if (names_on(ix, v) < LIKE_MIN_NAMES)
        return PW_OK;
    pw__unpack_token(ix, v, &t);
    keys.n = 0;
    keys.over = 0;
    pw__token_keys(&t, keep_key, &keys);
    if (keys.over)
        return PW_OK;
    size_t n = key_ids(&ix->by_key, &keys, ids);
    if (n == SIZE_MAX)
        return PW_OK;
    n = first_seen(ix, v, seen, ids, n);
    pw__token_view(ix, v, &tv);
    return keep_alike(ix, &tv, ids, n, out);
}

/* The n bytes grown at p moved to an array of the index of their own
 * size (see ix_alloc); p as it was when there is no memory. */
static void *settle(pw_screen_index *ix, void *p, size_t n)
{
    void *q = n ? ix_alloc(ix, n) : NULL;

    if (!q)
        return p;
    memcpy(q, p, n);
    free(p);
    return q;
}

/* Every token's like tokens (see pw__likes), so that a traveller's word
 * spelt as a listed token needs no keys, lookups or likeness computed. */
static pw_rc build_likes(pw_screen_index *ix)
{
    uint32_t *seen = calloc(ix->n_tokens + 1, sizeof *seen);
    like_vec out = {0};
    pw_rc rc = PW_OK;

    ix->like_start = ix_alloc(ix, (ix->n_tokens + 1) * sizeof *ix->like_start);
    if (!seen || !ix->like_start) {
        free(seen);
        return PW_ERR_NOMEM;
    }
    size_t budget = (size_t)LIKE_BUDGET * ix->n_names;
    for (size_t v = 0; v < ix->n_tokens && rc == PW_OK; v++) {
        ix->like_start[v] = (uint32_t)out.n;
        if (out.n + LIKE_IDS_MAX <= budget)
            rc = like_tokens(ix, (uint32_t)v, seen, &out);
        if (out.n >= UINT32_MAX - LIKE_IDS_MAX)
            rc = PW_ERR_LIMIT;
    }
    free(seen);
    ix->like_start[ix->n_tokens] = (uint32_t)out.n;
    ix->likes = settle(ix, out.v, out.n * sizeof *out.v);
    ix->n_likes = out.n;
    return rc;
}

/* The first of the n tokens ids whose five strings are those of w. */
static uint32_t same_token(const pw_screen_index *ix, const pw__tok_view *w,
                           const uint32_t *ids, size_t n)
{
    pw__tok_view v;

    for (size_t j = 0; j < n; j++) {
        pw__token_view(ix, ids[j], &v);
        int same = 1;
        for (int f = 0; f < PW__TOK_FIELDS && same; f++)
            same =
                v.len[f] == w->len[f] && memcmp(v.s[f], w->s[f], v.len[f]) == 0;
        if (same)
            return ids[j];
    }
    return UINT32_MAX;
}

/* Tokens a word's fold key leads to whose strings are asked for ahead:
 * the word's own token comes early in nearly every list. */
#define VOCAB_AHEAD 8

void pw__vocab_tokens(const pw_screen_index *ix, const pw__tok_view *w,
                      size_t n, unsigned skip, uint32_t *out)
{
    const ix_postings *p = &ix->by_key;
    uint32_t key[PW_NAME_MAX_TOKENS];
    const uint32_t *ids[PW_NAME_MAX_TOKENS];
    size_t nid[PW_NAME_MAX_TOKENS];

    for (size_t i = 0; i < n; i++) {
        out[i] = UINT32_MAX;
        nid[i] = 0;
    }
    if (!p->dir || !ix->like_start || n > PW_NAME_MAX_TOKENS)
        return;
    unsigned shift = 32 - p->dir_bits;
    for (size_t i = 0; i < n; i++) {
        if ((skip >> i & 1u) || !w[i].len[PW__TOK_FOLD])
            continue;
        key[i] = pw__key_hash(w[i].s[PW__TOK_FOLD], w[i].len[PW__TOK_FOLD],
                              SEED_FOLD);
        __builtin_prefetch(&p->dir[key[i] >> shift]);
    }
    for (size_t i = 0; i < n; i++)
        if (!(skip >> i & 1u) && w[i].len[PW__TOK_FOLD])
            __builtin_prefetch(&p->keys[p->dir[key[i] >> shift]]);
    for (size_t i = 0; i < n; i++) {
        if (!(skip >> i & 1u) && w[i].len[PW__TOK_FOLD])
            ids[i] = pw__postings(p, key[i], &nid[i]);
        if (nid[i])
            __builtin_prefetch(ids[i]);
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < nid[i] && j < VOCAB_AHEAD; j++)
            __builtin_prefetch(&ix->tok_off[ids[i][j]]);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < nid[i] && j < VOCAB_AHEAD; j++)
            __builtin_prefetch(ix->tok_pool + ix->tok_off[ids[i][j]]);
    for (size_t i = 0; i < n; i++) {
        if (nid[i])
            out[i] = same_token(ix, &w[i], ids[i], nid[i]);
        if (out[i] != UINT32_MAX)
            __builtin_prefetch(&ix->like_start[out[i]]);
    }
}

uint32_t pw__vocab_token(const pw_screen_index *ix, const pw__tok_view *w)
{
    uint32_t t;

    pw__vocab_tokens(ix, w, 1, 0, &t);
    return t;
}

const ix_like *pw__likes(const pw_screen_index *ix, uint32_t t, size_t *n)
{
    /* A small list may have no like tokens worked out at all (see
     * build_likes' budget): then likes is NULL, not to be offset. */
    *n = ix->likes ? ix->like_start[t + 1] - ix->like_start[t] : 0;
    return ix->likes ? ix->likes + ix->like_start[t] : NULL;
}

static pw_rc index_documents(builder *b, uint32_t g, const pw_entry *e)
{
    char num[64];

    for (size_t d = 0; d < e->n_documents; d++) {
        if (!e->documents[d].number)
            continue;
        size_t n = pw_document_number_normalize(e->documents[d].number, num,
                                                sizeof num);
        if (n == 0)
            continue;
        uint64_t x = ((uint64_t)pw__key_hash(num, n, 2) << 32) | g;
        if (vec64_push(&b->doc_pairs, x) != 0)
            return PW_ERR_NOMEM;
    }
    return PW_OK;
}

static pw_rc index_entry(builder *b, uint32_t g, const pw_entry *e)
{
    pw_rc rc = index_documents(b, g, e);

    for (size_t k = 0; rc == PW_OK && k < e->n_names; k++)
        rc = index_name(b, g, k, &e->names[k]);
    return rc;
}

static pw_rc collect_entries(pw_screen_index *ix)
{
    size_t total = 0;

    ix->list_start = malloc((ix->n_lists + 1) * sizeof *ix->list_start);
    if (!ix->list_start)
        return PW_ERR_NOMEM;
    for (size_t l = 0; l < ix->n_lists; l++) {
        ix->list_start[l] = total;
        total += ix->lists[l]->n_entries;
    }
    ix->list_start[ix->n_lists] = total;
    if (total >= UINT32_MAX)
        return PW_ERR_LIMIT;
    ix->entries = ix_alloc(ix, (total ? total : 1) * sizeof *ix->entries);
    ix->quals = ix_alloc(ix, (total ? total : 1) * sizeof *ix->quals);
    if (!ix->entries || !ix->quals)
        return PW_ERR_NOMEM;
    for (size_t l = 0; l < ix->n_lists; l++)
        for (size_t i = 0; i < ix->lists[l]->n_entries; i++) {
            size_t g = ix->list_start[l] + i;
            ix->entries[g] = &ix->lists[l]->entries[i];
            pw__qual_of(ix->entries[g], &ix->quals[g]);
        }
    ix->n_entries = total;
    return PW_OK;
}

static pw_rc build(builder *b)
{
    pw_screen_index *ix = b->ix;
    pw_rc rc = collect_entries(ix);

    for (size_t g = 0; rc == PW_OK && g < ix->n_entries; g++)
        rc = index_entry(b, (uint32_t)g, ix->entries[g]);
    if (rc == PW_OK)
        rc = order_names(b);
    if (rc == PW_OK)
        rc = build_token_names(ix);
    if (rc == PW_OK)
        rc = build_name_shapes(ix);
    if (rc == PW_OK)
        rc = build_initial_names(ix);
    if (rc == PW_OK)
        rc = build_pairs(ix);
    if (rc == PW_OK)
        rc = build_postings(ix, &ix->by_key, &b->pairs);
    if (rc == PW_OK)
        rc = build_likes(ix);
    if (rc == PW_OK)
        rc = build_postings(ix, &ix->by_doc, &b->doc_pairs);
    return rc;
}

/* The serial of the next index built (see pw_screen_index.serial). */
static atomic_uint_least64_t next_serial = 1;

pw_rc pw_screen_index_build(pw_watchlist *const *lists, size_t n_lists,
                            pw_screen_index **out)
{
    builder b;

    if (!out || (!lists && n_lists))
        return PW_ERR_INVALID;
    *out = NULL;
    for (size_t l = 0; l < n_lists; l++)
        if (!lists[l])
            return PW_ERR_INVALID;
    memset(&b, 0, sizeof b);
    b.ix = calloc(1, sizeof *b.ix);
    if (!b.ix)
        return PW_ERR_NOMEM;
    /* The lists are borrowed; the array naming them is copied. */
    pw_watchlist **copy = malloc((n_lists ? n_lists : 1) * sizeof *copy);
    pw_rc rc = copy ? PW_OK : PW_ERR_NOMEM;
    if (copy && n_lists)
        memcpy(copy, lists, n_lists * sizeof *copy);
    b.ix->lists = copy;
    b.ix->n_lists = n_lists;
    b.ix->serial = atomic_fetch_add(&next_serial, 1);

    if (rc == PW_OK)
        rc = build(&b);
    free(b.pairs.v);
    free(b.doc_pairs.v);
    free(b.table);
    free(b.seen);
    if (rc != PW_OK) {
        pw_screen_index_free(b.ix);
        return rc;
    }
    *out = b.ix;
    return PW_OK;
}

static void free_postings(pw_screen_index *ix, ix_postings *p)
{
    ix_free(ix, p->keys);
    ix_free(ix, p->dir);
    ix_free(ix, p->ids);
}

void pw_screen_index_free(pw_screen_index *ix)
{
    if (!ix)
        return;
    free_postings(ix, &ix->by_key);
    free_postings(ix, &ix->by_doc);
    free((void *)ix->lists);
    free(ix->list_start);
    ix_free(ix, ix->entries);
    ix_free(ix, ix->quals);
    ix_free(ix, ix->name_off);
    ix_free(ix, ix->name_rec);
    ix_free(ix, ix->name_shape);
    ix_free(ix, ix->tok_off);
    ix_free(ix, ix->tok_pool);
    ix_free(ix, ix->tok_names_start);
    ix_free(ix, ix->tok_names);
    ix_free(ix, ix->tok_init_start);
    ix_free(ix, ix->tok_init);
    ix_free(ix, ix->pair_tab);
    ix_free(ix, ix->pair_ids);
    ix_free(ix, ix->like_start);
    ix_free(ix, ix->likes);
    free(ix);
}

static size_t postings_bytes(const ix_postings *p)
{
    size_t dir = p->dir ? ((size_t)1 << p->dir_bits) + 1 : 0;

    return (p->n_keys + 1) * sizeof *p->keys + p->n_ids * sizeof *p->ids +
           dir * sizeof *p->dir;
}

void pw_screen_index_stats(const pw_screen_index *ix, pw_screen_stats *st)
{
    const ix_postings *k = &ix->by_key, *d = &ix->by_doc;

    memset(st, 0, sizeof *st);
    st->n_entries = ix->n_entries;
    st->n_names = ix->n_names;
    st->n_skipped_names = ix->n_skipped;
    st->n_keys = k->n_keys;
    st->n_postings = k->n_ids;
    st->bytes = sizeof *ix + ix->n_entries * sizeof *ix->entries +
                ix->n_entries * sizeof *ix->quals +
                (ix->n_names + 1) * sizeof *ix->name_off +
                ix->n_rec * sizeof *ix->name_rec + ix->n_names + 1 +
                ix->tok_names_start[ix->n_tokens] * sizeof(uint32_t) +
                ix->n_tokens * sizeof(uint32_t) * 2 + ix->tok_pool_len +
                (ix->n_tokens + 1) * sizeof *ix->tok_init_start +
                ix->tok_init_start[ix->n_tokens] * sizeof *ix->tok_init +
                postings_bytes(k) + postings_bytes(d) +
                ix->pair_cap * sizeof *ix->pair_tab +
                ix->n_pair_ids * sizeof *ix->pair_ids +
                (ix->like_start ? (ix->n_tokens + 1) * sizeof(uint32_t) : 0) +
                ix->n_likes * sizeof *ix->likes;
}

const char *pw__entry_list(const pw_screen_index *ix, uint32_t e)
{
    size_t lo = 0, hi = ix->n_lists;

    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (ix->list_start[mid] <= e)
            lo = mid;
        else
            hi = mid;
    }
    return ix->lists[lo]->name;
}

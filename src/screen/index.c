/* The candidate index: every entry name normalised once, its tokens
 * packed, and an inverted index from phonetic keys (and their one-letter
 * deletions, for typos) to the names that have them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screen/screen_int.h"

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

/* Equal phonetic keys are what the scorer calls sound-alike. */
static void phon_keys(const char *phon, void (*fn)(uint32_t, void *), void *arg)
{
    size_t n = strlen(phon);

    if (n > 0)
        fn(pw__key_hash(phon, n, 0), arg);
}

/* The word and each one-letter deletion: two words one edit apart share
 * one of these (a symmetric deletion neighbourhood), whatever the edit
 * does to their phonetic keys. */
static void text_keys(const char *text, void (*fn)(uint32_t, void *), void *arg)
{
    size_t n = strlen(text);
    char del[PW_TOKEN_MAX];

    if (n > 12)
        return;
    fn(pw__key_hash(text, n, 1), arg);
    if (n < 5)
        return; /* the scorer allows no typo in words under five letters */
    for (size_t i = 0; i < n; i++) {
        memcpy(del, text, i);
        memcpy(del + i, text + i + 1, n - i - 1);
        fn(pw__key_hash(del, n - 1, 1), arg);
    }
}

void pw__token_keys(const pw_name_token *t, void (*fn)(uint32_t key, void *arg),
                    void *arg)
{
    char key[PW_TOKEN_MAX];

    if (!t->text[0] || !t->text[1])
        return; /* an initial says too little to find anyone by */
    phon_keys(t->phon, fn, arg);
    if (t->text[0] == 'J' && t->fold[0] == 'J') {
        /* A leading J may stand for Y (JURI, YURI): its key as a Y. */
        char as_y[PW_TOKEN_MAX];
        snprintf(as_y, sizeof as_y, "Y%s", t->fold + 1);
        pw_phonetic_key(as_y, key, sizeof key);
        phon_keys(key, fn, arg);
    }
    text_keys(t->text, fn, arg);
    if (t->variant[0]) {
        pw_phonetic_key(t->variant, key, sizeof key);
        if (strcmp(key, t->phon) != 0)
            phon_keys(key, fn, arg);
    }
    if (t->stem[0]) {
        pw_phonetic_key(t->stem, key, sizeof key);
        phon_keys(key, fn, arg);
        text_keys(t->stem, fn, arg);
    }
}

/* Sorts by the upper 32 bits, stable, so ids stay ascending per key. */
static int radix_sort_keys(uint64_t *v, size_t n)
{
    size_t count[256];

    if (n == 0)
        return 0;
    uint64_t *tmp = malloc(n * sizeof *tmp);
    if (!tmp)
        return -1;
    for (int pass = 0; pass < 4; pass++) {
        int shift = 32 + pass * 8;
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
        if (k == 0 || p->keys[k - 1] != key) {
            p->keys[k] = key;
            p->starts[k++] = (uint32_t)d;
        }
        p->ids[d++] = (uint32_t)v[i];
    }
    p->starts[k] = (uint32_t)d;
    size_t j = 0;
    for (uint32_t top = 0; top <= 65536; top++) {
        while (j < k && (p->keys[j] >> 16) < top)
            j++;
        p->dir[top] = (uint32_t)j;
    }
}

static pw_rc build_postings(ix_postings *p, vec64 *pairs)
{
    if (radix_sort_keys(pairs->v, pairs->n) != 0)
        return PW_ERR_NOMEM;
    p->n_ids = count_unique(pairs->v, pairs->n, &p->n_keys);
    p->keys = malloc((p->n_keys + 1) * sizeof *p->keys);
    p->starts = malloc((p->n_keys + 1) * sizeof *p->starts);
    p->ids = malloc((p->n_ids + 1) * sizeof *p->ids);
    if (!p->keys || !p->starts || !p->ids)
        return PW_ERR_NOMEM;
    fill_postings(p, pairs->v, pairs->n);
    return PW_OK;
}

const uint32_t *pw__postings(const ix_postings *p, uint32_t key, size_t *n)
{
    size_t lo = p->dir[key >> 16], hi = p->dir[(key >> 16) + 1];

    *n = 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p->keys[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (!p->keys || lo >= p->n_keys || p->keys[lo] != key)
        return NULL;
    *n = p->starts[lo + 1] - p->starts[lo];
    return p->ids + p->starts[lo];
}

/* ---- building ---- */

typedef struct builder {
    pw_screen_index *ix;
    vec64 pairs, doc_pairs;
    size_t names_cap, refs_cap, toks_cap, pool_cap;
    uint32_t *table; /* token dedup: token number + 1, 0 when free */
    size_t table_cap;
    uint32_t cur_token;
    int nomem;
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

void pw__unpack_name(const pw_screen_index *ix, const ix_name *nm, pw_name *out)
{
    const uint32_t *refs = ix->name_toks + nm->tok_off;

    out->n = nm->n_tok;
    out->truncated = 0;
    for (size_t i = 0; i < nm->n_tok; i++) {
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

static pw_rc add_refs(builder *b, const pw_name *nm)
{
    pw_screen_index *ix = b->ix;

    if (grow((void **)&ix->name_toks, &b->refs_cap, ix->n_name_toks + nm->n,
             sizeof *ix->name_toks) != 0)
        return PW_ERR_NOMEM;
    for (size_t i = 0; i < nm->n; i++) {
        uint32_t id;
        pw_rc rc = token_id(b, &nm->tok[i], &id);
        if (rc != PW_OK)
            return rc;
        ix->name_toks[ix->n_name_toks++] =
            id | ((uint32_t)nm->tok[i].role << IX_ROLE_SHIFT);
    }
    return PW_OK;
}

static pw_rc index_name(builder *b, uint32_t entry, size_t k,
                        const pw_entry_name *en)
{
    static _Thread_local pw_name nm;
    pw_screen_index *ix = b->ix;

    if (normalize_entry_name(en, &nm) != PW_OK || nm.n == 0) {
        ix->n_skipped++;
        return PW_OK;
    }
    if (ix->n_names >= UINT32_MAX - 1 || k > UINT16_MAX ||
        ix->n_name_toks > UINT32_MAX - PW_NAME_MAX_TOKENS)
        return PW_ERR_LIMIT;
    if (grow((void **)&ix->names, &b->names_cap, ix->n_names + 1,
             sizeof *ix->names) != 0)
        return PW_ERR_NOMEM;
    ix_name *rec = &ix->names[ix->n_names];
    rec->entry = entry;
    rec->tok_off = (uint32_t)ix->n_name_toks;
    rec->name_idx = (uint16_t)k;
    rec->n_tok = (uint8_t)nm.n;
    rec->pad = 0;
    pw_rc rc = add_refs(b, &nm);
    if (rc == PW_OK)
        ix->n_names++;
    return rc;
}

static int repeated(const uint32_t *refs, size_t i)
{
    for (size_t k = 0; k < i; k++)
        if (((refs[k] ^ refs[i]) & IX_TOKEN_MASK) == 0)
            return 1;
    return 0;
}

/* Token -> names, counted then filled; a name is listed once per token. */
static pw_rc build_token_names(pw_screen_index *ix)
{
    uint32_t *start = calloc(ix->n_tokens + 2, sizeof *start);

    if (!start)
        return PW_ERR_NOMEM;
    ix->tok_names_start = start;
    for (size_t n = 0; n < ix->n_names; n++) {
        const uint32_t *r = ix->name_toks + ix->names[n].tok_off;
        for (size_t i = 0; i < ix->names[n].n_tok; i++)
            if (!repeated(r, i))
                start[(r[i] & IX_TOKEN_MASK) + 2]++;
    }
    for (size_t t = 2; t < ix->n_tokens + 2; t++)
        start[t] += start[t - 1];
    ix->tok_names = malloc((ix->n_name_toks + 1) * sizeof *ix->tok_names);
    if (!ix->tok_names)
        return PW_ERR_NOMEM;
    for (size_t n = 0; n < ix->n_names; n++) {
        const uint32_t *r = ix->name_toks + ix->names[n].tok_off;
        for (size_t i = 0; i < ix->names[n].n_tok; i++)
            if (!repeated(r, i))
                ix->tok_names[start[(r[i] & IX_TOKEN_MASK) + 1]++] =
                    (uint32_t)n;
    }
    return PW_OK;
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
    ix->entries = malloc((total ? total : 1) * sizeof *ix->entries);
    if (!ix->entries)
        return PW_ERR_NOMEM;
    for (size_t l = 0; l < ix->n_lists; l++)
        for (size_t i = 0; i < ix->lists[l]->n_entries; i++)
            ix->entries[ix->list_start[l] + i] = &ix->lists[l]->entries[i];
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
        rc = build_token_names(ix);
    if (rc == PW_OK)
        rc = build_postings(&ix->by_key, &b->pairs);
    if (rc == PW_OK)
        rc = build_postings(&ix->by_doc, &b->doc_pairs);
    return rc;
}

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

    if (rc == PW_OK)
        rc = build(&b);
    free(b.pairs.v);
    free(b.doc_pairs.v);
    free(b.table);
    if (rc != PW_OK) {
        pw_screen_index_free(b.ix);
        return rc;
    }
    *out = b.ix;
    return PW_OK;
}

static void free_postings(ix_postings *p)
{
    free(p->keys);
    free(p->starts);
    free(p->ids);
}

void pw_screen_index_free(pw_screen_index *ix)
{
    if (!ix)
        return;
    free_postings(&ix->by_key);
    free_postings(&ix->by_doc);
    free((void *)ix->lists);
    free(ix->list_start);
    free(ix->entries);
    free(ix->names);
    free(ix->name_toks);
    free(ix->tok_off);
    free(ix->tok_pool);
    free(ix->tok_names_start);
    free(ix->tok_names);
    free(ix);
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
                ix->n_names * sizeof *ix->names +
                ix->n_name_toks * sizeof(uint32_t) * 2 +
                ix->n_tokens * sizeof(uint32_t) * 2 + ix->tok_pool_len +
                (k->n_keys * 2 + k->n_ids) * sizeof(uint32_t) +
                (d->n_keys * 2 + d->n_ids) * sizeof(uint32_t);
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

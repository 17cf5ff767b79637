/* Screening queries: candidates from the index (or every name, for the
 * full scan), scored, merged one hit per entry, best first, explained. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "screen/load_common.h"
#include "screen/screen_int.h"

/* When no set of query words must be matched (a query of initials, a
 * threshold so low that a name can reach it on initials), candidates are
 * every name any query word leads to, at most this many; the results say
 * they may then be partial. */
#define FALLBACK_MAX 100000
#define MAX_DOC_HITS 64
#define S_MAX PW_NAME_MAX_TOKENS

/* Fewer extra tokens give a bound at least as high: past this many the
 * bound is taken as for this many, which keeps the memo small. The memo
 * has a block of rows per number of extra tokens (0..EXTRA_MAX) for
 * names without initials and one for names with them (see feasible). */
#define EXTRA_MAX 3
#define MEMO_BYTES(nq) (((size_t)(EXTRA_MAX + 2) * ((nq) + 1)) << (nq))

/* For queries of up to FIT_WORDS_MAX tokens, keep_feasible looks a
 * name's answer up by its mark's words and count and its shape (nq + 4 +
 * 5 bits), computed once per query for each combination met. */
#define FIT_WORDS_MAX 6

/* What the bounds above work out depends only on the query's shape: its
 * number of tokens, each token's role and whether it is an initial, how
 * alike each is to an initial of its letter, and the name score a hit
 * needs. Travellers' names have few shapes, so the tables of queries of
 * up to FIT_WORDS_MAX tokens are kept per shape, SHAPE_SLOTS of them
 * (one slot per shape hash, the older shape giving way). */
#define SHAPE_SLOTS 32

/* Touched names are added a token at a time, each token's in rising
 * order: searched for run by run, up to this many runs, they need no
 * sorting. */
#define RUNS_MAX 32

/* When every hit shares keys with two query words, the names of two
 * such words' tokens may be met pair of tokens by pair, when the query
 * reaches at most this many tokens. */
#define PAIRS_TOKENS_MAX 128

/* A reached token on this many names or fewer, and on no more names
 * than the query reached tokens (each of which it would be met with),
 * is not met with the others of the pairs: its names' own records say
 * whether they hold reached tokens of two words. */
#define PAIRS_RECORD_MAX 64

/* The names of those short lists, read one after another (see
 * meet_by_records): at most this many. */
#define FEW_NAMES_MAX (PAIRS_TOKENS_MAX * PAIRS_RECORD_MAX)

/* Listing a required word's name, marking it and deciding it costs
 * about what a step of meeting two lists does, now that the names
 * listed are marked from their records when that reads less (measured:
 * meeting past this budget costs more than it saves). */
#define PAIRS_GAIN 1
#define FIT_BYTES(nq) ((size_t)1 << ((nq) + 9))

/* Words met before (see reach_tokens): up to WC_WORDS words and
 * WC_PAIRS of their tokens are remembered per scratch, about 2.5 MB,
 * forgotten all at once when full; only words whose keys led to
 * WC_MIN_TOKENS tokens or more, for which looking them up and
 * computing their likeness costs most. */
#define WC_WORDS 2048
#define WC_SLOTS (2 * WC_WORDS)
#define WC_PAIRS ((size_t)1 << 18)
#define WC_MIN_TOKENS 16
#define WC_KEY_MAX (PW__TOK_FIELDS * PW_TOKEN_MAX)

/* A token a remembered word reached and its similarity to the word. */
typedef struct wc_pair {
    uint32_t tok;
    float sim;
} wc_pair;

/* A remembered word: its token's fields (all the likeness and the keys
 * read), and the run of pairs it reached, in the order it reached them. */
typedef struct wc_word {
    uint32_t hash, len, start, n;
    size_t cost;
    char key[WC_KEY_MAX];
} wc_word;

typedef struct word_cache {
    wc_word *words;
    wc_pair *pairs;
    uint32_t *slot; /* WC_SLOTS: 1 + index in words, 0 when empty */
    size_t n_words, n_pairs;
} word_cache;

/* The bound tables of one query shape (see SHAPE_SLOTS). */
typedef struct shape_slot {
    int used;
    size_t nq;
    tok_meta qm[FIT_WORDS_MAX];
    double isim[FIT_WORDS_MAX], need;
    unsigned char *memo, *fit;
    double *bound_memo;
} shape_slot;

/* Per token, per query: when it was last given a row of similarities
 * (stamp) and where that row is (slot). */
typedef struct tok_state {
    uint32_t stamp, slot;
} tok_state;

/* A key of query token qtok and, once looked up, its tokens. */
typedef struct qkey {
    uint32_t key, qtok;
    const uint32_t *ids;
    size_t n;
} qkey;

/* A token similar enough to query token qtok to be aligned with it. */
typedef struct reach {
    uint32_t tok, qtok;
} reach;

struct pw_screen_scratch {
    const pw_screen_index *ix;
    uint64_t serial; /* of ix */
    size_t n_names, n_tokens;
    uint32_t stamp; /* per query; marks what the arrays below hold */
    tok_state *tok; /* per token */
    /* per token, a bit: whether it has a row this query (the stamp in
     * tok says the same, but this is small enough to stay in the cache:
     * reading a name's record asks about tokens most of which have none,
     * each a miss in tok) */
    uint64_t *has_row;
    uint32_t *name_mark;            /* per name: see MARK_STAMP */
    size_t tok_mapped, mark_mapped; /* see pw__big_zalloc */
    uint16_t nstamp;                /* the stamp in name_mark, 1..4095 */
    uint32_t *touched;              /* names marked this query */
    uint32_t *sort_tmp;             /* room for sorting them */
    size_t n_touched, cap_touched;
    /* touched as ascending runs: run[r] to run[r + 1]; n_runs 0 when not
     * yet found (see find_runs) */
    size_t run[RUNS_MAX + 1], n_runs;
    unsigned name_bits;  /* bits a name number needs */
    unsigned words;      /* bits of the query's words (not initials) */
    double need;         /* name score a hit needs at the least */
    unsigned char *memo; /* feasible(), per query */
    unsigned char *fit;  /* feasible() by mark and shape, see keep_feasible */
    double *bound_memo;  /* miss_bound(), per query; negative: unknown */
    /* The arrays above for queries of more than FIT_WORDS_MAX tokens;
     * the others use their shape's slot. */
    unsigned char *own_memo, *own_fit;
    double *own_bound;
    shape_slot shapes[SHAPE_SLOTS];
    double isim[S_MAX];  /* initial_sim_of() of each query word */
    float *rows;         /* per slot: similarity to each query token */
    unsigned char *hows; /* likewise: its kind (pw__how_code), 0 unknown */
    uint16_t *row_on;    /* per slot: query tokens it was reached from */
    uint32_t *row_tok;   /* per slot: its token, to clear has_row */
    size_t n_slots, cap_slots, cap_rows, stride;
    reach *reached;
    size_t n_reached, cap_reached;
    uint32_t few_names[FEW_NAMES_MAX]; /* see meet_by_records */
    size_t cost[S_MAX];                /* names each query token leads to */
    size_t cur_qtok;
    qkey *qkeys;
    size_t n_qkeys, cap_qkeys;
    int nomem;
    cand *cands;
    size_t n_cands, cap_cands;
    uint32_t doc_entries[MAX_DOC_HITS];
    size_t n_doc;
    q_info q;
    int q_initials;  /* the query has one-letter tokens */
    int q_qualified; /* it gives a birth date, sex or nationality */
    tok_meta qm[S_MAX];
    pw__tok_view qv[S_MAX];
    word_cache wc;
    uintptr_t read_sum;           /* see read_entry_names */
    char wkey[S_MAX][WC_KEY_MAX]; /* each query word's cache key */
    uint32_t wlen[S_MAX], whash[S_MAX];
};

static void free_scratch(struct pw_screen_scratch *s)
{
    if (!s)
        return;
    pw__big_free(s->tok, s->tok_mapped);
    pw__big_free(s->name_mark, s->mark_mapped);
    free(s->has_row);
    free(s->touched);
    free(s->sort_tmp);
    free(s->own_memo);
    free(s->own_fit);
    free(s->own_bound);
    for (size_t i = 0; i < SHAPE_SLOTS; i++)
        free(s->shapes[i].bound_memo);
    free(s->rows);
    free(s->hows);
    free(s->row_on);
    free(s->row_tok);
    free(s->reached);
    free(s->qkeys);
    free(s->cands);
    free(s->wc.words);
    free(s->wc.pairs);
    free(s->wc.slot);
    free(s);
}

static pw_rc ensure_scratch(pw_screen_results *res, const pw_screen_index *ix)
{
    struct pw_screen_scratch *s = res->scratch;

    if (s && s->ix == ix && s->serial == ix->serial &&
        s->n_names == ix->n_names && s->n_tokens == ix->n_tokens)
        return PW_OK;
    free_scratch(s);
    res->scratch = s = calloc(1, sizeof *s);
    if (!s)
        return PW_ERR_NOMEM;
    s->ix = ix;
    s->serial = ix->serial;
    s->n_names = ix->n_names;
    s->n_tokens = ix->n_tokens;
    s->tok = pw__big_zalloc((ix->n_tokens ? ix->n_tokens : 1) * sizeof *s->tok,
                            &s->tok_mapped);
    s->name_mark =
        pw__big_zalloc((ix->n_names ? ix->n_names : 1) * sizeof *s->name_mark,
                       &s->mark_mapped);
    s->has_row = calloc(s->n_tokens / 64 + 1, sizeof *s->has_row);
    while (s->name_bits < 32 && ((size_t)1 << s->name_bits) < ix->n_names)
        s->name_bits++;
    s->own_memo = malloc(MEMO_BYTES(S_MAX));
    s->own_fit = malloc(FIT_BYTES(FIT_WORDS_MAX));
    s->own_bound = malloc(sizeof(double) << S_MAX);
    if (!s->tok || !s->name_mark || !s->has_row || !s->own_memo ||
        !s->own_fit || !s->own_bound) {
        free_scratch(s);
        res->scratch = NULL;
        return PW_ERR_NOMEM;
    }
    return PW_OK;
}

/* A new stamp invalidates every per-token and per-name mark at once;
 * has_row is cleared a word at a time, of the last query's rows' tokens. */
static void next_query(struct pw_screen_scratch *s)
{
    for (size_t i = 0; i < s->n_slots; i++)
        s->has_row[s->row_tok[i] / 64] = 0;
    if (++s->stamp == 0) {
        memset(s->tok, 0, s->n_tokens * sizeof *s->tok);
        s->stamp = 1;
    }
    s->stride = s->q.name.n ? s->q.name.n : 1;
    s->n_slots = s->n_reached = 0;
    s->nomem = 0;
    s->q_initials = 0;
    s->q_qualified = s->q.year || s->q.sex || s->q.nat[0];
    memset(s->cost, 0, sizeof s->cost);
    for (size_t i = 0; i < s->q.name.n; i++) {
        s->qm[i].role = s->q.name.tok[i].role;
        s->qm[i].initial = s->q.name.tok[i].text[1] == '\0';
        s->q_initials |= s->qm[i].initial;
        pw__tok_view_of(&s->q.name.tok[i], &s->qv[i]);
    }
}

static int push_cand(struct pw_screen_scratch *s, cand c)
{
    if (s->n_cands == s->cap_cands) {
        size_t cap = s->cap_cands ? s->cap_cands * 2 : 64;
        cand *v = realloc(s->cands, cap * sizeof *v);
        if (!v)
            return -1;
        s->cands = v;
        s->cap_cands = cap;
    }
    s->cands[s->n_cands++] = c;
    return 0;
}

/* ---- documents ---- */

static int same_issuer(const char *a, const char *b)
{
    if (!a || !b || !*a || !*b)
        return 1;
    const char *a3 = pw_wl_country_alpha3(a);
    const char *b3 = pw_wl_country_alpha3(b);
    if (a3 && b3)
        return strcmp(a3, b3) == 0;
    return strcasecmp(a, b) == 0;
}

static int entry_has_document(const pw_entry *e, const char *num,
                              const char *issuer)
{
    char buf[64];

    for (size_t d = 0; d < e->n_documents; d++) {
        const pw_entry_document *doc = &e->documents[d];
        if (!doc->number ||
            !pw_document_number_normalize(doc->number, buf, sizeof buf))
            continue;
        if (strcmp(buf, num) == 0 && same_issuer(issuer, doc->issuer))
            return 1;
    }
    return 0;
}

static double document_score(const pw_entry *e)
{
    /* A lost or stolen document is the hit itself; on a person it is
     * near-proof whatever the name says. */
    return e->kind == PW_ENTRY_DOCUMENT ? 1.0 : 0.95;
}

static pw_rc document_hits(struct pw_screen_scratch *s,
                           const pw_screen_query *q)
{
    const pw_screen_index *ix = s->ix;
    char num[64];

    s->n_doc = 0;
    for (size_t i = 0; i < q->n_documents; i++) {
        const pw_screen_document *d = &q->documents[i];
        size_t n =
            d->number ? pw_document_number_normalize(d->number, num, sizeof num)
                      : 0;
        if (n == 0)
            continue;
        size_t np;
        const uint32_t *ids =
            pw__postings(&ix->by_doc, pw__key_hash(num, n, 2), &np);
        for (size_t k = 0; k < np && s->n_doc < MAX_DOC_HITS; k++) {
            const pw_entry *e = ix->entries[ids[k]];
            if (!entry_has_document(e, num, d->issuer))
                continue;
            s->doc_entries[s->n_doc++] = ids[k];
            cand c = {UINT32_MAX, ids[k], UINT32_MAX, document_score(e), 0.0};
            if (push_cand(s, c) != 0)
                return PW_ERR_NOMEM;
        }
    }
    return PW_OK;
}

/* ---- similarity rows ---- */

/* Room for one more row; the scratch grows only while a thread's first
 * queries find more tokens than any before. */
static int room_for_row(struct pw_screen_scratch *s)
{
    if (s->n_slots == s->cap_slots) {
        size_t cap = s->cap_slots ? s->cap_slots * 2 : 1024;
        uint16_t *on = realloc(s->row_on, cap * sizeof *on);
        if (!on)
            return -1;
        s->row_on = on;
        uint32_t *rt = realloc(s->row_tok, cap * sizeof *rt);
        if (!rt)
            return -1;
        s->row_tok = rt;
        s->cap_slots = cap;
    }
    if ((s->n_slots + 1) * s->stride > s->cap_rows) {
        size_t cap = s->cap_slots * s->stride;
        float *r = realloc(s->rows, cap * sizeof *r);
        if (!r)
            return -1;
        s->rows = r;
        unsigned char *h = realloc(s->hows, cap);
        if (!h)
            return -1;
        s->hows = h;
        s->cap_rows = cap;
    }
    return 0;
}

/* A row for token t, its similarities not yet computed (negative). */
static int new_row(struct pw_screen_scratch *s, uint32_t t)
{
    if (room_for_row(s) != 0) {
        s->nomem = 1;
        return -1;
    }
    uint32_t slot = (uint32_t)s->n_slots++;
    float *row = s->rows + (size_t)slot * s->stride;
    for (size_t i = 0; i < s->q.name.n; i++)
        row[i] = -1.0f;
    memset(s->hows + (size_t)slot * s->stride, 0, s->q.name.n);
    s->row_on[slot] = 0;
    s->row_tok[slot] = t;
    s->has_row[t / 64] |= (uint64_t)1 << (t % 64);
    s->tok[t].stamp = s->stamp;
    s->tok[t].slot = slot;
    return 0;
}

/* Whether token t has a row this query (see has_row). */
static inline int row_of(const struct pw_screen_scratch *s, uint32_t t)
{
    return (s->has_row[t / 64] >> (t % 64)) & 1u;
}

/* The similarity of token t (row slot) to query token i, computed on
 * first use. */
static float sim_at(struct pw_screen_scratch *s, uint32_t t, uint32_t slot,
                    size_t i)
{
    float *row = s->rows + (size_t)slot * s->stride;
    pw__tok_view v;
    const char *how;

    if (row[i] < 0) {
        pw__token_view(s->ix, t, &v);
        row[i] = (float)pw__token_similarity_view(&s->qv[i], &v, &how);
        s->hows[(size_t)slot * s->stride + i] =
            (unsigned char)pw__how_code(how);
    }
    return row[i];
}

/* Fills col (stride S_MAX) with the similarities of the token ref names
 * to each query token. A query word and a token that share no key are
 * not alike (the keys cover every likeness but initials): reaching the
 * tokens computed all that can be above 0, so only pairs with an initial
 * on either side are computed here. The full scan (exact) computes every
 * pair, being the reference. */
static int fill_column(struct pw_screen_scratch *s, uint32_t ref, int exact,
                       float *col)
{
    uint32_t t = ref & IX_TOKEN_MASK;
    int initial = (ref & IX_INITIAL_BIT) != 0;
    size_t nq = s->q.name.n;

    if (s->tok[t].stamp != s->stamp) {
        if (!exact && !s->q_initials && !initial) {
            for (size_t i = 0; i < nq; i++)
                col[i * S_MAX] = 0.0f;
            return 0;
        }
        if (new_row(s, t) != 0)
            return -1;
    }
    uint32_t slot = s->tok[t].slot;
    const float *row = s->rows + (size_t)slot * s->stride;
    for (size_t i = 0; i < nq; i++)
        col[i * S_MAX] = row[i] >= 0 ? row[i]
                         : exact || initial || s->qm[i].initial
                             ? sim_at(s, t, slot, i)
                             : 0.0f;
    return 0;
}

/* ---- candidates from the index ---- */

static size_t names_of(const pw_screen_index *ix, uint32_t t)
{
    return ix->tok_names_start[t + 1] - ix->tok_names_start[t];
}

static int push_reach(struct pw_screen_scratch *s, uint32_t t, uint32_t qi)
{
    if (s->n_reached == s->cap_reached) {
        size_t cap = s->cap_reached ? s->cap_reached * 2 : 1024;
        reach *v = realloc(s->reached, cap * sizeof *v);
        if (!v)
            return -1;
        s->reached = v;
        s->cap_reached = cap;
    }
    s->reached[s->n_reached++] = (reach){t, qi};
    return 0;
}

/* Keeps each token of a query key's list that its query token could be
 * aligned with, once. */
static void reach_list(struct pw_screen_scratch *s, const qkey *k)
{
    uint32_t qi = k->qtok;

    for (size_t j = 0; j < k->n && !s->nomem; j++) {
        uint32_t t = k->ids[j];
        /* Tokens lie wherever they were first met in the lists. */
        if (j + 4 < k->n)
            __builtin_prefetch(s->ix->tok_pool + s->ix->tok_off[k->ids[j + 4]]);
        if (s->tok[t].stamp != s->stamp && new_row(s, t) != 0)
            return;
        if (sim_at(s, t, s->tok[t].slot, qi) < (float)PW__MIN_PAIR)
            continue;
        uint16_t *on = &s->row_on[s->tok[t].slot];
        if (*on & (1u << qi))
            continue;
        *on |= (uint16_t)(1u << qi);
        if (push_reach(s, t, qi) != 0)
            s->nomem = 1;
        s->cost[qi] += names_of(s->ix, t);
    }
}

static void collect_key(uint32_t key, void *arg)
{
    struct pw_screen_scratch *s = arg;

    if (s->n_qkeys == s->cap_qkeys) {
        size_t cap = s->cap_qkeys ? s->cap_qkeys * 2 : 256;
        qkey *v = realloc(s->qkeys, cap * sizeof *v);
        if (!v) {
            s->nomem = 1;
            return;
        }
        s->qkeys = v;
        s->cap_qkeys = cap;
    }
    s->qkeys[s->n_qkeys++] = (qkey){key, (uint32_t)s->cur_qtok, NULL, 0};
}

/* Looks the keys up in stages, asking for the memory of every key's next
 * step before taking any: the lookups' cache misses overlap instead of
 * following one another. */
static void look_up_keys(struct pw_screen_scratch *s)
{
    const ix_postings *p = &s->ix->by_key;
    unsigned shift = 32 - p->dir_bits;

    if (!p->dir)
        return;
    for (size_t i = 0; i < s->n_qkeys; i++)
        __builtin_prefetch(&p->dir[s->qkeys[i].key >> shift]);
    for (size_t i = 0; i < s->n_qkeys; i++)
        __builtin_prefetch(&p->keys[p->dir[s->qkeys[i].key >> shift]]);
    for (size_t i = 0; i < s->n_qkeys; i++) {
        qkey *k = &s->qkeys[i];
        k->ids = pw__postings(p, k->key, &k->n);
        if (k->n)
            __builtin_prefetch(k->ids);
    }
    for (size_t i = 0; i < s->n_qkeys; i++)
        for (size_t j = 0; j < s->qkeys[i].n; j++) {
            __builtin_prefetch(&s->tok[s->qkeys[i].ids[j]]);
            __builtin_prefetch(&s->ix->tok_off[s->qkeys[i].ids[j]]);
            __builtin_prefetch(&s->ix->tok_names_start[s->qkeys[i].ids[j]]);
        }
}

/* ---- words met before ---- */

/* Sets query word i's cache key: its token's fields, each ended. */
static void word_key(struct pw_screen_scratch *s, size_t i)
{
    const pw__tok_view *v = &s->qv[i];
    char *k = s->wkey[i];
    size_t n = 0;

    for (int f = 0; f < PW__TOK_FIELDS; f++) {
        memcpy(k + n, v->s[f], v->len[f]);
        n += v->len[f];
        k[n++] = '\0';
    }
    s->wlen[i] = (uint32_t)n;
    s->whash[i] = pw__key_hash(k, n, 7);
}

/* The remembered word of query word i, or NULL. */
static const wc_word *wc_find(const struct pw_screen_scratch *s, size_t i)
{
    const word_cache *c = &s->wc;

    if (!c->slot)
        return NULL;
    for (uint32_t h = s->whash[i];; h++) {
        unsigned at = c->slot[h & (WC_SLOTS - 1)];
        if (!at)
            return NULL;
        const wc_word *w = &c->words[at - 1];
        if (w->hash == s->whash[i] && w->len == s->wlen[i] &&
            memcmp(w->key, s->wkey[i], w->len) == 0)
            return w;
    }
}

static int wc_alloc(word_cache *c)
{
    if (c->slot)
        return 0;
    c->words = malloc(WC_WORDS * sizeof *c->words);
    c->pairs = malloc(WC_PAIRS * sizeof *c->pairs);
    c->slot = calloc(WC_SLOTS, sizeof *c->slot);
    return c->words && c->pairs && c->slot ? 0 : -1;
}

/* Remembers what query word qi reached: reached[r0..r1) and its cost.
 * Without memory it remembers nothing, which changes no result. */
static void wc_add(struct pw_screen_scratch *s, size_t qi, size_t r0, size_t r1)
{
    word_cache *c = &s->wc;
    size_t n = r1 - r0;

    if (n > WC_PAIRS / 4 || wc_find(s, qi) || wc_alloc(c) != 0)
        return;
    if (c->n_words == WC_WORDS || c->n_pairs + n > WC_PAIRS) {
        memset(c->slot, 0, WC_SLOTS * sizeof *c->slot);
        c->n_words = c->n_pairs = 0;
    }
    wc_word *w = &c->words[c->n_words];
    w->hash = s->whash[qi];
    w->len = s->wlen[qi];
    memcpy(w->key, s->wkey[qi], w->len);
    w->start = (uint32_t)c->n_pairs;
    w->n = (uint32_t)n;
    w->cost = s->cost[qi];
    for (size_t r = r0; r < r1; r++) {
        uint32_t t = s->reached[r].tok, slot = s->tok[t].slot;
        float sim = s->rows[(size_t)slot * s->stride + qi];
        uint32_t how = s->hows[(size_t)slot * s->stride + qi];
        c->pairs[c->n_pairs++] = (wc_pair){t | how << IX_HOW_SHIFT, sim};
    }
    uint32_t h = w->hash;
    while (c->slot[h & (WC_SLOTS - 1)])
        h++;
    c->slot[h & (WC_SLOTS - 1)] = (uint32_t)(++c->n_words);
}

/* Reaches the tokens remembered for query word qi as reach_list would
 * have, in the same order, with the same similarities. A token in its
 * keys' lists but not reached gets no row: its similarity to qi is 0
 * (a pair of words neither of them an initial is 0 or at least 0.75),
 * as the row reach_list would have given it says. */
static void wc_replay(struct pw_screen_scratch *s, const wc_word *w, size_t qi)
{
    const wc_pair *p = s->wc.pairs + w->start;

    for (size_t j = 0; j < w->n && !s->nomem; j++) {
        uint32_t t = p[j].tok & IX_TOKEN_MASK;
        if (j + 8 < w->n)
            __builtin_prefetch(&s->tok[p[j + 8].tok & IX_TOKEN_MASK]);
        if (s->tok[t].stamp != s->stamp && new_row(s, t) != 0)
            return;
        uint32_t slot = s->tok[t].slot;
        s->rows[(size_t)slot * s->stride + qi] = p[j].sim;
        s->hows[(size_t)slot * s->stride + qi] =
            (unsigned char)(p[j].tok >> IX_HOW_SHIFT);
        s->row_on[slot] |= (uint16_t)(1u << qi);
        if (push_reach(s, t, (uint32_t)qi) != 0)
            s->nomem = 1;
    }
    s->cost[qi] = w->cost;
}

/* Reaches the tokens worked out when the index was built for the token
 * spelt as query word qi: reach_list over its keys' lists would reach
 * the same, in the same order, with the same similarities (see
 * wc_replay for the tokens it leaves without a row). */
static void like_replay(struct pw_screen_scratch *s, const ix_like *p, size_t n,
                        size_t qi)
{
    size_t cost = 0;

    for (size_t j = 0; j < n && !s->nomem; j++) {
        uint32_t t = p[j].tok & IX_TOKEN_MASK;
        if (j + 8 < n) {
            uint32_t ahead = p[j + 8].tok & IX_TOKEN_MASK;
            __builtin_prefetch(&s->tok[ahead]);
            __builtin_prefetch(&s->ix->tok_names_start[ahead]);
        }
        if (s->tok[t].stamp != s->stamp && new_row(s, t) != 0)
            return;
        uint32_t slot = s->tok[t].slot;
        if (s->row_on[slot] & (1u << qi))
            continue; /* not expected: the list holds each token once */
        s->rows[(size_t)slot * s->stride + qi] = p[j].sim;
        s->hows[(size_t)slot * s->stride + qi] =
            (unsigned char)(p[j].tok >> IX_HOW_SHIFT);
        s->row_on[slot] |= (uint16_t)(1u << qi);
        if (push_reach(s, t, (uint32_t)qi) != 0)
            s->nomem = 1;
        cost += names_of(s->ix, t);
    }
    s->cost[qi] = cost;
}

/* Finds the tokens each query word could be aligned with. A word met
 * in an earlier query of this scratch (travellers' common names recur)
 * is not looked up again: what it reached then is replayed. Words are
 * reached in query order either way, so reached[] is the same. New
 * words are remembered only once every word is reached, since
 * remembering may forget the words being replayed. */
static void reach_tokens(struct pw_screen_scratch *s)
{
    const wc_word *met[S_MAX] = {0};
    const ix_like *like[S_MAX] = {0};
    size_t n_like[S_MAX] = {0};
    size_t from[S_MAX], seen[S_MAX] = {0}, k = 0, nq = s->q.name.n;

    uint32_t vocab[S_MAX];
    unsigned skip = 0;

    s->n_qkeys = 0;
    for (size_t i = 0; i < nq; i++)
        if (s->qm[i].initial)
            skip |= 1u << i; /* initials never find candidates */
    pw__vocab_tokens(s->ix, s->qv, nq, skip, vocab);
    for (size_t i = 0; i < nq; i++)
        if (vocab[i] != UINT32_MAX) {
            like[i] = pw__likes(s->ix, vocab[i], &n_like[i]);
            if (n_like[i])
                __builtin_prefetch(like[i]);
        }
    for (size_t i = 0; i < nq && !s->nomem; i++) {
        if (s->qm[i].initial || n_like[i])
            continue;
        word_key(s, i);
        met[i] = wc_find(s, i);
        if (met[i])
            continue;
        s->cur_qtok = i;
        pw__token_keys(&s->q.name.tok[i], collect_key, s);
    }
    look_up_keys(s);
    for (size_t i = 0; i < nq && !s->nomem; i++) {
        from[i] = s->n_reached;
        if (s->qm[i].initial)
            continue;
        if (n_like[i]) {
            like_replay(s, like[i], n_like[i], i);
            continue;
        }
        if (met[i]) {
            wc_replay(s, met[i], i);
            continue;
        }
        for (; k < s->n_qkeys && s->qkeys[k].qtok == i && !s->nomem; k++) {
            seen[i] += s->qkeys[k].n;
            reach_list(s, &s->qkeys[k]);
        }
    }
    for (size_t i = 0; i < nq && !s->nomem; i++)
        if (seen[i] >= WC_MIN_TOKENS)
            wc_add(s, i, from[i], i + 1 < nq ? from[i + 1] : s->n_reached);
}

/* ---- which query words a hit must share ---- */

/* How alike query token i is to an entry's initial of its first letter:
 * the most an entry can align with it without sharing a key. */
static double initial_sim_of(const struct pw_screen_scratch *s, size_t i)
{
    pw_name_token init = {.text = {s->q.name.tok[i].text[0], '\0'}};
    pw__tok_view v;

    pw_translit_fold(init.text, init.fold, sizeof init.fold);
    pw_phonetic_key(init.text, init.phon, sizeof init.phon);
    pw__tok_view_of(&init, &v);
    return pw__token_similarity_view(&s->qv[i], &v, NULL);
}

/* The name score of the best entry that shares no key with the query
 * tokens in miss, aligning those of them in init (bits) with initials:
 * every other query token aligned exactly, and extra entry tokens left
 * over (each costing the least an unaligned token can). */
static double bound_extra(const struct pw_screen_scratch *s, unsigned miss,
                          unsigned init, const double *isim, size_t extra)
{
    float sim[S_MAX * S_MAX] = {0};
    tok_meta cm[S_MAX];
    size_t nq = s->q.name.n, nc = 0;

    for (size_t i = 0; i < nq; i++) {
        if (!(miss & (1u << i))) {
            cm[nc] = s->qm[i];
            sim[i * S_MAX + nc++] = 1.0f;
        } else if (init & (1u << i)) {
            cm[nc] = (tok_meta){0, 1};
            sim[i * S_MAX + nc++] = (float)isim[i];
        }
    }
    for (; extra > 0 && nc < S_MAX; extra--)
        cm[nc++] = (tok_meta){PW_ROLE_GIVEN, 0};
    return pw__align_score(sim, s->qm, nq, cm, nc);
}

/* bound_extra with no entry token left over. */
static double bound_config(const struct pw_screen_scratch *s, unsigned miss,
                           unsigned init, const double *isim)
{
    return bound_extra(s, miss, init, isim, 0);
}

/* The first k tokens of idx[] (n of them) as bits. */
static unsigned first_bits(const size_t *idx, size_t k)
{
    unsigned bits = 0;

    for (size_t i = 0; i < k; i++)
        bits |= 1u << idx[i];
    return bits;
}

/* Sorts idx[] (n) by decreasing isim. */
static void by_isim(size_t *idx, size_t n, const double *isim)
{
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && isim[idx[j]] > isim[idx[j - 1]]; j--) {
            size_t t = idx[j];
            idx[j] = idx[j - 1];
            idx[j - 1] = t;
        }
}

/* The most a name can score that shares no key with the query tokens in
 * miss. Those tokens count unaligned or aligned with an entry's initial;
 * within one role the likelier-aligned go first, so trying how many of
 * each role are aligned tries every case that matters. */
static double miss_bound_calc(const struct pw_screen_scratch *s, unsigned miss)
{
    const double *isim = s->isim;
    double best = 0.0;
    size_t sur[S_MAX], oth[S_MAX], ns = 0, no = 0;

    for (size_t i = 0; i < s->q.name.n; i++) {
        if (!(miss & (1u << i)))
            continue;
        if (s->qm[i].role == PW_ROLE_SURNAME)
            sur[ns++] = i;
        else
            oth[no++] = i;
    }
    by_isim(sur, ns, isim);
    by_isim(oth, no, isim);
    for (size_t a = 0; a <= ns; a++)
        for (size_t b = 0; b <= no; b++) {
            unsigned init = first_bits(sur, a) | first_bits(oth, b);
            double v = bound_config(s, miss, init, isim);
            best = v > best ? v : best;
        }
    return best;
}

/* miss_bound_calc, remembered per query. */
static double miss_bound(struct pw_screen_scratch *s, unsigned miss)
{
    if (s->bound_memo[miss] < 0)
        s->bound_memo[miss] = miss_bound_calc(s, miss);
    return s->bound_memo[miss];
}

/* Rounding in the scorer is far below this. */
#define BOUND_SLACK 1e-9

/* ---- scoring ---- */

static pw_rc name_score(struct pw_screen_scratch *s, const uint32_t *rec,
                        int exact, double *out)
{
    const uint32_t *refs = rec + IX_REC_REFS;
    size_t nc = rec[IX_REC_INFO] & 0xFFu, nq = s->q.name.n;
    float sim[S_MAX * S_MAX];
    tok_meta cm[S_MAX];

    for (size_t j = 0; j < nc; j++) {
        if (fill_column(s, refs[j], exact, sim + j) != 0)
            return PW_ERR_NOMEM;
        cm[j].role = (unsigned char)(refs[j] >> IX_ROLE_SHIFT);
        cm[j].initial = (refs[j] & IX_INITIAL_BIT) != 0;
    }
    *out = pw__align_score(sim, s->qm, nq, cm, nc);
    return PW_OK;
}

static pw_rc score_name(struct pw_screen_scratch *s, uint32_t id,
                        double threshold, int exact)
{
    const pw_screen_index *ix = s->ix;
    const uint32_t *rec = pw__name_rec(ix, id);
    double ns;

    pw_rc rc = name_score(s, rec, exact, &ns);
    if (rc != PW_OK || ns < threshold - PW_QUALIFIER_MAX_BONUS)
        return rc;
    uint32_t entry = rec[IX_REC_ENTRY];
    /* without qualifiers in the query they add 0, the entry unread */
    double sc = ns;
    if (s->q_qualified)
        sc += pw__qualifiers_packed(&s->q, &ix->quals[entry],
                                    &ix->entries[entry]);
    sc = sc < 0 ? 0 : sc > 1 ? 1 : sc;
    if (sc < threshold)
        return PW_OK;
    cand c = {id, entry, rec[IX_REC_INFO] >> 8, sc, ns};
    return push_cand(s, c) == 0 ? PW_OK : PW_ERR_NOMEM;
}

/* ---- candidates ---- */

static int grow_touched(struct pw_screen_scratch *s)
{
    size_t cap = s->cap_touched ? s->cap_touched * 2 : 4096;
    uint32_t *v = realloc(s->touched, cap * sizeof *v);

    if (!v)
        return -1;
    s->touched = v;
    v = realloc(s->sort_tmp, cap * sizeof *v);
    if (!v)
        return -1;
    s->sort_tmp = v;
    s->cap_touched = cap;
    return 0;
}

/* Called for every name a query lists: kept inline, growing aside. */
static inline int push_touched(struct pw_screen_scratch *s, uint32_t name)
{
    if (s->n_touched == s->cap_touched && grow_touched(s) != 0)
        return -1;
    s->touched[s->n_touched++] = name;
    return 0;
}

/* A name's mark: the query's stamp (12 bits), how many of its tokens
 * share a key with some query word (4 bits, saturating), and the bits of
 * those words (16). */
#define MARK_STAMP(st) ((uint32_t)(st) << 20)
#define MARK_STAMP_BITS 0xFFF00000u
#define MARK_COUNT(m) (((m) >> 16) & 0xFu)
#define MARK_WORDS(m) ((m)&0xFFFFu)

/* Radix sort digits; how much longer than the touched names a token's
 * list must be for searching in it to beat walking it. */
#define SORT_BITS 11
#define GALLOP_RATIO 2

/* Searching a long list costs about this many steps a name touched;
 * marking a name from its record about this many times one step of
 * walking a list. */
#define RECORD_STEPS 4
#define RECORD_GAIN 3

/* A marked name gets the words in on and one more token counted. */
static void bump(uint32_t *m, unsigned on)
{
    uint32_t c = MARK_COUNT(*m) + (MARK_COUNT(*m) < 15);

    *m = (*m & MARK_STAMP_BITS) | c << 16 | MARK_WORDS(*m | on);
}

/* Walks the names of token t, similar to the query words in on: marked
 * names get the words and one more token counted; unmarked ones are
 * marked and listed when add is set (at most max in all). */
static void mark_token(struct pw_screen_scratch *s, uint32_t t, unsigned on,
                       int add, size_t max)
{
    const pw_screen_index *ix = s->ix;
    const uint32_t *ids = ix->tok_names + ix->tok_names_start[t];
    size_t n = names_of(ix, t);
    uint32_t hi = MARK_STAMP(s->nstamp);

    for (size_t k = 0; k < n; k++) {
        /* The marks are read in rising order with gaps no cache
         * predicts: asking ahead keeps several misses in flight. */
        if (k + 16 < n)
            __builtin_prefetch(&s->name_mark[ids[k + 16]]);
        uint32_t *m = &s->name_mark[ids[k]];
        if ((*m & MARK_STAMP_BITS) == hi) {
            bump(m, on);
        } else if (add && s->n_touched < max) {
            *m = hi | 1u << 16 | on;
            if (push_touched(s, ids[k]) != 0)
                s->nomem = 1;
        }
    }
}

/* Sorts touched, up to 11 bits of the name number a pass (two passes up
 * to four million names): the cost follows the names touched. */
static void sort_touched(struct pw_screen_scratch *s)
{
    uint32_t count[1u << SORT_BITS];
    uint32_t *v = s->touched, *tmp = s->sort_tmp;
    unsigned passes = (s->name_bits + SORT_BITS - 1) / SORT_BITS;
    unsigned bits = passes ? (s->name_bits + passes - 1) / passes : 0;
    size_t nb = (size_t)1 << bits;

    for (unsigned p = 0, sh = 0; p < passes; p++, sh += bits) {
        memset(count, 0, nb * sizeof *count);
        for (size_t i = 0; i < s->n_touched; i++)
            count[(v[i] >> sh) & (nb - 1)]++;
        uint32_t sum = 0;
        for (size_t b = 0; b < nb; b++) {
            uint32_t c = count[b];
            count[b] = sum;
            sum += c;
        }
        for (size_t i = 0; i < s->n_touched; i++)
            tmp[count[(v[i] >> sh) & (nb - 1)]++] = v[i];
        uint32_t *swap = v;
        v = tmp;
        tmp = swap;
    }
    s->touched = v;
    s->sort_tmp = tmp;
}

/* Splits touched into its ascending runs; sorts it into one when there
 * are more than RUNS_MAX. */
static void find_runs(struct pw_screen_scratch *s)
{
    size_t n = 0;

    s->run[n++] = 0;
    for (size_t i = 1; i < s->n_touched && n <= RUNS_MAX; i++)
        if (s->touched[i] < s->touched[i - 1])
            s->run[n++] = i;
    if (n > RUNS_MAX) {
        sort_touched(s);
        n = 1;
    }
    s->run[n] = s->n_touched;
    s->n_runs = n;
}

/* The first index in [lo, n) whose value is not below x (n when none),
 * by steps doubling from lo: cheap when that index is near. */
static size_t gallop(const uint32_t *v, size_t lo, size_t n, uint32_t x)
{
    size_t hi = lo, step = 1;

    while (hi < n && v[hi] < x) {
        lo = hi + 1;
        hi += step;
        step *= 2;
    }
    if (hi > n)
        hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* What mark_token does without adding, for a token on far more names
 * than were touched: each touched name is searched for in the token's
 * ascending list of names instead of every name of the list being
 * looked up, a few reads in order in place of a cache miss a name. */
static void meet_token(struct pw_screen_scratch *s, uint32_t t, unsigned on)
{
    const pw_screen_index *ix = s->ix;
    const uint32_t *ids = ix->tok_names + ix->tok_names_start[t];
    size_t n = names_of(ix, t);

    if (!s->n_runs)
        find_runs(s);
    for (size_t r = 0; r < s->n_runs; r++)
        for (size_t j = s->run[r], k = 0; j < s->run[r + 1] && k < n; j++) {
            uint32_t id = s->touched[j];
            k = gallop(ids, k, n, id);
            for (; k < n && ids[k] == id; k++)
                bump(&s->name_mark[id], on);
        }
}

static unsigned low_bit(unsigned x)
{
    return x & (~x + 1u);
}

/* Whether mark_reached walks reached token r for the words in walk and
 * none in skip (for the first of its words in walk only). */
static int walks(const struct pw_screen_scratch *s, size_t r, unsigned walk,
                 unsigned skip)
{
    unsigned on = s->row_on[s->tok[s->reached[r].tok].slot];

    return !(on & skip) && low_bit(on & walk) == 1u << s->reached[r].qtok;
}

/* Asks for the starts, then the names, then the first names' marks, of
 * the lists mark_reached will walk: most are short, too short to ask
 * ahead within one, and a query's tokens lie far apart, so each list
 * would cost three misses one after another. */
static void ask_lists(const struct pw_screen_scratch *s, unsigned walk,
                      unsigned skip)
{
    const pw_screen_index *ix = s->ix;

    for (size_t r = 0; r < s->n_reached; r++)
        if (walks(s, r, walk, skip))
            __builtin_prefetch(&ix->tok_names_start[s->reached[r].tok]);
    for (size_t r = 0; r < s->n_reached; r++)
        if (walks(s, r, walk, skip))
            __builtin_prefetch(ix->tok_names +
                               ix->tok_names_start[s->reached[r].tok]);
    for (size_t r = 0; r < s->n_reached; r++)
        if (walks(s, r, walk, skip)) {
            uint32_t t = s->reached[r].tok;
            const uint32_t *ids = ix->tok_names + ix->tok_names_start[t];
            for (size_t k = 0; k < names_of(ix, t) && k < 4; k++)
                __builtin_prefetch(&s->name_mark[ids[k]]);
        }
}

/* Walks each reached token similar to a word in walk and to none in
 * skip, once (for the first of its words in walk); when nothing is added,
 * a token on far more names than were touched is searched instead. */
static void mark_reached(struct pw_screen_scratch *s, unsigned walk,
                         unsigned skip, int add, size_t max)
{
    if (add)
        ask_lists(s, walk, skip);
    for (size_t r = 0; r < s->n_reached && !s->nomem; r++) {
        uint32_t t = s->reached[r].tok;
        unsigned on = s->row_on[s->tok[t].slot];
        if ((on & skip) || low_bit(on & walk) != 1u << s->reached[r].qtok)
            continue;
        if (!add && names_of(s->ix, t) > GALLOP_RATIO * s->n_touched)
            meet_token(s, t, on);
        else
            mark_token(s, t, on, add, max);
    }
}

static unsigned popcount(unsigned x)
{
    unsigned n = 0;

    for (; x; x &= x - 1)
        n++;
    return n;
}

/* The most a name can score that aligns no query word in miss but by
 * initials (only when it has any), with extra tokens left unaligned
 * (counted only for a name without initials). */
static double word_bound(struct pw_screen_scratch *s, unsigned miss,
                         int initials, unsigned extra)
{
    static const double none[S_MAX];

    if (initials)
        return miss_bound(s, miss);
    return bound_extra(s, miss, 0, none, extra);
}

/* Whether a name can reach the threshold whose tokens share keys with
 * the query words in words, count of its tokens doing so, extra of them
 * sure to be left unaligned: each token aligns with one word at most, so
 * the best count of those words are tried as aligned. */
static int can_reach(struct pw_screen_scratch *s, unsigned words,
                     unsigned count, int initials, unsigned extra)
{
    unsigned c = popcount(words) < count ? popcount(words) : count;

    for (unsigned a = words;; a = (a - 1) & words) {
        if (popcount(a) == c &&
            word_bound(s, s->words & ~a, initials, extra) >= s->need)
            return 1;
        if (a == 0)
            return 0;
    }
}

/* can_reach, remembered per query. */
static int feasible(struct pw_screen_scratch *s, unsigned words, unsigned count,
                    int initials, unsigned extra)
{
    size_t nq = s->q.name.n;

    words &= s->words;
    count = popcount(words) < count ? popcount(words) : count;
    extra = initials ? 0 : extra < EXTRA_MAX ? extra : EXTRA_MAX;
    size_t block = initials ? EXTRA_MAX + 1 : extra;
    size_t row = block * (nq + 1) + count;
    size_t at = (row << nq) | words;
    if (!s->memo[at])
        s->memo[at] = can_reach(s, words, count, initials, extra) ? 2 : 1;
    return s->memo[at] == 2;
}

static void next_mark_stamp(struct pw_screen_scratch *s)
{
    if (++s->nstamp > 0xFFFu) {
        memset(s->name_mark, 0, s->n_names * sizeof *s->name_mark);
        s->nstamp = 1;
    }
}

/* Query words ordered by how many names they lead to, fewest first. */
static size_t words_by_cost(const struct pw_screen_scratch *s, size_t *idx)
{
    size_t n = 0;

    for (size_t i = 0; i < s->q.name.n; i++)
        if (!s->qm[i].initial)
            idx[n++] = i;
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && s->cost[idx[j]] < s->cost[idx[j - 1]];
             j--) {
            size_t t = idx[j];
            idx[j] = idx[j - 1];
            idx[j - 1] = t;
        }
    return n;
}

/* How many of the rarest words (idx[], n) a name must share a key with
 * at least one of to reach the threshold; 0 when no number will do. */
static size_t required_words(struct pw_screen_scratch *s, const size_t *idx,
                             size_t n)
{
    for (size_t k = 1; k <= n; k++)
        if (miss_bound(s, first_bits(idx, k)) < s->need)
            return k;
    return 0;
}

/* Asks for the mark and shape of the name 16 places ahead in touched. */
static void prefetch_mark(const struct pw_screen_scratch *s, size_t i)
{
    if (i + 16 < s->n_touched) {
        uint32_t ahead = s->touched[i + 16];
        __builtin_prefetch(&s->name_mark[ahead]);
        __builtin_prefetch(&s->ix->name_shape[ahead]);
    }
}

/* The query words a hit must share a key with, each of them: a name
 * that shares none with word w scores at most miss_bound of w alone
 * (missing more words never scores more), below what a hit needs. */
static unsigned mandatory_words(struct pw_screen_scratch *s)
{
    unsigned mand = 0;

    for (size_t i = 0; i < s->q.name.n; i++)
        if ((s->words & 1u << i) && miss_bound(s, 1u << i) < s->need)
            mand |= 1u << i;
    return mand;
}

/* Keeps in touched, in order, only the names marked with a word of w. */
static void keep_marked(struct pw_screen_scratch *s, unsigned w)
{
    size_t kept = 0;

    for (size_t i = 0; i < s->n_touched; i++) {
        prefetch_mark(s, i);
        uint32_t id = s->touched[i];
        if (MARK_WORDS(s->name_mark[id]) & w)
            s->touched[kept++] = id;
    }
    s->n_touched = kept;
    s->n_runs = 0;
}

/* The names the first k words of idx[] lead to. */
static size_t words_cost(const struct pw_screen_scratch *s, const size_t *idx,
                         size_t k)
{
    size_t cost = 0;

    for (size_t i = 0; i < k; i++)
        cost += s->cost[idx[i]];
    return cost;
}

/* Whether every hit shares keys with two query words at least: a name
 * that shares keys with word w alone scores at most what a name missing
 * every other word can. */
static int needs_two_words(struct pw_screen_scratch *s)
{
    if (popcount(s->words) < 2)
        return 0;
    for (size_t i = 0; i < s->q.name.n; i++)
        if ((s->words & 1u << i) &&
            miss_bound(s, s->words & ~(1u << i)) >= s->need)
            return 0;
    return 1;
}

/* Whether every hit without a one-letter token shares keys with two
 * query words at least (needs_two_words for names that cannot align a
 * word by an initial): when so, and needs_two_words is not, the names of
 * one word a query must list are those with an initial (tok_init). */
static int plain_needs_two_words(struct pw_screen_scratch *s)
{
    if (popcount(s->words) < 2)
        return 0;
    for (size_t i = 0; i < s->q.name.n; i++)
        if ((s->words & 1u << i) &&
            word_bound(s, s->words & ~(1u << i), 0, 0) >= s->need)
            return 0;
    return 1;
}

/* What marking the names touched by walking or searching the lists of
 * the reached tokens similar to no word in done would read, roughly:
 * a list far longer than the names touched is searched, a few steps a
 * name. */
static size_t walk_cost(const struct pw_screen_scratch *s, unsigned done)
{
    size_t cost = 0, far = GALLOP_RATIO * s->n_touched;

    for (size_t r = 0; r < s->n_reached; r++) {
        uint32_t t = s->reached[r].tok;
        unsigned on = s->row_on[s->tok[t].slot];
        if ((on & done) || low_bit(on) != 1u << s->reached[r].qtok)
            continue;
        size_t n = names_of(s->ix, t);
        cost += n > far ? RECORD_STEPS * s->n_touched : n;
    }
    return cost;
}

/* Marks each touched name from its own record instead: the words of
 * its tokens that were reached and how many of its tokens were, which
 * is what walking every reached token's list once leaves in the mark
 * (a name is listed once per token it has). Reading a few tokens a name
 * costs less than meeting it in the lists of many common tokens. */
static void mark_records(struct pw_screen_scratch *s)
{
    const pw_screen_index *ix = s->ix;
    uint32_t hi = MARK_STAMP(s->nstamp);

    for (size_t i = 0; i < s->n_touched; i++) {
        if (i + 20 < s->n_touched)
            __builtin_prefetch(&ix->name_off[s->touched[i + 20]]);
        if (i + 10 < s->n_touched)
            __builtin_prefetch(pw__name_rec(ix, s->touched[i + 10]));
        uint32_t id = s->touched[i];
        const uint32_t *rec = pw__name_rec(ix, id);
        size_t nc = rec[IX_REC_INFO] & 0xFFu;
        unsigned words = 0, count = 0;
        for (size_t j = 0; j < nc; j++) {
            uint32_t t = rec[IX_REC_REFS + j] & IX_TOKEN_MASK;
            if (!row_of(s, t))
                continue;
            unsigned on = s->row_on[s->tok[t].slot];
            words |= on;
            count += on != 0 && count < 15;
        }
        s->name_mark[id] = hi | count << 16 | words;
    }
}

/* Marks the touched names with every word, from their records when
 * walking the lists left (of tokens similar to no word in done) would
 * read more, and drops those lacking a word of mand: what marking the
 * words in turn and keeping the names with each word of mand leaves. */
static int marked_by_records(struct pw_screen_scratch *s, unsigned done,
                             unsigned mand)
{
    if (walk_cost(s, done) <= RECORD_GAIN * s->n_touched)
        return 0;
    mark_records(s);
    for (size_t i = 0; i < s->q.name.n; i++)
        if (mand & 1u << i)
            keep_marked(s, 1u << i);
    return 1;
}

/* Lists name id, unmarked (no words, no tokens counted), once. */
static inline void meet_name(struct pw_screen_scratch *s, uint32_t id,
                             uint32_t hi)
{
    uint32_t *m = &s->name_mark[id];

    if ((*m & MARK_STAMP_BITS) == hi)
        return;
    *m = hi;
    if (push_touched(s, id) != 0)
        s->nomem = 1;
}

/* gallop from lo + 1, v[lo] being below x: most steps through two
 * lists move by one name, decided here without a call. */
static inline size_t past(const uint32_t *v, size_t lo, size_t n, uint32_t x)
{
    if (lo + 1 < n && v[lo + 1] >= x)
        return lo + 1;
    return gallop(v, lo + 1, n, x);
}

/* Lists the names on the lists of both tokens t and u: each list is
 * searched, by steps doubling, for the other's next name, so runs of
 * names only one of them has are skipped (a common token's names lie in
 * runs, see order_names). */
static void meet_lists(struct pw_screen_scratch *s, uint32_t t, uint32_t u,
                       size_t *steps, size_t budget)
{
    const pw_screen_index *ix = s->ix;
    const uint32_t *x = ix->tok_names + ix->tok_names_start[t];
    const uint32_t *y = ix->tok_names + ix->tok_names_start[u];
    size_t nx = names_of(ix, t), ny = names_of(ix, u), i = 0, j = 0;
    uint32_t hi = MARK_STAMP(s->nstamp);

    if (t == u || (nx >= ix->pair_min && ny >= ix->pair_min)) {
        /* The same token, or two common ones: the names holding
         * both are read as they are kept (see pw__pair_names). */
        if (t != u)
            x = pw__pair_names(ix, t, u, &nx);
        *steps += nx;
        for (; i < nx && *steps <= budget && !s->nomem; i++)
            meet_name(s, x[i], hi);
        return;
    }
    while (i < nx && j < ny && !s->nomem && ++*steps <= budget) {
        if (x[i] == y[j]) {
            meet_name(s, x[i], hi);
            i++;
            j++;
        } else if (x[i] < y[j]) {
            i = past(x, i, nx, y[j]);
        } else {
            j = past(y, j, ny, x[i]);
        }
    }
}

/* The names of the n tokens few, list after list, into s->few_names
 * (their lists hold FEW_NAMES_MAX names at most); returns how many. */
static size_t gather_few(struct pw_screen_scratch *s, const uint32_t *few,
                         size_t n)
{
    const pw_screen_index *ix = s->ix;
    size_t k = 0;

    for (size_t i = 0; i < n; i++)
        __builtin_prefetch(ix->tok_names + ix->tok_names_start[few[i]]);
    for (size_t i = 0; i < n; i++) {
        size_t nx = names_of(ix, few[i]);
        memcpy(s->few_names + k, ix->tok_names + ix->tok_names_start[few[i]],
               nx * sizeof *s->few_names);
        k += nx;
    }
    return k;
}

/* Asks for the tokens' entries of the record of name id. */
static void ask_record_tokens(const struct pw_screen_scratch *s, uint32_t id)
{
    const uint32_t *rec = pw__name_rec(s->ix, id);

    for (size_t j = 0; j < (rec[IX_REC_INFO] & 0xFFu); j++) {
        uint32_t t = rec[IX_REC_REFS + j] & IX_TOKEN_MASK;
        if (row_of(s, t))
            __builtin_prefetch(&s->tok[t]);
    }
}

/* Lists the names of the short lists x[0..nx) that hold reached tokens
 * of two words or more, read from their records: what meeting each
 * short list with the list of every token of another word would list,
 * for far fewer reads. The lists' names lie anywhere and each list is
 * short: read as one run, every name's record, and then its tokens'
 * entries, are asked for ahead, across the lists. */
static void meet_by_records(struct pw_screen_scratch *s, const uint32_t *x,
                            size_t nx, int initials)
{
    const pw_screen_index *ix = s->ix;
    uint32_t hi = MARK_STAMP(s->nstamp);

    for (size_t i = 0; i < nx && !s->nomem; i++) {
        if (i + 24 < nx)
            __builtin_prefetch(&ix->name_off[x[i + 24]]);
        if (i + 12 < nx)
            __builtin_prefetch(pw__name_rec(ix, x[i + 12]));
        if (i + 6 < nx)
            ask_record_tokens(s, x[i + 6]);
        const uint32_t *rec = pw__name_rec(ix, x[i]);
        size_t nc = rec[IX_REC_INFO] & 0xFFu;
        unsigned words = 0;
        for (size_t j = 0; j < nc; j++) {
            uint32_t u = rec[IX_REC_REFS + j] & IX_TOKEN_MASK;
            if (row_of(s, u))
                words |= s->row_on[s->tok[u].slot];
        }
        if ((words & (words - 1)) ||
            (initials && (ix->name_shape[x[i]] & IX_SHAPE_INITIAL)))
            meet_name(s, x[i], hi);
    }
}

/* Lists the names with an initial on the lists of the n tokens big
 * (each token once, for the first word it is similar to). */
static void meet_initials(struct pw_screen_scratch *s, const reach *big,
                          size_t n, size_t *steps, size_t budget)
{
    const pw_screen_index *ix = s->ix;
    uint32_t hi = MARK_STAMP(s->nstamp);

    for (size_t r = 0; r < n && *steps <= budget && !s->nomem; r++) {
        uint32_t t = big[r].tok;
        if (low_bit(s->row_on[s->tok[t].slot]) != 1u << big[r].qtok)
            continue;
        const uint32_t *x = ix->tok_init + ix->tok_init_start[t];
        size_t nx = ix->tok_init_start[t + 1] - ix->tok_init_start[t];
        *steps += nx;
        for (size_t i = 0; i < nx && !s->nomem; i++)
            meet_name(s, x[i], hi);
    }
}

/* When every hit shares keys with two words: lists the names on the
 * lists of two tokens similar to two different words, for every such
 * pair, and marks all words on them. With initials set, every hit
 * without a one-letter token does: the names with one (tok_init) on the
 * lists of every reached token are listed too. Gives up, listing nothing, past
 * budget steps through the lists (the cost of listing the required
 * words' names, which it falls back to), or when the query reaches too
 * many tokens to pair: how far runs let it skip is known only by
 * stepping. */
static int mark_pairs(struct pw_screen_scratch *s, size_t budget, int initials)
{
    reach big[PAIRS_TOKENS_MAX];
    uint32_t few[PAIRS_TOKENS_MAX];
    size_t steps = 0, n = 0, n_few = 0;

    if (s->n_reached > PAIRS_TOKENS_MAX)
        return 0;
    for (size_t r = 0; r < s->n_reached; r++) {
        uint32_t t = s->reached[r].tok;
        if (names_of(s->ix, t) > PAIRS_RECORD_MAX ||
            names_of(s->ix, t) > s->n_reached)
            big[n++] = s->reached[r];
        else if (low_bit(s->row_on[s->tok[t].slot]) ==
                 1u << s->reached[r].qtok) {
            few[n_few++] = t;
            steps += RECORD_STEPS * names_of(s->ix, t);
        }
    }
    /* What the short lists cost is known before reading them: past the
     * budget, the query gives up before it has read a record. */
    if (steps > budget)
        return 0;
    meet_by_records(s, s->few_names, gather_few(s, few, n_few), initials);
    if (initials)
        meet_initials(s, big, n, &steps, budget);
    for (size_t a = 0, b0 = 0; a < n && steps <= budget; a++) {
        /* The tokens after a up to b0 are of a's word (reached[] holds
         * each word's together): b0 is looked for once per run. */
        if (b0 <= a)
            for (b0 = a + 1; b0 < n && big[b0].qtok == big[a].qtok; b0++)
                ;
        for (size_t b = b0; b < n && steps <= budget; b++)
            if (big[a].qtok != big[b].qtok)
                meet_lists(s, big[a].tok, big[b].tok, &steps, budget);
    }
    if (steps > budget) {
        next_mark_stamp(s); /* forget the names listed */
        s->n_touched = 0;
        return 0;
    }
    s->n_runs = 0;
    if (!marked_by_records(s, 0, 0))
        mark_reached(s, s->words, 0, 0, 0);
    return 1;
}

/* Lists the names that share a key with one of the k required words
 * (all n when k is 0), then marks the other words on them. A word every
 * hit must share is marked next, rarest first, and the names without it
 * dropped at once: the words after it are then searched for among far
 * fewer names. */
static void mark_words(struct pw_screen_scratch *s, const size_t *idx, size_t n,
                       size_t k)
{
    size_t max = k ? SIZE_MAX : FALLBACK_MAX;
    unsigned req = (unsigned)first_bits(idx, k ? k : n), done = req;
    unsigned mand = k ? mandatory_words(s) & ~req : 0;

    if (k) {
        int two = needs_two_words(s);
        int init = !two && plain_needs_two_words(s);
        if ((two || init) &&
            mark_pairs(s, PAIRS_GAIN * words_cost(s, idx, k), init))
            return;
    }
    mark_reached(s, req, 0, 1, max);
    s->n_runs = 0;
    if (marked_by_records(s, req, mand))
        return;
    for (size_t i = 0; i < n && mand && !s->nomem; i++) {
        unsigned w = 1u << idx[i];
        if (!(mand & w))
            continue;
        mark_reached(s, w, done, 0, 0);
        done |= w;
        keep_marked(s, w);
    }
    unsigned walk = s->words & ~done;
    if (walk)
        mark_reached(s, walk, done, 0, 0);
}

/* How many of a name's tokens are sure to be left unaligned: those not
 * initials that share no key with any query word, when the query has no
 * initial either (a token aligns with a word only through a shared key
 * or an initial). */
static unsigned extra_tokens(const struct pw_screen_scratch *s, unsigned shape,
                             unsigned count)
{
    unsigned plain = IX_SHAPE_PLAIN(shape);

    if (s->q_initials || count >= 15 || plain <= count)
        return 0;
    return plain - count;
}

/* Whether a name of mark m and shape shape could reach the threshold:
 * feasible() of what the mark and shape say. */
static int name_feasible(struct pw_screen_scratch *s, uint32_t m,
                         unsigned shape)
{
    unsigned words = MARK_WORDS(m), count = MARK_COUNT(m);
    int init = (shape & IX_SHAPE_INITIAL) != 0;

    return feasible(s, words, count, init, extra_tokens(s, shape, count));
}

/* name_feasible by table: the answer depends only on the mark's words
 * and count and the shape's initial bit and plain count, so a query of
 * few tokens works it out once per combination (0 not yet known, 1 no,
 * 2 yes). */
static size_t keep_feasible_fit(struct pw_screen_scratch *s)
{
    unsigned nq = (unsigned)s->q.name.n;
    unsigned char *fit = s->fit;
    size_t kept = 0;

    for (size_t i = 0; i < s->n_touched; i++) {
        prefetch_mark(s, i);
        uint32_t id = s->touched[i], m = s->name_mark[id];
        unsigned shape = s->ix->name_shape[id];
        size_t at = (size_t)MARK_WORDS(m) | (size_t)MARK_COUNT(m) << nq |
                    (size_t)((shape >> 3 & 0x10u) | IX_SHAPE_PLAIN(shape))
                        << (nq + 4);
        if (!fit[at])
            fit[at] = name_feasible(s, m, shape) ? 2 : 1;
        if (fit[at] == 2)
            s->touched[kept++] = id;
    }
    return kept;
}

/* Keeps in touched only the names whose shared words could reach the
 * threshold; returns how many. */
static size_t keep_feasible(struct pw_screen_scratch *s)
{
    size_t kept = 0;

    if (s->q.name.n <= FIT_WORDS_MAX)
        return keep_feasible_fit(s);
    for (size_t i = 0; i < s->n_touched; i++) {
        prefetch_mark(s, i);
        uint32_t id = s->touched[i];
        if (name_feasible(s, s->name_mark[id], s->ix->name_shape[id]))
            s->touched[kept++] = id;
    }
    return kept;
}

/* Asks for the memory that scoring name number i + ahead will read. */
static void prefetch_name(const struct pw_screen_scratch *s, size_t i, size_t n)
{
    const pw_screen_index *ix = s->ix;

    if (i + 16 < n)
        __builtin_prefetch(&ix->name_off[s->touched[i + 16]]);
    if (i + 8 < n)
        __builtin_prefetch(pw__name_rec(ix, s->touched[i + 8]));
    if (i + 4 < n) {
        const uint32_t *rec = pw__name_rec(ix, s->touched[i + 4]);
        size_t nc = rec[IX_REC_INFO] & 0xFFu;
        for (size_t j = 0; j < nc; j++)
            __builtin_prefetch(&s->tok[rec[IX_REC_REFS + j] & IX_TOKEN_MASK]);
        /* Names are numbered by their tokens, not by entry: an entry's
         * qualifiers, which a name near the threshold reads when the
         * query gives a birth date, sex or nationality (and only then),
         * lie anywhere. */
        if (s->q_qualified)
            __builtin_prefetch(&ix->quals[rec[IX_REC_ENTRY]]);
    }
}

/* Scores in full the names that share enough words with the query. */
static pw_rc collect(struct pw_screen_scratch *s, const size_t *idx, size_t n,
                     size_t k, double threshold, size_t *scored)
{
    mark_words(s, idx, n, k);
    if (s->nomem)
        return PW_ERR_NOMEM;
    size_t kept = keep_feasible(s);
    pw_rc rc = PW_OK;
    for (size_t i = 0; i < kept && rc == PW_OK; i++) {
        prefetch_name(s, i, kept);
        rc = score_name(s, s->touched[i], threshold, 0);
    }
    *scored = kept;
    return rc;
}

/* Empties the bound tables for a query of nq tokens. */
static void clear_tables(unsigned char *memo, unsigned char *fit, double *bound,
                         size_t nq)
{
    memset(memo, 0, MEMO_BYTES(nq));
    if (fit)
        memset(fit, 0, FIT_BYTES(nq));
    for (size_t i = 0; i < ((size_t)1 << nq); i++)
        bound[i] = -1.0;
}

static uint32_t shape_hash(const struct pw_screen_scratch *s)
{
    uint32_t h = (uint32_t)s->q.name.n * 0x9E3779B1u;
    uint64_t bits;

    for (size_t i = 0; i < s->q.name.n; i++) {
        memcpy(&bits, &s->isim[i], sizeof bits);
        h = (h ^ (uint32_t)(s->qm[i].role << 1 | s->qm[i].initial)) *
            0x85EBCA77u;
        h = (h ^ (uint32_t)(bits ^ bits >> 32)) * 0xC2B2AE3Du;
    }
    memcpy(&bits, &s->need, sizeof bits);
    h = (h ^ (uint32_t)(bits ^ bits >> 32)) * 0x27D4EB2Fu;
    return h ^ h >> 15;
}

static int same_shape(const struct pw_screen_scratch *s, const shape_slot *z)
{
    if (!z->used || z->nq != s->q.name.n || z->need != s->need)
        return 0;
    for (size_t i = 0; i < z->nq; i++)
        if (z->qm[i].role != s->qm[i].role ||
            z->qm[i].initial != s->qm[i].initial || z->isim[i] != s->isim[i])
            return 0;
    return 1;
}

/* Points memo, fit and bound_memo at the tables of the query's shape,
 * emptied when the slot held another (see SHAPE_SLOTS); a query of more
 * tokens gets its own tables, emptied. */
static int use_shape(struct pw_screen_scratch *s)
{
    size_t nq = s->q.name.n;

    if (nq > FIT_WORDS_MAX) {
        s->memo = s->own_memo;
        s->fit = s->own_fit;
        s->bound_memo = s->own_bound;
        clear_tables(s->memo, NULL, s->bound_memo, nq);
        return 0;
    }
    shape_slot *z = &s->shapes[shape_hash(s) & (SHAPE_SLOTS - 1)];
    if (!z->memo) {
        size_t memo = MEMO_BYTES(FIT_WORDS_MAX);
        size_t fit = FIT_BYTES(FIT_WORDS_MAX);
        size_t bound = sizeof(double) << FIT_WORDS_MAX;
        /* One block: the doubles first, for their alignment. */
        double *b = malloc(bound + memo + fit);
        if (!b)
            return -1;
        z->bound_memo = b;
        z->memo = (unsigned char *)b + bound;
        z->fit = z->memo + memo;
    }
    if (!same_shape(s, z)) {
        z->used = 1;
        z->nq = nq;
        z->need = s->need;
        for (size_t i = 0; i < nq; i++) {
            z->qm[i] = s->qm[i];
            z->isim[i] = s->isim[i];
        }
        clear_tables(z->memo, z->fit, z->bound_memo, nq);
    }
    s->memo = z->memo;
    s->fit = z->fit;
    s->bound_memo = z->bound_memo;
    return 0;
}

/* Candidates are the names that share keys with enough query words to
 * reach the threshold: a name that shares none with a word cannot align
 * with it (the keys cover every likeness but initials), and the bound
 * says what such a name can score at most, so none is lost. When no
 * word is required (initials only, or a very low threshold), every name
 * the words lead to is scored up to FALLBACK_MAX and the results are
 * marked partial. */
static pw_rc index_candidates(struct pw_screen_scratch *s, double threshold,
                              pw_screen_results *res)
{
    size_t idx[S_MAX];

    reach_tokens(s);
    if (s->nomem)
        return PW_ERR_NOMEM;
    size_t n = words_by_cost(s, idx);
    s->words = (unsigned)first_bits(idx, n);
    s->need = threshold - pw__qualifiers_max(&s->q) - BOUND_SLACK;
    for (size_t i = 0; i < s->q.name.n; i++)
        s->isim[i] = initial_sim_of(s, i);
    if (use_shape(s) != 0)
        return PW_ERR_NOMEM;
    size_t k = required_words(s, idx, n);
    next_mark_stamp(s);
    s->n_touched = 0;
    pw_rc rc = collect(s, idx, n, k, threshold, &res->n_candidates);
    res->partial = k == 0;
    return rc;
}

static int by_score(const void *a, const void *b)
{
    const cand *x = a, *y = b;

    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    if (x->entry != y->entry)
        return x->entry < y->entry ? -1 : 1;
    /* Name numbers follow no order within an entry: its names rank by
     * their place in it, a document hit after them. */
    return (x->place > y->place) - (x->place < y->place);
}

static int doc_matched(const struct pw_screen_scratch *s, uint32_t entry)
{
    for (size_t i = 0; i < s->n_doc; i++)
        if (s->doc_entries[i] == entry)
            return 1;
    return 0;
}

/* ---- hits ---- */

/* The similarities of the query tokens to the tokens of the name whose
 * record is rec, into sim (stride S_MAX), with the tokens' views and
 * metas, as scoring saw them (fill_column): those the query worked out
 * are read from their rows; a pair not worked out shares no key, so
 * unless either side is an initial (computed then, and kept for the
 * next hit) it is 0, which aligns nothing and so needs no kind. */
static int hit_sims(struct pw_screen_scratch *s, const uint32_t *rec,
                    float *sim, unsigned char *how, pw__tok_view *cv,
                    tok_meta *cm)
{
    const uint32_t *refs = rec + IX_REC_REFS;
    size_t nc = rec[IX_REC_INFO] & 0xFFu, nq = s->q.name.n;

    for (size_t j = 0; j < nc; j++) {
        uint32_t t = refs[j] & IX_TOKEN_MASK;
        pw__token_view(s->ix, t, &cv[j]);
        cm[j].role = (unsigned char)(refs[j] >> IX_ROLE_SHIFT);
        cm[j].initial = (refs[j] & IX_INITIAL_BIT) != 0;
        if (fill_column(s, refs[j], 0, sim + j) != 0)
            return -1;
        const unsigned char *hows =
            s->tok[t].stamp == s->stamp
                ? s->hows + (size_t)s->tok[t].slot * s->stride
                : NULL;
        for (size_t i = 0; i < nq; i++)
            how[i * S_MAX + j] = hows ? hows[i] : 0;
    }
    return 0;
}

static pw_rc explain_hit(struct pw_screen_scratch *s, const cand *c,
                         pw_screen_hit *h)
{
    const pw_screen_index *ix = s->ix;
    const pw_entry *e = ix->entries[c->entry];

    /* Field by field: the parts past n_parts are never read, and
     * clearing all of them cost more than explaining. */
    h->list = pw__entry_list(ix, c->entry);
    h->id = e->id;
    h->entry = e;
    h->score = c->score;
    h->name_score = 0.0;
    h->n_parts = 0;
    h->name = e->n_names ? e->names[0].full : NULL;
    if (doc_matched(s, c->entry)) {
        pw_expl_part *p = &h->parts[h->n_parts++];
        p->kind = PW_EXPL_DOCUMENT;
        p->query[0] = p->entry[0] = '\0';
        p->how = "exact";
        p->similarity = 1.0;
        p->effect = document_score(e);
    }
    if (c->name == UINT32_MAX || !s->q.has_name)
        return PW_OK;
    const uint32_t *rec = pw__name_rec(ix, c->name);
    const pw_entry_name *en = &e->names[rec[IX_REC_INFO] >> 8];
    float sim[S_MAX * S_MAX];
    unsigned char how[S_MAX * S_MAX];
    pw__tok_view cv[S_MAX];
    tok_meta cm[S_MAX];
    h->name = en->full ? en->full : en->surname;
    if (hit_sims(s, rec, sim, how, cv, cm) != 0)
        return PW_ERR_NOMEM;
    h->name_score = pw__name_explain(sim, how, s->qm, s->qv, s->q.name.n, cm,
                                     cv, rec[IX_REC_INFO] & 0xFFu, h->parts,
                                     PW_EXPL_MAX, &h->n_parts);
    pw__qualifiers(&s->q, e, h->parts, PW_EXPL_MAX, &h->n_parts);
    return PW_OK;
}

/* Lets v[i] sink below its better children: v[0..n) is then a heap with
 * the best candidate (by_score) first. */
static void sift_down(cand *v, size_t n, size_t i)
{
    for (;;) {
        size_t best = i, l = 2 * i + 1, r = l + 1;
        if (l < n && by_score(&v[l], &v[best]) < 0)
            best = l;
        if (r < n && by_score(&v[r], &v[best]) < 0)
            best = r;
        if (best == i)
            return;
        cand t = v[i];
        v[i] = v[best];
        v[best] = t;
        i = best;
    }
}

/* Takes the best candidate off the heap v[0..*n). */
static cand pop_best(cand *v, size_t *n)
{
    cand top = v[0];

    v[0] = v[--*n];
    sift_down(v, *n, 0);
    return top;
}

/* Gives a document hit the name score of its entry's best name among
 * the n candidates left, the next of that entry in order, if any. */
static void name_of_entry(const cand *v, size_t n, cand *doc)
{
    const cand *best = NULL;

    for (size_t k = 0; k < n; k++)
        if (v[k].entry == doc->entry && v[k].name != UINT32_MAX &&
            (!best || by_score(&v[k], best) < 0))
            best = &v[k];
    if (best) {
        doc->name = best->name;
        doc->name_score = best->name_score;
    }
}

static int hit_of(const pw_screen_results *res, const pw_entry *e)
{
    for (size_t k = 0; k < res->n; k++)
        if (res->hits[k].entry == e)
            return 1;
    return 0;
}

/* Explaining a hit reads its entry, and then the entry's names and sex,
 * in the list's own memory, far from anything the query read, on small
 * pages: each read waited for in turn (a TLB miss and a cache miss, or
 * several) took most of the time of explaining. They are asked for
 * ahead for up to HITS_AHEAD candidates, the entries before the
 * candidates are ranked and what the entries point to after, so that
 * they arrive together. The names and sex are read rather than asked
 * for: a prefetch that misses the TLB on a small page is often dropped
 * (timed, the name of each hit still cost a whole miss when explained),
 * while reads of every candidate's name, none waiting for another, are
 * waited for once for all. */
#define HITS_AHEAD 64

static void ask_entries(const struct pw_screen_scratch *s)
{
    size_t m = s->n_cands < HITS_AHEAD ? s->n_cands : HITS_AHEAD;

    for (size_t i = 0; i < m; i++)
        __builtin_prefetch(s->ix->entries[s->cands[i].entry]);
}

static void read_entry_names(struct pw_screen_scratch *s)
{
    size_t m = s->n_cands < HITS_AHEAD ? s->n_cands : HITS_AHEAD;
    uintptr_t sum = 0;

    for (size_t i = 0; i < m; i++) {
        const pw_entry *e = s->ix->entries[s->cands[i].entry];
        uint32_t k = s->cands[i].place;
        if (e->sex)
            sum += (unsigned char)e->sex[0];
        /* an entry of documents alone (lost or stolen) has no names */
        if (k < e->n_names)
            sum += (uintptr_t)e->names[k].full;
        else if (e->n_names)
            sum += (uintptr_t)e->names[0].full;
    }
    s->read_sum = sum; /* so that the reads are made */
}

/* Merges candidates to one per entry, best first, cut to limit. A
 * document hit on an entry lifts its name score, never lowers it. The
 * candidates are taken off a heap in order only until limit entries are
 * found: a common name can have hundreds above the threshold, and
 * sorting them all cost more than scoring them. */
static pw_rc make_hits(struct pw_screen_scratch *s, size_t limit,
                       pw_screen_results *res)
{
    size_t left = s->n_cands;

    if (res->cap < limit) {
        pw_screen_hit *h = realloc(res->hits, limit * sizeof *h);
        if (!h)
            return PW_ERR_NOMEM;
        res->hits = h;
        res->cap = limit;
    }
    res->n = 0;
    ask_entries(s);
    for (size_t i = left / 2; i-- > 0;)
        sift_down(s->cands, left, i);
    read_entry_names(s);
    while (left > 0 && res->n < limit) {
        cand c = pop_best(s->cands, &left);
        if (hit_of(res, s->ix->entries[c.entry]))
            continue;
        if (c.name == UINT32_MAX)
            name_of_entry(s->cands, left, &c);
        pw_rc rc = explain_hit(s, &c, &res->hits[res->n++]);
        if (rc != PW_OK)
            return rc;
    }
    return PW_OK;
}

static pw_rc check_args(const pw_screen_index *ix, const pw_screen_query *q,
                        double threshold, size_t limit, pw_screen_results *res)
{
    if (!ix || !q || !res || isnan(threshold) || threshold < 0 ||
        threshold > 1 || limit == 0 || limit > PW_SCREEN_MAX_LIMIT)
        return PW_ERR_INVALID;
    if (q->n_documents && !q->documents)
        return PW_ERR_INVALID;
    return PW_OK;
}

static pw_rc begin(const pw_screen_index *ix, const pw_screen_query *q,
                   double threshold, size_t limit, pw_screen_results *res)
{
    pw_rc rc = check_args(ix, q, threshold, limit, res);
    if (rc != PW_OK)
        return rc;
    res->n = 0;
    res->n_candidates = 0;
    res->partial = 0;
    rc = ensure_scratch(res, ix);
    if (rc != PW_OK)
        return rc;
    struct pw_screen_scratch *s = res->scratch;
    s->n_cands = 0;
    rc = pw__query_info(q, &s->q);
    if (rc != PW_OK)
        return rc;
    next_query(s);
    return document_hits(s, q);
}

pw_rc pw_screen_match(const pw_screen_index *ix, const pw_screen_query *q,
                      double threshold, size_t limit, pw_screen_results *res)
{
    pw_rc rc = begin(ix, q, threshold, limit, res);
    if (rc != PW_OK)
        return rc;
    struct pw_screen_scratch *s = res->scratch;

    if (s->q.has_name)
        rc = index_candidates(s, threshold, res);
    return rc == PW_OK ? make_hits(s, limit, res) : rc;
}

pw_rc pw_screen_match_scan(const pw_screen_index *ix, const pw_screen_query *q,
                           double threshold, size_t limit,
                           pw_screen_results *res)
{
    pw_rc rc = begin(ix, q, threshold, limit, res);
    if (rc != PW_OK)
        return rc;
    struct pw_screen_scratch *s = res->scratch;

    if (s->q.has_name) {
        res->n_candidates = ix->n_names;
        for (size_t i = 0; i < ix->n_names && rc == PW_OK; i++)
            rc = score_name(s, (uint32_t)i, threshold, 1);
    }
    return rc == PW_OK ? make_hits(s, limit, res) : rc;
}

void pw_screen_results_free(pw_screen_results *res)
{
    if (!res)
        return;
    free(res->hits);
    free_scratch(res->scratch);
    memset(res, 0, sizeof *res);
}

/* Screening queries: candidates from the index (or every name, for the
 * full scan), scored, merged one hit per entry, best first, explained. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "screen/load_common.h"
#include "screen/screen_int.h"

/* Names scored in full per query, at most: the index ranks candidates by
 * how many keys they share with the query and scores the best of them. */
#define MAX_SCORED 128
/* A posting list longer than this is only read when it must be: its key
 * (a very common name) tells little that rarer keys have not. */
#define LONG_LIST 4096
#define MAX_QUERY_KEYS 512
#define MAX_DOC_HITS 64

typedef struct key_list {
    const uint32_t *ids;
    size_t n;
    uint32_t key;
    size_t qtok; /* the query token the key came from */
} key_list;

struct pw_screen_scratch {
    const pw_screen_index *ix;
    size_t n_names, n_tokens;
    uint16_t *count;   /* per name: similarity evidence gathered */
    uint32_t *touched; /* names with a count */
    size_t n_touched;
    uint32_t *picked;
    uint32_t stamp;     /* per query, marks what the arrays below hold */
    uint32_t *tok_seen; /* per token: stamp when reached by a key */
    uint16_t *tok_w;    /* per token: best similarity, for ranking */
    uint32_t *tok_list; /* tokens reached */
    size_t n_tok_list;
    uint32_t *sim_stamp; /* per token: stamp when tok_sim was filled */
    float *tok_sim;      /* per token: similarity to each query token */
    size_t sim_stride;
    cand *cands;
    size_t n_cands, cap_cands;
    key_list keys[MAX_QUERY_KEYS];
    size_t n_keys, cur_qtok;
    uint32_t doc_entries[MAX_DOC_HITS];
    size_t n_doc;
    q_info q;
    tok_meta qm[PW_NAME_MAX_TOKENS];
    pw__tok_view qv[PW_NAME_MAX_TOKENS];
    pw_name entry_name;
};

static void free_scratch(struct pw_screen_scratch *s)
{
    if (!s)
        return;
    free(s->count);
    free(s->touched);
    free(s->picked);
    free(s->tok_seen);
    free(s->tok_w);
    free(s->tok_list);
    free(s->sim_stamp);
    free(s->tok_sim);
    free(s->cands);
    free(s);
}

static int alloc_scratch(struct pw_screen_scratch *s)
{
    size_t n = s->n_names ? s->n_names : 1;
    size_t t = s->n_tokens ? s->n_tokens : 1;

    s->count = calloc(n, sizeof *s->count);
    s->touched = malloc(n * sizeof *s->touched);
    s->picked = malloc(MAX_SCORED * sizeof *s->picked);
    s->tok_seen = calloc(t, sizeof *s->tok_seen);
    s->tok_w = malloc(t * sizeof *s->tok_w);
    s->tok_list = malloc(t * sizeof *s->tok_list);
    s->sim_stamp = calloc(t, sizeof *s->sim_stamp);
    return s->count && s->touched && s->picked && s->tok_seen && s->tok_w &&
                   s->tok_list && s->sim_stamp
               ? 0
               : -1;
}

static pw_rc ensure_scratch(pw_screen_results *res, const pw_screen_index *ix)
{
    struct pw_screen_scratch *s = res->scratch;

    if (s && s->ix == ix && s->n_names == ix->n_names &&
        s->n_tokens == ix->n_tokens)
        return PW_OK;
    free_scratch(s);
    res->scratch = s = calloc(1, sizeof *s);
    if (!s)
        return PW_ERR_NOMEM;
    s->ix = ix;
    s->n_names = ix->n_names;
    s->n_tokens = ix->n_tokens;
    if (alloc_scratch(s) != 0) {
        free_scratch(s);
        res->scratch = NULL;
        return PW_ERR_NOMEM;
    }
    return PW_OK;
}

/* A new stamp invalidates every per-token mark at once. */
static pw_rc next_query(struct pw_screen_scratch *s)
{
    size_t nq = s->q.name.n ? s->q.name.n : 1;

    if (++s->stamp == 0) {
        memset(s->tok_seen, 0, s->n_tokens * sizeof *s->tok_seen);
        memset(s->sim_stamp, 0, s->n_tokens * sizeof *s->sim_stamp);
        s->stamp = 1;
    }
    if (nq > s->sim_stride) {
        float *v = realloc(s->tok_sim,
                           (s->n_tokens ? s->n_tokens : 1) * nq * sizeof *v);
        if (!v)
            return PW_ERR_NOMEM;
        s->tok_sim = v;
        s->sim_stride = nq;
        memset(s->sim_stamp, 0, s->n_tokens * sizeof *s->sim_stamp);
    }
    for (size_t i = 0; i < s->q.name.n; i++) {
        s->qm[i].role = s->q.name.tok[i].role;
        s->qm[i].initial = s->q.name.tok[i].text[1] == '\0';
        pw__tok_view_of(&s->q.name.tok[i], &s->qv[i]);
    }
    return PW_OK;
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
            cand c = {UINT32_MAX, ids[k], document_score(e), 0.0};
            if (push_cand(s, c) != 0)
                return PW_ERR_NOMEM;
        }
    }
    return PW_OK;
}

/* ---- candidates from the index ---- */

static void add_query_key(uint32_t key, void *arg)
{
    struct pw_screen_scratch *s = arg;

    for (size_t i = 0; i < s->n_keys; i++)
        if (s->keys[i].key == key && s->keys[i].qtok == s->cur_qtok)
            return;
    if (s->n_keys == MAX_QUERY_KEYS)
        return;
    key_list *k = &s->keys[s->n_keys++];
    k->key = key;
    k->qtok = s->cur_qtok;
    k->ids = pw__postings(&s->ix->by_key, key, &k->n);
}

/* The row of token t's similarities to the query tokens; entries are
 * computed on first use in a query (negative until then). */
static float *sim_row(struct pw_screen_scratch *s, uint32_t t)
{
    float *row = s->tok_sim + (size_t)t * s->sim_stride;

    if (s->sim_stamp[t] != s->stamp) {
        s->sim_stamp[t] = s->stamp;
        for (size_t i = 0; i < s->q.name.n; i++)
            row[i] = -1.0f;
    }
    return row;
}

static float sim_at(struct pw_screen_scratch *s, float *row, uint32_t t,
                    size_t i)
{
    pw__tok_view tok;

    if (row[i] < 0) {
        pw__token_view(s->ix, t, &tok);
        row[i] = (float)pw__token_similarity_view(&s->qv[i], &tok, NULL);
    }
    return row[i];
}

/* Similarities of token t to every query token, computed once a query. */
static const float *token_sims(struct pw_screen_scratch *s, uint32_t t)
{
    float *row = sim_row(s, t);

    for (size_t i = 0; i < s->q.name.n; i++)
        sim_at(s, row, t, i);
    return row;
}

/* Token similarities are kept in hundredths for ranking names. */
#define RANK_SCALE 100

/* Finds the tokens the query's keys lead to and keeps those similar to
 * some query token, weighted by their best similarity. */
static void reach_tokens(struct pw_screen_scratch *s)
{
    s->n_keys = 0;
    s->n_tok_list = 0;
    for (size_t i = 0; i < s->q.name.n; i++) {
        s->cur_qtok = i;
        pw__token_keys(&s->q.name.tok[i], add_query_key, s);
    }
    for (size_t k = 0; k < s->n_keys; k++) {
        size_t qi = s->keys[k].qtok;
        for (size_t i = 0; i < s->keys[k].n; i++) {
            uint32_t t = s->keys[k].ids[i];
            float v = sim_at(s, sim_row(s, t), t, qi);
            if (v < (float)PW__MIN_PAIR)
                continue;
            if (s->tok_seen[t] != s->stamp) {
                s->tok_seen[t] = s->stamp;
                s->tok_w[t] = 0;
                s->tok_list[s->n_tok_list++] = t;
            }
            uint16_t w = (uint16_t)(v * RANK_SCALE + 0.5f);
            s->tok_w[t] = w > s->tok_w[t] ? w : s->tok_w[t];
        }
    }
}

static size_t names_of(const pw_screen_index *ix, uint32_t t)
{
    return ix->tok_names_start[t + 1] - ix->tok_names_start[t];
}

static void count_names(struct pw_screen_scratch *s, uint32_t t, int boost_only)
{
    const pw_screen_index *ix = s->ix;
    const uint32_t *ids = ix->tok_names + ix->tok_names_start[t];
    size_t n = names_of(ix, t);
    uint16_t w = s->tok_w[t];

    for (size_t i = 0; i < n; i++) {
        uint32_t id = ids[i];
        if (s->count[id] == 0) {
            if (boost_only)
                continue;
            s->touched[s->n_touched++] = id;
        }
        s->count[id] =
            (uint16_t)(s->count[id] + w < UINT16_MAX ? s->count[id] + w
                                                     : UINT16_MAX);
    }
}

/* Most common tokens whose weight is added in one pass over the names
 * already found; more are counted the ordinary way. */
#define MAX_BOOST 8

static uint16_t add_w(uint16_t a, uint16_t b)
{
    return (uint16_t)(a + b < UINT16_MAX ? a + b : UINT16_MAX);
}

/* Adds the weight of the common tokens in long[] to the names already
 * found, reading each such name once: walking a common token's own list
 * would touch many names that cannot rank. */
static void boost_names(struct pw_screen_scratch *s, const uint32_t *lng,
                        size_t n_long)
{
    const pw_screen_index *ix = s->ix;

    for (size_t i = 0; i < s->n_touched; i++) {
        uint32_t id = s->touched[i];
        const ix_name *nm = &ix->names[id];
        const uint32_t *refs = ix->name_toks + nm->tok_off;
        for (size_t k = 0; k < n_long; k++)
            for (size_t j = 0; j < nm->n_tok; j++)
                if ((refs[j] & IX_TOKEN_MASK) == lng[k]) {
                    s->count[id] = add_w(s->count[id], s->tok_w[lng[k]]);
                    break;
                }
    }
}

/* Tokens on few names first; a token on very many names is read only
 * when the rarer ones left too many candidates to tell apart, and then
 * only on the names those found. */
static void count_keys(struct pw_screen_scratch *s)
{
    uint32_t lng[MAX_BOOST];
    size_t n_long = 0;

    reach_tokens(s);
    s->n_touched = 0;
    for (size_t i = 0; i < s->n_tok_list; i++) {
        uint32_t t = s->tok_list[i];
        if (names_of(s->ix, t) <= LONG_LIST)
            count_names(s, t, 0);
    }
    for (size_t i = 0; i < s->n_tok_list; i++) {
        uint32_t t = s->tok_list[i];
        if (names_of(s->ix, t) <= LONG_LIST)
            continue;
        if (s->n_touched > 0 && s->n_touched <= MAX_SCORED)
            continue;
        if (s->n_touched > 0 && s->n_touched * 4 < names_of(s->ix, t) &&
            n_long < MAX_BOOST)
            lng[n_long++] = t;
        else
            count_names(s, t, s->n_touched > 0);
    }
    if (n_long)
        boost_names(s, lng, n_long);
}

/* The least ranking weight a name needs to possibly reach threshold: its
 * score is at most the sum of its token similarities over the least the
 * denominator can be (see score.c). */
static unsigned min_count(const struct pw_screen_scratch *s, double threshold)
{
    double den = 0;

    for (size_t i = 0; i < s->q.name.n; i++)
        den += s->qm[i].initial ? 0.15 : 0.5;
    double need = (threshold - PW_QUALIFIER_MAX_BONUS) * den * RANK_SCALE;
    return need > 1 ? (unsigned)need - 1 : 0;
}

static unsigned bin(unsigned c)
{
    return c / 8 > 255 ? 255 : c / 8;
}

/* Picks up to MAX_SCORED touched names with the highest counts, none
 * under min, and clears the counts. Returns how many were picked. */
static size_t pick_best(struct pw_screen_scratch *s, unsigned min)
{
    size_t hist[256] = {0}, picked = 0;

    for (size_t i = 0; i < s->n_touched; i++)
        if (s->count[s->touched[i]] >= min)
            hist[bin(s->count[s->touched[i]])]++;
    unsigned floor = 255;
    size_t above = 0;
    while (floor > 0 && above + hist[floor] < MAX_SCORED)
        above += hist[floor--];
    /* Those above the floor first, then those on it while room is left. */
    for (size_t i = 0; i < s->n_touched; i++) {
        uint32_t id = s->touched[i];
        if (s->count[id] >= min && bin(s->count[id]) > floor &&
            picked < MAX_SCORED)
            s->picked[picked++] = id;
    }
    for (size_t i = 0; i < s->n_touched; i++) {
        uint32_t id = s->touched[i];
        if (s->count[id] >= min && bin(s->count[id]) == floor &&
            picked < MAX_SCORED)
            s->picked[picked++] = id;
        s->count[id] = 0;
    }
    return picked;
}

/* ---- scoring ---- */

static double name_score(struct pw_screen_scratch *s, const ix_name *nm)
{
    const pw_screen_index *ix = s->ix;
    const uint32_t *refs = ix->name_toks + nm->tok_off;
    float sim[PW_NAME_MAX_TOKENS * PW_NAME_MAX_TOKENS];
    tok_meta cm[PW_NAME_MAX_TOKENS] = {{0}};
    size_t nq = s->q.name.n;

    for (size_t j = 0; j < nm->n_tok; j++) {
        uint32_t t = refs[j] & IX_TOKEN_MASK;
        const float *row = token_sims(s, t);
        for (size_t i = 0; i < nq; i++)
            sim[i * PW_NAME_MAX_TOKENS + j] = row[i];
        cm[j].role = (unsigned char)(refs[j] >> IX_ROLE_SHIFT);
        cm[j].initial = ix->tok_pool[ix->tok_off[t] + PW__TOK_TEXT] == 1;
    }
    return pw__align_score(sim, s->qm, nq, cm, nm->n_tok);
}

static pw_rc score_name(struct pw_screen_scratch *s, uint32_t id,
                        double threshold)
{
    const pw_screen_index *ix = s->ix;
    const ix_name *nm = &ix->names[id];

    double ns = name_score(s, nm);
    if (ns < threshold - PW_QUALIFIER_MAX_BONUS)
        return PW_OK;
    double sc =
        ns + pw__qualifiers(&s->q, ix->entries[nm->entry], NULL, 0, NULL);
    sc = sc < 0 ? 0 : sc > 1 ? 1 : sc;
    if (sc < threshold)
        return PW_OK;
    cand c = {id, nm->entry, sc, ns};
    return push_cand(s, c) == 0 ? PW_OK : PW_ERR_NOMEM;
}

static int by_score(const void *a, const void *b)
{
    const cand *x = a, *y = b;

    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    if (x->entry != y->entry)
        return x->entry < y->entry ? -1 : 1;
    return (x->name > y->name) - (x->name < y->name);
}

static int doc_matched(const struct pw_screen_scratch *s, uint32_t entry)
{
    for (size_t i = 0; i < s->n_doc; i++)
        if (s->doc_entries[i] == entry)
            return 1;
    return 0;
}

/* ---- hits ---- */

static void explain_hit(struct pw_screen_scratch *s, const cand *c,
                        pw_screen_hit *h)
{
    const pw_screen_index *ix = s->ix;
    const pw_entry *e = ix->entries[c->entry];

    memset(h, 0, sizeof *h);
    h->list = pw__entry_list(ix, c->entry);
    h->id = e->id;
    h->entry = e;
    h->score = c->score;
    h->name = e->n_names ? e->names[0].full : NULL;
    if (doc_matched(s, c->entry)) {
        pw_expl_part *p = &h->parts[h->n_parts++];
        p->kind = PW_EXPL_DOCUMENT;
        p->how = "exact";
        p->similarity = 1.0;
        p->effect = document_score(e);
    }
    if (c->name == UINT32_MAX || !s->q.has_name)
        return;
    const ix_name *nm = &ix->names[c->name];
    h->name = e->names[nm->name_idx].full ? e->names[nm->name_idx].full
                                          : e->names[nm->name_idx].surname;
    pw__unpack_name(ix, nm, &s->entry_name);
    h->name_score = pw__name_score(&s->q.name, &s->entry_name, h->parts,
                                   PW_EXPL_MAX, &h->n_parts);
    pw__qualifiers(&s->q, e, h->parts, PW_EXPL_MAX, &h->n_parts);
}

/* Merges candidates to one per entry, best first, cut to limit. A
 * document hit on an entry lifts its name score, never lowers it. */
static pw_rc make_hits(struct pw_screen_scratch *s, size_t limit,
                       pw_screen_results *res)
{
    if (s->n_cands > 1)
        qsort(s->cands, s->n_cands, sizeof *s->cands, by_score);
    if (res->cap < limit) {
        pw_screen_hit *h = realloc(res->hits, limit * sizeof *h);
        if (!h)
            return PW_ERR_NOMEM;
        res->hits = h;
        res->cap = limit;
    }
    res->n = 0;
    for (size_t i = 0; i < s->n_cands && res->n < limit; i++) {
        const cand *c = &s->cands[i];
        int seen = 0;
        for (size_t k = 0; k < res->n && !seen; k++)
            seen = res->hits[k].entry == s->ix->entries[c->entry];
        if (seen)
            continue;
        cand best = *c;
        for (size_t k = i + 1; k < s->n_cands; k++)
            if (s->cands[k].entry == c->entry && c->name == UINT32_MAX &&
                s->cands[k].name != UINT32_MAX) {
                best.name = s->cands[k].name;
                best.name_score = s->cands[k].name_score;
                break;
            }
        explain_hit(s, &best, &res->hits[res->n++]);
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
    rc = ensure_scratch(res, ix);
    if (rc != PW_OK)
        return rc;
    struct pw_screen_scratch *s = res->scratch;
    s->n_cands = 0;
    rc = pw__query_info(q, &s->q);
    if (rc == PW_OK)
        rc = next_query(s);
    return rc == PW_OK ? document_hits(s, q) : rc;
}

pw_rc pw_screen_match(const pw_screen_index *ix, const pw_screen_query *q,
                      double threshold, size_t limit, pw_screen_results *res)
{
    pw_rc rc = begin(ix, q, threshold, limit, res);
    if (rc != PW_OK)
        return rc;
    struct pw_screen_scratch *s = res->scratch;

    if (s->q.has_name) {
        count_keys(s);
        size_t n = pick_best(s, min_count(s, threshold));
        res->n_candidates = n;
        for (size_t i = 0; i < n && rc == PW_OK; i++)
            rc = score_name(s, s->picked[i], threshold);
    }
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
            rc = score_name(s, (uint32_t)i, threshold);
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

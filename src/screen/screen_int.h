/* Private to the screening engine: the index layout shared by the index
 * builder, the scorer and the query code. */
#ifndef PW_SCREEN_INT_H
#define PW_SCREEN_INT_H

#include <stddef.h>
#include <stdint.h>

#include "identity/identity_int.h"
#include "paxwatch/identity.h"
#include "paxwatch/screen.h"

/* Names are kept as flat records, one after another in name_rec, so that
 * scoring a name reads one run of memory: the entry number, then the
 * name's index in its entry (upper 24 bits) and token count (lower 8),
 * then one token ref per token. name_off[n] is where name n starts. */
#define IX_REC_ENTRY 0
#define IX_REC_INFO 1
#define IX_REC_REFS 2

/* A name's shape, one byte: whether it has a one-letter token, and how
 * many others it has (up to 15). A query can tell from these alone that
 * a name cannot align a word it shares no key with, or must leave some
 * of its tokens unaligned. */
#define IX_SHAPE_INITIAL 0x80u
#define IX_SHAPE_PLAIN(b) ((unsigned)(b)&0x0Fu)

/* A token ref: the token number, an initial flag and the token's role in
 * the top two bits. */
#define IX_ROLE_SHIFT 30
#define IX_INITIAL_BIT (1u << 29)
#define IX_TOKEN_MASK ((1u << 29) - 1)

/* A key and where its ids start; the next entry's start is its end. */
typedef struct ix_key {
    uint32_t key, start;
} ix_key;

/* Keys (32-bit hashes) to sorted lists of ids: keys[] sorted (with an
 * end sentinel), dir[] giving for the top dir_bits bits of a key the
 * range of keys[] to search, a key or two: a lookup reads dir, one run
 * of keys and the ids. */
typedef struct ix_postings {
    ix_key *keys;
    uint32_t *ids;
    uint32_t *dir; /* (1 << dir_bits) + 1 */
    unsigned dir_bits;
    size_t n_keys, n_ids;
} ix_postings;

/* A token like another, and how alike (see pw__likes): the token
 * number, with the kind of likeness (pw__how_code) in the top bits. */
typedef struct ix_like {
    uint32_t tok;
    float sim;
} ix_like;

#define IX_HOW_SHIFT 29

/* An entry's birth date, sex and nationality as the qualifiers compare
 * them, read once when the index is built: scoring a name then reads
 * these 16 bytes, not the entry and the strings it points to. An entry
 * with more than one birth date or nationality is marked to be read. */
typedef struct ix_qual {
    int16_t y, to_y; /* to_y: the end of a range, 0 for a single date */
    uint8_t m, d;
    uint8_t date;     /* none, one (y, m, d, to_y), unreadable, see entry */
    uint8_t nat_kind; /* none, one (nat), see entry */
    char sex;         /* 'M', 'F' or 0 for neither */
    char nat[4];
} ix_qual;

/* The index's arrays mapped on their own (see pw__big_zalloc): at most
 * this many; past it, arrays are allocated as any other. */
#define IX_BIG_MAX 32

/* Distinct tokens are stored once: most names share their tokens with
 * many others, so keys lead to tokens, and tokens to names. */
struct pw_screen_index {
    pw_watchlist *const *lists;
    size_t n_lists;
    size_t *list_start; /* global number of each list's first entry */
    const pw_entry **entries;
    ix_qual *quals; /* per entry */
    size_t n_entries;
    uint32_t *name_off;        /* n_names + 1 starts in name_rec */
    uint32_t *name_rec;        /* the name records, see IX_REC_* */
    unsigned char *name_shape; /* per name: see IX_SHAPE_* */
    size_t n_names, n_skipped, n_rec;
    uint32_t *tok_off; /* token -> its packed strings in tok_pool */
    size_t n_tokens;
    unsigned char *tok_pool; /* text, variant, stem, phon; NUL-ended */
    size_t tok_pool_len;
    uint32_t *tok_names_start; /* token -> range of tok_names */
    uint32_t *tok_names;       /* name numbers, ascending per token */
    /* Of those, the names with a one-letter token (IX_SHAPE_INITIAL):
     * token t's from tok_init_start[t] to tok_init_start[t + 1]. */
    uint32_t *tok_init_start;
    uint32_t *tok_init;
    ix_postings by_key; /* token keys -> token numbers */
    /* Common token pairs -> the names holding both (see pw__pair_names):
     * a token is common when it is on pair_min names or more. */
    uint32_t pair_min;
    struct ix_pair *pair_tab; /* open addressing, pair_cap slots */
    size_t pair_cap, n_pair_ids;
    uint32_t *pair_ids; /* name numbers, ascending per pair */
    ix_postings by_doc; /* document numbers -> entry numbers */
    /* Per token, the tokens it reaches as a query word: likes from
     * like_start[t] to like_start[t + 1] (see pw__likes). */
    uint32_t *like_start;
    ix_like *likes;
    size_t n_likes;
    /* Distinct for every index built in the process: what a query's
     * scratch remembers of an index is kept only for that index, even
     * when another is later built at the same address. */
    uint64_t serial;
    void *big[IX_BIG_MAX];      /* arrays mapped on their own, and their */
    size_t big_len[IX_BIG_MAX]; /* mapped lengths */
    size_t n_big;
};

/* The qualifiers of a query, parsed once. */
typedef struct q_info {
    pw_name name;
    int has_name;
    int year, month, day; /* 0 when not given */
    char nat[4];          /* alpha-3 or as given, "" when absent */
    char sex;             /* 'M', 'F' or 0 */
} q_info;

/* A scored name, before explanation. */
typedef struct cand {
    uint32_t name; /* name number, or UINT32_MAX for a document hit */
    uint32_t entry;
    uint32_t place; /* the name's index in its entry; UINT32_MAX likewise */
    double score, name_score;
} cand;

uint32_t pw__key_hash(const char *s, size_t n, uint32_t seed);

/* size bytes of zeroes for an array that queries read at random: from
 * 4 MB up, mapped on their own and backed by huge pages where the
 * kernel allows (*mapped set to the mapped length), for with 4 KB pages
 * nearly every such read also misses the TLB, and on a virtual machine
 * a page walk reads two sets of tables; smaller, or where mapping fails,
 * calloc'd (*mapped 0). NULL when out of memory. Free with
 * pw__big_free(p, *mapped). */
void *pw__big_zalloc(size_t size, size_t *mapped);
void pw__big_free(void *p, size_t mapped);

/* Calls fn for each index key of token t (shared by index and query).
 * The keys cover every way pw_token_similarity finds two tokens alike
 * but by an initial: when neither token is one letter without an ICAO
 * variant and the kind is not "initial", a similarity above 0 implies a
 * shared key (checked by tests/unit/test_screen.c over generated pairs
 * with the scorer as the oracle). Initials get no keys. */
void pw__token_keys(const pw_name_token *t, void (*fn)(uint32_t key, void *arg),
                    void *arg);

/* The ids under key; *n set to their number (0 when absent). */
const uint32_t *pw__postings(const ix_postings *p, uint32_t key, size_t *n);

/* A pair of common tokens a < b and its run of pair_ids; a is
 * UINT32_MAX in an empty slot. */
typedef struct ix_pair {
    uint32_t a, b, start, n;
} ix_pair;

/* The names holding both common tokens t and u (t != u), once each and
 * ascending; NULL with *n 0 when none does. Only for tokens on
 * ix->pair_min names or more: every pair of them on a name is kept. */
const uint32_t *pw__pair_names(const pw_screen_index *ix, uint32_t t,
                               uint32_t u, size_t *n);

/* The number of the token whose five strings are those of w, or
 * UINT32_MAX when no listed token is spelt so. */
uint32_t pw__vocab_token(const pw_screen_index *ix, const pw__tok_view *w);

/* pw__vocab_token of each of the n words w (n at most
 * PW_NAME_MAX_TOKENS) into out[], UINT32_MAX for those whose bit is set
 * in skip: the words' lookups go step by step together, each step's
 * memory asked for, for every word, before any word takes it, so that
 * their cache misses overlap. */
void pw__vocab_tokens(const pw_screen_index *ix, const pw__tok_view *w,
                      size_t n, unsigned skip, uint32_t *out);

/* The tokens a query word spelt as token t (all five strings alike)
 * reaches: each token sharing one of its keys and at least PW__MIN_PAIR
 * alike (pw__token_similarity_view, the word first), once, in the order
 * the keys (pw__token_keys) and their lists give them; *n 0 when they
 * were not worked out (t is then searched as any other word; a word
 * always reaches its own token, so no list is empty otherwise). */
const ix_like *pw__likes(const pw_screen_index *ix, uint32_t t, size_t *n);

/* A view of token number t in place. */
void pw__token_view(const pw_screen_index *ix, uint32_t t, pw__tok_view *v);

/* Unpacks token number t (role not set). */
void pw__unpack_token(const pw_screen_index *ix, uint32_t t,
                      pw_name_token *out);

/* The record of name number n (see IX_REC_*). */
static inline const uint32_t *pw__name_rec(const pw_screen_index *ix,
                                           uint32_t n)
{
    return ix->name_rec + ix->name_off[n];
}

/* Unpacks the tokens of the name whose record is rec. */
void pw__unpack_name(const pw_screen_index *ix, const uint32_t *rec,
                     pw_name *out);

/* What the scorer needs of a token besides its similarities. */
typedef struct tok_meta {
    unsigned char role;    /* pw_name_role */
    unsigned char initial; /* one letter */
} tok_meta;

/* Name score, 0..1, from the similarity matrix sim (row i for query token
 * i, stride PW_NAME_MAX_TOKENS). */
double pw__align_score(const float *sim, const tok_meta *q, size_t nq,
                       const tok_meta *c, size_t nc);

/* Name score of query q against entry name c, 0..1; with parts when
 * parts is not NULL (at most cap, count in *n_parts). Equal to
 * pw__align_score over the same tokens. */
double pw__name_score(const pw_name *q, const pw_name *c, pw_expl_part *parts,
                      size_t cap, size_t *n_parts);

/* pw__name_score from the similarity matrix sim (stride
 * PW_NAME_MAX_TOKENS, each pw__token_similarity_view of the views qv[i]
 * and cv[j] as a float) and the tokens' metas and views; how, when not
 * NULL, holds the kinds of likeness known (pw__how_code, same stride, 0
 * where not known: worked out again). */
double pw__name_explain(const float *sim, const unsigned char *how,
                        const tok_meta *qm, const pw__tok_view *qv, size_t nq,
                        const tok_meta *cm, const pw__tok_view *cv, size_t nc,
                        pw_expl_part *parts, size_t cap, size_t *n_parts);

/* A kind of likeness that pw__token_similarity_view names, as a number
 * 1..7 (0 for one it does not name), and back (NULL for 0). */
unsigned pw__how_code(const char *how);
const char *pw__how_name(unsigned code);

/* The qualifiers' adjustment for entry e; appends parts when given. */
double pw__qualifiers(const q_info *q, const pw_entry *e, pw_expl_part *parts,
                      size_t cap, size_t *n_parts);

/* Token pairs less similar than this are not aligned. */
#define PW__MIN_PAIR 0.70

/* The most the qualifiers can add: names scoring below threshold minus
 * this cannot become hits. */
#define PW_QUALIFIER_MAX_BONUS 0.11

PW_MUST_CHECK pw_rc pw__query_info(const pw_screen_query *q, q_info *out);

void pw__qual_of(const pw_entry *e, ix_qual *out);

/* pw__qualifiers(q, *e, NULL, 0, NULL) from p = pw__qual_of(*e), the
 * same value; e is read only when p says so. */
double pw__qualifiers_packed(const q_info *q, const ix_qual *p,
                             const pw_entry *const *e);

/* The most the qualifiers can add for q against any entry: what they add
 * for an entry that agrees with q on everything q gives (computed with
 * pw__qualifiers itself, so it follows the weights). At most
 * PW_QUALIFIER_MAX_BONUS. */
double pw__qualifiers_max(const q_info *q);

/* The list name of global entry number e. */
const char *pw__entry_list(const pw_screen_index *ix, uint32_t e);

#endif

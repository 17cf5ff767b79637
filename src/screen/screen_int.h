/* Private to the screening engine: the index layout shared by the index
 * builder, the scorer and the query code. */
#ifndef PW_SCREEN_INT_H
#define PW_SCREEN_INT_H

#include <stddef.h>
#include <stdint.h>

#include "identity/identity_int.h"
#include "paxwatch/identity.h"
#include "paxwatch/screen.h"

/* One indexed name of an entry; its tokens are refs in name_toks. */
typedef struct ix_name {
    uint32_t entry;    /* global entry number */
    uint32_t tok_off;  /* first of its refs in name_toks */
    uint16_t name_idx; /* index in the entry's names */
    uint8_t n_tok;
    uint8_t pad;
} ix_name;

/* A token ref: a token number and, in the top bits, its role. */
#define IX_ROLE_SHIFT 30
#define IX_TOKEN_MASK ((1u << IX_ROLE_SHIFT) - 1)

/* Keys (32-bit hashes) to sorted lists of ids: keys[] sorted, dir[] gives
 * for each top 16 bits the range of keys[] to search. */
typedef struct ix_postings {
    uint32_t *keys;
    uint32_t *starts; /* n_keys + 1 */
    uint32_t *ids;
    size_t n_keys, n_ids;
    uint32_t dir[65537];
} ix_postings;

/* Distinct tokens are stored once: most names share their tokens with
 * many others, so keys lead to tokens, and tokens to names. */
struct pw_screen_index {
    pw_watchlist *const *lists;
    size_t n_lists;
    size_t *list_start; /* global number of each list's first entry */
    const pw_entry **entries;
    size_t n_entries;
    ix_name *names;
    size_t n_names, n_skipped;
    uint32_t *name_toks; /* token refs of all names */
    size_t n_name_toks;
    uint32_t *tok_off; /* token -> its packed strings in tok_pool */
    size_t n_tokens;
    unsigned char *tok_pool; /* text, variant, stem, phon; NUL-ended */
    size_t tok_pool_len;
    uint32_t *tok_names_start; /* token -> range of tok_names */
    uint32_t *tok_names;       /* name numbers, ascending per token */
    ix_postings by_key;        /* name keys -> token numbers */
    ix_postings by_doc;        /* document numbers -> entry numbers */
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
    uint32_t name; /* ix_name number, or UINT32_MAX for a document hit */
    uint32_t entry;
    double score, name_score;
} cand;

uint32_t pw__key_hash(const char *s, size_t n, uint32_t seed);

/* Calls fn for each index key of token t (shared by index and query). */
void pw__token_keys(const pw_name_token *t, void (*fn)(uint32_t key, void *arg),
                    void *arg);

/* The ids under key; *n set to their number (0 when absent). */
const uint32_t *pw__postings(const ix_postings *p, uint32_t key, size_t *n);

/* A view of token number t in place. */
void pw__token_view(const pw_screen_index *ix, uint32_t t, pw__tok_view *v);

/* Unpacks token number t (role not set). */
void pw__unpack_token(const pw_screen_index *ix, uint32_t t,
                      pw_name_token *out);

/* Unpacks the tokens of name nm. */
void pw__unpack_name(const pw_screen_index *ix, const ix_name *nm,
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

/* The qualifiers' adjustment for entry e; appends parts when given. */
double pw__qualifiers(const q_info *q, const pw_entry *e, pw_expl_part *parts,
                      size_t cap, size_t *n_parts);

/* Token pairs less similar than this are not aligned. */
#define PW__MIN_PAIR 0.70

/* The most the qualifiers can add: names scoring below threshold minus
 * this cannot become hits. */
#define PW_QUALIFIER_MAX_BONUS 0.11

PW_MUST_CHECK pw_rc pw__query_info(const pw_screen_query *q, q_info *out);

/* The list name of global entry number e. */
const char *pw__entry_list(const pw_screen_index *ix, uint32_t e);

#endif

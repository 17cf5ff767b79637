/* paxwatch screening: a candidate index over watchlists and the scorer
 * that says how well a traveller matches an entry, and why. */
#ifndef PAXWATCH_SCREEN_H
#define PAXWATCH_SCREEN_H

#include <stddef.h>

#include "paxwatch/error.h"
#include "paxwatch/watchlist.h"

/* The threshold recommended for border use (see docs/matching.md): high
 * recall for transliterated and misspelt names at a few false alarms per
 * thousand travellers. */
#define PW_SCREEN_DEFAULT_THRESHOLD 0.80
#define PW_SCREEN_DEFAULT_LIMIT 10
#define PW_SCREEN_MAX_LIMIT 1000

/* A built index. Read-only once built: any number of threads may query
 * it at once, each with its own pw_screen_results. */
typedef struct pw_screen_index pw_screen_index;

/* Builds an index over n_lists lists. The index borrows the lists: they
 * must outlive it and must not change. Names that cannot be normalised
 * are skipped (counted by pw_screen_index_stats). Returns PW_OK with *out
 * set, PW_ERR_NOMEM, PW_ERR_LIMIT past 2^31 names, PW_ERR_INVALID for NULL
 * arguments. Free with pw_screen_index_free. */
PW_MUST_CHECK pw_rc pw_screen_index_build(pw_watchlist *const *lists,
                                          size_t n_lists,
                                          pw_screen_index **out);

void pw_screen_index_free(pw_screen_index *ix);

typedef struct pw_screen_stats {
    size_t n_entries, n_names, n_skipped_names, n_keys, n_postings;
    size_t bytes; /* memory the index holds, the lists not counted */
} pw_screen_stats;

void pw_screen_index_stats(const pw_screen_index *ix, pw_screen_stats *st);

typedef struct pw_screen_document {
    const char *type;   /* may be NULL */
    const char *number; /* as given; normalised before comparison */
    const char *issuer; /* alpha-2 or alpha-3, may be NULL */
} pw_screen_document;

/* A traveller to screen. Give surname and/or given_names, or name (used
 * when both parts are NULL). Other fields may be NULL. birth_date is
 * YYYY, YYYY-MM or YYYY-MM-DD; nationality alpha-2 or alpha-3; sex M/F. */
typedef struct pw_screen_query {
    const char *surname;
    const char *given_names;
    const char *name;
    const char *birth_date;
    const char *nationality;
    const char *sex;
    const pw_screen_document *documents;
    size_t n_documents;
} pw_screen_query;

/* The kinds of explanation parts. */
typedef enum pw_expl_kind {
    PW_EXPL_TOKEN = 1,     /* a query token aligned with an entry token */
    PW_EXPL_MISSING_QUERY, /* a query token the entry name lacks */
    PW_EXPL_MISSING_ENTRY, /* an entry token the traveller lacks */
    PW_EXPL_BIRTH_DATE,
    PW_EXPL_SEX,
    PW_EXPL_NATIONALITY,
    PW_EXPL_DOCUMENT
} pw_expl_kind;

/* One part of a score. For PW_EXPL_TOKEN, how is "exact", "variant",
 * "phonetic", "fuzzy", "initial" or "particle"; for a birth date "exact",
 * "swapped", "same_year", "near", "conflict" or "absent"; for sex and
 * nationality "match", "conflict" or "absent"; for a document "exact".
 * effect is what the part added to (or, negative, took from) the score;
 * for tokens, similarity is the pair's similarity and effect its share
 * of the name score. */
typedef struct pw_expl_part {
    pw_expl_kind kind;
    char query[48];
    char entry[48];
    const char *how; /* static string */
    double similarity;
    double effect;
} pw_expl_part;

#define PW_EXPL_MAX 40

/* One hit. Pointers point into the index and its lists. */
typedef struct pw_screen_hit {
    const char *list; /* the list's name */
    const char *id;   /* the entry's own reference */
    const pw_entry *entry;
    const char *name;  /* the entry name that matched, as listed */
    double score;      /* 0..1, final */
    double name_score; /* 0..1, before the qualifiers */
    pw_expl_part parts[PW_EXPL_MAX];
    size_t n_parts;
} pw_screen_hit;

/* Results of one query, best first; also the per-caller scratch that
 * makes queries thread-safe. Zero-initialise; reuse across queries from
 * one thread; free with pw_screen_results_free. */
typedef struct pw_screen_results {
    pw_screen_hit *hits;
    size_t n;
    size_t n_candidates; /* names scored in full */
    /* 1 when the index could not promise every hit: the query had no
     * word a hit must share (only initials, or a threshold so low that
     * initials alone reach it) and more candidates than the index scores
     * in that case, or candidates it cannot find by words. 0 otherwise;
     * always 0 for the full scan. */
    int partial;
    size_t cap;
    struct pw_screen_scratch *scratch;
} pw_screen_results;

/* Screens q against ix: every entry whose best name scores >= threshold
 * (0..1), at most limit hits (1..PW_SCREEN_MAX_LIMIT), best first, one hit
 * per entry. The hits are those of pw_screen_match_scan (ties at the
 * limit aside) unless res->partial is set on return. A document number found on
 * an entry (after normalisation, issuer compared when both sides give one) is a
 * hit whatever the names. Returns PW_OK (res->n may be 0), PW_ERR_INVALID for a
 * bad argument, PW_ERR_LIMIT for a name over PW_NAME_MAX_BYTES, PW_ERR_SYNTAX
 * for a name that is not UTF-8, PW_ERR_NOMEM. */
PW_MUST_CHECK pw_rc pw_screen_match(const pw_screen_index *ix,
                                    const pw_screen_query *q, double threshold,
                                    size_t limit, pw_screen_results *res);

/* As pw_screen_match, scoring every name of every list instead of asking
 * the index for candidates: slow, the reference that measures the
 * index's recall. */
PW_MUST_CHECK pw_rc pw_screen_match_scan(const pw_screen_index *ix,
                                         const pw_screen_query *q,
                                         double threshold, size_t limit,
                                         pw_screen_results *res);

void pw_screen_results_free(pw_screen_results *res);

/* The explanation of hit as JSON text: {"name_score":..,"parts":[{"kind":
 * "token","query":"MOHAMMED","entry":"MUHAMMAD","how":"phonetic",
 * "similarity":0.94,"effect":0.31}, ...]}. The caller frees the result
 * with free(); NULL when out of memory. */
char *pw_screen_explain_json(const pw_screen_hit *hit);

#endif

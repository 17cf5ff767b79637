/* paxwatch rules: the risk-rule language analysts write, checked,
 * compiled and indexed once, then evaluated against many travellers. */
#ifndef PAXWATCH_RULES_H
#define PAXWATCH_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "paxwatch/booking.h"
#include "paxwatch/error.h"
#include "paxwatch/model.h"

/* Hard limits on what one rule text may make the compiler hold. */
#define PW_RULES_MAX_TEXT ((size_t)4 * 1024 * 1024) /* bytes of text */
#define PW_RULES_MAX_RULES 100000
#define PW_RULES_MAX_DEPTH 64        /* nesting of parentheses and not */
#define PW_RULES_MAX_STRING 1024     /* bytes of one string constant */
#define PW_RULES_MAX_REGEX 256       /* bytes of one regex pattern */
#define PW_RULES_MAX_REGEX_INPUT 512 /* bytes of a value a regex reads */
#define PW_RULES_MAX_IN 10000        /* values in one in (...) list */
#define PW_RULES_MAX_PROBLEMS 100    /* problems kept per compilation */

typedef enum pw_rule_severity {
    PW_RULE_LOW = 1,
    PW_RULE_MEDIUM,
    PW_RULE_HIGH,
    PW_RULE_CRITICAL
} pw_rule_severity;

/* "low", "medium", "high", "critical"; "unknown" otherwise. */
const char *pw_rule_severity_name(pw_rule_severity s);

/* Why a rule text was refused. */
typedef enum pw_rule_problem_kind {
    PW_RULE_SYNTAX = 1,     /* the text cannot be read as rules */
    PW_RULE_UNKNOWN_FIELD,  /* a field the schema does not have */
    PW_RULE_TYPE,           /* a value of the wrong kind for its field */
    PW_RULE_IMPOSSIBLE,     /* a condition no traveller can satisfy */
    PW_RULE_BAD_REGEX,      /* a pattern that does not compile */
    PW_RULE_PROTECTED,      /* uses a protected characteristic */
    PW_RULE_DISCRIMINATORY, /* only nationality, sex or birth place */
    PW_RULE_LIMIT           /* over one of the PW_RULES_MAX limits */
} pw_rule_problem_kind;

/* "syntax", "unknown field", "type", "impossible", "regex",
 * "protected characteristic", "discriminatory", "limit". */
const char *pw_rule_problem_kind_name(pw_rule_problem_kind k);

/* One refusal: where (line and column from 1, byte offset from 0 in the
 * text), in which rule (its name, "" before the first), and why. */
typedef struct pw_rule_problem {
    pw_rule_problem_kind kind;
    unsigned line, column;
    size_t offset;
    char rule[96];
    char message[256];
} pw_rule_problem;

/* The problems of one compilation. Zero-initialise; at most
 * PW_RULES_MAX_PROBLEMS are kept (the rest counted in n_dropped). */
typedef struct pw_rule_problems {
    pw_rule_problem *items;
    size_t n, cap, n_dropped;
} pw_rule_problems;

/* Frees the entries; the list may be reused. NULL is fine. */
void pw_rule_problems_clear(pw_rule_problems *p);

/* A compiled, indexed, immutable set of rules. Once made it may be
 * evaluated from several threads at once, each with its own
 * pw_rule_hits. */
typedef struct pw_ruleset pw_ruleset;

/* Reads, checks and compiles len bytes of rule text (UTF-8; need not
 * be NUL-terminated; not referenced after the call). The whole text is
 * refused when any rule in it is: then the return is PW_ERR_SYNTAX
 * (cannot be read) or PW_ERR_INVALID (read, but the checker refused a
 * rule), PW_ERR_LIMIT when over a PW_RULES_MAX limit, and every problem
 * is appended to problems (may be NULL). With out NULL the text is only
 * checked. On PW_OK *out (when out is not NULL) holds the set, freed
 * with pw_ruleset_free. PW_ERR_NOMEM on allocation failure. */
PW_MUST_CHECK pw_rc pw_rules_compile(const char *text, size_t len,
                                     pw_ruleset **out,
                                     pw_rule_problems *problems);

/* Frees a set; NULL is fine. */
void pw_ruleset_free(pw_ruleset *rs);

/* What an analyst wrote about rule i (from 0, in text order). */
typedef struct pw_rule_info {
    const char *name;
    const char *category;      /* "" when not given */
    const char *description;   /* "" when not given */
    pw_rule_severity severity; /* medium when not given */
    unsigned line;             /* where its `rule` keyword is */
    int indexed;               /* 1 when the index narrows it down */
} pw_rule_info;

size_t pw_ruleset_count(const pw_ruleset *rs);

/* Fills info for rule i; PW_ERR_NOTFOUND when i is out of range. The
 * strings live as long as rs. */
PW_MUST_CHECK pw_rc pw_ruleset_info(const pw_ruleset *rs, size_t i,
                                    pw_rule_info *info);

/* Whom a rule is evaluated for: a traveller on a movement, and the
 * booking that traveller is on when known. The caller fills it and
 * owns everything it points to. */
typedef struct pw_rule_subject {
    const pw_traveller *traveller; /* required */
    const pw_movement *movement;   /* required */
    const pw_booking *booking;     /* NULL when no PNR is known */
    int booking_traveller;         /* index in booking->travellers, or
                                      -1: payments, seats, bags etc. of
                                      the whole booking are used */
} pw_rule_subject;

/* A history condition handed to the caller: `count of earlier movements
 * where COND within N days`. */
typedef struct pw_rule_history pw_rule_history;
struct pw_rule_context;

/* The window of h in seconds before the subject's departure. */
int64_t pw_rule_history_window(const pw_rule_history *h);

/* 1 when the earlier subject `earlier` satisfies h's condition (always
 * 1 when it has none), 0 when not. ctx's callbacks are used for lists;
 * history is not nested. */
int pw_rule_history_match(const pw_rule_history *h,
                          const pw_rule_subject *earlier,
                          const struct pw_rule_context *ctx);

/* What the caller provides for evaluation. Both callbacks may be NULL:
 * then `in list` is false for every value and history counts are 0. */
typedef struct pw_rule_context {
    /* 1 when value (len bytes, not NUL-terminated) is on the list
     * called name, else 0. */
    int (*in_list)(void *user, const char *name, const char *value, size_t len);
    /* How many earlier movements of s's traveller, within the window
     * of h before s's departure, satisfy h (see
     * pw_rule_history_match); negative when unknown (the condition is
     * then false). */
    long (*history_count)(void *user, const pw_rule_subject *s,
                          const pw_rule_history *h);
    void *user;
} pw_rule_context;

/* Why a rule fired: one value that made a condition true. */
typedef struct pw_rule_reason {
    const char *field; /* "booking.payment.type"; static storage */
    char value[112];   /* the subject's value, as text, cut to fit */
} pw_rule_reason;

typedef struct pw_rule_hit {
    size_t rule;         /* index in the set */
    size_t first_reason; /* into pw_rule_hits.reasons */
    size_t n_reasons;
} pw_rule_hit;

/* The rules one subject fired, with their reasons, and the scratch
 * space evaluation needs. Zero-initialise; reuse across subjects;
 * free with pw_rule_hits_free. */
typedef struct pw_rule_hits {
    pw_rule_hit *items;
    size_t n, cap;
    pw_rule_reason *reasons;
    size_t n_reasons, cap_reasons;
    uint32_t *scratch; /* candidate rules */
    size_t n_scratch, scratch_cap;
    uint32_t *seen;
    size_t seen_cap;
    uint32_t stamp;
} pw_rule_hits;

void pw_rule_hits_free(pw_rule_hits *h);

/* Evaluates every rule of rs that can apply to s (through the index)
 * and replaces the contents of hits with those that fired, in rule
 * order, each with its reasons. ctx may be NULL. PW_ERR_INVALID when s
 * lacks its traveller or movement, PW_ERR_NOMEM on allocation failure
 * (hits then holds what was found so far). */
PW_MUST_CHECK pw_rc pw_rules_eval(const pw_ruleset *rs,
                                  const pw_rule_subject *s,
                                  const pw_rule_context *ctx,
                                  pw_rule_hits *hits);

/* As pw_rules_eval but evaluating every rule, without the index: the
 * reference the index is tested against. */
PW_MUST_CHECK pw_rc pw_rules_eval_all(const pw_ruleset *rs,
                                      const pw_rule_subject *s,
                                      const pw_rule_context *ctx,
                                      pw_rule_hits *hits);

/* The fields a rule may use, for documentation and editors: entry i
 * (from 0) of the schema, NULL past the end. *type receives "text",
 * "number", "date", "duration" or "boolean"; *many 1 for a field over
 * a collection (true when any element satisfies the condition). */
const char *pw_rule_field_name(size_t i, const char **type, int *many);

#endif

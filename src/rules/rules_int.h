/* Private shapes of the rule language shared by its lexer, parser,
 * checker, compiler and evaluator. */
#ifndef PW_RULES_INT_H
#define PW_RULES_INT_H

#include <regex.h>
#include <stddef.h>
#include <stdint.h>

#include "paxwatch/arena.h"
#include "paxwatch/rules.h"

/* Kinds of value a field holds or a constant is. */
enum { VT_TEXT = 1, VT_NUMBER, VT_DATE, VT_DURATION, VT_BOOL };

enum {
    TK_EOF,
    TK_WORD,
    TK_STRING,
    TK_NUMBER,
    TK_DATE,
    TK_LPAREN,
    TK_RPAREN,
    TK_COMMA,
    TK_OP
};

/* Comparison operators, and the other tests a condition can make. */
enum {
    OP_EQ = 1,
    OP_NE,
    OP_LT,
    OP_LE,
    OP_GT,
    OP_GE,
    OP_IN,
    OP_IN_LIST,
    OP_BETWEEN,
    OP_CONTAINS,
    OP_STARTS,
    OP_ENDS,
    OP_MATCHES,
    OP_EMPTY
};

enum { Q_ANY = 0, Q_ALL, Q_NONE };

enum { N_AND = 1, N_OR, N_NOT, N_CMP, N_HISTORY };

/* Field flags. */
#define F_DISCRIM 1u   /* worth indexing rules by */
#define F_PROTECTED 2u /* reveals a protected characteristic */
#define F_TRAIT 4u     /* nationality, sex, birth place: not alone */

typedef struct rl_pos {
    unsigned line, column;
    size_t offset;
} rl_pos;

typedef struct rl_token {
    int kind, op;
    const char *p; /* the token's text in the input */
    size_t len;
    rl_pos pos;
    double num;
    int64_t time;  /* TK_DATE: seconds since 1970 UTC */
    int date_only; /* TK_DATE without a time of day */
} rl_token;

typedef struct rl_lexer {
    const char *text;
    size_t len, at;
    unsigned line;
    size_t line_start;
    char err[160];
} rl_lexer;

/* One value of a subject's field, or a constant. Text is not
 * NUL-terminated; for constants it is folded to upper case. */
typedef struct rl_value {
    int type;
    const char *s;
    size_t len;
    double num;
    int64_t t; /* VT_DATE and VT_DURATION: seconds */
} rl_value;

typedef struct rl_field {
    const char *name;
    int type, many;
    unsigned flags;
    /* number of elements (1 for a single-valued field) */
    size_t (*count)(const pw_rule_subject *s);
    /* element i into *v: 1 when present, 0 when not sent */
    int (*get)(const pw_rule_subject *s, size_t i, rl_value *v);
    const char *why; /* F_PROTECTED: what it reveals */
} rl_field;

typedef struct rl_node rl_node;
struct rl_node {
    /* what evaluation reads first */
    int kind;
    int op, quant, negate; /* negate: not in, not between, is not */
    const rl_field *field;
    rl_node *a, *b; /* N_AND, N_OR: both; N_NOT, N_HISTORY: a */
    rl_value k1, k2; /* constant, and the upper end of between */
    const rl_field *rhs; /* a field on the right, single-valued */
    rl_value *set;       /* OP_IN: sorted, folded */
    size_t n_set;
    const char *list; /* OP_IN_LIST */
    regex_t *re;
    /* N_HISTORY: count of earlier movements where a, within window */
    int64_t window;
    int hop;
    double count;
    /* for the checker's messages */
    rl_pos pos, field_pos, k_pos;
    const char *field_name, *rhs_name;
    int k_is_text; /* the constant was written as a string */
};

struct pw_rule_history {
    const rl_node *node;
};

typedef struct rl_rule {
    pw_rule_info info;
    rl_node *cond;
    rl_pos pos;
    const rl_field *ix_field; /* NULL: evaluated for every subject */
    const rl_node *ix_node;
} rl_rule;

typedef struct rl_slot {
    const rl_field *field;
    const char *key; /* folded, NUL-terminated */
    size_t len;
    uint32_t *rules;
    size_t n, cap;
} rl_slot;

struct pw_ruleset {
    pw_arena arena;
    rl_rule *rules;
    size_t n;
    regex_t **regexes;
    size_t n_regexes;
    /* index: (field, value) -> rules; rules always evaluated */
    rl_slot *slots;
    size_t n_slots, used_slots;
    const rl_field **ix_fields;
    size_t n_ix_fields;
    uint32_t *always;
    size_t n_always;
};

/* The parser's output before checking. */
typedef struct rl_parsed {
    rl_rule *rules;
    size_t n, cap;
} rl_parsed;

/* lexer.c */
void rl_lex_init(rl_lexer *lx, const char *text, size_t len);
int rl_lex_next(rl_lexer *lx, rl_token *t); /* 0 on a lexical error */
int rl_word_is(const rl_token *t, const char *w);

/* values.c */
int rl_parse_time(const char *s, size_t n, int64_t *t, int *date_only);
int64_t rl_days_from_civil(int y, unsigned m, unsigned d);
void rl_fold(char *s, size_t n);
int rl_text_cmp(const char *a, size_t an, const char *b, size_t bn);
int rl_text_contains(const char *h, size_t hn, const char *k, size_t kn);
size_t rl_value_text(const rl_value *v, char *buf, size_t cap);

/* problems */
PW_MUST_CHECK pw_rc rl_problem(pw_rule_problems *p, pw_rule_problem_kind k,
                               rl_pos pos, const char *rule, const char *fmt,
                               ...) __attribute__((format(printf, 5, 6)));

/* parser.c: 0 on success, else the pw_rc */
PW_MUST_CHECK pw_rc rl_parse(const char *text, size_t len, pw_arena *a,
                             rl_parsed *out, pw_rule_problems *p);

/* fields.c */
const rl_field *rl_field_find(const char *name);
const char *rl_protected_name(const char *name);
const char *rl_protected_word(const char *s, size_t n);
const char *rl_type_name(int type);
#define RL_MAX_FIELDS 96
size_t rl_field_id(const rl_field *f);

/* checker.c: number of problems found in r */
PW_MUST_CHECK pw_rc rl_check(rl_rule *r, pw_rule_problems *p, size_t *n_found);

/* compile.c */
PW_MUST_CHECK pw_rc rl_compile(pw_ruleset *rs, rl_rule *r, pw_rule_problems *p,
                               size_t *n_found);
PW_MUST_CHECK pw_rc rl_index_build(pw_ruleset *rs);
void rl_index_free(pw_ruleset *rs);
PW_MUST_CHECK pw_rc rl_candidates(const pw_ruleset *rs,
                                  const pw_rule_subject *s, pw_rule_hits *h);

/* eval.c: single-valued fields are read once per subject */
typedef struct rl_cache {
    unsigned char state[RL_MAX_FIELDS]; /* 0 not read, 1 sent, 2 not */
    rl_value v[RL_MAX_FIELDS];
} rl_cache;

typedef struct rl_eval {
    const pw_rule_subject *s;
    const pw_rule_context *ctx;
    pw_rule_hits *hits; /* NULL: no reasons recorded */
    int nomem;
    rl_cache *cache; /* NULL: read every time */
} rl_eval;
int rl_eval_node(const rl_node *n, rl_eval *e);

#endif

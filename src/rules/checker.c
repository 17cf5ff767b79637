/* The rule checker: refuses unknown fields, type errors, impossible
 * conditions, bad patterns and protected characteristics, each with
 * its line and column, before a rule can be compiled. */
#include <string.h>
#include <strings.h>

#include "rules/rules_int.h"

typedef struct checker {
    rl_rule *r;
    pw_rule_problems *p;
    size_t found;
    pw_rc rc;
    int in_history;
} checker;

#define REPORT(c, kind, pos, ...)                                              \
    do {                                                                       \
        (c)->found++;                                                          \
        if (rl_problem((c)->p, kind, pos, (c)->r->info.name, __VA_ARGS__) !=   \
            PW_OK)                                                             \
            (c)->rc = PW_ERR_NOMEM;                                            \
    } while (0)

/* Resolves name, reporting protected and unknown fields. */
static const rl_field *resolve(checker *c, const char *name, rl_pos pos)
{
    const char *why = rl_protected_name(name);
    const rl_field *f;

    if (why) {
        REPORT(c, PW_RULE_PROTECTED, pos, "field '%s' may not be used: it %s",
               name, why);
        return NULL;
    }
    if (!(f = rl_field_find(name)))
        REPORT(c, PW_RULE_UNKNOWN_FIELD, pos,
               "unknown field '%s' (see docs/rules.md for the fields)", name);
    return f;
}

static void check_word(checker *c, const rl_value *v, rl_pos pos)
{
    const char *w;

    if (v->type != VT_TEXT || !(w = rl_protected_word(v->s, v->len)))
        return;
    REPORT(c, PW_RULE_PROTECTED, pos,
           "the value \"%.40s\" names a protected characteristic (%s): "
           "religion, ethnic origin, health or sex life may not be used",
           v->s, w);
}

/* Makes constant v fit field type ft, or reports why it cannot. */
static int coerce(checker *c, const rl_node *n, rl_value *v, int ft)
{
    int date_only;

    check_word(c, v, n->k_pos);
    if (v->type == ft)
        return 1;
    if (ft == VT_DATE && v->type == VT_TEXT) {
        if (rl_parse_time(v->s, v->len, &v->t, &date_only)) {
            v->type = VT_DATE;
            return 1;
        }
        REPORT(c, PW_RULE_TYPE, n->k_pos,
               "\"%.40s\" is not a date: '%s' is a date (write 2026-01-31 "
               "or 2026-01-31T10:00)",
               v->s, n->field_name);
        return 0;
    }
    if (ft == VT_DURATION && v->type == VT_NUMBER) {
        REPORT(c, PW_RULE_TYPE, n->k_pos,
               "'%s' is a duration: give a unit, e.g. 12 hours or 3 days",
               n->field_name);
        return 0;
    }
    REPORT(c, PW_RULE_TYPE, n->k_pos,
           "'%s' is %s and cannot be compared with %s", n->field_name,
           rl_type_name(ft), rl_type_name(v->type));
    return 0;
}

static int ordered(int type)
{
    return type == VT_NUMBER || type == VT_DATE || type == VT_DURATION;
}

static double key(const rl_value *v)
{
    return v->type == VT_NUMBER ? v->num : (double)v->t;
}

static void check_rhs_field(checker *c, rl_node *n)
{
    n->rhs = resolve(c, n->rhs_name, n->k_pos);
    if (!n->rhs)
        return;
    if (n->rhs->many)
        REPORT(c, PW_RULE_TYPE, n->k_pos,
               "'%s' has several values; compare with a single-valued "
               "field such as movement.departure",
               n->rhs_name);
    else if (n->rhs->type != n->field->type)
        REPORT(c, PW_RULE_TYPE, n->k_pos, "'%s' is %s and '%s' is %s",
               n->field_name, rl_type_name(n->field->type), n->rhs_name,
               rl_type_name(n->rhs->type));
}

static void check_regex(checker *c, rl_node *n)
{
    regex_t re;

    if (n->k1.len > PW_RULES_MAX_REGEX) {
        REPORT(c, PW_RULE_LIMIT, n->k_pos, "pattern longer than %d bytes",
               PW_RULES_MAX_REGEX);
        return;
    }
    /* glibc matches back-references by backtracking, which can take
     * exponential time; POSIX ERE does not have them anyway */
    for (size_t i = 0; i + 1 < n->k1.len; i++)
        if (n->k1.s[i] == '\\' && n->k1.s[i + 1] >= '1' &&
            n->k1.s[i + 1] <= '9') {
            REPORT(c, PW_RULE_BAD_REGEX, n->k_pos,
                   "back-references (\\1 ...) are not allowed in patterns");
            return;
        }
    if (regcomp(&re, n->k1.s, REG_EXTENDED | REG_ICASE | REG_NOSUB) != 0) {
        REPORT(c, PW_RULE_BAD_REGEX, n->k_pos,
               "the pattern \"%.60s\" is not a valid POSIX extended "
               "regular expression",
               n->k1.s);
        return;
    }
    regfree(&re);
}

static void check_ops(checker *c, rl_node *n)
{
    int ft = n->field->type;

    if (n->op == OP_EMPTY)
        return;
    if (n->op >= OP_IN_LIST && n->op != OP_BETWEEN && ft != VT_TEXT) {
        REPORT(c, PW_RULE_TYPE, n->pos,
               "'%s' is %s: this operator works on text", n->field_name,
               rl_type_name(ft));
        return;
    }
    if (n->op == OP_IN_LIST)
        return;
    if (n->op == OP_IN) {
        for (size_t i = 0; i < n->n_set; i++)
            coerce(c, n, &n->set[i], ft);
        return;
    }
    if ((n->op >= OP_LT && n->op <= OP_GE) || n->op == OP_BETWEEN) {
        if (!ordered(ft)) {
            REPORT(c, PW_RULE_TYPE, n->pos,
                   "'%s' is %s and has no order: use =, in, contains, "
                   "starts with or matches",
                   n->field_name, rl_type_name(ft));
            return;
        }
    }
    if (n->rhs_name) {
        check_rhs_field(c, n);
        return;
    }
    if (!coerce(c, n, &n->k1, ft))
        return;
    if (n->op == OP_MATCHES)
        check_regex(c, n);
    if (n->op == OP_BETWEEN && coerce(c, n, &n->k2, ft) &&
        key(&n->k1) > key(&n->k2))
        REPORT(c, PW_RULE_IMPOSSIBLE, n->k_pos,
               "between: the lower end comes first; nothing lies between "
               "a larger and a smaller value");
}

static void check_node(checker *c, rl_node *n);

static void check_history(checker *c, rl_node *n)
{
    if (c->in_history) {
        REPORT(c, PW_RULE_SYNTAX, n->pos,
               "a history count cannot be nested in another");
        return;
    }
    c->in_history = 1;
    if (n->a)
        check_node(c, n->a);
    c->in_history = 0;
}

static void check_node(checker *c, rl_node *n)
{
    switch (n->kind) {
    case N_AND:
    case N_OR:
        check_node(c, n->a);
        check_node(c, n->b);
        return;
    case N_NOT:
        check_node(c, n->a);
        return;
    case N_HISTORY:
        check_history(c, n);
        return;
    }
    n->field = resolve(c, n->field_name, n->field_pos);
    if (n->field)
        check_ops(c, n);
}

/* The bounds a conjunction puts on one single-valued field. */
typedef struct bounds {
    const rl_field *field;
    double lo, hi;
    int lo_strict, hi_strict, has_lo, has_hi;
    const rl_value *eq; /* a text or boolean `=` constant */
} bounds;

static void tighten(bounds *b, int op, double x)
{
    int strict = op == OP_GT || op == OP_LT;

    if (op == OP_GT || op == OP_GE || op == OP_EQ) {
        if (!b->has_lo || x > b->lo)
            b->lo_strict = strict;
        else if (x == b->lo)
            b->lo_strict |= strict;
        if (!b->has_lo || x > b->lo)
            b->lo = x;
        b->has_lo = 1;
    }
    if (op == OP_LT || op == OP_LE || op == OP_EQ) {
        if (!b->has_hi || x < b->hi)
            b->hi_strict = strict;
        else if (x == b->hi)
            b->hi_strict |= strict;
        if (!b->has_hi || x < b->hi)
            b->hi = x;
        b->has_hi = 1;
    }
}

static int empty_range(const bounds *b)
{
    if (!b->has_lo || !b->has_hi)
        return 0;
    return b->lo > b->hi || (b->lo == b->hi && (b->lo_strict || b->hi_strict));
}

static int same_const(const rl_value *a, const rl_value *b)
{
    if (a->type != b->type)
        return 0;
    if (a->type == VT_TEXT)
        return a->len == b->len && !strncasecmp(a->s, b->s, a->len);
    return a->num == b->num;
}

/* Whether leaf n contradicts what b already holds, then adds it. */
static int add_leaf(bounds *b, const rl_node *n)
{
    int ft = n->field->type;

    if (n->op == OP_BETWEEN && !n->negate) {
        tighten(b, OP_GE, key(&n->k1));
        tighten(b, OP_LE, key(&n->k2));
    } else if (ordered(ft) && n->op >= OP_EQ && n->op <= OP_GE &&
               n->op != OP_NE) {
        tighten(b, n->op, key(&n->k1));
    } else if (n->op == OP_EQ) {
        if (b->eq && !same_const(b->eq, &n->k1))
            return 1;
        b->eq = &n->k1;
    }
    return empty_range(b);
}

static int usable_leaf(const rl_node *n)
{
    return n->kind == N_CMP && n->field && !n->field->many && !n->rhs_name &&
           !n->negate && n->k1.type == n->field->type &&
           (n->op != OP_BETWEEN || n->k2.type == n->field->type);
}

/* Leaves of the and-chain at n, stopping at or, not and history. */
static void collect(rl_node *n, rl_node **leaves, size_t *k, size_t cap)
{
    if (n->kind == N_AND) {
        collect(n->a, leaves, k, cap);
        collect(n->b, leaves, k, cap);
    } else if (*k < cap) {
        leaves[(*k)++] = n;
    }
}

static void check_conjunction(checker *c, rl_node *and_node);

static void check_leaf_of_and(checker *c, rl_node *n)
{
    if (n->kind == N_OR) {
        check_conjunction(c, n->a);
        check_conjunction(c, n->b);
    } else if (n->kind == N_NOT || n->kind == N_HISTORY) {
        if (n->a)
            check_conjunction(c, n->a);
    }
}

/* Looks for a field that the and-chain at n pins to nothing. */
static void check_conjunction(checker *c, rl_node *n)
{
    rl_node *leaves[256];
    size_t k = 0;

    collect(n, leaves, &k, sizeof(leaves) / sizeof(leaves[0]));
    for (size_t i = 0; i < k; i++) {
        bounds b = {0};
        if (!usable_leaf(leaves[i]))
            continue;
        b.field = leaves[i]->field;
        for (size_t j = 0; j <= i; j++) {
            if (!usable_leaf(leaves[j]) || leaves[j]->field != b.field)
                continue;
            if (add_leaf(&b, leaves[j]) && j == i) {
                REPORT(c, PW_RULE_IMPOSSIBLE, leaves[i]->pos,
                       "impossible: together with the conditions before it "
                       "on '%s', no value can satisfy this",
                       b.field->name);
                break;
            }
        }
    }
    for (size_t i = 0; i < k; i++)
        check_leaf_of_and(c, leaves[i]);
}

/* 1 when every condition of n is on nationality, sex or birth place. */
static int only_traits(const rl_node *n)
{
    switch (n->kind) {
    case N_AND:
    case N_OR:
        return only_traits(n->a) && only_traits(n->b);
    case N_NOT:
        return only_traits(n->a);
    case N_HISTORY:
        return 0;
    }
    return n->field && (n->field->flags & F_TRAIT);
}

pw_rc rl_check(rl_rule *r, pw_rule_problems *p, size_t *n_found)
{
    checker c = {r, p, 0, PW_OK, 0};

    check_node(&c, r->cond);
    if (!c.found)
        check_conjunction(&c, r->cond);
    if (!c.found && only_traits(r->cond))
        REPORT(&c, PW_RULE_DISCRIMINATORY, r->pos,
               "the rule's only conditions are on nationality, sex, birth "
               "place or a document's issuing state; such criteria alone "
               "are discriminatory (EU PNR Directive, CJEU C-817/19): add "
               "conditions on travel or booking behaviour");
    *n_found = c.found;
    return c.rc;
}

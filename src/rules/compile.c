/* The rule compiler: turns checked condition trees into their
 * evaluation form (constants folded to upper case, `in` lists sorted,
 * patterns compiled once) and builds the set the caller holds. */
#include <stdlib.h>
#include <string.h>

#include "rules/rules_int.h"

static double key(const rl_value *v)
{
    return v->type == VT_NUMBER || v->type == VT_BOOL ? v->num : (double)v->t;
}

/* Orders folded constants: text bytewise, the rest by value. */
static int cmp_const(const void *pa, const void *pb)
{
    const rl_value *a = pa, *b = pb;

    if (a->type == VT_TEXT)
        return rl_text_cmp(a->s, a->len, b->s, b->len);
    return key(a) < key(b) ? -1 : key(a) > key(b);
}

static void fold(rl_value *v)
{
    if (v->type == VT_TEXT)
        rl_fold((char *)v->s, v->len);
}

static void fold_set(rl_node *n)
{
    size_t k = 0;

    for (size_t i = 0; i < n->n_set; i++)
        fold(&n->set[i]);
    qsort(n->set, n->n_set, sizeof(*n->set), cmp_const);
    for (size_t i = 0; i < n->n_set; i++)
        if (!k || cmp_const(&n->set[k - 1], &n->set[i]))
            n->set[k++] = n->set[i];
    n->n_set = k;
}

static pw_rc add_regex(pw_ruleset *rs, rl_node *n)
{
    regex_t **v;

    n->re = pw_arena_alloc(&rs->arena, sizeof(*n->re));
    v = realloc(rs->regexes, (rs->n_regexes + 1) * sizeof(*v));
    if (!n->re || !v)
        return PW_ERR_NOMEM;
    rs->regexes = v;
    /* the checker compiled the same pattern, so this cannot fail */
    if (regcomp(n->re, n->k1.s, REG_EXTENDED | REG_ICASE | REG_NOSUB))
        return PW_ERR_INVALID;
    rs->regexes[rs->n_regexes++] = n->re;
    return PW_OK;
}

static pw_rc compile_node(pw_ruleset *rs, rl_node *n)
{
    pw_rc rc = PW_OK;

    if (!n)
        return PW_OK;
    if (n->kind != N_CMP) {
        rc = compile_node(rs, n->a);
        return rc == PW_OK ? compile_node(rs, n->b) : rc;
    }
    /* `a != b` is `not (a = b)` over the values that were sent */
    if (n->op == OP_NE) {
        n->op = OP_EQ;
        n->negate = 1;
    }
    if (n->op == OP_MATCHES)
        return add_regex(rs, n);
    fold(&n->k1);
    fold(&n->k2);
    if (n->op == OP_IN)
        fold_set(n);
    return PW_OK;
}

pw_rc rl_compile(pw_ruleset *rs, rl_rule *r, pw_rule_problems *p,
                 size_t *n_found)
{
    pw_rc rc = rl_check(r, p, n_found);

    if (rc != PW_OK || *n_found)
        return rc;
    return compile_node(rs, r->cond);
}

static pw_rc compile_all(pw_ruleset *rs, rl_parsed *parsed, pw_rule_problems *p,
                         size_t *bad)
{
    for (size_t i = 0; i < parsed->n; i++) {
        size_t found = 0;
        pw_rc rc = rl_compile(rs, &parsed->rules[i], p, &found);
        if (rc != PW_OK)
            return rc;
        *bad += found;
    }
    return PW_OK;
}

/* Two rules of one text may not share a name: hits name their rule. */
static pw_rc check_names(rl_parsed *parsed, pw_rule_problems *p, size_t *bad)
{
    for (size_t i = 1; i < parsed->n; i++)
        for (size_t j = 0; j < i; j++) {
            if (strcmp(parsed->rules[i].info.name, parsed->rules[j].info.name))
                continue;
            (*bad)++;
            if (rl_problem(p, PW_RULE_SYNTAX, parsed->rules[i].pos,
                           parsed->rules[i].info.name,
                           "a rule of this name is already defined on "
                           "line %u",
                           parsed->rules[j].info.line) != PW_OK)
                return PW_ERR_NOMEM;
            break;
        }
    return PW_OK;
}

void pw_ruleset_free(pw_ruleset *rs)
{
    if (!rs)
        return;
    for (size_t i = 0; i < rs->n_regexes; i++)
        regfree(rs->regexes[i]);
    free(rs->regexes);
    rl_index_free(rs);
    pw_arena_free(&rs->arena);
    free(rs);
}

static size_t count_nodes(const rl_node *n)
{
    return n ? 1 + count_nodes(n->a) + count_nodes(n->b) : 0;
}

/* Copies the tree at n to *at onwards, depth first, so that a rule's
 * nodes lie together in memory; returns the copy of n. */
static rl_node *relocate(const rl_node *n, rl_node **at)
{
    rl_node *c;

    if (!n)
        return NULL;
    c = (*at)++;
    *c = *n;
    c->a = relocate(n->a, at);
    c->b = relocate(n->b, at);
    return c;
}

/* Evaluation walks every candidate rule's nodes: keeping all of them in
 * one array, in rule order, saves cache misses. */
static pw_rc pack_nodes(pw_ruleset *rs)
{
    size_t total = 0;
    rl_node *at;

    for (size_t i = 0; i < rs->n; i++)
        total += count_nodes(rs->rules[i].cond);
    at = pw_arena_alloc(&rs->arena, (total ? total : 1) * sizeof(*at));
    if (!at)
        return PW_ERR_NOMEM;
    for (size_t i = 0; i < rs->n; i++)
        rs->rules[i].cond = relocate(rs->rules[i].cond, &at);
    return PW_OK;
}

static pw_rc build(pw_ruleset *rs, const char *text, size_t len,
                   pw_rule_problems *p)
{
    rl_parsed parsed;
    size_t bad = 0;
    pw_rc rc = rl_parse(text, len, &rs->arena, &parsed, p);

    if (rc != PW_OK)
        return rc;
    rc = check_names(&parsed, p, &bad);
    if (rc == PW_OK)
        rc = compile_all(rs, &parsed, p, &bad);
    if (rc != PW_OK)
        return rc;
    if (bad)
        return PW_ERR_INVALID;
    rs->rules = parsed.rules;
    rs->n = parsed.n;
    rc = pack_nodes(rs);
    return rc == PW_OK ? rl_index_build(rs) : rc;
}

pw_rc pw_rules_compile(const char *text, size_t len, pw_ruleset **out,
                       pw_rule_problems *problems)
{
    pw_ruleset *rs;
    pw_rc rc;

    if (out)
        *out = NULL;
    if (!text && len)
        return PW_ERR_INVALID;
    if (len > PW_RULES_MAX_TEXT) {
        rl_pos at = {1, 1, 0};
        return rl_problem(problems, PW_RULE_LIMIT, at, "",
                          "rule text longer than %zu bytes",
                          PW_RULES_MAX_TEXT) == PW_OK
                   ? PW_ERR_LIMIT
                   : PW_ERR_NOMEM;
    }
    rs = calloc(1, sizeof(*rs));
    if (!rs)
        return PW_ERR_NOMEM;
    pw_arena_init(&rs->arena, 0);
    rc = build(rs, text ? text : "", len, problems);
    if (rc != PW_OK || !out) {
        pw_ruleset_free(rs);
        return rc;
    }
    *out = rs;
    return PW_OK;
}

size_t pw_ruleset_count(const pw_ruleset *rs)
{
    return rs ? rs->n : 0;
}

pw_rc pw_ruleset_info(const pw_ruleset *rs, size_t i, pw_rule_info *info)
{
    if (!rs || i >= rs->n)
        return PW_ERR_NOTFOUND;
    *info = rs->rules[i].info;
    return PW_OK;
}

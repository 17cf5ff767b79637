/* The rule language's parser: rule headers and conditions, by recursive
 * descent, into condition trees the checker and compiler work on. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rules/rules_int.h"

typedef struct parser {
    rl_lexer lx;
    rl_token tok;
    pw_arena *a;
    pw_rule_problems *p;
    const char *rule;
    int depth;
    int failed; /* a syntax problem was reported */
    pw_rc rc;   /* PW_ERR_NOMEM, PW_ERR_LIMIT or PW_ERR_SYNTAX */
} parser;

static void *fail_at(parser *ps, pw_rule_problem_kind k, rl_pos pos,
                     const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void *fail_at(parser *ps, pw_rule_problem_kind k, rl_pos pos,
                     const char *fmt, ...)
{
    char msg[256];
    va_list ap;

    if (ps->failed)
        return NULL;
    ps->failed = 1;
    ps->rc = k == PW_RULE_LIMIT ? PW_ERR_LIMIT : PW_ERR_SYNTAX;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (rl_problem(ps->p, k, pos, ps->rule, "%s", msg) != PW_OK)
        ps->rc = PW_ERR_NOMEM;
    return NULL;
}

static void *nomem(parser *ps)
{
    ps->failed = 1;
    ps->rc = PW_ERR_NOMEM;
    return NULL;
}

/* Describes the current token for an error message. */
static const char *tok_desc(const parser *ps, char *buf, size_t cap)
{
    if (ps->tok.kind == TK_EOF)
        return "the end of the text";
    snprintf(buf, cap, "'%.*s'", (int)(ps->tok.len > 40 ? 40 : ps->tok.len),
             ps->tok.p);
    return buf;
}

static int advance(parser *ps)
{
    if (ps->failed)
        return 0;
    if (!rl_lex_next(&ps->lx, &ps->tok)) {
        fail_at(ps, PW_RULE_SYNTAX, ps->tok.pos, "%s", ps->lx.err);
        return 0;
    }
    return 1;
}

static int expect_word(parser *ps, const char *w, const char *why)
{
    char b[64];

    if (!rl_word_is(&ps->tok, w)) {
        fail_at(ps, PW_RULE_SYNTAX, ps->tok.pos, "expected '%s' %s, found %s",
                w, why, tok_desc(ps, b, sizeof(b)));
        return 0;
    }
    return advance(ps);
}

/* Decodes the current string token into the arena. */
static char *take_string(parser *ps, size_t *len)
{
    char b[64], *out;
    size_t n = 0;

    if (ps->tok.kind != TK_STRING)
        return fail_at(ps, PW_RULE_SYNTAX, ps->tok.pos,
                       "expected a quoted string, found %s",
                       tok_desc(ps, b, sizeof(b)));
    out = pw_arena_alloc(ps->a, ps->tok.len);
    if (!out)
        return nomem(ps);
    for (size_t i = 1; i + 1 < ps->tok.len; i++) {
        char c = ps->tok.p[i];
        if (c == '\\') {
            c = ps->tok.p[++i];
            c = c == 'n' ? '\n' : c == 't' ? '\t' : c;
        }
        out[n++] = c;
    }
    out[n] = '\0';
    if (len)
        *len = n;
    return advance(ps) ? out : NULL;
}

static int64_t unit_seconds(const rl_token *t)
{
    static const struct {
        const char *w;
        int64_t s;
    } units[] = {{"days", 86400},   {"day", 86400},  {"hours", 3600},
                 {"hour", 3600},    {"minutes", 60}, {"minute", 60},
                 {"weeks", 604800}, {"week", 604800}};

    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
        if (rl_word_is(t, units[i].w))
            return units[i].s;
    return 0;
}

/* A constant: string, number, duration, date, true or false. */
static int parse_const(parser *ps, rl_value *v, int *is_text)
{
    char b[64];
    int64_t unit;

    memset(v, 0, sizeof(*v));
    *is_text = ps->tok.kind == TK_STRING;
    if (ps->tok.kind == TK_STRING) {
        v->type = VT_TEXT;
        v->s = take_string(ps, &v->len);
        return v->s != NULL;
    }
    if (ps->tok.kind == TK_DATE) {
        v->type = VT_DATE;
        v->t = ps->tok.time;
        return advance(ps);
    }
    if (rl_word_is(&ps->tok, "true") || rl_word_is(&ps->tok, "false")) {
        v->type = VT_BOOL;
        v->num = rl_word_is(&ps->tok, "true");
        return advance(ps);
    }
    if (ps->tok.kind != TK_NUMBER) {
        fail_at(ps, PW_RULE_SYNTAX, ps->tok.pos,
                "expected a value (a number, \"text\", a date, true or "
                "false), found %s",
                tok_desc(ps, b, sizeof(b)));
        return 0;
    }
    v->type = VT_NUMBER;
    v->num = ps->tok.num;
    if (!advance(ps))
        return 0;
    if ((unit = unit_seconds(&ps->tok)) != 0) {
        v->type = VT_DURATION;
        v->t = (int64_t)(v->num * (double)unit);
        return advance(ps);
    }
    return 1;
}

static rl_node *new_node(parser *ps, int kind, rl_pos pos)
{
    rl_node *n = pw_arena_calloc(ps->a, 1, sizeof(*n));

    if (!n)
        return nomem(ps);
    n->kind = kind;
    n->pos = pos;
    return n;
}

/* ( v, v, ... ) after `in`. */
static int parse_set(parser *ps, rl_node *n)
{
    size_t cap = 8;
    int is_text;

    n->set = pw_arena_alloc(ps->a, cap * sizeof(*n->set));
    if (!n->set || !advance(ps))
        return n->set ? 0 : !!nomem(ps);
    for (;;) {
        if (n->n_set == cap) {
            rl_value *v = pw_arena_alloc(ps->a, 2 * cap * sizeof(*v));
            if (!v)
                return !!nomem(ps);
            memcpy(v, n->set, cap * sizeof(*v));
            n->set = v;
            cap *= 2;
        }
        if (n->n_set == PW_RULES_MAX_IN)
            return !!fail_at(ps, PW_RULE_LIMIT, ps->tok.pos,
                             "more than %d values in one list",
                             PW_RULES_MAX_IN);
        if (!parse_const(ps, &n->set[n->n_set++], &is_text))
            return 0;
        if (ps->tok.kind == TK_RPAREN)
            return advance(ps);
        if (ps->tok.kind != TK_COMMA)
            return !!fail_at(ps, PW_RULE_SYNTAX, ps->tok.pos,
                             "expected ',' or ')' in the list of values");
        if (!advance(ps))
            return 0;
    }
}

static int parse_in(parser *ps, rl_node *n)
{
    char b[64];

    n->op = OP_IN;
    n->k_pos = ps->tok.pos;
    if (rl_word_is(&ps->tok, "list")) {
        n->op = OP_IN_LIST;
        if (!advance(ps))
            return 0;
        n->list = take_string(ps, NULL);
        return n->list != NULL;
    }
    if (ps->tok.kind != TK_LPAREN)
        return !!fail_at(ps, PW_RULE_SYNTAX, ps->tok.pos,
                         "expected '(' or 'list' after 'in', found %s",
                         tok_desc(ps, b, sizeof(b)));
    return parse_set(ps, n);
}

static int parse_between(parser *ps, rl_node *n)
{
    int t;

    n->op = OP_BETWEEN;
    n->k_pos = ps->tok.pos;
    if (!parse_const(ps, &n->k1, &n->k_is_text))
        return 0;
    if (!expect_word(ps, "and", "between the two ends of 'between'"))
        return 0;
    return parse_const(ps, &n->k2, &t);
}

/* contains / starts with / ends with / matches, then a string. */
static int parse_text_op(parser *ps, rl_node *n, int op)
{
    int is_text;

    n->op = op;
    if (op == OP_STARTS || op == OP_ENDS)
        if (!expect_word(ps, "with",
                         op == OP_STARTS ? "after 'starts'" : "after 'ends'"))
            return 0;
    n->k_pos = ps->tok.pos;
    if (ps->tok.kind != TK_STRING)
        return !!fail_at(ps, PW_RULE_SYNTAX, ps->tok.pos,
                         "expected a quoted string after the operator");
    return parse_const(ps, &n->k1, &is_text);
}

static int parse_is(parser *ps, rl_node *n)
{
    n->op = OP_EMPTY;
    if (rl_word_is(&ps->tok, "not")) {
        n->negate = 1;
        if (!advance(ps))
            return 0;
    }
    return expect_word(ps, "empty",
                       "after 'is' (write 'is empty' or "
                       "'is not empty')");
}

/* The right side of `=` etc.: a constant or a single-valued field. */
static int parse_cmp(parser *ps, rl_node *n)
{
    n->op = ps->tok.op;
    if (!advance(ps))
        return 0;
    n->k_pos = ps->tok.pos;
    if (ps->tok.kind == TK_WORD && !rl_word_is(&ps->tok, "true") &&
        !rl_word_is(&ps->tok, "false")) {
        char *name = pw_arena_strndup(ps->a, ps->tok.p, ps->tok.len);
        if (!name)
            return !!nomem(ps);
        n->rhs_name = name;
        return advance(ps);
    }
    return parse_const(ps, &n->k1, &n->k_is_text);
}

static int parse_operator(parser *ps, rl_node *n)
{
    char b[64];
    const rl_token *t = &ps->tok;
    int word_op = rl_word_is(t, "in")         ? OP_IN
                  : rl_word_is(t, "between")  ? OP_BETWEEN
                  : rl_word_is(t, "contains") ? OP_CONTAINS
                  : rl_word_is(t, "starts")   ? OP_STARTS
                  : rl_word_is(t, "ends")     ? OP_ENDS
                  : rl_word_is(t, "matches")  ? OP_MATCHES
                  : rl_word_is(t, "is")       ? OP_EMPTY
                                              : 0;

    if (t->kind == TK_OP)
        return parse_cmp(ps, n);
    if (rl_word_is(t, "not")) {
        n->negate = 1;
        if (!advance(ps))
            return 0;
        if (!rl_word_is(t, "in") && !rl_word_is(t, "between"))
            return !!fail_at(ps, PW_RULE_SYNTAX, t->pos,
                             "expected 'in' or 'between' after 'not', "
                             "found %s",
                             tok_desc(ps, b, sizeof(b)));
        return parse_operator(ps, n);
    }
    if (!word_op || (n->negate && word_op != OP_IN && word_op != OP_BETWEEN))
        return !!fail_at(ps, PW_RULE_SYNTAX, t->pos,
                         "expected an operator (= != < <= > >= in between "
                         "contains starts ends matches is) after the field, "
                         "found %s",
                         tok_desc(ps, b, sizeof(b)));
    if (!advance(ps))
        return 0;
    if (word_op == OP_IN)
        return parse_in(ps, n);
    if (word_op == OP_BETWEEN)
        return parse_between(ps, n);
    if (word_op == OP_EMPTY)
        return parse_is(ps, n);
    return parse_text_op(ps, n, word_op);
}

static int is_keyword(const rl_token *t)
{
    static const char *const kw[] = {"and",    "or",    "not",      "rule",
                                     "when",   "in",    "between",  "is",
                                     "within", "count", "category", "severity"};

    for (size_t i = 0; i < sizeof(kw) / sizeof(kw[0]); i++)
        if (rl_word_is(t, kw[i]))
            return 1;
    return 0;
}

/* [any|all|none] FIELD operator ... */
static rl_node *parse_predicate(parser *ps)
{
    char b[64];
    rl_node *n = new_node(ps, N_CMP, ps->tok.pos);

    if (!n)
        return NULL;
    if (rl_word_is(&ps->tok, "all") || rl_word_is(&ps->tok, "none") ||
        rl_word_is(&ps->tok, "any")) {
        n->quant = rl_word_is(&ps->tok, "all")    ? Q_ALL
                   : rl_word_is(&ps->tok, "none") ? Q_NONE
                                                  : Q_ANY;
        if (!advance(ps))
            return NULL;
    }
    if (ps->tok.kind != TK_WORD || is_keyword(&ps->tok))
        return fail_at(ps, PW_RULE_SYNTAX, ps->tok.pos,
                       "expected a field such as booking.payment.type, "
                       "found %s",
                       tok_desc(ps, b, sizeof(b)));
    n->field_pos = ps->tok.pos;
    n->field_name = pw_arena_strndup(ps->a, ps->tok.p, ps->tok.len);
    if (!n->field_name)
        return nomem(ps);
    if (!advance(ps) || !parse_operator(ps, n))
        return NULL;
    return n;
}

static rl_node *parse_or(parser *ps);

/* count of earlier movements [where COND] within N days OP NUMBER */
static rl_node *parse_history(parser *ps)
{
    rl_node *n = new_node(ps, N_HISTORY, ps->tok.pos);
    rl_value w, c;
    int t;

    if (!n || !advance(ps) || !expect_word(ps, "of", "after 'count'") ||
        !expect_word(ps, "earlier", "in 'count of earlier movements'") ||
        !expect_word(ps, "movements", "in 'count of earlier movements'"))
        return NULL;
    if (rl_word_is(&ps->tok, "where")) {
        if (!advance(ps) || !(n->a = parse_or(ps)))
            return NULL;
    }
    if (!expect_word(ps, "within", "and a period, e.g. 'within 90 days'"))
        return NULL;
    n->k_pos = ps->tok.pos;
    if (!parse_const(ps, &w, &t))
        return NULL;
    if (w.type != VT_DURATION || w.t <= 0)
        return fail_at(ps, PW_RULE_TYPE, n->k_pos,
                       "the period must be a duration such as 90 days");
    n->window = w.t;
    if (ps->tok.kind != TK_OP)
        return fail_at(ps, PW_RULE_SYNTAX, ps->tok.pos,
                       "expected a comparison (e.g. >= 2) after the period");
    n->hop = ps->tok.op;
    if (!advance(ps) || !parse_const(ps, &c, &t))
        return NULL;
    if (c.type != VT_NUMBER)
        return fail_at(ps, PW_RULE_TYPE, n->k_pos,
                       "a count is compared with a number");
    n->count = c.num;
    return n;
}

static rl_node *parse_unary(parser *ps)
{
    rl_node *n;
    char b[64];

    if (++ps->depth > PW_RULES_MAX_DEPTH)
        return fail_at(ps, PW_RULE_LIMIT, ps->tok.pos,
                       "conditions nested more than %d deep",
                       PW_RULES_MAX_DEPTH);
    if (rl_word_is(&ps->tok, "not")) {
        n = new_node(ps, N_NOT, ps->tok.pos);
        if (n && advance(ps))
            n->a = parse_unary(ps);
        n = n && n->a ? n : NULL;
    } else if (ps->tok.kind == TK_LPAREN) {
        n = advance(ps) ? parse_or(ps) : NULL;
        if (n && ps->tok.kind != TK_RPAREN)
            n = fail_at(ps, PW_RULE_SYNTAX, ps->tok.pos,
                        "expected ')' to close the '(', found %s",
                        tok_desc(ps, b, sizeof(b)));
        if (n && !advance(ps))
            n = NULL;
    } else if (rl_word_is(&ps->tok, "count")) {
        n = parse_history(ps);
    } else {
        n = parse_predicate(ps);
    }
    ps->depth--;
    return n;
}

static rl_node *parse_chain(parser *ps, const char *word, int kind,
                            rl_node *(*sub)(parser *))
{
    rl_node *left = sub(ps);

    while (left && rl_word_is(&ps->tok, word)) {
        rl_node *n = new_node(ps, kind, ps->tok.pos);
        if (!n || !advance(ps))
            return NULL;
        n->a = left;
        if (!(n->b = sub(ps)))
            return NULL;
        left = n;
    }
    return left;
}

static rl_node *parse_and(parser *ps)
{
    return parse_chain(ps, "and", N_AND, parse_unary);
}

static rl_node *parse_or(parser *ps)
{
    return parse_chain(ps, "or", N_OR, parse_and);
}

static int parse_severity(parser *ps, rl_rule *r)
{
    static const char *const names[] = {"low", "medium", "high", "critical"};
    char b[64];

    for (int i = 0; i < 4; i++)
        if (rl_word_is(&ps->tok, names[i])) {
            r->info.severity = (pw_rule_severity)(PW_RULE_LOW + i);
            return advance(ps);
        }
    return !!fail_at(ps, PW_RULE_SYNTAX, ps->tok.pos,
                     "severity is low, medium, high or critical, not %s",
                     tok_desc(ps, b, sizeof(b)));
}

/* category "..." / severity X / description "..." in any order. */
static int parse_header(parser *ps, rl_rule *r)
{
    r->info.category = r->info.description = "";
    r->info.severity = PW_RULE_MEDIUM;
    while (!ps->failed && !rl_word_is(&ps->tok, "when")) {
        if (rl_word_is(&ps->tok, "category")) {
            if (advance(ps))
                r->info.category = take_string(ps, NULL);
        } else if (rl_word_is(&ps->tok, "description")) {
            if (advance(ps))
                r->info.description = take_string(ps, NULL);
        } else if (rl_word_is(&ps->tok, "severity")) {
            if (advance(ps))
                parse_severity(ps, r);
        } else {
            char b[64];
            fail_at(ps, PW_RULE_SYNTAX, ps->tok.pos,
                    "expected category, severity, description or when, "
                    "found %s",
                    tok_desc(ps, b, sizeof(b)));
        }
    }
    return !ps->failed && advance(ps);
}

static int add_rule(parser *ps, rl_parsed *out, rl_rule **r)
{
    if (out->n == PW_RULES_MAX_RULES)
        return !!fail_at(ps, PW_RULE_LIMIT, ps->tok.pos, "more than %d rules",
                         PW_RULES_MAX_RULES);
    if (out->n == out->cap) {
        size_t cap = out->cap ? out->cap * 2 : 16;
        rl_rule *v = pw_arena_alloc(ps->a, cap * sizeof(*v));
        if (!v)
            return !!nomem(ps);
        if (out->n)
            memcpy(v, out->rules, out->n * sizeof(*v));
        out->rules = v;
        out->cap = cap;
    }
    *r = &out->rules[out->n++];
    memset(*r, 0, sizeof(**r));
    return 1;
}

static int parse_rule(parser *ps, rl_parsed *out)
{
    rl_rule *r = NULL;
    char b[64];

    if (!add_rule(ps, out, &r))
        return 0;
    r->pos = ps->tok.pos;
    r->info.line = ps->tok.pos.line;
    if (!expect_word(ps, "rule", "to begin a rule"))
        return 0;
    r->info.name = take_string(ps, NULL);
    if (!r->info.name)
        return 0;
    if (!r->info.name[0])
        return !!fail_at(ps, PW_RULE_SYNTAX, r->pos, "a rule needs a name");
    ps->rule = r->info.name;
    if (!parse_header(ps, r) || !(r->cond = parse_or(ps)))
        return 0;
    if (ps->tok.kind != TK_EOF && !rl_word_is(&ps->tok, "rule"))
        return !!fail_at(ps, PW_RULE_SYNTAX, ps->tok.pos,
                         "expected 'and', 'or' or a new rule, found %s",
                         tok_desc(ps, b, sizeof(b)));
    return 1;
}

pw_rc rl_parse(const char *text, size_t len, pw_arena *a, rl_parsed *out,
               pw_rule_problems *p)
{
    parser ps = {0};

    memset(out, 0, sizeof(*out));
    ps.a = a;
    ps.p = p;
    rl_lex_init(&ps.lx, text, len);
    if (!advance(&ps))
        return ps.rc;
    if (ps.tok.kind == TK_EOF)
        fail_at(&ps, PW_RULE_SYNTAX, ps.tok.pos, "no rule in the text");
    while (!ps.failed && ps.tok.kind != TK_EOF)
        parse_rule(&ps, out);
    return ps.failed ? ps.rc : PW_OK;
}

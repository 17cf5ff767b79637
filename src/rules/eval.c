/* The rule evaluator: runs compiled conditions over one subject and
 * keeps, for the rules that fire, the values that made them true. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rules/rules_int.h"

static double key(const rl_value *v)
{
    return v->type == VT_NUMBER || v->type == VT_BOOL ? v->num : (double)v->t;
}

static int order(const rl_value *a, const rl_value *b)
{
    double x = key(a), y = key(b);

    return x < y ? -1 : x > y;
}

static int equal(const rl_value *v, const rl_value *k)
{
    if (v->type == VT_TEXT)
        return !rl_text_cmp(v->s, v->len, k->s, k->len);
    return !order(v, k);
}

static int in_set(const rl_node *n, const rl_value *v)
{
    size_t lo = 0, hi = n->n_set;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = v->type == VT_TEXT
                    ? rl_text_cmp(v->s, v->len, n->set[mid].s, n->set[mid].len)
                    : order(v, &n->set[mid]);
        if (!c)
            return 1;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return 0;
}

/* Values longer than the limit are cut before matching, which bounds
 * the time any pattern can take. */
static int matches(const rl_node *n, const rl_value *v)
{
    char buf[PW_RULES_MAX_REGEX_INPUT + 1];
    size_t len =
        v->len < PW_RULES_MAX_REGEX_INPUT ? v->len : PW_RULES_MAX_REGEX_INPUT;

    memcpy(buf, v->s, len);
    buf[len] = '\0';
    return regexec(n->re, buf, 0, NULL, 0) == 0;
}

static int compare(const rl_node *n, const rl_value *v, const rl_value *k)
{
    int c = order(v, k);

    switch (n->op) {
    case OP_EQ:
        return equal(v, k);
    case OP_LT:
        return c < 0;
    case OP_LE:
        return c <= 0;
    case OP_GT:
        return c > 0;
    case OP_GE:
        return c >= 0;
    }
    return 0;
}

static int text_op(const rl_node *n, const rl_value *v, const rl_eval *e)
{
    const rl_value *k = &n->k1;

    switch (n->op) {
    case OP_CONTAINS:
        return rl_text_contains(v->s, v->len, k->s, k->len);
    case OP_STARTS:
        return v->len >= k->len && !rl_text_cmp(v->s, k->len, k->s, k->len);
    case OP_ENDS:
        return v->len >= k->len &&
               !rl_text_cmp(v->s + v->len - k->len, k->len, k->s, k->len);
    case OP_MATCHES:
        return matches(n, v);
    case OP_IN_LIST:
        return e->ctx && e->ctx->in_list &&
               e->ctx->in_list(e->ctx->user, n->list, v->s, v->len) == 1;
    }
    return 0;
}

/* Element i of field f, through the subject's cache when single. */
static int get(rl_eval *e, const rl_field *f, size_t i, rl_value *v)
{
    size_t id;

    if (f->many || !e->cache)
        return f->get(e->s, i, v);
    id = rl_field_id(f);
    if (!e->cache->state[id])
        e->cache->state[id] = f->get(e->s, 0, &e->cache->v[id]) ? 1 : 2;
    if (e->cache->state[id] == 2)
        return 0;
    *v = e->cache->v[id];
    return 1;
}

/* The positive test of one value, before any `not`. */
static int test(const rl_node *n, const rl_value *v, const rl_eval *e)
{
    rl_value rhs;

    if (n->rhs) {
        if (!n->rhs->count(e->s) || !get((rl_eval *)e, n->rhs, 0, &rhs))
            return 0;
        /* neither side is folded; the checker allows only = on text */
        if (v->type == VT_TEXT)
            return v->len == rhs.len && !strncasecmp(v->s, rhs.s, v->len);
        return compare(n, v, &rhs);
    }
    if (n->op <= OP_GE)
        return compare(n, v, &n->k1);
    if (n->op == OP_IN)
        return in_set(n, v);
    if (n->op == OP_BETWEEN)
        return order(v, &n->k1) >= 0 && order(v, &n->k2) <= 0;
    return text_op(n, v, e);
}

static void reason(rl_eval *e, const char *field, const rl_value *v)
{
    pw_rule_hits *h = e->hits;
    pw_rule_reason *r;

    if (!h)
        return;
    if (h->n_reasons == h->cap_reasons) {
        size_t cap = h->cap_reasons ? h->cap_reasons * 2 : 16;
        r = realloc(h->reasons, cap * sizeof(*r));
        if (!r) {
            e->nomem = 1;
            return;
        }
        h->reasons = r;
        h->cap_reasons = cap;
    }
    /* Kept raw and turned into text only if the rule fires: most
     * conditions that hold belong to rules that do not. The value
     * points into the subject, which outlives the evaluation. */
    r = &h->reasons[h->n_reasons++];
    r->field = field;
    memcpy(r->value, v, sizeof(*v));
}

_Static_assert(sizeof(rl_value) <= sizeof(((pw_rule_reason *)0)->value),
               "a raw value fits in a reason");

/* Turns the raw values kept by reason() from first on into text. */
static void reasons_to_text(pw_rule_hits *h, size_t first)
{
    for (size_t k = first; k < h->n_reasons; k++) {
        rl_value v;

        memcpy(&v, h->reasons[k].value, sizeof(v));
        rl_value_text(&v, h->reasons[k].value, sizeof(h->reasons[k].value));
    }
}

/* is empty / is not empty: whether any element has a value. */
static int eval_empty(const rl_node *n, rl_eval *e)
{
    size_t count = n->field->count(e->s);
    rl_value v;

    for (size_t i = 0; i < count; i++)
        if (get(e, n->field, i, &v)) {
            if (n->negate)
                reason(e, n->field->name, &v);
            return n->negate;
        }
    return !n->negate;
}

/* Any element (the default): some value passes; with not (!=, not in,
 * not between) some value was sent and none passes. */
static int eval_any(const rl_node *n, rl_eval *e)
{
    size_t count = n->field->count(e->s), present = 0;
    rl_value v, first = {0};

    for (size_t i = 0; i < count; i++) {
        if (!get(e, n->field, i, &v))
            continue;
        if (!present++)
            first = v;
        if (test(n, &v, e)) {
            if (!n->negate)
                reason(e, n->field->name, &v);
            return !n->negate;
        }
    }
    if (n->negate && present)
        reason(e, n->field->name, &first);
    return n->negate && present;
}

/* all: at least one element, each sent and passing; none: no sent
 * element passes. */
static int eval_all_none(const rl_node *n, rl_eval *e)
{
    size_t count = n->field->count(e->s);
    rl_value v;

    if (n->quant == Q_ALL && !count)
        return 0;
    for (size_t i = 0; i < count; i++) {
        int got = get(e, n->field, i, &v);
        int pass = got && (test(n, &v, e) != n->negate);
        if (n->quant == Q_ALL && !pass)
            return 0;
        if (n->quant == Q_NONE && pass)
            return 0;
        if (got)
            reason(e, n->field->name, &v);
    }
    return 1;
}

static int count_holds(int op, double got, double want)
{
    switch (op) {
    case OP_EQ:
        return got == want;
    case OP_NE:
        return got != want;
    case OP_LT:
        return got < want;
    case OP_LE:
        return got <= want;
    case OP_GT:
        return got > want;
    case OP_GE:
        return got >= want;
    }
    return 0;
}

static int eval_history(const rl_node *n, rl_eval *e)
{
    pw_rule_history h = {n};
    rl_value c = {0};
    long got = 0;

    if (e->ctx && e->ctx->history_count)
        got = e->ctx->history_count(e->ctx->user, e->s, &h);
    if (got < 0 || !count_holds(n->hop, (double)got, n->count))
        return 0;
    c.type = VT_NUMBER;
    c.num = (double)got;
    reason(e, "history.count", &c);
    return 1;
}

int rl_eval_node(const rl_node *n, rl_eval *e)
{
    size_t mark = e->hits ? e->hits->n_reasons : 0;
    int r;

    switch (n->kind) {
    case N_AND:
        r = rl_eval_node(n->a, e) && rl_eval_node(n->b, e);
        break;
    case N_OR:
        r = rl_eval_node(n->a, e) || rl_eval_node(n->b, e);
        break;
    case N_NOT:
        r = !rl_eval_node(n->a, e);
        break;
    case N_HISTORY:
        r = eval_history(n, e);
        break;
    default:
        r = n->op == OP_EMPTY   ? eval_empty(n, e)
            : n->quant == Q_ANY ? eval_any(n, e)
                                : eval_all_none(n, e);
    }
    /* a false branch explains nothing */
    if (!r && e->hits)
        e->hits->n_reasons = mark;
    return r;
}

int64_t pw_rule_history_window(const pw_rule_history *h)
{
    return h->node->window;
}

int pw_rule_history_match(const pw_rule_history *h,
                          const pw_rule_subject *earlier,
                          const pw_rule_context *ctx)
{
    rl_eval e = {earlier, ctx, NULL, 0, NULL};

    if (!h->node->a)
        return 1;
    if (!earlier || !earlier->traveller || !earlier->movement)
        return 0;
    return rl_eval_node(h->node->a, &e);
}

static pw_rc add_hit(pw_rule_hits *h, size_t rule, size_t first)
{
    if (h->n == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 8;
        pw_rule_hit *v = realloc(h->items, cap * sizeof(*v));
        if (!v)
            return PW_ERR_NOMEM;
        h->items = v;
        h->cap = cap;
    }
    h->items[h->n++] = (pw_rule_hit){rule, first, h->n_reasons - first};
    return PW_OK;
}

/* Evaluates rule i once, keeping the values that made it true. */
static pw_rc eval_rule(const pw_ruleset *rs, size_t i, rl_eval *e,
                       pw_rule_hits *h)
{
    size_t first = h->n_reasons;

    e->hits = h;
    if (!rl_eval_node(rs->rules[i].cond, e) || e->nomem) {
        h->n_reasons = first;
        return e->nomem ? PW_ERR_NOMEM : PW_OK;
    }
    reasons_to_text(h, first);
    return add_hit(h, i, first);
}

/* Evaluates the index's picks and the always-evaluated rules, both
 * sorted, in rule order. */
static pw_rc eval_merged(const pw_ruleset *rs, rl_eval *e, pw_rule_hits *h)
{
    size_t i = 0, j = 0;
    pw_rc rc = PW_OK;

    while (rc == PW_OK && (i < h->n_scratch || j < rs->n_always)) {
        if (j == rs->n_always ||
            (i < h->n_scratch && h->scratch[i] < rs->always[j]))
            rc = eval_rule(rs, h->scratch[i++], e, h);
        else
            rc = eval_rule(rs, rs->always[j++], e, h);
    }
    return rc;
}

static pw_rc eval_some(const pw_ruleset *rs, const pw_rule_subject *s,
                       const pw_rule_context *ctx, pw_rule_hits *h,
                       int use_index)
{
    rl_cache cache;
    rl_eval e = {s, ctx, NULL, 0, &cache};
    pw_rc rc = PW_OK;

    memset(cache.state, 0, sizeof(cache.state));

    if (!rs || !s || !h || !s->traveller || !s->movement)
        return PW_ERR_INVALID;
    h->n = h->n_reasons = 0;
    if (!use_index) {
        for (size_t i = 0; rc == PW_OK && i < rs->n; i++)
            rc = eval_rule(rs, i, &e, h);
        return rc;
    }
    if ((rc = rl_candidates(rs, s, h)) != PW_OK)
        return rc;
    return eval_merged(rs, &e, h);
}

pw_rc pw_rules_eval(const pw_ruleset *rs, const pw_rule_subject *s,
                    const pw_rule_context *ctx, pw_rule_hits *hits)
{
    return eval_some(rs, s, ctx, hits, 1);
}

pw_rc pw_rules_eval_all(const pw_ruleset *rs, const pw_rule_subject *s,
                        const pw_rule_context *ctx, pw_rule_hits *hits)
{
    return eval_some(rs, s, ctx, hits, 0);
}

void pw_rule_hits_free(pw_rule_hits *h)
{
    if (!h)
        return;
    free(h->items);
    free(h->reasons);
    free(h->scratch);
    free(h->seen);
    memset(h, 0, sizeof(*h));
}

/* The rule index: from (field, value) to the rules that need that value,
 * so a subject is only evaluated against rules that can fire for it. */
#include <stdlib.h>
#include <string.h>

#include "rules/rules_int.h"

#define KEY_MAX 64 /* longer values are never keys: such rules run always */

/* Counts and booleans are the common keys: written without printf. */
static size_t small_int(long x, char *buf)
{
    char tmp[16];
    size_t n = 0, k = 0;

    do {
        tmp[n++] = (char)('0' + x % 10);
        x /= 10;
    } while (x);
    while (n)
        buf[k++] = tmp[--n];
    return k;
}

/* The key of a value: folded text, or numbers and booleans written
 * out the same way for constants and subjects. */
static size_t key_of(const rl_value *v, char *buf)
{
    size_t n;

    if (v->type == VT_BOOL || (v->type == VT_NUMBER && v->num >= 0 &&
                               v->num < 1e9 && v->num == (long)v->num))
        return small_int((long)v->num, buf);
    if (v->type != VT_TEXT) {
        n = rl_value_text(v, buf, KEY_MAX);
        rl_fold(buf, n);
        return n < KEY_MAX ? n : KEY_MAX;
    }
    if (v->len >= KEY_MAX)
        return KEY_MAX;
    memcpy(buf, v->s, v->len);
    rl_fold(buf, v->len);
    return v->len;
}

static uint64_t hash_key(const rl_field *f, const char *k, size_t n)
{
    uint64_t h = 1469598103934665603ull ^ (uint64_t)(uintptr_t)f;

    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)k[i]) * 1099511628211ull;
    return h;
}

/* A necessary condition worth indexing: an `=` or `in` of text on a
 * discriminating field, reached from the top through `and` only. */
static int indexable(const rl_node *n)
{
    int t = n->field ? n->field->type : 0;

    if (n->kind != N_CMP || !n->field || !(n->field->flags & F_DISCRIM) ||
        n->negate || n->quant != Q_ANY || n->rhs_name ||
        (t != VT_TEXT && t != VT_NUMBER && t != VT_BOOL))
        return 0;
    if (n->op == OP_EQ)
        return n->k1.len < KEY_MAX;
    if (n->op != OP_IN)
        return 0;
    for (size_t i = 0; i < n->n_set; i++)
        if (n->set[i].len >= KEY_MAX)
            return 0;
    return 1;
}

static size_t n_keys(const rl_node *n)
{
    return n->op == OP_EQ ? 1 : n->n_set;
}

/* The indexable leaf of the and-chain at n with the fewest values. */
static const rl_node *best_leaf(const rl_node *n)
{
    const rl_node *a, *b;

    if (n->kind != N_AND)
        return indexable(n) ? n : NULL;
    a = best_leaf(n->a);
    b = best_leaf(n->b);
    if (!a || (b && n_keys(b) < n_keys(a)))
        return b;
    return a;
}

static rl_slot *find_slot(const pw_ruleset *rs, const rl_field *f,
                          const char *k, size_t n)
{
    size_t mask = rs->n_slots - 1;
    size_t i = (size_t)hash_key(f, k, n) & mask;

    while (rs->slots[i].field) {
        rl_slot *s = &rs->slots[i];
        if (s->field == f && s->len == n && !memcmp(s->key, k, n))
            return s;
        i = (i + 1) & mask;
    }
    return &rs->slots[i];
}

static pw_rc slot_add(pw_ruleset *rs, const rl_field *f, const rl_value *v,
                      uint32_t rule)
{
    char buf[KEY_MAX];
    size_t len = key_of(v, buf);
    rl_slot *s = find_slot(rs, f, buf, len);

    if (!s->field) {
        s->key = pw_arena_strndup(&rs->arena, buf, len);
        if (!s->key)
            return PW_ERR_NOMEM;
        s->field = f;
        s->len = len;
        rs->used_slots++;
    }
    if (s->n && s->rules[s->n - 1] == rule)
        return PW_OK;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 4;
        uint32_t *r = realloc(s->rules, cap * sizeof(*r));
        if (!r)
            return PW_ERR_NOMEM;
        s->rules = r;
        s->cap = cap;
    }
    s->rules[s->n++] = rule;
    return PW_OK;
}

static pw_rc note_field(pw_ruleset *rs, const rl_field *f)
{
    for (size_t i = 0; i < rs->n_ix_fields; i++)
        if (rs->ix_fields[i] == f)
            return PW_OK;
    rs->ix_fields[rs->n_ix_fields++] = f;
    return PW_OK;
}

static pw_rc index_rule(pw_ruleset *rs, uint32_t i)
{
    rl_rule *r = &rs->rules[i];
    const rl_node *n = best_leaf(r->cond);
    pw_rc rc = PW_OK;

    if (!n) {
        rs->always[rs->n_always++] = i;
        return PW_OK;
    }
    r->ix_field = n->field;
    r->ix_node = n;
    r->info.indexed = 1;
    if (n->op == OP_EQ)
        rc = slot_add(rs, n->field, &n->k1, i);
    for (size_t k = 0; rc == PW_OK && n->op == OP_IN && k < n->n_set; k++)
        rc = slot_add(rs, n->field, &n->set[k], i);
    return rc == PW_OK ? note_field(rs, n->field) : rc;
}

static size_t count_keys(const pw_ruleset *rs)
{
    size_t keys = 0;

    for (size_t i = 0; i < rs->n; i++) {
        const rl_node *n = best_leaf(rs->rules[i].cond);
        keys += n ? n_keys(n) : 0;
    }
    return keys;
}

pw_rc rl_index_build(pw_ruleset *rs)
{
    size_t keys = count_keys(rs), slots = 16;
    pw_rc rc = PW_OK;

    while (slots < 2 * keys + 2)
        slots *= 2;
    rs->slots = calloc(slots, sizeof(*rs->slots));
    rs->always = malloc((rs->n + 1) * sizeof(*rs->always));
    rs->ix_fields = malloc((rs->n + 1) * sizeof(*rs->ix_fields));
    if (!rs->slots || !rs->always || !rs->ix_fields)
        return PW_ERR_NOMEM;
    rs->n_slots = slots;
    for (size_t i = 0; rc == PW_OK && i < rs->n; i++)
        rc = index_rule(rs, (uint32_t)i);
    return rc;
}

void rl_index_free(pw_ruleset *rs)
{
    for (size_t i = 0; rs->slots && i < rs->n_slots; i++)
        free(rs->slots[i].rules);
    free(rs->slots);
    free(rs->always);
    free(rs->ix_fields);
}

/* Adds rule r to the candidates once. */
static void candidate(pw_rule_hits *h, uint32_t r)
{
    if (h->seen[r] == h->stamp)
        return;
    h->seen[r] = h->stamp;
    h->scratch[h->n_scratch++] = r;
}

static void lookup_field(const pw_ruleset *rs, const rl_field *f,
                         const pw_rule_subject *s, pw_rule_hits *h)
{
    size_t n = f->count(s);
    char buf[KEY_MAX];
    rl_value v;

    for (size_t i = 0; i < n; i++) {
        const rl_slot *slot;
        size_t len;
        if (!f->get(s, i, &v) || (len = key_of(&v, buf)) >= KEY_MAX)
            continue;
        slot = find_slot(rs, f, buf, len);
        for (size_t k = 0; slot->field && k < slot->n; k++)
            candidate(h, slot->rules[k]);
    }
}

static pw_rc make_room(const pw_ruleset *rs, pw_rule_hits *h)
{
    if (h->scratch_cap < rs->n + 1) {
        uint32_t *sc = realloc(h->scratch, (rs->n + 1) * sizeof(*sc));
        uint32_t *seen;
        if (!sc)
            return PW_ERR_NOMEM;
        h->scratch = sc;
        seen = realloc(h->seen, (rs->n + 1) * sizeof(*seen));
        if (!seen)
            return PW_ERR_NOMEM;
        memset(seen, 0, (rs->n + 1) * sizeof(*seen));
        h->seen = seen;
        h->scratch_cap = rs->n + 1;
        h->stamp = 0;
    }
    if (++h->stamp == 0) {
        memset(h->seen, 0, h->scratch_cap * sizeof(*h->seen));
        h->stamp = 1;
    }
    return PW_OK;
}

/* Few rules come out of the index for one subject: insertion sort. */
static void sort_small(uint32_t *v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        uint32_t x = v[i];
        size_t j = i;
        for (; j > 0 && v[j - 1] > x; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
}

/* Fills h->scratch with the rules the index picks for s, in rule order;
 * the rules in rs->always come on top of them. */
pw_rc rl_candidates(const pw_ruleset *rs, const pw_rule_subject *s,
                    pw_rule_hits *h)
{
    pw_rc rc = make_room(rs, h);

    if (rc != PW_OK)
        return rc;
    h->n_scratch = 0;
    for (size_t i = 0; i < rs->n_ix_fields; i++)
        lookup_field(rs, rs->ix_fields[i], s, h);
    sort_small(h->scratch, h->n_scratch);
    return PW_OK;
}

/* Scoring: aligns the tokens of a traveller's name with an entry's name
 * (best pairs first, order ignored), then adjusts by birth date, sex and
 * nationality. The weights are explained in docs/matching.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screen/load_common.h"
#include "screen/screen_int.h"

/* What an unaligned token costs, in units of an aligned token's weight:
 * a surname missing costs much, a middle name missing little. */
#define MISS_QUERY 0.5
#define MISS_ENTRY 0.35
#define MISS_SURNAME 1.5
#define MISS_INITIAL 0.15
#define INITIAL_WEIGHT 0.5

#define S PW_NAME_MAX_TOKENS

typedef struct align {
    int q_to_c[S];
    int c_used[S];
    double num, den, scale;
} align;

/* Greedy best-first assignment: with a handful of tokens it equals the
 * optimal one in all but contrived cases, and costs far less. */
static void assign(align *a, const float *sim, size_t nq, size_t nc)
{
    int q_used[S] = {0};

    for (size_t i = 0; i < nq; i++)
        a->q_to_c[i] = -1;
    memset(a->c_used, 0, sizeof a->c_used);
    for (;;) {
        float best = (float)PW__MIN_PAIR;
        int bi = -1, bj = -1;
        /* No similarity is above 1: once a pair of 1 is found, no later
         * pair can take its place, and the search stops. */
        for (size_t i = 0; i < nq && best < 1.0f; i++) {
            if (q_used[i])
                continue;
            for (size_t j = 0; j < nc; j++) {
                float v = sim[i * S + j];
                if (!a->c_used[j] && (v > best || (bi < 0 && v >= best))) {
                    best = v;
                    bi = (int)i;
                    bj = (int)j;
                }
            }
        }
        if (bi < 0)
            return;
        q_used[bi] = a->c_used[bj] = 1;
        a->q_to_c[bi] = bj;
    }
}

static double query_weight(const tok_meta *t)
{
    return t->initial ? INITIAL_WEIGHT : 1.0;
}

static double miss_cost(const tok_meta *t, double plain)
{
    if (t->initial)
        return MISS_INITIAL;
    return t->role == PW_ROLE_SURNAME ? MISS_SURNAME : plain;
}

/* Sums the aligned similarities, squared so that several middling pairs
 * do not add up to a match, and what the unaligned tokens cost. Initials
 * alone never make a name match: without one full token aligned well the
 * score is halved. */
static void weigh(align *a, const float *sim, const tok_meta *q, size_t nq,
                  const tok_meta *c, size_t nc)
{
    int strong = 0;

    a->num = a->den = 0.0;
    for (size_t i = 0; i < nq; i++) {
        int j = a->q_to_c[i];
        if (j < 0) {
            a->den += miss_cost(&q[i], MISS_QUERY);
            continue;
        }
        double v = sim[i * S + (size_t)j];
        a->num += query_weight(&q[i]) * v * v;
        a->den += query_weight(&q[i]);
        if (!q[i].initial && sim[i * S + (size_t)j] >= 0.8f)
            strong = 1;
    }
    for (size_t j = 0; j < nc; j++)
        if (!a->c_used[j])
            a->den += miss_cost(&c[j], MISS_ENTRY);
    a->scale = strong ? 1.0 : 0.5;
}

static double align_core(align *a, const float *sim, const tok_meta *q,
                         size_t nq, const tok_meta *c, size_t nc)
{
    if (nq == 0 || nc == 0)
        return 0.0;
    assign(a, sim, nq, nc);
    weigh(a, sim, q, nq, c, nc);
    return a->den > 0 ? a->num / a->den * a->scale : 0.0;
}

double pw__align_score(const float *sim, const tok_meta *q, size_t nq,
                       const tok_meta *c, size_t nc)
{
    align a;

    return align_core(&a, sim, q, nq, c, nc);
}

static void copy_field(char *dst, size_t cap, const char *src)
{
    size_t n = src ? strlen(src) : 0;

    if (n >= cap)
        n = cap - 1;
    if (n)
        memcpy(dst, src, n);
    dst[n] = '\0';
}

static void add_part(pw_expl_part *parts, size_t cap, size_t *n,
                     pw_expl_kind kind, const char *q, const char *e,
                     const char *how, double sim, double effect)
{
    if (!parts || *n >= cap)
        return;
    pw_expl_part *p = &parts[(*n)++];
    p->kind = kind;
    copy_field(p->query, sizeof p->query, q);
    copy_field(p->entry, sizeof p->entry, e);
    p->how = how;
    p->similarity = sim;
    p->effect = effect;
}

static void metas(const pw_name *nm, tok_meta *m)
{
    for (size_t i = 0; i < nm->n; i++) {
        m[i].role = nm->tok[i].role;
        m[i].initial = nm->tok[i].text[1] == '\0';
    }
}

static const char *const how_names[] = {NULL,      "exact",     "variant",
                                        "initial", "different", "phonetic",
                                        "fuzzy",   "particle"};

unsigned pw__how_code(const char *how)
{
    for (unsigned c = 1; c < sizeof how_names / sizeof *how_names; c++)
        /* The first letter spares most of the comparisons. */
        if (how[0] == how_names[c][0] && strcmp(how, how_names[c]) == 0)
            return c;
    return 0;
}

const char *pw__how_name(unsigned code)
{
    return code < sizeof how_names / sizeof *how_names ? how_names[code] : NULL;
}

static void explain_tokens(const align *a, const float *sim,
                           const unsigned char *hows, const tok_meta *qm,
                           const pw__tok_view *qv, size_t nq,
                           const tok_meta *cm, const pw__tok_view *cv,
                           size_t nc, pw_expl_part *parts, size_t cap,
                           size_t *n)
{
    double k = a->scale / a->den;
    const char *how;

    for (size_t i = 0; i < nq; i++) {
        int j = a->q_to_c[i];
        if (j < 0) {
            add_part(parts, cap, n, PW_EXPL_MISSING_QUERY,
                     qv[i].s[PW__TOK_TEXT], NULL, "missing", 0.0,
                     -miss_cost(&qm[i], MISS_QUERY) * k);
            continue;
        }
        double v = sim[i * S + (size_t)j];
        how = hows ? pw__how_name(hows[i * S + (size_t)j]) : NULL;
        if (!how)
            pw__token_similarity_view(&qv[i], &cv[j], &how);
        add_part(parts, cap, n, PW_EXPL_TOKEN, qv[i].s[PW__TOK_TEXT],
                 cv[j].s[PW__TOK_TEXT], how, v,
                 query_weight(&qm[i]) * v * v * k);
    }
    for (size_t j = 0; j < nc; j++)
        if (!a->c_used[j])
            add_part(parts, cap, n, PW_EXPL_MISSING_ENTRY, NULL,
                     cv[j].s[PW__TOK_TEXT], "missing", 0.0,
                     -miss_cost(&cm[j], MISS_ENTRY) * k);
}

double pw__name_explain(const float *sim, const unsigned char *how,
                        const tok_meta *qm, const pw__tok_view *qv, size_t nq,
                        const tok_meta *cm, const pw__tok_view *cv, size_t nc,
                        pw_expl_part *parts, size_t cap, size_t *n_parts)
{
    align a;
    double score = align_core(&a, sim, qm, nq, cm, nc);

    if (n_parts && nq && nc)
        explain_tokens(&a, sim, how, qm, qv, nq, cm, cv, nc, parts, cap,
                       n_parts);
    return score;
}

double pw__name_score(const pw_name *q, const pw_name *c, pw_expl_part *parts,
                      size_t cap, size_t *n_parts)
{
    float sim[S * S];
    tok_meta qm[S] = {{0}}, cm[S] = {{0}};
    pw__tok_view qv[S], cv[S];

    /* Each token seen once, as pw_token_similarity would see it for
     * every pair. */
    for (size_t i = 0; i < q->n; i++)
        pw__tok_view_of(&q->tok[i], &qv[i]);
    for (size_t j = 0; j < c->n; j++)
        pw__tok_view_of(&c->tok[j], &cv[j]);
    for (size_t i = 0; i < q->n; i++)
        for (size_t j = 0; j < c->n; j++)
            sim[i * S + j] =
                (float)pw__token_similarity_view(&qv[i], &cv[j], NULL);
    metas(q, qm);
    metas(c, cm);
    return pw__name_explain(sim, NULL, qm, qv, q->n, cm, cv, c->n, parts, cap,
                            n_parts);
}

/* ---- qualifiers ---- */

#define DOB_EXACT 0.08
#define DOB_SWAPPED 0.05
#define DOB_SAME_YEAR 0.02
#define DOB_CONFLICT (-0.15)
#define SEX_CONFLICT (-0.05)
#define NAT_MATCH 0.01
#define NAT_CONFLICT (-0.03)

typedef struct ymd {
    int y, m, d;
} ymd;

/* Reads YYYY, YYYY-MM or YYYY-MM-DD; 0 when unreadable. */
static int parse_date(const char *s, ymd *out)
{
    memset(out, 0, sizeof *out);
    if (!s || strlen(s) < 4)
        return 0;
    for (int i = 0; i < 4; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    out->y = atoi(s);
    if (s[4] == '-' && s[5] >= '0' && s[5] <= '9' && s[6] >= '0' &&
        s[6] <= '9') {
        out->m = (s[5] - '0') * 10 + (s[6] - '0');
        if (s[7] == '-' && s[8] >= '0' && s[8] <= '9' && s[9] >= '0' &&
            s[9] <= '9')
            out->d = (s[8] - '0') * 10 + (s[9] - '0');
    }
    return out->y > 0;
}

typedef struct dob_result {
    const char *how;
    double effect;
    int rank; /* higher is a better outcome */
} dob_result;

/* A listed date, read: from, and to.y when it is a range (to readable
 * and not before from). */
static dob_result compare_read(const q_info *q, const ymd *e, int range,
                               int to_y)
{
    dob_result r = {"conflict", DOB_CONFLICT, 0};

    if (range) {
        if (q->year >= e->y && q->year <= to_y)
            return (dob_result){"same_year", DOB_SAME_YEAR, 3};
        if (q->year >= e->y - 3 && q->year <= to_y + 3)
            return (dob_result){"near", 0.0, 2};
        return r;
    }
    if (e->y == q->year) {
        if (e->m && q->month && e->d && q->day && e->m == q->month &&
            e->d == q->day)
            return (dob_result){"exact", DOB_EXACT, 5};
        if (e->m && q->month && e->d && q->day && e->m == q->day &&
            e->d == q->month)
            return (dob_result){"swapped", DOB_SWAPPED, 4};
        return (dob_result){"same_year", DOB_SAME_YEAR, 3};
    }
    if (abs(e->y - q->year) <= 3)
        return (dob_result){"near", 0.0, 2};
    return r;
}

static dob_result compare_date(const q_info *q, const pw_entry_date *ed)
{
    ymd e, to;

    if (!parse_date(ed->from, &e))
        return (dob_result){"absent", 0.0, 1};
    int range = ed->to && parse_date(ed->to, &to) && to.y >= e.y;
    return compare_read(q, &e, range, range ? to.y : 0);
}

static double birth_date(const q_info *q, const pw_entry *e,
                         pw_expl_part *parts, size_t cap, size_t *n)
{
    dob_result best = {"absent", 0.0, -1};
    size_t best_i = 0;

    if (!q->year || e->n_birth_dates == 0) {
        add_part(parts, cap, n, PW_EXPL_BIRTH_DATE, NULL, NULL, "absent", 0.0,
                 0.0);
        return 0.0;
    }
    for (size_t i = 0; i < e->n_birth_dates; i++) {
        dob_result r = compare_date(q, &e->birth_dates[i]);
        if (r.rank > best.rank) {
            best = r;
            best_i = i;
        }
    }
    if (parts && *n < cap) {
        char qd[16];
        snprintf(qd, sizeof qd, "%04d-%02d-%02d", q->year, q->month, q->day);
        add_part(parts, cap, n, PW_EXPL_BIRTH_DATE, qd,
                 e->birth_dates[best_i].from, best.how, 0.0, best.effect);
    }
    return best.effect;
}

static double sex(const q_info *q, const pw_entry *e, pw_expl_part *parts,
                  size_t cap, size_t *n)
{
    char qs[2] = {q->sex, 0};

    if (!q->sex || !e->sex || (e->sex[0] != 'M' && e->sex[0] != 'F')) {
        add_part(parts, cap, n, PW_EXPL_SEX, qs, e->sex, "absent", 0, 0);
        return 0.0;
    }
    int same = e->sex[0] == q->sex;
    double eff = same ? 0.0 : SEX_CONFLICT;
    add_part(parts, cap, n, PW_EXPL_SEX, qs, e->sex,
             same ? "match" : "conflict", 0, eff);
    return eff;
}

static double nationality(const q_info *q, const pw_entry *e,
                          pw_expl_part *parts, size_t cap, size_t *n)
{
    if (!q->nat[0] || e->n_nationalities == 0) {
        add_part(parts, cap, n, PW_EXPL_NATIONALITY, q->nat, NULL, "absent", 0,
                 0);
        return 0.0;
    }
    for (size_t i = 0; i < e->n_nationalities; i++)
        if (e->nationalities[i] && strcmp(e->nationalities[i], q->nat) == 0) {
            add_part(parts, cap, n, PW_EXPL_NATIONALITY, q->nat, q->nat,
                     "match", 0, NAT_MATCH);
            return NAT_MATCH;
        }
    add_part(parts, cap, n, PW_EXPL_NATIONALITY, q->nat, e->nationalities[0],
             "conflict", 0, NAT_CONFLICT);
    return NAT_CONFLICT;
}

double pw__qualifiers(const q_info *q, const pw_entry *e, pw_expl_part *parts,
                      size_t cap, size_t *n_parts)
{
    size_t dummy = 0;
    size_t *n = n_parts ? n_parts : &dummy;

    if (!parts && !q->year && !q->sex && !q->nat[0])
        return 0.0; /* nothing to compare: the common case when screening */
    return birth_date(q, e, parts, cap, n) + sex(q, e, parts, cap, n) +
           nationality(q, e, parts, cap, n);
}

/* What pw__qual_of packs of an entry's birth dates and nationalities. */
enum { QD_NONE, QD_ONE, QD_UNREAD, QD_ENTRY };
enum { QN_NONE, QN_ONE, QN_ENTRY };

void pw__qual_of(const pw_entry *e, ix_qual *out)
{
    ymd d, to;

    memset(out, 0, sizeof *out);
    out->date = QD_ENTRY;
    if (e->n_birth_dates == 0)
        out->date = QD_NONE;
    else if (e->n_birth_dates == 1 && !parse_date(e->birth_dates[0].from, &d))
        out->date = QD_UNREAD;
    else if (e->n_birth_dates == 1 && d.y <= 9999) {
        const char *t = e->birth_dates[0].to;
        out->date = QD_ONE;
        out->y = (int16_t)d.y;
        out->m = (uint8_t)d.m;
        out->d = (uint8_t)d.d;
        if (t && parse_date(t, &to) && to.y >= d.y) {
            if (to.y <= 9999)
                out->to_y = (int16_t)to.y;
            else
                out->date = QD_ENTRY; /* beyond int16_t: compared in full */
        }
    }
    if (e->sex && (e->sex[0] == 'M' || e->sex[0] == 'F'))
        out->sex = e->sex[0];
    out->nat_kind = e->n_nationalities == 0   ? QN_NONE
                    : e->n_nationalities == 1 ? QN_ONE
                                              : QN_ENTRY;
    /* One nationality longer than three letters, or none given, equals
     * no query's (three letters at most, and not empty when compared):
     * kept as "", which equals none either. */
    const char *n = e->n_nationalities == 1 ? e->nationalities[0] : NULL;
    if (n && strlen(n) < sizeof out->nat)
        memcpy(out->nat, n, strlen(n) + 1);
}

double pw__qualifiers_packed(const q_info *q, const ix_qual *p,
                             const pw_entry *const *e)
{
    if (!q->year && !q->sex && !q->nat[0])
        return 0.0;
    if (p->date == QD_ENTRY || p->nat_kind == QN_ENTRY)
        return pw__qualifiers(q, *e, NULL, 0, NULL);
    double b = 0.0, sx = 0.0, n = 0.0;
    if (q->year && p->date == QD_ONE) {
        ymd d = {p->y, p->m, p->d};
        b = compare_read(q, &d, p->to_y != 0, p->to_y).effect;
    }
    if (q->sex && p->sex && p->sex != q->sex)
        sx = SEX_CONFLICT;
    if (q->nat[0] && p->nat_kind == QN_ONE)
        n = strcmp(p->nat, q->nat) == 0 ? NAT_MATCH : NAT_CONFLICT;
    return b + sx + n;
}

double pw__qualifiers_max(const q_info *q)
{
    char date[16] = "";
    const char *nat = q->nat;
    char sx[2] = {q->sex, '\0'};
    pw_entry_date d = {.from = date};
    pw_entry e = {.kind = PW_ENTRY_PERSON};

    /* Each qualifier adds most when the entry says what the traveller
     * says: an exact date, the same nationality, the same sex. */
    if (q->year && q->month && q->day)
        snprintf(date, sizeof date, "%04d-%02d-%02d", q->year, q->month,
                 q->day);
    else if (q->year)
        snprintf(date, sizeof date, "%04d", q->year);
    if (date[0]) {
        e.birth_dates = &d;
        e.n_birth_dates = 1;
    }
    if (nat[0]) {
        e.nationalities = &nat;
        e.n_nationalities = 1;
    }
    e.sex = q->sex ? sx : NULL;
    double max = pw__qualifiers(q, &e, NULL, 0, NULL);
    return max > 0 ? max : 0.0;
}

static void query_nationality(const char *s, char out[4])
{
    out[0] = '\0';
    if (!s || !*s)
        return;
    const char *a3 = pw_wl_country_alpha3(s);
    snprintf(out, 4, "%s", a3 ? a3 : s);
}

static pw_rc query_name(const pw_screen_query *q, pw_name *out)
{
    if (q->surname || q->given_names)
        return pw_name_normalize_parts(q->surname, q->given_names, out);
    if (q->name)
        return pw_name_normalize(q->name, strlen(q->name), out);
    out->n = 0;
    return PW_OK;
}

pw_rc pw__query_info(const pw_screen_query *q, q_info *out)
{
    ymd d;

    pw_rc rc = query_name(q, &out->name);
    if (rc != PW_OK)
        return rc;
    out->has_name = out->name.n > 0;
    parse_date(q->birth_date, &d);
    out->year = d.y;
    out->month = d.m;
    out->day = d.d;
    query_nationality(q->nationality, out->nat);
    const char *s = q->sex ? pw_wl_sex(q->sex) : NULL;
    out->sex = s ? s[0] : 0;
    return PW_OK;
}

/* The iAPI decision: a carrier's PAXLST request read in memory, each
 * traveller screened and their documents checked, and the CUSRES answer
 * made from the policy. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "paxwatch/iapi.h"
#include "paxwatch/messages.h"

#define MAX_MESSAGES 99
#define MAX_QUERY_DOCS 8

struct pw_iapi {
    const pw_screen_index *index;
    pw_iapi_policy policy;
    long long now; /* 0: the real clock */
};

pw_rc pw_iapi_new(const pw_screen_index *index, const pw_iapi_policy *policy,
                  pw_iapi **out)
{
    pw_iapi *ctx;

    if (!out)
        return PW_ERR_INVALID;
    *out = NULL;
    if (policy &&
        (!(policy->threshold > 0.0 && policy->threshold <= 1.0) ||
         policy->max_hits < 1 || policy->max_hits > PW_SCREEN_MAX_LIMIT))
        return PW_ERR_INVALID;
    ctx = calloc(1, sizeof(*ctx));
    if (!ctx)
        return PW_ERR_NOMEM;
    ctx->index = index;
    if (policy)
        ctx->policy = *policy;
    else
        pw_iapi_policy_default(&ctx->policy);
    *out = ctx;
    return PW_OK;
}

void pw_iapi_free(pw_iapi *ctx)
{
    free(ctx);
}

void pw_iapi_set_clock(pw_iapi *ctx, long long now)
{
    if (ctx)
        ctx->now = now;
}

void pw_iapi_result_free(pw_iapi_result *r)
{
    if (!r)
        return;
    free(r->passengers);
    free(r->hits);
    pw_diags_clear(&r->diags);
    pw_screen_results_free(&r->scratch);
    memset(r, 0, sizeof(*r));
}

static void result_reset(pw_iapi_result *r)
{
    r->rejected = r->change = 0;
    r->n_messages = r->n_passengers = r->n_hits = 0;
    pw_diags_clear(&r->diags);
}

static void clock_parts(const pw_iapi *ctx, struct tm *tm)
{
    time_t t = ctx->now ? (time_t)ctx->now : time(NULL);

    gmtime_r(&t, tm);
}

/* Everything one answer is made of, freed together. */
typedef struct job {
    const pw_iapi *ctx;
    pw_iapi_result *r;
    pw_edi_interchange *ix;
    pw_msg *msgs[MAX_MESSAGES];
    size_t n_msgs;
    pw_cusres_message cm[MAX_MESSAGES];
    pw_cusres_answer *answers;
    pw_arena arena;
    char now[64];
    char today[11]; /* YYYY-MM-DD */
} job;

static void job_free(job *j)
{
    for (size_t i = 0; i < j->n_msgs; i++)
        pw_msg_free(j->msgs[i]);
    pw_edi_free(j->ix);
    free(j->answers);
    pw_arena_free(&j->arena);
}

static pw_rc add_passenger(pw_iapi_result *r, pw_iapi_passenger **out)
{
    if (r->n_passengers == r->cap_passengers) {
        size_t cap = r->cap_passengers ? r->cap_passengers * 2 : 8;
        pw_iapi_passenger *p = realloc(r->passengers, cap * sizeof(*p));

        if (!p)
            return PW_ERR_NOMEM;
        r->passengers = p;
        r->cap_passengers = cap;
    }
    *out = &r->passengers[r->n_passengers++];
    memset(*out, 0, sizeof(**out));
    return PW_OK;
}

static pw_rc add_hit(pw_iapi_result *r, size_t passenger,
                     const pw_screen_hit *h)
{
    pw_iapi_hit *x;

    if (r->n_hits == r->cap_hits) {
        size_t cap = r->cap_hits ? r->cap_hits * 2 : 4;
        pw_iapi_hit *p = realloc(r->hits, cap * sizeof(*p));

        if (!p)
            return PW_ERR_NOMEM;
        r->hits = p;
        r->cap_hits = cap;
    }
    x = &r->hits[r->n_hits++];
    x->passenger = passenger;
    x->hit = *h;
    x->document = 0;
    for (size_t i = 0; i < h->n_parts; i++)
        if (h->parts[i].kind == PW_EXPL_DOCUMENT)
            x->document = 1;
    x->lost_stolen =
        h->entry && (h->entry->kind == PW_ENTRY_DOCUMENT ||
                     (x->document && h->entry->category &&
                      !strcmp(h->entry->category, "lost_or_stolen")));
    return PW_OK;
}

static size_t make_query(const pw_traveller *t, pw_screen_query *q,
                         pw_screen_document *docs)
{
    size_t n = 0;

    memset(q, 0, sizeof(*q));
    q->surname = t->surname;
    q->given_names = t->given_names;
    q->birth_date = t->birth_date;
    q->nationality = t->nationality;
    q->sex = t->sex;
    for (size_t i = 0; i < t->n_documents && n < MAX_QUERY_DOCS; i++) {
        if (!t->documents[i].number)
            continue;
        docs[n].type = t->documents[i].type;
        docs[n].number = t->documents[i].number;
        docs[n].issuer = t->documents[i].issuer;
        n++;
    }
    q->documents = docs;
    q->n_documents = n;
    return n;
}

/* A name the matcher refuses is screened by its documents alone rather
 * than not at all; *screened says whether anything could be screened. */
static pw_rc match(const pw_iapi *ctx, pw_screen_query *q,
                   pw_screen_results *res, int *screened)
{
    const pw_iapi_policy *p = &ctx->policy;
    pw_rc rc = pw_screen_match(ctx->index, q, p->threshold, p->max_hits, res);

    *screened = 1;
    if (rc == PW_ERR_LIMIT || rc == PW_ERR_SYNTAX || rc == PW_ERR_INVALID) {
        q->surname = q->given_names = q->name = NULL;
        rc = q->n_documents ? pw_screen_match(ctx->index, q, p->threshold,
                                              p->max_hits, res)
                            : PW_ERR_INVALID;
    }
    if (rc == PW_ERR_LIMIT || rc == PW_ERR_SYNTAX || rc == PW_ERR_INVALID) {
        *screened = 0;
        res->n = 0;
        return PW_OK;
    }
    return rc;
}

/* What screening says: bit 1 lost or stolen, bit 2 person, bit 4 could
 * not be screened. */
static pw_rc screen(job *j, const pw_traveller *t, pw_iapi_passenger *ps,
                    int *flags)
{
    pw_screen_document docs[MAX_QUERY_DOCS];
    pw_screen_query q;
    pw_iapi_result *r = j->r;
    size_t me = (size_t)(ps - r->passengers);
    int screened;
    pw_rc rc;

    *flags = 0;
    ps->first_hit = r->n_hits;
    if (!j->ctx->index)
        return PW_OK;
    make_query(t, &q, docs);
    rc = match(j->ctx, &q, &r->scratch, &screened);
    if (!screened)
        *flags |= 4;
    for (size_t i = 0; rc == PW_OK && i < r->scratch.n; i++) {
        rc = add_hit(r, me, &r->scratch.hits[i]);
        if (rc == PW_OK)
            *flags |= r->hits[r->n_hits - 1].lost_stolen ? 1 : 2;
    }
    ps->n_hits = r->n_hits - ps->first_hit;
    return rc;
}

/* A visa lets one enter; it is not a document one travels on. */
static int travel_document(const pw_document *d)
{
    return d->number && !(d->type && d->type[0] == 'V');
}

/* Compares an ISO date, possibly partial, with a full one on the digits
 * both give: 1 when expiry is strictly before day. */
static int before(const char *expiry, const char *day)
{
    size_t n = strlen(expiry);

    if (n > 10)
        n = 10;
    return strncmp(expiry, day, n) < 0;
}

/* 1 no travel document, 2 every one expired before departure, else 0. */
static int check_documents(const pw_traveller *t, const char *day)
{
    size_t n = 0, expired = 0;

    for (size_t i = 0; i < t->n_documents; i++) {
        const pw_document *d = &t->documents[i];

        if (!travel_document(d))
            continue;
        n++;
        if (d->expiry && before(d->expiry, day))
            expired++;
    }
    if (!n)
        return 1;
    return expired == n ? 2 : 0;
}

static pw_iapi_reason reason_of(int screen_flags, int doc_state)
{
    if (screen_flags & 1)
        return PW_IAPI_LOST_STOLEN;
    if (screen_flags & 2)
        return PW_IAPI_PERSON_HIT;
    if (screen_flags & 4)
        return PW_IAPI_UNREADABLE;
    if (doc_state == 1)
        return PW_IAPI_NO_DOCUMENT;
    if (doc_state == 2)
        return PW_IAPI_EXPIRED;
    return PW_IAPI_CLEAR;
}

/* The departure day of a message's movement, else today. */
static const char *departure_day(const job *j, const pw_msg *m, char buf[11])
{
    const char *l =
        m->movement.n_legs ? m->movement.legs[0].departure.local : NULL;

    if (!l || strlen(l) < 10)
        return j->today;
    memcpy(buf, l, 10);
    buf[10] = '\0';
    return buf;
}

static pw_rc decide(job *j, size_t mi, size_t ti, pw_cusres_answer *a)
{
    const pw_msg *m = j->msgs[mi];
    const pw_traveller *t = &m->travellers[ti];
    const pw_iapi_policy *p = &j->ctx->policy;
    pw_iapi_passenger *ps;
    char buf[11];
    int flags;
    pw_rc rc = add_passenger(j->r, &ps);

    if (rc != PW_OK)
        return rc;
    ps->message = mi;
    ps->traveller = ti;
    ps->segment = t->segment;
    rc = screen(j, t, ps, &flags);
    if (rc != PW_OK)
        return rc;
    ps->reason = reason_of(flags, check_documents(t, departure_day(j, m, buf)));
    ps->code = p->code[ps->reason];
    a->booking_ref = t->booking_ref;
    a->passenger_ref = t->passenger_ref;
    a->code = ps->code;
    a->text = p->text[ps->reason];
    return PW_OK;
}

/* Records why the request as a whole cannot be answered; the answer
 * then says so in one ERP+1 group. */
static pw_rc reject(job *j, uint32_t segment, size_t offset, const char *why)
{
    j->r->rejected = 1;
    return pw_diags_add(&j->r->diags, PW_ERROR, segment, offset, "%s", why);
}

static pw_rc reject_diag(job *j, const pw_diags *d, const char *fallback)
{
    for (size_t i = 0; d && i < d->n; i++)
        if (d->items[i].severity == PW_ERROR)
            return reject(j, d->items[i].segment, d->items[i].offset,
                          d->items[i].message);
    return reject(j, 0, 0, fallback);
}

static pw_rc check_message(job *j, size_t i)
{
    const pw_edi_message *em = &j->ix->messages[i];
    const pw_edi_segment *unh = &j->ix->segments[em->first_segment];
    pw_part_info part;

    if (!em->type || strcmp(em->type, "PAXLST"))
        return reject(j, unh->number, unh->offset,
                      "not a PAXLST: iAPI answers PAXLST requests only");
    if (!em->complete)
        return reject(j, unh->number, unh->offset,
                      "PAXLST without UNT: the message is cut short");
    pw_part_info_get(j->ix, i, &part);
    if (part.multipart)
        return reject(j, unh->number, unh->offset,
                      "a part of a multi-part PAXLST: an iAPI request must "
                      "be one message");
    return PW_OK;
}

static pw_rc map_message(job *j, size_t i, size_t *n_travellers)
{
    const pw_edi_message *em = &j->ix->messages[i];
    const pw_edi_segment *unh = &j->ix->segments[em->first_segment];
    pw_msg *m = NULL;
    pw_rc rc = pw_paxlst_map(j->ix, i, &m);

    if (rc == PW_ERR_NOMEM)
        return rc;
    if (rc != PW_OK)
        return reject(j, unh->number, unh->offset, "PAXLST cannot be read");
    j->msgs[j->n_msgs++] = m;
    if (!m->n_travellers && m->diags.n_errors)
        return reject_diag(j, &m->diags, "PAXLST cannot be read");
    if (!m->n_travellers)
        return reject(j, unh->number, unh->offset,
                      "PAXLST names no traveller (NAD) to answer for");
    if (m->function && !strcmp(m->function, "CP"))
        j->r->change = 1;
    *n_travellers += m->n_travellers;
    if (*n_travellers > PW_IAPI_MAX_PASSENGERS)
        return reject(j, unh->number, unh->offset,
                      "more than 999 travellers in one iAPI request");
    return PW_OK;
}

/* Parses and maps the request; a request that cannot be read leaves
 * j->r->rejected set with the reason in j->r->diags. */
static pw_rc read_request(job *j, const char *req, size_t len, size_t *n_trv)
{
    pw_edi_limits lim = {.max_input = PW_IAPI_MAX_REQUEST};
    pw_rc rc;

    if (len > PW_IAPI_MAX_REQUEST)
        return reject(j, 0, PW_IAPI_MAX_REQUEST, "request larger than 1 MiB");
    rc = pw_edi_parse(req, len, &lim, &j->ix);
    if (rc == PW_ERR_NOMEM)
        return rc;
    if (rc != PW_OK || !j->ix)
        return reject_diag(j, j->ix ? &j->ix->diags : NULL,
                           "not an EDIFACT interchange");
    if (!j->ix->n_messages)
        return reject_diag(j, &j->ix->diags, "no message (UNH) in request");
    if (j->ix->n_messages > MAX_MESSAGES)
        return reject(j, 0, 0, "more than 99 messages in one iAPI request");
    for (size_t i = 0; i < j->ix->n_messages && !j->r->rejected; i++) {
        rc = check_message(j, i);
        if (rc == PW_OK && !j->r->rejected)
            rc = map_message(j, i, n_trv);
        if (rc != PW_OK)
            return rc;
    }
    return PW_OK;
}

/* A value as sent without the blanks some carriers put around it. */
static const char *clean(job *j, const char *s)
{
    size_t n;

    if (!s)
        return NULL;
    while (*s == ' ')
        s++;
    n = strlen(s);
    while (n && s[n - 1] == ' ')
        n--;
    return n ? pw_arena_strndup(&j->arena, s, n) : NULL;
}

static void fill_flight(job *j, const pw_msg *m, pw_cusres_message *c)
{
    const pw_movement *mv = &m->movement;
    const pw_leg *first = mv->n_legs ? &mv->legs[0] : NULL;
    const pw_leg *last = mv->n_legs ? &mv->legs[mv->n_legs - 1] : NULL;

    c->reference = m->message_ref ? m->message_ref : "1";
    c->transaction_ref = m->transaction_ref;
    c->flight = mv->number;
    if (!first)
        return;
    c->departure = clean(j, first->departure.sent);
    c->arrival = clean(j, last->arrival.sent);
    c->from = first->from;
    c->to = last->to;
}

static pw_rc answer_all(job *j, size_t n_travellers)
{
    size_t k = 0;
    pw_rc rc = PW_OK;

    j->answers = calloc(n_travellers, sizeof(*j->answers));
    if (!j->answers)
        return PW_ERR_NOMEM;
    for (size_t mi = 0; mi < j->n_msgs && rc == PW_OK; mi++) {
        pw_cusres_message *c = &j->cm[mi];

        fill_flight(j, j->msgs[mi], c);
        c->answers = &j->answers[k];
        c->n_answers = j->msgs[mi]->n_travellers;
        for (size_t ti = 0; ti < c->n_answers && rc == PW_OK; ti++)
            rc = decide(j, mi, ti, &j->answers[k++]);
    }
    j->r->n_messages = j->n_msgs;
    return rc;
}

/* The one answer for a request that cannot be read: where and why. */
static pw_rc answer_rejected(job *j)
{
    const pw_iapi_policy *p = &j->ctx->policy;
    const pw_diag *g = &j->r->diags.items[0];
    const pw_edi_interchange *ix = j->ix;
    pw_cusres_message *c = &j->cm[0];

    j->answers = calloc(1, sizeof(*j->answers));
    if (!j->answers)
        return PW_ERR_NOMEM;
    j->answers->all_passengers = 1;
    j->answers->code = p->code[PW_IAPI_UNREADABLE];
    j->answers->text = pw_arena_printf(
        &j->arena, "%s: segment %u, byte %zu: %s", p->text[PW_IAPI_UNREADABLE],
        (unsigned)g->segment, g->offset, g->message);
    if (!j->answers->text)
        return PW_ERR_NOMEM;
    memset(c, 0, sizeof(*c));
    c->reference = ix && ix->n_messages && ix->messages[0].reference
                       ? ix->messages[0].reference
                       : "1";
    c->answers = j->answers;
    c->n_answers = 1;
    return PW_OK;
}

static pw_rc write_answer(job *j, size_t n_messages, char **out, size_t *len)
{
    const pw_edi_interchange *ix = j->ix;
    const char *us = j->ctx->policy.sender;
    pw_cusres c = {0};

    if (!*us)
        us = ix && ix->recipient ? ix->recipient : "PAXWATCH";
    c.sender = us;
    c.recipient = ix && ix->sender ? ix->sender : "UNKNOWN";
    c.control_ref = ix && ix->control_reference && *ix->control_reference
                        ? ix->control_reference
                        : "1";
    c.now = j->now;
    c.messages = j->cm;
    c.n_messages = n_messages;
    return pw_cusres_write(&c, out, len);
}

static void set_dates(job *j)
{
    struct tm tm;

    clock_parts(j->ctx, &tm);
    /* UNB S004: YYMMDD:HHMM, the two-digit year syntax 4 allows. */
    snprintf(j->now, sizeof(j->now), "%02d%02d%02d:%02d%02d", tm.tm_year % 100,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min);
    strftime(j->today, sizeof(j->today), "%Y-%m-%d", &tm);
}

pw_rc pw_iapi_answer(const pw_iapi *ctx, const char *request, size_t len,
                     char **cusres, size_t *cusres_len, pw_iapi_result *r)
{
    job j = {.ctx = ctx, .r = r};
    size_t n_travellers = 0;
    pw_rc rc;

    if (!ctx || (!request && len) || !cusres || !cusres_len || !r)
        return PW_ERR_INVALID;
    *cusres = NULL;
    *cusres_len = 0;
    result_reset(r);
    pw_arena_init(&j.arena, 1 << 20);
    set_dates(&j);
    rc = read_request(&j, request ? request : "", len, &n_travellers);
    if (rc == PW_OK && !r->rejected)
        rc = answer_all(&j, n_travellers);
    if (rc == PW_OK && r->rejected) {
        r->n_passengers = r->n_hits = r->n_messages = 0;
        rc = answer_rejected(&j);
    }
    if (rc == PW_OK)
        rc = write_answer(&j, r->rejected ? 1 : j.n_msgs, cusres, cusres_len);
    job_free(&j);
    return rc;
}

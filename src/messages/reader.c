/* The reader: one entry point that takes inputs one at a time, reads the
 * EDIFACT in them, maps each PAXLST to the model, and holds the parts of
 * multi-part messages until their set is complete. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "messages/parts_int.h"
#include "paxwatch/booking.h"
#include "paxwatch/messages.h"

/* Bounds on what waiting parts may hold, so that a stream of parts that
 * never complete cannot grow the reader without end. */
#define MAX_SETS 10000
#define MAX_PARTS 999
#define MAX_HELD ((size_t)256 * 1024 * 1024)

typedef struct part {
    unsigned number;
    int final;
    char *text;
    size_t len;
} part;

typedef struct part_set {
    char key[256];
    part *parts; /* sorted by number */
    size_t n, cap;
    pw_msgs_env env; /* from the interchange of part 1 */
    int have_env;
} part_set;

struct pw_reader {
    part_set *sets;
    size_t n_sets, cap_sets;
    size_t held; /* bytes of part text held */

    pw_batch batch;
    pw_diags diags;
    pw_edi_interchange *ix;
    pw_result *results;
    size_t n_results, cap_results;

    /* Where stored parts come from (pw_reader_set_part_source), and the
     * keys asked for already. */
    pw_reader_part_source source;
    void *source_ctx;
    char (*asked)[256];
    size_t n_asked, cap_asked;
};

pw_rc pw_reader_new(pw_reader **out)
{
    *out = calloc(1, sizeof(**out));
    return *out ? PW_OK : PW_ERR_NOMEM;
}

static void set_free(part_set *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->parts[i].text);
    free(s->parts);
    pw_msgs_env_free(&s->env);
}

static void batch_clear(pw_reader *r)
{
    for (size_t i = 0; i < r->n_results; i++)
        pw_msg_free(r->results[i].msg);
    r->n_results = 0;
    pw_diags_clear(&r->diags);
    pw_edi_free(r->ix);
    r->ix = NULL;
    memset(&r->batch, 0, sizeof(r->batch));
}

void pw_reader_free(pw_reader *r)
{
    if (!r)
        return;
    batch_clear(r);
    free(r->results);
    for (size_t i = 0; i < r->n_sets; i++)
        set_free(&r->sets[i]);
    free(r->sets);
    free(r->asked);
    free(r);
}

void pw_reader_set_part_source(pw_reader *r, pw_reader_part_source source,
                               void *ctx)
{
    r->source = source;
    r->source_ctx = ctx;
}

/* The first time a part of set key is met, the source adds the parts
 * stored for it (with pw_reader_add_part), once per key. */
static pw_rc ask_source(pw_reader *r, const char *key)
{
    for (size_t i = 0; i < r->n_asked; i++)
        if (!strcmp(r->asked[i], key))
            return PW_OK;
    if (r->n_asked == r->cap_asked) {
        size_t cap = r->cap_asked ? r->cap_asked * 2 : 4;
        char(*asked)[256] = realloc(r->asked, cap * sizeof(*asked));

        if (!asked)
            return PW_ERR_NOMEM;
        r->asked = asked;
        r->cap_asked = cap;
    }
    snprintf(r->asked[r->n_asked++], sizeof(r->asked[0]), "%s", key);
    return r->source(r->source_ctx, key);
}

static pw_result *add_result(pw_reader *r)
{
    pw_result *res;

    if (r->n_results == r->cap_results) {
        size_t cap = r->cap_results ? r->cap_results * 2 : 8;
        pw_result *p = realloc(r->results, cap * sizeof(*p));
        if (!p)
            return NULL;
        r->results = p;
        r->cap_results = cap;
    }
    res = &r->results[r->n_results++];
    memset(res, 0, sizeof(*res));
    return res;
}

/* Only what begins like an interchange is handed to the EDIFACT reader:
 * after a byte-order mark and white space, UNA, UNB, UNG or UNH. */
static int looks_like_edifact(const char *d, size_t len)
{
    size_t i = 0;

    if (len >= 3 && !memcmp(d, "\xEF\xBB\xBF", 3))
        i = 3;
    while (i < len && strchr(" \t\r\n", d[i]) && d[i])
        i++;
    return len - i >= 3 && d[i] == 'U' && d[i + 1] == 'N' &&
           strchr("ABGH", d[i + 2]) && d[i + 2];
}

static pw_rc reject(pw_reader *r, size_t offset, const char *why)
{
    r->batch.rejected = 1;
    return pw_diags_add(&r->diags, PW_ERROR, 0, offset, "%s", why);
}

static int in_message(const pw_edi_interchange *ix, uint32_t segment)
{
    for (size_t i = 0; i < ix->n_messages; i++) {
        const pw_edi_message *m = &ix->messages[i];
        uint32_t first, last;
        if (!m->n_segments)
            continue;
        first = ix->segments[m->first_segment].number;
        last = ix->segments[m->first_segment + m->n_segments - 1].number;
        if (segment >= first && segment <= last)
            return 1;
    }
    return 0;
}

/* Findings about the envelope rather than one message. */
static pw_rc copy_envelope_diags(pw_reader *r)
{
    const pw_diags *d = &r->ix->diags;

    for (size_t i = 0; i < d->n; i++) {
        const pw_diag *g = &d->items[i];
        if (g->segment && in_message(r->ix, g->segment))
            continue;
        if (pw_diags_copy(&r->diags, g) != PW_OK)
            return PW_ERR_NOMEM;
    }
    return PW_OK;
}

/* Envelope warnings concern every message of the interchange, so each
 * message's own list repeats them. */
static pw_rc add_envelope_to(pw_reader *r, pw_msg *m)
{
    for (size_t i = 0; i < r->diags.n; i++) {
        const pw_diag *g = &r->diags.items[i];
        if (pw_diags_copy(&m->diags, g) != PW_OK)
            return PW_ERR_NOMEM;
    }
    return PW_OK;
}

static part_set *find_set(pw_reader *r, const char *key)
{
    for (size_t i = 0; i < r->n_sets; i++)
        if (!strcmp(r->sets[i].key, key))
            return &r->sets[i];
    return NULL;
}

static part_set *new_set(pw_reader *r, const char *key)
{
    part_set *s;

    if (r->n_sets == r->cap_sets) {
        size_t cap = r->cap_sets ? r->cap_sets * 2 : 8;
        part_set *p = realloc(r->sets, cap * sizeof(*p));
        if (!p)
            return NULL;
        r->sets = p;
        r->cap_sets = cap;
    }
    s = &r->sets[r->n_sets++];
    memset(s, 0, sizeof(*s));
    memcpy(s->key, key, sizeof(s->key));
    return s;
}

static void drop_set(pw_reader *r, part_set *s)
{
    for (size_t i = 0; i < s->n; i++)
        r->held -= s->parts[i].len;
    set_free(s);
    *s = r->sets[--r->n_sets];
}

/* Puts the part in number order; a repeated number replaces the part
 * held (a retransmission). Takes ownership of text on success. */
static pw_rc insert_part(pw_reader *r, part_set *s, const part *p)
{
    size_t i = 0;

    while (i < s->n && s->parts[i].number < p->number)
        i++;
    if (i < s->n && s->parts[i].number == p->number) {
        r->held -= s->parts[i].len;
        free(s->parts[i].text);
        s->parts[i] = *p;
        r->held += p->len;
        return PW_OK;
    }
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 4;
        part *np = realloc(s->parts, cap * sizeof(*np));
        if (!np)
            return PW_ERR_NOMEM;
        s->parts = np;
        s->cap = cap;
    }
    memmove(&s->parts[i + 1], &s->parts[i], (s->n - i) * sizeof(part));
    s->parts[i] = *p;
    s->n++;
    r->held += p->len;
    return PW_OK;
}

/* Complete when parts 1..n are all held and part n is flagged final. */
static size_t set_complete(const part_set *s)
{
    for (size_t i = 0; i < s->n; i++) {
        if (s->parts[i].number != i + 1)
            return 0;
        if (s->parts[i].final)
            return i + 1;
    }
    return 0;
}

static const char *limit_reason(const pw_reader *r, const part_set *s,
                                const pw_part_info *info, size_t len)
{
    if (!s && r->n_sets >= MAX_SETS)
        return "too many multi-part messages waiting for parts";
    if (info->number > MAX_PARTS || (s && s->n >= MAX_PARTS))
        return "too many parts in one multi-part message";
    if (len > MAX_HELD - r->held)
        return "too much multi-part text waiting for parts";
    return NULL;
}

/* Holds one part; *set_out is its set, NULL when it was refused (the
 * reason is then in the batch's findings). */
static pw_rc hold_part(pw_reader *r, const pw_edi_interchange *ix, size_t index,
                       const pw_part_info *info, part_set **set_out)
{
    part_set *s = find_set(r, info->key);
    part p = {info->number, info->final, NULL, 0};
    const char *why = NULL;
    const pw_edi_segment *unh =
        &ix->segments[ix->messages[index].first_segment];

    *set_out = NULL;
    p.text = pw_part_text(ix, index, &p.len);
    if (!p.text)
        return PW_ERR_NOMEM;
    why = limit_reason(r, s, info, p.len);
    if (why) {
        free(p.text);
        return pw_diags_add(&r->diags, PW_ERROR, unh->number, unh->offset, "%s",
                            why);
    }
    if ((!s && !(s = new_set(r, info->key))) || insert_part(r, s, &p)) {
        free(p.text);
        return PW_ERR_NOMEM;
    }
    if (info->number == 1 && !s->have_env) {
        if (!pw_msgs_env_copy(&s->env, ix, index))
            return PW_ERR_NOMEM;
        s->have_env = 1;
    }
    *set_out = s;
    return PW_OK;
}

/* PNRGOV goes to its own mapping; everything else to PAXLST's. */
static pw_rc map_any(const pw_edi_interchange *ix, size_t index, pw_msg **out)
{
    const char *t = ix->messages[index].type;

    if (t && !strcmp(t, "PNRGOV"))
        return pw_pnrgov_map(ix, index, out);
    return pw_paxlst_map(ix, index, out);
}

static pw_rc map_into(pw_reader *r, const pw_edi_interchange *ix, size_t index,
                      pw_result *res)
{
    pw_rc rc = map_any(ix, index, &res->msg);

    if (rc != PW_OK)
        return rc;
    res->outcome = PW_OUT_MESSAGE;
    return add_envelope_to(r, res->msg);
}

/* Reads the joined text of a complete set as one message. */
static pw_rc read_joined(pw_reader *r, part_set *s, size_t n, pw_result *res)
{
    const char **texts = calloc(n, sizeof(*texts));
    size_t *lens = calloc(n, sizeof(*lens));
    size_t len = 0;
    char *joined = NULL;
    pw_edi_interchange *ix = NULL;
    pw_rc rc = PW_ERR_NOMEM;

    if (!texts || !lens)
        goto done;
    for (size_t i = 0; i < n; i++) {
        texts[i] = s->parts[i].text;
        lens[i] = s->parts[i].len;
    }
    joined = pw_msgs_join(&s->env, texts, lens, n, &len);
    if (!joined)
        goto done;
    rc = pw_edi_parse(joined, len, NULL, &ix);
    if (rc == PW_OK && ix->n_messages)
        rc = map_any(ix, 0, &res->msg);
    else if (rc != PW_ERR_NOMEM)
        rc = PW_ERR_SYNTAX;
    if (rc == PW_OK) {
        res->outcome = PW_OUT_MESSAGE;
        res->msg->parts = (unsigned)n;
    }
done:
    pw_edi_free(ix);
    free(joined);
    free(texts);
    free(lens);
    return rc;
}

/* at is copied, not pointed to: adding a result may move the array. */
static pw_rc complete_set(pw_reader *r, part_set *s, pw_result at)
{
    size_t n = set_complete(s);
    pw_result *res;
    pw_rc rc;

    if (!n)
        return PW_OK;
    res = add_result(r);
    if (!res)
        return PW_ERR_NOMEM;
    res->type = at.type;
    res->segment = at.segment;
    res->offset = at.offset;
    rc = read_joined(r, s, n, res);
    if (rc != PW_OK && rc != PW_ERR_NOMEM) {
        res->outcome = PW_OUT_REJECTED;
        rc = pw_diags_add(&r->diags, PW_ERROR, at.segment, at.offset,
                          "the joined parts of %s could not be read", s->key);
    }
    if (rc == PW_OK && res->msg)
        rc = add_envelope_to(r, res->msg);
    drop_set(r, s);
    return rc;
}

static pw_rc read_part(pw_reader *r, size_t index, const pw_part_info *info,
                       pw_result *res)
{
    part_set *s;
    pw_rc rc = r->source ? ask_source(r, info->key) : PW_OK;

    if (rc == PW_OK)
        rc = hold_part(r, r->ix, index, info, &s);
    if (rc != PW_OK)
        return rc;
    if (!s) {
        res->outcome = PW_OUT_REJECTED;
        return PW_OK;
    }
    res->outcome = PW_OUT_PART;
    res->part = *info;
    return complete_set(r, s, *res);
}

static pw_rc read_message(pw_reader *r, size_t index)
{
    const pw_edi_message *em = &r->ix->messages[index];
    const pw_edi_segment *unh = &r->ix->segments[em->first_segment];
    pw_result *res = add_result(r);
    pw_part_info info;

    if (!res)
        return PW_ERR_NOMEM;
    res->type = em->type;
    res->segment = unh->number;
    res->offset = unh->offset;
    if (!em->type ||
        (strcmp(em->type, "PAXLST") && strcmp(em->type, "PNRGOV"))) {
        res->outcome = PW_OUT_REJECTED;
        return pw_diags_add(&r->diags, PW_ERROR, unh->number, unh->offset,
                            "message type %.20s is not read yet",
                            em->type ? em->type : "(none)");
    }
    pw_part_info_get(r->ix, index, &info);
    if (info.multipart)
        return read_part(r, index, &info, res);
    return map_into(r, r->ix, index, res);
}

static pw_rc read_edifact(pw_reader *r, const char *data, size_t len)
{
    pw_rc rc = pw_edi_parse(data, len, NULL, &r->ix);

    if (rc == PW_ERR_NOMEM)
        return rc;
    r->batch.format = "edifact";
    r->batch.interchange = r->ix;
    if (!r->ix)
        return reject(r, 0, "the input could not be read as EDIFACT");
    if (copy_envelope_diags(r) != PW_OK)
        return PW_ERR_NOMEM;
    if (rc != PW_OK) {
        r->batch.rejected = 1;
        return PW_OK;
    }
    if (!r->ix->n_messages)
        return reject(r, 0, "no message (UNH) in the interchange");
    for (size_t i = 0; i < r->ix->n_messages && rc == PW_OK; i++)
        rc = read_message(r, i);
    return rc;
}

/* XML (PNRGOV XML) begins with '<' after a byte-order mark and blanks. */
static int looks_like_xml(const char *d, size_t len)
{
    size_t i = len >= 3 && !memcmp(d, "\xEF\xBB\xBF", 3) ? 3 : 0;

    while (i < len &&
           (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' || d[i] == '\n'))
        i++;
    return i < len && d[i] == '<';
}

static pw_rc read_xml(pw_reader *r, const char *data, size_t len)
{
    pw_result *res = add_result(r);
    pw_rc rc;

    if (!res)
        return PW_ERR_NOMEM;
    r->batch.format = "xml";
    res->type = "PNRGOV";
    rc = pw_pnrxml_read(data, len, &res->msg, &r->diags);
    if (rc == PW_ERR_NOMEM)
        return rc;
    res->outcome = rc == PW_OK ? PW_OUT_MESSAGE : PW_OUT_REJECTED;
    r->batch.rejected = rc != PW_OK;
    return PW_OK;
}

pw_rc pw_reader_read(pw_reader *r, const char *data, size_t len,
                     pw_batch **batch)
{
    pw_rc rc;

    batch_clear(r);
    *batch = &r->batch;
    r->batch.diags = &r->diags;
    if (!len)
        rc = reject(r, 0, "the input is empty");
    else if (looks_like_xml(data, len))
        rc = read_xml(r, data, len);
    else if (!looks_like_edifact(data, len))
        rc = reject(r, 0,
                    "not a message paxwatch reads: no UNA, UNB or "
                    "UNH at the start");
    else
        rc = read_edifact(r, data, len);
    r->batch.results = r->results;
    r->batch.n_results = r->n_results;
    return rc;
}

pw_rc pw_reader_add_part(pw_reader *r, const char *text, size_t len)
{
    pw_edi_interchange *ix = NULL;
    pw_part_info info;
    part_set *s;
    pw_rc rc = pw_edi_parse(text, len, NULL, &ix);

    if (rc == PW_OK && !ix->n_messages)
        rc = PW_ERR_SYNTAX;
    if (rc == PW_OK) {
        pw_part_info_get(ix, 0, &info);
        rc = hold_part(r, ix, 0, &info, &s);
        if (rc == PW_OK && !s)
            rc = PW_ERR_LIMIT;
    }
    pw_edi_free(ix);
    return rc;
}

size_t pw_reader_waiting(const pw_reader *r,
                         void (*cb)(void *ctx, const char *key, unsigned have,
                                    int have_final),
                         void *ctx)
{
    for (size_t i = 0; cb && i < r->n_sets; i++) {
        const part_set *s = &r->sets[i];
        int final = 0;
        for (size_t j = 0; j < s->n; j++)
            final |= s->parts[j].final;
        cb(ctx, s->key, (unsigned)s->n, final);
    }
    return r->n_sets;
}

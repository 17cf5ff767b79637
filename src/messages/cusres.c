/* Writing CUSRES (D05B) interchanges: the iAPI answer to a carrier's
 * PAXLST, one ERP group per passenger with its ERC code. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paxwatch/iapi.h"

/* A growing text with a hard cap; full or failed once, it stays so. */
typedef struct out {
    char *buf;
    size_t n, cap;
    pw_rc rc;
} out;

static void grow(out *o, size_t more)
{
    size_t cap = o->cap ? o->cap : 1024;
    char *p;

    if (o->rc != PW_OK)
        return;
    if (o->n + more + 1 > PW_IAPI_MAX_ANSWER) {
        o->rc = PW_ERR_LIMIT;
        return;
    }
    while (cap < o->n + more + 1)
        cap *= 2;
    if (cap == o->cap)
        return;
    p = realloc(o->buf, cap);
    if (!p) {
        o->rc = PW_ERR_NOMEM;
        return;
    }
    o->buf = p;
    o->cap = cap;
}

static void raw(out *o, const char *s)
{
    size_t n = strlen(s);

    grow(o, n);
    if (o->rc != PW_OK)
        return;
    memcpy(o->buf + o->n, s, n);
    o->n += n;
    o->buf[o->n] = '\0';
}

static void ch(out *o, char c)
{
    char s[2] = {c, '\0'};

    raw(o, s);
}

/* A value with release characters before the service characters; bytes
 * outside printable ASCII become '.' so the answer stays UNOC. */
static void val(out *o, const char *s)
{
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;

        if (c == ':' || c == '+' || c == '?' || c == '*' || c == '\'')
            ch(o, '?');
        ch(o, c >= 0x20 && c < 0x7f ? (char)c : '.');
    }
}

/* Counts the segments of the current message for UNT. */
typedef struct writer {
    out o;
    size_t n_segments;
} writer;

static void seg_end(writer *w)
{
    raw(&w->o, "'");
    w->n_segments++;
}

/* TAG+a:b for a qualifier and a value; nothing when value is NULL. */
static void qual_seg(writer *w, const char *tag, const char *qual,
                     const char *value, const char *format)
{
    if (!value || !*value)
        return;
    raw(&w->o, tag);
    ch(&w->o, '+');
    raw(&w->o, qual);
    ch(&w->o, ':');
    val(&w->o, value);
    if (format) {
        ch(&w->o, ':');
        raw(&w->o, format);
    }
    seg_end(w);
}

static void loc_seg(writer *w, const char *qual, const char *port)
{
    if (!port || !*port)
        return;
    raw(&w->o, "LOC+");
    raw(&w->o, qual);
    ch(&w->o, '+');
    val(&w->o, port);
    seg_end(w);
}

static void answer(writer *w, const pw_cusres_answer *a)
{
    const char *code = pw_iapi_code_str(a->code);

    /* ERP 1: the answer covers all passengers of the request; 2: one. */
    raw(&w->o, a->all_passengers ? "ERP+1" : "ERP+2");
    seg_end(w);
    qual_seg(w, "RFF", "AVF", a->booking_ref, NULL);
    qual_seg(w, "RFF", "ABO", a->passenger_ref, NULL);
    raw(&w->o, "ERC+");
    raw(&w->o, code ? code : "4Z");
    seg_end(w);
    if (a->text && *a->text) {
        /* FTX 4451 AAP: free text of the answer. */
        raw(&w->o, "FTX+AAP+++");
        val(&w->o, a->text);
        seg_end(w);
    }
}

static void flight(writer *w, const pw_cusres_message *m)
{
    if (!m->flight || !*m->flight)
        return;
    /* RFF AF: the flight; DTM 189/232 (format 201, YYMMDDHHMM):
     * departure and arrival; LOC 125/87: departure and arrival ports. */
    qual_seg(w, "RFF", "AF", m->flight, NULL);
    qual_seg(w, "DTM", "189", m->departure, "201");
    qual_seg(w, "DTM", "232", m->arrival, "201");
    loc_seg(w, "125", m->from);
    loc_seg(w, "87", m->to);
}

static void message(writer *w, const pw_cusres_message *m)
{
    char count[24];

    w->n_segments = 0;
    raw(&w->o, "UNH+");
    val(&w->o, m->reference);
    raw(&w->o, "+CUSRES:D:05B:UN:IATA");
    seg_end(w);
    /* BGM 962: an answer to a PAXLST. */
    raw(&w->o, "BGM+962");
    seg_end(w);
    qual_seg(w, "RFF", "TN", m->transaction_ref, NULL);
    flight(w, m);
    for (size_t i = 0; i < m->n_answers; i++)
        answer(w, &m->answers[i]);
    snprintf(count, sizeof(count), "UNT+%zu+", w->n_segments + 1);
    raw(&w->o, count);
    val(&w->o, m->reference);
    seg_end(w);
}

static void header(writer *w, const pw_cusres *c)
{
    raw(&w->o, "UNA:+.? 'UNB+UNOC:4+");
    val(&w->o, c->sender);
    ch(&w->o, '+');
    val(&w->o, c->recipient);
    ch(&w->o, '+');
    raw(&w->o, c->now ? c->now : "000101:0000");
    ch(&w->o, '+');
    val(&w->o, c->control_ref);
    /* UNB 0026, application reference: IAPI. */
    raw(&w->o, "++IAPI");
    seg_end(w);
}

static int valid(const pw_cusres *c)
{
    if (!c->sender || !c->recipient || !c->control_ref || !*c->control_ref)
        return 0;
    for (size_t i = 0; i < c->n_messages; i++)
        if (!c->messages[i].reference || !*c->messages[i].reference)
            return 0;
    return c->n_messages == 0 || c->messages;
}

pw_rc pw_cusres_write(const pw_cusres *c, char **outp, size_t *len)
{
    writer w = {{NULL, 0, 0, PW_OK}, 0};
    char count[24];

    if (!c || !outp || !len || !valid(c))
        return PW_ERR_INVALID;
    *outp = NULL;
    *len = 0;
    header(&w, c);
    for (size_t i = 0; i < c->n_messages; i++)
        message(&w, &c->messages[i]);
    snprintf(count, sizeof(count), "UNZ+%zu+", c->n_messages);
    raw(&w.o, count);
    val(&w.o, c->control_ref);
    seg_end(&w);
    if (w.o.rc != PW_OK) {
        free(w.o.buf);
        return w.o.rc;
    }
    *outp = w.o.buf;
    *len = w.o.n;
    return PW_OK;
}

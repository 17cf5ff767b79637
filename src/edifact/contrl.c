/* CONTRL (syntax and service report, D:3:UN) acknowledging or rejecting
 * an interchange to its sender: UCI, then UCF per group or UCM per
 * message, with UCS for segments in error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edifact/edi_internal.h"

#define ACT_REJECTED "4"     /* this level and all lower levels rejected */
#define ACT_ACKNOWLEDGED "7" /* this level and lower ones acknowledged */
#define SE_UNSPECIFIED 18

/* A growing output string; ok drops to 0 on allocation failure. */
typedef struct out {
    char *s;
    size_t n, cap;
    int ok;
    unsigned segments; /* written since UNH, for UNT */
} out;

static void out_raw(out *o, const char *t, size_t len)
{
    if (!o->ok)
        return;
    if (o->n + len + 1 > o->cap) {
        size_t cap = (o->n + len + 1) * 2;
        char *s = realloc(o->s, cap);

        if (!s) {
            o->ok = 0;
            return;
        }
        o->s = s;
        o->cap = cap;
    }
    memcpy(o->s + o->n, t, len);
    o->n += len;
    o->s[o->n] = '\0';
}

static void out_str(out *o, const char *t)
{
    out_raw(o, t, strlen(t));
}

/* A value echoed from the subject interchange, with release characters
 * before the default service characters and line breaks (which a value
 * holds only when they came released, and which bare could read back
 * as the end of a segment). Other control bytes, which no character
 * set of a report allows, are left out: a sender's garbled reference
 * comes back without them. */
static void out_val(out *o, const char *t)
{
    for (; t && *t; t++) {
        unsigned char c = (unsigned char)*t;

        if ((c < 0x20 && c != '\r' && c != '\n') || c == 0x7f)
            continue;
        if (strchr(":+?*'\r\n", *t))
            out_raw(o, "?", 1);
        out_raw(o, t, 1);
    }
}

/* sep then an echoed value: the separator always, the value if any. */
static void out_el(out *o, const char *sep, const char *v)
{
    out_str(o, sep);
    out_val(o, v);
}

static void out_end(out *o)
{
    out_raw(o, "'", 1);
    o->segments++;
}

static void out_code(out *o, unsigned code)
{
    char b[16];

    snprintf(b, sizeof(b), "%u", code);
    out_str(o, b);
}

static const edi_ix *priv(const pw_edi_interchange *ix)
{
    return (const edi_ix *)ix;
}

/* The first fault with the given message (-1: interchange) and no
 * segment position, or NULL. */
static const edi_fault *fault_of(const pw_edi_interchange *ix, int msg)
{
    const edi_ix *x = priv(ix);

    for (size_t i = 0; ix && i < x->n_faults; i++)
        if (x->faults[i].message == msg && x->faults[i].position == 0)
            return &x->faults[i];
    return NULL;
}

static int is_ascii(const char *s)
{
    for (; s && *s; s++)
        if ((unsigned char)*s >= 0x80)
            return 0;
    return 1;
}

static void write_unb(out *o, const pw_edi_interchange *ix, const char *us,
                      const char *now, const char *ref)
{
    const char *to = ix ? ix->sender : NULL;
    int ascii = is_ascii(us) && is_ascii(to);

    out_str(o, ascii ? "UNB+UNOC:3" : "UNB+UNOW:4");
    out_el(o, "+", us ? us : "UNKNOWN");
    out_el(o, "+", to ? to : "UNKNOWN");
    if (ix && ix->sender_qualifier)
        out_el(o, ":", ix->sender_qualifier);
    out_str(o, "+");
    out_str(o, now);
    out_el(o, "+", ref);
    out_end(o);
    out_str(o, "UNH+1+CONTRL:D:3:UN");
    o->segments = 0;
    out_end(o);
}

static void write_error(out *o, const edi_fault *f)
{
    out_str(o, "+");
    out_code(o, f->code);
    if (f->tag[0])
        out_el(o, "+", f->tag);
}

static void write_uci(out *o, const pw_edi_interchange *ix, int accepted)
{
    const edi_fault *f = accepted ? NULL : fault_of(ix, -1);

    out_el(o, "UCI+", ix ? ix->control_reference : NULL);
    if (!ix || !ix->control_reference)
        out_str(o, "UNKNOWN");
    out_el(o, "+", ix && ix->sender ? ix->sender : "UNKNOWN");
    if (ix && ix->sender_qualifier)
        out_el(o, ":", ix->sender_qualifier);
    out_el(o, "+", ix && ix->recipient ? ix->recipient : "UNKNOWN");
    if (ix && ix->recipient_qualifier)
        out_el(o, ":", ix->recipient_qualifier);
    out_str(o, accepted ? "+" ACT_ACKNOWLEDGED : "+" ACT_REJECTED);
    if (f)
        write_error(o, f);
    else if (!ix)
        out_str(o, "+18");
    out_end(o);
}

static void write_ucs(out *o, const pw_edi_interchange *ix, int msg)
{
    const edi_ix *x = priv(ix);

    for (size_t i = 0; i < x->n_faults; i++) {
        const edi_fault *f = &x->faults[i];

        if (f->message != msg || f->position == 0)
            continue;
        out_str(o, "UCS+");
        out_code(o, f->position);
        out_str(o, "+");
        out_code(o, f->code);
        out_end(o);
    }
}

static void write_ucm(out *o, const pw_edi_interchange *ix, int msg,
                      int accepted)
{
    const pw_edi_message *m = &ix->messages[msg];
    const edi_fault *f = accepted ? NULL : fault_of(ix, msg);

    out_el(o, "UCM+", m->reference ? m->reference : "UNKNOWN");
    out_el(o, "+", m->type);
    out_el(o, ":", m->version);
    out_el(o, ":", m->release);
    out_el(o, ":", m->agency);
    if (m->association)
        out_el(o, ":", m->association);
    out_str(o, accepted ? "+" ACT_ACKNOWLEDGED : "+" ACT_REJECTED);
    if (f)
        write_error(o, f);
    out_end(o);
    if (!accepted)
        write_ucs(o, ix, msg);
}

static void write_ucf(out *o, const pw_edi_interchange *ix, size_t g,
                      int accepted)
{
    const pw_edi_group *gr = &ix->groups[g];

    out_el(o, "UCF+", gr->reference ? gr->reference : "UNKNOWN");
    out_el(o, "+", gr->sender ? gr->sender : "UNKNOWN");
    out_el(o, "+", gr->recipient ? gr->recipient : "UNKNOWN");
    out_str(o, accepted ? "+" ACT_ACKNOWLEDGED : "+" ACT_REJECTED);
    out_end(o);
    for (size_t i = 0; i < ix->n_messages; i++)
        if (ix->messages[i].group == (int)g)
            write_ucm(o, ix, (int)i, accepted);
}

/* Messages outside any group come first (a mixed interchange is itself
 * an error, but each message still gets its answer). */
static void write_body(out *o, const pw_edi_interchange *ix, int accepted)
{
    if (!ix)
        return;
    for (size_t i = 0; i < ix->n_messages; i++)
        if (ix->messages[i].group < 0)
            write_ucm(o, ix, (int)i, accepted);
    for (size_t g = 0; g < ix->n_groups; g++)
        write_ucf(o, ix, g, accepted);
}

/* Our own control reference: the letters and digits of the one given,
 * else the digits of now, at most 14 (UNB 0020 is an..14). */
static void make_ref(const char *given, const char *now, char *ref, size_t cap)
{
    size_t n = 0;

    for (; given && *given && n + 1 < cap && n < 14; given++)
        if ((*given >= '0' && *given <= '9') ||
            (*given >= 'A' && *given <= 'Z'))
            ref[n++] = *given;
    if (n == 0)
        for (; now && *now && n + 1 < cap && n < 14; now++)
            if (*now >= '0' && *now <= '9')
                ref[n++] = *now;
    if (n == 0)
        ref[n++] = '1';
    ref[n] = '\0';
}

char *pw_edi_contrl(const pw_edi_interchange *ix, int accepted, const char *us,
                    const char *now, const char *given_ref)
{
    out o = {NULL, 0, 0, 1, 0};
    char ref[16], b[32];

    if (!ix)
        accepted = 0;
    if (!us && ix)
        us = ix->recipient;
    if (!now)
        now = "000101:0000";
    make_ref(given_ref, now, ref, sizeof(ref));
    write_unb(&o, ix, us, now, ref);
    write_uci(&o, ix, accepted);
    write_body(&o, ix, accepted);
    snprintf(b, sizeof(b), "UNT+%u+1", o.segments + 1);
    out_str(&o, b);
    out_end(&o);
    out_el(&o, "UNZ+1+", ref);
    out_end(&o);
    if (!o.ok) {
        free(o.s);
        return NULL;
    }
    return o.s;
}

/* Service characters of an interchange: the UNA service string advice,
 * the defaults of the syntax identifier, and the tokenizer's byte
 * classes built from them. */
#include <string.h>

#include "edifact/edi_internal.h"

static int is_alnum(unsigned char b)
{
    return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') ||
           (b >= '0' && b <= '9');
}

static void syntax_defaults(pw_edi_syntax *s)
{
    s->component = ':';
    s->element = '+';
    s->decimal = '.';
    s->release = '?';
    s->repetition = 0;
    s->terminator = '\'';
}

/* Without a UNA the defaults hang on the UNB that follows: UNOB written
 * with the information separators IS1..IS4, and '*' for repetition only
 * in syntax version 4. */
static void syntax_from_unb(edi_parser *p, pw_edi_syntax *s)
{
    const unsigned char *d = p->data + p->pos;
    size_t n = p->len - p->pos;

    if (n < 10 || memcmp(d, "UNB", 3) != 0)
        return;
    if (d[3] == 0x1D) {
        s->component = 0x1F;
        s->element = 0x1D;
        s->terminator = 0x1C;
    }
    if (d[8] == (unsigned char)s->component && d[9] == '4')
        s->repetition = '*';
}

/* A UNA is usable when its separators are distinct non-alphanumeric
 * bytes; release and repetition may be a space, meaning none. */
static int una_valid(const unsigned char *c)
{
    for (int i = 0; i < 6; i++) {
        if (is_alnum(c[i]))
            return 0;
        if (c[i] == ' ' && i != 3 && i != 4)
            return 0;
        for (int j = 0; j < i; j++)
            if (c[i] == c[j] && c[i] != ' ' && i != 2 && j != 2)
                return 0;
    }
    return 1;
}

/* The first UNB or UNH within a few bytes after a broken UNA. */
static size_t una_resume(edi_parser *p, size_t from)
{
    size_t end = from + 16 < p->len ? from + 16 : p->len;

    for (size_t i = from; i + 3 <= end; i++)
        if (p->data[i] == 'U' && p->data[i + 1] == 'N' &&
            (p->data[i + 2] == 'B' || p->data[i + 2] == 'H'))
            return i;
    return from;
}

static pw_rc una_broken(edi_parser *p, size_t at)
{
    pw_rc rc = edi_diag(p, PW_WARNING, 0, at,
                        "UNA at offset %zu is malformed; default service "
                        "characters used",
                        at);

    if (rc == PW_OK)
        rc = edi_fault_add(p, -1, 0, 22, "UNA"); /* invalid advice */
    p->pos = una_resume(p, at + 3);
    return rc;
}

/* A declared terminator that never occurs while the apostrophe does is
 * a mis-typed UNA (seen: a curly quote); the body is what counts. */
static pw_rc una_check_terminator(edi_parser *p, pw_edi_syntax *s, size_t at)
{
    const void *rest = p->data + p->pos;
    size_t n = p->len - p->pos;

    if (s->terminator == '\'' || memchr(rest, s->terminator, n) ||
        !memchr(rest, '\'', n))
        return PW_OK;
    s->terminator = '\'';
    return edi_diag(p, PW_WARNING, 0, at,
                    "UNA at offset %zu declares terminator 0x%02X which "
                    "never occurs; the apostrophe used instead",
                    at, (unsigned char)p->data[at + 8]);
}

static pw_rc una_read(edi_parser *p, pw_edi_syntax *s)
{
    size_t at = p->pos;
    const unsigned char *c = p->data + at + 3;

    if (p->len - at < 9 || !una_valid(c))
        return una_broken(p, at);
    s->component = (char)c[0];
    s->element = (char)c[1];
    s->decimal = (char)c[2];
    s->release = c[3] == ' ' ? 0 : (char)c[3];
    s->repetition = c[4] == ' ' ? 0 : (char)c[4];
    s->terminator = (char)c[5];
    s->has_una = 1;
    p->pos = at + 9;
    /* The rest of a multi-byte UTF-8 terminator such as U+2019. */
    if (c[5] >= 0xC0)
        while (p->pos < p->len && (p->data[p->pos] & 0xC0) == 0x80)
            p->pos++;
    return una_check_terminator(p, s, at);
}

pw_rc edi_syntax_start(edi_parser *p)
{
    pw_edi_syntax *s = &p->ix->pub.syntax;

    syntax_defaults(s);
    if (p->len - p->pos >= 3 && memcmp(p->data + p->pos, "UNA", 3) == 0)
        return una_read(p, s);
    syntax_from_unb(p, s);
    return PW_OK;
}

static void classes_fill(edi_parser *p, uint8_t *cls, int with_rep)
{
    const pw_edi_syntax *s = &p->ix->pub.syntax;

    memset(cls, EDI_C_PLAIN, 256);
    for (int b = 0; b < 0x20; b++)
        cls[b] = EDI_C_CONTROL;
    cls[0x7F] = EDI_C_CONTROL;
    cls['\r'] = EDI_C_NEWLINE;
    cls['\n'] = EDI_C_NEWLINE;
    memset(cls + 0x80, EDI_C_HIGH, 0x80);
    if (p->cs.upper_only && !p->lower_reported)
        memset(&cls['a'], EDI_C_LOWER, 26);
    cls[(unsigned char)s->component] = EDI_C_COMPONENT;
    cls[(unsigned char)s->element] = EDI_C_ELEMENT;
    if (s->repetition && with_rep)
        cls[(unsigned char)s->repetition] = EDI_C_REPETITION;
    if (s->release)
        cls[(unsigned char)s->release] = EDI_C_RELEASE;
    cls[(unsigned char)s->terminator] = EDI_C_TERMINATOR;
}

static void stops_fill(edi_parser *p, edi_stops *st, int with_rep)
{
    const pw_edi_syntax *s = &p->ix->pub.syntax;

    int rep = s->repetition && with_rep;

    memset(st->sep[0], (unsigned char)s->component, 16);
    memset(st->sep[1], (unsigned char)s->element, 16);
    memset(st->sep[2], (unsigned char)s->terminator, 16);
    memset(st->sep[3], (unsigned char)(s->release ? s->release : s->component),
           16);
    memset(st->sep[4], (unsigned char)(rep ? s->repetition : s->component), 16);
    st->lower = p->cs.upper_only && !p->lower_reported;
    st->has_rep = rep;
}

void edi_classes_build(edi_parser *p)
{
    stops_fill(p, &p->stops, 1);
    stops_fill(p, &p->stops_svc, 0);
    classes_fill(p, p->cls, 1);
    /* No service segment has a repeating element, and real UNBs carry
     * '*' inside identifiers (e.g. "APIS*C3K"). */
    classes_fill(p, p->cls_svc, 0);
}

/* The EDIFACT envelope: UNB/UNZ interchange, UNG/UNE group and UNH/UNT
 * message, decoded as each segment is read, with counts and references
 * checked and every deviation recorded. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edifact/edi_internal.h"

/* ISO 9735 syntax error codes (0085) used in the CONTRL report. */
enum {
    SE_VERSION = 2,    /* syntax version or level not supported */
    SE_CHARACTER = 21, /* invalid character(s) */
    SE_MISSING = 13,   /* missing */
    SE_POSITION = 15,  /* not supported in this position */
    SE_REFERENCE = 28, /* references do not match */
    SE_COUNT = 29,     /* control count does not match */
    SE_OUTSIDE = 33    /* invalid occurrence outside message */
};

static const pw_edi_segment *seg_at(edi_parser *p, size_t i)
{
    return &p->ix->pub.segments[i];
}

static pw_rc warn(edi_parser *p, const pw_edi_segment *s, int msg, uint8_t code,
                  const char *what)
{
    pw_rc rc =
        edi_diag(p, PW_WARNING, s->number, s->offset, "%s: %s", s->tag, what);

    int service = s->tag[0] == 'U' && s->tag[1] == 'N';

    if (rc != PW_OK)
        return rc;
    /* Service segments are reported on their UCI/UCM, others by UCS. */
    return edi_fault_add(p, msg, service ? 0 : s->number, code,
                         service ? s->tag : NULL);
}

/* A control count as sent, or -1 when absent or not a number. */
static long count_of(const char *v)
{
    char *end;
    long n;

    if (!v || !*v)
        return -1;
    n = strtol(v, &end, 10);
    return (*end || n < 0) ? -1 : n;
}

static int same(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static pw_rc check_count(edi_parser *p, const pw_edi_segment *s, int msg,
                         long want)
{
    char what[160];
    long got = count_of(pw_edi_get(s, 1, 1));

    if (got == want)
        return PW_OK;
    snprintf(what, sizeof(what),
             "control count %ld%s does not match the %ld "
             "found",
             got, got < 0 ? " (absent or not a number)" : "", want);
    return warn(p, s, msg, SE_COUNT, what);
}

static pw_rc check_ref(edi_parser *p, const pw_edi_segment *s, int msg,
                       const char *want)
{
    const char *got = pw_edi_get(s, 2, 1);

    if (!want || same(got, want))
        return PW_OK;
    return warn(p, s, msg, SE_REFERENCE,
                got ? "reference does not match its opening segment"
                    : "reference is missing");
}

static pw_rc grow(void **items, size_t *cap, size_t n, size_t size)
{
    size_t c = *cap ? *cap * 2 : 4;
    void *v;

    if (n < *cap)
        return PW_OK;
    v = realloc(*items, c * size);
    if (!v)
        return PW_ERR_NOMEM;
    *items = v;
    *cap = c;
    return PW_OK;
}

/* A message whose UNT never came: kept up to the segment before `end`. */
static pw_rc close_incomplete(edi_parser *p, size_t end)
{
    pw_edi_message *m = &p->ix->pub.messages[p->open_msg];
    const pw_edi_segment *h = seg_at(p, m->first_segment);
    int msg = p->open_msg;
    pw_rc rc;

    p->open_msg = -1;
    m->n_segments = (uint32_t)(end - m->first_segment);
    m->complete = 0;
    rc = edi_diag(p, PW_ERROR, h->number, h->offset,
                  "message %s opened by UNH at segment %u (offset %zu) has "
                  "no UNT; read as incomplete",
                  m->reference ? m->reference : "(no reference)", h->number,
                  h->offset);
    return rc == PW_OK ? edi_fault_add(p, msg, 0, SE_MISSING, "UNT") : rc;
}

static pw_rc close_open(edi_parser *p, size_t end)
{
    return p->open_msg >= 0 ? close_incomplete(p, end) : PW_OK;
}

static pw_rc unb_charset(edi_parser *p, const pw_edi_segment *s)
{
    pw_edi_syntax *sx = &p->ix->pub.syntax;
    const char *cs = pw_edi_get(s, 1, 1);
    const char *ver = pw_edi_get(s, 1, 2);
    pw_rc rc = PW_OK;

    if (cs)
        snprintf(sx->charset, sizeof(sx->charset), "%s", cs);
    if (!edi_charset_select(sx->charset, &p->cs))
        rc = warn(p, s, -1, SE_VERSION,
                  "character set unknown or unsupported; read as UTF-8");
    else if (p->cs.kind == EDI_CS_TABLE &&
             edi_charset_text_is_utf8(p->data + p->pos, p->len - p->pos)) {
        char what[96];

        /* read as declared, every letter would be two wrong ones */
        snprintf(what, sizeof what,
                 "character set %s declared but the text is UTF-8; read "
                 "as UTF-8",
                 sx->charset);
        edi_charset_select("UNOW", &p->cs);
        rc = warn(p, s, -1, SE_CHARACTER, what);
    }
    edi_classes_build(p);
    if (ver && ver[0] >= '1' && ver[0] <= '4' && !ver[1])
        sx->version = ver[0] - '0';
    else if (rc == PW_OK)
        rc = warn(p, s, -1, SE_VERSION, "syntax version is not 1 to 4");
    return rc;
}

static pw_rc on_unb(edi_parser *p, size_t i)
{
    pw_edi_interchange *ix = &p->ix->pub;
    const pw_edi_segment *s = seg_at(p, i);
    const char *test;

    if (p->seen_unb || i != 0)
        return warn(p, s, p->open_msg, SE_POSITION,
                    "UNB that is not the first segment; ignored");
    p->seen_unb = 1;
    ix->sender = pw_edi_get(s, 2, 1);
    ix->sender_qualifier = pw_edi_get(s, 2, 2);
    ix->recipient = pw_edi_get(s, 3, 1);
    ix->recipient_qualifier = pw_edi_get(s, 3, 2);
    ix->date = pw_edi_get(s, 4, 1);
    ix->time = pw_edi_get(s, 4, 2);
    ix->control_reference = pw_edi_get(s, 5, 1);
    ix->application_reference = pw_edi_get(s, 7, 1);
    test = pw_edi_get(s, 11, 1);
    ix->test = same(test, "1");
    return unb_charset(p, s);
}

static pw_rc on_ung(edi_parser *p, size_t i)
{
    edi_ix *x = p->ix;
    const pw_edi_segment *s = seg_at(p, i);
    pw_edi_group *g;
    pw_rc rc = close_open(p, i);

    if (rc == PW_OK && p->open_group >= 0)
        rc = warn(p, s, -1, SE_MISSING, "UNG while a group has no UNE");
    if (rc == PW_OK)
        rc = grow((void **)&x->pub.groups, &x->cap_groups, x->pub.n_groups,
                  sizeof(*g));
    if (rc != PW_OK)
        return rc;
    g = &x->pub.groups[x->pub.n_groups];
    g->id = pw_edi_get(s, 1, 1);
    g->sender = pw_edi_get(s, 2, 1);
    g->recipient = pw_edi_get(s, 3, 1);
    g->reference = pw_edi_get(s, 5, 1);
    g->first_segment = (uint32_t)i;
    p->open_group = (int)x->pub.n_groups++;
    p->group_msgs = 0;
    return PW_OK;
}

static pw_rc unh_part(edi_parser *p, const pw_edi_segment *s, pw_edi_message *m)
{
    const char *num = pw_edi_get(s, 4, 1);
    const char *flag = pw_edi_get(s, 4, 2);
    long n = count_of(num);

    if (num && (n <= 0 || n > 99999))
        return warn(p, s, p->open_msg, 12, "S010 part number invalid");
    m->part_number = num ? (unsigned)n : 0;
    if (!flag)
        return PW_OK;
    if ((flag[0] != 'C' && flag[0] != 'F') || flag[1])
        return warn(p, s, p->open_msg, 12, "S010 part flag not C or F");
    m->part_flag = flag[0];
    return PW_OK;
}

static void unh_fill(pw_edi_message *m, const pw_edi_segment *s)
{
    memset(m, 0, sizeof(*m));
    m->reference = pw_edi_get(s, 1, 1);
    m->type = pw_edi_get(s, 2, 1);
    m->version = pw_edi_get(s, 2, 2);
    m->release = pw_edi_get(s, 2, 3);
    m->agency = pw_edi_get(s, 2, 4);
    m->association = pw_edi_get(s, 2, 5);
    m->common_access_reference = pw_edi_get(s, 3, 1);
}

static pw_rc on_unh(edi_parser *p, size_t i)
{
    edi_ix *x = p->ix;
    const pw_edi_segment *s = seg_at(p, i);
    pw_edi_message *m;
    pw_rc rc = close_open(p, i);

    if (rc == PW_OK)
        rc = grow((void **)&x->pub.messages, &x->cap_messages,
                  x->pub.n_messages, sizeof(*m));
    if (rc != PW_OK)
        return rc;
    m = &x->pub.messages[x->pub.n_messages];
    unh_fill(m, s);
    m->group = p->open_group;
    m->first_segment = (uint32_t)i;
    m->n_segments = 1;
    p->open_msg = (int)x->pub.n_messages++;
    p->group_msgs++;
    p->outside_reported = 0;
    rc = unh_part(p, s, m);
    if (rc == PW_OK && (!m->reference || !m->type))
        rc = warn(p, s, p->open_msg, SE_MISSING,
                  "message reference or type missing");
    return rc;
}

static pw_rc on_unt(edi_parser *p, size_t i)
{
    const pw_edi_segment *s = seg_at(p, i);
    pw_edi_message *m;
    int msg = p->open_msg;
    pw_rc rc;

    if (msg < 0)
        return warn(p, s, -1, SE_OUTSIDE, "UNT without a UNH; ignored");
    m = &p->ix->pub.messages[msg];
    m->n_segments = (uint32_t)(i - m->first_segment + 1);
    m->complete = 1;
    p->open_msg = -1;
    rc = check_count(
        p, s, msg, (long)(s->number - seg_at(p, m->first_segment)->number + 1));
    return rc == PW_OK ? check_ref(p, s, msg, m->reference) : rc;
}

static pw_rc on_une(edi_parser *p, size_t i)
{
    const pw_edi_segment *s = seg_at(p, i);
    const pw_edi_group *g;
    pw_rc rc = close_open(p, i);

    if (rc != PW_OK)
        return rc;
    if (p->open_group < 0)
        return warn(p, s, -1, SE_OUTSIDE, "UNE without a UNG; ignored");
    g = &p->ix->pub.groups[p->open_group];
    p->open_group = -1;
    rc = check_count(p, s, -1, (long)p->group_msgs);
    return rc == PW_OK ? check_ref(p, s, -1, g->reference) : rc;
}

static pw_rc on_unz(edi_parser *p, size_t i)
{
    const pw_edi_interchange *ix = &p->ix->pub;
    const pw_edi_segment *s = seg_at(p, i);
    pw_rc rc = close_open(p, i);

    p->seen_unz = 1;
    if (rc == PW_OK && p->open_group >= 0) {
        p->open_group = -1;
        rc = warn(p, s, -1, SE_MISSING, "UNZ while a group has no UNE");
    }
    if (rc == PW_OK)
        rc = check_count(p, s, -1,
                         (long)(ix->n_groups ? ix->n_groups : ix->n_messages));
    if (rc == PW_OK && p->seen_unb)
        rc = check_ref(p, s, -1, ix->control_reference);
    return rc;
}

static pw_rc on_data(edi_parser *p, size_t i)
{
    const pw_edi_segment *s = seg_at(p, i);

    if (p->open_msg >= 0 || p->outside_reported)
        return PW_OK;
    p->outside_reported = 1;
    return warn(p, s, -1, SE_OUTSIDE,
                "segment outside any message (reported once per run)");
}

static pw_rc first_segment(edi_parser *p, size_t i)
{
    const pw_edi_segment *s = seg_at(p, i);
    pw_rc rc;

    if (i != 0 || strcmp(s->tag, "UNB") == 0)
        return PW_OK;
    rc = edi_diag(p, PW_WARNING, s->number, s->offset,
                  "interchange begins with %s, not UNB; read without "
                  "one",
                  s->tag);
    return rc == PW_OK ? edi_fault_add(p, -1, 0, SE_MISSING, "UNB") : rc;
}

pw_rc edi_envelope_segment(edi_parser *p, size_t i)
{
    const char *t = seg_at(p, i)->tag;
    pw_rc rc = first_segment(p, i);

    if (rc != PW_OK)
        return rc;
    if (t[0] != 'U' || t[1] != 'N')
        return on_data(p, i);
    switch (t[2]) {
    case 'B':
        return on_unb(p, i);
    case 'G':
        return on_ung(p, i);
    case 'H':
        return on_unh(p, i);
    case 'T':
        return on_unt(p, i);
    case 'E':
        return on_une(p, i);
    case 'Z':
        return on_unz(p, i);
    default:
        return on_data(p, i);
    }
}

static pw_rc bad_bytes_summary(edi_parser *p)
{
    if (p->n_bad_bytes <= EDI_BAD_BYTES_SHOWN)
        return PW_OK;
    return edi_diag(p, PW_WARNING, 0, 0,
                    "%zu bytes in all are outside character set %s (the "
                    "first %d reported with their offsets)",
                    p->n_bad_bytes,
                    p->ix->pub.syntax.charset[0] ? p->ix->pub.syntax.charset
                                                 : "(none)",
                    EDI_BAD_BYTES_SHOWN);
}

pw_rc edi_envelope_finish(edi_parser *p)
{
    const pw_edi_interchange *ix = &p->ix->pub;
    pw_rc rc = close_open(p, ix->n_segments);

    if (rc == PW_OK && p->open_group >= 0)
        rc = edi_diag(p, PW_WARNING, p->seg_no, p->len,
                      "input ends while a group is open (no UNE)");
    if (rc == PW_OK && p->seen_unb && !p->seen_unz) {
        rc = edi_diag(p, PW_WARNING, p->seg_no, p->len,
                      "input ends at offset %zu without UNZ", p->len);
        if (rc == PW_OK)
            rc = edi_fault_add(p, -1, 0, SE_MISSING, "UNZ");
    }
    if (rc == PW_OK)
        rc = bad_bytes_summary(p);
    return rc;
}

/* Redaction of raw PNRGOV input before it is archived: the values the
 * readers drop as sensitive are overwritten by '*' in place, byte for
 * byte, with the same list and matcher (pw_sensitive_code/_text). */
#include <stdlib.h>
#include <string.h>

#include "paxwatch/privacy.h"

/* EDIFACT separators: UNA, else the UNOA defaults. */
struct seps {
    char comp, data, rel, seg;
};

/* What one segment holds, as the readers would see its values. */
struct segview {
    size_t end;   /* index of its terminator, or len */
    char code[8]; /* element 1 component 1, cut to 7 bytes */
    char kind[8]; /* element 1 component 2 */
    char *text;   /* all values, separators as blanks */
    size_t n_text, n_code, n_kind;
};

/* SSR codes whose text is a name, a document or a contact: the readers
 * do not match their text against the word patterns (a surname such as
 * "Jain" is not a remark about religion), so neither do we. */
static int structured(const char *code)
{
    static const char list[][4] = {"DOCS", "DOCO", "DOCA", "INFT", "FQTV",
                                   "CTCE", "CTCM", "CTCH", "CTCB", "SEAT",
                                   "NSST", "SMST", "TKNE", "FOID"};

    if (strlen(code) != 4)
        return 0;
    for (size_t k = 0; k < sizeof(list) / sizeof(list[0]); k++)
        if (!memcmp(code, list[k], 4))
            return 1;
    return 0;
}

static int blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int line_end(char c)
{
    return c == '\r' || c == '\n';
}

static size_t skip_bom_blanks(const char *b, size_t len)
{
    size_t i = 0;

    if (len >= 3 && !memcmp(b, "\xEF\xBB\xBF", 3))
        i = 3;
    while (i < len && blank(b[i]))
        i++;
    return i;
}

static void read_una(const char *b, size_t len, size_t at, struct seps *sp)
{
    *sp = (struct seps){':', '+', '?', '\''};
    if (len - at < 9 || memcmp(b + at, "UNA", 3))
        return;
    sp->comp = b[at + 3];
    sp->data = b[at + 4];
    sp->rel = b[at + 6];
    sp->seg = b[at + 8];
}

static void append(char *dst, size_t cap, char c)
{
    size_t n = strlen(dst);

    if (n + 1 < cap) {
        dst[n] = c;
        dst[n + 1] = '\0';
    }
}

/* One value byte of element e, component c. */
static void take(struct segview *v, unsigned e, unsigned c, char ch)
{
    v->text[v->n_text++] = ch;
    if (e == 1 && c == 1 && v->n_code + 1 < sizeof(v->code))
        v->code[v->n_code++] = ch;
    else if (e == 1 && c == 2 && v->n_kind + 1 < sizeof(v->kind))
        v->kind[v->n_kind++] = ch;
}

/* Reads the values after a segment's tag (i at the byte after it) up
 * to the terminator, unescaped and without the line breaks the reader
 * removes. */
static void scan_values(const struct seps *sp, const char *b, size_t len,
                        size_t i, struct segview *v)
{
    unsigned e = 0, c = 0;

    v->n_text = v->n_code = v->n_kind = 0;
    for (; i < len && b[i] != sp->seg; i++) {
        if (b[i] == sp->rel && i + 1 < len) {
            take(v, e, c, b[++i]);
        } else if (b[i] == sp->data || b[i] == sp->comp) {
            e += b[i] == sp->data;
            c = b[i] == sp->data ? 1 : c + 1;
            v->text[v->n_text++] = ' ';
        } else if (!line_end(b[i])) {
            take(v, e, c, b[i]);
        }
    }
    v->code[v->n_code] = v->kind[v->n_kind] = '\0';
    v->end = i;
}

/* The terminator of the segment whose values start at i, or len, as
 * scan_values finds it but without reading the values: a terminator
 * is escaped when an odd run of release characters comes before it. */
static size_t segment_end(const struct seps *sp, const char *b, size_t len,
                          size_t i)
{
    for (;;) {
        const char *t = memchr(b + i, sp->seg, len - i);
        size_t at, run = 0;

        if (!t)
            return len;
        at = (size_t)(t - b);
        while (at - run > i && b[at - run - 1] == sp->rel)
            run++;
        if (run % 2 == 0)
            return at;
        i = at + 1;
    }
}

/* Overwrites every value byte (escapes included) between from and the
 * terminator, keeping separators and line ends. */
static void blot_values(const struct seps *sp, char *b, size_t from, size_t end)
{
    for (size_t i = from; i < end; i++) {
        if (b[i] == sp->rel && i + 1 < end) {
            b[i] = b[i + 1] = '*';
            i++;
        } else if (b[i] != sp->data && b[i] != sp->comp && !line_end(b[i])) {
            b[i] = '*';
        }
    }
}

static int text_hit(const pw_sensitive *s, const struct segview *v)
{
    return pw_sensitive_text(s, v->text, v->n_text) != PW_SENS_NONE;
}

/* Whether the reader would drop this SSR or IFT (see pnrgov_ssr.c).
 * The words are matched only when they decide: most SSRs are DOCS,
 * contacts or seats, whose text is not matched. */
static int drops(const pw_sensitive *s, const char *tag,
                 const struct segview *v)
{
    if (!strcmp(tag, "SSR")) {
        if (pw_sensitive_code(s, v->code) != PW_SENS_NONE)
            return 1;
        return !structured(v->code) && text_hit(s, v);
    }
    /* IFT 4:15 fare calculation and 4:43 sponsor are not remarks. */
    if (!strcmp(v->kind, "15") || !strcmp(v->kind, "43"))
        return 0;
    return text_hit(s, v);
}

/* The tag of the segment starting at *i (after blanks); moves *i past
 * it. */
static void read_tag(const struct seps *sp, const char *b, size_t len,
                     size_t *i, char tag[4])
{
    size_t n = 0;

    while (*i < len && blank(b[*i]))
        (*i)++;
    while (*i < len && b[*i] != sp->data && b[*i] != sp->seg &&
           b[*i] != sp->comp && !blank(b[*i])) {
        if (n < 3)
            tag[n] = b[*i];
        n++;
        (*i)++;
    }
    tag[n <= 3 ? n : 0] = '\0';
}

/* Components 1 and 2 of element 1 of the segment whose values start
 * at i, as scan_values would read them, when that is plain (no release
 * character, no line break up to the end of its second component): returns 1
 * with v->code and v->kind set, else 0 and the segment needs the full reading.
 */
static int peek_element1(const struct seps *sp, const char *b, size_t len,
                         size_t i, struct segview *v)
{
    unsigned e = 0, c = 0;

    v->n_code = v->n_kind = 0;
    for (; i < len && b[i] != sp->seg; i++) {
        char ch = b[i];

        if (ch == sp->rel || line_end(ch))
            return 0;
        if (ch == sp->data || ch == sp->comp) {
            if (ch == sp->data && e == 1)
                break;
            e += ch == sp->data;
            c = ch == sp->data ? 1 : c + 1;
            if (e == 1 && c > 2)
                break; /* an SSR's free text comes later in element 1 */
        } else if (e == 1 && c == 1 && v->n_code + 1 < sizeof(v->code)) {
            v->code[v->n_code++] = ch;
        } else if (e == 1 && c == 2 && v->n_kind + 1 < sizeof(v->kind)) {
            v->kind[v->n_kind++] = ch;
        }
    }
    v->code[v->n_code] = v->kind[v->n_kind] = '\0';
    return 1;
}

/* Whether element 1 alone says the segment is kept, so that its text
 * need not be read: an SSR whose code is not on the list and whose text
 * is not matched (DOCS, contacts, seats: most of them), an IFT of fare
 * calculation or sponsor. Decides as drops() does. */
static int kept_by_code(const pw_sensitive *s, const char *tag,
                        const struct segview *v)
{
    if (tag[0] == 'S')
        return pw_sensitive_code(s, v->code) == PW_SENS_NONE &&
               structured(v->code);
    return !strcmp(v->kind, "15") || !strcmp(v->kind, "43");
}

static size_t redact_edifact(const pw_sensitive *s, char *b, size_t len,
                             char *scratch)
{
    struct seps sp;
    struct segview v = {.text = scratch};
    size_t i = skip_bom_blanks(b, len), n = 0;
    char tag[4];

    read_una(b, len, i, &sp);
    if (len - i >= 9 && !memcmp(b + i, "UNA", 3))
        i += 9;
    while (i < len) {
        read_tag(&sp, b, len, &i, tag);
        /* only SSR and IFT are dropped: the others are not read, nor
         * those element 1 already keeps */
        if ((memcmp(tag, "SSR", 4) && memcmp(tag, "IFT", 4)) ||
            (peek_element1(&sp, b, len, i, &v) && kept_by_code(s, tag, &v))) {
            i = i < len ? segment_end(&sp, b, len, i) + 1 : len;
            continue;
        }
        scan_values(&sp, b, len, i, &v);
        if (drops(s, tag, &v)) {
            blot_values(&sp, b, i, v.end);
            n++;
        }
        i = v.end + 1;
    }
    return n;
}

/* ---- XML ---- */

static const char *find(const char *b, size_t from, size_t len,
                        const char *what)
{
    size_t n = strlen(what);
    const char *p;

    if (from > len || len - from < n)
        return NULL;
    p = b + from;
    if (n == 0)
        return p;
    /* memchr to each candidate first byte: every archived input is
     * searched whole for "PNRGOV", and byte by byte that search was
     * most of what keeping an API input's raw bytes cost. */
    while ((size_t)(b + len - p) >= n) {
        p = memchr(p, what[0], (size_t)(b + len - p) - n + 1);
        if (!p || !memcmp(p, what, n))
            return p;
        p++;
    }
    return NULL;
}

/* Index just past what (searched from from), or len. */
static size_t past(const char *b, size_t from, size_t len, const char *what)
{
    const char *p = find(b, from, len, what);

    return p ? (size_t)(p - b) + strlen(what) : len;
}

/* The '>' closing the tag opened at i, skipping quoted values; len if
 * none. */
static size_t tag_end(const char *b, size_t i, size_t len)
{
    char q = 0;

    for (; i < len; i++) {
        if (q) {
            q = b[i] == q ? 0 : q;
        } else if (b[i] == '"' || b[i] == '\'') {
            q = b[i];
        } else if (b[i] == '>') {
            return i;
        }
    }
    return len;
}

/* A start tag at b[i] == '<': its qualified name [*n0, *n1). */
static void tag_name(const char *b, size_t i, size_t len, size_t *n0,
                     size_t *n1)
{
    *n0 = i + 1;
    *n1 = *n0;
    while (*n1 < len && !blank(b[*n1]) && b[*n1] != '/' && b[*n1] != '>')
        (*n1)++;
}

static int local_is(const char *b, size_t n0, size_t n1, const char *name)
{
    size_t k = strlen(name);

    for (size_t j = n0; j < n1; j++)
        if (b[j] == ':')
            n0 = j + 1;
    return n1 - n0 == k && !memcmp(b + n0, name, k);
}

/* The end of the element whose start tag is [i, gt], qualified name
 * [n0, n1): just past its end tag, or len when it is never closed. */
static size_t element_end(const char *b, size_t len, size_t gt, size_t n0,
                          size_t n1)
{
    size_t j = gt + 1;

    if (b[gt - 1] == '/')
        return gt + 1;
    while ((j = past(b, j, len, "</")) < len) {
        if (len - j >= n1 - n0 && !memcmp(b + j, b + n0, n1 - n0) &&
            j + (n1 - n0) < len &&
            (b[j + n1 - n0] == '>' || blank(b[j + n1 - n0])))
            return tag_end(b, j, len) + 1;
    }
    return len;
}

/* Calls fn on each byte of [from, to) that is character data or inside
 * a quoted attribute value, and with NULL where one value ends, so that
 * values that touch are not read as one word. */
static void each_value_byte(char *b, size_t from, size_t to,
                            void (*fn)(char *c, void *ctx), void *ctx)
{
    int markup = 0;
    char q = 0;

    for (size_t i = from; i < to; i++) {
        if (markup && q) {
            int closing = b[i] == q;
            q = closing ? 0 : q;
            fn(closing ? NULL : &b[i], ctx);
        } else if (markup) {
            q = b[i] == '"' || b[i] == '\'' ? b[i] : 0;
            markup = b[i] != '>';
        } else if (b[i] == '<') {
            markup = 1;
            fn(NULL, ctx);
        } else {
            fn(&b[i], ctx);
        }
    }
}

struct collect {
    char *text;
    size_t n;
};

static void collect_byte(char *c, void *ctx)
{
    struct collect *k = ctx;

    k->text[k->n++] = c ? *c : ' ';
}

static void blot_byte(char *c, void *ctx)
{
    (void)ctx;
    if (c && !line_end(*c))
        *c = '*';
}

/* The value of attribute name in the start tag [i, gt], into out. */
static void attr_value(const char *b, size_t i, size_t gt, const char *name,
                       char *out, size_t cap)
{
    size_t k = strlen(name);

    out[0] = '\0';
    for (size_t j = i + 1; j + k + 2 < gt; j++) {
        size_t v = j + k;
        if (!blank(b[j - 1]) || memcmp(b + j, name, k))
            continue;
        while (v < gt && blank(b[v]))
            v++;
        if (b[v] != '=')
            continue;
        v++;
        while (v < gt && blank(b[v]))
            v++;
        if (b[v] != '"' && b[v] != '\'')
            return;
        for (size_t w = v + 1; w < gt && b[w] != b[v]; w++)
            append(out, cap, b[w]);
        return;
    }
}

/* Whether the XML reader would drop the element [i, end) (see
 * pnrxml.c: ssr_allowed, read_remark). */
static int xml_drops(const pw_sensitive *s, char *b, size_t i, size_t gt,
                     size_t end, int is_ssr, char *scratch)
{
    struct collect k = {scratch, 0};
    char code[8];

    if (is_ssr) {
        attr_value(b, i, gt, "SSRCode", code, sizeof(code));
        if (pw_sensitive_code(s, code) != PW_SENS_NONE)
            return 1;
        if (!strcmp(code, "DOCS") || !strcmp(code, "DOCO"))
            return 0;
    }
    each_value_byte(b, i, end, collect_byte, &k);
    return pw_sensitive_text(s, k.text, k.n) != PW_SENS_NONE;
}

/* Skips a comment, CDATA, declaration or end tag at i; 0 when i holds
 * a start tag. */
static size_t skip_other(const char *b, size_t i, size_t len)
{
    if (len - i >= 4 && !memcmp(b + i, "<!--", 4))
        return past(b, i + 4, len, "-->");
    if (len - i >= 9 && !memcmp(b + i, "<![CDATA[", 9))
        return past(b, i + 9, len, "]]>");
    if (i + 1 < len && (b[i + 1] == '?' || b[i + 1] == '!' || b[i + 1] == '/'))
        return tag_end(b, i, len) + 1;
    return 0;
}

static size_t redact_xml(const pw_sensitive *s, char *b, size_t len,
                         char *scratch)
{
    size_t i = 0, n = 0, n0, n1, gt, end, next;

    while (i < len) {
        const char *lt = memchr(b + i, '<', len - i);
        int ssr, remark;

        if (!lt)
            break;
        i = (size_t)(lt - b);
        if ((next = skip_other(b, i, len)) != 0) {
            i = next;
            continue;
        }
        tag_name(b, i, len, &n0, &n1);
        gt = tag_end(b, i, len);
        ssr = local_is(b, n0, n1, "SSR") || local_is(b, n0, n1, "DOC_SSR");
        remark = local_is(b, n0, n1, "OSI") || local_is(b, n0, n1, "Remark");
        if (gt < len && (ssr || remark)) {
            end = element_end(b, len, gt, n0, n1);
            if (xml_drops(s, b, i, gt, end, ssr, scratch)) {
                each_value_byte(b, i, end, blot_byte, NULL);
                n++;
                i = end;
                continue;
            }
        }
        i = gt + 1;
    }
    return n;
}

static int is_xml(const char *b, size_t len)
{
    size_t i = skip_bom_blanks(b, len);

    return i < len && b[i] == '<';
}

size_t pw_sensitive_redact_in_place(const pw_sensitive *s, char *buf,
                                    size_t len)
{
    char *scratch;
    size_t n;
    int xml;

    if (!buf || !len)
        return 0;
    xml = is_xml(buf, len);
    /* Only PNRGOV carries SSRs and remarks; API data is left as is. */
    if (!xml && !find(buf, 0, len, "PNRGOV"))
        return 0;
    if (!s)
        s = pw_sensitive_default();
    scratch = malloc(len + 1);
    if (!scratch)
        return (size_t)-1;
    n = xml ? redact_xml(s, buf, len, scratch)
            : redact_edifact(s, buf, len, scratch);
    free(scratch);
    return n;
}

pw_rc pw_sensitive_redact(const pw_sensitive *s, const char *data, size_t len,
                          char **out, size_t *n_redacted)
{
    size_t n;

    if (!out)
        return PW_ERR_INVALID;
    *out = NULL;
    if (!data && len)
        return PW_ERR_INVALID;
    *out = malloc(len + 1);
    if (!*out)
        return PW_ERR_NOMEM;
    if (len)
        memcpy(*out, data, len);
    (*out)[len] = '\0';
    n = pw_sensitive_redact_in_place(s, *out, len);
    if (n == (size_t)-1) {
        free(*out);
        *out = NULL;
        return PW_ERR_NOMEM;
    }
    if (n_redacted)
        *n_redacted = n;
    return PW_OK;
}

/* ICAO Doc 9303 machine-readable zones: TD1, TD2 and TD3 layouts, their
 * fields and check digits; and document numbers made comparable. */
#include <ctype.h>
#include <string.h>

#include "paxwatch/identity.h"

#define MRZ_MAX_BYTES 256

int pw_mrz_check_digit(const char *s, size_t n)
{
    static const int weight[3] = {7, 3, 1};
    int sum = 0;

    for (size_t i = 0; i < n; i++) {
        int v;
        char c = s[i];
        if (c >= '0' && c <= '9')
            v = c - '0';
        else if (c >= 'A' && c <= 'Z')
            v = c - 'A' + 10;
        else if (c == '<')
            v = 0;
        else
            return -1;
        sum += v * weight[i % 3];
    }
    return sum % 10;
}

typedef struct mrz_lines {
    const char *line[3];
    size_t n_lines, width;
    size_t offset[3]; /* byte offset of each line in the input */
} mrz_lines;

/* Copies a field with fillers trimmed from the end; '<' inside becomes a
 * space (names) or is dropped (codes). */
static void field(char *dst, size_t cap, const char *src, size_t n)
{
    size_t k = 0;

    while (n > 0 && src[n - 1] == '<')
        n--;
    for (size_t i = 0; i < n && k + 1 < cap; i++)
        dst[k++] = src[i] == '<' ? ' ' : src[i];
    dst[k] = '\0';
}

static void name_field(pw_mrz *m, const char *src, size_t n)
{
    const char *sep = NULL;

    for (size_t i = 0; i + 1 < n; i++)
        if (src[i] == '<' && src[i + 1] == '<') {
            sep = src + i;
            break;
        }
    if (!sep) {
        field(m->surname, sizeof m->surname, src, n);
        m->given_names[0] = '\0';
        return;
    }
    field(m->surname, sizeof m->surname, src, (size_t)(sep - src));
    field(m->given_names, sizeof m->given_names, sep + 2,
          n - (size_t)(sep - src) - 2);
}

/* Checks the digit at line l, column col against the n characters at
 * line l, column from; records a warning when it fails. */
static int check(const mrz_lines *z, size_t l, size_t from, size_t n,
                 size_t col, const char *what, pw_diags *d)
{
    int want = pw_mrz_check_digit(z->line[l] + from, n);
    char c = z->line[l][col];
    int got = c == '<' ? 0 : c - '0';

    if (want == got)
        return 1;
    if (d && pw_diags_add(d, PW_WARNING, 0, z->offset[l] + col,
                          "MRZ line %zu column %zu: %s check digit is %c, "
                          "expected %d",
                          l + 1, col + 1, what, c, want) != PW_OK)
        return 0;
    return 0;
}

static int composite(const mrz_lines *z, const size_t (*parts)[3],
                     size_t n_parts, size_t l, size_t col, pw_diags *d)
{
    char buf[64];
    size_t k = 0;

    for (size_t i = 0; i < n_parts; i++) {
        memcpy(buf + k, z->line[parts[i][0]] + parts[i][1], parts[i][2]);
        k += parts[i][2];
    }
    int want = pw_mrz_check_digit(buf, k);
    char c = z->line[l][col];
    if (want == (c == '<' ? 0 : c - '0'))
        return 1;
    if (d && pw_diags_add(d, PW_WARNING, 0, z->offset[l] + col,
                          "MRZ line %zu column %zu: composite check digit "
                          "is %c, expected %d",
                          l + 1, col + 1, c, want) != PW_OK)
        return 0;
    return 0;
}

static void common_fields(pw_mrz *m, const char *l1)
{
    field(m->doc_code, sizeof m->doc_code, l1, 2);
    field(m->issuer, sizeof m->issuer, l1 + 2, 3);
}

/* The second line of TD2 and TD3 share their first 28 columns. */
static void td23_line2(pw_mrz *m, const mrz_lines *z, pw_diags *d)
{
    const char *l2 = z->line[1];

    field(m->number, sizeof m->number, l2, 9);
    m->number_ok = check(z, 1, 0, 9, 9, "document number", d);
    field(m->nationality, sizeof m->nationality, l2 + 10, 3);
    memcpy(m->birth_date, l2 + 13, 6);
    m->birth_date[6] = '\0';
    m->birth_ok = check(z, 1, 13, 6, 19, "birth date", d);
    m->sex = l2[20] == '<' ? 'X' : l2[20];
    memcpy(m->expiry, l2 + 21, 6);
    m->expiry[6] = '\0';
    m->expiry_ok = check(z, 1, 21, 6, 27, "expiry date", d);
}

static void parse_td3(pw_mrz *m, const mrz_lines *z, pw_diags *d)
{
    static const size_t parts[][3] = {{1, 0, 10}, {1, 13, 7}, {1, 21, 22}};

    m->format = PW_MRZ_TD3;
    common_fields(m, z->line[0]);
    name_field(m, z->line[0] + 5, 39);
    td23_line2(m, z, d);
    field(m->optional1, sizeof m->optional1, z->line[1] + 28, 14);
    m->optional_ok = check(z, 1, 28, 14, 42, "personal number", d);
    m->composite_ok = composite(z, parts, 3, 1, 43, d);
}

static void parse_td2(pw_mrz *m, const mrz_lines *z, pw_diags *d)
{
    static const size_t parts[][3] = {{1, 0, 10}, {1, 13, 7}, {1, 21, 14}};

    m->format = PW_MRZ_TD2;
    common_fields(m, z->line[0]);
    name_field(m, z->line[0] + 5, 31);
    td23_line2(m, z, d);
    field(m->optional1, sizeof m->optional1, z->line[1] + 28, 7);
    m->optional_ok = 1;
    m->composite_ok = composite(z, parts, 3, 1, 35, d);
}

static void parse_td1(pw_mrz *m, const mrz_lines *z, pw_diags *d)
{
    static const size_t parts[][3] = {
        {0, 5, 25}, {1, 0, 7}, {1, 8, 7}, {1, 18, 11}};
    const char *l1 = z->line[0], *l2 = z->line[1];

    m->format = PW_MRZ_TD1;
    common_fields(m, l1);
    field(m->number, sizeof m->number, l1 + 5, 9);
    m->number_ok = check(z, 0, 5, 9, 14, "document number", d);
    field(m->optional1, sizeof m->optional1, l1 + 15, 15);
    memcpy(m->birth_date, l2, 6);
    m->birth_date[6] = '\0';
    m->birth_ok = check(z, 1, 0, 6, 6, "birth date", d);
    m->sex = l2[7] == '<' ? 'X' : l2[7];
    memcpy(m->expiry, l2 + 8, 6);
    m->expiry[6] = '\0';
    m->expiry_ok = check(z, 1, 8, 6, 14, "expiry date", d);
    field(m->nationality, sizeof m->nationality, l2 + 15, 3);
    field(m->optional2, sizeof m->optional2, l2 + 18, 11);
    m->optional_ok = 1;
    m->composite_ok = composite(z, parts, 4, 1, 29, d);
    name_field(m, z->line[2], 30);
}

static pw_rc syntax(pw_diags *d, size_t offset, const char *why, size_t l,
                    size_t col)
{
    if (d && pw_diags_add(d, PW_ERROR, 0, offset, "MRZ line %zu column %zu: %s",
                          l, col, why) != PW_OK)
        return PW_ERR_NOMEM;
    return PW_ERR_SYNTAX;
}

/* Splits text into lines of equal width, or one run into 2 or 3. */
static pw_rc split_lines(const char *text, size_t len, mrz_lines *z,
                         pw_diags *d)
{
    size_t start = 0;

    z->n_lines = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && text[i] != '\n')
            continue;
        size_t end = (i > start && text[i - 1] == '\r') ? i - 1 : i;
        if (end > start || i < len) {
            if (z->n_lines == 3)
                return syntax(d, start, "more than 3 lines", 4, 1);
            z->line[z->n_lines] = text + start;
            z->offset[z->n_lines++] = start;
            if (z->n_lines == 1 || end - start == z->width)
                z->width = end - start;
            else
                return syntax(d, start, "lines differ in length", z->n_lines,
                              end - start + 1);
        }
        start = i + 1;
    }
    if (z->n_lines == 1) {
        size_t w = len == 90 ? 30 : len == 72 ? 36 : len == 88 ? 44 : 0;
        if (w == 0)
            return syntax(d, 0, "not a TD1, TD2 or TD3 length", 1, len);
        z->width = w;
        z->n_lines = len / w;
        for (size_t l = 1; l < z->n_lines; l++) {
            z->line[l] = text + l * w;
            z->offset[l] = l * w;
        }
    }
    return PW_OK;
}

static pw_rc check_alphabet(const mrz_lines *z, pw_diags *d)
{
    for (size_t l = 0; l < z->n_lines; l++)
        for (size_t c = 0; c < z->width; c++) {
            char ch = z->line[l][c];
            if (!(isdigit((unsigned char)ch) || (ch >= 'A' && ch <= 'Z') ||
                  ch == '<'))
                return syntax(d, z->offset[l] + c,
                              "character outside 0-9, A-Z and '<'", l + 1,
                              c + 1);
        }
    return PW_OK;
}

pw_rc pw_mrz_parse(const char *text, size_t len, pw_mrz *out, pw_diags *d)
{
    mrz_lines z;

    if (!text || !out)
        return PW_ERR_INVALID;
    memset(out, 0, sizeof *out);
    if (len > MRZ_MAX_BYTES)
        return PW_ERR_LIMIT;
    memset(&z, 0, sizeof z);
    pw_rc rc = split_lines(text, len, &z, d);
    if (rc != PW_OK)
        return rc;
    rc = check_alphabet(&z, d);
    if (rc != PW_OK)
        return rc;

    if (z.n_lines == 3 && z.width == 30)
        parse_td1(out, &z, d);
    else if (z.n_lines == 2 && z.width == 36)
        parse_td2(out, &z, d);
    else if (z.n_lines == 2 && z.width == 44)
        parse_td3(out, &z, d);
    else
        return syntax(d, 0, "not a TD1, TD2 or TD3 layout", 1, z.width);
    out->checks_ok = out->number_ok && out->birth_ok && out->expiry_ok &&
                     out->optional_ok && out->composite_ok;
    return PW_OK;
}

size_t pw_document_number_normalize(const char *in, char *out, size_t cap)
{
    size_t k = 0;

    if (!in || !out || cap == 0)
        return 0;
    for (; *in; in++) {
        unsigned char c = (unsigned char)*in;
        if (c == ' ' || c == '<' || c == '-' || c == '.' || c == '/' ||
            c == '\t')
            continue;
        if (k + 1 >= cap) {
            out[0] = '\0';
            return 0;
        }
        out[k++] = (char)toupper(c);
    }
    out[k] = '\0';
    return k;
}

/* EDIFACT character sets (UNB S001 0001) to UTF-8: byte tables for the
 * ISO 8859 parts, built once with ICU, and the rules for stray bytes. */
#include <stdint.h>
#include <string.h>
#include <threads.h>

#include <unicode/ucnv.h>

#include "edifact/edi_internal.h"

/* The repertoires of ISO 9735 (and of IATA's own identifier) that paxwatch
 * reads; icu names the ISO 8859 part for the table kinds. */
static const struct cs_name {
    const char *id;
    enum edi_cs_kind kind;
    const char *icu;
} cs_names[] = {
    {"UNOA", EDI_CS_ASCII, NULL},          {"UNOB", EDI_CS_ASCII, NULL},
    {"IATA", EDI_CS_ASCII, NULL},          {"UNOC", EDI_CS_TABLE, "ISO-8859-1"},
    {"UNOD", EDI_CS_TABLE, "ISO-8859-2"},  {"UNOE", EDI_CS_TABLE, "ISO-8859-5"},
    {"UNOF", EDI_CS_TABLE, "ISO-8859-7"},  {"UNOG", EDI_CS_TABLE, "ISO-8859-3"},
    {"UNOH", EDI_CS_TABLE, "ISO-8859-4"},  {"UNOI", EDI_CS_TABLE, "ISO-8859-6"},
    {"UNOJ", EDI_CS_TABLE, "ISO-8859-8"},  {"UNOK", EDI_CS_TABLE, "ISO-8859-9"},
    {"UNOL", EDI_CS_TABLE, "ISO-8859-15"}, {"UNOW", EDI_CS_UTF8, NULL},
    {"UNOY", EDI_CS_UTF8, NULL},
};

#define N_CS (sizeof(cs_names) / sizeof(cs_names[0]))

static edi_utf8 cs_tables[N_CS][128];
static int cs_ready[N_CS];
static once_flag cs_once = ONCE_FLAG_INIT;

static void utf8_put(edi_utf8 *e, UChar u)
{
    if (u < 0x80) {
        e->len = 1;
        e->bytes[0] = (char)u;
    } else if (u < 0x800) {
        e->len = 2;
        e->bytes[0] = (char)(0xC0 | (u >> 6));
        e->bytes[1] = (char)(0x80 | (u & 0x3F));
    } else {
        e->len = 3;
        e->bytes[0] = (char)(0xE0 | (u >> 12));
        e->bytes[1] = (char)(0x80 | ((u >> 6) & 0x3F));
        e->bytes[2] = (char)(0x80 | (u & 0x3F));
    }
}

/* One byte through the converter; 0 when ICU has no mapping for it. */
static UChar cs_map_byte(UConverter *cv, unsigned char b)
{
    UErrorCode err = U_ZERO_ERROR;
    UChar u[4];
    char in = (char)b;
    int32_t n;

    ucnv_reset(cv);
    n = ucnv_toUChars(cv, u, 4, &in, 1, &err);
    if (U_FAILURE(err) || n != 1 || u[0] == 0xFFFD || u[0] == 0x1A)
        return 0;
    return u[0];
}

static void cs_build_one(size_t i)
{
    UErrorCode err = U_ZERO_ERROR;
    UConverter *cv = ucnv_open(cs_names[i].icu, &err);

    if (U_FAILURE(err) || !cv)
        return;
    ucnv_setToUCallBack(cv, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, &err);
    /* 0x80..0x9F are C1 controls in every part: not text, so not in the
     * set; they stay len 0 and are read as ISO 8859-1 with a report. */
    for (unsigned b = 0xA0; b < 0x100 && U_SUCCESS(err); b++) {
        UChar u = cs_map_byte(cv, (unsigned char)b);

        if (u)
            utf8_put(&cs_tables[i][b - 0x80], u);
    }
    ucnv_close(cv);
    cs_ready[i] = U_SUCCESS(err);
}

static void cs_build_all(void)
{
    for (size_t i = 0; i < N_CS; i++)
        if (cs_names[i].kind == EDI_CS_TABLE)
            cs_build_one(i);
}

int edi_charset_select(const char *name, edi_charset *cs)
{
    memset(cs, 0, sizeof(*cs));
    cs->kind = EDI_CS_UTF8;
    for (size_t i = 0; i < N_CS; i++) {
        if (strcmp(name, cs_names[i].id) != 0)
            continue;
        cs->kind = cs_names[i].kind;
        cs->upper_only = (i == 0);
        if (cs->kind == EDI_CS_TABLE) {
            call_once(&cs_once, cs_build_all);
            if (!cs_ready[i])
                return 0;
            cs->table = cs_tables[i];
        }
        return 1;
    }
    return 0;
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if none. */
static size_t utf8_valid(const unsigned char *s, size_t n)
{
    unsigned char b = s[0];
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF;

    if (b >= 0xC2 && b <= 0xDF)
        len = 2;
    else if (b >= 0xE0 && b <= 0xEF)
        len = 3;
    else if (b >= 0xF0 && b <= 0xF4)
        len = 4;
    else
        return 0;
    if (len > n)
        return 0;
    /* Overlong forms, surrogates and code points past U+10FFFF. */
    if (b == 0xE0)
        lo = 0xA0;
    else if (b == 0xED)
        hi = 0x9F;
    else if (b == 0xF0)
        lo = 0x90;
    else if (b == 0xF4)
        hi = 0x8F;
    if (s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    return len;
}

static void put_latin1(unsigned char b, char **out)
{
    char *o = *out;

    if (b < 0x80) {
        *o++ = (char)b;
    } else {
        *o++ = (char)(0xC0 | (b >> 6));
        *o++ = (char)(0x80 | (b & 0x3F));
    }
    *out = o;
}

int edi_charset_emit(const edi_charset *cs, const unsigned char *data,
                     size_t *pos, size_t end, char **out)
{
    unsigned char b = data[*pos];
    size_t n;

    if (b < 0x80) {
        /* A NUL would cut the C string short: it is dropped, reported. */
        if (b)
            put_latin1(b, out);
        (*pos)++;
        return 0;
    }
    if (cs->kind == EDI_CS_TABLE && cs->table[b - 0x80].len) {
        const edi_utf8 *e = &cs->table[b - 0x80];

        memcpy(*out, e->bytes, e->len);
        *out += e->len;
        (*pos)++;
        return 1;
    }
    n = utf8_valid(data + *pos, end - *pos);
    if (n) {
        memcpy(*out, data + *pos, n);
        *out += n;
        *pos += n;
        return cs->kind == EDI_CS_UTF8;
    }
    put_latin1(b, out);
    (*pos)++;
    return 0;
}

int edi_charset_text_is_utf8(const unsigned char *data, size_t len)
{
    size_t i = 0, seqs = 0;

    while (i < len) {
        uint64_t w;
        size_t n;

        /* eight plain ASCII bytes at a time */
        if (len - i >= 8) {
            memcpy(&w, data + i, 8);
            if (!(w & UINT64_C(0x8080808080808080))) {
                i += 8;
                continue;
            }
        }
        if (data[i] < 0x80) {
            i++;
            continue;
        }
        n = utf8_valid(data + i, len - i);
        if (!n)
            return 0;
        seqs++;
        i += n;
    }
    return seqs > 0;
}

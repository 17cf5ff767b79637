/* Name normalisation: folds any spelling of a name to upper-case ASCII
 * tokens with ICAO 9303 variants, drops titles and glues particles, so that
 * both sides of a comparison look alike. */
#include <string.h>

#include "identity/identity_int.h"
#include "paxwatch/identity.h"

/* Working buffers: a folded name is at most a few times its input. */
#define FOLD_CAP (PW_NAME_MAX_BYTES * 4)

typedef struct folded {
    char base[FOLD_CAP];
    char icao[FOLD_CAP];
    size_t nb, ni;
    int differs; /* some ICAO fold differs from the plain one */
    int overflow;
} folded;

/* Plain letters for U+00C0..U+00FF, upper and lower alike; '.' marks a
 * letter spelt with two, '-' a symbol. */
static const char latin1_base[] = "AAAAAA.CEEEEIIIIDNOOOOO-OUUUUY.Y";
/* U+0100..U+017F. */
static const char latin_ext_a[] = "AAAAAACCCCCCCCDD"
                                  "DDEEEEEEEEEEGGGG"
                                  "GGGGHHHHIIIIIIII"
                                  "II..JJKKKLLLLLLL"
                                  "LLLNNNNNNNNNOOOO"
                                  "OO..RRRRRRSSSSSS"
                                  "SSTTTTTTUUUUUUUU"
                                  "UUUUWWYYYZZZZZZS";

static void put(folded *f, const char *b, const char *i)
{
    size_t lb = strlen(b), li = strlen(i);

    if (f->nb + lb + 1 >= FOLD_CAP || f->ni + li + 1 >= FOLD_CAP) {
        f->overflow = 1;
        return;
    }
    memcpy(f->base + f->nb, b, lb);
    memcpy(f->icao + f->ni, i, li);
    f->nb += lb;
    f->ni += li;
    if (lb != li || memcmp(b, i, lb) != 0)
        f->differs = 1;
}

/* put() of one letter that is the same in both spellings: most of a
 * name's letters are plain ASCII, folded one at a time. */
static void put_same(folded *f, char c)
{
    if (f->nb + 2 >= FOLD_CAP || f->ni + 2 >= FOLD_CAP) {
        f->overflow = 1;
        return;
    }
    f->base[f->nb++] = c;
    f->icao[f->ni++] = c;
}

/* The ICAO 9303 transliteration where it differs from the plain letter. */
static const char *icao_fold(uint32_t cp)
{
    switch (cp | 0x20) { /* upper and lower Latin-1 differ by 0x20 */
    case 0xE4:
        return "AE";
    case 0xE5:
        return "AA";
    case 0xF6:
        return "OE";
    case 0xF8:
        return "OE";
    case 0xFC:
        return "UE";
    default:
        return NULL;
    }
}

static const char *two_letter(uint32_t cp)
{
    switch (cp) {
    case 0xC6:
    case 0xE6:
        return "AE";
    case 0xDE:
    case 0xFE:
        return "TH";
    case 0xDF:
        return "SS";
    case 0x132:
    case 0x133:
        return "IJ";
    case 0x152:
    case 0x153:
        return "OE";
    default:
        return NULL;
    }
}

static int is_apostrophe(uint32_t cp)
{
    return cp == '\'' || cp == '`' || cp == 0x2018 || cp == 0x2019 ||
           cp == 0x2BC || cp == 0x2BE || cp == 0x2BF || cp == 0xB4;
}

/* Folds one code point; returns 0 when the table does not know it. */
static int fold_known(folded *f, uint32_t cp)
{
    char one[2] = {0, 0};

    if (cp < 0x80) {
        if (cp >= 'a' && cp <= 'z')
            cp -= 0x20;
        if (!is_apostrophe(cp))
            put_same(f, (cp >= 'A' && cp <= 'Z') ? (char)cp : ' ');
        return 1;
    }
    if (is_apostrophe(cp))
        return 1;
    const char *two = two_letter(cp);
    if (two) {
        put(f, two, two);
        return 1;
    }
    if (cp >= 0xC0 && cp <= 0xFF)
        one[0] = latin1_base[(cp - 0xC0) & 0x1F];
    else if (cp >= 0x100 && cp <= 0x17F)
        one[0] = latin_ext_a[cp - 0x100];
    else if (cp == 0xA0 || (cp >= 0x2010 && cp <= 0x2015))
        one[0] = ' ';
    else
        return 0;
    if (one[0] == '-' || one[0] == '.')
        one[0] = ' ';
    const char *alt = (cp >= 0xC0 && cp <= 0xFF) ? icao_fold(cp) : NULL;
    put(f, one, alt ? alt : one);
    return 1;
}

/* Decodes one UTF-8 sequence at s (n bytes left); returns its length or
 * 0 when malformed. */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    size_t len = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 ? 2 : 0;
    if (len == 0 || len > n || s[0] > 0xF4)
        return 0;
    uint32_t c = s[0] & (0x7F >> len);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    static const uint32_t min[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (c < min[len] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

/* Folds s with the table; unknown code points go to ICU's Latin-ASCII
 * when allow_icu, else the call fails with *unknown set. */
static pw_rc fold_utf8(folded *f, const char *s, size_t n, int allow_icu,
                       int *unknown)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    char buf[16];

    while (i < n) {
        uint32_t cp;
        size_t k = utf8_decode(p + i, n - i, &cp);
        if (k == 0)
            return PW_ERR_SYNTAX;
        i += k;
        if (fold_known(f, cp))
            continue;
        if (!allow_icu) {
            *unknown = 1;
            return PW_OK;
        }
        if (pw__translit_ascii_cp(cp, buf, sizeof buf) == 0)
            strcpy(buf, " ");
        put(f, buf, buf);
    }
    return f->overflow ? PW_ERR_LIMIT : PW_OK;
}

static pw_rc fold_name(folded *f, const char *s, size_t n, int *han)
{
    int unknown = 0;
    char latin[FOLD_CAP];
    size_t nl = 0;

    f->nb = f->ni = 0;
    f->differs = f->overflow = 0;
    *han = 0;
    pw_rc rc = fold_utf8(f, s, n, 0, &unknown);
    if (rc != PW_OK || !unknown)
        return rc;

    f->nb = f->ni = 0;
    f->differs = 0;
    rc = pw__translit_latin(s, n, latin, sizeof latin, &nl, han);
    if (rc != PW_OK)
        return rc;
    return fold_utf8(f, latin, nl, 1, &unknown);
}

static const char *const titles[] = {
    "MR",     "MRS",    "MS",      "MISS",   "MSTR",    "MASTER",
    "DR",     "PROF",   "SIR",     "REV",    "SHEIKH",  "SHEIK",
    "SHAIKH", "SHAYKH", "HAJI",    "HAJJI",  "HADJI",   "ALHAJI",
    "ALHAJJ", "MULLAH", "MAULANA", "MAULVI", "MAWLAWI", NULL};

/* Particles glued to the name that follows them. */
static const char *const particles[] = {
    "AL",   "EL",  "UL",   "AD",    "AS",    "AZ",     "AT",    "AN",
    "AR",   "ASH", "ABD",  "ABDUL", "ABDEL", "ABDOUL", "ABDUR", "ABU",
    "ABOU", "BIN", "BINT", "BN",    "IBN",   "VAN",    "VON",   "DER",
    "DEN",  "DE",  "LA",   "LE",    "DI",    "DA",     "DEL",   "DELLA",
    "DOS",  "DAS", "DU",   "ZU",    "TER",   "TEN",    NULL};

/* Prefixes that are likely a particle even when written glued. */
static const char *const glued_prefixes[] = {
    "ABDUL", "ABDEL", "ABDUR", "ABD",    "ABU",    "ABOU", "BINT", "BIN",
    "IBN",   "AL",    "EL",    "VANDER", "VANDEN", "VAN",  "VON",  NULL};

static int in_set(const char *const *set, const char *w)
{
    for (size_t i = 0; set[i]; i++)
        if (set[i][0] == w[0] && strcmp(set[i], w) == 0)
            return 1;
    return 0;
}

static void set_stem_from_prefix(pw_name_token *t)
{
    for (size_t i = 0; glued_prefixes[i]; i++) {
        if (glued_prefixes[i][0] != t->text[0])
            continue;
        size_t lp = strlen(glued_prefixes[i]);
        if (strncmp(t->text, glued_prefixes[i], lp) == 0 &&
            strlen(t->text) >= lp + 3) {
            strcpy(t->stem, t->text + lp);
            return;
        }
    }
}

static void copy_cut(char *dst, const char *src, size_t n)
{
    if (n > PW_TOKEN_MAX - 1)
        n = PW_TOKEN_MAX - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static void append_cut(char *dst, const char *src)
{
    size_t ld = strlen(dst), ls = strlen(src);

    if (ld + ls > PW_TOKEN_MAX - 1)
        ls = PW_TOKEN_MAX - 1 - ld;
    memcpy(dst + ld, src, ls);
    dst[ld + ls] = '\0';
}

/* Splits the folded strings into tokens appended to out with role. */
static void split_tokens(const folded *f, pw_name *out, pw_name_role role)
{
    size_t ib = 0, ii = 0;

    for (;;) {
        while (ib < f->nb && f->base[ib] == ' ')
            ib++;
        while (ii < f->ni && f->icao[ii] == ' ')
            ii++;
        if (ib >= f->nb || ii >= f->ni)
            return;
        size_t eb = ib, ei = ii;
        while (eb < f->nb && f->base[eb] != ' ')
            eb++;
        while (ei < f->ni && f->icao[ei] != ' ')
            ei++;
        if (out->n == PW_NAME_MAX_TOKENS) {
            out->truncated++;
        } else {
            pw_name_token *t = &out->tok[out->n++];
            memset(t, 0, sizeof *t);
            copy_cut(t->text, f->base + ib, eb - ib);
            copy_cut(t->variant, f->icao + ii, ei - ii);
            if (strcmp(t->variant, t->text) == 0)
                t->variant[0] = '\0';
            t->role = (unsigned char)role;
        }
        ib = eb;
        ii = ei;
    }
}

static void remove_token(pw_name *nm, size_t i)
{
    memmove(&nm->tok[i], &nm->tok[i + 1], (nm->n - i - 1) * sizeof nm->tok[0]);
    nm->n--;
}

static void drop_titles(pw_name *nm, size_t from)
{
    for (size_t i = from; i < nm->n && nm->n - from > 1;) {
        if (in_set(titles, nm->tok[i].text))
            remove_token(nm, i);
        else
            i++;
    }
}

/* Glues a particle onto the token after it: AL SABAH -> ALSABAH with stem
 * SABAH; runs of particles (VAN DER BERG) glue together. */
static void glue_particles(pw_name *nm, size_t from)
{
    if (nm->n < from + 2)
        return;
    /* Right to left, so that a run glues into its last name. */
    for (size_t i = nm->n - 1; i-- > from;) {
        pw_name_token *t = &nm->tok[i], *next = &nm->tok[i + 1];
        if (!in_set(particles, t->text) || next->role != t->role)
            continue;
        char glued[PW_TOKEN_MAX], gvar[PW_TOKEN_MAX];
        strcpy(glued, t->text);
        append_cut(glued, next->text);
        strcpy(gvar, t->text);
        append_cut(gvar, next->variant[0] ? next->variant : next->text);
        if (!next->stem[0])
            strcpy(next->stem, next->text);
        strcpy(next->text, glued);
        strcpy(next->variant, next->variant[0] ? gvar : "");
        remove_token(nm, i);
    }
}

/* Pinyin from ICU comes one syllable a token; the usual Latin spelling of
 * a Chinese name writes the given name as one word (XI JINPING). */
static void glue_han(pw_name *nm, size_t from)
{
    while (nm->n - from > 2) {
        append_cut(nm->tok[from + 1].text, nm->tok[from + 2].text);
        remove_token(nm, from + 2);
    }
}

static void finish_tokens(pw_name *nm, size_t from)
{
    for (size_t i = from; i < nm->n; i++) {
        pw_name_token *t = &nm->tok[i];
        if (!t->stem[0])
            set_stem_from_prefix(t);
        pw_translit_fold(t->text, t->fold, sizeof t->fold);
        pw__phonetic_of_fold(t->fold, t->phon, sizeof t->phon);
    }
}

static pw_rc add_part(const char *s, size_t len, pw_name *out,
                      pw_name_role role)
{
    static _Thread_local folded f;
    int han = 0;
    size_t from = out->n;

    if (len > PW_NAME_MAX_BYTES)
        return PW_ERR_LIMIT;
    pw_rc rc = fold_name(&f, s, len, &han);
    if (rc != PW_OK)
        return rc;
    split_tokens(&f, out, role);
    drop_titles(out, from);
    if (han)
        glue_han(out, from);
    glue_particles(out, from);
    finish_tokens(out, from);
    return PW_OK;
}

/* "SMITH<<JOHN<PAUL": the surname ends at the first double filler. */
static pw_rc normalize_mrz_name(const char *s, size_t len, pw_name *out)
{
    const char *sep = NULL;

    for (size_t i = 0; i + 1 < len; i++)
        if (s[i] == '<' && s[i + 1] == '<') {
            sep = s + i;
            break;
        }
    if (!sep)
        return add_part(s, len, out, PW_ROLE_SURNAME);
    pw_rc rc = add_part(s, (size_t)(sep - s), out, PW_ROLE_SURNAME);
    if (rc != PW_OK)
        return rc;
    return add_part(sep + 2, len - (size_t)(sep - s) - 2, out, PW_ROLE_GIVEN);
}

pw_rc pw_name_normalize(const char *utf8, size_t len, pw_name *out)
{
    if (!utf8 || !out)
        return PW_ERR_INVALID;
    out->n = 0;
    out->truncated = 0;
    if (len > PW_NAME_MAX_BYTES)
        return PW_ERR_LIMIT;
    if (len >= 2 && memchr(utf8, '<', len)) {
        for (size_t i = 0; i + 1 < len; i++)
            if (utf8[i] == '<' && utf8[i + 1] == '<')
                return normalize_mrz_name(utf8, len, out);
    }
    return add_part(utf8, len, out, PW_ROLE_UNKNOWN);
}

pw_rc pw_name_normalize_parts(const char *surname, const char *given_names,
                              pw_name *out)
{
    if (!out)
        return PW_ERR_INVALID;
    out->n = 0;
    out->truncated = 0;
    if (surname) {
        pw_rc rc = add_part(surname, strlen(surname), out, PW_ROLE_SURNAME);
        if (rc != PW_OK)
            return rc;
    }
    if (given_names)
        return add_part(given_names, strlen(given_names), out, PW_ROLE_GIVEN);
    return PW_OK;
}

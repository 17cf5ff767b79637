/* Phonetic keys and token similarity: how alike two name tokens are,
 * tolerant of the vowel and consonant swaps that transliteration makes. */
#include <stdint.h>
#include <string.h>

#include "identity/identity_int.h"
#include "paxwatch/identity.h"

/* The class of the letter at t[i]; *used is how many letters it took.
 * 0 means a letter that sounds too different between spellings to keep
 * (vowels, H, W, Y after the first letter). */
static char letter_class(const char *t, size_t i, size_t *used)
{
    char c = t[i], n = t[i + 1];

    *used = 1;
    if (c == 'S' && n == 'C' && t[i + 2] == 'H') {
        *used = 3;
        return 'X';
    }
    if (n == 'H' && strchr("PKGCSZDT", c)) {
        *used = 2;
        return "FKKXXJTT"[strchr("PKGCSZDT", c) - "PKGCSZDT"];
    }
    if (c == 'D' && n == 'J') {
        *used = 2;
        return 'J';
    }
    if (c == 'C')
        return (n == 'E' || n == 'I' || n == 'Y') ? 'S' : 'K';
    switch (c) {
    case 'B':
    case 'P':
        return 'B';
    case 'D':
    case 'T':
        return 'T';
    case 'F':
    case 'V':
        return 'F';
    case 'G':
    case 'K':
    case 'Q':
        return 'K';
    case 'S':
    case 'Z':
        return 'S';
    case 'J':
    case 'L':
    case 'M':
    case 'N':
    case 'R':
    case 'X':
        return c;
    default:
        return 0;
    }
}

/* Spellings that transliteration systems and clerks write differently
 * for one sound, each mapped to one of them; longer ones first. Rules
 * are grouped by their first letter so a letter is matched quickly. */
typedef struct fold_rule {
    const char *from, *to;
} fold_rule;

static const fold_rule fold_c[] = {{"CK", "K"}, {NULL, NULL}};
static const fold_rule fold_d[] = {
    {"DZH", "J"}, {"DJ", "J"}, {"DH", "D"}, {NULL, NULL}};
static const fold_rule fold_e[] = {{"EE", "I"}, {NULL, NULL}};
static const fold_rule fold_g[] = {{"GH", "K"}, {"G", "K"}, {NULL, NULL}};
static const fold_rule fold_k[] = {{"KH", "K"}, {NULL, NULL}};
static const fold_rule fold_o[] = {{"OU", "U"}, {"OO", "U"}, {NULL, NULL}};
static const fold_rule fold_p[] = {{"PH", "F"}, {NULL, NULL}};
static const fold_rule fold_q[] = {{"Q", "K"}, {NULL, NULL}};
static const fold_rule fold_s[] = {{"SCH", "SH"}, {NULL, NULL}};
static const fold_rule fold_t[] = {
    {"TCH", "CH"}, {"TH", "T"}, {"TS", "Z"}, {"TZ", "Z"}, {NULL, NULL}};
static const fold_rule fold_w[] = {{"W", "V"}, {NULL, NULL}};
static const fold_rule fold_y[] = {{"Y", "I"}, {NULL, NULL}};
static const fold_rule fold_z[] = {{"ZH", "J"}, {NULL, NULL}};

static const fold_rule *fold_rules(char c)
{
    switch (c) {
    case 'C':
        return fold_c;
    case 'D':
        return fold_d;
    case 'E':
        return fold_e;
    case 'G':
        return fold_g;
    case 'K':
        return fold_k;
    case 'O':
        return fold_o;
    case 'P':
        return fold_p;
    case 'Q':
        return fold_q;
    case 'S':
        return fold_s;
    case 'T':
        return fold_t;
    case 'W':
        return fold_w;
    case 'Y':
        return fold_y;
    case 'Z':
        return fold_z;
    default:
        return NULL;
    }
}

static int plain_vowel(char c)
{
    return c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U';
}

/* The length of the spelling that starts at t, before folding: a leading
 * Y, or I before a vowel, is the consonant Y (IURII, YURI); a leading OU
 * before a vowel is W (OUALID, WALID). Returns 0 when none applies. */
static size_t fold_start(const char *t, char *out)
{
    if ((t[0] == 'Y' || t[0] == 'I') && plain_vowel(t[1])) {
        *out = 'Y';
        return 1;
    }
    if (t[0] == 'O' && t[1] == 'U' && plain_vowel(t[2])) {
        *out = 'V';
        return 2;
    }
    return 0;
}

static size_t fold_at(const char *t, const char **to)
{
    const fold_rule *r = fold_rules(t[0]);

    for (; r && r->from; r++) {
        size_t n = 1;
        while (r->from[n] && r->from[n] == t[n])
            n++;
        if (r->from[n] == '\0') {
            *to = r->to;
            return n;
        }
    }
    return 0;
}

size_t pw_translit_fold(const char *token, char *out, size_t cap)
{
    size_t k = 0, i = 0;
    char first;

    if (cap < 2) {
        if (cap)
            out[0] = '\0';
        return 0;
    }
    if ((i = fold_start(token, &first)) > 0)
        out[k++] = first;
    while (token[i] && k + 1 < cap) {
        const char *to;
        size_t n = fold_at(token + i, &to);
        char one[2] = {token[i], '\0'};
        if (n == 0) {
            to = one;
            n = 1;
        }
        /* Doubled letters are one sound (HAJJI, HAJI). */
        for (; *to && k + 1 < cap; to++)
            if (k == 0 || out[k - 1] != *to)
                out[k++] = *to;
        i += n;
    }
    out[k] = '\0';
    return k;
}

size_t pw_phonetic_key(const char *raw, char *out, size_t cap)
{
    char token[PW_TOKEN_MAX];

    if (cap < 2 || !raw[0]) {
        if (cap)
            out[0] = '\0';
        return 0;
    }
    pw_translit_fold(raw, token, sizeof token);
    return pw__phonetic_of_fold(token, out, cap);
}

size_t pw__phonetic_of_fold(const char *token, char *out, size_t cap)
{
    size_t k = 0, i = 0, used;
    char prev = 0;

    if (cap < 2 || !token[0]) {
        if (cap)
            out[0] = '\0';
        return 0;
    }
    if (plain_vowel(token[0])) {
        out[k++] = 'A';
        i = 1;
    } else if (letter_class(token, 0, &used) == 0) {
        out[k++] = token[0]; /* keep an initial H or Y */
        i = 1;
    }
    while (token[i] && k + 1 < cap) {
        char c = letter_class(token, i, &used);
        if (c && c != prev)
            out[k++] = c;
        prev = c;
        i += used;
    }
    out[k] = '\0';
    return k;
}

/* Bits lo..hi-1 of a word (hi at most 64). */
static uint64_t bit_range(size_t lo, size_t hi)
{
    if (hi <= lo)
        return 0;
    uint64_t below_hi = hi >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << hi) - 1;
    return below_hi & ~(((uint64_t)1 << lo) - 1);
}

/* Matches each letter of a with the first unmatched equal letter of b
 * within the window, as the Jaro measure does, with one bit per letter
 * (up to 64): at[c] holds the positions of c in b, so each letter of a
 * finds its match in a few instructions instead of a scan. Sets the
 * matched letters' bits in *ma and *mb; returns how many. */
static size_t jaro_matches(const char *a, size_t la, const char *b, size_t lb,
                           uint64_t *ma, uint64_t *mb)
{
    uint64_t at[256];
    size_t win = (la > lb ? la : lb) / 2;
    size_t m = 0;

    win = win ? win - 1 : 0;
    /* Only the entries read are set. */
    for (size_t i = 0; i < la; i++)
        at[(unsigned char)a[i]] = 0;
    for (size_t j = 0; j < lb; j++)
        at[(unsigned char)b[j]] = 0;
    for (size_t j = 0; j < lb; j++)
        at[(unsigned char)b[j]] |= (uint64_t)1 << j;
    *ma = *mb = 0;
    for (size_t i = 0; i < la; i++) {
        size_t lo = i > win ? i - win : 0;
        size_t hi = i + win + 1 < lb ? i + win + 1 : lb;
        uint64_t avail = at[(unsigned char)a[i]] & ~*mb & bit_range(lo, hi);
        if (!avail)
            continue;
        *mb |= avail & (~avail + 1);
        *ma |= (uint64_t)1 << i;
        m++;
    }
    return m;
}

double pw_jaro_winkler(const char *a, size_t la, const char *b, size_t lb)
{
    uint64_t ma, mb;

    if (la > 64)
        la = 64;
    if (lb > 64)
        lb = 64;
    if (la == 0 || lb == 0)
        return 0.0;
    size_t m = jaro_matches(a, la, b, lb, &ma, &mb);
    if (m == 0)
        return 0.0;

    /* The k-th matched letter of a against the k-th of b. */
    size_t t = 0;
    while (ma) {
        unsigned i = (unsigned)__builtin_ctzll(ma);
        unsigned j = (unsigned)__builtin_ctzll(mb);
        t += a[i] != b[j];
        ma &= ma - 1;
        mb &= mb - 1;
    }
    double md = (double)m;
    double jaro = (md / la + md / lb + (md - t / 2.0) / md) / 3.0;

    size_t p = 0;
    while (p < 4 && p < la && p < lb && a[p] == b[p])
        p++;
    return jaro + p * 0.1 * (1.0 - jaro);
}

/* Fields of a token view, by number. */
#define TX PW__TOK_TEXT
#define VA PW__TOK_VARIANT
#define ST PW__TOK_STEM
#define PH PW__TOK_PHON
#define FO PW__TOK_FOLD

static int eq(const char *a, size_t la, const char *b, size_t lb)
{
    return la == lb && memcmp(a, b, la) == 0;
}

static int field_eq(const pw__tok_view *a, int fa, const pw__tok_view *b,
                    int fb)
{
    return eq(a->s[fa], a->len[fa], b->s[fb], b->len[fb]);
}

/* The ICAO variant, or the text when there is none. */
static int alt(const pw__tok_view *t)
{
    return t->len[VA] ? VA : TX;
}

static int same_spelling(const pw__tok_view *a, const pw__tok_view *b)
{
    return (b->len[VA] && field_eq(a, TX, b, VA)) ||
           (a->len[VA] && field_eq(a, VA, b, TX)) ||
           ((a->len[VA] || b->len[VA]) && field_eq(a, alt(a), b, alt(b)));
}

static double jw_f(const pw__tok_view *a, int fa, const pw__tok_view *b, int fb)
{
    return pw_jaro_winkler(a->s[fa], a->len[fa], b->s[fb], b->len[fb]);
}

static double best_jw(const pw__tok_view *a, const pw__tok_view *b)
{
    double s = jw_f(a, TX, b, TX);
    if (a->len[VA] || b->len[VA]) {
        double v = jw_f(a, alt(a), b, alt(b));
        s = v > s ? v : s;
    }
    return s;
}

/* Whether a and b are at most one edit apart: a letter wrong, missing,
 * added, or two adjacent letters swapped (optimal string alignment
 * distance 0 or 1). One pass: past their common start, the rest must
 * agree once the edit is made. */
static int one_edit(const char *a, size_t la, const char *b, size_t lb)
{
    if (la < lb)
        return one_edit(b, lb, a, la);
    if (la - lb > 1 || la > PW_TOKEN_MAX)
        return 0;

    size_t i = 0;
    while (i < lb && a[i] == b[i])
        i++;
    if (i == lb)
        return 1; /* equal, or a has one letter more at the end */
    if (la > lb)  /* a's letter at i is the one added */
        return memcmp(a + i + 1, b + i, lb - i) == 0;
    if (memcmp(a + i + 1, b + i + 1, la - i - 1) == 0)
        return 1; /* one letter wrong */
    return i + 1 < la && a[i] == b[i + 1] && a[i + 1] == b[i] &&
           memcmp(a + i + 2, b + i + 2, la - i - 2) == 0;
}

static int within_f(const pw__tok_view *a, int fa, const pw__tok_view *b,
                    int fb)
{
    return one_edit(a->s[fa], a->len[fa], b->s[fb], b->len[fb]);
}

/* Compares the forms without glued particles (SABAH against ALSABAH). */
static double particle_sim(const pw__tok_view *a, const pw__tok_view *b)
{
    int fa = a->len[ST] ? ST : TX, fb = b->len[ST] ? ST : TX;

    if (!a->len[ST] && !b->len[ST])
        return 0.0;
    if (field_eq(a, fa, b, fb))
        return 0.9;
    if (a->len[fa] < 5 || b->len[fb] < 5 || !within_f(a, fa, b, fb))
        return 0.0;
    double s = jw_f(a, fa, b, fb);
    return s >= 0.9 ? s * 0.9 : 0.0;
}

/* Jaro-Winkler is generous to short words (ZHAO and ZHANG score 0.88):
 * a spelling counts as close only within one edit (a letter wrong,
 * missing, added, or two swapped) and in words of five letters or more;
 * sound-alike spellings are the phonetic key's and the fold's job. */
static int close_spelling(const pw__tok_view *a, const pw__tok_view *b)
{
    size_t la = a->len[TX], lb = b->len[TX];
    size_t longest = la > lb ? la : lb;
    size_t max = 1;

    /* One letter changes a short name into another (LIU, LIN). */
    if (longest <= 4 || la + max < lb || lb + max < la)
        return 0;
    if (within_f(a, TX, b, TX))
        return 1;
    return (a->len[VA] || b->len[VA]) && within_f(a, alt(a), b, alt(b));
}

static int has_vowel(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (plain_vowel(s[i]))
            return 1;
    return 0;
}

/* Equal phonetic keys, and lengths that agree: YONG and YONGGUO share a
 * key but not a name. A side without vowels is an abjad transliteration
 * (MHMD), whose length says nothing. A key of one or two letters is
 * shared by too many words to count alone. */
static int sound_alike(const pw__tok_view *a, const pw__tok_view *b,
                       double jw_ab)
{
    size_t la = a->len[TX], lb = b->len[TX];
    size_t lo = la < lb ? la : lb, hi = la < lb ? lb : la;

    if (a->len[PH] <= 2)
        return hi >= 4 && jw_ab >= 0.75 && within_f(a, TX, b, TX);
    if (!has_vowel(a->s[TX], la) || !has_vowel(b->s[TX], lb))
        return 1;
    return lo * 5 >= hi * 3;
}

/* Two spellings of one sound by different transliteration systems score
 * just below an ICAO variant. */
#define FOLD_SIM 0.95

/* Equal folds, or a written leading J where the other has Y (JURI,
 * YURI): J is the German and Slavic spelling of Y, as well as its own
 * sound; a J folded from ZH or DJ is not (ZHANG is not YANG). */
static int same_fold(const pw__tok_view *a, const pw__tok_view *b)
{
    const char *fa = a->s[FO], *fb = b->s[FO];

    if (!a->len[FO] || !b->len[FO])
        return 0;
    if (a->s[TX][0] == 'J' && fa[0] == 'J' && fb[0] == 'Y')
        return eq(fa + 1, a->len[FO] - 1u, fb + 1, b->len[FO] - 1u);
    return field_eq(a, FO, b, FO);
}

static double initial_sim(const pw__tok_view *a, const pw__tok_view *b,
                          const char **kind)
{
    *kind = a->s[TX][0] == b->s[TX][0] ? "initial" : "different";
    return a->s[TX][0] == b->s[TX][0] ? 0.75 : 0.0;
}

/* The slower measures, for pairs that may be alike. */
static double similar_spelling(const pw__tok_view *a, const pw__tok_view *b,
                               int phon_eq, int close, const char **kind)
{
    double s = (close || phon_eq) ? best_jw(a, b) : 0.0, best = 0.0;

    if (s >= 0.75 && close) {
        best = s;
        *kind = "fuzzy";
    }
    if (phon_eq && sound_alike(a, b, s)) {
        double p = 0.8 + 0.15 * s;
        if (p > best) {
            best = p;
            *kind = "phonetic";
        }
    }
    double q = particle_sim(a, b);
    if (q > best) {
        best = q;
        *kind = "particle";
    }
    return best;
}

double pw__token_similarity_view(const pw__tok_view *a, const pw__tok_view *b,
                                 const char **kind)
{
    const char *k_unused;

    if (!kind)
        kind = &k_unused;
    *kind = "different";
    if (!a->len[TX] || !b->len[TX])
        return 0.0;
    if (field_eq(a, TX, b, TX)) {
        *kind = "exact";
        return 1.0;
    }
    if (same_spelling(a, b)) {
        *kind = "variant";
        return 0.97;
    }
    if (a->len[TX] == 1 || b->len[TX] == 1)
        return initial_sim(a, b, kind);
    if (same_fold(a, b) || same_fold(b, a)) {
        *kind = "phonetic";
        return FOLD_SIM;
    }
    /* Neither close in spelling nor in sound nor by particle: the
     * common case, decided without the costlier measures. */
    int phon_eq = field_eq(a, PH, b, PH);
    int close = close_spelling(a, b);
    if (!phon_eq && !close && !a->len[ST] && !b->len[ST])
        return 0.0;
    return similar_spelling(a, b, phon_eq, close, kind);
}

static unsigned char cut_len(const char *s)
{
    size_t n = strnlen(s, PW_TOKEN_MAX - 1);
    return (unsigned char)n;
}

void pw__tok_view_of(const pw_name_token *t, pw__tok_view *v)
{
    const char *f[PW__TOK_FIELDS] = {t->text, t->variant, t->stem, t->phon,
                                     t->fold};

    for (int i = 0; i < PW__TOK_FIELDS; i++) {
        v->s[i] = f[i];
        v->len[i] = cut_len(f[i]);
    }
}

double pw_token_similarity(const pw_name_token *a, const pw_name_token *b,
                           const char **kind)
{
    pw__tok_view va, vb;

    pw__tok_view_of(a, &va);
    pw__tok_view_of(b, &vb);
    return pw__token_similarity_view(&va, &vb, kind);
}

/* Phonetic keys and token similarity: how alike two name tokens are,
 * tolerant of the vowel and consonant swaps that transliteration makes. */
#include <stdint.h>
#include <string.h>

#include "paxwatch/identity.h"

static int is_vowel(char c)
{
    return c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U' || c == 'Y';
}

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

size_t pw_phonetic_key(const char *token, char *out, size_t cap)
{
    size_t k = 0, i = 0, used;
    char prev = 0;

    if (cap < 2 || !token[0]) {
        if (cap)
            out[0] = '\0';
        return 0;
    }
    if (is_vowel(token[0]) || token[0] == 'W') {
        out[k++] = 'A';
        i = 1;
    } else if (letter_class(token, 0, &used) == 0) {
        out[k++] = token[0]; /* keep an initial H */
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

static size_t jaro_matches(const char *a, size_t la, const char *b, size_t lb,
                           unsigned char *ma, unsigned char *mb)
{
    size_t win = (la > lb ? la : lb) / 2;
    size_t m = 0;

    win = win ? win - 1 : 0;
    for (size_t i = 0; i < la; i++) {
        size_t lo = i > win ? i - win : 0;
        size_t hi = i + win + 1 < lb ? i + win + 1 : lb;
        for (size_t j = lo; j < hi; j++) {
            if (mb[j] || a[i] != b[j])
                continue;
            ma[i] = mb[j] = 1;
            m++;
            break;
        }
    }
    return m;
}

double pw_jaro_winkler(const char *a, size_t la, const char *b, size_t lb)
{
    unsigned char ma[64] = {0}, mb[64] = {0};

    if (la > 64)
        la = 64;
    if (lb > 64)
        lb = 64;
    if (la == 0 || lb == 0)
        return 0.0;
    size_t m = jaro_matches(a, la, b, lb, ma, mb);
    if (m == 0)
        return 0.0;

    size_t t = 0, j = 0;
    for (size_t i = 0; i < la; i++) {
        if (!ma[i])
            continue;
        while (!mb[j])
            j++;
        if (a[i] != b[j])
            t++;
        j++;
    }
    double md = (double)m;
    double jaro = (md / la + md / lb + (md - t / 2.0) / md) / 3.0;

    size_t p = 0;
    while (p < 4 && p < la && p < lb && a[p] == b[p])
        p++;
    return jaro + p * 0.1 * (1.0 - jaro);
}

static double jw(const char *a, const char *b)
{
    return pw_jaro_winkler(a, strlen(a), b, strlen(b));
}

static const char *alt(const pw_name_token *t)
{
    return t->variant[0] ? t->variant : t->text;
}

static int same_spelling(const pw_name_token *a, const pw_name_token *b)
{
    return strcmp(a->text, b->variant) == 0 || strcmp(alt(a), b->text) == 0 ||
           strcmp(alt(a), alt(b)) == 0;
}

static double best_jw(const pw_name_token *a, const pw_name_token *b)
{
    double s = jw(a->text, b->text);
    if (a->variant[0] || b->variant[0]) {
        double v = jw(alt(a), alt(b));
        s = v > s ? v : s;
    }
    return s;
}

/* Edit distance with adjacent swaps (optimal string alignment), stopping
 * early once it exceeds max. */
static size_t edit_distance(const char *a, const char *b, size_t max)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t d[PW_TOKEN_MAX + 1][PW_TOKEN_MAX + 1];

    if ((la > lb ? la - lb : lb - la) > max)
        return max + 1;
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t row_min = SIZE_MAX;
        for (size_t j = 1; j <= lb; j++) {
            size_t c = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < c)
                c = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < c)
                c = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
                a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < c)
                c = d[i - 2][j - 2] + 1;
            d[i][j] = c;
            row_min = c < row_min ? c : row_min;
        }
        if (row_min > max)
            return max + 1;
    }
    return d[la][lb];
}

/* How many letters the two words do not have in common, counted with
 * repeats. Each edit changes this by at most two. */
static size_t letter_diff(const char *a, const char *b)
{
    int count[26] = {0};
    size_t diff = 0;

    for (; *a; a++)
        count[(*a - 'A') % 26]++;
    for (; *b; b++)
        count[(*b - 'A') % 26]--;
    for (int i = 0; i < 26; i++)
        diff += (size_t)(count[i] < 0 ? -count[i] : count[i]);
    return diff;
}

static int within(const char *a, const char *b, size_t max)
{
    return (letter_diff(a, b) + 1) / 2 <= max &&
           edit_distance(a, b, max) <= max;
}

/* Compares the forms without glued particles (SABAH against ALSABAH). */
static double particle_sim(const pw_name_token *a, const pw_name_token *b)
{
    const char *sa = a->stem[0] ? a->stem : a->text;
    const char *sb = b->stem[0] ? b->stem : b->text;

    if (!a->stem[0] && !b->stem[0])
        return 0.0;
    if (strcmp(sa, sb) == 0)
        return 0.9;
    if (strlen(sa) < 5 || strlen(sb) < 5 || !within(sa, sb, 1))
        return 0.0;
    double s = jw(sa, sb);
    return s >= 0.9 ? s * 0.9 : 0.0;
}

/* Jaro-Winkler is generous to short words (ZHAO and ZHANG score 0.88):
 * a spelling counts as close only within one edit (a letter wrong,
 * missing, added, or two swapped) and in words of five letters or more;
 * sound-alike spellings are the phonetic key's job. */
static int close_spelling(const pw_name_token *a, const pw_name_token *b)
{
    size_t la = strlen(a->text), lb = strlen(b->text);
    size_t longest = la > lb ? la : lb;
    size_t max = 1;

    /* One letter changes a short name into another (LIU, LIN). */
    if (longest <= 4 || la + max < lb || lb + max < la)
        return 0;
    if (within(a->text, b->text, max))
        return 1;
    return (a->variant[0] || b->variant[0]) && within(alt(a), alt(b), max);
}

static int has_vowel(const char *s)
{
    return strpbrk(s, "AEIOU") != NULL;
}

/* Equal phonetic keys, and lengths that agree: YONG and YONGGUO share a
 * key but not a name. A side without vowels is an abjad transliteration
 * (MHMD), whose length says nothing. A key of one or two letters is
 * shared by too many words to count alone. */
static int sound_alike(const pw_name_token *a, const pw_name_token *b,
                       double jw_ab)
{
    size_t la = strlen(a->text), lb = strlen(b->text);
    size_t lo = la < lb ? la : lb, hi = la < lb ? lb : la;

    if (strlen(a->phon) <= 2)
        return hi >= 4 && jw_ab >= 0.75 && within(a->text, b->text, 1);
    if (!has_vowel(a->text) || !has_vowel(b->text))
        return 1;
    return lo * 5 >= hi * 3;
}

static double initial_sim(const pw_name_token *a, const pw_name_token *b,
                          const char **kind)
{
    *kind = a->text[0] == b->text[0] ? "initial" : "different";
    return a->text[0] == b->text[0] ? 0.75 : 0.0;
}

double pw_token_similarity(const pw_name_token *a, const pw_name_token *b,
                           const char **kind)
{
    const char *k_unused;

    if (!kind)
        kind = &k_unused;
    *kind = "different";
    if (!a->text[0] || !b->text[0])
        return 0.0;
    if (strcmp(a->text, b->text) == 0) {
        *kind = "exact";
        return 1.0;
    }
    if (same_spelling(a, b)) {
        *kind = "variant";
        return 0.97;
    }
    if (!a->text[1] || !b->text[1])
        return initial_sim(a, b, kind);

    /* Neither close in spelling nor in sound nor by particle: the
     * common case, decided without the costlier measures. */
    int phon_eq = strcmp(a->phon, b->phon) == 0;
    int close = close_spelling(a, b);
    if (!phon_eq && !close && !a->stem[0] && !b->stem[0])
        return 0.0;

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

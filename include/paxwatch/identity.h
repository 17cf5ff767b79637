/* paxwatch identity: names brought to one comparable form (tokens and
 * phonetic keys), ICAO 9303 machine-readable zones and document numbers. */
#ifndef PAXWATCH_IDENTITY_H
#define PAXWATCH_IDENTITY_H

#include <stddef.h>

#include "paxwatch/error.h"

/* Hard limits: a name longer than PW_NAME_MAX_BYTES is refused; tokens
 * past PW_NAME_MAX_TOKENS are dropped (and counted in truncated); a
 * token is cut at PW_TOKEN_MAX - 1 characters. */
#define PW_NAME_MAX_BYTES 1024
#define PW_NAME_MAX_TOKENS 16
#define PW_TOKEN_MAX 40

/* Which part of a name a token came from, when the source says. */
typedef enum pw_name_role {
    PW_ROLE_UNKNOWN = 0,
    PW_ROLE_SURNAME,
    PW_ROLE_GIVEN
} pw_name_role;

/* One normalised token: upper-case ASCII letters A-Z only. */
typedef struct pw_name_token {
    char text[PW_TOKEN_MAX];    /* diacritics stripped: MULLER */
    char variant[PW_TOKEN_MAX]; /* ICAO 9303 fold (MUELLER), or "" */
    char stem[PW_TOKEN_MAX];    /* without a glued particle (SABAH for
                                   ALSABAH), or "" */
    char phon[PW_TOKEN_MAX];    /* phonetic key of text */
    char fold[PW_TOKEN_MAX];    /* transliteration fold of text */
    unsigned char role;         /* pw_name_role */
} pw_name_token;

/* A normalised name. Fixed size so that it needs no allocation. */
typedef struct pw_name {
    pw_name_token tok[PW_NAME_MAX_TOKENS];
    size_t n;
    size_t truncated; /* tokens dropped past the limit */
} pw_name;

/* Normalises a full name (UTF-8, len bytes, need not be NUL-terminated)
 * into out: NFKC and case folding, any script transliterated to Latin
 * then ASCII (ICU; pure ASCII input skips ICU), ICAO 9303 folds kept as
 * variants, titles and honorifics (MR, DR, SHEIKH, HAJI ...) removed,
 * punctuation split, particles (AL, BIN, ABDUL, VAN, DER ...) glued to the
 * token that follows so that AL SABAH, AL-SABAH and ALSABAH agree. An MRZ
 * name ("SMITH<<JOHN<PAUL") gives roles: surname before "<<". All roles
 * are PW_ROLE_UNKNOWN otherwise. Thread-safe.
 * Returns PW_OK (out->n may be 0 for a name of punctuation only),
 * PW_ERR_LIMIT when len > PW_NAME_MAX_BYTES, PW_ERR_SYNTAX for invalid
 * UTF-8, PW_ERR_NOMEM, PW_ERR_INVALID for NULL arguments. */
PW_MUST_CHECK pw_rc pw_name_normalize(const char *utf8, size_t len,
                                      pw_name *out);

/* As pw_name_normalize, from separate surname and given names (either may
 * be NULL or empty; NUL-terminated); tokens carry their role. */
PW_MUST_CHECK pw_rc pw_name_normalize_parts(const char *surname,
                                            const char *given_names,
                                            pw_name *out);

/* Writes the transliteration fold of token (A-Z letters) to out (cap
 * bytes, at least 2): the spellings that transliteration systems use for
 * one sound written one way (W/V, Q/K, G/K, Y/I inside a word, a leading
 * Y, J or I before a vowel as Y, PH/F, KH/K, DJ/DZH/ZH/J, TS/TZ/Z, OU/OO/U,
 * EE/I, TH/T, DH/D, GH/G, SCH/SH), doubled letters once, vowels kept:
 * IVAN and IWAN, LI and LEE, KIM and GIM, YURI and IURII fold alike.
 * Returns the fold's length. */
size_t pw_translit_fold(const char *token, char *out, size_t cap);

/* Writes the phonetic key of token (A-Z letters) to out (cap bytes, at
 * least 2): a consonant skeleton of its transliteration fold in which
 * letters that sound alike share a class, vowels after the first letter
 * are dropped and repeats merged, so MOHAMMED, MUHAMMAD and MOHAMAD share
 * one key. Returns the key's length (0 for an empty token). */
size_t pw_phonetic_key(const char *token, char *out, size_t cap);

/* How alike two normalised tokens are, 0..1, and how they were found
 * alike. kind is set to a static word: "exact", "variant", "phonetic",
 * "fuzzy", "initial", "particle" or "different". Thread-safe. */
double pw_token_similarity(const pw_name_token *a, const pw_name_token *b,
                           const char **kind);

/* Jaro-Winkler similarity of two ASCII strings, 0..1. */
double pw_jaro_winkler(const char *a, size_t la, const char *b, size_t lb);

/* Releases the cached ICU transliterators. Call once at exit, when no
 * other thread is normalising; normalising afterwards opens them again. */
void pw_identity_cleanup(void);

/* ---- ICAO Doc 9303 machine-readable zones ---- */

/* The check digit of n characters of s (0-9, A-Z, '<'), weights 7 3 1;
 * returns 0..9, or -1 when a character is outside that alphabet. */
int pw_mrz_check_digit(const char *s, size_t n);

typedef enum pw_mrz_format {
    PW_MRZ_TD1 = 1, /* cards: 3 lines of 30 */
    PW_MRZ_TD2,     /* 2 lines of 36 */
    PW_MRZ_TD3      /* passports: 2 lines of 44 */
} pw_mrz_format;

/* A parsed MRZ. Text fields are NUL-terminated with fillers removed
 * ('<' inside names becomes a space). Dates are YYMMDD as printed. */
typedef struct pw_mrz {
    pw_mrz_format format;
    char doc_code[3];
    char issuer[4];
    char surname[40];
    char given_names[40];
    char number[10];
    char nationality[4];
    char birth_date[7];
    char sex; /* 'M', 'F' or 'X' (unspecified) */
    char expiry[7];
    char optional1[16];
    char optional2[16];
    int number_ok, birth_ok, expiry_ok, optional_ok, composite_ok;
    int checks_ok; /* every check digit above holds */
} pw_mrz;

/* Parses an MRZ of 2 or 3 lines (separated by LF or CRLF; or given as one
 * run of 60, 72, 88 or 90 characters). Lower-case letters are refused.
 * Returns PW_OK with out filled, even when check digits fail (see
 * checks_ok and the diags; one PW_WARNING per failed digit, offset the
 * byte offset of the digit); PW_ERR_SYNTAX with a PW_ERROR diag naming the
 * line and column when the layout or a character is wrong; PW_ERR_LIMIT
 * for more than 256 bytes. diags may be NULL. */
PW_MUST_CHECK pw_rc pw_mrz_parse(const char *text, size_t len, pw_mrz *out,
                                 pw_diags *diags);

/* Normalises a document number for exact comparison: letters upper-cased,
 * spaces, '<' fillers, dashes, dots and slashes removed. Writes at most
 * cap-1 characters and a NUL; returns the length, or 0 when nothing is
 * left or it does not fit. */
size_t pw_document_number_normalize(const char *in, char *out, size_t cap);

#endif

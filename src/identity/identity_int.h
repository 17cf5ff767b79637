/* Internal interfaces shared by the files of src/identity. */
#ifndef PAXWATCH_IDENTITY_INT_H
#define PAXWATCH_IDENTITY_INT_H

#include <stddef.h>
#include <stdint.h>

#include "paxwatch/error.h"
#include "paxwatch/identity.h"

/* NFKC with case folding, then any script to Latin (ICU). Writes UTF-8 to
 * out (cap bytes) and its length to *out_len. *han is set when the input
 * held Han characters, whose syllables the caller may glue. */
PW_MUST_CHECK pw_rc pw__translit_latin(const char *in, size_t len, char *out,
                                       size_t cap, size_t *out_len, int *han);

/* Latin to ASCII for one code point that the fold table does not know;
 * writes at most cap-1 letters and a NUL, returns how many (0: none). */
size_t pw__translit_ascii_cp(uint32_t cp, char *out, size_t cap);

/* A token seen in place: its five strings (text, variant, stem, phonetic
 * key, fold; each NUL-terminated) and their lengths, so that tokens kept
 * packed in an index are compared without copying. */
enum {
    PW__TOK_TEXT,
    PW__TOK_VARIANT,
    PW__TOK_STEM,
    PW__TOK_PHON,
    PW__TOK_FOLD,
    PW__TOK_FIELDS
};

typedef struct pw__tok_view {
    const char *s[PW__TOK_FIELDS];
    unsigned char len[PW__TOK_FIELDS];
} pw__tok_view;

void pw__tok_view_of(const pw_name_token *t, pw__tok_view *v);

/* pw_phonetic_key of a token whose transliteration fold is fold (the
 * key is taken of the fold), without folding again. */
size_t pw__phonetic_of_fold(const char *fold, char *out, size_t cap);

/* pw_token_similarity over views. */
double pw__token_similarity_view(const pw__tok_view *a, const pw__tok_view *b,
                                 const char **kind);

#endif

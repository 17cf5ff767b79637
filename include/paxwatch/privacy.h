/* paxwatch sensitive-data filter: which SSR codes and which words in
 * remarks reveal race or ethnic origin, religion or belief, political
 * opinion, trade-union membership, health or sex life, so that readers
 * drop them before anything is kept (EU PNR Directive art. 13(4)). */
#ifndef PAXWATCH_PRIVACY_H
#define PAXWATCH_PRIVACY_H

#include <stddef.h>

#include "paxwatch/error.h"

/* The protected category a code or pattern reveals. */
typedef enum pw_sensitive_class {
    PW_SENS_NONE = 0,
    PW_SENS_ETHNIC,    /* race or ethnic origin */
    PW_SENS_RELIGION,  /* religion or philosophical belief */
    PW_SENS_POLITICAL, /* political opinion */
    PW_SENS_UNION,     /* trade-union membership */
    PW_SENS_HEALTH,    /* health, disability */
    PW_SENS_SEX_LIFE   /* sex life or sexual orientation */
} pw_sensitive_class;

/* "ethnic", "religion", "political", "union", "health", "sex_life",
 * "none". */
const char *pw_sensitive_class_name(pw_sensitive_class c);

/* A loaded list of codes and patterns. Immutable once built, so one
 * list may be shared by threads. */
typedef struct pw_sensitive pw_sensitive;

/* Hard limits on a configuration. */
#define PW_SENSITIVE_MAX_BYTES ((size_t)1 << 20)
#define PW_SENSITIVE_MAX_ENTRIES 4096
#define PW_SENSITIVE_MAX_WORD 63

/* Builds a list from configuration text (format in docs/privacy.md:
 * lines `ssr CODE CATEGORY` and `text PATTERN CATEGORY`, `#` comments).
 * A bad line is reported in diags (may be NULL) with its line number
 * and makes the call fail with PW_ERR_SYNTAX, *out NULL: a half-read
 * list would let sensitive data through. PW_ERR_LIMIT past the limits
 * above, PW_ERR_NOMEM on allocation failure. The caller frees *out with
 * pw_sensitive_free. */
PW_MUST_CHECK pw_rc pw_sensitive_parse(const char *text, size_t len,
                                       pw_sensitive **out, pw_diags *diags);

/* As pw_sensitive_parse, from the file at path; PW_ERR_IO when it
 * cannot be read. */
PW_MUST_CHECK pw_rc pw_sensitive_load(const char *path, pw_sensitive **out,
                                      pw_diags *diags);

/* The list readers use: sensitive.conf in the directory named by the
 * environment variable PAXWATCH_DATA, else in the build's data
 * directory (PW_DATA_DIR), else the built-in default, which holds the
 * same entries as data/sensitive.conf. Loaded once per process; a file
 * that is present but bad is ignored in favour of the built-in list,
 * never in favour of no list. Never NULL, except when even the
 * built-in list could not be allocated. Not to be freed. */
const pw_sensitive *pw_sensitive_default(void);

/* The built-in list as text (static storage). */
const char *pw_sensitive_builtin(void);

void pw_sensitive_free(pw_sensitive *s);

/* Number of SSR codes and text patterns in s. */
size_t pw_sensitive_count(const pw_sensitive *s, size_t *n_patterns);

/* The category of an SSR or meal code (4 letters, any case); NONE when
 * it is not listed or s is NULL. */
pw_sensitive_class pw_sensitive_code(const pw_sensitive *s, const char *code);

/* The category of the first pattern found in len bytes of free text
 * (an OSI, a remark, an SSR's text); NONE when none matches. A pattern
 * matches a whole word, or the start of a word when it ends in `*`,
 * ignoring ASCII case; listed SSR codes also match as whole words, so
 * "REQ KSML" is caught. */
pw_sensitive_class pw_sensitive_text(const pw_sensitive *s, const char *text,
                                     size_t len);

/* Redaction of raw input before it is archived (src/privacy/redact.c).
 * Copies len bytes of data (PNRGOV EDIFACT or PNRGOV XML; any other
 * input comes back unchanged) into a new buffer *out (malloc'd, len + 1
 * bytes, NUL-terminated; the caller frees it) in which every value the
 * readers would drop with list s (NULL: pw_sensitive_default()) is
 * overwritten by '*', byte for byte, so that offsets and line numbers
 * stay true: the values of a whole SSR segment or element whose code
 * is listed or whose free text matches, and of an IFT remark, OSI or
 * Remark whose text matches. Separators, markup and line ends are
 * kept. *n_redacted (may be NULL) receives how many segments or
 * elements were redacted. PW_ERR_INVALID for bad arguments,
 * PW_ERR_NOMEM on allocation failure (then *out is NULL). */
PW_MUST_CHECK pw_rc pw_sensitive_redact(const pw_sensitive *s, const char *data,
                                        size_t len, char **out,
                                        size_t *n_redacted);

/* As pw_sensitive_redact, in place in the len bytes at buf. Returns the
 * number of segments or elements redacted, or (size_t)-1 when out of
 * memory (buf is then unchanged). */
size_t pw_sensitive_redact_in_place(const pw_sensitive *s, char *buf,
                                    size_t len);

#endif

/* paxwatch result codes and diagnostics: how every fallible call reports
 * what went wrong and where. */
#ifndef PAXWATCH_ERROR_H
#define PAXWATCH_ERROR_H

#include <stddef.h>
#include <stdint.h>

#define PW_MUST_CHECK __attribute__((warn_unused_result))

/* The result of every fallible library call. */
typedef enum pw_rc {
    PW_OK = 0,
    PW_ERR_NOMEM,       /* an allocation failed */
    PW_ERR_IO,          /* reading or writing a file failed */
    PW_ERR_SYNTAX,      /* the input cannot be understood */
    PW_ERR_LIMIT,       /* the input exceeds a hard size limit */
    PW_ERR_UNSUPPORTED, /* understood, but not a kind paxwatch handles */
    PW_ERR_STORE,       /* the store refused or failed */
    PW_ERR_NOTFOUND,    /* the thing asked for does not exist */
    PW_ERR_INVALID,     /* a caller passed a bad argument */
    PW_ERR_EXISTS       /* the thing to create exists already */
} pw_rc;

/* A short English phrase for rc; never NULL, static storage. */
const char *pw_rc_str(pw_rc rc);

typedef enum pw_severity {
    PW_WARNING = 1, /* read anyway; a deviation from the standard */
    PW_ERROR = 2    /* this part could not be read */
} pw_severity;

/* One finding about an input: where (segment number counted from 1 in
 * the interchange, 0 when not about a segment; byte offset from the
 * start of the input; line from 1 when the input has line breaks, else
 * 0) and what. The message says what, not where. */
typedef struct pw_diag {
    pw_severity severity;
    uint32_t segment;
    uint32_t line;
    size_t offset;
    char *message; /* UTF-8, owned by the list */
} pw_diag;

/* A growable list of findings. Zero-initialise to use. At most
 * PW_DIAG_MAX entries are kept; later ones are counted in n_dropped so a
 * hostile input cannot grow the list without bound. */
#define PW_DIAG_MAX 1000
typedef struct pw_diags {
    pw_diag *items;
    size_t n, cap;
    size_t n_dropped;
    size_t n_errors; /* entries (kept or dropped) with PW_ERROR */
} pw_diags;

/* Appends a finding formatted printf-style. Fails only on allocation
 * failure, in which case the list is unchanged. */
PW_MUST_CHECK pw_rc pw_diags_add(pw_diags *d, pw_severity sev,
                                 uint32_t segment, size_t offset,
                                 const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Appends a copy of one finding (all its fields) to d. Fails only on
 * allocation failure. */
PW_MUST_CHECK pw_rc pw_diags_copy(pw_diags *d, const pw_diag *g);

/* Frees the entries; the list may be reused afterwards. NULL is fine. */
void pw_diags_clear(pw_diags *d);

#endif

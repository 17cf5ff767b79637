/* paxwatch EDIFACT reader: UN/EDIFACT (ISO 9735) interchanges split into
 * segments, elements and components, with the envelope decoded and every
 * deviation from the standard recorded where it happened. */
#ifndef PAXWATCH_EDIFACT_H
#define PAXWATCH_EDIFACT_H

#include <stddef.h>
#include <stdint.h>

#include "paxwatch/arena.h"
#include "paxwatch/error.h"

/* The service characters in force for one interchange: from its UNA, or
 * the defaults of its syntax identifier when there is none. */
typedef struct pw_edi_syntax {
    char component;  /* default ':' */
    char element;    /* default '+' */
    char decimal;    /* default '.' */
    char release;    /* default '?'; 0 when the UNA names none */
    char repetition; /* '*' in syntax version 4; 0 when none */
    char terminator; /* default '\'' */
    int has_una;     /* 1 when the interchange began with a UNA */
    char charset[5]; /* UNB S001 0001, e.g. "UNOA"; "" when absent */
    int version;     /* UNB S001 0002, 1 to 4; 0 when absent */
} pw_edi_syntax;

/* One non-empty data value: component `component` of repetition
 * `repetition` of element `element` of a segment. Elements count from 1
 * after the tag, components from 1, repetitions from 0. Empty values are
 * not stored: absent and empty read the same. */
typedef struct pw_edi_value {
    const char *text; /* UTF-8, NUL-terminated, release characters gone */
    uint32_t len;     /* bytes of text */
    uint16_t element, component, repetition;
} pw_edi_value;

typedef struct pw_edi_segment {
    char tag[4];                /* e.g. "NAD", NUL-terminated */
    uint32_t number;            /* 1-based position; UNA not counted */
    size_t offset;              /* byte offset of the tag in the input */
    uint16_t n_elements;        /* elements after the tag, empty or not */
    uint32_t n_values;          /* entries in values */
    const pw_edi_value *values; /* in element/repetition/component order */
} pw_edi_segment;

/* A functional group, UNG ... UNE. */
typedef struct pw_edi_group {
    const char *id;         /* UNG 0038, e.g. "PAXLST" */
    const char *sender;     /* UNG S006 0040 */
    const char *recipient;  /* UNG S007 0044 */
    const char *reference;  /* UNG 0048 */
    uint32_t first_segment; /* index of the UNG in segments */
} pw_edi_group;

/* A message, UNH ... UNT. */
typedef struct pw_edi_message {
    const char *reference;   /* UNH 0062 */
    const char *type;        /* S009 0065, e.g. "PAXLST" */
    const char *version;     /* S009 0052, e.g. "D" or "11" */
    const char *release;     /* S009 0054, e.g. "05B" or "1" */
    const char *agency;      /* S009 0051, e.g. "UN" or "IA" */
    const char *association; /* S009 0057, e.g. "IATA"; may be NULL */
    const char *common_access_reference; /* UNH 0068; may be NULL */
    unsigned part_number;                /* S010 0070; 0 when absent */
    char part_flag;         /* S010 0073: 'C' more follow, 'F' final, 0 */
    int group;              /* index into groups, -1 outside a group */
    uint32_t first_segment; /* index of the UNH in segments */
    uint32_t n_segments;    /* UNH through UNT, or to the last segment
                               read when the UNT is missing */
    int complete;           /* 1 when a UNT closed the message */
} pw_edi_message;

/* Hard limits on what one input may make the reader hold. Zero fields
 * take the defaults given. */
typedef struct pw_edi_limits {
    size_t max_input;       /* bytes; default 64 MiB */
    size_t max_segments;    /* default 4,000,000 */
    size_t max_segment_len; /* bytes of one segment; default 64 KiB */
    size_t max_elements;    /* per segment; default 99 */
    size_t max_components;  /* per element; default 99 */
    size_t max_repetitions; /* per element; default 99 */
} pw_edi_limits;

/* A parsed interchange. Everything it points to lives in its arena and
 * is freed by pw_edi_free. */
typedef struct pw_edi_interchange {
    pw_edi_syntax syntax;
    const char *sender, *sender_qualifier;       /* UNB S002 */
    const char *recipient, *recipient_qualifier; /* UNB S003 */
    const char *date, *time;                     /* UNB S004 as sent */
    const char *control_reference;               /* UNB 0020 */
    const char *application_reference;           /* UNB 0026 */
    int test;                                    /* UNB 0035 = 1 */

    pw_edi_segment *segments;
    size_t n_segments;
    pw_edi_message *messages;
    size_t n_messages;
    pw_edi_group *groups;
    size_t n_groups;

    size_t length;  /* bytes of input */
    pw_diags diags; /* warnings and errors, with segment and offset */
    pw_arena arena;
} pw_edi_interchange;

/* Reads len bytes of data as one EDIFACT interchange.
 *
 * Lenient by design: CR/LF, spaces and tabs between segments, a UTF-8
 * byte-order mark, wrong UNT/UNE/UNZ counts or references, bytes after
 * UNZ, a missing UNB or UNZ, and bytes outside the declared character
 * set are each recorded as a warning with segment number and offset,
 * and reading goes on. Text is converted to UTF-8 from the declared
 * character set (UNOA to UNOY); bytes that do not fit it are kept
 * (taken as ISO 8859-1 unless they form valid UTF-8) and reported.
 *
 * limits may be NULL for the defaults. On PW_OK *out holds the
 * interchange, which may still carry errors for individual messages
 * (e.g. a message without UNH). On PW_ERR_SYNTAX or PW_ERR_LIMIT *out
 * also holds an interchange whose diags say where and why it could not
 * be read; the caller frees it either way. On PW_ERR_NOMEM or
 * PW_ERR_INVALID *out is NULL. The input need not be NUL-terminated and
 * is not referenced after the call returns. */
/* Where a second interchange begins in data (the UNA or UNB that follows
 * the first UNZ segment, line breaks between allowed), or len when the
 * input holds one (or is not EDIFACT). Batch files of several
 * interchanges are read one at a time: data[0, n), then the rest. A
 * light scan, not a parse: bytes after UNZ that are no interchange stay
 * with the first, whose reader reports them. */
size_t pw_edi_next_interchange(const char *data, size_t len);

/* n less the spaces and line breaks at the end of data[0, n): an
 * interchange of a batch input without the gap before the next one. */
size_t pw_edi_trim_gap(const char *data, size_t n);

PW_MUST_CHECK pw_rc pw_edi_parse(const char *data, size_t len,
                                 const pw_edi_limits *limits,
                                 pw_edi_interchange **out);

/* Frees an interchange and all it holds; NULL is fine. */
void pw_edi_free(pw_edi_interchange *ix);

/* Value of component c (from 1) of the first repetition of element e
 * (from 1) of s; NULL when absent or empty. */
const char *pw_edi_get(const pw_edi_segment *s, unsigned e, unsigned c);

/* As pw_edi_get for repetition r (from 0) of element e. */
const char *pw_edi_get_rep(const pw_edi_segment *s, unsigned e, unsigned r,
                           unsigned c);

/* Number of repetitions of element e present in s (0 when absent). */
unsigned pw_edi_repetitions(const pw_edi_segment *s, unsigned e);

/* 1 when a value of ix may hold a CR or LF, 0 when none does. Line
 * breaks between and inside segments are never kept; only a released
 * one is, so a reader that removes breaks from values can skip the
 * look when this is 0. NULL gives 1. */
int pw_edi_values_have_breaks(const pw_edi_interchange *ix);

/* Where the value texts of segments first .. first + n - 1 of ix lie:
 * in one run of bytes [*lo, *hi), each NUL-terminated, so that a copy
 * of the run is a copy of them all (a reader may map a message with
 * one copy instead of one per value). Returns 1 and sets the run (both
 * NULL when the segments hold no values), or 0 when the texts are not
 * in one run (inputs over 2 MiB may split them) or the range is not
 * in ix. */
int pw_edi_text_span(const pw_edi_interchange *ix, size_t first, size_t n,
                     const char **lo, const char **hi);

/* 1 when s has tag (three upper-case letters), else 0. */
int pw_edi_is(const pw_edi_segment *s, const char *tag);

/* Writes s as EDIFACT text with the default service characters
 * (: + . ? * ') and release characters where needed, followed by the
 * terminator, into buf of size cap. Returns the length that the whole
 * segment needs (excluding a NUL, which is added when it fits), so a
 * result >= cap means buf was too small. */
size_t pw_edi_write_segment(const pw_edi_segment *s, char *buf, size_t cap);

/* A syntax and service report (CONTRL, D:3:UN) acknowledging ix to its
 * sender: action 7 (acknowledged) when accepted, 4 (rejected) when not,
 * with one UCM per message and UCS entries naming the segments in
 * error. The report is addressed from `us` (NULL: the interchange's
 * recipient) back to the interchange's sender. now is "YYMMDD:HHMM".
 * ref is the report's own interchange control reference (UNB 0020 and
 * UNZ), up to 14 letters and digits, which the sender may quote back:
 * give each report its own (NULL or "": the digits of now, which two
 * reports written in the same minute share). Returns a malloc'd NUL-terminated
 * string (caller frees), or NULL when out of memory. ix may be a partly read
 * interchange; a NULL ix gives an interchange-level rejection with unknown
 * parties. */
char *pw_edi_contrl(const pw_edi_interchange *ix, int accepted, const char *us,
                    const char *now, const char *ref);

#endif

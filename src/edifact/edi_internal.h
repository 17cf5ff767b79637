/* Private parts of the EDIFACT reader shared between its files: the
 * interchange as allocated, the parser state and the helpers. */
#ifndef PW_EDI_INTERNAL_H
#define PW_EDI_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "paxwatch/edifact.h"

/* Byte classes of the tokenizer; 0 is an ordinary byte copied as is. */
enum {
    EDI_C_PLAIN = 0,
    EDI_C_COMPONENT,
    EDI_C_ELEMENT,
    EDI_C_REPETITION,
    EDI_C_RELEASE,
    EDI_C_TERMINATOR,
    EDI_C_NEWLINE, /* CR or LF inside a segment */
    EDI_C_HIGH,    /* 0x80..0xFF: needs the character set */
    EDI_C_CONTROL, /* other C0 controls: kept, reported */
    EDI_C_LOWER    /* a-z while UNOA and not yet reported */
};

/* How the upper half of the byte range is read. */
enum edi_cs_kind {
    EDI_CS_ASCII, /* UNOA, UNOB, IATA: nothing above 0x7F fits */
    EDI_CS_TABLE, /* one of the ISO 8859 parts: a 128-entry table */
    EDI_CS_UTF8   /* UNOW, UNOY, or no UNB: UTF-8 */
};

/* UTF-8 of one upper-half byte; len 0 when the byte is not in the set. */
typedef struct edi_utf8 {
    uint8_t len;
    char bytes[3];
} edi_utf8;

typedef struct edi_charset {
    enum edi_cs_kind kind;
    int upper_only;        /* UNOA: lower case is outside the set */
    const edi_utf8 *table; /* 128 entries for EDI_CS_TABLE */
} edi_charset;

/* A syntax error kept for the CONTRL report (ISO 9735 code 0085). */
typedef struct edi_fault {
    int32_t message;   /* index into messages; -1 for the interchange */
    uint32_t segment;  /* segment number, 0 when none */
    uint32_t position; /* segment position in its message, 0 when none */
    uint8_t code;
    char tag[4]; /* the service segment in error (UNB, UNH ...), or "" */
} edi_fault;

/* The interchange as pw_edi_parse allocates it: the public part first so
 * that a pointer to it is a pointer to this. */
typedef struct edi_ix {
    pw_edi_interchange pub;
    pw_edi_value *values;
    size_t n_values, cap_values;
    int values_moved; /* growing values moved them: see values_fixup */
    int value_breaks; /* a released CR or LF was kept in a value */
    size_t cap_segments, cap_messages, cap_groups;
    edi_fault *faults;
    size_t n_faults, cap_faults;
    /* The pieces of arena holding value texts, in the order filled;
     * one for inputs up to 2 MiB, one per 8 MiB beyond. */
    struct edi_chunk {
        const char *base, *end;
    } * chunks;
    size_t n_chunks, cap_chunks;
} edi_ix;

/* The bytes that end a run of plain bytes, for the vector scan: five
 * service characters (repeated when fewer are in force) and whether
 * lower case is special (UNOA, not yet reported). */
typedef struct edi_stops {
    _Alignas(16) unsigned char sep[5][16]; /* each byte 16 times over */
    int lower;
    int has_rep; /* sep[4] is a repetition separator, not a filler */
} edi_stops;

typedef struct edi_parser {
    edi_ix *ix;
    const unsigned char *data;
    size_t len, pos;
    pw_edi_limits lim;
    uint8_t cls[256];     /* classes for data segments */
    uint8_t cls_svc[256]; /* for UNx service segments: no repetition */
    edi_stops stops, stops_svc;
    edi_charset cs;
    char *out, *out_end; /* free text space in the arena */
    uint32_t seg_no;     /* number of the segment being read */
    size_t seg_off;      /* its offset */
    int seg_newline;     /* a CR/LF was dropped from this segment */

    int open_msg;   /* index of the message without UNT yet, or -1 */
    int open_group; /* index of the group without UNE yet, or -1 */
    uint32_t group_msgs;
    int seen_unb, seen_unz, seen_una;
    size_t n_bad_bytes;
    int has_lines;            /* the input has a LF: name lines; -1 until
                                 the first finding asks */
    size_t line_off, line_no; /* newlines counted up to line_off */
    int lower_reported, space_reported, outside_reported;
    int general_only; /* EDI_GENERAL_ONLY: no fast path, for tests */
    int narrow_only;  /* EDI_NARROW_ONLY: no AVX2 in the run, for tests */
} edi_parser;

/* Number of charset findings reported one by one before the summary. */
#define EDI_BAD_BYTES_SHOWN 5

/* Records a finding on the interchange; fails only when out of memory. */
PW_MUST_CHECK pw_rc edi_diag(edi_parser *p, pw_severity sev, uint32_t seg,
                             size_t off, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Records a syntax error code for the CONTRL report: about a segment
 * of a message (segment set), a message or the interchange (message -1);
 * tag names the service segment concerned, or NULL. */
PW_MUST_CHECK pw_rc edi_fault_add(edi_parser *p, int message, uint32_t segment,
                                  uint8_t code, const char *tag);

/* Selects the character set named by UNB S001 0001; unknown names give
 * UTF-8 and return 0, known ones return 1. */
int edi_charset_select(const char *name, edi_charset *cs);

/* Converts the upper-half or control byte at data[*pos] (and following
 * bytes of a UTF-8 sequence before end) to UTF-8 at *out. Returns 1 when
 * the bytes fitted the set, 0 when they were kept (a NUL: dropped) but
 * do not fit. */
/* 1 when every byte past 0x7F of data[0..len) belongs to a well-formed
 * UTF-8 sequence and there is at least one: text sent as UTF-8 under an
 * ISO 8859 declaration (ISO 8859 names almost never read so). */
int edi_charset_text_is_utf8(const unsigned char *data, size_t len);

int edi_charset_emit(const edi_charset *cs, const unsigned char *data,
                     size_t *pos, size_t end, char **out);

/* Reads a UNA at p->pos if there is one, else sets the defaults; moves
 * p->pos past the UNA. */
PW_MUST_CHECK pw_rc edi_syntax_start(edi_parser *p);

/* Fills the byte-class tables for the current syntax and charset. */
void edi_classes_build(edi_parser *p);

/* Envelope handling of segment ix->segments[i] as soon as it is read. */
PW_MUST_CHECK pw_rc edi_envelope_segment(edi_parser *p, size_t i);

/* Reads plain data segments inside an open message from p->pos on, as
 * far as it can, 64 bytes at a time; stops before the first segment
 * that needs the general path (release character, line break, byte to
 * convert, service segment, limit, end of input or of reserved space).
 * Returns the bytes it moved p->pos by; 0 leaves everything as it was. */
size_t edi_run(edi_parser *p);

/* pw_edi_parse with flags: EDI_GENERAL_ONLY reads every segment the
 * general, byte-wise way, so that tests can compare both;
 * EDI_NARROW_ONLY keeps the fast lane to its SSE2 blocks on a machine
 * with AVX2, so that tests there reach both. */
#define EDI_GENERAL_ONLY 1
#define EDI_NARROW_ONLY 2
PW_MUST_CHECK pw_rc edi_parse_flags(const char *data, size_t len,
                                    const pw_edi_limits *limits, int flags,
                                    pw_edi_interchange **out);

/* Where two readings of one input part: -1 when they agree in every
 * segment, value, message and finding, else the index of the first
 * segment that differs (n_segments of the shorter when only the counts,
 * messages or findings do). */
long edi_compare(const pw_edi_interchange *a, const pw_edi_interchange *b);

/* Closes what the input left open at its end. */
PW_MUST_CHECK pw_rc edi_envelope_finish(edi_parser *p);

#endif

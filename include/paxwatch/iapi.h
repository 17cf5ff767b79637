/* paxwatch interactive API (iAPI): a carrier's PAXLST request answered in
 * the same exchange with a CUSRES (D05B) board / no-board per passenger. */
#ifndef PAXWATCH_IAPI_H
#define PAXWATCH_IAPI_H

#include <stddef.h>
#include <stdint.h>

#include "paxwatch/error.h"
#include "paxwatch/screen.h"

/* Hard limits on one request and its answer. */
#define PW_IAPI_MAX_REQUEST ((size_t)1 << 20) /* bytes of a request */
#define PW_IAPI_MAX_PASSENGERS 999 /* answered per request; more: error */
#define PW_IAPI_MAX_ANSWER ((size_t)4 << 20) /* bytes of a CUSRES */
#define PW_IAPI_TEXT_MAX 200 /* bytes of one FTX text in the policy */

/* The answer codes of CUSRES ERC 9321 in iAPI. */
typedef enum pw_iapi_code {
    PW_IAPI_BOARD = 0,    /* 0Z: the carrier may print a boarding pass */
    PW_IAPI_NO_BOARD,     /* 1Z */
    PW_IAPI_CONTACT,      /* 2Z: contact the authority (advisory) */
    PW_IAPI_INSUFFICIENT, /* 4Z: insufficient data to decide */
    PW_IAPI_N_CODES
} pw_iapi_code;

/* "0Z", "1Z", "2Z", "4Z"; NULL for a value out of range. */
const char *pw_iapi_code_str(pw_iapi_code c);

/* Why a passenger got their answer. Each reason's code and FTX text come
 * from the policy. When several reasons hold, the first in this order
 * decides. */
typedef enum pw_iapi_reason {
    PW_IAPI_LOST_STOLEN = 0, /* a document on a lost-or-stolen list */
    PW_IAPI_PERSON_HIT,      /* a listed person (name or document) */
    PW_IAPI_UNREADABLE,      /* request or passenger data unreadable */
    PW_IAPI_NO_DOCUMENT,     /* no travel document sent */
    PW_IAPI_EXPIRED,         /* every document expired before departure */
    PW_IAPI_CLEAR,           /* none of the above */
    PW_IAPI_N_REASONS
} pw_iapi_reason;

/* "lost_or_stolen", "person_hit", "unreadable", "no_document",
 * "expired_document", "clear" (the keys of the policy file); NULL for a
 * value out of range. */
const char *pw_iapi_reason_str(pw_iapi_reason r);

/* What the answer for each reason is, and how screening is done. */
typedef struct pw_iapi_policy {
    double threshold; /* 0..1, for person hits; documents hit exactly */
    size_t max_hits;  /* hits kept per passenger, 1..PW_SCREEN_MAX_LIMIT */
    pw_iapi_code code[PW_IAPI_N_REASONS];
    char text[PW_IAPI_N_REASONS][PW_IAPI_TEXT_MAX + 1]; /* FTX+AAP */
    char sender[36]; /* UNB sender of answers (us); "" uses the request's
                        recipient */
} pw_iapi_policy;

/* Fills p with the defaults that data/iapi-policy.conf also states:
 * threshold PW_SCREEN_DEFAULT_THRESHOLD, lost or stolen 1Z, person hit
 * 2Z, unreadable 4Z, no document 4Z, expired document 1Z, clear 0Z. */
void pw_iapi_policy_default(pw_iapi_policy *p);

/* Reads a policy text of len bytes (lines `key = value`, `#` comments;
 * keys as documented in docs/iapi.md) over what p holds, so call
 * pw_iapi_policy_default first. An unknown key, a bad value or a line
 * over 1 KiB is recorded in diags (line number, byte offset) and gives
 * PW_ERR_SYNTAX; then p may be partly changed. PW_ERR_LIMIT for a text
 * over 64 KiB, PW_ERR_NOMEM when diags cannot grow. */
PW_MUST_CHECK pw_rc pw_iapi_policy_parse(const char *text, size_t len,
                                         pw_iapi_policy *p, pw_diags *diags);

/* As pw_iapi_policy_parse for the file at path; PW_ERR_IO when it cannot
 * be read. */
PW_MUST_CHECK pw_rc pw_iapi_policy_load(const char *path, pw_iapi_policy *p,
                                        pw_diags *diags);

/* An answering context: the screening index and the policy. Read-only
 * once made: any number of threads may answer with it at once, each with
 * its own pw_iapi_result. */
typedef struct pw_iapi pw_iapi;

/* Makes a context over index (borrowed: it must outlive the context; NULL
 * means no list is loaded, so only documents and dates are checked) with
 * a copy of policy (NULL: the defaults). PW_ERR_INVALID for a policy
 * whose threshold or max_hits is out of range, PW_ERR_NOMEM. */
PW_MUST_CHECK pw_rc pw_iapi_new(const pw_screen_index *index,
                                const pw_iapi_policy *policy, pw_iapi **out);

void pw_iapi_free(pw_iapi *ctx);

/* Sets the clock used when a request gives no departure date and for the
 * UNB date of answers: seconds since 1970 UTC, 0 for the real clock. For
 * tests; not thread-safe against answers in flight. */
void pw_iapi_set_clock(pw_iapi *ctx, long long now);

/* One watchlist hit of a passenger. */
typedef struct pw_iapi_hit {
    size_t passenger;  /* index into the result's passengers */
    int document;      /* 1 when it hit on a document number */
    int lost_stolen;   /* 1 when the entry is a lost-or-stolen document */
    pw_screen_hit hit; /* pointers into the index and its lists */
} pw_iapi_hit;

/* The answer given to one passenger. */
typedef struct pw_iapi_passenger {
    size_t message;   /* which PAXLST of the request, from 0 */
    size_t traveller; /* which traveller of that message, from 0 */
    uint32_t segment; /* segment number of the traveller's NAD */
    pw_iapi_code code;
    pw_iapi_reason reason;
    size_t first_hit, n_hits; /* into the result's hits */
} pw_iapi_passenger;

/* What answering one request found. Zero-initialise; reuse across
 * requests from one thread (it keeps scratch memory); free with
 * pw_iapi_result_free. Valid until the next pw_iapi_answer with it. */
typedef struct pw_iapi_result {
    int rejected;      /* the request could not be read at all */
    int change;        /* a change of passenger (BGM 745 CP) */
    size_t n_messages; /* PAXLST messages answered */
    pw_iapi_passenger *passengers;
    size_t n_passengers, cap_passengers;
    pw_iapi_hit *hits;
    size_t n_hits, cap_hits;
    pw_diags diags; /* why a request or passenger was unreadable */
    pw_screen_results scratch;
} pw_iapi_result;

void pw_iapi_result_free(pw_iapi_result *r);

/* Answers the PAXLST request of len bytes: each traveller screened
 * against the index (documents exactly, names at the policy threshold),
 * each document checked against the departure date, and a CUSRES D05B
 * interchange built with one ERP group per traveller (ERC code and FTX
 * text from the policy). A request that cannot be read (not EDIFACT, no
 * PAXLST, over the limits, a multi-part message) gets a CUSRES with one
 * ERP+1 group, the policy's `unreadable` code and a text saying where
 * and why; then result->rejected is set. *cusres is malloc'd, NUL-
 * terminated, of *cusres_len bytes; the caller frees it. Returns PW_OK
 * whenever an answer was made, PW_ERR_INVALID for NULL arguments,
 * PW_ERR_NOMEM (then *cusres is NULL). */
PW_MUST_CHECK pw_rc pw_iapi_answer(const pw_iapi *ctx, const char *request,
                                   size_t len, char **cusres,
                                   size_t *cusres_len, pw_iapi_result *result);

/* One ERP group of a CUSRES answer. Strings may be NULL (left out). */
typedef struct pw_cusres_answer {
    int all_passengers;        /* ERP 1 (whole request) instead of 2 */
    const char *booking_ref;   /* RFF+AVF */
    const char *passenger_ref; /* RFF+ABO: the request's reference */
    pw_iapi_code code;         /* ERC */
    const char *text;          /* FTX+AAP */
} pw_cusres_answer;

/* One CUSRES message answering one PAXLST. */
typedef struct pw_cusres_message {
    const char *reference;       /* UNH 0062: the request's */
    const char *transaction_ref; /* RFF+TN, NULL to leave out */
    const char *flight;          /* RFF+AF, NULL to leave out Gr3 */
    const char *departure;       /* DTM 189, YYMMDDHHMM */
    const char *arrival;         /* DTM 232, YYMMDDHHMM */
    const char *from, *to;       /* LOC 125, LOC 87 */
    const pw_cusres_answer *answers;
    size_t n_answers;
} pw_cusres_message;

/* A CUSRES interchange: UNA, UNB (UNOC:4, application reference IAPI),
 * then per message UNH (CUSRES:D:05B:UN:IATA) BGM+962 RFF+TN, Gr3
 * RFF+AF DTM+189 DTM+232 LOC+125 LOC+87, Gr4 ERP RFF+AVF RFF+ABO ERC
 * FTX+AAP, UNT; then UNZ. Counts are computed. Values are written with
 * release characters; bytes outside printable ASCII become '.', so that
 * the interchange is valid ISO 8859-1 (UNOC). now is "YYMMDD:HHMM". */
typedef struct pw_cusres {
    const char *sender, *recipient; /* UNB S002, S003 */
    const char *control_ref;        /* UNB 0020 and UNZ */
    const char *now;
    const pw_cusres_message *messages;
    size_t n_messages;
} pw_cusres;

/* Writes c as EDIFACT text: *out malloc'd and NUL-terminated, *len its
 * bytes. PW_ERR_LIMIT past PW_IAPI_MAX_ANSWER, PW_ERR_NOMEM,
 * PW_ERR_INVALID for NULL arguments or a missing reference. */
PW_MUST_CHECK pw_rc pw_cusres_write(const pw_cusres *c, char **out,
                                    size_t *len);

#endif

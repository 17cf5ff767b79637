/* paxwatch messages: from EDIFACT interchanges to the model. PAXLST
 * mapping, the joining of multi-part messages, and one entry point that
 * reads any supported input into model messages. */
#ifndef PAXWATCH_MESSAGES_H
#define PAXWATCH_MESSAGES_H

#include <stddef.h>

#include "paxwatch/edifact.h"
#include "paxwatch/error.h"
#include "paxwatch/model.h"

/* Maps message `index` of ix, a complete PAXLST (or the joined parts of
 * one), to a new pw_msg in *out (the caller frees it with pw_msg_free).
 * Deviations are recorded in (*out)->diags with segment numbers and
 * offsets of ix. Returns PW_ERR_UNSUPPORTED when the message is not a
 * PAXLST, PW_ERR_NOMEM on allocation failure (then *out is NULL). */
PW_MUST_CHECK pw_rc pw_paxlst_map(const pw_edi_interchange *ix, size_t index,
                                  pw_msg **out);

/* A key naming the multi-part message a part belongs to: the sender,
 * the message type and the common access reference (UNH 0068), or the
 * message reference when that is absent. */
typedef struct pw_part_info {
    char key[256];
    unsigned number; /* S010 0070 */
    int final;       /* S010 0073 is 'F' */
    int multipart;   /* 0 when this is a whole message (no S010, or
                        01:F) */
} pw_part_info;

/* Fills info for message `index` of ix. */
void pw_part_info_get(const pw_edi_interchange *ix, size_t index,
                      pw_part_info *info);

/* Writes message `index` of ix as a stand-alone EDIFACT text: its
 * segments UNH..UNT with default service characters, so a part can be
 * kept (e.g. in the store) until its siblings arrive. The segments are
 * wrapped in an envelope of their own (UNA, a UNB in UTF-8 (UNOW)
 * naming the original sender, recipient and reference, and a UNZ) so
 * that the part keeps its key. Returns a malloc'd string and its length
 * in *len, or NULL on allocation failure. */
char *pw_part_text(const pw_edi_interchange *ix, size_t index, size_t *len);

/* Joins the texts of parts 1..n (in order, as made by pw_part_text)
 * into one interchange: the interchange header of ix_first (the
 * interchange the first part came in; may be NULL for defaults), the
 * UNH of part 1, the bodies of all parts without their UNH and UNT, and
 * a UNT and UNZ with correct counts. Returns a malloc'd text and its
 * length, or NULL on allocation failure. */
char *pw_parts_join(const pw_edi_interchange *ix_first,
                    const char *const *texts, const size_t *lens, size_t n,
                    size_t *len);

/* What reading one input gave. */
typedef enum pw_outcome {
    PW_OUT_MESSAGE = 1, /* a message was read into msg */
    PW_OUT_PART,        /* a part of a multi-part message, kept waiting */
    PW_OUT_REJECTED     /* could not be read; see diags */
} pw_outcome;

typedef struct pw_result {
    pw_outcome outcome;
    pw_msg *msg;       /* PW_OUT_MESSAGE: owned by the batch */
    pw_part_info part; /* PW_OUT_PART */
    const char *type;  /* message type, when known */
    uint32_t segment;  /* UNH segment number in its input */
    size_t offset;     /* UNH byte offset in its input */
} pw_result;

/* A reader takes inputs one at a time and yields messages. It keeps the
 * parts of multi-part messages until their set is complete, so parts
 * may come in separate inputs, in any order. */
typedef struct pw_reader pw_reader;

PW_MUST_CHECK pw_rc pw_reader_new(pw_reader **out);
void pw_reader_free(pw_reader *r);

/* The outcome of one input: its interchange-level diagnostics and one
 * result per message found (and, when a part completes a set, one
 * PW_OUT_MESSAGE result for the joined message). Valid until the next
 * call of pw_reader_read or pw_reader_free. */
typedef struct pw_batch {
    int rejected;       /* the input as a whole could not be read */
    const char *format; /* "edifact", or NULL when not recognised */
    pw_diags *diags;    /* interchange-level findings */
    pw_result *results;
    size_t n_results;
    const pw_edi_interchange *interchange; /* NULL unless EDIFACT */
} pw_batch;

/* Reads one input of len bytes. Returns PW_OK when the input was
 * handled (even if rejected: see batch->rejected and batch->diags),
 * PW_ERR_NOMEM, or the failure of the part source (see below). */
PW_MUST_CHECK pw_rc pw_reader_read(pw_reader *r, const char *data, size_t len,
                                   pw_batch **batch);

/* Adds a stored part (text from pw_part_text) to the waiting sets, as
 * when a store reloads parts kept from earlier inputs. */
PW_MUST_CHECK pw_rc pw_reader_add_part(pw_reader *r, const char *text,
                                       size_t len);

/* Where the reader finds parts stored from earlier inputs: the first
 * time an input brings a part of set key, source(ctx, key) is called,
 * once per key over the reader's life, to add that set's stored parts
 * with pw_reader_add_part; anything but PW_OK from it ends the read
 * with that code. So only the sets an input touches are loaded, however
 * many wait in the store. */
typedef pw_rc (*pw_reader_part_source)(void *ctx, const char *key);
void pw_reader_set_part_source(pw_reader *r, pw_reader_part_source source,
                               void *ctx);

/* Number of multi-part sets still waiting for parts; for each, its key
 * and how many parts are held, through the callback. */
size_t pw_reader_waiting(const pw_reader *r,
                         void (*cb)(void *ctx, const char *key, unsigned have,
                                    int have_final),
                         void *ctx);

#endif

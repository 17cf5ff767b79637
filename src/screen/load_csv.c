/* Loader for paxwatch's own CSV list format, used for national lists and
 * lost or stolen document lists (see docs/watchlists.md). */
#include <string.h>
#include <strings.h>

#include "screen/load_common.h"

static const char *const header[] = {
    "id",          "name", "aliases",         "birth_date",
    "nationality", "sex",  "document_number", "document_issuer",
    "category"};

enum {
    F_ID,
    F_NAME,
    F_ALIASES,
    F_DOB,
    F_NAT,
    F_SEX,
    F_DOCNO,
    F_ISSUER,
    F_CAT,
    N_FIELDS
};

static int header_ok(const pw_csv *c)
{
    const char *first;

    if (c->error || c->n_fields != N_FIELDS)
        return 0;
    first = c->fields[0];
    /* A UTF-8 byte-order mark before the header is tolerated. */
    if (!strncmp(first, "\xEF\xBB\xBF", 3))
        first += 3;
    if (strcmp(first, header[0]))
        return 0;
    for (size_t i = 1; i < N_FIELDS; i++)
        if (strcmp(c->fields[i], header[i]))
            return 0;
    return 1;
}

/* Calls fn for each '|'-separated part of field s that is not empty. */
static int each_part(pw_wlb *b, const char *s,
                     int (*fn)(pw_wlb *b, const char *part))
{
    while (s && *s) {
        const char *bar = strchr(s, '|');
        size_t n = bar ? (size_t)(bar - s) : strlen(s);
        const char *part = pw_wlb_str(b, s, n);
        if (part && !fn(b, part))
            return 0;
        s = bar ? bar + 1 : NULL;
    }
    return 1;
}

static int add_alias(pw_wlb *b, const char *part)
{
    pw_wlb_name(b, part, NULL, NULL, NULL, 1, 0);
    return 1;
}

static int add_nationality(pw_wlb *b, const char *part)
{
    pw_wlb_nationality(b, part);
    return 1;
}

/* "1970-05-01", "1970-05", "1970" or a range of years "1968..1970". */
static int add_date(pw_wlb *b, const char *part)
{
    const char *dots = strstr(part, "..");

    if (!dots)
        return pw_wl_date_ok(part) ? (pw_wlb_date(b, part, NULL), 1) : 0;
    const char *from = pw_wlb_str(b, part, (size_t)(dots - part));
    const char *to = pw_wlb_cstr(b, dots + 2);
    if (!pw_wl_date_ok(from) || !pw_wl_date_ok(to) || strcmp(from, to) > 0)
        return 0;
    pw_wlb_date(b, from, to);
    return 1;
}

static const char *field(pw_wlb *b, const pw_csv *c, int i)
{
    return pw_wlb_cstr(b, c->fields[i]);
}

/* Fills the open entry from one record; NULL or why it is bad. */
static const char *fill_entry(pw_wlb *b, const pw_csv *c)
{
    const char *sex = field(b, c, F_SEX);
    const char *category = field(b, c, F_CAT);
    pw_entry *e = &b->cur;

    if (c->n_fields != N_FIELDS)
        return "wrong number of fields";
    e->id = field(b, c, F_ID);
    e->category = category;
    if (category && !strcmp(category, "lost_or_stolen"))
        e->kind = PW_ENTRY_DOCUMENT;
    pw_wlb_name(b, field(b, c, F_NAME), NULL, NULL, NULL, 0, 0);
    if (!each_part(b, c->fields[F_ALIASES], add_alias))
        return "bad alias";
    if (!each_part(b, c->fields[F_DOB], add_date))
        return "birth_date is not YYYY, YYYY-MM, YYYY-MM-DD or YYYY..YYYY";
    each_part(b, c->fields[F_NAT], add_nationality);
    if (sex && !(e->sex = pw_wl_sex(sex)))
        return "sex is not M, F, male or female";
    pw_wlb_document(b, NULL, field(b, c, F_DOCNO), field(b, c, F_ISSUER));
    return NULL;
}

static pw_rc one_record(pw_wlb *b, const pw_csv *c, uint32_t line)
{
    const char *why = c->error;

    if (!why && c->n_fields != N_FIELDS)
        why = "wrong number of fields";
    pw_wlb_begin(b, PW_ENTRY_PERSON);
    if (!why)
        why = fill_entry(b, c);
    if (why) {
        b->open = 0;
        return pw_wlb_diag(b, PW_ERROR, line, c->rec_offset,
                           "line %u: record skipped, %s", (unsigned)line, why);
    }
    return pw_wlb_commit(b, line, c->rec_offset);
}

static pw_rc read_records(pw_wlb *b, pw_csv *c)
{
    pw_rc rc = PW_OK;
    int r;

    while (rc == PW_OK && (r = pw_csv_next(c)) != 0) {
        if (r < 0)
            return PW_ERR_NOMEM;
        rc = one_record(b, c, (uint32_t)c->rec_line);
    }
    return rc;
}

pw_rc pw_load_csv(pw_wlb *b, const char *data, size_t len)
{
    pw_csv c;
    pw_rc rc;
    int r;

    pw_csv_init(&c, data, len);
    r = pw_csv_next(&c);
    if (r < 0) {
        pw_csv_free(&c);
        return PW_ERR_NOMEM;
    }
    if (r == 0 || !header_ok(&c)) {
        pw_csv_free(&c);
        rc = pw_wlb_diag(b, PW_ERROR, 1, 0,
                         "line 1: the header must be exactly id,name,"
                         "aliases,birth_date,nationality,sex,"
                         "document_number,document_issuer,category");
        return rc == PW_OK ? PW_ERR_SYNTAX : rc;
    }
    rc = read_records(b, &c);
    pw_csv_free(&c);
    return rc;
}

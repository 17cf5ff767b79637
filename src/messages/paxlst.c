/* PAXLST (UN/EDIFACT passenger and crew lists, WCO/IATA/ICAO guide) to
 * the model: the message header, the reporting party, the counts, and the
 * walk over the segments that hands each one to its group's reader. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>
#include <time.h>

#include "messages/bump.h"
#include "messages/paxlst_int.h"
#include "paxwatch/messages.h"

void pw_msgs_warn(pw_msgs_map *mp, const char *fmt, ...)
{
    char buf[400];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (pw_diags_add(&mp->m->diags, PW_WARNING, mp->seg->number,
                     mp->seg->offset, "%s %s", mp->seg->tag, buf) != PW_OK)
        mp->rc = PW_ERR_NOMEM;
}

static char *str_alloc(pw_msgs_map *mp, size_t n)
{
    char *p = pw_bump(&mp->m->arena, &mp->str, &mp->str_end, n);

    if (!p)
        mp->rc = PW_ERR_NOMEM;
    return p;
}

const char *pw_msgs_trim_copy(pw_msgs_map *mp, const char *s, size_t n)
{
    char *p;

    while (n && *s == ' ') {
        s++;
        n--;
    }
    while (n && s[n - 1] == ' ')
        n--;
    if (!n)
        return NULL;
    p = str_alloc(mp, n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

const char *pw_msgs_dup(pw_msgs_map *mp, const char *s)
{
    return s ? pw_msgs_text(mp, s, strlen(s)) : NULL;
}

/* One copy of all the message's value texts, so that most values need
 * no copy of their own: they are found in it by their offset. */
static void copy_texts(pw_msgs_map *mp, const pw_edi_message *em)
{
    const char *lo, *hi;
    char *copy;

    if (!pw_edi_text_span(mp->ix, em->first_segment, em->n_segments, &lo,
                          &hi) ||
        !lo)
        return;
    copy = pw_arena_alloc(&mp->m->arena, (size_t)(hi - lo));
    if (!copy) {
        mp->rc = PW_ERR_NOMEM;
        return;
    }
    memcpy(copy, lo, (size_t)(hi - lo));
    mp->lo = lo;
    mp->hi = hi;
    mp->span = (size_t)(hi - lo);
    mp->copy = copy;
    mp->shift = (uintptr_t)copy - (uintptr_t)lo;
}

const char *pw_msgs_copy(pw_msgs_map *mp, const char *s, size_t n)
{
    char *p = str_alloc(mp, n + 1);

    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

const char *pw_msgs_cat(pw_msgs_map *mp, const char *a, char sep, const char *b)
{
    size_t na, nb, n;
    char *p;

    if (!a || !b)
        return a ? a : b;
    na = strlen(a);
    nb = strlen(b);
    n = na + (sep != 0) + nb;
    p = str_alloc(mp, n + 1);
    if (!p)
        return NULL;
    memcpy(p, a, na);
    if (sep)
        p[na] = sep;
    memcpy(p + n - nb, b, nb);
    p[n] = '\0';
    return p;
}

/* BGM 1001: the kind of list. */
static pw_list_type list_type_of(const char *code)
{
    static const struct {
        const char *code;
        pw_list_type type;
    } map[] = {{"745", PW_LIST_PASSENGERS},
               {"250", PW_LIST_CREW},
               {"336", PW_LIST_MASTER_CREW},
               {"266", PW_LIST_FLIGHT_STATUS},
               {"655", PW_LIST_GATE_PASS}};

    for (size_t i = 0; code && i < sizeof(map) / sizeof(map[0]); i++)
        if (pw_msgs_is(code, map[i].code))
            return map[i].type;
    return PW_LIST_OTHER;
}

/* BGM element 2 carries a function code such as CP or XR in the API
 * guides, but a document number in other PAXLST uses; a short
 * alphabetic value is taken as the code, else BGM 1225. */
static int looks_like_function(const char *s)
{
    size_t n = 0;

    for (; s && s[n]; n++)
        if (s[n] < 'A' || s[n] > 'Z')
            return 0;
    return n >= 1 && n <= 4;
}

static void read_bgm(pw_msgs_map *mp)
{
    const char *doc_id = pw_msgs_val(mp, 2, 1);

    mp->m->list_code = pw_msgs_val(mp, 1, 1);
    mp->m->list_type = list_type_of(mp->m->list_code);
    if (!mp->m->list_code)
        pw_msgs_warn(mp, "without a document name code (1001)");
    else if (mp->m->list_type == PW_LIST_OTHER)
        pw_msgs_warn(mp, "document code %s is not a PAXLST list type",
                     mp->m->list_code);
    if (looks_like_function(doc_id))
        mp->m->function = doc_id;
    else
        mp->m->function = pw_msgs_val(mp, 3, 1);
}

static void read_header_rff(pw_msgs_map *mp)
{
    const char *q = pw_msgs_get(mp, 1, 1);

    /* RFF TN: the transaction reference of the whole list. */
    if (pw_msgs_is(q, "TN"))
        mp->m->transaction_ref = pw_msgs_val(mp, 1, 2);
    else
        pw_msgs_warn(mp, "qualifier %.8s not expected here, ignored",
                     q ? q : "(none)");
}

static void read_reporter(pw_msgs_map *mp)
{
    const char *name = pw_msgs_val(mp, 4, 1);
    const char *more = pw_msgs_val(mp, 4, 2);

    /* NAD MS: the party reporting the list, a contact person's name
     * (surname:given) or a code in element 2 when no name is given. */
    if (name && more)
        name = pw_msgs_cat(mp, name, ' ', more);
    mp->m->reporting_party = name ? name : pw_msgs_val(mp, 2, 1);
    mp->ctx = PW_CTX_REPORTER;
}

static void read_reporter_com(pw_msgs_map *mp)
{
    size_t n;
    pw_contact *c = pw_msgs_com(mp, &n);

    if (!n)
        return;
    if (!mp->m->reporting_contacts)
        mp->m->reporting_contacts = c;
    mp->m->n_reporting_contacts += n;
}

/* CNT 42: passengers, 41: crew, as `CNT+42:n`. Some senders write
 * `CNT+41+n`; that is read too, with a warning. */
static void read_cnt(pw_msgs_map *mp)
{
    const char *q = pw_msgs_get(mp, 1, 1);
    const char *v = pw_msgs_get(mp, 1, 2);
    char *end;
    long n;

    mp->cnt = mp->seg;
    if (!v && (v = pw_msgs_get(mp, 2, 1)) != NULL)
        pw_msgs_warn(mp, "count in element 2 instead of component 2");
    n = v ? strtol(v, &end, 10) : -1;
    if (!v || *end || n < 0) {
        pw_msgs_warn(mp, "count is missing or not a number");
        return;
    }
    if (pw_msgs_is(q, "42"))
        mp->m->declared_passengers = n;
    else if (pw_msgs_is(q, "41"))
        mp->m->declared_crew = n;
    else
        pw_msgs_warn(mp, "qualifier %.8s unknown, ignored", q ? q : "(none)");
}

static void read_nad(pw_msgs_map *mp)
{
    const char *q = pw_msgs_get(mp, 1, 1);

    if (pw_msgs_is(q, "MS"))
        read_reporter(mp);
    else
        pw_msgs_nad_person(mp, q);
}

static int in_person(const pw_msgs_map *mp)
{
    return mp->ctx == PW_CTX_PERSON || mp->ctx == PW_CTX_DOCUMENT;
}

static void read_loc_dtm(pw_msgs_map *mp, int is_loc)
{
    if (in_person(mp))
        pw_msgs_person_segment(mp);
    else if (is_loc)
        pw_msgs_move_loc(mp);
    else
        pw_msgs_move_dtm(mp);
}

static void read_rff_com(pw_msgs_map *mp, int is_rff)
{
    if (in_person(mp))
        pw_msgs_person_segment(mp);
    else if (is_rff)
        read_header_rff(mp);
    else if (mp->ctx == PW_CTX_REPORTER)
        read_reporter_com(mp);
    else
        pw_msgs_warn(mp, "outside the reporting party group, ignored");
}

/* Segments of the person groups met outside them, or unknown ones. */
static void read_other(pw_msgs_map *mp)
{
    if (in_person(mp) && pw_msgs_person_segment(mp))
        return;
    switch (pw_msgs_tag(mp->seg)) {
    case PW_TAG('A', 'T', 'T'):
    case PW_TAG('M', 'E', 'A'):
    case PW_TAG('G', 'E', 'I'):
    case PW_TAG('F', 'T', 'X'):
    case PW_TAG('E', 'M', 'P'):
    case PW_TAG('N', 'A', 'T'):
    case PW_TAG('D', 'O', 'C'):
        pw_msgs_warn(mp, "outside a traveller group, ignored");
        break;
    default:
        pw_msgs_warn(mp, "not a PAXLST segment, ignored");
    }
}

static void read_segment(pw_msgs_map *mp)
{
    switch (pw_msgs_tag(mp->seg)) {
    case PW_TAG('U', 'N', 'H'):
    case PW_TAG('U', 'N', 'T'):
        break;
    case PW_TAG('B', 'G', 'M'):
        read_bgm(mp);
        break;
    case PW_TAG('N', 'A', 'D'):
        read_nad(mp);
        break;
    case PW_TAG('T', 'D', 'T'):
        pw_msgs_tdt(mp);
        break;
    case PW_TAG('L', 'O', 'C'):
        read_loc_dtm(mp, 1);
        break;
    case PW_TAG('D', 'T', 'M'):
        read_loc_dtm(mp, 0);
        break;
    case PW_TAG('R', 'F', 'F'):
        read_rff_com(mp, 1);
        break;
    case PW_TAG('C', 'O', 'M'):
        read_rff_com(mp, 0);
        break;
    case PW_TAG('C', 'N', 'T'):
        read_cnt(mp);
        break;
    default:
        read_other(mp);
    }
}

/* The pools a segment adds to, by the first two bytes of its tag: LO?
 * and TD? legs, NA? travellers, DO? documents, CO? contacts (one per
 * value), FT? tags. */
enum { POOL_NONE, POOL_LEGS, POOL_TRS, POOL_DOCS, POOL_CONTACTS, POOL_TAGS };

/* The pool of every pair of first bytes as one 16-bit load reads them,
 * so that a segment takes one look-up; 64 KiB, filled once. */
static uint8_t pool_pairs[1 << 16];
static once_flag pool_pairs_once = ONCE_FLAG_INIT;

static void pool_pairs_fill(void)
{
    static const struct {
        char tag[2];
        uint8_t pool;
    } rules[] = {{"TD", POOL_LEGS}, {"LO", POOL_LEGS},     {"NA", POOL_TRS},
                 {"DO", POOL_DOCS}, {"CO", POOL_CONTACTS}, {"FT", POOL_TAGS}};

    for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
        uint16_t h;

        memcpy(&h, rules[i].tag, 2);
        pool_pairs[h] = rules[i].pool;
    }
}

/* Upper bounds for every pool from one pass over the tags, a table
 * look-up and an add per segment. */
static int size_pools(pw_msgs_map *mp, const pw_edi_message *em)
{
    size_t n[POOL_TAGS + 1] = {0, 1, 0, 0, 0, 0};
    pw_arena *a = &mp->m->arena;
    const pw_edi_segment *s = &mp->ix->segments[em->first_segment];
    const pw_edi_segment *end = s + em->n_segments;
    size_t legs, trs, docs, contacts, tags;

    call_once(&pool_pairs_once, pool_pairs_fill);
    for (; s < end; s++) {
        uint16_t h;
        unsigned k;

        memcpy(&h, s->tag, 2);
        k = pool_pairs[h];
        n[k] += k == POOL_CONTACTS ? s->n_values : 1;
    }
    legs = n[POOL_LEGS];
    trs = n[POOL_TRS];
    docs = n[POOL_DOCS];
    contacts = n[POOL_CONTACTS];
    tags = n[POOL_TAGS];
    /* The counts are generous (every NA? and LO? counts), so entries
     * are cleared when taken, not here. */
    mp->legs = pw_arena_alloc(a, legs * sizeof(pw_leg));
    mp->trs = pw_arena_alloc(a, (trs + 1) * sizeof(pw_traveller));
    mp->docs = pw_arena_alloc(a, (docs + 1) * sizeof(pw_document));
    mp->contacts = pw_arena_alloc(a, (contacts + 1) * sizeof(pw_contact));
    mp->tags = pw_arena_alloc(a, (tags + 1) * sizeof(char *));
    mp->cap_legs = legs;
    mp->cap_trs = trs;
    mp->cap_docs = docs;
    mp->cap_contacts = contacts;
    mp->cap_tags = tags;
    return mp->legs && mp->trs && mp->docs && mp->contacts && mp->tags;
}

/* The date the message was sent (UNB S004), against which two-digit
 * birth years are placed; today when the interchange has none. */
static void set_reference_date(pw_msgs_map *mp)
{
    const char *d = mp->ix->date;
    size_t n = d ? strlen(d) : 0;
    char out[32];

    /* Once per message, but snprintf showed in profiles of small ones:
     * the ISO date is taken as pw_msgs_date wrote it, with the century
     * 20 for YYMMDD as before. */
    if ((n == 6 && pw_msgs_date(d, "101", PW_DATE_TRAVEL, NULL, out)) ||
        (n == 8 && pw_msgs_date(d, "102", PW_DATE_TRAVEL, NULL, out))) {
        memcpy(mp->today, out, 10);
        if (n == 6)
            memcpy(mp->today, "20", 2);
        mp->today[10] = '\0';
        mp->today_num = pw_msgs_date_ref(mp->today);
        return;
    }
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(mp->today, sizeof(mp->today), "%Y-%m-%d", &tm);
    mp->today_num = pw_msgs_date_ref(mp->today);
}

static const char *version_of(pw_msgs_map *mp, const pw_edi_message *em)
{
    if (!em->version)
        return NULL;
    if (!em->release)
        return pw_msgs_dup(mp, em->version);
    /* "D" + "05B" is the directory D05B; "11" + "1" is version 11.1. */
    if (!strcmp(em->version, "D"))
        return pw_msgs_cat(mp, "D", 0, em->release);
    return pw_msgs_cat(mp, em->version, '.', em->release);
}

static void fill_header(pw_msgs_map *mp, const pw_edi_message *em)
{
    const pw_edi_interchange *ix = mp->ix;
    const pw_edi_group *g = em->group >= 0 && (size_t)em->group < ix->n_groups
                                ? &ix->groups[em->group]
                                : NULL;
    pw_msg *m = mp->m;

    m->type = pw_msgs_dup(mp, em->type);
    m->version = version_of(mp, em);
    m->sender = pw_msgs_dup(mp, ix->sender ? ix->sender : g ? g->sender : NULL);
    m->recipient = pw_msgs_dup(mp, ix->recipient ? ix->recipient
                                   : g           ? g->recipient
                                                 : NULL);
    m->interchange_ref = pw_msgs_dup(mp, ix->control_reference);
    m->message_ref = pw_msgs_dup(mp, em->reference);
    m->common_access_ref = pw_msgs_dup(mp, em->common_access_reference);
    set_reference_date(mp);
}

/* The reader's findings about this message's segments belong to it,
 * among them the error for a message that ends without UNT. */
static void copy_diags(pw_msgs_map *mp, const pw_edi_message *em)
{
    const pw_edi_segment *first = &mp->ix->segments[em->first_segment];
    const pw_edi_segment *last = first + (em->n_segments - 1);

    for (size_t i = 0; i < mp->ix->diags.n; i++) {
        const pw_diag *d = &mp->ix->diags.items[i];
        if (d->segment < first->number || d->segment > last->number)
            continue;
        if (pw_diags_copy(&mp->m->diags, d) != PW_OK)
            mp->rc = PW_ERR_NOMEM;
    }
}

static size_t count_roles(const pw_msg *m, int crew)
{
    size_t n = 0;

    for (size_t i = 0; i < m->n_travellers; i++) {
        pw_role r = m->travellers[i].role;
        if (crew ? r == PW_ROLE_CREW || r == PW_ROLE_TRANSIT_CREW
                 : r == PW_ROLE_PASSENGER || r == PW_ROLE_TRANSIT_PASSENGER)
            n++;
    }
    return n;
}

static void check_count(pw_msgs_map *mp, long declared, size_t read,
                        const char *what)
{
    if (declared < 0 || (size_t)declared == read)
        return;
    pw_msgs_warn(mp, "declares %ld %s but the list holds %zu", declared, what,
                 read);
}

/* The CNT totals cover the whole movement, so a part of a list may
 * well hold fewer; the warning still helps whoever reads it. */
static void check_counts(pw_msgs_map *mp)
{
    if (!mp->cnt)
        return;
    mp->seg = mp->cnt;
    check_count(mp, mp->m->declared_passengers, count_roles(mp->m, 0),
                "passengers");
    check_count(mp, mp->m->declared_crew, count_roles(mp->m, 1), "crew");
}

static void walk(pw_msgs_map *mp, const pw_edi_message *em)
{
    const pw_edi_segment *s = &mp->ix->segments[em->first_segment];
    const pw_edi_segment *end = s + em->n_segments;

    while (s < end && mp->rc == PW_OK) {
        /* Most segments belong to a traveller: they go there first, and
         * only those it does not take (NAD, TDT, CNT ...) take the
         * general switch, which would send the others there too. */
        if (in_person(mp)) {
            s = pw_msgs_person_run(mp, s, end);
            if (s == end || mp->rc != PW_OK)
                break;
        }
        mp->seg = s++;
        read_segment(mp);
    }
    mp->m->movement.legs = mp->legs;
    mp->m->travellers = mp->trs;
    if (mp->rc == PW_OK)
        check_counts(mp);
    if (mp->rc == PW_OK)
        pw_msgs_fill_utc(mp);
}

pw_rc pw_paxlst_map(const pw_edi_interchange *ix, size_t index, pw_msg **out)
{
    const pw_edi_message *em;
    pw_msgs_map mp = {0};

    *out = NULL;
    if (!ix || index >= ix->n_messages)
        return PW_ERR_INVALID;
    em = &ix->messages[index];
    if (!em->type || strcmp(em->type, "PAXLST") || !em->n_segments ||
        em->first_segment + (size_t)em->n_segments > ix->n_segments)
        return PW_ERR_UNSUPPORTED;
    mp.ix = ix;
    mp.m = pw_msg_new();
    if (!mp.m)
        return PW_ERR_NOMEM;
    mp.m->movement.mode = PW_MODE_AIR;
    mp.seg = &ix->segments[em->first_segment];
    copy_texts(&mp, em);
    fill_header(&mp, em);
    copy_diags(&mp, em);
    if (!size_pools(&mp, em))
        mp.rc = PW_ERR_NOMEM;
    if (mp.rc == PW_OK)
        walk(&mp, em);
    if (mp.rc != PW_OK) {
        pw_msg_free(mp.m);
        return mp.rc;
    }
    *out = mp.m;
    return PW_OK;
}

/* PAXLST person groups: NAD for a traveller and the segments that follow
 * it (ATT, DTM, MEA, GEI, FTX, LOC, COM, EMP, NAT, RFF; DOC with its DTM
 * and LOC), read into pw_traveller and pw_document. Warnings here never
 * quote a value: they end up in logs and reports. */
#include <stdlib.h>
#include <string.h>

#include "messages/clear.h"
#include "messages/paxlst_int.h"

/* The readers of the person segments, each called from one place: the
 * switch in person_segment, which is inlined into the loop over a
 * traveller's segments. Forced: left to itself the compiler kept the
 * LOC and DTM readers, the commonest, out of line, and their calls cost
 * some 15 instructions each. */
#define PW_MSGS_HANDLER static inline __attribute__((always_inline))

/* NAD 3035: FL passenger, FM crew, DDU transit passenger, DDT transit
 * crew. */
static pw_role role_of(const char *q)
{
    if (pw_msgs_is(q, "FL"))
        return PW_ROLE_PASSENGER;
    if (pw_msgs_is(q, "FM"))
        return PW_ROLE_CREW;
    if (pw_msgs_is(q, "DDU"))
        return PW_ROLE_TRANSIT_PASSENGER;
    if (pw_msgs_is(q, "DDT"))
        return PW_ROLE_TRANSIT_CREW;
    return PW_ROLE_OTHER;
}

/* The NAD values a traveller is read from, found in one pass over the
 * segment instead of one scan each: elements 4 (C080 name) to 9
 * (country), components 1 to 5, first repetition, by [e - 4][c - 1]. */
typedef const pw_edi_value *nad_values[6][5];

static void nad_fetch(const pw_msgs_map *mp, nad_values t)
{
    const pw_edi_value *v = mp->seg->values, *end = v + mp->seg->n_values;

    pw_msgs_clear(t, sizeof(nad_values));
    for (; v < end && v->element <= 9; v++) {
        unsigned e = v->element - 4u, c = v->component - 1u;

        if (e < 6 && c < 5 && v->repetition == 0)
            t[e][c] = v;
    }
}

/* Component c of element e as pw_msgs_val gives it. */
static const char *nad_val(pw_msgs_map *mp, nad_values t, unsigned e,
                           unsigned c)
{
    const pw_edi_value *v = t[e - 4][c - 1];

    return v ? pw_msgs_vtext(mp, v) : NULL;
}

/* Given and middle names, NAD C080 components 2 to 5, space-joined;
 * one piece of string space for them all. */
static const char *given_names(pw_msgs_map *mp, nad_values t)
{
    const char *part[4];
    size_t len[4], n = 0, total = 0;
    char *out, *p;

    for (unsigned c = 2; c <= 5; c++) {
        const pw_edi_value *raw = t[0][c - 1];
        const char *v = raw ? pw_msgs_vtext(mp, raw) : NULL;

        if (v) {
            part[n] = v;
            /* Only a name with a space at either end was trimmed. */
            len[n] = raw->text[0] != ' ' && raw->text[raw->len - 1] != ' '
                         ? raw->len
                         : strlen(v);
            total += len[n++] + 1;
        }
    }
    if (n <= 1)
        return n ? part[0] : NULL;
    out = pw_arena_alloc(&mp->m->arena, total);
    if (!out) {
        mp->rc = PW_ERR_NOMEM;
        return NULL;
    }
    p = out;
    for (size_t i = 0; i < n; i++) {
        memcpy(p, part[i], len[i]);
        p[len[i]] = i + 1 < n ? ' ' : '\0';
        p += len[i] + 1;
    }
    return out;
}

static void read_address(pw_msgs_map *mp, nad_values t, pw_address *a)
{
    const char *s = nad_val(mp, t, 5, 1);
    const char *more = nad_val(mp, t, 5, 2);

    a->street = s && more ? pw_msgs_cat(mp, s, ' ', more) : s ? s : more;
    a->city = nad_val(mp, t, 6, 1);
    /* C819: a subdivision code, or its name in component 4. */
    a->region = nad_val(mp, t, 7, 1);
    if (!a->region)
        a->region = nad_val(mp, t, 7, 4);
    a->postcode = nad_val(mp, t, 8, 1);
    a->country = nad_val(mp, t, 9, 1);
}

void pw_msgs_nad_person(pw_msgs_map *mp, const char *q)
{
    pw_traveller *t;
    nad_values vals;

    if (mp->m->n_travellers >= mp->cap_trs)
        return; /* cannot happen: the pool is sized by a first pass */
    t = &mp->trs[mp->m->n_travellers++];
    pw_msgs_clear(t, sizeof(*t));
    nad_fetch(mp, vals);
    t->role = role_of(q);
    /* q, when there, is the segment's first value (pw_msgs_qual). */
    t->role_code = q ? pw_msgs_vtext(mp, &mp->seg->values[0]) : NULL;
    t->surname = nad_val(mp, vals, 4, 1);
    t->given_names = given_names(mp, vals);
    read_address(mp, vals, &t->address);
    t->verified = -1;
    t->bags = -1;
    t->segment = mp->seg->number;
    mp->t = t;
    mp->doc = NULL;
    mp->ctx = PW_CTX_PERSON;
    if (t->role == PW_ROLE_OTHER)
        pw_msgs_warn(mp, "party %.8s is not FL, FM, DDU or DDT: role other",
                     q ? q : "(none)");
    if (!t->surname && !t->given_names)
        pw_msgs_warn(mp, "traveller without a name, kept");
}

PW_MSGS_HANDLER void read_att(pw_msgs_map *mp)
{
    const char *q;
    uint32_t code = pw_msgs_qual(mp, &q);
    const char *sex = pw_msgs_val(mp, 3, 1);

    /* ATT 2: sex. A repeated value (M*M*M) counts once. */
    if (code != '2') {
        pw_msgs_warn(mp, "attribute %.8s not read", q ? q : "(none)");
        return;
    }
    if (!sex) {
        pw_msgs_warn(mp, "sex missing");
        return;
    }
    code = pw_msgs_code(sex);
    if (code != 'M' && code != 'F' && code != 'U' && code != 'X')
        pw_msgs_warn(mp, "sex code is not M, F, U or X; kept as sent");
    mp->t->sex = sex;
}

static int doc_needed(pw_msgs_map *mp)
{
    if (mp->doc)
        return 1;
    pw_msgs_warn(mp, "document date before any DOC, ignored");
    return 0;
}

/* A date of n bytes from iso (32 bytes) into the string space: with
 * room, as 16 bytes at once instead of a call to memcpy, as every
 * traveller has two. */
static const char *date_copy(pw_msgs_map *mp, const char iso[32], size_t n)
{
    char *p = mp->str;

    if (n >= 16 || (size_t)(mp->str_end - p) < 16)
        return pw_msgs_copy(mp, iso, n);
    memcpy(p, iso, 16);
    p[n] = '\0';
    mp->str = p + n + 1;
    return p;
}

/* The format (C507 2379) of a DTM whose value is raw (may be NULL):
 * when raw is there the format can only be the value after it, as
 * values sort by element, repetition and component. */
static const char *dtm_format(const pw_msgs_map *mp, const pw_edi_value *raw)
{
    const pw_edi_segment *s = mp->seg;
    uint32_t ec;

    if (!raw)
        return pw_msgs_get(mp, 1, 3);
    if (raw + 1 >= s->values + s->n_values)
        return NULL;
    memcpy(&ec, &raw[1].element, sizeof(ec));
    return ec == PW_MSGS_EC(1, 3) && raw[1].repetition == 0 ? raw[1].text
                                                            : NULL;
}

/* DTM 329 birth date; DTM 36 expiry and 182 issue date of the DOC. */
PW_MSGS_HANDLER void read_person_dtm(pw_msgs_map *mp)
{
    const char *q;
    uint32_t code = pw_msgs_qual(mp, &q);
    const pw_edi_value *raw = pw_msgs_value(mp, 1, 2);
    const char *v = NULL;
    size_t len = 0, n;
    int birth = code == PW_CODE3('3', '2', '9');
    int expiry = code == PW_CODE2('3', '6');
    char iso[32];

    /* The date is only read, so it is taken as sent unless it has a
     * space at either end, which is trimmed. */
    if (raw && raw->text[0] != ' ' && raw->text[raw->len - 1] != ' ') {
        v = raw->text;
        len = raw->len;
    } else if (raw) {
        v = pw_msgs_text(mp, raw->text, raw->len);
        len = v ? strlen(v) : 0;
    }
    if (!birth && !expiry && code != PW_CODE3('1', '8', '2')) {
        pw_msgs_warn(mp, "qualifier %.8s not read for a traveller",
                     q ? q : "(none)");
        return;
    }
    if (!birth && !doc_needed(mp))
        return;
    if (v && len != raw->len)
        pw_msgs_warn(mp, "date has spaces around it, trimmed");
    n = pw_msgs_date_n(v, len, dtm_format(mp, raw),
                       birth ? PW_DATE_BIRTH : PW_DATE_EXPIRY, mp->today_num,
                       iso);
    if (!n) {
        pw_msgs_warn(mp, "%s date is not a valid date", q);
        return;
    }
    if (birth)
        mp->t->birth_date = date_copy(mp, iso, n);
    else if (expiry)
        mp->doc->expiry = date_copy(mp, iso, n);
    else
        mp->doc->issued = date_copy(mp, iso, n);
}

/* LOC 91 after a DOC: the issuing state. When two are sent (a region,
 * code list 163, and a country, code list 162) the country wins. */
static void read_issuer(pw_msgs_map *mp, const char *place)
{
    int country = pw_msgs_is(pw_msgs_get(mp, 2, 2), "162");

    if (!mp->doc->issuer || (country && !mp->issuer_is_country)) {
        mp->doc->issuer = place;
        mp->issuer_is_country = country;
        return;
    }
    pw_msgs_warn(mp, "second issuing place for one document ignored");
}

static const char **person_loc_slot(pw_traveller *t, uint32_t q)
{
    switch (q) {
    case PW_CODE2('2', '2'):
        return &t->clearance; /* port of first clearance */
    case PW_CODE3('1', '7', '4'):
        return &t->residence; /* country of residence */
    case PW_CODE3('1', '7', '8'):
        return &t->embarkation;
    case PW_CODE3('1', '7', '9'):
        return &t->debarkation;
    case PW_CODE3('1', '8', '0'):
        return &t->birth_place;
    case PW_CODE2('9', '1'):
    case PW_CODE2('9', '2'):
        return &t->transit;
    default:
        return NULL;
    }
}

PW_MSGS_HANDLER void read_person_loc(pw_msgs_map *mp)
{
    const char *q;
    uint32_t code = pw_msgs_qual(mp, &q);
    /* LOC 180 carries the birth place as free text: `LOC+180+:::CITY`;
     * the others a code, with the name as a fallback. */
    unsigned first = code == PW_CODE3('1', '8', '0') ? 4 : 1;
    const char *place = pw_msgs_val(mp, 2, first);
    const char **slot;

    if (!place)
        place = pw_msgs_val(mp, 2, 5 - first);

    if (!place) {
        pw_msgs_warn(mp, "without a place");
        return;
    }
    if (code == PW_CODE2('9', '1') && mp->doc) {
        read_issuer(mp, place);
        return;
    }
    slot = person_loc_slot(mp->t, code);
    if (!slot)
        pw_msgs_warn(mp, "qualifier %.8s not read for a traveller",
                     q ? q : "(none)");
    else if (!*slot)
        *slot = place;
    else
        pw_msgs_warn(mp, "qualifier %.8s repeated, first kept", q);
}

/* DOC 1001 type as sent, with a name for the common ones. */
static const char *doc_type_name(const char *type)
{
    static const char *const map[][2] = {
        {"P", "passport"},       {"PT", "passport"},
        {"V", "visa"},           {"I", "id_card"},
        {"ID", "id_card"},       {"A", "id_card"},
        {"IP", "passport_card"}, {"AC", "crew_certificate"},
        {"C", "resident_card"},  {"F", "facilitation_document"},
        {"M", "military_id"},    {"L", "pilot_licence"}};

    /* The two commonest first, by their packed code. */
    uint32_t code = pw_msgs_code(type);

    if (code == 'P')
        return "passport";
    if (code == 'V')
        return "visa";
    for (size_t i = 0; type && i < sizeof(map) / sizeof(map[0]); i++)
        if (pw_msgs_is(type, map[i][0]))
            return map[i][1];
    return "other";
}

PW_MSGS_HANDLER void read_doc(pw_msgs_map *mp)
{
    pw_traveller *t = mp->t;
    pw_document *d;

    if (mp->n_docs >= mp->cap_docs)
        return; /* cannot happen: the pool is sized by a first pass */
    d = &mp->docs[mp->n_docs++];
    memset(d, 0, sizeof(*d));
    if (!t->documents)
        t->documents = d;
    t->n_documents++;
    d->type = pw_msgs_val(mp, 1, 1);
    d->type_name = doc_type_name(d->type);
    /* Numbers are kept as sent, only trimmed: screening normalises. */
    d->number = pw_msgs_val(mp, 2, 1);
    d->check_digits = -1;
    mp->doc = d;
    mp->issuer_is_country = 0;
    mp->ctx = PW_CTX_DOCUMENT;
    if (!d->number)
        pw_msgs_warn(mp, "document without a number");
}

PW_MSGS_HANDLER void read_nat(pw_msgs_map *mp)
{
    const char *nat = pw_msgs_val(mp, 2, 1);

    if (!nat)
        pw_msgs_warn(mp, "without a nationality");
    else if (mp->t->nationality)
        pw_msgs_warn(mp, "second nationality ignored");
    else
        mp->t->nationality = nat;
}

PW_MSGS_HANDLER void read_gei(pw_msgs_map *mp)
{
    const pw_edi_value *raw = pw_msgs_value(mp, 2, 1);
    const char *v = raw ? raw->text : NULL;
    uint32_t code = pw_msgs_vcode(raw);

    /* GEI 4: 173 the data was checked against the document, 174 not. */
    if (code == PW_CODE3('1', '7', '3'))
        mp->t->verified = 1;
    else if (code == PW_CODE3('1', '7', '4'))
        mp->t->verified = 0;
    else
        pw_msgs_warn(mp, "indicator %.8s not read", v ? v : "(none)");
}

/* A bag count in s: 1 and the number in *n when it is one from 0 to
 * 9999 as strtol reads it (the whole text), else 0. One to four digits,
 * what nearly every sender writes, are read without strtol. */
static int bag_count(const char *s, long *n)
{
    char *end;
    long v = 0;
    size_t i = 0;

    for (; i < 5 && s[i] >= '0' && s[i] <= '9'; i++)
        v = v * 10 + (s[i] - '0');
    if (i >= 1 && i <= 4 && !s[i]) {
        *n = v;
        return 1;
    }
    *n = strtol(s, &end, 10);
    return !*end && *n >= 0 && *n <= 9999;
}

PW_MSGS_HANDLER void read_mea(pw_msgs_map *mp)
{
    const char *q;
    uint32_t code = pw_msgs_qual(mp, &q);
    const char *unit = pw_msgs_val(mp, 3, 1);
    const char *v = pw_msgs_val(mp, 3, 2);
    long n;

    if (!v) {
        pw_msgs_warn(mp, "without a value");
    } else if (code == PW_CODE2('C', 'T')) {
        /* MEA CT: number of checked bags. */
        if (!bag_count(v, &n))
            pw_msgs_warn(mp, "bag count is not a number");
        else
            mp->t->bags = (int)n;
    } else if (code == PW_CODE2('W', 'T')) {
        mp->t->bag_weight = pw_msgs_cat(mp, v, ' ', unit);
    } else {
        pw_msgs_warn(mp, "qualifier %.8s not read", q ? q : "(none)");
    }
}

/* FTX BAG: the first bag tag and how many follow it in sequence. */
PW_MSGS_HANDLER void read_ftx(pw_msgs_map *mp)
{
    pw_traveller *t = mp->t;
    const char *q = pw_msgs_get(mp, 1, 1);
    const char *tag = pw_msgs_val(mp, 4, 1);
    const char *count = pw_msgs_get(mp, 4, 2);
    long n = -1;

    if (!pw_msgs_is(q, "BAG") || !tag) {
        pw_msgs_warn(mp, "free text %.8s not read", q ? q : "(none)");
        return;
    }
    if (mp->n_tags < mp->cap_tags &&
        (!t->bag_tags ||
         t->bag_tags + t->n_bag_tags == mp->tags + mp->n_tags)) {
        if (!t->bag_tags)
            t->bag_tags = mp->tags + mp->n_tags;
        mp->tags[mp->n_tags++] = tag;
        t->n_bag_tags++;
    }
    if (count && !bag_count(count, &n))
        pw_msgs_warn(mp, "bag count is not a number");
    else if (n >= 0 && t->bags < 0)
        t->bags = (int)n;
}

static const char **rff_slot(pw_traveller *t, uint32_t q)
{
    switch (q) {
    case PW_CODE3('A', 'V', 'F'):
        return &t->booking_ref; /* booking (PNR) locator */
    case PW_CODE3('A', 'B', 'O'):
        return &t->passenger_ref; /* carrier's unique passenger reference */
    case PW_CODE3('S', 'E', 'A'):
        return &t->seat;
    case PW_CODE2('C', 'R'):
        return &t->customer_ref;
    case PW_CODE3('A', 'E', 'A'):
        return &t->agency_ref;
    default:
        return NULL;
    }
}

PW_MSGS_HANDLER void read_rff(pw_msgs_map *mp)
{
    const char *q;
    const char **slot = rff_slot(mp->t, pw_msgs_qual(mp, &q));
    const char *v = pw_msgs_val(mp, 1, 2);

    if (!v)
        pw_msgs_warn(mp, "without a reference");
    else if (slot)
        *slot = v;
    else
        pw_msgs_warn(mp, "qualifier %.8s not read", q ? q : "(none)");
}

/* EMP: the job category (C948) or occupation (C951), as a description
 * when sent, else as a code; for crew it is the rank or rating. */
PW_MSGS_HANDLER void read_emp(pw_msgs_map *mp)
{
    static const unsigned order[][2] = {{2, 4}, {3, 4}, {2, 1}, {3, 1}, {5, 1}};
    const char *v = NULL;

    for (size_t i = 0; !v && i < sizeof(order) / sizeof(order[0]); i++)
        v = pw_msgs_val(mp, order[i][0], order[i][1]);
    if (v)
        mp->t->occupation = v;
    else
        pw_msgs_warn(mp, "without an occupation");
}

PW_MSGS_HANDLER void read_person_com(pw_msgs_map *mp)
{
    pw_traveller *t = mp->t;
    size_t n;
    pw_contact *c = pw_msgs_com(mp, &n);

    if (!n)
        return;
    if (!t->contacts)
        t->contacts = c;
    t->n_contacts += n;
}

static const char *contact_type(const char *code)
{
    if (pw_msgs_is(code, "TE"))
        return "phone";
    if (pw_msgs_is(code, "FX"))
        return "fax";
    if (pw_msgs_is(code, "EM"))
        return "email";
    return code;
}

pw_contact *pw_msgs_com(pw_msgs_map *mp, size_t *n)
{
    pw_contact *first = mp->contacts + mp->n_contacts;
    const pw_edi_segment *s = mp->seg;

    *n = 0;
    /* C076 repeats as elements (D02B) or as repetitions (syntax 4). */
    for (unsigned e = 1; e <= s->n_elements; e++) {
        unsigned reps = pw_edi_repetitions(s, e);
        for (unsigned r = 0; r < reps; r++) {
            const char *v = pw_msgs_dup(mp, pw_edi_get_rep(s, e, r, 1));
            if (!v || mp->n_contacts >= mp->cap_contacts)
                continue;
            mp->contacts[mp->n_contacts].value = v;
            mp->contacts[mp->n_contacts].type =
                pw_msgs_dup(mp, contact_type(pw_edi_get_rep(s, e, r, 2)));
            mp->n_contacts++;
            (*n)++;
        }
    }
    return first;
}

static inline __attribute__((always_inline)) int person_segment(pw_msgs_map *mp)
{
    switch (pw_msgs_tag(mp->seg)) {
    case PW_TAG('A', 'T', 'T'):
        read_att(mp);
        break;
    case PW_TAG('D', 'T', 'M'):
        read_person_dtm(mp);
        break;
    case PW_TAG('L', 'O', 'C'):
        read_person_loc(mp);
        break;
    case PW_TAG('D', 'O', 'C'):
        read_doc(mp);
        break;
    case PW_TAG('N', 'A', 'T'):
        read_nat(mp);
        break;
    case PW_TAG('G', 'E', 'I'):
        read_gei(mp);
        break;
    case PW_TAG('M', 'E', 'A'):
        read_mea(mp);
        break;
    case PW_TAG('F', 'T', 'X'):
        read_ftx(mp);
        break;
    case PW_TAG('R', 'F', 'F'):
        read_rff(mp);
        break;
    case PW_TAG('E', 'M', 'P'):
        read_emp(mp);
        break;
    case PW_TAG('C', 'O', 'M'):
        read_person_com(mp);
        break;
    default:
        return 0;
    }
    return 1;
}

int pw_msgs_person_segment(pw_msgs_map *mp)
{
    return person_segment(mp);
}

/* Every segment of a traveller passes through the switch of
 * person_segment: in this loop the readers are inlined and registers
 * are saved once per traveller, not once per segment. */
const pw_edi_segment *pw_msgs_person_run(pw_msgs_map *mp,
                                         const pw_edi_segment *s,
                                         const pw_edi_segment *end)
{
    for (; s < end && mp->rc == PW_OK; s++) {
        mp->seg = s;
        if (!person_segment(mp))
            break;
    }
    return s;
}

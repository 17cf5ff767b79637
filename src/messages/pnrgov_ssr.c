/* PNRGOV travellers and their free text: TIF names, SSR requests (DOCS,
 * DOCO, DOCA, INFT, FQTV, CTCE/CTCM, SEAT), IFT remarks and ADD
 * addresses, with the sensitive-data filter applied before anything is
 * copied. */
#include <stdint.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "messages/pnrgov_int.h"

#define MAX_FIELDS 12

/* SSR element 1 (C334): 1 code, 2 status, 3 quantity, 4 carrier,
 * 7 board point, 8 off point, 9 free text. Elements 2 and on (C332):
 * 1 detail such as a seat, 3 traveller reference. */
enum { SSR_TEXT = 9 };

void pnr_contact(pnr_map *mp, const char *type, const char *value)
{
    pw_booking *b = mp->b;
    pw_contact *c;

    if (!value)
        return;
    c = pnr_push(mp, (void **)&b->contacts, &b->n_contacts, &mp->caps.contacts,
                 sizeof(*c));
    if (c) {
        c->type = type;
        c->value = value;
    }
}

/* Splits s (writable, the message's own) at '/' into at most
 * MAX_FIELDS fields, after one leading '/'; returns the count. Each
 * field is then trimmed where it lies (field()), so the text is read
 * once. */
static int split_scan(const char *s, char *f[MAX_FIELDS], size_t n[MAX_FIELDS])
{
    int k = 0;

    while (k < MAX_FIELDS) {
        const char *e = strchr(s, '/');
        f[k] = (char *)s;
        n[k] = e ? (size_t)(e - s) : strlen(s);
        k++;
        if (!e)
            break;
        s = e + 1;
    }
    return k;
}

/* As split_scan for the len bytes of s whose '/' are the bits of m. */
static int split_mask(char *s, size_t len, uint64_t m, char *f[MAX_FIELDS],
                      size_t n[MAX_FIELDS])
{
    size_t from = 0;
    int k = 0;

    for (; m && k < MAX_FIELDS; m &= m - 1) {
        size_t at = (size_t)__builtin_ctzll(m);
        f[k] = s + from;
        n[k++] = at - from;
        from = at + 1;
    }
    if (k < MAX_FIELDS) {
        f[k] = s + from;
        n[k++] = len - from;
    }
    return k;
}

/* s holds len bytes before its NUL. A DOCS text is some fifty bytes
 * with ten fields: where the '/' lie is found sixteen bytes at a time
 * into one word, whose bits then give the fields, instead of a search
 * for each. A text of 64 bytes or more, or one with a NUL inside, is
 * searched field by field. */
static int split(char *s, size_t len, char *f[MAX_FIELDS], size_t n[MAX_FIELDS])
{
    if (len && *s == '/') {
        s++;
        len--;
    }
#if defined(__SSE2__)
    if (len >= 16 && len < 64) {
        uint64_t m = 0, z = 0;

        /* the last block ends at the text's end, overlapping the one
         * before: its bits are set twice, which changes nothing */
        for (size_t i = 0; i < len; i += 16) {
            size_t at = i + 16 <= len ? i : len - 16;
            __m128i x =
                _mm_loadu_si128((const __m128i *)(const void *)(s + at));
            m |= (uint64_t)(unsigned)_mm_movemask_epi8(
                     _mm_cmpeq_epi8(x, _mm_set1_epi8('/')))
                 << at;
            z |= (uint64_t)(unsigned)_mm_movemask_epi8(
                     _mm_cmpeq_epi8(x, _mm_setzero_si128()))
                 << at;
        }
        if (!z)
            return split_mask(s, len, m, f, n);
    }
#endif
    return split_scan(s, f, n);
}

/* Field i trimmed where it lies. Without line breaks in the message's
 * values only spaces can be trimmed, and nothing needs to move. */
static const char *field(const pnr_map *mp, char *f[], size_t n[], int k, int i)
{
    char *s;
    size_t len;

    if (i >= k)
        return NULL;
    if (mp->copy_breaks)
        return pnr_trim(f[i], n[i]);
    s = f[i];
    len = n[i];
    while (len && *s == ' ') {
        s++;
        len--;
    }
    while (len && s[len - 1] == ' ')
        len--;
    if (!len)
        return NULL;
    s[len] = '\0';
    return s;
}

static const char *doc_type_name(const char *t)
{
    static const struct {
        const char *code, *name;
    } map[] = {{"P", "passport"}, {"V", "visa"},         {"I", "id_card"},
               {"IP", "id_card"}, {"A", "crew_card"},    {"AC", "crew_card"},
               {"C", "permit"},   {"F", "facilitation"}, {"M", "military"}};

    for (size_t i = 0; t && i < sizeof(map) / sizeof(map[0]); i++)
        if (!strcmp(t, map[i].code))
            return map[i].name;
    return NULL;
}

static const char *ssr_ref(pnr_map *mp)
{
    for (unsigned e = 2; e <= mp->seg->n_elements; e++) {
        const char *r = pnr_get(mp, e, 3);
        if (r)
            return pnr_dup(mp, r, strlen(r));
    }
    return NULL;
}

static pnr_doc *new_doc(pnr_map *mp)
{
    pnr_doc *d = pnr_push(mp, (void **)&mp->docs, &mp->n_docs, &mp->caps.docs,
                          sizeof(*d));

    if (!d)
        return NULL;
    d->ref = ssr_ref(mp);
    d->group = mp->ctx == PNR_TIF || mp->ctx == PNR_TKT || mp->ctx == PNR_FOP
                   ? mp->tr
                   : -1;
    d->seg = mp->seg;
    d->doc.check_digits = -1;
    return d;
}

/* As strchr("MFUX", c) != NULL, NUL included, without a call. */
static int is_sex_letter(char c)
{
    return c == 'M' || c == 'F' || c == 'U' || c == 'X' || c == '\0';
}

static const char *sex_of(pnr_map *mp, const char *s, size_t n, int *infant)
{
    /* DOCS gender: M, F, U, X; MI and FI for an infant */
    *infant = n == 2 && s[1] == 'I';
    if (n == 0)
        return NULL;
    if (!is_sex_letter(s[0]) || n > 2 || (n == 2 && s[1] != 'I')) {
        pnr_warn(mp, "DOCS gender %.*s is not M, F, U, X, MI or FI",
                 (int)(n > 2 ? 2 : n), s);
        return NULL;
    }
    /* one of four letters: kept as a constant, not copied */
    switch (s[0]) {
    case 'M':
        return "M";
    case 'F':
        return "F";
    case 'U':
        return "U";
    default:
        return "X";
    }
}

static const char *join_names(pnr_map *mp, const char *a, const char *b)
{
    if (!b)
        return a;
    if (!a)
        return b;
    return pnr_cat(mp, a, " ", b);
}

/* DOCS: /type/issuer/number/nationality/birth/sex/expiry/surname/
 * given/middle/holder. */
static void ssr_docs(pnr_map *mp, char *text, size_t len)
{
    char *f[MAX_FIELDS];
    size_t n[MAX_FIELDS];
    int k = split(text, len, f, n);
    pnr_doc *d = new_doc(mp);

    if (!d)
        return;
    if (k < 8)
        pnr_warn(mp, "DOCS with %d of its 10 fields", k);
    d->doc.type = field(mp, f, n, k, 0);
    d->doc.type_name = doc_type_name(d->doc.type);
    d->doc.issuer = field(mp, f, n, k, 1);
    d->doc.number = field(mp, f, n, k, 2);
    d->nationality = field(mp, f, n, k, 3);
    if (k > 4 && n[4] && !(d->birth = pnr_ssr_date(mp, f[4], n[4], 1)))
        pnr_warn(mp, "DOCS birth date is not DDMMMYY, ignored");
    d->sex = k > 5 ? sex_of(mp, f[5], n[5], &d->infant) : NULL;
    if (k > 6 && n[6] && !(d->doc.expiry = pnr_ssr_date(mp, f[6], n[6], 0)))
        pnr_warn(mp, "DOCS expiry date is not DDMMMYY, ignored");
    d->surname = field(mp, f, n, k, 7);
    d->given = join_names(mp, field(mp, f, n, k, 8), field(mp, f, n, k, 9));
}

/* DOCO: /birth place/type/number/place of issue/date of issue/
 * country where valid/infant. */
static void ssr_doco(pnr_map *mp, char *text, size_t len)
{
    char *f[MAX_FIELDS];
    size_t n[MAX_FIELDS];
    int k = split(text, len, f, n);
    pnr_doc *d = new_doc(mp);

    if (!d)
        return;
    d->visa = 1;
    d->birth_place = field(mp, f, n, k, 0);
    d->doc.type = field(mp, f, n, k, 1);
    d->doc.type_name = doc_type_name(d->doc.type);
    d->doc.number = field(mp, f, n, k, 2);
    if (k > 4 && n[4])
        d->doc.issued = pnr_ssr_date(mp, f[4], n[4], 0);
    d->doc.issuer = field(mp, f, n, k, 5);
    d->infant = k > 6 && n[6] && f[6][0] == 'I';
}

static int target_traveller(pnr_map *mp)
{
    int t = pnr_traveller_by_ref(mp, ssr_ref(mp));

    if (t < 0 && mp->ctx == PNR_TIF)
        t = mp->tr;
    return t;
}

/* DOCA: /R or D/country/street/city/region/postcode. */
static void ssr_doca(pnr_map *mp, char *text, size_t len)
{
    char *f[MAX_FIELDS];
    size_t n[MAX_FIELDS];
    int k = split(text, len, f, n);
    int t = target_traveller(mp);
    pw_address a = {0};
    pw_booking *b = mp->b;

    a.country = field(mp, f, n, k, 1);
    a.street = field(mp, f, n, k, 2);
    a.city = field(mp, f, n, k, 3);
    a.region = field(mp, f, n, k, 4);
    a.postcode = field(mp, f, n, k, 5);
    if (t >= 0 && k > 0 && n[0] == 1 && f[0][0] == 'R') {
        b->travellers[t].address = a;
        b->travellers[t].residence = a.country;
        return;
    }
    pw_address *p = pnr_push(mp, (void **)&b->addresses, &b->n_addresses,
                             &mp->caps.addresses, sizeof(*p));
    if (p)
        *p = a;
}

/* One seat of SSR SEAT: element e's detail (seat) and traveller
 * reference (ref), either NULL. */
static inline void seat_one(pnr_map *mp, const pw_edi_value *seat,
                            const pw_edi_value *ref)
{
    pw_booking *b = mp->b;
    pw_seat *s;

    if (!seat)
        return;
    s = pnr_push(mp, (void **)&b->seats, &b->n_seats, &mp->caps.seats,
                 sizeof(*s));
    if (!s)
        return;
    s->seat = pnr_take(mp, seat);
    s->traveller = pnr_traveller_by_ref(mp, ref ? ref->text : NULL);
    s->flight = mp->ctx == PNR_TVL ? mp->fl : -1;
    if (pnr_seat_seen(mp, s))
        b->n_seats--;
}

/* Elements 2 to n_elements, one seat each, in one pass over the values
 * from v, the first past element 1 (they sort by element): the first
 * component 1 and 3 (repetition 0) of each element are its seat and
 * its traveller. */
static void ssr_seat(pnr_map *mp, const pw_edi_value *v)
{
    const pw_edi_value *end = mp->seg->values + mp->seg->n_values;
    const pw_edi_value *seat = NULL, *ref = NULL;
    unsigned at = 0, last = mp->seg->n_elements;

    for (; v < end && v->element <= last; v++) {
        if (v->element < 2)
            continue;
        if (v->element != at) {
            seat_one(mp, seat, ref);
            if (mp->rc != PW_OK)
                return;
            at = v->element;
            seat = ref = NULL;
        }
        if (v->repetition)
            continue;
        if (v->component == 1 && !seat)
            seat = v;
        else if (v->component == 3 && !ref)
            ref = v;
    }
    seat_one(mp, seat, ref);
}

static void ssr_fqtv(pnr_map *mp, const char *text)
{
    pw_booking *b = mp->b;
    pw_loyalty *l =
        pnr_push(mp, (void **)&b->frequent_flyer, &b->n_frequent_flyer,
                 &mp->caps.loyalty, sizeof(*l));

    if (!l)
        return;
    l->carrier = pnr_val(mp, 1, 4);
    l->number = text ? pnr_dup(mp, text, strlen(text)) : NULL;
    l->traveller = target_traveller(mp);
}

/* CTCE text writes '@' as "//", '_' as "..", '-' as "./". */
static const char *email_of(pnr_map *mp, const char *s)
{
    size_t n = strlen(s), k = 0;
    char *p = pnr_str(mp, n + 1);

    if (!p)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        /* Every byte that is changed or dropped sorts at or before '/':
         * one compare lets the letters and digits through. */
        if ((unsigned char)s[i] > '/') {
            p[k++] = s[i];
            continue;
        }
        if (s[i] == ' ' || s[i] == '\r' || s[i] == '\n')
            continue;
        if (s[i] == '/' && s[i + 1] == '/')
            p[k++] = '@', i++;
        else if (s[i] == '.' && s[i + 1] == '.')
            p[k++] = '_', i++;
        else if (s[i] == '.' && s[i + 1] == '/')
            p[k++] = '-', i++;
        else
            p[k++] = s[i];
    }
    p[k] = '\0';
    return k ? p : NULL;
}

/* An infant named only in SSR INFT (SURNAME/GIVEN/DDMMMYY) is held as
 * a document-less entry so that it becomes a traveller at the end. */
static void ssr_inft(pnr_map *mp, char *text, size_t len)
{
    char *f[MAX_FIELDS];
    size_t n[MAX_FIELDS];
    int k = split(text, len, f, n);
    pnr_doc *d;

    if (k < 2)
        return;
    d = new_doc(mp);
    if (!d)
        return;
    d->infant = 1;
    d->visa = 2; /* a name, no document */
    d->surname = field(mp, f, n, k, 0);
    d->given = field(mp, f, n, k, 1);
    if (k > 2 && n[2])
        d->birth = pnr_ssr_date(mp, f[2], n[2], 1);
}

#define CODE(a, b, c, d)                                                       \
    ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 |          \
     (uint32_t)(d))

/* The code packed for a switch; 0 when it is not four bytes. */
static uint32_t code_key(const pw_edi_value *v)
{
    const unsigned char *c = (const unsigned char *)v->text;

    return v->len == 4 ? CODE(c[0], c[1], c[2], c[3]) : 0;
}

/* Codes whose text is structured personal data, not free text: the
 * word patterns are not applied to them (a surname is not a remark). */
static int structured(uint32_t k)
{
    switch (k) {
    case CODE('D', 'O', 'C', 'S'):
    case CODE('D', 'O', 'C', 'O'):
    case CODE('D', 'O', 'C', 'A'):
    case CODE('I', 'N', 'F', 'T'):
    case CODE('F', 'Q', 'T', 'V'):
    case CODE('C', 'T', 'C', 'E'):
    case CODE('C', 'T', 'C', 'M'):
    case CODE('C', 'T', 'C', 'H'):
    case CODE('C', 'T', 'C', 'B'):
    case CODE('S', 'E', 'A', 'T'):
    case CODE('N', 'S', 'S', 'T'):
    case CODE('S', 'M', 'S', 'T'):
    case CODE('T', 'K', 'N', 'E'):
    case CODE('F', 'O', 'I', 'D'):
        return 1;
    default:
        return 0;
    }
}

/* SEAT, and the no-smoking (NSST, NSSA aisle, NSSW window, NSSB
 * bulkhead) and smoking (SMST) seat requests that older systems send. */
static int is_seat_code(uint32_t k)
{
    return k == CODE('S', 'E', 'A', 'T') || k == CODE('S', 'M', 'S', 'T') ||
           (k >> 8) == (CODE('N', 'S', 'S', 0) >> 8);
}

/* Readers that split the text at '/' take the message's own copy. */
static void ssr_split(pnr_map *mp, uint32_t k, const pw_edi_value *tv)
{
    char *t = pnr_mut(mp, tv->text, tv->len);

    if (!t)
        return;
    if (k == CODE('D', 'O', 'C', 'S'))
        ssr_docs(mp, t, tv->len);
    else if (k == CODE('D', 'O', 'C', 'O'))
        ssr_doco(mp, t, tv->len);
    else if (k == CODE('D', 'O', 'C', 'A'))
        ssr_doca(mp, t, tv->len);
    else
        ssr_inft(mp, t, tv->len);
}

/* One switch on the packed code rather than a chain of compares: the
 * mapping meets an SSR in nearly every PNR group. */
static void ssr_keep(pnr_map *mp, const pw_edi_value *cv,
                     const pw_edi_value *tv, const pw_edi_value *rest)
{
    uint32_t k = code_key(cv);
    const char *text = tv ? tv->text : NULL;

    if (is_seat_code(k)) {
        ssr_seat(mp, rest);
        return;
    }
    if (k == CODE('F', 'Q', 'T', 'V')) {
        ssr_fqtv(mp, text);
        return;
    }
    if (!text)
        return;
    switch (k) {
    case CODE('D', 'O', 'C', 'S'):
    case CODE('D', 'O', 'C', 'O'):
    case CODE('D', 'O', 'C', 'A'):
    case CODE('I', 'N', 'F', 'T'):
        ssr_split(mp, k, tv);
        break;
    case CODE('C', 'T', 'C', 'E'):
        pnr_contact(mp, "email", email_of(mp, text));
        break;
    default:
        if (cv->len >= 3 && !memcmp(cv->text, "CTC", 3))
            pnr_contact(mp, "phone", pnr_dup(mp, text, tv->len));
    }
}

/* pw_sensitive_code of the code, remembered for four-byte codes (k,
 * the code's bytes packed) so that each is looked up once a message. */
static pw_sensitive_class code_class(pnr_map *mp, uint32_t k, const char *text)
{
    unsigned slot = (k * 2654435761u) >> 26;
    pw_sensitive_class c;

    if (k && mp->code_seen[slot] == k)
        return (pw_sensitive_class)mp->code_class[slot];
    c = pw_sensitive_code(mp->filter, text);
    if (k) {
        mp->code_seen[slot] = k;
        mp->code_class[slot] = (uint8_t)c;
    }
    return c;
}

void pnr_ssr(pnr_map *mp)
{
    const pw_edi_value *cv = NULL, *tv = NULL;
    const pw_edi_value *v = mp->seg->values, *end = v + mp->seg->n_values;
    uint32_t k;

    /* the code and the text in one pass over element 1 */
    for (; v < end && v->element <= 1; v++) {
        if (v->element != 1 || v->repetition)
            continue;
        if (v->component == 1)
            cv = v;
        else if (v->component == SSR_TEXT)
            tv = v;
    }

    if (!cv) {
        pnr_warn(mp, "without a code, ignored");
        return;
    }
    k = code_key(cv);
    /* Dropped unread: only counted, and cleared from the message's copy
     * of its texts. */
    if (code_class(mp, k, cv->text) != PW_SENS_NONE) {
        mp->m->sensitive_dropped++;
        pnr_wipe(mp);
        return;
    }
    if (!structured(k) && tv && pnr_sensitive_text(mp, tv->text)) {
        pnr_wipe(mp);
        return;
    }
    if (mp->ctx == PNR_SAC || mp->ctx == PNR_SAC_TVL || mp->ctx == PNR_ABI) {
        pnr_history(mp, "ssr", pnr_dup(mp, cv->text, cv->len));
        return;
    }
    ssr_keep(mp, cv, tv, v);
}

/* The remark's lines: component 1 (repetition 0) of elements 2 on, in
 * their order. */
static int is_ift_line(const pw_edi_value *v)
{
    return v->element >= 2 && v->component == 1 && !v->repetition;
}

static const char *ift_text(pnr_map *mp)
{
    const char *t = NULL;
    const pw_edi_value *v = mp->seg->values, *end = v + mp->seg->n_values;

    for (; v < end; v++) {
        const char *s = is_ift_line(v) ? pnr_take(mp, v) : NULL;
        if (s)
            t = t ? pnr_cat(mp, t, " ", s) : s;
    }
    return t;
}

/* An OSI may carry a contact: "CTCE NAME//HOST.COM", "CTCM 0044...". */
static int osi_contact(pnr_map *mp, const char *t)
{
    /* the OSI may start with the airline it is addressed to: "YY " */
    if (strlen(t) > 8 && t[2] == ' ' && !strncmp(t + 3, "CTC", 3))
        t += 3;
    if (strncmp(t, "CTC", 3) || strlen(t) < 6 || t[4] != ' ')
        return 0;
    if (t[3] == 'E')
        pnr_contact(mp, "email", email_of(mp, t + 5));
    else
        pnr_contact(mp, "phone", pnr_dup(mp, t + 5, strlen(t + 5)));
    return 1;
}

static void ift_sponsor(pnr_map *mp)
{
    pw_payment *p;

    if (mp->ctx != PNR_FOP || mp->pay < 0) {
        pnr_warn(mp, "sponsor (4:43) outside a payment group, ignored");
        return;
    }
    p = &mp->b->payments[mp->pay];
    p->payer = pnr_val(mp, 2, 1);
    p->billing = pnr_val(mp, 3, 1);
}

/* Every line is checked by the filter before any is taken, so that
 * nothing of a dropped remark is joined and kept; the same pass finds
 * the first line of element 2 and whether there is only one line, which
 * is then taken without a second pass. */
static void ift_remark(pnr_map *mp)
{
    const char *raw = NULL, *t, **r;
    pw_booking *b = mp->b;
    const pw_edi_value *v = mp->seg->values, *end = v + mp->seg->n_values;
    const pw_edi_value *first = NULL;
    int lines = 0;

    for (; v < end; v++) {
        if (!is_ift_line(v))
            continue;
        if (pnr_sensitive_text(mp, v->text)) {
            pnr_wipe(mp);
            return;
        }
        if (v->element == 2 && !raw)
            raw = v->text;
        if (!lines++)
            first = v;
    }
    t = lines == 1 ? pnr_take(mp, first) : ift_text(mp);
    if (!t || !raw)
        return;
    if (mp->ctx == PNR_SAC || mp->ctx == PNR_SAC_TVL) {
        pnr_history(mp, "remark", t);
        return;
    }
    if (osi_contact(mp, t))
        return;
    r = pnr_push(mp, (void **)&b->remarks, &b->n_remarks, &mp->caps.remarks,
                 sizeof(*r));
    if (r)
        *r = t;
}

void pnr_ift(pnr_map *mp)
{
    const char *kind = pnr_get(mp, 1, 2);

    /* IFT 4451: 15 fare calculation (not kept), 43 sponsor, 28 OSI and
     * other remarks. */
    if (pw_msgs_is(kind, "15"))
        return;
    if (pw_msgs_is(kind, "43")) {
        ift_sponsor(mp);
        return;
    }
    ift_remark(mp);
}

static const struct {
    const char *s;
    size_t n;
} titles[] = {{"MRS", 3}, {"MSTR", 4}, {"MISS", 4}, {"MR", 2}, {"MS", 2},
              {"DR", 2},  {"PROF", 4}, {"CHD", 3},  {"INF", 3}};

/* 1 when the first k bytes of s and title agree; a title is two to four
 * bytes, fewer than a library call costs. */
static int same_bytes(const char *s, const char *title, size_t k)
{
    for (size_t i = 0; i < k; i++)
        if (s[i] != title[i])
            return 0;
    return 1;
}

/* A title after the given names, "JOHN MR" or glued "JOHNMR"; only
 * the longer titles are taken when glued, since many names end in MS
 * or DR. The last byte is compared first: most names end in none. */
static const char *split_title(char *given)
{
    size_t n = strlen(given);

    for (size_t i = 0; n && i < sizeof(titles) / sizeof(titles[0]); i++) {
        size_t t = titles[i].n;
        int spaced, glued;
        if (n <= t || given[n - 1] != titles[i].s[t - 1] ||
            !same_bytes(given + n - t, titles[i].s, t - 1))
            continue;
        spaced = n > t + 1 && given[n - t - 1] == ' ';
        glued = n >= t + 3 && i < 4;
        if (!spaced && !glued)
            continue;
        given[n - t - (spaced ? 1 : 0)] = '\0';
        return titles[i].s;
    }
    return NULL;
}

static int new_traveller(pnr_map *mp)
{
    pw_booking *b = mp->b;
    size_t n = b->n_travellers;
    pw_traveller *t = pnr_push(mp, (void **)&b->travellers, &b->n_travellers,
                               &mp->caps.travellers, sizeof(*t));
    pw_booking_traveller *x = t ? pnr_push(mp, (void **)&b->traveller_extra, &n,
                                           &mp->caps.extra, sizeof(*x))
                                : NULL;

    if (!x)
        return -1;
    t->bags = -1;
    t->verified = -1;
    t->segment = mp->seg->number;
    x->accompanied_by = -1;
    return (int)b->n_travellers - 1;
}

static int is_infant_type(const char *t)
{
    return pw_msgs_is(t, "IN") || pw_msgs_is(t, "INF") || pw_msgs_is(t, "I");
}

/* The values of TIF: 1 surname : qualifier, 2 given names : type :
 * reference, found in one pass. */
typedef struct tif_vals {
    const pw_edi_value *v[3][4];
} tif_vals;

static void tif_fill(const pnr_map *mp, tif_vals *t)
{
    const pw_edi_value *v = mp->seg->values, *end = v + mp->seg->n_values;

    /* only the slots read are cleared: others are never looked at */
    t->v[1][1] = t->v[1][2] = NULL;
    t->v[2][1] = t->v[2][2] = t->v[2][3] = NULL;
    for (; v < end && v->element < 3; v++)
        if (!v->repetition && v->component < 4)
            t->v[v->element][v->component] = v;
}

static void tif_person(pnr_map *mp, const tif_vals *tv)
{
    int i = new_traveller(mp);
    pw_traveller *t;
    pw_booking_traveller *x;
    char *given;

    if (i < 0)
        return;
    t = &mp->b->travellers[i];
    x = &mp->b->traveller_extra[i];
    t->surname = pnr_take_of(mp, tv->v[1][1]);
    given = (char *)pnr_take_of(mp, tv->v[2][1]);
    x->title = given ? split_title(given) : NULL;
    t->given_names = given && *given ? given : NULL;
    x->type = pnr_take_of(mp, tv->v[2][2]);
    t->role_code = x->type;
    t->passenger_ref = pnr_take_of(mp, tv->v[2][3]);
    x->infant = is_infant_type(x->type);
    if (x->infant && mp->tr >= 0)
        x->accompanied_by = mp->tr;
    if (!t->surname)
        pnr_warn(mp, "without a surname");
    mp->tr = i;
    mp->tk = mp->pay = -1;
    mp->ctx = PNR_TIF;
}

static int same_name(const char *a, const char *b)
{
    if (!a || !b)
        return 0;
    while (*a && *b) {
        if (*a == ' ') {
            a++;
            continue;
        }
        if (*b == ' ') {
            b++;
            continue;
        }
        if (*a++ != *b++)
            return 0;
    }
    while (*a == ' ')
        a++;
    while (*b == ' ')
        b++;
    return *a == *b;
}

/* A TIF inside a check-in (Gr7) names who checked in. */
static void tif_checkin(pnr_map *mp, const tif_vals *tv)
{
    const char *ref = pnr_text_of(tv->v[2][3]);
    const char *sur = pnr_text_of(tv->v[1][1]);
    int t = pnr_traveller_by_ref(mp, ref);

    for (size_t i = 0; t < 0 && i < mp->b->n_travellers; i++)
        if (same_name(mp->b->travellers[i].surname, sur))
            t = (int)i;
    mp->tri_tr = t;
    if (mp->chk >= 0)
        mp->b->checkins[mp->chk].traveller = t;
    if (t < 0)
        pnr_warn(mp, "checked-in traveller not found in the PNR");
}

void pnr_tif(pnr_map *mp)
{
    tif_vals tv;

    tif_fill(mp, &tv);
    if (mp->ctx == PNR_TRI) {
        tif_checkin(mp, &tv);
        return;
    }
    if (mp->ctx == PNR_SAC || mp->ctx == PNR_SAC_TVL) {
        pnr_history(mp, "name",
                    join_names(mp, pnr_take_of(mp, tv.v[1][1]),
                               pnr_take_of(mp, tv.v[2][1])));
        return;
    }
    /* TIF 1.2 G: the name of a group booking, not a person */
    if (pw_msgs_is(pnr_text_of(tv.v[1][2]), "G")) {
        mp->b->group_name = pnr_take_of(mp, tv.v[1][1]);
        return;
    }
    tif_person(mp, &tv);
}

static int looks_like_phone(const char *s)
{
    size_t digits = 0;

    for (; *s; s++)
        digits += *s >= '0' && *s <= '9';
    return digits >= 6;
}

static void add_one(pnr_map *mp, const pw_edi_value *at[9])
{
    const char *line;
    pw_address a = {0};
    pw_booking *b = mp->b;
    pw_address *p;

    /* ADD C031: 1 purpose, 2 street, 3 city, 4 region, 6 country,
     * 7 postcode, 8 telephone or free text */
    a.street = pnr_take_of(mp, at[2]);
    a.city = pnr_take_of(mp, at[3]);
    a.region = pnr_take_of(mp, at[4]);
    a.country = pnr_take_of(mp, at[6]);
    a.postcode = pnr_take_of(mp, at[7]);
    line = pnr_take_of(mp, at[8]);
    /* Component 8 holds a telephone number in most files, a postcode
     * in some: only what has the digits of a number is a phone. */
    if (line && !looks_like_phone(line) && !a.postcode)
        a.postcode = line;
    else
        pnr_contact(mp, "phone", line);
    if (!a.street && !a.city && !a.region && !a.country && !a.postcode)
        return;
    if (mp->ctx == PNR_TIF && mp->tr >= 0 &&
        !b->travellers[mp->tr].address.street) {
        b->travellers[mp->tr].address = a;
        return;
    }
    p = pnr_push(mp, (void **)&b->addresses, &b->n_addresses,
                 &mp->caps.addresses, sizeof(*p));
    if (p)
        *p = a;
}

void pnr_add(pnr_map *mp)
{
    const pw_edi_value *v = mp->seg->values, *at[9];

    for (unsigned e = 1; e <= mp->seg->n_elements; e++) {
        v = pnr_element(mp, v, e, at, 9);
        add_one(mp, at);
    }
}

/* The fields a rule may name, how each is read from a subject, and the
 * fields and words the checker refuses as protected characteristics. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rules_int.h"

static int put_text(rl_value *v, const char *s)
{
    if (!s || !*s)
        return 0;
    v->type = VT_TEXT;
    v->s = s;
    v->len = strlen(s);
    return 1;
}

static int put_num(rl_value *v, double x)
{
    v->type = VT_NUMBER;
    v->num = x;
    return 1;
}

static int put_date(rl_value *v, const char *s)
{
    int date_only;

    if (!s || !rl_parse_time(s, strlen(s), &v->t, &date_only))
        return 0;
    v->type = VT_DATE;
    return 1;
}

static const char *when(const pw_time *t)
{
    return t->utc ? t->utc : t->local;
}

/* The movement's departure: its first leg's, in seconds. */
static int departure(const pw_rule_subject *s, int64_t *t)
{
    rl_value v;

    if (!s->movement->n_legs ||
        !put_date(&v, when(&s->movement->legs[0].departure)))
        return 0;
    *t = v.t;
    return 1;
}

static size_t one(const pw_rule_subject *s)
{
    return 1;
}

static size_t n_docs(const pw_rule_subject *s)
{
    return s->traveller->n_documents;
}

static size_t n_legs(const pw_rule_subject *s)
{
    return s->movement->n_legs;
}

static size_t n_dwell(const pw_rule_subject *s)
{
    return s->movement->n_legs > 1 ? s->movement->n_legs - 1 : 0;
}

static size_t n_pay(const pw_rule_subject *s)
{
    return s->booking ? s->booking->n_payments : 0;
}

static size_t n_contacts(const pw_rule_subject *s)
{
    return s->booking ? s->booking->n_contacts : 0;
}

static size_t n_itin(const pw_rule_subject *s)
{
    return s->booking ? s->booking->n_itinerary : 0;
}

static size_t n_seats(const pw_rule_subject *s)
{
    return s->booking ? s->booking->n_seats : 0;
}

static size_t n_ff(const pw_rule_subject *s)
{
    return s->booking ? s->booking->n_frequent_flyer : 0;
}

static size_t n_booking(const pw_rule_subject *s)
{
    return s->booking != NULL;
}

/* Accessors of one member, as text or as a date, of each record. */
#define GET(name, expr, put)                                                   \
    static int name(const pw_rule_subject *s, size_t i, rl_value *v)           \
    {                                                                          \
        return put(v, (expr));                                                 \
    }

#define TR s->traveller
#define MV s->movement
#define BK s->booking
GET(t_surname, TR->surname, put_text)
GET(t_given, TR->given_names, put_text)
GET(t_sex, TR->sex, put_text)
GET(t_birth, TR->birth_date, put_date)
GET(t_nat, TR->nationality, put_text)
GET(t_res, TR->residence, put_text)
GET(t_bplace, TR->birth_place, put_text)
GET(t_emb, TR->embarkation, put_text)
GET(t_deb, TR->debarkation, put_text)
GET(t_clear, TR->clearance, put_text)
GET(t_role, pw_role_name(TR->role), put_text)
GET(t_seat, TR->seat, put_text)
GET(t_occ, TR->occupation, put_text)
GET(t_bref, TR->booking_ref, put_text)
GET(d_type, TR->documents[i].type, put_text)
GET(d_number, TR->documents[i].number, put_text)
GET(d_issuer, TR->documents[i].issuer, put_text)
GET(d_expiry, TR->documents[i].expiry, put_date)
GET(m_mode, pw_mode_name(MV->mode), put_text)
GET(m_carrier, MV->carrier, put_text)
GET(m_number, MV->number, put_text)
GET(m_vname, MV->vessel.name, put_text)
GET(m_vimo, MV->vessel.imo, put_text)
GET(m_vflag, MV->vessel.flag, put_text)
GET(m_final, MV->final_destination, put_text)
GET(l_from, MV->legs[i].from, put_text)
GET(l_to, MV->legs[i].to, put_text)
GET(l_dep, when(&MV->legs[i].departure), put_date)
GET(l_arr, when(&MV->legs[i].arrival), put_date)
GET(m_dep, MV->n_legs ? when(&MV->legs[0].departure) : NULL, put_date)
GET(m_arr, MV->n_legs ? when(&MV->legs[MV->n_legs - 1].arrival) : NULL,
    put_date)
GET(b_locator, BK->locator.locator, put_text)
GET(b_created, BK->created ? BK->created : BK->locator.created, put_date)
GET(p_type, BK->payments[i].type, put_text)
GET(p_currency, BK->payments[i].currency, put_text)
GET(p_card, BK->payments[i].card_type, put_text)
GET(i_from, BK->itinerary[i].from, put_text)
GET(i_to, BK->itinerary[i].to, put_text)
GET(i_carrier, BK->itinerary[i].carrier, put_text)
GET(i_dep, BK->itinerary[i].departure, put_date)
GET(b_seat, BK->seats[i].seat, put_text)
GET(f_carrier, BK->frequent_flyer[i].carrier, put_text)
GET(f_number, BK->frequent_flyer[i].number, put_text)
GET(a_agency,
    BK->agency.iata_number ? BK->agency.iata_number : BK->agency.office,
    put_text)
GET(a_country, BK->agency.country, put_text)

static int t_bags(const pw_rule_subject *s, size_t i, rl_value *v)
{
    return TR->bags >= 0 && put_num(v, TR->bags);
}

static int t_verified(const pw_rule_subject *s, size_t i, rl_value *v)
{
    if (TR->verified < 0)
        return 0;
    v->type = VT_BOOL;
    v->num = TR->verified;
    return 1;
}

static int d_digits(const pw_rule_subject *s, size_t i, rl_value *v)
{
    if (TR->documents[i].check_digits < 0)
        return 0;
    v->type = VT_BOOL;
    v->num = TR->documents[i].check_digits;
    return 1;
}

/* Year, month and day of an ISO date's first ten characters. */
static int ymd(const char *s, int *y, int *m, int *d)
{
    for (int i = 0; i < 10; i++)
        if (i == 4 || i == 7 ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
            return 0;
    *y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
         (s[3] - '0');
    *m = (s[5] - '0') * 10 + (s[6] - '0');
    *d = (s[8] - '0') * 10 + (s[9] - '0');
    return 1;
}

/* Whole years from the birth date to the departure date. */
static int t_age(const pw_rule_subject *s, size_t i, rl_value *v)
{
    const char *dep = MV->n_legs ? when(&MV->legs[0].departure) : NULL;
    int by, bm, bd, dy, dm, dd;

    if (!TR->birth_date || !dep || strlen(TR->birth_date) < 10 ||
        strlen(dep) < 10 || !ymd(TR->birth_date, &by, &bm, &bd) ||
        !ymd(dep, &dy, &dm, &dd))
        return 0;
    return put_num(v, dy - by - (dm * 100 + dd < bm * 100 + bd));
}

static int days_until(const pw_rule_subject *s, const char *date, rl_value *v,
                      int sign)
{
    rl_value d;
    int64_t dep;

    if (!put_date(&d, date) || !departure(s, &dep))
        return 0;
    return put_num(v, (double)(sign * (dep - d.t) / 86400));
}

static int d_valid(const pw_rule_subject *s, size_t i, rl_value *v)
{
    return days_until(s, TR->documents[i].expiry, v, -1);
}

static int b_days(const pw_rule_subject *s, size_t i, rl_value *v)
{
    return days_until(s, BK->created ? BK->created : BK->locator.created, v, 1);
}

/* Time on the ground between leg i's arrival and leg i+1's departure. */
static int m_dwell(const pw_rule_subject *s, size_t i, rl_value *v)
{
    rl_value a, d;

    if (!put_date(&a, when(&MV->legs[i].arrival)) ||
        !put_date(&d, when(&MV->legs[i + 1].departure)))
        return 0;
    v->type = VT_DURATION;
    v->t = d.t - a.t;
    return 1;
}

static int m_nlegs(const pw_rule_subject *s, size_t i, rl_value *v)
{
    return put_num(v, (double)MV->n_legs);
}

static int p_amount(const pw_rule_subject *s, size_t i, rl_value *v)
{
    const char *a = BK->payments[i].amount;
    char *end;
    double x;

    if (!a)
        return 0;
    x = strtod(a, &end);
    return end != a && put_num(v, x);
}

static int c_kind(const pw_rule_subject *s, size_t i, rl_value *v,
                  const char *kind)
{
    const pw_contact *c = &BK->contacts[i];

    return c->type && !strcmp(c->type, kind) && put_text(v, c->value);
}

static int c_email(const pw_rule_subject *s, size_t i, rl_value *v)
{
    return c_kind(s, i, v, "email");
}

static int c_phone(const pw_rule_subject *s, size_t i, rl_value *v)
{
    return c_kind(s, i, v, "phone");
}

static int b_bags(const pw_rule_subject *s, size_t i, rl_value *v)
{
    int sum = 0, any = 0;

    for (size_t k = 0; k < BK->n_bags; k++)
        if (BK->bags[k].count >= 0) {
            sum += BK->bags[k].count;
            any = 1;
        }
    return any && put_num(v, sum);
}

static int b_cotrav(const pw_rule_subject *s, size_t i, rl_value *v)
{
    return put_num(v, BK->n_travellers ? (double)BK->n_travellers - 1 : 0);
}

/* One way: the itinerary does not come back to where it began. */
static int b_oneway(const pw_rule_subject *s, size_t i, rl_value *v)
{
    const pw_flight *f = BK->itinerary;
    size_t n = BK->n_itinerary;

    if (!n || !f[0].from || !f[n - 1].to)
        return 0;
    v->type = VT_BOOL;
    v->num = strcmp(f[0].from, f[n - 1].to) != 0;
    return 1;
}

#define T VT_TEXT
#define N VT_NUMBER
#define D VT_DATE
#define B VT_BOOL
#define DU VT_DURATION
#define X F_DISCRIM
#define TRAIT F_TRAIT
#define PROT(name, why)                                                        \
    {                                                                          \
        name, T, 0, F_PROTECTED, NULL, NULL, why                               \
    }

static const char WHY_RELIGION[] = "reveals religion or belief";
static const char WHY_HEALTH[] = "reveals health";
static const char WHY_FREE[] =
    "is free text that can reveal religion, health or ethnic origin";

static const rl_field fields[] = {
    {"traveller.surname", T, 0, 0, one, t_surname, NULL},
    {"traveller.given_names", T, 0, 0, one, t_given, NULL},
    {"traveller.sex", T, 0, X | TRAIT, one, t_sex, NULL},
    {"traveller.birth_date", D, 0, 0, one, t_birth, NULL},
    {"traveller.age", N, 0, 0, one, t_age, NULL},
    {"traveller.nationality", T, 0, X | TRAIT, one, t_nat, NULL},
    {"traveller.residence", T, 0, X, one, t_res, NULL},
    {"traveller.birth_place", T, 0, TRAIT, one, t_bplace, NULL},
    {"traveller.embarkation", T, 0, X, one, t_emb, NULL},
    {"traveller.debarkation", T, 0, X, one, t_deb, NULL},
    {"traveller.clearance", T, 0, X, one, t_clear, NULL},
    {"traveller.role", T, 0, X, one, t_role, NULL},
    {"traveller.seat", T, 0, 0, one, t_seat, NULL},
    {"traveller.bags", N, 0, X, one, t_bags, NULL},
    {"traveller.verified", B, 0, X, one, t_verified, NULL},
    {"traveller.occupation", T, 0, 0, one, t_occ, NULL},
    {"traveller.booking_ref", T, 0, 0, one, t_bref, NULL},
    {"traveller.documents.type", T, 1, X, n_docs, d_type, NULL},
    {"traveller.documents.number", T, 1, 0, n_docs, d_number, NULL},
    {"traveller.documents.issuer", T, 1, X | TRAIT, n_docs, d_issuer, NULL},
    {"traveller.documents.expiry", D, 1, 0, n_docs, d_expiry, NULL},
    {"traveller.documents.valid_days", N, 1, 0, n_docs, d_valid, NULL},
    {"traveller.documents.check_digits", B, 1, X, n_docs, d_digits, NULL},
    {"movement.mode", T, 0, X, one, m_mode, NULL},
    {"movement.carrier", T, 0, X, one, m_carrier, NULL},
    {"movement.number", T, 0, X, one, m_number, NULL},
    {"movement.departure", D, 0, 0, one, m_dep, NULL},
    {"movement.arrival", D, 0, 0, one, m_arr, NULL},
    {"movement.legs.from", T, 1, X, n_legs, l_from, NULL},
    {"movement.legs.to", T, 1, X, n_legs, l_to, NULL},
    {"movement.legs.departure", D, 1, 0, n_legs, l_dep, NULL},
    {"movement.legs.arrival", D, 1, 0, n_legs, l_arr, NULL},
    {"movement.legs.count", N, 0, 0, one, m_nlegs, NULL},
    {"movement.dwell", DU, 1, 0, n_dwell, m_dwell, NULL},
    {"movement.vessel.name", T, 0, 0, one, m_vname, NULL},
    {"movement.vessel.imo", T, 0, X, one, m_vimo, NULL},
    {"movement.vessel.flag", T, 0, X, one, m_vflag, NULL},
    {"movement.final_destination", T, 0, X, one, m_final, NULL},
    {"booking.locator", T, 0, 0, n_booking, b_locator, NULL},
    {"booking.created", D, 0, 0, n_booking, b_created, NULL},
    {"booking.days_before_departure", N, 0, 0, n_booking, b_days, NULL},
    {"booking.payment.type", T, 1, X, n_pay, p_type, NULL},
    {"booking.payment.amount", N, 1, 0, n_pay, p_amount, NULL},
    {"booking.payment.currency", T, 1, X, n_pay, p_currency, NULL},
    {"booking.payment.card_type", T, 1, X, n_pay, p_card, NULL},
    {"booking.contacts.email", T, 1, 0, n_contacts, c_email, NULL},
    {"booking.contacts.phone", T, 1, 0, n_contacts, c_phone, NULL},
    {"booking.agency", T, 0, X, n_booking, a_agency, NULL},
    {"booking.agency.country", T, 0, X, n_booking, a_country, NULL},
    {"booking.itinerary.from", T, 1, X, n_itin, i_from, NULL},
    {"booking.itinerary.to", T, 1, X, n_itin, i_to, NULL},
    {"booking.itinerary.carrier", T, 1, X, n_itin, i_carrier, NULL},
    {"booking.itinerary.departure", D, 1, 0, n_itin, i_dep, NULL},
    {"booking.bags", N, 0, 0, n_booking, b_bags, NULL},
    {"booking.seats", T, 1, 0, n_seats, b_seat, NULL},
    {"booking.co_travellers", N, 0, X, n_booking, b_cotrav, NULL},
    {"booking.frequent_flyer.carrier", T, 1, X, n_ff, f_carrier, NULL},
    {"booking.frequent_flyer.number", T, 1, 0, n_ff, f_number, NULL},
    {"booking.one_way", B, 0, X, n_booking, b_oneway, NULL},
    PROT("booking.meals", "reveals religion or health (special meals)"),
    PROT("booking.ssr", "holds special service requests that reveal "
                        "religion or health"),
    PROT("booking.ssr.code", "holds special service requests that reveal "
                             "religion or health"),
    PROT("booking.remarks", WHY_FREE),
    PROT("booking.osi", WHY_FREE),
    PROT("traveller.religion", WHY_RELIGION),
    PROT("traveller.ethnicity", "reveals racial or ethnic origin"),
    PROT("traveller.health", WHY_HEALTH),
};

#define N_FIELDS (sizeof(fields) / sizeof(fields[0]))

_Static_assert(N_FIELDS <= RL_MAX_FIELDS, "raise RL_MAX_FIELDS");

size_t rl_field_id(const rl_field *f)
{
    return (size_t)(f - fields);
}

/* Exact names, then the short forms: a traveller field without its
 * "traveller." prefix ("documents.expiry", "nationality"). */
const rl_field *rl_field_find(const char *name)
{
    char full[128];

    for (size_t i = 0; i < N_FIELDS; i++)
        if (!strcmp(fields[i].name, name))
            return &fields[i];
    if (snprintf(full, sizeof(full), "traveller.%s", name) >= (int)sizeof(full))
        return NULL;
    for (size_t i = 0; i < N_FIELDS; i++)
        if (!strcmp(fields[i].name, full))
            return &fields[i];
    return NULL;
}

/* Words in a field's name that mark it as protected, whatever its
 * prefix: a field nobody defined is refused for the protected reason
 * rather than as unknown, so the analyst learns why. */
static const struct {
    const char *word, *why;
} prot_names[] = {
    {"religion", WHY_RELIGION},
    {"religious", WHY_RELIGION},
    {"belief", WHY_RELIGION},
    {"ethnicity", "reveals ethnic origin"},
    {"ethnic", "reveals ethnic origin"},
    {"race", "reveals racial origin"},
    {"health", WHY_HEALTH},
    {"medical", WHY_HEALTH},
    {"disability", WHY_HEALTH},
    {"meal", WHY_HEALTH},
    {"meals", "reveals religion or health (special meals)"},
    {"diet", WHY_HEALTH},
    {"ssr", WHY_HEALTH},
    {"remarks", WHY_FREE},
    {"osi", WHY_FREE},
    {"politics", "reveals political opinion"},
    {"political", "reveals political opinion"},
    {"party", "reveals political opinion"},
    {"union", "reveals trade-union membership"},
    {"sexuality", "reveals sex life or orientation"},
    {"orientation", "reveals sex life or orientation"},
};

const char *rl_protected_name(const char *name)
{
    const rl_field *f = rl_field_find(name);
    const char *p = name;

    if (f)
        return f->flags & F_PROTECTED ? f->why : NULL;
    while (*p) {
        size_t n = strcspn(p, "._");
        for (size_t i = 0; i < sizeof(prot_names) / sizeof(prot_names[0]); i++)
            if (strlen(prot_names[i].word) == n &&
                !strncmp(p, prot_names[i].word, n))
                return prot_names[i].why;
        p += n + (p[n] != '\0');
    }
    return NULL;
}

/* Words that name a protected characteristic, folded; whole words of
 * a text constant are compared with them. */
static const char *const prot_words[] = {
    /* religion or belief */
    "MUSLIM",
    "MUSLIMS",
    "ISLAM",
    "ISLAMIC",
    "MOSLEM",
    "JEW",
    "JEWS",
    "JEWISH",
    "KOSHER",
    "HALAL",
    "CHRISTIAN",
    "CATHOLIC",
    "PROTESTANT",
    "HINDU",
    "SIKH",
    "BUDDHIST",
    "JAIN",
    "MORMON",
    "MOSQUE",
    "SYNAGOGUE",
    "CHURCH",
    "RAMADAN",
    "HAJJ",
    "UMRAH",
    "PILGRIM",
    "PILGRIMAGE",
    /* special meals (IATA SSR codes) revealing religion or health */
    "MOML",
    "KSML",
    "HNML",
    "VJML",
    "VOML",
    "AVML",
    "DBML",
    "BLML",
    "GFML",
    "LCML",
    "LFML",
    "LSML",
    "NLML",
    "PRML",
    /* health and disability SSRs and words */
    "WCHR",
    "WCHS",
    "WCHC",
    "MEDA",
    "DEAF",
    "BLND",
    "DPNA",
    "OXYG",
    "STCR",
    "PREGNANT",
    "PREGNANCY",
    "DISABLED",
    "HIV",
    "AIDS",
    "CANCER",
    /* racial or ethnic origin */
    "ETHNIC",
    "ETHNICITY",
    "RACE",
    "ARAB",
    "ARABS",
    /* sex life or orientation */
    "GAY",
    "LESBIAN",
    "HOMOSEXUAL",
    "BISEXUAL",
    "TRANSGENDER",
    "LGBT",
    "LGBTQ",
};

static int is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9');
}

static const char *match_word(const char *w, size_t n)
{
    for (size_t i = 0; i < sizeof(prot_words) / sizeof(prot_words[0]); i++)
        if (strlen(prot_words[i]) == n && !rl_text_cmp(w, n, prot_words[i], n))
            return prot_words[i];
    return NULL;
}

/* The first protected word in s (whole words, any case), or NULL. */
const char *rl_protected_word(const char *s, size_t n)
{
    size_t i = 0;

    while (i < n) {
        size_t start;
        const char *w;
        while (i < n && !is_alnum(s[i]))
            i++;
        start = i;
        while (i < n && is_alnum(s[i]))
            i++;
        if (i > start && (w = match_word(s + start, i - start)) != NULL)
            return w;
    }
    return NULL;
}

const char *rl_type_name(int type)
{
    switch (type) {
    case VT_TEXT:
        return "text";
    case VT_NUMBER:
        return "number";
    case VT_DATE:
        return "date";
    case VT_DURATION:
        return "duration";
    case VT_BOOL:
        return "boolean";
    }
    return "unknown";
}

const char *pw_rule_field_name(size_t i, const char **type, int *many)
{
    size_t k = 0;

    for (size_t j = 0; j < N_FIELDS; j++) {
        if (fields[j].flags & F_PROTECTED)
            continue;
        if (k++ == i) {
            if (type)
                *type = rl_type_name(fields[j].type);
            if (many)
                *many = fields[j].many;
            return fields[j].name;
        }
    }
    return NULL;
}

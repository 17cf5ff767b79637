/* PNRGOV documents to travellers: SSR DOCS/DOCO/INFT held while a PNR
 * is read are given, at its end, to the traveller they describe, since
 * an infant's DOCS comes under the adult and before the infant's TIF. */
#include <stdint.h>
#include <string.h>

#include "messages/pnrgov_int.h"

static int same_name(const char *a, const char *b)
{
    if (!a || !b)
        return 0;
    /* Nearly always the document's surname is the TIF's, byte for
     * byte: strcmp tells so a word at a time, where the loop below
     * stops at a byte that differs from one name to the next and is
     * mispredicted each time. */
    if (!strcmp(a, b))
        return 1;
    /* the bytes before the first space or difference, one test each */
    while (*a && *a == *b && *a != ' ') {
        a++;
        b++;
    }
    for (;;) {
        while (*a == ' ')
            a++;
        while (*b == ' ')
            b++;
        if (!*a || !*b || *a != *b)
            return !*a && !*b;
        a++;
        b++;
    }
}

static int is_infant(const pw_booking *b, size_t i)
{
    return b->traveller_extra[i].infant;
}

static int name_fits(const pw_booking *b, size_t i, const pnr_doc *d)
{
    return is_infant(b, i) == (d->infant != 0) &&
           same_name(b->travellers[i].surname, d->surname);
}

/* The traveller of the document's own TIF group when the name fits,
 * else the first that fits. The group is tried first: it is nearly
 * always the one, and members of a family share their surname, so
 * the others would each be compared to the end. */
static int by_name(const pw_booking *b, const pnr_doc *d)
{
    int found = -1;

    if (d->group >= 0 && (size_t)d->group < b->n_travellers &&
        name_fits(b, (size_t)d->group, d))
        return d->group;
    for (size_t i = 0; i < b->n_travellers; i++) {
        if (is_infant(b, i) != (d->infant != 0))
            continue;
        if (!same_name(b->travellers[i].surname, d->surname))
            continue;
        if ((int)i == d->group)
            return (int)i;
        if (found < 0)
            found = (int)i;
    }
    return found;
}

static int only_infant(const pw_booking *b)
{
    int found = -1;

    for (size_t i = 0; i < b->n_travellers; i++) {
        if (!is_infant(b, i))
            continue;
        if (found >= 0)
            return -1;
        found = (int)i;
    }
    return found;
}

/* An infant named in a DOCS or INFT but without a TIF of its own. */
static int add_infant(pnr_map *mp, const pnr_doc *d)
{
    pw_booking *b = mp->b;
    size_t n = b->n_travellers;
    pw_traveller *t;
    pw_booking_traveller *x;

    if (!d->surname)
        return -1;
    t = pnr_push(mp, (void **)&b->travellers, &b->n_travellers,
                 &mp->caps.travellers, sizeof(*t));
    x = t ? pnr_push(mp, (void **)&b->traveller_extra, &n, &mp->caps.extra,
                     sizeof(*x))
          : NULL;
    if (!x)
        return -1;
    t->surname = d->surname;
    t->given_names = d->given;
    t->role_code = "IN";
    t->bags = -1;
    t->verified = -1;
    t->segment = d->seg->number;
    x->type = "IN";
    x->infant = 1;
    x->accompanied_by = d->group;
    return (int)b->n_travellers - 1;
}

static int owner_of(pnr_map *mp, const pnr_doc *d)
{
    pw_booking *b = mp->b;
    int t = by_name(b, d);

    if (t < 0 && d->infant)
        t = only_infant(b);
    if (t < 0 && d->infant)
        return add_infant(mp, d);
    if (t < 0)
        t = pnr_traveller_by_ref(mp, d->ref);
    if (t < 0)
        t = d->group;
    if (t < 0 && b->n_travellers == 1)
        t = 0;
    return t;
}

static void fill_person(pw_traveller *t, const pnr_doc *d)
{
    if (!t->birth_date)
        t->birth_date = d->birth;
    if (!t->sex)
        t->sex = d->sex;
    if (!t->nationality)
        t->nationality = d->nationality;
    if (!t->birth_place)
        t->birth_place = d->birth_place;
}

static void unplaced(pnr_map *mp, const pnr_doc *d)
{
    const pw_edi_segment *keep = mp->seg;

    mp->seg = d->seg;
    pnr_warn(mp, "document of no traveller of the PNR, ignored");
    mp->seg = keep;
}

/* Places each document, noting its owner in it. */
static void place(pnr_map *mp)
{
    pw_booking *b = mp->b;

    for (size_t i = 0; i < mp->n_docs && mp->rc == PW_OK; i++) {
        pnr_doc *d = &mp->docs[i];
        d->owner = owner_of(mp, d);
        if (d->owner < 0) {
            unplaced(mp, d);
            continue;
        }
        fill_person(&b->travellers[d->owner], d);
    }
}

/* A DOCS without type and number carries only personal data. */
static int has_doc(const pnr_doc *d)
{
    return d->visa != 2 && (d->doc.type || d->doc.number);
}

/* 1 when no two documents of the booking go to the same traveller, as
 * in most bookings; then each is given an array of its own in one
 * pass. Owners beyond 63 are left to attach's scan. */
static int owners_distinct(const pnr_map *mp)
{
    uint64_t seen = 0;

    for (size_t i = 0; i < mp->n_docs; i++) {
        const pnr_doc *d = &mp->docs[i];
        uint64_t bit;
        if (d->owner < 0 || !has_doc(d))
            continue;
        if (d->owner > 63)
            return 0;
        bit = (uint64_t)1 << d->owner;
        if (seen & bit)
            return 0;
        seen |= bit;
    }
    return 1;
}

static void attach_one_each(pnr_map *mp)
{
    pw_booking *b = mp->b;

    for (size_t i = 0; i < mp->n_docs; i++) {
        const pnr_doc *d = &mp->docs[i];
        pw_traveller *t;
        pw_document *doc;
        if (d->owner < 0 || !has_doc(d))
            continue;
        doc = pnr_alloc(mp, sizeof(*doc));
        if (!doc)
            return;
        *doc = d->doc;
        t = &b->travellers[d->owner];
        t->documents = doc;
        t->n_documents = 1;
    }
}

static void attach(pnr_map *mp)
{
    pw_booking *b = mp->b;

    for (size_t t = 0; t < b->n_travellers; t++) {
        size_t n = 0;
        pw_document *docs;

        for (size_t i = 0; i < mp->n_docs; i++)
            n += mp->docs[i].owner == (int)t && has_doc(&mp->docs[i]);
        if (!n)
            continue;
        docs = pnr_alloc(mp, n * sizeof(*docs));
        if (!docs)
            return;
        for (size_t i = 0; i < mp->n_docs; i++)
            if (mp->docs[i].owner == (int)t && has_doc(&mp->docs[i]))
                docs[b->travellers[t].n_documents++] = mp->docs[i].doc;
        b->travellers[t].documents = docs;
    }
}

void pnr_finish_docs(pnr_map *mp)
{
    if (!mp->n_docs)
        return;
    place(mp);
    if (mp->rc != PW_OK)
        return;
    if (owners_distinct(mp))
        attach_one_each(mp);
    else
        attach(mp);
}

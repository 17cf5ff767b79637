/* PNRGOV documents to travellers: SSR DOCS/DOCO/INFT held while a PNR
 * is read are given, at its end, to the traveller they describe, since
 * an infant's DOCS comes under the adult and before the infant's TIF. */
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

/* Whether document d is given to its traveller. */
static int owned(const pnr_doc *d)
{
    return d->owner >= 0 && has_doc(d);
}

/* Gives each traveller its documents in the order they were read, in
 * one array for the booking: counted, then placed, so the work grows
 * with travellers and documents, not with their product (a group
 * booking has many of each). */
static void attach(pnr_map *mp)
{
    pw_booking *b = mp->b;
    pw_document *docs;
    size_t total = 0;

    for (size_t i = 0; i < mp->n_docs; i++)
        total += owned(&mp->docs[i]);
    if (!total)
        return;
    docs = pnr_alloc(mp, total * sizeof(*docs));
    if (!docs)
        return;
    for (size_t i = 0; i < mp->n_docs; i++)
        if (owned(&mp->docs[i]))
            b->travellers[mp->docs[i].owner].n_documents++;
    for (size_t t = 0; t < b->n_travellers; t++) {
        pw_traveller *tr = &b->travellers[t];
        if (!tr->n_documents)
            continue;
        tr->documents = docs;
        docs += tr->n_documents;
        tr->n_documents = 0;
    }
    for (size_t i = 0; i < mp->n_docs; i++) {
        const pnr_doc *d = &mp->docs[i];
        if (owned(d)) {
            pw_traveller *tr = &b->travellers[d->owner];
            tr->documents[tr->n_documents++] = d->doc;
        }
    }
}

void pnr_finish_docs(pnr_map *mp)
{
    if (!mp->n_docs)
        return;
    place(mp);
    if (mp->rc == PW_OK)
        attach(mp);
}

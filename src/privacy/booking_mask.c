/* Booking content without its personal data, for retention's first
 * period: what stays is what analysis of travel patterns needs
 * (itinerary, dates, agency, amounts and forms of payment, bags,
 * nationalities, sexes, birth years), not who travelled. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "paxwatch/retention.h"

/* Removes the keys named in keys (NULL-terminated) from every object in
 * array a. */
static void drop_in_each(json_t *a, const char *const *keys)
{
    size_t i;
    json_t *o;

    json_array_foreach(a, i, o)
    {
        for (const char *const *k = keys; *k; k++)
            json_object_del(o, *k);
    }
}

/* "1964-07-12" becomes "1964"; anything else is kept as it is. */
static void birth_year(json_t *o)
{
    const char *b = json_string_value(json_object_get(o, "birth_date"));

    if (b && strlen(b) > 4) {
        char year[5];
        memcpy(year, b, 4);
        year[4] = '\0';
        json_object_set_new(o, "birth_date", json_string(year));
    }
}

static void travellers(json_t *a)
{
    static const char *const keys[] = {"surname",     "given_names", "title",
                                       "name",        "addresses",   "contacts",
                                       "birth_place", "occupation",  NULL};
    size_t i;
    json_t *t;

    drop_in_each(a, keys);
    json_array_foreach(a, i, t)
    {
        static const char *const doc[] = {"number", NULL};
        birth_year(t);
        drop_in_each(json_object_get(t, "documents"), doc);
    }
}

/* History entries keep their action and date; the detail only for
 * flights, where it is an itinerary line. */
static void history(json_t *a)
{
    size_t i;
    json_t *h;

    json_array_foreach(a, i, h)
    {
        const char *what = json_string_value(json_object_get(h, "what"));
        if (!what || strcmp(what, "flight") != 0)
            json_object_del(h, "detail");
    }
}

pw_rc pw_booking_depersonalise(const char *json, char **out)
{
    static const char *const gone[] = {"addresses", "contacts", "remarks",
                                       NULL};
    static const char *const payment[] = {"payer", "billing", "card_number",
                                          "card_holder", NULL};
    static const char *const numbered[] = {"number", NULL};
    static const char *const seat[] = {"seat", NULL};
    static const char *const tags[] = {"tags", NULL};
    json_t *b = json_loads(json, 0, NULL);

    *out = NULL;
    if (!json_is_object(b)) {
        json_decref(b);
        return PW_ERR_SYNTAX;
    }
    for (const char *const *k = gone; *k; k++)
        if (json_object_get(b, *k))
            json_object_set_new(b, *k, json_array());
    drop_in_each(json_object_get(b, "payments"), payment);
    drop_in_each(json_object_get(b, "frequent_flyer"), numbered);
    drop_in_each(json_object_get(b, "tickets"), numbered);
    drop_in_each(json_object_get(b, "seats"), seat);
    drop_in_each(json_object_get(b, "bags"), tags);
    json_object_del(b, "group_name");
    travellers(json_object_get(b, "travellers"));
    history(json_object_get(b, "history"));
    *out = json_dumps(b, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(b);
    return *out ? PW_OK : PW_ERR_NOMEM;
}

/* Movement identity: the key under which lists for the same flight or
 * voyage meet, whichever store keeps them (rules in docs/store.md). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "store/store_impl.h"

/* Upper-case letters and digits only, so "ab 0123" and "AB0123" meet. */
static void squeeze(const char *in, char *out, size_t cap)
{
    size_t n = 0;

    for (; in && *in && n + 1 < cap; in++)
        if (isalnum((unsigned char)*in))
            out[n++] = (char)toupper((unsigned char)*in);
    out[n] = '\0';
}

/* A flight number without its airline prefix and leading zeros:
 * carriers send "UA0989", "UA989" and "0989" for the same flight. */
static void flight_number(const char *carrier, const char *number, char *out,
                          size_t cap)
{
    char c[16], n[64];
    const char *p = n;
    size_t cl;

    squeeze(carrier, c, sizeof(c));
    squeeze(number, n, sizeof(n));
    cl = strlen(c);
    if (cl && !strncmp(n, c, cl) && n[cl])
        p += cl;
    while (p[0] == '0' && p[1])
        p++;
    snprintf(out, cap, "%s", p);
}

static int copy_date(const char *iso, char date[11])
{
    if (!iso || strlen(iso) < 10 || iso[4] != '-' || iso[7] != '-')
        return 0;
    memcpy(date, iso, 10);
    date[10] = '\0';
    return 1;
}

static void first_departure(const pw_movement *mv, char date[11])
{
    for (size_t i = 0; i < mv->n_legs; i++)
        if (copy_date(mv->legs[i].departure.local, date))
            return;
    for (size_t i = 0; i < mv->n_legs; i++)
        if (copy_date(mv->legs[i].arrival.local, date))
            return;
}

/* A ship's list is about its call at a port: the arrival date when
 * sent, else the departure date. */
static void sea_date(const pw_movement *mv, char date[11])
{
    for (size_t i = mv->n_legs; i > 0; i--)
        if (copy_date(mv->legs[i - 1].arrival.local, date))
            return;
    first_departure(mv, date);
}

static const char *carrier_of(const pw_movement *mv)
{
    if (mv->carrier)
        return mv->carrier;
    return mv->n_legs ? mv->legs[0].carrier : NULL;
}

static const char *number_of(const pw_movement *mv)
{
    if (mv->number)
        return mv->number;
    return mv->n_legs ? mv->legs[0].number : NULL;
}

static int vessel_id(const pw_vessel *v, char *out, size_t cap)
{
    char buf[128];
    const char *p = buf;

    squeeze(v->imo, buf, sizeof(buf));
    if (!strncmp(buf, "IMO", 3))
        p += 3;
    if (*p) {
        snprintf(out, cap, "IMO%s", p);
        return 1;
    }
    squeeze(v->name, buf, sizeof(buf));
    if (!*buf)
        return 0;
    snprintf(out, cap, "NAME%s", buf);
    return 1;
}

static int sea_key(const pw_movement *mv, char *key, size_t cap, char date[11])
{
    char vessel[160];

    if (!vessel_id(&mv->vessel, vessel, sizeof(vessel)))
        return -1;
    sea_date(mv, date);
    return snprintf(key, cap, "sea|%s|%s", vessel, date);
}

static int air_key(const pw_movement *mv, char *key, size_t cap, char date[11])
{
    char carrier[16], number[64];

    first_departure(mv, date);
    squeeze(carrier_of(mv), carrier, sizeof(carrier));
    flight_number(carrier, number_of(mv), number, sizeof(number));
    return snprintf(key, cap, "%s|%s|%s|%s", pw_mode_name(mv->mode), carrier,
                    number, date);
}

pw_rc pw_movement_key(const pw_msg *m, char *key, size_t cap, char date[11])
{
    const pw_movement *mv = &m->movement;
    int n = -1;

    date[0] = '\0';
    if (mv->mode == PW_MODE_SEA)
        n = sea_key(mv, key, cap, date);
    if (n < 0) /* a ship with neither IMO number nor name */
        n = air_key(mv, key, cap, date);
    return n < 0 || (size_t)n >= cap ? PW_ERR_LIMIT : PW_OK;
}

/* 'paxwatch bookings': lists the stored bookings (PNR) with their
 * travellers, itinerary and number of versions, as a table or JSON. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "paxwatch/store.h"

struct opts {
    const char *db;
    long long movement;
    int json;
};

static void usage(FILE *out)
{
    fprintf(out, "usage: paxwatch bookings [--db PATH] [--movement ID] "
                 "[--json]\n\n"
                 "Lists the stored bookings (PNR) in their latest version: "
                 "locator, owning\n"
                 "carrier, creation date, travellers, itinerary and the "
                 "number of versions\n"
                 "received. 'paxwatch booking LOCATOR' shows one with its "
                 "history.\n\n"
                 "  --db PATH       the store (default $PAXWATCH_DB or "
                 "paxwatch.db)\n"
                 "  --movement ID   only the bookings of that movement\n"
                 "  --json          one JSON object per booking\n"
                 "  --help          this text\n\n"
                 "Exit status: 0 listed, 1 the store could not be read, 2 "
                 "usage.\n");
}

static const char *or_dash(const char *s)
{
    return s && *s ? s : "-";
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static int print_json(const pw_store_booking *b)
{
    json_t *o = json_object();
    char *text;

    json_object_set_new(o, "id", json_integer(b->id));
    json_object_set_new(o, "locator", json_string(b->locator));
    json_object_set_new(o, "carrier", str_or_null(b->carrier));
    json_object_set_new(o, "created", str_or_null(b->created));
    json_object_set_new(o, "movement", json_integer(b->movement_id));
    json_object_set_new(o, "travellers",
                        json_integer((json_int_t)b->travellers));
    json_object_set_new(o, "itinerary", str_or_null(b->itinerary));
    json_object_set_new(o, "versions", json_integer(b->versions));
    json_object_set_new(o, "updated_at", str_or_null(b->updated_at));
    text = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    if (!text)
        return 1;
    puts(text);
    free(text);
    return 0;
}

static int booking_line(void *ctx, const pw_store_booking *b)
{
    int *json = ctx;

    if (*json)
        return print_json(b);
    printf("%-5lld ", (long long)b->id);
    pw_cli_cell(stdout, or_dash(b->locator), 8);
    pw_cli_cell(stdout, or_dash(b->carrier), 4);
    printf("%-10.10s %5lld %4zu %4u ", or_dash(b->created),
           (long long)b->movement_id, b->travellers, b->versions);
    printf("%s\n", or_dash(b->itinerary));
    return 0;
}

static int parse_args(int argc, char **argv, struct opts *o)
{
    static const struct option longs[] = {
        {"db", required_argument, NULL, 'd'},
        {"movement", required_argument, NULL, 'm'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    char *end;
    int c;

    optind = 1;
    while ((c = getopt_long(argc, argv, "hd:m:j", longs, NULL)) != -1) {
        if (c == 'd') {
            o->db = optarg;
        } else if (c == 'm') {
            o->movement = strtoll(optarg, &end, 10);
            if (*end || o->movement <= 0) {
                pw_cli_error("bookings", "bad movement id '%s'", optarg);
                return PW_EXIT_USAGE;
            }
        } else if (c == 'j') {
            o->json = 1;
        } else {
            usage(c == 'h' ? stdout : stderr);
            return c == 'h' ? PW_EXIT_OK : PW_EXIT_USAGE;
        }
    }
    if (optind < argc) {
        pw_cli_error("bookings", "unexpected argument '%s'", argv[optind]);
        return PW_EXIT_USAGE;
    }
    return -1;
}

/* Listing must not leave an empty store behind a mistyped path. */
static pw_store *open_existing(const char *db)
{
    pw_store *s = NULL;

    if (!strstr(db, "://") && access(db, F_OK) != 0) {
        pw_cli_error("bookings", "no store at %s", db);
        return NULL;
    }
    if (pw_store_open(db, &s) != PW_OK)
        pw_cli_error("bookings", "cannot open the store %s", db);
    return s;
}

int pw_cmd_bookings(int argc, char **argv)
{
    struct opts o = {0};
    int status = parse_args(argc, argv, &o);
    pw_store *s;
    pw_rc rc;

    if (status >= 0)
        return status;
    s = open_existing(pw_cli_db(o.db));
    if (!s)
        return PW_EXIT_REJECTED;
    if (!o.json)
        printf("%-5s %-8s %-4s %-10s %5s %4s %4s %s\n", "ID", "LOCATOR", "BY",
               "CREATED", "MVMT", "PAX", "VERS", "ITINERARY");
    rc = pw_store_bookings(s, o.movement, NULL, booking_line, &o.json);
    if (rc != PW_OK)
        pw_cli_error("bookings", "%s", pw_store_errmsg(s));
    pw_cli_audit_read(s, "booking.list", (long long)o.movement);
    pw_store_close(s);
    return rc == PW_OK ? PW_EXIT_OK : PW_EXIT_REJECTED;
}

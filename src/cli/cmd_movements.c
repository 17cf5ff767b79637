/* 'paxwatch movements': lists the stored flights and voyages with their
 * legs and traveller counts, as a table or JSON lines. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "paxwatch/store.h"

struct ctx {
    pw_store *s;
    int json;
    int failed;
    json_t *legs; /* JSON: the legs of the movement being listed */
};

static void usage(FILE *out)
{
    fprintf(out, "usage: paxwatch movements [--db PATH] [--json]\n\n"
                 "Lists the stored movements (flights and voyages) with "
                 "their legs and the\n"
                 "number of current passengers and crew.\n\n"
                 "  --db PATH   the store (default $PAXWATCH_DB or "
                 "paxwatch.db)\n"
                 "  --json      one JSON object per movement\n"
                 "  --help      this text\n");
}

static const char *or_dash(const char *s)
{
    return s && *s ? s : "-";
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static int leg_line(void *vctx, int64_t id, unsigned seq, const pw_leg *l)
{
    struct ctx *c = vctx;
    json_t *o;

    if (!c->json) {
        printf("      leg %u: %s %s -> %s %s\n", seq, or_dash(l->from),
               or_dash(l->departure.local), or_dash(l->to),
               or_dash(l->arrival.local));
        return 0;
    }
    o = json_object();
    json_object_set_new(o, "from", str_or_null(l->from));
    json_object_set_new(o, "to", str_or_null(l->to));
    json_object_set_new(o, "departure", str_or_null(l->departure.local));
    json_object_set_new(o, "arrival", str_or_null(l->arrival.local));
    json_object_set_new(o, "departure_utc", str_or_null(l->departure.utc));
    json_object_set_new(o, "arrival_utc", str_or_null(l->arrival.utc));
    json_array_append_new(c->legs, o);
    return 0;
}

static const char *what(const pw_store_movement *mv)
{
    if (mv->mode == PW_MODE_SEA && mv->vessel.name)
        return mv->vessel.name;
    return or_dash(mv->number);
}

static void print_row(const pw_store_movement *mv)
{
    printf("%-5lld %-5s ", (long long)mv->id, pw_mode_name(mv->mode));
    pw_cli_cell(stdout, mv->carrier, 8);
    pw_cli_cell(stdout, what(mv), 20);
    printf("%-10s %-5s %-5s %5zu %5zu %5zu%s\n", or_dash(mv->date),
           or_dash(mv->from), or_dash(mv->to), mv->passengers, mv->crew,
           mv->manifests, mv->depersonalised_at ? "  (depersonalised)" : "");
}

static json_t *vessel_json(const pw_vessel *v)
{
    json_t *o = json_object();

    json_object_set_new(o, "name", str_or_null(v->name));
    json_object_set_new(o, "imo", str_or_null(v->imo));
    json_object_set_new(o, "call_sign", str_or_null(v->call_sign));
    json_object_set_new(o, "flag", str_or_null(v->flag));
    return o;
}

static json_t *movement_json(const pw_store_movement *mv, json_t *legs)
{
    json_t *o = json_object();

    json_object_set_new(o, "id", json_integer(mv->id));
    json_object_set_new(o, "mode", json_string(pw_mode_name(mv->mode)));
    json_object_set_new(o, "carrier", str_or_null(mv->carrier));
    json_object_set_new(o, "number", str_or_null(mv->number));
    if (mv->mode == PW_MODE_SEA)
        json_object_set_new(o, "vessel", vessel_json(&mv->vessel));
    json_object_set_new(o, "date", str_or_null(mv->date));
    json_object_set_new(o, "from", str_or_null(mv->from));
    json_object_set_new(o, "to", str_or_null(mv->to));
    json_object_set_new(o, "legs", legs);
    json_object_set_new(o, "passengers",
                        json_integer((json_int_t)mv->passengers));
    json_object_set_new(o, "crew", json_integer((json_int_t)mv->crew));
    json_object_set_new(o, "manifests",
                        json_integer((json_int_t)mv->manifests));
    json_object_set_new(o, "identity", str_or_null(mv->identity));
    json_object_set_new(o, "updated_at", str_or_null(mv->updated_at));
    json_object_set_new(o, "depersonalised_at",
                        str_or_null(mv->depersonalised_at));
    return o;
}

static int print_json(struct ctx *c, const pw_store_movement *mv)
{
    json_t *o;
    char *text;
    pw_rc rc;

    c->legs = json_array();
    rc = pw_store_legs(c->s, mv->id, leg_line, c);
    o = movement_json(mv, c->legs);
    text = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    if (rc != PW_OK || !text) {
        free(text);
        c->failed = 1;
        return 1;
    }
    puts(text);
    free(text);
    return 0;
}

static int movement_line(void *vctx, const pw_store_movement *mv)
{
    struct ctx *c = vctx;

    if (c->json)
        return print_json(c, mv);
    print_row(mv);
    if (pw_store_legs(c->s, mv->id, leg_line, c) != PW_OK) {
        c->failed = 1;
        return 1;
    }
    return 0;
}

static int list(pw_store *s, int json)
{
    struct ctx c = {.s = s, .json = json};
    pw_rc rc;

    if (!json)
        printf("%-5s %-5s %-8s %-20s %-10s %-5s %-5s %5s %5s %5s\n", "ID",
               "MODE", "CARRIER", "NUMBER/VESSEL", "DATE", "FROM", "TO", "PAX",
               "CREW", "LISTS");
    rc = pw_store_movements(s, 0, movement_line, &c);
    if (rc != PW_OK || c.failed) {
        pw_cli_error("movements", "%s", pw_store_errmsg(s));
        return PW_EXIT_REJECTED;
    }
    return PW_EXIT_OK;
}

static int parse_args(int argc, char **argv, const char **db, int *json)
{
    static const struct option longs[] = {
        {"db", required_argument, NULL, 'd'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;

    optind = 1;
    while ((c = getopt_long(argc, argv, "hd:j", longs, NULL)) != -1) {
        if (c == 'd')
            *db = optarg;
        else if (c == 'j')
            *json = 1;
        else if (c == 'h')
            return usage(stdout), PW_EXIT_OK;
        else
            return usage(stderr), PW_EXIT_USAGE;
    }
    if (optind < argc) {
        pw_cli_error("movements", "unexpected argument '%s'", argv[optind]);
        return PW_EXIT_USAGE;
    }
    return -1;
}

/* Listing must not leave an empty store behind a mistyped path. */
static pw_store *open_existing(const char *db)
{
    pw_store *s = NULL;

    if (!strstr(db, "://") && access(db, F_OK) != 0) {
        pw_cli_error("movements", "no store at %s", db);
        return NULL;
    }
    if (pw_store_open(db, &s) != PW_OK)
        pw_cli_error("movements", "cannot open the store %s", db);
    return s;
}

int pw_cmd_movements(int argc, char **argv)
{
    const char *db = NULL;
    int json = 0, status = parse_args(argc, argv, &db, &json);
    pw_store *s;

    if (status >= 0)
        return status;
    s = open_existing(pw_cli_db(db));
    if (!s)
        return PW_EXIT_REJECTED;
    status = list(s, json);
    pw_cli_audit_read(s, "movement.list", 0);
    pw_store_close(s);
    return status;
}

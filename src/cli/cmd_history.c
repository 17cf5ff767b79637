/* 'paxwatch history': a traveller's earlier movements, bookings and
 * hits, and the co-travellers linked to them, from the store. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "paxwatch/review.h"

#define VERB "history"

struct opts {
    const char *db;
    int json;
};

struct out {
    int json;
    const char *last_kind;
    size_t n;
    int failed;
};

static void usage(FILE *out)
{
    fprintf(out,
            "usage: paxwatch history [--db PATH] [--json] TRAVELLER_ID\n\n"
            "Shows every movement of the same person (same surname, given "
            "names and birth\ndate, or a document number in common), the "
            "bookings and hits of those\ntravellers, and the co-travellers "
            "sharing a booking, phone, e-mail, address\nor payment card.\n");
}

static const char *dash(const char *s)
{
    return s ? s : "-";
}

static void heading(struct out *o, const char *kind)
{
    static const char *const titles[][2] = {
        {"movement", "movements:\n  MVMT   TRAVELLER  FLIGHT     DATE       "
                     "FROM  TO    LISTS"},
        {"booking", "bookings:\n  ID     LOCATOR  CARRIER  CREATED     "
                    "ITINERARY"},
        {"hit", "hits:\n  ID     MVMT   KIND      LIST          ENTRY     "
                "       STATUS"},
        {"link", "co-travellers:\n  TRAVELLER  MVMT   SURNAME          GIVEN "
                 "NAMES      SHARED"},
    };

    if (o->last_kind && !strcmp(o->last_kind, kind))
        return;
    o->last_kind = kind;
    for (size_t i = 0; i < 4; i++)
        if (!strcmp(titles[i][0], kind))
            printf("%s%s\n", o->n ? "\n" : "", titles[i][1]);
}

static void print_row(const pw_history_row *r)
{
    if (!strcmp(r->kind, "movement"))
        printf("  %-6lld %-10lld %-10s %-10s %-5s %-5s %s\n", (long long)r->id,
               (long long)r->traveller_id, dash(r->a), dash(r->b), dash(r->c),
               dash(r->d), dash(r->e));
    else if (!strcmp(r->kind, "booking"))
        printf("  %-6lld %-8s %-8s %-11s %s\n", (long long)r->id, dash(r->a),
               dash(r->b), dash(r->c), dash(r->d));
    else if (!strcmp(r->kind, "hit"))
        printf("  %-6lld %-6lld %-9s %-13s %-16s %s\n", (long long)r->id,
               (long long)r->movement_id, dash(r->a), dash(r->b), dash(r->c),
               dash(r->d));
    else
        printf("  %-10lld %-6lld %-16s %-16s %s %s\n", (long long)r->id,
               (long long)r->movement_id, dash(r->a), dash(r->b), dash(r->c),
               dash(r->d));
}

static json_t *s_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static const char *const field_names[][5] = {
    {"flight", "date", "from", "to", "lists"},
    {"locator", "carrier", "created", "itinerary", "updated_at"},
    {"hit_kind", "list", "entry_id", "status", "created_at"},
    {"surname", "given_names", "shared", "value", "birth_date"},
};

static json_t *row_json(const pw_history_row *r)
{
    static const char *const kinds[] = {"movement", "booking", "hit", "link"};
    const char *v[5] = {r->a, r->b, r->c, r->d, r->e};
    json_t *o = json_object();
    size_t k = 0;

    while (k < 3 && strcmp(kinds[k], r->kind))
        k++;
    json_object_set_new(o, "kind", json_string(r->kind));
    json_object_set_new(o, "id", json_integer(r->id));
    json_object_set_new(o, "movement", json_integer(r->movement_id));
    if (r->traveller_id)
        json_object_set_new(o, "traveller", json_integer(r->traveller_id));
    for (size_t i = 0; i < 5; i++)
        json_object_set_new(o, field_names[k][i], s_or_null(v[i]));
    return o;
}

static int on_row(void *ctx, const pw_history_row *r)
{
    struct out *o = ctx;
    json_t *j;
    char *text;

    if (!o->json) {
        heading(o, r->kind);
        print_row(r);
        o->n++;
        return 0;
    }
    j = row_json(r);
    text = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(j);
    if (!text) {
        o->failed = 1;
        return 1;
    }
    puts(text);
    free(text);
    o->n++;
    return 0;
}

static int parse_args(int argc, char **argv, struct opts *o, int64_t *id)
{
    static const struct option longs[] = {
        {"db", required_argument, NULL, 'd'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    char *end;
    int c;

    optind = 1;
    while ((c = getopt_long(argc, argv, "hd:j", longs, NULL)) != -1) {
        if (c == 'd')
            o->db = optarg;
        else if (c == 'j')
            o->json = 1;
        else if (c == 'h')
            return usage(stdout), PW_EXIT_OK;
        else
            return usage(stderr), PW_EXIT_USAGE;
    }
    if (optind + 1 != argc)
        return usage(stderr), PW_EXIT_USAGE;
    errno = 0;
    *id = strtoll(argv[optind], &end, 10);
    if (errno || *end || *id <= 0) {
        pw_cli_error(VERB, "the traveller ID is a number, not '%s'",
                     argv[optind]);
        return PW_EXIT_USAGE;
    }
    return -1;
}

static int run(pw_store *s, int64_t id, int json)
{
    struct out o = {.json = json};
    pw_rc rc = pw_traveller_history(s, id, on_row, &o);

    if (rc == PW_ERR_NOTFOUND) {
        pw_cli_error(VERB, "no traveller %lld", (long long)id);
        return PW_EXIT_REJECTED;
    }
    if (rc != PW_OK || o.failed) {
        pw_cli_error(VERB, "%s",
                     o.failed ? "out of memory" : pw_store_errmsg(s));
        return PW_EXIT_REJECTED;
    }
    return PW_EXIT_OK;
}

int pw_cmd_history(int argc, char **argv)
{
    struct opts o = {0};
    int64_t id = 0;
    int status = parse_args(argc, argv, &o, &id);
    pw_store *s = NULL;

    if (status >= 0)
        return status;
    if (pw_cli_open(VERB, o.db, &s) != 0)
        return PW_EXIT_REJECTED;
    status = run(s, id, o.json);
    pw_cli_audit_read(s, "traveller.history", (long long)id);
    pw_store_close(s);
    return status;
}

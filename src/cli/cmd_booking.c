/* 'paxwatch booking LOCATOR': one stored booking (PNR) in its latest
 * state, the history of its versions with what changed, and the API
 * travellers its travellers are linked to and how. */
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
    const char *locator;
    int json;
};

struct ctx {
    pw_store *s;
    int json;
    size_t found;
    pw_rc rc;
    json_t *arr; /* JSON: versions or links being gathered */
};

static void usage(FILE *out)
{
    fprintf(out, "usage: paxwatch booking LOCATOR [--db PATH] [--json]\n\n"
                 "Shows the stored booking(s) with record locator LOCATOR: "
                 "the latest state\n"
                 "(travellers, itinerary), every version received with what "
                 "changed from the\n"
                 "one before, and the API travellers of the same movement "
                 "its travellers are\n"
                 "linked to, with how each link was made (locator+name, "
                 "name+birth_date,\n"
                 "document).\n\n"
                 "  --db PATH   the store (default $PAXWATCH_DB or "
                 "paxwatch.db)\n"
                 "  --json      one JSON object per booking\n"
                 "  --help      this text\n\n"
                 "Exit status: 0 shown, 1 no such booking or the store could "
                 "not be read,\n2 usage.\n");
}

static const char *or_dash(const char *s)
{
    return s && *s ? s : "-";
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *parsed(const char *text)
{
    json_t *j = text ? json_loads(text, 0, NULL) : NULL;

    return j ? j : json_null();
}

static void print_list(const char *label, json_t *arr)
{
    size_t i;
    json_t *v;

    if (!json_array_size(arr))
        return;
    if (*label)
        printf(" %s", label);
    json_array_foreach(arr, i, v)
        printf("%s%s", i ? ", " : " ", json_string_value(v));
    printf(";");
}

/* One line per changed list: "travellers: added A; removed B". */
static void print_changes(const char *changes)
{
    json_t *c = parsed(changes), *v;
    const char *k;

    json_object_foreach(c, k, v)
    {
        if (json_is_array(v)) {
            printf("      %s:", k);
            print_list("", v);
        } else {
            printf("      %s:", k);
            print_list("added", json_object_get(v, "added"));
            print_list("removed", json_object_get(v, "removed"));
        }
        printf("\n");
    }
    json_decref(c);
}

static int version_cb(void *vctx, const pw_store_booking_version *v)
{
    struct ctx *c = vctx;
    json_t *o;

    if (!c->json) {
        printf("  version %u  stored %s  changed %s  input %lld%s\n",
               v->version, or_dash(v->stored_at), or_dash(v->last_changed),
               (long long)v->message_id, v->changes ? "" : "  (first)");
        print_changes(v->changes);
        return 0;
    }
    o = json_object();
    json_object_set_new(o, "version", json_integer(v->version));
    json_object_set_new(o, "stored_at", str_or_null(v->stored_at));
    json_object_set_new(o, "last_changed", str_or_null(v->last_changed));
    json_object_set_new(o, "message", json_integer(v->message_id));
    json_object_set_new(o, "movement", json_integer(v->movement_id));
    json_object_set_new(o, "sha256", str_or_null(v->sha256));
    json_object_set_new(o, "changes", parsed(v->changes));
    json_array_append_new(c->arr, o);
    return 0;
}

static int link_cb(void *vctx, const pw_store_link *l)
{
    struct ctx *c = vctx;
    json_t *o;

    if (!c->json) {
        printf("  %s %s  ->  API traveller %lld %s %s (list version %u)"
               "  by %s\n",
               or_dash(l->pnr_surname), or_dash(l->pnr_given_names),
               (long long)l->api_traveller_id, or_dash(l->api_surname),
               or_dash(l->api_given_names), l->api_version, l->method);
        return 0;
    }
    o = json_object();
    json_object_set_new(o, "pnr_traveller", json_integer(l->pnr_traveller_id));
    json_object_set_new(o, "api_traveller", json_integer(l->api_traveller_id));
    json_object_set_new(o, "method", json_string(l->method));
    json_object_set_new(o, "surname", str_or_null(l->api_surname));
    json_object_set_new(o, "given_names", str_or_null(l->api_given_names));
    json_object_set_new(o, "api_list_version", json_integer(l->api_version));
    json_object_set_new(o, "created_at", str_or_null(l->created_at));
    json_array_append_new(c->arr, o);
    return 0;
}

static void print_travellers(const char *content)
{
    json_t *b = parsed(content), *t;
    size_t i;

    json_array_foreach(json_object_get(b, "travellers"), i, t)
    {
        const char *bd = json_string_value(json_object_get(t, "birth_date"));
        printf("  %zu. %s %s%s%s\n", i + 1,
               or_dash(json_string_value(json_object_get(t, "surname"))),
               or_dash(json_string_value(json_object_get(t, "given_names"))),
               bd ? "  born " : "", bd ? bd : "");
    }
    json_decref(b);
}

static void show_text(struct ctx *c, const pw_store_booking *b)
{
    printf("booking %s  carrier %s  created %s  movement %lld  "
           "versions %u\n",
           or_dash(b->locator), or_dash(b->carrier), or_dash(b->created),
           (long long)b->movement_id, b->versions);
    printf("itinerary: %s\n", or_dash(b->itinerary));
    printf("travellers (%zu):\n", b->travellers);
    print_travellers(b->content);
    printf("history:\n");
    c->rc = pw_store_booking_versions(c->s, b->id, version_cb, c);
    printf("links to API travellers:\n");
    if (c->rc == PW_OK)
        c->rc = pw_store_booking_links(c->s, b->id, link_cb, c);
}

static json_t *booking_json(struct ctx *c, const pw_store_booking *b)
{
    json_t *o = json_object();

    json_object_set_new(o, "id", json_integer(b->id));
    json_object_set_new(o, "locator", json_string(b->locator));
    json_object_set_new(o, "carrier", str_or_null(b->carrier));
    json_object_set_new(o, "created", str_or_null(b->created));
    json_object_set_new(o, "movement", json_integer(b->movement_id));
    json_object_set_new(o, "booking", parsed(b->content));
    c->arr = json_array();
    c->rc = pw_store_booking_versions(c->s, b->id, version_cb, c);
    json_object_set_new(o, "versions", c->arr);
    c->arr = json_array();
    if (c->rc == PW_OK)
        c->rc = pw_store_booking_links(c->s, b->id, link_cb, c);
    json_object_set_new(o, "links", c->arr);
    return o;
}

static int show_json(struct ctx *c, const pw_store_booking *b)
{
    json_t *o = booking_json(c, b);
    char *text = json_dumps(o, JSON_COMPACT);

    json_decref(o);
    if (!text) {
        c->rc = PW_ERR_NOMEM;
        return 1;
    }
    puts(text);
    free(text);
    return 0;
}

static int booking_cb(void *vctx, const pw_store_booking *b)
{
    struct ctx *c = vctx;

    c->found++;
    if (c->json)
        return show_json(c, b) || c->rc != PW_OK;
    if (c->found > 1)
        printf("\n");
    show_text(c, b);
    return c->rc != PW_OK;
}

static int parse_args(int argc, char **argv, struct opts *o)
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
        if (c == 'd') {
            o->db = optarg;
        } else if (c == 'j') {
            o->json = 1;
        } else {
            usage(c == 'h' ? stdout : stderr);
            return c == 'h' ? PW_EXIT_OK : PW_EXIT_USAGE;
        }
    }
    if (argc - optind != 1) {
        pw_cli_error("booking", "give one record locator");
        return PW_EXIT_USAGE;
    }
    o->locator = argv[optind];
    return -1;
}

static pw_store *open_existing(const char *db)
{
    pw_store *s = NULL;

    if (!strstr(db, "://") && access(db, F_OK) != 0) {
        pw_cli_error("booking", "no store at %s", db);
        return NULL;
    }
    if (pw_store_open(db, &s) != PW_OK)
        pw_cli_error("booking", "cannot open the store %s", db);
    return s;
}

int pw_cmd_booking(int argc, char **argv)
{
    struct opts o = {0};
    int status = parse_args(argc, argv, &o);
    struct ctx c = {0};
    pw_rc rc;

    if (status >= 0)
        return status;
    c.s = open_existing(pw_cli_db(o.db));
    if (!c.s)
        return PW_EXIT_REJECTED;
    c.json = o.json;
    rc = pw_store_bookings(c.s, 0, o.locator, booking_cb, &c);
    if (rc == PW_OK)
        rc = c.rc;
    if (rc != PW_OK)
        pw_cli_error("booking", "%s", pw_store_errmsg(c.s));
    else if (!c.found)
        pw_cli_error("booking", "no booking with locator %s", o.locator);
    pw_cli_audit(c.s, "booking.read", o.locator);
    pw_store_close(c.s);
    return rc == PW_OK && c.found ? PW_EXIT_OK : PW_EXIT_REJECTED;
}

/* 'paxwatch travellers': lists stored travellers (the current lists by
 * default, every version with --all), as a table or JSON lines. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "paxwatch/store.h"

struct ctx {
    int json;
    int failed;
};

static void usage(FILE *out)
{
    fprintf(out, "usage: paxwatch travellers [--db PATH] [--movement ID] "
                 "[--all] [--json]\n\n"
                 "Lists the travellers of the current lists of every movement, "
                 "or of one.\n\n"
                 "  --db PATH       the store (default $PAXWATCH_DB or "
                 "paxwatch.db)\n"
                 "  --movement ID   only this movement (see 'paxwatch "
                 "movements')\n"
                 "  --all           also superseded, replaced and cancelled "
                 "entries\n"
                 "  --json          one JSON object per traveller\n"
                 "  --help          this text\n");
}

static const char *or_dash(const char *s)
{
    return s && *s ? s : "-";
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static const char *state(const pw_store_traveller *tr)
{
    if (tr->cancelled)
        return "cancelled";
    return tr->current ? "current" : "superseded";
}

static void print_row(const pw_store_traveller *tr)
{
    const pw_traveller *t = &tr->t;
    const pw_document *d = t->n_documents ? &t->documents[0] : NULL;

    printf("%-6lld %-5lld ", (long long)tr->id, (long long)tr->movement_id);
    pw_cli_cell(stdout, pw_role_name(t->role), 17);
    pw_cli_cell(stdout, t->surname, 18);
    pw_cli_cell(stdout, t->given_names, 20);
    printf("%-10s %-3s %-3s ", or_dash(t->birth_date), or_dash(t->sex),
           or_dash(t->nationality));
    pw_cli_cell(stdout, d ? d->number : NULL, 12);
    printf("%s%s\n", state(tr),
           tr->screened_in_part ? ", screened in part" : "");
}

static json_t *documents_json(const pw_traveller *t)
{
    json_t *a = json_array();

    for (size_t i = 0; i < t->n_documents; i++) {
        const pw_document *d = &t->documents[i];
        json_t *o = json_object();
        json_object_set_new(o, "type", str_or_null(d->type));
        json_object_set_new(o, "number", str_or_null(d->number));
        json_object_set_new(o, "issuer", str_or_null(d->issuer));
        json_object_set_new(o, "expiry", str_or_null(d->expiry));
        json_array_append_new(a, o);
    }
    return a;
}

static void person_json(json_t *o, const pw_traveller *t)
{
    json_object_set_new(o, "role", json_string(pw_role_name(t->role)));
    json_object_set_new(o, "surname", str_or_null(t->surname));
    json_object_set_new(o, "given_names", str_or_null(t->given_names));
    json_object_set_new(o, "birth_date", str_or_null(t->birth_date));
    json_object_set_new(o, "sex", str_or_null(t->sex));
    json_object_set_new(o, "nationality", str_or_null(t->nationality));
    json_object_set_new(o, "residence", str_or_null(t->residence));
    json_object_set_new(o, "birth_place", str_or_null(t->birth_place));
    json_object_set_new(o, "embarkation", str_or_null(t->embarkation));
    json_object_set_new(o, "debarkation", str_or_null(t->debarkation));
    json_object_set_new(o, "seat", str_or_null(t->seat));
    json_object_set_new(o, "booking_ref", str_or_null(t->booking_ref));
    json_object_set_new(o, "passenger_ref", str_or_null(t->passenger_ref));
    json_object_set_new(o, "documents", documents_json(t));
}

static json_t *traveller_json(const pw_store_traveller *tr)
{
    json_t *o = json_object();

    json_object_set_new(o, "id", json_integer(tr->id));
    json_object_set_new(o, "movement", json_integer(tr->movement_id));
    json_object_set_new(o, "manifest", json_integer(tr->manifest_id));
    json_object_set_new(o, "message", json_integer(tr->message_id));
    json_object_set_new(o, "list",
                        json_string(pw_list_type_name(tr->list_type)));
    json_object_set_new(o, "version", json_integer(tr->version));
    json_object_set_new(o, "status", json_string(state(tr)));
    json_object_set_new(o, "screened_in_part",
                        json_boolean(tr->screened_in_part));
    person_json(o, &tr->t);
    return o;
}

static int traveller_line(void *vctx, const pw_store_traveller *tr)
{
    struct ctx *c = vctx;
    json_t *o;
    char *text;

    if (!c->json) {
        print_row(tr);
        return 0;
    }
    o = traveller_json(tr);
    text = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    if (!text) {
        c->failed = 1;
        return 1;
    }
    puts(text);
    free(text);
    return 0;
}

static int list(pw_store *s, const pw_store_query *q, int json)
{
    struct ctx c = {.json = json};
    pw_rc rc;

    if (!json)
        printf("%-6s %-5s %-17s %-18s %-20s %-10s %-3s %-3s %-12s %s\n", "ID",
               "MVMT", "ROLE", "SURNAME", "GIVEN NAMES", "BIRTH", "SEX", "NAT",
               "DOCUMENT", "STATUS");
    rc = pw_store_travellers(s, q, traveller_line, &c);
    if (rc != PW_OK || c.failed) {
        pw_cli_error("travellers", "%s",
                     c.failed ? "out of memory" : pw_store_errmsg(s));
        return PW_EXIT_REJECTED;
    }
    return PW_EXIT_OK;
}

static int parse_id(const char *text, int64_t *id)
{
    char *end;
    long long v;

    errno = 0;
    v = strtoll(text, &end, 10);
    if (errno || *end || end == text || v <= 0)
        return -1;
    *id = v;
    return 0;
}

struct opts {
    const char *db;
    pw_store_query q;
    int json;
};

static int parse_args(int argc, char **argv, struct opts *o)
{
    static const struct option longs[] = {
        {"db", required_argument, NULL, 'd'},
        {"movement", required_argument, NULL, 'm'},
        {"all", no_argument, NULL, 'a'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;

    optind = 1;
    while ((c = getopt_long(argc, argv, "hd:m:aj", longs, NULL)) != -1) {
        if (c == 'd')
            o->db = optarg;
        else if (c == 'a')
            o->q.all = 1;
        else if (c == 'j')
            o->json = 1;
        else if (c == 'h')
            return usage(stdout), PW_EXIT_OK;
        else if (c != 'm')
            return usage(stderr), PW_EXIT_USAGE;
        else if (parse_id(optarg, &o->q.movement_id) != 0) {
            pw_cli_error("travellers", "--movement wants a number, not '%s'",
                         optarg);
            return PW_EXIT_USAGE;
        }
    }
    if (optind < argc) {
        pw_cli_error("travellers", "unexpected argument '%s'", argv[optind]);
        return PW_EXIT_USAGE;
    }
    return -1;
}

/* Listing must not leave an empty store behind a mistyped path. */
static pw_store *open_existing(const char *db)
{
    pw_store *s = NULL;

    if (!strstr(db, "://") && access(db, F_OK) != 0) {
        pw_cli_error("travellers", "no store at %s", db);
        return NULL;
    }
    if (pw_store_open(db, &s) != PW_OK)
        pw_cli_error("travellers", "cannot open the store %s", db);
    return s;
}

int pw_cmd_travellers(int argc, char **argv)
{
    struct opts o = {NULL, {0, 0}, 0};
    int status = parse_args(argc, argv, &o);
    pw_store *s;

    if (status >= 0)
        return status;
    s = open_existing(pw_cli_db(o.db));
    if (!s)
        return PW_EXIT_REJECTED;
    status = list(s, &o.q, o.json);
    pw_cli_audit_read(s, "traveller.list", (long long)o.q.movement_id);
    pw_store_close(s);
    return status;
}

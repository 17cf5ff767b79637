/* 'paxwatch hit': one hit with why it fired, the traveller's details,
 * the movement and every review step, as text or JSON. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "paxwatch/review.h"

#define VERB "hit"

struct opts {
    const char *db;
    int json;
};

/* What is gathered about the hit, as JSON whatever the output. */
struct shown {
    json_t *hit, *traveller, *movement, *steps;
    int64_t traveller_id, movement_id;
};

static void usage(FILE *out)
{
    fprintf(out, "usage: paxwatch hit [--db PATH] [--json] ID\n\n"
                 "Shows hit ID: what raised it and why, the traveller, the "
                 "movement and the\nreview steps so far.\n");
}

static json_t *str(const char *s)
{
    return s ? json_string(s) : json_null();
}

static int take_hit(void *ctx, const pw_review_hit *r)
{
    struct shown *sh = ctx;
    const pw_store_hit *h = &r->hit;
    json_t *o = json_object();
    json_t *expl = h->explanation ? json_loads(h->explanation, 0, NULL) : NULL;

    json_object_set_new(o, "id", json_integer(h->id));
    json_object_set_new(o, "kind", str(h->kind));
    json_object_set_new(o, "status", str(h->status));
    json_object_set_new(o, "reviewed", json_boolean(r->reviews > 0));
    json_object_set_new(o, "list", str(h->list));
    json_object_set_new(o, "entry_id", str(h->entry_id));
    json_object_set_new(o, "entry_name", str(h->entry_name));
    json_object_set_new(o, "score", json_real(h->score));
    if (r->rule_version)
        json_object_set_new(o, "rule_version", json_integer(r->rule_version));
    json_object_set_new(o, "severity", str(r->severity));
    json_object_set_new(o, "category", str(r->category));
    json_object_set_new(o, "created_at", str(h->created_at));
    json_object_set_new(o, "explanation", expl ? expl : json_null());
    sh->hit = o;
    sh->traveller_id = h->traveller_id;
    sh->movement_id = h->movement_id;
    return 1;
}

static json_t *documents_json(const pw_traveller *t)
{
    json_t *a = json_array();

    for (size_t i = 0; i < t->n_documents; i++)
        json_array_append_new(a,
                              json_pack("{s:o, s:o, s:o, s:o}", "type",
                                        str(t->documents[i].type), "number",
                                        str(t->documents[i].number), "issuer",
                                        str(t->documents[i].issuer), "expiry",
                                        str(t->documents[i].expiry)));
    return a;
}

static int take_traveller(void *ctx, const pw_store_traveller *tr)
{
    struct shown *sh = ctx;
    const pw_traveller *t = &tr->t;
    json_t *o;

    if (tr->id != sh->traveller_id)
        return 0;
    o = json_object();
    json_object_set_new(o, "id", json_integer(tr->id));
    json_object_set_new(o, "surname", str(t->surname));
    json_object_set_new(o, "given_names", str(t->given_names));
    json_object_set_new(o, "birth_date", str(t->birth_date));
    json_object_set_new(o, "sex", str(t->sex));
    json_object_set_new(o, "nationality", str(t->nationality));
    json_object_set_new(o, "role", json_string(pw_role_name(t->role)));
    json_object_set_new(o, "booking_ref", str(t->booking_ref));
    json_object_set_new(o, "seat", str(t->seat));
    json_object_set_new(o, "current", json_boolean(tr->current));
    json_object_set_new(o, "list_version", json_integer(tr->version));
    json_object_set_new(o, "documents", documents_json(t));
    sh->traveller = o;
    return 1;
}

static int take_movement(void *ctx, const pw_store_movement *mv)
{
    struct shown *sh = ctx;

    sh->movement =
        json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o}", "id",
                  (json_int_t)mv->id, "carrier", str(mv->carrier), "number",
                  str(mv->number), "vessel", str(mv->vessel.name), "date",
                  str(mv->date), "from", str(mv->from), "to", str(mv->to));
    return 1;
}

static int take_step(void *ctx, const pw_hit_step *st)
{
    struct shown *sh = ctx;

    json_array_append_new(
        sh->steps, json_pack("{s:o, s:o, s:o, s:o, s:o}", "from", str(st->from),
                             "to", str(st->to), "who", str(st->who), "at",
                             str(st->at), "reason", str(st->reason)));
    return 0;
}

static pw_rc gather(pw_store *s, int64_t id, struct shown *sh)
{
    pw_hit_filter f = {.hit_id = id};
    pw_store_query q = {0};
    pw_rc rc = pw_review_hits(s, &f, take_hit, sh);

    if (rc == PW_OK && !sh->hit)
        return PW_ERR_NOTFOUND;
    q.movement_id = sh->movement_id;
    q.all = 1;
    if (rc == PW_OK)
        rc = pw_store_travellers(s, &q, take_traveller, sh);
    if (rc == PW_OK)
        rc = pw_store_movements(s, sh->movement_id, take_movement, sh);
    sh->steps = json_array();
    if (rc == PW_OK)
        rc = pw_hit_steps(s, id, take_step, sh);
    return rc;
}

static const char *text(json_t *o, const char *key)
{
    const char *v = json_string_value(json_object_get(o, key));

    return v ? v : "-";
}

static void print_why(json_t *expl)
{
    json_t *reasons = json_object_get(expl, "reasons");
    json_t *parts = json_object_get(expl, "parts");
    json_t *p;
    size_t i;

    json_array_foreach(reasons, i, p)
        printf("  %s = %s\n", text(p, "field"), text(p, "value"));
    json_array_foreach(parts, i, p)
    {
        char *one = json_dumps(p, JSON_COMPACT);
        if (one)
            printf("  %s\n", one);
        free(one);
    }
}

static void print_text(const struct shown *sh)
{
    json_t *h = sh->hit, *t = sh->traveller, *m = sh->movement, *st;
    size_t i;

    printf("hit %lld: %s  status %s%s\n",
           (long long)json_integer_value(json_object_get(h, "id")),
           text(h, "kind"), text(h, "status"),
           json_is_true(json_object_get(h, "reviewed")) ? ""
                                                        : "  (NOT REVIEWED)");
    printf("raised by: %s %s (%s)  severity %s  category %s\n", text(h, "list"),
           text(h, "entry_id"), text(h, "entry_name"), text(h, "severity"),
           text(h, "category"));
    if (json_is_null(json_object_get(h, "explanation")) ||
        !json_object_get(h, "explanation"))
        printf("why: not kept (the traveller was depersonalised)\n");
    else {
        printf("why:\n");
        print_why(json_object_get(h, "explanation"));
    }
    printf("traveller %lld: %s, %s  born %s  nationality %s  booking %s\n",
           (long long)sh->traveller_id, text(t, "surname"),
           text(t, "given_names"), text(t, "birth_date"),
           text(t, "nationality"), text(t, "booking_ref"));
    printf("movement %lld: %s %s  %s  %s-%s\n", (long long)sh->movement_id,
           text(m, "number"), text(m, "vessel"), text(m, "date"),
           text(m, "from"), text(m, "to"));
    printf("review steps:%s\n", json_array_size(sh->steps) ? "" : " none");
    json_array_foreach(sh->steps, i, st)
        printf("  %s  %s -> %s  by %s  %s\n", text(st, "at"), text(st, "from"),
               text(st, "to"), text(st, "who"), text(st, "reason"));
}

static int print_json(struct shown *sh)
{
    json_t *o = json_pack("{s:O, s:O, s:O, s:O}", "hit", sh->hit, "traveller",
                          sh->traveller ? sh->traveller : json_null(),
                          "movement", sh->movement ? sh->movement : json_null(),
                          "reviews", sh->steps);
    char *out = o ? json_dumps(o, JSON_INDENT(2)) : NULL;

    json_decref(o);
    if (!out)
        return -1;
    puts(out);
    free(out);
    return 0;
}

static int show(pw_store *s, int64_t id, int json)
{
    struct shown sh = {0};
    pw_rc rc = gather(s, id, &sh);
    int status = PW_EXIT_OK;

    if (rc == PW_ERR_NOTFOUND) {
        pw_cli_error(VERB, "no hit %lld", (long long)id);
        status = PW_EXIT_REJECTED;
    } else if (rc != PW_OK) {
        pw_cli_error(VERB, "%s", pw_store_errmsg(s));
        status = PW_EXIT_REJECTED;
    } else if (json && print_json(&sh) != 0) {
        pw_cli_error(VERB, "out of memory");
        status = PW_EXIT_REJECTED;
    } else if (!json) {
        print_text(&sh);
    }
    json_decref(sh.hit);
    json_decref(sh.traveller);
    json_decref(sh.movement);
    json_decref(sh.steps);
    return status;
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
        pw_cli_error(VERB, "the hit ID is a number, not '%s'", argv[optind]);
        return PW_EXIT_USAGE;
    }
    return -1;
}

int pw_cmd_hit(int argc, char **argv)
{
    struct opts o = {0};
    int64_t id = 0;
    int status = parse_args(argc, argv, &o, &id);
    pw_store *s = NULL;

    if (status >= 0)
        return status;
    if (pw_cli_open(VERB, o.db, &s) != 0)
        return PW_EXIT_REJECTED;
    status = show(s, id, o.json);
    pw_cli_audit_read(s, "hit.read", (long long)id);
    pw_store_close(s);
    return status;
}

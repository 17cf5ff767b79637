/* 'paxwatch hits': lists the screening hits kept in the store, with why
 * each fired, as a table or JSON lines. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "paxwatch/review.h"
#include "paxwatch/store.h"

#define WHY_MAX 160

struct opts {
    const char *db;
    int64_t movement;
    pw_hit_status status;
    int json;
};

struct ctx {
    int json;
    int failed;
    size_t n;
};

static void usage(FILE *out)
{
    fprintf(out, "usage: paxwatch hits [--db PATH] [--status S] "
                 "[--movement ID] [--json]\n\n"
                 "Lists the hits screening found when travellers were "
                 "ingested: the traveller,\n"
                 "the movement, the list and its entry, the score and why "
                 "it fired.\nHits from rules show the rule and the values "
                 "that made it fire. A hit\nnobody has reviewed yet is "
                 "marked UNREVIEWED: no hit leads to action\nwithout a "
                 "person's review ('paxwatch review').\n\n"
                 "  --db PATH       the store (default $PAXWATCH_DB or "
                 "paxwatch.db)\n"
                 "  --movement ID   only this movement (see 'paxwatch "
                 "movements')\n"
                 "  --status S      only hits in status S: new, in_review, "
                 "confirmed,\n"
                 "                  dismissed, reopened\n"
                 "  --json          one JSON object per hit, with the full "
                 "explanation\n"
                 "  --help          this text\n");
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* One explanation part in a few words: "SMITH=SMYTH fuzzy" for names,
 * "birth_date exact" for qualifiers. */
static int part_text(json_t *p, char *buf, size_t cap)
{
    const char *kind = json_string_value(json_object_get(p, "kind"));
    const char *how = json_string_value(json_object_get(p, "how"));
    const char *q = json_string_value(
        json_object_get(p, json_object_get(p, "query") ? "query" : "value"));
    const char *e = json_string_value(json_object_get(p, "entry"));

    if (!kind && json_object_get(p, "field"))
        return snprintf(buf, cap, "%s=%s",
                        json_string_value(json_object_get(p, "field")),
                        q ? q : "");
    if (!kind)
        return 0;
    if (!strcmp(kind, "token") && q && e)
        return snprintf(buf, cap, "%s=%s %s", q, e, how ? how : "");
    if (!strncmp(kind, "missing", 7))
        return snprintf(buf, cap, "%s %s", kind, q ? q : e ? e : "");
    return snprintf(buf, cap, "%s %s", kind, how ? how : "");
}

/* The explanation as one short line for the table. */
static void short_why(const char *expl, char out[WHY_MAX])
{
    json_t *root = expl ? json_loads(expl, 0, NULL) : NULL;
    json_t *parts = json_object_get(root, "parts");
    size_t used = 0, i;
    json_t *p;

    if (!parts)
        parts = json_object_get(root, "reasons");

    out[0] = '\0';
    json_array_foreach(parts, i, p)
    {
        char one[96];
        int n = part_text(p, one, sizeof(one));
        if (n <= 0)
            continue;
        if (used + (size_t)n + 3 >= WHY_MAX) {
            snprintf(out + used, WHY_MAX - used, "%s...", used ? "; " : "");
            break;
        }
        used += (size_t)snprintf(out + used, WHY_MAX - used, "%s%s",
                                 used ? "; " : "", one);
    }
    json_decref(root);
}

static void movement_text(const pw_store_hit *h, char *buf, size_t cap)
{
    /* The stored flight number carries its airline already. */
    const char *what = h->vessel   ? h->vessel
                       : h->number ? h->number
                                   : h->carrier;

    snprintf(buf, cap, "%s", what ? what : "-");
}

static void print_row(const pw_review_hit *r)
{
    const pw_store_hit *h = &r->hit;
    char mv[64], why[WHY_MAX];

    movement_text(h, mv, sizeof(mv));
    printf("%-5lld %-5lld ", (long long)h->id, (long long)h->movement_id);
    pw_cli_cell(stdout, mv, 10);
    pw_cli_cell(stdout, h->surname, 16);
    pw_cli_cell(stdout, h->given_names, 16);
    pw_cli_cell(stdout, h->list, 12);
    pw_cli_cell(stdout, h->entry_id, 15);
    pw_cli_cell(stdout, h->entry_name, 24);
    /* A rule hit has a severity, not a similarity score. */
    if (h->kind && !strcmp(h->kind, "rule"))
        pw_cli_cell(stdout, r->severity, 6);
    else
        printf("%-6.2f ", h->score);
    printf("%-8s ", h->kind ? h->kind : "-");
    printf("%s%s\n", h->status ? h->status : "-",
           r->reviews ? "" : " UNREVIEWED");
    short_why(h->explanation, why);
    if (why[0])
        printf("      why: %s\n", why);
}

static json_t *hit_json(const pw_review_hit *r)
{
    const pw_store_hit *h = &r->hit;
    json_t *o = json_object();
    json_t *expl = h->explanation ? json_loads(h->explanation, 0, NULL) : NULL;
    char mv[64];

    movement_text(h, mv, sizeof(mv));
    json_object_set_new(o, "id", json_integer(h->id));
    json_object_set_new(o, "traveller", json_integer(h->traveller_id));
    json_object_set_new(o, "surname", str_or_null(h->surname));
    json_object_set_new(o, "given_names", str_or_null(h->given_names));
    json_object_set_new(o, "movement", json_integer(h->movement_id));
    json_object_set_new(o, "flight", json_string(mv));
    json_object_set_new(o, "date", str_or_null(h->date));
    json_object_set_new(o, "list", str_or_null(h->list));
    json_object_set_new(o, "entry_id", str_or_null(h->entry_id));
    json_object_set_new(o, "entry_name", str_or_null(h->entry_name));
    json_object_set_new(o, "score", json_real(h->score));
    json_object_set_new(o, "kind", str_or_null(h->kind));
    json_object_set_new(o, "status", str_or_null(h->status));
    json_object_set_new(o, "reviewed", json_boolean(r->reviews > 0));
    json_object_set_new(o, "severity", str_or_null(r->severity));
    json_object_set_new(o, "category", str_or_null(r->category));
    if (r->rule_version)
        json_object_set_new(o, "rule_version", json_integer(r->rule_version));
    json_object_set_new(o, "created_at", str_or_null(h->created_at));
    json_object_set_new(o, "explanation", expl ? expl : json_null());
    return o;
}

static int hit_line(void *vctx, const pw_review_hit *h)
{
    struct ctx *c = vctx;
    json_t *o;
    char *text;

    c->n++;
    if (!c->json) {
        print_row(h);
        return 0;
    }
    o = hit_json(h);
    text = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    if (!text) {
        c->failed = 1;
        return 1;
    }
    puts(text);
    free(text);
    return 0;
}

static int list(pw_store *s, const struct opts *o)
{
    pw_hit_filter f = {.status = o->status, .movement_id = o->movement};
    struct ctx c = {.json = o->json};
    int json = o->json;
    pw_rc rc;

    if (!json)
        printf("%-5s %-5s %-10s %-16s %-16s %-12s %-15s %-24s %-6s %-8s "
               "%s\n",
               "ID", "MVMT", "FLIGHT", "SURNAME", "GIVEN NAMES", "LIST",
               "ENTRY", "ENTRY NAME", "SCORE", "KIND", "STATUS");
    rc = pw_review_hits(s, &f, hit_line, &c);
    if (rc != PW_OK || c.failed) {
        pw_cli_error("hits", "%s",
                     c.failed ? "out of memory" : pw_store_errmsg(s));
        return PW_EXIT_REJECTED;
    }
    if (!json && c.n == 0)
        printf("(no hits)\n");
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

static int parse_args(int argc, char **argv, struct opts *o)
{
    static const struct option longs[] = {
        {"db", required_argument, NULL, 'd'},
        {"movement", required_argument, NULL, 'm'},
        {"status", required_argument, NULL, 's'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;

    optind = 1;
    while ((c = getopt_long(argc, argv, "hd:m:s:j", longs, NULL)) != -1) {
        if (c == 'd')
            o->db = optarg;
        else if (c == 's' && !(o->status = pw_hit_status_from(optarg))) {
            pw_cli_error("hits",
                         "unknown status '%s' (new, in_review, "
                         "confirmed, dismissed, reopened)",
                         optarg);
            return PW_EXIT_USAGE;
        } else if (c == 's')
            continue;
        else if (c == 'j')
            o->json = 1;
        else if (c == 'h')
            return usage(stdout), PW_EXIT_OK;
        else if (c != 'm')
            return usage(stderr), PW_EXIT_USAGE;
        else if (parse_id(optarg, &o->movement) != 0) {
            pw_cli_error("hits", "--movement wants a number, not '%s'", optarg);
            return PW_EXIT_USAGE;
        }
    }
    if (optind < argc) {
        pw_cli_error("hits", "unexpected argument '%s'", argv[optind]);
        return PW_EXIT_USAGE;
    }
    return -1;
}

/* Listing must not leave an empty store behind a mistyped path. */
static pw_store *open_existing(const char *db)
{
    pw_store *s = NULL;

    if (!strstr(db, "://") && access(db, F_OK) != 0) {
        pw_cli_error("hits", "no store at %s", db);
        return NULL;
    }
    if (pw_store_open(db, &s) != PW_OK)
        pw_cli_error("hits", "cannot open the store %s", db);
    return s;
}

int pw_cmd_hits(int argc, char **argv)
{
    struct opts o = {0};
    int status = parse_args(argc, argv, &o);
    pw_store *s;

    if (status >= 0)
        return status;
    s = open_existing(pw_cli_db(o.db));
    if (!s)
        return PW_EXIT_REJECTED;
    status = list(s, &o);
    pw_cli_audit_read(s, "hit.list", (long long)o.movement);
    pw_store_close(s);
    return status;
}

/* 'paxwatch audit': lists the audit log and verifies its hash chain;
 * and the helper other verbs record their changes with. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "paxwatch/audit.h"
#include "paxwatch/review.h"

#define VERB "audit"

struct opts {
    const char *db, *user, *since;
    const char *head; /* verify --head SEQ:HASH */
    int json;
};

int pw_cli_audit_why(pw_store *s, const char *action, const char *object,
                     const char *purpose, const char *outcome)
{
    char who[PW_REVIEW_MAX_WHO + 1];
    pw_audit_entry e = {.action = action,
                        .object = object,
                        .client = "cli",
                        .purpose = purpose,
                        .outcome = outcome};

    pw_review_who(who, sizeof who);
    e.who = who;
    if (pw_audit_add(s, &e) == PW_OK)
        return 1;
    pw_cli_error(action, "could not write the audit entry: %s",
                 pw_store_errmsg(s));
    return 0;
}

void pw_cli_audit(pw_store *s, const char *action, const char *object)
{
    pw_cli_audit_why(s, action, object, NULL, "ok");
}

void pw_cli_audit_read(pw_store *s, const char *action, long long id)
{
    char object[24];

    snprintf(object, sizeof object, "%lld", id);
    pw_cli_audit(s, action, id ? object : NULL);
}

static void usage(FILE *out)
{
    fprintf(out,
            "usage: paxwatch audit [--db PATH] [--user U] [--since DATE] "
            "[--json]\n"
            "       paxwatch audit [--db PATH] [--head SEQ:HASH] verify\n"
            "       paxwatch audit [--db PATH] [--json] head\n\n"
            "Lists who read or changed what; or walks the hash chain and "
            "names the first\nchanged, removed or reordered entry (exit 1 "
            "then); or prints the last entry's\nSEQ:HASH. Keep that where "
            "the store's users cannot write, and give it to a\nlater verify "
            "as --head: entries removed from the end are then seen too.\n");
}

static int parse_args(int argc, char **argv, struct opts *o)
{
    static const struct option longs[] = {
        {"db", required_argument, NULL, 'd'},
        {"user", required_argument, NULL, 'u'},
        {"since", required_argument, NULL, 's'},
        {"json", no_argument, NULL, 'j'},
        {"head", required_argument, NULL, 'H'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;

    optind = 1;
    while ((c = getopt_long(argc, argv, "hd:u:s:jH:", longs, NULL)) != -1) {
        if (c == 'd')
            o->db = optarg;
        else if (c == 'u')
            o->user = optarg;
        else if (c == 's')
            o->since = optarg;
        else if (c == 'j')
            o->json = 1;
        else if (c == 'H')
            o->head = optarg;
        else if (c == 'h')
            return usage(stdout), PW_EXIT_OK;
        else
            return usage(stderr), PW_EXIT_USAGE;
    }
    if (optind < argc &&
        ((strcmp(argv[optind], "verify") && strcmp(argv[optind], "head")) ||
         optind + 1 != argc)) {
        usage(stderr);
        return PW_EXIT_USAGE;
    }
    if (o->head && (optind >= argc || strcmp(argv[optind], "verify"))) {
        pw_cli_error(VERB, "--head goes with verify");
        return PW_EXIT_USAGE;
    }
    return -1;
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static int print_json(void *ctx, const pw_audit_entry *e)
{
    json_t *o = json_pack(
        "{sI so so so so so so so so}", "seq", (json_int_t)e->seq, "at",
        str_or_null(e->at), "user", str_or_null(e->who), "action",
        str_or_null(e->action), "object", str_or_null(e->object), "client",
        str_or_null(e->client), "purpose", str_or_null(e->purpose), "outcome",
        str_or_null(e->outcome), "hash", str_or_null(e->hash));

    if (o) {
        json_dumpf(o, stdout, JSON_COMPACT);
        putchar('\n');
        json_decref(o);
    }
    return 0;
}

static int print_line(void *ctx, const pw_audit_entry *e)
{
    printf("%6lld %-20s %-16s %-16s %-16s %-15s %s\n", (long long)e->seq, e->at,
           e->who, e->action, e->object ? e->object : "-",
           e->client ? e->client : "-", e->outcome ? e->outcome : "-");
    return 0;
}

static int verify(pw_store *s, const char *head)
{
    pw_audit_check c;
    char hash[65];
    int64_t seq = 0;
    pw_rc rc;

    if (head && !pw_audit_head_parse(head, &seq, hash)) {
        pw_cli_error(VERB, "--head wants SEQ:HASH as 'paxwatch audit head' "
                           "prints it (64 lower-case hex digits)");
        return PW_EXIT_USAGE;
    }
    rc = head ? pw_audit_verify_head(s, seq, hash, &c) : pw_audit_verify(s, &c);
    if (rc != PW_OK) {
        pw_cli_error(VERB, "cannot read the log: %s", pw_store_errmsg(s));
        return PW_EXIT_REJECTED;
    }
    if (c.bad) {
        printf("audit chain broken at entry %lld: %s\n", (long long)c.bad,
               c.why);
        return PW_EXIT_REJECTED;
    }
    printf("audit chain intact: %zu entries%s\n", c.entries,
           head ? ", reaching the given head" : "");
    return PW_EXIT_OK;
}

static int head(pw_store *s, int json)
{
    char hash[65];
    int64_t seq;

    if (pw_audit_head(s, &seq, hash) != PW_OK) {
        pw_cli_error(VERB, "cannot read the log: %s", pw_store_errmsg(s));
        return PW_EXIT_REJECTED;
    }
    if (!seq) {
        pw_cli_error(VERB, "the log is empty");
        return PW_EXIT_REJECTED;
    }
    if (json)
        printf("{\"seq\":%lld,\"hash\":\"%s\"}\n", (long long)seq, hash);
    else
        printf("%lld:%s\n", (long long)seq, hash);
    return PW_EXIT_OK;
}

static int list(pw_store *s, const struct opts *o)
{
    pw_audit_filter f = {.who = o->user, .since = o->since};

    if (!o->json)
        printf("%6s %-20s %-16s %-16s %-16s %-15s %s\n", "SEQ", "AT", "USER",
               "ACTION", "OBJECT", "CLIENT", "OUTCOME");
    if (pw_audit_each(s, &f, o->json ? print_json : print_line, NULL) !=
        PW_OK) {
        pw_cli_error(VERB, "cannot read the log: %s", pw_store_errmsg(s));
        return PW_EXIT_REJECTED;
    }
    return PW_EXIT_OK;
}

int pw_cmd_audit(int argc, char **argv)
{
    struct opts o = {0};
    int status = parse_args(argc, argv, &o);
    pw_store *s = NULL;

    if (status >= 0)
        return status;
    if (pw_cli_open(VERB, o.db, &s) != 0)
        return PW_EXIT_REJECTED;
    if (optind >= argc) {
        status = list(s, &o);
        pw_cli_audit(s, "audit.read", o.user);
    } else if (!strcmp(argv[optind], "head"))
        status = head(s, o.json);
    else
        status = verify(s, o.head);
    pw_store_close(s);
    return status;
}

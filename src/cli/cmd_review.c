/* 'paxwatch review': moves a hit to another review state, recording
 * who did it, when and why. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "paxwatch/review.h"

#define VERB "review"

struct opts {
    const char *db, *status, *reason;
};

static void usage(FILE *out)
{
    fprintf(out,
            "usage: paxwatch review [--db PATH] ID --status S "
            "[--reason TEXT]\n\n"
            "Moves hit ID to status S: in_review, confirmed, dismissed (a "
            "reason is\nrequired), reopened, or back to new from in_review. "
            "Confirmed and dismissed\nhits can only be reopened. Each step "
            "is kept with the user ($PAXWATCH_USER,\nelse the login), the "
            "time and the reason.\n");
}

static int parse_args(int argc, char **argv, struct opts *o)
{
    static const struct option longs[] = {
        {"db", required_argument, NULL, 'd'},
        {"status", required_argument, NULL, 's'},
        {"reason", required_argument, NULL, 'r'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;

    optind = 1;
    while ((c = getopt_long(argc, argv, "hd:s:r:", longs, NULL)) != -1) {
        if (c == 'd')
            o->db = optarg;
        else if (c == 's')
            o->status = optarg;
        else if (c == 'r')
            o->reason = optarg;
        else if (c == 'h')
            return usage(stdout), PW_EXIT_OK;
        else
            return usage(stderr), PW_EXIT_USAGE;
    }
    if (optind + 1 != argc || !o->status) {
        usage(stderr);
        return PW_EXIT_USAGE;
    }
    return -1;
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

static int apply(pw_store *s, int64_t id, pw_hit_status to, const char *reason)
{
    char who[PW_REVIEW_MAX_WHO + 1], object[24];
    pw_hit_status from = 0;
    pw_rc rc;

    pw_review_who(who, sizeof(who));
    rc = pw_hit_review(s, id, to, who, reason, &from);
    if (rc != PW_OK) {
        pw_cli_error(VERB, "%s", pw_store_errmsg(s));
        return PW_EXIT_REJECTED;
    }
    snprintf(object, sizeof(object), "%lld", (long long)id);
    pw_cli_audit(s, "hit.review", object);
    printf("hit %lld: %s -> %s (by %s)\n", (long long)id,
           pw_hit_status_name(from), pw_hit_status_name(to), who);
    return PW_EXIT_OK;
}

int pw_cmd_review(int argc, char **argv)
{
    struct opts o = {0};
    int status = parse_args(argc, argv, &o);
    pw_hit_status to;
    pw_store *s = NULL;
    int64_t id;

    if (status >= 0)
        return status;
    if (parse_id(argv[optind], &id) != 0) {
        pw_cli_error(VERB, "the hit ID is a number, not '%s'", argv[optind]);
        return PW_EXIT_USAGE;
    }
    to = pw_hit_status_from(o.status);
    if (!to) {
        pw_cli_error(VERB,
                     "unknown status '%s' (new, in_review, confirmed, "
                     "dismissed, reopened)",
                     o.status);
        return PW_EXIT_USAGE;
    }
    if (pw_cli_open(VERB, o.db, &s) != 0)
        return PW_EXIT_REJECTED;
    status = apply(s, id, to, o.reason);
    pw_store_close(s);
    return status;
}

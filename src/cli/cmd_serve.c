/* 'paxwatch serve': runs the HTTP API (src/server) over the store. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "paxwatch/iapi.h"
#include "server/server.h"

#define VERB "serve"

static void usage(FILE *out)
{
    fprintf(out, "usage: paxwatch serve [--db PATH] [--listen ADDR:PORT] "
                 "[--cert FILE --key FILE]\n"
                 "                      [--threads N] [--session-ttl SECONDS] "
                 "[--log-level L]\n"
                 "                      [--iapi-policy FILE]\n\n"
                 "Serves the HTTP API (docs/api.md) on 127.0.0.1:8080 unless "
                 "told otherwise\n(an IPv6 address goes in brackets: "
                 "[::1]:8080); HTTPS with --cert and --key\n(PEM). One log "
                 "line per request on stderr. SIGINT or SIGTERM stops it.\n"
                 "The iAPI answers by --iapi-policy FILE, else "
                 "$PAXWATCH_IAPI_POLICY, else the\ndefaults "
                 "(docs/iapi.md); a policy with a mistake stops the start "
                 "(exit 2).\n");
}

static int number(const char *text, long min, long max, long *v)
{
    char *end;

    errno = 0;
    *v = strtol(text, &end, 10);
    return errno || *end || end == text || *v < min || *v > max ? -1 : 0;
}

static int set_level(const char *name)
{
    static const char *const names[] = {"error", "warn", "info", "debug"};

    for (int i = 0; i < 4; i++)
        if (!strcmp(name, names[i])) {
            pw_srv_log_level = (enum pw_srv_level)i;
            return 0;
        }
    return -1;
}

static int option(int c, pw_srv_config *cfg)
{
    long v;

    switch (c) {
    case 'd':
        cfg->db = optarg;
        return 0;
    case 'l':
        cfg->listen = optarg;
        return 0;
    case 'c':
        cfg->cert = optarg;
        return 0;
    case 'k':
        cfg->key = optarg;
        return 0;
    case 't':
        if (number(optarg, 1, 64, &v) != 0)
            return -1;
        cfg->threads = (unsigned)v;
        return 0;
    case 's':
        if (number(optarg, 1, 7 * 24 * 3600, &v) != 0)
            return -1;
        cfg->session_ttl = v;
        return 0;
    case 'L':
        return set_level(optarg);
    case 'p':
        cfg->iapi_policy = optarg;
        return 0;
    default:
        return -1;
    }
}

static int parse_args(int argc, char **argv, pw_srv_config *cfg)
{
    static const struct option longs[] = {
        {"db", required_argument, NULL, 'd'},
        {"listen", required_argument, NULL, 'l'},
        {"cert", required_argument, NULL, 'c'},
        {"key", required_argument, NULL, 'k'},
        {"threads", required_argument, NULL, 't'},
        {"session-ttl", required_argument, NULL, 's'},
        {"log-level", required_argument, NULL, 'L'},
        {"iapi-policy", required_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;

    optind = 1;
    while ((c = getopt_long(argc, argv, "hd:l:", longs, NULL)) != -1) {
        if (c == 'h')
            return usage(stdout), PW_EXIT_OK;
        if (option(c, cfg) != 0)
            return usage(stderr), PW_EXIT_USAGE;
    }
    if (optind != argc || !cfg->cert != !cfg->key) {
        usage(stderr);
        return PW_EXIT_USAGE;
    }
    return -1;
}

/* Reads the iAPI policy once before serving, so a mistake in it stops
 * the start with its line instead of failing the first carrier. */
static int policy_ok(const char *path)
{
    pw_iapi_policy p;
    pw_diags d = {0};
    pw_rc rc = pw_iapi_policy_load(path, &p, &d);

    for (size_t i = 0; i < d.n; i++)
        pw_cli_error(VERB, "%s: %s", path, d.items[i].message);
    if (rc != PW_OK && !d.n)
        pw_cli_error(VERB, "cannot read the iAPI policy %s: %s", path,
                     pw_rc_str(rc));
    pw_diags_clear(&d);
    return rc == PW_OK;
}

int pw_cmd_serve(int argc, char **argv)
{
    pw_srv_config cfg = {.listen = "127.0.0.1:8080",
                         .threads = 4,
                         .session_ttl = PW_AUTH_SESSION_SECONDS};
    int status = parse_args(argc, argv, &cfg);
    pw_store *s = NULL;

    if (status >= 0)
        return status;
    if (!cfg.iapi_policy)
        cfg.iapi_policy = getenv("PAXWATCH_IAPI_POLICY");
    if (cfg.iapi_policy && *cfg.iapi_policy && !policy_ok(cfg.iapi_policy))
        return PW_EXIT_USAGE;
    cfg.db = pw_cli_db(cfg.db);
    /* open once to create and migrate the store before threads race */
    if (pw_store_open(cfg.db, &s) != PW_OK) {
        pw_cli_error(VERB, "cannot open the store %s", cfg.db);
        return PW_EXIT_REJECTED;
    }
    pw_store_close(s);
    return pw_srv_run(&cfg);
}

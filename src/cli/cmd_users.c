/* 'paxwatch users': add, list, disable users and set passwords, for the
 * first administrator and for operations. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "paxwatch/audit.h"
#include "paxwatch/auth.h"

#define VERB "users"

struct opts {
    const char *db, *role;
    int password_stdin;
};

static void usage(FILE *out)
{
    fprintf(out, "usage: paxwatch users [--db PATH] add NAME --role ROLE "
                 "[--password-stdin]\n"
                 "       paxwatch users [--db PATH] list\n"
                 "       paxwatch users [--db PATH] disable NAME\n"
                 "       paxwatch users [--db PATH] passwd NAME  (password on "
                 "stdin)\n\n"
                 "Roles: analyst, officer, list_manager, rule_author, dpo, "
                 "admin, carrier.\nA carrier gets an API key, printed as the "
                 "last line; only its hash is kept.\n");
}

static int parse_args(int argc, char **argv, struct opts *o)
{
    static const struct option longs[] = {
        {"db", required_argument, NULL, 'd'},
        {"role", required_argument, NULL, 'r'},
        {"password-stdin", no_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;

    optind = 1;
    while ((c = getopt_long(argc, argv, "hd:r:p", longs, NULL)) != -1) {
        if (c == 'd')
            o->db = optarg;
        else if (c == 'r')
            o->role = optarg;
        else if (c == 'p')
            o->password_stdin = 1;
        else if (c == 'h')
            return usage(stdout), PW_EXIT_OK;
        else
            return usage(stderr), PW_EXIT_USAGE;
    }
    if (optind >= argc) {
        usage(stderr);
        return PW_EXIT_USAGE;
    }
    return -1;
}

/* The first line of standard input, without its line end. */
static int read_password(char *buf, size_t cap)
{
    size_t n;

    if (!fgets(buf, (int)cap, stdin))
        return -1;
    n = strcspn(buf, "\r\n");
    if (buf[n] == '\0' && n + 1 >= cap)
        return -1; /* longer than the limit */
    buf[n] = '\0';
    return n > 0 ? 0 : -1;
}

static int fail(pw_store *s, pw_rc rc, const char *what)
{
    pw_cli_error(VERB, "%s: %s%s%s", what, pw_rc_str(rc),
                 *pw_store_errmsg(s) ? ": " : "", pw_store_errmsg(s));
    return PW_EXIT_REJECTED;
}

static int print_key(pw_store *s, int64_t id)
{
    char key[PW_AUTH_TOKEN_LEN + 1];
    pw_rc rc = pw_apikey_new(s, id, key);

    if (rc != PW_OK)
        return fail(s, rc, "cannot make an API key");
    printf("API key (shown once, keep it safe):\n%s\n", key);
    return PW_EXIT_OK;
}

static int add(pw_store *s, const char *name, const struct opts *o)
{
    static char pw[PW_AUTH_MAX_PASSWORD + 2];
    pw_user_role role = pw_user_role_from(o->role);
    int64_t id;
    pw_rc rc;

    if (!role) {
        pw_cli_error(VERB, "unknown role '%s'", o->role ? o->role : "");
        return PW_EXIT_USAGE;
    }
    if (o->password_stdin && read_password(pw, sizeof pw) != 0) {
        pw_cli_error(VERB, "no password (1 to %d bytes) on stdin",
                     PW_AUTH_MAX_PASSWORD);
        return PW_EXIT_USAGE;
    }
    rc = pw_user_add(s, name, role, o->password_stdin ? pw : NULL, &id);
    if (rc != PW_OK)
        return fail(s, rc, "cannot add the user");
    pw_cli_audit(s, "user.add", name);
    printf("user %s added with role %s\n", name, pw_user_role_name(role));
    return role == PW_ROLE_CARRIER ? print_key(s, id) : PW_EXIT_OK;
}

static int print_user(void *ctx, const pw_user *u)
{
    printf("%-24s %-13s %-9s %s\n", u->name, pw_user_role_name(u->role),
           u->disabled ? "disabled" : "active", u->created_at);
    return 0;
}

static int one_name(pw_store *s, const char *sub, const char *name)
{
    static char pw[PW_AUTH_MAX_PASSWORD + 2];
    pw_rc rc;

    if (!strcmp(sub, "disable")) {
        if ((rc = pw_user_disable(s, name)) != PW_OK)
            return fail(s, rc, "cannot disable the user");
        pw_cli_audit(s, "user.disable", name);
        printf("user %s disabled\n", name);
        return PW_EXIT_OK;
    }
    if (read_password(pw, sizeof pw) != 0) {
        pw_cli_error(VERB, "no password (1 to %d bytes) on stdin",
                     PW_AUTH_MAX_PASSWORD);
        return PW_EXIT_USAGE;
    }
    if ((rc = pw_user_passwd(s, name, pw)) != PW_OK)
        return fail(s, rc, "cannot set the password");
    pw_cli_audit(s, "user.passwd", name);
    printf("password of %s set\n", name);
    return PW_EXIT_OK;
}

static int run(pw_store *s, int argc, char **argv, const struct opts *o)
{
    const char *sub = argv[optind];
    const char *name = optind + 1 < argc ? argv[optind + 1] : NULL;
    pw_rc rc;

    if (!strcmp(sub, "list")) {
        printf("%-24s %-13s %-9s %s\n", "NAME", "ROLE", "STATE", "CREATED");
        rc = pw_users_each(s, print_user, NULL);
        return rc == PW_OK ? PW_EXIT_OK : fail(s, rc, "cannot list users");
    }
    if (!name || optind + 2 != argc) {
        usage(stderr);
        return PW_EXIT_USAGE;
    }
    if (!strcmp(sub, "add"))
        return add(s, name, o);
    if (!strcmp(sub, "disable") || !strcmp(sub, "passwd"))
        return one_name(s, sub, name);
    usage(stderr);
    return PW_EXIT_USAGE;
}

int pw_cmd_users(int argc, char **argv)
{
    struct opts o = {0};
    int status = parse_args(argc, argv, &o);
    pw_store *s = NULL;
    const char *db;

    if (status >= 0)
        return status;
    db = pw_cli_db(o.db);
    if (pw_store_open(db, &s) != PW_OK) {
        pw_cli_error(VERB, "cannot open the store %s", db);
        return PW_EXIT_REJECTED;
    }
    status = run(s, argc, argv, &o);
    pw_store_close(s);
    return status;
}

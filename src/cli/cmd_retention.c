/* 'paxwatch retention': depersonalise and delete on schedule, make the
 * data-protection officer's seal keys, and reveal a sealed message.
 * See docs/privacy.md, Retention. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "paxwatch/retention.h"

#define VERB "retention"

struct opts {
    const char *db, *seal_key, *as_of, *key, *reason;
    long long dep_days, del_days, message;
    int keep_confirmed, dry, json;
};

static void usage(FILE *out)
{
    fprintf(out,
            "usage: paxwatch retention run [--db PATH] [--depersonalise-after "
            "DAYS]\n"
            "           [--delete-after DAYS] [--delete-confirmed] "
            "[--seal-key FILE]\n"
            "           [--as-of TIME] [--dry-run] [--json]\n"
            "       paxwatch retention keygen PUBLIC-FILE SECRET-FILE\n"
            "       paxwatch retention reveal [--db PATH] --message ID --key "
            "SECRET-FILE\n"
            "           --reason TEXT\n\n"
            "run: deletes movements, bookings and raw messages past the "
            "retention period\n(default %d days; a movement with a "
            "confirmed hit is kept unless\n--delete-confirmed), then "
            "depersonalises what is past the first period\n(default %d "
            "days): names, contacts, addresses, document numbers, "
            "payment\nand frequent-flyer details, remarks; raw messages "
            "are cleared, sealed first\nto --seal-key (or "
            "$PAXWATCH_SEAL_KEY) when given. DAYS 0 skips a step.\n"
            "keygen: makes the key pair; the secret stays with the "
            "data-protection officer.\nreveal: prints a sealed message "
            "with the secret key, recorded with its reason.\n",
            PW_RETENTION_DELETE_DAYS, PW_RETENTION_DEPERSONALISE_DAYS);
}

static int parse_args(int argc, char **argv, struct opts *o)
{
    static const struct option longs[] = {
        {"db", required_argument, NULL, 'd'},
        {"depersonalise-after", required_argument, NULL, 'p'},
        {"delete-after", required_argument, NULL, 'x'},
        {"delete-confirmed", no_argument, NULL, 'c'},
        {"seal-key", required_argument, NULL, 'k'},
        {"as-of", required_argument, NULL, 'a'},
        {"dry-run", no_argument, NULL, 'n'},
        {"json", no_argument, NULL, 'j'},
        {"message", required_argument, NULL, 'm'},
        {"key", required_argument, NULL, 'K'},
        {"reason", required_argument, NULL, 'r'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;

    optind = 1;
    while ((c = getopt_long(argc, argv, "hd:p:x:ck:a:njm:K:r:", longs, NULL)) !=
           -1) {
        char *end = NULL;
        if (c == 'd')
            o->db = optarg;
        else if (c == 'p')
            o->dep_days = strtoll(optarg, &end, 10);
        else if (c == 'x')
            o->del_days = strtoll(optarg, &end, 10);
        else if (c == 'm')
            o->message = strtoll(optarg, &end, 10);
        else if (c == 'c')
            o->keep_confirmed = 0;
        else if (c == 'k')
            o->seal_key = optarg;
        else if (c == 'a')
            o->as_of = optarg;
        else if (c == 'n')
            o->dry = 1;
        else if (c == 'j')
            o->json = 1;
        else if (c == 'K')
            o->key = optarg;
        else if (c == 'r')
            o->reason = optarg;
        else if (c == 'h')
            return usage(stdout), PW_EXIT_OK;
        else
            return usage(stderr), PW_EXIT_USAGE;
        if (end && (*end || end == optarg)) {
            pw_cli_error(VERB, "not a whole number: %s", optarg);
            return PW_EXIT_USAGE;
        }
    }
    if (optind + 1 > argc) {
        usage(stderr);
        return PW_EXIT_USAGE;
    }
    return -1;
}

/* A key file: 64 hex digits and a line end. */
static int read_key(const char *path, unsigned char key[PW_RETENTION_KEY_BYTES])
{
    size_t len, got = 0;
    char *text = pw_cli_slurp(path, 4096, &len);
    int ok;

    if (!text) {
        pw_cli_error(VERB, "cannot read the key %s: %s", path, strerror(errno));
        return 0;
    }
    ok = sodium_hex2bin(key, PW_RETENTION_KEY_BYTES, text, len, " \r\n", &got,
                        NULL) == 0 &&
         got == PW_RETENTION_KEY_BYTES;
    sodium_memzero(text, len);
    free(text);
    if (!ok)
        pw_cli_error(VERB, "%s does not hold a key (64 hex digits)", path);
    return ok;
}

/* Writes key as hex to a new file path with mode; 0 on failure. */
static int write_key(const char *path, const unsigned char *key, int mode)
{
    char hex[PW_RETENTION_KEY_BYTES * 2 + 1];
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode);
    int ok;

    if (fd < 0) {
        pw_cli_error(VERB, "cannot create %s: %s", path, strerror(errno));
        return 0;
    }
    sodium_bin2hex(hex, sizeof hex, key, PW_RETENTION_KEY_BYTES);
    ok = write(fd, hex, sizeof hex - 1) == (ssize_t)(sizeof hex - 1) &&
         write(fd, "\n", 1) == 1;
    sodium_memzero(hex, sizeof hex);
    if (close(fd) != 0 || !ok) {
        pw_cli_error(VERB, "cannot write %s", path);
        return 0;
    }
    return 1;
}

static int keygen(int argc, char **argv)
{
    unsigned char pk[PW_RETENTION_KEY_BYTES], sk[PW_RETENTION_KEY_BYTES];
    int ok;

    if (argc - optind != 3) {
        usage(stderr);
        return PW_EXIT_USAGE;
    }
    if (sodium_init() < 0)
        return PW_EXIT_REJECTED;
    crypto_box_keypair(pk, sk);
    ok = write_key(argv[optind + 1], pk, 0644) &&
         write_key(argv[optind + 2], sk, 0600);
    sodium_memzero(sk, sizeof sk);
    if (!ok)
        return PW_EXIT_REJECTED;
    printf("public key in %s (give it to retention run); secret key in %s "
           "(keep it off this machine)\n",
           argv[optind + 1], argv[optind + 2]);
    return PW_EXIT_OK;
}

static void print_report(const pw_retention_report *r, int dry, int json)
{
    if (json) {
        printf("{\"dry_run\":%s,\"depersonalise_before\":\"%s\","
               "\"delete_before\":\"%s\",\"movements_depersonalised\":%zu,"
               "\"travellers_depersonalised\":%zu,"
               "\"bookings_depersonalised\":%zu,"
               "\"messages_depersonalised\":%zu,\"messages_sealed\":%zu,"
               "\"hits_masked\":%zu,\"movements_deleted\":%zu,"
               "\"travellers_deleted\":%zu,\"bookings_deleted\":%zu,"
               "\"messages_deleted\":%zu,\"hits_deleted\":%zu,"
               "\"movements_held\":%zu}\n",
               dry ? "true" : "false", r->depersonalise_before,
               r->delete_before, r->movements_depersonalised,
               r->travellers_depersonalised, r->bookings_depersonalised,
               r->messages_depersonalised, r->messages_sealed, r->hits_masked,
               r->movements_deleted, r->travellers_deleted, r->bookings_deleted,
               r->messages_deleted, r->hits_deleted, r->movements_held);
        return;
    }
    printf("%s\n", dry ? "dry run: nothing changed" : "retention run");
    if (*r->delete_before)
        printf("deleted (data before %s): %zu movements, %zu travellers, "
               "%zu bookings, %zu raw messages, %zu hits; %zu movements "
               "held for a confirmed hit\n",
               r->delete_before, r->movements_deleted, r->travellers_deleted,
               r->bookings_deleted, r->messages_deleted, r->hits_deleted,
               r->movements_held);
    if (*r->depersonalise_before)
        printf("depersonalised (data before %s): %zu movements, %zu "
               "travellers, %zu bookings, %zu raw messages (%zu sealed), "
               "%zu hits\n",
               r->depersonalise_before, r->movements_depersonalised,
               r->travellers_depersonalised, r->bookings_depersonalised,
               r->messages_depersonalised, r->messages_sealed, r->hits_masked);
}

static int run(pw_store *s, const struct opts *o)
{
    unsigned char key[PW_RETENTION_KEY_BYTES];
    const char *key_path =
        o->seal_key ? o->seal_key : getenv("PAXWATCH_SEAL_KEY");
    pw_retention_policy p;
    pw_retention_report r;
    char outcome[128];
    pw_rc rc;

    if (o->as_of && !o->dry && strcmp(o->as_of, "9999") < 0) {
        char today[32];
        time_t t = time(NULL);
        struct tm tm;

        gmtime_r(&t, &tm);
        strftime(today, sizeof today, "%Y-%m-%dT%H:%M:%SZ", &tm);
        if (strncmp(o->as_of, today, strlen(o->as_of)) > 0) {
            pw_cli_error(VERB,
                         "--as-of %s is in the future: only with "
                         "--dry-run, to see what a run will do",
                         o->as_of);
            return PW_EXIT_USAGE;
        }
    }
    pw_retention_default(&p);
    p.depersonalise_days = o->dep_days;
    p.delete_days = o->del_days;
    p.keep_confirmed = o->keep_confirmed;
    if (key_path && *key_path) {
        if (!read_key(key_path, key))
            return PW_EXIT_USAGE;
        p.seal_key = key;
    }
    rc = pw_retention_run(s, &p, o->as_of, o->dry, &r);
    if (rc == PW_ERR_INVALID) {
        pw_cli_error(VERB, "bad --as-of (YYYY-MM-DD or "
                           "YYYY-MM-DDTHH:MM:SSZ) or periods (whole days, "
                           "deletion not before depersonalisation)");
        return PW_EXIT_USAGE;
    }
    if (rc != PW_OK) {
        pw_cli_error(VERB, "the run failed, nothing changed: %s",
                     pw_store_errmsg(s));
        return PW_EXIT_REJECTED;
    }
    print_report(&r, o->dry, o->json);
    if (o->dry)
        return PW_EXIT_OK;
    snprintf(outcome, sizeof outcome, "depersonalised=%zu deleted=%zu held=%zu",
             r.movements_depersonalised + r.bookings_depersonalised +
                 r.messages_depersonalised,
             r.movements_deleted + r.bookings_deleted + r.messages_deleted,
             r.movements_held);
    return pw_cli_audit_why(s, "retention.run", NULL, NULL, outcome)
               ? PW_EXIT_OK
               : PW_EXIT_REJECTED;
}

static int reveal(pw_store *s, const struct opts *o)
{
    unsigned char pk[PW_RETENTION_KEY_BYTES], sk[PW_RETENTION_KEY_BYTES];
    char object[32], *data = NULL;
    size_t len = 0;
    pw_rc rc;

    if (o->message < 1 || !o->key || !o->reason || !*o->reason) {
        pw_cli_error(VERB, "reveal needs --message ID, --key SECRET-FILE and "
                           "--reason TEXT");
        return PW_EXIT_USAGE;
    }
    if (!read_key(o->key, sk))
        return PW_EXIT_USAGE;
    crypto_scalarmult_base(pk, sk);
    snprintf(object, sizeof object, "message %lld", o->message);
    rc = pw_retention_unseal(s, o->message, pk, sk, &data, &len);
    sodium_memzero(sk, sizeof sk);
    if (rc == PW_ERR_NOTFOUND || rc == PW_ERR_INVALID) {
        pw_cli_error(VERB, "message %lld %s", o->message,
                     rc == PW_ERR_NOTFOUND ? "has no sealed copy"
                                           : "does not open with this key");
        pw_cli_audit_why(s, "message.reveal", object, o->reason, "failed");
        return PW_EXIT_REJECTED;
    }
    if (rc != PW_OK) {
        pw_cli_error(VERB, "cannot read message %lld: %s", o->message,
                     pw_store_errmsg(s));
        return PW_EXIT_REJECTED;
    }
    /* recorded before anything is shown */
    if (!pw_cli_audit_why(s, "message.reveal", object, o->reason, "ok")) {
        free(data);
        return PW_EXIT_REJECTED;
    }
    fwrite(data, 1, len, stdout);
    sodium_memzero(data, len);
    free(data);
    return PW_EXIT_OK;
}

int pw_cmd_retention(int argc, char **argv)
{
    struct opts o = {.dep_days = PW_RETENTION_DEPERSONALISE_DAYS,
                     .del_days = PW_RETENTION_DELETE_DAYS,
                     .keep_confirmed = 1};
    int status = parse_args(argc, argv, &o);
    const char *what;
    pw_store *s = NULL;

    if (status >= 0)
        return status;
    what = argv[optind];
    if (!strcmp(what, "keygen"))
        return keygen(argc, argv);
    if ((strcmp(what, "run") && strcmp(what, "reveal")) || optind + 1 != argc) {
        usage(stderr);
        return PW_EXIT_USAGE;
    }
    if (pw_cli_open(VERB, o.db, &s) != 0)
        return PW_EXIT_REJECTED;
    status = !strcmp(what, "run") ? run(s, &o) : reveal(s, &o);
    pw_store_close(s);
    return status;
}

/* paxwatch command entry point: finds the verb and hands over to it. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "paxwatch/paxwatch.h"

struct verb {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
};

static const struct verb verbs[] = {
    {"demo", pw_cmd_demo, "load the bundled samples and show what they hold"},
    {"parse", pw_cmd_parse, "print what messages yield, storing nothing"},
    {"ingest", pw_cmd_ingest, "store messages and report per file"},
    {"movements", pw_cmd_movements, "list stored movements"},
    {"travellers", pw_cmd_travellers, "list stored travellers"},
    {"match", pw_cmd_match, "screen travellers (JSON lines) against lists"},
    {"lists", pw_cmd_lists, "load and show watchlists"},
    {"hits", pw_cmd_hits, "list screening hits with their explanation"},
    {"bookings", pw_cmd_bookings, "list stored bookings (PNR)"},
    {"booking", pw_cmd_booking, "show one booking: history and API links"},
    {"rules", pw_cmd_rules, "add, list, switch and test risk rules"},
    {"hit", pw_cmd_hit, "show one hit: why, the traveller, its reviews"},
    {"review", pw_cmd_review, "move a hit to another review state"},
    {"history", pw_cmd_history, "a traveller's movements, hits and links"},
    {"serve", pw_cmd_serve, "run the HTTP API"},
    {"users", pw_cmd_users, "add, list and disable users of the service"},
    {"audit", pw_cmd_audit, "list the audit log and verify its chain"},
    {"retention", pw_cmd_retention, "depersonalise and delete on schedule"},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: paxwatch [--version] [--help] VERB [ARGS]\n\n"
                 "verbs:\n");
    for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
        fprintf(out, "  %-12s %s\n", verbs[i].name, verbs[i].summary);
    fprintf(out, "\n'paxwatch VERB --help' describes a verb. The store is "
                 "--db PATH, $PAXWATCH_DB,\nor paxwatch.db here.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return PW_EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
        !strcmp(argv[1], "help")) {
        usage(stdout);
        return PW_EXIT_OK;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("paxwatch %s\n", PW_VERSION);
        return PW_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
        if (!strcmp(argv[1], verbs[i].name))
            return verbs[i].run(argc - 1, argv + 1);

    fprintf(stderr, "paxwatch: unknown verb '%s'\n", argv[1]);
    usage(stderr);
    return PW_EXIT_USAGE;
}

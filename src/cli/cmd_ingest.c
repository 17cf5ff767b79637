/* Placeholder for 'paxwatch ingest' until its implementation lands. */
#include "cli/cli.h"

int pw_cmd_ingest(int argc, char **argv)
{
    pw_cli_error("ingest", "not built yet");
    return PW_EXIT_USAGE;
}

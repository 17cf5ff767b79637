/* Placeholder for 'paxwatch match' until its implementation lands. */
#include "cli/cli.h"

int pw_cmd_match(int argc, char **argv)
{
    pw_cli_error("match", "not built yet");
    return PW_EXIT_USAGE;
}

/* Placeholder for 'paxwatch lists' until its implementation lands. */
#include "cli/cli.h"

int pw_cmd_lists(int argc, char **argv)
{
    pw_cli_error("lists", "not built yet");
    return PW_EXIT_USAGE;
}

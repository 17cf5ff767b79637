/* Placeholder for 'paxwatch travellers' until its implementation lands. */
#include "cli/cli.h"

int pw_cmd_travellers(int argc, char **argv)
{
    pw_cli_error("travellers", "not built yet");
    return PW_EXIT_USAGE;
}

/* Placeholder for 'paxwatch movements' until its implementation lands. */
#include "cli/cli.h"

int pw_cmd_movements(int argc, char **argv)
{
    pw_cli_error("movements", "not built yet");
    return PW_EXIT_USAGE;
}

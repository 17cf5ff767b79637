/* Placeholder for 'paxwatch parse' until its implementation lands. */
#include "cli/cli.h"

int pw_cmd_parse(int argc, char **argv)
{
    pw_cli_error("parse", "not built yet");
    return PW_EXIT_USAGE;
}

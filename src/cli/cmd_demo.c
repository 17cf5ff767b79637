/* Placeholder for 'paxwatch demo' until its implementation lands. */
#include "cli/cli.h"

int pw_cmd_demo(int argc, char **argv)
{
    pw_cli_error("demo", "not built yet");
    return PW_EXIT_USAGE;
}

#!/bin/sh
# Static checks: cppcheck over the library, the command, tests, benches
# and fuzz targets, using the compile commands of the given build folder
# (default build-asan). Fails on any finding.
set -eu
cd "$(dirname "$0")/.."
build="${1:-build-asan}"
cppcheck --project="$build/compile_commands.json" \
    --enable=warning,performance,portability --inline-suppr -q \
    --suppress=missingIncludeSystem --include=/usr/include/jansson.h \
    --error-exitcode=1 -i "$build" \
    -j 2
echo "lint: cppcheck clean" >&2

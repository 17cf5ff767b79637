#!/bin/sh
# Sets up, builds paxwatch, and runs its demo on the embedded default
# store (SQLite) with the bundled samples and lists.
set -eu
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build --target paxwatch
build/paxwatch demo "$@"

#!/bin/sh
# Sets up, builds paxwatch with AddressSanitizer and UBSan, runs every
# test, then runs each fuzz target for a bounded time (FUZZ_SECONDS,
# default 30) on the sample files.
set -eu
cd "$(dirname "$0")/.."
scripts/setup.sh --test

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug \
    -DPW_SANITIZE=ON -DPW_WERROR=ON >/dev/null
cmake --build build-asan
ctest --test-dir build-asan --output-on-failure -j2

scripts/lint.sh build-asan

scripts/fuzz.sh "${FUZZ_SECONDS:-30}"

#!/bin/sh
# Builds the libFuzzer targets with clang, ASan and UBSan and runs each
# for SECONDS (first argument, default 30) seeded with the sample files.
# Fails when a target finds a crash, a leak or undefined behaviour.
set -eu
cd "$(dirname "$0")/.."
secs="${1:-30}"
shared="${PW_SHARED_DIR:-$(pwd)/../shared}"

CC=clang cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=Debug \
    -DPW_FUZZ=ON -DPW_SANITIZE=ON >/dev/null
cmake --build build-fuzz

for bin in build-fuzz/fuzz/fuzz_*; do
    [ -x "$bin" ] || continue
    name=$(basename "$bin")
    corpus="build-fuzz/corpus-$name"
    mkdir -p "$corpus"
    seeds=""
    # the TZif reader starts from a few of the system's own zone files
    if [ "$name" = fuzz_tzif ]; then
        seeds="build-fuzz/seeds-tzif"
        mkdir -p "$seeds"
        for z in Europe/Berlin America/Nuuk Asia/Kathmandu \
            Australia/Lord_Howe; do
            f="${TZDIR:-/usr/share/zoneinfo}/$z"
            [ -f "$f" ] && cp "$f" "$seeds/$(echo "$z" | tr / -)"
        done
    fi
    # inputs that once failed a target are replayed first
    [ -d "fuzz/seeds/$name" ] && seeds="$seeds fuzz/seeds/$name"
    echo "fuzz: $name for ${secs}s" >&2
    "$bin" -max_total_time="$secs" -max_len=65536 -rss_limit_mb=2048 \
        -print_final_stats=0 "$corpus" $seeds "$shared/samples" \
        2>"build-fuzz/$name.log" || {
        tail -40 "build-fuzz/$name.log" >&2
        echo "fuzz: $name failed" >&2
        exit 1
    }
done
echo "fuzz: all targets ran clean" >&2

#!/bin/bash
# 'paxwatch demo': builds a fresh store from the bundled samples, in the
# working directory by default, and shows movements, legs, travellers.
set -u
: "${PW:?PW must name the paxwatch binary}"
T=$(mktemp -d /tmp/pw-cli-demo.XXXXXX)
trap 'rm -rf "$T"' EXIT
fails=0

check() {
    if [ "$2" != "$3" ]; then
        echo "FAIL $1: expected [$2] got [$3]"
        fails=$((fails + 1))
    fi
}

has() {
    if ! grep -q -- "$2" "$3"; then
        echo "FAIL $1: no [$2] in:"; cat "$3"
        fails=$((fails + 1))
    fi
}

"$PW" demo --help >"$T/out"; check "help exit" 0 $?
has "help text" "usage: paxwatch demo" "$T/out"
"$PW" demo extra >/dev/null 2>&1; check "extra argument" 2 $?

cd "$T" || exit 1
"$PW" demo >"$T/out" 2>"$T/err"
check "demo exit" 0 $?
check "default store made here" yes "$([ -f paxwatch-demo.db ] && echo yes)"
has "ingest heading" "== Ingesting" "$T/out"
has "every sample accepted" "ig-ex5-1-single-sector.edi: accepted" "$T/out"
check "no sample rejected" 0 "$(grep -c 'rejected' "$T/out")"
has "movements heading" "== Movements" "$T/out"
has "a leg" "leg 2: IAD 2014-07-08T19:30 -> SFO" "$T/out"
has "a passenger" "MARTINEZ .*JULIO XAVIER" "$T/out"
has "a crew member" "Zschieschak" "$T/out"
has "a ship" "sea .*QUEEN MARY 2" "$T/out"
has "a part waits" "ferry-a-part2.edi: waiting for parts (have 1)" "$T/out"
has "then joins" "ferry-b-part1.edi: accepted (2 travellers" "$T/out"

# the bundled lists are loaded first, and the hits are shown
has "lists heading" "== Loading the bundled watchlists" "$T/out"
has "UN list stored" "stored list un (un-xml" "$T/out"
has "demo flight accepted with its hits" \
    "pw-demo-d05b-dxb-lhr.edi: accepted (3 travellers, movement [0-9]*, 4 hits)" \
    "$T/out"
has "demo rule stored" "Arrival from a watched hub .*: added (version 1)" \
    "$T/out"
has "rule hit with its reasons" "why: movement.legs.from=DXB" "$T/out"
has "bookings heading" "== Bookings (PNR)" "$T/out"
has "a booking" "MFN4TI .*DL324 LHR-JFK" "$T/out"
has "hits heading" "== Hits" "$T/out"
has "name hit on the UN entry" "AL FAUWAZ .* un .*QDi.059 .* name" "$T/out"
has "document hit" "MARTINEZ .*lost_stolen .*DEMO-SLTD-0001 .* document" \
    "$T/out"
has "why the name hit fired" "why: ALFAUWAZ=ALFAWAZ .*birth_date exact" \
    "$T/out"
check "no name on stderr" 0 "$(grep -c 'FAUWAZ' "$T/err")"
has "retention dry run" "depersonalised (data before .*: 10 movements, 32 travellers" \
    "$T/out"
check "demo store untouched by the dry run" 0 \
    "$(sqlite3 "$T/paxwatch-demo.db" "SELECT count(*) FROM travellers WHERE surname IS NULL AND given_names IS NULL")"

# a second run starts again from nothing: the same output, no repeats
"$PW" demo >"$T/out2" 2>/dev/null
check "second run exit" 0 $?
check "second run same" "" "$(diff "$T/out" "$T/out2")"
check "no repeats" 0 "$(grep -c 'repeated' "$T/out2")"

"$PW" demo --db "$T/other.db" >/dev/null 2>&1
check "--db exit" 0 $?
check "--db store made" yes "$([ -f "$T/other.db" ] && echo yes)"

if [ "$fails" -ne 0 ]; then
    echo "$fails check(s) failed"
    exit 1
fi
echo "all demo checks passed"

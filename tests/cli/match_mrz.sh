#!/bin/bash
# paxwatch match with a document's machine-readable zone as input: the
# MRZ fills names, birth date and document, its check digits are
# reported, and a lost or stolen document is found by its number.
set -u
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

printf '%s\n' \
    'id,name,aliases,birth_date,nationality,sex,document_number,document_issuer,category' \
    'LS1,,,,,,L898902C3,UTO,lost_or_stolen' \
    'W1,Anna Maria Eriksson,,1974-08-12,UTO,F,,,wanted' >"$T/list.csv"

L1='P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<'
GOOD='L898902C36UTO7408122F1204159ZE184226B<<<<<10'
BAD='L898902C37UTO7408122F1204159ZE184226B<<<<<10'
printf '{"mrz": "%s\\n%s"}\n{"mrz": "%s\\n%s"}\n{"mrz": "not an mrz"}\n' \
    "$L1" "$GOOD" "$L1" "$BAD" |
    "$PW" match --list "csv:$T/list.csv" >"$T/out"
status=$?
[ "$status" = 1 ] || fail "a bad mrz line should give exit 1, got $status"
[ "$(wc -l <"$T/out")" = 3 ] || fail "one answer per line"

line() { sed -n "$1p" "$T/out"; }
line 1 | grep -q '"checks_ok":true' || fail "valid MRZ not reported valid"
line 1 | grep -q '"id":"LS1"' || fail "lost document not found from MRZ"
line 1 | grep -q '"id":"W1"' || fail "person not found from MRZ names"
line 2 | grep -q '"checks_ok":false' || fail "bad check digit not flagged"
line 2 | grep -q '"document_number"' || fail "failed digit not named"
line 3 | grep -q '"error":"line 3: mrz is not' || fail "bad MRZ not explained"

if [ "$fails" -ne 0 ]; then
    echo "$fails check(s) failed"
    exit 1
fi
echo "all match mrz checks passed"

#!/bin/bash
# 'paxwatch match' says "partial": true when the index could not promise
# every hit (a name of initials only), and says nothing otherwise.
set -u
: "${PW:?}"
T=$(mktemp -d /tmp/pw-cli-partial.XXXXXX)
trap 'rm -rf "$T"' EXIT
fails=0

fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

H='id,name,aliases,birth_date,nationality,sex,document_number,document_issuer,category'
printf '%s\n' "$H" 'W-1,Ivan Petrov,,1970-05-01,RU,M,,,wanted' \
    'W-2,Anna Berg,,,SE,F,,,wanted' > "$T/w.csv"
printf '%s\n' '{"name": "Ivan Petrov"}' '{"name": "I P"}' \
    '{"name": "Mary Jones"}' | "$PW" match --list "csv:$T/w.csv" > "$T/out"
[ $? = 0 ] || fail "match exit"
sed -n 1p "$T/out" | grep -q '"id":"W-1"' || fail "Ivan Petrov not found"
grep -n partial "$T/out" | grep -qv '^2:' && fail "partial on a full answer"
sed -n 2p "$T/out" | grep -q '^{"hits":\[.*\],"partial":true}$' ||
    fail "initials only not partial: $(sed -n 2p "$T/out")"
[ "$(sed -n 3p "$T/out")" = '{"hits":[]}' ] ||
    fail "unlisted name: $(sed -n 3p "$T/out")"

[ "$fails" = 0 ] && echo "match_partial: all passed"
exit $((fails > 0))

#!/bin/bash
# 'paxwatch lists load' screens stored travellers of recent movements:
# a hit for a flight ingested before the list, no duplicate on a second
# load or for a hit raised at ingest, nothing outside the window, and
# nothing with --rescreen-days 0.
set -u
: "${PW:?}" "${PW_SOURCE_DIR:?}"
T=$(mktemp -d /tmp/pw-cli-rescreen.XXXXXX)
trap 'rm -rf "$T"' EXIT
DB="$T/pw.db"
FLIGHT="$PW_SOURCE_DIR/data/samples/pw-demo-d05b-dxb-lhr.edi"
fails=0

fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# The demo flight moved to a day DAYS from today (negative: past), with
# its own flight number so that each copy is a movement of its own.
flight() { # flight DAYS NUMBER OUT
    local d
    d=$(date -u -d "$1 days" +%y%m%d)
    sed -e "s/2612040130/${d}0130/; s/2612040545/${d}0545/" \
        -e "s/PW456/$2/g; s/PWD0001/PWD$2/g" "$FLIGHT" > "$3"
}
hits() { "$PW" hits --db "$DB" --json | wc -l; }

flight -1 PW101 "$T/recent.edi"
flight -30 PW102 "$T/old.edi"
flight 0 PW103 "$T/later.edi"
"$PW" ingest --db "$DB" "$T/recent.edi" "$T/old.edi" > /dev/null 2>&1 ||
    fail "ingest"
[ "$(hits)" = 0 ] || fail "hits before any list"

H='id,name,aliases,birth_date,nationality,sex,document_number,document_issuer,category'
printf '%s\n' "$H" 'W-1,Chioma Okafor,,1990-03-11,NG,F,,,wanted' > "$T/w.csv"
"$PW" lists load --db "$DB" --format csv --name wanted "$T/w.csv" \
    > "$T/out" 2> "$T/err"
[ $? = 0 ] || fail "load exit: $(cat "$T/err")"
grep -q '^screened 3 travellers of 1 movement departing since .*: 1 new hit$' \
    "$T/out" || fail "rescreen line: $(cat "$T/out")"
[ -s "$T/err" ] && fail "stderr not empty: $(cat "$T/err")"
"$PW" hits --db "$DB" --json > "$T/hits"
[ "$(wc -l < "$T/hits")" = 1 ] || fail "want 1 hit: $(cat "$T/hits")"
grep -q '"list":"wanted"' "$T/hits" && grep -q '"flight":"PW101"' "$T/hits" ||
    fail "hit not on the recent flight: $(cat "$T/hits")"
grep -q 'OKAFOR' "$T/hits" || fail "hit not for OKAFOR: $(cat "$T/hits")"

# A wider window reaches the old flight; loading again adds no duplicate.
"$PW" lists load --db "$DB" --format csv --name wanted --json \
    --rescreen-days 60 "$T/w.csv" > "$T/out" || fail "reload exit"
grep -q '"rescreen":{"since":"[0-9-]*","movements":2,"travellers":6,"hits":1}' \
    "$T/out" || fail "60 days: $(cat "$T/out")"
[ "$(hits)" = 2 ] || fail "want 2 hits after 60 days"
"$PW" lists load --db "$DB" --format csv --name wanted --rescreen-days 60 \
    "$T/w.csv" > "$T/out" || fail "third load exit"
grep -q ': 0 new hits$' "$T/out" || fail "duplicates: $(cat "$T/out")"
[ "$(hits)" = 2 ] || fail "a second load raised duplicates"

# A hit raised at ingest is not raised again by a load.
"$PW" ingest --db "$DB" "$T/later.edi" > "$T/out" 2>&1
grep -q '1 hit' "$T/out" || fail "ingest hit: $(cat "$T/out")"
"$PW" lists load --db "$DB" --format csv --name wanted "$T/w.csv" \
    > "$T/out" || fail "fourth load exit"
grep -q 'of 2 movements.*: 0 new hits$' "$T/out" ||
    fail "ingest hit raised again: $(cat "$T/out")"
[ "$(hits)" = 3 ] || fail "want 3 hits"

# --rescreen-days 0 screens nothing stored.
printf '%s\n' "$H" 'W-2,Erik Johan Lindqvist,,1977-05-02,SE,M,,,wanted' \
    > "$T/w2.csv"
"$PW" lists load --db "$DB" --format csv --name w2 --rescreen-days 0 \
    "$T/w2.csv" > "$T/out" || fail "days 0 exit"
grep -q screened "$T/out" && fail "days 0 screened: $(cat "$T/out")"
"$PW" lists load --db "$DB" --format csv --name w2 --rescreen-days 0 --json \
    "$T/w2.csv" | grep -q '"rescreen":null' || fail "days 0 json"
[ "$(hits)" = 3 ] || fail "days 0 raised hits"

# Bad values are usage errors.
for bad in -1 x 99999 ''; do
    "$PW" lists load --db "$DB" --format csv --name w2 \
        --rescreen-days "$bad" "$T/w2.csv" > /dev/null 2>&1
    [ $? = 2 ] || fail "--rescreen-days '$bad': want exit 2"
done

[ "$fails" = 0 ] && echo "lists_rescreen: all passed"
exit $((fails > 0))

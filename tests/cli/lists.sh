#!/bin/bash
# 'paxwatch lists': loading real lists into a store, replacing a list by
# loading it again, showing what is loaded, and matching against the
# stored lists with 'paxwatch match --db'.
set -u
: "${PW:?}" "${PW_SHARED_DIR:?}"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
DB="$TMP/pw.db"
fails=0

fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

"$PW" lists --db "$DB" > "$TMP/out"
[ $? = 0 ] || fail "showing an absent store"
[ -e "$DB" ] && fail "showing created the store"

"$PW" lists load --db "$DB" --format un-xml --name un \
    "$PW_SHARED_DIR/lists/un/UN_consolidated.xml" > "$TMP/out"
[ $? = 0 ] || fail "loading the UN list"
grep -q '1003 entries, 0 skipped' "$TMP/out" || fail "UN count: $(cat "$TMP/out")"

"$PW" lists load --db "$DB" --format ofac-csv --name ofac --json \
    "$PW_SHARED_DIR/lists/ofac/sdn.csv" > "$TMP/out"
grep -q '"entries":8976' "$TMP/out" || fail "OFAC count: $(cat "$TMP/out")"

H='id,name,aliases,birth_date,nationality,sex,document_number,document_issuer,category'
printf '%s\n' "$H" 'S1,,,,,,X1234567,DEU,lost_or_stolen' \
    'S2,,,,,,Y7654321,FRA,lost_or_stolen' > "$TMP/sltd.csv"
"$PW" lists load --db "$DB" --format csv --name sltd "$TMP/sltd.csv" > /dev/null
printf '%s\n' "$H" 'S3,,,,,,Z1111111,ITA,lost_or_stolen' > "$TMP/sltd.csv"
"$PW" lists load --db "$DB" --format csv --name sltd "$TMP/sltd.csv" > /dev/null
[ $? = 0 ] || fail "reloading sltd"

"$PW" lists --db "$DB" --json > "$TMP/out"
[ "$(wc -l < "$TMP/out")" = 3 ] || fail "want 3 lists: $(cat "$TMP/out")"
grep -q '"name":"sltd","format":"csv",.*"entries":1,' "$TMP/out" ||
    fail "sltd not replaced by the newer load"
grep -q '"name":"un","format":"un-xml","version":"2026-02-27T00:00:09.554Z","entries":1003' \
    "$TMP/out" || fail "un metadata"
"$PW" lists --db "$DB" | grep -q '^ofac  *ofac-csv' || fail "table output"

# Matching against the stored lists.
printf '%s\n' '{"name": "Seif el Adel"}' \
    '{"name": "A B", "documents": [{"number": "Z 111 1111", "issuer": "IT"}]}' \
    '{"name": "A B", "documents": [{"number": "X1234567", "issuer": "DE"}]}' |
    "$PW" match --db "$DB" > "$TMP/out"
[ $? = 0 ] || fail "match --db exit status"
sed -n 1p "$TMP/out" | grep -q '"list":"un","id":"QDi.001"' ||
    fail "match --db: QDi.001 not found"
sed -n 1p "$TMP/out" | grep -q '"list":"ofac"' || fail "match --db: ofac"
sed -n 2p "$TMP/out" | grep -q '"list":"sltd","id":"S3"' ||
    fail "match --db: stolen document S3 not found"
# (the name "A B" is initials only, so the answer is marked partial)
[ "$(sed -n 3p "$TMP/out")" = '{"hits":[],"partial":true}' ] ||
    fail "match --db: replaced entry S1 still hits: $(sed -n 3p "$TMP/out")"

# An older version of a stored list is refused unless --force.
sed 's/dateGenerated="2026-02-27/dateGenerated="2025-01-01/' \
    "$PW_SHARED_DIR/lists/un/UN_consolidated.xml" > "$TMP/old_un.xml"
"$PW" lists load --db "$DB" --format un-xml --name un "$TMP/old_un.xml" \
    > /dev/null 2> "$TMP/err"
[ $? = 1 ] || fail "older version: want exit 1"
grep -q 'newer' "$TMP/err" || fail "older version not explained"
"$PW" lists --db "$DB" --json | grep -q '"version":"2026-02-27' ||
    fail "older version replaced the newer one"
"$PW" lists load --db "$DB" --format un-xml --name un --force \
    "$TMP/old_un.xml" > /dev/null || fail "--force refused"
"$PW" lists --db "$DB" --json | grep -q '"version":"2025-01-01' ||
    fail "--force did not replace"

# Bad loads.
printf 'id,name\n1,x\n' > "$TMP/bad.csv"
"$PW" lists load --db "$DB" --format csv --name bad "$TMP/bad.csv" \
    > /dev/null 2> "$TMP/err"
[ $? = 1 ] || fail "wrong header: want exit 1"
grep -q 'header' "$TMP/err" || fail "wrong header not explained"
"$PW" lists load --db "$DB" --format csv "$TMP/sltd.csv" 2> /dev/null
[ $? = 2 ] || fail "no --name: want exit 2"
"$PW" lists load --db "$DB" --format nope --name x "$TMP/sltd.csv" \
    2> /dev/null
[ $? = 2 ] || fail "unknown format: want exit 2"
"$PW" lists --db "$DB" --json | grep -q '"name":"bad"' &&
    fail "a rejected list was stored"

[ "$fails" = 0 ] && echo "lists: all passed"
exit $((fails > 0))

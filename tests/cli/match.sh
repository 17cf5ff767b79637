#!/bin/bash
# 'paxwatch match' against the real UN and OFAC lists: listed people found
# under other spellings, unlisted names not found, bad lines answered in
# place, exit statuses.
set -u
: "${PW:?}" "${PW_SHARED_DIR:?}"
UN="un-xml:$PW_SHARED_DIR/lists/un/UN_consolidated.xml"
OFAC="ofac-csv:ofac=$PW_SHARED_DIR/lists/ofac/sdn.csv"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fails=0

fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# line N of the output file, as text
line() { sed -n "${1}p" "$TMP/out"; }

cat > "$TMP/in" <<'IN'
{"name": "Seif al-Adil"}
{"surname": "Zidan", "given_names": "Mohamed Salah al-Din", "birth_date": "1963-04-11"}
{"surname": "Lindqvist", "given_names": "Margareta", "birth_date": "1985-07-14", "nationality": "SE"}
not json
{"surname": "Smith", "birth_date": "1970-02-30x"}
{"given_names": "Kakolele", "surname": "Frank", "nationality": "CD"}
{"name": "Someone", "documents": [{"type": "passport", "number": "1084010", "issuer": "EG"}]}
{"documents": []}

{"name": "Saddam Hussein al-Tikriti", "sex": "robot"}
IN

"$PW" match --list "$UN" --list "$OFAC" < "$TMP/in" > "$TMP/out" 2> "$TMP/err"
status=$?
[ "$status" = 1 ] || fail "exit status $status with bad lines, want 1"
[ "$(wc -l < "$TMP/out")" = 10 ] || fail "want 10 output lines"

# An alias of QDi.001 spelled differently from every listed form.
line 1 | grep -q '"id":"QDi.001"' || fail "line 1: QDi.001 not found"
line 1 | grep -q '"list":"UN_consolidated"' || fail "line 1: list name"
line 1 | grep -q '"id":"6901"' || fail "line 1: OFAC entry not found"
line 2 | grep -q '^{"hits":\[{"list":"UN_consolidated","id":"QDi.001"' ||
    fail "line 2: QDi.001 not the best hit"
line 2 | grep -q '"how":"exact","effect"' || fail "line 2: no date part"
[ "$(line 3)" = '{"hits":[]}' ] || fail "line 3: unlisted name hit: $(line 3)"
line 4 | grep -q '"error":"line 4: not valid JSON"' || fail "line 4"
line 5 | grep -q '"error":"line 5: birth_date' || fail "line 5"
line 6 | grep -q '"id":"CDi.002"' || fail "line 6: swapped order"
line 7 | grep -q '"id":"2676".*"kind":"document"' || fail "line 7: document"
line 8 | grep -q '"error":"line 8: no name' || fail "line 8"
line 9 | grep -q '"error":"line 9: not valid JSON"' || fail "line 9: blank"
line 10 | grep -q '"error":"line 10: sex' || fail "line 10"

# Scores are best first.
line 1 | grep -o '"score":[0-9.]*' | cut -d: -f2 | sort -rn -c ||
    fail "line 1: hits not best first"

# All lines good: exit 0; --limit and --threshold respected.
echo '{"name": "Saddam Hussein al-Tikriti"}' |
    "$PW" match --list "$UN" --limit 2 > "$TMP/out"
[ $? = 0 ] || fail "good input: exit status not 0"
[ "$(grep -o '"id"' "$TMP/out" | wc -l)" = 2 ] || fail "--limit 2"
echo '{"name": "Saddam Hussein al-Tikriti"}' |
    "$PW" match --list "$UN" --threshold 0.99 > "$TMP/out"
grep -q '"id":"IQi.002"' "$TMP/out" && fail "--threshold 0.99 let 0.88 by"
grep -q '"id":"IQi.001"' "$TMP/out" || fail "--threshold 0.99 lost IQi.001"

# Usage errors: exit 2.
"$PW" match --list "$UN" --threshold 2 < /dev/null 2> /dev/null
[ $? = 2 ] || fail "--threshold 2 not a usage error"
"$PW" match --list "yaml:$TMP/in" < /dev/null 2> /dev/null
[ $? = 2 ] || fail "unknown format not a usage error"
"$PW" match --list nocolon < /dev/null 2> /dev/null
[ $? = 2 ] || fail "bad --list not a usage error"
"$PW" match --db "$TMP/none.db" < /dev/null 2> /dev/null
[ $? = 2 ] || fail "no list and no store not a usage error"
"$PW" match --help | grep -q -- '--threshold' || fail "--help"
"$PW" match --list "csv:$TMP/missing.csv" < /dev/null 2> /dev/null
[ $? = 1 ] || fail "missing list file: want exit 1"

# A list with bad records: skipped, said on stderr, no names in it.
printf '%s\n' 'id,name,aliases,birth_date,nationality,sex,document_number,document_issuer,category' \
    'N1,Ivan Petrov,,1970-05-01,RU,M,P123,RUS,wanted' \
    'N2,Secret Person,,1970-99-01,,,,,wanted' > "$TMP/national.csv"
echo '{"name": "Iwan Petrow", "birth_date": "1970-05-01"}' |
    "$PW" match --list "csv:$TMP/national.csv" > "$TMP/out" 2> "$TMP/err"
grep -q '"id":"N1"' "$TMP/out" || fail "csv list: N1 not found"
grep -q 'line 3' "$TMP/err" || fail "csv list: bad line not reported"
grep -q 'Secret' "$TMP/err" && fail "a name reached stderr"

[ "$fails" = 0 ] && echo "match: all passed"
exit $((fails > 0))

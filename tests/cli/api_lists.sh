#!/bin/bash
# POST /api/lists/NAME over HTTP: a list manager loads a watchlist and
# the recent traffic is screened against it; the answer counts entries,
# skipped records and new hits; roles, bad names, formats and bodies
# are refused; an older version is refused unless forced; every load
# is in the audit log; the iAPI sees the new list.
set -u
: "${PW:?}" "${PW_SOURCE_DIR:?}"
T=$(mktemp -d /tmp/pw-cli-apilists.XXXXXX)
DB="$T/pw.db"
SP=
cleanup() {
    [ -n "$SP" ] && kill "$SP" 2>/dev/null
    wait 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
export PAXWATCH_USER=setup
FLIGHT="$PW_SOURCE_DIR/data/samples/pw-demo-d05b-dxb-lhr.edi"
fails=0
. "$PW_SOURCE_DIR/tests/cli/lib.sh"

req() { # req NAME EXPECTED-STATUS CURL-ARGS...: body in $T/body
    local name=$1 want=$2; shift 2
    check "$name" "$want" "$(curl -s -o "$T/body" -w '%{http_code}' \
        --max-time 30 "$@")"
}
jget() { python3 -c "import json; j=json.load(open('$T/body')); print($1)"; }
# iapi NAME ERC: asks the iAPI about Chioma Okafor, expects the ERC code
iapi() {
    printf '%s' "UNA:+.? 'UNB+UNOA:4+ZZAIRLINE+CUSTOMS+130620:0900+77'" \
        "UNH+PAX001+PAXLST:D:05B:UN:IATA'BGM+745'RFF+TN:TX1'" \
        "NAD+MS+++OPS'TDT+20+ZZ123+++ZZ'LOC+125+SYD'" \
        "DTM+189:3006210900:201'LOC+87+HNL'DTM+232:3006212200:201'" \
        "NAD+FL+++OKAFOR:CHIOMA'ATT+2++F'DTM+329:900311'RFF+ABO:P1'" \
        "DOC+P+A12345678'DTM+36:351231'LOC+91+NGA'" \
        "CNT+42:1'UNT+18+PAX001'UNZ+1+77'" > "$T/iapi.edi"
    req "$1" 200 -H "Authorization: Bearer $KEY" --data-binary "@$T/iapi.edi" "$U/iapi"
    grep -q "RFF+ABO:P1'ERC+$2'" "$T/body" ||
        { echo "FAIL $1: want ERC $2 in $(cat "$T/body")"; fails=$((fails + 1)); }
}

# The demo flight, departing yesterday.
d=$(date -u -d "-1 days" +%y%m%d)
sed -e "s/2612040130/${d}0130/; s/2612040545/${d}0545/" "$FLIGHT" > "$T/f.edi"
"$PW" ingest --db "$DB" "$T/f.edi" > /dev/null 2>&1 || { echo "FAIL ingest"; exit 1; }
for r in list_manager analyst; do
    echo "pw-$r-1" | "$PW" users --db "$DB" add "$r" --role "$r" \
        --password-stdin > /dev/null || { echo "FAIL add $r"; exit 1; }
done
KEY=$("$PW" users --db "$DB" add airx --role carrier | tail -1)

PORT=$(python3 -c 'import socket; s = socket.socket()
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
U="http://127.0.0.1:$PORT"
"$PW" serve --db "$DB" --listen "127.0.0.1:$PORT" 2> "$T/log" &
SP=$!
for _ in $(seq 50); do curl -s "$U/health" > /dev/null && break; sleep 0.2; done
for r in list_manager analyst; do
    curl -s -c "$T/$r.jar" -o /dev/null \
        -d "{\"name\":\"$r\",\"password\":\"pw-$r-1\"}" "$U/api/login"
done
LM=(-b "$T/list_manager.jar")
CSV=(-H 'Content-Type: text/csv')

H='id,name,aliases,birth_date,nationality,sex,document_number,document_issuer,category'
printf '%s\n' "$H" 'W-1,Chioma Okafor,,1990-03-11,NG,F,,,wanted' \
    'W-2,,,,,,,,broken' > "$T/w.csv"

# who may load
req "no login" 401 "${CSV[@]}" --data-binary "@$T/w.csv" "$U/api/lists/wanted?format=csv"
req "analyst" 403 -b "$T/analyst.jar" "${CSV[@]}" --data-binary "@$T/w.csv" \
    "$U/api/lists/wanted?format=csv"
req "carrier" 403 -H "Authorization: Bearer $KEY" "${CSV[@]}" \
    --data-binary "@$T/w.csv" "$U/api/lists/wanted?format=csv"

# bad requests
req "no format" 400 "${LM[@]}" "${CSV[@]}" --data-binary "@$T/w.csv" "$U/api/lists/wanted"
req "bad format" 400 "${LM[@]}" "${CSV[@]}" --data-binary "@$T/w.csv" \
    "$U/api/lists/wanted?format=pdf"
grep -q "unknown list format 'pdf'" "$T/body" || { echo "FAIL bad format text"; fails=$((fails + 1)); }
req "bad name" 400 "${LM[@]}" "${CSV[@]}" --data-binary "@$T/w.csv" \
    "$U/api/lists/a%20b?format=csv"
req "bad days" 400 "${LM[@]}" "${CSV[@]}" --data-binary "@$T/w.csv" \
    "$U/api/lists/wanted?format=csv&rescreen_days=-1"
req "empty body" 400 "${LM[@]}" -X POST "$U/api/lists/wanted?format=csv"
printf 'this is not xml' > "$T/junk.xml"
req "unreadable" 422 "${LM[@]}" --data-binary "@$T/junk.xml" \
    "$U/api/lists/un?format=un-xml"
check "unreadable problems" True "$(jget 'len(j["problems"]) > 0')"
req "nothing stored" 200 "${LM[@]}" "$U/api/lists"
check "no lists yet" 0 "$(jget 'len(j["lists"])')"

iapi "iapi before" 0Z

# a good load: one entry, one skipped record, one new hit on yesterday's flight
req "load" 201 "${LM[@]}" "${CSV[@]}" --data-binary "@$T/w.csv" \
    "$U/api/lists/wanted?format=csv&purpose=weekly+update"
check "entries" 1 "$(jget 'j["entries"]')"
check "skipped" 1 "$(jget 'j["skipped"]')"
check "problems" 1 "$(jget 'len(j["problems"])')"
check "rescreen hits" 1 "$(jget 'j["rescreen"]["hits"]')"
check "rescreen travellers" 3 "$(jget 'j["rescreen"]["travellers"]')"
req "listed" 200 "${LM[@]}" "$U/api/lists"
check "listed name" "wanted 1 1" "$(jget '" ".join(str(x) for x in (j["lists"][0]["name"], j["lists"][0]["entries"], j["lists"][0]["skipped"]))')"
check "stored hit" 1 "$("$PW" hits --db "$DB" --json | grep -c '"list":"wanted"')"

iapi "iapi after" 2Z

# the same list again: no new hit; without rescreening: null
req "again" 201 "${LM[@]}" "${CSV[@]}" --data-binary "@$T/w.csv" \
    "$U/api/lists/wanted?format=csv"
check "no duplicate" 0 "$(jget 'j["rescreen"]["hits"]')"
req "no rescreen" 201 "${LM[@]}" "${CSV[@]}" --data-binary "@$T/w.csv" \
    "$U/api/lists/wanted?format=csv&rescreen_days=0"
check "rescreen null" None "$(jget 'j["rescreen"]')"

# versions: the UN list carries its date; an older one is refused
UN="$PW_SOURCE_DIR/data/lists/UN_consolidated.xml"
req "un" 201 "${LM[@]}" -H 'Content-Type: application/xml' \
    --data-binary "@$UN" "$U/api/lists/un?format=un-xml&rescreen_days=0"
NEWV=$(jget 'j["version"]')
check "un entries" True "$(jget 'j["entries"] > 900')"
sed -E '0,/dateGenerated="[^"]*"/s//dateGenerated="2001-01-01T00:00:00.000Z"/' \
    "$UN" > "$T/old.xml"
req "older refused" 409 "${LM[@]}" --data-binary "@$T/old.xml" \
    "$U/api/lists/un?format=un-xml&rescreen_days=0"
grep -q "newer than" "$T/body" || { echo "FAIL 409 text: $(cat "$T/body")"; fails=$((fails + 1)); }
req "older forced" 201 "${LM[@]}" --data-binary "@$T/old.xml" \
    "$U/api/lists/un?format=un-xml&rescreen_days=0&force=1"
check "forced version" True "$(jget 'j["version"] != "'"$NEWV"'"')"

# the audit log has each load, refusal and purpose; no personal data
"$PW" audit --db "$DB" > "$T/audit"
check "audit stored" 5 "$(grep -c 'list.load.*stored' "$T/audit")"
check "audit refused" 2 "$(grep -c 'list.load.*refused' "$T/audit")"
check "audit purpose" 1 "$("$PW" audit --db "$DB" --json | grep -c '"purpose":"weekly update"')"
"$PW" audit --db "$DB" verify > /dev/null || { echo "FAIL audit verify"; fails=$((fails + 1)); }
if grep -qi 'okafor' "$T/log"; then echo "FAIL personal data in the log"; fails=$((fails + 1)); fi

[ "$fails" = 0 ] && echo "api_lists: ok"
exit $((fails > 0))

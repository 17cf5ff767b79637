#!/bin/bash
# POST /iapi over HTTP on loopback: a carrier's PAXLST in, a CUSRES out
# (board, lost or stolen document, listed person, unreadable), a hit kept
# for review, no key 401, every answer in the audit log (seen at once by
# its reader, and all of it after a shutdown), and no personal data in
# the server's log or the audit log.
set -u
: "${PW:?PW must name the paxwatch binary}"
: "${PW_SOURCE_DIR:?}"
L="$PW_SOURCE_DIR/data/lists"
T=$(mktemp -d /tmp/pw-cli-iapi.XXXXXX)
DB="$T/pw.db"
SP=
cleanup() {
    [ -n "$SP" ] && kill "$SP" 2>/dev/null
    wait 2>/dev/null
    [ -z "${KEEP:-}" ] && rm -rf "$T"
}
trap cleanup EXIT
export PAXWATCH_USER=setup
fails=0
. "$PW_SOURCE_DIR/tests/cli/lib.sh"

# post NAME EXPECTED-STATUS BODY-FILE [CURL-ARGS...]: answer in $T/body
post() {
    local name=$1 want=$2 file=$3; shift 3
    local got
    got=$(curl -s -o "$T/body" -w '%{http_code}' --max-time 20 \
        --data-binary "@$file" "$@" "$U/iapi")
    check "$name" "$want" "$got"
}

# request FILE SEGMENTS...: a one-passenger PAXLST for SYD-HNL
request() {
    local f=$1; shift
    printf '%s' "UNA:+.? 'UNB+UNOA:4+ZZAIRLINE+CUSTOMS+130620:0900+77'" \
        "UNH+PAX001+PAXLST:D:05B:UN:IATA'BGM+745'RFF+TN:TX1'" \
        "NAD+MS+++OPS'TDT+20+ZZ123+++ZZ'LOC+125+SYD'" \
        "DTM+189:3006210900:201'LOC+87+HNL'DTM+232:3006212200:201'" \
        "$@" "CNT+42:1'UNT+18+PAX001'UNZ+1+77'" >"$f"
}

"$PW" lists load --db "$DB" --format un-xml --name un \
    "$L/UN_consolidated.xml" >/dev/null 2>&1
"$PW" lists load --db "$DB" --format csv --name sltd \
    "$L/lost_stolen_demo.csv" >/dev/null 2>&1
KEY=$("$PW" users --db "$DB" add airx --role carrier | tail -1)
check "key length" 43 "${#KEY}"
echo pw-dpo-1 | "$PW" users --db "$DB" add dora --role dpo --password-stdin \
    >/dev/null || { echo "FAIL add dpo"; exit 1; }

PORT=$(python3 -c 'import socket; s=socket.socket()
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
U="http://127.0.0.1:$PORT"
"$PW" serve --db "$DB" --listen "127.0.0.1:$PORT" 2>"$T/log" &
SP=$!
for _ in $(seq 50); do curl -s "$U/health" >/dev/null && break; sleep 0.2; done
K=(-H "Authorization: Bearer $KEY")
curl -s -c "$T/dpo.jar" -o /dev/null \
    -d '{"name":"dora","password":"pw-dpo-1"}' "$U/api/login"

request "$T/board" "NAD+FL+++WILLIAMS:JOHN'DTM+329:720907'RFF+ABO:P1'" \
    "DOC+P+MB140241'DTM+36:351231'LOC+91+GBR'"
post "board" 200 "$T/board" "${K[@]}"
has "board UNH" "UNH+PAX001+CUSRES:D:05B:UN:IATA'" "$T/body"
has "board BGM" "BGM+962'" "$T/body"
has "board ERP" "ERP+2'RFF+ABO:P1'ERC+0Z'FTX+AAP+++OK TO BOARD'" "$T/body"
has "board UNZ" "UNZ+1+77'" "$T/body"
# The answer reads back as EDIFACT without an error.
"$PW" parse "$T/body" >"$T/parsed" 2>&1
if grep -q '"severity":"error"' "$T/parsed"; then
    echo "FAIL answer parse"; cat "$T/parsed"; fails=$((fails + 1))
fi

request "$T/sltd" "NAD+FL+++GARCIA:ANA'RFF+ABO:P2'" \
    "DOC+P+YY3478621'DTM+36:351231'LOC+91+ESP'"
post "lost or stolen" 200 "$T/sltd" "${K[@]}"
has "lost or stolen ERC" "RFF+ABO:P2'ERC+1Z'" "$T/body"

request "$T/person" "NAD+FL+++BADEGE:ERIC'RFF+ABO:P3'" \
    "DOC+P+C1234567'DTM+36:351231'LOC+91+COD'"
post "listed person" 200 "$T/person" "${K[@]}"
has "listed person ERC" "RFF+ABO:P3'ERC+2Z'" "$T/body"

request "$T/nodoc" "NAD+FL+++WILLIAMS:JOHN'RFF+ABO:P4'"
post "no document" 200 "$T/nodoc" "${K[@]}"
has "no document ERC" "RFF+ABO:P4'ERC+4Z'" "$T/body"

post "no key" 401 "$T/board"
post "bad key" 401 "$T/board" -H "Authorization: Bearer nonsense"

printf 'not a paxlst' >"$T/junk"
post "unreadable" 200 "$T/junk" "${K[@]}"
has "unreadable ERP" "ERP+1'ERC+4Z'FTX+AAP+++REQUEST COULD NOT BE READ" \
    "$T/body"

# The data-protection officer reads the audit log right after an answer:
# the server writes what it queued before reading, so all five answers
# are there.
curl -s -b "$T/dpo.jar" "$U/api/audit?user=airx" >"$T/audit.json"
check "audit iapi entries" 5 "$(grep -o '"iapi.answer"' "$T/audit.json" | wc -l)"
has "audit board" '"outcome": *"rejected=0 passengers=1 0Z=1 1Z=0 2Z=0 4Z=0 hits=0"' \
    "$T/audit.json"
has "audit person" '"outcome": *"rejected=0 passengers=1 0Z=0 1Z=0 2Z=1 4Z=0 hits=1"' \
    "$T/audit.json"
has "audit unreadable" '"outcome": *"rejected=1 passengers=0' "$T/audit.json"
has "audit client" '"client": *"127.0.0.1"' "$T/audit.json"

# The hits were kept for review: the document and the person (stored
# after the answer went out, so give the server a moment).
for _ in $(seq 50); do
    "$PW" hits --db "$DB" --json >"$T/hits" 2>&1
    grep -q CDi.001 "$T/hits" && grep -q DEMO-SLTD-0001 "$T/hits" && break
    sleep 0.2
done
has "hit sltd kept" "DEMO-SLTD-0001" "$T/hits"
has "hit person kept" "CDi.001" "$T/hits"

# Answers given just before a shutdown (together, and killed at once:
# still queued) are written before the server exits.
for i in 1 2 3; do
    curl -s -o /dev/null --max-time 20 --data-binary "@$T/board" "${K[@]}" \
        "$U/iapi" &
done
wait $(jobs -p | grep -v "^$SP\$")

kill "$SP"; wait "$SP" 2>/dev/null; SP=
# The server logged the chain's head on stop: a later verify reaches it.
HEAD=$(grep 'event=audit_head' "$T/log" | tail -1 | sed 's/.*head=//')
"$PW" audit --db "$DB" --head "$HEAD" verify >"$T/verify" 2>&1
check "audit chain to the logged head [$HEAD]" 0 $?
has "logged head is the last" "intact: $(("${HEAD%%:*}")) entries" "$T/verify"
"$PW" audit --db "$DB" --user airx >"$T/audit.txt" 2>&1
check "audit after shutdown" 8 "$(grep -c 'iapi.answer' "$T/audit.txt")"
for name in WILLIAMS GARCIA BADEGE MB140241 YY3478621; do
    for f in "$T/log" "$T/audit.txt"; do
        if grep -q "$name" "$f"; then
            echo "FAIL personal data in $f: $name"; fails=$((fails + 1))
        fi
    done
done
has "log iapi" "iapi" "$T/log"

# A policy of the PIU's own: lost or stolen documents get "contact the
# authority" with its own words. A policy with a mistake stops the start.
printf 'lost_or_stolen = 2Z\ntext.lost_or_stolen = SEE THE DESK\n' >"$T/pol"
"$PW" serve --db "$DB" --listen "127.0.0.1:$PORT" --iapi-policy "$T/pol" \
    2>>"$T/log" &
SP=$!
for _ in $(seq 50); do curl -s "$U/health" >/dev/null && break; sleep 0.2; done
for _ in $(seq 50); do # the first answers may wait for the index: 503
    code=$(curl -s -o "$T/body" -w '%{http_code}' --max-time 20 \
        --data-binary "@$T/sltd" "${K[@]}" "$U/iapi")
    [ "$code" = 200 ] && break; sleep 0.2
done
check "policy answer" 200 "$code"
has "policy code and text" "RFF+ABO:P2'ERC+2Z'FTX+AAP+++SEE THE DESK'" \
    "$T/body"
kill "$SP"; wait "$SP" 2>/dev/null; SP=
printf 'lost_or_stolen = 7Z\n' >"$T/badpol"
"$PW" serve --db "$DB" --listen "127.0.0.1:$PORT" --iapi-policy "$T/badpol" \
    2>"$T/err"
check "bad policy stops the start" 2 $?
has "bad policy says where" "line 1" "$T/err"

[ "$fails" -eq 0 ] && echo "iapi: all passed"
exit $((fails > 0))

#!/bin/bash
# paxwatch serve over HTTP on loopback: every endpoint once, each role's
# limits, and bad requests (no auth, bad JSON, missing field, unknown
# path, wrong method, too large).
set -u
: "${PW:?PW must name the paxwatch binary}"
: "${PW_SHARED_DIR:?}"
S="$PW_SHARED_DIR/samples"
T=$(mktemp -d /tmp/pw-cli-api.XXXXXX)
DB="$T/pw.db"
SP=
cleanup() {
    [ -n "$SP" ] && kill "$SP" 2>/dev/null
    wait 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
export PAXWATCH_USER=setup
fails=0
. "$PW_SOURCE_DIR/tests/cli/lib.sh"

# req NAME EXPECTED-STATUS CURL-ARGS...: body in $T/body
req() {
    local name=$1 want=$2; shift 2
    local got
    got=$(curl -s -o "$T/body" -w '%{http_code}' --max-time 20 "$@")
    check "$name" "$want" "$got"
}

# jget EXPR: a value from $T/body (python expression on j)
jget() {
    python3 -c "import json,sys; j=json.load(open('$T/body')); print($1)"
}

PORT=$(python3 -c 'import socket; s = socket.socket()
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
U="http://127.0.0.1:$PORT"

cat >"$T/r.rules" <<'R'
rule "Stop in Chicago"
  severity high
when
  movement.legs.to = "ORD"
R
"$PW" rules --db "$DB" add "$T/r.rules" >/dev/null
"$PW" ingest --db "$DB" "$S/paxlst/gtas-apisMessage.edi" >/dev/null
"$PW" ingest --db "$DB" "$S/pnrgov/gtas-pnr1.edi" >/dev/null
for r in analyst officer list_manager rule_author dpo admin; do
    echo "pw-$r-1" | "$PW" users --db "$DB" add "$r" --role "$r" \
        --password-stdin >/dev/null || { echo "FAIL add $r"; exit 1; }
done
KEY=$("$PW" users --db "$DB" add airx --role carrier | tail -1)
check "key length" 43 "${#KEY}"

"$PW" serve --db "$DB" --listen "127.0.0.1:$PORT" 2>"$T/log" &
SP=$!
for _ in $(seq 50); do curl -s "$U/health" >/dev/null && break; sleep 0.2; done

login() { # login ROLE: cookie jar $T/ROLE.jar
    curl -s -c "$T/$1.jar" -o "$T/body" \
        -d "{\"name\":\"$1\",\"password\":\"pw-$1-1\"}" "$U/api/login"
}
for r in analyst officer list_manager rule_author dpo admin; do login "$r"; done
A=(-b "$T/analyst.jar")
O=(-b "$T/officer.jar")
AD=(-b "$T/admin.jar")

# health and no login
req "health" 200 "$U/health"
has "health ok" '"status":"ok"' "$T/body"
for p in movements movements/1 travellers travellers/1/history bookings \
    hits hits/1 rules lists users audit audit/verify; do
    req "no auth $p" 401 "$U/api/$p"
done
has "401 says" "log in first" "$T/body"
req "bad key" 401 -H "Authorization: Bearer nonsense" "$U/api/movements"

# reads as analyst
req "movements" 200 "${A[@]}" "$U/api/movements"
check "movements n" 2 "$(jget 'len(j["movements"])')"
req "movements page" 200 "${A[@]}" "$U/api/movements?limit=1"
check "page n" 1 "$(jget 'len(j["movements"])')"
check "page more" True "$(jget 'j["more"]')"
req "bad limit" 400 "${A[@]}" "$U/api/movements?limit=x"
req "movement 1" 200 "${A[@]}" "$U/api/movements/1"
has "movement travellers" '"surname":"CLARK"' "$T/body"
req "movement 99" 404 "${A[@]}" "$U/api/movements/99"
req "movement bad id" 400 "${A[@]}" "$U/api/movements/abc"
req "travellers" 200 "${A[@]}" "$U/api/travellers?movement=1"
check "travellers n" 2 "$(jget 'len(j["travellers"])')"
check "screened in full" "False False" \
    "$(jget '" ".join(str(t["screened_in_part"]) for t in j["travellers"])')"
req "history" 200 "${A[@]}" "$U/api/travellers/1/history"
has "history rows" '"kind":"movement"' "$T/body"
req "bookings" 200 "${A[@]}" "$U/api/bookings"
LOC=$(jget 'j["bookings"][0]["locator"]')
req "booking" 200 "${A[@]}" "$U/api/bookings/$LOC"
has "booking content" '"content"' "$T/body"
req "booking none" 404 "${A[@]}" "$U/api/bookings/NOSUCH"
req "hits" 200 "${A[@]}" "$U/api/hits?status=new"
check "hits n" 2 "$(jget 'len(j["hits"])')"
req "hits bad status" 400 "${A[@]}" "$U/api/hits?status=closed"
req "hit 1" 200 "${A[@]}" "$U/api/hits/1"
has "hit explanation" '"explanation"' "$T/body"

# officer: confirmed only
req "officer hits" 200 "${O[@]}" "$U/api/hits"
check "officer sees none" 0 "$(jget 'len(j["hits"])')"
req "officer hit 1" 404 "${O[@]}" "$U/api/hits/1"
req "officer review" 403 "${O[@]}" -d '{"status":"confirmed"}' \
    "$U/api/hits/1/review"
req "review" 200 "${A[@]}" -d '{"status":"confirmed","reason":"seen"}' \
    "$U/api/hits/1/review"
has "review to" '"to":"confirmed"' "$T/body"
req "review bad step" 409 "${A[@]}" -d '{"status":"in_review"}' \
    "$U/api/hits/1/review"
req "review no status" 400 "${A[@]}" -d '{"reason":"x"}' \
    "$U/api/hits/2/review"
has "names field" "missing field 'status'" "$T/body"
req "review bad json" 400 "${A[@]}" -d '{"status":' "$U/api/hits/2/review"
has "bad json says" "bad JSON" "$T/body"
req "officer confirmed" 200 "${O[@]}" "$U/api/hits"
check "officer sees 1" 1 "$(jget 'len(j["hits"])')"
req "officer hit 1 now" 200 "${O[@]}" "$U/api/hits/1"
for p in bookings movements movements/1 travellers?movement=1 \
    travellers/1/history; do
    req "officer $p" 403 "${O[@]}" "$U/api/$p"
done

# rules
RULE='{"text":"rule \"From Atlanta\"\nwhen\n  movement.legs.from = \"ATL\"\n"}'
req "rules list" 200 "${A[@]}" "$U/api/rules"
req "analyst add rule" 403 "${A[@]}" -d "$RULE" "$U/api/rules"
req "rule add" 201 -b "$T/rule_author.jar" -d "$RULE" "$U/api/rules"
has "rule name" '"name":"From Atlanta"' "$T/body"
req "rule bad" 400 -b "$T/rule_author.jar" -d '{"text":"rule x when"}' \
    "$U/api/rules"
req "rule disable" 200 -b "$T/rule_author.jar" -X POST \
    "$U/api/rules/From%20Atlanta/disable"
has "disabled" '"enabled":false' "$T/body"
req "rule enable" 200 -b "$T/rule_author.jar" -X POST \
    "$U/api/rules/From%20Atlanta/enable"
req "rule none" 404 -b "$T/rule_author.jar" -X POST \
    "$U/api/rules/nosuch/enable"
req "rule test" 200 "${A[@]}" \
    -d '{"text":"rule \"ORD\"\nwhen\n  movement.legs.to = \"ORD\"\n"}' \
    "$U/api/rules/test"
check "rule test fired" 2 "$(jget 'j["fired"]')"

# lists, users, audit by role
req "lists" 200 -b "$T/list_manager.jar" "$U/api/lists"
req "lists dpo" 403 -b "$T/dpo.jar" "$U/api/lists"
req "users" 200 "${AD[@]}" "$U/api/users"
check "users n" 7 "$(jget 'len(j["users"])')"
req "users analyst" 403 "${A[@]}" "$U/api/users"
has "403 says" "may not use" "$T/body"
req "user add" 201 "${AD[@]}" -d '{"name":"bob","role":"analyst",
    "password":"pw-bob"}' "$U/api/users"
req "user add again" 409 "${AD[@]}" -d '{"name":"bob","role":"analyst",
    "password":"x"}' "$U/api/users"
req "user add carrier" 201 "${AD[@]}" -d '{"name":"airy","role":"carrier"}' \
    "$U/api/users"
check "carrier key" 43 "$(jget 'len(j["api_key"])')"
req "user bad role" 400 "${AD[@]}" -d '{"name":"x","role":"king",
    "password":"x"}' "$U/api/users"
req "audit" 200 -b "$T/dpo.jar" "$U/api/audit?user=analyst&limit=500"
has "audit read" '"action":"hit.read"' "$T/body"
req "audit analyst" 403 "${A[@]}" "$U/api/audit"
req "audit newest" 200 -b "$T/dpo.jar" "$U/api/audit?order=newest&limit=3"
check "newest first" True "$(jget 'j["entries"][0]["seq"] > j["entries"][1]["seq"] > j["entries"][2]["seq"]')"
req "audit bad order" 400 -b "$T/dpo.jar" "$U/api/audit?order=sideways"
req "audit verify" 200 -b "$T/dpo.jar" "$U/api/audit/verify"
check "audit intact" True "$(jget 'j["intact"]')"

# retention: what a run would do now, changing nothing
req "retention" 200 -b "$T/dpo.jar" "$U/api/retention"
check "nothing due yet" 0 "$(jget 'j["due_depersonalise"]["movements"]')"
sqlite3 "$DB" "UPDATE movements SET updated_at = '2025-01-01T00:00:00Z'
    WHERE id = 1"
req "retention due" 200 -b "$T/dpo.jar" "$U/api/retention"
check "one movement due" 1 "$(jget 'j["due_depersonalise"]["movements"]')"
check "no deletion due" 0 "$(jget 'j["due_delete"]["movements"]')"
check "dry: names kept" 2 "$(sqlite3 "$DB" "SELECT count(*) FROM travellers
    WHERE movement_id = 1 AND surname IS NOT NULL")"
req "retention periods" 200 -b "$T/dpo.jar" \
    "$U/api/retention?depersonalise_after=0&delete_after=365"
check "held for its confirmed hit" 1 "$(jget 'j["due_delete"]["held"]')"
req "retention bad days" 400 -b "$T/dpo.jar" \
    "$U/api/retention?delete_after=x"
req "retention order" 400 -b "$T/dpo.jar" \
    "$U/api/retention?depersonalise_after=400&delete_after=365"
req "retention analyst" 403 "${A[@]}" "$U/api/retention"

# carrier: submit only
K=(-H "Authorization: Bearer $KEY")
MSG="$S/paxlst/ig-ex5-1-single-sector.edi"
req "submit" 200 "${K[@]}" --data-binary "@$MSG" "$U/api/messages"
has "submit accepted" '"status":"accepted"' "$T/body"
has "submit contrl" '"contrl":"UNB+UNOC:3+CUSTOMS' "$T/body"
req "submit again" 200 "${K[@]}" --data-binary "@$MSG" "$U/api/messages"
has "submit repeated" '"status":"repeated"' "$T/body"
req "submit junk" 422 "${K[@]}" --data-binary "hello" "$U/api/messages"
has "junk reason" '"reason":"not a message' "$T/body"
BATCH="$PW_SOURCE_DIR/tests/cases/own/paxlst/batch-two-interchanges.edi"
req "submit batch" 200 "${K[@]}" --data-binary "@$BATCH" \
    "$U/api/messages?name=batch.edi"
check "batch answers" "accepted accepted" \
    "$(jget '" ".join(i["status"] for i in j["interchanges"])')"
check "batch travellers" "4 3" \
    "$(jget '" ".join(str(i["travellers"]) for i in j["interchanges"])')"
req "carrier reads" 403 "${K[@]}" "$U/api/movements"
req "analyst submits" 403 "${A[@]}" --data-binary "x" "$U/api/messages"

# unknown path, method, too large
req "unknown" 404 "${A[@]}" "$U/api/nothing"
req "method" 405 "${A[@]}" -X DELETE "$U/api/movements"
head -c 70000 /dev/zero | tr '\0' 'a' >"$T/big"
req "too large" 413 -H 'Content-Type: application/json' \
    --data-binary "@$T/big" "$U/api/login"
head -c $((17 * 1024 * 1024)) /dev/zero >"$T/huge"
req "too large message" 413 "${K[@]}" --data-binary "@$T/huge" \
    "$U/api/messages"

# logout ends the session
req "logout" 200 "${A[@]}" -X POST "$U/api/logout"
req "after logout" 401 "${A[@]}" "$U/api/movements"

# the log: one line per request, no personal data, no query values
has "log line" "method=GET route=/api/movements/\* status=200" "$T/log"
if grep -qiE 'CLARK|1972-09-07|analyst&|limit=' "$T/log"; then
    echo "FAIL personal data or query in the log"; fails=$((fails + 1))
fi

# concurrent requests on the pool's threads keep the audit chain whole
seq 40 | xargs -P 8 -I{} curl -s -o /dev/null -b "$T/admin.jar" \
    "$U/api/hits/1?purpose=case-{}"
req "verify after load" 200 -b "$T/dpo.jar" "$U/api/audit/verify"
check "chain intact under load" True "$(jget 'j["intact"]')"
HEAD=$(jget 'j["head"]')
req "verify to head" 200 -b "$T/dpo.jar" "$U/api/audit/verify?head=$HEAD"
check "head reached" True "$(jget 'j["intact"]')"
req "verify past head" 200 -b "$T/dpo.jar" \
    "$U/api/audit/verify?head=999999:${HEAD#*:}"
check "head not reached" False "$(jget 'j["intact"]')"
has "head why" "entries removed from the end" "$T/body"
req "verify bad head" 400 -b "$T/dpo.jar" "$U/api/audit/verify?head=1:zz"
req "purpose kept" 200 -b "$T/dpo.jar" "$U/api/audit?user=admin&limit=1000"
check "purposes" 40 "$(jget 'sum(1 for e in j["entries"]
    if (e["purpose"] or "").startswith("case-"))')"

# nothing personal is served when its audit entry cannot be written
sqlite3 "$DB" "CREATE TRIGGER t BEFORE INSERT ON audit BEGIN
    SELECT RAISE(ABORT, 'full'); END"
req "audit down" 503 "${AD[@]}" "$U/api/movements/1"
if grep -q CLARK "$T/body"; then
    echo "FAIL served without audit"; fails=$((fails + 1))
fi
# ... and a change whose audit entry cannot be written does not happen
before=$(sqlite3 "$DB" "SELECT status FROM hits WHERE id = 2")
req "review unaudited" 503 "${AD[@]}" -d '{"status":"in_review"}' \
    "$U/api/hits/2/review"
check "review rolled back" "$before" \
    "$(sqlite3 "$DB" "SELECT status FROM hits WHERE id = 2")"
check "no review step" 0 "$(sqlite3 "$DB" "SELECT count(*) FROM hit_reviews
    WHERE hit_id = 2 AND to_status = 'in_review'")"
req "user unaudited" 503 "${AD[@]}" -d '{"name":"ghost2","role":"carrier"}' \
    "$U/api/users"
check "user rolled back" 0 \
    "$(sqlite3 "$DB" "SELECT count(*) FROM users WHERE name = 'ghost2'")"
sqlite3 "$DB" "DROP TRIGGER t"
req "audit back" 200 "${AD[@]}" "$U/api/movements/1"

# after retention, a movement says its personal data is gone
req "not depersonalised yet" 200 "${AD[@]}" "$U/api/movements/1"
check "no date yet" None "$(jget 'j["depersonalised_at"]')"
PAXWATCH_USER=dpo "$PW" retention run --db "$DB" --delete-after 0 >/dev/null
check "retention run" 0 $?
req "depersonalised" 200 "${AD[@]}" "$U/api/movements/1"
check "date given" True "$(jget 'j["depersonalised_at"] is not None')"
check "names gone" "[None, None]" "$(jget '[t["surname"] for t in j["travellers"]]')"

kill -TERM "$SP"; wait "$SP"; check "clean stop" 0 $?; SP=
has "stopped" "event=stopped" "$T/log"
[ "$fails" -eq 0 ] && echo "api: all passed"
exit $((fails > 0))

#!/bin/bash
# 'paxwatch retention': seal keys; a dry run that changes nothing; a run
# that depersonalises travellers, bookings, hits and raw messages (the
# names gone from the store file itself), the raw message back only with
# the secret key and a recorded reason; deletion after the retention
# period with a confirmed hit's movement held; a second run with nothing
# left to do; and refusals (future --as-of, bad periods, wrong key).
set -u
: "${PW:?PW must name the paxwatch binary}"
T=$(mktemp -d /tmp/pw-cli-retention.XXXXXX)
trap 'rm -rf "$T"' EXIT
DB="$T/pw.db"
export PAXWATCH_USER=dora
fails=0
. "$PW_SOURCE_DIR/tests/cli/lib.sh"

q() { sqlite3 "$DB" "$1"; }

# how many times the store file holds a text, however stored
in_file() { cat "$DB" "$DB-wal" 2>/dev/null | grep -a -o -- "$1" | wc -l; }

"$PW" retention --help >"$T/out"; check "help" 0 $?
has "help text" "usage: paxwatch retention run" "$T/out"
"$PW" retention >/dev/null 2>&1; check "no verb" 2 $?
"$PW" retention run --db "$T/none.db" >/dev/null 2>&1; check "no store" 1 $?

"$PW" demo --db "$DB" >/dev/null 2>&1 || { echo "FAIL demo"; exit 1; }
"$PW" retention keygen "$T/pub" "$T/sec" >"$T/out"; check "keygen" 0 $?
check "secret mode" 600 "$(stat -c %a "$T/sec")"
[[ "$(cat "$T/pub")" =~ ^[0-9a-f]{64}$ ]]; check "public key form" 0 $?
"$PW" retention keygen "$T/pub" "$T/sec2" >/dev/null 2>&1
check "keygen keeps a key" 1 $?

# Nothing is old yet: a run today changes nothing.
"$PW" retention run --db "$DB" --json >"$T/out"; check "run today" 0 $?
has "nothing due" '"movements_depersonalised":0' "$T/out"

# What a run in 2040 would do, changing nothing; a real run may not
# pretend to be then.
NAMED=$(q "SELECT count(*) FROM travellers WHERE surname IS NOT NULL")
"$PW" retention run --db "$DB" --as-of 2040-01-01 --dry-run >"$T/out"
check "dry run" 0 $?
has "dry says" "dry run: nothing changed" "$T/out"
has "dry would delete" \
    "deleted (data before 2035-01-01T00:00:00Z): 10 movements, 32 travellers" \
    "$T/out"
check "dry changed nothing" "$NAMED" \
    "$(q "SELECT count(*) FROM travellers WHERE surname IS NOT NULL")"
"$PW" retention run --db "$DB" --as-of 2040-01-01 >/dev/null 2>&1
check "future as-of refused" 2 $?
"$PW" retention run --db "$DB" --as-of 2040-13-01 --dry-run >/dev/null 2>&1
check "bad as-of" 2 $?
"$PW" retention run --db "$DB" --delete-after 30 >/dev/null 2>&1
check "deletion before depersonalisation" 2 $?
"$PW" retention run --db "$DB" --delete-after x >/dev/null 2>&1
check "bad days" 2 $?

# Make the demo's data a year old (received, pushed, last changed),
# confirm a hit of movement 4 and keep a raw message to compare.
q "UPDATE movements SET updated_at = '2025-11-01T00:00:00Z';
   UPDATE bookings SET updated_at = '2025-11-01T00:00:00Z';
   UPDATE messages SET received_at = '2025-11-01T00:00:00Z'"
"$PW" review --db "$DB" 1 --status in_review >/dev/null
"$PW" review --db "$DB" 1 --status confirmed --reason "document seized" \
    >/dev/null
q "SELECT writefile('$T/raw8.edi', raw) FROM message_raw WHERE message_id = 8" >/dev/null
for name in MARTINEZ SMITHJR 00441753637285; do
    check "$name in the file before" 1 "$(( $(in_file "$name") > 0 ))"
done

check "booking values before" 1 "$(q "SELECT count(*) > 0 FROM booking_items")"

"$PW" retention run --db "$DB" --seal-key "$T/pub" --json >"$T/out"
check "run" 0 $?
check "no booking values" 0 "$(q "SELECT count(*) FROM booking_items")"
has "movements" '"movements_depersonalised":10' "$T/out"
has "bookings" '"bookings_depersonalised":2' "$T/out"
has "messages sealed" '"messages_sealed":13' "$T/out"
has "hits masked" '"hits_masked":8' "$T/out"
check "no names left" 0 "$(q "SELECT count(*) FROM travellers WHERE
    surname IS NOT NULL OR given_names IS NOT NULL OR doc_number IS NOT NULL")"
check "birth years only" 0 \
    "$(q "SELECT count(*) FROM travellers WHERE length(birth_date) > 4")"
check "no contacts" 0 "$(q "SELECT count(*) FROM contacts")"
check "no document numbers" 0 \
    "$(q "SELECT count(*) FROM documents WHERE number IS NOT NULL")"
check "nationality kept" 1 \
    "$(q "SELECT count(*) > 0 FROM travellers WHERE nationality IS NOT NULL")"
check "raw cleared" 0 "$(q "SELECT sum(length(raw)) FROM message_raw")"
check "explanations gone" 0 \
    "$(q "SELECT count(*) FROM hits WHERE explanation IS NOT NULL")"
q "SELECT content FROM booking_versions" >"$T/bookings"
for word in SMITHJR JONES 00441753637285 1234567890 "45 HIGHSTREET" \
    XXXXXXXX1186 '"payer"' '"remarks":\["'; do
    if grep -q -- "$word" "$T/bookings"; then
        echo "FAIL booking keeps $word"; fails=$((fails + 1))
    fi
done
has "itinerary kept" '"from":"LHR"' "$T/bookings"
has "payment kept" '"amount":"2957.94"' "$T/bookings"
# not only unlinked: overwritten in the file (names that are on no
# stored watchlist)
for name in MARTINEZ SMITHJR 00441753637285; do
    check "$name gone from the file" 0 "$(in_file "$name")"
done
"$PW" travellers --db "$DB" >/dev/null; check "travellers lists" 0 $?
"$PW" movements --db "$DB" >"$T/out"
check "movements say so" 10 "$(grep -c '(depersonalised)' "$T/out")"
"$PW" movements --db "$DB" --json >"$T/out"
check "movements json" 10 "$(grep -c '"depersonalised_at":"20' "$T/out")"
"$PW" hit --db "$DB" 1 >"$T/out"; check "hit shows" 0 $?
has "hit says why not" "why: not kept (the traveller was depersonalised)" "$T/out"

# The sealed copy opens with the secret key only, and says why.
"$PW" retention reveal --db "$DB" --message 8 --key "$T/sec" \
    --reason "case 2026-41" >"$T/got"
check "reveal" 0 $?
cmp -s "$T/got" "$T/raw8.edi"; check "revealed as received" 0 $?
"$PW" retention reveal --db "$DB" --message 8 --key "$T/pub" \
    --reason "try" >/dev/null 2>&1
check "wrong key" 1 $?
"$PW" retention reveal --db "$DB" --message 8 --key "$T/sec" >/dev/null 2>&1
check "no reason" 2 $?
"$PW" audit --db "$DB" --user dora --json >"$T/audit"
has "audit run" '"action":"retention.run"' "$T/audit"
has "audit reveal" '"purpose":"case 2026-41","outcome":"ok"' "$T/audit"
has "audit refused" '"purpose":"try","outcome":"failed"' "$T/audit"
"$PW" audit --db "$DB" verify >/dev/null; check "audit chain" 0 $?

# A second run has nothing left to do.
"$PW" retention run --db "$DB" --json >"$T/out"
has "idempotent" '"movements_depersonalised":0,"travellers_depersonalised":0' \
    "$T/out"

# Six years on: everything goes but movement 4, held for its confirmed
# hit; then it goes too when confirmed hits are not held.
q "UPDATE movements SET updated_at = '2020-11-01T00:00:00Z';
   UPDATE bookings SET updated_at = '2020-11-01T00:00:00Z';
   UPDATE messages SET received_at = '2020-11-01T00:00:00Z'"
# (values as a booking stored before depersonalisation would keep)
q "INSERT INTO booking_items SELECT id >> 15, 'x', 'phone', id FROM
   booking_versions"
"$PW" retention run --db "$DB" --json >"$T/out"; check "delete run" 0 $?
check "values of deleted bookings gone" 0 "$(q "SELECT count(*) FROM
    booking_items WHERE version_id NOT IN (SELECT id FROM booking_versions)")"
check "values of kept bookings kept" \
    "$(q "SELECT count(*) FROM booking_versions")" \
    "$(q "SELECT count(*) FROM booking_items")"
has "deleted" '"movements_deleted":9' "$T/out"
has "held" '"movements_held":1' "$T/out"
check "one movement left" 4 "$(q "SELECT group_concat(id) FROM movements")"
check "its travellers left" 0 \
    "$(q "SELECT count(*) FROM travellers WHERE movement_id != 4")"
check "no bookings of others" 0 "$(q "SELECT count(*) FROM bookings WHERE
    movement_id IS NOT NULL AND movement_id != 4")"
check "messages of movement 4 only" 1 "$(q "SELECT count(*) FROM messages")"
check "and their raw bytes" 1 "$(q "SELECT count(*) FROM message_raw")"
"$PW" retention run --db "$DB" --delete-confirmed --json >"$T/out"
has "held deleted" '"movements_deleted":1' "$T/out"
check "nothing left" "0 0 0 0 0" "$(q "SELECT (SELECT count(*) FROM
    movements), (SELECT count(*) FROM travellers), (SELECT count(*) FROM
    hits), (SELECT count(*) FROM booking_versions), (SELECT count(*) FROM
    messages)" | tr '|' ' ')"

[ "$fails" -eq 0 ] && echo "retention: all passed"
exit $((fails > 0))

#!/bin/bash
# 'paxwatch audit': the CLI verbs that change things write entries, so
# does reading the log, the list filters by user and date, and 'audit verify' finds a changed, a
# removed and a reordered entry (the store edited with sqlite3), and,
# given the head noted earlier, entries removed from the end.
set -u
: "${PW:?PW must name the paxwatch binary}"
: "${PW_SHARED_DIR:?}"
S="$PW_SHARED_DIR/samples"
T=$(mktemp -d /tmp/pw-cli-audit.XXXXXX)
trap 'rm -rf "$T"' EXIT
DB="$T/pw.db"
fails=0
. "$PW_SOURCE_DIR/tests/cli/lib.sh"

cat >"$T/r.rules" <<'R'
rule "Stop in Chicago"
when
  movement.legs.to = "ORD"
R
export PAXWATCH_USER=author1
"$PW" rules --db "$DB" add "$T/r.rules" >/dev/null
"$PW" rules --db "$DB" disable "Stop in Chicago" >/dev/null
"$PW" rules --db "$DB" enable "Stop in Chicago" >/dev/null
"$PW" ingest --db "$DB" "$S/paxlst/gtas-apisMessage.edi" >/dev/null
PAXWATCH_USER=rev2 "$PW" review --db "$DB" 1 --status in_review >/dev/null
"$PW" users --db "$DB" add ops --role admin --password-stdin \
    <<<"pw-ops" >/dev/null

"$PW" audit --db "$DB" >"$T/out"; check "list exit" 0 $?
has "rule add" "author1 *rule.add *Stop in Chicago" "$T/out"
has "rule disable" "rule.disable" "$T/out"
has "rule enable" "rule.enable" "$T/out"
has "review" "rev2 *hit.review *1 *cli" "$T/out"
has "user add" "user.add *ops" "$T/out"
"$PW" audit --db "$DB" --user rev2 --json >"$T/out"
check "by user" 1 "$(wc -l <"$T/out")"
has "json" '"action":"hit.review"' "$T/out"
"$PW" audit --db "$DB" --since 2999-01-01 --json >"$T/out"
check "since future" 0 "$(wc -l <"$T/out")"
"$PW" audit --db "$DB" --since 2000-01-01 --json >"$T/out"
check "since past (and the three lists before)" 8 "$(wc -l <"$T/out")"
"$PW" audit --db "$T/none.db" >/dev/null 2>&1; check "no store" 1 $?
"$PW" audit --db "$DB" bogus >/dev/null 2>&1; check "usage" 2 $?

"$PW" audit --db "$DB" verify >"$T/out"; check "intact exit" 0 $?
has "intact" "intact: 9 entries" "$T/out"

# plain SQL cannot change or remove entries
sqlite3 "$DB" "UPDATE audit SET who = 'x' WHERE seq = 1" 2>"$T/err"
[ $? -ne 0 ]; check "update refused" 0 $?
grep -q "append-only" "$T/err"; check "says append-only" 0 $?
sqlite3 "$DB" "DELETE FROM audit WHERE seq = 1" 2>/dev/null
[ $? -ne 0 ]; check "delete refused" 0 $?

tamper() { # tamper NAME SQL EXPECTED-TEXT
    cp "$DB" "$T/t.db"
    sqlite3 "$T/t.db" "DROP TRIGGER audit_no_update;
        DROP TRIGGER audit_no_delete; $2"
    "$PW" audit --db "$T/t.db" verify >"$T/out"
    check "$1 exit" 1 $?
    has "$1 found" "$3" "$T/out"
}
tamper "changed" "UPDATE audit SET who = 'someone' WHERE seq = 3" \
    "broken at entry 3: .*does not match"
tamper "changed purpose" "UPDATE audit SET purpose = 'x' WHERE seq = 1" \
    "broken at entry 1"
tamper "removed" "DELETE FROM audit WHERE seq = 2" \
    "broken at entry 2: entry 3 found where 2 belongs"
# swap the contents of entries 2 and 4 (seq and hash travel with them)
tamper "reordered" "UPDATE audit SET id = -2 WHERE seq = 2;
    UPDATE audit SET id = 2 WHERE seq = 4; UPDATE audit SET id = 4
    WHERE seq = 2" "broken at entry 2: entry 4 found"
# an entry rewritten with its seq and a recomputed-looking hash
tamper "forged hash" "UPDATE audit SET hash = '$(printf '0%.0s' $(seq 64))'
    WHERE seq = 4" "broken at entry 4"

# The head, noted outside the store, lets verify see removals at the end
# that the chain alone cannot show.
HEAD=$("$PW" audit --db "$DB" head); check "head exit" 0 $?
[[ "$HEAD" =~ ^9:[0-9a-f]{64}$ ]]; check "head form [$HEAD]" 0 $?
"$PW" audit --db "$DB" --json head >"$T/out"
has "head json" "{\"seq\":9,\"hash\":\"${HEAD#9:}\"}" "$T/out"
"$PW" audit --db "$DB" --head "$HEAD" verify >"$T/out"
check "head intact exit" 0 $?
has "head intact" "intact: 9 entries, reaching the given head" "$T/out"
cp "$DB" "$T/t.db"
sqlite3 "$T/t.db" "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = 9"
"$PW" audit --db "$T/t.db" verify >/dev/null; check "tail cut unseen" 0 $?
"$PW" audit --db "$T/t.db" --head "$HEAD" verify >"$T/out"
check "tail cut exit" 1 $?
has "tail cut found" "broken at entry 9: the log ends at entry 8" "$T/out"
"$PW" audit --db "$DB" --head "9:$(printf 'a%.0s' $(seq 64))" verify \
    >"$T/out"
check "other head exit" 1 $?
has "other head found" "entry 9 differs from the hash noted" "$T/out"
"$PW" audit --db "$DB" --head 5:xyz verify >/dev/null 2>&1
check "bad head" 2 $?
"$PW" audit --db "$DB" --head "$HEAD" >/dev/null 2>&1
check "head without verify" 2 $?
"$PW" audit --db "$T/empty.db" head >/dev/null 2>&1; check "no store head" 1 $?

# Reading personal data from the command line is recorded as well.
for verb in "hit 1" "hits" "travellers --movement 1" "movements" \
    "history 1" "bookings" "booking NONE"; do
    # shellcheck disable=SC2086
    "$PW" $verb --db "$DB" >/dev/null 2>&1
done
"$PW" audit --db "$DB" --user author1 --json >"$T/out"
for read in '"hit.read","object":"1"' '"hit.list","object":null' \
    '"traveller.list","object":"1"' '"movement.list"' \
    '"traveller.history","object":"1"' '"booking.list"' \
    '"booking.read","object":"NONE"' '"audit.read"'; do
    has "read recorded: $read" "\"action\":$read" "$T/out"
done
"$PW" audit --db "$DB" verify >/dev/null; check "chain after reads" 0 $?
[ "$fails" -eq 0 ] && echo "audit: all passed"
exit $((fails > 0))

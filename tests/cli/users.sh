#!/bin/bash
# 'paxwatch users': add with each role, the carrier's API key as the
# last line, list, disable, passwd, and the refusals.
set -u
: "${PW:?PW must name the paxwatch binary}"
T=$(mktemp -d /tmp/pw-cli-users.XXXXXX)
trap 'rm -rf "$T"' EXIT
DB="$T/pw.db"
fails=0
. "$PW_SOURCE_DIR/tests/cli/lib.sh"

"$PW" users --help >/dev/null; check "help" 0 $?
"$PW" users --db "$DB" >/dev/null 2>&1; check "no sub" 2 $?
for r in analyst officer list_manager rule_author dpo admin; do
    "$PW" users --db "$DB" add "u_$r" --role "$r" --password-stdin \
        <<<"secret-$r" >/dev/null
    check "add $r" 0 $?
done
"$PW" users --db "$DB" add air1 --role carrier >"$T/out"
check "add carrier" 0 $?
KEY=$(tail -1 "$T/out")
check "key is last line" 1 "$(grep -cE '^[A-Za-z0-9_-]{43}$' <<<"$KEY")"
"$PW" users --db "$DB" add air2 --role carrier | tail -1 >"$T/key2"
[ "$KEY" != "$(cat "$T/key2")" ]; check "keys differ" 0 $?
# only hashes are stored
if sqlite3 "$DB" .dump | grep -qE "$KEY|secret-analyst"; then
    echo "FAIL secret stored in clear"; fails=$((fails + 1))
fi
check "argon2id" 6 "$(sqlite3 "$DB" "SELECT count(*) FROM users WHERE
    pwhash LIKE '\$argon2id\$%'")"

"$PW" users --db "$DB" add u_analyst --role analyst --password-stdin \
    <<<"x" >/dev/null 2>&1
check "duplicate" 1 $?
"$PW" users --db "$DB" add zed --role king >/dev/null 2>&1
check "bad role" 2 $?
"$PW" users --db "$DB" add 'bad name' --role analyst --password-stdin \
    <<<"x" >/dev/null 2>&1
check "bad name" 1 $?
"$PW" users --db "$DB" add nopw --role analyst --password-stdin \
    </dev/null >/dev/null 2>&1
check "empty password" 2 $?

"$PW" users --db "$DB" list >"$T/out"
check "list" 8 "$(grep -c active "$T/out")"
"$PW" users --db "$DB" disable u_officer >/dev/null; check "disable" 0 $?
check "disabled" 1 "$(grep -c 'u_officer .*disabled' <("$PW" users \
    --db "$DB" list))"
"$PW" users --db "$DB" disable nobody >/dev/null 2>&1
check "disable nobody" 1 $?
OLD=$(sqlite3 "$DB" "SELECT pwhash FROM users WHERE name = 'u_dpo'")
"$PW" users --db "$DB" passwd u_dpo <<<"new-secret" >/dev/null
check "passwd" 0 $?
NEW=$(sqlite3 "$DB" "SELECT pwhash FROM users WHERE name = 'u_dpo'")
[ "$OLD" != "$NEW" ]; check "hash changed" 0 $?
"$PW" users --db "$DB" passwd nobody <<<"x" >/dev/null 2>&1
check "passwd nobody" 1 $?
[ "$fails" -eq 0 ] && echo "users: all passed"
exit $((fails > 0))

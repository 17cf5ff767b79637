#!/bin/bash
# 'paxwatch rules' named lists and bookings: list-set, lists (text and
# JSON), list-show; a rule `in list` accepted before its list with a
# warning, hitting in 'rules test' and at ingest only once the list is
# set; a booking-field rule in 'rules test' over a stored PNR; history
# counts that see earlier bookings and the lists.
set -u
: "${PW:?PW must name the paxwatch binary}"
: "${PW_SHARED_DIR:?}"
S="$PW_SHARED_DIR/samples"
T=$(mktemp -d /tmp/pw-cli-rules-lists.XXXXXX)
trap 'rm -rf "$T"' EXIT
DB="$T/pw.db"
export PAXWATCH_USER=analyst7
fails=0
. "$PW_SOURCE_DIR/tests/cli/lib.sh"

hasnt() { # hasnt NAME PATTERN FILE
    if grep -q -- "$2" "$3"; then
        echo "FAIL $1: unexpected [$2] in:"; cat "$3"
        fails=$((fails + 1))
    fi
}

cat >"$T/list.rules" <<'R'
rule "Watched airport"
  severity high
when
  movement.legs.to in list "watch airports"
R
cat >"$T/card.rules" <<'R'
rule "Card from London"
when
  booking.payment.type = "CC"
  and booking.itinerary.from = "LHR"
R
printf '# airports we watch\nord\n  LHR  \n\nORD\n' >"$T/airports.txt"

# usage: list-set wants a name and a file
"$PW" rules --db "$DB" list-set "watch airports" >/dev/null 2>&1
check "list-set usage" 2 $?

# a rule naming a list that does not exist yet is stored, with a warning
"$PW" rules --db "$DB" add "$T/list.rules" >"$T/out" 2>"$T/err"
check "add before list" 0 $?
has "missing list warned" 'no list called "watch airports"' "$T/err"

"$PW" ingest --db "$DB" "$S/paxlst/gtas-apisMessage.edi" >/dev/null
"$PW" hits --db "$DB" >"$T/out"
hasnt "no hit before the list" "Watched airport" "$T/out"
"$PW" rules --db "$DB" test "$T/list.rules" >"$T/out" 2>/dev/null
has "test before list" "^0 hit(s)" "$T/out"

"$PW" rules --db "$DB" list-set "watch airports" "$T/airports.txt" >"$T/out"
check "list-set exit" 0 $?
has "list added" "watch airports: added (version 1, 2 value(s))" "$T/out"
"$PW" rules --db "$DB" list-set "Watch Airports" "$T/airports.txt" >"$T/out"
has "list unchanged" "unchanged (version 1" "$T/out"
"$PW" rules --db "$DB" lists >"$T/out"
has "lists row" "^watch airports .* 1 .* 2 .*analyst7" "$T/out"
"$PW" rules --db "$DB" lists --json >"$T/out"
has "lists json name" '"name": "watch airports"' "$T/out"
has "lists json values" '"values": 2' "$T/out"
has "lists json version" '"version": 1' "$T/out"
has "lists json who" '"updated_by": "analyst7"' "$T/out"

# an empty list is a list with no values
: >"$T/empty.txt"
"$PW" rules --db "$DB" list-set empty "$T/empty.txt" >"$T/out"
has "empty list" "empty: added (version 1, 0 value(s))" "$T/out"
"$PW" rules --db "$DB" list-show "WATCH AIRPORTS" >"$T/out"
has "list-show value" "^LHR$" "$T/out"
has "list-show version" "^version:  1" "$T/out"
"$PW" rules --db "$DB" list-show nope >/dev/null 2>"$T/err"
check "list-show missing" 1 $?

# now the rule hits in 'rules test' and at ingest
"$PW" rules --db "$DB" test "$T/list.rules" >"$T/out" 2>"$T/err"
has "test after list" "^2 hit(s)" "$T/out"
has "test reason" "movement.legs.to = ORD" "$T/out"
hasnt "no warning now" "warning" "$T/err"
sed -e 's/000006640/000006641/' -e 's/UNH+PAX001/UNH+PAX002/' \
    "$S/paxlst/gtas-apisMessage.edi" >"$T/v2.edi"
"$PW" ingest --db "$DB" "$T/v2.edi" >/dev/null
"$PW" hits --db "$DB" >"$T/out"
check "hits after list" 2 "$(grep -c "Watched airport" "$T/out")"

# a booking-field rule over a stored PNR
"$PW" ingest --db "$DB" "$S/pnrgov/gtas-pnr1.edi" >/dev/null
"$PW" rules --db "$DB" test "$T/card.rules" >"$T/out"
check "card test exit" 0 $?
has "card hit" "Card from London" "$T/out"
has "card reason" "booking.payment.type = CC" "$T/out"
hasnt "card no zero" "^0 hit(s)" "$T/out"

# history counts see earlier movements with their booking and the lists:
# the same two travellers on a second booking ten days later
DB2="$T/pw2.db"
sed -e 's/TVL+121210:0915+LHR+JFK+DL+324/TVL+221210:0915+LHR+JFK+DL+324/' \
    -e 's/RCI+DL:MFN4TI/RCI+DL:MFN4TJ/' -e 's/UNH+1+PNRGOV/UNH+2+PNRGOV/' \
    "$S/pnrgov/gtas-pnr1.edi" >"$T/later.edi"
"$PW" ingest --db "$DB2" "$S/pnrgov/gtas-pnr1.edi" >/dev/null
"$PW" ingest --db "$DB2" "$T/later.edi" >/dev/null
cat >"$T/again.rules" <<'R'
rule "Card again from a watched airport"
when
  count of earlier movements where booking.payment.type = "CC"
    and movement.legs.from in list "origins" within 30 days >= 1
R
"$PW" rules --db "$DB2" test "$T/again.rules" >"$T/out" 2>/dev/null
has "history before list" "^0 hit(s) over 4 traveller(s)" "$T/out"
printf 'lhr\n' >"$T/origins.txt"
"$PW" rules --db "$DB2" list-set origins "$T/origins.txt" >/dev/null
"$PW" rules --db "$DB2" test "$T/again.rules" >"$T/out"
has "history with booking and list" "^2 hit(s) over 4 traveller(s)" "$T/out"
sed -i 's/"CC"/"CA"/' "$T/again.rules"
"$PW" rules --db "$DB2" test "$T/again.rules" >"$T/out"
has "history other payment" "^0 hit(s) over 4 traveller(s)" "$T/out"

if [ "$fails" -ne 0 ]; then
    echo "$fails check(s) failed"
    exit 1
fi
echo "rules_lists: all checks passed"

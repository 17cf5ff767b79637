#!/bin/bash
# 'paxwatch rules': add good and bad rule files (problems with line and
# column, exit 1), versions and who made them, enable and disable,
# 'rules test' over stored traffic storing nothing, and rule hits at
# ingest with no second hit for a newer version of the same list.
set -u
: "${PW:?PW must name the paxwatch binary}"
: "${PW_SHARED_DIR:?}"
S="$PW_SHARED_DIR/samples"
T=$(mktemp -d /tmp/pw-cli-rules.XXXXXX)
trap 'rm -rf "$T"' EXIT
DB="$T/pw.db"
export PAXWATCH_USER=analyst7
fails=0
. "$PW_SOURCE_DIR/tests/cli/lib.sh"

cat >"$T/good.rules" <<'R'
# Two rules in one file
rule "Stop in Chicago"
  category "travel pattern"
  severity high
when
  movement.legs.to = "ORD"

rule "Leaves LHR"
  severity low
when
  movement.legs.from = "LHR"
R
cat >"$T/bad.rules" <<'R'
rule "Fine"
when
  movement.legs.to = "ORD"

rule "Broken"
when
  traveller.shoe_size > 3
R
cat >"$T/v2.rules" <<'R'
rule "Stop in Chicago"
  severity critical
when
  movement.legs.to in ("ORD", "MDW")
R

# usage
"$PW" rules --help >"$T/out"; check "help exit" 0 $?
has "help text" "usage: paxwatch rules" "$T/out"
"$PW" rules --db "$DB" frobnicate x >/dev/null 2>&1; check "bad sub" 2 $?
"$PW" rules --db "$DB" list extra >/dev/null 2>&1; check "extra arg" 2 $?
"$PW" rules --db "$DB" test x --since 2020-13-45 >/dev/null 2>&1
check "bad since" 2 $?

# a bad file is refused whole, with its position
"$PW" rules --db "$DB" add "$T/bad.rules" >"$T/out" 2>"$T/err"
check "bad exit" 1 $?
has "bad position" "bad.rules:7:3: unknown field" "$T/err"
"$PW" rules --db "$DB" list >"$T/out"
has "nothing stored" "(no rules)" "$T/out"

# traffic stored before any rule exists
"$PW" ingest --db "$DB" "$S/paxlst/gtas-apisMessage.edi" >/dev/null

# good file: both rules at version 1
"$PW" rules --db "$DB" add "$T/good.rules" >"$T/out"; check "add exit" 0 $?
has "added 1" "Stop in Chicago: added (version 1)" "$T/out"
has "added 2" "Leaves LHR: added (version 1)" "$T/out"
"$PW" rules --db "$DB" add "$T/good.rules" >"$T/out"
has "unchanged" "Stop in Chicago: unchanged (version 1)" "$T/out"
"$PW" rules --db "$DB" list >"$T/out"
check "listed" 2 "$(grep -c 'enabled' "$T/out")"
has "who" "analyst7" "$T/out"

# rules test over stored traffic: hits shown, none stored
"$PW" rules --db "$DB" test "$T/v2.rules" >"$T/out"; check "test exit" 0 $?
has "test hit" "CLARK MICHAEL: Stop in Chicago (critical)" "$T/out"
has "test why" "movement.legs.to = ORD" "$T/out"
has "test summary" "2 hit(s) over 2 traveller(s) on 1 movement(s)" "$T/out"
"$PW" rules --db "$DB" test "$T/v2.rules" --since 2008-01-01 >"$T/out"
has "since" "0 hit(s) over 0 traveller(s) on 0 movement(s)" "$T/out"
"$PW" rules --db "$DB" test "$T/bad.rules" >/dev/null 2>"$T/err"
check "test bad" 1 $?
"$PW" hits --db "$DB" >"$T/out"
has "test stored nothing" "(no hits)" "$T/out"

# a new version, then disable and enable, all recorded
"$PW" rules --db "$DB" add "$T/v2.rules" >"$T/out"
has "version 2" "Stop in Chicago: new version (version 2)" "$T/out"
"$PW" rules --db "$DB" disable "Leaves LHR" >"$T/out"
has "disabled" "Leaves LHR: disabled" "$T/out"
"$PW" rules --db "$DB" disable "Leaves LHR" >"$T/out"
has "already" "already disabled" "$T/out"
"$PW" rules --db "$DB" disable "Nope" >/dev/null 2>&1; check "unknown" 1 $?
PAXWATCH_USER=lead2 "$PW" rules --db "$DB" enable "Leaves LHR" >/dev/null
"$PW" rules --db "$DB" show "Stop in Chicago" >"$T/out"
has "show version" "version:  2" "$T/out"
has "show text" 'movement.legs.to in ("ORD", "MDW")' "$T/out"
check "show changes" 2 "$(grep -c ' v[12] .*analyst7$' "$T/out")"
"$PW" rules --db "$DB" show "Leaves LHR" >"$T/out"
has "enabled by" "enabled  lead2" "$T/out"

# ingest: a newer version of the list raises the hits once
sed 's/000006640/000006641/; s/PAX001/PAX002/' \
    "$S/paxlst/gtas-apisMessage.edi" >"$T/v2.edi"
sed 's/000006640/000006642/; s/PAX001/PAX003/' \
    "$S/paxlst/gtas-apisMessage.edi" >"$T/v3.edi"
"$PW" ingest --db "$DB" "$T/v2.edi" >"$T/out"
has "ingest hits" "2 hits" "$T/out"
"$PW" ingest --db "$DB" "$T/v3.edi" >"$T/out"
has "no second hit" "0 hits" "$T/out"
"$PW" hits --db "$DB" --json >"$T/out"
check "two hits" 2 "$(wc -l <"$T/out")"
has "rule version" '"rule_version":2' "$T/out"
has "reasons" '"reasons":\[{"field":"movement.legs.to","value":"ORD"}\]' \
    "$T/out"
has "severity" '"severity":"critical"' "$T/out"

[ "$fails" -eq 0 ] && echo "rules: all passed"
exit "$fails"

#!/bin/bash
# 'paxwatch hits' and screening at ingest: a list loaded with 'paxwatch
# lists load', a flight carrying a listed name, the hit with its
# explanation as JSON lines, no second hit for a newer version of the
# same list, the filter by movement, and usage errors.
set -u
: "${PW:?PW must name the paxwatch binary}"
: "${PW_SHARED_DIR:?}"
: "${PW_SOURCE_DIR:?}"
S="$PW_SHARED_DIR/samples/paxlst"
FLIGHT="$PW_SOURCE_DIR/data/samples/pw-demo-d05b-dxb-lhr.edi"
UN="$PW_SOURCE_DIR/data/lists/UN_consolidated.xml"
T=$(mktemp -d /tmp/pw-cli-hits.XXXXXX)
trap 'rm -rf "$T"' EXIT
DB="$T/pw.db"
fails=0
. "$PW_SOURCE_DIR/tests/cli/lib.sh"

# usage
"$PW" hits --help >"$T/out"; check "help exit" 0 $?
has "help text" "usage: paxwatch hits" "$T/out"
"$PW" hits --db "$DB" extra >/dev/null 2>&1; check "extra arg" 2 $?
"$PW" hits --db "$DB" --movement x >/dev/null 2>&1; check "bad movement" 2 $?
"$PW" hits --db "$T/none.db" >/dev/null 2>&1; check "missing store" 1 $?
check "missing store not made" no \
    "$([ -e "$T/none.db" ] && echo yes || echo no)"

# a flight ingested before any list is loaded raises nothing
"$PW" ingest --db "$DB" "$S/ig-ex5-1-single-sector.edi" >"$T/out" 2>&1
check "ingest without lists" 0 $?
has "no hits without lists" "accepted (1 traveller, movement 1, 0 hits)" \
    "$T/out"

"$PW" lists load --db "$DB" --format un-xml --name un "$UN" >"$T/out" 2>&1
check "list load exit" 0 $?

"$PW" ingest --db "$DB" "$FLIGHT" >"$T/out" 2>"$T/err"
check "ingest exit" 0 $?
has "one hit reported" "accepted (3 travellers, movement 2, 1 hit)" "$T/out"
check "no personal data on stderr" "" "$(cat "$T/err")"

"$PW" hits --db "$DB" --json >"$T/hits"
check "hits exit" 0 $?
check "one hit" 1 "$(wc -l <"$T/hits")"
check "hit fields" "AL FAUWAZ|2|PW456|un|QDi.059|name|new|True|True|True" \
    "$(python3 -c '
import json,sys
h = json.loads(open(sys.argv[1]).readline())
e = h["explanation"]
kinds = [p["kind"] for p in e["parts"]]
print("|".join(str(x) for x in [h["surname"], h["movement"], h["flight"],
      h["list"], h["entry_id"], h["kind"], h["status"],
      0.8 <= h["score"] <= 1.0, "token" in kinds,
      any(p["kind"] == "birth_date" and p["how"] == "exact"
          for p in e["parts"])]))' "$T/hits")"

# a newer version of the same list (other bytes, same passengers)
sed 's/RFF+TN:PWD20261203/RFF+TN:PWD20261203B/' "$FLIGHT" >"$T/v2.edi"
"$PW" ingest --db "$DB" "$T/v2.edi" >"$T/out" 2>&1
check "v2 exit" 0 $?
has "v2 raises no new hit" "accepted (3 travellers, movement 2, 0 hits)" \
    "$T/out"
check "still one hit" 1 "$("$PW" hits --db "$DB" --json | wc -l)"

# filters and the table
check "movement filter" 0 "$("$PW" hits --db "$DB" --movement 1 --json | wc -l)"
check "movement 2" 1 "$("$PW" hits --db "$DB" --movement 2 --json | wc -l)"
"$PW" hits --db "$DB" >"$T/table"
has "table row" "PW456 .*AL FAUWAZ .*un .*QDi.059" "$T/table"
has "table why" "why: .*birth_date exact" "$T/table"
"$PW" hits --db "$DB" --movement 1 >"$T/table"
has "no hits line" "(no hits)" "$T/table"

if [ "$fails" -ne 0 ]; then
    echo "$fails check(s) failed"
    exit 1
fi
echo "all hits checks passed"

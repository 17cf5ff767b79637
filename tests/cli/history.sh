#!/bin/bash
# 'paxwatch history': the same person's movements (by names and birth
# date, or by document), bookings and hits, and co-travellers sharing a
# booking, phone, e-mail, address or card, with the real samples.
set -u
: "${PW:?PW must name the paxwatch binary}"
: "${PW_SHARED_DIR:?}"
S="$PW_SHARED_DIR/samples"
T=$(mktemp -d /tmp/pw-cli-history.XXXXXX)
trap 'rm -rf "$T"' EXIT
DB="$T/pw.db"
fails=0
. "$PW_SOURCE_DIR/tests/cli/lib.sh"

"$PW" history --help >"$T/out"; check "help exit" 0 $?
"$PW" history --db "$DB" x >/dev/null 2>&1; check "bad id" 2 $?
"$PW" history --db "$T/none.db" 1 >/dev/null 2>&1; check "no store" 1 $?

# IG example 5.1 twice, on another flight a week later
"$PW" ingest --db "$DB" "$S/paxlst/ig-ex5-1-single-sector.edi" >/dev/null
sed 's/ZZ123/ZZ777/g; s/130621/130628/g; s/000000001/000000002/g' \
    "$S/paxlst/ig-ex5-1-single-sector.edi" >"$T/later.edi"
"$PW" ingest --db "$DB" "$T/later.edi" >/dev/null
"$PW" ingest --db "$DB" "$S/pnrgov/gtas-pnr1.edi" \
    "$S/pnrgov/gtas-pnr2.edi" >/dev/null

"$PW" history --db "$DB" 999 >/dev/null 2>"$T/err"
check "no traveller" 1 $?
has "no traveller text" "no traveller 999" "$T/err"

"$PW" history --db "$DB" --json 1 >"$T/out"; check "json exit" 0 $?
check "two movements" 2 "$(grep -c '"kind":"movement"' "$T/out")"
has "later flight" '"flight":"ZZ777"' "$T/out"
has "later date" '"date":"2013-06-28"' "$T/out"

# booking MFN4TI of pnr1: SMITHJR and JONES travel together
ID=$("$PW" travellers --db "$DB" | awk '$4 == "SMITHJR" {print $1; exit}')
"$PW" history --db "$DB" --json "$ID" >"$T/out"
has "booking" '"kind":"booking".*"locator":"MFN4TI"' "$T/out"
has "co-traveller" '"surname":"JONES".*"shared":"booking","value":"MFN4TI"' \
    "$T/out"
has "shared phone" '"surname":"JONES".*"shared":"booking phone"' "$T/out"
# pnr2 carries SMITHJR's passport number for WAYNE: the same document
has "same document" '"kind":"booking".*"locator":"23456"' "$T/out"
"$PW" history --db "$DB" "$ID" >"$T/out"
has "text links" "co-travellers:" "$T/out"

# A person's rows in other parts of the person indexes (32,768 rows
# each, by id): a placeholder row at id 100000 sends the next rows to
# part 3, where the same person flies again, and where a passenger of
# another spelling carries the same passport.
sqlite3 "$DB" "INSERT INTO travellers (id, manifest_id, movement_id,
    list_type, current, role) SELECT 100000, manifest_id, movement_id,
    list_type, 0, role FROM travellers WHERE id = 1" ||
    fails=$((fails + 1))
sed 's/ZZ123/ZZ888/g; s/130621/130705/g; s/000000001/000000003/g' \
    "$S/paxlst/ig-ex5-1-single-sector.edi" >"$T/part3.edi"
sed 's/ZZ123/ZZ999/g; s/130621/130712/g; s/000000001/000000004/g;
    s/WILLIAMS:JOHN:DONALD/WILLIAMSON:JON/; s/DTM+329:720907/DTM+329:720709/' \
    "$S/paxlst/ig-ex5-1-single-sector.edi" >"$T/part3-doc.edi"
"$PW" ingest --db "$DB" "$T/part3.edi" "$T/part3-doc.edi" >/dev/null
"$PW" history --db "$DB" --json 1 >"$T/out"
check "movements across parts" 4 "$(grep -c '"kind":"movement"' "$T/out")"
has "same name in part 3" '"flight":"ZZ888"' "$T/out"
has "same passport in part 3" '"flight":"ZZ999"' "$T/out"
LAST=$(sqlite3 "$DB" "SELECT MAX(id) FROM travellers")
[ "$LAST" -gt 100000 ]; check "rows in part 3" 0 $?
"$PW" history --db "$DB" --json "$LAST" >"$T/out"
check "from part 3 back to part 0" 4 \
    "$(grep -c '"kind":"movement"' "$T/out")"

# Co-travellers in another part, each found by index (migration 13):
# BROWN, on another flight, gives WILLIAMS's booking reference, street
# (in other case) and phone.
sed 's/ZZ123/ZZ555/g; s/130621/130719/g; s/000000001/000000005/g;
    s/WILLIAMS:JOHN:DONALD+235 WESTERN ROAD SUITE 203/BROWN:ANNA+235 Western Road Suite 203/;
    s/DTM+329:720907/DTM+329:800101/; s/MB140241/MB999999/' \
    "$S/paxlst/ig-ex5-1-single-sector.edi" >"$T/brown.edi"
"$PW" ingest --db "$DB" "$T/brown.edi" >/dev/null
"$PW" history --db "$DB" --json 1 >"$T/out"
has "same booking reference" \
    '"surname":"BROWN".*"shared":"booking","value":"TYR123"' "$T/out"
has "same street" \
    '"surname":"BROWN".*"shared":"address","value":"235 Western Road' "$T/out"
has "same phone" '"surname":"BROWN".*"shared":"phone"' "$T/out"

[ "$fails" -eq 0 ] && echo "history: all passed"
exit "$fails"

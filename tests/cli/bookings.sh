#!/bin/bash
# 'paxwatch ingest' of PNRGOV, 'bookings' and 'booking' against the real
# binary and the shared samples: report lines, versions and repeats, links
# to API travellers made in either order, and a store whose every byte
# (raw messages included) is free of the sensitive data the filter drops.
set -u
: "${PW:?PW must name the paxwatch binary}"
: "${PW_SHARED_DIR:?}"
S="$PW_SHARED_DIR/samples"
T=$(mktemp -d /tmp/pw-cli-bookings.XXXXXX)
trap 'rm -rf "$T"' EXIT
DB="$T/pw.db"
fails=0
. "$PW_SOURCE_DIR/tests/cli/lib.sh"

hasnt() { # hasnt NAME PATTERN FILE
    if grep -q -- "$2" "$3"; then
        echo "FAIL $1: [$2] found in $3"
        fails=$((fails + 1))
    fi
}

# A PAXLST for DL324 LHR-JFK 2010-12-12 (the flight of gtas-pnr1.edi):
# api_list REF then, per passenger, SURNAME GIVEN AVF DOC ("-": none).
api_list() {
    local ref=$1 n=0
    shift
    printf "UNA:+.? 'UNB+UNOA:4+DL:ZZ+USCBP:ZZ+101210:1200+%s'\n" "$ref"
    printf "UNH+1+PAXLST:D:05B:UN:IATA+%s'\nBGM+745'\n" "$ref"
    printf "TDT+20+DL324+++DL'\nLOC+125+LHR'\nDTM+189:1012120915:201'\n"
    printf "LOC+87+JFK'\nDTM+232:1012121300:201'\n"
    while [ $# -ge 4 ]; do
        printf "NAD+FL+++%s:%s'\nATT+2++M'\nDTM+329:640712'\n" "$1" "$2"
        printf "NAT+2+GBR'\n"
        [ "$3" != "-" ] && printf "RFF+AVF:%s'\n" "$3"
        [ "$4" != "-" ] && printf "DOC+P:110:111+%s'\nLOC+91+GBR'\n" "$4"
        n=$((n + 1))
        shift 4
    done
    printf "CNT+42:%d'\nUNT+20+1'\nUNZ+1+%s'\n" "$n" "$ref"
}

# usage
for v in bookings booking; do
    "$PW" $v --help >"$T/out"; check "$v help" 0 $?
    has "$v help text" "usage: paxwatch $v" "$T/out"
    "$PW" $v --bogus >/dev/null 2>&1; check "$v bad option" 2 $?
done
"$PW" booking --db "$DB" >/dev/null 2>&1; check "booking no locator" 2 $?
"$PW" bookings --db "$DB" --movement x >/dev/null 2>&1
check "bookings bad movement" 2 $?
"$PW" bookings --db "$T/none.db" >/dev/null 2>&1
check "bookings missing store" 1 $?

# PNRs, EDIFACT and XML
P1="$S/pnrgov/gtas-pnr1.edi"
"$PW" ingest --db "$DB" "$P1" "$S/pnrgov/gtas-3_pnrs.edi" \
    "$S/pnrgov-xml/test_pnr.xml" >"$T/out"
check "ingest exit" 0 $?
has "pnr1 line" "gtas-pnr1.edi: accepted (1 booking, 2 travellers, 0 hits, movement 1)" "$T/out"
has "3 pnrs line" "gtas-3_pnrs.edi: accepted (3 bookings, 13 travellers, 0 hits, movement 2)" "$T/out"
has "xml line" "test_pnr.xml: accepted (1 booking, 3 travellers, 0 hits, movement 3)" "$T/out"
"$PW" ingest --db "$DB" "$P1" >"$T/out"
has "repeat" "gtas-pnr1.edi: repeated" "$T/out"

"$PW" bookings --db "$DB" >"$T/out"; check "bookings exit" 0 $?
check "bookings rows" 6 "$(wc -l <"$T/out")"
has "bookings row" "MFN4TI .*DL .* 1 .* 2 .* 1 DL324 LHR-JFK 2010-12-12T09:15, DL330 JFK-YVR" "$T/out"
"$PW" bookings --db "$DB" --movement 2 --json >"$T/out"
check "movement 2 bookings" 3 "$(wc -l <"$T/out")"
check "json parses" 3 "$(python3 -c 'import json,sys; print(sum(1 for l in sys.stdin if json.loads(l)["movement"] == 2))' <"$T/out")"

# a new version: one traveller renamed, one flight dropped
sed -e 's/TIF+JONES+WILLIAMMR/TIF+BROWN+WILLIAMMR/' \
    -e 's|//JONES/WILLIAMNEVELL|//BROWN/WILLIAMNEVELL|' "$P1" >"$T/v2.edi"
"$PW" ingest --db "$DB" "$T/v2.edi" >"$T/out"
has "v2 line" "v2.edi: accepted (1 booking, 2 travellers, 0 hits, movement 1)" "$T/out"
# the same content in a newer message makes no version
sed -e 's/+020A07/+020A09/' "$T/v2.edi" >"$T/v3.edi"
"$PW" ingest --db "$DB" "$T/v3.edi" >"$T/out"
has "v3 unchanged" "v3.edi: accepted (0 bookings, 0 travellers, 0 hits, 1 unchanged, movement 1)" "$T/out"
"$PW" booking --db "$DB" MFN4TI >"$T/out"; check "booking exit" 0 $?
has "booking head" "booking MFN4TI  carrier DL .* versions 2" "$T/out"
has "latest traveller" "BROWN WILLIAM" "$T/out"
has "version 2 change" "travellers: added BROWN WILLIAM; removed JONES WILLIAM;" "$T/out"
"$PW" booking --db "$DB" MFN4TI --json >"$T/out"
check "booking json" "2 BROWN" "$(python3 -c 'import json,sys; b=json.load(sys.stdin); print(len(b["versions"]), b["booking"]["travellers"][1]["surname"])' <"$T/out")"
"$PW" booking --db "$DB" NOSUCH >/dev/null 2>"$T/err"
check "unknown locator" 1 $?
has "unknown locator says" "no booking with locator NOSUCH" "$T/err"

# links, API first: by locator and name, then by name and birth date
D2="$T/links1.db"
api_list A1 SMITHJR JOHN MFN4TI - JONES WILLIAM - - >"$T/a1.edi"
"$PW" ingest --db "$D2" "$T/a1.edi" >/dev/null
"$PW" ingest --db "$D2" "$P1" >"$T/out"
has "links counted" "2 links" "$T/out"
"$PW" booking --db "$D2" MFN4TI >"$T/out"
has "locator link" "SMITHJR JOHN  ->  API traveller 1 SMITHJR JOHN (list version 1)  by locator+name" "$T/out"
has "birth link" "JONES WILLIAM  ->  API traveller 2 JONES WILLIAM (list version 1)  by name+birth_date" "$T/out"
"$PW" movements --db "$D2" >"$T/out"
has "pnr travellers not counted as API passengers" "DL324 .* 2     0     2" "$T/out"

# links, PNR first: by document, then by locator and name
D3="$T/links2.db"
api_list A2 SMITH JOHNNY - 123456789 JONES WILLIAM MFN4TI - >"$T/a2.edi"
"$PW" ingest --db "$D3" "$P1" >/dev/null
"$PW" ingest --db "$D3" "$T/a2.edi" >/dev/null
"$PW" booking --db "$D3" MFN4TI --json >"$T/out"
check "links pnr first" "document SMITH,locator+name JONES" "$(python3 -c 'import json,sys; b=json.load(sys.stdin); print(",".join(l["method"]+" "+l["surname"] for l in b["links"]))' <"$T/out")"

# sensitive data: none of it anywhere in the store file
D4="$T/clean.db"
sed -e "s/SSR+AVML:HK:2:DL'/SSR+MOML:HK:2:DL'SSR+WCHR:HK:1:DL'IFT+4:28::DL+PASSENGER IS DIABETIC'/" \
    "$P1" >"$T/sens.edi"
has "test input has them" "DIABETIC" "$T/sens.edi"
"$PW" ingest --db "$D4" "$T/sens.edi" >"$T/out"; check "sensitive ingest" 0 $?
"$PW" ingest --db "$D4" "$T/sens.edi" >"$T/out"
has "sensitive repeat by received bytes" "repeated" "$T/out"
sqlite3 "$D4" .dump >"$T/dump"
has "dump has the booking" "MFN4TI" "$T/dump"
for w in MOML WCHR DIABETIC AVML; do
    hasnt "dump free of $w" "$w" "$T/dump"
    hasnt "file free of $w" "$w" "$D4"
    [ -e "$D4-wal" ] && hasnt "wal free of $w" "$w" "$D4-wal"
done
check "raw keeps its size" "$(wc -c <"$T/sens.edi")" \
    "$(sqlite3 "$D4" 'SELECT length(raw) FROM message_raw')"

if [ "$fails" -ne 0 ]; then
    echo "$fails check(s) failed"
    exit 1
fi
echo "all bookings checks passed"

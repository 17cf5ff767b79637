#!/bin/bash
# 'paxwatch ingest', 'movements' and 'travellers' against the real
# binary and real sample files: output lines, exit codes, repeats, a bad
# file among good ones, standard input, JSON lines, CONTRL files, parts
# joined across runs and new versions of a list.
set -u
: "${PW:?PW must name the paxwatch binary}"
: "${PW_SHARED_DIR:?}"
S="$PW_SHARED_DIR/samples/paxlst"
T=$(mktemp -d /tmp/pw-cli-ingest.XXXXXX)
trap 'rm -rf "$T"' EXIT
DB="$T/pw.db"
fails=0
. "$PW_SOURCE_DIR/tests/cli/lib.sh"

json_count() { # lines of JSON on stdin, each must parse
    python3 -c 'import json,sys; print(sum(1 for l in sys.stdin if json.loads(l) is not None))'
}

# usage
"$PW" ingest --help >"$T/out"; check "help exit" 0 $?
has "help text" "usage: paxwatch ingest" "$T/out"
"$PW" ingest --db "$DB" >/dev/null 2>&1; check "no files" 2 $?
"$PW" ingest --bogus x >/dev/null 2>&1; check "bad option" 2 $?
for v in movements travellers; do
    "$PW" $v --help >"$T/out"; check "$v help" 0 $?
    has "$v help text" "usage: paxwatch $v" "$T/out"
    "$PW" $v --db "$DB" extra >/dev/null 2>&1; check "$v extra arg" 2 $?
done
"$PW" travellers --db "$DB" --movement abc >/dev/null 2>&1
check "movement not a number" 2 $?
"$PW" movements --db "$T/none.db" >/dev/null 2>&1
check "listing a missing store" 1 $?
check "missing store not made" no "$([ -e "$T/none.db" ] && echo yes || echo no)"

# two good files
"$PW" ingest --db "$DB" "$S/ig-ex5-3-progressive.edi" \
    "$S/gtas-crew-Test1.edi" >"$T/out" 2>"$T/err"
check "good files exit" 0 $?
check "good files lines" 2 "$(wc -l <"$T/out")"
has "progressive accepted" \
    "ig-ex5-3-progressive.edi: accepted (2 travellers, movement 1, 0 hits)" \
    "$T/out"
has "crew accepted" \
    "gtas-crew-Test1.edi: accepted (8 travellers, movement 2, 0 hits)" "$T/out"
check "nothing on stderr" "" "$(cat "$T/err")"

# the same again: repeats, nothing new
"$PW" ingest --db "$DB" "$S/ig-ex5-3-progressive.edi" >"$T/out"
check "repeat exit" 0 $?
check "repeat line" "$S/ig-ex5-3-progressive.edi: repeated" "$(cat "$T/out")"
check "still 10 travellers" 10 \
    "$("$PW" travellers --db "$DB" --json | json_count)"

# a bad file among good ones: exit 1, the good one is stored anyway
printf 'UNB+UNOA:4+X+Y+130620:0900+1\001\002garbage' >"$T/bad.edi"
"$PW" ingest --db "$DB" "$T/bad.edi" "$S/ig-ex5-1-single-sector.edi" \
    >"$T/out"
check "bad among good exit" 1 $?
has "bad rejected with place" "bad.edi: rejected: .* at segment [0-9]* offset [0-9]*" "$T/out"
has "good after bad" \
    "ig-ex5-1-single-sector.edi: accepted (1 traveller, movement 3, 0 hits)" \
    "$T/out"
"$PW" ingest --db "$DB" "$T/missing.edi" >/dev/null 2>"$T/err"
check "missing file exit" 1 $?
has "missing file named" "missing.edi" "$T/err"

# standard input, the store named by PAXWATCH_DB, JSON lines
PAXWATCH_DB="$DB" "$PW" ingest --json - <"$S/ig-ex5-2-crew.edi" >"$T/out"
check "stdin exit" 0 $?
check "stdin json parses" 1 "$(json_count <"$T/out")"
check "stdin json fields" "- accepted 1 3" "$(python3 -c '
import json,sys
d = json.loads(open(sys.argv[1]).readline())
print(d["file"], d["status"], d["travellers"], d["messages"][0]["movement"])
' "$T/out")"

# CONTRL acknowledgements, accepted and rejected
mkdir "$T/contrl"
printf 'UNB+UNOA:4+X+Y+130620:0900+2\001\002garbage' >"$T/bad2.edi"
"$PW" ingest --db "$DB" --contrl "$T/contrl" "$T/bad2.edi" \
    "$S/gtas-apisMessage.edi" >/dev/null
check "contrl run exit" 1 $?
has "contrl for good" "CONTRL" "$T/contrl/gtas-apisMessage.edi.contrl"
has "contrl addressed to sender" "AIR1" "$T/contrl/gtas-apisMessage.edi.contrl"
has "contrl for bad" "CONTRL" "$T/contrl/bad2.edi.contrl"
# the garbled reference is echoed without its control bytes
has "contrl echo without control bytes" "UCI+2garbage+" "$T/contrl/bad2.edi.contrl"
# written in the same minute, each report has its own control reference
ref_of() { sed -n "s/^UNB+[^+]*+[^+]*+[^+]*+[^+]*+\([^+']*\).*/\1/p" "$1" | head -1; }
r1=$(ref_of "$T/contrl/bad2.edi.contrl")
r2=$(ref_of "$T/contrl/gtas-apisMessage.edi.contrl")
[ -n "$r1" ] && [ -n "$r2" ] && [ "$r1" != "$r2" ]
check "contrl references differ ($r1, $r2)" 0 $?
# a resend of a rejected file is read again: rejected again (exit 1)
# with its CONTRL, its bytes kept once, no more quarantined than before
n_msgs=$(sqlite3 "$DB" "SELECT COUNT(*) FROM messages")
"$PW" ingest --db "$DB" --contrl "$T/contrl" "$T/bad.edi" >"$T/out"
check "resend of rejected exit" 1 $?
has "resend of rejected" "bad.edi: rejected: .* at segment" "$T/out"
has "resend of rejected gets a CONTRL" "UCI+1garbage+X+Y+4" \
    "$T/contrl/bad.edi.contrl"
check "resend stores no new input" "$n_msgs" \
    "$(sqlite3 "$DB" "SELECT COUNT(*) FROM messages")"
check "still quarantined" "rejected" \
    "$(sqlite3 "$DB" "SELECT status FROM messages WHERE name LIKE '%bad.edi'")"

# movements and travellers
"$PW" movements --db "$DB" --json >"$T/mv"
check "movements exit" 0 $?
check "movements count" 4 "$(json_count <"$T/mv")"
check "progressive flight" "XZ 2 BCN SFO 2" "$(python3 -c '
import json,sys
for l in open(sys.argv[1]):
    m = json.loads(l)
    if m["id"] == 1:
        print(m["carrier"], len(m["legs"]), m["from"], m["to"], m["passengers"])
' "$T/mv")"
"$PW" movements --db "$DB" >"$T/out"
has "movements table" "leg 2: IAD 2014-07-08T19:30 -> SFO" "$T/out"
check "travellers of movement 2" 8 \
    "$("$PW" travellers --db "$DB" --movement 2 --json | json_count)"
"$PW" travellers --db "$DB" --movement 1 >"$T/out"
has "travellers table" "MARTINEZ .*SORINA MARIA" "$T/out"

# a new version of the list supersedes the old one; --all shows both
sed 's/140708:0601/140708:0701/; s/YY3478621/YY0000001/' \
    "$S/ig-ex5-3-progressive.edi" >"$T/v2.edi"
"$PW" ingest --db "$DB" --json "$T/v2.edi" >"$T/out"
check "v2 version" "accepted 2" "$(python3 -c '
import json,sys
d = json.loads(open(sys.argv[1]).readline())
print(d["status"], d["messages"][0]["version"])' "$T/out")"
check "current after v2" 2 \
    "$("$PW" travellers --db "$DB" --movement 1 --json | json_count)"
check "all after v2" 4 \
    "$("$PW" travellers --db "$DB" --movement 1 --all --json | json_count)"
"$PW" travellers --db "$DB" --movement 1 --all >"$T/out"
has "superseded shown" "YY3478621 *superseded" "$T/out"

# a multi-part message whose parts come in separate runs
P1="UNA:+.? 'UNB+UNOA:4+MPAIR+CUSTOMS+240501:0900+MP1'UNH+M1+PAXLST:D:05B:UN:IATA+REF9+01:C'BGM+745'TDT+20+MP100+++MP'LOC+125+LHR'DTM+189:2405011000:201'LOC+87+JFK'DTM+232:2405011300:201'NAD+FL+++ALPHA:ANNA'DTM+329:800101'UNT+9+M1'UNZ+1+MP1'"
P2="UNA:+.? 'UNB+UNOA:4+MPAIR+CUSTOMS+240501:0901+MP2'UNH+M2+PAXLST:D:05B:UN:IATA+REF9+02:F'BGM+745'TDT+20+MP100+++MP'LOC+125+LHR'DTM+189:2405011000:201'LOC+87+JFK'DTM+232:2405011300:201'NAD+FL+++BRAVO:BEN'DTM+329:810202'CNT+42:2'UNT+10+M2'UNZ+1+MP2'"
printf '%s' "$P1" >"$T/part1.edi"
printf '%s' "$P2" >"$T/part2.edi"
"$PW" ingest --db "$DB" "$T/part1.edi" >"$T/out"
check "part 1 exit" 0 $?
check "part 1 waits" "$T/part1.edi: waiting for parts (have 1)" "$(cat "$T/out")"
"$PW" ingest --db "$DB" "$T/part2.edi" >"$T/out"
has "part 2 completes" "part2.edi: accepted (2 travellers, movement 5, 0 hits)" "$T/out"

# parts in a non-UTF-8 character set (ISO 8859-5), in separate runs and
# out of order, keep their names intact once joined
D2="$T/cyr.db"
"$PW" ingest --db "$D2" "$PW_SOURCE_DIR/data/samples/sea/ferry-a-part2.edi" \
    >"$T/out"
has "cyrillic part 2 waits" "waiting for parts (have 1)" "$T/out"
"$PW" ingest --db "$D2" "$PW_SOURCE_DIR/data/samples/sea/ferry-b-part1.edi" \
    >"$T/out"
has "cyrillic set completes" "accepted (2 travellers" "$T/out"
"$PW" travellers --db "$D2" --json >"$T/out"
has "cyrillic name from part 1" '"surname":"ПЕТРЕНКО"' "$T/out"
has "cyrillic name from part 2" '"surname":"СМИРНОВ"' "$T/out"

# a batch file of two interchanges (a line break between, the second
# with its own UNA) is stored as two inputs, FILE and FILE#2, and the
# store holds the same as from the two files alone
D3="$T/batch.db"
C="$PW_SOURCE_DIR/tests/cases/own/paxlst"
"$PW" ingest --db "$D3" "$C/batch-two-interchanges.edi" >"$T/out"
check "batch exit" 0 $?
has "first interchange" "batch-two-interchanges.edi: accepted (4 travellers" \
    "$T/out"
has "second interchange" \
    "batch-two-interchanges.edi#2: accepted (3 travellers" "$T/out"
"$PW" ingest --db "$D3" "$C/ship-crew-unow.edi" \
    "$C/ship-passengers-unoc.edi" >"$T/out"
check "the lone files repeat the batch" 2 "$(grep -c ': repeated' "$T/out")"
"$PW" ingest --db "$D3" --json "$C/batch-two-interchanges.edi" >"$T/out"
has "json names the interchange" '"file":"[^"]*batch-two-interchanges.edi#2","status":"repeated"' \
    "$T/out"

# more inputs than one batch holds (512 inputs or 64 MiB): every one is
# stored and reported once, in the order given, and a second run finds
# each a repeat
D5="$T/many.db"
for i in $(seq 1 700); do
    printf '%s' "UNA:+.? 'UNB+UNOA:4+ZZAIRLINE+CUSTOMS+130620:0900+$i'" \
        "UNH+1+PAXLST:D:05B:UN:IATA'BGM+745'NAD+MS+++OPS'" \
        "TDT+20+ZZ$i+++ZZ'LOC+125+SYD'DTM+189:3006210900:201'LOC+87+HNL'" \
        "DTM+232:3006212200:201'NAD+FL+++SMITH:ANNA'DOC+P+ZZ$i'" \
        "LOC+91+GBR'CNT+42:1'UNT+12+1'UNZ+1+$i'"
    echo
done >"$T/many.edi"
"$PW" ingest --db "$D5" "$T/many.edi" >"$T/out" 2>"$T/err"
check "many inputs exit" 0 $?
check "many inputs accepted" 700 "$(grep -c ': accepted (1 traveller,' "$T/out")"
check "many inputs in order" "$(seq 2 700 | sed 's/^/#/')" \
    "$(grep -o '#[0-9]*' "$T/out")"
check "many inputs one movement each" 700 \
    "$("$PW" movements --db "$D5" | grep -c ZZ)"
"$PW" ingest --db "$D5" "$T/many.edi" >"$T/out" 2>"$T/err"
check "many inputs repeated" 700 "$(grep -c ': repeated' "$T/out")"

# a traveller whose name the matcher refuses (over 1,024 bytes) is
# screened by document only and reported as screened in part
D4="$T/part.db"
"$PW" lists load --db "$D4" --format csv --name sltd \
    "$PW_SOURCE_DIR/data/lists/lost_stolen_demo.csv" >/dev/null 2>&1
LONG=$(head -c 1100 /dev/zero | tr '\0' 'A')
printf '%s' "UNA:+.? 'UNB+UNOA:4+ZZAIRLINE+CUSTOMS+130620:0900+78'" \
    "UNH+PAX001+PAXLST:D:05B:UN:IATA'BGM+745'RFF+TN:TX2'NAD+MS+++OPS'" \
    "TDT+20+ZZ124+++ZZ'LOC+125+SYD'DTM+189:3006210900:201'LOC+87+HNL'" \
    "DTM+232:3006212200:201'NAD+FL+++${LONG}:JOHN'DOC+P+ZZ9999999'" \
    "LOC+91+GBR'NAD+FL+++SMITH:ANNA'CNT+42:2'UNT+15+PAX001'UNZ+1+78'" \
    >"$T/long.edi"
"$PW" ingest --db "$D4" "$T/long.edi" >"$T/out"
has "screened in part" "accepted (2 travellers, movement 1, 0 hits, 1 screened in part)" \
    "$T/out"
sed 's/TX2/TX3/; s/+78/+79/g' "$T/long.edi" >"$T/long2.edi"
"$PW" ingest --db "$D4" --json "$T/long2.edi" >"$T/out"
has "screened in part json" '"screened_in_part":1' "$T/out"

# a directory stands for its files, by name: not hidden files, not
# subdirectories; parse reads it the same way
IN="$T/inbox"
mkdir -p "$IN/old"
cp "$S/ig-ex5-3-progressive.edi" "$IN/b.edi"
cp "$S/gtas-crew-Test1.edi" "$IN/a.edi"
cp "$S/ig-ex5-1-single-sector.edi" "$IN/.partial.edi"
cp "$S/ig-ex5-1-single-sector.edi" "$IN/old/c.edi"
D6="$T/inbox.db"
"$PW" ingest --db "$D6" "$IN" >"$T/out" 2>"$T/err"
check "directory exit" 0 $?
check "directory files in name order" "$IN/a.edi $IN/b.edi" \
    "$(cut -d: -f1 "$T/out" | tr '\n' ' ' | sed 's/ $//')"
check "directory nothing on stderr" "" "$(cat "$T/err")"
"$PW" parse "$IN/" >"$T/out"
check "parse directory exit" 0 $?
check "parse directory files" "$IN/a.edi $IN/b.edi" \
    "$(python3 -c 'import json,sys; print(" ".join(json.loads(l)["file"] for l in sys.stdin))' <"$T/out")"
"$PW" ingest --db "$D6" "$T/no-such-dir/" >"$T/out" 2>"$T/err"
check "missing path exit" 1 $?
has "missing path named" "no-such-dir/: .*No such file" "$T/err"
"$PW" lists load --db "$D6" --format csv --name x "$IN" >/dev/null 2>"$T/err"
check "list from a directory exit" 1 $?
has "list from a directory said" "Is a directory" "$T/err"

if [ "$fails" -ne 0 ]; then
    echo "$fails check(s) failed"
    exit 1
fi
echo "all ingest checks passed"

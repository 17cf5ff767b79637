#!/bin/bash
# A traveller whose screening could not promise every hit (a name of
# initials only) is marked "screened in part" in the store, whether
# screened at ingest or again when a list is loaded; the others are not.
set -u
: "${PW:?}" "${PW_SOURCE_DIR:?}"
T=$(mktemp -d /tmp/pw-cli-inpart.XXXXXX)
trap 'rm -rf "$T"' EXIT
FLIGHT="$PW_SOURCE_DIR/data/samples/pw-demo-d05b-dxb-lhr.edi"
fails=0

fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# The demo flight, today, with one traveller named by initials only.
d=$(date -u +%y%m%d)
sed -e "s/2612040130/${d}0130/; s/2612040545/${d}0545/" \
    -e "s/NAD+FL+++LINDQVIST:ERIK JOHAN'/NAD+FL+++L:E J'/" \
    "$FLIGHT" > "$T/f.edi"
grep -q "NAD+FL+++L:E J'" "$T/f.edi" || fail "flight not edited"
H='id,name,aliases,birth_date,nationality,sex,document_number,document_issuer,category'
printf '%s\n' "$H" 'W-1,Chioma Okafor,,1990-03-11,NG,F,,,wanted' > "$T/w.csv"

# marks DB: "SURNAME:true|false" per current traveller, sorted
marks() {
    "$PW" travellers --db "$1" --json |
        sed -n 's/.*"screened_in_part":\([a-z]*\).*"surname":"\([^"]*\)".*/\2:\1/p' |
        sort | tr '\n' ' '
}
WANT='AL FAUWAZ:false L:true OKAFOR:false '

# Screened at ingest, the list loaded first.
"$PW" lists load --db "$T/a.db" --format csv --name wanted \
    --rescreen-days 0 "$T/w.csv" > /dev/null || fail "load a"
"$PW" ingest --db "$T/a.db" "$T/f.edi" > "$T/out" 2>&1 || fail "ingest a"
grep -q '1 screened in part' "$T/out" || fail "report: $(cat "$T/out")"
[ "$(marks "$T/a.db")" = "$WANT" ] || fail "at ingest: $(marks "$T/a.db")"
"$PW" travellers --db "$T/a.db" | grep '^.* L  ' |
    grep -q 'current, screened in part$' ||
    fail "table: $("$PW" travellers --db "$T/a.db")"
[ "$("$PW" travellers --db "$T/a.db" | grep -c 'screened in part')" = 1 ] ||
    fail "table marks others"

# Stored before any list: not screened, so not marked; then screened
# again when the list is loaded.
"$PW" ingest --db "$T/b.db" "$T/f.edi" > /dev/null 2>&1 || fail "ingest b"
[ "$(marks "$T/b.db")" = 'AL FAUWAZ:false L:false OKAFOR:false ' ] ||
    fail "unscreened: $(marks "$T/b.db")"
"$PW" lists load --db "$T/b.db" --format csv --name wanted "$T/w.csv" \
    > /dev/null || fail "load b"
[ "$(marks "$T/b.db")" = "$WANT" ] || fail "rescreened: $(marks "$T/b.db")"

[ "$fails" = 0 ] && echo "screened_in_part: all passed"
exit $((fails > 0))

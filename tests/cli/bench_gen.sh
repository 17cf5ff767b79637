#!/bin/bash
# The traffic generator (bench_gen) is repeatable and what it writes is
# PAXLST that `paxwatch parse` reads in full: every traveller, no errors.
set -u

GEN="${PW_BENCH_GEN:-$(dirname "$PW")/bench/bench_gen}"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

[ -x "$GEN" ] || fail "bench_gen not built at $GEN"

opts=(--travellers 400 --per-message 40 --maritime-share 0.4)

# Same seed and sizes: the same bytes; another seed: other bytes.
"$GEN" "${opts[@]}" --seed 11 --out "$TMP/a.edi" 2>/dev/null ||
    fail "bench_gen failed"
"$GEN" "${opts[@]}" --seed 11 --out "$TMP/b.edi" 2>/dev/null
cmp -s "$TMP/a.edi" "$TMP/b.edi" || fail "same seed, different output"
"$GEN" "${opts[@]}" --seed 12 --out "$TMP/c.edi" 2>/dev/null
cmp -s "$TMP/a.edi" "$TMP/c.edi" && fail "other seed, same output"

# One interchange per file in a directory: together the same bytes.
"$GEN" "${opts[@]}" --seed 11 --out "$TMP/dir/" 2>/dev/null ||
    fail "bench_gen --out DIR/ failed"
n_files=$(ls "$TMP/dir" | wc -l)
[ "$n_files" -ge 10 ] || fail "expected many files, got $n_files"
cat "$TMP"/dir/*.edi | cmp -s - "$TMP/a.edi" ||
    fail "directory output differs from the single file"

# Usage errors exit 2.
"$GEN" --per-message 0 >/dev/null 2>&1
[ $? -eq 2 ] || fail "bad --per-message should exit 2"

# Clean traffic parses with no errors and no warnings, yields every
# traveller, and has sea movements with valid IMO check digits.
"$PW" parse "$TMP"/dir/*.edi >"$TMP/clean.json" ||
    fail "paxwatch parse rejected clean generated traffic"
python3 - "$TMP/clean.json" 400 clean <<'EOF' || fail "clean traffic"
import json, sys

path, want, kind = sys.argv[1], int(sys.argv[2]), sys.argv[3]
travellers = sea = cyrillic = 0
for line in open(path, encoding="utf-8"):
    m = json.loads(line)
    assert m["type"] == "PAXLST", m["type"]
    assert not m["errors"], m["errors"]
    if kind == "clean":
        assert not m["warnings"], m["warnings"]
    mv = m["movement"]
    if mv["mode"] == "sea":
        sea += 1
        imo = mv["vessel"]["imo"]
        digits = [int(c) for c in imo]
        assert len(digits) == 7, imo
        check = sum(d * w for d, w in zip(digits, range(7, 1, -1))) % 10
        assert check == digits[6], imo
        assert mv["vessel"]["name"], mv
    else:
        assert mv["mode"] == "air", mv["mode"]
        assert mv["legs"] and mv["legs"][0]["departure"], mv
    for t in m["travellers"]:
        travellers += 1
        assert t["surname"], t
        assert t["birth_date"] and len(t["birth_date"]) == 10, t
        assert t["documents"] and t["documents"][0]["number"], t
        assert t["role"] in ("passenger", "crew", "transit_passenger",
                             "transit_crew"), t["role"]
        if any("\u0400" <= c <= "\u04ff" for c in t["surname"]):
            cyrillic += 1
assert travellers == want, (travellers, want)
assert sea > 0, "no sea movement"
if kind == "clean":
    assert cyrillic > 0, "no Cyrillic names from UNOW interchanges"
EOF

# Dirty traffic (CR LF, wrong counts, lower case) is still read in full.
"$GEN" "${opts[@]}" --seed 5 --dirty --out "$TMP/dirty/" 2>/dev/null ||
    fail "bench_gen --dirty failed"
"$PW" parse "$TMP"/dirty/*.edi >"$TMP/dirty.json"
[ $? -le 1 ] || fail "paxwatch parse failed on dirty traffic"
python3 - "$TMP/dirty.json" 400 dirty <<'EOF' || fail "dirty traffic"
import json, sys

path, want = sys.argv[1], int(sys.argv[2])
n = sum(len(json.loads(l)["travellers"]) for l in open(path))
assert n == want, (n, want)
EOF
# PNRGOV flight pushes: repeatable, one file per interchange the same
# bytes, and read in full: every PNR and traveller the generator says it
# wrote, no errors, documents from SSR DOCS, sensitive SSRs dropped.
"$GEN" --pnrgov --mb 1 --seed 3 --out "$TMP/p1.edi" 2>"$TMP/p1.err" ||
    fail "bench_gen --pnrgov failed"
"$GEN" --pnrgov --mb 1 --seed 3 --out "$TMP/pdir/" 2>/dev/null
cat "$TMP"/pdir/pnrgov-*.edi | cmp -s - "$TMP/p1.edi" ||
    fail "PNRGOV directory output differs from the single file"
"$GEN" --pnrgov --mb 1 --seed 4 --out "$TMP/p2.edi" 2>/dev/null
cmp -s "$TMP/p1.edi" "$TMP/p2.edi" && fail "PNRGOV: other seed, same output"
"$PW" parse "$TMP"/pdir/*.edi >"$TMP/pnr.json" ||
    fail "paxwatch parse rejected generated PNRGOV"
python3 - "$TMP/pnr.json" "$TMP/p1.err" <<'EOF' || fail "PNRGOV traffic"
import json, re, sys

said = re.search(r"(\d+) PNRs, (\d+) travellers, (\d+) sensitive",
                 open(sys.argv[2]).read())
assert said, "no count line from bench_gen"
pnrs, travellers, sensitive = (int(x) for x in said.groups())
n_pnr = n_trav = dropped = 0
for line in open(sys.argv[1], encoding="utf-8"):
    m = json.loads(line)
    assert m["type"] == "PNRGOV", m["type"]
    assert not m["errors"], m["errors"]
    dropped += m["sensitive_dropped"]
    for b in m["bookings"]:
        n_pnr += 1
        assert b["locator"] and b["itinerary"], b
        for t in b["travellers"]:
            n_trav += 1
            assert t["surname"] and t["documents"], t
assert (n_pnr, n_trav) == (pnrs, travellers), (n_pnr, n_trav, pnrs,
                                               travellers)
assert dropped >= sensitive > 0, (dropped, sensitive)
EOF

echo "ok"

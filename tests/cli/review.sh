#!/bin/bash
# 'paxwatch review', 'hit' and 'hits --status': every review step with
# who, when and why, the refusals with their reason, and unreviewed
# hits marked as such.
set -u
: "${PW:?PW must name the paxwatch binary}"
: "${PW_SHARED_DIR:?}"
S="$PW_SHARED_DIR/samples"
T=$(mktemp -d /tmp/pw-cli-review.XXXXXX)
trap 'rm -rf "$T"' EXIT
DB="$T/pw.db"
export PAXWATCH_USER=reviewer3
fails=0
. "$PW_SOURCE_DIR/tests/cli/lib.sh"

cat >"$T/r.rules" <<'R'
rule "Stop in Chicago"
  category "travel pattern"
  severity high
when
  movement.legs.to = "ORD"
R
"$PW" rules --db "$DB" add "$T/r.rules" >/dev/null
"$PW" ingest --db "$DB" "$S/paxlst/gtas-apisMessage.edi" >/dev/null

# usage
"$PW" review --help >"$T/out"; check "help exit" 0 $?
"$PW" review --db "$DB" 1 >/dev/null 2>&1; check "no status" 2 $?
"$PW" review --db "$DB" x --status confirmed >/dev/null 2>&1
check "bad id" 2 $?
"$PW" review --db "$DB" 1 --status closed >/dev/null 2>&1
check "bad status" 2 $?
"$PW" review --db "$DB" 99 --status in_review >/dev/null 2>"$T/err"
check "no such hit" 1 $?
has "no such hit text" "no hit 99" "$T/err"
"$PW" hit --db "$DB" 99 >/dev/null 2>&1; check "hit 99" 1 $?

# unreviewed hits are marked
"$PW" hits --db "$DB" >"$T/out"
check "unreviewed" 2 "$(grep -c 'new UNREVIEWED' "$T/out")"
"$PW" hit --db "$DB" 1 >"$T/out"
has "hit not reviewed" "status new  (NOT REVIEWED)" "$T/out"
has "hit why" "movement.legs.to = ORD" "$T/out"
has "hit traveller" "traveller 1: CLARK, MICHAEL  born 1972-09-07" "$T/out"
has "hit movement" "movement 1: AA123" "$T/out"

# refusals
"$PW" review --db "$DB" 1 --status reopened >/dev/null 2>"$T/err"
check "new->reopened" 1 $?
has "refusal text" "hit 1 is new and cannot become reopened" "$T/err"
"$PW" review --db "$DB" 1 --status dismissed >/dev/null 2>"$T/err"
check "dismiss without reason" 1 $?
has "reason needed" "needs a reason" "$T/err"

# every step
"$PW" review --db "$DB" 1 --status in_review >"$T/out"
has "to in_review" "hit 1: new -> in_review (by reviewer3)" "$T/out"
"$PW" review --db "$DB" 1 --status new --reason "later" >/dev/null
check "back to new" 0 $?
"$PW" review --db "$DB" 1 --status in-review >/dev/null
"$PW" review --db "$DB" 1 --status dismissed \
    --reason "namesake; documents differ" >"$T/out"
has "dismissed" "in_review -> dismissed" "$T/out"
"$PW" review --db "$DB" 1 --status confirmed >/dev/null 2>&1
check "dismissed->confirmed" 1 $?
"$PW" review --db "$DB" 1 --status reopened --reason "new facts" >/dev/null
"$PW" review --db "$DB" 1 --status confirmed >/dev/null
check "reopened->confirmed" 0 $?
"$PW" review --db "$DB" 2 --status confirmed >/dev/null
check "new->confirmed" 0 $?

"$PW" hit --db "$DB" 1 --json >"$T/out"
check "steps" 6 "$(grep -c '"who": "reviewer3"' "$T/out")"
has "reason kept" '"reason": "namesake; documents differ"' "$T/out"
has "json traveller" '"surname": "CLARK"' "$T/out"

"$PW" hits --db "$DB" --status confirmed >"$T/out"
check "confirmed" 2 "$(grep -c ' confirmed$' "$T/out")"
"$PW" hits --db "$DB" --status new >"$T/out"
has "none new" "(no hits)" "$T/out"
"$PW" hits --db "$DB" --status confirmed --movement 1 --json >"$T/out"
check "json confirmed" 2 "$(grep -c '"reviewed":true' "$T/out")"

[ "$fails" -eq 0 ] && echo "review: all passed"
exit "$fails"

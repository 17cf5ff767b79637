#!/bin/bash
# The analyst's pages in a real browser: the real server on a free
# loopback port over a fresh store (a loaded list, a flight with a hit,
# an analyst, a rule author, an officer), driven by tests/web/e2e.mjs
# (playwright-core, Chromium).
set -u
: "${PW:?PW must name the paxwatch binary}"
: "${PW_SOURCE_DIR:?}"
WEB="$PW_SOURCE_DIR/tests/web"
if [ ! -x /usr/bin/chromium ] || [ ! -d "$WEB/node_modules/playwright-core" ]
then
    echo "FAIL: needs /usr/bin/chromium and npm ci --prefix tests/web" \
        "(scripts/setup.sh --test)"
    exit 1
fi
T=$(mktemp -d /tmp/pw-cli-web.XXXXXX)
DB="$T/pw.db"
SP=
cleanup() {
    [ -n "$SP" ] && kill "$SP" 2>/dev/null
    wait 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
export PAXWATCH_USER=setup

"$PW" lists load --db "$DB" --format un-xml --name un \
    "$PW_SOURCE_DIR/data/lists/UN_consolidated.xml" >/dev/null || exit 1
"$PW" ingest --db "$DB" "$PW_SOURCE_DIR/data/samples/pw-demo-d05b-dxb-lhr.edi" \
    >/dev/null || exit 1
echo "pw-analyst-1" | "$PW" users --db "$DB" add ann --role analyst \
    --password-stdin >/dev/null || exit 1
echo "pw-author-1" | "$PW" users --db "$DB" add rita --role rule_author \
    --password-stdin >/dev/null || exit 1
echo "pw-officer-1" | "$PW" users --db "$DB" add otto --role officer \
    --password-stdin >/dev/null || exit 1
echo "pw-lists-1" | "$PW" users --db "$DB" add lena --role list_manager \
    --password-stdin >/dev/null || exit 1
echo "pw-dpo-1" | "$PW" users --db "$DB" add dora --role dpo \
    --password-stdin >/dev/null || exit 1

PORT=$(python3 -c 'import socket; s = socket.socket()
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
U="http://127.0.0.1:$PORT"
PAXWATCH_WEB="$PW_SOURCE_DIR/web" "$PW" serve --db "$DB" \
    --listen "127.0.0.1:$PORT" 2>"$T/log" &
SP=$!
for _ in $(seq 100); do
    curl -s -o /dev/null "$U/health" && break
    sleep 0.1
done

fails=0
# static serving: the page, its type and policy; no way out of web/
H=$(curl -s -D - -o /dev/null "$U/")
echo "$H" | grep -qi '^content-type: text/html' ||
    { echo "FAIL / not text/html"; fails=$((fails + 1)); }
echo "$H" | grep -qi "^content-security-policy: default-src 'self'" ||
    { echo "FAIL no CSP"; fails=$((fails + 1)); }
for p in /app.js /style.css /favicon.svg; do
    c=$(curl -s -o /dev/null -w '%{http_code}' "$U$p")
    [ "$c" = 200 ] || { echo "FAIL $p: $c"; fails=$((fails + 1)); }
done
for p in /..%2fCMakeLists.txt /%2e%2e /.hidden.js /nope.html /CMakeLists.txt
do
    c=$(curl -s -o /dev/null -w '%{http_code}' --path-as-is "$U$p")
    [ "$c" = 404 ] || { echo "FAIL $p: $c, not 404"; fails=$((fails + 1)); }
done
c=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$U/app.js")
[ "$c" = 405 ] || { echo "FAIL POST /app.js: $c"; fails=$((fails + 1)); }

timeout 120 node "$WEB/e2e.mjs" "$U" ann pw-analyst-1 rita pw-author-1 \
    otto pw-officer-1 lena pw-lists-1 dora pw-dpo-1 ||
    { echo "FAIL e2e"; fails=$((fails + 1)); }
if grep -qi "FAUWAZ\|OKAFOR\|pw-analyst-1\|pw-author-1" "$T/log"; then
    echo "FAIL personal data in the server log"
    fails=$((fails + 1))
fi
[ "$fails" = 0 ] && echo "web: all passed"
exit $((fails > 0))

#!/bin/bash
# paxwatch serve sessions and transport: lock-out after 5 failed logins
# from one address (same answer for unknown names; another address is
# not locked out), session expiry, disabled users,
# HTTPS with --cert/--key, and a slow client not holding the server.
set -u
: "${PW:?PW must name the paxwatch binary}"
T=$(mktemp -d /tmp/pw-cli-serve.XXXXXX)
DB="$T/pw.db"
SP=
cleanup() {
    [ -n "$SP" ] && kill "$SP" 2>/dev/null
    wait 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
export PAXWATCH_USER=setup
fails=0
. "$PW_SOURCE_DIR/tests/cli/lib.sh"

req() { # req NAME EXPECTED-STATUS CURL-ARGS...: body in $T/body
    local name=$1 want=$2; shift 2
    check "$name" "$want" \
        "$(curl -s -o "$T/body" -w '%{http_code}' --max-time 20 "$@")"
}

free_port() {
    python3 -c 'import socket; s = socket.socket()
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() { # start URL ARGS...: server on $PORT
    "$PW" serve --db "$DB" --listen "127.0.0.1:$PORT" "${@:2}" 2>>"$T/log" &
    SP=$!
    for _ in $(seq 50); do
        curl -sk "$1/health" >/dev/null && return; sleep 0.2
    done
    echo "FAIL server did not start"; cat "$T/log"; exit 1
}

stop() {
    kill -TERM "$SP"; wait "$SP"; check "clean stop" 0 $?; SP=
}

echo "pw-ann" | "$PW" users --db "$DB" add ann --role analyst \
    --password-stdin >/dev/null
echo "pw-cid" | "$PW" users --db "$DB" add cid --role analyst \
    --password-stdin >/dev/null
PORT=$(free_port)
U="http://127.0.0.1:$PORT"
# A session lives 4 s: its clock is whole seconds taken before the
# password is checked (slow under the sanitizers), so a shorter one can
# run out between a login and the next request on a loaded machine.
start "$U" --session-ttl 4

login() { # login NAME PASSWORD
    req "$3" "$4" -c "$T/jar" -d "{\"name\":\"$1\",\"password\":\"$2\"}" \
        "$U/api/login"
}

# lock-out: 4 failures answer 401, the 5th locks, then even the right
# password is refused; an unknown name gets the same answers
for i in 1 2 3 4; do login ann wrong "ann fail $i" 401; done
has "says lock-out rule" "lock the name for 15 minutes" "$T/body"
login ann wrong "ann fail 5" 429
has "says locked" "locked for 15 minutes" "$T/body"
login ann pw-ann "ann locked" 429
# from another address (loopback's 127.0.0.2) ann is not locked out
req "ann elsewhere" 200 --interface 127.0.0.2 -c "$T/jar2" \
    -d '{"name":"ann","password":"pw-ann"}' "$U/api/login"
for i in 1 2 3 4; do login ghost wrong "ghost fail $i" 401; done
login ghost wrong "ghost fail 5" 429
login cid pw-cid "cid unaffected" 200
has "token in body" '"token":"' "$T/body"
has "cookie" "HttpOnly" "$T/jar"
grep -q "pw_session" "$T/jar"; check "cookie kept" 0 $?

# the session works, then expires
req "session" 200 -b "$T/jar" "$U/api/movements"
sleep 5
req "expired" 401 -b "$T/jar" "$U/api/movements"

# a token in the body works as a Bearer too
login cid pw-cid "cid again" 200
TOKEN=$(python3 -c "import json; print(json.load(open('$T/body'))['token'])")
req "bearer token" 200 -H "Authorization: Bearer $TOKEN" "$U/api/movements"

# a disabled user's session ends
"$PW" users --db "$DB" disable cid >/dev/null
req "disabled" 401 -H "Authorization: Bearer $TOKEN" "$U/api/movements"
login cid pw-cid "disabled login" 401

# the audit log has the logins, failed ones too
"$PW" audit --db "$DB" --json >"$T/audit"
has "audit failed login" '"user":"ghost","action":"login"' "$T/audit"
has "audit locked" '"outcome":"locked"' "$T/audit"

# a slow client sending half a request does not block others
python3 - "$PORT" <<'PY' &
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")
time.sleep(4)
PY
SLOW=$!
sleep 0.5
req "others served" 200 --max-time 2 "$U/health"
wait "$SLOW"

# headers over the per-connection memory are refused, the server goes on
H=$(head -c 100000 /dev/zero | tr '\0' a)
req "huge header" 431 -H "X-Big: $H" "$U/health"
req "after huge header" 200 "$U/health"
stop
has "mhd message logged" "event=http message=" "$T/log"

# HTTPS
if command -v openssl >/dev/null; then
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/key.pem" \
        -out "$T/cert.pem" -days 1 -subj /CN=localhost 2>/dev/null
    PORT=$(free_port)
    start "https://127.0.0.1:$PORT" --cert "$T/cert.pem" --key "$T/key.pem"
    req "https health" 200 --cacert "$T/cert.pem" \
        "https://localhost:$PORT/health"
    req "plain refused" 000 "http://127.0.0.1:$PORT/health"
    echo "pw-dee" | "$PW" users --db "$DB" add dee --role admin \
        --password-stdin >/dev/null
    curl -s -D "$T/headers" -o /dev/null --cacert "$T/cert.pem" \
        -d '{"name":"dee","password":"pw-dee"}' \
        "https://localhost:$PORT/api/login"
    has "secure cookie" "SameSite=Strict; Secure" "$T/headers"
    stop
    has "tls on" "tls=yes" "$T/log"
fi
# IPv6: an address in brackets
PORT=$(free_port)
"$PW" serve --db "$DB" --listen "[::1]:$PORT" 2>>"$T/log" &
SP=$!
for _ in $(seq 50); do
    curl -sg "http://[::1]:$PORT/health" >/dev/null && break; sleep 0.2
done
req "ipv6 health" 200 -g "http://[::1]:$PORT/health"
req "ipv6 needs login" 401 -g "http://[::1]:$PORT/api/movements"
stop
has "ipv6 client" "route=/api/movements status=401 .*client=::1" "$T/log"
for bad in nonsense "::1:$PORT" "[::1:$PORT" "[127.0.0.1]:$PORT" \
    "127.0.0.1:70000"; do
    "$PW" serve --db "$DB" --listen "$bad" 2>/dev/null
    check "bad listen $bad" 2 $?
done
"$PW" serve --db "$DB" --cert x 2>/dev/null
check "cert without key" 2 $?
[ "$fails" -eq 0 ] && echo "serve_session: all passed"
exit $((fails > 0))

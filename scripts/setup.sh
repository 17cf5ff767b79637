#!/bin/sh
# Installs the Debian 12 packages paxwatch needs to build (and, with
# --test, to run its tests and fuzz targets). Installs only what is
# missing; run as root or with sudo available.
set -eu

# tzdata: current time-zone rules (a minimal system may lack it; ICU's
# own copy is older)
pkgs="build-essential cmake ninja-build pkg-config libsqlite3-dev
libicu-dev libjansson-dev libsodium-dev nettle-dev libxml2-dev libcmocka-dev
libmicrohttpd-dev tzdata"
if [ "${1:-}" = "--test" ]; then
    pkgs="$pkgs clang libclang-rt-14-dev python3 sqlite3 cppcheck curl
chromium nodejs npm"
fi

missing=""
for p in $pkgs; do
    # a Node from elsewhere (nodesource, nvm) brings its own npm
    case $p in nodejs | npm) command -v "${p%js}" >/dev/null && continue ;;
    esac
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
        grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "setup: installing$missing" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing \
        >/dev/null
fi

# The browser test's driver (playwright-core, pinned by the lock file);
# it uses Debian's Chromium, so no browser is downloaded.
web="$(dirname "$0")/../tests/web"
if [ "${1:-}" = "--test" ] && [ ! -d "$web/node_modules" ]; then
    echo "setup: npm ci in tests/web" >&2
    npm ci --prefix "$web" --no-audit --no-fund >/dev/null
fi

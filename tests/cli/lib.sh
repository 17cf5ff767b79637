# Helpers the command-line tests share; a test sources this file
# (". "$PW_SOURCE_DIR/tests/cli/lib.sh") after setting fails=0, and
# ends with `exit $((fails > 0))`. Not a test itself: CTest runs only
# the other scripts here.

check() { # check NAME EXPECTED ACTUAL
    if [ "$2" != "$3" ]; then
        echo "FAIL $1: expected [$2] got [$3]"
        fails=$((fails + 1))
    fi
}

has() { # has NAME PATTERN FILE: PATTERN (grep) somewhere in FILE
    if ! grep -q -- "$2" "$3"; then
        echo "FAIL $1: no [$2] in:"; head -c 4000 "$3"; echo
        fails=$((fails + 1))
    fi
}

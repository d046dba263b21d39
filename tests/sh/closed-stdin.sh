# Standard input closed (`<&-`): cat says so twice as GNU cat does (reading it, then
# "closing standard input"), status 1; given only files, it never touches fd 0 and says
# nothing. Compared with GNU cat on the same arguments: stdout and stderr, and status.
. "$(dirname "$0")/lib.sh"
BIN=$TMP/bin; mkdir -p "$BIN"; ln -s "$RELEASE/cat" "$BIN/cat"
GNUPATH=/usr/bin:/bin
printf 'x\n' > "$TMP/f"
cmp_gnu() { # NAME ARGS...
    n=$1; shift
    want=$(cd "$TMP" && (PATH=$GNUPATH; exec cat "$@" <&-) 2>&1; echo "rc=$?")
    if native; then
        got=$(cd "$TMP" && (PATH=$BIN; exec cat "$@" <&-) 2>&1; echo "rc=$?")
    else
        got=$(cd "$TMP" && qemu-i386 -0 cat "$RELEASE/cat" "$@" <&- 2>&1; echo "rc=$?")
    fi
    if [ "$want" = "$got" ]; then ok "$n"; else fail "$n" "want [$want] got [$got]"; fi
}
cmp_gnu cat_closed_stdin_no_args
cmp_gnu cat_closed_stdin_dash -
cmp_gnu cat_closed_stdin_file_then_dash f -
cmp_gnu cat_closed_stdin_files_only f f

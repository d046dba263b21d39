# stdout buffering, seen from outside: count the write(2) calls a program makes with strace
# (natively) or qemu's -strace (under qemu-i386). `args` prints 6 lines with println!:
# into a pipe they leave in one write (fully buffered); on a terminal (a pty from
# script(1)) in one write per line (line-buffered: the runtime asked TCGETS).
. "$(dirname "$0")/lib.sh"

# writes LOG: the write(1, …) calls in a strace / qemu -strace log.
writes() { grep -c '^\(\[pid *[0-9]*\] \)\{0,1\}\([0-9]* \)\{0,1\}write(1,' "$1"; }

# tracer LOG: the command prefix that logs a program's syscalls to LOG.
tracer() {
    if native; then echo "strace -o $1 -e trace=write"; else echo "qemu-i386 -strace -D $1"; fi
}

if ! command -v script > /dev/null; then
    fail buffering_tty "script(1) is missing (util-linux)"
    exit 0
fi

# A pipe: one write for the whole output, flushed at exit.
env -i $(tracer "$TMP/pipe.log") "$DEBUG/args" a b c | cat > "$TMP/pipe.out"
n=$(writes "$TMP/pipe.log")
if [ "$n" = 1 ] && [ "$(wc -l < "$TMP/pipe.out")" = 6 ]; then
    ok stdout_pipe_fully_buffered
else
    fail stdout_pipe_fully_buffered "$n writes, $(wc -l < "$TMP/pipe.out") lines"
fi

# A terminal: one write per line; the same bytes (the pty turns \n into \r\n).
script -qec "env -i $(tracer "$TMP/tty.log") $DEBUG/args a b c" /dev/null > "$TMP/tty.out" < /dev/null
n=$(writes "$TMP/tty.log")
tr -d '\r' < "$TMP/tty.out" > "$TMP/tty.lf"
if [ "$n" = 6 ] && cmp -s "$TMP/pipe.out" "$TMP/tty.lf"; then
    ok stdout_tty_line_buffered
else
    fail stdout_tty_line_buffered "$n writes; output: $(head -c 200 "$TMP/tty.out" | od -c | head -3)"
fi

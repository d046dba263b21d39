# examples/sh against dash (/bin/sh) on the same scripts: same stdout, same exit status, and
# the same stderr once dash's line numbers ("sh: 3: x: not found") are removed.
. "$(dirname "$0")/lib.sh"
SH=$DEBUG/sh
D=$TMP/d; mkdir -p "$D"

script() { cat > "$TMP/$1.sh"; }

script words <<'S'
echo plain   words	tabbed # a comment
echo 'single $HOME "q"' "double $HOME 'q'" mixed'a'"b"c
echo "esc \$ \" \\ done" back\ slash
echo $? "$?" $NOSUCHVAR. ""
# a whole-line comment

echo last
S
script status <<'S'
false
echo $?
true
echo $?
sh -c 'exit 42'
echo $?
nosuch-program-xyz with args
echo $?
/etc/passwd
echo $?
./nonexistent
echo $?
/tmp
echo $?
S
script pipes <<'S'
printf 'b\na\nc\n' | sort | head -n 2
seq 1 100000 | head -n 1
echo $?
printf 'x\ny\n' | nosuch-xyz | wc -l
echo $?
yes | head -c 5 | od -c | head -n 1
ls /nonexistent 2>/dev/null | cat
echo $?
ls /nonexistent 2> DIR/err
cat DIR/err
ls /nonexistent 2>> DIR/err
wc -l < DIR/err
S
script redirect <<'S'
echo one > DIR/out
echo two >> DIR/out
cat < DIR/out
sort -r < DIR/out > DIR/sorted
cat DIR/sorted
> DIR/empty
wc -c < DIR/empty
echo x > /nonexistent/dir/file
echo $?
cat < /nonexistent
echo $?
S
script builtins <<'S'
cd /usr
pwd
cd bin
pwd
cd /nonexistent
echo $?
cd
pwd
exit 7
echo never
S
script signals <<'S'
sh -c 'kill -TERM $$'
echo $?
sh -c 'kill -SEGV $$'
echo $?
sh -c 'kill -USR1 $$'
echo $?
sh -c 'kill -KILL $$'
echo $?
sh -c 'kill -INT $$'
echo $?
S
# Real-time signals: glibc (so dash) counts them from its SIGRTMIN, 34; 32 and 33 are unknown.
# Natively only: qemu-i386 renumbers a child's real-time signals in the wait status it passes
# its guest (the host's 34 arrives as 32), so ours and dash would be told different numbers.
rt=""
if native; then
    rt=rtsignals
    script rtsignals <<'S'
sh -c 'kill -32 $$'
echo $?
sh -c 'kill -33 $$'
echo $?
sh -c 'kill -34 $$'
echo $?
sh -c 'kill -35 $$'
echo $?
sh -c 'kill -50 $$'
echo $?
sh -c 'kill -64 $$'
echo $?
S
fi
script exitbad <<'S'
exit foo
S
# NUL bytes in the input: dash drops them (so `> \0f` creates `f`), and so does ours.
printf 'echo x > DIR/\0f\necho $?\ncat DIR/f\necho a\0b "c\0d" '"'"'e\0f'"'"'\nech\0o joined\n' | script nul
# exit's argument as dash's number() reads it; anything else: Illegal number, status 2.
exits=""
i=0
for arg in -1 +3 "' 4 '" 99999999999 2147483647 2147483648 -0 256 "''" 010 1x; do
    i=$((i + 1))
    echo "exit $arg" | script "exit$i"
    exits="$exits exit$i"
done
script exitpipe <<'S'
exit -1 | cat
echo $?
exit 5 | cat
echo $?
S
# A syntax error ends a non-interactive shell with status 2: nothing after it runs. (The
# messages are worded differently: only stdout and the status are compared.)
for bad in 'echo a >' "echo 'open" '| cat'; do
    printf 'echo before\n%s\necho after\nexit 3\n' "$bad" > "$TMP/syntax.sh"
    out1=$($RUNNER "$SH" < "$TMP/syntax.sh" 2> "$TMP/syntax.err1"); rc1=$?
    out2=$(sh < "$TMP/syntax.sh" 2> "$TMP/syntax.err2"); rc2=$?
    if [ "$rc1:$out1" = "$rc2:$out2" ] && [ "$(wc -l < "$TMP/syntax.err1")" = 1 ] &&
        grep -q '^sh: syntax error: ' "$TMP/syntax.err1"; then
        ok "sh_vs_dash_syntax_error_ends_script_$(echo "$bad" | tr -c 'a-z\n' _)"
    else
        fail "sh_vs_dash_syntax_error_ends_script_$(echo "$bad" | tr -c 'a-z\n' _)" \
            "status $rc1 vs dash $rc2; stdout '$out1' vs '$out2'; $(cat "$TMP/syntax.err1")"
    fi
done

for s in words status pipes redirect builtins signals $rt exitbad nul $exits exitpipe; do
    sed "s|DIR|$D|g" "$TMP/$s.sh" > "$TMP/$s.run"
    (cd "$TMP" && HOME=/tmp $RUNNER "$SH" < "$TMP/$s.run" > "$TMP/$s.out1" 2> "$TMP/$s.err1"); rc1=$?
    rm -f "$D"/*
    (cd "$TMP" && HOME=/tmp sh < "$TMP/$s.run" > "$TMP/$s.out2" 2> "$TMP/$s.err2"); rc2=$?
    rm -f "$D"/*
    # Line numbers out; dash words some errno messages its own way ("Directory nonexistent").
    sed -E 's/^(\/bin\/)?sh: [0-9]+: /sh: /; s/^(sh: cannot (create|open) [^:]*):.*/\1/' "$TMP/$s.err2" > "$TMP/$s.err2n"
    sed -E -i 's/^(sh: cannot (create|open) [^:]*):.*/\1/' "$TMP/$s.err1"
    if [ $rc1 = $rc2 ] && cmp -s "$TMP/$s.out1" "$TMP/$s.out2" && cmp -s "$TMP/$s.err1" "$TMP/$s.err2n"; then
        ok "sh_vs_dash_$s"
    else
        diff "$TMP/$s.out1" "$TMP/$s.out2"; diff "$TMP/$s.err1" "$TMP/$s.err2n"
        fail "sh_vs_dash_$s" "status $rc1 vs dash $rc2"
    fi
done

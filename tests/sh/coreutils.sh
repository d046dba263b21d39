# The coreutils examples against GNU coreutils on the same inputs: stdout, stderr and exit
# status must be identical byte for byte (C locale), natively and under qemu-i386.
. "$(dirname "$0")/lib.sh"
export LC_ALL=C
unset POSIXLY_CORRECT
BIN=$TMP/bin
mkdir -p "$BIN"
for t in echo cat env true false wc ls; do ln -s "$RELEASE/$t" "$BIN/$t"; done
GNUPATH=/usr/bin:/bin

# ours/gnu TOOL ARGS...: run with argv[0] = TOOL (GNU tools name themselves by argv[0]).
ours() {
    n=$1; shift
    if native; then (PATH=$BIN:$GNUPATH; exec "$n" "$@"); else qemu-i386 -0 "$n" "$RELEASE/$n" "$@"; fi
}
gnu() { n=$1; shift; (PATH=$GNUPATH; exec "$n" "$@"); }

# same NAME STDIN TOOL ARGS...: stdout, stderr and status equal; also stdout+stderr merged
# (order of interleaving, which depends on when stdout is flushed).
same() {
    name=$1 in=$2; shift 2
    ours "$@" < "$in" > "$TMP/o.out" 2> "$TMP/o.err"; orc=$?
    gnu "$@" < "$in" > "$TMP/g.out" 2> "$TMP/g.err"; grc=$?
    ours "$@" < "$in" > "$TMP/o.all" 2>&1
    gnu "$@" < "$in" > "$TMP/g.all" 2>&1
    if cmp -s "$TMP/o.out" "$TMP/g.out" && cmp -s "$TMP/o.err" "$TMP/g.err" && [ "$orc" = "$grc" ] &&
        cmp -s "$TMP/o.all" "$TMP/g.all"; then
        ok "$name"
    else
        fail "$name" "ours: status $orc, GNU: status $grc"
        for f in out err all; do
            cmp -s "$TMP/o.$f" "$TMP/g.$f" || { echo "--- $f differs:"; od -c "$TMP/g.$f" | head -5; echo "+++"; od -c "$TMP/o.$f" | head -5; }
        done
    fi
}

# Inputs.
D=$TMP/d
mkdir -p "$D/sub" "$D/.hidden"
: > "$D/empty"
printf 'one two  three\nfour\tfive\n\nsix' > "$D/text"
printf 'a\001b \001 \377 c\r\nx\vy\fz\n' > "$D/ctrl"
head -c 300000 /dev/urandom > "$D/binary"
touch "$D/B" "$D/a" "$D/_x" "$D/$(printf '\377z')" "$D/with space" "$D/sub/inner"
NOSUCH=$TMP/nosuch
BADNAME=$(printf 'no\377such')
N=/dev/null

# true, false: status only, whatever the arguments.
same true_status $N true
same true_args $N true --nonsense x
same false_status $N false
same false_args $N false -x --help-not

# echo
same echo_plain $N echo hello world
same echo_none $N echo
same echo_empty_args $N echo '' ''
same echo_n $N echo -n no newline
same echo_e $N echo -e 'a\tb\\c\101\0101\x41\x4g\xZ\q\e\a\b\f\v\r\n'
same echo_e_octal_wrap $N echo -e '\0777\777\08\1\12\123456'
same echo_e_stop $N echo -e 'before\cafter' more
same echo_E $N echo -e -E 'a\tb'
same echo_combined $N echo -neE -en 'x\ty'
same echo_not_options $N echo - -- -nx -n
same echo_trailing_backslash $N echo -e 'x\'
same echo_non_utf8 $N echo "$(printf '\377\376')" "$BADNAME"
same echo_dev_full $N echo hi
ours echo hi > /dev/full 2> "$TMP/o.err"; orc=$?
gnu echo hi > /dev/full 2> "$TMP/g.err"; grc=$?
if [ "$orc" = "$grc" ] && cmp -s "$TMP/o.err" "$TMP/g.err"; then
    ok echo_dev_full_error
else
    fail echo_dev_full_error "status $orc vs GNU's $grc; stderr: $(cat "$TMP/o.err")"
fi

# cat
same cat_file $N cat "$D/text"
same cat_stdin "$D/text" cat
same cat_dash "$D/text" cat "$D/text" - "$D/ctrl"
same cat_empty $N cat "$D/empty"
same cat_empty_stdin $N cat
same cat_binary $N cat "$D/binary"
same cat_missing $N cat "$NOSUCH" "$D/text"
same cat_missing_quoted $N cat "$D/with space" "$TMP/no such" "$BADNAME" "it's" 'a=b' '' "$(printf 'x\ny')"
same cat_directory $N cat "$D" "$D/text"
for out in cat_dev_full; do
    ours cat "$D/text" > /dev/full 2> "$TMP/o.err"; orc=$?
    gnu cat "$D/text" > /dev/full 2> "$TMP/g.err"; grc=$?
    if [ "$orc" = "$grc" ] && cmp -s "$TMP/o.err" "$TMP/g.err"; then ok $out; else fail $out "status $orc vs $grc: $(cat "$TMP/o.err")"; fi
done
same cat_double_dash $N cat -- "$D/text" -- -
same cat_options_anywhere $N cat "$D/text" -u - -u
same cat_invalid_option $N cat "$D/text" -x
same cat_invalid_after_unsupported $N cat -n -y "$D/text"
same cat_unrecognized_option $N cat --frobnicate "$D/text"
# GNU's formatting options are not implemented: refused (status 1, a message, no output),
# never taken for file names.
for o in -n -A -sn --number --show-all --help; do
    ours cat "$o" "$D/text" > "$TMP/o.out" 2> "$TMP/o.err"; orc=$?
    if [ $orc = 1 ] && [ ! -s "$TMP/o.out" ] && grep -q "^cat: option '$o' is not supported\$" "$TMP/o.err"; then
        ok "cat_unsupported_option$o"
    else
        fail "cat_unsupported_option$o" "status $orc: $(cat "$TMP/o.err")"
    fi
done
# Input file is output file: `cat S >> S` would grow S forever; both refuse it (status 1)
# after copying the other inputs. Under a timeout and a 2 MiB file size limit (SIGXFSZ), so
# that a regression fails instead of hanging or filling the disk.
# same_self NAME SETUP CMD: SETUP and CMD run by sh in a fresh copy of the inputs, where
# `cat` is ours or GNU's; compares stdout+stderr, status, and the resulting files.
same_self() {
    name=$1 setup=$2 cmd=$3
    for who in ours gnu; do
        rm -rf "$TMP/self"; mkdir "$TMP/self"
        if [ $who = ours ] && ! native; then c="qemu-i386 -0 cat $RELEASE/cat"; else c=cat; fi
        if [ $who = ours ]; then p=$BIN:$GNUPATH; else p=$GNUPATH; fi
        (cd "$TMP/self" && eval "$setup" && PATH=$p CAT=$c timeout 10 sh -c "ulimit -f 2048; $cmd" > "$TMP/$who.all" 2>&1)
        echo $? > "$TMP/$who.rc"
        (cd "$TMP/self" && for f in *; do echo "== $f"; od -c "$f"; done) > "$TMP/$who.files"
    done
    if cmp -s "$TMP/ours.all" "$TMP/gnu.all" && cmp -s "$TMP/ours.rc" "$TMP/gnu.rc" &&
        cmp -s "$TMP/ours.files" "$TMP/gnu.files" && [ "$(cat "$TMP/ours.rc")" != 124 ]; then
        ok "$name"
    else
        fail "$name" "ours: status $(cat "$TMP/ours.rc") [$(head -c 300 "$TMP/ours.all")], GNU: status $(cat "$TMP/gnu.rc") [$(cat "$TMP/gnu.all")]"
    fi
}
same_self cat_self_append 'printf "abc\n" > s; printf "x\n" > t' '$CAT t s t >> s; echo "rc=$?"'
same_self cat_self_stdin 'printf "abc\n" > s' '$CAT - < s >> s; echo "rc=$?"'
same_self cat_self_implicit_stdin 'printf "abc\n" > s' '$CAT < s >> s; echo "rc=$?"'
same_self cat_self_read_write 'printf "abc\n" > s' '$CAT s 1<> s; echo "rc=$?"'
same_self cat_self_empty ': > s' '$CAT s >> s; echo "rc=$?"'
same_self cat_self_truncated 'printf "abc\n" > s' '$CAT s > s; echo "rc=$?"'
same_self cat_self_at_end 'printf "abc\n" > s' '{ head -c 4 >/dev/null; $CAT; } < s >> s; echo "rc=$?"'
same_self cat_self_other_file 'printf "abc\n" > s; printf "x\n" > t' '$CAT s >> t; echo "rc=$?"'
# A reader that goes away: both die of SIGPIPE (status 141) and print nothing.
for who in ours gnu; do
    { $who cat "$D/binary" "$D/binary" "$D/binary" 2> "$TMP/$who.err"; echo $? > "$TMP/$who.rc"; } | head -c 10 > /dev/null
done
if [ "$(cat "$TMP/ours.rc")" = "$(cat "$TMP/gnu.rc")" ] && [ "$(cat "$TMP/ours.rc")" = 141 ] && [ ! -s "$TMP/ours.err" ]; then
    ok cat_closed_pipe
else
    fail cat_closed_pipe "ours $(cat "$TMP/ours.rc") [$(cat "$TMP/ours.err")], GNU $(cat "$TMP/gnu.rc")"
fi

# wc
same wc_file $N wc "$D/text"
same wc_stdin "$D/text" wc
same wc_ctrl_words $N wc "$D/ctrl"
same wc_flags $N wc -l -w "$D/text" "$D/ctrl"
same wc_one_count $N wc -c "$D/binary"
same wc_one_count_stdin "$D/binary" wc -l
same wc_several $N wc "$D/text" "$D/binary" "$D/empty" - < "$D/ctrl"
same wc_pipe_width "$D/text" wc -lc - "$D/text"
same wc_devnull $N wc -l /dev/null "$D/text"
same wc_empty $N wc "$D/empty"
same wc_missing $N wc "$NOSUCH" "$D/text"
same wc_directory $N wc "$D" "$D/text"
same wc_newline_name $N wc "$(printf 'x\ny')"
same wc_long_options $N wc --lines --bytes "$D/text"
same wc_bad_option $N wc -x
same wc_bad_long_option $N wc --frobnicate
same wc_double_dash $N wc -- "$D/text"
same wc_stdin_directory "$D" wc
same wc_stdin_directory_one_count "$D" wc -l
same wc_dash_directory "$D" wc -
same wc_dash_directory_and_file "$D" wc "$D/text" -

# ls (always -1a)
same ls_dir $N ls -1a "$D"
(cd "$D" && ours ls -1a > "$TMP/o.out"; gnu ls -1a > "$TMP/g.out"; cmp -s "$TMP/o.out" "$TMP/g.out") && ok ls_no_operand || fail ls_no_operand differs
same ls_operands $N ls -1a "$D/text" "$D" "$D/sub" "$D/a" "$NOSUCH"
same ls_missing $N ls -1a "$NOSUCH"
same ls_bad_option $N ls -1a -y
same ls_root $N ls -1a /
ln -s "$TMP/nonexistent" "$TMP/dangling"
ln -s loop "$TMP/loop"
same ls_dangling_symlink $N ls -1a "$TMP/dangling"
same ls_dangling_symlink_and_dir $N ls -1a "$D/sub" "$TMP/dangling" "$NOSUCH"
same ls_symlink_loop $N ls -1a "$TMP/loop"
(cd "$TMP" && ours ls -1a dangling > "$TMP/o.out" 2>&1; echo $? >> "$TMP/o.out"
    gnu ls -1a dangling > "$TMP/g.out" 2>&1; echo $? >> "$TMP/g.out"
    cmp -s "$TMP/o.out" "$TMP/g.out") && ok ls_dangling_relative || fail ls_dangling_relative "$(cat "$TMP/o.out")"

# env
# The environment exactly as received: bytes, order (qemu-i386 7.2 hands the guest its
# environment in reverse order, so there the order is not compared).
if native; then
    gnu env -i A=1 'B=x y' "$(printf 'C=\377')" "$RELEASE/env" > "$TMP/o.out"; orc=$?
else
    gnu env -i A=1 'B=x y' "$(printf 'C=\377')" qemu-i386 "$RELEASE/env" | sort > "$TMP/o.out"; orc=$?
fi
printf 'A=1\nB=x y\nC=\377\n' > "$TMP/g.out"
if cmp -s "$TMP/o.out" "$TMP/g.out" && [ $orc = 0 ]; then ok env_exact_environment; else fail env_exact_environment "$(od -c "$TMP/o.out")"; fi
same env_ignore $N env -i A=1 B=2 A=3
same env_null $N env -i -0 X=1 Y=2
same env_unset $N env -i A=1 B=2 C=3 -u B
same env_exec $N env -i Q=1 /usr/bin/printenv Q
same env_exec_path $N env printf 'run %s\n' ok
same env_missing_command $N env -i "$NOSUCH"
same env_not_executable $N env "$D/text"
same env_bad_option $N env -Z
same env_combined_iu $N env -iu HOME
same env_combined_iu_attached $N env -iuB A=1 B=2
same env_combined_i0 $N env -i0 A=1
same env_combined_0iu $N env -0iu A
same env_unset_attached $N env -i -uA -u B A=1 B=2 C=3
same env_unset_long $N env -i --unset=A --unset B --null A=1 B=2 C=3
same env_unset_missing_combined $N env -iu
same env_combined_bad $N env -iZ A=1
same env_dash_alone $N env - A=1
same env_dash_ends_options $N env - -i
same env_unrecognized_long $N env --frobnicate

# Long options by GNU getopt_long's rules (crates/gnu/src/getopt.rs): unique prefixes, exact names
# before longer ones, ambiguities listed in GNU's table order, values refused or required.
same wc_long_prefixes $N wc --li --w "$D/text"
same wc_long_value_refused $N wc --lines=3 "$D/text"
same wc_long_value_refused_abbreviated $N wc --b=1 "$D/text"
same wc_long_argument_missing $N wc --files0-from
same wc_long_unrecognized $N wc --lines-x "$D/text"
same cat_long_ambiguous $N cat --show "$D/text"
same cat_long_ambiguous_with_value $N cat --nu=1 "$D/text"
same cat_long_value_refused $N cat --number=2 "$D/text"
same env_long_prefix $N env -i --nu A=1
same env_long_ambiguous $N env --i
same env_long_ambiguous_d $N env --d
same env_long_unset_abbreviated $N env -i A=1 B=2 --u=A --un B
same env_long_unset_missing $N env --un
same env_long_value_refused $N env --null=1
same ls_long_all $N ls -1a --al "$D"
same ls_long_ambiguous $N ls -1a --c "$D"
same ls_long_ambiguous_among_five $N ls -1a --de "$D"
same ls_long_argument_missing $N ls -1a --sort
same ls_long_value_refused $N ls -1a --all=1 "$D"
same ls_long_unrecognized $N ls -1a --frobnicate "$D"
# An empty name matches every option: the whole table, in GNU's order.
same wc_long_empty_name $N wc --=
same cat_long_empty_name $N cat --=
same env_long_empty_name $N env --=
same ls_long_empty_name $N ls -1a --=
# Recognised GNU options these tools do not implement: named in full, refused, status as GNU's
# usage errors (1 for wc and cat, 125 for env, 2 for ls).
for t in "wc 1 --cha" "cat 1 --h" "env 125 --deb" "ls 2 --time-s=iso" "ls 2 -l"; do
    set -- $t
    ours "$1" "$3" < /dev/null > "$TMP/o.out" 2> "$TMP/o.err"; orc=$?
    case "$3" in --cha) full=--chars ;; --h) full=--help ;; --deb) full=--debug ;; --time-s=iso) full=--time-style ;; *) full=$3 ;; esac
    if [ "$orc" = "$2" ] && [ ! -s "$TMP/o.out" ] &&
        [ "$(cat "$TMP/o.err")" = "$1: option '$full' is not supported" ]; then
        ok "${1}_unsupported_option$3"
    else
        fail "${1}_unsupported_option$3" "status $orc: $(cat "$TMP/o.err")"
    fi
done

# Defects from a hostile sweep (issue 17), each against GNU.
# same_cmd NAME TOOL CMD: CMD run by sh with $T = ours or GNU's TOOL (argv[0] = TOOL, the
# PATH each sees as in `ours`/`gnu`); stdout+stderr and the status compared.
same_cmd() {
    name=$1 tool=$2 cmd=$3
    for who in ours gnu; do
        if [ $who = ours ] && ! native; then T="qemu-i386 -0 $tool $RELEASE/$tool"; else T=$tool; fi
        if [ $who = ours ]; then p=$BIN:$GNUPATH; else p=$GNUPATH; fi
        (cd "$TMP" && PATH=$p T=$T sh -c "$cmd" > "$TMP/$who.all" 2>&1; echo "rc=$?" >> "$TMP/$who.all")
    done
    if cmp -s "$TMP/ours.all" "$TMP/gnu.all"; then ok "$name"; else
        fail "$name" "ours [$(head -c 300 "$TMP/ours.all")], GNU [$(cat "$TMP/gnu.all")]"; fi
}
P=$TMP/pathdir; mkdir -p "$P"
printf '#!/bin/sh\necho mytool ran "$@"\n' > "$P/mytool"; chmod +x "$P/mytool"
printf '#!/bin/sh\necho never\n' > "$P/nxtool"; chmod -x "$P/nxtool"
cp "$P/mytool" "$BIN/inbin-tool"
# env looks the command up in the PATH it sets, not the one it inherited.
same_cmd env_path_of_new_environment env "\$T PATH=$P mytool a"
same_cmd env_inherited_path_not_used_with_i env "\$T -i inbin-tool"
same_cmd env_inherited_path_not_used env "\$T -u PATH inbin-tool"
same_cmd env_not_executable_in_path env "\$T PATH=$P nxtool"
same_cmd env_path_dir_then_file env "\$T PATH=$P/nxtool:$P mytool b"
# wc: the empty name, a closed stdin, a full or closed stdout.
same wc_empty_name $N wc ''
same wc_empty_name_and_file $N wc '' "$D/text"
same_cmd wc_stdin_closed wc '$T <&-'
same_cmd wc_stdin_closed_dash wc "\$T -l - $D/text <&-"
same_cmd wc_dev_full wc "\$T $D/text > /dev/full"
same_cmd wc_stdin_dev_full wc "\$T < $D/text > /dev/full"
same_cmd wc_stdout_closed wc "\$T $D/text >&-"
same_cmd ls_stdout_closed ls "\$T -1a $D >&-"
# ls in a directory removed under it: getdents64's ENOENT ends the listing, status 0.
same_cmd ls_deleted_directory ls "mkdir gone && cd gone && rmdir ../gone && \$T -1a; echo \"rc \$?\"; \$T -1a .; cd /"
# ls on a terminal quotes names (GNU's shell-escape style): an escape sequence in a name
# must not reach the terminal. script(1) gives both a pseudo-terminal.
if command -v script >/dev/null; then
    Q=$TMP/q; mkdir -p "$Q"
    (cd "$Q" && touch plain 'a b' "it's" "$(printf 'x\033]0;pwned\007y')" 'd$x' "$(printf 'nl\nx')" "$(printf '\377')" '~t' 'e=f')
    for who in ours gnu; do
        if [ $who = ours ]; then
            if native; then T="$RELEASE/ls"; else T="qemu-i386 -0 ls $RELEASE/ls"; fi
        else T=ls; fi
        script -qc "$T -1a $Q $Q/plain '$Q/a b'" /dev/null > "$TMP/$who.tty" 2>&1
    done
    if cmp -s "$TMP/ours.tty" "$TMP/gnu.tty" && grep -q "'x'\\$'\\\\033'" "$TMP/gnu.tty"; then ok ls_tty_quotes_names; else
        fail ls_tty_quotes_names "$(od -c "$TMP/ours.tty" | head -5) vs $(od -c "$TMP/gnu.tty" | head -5)"; fi
fi

# The `errno` example against moreutils' errno, which takes its names from glibc's headers
# and its messages from glibc's strerror: every name, number and message in src/errno.rs.
. "$(dirname "$0")/lib.sh"
E="$RELEASE/errno"

# -l: all of them. moreutils lists in the headers' order, an alias where its #define is;
# ours is numeric with each alias after its main name: the same lines once moreutils' are
# sorted by number (stably, so EAGAIN stays before EWOULDBLOCK).
errno -l | sort -s -n -k2,2 > "$TMP/want.l"
run "$E" -l > "$TMP/got.l"; rc=$?
if [ $rc = 0 ] && [ "$(wc -l < "$TMP/want.l")" -gt 130 ] && cmp -s "$TMP/want.l" "$TMP/got.l"; then
    ok errno_list_vs_moreutils
else
    fail errno_list_vs_moreutils "rc $rc; $(diff "$TMP/want.l" "$TMP/got.l" | head -5)"
fi

# Every name (upper and lower case, aliases included) and every number, in one call.
names=$(awk '{print $1}' "$TMP/want.l")
lower=$(echo "$names" | tr 'A-Z' 'a-z')
numbers=$(awk '{print $2}' "$TMP/want.l" | sort -un)
errno $names $lower $numbers > "$TMP/want.each"
run "$E" $names $lower $numbers > "$TMP/got.each"; rc=$?
if [ $rc = 0 ] && cmp -s "$TMP/want.each" "$TMP/got.each"; then
    ok errno_each_name_and_number_vs_moreutils
else
    fail errno_each_name_and_number_vs_moreutils "rc $rc; $(diff "$TMP/want.each" "$TMP/got.each" | head -3)"
fi

# -s: the messages holding every word, case ignored (sorted as for -l).
for words in "no space" "SPACE buffer" "no such" "file" "operation not"; do
    errno -s $words | sort -s -n -k2,2 > "$TMP/want.s"
    run "$E" -s $words > "$TMP/got.s"
    if [ -s "$TMP/want.s" ] && cmp -s "$TMP/want.s" "$TMP/got.s"; then
        ok "errno_search_$(echo $words | tr ' A-Z' '_a-z')"
    else
        fail "errno_search_$(echo $words | tr ' A-Z' '_a-z')" "$(diff "$TMP/want.s" "$TMP/got.s" | head -3)"
    fi
done

# Unknown names and numbers: one line each on stderr, the known ones still printed, status 1.
out=$(run "$E" 0 ENOENT EFOO 4096 x12 2>"$TMP/err"); rc=$?
printf '%s\n' "$E: 0: no such error name or number" "$E: EFOO: no such error name or number" \
    "$E: 4096: no such error name or number" "$E: x12: no such error name or number" > "$TMP/want.err"
if [ "$rc:$out" = "1:ENOENT 2 No such file or directory" ] && cmp -s "$TMP/want.err" "$TMP/err"; then
    ok errno_unknown_reported
else
    fail errno_unknown_reported "rc $rc: $out; $(cat "$TMP/err")"
fi

# No operand, a bad option, and a stdout that fails: a message and status 1, nothing lost silently.
out=$(run "$E" 2>&1); rc=$?
check errno_missing_operand [ "$rc:$out" = "1:$E: missing operand
Try '$E --help' for more information." ]
out=$(run "$E" -x 2>&1); rc=$?
check errno_bad_option [ "$rc:$out" = "1:$E: invalid option '-x'
Try '$E --help' for more information." ]
out=$(run "$E" -l 2>&1 > /dev/full); rc=$?
check errno_dev_full [ "$rc:$out" = "1:$E: write error: No space left on device" ]

# The raw layer is for teaching: outside src/, only the files on scripts/raw-calls' list
# may call `syscallN` directly, and no more often than allowed (issue: typed API).
. "$(dirname "$0")/lib.sh"
native || exit 0
if out=$("$ROOT/scripts/raw-calls" 2>&1); then
    ok raw_calls_only_where_allowed
else
    printf '%s\n' "$out"; fail raw_calls_only_where_allowed "see the list above"
fi

# Shared helpers for the shell checks in tests/sh/ (sourced, not run).
# scripts/test sets RUNNER ("" natively, "qemu-i386" for the qemu run) and LINUX_GATE_QEMU.
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TRIPLE=i686-unknown-linux-gnu
DEBUG=$ROOT/target/$TRIPLE/debug/examples
RELEASE=$ROOT/target/$TRIPLE/release/examples
RUNNER=${RUNNER:-}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

ok()   { echo "test $1 ... ok"; }
fail() { n=$1; shift; echo "test $n ... FAILED ($*)"; }
# check NAME COMMAND...: ok if the command succeeds, FAILED otherwise.
check() { n=$1; shift; if "$@"; then ok "$n"; else fail "$n" "see above"; fi; }
native() { [ "${LINUX_GATE_QEMU:-0}" != 1 ]; }
run() { $RUNNER "$@"; }

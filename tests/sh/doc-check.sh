# Every command shown in docs/ABI.md, docs/ARTICLE.md and README.md (```console blocks) is run and its
# output checked (scripts/doc-check). The transcripts are of the native run, so they are
# checked there; qemu's own transcripts in them run `qemu-i386` explicitly.
. "$(dirname "$0")/lib.sh"
native || exit 0
python3 "$ROOT/scripts/doc-check"

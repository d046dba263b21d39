# The allocation-error path under a real address-space limit (ulimit -v), compared with
# what Rust's std does on the same machine: same stderr, same death by SIGABRT.
. "$(dirname "$0")/lib.sh"

# ref_std SIZE: a host std program doing what examples/alloc-fail does, if rustc can build one.
cat > "$TMP/oom.rs" <<'RS'
fn main() {
    let size: usize = std::env::args().nth(1).unwrap().parse().unwrap();
    println!("allocating");
    let mut kept = Vec::new();
    loop {
        let mut b = Vec::<u8>::with_capacity(size);
        b.push(1);
        kept.push(b);
    }
}
RS
have_std=false
if native && /usr/bin/rustc -O -o "$TMP/oom" "$TMP/oom.rs" 2>/dev/null; then have_std=true; fi

if native; then
    # 64 MiB of address space: the first 100 MB block fails (brk, then the mmap2 fallback).
    (ulimit -v 65536; exec "$RELEASE/alloc-fail" 100000000) > "$TMP/o.out" 2> "$TMP/o.err"; orc=$?
    printf 'memory allocation of 100000000 bytes failed\n' > "$TMP/want.err"
    if [ $orc = 134 ] && cmp -s "$TMP/o.err" "$TMP/want.err" && [ "$(cat "$TMP/o.out")" = allocating ]; then
        ok alloc_fail_ulimit
    else
        fail alloc_fail_ulimit "status $orc, stderr: $(cat "$TMP/o.err")"
    fi
    if $have_std; then
        (ulimit -v 65536; RUST_BACKTRACE=0 exec "$TMP/oom" 100000000) > "$TMP/g.out" 2> "$TMP/g.err"; grc=$?
        # std 1.96 adds a line `note: run with RUST_BACKTRACE=1 …`; the message is line one.
        if [ $orc = $grc ] && [ "$(head -n1 "$TMP/g.err")" = "$(cat "$TMP/o.err")" ] && cmp -s "$TMP/o.out" "$TMP/g.out"; then
            ok alloc_fail_matches_std
        else
            fail alloc_fail_matches_std "ours $orc [$(cat "$TMP/o.err")], std $grc [$(cat "$TMP/g.err")]"
        fi
    fi
    # The debug build too (no LTO, other code paths inlined differently).
    (ulimit -v 65536; exec "$DEBUG/alloc-fail" 100000000) > /dev/null 2> "$TMP/d.err"; drc=$?
    if [ $drc = 134 ] && cmp -s "$TMP/d.err" "$TMP/want.err"; then ok alloc_fail_ulimit_debug; else fail alloc_fail_ulimit_debug "status $drc"; fi
else
    # qemu-i386 ignores RLIMIT_AS for its guest; the 4 GiB guest address space runs out instead.
    qemu-i386 "$RELEASE/alloc-fail" 536870912 > "$TMP/o.out" 2> "$TMP/o.err"; orc=$?
    if [ $orc = 134 ] && [ "$(head -n1 "$TMP/o.err")" = "memory allocation of 536870912 bytes failed" ] &&
        [ "$(cat "$TMP/o.out")" = allocating ]; then
        ok alloc_fail_exhausted
    else
        fail alloc_fail_exhausted "status $orc, stderr: $(cat "$TMP/o.err")"
    fi
fi

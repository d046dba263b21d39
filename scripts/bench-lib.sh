# Shared by scripts/bench and scripts/size (sourced, not run): paths, the C/asm reference
# programs in bench/ built into target/bench/, and an sstrip-like section-header remover.
# ROOT may be set by the includer (tests/sh/lib.sh); else this is scripts/NAME.
: "${ROOT:=$(cd "$(dirname "$0")/.." && pwd)}"
TRIPLE=i686-unknown-linux-gnu
REL=$ROOT/target/$TRIPLE/release/examples
REFS=$ROOT/target/bench
mkdir -p "$REFS"

# build_refs: hello-asm (as + ld -n -s), hello-floor (as + ld -T linker.ld: hello's
# start-up by hand, the size floor), hello-glibc, clock-glibc, alloc-glibc, threads-glibc (gcc -m32
# -static -O2), catbench and stepcount (gcc -O2, native). Rebuilt only when the source is newer.
build_refs() {
    if [ ! -e "$REFS/hello-asm" ] || [ "$ROOT/bench/hello.S" -nt "$REFS/hello-asm" ]; then
        as --32 -o "$REFS/hello.o" "$ROOT/bench/hello.S" &&
            ld -m elf_i386 -n -s -o "$REFS/hello-asm" "$REFS/hello.o" || return 1
    fi
    if [ ! -e "$REFS/hello-floor" ] || [ "$ROOT/bench/hello-floor.S" -nt "$REFS/hello-floor" ] ||
        [ "$ROOT/linker.ld" -nt "$REFS/hello-floor" ]; then
        as --32 -o "$REFS/hello-floor.o" "$ROOT/bench/hello-floor.S" &&
            ld -m elf_i386 -T "$ROOT/linker.ld" -o "$REFS/hello-floor" "$REFS/hello-floor.o" ||
            return 1
    fi
    # Native (64-bit) helpers: the cat timer and the ptrace single-stepper.
    for p in catbench stepcount; do
        if [ ! -e "$REFS/$p" ] || [ "$ROOT/bench/$p.c" -nt "$REFS/$p" ]; then
            gcc -O2 -o "$REFS/$p" "$ROOT/bench/$p.c" || return 1
        fi
    done
    if [ ! -e "$REFS/threads-glibc" ] || [ "$ROOT/bench/threads_glibc.c" -nt "$REFS/threads-glibc" ]; then
        gcc -m32 -static -O2 -pthread -o "$REFS/threads-glibc" "$ROOT/bench/threads_glibc.c" || return 1
    fi
    for p in hello:hello_glibc clock:clock_glibc alloc:alloc_glibc; do
        out=$REFS/${p%%:*}-glibc src=$ROOT/bench/${p#*:}.c
        if [ ! -e "$out" ] || [ "$src" -nt "$out" ]; then
            # 64-bit time_t, as linux-gate uses: glibc then calls __vdso_clock_gettime64.
            gcc -m32 -static -O2 -D_TIME_BITS=64 -D_FILE_OFFSET_BITS=64 -o "$out" "$src" ||
                return 1
        fi
    done
}

# file_end FILE: where the last PT_LOAD's file contents end (everything after is section
# headers, .shstrtab and other non-loaded bytes).
file_end() {
    readelf -lW "$1" | while read -r type off _va _pa filesz _rest; do
        [ "$type" = LOAD ] && echo $((off + filesz))
    done | sort -n | tail -1
}

# sstrip IN OUT: copy IN without its section header table: e_shoff, e_shnum, e_shstrndx
# zeroed and the file cut where the last loaded byte ends. The kernel, readelf -l and gdb
# need only the program headers; objdump -d needs sections (use gdb's x/i instead).
sstrip() {
    end=$(file_end "$1") || return 1
    cp "$1" "$2" &&
        printf '\0\0\0\0' | dd of="$2" bs=1 seek=32 conv=notrunc status=none &&
        printf '\0\0\0\0' | dd of="$2" bs=1 seek=48 conv=notrunc status=none &&
        truncate -s "$end" "$2"
}

# wx_segments FILE: the number of segments both writable and executable (must be 0).
wx_segments() {
    readelf -lW "$1" | awk '$1 ~ /^(LOAD|GNU_STACK)$/ && $0 ~ / RWE /' | wc -l
}

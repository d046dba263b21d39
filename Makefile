# linux-gate — every target installs what is missing first (scripts/setup, idempotent).
EXAMPLE ?= hello
CARGO   ?= cargo
TRIPLE  := i686-unknown-linux-gnu

.PHONY: all setup build run test test-native test-qemu test-valgrind bench size gdb fmt clippy doc check clean

all: build

setup:
	@scripts/setup

build: setup
	$(CARGO) build --examples --release

# Build `hello` and run it natively (vsyscall path) and under qemu-i386 (int 0x80 path).
run: setup
	$(CARGO) build --release --example $(EXAMPLE)
	@echo "== native =="
	target/$(TRIPLE)/release/examples/$(EXAMPLE)
	@echo "== qemu-i386 (no vDSO) =="
	qemu-i386 target/$(TRIPLE)/release/examples/$(EXAMPLE)

# The whole suite, natively and under qemu-i386; non-zero exit on any failure.
test: setup
	@scripts/test

test-native: setup
	@scripts/test native

test-qemu: setup
	@scripts/test qemu

# The test binaries (and the examples they start) under valgrind's memcheck: no vDSO, and
# every read of uninitialised memory or access outside a mapping is an error.
test-valgrind: setup
	@scripts/test-valgrind

bench: setup
	@scripts/bench

size: setup
	@scripts/size

# Debug build, gdb stopped at _start.
gdb: setup
	$(CARGO) build --example $(EXAMPLE)
	gdb -q -ex 'break _start' -ex run target/$(TRIPLE)/debug/examples/$(EXAMPLE)

fmt: setup
	$(CARGO) fmt

clippy: setup
	$(CARGO) clippy --workspace --examples --tests -- -D warnings

doc: setup
	$(CARGO) doc --no-deps

# fmt + clippy + doc, all warning-free.
check: setup
	$(CARGO) fmt --check
	$(CARGO) clippy --workspace --examples --tests -- -D warnings
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --no-deps
	$(CARGO) clippy --workspace --features trace --examples --tests -- -D warnings
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --no-deps --features trace

clean:
	$(CARGO) clean

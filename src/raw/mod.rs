//! The raw layer: every system call the runtime makes, one short function each, grouped by
//! area. Private to the crate; the public modules above ([`crate::fd`], [`crate::fs`],
//! [`crate::io`], [`crate::process`], …) give them types.
//!
//! This is where the i386 choices are made, once:
//!
//! | what | i386 call | why |
//! | --- | --- | --- |
//! | 64-bit file offsets | `_llseek`, `pread64`/`pwrite64`, `ftruncate64`, `truncate64`, `fcntl64`, `statx` (`fstatat64` where it is missing) | `off_t` is 32 bits; the offset goes as two words, low first |
//! | memory maps | `mmap2` | its offset is in 4096-byte pages, so 32 bits reach 16 TiB |
//! | user and group ids | `getuid32`, `setuid32`, `chown32`, … | the original calls take 16-bit ids and truncate |
//! | `select` | `_newselect` | the old `select` (82) takes a pointer to a struct of its five arguments |
//! | resource limits | `prlimit64` | `getrlimit` has 32-bit limits; `RLIM_INFINITY` would not round-trip |
//! | sockets | `socket`, `bind`, … (Linux 4.3+), `socketcall` on `ENOSYS` | before 4.3 i386 had only the multiplexer |
//! | time | `clock_gettime64`, `clock_nanosleep_time64`, `utimensat_time64`, `ppoll_time64`, `pselect6_time64`, `futex_time64` | the plain ones carry 32-bit seconds, which end in 2038 |
//!
//! # Safety, once for the whole layer
//!
//! Every function here is `unsafe` and has the same contract: each pointer argument must be
//! valid for what the kernel does with it (read a NUL-terminated string, read or write the
//! number of bytes or the struct the call's manual page names) for the duration of the call,
//! and the caller answers for the call's effects on the process (closing a descriptor that
//! something else owns, unmapping memory in use, ending the process). The bodies are just
//! the call, so they carry no `unsafe` blocks of their own.
#![allow(unsafe_op_in_unsafe_fn)]

pub(crate) mod event;
pub(crate) mod fd;
pub(crate) mod fs;
pub(crate) mod io;
pub(crate) mod mm;
pub(crate) mod net;
pub(crate) mod process;
pub(crate) mod signal;
pub(crate) mod system;
pub(crate) mod thread;
pub(crate) mod time;

/// The two 32-bit words of a 64-bit value as i386 passes them in two registers: low first.
#[inline(always)]
pub(crate) const fn split64(v: u64) -> (usize, usize) {
    (v as u32 as usize, (v >> 32) as u32 as usize)
}

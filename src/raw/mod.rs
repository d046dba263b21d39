//! The private raw layer: one `unsafe fn` per system call, each a single line over
//! [`crate::syscall`]'s `syscallN`, numbers and layouts from `linux-raw-sys`. The safe
//! modules build on these; nothing here checks more than the kernel does.

#[rustfmt::skip]
pub(crate) mod thread;

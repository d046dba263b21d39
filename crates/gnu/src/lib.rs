//! # linux-gate-gnu
//!
//! What a small GNU-style tool on [`linux_gate`] needs to look and behave like GNU's own:
//!
//! * [`getopt`] — glibc `getopt_long`'s rules for `--name[=value]` and its messages;
//! * [`quote`] — GNU's quoting of names in diagnostics and the `prog: name: message` shape;
//! * [`auxv`] — glibc's `LD_SHOW_AUXV=1` wording of the auxiliary vector;
//! * [`strsignal`] — glibc's `strsignal` texts, as shells print them.
//!
//! None of this is part of the runtime: it is the examples' (`cat`, `wc`, `ls`, `env`, `sh`,
//! `auxv`, `stack`) shared vocabulary, checked against GNU's tools in `tests/sh/`.
#![no_std]
#![warn(missing_docs)]

extern crate alloc;

pub mod auxv;
pub mod getopt;
pub mod quote;
pub mod strsignal;

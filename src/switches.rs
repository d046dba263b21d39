//! The start-up switches: the environment variables that change how the runtime starts,
//! decided here, once, from two inputs — the environment and `AT_SECURE`.
//!
//! | switch | effect |
//! | --- | --- |
//! | `LINUX_GATE_SYSCALL=int80` | every syscall uses `int $0x80`, even where a vDSO exists (teaching, benchmarks) |
//! | `LINUX_GATE_TRACE=1` | with the `trace` feature: print every syscall, strace-style |
//!
//! Both are **ignored when `AT_SECURE` is set** (a setuid or setgid exec, or one that
//! gained capabilities): the environment then belongs to a less privileged caller, who must
//! not steer the privileged program. That rule is written once, below.
//!
//! The functions are pure — inputs in, decision out — so the tests can call them with a
//! faked auxv and environment. This module depends on nothing else in the runtime.

/// The name of the switch that selects the syscall mechanism.
pub const SYSCALL_SWITCH: &[u8] = b"LINUX_GATE_SYSCALL";

/// The name of the switch that turns the trace on (feature `trace`).
pub const TRACE_SWITCH: &[u8] = b"LINUX_GATE_TRACE";

/// `LINUX_GATE_SYSCALL=int80` and its NUL: the whole environment string start-up looks
/// for, compared byte by byte (no `getenv`, no `memcmp`: this runs in every program,
/// `hello` included).
pub(crate) const SYSCALL_INT80: &[u8] = b"LINUX_GATE_SYSCALL=int80\0";

const _: () = {
    // The pattern is the switch's name, `=`, then the value.
    let name = SYSCALL_SWITCH;
    let mut i = 0;
    while i < name.len() {
        assert!(SYSCALL_INT80[i] == name[i]);
        i += 1;
    }
    assert!(SYSCALL_INT80[name.len()] == b'=');
};

/// The syscall entry from what start-up found: `sysinfo` is `AT_SYSINFO` (0 if absent),
/// `secure` is `AT_SECURE != 0`, `switch_int80` whether the environment says
/// `LINUX_GATE_SYSCALL=int80`. Returns the address of `__kernel_vsyscall`, or 0 for
/// `int $0x80`.
#[inline(always)]
pub(crate) fn syscall_entry(sysinfo: usize, secure: bool, switch_int80: bool) -> usize {
    let forced_int80 = switch_int80 && switches_allowed(secure);
    if forced_int80 { 0 } else { sysinfo }
}

/// [`syscall_entry`] in the form a test holds its inputs: `Some(address of
/// __kernel_vsyscall)` or `None` for `int $0x80`.
#[cfg(feature = "test-hooks")]
#[doc(hidden)]
pub fn choose_entry(sysinfo: Option<usize>, secure: bool, switch: Option<&[u8]>) -> Option<usize> {
    let entry = syscall_entry(
        sysinfo.unwrap_or(0),
        secure,
        switch == Some(b"int80".as_slice()),
    );
    if entry == 0 { None } else { Some(entry) }
}

/// Whether the trace is on: `LINUX_GATE_TRACE` is exactly `1` and the exec is not secure.
#[cfg_attr(not(feature = "trace"), allow(dead_code))]
pub(crate) fn trace_on(secure: bool, value: Option<&[u8]>) -> bool {
    switches_allowed(secure) && value == Some(b"1".as_slice())
}

/// The one rule: environment switches count only outside a secure exec.
#[inline(always)]
pub(crate) const fn switches_allowed(secure: bool) -> bool {
    !secure
}

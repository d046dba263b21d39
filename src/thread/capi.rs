//! The C side of threads (`include/linux_gate.h`): `lg_thread_spawn`, `lg_thread_join`,
//! `lg_gettid`. A handle is a boxed [`JoinHandle`]; the thread's value is a `void *`.

use super::{Builder, JoinHandle};
use alloc::boxed::Box;
use core::ffi::{c_int, c_long, c_void};

/// The opaque `lg_thread` of the C API.
pub struct CThread(JoinHandle<usize>);

/// `lg_thread *lg_thread_spawn(void *(*fn)(void *), void *arg, long *err)`.
///
/// # Safety
/// `f` must be safe to call with `arg` on another thread; `err` is null or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lg_thread_spawn(
    f: extern "C" fn(*mut c_void) -> *mut c_void,
    arg: *mut c_void,
    err: *mut c_long,
) -> *mut CThread {
    let arg = arg as usize;
    match Builder::new().spawn(move || f(arg as *mut c_void) as usize) {
        Ok(h) => Box::into_raw(Box::new(CThread(h))),
        Err(e) => {
            if !err.is_null() {
                // SAFETY: the caller passes a writable long or null.
                unsafe { *err = -(e.raw() as c_long) };
            }
            core::ptr::null_mut()
        }
    }
}

/// `void *lg_thread_join(lg_thread *t)`: waits, frees, returns the thread's value.
///
/// # Safety
/// `t` came from `lg_thread_spawn` and is joined once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lg_thread_join(t: *mut CThread) -> *mut c_void {
    // SAFETY: the caller's contract: a live handle, given up here.
    let t = unsafe { Box::from_raw(t) };
    t.0.join() as *mut c_void
}

/// `int lg_gettid(void)`.
#[unsafe(no_mangle)]
pub extern "C" fn lg_gettid() -> c_int {
    super::gettid()
}

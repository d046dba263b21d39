//! The C side of threads (`include/linux_gate.h`): `lg_thread_spawn`, `lg_thread_join`,
//! `lg_gettid`. A handle is a boxed [`JoinHandle`]; the thread's value is a `void *`.
//!
//! The C symbols are defined by [`crate::c_threads!`] in the program that uses them, not
//! here: an exported function in the library stays in every program's LTO module until the
//! linker drops it, and there it would keep the thread module's hooks alive — and with them
//! the exit path's and the panic handler's thread checks, which otherwise fold away.

use super::{Builder, JoinHandle};
use alloc::boxed::Box;
use core::ffi::{c_int, c_long, c_void};

/// The opaque `lg_thread` of the C API.
pub struct CThread(JoinHandle<usize>);

/// `lg_thread_spawn`'s body.
///
/// # Safety
/// `f` must be safe to call with `arg` on another thread; `err` is null or writable.
pub unsafe fn spawn(
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

/// `lg_thread_join`'s body: waits, frees, returns the thread's value.
///
/// # Safety
/// `t` came from [`spawn`] and is joined once.
pub unsafe fn join(t: *mut CThread) -> *mut c_void {
    // SAFETY: the caller's contract: a live handle, given up here.
    let t = unsafe { Box::from_raw(t) };
    t.0.join() as *mut c_void
}

/// `lg_gettid`'s body.
pub fn gettid() -> c_int {
    super::gettid().as_raw()
}

/// Defines the C thread API (`lg_thread_spawn`, `lg_thread_join`, `lg_gettid`) in the
/// program: write it next to `c_main!()` in the shim of a C program that uses threads.
#[macro_export]
macro_rules! c_threads {
    () => {
        /// `lg_thread *lg_thread_spawn(void *(*fn)(void *), void *arg, long *err)`.
        ///
        /// # Safety
        /// As `linux_gate::thread::capi::spawn`.
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn lg_thread_spawn(
            f: extern "C" fn(*mut core::ffi::c_void) -> *mut core::ffi::c_void,
            arg: *mut core::ffi::c_void,
            err: *mut core::ffi::c_long,
        ) -> *mut $crate::thread::capi::CThread {
            // SAFETY: the C caller's contract, passed on.
            unsafe { $crate::thread::capi::spawn(f, arg, err) }
        }

        /// `void *lg_thread_join(lg_thread *t)`.
        ///
        /// # Safety
        /// As `linux_gate::thread::capi::join`.
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn lg_thread_join(
            t: *mut $crate::thread::capi::CThread,
        ) -> *mut core::ffi::c_void {
            // SAFETY: the C caller's contract, passed on.
            unsafe { $crate::thread::capi::join(t) }
        }

        /// `int lg_gettid(void)`.
        #[unsafe(no_mangle)]
        pub extern "C" fn lg_gettid() -> core::ffi::c_int {
            $crate::thread::capi::gettid()
        }
    };
}

//! The panic handler: flush what `print!` buffered, write the message and location to
//! stderr (as std does), and exit with status 101. `panic = "abort"`: no unwinding.

use core::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

static PANICKING: AtomicBool = AtomicBool::new(false);

/// `crate::thread`'s first step, once threads exist (a `fn(&PanicInfo)`, 0 before): in a
/// spawned thread it prints `thread 'NAME' panicked at …` and aborts. Kept as a pointer so
/// that a program without threads links none of it.
static THREAD_HOOK: AtomicUsize = AtomicUsize::new(0);

pub(crate) fn set_thread_hook(hook: fn(&core::panic::PanicInfo<'_>)) {
    THREAD_HOOK.store(hook as usize, Ordering::Relaxed);
}

#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    let hook = THREAD_HOOK.load(Ordering::Relaxed);
    if hook != 0 {
        // SAFETY: only `set_thread_hook` stores here, always such a function.
        let hook: fn(&core::panic::PanicInfo<'_>) = unsafe { core::mem::transmute(hook) };
        hook(info);
    }
    if PANICKING.swap(true, Ordering::Relaxed) {
        // A panic while panicking (e.g. while formatting the message): give up at once.
        crate::exit::exit_group(101);
    }
    // A panic inside `print!` holds stdout's lock; then its buffer is left alone.
    let _ = crate::io::try_flush_stdout();
    // The location is always there for panics from Rust code; one format string for both
    // cases keeps a single copy of the formatting call.
    let (file, line, col) = match info.location() {
        Some(l) => (l.file(), l.line(), l.column()),
        None => ("<unknown>", 0, 0),
    };
    let _ = crate::io::stderr_format(format_args!(
        "panicked at {}:{}:{}:\n{}\n",
        file,
        line,
        col,
        info.message()
    ));
    crate::exit::exit_group(101)
}

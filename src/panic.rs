//! The panic handler: flush what `print!` buffered, write the message and location to
//! stderr (as std does), and exit with status 101. `panic = "abort"`: no unwinding.

use core::sync::atomic::{AtomicBool, Ordering};

static PANICKING: AtomicBool = AtomicBool::new(false);

#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
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

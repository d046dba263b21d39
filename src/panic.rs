//! The panic handler: flush what `print!` buffered, write the message and location to
//! stderr (as std does), and exit with status 101. `panic = "abort"`: no unwinding.

use crate::io::{Fd, FdWriter};
use core::fmt::Write;
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
    let mut err = FdWriter::new(Fd::STDERR);
    let _ = match info.location() {
        Some(l) => write!(
            err,
            "panicked at {}:{}:{}:\n{}\n",
            l.file(),
            l.line(),
            l.column(),
            info.message()
        ),
        None => write!(err, "panicked:\n{}\n", info.message()),
    };
    crate::exit::exit_group(101)
}

//! The global allocator: a `linked_list_allocator` heap whose arena grows on demand with
//! `brk`, and `mmap2` for large blocks (or when `brk` cannot grow).
//!
//! * Small blocks come from one contiguous arena that starts at the program break and is
//!   extended a chunk at a time (`brk(new_end)`; the kernel returns the new break, or the
//!   old one on failure).
//! * Blocks of [`MMAP_THRESHOLD`] bytes or more get their own anonymous mapping and are
//!   `munmap`ped on free, so big buffers go back to the kernel.
//! * Small blocks (up to [`SMALL_MAX`] = 4 KiB, alignment ≤ 8) are rounded up to a size
//!   class — a multiple of 8 up to 256 bytes, then 512, 1024, 2048 or 4096 — and, when
//!   freed, kept on a free list per class instead of going back to the first-fit list.
//!   `linked_list_allocator` frees by walking its address-ordered list of holes to merge
//!   neighbours — O(holes) per free — so a program freeing 10⁵ blocks in random order would
//!   spend seconds to minutes there (0.4 ms per 512-byte free at 10⁵); with the per-class
//!   lists, alloc and free of a small block are O(1). The price: freed small blocks stay
//!   blocks of their class, and a request just above a power of two (e.g. 300 bytes in a
//!   512-byte block) wastes up to half its block.
//! * When neither source has memory, `alloc` returns null and Rust's allocation-error path
//!   runs `alloc_error` below: `memory allocation of N bytes failed` on stderr, then abort
//!   (`SIGABRT`), exactly as std does. (Without this handler a `no_std` program would
//!   *panic* instead: exit 101 with a `panicked at` message.)

use crate::syscall::{self, nr};
use core::alloc::{GlobalAlloc, Layout};
use core::ptr::{self, NonNull};
use linked_list_allocator::Heap;
use linux_raw_sys::general::{MAP_ANONYMOUS, MAP_PRIVATE, PROT_READ, PROT_WRITE};

/// Requests at least this large are served by their own `mmap2`.
pub const MMAP_THRESHOLD: usize = 128 * 1024;
/// The arena grows by at least this much at a time.
const GROW_CHUNK: usize = 64 * 1024;
const PAGE: usize = 4096;
/// Requests up to this size (with alignment ≤ 8) use the per-class free lists.
pub const SMALL_MAX: usize = 4096;
const SMALL_ALIGN: usize = 8;
/// Up to this size the classes are every multiple of [`SMALL_ALIGN`]; above, powers of two.
const FINE_MAX: usize = 256;
const FINE_CLASSES: usize = FINE_MAX / SMALL_ALIGN;
/// 32 fine classes (8, 16, … 256), then 512, 1024, 2048, 4096.
const CLASSES: usize =
    FINE_CLASSES + (SMALL_MAX.trailing_zeros() - FINE_MAX.trailing_zeros()) as usize;

/// A freed small block: its first word links to the next free block of the same size.
struct FreeBlock {
    next: Option<NonNull<FreeBlock>>,
}

struct Arena {
    heap: Heap,
    /// Current program break (end of the arena); 0 until first use.
    brk: usize,
    /// `brk` refused once: stop trying.
    brk_failed: bool,
    /// Free lists of small blocks; `small[i]` holds blocks of `(i + 1) * 8` bytes for
    /// `i < 32`, then of 512, 1024, 2048 and 4096 bytes.
    small: [Option<NonNull<FreeBlock>>; CLASSES],
}

/// The allocator installed as `#[global_allocator]` by this crate.
pub struct BrkHeap {
    arena: spin::Mutex<Arena>,
}

// SAFETY: all state is behind the spin lock.
unsafe impl Sync for BrkHeap {}

fn sys_brk(addr: usize) -> usize {
    // SAFETY: brk only moves the program break; it returns the (possibly unchanged) break.
    unsafe { syscall::syscall1(nr::__NR_brk, addr) }.unwrap_or(0)
}

/// `mmap2` of `len` fresh, private, anonymous, read-write bytes.
pub fn map_anonymous(len: usize) -> Option<NonNull<u8>> {
    // SAFETY: an anonymous private mapping at an address of the kernel's choosing touches no
    // existing memory. Six arguments: this is the syscall6 path.
    let r = unsafe {
        syscall::syscall6(
            nr::__NR_mmap2,
            0,
            len,
            (PROT_READ | PROT_WRITE) as usize,
            (MAP_PRIVATE | MAP_ANONYMOUS) as usize,
            usize::MAX, // fd -1
            0,
        )
    };
    r.ok().and_then(|a| NonNull::new(a as *mut u8))
}

/// `munmap` of a region from [`map_anonymous`].
///
/// # Safety
/// `(p, len)` must be exactly a mapping made by `map_anonymous`, no longer in use.
pub unsafe fn unmap(p: *mut u8, len: usize) {
    // SAFETY: the caller owns the mapping.
    let _ = unsafe { syscall::syscall2(nr::__NR_munmap, p as usize, len) };
}

fn round_up(n: usize, to: usize) -> Option<usize> {
    Some(n.checked_add(to - 1)? & !(to - 1))
}

impl Arena {
    /// Grows the arena by at least `need` bytes. Returns false when brk cannot.
    fn grow(&mut self, need: usize) -> bool {
        if self.brk_failed {
            return false;
        }
        if self.brk == 0 {
            let start = sys_brk(0);
            let Some(start) = round_up(start, 16) else {
                return false;
            };
            if start == 0 {
                self.brk_failed = true;
                return false;
            }
            self.brk = start;
        }
        let Some(want) = need
            .checked_add(64)
            .and_then(|n| round_up(n.max(GROW_CHUNK), PAGE))
        else {
            return false;
        };
        let Some(new_end) = self.brk.checked_add(want) else {
            return false;
        };
        if sys_brk(new_end) != new_end {
            self.brk_failed = true;
            return false;
        }
        let old = self.brk;
        self.brk = new_end;
        if self.heap.size() == 0 {
            // SAFETY: [old, new_end) was just obtained from brk and is owned by us alone.
            unsafe { self.heap.init(old as *mut u8, want) };
        } else {
            // SAFETY: the arena is contiguous: its top is `old`, and brk just made [old,
            // new_end) ours.
            unsafe { self.heap.extend(want) };
        }
        true
    }
}

impl BrkHeap {
    /// An empty heap; memory is obtained on first use.
    pub const fn new() -> BrkHeap {
        BrkHeap {
            arena: spin::Mutex::new(Arena {
                heap: Heap::empty(),
                brk: 0,
                brk_failed: false,
                small: [None; CLASSES],
            }),
        }
    }

    /// Bytes currently handed out from the brk arena (not counting mmap'd blocks).
    pub fn arena_used(&self) -> usize {
        self.arena.lock().heap.used()
    }

    /// Size of the brk arena.
    pub fn arena_size(&self) -> usize {
        self.arena.lock().heap.size()
    }
}

impl Default for BrkHeap {
    fn default() -> Self {
        Self::new()
    }
}

fn is_big(layout: Layout) -> bool {
    layout.size() >= MMAP_THRESHOLD && layout.align() <= PAGE
}

/// The free-list index and block layout for a small request, or `None` for the rest.
fn small_class(layout: Layout) -> Option<(usize, Layout)> {
    let size = layout.size();
    if size > SMALL_MAX || layout.align() > SMALL_ALIGN {
        return None;
    }
    let (i, block) = if size <= FINE_MAX {
        let i = size.saturating_sub(1) / SMALL_ALIGN;
        (i, (i + 1) * SMALL_ALIGN)
    } else {
        let block = size.next_power_of_two();
        let i = FINE_CLASSES + (block.trailing_zeros() - FINE_MAX.trailing_zeros()) as usize - 1;
        (i, block)
    };
    let block = Layout::from_size_align(block, SMALL_ALIGN).ok()?;
    Some((i, block))
}

// SAFETY: blocks come either from the linked-list heap (which honours layout) or from
// page-aligned private mappings sized for the layout; dealloc sends each back where it came
// from, decided by the same `is_big(layout)` test.
unsafe impl GlobalAlloc for BrkHeap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if is_big(layout) {
            let Some(len) = round_up(layout.size(), PAGE) else {
                return ptr::null_mut();
            };
            return map_anonymous(len).map_or(ptr::null_mut(), |p| p.as_ptr());
        }
        let mut arena = self.arena.lock();
        let class = small_class(layout);
        let layout = match class {
            Some((i, block)) => {
                // `get_mut`, not `[i]`: `i < CLASSES` by construction, and this way no
                // bounds-check panic path is linked into every program that allocates.
                if let Some(slot) = arena.small.get_mut(i)
                    && let Some(b) = *slot
                {
                    // SAFETY: blocks on the list are free, ours, and hold a `FreeBlock`.
                    *slot = unsafe { b.as_ref().next };
                    return b.as_ptr().cast();
                }
                block
            }
            None => layout,
        };
        loop {
            if let Ok(p) = arena.heap.allocate_first_fit(layout) {
                return p.as_ptr();
            }
            if !arena.grow(layout.size().saturating_add(layout.align())) {
                break;
            }
        }
        drop(arena);
        // brk is exhausted or refused: a private mapping still satisfies small requests.
        if layout.align() <= PAGE
            && let Some(len) = round_up(layout.size().max(1), PAGE)
        {
            // Small blocks join their free list when freed; the others are leaked (rare: only
            // after brk failed).
            return map_anonymous(len).map_or(ptr::null_mut(), |p| p.as_ptr());
        }
        ptr::null_mut()
    }

    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        if is_big(layout) {
            if let Some(len) = round_up(layout.size(), PAGE) {
                // SAFETY: `alloc` mapped exactly this for a big layout.
                unsafe { unmap(p, len) };
            }
            return;
        }
        let mut arena = self.arena.lock();
        if let Some((i, _)) = small_class(layout)
            && let Some(slot) = arena.small.get_mut(i)
            && let Some(nn) = NonNull::new(p.cast::<FreeBlock>())
        {
            // SAFETY: `p` was allocated with a small layout, so it has room for (and the
            // alignment of) a `FreeBlock`, and the caller gives it up.
            unsafe { nn.write(FreeBlock { next: *slot }) };
            *slot = Some(nn);
            return;
        }
        let start = arena.heap.bottom() as usize;
        let end = start + arena.heap.size();
        let addr = p as usize;
        if addr >= start
            && addr < end
            && let Some(nn) = NonNull::new(p)
        {
            // SAFETY: `p` came from this heap with this layout.
            unsafe { arena.heap.deallocate(nn, layout) };
        }
    }
}

/// The process-wide allocator.
#[global_allocator]
pub static HEAP: BrkHeap = BrkHeap::new();

/// The allocation-error handler (`#[alloc_error_handler]`, unstable; see `src/lib.rs`):
/// like std, writes `memory allocation of N bytes failed` to stderr and aborts with
/// `SIGABRT`. It allocates nothing. Unlike std it then flushes what `print!` buffered
/// (unless the failure interrupted a `print!`), so no output is lost.
#[alloc_error_handler]
fn alloc_error(layout: Layout) -> ! {
    let _ = crate::io::stderr_format(format_args!(
        "memory allocation of {} bytes failed\n",
        layout.size()
    ));
    let _ = crate::io::try_flush_stdout();
    crate::exit::abort()
}

//! The global allocator: a front end of size classes with O(1) free lists (like a
//! tcache), over a back end that is [`linked_list_allocator`] owning the `brk` arena —
//! then, when `brk` cannot grow, 1 MiB `mmap2` chunks — and `mmap2` for large blocks.
//!
//! * **Front end.** Every request of up to [`SMALL_MAX`] = 64 KiB is rounded up to a *size
//!   class*: a multiple of 8 up to 256 bytes, then four classes per doubling — 320, 384,
//!   448, 512, 640, 768, 896, 1024, … 65536 (each step a quarter of the power of two
//!   below). A block never goes back to the back end: when freed it goes on the free list
//!   of its class (its first word links to the next), and the next request of that class
//!   takes it back. Both are O(1), whatever the number of blocks or the order of the
//!   frees. There is no header: the class follows from the `Layout` the caller passes to
//!   `dealloc`.
//! * **Back end: the brk arena.** A class with an empty list takes a fresh block from a
//!   [`linked_list_allocator::Heap`] that owns the program break's arena — all of it not
//!   yet handed to the front end: `allocate_first_fit(block bytes, align 8)`. When that
//!   is too small the arena grows (`brk(new_end)`; the kernel returns the new break, or
//!   the old one on failure), at least 64 KiB at a time, and since the arena is
//!   contiguous the `Heap` is set up anew (`Heap::new`) over its free tail plus the new
//!   bytes. (`Heap::extend` would do the same through the general free path, whose panic
//!   formatting costs over 1 KiB in every program.) Since blocks handed to the free lists
//!   never go back to the `Heap`, its hole list is always a single hole at the arena's
//!   tail (blocks and arena edges are multiples of 8, so no padding holes either): first
//!   fit takes the first hole and growing replaces it, so both are O(1) — the linked list
//!   never has a second node to walk.
//! * **Back end: mapped chunks.** Once `brk` fails — `ulimit -d`, or a mapping just above
//!   the break — it is not asked again: the `Heap`'s free tail is cut into blocks for the
//!   free lists, and fresh blocks come from 1 MiB anonymous mappings by bumping a pointer
//!   (the rest of each chunk is cut up the same way when the next one starts). (Without
//!   this, a page per small block: 4 GiB of address space gone after 100 MiB of 24-byte
//!   blocks.)
//! * Requests larger than 64 KiB ([`MMAP_THRESHOLD`] bytes or more, or less with the
//!   alignment padding below) get their own anonymous mapping and are `munmap`ped on free,
//!   so big buffers go back to the kernel. `dealloc`
//!   tells the two kinds apart by the layout's size, the same test `alloc` made, so it is
//!   right for every origin: arena, chunk or own mapping. `realloc` of a large block that
//!   stays large is one `mremap(MREMAP_MAYMOVE)`: the kernel moves the pages, no byte is
//!   copied, so a `Vec` doubling its way to 100 MB costs no copy (glibc does the same for
//!   its mmapped chunks).
//! * Alignment: class blocks are 8-aligned. A request for more (rare: `u128`, cache-line or
//!   page-aligned types) takes a block of `size + align` bytes and returns the first aligned
//!   address past one word; that word holds the block's start for `dealloc`. Large blocks
//!   are page-aligned; for more, the mapping is made `align` bytes longer and trimmed.
//! * Memory: with no header, a block costs exactly its class; rounding up to a class wastes
//!   at most 7 bytes up to 256 bytes and under 25 % above (e.g. 4097 bytes take 5120), and
//!   nothing for a power of two. The price of O(1) free: a freed block stays a block of its
//!   class, so memory freed in one class is not reused by another.
//! * When no memory is left, `alloc` returns null and Rust's allocation-error path runs
//!   `alloc_error` below: `memory allocation of N bytes failed` on stderr, then abort
//!   (`SIGABRT`), exactly as std does. (Without this handler a `no_std` program would
//!   *panic* instead: exit 101 with a `panicked at` message.)

use crate::mm::{self, MapFlags, ProtFlags};
use crate::raw;
use core::alloc::{GlobalAlloc, Layout};
use core::mem::size_of;
use core::ptr::{self, NonNull};
use linked_list_allocator::Heap;

/// The largest size class: requests (plus alignment padding) up to this come from the
/// arena, the rest get their own mapping.
pub const SMALL_MAX: usize = 64 * 1024;
/// Requests of at least this many bytes are served by their own `mmap2`.
pub const MMAP_THRESHOLD: usize = SMALL_MAX + 1;
/// The brk arena (the back end `Heap`) grows by at least this much at a time.
const GROW_CHUNK: usize = 64 * 1024;
/// Once brk has failed, regions are mappings of this size.
const MAP_CHUNK: usize = 1024 * 1024;
const PAGE: usize = 4096;
/// Every class block is aligned to this (and is a multiple of it).
const SMALL_ALIGN: usize = 8;
/// Up to this size the classes are every multiple of [`SMALL_ALIGN`].
const FINE_MAX: usize = 256;
const FINE_CLASSES: usize = FINE_MAX / SMALL_ALIGN;
/// Above [`FINE_MAX`], each doubling is split into this many classes.
const STEPS: usize = 4;
/// 32 fine classes (8, 16, … 256), then 4 per doubling from 320 to 65536: 64 in all.
const CLASSES: usize =
    FINE_CLASSES + STEPS * (SMALL_MAX.trailing_zeros() - FINE_MAX.trailing_zeros()) as usize;

/// A freed block: its first word links to the next free block of the same class.
struct FreeBlock {
    next: Option<NonNull<FreeBlock>>,
}

struct Arena {
    /// The back end while brk works: owns the part of the brk arena not yet cut into
    /// blocks, `[brk - heap.free(), brk)`, as its single hole. Empty (size 0) until the
    /// first growth.
    heap: Heap,
    /// The program break (the top of the brk arena and of `heap`); 0 until `heap` is
    /// initialized.
    brk: usize,
    /// brk refused once: fresh blocks come from mapped chunks from then on.
    brk_failed: bool,
    /// After brk failed, the current chunk's unused part `[bump, limit)`: fresh blocks are
    /// cut from its bottom.
    bump: usize,
    limit: usize,
    /// Bytes obtained from the kernel for class blocks (brk arena and chunks).
    size: usize,
    /// Bytes of class blocks handed out and not yet freed.
    used: usize,
    /// Free lists: `free[i]` holds blocks of `class_size(i)` bytes.
    free: [Option<NonNull<FreeBlock>>; CLASSES],
}

/// The allocator installed as `#[global_allocator]` by this crate.
pub struct BrkHeap {
    arena: crate::sync::Mutex<Arena>,
}

// SAFETY: all state (the free lists' and the `Heap`'s raw pointers included) is behind the
// lock (a futex mutex: threads that find it taken spin briefly, then sleep).
unsafe impl Sync for BrkHeap {}

fn sys_brk(addr: usize) -> usize {
    // SAFETY: the allocator owns the program break (see `mm::brk`); the kernel's brk
    // returns the (possibly unchanged) break.
    unsafe { raw::mm::brk(addr) }.unwrap_or(0)
}

/// `mmap2` of `len` fresh, private, anonymous, read-write bytes.
pub(crate) fn map_anonymous(len: usize) -> Option<NonNull<u8>> {
    mm::mmap_anonymous(len, ProtFlags::READ | ProtFlags::WRITE, MapFlags::PRIVATE).ok()
}

/// `munmap` of a region from [`map_anonymous`] (or a page-aligned part of one).
///
/// # Safety
/// `(p, len)` must lie within a mapping made by `map_anonymous`, no longer in use.
pub(crate) unsafe fn unmap(p: *mut u8, len: usize) {
    if let Some(p) = NonNull::new(p) {
        // SAFETY: the caller owns the mapping and no longer uses it.
        let _ = unsafe { mm::munmap(p, len) };
    }
}

fn round_up(n: usize, to: usize) -> Option<usize> {
    Some(n.checked_add(to - 1)? & !(to - 1))
}

/// The class of a block of at least `size` bytes: its free-list index and block size, or
/// `None` above [`SMALL_MAX`].
fn class_of(size: usize) -> Option<(usize, usize)> {
    if size <= FINE_MAX {
        let i = size.saturating_sub(1) / SMALL_ALIGN;
        return Some((i, (i + 1) * SMALL_ALIGN));
    }
    if size > SMALL_MAX {
        return None;
    }
    // s lies in [2^p, 2^(p+1)) with 8 ≤ p ≤ 15; the classes in (2^p, 2^(p+1)] are
    // 5, 6, 7, 8 steps of 2^(p-2), and q = s >> (p-2) (4 … 7) says which one rounds s+1 up.
    let s = size - 1;
    let p = (usize::BITS - 1 - s.leading_zeros()) as usize;
    let shift = p - 2;
    let q = s >> shift;
    let i = FINE_CLASSES + (p - FINE_MAX.trailing_zeros() as usize) * STEPS + (q - STEPS);
    Some((i, (q + 1) << shift))
}

/// The block size of class `i` (the inverse of [`class_of`]).
fn class_size(i: usize) -> usize {
    if i < FINE_CLASSES {
        return (i + 1) * SMALL_ALIGN;
    }
    let j = i - FINE_CLASSES;
    (j % STEPS + STEPS + 1) << (j / STEPS + FINE_MAX.trailing_zeros() as usize - 2)
}

/// The bytes a class block must hold for `layout` — the size, plus room to align and to
/// keep the block's start for an alignment above 8 — or `None` if it needs its own mapping.
fn class_bytes(layout: Layout) -> Option<usize> {
    let n = if layout.align() <= SMALL_ALIGN {
        layout.size()
    } else {
        layout.size().checked_add(layout.align())?
    };
    (n <= SMALL_MAX).then_some(n)
}

impl Arena {
    /// Puts the block at `addr` on free list `i`.
    ///
    /// # Safety
    /// `addr` is an unused block of `class_size(i)` bytes, 8-aligned, owned by the arena.
    unsafe fn push(&mut self, i: usize, addr: usize) {
        if let Some(slot) = self.free.get_mut(i)
            && let Some(b) = NonNull::new(addr as *mut FreeBlock)
        {
            // SAFETY: the block is ours, unused, aligned and large enough for a link.
            unsafe { b.write(FreeBlock { next: *slot }) };
            *slot = Some(b);
        }
    }

    /// A block of class `i` (`block` bytes): from its free list, else a fresh one.
    fn take(&mut self, i: usize, block: usize) -> Option<usize> {
        // `get_mut`, not `[i]`: `i < CLASSES` by construction, and this way no bounds-check
        // panic path is linked into every program that allocates.
        let addr = if let Some(slot) = self.free.get_mut(i)
            && let Some(b) = *slot
        {
            // SAFETY: blocks on the list are free, ours, and hold a `FreeBlock`.
            *slot = unsafe { b.as_ref().next };
            b.as_ptr() as usize
        } else {
            self.fresh(block)?
        };
        self.used += block;
        Some(addr)
    }

    /// A fresh block of `block` (≤ 64 KiB, a multiple of 8) bytes, 8-aligned: first fit
    /// from the brk arena's `Heap` (its single tail hole: O(1)), growing the arena when the
    /// hole is too small; once brk has failed, bumped from the current mapped chunk.
    fn fresh(&mut self, block: usize) -> Option<usize> {
        if !self.brk_failed {
            let layout = Layout::from_size_align(block, SMALL_ALIGN).ok()?;
            // (`brk` is 0 while the heap is empty, uninitialized: grow it first.)
            if ((self.brk != 0 && self.heap.free() >= block) || self.grow_brk(block))
                && let Ok(p) = self.heap.allocate_first_fit(layout)
            {
                return Some(p.as_ptr() as usize);
            }
            // brk refused (or, which cannot happen, the grown heap had no room): leave the
            // arena for good, its free tail cut into blocks.
            self.brk_failed = true;
            if self.brk != 0 {
                self.retire_heap();
            }
        }
        if self.limit - self.bump < block {
            self.retire();
            let len = block.max(MAP_CHUNK);
            let p = map_anonymous(len)?;
            self.size += len;
            self.bump = p.as_ptr() as usize;
            self.limit = self.bump + len;
        }
        self.bump += block;
        Some(self.bump - block)
    }

    /// Grows the brk arena so that the `Heap` has at least `need` (≤ 64 KiB) free bytes:
    /// by at least [`GROW_CHUNK`], to a page boundary. False when the kernel refuses.
    ///
    /// The `Heap` is then made anew over its old free tail plus the new bytes — one
    /// contiguous range ending at the new break — rather than `Heap::extend`ed: `extend`
    /// frees the new bytes through the general `deallocate` path, whose `Bad free?` panic
    /// formatting alone costs over 1 KiB in every program that allocates (the println!
    /// hello's 8 KiB budget), and with a single hole the result is the same.
    fn grow_brk(&mut self, need: usize) -> bool {
        // `start`: the break now; `tail`: where the heap's free bytes begin (they run to
        // the break: its single hole is the arena's tail); `lack`: what they lack.
        let (start, tail, lack) = if self.brk == 0 {
            let start = sys_brk(0);
            let Some(bottom) = round_up(start, SMALL_ALIGN) else {
                return false;
            };
            (start, bottom, need)
        } else {
            let free = self.heap.free();
            (self.brk, self.brk - free, need.saturating_sub(free))
        };
        let Some(new_end) = start
            .max(tail)
            .checked_add(lack.max(GROW_CHUNK))
            .and_then(|e| round_up(e, PAGE))
        else {
            return false;
        };
        if start == 0 || sys_brk(new_end) != new_end {
            return false;
        }
        // SAFETY: [tail, start) is the old heap's free tail — no block handed out lies there,
        // and the old `Heap`, replaced here, has nothing else free — and [start, new_end) is
        // fresh memory the kernel just added below the break. Neither is used by anything
        // else or ever given back (the break only grows), so the range is valid for
        // 'static. It is 8-aligned, a multiple of 8 long, and 64 KiB or more.
        self.heap = unsafe { Heap::new(tail as *mut u8, new_end - tail) };
        self.size += new_end - start;
        self.brk = new_end;
        true
    }

    /// Hands the `Heap`'s free tail (`[top - free, top)`, its single hole) to the free lists
    /// as blocks: it is taken from the `Heap` as one allocation, then cut like a chunk's
    /// rest by [`Arena::retire`].
    fn retire_heap(&mut self) {
        let rest = self.heap.free();
        if rest >= SMALL_ALIGN
            && let Ok(layout) = Layout::from_size_align(rest, SMALL_ALIGN)
            && let Ok(p) = self.heap.allocate_first_fit(layout)
        {
            self.bump = p.as_ptr() as usize;
            self.limit = self.bump + rest;
            self.retire();
        }
    }

    /// Cuts what is left of `[bump, limit)` into the largest blocks that fit and puts them
    /// on their free lists, so leaving a region wastes nothing.
    fn retire(&mut self) {
        // The region's size is a multiple of 8, and so is every class below 256: this
        // ends with nothing left.
        while self.limit - self.bump >= SMALL_ALIGN {
            let rest = self.limit - self.bump;
            let Some((mut i, mut block)) = class_of(rest.min(SMALL_MAX)) else {
                return;
            };
            if block > rest {
                // The class above `rest` (never a fine one: those are exact): one below.
                i -= 1;
                block = class_size(i);
            }
            // SAFETY: [bump, bump + block) is unused region memory, 8-aligned.
            unsafe { self.push(i, self.bump) };
            self.bump += block;
        }
    }
}

impl BrkHeap {
    /// An empty heap; memory is obtained on first use.
    pub const fn new() -> BrkHeap {
        BrkHeap {
            arena: crate::sync::Mutex::new(Arena {
                heap: Heap::empty(),
                brk: 0,
                brk_failed: false,
                bump: 0,
                limit: 0,
                size: 0,
                used: 0,
                free: [None; CLASSES],
            }),
        }
    }

    /// Bytes of class blocks (requests up to 64 KiB, rounded up to their class) currently
    /// handed out; mapped large blocks are not counted.
    pub fn arena_used(&self) -> usize {
        self.arena.lock().used
    }

    /// Bytes obtained from the kernel for class blocks: the brk arena plus, after brk
    /// failed, the mapped chunks. Nothing is given back, so this is also the peak.
    pub fn arena_size(&self) -> usize {
        self.arena.lock().size
    }
}

impl Default for BrkHeap {
    fn default() -> Self {
        Self::new()
    }
}

/// The page-rounded length of a large block's own mapping.
fn big_len(layout: Layout) -> Option<usize> {
    round_up(layout.size(), PAGE)
}

// SAFETY: a class block has at least `class_bytes(layout)` bytes, 8-aligned, and more
// alignment is made inside it; a large block is a fresh mapping of the page-rounded size,
// aligned as asked. Blocks are never shared: a block is on a free list, or in the `Heap`'s
// free tail or a chunk's part past `bump`, or handed out — exactly one. `dealloc` applies the same `class_bytes` test
// as `alloc`, so each block goes back where it came from.
unsafe impl GlobalAlloc for BrkHeap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let align = layout.align();
        let Some(n) = class_bytes(layout) else {
            let Some(len) = big_len(layout) else {
                return ptr::null_mut();
            };
            if align <= PAGE {
                return map_anonymous(len).map_or(ptr::null_mut(), |p| p.as_ptr());
            }
            // Map `align` bytes more, then unmap the ends so that what remains starts aligned.
            let Some(p) = len.checked_add(align).and_then(map_anonymous) else {
                return ptr::null_mut();
            };
            let start = p.as_ptr() as usize;
            let head = start.wrapping_neg() & (align - 1);
            // SAFETY: both ends are page-aligned parts of the fresh mapping, outside
            // [start + head, start + head + len), the block returned.
            unsafe {
                unmap(p.as_ptr(), head);
                unmap(p.as_ptr().wrapping_add(head + len), align - head);
            }
            return p.as_ptr().wrapping_add(head);
        };
        let Some((i, block)) = class_of(n) else {
            return ptr::null_mut();
        };
        let Some(addr) = self.arena.lock().take(i, block) else {
            return ptr::null_mut();
        };
        if align <= SMALL_ALIGN {
            return addr as *mut u8;
        }
        // The first aligned address with a word free below it; at most `align` bytes in,
        // since both are multiples of 8 and `align` ≥ 16.
        let user = (addr + size_of::<usize>() + align - 1) & !(align - 1);
        // SAFETY: the word below `user` lies in the block (user ≥ addr + one word) and is
        // word-aligned.
        unsafe { (user as *mut usize).sub(1).write(addr) };
        user as *mut u8
    }

    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        let Some(n) = class_bytes(layout) else {
            if let Some(len) = big_len(layout) {
                // SAFETY: `alloc` mapped exactly `len` bytes at `p` for this layout.
                unsafe { unmap(p, len) };
            }
            return;
        };
        let addr = if layout.align() <= SMALL_ALIGN {
            p as usize
        } else {
            // SAFETY: `alloc` stored the block's start in the word below `p`.
            unsafe { (p as *const usize).sub(1).read() }
        };
        if let Some((i, block)) = class_of(n) {
            let mut arena = self.arena.lock();
            arena.used -= block;
            // SAFETY: the block came from `take(i, …)` and the caller gives it up.
            unsafe { arena.push(i, addr) };
        }
    }

    /// A large block (its own mapping) that stays large is resized by `mremap`, which moves
    /// the pages instead of copying the bytes: a `Vec` doubling to 128 MB copies nothing.
    /// Everything else is `alloc`, copy, `dealloc`, as `GlobalAlloc`'s default.
    unsafe fn realloc(&self, p: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's contract: `new_size` is non-zero and, rounded up to
        // `layout.align()`, does not overflow `isize`.
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        let both_big = class_bytes(layout).is_none() && class_bytes(new_layout).is_none();
        if let (true, true, Some(old_len), Some(new_len), Some(block)) = (
            both_big,
            layout.align() <= PAGE,
            big_len(layout),
            big_len(new_layout),
            NonNull::new(p),
        ) {
            if old_len == new_len {
                return p;
            }
            // SAFETY: `alloc` mapped exactly `old_len` bytes at `p` for `layout`; the caller
            // gives the block up, and the new mapping holds its bytes (up to the shorter
            // length) at the address returned.
            return unsafe { mm::mremap(block, old_len, new_len, mm::MremapFlags::MAYMOVE) }
                .map_or(ptr::null_mut(), |q| q.as_ptr());
        }
        // SAFETY: as `GlobalAlloc::realloc`'s default: a fresh block, the shorter length
        // copied, the old block given back.
        unsafe {
            let q = self.alloc(new_layout);
            if !q.is_null() {
                ptr::copy_nonoverlapping(p, q, layout.size().min(new_size));
                self.dealloc(p, layout);
            }
            q
        }
    }
}

/// Runs `f` with the allocator locked: `crate::process::fork` forks inside it, so that no
/// other thread is halfway through the free lists when the child's copy is taken (the
/// child, whose only thread is the one that forked, then unlocks its copy).
pub(crate) fn while_locked<R>(f: impl FnOnce() -> R) -> R {
    let _arena = HEAP.arena.lock();
    f()
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

//! Threads, shaped like `std::thread`: [`spawn`], [`Builder`], [`JoinHandle::join`],
//! [`current`], [`park`]/[`Thread::unpark`], [`yield_now`], [`sleep`].
//!
//! # What a thread is made of
//!
//! One anonymous mapping (`mmap2`) per thread:
//!
//! ```text
//!   low                                                                  high
//!   | guard page (PROT_NONE) | stack, growing down ...  | TLS block | TCB |
//!                                                  ^ esp at start   ^ tp = %gs base
//! ```
//!
//! A stack overflow runs into the guard page and dies with `SIGSEGV` instead of silently
//! writing over someone else's memory. The TLS block and thread control block are those of
//! [`crate::tls`]; the new thread gets them through `CLONE_SETTLS`.
//!
//! # `clone`
//!
//! [`Builder::spawn`] calls `clone` (through the trampoline in `clone.rs`, with `int $0x80`)
//! with the flags glibc's `pthread_create` uses: `CLONE_VM | CLONE_FS | CLONE_FILES |
//! CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM` (share memory, cwd/umask, descriptors,
//! signal handlers, thread group, SysV semaphore undo), `CLONE_SETTLS` (the new thread's
//! `%gs` descriptor: a `user_desc` for the parent's GDT slot with the new TCB as base),
//! `CLONE_PARENT_SETTID` (the kernel writes the new tid into the TCB's tid word before
//! `clone` returns) and `CLONE_CHILD_CLEARTID` (when the thread exits, the kernel writes 0
//! there and does a `FUTEX_WAKE` on it).
//!
//! # Join, and who frees the stack
//!
//! A thread cannot unmap the stack it runs on. [`JoinHandle::join`] sleeps in `FUTEX_WAIT`
//! on the tid word until the kernel has cleared it — the thread is then gone for good —
//! takes the value the closure returned, and gives the whole mapping back: to a cache of up
//! to 8 mappings that the next spawns of the same size reuse (as glibc caches stacks; the
//! TLS block and TCB are rewritten), else to the kernel (`munmap`);
//! [`trim_stack_cache`] empties the cache. A dropped (detached)
//! handle puts the mapping on a list instead; the next [`Builder::spawn`] (or
//! [`reap_detached`]) unmaps every entry whose tid word is 0. The wait uses a *shared*
//! futex (no `FUTEX_PRIVATE_FLAG`): the kernel's clear-tid wake is a shared one.
//!
//! # Panics
//!
//! `panic = "abort"`: a panic in a spawned thread prints
//! `thread 'NAME' panicked at FILE:LINE:COL:` and the message on stderr, then aborts the
//! whole process (`SIGABRT`) — there is no unwinding to carry it to `join`, so `join`
//! returns the closure's value directly rather than a `Result`.
//!
//! # Exit
//!
//! [`crate::exit::exit`] from any thread — or `main` returning — runs the exit hooks once,
//! flushes stdout and calls `exit_group`, which ends every thread. A second thread that calls
//! `exit` meanwhile sleeps until `exit_group` ends it.

pub mod capi;
mod clone;

use crate::errno::Errno;
use crate::id::Pid;
use crate::signal::Signal;
use crate::sync::{Mutex, futex};
use crate::tls::{self, TCB_SIZE, Tcb};
use alloc::boxed::Box;
use alloc::string::String;
use alloc::sync::Arc;
use core::cell::UnsafeCell;
use core::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use core::time::Duration;
use linux_raw_sys::general as g;

/// The stack a thread gets when [`Builder::stack_size`] is not given: 2 MiB, std's default.
pub const DEFAULT_STACK_SIZE: usize = 2 * 1024 * 1024;
/// The smallest stack: a request below it is rounded up to it. 16 KiB, glibc's
/// `PTHREAD_STACK_MIN` on i386. Sizes are also rounded up to whole pages.
pub const MIN_STACK_SIZE: usize = 16 * 1024;
const PAGE: usize = 4096;

/// The `clone` flags of a thread (glibc's `pthread_create` set; see the module docs).
pub const CLONE_FLAGS: u32 = g::CLONE_VM
    | g::CLONE_FS
    | g::CLONE_FILES
    | g::CLONE_SIGHAND
    | g::CLONE_THREAD
    | g::CLONE_SYSVSEM
    | g::CLONE_SETTLS
    | g::CLONE_PARENT_SETTID
    | g::CLONE_CHILD_CLEARTID;

/// A thread's identity, unique for the life of the process (never reused, unlike tids).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ThreadId(u64);

impl ThreadId {
    /// The number behind the id (1 is the main thread).
    pub fn as_u64(self) -> u64 {
        self.0
    }
}

static NEXT_ID: AtomicU32 = AtomicU32::new(2);

struct Inner {
    id: ThreadId,
    name: Option<String>,
    /// The kernel's thread id.
    tid: AtomicU32,
    /// Parking: 0 empty, 1 notified, `u32::MAX` parked (a futex word).
    park: AtomicU32,
}

/// A handle to a thread: its name, ids, and [`Thread::unpark`].
#[derive(Clone)]
pub struct Thread {
    inner: Arc<Inner>,
}

impl core::fmt::Debug for Thread {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Thread")
            .field("id", &self.id())
            .field("name", &self.name())
            .field("tid", &self.tid())
            .finish()
    }
}

impl Thread {
    fn new(name: Option<String>, id: ThreadId, tid: u32) -> Thread {
        Thread {
            inner: Arc::new(Inner {
                id,
                name,
                tid: AtomicU32::new(tid),
                park: AtomicU32::new(0),
            }),
        }
    }

    /// The thread's [`ThreadId`].
    pub fn id(&self) -> ThreadId {
        self.inner.id
    }

    /// Its name: `"main"` for the main thread, the [`Builder::name`] for others.
    pub fn name(&self) -> Option<&str> {
        self.inner.name.as_deref()
    }

    /// The kernel's thread id (`gettid()` in that thread; the pid for the main thread).
    pub fn tid(&self) -> Pid {
        Pid::from_kernel(self.inner.tid.load(Ordering::Relaxed) as usize)
    }

    /// Wakes the thread if it is [`park`]ed, or makes its next `park` return at once.
    pub fn unpark(&self) {
        if self.inner.park.swap(1, Ordering::Release) == u32::MAX {
            futex::wake(&self.inner.park, 1);
        }
    }
}

/// The calling thread. In the main thread of a program that has no thread-locals and has
/// not spawned yet, this sets up its TLS first (one `set_thread_area`).
pub fn current() -> Thread {
    if tls::ensure_main().is_err() {
        crate::exit::abort();
    }
    let tcb = tls::tcb();
    let mut p = tcb.thread.load(Ordering::Acquire);
    if p == 0 {
        // Only the main thread's TCB starts without a handle; only it gets here.
        let me = Thread::new(Some(String::from("main")), ThreadId(1), tid_u32());
        p = Arc::into_raw(me.inner) as usize;
        tcb.thread.store(p, Ordering::Release);
    }
    // SAFETY: the TCB owns one count of this Arc for the thread's life; add ours.
    unsafe {
        Arc::increment_strong_count(p as *const Inner);
        Thread {
            inner: Arc::from_raw(p as *const Inner),
        }
    }
}

pub use crate::id::gettid;

/// The calling thread's id as the futex words and the kernel's clear-tid word hold it.
fn tid_u32() -> u32 {
    gettid().as_raw() as u32
}

/// Gives up the processor (`sched_yield`).
pub fn yield_now() {
    crate::process::sched_yield()
}

/// Sleeps at least `d` ([`crate::time::sleep`]).
pub fn sleep(d: Duration) {
    crate::time::sleep(d)
}

/// Blocks until [`Thread::unpark`] is called for this thread (or returns at once if it
/// was called since the last `park`). May return spuriously, as std's.
pub fn park() {
    park_inner(None)
}

/// [`park`] for at most `d`.
pub fn park_timeout(d: Duration) {
    park_inner(Some(d))
}

fn park_inner(timeout: Option<Duration>) {
    let me = current();
    let state = &me.inner.park;
    // 1 (notified) → 0: consume the token and return; 0 → u32::MAX: parked.
    if state.fetch_sub(1, Ordering::Acquire) == 1 {
        return;
    }
    futex::wait(state, u32::MAX, timeout);
    // Notified (1) or not (still u32::MAX, timed out or spurious): back to empty.
    state.swap(0, Ordering::Acquire);
}

/// Sends `sig` to one thread of this process (`tgkill(getpid(), tid, sig)`).
pub fn kill(tid: Pid, sig: Signal) -> Result<(), Errno> {
    crate::process::tgkill(crate::process::getpid(), tid, sig)
}

/// Sets the calling thread's name as the kernel shows it (`/proc/self/task/TID/comm`,
/// `ps -L`): `prctl(PR_SET_NAME)`, at most 15 bytes (longer names are cut).
pub fn set_os_name(name: &str) -> Result<(), Errno> {
    let mut buf = [0u8; 16];
    let n = name.len().min(15);
    buf[..n].copy_from_slice(&name.as_bytes()[..n]);
    // The buffer is zeroed past `n`, so it holds a NUL-terminated string.
    match core::ffi::CStr::from_bytes_until_nul(&buf) {
        Ok(c) => crate::process::set_name(c),
        Err(_) => Err(Errno::EINVAL),
    }
}

/// Starts a thread running `f`, as `std::thread::spawn`; panics (status 101, `failed to
/// spawn thread: …`) if the system refuses. Use [`Builder::spawn`] to get the error instead.
pub fn spawn<F, T>(f: F) -> JoinHandle<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    match Builder::new().spawn(f) {
        Ok(h) => h,
        Err(e) => panic!("failed to spawn thread: {}", e),
    }
}

/// Thread options, as std's `thread::Builder`: a name and a stack size.
#[derive(Default, Debug)]
pub struct Builder {
    name: Option<String>,
    stack_size: Option<usize>,
}

/// What the closure returns, from the thread to [`JoinHandle::join`].
struct Packet<T> {
    result: UnsafeCell<Option<T>>,
}

// SAFETY: written once by the thread before it exits, read by the joiner after the kernel
// cleared the tid word (the thread is gone): never at the same time.
unsafe impl<T: Send> Sync for Packet<T> {}

struct Start<F, T> {
    f: F,
    packet: Arc<Packet<T>>,
    thread: Thread,
}

/// An owned permission to join a thread; dropping it detaches the thread. `join` takes
/// `self`, so a thread cannot be joined twice.
pub struct JoinHandle<T> {
    tcb: *mut Tcb,
    packet: Arc<Packet<T>>,
    thread: Thread,
    /// [`FORKS`] when the thread was started: a handle copied into a `fork` child names a
    /// thread of the parent, which the child does not have.
    forks: u32,
}

/// How many `fork`s this process descends from since threads were enabled (each child
/// counts one more than its parent did at the fork).
static FORKS: AtomicU32 = AtomicU32::new(0);

// SAFETY: the handle only reads the TCB's tid word (atomic) and unmaps after the thread ended.
unsafe impl<T: Send> Send for JoinHandle<T> {}
// SAFETY: as above; `&JoinHandle` only reads.
unsafe impl<T: Send> Sync for JoinHandle<T> {}

impl Builder {
    /// Default options: no name, [`DEFAULT_STACK_SIZE`].
    pub fn new() -> Builder {
        Builder::default()
    }

    /// Names the thread: [`Thread::name`], panic messages, and (its first 15 bytes) the
    /// kernel's `comm` through `prctl(PR_SET_NAME)`.
    pub fn name(mut self, name: String) -> Builder {
        self.name = Some(name);
        self
    }

    /// The stack size in bytes, rounded up to [`MIN_STACK_SIZE`] and to whole pages. The
    /// guard page, TLS block and TCB come on top.
    pub fn stack_size(mut self, size: usize) -> Builder {
        self.stack_size = Some(size);
        self
    }

    /// Starts a thread running `f`. Fails, without side effects, if the mapping or `clone`
    /// fails (`ENOMEM` under `ulimit -v`, `EAGAIN` at `RLIMIT_NPROC`).
    pub fn spawn<F, T>(self, f: F) -> Result<JoinHandle<T>, Errno>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        tls::ensure_main()?;
        install_hooks();
        reap_detached();
        let t = tls::template();
        let stack = self
            .stack_size
            .unwrap_or(DEFAULT_STACK_SIZE)
            .max(MIN_STACK_SIZE)
            .checked_add(PAGE - 1)
            .ok_or(Errno::ENOMEM)?
            & !(PAGE - 1);
        let top = t.block_len() + TCB_SIZE + t.tp_align();
        let len = (PAGE + stack)
            .checked_add(top + PAGE - 1)
            .ok_or(Errno::ENOMEM)?
            & !(PAGE - 1);
        let base = match take_cached(len) {
            Some(base) => base,
            None => map_stack(len)?,
        };
        let tp = (base + len - TCB_SIZE) & !(t.tp_align() - 1);
        // SAFETY: [tp - block_len, tp + TCB_SIZE) lies in the fresh mapping above the stack.
        unsafe { t.write_block(tp) };
        let tcb = tp as *mut Tcb;
        let id = ThreadId(NEXT_ID.fetch_add(1, Ordering::Relaxed) as u64);
        let thread = Thread::new(self.name, id, 0);
        let packet = Arc::new(Packet {
            result: UnsafeCell::new(None),
        });
        // SAFETY: the TCB is ours until clone; it takes one count of the handle.
        unsafe {
            (*tcb).map_base = base;
            (*tcb).map_len = len;
            (*tcb).multiple_threads = 1;
            (*tcb).thread.store(
                Arc::into_raw(thread.inner.clone()) as usize,
                Ordering::Relaxed,
            );
        }
        let start = Box::into_raw(Box::new(Start {
            f,
            packet: packet.clone(),
            thread: thread.clone(),
        }));
        // The first 16-aligned address below the block, less 16 bytes: [esp] is the entry's
        // argument, and esp stays 16-aligned at its call as the i386 ABI wants.
        let sp = ((tp - t.block_len()) & !15) - 16;
        let mut desc = tls::descriptor(tls::gdt_entry(), tp);
        // SAFETY: tid words in the new TCB; `desc` lives across the call; `sp` is in the
        // mapping; `start` is handed to the entry, which owns it from then on.
        let r = unsafe {
            let tid = (*tcb).tid.as_ptr();
            clone::linux_gate_clone(
                CLONE_FLAGS,
                sp,
                tid,
                &mut desc,
                tid,
                entry::<F, T>,
                start as *mut u8,
            )
        };
        #[cfg(feature = "trace")]
        crate::syscall::report(
            linux_raw_sys::general::__NR_clone,
            &[
                CLONE_FLAGS as usize,
                sp,
                tid_word(tcb),
                &desc as *const _ as usize,
                tid_word(tcb),
            ],
            crate::syscall::decode(r as usize),
        );
        if r < 0 {
            // SAFETY: no thread was made: the start data, handle count and mapping are
            // still ours.
            unsafe {
                drop(Box::from_raw(start));
                drop(Arc::from_raw(
                    (*tcb).thread.load(Ordering::Relaxed) as *const Inner
                ));
                let _ = crate::raw::mm::munmap(base, len);
            }
            return Err(Errno::from_raw((-r) as u16));
        }
        thread.inner.tid.store(r as u32, Ordering::Relaxed);
        Ok(JoinHandle {
            tcb,
            packet,
            thread,
            forks: FORKS.load(Ordering::Relaxed),
        })
    }
}

/// Where a new thread starts (called by the trampoline on its own stack, `%gs` already
/// pointing at its TCB): names itself, runs the closure, leaves the value, ends with `exit`.
unsafe extern "C" fn entry<F, T>(arg: *mut u8) -> !
where
    F: FnOnce() -> T,
{
    // SAFETY: `arg` is the Box made by spawn for us. Moved out of and freed in this
    // statement: this function never reaches its end, where a named Box would be freed.
    let Start { f, packet, thread } = *unsafe { Box::from_raw(arg as *mut Start<F, T>) };
    // The kernel wrote our tid (CLONE_PARENT_SETTID) before we ran.
    thread
        .inner
        .tid
        .store(tls::tcb().tid.load(Ordering::Relaxed), Ordering::Relaxed);
    if let Some(name) = thread.name() {
        let _ = set_os_name(name);
    }
    drop(thread);
    let value = f();
    // SAFETY: only this thread writes the packet, and only the joiner reads it, after we exit.
    unsafe { *packet.result.get() = Some(value) };
    drop(packet);
    loop {
        // SAFETY: ends this thread only; the kernel then clears the tid word and wakes the joiner.
        let _ = unsafe { crate::raw::process::exit(0) };
    }
}

impl<T> JoinHandle<T> {
    /// The thread's handle.
    pub fn thread(&self) -> &Thread {
        &self.thread
    }

    /// Whether the thread has ended (the kernel has cleared its tid word).
    pub fn is_finished(&self) -> bool {
        // SAFETY: the mapping stays until join or reap.
        unsafe { (*self.tcb).tid.load(Ordering::Acquire) == 0 }
    }

    /// Waits for the thread to end and returns what its closure returned. Its stack, TLS
    /// block and TCB are unmapped before this returns.
    ///
    /// # Panics
    /// In a `fork` child, for a handle of a thread the parent started: only the forking
    /// thread exists in the child, so the thread would never end (`pthread_join` waits for
    /// ever there).
    pub fn join(self) -> T {
        if self.forks != FORKS.load(Ordering::Relaxed) {
            panic!("join: this thread belongs to the parent of this fork child");
        }
        // SAFETY: the mapping stays until we unmap it below.
        let tid = unsafe { &(*self.tcb).tid };
        wait_exited(tid);
        // SAFETY: the thread is gone (tid cleared): the packet is ours alone, the mapping
        // unused.
        let value = unsafe { (*self.packet.result.get()).take() };
        let this = core::mem::ManuallyDrop::new(self);
        // SAFETY: fields of a ManuallyDrop'd self, each read once.
        unsafe {
            drop(core::ptr::read(&this.packet));
            drop(core::ptr::read(&this.thread));
            release(this.tcb);
        }
        match value {
            Some(v) => v,
            // The closure always stores its value before the thread exits (a panic aborts).
            None => abort_from_thread(),
        }
    }
}

impl<T> Drop for JoinHandle<T> {
    /// Detaches: the mapping goes on the list [`reap_detached`] frees once the thread ends.
    fn drop(&mut self) {
        let mut head = DETACHED.lock();
        // SAFETY: the mapping stays until reaped; next_dead is only touched under DETACHED.
        unsafe { (*self.tcb).next_dead = *head };
        *head = self.tcb as usize;
    }
}

/// Sleeps until the kernel has written 0 to `tid` (`CLONE_CHILD_CLEARTID`).
fn wait_exited(tid: &AtomicU32) {
    loop {
        let t = tid.load(Ordering::Acquire);
        if t == 0 {
            return;
        }
        futex::wait_shared(tid, t);
    }
}

/// A fresh mapping of `len` bytes for a thread, its lowest page `PROT_NONE`: the guard.
fn map_stack(len: usize) -> Result<usize, Errno> {
    // SAFETY: a fresh anonymous mapping; nothing else refers to it.
    let base = unsafe {
        crate::raw::mm::mmap2(
            0,
            len,
            g::PROT_READ | g::PROT_WRITE,
            g::MAP_PRIVATE | g::MAP_ANONYMOUS | g::MAP_STACK,
            -1,
            0,
        )?
    };
    // SAFETY: the lowest page of our own mapping becomes the guard.
    if let Err(e) = unsafe { crate::raw::mm::mprotect(base, PAGE, g::PROT_NONE) } {
        // SAFETY: our mapping, unused.
        let _ = unsafe { crate::raw::mm::munmap(base, len) };
        return Err(e);
    }
    Ok(base)
}

/// How many ended threads' mappings are kept for reuse, as glibc keeps a stack cache:
/// spawn + join then costs no `mmap2`/`mprotect`/`munmap` and no fresh page faults.
const STACK_CACHE: usize = 8;

/// Mappings of ended threads, ready for reuse: a list through their TCBs' `next_dead`, and
/// its length.
static CACHE: Mutex<(usize, usize)> = Mutex::new((0, 0));

/// A cached mapping of exactly `len` bytes (its guard page in place), if there is one.
fn take_cached(len: usize) -> Option<usize> {
    let mut cache = CACHE.lock();
    let (head, count) = &mut *cache;
    let mut link: *mut usize = head;
    // SAFETY: every entry is an unused mapping owned by the cache, walked under its lock.
    unsafe {
        while *link != 0 {
            let tcb = *link as *mut Tcb;
            if (*tcb).map_len == len {
                *link = (*tcb).next_dead;
                *count -= 1;
                return Some((*tcb).map_base);
            }
            link = &mut (*tcb).next_dead;
        }
    }
    None
}

/// Unmaps every cached stack (the cache refills as threads end). Returns how many.
pub fn trim_stack_cache() -> usize {
    let mut cache = CACHE.lock();
    let mut n = 0;
    // SAFETY: the entries are unused mappings owned by the cache.
    unsafe {
        while cache.0 != 0 {
            let tcb = cache.0 as *mut Tcb;
            cache.0 = (*tcb).next_dead;
            let _ = crate::raw::mm::munmap((*tcb).map_base, (*tcb).map_len);
            n += 1;
        }
    }
    cache.1 = 0;
    n
}

/// Frees an ended thread's TCB handle count and its mapping — into the cache while it has
/// room, else back to the kernel.
///
/// # Safety
/// The thread has exited (tid word 0) and nobody uses the mapping.
unsafe fn release(tcb: *mut Tcb) {
    // SAFETY: the caller's contract.
    unsafe {
        let handle = (*tcb).thread.load(Ordering::Relaxed);
        if handle != 0 {
            (*tcb).thread.store(0, Ordering::Relaxed);
            drop(Arc::from_raw(handle as *const Inner));
        }
        let mut cache = CACHE.lock();
        if cache.1 < STACK_CACHE {
            (*tcb).next_dead = cache.0;
            cache.0 = tcb as usize;
            cache.1 += 1;
            return;
        }
        drop(cache);
        let _ = crate::raw::mm::munmap((*tcb).map_base, (*tcb).map_len);
    }
}

/// Finished-or-running detached threads: a list through their TCBs' `next_dead`.
static DETACHED: Mutex<usize> = Mutex::new(0);

/// Unmaps the stacks of detached threads that have ended. [`Builder::spawn`] calls it;
/// returns how many were freed.
pub fn reap_detached() -> usize {
    let mut head = DETACHED.lock();
    let mut freed = 0;
    let mut link: *mut usize = &mut *head;
    // SAFETY: every entry is a mapping of a detached thread, kept until freed here, and the
    // list is only walked under the lock.
    unsafe {
        while *link != 0 {
            let tcb = *link as *mut Tcb;
            if (*tcb).tid.load(Ordering::Acquire) == 0 {
                *link = (*tcb).next_dead;
                release(tcb);
                freed += 1;
            } else {
                link = &mut (*tcb).next_dead;
            }
        }
    }
    freed
}

static HOOKS: AtomicUsize = AtomicUsize::new(0);

/// Once threads exist: locks sleep in the kernel when contended; the panic handler names
/// the thread; `exit` lets one thread through.
fn install_hooks() {
    if HOOKS.swap(1, Ordering::Relaxed) == 0 {
        crate::sync::mutex::enable_futex();
        crate::panic::set_thread_hook(panic_in_thread);
        crate::exit::set_exit_guard(exit_guard);
        crate::process::set_after_fork(after_fork);
        crate::exit::set_abort_hook(abort_from_thread);
    }
}

/// In a `fork` child: only the forking thread exists, with a new tid; its handle says so.
/// Handles of the other threads name threads that do not exist here: counting the fork
/// makes [`JoinHandle::join`] on one panic instead of waiting for ever.
fn after_fork() {
    FORKS.fetch_add(1, Ordering::Relaxed);
    let tcb = tls::tcb();
    let handle = tcb.thread.load(Ordering::Relaxed);
    if handle != 0 {
        // SAFETY: the TCB holds a count of its handle for the thread's life.
        unsafe {
            (*(handle as *const Inner))
                .tid
                .store(tid_u32(), Ordering::Relaxed)
        };
    }
}

/// The panic handler's first step once threads exist: a spawned thread prints
/// `thread 'NAME' panicked at …` and aborts the process; the main thread returns to the
/// usual message and status 101.
fn panic_in_thread(info: &core::panic::PanicInfo<'_>) {
    let tcb = tls::tcb();
    if tcb.map_base == 0 {
        return;
    }
    let handle = tcb.thread.load(Ordering::Relaxed);
    // SAFETY: a spawned thread's TCB holds a count of its handle for its whole life.
    let name = unsafe { (*(handle as *const Inner)).name.as_deref() }.unwrap_or("<unnamed>");
    let _ = crate::io::try_flush_stdout();
    let (file, line, col) = match info.location() {
        Some(l) => (l.file(), l.line(), l.column()),
        None => ("<unknown>", 0, 0),
    };
    let _ = crate::io::stderr_format(format_args!(
        "thread '{}' panicked at {}:{}:{}:\n{}\n",
        name,
        file,
        line,
        col,
        info.message()
    ));
    abort_from_thread()
}

/// `abort` for a spawned thread: SIGABRT back to its default action and unblocked, then
/// sent to *this thread* with `tgkill`. (`kill(getpid())` would let the kernel queue it on
/// any thread — SIGABRT dumps core, so it is not fast-tracked to the whole group — and
/// this thread could reach `exit_group` first.)
fn abort_from_thread() -> ! {
    let sig = crate::signal::SIGABRT;
    let _ = crate::signal::set_default(sig);
    let _ = crate::signal::set_mask(crate::signal::How::Unblock, crate::signal::SigSet::of(sig));
    let _ = kill(gettid(), sig);
    crate::exit::exit_group(134)
}

/// The tid of the thread running `exit` (0: none yet).
static EXITING: AtomicU32 = AtomicU32::new(0);

/// Lets the first thread that calls `exit` through (and that thread again, should an exit
/// hook call `exit`); any other sleeps until that thread's `exit_group` ends it.
fn exit_guard() {
    let me = tid_u32();
    match EXITING.compare_exchange(0, me, Ordering::AcqRel, Ordering::Acquire) {
        Ok(_) => {}
        Err(t) if t == me => {}
        Err(t) => loop {
            futex::wait(&EXITING, t, None);
        },
    }
}

/// The address of a new thread's tid word (`CLONE_PARENT_SETTID` and
/// `CLONE_CHILD_CLEARTID` both point there), for the trace.
#[cfg(feature = "trace")]
fn tid_word(tcb: *mut Tcb) -> usize {
    // SAFETY: `tcb` is the new thread's control block, mapped for its whole life.
    unsafe { (*tcb).tid.as_ptr() as usize }
}

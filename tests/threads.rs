//! Threads and TLS on the runtime itself: spawn/join (1, 2, 64, 1,000; 64 at once), return
//! values, names as the kernel shows them (`/proc/self/task/TID/comm`), thread-locals
//! (`.tdata` initial values, `.tbss` zeros, independent per thread), the guard page, leaks
//! after 10,000 cycles (`/proc/self/maps` lines, `/proc/self/fd` entries), spawn failures.
//! Runs natively (vsyscall) and under qemu-i386 (int 0x80); see scripts/test.
#![no_std]
#![no_main]
#![feature(thread_local)]

extern crate alloc;

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use linux_gate::process::{self, WaitStatus};
use linux_gate::thread::{self, Builder};
use linux_gate::{Errno, fs, tls};

linux_gate::use_tls!();

linux_gate::tests!(
    spawn_join_one,
    spawn_join_two,
    spawn_join_64_sequentially,
    spawn_join_64_at_once,
    spawn_join_1000_sequentially,
    join_returns_values,
    names_reach_the_kernel,
    current_in_main_and_threads,
    thread_locals_start_from_the_template,
    thread_locals_are_per_thread,
    tls_layout_is_variant_ii,
    all_threads_share_one_gs_selector,
    guard_page_overflow_is_sigsegv,
    tiny_stack_sizes_are_rounded_up,
    no_leaks_after_10000_cycles,
    detached_threads_are_reaped,
    spawn_fails_cleanly_without_address_space,
    park_and_unpark,
);

#[thread_local]
static mut TDATA: u32 = 0x1234_5678;
#[thread_local]
static mut TDATA_BYTES: [u8; 5] = *b"hello";
#[thread_local]
static mut TBSS: [u32; 64] = [0; 64];

fn spawn_join_one() {
    let h = thread::spawn(|| 41 + 1);
    assert_eq!(h.join(), 42);
}

fn spawn_join_two() {
    let a = thread::spawn(|| 1u64 << 40);
    let b = thread::spawn(|| String::from("two"));
    assert_eq!(b.join(), "two");
    assert_eq!(a.join(), 1 << 40);
}

fn spawn_join_64_sequentially() {
    for i in 0..64u32 {
        assert_eq!(thread::spawn(move || i * 3).join(), i * 3);
    }
}

fn spawn_join_64_at_once() {
    static RUNNING: AtomicU32 = AtomicU32::new(0);
    static MAX: AtomicU32 = AtomicU32::new(0);
    let handles: Vec<_> = (0..64u32)
        .map(|i| {
            thread::spawn(move || {
                let now = RUNNING.fetch_add(1, Ordering::SeqCst) + 1;
                MAX.fetch_max(now, Ordering::SeqCst);
                thread::sleep(core::time::Duration::from_millis(20));
                RUNNING.fetch_sub(1, Ordering::SeqCst);
                (i, thread::gettid())
            })
        })
        .collect();
    let mut tids = Vec::new();
    for (i, h) in handles.into_iter().enumerate() {
        let (j, tid) = h.join();
        assert_eq!(j, i as u32);
        tids.push(tid);
    }
    tids.sort();
    tids.dedup();
    assert_eq!(tids.len(), 64, "every thread has its own tid");
    assert!(!tids.contains(&process::getpid()));
    assert!(MAX.load(Ordering::SeqCst) > 1, "threads overlapped");
}

fn spawn_join_1000_sequentially() {
    let mut sum = 0u64;
    for i in 0..1000u64 {
        sum += thread::spawn(move || i).join();
    }
    assert_eq!(sum, 999 * 1000 / 2);
}

fn join_returns_values() {
    let v = thread::spawn(|| (0..1000).collect::<Vec<u32>>()).join();
    assert_eq!(v.len(), 1000);
    assert_eq!(v[999], 999);
    let s = thread::spawn(|| format!("from {}", thread::gettid())).join();
    assert!(s.starts_with("from "));
    let unit: () = thread::spawn(|| {}).join();
    assert_eq!(unit, ());
}

fn comm_of(tid: i32) -> Vec<u8> {
    let path = alloc::ffi::CString::new(format!("/proc/self/task/{}/comm", tid)).unwrap();
    fs::read(&path).unwrap()
}

fn names_reach_the_kernel() {
    let h = Builder::new()
        .name(String::from("worker-seven"))
        .spawn(|| {
            let me = thread::current();
            assert_eq!(me.name(), Some("worker-seven"));
            comm_of(thread::gettid())
        })
        .unwrap();
    assert_eq!(h.thread().name(), Some("worker-seven"));
    assert_eq!(h.join(), b"worker-seven\n");
    // The kernel keeps 15 bytes.
    let long = Builder::new()
        .name(String::from("a-rather-long-thread-name"))
        .spawn(|| comm_of(thread::gettid()))
        .unwrap();
    assert_eq!(long.join(), b"a-rather-long-t\n");
}

fn current_in_main_and_threads() {
    let main = thread::current();
    assert_eq!(main.name(), Some("main"));
    assert_eq!(main.tid(), process::getpid());
    let h = thread::spawn(|| {
        let me = thread::current();
        (me.id(), me.tid(), thread::gettid())
    });
    let id = h.thread().id();
    let tid = h.thread().tid();
    let (id2, tid2, gettid) = h.join();
    assert_eq!(id, id2);
    assert_ne!(id, main.id());
    assert_eq!(tid, tid2);
    assert_eq!(tid2, gettid);
}

fn thread_locals_start_from_the_template() {
    // SAFETY (all thread-local accesses in this file): each thread touches only its own copy.
    let (a, b, z) = unsafe { (TDATA, TDATA_BYTES, TBSS) };
    assert_eq!(a, 0x1234_5678);
    assert_eq!(&b, b"hello");
    assert!(z.iter().all(|&x| x == 0));
    unsafe {
        TDATA = 7;
        TBSS[63] = 9;
    }
    // A new thread starts from the template, not from main's current values.
    let (a, b, z63) = thread::spawn(|| unsafe { (TDATA, TDATA_BYTES, TBSS[63]) }).join();
    assert_eq!(a, 0x1234_5678);
    assert_eq!(&b, b"hello");
    assert_eq!(z63, 0);
    assert_eq!(unsafe { (TDATA, TBSS[63]) }, (7, 9));
}

fn thread_locals_are_per_thread() {
    let handles: Vec<_> = (0..8u32)
        .map(|i| {
            thread::spawn(move || {
                for _ in 0..1000 {
                    unsafe {
                        TDATA = TDATA.wrapping_add(i);
                        TBSS[i as usize] += 1;
                    }
                    thread::yield_now();
                }
                unsafe {
                    (TDATA, TBSS[i as usize], {
                        let z = TBSS;
                        z.iter().sum::<u32>()
                    })
                }
            })
        })
        .collect();
    for (i, h) in handles.into_iter().enumerate() {
        let (t, mine, total) = h.join();
        assert_eq!(t, 0x1234_5678u32.wrapping_add(1000 * i as u32));
        assert_eq!((mine, total), (1000, 1000));
    }
}

fn tls_layout_is_variant_ii() {
    let t = tls::template();
    assert!(
        t.size >= 4 + 5 + 256,
        "template holds our thread-locals: {:?}",
        t
    );
    let check = move || {
        let tp = tls::thread_pointer().unwrap();
        let (start, len) = tls::block().unwrap();
        assert_eq!(start + len, tp);
        assert_eq!(tp % t.tp_align(), 0);
        let a = &raw const TDATA as usize;
        let z = &raw const TBSS as usize;
        assert!(
            a >= start && a < tp,
            "TDATA {:#x} in [{:#x}, {:#x})",
            a,
            start,
            tp
        );
        assert!(z >= start && z + 256 <= tp);
        // %gs:0 holds the thread pointer itself; %gs:0x10 AT_SYSINFO.
        let self_ptr: usize;
        let sysinfo: usize;
        unsafe {
            core::arch::asm!("mov {0}, dword ptr gs:[0]", out(reg) self_ptr);
            core::arch::asm!("mov {0}, dword ptr gs:[0x10]", out(reg) sysinfo);
        }
        assert_eq!(self_ptr, tp);
        assert_eq!(sysinfo, linux_gate::syscall::entry());
        tp
    };
    thread::current(); // fills in main's sysinfo word
    let main_tp = check();
    let other = thread::spawn(check).join();
    assert_ne!(main_tp, other);
}

fn all_threads_share_one_gs_selector() {
    let main = tls::gs();
    assert_ne!(main, 0);
    assert_eq!(main & 7, 3, "a GDT selector with RPL 3");
    assert_eq!(u32::from(main >> 3), tls::gdt_entry());
    let other = thread::spawn(tls::gs).join();
    assert_eq!(main, other);
}

fn guard_page_overflow_is_sigsegv() {
    let pid = process::fork().unwrap();
    if pid == 0 {
        // Recursion with a big frame runs off a 64 KiB stack into the guard page.
        fn deep(n: u32) -> u32 {
            let buf = [n as u8; 1024];
            let buf = core::hint::black_box(buf);
            if n == 0 {
                buf[0] as u32
            } else {
                deep(n - 1).wrapping_add(buf[7] as u32)
            }
        }
        let h = Builder::new()
            .stack_size(64 * 1024)
            .spawn(|| deep(1_000_000))
            .unwrap();
        let _ = h.join();
        linux_gate::exit::_exit(0);
    }
    let st = process::wait(pid).unwrap();
    assert_eq!(
        st,
        WaitStatus::Signaled {
            signal: 11,
            core: false
        },
        "{:?}",
        st
    );
}

fn tiny_stack_sizes_are_rounded_up() {
    // 1 byte asks for less than the minimum (16 KiB): rounded up, the thread runs and can
    // use 8 KiB of stack.
    let h = Builder::new()
        .stack_size(1)
        .spawn(|| {
            let buf = core::hint::black_box([7u8; 8192]);
            buf.iter().map(|&b| b as u32).sum::<u32>()
        })
        .unwrap();
    assert_eq!(h.join(), 7 * 8192);
}

fn maps_lines() -> usize {
    fs::read(c"/proc/self/maps")
        .unwrap()
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

fn fd_count() -> usize {
    let mut n = 0;
    for e in linux_gate::dir::Dir::open(c"/proc/self/fd").unwrap() {
        let _ = e.unwrap();
        n += 1;
    }
    n
}

fn no_leaks_after_10000_cycles() {
    // Warm up: the allocator's arena and the first thread's bookkeeping.
    for _ in 0..10 {
        thread::spawn(|| ()).join();
    }
    let (maps, fds) = (maps_lines(), fd_count());
    for i in 0..10_000u32 {
        assert_eq!(thread::spawn(move || i).join(), i);
    }
    assert_eq!(maps_lines(), maps, "mappings after 10,000 spawn/join");
    assert_eq!(fd_count(), fds, "descriptors after 10,000 spawn/join");
}

fn detached_threads_are_reaped() {
    thread::spawn(|| ()).join();
    let maps = maps_lines();
    static DONE: AtomicUsize = AtomicUsize::new(0);
    for _ in 0..20 {
        let h = thread::spawn(|| {
            DONE.fetch_add(1, Ordering::SeqCst);
        });
        drop(h); // detached
    }
    while DONE.load(Ordering::SeqCst) < 20 {
        thread::yield_now();
    }
    // Each stack is freed (by the next spawn, or reap_detached) once the kernel has cleared
    // the thread's tid word; poll for up to 10 s (qemu-i386 clears it a little after the
    // thread's last instruction).
    for _ in 0..10_000 {
        thread::reap_detached();
        if maps_lines() == maps {
            break;
        }
        thread::sleep(core::time::Duration::from_millis(1));
    }
    assert_eq!(maps_lines(), maps, "every detached stack unmapped");
}

fn spawn_fails_cleanly_without_address_space() {
    let pid = process::fork().unwrap();
    if pid == 0 {
        // A stack larger than what is free in a 32-bit address space: mmap2 fails.
        let r = Builder::new().stack_size(3_900 * 1024 * 1024).spawn(|| 1);
        let code = match r {
            Err(Errno::ENOMEM) => 0,
            Err(_) => 2,
            Ok(h) => 3 + h.join(),
        };
        // And a thread can still be started afterwards.
        let ok = thread::spawn(|| 5).join() == 5;
        linux_gate::exit::_exit(if ok { code } else { 4 });
    }
    assert_eq!(process::wait(pid).unwrap(), WaitStatus::Exited(0));
}

fn park_and_unpark() {
    static FLAG: AtomicU32 = AtomicU32::new(0);
    let h = thread::spawn(|| {
        while FLAG.load(Ordering::SeqCst) == 0 {
            thread::park();
        }
        7
    });
    thread::sleep(core::time::Duration::from_millis(20));
    FLAG.store(1, Ordering::SeqCst);
    h.thread().unpark();
    assert_eq!(h.join(), 7);
    // A token given before park makes it return at once.
    thread::current().unpark();
    thread::park();
}

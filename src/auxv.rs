//! The auxiliary vector: what the kernel tells a new program about itself and the machine,
//! as `(key, value)` word pairs after `envp`'s NULL, ending with `AT_NULL`.
//!
//! The keys are the kernel's `AT_*` constants, re-exported from `linux-raw-sys` (generated
//! from `<linux/auxvec.h>` and x86's `<asm/auxvec.h>`). The ones that matter most here:
//! `AT_SYSINFO` (address of `__kernel_vsyscall`), `AT_SYSINFO_EHDR` (the vDSO's ELF header),
//! `AT_SECURE` (setuid-like exec: ignore environment switches), `AT_RANDOM` (16 random
//! bytes), `AT_PAGESZ`, `AT_EXECFN`, `AT_PLATFORM`, `AT_HWCAP`.

use crate::stack;

pub use linux_raw_sys::auxvec::{
    AT_BASE, AT_BASE_PLATFORM, AT_CLKTCK, AT_EGID, AT_ENTRY, AT_EUID, AT_EXECFD, AT_EXECFN,
    AT_FLAGS, AT_GID, AT_HWCAP, AT_HWCAP2, AT_IGNORE, AT_MINSIGSTKSZ, AT_NOTELF, AT_NULL,
    AT_PAGESZ, AT_PHDR, AT_PHENT, AT_PHNUM, AT_PLATFORM, AT_RANDOM, AT_RSEQ_ALIGN,
    AT_RSEQ_FEATURE_SIZE, AT_SECURE, AT_SYSINFO, AT_SYSINFO_EHDR, AT_UID,
};
pub use linux_raw_sys::auxvec::{AT_HWCAP3, AT_HWCAP4};

/// One auxv entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    /// `AT_*` key.
    pub key: usize,
    /// The value: a number, an address, or a pointer to a string, depending on the key.
    pub value: usize,
}

/// Iterator over auxv entries, stopping before `AT_NULL`.
#[derive(Clone)]
pub struct Iter {
    ptr: *const usize,
}

impl Iter {
    /// Walks an auxv laid out as the kernel does it.
    ///
    /// # Safety
    /// `ptr` must be null or point at word pairs ending with an `AT_NULL` key.
    pub unsafe fn from_ptr(ptr: *const usize) -> Iter {
        Iter { ptr }
    }

    /// Walks a vector held in a slice (e.g. one read from `/proc/self/auxv`, or a faked
    /// one in a test); stops at `AT_NULL` or at the end of the slice.
    pub fn from_words(words: &[usize]) -> impl Iterator<Item = Entry> + '_ {
        words
            .chunks_exact(2)
            .map(|p| Entry {
                key: p[0],
                value: p[1],
            })
            .take_while(|e| e.key != AT_NULL as usize)
    }
}

impl Iterator for Iter {
    type Item = Entry;
    fn next(&mut self) -> Option<Entry> {
        if self.ptr.is_null() {
            return None;
        }
        // SAFETY: `from_ptr`'s contract: pairs up to and including AT_NULL.
        let (key, value) = unsafe { (*self.ptr, *self.ptr.add(1)) };
        if key == AT_NULL as usize {
            self.ptr = core::ptr::null();
            return None;
        }
        // SAFETY: not at AT_NULL yet, so the next pair exists.
        self.ptr = unsafe { self.ptr.add(2) };
        Some(Entry { key, value })
    }
}

/// Every entry of this process's auxv, in the kernel's order.
pub fn entries() -> Iter {
    // SAFETY: `stack::init` found the auxv on the kernel's initial stack (null before).
    unsafe { Iter::from_ptr(stack::auxv_ptr()) }
}

/// The value for `key` (an `AT_*` constant), like glibc's `getauxval` but with `None` for
/// an absent key instead of 0-and-ENOENT.
pub fn getauxval(key: u32) -> Option<usize> {
    entries().find(|e| e.key == key as usize).map(|e| e.value)
}

/// The page size from `AT_PAGESZ` (4096 when absent or not a power of two of at least
/// 4096, which no Linux kernel passes).
pub fn page_size() -> usize {
    match getauxval(AT_PAGESZ) {
        Some(p) if p.is_power_of_two() && p >= 4096 => p,
        _ => 4096,
    }
}

//! The running vDSO (`linux-gate.so.1`): finding it, measuring it, and looking symbols up.
//!
//! The kernel maps a small ELF shared object into every process and passes the address of
//! its ELF header as `AT_SYSINFO_EHDR` in the auxiliary vector. On a 64-bit kernel running a
//! 32-bit program it exports:
//!
//! | symbol | version | what |
//! | --- | --- | --- |
//! | `__kernel_vsyscall` | `LINUX_2.5` | the system call entry (also `AT_SYSINFO`) |
//! | `__kernel_sigreturn`, `__kernel_rt_sigreturn` | `LINUX_2.5` | signal return trampolines |
//! | `__vdso_clock_gettime64` (Linux ≥ 5.3), `__vdso_clock_gettime` | `LINUX_2.6` | clocks without a syscall |
//! | `__vdso_gettimeofday`, `__vdso_time`, `__vdso_clock_getres`, `__vdso_getcpu` | `LINUX_2.6` | ditto |
//!
//! # How the image is found and measured (no `/proc` needed)
//!
//! 1. `AT_SYSINFO_EHDR` must be non-zero and page-aligned, and `mincore(2)` must report its
//!    page mapped — so a bogus value gives an error, not a crash.
//! 2. The first page is read as a byte slice and its ELF header and program headers are
//!    checked ([`crate::elf::Elf::parse`]).
//! 3. The image length is where its PT_LOAD ends, rounded up to a page. If the section
//!    header table (which `objdump` needs for section names) lies beyond that, the length is
//!    extended to cover it, provided `mincore` confirms those pages are mapped too. On this
//!    machine that gives 8192 bytes, exactly the `[vdso]` line of `/proc/self/maps`.
//! 4. From then on everything is read through that one `&'static [u8]`; the checks of
//!    the header (magic, ELFCLASS32, little-endian, EM_386, ET_DYN, header sizes, first
//!    PT_LOAD executable) are in [`Vdso::parse`]. A writable vDSO (QEMU ≥ 8.2 maps its own
//!    W+X) is *not* rejected.
//!
//! # Symbol lookup
//!
//! [`Vdso::lookup`] hashes the name with DT_GNU_HASH when present, else DT_HASH (a vDSO may
//! carry either or both), walks the chain, and accepts a defined global function whose
//! versym (bit 15, "hidden", masked) names a DT_VERDEF entry with the wanted version. The
//! result is an absolute address inside the image's executable segment, or `None`.

use crate::auxv;
use crate::elf::{self, Dynamic, Elf, HashKind};
use crate::errno::Errno;

use core::fmt;
use linux_raw_sys::elf_uapi as abi;

/// The version of `__kernel_vsyscall` and the signal trampolines.
pub const LINUX_2_5: &str = "LINUX_2.5";
/// The version of the `__vdso_*` time functions and `__vdso_getcpu`.
pub const LINUX_2_6: &str = "LINUX_2.6";

/// Refuse images larger than this many pages (a vDSO is 1–4 pages).
const MAX_PAGES: usize = 256;

/// Why there is no usable vDSO.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Error {
    /// The kernel passed no `AT_SYSINFO_EHDR` (qemu-i386 7.2, valgrind, `vdso32=0`).
    Absent,
    /// `AT_SYSINFO_EHDR` is not page-aligned.
    Misaligned(usize),
    /// `mincore` says the pages at this address are not mapped.
    NotMapped(usize, Errno),
    /// The headers describe an image larger than 256 pages (a vDSO is 1–4).
    TooLarge(u64),
    /// The image is not a valid i386 shared object.
    Elf(elf::Error),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Absent => f.write_str(
                "no vDSO: the kernel passed no AT_SYSINFO_EHDR (qemu-i386 before 8.2, valgrind \
                 and vdso32=0 kernels pass none)",
            ),
            Error::Misaligned(a) => write!(f, "AT_SYSINFO_EHDR {:#x} is not page-aligned", a),
            Error::NotMapped(a, e) => write!(f, "vDSO pages at {:#x} are not mapped: {}", a, e),
            Error::TooLarge(n) => write!(f, "vDSO headers claim an image of {} bytes", n),
            Error::Elf(e) => write!(f, "invalid vDSO image: {}", e),
        }
    }
}

impl From<elf::Error> for Error {
    fn from(e: elf::Error) -> Error {
        Error::Elf(e)
    }
}

/// A validated vDSO image and where it is mapped.
#[derive(Clone, Copy, Debug)]
pub struct Vdso<'a> {
    base: usize,
    dynamic: Dynamic<'a>,
    base_vaddr: u32,
}

impl<'a> Vdso<'a> {
    /// Validates `image` as a vDSO mapped at `base` (the header checks above) and reads its dynamic
    /// symbol tables. Works on any byte slice: the running image, a dumped file, or a
    /// deliberately corrupted copy.
    pub fn parse(image: &'a [u8], base: usize) -> Result<Vdso<'a>, Error> {
        let elf = Elf::parse(image)?;
        elf.check_loads()?;
        let base_vaddr = elf.base_vaddr().ok_or(elf::Error::BadLoad)?;
        let dynamic = elf.dynamic()?;
        Ok(Vdso {
            base,
            dynamic,
            base_vaddr,
        })
    }

    /// Where the image starts in memory (`AT_SYSINFO_EHDR`).
    pub fn base(&self) -> usize {
        self.base
    }

    /// The image's bytes.
    pub fn image(&self) -> &'a [u8] {
        self.dynamic.elf().data()
    }

    /// The ELF view of the image.
    pub fn elf(&self) -> &Elf<'a> {
        self.dynamic.elf()
    }

    /// The dynamic symbol table.
    pub fn dynamic(&self) -> &Dynamic<'a> {
        &self.dynamic
    }

    /// Run-time address of link-time address `vaddr`.
    pub fn address_of(&self, vaddr: u32) -> usize {
        self.base
            .wrapping_add(vaddr.wrapping_sub(self.base_vaddr) as usize)
    }

    /// Link-time address (as `objdump` shows it) of run-time address `addr`.
    pub fn vaddr_of(&self, addr: usize) -> u32 {
        (addr.wrapping_sub(self.base) as u32).wrapping_add(self.base_vaddr)
    }

    /// The run-time address of function `name` with version `version`, or `None`.
    pub fn lookup(&self, name: &str, version: &str) -> Option<usize> {
        self.resolve(
            self.dynamic
                .lookup(name.as_bytes(), Some(version.as_bytes())),
        )
    }

    /// As [`Vdso::lookup`], through one particular hash table.
    pub fn lookup_with(&self, kind: HashKind, name: &str, version: &str) -> Option<usize> {
        self.resolve(
            self.dynamic
                .lookup_with(kind, name.as_bytes(), Some(version.as_bytes())),
        )
    }

    /// Accepts only functions (or untyped symbols) whose first byte lies in the image's
    /// executable segment, so the address is safe to treat as code of this image.
    fn resolve(&self, found: Option<(usize, elf::Sym)>) -> Option<usize> {
        let (_, sym) = found?;
        let kind = sym.kind() as u32;
        if kind != abi::STT_FUNC && kind != abi::STT_NOTYPE {
            return None;
        }
        let len = (sym.st_size as usize).max(1);
        if !self.elf().is_code(sym.st_value, len) {
            return None;
        }
        Some(self.address_of(sym.st_value))
    }
}

/// `mincore(2)`: succeeds iff every page of `[addr, addr + len)` is mapped. It never
/// touches the memory, so it is a safe probe.
fn pages_mapped(addr: usize, len: usize, page: usize) -> Result<(), Errno> {
    if len.div_ceil(page) > MAX_PAGES {
        return Err(Errno::E2BIG);
    }
    let mut vec = [0u8; MAX_PAGES];
    crate::mm::mincore(addr, len, &mut vec)
}

/// The length of the image at `base`, from its own headers (see the module docs).
///
/// # Safety
/// `base` must be the address the kernel passed as `AT_SYSINFO_EHDR`, or another address
/// whose mapped pages are not being unmapped concurrently.
pub unsafe fn image_len(base: usize) -> Result<usize, Error> {
    let page = auxv::page_size();
    if base == 0 {
        return Err(Error::Absent);
    }
    if !base.is_multiple_of(page) {
        return Err(Error::Misaligned(base));
    }
    pages_mapped(base, page, page).map_err(|e| Error::NotMapped(base, e))?;
    // SAFETY: mincore just confirmed this page is mapped; the vDSO is never unmapped or
    // written while we run, and it is readable (r-x).
    let first = unsafe { core::slice::from_raw_parts(base as *const u8, page) };
    let elf = Elf::parse(first)?;
    let round = |n: u64| n.div_ceil(page as u64) * page as u64;
    let loaded = round(elf.load_end().max(1));
    let whole = round(elf.file_end());
    if loaded > (MAX_PAGES * page) as u64 {
        return Err(Error::TooLarge(loaded));
    }
    let mut len = loaded as usize;
    if whole > loaded && whole <= (MAX_PAGES * page) as u64 {
        let extra = (whole - loaded) as usize;
        if pages_mapped(base + len, extra, page).is_ok() {
            len += extra;
        }
    }
    if base.checked_add(len).is_none() {
        return Err(Error::TooLarge(len as u64));
    }
    // The rest (PT_LOAD extent) must be mapped as well, or the image is lying.
    pages_mapped(base, len, page).map_err(|e| Error::NotMapped(base, e))?;
    Ok(len)
}

/// Finds, measures and validates the vDSO this process was started with.
pub fn find() -> Result<Vdso<'static>, Error> {
    let base = auxv::getauxval(auxv::AT_SYSINFO_EHDR).ok_or(Error::Absent)?;
    // SAFETY: base is the kernel's AT_SYSINFO_EHDR.
    let len = unsafe { image_len(base) }?;
    // SAFETY: image_len confirmed (mincore) that all `len` bytes are mapped; the vDSO stays
    // mapped and unchanged for the life of the process, and is readable.
    let image = unsafe { core::slice::from_raw_parts(base as *const u8, len) };
    Vdso::parse(image, base)
}

static RUNNING: spin::Once<Result<Vdso<'static>, Error>> = spin::Once::new();

/// The running vDSO, found and validated once, or why there is none.
pub fn running_or_error() -> Result<&'static Vdso<'static>, Error> {
    match RUNNING.call_once(find) {
        Ok(v) => Ok(v),
        Err(e) => Err(*e),
    }
}

/// The running vDSO, if there is a valid one.
pub fn running() -> Option<&'static Vdso<'static>> {
    running_or_error().ok()
}

/// Looks `name`@`version` up in the running vDSO: e.g.
/// `lookup("__vdso_clock_gettime64", "LINUX_2.6")`.
pub fn lookup(name: &str, version: &str) -> Option<usize> {
    running()?.lookup(name, version)
}

//! A safe reader for 32-bit little-endian ELF images held in a byte slice.
//!
//! Everything here reads through `&[u8]`: each field is fetched with a bounds-checked
//! `get`, every offset is added with `checked_add`, every table's count × entry size is
//! checked against the slice, and every chain walk (hash chains, version definitions) is
//! bounded by the number of symbols or entries. A truncated or corrupt image yields an
//! [`Error`] or `None` — never a panic, an out-of-bounds read or an endless loop
//! (`tests/vdso.rs` fuzzes this with mutations of the real vDSO).
//!
//! What an ELF shared object looks like, as far as a dynamic linker (or we) need it:
//!
//! ```text
//! ELF header (52 bytes) ─ e_phoff ─► program headers: PT_LOAD (what is mapped), PT_DYNAMIC
//!                       ─ e_shoff ─► section headers (optional; only for names like .text)
//! PT_DYNAMIC: (tag, value) pairs ─► DT_SYMTAB  symbols, 16 bytes each
//!                                   DT_STRTAB  their names (DT_STRSZ bytes)
//!                                   DT_HASH / DT_GNU_HASH  name → symbol index
//!                                   DT_VERSYM  one u16 version index per symbol
//!                                   DT_VERDEF  version index → name ("LINUX_2.6")
//! ```
//!
//! Addresses in the dynamic section and in symbols are *virtual* (link-time) addresses;
//! [`Elf::vaddr_to_offset`] turns them into offsets in the image through the PT_LOADs.
//! The constants are `linux-raw-sys`'s (`elf_uapi`, generated from `<linux/elf.h>`).

use core::fmt;
use linux_raw_sys::elf_uapi as abi;

/// Why an image was rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Error {
    /// Shorter than an ELF header, or a header/table runs past the end.
    Truncated,
    /// The first four bytes are not `\x7fELF`.
    BadMagic,
    /// Not `ELFCLASS32`.
    NotClass32,
    /// Not little-endian (`ELFDATA2LSB`).
    NotLittleEndian,
    /// `EI_VERSION`/`e_version` is not 1 (`EV_CURRENT`).
    BadVersion,
    /// `e_machine` is not `EM_386`.
    NotI386,
    /// `e_type` is not `ET_DYN` (a shared object).
    NotSharedObject,
    /// `e_ehsize` or `e_phentsize` is not the ELF32 size (52, 32).
    BadHeaderSize,
    /// No PT_LOAD, or a PT_LOAD whose file bytes lie outside the image.
    BadLoad,
    /// The first PT_LOAD is not executable.
    LoadNotExecutable,
    /// No PT_DYNAMIC, or it lies outside the image.
    NoDynamic,
    /// A dynamic table (symbols, strings, hash, versions) is missing or out of bounds.
    BadDynamic,
    /// Neither DT_HASH nor DT_GNU_HASH is usable.
    NoHashTable,
}

impl Error {
    /// A one-line description.
    pub fn message(self) -> &'static str {
        match self {
            Error::Truncated => "image truncated (a header or table runs past its end)",
            Error::BadMagic => "no ELF magic (\\x7fELF)",
            Error::NotClass32 => "not a 32-bit ELF (ELFCLASS32)",
            Error::NotLittleEndian => "not little-endian (ELFDATA2LSB)",
            Error::BadVersion => "unknown ELF version",
            Error::NotI386 => "not an i386 object (EM_386)",
            Error::NotSharedObject => "not a shared object (ET_DYN)",
            Error::BadHeaderSize => "unexpected ELF header or program header size",
            Error::BadLoad => "no PT_LOAD segment inside the image",
            Error::LoadNotExecutable => "first PT_LOAD segment is not executable",
            Error::NoDynamic => "no PT_DYNAMIC segment inside the image",
            Error::BadDynamic => "dynamic symbol/string/version table missing or out of bounds",
            Error::NoHashTable => "neither DT_HASH nor DT_GNU_HASH is usable",
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

/// ELF32 sizes: header, program header, section header, symbol, dynamic entry.
const EHDR_SIZE: usize = 52;
const PHDR_SIZE: usize = 32;
const SHDR_SIZE: usize = 40;
const SYM_SIZE: usize = 16;
const DYN_SIZE: usize = 8;
/// `Elf32_Verdef` and `Elf32_Verdaux` sizes.
const VERDEF_SIZE: usize = 20;
const VERDAUX_SIZE: usize = 8;
/// Bit 15 of a versym entry: the symbol is hidden (not the default version of its name).
pub const VERSYM_HIDDEN: u16 = 0x8000;
/// Upper bound on version definitions walked (a vDSO has 3).
const MAX_VERDEFS: usize = 1024;

fn bytes(data: &[u8], off: usize, len: usize) -> Option<&[u8]> {
    data.get(off..off.checked_add(len)?)
}

fn u16_at(data: &[u8], off: usize) -> Option<u16> {
    let b = bytes(data, off, 2)?;
    Some(u16::from_le_bytes([b[0], b[1]]))
}

fn u32_at(data: &[u8], off: usize) -> Option<u32> {
    let b = bytes(data, off, 4)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// The NUL-terminated string starting at `off` (without the NUL), if it ends inside `data`.
fn cstr_at(data: &[u8], off: usize) -> Option<&[u8]> {
    let tail = data.get(off..)?;
    let len = tail.iter().position(|&b| b == 0)?;
    Some(&tail[..len])
}

/// `count` entries of `size` bytes at `off`, if they all lie inside `data`.
fn table(data: &[u8], off: usize, count: usize, size: usize) -> Option<&[u8]> {
    bytes(data, off, count.checked_mul(size)?)
}

/// The ELF header fields this reader uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    /// `e_type` (`ET_DYN` = 3 for a shared object).
    pub e_type: u16,
    /// `e_machine` (`EM_386` = 3).
    pub e_machine: u16,
    /// Entry point (for the vDSO: `__kernel_vsyscall`'s link-time address).
    pub e_entry: u32,
    /// File offset of the program header table.
    pub e_phoff: u32,
    /// File offset of the section header table (0 if none).
    pub e_shoff: u32,
    /// Number of program headers.
    pub e_phnum: u16,
    /// Size of one section header (40 for ELF32).
    pub e_shentsize: u16,
    /// Number of section headers.
    pub e_shnum: u16,
    /// Index of the section holding section names.
    pub e_shstrndx: u16,
}

/// A program header (`Elf32_Phdr`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Phdr {
    /// `PT_LOAD`, `PT_DYNAMIC`, …
    pub p_type: u32,
    /// Offset of the segment's bytes in the file.
    pub p_offset: u32,
    /// Link-time virtual address.
    pub p_vaddr: u32,
    /// Bytes in the file.
    pub p_filesz: u32,
    /// Bytes in memory.
    pub p_memsz: u32,
    /// `PF_R | PF_W | PF_X`.
    pub p_flags: u32,
}

impl Phdr {
    /// Whether `vaddr .. vaddr + len` lies inside this segment's file bytes.
    fn contains(&self, vaddr: u32, len: usize) -> bool {
        let start = self.p_vaddr as u64;
        let end = start + self.p_filesz as u64;
        let v = vaddr as u64;
        v >= start && v + len as u64 <= end
    }
}

/// A section header (`Elf32_Shdr`), reduced to what symbol printing needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shdr {
    /// Offset of the name in the section-name string table.
    pub sh_name: u32,
    /// `SHT_*`.
    pub sh_type: u32,
    /// Link-time address.
    pub sh_addr: u32,
    /// File offset.
    pub sh_offset: u32,
    /// Size in bytes.
    pub sh_size: u32,
}

/// A symbol (`Elf32_Sym`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sym {
    /// Offset of the name in the dynamic string table.
    pub st_name: u32,
    /// Link-time address (or absolute value, for `SHN_ABS`).
    pub st_value: u32,
    /// Size in bytes (a function's length).
    pub st_size: u32,
    /// Binding (high nibble) and type (low nibble).
    pub st_info: u8,
    /// Visibility (low two bits).
    pub st_other: u8,
    /// Section index, or `SHN_UNDEF`/`SHN_ABS`/`SHN_COMMON`.
    pub st_shndx: u16,
}

impl Sym {
    /// `STB_LOCAL`, `STB_GLOBAL`, `STB_WEAK`, …
    pub fn bind(&self) -> u8 {
        self.st_info >> 4
    }
    /// `STT_NOTYPE`, `STT_OBJECT`, `STT_FUNC`, `STT_SECTION`, …
    pub fn kind(&self) -> u8 {
        self.st_info & 0xf
    }
    /// Whether it is defined here (not `SHN_UNDEF`).
    pub fn is_defined(&self) -> bool {
        self.st_shndx as u32 != abi::SHN_UNDEF
    }
}

/// A version definition (`Elf32_Verdef` and the name from its first `Elf32_Verdaux`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Verdef<'a> {
    /// `VER_FLG_BASE` marks the entry naming the object itself (its soname).
    pub flags: u16,
    /// The version index symbols refer to through versym.
    pub index: u16,
    /// ELF hash of the name.
    pub hash: u32,
    /// The version's name, e.g. `LINUX_2.6`.
    pub name: &'a [u8],
}

/// A parsed ELF32 little-endian i386 image: header and program headers checked.
#[derive(Clone, Copy, Debug)]
pub struct Elf<'a> {
    data: &'a [u8],
    header: Header,
}

impl<'a> Elf<'a> {
    /// Checks the ELF header and that the program header table lies inside `data`.
    ///
    /// Segment contents are not required to be present (so a first page alone can be
    /// parsed to learn the image's length); see [`Elf::check_loads`].
    pub fn parse(data: &'a [u8]) -> Result<Elf<'a>, Error> {
        let ident = bytes(data, 0, EHDR_SIZE).ok_or(Error::Truncated)?;
        if ident[..4] != linux_raw_sys::elf::ELFMAG {
            return Err(Error::BadMagic);
        }
        if ident[abi::EI_CLASS as usize] != abi::ELFCLASS32 as u8 {
            return Err(Error::NotClass32);
        }
        if ident[abi::EI_DATA as usize] != abi::ELFDATA2LSB as u8 {
            return Err(Error::NotLittleEndian);
        }
        let field16 = |off| u16_at(data, off).ok_or(Error::Truncated);
        let field32 = |off| u32_at(data, off).ok_or(Error::Truncated);
        if ident[abi::EI_VERSION as usize] != abi::EV_CURRENT as u8
            || field32(20)? != abi::EV_CURRENT
        {
            return Err(Error::BadVersion);
        }
        let header = Header {
            e_type: field16(16)?,
            e_machine: field16(18)?,
            e_entry: field32(24)?,
            e_phoff: field32(28)?,
            e_shoff: field32(32)?,
            e_phnum: field16(44)?,
            e_shentsize: field16(46)?,
            e_shnum: field16(48)?,
            e_shstrndx: field16(50)?,
        };
        if header.e_machine as u32 != abi::EM_386 {
            return Err(Error::NotI386);
        }
        if header.e_type as u32 != abi::ET_DYN {
            return Err(Error::NotSharedObject);
        }
        if field16(40)? as usize != EHDR_SIZE || field16(42)? as usize != PHDR_SIZE {
            return Err(Error::BadHeaderSize);
        }
        table(
            data,
            header.e_phoff as usize,
            header.e_phnum as usize,
            PHDR_SIZE,
        )
        .ok_or(Error::Truncated)?;
        Ok(Elf { data, header })
    }

    /// The whole image.
    pub fn data(&self) -> &'a [u8] {
        self.data
    }

    /// The ELF header.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// Program header `i`.
    pub fn phdr(&self, i: usize) -> Option<Phdr> {
        if i >= self.header.e_phnum as usize {
            return None;
        }
        let off = (self.header.e_phoff as usize).checked_add(i.checked_mul(PHDR_SIZE)?)?;
        let p = bytes(self.data, off, PHDR_SIZE)?;
        let w = |o| u32_at(p, o);
        Some(Phdr {
            p_type: w(0)?,
            p_offset: w(4)?,
            p_vaddr: w(8)?,
            p_filesz: w(16)?,
            p_memsz: w(20)?,
            p_flags: w(24)?,
        })
    }

    /// All program headers, in order.
    pub fn phdrs(&self) -> impl Iterator<Item = Phdr> + '_ {
        (0..self.header.e_phnum as usize).filter_map(|i| self.phdr(i))
    }

    /// The PT_LOAD segments.
    pub fn loads(&self) -> impl Iterator<Item = Phdr> + '_ {
        self.phdrs().filter(|p| p.p_type == abi::PT_LOAD)
    }

    /// Where the loaded bytes end in the file: the largest `p_offset + p_filesz` over the
    /// PT_LOADs (0 if there are none).
    pub fn load_end(&self) -> u64 {
        self.loads()
            .map(|p| p.p_offset as u64 + p.p_filesz as u64)
            .max()
            .unwrap_or(0)
    }

    /// Where the file ends according to its own headers: the furthest of the ELF header,
    /// the program header table, the PT_LOADs' file bytes and the section header table.
    pub fn file_end(&self) -> u64 {
        let h = &self.header;
        let ph = h.e_phoff as u64 + h.e_phnum as u64 * PHDR_SIZE as u64;
        let sh = if h.e_shoff != 0 {
            h.e_shoff as u64 + h.e_shnum as u64 * h.e_shentsize as u64
        } else {
            0
        };
        (EHDR_SIZE as u64).max(ph).max(sh).max(self.load_end())
    }

    /// Checks that there is a PT_LOAD, that every PT_LOAD's file bytes are inside the
    /// image, and that the first one is executable (a vDSO's single segment holds its code).
    pub fn check_loads(&self) -> Result<(), Error> {
        let mut first = None;
        for p in self.loads() {
            table(self.data, p.p_offset as usize, 1, p.p_filesz as usize).ok_or(Error::BadLoad)?;
            first.get_or_insert(p);
        }
        match first {
            None => Err(Error::BadLoad),
            Some(p) if p.p_flags & abi::PF_X == 0 => Err(Error::LoadNotExecutable),
            Some(_) => Ok(()),
        }
    }

    /// The image offset of the `len` bytes at link-time address `vaddr`, if a PT_LOAD
    /// holds them all.
    pub fn vaddr_to_offset(&self, vaddr: u32, len: usize) -> Option<usize> {
        let p = self.loads().find(|p| p.contains(vaddr, len))?;
        let off = ((vaddr - p.p_vaddr) as usize).checked_add(p.p_offset as usize)?;
        bytes(self.data, off, len)?;
        Some(off)
    }

    /// Whether `vaddr .. vaddr + len` lies inside an executable PT_LOAD's file bytes.
    pub fn is_code(&self, vaddr: u32, len: usize) -> bool {
        self.loads()
            .any(|p| p.p_flags & abi::PF_X != 0 && p.contains(vaddr, len))
            && self.vaddr_to_offset(vaddr, len).is_some()
    }

    /// Link-time address of image byte 0, taken from the first PT_LOAD
    /// (`p_vaddr - p_offset`): 0 for today's vDSO, `0xffffe000` for 2005's prelinked one.
    pub fn base_vaddr(&self) -> Option<u32> {
        let p = self.loads().next()?;
        Some(p.p_vaddr.wrapping_sub(p.p_offset))
    }

    /// Section header `i`, if the section header table is inside the image.
    pub fn shdr(&self, i: usize) -> Option<Shdr> {
        let h = &self.header;
        if h.e_shoff == 0 || i >= h.e_shnum as usize || (h.e_shentsize as usize) < SHDR_SIZE {
            return None;
        }
        let off = (h.e_shoff as usize).checked_add(i.checked_mul(h.e_shentsize as usize)?)?;
        let s = bytes(self.data, off, SHDR_SIZE)?;
        let w = |o| u32_at(s, o);
        Some(Shdr {
            sh_name: w(0)?,
            sh_type: w(4)?,
            sh_addr: w(12)?,
            sh_offset: w(16)?,
            sh_size: w(20)?,
        })
    }

    /// The name of section `i` (from the `e_shstrndx` string table).
    pub fn section_name(&self, i: usize) -> Option<&'a [u8]> {
        let names = self.shdr(self.header.e_shstrndx as usize)?;
        let strtab = bytes(self.data, names.sh_offset as usize, names.sh_size as usize)?;
        cstr_at(strtab, self.shdr(i)?.sh_name as usize)
    }

    /// Reads the PT_DYNAMIC segment and locates the dynamic symbol tables.
    pub fn dynamic(&self) -> Result<Dynamic<'a>, Error> {
        let dynp = self
            .phdrs()
            .find(|p| p.p_type == abi::PT_DYNAMIC)
            .ok_or(Error::NoDynamic)?;
        let dynamic = bytes(self.data, dynp.p_offset as usize, dynp.p_filesz as usize)
            .ok_or(Error::NoDynamic)?;
        let mut d = RawDynamic::default();
        for entry in dynamic.chunks_exact(DYN_SIZE) {
            let tag = u32_at(entry, 0).ok_or(Error::NoDynamic)?;
            let val = u32_at(entry, 4).ok_or(Error::NoDynamic)?;
            match tag {
                abi::DT_NULL => break,
                abi::DT_STRTAB => d.strtab = Some(val),
                abi::DT_STRSZ => d.strsz = Some(val),
                abi::DT_SYMTAB => d.symtab = Some(val),
                abi::DT_SYMENT => d.syment = Some(val),
                abi::DT_HASH => d.hash = Some(val),
                abi::DT_GNU_HASH => d.gnu_hash = Some(val),
                abi::DT_VERSYM => d.versym = Some(val),
                abi::DT_VERDEF => d.verdef = Some(val),
                abi::DT_VERDEFNUM => d.verdefnum = Some(val),
                abi::DT_SONAME => d.soname = Some(val),
                _ => {}
            }
        }
        Dynamic::new(*self, d)
    }
}

#[derive(Default)]
struct RawDynamic {
    strtab: Option<u32>,
    strsz: Option<u32>,
    symtab: Option<u32>,
    syment: Option<u32>,
    hash: Option<u32>,
    gnu_hash: Option<u32>,
    versym: Option<u32>,
    verdef: Option<u32>,
    verdefnum: Option<u32>,
    soname: Option<u32>,
}

/// Which hash table a lookup uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HashKind {
    /// DT_HASH, the original System V table (`nbucket`, `nchain`, buckets, chains).
    Sysv,
    /// DT_GNU_HASH: a Bloom filter, buckets, and hash values with an end-of-chain bit.
    Gnu,
}

/// A DT_GNU_HASH table, its header checked against the image.
#[derive(Clone, Copy, Debug)]
struct GnuHash {
    nbuckets: usize,
    symoffset: usize,
    bloom: usize,
    bloom_size: usize,
    bloom_shift: u32,
    buckets: usize,
    chains: usize,
}

/// The dynamic symbol table and everything needed to look names up in it.
#[derive(Clone, Copy, Debug)]
pub struct Dynamic<'a> {
    elf: Elf<'a>,
    strtab: &'a [u8],
    symtab: usize,
    count: usize,
    sysv: Option<usize>,
    gnu: Option<GnuHash>,
    versym: Option<usize>,
    verdef: Option<(usize, usize)>,
    soname: Option<&'a [u8]>,
}

/// The System V ELF hash (`elf_hash` in the gABI), used by DT_HASH and in `vd_hash`.
pub fn elf_hash(name: &[u8]) -> u32 {
    let mut h: u32 = 0;
    for &c in name {
        h = (h << 4).wrapping_add(c as u32);
        let g = h & 0xf000_0000;
        if g != 0 {
            h ^= g >> 24;
        }
        h &= !g;
    }
    h
}

/// The GNU hash (Bernstein's `h * 33 + c`, from 5381), used by DT_GNU_HASH.
pub fn gnu_hash(name: &[u8]) -> u32 {
    name.iter()
        .fold(5381u32, |h, &c| h.wrapping_mul(33).wrapping_add(c as u32))
}

impl<'a> Dynamic<'a> {
    fn new(elf: Elf<'a>, d: RawDynamic) -> Result<Dynamic<'a>, Error> {
        let data = elf.data;
        let at =
            |vaddr: Option<u32>, len: usize| -> Option<usize> { elf.vaddr_to_offset(vaddr?, len) };
        let strsz = d.strsz.ok_or(Error::BadDynamic)? as usize;
        let strtab_off = at(d.strtab, strsz).ok_or(Error::BadDynamic)?;
        let strtab = bytes(data, strtab_off, strsz).ok_or(Error::BadDynamic)?;
        if d.syment.is_some_and(|s| s as usize != SYM_SIZE) {
            return Err(Error::BadDynamic);
        }
        let symtab = at(d.symtab, SYM_SIZE).ok_or(Error::BadDynamic)?;

        // DT_HASH: nbucket, nchain, then the two arrays. nchain is the number of symbols.
        let sysv = at(d.hash, 8).filter(|&off| {
            let nbucket = u32_at(data, off).unwrap_or(0) as usize;
            let nchain = u32_at(data, off + 4).unwrap_or(0) as usize;
            nbucket != 0
                && nbucket
                    .checked_add(nchain)
                    .and_then(|n| table(data, off + 8, n, 4))
                    .is_some()
        });
        let gnu = at(d.gnu_hash, 16).and_then(|off| GnuHash::parse(data, off));
        if sysv.is_none() && gnu.is_none() {
            return Err(Error::NoHashTable);
        }
        // How many symbols: DT_HASH says it (nchain); DT_GNU_HASH implies it (one past the
        // last symbol reached from a bucket). Only symbols wholly inside the image count.
        let fits = (data.len() - symtab.min(data.len())) / SYM_SIZE;
        let count = match sysv {
            Some(off) => u32_at(data, off + 4).unwrap_or(0) as usize,
            None => gnu.map_or(0, |g| g.symbol_count(data, fits)),
        }
        .min(fits);
        // A version table that is named but out of bounds is an error, not "unversioned".
        let versym = match d.versym {
            Some(v) => Some(at(Some(v), count * 2).ok_or(Error::BadDynamic)?),
            None => None,
        };
        let verdef = match (d.verdef, d.verdefnum) {
            (Some(v), Some(n)) => Some((
                at(Some(v), VERDEF_SIZE).ok_or(Error::BadDynamic)?,
                (n as usize).min(MAX_VERDEFS),
            )),
            _ => None,
        };
        let soname = d.soname.and_then(|o| cstr_at(strtab, o as usize));
        Ok(Dynamic {
            elf,
            strtab,
            symtab,
            count,
            sysv,
            gnu,
            versym,
            verdef,
            soname,
        })
    }

    /// The image this table belongs to.
    pub fn elf(&self) -> &Elf<'a> {
        &self.elf
    }

    /// The object's own name (`DT_SONAME`), e.g. `linux-gate.so.1`.
    pub fn soname(&self) -> Option<&'a [u8]> {
        self.soname
    }

    /// Number of dynamic symbols, including the null symbol 0.
    pub fn len(&self) -> usize {
        self.count
    }

    /// Whether there are no symbols at all.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Which hash tables are present and usable.
    pub fn has_hash(&self, kind: HashKind) -> bool {
        match kind {
            HashKind::Sysv => self.sysv.is_some(),
            HashKind::Gnu => self.gnu.is_some(),
        }
    }

    /// Where symbol `i`'s 16-byte `Elf32_Sym` starts in the image (`DT_SYMTAB`, converted
    /// through the PT_LOAD, plus `i` entries).
    pub fn symbol_offset(&self, i: usize) -> Option<usize> {
        if i >= self.count {
            return None;
        }
        self.symtab.checked_add(i.checked_mul(SYM_SIZE)?)
    }

    /// Symbol `i`.
    pub fn symbol(&self, i: usize) -> Option<Sym> {
        let s = bytes(self.elf.data, self.symbol_offset(i)?, SYM_SIZE)?;
        Some(Sym {
            st_name: u32_at(s, 0)?,
            st_value: u32_at(s, 4)?,
            st_size: u32_at(s, 8)?,
            st_info: s[12],
            st_other: s[13],
            st_shndx: u16_at(s, 14)?,
        })
    }

    /// A symbol's name from the dynamic string table.
    pub fn name(&self, sym: &Sym) -> Option<&'a [u8]> {
        cstr_at(self.strtab, sym.st_name as usize)
    }

    /// Symbol `i`'s versym entry: the version index, with bit 15 ([`VERSYM_HIDDEN`]) set
    /// for a hidden (non-default) version. `None` without a DT_VERSYM table.
    pub fn versym(&self, i: usize) -> Option<u16> {
        if i >= self.count {
            return None;
        }
        u16_at(self.elf.data, self.versym?.checked_add(i * 2)?)
    }

    /// Offsets of the version definitions, following `vd_next` (bounded by
    /// `DT_VERDEFNUM`; stops at `vd_next == 0` or at an entry outside the image).
    fn verdef_offsets(&self) -> impl Iterator<Item = usize> + '_ {
        let (mut off, mut left) = self.verdef.unwrap_or((0, 0));
        core::iter::from_fn(move || {
            if left == 0 {
                return None;
            }
            let v = bytes(self.elf.data, off, VERDEF_SIZE)?;
            let here = off;
            let next = u32_at(v, 16)? as usize;
            left = if next == 0 { 0 } else { left - 1 };
            off = off.checked_add(next)?;
            Some(here)
        })
    }

    /// The version definition at image offset `off`, with the name of its first aux entry.
    fn verdef_at(&self, off: usize) -> Option<Verdef<'a>> {
        let v = bytes(self.elf.data, off, VERDEF_SIZE)?;
        let aux = off.checked_add(u32_at(v, 12)? as usize)?;
        bytes(self.elf.data, aux, VERDAUX_SIZE)?;
        Some(Verdef {
            flags: u16_at(v, 2)?,
            index: u16_at(v, 4)?,
            hash: u32_at(v, 8)?,
            name: cstr_at(self.strtab, u32_at(self.elf.data, aux)? as usize)?,
        })
    }

    /// The version definitions, in table order.
    pub fn verdefs(&self) -> impl Iterator<Item = Verdef<'a>> + '_ {
        self.verdef_offsets().map_while(|off| self.verdef_at(off))
    }

    /// The version definition with index `index` (bit 15 ignored).
    pub fn verdef(&self, index: u16) -> Option<Verdef<'a>> {
        let index = index & !VERSYM_HIDDEN;
        let off = self
            .verdef_offsets()
            .find(|&off| u16_at(self.elf.data, off + 4) == Some(index))?;
        self.verdef_at(off)
    }

    /// Whether symbol `i` has version `version`. An image without version tables accepts
    /// any version (as the kernel's reference parser does); index 0 (local) and the base
    /// definition (the soname) never match.
    fn has_version(&self, i: usize, version: &[u8]) -> bool {
        let Some(vs) = self.versym(i) else {
            return self.versym.is_none();
        };
        match self.verdef(vs) {
            Some(d) => {
                d.flags & abi::VER_FLG_BASE as u16 == 0
                    && d.hash == elf_hash(version)
                    && d.name == version
            }
            None => false,
        }
    }

    /// Whether symbol `i` is the defined, global/weak `name` with `version`.
    fn matches(&self, i: usize, name: &[u8], version: Option<&[u8]>) -> Option<Sym> {
        let sym = self.symbol(i)?;
        let bind = sym.bind() as u32;
        if !sym.is_defined()
            || (bind != abi::STB_GLOBAL && bind != abi::STB_WEAK)
            || self.name(&sym)? != name
        {
            return None;
        }
        match version {
            Some(v) if !self.has_version(i, v) => None,
            _ => Some(sym),
        }
    }

    /// Looks `name` (with `version`, if given) up through `kind`'s hash table.
    pub fn lookup_with(
        &self,
        kind: HashKind,
        name: &[u8],
        version: Option<&[u8]>,
    ) -> Option<(usize, Sym)> {
        let data = self.elf.data;
        match kind {
            HashKind::Sysv => {
                let off = self.sysv?;
                let nbucket = u32_at(data, off)? as usize;
                let nchain = u32_at(data, off + 4)? as usize;
                let bucket = (elf_hash(name) as usize) % nbucket;
                let mut i = u32_at(data, off + 8 + bucket * 4)? as usize;
                // A chain can be at most nchain long; a longer walk means a cycle.
                for _ in 0..nchain.min(self.count) {
                    if i == 0 || i >= nchain {
                        return None;
                    }
                    if let Some(sym) = self.matches(i, name, version) {
                        return Some((i, sym));
                    }
                    i = u32_at(data, off + 8 + (nbucket + i) * 4)? as usize;
                }
                None
            }
            HashKind::Gnu => {
                let g = self.gnu?;
                let h = gnu_hash(name);
                let word = u32_at(data, g.bloom + ((h / 32) as usize % g.bloom_size) * 4)?;
                let mask = (1u32 << (h % 32)) | (1u32 << ((h >> g.bloom_shift) % 32));
                if word & mask != mask {
                    return None;
                }
                let mut i = u32_at(data, g.buckets + (h as usize % g.nbuckets) * 4)? as usize;
                if i < g.symoffset {
                    return None;
                }
                while i < self.count {
                    let h2 = u32_at(data, g.chains + (i - g.symoffset) * 4)?;
                    if h | 1 == h2 | 1
                        && let Some(sym) = self.matches(i, name, version)
                    {
                        return Some((i, sym));
                    }
                    if h2 & 1 != 0 {
                        return None;
                    }
                    i += 1;
                }
                None
            }
        }
    }

    /// Looks `name`@`version` up, through DT_GNU_HASH when present, else DT_HASH.
    pub fn lookup(&self, name: &[u8], version: Option<&[u8]>) -> Option<(usize, Sym)> {
        if self.gnu.is_some() {
            self.lookup_with(HashKind::Gnu, name, version)
        } else {
            self.lookup_with(HashKind::Sysv, name, version)
        }
    }
}

impl GnuHash {
    /// Reads the header (`nbuckets`, `symoffset`, `bloom_size`, `bloom_shift`) at `off` and
    /// checks that the Bloom words and buckets are inside `data`.
    fn parse(data: &[u8], off: usize) -> Option<GnuHash> {
        let nbuckets = u32_at(data, off)? as usize;
        let symoffset = u32_at(data, off + 4)? as usize;
        let bloom_size = u32_at(data, off + 8)? as usize;
        let bloom_shift = u32_at(data, off + 12)?;
        // bloom_shift selects a second bit of a 32-bit Bloom word: it must be below 32.
        if nbuckets == 0 || bloom_size == 0 || bloom_shift >= 32 {
            return None;
        }
        let bloom = off + 16;
        let buckets = bloom.checked_add(bloom_size.checked_mul(4)?)?;
        let chains = buckets.checked_add(nbuckets.checked_mul(4)?)?;
        table(data, bloom, bloom_size, 4)?;
        table(data, buckets, nbuckets, 4)?;
        Some(GnuHash {
            nbuckets,
            symoffset,
            bloom,
            bloom_size,
            bloom_shift,
            buckets,
            chains,
        })
    }

    /// The number of symbols: one past the end of the chain that starts at the highest
    /// bucket. Capped at `limit`.
    fn symbol_count(&self, data: &[u8], limit: usize) -> usize {
        let mut last = 0usize;
        for b in 0..self.nbuckets {
            last = last.max(u32_at(data, self.buckets + b * 4).unwrap_or(0) as usize);
        }
        if last < self.symoffset {
            return self.symoffset.min(limit);
        }
        let mut i = last;
        while i < limit {
            match u32_at(data, self.chains + (i - self.symoffset) * 4) {
                Some(h) if h & 1 == 0 => i += 1,
                Some(_) => return i + 1,
                None => return i,
            }
        }
        limit
    }
}

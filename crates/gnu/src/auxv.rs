//! glibc's `LD_SHOW_AUXV=1` presentation of the auxiliary vector: the names it gives the
//! keys, how it prints each value, and i386's `AT_HWCAP` feature names — so that the `auxv`
//! and `stack` examples print exactly what glibc prints (`tests/sh/foundation.sh` compares).

pub use linux_gate::auxv::*;

// Keys other architectures' kernels pass, which glibc's `LD_SHOW_AUXV` still names, so the
// `auxv` example can print them as glibc does. `linux-raw-sys` generates them only for
// those architectures (PowerPC's `<asm/auxvec.h>`; SuperH's for `AT_FPUCW`).
/// SuperH: the FPU control word the kernel set.
pub const AT_FPUCW: u32 = 18;
/// PowerPC: data cache block size.
pub const AT_DCACHEBSIZE: u32 = 19;
/// PowerPC: instruction cache block size.
pub const AT_ICACHEBSIZE: u32 = 20;
/// PowerPC: unified cache block size.
pub const AT_UCACHEBSIZE: u32 = 21;
/// PowerPC: an entry to skip, like `AT_IGNORE`.
pub const AT_IGNOREPPC: u32 = 22;
/// PowerPC: L1 instruction cache size.
pub const AT_L1I_CACHESIZE: u32 = 40;
/// PowerPC: L1 instruction cache geometry (line size, associativity).
pub const AT_L1I_CACHEGEOMETRY: u32 = 41;
/// PowerPC: L1 data cache size.
pub const AT_L1D_CACHESIZE: u32 = 42;
/// PowerPC: L1 data cache geometry.
pub const AT_L1D_CACHEGEOMETRY: u32 = 43;
/// PowerPC: L2 cache size.
pub const AT_L2_CACHESIZE: u32 = 44;
/// PowerPC: L2 cache geometry.
pub const AT_L2_CACHEGEOMETRY: u32 = 45;
/// PowerPC: L3 cache size.
pub const AT_L3_CACHESIZE: u32 = 46;
/// PowerPC: L3 cache geometry.
pub const AT_L3_CACHEGEOMETRY: u32 = 47;

/// The glibc `LD_SHOW_AUXV` spelling of a key, without the `AT_` prefix.
pub fn name(key: usize) -> Option<&'static str> {
    Some(match key as u32 {
        AT_NULL => "NULL",
        AT_IGNORE => "IGNORE",
        AT_EXECFD => "EXECFD",
        AT_PHDR => "PHDR",
        AT_PHENT => "PHENT",
        AT_PHNUM => "PHNUM",
        AT_PAGESZ => "PAGESZ",
        AT_BASE => "BASE",
        AT_FLAGS => "FLAGS",
        AT_ENTRY => "ENTRY",
        AT_NOTELF => "NOTELF",
        AT_UID => "UID",
        AT_EUID => "EUID",
        AT_GID => "GID",
        AT_EGID => "EGID",
        AT_PLATFORM => "PLATFORM",
        AT_HWCAP => "HWCAP",
        AT_CLKTCK => "CLKTCK",
        AT_FPUCW => "FPUCW",
        AT_DCACHEBSIZE => "DCACHEBSIZE",
        AT_ICACHEBSIZE => "ICACHEBSIZE",
        AT_UCACHEBSIZE => "UCACHEBSIZE",
        AT_IGNOREPPC => "IGNOREPPC",
        AT_SECURE => "SECURE",
        AT_BASE_PLATFORM => "BASE_PLATFORM",
        AT_RANDOM => "RANDOM",
        AT_HWCAP2 => "HWCAP2",
        AT_RSEQ_FEATURE_SIZE => "RSEQ_FEATURE_SIZE",
        AT_RSEQ_ALIGN => "RSEQ_ALIGN",
        AT_HWCAP3 => "HWCAP3",
        AT_HWCAP4 => "HWCAP4",
        AT_EXECFN => "EXECFN",
        AT_SYSINFO => "SYSINFO",
        AT_SYSINFO_EHDR => "SYSINFO_EHDR",
        AT_MINSIGSTKSZ => "MINSIGSTKSZ",
        AT_L1I_CACHESIZE => "L1I_CACHESIZE",
        AT_L1I_CACHEGEOMETRY => "L1I_CACHEGEOMETRY",
        AT_L1D_CACHESIZE => "L1D_CACHESIZE",
        AT_L1D_CACHEGEOMETRY => "L1D_CACHEGEOMETRY",
        AT_L2_CACHESIZE => "L2_CACHESIZE",
        AT_L2_CACHEGEOMETRY => "L2_CACHEGEOMETRY",
        AT_L3_CACHESIZE => "L3_CACHESIZE",
        AT_L3_CACHEGEOMETRY => "L3_CACHEGEOMETRY",
        _ => return None,
    })
}

/// How a value is shown by glibc's `LD_SHOW_AUXV=1`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// Decimal (counts, ids, sizes).
    Dec,
    /// Hexadecimal with `0x` (addresses, flags).
    Hex,
    /// Hexadecimal without `0x` (`AT_NOTELF`, `AT_FPUCW`).
    HexBare,
    /// i386 glibc decodes `AT_HWCAP` into CPU feature names: `AT_HWCAP:    fpu vme de …`
    /// (see [`hwcap_names`]).
    HwcapNames,
    /// A pointer to a NUL-terminated string, printed as the string.
    Str,
}

/// The label glibc prints before a value: `AT_` + name + `:`, padded to 22 columns.
pub struct Label(pub &'static str);

impl core::fmt::Display for Label {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("AT_")?;
        f.write_str(self.0)?;
        f.write_str(":")?;
        for _ in self.0.len() + 1..19 {
            f.write_str(" ")?;
        }
        Ok(())
    }
}

/// The names i386 glibc gives the bits of `AT_HWCAP` (CPUID leaf 1 EDX), bit 0 first;
/// `LD_SHOW_AUXV` prints the names of the set bits.
pub const HWCAP_NAMES: [&str; 32] = [
    "fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce", "cx8", "apic", "10", "sep", "mtrr",
    "pge", "mca", "cmov", "pat", "pse36", "pn", "clflush", "20", "dts", "acpi", "mmx", "fxsr",
    "sse", "sse2", "ss", "ht", "tm", "ia64", "pbe",
];

/// The names of the bits set in an `AT_HWCAP` value.
pub fn hwcap_names(hwcap: usize) -> impl Iterator<Item = &'static str> {
    HWCAP_NAMES
        .iter()
        .enumerate()
        .filter(move |(i, _)| hwcap & (1 << i) != 0)
        .map(|(_, n)| *n)
}

/// glibc's presentation of a key's value (from `_dl_show_auxv`, glibc 2.36), or `None` for
/// keys it does not know, which it prints as `AT_??? (0xKEY): 0xVALUE`: `AT_RSEQ_*`,
/// PowerPC's cache shapes, and `AT_HWCAP3`/`AT_HWCAP4` (newer than glibc 2.36). glibc prints
/// nothing at all for [`AT_IGNORE`] and [`AT_IGNOREPPC`] ([`shown_by_glibc`]).
/// `tests/sh/foundation.sh` checks every key against glibc's own output.
pub fn form(key: usize) -> Option<Form> {
    Some(match key as u32 {
        AT_EXECFD | AT_PHENT | AT_PHNUM | AT_PAGESZ | AT_UID | AT_EUID | AT_GID | AT_EGID
        | AT_CLKTCK | AT_SECURE | AT_MINSIGSTKSZ | AT_L1I_CACHESIZE | AT_L1D_CACHESIZE
        | AT_L2_CACHESIZE | AT_L3_CACHESIZE => Form::Dec,
        AT_PHDR | AT_BASE | AT_FLAGS | AT_ENTRY | AT_SYSINFO | AT_SYSINFO_EHDR | AT_RANDOM
        | AT_HWCAP2 | AT_DCACHEBSIZE | AT_ICACHEBSIZE | AT_UCACHEBSIZE | AT_L1I_CACHEGEOMETRY
        | AT_L1D_CACHEGEOMETRY | AT_L2_CACHEGEOMETRY | AT_L3_CACHEGEOMETRY => Form::Hex,
        AT_NOTELF | AT_FPUCW => Form::HexBare,
        AT_HWCAP => Form::HwcapNames,
        AT_PLATFORM | AT_EXECFN | AT_BASE_PLATFORM => Form::Str,
        _ => return None,
    })
}

/// Whether glibc's `LD_SHOW_AUXV` prints an entry with this key at all: not for
/// `AT_IGNORE` and `AT_IGNOREPPC`, entries there only to be skipped.
pub fn shown_by_glibc(key: usize) -> bool {
    !matches!(key as u32, AT_IGNORE | AT_IGNOREPPC)
}

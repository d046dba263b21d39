//! The kernel's own view of this process, through `/proc`: the lines of `/proc/self/maps`
//! and reads of `/proc/self/mem` — how the 2010 article found and extracted the vDSO, and
//! what the tests cross-check the runtime's answers against.
use alloc::vec::Vec;
use linux_gate::Errno;
use linux_gate::fs;

/// The `/proc/self/maps` lines whose pathname column is exactly `name`
/// (e.g. `[vdso]`), as text.
pub fn maps_lines(name: &str) -> Result<Vec<alloc::string::String>, Errno> {
    let maps = fs::read(c"/proc/self/maps")?;
    Ok(maps
        .split(|&b| b == b'\n')
        .filter(|l| l.split(|&b| b == b' ').next_back() == Some(name.as_bytes()))
        .map(|l| alloc::string::String::from_utf8_lossy(l).into_owned())
        .collect())
}

/// The address range `start..end` of the first `/proc/self/maps` line named `name`.
pub fn maps_range(name: &str) -> Result<Option<(usize, usize)>, Errno> {
    let lines = maps_lines(name)?;
    let Some(line) = lines.first() else {
        return Ok(None);
    };
    let range = line.split(' ').next().unwrap_or("");
    let parsed = range.split_once('-').and_then(|(a, b)| {
        Some((
            usize::from_str_radix(a, 16).ok()?,
            usize::from_str_radix(b, 16).ok()?,
        ))
    });
    parsed.map(Some).ok_or(Errno::EINVAL)
}

/// The `read` system calls this process has made so far, as the kernel counts them
/// (`syscr` in `/proc/self/io`; the read of that file itself is counted after it returns).
pub fn read_calls() -> Result<u64, Errno> {
    let io = fs::read(c"/proc/self/io")?;
    io.split(|&b| b == b'\n')
        .find_map(|l| l.strip_prefix(b"syscr: "))
        .and_then(|n| core::str::from_utf8(n).ok()?.parse().ok())
        .ok_or(Errno::EINVAL)
}

/// Reads `len` bytes of this process's memory at `addr` through `/proc/self/mem`
/// ([`linux_gate::io::pread`]: i386's `pread64`, the 64-bit offset in two words), the way
/// the 2010 article's Python script extracted the vDSO.
pub fn read_self_mem(addr: usize, len: usize) -> Result<Vec<u8>, Errno> {
    let f = fs::File::open_read(c"/proc/self/mem")?;
    let mut buf = alloc::vec![0u8; len];
    let mut done = 0;
    while done < len {
        let pos = (addr + done) as u64;
        let r = linux_gate::io::pread(&f, &mut buf[done..], pos);
        match r {
            Ok(0) => return Err(Errno::EIO),
            Ok(n) => done += n,
            Err(Errno::EINTR) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(buf)
}

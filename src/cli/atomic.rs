//! Writing output files atomically: a temporary file in the same directory, renamed over the
//! target. A reader (the SARIF upload step, a CI artifact collector) sees the old file or the
//! whole new one, never half of it; the rename stays on one file system because the temporary
//! file sits next to the target.

use std::io::Write;
use std::path::Path;

pub fn write_atomic(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".zonelint-").suffix(".tmp");
    // tempfile creates 0600 files; an output file is for others to read too (umask applies).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    let mut file = builder.tempfile_in(dir)?;
    file.write_all(contents)?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

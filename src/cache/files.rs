//! File primitives for secrets on disk: atomic private writes, trusted reads,
//! and advisory locks. Used by the credential cache, the ACK certificate cache
//! and the kubeconfig writer.

use crate::error::{Error, Result};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

/// Writes `bytes` to `path` so that no reader ever sees a partial file: a
/// temporary file (mode 0600) in the same directory, fsync, rename over `path`.
/// Missing parent directories are created with mode 0700.
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    let shown = path.display();
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|e| Error::new(format!("creating directory {}: {e}", dir.display())))?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    // Unique per process and per call, so that concurrent writers never share a temporary file.
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let temp = dir.join(format!(".{name}.tmp.{}.{n}", std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let mut file = OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&temp);
        return Err(Error::new(format!("writing {shown}: {e}")));
    }
    Ok(())
}

/// Reads a file written by [`write_private`]. `Ok(None)` when it is missing, or
/// when group or others may read or write it (then it is not trusted, and ignored).
pub fn read_private(path: &Path, max_bytes: u64) -> Result<Option<Vec<u8>>> {
    let shown = path.display();
    let file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::new(format!("reading {shown}: {e}"))),
    };
    let meta = file.metadata().map_err(|e| Error::new(format!("reading {shown}: {e}")))?;
    if meta.mode() & 0o077 != 0 {
        crate::debug!("ignoring {shown}: mode {:o} lets others read or write it", meta.mode() & 0o777);
        return Ok(None);
    }
    if meta.len() > max_bytes {
        crate::debug!("ignoring {shown}: larger than {max_bytes} bytes");
        return Ok(None);
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::io::Read::read_to_end(&mut std::io::Read::take(file, max_bytes), &mut bytes)
        .map_err(|e| Error::new(format!("reading {shown}: {e}")))?;
    Ok(Some(bytes))
}

/// An exclusive advisory lock on a lock file, released when dropped.
pub struct Lock {
    _file: File,
}

/// Blocks until this process holds the exclusive lock on `path` (created 0600 if missing).
pub fn lock(path: &Path) -> Result<Lock> {
    LockFile::open(path)?.lock()
}

/// A lock file opened but not yet locked: lets a caller tell a place where no
/// file can be created (a read-only file system) from one whose file system
/// cannot lock (some network file systems).
pub struct LockFile {
    file: File,
    path: std::path::PathBuf,
}

impl LockFile {
    /// Opens `path`, creating it with mode 0600 if missing.
    pub fn open(path: &Path) -> Result<LockFile> {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .open(path)
            .map_err(|e| Error::new(format!("opening lock file {}: {e}", path.display())))?;
        Ok(LockFile { file, path: path.to_path_buf() })
    }

    /// Blocks until this process holds the exclusive lock.
    pub fn lock(self) -> Result<Lock> {
        self.file.lock().map_err(|e| Error::new(format!("locking {}: {e}", self.path.display())))?;
        Ok(Lock { _file: self.file })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(label: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("kubecred-cache-unit-{label}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn private_round_trip_and_modes() {
        let dir = temp_dir("rt");
        let path = dir.join("sub/entry.json");
        write_private(&path, b"{}").unwrap();
        assert_eq!(read_private(&path, 100).unwrap().as_deref(), Some(&b"{}"[..]));
        assert_eq!(std::fs::metadata(&path).unwrap().mode() & 0o777, 0o600);
        assert_eq!(std::fs::metadata(dir.join("sub")).unwrap().mode() & 0o777, 0o700);
        assert_eq!(read_private(&dir.join("missing"), 100).unwrap(), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn readable_by_others_is_ignored() {
        use std::os::unix::fs::PermissionsExt;
        let dir = temp_dir("perm");
        let path = dir.join("entry.json");
        write_private(&path, b"{}").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert_eq!(read_private(&path, 100).unwrap(), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn lock_is_reentrant_across_sequential_holders() {
        let dir = temp_dir("lock");
        std::fs::create_dir_all(&dir).unwrap();
        let lock_path = dir.join("x.lock");
        drop(lock(&lock_path).unwrap());
        drop(lock(&lock_path).unwrap());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

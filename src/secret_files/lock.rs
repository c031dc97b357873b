//! Advisory locks that make parallel cold starts cost one network call.

use crate::error::{Error, Result};
use std::fs::{File, OpenOptions};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

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
    path: PathBuf,
}

impl LockFile {
    /// Opens `path`, creating it with mode 0600 if missing. A link at `path` is
    /// refused, not followed: a link planted there would make us create or
    /// open a file of someone else's choosing.
    pub fn open(path: &Path) -> Result<LockFile> {
        let shown = path.display();
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC)
            .open(path)
            .map_err(|e| Error::new(format!("opening lock file {shown}: {}", describe(&e))))?;
        let meta = file.metadata().map_err(|e| Error::new(format!("opening lock file {shown}: {e}")))?;
        if !meta.is_file() {
            return Err(Error::new(format!("lock file {shown}: not a regular file")));
        }
        Ok(LockFile { file, path: path.to_path_buf() })
    }

    /// Blocks until this process holds the exclusive lock.
    pub fn lock(self) -> Result<Lock> {
        self.file.lock().map_err(|e| Error::new(format!("locking {}: {e}", self.path.display())))?;
        Ok(Lock { _file: self.file })
    }
}

/// `ELOOP` from `O_NOFOLLOW` reads as "too many levels of symbolic links": say what it means here.
pub(super) fn describe(e: &std::io::Error) -> String {
    if e.raw_os_error() == Some(libc::ELOOP) { "it is a symbolic link; not following it".into() } else { e.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequential_holders_and_links_refused() {
        let dir = std::env::temp_dir().join(format!("kubecred-lock-unit-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let lock_path = dir.join("x.lock");
        drop(lock(&lock_path).unwrap());
        drop(lock(&lock_path).unwrap());
        let target = dir.join("target");
        std::os::unix::fs::symlink(&target, dir.join("y.lock")).unwrap();
        let message = lock(&dir.join("y.lock")).err().unwrap().to_string();
        assert!(message.contains("symbolic link"), "{message}");
        assert!(!target.exists(), "the link's target was created");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

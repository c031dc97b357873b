//! Reading a secret file back: only one that we wrote, or one the user's own
//! tools wrote.

use super::trust::{check_dir, foreign_file, foreign_or_writable_by_others};
use crate::error::{Error, Result};
use std::fs::{Metadata, OpenOptions};
use std::io::Read;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

/// Reads a file written by [`super::write_private`]. `Ok(None)` when it is
/// missing, or when it is not ours to trust: a link, not a regular file, owned
/// by another user, readable or writable by group or others, or larger than
/// `max_bytes` (each logged at debug level, then ignored).
pub fn read_private(path: &Path, max_bytes: u64) -> Result<Option<Vec<u8>>> {
    match read_checked(path, max_bytes, foreign_file)? {
        Checked::Missing => Ok(None),
        Checked::Refused(why) => {
            crate::debug!("ignoring {}: {why}", path.display());
            Ok(None)
        }
        Checked::Read(bytes) => Ok(Some(bytes)),
    }
}

/// Reads a secret file another tool of the user's wrote (the AWS CLI's SSO
/// token cache), for use as it is. `Ok(None)` when it is missing; an error that
/// says why when it could be someone else's: its directory is not the user's
/// alone (see [`check_dir`]), or the file is a link, not a regular file, owned
/// by another user, or writable by group or others. Being readable by others is
/// allowed: older AWS CLIs left such files, and refusing them would not unsay
/// what they disclosed.
pub fn read_users_own(path: &Path, max_bytes: u64) -> Result<Option<Vec<u8>>> {
    let shown = path.display();
    let untrusted = |why: String| Error::new(format!("{shown}: {why}, so it could hold another user's data"));
    if let Some(dir) = path.parent() {
        match check_dir(dir) {
            Err(_) if !dir.exists() => return Ok(None),
            Err(e) => return Err(untrusted(format!("its directory is not this user's alone ({})", e.message()))),
            Ok(()) => {}
        }
    }
    match read_checked(path, max_bytes, foreign_or_writable_by_others)? {
        Checked::Missing => Ok(None),
        Checked::Refused(why) => Err(untrusted(why)),
        Checked::Read(bytes) => Ok(Some(bytes)),
    }
}

enum Checked {
    Missing,
    /// Why the file is not read.
    Refused(String),
    Read(Vec<u8>),
}

/// Opens `path` without following a link (nor blocking on a FIFO) and reads it
/// when `refuse` finds nothing wrong with it and it is at most `max_bytes`.
fn read_checked(path: &Path, max_bytes: u64, refuse: fn(&Metadata) -> Option<String>) -> Result<Checked> {
    let shown = path.display();
    // O_NONBLOCK: a FIFO in its place must not hang us; `refuse` turns it away.
    let opened =
        OpenOptions::new().read(true).custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC).open(path);
    let file = match opened {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Checked::Missing),
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => return Ok(Checked::Refused("it is a symbolic link".into())),
        Err(e) => return Err(Error::new(format!("reading {shown}: {e}"))),
    };
    let meta = file.metadata().map_err(|e| Error::new(format!("reading {shown}: {e}")))?;
    if let Some(why) = refuse(&meta) {
        return Ok(Checked::Refused(why));
    }
    if meta.len() > max_bytes {
        return Ok(Checked::Refused(format!("larger than {max_bytes} bytes")));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(max_bytes).read_to_end(&mut bytes).map_err(|e| Error::new(format!("reading {shown}: {e}")))?;
    Ok(Checked::Read(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret_files::write_private;
    use std::os::unix::fs::PermissionsExt;

    fn temp_dir(label: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("kubecred-read-{label}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn readable_by_others_links_and_fifos_are_ignored() {
        let dir = temp_dir("ignored");
        let path = dir.join("entry.json");
        write_private(&path, b"{}").unwrap();
        assert_eq!(read_private(&path, 100).unwrap().as_deref(), Some(&b"{}"[..]));
        assert_eq!(read_private(&path, 1).unwrap(), None, "over the bound");
        std::os::unix::fs::symlink(&path, dir.join("link")).unwrap();
        assert_eq!(read_private(&dir.join("link"), 100).unwrap(), None);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert_eq!(read_private(&path, 100).unwrap(), None);
        let fifo = dir.join("fifo");
        let c_path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
        assert_eq!(read_private(&fifo, 100).unwrap(), None);
        assert_eq!(read_private(&dir.join("missing"), 100).unwrap(), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_users_own_files_are_read_and_others_refused_with_a_reason() {
        let dir = temp_dir("own");
        let path = dir.join("token.json");
        assert_eq!(read_users_own(&path, 100).unwrap(), None, "missing");
        assert_eq!(read_users_own(&dir.join("no-dir/token.json"), 100).unwrap(), None, "no directory");
        std::fs::write(&path, b"{}").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert_eq!(read_users_own(&path, 100).unwrap().as_deref(), Some(&b"{}"[..]), "readable by others is fine");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o666)).unwrap();
        let message = read_users_own(&path, 100).unwrap_err().to_string();
        assert!(message.ends_with("mode 666 lets group or others write to it, so it could hold another user's data"));
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        std::os::unix::fs::symlink(&path, dir.join("link")).unwrap();
        assert!(read_users_own(&dir.join("link"), 100).unwrap_err().to_string().contains("it is a symbolic link"));
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
        let message = read_users_own(&path, 100).unwrap_err().to_string();
        assert!(
            message.contains("its directory is not this user's alone") && message.contains("mode 777"),
            "{message}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

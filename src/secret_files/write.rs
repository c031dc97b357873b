//! The one way kubecred writes a secret file.

use super::lock::describe;
use crate::error::{Error, Result};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// How many unpredictable names to try before giving up (each clash means
/// someone planted a file at a 64-bit random name: never by chance).
const NAME_ATTEMPTS: usize = 4;

/// Writes `bytes` to `path` so that no reader ever sees a partial file, and the
/// file at `path` afterwards is a new one, ours, with mode 0600.
///
/// The temporary file beside it has an unpredictable name and is created
/// exclusively without following links, so nothing another user planted in the
/// directory (a link, a file open to all) is ever written through or kept.
/// Missing parent directories are created with mode 0700. An existing
/// directory is used as it is: `--output-file` may name a volume shared with
/// another container, and what we put there is still ours alone.
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    let shown = path.display();
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|e| Error::new(format!("creating directory {}: {e}", dir.display())))?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let (temp, mut file) = create_temp(dir, &name).map_err(|e| Error::new(format!("writing {shown}: {e}")))?;
    let result = (|| -> std::io::Result<()> {
        // The mode given at creation is reduced by the umask; say it exactly.
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temp, path)?;
        // The rename itself is durable only once the directory is.
        File::open(dir)?.sync_all()
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&temp);
        return Err(Error::new(format!("writing {shown}: {e}")));
    }
    Ok(())
}

/// A new file `.NAME.RANDOM.tmp` in `dir`, created `O_EXCL|O_NOFOLLOW` with mode 0600.
fn create_temp(dir: &Path, name: &str) -> std::result::Result<(PathBuf, File), String> {
    let mut last = String::new();
    for _ in 0..NAME_ATTEMPTS {
        let temp = dir.join(format!(".{name}.{}.tmp", random_hex()?));
        match OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
            .open(&temp)
        {
            Ok(file) => return Ok((temp, file)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = describe(&e),
            Err(e) => return Err(format!("creating a temporary file in {}: {}", dir.display(), describe(&e))),
        }
    }
    Err(format!("creating a temporary file in {}: {last}", dir.display()))
}

/// 64 random bits from the system's generator, as 16 hex digits.
fn random_hex() -> std::result::Result<String, String> {
    use ring::rand::SecureRandom;
    let mut bytes = [0u8; 8];
    ring::rand::SystemRandom::new().fill(&mut bytes).map_err(|_| "the system's random generator failed".to_string())?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::MetadataExt;

    fn temp_dir(label: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("kubecred-write-{label}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn new_file_is_private_and_parents_are_0700() {
        let dir = temp_dir("new");
        let path = dir.join("sub/entry.json");
        write_private(&path, b"{}").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"{}");
        assert_eq!(std::fs::metadata(&path).unwrap().mode() & 0o777, 0o600);
        assert_eq!(std::fs::metadata(dir.join("sub")).unwrap().mode() & 0o777, 0o700);
        assert_eq!(std::fs::metadata(&dir).unwrap().mode() & 0o777, 0o700);
        assert_eq!(std::fs::read_dir(dir.join("sub")).unwrap().count(), 1, "no temporary file left");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn what_stood_at_the_target_is_replaced_not_followed() {
        let dir = temp_dir("replace");
        std::fs::create_dir_all(&dir).unwrap();
        let victim = dir.join("victim");
        std::fs::write(&victim, b"keep").unwrap();
        let path = dir.join("kubeconfig");
        std::os::unix::fs::symlink(&victim, &path).unwrap();
        write_private(&path, b"secret").unwrap();
        assert_eq!(std::fs::read(&victim).unwrap(), b"keep");
        let meta = std::fs::symlink_metadata(&path).unwrap();
        assert!(meta.is_file());
        assert_eq!(meta.mode() & 0o777, 0o600);
        // A world-readable file at the target becomes a new private one.
        std::fs::remove_file(&path).unwrap();
        std::fs::write(&path, b"old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o666)).unwrap();
        write_private(&path, b"new").unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().mode() & 0o777, 0o600);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn temporary_names_differ() {
        let a = random_hex().unwrap();
        assert_eq!(a.len(), 16);
        assert_ne!(a, random_hex().unwrap());
    }
}

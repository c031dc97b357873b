//! Which directories may hold secrets, and who owns a file.

use crate::error::{Error, Result};
use std::os::unix::fs::{DirBuilderExt, MetadataExt};
use std::path::Path;

/// The effective user id: the owner kubecred's own files have.
pub fn euid() -> u32 {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() }
}

/// Why a directory is not used for secrets, or `Ok` when it may be.
///
/// A directory qualifies when it is a directory (a link to one is followed: the
/// user may point `--cache-dir` anywhere), owned by the effective user or root,
/// and not writable by group or others. Anyone who can write to it could rename
/// our files away and put theirs in their place.
///
/// ```
/// let dir = std::env::temp_dir().join(format!("kubecred-doc-trust-{}", std::process::id()));
/// kubecred::secret_files::create_private_dir(&dir)?;
/// assert!(kubecred::secret_files::check_dir(&dir).is_ok());
/// # std::fs::remove_dir_all(&dir).unwrap();
/// # Ok::<(), kubecred::error::Error>(())
/// ```
pub fn check_dir(dir: &Path) -> Result<()> {
    let shown = dir.display();
    let meta = std::fs::metadata(dir).map_err(|e| Error::new(format!("{shown}: {e}")))?;
    if !meta.is_dir() {
        return Err(Error::new(format!("{shown}: not a directory")));
    }
    let me = euid();
    if meta.uid() != me && meta.uid() != 0 {
        return Err(Error::new(format!("{shown}: owned by uid {}, not by this user (uid {me}) or root", meta.uid())));
    }
    if meta.mode() & 0o022 != 0 {
        return Err(Error::new(format!("{shown}: mode {:o} lets group or others write to it", meta.mode() & 0o7777)));
    }
    Ok(())
}

/// Creates `dir` and its missing parents with mode 0700, then checks it with
/// [`check_dir`] (an existing directory keeps its mode and must pass as it is).
pub fn create_private_dir(dir: &Path) -> Result<()> {
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|e| Error::new(format!("creating directory {}: {e}", dir.display())))?;
    check_dir(dir)
}

/// Where a rewrite of `path` should go: the file a link at `path` points to
/// when the link is the effective user's or root's (a kubeconfig kept in a
/// dotfiles repository, as kubectl and the AWS CLI write through such links),
/// else `path` itself, whose link [`crate::secret_files::write_private`] then
/// replaces instead of following.
pub fn rewrite_target(path: &Path) -> std::path::PathBuf {
    let Ok(meta) = std::fs::symlink_metadata(path) else { return path.to_path_buf() };
    if !meta.file_type().is_symlink() || (meta.uid() != euid() && meta.uid() != 0) {
        return path.to_path_buf();
    }
    match std::fs::canonicalize(path) {
        Ok(target) => target,
        Err(_) => match std::fs::read_link(path) {
            // A dangling link: the file it names is created.
            Ok(target) => path.parent().map_or(target.clone(), |dir| dir.join(&target)),
            Err(_) => path.to_path_buf(),
        },
    }
}

/// Why a file another process left is not ours to trust, if it is not.
pub fn foreign_file(meta: &std::fs::Metadata) -> Option<String> {
    not_the_users(meta).or_else(|| {
        (meta.mode() & 0o077 != 0).then(|| format!("mode {:o} lets others read or write it", meta.mode() & 0o7777))
    })
}

/// Why a file the user's own tools wrote could be someone else's, if it could:
/// as [`foreign_file`], except that others may read it.
pub fn foreign_or_writable_by_others(meta: &std::fs::Metadata) -> Option<String> {
    not_the_users(meta).or_else(|| {
        (meta.mode() & 0o022 != 0).then(|| format!("mode {:o} lets group or others write to it", meta.mode() & 0o7777))
    })
}

/// Why a file is not a regular file of the effective user's, if it is not.
fn not_the_users(meta: &std::fs::Metadata) -> Option<String> {
    if !meta.is_file() {
        return Some("not a regular file".into());
    }
    let me = euid();
    (meta.uid() != me).then(|| format!("owned by uid {}, not by this user (uid {me})", meta.uid()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn temp_dir(label: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("kubecred-trust-{label}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn created_directories_are_private_parents_included() {
        let dir = temp_dir("create");
        let deep = dir.join("a/b");
        create_private_dir(&deep).unwrap();
        for d in [&dir, &dir.join("a"), &deep] {
            assert_eq!(std::fs::metadata(d).unwrap().mode() & 0o777, 0o700, "{}", d.display());
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn writable_by_others_is_refused() {
        let dir = temp_dir("open");
        std::fs::create_dir_all(&dir).unwrap();
        for mode in [0o777, 0o770, 0o1777, 0o702] {
            std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(mode)).unwrap();
            let message = check_dir(&dir).unwrap_err().to_string();
            assert!(message.contains("lets group or others write"), "{mode:o}: {message}");
        }
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        check_dir(&dir).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn own_links_are_rewritten_through() {
        let dir = temp_dir("links");
        std::fs::create_dir_all(dir.join("dotfiles")).unwrap();
        std::fs::write(dir.join("dotfiles/config"), b"x").unwrap();
        std::os::unix::fs::symlink("dotfiles/config", dir.join("config")).unwrap();
        assert_eq!(rewrite_target(&dir.join("config")), std::fs::canonicalize(dir.join("dotfiles/config")).unwrap());
        std::os::unix::fs::symlink("dotfiles/new", dir.join("dangling")).unwrap();
        assert_eq!(rewrite_target(&dir.join("dangling")), dir.join("dotfiles/new"));
        assert_eq!(rewrite_target(&dir.join("dotfiles/config")), dir.join("dotfiles/config"));
        assert_eq!(rewrite_target(&dir.join("missing")), dir.join("missing"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_file_is_not_a_directory() {
        let dir = temp_dir("file");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("f"), b"").unwrap();
        assert!(check_dir(&dir.join("f")).unwrap_err().to_string().contains("not a directory"));
        assert!(create_private_dir(&dir.join("f")).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

//! Files that hold secrets: credential cache entries, ACK client certificates
//! and keys, kubeconfigs with tokens, the SSO token cache.
//!
//! Another user on the host, or in the same Pod volume, must not be able to
//! read them, swap them, or make kubecred write through a link of theirs. So:
//!
//! * Every secret file is written by [`write_private`]: a temporary file with an
//!   unpredictable name created `O_CREAT|O_EXCL|O_NOFOLLOW` with mode 0600,
//!   fsynced, renamed over the target, and the directory fsynced. Whatever stood
//!   at the target or at any temporary name before, the result is a new file
//!   owned by us with mode 0600.
//! * Directories kubecred keeps secrets in are created 0700 (parents included)
//!   and used only when [`trust::check_dir`] accepts them: owned by the
//!   effective user or root, not writable by group or others.
//! * [`read_private`] reads only regular files, not through a link, owned by the
//!   effective user and private to them. [`read_users_own`] reads what the
//!   user's other tools wrote (the AWS CLI's SSO token cache) on the same terms,
//!   except that others may read it, and says why when it refuses one.
//! * Lock files are opened `O_NOFOLLOW` ([`LockFile`]).
//!
//! ```
//! # let dir = std::env::temp_dir().join(format!("kubecred-doc-secret-{}", std::process::id()));
//! use kubecred::secret_files::{read_private, write_private};
//! let path = dir.join("sub/entry.json");
//! write_private(&path, b"{}")?;
//! assert_eq!(read_private(&path, 1024)?.as_deref(), Some(&b"{}"[..]));
//! # std::fs::remove_dir_all(&dir).unwrap();
//! # Ok::<(), kubecred::error::Error>(())
//! ```

mod lock;
mod read;
pub mod trust;
mod write;

pub use lock::{Lock, LockFile, lock};
pub use read::{read_private, read_users_own};
pub use trust::{check_dir, create_private_dir, rewrite_target};
pub use write::write_private;

//! Running a credential program (`credential_process`, a kubeconfig exec
//! plugin, an aliyun CLI `External` command) and reading what it prints,
//! within bounds: a program that prints without end is stopped, not buffered
//! until memory runs out.
//!
//! kubecred stays single-threaded, so it cannot drain two pipes at once
//! without risking a deadlock on the one it is not reading. stdout comes
//! through a pipe; stderr, when captured, goes to an unlinked temporary file
//! read after the program exits.

use crate::error::{Error, Result};
use std::io::{Read, Seek};
use std::process::{Command, ExitStatus, Stdio};

/// The most stdout kept (the credential documents are a few KiB).
pub const MAX_STDOUT_BYTES: u64 = crate::json::MAX_JSON_BYTES as u64;

/// The most stderr read back (errors quote its first line).
const MAX_STDERR_BYTES: u64 = 64 * 1024;

/// What to do with the program's stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stderr {
    /// Keep it, to quote in an error.
    Capture,
    /// Let it through to kubecred's stderr (prompts, the program's own messages).
    Inherit,
}

/// A finished program: its exit status, stdout, and (captured) stderr.
pub struct Finished {
    pub status: ExitStatus,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

impl Finished {
    /// The first non-empty line of stderr, trimmed, at most `max_chars` long.
    pub fn stderr_first_line(&self, max_chars: usize) -> String {
        let text = String::from_utf8_lossy(&self.stderr);
        text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("").chars().take(max_chars).collect()
    }

    /// "`name` exited with status N" or "`name` was killed by a signal", then
    /// `: first_line` when there is one.
    pub fn describe_failure(&self, name: &str, first_line: &str) -> String {
        let status = match self.status.code() {
            Some(code) => format!("exited with status {code}"),
            None => "was killed by a signal".to_string(),
        };
        if first_line.is_empty() { format!("{name} {status}") } else { format!("{name} {status}: {first_line}") }
    }
}

/// Runs `command` (whose stdin the caller has set) to completion; `what` names
/// it in errors.
///
/// ```
/// use kubecred::child::{Stderr, run};
/// let mut command = std::process::Command::new("sh");
/// command.args(["-c", "echo out; echo err >&2; exit 3"]);
/// let finished = run(&mut command, Stderr::Capture, "sh").unwrap();
/// assert_eq!((finished.stdout.as_slice(), finished.status.code()), (&b"out\n"[..], Some(3)));
/// assert_eq!(finished.stderr_first_line(200), "err");
/// ```
pub fn run(command: &mut Command, stderr: Stderr, what: &str) -> Result<Finished> {
    let mut stderr_file = if stderr == Stderr::Capture { unlinked_temp_file() } else { None };
    let stderr_stdio = match (stderr, stderr_file.as_ref().and_then(|file| file.try_clone().ok())) {
        (Stderr::Inherit, _) => Stdio::inherit(),
        (Stderr::Capture, Some(file)) => Stdio::from(file),
        (Stderr::Capture, None) => {
            crate::debug!("{what}: no writable temporary file; its stderr is discarded");
            Stdio::null()
        }
    };
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(stderr_stdio)
        .spawn()
        .map_err(|e| Error::new(format!("{what}: cannot run it: {e}")))?;
    let mut stdout = Vec::new();
    let read = match child.stdout.take() {
        Some(pipe) => pipe.take(MAX_STDOUT_BYTES + 1).read_to_end(&mut stdout).map(|_| ()),
        None => Ok(()),
    };
    if stdout.len() as u64 > MAX_STDOUT_BYTES {
        let _ = child.kill();
        let _ = child.wait();
        return Err(Error::new(format!("{what}: printed more than {MAX_STDOUT_BYTES} bytes; stopped it")));
    }
    let status = child.wait().map_err(|e| Error::new(format!("{what}: waiting for it: {e}")))?;
    read.map_err(|e| Error::new(format!("{what}: reading its output: {e}")))?;
    let mut captured = Vec::new();
    if let Some(file) = stderr_file.as_mut()
        && file.rewind().is_ok()
    {
        let _ = file.take(MAX_STDERR_BYTES).read_to_end(&mut captured);
    }
    Ok(Finished { status, stdout, stderr: captured })
}

/// A read-write file that no path names any more; `None` where the temporary
/// directory is not writable (a read-only root): stderr is then dropped.
fn unlinked_temp_file() -> Option<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    let path = std::env::temp_dir().join(format!("kubecred-stderr-{}-{nanos}", std::process::id()));
    let file = std::fs::OpenOptions::new().read(true).write(true).create_new(true).mode(0o600).open(&path).ok()?;
    let _ = std::fs::remove_file(&path);
    Some(file)
}

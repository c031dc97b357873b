//! Asking for an MFA code (an assume-role profile's `mfa_serial`) on the
//! terminal, as botocore's getpass prompt does: `/dev/tty`, never stdin or
//! stdout, which kubectl owns. Without a terminal (kubectl under an IDE, CI)
//! the error says how to warm the AWS CLI's cache, which kubecred reuses.

use crate::error::{Error, Result};
use std::io::{BufRead, BufReader, Write};

/// The most bytes read as a code (codes are six digits).
const MAX_CODE_BYTES: u64 = 64;

/// Reads the code for `serial` from the terminal; `profile` names the profile in messages.
pub fn token_code(serial: &str, profile: &str) -> Result<String> {
    let no_terminal = |why: String| {
        Error::new(format!(
            "the role needs an MFA code for {serial} and there is no terminal to ask on ({why}); \
             run `aws sts get-caller-identity --profile {profile}` in a terminal once, kubecred then reuses the AWS CLI's cached role credentials (~/.aws/cli/cache)"
        ))
    };
    let mut tty = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
        .map_err(|e| no_terminal(format!("/dev/tty: {e}")))?;
    write!(tty, "Enter MFA code for {serial}: ").and_then(|()| tty.flush()).map_err(|e| no_terminal(e.to_string()))?;
    let mut line = String::new();
    BufReader::new(std::io::Read::take(&mut tty, MAX_CODE_BYTES))
        .read_line(&mut line)
        .map_err(|e| no_terminal(e.to_string()))?;
    let code = line.trim();
    if code.is_empty() {
        return Err(Error::new(format!("no MFA code entered for {serial}")));
    }
    Ok(code.to_string())
}

//! The one error type: a message for the user and whether it was a usage mistake.
//!
//! Every failure ends as one line on stderr. Usage mistakes exit with status 2,
//! everything else with 1. Messages name what is wrong and where, and never carry
//! a secret: build them from names, paths, hosts and status codes, not values.

use std::fmt;

/// What kind of failure this is; decides the exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The command line (or an environment variable standing in for a flag) is wrong: exit 2.
    Usage,
    /// Anything else: configuration, network, a server's reply: exit 1.
    Failure,
}

/// A failure with a one-line message for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: String,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A failure that is not the user's command line (exit status 1).
    pub fn new(message: impl Into<String>) -> Error {
        Error { kind: ErrorKind::Failure, message: one_line(message.into()) }
    }

    /// A mistake on the command line (exit status 2).
    pub fn usage(message: impl Into<String>) -> Error {
        Error { kind: ErrorKind::Usage, message: one_line(message.into()) }
    }

    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    /// Prefixes the message with where it happened: `context: message`.
    ///
    /// ```
    /// # use kubecred::error::Error;
    /// let e = Error::new("bad value").context("~/.aws/config line 3");
    /// assert_eq!(e.message(), "~/.aws/config line 3: bad value");
    /// ```
    pub fn context(self, context: impl fmt::Display) -> Error {
        Error { kind: self.kind, message: one_line(format!("{context}: {}", self.message)) }
    }

    /// The process exit status for this error.
    pub fn exit_code(&self) -> i32 {
        match self.kind {
            ErrorKind::Usage => 2,
            ErrorKind::Failure => 1,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl From<lexopt::Error> for Error {
    fn from(e: lexopt::Error) -> Error {
        Error::usage(e.to_string())
    }
}

/// Adds context to any `Result` whose error converts into [`Error`].
pub trait ResultExt<T> {
    fn context(self, context: impl fmt::Display) -> Result<T>;
}

impl<T, E: Into<Error>> ResultExt<T> for std::result::Result<T, E> {
    fn context(self, context: impl fmt::Display) -> Result<T> {
        self.map_err(|e| e.into().context(context))
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Error {
        Error::new(e.to_string())
    }
}

/// Messages are printed as one line: fold any line breaks a source put in them,
/// and show other control characters (a server's reply may hold any) as `?`.
/// Passwords in URLs are hidden ([`crate::log::redact_userinfo`]).
pub fn one_line(message: String) -> String {
    let message = match crate::log::redact_userinfo(&message) {
        std::borrow::Cow::Borrowed(_) => message,
        std::borrow::Cow::Owned(redacted) => redacted,
    };
    if !message.chars().any(char::is_control) {
        return message;
    }
    let cleaned: String = message
        .chars()
        .map(|c| {
            if c == '\n' || c == '\r' {
                '\n'
            } else if c.is_control() {
                '?'
            } else {
                c
            }
        })
        .collect();
    cleaned.split('\n').map(str::trim).filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes() {
        assert_eq!(Error::usage("x").exit_code(), 2);
        assert_eq!(Error::new("x").exit_code(), 1);
    }

    #[test]
    fn messages_are_one_line() {
        let e = Error::new("first\nsecond\r\n third");
        assert_eq!(e.message(), "first second third");
    }

    #[test]
    fn control_characters_are_shown_as_question_marks() {
        assert_eq!(Error::new("a\0b\x1b[31m\tc").message(), "a?b?[31m?c");
    }

    #[test]
    fn context_keeps_kind() {
        let e = Error::usage("bad").context("--duration");
        assert_eq!(e.kind(), ErrorKind::Usage);
        assert_eq!(e.message(), "--duration: bad");
    }
}

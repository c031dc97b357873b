//! A value that must never be printed: keys, tokens, passwords.
//!
//! `Debug` shows `<redacted>`, so no log line, error or `{:?}` of a struct
//! holding one can leak it by accident; there is no `Display`, so `format!`
//! with one does not compile (rather than print `<redacted>` where the value
//! was meant, into a signature, say); reading it takes an explicit
//! [`Secret::expose`], which is easy to find in review.
//!
//! ```
//! use kubecred::secret::Secret;
//! let key = Secret::new("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
//! assert_eq!(format!("{key:?}"), "<redacted>");
//! assert_eq!(key.expose(), "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
//! ```

use std::fmt;

#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The secret itself, for the one place that must send or sign with it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Secret {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Secret {
        Secret(value.to_string())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

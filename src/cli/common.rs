//! Flag helpers shared by every command family, and the flags they share.

use crate::error::{Error, Result};
use std::io::Write;
use std::time::Duration;

/// The value of the current flag as UTF-8, or a usage error naming the flag.
///
/// A separate word that looks like a flag (`--region --cluster-name x`) is not
/// taken as the value: the user forgot it, as the AWS CLI also concludes. Such
/// a value can still be given attached (`--flag=-x`); `-` and `-5m` are values.
///
/// ```
/// use kubecred::cli::common::string_value;
/// let mut parser = lexopt::Parser::from_args(["--region", "--cluster-name", "x"]);
/// parser.next().unwrap();
/// assert_eq!(string_value(&mut parser, "--region").unwrap_err().message(), "--region needs a value");
/// let mut parser = lexopt::Parser::from_args(["--duration=-5m"]);
/// parser.next().unwrap();
/// assert_eq!(string_value(&mut parser, "--duration").unwrap(), "-5m");
/// ```
pub fn string_value(parser: &mut lexopt::Parser, flag: &str) -> Result<String> {
    let needs_value = || Error::usage(format!("{flag} needs a value"));
    let value = match parser.optional_value() {
        Some(attached) => attached,
        None => {
            let value = parser.value().map_err(|_| needs_value())?;
            if looks_like_flag(&value) {
                return Err(needs_value());
            }
            value
        }
    };
    value.into_string().map_err(|_| Error::usage(format!("{flag}: value is not valid UTF-8")))
}

/// `--anything` or `-x` (a letter): a flag, not a value.
fn looks_like_flag(word: &std::ffi::OsStr) -> bool {
    let bytes = word.as_encoded_bytes();
    match bytes {
        [b'-', b'-', ..] => true,
        [b'-', second, ..] => second.is_ascii_alphabetic(),
        _ => false,
    }
}

/// A whole number of seconds (as the AWS CLI's `--cli-connect-timeout`); 0 means no limit.
pub fn seconds_value(parser: &mut lexopt::Parser, flag: &str) -> Result<Option<Duration>> {
    let text = string_value(parser, flag)?;
    let seconds: u64 =
        text.trim().parse().map_err(|_| Error::usage(format!("{flag}: expected whole seconds, got {text:?}")))?;
    Ok(if seconds == 0 { None } else { Some(Duration::from_secs(seconds)) })
}

/// Writes the credential (or help text) to stdout; a closed pipe is an error, not a panic.
pub fn print_stdout(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes()).and_then(|()| out.flush()).map_err(|e| Error::new(format!("writing to stdout: {e}")))
}

/// Flags that tune the network, shared by every command that makes calls.
#[derive(Debug, Default, Clone)]
pub struct NetworkFlags {
    pub ca_bundle: Option<std::path::PathBuf>,
    pub connect_timeout: Option<Option<Duration>>,
    pub read_timeout: Option<Option<Duration>>,
}

impl NetworkFlags {
    /// Consumes the long flag `name` if it is a network flag; returns whether it was.
    pub fn parse(&mut self, name: &str, parser: &mut lexopt::Parser) -> Result<bool> {
        match name {
            "ca-bundle" => {
                self.ca_bundle = Some(string_value(parser, "--ca-bundle")?.into());
            }
            "cli-connect-timeout" => {
                self.connect_timeout = Some(seconds_value(parser, "--cli-connect-timeout")?);
            }
            "cli-read-timeout" => {
                self.read_timeout = Some(seconds_value(parser, "--cli-read-timeout")?);
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// Installs these flags as the process's HTTP settings.
    pub fn apply(&self) {
        let mut settings = crate::http::Settings::from_env(&crate::env::Env::from_process());
        // 0 means "no limit" in the AWS CLI; a day stands in for that.
        let unlimited = Duration::from_secs(86_400);
        if let Some(connect) = self.connect_timeout {
            settings.connect_timeout = connect.unwrap_or(unlimited);
        }
        if let Some(read) = self.read_timeout {
            settings.read_timeout = read.unwrap_or(unlimited);
        }
        if let Some(bundle) = &self.ca_bundle {
            settings.ca_bundle = Some(bundle.clone());
        }
        crate::http::configure(settings);
    }
}

/// Flags that steer the credential cache, shared by every command that uses it.
///
/// ```
/// let mut flags = kubecred::cli::common::CacheFlags::default();
/// let mut parser = lexopt::Parser::from_args(["--cache-dir", "/tmp/c", "--no-cache", "--region"]);
/// while let Ok(Some(lexopt::Arg::Long(name))) = parser.next() {
///     let name = name.to_string();
///     let taken = flags.parse(&name, &mut parser).unwrap();
///     assert_eq!(taken, name != "region");
/// }
/// assert_eq!(flags.dir.as_deref(), Some(std::path::Path::new("/tmp/c")));
/// assert!(flags.disabled);
/// let mut parser = lexopt::Parser::from_args(["--cache-dir="]);
/// parser.next().unwrap();
/// assert_eq!(flags.parse("cache-dir", &mut parser).unwrap_err().exit_code(), 2);
/// ```
#[derive(Debug, Default, Clone)]
pub struct CacheFlags {
    /// `--no-cache`: fetch every time; neither read nor write the cache.
    pub disabled: bool,
    /// `--cache-dir DIR`: instead of KUBECRED_CACHE_DIR, $XDG_CACHE_HOME/kubecred, ~/.kube/cache/kubecred.
    pub dir: Option<std::path::PathBuf>,
}

impl CacheFlags {
    /// Lines for a command's `--help`.
    pub const HELP: &'static str = "\
  --no-cache                neither read nor write the credential cache
  --cache-dir DIR           credential cache directory (else KUBECRED_CACHE_DIR,
                            $XDG_CACHE_HOME/kubecred, ~/.kube/cache/kubecred)
";

    /// Consumes the long flag `name` if it is a cache flag; returns whether it was.
    pub fn parse(&mut self, name: &str, parser: &mut lexopt::Parser) -> Result<bool> {
        match name {
            "no-cache" => self.disabled = true,
            "cache-dir" => {
                let dir = string_value(parser, "--cache-dir")?;
                if dir.is_empty() {
                    return Err(Error::usage("--cache-dir: expected a directory, got an empty value"));
                }
                self.dir = Some(dir.into());
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// Installs these flags as the process's cache settings.
    pub fn apply(&self) {
        crate::cache::configure(crate::cache::CacheSettings { disabled: self.disabled, dir: self.dir.clone() });
    }
}

/// The usage error for a command family run without its subcommand
/// (`kubecred eks`): like bare `kubecred`, a usage mistake.
pub fn missing_subcommand(family: &str, choices: &str) -> Error {
    Error::usage(format!("{family}: no command given ({choices}); see {family} --help"))
}

/// The usage error for an unknown long flag.
pub fn unknown_flag(name: &str, command: &str) -> Error {
    Error::usage(format!("{command}: unknown flag --{name}; see {command} --help"))
}

/// Turns an unexpected lexopt argument into a usage error naming `command`.
pub fn unexpected(arg: lexopt::Arg, command: &str) -> Error {
    Error::usage(format!("{command}: {}", arg.unexpected()))
}

//! `kubecred cache list|clear|run`: the cache made visible, clearable, and
//! usable by any exec plugin.

use crate::cache::inventory::{self, Kind};
use crate::cache::{location, plugin};
use crate::cli::common::{missing_subcommand, print_stdout, string_value, unexpected, unknown_flag};
use crate::error::{Error, Result};
use crate::time::Timestamp;
use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;

const USAGE: &str = "\
Usage:
  kubecred cache list [--cache-dir DIR] [--credential-cache-dir DIR]
  kubecred cache clear [--kind aws|alibaba|ack-cert|plugin] [--cache-dir DIR] [--credential-cache-dir DIR]
  kubecred cache run [--cache-dir DIR] [--no-cache] [--debug] -- COMMAND [ARGS...]

list prints one line per entry: kind, what it is for, time left, file (never a secret).
clear removes entries (all, or one kind); another user's files are left alone.
run runs an exec credential plugin and caches its ExecCredential until shortly before
its status.expirationTimestamp (see docs/cache-tools.md for the key and the rules).

Flags:
  --cache-dir DIR              kubecred's cache (else KUBECRED_CACHE_DIR, $XDG_CACHE_HOME/kubecred,
                               ~/.kube/cache/kubecred)
  --credential-cache-dir DIR   ACK certificates (default ~/.kube/cache/ack-ram-tool/credential-plugin)
  --kind KIND                  clear: only aws, alibaba, ack-cert or plugin entries
  --no-cache                   run: run the plugin, neither read nor write the cache
  --debug                      run: log cache decisions on stderr
";

pub fn run(args: Vec<OsString>) -> Result<()> {
    let mut args = args.into_iter();
    let sub = args.next();
    let rest: Vec<OsString> = args.collect();
    match sub.as_ref().and_then(|s| s.to_str()) {
        Some("list") => {
            let Some(dirs) = parse(rest, "kubecred cache list", false)? else { return print_stdout(USAGE) };
            list(&dirs)
        }
        Some("clear") => {
            let Some(dirs) = parse(rest, "kubecred cache clear", true)? else { return print_stdout(USAGE) };
            clear(&dirs)
        }
        Some("run") => run_plugin(rest),
        Some("--help" | "-h" | "help") => print_stdout(USAGE),
        None => Err(missing_subcommand("kubecred cache", "list, clear, run")),
        Some(other) => Err(Error::usage(format!("kubecred cache: unknown command {other:?} (list, clear, run)"))),
    }
}

/// The directories list and clear look at, and clear's `--kind`.
struct Dirs {
    cache: Option<PathBuf>,
    certs: Option<PathBuf>,
    kind: Option<Kind>,
}

/// `None` when help was asked for.
fn parse(args: Vec<OsString>, command: &str, takes_kind: bool) -> Result<Option<Dirs>> {
    let mut cache_flag: Option<PathBuf> = None;
    let mut certs: Option<PathBuf> = None;
    let mut kind = None;
    let mut parser = lexopt::Parser::from_args(args);
    while let Some(arg) = parser.next()? {
        let name = match arg {
            lexopt::Arg::Long(name) => name.to_string(),
            lexopt::Arg::Short('h') => return Ok(None),
            other => return Err(unexpected(other, command)),
        };
        match name.as_str() {
            "cache-dir" => cache_flag = Some(non_empty(string_value(&mut parser, "--cache-dir")?, "--cache-dir")?),
            "credential-cache-dir" => {
                let dir = string_value(&mut parser, "--credential-cache-dir")?;
                certs = Some(non_empty(dir, "--credential-cache-dir")?);
            }
            "kind" if takes_kind => {
                let text = string_value(&mut parser, "--kind")?;
                kind = Some(Kind::parse(&text).ok_or_else(|| {
                    Error::usage(format!("{command}: --kind: expected aws, alibaba, ack-cert or plugin, got {text:?}"))
                })?);
            }
            "help" => return Ok(None),
            _ => return Err(unknown_flag(&name, command)),
        }
    }
    let home = std::env::var_os("HOME").filter(|h| !h.is_empty()).map(PathBuf::from);
    let certs = certs.or_else(|| home.map(|h| h.join(crate::alibaba::cert_cache::DEFAULT_DIR)));
    Ok(Some(Dirs { cache: location::from_process(cache_flag.as_deref()), certs, kind }))
}

fn non_empty(value: String, flag: &str) -> Result<PathBuf> {
    if value.is_empty() {
        return Err(Error::usage(format!("{flag}: expected a directory, got an empty value")));
    }
    Ok(value.into())
}

fn list(dirs: &Dirs) -> Result<()> {
    let items = inventory::list(dirs.cache.as_deref(), dirs.certs.as_deref())?;
    let now = Timestamp::now();
    let text: String = items.iter().map(|item| format!("{}\n", item.line(now))).collect();
    if items.is_empty() {
        crate::info!("no cache entries in {}", shown(dirs));
    }
    print_stdout(&text)
}

fn clear(dirs: &Dirs) -> Result<()> {
    let removed = inventory::clear(dirs.cache.as_deref(), dirs.certs.as_deref(), dirs.kind)?;
    let _ = writeln!(std::io::stderr(), "kubecred cache clear: removed {} entries from {}", removed.len(), shown(dirs));
    Ok(())
}

fn shown(dirs: &Dirs) -> String {
    let names: Vec<String> =
        [&dirs.cache, &dirs.certs].into_iter().flatten().map(|d| d.display().to_string()).collect();
    if names.is_empty() { "no directory (no HOME)".into() } else { names.join(" and ") }
}

/// `cache run [flags] [--] COMMAND ARGS...`: flags end at `--` or the first word.
fn run_plugin(args: Vec<OsString>) -> Result<()> {
    const COMMAND: &str = "kubecred cache run";
    let mut rest = args.into_iter().peekable();
    let mut cache = crate::cli::common::CacheFlags::default();
    while let Some(arg) = rest.next_if(|a| a.to_str().is_some_and(|s| s.starts_with('-'))) {
        match arg.to_str().unwrap_or_default() {
            "--" => break,
            "--help" | "-h" => return print_stdout(USAGE),
            "--debug" => crate::log::set_level(crate::log::Level::Debug),
            "--no-cache" => cache.disabled = true,
            "--cache-dir" => {
                let dir = rest.next().and_then(|d| d.into_string().ok()).filter(|d| !d.is_empty());
                cache.dir =
                    Some(dir.ok_or_else(|| Error::usage(format!("{COMMAND}: --cache-dir needs a value")))?.into());
            }
            other if other.starts_with("--cache-dir=") => {
                let dir = other.trim_start_matches("--cache-dir=");
                if dir.is_empty() {
                    return Err(Error::usage(format!(
                        "{COMMAND}: --cache-dir: expected a directory, got an empty value"
                    )));
                }
                cache.dir = Some(dir.into());
            }
            other => {
                return Err(Error::usage(format!("{COMMAND}: unknown flag {other}; put the plugin after `--`")));
            }
        }
    }
    cache.apply();
    let command: Vec<OsString> = rest.collect();
    let reply = plugin::run(&command)?;
    let mut out = std::io::stdout().lock();
    out.write_all(&reply.stdout)
        .and_then(|()| out.flush())
        .map_err(|e| Error::new(format!("writing to stdout: {e}")))?;
    if reply.status != 0 {
        // The plugin's own exit status, as if kubectl had run it directly.
        std::process::exit(reply.status);
    }
    Ok(())
}

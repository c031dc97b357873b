//! Where the cache lives.
//!
//! `--cache-dir DIR`, else `KUBECRED_CACHE_DIR`, else `$XDG_CACHE_HOME/kubecred`,
//! else `~/.kube/cache/kubecred` (next to kubectl's own cache). With none of
//! these (no HOME, as in some containers) there is no cache.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The cache directory for an explicit `flag` directory and environment `var`.
///
/// `var` looks up one variable; empty values count as unset. A relative
/// `XDG_CACHE_HOME` is ignored, as the XDG base directory specification says.
///
/// ```
/// use kubecred::cache::location::directory;
/// use std::path::PathBuf;
/// let env = |name: &str| (name == "HOME").then(|| "/home/u".into());
/// assert_eq!(directory(None, env), Some(PathBuf::from("/home/u/.kube/cache/kubecred")));
/// ```
pub fn directory(flag: Option<&Path>, var: impl Fn(&str) -> Option<OsString>) -> Option<PathBuf> {
    if let Some(dir) = flag.filter(|d| !d.as_os_str().is_empty()) {
        return Some(dir.to_path_buf());
    }
    let set = |name: &str| var(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(dir) = set("KUBECRED_CACHE_DIR") {
        return Some(dir);
    }
    if let Some(xdg) = set("XDG_CACHE_HOME").filter(|p| p.is_absolute()) {
        return Some(xdg.join("kubecred"));
    }
    set("HOME").map(|home| home.join(".kube/cache/kubecred"))
}

/// [`directory`] over the process's own environment.
pub fn from_process(flag: Option<&Path>) -> Option<PathBuf> {
    directory(flag, |name| std::env::var_os(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<OsString> + 'a {
        move |name| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| OsString::from(v))
    }

    #[test]
    fn order_of_precedence() {
        let all = [("KUBECRED_CACHE_DIR", "/k"), ("XDG_CACHE_HOME", "/x"), ("HOME", "/h")];
        assert_eq!(directory(Some(Path::new("/flag")), env(&all)), Some(PathBuf::from("/flag")));
        assert_eq!(directory(None, env(&all)), Some(PathBuf::from("/k")));
        assert_eq!(directory(None, env(&all[1..])), Some(PathBuf::from("/x/kubecred")));
        assert_eq!(directory(None, env(&all[2..])), Some(PathBuf::from("/h/.kube/cache/kubecred")));
    }

    #[test]
    fn empty_and_relative_values_are_skipped() {
        let pairs = [("KUBECRED_CACHE_DIR", ""), ("XDG_CACHE_HOME", "rel/cache"), ("HOME", "/h")];
        assert_eq!(directory(Some(Path::new("")), env(&pairs)), Some(PathBuf::from("/h/.kube/cache/kubecred")));
    }

    #[test]
    fn no_home_means_no_cache() {
        assert_eq!(directory(None, env(&[])), None);
        assert_eq!(directory(None, env(&[("HOME", "")])), None);
    }
}

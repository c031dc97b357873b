//! Profiles: which one is selected, and what `~/.aws/config` and
//! `~/.aws/credentials` say about it.
//!
//! As botocore builds its "full config": in the config file `[profile NAME]`
//! (and `[default]`) are profiles and `[sso-session NAME]` are SSO sessions;
//! in the credentials file every `[NAME]` is a profile. A profile's settings
//! are the config file's, overridden key by key by the credentials file's.

use crate::aws::ini::{self, Section};
use crate::env::Env;
use crate::error::{Error, Result};
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// The largest config or credentials file kubecred reads.
const MAX_FILE_BYTES: u64 = crate::files::MAX_CONFIG_BYTES;

/// The selected profile's name, and whether `--profile` named it. An explicit
/// profile switches off the environment-variable providers, as in botocore.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    pub name: String,
    pub explicit: bool,
    /// True when a flag or variable named it (so a missing profile is an error).
    pub named: bool,
}

/// `--profile`, then `AWS_DEFAULT_PROFILE`, `AWS_PROFILE`, then `default`:
/// botocore looks at `AWS_DEFAULT_PROFILE` first (boto/botocore#1725).
pub fn select(flag: Option<&str>, env: &Env) -> Selection {
    if let Some(name) = flag.filter(|n| !n.is_empty()) {
        return Selection { name: name.to_string(), explicit: true, named: true };
    }
    match env.get("AWS_DEFAULT_PROFILE").or_else(|| env.get("AWS_PROFILE")) {
        Some(name) => Selection { name: name.to_string(), explicit: false, named: true },
        None => Selection { name: "default".into(), explicit: false, named: false },
    }
}

/// Which file a setting came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Config,
    Credentials,
}

/// One profile's settings with where each came from.
#[derive(Debug, Clone, Default)]
pub struct Profile {
    settings: HashMap<String, (String, Origin)>,
}

impl Profile {
    /// The merged value of `key` (the credentials file wins).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.settings.get(key).map(|(v, _)| v.as_str())
    }

    /// The value of `key` only if it came from `origin`'s file.
    pub fn get_from(&self, key: &str, origin: Origin) -> Option<&str> {
        self.settings.get(key).filter(|(_, o)| *o == origin).map(|(v, _)| v.as_str())
    }

    pub fn has(&self, key: &str) -> bool {
        self.settings.contains_key(key)
    }

    /// Where `key` was set, for messages.
    pub fn origin(&self, key: &str) -> Option<Origin> {
        self.settings.get(key).map(|(_, o)| *o)
    }

    fn from_section(section: Section, origin: Origin) -> Profile {
        let mut profile = Profile { settings: HashMap::with_capacity(section.entries.len()) };
        profile.absorb(section, origin);
        profile
    }

    fn absorb(&mut self, section: Section, origin: Origin) {
        for (k, v) in section.entries {
            self.settings.insert(k, (v, origin));
        }
    }
}

type SessionFiles = Vec<((PathBuf, PathBuf), Rc<AwsConfig>)>;

thread_local! {
    /// The files [`AwsConfig::load_shared`] read in this thread's [`session`], by path.
    static SESSION: RefCell<Option<SessionFiles>> = const { RefCell::new(None) };
}

/// Runs `work` with the AWS files read at most once (see [`AwsConfig::load_shared`]);
/// what was read is dropped when it returns.
pub fn session<T>(work: impl FnOnce() -> T) -> T {
    let outer = SESSION.with_borrow_mut(|session| session.replace(session.clone().unwrap_or_default()));
    let result = work();
    SESSION.with_borrow_mut(|session| *session = outer);
    result
}

/// Both files, parsed.
#[derive(Debug, Clone, Default)]
pub struct AwsConfig {
    pub config_path: PathBuf,
    pub credentials_path: PathBuf,
    profiles: HashMap<String, Profile>,
    sso_sessions: HashMap<String, Section>,
}

impl AwsConfig {
    /// Reads `AWS_CONFIG_FILE` (else `~/.aws/config`) and
    /// `AWS_SHARED_CREDENTIALS_FILE` (else `~/.aws/credentials`). Missing files are empty.
    pub fn load(env: &Env) -> Result<AwsConfig> {
        let config_path = file_path(env, "AWS_CONFIG_FILE", "config");
        let credentials_path = file_path(env, "AWS_SHARED_CREDENTIALS_FILE", "credentials");
        let mut config = AwsConfig {
            config_path: config_path.clone(),
            credentials_path: credentials_path.clone(),
            ..AwsConfig::default()
        };
        // As botocore's build_profile_map: a section whose name starts with
        // `profile` (or `sso-session`) and splits, shell-like, into two words
        // names the second word; `[default]` is a profile too. A later section
        // for the same name replaces an earlier one whole (`[profile default]`
        // after `[default]`, `[profile "x"]` after `[profile x]`).
        for section in read_sections(&config_path)? {
            let second_word = || match ini::split_words(&section.name).as_deref() {
                Some([_, name]) => Some(name.clone()),
                _ => None,
            };
            if section.name.starts_with("profile") {
                if let Some(name) = second_word() {
                    config.profiles.insert(name, Profile::from_section(section, Origin::Config));
                }
            } else if section.name.starts_with("sso-session") {
                if let Some(name) = second_word() {
                    config.sso_sessions.insert(name, section);
                }
            } else if section.name == "default" {
                config.profiles.insert("default".into(), Profile::from_section(section, Origin::Config));
            }
        }
        for mut section in read_sections(&credentials_path)? {
            let name = std::mem::take(&mut section.name);
            config.profile_mut(&name).absorb(section, Origin::Credentials);
        }
        Ok(config)
    }

    fn profile_mut(&mut self, name: &str) -> &mut Profile {
        self.profiles.entry(name.to_string()).or_default()
    }

    /// As [`AwsConfig::load`], but read once per [`session`]: a command that
    /// asks the files for the region, the STS options and the credentials
    /// parses them once (as botocore's session does), which counts when they
    /// hold tens of thousands of profiles. Outside a session, read each time.
    pub fn load_shared(env: &Env) -> Result<Rc<AwsConfig>> {
        let key =
            (file_path(env, "AWS_CONFIG_FILE", "config"), file_path(env, "AWS_SHARED_CREDENTIALS_FILE", "credentials"));
        let cached = SESSION.with_borrow(|session| {
            session.as_ref().and_then(|loaded| loaded.iter().find(|(k, _)| *k == key).map(|(_, c)| c.clone()))
        });
        if let Some(config) = cached {
            return Ok(config);
        }
        let config = Rc::new(AwsConfig::load(env)?);
        SESSION.with_borrow_mut(|session| {
            if let Some(loaded) = session.as_mut() {
                loaded.push((key, config.clone()));
            }
        });
        Ok(config)
    }

    pub fn profile(&self, name: &str) -> Option<&Profile> {
        self.profiles.get(name)
    }

    /// The `[sso-session NAME]` section of the config file.
    pub fn sso_session(&self, name: &str) -> Option<&Section> {
        self.sso_sessions.get(name)
    }

    /// The file a profile's `key` came from, for messages.
    pub fn file_of(&self, profile: &Profile, key: &str) -> &Path {
        match profile.origin(key) {
            Some(Origin::Credentials) => &self.credentials_path,
            _ => &self.config_path,
        }
    }

    /// `profile NAME (in FILE)` for messages.
    pub fn describe(&self, name: &str, key: &str) -> String {
        match self.profile(name) {
            Some(p) => format!("profile {name} ({})", self.file_of(p, key).display()),
            None => format!("profile {name}"),
        }
    }
}

fn file_path(env: &Env, variable: &str, default_name: &str) -> PathBuf {
    match env.get(variable) {
        // botocore: os.path.expandvars, then os.path.expanduser.
        Some(path) => env.expand_home(&env.expand_vars(path)),
        None => env.home().unwrap_or_default().join(".aws").join(default_name),
    }
}

fn read_sections(path: &Path) -> Result<Vec<Section>> {
    let shown = path.display().to_string();
    let bytes = match crate::files::read_bounded(path, MAX_FILE_BYTES) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::new(format!("reading {shown}: {e}"))),
    };
    let text = String::from_utf8(bytes).map_err(|_| Error::new(format!("{shown}: not UTF-8 text")))?;
    ini::parse(&text, &shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selection_order() {
        let env = Env::from_pairs(&[("AWS_PROFILE", "p"), ("AWS_DEFAULT_PROFILE", "d")]);
        assert_eq!(select(Some("f"), &env), Selection { name: "f".into(), explicit: true, named: true });
        assert_eq!(select(None, &env).name, "d");
        assert!(!select(None, &env).explicit);
        assert_eq!(select(None, &Env::from_pairs(&[("AWS_PROFILE", "p")])).name, "p");
        let default = select(None, &Env::default());
        assert_eq!((default.name.as_str(), default.named), ("default", false));
    }

    #[test]
    fn merge_config_and_credentials() {
        let dir = std::env::temp_dir().join(format!("kubecred-profile-unit-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let config = dir.join("config");
        let credentials = dir.join("credentials");
        std::fs::write(
            &config,
            "[default]\nregion = a\n[profile dev]\nregion = b\naws_access_key_id = FROMCONFIG\n[sso-session s]\nsso_region = r\n[dev]\nregion = ignored\n[profile \"x y\"]\nregion = q\n",
        )
        .unwrap();
        std::fs::write(&credentials, "[dev]\naws_access_key_id = FROMCREDS\n[profile other]\nk = v\n").unwrap();
        let env = Env::from_pairs(&[
            ("AWS_CONFIG_FILE", config.to_str().unwrap()),
            ("AWS_SHARED_CREDENTIALS_FILE", credentials.to_str().unwrap()),
        ]);
        let c = AwsConfig::load(&env).unwrap();
        assert_eq!(c.profile("default").unwrap().get("region"), Some("a"));
        let dev = c.profile("dev").unwrap();
        assert_eq!(dev.get("region"), Some("b"));
        assert_eq!(dev.get("aws_access_key_id"), Some("FROMCREDS"));
        assert_eq!(dev.get_from("aws_access_key_id", Origin::Config), None);
        assert_eq!(c.file_of(dev, "aws_access_key_id"), credentials.as_path());
        assert_eq!(c.profile("x y").unwrap().get("region"), Some("q"));
        assert_eq!(c.sso_session("s").unwrap().get("sso_region"), Some("r"));
        // In the credentials file the section name is the profile name, verbatim.
        assert!(c.profile("profile other").is_some());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn later_config_sections_replace_earlier_ones() {
        let dir = std::env::temp_dir().join(format!("kubecred-profile-replace-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let config = dir.join("config");
        std::fs::write(
            &config,
            "[default]\nregion = a\naws_access_key_id = K\n[profile default]\nregion = b\n[profile x]\nregion = c\n[profile \"x\"]\noutput = json\n[profilez y]\nregion = d\n[sso-sessionq s]\nsso_region = e\n",
        )
        .unwrap();
        let env = Env::from_pairs(&[("D", dir.to_str().unwrap()), ("AWS_CONFIG_FILE", "${D}/config")]);
        let c = AwsConfig::load(&env).unwrap();
        let default = c.profile("default").unwrap();
        assert_eq!((default.get("region"), default.get("aws_access_key_id")), (Some("b"), None));
        assert_eq!(c.profile("x").unwrap().get("region"), None);
        assert_eq!(c.profile("y").unwrap().get("region"), Some("d"));
        assert_eq!(c.sso_session("s").unwrap().get("sso_region"), Some("e"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_session_reads_the_files_once() {
        let env = Env::from_pairs(&[("HOME", "/nonexistent-kubecred-home")]);
        let outside = (AwsConfig::load_shared(&env).unwrap(), AwsConfig::load_shared(&env).unwrap());
        assert!(!Rc::ptr_eq(&outside.0, &outside.1));
        session(|| {
            let first = AwsConfig::load_shared(&env).unwrap();
            assert!(Rc::ptr_eq(&first, &AwsConfig::load_shared(&env).unwrap()));
            let other = Env::from_pairs(&[("HOME", "/nonexistent-kubecred-other")]);
            assert!(!Rc::ptr_eq(&first, &AwsConfig::load_shared(&other).unwrap()));
        });
        SESSION.with_borrow(|s| assert!(s.is_none()));
    }

    #[test]
    fn missing_files_are_empty() {
        let env = Env::from_pairs(&[("HOME", "/nonexistent-kubecred-home")]);
        let c = AwsConfig::load(&env).unwrap();
        assert!(c.profile("default").is_none());
        assert_eq!(c.config_path, PathBuf::from("/nonexistent-kubecred-home/.aws/config"));
    }
}

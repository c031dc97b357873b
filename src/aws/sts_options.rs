//! The settings that choose which STS host a token names (and kubecred's own
//! STS calls use): `sts_regional_endpoints`, `use_fips_endpoint` and
//! `use_dualstack_endpoint`, each from its environment variable
//! (`AWS_STS_REGIONAL_ENDPOINTS`, `AWS_USE_FIPS_ENDPOINT`,
//! `AWS_USE_DUALSTACK_ENDPOINT`), else from the selected profile, as botocore's
//! config store reads them.

use crate::aws::profile::Profile;
use crate::env::Env;
use crate::error::{Error, Result};
use std::sync::OnceLock;

/// What the token's STS host depends on besides the region.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StsOptions {
    /// `sts_regional_endpoints = legacy`: the global host for the regions botocore maps to it.
    pub legacy: bool,
    pub fips: bool,
    pub dualstack: bool,
}

impl StsOptions {
    /// Reads the three settings; `profile` is the selected profile, if it exists.
    pub fn resolve(env: &Env, profile: Option<&Profile>) -> Result<StsOptions> {
        let setting = |variable: &str, key: &str| -> Option<(String, String)> {
            match env.get(variable) {
                Some(value) => Some((value.to_string(), variable.to_string())),
                None => profile.and_then(|p| p.get(key)).map(|v| (v.to_string(), format!("the profile's {key}"))),
            }
        };
        let legacy = match setting("AWS_STS_REGIONAL_ENDPOINTS", "sts_regional_endpoints") {
            None => false,
            // botocore compares exactly; an empty value counts as unset.
            Some((value, _)) if value == "regional" || value.is_empty() => false,
            Some((value, _)) if value == "legacy" => true,
            Some((value, source)) => {
                return Err(Error::new(format!("{source}: expected legacy or regional, got {value:?}")));
            }
        };
        // botocore's ensure_boolean: `true` in any case is true, anything else false.
        let boolean = |variable: &str, key: &str| {
            setting(variable, key).is_some_and(|(value, _)| value.trim().eq_ignore_ascii_case("true"))
        };
        Ok(StsOptions {
            legacy,
            fips: boolean("AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint"),
            dualstack: boolean("AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint"),
        })
    }
}

/// The options of this run, for kubecred's own STS calls (set once by the
/// command, like the network and cache flags; default when never set).
static CURRENT: OnceLock<StsOptions> = OnceLock::new();

/// Records the options for this process's STS calls; the first call wins.
pub fn set_current(options: StsOptions) {
    let _ = CURRENT.set(options);
}

pub fn current() -> StsOptions {
    CURRENT.get().copied().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_then_profile() {
        let none = StsOptions::resolve(&Env::default(), None).unwrap();
        assert_eq!(none, StsOptions::default());
        let env = Env::from_pairs(&[
            ("AWS_STS_REGIONAL_ENDPOINTS", "legacy"),
            ("AWS_USE_FIPS_ENDPOINT", "TRUE"),
            ("AWS_USE_DUALSTACK_ENDPOINT", "1"),
        ]);
        let o = StsOptions::resolve(&env, None).unwrap();
        assert_eq!((o.legacy, o.fips, o.dualstack), (true, true, false));
        let e = StsOptions::resolve(&Env::from_pairs(&[("AWS_STS_REGIONAL_ENDPOINTS", "Legacy")]), None).unwrap_err();
        assert_eq!(e.message(), "AWS_STS_REGIONAL_ENDPOINTS: expected legacy or regional, got \"Legacy\"");
    }
}

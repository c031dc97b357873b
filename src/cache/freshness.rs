//! When a cached credential may still be used: a pure function of the entry's
//! times and a clock reading, so that tests can move the clock freely.
//!
//! # The rules
//!
//! * Role and instance credentials ([`Freshness::RoleCredentials`]) are used
//!   while more than 15 minutes remain, so that a token signed from them (valid
//!   14 minutes) never outlives them.
//! * Certificates ([`Freshness::Certificate`]) are used while more than
//!   max(20 % of their lifetime, 10 minutes) remain, as ack-ram-tool does.
//!
//! # Clocks that disagree
//!
//! The expiry comes from the server's clock; "now" comes from ours. Each entry
//! also records when *we* stored it (`fetched`, our clock) and, when the server
//! said so, when it was issued (`issued`, the server's clock). Two estimates of
//! the time left follow:
//!
//! * by our clock: `expires - now`;
//! * by the server's lifetime: `(expires - issued) - (now - fetched)`, which only
//!   measures durations on each clock and so does not care how far apart they are.
//!
//! The shorter one wins. A clock running *behind* the server's makes the first
//! estimate too long; the second catches it, so we never hand out a credential
//! the server already considers expired. A clock running *ahead* only makes us
//! refresh early. Without an issue time, an entry that claims to last longer
//! than any credential of its kind can (12 hours for role credentials), or one
//! stored "in the future" by our clock (the clock was set back since), is
//! suspect and fetched again.

use super::Freshness;
use crate::time::Timestamp;

/// Role credentials are refreshed when this much or less remains.
pub const ROLE_MARGIN_SECONDS: i64 = 15 * 60;
/// Certificates are refreshed when at most this much, or 20 % of their lifetime, remains.
pub const CERTIFICATE_MIN_MARGIN_SECONDS: i64 = 10 * 60;
/// No role credential lasts longer (AssumeRole's maximum session).
pub const ROLE_MAX_LIFETIME_SECONDS: i64 = 12 * 3600;
/// Another plugin's ExecCredential is refreshed when at most this much, or 10 % of its lifetime, remains.
pub const EXEC_CREDENTIAL_MIN_MARGIN_SECONDS: i64 = 60;
/// Disagreements between clocks up to this much are ordinary drift.
pub const CLOCK_SLACK_SECONDS: i64 = 5 * 60;

/// The times that decide whether an entry may be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamps {
    /// When the credential stops working (server's clock).
    pub expires: Timestamp,
    /// When it was issued, if the server said (server's clock).
    pub issued: Option<Timestamp>,
    /// When kubecred stored it (our clock).
    pub fetched: Timestamp,
}

/// What to do with an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Use it.
    Fresh,
    /// Too little time left: fetch a new one.
    Stale,
    /// Its times make no sense against our clock: fetch a new one (the reason is for the debug log).
    Suspect(&'static str),
}

/// Judges an entry with the clock reading `now`.
///
/// ```
/// use kubecred::cache::Freshness;
/// use kubecred::cache::freshness::{judge, Stamps, Verdict};
/// use kubecred::time::Timestamp;
/// let stamps = Stamps { expires: Timestamp(3600), issued: None, fetched: Timestamp(0) };
/// assert_eq!(judge(Freshness::RoleCredentials, &stamps, Timestamp(2699)), Verdict::Fresh);
/// assert_eq!(judge(Freshness::RoleCredentials, &stamps, Timestamp(2700)), Verdict::Stale);
/// ```
pub fn judge(freshness: Freshness, stamps: &Stamps, now: Timestamp) -> Verdict {
    if now.0 < stamps.fetched.0 - CLOCK_SLACK_SECONDS {
        return Verdict::Suspect("stored later than the clock now reads (was the clock set back?)");
    }
    let by_clock = stamps.expires.0 - now.0;
    let remaining = match stamps.issued {
        Some(issued) if issued >= stamps.expires => return Verdict::Suspect("issued no earlier than it expires"),
        Some(issued) => {
            let by_lifetime = (stamps.expires.0 - issued.0) - (now.0 - stamps.fetched.0);
            by_clock.min(by_lifetime)
        }
        None => {
            if freshness == Freshness::RoleCredentials && by_clock > ROLE_MAX_LIFETIME_SECONDS + CLOCK_SLACK_SECONDS {
                return Verdict::Suspect("claims to last longer than any role credential can");
            }
            by_clock
        }
    };
    if remaining > margin(freshness, stamps) { Verdict::Fresh } else { Verdict::Stale }
}

/// How much time must remain for an entry to be used.
fn margin(freshness: Freshness, stamps: &Stamps) -> i64 {
    match freshness {
        Freshness::RoleCredentials => ROLE_MARGIN_SECONDS,
        Freshness::Certificate => (lifetime(stamps) / 5).max(CERTIFICATE_MIN_MARGIN_SECONDS),
        Freshness::ExecCredential => (lifetime(stamps) / 10).max(EXEC_CREDENTIAL_MIN_MARGIN_SECONDS),
    }
}

/// The lifetime from the issue time or, without one, from the moment we stored it.
fn lifetime(stamps: &Stamps) -> i64 {
    let start = stamps.issued.unwrap_or(stamps.fetched);
    stamps.expires.0.saturating_sub(start.0).max(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: i64 = 3600;
    const MIN: i64 = 60;

    fn stamps(issued: Option<i64>, expires: i64, fetched: i64) -> Stamps {
        Stamps { expires: Timestamp(expires), issued: issued.map(Timestamp), fetched: Timestamp(fetched) }
    }

    fn role(s: &Stamps, now: i64) -> Verdict {
        judge(Freshness::RoleCredentials, s, Timestamp(now))
    }

    fn cert(s: &Stamps, now: i64) -> Verdict {
        judge(Freshness::Certificate, s, Timestamp(now))
    }

    #[test]
    fn role_credentials_need_more_than_15_minutes() {
        let s = stamps(None, HOUR, 0);
        assert_eq!(role(&s, 0), Verdict::Fresh);
        assert_eq!(role(&s, HOUR - 15 * MIN - 1), Verdict::Fresh);
        assert_eq!(role(&s, HOUR - 15 * MIN), Verdict::Stale);
        assert_eq!(role(&s, HOUR), Verdict::Stale);
        assert_eq!(role(&s, 2 * HOUR), Verdict::Stale);
    }

    #[test]
    fn certificates_need_a_fifth_of_their_lifetime_or_10_minutes() {
        // 3 h certificate: 20 % is 36 min, more than 10 min.
        let s = stamps(Some(0), 3 * HOUR, 0);
        assert_eq!(cert(&s, 3 * HOUR - 36 * MIN - 1), Verdict::Fresh);
        assert_eq!(cert(&s, 3 * HOUR - 36 * MIN), Verdict::Stale);
        // 30 min certificate: 20 % is 6 min, so the 10 min floor applies.
        let s = stamps(Some(0), 30 * MIN, 0);
        assert_eq!(cert(&s, 20 * MIN - 1), Verdict::Fresh);
        assert_eq!(cert(&s, 20 * MIN), Verdict::Stale);
        // Without an issue time the lifetime counts from when it was stored.
        let s = stamps(None, 10 * HOUR, 5 * HOUR);
        assert_eq!(cert(&s, 9 * HOUR - 1), Verdict::Fresh);
        assert_eq!(cert(&s, 9 * HOUR), Verdict::Stale);
    }

    #[test]
    fn exec_credentials_need_a_tenth_of_their_lifetime_or_a_minute() {
        let plugin = |s: &Stamps, now: i64| judge(Freshness::ExecCredential, s, Timestamp(now));
        // 1 h token: 6 min margin.
        let s = stamps(None, HOUR, 0);
        assert_eq!(plugin(&s, HOUR - 6 * MIN - 1), Verdict::Fresh);
        assert_eq!(plugin(&s, HOUR - 6 * MIN), Verdict::Stale);
        // 5 min token: the 1 min floor.
        let s = stamps(None, 5 * MIN, 0);
        assert_eq!(plugin(&s, 4 * MIN - 1), Verdict::Fresh);
        assert_eq!(plugin(&s, 4 * MIN), Verdict::Stale);
        // Long-lived tokens are not suspect (plugins decide their lifetimes).
        assert_eq!(plugin(&stamps(None, 30 * 24 * HOUR, 0), 0), Verdict::Fresh);
    }

    #[test]
    fn a_clock_behind_the_server_cannot_stretch_a_credential() {
        // The server issued at 10:00 for 1 h; our clock read 08:00 when we stored it.
        let s = stamps(Some(10 * HOUR), 11 * HOUR, 8 * HOUR);
        // 44 min later by our clock, 16 min remain in truth: still fresh.
        assert_eq!(role(&s, 8 * HOUR + 44 * MIN), Verdict::Fresh);
        // 45 min later only 15 min remain, although our clock says 2 h 15 min.
        assert_eq!(role(&s, 8 * HOUR + 45 * MIN), Verdict::Stale);
    }

    #[test]
    fn a_clock_ahead_of_the_server_only_refreshes_early() {
        // Issued 10:00 for 1 h by the server; our clock read 10:30 when we stored it.
        let s = stamps(Some(10 * HOUR), 11 * HOUR, 10 * HOUR + 30 * MIN);
        assert_eq!(role(&s, 10 * HOUR + 44 * MIN), Verdict::Fresh);
        assert_eq!(role(&s, 10 * HOUR + 45 * MIN), Verdict::Stale);
    }

    #[test]
    fn backdated_issue_times_do_not_stretch_either() {
        // A certificate whose NotBefore is a day early: our clock's estimate wins.
        let s = stamps(Some(-24 * HOUR), 3 * HOUR, 0);
        assert_eq!(cert(&s, 3 * HOUR - 10 * MIN), Verdict::Stale);
    }

    #[test]
    fn implausible_entries_are_suspect() {
        // Claims 13 h of life without an issue time.
        let s = stamps(None, 13 * HOUR + 6 * MIN, 0);
        assert!(matches!(role(&s, 0), Verdict::Suspect(_)));
        // 12 h is possible.
        assert_eq!(role(&stamps(None, 12 * HOUR, 0), 0), Verdict::Fresh);
        // Certificates may legitimately last for days.
        assert_eq!(cert(&stamps(None, 72 * HOUR, 0), 0), Verdict::Fresh);
        // Stored an hour "after" now: the clock went back.
        assert!(matches!(role(&stamps(None, 2 * HOUR, HOUR), 0), Verdict::Suspect(_)));
        // A few minutes of drift is fine.
        assert_eq!(role(&stamps(None, 2 * HOUR, 4 * MIN), 0), Verdict::Fresh);
        // Issued after it expires.
        assert!(matches!(cert(&stamps(Some(HOUR), HOUR, 0), 0), Verdict::Suspect(_)));
    }
}

//! When a failed call is worth another try, and how long to wait first.
//!
//! Safe calls are retried on connection failures, 5xx, 429 and throttling
//! replies, at most [`MAX_ATTEMPTS`] times and within [`MAX_ELAPSED`], after an
//! exponential backoff with full jitter (so that 32 plugins started together do
//! not retry in step).

use std::time::Duration;

/// Tries in all, the first included.
pub const MAX_ATTEMPTS: u32 = 3;

/// No retry starts after this much time has passed since the first try.
pub const MAX_ELAPSED: Duration = Duration::from_secs(10);

const BASE_DELAY_MS: u64 = 200;
const MAX_DELAY_MS: u64 = 2_000;

/// True when a reply with `status` and `body` is a transient failure.
pub fn is_retryable_status(status: u16, body: &[u8]) -> bool {
    match status {
        429 | 500 | 502 | 503 | 504 => true,
        // AWS Query APIs and Alibaba RPC APIs report throttling as 400 with a code.
        400 => contains(body, b"Throttling") || contains(body, b"RequestLimitExceeded"),
        _ => false,
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.len() <= 64 * 1024 && haystack.windows(needle.len()).any(|w| w == needle)
}

/// The wait before retry number `retry` (1 for the first retry): a random time
/// up to `min(MAX_DELAY, BASE * 2^(retry-1))`.
pub fn backoff(retry: u32) -> Duration {
    let ceiling = BASE_DELAY_MS.saturating_mul(1 << retry.saturating_sub(1).min(10)).min(MAX_DELAY_MS);
    Duration::from_millis(random_u64() % (ceiling + 1))
}

fn random_u64() -> u64 {
    let mut bytes = [0u8; 8];
    if ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut bytes).is_err() {
        // No randomness: fall back to the clock's low bits, which still spread processes apart.
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos());
        return u64::from(nanos.unwrap_or(0));
    }
    u64::from_le_bytes(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retryable_statuses() {
        for s in [429, 500, 502, 503, 504] {
            assert!(is_retryable_status(s, b""));
        }
        for s in [200, 301, 400, 401, 403, 404] {
            assert!(!is_retryable_status(s, b"<Code>AccessDenied</Code>"));
        }
        assert!(is_retryable_status(400, b"<Error><Code>Throttling</Code></Error>"));
        assert!(is_retryable_status(400, br#"{"Code":"Throttling.User"}"#));
    }

    #[test]
    fn backoff_is_bounded_and_grows() {
        for retry in 1..20 {
            let ceiling = (BASE_DELAY_MS << (retry - 1).min(10)).min(MAX_DELAY_MS);
            assert!(backoff(retry) <= Duration::from_millis(ceiling));
        }
    }
}

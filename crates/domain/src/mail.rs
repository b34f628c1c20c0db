//! Rules of outgoing mail: when to try again, when to give up, what an address looks like.

use std::time::Duration;

/// After this many failed attempts a message is marked failed and no longer retried.
pub const MAX_ATTEMPTS: i64 = 20;

/// The wait before attempt `attempts + 1`: 30 s, doubling, at most 6 h.
pub fn backoff(attempts: i64) -> Duration {
    let exp = u32::try_from(attempts.clamp(1, 20) - 1).unwrap_or(0);
    let secs = 30u64.saturating_mul(2u64.saturating_pow(exp));
    Duration::from_secs(secs.min(6 * 3600))
}

/// A plausible e-mail address: one `@`, something on both sides, a dot in the domain, no spaces
/// or angle brackets, at most 254 characters. Deliverability is what the confirmation mail checks.
pub fn is_address(v: &str) -> bool {
    let Some((local, domain)) = v.split_once('@') else {
        return false;
    };
    v.len() <= 254
        && !local.is_empty()
        && local.len() <= 64
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !v.chars().any(|c| {
            c.is_whitespace()
                || c.is_control()
                || matches!(c, '<' | '>' | ',' | ';' | '"' | '(' | ')')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_six_hours() {
        assert_eq!(backoff(1), Duration::from_secs(30));
        assert_eq!(backoff(2), Duration::from_secs(60));
        assert_eq!(backoff(5), Duration::from_secs(480));
        assert_eq!(backoff(19), Duration::from_secs(6 * 3600));
        assert_eq!(backoff(0), Duration::from_secs(30));
    }

    #[test]
    fn addresses_are_checked() {
        assert!(is_address("anna@musterstadt.example"));
        assert!(!is_address("anna@localhost"));
        assert!(!is_address("anna musterstadt.example"));
        assert!(!is_address("a@b@c.de"));
        assert!(!is_address("anna@x.de\r\nBcc: evil@x.de"));
        assert!(!is_address("<anna@x.de>"));
    }
}

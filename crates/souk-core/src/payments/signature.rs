//! Signed webhooks, as testpay and Stripe sign them: the header
//! `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`. Stripe's
//! header may carry several `v1` values (while a secret is being rolled)
//! and a `v0`; a delivery is genuine when any `v1` matches. Checked in
//! constant time, and refused when older (or newer) than five minutes.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// How far the signature's timestamp may be from now, in seconds.
pub const TOLERANCE_SECS: i64 = 300;

/// Why a signature was refused; each message is safe to show the sender.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message())]
pub enum SignatureError {
    /// No `t` or no `v1` that reads as hex.
    Malformed,
    /// The timestamp is outside the tolerance.
    Stale,
    /// No `v1` matches the body under the secret.
    Mismatch,
}

impl SignatureError {
    /// What to tell the sender.
    pub fn message(self) -> &'static str {
        match self {
            Self::Malformed => "malformed signature header",
            Self::Stale => "the signature's timestamp is too old",
            Self::Mismatch => "the signature does not match",
        }
    }
}

fn mac(secret: &str, t: i64, body: &[u8]) -> Hmac<Sha256> {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(t.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// The header value that signs `body` at time `t` under `secret`.
pub fn sign(secret: &str, t: i64, body: &[u8]) -> String {
    let digest = mac(secret, t, body).finalize().into_bytes();
    format!("t={t},v1={}", hex::encode(digest))
}

/// Checks `header` against `body` under `secret` at time `now` (unix
/// seconds).
/// Checks a webhook delivery as it arrived: `header` is the signature
/// header's value, if it was sent (`missing` says which header is
/// missing), checked against `secret` at the present time. Any failure is
/// a 400 that says what was wrong.
pub(crate) fn check_delivery(
    secret: &secrecy::SecretString,
    header: Option<&str>,
    missing: &'static str,
    body: &[u8],
) -> Result<(), crate::CoreError> {
    use secrecy::ExposeSecret;
    let header = header.ok_or(crate::CoreError::BadRequest(missing))?;
    let now = chrono::Utc::now().timestamp();
    verify(secret.expose_secret(), header, body, now)
        .map_err(|e| crate::CoreError::BadRequest(e.message()))
}

pub fn verify(secret: &str, header: &str, body: &[u8], now: i64) -> Result<(), SignatureError> {
    let mut t = None;
    let mut candidates = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", value)) => t = value.trim().parse::<i64>().ok(),
            Some(("v1", value)) => {
                if let Ok(bytes) = hex::decode(value.trim()) {
                    candidates.push(bytes);
                }
            }
            // v0 (Stripe's test-mode scheme) and anything unknown are ignored.
            _ => {}
        }
    }
    let Some(t) = t else {
        return Err(SignatureError::Malformed);
    };
    if candidates.is_empty() {
        return Err(SignatureError::Malformed);
    }
    if now.abs_diff(t) > TOLERANCE_SECS.unsigned_abs() {
        return Err(SignatureError::Stale);
    }
    let expected = mac(secret, t, body);
    // Every candidate is compared (in constant time each), so the time
    // taken does not tell which one matched.
    let matched = candidates.iter().fold(false, |any, v1| {
        expected.clone().verify_slice(v1).is_ok() | any
    });
    if matched {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_700_000_000;

    #[test]
    fn a_signature_verifies_and_a_changed_body_does_not() {
        let header = sign("whsec_a", NOW, b"{\"id\":1}");
        assert_eq!(verify("whsec_a", &header, b"{\"id\":1}", NOW), Ok(()));
        assert_eq!(
            verify("whsec_a", &header, b"{\"id\":2}", NOW),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify("whsec_b", &header, b"{\"id\":1}", NOW),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn any_v1_of_several_may_match_and_v0_is_ignored() {
        let good = sign("whsec_a", NOW, b"body");
        let v1 = good.split_once("v1=").map(|(_, v)| v).unwrap_or_default();
        let header = format!("t={NOW},v1={},v1={v1},v0={v1}", "00".repeat(32));
        assert_eq!(verify("whsec_a", &header, b"body", NOW), Ok(()));
        let only_v0 = format!("t={NOW},v0={v1}");
        assert_eq!(
            verify("whsec_a", &only_v0, b"body", NOW),
            Err(SignatureError::Malformed)
        );
    }

    #[test]
    fn old_future_and_malformed_headers_are_refused() {
        let old = sign("s", NOW - 301, b"x");
        assert_eq!(verify("s", &old, b"x", NOW), Err(SignatureError::Stale));
        let future = sign("s", NOW + 301, b"x");
        assert_eq!(verify("s", &future, b"x", NOW), Err(SignatureError::Stale));
        assert_eq!(verify("s", &sign("s", NOW - 300, b"x"), b"x", NOW), Ok(()));
        for header in ["", "t=abc,v1=00", "v1=00", "t=1", "t=1,v1=zz"] {
            assert_eq!(
                verify("s", header, b"x", NOW),
                Err(SignatureError::Malformed),
                "{header}"
            );
        }
    }
}

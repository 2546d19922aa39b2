//! Password hashing with argon2id, off the async worker threads.

use crate::CoreError;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use souk_domain::identity::NewPassword;
use std::sync::LazyLock;

/// argon2id with 19 MiB of memory and two passes (OWASP's minimum).
fn argon2() -> Argon2<'static> {
    let params = Params::new(19_456, 2, 1, None).expect("constant argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// A hash to verify against when the account does not exist, so that an
/// unknown email costs the same time as a wrong password.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(b"an account that does not exist", &salt)
        .map(|h| h.to_string())
        .unwrap_or_default()
});

/// Hashes a new password (PHC string with its salt and parameters).
pub async fn hash_password(password: NewPassword) -> Result<String, CoreError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
            .hash_password(password.expose().as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("hashing a password failed: {e}"))
    })
    .await
    .map_err(anyhow::Error::from)?
    .map_err(CoreError::from)
}

/// Whether `password` matches `hash`; with no hash, does the same work and
/// answers `false`. A stored hash that cannot be parsed (such as the `!` of
/// an account with no password) never matches.
pub async fn verify_password(password: &str, hash: Option<String>) -> Result<bool, CoreError> {
    // Beyond this length no stored password can match; refuse before hashing.
    if password.chars().count() > NewPassword::MAX_CHARS {
        return Ok(false);
    }
    let password = password.to_owned();
    let matched = tokio::task::spawn_blocking(move || {
        let known = hash.is_some();
        let hash = hash.unwrap_or_else(|| DUMMY_HASH.clone());
        let Ok(parsed) = PasswordHash::new(&hash) else {
            return false;
        };
        let ok = argon2()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        known && ok
    })
    .await
    .map_err(anyhow::Error::from)?;
    Ok(matched)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_argon2id_with_the_required_cost() {
        let hash = hash_password(NewPassword::parse("correct horse battery").unwrap())
            .await
            .unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(
            verify_password("correct horse battery", Some(hash.clone()))
                .await
                .unwrap()
        );
        assert!(
            !verify_password("wrong horse battery", Some(hash))
                .await
                .unwrap()
        );
        assert!(!verify_password("anything at all", None).await.unwrap());
        assert!(
            !verify_password("anything at all", Some("!".into()))
                .await
                .unwrap()
        );
    }
}

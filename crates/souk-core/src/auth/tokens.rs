//! Access tokens (HS256 JWT, audience and type checked, algorithm pinned)
//! and opaque refresh tokens (random, stored as SHA-256).

use crate::CoreError;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use souk_db::Db;
use souk_db::repo::settings;
use souk_domain::identity::Role;
use souk_domain::ids::UserId;
use std::sync::Arc;

const ISSUER: &str = "souk";
const AUDIENCE: &str = "souk-api";
const ACCESS_TYPE: &str = "access";
const SECRET_SETTING: &str = "auth.jwt_secret";

/// Who is calling, as an access token says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caller {
    /// The signed-in account.
    pub user_id: UserId,
    /// Its role when the token was issued.
    pub role: Role,
}

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: String,
    role: Role,
    typ: String,
    iss: String,
    aud: String,
    iat: i64,
    exp: i64,
}

/// The keys that sign and check access tokens.
#[derive(Clone)]
pub struct TokenKeys(Arc<(EncodingKey, DecodingKey, Validation)>);

impl TokenKeys {
    /// Uses the configured secret, or the one kept in the database
    /// (generating it on first start).
    pub async fn load(db: &Db, configured: Option<&SecretString>) -> Result<Self, CoreError> {
        let secret = match configured {
            Some(secret) => secret.expose_secret().to_owned(),
            None => settings::get_or_insert(db.conn(), SECRET_SETTING, &random_secret()).await?,
        };
        if secret.len() < 32 {
            return Err(anyhow::anyhow!("the JWT secret must be at least 32 bytes").into());
        }
        Ok(Self::from_secret(secret.as_bytes()))
    }

    fn from_secret(secret: &[u8]) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_audience(&[AUDIENCE]);
        validation.set_issuer(&[ISSUER]);
        validation.set_required_spec_claims(&["exp", "iat", "aud", "iss", "sub"]);
        validation.leeway = 5;
        Self(Arc::new((
            EncodingKey::from_secret(secret),
            DecodingKey::from_secret(secret),
            validation,
        )))
    }

    /// Signs an access token for `user_id`.
    pub fn issue(
        &self,
        user_id: i64,
        role: Role,
        now: DateTime<Utc>,
        ttl: chrono::Duration,
    ) -> Result<String, CoreError> {
        let claims = Claims {
            sub: user_id.to_string(),
            role,
            typ: ACCESS_TYPE.to_owned(),
            iss: ISSUER.to_owned(),
            aud: AUDIENCE.to_owned(),
            iat: now.timestamp(),
            exp: (now + ttl).timestamp(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.0.0)
            .map_err(|e| anyhow::anyhow!("signing an access token failed: {e}").into())
    }

    /// Checks signature, algorithm, expiry, issuer, audience and type.
    pub fn verify(&self, token: &str) -> Result<Caller, CoreError> {
        let invalid =
            || CoreError::Unauthenticated("The access token is missing, invalid or expired.");
        let data =
            jsonwebtoken::decode::<Claims>(token, &self.0.1, &self.0.2).map_err(|_| invalid())?;
        let claims = data.claims;
        if claims.typ != ACCESS_TYPE {
            return Err(invalid());
        }
        let user_id = claims.sub.parse::<i64>().map_err(|_| invalid())?;
        Ok(Caller {
            user_id: UserId(user_id),
            role: claims.role,
        })
    }
}

/// 256 random bits as hex, for generated secrets.
pub(crate) fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// A new opaque refresh token: 256 random bits, URL-safe.
pub(crate) fn new_refresh_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What is stored of a refresh token.
pub(crate) fn hash_refresh_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> TokenKeys {
        TokenKeys::from_secret(b"0123456789abcdef0123456789abcdef")
    }

    fn forge(header: &str, claims: serde_json::Value, sign_with: Option<&[u8]>) -> String {
        let head = URL_SAFE_NO_PAD.encode(header);
        let body = URL_SAFE_NO_PAD.encode(claims.to_string());
        let signature = match sign_with {
            Some(secret) => {
                use hmac_sign::sign;
                sign(secret, format!("{head}.{body}").as_bytes())
            }
            None => String::new(),
        };
        format!("{head}.{body}.{signature}")
    }

    mod hmac_sign {
        use base64::Engine;
        use base64::engine::general_purpose::URL_SAFE_NO_PAD;
        use sha2::{Digest, Sha256};

        /// HMAC-SHA256, written out so the test does not trust the library
        /// under test to forge its own tokens.
        pub fn sign(key: &[u8], message: &[u8]) -> String {
            let mut k = [0u8; 64];
            k[..key.len()].copy_from_slice(key);
            let inner: Vec<u8> = k
                .iter()
                .map(|b| b ^ 0x36)
                .chain(message.iter().copied())
                .collect();
            let inner_hash = Sha256::digest(&inner);
            let outer: Vec<u8> = k
                .iter()
                .map(|b| b ^ 0x5c)
                .chain(inner_hash.iter().copied())
                .collect();
            URL_SAFE_NO_PAD.encode(Sha256::digest(&outer))
        }
    }

    fn claims(typ: &str, aud: &str, exp_offset: i64) -> serde_json::Value {
        let now = Utc::now().timestamp();
        serde_json::json!({"sub": "7", "role": "admin", "typ": typ, "iss": ISSUER, "aud": aud, "iat": now, "exp": now + exp_offset})
    }

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

    #[test]
    fn a_token_round_trips() {
        let token = keys()
            .issue(7, Role::Admin, Utc::now(), chrono::Duration::minutes(15))
            .unwrap();
        assert_eq!(
            keys().verify(&token).unwrap(),
            Caller {
                user_id: UserId(7),
                role: Role::Admin
            }
        );
        let forged = forge(
            r#"{"alg":"HS256","typ":"JWT"}"#,
            claims("access", AUDIENCE, 600),
            Some(SECRET),
        );
        assert!(
            keys().verify(&forged).is_ok(),
            "the hand-made signer agrees with the library"
        );
    }

    #[test]
    fn bad_tokens_are_refused() {
        let cases = [
            (
                "alg none",
                forge(
                    r#"{"alg":"none","typ":"JWT"}"#,
                    claims("access", AUDIENCE, 600),
                    None,
                ),
            ),
            (
                "wrong alg",
                forge(
                    r#"{"alg":"HS512","typ":"JWT"}"#,
                    claims("access", AUDIENCE, 600),
                    Some(SECRET),
                ),
            ),
            (
                "expired",
                forge(
                    r#"{"alg":"HS256","typ":"JWT"}"#,
                    claims("access", AUDIENCE, -600),
                    Some(SECRET),
                ),
            ),
            (
                "wrong audience",
                forge(
                    r#"{"alg":"HS256","typ":"JWT"}"#,
                    claims("access", "other", 600),
                    Some(SECRET),
                ),
            ),
            (
                "wrong type",
                forge(
                    r#"{"alg":"HS256","typ":"JWT"}"#,
                    claims("refresh", AUDIENCE, 600),
                    Some(SECRET),
                ),
            ),
            (
                "wrong key",
                forge(
                    r#"{"alg":"HS256","typ":"JWT"}"#,
                    claims("access", AUDIENCE, 600),
                    Some(b"another secret of thirty-two bytes!"),
                ),
            ),
            ("garbage", "not.a.token".to_owned()),
        ];
        for (what, token) in cases {
            assert!(keys().verify(&token).is_err(), "{what} was accepted");
        }
    }

    #[test]
    fn refresh_tokens_are_random_and_hashed() {
        let a = new_refresh_token();
        assert_ne!(a, new_refresh_token());
        assert_eq!(hash_refresh_token(&a).len(), 64);
        assert_ne!(hash_refresh_token(&a), a);
    }
}

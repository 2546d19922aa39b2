//! Signing in and staying signed in: registration, password sign-in with
//! throttling, rotating refresh tokens, and the short-lived access tokens
//! that API clients present.

mod browser;
mod change;
mod password;
mod tokens;

pub use browser::{BrowserSession, SignedIn};
pub use change::PasswordChange;
pub use password::{hash_password, verify_password};
pub(crate) use tokens::random_secret;
pub use tokens::{Caller, TokenKeys};

use crate::{CoreError, Shop};
use chrono::{DateTime, Utc};
use souk_db::entity::user;
use souk_db::repo::accounts::{self, NewUser, ThrottlePolicy};
use souk_domain::Validator;
use souk_domain::identity::{NewPassword, Role, parse_name};
use souk_domain::text::Email;

/// A successful sign-in: who, and the tokens to act as them.
#[derive(Debug, Clone)]
pub struct Session {
    /// The signed-in account.
    pub user: user::Model,
    /// A JWT for `Authorization: Bearer`.
    pub access_token: String,
    /// An opaque token that buys the next pair, once.
    pub refresh_token: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
}

impl Session {
    /// The signed-in account as a caller of use cases.
    pub fn caller(&self) -> Result<Caller, CoreError> {
        let role = Role::parse(&self.user.role)
            .map_err(|e| anyhow::anyhow!("user {} has {e}", self.user.id))?;
        Ok(Caller {
            user_id: souk_domain::ids::UserId(self.user.id),
            role,
        })
    }
}

/// What a new customer gives to register.
#[derive(Debug, Clone)]
pub struct Registration {
    pub email: String,
    pub password: String,
    pub name: String,
}

/// Where a sign-in attempt comes from, for throttling per client.
#[derive(Debug, Clone, Default)]
pub struct ClientAddress(pub Option<String>);

/// Failed sign-ins per account before it is blocked for a while.
const ACCOUNT_POLICY: ThrottlePolicy = ThrottlePolicy {
    max_failures: 5,
    window: chrono::Duration::minutes(15),
    block_for: chrono::Duration::minutes(15),
};

/// Failed sign-ins per client address before it is blocked for a while.
const CLIENT_POLICY: ThrottlePolicy = ThrottlePolicy {
    max_failures: 20,
    window: chrono::Duration::minutes(15),
    block_for: chrono::Duration::minutes(15),
};

/// The message for every failed sign-in, whatever failed.
const BAD_CREDENTIALS: &str = "The email or password is not correct.";

/// Merges the guest cart, if any, into the account that just signed in.
pub(crate) async fn adopt_cart(
    txn: &souk_db::WriteTxn,
    user: &user::Model,
    guest_cart: Option<&str>,
) -> Result<(), CoreError> {
    match guest_cart {
        Some(token) => crate::cart::merge_cart_in(txn, user.id, token).await,
        None => Ok(()),
    }
}

impl Shop {
    /// Creates a customer account and signs it in; a guest cart named by
    /// its token joins the account's, in the same transaction.
    pub async fn register(
        &self,
        input: Registration,
        client: &ClientAddress,
        guest_cart: Option<&str>,
    ) -> Result<Session, CoreError> {
        let (txn, user) = self.create_customer(input, client).await?;
        adopt_cart(&txn, &user, guest_cart).await?;
        let session = self.start_session(&txn, user).await?;
        txn.commit().await?;
        Ok(session)
    }

    /// Signs in with email and password; a guest cart named by its token
    /// joins the account's, in the same transaction. Unknown email and
    /// wrong password are indistinguishable: same error, same work.
    pub async fn login(
        &self,
        email: &str,
        password: &str,
        client: &ClientAddress,
        guest_cart: Option<&str>,
    ) -> Result<Session, CoreError> {
        let (txn, user) = self.check_password(email, password, client).await?;
        adopt_cart(&txn, &user, guest_cart).await?;
        let session = self.start_session(&txn, user).await?;
        txn.commit().await?;
        Ok(session)
    }

    /// Validates a registration and inserts the customer, in a write
    /// transaction that the caller finishes by starting a session.
    async fn create_customer(
        &self,
        input: Registration,
        client: &ClientAddress,
    ) -> Result<(souk_db::WriteTxn, user::Model), CoreError> {
        let mut v = Validator::new();
        let email = v.check("email", Email::parse(&input.email));
        let password = v.check("password", NewPassword::parse(&input.password));
        let name = v.check("name", parse_name(&input.name));
        v.finish()?;
        let (Some(email), Some(password), Some(name)) = (email, password, name) else {
            return Err(anyhow::anyhow!("validated input is incomplete").into());
        };
        self.check_throttle(&[client_key(client)]).await?;
        // Hash before looking the email up, so that a taken email answers
        // in the same time as a new one.
        let hash = hash_password(password).await?;
        let txn = self.db.begin_write().await?;
        let inserted = accounts::insert_user(
            &txn,
            NewUser {
                email: email.as_str(),
                password_hash: &hash,
                name: &name,
                role: Role::Customer.as_str(),
            },
        )
        .await;
        match inserted {
            Ok(user) => Ok((txn, user)),
            Err(e) if souk_db::is_unique_violation(&e) => {
                drop(txn);
                // Probing for accounts counts against the client.
                self.count_failure(&[client_key(client)]).await?;
                Err(CoreError::clash(
                    "email",
                    "cannot be used to register; sign in or reset the password instead",
                ))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Checks email and password under throttling; on success, a write
    /// transaction that the caller finishes by starting a session.
    pub(crate) async fn check_password(
        &self,
        email: &str,
        password: &str,
        client: &ClientAddress,
    ) -> Result<(souk_db::WriteTxn, user::Model), CoreError> {
        let email = Email::parse(email)
            .map(Email::into_inner)
            .unwrap_or_else(|_| email.trim().to_lowercase());
        let keys = [account_key(&email), client_key(client)];
        self.check_throttle(&keys).await?;
        let found = accounts::find_user_by_email(self.db.conn(), &email).await?;
        let hash = found.as_ref().map(|u| u.password_hash.clone());
        let verified = verify_password(password, hash).await?;
        let user = match found {
            Some(user) if verified && user.disabled_at.is_none() => user,
            _ => {
                self.count_failure(&keys).await?;
                return Err(CoreError::Unauthenticated(BAD_CREDENTIALS));
            }
        };
        let txn = self.db.begin_write().await?;
        accounts::clear_failures(&txn, &keys[0]).await?;
        Ok((txn, user))
    }

    /// Trades a refresh token for a new pair. A token that was already
    /// used means it leaked: its whole family is revoked.
    pub async fn refresh(&self, refresh_token: &str) -> Result<Session, CoreError> {
        let hash = tokens::hash_refresh_token(refresh_token);
        let now = Utc::now();
        let txn = self.db.begin_write().await?;
        let Some(used) = accounts::use_refresh_token(&txn, &hash, now).await? else {
            if let Some(stale) = accounts::find_refresh_token(&txn, &hash).await?
                && stale.used_at.is_some()
                && stale.revoked_at.is_none()
            {
                tracing::warn!(
                    user_id = stale.user_id,
                    "refresh token reused; revoking its family"
                );
                accounts::revoke_family(&txn, &stale.family, now).await?;
                txn.commit().await?;
            }
            return Err(CoreError::Unauthenticated(
                "The refresh token is not valid.",
            ));
        };
        let user = accounts::find_user(&txn, used.user_id)
            .await?
            .filter(|u| u.disabled_at.is_none())
            .ok_or(CoreError::Unauthenticated(
                "The refresh token is not valid.",
            ))?;
        let session = self.issue(&txn, user, &used.family, now).await?;
        txn.commit().await?;
        Ok(session)
    }

    /// Ends the sign-in that a refresh token belongs to, on every device
    /// that shares its family. Unknown tokens are ignored.
    pub async fn logout(&self, refresh_token: &str) -> Result<(), CoreError> {
        let hash = tokens::hash_refresh_token(refresh_token);
        let txn = self.db.begin_write().await?;
        if let Some(token) = accounts::find_refresh_token(&txn, &hash).await? {
            accounts::revoke_family(&txn, &token.family, Utc::now()).await?;
        }
        txn.commit().await?;
        Ok(())
    }

    /// Checks an access token and says who presents it.
    pub fn authenticate(&self, access_token: &str) -> Result<Caller, CoreError> {
        self.tokens.verify(access_token)
    }

    async fn start_session(
        &self,
        txn: &souk_db::WriteTxn,
        user: user::Model,
    ) -> Result<Session, CoreError> {
        let family = uuid::Uuid::new_v4().to_string();
        self.issue(txn, user, &family, Utc::now()).await
    }

    async fn issue(
        &self,
        txn: &souk_db::WriteTxn,
        user: user::Model,
        family: &str,
        now: DateTime<Utc>,
    ) -> Result<Session, CoreError> {
        let role =
            Role::parse(&user.role).map_err(|e| anyhow::anyhow!("user {} has {e}", user.id))?;
        let access_token = self
            .tokens
            .issue(user.id, role, now, self.config.access_token_ttl)?;
        let refresh_token = tokens::new_refresh_token();
        accounts::insert_refresh_token(
            txn,
            user.id,
            family,
            &tokens::hash_refresh_token(&refresh_token),
            now + self.config.refresh_token_ttl,
        )
        .await?;
        Ok(Session {
            user,
            access_token,
            refresh_token,
            expires_in: self.config.access_token_ttl.num_seconds(),
        })
    }

    async fn check_throttle(&self, keys: &[String]) -> Result<(), CoreError> {
        let now = Utc::now();
        for key in keys {
            if let Some(until) = accounts::throttled_until(self.db.conn(), key, now).await? {
                let retry_after_secs = (until - now).num_seconds().max(1) as u64;
                return Err(CoreError::RateLimited { retry_after_secs });
            }
        }
        Ok(())
    }

    async fn count_failure(&self, keys: &[String]) -> Result<(), CoreError> {
        let now = Utc::now();
        let txn = self.db.begin_write().await?;
        for key in keys {
            let policy = if key.starts_with("account:") {
                ACCOUNT_POLICY
            } else {
                CLIENT_POLICY
            };
            accounts::record_failure(&txn, key, now, policy).await?;
        }
        txn.commit().await?;
        Ok(())
    }
}

fn account_key(email: &str) -> String {
    format!("account:{email}")
}

fn client_key(client: &ClientAddress) -> String {
    format!("client:{}", client.0.as_deref().unwrap_or("unknown"))
}

/// How long a password reset link works.
const RESET_VALID_FOR: chrono::Duration = chrono::Duration::hours(1);

impl Shop {
    /// Sends a reset link if the account exists. The answer is the same
    /// either way, so that it reveals nothing.
    pub async fn forgot_password(&self, email: &str) -> Result<(), CoreError> {
        let Ok(email) = Email::parse(email) else {
            return Ok(());
        };
        let txn = self.db.begin_write().await?;
        let Some(user) = accounts::find_user_by_email(&txn, email.as_str()).await? else {
            return Ok(());
        };
        let token = tokens::new_refresh_token();
        accounts::insert_password_reset(
            &txn,
            user.id,
            &tokens::hash_refresh_token(&token),
            Utc::now() + RESET_VALID_FOR,
        )
        .await?;
        let link = format!(
            "{}/reset-password?token={token}",
            self.config.public_url.trim_end_matches('/')
        );
        let message = crate::mail::OutgoingEmail {
            to: user.email.clone(),
            subject: "Reset your password".into(),
            text: format!(
                "Hello {},\n\nsomeone asked to reset the password of your account. If it was you, open this link within an hour:\n\n{link}\n\nIf it was not you, ignore this message; your password stays as it is.\n",
                user.name
            ),
        };
        crate::mail::enqueue(&txn, &message).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Sets a new password with a reset token, once and within the hour,
    /// and signs the account out everywhere.
    pub async fn reset_password(&self, token: &str, password: &str) -> Result<(), CoreError> {
        let password = NewPassword::parse(password)
            .map_err(|e| CoreError::Validation(vec![e.at("password")]))?;
        let hash = hash_password(password).await?;
        let now = Utc::now();
        let txn = self.db.begin_write().await?;
        let user_id = accounts::use_password_reset(&txn, &tokens::hash_refresh_token(token), now)
            .await?
            .ok_or_else(|| {
                CoreError::clash("token", "is not valid or has expired; ask for a new link")
            })?;
        accounts::set_password(&txn, user_id, &hash).await?;
        accounts::revoke_all_for_user(&txn, user_id, now).await?;
        accounts::clear_failures(
            &txn,
            &format!(
                "account:{}",
                accounts::find_user(&txn, user_id)
                    .await?
                    .map(|u| u.email)
                    .unwrap_or_default()
            ),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }
}

//! A signed-in account changes its password. The current password is
//! checked as a sign-in checks it (a wrong one counts against the account
//! and the client, so a stolen session cannot guess it freely), then every
//! session of the account ends and the caller gets a new one; the account's
//! e-mail address is told.

use super::{ClientAddress, Session, browser};
use crate::{CoreError, Shop};
use chrono::Utc;
use souk_db::entity::user;
use souk_db::repo::accounts;
use souk_domain::identity::NewPassword;
use souk_domain::ids::UserId;
use souk_domain::{FieldError, Validator};

/// The current password and the one to replace it.
#[derive(Debug, Clone)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

impl Shop {
    /// Changes the caller's password and ends every session of the
    /// account; the answer is a new session in their place.
    pub async fn change_password(
        &self,
        user_id: UserId,
        change: PasswordChange,
        client: &ClientAddress,
    ) -> Result<Session, CoreError> {
        let (txn, user) = self.replace_password(user_id, change, client).await?;
        let session = self.start_session(&txn, user).await?;
        txn.commit().await?;
        Ok(session)
    }

    /// The same from the browser: the browser stays signed in under a new
    /// session token, every other session ends.
    pub async fn browser_change_password(
        &self,
        user_id: UserId,
        change: PasswordChange,
        client: &ClientAddress,
    ) -> Result<browser::BrowserSession, CoreError> {
        let (txn, user) = self.replace_password(user_id, change, client).await?;
        let session = browser::start(&txn, user).await?;
        txn.commit().await?;
        Ok(session)
    }

    /// Checks the change, then sets the new password and ends the
    /// account's sessions in a write transaction that the caller finishes
    /// by starting a new one.
    async fn replace_password(
        &self,
        user_id: UserId,
        change: PasswordChange,
        client: &ClientAddress,
    ) -> Result<(souk_db::WriteTxn, user::Model), CoreError> {
        let mut v = Validator::new();
        if change.current_password.is_empty() {
            v.push(FieldError::new("current_password", "is required"));
        }
        let new = v.check("new_password", NewPassword::parse(&change.new_password));
        if !change.current_password.is_empty() && change.current_password == change.new_password {
            v.push(FieldError::new(
                "new_password",
                "must differ from the current password",
            ));
        }
        v.finish()?;
        let Some(new) = new else {
            return Err(anyhow::anyhow!("validated input is incomplete").into());
        };
        let user = accounts::find_user(self.db.conn(), user_id.0)
            .await?
            .ok_or(CoreError::Unauthenticated("the account no longer exists"))?;
        // Hashed before the write transaction starts: hashing takes tens
        // of milliseconds, and SQLite has one writer.
        let hash = super::hash_password(new).await?;
        let (txn, user) = match self
            .check_password(&user.email, &change.current_password, client)
            .await
        {
            Ok(checked) => checked,
            Err(CoreError::Unauthenticated(_)) => {
                return Err(CoreError::clash(
                    "current_password",
                    "is not the account's current password",
                ));
            }
            Err(other) => return Err(other),
        };
        let now = Utc::now();
        accounts::set_password(&txn, user.id, &hash).await?;
        accounts::revoke_all_for_user(&txn, user.id, now).await?;
        let message = crate::mail::OutgoingEmail {
            to: user.email.clone(),
            subject: "Your password was changed".into(),
            text: format!(
                "Hello {},\n\nthe password of your account was changed, and every device signed in to it was signed out.\n\nIf it was not you, reset your password now with \"Forgot your password?\" on the sign-in page:\n\n{}/forgot-password\n",
                user.name,
                self.config.public_url.trim_end_matches('/')
            ),
        };
        crate::mail::enqueue(&txn, &message).await?;
        Ok((txn, user))
    }
}

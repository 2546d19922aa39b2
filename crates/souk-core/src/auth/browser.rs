//! Signing in from the browser pages: a server-side session whose cookie
//! holds a random token; the table keeps only its SHA-256.

use super::tokens::{hash_refresh_token, new_refresh_token};
use super::{Caller, ClientAddress, Registration};
use crate::actor::{Actor, actor_of};
use crate::{CoreError, Shop};
use chrono::Utc;
use hmac::{Hmac, Mac};
use secrecy::ExposeSecret;
use sha2::Sha256;
use souk_db::entity::user;
use souk_db::repo::accounts::{self, SessionAccount};
use souk_domain::identity::Role;

/// How long a browser stays signed in.
const BROWSER_SESSION_TTL: chrono::Duration = chrono::Duration::days(30);

/// A browser session just started: the token for its cookie.
#[derive(Debug, Clone)]
pub struct BrowserSession {
    pub token: String,
    pub user: user::Model,
}

impl BrowserSession {
    /// The signed-in account as a caller of use cases.
    pub fn caller(&self) -> Result<Caller, CoreError> {
        caller_of(self.user.id, &self.user.role)
    }
}

fn caller_of(user_id: i64, role: &str) -> Result<Caller, CoreError> {
    let role = Role::parse(role).map_err(|e| anyhow::anyhow!("user {user_id} has {e}"))?;
    Ok(Caller {
        user_id: souk_domain::ids::UserId(user_id),
        role,
    })
}

/// Who a browser session belongs to, and what every page shows of it.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub caller: Caller,
    /// Whom the account acts as (read with the session).
    pub actor: Actor,
    pub name: String,
    pub email: String,
    /// The units in the account's cart.
    pub cart_units: i64,
}

impl SignedIn {
    fn from_session(account: SessionAccount) -> Result<Self, CoreError> {
        let caller = caller_of(account.user_id, &account.role)?;
        let seller = account.seller_id.zip(account.seller_status.as_deref());
        Ok(Self {
            caller,
            actor: actor_of(caller, seller),
            name: account.name,
            email: account.email,
            cart_units: account.cart_units,
        })
    }

    /// Whether this is a member of staff.
    pub fn is_staff(&self) -> bool {
        self.actor.is_staff()
    }
}

impl Shop {
    /// Signs a browser in with email and password (throttled like the
    /// API); the browser's guest cart joins the account's in the same
    /// transaction.
    pub async fn browser_login(
        &self,
        email: &str,
        password: &str,
        client: &ClientAddress,
        guest_cart: Option<&str>,
    ) -> Result<BrowserSession, CoreError> {
        let (txn, user) = self.check_password(email, password, client).await?;
        super::adopt_cart(&txn, &user, guest_cart).await?;
        let session = start(&txn, user).await?;
        txn.commit().await?;
        Ok(session)
    }

    /// Registers a customer from the browser and signs the browser in,
    /// with its guest cart.
    pub async fn browser_register(
        &self,
        input: Registration,
        client: &ClientAddress,
        guest_cart: Option<&str>,
    ) -> Result<BrowserSession, CoreError> {
        let (txn, user) = self.create_customer(input, client).await?;
        super::adopt_cart(&txn, &user, guest_cart).await?;
        let session = start(&txn, user).await?;
        txn.commit().await?;
        Ok(session)
    }

    /// Who the browser session with this token belongs to, while it lasts.
    pub async fn browser_user(&self, token: &str) -> Result<Option<SignedIn>, CoreError> {
        let found =
            accounts::web_session_account(self.db.conn(), &hash_refresh_token(token), Utc::now())
                .await?;
        found.map(SignedIn::from_session).transpose()
    }

    /// The anti-forgery token that every form of a browser carries, bound
    /// to the browser's form cookie and to its session (if signed in).
    pub fn form_token(&self, browser_key: &str, session: Option<&str>) -> String {
        hex::encode(self.form_mac(browser_key, session).finalize().into_bytes())
    }

    /// Whether `token` is the form token of this browser and session
    /// (compared in constant time).
    pub fn check_form_token(&self, browser_key: &str, session: Option<&str>, token: &str) -> bool {
        let Ok(token) = hex::decode(token) else {
            return false;
        };
        !browser_key.is_empty()
            && self
                .form_mac(browser_key, session)
                .verify_slice(&token)
                .is_ok()
    }

    fn form_mac(&self, browser_key: &str, session: Option<&str>) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(self.form_secret.expose_secret().as_bytes())
            .expect("HMAC takes a key of any length");
        mac.update(browser_key.as_bytes());
        mac.update(b"|");
        mac.update(session.unwrap_or_default().as_bytes());
        mac
    }

    /// Ends a browser session. Unknown tokens are ignored.
    pub async fn browser_logout(&self, token: &str) -> Result<(), CoreError> {
        let txn = self.db.begin_write().await?;
        accounts::delete_web_session(&txn, &hash_refresh_token(token), Utc::now()).await?;
        txn.commit().await?;
        Ok(())
    }
}

pub(super) async fn start(
    txn: &souk_db::WriteTxn,
    user: user::Model,
) -> Result<BrowserSession, CoreError> {
    let token = new_refresh_token();
    accounts::insert_web_session(
        txn,
        user.id,
        &hash_refresh_token(&token),
        Utc::now() + BROWSER_SESSION_TTL,
    )
    .await?;
    Ok(BrowserSession { token, user })
}

//! A signed-in user's own profile and address book, and account
//! administration from the command line.

use crate::auth::{Caller, hash_password};
use crate::{CoreError, Shop};
use souk_db::entity::{address, user};
use souk_db::repo::accounts::{self, NewUser};
use souk_db::repo::addresses;
use souk_domain::Validator;
use souk_domain::address::{AddressInput, PostalAddress};
use souk_domain::identity::{NewPassword, Role, parse_name, parse_optional_phone};
use souk_domain::text::Email;

/// Changes a user may make to their own profile. Role, email and
/// verification state are not among them.
#[derive(Debug, Clone, Default)]
pub struct ProfileChanges {
    pub name: Option<String>,
    /// `Some(None)` clears the phone number.
    pub phone: Option<Option<String>>,
}

/// Whether `user create` made a new account or updated one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserSaved {
    Created,
    Updated,
}

/// Most addresses one customer may keep.
const MAX_ADDRESSES: u64 = 50;

impl Shop {
    /// The caller's account.
    pub async fn me(&self, caller: Caller) -> Result<user::Model, CoreError> {
        accounts::find_user(self.db.conn(), caller.user_id.0)
            .await?
            .ok_or(CoreError::Unauthenticated("The account no longer exists."))
    }

    /// Updates the caller's name and phone.
    pub async fn update_me(
        &self,
        caller: Caller,
        changes: ProfileChanges,
    ) -> Result<user::Model, CoreError> {
        let mut v = Validator::new();
        let name = match &changes.name {
            Some(name) => v.check("name", parse_name(name)),
            None => None,
        };
        let phone = match &changes.phone {
            Some(Some(phone)) => v.check("phone", parse_optional_phone(phone)),
            Some(None) => Some(None),
            None => None,
        };
        v.finish()?;
        let txn = self.db.begin_write().await?;
        let updated = accounts::update_profile(
            &txn,
            caller.user_id.0,
            name.as_deref(),
            phone.as_ref().map(|p| p.as_deref()),
        )
        .await?
        .ok_or(CoreError::Unauthenticated("The account no longer exists."))?;
        txn.commit().await?;
        Ok(updated)
    }

    /// The caller's addresses, default first.
    pub async fn list_addresses(&self, caller: Caller) -> Result<Vec<address::Model>, CoreError> {
        Ok(addresses::list(self.db.conn(), caller.user_id.0).await?)
    }

    /// One of the caller's addresses.
    pub async fn get_address(&self, caller: Caller, id: i64) -> Result<address::Model, CoreError> {
        addresses::get(self.db.conn(), caller.user_id.0, id)
            .await?
            .ok_or(CoreError::NotFound("address"))
    }

    /// Adds an address; the first one becomes the default.
    pub async fn create_address(
        &self,
        caller: Caller,
        input: &AddressInput,
        make_default: bool,
    ) -> Result<address::Model, CoreError> {
        let address = PostalAddress::parse(input)?;
        let txn = self.db.begin_write().await?;
        let created = keep_address(&txn, caller.user_id.0, address, make_default)
            .await?
            .ok_or_else(|| {
                CoreError::Conflict(format!(
                    "An address book holds at most {MAX_ADDRESSES} addresses."
                ))
            })?;
        txn.commit().await?;
        Ok(created)
    }

    /// Replaces one of the caller's addresses.
    pub async fn update_address(
        &self,
        caller: Caller,
        id: i64,
        input: &AddressInput,
        make_default: bool,
    ) -> Result<address::Model, CoreError> {
        let address = PostalAddress::parse(input)?;
        let txn = self.db.begin_write().await?;
        let updated = addresses::update(&txn, caller.user_id.0, id, address, make_default)
            .await?
            .ok_or(CoreError::NotFound("address"))?;
        txn.commit().await?;
        Ok(updated)
    }

    /// Deletes one of the caller's addresses.
    pub async fn delete_address(&self, caller: Caller, id: i64) -> Result<(), CoreError> {
        let txn = self.db.begin_write().await?;
        if !addresses::delete(&txn, caller.user_id.0, id).await? {
            return Err(CoreError::NotFound("address"));
        }
        txn.commit().await?;
        Ok(())
    }

    /// Creates an account with any role, or sets the role and password of
    /// an existing one (for the `souk user create` command). A seller gets
    /// an approved shop named after it unless it has one.
    pub async fn save_user(
        &self,
        email: &str,
        password: &str,
        name: Option<&str>,
        role: Role,
    ) -> Result<(user::Model, UserSaved), CoreError> {
        let mut v = Validator::new();
        let email = v.check("email", Email::parse(email));
        let password = v.check("password", NewPassword::parse(password));
        let name = match name {
            Some(name) => v.check("name", parse_name(name)),
            None => email
                .as_ref()
                .map(|e| e.as_str().split('@').next().unwrap_or("").to_owned()),
        };
        v.finish()?;
        let (Some(email), Some(password), Some(name)) = (email, password, name) else {
            return Err(anyhow::anyhow!("validated input is incomplete").into());
        };
        let hash = hash_password(password).await?;
        let txn = self.db.begin_write().await?;
        let saved = match accounts::find_user_by_email(&txn, email.as_str()).await? {
            Some(existing) => {
                accounts::set_role_and_password(&txn, existing.id, role.as_str(), &hash).await?;
                let user = accounts::find_user(&txn, existing.id)
                    .await?
                    .unwrap_or(existing);
                (user, UserSaved::Updated)
            }
            None => {
                let user = accounts::insert_user(
                    &txn,
                    NewUser {
                        email: email.as_str(),
                        password_hash: &hash,
                        name: &name,
                        role: role.as_str(),
                    },
                )
                .await?;
                (user, UserSaved::Created)
            }
        };
        if role == Role::Seller {
            crate::sellers::open_shop_for(&txn, &saved.0).await?;
        }
        txn.commit().await?;
        Ok(saved)
    }
}

/// Adds an address to a user's book in the caller's transaction; the first
/// one becomes the default. None when the book is full.
pub(crate) async fn keep_address(
    txn: &souk_db::WriteTxn,
    user_id: i64,
    address: PostalAddress,
    make_default: bool,
) -> Result<Option<address::Model>, CoreError> {
    let existing = addresses::count(txn, user_id).await?;
    if existing >= MAX_ADDRESSES {
        return Ok(None);
    }
    let is_default = make_default || existing == 0;
    Ok(Some(
        addresses::insert(txn, user_id, address, is_default).await?,
    ))
}

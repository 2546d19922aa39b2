//! A customer's own data: downloaded as one JSON document, or erased. The
//! erasure deletes the account, its addresses, cart and sessions, and
//! overwrites what its orders say about the person; the orders themselves
//! (lines, amounts, country) stay for the shop's accounts.

use crate::auth::{Caller, ClientAddress};
use crate::reviews::ManagedReview;
use crate::{CoreError, Shop};
use chrono::{DateTime, Utc};
use souk_db::entity::{address, order, order_item, user};
use souk_db::repo::{addresses, erasure, orders, reviews};
use souk_domain::address::PostalAddress;
use souk_domain::identity::Role;
use souk_domain::orders::OrderStatus;
use std::collections::HashMap;

/// Everything the shop holds about a customer, as they download it.
#[derive(Debug, Clone)]
pub struct AccountData {
    pub exported_at: DateTime<Utc>,
    pub account: user::Model,
    pub addresses: Vec<address::Model>,
    /// Oldest first, each with its lines.
    pub orders: Vec<(order::Model, Vec<order_item::Model>)>,
    /// Oldest first.
    pub reviews: Vec<ManagedReview>,
}

/// What an erased order's e-mail address becomes.
const ERASED_EMAIL: &str = "erased@invalid";

impl Shop {
    /// The caller's data as one document.
    pub async fn account_data(&self, caller: Caller) -> Result<AccountData, CoreError> {
        let db = self.db.conn();
        let user = self.me(caller).await?;
        let addresses = addresses::list(db, user.id).await?;
        let placed = erasure::orders_of(db, user.id).await?;
        let ids: Vec<i64> = placed.iter().map(|o| o.id).collect();
        let mut lines: HashMap<i64, Vec<order_item::Model>> = HashMap::new();
        for item in orders::items_of(db, &ids, None).await? {
            lines.entry(item.order_id).or_default().push(item);
        }
        let orders = placed
            .into_iter()
            .map(|o| {
                let lines = lines.remove(&o.id).unwrap_or_default();
                (o, lines)
            })
            .collect();
        let reviews = reviews::written_by(db, user.id)
            .await?
            .into_iter()
            .map(ManagedReview::new)
            .collect::<Result<_, _>>()?;
        Ok(AccountData {
            exported_at: Utc::now(),
            account: user,
            addresses,
            orders,
            reviews,
        })
    }

    /// Erases the caller's account after checking its password (as a
    /// sign-in does). Refused while an order of theirs is still on its
    /// way, and for staff and sellers, whose accounts the shop closes.
    pub async fn erase_account(
        &self,
        caller: Caller,
        password: &str,
        client: &ClientAddress,
    ) -> Result<(), CoreError> {
        let user = self.me(caller).await?;
        if Role::parse(&user.role).is_ok_and(|r| r != Role::Customer) {
            return Err(CoreError::Conflict(
                "A staff account is closed by the shop's owner, not deleted by itself.".into(),
            ));
        }
        if souk_db::repo::sellers::find_seller_of_user(self.db.conn(), user.id)
            .await?
            .is_some()
        {
            return Err(CoreError::Conflict(
                "This account runs or applied for a seller shop; ask the shop to close it first."
                    .into(),
            ));
        }
        let (txn, user) = match self.check_password(&user.email, password, client).await {
            Ok(checked) => checked,
            Err(CoreError::Unauthenticated(_)) => {
                return Err(CoreError::clash(
                    "password",
                    "is not the account's password",
                ));
            }
            Err(other) => return Err(other),
        };
        let open: Vec<&str> = OrderStatus::ALL
            .iter()
            .filter(|s| s.is_open())
            .map(|s| s.as_str())
            .collect();
        if erasure::orders_in(&txn, user.id, &open).await? > 0 {
            return Err(CoreError::Conflict(
                "An order of yours is still on its way; the account can be deleted once it has arrived or been cancelled.".into(),
            ));
        }
        let now = Utc::now();
        for placed in erasure::orders_of(&txn, user.id).await? {
            let address = serde_json::from_str::<PostalAddress>(&placed.shipping_address)
                .map(|a| a.anonymised())
                .map_err(|e| {
                    anyhow::anyhow!("order {} has an unreadable address: {e}", placed.id)
                })?;
            let address = serde_json::to_string(&address).map_err(anyhow::Error::from)?;
            erasure::anonymise_order(&txn, placed.id, ERASED_EMAIL, &address, now).await?;
        }
        // The account's reviews go with it (a cascading key); the ratings
        // of the products they were of are counted again.
        let reviewed = reviews::products_reviewed_by(&txn, user.id).await?;
        erasure::delete_account(&txn, user.id, &format!("account:{}", user.email)).await?;
        for product_id in reviewed {
            reviews::recount(&txn, product_id).await?;
        }
        txn.commit().await?;
        self.cache.products_changed();
        Ok(())
    }
}

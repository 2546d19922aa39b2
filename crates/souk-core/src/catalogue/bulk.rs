//! One action on many products at once, in one transaction: every product
//! named must be the actor's to manage, or nothing changes.

use crate::actor::Actor;
use crate::{CoreError, Shop};
use souk_db::repo::catalogue;
use souk_domain::catalogue::ProductStatus;
use souk_domain::{FieldError, Invalid};

/// The most products one bulk action may name; more is refused (422),
/// never cut short.
pub const MAX_BULK_PRODUCTS: usize = 1000;

/// What a bulk action does to each product.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BulkAction {
    Activate,
    Archive,
    Delete,
}

impl BulkAction {
    /// Every action, as forms and clients name them.
    pub const ALL: [BulkAction; 3] = [Self::Activate, Self::Archive, Self::Delete];

    /// The form's and the API's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Activate => "activate",
            Self::Archive => "archive",
            Self::Delete => "delete",
        }
    }

    /// Reads an action's name.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|a| a.as_str() == raw)
            .ok_or_else(|| Invalid::new("must be one of activate, archive, delete"))
    }
}

impl Shop {
    /// Applies `action` to every product of `ids` (repeats count once) in
    /// one transaction and returns how many were changed. A product that
    /// is not the actor's to manage refuses the whole action (409, naming
    /// it); nothing changes.
    pub async fn bulk_products(
        &self,
        actor: &Actor,
        ids: &[i64],
        action: BulkAction,
    ) -> Result<usize, CoreError> {
        let scope = actor.catalogue_scope()?;
        let mut ids = ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            return Err(CoreError::invalid("ids", "must name at least one product"));
        }
        if ids.len() > MAX_BULK_PRODUCTS {
            return Err(CoreError::invalid(
                "ids",
                format!("must name at most {MAX_BULK_PRODUCTS} products"),
            ));
        }
        let txn = self.db.begin_write().await?;
        let mut missing = Vec::new();
        for id in &ids {
            if self.product_in_scope(&txn, scope, *id).await.is_err() {
                missing.push(FieldError::new("ids", format!("product {id} is not found")));
            }
        }
        CoreError::unless_clashes(missing)?;
        match action {
            BulkAction::Delete => {
                for id in &ids {
                    catalogue::delete_product(&txn, *id).await?;
                }
            }
            BulkAction::Activate | BulkAction::Archive => {
                let status = if action == BulkAction::Activate {
                    ProductStatus::Active
                } else {
                    ProductStatus::Archived
                };
                catalogue::set_status(&txn, &ids, status.as_str()).await?;
            }
        }
        txn.commit().await?;
        self.cache.products_changed();
        Ok(ids.len())
    }
}

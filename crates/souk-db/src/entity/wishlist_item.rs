//! A product (or one variant of it) an account keeps for later.

use sea_orm::entity::prelude::*;

/// A row of `wishlist_items`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "wishlist_items")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    pub product_id: i64,
    pub variant_id: Option<i64>,
    /// The variant's id, or 0 for the product as a whole.
    pub variant_key: i64,
    /// Sold out when last looked at: an e-mail is due when it is back.
    pub waiting: bool,
    pub created_at: DateTimeUtc,
}

/// No relations are navigated through the ORM; repositories join explicitly.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

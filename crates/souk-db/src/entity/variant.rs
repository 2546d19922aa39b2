//! A purchasable variant of a product, with its own SKU, price and stock.

use sea_orm::entity::prelude::*;

/// A row of `variants`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "variants")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub product_id: i64,
    #[sea_orm(unique)]
    pub sku: String,
    /// A JSON object of option name to value, keys sorted.
    pub options: String,
    pub price: i64,
    pub currency: String,
    pub stock_on_hand: i64,
    /// Units held by unfinished checkouts; available = on hand - reserved.
    pub stock_reserved: i64,
    pub position: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// No relations are navigated through the ORM; repositories join explicitly.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

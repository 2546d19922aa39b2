//! A line of an order, copied from the catalogue at checkout.

use sea_orm::entity::prelude::*;

/// A row of `order_items`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "order_items")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub order_id: i64,
    pub variant_id: Option<i64>,
    pub product_id: Option<i64>,
    pub seller_id: Option<i64>,
    pub product_name: String,
    pub sku: String,
    pub options: String,
    pub unit_price: i64,
    pub quantity: i64,
    pub line_total: i64,
}

/// No relations are navigated through the ORM; repositories join explicitly.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

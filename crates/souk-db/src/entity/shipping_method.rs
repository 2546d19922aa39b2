//! A way of shipping that staff offer for the shop, or a seller for its
//! own parcels, with its price rule.

use sea_orm::entity::prelude::*;

/// A row of `shipping_methods`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "shipping_methods")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The seller whose method it is; `None`: the shop's.
    pub seller_id: Option<i64>,
    pub name: String,
    pub price: i64,
    pub currency: String,
    /// Free when the goods are worth at least this much.
    pub free_above: Option<i64>,
    pub active: bool,
    pub position: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// No relations are navigated through the ORM; repositories join explicitly.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! An order: totals, addresses and method as they were at checkout.

use sea_orm::entity::prelude::*;

/// A row of `orders`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "orders")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub public_id: String,
    #[sea_orm(unique)]
    pub number: String,
    pub user_id: Option<i64>,
    pub email: String,
    pub status: String,
    pub payment_status: String,
    pub payment_method: String,
    pub currency: String,
    pub subtotal: i64,
    pub shipping_total: i64,
    pub discount_total: i64,
    pub tax_total: i64,
    pub total: i64,
    /// The address as a JSON object, copied at checkout.
    pub shipping_address: String,
    pub shipping_method_id: Option<i64>,
    pub shipping_method_name: String,
    pub voucher_code: Option<String>,
    pub cart_id: Option<i64>,
    pub cart_generation: Option<i64>,
    pub placed_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// No relations are navigated through the ORM; repositories join explicitly.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

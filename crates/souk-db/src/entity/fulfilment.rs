//! One seller's part of an order (or the shop's own), shipped as a parcel.

use sea_orm::entity::prelude::*;

/// A row of `fulfilments`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "fulfilments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub order_id: i64,
    pub seller_id: Option<i64>,
    pub status: String,
    pub shipping_method_name: String,
    pub shipping_total: i64,
    pub subtotal: i64,
    pub currency: String,
    pub carrier: Option<String>,
    pub tracking_number: Option<String>,
    pub shipped_at: Option<DateTimeUtc>,
    pub delivered_at: Option<DateTimeUtc>,
    pub cancelled_at: Option<DateTimeUtc>,
    /// The parcel's share of the order's discount on goods.
    pub discount: i64,
    /// What the seller bears of that discount (0 when the
    /// marketplace pays for it), frozen at checkout.
    pub seller_discount: i64,
    /// What has been refunded of this parcel.
    pub refunded_total: i64,
    /// When the seller's money for it becomes available: delivery plus
    /// the hold period. None until delivered.
    pub funds_release_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// No relations are navigated through the ORM; repositories join explicitly.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

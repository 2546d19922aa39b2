//! Money given back on an order.

use sea_orm::entity::prelude::*;

/// A row of `refunds`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "refunds")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub order_id: i64,
    pub payment_id: i64,
    /// The parcel it is for; None when it was spread over the order.
    pub fulfilment_id: Option<i64>,
    pub amount: i64,
    pub reason: String,
    pub actor_id: Option<i64>,
    /// The provider's id of this refund (Stripe: `re_...`), once made there.
    pub provider_ref: Option<String>,
    pub created_at: DateTimeUtc,
}

/// No relations are navigated through the ORM; repositories join explicitly.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! A payment of an order through a provider.

use sea_orm::entity::prelude::*;

/// A row of `payments`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "payments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub public_id: String,
    pub order_id: i64,
    pub provider: String,
    /// `pending`, `succeeded` or `failed`.
    pub status: String,
    pub amount: i64,
    pub currency: String,
    pub captured_amount: i64,
    pub refunded_amount: i64,
    /// The provider's id of this payment (Stripe: the PaymentIntent
    /// `pi_...`), unique per provider; `None` until the provider has one.
    pub provider_ref: Option<String>,
    /// What the provider's script in the shopper's browser needs to pay
    /// (Stripe: the PaymentIntent's client secret).
    pub client_secret: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// No relations are navigated through the ORM; repositories join explicitly.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

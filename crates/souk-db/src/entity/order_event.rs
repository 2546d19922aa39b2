//! One step of an order's history: the status it reached, who moved it, why.

use sea_orm::entity::prelude::*;

/// A row of `order_events`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "order_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub order_id: i64,
    pub status: String,
    /// `customer`, `staff` or `system`.
    pub actor_kind: String,
    pub actor_id: Option<i64>,
    pub note: Option<String>,
    pub created_at: DateTimeUtc,
}

/// No relations are navigated through the ORM; repositories join explicitly.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! One change of a variant's stock: by how much, to what, why and by whom.

use sea_orm::entity::prelude::*;

/// A row of `stock_movements`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "stock_movements")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub variant_id: i64,
    pub delta: i64,
    pub stock_after: i64,
    pub reason: String,
    pub actor_id: Option<i64>,
    pub created_at: DateTimeUtc,
}

/// No relations are navigated through the ORM; repositories join explicitly.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

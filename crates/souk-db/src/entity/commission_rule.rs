//! What the marketplace takes from a seller's sales, for one scope.

use sea_orm::entity::prelude::*;

/// A row of `commission_rules`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "commission_rules")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub scope: String,
    pub seller_id: Option<i64>,
    pub category_id: Option<i64>,
    #[sea_orm(unique)]
    pub scope_key: String,
    pub basis_points: i32,
    pub fixed_per_unit: i64,
    pub min_per_line: Option<i64>,
    pub max_per_line: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// No relations are navigated through the ORM; repositories join explicitly.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

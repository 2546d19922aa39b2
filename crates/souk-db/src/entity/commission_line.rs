//! The commission of one order line, frozen at checkout: the rule's terms
//! as they were, the amount the line was sold for, and what was taken.

use sea_orm::entity::prelude::*;

/// A row of `commission_lines`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "commission_lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub order_id: i64,
    #[sea_orm(unique)]
    pub order_item_id: i64,
    pub seller_id: i64,
    pub rule_id: Option<i64>,
    pub rule_scope: String,
    pub basis_points: i32,
    pub fixed_per_unit: i64,
    pub min_per_line: Option<i64>,
    pub max_per_line: Option<i64>,
    pub line_amount: i64,
    pub discount_share: i64,
    pub amount: i64,
    pub currency: String,
    pub created_at: DateTimeUtc,
}

/// No relations are navigated through the ORM; repositories join explicitly.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

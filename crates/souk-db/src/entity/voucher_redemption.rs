//! One use of a voucher by one order.

use sea_orm::entity::prelude::*;

/// A row of `voucher_redemptions`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "voucher_redemptions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub voucher_id: i64,
    #[sea_orm(unique)]
    pub order_id: i64,
    pub user_id: Option<i64>,
    pub discount: i64,
    pub created_at: DateTimeUtc,
    pub released_at: Option<DateTimeUtc>,
}

/// No relations are navigated through the ORM; repositories join explicitly.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

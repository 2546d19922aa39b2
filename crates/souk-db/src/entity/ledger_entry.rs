//! One entry of a seller's ledger: money the marketplace owes the seller
//! (a credit) or that it takes back (a debit). Entries are never changed,
//! except that the payout that settles one is written on it once, and
//! its parcel's release date once it has one.

use sea_orm::entity::prelude::*;

/// A row of `seller_ledger`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "seller_ledger")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub seller_id: i64,
    pub currency: String,
    pub kind: String,
    pub amount: i64,
    pub order_id: Option<i64>,
    pub fulfilment_id: Option<i64>,
    pub refund_id: Option<i64>,
    pub payout_ref: Option<i64>,
    pub settled_by: Option<i64>,
    /// When its money is released: its parcel's release date (None until
    /// the parcel is delivered or closed), or, for an entry of no parcel,
    /// when it was made.
    pub releases_at: Option<DateTimeUtc>,
    pub memo: String,
    pub created_at: DateTimeUtc,
}

/// No relations are navigated through the ORM; repositories join explicitly.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

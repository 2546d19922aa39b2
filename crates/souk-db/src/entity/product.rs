//! A product; its price range and availability are kept in step with its variants.

use sea_orm::entity::prelude::*;

/// A row of `products`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "products")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub seller_id: Option<i64>,
    pub category_id: Option<i64>,
    pub name: String,
    #[sea_orm(unique)]
    pub slug: String,
    pub description: String,
    pub status: String,
    pub currency: String,
    pub min_price: i64,
    pub max_price: i64,
    pub in_stock: bool,
    pub units_sold: i64,
    /// Published reviews, the sum of their ratings, and their average in
    /// hundredths (0 without reviews), kept as reviews change.
    pub review_count: i32,
    pub rating_sum: i64,
    pub rating_score: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// No relations are navigated through the ORM; repositories join explicitly.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! What the sitemap lists: the addresses of products on sale, of
//! categories and of sellers' shops, read a bounded page at a time.

use crate::entity::{category, product, seller};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Order, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

/// A page's address part and when it last changed.
#[derive(Debug, Clone, FromQueryResult)]
pub struct SitemapEntry {
    pub slug: String,
    pub updated_at: DateTime<Utc>,
}

/// Products on sale: in `status`, and the shop's own or of a seller in
/// `seller_status`.
fn listed(status: &str, seller_status: &str) -> Condition {
    let sellers_in_status = Query::select()
        .column(seller::Column::Id)
        .from(seller::Entity)
        .and_where(seller::Column::Status.eq(seller_status))
        .to_owned();
    Condition::all()
        .add(product::Column::Status.eq(status))
        .add(
            Condition::any()
                .add(product::Column::SellerId.is_null())
                .add(product::Column::SellerId.in_subquery(sellers_in_status)),
        )
}

/// How many products are on sale.
pub async fn count_listed_products(
    db: &impl ConnectionTrait,
    status: &str,
    seller_status: &str,
) -> Result<u64, DbErr> {
    product::Entity::find()
        .filter(listed(status, seller_status))
        .count(db)
        .await
}

/// At most `limit` products on sale after the first `offset`, in id order.
pub async fn listed_products(
    db: &impl ConnectionTrait,
    status: &str,
    seller_status: &str,
    offset: u64,
    limit: u64,
) -> Result<Vec<SitemapEntry>, DbErr> {
    product::Entity::find()
        .select_only()
        .columns([product::Column::Slug, product::Column::UpdatedAt])
        .filter(listed(status, seller_status))
        .order_by(product::Column::Id, Order::Asc)
        .offset(offset)
        .limit(limit)
        .into_model::<SitemapEntry>()
        .all(db)
        .await
}

/// Every category, in tree order.
pub async fn categories(db: &impl ConnectionTrait) -> Result<Vec<SitemapEntry>, DbErr> {
    category::Entity::find()
        .select_only()
        .columns([category::Column::Slug, category::Column::UpdatedAt])
        .order_by(category::Column::Position, Order::Asc)
        .order_by(category::Column::Id, Order::Asc)
        .into_model::<SitemapEntry>()
        .all(db)
        .await
}

/// How many sellers are in `status`.
pub async fn count_sellers(db: &impl ConnectionTrait, status: &str) -> Result<u64, DbErr> {
    seller::Entity::find()
        .filter(seller::Column::Status.eq(status))
        .count(db)
        .await
}

/// At most `limit` sellers in `status` after the first `offset`, in id
/// order.
pub async fn sellers(
    db: &impl ConnectionTrait,
    status: &str,
    offset: u64,
    limit: u64,
) -> Result<Vec<SitemapEntry>, DbErr> {
    seller::Entity::find()
        .select_only()
        .columns([seller::Column::Slug, seller::Column::UpdatedAt])
        .filter(seller::Column::Status.eq(status))
        .order_by(seller::Column::Id, Order::Asc)
        .offset(offset)
        .limit(limit)
        .into_model::<SitemapEntry>()
        .all(db)
        .await
}

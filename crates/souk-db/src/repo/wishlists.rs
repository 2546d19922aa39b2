//! Wishlists: what each account keeps for later, and the entries whose
//! variant (or product) came back in stock since it was seen sold out.

use super::raw;
use crate::entity::wishlist_item;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    FromQueryResult, QueryFilter, QueryOrder,
};

/// The most entries one account keeps.
pub const MAX_ENTRIES: u64 = 500;

/// An entry with what the wishlist page shows of its product and variant.
#[derive(Debug, Clone, FromQueryResult)]
pub struct WishlistRow {
    pub id: i64,
    pub product_id: i64,
    pub variant_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub product_name: String,
    pub product_slug: String,
    pub product_status: String,
    pub seller_status: Option<String>,
    pub currency: String,
    pub min_price: i64,
    pub max_price: i64,
    pub product_in_stock: bool,
    pub sku: Option<String>,
    pub options: Option<String>,
    pub price: Option<i64>,
    pub available: Option<i64>,
}

/// An account's entries, newest first.
pub async fn list(db: &impl ConnectionTrait, user_id: i64) -> Result<Vec<WishlistRow>, DbErr> {
    let sql = "SELECT w.id, w.product_id, w.variant_id, w.created_at, \
                      p.name AS product_name, p.slug AS product_slug, p.status AS product_status, \
                      s.status AS seller_status, p.currency, p.min_price, p.max_price, \
                      p.in_stock AS product_in_stock, v.sku, v.options, v.price, \
                      v.stock_on_hand - v.stock_reserved AS available \
               FROM wishlist_items w \
               JOIN products p ON p.id = w.product_id \
               LEFT JOIN sellers s ON s.id = p.seller_id \
               LEFT JOIN variants v ON v.id = w.variant_id \
               WHERE w.user_id = ? ORDER BY w.created_at DESC, w.id DESC LIMIT 500";
    WishlistRow::find_by_statement(raw(db.get_database_backend(), sql, vec![user_id.into()]))
        .all(db)
        .await
}

/// How many entries an account has.
pub async fn count(db: &impl ConnectionTrait, user_id: i64) -> Result<u64, DbErr> {
    use sea_orm::PaginatorTrait;
    wishlist_item::Entity::find()
        .filter(wishlist_item::Column::UserId.eq(user_id))
        .count(db)
        .await
}

/// The entry of an account for a product and variant (None: the product
/// as a whole), if any.
pub async fn find_entry(
    db: &impl ConnectionTrait,
    user_id: i64,
    product_id: i64,
    variant_id: Option<i64>,
) -> Result<Option<wishlist_item::Model>, DbErr> {
    wishlist_item::Entity::find()
        .filter(wishlist_item::Column::UserId.eq(user_id))
        .filter(wishlist_item::Column::ProductId.eq(product_id))
        .filter(wishlist_item::Column::VariantKey.eq(variant_id.unwrap_or(0)))
        .one(db)
        .await
}

/// An account's entries for one product.
pub async fn of_product(
    db: &impl ConnectionTrait,
    user_id: i64,
    product_id: i64,
) -> Result<Vec<wishlist_item::Model>, DbErr> {
    wishlist_item::Entity::find()
        .filter(wishlist_item::Column::UserId.eq(user_id))
        .filter(wishlist_item::Column::ProductId.eq(product_id))
        .order_by_asc(wishlist_item::Column::Id)
        .all(db)
        .await
}

/// Adds an entry; a second of the same product and variant breaks the
/// unique index (`ux_wishlist_items_entry`).
pub async fn insert(
    db: &impl ConnectionTrait,
    user_id: i64,
    product_id: i64,
    variant_id: Option<i64>,
    waiting: bool,
    at: DateTime<Utc>,
) -> Result<wishlist_item::Model, DbErr> {
    wishlist_item::ActiveModel {
        user_id: Set(user_id),
        product_id: Set(product_id),
        variant_id: Set(variant_id),
        variant_key: Set(variant_id.unwrap_or(0)),
        waiting: Set(waiting),
        created_at: Set(at),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// Removes an account's entry; false if it has no such entry.
pub async fn remove(db: &impl ConnectionTrait, user_id: i64, id: i64) -> Result<bool, DbErr> {
    let done = wishlist_item::Entity::delete_many()
        .filter(wishlist_item::Column::Id.eq(id))
        .filter(wishlist_item::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

/// Marks every entry whose variant (or, without one, whose product) is
/// sold out now as waiting for it to come back; how many.
pub async fn mark_sold_out(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    let sql = "UPDATE wishlist_items SET waiting = TRUE WHERE waiting = FALSE AND ( \
               (variant_id IS NOT NULL AND EXISTS (SELECT 1 FROM variants v \
                 WHERE v.id = wishlist_items.variant_id AND v.stock_on_hand - v.stock_reserved <= 0)) \
               OR (variant_id IS NULL AND EXISTS (SELECT 1 FROM products p \
                 WHERE p.id = wishlist_items.product_id AND p.in_stock = FALSE)))";
    let done = db
        .execute_raw(raw(db.get_database_backend(), sql, vec![]))
        .await?;
    Ok(done.rows_affected())
}

/// A waiting entry whose variant (or product) can be bought again.
#[derive(Debug, Clone, FromQueryResult)]
pub struct Restocked {
    pub id: i64,
    pub user_id: i64,
    pub email: String,
    pub product_name: String,
    pub product_slug: String,
    pub options: Option<String>,
}

/// Up to `limit` waiting entries that can be bought again (an active
/// product of the shop or of an approved seller, with stock), by account.
pub async fn restocked(db: &impl ConnectionTrait, limit: u64) -> Result<Vec<Restocked>, DbErr> {
    let sql = "SELECT w.id, w.user_id, u.email, p.name AS product_name, p.slug AS product_slug, \
                      v.options \
               FROM wishlist_items w \
               JOIN users u ON u.id = w.user_id \
               JOIN products p ON p.id = w.product_id \
               LEFT JOIN variants v ON v.id = w.variant_id \
               WHERE w.waiting = TRUE AND p.status = 'active' \
                 AND (p.seller_id IS NULL OR EXISTS (SELECT 1 FROM sellers s \
                      WHERE s.id = p.seller_id AND s.status = 'approved')) \
                 AND ((w.variant_id IS NOT NULL AND v.stock_on_hand - v.stock_reserved > 0) \
                   OR (w.variant_id IS NULL AND p.in_stock = TRUE)) \
               ORDER BY w.user_id, w.id LIMIT ?";
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    Restocked::find_by_statement(raw(db.get_database_backend(), sql, vec![limit.into()]))
        .all(db)
        .await
}

/// Marks entries as no longer waiting.
pub async fn clear_waiting(db: &impl ConnectionTrait, ids: &[i64]) -> Result<(), DbErr> {
    if ids.is_empty() {
        return Ok(());
    }
    wishlist_item::Entity::update_many()
        .col_expr(wishlist_item::Column::Waiting, Expr::value(false))
        .filter(wishlist_item::Column::Id.is_in(ids.iter().copied()))
        .exec(db)
        .await?;
    Ok(())
}

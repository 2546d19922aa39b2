//! Carts and their lines. A line's price is never stored: it is the
//! variant's price when the cart is read.

use super::raw;
use crate::entity::{cart, cart_item};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    FromQueryResult, QueryFilter,
};

/// The cart of a customer.
pub async fn find_by_user(
    db: &impl ConnectionTrait,
    user_id: i64,
) -> Result<Option<cart::Model>, DbErr> {
    cart::Entity::find()
        .filter(cart::Column::UserId.eq(user_id))
        .one(db)
        .await
}

/// The guest cart with this token hash.
pub async fn find_by_token(
    db: &impl ConnectionTrait,
    token_hash: &str,
) -> Result<Option<cart::Model>, DbErr> {
    cart::Entity::find()
        .filter(cart::Column::TokenHash.eq(token_hash))
        .one(db)
        .await
}

/// Creates a cart for a customer or a guest.
pub async fn insert(
    db: &impl ConnectionTrait,
    user_id: Option<i64>,
    token_hash: Option<&str>,
) -> Result<cart::Model, DbErr> {
    let now = Utc::now();
    cart::ActiveModel {
        token_hash: Set(token_hash.map(str::to_owned)),
        user_id: Set(user_id),
        generation: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// How many units a cart holds, over all its lines.
pub async fn unit_count(db: &impl ConnectionTrait, cart_id: i64) -> Result<i64, DbErr> {
    use sea_orm::QuerySelect;
    // SUM of a BIGINT is NUMERIC on PostgreSQL: cast it back.
    let total: Option<Option<i64>> = cart_item::Entity::find()
        .select_only()
        .column_as(
            Expr::cust("CAST(COALESCE(SUM(quantity), 0) AS BIGINT)"),
            "total",
        )
        .filter(cart_item::Column::CartId.eq(cart_id))
        .into_tuple()
        .one(db)
        .await?;
    Ok(total.flatten().unwrap_or(0))
}

/// Deletes a cart and its lines.
pub async fn delete(db: &impl ConnectionTrait, cart_id: i64) -> Result<(), DbErr> {
    cart::Entity::delete_by_id(cart_id).exec(db).await?;
    Ok(())
}

/// A cart line with what the catalogue says of it now.
#[derive(Debug, Clone, FromQueryResult)]
pub struct CartLine {
    pub id: i64,
    pub variant_id: i64,
    pub quantity: i64,
    pub product_id: i64,
    pub product_name: String,
    pub product_slug: String,
    pub product_status: String,
    pub seller_id: Option<i64>,
    pub category_id: Option<i64>,
    /// The seller's status (None: the shop's own product).
    pub seller_status: Option<String>,
    pub seller_name: Option<String>,
    pub sku: String,
    pub options: String,
    pub price: i64,
    pub currency: String,
    pub stock_on_hand: i64,
    pub stock_reserved: i64,
}

/// The lines of a cart in the order they were added.
pub async fn lines(db: &impl ConnectionTrait, cart_id: i64) -> Result<Vec<CartLine>, DbErr> {
    let statement = raw(
        db.get_database_backend(),
        "SELECT ci.id, ci.variant_id, ci.quantity, p.id AS product_id, p.name AS product_name, \
                p.slug AS product_slug, p.status AS product_status, p.seller_id, p.category_id, s.status AS seller_status, \
                s.name AS seller_name, v.sku, v.options, v.price, v.currency, v.stock_on_hand, v.stock_reserved \
         FROM cart_items ci \
         JOIN variants v ON v.id = ci.variant_id \
         JOIN products p ON p.id = v.product_id \
         LEFT JOIN sellers s ON s.id = p.seller_id \
         WHERE ci.cart_id = ? ORDER BY ci.id",
        vec![cart_id.into()],
    );
    CartLine::find_by_statement(statement).all(db).await
}

/// Adds `quantity` of a variant to a cart (to its line if there is one)
/// and returns the line's new quantity.
pub async fn add(
    db: &impl ConnectionTrait,
    cart_id: i64,
    variant_id: i64,
    quantity: i64,
) -> Result<i64, DbErr> {
    let now = Utc::now();
    db.execute_raw(raw(
        db.get_database_backend(),
        "INSERT INTO cart_items (cart_id, variant_id, quantity, created_at, updated_at) VALUES (?, ?, ?, ?, ?) \
         ON CONFLICT (cart_id, variant_id) DO UPDATE SET \
           quantity = cart_items.quantity + excluded.quantity, updated_at = excluded.updated_at",
        vec![cart_id.into(), variant_id.into(), quantity.into(), now.into(), now.into()],
    ))
    .await?;
    let line = cart_item::Entity::find()
        .filter(cart_item::Column::CartId.eq(cart_id))
        .filter(cart_item::Column::VariantId.eq(variant_id))
        .one(db)
        .await?;
    Ok(line.map(|l| l.quantity).unwrap_or(quantity))
}

/// One line of a cart.
pub async fn line(
    db: &impl ConnectionTrait,
    cart_id: i64,
    item_id: i64,
) -> Result<Option<cart_item::Model>, DbErr> {
    cart_item::Entity::find_by_id(item_id)
        .filter(cart_item::Column::CartId.eq(cart_id))
        .one(db)
        .await
}

/// Sets a line's quantity; `false` if the cart has no such line.
pub async fn set_quantity(
    db: &impl ConnectionTrait,
    cart_id: i64,
    item_id: i64,
    quantity: i64,
) -> Result<bool, DbErr> {
    let result = cart_item::Entity::update_many()
        .col_expr(cart_item::Column::Quantity, Expr::value(quantity))
        .col_expr(cart_item::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(cart_item::Column::Id.eq(item_id))
        .filter(cart_item::Column::CartId.eq(cart_id))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Removes a line; `false` if the cart has no such line.
pub async fn remove(db: &impl ConnectionTrait, cart_id: i64, item_id: i64) -> Result<bool, DbErr> {
    let result = cart_item::Entity::delete_many()
        .filter(cart_item::Column::Id.eq(item_id))
        .filter(cart_item::Column::CartId.eq(cart_id))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Empties a cart.
pub async fn clear(db: &impl ConnectionTrait, cart_id: i64) -> Result<(), DbErr> {
    cart_item::Entity::delete_many()
        .filter(cart_item::Column::CartId.eq(cart_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Moves a cart from `generation` to the next, or reports that another
/// checkout already did (`false`). This is the step that makes one cart
/// content into at most one order, and on PostgreSQL it also locks the
/// cart row until the checkout's transaction ends.
pub async fn advance_generation(
    db: &impl ConnectionTrait,
    cart_id: i64,
    generation: i64,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let result = cart::Entity::update_many()
        .col_expr(cart::Column::Generation, Expr::value(generation + 1))
        .col_expr(cart::Column::UpdatedAt, Expr::value(now))
        .filter(cart::Column::Id.eq(cart_id))
        .filter(cart::Column::Generation.eq(generation))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Marks a cart as touched (for abandoned-cart reports later).
pub async fn touch(db: &impl ConnectionTrait, cart_id: i64) -> Result<(), DbErr> {
    cart::Entity::update_many()
        .col_expr(cart::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(cart::Column::Id.eq(cart_id))
        .exec(db)
        .await?;
    Ok(())
}

/// The customer's cart, created if missing; safe against two requests
/// creating it at once.
pub async fn ensure_for_user(
    db: &impl ConnectionTrait,
    user_id: i64,
) -> Result<cart::Model, DbErr> {
    let now = Utc::now();
    let row = cart::ActiveModel {
        token_hash: Set(None),
        user_id: Set(Some(user_id)),
        generation: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    cart::Entity::insert(row)
        .on_conflict_do_nothing_on([cart::Column::UserId])
        .exec_without_returning(db)
        .await?;
    find_by_user(db, user_id)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("cart of user {user_id}")))
}

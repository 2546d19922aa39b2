//! A customer's own records, read for download and erased on request:
//! the account and everything that names the person goes, the orders stay
//! for the shop's accounts with the personal parts overwritten.

use crate::entity::{login_throttle, order, user};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};

/// Every order of an account, oldest first.
pub async fn orders_of(
    db: &impl ConnectionTrait,
    user_id: i64,
) -> Result<Vec<order::Model>, DbErr> {
    order::Entity::find()
        .filter(order::Column::UserId.eq(user_id))
        .order_by_asc(order::Column::PlacedAt)
        .order_by_asc(order::Column::Id)
        .all(db)
        .await
}

/// How many of an account's orders are in one of `statuses`.
pub async fn orders_in(
    db: &impl ConnectionTrait,
    user_id: i64,
    statuses: &[&str],
) -> Result<u64, DbErr> {
    order::Entity::find()
        .filter(order::Column::UserId.eq(user_id))
        .filter(order::Column::Status.is_in(statuses.iter().copied()))
        .count(db)
        .await
}

/// Overwrites an order's e-mail address and shipping address and detaches
/// it from its account.
pub async fn anonymise_order(
    db: &impl ConnectionTrait,
    order_id: i64,
    email: &str,
    shipping_address: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    order::Entity::update_many()
        .col_expr(order::Column::Email, Expr::value(email))
        .col_expr(
            order::Column::ShippingAddress,
            Expr::value(shipping_address),
        )
        .col_expr(order::Column::UserId, Expr::value(Option::<i64>::None))
        .col_expr(order::Column::UpdatedAt, Expr::value(now))
        .filter(order::Column::Id.eq(order_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Deletes an account and its sign-in failure count (`throttle_key`);
/// its addresses, cart, sessions, refresh tokens and reset links go with
/// it (their foreign keys cascade, on both backends).
pub async fn delete_account(
    db: &impl ConnectionTrait,
    user_id: i64,
    throttle_key: &str,
) -> Result<(), DbErr> {
    login_throttle::Entity::delete_many()
        .filter(login_throttle::Column::Key.eq(throttle_key))
        .exec(db)
        .await?;
    user::Entity::delete_by_id(user_id).exec(db).await?;
    Ok(())
}

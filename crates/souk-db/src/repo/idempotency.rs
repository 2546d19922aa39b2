//! `Idempotency-Key`s: one row per (scope, key), so that a duplicate fails
//! in the database, not in an `if`.

use crate::entity::idempotency_key;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter,
};

/// Claims a key for a request; a unique violation means it was claimed
/// before.
pub async fn claim(
    db: &impl ConnectionTrait,
    scope: &str,
    key: &str,
    request_hash: &str,
) -> Result<idempotency_key::Model, DbErr> {
    idempotency_key::ActiveModel {
        scope: Set(scope.to_owned()),
        key: Set(key.to_owned()),
        request_hash: Set(request_hash.to_owned()),
        order_id: Set(None),
        response_status: Set(None),
        response_body: Set(None),
        created_at: Set(Utc::now()),
        completed_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// The key as claimed before.
pub async fn find(
    db: &impl ConnectionTrait,
    scope: &str,
    key: &str,
) -> Result<Option<idempotency_key::Model>, DbErr> {
    idempotency_key::Entity::find()
        .filter(idempotency_key::Column::Scope.eq(scope))
        .filter(idempotency_key::Column::Key.eq(key))
        .one(db)
        .await
}

/// Takes over a claim whose request never finished (its process died)
/// and produced no order; `false` if someone else did first.
pub async fn take_over(
    db: &impl ConnectionTrait,
    id: i64,
    claimed_at: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let result = idempotency_key::Entity::update_many()
        .col_expr(idempotency_key::Column::CreatedAt, Expr::value(Utc::now()))
        .filter(idempotency_key::Column::Id.eq(id))
        .filter(idempotency_key::Column::CreatedAt.eq(claimed_at))
        .filter(idempotency_key::Column::OrderId.is_null())
        .filter(idempotency_key::Column::CompletedAt.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Records the order a key produced, inside the transaction that made it.
pub async fn attach_order(db: &impl ConnectionTrait, id: i64, order_id: i64) -> Result<(), DbErr> {
    idempotency_key::Entity::update_many()
        .col_expr(idempotency_key::Column::OrderId, Expr::value(order_id))
        .filter(idempotency_key::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Stores the response the first request got, for replays.
pub async fn complete(
    db: &impl ConnectionTrait,
    id: i64,
    status: u16,
    body: &str,
) -> Result<(), DbErr> {
    idempotency_key::Entity::update_many()
        .col_expr(
            idempotency_key::Column::ResponseStatus,
            Expr::value(i32::from(status)),
        )
        .col_expr(idempotency_key::Column::ResponseBody, Expr::value(body))
        .col_expr(
            idempotency_key::Column::CompletedAt,
            Expr::value(Utc::now()),
        )
        .filter(idempotency_key::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Forgets a claim whose request failed, so that the client may retry
/// with the same key.
pub async fn release(db: &impl ConnectionTrait, id: i64) -> Result<(), DbErr> {
    idempotency_key::Entity::delete_many()
        .filter(idempotency_key::Column::Id.eq(id))
        .filter(idempotency_key::Column::OrderId.is_null())
        .exec(db)
        .await?;
    Ok(())
}

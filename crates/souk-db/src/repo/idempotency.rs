//! `Idempotency-Key`s: one row per (scope, key), so that a duplicate fails
//! in the database, not in an `if`.

use crate::entity::idempotency_key;
use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

/// Claims a key inside the caller's transaction: `true` if this request
/// now holds it, `false` if it was claimed before. A concurrent claim of
/// the same key waits for the first transaction to end.
pub async fn claim_in(
    db: &impl ConnectionTrait,
    scope: &str,
    key: &str,
    request_hash: &str,
) -> Result<bool, DbErr> {
    let row = idempotency_key::ActiveModel {
        scope: Set(scope.to_owned()),
        key: Set(key.to_owned()),
        request_hash: Set(request_hash.to_owned()),
        order_id: Set(None),
        response_status: Set(None),
        response_body: Set(None),
        created_at: Set(Utc::now()),
        completed_at: Set(None),
        ..Default::default()
    };
    let inserted = idempotency_key::Entity::insert(row)
        .on_conflict_do_nothing_on([idempotency_key::Column::Scope, idempotency_key::Column::Key])
        .exec_without_returning(db)
        .await?;
    Ok(matches!(inserted, sea_orm::TryInsertResult::Inserted(1)))
}

/// Records the order and the response of a key claimed in the same
/// transaction.
pub async fn finish_in(
    db: &impl ConnectionTrait,
    scope: &str,
    key: &str,
    order_id: i64,
    status: u16,
    body: &str,
) -> Result<(), DbErr> {
    idempotency_key::Entity::update_many()
        .col_expr(idempotency_key::Column::OrderId, Expr::value(order_id))
        .col_expr(
            idempotency_key::Column::ResponseStatus,
            Expr::value(i32::from(status)),
        )
        .col_expr(idempotency_key::Column::ResponseBody, Expr::value(body))
        .col_expr(
            idempotency_key::Column::CompletedAt,
            Expr::value(Utc::now()),
        )
        .filter(idempotency_key::Column::Scope.eq(scope))
        .filter(idempotency_key::Column::Key.eq(key))
        .exec(db)
        .await?;
    Ok(())
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

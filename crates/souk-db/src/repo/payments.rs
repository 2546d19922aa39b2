//! Payments, provider events and refunds. Captures and refunds are
//! conditional updates; each provider event takes effect once (a unique
//! constraint on the provider's event id).

use crate::entity::{payment, payment_event, refund};
use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    ExprTrait, QueryFilter, QueryOrder,
};
use souk_domain::payments::AttemptStatus;

/// A new payment of an order.
pub struct NewPayment<'a> {
    pub order_id: i64,
    pub provider: &'a str,
    pub status: AttemptStatus,
    pub amount: i64,
    pub currency: &'a str,
    pub captured_amount: i64,
}

/// Inserts a payment with a random public id.
pub async fn insert(
    db: &impl ConnectionTrait,
    new: NewPayment<'_>,
    public_id: String,
) -> Result<payment::Model, DbErr> {
    let now = Utc::now();
    payment::ActiveModel {
        public_id: Set(public_id),
        order_id: Set(new.order_id),
        provider: Set(new.provider.to_owned()),
        status: Set(new.status.as_str().to_owned()),
        amount: Set(new.amount),
        currency: Set(new.currency.to_owned()),
        captured_amount: Set(new.captured_amount),
        refunded_amount: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// The payment with this public id.
pub async fn find(
    db: &impl ConnectionTrait,
    public_id: &str,
) -> Result<Option<payment::Model>, DbErr> {
    payment::Entity::find()
        .filter(payment::Column::PublicId.eq(public_id))
        .one(db)
        .await
}

/// The payment with this row id.
pub async fn find_by_id(
    db: &impl ConnectionTrait,
    id: i64,
) -> Result<Option<payment::Model>, DbErr> {
    payment::Entity::find_by_id(id).one(db).await
}

/// The payments of an order, oldest first.
pub async fn of_order(
    db: &impl ConnectionTrait,
    order_id: i64,
) -> Result<Vec<payment::Model>, DbErr> {
    payment::Entity::find()
        .filter(payment::Column::OrderId.eq(order_id))
        .order_by_asc(payment::Column::Id)
        .all(db)
        .await
}

/// Records that a provider event took effect; `false` if it did before.
pub async fn record_event(
    db: &impl ConnectionTrait,
    provider: &str,
    event_id: &str,
    kind: &str,
    payment_id: Option<i64>,
) -> Result<bool, DbErr> {
    let row = payment_event::ActiveModel {
        provider: Set(provider.to_owned()),
        event_id: Set(event_id.to_owned()),
        kind: Set(kind.to_owned()),
        payment_id: Set(payment_id),
        received_at: Set(Utc::now()),
        ..Default::default()
    };
    let inserted = payment_event::Entity::insert(row)
        .on_conflict_do_nothing_on([
            payment_event::Column::Provider,
            payment_event::Column::EventId,
        ])
        .exec_without_returning(db)
        .await?;
    Ok(matches!(inserted, sea_orm::TryInsertResult::Inserted(1)))
}

/// Moves a pending payment to `status`, capturing its amount when it
/// succeeded; `false` if it was not pending.
pub async fn settle(db: &impl ConnectionTrait, id: i64, succeeded: bool) -> Result<bool, DbErr> {
    let mut update = payment::Entity::update_many()
        .col_expr(
            payment::Column::Status,
            Expr::value(
                if succeeded {
                    AttemptStatus::Succeeded
                } else {
                    AttemptStatus::Failed
                }
                .as_str(),
            ),
        )
        .col_expr(payment::Column::UpdatedAt, Expr::value(Utc::now()));
    if succeeded {
        update = update.col_expr(
            payment::Column::CapturedAmount,
            Expr::col(payment::Column::Amount),
        );
    }
    let result = update
        .filter(payment::Column::Id.eq(id))
        .filter(payment::Column::Status.eq(AttemptStatus::Pending.as_str()))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Counts `amount` as refunded if that keeps refunds within what was
/// captured; `false` otherwise.
pub async fn take_refund(db: &impl ConnectionTrait, id: i64, amount: i64) -> Result<bool, DbErr> {
    let result = payment::Entity::update_many()
        .col_expr(
            payment::Column::RefundedAmount,
            Expr::col(payment::Column::RefundedAmount).add(amount),
        )
        .col_expr(payment::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(payment::Column::Id.eq(id))
        .filter(
            Expr::col(payment::Column::RefundedAmount)
                .add(amount)
                .lte(Expr::col(payment::Column::CapturedAmount)),
        )
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Records a refund.
pub async fn insert_refund(
    db: &impl ConnectionTrait,
    order_id: i64,
    payment_id: i64,
    fulfilment_id: Option<i64>,
    amount: i64,
    reason: &str,
    actor_id: Option<i64>,
) -> Result<refund::Model, DbErr> {
    refund::ActiveModel {
        order_id: Set(order_id),
        payment_id: Set(payment_id),
        fulfilment_id: Set(fulfilment_id),
        amount: Set(amount),
        reason: Set(reason.to_owned()),
        actor_id: Set(actor_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// The payment a provider knows by `reference`.
pub async fn find_by_ref(
    db: &impl ConnectionTrait,
    provider: &str,
    reference: &str,
) -> Result<Option<payment::Model>, DbErr> {
    payment::Entity::find()
        .filter(payment::Column::Provider.eq(provider))
        .filter(payment::Column::ProviderRef.eq(reference))
        .one(db)
        .await
}

/// Stores the provider's id of a payment and the secret its page needs,
/// unless one is stored already; `false` then.
pub async fn set_provider_ref(
    db: &impl ConnectionTrait,
    id: i64,
    reference: &str,
    client_secret: Option<&str>,
) -> Result<bool, DbErr> {
    let result = payment::Entity::update_many()
        .col_expr(payment::Column::ProviderRef, Expr::value(reference))
        .col_expr(
            payment::Column::ClientSecret,
            Expr::value(client_secret.map(str::to_owned)),
        )
        .col_expr(payment::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(payment::Column::Id.eq(id))
        .filter(payment::Column::ProviderRef.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Raises what a payment has refunded from `seen` to `total` (a provider
/// reports refunds as a running total), if nobody changed it meanwhile
/// and it stays within what was captured; `false` otherwise.
pub async fn raise_refunded(
    db: &impl ConnectionTrait,
    id: i64,
    seen: i64,
    total: i64,
) -> Result<bool, DbErr> {
    let result = payment::Entity::update_many()
        .col_expr(payment::Column::RefundedAmount, Expr::value(total))
        .col_expr(payment::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(payment::Column::Id.eq(id))
        .filter(payment::Column::RefundedAmount.eq(seen))
        .filter(payment::Column::CapturedAmount.gte(total))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// One refund.
pub async fn find_refund(
    db: &impl ConnectionTrait,
    id: i64,
) -> Result<Option<refund::Model>, DbErr> {
    refund::Entity::find_by_id(id).one(db).await
}

/// Stores the provider's id of a refund once it was made there.
pub async fn set_refund_ref(
    db: &impl ConnectionTrait,
    id: i64,
    reference: &str,
) -> Result<(), DbErr> {
    refund::Entity::update_many()
        .col_expr(refund::Column::ProviderRef, Expr::value(reference))
        .filter(refund::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

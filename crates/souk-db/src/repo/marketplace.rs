//! Fulfilments, commission rules and commission lines.

use crate::entity::{commission_line, commission_rule, fulfilment};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder,
};

/// Stores an order's fulfilments and returns them as stored, by id.
pub async fn insert_fulfilments(
    db: &impl ConnectionTrait,
    rows: Vec<fulfilment::ActiveModel>,
) -> Result<Vec<fulfilment::Model>, DbErr> {
    let mut stored = fulfilment::Entity::insert_many(rows)
        .exec_with_returning(db)
        .await?;
    stored.sort_unstable_by_key(|f| f.id);
    Ok(stored)
}

/// The fulfilments of these orders, the shop's first, then by seller.
pub async fn fulfilments_of(
    db: &impl ConnectionTrait,
    order_ids: &[i64],
) -> Result<Vec<fulfilment::Model>, DbErr> {
    if order_ids.is_empty() {
        return Ok(Vec::new());
    }
    fulfilment::Entity::find()
        .filter(fulfilment::Column::OrderId.is_in(order_ids.iter().copied()))
        .order_by_asc(fulfilment::Column::OrderId)
        .order_by_asc(fulfilment::Column::Id)
        .all(db)
        .await
}

/// Stores the commission lines of an order.
pub async fn insert_commission_lines(
    db: &impl ConnectionTrait,
    rows: Vec<commission_line::ActiveModel>,
) -> Result<(), DbErr> {
    if rows.is_empty() {
        return Ok(());
    }
    commission_line::Entity::insert_many(rows)
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// The commission lines of an order.
pub async fn commission_lines_of(
    db: &impl ConnectionTrait,
    order_id: i64,
) -> Result<Vec<commission_line::Model>, DbErr> {
    commission_line::Entity::find()
        .filter(commission_line::Column::OrderId.eq(order_id))
        .order_by_asc(commission_line::Column::OrderItemId)
        .all(db)
        .await
}

/// A commission rule's scope and terms.
#[derive(Debug, Clone)]
pub struct RuleFields {
    pub scope: &'static str,
    pub seller_id: Option<i64>,
    pub category_id: Option<i64>,
    pub scope_key: String,
    pub basis_points: i32,
    pub fixed_per_unit: i64,
    pub min_per_line: Option<i64>,
    pub max_per_line: Option<i64>,
}

/// Every commission rule (there is at most one per scope).
pub async fn rules(db: &impl ConnectionTrait) -> Result<Vec<commission_rule::Model>, DbErr> {
    commission_rule::Entity::find()
        .order_by_asc(commission_rule::Column::Id)
        .all(db)
        .await
}

/// The rule with this id.
pub async fn rule(
    db: &impl ConnectionTrait,
    id: i64,
) -> Result<Option<commission_rule::Model>, DbErr> {
    commission_rule::Entity::find_by_id(id).one(db).await
}

/// Stores a new rule; a second rule for a scope is a unique violation.
pub async fn insert_rule(
    db: &impl ConnectionTrait,
    fields: RuleFields,
    now: DateTime<Utc>,
) -> Result<commission_rule::Model, DbErr> {
    commission_rule::ActiveModel {
        scope: Set(fields.scope.to_owned()),
        seller_id: Set(fields.seller_id),
        category_id: Set(fields.category_id),
        scope_key: Set(fields.scope_key),
        basis_points: Set(fields.basis_points),
        fixed_per_unit: Set(fields.fixed_per_unit),
        min_per_line: Set(fields.min_per_line),
        max_per_line: Set(fields.max_per_line),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// Changes a rule's terms (its scope stays); false when there is none.
pub async fn update_rule_terms(
    db: &impl ConnectionTrait,
    id: i64,
    fields: &RuleFields,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let done = commission_rule::Entity::update_many()
        .col_expr(
            commission_rule::Column::BasisPoints,
            Expr::value(fields.basis_points),
        )
        .col_expr(
            commission_rule::Column::FixedPerUnit,
            Expr::value(fields.fixed_per_unit),
        )
        .col_expr(
            commission_rule::Column::MinPerLine,
            Expr::value(fields.min_per_line),
        )
        .col_expr(
            commission_rule::Column::MaxPerLine,
            Expr::value(fields.max_per_line),
        )
        .col_expr(commission_rule::Column::UpdatedAt, Expr::value(now))
        .filter(commission_rule::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

/// Deletes a rule; placed orders keep their frozen commission lines.
pub async fn delete_rule(db: &impl ConnectionTrait, id: i64) -> Result<bool, DbErr> {
    Ok(commission_rule::Entity::delete_by_id(id)
        .exec(db)
        .await?
        .rows_affected
        == 1)
}

/// The fulfilment with this id.
pub async fn find_fulfilment(
    db: &impl ConnectionTrait,
    id: i64,
) -> Result<Option<fulfilment::Model>, DbErr> {
    fulfilment::Entity::find_by_id(id).one(db).await
}

/// A fulfilment's move, with what it records.
#[derive(Debug, Clone, Copy)]
pub struct FulfilmentMove<'a> {
    pub from: &'a str,
    pub to: &'a str,
    pub carrier: Option<&'a str>,
    pub tracking_number: Option<&'a str>,
    /// Set `shipped_at`, `delivered_at` or `cancelled_at` to now.
    pub stamp: Option<fulfilment::Column>,
}

/// Moves a fulfilment from `from` to `to`; false when it is no longer in
/// `from` (someone moved it meanwhile).
pub async fn move_fulfilment(
    db: &impl ConnectionTrait,
    id: i64,
    step: FulfilmentMove<'_>,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let mut update = fulfilment::Entity::update_many()
        .col_expr(fulfilment::Column::Status, Expr::value(step.to))
        .col_expr(fulfilment::Column::UpdatedAt, Expr::value(now));
    if let Some(carrier) = step.carrier {
        update = update.col_expr(fulfilment::Column::Carrier, Expr::value(carrier));
    }
    if let Some(tracking) = step.tracking_number {
        update = update.col_expr(fulfilment::Column::TrackingNumber, Expr::value(tracking));
    }
    if let Some(column) = step.stamp {
        update = update.col_expr(column, Expr::value(now));
    }
    let done = update
        .filter(fulfilment::Column::Id.eq(id))
        .filter(fulfilment::Column::Status.eq(step.from))
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

/// Cancels the parcels of an order that have not shipped (`open` names
/// those statuses); returns how many.
pub async fn cancel_open_fulfilments(
    db: &impl ConnectionTrait,
    order_id: i64,
    open: &[&str],
    cancelled: &str,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    Ok(fulfilment::Entity::update_many()
        .col_expr(fulfilment::Column::Status, Expr::value(cancelled))
        .col_expr(fulfilment::Column::CancelledAt, Expr::value(now))
        .col_expr(fulfilment::Column::UpdatedAt, Expr::value(now))
        .filter(fulfilment::Column::OrderId.eq(order_id))
        .filter(fulfilment::Column::Status.is_in(open.iter().copied()))
        .exec(db)
        .await?
        .rows_affected)
}

/// How many of a seller's parcels wait to be shipped: in one of the
/// `open` statuses, of an order in one of the `paid` statuses.
pub async fn parcels_to_ship(
    db: &impl ConnectionTrait,
    seller_id: i64,
    open: &[&str],
    paid: &[&str],
) -> Result<i64, DbErr> {
    let marks = |n: usize| vec!["?"; n].join(", ");
    let sql = format!(
        // From the seller's open parcels to their orders, never from every
        // paid order of the shop to its parcels.
        "SELECT COUNT(*) AS n FROM fulfilments f \
         WHERE f.seller_id = ? AND f.status IN ({}) \
         AND EXISTS (SELECT 1 FROM orders o WHERE o.id = f.order_id AND o.status IN ({}))",
        marks(open.len()),
        marks(paid.len())
    );
    let mut values = vec![sea_orm::Value::from(seller_id)];
    values.extend(open.iter().chain(paid).map(|s| sea_orm::Value::from(*s)));
    let row = db
        .query_one_raw(super::raw(db.get_database_backend(), &sql, values))
        .await?;
    match row {
        Some(row) => row.try_get("", "n"),
        None => Ok(0),
    }
}

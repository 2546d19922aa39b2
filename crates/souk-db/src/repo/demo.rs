//! What only the demo seeder needs: variants to buy, and an order's
//! history moved back in time, so that the demo shop has a past.

use super::raw;
use crate::entity::{fulfilment, ledger_entry, order, order_event};
use chrono::Duration;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    IntoActiveModel, QueryFilter, Value,
};

/// Up to `limit` variants of active products with at least `units` for
/// sale: of the seller, or of the shop itself when `seller_id` is None.
pub async fn variants_in_stock(
    db: &impl ConnectionTrait,
    seller_id: Option<i64>,
    units: i64,
    limit: i64,
) -> Result<Vec<i64>, DbErr> {
    let whose = match seller_id {
        Some(_) => "p.seller_id = ?",
        None => "p.seller_id IS NULL",
    };
    let sql = format!(
        "SELECT v.id AS id FROM variants v JOIN products p ON p.id = v.product_id \
         WHERE p.status = 'active' AND {whose} AND v.stock_on_hand - v.stock_reserved >= ? \
         ORDER BY v.id LIMIT ?"
    );
    let mut values: Vec<Value> = seller_id.into_iter().map(Value::from).collect();
    values.extend([Value::from(units), Value::from(limit)]);
    let rows = db
        .query_all_raw(raw(db.get_database_backend(), &sql, values))
        .await?;
    rows.iter().map(|r| r.try_get("", "id")).collect()
}

/// Moves every time of order `order_id` (the order, its history, its
/// parcels and its ledger entries) `by` earlier.
pub async fn backdate_order(
    db: &impl ConnectionTrait,
    order_id: i64,
    by: Duration,
) -> Result<(), DbErr> {
    if let Some(row) = order::Entity::find_by_id(order_id).one(db).await? {
        let (placed, updated) = (row.placed_at, row.updated_at);
        let mut row = row.into_active_model();
        row.placed_at = Set(placed - by);
        row.updated_at = Set(updated - by);
        row.update(db).await?;
    }
    let events = order_event::Entity::find()
        .filter(order_event::Column::OrderId.eq(order_id))
        .all(db)
        .await?;
    for event in events {
        let at = event.created_at;
        let mut event = event.into_active_model();
        event.created_at = Set(at - by);
        event.update(db).await?;
    }
    let parcels = fulfilment::Entity::find()
        .filter(fulfilment::Column::OrderId.eq(order_id))
        .all(db)
        .await?;
    for parcel in parcels {
        let earlier = |t: Option<chrono::DateTime<chrono::Utc>>| t.map(|t| t - by);
        let (created, updated) = (parcel.created_at, parcel.updated_at);
        let (shipped, delivered) = (earlier(parcel.shipped_at), earlier(parcel.delivered_at));
        let (cancelled, release) = (
            earlier(parcel.cancelled_at),
            earlier(parcel.funds_release_at),
        );
        let mut parcel = parcel.into_active_model();
        parcel.created_at = Set(created - by);
        parcel.updated_at = Set(updated - by);
        parcel.shipped_at = Set(shipped);
        parcel.delivered_at = Set(delivered);
        parcel.cancelled_at = Set(cancelled);
        parcel.funds_release_at = Set(release);
        parcel.update(db).await?;
    }
    let entries = ledger_entry::Entity::find()
        .filter(ledger_entry::Column::OrderId.eq(order_id))
        .all(db)
        .await?;
    for entry in entries {
        let (at, release) = (entry.created_at, entry.releases_at);
        let mut entry = entry.into_active_model();
        entry.created_at = Set(at - by);
        entry.releases_at = Set(release.map(|t| t - by));
        entry.update(db).await?;
    }
    Ok(())
}

/// The orders that hold at least one line of the seller, oldest first.
pub async fn orders_with_lines_of(
    db: &impl ConnectionTrait,
    seller_id: i64,
) -> Result<Vec<i64>, DbErr> {
    let rows = db
        .query_all_raw(raw(
            db.get_database_backend(),
            "SELECT DISTINCT order_id AS id FROM order_items WHERE seller_id = ? ORDER BY order_id",
            vec![Value::from(seller_id)],
        ))
        .await?;
    rows.iter().map(|r| r.try_get("", "id")).collect()
}

//! Stock levels change only by conditional update, and every change is
//! recorded as a movement: by how much, to what, why and by whom.

use super::raw;
use crate::entity::{stock_movement, variant};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder,
};
use souk_domain::paging::{Page, PageRequest};

/// The outcome of an adjustment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Adjusted {
    /// Applied; the new level on hand.
    To(i64),
    /// Refused: it would take the level on hand below what is reserved or
    /// below zero.
    WouldGoNegative,
    /// No such variant.
    NoVariant,
}

/// Adds `delta` (negative to remove) to a variant's stock on hand if the
/// result stays at or above what is reserved, and records the movement.
/// Call inside the transaction that owns the change.
pub async fn adjust(
    db: &impl ConnectionTrait,
    variant_id: i64,
    delta: i64,
    reason: &str,
    actor_id: Option<i64>,
) -> Result<Adjusted, DbErr> {
    let now = Utc::now();
    let backend = db.get_database_backend();
    let updated = db
        .query_one_raw(raw(
            backend,
            "UPDATE variants SET stock_on_hand = stock_on_hand + ?, updated_at = ? \
             WHERE id = ? AND stock_on_hand + ? >= stock_reserved \
             RETURNING stock_on_hand",
            vec![delta.into(), now.into(), variant_id.into(), delta.into()],
        ))
        .await?;
    let Some(row) = updated else {
        let exists = variant::Entity::find_by_id(variant_id).count(db).await? > 0;
        return Ok(if exists {
            Adjusted::WouldGoNegative
        } else {
            Adjusted::NoVariant
        });
    };
    let level: i64 = row.try_get("", "stock_on_hand")?;
    stock_movement::ActiveModel {
        variant_id: Set(variant_id),
        delta: Set(delta),
        stock_after: Set(level),
        reason: Set(reason.to_owned()),
        actor_id: Set(actor_id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(Adjusted::To(level))
}

/// A variant's movements, newest first.
pub async fn movements(
    db: &impl ConnectionTrait,
    variant_id: i64,
    page: PageRequest,
) -> Result<Page<stock_movement::Model>, DbErr> {
    let query =
        stock_movement::Entity::find().filter(stock_movement::Column::VariantId.eq(variant_id));
    super::paged(db, query.order_by_desc(stock_movement::Column::Id), page).await
}

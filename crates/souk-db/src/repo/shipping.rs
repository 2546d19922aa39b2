//! Shipping methods: the shop's, which staff offer, and each seller's own.

use crate::entity::shipping_method;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr,
    EntityTrait, QueryFilter, QueryOrder,
};

/// The fields staff or a seller set.
#[derive(Debug, Clone)]
pub struct ShippingFields {
    /// Whose method: a seller's, or `None` for the shop's.
    pub seller_id: Option<i64>,
    pub name: String,
    pub price: i64,
    pub currency: String,
    pub free_above: Option<i64>,
    pub active: bool,
    pub position: i32,
}

/// The shop's methods (`seller_id` None) or a seller's, in display order;
/// only active ones if `active_only`.
pub async fn list(
    db: &impl ConnectionTrait,
    seller_id: Option<i64>,
    active_only: bool,
) -> Result<Vec<shipping_method::Model>, DbErr> {
    let mut query = shipping_method::Entity::find().filter(match seller_id {
        Some(id) => shipping_method::Column::SellerId.eq(id),
        None => shipping_method::Column::SellerId.is_null(),
    });
    if active_only {
        query = query.filter(shipping_method::Column::Active.eq(true));
    }
    query
        .order_by_asc(shipping_method::Column::Position)
        .order_by_asc(shipping_method::Column::Id)
        .all(db)
        .await
}

/// The active methods of the shop and of these sellers, in display order,
/// in one read.
pub async fn active_of_shop_and(
    db: &impl ConnectionTrait,
    seller_ids: &[i64],
) -> Result<Vec<shipping_method::Model>, DbErr> {
    let mut owner = Condition::any().add(shipping_method::Column::SellerId.is_null());
    if !seller_ids.is_empty() {
        owner = owner.add(shipping_method::Column::SellerId.is_in(seller_ids.iter().copied()));
    }
    shipping_method::Entity::find()
        .filter(owner)
        .filter(shipping_method::Column::Active.eq(true))
        .order_by_asc(shipping_method::Column::Position)
        .order_by_asc(shipping_method::Column::Id)
        .all(db)
        .await
}

/// One shipping method.
pub async fn get(
    db: &impl ConnectionTrait,
    id: i64,
) -> Result<Option<shipping_method::Model>, DbErr> {
    shipping_method::Entity::find_by_id(id).one(db).await
}

/// Inserts a shipping method.
pub async fn insert(
    db: &impl ConnectionTrait,
    fields: ShippingFields,
) -> Result<shipping_method::Model, DbErr> {
    let now = Utc::now();
    let mut row = shipping_method::ActiveModel {
        created_at: Set(now),
        ..Default::default()
    };
    apply(&mut row, fields);
    row.updated_at = Set(now);
    row.insert(db).await
}

/// Replaces a shipping method's fields.
pub async fn update(
    db: &impl ConnectionTrait,
    id: i64,
    fields: ShippingFields,
) -> Result<Option<shipping_method::Model>, DbErr> {
    let Some(found) = get(db, id).await? else {
        return Ok(None);
    };
    let mut row: shipping_method::ActiveModel = found.into();
    apply(&mut row, fields);
    row.updated_at = Set(Utc::now());
    row.update(db).await.map(Some)
}

/// Deletes a shipping method (orders keep its name); `false` if none.
pub async fn delete(db: &impl ConnectionTrait, id: i64) -> Result<bool, DbErr> {
    Ok(shipping_method::Entity::delete_by_id(id)
        .exec(db)
        .await?
        .rows_affected
        == 1)
}

fn apply(row: &mut shipping_method::ActiveModel, fields: ShippingFields) {
    row.seller_id = Set(fields.seller_id);
    row.name = Set(fields.name);
    row.price = Set(fields.price);
    row.currency = Set(fields.currency);
    row.free_above = Set(fields.free_above);
    row.active = Set(fields.active);
    row.position = Set(fields.position);
}

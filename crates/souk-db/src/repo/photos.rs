//! Product photos: rows in display order per product.

use crate::entity::product_photo;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, sea_query::Expr,
};

/// What a new photo row holds.
#[derive(Debug, Clone)]
pub struct NewPhotoRow {
    pub product_id: i64,
    pub variant_id: Option<i64>,
    pub position: i32,
    pub alt: String,
    pub hash: String,
    pub format: String,
    pub width: i32,
    pub height: i32,
    pub byte_size: i64,
}

/// Inserts a photo.
pub async fn insert(
    db: &impl ConnectionTrait,
    row: NewPhotoRow,
) -> Result<product_photo::Model, DbErr> {
    product_photo::ActiveModel {
        product_id: Set(row.product_id),
        variant_id: Set(row.variant_id),
        position: Set(row.position),
        alt: Set(row.alt),
        hash: Set(row.hash),
        format: Set(row.format),
        width: Set(row.width),
        height: Set(row.height),
        byte_size: Set(row.byte_size),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// The photos of these products, each product's in display order.
pub async fn of_products(
    db: &impl ConnectionTrait,
    product_ids: &[i64],
) -> Result<Vec<product_photo::Model>, DbErr> {
    if product_ids.is_empty() {
        return Ok(Vec::new());
    }
    product_photo::Entity::find()
        .filter(product_photo::Column::ProductId.is_in(product_ids.iter().copied()))
        .order_by_asc(product_photo::Column::ProductId)
        .order_by_asc(product_photo::Column::Position)
        .order_by_asc(product_photo::Column::Id)
        .all(db)
        .await
}

/// The first photo of each of these products that has one.
pub async fn covers(
    db: &impl ConnectionTrait,
    product_ids: &[i64],
) -> Result<Vec<product_photo::Model>, DbErr> {
    let mut all = of_products(db, product_ids).await?;
    all.dedup_by_key(|p| p.product_id);
    Ok(all)
}

/// Sets the alt text and the variant of a photo.
pub async fn update(
    db: &impl ConnectionTrait,
    photo: product_photo::Model,
    alt: String,
    variant_id: Option<i64>,
) -> Result<product_photo::Model, DbErr> {
    let mut active: product_photo::ActiveModel = photo.into();
    active.alt = Set(alt);
    active.variant_id = Set(variant_id);
    active.update(db).await
}

/// Numbers these photos 0, 1, 2, ... in the order given.
pub async fn set_order(db: &impl ConnectionTrait, ids: &[i64]) -> Result<(), DbErr> {
    for (position, id) in ids.iter().enumerate() {
        product_photo::Entity::update_many()
            .col_expr(
                product_photo::Column::Position,
                Expr::value(position as i32),
            )
            .filter(product_photo::Column::Id.eq(*id))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Deletes a photo; whether it existed.
pub async fn delete(db: &impl ConnectionTrait, id: i64) -> Result<bool, DbErr> {
    Ok(product_photo::Entity::delete_by_id(id)
        .exec(db)
        .await?
        .rows_affected
        == 1)
}

/// How many photos show the picture with this hash.
pub async fn count_with_hash(db: &impl ConnectionTrait, hash: &str) -> Result<u64, DbErr> {
    product_photo::Entity::find()
        .filter(product_photo::Column::Hash.eq(hash))
        .count(db)
        .await
}

/// Any photo of the picture with this hash (for serving its files).
pub async fn any_with_hash(
    db: &impl ConnectionTrait,
    hash: &str,
) -> Result<Option<product_photo::Model>, DbErr> {
    product_photo::Entity::find()
        .filter(product_photo::Column::Hash.eq(hash))
        .one(db)
        .await
}
